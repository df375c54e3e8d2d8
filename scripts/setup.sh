#!/usr/bin/env bash
# Installs what Frontdesk needs on Debian or Ubuntu and is missing: the WebKitGTK build and
# run-time packages, Xvfb, WebKitWebDriver, CJK fonts, poppler, the CUPS client (receipts go
# to the printer through `lp`); with --test also tauri-driver, and CUPS itself with a PDF
# printer (cups-pdf), started with the test printers (scripts/cups-test-printers.sh), and
# PostgreSQL (the suite's second run starts a throwaway server: scripts/pg-test-server.sh).
# Safe to run again: it installs only what is absent.
set -euo pipefail

packages=(
  libwebkit2gtk-4.1-dev build-essential libssl-dev libayatana-appindicator3-dev librsvg2-dev
  libxdo-dev pkg-config xvfb webkit2gtk-driver fonts-noto-cjk poppler-utils python3 curl
  cups-client
)
if [ "${1:-}" = "--test" ]; then
  packages+=(cups cups-bsd printer-driver-cups-pdf postgresql faketime)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null 2>&1; then
  [ -x "$HOME/.cargo/bin/cargo" ] && export PATH="$HOME/.cargo/bin:$PATH"
fi
if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: Rust is missing. Install it with rustup (https://rustup.rs), then run this again." >&2
  exit 1
fi

if [ "${1:-}" = "--test" ]; then
  if ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
    echo "setup: installing tauri-driver"
    cargo install tauri-driver --version '^2' --locked --quiet
  fi
  scripts/cups-test-printers.sh
  rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy rustfmt 2>/dev/null || true
fi
