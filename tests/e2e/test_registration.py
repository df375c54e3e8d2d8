"""挂号 end to end: the float, a new patient by keyboard, registering and paying cash, the receipt
PDF, a return patient by card number, a doctor who is not on duty, 退号 and 换号.

Each test gets a freshly launched app on a fresh database (the demo hospital, with a schedule
for two weeks from today) — see run.py. Which doctors are on duty depends on the clock; the
tests read them from the page (the doctor buttons come from duty_today), never by name.

DOM contract used here: #shift-panel, #float-0…#float-7; #reg-search, #reg-results .hit (rows kept and hidden when not in use: .hit:not([hidden])),
#reg-new; the new-patient dialog's #f-name … #f-heard_via; #reg-patient-name, #reg-visit-kind,
#reg-card; #reg-complaint, #reg-dept, #reg-type, #reg-doctors .doc(.on|.off|.proposed)[data-doctor-id],
#reg-quote-error; #reg-due, #reg-method, #reg-tendered, #reg-change, #reg-submit; #reg-shift
[data-count][data-total], #reg-last, #reg-last-receipt, #reg-last-change, #reg-last-print[data-state]
(sending|printed|opened|failed, the file or the printer's problem in its title); #reg-today
tr[data-id][data-status]; #cancel-reason, #cancel-confirm; #change-dept, #change-doctor,
#change-confirm, #change-error, #change-quote, #change-diff, #change-pay, #change-tendered,
#change-change, #change-doctor option (value: doctor id; text: name …, " · 现挂" on the
registration's own doctor); .hit text (上次 … <department>); #status-db.
"""

import datetime
import os
import re
import subprocess
import time
import zoneinfo

from test_shell import CJK, login
from webdriver import Keys, before_launch

HOSPITAL_HEADER = "示范市第一人民医院"
SHOTS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "target", "e2e")


# ---- helpers ---------------------------------------------------------------------------------


def fen(text):
    """¥1,234.50 -> 123450 (the test reads money the page shows)."""
    m = re.search(r"(-?)¥([\d,]+)\.(\d\d)", text)
    assert m, f"no amount in {text!r}"
    value = int(m.group(2).replace(",", "")) * 100 + int(m.group(3))
    return -value if m.group(1) else value


def yuan(f):
    return f"¥{f // 100:,}.{f % 100:02d}"


def snap(wd, name):
    """A screenshot of the state in the middle of a test, for a person to look at."""
    os.makedirs(SHOTS, exist_ok=True)
    wd.next_frames(2)
    wd.screenshot(os.path.join(SHOTS, f"{name}.png"))


def type_here(wd, text):
    """Types at the focused element (element send-keys: handles Chinese text as well)."""
    wd.active_element().send_keys(text)


def attr(wd, css, name):
    """An attribute of the first match, read in one go (the page re-renders lists as answers come)."""
    return wd.execute("const n = document.querySelector(arguments[0]); return n ? n.getAttribute(arguments[1]) : null;", css, name)


def text_of(wd, css):
    return wd.execute("const n = document.querySelector(arguments[0]); return n ? n.innerText.trim() : null;", css)


def click(wd, css, timeout=5):
    """Clicks the first match, finding it again if a re-render replaced it."""
    wd.wait_until(lambda: wd.find(css).click() or True, timeout, message=f"a click on {css!r}")


def wait_focus(wd, element_id, timeout=5):
    wd.wait_until(
        lambda: wd.active_id() == element_id,
        timeout,
        message=lambda: f"the focus in #{element_id} (focus: {wd.active_id()!r})",
    )


def open_shift(wd, hundreds=2, shot=None):
    """The 开班 panel comes first: count the float by keyboard (Enter through, Enter on the last).
    With shot, a screenshot of the panel is saved under that name once the first count is typed."""
    wd.wait_for("#shift-panel", 10)
    wait_focus(wd, "float-0")
    type_here(wd, str(hundreds))
    if shot:
        snap(wd, shot)
    for _ in range(8):
        wd.keys(Keys.ENTER)
    wd.wait_for("#reg-search", 10)
    wait_focus(wd, "reg-search")
    wd.wait_until(lambda: attr(wd, "#reg-shift", "data-total") == "0", 5, message="the shift strip")


def start(wd, shot=None):
    login(wd, "clerk")
    open_shift(wd, shot=shot)
    # The reference lists (departments, fees, doctors on duty) are in.
    wd.wait_until(lambda: len(wd.find_all("#reg-dept option")) > 1, 10, message="the department list")


def new_patient(wd, name, phone, birth="1980-05-17"):
    """F3, then the form by keyboard only: Enter moves to the next field, Enter on the last saves."""
    wd.keys(Keys.F3)
    wd.wait_for("#f-name", 5)
    wait_focus(wd, "f-name")
    type_here(wd, name)
    wd.keys(Keys.ENTER)  # -> sex
    wait_focus(wd, "f-sex")
    wd.keys("1")  # 1 男
    wd.keys(Keys.ENTER)  # -> birth date
    type_here(wd, birth)
    wd.keys(Keys.ENTER)  # -> ID number (none)
    wd.keys(Keys.ENTER)  # -> phone
    wait_focus(wd, "f-phone")
    type_here(wd, phone)
    wd.keys(Keys.ENTER)  # -> address
    type_here(wd, "示范市和平路1号")
    wd.keys(Keys.ENTER)  # -> 来源地
    type_here(wd, "本市")
    wd.keys(Keys.ENTER)  # -> 获知途径
    wait_focus(wd, "f-heard_via")
    wd.keys(Keys.ENTER)  # the last field: save
    wd.wait_gone("#f-name", 10)
    wd.wait_text("#reg-patient-name", name)
    wait_focus(wd, "reg-complaint")
    return text_of(wd, "#reg-card")


