"""投诉: a complaint taken at the guide desk without the mouse and handled through the whole
workflow by the roles whose steps they are — the supervisor sending the remedy back once — and a
case past its deadline shown as overdue in the list and in the status bar.

DOM contract used here: Alt+T from any screen opens #complaint-intake (#ci-kind, #ci-channel,
#ci-who, #ci-contact, #ci-category, #ci-severity, #ci-department, #ci-person, #ci-description,
#ci-request, #ci-received; Enter moves on, the last records); #complaint-views
button[data-view]; #complaint-body table rows (tr.overdue); the case page #case[data-state],
#case-path li[data-action].done/.current, #step-action, #step-note, #step-satisfied,
#case-history tr[data-action]; #status-complaints.
"""

import datetime
import os
import zoneinfo

from test_shell import login
from webdriver import Keys

SHOTS = os.environ.get("FRONTDESK_E2E_SHOTS", "/tmp/frontdesk-e2e-shots")
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def snap(wd, name):
    os.makedirs(SHOTS, exist_ok=True)
    wd.next_frames(2)
    wd.screenshot(os.path.join(SHOTS, f"{name}.png"))


def type_here(wd, text):
    wd.active_element().send_keys(text)


def focused(wd, element_id, what=""):
    wd.wait_until(lambda: wd.active_id() == element_id, 5, message=f"focus on #{element_id} {what}")


def logout(wd):
    wd.find("#logout").click()
    wd.wait_for("#login-form")


def intake(wd, name, phone, description, received_at="", shot=None, record=True):
    """Alt+T, then the keyboard only: 投诉 · 现场 · the name · the phone · the first category ·
    一般 · the first department · nobody named · what happened · what they ask · the time; Enter
    on the time records it (unless `record` is false: the form stays open on the time)."""
    wd.keys(Keys.ALT + "t")
    wd.wait_for("#complaint-intake")
    focused(wd, "ci-kind", "when the form opens")
    wd.keys(Keys.ENTER)  # 投诉
    focused(wd, "ci-channel")
    wd.keys(Keys.ENTER)  # 现场
    focused(wd, "ci-who")
    type_here(wd, name)
    wd.keys(Keys.ENTER)
    focused(wd, "ci-contact")
    type_here(wd, phone)
    wd.keys(Keys.ENTER)
    focused(wd, "ci-category")
    wd.keys(Keys.ARROW_DOWN)
    wd.wait_until(lambda: wd.execute("return document.getElementById('ci-category').value") != "", 5,
                  message="a category chosen with ↓")
    wd.keys(Keys.ENTER)
    focused(wd, "ci-severity")
    wd.keys(Keys.ENTER)  # 一般
    focused(wd, "ci-department")
    wd.keys(Keys.ARROW_DOWN)
    wd.keys(Keys.ENTER)
    focused(wd, "ci-person")
    wd.keys(Keys.ENTER)
    focused(wd, "ci-description")
    type_here(wd, description)
    wd.keys(Keys.ENTER)
    focused(wd, "ci-request")
    type_here(wd, "希望给个说法")
    wd.keys(Keys.ENTER)
    focused(wd, "ci-received")
    if received_at:
        type_here(wd, received_at)
    if shot:
        snap(wd, shot)
    if not record:
        return
    wd.keys(Keys.ENTER)
    wd.wait_gone("#complaint-intake")


def open_case(wd, view="open", row=0):
    """Shows `view` and opens its row `row` with Enter (the list takes the focus when it loads)."""
    wd.wait_for("#complaint-views")
    current = wd.execute("const b = document.querySelector('#complaint-views button.current'); return b ? b.dataset.view : null")
    if current != view:
        wd.find(f'#complaint-views button[data-view="{view}"]').click()
    wd.wait_until(lambda: wd.execute(
        "const rows = document.querySelectorAll('#complaint-body tr[tabindex]');"
        "return rows.length > arguments[0] && document.activeElement === rows[0]", row), 10,
        message=f"the {view} list loaded and focused")
    for _ in range(row):
        wd.keys(Keys.ARROW_DOWN)
    wd.keys(Keys.ENTER)
    wd.wait_for("#case")


