"""The guide desk, customer service and supervisors all day (issue #24): the window on the screen
it opens on, and texts that are never cut short without a word.

Runs on the runner's screen (1366×768 unless --screen says otherwise).
DOM contract used here: #shell, #main, #statusbar, #nav a[data-area]; the complaint intake
(#complaint-intake, #ci-description, #ci-save, .rfield[data-field] .field-error); #limit-tip.
"""

from test_complaints import focused, intake, open_case, snap
from test_followups import three_days_ago
from test_shell import ACCOUNTS, login
from tour import _yesterday
from webdriver import Keys, before_launch

PASTE = """
const [id, text] = arguments;
const box = document.getElementById(id);
box.focus();
box.select?.();
document.execCommand('insertText', false, text);
return box.value.length;
"""


INVOKE = """
const done = arguments[arguments.length - 1];
window.__TAURI__.core.invoke(arguments[0], arguments[1]).then((v) => done({ ok: v }), (e) => done({ error: e }));
"""


def invoke(wd, cmd, args):
    out = wd.execute_async(INVOKE, cmd, args)
    assert "ok" in out, f"{cmd}: {out}"
    return out["ok"]


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


def open_intake_on_who(wd):
    wd.keys(Keys.ALT + "t")
    wd.wait_for("#complaint-intake")
    focused(wd, "ci-kind", "when the form opens")
    wd.keys(Keys.ENTER)
    focused(wd, "ci-channel")
    wd.keys(Keys.ENTER)
    focused(wd, "ci-who")


def hit_rows(wd):
    return wd.execute(
        "return [...document.querySelectorAll('#ci-hits .hit')].map((r) => ({"
        " name: r.querySelector('.hit-name').textContent, active: r.classList.contains('active'),"
        " selected: r.getAttribute('aria-selected'),"
        " lit: getComputedStyle(r).backgroundColor !== getComputedStyle(r.parentElement).backgroundColor }))"
    )


@before_launch("demo", "--days", "1", "--until", "2026-03-06")
def test_the_intake_search_picks_as_the_registration_desk_does(wd):
    """One match is highlighted and Enter takes it: the patient's name replaces what was typed,
    the list closes and the cursor goes on to the phone. With several, ↓ moves the highlight and
    Enter takes the highlighted one; Esc closes the list and leaves the form open."""
    login(wd, "guide")
    # A card number names one patient of the demo's index.
    some = invoke(wd, "complaint_patient_search", {"query": "张"})
    assert len(some) > 1, f"the demo's patients named 张: {some}"
    card, name = some[0]["card_no"], some[0]["name"]

    open_intake_on_who(wd)
    type_here = wd.active_element().send_keys
    type_here(card)
    wd.wait_until(lambda: len(hit_rows(wd)) == 1, 10, message="one match listed")
    [row] = hit_rows(wd)
    assert row["active"] and row["selected"] == "true" and row["lit"], f"the single match is highlighted: {row}"
    snap(wd, "all_day_intake_one_match")
    wd.keys(Keys.ENTER)
    focused(wd, "ci-contact", "after Enter took the match")
    assert wd.execute("return document.getElementById('ci-who').value") == name, "the typed card became the name"
    assert not wd.displayed("#ci-hits"), "the list closed"
    assert card in wd.find("#complaint-intake .ci-picked").text

    # Several: ↓ ↓ highlights the second, Enter takes it.
    wd.execute("document.getElementById('ci-who').focus()")
    focused(wd, "ci-who")
    wd.execute("const w = document.getElementById('ci-who'); w.value = ''; w.dispatchEvent(new Event('input'));")
    type_here("张")
    wd.wait_until(lambda: len(hit_rows(wd)) > 1, 10, message="several matches listed")
    assert not any(r["active"] for r in hit_rows(wd)), "none highlighted until chosen"
    wd.keys(Keys.ARROW_DOWN, Keys.ARROW_DOWN)
    rows = hit_rows(wd)
    assert [r["active"] for r in rows][:2] == [False, True] and rows[1]["lit"], rows
    second = rows[1]["name"]
    wd.keys(Keys.ENTER)
    focused(wd, "ci-contact")
    assert wd.execute("return document.getElementById('ci-who').value") == second

    # Esc closes the list, not the form.
    wd.execute("document.getElementById('ci-who').focus()")
    wd.execute("const w = document.getElementById('ci-who'); w.value = ''; w.dispatchEvent(new Event('input'));")
    type_here("张")
    wd.wait_until(lambda: len(hit_rows(wd)) > 1, 10, message="the list again")
    wd.keys(Keys.ESCAPE)
    wd.wait_until(lambda: not wd.displayed("#ci-hits"), 5, message="Esc closed the list")
    assert wd.displayed("#complaint-intake"), "and the form stays"


