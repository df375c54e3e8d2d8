// 换号: a waiting registration moved to another department, doctor or registration type. Rust
// quotes the change as the choice changes (registration_change_quote): the new slot and the fee
// difference — 补收 when the new registration is dearer, 退还 by the original method when it is
// cheaper. Payment lines are asked for only when there is something to take.
import { api } from '../../api.js';
import { t, yuan } from '../../i18n.js';
import { el, clear, toast, dialog, field, showFieldError as showError, enterMovesOn } from '../../ui.js';
import { add, kbd } from './shared.js';

// Values stored with the 换号 are the hospital's own words (Chinese); the label follows the language.
const CHANGE_REASONS = [['挂错科室', 'wrong_dept'], ['病人要求换医生', 'patient_asks'], ['医生停诊', 'doctor_off'], ['等候时间过长', 'long_wait'], ['其他', 'other']];

/**
 * Opens the 换号 dialog for `row` (a registration as api.registrations() lists it).
 * ref: the desk's active {departments, types, methods}; duty: today's duty slots (duty_today);
 * session: the session now (am, pm, eve). onDone() after the change; onClose() whenever the
 * dialog closes.
 */
export function changeDialog(row, { ref, duty, session, onDone, onClose }) {
  const reason = el('select#change-reason', {}, CHANGE_REASONS.map(([v, k]) => el('option', { value: v, text: t(`reg.change.reason.${k}`) })));
  const note = el('input#change-note', { autocomplete: 'off', maxlength: 60, placeholder: t('reg.cancel.note.placeholder') });
  const dept = el('select#change-dept', {}, ref.departments.map((x) => el('option', { value: String(x.id), text: x.name })));
  const doctor = el('select#change-doctor');
  const type = el('select#change-type', {}, ref.types.map((x) => el('option', { value: String(x.id), text: `${x.name} ${yuan(x.fee_fen)}` })));
  const method = el('select#change-method', {}, ref.methods.map((m) => el('option', { value: m.code, text: m.name })));
  const tend = el('input#change-tendered.money-input.small', { inputmode: 'decimal', autocomplete: 'off', maxlength: 12, placeholder: '0.00' });
  const changeOut = el('strong.money-mid.num#change-change', { text: '—' });
  const quoteLine = el('div.muted#change-quote');
  const diffLine = el('div.change-diff#change-diff');
  const tendRow = [el('label', { for: 'change-tendered', text: t('reg.tendered') }), el('div.field', {}, field('tendered', '', tend)),
    el('label', { text: t('reg.change') }), el('div.field', {}, changeOut)];
  tendRow[1].querySelector('label').remove();
  const payBox = el('div.form.change-pay#change-pay', { hidden: true },
    el('label', { for: 'change-method', text: t('reg.change.pay') }), el('div.field', {}, method, el('div.hint', { text: t('reg.change.pay.hint') })),
    tendRow);
  const error = el('div.form-error#change-error', { hidden: true, role: 'alert' });
  const confirm = el('button.btn.primary#change-confirm', { type: 'button' }, t('reg.change.confirm'));
  // The registration as it is now, by id (two doctors, or two types, may share a name).
  if (ref.departments.some((x) => x.id === row.department_id)) dept.value = String(row.department_id);
  if (ref.types.some((x) => x.id === row.registration_type_id)) type.value = String(row.registration_type_id);
  const fillDoctors = () => {
    const id = Number(dept.value);
    clear(doctor);
    add(doctor, el('option', { value: '', text: t('reg.change.auto') }));
    for (const x of duty.filter((d) => d.department_id === id && d.session === session)) {
      const o = el('option', { value: String(x.doctor_id), text: `${x.doctor_name} ${x.title} · ${t('reg.waiting', { n: x.waiting })}` });
      if (x.doctor_id === row.doctor_id) o.textContent += ` · ${t('reg.change.current')}`;
      add(doctor, o);
    }
  };
  let q = null;
  let seq = 0;
  let quoteP = Promise.resolve();
  let previewSeq = 0;
  const toCollect = () => !!q && q.difference_fen > 0;
  const renderPay = () => {
    payBox.hidden = !toCollect();
    const cash = method.value === 'cash';
    for (const n of tendRow) n.hidden = !cash;
    if (!q) confirm.textContent = t('reg.change.confirm');
    else if (q.difference_fen > 0) confirm.textContent = t('reg.change.confirm.collect', { amount: yuan(q.difference_fen) });
    else if (q.difference_fen < 0) confirm.textContent = t('reg.change.confirm.refund', { amount: yuan(q.difference_fen).replace('-', '') });
    else confirm.textContent = t('reg.change.confirm');
    previewChange();
  };
  // 唱收唱付 for the difference: Rust checks the tendered cash and gives the change.
  const previewChange = async () => {
    const my = ++previewSeq;
    showError([payBox], null, null);
    changeOut.textContent = '—';
    if (!toCollect() || method.value !== 'cash' || !tend.value.trim()) return;
    try {
      const lines = await api.paymentPreview(q.difference_fen, [{ method: 'cash', amount: '', tendered: tend.value.trim() }]);
      if (my !== previewSeq) return;
      const cashLine = lines.find((l) => l.change_fen != null);
      changeOut.textContent = cashLine ? yuan(cashLine.change_fen) : '—';
    } catch (err) {
      if (my === previewSeq) showError([payBox], null, { ...err, field: 'tendered' });
    }
  };
  const requote = () => {
    const my = ++seq;
    q = null;
    clear(quoteLine);
    clear(diffLine);
    error.hidden = true;
    renderPay();
    quoteP = api.registrationChangeQuote({
      registration_id: row.id,
      department_id: Number(dept.value) || null,
      doctor_id: Number(doctor.value) || null,
      registration_type_id: Number(type.value) || null,
    }).then((res) => {
      if (my !== seq) return;
      q = res;
      add(quoteLine, t('reg.change.quote', { dept: q.duty.department_name, doctor: q.duty.doctor_name, fee: yuan(q.due_fen), old: yuan(q.old_due_fen) }));
      const d = q.difference_fen;
      if (d > 0) add(diffLine, el('span.money-label', { text: t('reg.change.collect') }), el('span.money-mid.num', { text: yuan(d) }));
      else if (d < 0) add(diffLine, el('span.money-label', { text: t('reg.change.refund') }), el('span.money-mid.num', { text: yuan(d).replace('-', '') }));
      else add(diffLine, el('span.muted', { text: t('reg.change.no_difference') }));
      renderPay();
    }, (err) => {
      if (my !== seq) return;
      error.hidden = false;
      error.textContent = err.message;
    });
  };
  fillDoctors();
  dept.addEventListener('change', () => { fillDoctors(); requote(); });
  doctor.addEventListener('change', requote);
  type.addEventListener('change', requote);
  method.addEventListener('change', renderPay);
  tend.addEventListener('input', previewChange);
  // Nothing is chosen yet: the quote comes with the first change.
  add(quoteLine, t('reg.change.choose'));
  const body = el('div', {},
    el('p', { text: t('reg.change.what', { name: row.patient_name, dept: row.department_name, doctor: row.doctor_name, n: row.queue_no }) }),
    el('div.form', {},
      el('label', { for: 'change-reason', text: t('reg.reason') }), el('div.field', {}, reason),
      el('label', { for: 'change-note', text: t('reg.reason.note') }), el('div.field', {}, note),
      el('label', { for: 'change-dept', text: t('reg.dept') }), el('div.field', {}, dept),
      el('label', { for: 'change-doctor', text: t('reg.doctor') }), el('div.field', {}, doctor),
      el('label', { for: 'change-type', text: t('reg.type') }), el('div.field', {}, type)),
    quoteLine, diffLine, payBox, error);
  let d;
  const go = async () => {
    error.hidden = true;
    confirm.disabled = true;
    const text = note.value.trim();
    try {
      await quoteP;
      const r = await api.registrationChange({
        registration_id: row.id,
        department_id: Number(dept.value) || null,
        doctor_id: Number(doctor.value) || null,
        registration_type_id: Number(type.value) || null,
        reason: text ? `${reason.value}：${text}` : reason.value,
        payments: toCollect() ? [{ method: method.value, amount: '', tendered: method.value === 'cash' ? tend.value.trim() : '' }] : [],
      });
      d.close();
      if (r.receipt_id != null) { try { await api.receiptOpen(r.receipt_id, false); } catch (e) { toast(e.message, 'error'); } }
      const money = r.due_fen > 0 ? t('reg.change.paid', { amount: yuan(r.due_fen), change: yuan(r.change_fen) })
        : r.due_fen < 0 ? t('reg.change.refunded', { amount: yuan(r.due_fen).replace('-', '') }) : '';
      toast(`${t('reg.change.done', { n: r.queue_no })}${money}`, 'ok');
      onDone();
    } catch (err) {
      if (!showError([payBox], null, err)) {
        error.hidden = false;
        error.textContent = err.message;
      }
    } finally {
      confirm.disabled = false;
    }
  };
  confirm.addEventListener('click', go);
  // The payment fields count only while there is something to collect (and 实收 only for cash).
  enterMovesOn(body, [reason, note, dept, doctor, type, method, tend], { onLast: go });
  const cancel = el('button.btn', { type: 'button', onclick: () => d.close() }, t('common.cancel'), ' ', kbd('Esc'));
  d = dialog(t('reg.change.title'), body, [cancel, confirm], { onClose });
  d.node.classList.add('wide');
  reason.focus();
}
