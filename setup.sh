#!/usr/bin/env bash
# Set up mandate-graph on a fresh machine (Python 3.11+), then run the main job:
# the mandates of the bundled resolution A/RES/80/229. Pass --no-run to only set up.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
# rapper (Debian's raptor2-utils) checks every Turtle, TriG and N-Triples export in the tests,
# independently of rdflib; in CI (CI set) those tests fail without it.
if ! command -v rapper >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >/dev/null
        apt-get install -y -qq raptor2-utils >/dev/null
    else
        echo "setup.sh: rapper is missing; install it with 'sudo apt-get install raptor2-utils'" \
            "(the export tests skip without it, and fail when CI is set)" >&2
    fi
fi
if [ "${1:-}" != "--no-run" ]; then
    .venv/bin/mandate-graph mandates
fi
