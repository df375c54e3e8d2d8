#!/usr/bin/env python3
"""End-to-end test runner: the real app in WebKit, under Xvfb, through tauri-driver.

    python3 tests/e2e/run.py [--app PATH] [--module NAME] [--screen WxH] [FILTER ...]

Starts Xvfb (a 1366×768 screen unless --screen says otherwise) and tauri-driver, then runs every ``test_*`` function of the test modules (default:
every tests/e2e/test_*.py) whose name contains one of the FILTERs (all when none is given). Each test gets a
fresh temporary directory DIR and a fresh WebDriver session, i.e. a fresh launch of the app
with ``--db DIR/frontdesk.db --demo`` (no ``--demo`` for a test marked
``webdriver.real_first_start``) plus the test's own arguments (see ``webdriver.app_args``; a
``frontdesk-admin`` command may prepare the file first, see ``webdriver.before_launch``), its
XDG data/config/cache directories in DIR too (WebKit's localStorage would otherwise carry state,
such as the language, from one test to the next), and FRONTDESK_NO_OPEN=1 so that a receipt is
written to DIR/receipts/ without a PDF viewer being launched. After each test a screenshot is saved to ``target/e2e/<test>.png``. The last line
printed is ``N passed, M failed``; the exit status is non-zero when anything failed.

Standard library only. Assumes the app is built (``cargo build -p frontdesk``) and tauri-driver
is on PATH (or in ~/.cargo/bin).
"""

import argparse
import importlib
import os
import select
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

from webdriver import Session, WebDriverError  # noqa: E402
from webdriver import app_args, before_launch, real_first_start, starts_from  # noqa: E402,F401  (re-exported for test modules)


# ---- processes -------------------------------------------------------------------------------


def log(msg):
    print(msg, flush=True)


# The screen the tests run on: 1366×768, the most common desk PC screen in Chinese hospitals
# (every screen must work there); --screen 1920x1080 for the larger one.
DEFAULT_SCREEN = "1366x768"


