"""A screenshot tour, keyboard only, of every role's screens — not a test CI runs (run.py
collects test_*.py): the pictures are for a person to look at.

    python3 tests/e2e/run.py --module tour [--screen 1920x1080] [zh|en] [ROLE]

Each role signs in on a demo hospital (eight days ending on the day before today), in Chinese
or English, and goes through its areas with Alt+1…, their tabs, and the forms it opens by key
(Alt+T, Alt+Q, F1). The pictures are taken from the X screen (xwd → PNG, x11-apps and
imagemagick), not through WebDriver, whose screenshot waited for a repaint that a still page
never makes, and go to target/e2e/tour/<screen>/<lang>-<role>-<n>-<what>.png (or FRONTDESK_TOUR_DIR/<screen>/…).
"""

import datetime
import os
import subprocess
import zoneinfo

from test_shell import login
from webdriver import Keys, before_launch, real_first_start

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _yesterday():  # the demo's last day, so today's lists have work in them
    return (datetime.datetime.now(zoneinfo.ZoneInfo("Asia/Shanghai")).date() - datetime.timedelta(days=1)).isoformat()


class Shots:
    def __init__(self, wd, lang, role):
        self.wd, self.lang, self.role, self.n = wd, lang, role, 0
        screen = wd.execute("return `${screen.width}x${screen.height}`")
        self.dir = os.path.join(os.environ.get("FRONTDESK_TOUR_DIR") or os.path.join(ROOT, "target", "e2e", "tour"), screen)
        os.makedirs(self.dir, exist_ok=True)

    def __call__(self, what):
        self.n += 1
        self.wd.next_frames(3)
        path = os.path.join(self.dir, f"{self.lang}-{self.role}-{self.n:02d}-{what}.png")
        display = os.environ["FRONTDESK_E2E_DISPLAY"]
        xwd = subprocess.run(["xwd", "-root", "-silent", "-display", display], capture_output=True, check=True)
        subprocess.run(["/usr/bin/convert", "xwd:-", path], input=xwd.stdout, check=True)


def english(wd):
    wd.keys(Keys.ALT + "e")
    wd.wait_until(lambda: wd.execute("return document.documentElement.lang") == "en", 5, message="English")


def tabs(wd, shot, bar, key="view", then=None):
    """Each tab of the screen's tab bar, by its button (data-<key>); then(tab) after each."""
    views = wd.execute(f"return [...document.querySelectorAll('{bar} button[data-{key}]')].map((b) => b.dataset.{key})")
    for v in views:
        wd.execute(f"document.querySelector('{bar} button[data-{key}=\"{v}\"]').click()")
        wd.next_frames(4)
        wd.execute("return new Promise((r) => setTimeout(r, 400))")
        shot(f"tab-{v}")
        if then:
            then(v)


FORM = ".backdrop:not(#shortcuts) .dialog"  # a dialog opened (F1's list is one, always there)


def admin_form(wd, shot, tab):
    """The administrator's tab: its new-record form (F3), then saved empty (its main button)."""
    if not wd.exists("#admin-body button.new"):
        return
    wd.keys(Keys.F3)
    try:
        wd.wait_until(lambda: wd.exists(FORM), 5, message="the new-record form")
    except Exception:  # a tab whose F3 opens no dialog
        return
    wd.execute("return new Promise((r) => setTimeout(r, 400))")
    shot(f"form-{tab}")
    wd.execute("const d = document.querySelector(arguments[0]); const f = d.querySelector('form'); "
               "if (f) f.requestSubmit(); else d.querySelector('button.primary').click();", FORM)
    wd.execute("return new Promise((r) => setTimeout(r, 500))")
    shot(f"form-{tab}-errors")
    escape(wd)
    wd.wait_until(lambda: not wd.exists(FORM), 5, message="the form closed")


def escape(wd):
    wd.keys(Keys.ESCAPE)
    wd.next_frames(2)


def fill_screen(wd):
    """On a screen larger than the window's 1280×800 the window opens at that size; the tour
    looks at the whole screen, as a person would maximise it."""
    w, h = wd.execute("return [screen.width, screen.height]")
    if w > 1366:
        try:
            wd.cmd("POST", "/window/rect", {"x": 0, "y": 0, "width": w, "height": h})
        except Exception:  # noqa: BLE001 - a driver that cannot resize: the default window
            pass
        wd.execute("return new Promise((r) => setTimeout(r, 500))")