def departments_by_doctors(wd):
    """{department id: (name, on-duty doctor ids, off-duty doctor ids)} as the page lists them."""
    return wd.execute(
        """
        const sel = document.getElementById('reg-dept');
        const out = {};
        for (const o of [...sel.options].filter((o) => o.value)) {
          sel.value = o.value;
          sel.dispatchEvent(new Event('change'));
          const ids = (q) => [...document.querySelectorAll('#reg-doctors ' + q)].map((b) => b.dataset.doctorId);
          out[o.value] = [o.textContent, ids('.doc.on'), ids('.doc.off')];
        }
        sel.value = '';
        sel.dispatchEvent(new Event('change'));
        return out;
        """
    )


def choose_department(wd, dept_id):
    wd.execute(
        "const s = document.getElementById('reg-dept'); s.value = arguments[0]; s.dispatchEvent(new Event('change'));",
        str(dept_id),
    )


def wait_quote(wd):
    """The quote is in: an amount due and a proposed doctor; returns the due in fen."""
    wd.wait_until(lambda: wd.exists("#reg-doctors .doc.proposed"), 10, message="a proposed doctor")
    return fen(wd.wait_until(lambda: (lambda t: "¥" in (t or "") and t)(text_of(wd, "#reg-due")), 10, message="the amount due"))


def receipts_dir(wd):
    db = wd.find("#status-db").attribute("title")
    assert db and os.path.isabs(db), f"#status-db has no full path: {db!r}"
    return os.path.join(os.path.dirname(db), "receipts")


def receipt_text(wd, number):
    path = os.path.join(receipts_dir(wd), f"收据-{number}.pdf")
    wd.wait_until(lambda: os.path.exists(path) and os.path.getsize(path) > 0, 10, message=f"the receipt {path}")
    # No printer set for this desk: Rust wrote the file and would open it in the viewer.
    wd.wait_until(lambda: attr(wd, "#reg-last-print", "data-state") != "sending", 10, message="the receipt to be delivered")
    assert attr(wd, "#reg-last-print", "data-state") == "opened", text_of(wd, "#reg-last-print")
    shown = attr(wd, "#reg-last-print", "title")
    assert shown == path, f"receipt_open answered {shown!r}, not {path!r}"
    out = subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, f"pdftotext failed on {path}: {out.stderr}"
    return out.stdout


def squash(text):
    return re.sub(r"\s+", "", text)


def register_cash(wd, tendered):
    """Focus in 主诉 with a quote shown: Enter accepts, type the tendered amount, F9."""
    wd.keys(Keys.ENTER)
    wait_focus(wd, "reg-tendered")
    type_here(wd, tendered)
    wd.keys(Keys.F9)
    wd.wait_for("#reg-last-receipt", 15)
    wait_focus(wd, "reg-search")


def supervisor_types(wd, prefix, password):
    """At the desk, the supervisor types their username, Enter, a password, Enter, into
    #<prefix>-approver-user and #<prefix>-approver-pass."""
    wait_focus(wd, f"{prefix}-approver-user")
    type_here(wd, "supervisor")
    wd.keys(Keys.ENTER)
    wait_focus(wd, f"{prefix}-approver-pass")
    type_here(wd, password)
    wd.keys(Keys.ENTER)


def registrations_today(wd):
    """Today's registrations as Rust lists them (not what the page last drew)."""
    out = wd.execute_async(
        "const done = arguments[arguments.length - 1];"
        "window.__TAURI__.core.invoke('registrations', { patient_id: null }).then(done, (e) => done(String(e.message || e)));"
    )
    assert isinstance(out, list), f"registrations: {out}"
    return out


def shift_figures(wd):
    return int(attr(wd, "#reg-shift", "data-count")), int(attr(wd, "#reg-shift", "data-total"))


def open_today(wd):
    if not wd.displayed("#reg-today"):
        wd.keys(Keys.F4)
    wd.wait_for("#reg-today tr[data-id]", 10)


def newest_of_today(wd):
    """Opens today's list (F4) and returns the id of its first row, which has the focus."""
    open_today(wd)
    reg_id = attr(wd, "#reg-today tbody tr", "data-id")
    wd.wait_until(lambda: wd.execute("return document.activeElement.dataset.id || ''") == reg_id, 5,
                  message="today's list to take the focus")
    return reg_id


def row_status(wd, reg_id):
    return attr(wd, f'#reg-today tr[data-id="{reg_id}"]', "data-status")


