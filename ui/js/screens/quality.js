// 质量 (supervisors and the head): the dashboard of the ten targets (quality/dashboard.js),
// opened first every morning; the satisfaction surveys' answers for a period, item by item,
// counted by Rust over every version of the questionnaire under its stable item codes; the
// market surveys (市场调查), recorded as events; and the targets with their settings.
import { api } from '../api.js';
import { t, when, shipped, paren } from '../i18n.js';
import { el, clear, table, field, dialog, showFieldError, enterMovesOn, toast } from '../ui.js';
import { openSurveyEntry } from './quality/entry.js';
import { dashboardView } from './quality/dashboard.js';
import { checksView } from './quality/checks.js';

const VIEWS = ['dashboard', 'checks', 'surveys', 'market', 'people', 'targets'];
let state = { view: 'dashboard', user: null };
let period = null;

const pct = (p) => (p == null ? '—' : `${Math.floor(p / 10)}.${p % 10}%`);

export function mount(root, { status }) {
  if (state.user !== status.user.staff_id) state = { view: 'dashboard', user: status.user.staff_id };
  if (!period) period = { from: `${status.business_date.slice(0, 8)}01`, to: status.business_date };
  const bar = el('div.tabs#quality-views', { role: 'tablist' });
  for (const v of VIEWS) bar.append(el('button', { type: 'button', role: 'tab', dataset: { view: v }, onclick: () => select(v) }, t(`quality.view.${v}`)));
  const body = el('div#quality-body');
  const entry = status.can.surveys ? el('button.btn#quality-entry', { type: 'button', onclick: () => openSurveyEntry() }, t('survey.nav'), ' ', el('kbd', { text: 'Alt+Q' })) : null;
  root.append(el('div.complaints.quality#quality', {}, el('div.cash-head', {}, el('h1', { text: t('quality.title') }), bar, el('span.grow'), entry), body));
  const select = (v) => {
    state.view = v;
    bar.querySelectorAll('button').forEach((b) => b.classList.toggle('current', b.dataset.view === v));
    if (v === 'dashboard') dashboardView(body, status);
    else if (v === 'checks') checksView(body, status);
    else if (v === 'surveys') surveys(body);
    else if (v === 'market') market(body, status);
    else if (v === 'people') people(body);
    else targets(body, status);
  };
  select(state.view);
}

function periodBar(onShow, extra = []) {
  const from = el('input.date-input#q-from', { value: period.from, maxlength: 10 });
  const to = el('input.date-input#q-to', { value: period.to, maxlength: 10 });
  const general = el('div.form-error', { hidden: true });
  const show = () => { period = { from: from.value.trim(), to: to.value.trim() }; onShow(); };
  const bar = el('div.toolbar.fig-bar', {}, ...extra, field('from', t('complaint.fig.from'), from), field('to', t('complaint.fig.to'), to),
    el('button.btn#q-show', { type: 'button', onclick: show }, t('complaint.fig.show'), ' ', el('kbd', { text: 'Enter' })));
  enterMovesOn(bar, () => [...extra.map((x) => x.querySelector?.('select, input') || x), from, to], { onLast: show });
  const scope = el('div', {}, bar, general);
  return { scope, general };
}

async function surveys(body) {
  clear(body).append(el('p.muted', { text: t('common.loading') }));
  let forms;
  try { forms = await api.surveyQuestionnaires(); } catch (e) { clear(body).append(el('div.form-error', { text: e.message })); return; }
  const which = el('select#q-questionnaire', {}, forms.map((q) => el('option', { value: String(q.id), text: shipped(q.name) })));
  const out = el('div#q-results');
  const { scope, general } = periodBar(() => show(), [field('questionnaire', t('survey.questionnaire'), which)]);
  clear(body).append(scope, out);
  which.addEventListener('change', () => show());
  async function show() {
    showFieldError([scope], general, null);
    try {
      const r = await api.surveyResults(Number(which.value), period.from, period.to);
      const rated = r.items.filter((i) => i.scale !== 'text');
      const panels = rated.map((i) => el('div.panel.q-item', { dataset: { code: i.code } },
        el('h3', {}, shipped(i.text), i.aspect ? el('span.pill', { text: t(`followup.aspect.${i.aspect}`) }) : null),
        table([
          { label: t('survey.answer'), get: (c) => (c.value ? t(`survey.value.${c.value}`) : c.label) },
          { label: t('survey.count'), get: (c) => String(c.count), className: 'num' },
          { label: t('survey.share'), get: (c) => pct(c.share), className: 'num' },
        ], i.counts),
        el('p.faint', { text: t('survey.answered', { n: i.answered, total: r.responses }) })));
      const words = r.items.filter((i) => i.scale === 'text').map((i) => el('p.muted', { text: t('survey.words_count', { item: shipped(i.text), n: i.answered }) }));
      clear(out).append(el('p', { text: t('survey.responses', { n: r.responses, name: shipped(r.name) }) }), ...words, el('div.fig-grid.q-items', {}, panels));
    } catch (e) { showFieldError([scope], general, e); }
  }
  show();
}

