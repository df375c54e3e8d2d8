#!/usr/bin/env bash
# Builds the installable packages, offline but for the crate and npm registries:
#   target/packages/frontdesk_<version>_amd64.deb   (Debian, Ubuntu, 统信 UOS, 银河麒麟)
#   target/packages/frontdesk-<version>.x86_64.rpm  (openEuler, Anolis, Fedora)
# with Tauri's own bundler (the bundle section of src-tauri/tauri.conf.json): the app in
# /usr/bin/frontdesk, frontdesk-admin beside it, the desktop entry 门诊前台 (Frontdesk) with its
# icons, the licence and README. tauri-cli comes from the npm registry at the version pinned
# below (its prebuilt binary: a `cargo install tauri-cli` compiles for a quarter of an hour on
# two cores); AppImage is not built, since its tools are downloaded from GitHub.
set -euo pipefail
cd "$(dirname "$0")/.."
TAURI_CLI_VERSION=2.12.5
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"

if ! command -v npm >/dev/null 2>&1; then
  echo "package: installing npm"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
tauri=target/tauri-cli/node_modules/.bin/tauri
if [ "$("$tauri" --version 2>/dev/null)" != "tauri-cli $TAURI_CLI_VERSION" ]; then
  echo "package: installing tauri-cli $TAURI_CLI_VERSION from the npm registry"
  npm install --no-save --no-audit --no-fund --loglevel=error --prefix target/tauri-cli \
    "@tauri-apps/cli@$TAURI_CLI_VERSION" >/dev/null
fi

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)
# frontdesk-admin goes in the packages as a file of theirs (bundle > linux > deb/rpm > files).
cargo build --release --locked -p frontdesk-core --bin frontdesk-admin
rm -rf target/release/bundle/deb target/release/bundle/rpm
(cd src-tauri && "../$tauri" build --ci --bundles deb,rpm -- --locked)

mkdir -p target/packages
rm -f target/packages/frontdesk*
cp target/release/bundle/deb/*_"$version"_amd64.deb "target/packages/frontdesk_${version}_amd64.deb"
cp target/release/bundle/rpm/*-"$version"-1.x86_64.rpm "target/packages/frontdesk-${version}.x86_64.rpm"
ls -l target/packages/