def test_every_problem_of_the_intake_is_shown_at_once_the_cursor_on_the_first(wd):
    """F9 on an intake with four problems shows four, each beside its field, the cursor on the
    first; a date that names no day is said to be one."""
    login(wd, "guide")
    open_intake_on_who(wd)
    wd.active_element().send_keys("张3")
    wd.execute("const c = document.getElementById('ci-channel'); c.value = ''; c.dispatchEvent(new Event('change'));")
    wd.find("#ci-received").send_keys("2026-13-45 09:30")
    wd.keys(Keys.F9)
    errors = lambda: wd.execute(  # noqa: E731
        "return Object.fromEntries([...document.querySelectorAll('#complaint-intake .rfield.has-error')]"
        ".map((f) => [f.dataset.field, f.querySelector('.field-error').textContent]))"
    )
    wd.wait_until(lambda: len(errors()) >= 4, 10, message=lambda: f"four problems shown at once: {errors()}")
    shown = errors()
    for f in ("received_at", "complainant", "description", "category_id"):
        assert f in shown, f"{f} not shown: {shown}"
    assert "没有这一天" in shown["received_at"], shown["received_at"]
    focused(wd, "ci-received", "the first problem's field")
    snap(wd, "all_day_intake_every_problem")


@before_launch("demo", "--days", "8", "--until", "2026-03-06")
def test_a_case_waiting_for_someone_else_offers_no_step_that_gives_it_away(wd):
    """Customer service opens a case waiting for 主管批示: no step is offered, so Enter hands
    nothing away — it says to choose one; choosing 移交 names nobody until someone is chosen."""
    login(wd, "service")
    cases = invoke(wd, "complaint_list", {"view": "open", "limit": 500})
    waiting = [c for c in cases if c["state"] == "proposed"]
    assert waiting, f"the demo leaves a case waiting for approval: {[c['state'] for c in cases]}"
    wd.keys(Keys.ALT + "2")
    wd.wait_for("#complaint-views")
    wd.execute("window.dispatchEvent(new CustomEvent('frontdesk:open-complaint', { detail: arguments[0] }))",
               waiting[0]["id"])
    wd.wait_until(lambda: wd.exists("#case") and wd.find("#case").attribute("data-state") == "proposed", 10,
                  message="the waiting case opened")
    focused(wd, "step-action", "on the case page")
    assert wd.execute("return document.getElementById('step-action').value") == "", "no step offered"
    assert not wd.exists("#step-owner"), "nobody preselected to hand the case to"
    snap(wd, "all_day_case_waiting")
    wd.keys(Keys.ENTER)
    wd.wait_until(lambda: "步骤" in wd.find('#case-step .rfield[data-field="action"] .field-error').text, 10,
                  message="Enter asks for a step")
    assert wd.find("#case-owner").text == waiting[0]["owner"], "the case stays with its owner"

    # 移交 chosen on purpose: whom it goes to is still to be chosen.
    wd.execute("const a = document.getElementById('step-action'); a.value = 'hand_over'; a.dispatchEvent(new Event('change'));")
    assert wd.execute("return document.getElementById('step-owner').value") == "", "nobody preselected"


HOMES = {"clerk": "registration", "guide": "guide", "service": "followup",
         "supervisor": "complaints", "head": "quality", "admin": "admin"}


def test_each_role_starts_on_its_own_work(wd):
    """Signing in lands each role where its day's work is: the supervisor on the complaints
    waiting for approval, not on 挂号's float count; the head on the department's targets."""
    for user, home in HOMES.items():
        login(wd, user)
        wd.wait_until(lambda: wd.exists("#nav a.current"), 10, message=f"{user}: an area shown")
        current = wd.find("#nav a.current").attribute("data-area")
        assert current == home, f"{user} starts on {current}, not {home}"
        if user == "supervisor":
            assert not wd.exists("#shift-panel"), "no float to count"
            snap(wd, "all_day_supervisor_starts")
        wd.find("#logout").click()
        wd.wait_for("#login-form")


