// 检查: the inspection plan (工作检查方案, manual section 5) as a schedule — each item with its last
// periods 已检查 / 待检查 / 漏检, from Rust (quality::inspection) — and 质量检查记录本: a check
// recorded with the keyboard (Enter through the fields, the last saves), the month's records
// beneath, a follow-up spot-check counted as the 回访 item's check. A record is never changed: 更正
// writes a new one naming it and why.
import { api } from '../../api.js';
import { t, paren, shipped } from '../../i18n.js';
import { el, clear, table, field, showFieldError, enterMovesOn, toast } from '../../ui.js';

const STATE_CLASS = { done: 'ok', due: 'warn', missed: 'bad' };

export async function checksView(body, status) {
  clear(body).append(el('p.muted', { text: t('common.loading') }));
  let rows;
  try { rows = await api.inspectionSchedule(); } catch (e) { clear(body).append(el('div.form-error', { text: e.message })); return; }
  const chip = (s) => el(`span.pill.ck-slot${STATE_CLASS[s.state] ? `.${STATE_CLASS[s.state]}` : ''}`, {
    dataset: { state: s.state, period: s.label },
    title: `${s.from === s.to ? s.from : t('common.range', { from: s.from, to: s.to })}${t('common.colon')}${t(`quality.check.state.${s.state}`)}${s.spot_check_id ? paren(t('quality.check.by_spot')) : ''}`,
  }, s.label.replace(/^\d{4}-/, ''), s.result === 'problem' ? ' !' : '');
  const plan = el('div.panel#ck-plan', {}, el('h3', { text: t('quality.check.plan') }), el('p.faint', { text: t('quality.check.plan_note') }), table([
    { label: t('quality.check.subject'), get: (r) => shipped(r.item.subject) },
    { label: t('quality.check.item'), get: (r) => shipped(r.item.item) },
    { label: t('quality.check.content'), get: (r) => shipped(r.item.content) },
    { label: t('quality.check.method'), get: (r) => shipped(r.item.method) },
    { label: t('quality.check.frequency'), get: (r) => t(`quality.check.freq.${r.item.frequency}`) },
    { label: t('quality.check.checker'), get: (r) => t(`quality.check.by.${r.item.checker}`) },
    { label: t('quality.check.periods'), get: (r) => el('span.ck-slots', {}, r.slots.map(chip)) },
  ], rows, { rowId: (r) => `ck-${r.item.code}` }));

  const mine = rows.filter((r) => r.mine);
  // A record is corrected by whoever may record its item (the head's items by the head).
  const canRecord = (c) => mine.some((r) => r.item.subject === c.subject && r.item.item === c.item);
  const parts = [plan];
  const register = el('div.panel#ck-register');
  let correcting = null;
  if (mine.length) {
    const item = el('select#ck-item', {}, mine.map((r) => el('option', { value: String(r.item.id), text: `${shipped(r.item.subject)} · ${shipped(r.item.item)}${paren(t(`quality.check.freq.${r.item.frequency}`))}` })));
    const day = el('input.date-input#ck-day', { maxlength: 10, value: status.business_date });
    const result = el('select#ck-result', {}, ['ok', 'problem'].map((r) => el('option', { value: r, text: t(`quality.check.result.${r}`) })));
    const findings = el('input#ck-findings', { maxlength: 1000, autocomplete: 'off' });
    const action = el('input#ck-action', { maxlength: 1000, autocomplete: 'off' });
    const reason = el('input#ck-reason', { maxlength: 500, autocomplete: 'off' });
    const reasonField = field('correction_reason', t('quality.check.reason'), reason);
    reasonField.hidden = true;
    const err = el('div.form-error', { hidden: true });
    const title = el('h3', { text: t('quality.check.record') });
    const form = el('div.panel#ck-form', {}, title,
      el('div.toolbar.fig-bar', {}, field('inspection_item', t('quality.check.item'), item), field('check_day', t('quality.check.day'), day), field('check_result', t('quality.check.result'), result)),
      el('div.toolbar.fig-bar', {}, field('check_findings', t('quality.check.findings'), findings), field('check_action', t('quality.check.action'), action), reasonField,
        el('button.btn.primary#ck-save', { type: 'button', onclick: () => go() }, t('common.save'), ' ', el('kbd', { text: 'Enter' }))), err);
    const go = async () => {
      showFieldError([form], err, null);
      try {
        // The default date is the day the screen opened: sent empty, Rust takes today.
        const typed = day.value.trim() === status.business_date ? '' : day.value.trim();
        await api.inspectionRecord({ item_id: Number(item.value), day: typed, result: result.value, findings: findings.value, action: action.value, corrects_id: correcting, reason: correcting ? reason.value : '' });
        toast(t('quality.check.saved'), 'ok');
        window.dispatchEvent(new Event('frontdesk:refresh-status'));
        checksView(body, status);
      } catch (e) { showFieldError([form], err, e)?.querySelector('input, select')?.focus(); }
    };
    enterMovesOn(form, () => [item, day, result, findings, action, ...(correcting ? [reason] : [])], { onLast: go });
    // Another item or day is a new check, not the correction.
    const cancelCorrection = () => {
      if (!correcting) return;
      correcting = null;
      reasonField.hidden = true;
      reason.value = '';
      title.textContent = t('quality.check.record');
    };
    item.addEventListener('change', cancelCorrection);
    day.addEventListener('input', cancelCorrection);
    parts.push(form);
    // 更正 from the register fills the form for the record it corrects.
    register.addEventListener('frontdesk:correct-check', (e) => {
      const c = e.detail;
      correcting = c.id;
      const row = mine.find((r) => r.item.subject === c.subject && r.item.item === c.item);
      if (row) item.value = String(row.item.id);
      day.value = c.period.slice(0, 10);
      result.value = c.result;
      findings.value = c.findings;
      action.value = c.action;
      reasonField.hidden = false;
      title.textContent = t('quality.check.correcting', { id: c.id });
      reason.focus();
    });
  }
  parts.push(register);
  // 登记本导出: 质量检查记录本, 满意度问卷, 交班记录 for a period, as Excel or CSV.
  const kind = el('select#rg-kind', {}, ['checks', 'surveys', 'logs'].map((k) => el('option', { value: k, text: t(`quality.register.${k}`) })));
  const rgFrom = el('input.date-input#rg-from', { maxlength: 10, value: `${status.business_date.slice(0, 8)}01` });
  const rgTo = el('input.date-input#rg-to', { maxlength: 10, value: status.business_date });
  const rgErr = el('div.form-error', { hidden: true });
  const exportBar = el('div.panel#rg-export', {}, el('h3', { text: t('quality.register.title') }), el('p.faint', { text: t('quality.register.note') }),
    el('div.toolbar.fig-bar', {}, field('register', t('quality.register.which'), kind), field('from', t('complaint.fig.from'), rgFrom), field('to', t('complaint.fig.to'), rgTo),
      ...['xlsx', 'csv'].map((f) => el(`button.btn#rg-${f}`, { type: 'button', onclick: async () => {
        showFieldError([exportBar], rgErr, null);
        try {
          const path = await api.qualityRegisterSave(kind.value, rgFrom.value.trim(), rgTo.value.trim(), f);
          if (path) toast(t('quality.dash.report_saved', { path }), 'ok');
        } catch (e) { showFieldError([exportBar], rgErr, e); }
      } }, f === 'xlsx' ? 'Excel' : 'CSV'))), rgErr);
  parts.push(exportBar);
  clear(body).append(...parts);

  // The record book of the last 31 days.
  const start = new Date(`${status.business_date}T12:00:00Z`);
  start.setUTCDate(start.getUTCDate() - 30);
  const from = start.toISOString().slice(0, 10);
  try {
    const list = await api.inspectionRegister(from, status.business_date);
    const corrected = new Set(list.filter((c) => c.corrects_id).map((c) => c.corrects_id));
    clear(register).append(el('h3', { text: t('quality.check.register', { from, to: status.business_date }) }), list.length ? table([
      { label: t('quality.check.day'), get: (c) => c.checked_on, className: 'num' },
      { label: t('quality.check.subject'), get: (c) => `${shipped(c.subject)} · ${shipped(c.item)}` },
      { label: t('quality.check.period'), get: (c) => (c.period_from === c.period_to ? c.period_from : t('common.range', { from: c.period_from, to: c.period_to })) },
      { label: t('quality.check.result'), get: (c) => el(`span.pill.${c.result === 'ok' ? 'ok' : 'bad'}`, { text: t(`quality.check.result.${c.result}`) }) },
      { label: t('quality.check.findings'), get: (c) => [c.drawn != null ? t('quality.check.spot_findings', { n: c.drawn, wrong: c.discrepancies }) : c.findings, c.action ? paren(`${t('quality.check.action')}${t('common.colon')}${c.action}`) : '', c.reason ? `［${t('quality.check.corrects', { id: c.corrects_id })}${t('common.colon')}${c.reason}］` : ''].join('') },
      { label: t('quality.check.checker'), get: (c) => c.checked_by },
      { label: t('common.action'), get: (c) => (c.kind === 'check' && !corrected.has(c.id) && document.getElementById('ck-form') && canRecord(c)
        ? el('button.linkbtn.ck-correct', { type: 'button', onclick: () => register.dispatchEvent(new CustomEvent('frontdesk:correct-check', { detail: c })) }, t('quality.check.correct'))
        : (corrected.has(c.id) ? el('span.faint', { text: t('quality.check.corrected') }) : '')) },
    ], list, { rowId: (c) => `ck-rec-${c.kind}-${c.id}` }) : el('p.muted', { text: t('quality.check.none') }));
  } catch (e) { clear(register).append(el('div.form-error', { text: e.message })); }
  document.getElementById('ck-item')?.focus();
}
