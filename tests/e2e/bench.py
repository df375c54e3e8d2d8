#!/usr/bin/env python3
"""Desk figures in real WebKit: the release app on the 1,000,000-patient file, driven like the
end-to-end tests (Xvfb, tauri-driver, WebKitWebDriver). It prints p50/p99 and asserts nothing.

    python3 tests/e2e/bench.py --app target/release/frontdesk --db /work/bench-1m.db \\
        [--large PATH] [--printer QUEUE]
    python3 tests/e2e/bench.py --app /usr/bin/frontdesk --start-only   # 4 only, on a new demo file

--db is the patients fixture of ``frontdesk-bench --patients 1000000``; --large a multi-GiB file
of ``frontdesk-bench --patients 1000000 --years N --per-day R`` (cold start only). Both are
copied first (cp --reflink=auto), since the app writes: the demo hospital on the first start,
the sign-in, the shift, 300 registrations. The originals are left as they are.

Every figure is taken inside the page on its own clock (performance.now; event.timeStamp is on
the same clock), so the WebDriver round trips between the steps are not in them:

1. keystroke → results painted, per kind of query: from the 'input' event of #reg-search to
   the first frame painted after #reg-results changed for that value (requestAnimationFrame,
   then a setTimeout(0) after it). One real key per WebDriver request; the next key is sent
   only once the last one's results are painted, so keystrokes never overlap.
2. F9 → ready for the next patient: from the F9 keydown to the box empty and focused with
   #reg-last showing the new receipt, and to the next frame painted after that. 300 patients
   found by card number, a department chosen, cash paid; this is the shift for 3.
3. Alt+2 → the 日结 screen painted with its figures (the first count box focused, the cash line's
   expected amount and the last receipt number in), for that shift; back with Alt+1, again.
4. cold start → the sign-in form interactive: from time.time() just before the WebDriver
   new-session request (which launches the app) to the moment #login-username takes the focus
   (performance.timeOrigin + the focus event's timeStamp, both epoch ms of this machine).
5. memory after 1–3: RSS and PSS (/proc/PID/smaps_rollup) of the app and its WebKit children.

Standard library only.
"""

import argparse
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from run import isolated_launcher, start_tauri_driver, start_xvfb, stop  # noqa: E402
from test_registration import (  # noqa: E402
    choose_department, departments_by_doctors, start, type_here, wait_focus, wait_quote,
)
from webdriver import Keys, Session  # noqa: E402

# ---- in-page probes --------------------------------------------------------------------------
# Each records into window.__bench; Python waits for a record with execute_async (wait_record).

SEARCH_PROBE = """
const box = document.getElementById('reg-search');
const list = document.getElementById('reg-results');
const b = window.__bench = { keys: [], pending: null };
box.addEventListener('input', (e) => {
  // A key typed before the last one's results came: that one is not counted.
  if (b.pending) b.pending.superseded = true;
  const k = { at: e.timeStamp, value: box.value, dom: null, painted: null, echo: null, frame: null };
  b.keys.push(k);
  b.pending = k;
  // The frame that shows the typed character: its rAF time.
  requestAnimationFrame((t) => { k.echo = t; });
}, { capture: true });
// The desk renders #reg-results only with the answer for the box's current value (older answers
// are dropped), so the first change after a keystroke is that keystroke's results.
new MutationObserver(() => {
  const k = b.pending;
  if (!k || box.value !== k.value) return;
  b.pending = null;
  k.dom = performance.now();
  // Style and layout of the new list now (not at the frame), so 'laid out' is work, not waiting.
  list.getBoundingClientRect();
  k.laid = performance.now();
  // The frame that shows the results: the same one as the character when they came in time.
  requestAnimationFrame((t) => { k.frame = t; setTimeout(() => { k.painted = performance.now(); }, 0); });
}).observe(list, { childList: true, subtree: true, characterData: true, attributes: true });
"""

# Shared by the F9 and 日结 probes: from a key's run, watch the page until `ready()` holds, then
# note the instant and the next frame painted after it.
WATCH = """
const watch = (run, ready) => {
  const check = () => {
    if (run.ready !== null || !ready()) return;
    run.ready = performance.now();
    obs.disconnect();
    document.removeEventListener('focusin', check, true);
    requestAnimationFrame(() => setTimeout(() => { run.painted = performance.now(); }, 0));
  };
  const obs = new MutationObserver(check);
  obs.observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true });
  document.addEventListener('focusin', check, true);
};
"""