def ensure_doctors_on_duty(wd, need=2):
    """At a quiet hour (the evening has one doctor on duty) the head adds a duty slot, as the
    admin screen does, so that 换号 has somewhere to go. Returns after signing in as clerk again."""
    depts = departments_by_doctors(wd)
    on = sum(len(v[1]) for v in depts.values())
    if on >= need:
        return
    wd.find("#logout").click()
    login(wd, "head")
    wd.execute_async(
        """
        const done = arguments[arguments.length - 1];
        const inv = window.__TAURI__.core.invoke;
        (async () => {
          const st = await inv('app_status');
          const duty = await inv('reference_list', { kind: 'duty', filter: { from: st.business_date, days: 1 } });
          const busy = new Set(duty.filter((d) => d.session === st.day_session).map((d) => d.doctor_id));
          const doctors = (await inv('reference_list', { kind: 'doctor', filter: null })).filter((d) => d.active && !busy.has(d.id));
          for (const d of doctors.slice(0, 2)) {
            await inv('reference_save', { kind: 'duty', record: { id: null, date: st.business_date, session: st.day_session, doctor_id: d.id, capacity: 30 } });
          }
          done(true);
        })().catch((e) => done(String(e.message || e)));
        """
    )
    wd.find("#logout").click()
    login(wd, "clerk")
    wd.wait_for("#reg-search", 10)
    wd.wait_until(lambda: len(wd.find_all("#reg-dept option")) > 1, 10, message="the department list")


def add_twin_on_duty(wd):
    """Two doctors of one name happen (two 王伟): the head adds, to a department with a doctor on
    duty this session, a second doctor of that name on duty in the same session. Returns (the
    department's id, the first doctor's id, the twin's id) after signing the clerk in again."""
    wd.find("#logout").click()
    login(wd, "head")
    out = wd.execute_async(
        """
        const done = arguments[arguments.length - 1];
        const inv = window.__TAURI__.core.invoke;
        (async () => {
          const st = await inv('app_status');
          const duty = await inv('reference_list', { kind: 'duty', filter: { from: st.business_date, days: 1 } });
          const slot = duty.find((d) => d.session === st.day_session);
          const twin = await inv('reference_save', { kind: 'doctor', record: { id: null, name: slot.doctor_name, department_id: slot.department_id, title: '住院医师', active: true } });
          await inv('reference_save', { kind: 'duty', record: { id: null, date: st.business_date, session: st.day_session, doctor_id: twin.id, capacity: 30 } });
          done([slot.department_id, slot.doctor_id, twin.id]);
        })().catch((e) => done(String(e.message || e)));
        """
    )
    assert isinstance(out, list), f"the twin could not be added: {out}"
    wd.find("#logout").click()
    login(wd, "clerk")
    wd.wait_for("#reg-search", 10)
    wd.wait_until(lambda: len(wd.find_all("#reg-dept option")) > 1, 10, message="the department list")
    return tuple(out)


def register_then_open_change(wd, name, phone):
    """A new patient registered, paid in cash, with the proposed doctor; then 换号 (F8) opened on
    today's row with another doctor on duty chosen — in the same department when it has two on
    duty, else in another. Returns (the registration's id, the fee paid in fen)."""
    start(wd)
    ensure_doctors_on_duty(wd, 2)
    new_patient(wd, name, phone)
    depts = departments_by_doctors(wd)
    same = [(k, v) for k, v in depts.items() if len(v[1]) >= 2]
    dept_id, (_, on, _) = same[0] if same else next((k, v) for k, v in depts.items() if v[1])
    choose_department(wd, dept_id)
    due = wait_quote(wd)
    proposed = attr(wd, "#reg-doctors .doc.proposed", "data-doctor-id")
    wd.find("#reg-complaint").click()
    register_cash(wd, f"{due // 100}")
    if same:
        target_dept, target = dept_id, next(d for d in on if d != proposed)
    else:
        target_dept, (_, other_on, _) = next((k, v) for k, v in depts.items() if v[1] and k != dept_id)
        target = other_on[0]

    reg_id = newest_of_today(wd)
    wd.keys(Keys.F8)
    wd.wait_for("#change-confirm", 5)
    wd.execute(
        "const d = document.getElementById('change-dept'); d.value = arguments[0]; d.dispatchEvent(new Event('change'));"
        "const o = document.getElementById('change-doctor'); o.value = arguments[1]; o.dispatchEvent(new Event('change'));",
        str(target_dept), str(target),
    )
    return reg_id, due


# ---- tests -----------------------------------------------------------------------------------