def case_state(wd):
    return wd.execute("const c = document.getElementById('case'); return c ? c.dataset.state : null")


def take(wd, step, note="", satisfied=None):
    """Chooses `step` in the step form and takes it with the keyboard: Enter through the fields."""
    before = case_state(wd)
    history = len(wd.find_all("#case-history tbody tr"))
    wd.execute(
        "const s = document.getElementById('step-action'); s.value = arguments[0];"
        "s.dispatchEvent(new Event('change')); s.focus();", step)
    assert wd.execute("return document.getElementById('step-action').value") == step, f"{step} is not offered"
    wd.keys(Keys.ENTER)
    # Past the departments' checkboxes (the case's own department comes ticked; Enter would tick
    # the one in focus, ↓ moves on, from the last to the note).
    for _ in range(20):
        if wd.execute("return document.activeElement && document.activeElement.type") != "checkbox":
            break
        wd.keys(Keys.ARROW_DOWN)
    if satisfied is not None:
        focused(wd, "step-satisfied")
        if not satisfied:
            wd.keys(Keys.ARROW_DOWN)
        wd.keys(Keys.ENTER)
    focused(wd, "step-note", f"for {step}")
    if note:
        type_here(wd, note)
    wd.keys(Keys.ENTER)
    wd.wait_until(lambda: len(wd.find_all("#case-history tbody tr")) == history + 1, 10,
                  message=f"{step} in the history (from {before})")
    return case_state(wd)


def path_stage(wd, action):
    return wd.execute(
        "const li = document.querySelector(`#case-path li[data-action='${arguments[0]}']`);"
        "return li ? li.className : null", action)


def test_a_complaint_from_the_guide_desk_to_its_close(wd):
    login(wd, "guide")
    # From the 导诊台 screen, without the mouse.
    intake(wd, "张三", "13800138000", "候诊一个多小时无人解释", shot="complaint-intake")
    wd.keys(Keys.ALT + "2")
    wd.wait_for("#complaints")
    open_case(wd)
    assert case_state(wd) == "received"
    assert "current" in path_stage(wd, "accept")
    snap(wd, "complaint-received")
    assert take(wd, "accept") == "accepted"
    logout(wd)

    login(wd, "service")
    wd.find('#nav a[data-area="complaints"]').click()
    wd.wait_for("#complaints")
    open_case(wd)
    assert take(wd, "assign") == "assigned"
    assert take(wd, "cause", "分诊台未及时告知医生临时手术") == "analysed"
    assert take(wd, "propose", "电话致歉") == "proposed"
    # Customer service may not approve its own remedy: the step is not offered.
    offered = wd.execute("return [...document.querySelectorAll('#step-action option')].map(o => o.value)")
    assert "approve" not in offered, offered
    logout(wd)

    login(wd, "supervisor")
    wd.find('#nav a[data-area="complaints"]').click()
    wd.wait_for("#complaints")
    open_case(wd)
    assert take(wd, "return", "还应减免挂号费") == "analysed"
    assert "current" in path_stage(wd, "propose"), "sent back: the remedy is to be proposed again"
    logout(wd)

    login(wd, "service")
    wd.find('#nav a[data-area="complaints"]').click()
    wd.wait_for("#complaints")
    open_case(wd)
    assert take(wd, "propose", "电话致歉并减免挂号费") == "proposed"
    logout(wd)

    login(wd, "supervisor")
    wd.find('#nav a[data-area="complaints"]').click()
    wd.wait_for("#complaints")
    open_case(wd)
    assert take(wd, "approve") == "approved"
    logout(wd)

    login(wd, "service")
    wd.find('#nav a[data-area="complaints"]').click()
    wd.wait_for("#complaints")
    open_case(wd)
    assert take(wd, "carry_out", "已致歉，已退挂号费") == "carried_out"
    assert take(wd, "notify", "电话告知处理结果") == "notified"
    assert take(wd, "feedback", "这样处理可以接受", satisfied=True) == "answered"
    assert take(wd, "close", "加强候诊解释") == "closed"
    snap(wd, "complaint-closed")
    stages = wd.execute("return [...document.querySelectorAll('#case-path li')].map(li => li.className)")
    assert stages == ["done"] * 10, stages
    steps = wd.execute("return [...document.querySelectorAll('#case-history tbody tr')].map(tr => tr.dataset.action)")
    assert steps[::-1] == ["record", "accept", "assign", "cause", "propose", "return", "propose",
                           "approve", "carry_out", "notify", "feedback", "close"], steps
    assert "还应减免挂号费" in wd.find("#case-history").text
    assert not wd.exists("#step-action"), "a closed case offers no step"