def test_a_praise_is_spoken_of_as_a_praise(wd):
    """A praise is given by someone, about something, passed on and closed: the form, the
    message on saving and the list say so — no 投诉人, no deadline to acknowledge, no 已答复客户
    beside 待受理."""
    login(wd, "guide")
    wd.keys(Keys.ALT + "t")
    wd.wait_for("#complaint-intake")
    focused(wd, "ci-kind")
    wd.execute("const k = document.getElementById('ci-kind'); k.value = 'praise'; k.dispatchEvent(new Event('change'));")
    label = lambda key: wd.find(f'#complaint-intake .rfield[data-field="{key}"] > label').text  # noqa: E731
    assert (label("complainant"), label("description")) == ("表扬人", "表扬的事"), (label("complainant"), label("description"))
    assert "投诉" not in label("request"), label("request")
    wd.find("#ci-who").send_keys("林晓")
    wd.execute("const d = document.getElementById('ci-department'); d.selectedIndex = 1; d.dispatchEvent(new Event('change'));")
    wd.find("#ci-description").send_keys("护士耐心细致，帮老人挂号取药")
    snap(wd, "all_day_praise_form")
    wd.keys(Keys.F9)
    toast = lambda: wd.execute("return [...document.querySelectorAll('.toast')].map((t) => t.textContent).join(' ')")  # noqa: E731
    wd.wait_until(lambda: "已登记" in toast(), 10, message="the message on saving")
    notice = toast()
    assert "表扬" in notice and "受理" not in notice, notice
    wd.wait_gone("#complaint-intake", 10)
    wd.keys(Keys.ALT + "2")
    row = wd.wait_for("#complaint-body tbody tr", 10).text
    assert "待转达" in row and "无时限" in row, row
    assert "已答复客户" not in row and "待受理" not in row, row
    snap(wd, "all_day_praise_listed")


def test_an_empty_list_says_what_would_be_in_it(wd):
    """我负责的 with nothing in it says which cases would be there, not only 暂无记录."""
    login(wd, "service")
    wd.keys(Keys.ALT + "2")
    wd.wait_for("#complaint-views")
    wd.find('#complaint-views button[data-view="mine"]').click()
    wd.wait_until(lambda: wd.exists("#complaint-body .empty"), 10, message="the empty list")
    text = wd.find("#complaint-body .empty").text
    assert "您登记的或移交给您的" in text and text != "暂无记录", text


COUNTS = """
const badge = document.querySelector('#followup-views button[data-view="due"] .tab-count');
const bar = [...document.querySelectorAll('#status-followups .warn-count')].map((s) => s.textContent).join(' ');
return { tab: badge ? Number(badge.textContent) : 0, bar };
"""


@before_launch("demo", "--days", "1", "--until", three_days_ago)
def test_the_tabs_counts_follow_the_calls_as_the_status_bar_does(wd):
    """After a call is saved, the 待回访 tab's count is the status bar's, one fewer."""
    login(wd, "service")
    wd.wait_for("#followups")
    wd.wait_until(lambda: wd.execute("return document.activeElement && document.activeElement.matches('#followup-body tr[data-id]')"),
                  15, message="the due list, focused")
    before = wd.execute(COUNTS)
    assert before["tab"] > 1 and str(before["tab"]) in before["bar"], before
    wd.keys(Keys.ENTER)
    focused(wd, "call-outcomes", "when the call opens")
    wd.keys("2")  # 无人接听
    focused(wd, "call-note")
    wd.keys(Keys.ENTER)
    wd.wait_until(lambda: wd.execute(COUNTS)["tab"] == before["tab"] - 1, 10,
                  message=lambda: f"the tab counts the call: {before} → {wd.execute(COUNTS)}")
    after = wd.execute(COUNTS)
    assert str(after["tab"]) in after["bar"], f"the tab and the status bar agree: {after}"


def open_call(wd, fid):
    wd.execute("window.dispatchEvent(new CustomEvent('frontdesk:open-followup', { detail: arguments[0] }))", fid)
    wd.wait_until(lambda: wd.exists("#call") and wd.find("#call").attribute("data-id") == str(fid), 10,
                  message="the call screen")
    focused(wd, "call-outcomes", "when the call opens")