async function market(body, status) {
  const out = el('div#q-market');
  const { scope, general } = periodBar(() => show());
  const add = el('button.btn.primary#q-market-new', { type: 'button', onclick: () => record() }, t('quality.market.new'));
  clear(body).append(el('div.toolbar', {}, scope, el('span.grow'), add), out);
  async function show() {
    showFieldError([scope], general, null);
    try {
      const list = await api.marketSurveyList(period.from, period.to);
      clear(out).append(el('p.muted', { text: t('quality.market.target', { n: list.length }) }), el('div.panel', {}, table([
        { label: t('quality.market.held_on'), get: (m) => m.held_on, className: 'num' },
        { label: t('quality.market.topic'), get: (m) => m.topic },
        { label: t('quality.market.method'), get: (m) => m.method },
        { label: t('quality.market.sample'), get: (m) => String(m.sample_size), className: 'num' },
        { label: t('quality.market.findings'), get: (m) => m.findings },
        { label: t('quality.market.by'), get: (m) => `${m.recorded_by} ${when(m.recorded_at).slice(0, 10)}` },
      ], list, { empty: t('quality.market.empty') })));
    } catch (e) { showFieldError([scope], general, e); }
  }
  function record() {
    const held = el('input.date-input#mk-held', { maxlength: 10, autocomplete: 'off', value: status.business_date });
    const topic = el('input#mk-topic', { maxlength: 100, autocomplete: 'off' });
    const method = el('input#mk-method', { maxlength: 60, autocomplete: 'off', placeholder: t('quality.market.method_hint') });
    const sample = el('input#mk-sample', { maxlength: 7, autocomplete: 'off' });
    const findings = el('textarea#mk-findings', { rows: 4, maxlength: 2000 });
    const err = el('div.form-error', { hidden: true });
    const box = el('div.intake', {}, el('div.intake-grid', {},
      field('held_on', t('quality.market.held_on'), held), field('survey_method', t('quality.market.method'), method), field('sample_size', t('quality.market.sample'), sample),
      el('div.span3', {}, field('topic', t('quality.market.topic'), topic)),
      el('div.span3', {}, field('findings', t('quality.market.findings'), findings))), err);
    const go = async () => {
      showFieldError([box], err, null);
      try {
        await api.marketSurveyRecord({ held_on: held.value, topic: topic.value, method: method.value, sample_size: sample.value, findings: findings.value });
        d.close();
        toast(t('common.saved'), 'ok');
        show();
      } catch (e) { showFieldError([box], err, e)?.querySelector('input, textarea')?.focus(); }
    };
    enterMovesOn(box, [held, method, sample, topic, findings], { onLast: go });
    const d = dialog(t('quality.market.new'), box, [
      el('button.btn', { type: 'button', onclick: () => d.close() }, t('common.cancel'), ' ', el('kbd', { text: 'Esc' })),
      el('button.btn.primary#mk-save', { type: 'button', onclick: go }, t('common.save'), ' ', el('kbd', { text: 'Enter' })),
    ]);
    d.node.classList.add('wide');
    held.focus();
  }
  show();
}

// ---- 优惠与人员: each promotion's uses, fees given up and new patients by month; each staff
// member's complaints upheld and praise by month (both counted by Rust) ----------------------

const yuan = (fen) => `¥${(fen / 100).toFixed(2)}`;

async function people(body) {
  const out = el('div#q-people');
  const { scope, general } = periodBar(() => show());
  clear(body).append(scope, out);
  async function show() {
    showFieldError([scope], general, null);
    try {
      const [promos, staff] = await api.qualityPromotions(period.from, period.to);
      clear(out).append(
        el('div.panel#q-promotions', {}, el('h3', { text: t('quality.people.promotions') }), el('p.faint', { text: t('quality.people.promotions_note') }), table([
          { label: t('quality.people.month'), get: (p) => p.month, className: 'num' },
          { label: t('quality.people.promotion'), get: (p) => `${p.name}${paren(p.code)}` },
          { label: t('quality.people.uses'), get: (p) => String(p.uses), className: 'num' },
          { label: t('quality.people.given_up'), get: (p) => yuan(p.given_up_fen), className: 'num' },
          { label: t('quality.people.new_patients'), get: (p) => String(p.new_patients), className: 'num' },
        ], promos, { rowId: (p) => `${p.month}-${p.code}` })),
        el('div.panel#q-staff', {}, el('h3', { text: t('quality.people.staff') }), el('p.faint', { text: t('quality.people.staff_note') }), table([
          { label: t('quality.people.month'), get: (s) => s.month, className: 'num' },
          { label: t('quality.people.person'), get: (s) => s.person },
          { label: t('quality.people.department'), get: (s) => s.department || '—' },
          { label: t('quality.people.upheld'), get: (s) => String(s.upheld), className: 'num' },
          { label: t('quality.people.praise'), get: (s) => String(s.praise), className: 'num' },
        ], staff)));
    } catch (e) { showFieldError([scope], general, e); }
  }
  show();
}

// ---- 质量目标: the ten targets in force, their history, the head's changes from a date; the
// operating indicators' monthly targets against what the desk did ---------------------------

