#!/usr/bin/env bash
# The packages as a hospital's IT installs them (scripts/test.sh runs this last): builds them
# (scripts/package.sh), checks what the .deb declares and holds, installs it with apt on this
# machine, starts the installed /usr/bin/frontdesk under Xvfb through the end-to-end harness
# (tests/e2e/installed.py: a data file of schema 17 is upgraded, its copy kept, and the clerk
# signs in; a new data file asks for 初始设置), then removes and purges the package and checks
# that the hospital's data file and backups are where they were.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
scripts/package.sh
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)
deb="target/packages/frontdesk_${version}_amd64.deb"
rpm="target/packages/frontdesk-${version}.x86_64.rpm"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
fail() { echo "package: $*" >&2; exit 1; }
home=""
# A failure leaves neither the package installed nor the test's home folder behind.
cleanup() {
  if [ -e /usr/bin/frontdesk ] && dpkg-query -W frontdesk >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive $sudo apt-get remove -y -qq frontdesk >/dev/null 2>&1 || true
  fi
  [ -z "$home" ] || rm -rf "$home"
}
trap cleanup EXIT

echo "== what the .deb declares"
dpkg-deb -f "$deb" Package Version Architecture Depends Recommends | sed 's/^/   /'
[ "$(dpkg-deb -f "$deb" Package)" = frontdesk ] || fail "the package is not named frontdesk"
depends=$(dpkg-deb -f "$deb" Depends)
grep -q 'libwebkit2gtk-4.1-0' <<<"$depends" || fail "Depends lacks the WebKitGTK 4.1 runtime: $depends"
if grep -q -- '-dev' <<<"$depends"; then fail "Depends names a -dev package: $depends"; fi
dpkg-deb -f "$deb" Description | grep -q '门诊' || fail "the description has no Chinese"
dpkg-deb -f "$deb" Description | grep -q 'outpatient' || fail "the description has no English"
listing=$(dpkg-deb -c "$deb" | awk '{print $6}')
for f in usr/bin/frontdesk usr/bin/frontdesk-admin usr/share/doc/frontdesk/copyright \
         usr/share/applications/Frontdesk.desktop; do
  grep -qx -- "$f" <<<"$listing" || fail "the package lacks $f"
done
for size in 16x16 24x24 32x32 48x48 64x64 128x128 256x256; do
  grep -qx -- "usr/share/icons/hicolor/$size/apps/frontdesk.png" <<<"$listing" || fail "no $size icon"
done
# An RPM file (its lead's magic number) holding the same programs; installing it is for an
# RPM distribution, which this Debian machine is not.
[ "$(head -c 4 "$rpm" | od -An -tx1 | tr -d ' ')" = "edabeedb" ] || fail "$rpm is not an RPM file"

echo "== apt-get install ./$deb"
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "./$deb" >/dev/null
[ "$(/usr/bin/frontdesk --version)" = "frontdesk $version (schema $(target/release/frontdesk-admin --version | sed 's/.*schema \([0-9]*\).*/\1/'))" ] \
  || fail "frontdesk --version says $(/usr/bin/frontdesk --version)"
/usr/bin/frontdesk-admin --version
desktop=/usr/share/applications/Frontdesk.desktop
grep -qx 'Name\[zh_CN\]=门诊前台' "$desktop" || fail "the desktop entry is not named 门诊前台"
grep -qx 'Exec=frontdesk' "$desktop" || fail "the desktop entry runs $(grep ^Exec= "$desktop")"
[ -x /usr/bin/frontdesk-admin ] || fail "frontdesk-admin is not executable"

# A hospital's data where the app keeps it by default, with a backup, before anything else.
home=$(mktemp -d /tmp/frontdesk-installed-home.XXXXXX)
data="$home/.local/share/cn.frontdesk.desk"
env -u XDG_DATA_HOME -u FRONTDESK_DB HOME="$home" /usr/bin/frontdesk-admin init --demo >/dev/null
env -u XDG_DATA_HOME -u FRONTDESK_DB HOME="$home" /usr/bin/frontdesk-admin backup --to "$data/backups" >/dev/null
[ -f "$data/frontdesk.db" ] || fail "no data file at $data"
before=$(cd "$data" && find . -type f | sort | xargs sha256sum)

echo "== the installed app, through the end-to-end harness"
python3 tests/e2e/run.py --app /usr/bin/frontdesk --module installed

echo "== apt-get remove, then purge: the hospital's data stays"
DEBIAN_FRONTEND=noninteractive $sudo apt-get remove -y -qq frontdesk >/dev/null
[ ! -e /usr/bin/frontdesk ] && [ ! -e /usr/bin/frontdesk-admin ] || fail "remove left the programs"
$sudo dpkg --purge frontdesk >/dev/null 2>&1 || fail "dpkg --purge failed"
after=$(cd "$data" && find . -type f | sort | xargs sha256sum)
[ "$before" = "$after" ] || fail "the data folder changed on removal: $before / $after"
target/release/frontdesk-admin --db "$data/frontdesk.db" verify >/dev/null || fail "the data left behind does not verify"
echo "   $(du -h "$deb" | cut -f1) .deb, $(du -h "$rpm" | cut -f1) .rpm; the data file and its backup kept"
