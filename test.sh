#!/usr/bin/env bash
# Run everything CI runs: set-up (idempotent), lint, format check, the test suite.
# Extra arguments go to pytest (e.g. ./test.sh -k shapes).
set -euo pipefail
cd "$(dirname "$0")"
bash setup.sh --no-run
.venv/bin/ruff check src tests bench
.venv/bin/ruff format --check src tests bench
.venv/bin/pytest "$@"