F9_PROBE = WATCH + """
const b = window.__bench = { runs: [] };
window.addEventListener('keydown', (e) => {
  if (e.key !== 'F9') return;
  const receipt = () => document.getElementById('reg-last-receipt')?.textContent || '';
  const run = { at: e.timeStamp, before: receipt(), ready: null, painted: null };
  b.runs.push(run);
  watch(run, () => {
    const box = document.getElementById('reg-search');
    const last = document.getElementById('reg-last');
    return box && document.activeElement === box && box.value === ''
      && last && !last.hidden && receipt() && receipt() !== run.before;
  });
}, { capture: true });
"""

CLOSE_PROBE = WATCH + """
const b = window.__bench = { runs: [] };
window.addEventListener('keydown', (e) => {
  if (!(e.altKey && e.key === '2')) return;
  const run = { at: e.timeStamp, ready: null, painted: null };
  b.runs.push(run);
  watch(run, () => {
    const cash = document.querySelector('#close-lines tr[data-method="cash"]');
    const last = document.getElementById('close-receipt-last');
    if (document.activeElement?.id !== 'close-d0' || !cash?.dataset.expected || !last?.textContent.trim()) return false;
    run.receipt = last.textContent.trim();
    return true;
  });
}, { capture: true });
"""

WAIT_RECORD = """
const [list, i, field] = arguments;
const done = arguments[arguments.length - 1];
(function poll() {
  const r = window.__bench[list][i];
  if (r && r[field] !== null) done(r); else setTimeout(poll, 2);
})();
"""

# The sign-in form is interactive when #login-username has the focus (app.js showLogin, after
# its first answer from Rust); the file's full check is over when #login-checking hides.
LOGIN_PROBE = """
const done = arguments[arguments.length - 1];
const out = { origin: performance.timeOrigin, focused: null, focusedAlready: false, checked: null, checkedAlready: false };
const finish = () => { if (out.focused !== null && out.checked !== null) done(out); };
const user = document.getElementById('login-username');
const checking = document.getElementById('login-checking');
if (document.activeElement === user) { out.focused = performance.now(); out.focusedAlready = true; }
else document.addEventListener('focusin', function f(e) {
  if (e.target !== user) return;
  document.removeEventListener('focusin', f, true);
  out.focused = e.timeStamp; finish();
}, true);
const checked = () => checking && checking.hidden && out.focused !== null;
if (checked()) { out.checked = performance.now(); out.checkedAlready = true; }
else new MutationObserver((_, obs) => {
  if (!checked()) return;
  obs.disconnect(); out.checked = performance.now(); finish();
}).observe(document.body, { attributes: true, subtree: true, childList: true });
finish();
"""


def wait_record(wd, list_name, i, field="painted"):
    return wd.execute_async(WAIT_RECORD, list_name, i, field)


# ---- figures ---------------------------------------------------------------------------------