@before_launch("demo", "--days", "1", "--until", three_days_ago)
def test_the_call_screen_takes_back_an_outcome_raises_a_concern_and_announces_the_last_try(wd):
    """On the call screen: Esc takes back the outcome chosen and says so; F8 saves a concern and
    raises it as a complaint with no mouse; the third and last try is announced as the last."""
    login(wd, "service")
    wd.wait_for("#followups")
    due = invoke(wd, "followup_list", {"view": "due", "filter": None, "limit": 50})
    assert len(due) >= 2, due
    first, second = due[0]["id"], due[1]["id"]

    # Esc with an outcome chosen takes it back, and says so; the call stays open.
    open_call(wd, first)
    assert not wd.exists("#call-last-try"), "a first try is not the last"
    wd.keys("2")
    focused(wd, "call-note", "after 无人接听")
    wd.keys(Keys.ESCAPE)
    focused(wd, "call-outcomes", "Esc went back to the outcome")
    assert not wd.execute("return !!document.querySelector('#call-outcomes .current')"), "no outcome chosen"
    toast = wd.execute("return [...document.querySelectorAll('.toast')].map((t) => t.textContent).join(' ')")
    assert "撤销" in toast, toast
    assert wd.exists("#call"), "the call stays open"

    # Reached, a concern typed with its department: F8 saves and opens the intake, linked.
    wd.keys("1")
    focused(wd, "rate-registration")
    for _ in range(6):
        wd.keys("1")
    focused(wd, "call-words")
    wd.keys(Keys.ENTER)
    focused(wd, "call-concern")
    wd.active_element().send_keys("挂号窗口态度生硬")
    wd.keys(Keys.ENTER)
    focused(wd, "call-concern-dept")
    wd.keys(Keys.ARROW_DOWN)
    wd.keys(Keys.F8)
    wd.wait_for("#complaint-intake", 10)
    assert wd.execute("return document.getElementById('ci-description').value") == "挂号窗口态度生硬"
    snap(wd, "all_day_call_raise")
    wd.wait_until(lambda: wd.exists("#ci-category"), 5)
    wd.execute("const c = document.getElementById('ci-category'); c.selectedIndex = 1; c.dispatchEvent(new Event('change'));")
    wd.keys(Keys.F9)
    wd.wait_gone("#complaint-intake", 10)
    wd.wait_until(lambda: wd.exists("#call-concerns .concern-complaint"), 10, message="the concern linked to its complaint")

    # Two tries unanswered: the third is announced as the last.
    for _ in range(2):
        invoke(wd, "followup_attempt", {"input": {"followup_id": second, "outcome": "no_answer", "note": "", "answer": None}})
    open_call(wd, second)
    assert "最后一次" in wd.find("#call-last-try").text
    assert "最后一次" in wd.find("#call-last-try-note").text
    snap(wd, "all_day_call_last_try")
    # Reached, the warning beside the outcomes has nothing more to say; taken back, it is there.
    wd.keys("1")
    wd.wait_until(lambda: not wd.find("#call-last-try-note").is_displayed(), 5, message="the note gone once reached")
    wd.keys(Keys.ESCAPE)
    wd.wait_until(lambda: wd.find("#call-last-try-note").is_displayed(), 5, message="the note back with the outcome taken back")


@before_launch("demo", "--days", "8", "--until", "2026-03-06")
def test_departments_are_ticked_with_the_keyboard_and_show_their_focus(wd):
    """确定处理部门: the department in focus shows a ring; Enter ticks it and stays, ↓ moves on."""
    login(wd, "service")
    accepted = [c for c in invoke(wd, "complaint_list", {"view": "open", "limit": 500}) if c["state"] == "accepted"]
    assert accepted, "the demo leaves a case accepted"
    wd.keys(Keys.ALT + "2")
    wd.wait_for("#complaint-views")
    wd.execute("window.dispatchEvent(new CustomEvent('frontdesk:open-complaint', { detail: arguments[0] }))", accepted[0]["id"])
    wd.wait_until(lambda: wd.exists("#case") and wd.find("#case").attribute("data-state") == "accepted", 10,
                  message="the accepted case")
    focused(wd, "step-action")
    assert wd.execute("return document.getElementById('step-action').value") == "assign"
    wd.keys(Keys.ENTER)
    boxes = "#step-departments input"
    wd.wait_until(lambda: wd.execute(f"return document.activeElement === document.querySelector('{boxes}')"), 5,
                  message="the first department in focus")
    ring = wd.execute("const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth]")
    assert ring[0] != "none" and ring[1] != "0px", f"the focus is shown: {ring}"
    state = lambda: wd.execute(f"return [...document.querySelectorAll('{boxes}')].map((b) => b.checked)")  # noqa: E731
    before = state()
    wd.keys(Keys.ENTER)
    after = state()
    assert after[0] != before[0] and after[1:] == before[1:], f"Enter ticked the first only: {before} → {after}"
    assert wd.execute(f"return document.activeElement === document.querySelector('{boxes}')"), "and stayed on it"
    wd.keys(Keys.ARROW_DOWN, Keys.ENTER)
    assert state()[1] != before[1], "↓ then Enter ticked the second"
    snap(wd, "all_day_departments_keys")


