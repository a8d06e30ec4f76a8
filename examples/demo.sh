#!/usr/bin/env bash
# `make demo`: runs examples/demo.py with the project's venv (see the README).
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python examples/demo.py "$@"
