#!/usr/bin/env bash
# Installs what is missing and runs every test, exactly as CI does (.ci/run calls this):
# formatting, clippy with warnings as errors, the core's independence from Tauri, all cargo
# tests, the core suite a second time on a throwaway PostgreSQL server, then the end-to-end
# tests that drive the real app in WebKit under Xvfb, and the .deb built, installed, started and
# removed (scripts/test-package.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
export PATH="$HOME/.cargo/bin:$PATH"
start=$(date +%s)

# libfaketime, as Debian installs it (the `faketime` package): preloaded into the test run
# directly rather than through the faketime wrapper, so its settings are set here in the open.
faketime_lib() {
  local lib
  lib=$(find /usr/lib -name 'libfaketimeMT.so.1' -path '*faketime*' | head -1)
  [ -n "$lib" ] || { echo "libfaketime not found: scripts/setup.sh --test installs faketime" >&2; exit 1; }
  echo "$lib"
}

echo "== cargo fmt --check"
cargo fmt --all -- --check

echo "== cargo clippy -D warnings"
cargo clippy --workspace --all-targets -- -D warnings

echo "== the core does not depend on Tauri"
if cargo tree -p frontdesk-core -e normal --prefix none | grep -Eq '^(tauri|wry|webkit2gtk)'; then
  echo "frontdesk-core depends on Tauri/WebKit: that breaks ARCHITECTURE.md's first invariant" >&2
  exit 1
fi

echo "== the foundations know no area, the page decides no role"
python3 scripts/check-layers.py

echo "== cargo test"
cargo test --workspace

echo "== the suite again at a weekend and at New Year's midnight in Shanghai (faketime, SQLite)"
# No test may depend on the day it runs. 07:30 on Sunday 13 December 2026 in Shanghai is 23:30 on
# the Saturday in UTC (a business date that is not UTC's); 23:59:30 on 31 December in Shanghai
# crosses into the new year while the suite runs. The clock starts at the instant and runs on
# (each process a test starts begins there too); monotonic time stays real, so a wait still
# waits. The test executables cargo just built run directly, each in its package's folder as
# cargo runs them (cargo itself stalls under libfaketime).
mapfile -t test_exes < <(cargo test --workspace --no-run --message-format=json 2>/dev/null | python3 -c '
import json, os, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("executable") and m["profile"]["test"]:
        print(os.path.dirname(m["manifest_path"]) + "\t" + m["executable"])
')
[ "${#test_exes[@]}" -gt 10 ] || { echo "found only ${#test_exes[@]} test executables" >&2; exit 1; }
fake_lib="$(faketime_lib)"
for instant in "2026-12-12 23:30:00" "2026-12-31 15:59:30"; do
  echo "   the clock at $instant UTC, ${#test_exes[@]} test executables"
  for entry in "${test_exes[@]}"; do
    dir="${entry%%$'\t'*}"; exe="${entry#*$'\t'}"
    if ! (cd "$dir" && TZ=UTC FAKETIME="@$instant" DONT_FAKE_MONOTONIC=1 LD_PRELOAD="$fake_lib" \
          "$exe" --quiet > "/tmp/frontdesk-faketime.log" 2>&1); then
      cat /tmp/frontdesk-faketime.log >&2
      echo "failed with the clock at $instant UTC: $exe" >&2
      exit 1
    fi
    grep '^test result' /tmp/frontdesk-faketime.log | sed 's/^/   /'
  done
done

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

echo "== the packages: built, installed with apt, the installed app started, removed"
scripts/test-package.sh

echo "== all tests passed in $(( $(date +%s) - start )) s"
echo "   target/ holds $(du -sh target | cut -f1); $(df -h --output=avail . | tail -1 | tr -d ' ') left on this disk"