def test_new_patient_cash_receipt(wd):
    """(a) float → new patient by keyboard → proposed doctor → cash with change → the receipt PDF."""
    start(wd, shot="registration_float")
    new_patient(wd, "韩梅梅", "13912345678")
    depts = departments_by_doctors(wd)
    dept_id, (dept_name, on, _) = next((k, v) for k, v in depts.items() if v[1])
    choose_department(wd, dept_id)
    due = wait_quote(wd)
    proposed = attr(wd, "#reg-doctors .doc.proposed", "data-doctor-id")
    assert proposed in on, f"the proposed doctor {proposed} is not among those on duty {on}"
    assert text_of(wd, "#reg-visit-kind") == "初诊", "a new patient is not shown as 初诊"
    wd.find("#reg-complaint").click()
    wait_focus(wd, "reg-complaint")
    wd.keys(Keys.ENTER)  # accept the proposed doctor
    wait_focus(wd, "reg-tendered")
    tendered = due + 5000
    type_here(wd, f"{tendered // 100}")
    expected_change = yuan(tendered - due)
    # 唱收唱付: the change appears while typing, from Rust's payment check.
    wd.wait_text("#reg-change", expected_change, timeout=5)
    snap(wd, "registration_desk")
    size = wd.execute("return parseFloat(getComputedStyle(document.getElementById('reg-change')).fontSize)")
    assert size >= 32, f"the change is shown at {size}px, not in large type"
    wd.keys(Keys.F9)
    last = wd.wait_for("#reg-last-receipt", 15)
    number = last.text.strip()
    assert re.fullmatch(r"[\w-]+-\d{8}", number), f"receipt number {number!r}"
    assert text_of(wd, "#reg-last-change") == expected_change, "the change after F9 differs"
    queue = re.search(r"(\d+)", text_of(wd, "#reg-last")).group(1)
    # The screen is clear for the next patient.
    wait_focus(wd, "reg-search")
    assert not wd.exists("#reg-patient-name"), "the previous patient's name is still on screen"
    assert "韩梅梅" not in text_of(wd, "#reg"), "the previous patient lingers on the screen"
    assert wd.find("#reg-complaint").prop("value") == "" and wd.find("#reg-tendered").prop("value") == ""
    assert shift_figures(wd) == (1, due), f"shift strip {shift_figures(wd)}, expected (1, {due})"

    text = receipt_text(wd, number)
    flat = squash(text)
    for want in (HOSPITAL_HEADER, "韩梅梅", dept_name, f"{queue}号", yuan(due), "实收", yuan(tendered), "找零",
                 expected_change, number, "初诊"):
        assert squash(want) in flat, f"the receipt lacks {want!r}:\n{text}"


def test_return_patient_by_card(wd):
    """(b) a return patient: card number → Enter → Enter → tendered → F9, registered as 复诊."""
    start(wd)
    card = new_patient(wd, "李雷", "13800138000")
    depts = departments_by_doctors(wd)
    dept_id, (dept_name, _, _) = next((k, v) for k, v in depts.items() if v[1])
    choose_department(wd, dept_id)
    due = wait_quote(wd)
    wd.find("#reg-complaint").click()
    register_cash(wd, f"{due // 100}")

    # The shortest path, counted: beyond the digits typed, Enter, Enter and F9.
    keys = 0
    type_here(wd, card)
    wd.keys(Keys.ENTER)
    keys += 1
    wait_focus(wd, "reg-complaint")
    wd.wait_text("#reg-patient-name", "李雷")
    wd.wait_text("#reg-visit-kind", "复诊")
    wd.wait_until(lambda: wd.exists("#reg-doctors .doc.proposed"), 10, message="the proposed doctor")
    wd.keys(Keys.ENTER)
    keys += 1
    wait_focus(wd, "reg-tendered")
    due2 = fen(text_of(wd, "#reg-due"))
    type_here(wd, f"{due2 // 100 + 1}")
    wd.keys(Keys.F9)
    keys += 1
    wd.wait_until(lambda: shift_figures(wd)[0] == 2, 15, message="the second registration in the shift strip")
    assert keys <= 6, f"the return-patient path took {keys} keys beyond the numbers"
    number = text_of(wd, "#reg-last-receipt")
    assert text_of(wd, "#reg-last-change") == "¥1.00"
    text = receipt_text(wd, number)
    assert "复诊" in squash(text), f"the receipt does not say 复诊:\n{text}"
    assert "李雷" in squash(text) and squash(dept_name) in squash(text), f"receipt:\n{text}"
    open_today(wd)
    wd.wait_until(lambda: wd.execute("return document.querySelectorAll('#reg-today tbody tr').length") == 2, 5,
                  message="two registrations in today's list")
    first = text_of(wd, "#reg-today tbody tr")
    assert "复诊" in first, f"today's newest registration: {first!r}"


def test_doctor_not_on_duty_refused(wd):
    """(c) asking for a doctor who is not on duty this session: a clear Chinese message, nothing registered."""
    start(wd)
    new_patient(wd, "王小明", "13700137000")
    depts = departments_by_doctors(wd)
    dept_id, (_, _, off) = next((k, v) for k, v in depts.items() if v[2])
    choose_department(wd, dept_id)
    button = f'#reg-doctors .doc.off[data-doctor-id="{off[0]}"]'
    wd.wait_for(button)
    name = text_of(wd, f"{button} .doc-name")
    click(wd, button)
    message = wd.wait_until(
        lambda: wd.displayed("#reg-quote-error") and text_of(wd, "#reg-quote-error"),
        10,
        message="the refusal in #reg-quote-error",
    )
    assert CJK.search(message) and name in message and "不出诊" in message, f"refusal message {message!r}"
    assert text_of(wd, "#reg-due") == "—", "an amount is due for a doctor who is not in"
    wd.find("#reg-tendered").send_keys("100")
    wd.keys(Keys.F9)
    # F9 without a quote is refused on the page: the focus goes back to 主诉, the refusal stays.
    wait_focus(wd, "reg-complaint")
    assert text_of(wd, "#reg-quote-error") == message, "the refusal changed or went away on F9"
    assert not registrations_today(wd), "something was registered for a doctor who is not on duty"
    assert shift_figures(wd) == (0, 0), "the shift strip counts a registration for a doctor who is not on duty"
    assert text_of(wd, "#reg-patient-name") == "王小明", "the screen lost the patient on a refusal"