def tour(wd, role, lang):
    fill_screen(wd)
    login(wd, role)
    if lang == "en":
        english(wd)
    shot = Shots(wd, lang, role)
    shot("start")
    areas = wd.execute("return [...document.querySelectorAll('#nav a[data-area]')].map((a) => a.dataset.area)")
    for i, area in enumerate(areas, start=1):
        wd.keys(Keys.ALT + str(i))
        wd.next_frames(4)
        wd.execute("return new Promise((r) => setTimeout(r, 600))")
        shot(f"area-{area}")
        bar = {"complaints": "#complaint-views", "followup": "#followup-views", "quality": "#quality-views"}.get(area)
        if bar and wd.exists(bar):
            tabs(wd, shot, bar)
        if area == "admin" and role == "admin":
            tabs(wd, shot, "#main .tabs", key="tab", then=lambda tab: admin_form(wd, shot, tab))
        if area == "followup" and role == "service":
            wd.execute("document.querySelector('#followup-views button[data-view=\"due\"]').click()")
            wd.wait_until(lambda: wd.execute("return !!document.activeElement?.matches('#followup-body tr[data-id]')"), 10,
                          message="the due list, focused")
            wd.keys(Keys.ENTER)
            wd.wait_for("#call-outcomes")
            wd.keys("1")
            wd.next_frames(3)
            shot("call-reached")
            escape(wd)
            escape(wd)
        if area == "guide":
            for log in ("handover", "worklog"):
                wd.find(f"#guide-{log}").click()
                wd.execute("return new Promise((r) => setTimeout(r, 600))")
                shot(f"log-{log}")
                wd.keys(Keys.F9)
                wd.execute("return new Promise((r) => setTimeout(r, 500))")
                shot(f"log-{log}-errors")
                escape(wd)
    wd.keys(Keys.F1)
    shot("f1")
    escape(wd)
    # The forms a key opens from anywhere, empty and then refused (F9 on nothing typed).
    for key, form, name in (("t", "#complaint-intake", "intake"), ("q", "#survey-entry", "survey")):
        if not wd.execute(f"return [...document.querySelectorAll('#nav *')].some((n) => n.textContent.includes('Alt+{key.upper()}'))"):
            continue
        wd.keys(Keys.ALT + key)
        wd.wait_for(form)
        shot(name)
        wd.keys(Keys.F9)
        wd.execute("return new Promise((r) => setTimeout(r, 600))")
        shot(f"{name}-errors")
        escape(wd)

def _make(role, lang):
    @before_launch("demo", "--days", "8", "--until", _yesterday)
    def run(wd):
        tour(wd, role, lang)
    run.__name__ = f"test_tour_{lang}_{role}"
    return run


for _lang in ("zh", "en"):
    for _role in ("clerk", "guide", "service", "supervisor", "head", "admin"):
        globals()[f"test_tour_{_lang}_{_role}"] = _make(_role, _lang)


def _first_start(lang):
    """初始设置 of a new data file (no --demo): empty, refused at once, then done."""
    @real_first_start
    def run(wd):
        wd.wait_until(lambda: wd.displayed("#setup"), 20, message="初始设置")
        if lang == "en":
            english(wd)
        shot = Shots(wd, lang, "setup")
        shot("empty")
        wd.execute("document.getElementById('f-hospital_name').focus()")
        wd.type_text(Keys.ENTER * 7)
        wd.wait_until(lambda: wd.exists("#setup .field.has-error"), 10, message="refused")
        shot("refused")
        wd.type_text("青山县人民医院" + Keys.ENTER * 3 + "itadmin" + Keys.ENTER + "李建华" + Keys.ENTER)
        shot("filled")
        wd.type_text("Qingshan#2026" + Keys.ENTER + "Qingshan#2026" + Keys.ENTER)
        wd.wait_until(lambda: wd.displayed("#nav"), 20, message="signed in")
        shot("done")
    run.__name__ = f"test_tour_{lang}_setup"
    return run


for _lang in ("zh", "en"):
    globals()[f"test_tour_{_lang}_setup"] = _first_start(_lang)
