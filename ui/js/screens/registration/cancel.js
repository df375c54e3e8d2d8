// 退号: a waiting registration cancelled with a reason, its fee refunded by the way it was paid.
// Above the hospital's refund limit Rust asks for a supervisor (approval_needed): the same dialog
// then shows the approver's username and password, and a wrong one is refused in place. The
// confirm button says what will happen (确认退号并退款 ¥25.00); it cannot be undone.
import { api } from '../../api.js';
import { t, yuan } from '../../i18n.js';
import { el, toast, dialog, enterMovesOn } from '../../ui.js';
import { kbd } from './shared.js';

// Values stored with the 退号 are the hospital's own words (Chinese); the label follows the language.
const CANCEL_REASONS = [['病人临时有事', 'errand'], ['挂错科室', 'wrong_dept'], ['医生停诊', 'doctor_off'], ['等候时间过长', 'long_wait'], ['其他', 'other']];

/**
 * Opens the 退号 dialog for `row` (a registration as api.registrations() lists it).
 * onDone() after the refund; onStaleShift() when Rust refuses because the shift is from an
 * earlier day (the dialog closes first); onClose() whenever the dialog closes.
 */
export function cancelDialog(row, { onDone, onStaleShift, onClose }) {
  const reason = el('select#cancel-reason', {}, CANCEL_REASONS.map(([v, k]) => el('option', { value: v, text: t(`reg.cancel.reason.${k}`) })));
  const note = el('input#cancel-note', { autocomplete: 'off', maxlength: 60, placeholder: t('reg.cancel.note.placeholder') });
  const approverUser = el('input#cancel-approver-user', { autocomplete: 'off', maxlength: 32, spellcheck: 'false' });
  const approverPass = el('input#cancel-approver-pass', { type: 'password', maxlength: 128 });
  const approval = el('div.approval', { hidden: true },
    el('p.warn-text', { text: t('reg.cancel.approval') }),
    el('div.form', {},
      el('label', { for: 'cancel-approver-user', text: t('reg.cancel.approver') }), el('div.field', {}, approverUser),
      el('label', { for: 'cancel-approver-pass', text: t('login.password') }), el('div.field', {}, approverPass)));
  const error = el('div.form-error#cancel-error', { hidden: true, role: 'alert' });
  const confirm = el('button.btn.danger#cancel-confirm', { type: 'button' }, t('reg.cancel.confirm', { amount: yuan(row.due_fen) }));
  const body = el('div', {},
    el('p', { text: t('reg.cancel.what', { name: row.patient_name, dept: row.department_name, doctor: row.doctor_name, n: row.queue_no, receipt: row.receipt_number || '' }) }),
    el('div.form', {},
      el('label', { for: 'cancel-reason', text: t('reg.reason') }), el('div.field', {}, reason),
      el('label', { for: 'cancel-note', text: t('reg.reason.note') }), el('div.field', {}, note)),
    approval, error);
  let d;
  const go = async () => {
    error.hidden = true;
    confirm.disabled = true;
    const text = note.value.trim();
    const input = { registration_id: row.id, reason: text ? `${reason.value}：${text}` : reason.value };
    if (!approval.hidden) Object.assign(input, { approver_username: approverUser.value.trim(), approver_password: approverPass.value });
    try {
      const res = await api.registrationCancel(input);
      d.close();
      toast(t('reg.cancel.done', { amount: yuan(res.refunded_fen), n: row.queue_no }), 'ok');
      onDone();
    } catch (err) {
      approverPass.value = '';
      error.hidden = false;
      error.textContent = err.message;
      if (err.code === 'shift_stale') { d.close(); onStaleShift(); return; }
      if (err.code === 'approval_needed' || (!approval.hidden && ['bad_credentials', 'approver_not_supervisor', 'account_locked', 'account_inactive'].includes(err.code))) {
        approval.hidden = false;
        (approverUser.value ? approverPass : approverUser).focus();
      }
    } finally {
      confirm.disabled = false;
    }
  };
  confirm.addEventListener('click', go);
  const cancel = el('button.btn', { type: 'button', onclick: () => d.close() }, t('common.cancel'), ' ', kbd('Esc'));
  d = dialog(t('reg.cancel.title'), body, [cancel, confirm], { onClose });
  // 退号 cannot be undone: without a supervisor to ask, Enter on the note goes to the button that
  // says what will happen; after the approver's password, Enter is the confirmation.
  enterMovesOn(body, [reason, note, approverUser, approverPass], { onLast: (last) => (last === note ? confirm.focus() : go()) });
  reason.focus();
}
