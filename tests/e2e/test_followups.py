"""回访: a first visit of three days ago is on the list the day it is due; customer service calls
it with the keyboard only — no answer (it leaves the list, to come back the next day), a wrong
number (to the numbers to fix; corrected, it is back), then reached with one 不满意 and a concern
referred to a department and raised as a complaint (linked both ways) — and the second follow-up
it asks for is on the list; a supervisor's spot-check draws the call, customer service does not
see it until the check is done, and then does.

DOM contract used here: #followup-views button[data-view]; #followup-body tr[data-id] (the list,
focused when it loads); #call[data-id][data-state], #call-outcomes (1–5), .rate-row#rate-<aspect>
(1/2/3/0), #call-words, #call-concern, #call-concern-dept, #call-next-on, #call-next-note,
#call-note, #call-phone, #call-attempts, #call-fix-phone, #call-concerns .raise-complaint,
.concern-complaint, #call-spot; the intake #complaint-intake (#ci-category, F9); the case page
#case-followup; #sc-from … #sc-draw, #sc-check[data-done], #sc-result, #sc-note.
"""

import datetime
import os
import zoneinfo

from test_shell import login
from webdriver import Keys, before_launch

SHOTS = os.environ.get("FRONTDESK_E2E_SHOTS", "/tmp/frontdesk-e2e-shots")
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def today():
    return datetime.datetime.now(SHANGHAI).date()


def three_days_ago():
    return (today() - datetime.timedelta(days=3)).isoformat()


def snap(wd, name):
    os.makedirs(SHOTS, exist_ok=True)
    wd.next_frames(2)
    wd.screenshot(os.path.join(SHOTS, f"{name}.png"))


def focused(wd, element_id, what=""):
    wd.wait_until(lambda: wd.active_id() == element_id, 5,
                  message=lambda: f"focus on #{element_id} {what} (is on #{wd.active_id()})")


def type_here(wd, text):
    wd.active_element().send_keys(text)


def logout(wd):
    wd.find("#logout").click()
    wd.wait_for("#login-form")


def show_view(wd, view):
    wd.find(f'#followup-views button[data-view="{view}"]').click()
    wd.wait_until(lambda: wd.execute(
        "const b = document.querySelector('#followup-views button.current');"
        "return b && b.dataset.view === arguments[0] && !document.querySelector('#followup-body p.muted')"
        " && !!document.querySelector('#followup-body table, #followup-body .empty')", view), 10,
        message=f"the {view} list")


def row_ids(wd):
    return wd.execute("return [...document.querySelectorAll('#followup-body tr[data-id]')].map(r => Number(r.dataset.id))")


def row_text(wd, fid):
    return wd.execute("const r = document.querySelector(`#followup-body tr[data-id='${arguments[0]}']`);"
                      "return r ? r.innerText : null", fid)


def open_row(wd, fid):
    """Focuses the row of follow-up `fid` and opens it with Enter."""
    wd.execute("document.querySelector(`#followup-body tr[data-id='${arguments[0]}']`).focus()", fid)
    wd.keys(Keys.ENTER)
    wd.wait_until(lambda: call_id(wd) == fid, 10, message=f"the call screen of {fid}")


def call_id(wd):
    return wd.execute("const c = document.getElementById('call'); return c ? Number(c.dataset.id) : null")


def call_state(wd):
    return wd.execute("const c = document.getElementById('call'); return c ? c.dataset.state : null")


def back_to_list(wd):
    wd.keys(Keys.ESCAPE)
    wd.wait_gone("#call")


