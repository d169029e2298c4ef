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
# Debian packages the tests need; in CI (CI set) the tests that need them fail without them:
# - rapper (raptor2-utils) checks every Turtle, TriG and N-Triples export, independently of rdflib;
# - virtuoso-t and isql-vt (virtuoso-opensource-7-bin: the binaries, no system service) are the
#   Virtuoso server that publish and query --endpoint are tested against, beside the Oxigraph
#   server, which comes from PyPI with the dev extras.
missing=()
command -v rapper >/dev/null 2>&1 || missing+=(raptor2-utils)
{ command -v virtuoso-t && command -v isql-vt; } >/dev/null 2>&1 || missing+=(virtuoso-opensource-7-bin)
if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >/dev/null
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
        echo "setup.sh: missing ${missing[*]}; install with 'sudo apt-get install --no-install-recommends" \
            "${missing[*]}' (the tests that need them skip without them, and fail when CI is set)" >&2
    fi
fi
if [ "${1:-}" != "--no-run" ]; then
    .venv/bin/mandate-graph mandates
fi
