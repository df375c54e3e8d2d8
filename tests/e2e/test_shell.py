"""The shell of the app: signing in, navigation by role, the idle lock, language, shortcuts, and
times shown in the hospital's zone (the status brings it).

Each test gets a freshly launched app on a fresh database (the demo hospital) — see run.py.
DOM contract used here: #login-form, #login-username, #login-password, #login-submit,
#login-error; #nav a[data-area]; #statusbar, #status-user, #status-role; #lock-screen,
#unlock-password, #unlock-submit, #unlock-error; #shell[data-idle-lock-at] (when the idle lock
is due, epoch ms); #lang-switch; #shortcuts; #logout;
the administrator's #f-time_zone and button[data-tab="audit"], #admin-body table rows (#, time).
"""

import datetime
import re
import zoneinfo

from webdriver import Keys, app_args, on_server, real_first_start

# username -> (password, display name, areas in navigation order)
ACCOUNTS = {
    "clerk": ("clerk1234", "刘敏", ["registration", "cash"]),
    "guide": ("guide1234", "陈静", ["guide", "complaints"]),
    "service": ("service1234", "王芳", ["followup", "complaints"]),
    "supervisor": ("supervisor1234", "赵丽", ["registration", "cash", "followup", "complaints", "quality"]),
    "head": ("head1234", "孙建国", ["registration", "cash", "followup", "complaints", "quality", "admin"]),
    "admin": ("admin1234", "周强", ["admin"]),
}

CJK = re.compile(r"[\u4e00-\u9fff]")

# Logging in hashes a password (argon2), so allow a few seconds.
LOGIN_TIMEOUT = 15


# ---- helpers ---------------------------------------------------------------------------------


def wait_login_screen(wd, timeout=20):
    wd.wait_until(
        lambda: wd.execute("return document.readyState") == "complete",
        timeout,
        message="the page to load",
    )
    return wd.wait_for("#login-form", timeout)


def shell_shown(wd):
    return wd.displayed("#nav") and wd.displayed("#statusbar")


def wait_shell(wd, username):
    _, name, _ = ACCOUNTS[username]
    wd.wait_until(lambda: shell_shown(wd), LOGIN_TIMEOUT, message="the shell (#nav, #statusbar)")
    wd.wait_text("#status-user", name)


def login(wd, username, password=None):
    """Types the credentials, clicks #login-submit and waits for the shell."""
    if password is None:
        password = ACCOUNTS[username][0]
    wait_login_screen(wd)
    user = wd.find("#login-username")
    user.clear()
    user.send_keys(username)
    pw = wd.find("#login-password")
    pw.clear()
    pw.send_keys(password)
    wd.find("#login-submit").click()
    wait_shell(wd, username)


def nav_areas(wd):
    """data-area of each displayed navigation link, in page order."""
    return [a.attribute("data-area") for a in wd.find_all("#nav a[data-area]") if a.is_displayed()]


def nav_link(wd, area):
    return wd.find(f'#nav a[data-area="{area}"]')


def html_lang(wd):
    return wd.execute("return document.documentElement.lang")


def logout(wd):
    wd.find("#logout").click()
    wd.wait_for("#login-form")
    wd.wait_until(lambda: not shell_shown(wd), 5, message="the shell to be hidden after logout")


# ---- tests -----------------------------------------------------------------------------------


def test_app_starts(wd):
    """Harness mechanics: the app launches, the page loads, IPC is there, the title reads."""
    wd.wait_until(
        lambda: wd.execute("return document.readyState") == "complete", 20, message="the page to load"
    )
    title = wd.title
    assert isinstance(title, str), f"title is {title!r}"
    kind = wd.execute("return typeof window.__TAURI__")
    assert kind == "object", f"window.__TAURI__ is {kind} (not running inside the Tauri app?)"


@on_server
def test_the_desk_on_a_shared_server(wd):
    """On PostgreSQL the desk signs in and works as on a file; the status bar names the server
    and the database, never the password."""
    login(wd, "clerk")
    db = wd.execute("return document.getElementById('status-db').textContent")
    assert "PostgreSQL 127.0.0.1:" in db and "e2e_" in db, repr(db)
    assert "frontdesk-test" not in db and "frontdesk-test" not in wd.page_text(), db
    assert not wd.find("#status-clock").is_displayed()
    assert not wd.find("#status-server").is_displayed()