def test_cancel_refunds(wd):
    """(d) 退号 with a reason: the registration shows cancelled and the shift total drops by the fee."""
    start(wd)
    new_patient(wd, "张伟", "13600136000")
    depts = departments_by_doctors(wd)
    dept_id = next(k for k, v in depts.items() if v[1])
    choose_department(wd, dept_id)
    due = wait_quote(wd)
    wd.find("#reg-complaint").click()
    register_cash(wd, f"{due // 100}")
    assert shift_figures(wd) == (1, due)

    reg_id = newest_of_today(wd)
    wd.keys(Keys.F7)
    wd.wait_for("#cancel-confirm", 5)
    wait_focus(wd, "cancel-reason")
    confirm = wd.find("#cancel-confirm").text.strip()
    assert confirm == f"确认退号并退款 {yuan(due)}", f"the confirm button says {confirm!r}"
    wd.keys(Keys.ENTER)  # -> the note
    wait_focus(wd, "cancel-note")
    type_here(wd, "家中有事")
    wd.keys(Keys.ENTER)  # -> the confirm button
    wait_focus(wd, "cancel-confirm")
    snap(wd, "registration_cancel")
    wd.keys(Keys.ENTER)
    wd.wait_gone("#cancel-confirm", 10)
    wd.wait_until(lambda: row_status(wd, reg_id) == "cancelled", 10, message="the row to show 已退号")
    assert "已退号" in text_of(wd, f'#reg-today tr[data-id="{reg_id}"]')
    wd.wait_until(lambda: shift_figures(wd) == (0, 0), 10, message=lambda: f"the shift total to drop by {yuan(due)} (strip {shift_figures(wd)})")

    # Four confirmations came in this test (shift, patient, registration, 退号): one notice is
    # on screen, covering no button, and it goes by itself.
    notices = wd.execute(
        """const boxes = [...document.querySelectorAll('.toast')].map((n) => n.getBoundingClientRect());
        const hit = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
        const covered = [...document.querySelectorAll('button, a, input, select')]
          .filter((b) => b.offsetParent !== null)
          .filter((b) => boxes.some((n) => hit(n, b.getBoundingClientRect())))
          .map((b) => b.id || b.textContent.trim());
        return [boxes.length, covered, document.querySelector('.toast')?.textContent || ''];"""
    )
    assert notices[0] == 1, f"{notices[0]} notices on screen at once"
    assert notices[1] == [], f"the notice covers {notices[1]}"
    assert "已退号" in notices[2], f"the notice on screen is {notices[2]!r}, not the newest"
    wd.wait_until(lambda: not wd.exists(".toast"), 10, message="the notice to go by itself")


def test_stale_answers_never_overwrite_newer_ones(wd):
    """Search as you type asks on every keystroke; an answer that comes back after a newer one
    (a reply for "zh" after the one for "zha") is dropped: the helper every as-you-type list
    uses, run in the page with replies held back, then the real search box typed into fast."""
    start(wd)
    order = wd.execute_async(
        """const done = arguments[arguments.length - 1];
        import('./js/ui.js').then(async ({ newest }) => {
          const slow = (q, ms, fail) => new Promise((ok, no) => setTimeout(() => (fail ? no(new Error(q)) : ok(q)), ms));
          const ask = newest(slow);
          const shown = [];
          const take = (p) => p.then((r) => { if (r.current) shown.push(r.value); }, (e) => shown.push('error ' + e.message));
          const a = take(ask('zh', 120));
          const b = take(ask('zhx', 60, true));
          const c = take(ask('zha', 0));
          await Promise.all([a, b, c]);
          const d = take(ask('zhan', 50));
          ask.drop();
          await d;
          done(shown);
        }, (e) => done('import failed: ' + e));"""
    )
    assert order == ["zha"], f"the page showed {order!r}: an older answer overwrote a newer one"
    new_patient(wd, "张三丰", "13900139000")
    wd.find("#reg-search").click()
    for ch in "zsf":
        wd.active_element().send_keys(ch)
    wd.wait_until(lambda: text_of(wd, "#reg-results .hit-name") == "张三丰", 5, message="the hit for zsf")
    for ch in "xyz":
        wd.active_element().send_keys(ch)
    wd.wait_text("#reg-results", "没有找到", timeout=5)
    assert not wd.exists("#reg-results .hit:not([hidden])"), "a hit from an older query is still shown"


PRINT_OUT = os.environ.get("FRONTDESK_TEST_PRINT_OUT", "/tmp/frontdesk-print")


def printed_text(title, timeout=60):
    """The text of what the CUPS PDF printer made of the job titled `title`, once written."""
    path = os.path.join(PRINT_OUT, f"{title}.pdf")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        # cups-pdf creates the file empty, then fills it: done when poppler can read it.
        if os.path.exists(path) and subprocess.run(["pdfinfo", path], capture_output=True).returncode == 0:
            return subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, text=True).stdout
        time.sleep(0.1)
    raise AssertionError(f"nothing printed as {path}")


def pay_cash_for_new_patient(wd, name, phone):
    new_patient(wd, name, phone)
    depts = departments_by_doctors(wd)
    choose_department(wd, next(k for k, v in depts.items() if v[1]))
    due = wait_quote(wd)
    wd.find("#reg-complaint").click()
    register_cash(wd, f"{due // 100}")
    return due


