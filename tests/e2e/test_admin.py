"""管理 end to end: the printers of a desk PC, chosen from those CUPS has on the machine; the
personal data of records past their retention period removed by the administrator.

DOM contract used here: #nav a[data-area="admin"]; .tabs button[data-tab]; the printers form's
#f-desk, #f-receipt_printer, #f-report_printer (options: the printers of this PC), #printer-save;
.field[data-key] .field-error; the desks table's rows. 保存期限: the periods' table rows
tr[data-id=<record>] (last cell: records past it still holding personal data), #rt-anonymise,
the confirmation .dialog (.btn.danger to go ahead), #rt-result, .toast.
"""

from test_shell import login
from test_registration import snap, text_of
from webdriver import Keys, before_launch


def open_printers(wd):
    login(wd, "admin")
    wd.find('#nav a[data-area="admin"]').click()
    wd.wait_for('.tabs button[data-tab="printers"]', 10).click()
    wd.wait_for("#f-receipt_printer", 10)


def test_printers_of_this_desk(wd):
    """The administrator sets this desk's receipt printer from the list CUPS gives; a desk code
    that is not one is refused beside its field and nothing is saved."""
    open_printers(wd)
    choices = wd.execute("return [...document.querySelectorAll('#f-receipt_printer option')].map((o) => o.value);")
    assert "FrontdeskPDF" in choices, f"the printers of this PC are not offered: {choices}"
    assert choices[0] == "", "no way to leave the desk without a printer"
    assert wd.find("#f-desk").prop("value") == "01"

    desk = wd.find("#f-desk")
    desk.clear()
    desk.send_keys("0 1")
    wd.execute("const s = document.getElementById('f-receipt_printer'); s.value = 'FrontdeskPDF'; s.dispatchEvent(new Event('change'));")
    wd.find("#printer-save").click()
    wd.wait_until(lambda: text_of(wd, '.field[data-key="desk"] .field-error'), 5, message="the refusal beside the desk code")
    said = text_of(wd, '.field[data-key="desk"] .field-error')
    assert said.startswith("窗口号"), f"the refusal names another field: {said!r}"
    rows = wd.execute("return [...document.querySelectorAll('.panel table tbody tr')].map((r) => r.innerText);")
    assert not any("FrontdeskPDF" in r for r in rows), f"a refused setting was saved: {rows}"

    desk = wd.find("#f-desk")
    desk.clear()
    desk.send_keys("01")
    wd.execute("const s = document.getElementById('f-receipt_printer'); s.value = 'FrontdeskPDF'; s.dispatchEvent(new Event('change'));")
    wd.find("#printer-save").click()
    wd.wait_until(
        lambda: any("01" in r and "FrontdeskPDF" in r for r in wd.execute("return [...document.querySelectorAll('.panel table tbody tr')].map((r) => r.innerText);")),
        10,
        message="desk 01's receipt printer in the table",
    )
    assert wd.find("#f-receipt_printer").prop("value") == "FrontdeskPDF"
    snap(wd, "admin_printers")


def personal(wd, record):
    return wd.execute(
        "const r = document.querySelector(`#admin-body tr[data-id='${arguments[0]}']`);"
        "return r ? r.cells[r.cells.length - 1].innerText.trim() : null;", record)


@before_launch("demo", "--days", "8", clock="-1461d")
def test_the_personal_data_of_expired_records_is_removed_after_a_confirmation(wd):
    """A hospital that ran the demo's eight days four years ago (faketime): the administrator sees, per register, how many
    records past their period still hold names and numbers; the button says what it will remove
    and removes nothing when cancelled (or escaped); confirmed, it removes it, says what it did,
    the table shows none left, offers to make today's backup again (made), and a second press
    finds nothing to do."""
    login(wd, "admin")
    wd.find('#nav a[data-area="admin"]').click()
    wd.wait_for('.tabs button[data-tab="retention"]', 10).click()
    wd.wait_for("#rt-anonymise", 10)
    complaints, followups = personal(wd, "complaint"), personal(wd, "followup")
    assert complaints and int(complaints) > 0, f"no closed complaint of four years ago holds a name: {complaints!r}"
    assert followups and int(followups) > 0, f"no follow-up of four years ago holds a number: {followups!r}"

    wd.find("#rt-anonymise").click()
    wd.wait_for(".dialog", 10)
    said = text_of(wd, ".dialog p")
    assert "件投诉" in said and "次回访" in said and "位患者" in said, f"the confirmation does not say what goes: {said!r}"
    snap(wd, "retention_confirm")
    assert wd.execute("return document.activeElement.classList.contains('danger')") is False, "Enter would remove at once"
    wd.keys(Keys.ESCAPE)
    wd.wait_gone(".dialog", 5)
    assert personal(wd, "complaint") == complaints and personal(wd, "followup") == followups, "escaped, yet something was removed"
    wd.wait_until(lambda: wd.find("#rt-anonymise").is_enabled(), 5, message="the button usable again after Escape")

    wd.find("#rt-anonymise").click()
    wd.wait_for(".dialog", 10)
    wd.find(".dialog .btn.danger").click()
    # Then the offer to make today's backup again, since the earlier ones hold what went.
    wd.wait_until(lambda: "重新备份" in (text_of(wd, ".backdrop:not(#shortcuts) .dialog h2") or ""), 30,
                  message="the offer to back up today again")
    offer = text_of(wd, ".backdrop:not(#shortcuts) .dialog p")
    assert "之前做的备份仍含" in offer, offer
    snap(wd, "retention_backup_offer")
    wd.find(".backdrop:not(#shortcuts) .dialog .btn.primary").click()
    # The result is shown before the offer, and again with the backup once it is made.
    wd.wait_until(lambda: "已重新备份为" in (text_of(wd, "#rt-result") or ""), 30,
                  message="the result saying today's backup was made again")
    result = text_of(wd, "#rt-result")
    assert result.startswith("已清除") and "审计日志" in result, f"not said what was removed: {result!r}"
    assert "已重新备份为 frontdesk-" in result, f"not said that today's backup was made again: {result!r}"
    assert personal(wd, "complaint") == "0", f"complaints still hold personal data: {personal(wd, 'complaint')!r}"
    assert personal(wd, "followup") == "0", f"follow-ups still hold numbers: {personal(wd, 'followup')!r}"
    snap(wd, "retention_removed")

    wd.find("#rt-anonymise").click()
    wd.wait_until(lambda: "没有需要清除" in (text_of(wd, ".toast") or ""), 10, message="nothing left to remove")
    assert not wd.displayed(".dialog"), "a confirmation for nothing"