def test_wrong_password_refused(wd):
    wait_login_screen(wd)
    wd.find("#login-username").send_keys("clerk")
    wd.find("#login-password").send_keys("not-the-password")
    wd.find("#login-submit").click()
    err = wd.wait_until(
        lambda: wd.displayed("#login-error") and wd.find("#login-error").text.strip(),
        LOGIN_TIMEOUT,
        message="a message in #login-error",
    )
    assert CJK.search(err), f"#login-error is not in Chinese by default: {err!r}"
    assert wd.displayed("#login-form"), "the login form went away after a wrong password"
    assert not wd.displayed("#nav"), "#nav is displayed after a wrong password"
    assert not wd.displayed("#statusbar"), "#statusbar is displayed after a wrong password"


def test_navigation_by_role(wd):
    login(wd, "clerk")
    areas = nav_areas(wd)
    assert areas == ["registration", "cash"], f"clerk's navigation is {areas}"
    assert not wd.exists('#nav a[data-area="admin"]') or not nav_link(wd, "admin").is_displayed(), (
        "clerk sees an admin link"
    )
    role = wd.find("#status-role").text.strip()
    assert role, "#status-role is empty for the clerk"
    logout(wd)

    login(wd, "admin")
    areas = nav_areas(wd)
    assert "admin" in areas, f"admin's navigation has no admin link: {areas}"
    assert areas == ACCOUNTS["admin"][2], f"admin's navigation is {areas}"
    role_admin = wd.find("#status-role").text.strip()
    assert role_admin and role_admin != role, (
        f"#status-role does not change with the role: clerk {role!r}, admin {role_admin!r}"
    )


def idle_lock_at(wd):
    """The instant the page will lock if nothing happens (#shell[data-idle-lock-at], epoch ms on
    the page's clock), or None before it has said."""
    value = wd.execute("return document.getElementById('shell').dataset.idleLockAt || null")
    return int(value) if value else None


def watch_lock_screen(wd):
    """From now on the page keeps a log of the lock screen being shown or hidden, so that a test
    can wait for a change that does not last (after an unlock, the idle lock comes back)."""
    wd.execute(
        "window.lockLog = [];"
        "const n = document.getElementById('lock-screen');"
        "new MutationObserver(() => window.lockLog.push(n.hidden ? 'hidden' : 'shown'))"
        ".observe(n, { attributes: true, attributeFilter: ['hidden'] });"
    )


def lock_log(wd):
    return wd.execute("return window.lockLog || []")


@app_args("--idle-seconds", "3")
def test_idle_lock(wd):
    """A key press postpones the idle lock; left alone, the screen locks; a wrong password is
    refused on the lock screen and the right one unlocks; left alone again, it locks again.
    Nothing is timed: each step waits for what the page shows or holds."""
    login(wd, "clerk")
    before = wd.wait_until(lambda: idle_lock_at(wd), 5, message="the page's idle deadline (#shell[data-idle-lock-at])")
    wd.keys(Keys.SHIFT)
    wd.wait_until(lambda: idle_lock_at(wd) > before, 5,
                  message=lambda: f"a key press to postpone the idle lock (still {idle_lock_at(wd)}, was {before})")
    wd.wait_for("#lock-screen", timeout=15)

    wd.find("#unlock-password").send_keys("wrong-password")
    wd.find("#unlock-submit").click()
    err = wd.wait_until(
        lambda: wd.displayed("#unlock-error") and wd.find("#unlock-error").text.strip(),
        LOGIN_TIMEOUT,
        message="a message in #unlock-error",
    )
    assert wd.displayed("#lock-screen"), f"a wrong password unlocked the screen ({err!r})"

    # The right password: the lock screen goes (the log keeps that, though the 3 s idle limit
    # brings the lock back soon after), the shell is there, and nobody was signed out.
    watch_lock_screen(wd)
    pw = wd.find("#unlock-password")
    pw.clear()
    pw.send_keys("clerk1234")
    wd.find("#unlock-submit").click()
    wd.wait_until(lambda: "hidden" in lock_log(wd), LOGIN_TIMEOUT, message="the lock screen to go after the right password")
    assert not wd.displayed("#login-form"), "the right password signed the clerk out"
    assert shell_shown(wd), "the shell is not shown after unlocking"
    assert wd.find("#status-user").text.strip() == ACCOUNTS["clerk"][1]
    wd.wait_until(lambda: lock_log(wd)[-1:] == ["shown"], 15, message="the idle lock to engage again after the unlock")


