// 预约: booking a later visit for the patient on screen (F10) — a day, a session and a doctor on
// that day's schedule, and how the booking came in. Rust gives the appointment number (Y…), shown
// large so it can be read out; typed in 预约号 on the desk, it checks the patient in.
import { api } from '../../api.js';
import { t } from '../../i18n.js';
import { el, clear, dialog, field, showFieldError as showError, enterMovesOn } from '../../ui.js';
import { add, toggle, kbd, sessionLabel } from './shared.js';

/**
 * Opens the booking dialog for `patient` (a search hit: {id, name, card_no}).
 * businessDate: today's date, the default day; session: the session now, the default;
 * departmentId: the department on the desk (its doctor is offered first), or null.
 * onBooked(appointment) once Rust has booked it; onClose() whenever the dialog closes.
 */
export function bookDialog(patient, { businessDate, session, departmentId, onBooked, onClose }) {
  const date = el('input#appt-date.date-input', { value: businessDate, maxlength: 10, autocomplete: 'off', spellcheck: 'false' });
  const sessionSel = el('select#appt-session', {}, ['am', 'pm', 'eve'].map((x) => el('option', { value: x, text: sessionLabel(x) })));
  sessionSel.value = session;
  const doctorSel = el('select#appt-doctor');
  const channel = el('select#appt-channel', {},
    el('option', { value: 'phone', text: t('appt.channel.phone') }), el('option', { value: 'online', text: t('appt.channel.online') }));
  const error = el('div.form-error#appt-error', { hidden: true, role: 'alert' });
  const formBox = el('div.appt-form', {},
    field('date', t('appt.date'), date, el('div.hint', { text: t('appt.date.hint') })),
    field('session', t('appt.session'), sessionSel),
    toggle(field('doctor_id', t('appt.doctor'), doctorSel), 'span2', true),
    field('channel', t('appt.channel'), channel));
  const body = el('div', {},
    el('p.appt-who', {}, el('strong', { text: patient.name }), ' ', el('span.num.muted', { text: t('reg.card_no', { no: patient.card_no }) })),
    formBox, error);
  let slots = [];
  let seq = 0;
  const fillDoctors = () => {
    const keep = doctorSel.value;
    clear(doctorSel);
    const list = slots.filter((x) => x.session === sessionSel.value);
    if (!list.length) add(doctorSel, el('option', { value: '', text: t('appt.doctor.none') }));
    for (const x of list) add(doctorSel, el('option', { value: String(x.doctor_id), text: `${x.department_name} · ${x.doctor_name}` }));
    const dept = departmentId;
    if (keep && list.some((x) => String(x.doctor_id) === keep)) doctorSel.value = keep;
    else if (dept && list.some((x) => x.department_id === dept)) doctorSel.value = String(list.find((x) => x.department_id === dept).doctor_id);
  };
  // The schedule of the chosen day, as the admin's week grid reads it.
  const loadSlots = async () => {
    const my = ++seq;
    showError([formBox], error, null);
    try {
      const list = await api.referenceList('duty', { from: date.value.trim(), days: 1 });
      if (my !== seq) return;
      slots = list;
    } catch (e) {
      if (my !== seq) return;
      slots = [];
      showError([formBox], error, e);
    }
    fillDoctors();
  };
  date.addEventListener('input', () => { if (date.value.trim().length === 10) loadSlots(); });
  date.addEventListener('change', loadSlots);
  sessionSel.addEventListener('change', fillDoctors);
  loadSlots();
  let d;
  const book = el('button.btn.primary#appt-book', { type: 'button' }, t('appt.book'), ' ', kbd('Enter'));
  const cancel = el('button.btn', { type: 'button', onclick: () => d.close() }, t('common.cancel'), ' ', kbd('Esc'));
  const done = (a) => {
    clear(body);
    add(body, el('div.appt-done', {},
      el('div.muted', { text: t('appt.done.label') }),
      el('div.appt-number.num#appt-number', { text: a.number }),
      el('div', { text: t('appt.done.what', { name: a.patient_name, date: a.date, session: sessionLabel(a.session), dept: a.department_name, doctor: a.doctor_name, channel: t(`appt.channel.${a.channel}`) }) }),
      el('p.muted', { text: t('appt.done.hint') })));
    const actions = d.node.querySelector('.actions');
    const ok = el('button.btn.primary#appt-done', { type: 'button', onclick: () => d.close() }, t('appt.done.close'), ' ', kbd('Enter'));
    clear(actions);
    add(actions, ok);
    ok.focus();
    onBooked(a);
  };
  const go = async () => {
    book.disabled = true;
    try {
      const a = await api.appointmentBook({ patient_id: patient.id, doctor_id: Number(doctorSel.value) || 0, date: date.value.trim(), session: sessionSel.value, channel: channel.value });
      done(a);
    } catch (e) {
      const f = showError([formBox], error, e);
      f?.querySelector('input, select')?.focus();
    } finally {
      book.disabled = false;
    }
  };
  book.addEventListener('click', go);
  enterMovesOn(formBox, [date, sessionSel, doctorSel, channel], { onLast: go });
  d = dialog(t('appt.title'), body, [cancel, book], { onClose });
  d.node.classList.add('wide');
  doctorSel.focus();
}
