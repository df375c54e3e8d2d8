// 抽查 (supervisors and the head): the checks drawn so far, a new draw (a period, a count or a
// percentage, a seed if the draw is to be repeated), and one check's page — each follow-up
// drawn with what its call recorded; Enter on a row records what calling the patient back found
// (属实, or 不符 with what differs). Results are final once recorded; customer service sees them
// only when the whole check is done. 重新抽取验证 draws again from the seed and says whether
// the sample is the one recorded.
import { api } from '../../api.js';
import { t, when } from '../../i18n.js';
import { el, clear, table, field, dialog, showFieldError, enterMovesOn, toast } from '../../ui.js';

export async function showSpotChecks(body, ctx) {
  clear(body).append(el('p.muted', { text: t('common.loading') }));
  let list;
  try { list = await api.spotChecks(); } catch (e) { clear(body).append(el('div.form-error', { text: e.message })); return; }
  const today = ctx.status.business_date;
  const weekAgo = new Date(`${today}T00:00:00Z`);
  weekAgo.setUTCDate(weekAgo.getUTCDate() - 6);
  const from = el('input.date-input#sc-from', { value: weekAgo.toISOString().slice(0, 10), maxlength: 10 });
  const to = el('input.date-input#sc-to', { value: today, maxlength: 10 });
  const rule = el('select#sc-rule', {}, el('option', { value: 'count', text: t('followup.sc.count') }), el('option', { value: 'percent', text: t('followup.sc.percent') }));
  const amount = el('input#sc-amount', { value: '5', maxlength: 3, autocomplete: 'off' });
  const seed = el('input#sc-seed', { maxlength: 64, autocomplete: 'off', placeholder: t('followup.sc.seed_placeholder') });
  const general = el('div.form-error', { hidden: true });
  const form = el('div.panel.sc-new', {}, el('h3', { text: t('followup.sc.new') }),
    el('div.toolbar.fig-bar', {}, field('from', t('complaint.fig.from'), from), field('to', t('complaint.fig.to'), to),
      field('spot_rule', t('followup.sc.rule'), rule), field('spot_amount', t('followup.sc.amount'), amount), field('seed', t('followup.sc.seed'), seed),
      el('button.btn.primary#sc-draw', { type: 'button', onclick: () => draw() }, t('followup.sc.draw'), ' ', el('kbd', { text: 'Enter' }))),
    general);
  const draw = async () => {
    showFieldError([form], general, null);
    try {
      const v = await api.spotCheckDraw({ from: from.value, to: to.value, rule: rule.value, amount: Number(amount.value) || 0, seed: seed.value });
      toast(t('followup.sc.drawn', { n: v.items.length, population: v.check.population }), 'ok');
      showCheck(body, v, ctx);
    } catch (e) {
      showFieldError([form], general, e)?.querySelector('input, select')?.focus();
    }
  };
  enterMovesOn(form, [from, to, rule, amount, seed], { onLast: draw });
  clear(body).append(form, el('div.panel', {}, el('h3', { text: t('followup.sc.list') }), table([
    { label: t('followup.sc.drawn_at'), get: (c) => when(c.drawn_at).slice(0, 16), className: 'num' },
    { label: t('followup.sc.period'), get: (c) => `${c.period_from} ~ ${c.period_to}`, className: 'num' },
    { label: t('followup.sc.rule'), get: (c) => ruleText(c) },
    { label: t('followup.sc.progress'), get: (c) => t('followup.sc.progress_of', { checked: c.checked, drawn: c.drawn }), className: 'num' },
    { label: t('followup.sc.discrepancies'), get: (c) => String(c.discrepancies), className: 'num' },
    { label: t('followup.sc.by'), get: (c) => c.drawn_by },
    { label: t('common.state'), get: (c) => el(`span.pill${c.done_at ? '.ok' : '.warn'}`, { text: c.done_at ? t('followup.sc.done') : t('followup.sc.open') }) },
  ], list, { onOpen: async (c) => showCheck(body, await api.spotCheck(c.id), ctx) })));
  from.focus();
}

function ruleText(c) {
  return c.rule === 'percent'
    ? t('followup.sc.rule_percent', { n: c.amount, population: c.population })
    : t('followup.sc.rule_count', { n: c.amount, population: c.population });
}

