#!/usr/bin/env bash
# Set everything up (first run only) and run the whole test suite: lint, layer contracts,
# then pytest (window tests run under a virtual X server started by pytest-xvfb).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export QT_QPA_PLATFORM=xcb
.venv/bin/ruff check anatomy_viewer tests benchmarks tools
.venv/bin/lint-imports
exec .venv/bin/python -m pytest "$@"
