#!/usr/bin/env bash
# Installs what is missing, builds Frontdesk and starts it on the demo hospital (--demo: a new
# data file gets its departments, doctors, schedule and six accounts; without it a new file
# asks for 初始设置). Pass --db PATH (or set FRONTDESK_DB) to choose the data file.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
cargo build --release -p frontdesk
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "run: no display found; starting the app on a virtual screen (Xvfb :99)" >&2
  Xvfb :99 -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
  export DISPLAY=:99
  sleep 1
fi
exec target/release/frontdesk --demo "$@"
