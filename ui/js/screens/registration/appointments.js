// 预约列表: today's bookings, or those whose session is over without a check-in (预约未到).
// Enter (or a click) on a booking of today checks it in on the desk.
import { api } from '../../api.js';
import { t } from '../../i18n.js';
import { el, clear, dialog, table } from '../../ui.js';
import { add, sessionLabel } from './shared.js';

/**
 * Opens the list on `which` ('today' or 'missed'). businessDate: today's date (only its bookings
 * can be checked in); onCheckIn(appointment) after the dialog has closed on one of them.
 */
export function appointmentList(which, { businessDate, onCheckIn }) {
  const box = el('div.table-scroll#appt-list');
  const tabToday = el('button#appt-tab-today', { type: 'button', onclick: () => load('today') }, t('appt.list.today'));
  const tabMissed = el('button#appt-tab-missed', { type: 'button', onclick: () => load('missed') }, t('appt.list.missed'));
  const hint = el('p.faint', { text: t('appt.list.hint') });
  let d;
  const load = async (kind) => {
    tabToday.classList.toggle('current', kind === 'today');
    tabMissed.classList.toggle('current', kind === 'missed');
    clear(box);
    let list;
    try { list = await api.appointments(kind === 'missed'); } catch (e) { add(box, el('div.form-error', { text: e.message })); return; }
    add(box, table([
      { label: t('appt.col.number'), get: (a) => a.number, className: 'num' },
      { label: t('reg.col.patient'), get: (a) => a.patient_name },
      { label: t('reg.col.card'), get: (a) => a.card_no, className: 'num' },
      { label: t('appt.session'), get: (a) => sessionLabel(a.session) },
      { label: t('reg.col.dept'), get: (a) => a.department_name },
      { label: t('reg.col.doctor'), get: (a) => a.doctor_name },
      { label: t('appt.channel'), get: (a) => t(`appt.channel.${a.channel}`) },
      { label: t('reg.col.status'), get: (a) => el(`span.pill${a.status === 'checked_in' ? '.ok' : kind === 'missed' ? '.warn' : ''}`, { text: t(`appt.status.${a.status}`) }) },
    ], list, { onOpen: (a) => { if (a.status === 'booked' && a.date === businessDate) { d.close(); onCheckIn(a); } } }));
    box.querySelector('tr[tabindex]')?.focus();
  };
  const close = el('button.btn', { type: 'button', onclick: () => d.close() }, t('shortcuts.close'));
  d = dialog(t('appt.list.title'), el('div', {}, el('div.tabs', { role: 'tablist' }, tabToday, tabMissed), hint, box), [close]);
  d.node.classList.add('wide');
  load(which);
}