@before_launch("printer", "set", "--desk", "01", "--receipt", "FrontdeskPDF")
def test_f9_prints_the_receipt_on_the_desk_printer(wd):
    """With a receipt printer set for the desk, F9 sends the receipt straight to it through CUPS
    (no viewer, no dialog), the screen is the next patient's at once, and the strip says where
    the receipt went; what the printer produced reads back."""
    title = "receipt-01-00000001"
    if os.path.exists(os.path.join(PRINT_OUT, f"{title}.pdf")):
        os.remove(os.path.join(PRINT_OUT, f"{title}.pdf"))
    start(wd)
    pay_cash_for_new_patient(wd, "印小收", "13700137001")
    # register_cash waited for the search box to have the focus again: the next patient's turn.
    assert wd.find("#reg-search").prop("value") == ""
    wd.wait_until(lambda: attr(wd, "#reg-last-print", "data-state") in ("printed", "failed"), 30, message="the print to be sent")
    assert attr(wd, "#reg-last-print", "data-state") == "printed", attr(wd, "#reg-last-print", "title")
    assert "FrontdeskPDF" in text_of(wd, "#reg-last-print")
    snap(wd, "registration_printed")
    text = printed_text(title)
    for want in (HOSPITAL_HEADER, "印小收", "01-00000001"):
        assert squash(want) in squash(text), f"the printed receipt lacks {want!r}:\n{text}"


@before_launch("printer", "set", "--desk", "01", "--receipt", "FrontdeskRefusing")
def test_a_printer_refusing_the_receipt_loses_nothing(wd):
    """A printer that refuses the job: the registration is saved, the strip says the receipt was
    not printed (CUPS's reason on it), the notice says what to do, and 重打 is there."""
    start(wd)
    pay_cash_for_new_patient(wd, "拒小印", "13700137002")
    wd.wait_until(lambda: attr(wd, "#reg-last-print", "data-state") == "failed", 30, message="the printer's refusal")
    why = attr(wd, "#reg-last-print", "title")
    assert "FrontdeskRefusing" in why and "Paper jam" in why, why
    assert "挂号已保存" in (text_of(wd, ".toast") or ""), text_of(wd, ".toast")
    snap(wd, "registration_print_refused")
    rows = registrations_today(wd)
    assert [r["patient_name"] for r in rows] == ["拒小印"], rows
    assert rows[0]["status"] == "waiting"
    assert wd.exists("#reg-last .linkbtn"), "no 重打 beside the failed print"


def test_change_doctor(wd):
    """(e) 换号 to another doctor: the old registration shows changed, the new one a new queue number."""
    old_id, due = register_then_open_change(wd, "刘洋", "13500135000")
    old_queue = text_of(wd, f'#reg-today tr[data-id="{old_id}"] td:nth-child(2)')
    wd.wait_text("#change-quote", "将换到", timeout=10)
    target_name = wd.execute(
        "const o = document.getElementById('change-doctor'); return o.selectedOptions[0].textContent.split(' ')[0];"
    )
    wd.find("#change-confirm").click()
    wd.wait_gone("#change-confirm", 10)
    wd.wait_until(lambda: row_status(wd, old_id) == "changed", 10, message="the old registration to show 已换号")
    rows = wd.execute(
        "return [...document.querySelectorAll('#reg-today tbody tr')].map((r) => [r.dataset.id, r.dataset.status, r.innerText]);"
    )
    new = [r for r in rows if r[0] != old_id]
    assert len(new) == 1, f"today's list after 换号: {rows}"
    _, new_status, new_text = new[0]
    assert new_status == "waiting", new_text
    assert target_name in new_text, f"the new registration is not with {target_name}: {new_text}"
    assert re.search(r"\d+号", new_text), f"no queue number on the new registration: {new_text}"
    assert "已换号" in text_of(wd, f'#reg-today tr[data-id="{old_id}"]')
    assert old_queue, "the old row had no queue number"
    # Same type, same fee: the shift still holds one fee and counts one registration.
    wd.wait_until(lambda: shift_figures(wd) == (1, due), 10, message=lambda: f"the shift strip (1, {due}), has {shift_figures(wd)}")


def test_change_marks_the_current_doctor_by_id(wd):
    """Two doctors of one name on duty in one department: 换号 opens on the registration's own
    department and marks as 现挂 only the doctor the patient is registered with (by id, not name)."""
    start(wd)
    dept_id, first, twin = add_twin_on_duty(wd)
    new_patient(wd, "周同名", "13100131000")
    choose_department(wd, dept_id)
    click(wd, f'#reg-doctors .doc.on[data-doctor-id="{twin}"]')
    wd.wait_until(lambda: attr(wd, "#reg-doctors .doc.proposed", "data-doctor-id") == str(twin), 10,
                  message="the twin as the doctor of the quote")
    due = fen(text_of(wd, "#reg-due"))
    wd.find("#reg-complaint").click()
    register_cash(wd, f"{due // 100}")
    newest_of_today(wd)
    wd.keys(Keys.F8)
    wd.wait_for("#change-confirm", 5)
    assert wd.find("#change-dept").prop("value") == str(dept_id), "换号 does not open on the registration's department"
    options = wd.execute("return [...document.querySelectorAll('#change-doctor option')].map((o) => [o.value, o.textContent]);")
    names = {v: text.split(" ")[0] for v, text in options}
    assert names.get(str(first)) == names.get(str(twin)), f"the two doctors are not both listed under one name: {options}"
    marked = [v for v, text in options if "现挂" in text]
    assert marked == [str(twin)], f"现挂 marks {marked}, not only the registration's doctor {twin}: {options}"