// The target as Rust prints it everywhere (≥ 98%); a count gets the language's unit.
function targetText(spec, shown) {
  return spec.rate ? shown : t('quality.targets.per_month', { n: shown });
}

async function targets(body, status) {
  clear(body).append(el('p.muted', { text: t('common.loading') }));
  let list;
  let history;
  try { [list, history] = await api.qualityTargets(); } catch (e) { clear(body).append(el('div.form-error', { text: e.message })); return; }
  const head = status.can.targets;
  const panel = el('div.panel#q-targets', {}, el('h3', { text: t('quality.targets.title') }), el('p.faint', { text: t('quality.targets.note') }), table([
    { label: t('quality.targets.target'), get: (x) => shipped(x.spec.name) },
    { label: t('quality.targets.now'), get: (x) => targetText(x.spec, x.shown), className: 'num' },
    { label: t('quality.targets.history'), get: (x) => history.filter((h) => h.code === x.spec.code)
      .map((h) => `${h.from_date === '2000-01-01' ? t('quality.targets.default') : h.from_date}${t('common.colon')}${targetText(x.spec, h.shown)}${h.set_by ? paren(h.set_by) : ''}`).join(t('common.list_sep')) },
  ], list, { rowId: (x) => x.spec.code }));
  const parts = [panel];
  if (head) {
    const code = el('select#tg-code', {}, list.map((x) => el('option', { value: x.spec.code, text: shipped(x.spec.name) })));
    const value = el('input#tg-value', { maxlength: 6, autocomplete: 'off', placeholder: t('quality.targets.value_hint') });
    const from = el('input.date-input#tg-from', { maxlength: 10, autocomplete: 'off', value: status.business_date });
    const err = el('div.form-error', { hidden: true });
    const form = el('div.panel#tg-form', {}, el('h3', { text: t('quality.targets.change') }),
      el('div.toolbar.fig-bar', {}, field('target_code', t('quality.targets.target'), code), field('target_value', t('quality.targets.value'), value), field('from_date', t('quality.targets.from'), from),
        el('button.btn.primary#tg-save', { type: 'button', onclick: () => go() }, t('common.save'), ' ', el('kbd', { text: 'Enter' }))), err);
    const go = async () => {
      showFieldError([form], err, null);
      try {
        await api.qualityTargetSet({ code: code.value, value: value.value, from_date: from.value });
        toast(t('quality.targets.saved'), 'ok');
        targets(body, status);
      } catch (e) { showFieldError([form], err, e)?.querySelector('input, select')?.focus(); }
    };
    enterMovesOn(form, [code, value, from], { onLast: go });
    parts.push(form);
  }
  // The operating indicators of a month.
  const month = el('input.date-input#op-month', { maxlength: 7, value: status.business_date.slice(0, 7) });
  const opOut = el('div#op-out');
  const opErr = el('div.form-error', { hidden: true });
  const opPanel = el('div.panel#op-panel', {}, el('h3', { text: t('quality.operating.title') }),
    el('div.toolbar.fig-bar', {}, field('month', t('quality.operating.month'), month), el('button.btn#op-show', { type: 'button', onclick: () => showOp() }, t('complaint.fig.show'))), opErr, opOut);
  enterMovesOn(opPanel, [month], { onLast: () => showOp() });
  parts.push(opPanel);
  clear(body).append(...parts);
  async function showOp(rows = null) {
    showFieldError([opPanel], opErr, null);
    try {
      const a = rows || await api.operatingActuals(month.value.trim());
      clear(opOut).append(table([
        { label: t('quality.operating.indicator'), get: (x) => shipped(x.name) },
        { label: t('quality.operating.target'), get: (x) => (x.target == null ? t('quality.operating.unset') : String(x.target)), className: 'num' },
        { label: t('quality.operating.actual'), get: (x) => String(x.actual), className: 'num' },
        { label: t('quality.operating.completion'), get: (x) => pct(x.completion), className: 'num' },
      ], a, { rowId: (x) => x.indicator }));
      if (head) {
        const indicator = el('select#op-indicator', {}, a.map((x) => el('option', { value: x.indicator, text: shipped(x.name) })));
        const value = el('input#op-value', { maxlength: 8, autocomplete: 'off' });
        const set = async () => {
          showFieldError([opPanel], opErr, null);
          try { showOp(await api.operatingTargetSet({ month: month.value.trim(), indicator: indicator.value, value: value.value })); toast(t('quality.targets.saved'), 'ok'); } catch (e) { showFieldError([opPanel], opErr, e); }
        };
        const row = el('div.toolbar.fig-bar', {}, field('indicator', t('quality.operating.indicator'), indicator), field('target_value', t('quality.operating.target'), value),
          el('button.btn.primary#op-save', { type: 'button', onclick: set }, t('quality.operating.set'), ' ', el('kbd', { text: 'Enter' })));
        enterMovesOn(row, [indicator, value], { onLast: set });
        opOut.append(row);
      }
    } catch (e) { showFieldError([opPanel], opErr, e); }
  }
  showOp();
}