function showCheck(body, v, ctx) {
  const c = v.check;
  const back = el('button.btn#sc-back', { type: 'button', onclick: () => showSpotChecks(body, ctx) }, '← ', t('followup.sc.back'), ' ', el('kbd', { text: 'Esc' }));
  const verify = el('span#sc-verified.muted');
  const redraw = el('button.btn.small#sc-redraw', { type: 'button', onclick: async () => {
    try {
      const same = await api.spotCheckRedraw(c.id);
      verify.textContent = same ? t('followup.sc.same') : t('followup.sc.not_same');
      verify.className = same ? 'ok-text' : 'warn-text';
    } catch (e) { toast(e.message, 'error'); }
  } }, t('followup.sc.redraw'));
  const page = el('div.sc-check#sc-check', { dataset: { id: String(c.id), done: c.done_at ? '1' : '' } },
    el('div.case-head', {}, back, el('h2', { text: t('followup.sc.title', { from: c.period_from, to: c.period_to }) }),
      el(`span.pill${c.done_at ? '.ok' : '.warn'}`, { text: c.done_at ? t('followup.sc.done') : t('followup.sc.open') }),
      el('span.grow'), verify, redraw),
    el('p.muted', { text: t('followup.sc.rule_line', { rule: ruleText(c), seed: c.seed, by: c.drawn_by, at: when(c.drawn_at).slice(0, 16) }) }),
    el('div.panel', {}, table([
      { label: '#', get: (i) => String(i.rank), className: 'num' },
      { label: t('followup.patient'), get: (i) => i.patient },
      { label: t('followup.col.phone'), get: (i) => i.phone || '', className: 'num' },
      { label: t('followup.col.kind'), get: (i) => t(`followup.kind.${i.kind}`) },
      { label: t('followup.department'), get: (i) => i.department || '' },
      { label: t('followup.col.state'), get: (i) => t(`followup.state.${i.state}`) },
      { label: t('followup.aspect.overall'), get: (i) => (i.overall ? t(`followup.rating.${i.overall}`) : '') },
      { label: t('followup.words'), get: (i) => i.words || '' },
      { label: t('followup.sc.caller'), get: (i) => i.called_by || '' },
      { label: t('followup.sc.result'), get: (i) => (i.result ? el(`span.pill${i.result === 'confirmed' ? '.ok' : '.bad'}`, { text: t(`followup.spot.${i.result}`) }) : el('span.faint', { text: t('followup.spot.pending') })) },
      { label: t('followup.note'), get: (i) => i.note },
    ], v.items, { onOpen: (i) => (i.result ? ctx.open(i.followup_id) : record(i)), rowId: (i) => i.followup_id, rowClass: (i) => (i.result === 'discrepancy' ? 'overdue' : i.result ? 'inactive' : '') })));
  clear(body).append(page);
  page.addEventListener('keydown', (e) => { if (e.key === 'Escape' && !e.defaultPrevented) { e.preventDefault(); showSpotChecks(body, ctx); } });
  (page.querySelector('tr[tabindex]:not(.inactive):not(.overdue)') || back).focus();

  function record(item) {
    const result = el('select#sc-result', {}, el('option', { value: 'confirmed', text: t('followup.spot.confirmed') }), el('option', { value: 'discrepancy', text: t('followup.spot.discrepancy') }));
    const note = el('input#sc-note', { maxlength: 500, autocomplete: 'off' });
    const err = el('div.form-error', { hidden: true });
    const box = el('div', {}, el('p', { text: t('followup.sc.call_back', { patient: item.patient, phone: item.phone || '' }) }),
      el('p.muted', { text: `${t(`followup.state.${item.state}`)}${item.overall ? ` · ${t('followup.aspect.overall')} ${t(`followup.rating.${item.overall}`)}` : ''}${item.words ? ` · “${item.words}”` : ''}` }),
      field('spot_result', t('followup.sc.result'), result), field('note', t('followup.sc.note'), note), err);
    const go = async () => {
      showFieldError([box], err, null);
      try {
        const next = await api.spotCheckRecord({ spot_check_id: c.id, followup_id: item.followup_id, result: result.value, note: note.value });
        d.close();
        toast(next.check.done_at ? t('followup.sc.finished') : t('common.saved'), 'ok');
        showCheck(body, next, ctx);
      } catch (e) { showFieldError([box], err, e)?.querySelector('input, select')?.focus(); }
    };
    enterMovesOn(box, [result, note], { onLast: go });
    const d = dialog(t('followup.sc.record'), box, [
      el('button.btn', { type: 'button', onclick: () => d.close() }, t('common.cancel'), ' ', el('kbd', { text: 'Esc' })),
      el('button.btn.primary#sc-save', { type: 'button', onclick: go }, t('followup.sc.save'), ' ', el('kbd', { text: 'Enter' })),
    ]);
    result.focus();
  }
}
