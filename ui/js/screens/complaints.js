// 投诉: the list of cases by what is due first — overdue and due-today marked — with the views
// customer service and the supervisors work from (待办, 已超期, 今日到期, 我的, 主任关注, 已结案),
// and the case page. F3 (or Alt+T from any screen) records a new one. Enter on a row opens it;
// Esc on the case page comes back to the list. The page decides nothing: the order, the marks
// and the steps allowed come from Rust.
import { api } from '../api.js';
import { t, when } from '../i18n.js';
import { el, clear, table } from '../ui.js';
import { openIntake } from './complaints/intake.js';
import { showCase } from './complaints/case.js';

const VIEWS = ['open', 'overdue', 'due_today', 'mine', 'head', 'closed'];
let state = { view: 'open', caseId: null, user: null };

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
  const views = VIEWS.filter((v) => v !== 'head' || ['supervisor', 'head'].includes(status.user.role));
  if (!views.includes(state.view)) state.view = 'open';
  const bar = el('div.tabs#complaint-views', { role: 'tablist' });
  const counts = status.complaints || {};
  for (const v of views) {
    const n = { open: counts.open, overdue: counts.overdue, due_today: counts.due_today, head: counts.severe + counts.overdue }[v];
    bar.append(el('button', { type: 'button', role: 'tab', dataset: { view: v }, onclick: () => select(v) },
      t(`complaint.view.${v}`), n ? el('span.tab-count', { text: String(n) }) : null));
  }
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
    clear(body).append(el('p.muted', { text: t('common.loading') }));
    try {
      const cases = await api.complaintList(state.view);
      clear(body).append(el('div.panel', {}, table(columns(labels), cases, {
        onOpen: (c) => open(c.id),
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

  root.addEventListener('keydown', (e) => {
    if (e.key === 'F3') { e.preventDefault(); openIntake(); }
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
    { label: t('complaint.col.category'), get: (c) => c.category || '' },
    { label: t('complaint.col.department'), get: (c) => c.department || '' },
    { label: t('complaint.col.state'), get: (c) => labels.state[c.state] },
    { label: t('complaint.col.owner'), get: (c) => c.owner },
    { label: t('complaint.col.received'), get: (c) => when(c.received_at).slice(0, 16), className: 'num' },
  ];
}

/** The deadline, and whether it is passed or today. */
export function dueCell(c) {
  if (!c.pending) return el('span.faint.num', { text: c.state === 'closed' ? t('complaint.closed_on', { date: when(c.closed_at).slice(0, 10) }) : t('complaint.deadline_met') });
  const line = t(c.state === 'received' ? 'complaint.due.ack' : 'complaint.due.feedback', { date: c.due });
  if (c.overdue) return el('span.due', {}, el('span.pill.bad', { text: t('complaint.overdue') }), ' ', el('span.num', { text: line }));
  if (c.due_today) return el('span.due', {}, el('span.pill.warn', { text: t('complaint.due_today') }), ' ', el('span.num', { text: line }));
  return el('span.num.due', { text: line });
}