def test_cancel_above_limit_needs_supervisor(wd):
    """退号 above the refund limit: the same dialog asks for a supervisor, and the refund goes through."""
    start(wd)
    new_patient(wd, "赵敏", "13400134000")
    depts = departments_by_doctors(wd)
    choose_department(wd, next(k for k, v in depts.items() if v[1]))
    wait_quote(wd)
    # The dearest registration type (特需号 ¥100 in the demo hospital) is above the ¥50 limit.
    wd.execute(
        "const s = document.getElementById('reg-type');"
        "const o = [...s.options].sort((a, b) => b.textContent.length - a.textContent.length)"
        ".find((x) => x.textContent.includes('特需'));"
        "s.value = o.value; s.dispatchEvent(new Event('change'));"
    )
    wd.wait_until(lambda: fen(text_of(wd, "#reg-due") or "¥0.00") == 10000, 10, message="the 特需号 fee")
    wd.find("#reg-complaint").click()
    register_cash(wd, "100")
    reg_id = newest_of_today(wd)
    wd.keys(Keys.F7)
    wd.wait_for("#cancel-confirm", 5)
    click(wd, "#cancel-confirm")
    wd.wait_for("#cancel-approver-user", 10)
    message = text_of(wd, "#cancel-error")
    assert "审批" in message or "主管" in message, f"the approval request says {message!r}"
    snap(wd, "registration_cancel_approval")
    supervisor_types(wd, "cancel", "wrong-password")
    wd.wait_until(lambda: text_of(wd, "#cancel-error") != message, 15, message="a refusal of the wrong password")
    assert wd.displayed("#cancel-confirm"), "a wrong supervisor password closed the dialog"
    assert row_status(wd, reg_id) == "waiting"
    wait_focus(wd, "cancel-approver-pass")
    assert wd.find("#cancel-approver-user").prop("value") == "supervisor", "the approver's name was lost"
    type_here(wd, "supervisor1234")
    wd.keys(Keys.ENTER)
    wd.wait_gone("#cancel-confirm", 15)
    wd.wait_until(lambda: row_status(wd, reg_id) == "cancelled", 10, message="the row to show 已退号")
    wd.wait_until(lambda: shift_figures(wd) == (0, 0), 10, message=lambda: f"the refund in the shift strip ({shift_figures(wd)})")


def test_return_patient_prefilled(wd):
    """A return patient by name: the hit says 上次 <department>; taking them offers the last complaint
    (selected, so typing replaces it) and the last department."""
    start(wd)
    new_patient(wd, "孙悦", "13300133000")
    depts = departments_by_doctors(wd)
    dept_id, (dept_name, _, _) = next((k, v) for k, v in depts.items() if v[1])
    choose_department(wd, dept_id)
    due = wait_quote(wd)
    wd.find("#reg-complaint").click()
    type_here(wd, "咳嗽一周")
    register_cash(wd, f"{due // 100}")

    type_here(wd, "孙悦")
    hit = wd.wait_until(lambda: (lambda t: t if t and dept_name in t else None)(text_of(wd, "#reg-results .hit")), 10,
                        message=f"the hit to name the last department {dept_name}")
    assert "上次" in hit, f"the hit does not say 上次: {hit!r}"
    wd.keys(Keys.ENTER)
    wait_focus(wd, "reg-complaint")
    wd.wait_until(lambda: wd.find("#reg-complaint").prop("value") == "咳嗽一周", 5, message="the last complaint offered")
    start_, end, length = wd.execute("const c = document.getElementById('reg-complaint'); return [c.selectionStart, c.selectionEnd, c.value.length];")
    assert (start_, end) == (0, length), f"the offered complaint is not selected ({start_}, {end} of {length})"
    wd.wait_until(lambda: wd.find("#reg-dept").prop("value") == str(dept_id), 5, message="the last department chosen")
    wd.wait_text("#reg-visit-kind", "复诊")
    type_here(wd, "发热")
    assert wd.find("#reg-complaint").prop("value") == "发热", "typing did not replace the offered complaint"


def test_change_to_dearer_collects_difference(wd):
    """换号 to a dearer registration type: Rust's quote shows 补收, payment is asked for, the change is given."""
    reg_id, due = register_then_open_change(wd, "钱多多", "13200132000")
    wd.wait_text("#change-diff", "无需补退", timeout=10)  # the same type: nothing to collect
    assert not wd.displayed("#change-pay"), "payment is asked for when nothing is to be collected"
    expert = wd.execute(
        "const s = document.getElementById('change-type'); const x = [...s.options].find((x) => x.textContent.includes('专家'));"
        "s.value = x.value; s.dispatchEvent(new Event('change')); return x.textContent;"
    )
    difference = fen(expert) - due
    assert difference > 0, f"专家号 ({expert}) is not dearer than {yuan(due)}"
    wd.wait_text("#change-diff", "补收", timeout=10)
    assert fen(text_of(wd, "#change-diff")) == difference, f"the difference shown: {text_of(wd, '#change-diff')!r}"
    assert wd.displayed("#change-pay"), "no payment asked for a dearer registration"
    assert wd.find("#change-confirm").text.strip() == f"确认换号并补收 {yuan(difference)}"
    click(wd, "#change-tendered")
    type_here(wd, f"{difference // 100 + 5}")
    wd.wait_text("#change-change", "¥5.00", timeout=5)
    snap(wd, "registration_change")
    click(wd, "#change-confirm")
    wd.wait_gone("#change-confirm", 10)
    wd.wait_until(lambda: row_status(wd, reg_id) == "changed", 10, message="the old registration to show 已换号")
    wd.wait_until(lambda: shift_figures(wd) == (1, due + difference), 10,
                  message=lambda: f"the shift total to take the difference ({shift_figures(wd)})")


