// 导诊台: the waiting room as the guide desk sees it — per department and doctor, who is waiting,
// who has been seen, who did not come; the queue with masked names; a doctor with too many
// waiting stands out. One key (Enter on a row) marks a patient seen. Refreshes itself every 15 s.
import { api } from '../api.js';
import { t, when } from '../i18n.js';
import { el, clear, toast } from '../ui.js';
import { showLog } from './guide/logs.js';

const REFRESH_MS = 15000;
const add = (node, ...kids) => { node.append(...kids.flat().filter((k) => k !== null && k !== undefined && k !== false)); return node; };

export function mount(root, { status }) {
  const body = el('div#guide-body');
  const updated = el('span.faint#guide-updated');
  const totals = el('div.guide-totals#guide-totals');
  const refreshBtn = el('button.btn.small', { type: 'button', onclick: () => load() }, t('common.refresh'));
  // The desk's own records, in place of the waiting room until 返回.
  const logs = (kind) => () => showLog(root, kind, { status, back: () => { clear(root); mount(root, { status }); } });
  const handover = el('button.btn.small#guide-handover', { type: 'button', onclick: logs('handover') }, t('guidelog.handover.title'));
  const worklog = el('button.btn.small#guide-worklog', { type: 'button', onclick: logs('work') }, t('guidelog.work.title'));
  const node = el('div.guide#guide', {},
    el('div.guide-head', {}, el('h1', { text: t('guide.title') }), totals, el('span.grow'), updated, refreshBtn, handover, worklog),
    el('p.muted.guide-hint', {}, t('guide.hint'), ' ', el('kbd', { text: '↑' }), el('kbd', { text: '↓' }), ' ', el('kbd', { text: 'Enter' })),
    body);
  add(root, node);
  let session = status.day_session;
  let busy = false;

  async function load() {
    if (busy) return;
    busy = true;
    const focused = document.activeElement?.closest?.('.dq-row')?.dataset.id;
    try {
      const [queues, now] = await Promise.all([api.waitingRoom(), api.status()]);
      session = now.day_session;
      render(queues);
      updated.textContent = t('guide.updated', { time: when(Date.now()).slice(11, 16) });
      if (focused) body.querySelector(`.dq-row[data-id="${focused}"]`)?.focus();
    } catch (e) {
      clear(body).append(el('div.form-error', { text: e.message }));
    } finally {
      busy = false;
    }
  }

  function render(queues) {
    clear(body);
    clear(totals);
    const sum = (k) => queues.reduce((n, q) => n + q[k], 0);
    add(totals, 
      el('span', {}, t('guide.waiting'), ' ', el('b.num', { text: String(sum('waiting')) })),
      el('span', {}, t('guide.seen'), ' ', el('b.num', { text: String(sum('seen')) })),
      el('span', {}, t('guide.no_show'), ' ', el('b.num', { text: String(sum('no_show')) })));
    if (!queues.length) { add(body, el('div.empty', { text: t('guide.none') })); return; }
    // This session and later ones; an earlier session only while someone of it is listed.
    const rank = (x) => ['am', 'pm', 'eve'].indexOf(x);
    const shown = queues
      .filter((q) => rank(q.session) >= rank(session) || q.patients.length)
      .sort((a, b) => (a.session === session ? 0 : 1) - (b.session === session ? 0 : 1) || rank(a.session) - rank(b.session));
    const depts = new Map();
    for (const q of shown) {
      if (!depts.has(q.department_id)) depts.set(q.department_id, { name: q.department_name, queues: [] });
      depts.get(q.department_id).queues.push(q);
    }
    for (const [, d] of depts) {
      const waiting = d.queues.reduce((n, q) => n + q.waiting, 0);
      add(body, el('section.guide-dept', {},
        el('h2', {}, d.name, el('span.muted', { text: t('guide.dept_waiting', { n: waiting }) })),
        el('div.guide-grid', {}, d.queues.map(card))));
    }
  }

  function card(q) {
    const box = el('div.dq', { dataset: { doctorId: q.doctor_id } },
      el('div.dq-head', {},
        el('strong', { text: q.doctor_name }),
        el(`span.pill${q.session === session ? '.ok' : ''}`, { text: t(`session.${q.session}`) }),
        q.alert ? el('span.pill.warn', { text: `⚠ ${t('guide.alert')}` }) : null,
        el('span.grow'),
        el('span.dq-counts', {},
          el('span.waiting', {}, t('guide.waiting'), ' ', el('b', { text: String(q.waiting) })),
          el('span', {}, t('guide.seen'), ' ', el('b', { text: String(q.seen) })),
          el('span', {}, t('guide.no_show'), ' ', el('b', { text: String(q.no_show) })))));
    box.classList.toggle('alert', q.alert);
    box.classList.toggle('later', q.session !== session && !q.patients.length);
    const list = el('div.dq-list');
    for (const p of q.patients) {
      const waiting = p.status === 'waiting';
      const row = el('div.dq-row', { tabindex: '0', dataset: { id: p.registration_id, status: p.status, queue: p.queue_no, name: p.patient_name } },
        el('span.num', { text: t('reg.queue_no', { n: p.queue_no }) }),
        el('span', { text: p.patient_name }),
        waiting
          ? el('button.btn.small.mark-seen', { type: 'button', tabindex: '-1', onclick: () => markSeen(p) }, p.no_show ? t('guide.no_show') : t('guide.mark_seen'))
          : el('span.pill.ok', { text: t('guide.seen') }));
      row.classList.toggle('seen', !waiting);
      row.classList.toggle('no-show', p.no_show);
      add(list, row);
    }
    if (q.patients.length) add(box, list);
    return box;
  }

  async function markSeen(p, focusNext = null) {
    try {
      await api.markSeen(p.registration_id);
      toast(t('guide.marked', { n: p.queue_no, name: p.patient_name }), 'ok');
    } catch (e) {
      toast(e.message, 'error');
    }
    await load();
    const row = body.querySelector(`.dq-row[data-id="${focusNext ?? p.registration_id}"]`);
    row?.focus();
  }

  body.addEventListener('keydown', (e) => {
    const row = e.target.closest?.('.dq-row');
    if (!row) return;
    const rows = [...body.querySelectorAll('.dq-row')];
    const i = rows.indexOf(row);
    if (e.key === 'ArrowDown') { e.preventDefault(); rows[i + 1]?.focus(); }
    if (e.key === 'ArrowUp') { e.preventDefault(); rows[i - 1]?.focus(); }
    if (e.key === 'Enter' && row.dataset.status === 'waiting') {
      e.preventDefault();
      // Keep the place: after the refresh the focus goes to the next patient.
      const p = { registration_id: Number(row.dataset.id), queue_no: row.dataset.queue, patient_name: row.dataset.name };
      markSeen(p, rows[i + 1]?.dataset.id ?? null);
    }
  });

  load().then(() => body.querySelector('.dq-row[data-status="waiting"]')?.focus());
  const timer = setInterval(() => {
    if (!node.isConnected) { clearInterval(timer); return; }
    if (!document.getElementById('lock-screen').hidden || document.querySelector('.backdrop:not([hidden])')) return;
    load();
  }, REFRESH_MS);
}
