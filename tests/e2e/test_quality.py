"""质量: a paper survey form entered at the guide desk with the keyboard only (Alt+Q, a key per
item, F9), a form dated in the future refused beside its date with what was keyed kept, and the
answers counted for a supervisor on the 质量 screen.

The dashboard: a form with 挂号 不满意 turns that tile red and puts the miss in the status bar;
Enter on the tile lists the form behind the figure; PageUp and W step the period and the span.

DOM contract used here: Alt+Q opens #survey-entry (#sv-q, #sv-date, #sv-dept, .rate-row#sv-item-<code>
taking 1/2/3/0, textarea#sv-item-<code>, F9, #sv-tally); #quality-views, #q-results .q-item[data-code];
#q-tiles[data-period] .q-tile#qt-<code>[data-status] (.q-figure), #q-records, #status-quality.
"""

import os

from test_shell import login
from webdriver import Keys

SHOTS = os.environ.get("FRONTDESK_E2E_SHOTS", "/tmp/frontdesk-e2e-shots")


def snap(wd, name):
    os.makedirs(SHOTS, exist_ok=True)
    wd.next_frames(2)
    wd.screenshot(os.path.join(SHOTS, f"{name}.png"))


def focused(wd, element_id, what=""):
    wd.wait_until(lambda: wd.active_id() == element_id, 5,
                  message=lambda: f"focus on #{element_id} {what} (is on #{wd.active_id()})")


def test_a_survey_form_from_the_guide_desk_to_its_count(wd):
    login(wd, "guide")
    wd.keys(Keys.ALT + "q")
    wd.wait_for("#survey-entry")
    focused(wd, "sv-q", "when the form opens")
    wd.keys(Keys.ENTER)  # 征询意见表（门诊）
    focused(wd, "sv-date")
    wd.active_element().send_keys("2099-01-01")
    wd.keys(Keys.ENTER)
    focused(wd, "sv-dept")
    wd.keys(Keys.ENTER)
    # 挂号 满意, 导医 满意, 医生 不满意, 护士 left blank, 环境 一般, 候诊 一般, 总体 一般.
    for code, key in (("registration", "1"), ("guide", "1"), ("doctor", "3"), ("nursing", "0"),
                      ("environment", "2"), ("waiting", "2"), ("overall", "2")):
        focused(wd, f"sv-item-{code}", "each item takes its key and moves on")
        wd.keys(key)
    focused(wd, "sv-item-suggestion")
    wd.active_element().send_keys("医生解释太简单")
    wd.keys(Keys.F9)
    # The date is in the future: refused beside it, the keyed answers kept.
    wd.wait_until(lambda: "不能晚于今天" in wd.find("#survey-entry").text, 5, message="the date refused")
    assert wd.execute("return document.querySelector('#sv-item-doctor .rate.current').dataset.rating") == "dissatisfied"
    snap(wd, "survey-entry-refused")
    wd.execute("const d = document.getElementById('sv-date'); d.select(); d.focus();")
    wd.keys(Keys.BACKSPACE)
    wd.keys(Keys.F9)
    wd.wait_until(lambda: "1" in wd.find("#sv-tally").text, 10, message="one form entered today")
    assert not wd.execute("return document.querySelector('#sv-item-doctor .rate.current')"), "the items cleared for the next form"
    wd.keys(Keys.ESCAPE)
    wd.wait_gone("#survey-entry")
    wd.find("#logout").click()
    wd.wait_for("#login-form")

    login(wd, "supervisor")
    wd.find('#nav a[data-area="quality"]').click()
    wd.wait_for("#q-tiles .q-tile")
    wd.find('#quality-views button[data-view="surveys"]').click()
    wd.wait_for("#q-results .q-item")
    def count(code, label):
        return wd.execute(
            "const rows = [...document.querySelectorAll(`#q-results .q-item[data-code='${arguments[0]}'] tbody tr`)];"
            "const r = rows.find(r => r.cells[0].innerText === arguments[1]); return r ? r.cells[1].innerText : null",
            code, label)
    wd.wait_until(lambda: count("doctor", "不满意") == "1", 10, message="the dissatisfied doctor item counted")
    assert count("registration", "满意") == "1"
    assert count("nursing", "满意") == "0", "a blank item counts nowhere"
    assert "1 份写了意见" in wd.find("#q-results").text
    snap(wd, "survey-results")


