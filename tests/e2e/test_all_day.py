"""The guide desk, customer service and supervisors all day (issue #24): the window on the screen
it opens on, and texts that are never cut short without a word.

Runs on the runner's screen (1366×768 unless --screen says otherwise).
DOM contract used here: #shell, #main, #statusbar, #nav a[data-area]; the complaint intake
(#complaint-intake, #ci-description, #ci-save, .rfield[data-field] .field-error); #limit-tip.
"""

from test_complaints import focused, intake, open_case, snap
from test_shell import ACCOUNTS, login
from webdriver import Keys

PASTE = """
const [id, text] = arguments;
const box = document.getElementById(id);
box.focus();
box.select?.();
document.execCommand('insertText', false, text);
return box.value.length;
"""


def layout(wd):
    return wd.execute(
        """
const r = (id) => document.getElementById(id).getBoundingClientRect();
return { screenW: screen.width, screenH: screen.height, innerW: innerWidth, innerH: innerHeight,
         mainBottom: r('main').bottom, statusTop: r('statusbar').top, statusBottom: r('statusbar').bottom };
"""
    )


def test_the_window_fits_the_screen_and_every_screen_ends_above_the_status_bar(wd):
    """The window opened at 1280×800 on a 768-high screen: it takes the screen instead, and on
    every area of the department head (who sees them all) the work ends above the status bar."""
    login(wd, "head")
    first = layout(wd)
    assert first["innerH"] <= first["screenH"] and first["innerW"] <= first["screenW"], (
        f"the window is larger than the screen: {first}"
    )
    for n, area in enumerate(ACCOUNTS["head"][2], start=1):
        wd.keys(Keys.ALT + str(n))
        wd.wait_until(lambda: "current" in (wd.find(f'#nav a[data-area="{area}"]').attribute("class") or ""),
                      5, message=f"{area} shown")
        wd.next_frames(2)
        box = layout(wd)
        assert box["statusBottom"] <= box["innerH"] + 0.5, f"{area}: the status bar is below the window: {box}"
        assert box["mainBottom"] <= box["statusTop"] + 0.5, f"{area}: the work runs under the status bar: {box}"


def test_a_text_longer_than_its_limit_is_said_and_refused_never_cut(wd):
    """5,000 characters pasted into a complaint's description: all 5,000 stay in the box, the
    limit is said beside it while typing, and saving is refused with a message beside the field
    — nothing recorded; shortened to the limit, it is recorded whole."""
    login(wd, "guide")
    intake(wd, "孔令辉", "13800001234", "先写几个字", record=False)
    long_text = "候诊时间太长" * 833 + "等了"  # 5,000 characters
    assert len(long_text) == 5000
    kept = wd.execute(PASTE, "ci-description", long_text)
    assert kept == 5000, f"the pasted text was cut to {kept} characters"
    tip = wd.wait_for("#limit-tip", 5)
    assert "5000/1000" in tip.text and "4000" in tip.text, f"the limit beside the field says {tip.text!r}"
    snap(wd, "all_day_limit_said")
    wd.keys(Keys.F9)
    wd.wait_until(
        lambda: "1000" in wd.find('#complaint-intake .rfield[data-field="description"] .field-error').text,
        10, message="the description refused beside its field",
    )
    error = wd.find('#complaint-intake .rfield[data-field="description"] .field-error').text
    assert "最多 1000" in error, error
    assert wd.displayed("#complaint-intake"), "the form stays open with what was typed"
    assert wd.execute("return document.getElementById('ci-description').value.length") == 5000
    snap(wd, "all_day_limit_refused")

    # Shortened to exactly the limit, it is recorded whole.
    exact = long_text[:1000]
    assert wd.execute(PASTE, "ci-description", exact) == 1000
    focused(wd, "ci-description")
    wd.keys(Keys.F9)
    wd.wait_gone("#complaint-intake", 10)
    wd.find('#nav a[data-area="complaints"]').click()
    open_case(wd)
    wd.wait_until(lambda: exact in wd.find("#case").text, 10, message="the whole description on the case page")