def test_bad_input_is_refused_beside_its_field_and_what_was_typed_stays(wd):
    login(wd, "guide")
    wd.keys(Keys.ALT + "t")
    wd.wait_for("#complaint-intake")
    wd.find("#ci-who").click()
    type_here(wd, "赵六")
    wd.keys(Keys.ENTER)
    focused(wd, "ci-contact")
    type_here(wd, "12345")
    wd.keys(Keys.F9)
    wd.wait_until(lambda: wd.exists('.rfield[data-field="contact"].has-error'), 5, message="the phone refused beside it")
    assert "手机号" in wd.find('.rfield[data-field="contact"] .field-error').text
    assert wd.execute("return document.getElementById('ci-who').value") == "赵六"
    assert wd.execute("return document.getElementById('ci-contact').value") == "12345"
    assert wd.active_id() == "ci-contact", "the focus goes to the field to correct"
    # No category for a complaint: refused beside the category, the phone corrected kept.
    wd.execute("const c = document.getElementById('ci-contact'); c.select(); c.focus();")
    type_here(wd, "13600136000")
    wd.keys(Keys.F9)
    wd.wait_until(lambda: wd.exists('.rfield[data-field="category_id"].has-error'), 5, message="the category asked for")
    assert not wd.exists('.rfield[data-field="contact"].has-error')
    snap(wd, "complaint-intake-error")
    wd.keys(Keys.ESCAPE)
    wd.wait_gone("#complaint-intake")
    wd.keys(Keys.ALT + "2")
    wd.wait_for("#complaints")
    wd.wait_for("#complaint-body .empty")


def test_a_case_past_its_deadline_is_overdue_in_the_list_and_the_status_bar(wd):
    login(wd, "guide")
    # A letter received two weeks ago, recorded today: its acknowledgement is long overdue.
    two_weeks_ago = (datetime.datetime.now(SHANGHAI) - datetime.timedelta(days=14)).strftime("%Y-%m-%d 10:00")
    intake(wd, "李四", "13900139000", "信中反映收费不清", received_at=two_weeks_ago)
    wd.wait_until(lambda: wd.displayed("#status-complaints"), 10, message="the complaint counters")
    assert "投诉超期 1" in wd.find("#status-complaints").text, wd.find("#status-complaints").text
    intake(wd, "王五", "13700137000", "挂号窗口态度不好")
    wd.find("#status-complaints").click()
    wd.wait_for("#complaints")
    wd.wait_for("#complaint-body table tr[tabindex]")
    rows = wd.execute(
        "return [...document.querySelectorAll('#complaint-body tr[tabindex]')].map(tr => [tr.className, tr.textContent])")
    assert len(rows) == 2, rows
    assert rows[0][0] == "overdue" and "李四" in rows[0][1] and "超期" in rows[0][1], rows
    assert rows[1][0] != "overdue" and "王五" in rows[1][1], rows
    snap(wd, "complaint-list-overdue")
    wd.find('#complaint-views button[data-view="overdue"]').click()
    wd.wait_until(lambda: len(wd.find_all("#complaint-body tr[tabindex]")) == 1, 5, message="one overdue case")
