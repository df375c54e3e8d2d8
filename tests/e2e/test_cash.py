"""日结 end to end: a day at the desk closed by the clerk — cash, WeChat and mixed payments, a 退号,
the count with a shortage, the explanation, the close and the daily report PDF; a shortage
above the threshold signed off by a supervisor in the same form; an appointment booked and
checked in on the 挂号 screen.

Each test gets a freshly launched app on a fresh database (the demo hospital) — see run.py.
Figures are read from the page (which shows what Rust computed) and checked against what the
test paid in; the report is read with pdftotext.

DOM contract used here (besides test_registration's): #nav a[data-area="cash"]; #close-d0…#close-d7,
#close-counted-<method>, #close-lines tr[data-method][data-expected][data-counted][data-difference],
#close-diff-<method>, #close-cash-total, #close-receipt-first, #close-receipt-last, #close-voided,
#close-explanation, #close-explain-hint, #close-approval, #close-approver-user,
#close-approver-pass, #close-received-by, #close-float, #close-handover, #close-submit,
#close-error, #close-done[data-path], #close-report-open, #cash-tab-history, #history-list;
#reg-book, #appt-date, #appt-session, #appt-doctor, #appt-channel, #appt-book, #appt-number,
#appt-done, #reg-appts, #appt-list, #reg-appt, #reg-due-note, #reg-mix-<method>,
#reg-mix-tendered, #reg-mix-change.
"""

import os
import re
import subprocess

from test_registration import (
    HOSPITAL_HEADER, attr, choose_department, click, departments_by_doctors, fen, new_patient, open_today,
    row_status, shift_figures, snap, squash, start, text_of, type_here, wait_focus, wait_quote, yuan,
)
from test_shell import login
from webdriver import Keys

F10 = "\ue03a"
DENOMINATIONS = [10000, 5000, 2000, 1000, 500, 100, 50, 10]


# ---- helpers ---------------------------------------------------------------------------------


