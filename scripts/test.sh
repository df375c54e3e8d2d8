#!/usr/bin/env bash
# Installs what is missing and runs every test, exactly as CI does (.ci/run calls this):
# formatting, clippy with warnings as errors, the core's independence from Tauri, all cargo
# tests, the core suite a second time on a throwaway PostgreSQL server, then the end-to-end
# tests that drive the real app in WebKit under Xvfb.
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

echo "== the core suite again, on PostgreSQL (a throwaway server, one database per test)"
pg_dir="$(mktemp -d /tmp/frontdesk-pg-test.XXXXXX)"
trap 'scripts/pg-test-server.sh --stop "$pg_dir" || true; rm -rf "$pg_dir"' EXIT
pg_url="$(FRONTDESK_PG_PORT=55433 scripts/pg-test-server.sh "$pg_dir")"
# --workspace, as the first pass: `-p frontdesk-core` alone resolves the dependencies' features
# without the app's and so built every dependency a second time (twice the disk, twice the time).
FRONTDESK_TEST_PG="$pg_url" FRONTDESK_TEST_ONLY_ALLOW_UNDURABLE_SERVER=1 cargo test --workspace
# Each test on the server makes its own database there: none made means the run never
# reached the server (a variable misspelt, a harness that fell back to files).
made=$(psql "$pg_url" -tAc "SELECT count(*) FROM pg_database WHERE datname LIKE 't\_%'")
echo "   $made test databases made on the server"
if [ "$made" -lt 50 ]; then
  echo "the PostgreSQL run made only $made test databases: it did not run the suite on the server" >&2
  exit 1
fi

echo "== end-to-end (real app, WebKitWebDriver, Xvfb)"
cargo build -p frontdesk -p frontdesk-core --bins
FRONTDESK_TEST_PG="$pg_url" FRONTDESK_TEST_ONLY_ALLOW_UNDURABLE_SERVER=1 \
  python3 tests/e2e/run.py --app target/debug/frontdesk

echo "== all tests passed in $(( $(date +%s) - start )) s"
echo "   target/ holds $(du -sh target | cut -f1); $(df -h --output=avail . | tail -1 | tr -d ' ') left on this disk"
