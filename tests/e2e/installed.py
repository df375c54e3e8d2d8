"""The installed package (not collected by a plain run: scripts/test-package.sh runs it with
``--module installed --app /usr/bin/frontdesk`` after ``apt-get install ./frontdesk_…deb``).

The installed app opens a data file written at schema 17 (the upgrade fixture of the core's
tests): it copies it into the backup folder and verifies the copy before migrating it, says so
on the sign-in screen, and the clerk signs in; afterwards every row of the old file is still
there and ``/usr/bin/frontdesk-admin verify`` holds. And a new data file asks for 初始设置.
"""

import atexit
import gzip
import os
import shutil
import sqlite3
import subprocess
import tempfile

from test_shell import ACCOUNTS, login, nav_areas, shell_shown, wait_login_screen
from webdriver import real_first_start, starts_from

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURE = os.path.join(ROOT, "crates", "frontdesk-core", "tests", "fixtures", "schema17.db.gz")
ADMIN = "/usr/bin/frontdesk-admin"

INVOKE = """
const done = arguments[arguments.length - 1];
window.__TAURI__.core.invoke(arguments[0], arguments[1] || {}).then((v) => done({ ok: v }), (e) => done({ error: e }));
"""


def _unpacked():
    folder = tempfile.mkdtemp(prefix="frontdesk-schema17-")
    atexit.register(shutil.rmtree, folder, True)
    path = os.path.join(folder, "schema17.db")
    with gzip.open(FIXTURE) as packed, open(path, "wb") as out:
        out.write(packed.read())
    return path


OLD = _unpacked()


def status(wd):
    out = wd.execute_async(INVOKE, "app_status")
    assert "ok" in out, out
    return out["ok"]


def rows_lost(old, new):
    """Tables of `old` whose rows (on the old file's columns) `new` does not hold as they were."""
    db = sqlite3.connect(f"file:{new}?mode=ro", uri=True)
    db.execute("ATTACH DATABASE ? AS old", (f"file:{old}?mode=ro",))
    lost = {}
    tables = [r[0] for r in db.execute(
        "SELECT name FROM old.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    assert len(tables) > 30, tables
    for t in tables:
        cols = ", ".join(f'"{r[1]}"' for r in db.execute(f"PRAGMA old.table_info('{t}')"))
        (missing,) = db.execute(
            f'SELECT count(*) FROM (SELECT {cols} FROM old."{t}" EXCEPT SELECT {cols} FROM main."{t}")').fetchone()
        if missing:
            lost[t] = missing
    return lost


@starts_from(OLD)
def test_the_installed_app_upgrades_an_older_file_keeping_every_row_and_the_clerk_signs_in(wd):
    wait_login_screen(wd, timeout=60)
    s = status(wd)
    upgraded = s["upgraded"]
    assert upgraded and upgraded["from_schema"] == 17, s
    note = wd.find("#login-upgraded").text
    assert "数据结构第 17 版" in note and "before-upgrade-schema17" in note, note
    wd.screenshot(os.path.join(ROOT, "target", "e2e", "installed-upgraded-sign-in.png"))
    copy = upgraded["backup"]
    assert os.path.dirname(copy) == os.path.join(os.path.dirname(s["db_path"].strip("\u200e")), "backups"), (copy, s["db_path"])
    login(wd, "clerk")
    assert nav_areas(wd) == ACCOUNTS["clerk"][2]
    db = s["db_path"].strip("\u200e")
    assert rows_lost(OLD, db) == {}, "the upgrade lost rows"
    assert rows_lost(OLD, copy) == {} and rows_lost(copy, OLD) == {}, "the copy is not the data as it was"
    for f in (db, copy):
        out = subprocess.run([ADMIN, "--db", f, "verify"], capture_output=True, text=True, timeout=300)
        assert out.returncode == 0, f"verify {f}: {out.stdout}{out.stderr}"


@real_first_start
def test_the_installed_app_asks_a_new_data_file_for_its_first_start(wd):
    wd.wait_until(lambda: wd.displayed("#setup"), 60, message="初始设置 (#setup)")
    assert not shell_shown(wd)
