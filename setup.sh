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
if [ "${1:-}" != "--no-run" ]; then
    .venv/bin/mandate-graph mandates
fi
