// 投诉: the list of cases by what is due first — overdue and due-today marked — with the views
// customer service and the supervisors work from (待办, 已超期, 今日到期, 我的, 主任关注, 已结案),
// and the case page. F3 (or Alt+T from any screen) records a new one. Enter on a row opens it;
// Esc on the case page comes back to the list. The page decides nothing: the order, the marks
// and the steps allowed come from Rust.
import { api } from '../api.js';
import { t, when, shipped } from '../i18n.js';
import { el, clear, table, field, dialog, showFieldError, enterMovesOn, toast, unmaskedDialog, tabCounts } from '../ui.js';
import { openIntake } from './complaints/intake.js';
import { showCase } from './complaints/case.js';

const VIEWS = ['open', 'overdue', 'due_today', 'mine', 'head', 'closed', 'figures'];
let state = { view: 'open', caseId: null, user: null };
let pendingCase = null;

/** Opens a case the next time the screen mounts (from a follow-up call's concern). */
export function openLater(id) { pendingCase = id; }

/** Rust's names for kinds, states, severities, channels and steps, by code. */
export function labelsOf(choices) {
  const map = (pairs) => Object.fromEntries(pairs.map(([k, v]) => [k, v]));
  return {
    kind: map(choices.kinds), state: map(choices.states), severity: map(choices.severities),
    channel: map(choices.channels), action: { ...map(choices.actions), record: null },
  };
}

export async function mount(root, { status }) {
  let choices;
  try { choices = await api.complaintChoices(); } catch (e) { root.append(el('div.form-error', { text: e.message })); return; }
  const labels = labelsOf(choices);
  // Where the list was is kept while the same person moves between screens, not for the next.
  if (state.user !== status.user.staff_id) state = { view: 'open', caseId: null, user: status.user.staff_id };
  if (pendingCase != null) { state.caseId = pendingCase; pendingCase = null; }
  const views = VIEWS.filter((v) => v !== 'head' || status.can.oversee);
  if (!views.includes(state.view)) state.view = 'open';
  const bar = el('div.tabs#complaint-views', { role: 'tablist' });
  for (const v of views) {
    bar.append(el('button', { type: 'button', role: 'tab', dataset: { view: v }, onclick: () => select(v) }, t(`complaint.view.${v}`)));
  }
  tabCounts(bar, status, (s) => {
    const c = s.complaints || {};
    return { open: c.open, overdue: c.overdue, due_today: c.due_today, head: c.head };
  });
  const body = el('div#complaint-body');
  const newBtn = el('button.btn.primary#complaint-new', { type: 'button', onclick: () => openIntake() }, t('complaint.new'), ' ', el('kbd', { text: 'F3' }));
  const page = el('div.complaints#complaints', {},
    el('div.cash-head', {}, el('h1', { text: t('complaint.title') }), bar, el('span.grow'), newBtn),
    body);
  root.append(page);

  const select = (v) => {
    state = { ...state, view: v, caseId: null };
    bar.querySelectorAll('button').forEach((b) => b.classList.toggle('current', b.dataset.view === v));
    load();
  };

  async function load() {
    if (state.view === 'figures') { figures(body, status, open); return; }
    clear(body).append(el('p.muted', { text: t('common.loading') }));
    try {
      const cases = await api.complaintList(state.view);
      clear(body).append(el('div.panel', {}, table(columns(labels), cases, {
        onOpen: (c) => open(c.id),
        empty: t(`complaint.empty.${state.view}`),
        rowClass: (c) => (c.overdue ? 'overdue' : c.due_today ? 'due-today' : c.state === 'closed' ? 'inactive' : ''),
      })));
      body.querySelector('tr[tabindex]')?.focus();
    } catch (e) {
      clear(body).append(el('div.form-error', { text: e.message }));
    }
  }

  async function open(id) {
    state.caseId = id;
    clear(body);
    await showCase(body, id, { status, choices, labels, back: () => { state.caseId = null; load(); } });
  }

  // F3 while this screen is the one shown (the listener goes with the screen).
  page.addEventListener('keydown', (e) => {
    if (e.key === 'F3' && page.isConnected) { e.preventDefault(); openIntake(); }
  });
  window.addEventListener('frontdesk:complaint-recorded', function again(e) {
    if (!page.isConnected) { window.removeEventListener('frontdesk:complaint-recorded', again); return; }
    if (state.caseId == null) load();
    void e;
  });

  bar.querySelectorAll('button').forEach((b) => b.classList.toggle('current', b.dataset.view === state.view));
  if (state.caseId != null) open(state.caseId); else load();
}