def test_the_shortcut_list_opens_at_its_top_and_names_every_f9(wd):
    """F1 shows the shortcuts from their top (it opened scrolled to its bottom), and F9 is named
    for the survey form and the guide desk's logs as well."""
    login(wd, "guide")
    wd.keys(Keys.F1)
    wd.wait_for("#shortcuts")
    wd.next_frames(2)
    assert wd.execute("return document.querySelector('#shortcuts .shortcuts-list').scrollTop") == 0, "opened at its top"
    text = wd.find("#shortcuts").text
    assert "问卷录入" in text and "交班记录" in text, text
    # The list scrolls between the title and the close button, which stays in view on a 768-high
    # screen (the table, which cannot scroll, pushed it out of the dialog).
    box = wd.execute("""
const r = (q) => document.querySelector(q).getBoundingClientRect();
const list = document.querySelector('#shortcuts .shortcuts-list');
return { close: r('#shortcuts-close').bottom, dialog: r('#shortcuts .dialog').bottom,
         scrolls: list.scrollHeight > list.clientHeight, screen: innerHeight };""")
    assert box["close"] <= box["dialog"] <= box["screen"], box
    snap(wd, "all_day_shortcuts")


def test_a_refused_field_stays_in_line_with_its_neighbours(wd):
    """抽查: a period that names no day is refused beside 从, and 从 stays level with 到 (it rose
    above the row when its error line appeared)."""
    login(wd, "supervisor")
    wd.keys(Keys.ALT + "3")
    wd.wait_for("#followup-views")
    wd.execute("document.querySelector('#followup-views button[data-view=\"spot\"]').click()")
    wd.wait_for("#sc-from")
    tops = lambda: wd.execute("return ['sc-from', 'sc-to'].map((id) => Math.round(document.getElementById(id).getBoundingClientRect().top))")  # noqa: E731
    level = tops()
    wd.execute("const f = document.getElementById('sc-from'); f.value = '2026-13-45'; f.focus();")
    wd.find("#sc-draw").click()
    wd.wait_until(lambda: "没有这一天" in wd.find('.sc-new .rfield[data-field="from"] .field-error').text, 10,
                  message="the day that does not exist, beside 从")
    assert tops()[0] == tops()[1] == level[0], f"从 and 到 stay level: {level} → {tops()}"
    snap(wd, "all_day_spot_refused")


def test_the_handover_shows_every_problem_at_once(wd):
    """交班记录 saved empty: what was handed over and to whom are both asked for at once."""
    login(wd, "guide")
    wd.find("#guide-handover").click()
    wd.wait_for("#log-form")
    wd.keys(Keys.F9)
    shown = lambda: wd.execute(  # noqa: E731
        "return [...document.querySelectorAll('#log-form .rfield.has-error')].map((f) => f.dataset.field)")
    wd.wait_until(lambda: set(shown()) >= {"log_body", "taken_by"}, 10, message=lambda: f"both refused: {shown()}")
    focused(wd, "log-body", "the first problem's field")


def test_the_new_patient_form_shows_every_problem_at_once(wd):
    """新患者 saved with no name, no sex, a day that does not exist and a short phone: all four
    are said at once beside their fields, the cursor on the name, and no patient is made."""
    from test_registration import start

    start(wd)
    wd.keys(Keys.F3)
    wd.wait_for("#f-name", 5)
    focused(wd, "f-name")
    wd.find("#f-birth_date").send_keys("2026-13-45")
    wd.find("#f-phone").send_keys("12345")
    wd.find("#patient-save").click()
    shown = lambda: wd.execute(  # noqa: E731
        "return Object.fromEntries([...document.querySelectorAll('.field.has-error')]"
        ".map((f) => [f.dataset.key, f.querySelector('.field-error').textContent]))")
    wd.wait_until(lambda: len(shown()) >= 4, 10, message=lambda: f"four problems at once: {shown()}")
    errors = shown()
    assert set(errors) == {"patient_name", "sex", "birth_date", "phone"}, errors
    assert "没有这一天" in errors["birth_date"], errors["birth_date"]
    focused(wd, "f-name", "the first problem's field")
    assert wd.displayed("#f-name"), "the form stays open"
    snap(wd, "all_day_new_patient_every_problem")


