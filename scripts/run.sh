#!/usr/bin/env bash
# Set everything up (first run only) and start anatomy_viewer. Arguments go to the program,
# e.g. scripts/run.sh --gait running, or scripts/run.sh render -o leg.png
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/anatomy-viewer "$@"