def test_ctrl_l_locks(wd):
    login(wd, "clerk")
    assert not wd.displayed("#lock-screen"), "#lock-screen is displayed right after login"
    wd.keys(Keys.CONTROL + "l")
    wd.wait_for("#lock-screen", timeout=5)
    # Unlock by keyboard: password + Enter.
    wd.find("#unlock-password").send_keys("clerk1234" + Keys.ENTER)
    wd.wait_gone("#lock-screen", LOGIN_TIMEOUT)
    assert shell_shown(wd), "the shell is not shown after unlocking"


def test_language_switch(wd):
    login(wd, "clerk")
    assert html_lang(wd) == "zh-CN", f"html lang is {html_lang(wd)!r} by default"
    wd.wait_text('#nav a[data-area="registration"]', "挂号", timeout=2)

    wd.find("#lang-switch").click()
    wd.wait_until(lambda: html_lang(wd) == "en", 5, message='html lang "en"')
    wd.wait_text('#nav a[data-area="registration"]', "Registration", timeout=5)
    assert shell_shown(wd), "the shell went away when switching language"

    wd.find("#lang-switch").click()
    wd.wait_until(lambda: html_lang(wd) == "zh-CN", 5, message='html lang "zh-CN"')
    wd.wait_text('#nav a[data-area="registration"]', "挂号", timeout=5)


def test_shortcuts_overlay(wd):
    login(wd, "clerk")
    assert not wd.displayed("#shortcuts"), "#shortcuts is displayed before F1"
    wd.keys(Keys.F1)
    wd.wait_for("#shortcuts", timeout=5)
    text = wd.find("#shortcuts").text
    assert "F1" in text or "Esc" in text or "Ctrl" in text, f"#shortcuts lists no keys: {text!r}"
    wd.keys(Keys.ESCAPE)
    wd.wait_gone("#shortcuts", timeout=5)
    assert shell_shown(wd), "Esc on the overlay left the shell"


def test_keyboard_only_login(wd):
    """No clicks, no element commands: keys go to whatever has the focus."""
    wait_login_screen(wd)
    wd.wait_until(
        lambda: wd.active_id() == "login-username",
        5,
        message=lambda: f"#login-username to have the focus on the login screen (focus: {wd.active_id()!r})",
    )
    wd.type_text("clerk" + Keys.TAB)
    focus = wd.active_id()
    assert focus == "login-password", f"Tab from the username went to {focus!r}, not #login-password"
    wd.type_text("clerk1234" + Keys.ENTER)
    wait_shell(wd, "clerk")
    assert nav_areas(wd) == ["registration", "cash"], f"clerk's navigation is {nav_areas(wd)}"
    # Still keyboard only: Ctrl+L locks, password + Enter (the focus is in the unlock box) unlocks.
    wd.keys(Keys.CONTROL + "l")
    wd.wait_for("#lock-screen", timeout=5)
    wd.wait_until(lambda: wd.active_id() == "unlock-password", 5, message="the focus in #unlock-password")
    wd.type_text("clerk1234" + Keys.ENTER)
    wd.wait_gone("#lock-screen", LOGIN_TIMEOUT)