function columns(labels) {
  return [
    { label: t('complaint.col.due'), get: dueCell },
    { label: t('complaint.col.number'), get: (c) => c.number, className: 'num' },
    { label: t('complaint.col.kind'), get: (c) => labels.kind[c.kind] },
    { label: t('complaint.col.severity'), get: (c) => (c.kind === 'complaint' ? el(`span.pill${c.severity === 'severe' ? '.bad' : c.severity === 'serious' ? '.warn' : ''}`, { text: labels.severity[c.severity] }) : '') },
    { label: t('complaint.col.who'), get: (c) => (c.anonymous ? t('complaint.anonymous') : c.complainant || '') },
    { label: t('complaint.col.category'), get: (c) => shipped(c.category) || '', className: 'wraps' },
    { label: t('complaint.col.department'), get: (c) => c.department || '' },
    { label: t('complaint.col.state'), get: (c) => stateName(c, labels), className: 'wraps' },
    { label: t('complaint.col.owner'), get: (c) => c.owner },
    { label: t('complaint.col.received'), get: (c) => when(c.received_at).slice(0, 16), className: 'num' },
  ];
}

/** A case's state as the list and the case page say it: a praise or a suggestion not yet
 * passed on is 待转达, not 待受理 (nobody accepts a praise). */
export function stateName(c, labels) {
  return c.kind !== 'complaint' && c.state === 'received' ? t('complaint.to_pass_on') : labels.state[c.state];
}

/** The deadline, and whether it is passed or today; a praise or a suggestion has none. */
export function dueCell(c) {
  if (c.kind !== 'complaint' && c.state !== 'closed') return el('span.faint', { text: t('complaint.no_deadline') });
  if (!c.pending) return el('span.faint.num', { text: c.state === 'closed' ? t('complaint.closed_on', { date: when(c.closed_at).slice(0, 10) }) : t('complaint.deadline_met') });
  const line = t(c.state === 'received' ? 'complaint.due.ack' : 'complaint.due.feedback', { date: c.due });
  if (c.overdue) return el('span.due', {}, el('span.pill.bad', { text: t('complaint.overdue') }), ' ', el('span.num', { text: line }));
  if (c.due_today) return el('span.due', {}, el('span.pill.warn', { text: t('complaint.due_today') }), ' ', el('span.num', { text: line }));
  return el('span.num.due', { text: line });
}

// ---- 统计与登记本: the period's figures, the records behind them, the register ----------------

let period = null;

