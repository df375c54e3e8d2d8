#!/usr/bin/env bash
# End-to-end tests of the real app (WebKit under Xvfb, through tauri-driver).
# Usage: tests/e2e/run.sh [--app PATH] [TEST_NAME_FILTER ...]
# Assumes the app is built (cargo build -p frontdesk) and tauri-driver is installed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
exec python3 tests/e2e/run.py "$@"
