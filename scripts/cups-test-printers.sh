#!/usr/bin/env bash
# Starts CUPS (when it is not running) with the printers the tests print to, from scratch each
# time: FrontdeskPDF, a PDF printer (cups-pdf) whose output lands in $FRONTDESK_TEST_PRINT_OUT
# (default /tmp/frontdesk-print) named after the job's title; FrontdeskPaused, stopped as an
# empty paper tray leaves a printer; FrontdeskRefusing, which refuses every job. Called by
# scripts/setup.sh --test; needs root (or sudo) for cupsd and lpadmin.
set -euo pipefail
out="${FRONTDESK_TEST_PRINT_OUT:-/tmp/frontdesk-print}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

# `lpstat -r` exits 0 either way; only its sentence tells. A second cupsd would fight the
# first for its socket, so start one only when none answers.
if [ "$(lpstat -r 2>/dev/null)" != "scheduler is running" ]; then
  $sudo /usr/sbin/cupsd
fi
for _ in $(seq 100); do
  [ "$(lpstat -r 2>/dev/null)" = "scheduler is running" ] && break
  sleep 0.1
done
[ "$(lpstat -r 2>/dev/null)" = "scheduler is running" ] || { echo "cups: cupsd did not start" >&2; exit 1; }

# cups-pdf reads /etc/cups/cups-pdf-<NAME>.conf for the URI cups-pdf:/<NAME>: our own folder,
# files named exactly after the job's title (TitlePref 1, Label 0).
printf 'Out %s\nLabel 0\nTitlePref 1\n' "$out" | $sudo tee /etc/cups/cups-pdf-frontdesk.conf >/dev/null
# cups-pdf makes its PDF from PostScript. The default PDF-to-PostScript step turns the CJK
# (CID) font into glyphs with no text behind them, so the printed copy would not read back;
# cairo's keeps each glyph's Unicode name, and Ghostscript rebuilds the text from it.
ppd=lsb/usr/cups-pdf/CUPS-PDF_opt.ppd
for q in FrontdeskPDF FrontdeskPaused FrontdeskRefusing; do
  $sudo lpadmin -x "$q" 2>/dev/null || true
  $sudo lpadmin -p "$q" -v cups-pdf:/frontdesk -m "$ppd" -o TitlePref=1 -o Label=0 \
    -o pdftops-renderer-default=pdftocairo -E 2>/dev/null
done
$sudo cupsdisable -r "Out of paper" FrontdeskPaused
$sudo cupsreject -r "Paper jam" FrontdeskRefusing
$sudo cancel -a -x FrontdeskPDF 2>/dev/null || true
$sudo rm -rf "$out"
$sudo mkdir -m 1777 -p "$out"
echo "cups: printers FrontdeskPDF (→ $out), FrontdeskPaused, FrontdeskRefusing"