def test_the_head_changes_a_target_from_a_date(wd):
    import datetime
    import zoneinfo
    tomorrow = (datetime.datetime.now(zoneinfo.ZoneInfo("Asia/Shanghai")).date() + datetime.timedelta(days=1)).isoformat()
    login(wd, "head")
    wd.find('#nav a[data-area="quality"]').click()
    wd.wait_for("#quality-views")
    wd.find('#quality-views button[data-view="targets"]').click()
    wd.wait_for("#tg-form")
    row = lambda: wd.execute("const r = document.querySelector(\"#q-targets tr[data-id='first_visit_followup']\"); return r ? r.innerText : ''")
    assert "≥ 60%" in row(), row()
    wd.execute("const c = document.getElementById('tg-code'); c.value = 'first_visit_followup'; c.focus();")
    wd.keys(Keys.ENTER)
    focused(wd, "tg-value")
    wd.active_element().send_keys("六十")
    wd.keys(Keys.ENTER)
    focused(wd, "tg-from")
    wd.keys(Keys.ENTER)
    wd.wait_until(lambda: "格式不正确" in wd.find("#tg-form").text, 5, message="a value that is no number refused")
    wd.execute("const v = document.getElementById('tg-value'); v.value = '65'; const f = document.getElementById('tg-from'); f.value = arguments[0]; f.focus();", tomorrow)
    wd.keys(Keys.ENTER)
    wd.wait_until(lambda: f"{tomorrow}：≥ 65%" in row(), 10, message=lambda: f"the new setting listed: {row()}")
    assert "≥ 60%" in row(), "today's target is still 60 %"
    snap(wd, "quality-targets")


def test_the_dashboard_flags_a_miss_and_opens_its_records(wd):
    login(wd, "head")
    wd.find('#nav a[data-area="quality"]').click()
    wd.wait_for("#q-tiles .q-tile")
    tile = lambda code: wd.execute(
        "const t = document.getElementById('qt-' + arguments[0]); return t ? [t.dataset.status, t.querySelector('.q-figure').innerText] : null", code)
    assert wd.execute("return document.querySelectorAll('#q-tiles .q-tile').length") == 10
    assert tile("registration_dissatisfaction") == ["no_data", "—"], tile("registration_dissatisfaction")
    assert "质量未达标" not in wd.find("#status-quality").text, "no target missed yet (the plan's checks are due)"
    # A form whose 挂号 is 不满意, entered from the dashboard with Alt+Q.
    wd.keys(Keys.ALT + "q")
    wd.wait_for("#survey-entry")
    focused(wd, "sv-q")
    wd.keys(Keys.ENTER)
    focused(wd, "sv-date")
    wd.keys(Keys.ENTER)
    focused(wd, "sv-dept")
    wd.keys(Keys.ENTER)
    focused(wd, "sv-item-registration")
    wd.keys("3")
    focused(wd, "sv-item-guide")
    wd.keys("1")
    wd.keys(Keys.F9)
    wd.wait_until(lambda: "1" in wd.find("#sv-tally").text, 10, message="the form entered")
    wd.keys(Keys.ESCAPE)
    wd.wait_gone("#survey-entry")
    # M shows the month again: the tile is red, and the status bar says so.
    wd.find("#qt-guide_dissatisfaction").click()
    wd.keys("m")
    wd.wait_until(lambda: tile("registration_dissatisfaction") == ["missed", "100.0%"], 10,
                  message=lambda: f"挂号不满意率 missed: {tile('registration_dissatisfaction')}")
    assert tile("guide_dissatisfaction") == ["met", "0.0%"], tile("guide_dissatisfaction")
    wd.wait_until(lambda: "质量未达标 1" in wd.find("#status-quality").text, 10,
                  message=lambda: f"the status bar flags it: {wd.find('#status-quality').text!r}")
    snap(wd, "quality-dashboard")
    # Enter on the tile: the form behind the figure.
    wd.find("#qt-registration_dissatisfaction").click()
    wd.keys(Keys.ENTER)
    wd.wait_for("#q-records")
    text = wd.find("#q-records").text
    assert "共 1 条" in text and "问卷" in text and "不满意" in text, text
    snap(wd, "quality-records")
    wd.keys(Keys.ESCAPE)
    wd.wait_gone("#q-records")
    # PageUp: last month, with nothing in it; W: the week.
    this_month = wd.execute("return document.getElementById('q-tiles').dataset.period")
    wd.find("#qt-registration_dissatisfaction").click()
    wd.keys("\ue00e")  # PageUp
    wd.wait_until(lambda: wd.execute("return document.getElementById('q-tiles').dataset.period") != this_month, 10,
                  message="the previous month")
    assert tile("registration_dissatisfaction")[0] == "no_data"
    wd.find("#qt-registration_dissatisfaction").click()
    wd.keys("w")
    wd.wait_until(lambda: "-W" in wd.execute("return document.getElementById('q-tiles').dataset.period"), 10,
                  message="the week")