def test_bad_name_refused_then_found_by_last_four(wd):
    """A name with a digit is refused beside the name, in Chinese, with what was typed kept;
    corrected, the patient is saved and found again by the last four digits of the phone."""
    start(wd)
    wd.keys(Keys.F3)
    wd.wait_for("#f-name", 5)
    wait_focus(wd, "f-name")
    type_here(wd, "赵6")
    wd.keys(Keys.ENTER)
    wait_focus(wd, "f-sex")
    wd.keys("1")
    for _ in range(3):  # birth date, ID number (none) -> phone
        wd.keys(Keys.ENTER)
    wait_focus(wd, "f-phone")
    type_here(wd, "13955517788")
    for _ in range(4):  # address, 来源地, 获知途径, save
        wd.keys(Keys.ENTER)
    error = '.field[data-key="patient_name"] .field-error'
    wd.wait_until(lambda: text_of(wd, error), 10, message="the error beside the name")
    assert text_of(wd, error).startswith("姓名只能包含汉字"), text_of(wd, error)
    wait_focus(wd, "f-name")
    assert wd.find("#f-name").prop("value") == "赵6", "what was typed is kept"
    assert wd.find("#f-phone").prop("value") == "13955517788"
    snap(wd, "registration-bad-name")
    wd.execute("const n = document.getElementById('f-name'); n.value = ''; n.focus();")
    type_here(wd, "赵六")
    for _ in range(8):  # through to the last field, which saves
        wd.keys(Keys.ENTER)
    wd.wait_gone("#f-name", 10)
    wd.wait_text("#reg-patient-name", "赵六")
    card = text_of(wd, "#reg-card")

    wd.keys(Keys.F2)
    wait_focus(wd, "reg-search")
    type_here(wd, "7788")
    wd.wait_until(lambda: "赵六" in (text_of(wd, "#reg-results") or ""), 10, message="赵六 found by 7788")
    first = text_of(wd, "#reg-results .hit")
    assert "赵六" in first and "139****7788" in first and card in first, first
    snap(wd, "registration-last-four")


def yesterday():
    """Yesterday in the demo hospital's zone."""
    return (datetime.datetime.now(zoneinfo.ZoneInfo("Asia/Shanghai")).date() - datetime.timedelta(days=1)).isoformat()


@before_launch("demo", "--days", "1", "--until", yesterday)
def test_shift_left_open_yesterday(wd):
    """The demo clerk left yesterday's shift open: at sign-in the screen says so; money is refused
    on it; a wrong supervisor password is refused in place; the right one lets the shift go on."""
    login(wd, "clerk")
    wd.wait_for("#stale-banner", 10)
    banner = text_of(wd, "#stale-banner")
    assert "您有昨天未结的班次" in banner and yesterday() in banner, banner
    assert wd.exists("#stale-go-close") and wd.exists("#stale-continue-open")
    assert not wd.exists("#shift-panel"), "a new shift is offered while yesterday's is open"
    wd.wait_until(lambda: len(wd.find_all("#reg-dept option")) > 1, 10, message="the department list")
    count_before = shift_figures(wd)

    # A registration on it is refused by Rust, whatever the page lets through.
    new_patient(wd, "钱多多", "13966660001")
    depts = departments_by_doctors(wd)
    dept_id = next(k for k, v in depts.items() if v[1])
    choose_department(wd, dept_id)
    wait_quote(wd)
    set_method = "const s = document.getElementById('reg-method'); s.value = 'wechat'; s.dispatchEvent(new Event('change'));"
    wd.execute(set_method)
    wd.keys(Keys.F9)
    wd.wait_until(lambda: wd.displayed("#stale-approver-user"), 10, message="the approval fields after the refusal")
    assert shift_figures(wd) == count_before, "money was taken on yesterday's shift"
    snap(wd, "registration-stale-shift")

    # A wrong password: refused in place, the banner stays.
    supervisor_types(wd, "stale", "wrong-password")
    wd.wait_until(lambda: "密码" in (text_of(wd, "#stale-banner") or "") and wd.find("#stale-approver-pass").prop("value") == "",
                  10, message="the wrong password refused")
    assert wd.displayed("#stale-banner")

    # The supervisor's own password: the shift goes on, and the registration goes through.
    click(wd, "#stale-approver-pass")
    type_here(wd, "supervisor1234")
    wd.keys(Keys.ENTER)
    wd.wait_gone("#stale-banner", 10)
    wd.execute(set_method)
    wd.find("#reg-complaint").click()
    wd.keys(Keys.F9)
    wd.wait_for("#reg-last-receipt", 15)
    wd.wait_until(lambda: shift_figures(wd)[0] == count_before[0] + 1, 10, message="the registration in the shift strip")