@before_launch("demo", "--days", "2", "--until", "2026-03-06")
def test_the_audit_log_shows_patients_masked_unless_a_reason_is_given(wd):
    """The administrator's log shows the patients' copies masked (张*三, 138****8000); in full only
    after a reason, which the log itself then keeps (audit.unmasked); no reason, nothing shown."""
    login(wd, "admin")
    wd.find('#nav a[data-area="admin"]').click()
    wd.wait_for('.tabs button[data-tab="audit"]', 10).click()
    wd.wait_for("#audit-list table", 10)
    wd.execute("const s = document.querySelector('.toolbar select'); s.value = 'patient'; s.dispatchEvent(new Event('change'));")
    phones = lambda: wd.execute(
        "return [...document.querySelectorAll('#audit-list pre.json')].map((p) => (p.innerText.match(/\"phone\":\"([^\"]*)\"/) || [])[1]).filter(Boolean);")
    wd.wait_until(lambda: len(phones()) > 0, 10, message="the patients' entries")
    assert all("****" in p for p in phones()), f"phones in full without a reason: {phones()[:5]}"
    assert "脱敏" in text_of(wd, "#audit-note")
    snap(wd, "audit_masked")

    wd.find("#audit-unmasked").click()
    reason = wd.wait_for("#f-export_reason", 5)
    reason.send_keys(Keys.ENTER)
    wd.wait_until(lambda: text_of(wd, ".dialog .field-error"), 5, message="the reason asked for")
    assert all("****" in p for p in phones()), "shown in full without a reason"
    reason.send_keys("核对患者投诉信息")
    reason.send_keys(Keys.ENTER)
    wd.wait_until(lambda: "核对患者投诉信息" in (text_of(wd, "#audit-note") or ""), 10, message="the reason said beside the log")
    wd.wait_until(lambda: phones() and not any("****" in p for p in phones()), 10, message="the phones in full")
    snap(wd, "audit_unmasked")


def test_a_new_account_chooses_among_the_roles_rust_gives(wd):
    """The staff form's roles come from Rust (status.roles), in the desk's language; a new account
    saved with one is listed with it."""
    login(wd, "admin")
    wd.find('#nav a[data-area="admin"]').click()
    wd.wait_for('.tabs button[data-tab="staff"]', 10).click()
    wd.wait_for("button.new", 10).click()
    wd.wait_for("#f-role", 5)
    options = wd.execute("return [...document.querySelectorAll('#f-role option')].map((o) => [o.value, o.textContent]);")
    assert [o[0] for o in options] == ["clerk", "guide", "service", "supervisor", "head", "admin"], options
    assert all(o[1] and o[1] != o[0] for o in options), f"roles without their names: {options}"
    assert wd.find("#f-role").prop("value") == "clerk"
    wd.find("#f-username").send_keys("zhaoliu")
    wd.find("#f-display_name").send_keys("赵六")
    wd.execute("const s = document.getElementById('f-role'); s.value = 'guide'; s.dispatchEvent(new Event('change'));")
    wd.find("#f-password").send_keys("guide-pass-2026")
    snap(wd, "admin_staff_new")
    wd.find(".dialog .btn.primary").click()
    wd.wait_until(
        lambda: any("zhaoliu" in r and "导医" in r for r in wd.execute("return [...document.querySelectorAll('.panel table tbody tr')].map((r) => r.innerText);")),
        10,
        message="the new account listed with its role",
    )