function figures(body, status, openCase) {
  if (!period) period = { from: `${status.business_date.slice(0, 8)}01`, to: status.business_date };
  const from = el('input.date-input#fig-from', { value: period.from, maxlength: 10 });
  const to = el('input.date-input#fig-to', { value: period.to, maxlength: 10 });
  const out = el('div#fig-out');
  const general = el('div.form-error', { hidden: true });
  const bar = el('div.toolbar.fig-bar', {},
    field('from', t('complaint.fig.from'), from), field('to', t('complaint.fig.to'), to),
    el('button.btn#fig-show', { type: 'button', onclick: () => show() }, t('complaint.fig.show'), ' ', el('kbd', { text: 'Enter' })),
    el('span.grow'),
    el('button.btn#fig-pdf', { type: 'button', onclick: () => save('pdf') }, t('complaint.fig.pdf')),
    el('button.btn#fig-xlsx', { type: 'button', onclick: () => save('xlsx') }, t('complaint.fig.xlsx')),
    el('button.btn#fig-csv', { type: 'button', onclick: () => save('csv') }, 'CSV'),
    status.can.unmasked ? el('button.btn#fig-unmasked', { type: 'button', onclick: () => unmasked() }, t('complaint.fig.unmasked')) : null);
  const scope = el('div', {}, bar, general);
  clear(body).append(scope, out);
  enterMovesOn(bar, [from, to], { onLast: () => show() });

  async function show() {
    showFieldError([scope], general, null);
    period = { from: from.value.trim(), to: to.value.trim() };
    try {
      render(await api.complaintFigures(period.from, period.to));
    } catch (e) { showFieldError([scope], general, e); }
  }
  async function save(format, isUnmasked = false, reason = '') {
    showFieldError([scope], general, null);
    try {
      const path = await api.complaintRegisterSave(from.value.trim(), to.value.trim(), format, isUnmasked, reason);
      if (path) toast(t('complaint.fig.saved', { path }), 'ok');
      return true;
    } catch (e) {
      if (!isUnmasked) showFieldError([scope], general, e);
      return e;
    }
  }
  function unmasked() {
    unmaskedDialog('fig', t('complaint.fig.unmasked_note'), (format, reason) => save(format, true, reason));
  }

  function render(f) {
    const s = f.satisfaction;
    const pct = s.shown;
    const tile = el(`div.fig-tile${s.met === false ? '.bad' : s.met ? '.ok' : ''}#fig-satisfaction`, {},
      el('div.muted', { text: t('complaint.fig.satisfaction') }),
      el('div.money-big', { text: pct }),
      el('div', { text: t('complaint.fig.satisfaction_of', { satisfied: s.satisfied, total: s.with_feedback, target: s.target_shown }) }),
      el('div', { text: s.met == null ? t('complaint.fig.no_feedback') : s.met ? t('complaint.fig.met') : t('complaint.fig.missed') }));
    const records = el('div.fig-records', {}, el('span.muted', { text: t('complaint.fig.records') }),
      s.records.map((r) => el('button.linkbtn', { type: 'button', title: r.satisfied ? t('complaint.satisfied') : t('complaint.unsatisfied'), onclick: () => openCase(r.id) }, `${r.number}${r.satisfied ? '' : ' ✗'}`)));
    const counts = (title, head, list) => el('div.panel', {}, el('h3', { text: title }), table([
      { label: head, get: (r) => shipped(r[0]) },
      { label: t('complaint.kind.complaint'), get: (r) => String(r[1].complaints), className: 'num' },
      { label: t('complaint.fig.upheld'), get: (r) => String(r[1].upheld), className: 'num' },
      { label: t('complaint.kind.suggestion'), get: (r) => String(r[1].suggestions), className: 'num' },
      { label: t('complaint.kind.praise'), get: (r) => String(r[1].praise), className: 'num' },
    ], list));
    const staff = el('div.panel', {}, el('h3', { text: t('complaint.fig.per_staff') }), table([
      { label: t('complaint.fig.month'), get: (m) => m.month, className: 'num' },
      { label: t('complaint.person'), get: (m) => m.person },
      { label: t('complaint.department'), get: (m) => m.department || '' },
      { label: t('complaint.fig.upheld'), get: (m) => String(m.upheld), className: 'num' },
      { label: t('complaint.kind.praise'), get: (m) => String(m.praise), className: 'num' },
    ], f.per_staff));
    clear(out).append(
      el('div.fig-top', {}, tile, el('div.panel.fig-summary', {},
        el('p', { text: t('complaint.fig.received', { c: f.received.complaints, u: f.received.upheld, s: f.received.suggestions, p: f.received.praise, closed: f.closed }) }), records)),
      el('div.fig-grid', {}, counts(t('complaint.fig.by_category'), t('complaint.col.category'), f.by_category), counts(t('complaint.fig.by_department'), t('complaint.col.department'), f.by_department), counts(t('complaint.fig.by_channel'), t('complaint.channel'), f.by_channel), staff));
  }
  show();
}