def start_xvfb(timeout=10.0, screen=DEFAULT_SCREEN):
    """Starts Xvfb on a free display with a screen of `screen` (WxH); returns (process, ':N')."""
    r, w = os.pipe()
    try:
        proc = subprocess.Popen(
            ["Xvfb", "-displayfd", str(w), "-screen", "0", f"{screen}x24", "-nolisten", "tcp"],
            pass_fds=(w,),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    finally:
        os.close(w)
    data = b""
    deadline = time.monotonic() + timeout
    try:
        while not data.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or proc.poll() is not None:
                raise RuntimeError(
                    f"Xvfb did not report its display (exit status {proc.poll()}, got {data!r})"
                )
            ready, _, _ = select.select([r], [], [], left)
            if ready:
                chunk = os.read(r, 64)
                if not chunk:
                    raise RuntimeError(f"Xvfb closed -displayfd without a display (got {data!r})")
                data += chunk
    except BaseException:
        stop(proc, "Xvfb")
        raise
    finally:
        os.close(r)
    return proc, ":" + data.decode().strip()


def port_free(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port_pair():
    """A port P such that P and P+1 are both free on 127.0.0.1."""
    for _ in range(200):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind(("127.0.0.1", 0))
            p = s.getsockname()[1]
        if p < 65535 and port_free(p + 1) and port_free(p):
            return p
    raise RuntimeError("no two adjacent free ports found")


def port_answers(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def find_tauri_driver():
    found = shutil.which("tauri-driver")
    if found:
        return found
    cargo = os.path.join(os.path.expanduser("~"), ".cargo", "bin", "tauri-driver")
    if os.access(cargo, os.X_OK):
        return cargo
    raise RuntimeError(
        "tauri-driver not found: cargo install tauri-driver --version ^2 --locked"
    )


def start_tauri_driver(display, log_path, timeout=20.0):
    """Starts tauri-driver (and, through it, WebKitWebDriver); returns (process, port)."""
    port = free_port_pair()
    env = dict(os.environ, DISPLAY=display)
    env.pop("WAYLAND_DISPLAY", None)
    logf = open(log_path, "wb")
    proc = subprocess.Popen(
        [find_tauri_driver(), "--port", str(port), "--native-port", str(port + 1)],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=logf,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: WebKitWebDriver and the app die with it
    )
    logf.close()
    deadline = time.monotonic() + timeout
    while not (port_answers(port) and port_answers(port + 1)):
        if proc.poll() is not None or time.monotonic() > deadline:
            stop(proc, "tauri-driver")
            with open(log_path, "rb") as f:
                tail = f.read()[-2000:].decode(errors="replace")
            raise RuntimeError(
                f"tauri-driver did not open ports {port} and {port + 1} "
                f"(exit status {proc.poll()}); its output:\n{tail}"
            )
        time.sleep(0.1)
    return proc, port


def stop(proc, name, grace=5.0):
    """Ends proc and its whole process group (it was started in a session of its own)."""
    if proc is None:
        return
    try:
        pgid = os.getpgid(proc.pid)
    except ProcessLookupError:
        pgid = None
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, grace)):
        try:
            if pgid is not None and pgid == proc.pid:
                os.killpg(pgid, sig)
            elif proc.poll() is None:
                proc.send_signal(sig)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue
        # The leader is gone; make sure nothing else of the group lingers.
        if pgid is not None and pgid == proc.pid:
            try:
                os.killpg(pgid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        return
    log(f"warning: {name} (pid {proc.pid}) did not exit")


# ---- tests -----------------------------------------------------------------------------------


def collect(module_names, filters):
    tests = []
    for name in module_names:
        module = importlib.import_module(name)
        fns = [
            v
            for k, v in vars(module).items()
            if k.startswith("test_") and callable(v) and getattr(v, "__module__", "") == name
        ]
        fns.sort(key=lambda f: f.__code__.co_firstlineno)
        tests.extend(fns)
    if filters:
        tests = [t for t in tests if any(f in t.__name__ for f in filters)]
    return tests


def screenshot(session, path):
    try:
        session.next_frames(2)
    except WebDriverError:
        pass
    session.screenshot(path)


def isolated_launcher(app, tmp):
    """A script that runs the app with its XDG directories inside tmp.

    WebKit keeps the page's localStorage (the chosen language, …) and caches under
    XDG_DATA_HOME/XDG_CACHE_HOME, keyed by the app's identifier — shared by every launch. Without
    this, one test's state (say, English left on) would leak into the next test and into the
    user's own profile. tauri-driver cannot set the app's environment, hence the wrapper.
    """
    env = {name: os.path.join(tmp, sub) for name, sub in
           (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"), ("XDG_CACHE_HOME", "cache"))}
    for d in env.values():
        os.makedirs(d, exist_ok=True)
    # Receipts are written beside the data file; no PDF viewer is opened during a test.
    env["FRONTDESK_NO_OPEN"] = "1"
    # The test server runs with fsync off, which the app refuses unless told it is a test's.
    if os.environ.get("FRONTDESK_TEST_ONLY_ALLOW_UNDURABLE_SERVER"):
        env["FRONTDESK_TEST_ONLY_ALLOW_UNDURABLE_SERVER"] = "1"
    path = os.path.join(tmp, "launch-app.sh")
    with open(path, "w") as f:
        f.write("#!/bin/sh\n")
        for name, value in env.items():
            f.write(f"export {name}={shlex.quote(value)}\n")
        f.write(f'exec {shlex.quote(app)} "$@"\n')
    os.chmod(path, 0o755)
    return path


def server_database(name):
    """A new database for one test on the FRONTDESK_TEST_PG server; returns its URL."""
    base = os.environ["FRONTDESK_TEST_PG"]
    dbname = "e2e_" + name.lower()[:50]
    for sql in (f"DROP DATABASE IF EXISTS {dbname}", f"CREATE DATABASE {dbname}"):
        subprocess.run(["psql", base, "-qc", sql], check=True, capture_output=True, timeout=60)
    return base.rsplit("/", 1)[0] + "/" + dbname


def run_test(fn, app, port, shots_dir):
    """Runs one test; returns None on success or the reason for failure."""
    tmp = tempfile.mkdtemp(prefix=f"frontdesk-e2e-{fn.__name__}-")
    session = None
    reason = None
    try:
        db = os.path.join(tmp, "frontdesk.db")
        if getattr(fn, "on_server", False):
            db = server_database(fn.__name__)
        # A new data file is the demo hospital unless the test is about a real first start.
        demo = [] if getattr(fn, "real_first_start", False) else ["--demo"]
        args = ["--db", db] + demo + list(getattr(fn, "app_args", []))
        if hasattr(fn, "starts_from"):
            source = fn.starts_from() if callable(fn.starts_from) else fn.starts_from
            shutil.copyfile(source, db)
        if hasattr(fn, "before_launch"):
            admin = os.path.join(os.path.dirname(os.path.abspath(app)), "frontdesk-admin")
            if not os.path.exists(admin):
                return f"{admin} is not built (cargo build -p frontdesk-core --bin frontdesk-admin)"
            command = [admin, "--db", db] + [str(a() if callable(a) else a) for a in fn.before_launch]
            if getattr(fn, "before_launch_clock", None):
                command = ["faketime", "-f", fn.before_launch_clock] + command
            out = subprocess.run(command, capture_output=True, text=True, timeout=300)
            if out.returncode != 0:
                return f"{' '.join(command)} failed ({out.returncode}): {out.stderr.strip()}"
        try:
            session = Session("127.0.0.1", port, isolated_launcher(app, tmp), args)
        except WebDriverError as e:
            return f"could not start the app: {e}"
        try:
            fn(session)
        except AssertionError as e:
            reason = f"assertion failed: {e}" if str(e) else "assertion failed:\n" + "".join(
                traceback.format_exception(e)[-2:]
            )
            if session is not None and "page text:" not in reason:
                reason += "\n    page text: " + " ".join(session.page_text().split())[:1200]
        except WebDriverError as e:
            reason = str(e)
        except Exception as e:  # noqa: BLE001 - a broken test is a failed test
            reason = "".join(traceback.format_exception(e)).rstrip()
        try:
            screenshot(session, os.path.join(shots_dir, f"{fn.__name__}.png"))
        except WebDriverError as e:
            log(f"  (no screenshot: {e})")
        return reason
    finally:
        if session is not None:
            session.quit()
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--app", default=os.path.join(ROOT, "target", "debug", "frontdesk"))
    parser.add_argument(
        "--module", action="append", help="test module in tests/e2e (default: every test_*.py there)"
    )
    parser.add_argument(
        "--screen", default=os.environ.get("FRONTDESK_E2E_SCREEN", DEFAULT_SCREEN),
        help=f"the virtual screen, WxH (default {DEFAULT_SCREEN}, or FRONTDESK_E2E_SCREEN)",
    )
    parser.add_argument("filters", nargs="*", help="run only tests whose name contains one of these")
    opts = parser.parse_args(argv)

    app = os.path.abspath(opts.app)
    passed = failed = 0
    if not os.access(app, os.X_OK):
        log(f"app not found or not executable: {app} (cargo build -p frontdesk)")
        log("0 passed, 1 failed")
        return 1
    modules = opts.module or sorted(
        f[:-3] for f in os.listdir(HERE) if f.startswith("test_") and f.endswith(".py")
    )
    tests = collect(modules, opts.filters)
    if not os.environ.get("FRONTDESK_TEST_PG"):
        left_out = [t.__name__ for t in tests if getattr(t, "on_server", False)]
        if left_out:
            log(f"left out without FRONTDESK_TEST_PG (a PostgreSQL server): {', '.join(left_out)}")
        tests = [t for t in tests if not getattr(t, "on_server", False)]
    if not tests:
        log(f"no tests match {opts.filters}")
        log("0 passed, 1 failed")
        return 1

    shots_dir = os.path.join(ROOT, "target", "e2e")
    os.makedirs(shots_dir, exist_ok=True)
    xvfb = driver = None
    started = time.monotonic()

    # SIGTERM/SIGHUP (e.g. a CI timeout) should still run the cleanup below.
    def on_signal(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    try:
        xvfb, display = start_xvfb(screen=opts.screen)
        # For a test that reads the screen itself (tour.py takes its pictures from X).
        os.environ["FRONTDESK_E2E_DISPLAY"] = display
        # For a test that runs the command line beside the app while the app runs.
        os.environ["FRONTDESK_E2E_ADMIN"] = os.path.join(os.path.dirname(os.path.abspath(app)), "frontdesk-admin")
        driver, port = start_tauri_driver(display, os.path.join(shots_dir, "tauri-driver.log"))
        log(f"display {display}, tauri-driver on port {port}, app {app}")
        for fn in tests:
            t0 = time.monotonic()
            reason = run_test(fn, app, port, shots_dir)
            took = time.monotonic() - t0
            if reason is None:
                passed += 1
                log(f"PASS {fn.__name__} ({took:.1f}s)")
            else:
                failed += 1
                log(f"FAIL {fn.__name__} ({took:.1f}s): {reason}")
    except KeyboardInterrupt as e:
        failed += 1
        log(f"interrupted: {e}")
    except Exception as e:  # noqa: BLE001
        failed += 1
        log(f"harness error: {e}")
    finally:
        stop(driver, "tauri-driver")
        stop(xvfb, "Xvfb")
    log(f"(took {time.monotonic() - started:.1f}s; screenshots in {shots_dir})")
    log(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