@before_launch("demo", "--days", "1", "--until", three_days_ago)
def test_a_follow_up_from_its_due_day_to_a_spot_check(wd):
    login(wd, "service")
    # Customer service starts on 回访: three days on, the demo's first visits are due today.
    wd.wait_for("#followups")
    wd.wait_until(lambda: len(row_ids(wd)) > 3, 15, message="the due list filled from the first visits")
    wd.wait_until(lambda: wd.execute("return document.activeElement && document.activeElement.matches('#followup-body tr[data-id]')"), 5,
                  message="the list takes the focus")
    fid = row_ids(wd)[0]
    first = row_text(wd, fid)
    assert "初诊回访" in first and today().isoformat() in first, first
    snap(wd, "followup-due")

    # No answer: saved with the keyboard, the next call opens; this one leaves the due list and
    # waits for the next day in 全部待办.
    wd.keys(Keys.ENTER)
    wd.wait_until(lambda: call_id(wd) == fid, 10, message="the call screen")
    focused(wd, "call-outcomes", "when the call opens")
    patient = wd.find("#call-patient").text
    phone = wd.find("#call-phone").text
    assert phone.isdigit() and len(phone) == 11, f"customer service sees the number in full: {phone}"
    snap(wd, "followup-call")
    wd.keys("2")
    focused(wd, "call-note", "after 无人接听")
    wd.keys(Keys.ENTER)
    wd.wait_until(lambda: call_id(wd) not in (None, fid), 10, message="the next call opened by itself")
    back_to_list(wd)
    wd.wait_until(lambda: fid not in row_ids(wd), 10, message="a call not answered leaves the due list")
    show_view(wd, "open")
    tomorrow = (today() + datetime.timedelta(days=1)).isoformat()[5:]
    text = row_text(wd, fid)
    assert text and tomorrow in text and "待回访" in text, f"back on the list tomorrow: {text}"

    # The patient's own number turns out wrong: not redialled, to the numbers to fix.
    open_row(wd, fid)
    assert "无人接听" in wd.find("#call-attempts").text
    wd.keys("4")
    focused(wd, "call-note", "after 号码错误")
    wd.keys(Keys.ENTER)
    wd.wait_until(lambda: call_id(wd) not in (None, fid), 10, message="the next call")
    back_to_list(wd)
    show_view(wd, "fix_number")
    assert fid in row_ids(wd), "on the numbers to fix"
    open_row(wd, fid)
    assert call_state(wd) == "fix_number"
    focused(wd, "call-fix-phone")
    type_here(wd, "13911112222")
    wd.keys(Keys.ENTER)
    wd.wait_until(lambda: call_state(wd) == "open", 10, message="the corrected call back on the list")
    assert wd.find("#call-phone").text == "13911112222"
    back_to_list(wd)
    show_view(wd, "due")
    assert fid in row_ids(wd), "due again as soon as its number is corrected"

    # Reached: the registration desk 不满意, the rest asked or not; the patient's words; a
    # concern referred to the first department. Enter on the last field saves and moves on.
    open_row(wd, fid)
    focused(wd, "call-outcomes")
    wd.keys("1")
    focused(wd, "rate-registration", "after 接通")
    for key, aspect in (("3", "guide"), ("1", "doctor"), ("1", "nursing"), ("0", "environment"), ("1", "overall")):
        wd.keys(key)
        focused(wd, f"rate-{aspect}")
    wd.keys("2")
    focused(wd, "call-words")
    type_here(wd, "挂号排队太久，医生很好")
    wd.keys(Keys.ENTER)
    focused(wd, "call-concern")
    type_here(wd, "希望增加挂号窗口")
    wd.keys(Keys.ENTER)
    focused(wd, "call-concern-dept")
    wd.keys(Keys.ARROW_DOWN)
    wd.wait_until(lambda: wd.execute("return document.getElementById('call-concern-dept').value") != "", 5,
                  message="a department chosen with ↓")
    snap(wd, "followup-reached")
    wd.keys(Keys.ENTER)
    focused(wd, "call-next-on")
    wd.keys(Keys.ENTER)
    focused(wd, "call-next-note")
    wd.keys(Keys.ENTER)
    focused(wd, "call-note")
    wd.keys(Keys.ENTER)
    wd.wait_until(lambda: call_id(wd) not in (None, fid), 10, message="saved, the next call opened")
    back_to_list(wd)

    # The 不满意 and the concern bring a second call, three days on.
    show_view(wd, "open")
    second = [r for r in wd.execute("return [...document.querySelectorAll('#followup-body tr[data-id]')].map(r => r.innerText)")
              if "二次回访" in r]
    due_second = (today() + datetime.timedelta(days=3)).isoformat()
    assert len(second) == 1 and patient in second[0] and due_second in second[0], second

    # The concern raised as a complaint: the intake form comes prefilled; the two are linked.
    show_view(wd, "closed")
    open_row(wd, fid)
    assert call_state(wd) == "reached"
    assert "不满意" in wd.find("#call-work").text
    wd.execute("document.querySelector('#call-concerns .raise-complaint').focus()")
    wd.keys(Keys.ENTER)
    wd.wait_for("#complaint-intake")
    assert wd.execute("return document.getElementById('ci-description').value") == "希望增加挂号窗口"
    assert wd.execute("return document.getElementById('ci-channel').value") == "followup"
    assert wd.execute("return document.getElementById('ci-who').value") == patient
    wd.execute("document.getElementById('ci-category').focus()")
    wd.keys(Keys.ARROW_DOWN)
    wd.keys(Keys.F9)
    wd.wait_gone("#complaint-intake")
    wd.wait_for("#call-concerns .concern-complaint", 10)
    number = wd.find("#call-concerns .concern-complaint").text
    assert number.startswith("TS"), number
    wd.find("#call-concerns .concern-complaint").click()
    wd.wait_for("#case")
    assert number in wd.find("#case").text
    wd.find("#case-followup").click()
    wd.wait_until(lambda: call_id(wd) == fid, 10, message="the complaint's page opens its call")
    logout(wd)

    # A supervisor draws this week's completed calls: only this one was completed.
    login(wd, "supervisor")
    wd.find('#nav a[data-area="followup"]').click()
    wd.wait_for("#followups")
    wd.find('#followup-views button[data-view="spot"]').click()
    wd.wait_for("#sc-draw")
    focused(wd, "sc-from")
    for box in ("sc-to", "sc-rule", "sc-amount", "sc-seed"):
        wd.keys(Keys.ENTER)
        focused(wd, box)
    wd.keys(Keys.ENTER)
    wd.wait_for("#sc-check")
    drawn = wd.execute("return [...document.querySelectorAll('#sc-check tr[data-id]')].map(r => Number(r.dataset.id))")
    assert drawn == [fid], drawn
    seed = wd.find("#sc-check").text
    assert "种子" in seed and "SHA-256" in seed, seed
    wd.find("#sc-redraw").click()
    wd.wait_until(lambda: "一致" in wd.find("#sc-verified").text, 5, message="the draw repeats from its seed")
    logout(wd)

    # Not done yet: customer service does not see that its call was drawn.
    login(wd, "service")
    show_view(wd, "closed")
    open_row(wd, fid)
    assert not wd.exists("#call-spot"), "a check not done is not shown to customer service"
    logout(wd)

    login(wd, "supervisor")
    wd.find('#nav a[data-area="followup"]').click()
    wd.wait_for("#followups")
    wd.find('#followup-views button[data-view="spot"]').click()
    wd.wait_until(lambda: len(wd.find_all("#followup-body tr[tabindex]")) == 1, 10, message="the check in the list")
    wd.execute("document.querySelector('#followup-body tr[tabindex]').focus()")
    wd.keys(Keys.ENTER)
    wd.wait_for("#sc-check")
    wd.execute("document.querySelector(`#sc-check tr[data-id='${arguments[0]}']`).focus()", fid)
    wd.keys(Keys.ENTER)
    focused(wd, "sc-result")
    wd.keys(Keys.ENTER)
    focused(wd, "sc-note")
    type_here(wd, "患者确认接到回访")
    snap(wd, "followup-spot-check")
    wd.keys(Keys.ENTER)
    wd.wait_until(lambda: wd.execute("const c = document.getElementById('sc-check'); return c && c.dataset.done === '1'"), 10,
                  message="the check done")
    logout(wd)

    login(wd, "service")
    show_view(wd, "closed")
    open_row(wd, fid)
    wd.wait_for("#call-spot")
    assert "属实" in wd.find("#call-spot").text
    snap(wd, "followup-checked")