def test_times_in_hospital_zone(wd):
    """Every instant is shown in the hospital's zone, which comes with the status: the
    administrator moves the hospital to Asia/Kathmandu (UTC+5:45 — no other zone gives the same
    minutes), signs in again, and the audit log shows each entry's time there."""
    zone = "Asia/Kathmandu"
    login(wd, "admin")
    box = wd.wait_for("#f-time_zone", 10)
    box.clear()
    box.send_keys(zone)
    wd.find("#admin-body .actions .btn.primary").click()
    wd.wait_until(
        lambda: wd.execute_async(
            "const done = arguments[arguments.length - 1];"
            "window.__TAURI__.core.invoke('app_status').then((s) => done(s.time_zone), () => done(null));"
        ) == zone,
        10,
        message=f"the hospital's zone saved as {zone}",
    )
    logout(wd)
    login(wd, "admin")
    wd.find('button[data-tab="audit"]').click()
    row = wd.wait_for("#admin-body table.grid tbody tr", 10)
    entry_id, shown = (c.text.strip() for c in row.find_all("td")[:2])
    entries = wd.execute_async(
        "const done = arguments[arguments.length - 1];"
        "window.__TAURI__.core.invoke('audit_list', { entity: null, limit: 200 }).then(done, (e) => done(String(e.message || e)));"
    )
    at = next(e["at"] for e in entries if str(e["id"]) == entry_id)
    expected = datetime.datetime.fromtimestamp(at / 1000, zoneinfo.ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M:%S")
    assert shown == expected, f"audit entry {entry_id} at {at} is shown as {shown!r}, not {expected!r} ({zone})"


# ---- 初始设置: a new data file started as a hospital would (no --demo) -----------------------

SETUP_FIELDS = ["hospital_name", "time_zone", "receipt_header", "admin_username", "admin_name", "password", "password_again"]


def setup_box(wd):
    return wd.execute(
        """
const c = document.querySelector('#setup .setup-card').getBoundingClientRect();
const card = document.querySelector('#setup .setup-card');
return { top: c.top, bottom: c.bottom, right: c.right, innerH: innerHeight, innerW: innerWidth,
         scrolls: card.scrollHeight > card.clientHeight + 1 };
"""
    )


def refused_fields(wd):
    return wd.execute(
        "return [...document.querySelectorAll('#setup .field.has-error')].map((f) => f.dataset.key)"
    )


def assert_fits(wd, when):
    box = setup_box(wd)
    assert box["top"] >= 0 and box["bottom"] <= box["innerH"] and box["right"] <= box["innerW"], f"{when}: {box}"
    assert not box["scrolls"], f"{when}: the form scrolls inside its card: {box}"


@real_first_start
def test_a_new_data_file_asks_for_the_hospital_and_its_administrator(wd):
    """Without --demo a new data file shows 初始设置, not the sign-in, and it is done with the
    keyboard alone on a 1366×768 screen in either language: Enter through the empty form is
    refused with every problem at once, two passwords that differ are typed again, and then the
    hospital is set up, its administrator signed in and started in 管理 — with no demo account
    and no 示范数据 in the status bar."""
    wd.wait_until(lambda: wd.displayed("#setup"), 20, message="初始设置 (#setup)")
    assert not wd.displayed("#login-form"), "the sign-in is shown beside 初始设置"
    wd.wait_until(lambda: wd.active_id() == "f-hospital_name", 5,
                  message=lambda: f"the cursor in the hospital's name (focus: {wd.active_id()!r})")
    assert wd.find("#f-time_zone").prop("value") == "Asia/Shanghai"
    assert_fits(wd, "初始设置")

    # Enter through every field: the last submits, and everything missing is said at once.
    wd.type_text(Keys.ENTER * len(SETUP_FIELDS))
    wd.wait_until(lambda: len(refused_fields(wd)) >= 3, 10, message="the empty form refused")
    assert refused_fields(wd) == ["hospital_name", "username", "password"], refused_fields(wd)
    text = wd.find("#setup").text
    assert "请填写医院名称" in text and "请填写用户名" in text, text
    assert wd.active_id() == "f-hospital_name", wd.active_id()
    assert_fits(wd, "初始设置 with three refusals")

    # In English (Alt+E) the form says the same, with what was typed kept.
    wd.type_text("青山县人民医院")
    wd.keys(Keys.ALT + "e")
    wd.wait_text("#setup h1", "First start", timeout=5)
    assert wd.find("#f-hospital_name").prop("value") == "青山县人民医院"
    assert "Hospital name" in wd.find("#setup").text
    assert wd.find("#f-receipt_header").attribute("placeholder") == "青山县人民医院 门诊挂号收据"
    assert_fits(wd, "First start (English)")
    wd.keys(Keys.ALT + "e")
    wd.wait_text("#setup h1", "初始设置", timeout=5)

    # The rest, with the second password mistyped.
    wd.execute("document.getElementById('f-hospital_name').focus()")
    wd.type_text(Keys.ENTER + Keys.ENTER + Keys.ENTER + "itadmin" + Keys.ENTER + "李建华" + Keys.ENTER
                 + "Qingshan#2026" + Keys.ENTER + "Qingshan#2025" + Keys.ENTER)
    wd.wait_until(lambda: refused_fields(wd) == ["password_again"], 10,
                  message=lambda: f"the second password refused (refused: {refused_fields(wd)})")
    assert "两次输入的密码不一致" in wd.find("#setup").text
    assert wd.active_id() == "f-password", f"the cursor is in {wd.active_id()!r}, not the first password"
    assert wd.find("#f-password").prop("value") == "" and wd.find("#f-password_again").prop("value") == ""
    # Enter pressed twice while the password is hashed sets the hospital up once.
    wd.type_text("Qingshan#2026" + Keys.ENTER + "Qingshan#2026" + Keys.ENTER + Keys.ENTER)

    wd.wait_until(lambda: shell_shown(wd), LOGIN_TIMEOUT, message="the shell after 初始设置")
    wd.next_frames(3)
    assert not wd.displayed("#login-form"), "a second Enter put the sign-in over the shell"
    wd.wait_text("#status-user", "李建华")
    assert nav_areas(wd) == ["admin"], nav_areas(wd)
    hospital = wd.execute("return document.getElementById('status-hospital').textContent")
    assert hospital == "青山县人民医院", repr(hospital)
    assert not wd.find("#status-demo").is_displayed(), "a real hospital is called 示范数据"
    assert "下一步" in wd.page_text(), "the administrator is not told what comes next"
    staff = wd.execute_async(
        "const done = arguments[arguments.length - 1];"
        "window.__TAURI__.core.invoke('staff_list').then((s) => done(s.map((p) => p.username)), (e) => done(String(e.message || e)));"
    )
    assert staff == ["itadmin"], f"accounts after 初始设置: {staff}"
    # Signed out, the sign-in (not 初始设置 again) is what the next person sees.
    logout(wd)
    wait_login_screen(wd)
    assert not wd.displayed("#setup")
    login_as = wd.find("#login-hospital").text
    assert login_as == "青山县人民医院", login_as


@real_first_start
def test_a_desk_waiting_on_its_first_start_signs_in_once_another_has_set_the_hospital_up(wd):
    """Two desks of one hospital start on a new database: while this one shows 初始设置, the
    other (here the command line) sets the hospital up, and this one turns to the sign-in,
    saying so, with nothing typed twice."""
    import os
    import subprocess

    wd.wait_until(lambda: wd.displayed("#setup"), 20, message="初始设置 (#setup)")
    db = wd.execute_async(
        "const done = arguments[arguments.length - 1];"
        "window.__TAURI__.core.invoke('app_status').then((s) => done(s.db_path), (e) => done(null));"
    ).strip("\u200e")
    out = subprocess.run(
        [os.environ["FRONTDESK_E2E_ADMIN"], "--db", db, "init", "--hospital", "青山县人民医院",
         "--admin", "itadmin", "--password-stdin"],
        input="Qingshan#2026\n", capture_output=True, text=True, timeout=120,
    )
    assert out.returncode == 0, out.stderr
    wd.wait_until(lambda: wd.displayed("#login-form"), 15, message="the sign-in after another desk's setup")
    assert not wd.displayed("#setup")
    wd.wait_text("#login-error", "另一台电脑")
    assert wd.find("#login-hospital").text == "青山县人民医院"
