"""管理 end to end: the printers of a desk PC, chosen from those CUPS has on the machine.

DOM contract used here: #nav a[data-area="admin"]; .tabs button[data-tab]; the printers form's
#f-desk, #f-receipt_printer, #f-report_printer (options: the printers of this PC), #printer-save;
.field[data-key] .field-error; the desks table's rows.
"""

from test_shell import login
from test_registration import snap, text_of


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