def test_the_survey_form_shows_the_date_and_each_wrong_item_at_once(wd):
    """问卷录入 with a day that does not exist and an over-long suggestion: the date is refused
    beside it and the suggestion on its own row, at once, the cursor on the date."""
    login(wd, "guide")
    wd.keys(Keys.ALT + "q")
    wd.wait_for("#survey-entry")
    focused(wd, "sv-q", "when the form opens")
    wd.find("#sv-date").send_keys("2026-13-45")
    wd.execute(PASTE, "sv-item-suggestion", "意" * 501)
    wd.execute("document.querySelector('#sv-item-registration .rate[data-rating=\"satisfied\"]').click()")
    wd.keys(Keys.F9)
    shown = lambda: wd.execute(  # noqa: E731
        "return [...document.querySelectorAll('#survey-entry .rfield.has-error')]"
        ".map((f) => f.querySelector('.field-error').textContent)")
    wd.wait_until(lambda: len(shown()) >= 2, 10, message=lambda: f"both at once: {shown()}")
    errors = shown()
    assert "没有这一天" in errors[0], errors
    assert errors[1].startswith("第 8 题"), errors
    focused(wd, "sv-date", "the first problem's field")
    snap(wd, "all_day_survey_every_problem")


def test_the_tabs_stay_put_when_another_is_chosen(wd):
    """回访's tabs in English: choosing another tab moves none of them (the current one was set in
    a heavier weight, so its Latin letters grew and pushed its neighbours a few pixels)."""
    login(wd, "service")
    wd.find("#lang-switch").click()
    wd.wait_until(lambda: wd.execute("return document.documentElement.lang") == "en", 5, message="English")
    wd.keys(Keys.ALT + "1")
    wd.wait_until(lambda: "To call" in (wd.find("#followup-views").text or ""), 10, message="the tabs in English")
    lefts = lambda: wd.execute(  # noqa: E731
        "return [...document.querySelectorAll('#followup-views button')].map((b) => Math.round(b.getBoundingClientRect().left * 10) / 10)")
    before = lefts()
    assert len(before) > 2, before
    for n in range(len(before)):
        wd.execute("document.querySelectorAll('#followup-views button')[arguments[0]].click()", n)
        wd.next_frames(2)
        assert lefts() == before, f"tab {n} chosen: {before} → {lefts()}"


@before_launch("demo", "--days", "8", "--until", _yesterday)
def test_the_complaint_list_in_english_fits_the_screen(wd):
    """The supervisor's list of every case in English: its category and state wrap within their
    columns rather than pushing the table past the window's width (it was wider than 1366)."""
    login(wd, "supervisor")
    wd.find("#lang-switch").click()
    wd.wait_until(lambda: wd.execute("return document.documentElement.lang") == "en", 5, message="English")
    wd.find('#nav a[data-area="complaints"]').click()
    wd.wait_until(lambda: wd.execute("return document.querySelectorAll('#complaint-body table.grid tbody tr').length") > 5,
                  10, message="the demo's open cases listed")
    wd.next_frames(2)
    box = wd.execute("""
const p = document.querySelector('#complaint-body > .panel');
const t = p.querySelector('table.grid');
return { panel: p.clientWidth, scroll: p.scrollWidth, table: t.getBoundingClientRect().right, inner: innerWidth };""")
    assert box["scroll"] <= box["panel"] and box["table"] <= box["inner"], f"the list runs past the window: {box}"