def pieces(amount_fen):
    """Fen -> pieces per denomination (largest first), as a clerk counts a drawer."""
    out = []
    for d in DENOMINATIONS:
        out.append(amount_fen // d)
        amount_fen %= d
    assert amount_fen == 0
    return out


def pick_department(wd):
    depts = departments_by_doctors(wd)
    dept_id = next(k for k, v in depts.items() if v[1])
    choose_department(wd, dept_id)
    return wait_quote(wd)


def wait_count(wd, n):
    wd.wait_until(lambda: shift_figures(wd)[0] == n, 15, message=lambda: f"{n} registrations in the shift strip ({shift_figures(wd)})")


def set_method(wd, method):
    wd.execute(
        "const s = document.getElementById('reg-method'); s.value = arguments[0]; s.dispatchEvent(new Event('change'));",
        method,
    )


def go_to_cash(wd):
    wd.find('#nav a[data-area="cash"]').click()
    wd.wait_for("#close-d0", 10)
    wait_focus(wd, "close-d0")


NO_LINE = (None, None, None)


def line(wd, method):
    """(expected, counted, difference) of one method as the close screen holds them (fen; None when
    blank). NO_LINE while the screen has no line for it — between a rebuild (a language switch) and
    Rust's first figures — so that a wait_until on it waits rather than fails."""
    values = wd.execute(
        "const r = document.querySelector(`#close-lines tr[data-method='${arguments[0]}']`);"
        "return r ? [r.dataset.expected, r.dataset.counted, r.dataset.difference] : null;",
        method,
    )
    if not values:
        return NO_LINE
    return tuple(int(v) if v not in (None, "") else None for v in values)


def count_cash(wd, amount_fen):
    """Types the drawer by keyboard: a count per denomination, Enter to the next box."""
    wait_focus(wd, "close-d0")
    for i, n in enumerate(pieces(amount_fen)):
        wait_focus(wd, f"close-d{i}")
        if n:
            type_here(wd, str(n))
        wd.keys(Keys.ENTER)


def pdf_text(path):
    out = subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, f"pdftotext failed on {path}: {out.stderr}"
    return out.stdout


def confirm_close(wd, handover_text):
    """F9, then the confirmation says what will happen; the button does it."""
    wd.keys(Keys.F9)
    button = wd.wait_for(".backdrop .dialog .btn.primary", 10)
    label = button.text.strip()
    assert label == f"确认结班：上交财务 {handover_text}", f"the confirmation button says {label!r}"
    button.click()


def db_dir(wd):
    return os.path.dirname(wd.find("#status-db").attribute("title"))


# ---- tests -----------------------------------------------------------------------------------


def test_day_close_with_shortage(wd):
    """(a) cash with change, WeChat, mixed, one 退号 → 日结 with ¥1 short in cash → explanation → close → report."""
    start(wd)  # float: 2 × ¥100
    float_fen = 20000

    # 1. cash, with change
    new_patient(wd, "周一鸣", "13911110001")
    due1 = pick_department(wd)
    wd.find("#reg-complaint").click()
    wd.keys(Keys.ENTER)
    wait_focus(wd, "reg-tendered")
    type_here(wd, str(due1 // 100 + 50))
    wd.wait_text("#reg-change", yuan(5000), timeout=5)
    wd.keys(Keys.F9)
    wait_count(wd, 1)

    # 2. WeChat, the whole amount
    new_patient(wd, "吴二妹", "13911110002")
    due2 = pick_department(wd)
    set_method(wd, "wechat")
    wd.keys(Keys.F9)
    wait_count(wd, 2)

    # 3. mixed: ¥5 by WeChat, the rest in cash with ¥5 change
    new_patient(wd, "郑三立", "13911110003")
    due3 = pick_department(wd)
    assert due3 > 500, f"the fee {due3} is too small to split"
    set_method(wd, "mixed")
    wd.wait_for("#reg-mix-wechat", 5)
    wd.find("#reg-mix-wechat").send_keys("5")
    cash3 = due3 - 500
    wd.find("#reg-mix-cash").send_keys(f"{cash3 // 100}.{cash3 % 100:02d}")
    wd.find("#reg-mix-tendered").send_keys(f"{(cash3 + 500) // 100}.{(cash3 + 500) % 100:02d}")
    wd.wait_text("#reg-mix-change", yuan(500), timeout=5)
    wd.keys(Keys.F9)
    wait_count(wd, 3)

    # 4. 退号 of the WeChat registration: refunded to WeChat
    open_today(wd)
    reg_id = wd.execute(
        "const r = [...document.querySelectorAll('#reg-today tr[data-id]')].find((r) => r.innerText.includes('吴二妹'));"
        "r.focus(); return r.dataset.id;"
    )
    wd.keys(Keys.F7)
    wd.wait_for("#cancel-confirm", 5)
    click(wd, "#cancel-confirm")
    wd.wait_gone("#cancel-confirm", 10)
    wd.wait_until(lambda: row_status(wd, reg_id) == "cancelled", 10, message="the 退号 in today's list")
    wd.wait_until(lambda: shift_figures(wd) == (2, due1 + due3), 10, message=lambda: f"the shift strip after 退号 ({shift_figures(wd)})")

    # 5. 日结: the ledger's figures, as Rust gives them
    go_to_cash(wd)
    expected_cash = float_fen + due1 + cash3
    wd.wait_until(lambda: line(wd, "cash")[0] == expected_cash, 10, message=lambda: f"expected cash {expected_cash} (has {line(wd, 'cash')})")
    assert line(wd, "wechat")[0] == 500, f"expected WeChat: {line(wd, 'wechat')}"
    for method in ("card", "alipay", "insurance"):
        assert line(wd, method)[0] == 0, f"expected {method}: {line(wd, method)}"
    assert text_of(wd, "#close-diff-cash") == "—", "a difference is shown before anything was counted"

    # The drawer, one yuan short; the slips exactly as expected.
    count_cash(wd, expected_cash - 100)
    wait_focus(wd, "close-counted-card")
    wd.keys(Keys.ENTER)
    wait_focus(wd, "close-counted-wechat")
    type_here(wd, "5.00")
    wd.wait_until(lambda: line(wd, "wechat")[2] == 0, 5, message="the WeChat slip to match")
    wd.wait_text("#close-diff-cash", "-¥1.00", timeout=5)
    wd.wait_text("#close-cash-total", yuan(expected_cash - 100), timeout=5)
    assert line(wd, "cash") == (expected_cash, expected_cash - 100, -100), f"cash line {line(wd, 'cash')}"
    cls = attr(wd, "#close-diff-cash", "class")
    assert "money-short" in cls, f"a shortage is not shown in red (class {cls!r})"
    row = text_of(wd, "#close-lines tr[data-method='cash']")
    assert "需说明" in row, f"the cash row does not ask for an explanation: {row!r}"
    assert text_of(wd, "#close-diff-wechat") == "¥0.00"
    assert wd.displayed("#close-explain-hint"), "the screen does not ask for an explanation"
    assert not wd.displayed("#close-approval"), "¥1 short asks for a supervisor"
    handover = expected_cash - 100 - float_fen
    wd.wait_text("#close-handover", yuan(handover), timeout=5)
    assert text_of(wd, "#close-float") == yuan(float_fen)
    size = wd.execute("return parseFloat(getComputedStyle(document.getElementById('close-handover')).fontSize)")
    assert size >= 28, f"上交财务 is shown at {size}px, not in large type"
    first, last = text_of(wd, "#close-receipt-first"), text_of(wd, "#close-receipt-last")
    receipts = text_of(wd, "#close-receipts")
    assert "共 3 张" in receipts and "作废 1" in receipts and "缺号 0" in receipts, f"receipts panel: {receipts!r}"
    assert "退号" in text_of(wd, "#close-voided"), f"the voided receipt has no reason: {text_of(wd, '#close-voided')!r}"
    screen_lines = {m: line(wd, m) for m in ("cash", "card", "wechat", "alipay", "insurance")}
    snap(wd, "cash_counted_short")

    # A language switch rebuilds the screen; what was counted and typed stays, and so do the sums.
    for label in ("中文", "English"):
        click(wd, "#lang-switch")
        wd.wait_until(lambda: text_of(wd, "#lang-switch") == label, 5, message=f"the switch to offer {label}")
        wd.wait_until(lambda: line(wd, "cash") == screen_lines["cash"], 10,
                      message=lambda: f"the cash count after the switch ({line(wd, 'cash')}, was {screen_lines['cash']})")
        wd.wait_until(lambda: line(wd, "wechat") == screen_lines["wechat"], 5, message="the WeChat slip after the switch")
        wd.wait_until(lambda: text_of(wd, "#close-handover") == yuan(handover), 5, message="the handover after the switch")
        if label == "中文":
            snap(wd, "cash_counted_short_en")

    # Closing without an explanation is refused beside the field; nothing typed is lost.
    click(wd, "#close-received-by")
    type_here(wd, "财务室 孙会计")
    wd.keys(Keys.F9)
    wd.wait_until(
        lambda: wd.execute("return document.querySelector('.rfield[data-field=\"explanation\"]').classList.contains('has-error')"),
        5, message="the explanation to be asked for")
    wait_focus(wd, "close-explanation")
    message = text_of(wd, '.rfield[data-field="explanation"] .field-error')
    assert "差额说明" in message, f"the refusal says {message!r}"
    assert not wd.exists("#close-done"), "the shift closed without an explanation"
    assert wd.find("#close-received-by").prop("value") == "财务室 孙会计"
    assert wd.find("#close-d0").prop("value") == str(pieces(expected_cash - 100)[0] or "")
    type_here(wd, "找零时多找一元")
    confirm_close(wd, yuan(handover))

    done = wd.wait_for("#close-done", 15)
    path = done.attribute("data-path")
    assert path and os.path.dirname(path) == os.path.join(db_dir(wd), "reports"), f"report path {path!r}"
    assert os.path.exists(path), f"no report at {path}"
    assert yuan(handover) in text_of(wd, "#close-done-handover")
    snap(wd, "cash_closed")

    text = pdf_text(path)
    flat = squash(text)
    for want in (HOSPITAL_HEADER, "收款员刘敏", "退号1笔", "找零时多找一元", "财务接收人财务室孙会计",
                 f"票据{first}–{last}共3张", "作废1", f"上交现金{yuan(handover)}"):
        assert squash(want) in flat, f"the daily report lacks {want!r}:\n{text}"
    names = {"cash": "现金", "card": "银行卡", "wechat": "微信支付", "alipay": "支付宝", "insurance": "医保"}
    for method, (exp, counted, diff) in screen_lines.items():
        row = f"{names[method]}{yuan(exp)}{yuan(counted)}{'-' if diff < 0 else ''}{yuan(abs(diff))}".replace(",", "")
        assert row in flat, f"the report's {names[method]} line is not {row!r}:\n{text}"
    assert "现金" + yuan(expected_cash) + yuan(expected_cash - 100) + "-¥1.00" in flat

    # The history lists the close with its difference and explanation.
    wd.keys(Keys.F4)
    wd.wait_for("#history-list table", 10)
    history = text_of(wd, "#history-list")
    assert "-¥1.00" in history and "找零时多找一元" in history, f"history: {history!r}"
    snap(wd, "cash_history")


def test_shortage_above_threshold_needs_supervisor(wd):
    """(b) ¥20 short (above the ¥10 threshold): the supervisor signs in the same form."""
    start(wd)
    go_to_cash(wd)
    wd.wait_until(lambda: line(wd, "cash")[0] == 20000, 10, message="the float as expected cash")
    count_cash(wd, 18000)
    wd.wait_text("#close-diff-cash", "-¥20.00", timeout=5)
    wd.wait_for("#close-approval", 5)
    assert "¥10.00" in text_of(wd, "#close-approval"), f"the threshold is not stated: {text_of(wd, '#close-approval')!r}"
    click(wd, "#close-explanation")
    type_here(wd, "一张二十元假币被没收")
    click(wd, "#close-received-by")
    type_here(wd, "财务室 孙会计")

    # Without the supervisor: asked for in the form, no confirmation.
    wd.keys(Keys.F9)
    wait_focus(wd, "close-approver-user")
    assert not wd.displayed(".backdrop:not(#shortcuts) .dialog"), "a confirmation opened without the supervisor"
    type_here(wd, "supervisor")
    wd.keys(Keys.ENTER)
    wait_focus(wd, "close-approver-pass")
    type_here(wd, "wrong-password")
    snap(wd, "cash_supervisor")
    confirm_close(wd, "-¥20.00")
    # Rust refuses the wrong password; the form keeps everything but the password.
    wd.wait_until(lambda: text_of(wd, "#close-approval .rfield.has-error .field-error") or "", 15, message="the wrong password refused")
    assert not wd.exists("#close-done")
    assert wd.find("#close-approver-user").prop("value") == "supervisor"
    assert wd.find("#close-approver-pass").prop("value") == ""
    assert wd.find("#close-explanation").prop("value") == "一张二十元假币被没收"
    wait_focus(wd, "close-approver-pass")
    type_here(wd, "supervisor1234")
    confirm_close(wd, "-¥20.00")
    done = wd.wait_for("#close-done", 15)
    text = squash(pdf_text(done.attribute("data-path")))
    for want in ("-¥20.00", "主管签字：赵丽", "一张二十元假币被没收"):
        assert squash(want) in text, f"the report lacks {want!r}"


def test_appointment_booked_then_checked_in(wd):
    """(c) F10 books for the patient on screen; the 预约号 on the 挂号 screen registers with the booked doctor."""
    start(wd)
    depts = departments_by_doctors(wd)
    assert any(v[1] for v in depts.values()), "no doctor on duty now"
    new_patient(wd, "冯四海", "13911110004")
    wd.keys(F10)
    wd.wait_for("#appt-doctor", 5)
    wd.wait_until(lambda: attr(wd, "#appt-doctor option", "value"), 10, message="the doctors on duty")
    doctor_id = wd.find("#appt-doctor").prop("value")
    doctor_name = wd.execute("return document.getElementById('appt-doctor').selectedOptions[0].textContent.split(' · ')[1];")
    wait_focus(wd, "appt-doctor")
    snap(wd, "appt_book")
    wd.keys(Keys.ENTER)  # -> channel (电话)
    wait_focus(wd, "appt-channel")
    wd.keys(Keys.ENTER)  # book
    number_el = wd.wait_for("#appt-number", 10)
    number = number_el.text.strip()
    assert re.fullmatch(r"Y\d{7}", number), f"appointment number {number!r}"
    size = wd.execute("return parseFloat(getComputedStyle(document.getElementById('appt-number')).fontSize)")
    assert size >= 32, f"the appointment number is shown at {size}px"
    snap(wd, "appt_booked")
    wait_focus(wd, "appt-done")
    wd.keys(Keys.ENTER)
    wd.wait_gone("#appt-number", 5)

    # Today's bookings list it.
    click(wd, "#reg-appts")
    wd.wait_for("#appt-list tr[tabindex]", 10)
    listed = text_of(wd, "#appt-list")
    assert number in listed and "已预约" in listed and "冯四海" in listed, f"today's bookings: {listed!r}"
    snap(wd, "appt_list")
    wd.keys(Keys.ESCAPE)
    wd.wait_gone("#appt-list", 5)

    # Check-in: the number on the 挂号 screen brings the booked doctor.
    click(wd, "#reg-appt")
    type_here(wd, number)
    wd.wait_for(f'#reg-doctors .doc.proposed[data-doctor-id="{doctor_id}"]', 10)
    wd.wait_text("#reg-due-note", "预约签到", timeout=10)
    due = fen(text_of(wd, "#reg-due"))
    click(wd, "#reg-tendered")
    type_here(wd, f"{due // 100}")
    wd.keys(Keys.F9)
    wait_count(wd, 1)
    open_today(wd)
    row = text_of(wd, "#reg-today tbody tr")
    assert doctor_name in row, f"registered with {row!r}, not the booked {doctor_name}"
    click(wd, "#reg-appts")
    wd.wait_for("#appt-list tr[tabindex]", 10)
    assert "已签到" in text_of(wd, "#appt-list"), f"the booking is not checked in: {text_of(wd, '#appt-list')!r}"
    snap(wd, "appt_checked_in")


def test_no_open_shift_and_history(wd):
    """A clerk with no open shift is told so, and the history (F4) is one key away."""
    login(wd, "clerk")
    wd.find('#nav a[data-area="cash"]').click()
    wd.wait_for("#close-none", 10)
    assert "没有未结的班次" in text_of(wd, "#close-none")
    wd.keys(Keys.F4)
    wd.wait_for("#history-list .empty", 10)
    snap(wd, "cash_none")