def pct(values, p):
    """The p-th percentile (nearest rank)."""
    if not values:
        return float("nan")
    s = sorted(values)
    rank = max(1, min(len(s), -(-len(s) * p // 100)))
    return s[int(rank) - 1]


def row(label, values, extra=""):
    print(f"  {label:<40} {len(values):>5} {pct(values, 50):>9.1f} {pct(values, 99):>9.1f} "
          f"{max(values, default=float('nan')):>9.1f}  {extra}", flush=True)


def header(title, what):
    print(f"\n{title}\n  ({what})", flush=True)
    print(f"  {'':<40} {'n':>5} {'p50 ms':>9} {'p99 ms':>9} {'max ms':>9}", flush=True)


# ---- files -----------------------------------------------------------------------------------


def copy_db(src, dst):
    """A copy the app may write to. A file with a non-empty WAL is copied through SQLite's
    backup (cp would miss what the WAL holds); else cp --reflink=auto."""
    wal = src + "-wal"
    if os.path.exists(wal) and os.path.getsize(wal) > 0:
        with sqlite3.connect(f"file:{src}?mode=ro", uri=True) as s, sqlite3.connect(dst) as d:
            s.backup(d)
    else:
        subprocess.run(["cp", "--reflink=auto", src, dst], check=True)


def admin(app, db, *args, check=True):
    exe = os.path.join(os.path.dirname(os.path.abspath(app)), "frontdesk-admin")
    out = subprocess.run([exe, "--db", db, *args], capture_output=True, text=True, timeout=1800)
    if check and out.returncode != 0:
        raise RuntimeError(f"frontdesk-admin {' '.join(args)} failed: {out.stderr.strip()}")
    return out


def prepare(app, src, work, name):
    """Copies src into work and makes the demo hospital in it (frontdesk-admin init, which also
    takes the day's automatic backup, so the measured launches are not the day's first)."""
    db = os.path.join(work, name)
    t = time.monotonic()
    copy_db(src, db)
    admin(app, db, "init", "--demo")
    print(f"prepared {db} from {src} ({os.path.getsize(db) / 2**20:.0f} MiB, "
          f"{time.monotonic() - t:.0f} s)", flush=True)
    return db


def samples(db, n, rng, kinds=None):
    """Real values from the file, as a clerk types them: {kind: [query, …]} with at least n
    keystrokes per kind (those of frontdesk-bench's search part that a clerk types most), or
    n queries of each of kinds."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    top = conn.execute("SELECT max(id) FROM patient").fetchone()[0]

    def patient(col):
        while True:
            v = conn.execute(f"SELECT {col} FROM patient WHERE id = ?", (rng.randint(1, top),)).fetchone()[0]
            if v:
                return v

    def initials():
        # The first key at or after a random two-letter start: real initials of some patient.
        start = "i:" + rng.choice("abcdefghjklmnopqrstwxyz") + rng.choice("abcdefghjklmnopqrstwxyz")
        k = conn.execute("SELECT key FROM patient_key WHERE key >= ? AND key < 'i;' LIMIT 1", (start,)).fetchone()
        return k[0][2:] if k else "zs"

    makers = {
        "card number": lambda: patient("card_no"),
        "phone last four": lambda: patient("phone")[-4:],
        "name": lambda: patient("name"),
        "pinyin initials": initials,
        "one letter": lambda: initials()[0],
    }
    out = {}
    for kind, make in makers.items():
        qs = []
        if kinds is None:
            while sum(len(q) for q in qs) < n:
                qs.append(make())
        elif kind in kinds:
            qs = [make() for _ in range(n)]
        out[kind] = qs
    conn.close()
    return out


# ---- 1. keystroke → results painted ----------------------------------------------------------


def bench_search(wd, queries, warm):
    wd.execute(SEARCH_PROBE)
    box = wd.find("#reg-search")
    seen = 0

    def run(q):
        nonlocal seen
        for ch in q:
            box.send_keys(ch)
            wait_record(wd, "keys", seen)
            seen += 1
        box.send_keys(Keys.ESCAPE)  # the desk clears the box on Escape
        wd.wait_until(lambda: wd.execute("return document.getElementById('reg-search').value === ''"), 5,
                      message="the search box cleared")

    # A desk open a while has the index pages it reads cached: a few queries first, not counted.
    for kind, qs in warm.items():
        for q in qs[:5]:
            run(q)
    first = {}
    for kind, qs in queries.items():
        first[kind] = seen
        for q in qs:
            run(q)
    keys = wd.execute("return window.__bench.keys")
    header("1. keystroke → results painted, per kind of query",
           "input event's timeStamp on #reg-search → first frame painted after #reg-results changed for "
           "that value (rAF, then setTimeout 0); 'in DOM' = up to the MutationObserver callback")
    kinds = list(queries)
    for n, kind in enumerate(kinds):
        mine = [k for k in keys[first[kind]:first[kinds[n + 1]] if n + 1 < len(kinds) else None]
                if k["painted"] is not None and not k.get("superseded")]
        row(kind, [k["painted"] - k["at"] for k in mine])
        row("  of which: in DOM", [k["dom"] - k["at"] for k in mine])
        row("  of which: in DOM and laid out", [k["laid"] - k["at"] for k in mine])
        late = [round((k["frame"] - k["echo"]) / (1000 / 60)) for k in mine if k.get("echo") is not None]
        same = sum(1 for n in late if n <= 0)
        print(f"    results in the frame that shows the typed character: {same} of {len(late)}"
              f" ({100 * same / max(len(late), 1):.1f} %); the rest {max(late, default=0)} frame(s) later at most")
    # The bare call into Rust and back, outside the page's own work: invoke → answer parsed.
    for kind in ("card number", "name"):
        q = queries[kind][0]
        calls = wd.execute_async(
            """const done = arguments[arguments.length - 1];
            (async () => { const out = [];
              for (let i = 0; i < 200; i++) {
                const t0 = performance.now();
                await window.__TAURI__.core.invoke('patient_search', { query: arguments[0] });
                out.push(performance.now() - t0);
              }
              done(out); })();""", q)
        row(f"the call into Rust and back ({kind})", calls)
    print("  (keys typed one per WebDriver request, the next only once the last one's results were "
          "painted; WebKit's clock ticks in whole milliseconds)")


# ---- 2. F9 → ready for the next patient ------------------------------------------------------


def bench_register(wd, cards, rng):
    wd.execute(F9_PROBE)
    depts = [k for k, v in departments_by_doctors(wd).items() if v[1]]
    if not depts:
        raise RuntimeError("no department has a doctor on duty this session")
    for i, card in enumerate(cards):
        wait_focus(wd, "reg-search", 10)
        type_here(wd, card)
        wd.keys(Keys.ENTER)  # the card typed in full is that patient
        wait_focus(wd, "reg-complaint", 10)
        choose_department(wd, depts[i % len(depts)])
        due = wait_quote(wd)
        wd.find("#reg-complaint").click()
        wd.keys(Keys.ENTER)  # accept the proposed doctor
        wait_focus(wd, "reg-tendered", 10)
        type_here(wd, str(-(-due // 10000) * 100 + rng.choice((0, 0, 100))))  # round up to ¥100s
        wd.keys(Keys.F9)
        wait_record(wd, "runs", i)
        if (i + 1) % 50 == 0:
            print(f"  … {i + 1} registered", flush=True)
    runs = wd.execute("return window.__bench.runs")
    header(f"2. F9 → ready for the next patient ({len(cards)} registrations, cash, one shift)",
           "F9 keydown's timeStamp → box empty and focused, #reg-last showing the new receipt (ready), "
           "and the next frame painted after it; includes register, the receipt PDF written, the reset")
    row("F9 → ready, painted", [r["painted"] - r["at"] for r in runs])
    row("  of which: ready", [r["ready"] - r["at"] for r in runs])
    # The strip is refreshed after the reset, on its own answer from Rust.
    shift = "const s = document.getElementById('reg-shift'); return [s.dataset.count, s.dataset.total];"
    wd.wait_until(lambda: wd.execute(shift)[0] == str(len(cards)), 10, message="the shift strip")
    figures = wd.execute(shift)
    print(f"  (the shift strip: {figures[0]} registrations, ¥{int(figures[1]) / 100:,.2f})")


# ---- 3. the 日结 screen ----------------------------------------------------------------------


def bench_close(wd, times):
    wd.execute(CLOSE_PROBE)
    for i in range(times):
        wait_focus(wd, "reg-search", 10)
        wd.keys(Keys.ALT + "2")
        wait_record(wd, "runs", i)
        wd.keys(Keys.ALT + "1")
    wait_focus(wd, "reg-search", 10)
    runs = wd.execute("return window.__bench.runs")
    header("3. Alt+2 → the 日结 screen painted with its figures (the shift of item 2)",
           "Alt+2 keydown's timeStamp → #close-d0 focused, the cash line's expected and the last receipt "
           "number in the DOM (ready), then the next frame painted; back to 挂号 with Alt+1 between")
    row("Alt+2 → close screen painted", [r["painted"] - r["at"] for r in runs])
    row("  of which: ready", [r["ready"] - r["at"] for r in runs])
    print(f"  (the close screen showed the last receipt {runs[-1]['receipt']})")


# ---- 4. cold start ---------------------------------------------------------------------------


def bench_cold_start(port, driver_pid, app, db, work, times, label):
    """One launch per run, each with fresh WebKit data/cache folders (no WebKit cache carried)."""
    total, checked, origin, spawned, already = [], [], [], [], 0
    tick = os.sysconf("SC_CLK_TCK")
    for i in range(times):
        tmp = tempfile.mkdtemp(prefix="start-", dir=work)
        launcher = isolated_launcher(app, tmp)
        with open("/proc/uptime") as f:
            up0 = float(f.read().split()[0])
        t0 = time.time() * 1000
        wd = Session("127.0.0.1", port, launcher, ["--db", db])
        try:
            out = wd.execute_async(LOGIN_PROBE)
            # When WebKitWebDriver forked the app (its launcher), on the kernel's 10 ms clock.
            pid = app_pid(driver_pid, app)
            if pid:
                with open(f"/proc/{pid}/stat") as f:
                    start_ticks = int(f.read().rsplit(")", 1)[1].split()[19])
                spawned.append((start_ticks / tick - up0) * 1000)
        finally:
            wd.quit()
            shutil.rmtree(tmp, ignore_errors=True)
        total.append(out["origin"] + out["focused"] - t0)
        checked.append(out["origin"] + out["checked"] - t0)
        origin.append(out["origin"] - t0)
        already += out["focusedAlready"]
    row(f"{label}: → sign-in focused", total)
    row("  of which: → app process forked (±10 ms)", spawned)
    row("  of which: → page's timeOrigin", origin)
    row("  → the full check done", checked)
    if already:
        print(f"  ({already} of {times} had the focus before the probe ran: those count the probe's "
              f"time, an upper bound)")


# ---- 5. memory -------------------------------------------------------------------------------


def children():
    """{ppid: [pid, …]} of every process now."""
    out = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        out.setdefault(ppid, []).append(int(name))
    return out


def descendants(pid, tree):
    todo, found = [pid], []
    while todo:
        for c in tree.get(todo.pop(), []):
            found.append(c)
            todo.append(c)
    return found


def exe_of(pid):
    try:
        return os.path.realpath(f"/proc/{pid}/exe")
    except OSError:
        return ""


def app_pid(driver_pid, app, tree=None):
    """The app's process: the one under tauri-driver running the app's binary."""
    app_exe = os.path.realpath(app)
    found = [p for p in descendants(driver_pid, tree or children()) if exe_of(p) == app_exe]
    return found[0] if found else None


def rollup(pid):
    """(RSS, PSS) in KiB from /proc/PID/smaps_rollup."""
    values = {}
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            parts = line.split()
            if parts[0] in ("Rss:", "Pss:"):
                values[parts[0]] = int(parts[1])
    return values["Rss:"], values["Pss:"]


def bench_memory(driver_pid, app):
    tree = children()
    pid = app_pid(driver_pid, app, tree)
    if not pid:
        print("\n5. memory: the app's process was not found")
        return
    procs = [pid] + descendants(pid, tree)
    print("\n5. memory after 1–3 (/proc/PID/smaps_rollup)")
    print(f"  {'process':<40} {'pid':>7} {'RSS MiB':>9} {'PSS MiB':>9}")
    rss_total = pss_total = 0
    for p in procs:
        try:
            rss, pss = rollup(p)
        except OSError:
            continue
        name = os.path.basename(exe_of(p)) or str(p)
        rss_total += rss
        pss_total += pss
        print(f"  {name:<40} {p:>7} {rss / 1024:>9.1f} {pss / 1024:>9.1f}")
    print(f"  {'total':<40} {'':>7} {rss_total / 1024:>9.1f} {pss_total / 1024:>9.1f}"
          "   (RSS counts shared pages in each process; PSS shares them out)")
    for p in procs:
        try:
            kinds = where(p)
        except OSError:
            continue
        print(f"  where {os.path.basename(exe_of(p)) or p}'s resident memory is (/proc/PID/smaps, MiB):")
        for what, mib in sorted(kinds.items(), key=lambda kv: -kv[1]):
            if mib >= 1:
                print(f"    {what:<52} {mib:>8.1f}")


def where(pid):
    """The app's resident memory by kind of mapping: the data file (SQLite's memory map, clean
    pages of the OS's cache), the heap and other private anonymous memory, shared libraries."""
    kinds = {}
    name = None
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            parts = line.split()
            if "-" in parts[0] and len(parts) >= 5 and ":" in parts[3]:
                path = parts[5] if len(parts) > 5 else ""
                if path.endswith(".db"):
                    name = "the data file, memory-mapped by SQLite (clean)"
                elif path in ("", "[heap]") or path.startswith("[anon"):
                    name = "heap and anonymous (private)"
                elif ".so" in path:
                    name = "shared libraries"
                elif path.startswith("/memfd") or path.startswith("/SYSV") or path.startswith("/dev/"):
                    name = "shared memory with WebKit, X"
                else:
                    name = f"other: {os.path.basename(path) or path}"
            elif parts[0] == "Rss:" and name:
                kinds[name] = kinds.get(name, 0) + int(parts[1]) / 1024
    return kinds


def cold_starts(app, port, driver, work, o):
    header("4. cold start → the sign-in form interactive",
           "time.time() before the new-session request → #login-username focused "
           "(performance.timeOrigin + the focus event's timeStamp); includes tauri-driver and "
           "WebKitWebDriver starting the app; fresh WebKit folders each run, OS page cache warm")
    small = os.path.join(work, "small.db")
    admin(app, small, "init", "--demo")
    bench_cold_start(port, driver.pid, app, small, work, o.starts, "small (fresh) file")
    if o.large:
        large = prepare(app, o.large, work, "large.db")
        bench_cold_start(port, driver.pid, app, large, work, o.starts,
                         f"large file ({os.path.getsize(large) / 2**30:.1f} GiB)")
    else:
        print("  (no --large file given: the large-file cold start is skipped)")


# ---- main ------------------------------------------------------------------------------------


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--app", required=True, help="the release app (target/release/frontdesk)")
    parser.add_argument("--db", help="the 1,000,000-patient fixture (copied, not changed)")
    parser.add_argument("--start-only", action="store_true",
                        help="only 4, the cold start on a new demo file (the installed package's figure)")
    parser.add_argument("--large", help="a multi-GiB fixture for the cold start (copied, not changed)")
    parser.add_argument("--printer", help="a receipt printer queue for desk 01 (frontdesk-admin printer set)")
    parser.add_argument("--keys", type=int, default=200, help="keystrokes per kind of query (default 200)")
    parser.add_argument("--registrations", type=int, default=300)
    parser.add_argument("--closes", type=int, default=30)
    parser.add_argument("--starts", type=int, default=10)
    parser.add_argument("--work", help="folder for the copies (default: a new one in the temp folder, removed after)")
    o = parser.parse_args(argv)
    if not o.db and not o.start_only:
        parser.error("--db is required (or --start-only)")

    app = os.path.abspath(o.app)
    work = o.work or tempfile.mkdtemp(prefix="frontdesk-bench-ui-")
    os.makedirs(work, exist_ok=True)
    rng = random.Random(9)
    xvfb = driver = wd = None
    try:
        if o.start_only:
            xvfb, display = start_xvfb()
            driver, port = start_tauri_driver(display, os.path.join(work, "tauri-driver.log"))
            print(f"display {display}, tauri-driver on port {port}, app {app}", flush=True)
            cold_starts(app, port, driver, work, o)
            return 0
        db = prepare(app, o.db, work, "desk.db")
        if o.printer:
            out = admin(app, db, "printer", "set", "--desk", "01", "--receipt", o.printer, check=False)
            if out.returncode == 0:
                print(f"receipt printer for desk 01: {o.printer}")
            else:
                print(f"(--printer skipped: frontdesk-admin printer set failed: {out.stderr.strip()[:200]})")
        # A bench file: roomy slots, so that 300 registrations fit whatever the session (as
        # frontdesk-bench does; outside the audit log, which `verify` would report).
        with sqlite3.connect(db) as c:
            c.execute("UPDATE duty SET capacity = 500")
        queries = samples(db, o.keys, rng)
        warm = samples(db, 10, rng)
        cards = samples(db, o.registrations, rng, ["card number"])["card number"]

        xvfb, display = start_xvfb()
        driver, port = start_tauri_driver(display, os.path.join(work, "tauri-driver.log"))
        print(f"display {display}, tauri-driver on port {port}, app {app}", flush=True)

        wd = Session("127.0.0.1", port, isolated_launcher(app, os.path.join(work, "desk")),
                     ["--db", db, "--idle-seconds", "86400"])
        start(wd)
        bench_search(wd, queries, warm)
        bench_register(wd, cards, rng)
        bench_close(wd, o.closes)
        bench_memory(driver.pid, app)
        wd.quit()
        wd = None

        cold_starts(app, port, driver, work, o)
    finally:
        if wd is not None:
            wd.quit()
        stop(driver, "tauri-driver")
        stop(xvfb, "Xvfb")
        if not o.work:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