def test_a_new_questionnaire_saved_empty_shows_every_problem_at_once(wd):
    """The administrator's questionnaire editor (F3) saved with nothing typed: its code and name
    refused beside them, the first row's code and text marked and said by their place (第 1 题),
    the cursor on the code; nothing saved."""
    login(wd, "admin")
    wd.find('#main .tabs button[data-tab="questionnaire"]').click()
    wd.wait_for("#admin-body button.new")
    wd.keys(Keys.F3)
    wd.wait_for("#questionnaire-edit")
    wd.find("#qe-save").click()
    wd.wait_until(lambda: wd.exists("#questionnaire-edit .rfield.has-error"), 5, message="the refusals")
    state = wd.execute("""
const d = document.getElementById('questionnaire-edit');
return { fields: [...d.querySelectorAll('.rfield.has-error')].map((f) => f.dataset.field),
         cells: [...d.querySelectorAll('#qe-items .invalid')].map((c) => c.className),
         said: d.querySelector('.form-error').textContent, focus: document.activeElement.id };""")
    assert state["fields"] == ["questionnaire_code", "questionnaire_name"], state
    assert [c.split()[0] for c in state["cells"]] == ["qe-code", "qe-text"], state
    assert "第 1 题：请填写题目代码" in state["said"] and "第 1 题：请填写题目内容" in state["said"], state
    assert state["focus"] == "qe-code", state
    snap(wd, "questionnaire-empty")


def test_f1_within_a_dialog_shows_over_it_and_gives_the_cursor_back(wd):
    """F1 pressed in the complaint intake: the shortcuts show over the form (they opened under
    it), Esc closes them and the cursor is back in the field; Alt+2 while the form is open
    leaves the area under it as it is."""
    login(wd, "service")
    wd.keys(Keys.ALT + "t")
    wd.wait_for("#complaint-intake")
    focused(wd, "ci-kind", "when the form opens")
    wd.keys(Keys.F1)
    wd.wait_for("#shortcuts")
    wd.next_frames(2)
    on_top = wd.execute("""
const r = document.querySelector('#shortcuts .dialog').getBoundingClientRect();
return !!document.elementFromPoint(r.left + r.width / 2, r.top + 30)?.closest('#shortcuts');""")
    assert on_top, "the shortcuts are under the form"
    wd.keys(Keys.ESCAPE)
    wd.wait_until(lambda: not wd.find("#shortcuts").is_displayed(), 5, message="the shortcuts closed")
    assert wd.exists("#complaint-intake"), "Esc on the shortcuts closed the form too"
    focused(wd, "ci-kind", "after the shortcuts")
    area = lambda: wd.execute("return document.querySelector('#nav a.current')?.dataset.area")  # noqa: E731
    before = area()
    wd.keys(Keys.ALT + "2")
    wd.next_frames(4)
    assert area() == before and wd.exists("#complaint-intake"), f"{before} → {area()}"


def test_a_new_doctor_starts_with_no_department_chosen(wd):
    """管理 · 医生 · F3: the department and title start on 请选择 (the first department of the list
    was taken for anyone who saved without looking); saved so, both are asked for."""
    login(wd, "admin")
    wd.find('#main .tabs button[data-tab="doctor"]').click()
    wd.wait_for("#admin-body button.new")
    wd.keys(Keys.F3)
    wd.wait_for("#f-department_id")
    shown = wd.execute("return ['f-department_id', 'f-title'].map((id) => { const s = document.getElementById(id); "
                       "return [s.value, s.selectedOptions[0].text]; })")
    assert shown == [["", "请选择"], ["", "请选择"]], shown
    wd.execute("document.getElementById('f-name').value = '钱医生'; document.getElementById('f-name').form.requestSubmit()")
    form = lambda: wd.execute("return document.getElementById('f-name').closest('.dialog').innerText")  # noqa: E731
    wd.wait_until(lambda: "请选择科室" in form(), 5, message=lambda: f"the department asked for: {form()}")
    assert "请选择职称" in form(), form()


def test_the_demo_says_it_is_the_demo(wd):
    """A data file with the demo's accounts says 示范数据 in the status bar, so nobody takes the
    demo for a hospital's real data (issue #25)."""
    login(wd, "clerk")
    demo = wd.find("#status-demo")
    assert demo.is_displayed() and demo.text == "示范数据", demo.text
    assert "README" in (demo.attribute("title") or ""), demo.attribute("title")


def test_the_shortcut_list_ends_with_the_version(wd):
    """F1's list ends with the About line: this program's version and the data's schema, even
    before anyone signs in (issue #25)."""
    wd.wait_for("#login-form")
    wd.keys(Keys.F1)
    wd.wait_for("#shortcuts")
    about = wd.find("#about").text
    assert about.startswith("门诊前台 Frontdesk ") and "数据结构第" in about, about