def test_a_check_of_the_plan_is_recorded_and_corrected_with_the_keyboard(wd):
    login(wd, "supervisor")
    wd.find('#nav a[data-area="quality"]').click()
    wd.wait_for("#q-tiles .q-tile")
    wd.find('#quality-views button[data-view="checks"]').click()
    wd.wait_for("#ck-plan")
    slot = lambda code: wd.execute(
        "const s = [...document.querySelectorAll(`#ck-plan tr[data-id='ck-${arguments[0]}'] .ck-slot`)].pop(); return s ? s.dataset.state : null", code)
    assert slot("guide_service") == "due", slot("guide_service")
    assert "待检查 3" in wd.find("#status-quality").text, wd.find("#status-quality").text
    focused(wd, "ck-item", "when the view opens")
    wd.keys(Keys.ENTER)  # 导医 · 服务方面
    focused(wd, "ck-day")
    wd.keys(Keys.ENTER)
    focused(wd, "ck-result")
    wd.execute("document.getElementById('ck-result').value = 'problem'")
    wd.keys(Keys.ENTER)
    focused(wd, "ck-findings")
    wd.keys(Keys.ENTER)
    focused(wd, "ck-action")
    wd.keys(Keys.ENTER)
    # A problem found needs its findings: refused beside the field, nothing saved.
    wd.wait_until(lambda: wd.execute("return !!document.querySelector(\"#ck-form .rfield[data-field='check_findings'].has-error\")"), 5,
                  message="findings required, said beside the field")
    assert slot("guide_service") == "due"
    wd.execute("const f = document.getElementById('ck-findings'); f.focus();")
    wd.active_element().send_keys("一人未使用规范用语")
    wd.keys(Keys.ENTER)
    focused(wd, "ck-action")
    wd.active_element().send_keys("当场纠正")
    wd.keys(Keys.ENTER)
    wd.wait_until(lambda: slot("guide_service") == "done", 10, message="this week's round checked")
    text = wd.find("#ck-register").text
    assert "一人未使用规范用语" in text and "有问题" in text, text
    snap(wd, "quality-checks")
    # 更正: a new record naming the first; the first stays, marked. (Brought into view first: on a
    # 768-high screen the register's last row can sit at the status bar's edge.)
    wd.execute("document.querySelector('#ck-register .ck-correct').scrollIntoView({ block: 'center' })")
    wd.find("#ck-register .ck-correct").click()
    focused(wd, "ck-reason", "the correction asks why first")
    wd.active_element().send_keys("复查属误记")
    wd.execute("document.getElementById('ck-result').value = 'ok'; document.getElementById('ck-findings').value = ''; document.getElementById('ck-reason').focus();")
    wd.keys(Keys.ENTER)
    wd.wait_until(lambda: "已更正" in wd.find("#ck-register").text, 10, message="the first record marked corrected")
    text = wd.find("#ck-register").text
    assert "复查属误记" in text and "一人未使用规范用语" in text, text
