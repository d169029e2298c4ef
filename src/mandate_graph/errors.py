"""Errors that the command line reports as one line and exit code 2."""

from __future__ import annotations


class InputError(Exception):
    """Bad input: says what is wrong, where, and what to do about it."""

    def __init__(self, message: str, *, source: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.source = source
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.source:
            where = self.source if self.line is None else f"{self.source}:{self.line}"
            where += ": "
        return f"{where}{self.message}"


class StoreError(InputError):
    """A SPARQL store that cannot be reached, refuses, fails or does not answer in time:
    reported like bad input (one line, exit code 2), with the store's URL as the place."""
