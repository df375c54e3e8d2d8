#!/usr/bin/env bash
# Installs what is missing and runs every test, exactly as CI does (.ci/run calls this):
# formatting, clippy with warnings as errors, the core's independence from Tauri, all cargo
# tests, then the end-to-end tests that drive the real app in WebKit under Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
export PATH="$HOME/.cargo/bin:$PATH"
start=$(date +%s)

echo "== cargo fmt --check"
cargo fmt --all -- --check

echo "== cargo clippy -D warnings"
cargo clippy --workspace --all-targets -- -D warnings

echo "== the core does not depend on Tauri"
if cargo tree -p frontdesk-core -e normal --prefix none | grep -Eq '^(tauri|wry|webkit2gtk)'; then
  echo "frontdesk-core depends on Tauri/WebKit: that breaks ARCHITECTURE.md's first invariant" >&2
  exit 1
fi

echo "== cargo test"
cargo test --workspace

echo "== end-to-end (real app, WebKitWebDriver, Xvfb)"
cargo build -p frontdesk -p frontdesk-core --bins
python3 tests/e2e/run.py --app target/debug/frontdesk

echo "== all tests passed in $(( $(date +%s) - start )) s"
