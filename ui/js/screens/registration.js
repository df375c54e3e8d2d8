// 挂号: the clerk's one screen all day — find or create the patient, triage by the chief
// complaint to an on-duty doctor, take payment, print the receipt, and start clean for the next
// patient. Rust decides every rule and every amount (the quote, the payment check, the change);
// the page shows them and keeps the keyboard path short: card number → Enter → Enter →
// tendered → F9. Without an open shift the screen first asks for the float (开班); a shift left
// open from an earlier day shows a banner (close it, or a supervisor lets it go on). F10 books an
// appointment for the patient on screen; its number, typed in 预约号, checks it in.
//
// The screen's parts, by the manual's names, in registration/:
//   shift.js         开班 — counting the float before the first registration
//   desk.js          the desk: search, patient, triage, quote, payment (F9), today's list (F4),
//                    the shift strip, the 班次未结 banner, the screen's keys
//   patient.js       新患者 — the new-patient form (F3)
//   cancel.js        退号 (F7 on a row of today's list)
//   change.js        换号 (F8 on a row of today's list)
//   book.js          预约 — booking for the patient on screen (F10)
//   appointments.js  今日预约 / 预约未到 — the bookings list, whose rows check in
//   shared.js        labels and small helpers they all use
import { api } from '../api.js';
import { t } from '../i18n.js';
import { el, clear } from '../ui.js';
import { openShift } from './registration/shift.js';
import { desk } from './registration/desk.js';

export function mount(root, { status }) {
  const host = el('div.reg-host');
  root.append(host);
  host.append(el('p.muted', { text: t('common.loading') }));
  api.shiftCurrent().then((shift) => {
    clear(host);
    if (shift) {
      desk(host, status, shift);
    } else {
      openShift(host, { denominations: status.denominations, onOpened: (opened) => { clear(host); desk(host, status, opened); } });
    }
  }).catch((e) => { clear(host); host.append(el('div.form-error', { text: e.message })); });
}
