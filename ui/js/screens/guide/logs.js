// 导诊台's own records: 交班记录 (what was handed over, the matters still open, who took over)
// and 工作日志 (the day's work, by category). Typed at the top — Enter moves on, F9 (or Enter on
// the last field) keeps the entry — and listed beneath, newest first, for the last days. Nothing
// is rewritten: 更正 on an entry writes a new one naming it and why (Rust refuses anything else);
// the corrected entry stays, marked, beside its correction.
import { api } from '../../api.js';
import { t, when, shipped } from '../../i18n.js';
import { el, clear, field, showFieldError, enterMovesOn, toast } from '../../ui.js';

export async function showLog(root, kind, { status, back }) {
  let choices;
  try { choices = await api.guideLogChoices(); } catch (e) { toast(e.message, 'error'); back(); return; }
  clear(root);
  const today = status.business_date;
  const weekAgo = new Date(`${today}T00:00:00Z`);
  weekAgo.setUTCDate(weekAgo.getUTCDate() - 6);
  const from = weekAgo.toISOString().slice(0, 10);
  const backBtn = el('button.btn#log-back', { type: 'button', onclick: back }, '← ', t('guide.back'), ' ', el('kbd', { text: 'Esc' }));
  const list = el('div.log-list#log-list');
  const form = el('div.panel.log-form#log-form');
  root.append(el('div.guide-log#guide-log', { dataset: { kind } },
    el('div.case-head', {}, backBtn, el('h2', { text: t(`guidelog.${kind}.title`) }), el('span.grow'), el('span.muted', { text: t('guidelog.range', { from, to: today }) })),
    form, list));
  let correcting = null;

  const body = el('textarea#log-body', { rows: 3, maxlength: 2000 });
  const open = el('textarea#log-open', { rows: 2, maxlength: 2000 });
  const taker = el('select#log-taker', {}, el('option', { value: '', text: t('guidelog.choose_taker') }), choices.takers.map(([id, name]) => el('option', { value: String(id), text: name })));
  const category = el('select#log-category', {}, el('option', { value: '', text: t('guidelog.no_category') }), choices.categories.map(([c, label]) => el('option', { value: c, text: shipped(label) })));
  const reason = el('input#log-reason', { maxlength: 200, autocomplete: 'off' });
  const reasonField = field('correction_reason', t('guidelog.reason'), reason);
  const correctingNote = el('p.warn-text#log-correcting', { hidden: true });
  const general = el('div.form-error', { hidden: true });
  const save = el('button.btn.primary#log-save', { type: 'button', onclick: () => write() }, t('guidelog.save'), ' ', el('kbd', { text: 'F9' }));
  const cancelCorrection = el('button.btn#log-cancel', { type: 'button', hidden: true, onclick: () => setCorrecting(null) }, t('guidelog.cancel_correction'));
  reasonField.hidden = true;
  const fields = kind === 'handover'
    ? [field('log_body', t('guidelog.handover.body'), body), field('open_matters', t('guidelog.handover.open'), open), field('taken_by', t('guidelog.handover.taker'), taker)]
    : [field('log_category', t('guidelog.work.category'), category), field('log_body', t('guidelog.work.body'), body)];
  form.append(correctingNote, ...fields, reasonField, general, el('div.actions', {}, cancelCorrection, save));
  const order = () => (kind === 'handover' ? [body, open, taker, reason] : [category, body, reason]);
  enterMovesOn(form, order, { onLast: () => write() });
  form.addEventListener('keydown', (e) => { if (e.key === 'F9') { e.preventDefault(); write(); } });
  root.querySelector('.guide-log').addEventListener('keydown', (e) => {
    const typed = body.value || open.value || reason.value;
    if (e.key === 'Escape' && !e.defaultPrevented && !typed) { e.preventDefault(); back(); }
  });

  function setCorrecting(entry) {
    correcting = entry;
    reasonField.hidden = !entry;
    cancelCorrection.hidden = !entry;
    correctingNote.hidden = !entry;
    reason.value = '';
    if (entry) {
      correctingNote.textContent = t('guidelog.correcting', { at: when(entry.at).slice(0, 16), by: entry.written_by });
      body.value = entry.body;
      open.value = entry.open_matters;
      category.value = entry.category || '';
      body.focus();
    }
  }

  async function write() {
    showFieldError([form], general, null);
    try {
      await api.guideLogWrite({
        kind, body: body.value, open_matters: open.value,
        taken_by: taker.value ? Number(taker.value) : null, category: category.value,
        corrects_id: correcting?.id ?? null, correction_reason: correcting ? reason.value : '',
      });
      toast(t(correcting ? 'guidelog.corrected' : 'guidelog.saved'), 'ok');
      body.value = ''; open.value = ''; taker.value = ''; category.value = '';
      setCorrecting(null);
      await load();
      order()[0].focus();
    } catch (err) {
      showFieldError([form], general, err)?.querySelector('input, select, textarea')?.focus();
    }
  }

  async function load() {
    let entries;
    try { entries = await api.guideLogList(kind, from, today); } catch (e) { clear(list).append(el('div.form-error', { text: e.message })); return; }
    clear(list);
    if (!entries.length) { list.append(el('div.empty', { text: t('common.none') })); return; }
    const label = Object.fromEntries(choices.categories);
    for (const e of entries) {
      const card = el(`div.panel.log-entry${e.corrected_by ? '.corrected' : ''}`, { dataset: { id: String(e.id) } },
        el('div.log-meta', {},
          el('span.num', { text: when(e.at).slice(0, 16) }), ' ', el('strong', { text: e.written_by }),
          e.taken_by ? el('span', { text: ` → ${t('guidelog.handover.taken', { name: e.taken_by })}` }) : null,
          e.category ? el('span.pill', { text: shipped(label[e.category]) || e.category }) : null,
          e.corrects_id ? el('span.pill.warn', { text: t('guidelog.is_correction', { reason: e.correction_reason }) }) : null,
          e.corrected_by ? el('span.pill', { text: t('guidelog.was_corrected') }) : null,
          el('span.grow'),
          e.corrected_by ? null : el('button.btn.small.log-correct', { type: 'button', onclick: () => setCorrecting(e) }, t('guidelog.correct'))),
        el('div.log-body', { text: e.body }),
        e.open_matters ? el('div.log-open', {}, el('span.muted', { text: t('guidelog.handover.open') }), t('common.colon'), e.open_matters) : null);
      list.append(card);
    }
  }
  await load();
  order()[0].focus();
}
