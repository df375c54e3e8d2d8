// 回访: customer service's day. The work list (待回访 first: due by today and not waiting for
// a retry; 已超期, 号码待更正, 待部门答复, 全部待办, 已完成), narrowed by department, kind or my
// own calls, sorted by due date — all of it from Rust, which also fills the list from the first
// visits and discharges. Enter on a row opens the call screen; F9 there saves the call and opens
// the next. 回访率 shows the rates against their targets, each number opening its records, and
// saves the register; 抽查 is the supervisors' spot-checks. 登记出院 enters a discharge by hand.
import { api } from '../api.js';
import { t, when } from '../i18n.js';
import { el, clear, table, field, dialog, showFieldError, enterMovesOn, toast, unmaskedDialog, newest, tabCounts } from '../ui.js';
import { showCall } from './followup/call.js';
import { showSpotChecks } from './followup/spot.js';

const LIST_VIEWS = ['due', 'overdue', 'fix_number', 'concerns', 'open', 'closed'];
const KINDS = ['first_visit', 'discharge', 'second', 'planned'];
let state = { view: 'due', callId: null, user: null, filter: { department_id: null, kind: null, mine: false } };
let pendingCall = null;

/** Opens a follow-up's call screen the next time the screen mounts (from another screen). */
export function openLater(id) { pendingCall = id; }

export async function mount(root, { status }) {
  let choices;
  try { choices = await api.complaintChoices(); } catch (e) { root.append(el('div.form-error', { text: e.message })); return; }
  if (state.user !== status.user.staff_id) state = { view: 'due', callId: null, user: status.user.staff_id, filter: { department_id: null, kind: null, mine: false } };
  if (pendingCall != null) { state.callId = pendingCall; pendingCall = null; }
  const checks = status.can.spot_check;
  const views = [...LIST_VIEWS, 'rates', ...(checks ? ['spot'] : [])];
  const bar = el('div.tabs#followup-views', { role: 'tablist' });
  for (const v of views) {
    bar.append(el('button', { type: 'button', role: 'tab', dataset: { view: v }, onclick: () => select(v) }, t(`followup.view.${v}`)));
  }
  tabCounts(bar, status, (s) => {
    const c = s.followups || {};
    return { due: c.due, overdue: c.overdue, fix_number: c.fix_number, concerns: c.concerns };
  });
  const body = el('div#followup-body');
  const discharge = el('button.btn#followup-discharge', { type: 'button', onclick: () => dischargeDialog(choices).then((ok) => { if (ok && state.callId == null) load(); }) }, t('followup.discharge_new'));
  const page = el('div.complaints.followups#followups', {},
    el('div.cash-head', {}, el('h1', { text: t('followup.title') }), bar, el('span.grow'), discharge),
    body);
  root.append(page);

  const select = (v) => {
    state = { ...state, view: v, callId: null };
    bar.querySelectorAll('button').forEach((b) => b.classList.toggle('current', b.dataset.view === v));
    load();
  };

  const ctx = {
    status, choices,
    back: () => { state.callId = null; load(); },
    open: (id) => openCall(id),
    // The next call due after this one, with the same filter; the list when none is left.
    next: async (after) => {
      try {
        const due = await api.followupList('due', state.filter, 50);
        const next = due.find((f) => f.id !== after);
        if (next) { openCall(next.id); return; }
        toast(t('followup.all_done'), 'ok');
      } catch (e) { toast(e.message, 'error'); }
      state = { ...state, view: 'due', callId: null };
      bar.querySelectorAll('button').forEach((b) => b.classList.toggle('current', b.dataset.view === 'due'));
      load();
    },
  };

  async function openCall(id) {
    state.callId = id;
    clear(body);
    await showCall(body, id, ctx);
  }

  function filterBar() {
    const dept = el('select#fu-dept', {}, el('option', { value: '', text: t('followup.all_departments') }), choices.departments.map((d) => el('option', { value: String(d.id), text: d.name })));
    dept.value = state.filter.department_id ? String(state.filter.department_id) : '';
    const kind = el('select#fu-kind', {}, el('option', { value: '', text: t('followup.all_kinds') }), KINDS.map((k) => el('option', { value: k, text: t(`followup.kind.${k}`) })));
    kind.value = state.filter.kind || '';
    const mine = el('input#fu-mine', { type: 'checkbox', checked: state.filter.mine });
    const changed = () => {
      state.filter = { department_id: dept.value ? Number(dept.value) : null, kind: kind.value || null, mine: mine.checked };
      load();
    };
    for (const x of [dept, kind, mine]) x.addEventListener('change', changed);
    return el('div.toolbar.fu-filters', {}, field('department_id', t('followup.department'), dept), field('kind', t('followup.kind'), kind),
      el('label.check', {}, mine, ' ', t('followup.mine')));
  }

  async function load() {
    if (state.view === 'rates') { rates(body, status, openCall); return; }
    if (state.view === 'spot') { showSpotChecks(body, { status, open: openCall }); return; }
    clear(body).append(el('p.muted', { text: t('common.loading') }));
    try {
      if (state.view === 'concerns') {
        const list = await api.followupConcernsWaiting();
        clear(body).append(el('div.panel', {}, el('p.muted', { text: t('followup.concerns_hint') }), table([
          { label: t('followup.col.raised'), get: (c) => when(c.raised_at).slice(0, 16), className: 'num' },
          { label: t('followup.patient'), get: (c) => c.patient },
          { label: t('followup.concern_department'), get: (c) => c.department || '' },
          { label: t('followup.concern'), get: (c) => c.what },
          { label: t('followup.col.by'), get: (c) => c.raised_by },
          { label: t('followup.raised_as'), get: (c) => c.complaint_number || '' },
        ], list, { onOpen: (c) => openCall(c.followup_id), rowId: (c) => c.followup_id, empty: t('followup.empty.concerns') })));
      } else {
        const list = await api.followupList(state.view, state.filter);
        clear(body).append(filterBar(), el('div.panel', {}, table(columns(), list, {
          onOpen: (f) => openCall(f.id),
          rowId: (f) => f.id,
          empty: t(`followup.empty.${state.view}`),
          rowClass: (f) => (f.overdue ? 'overdue' : f.state === 'fix_number' ? 'due-today' : f.closed_at ? 'inactive' : ''),
        })));
      }
      body.querySelector('tr[tabindex]')?.focus();
    } catch (e) {
      clear(body).append(el('div.form-error', { text: e.message }));
    }
  }

  page.addEventListener('keydown', (e) => {
    // Enter on the first row is the quickest way in; F9 on the list opens the first call due.
    if (e.key === 'F9' && state.callId == null && state.view === 'due') {
      e.preventDefault();
      body.querySelector('tr[tabindex]')?.click();
    }
  });
  bar.querySelectorAll('button').forEach((b) => b.classList.toggle('current', b.dataset.view === state.view));
  if (state.callId != null) openCall(state.callId); else load();
}

function columns() {
  return [
    { label: t('followup.col.due'), get: (f) => (f.overdue ? el('span.due', {}, el('span.pill.bad', { text: t('followup.overdue') }), ' ', el('span.num', { text: f.due_date })) : el('span.num', { text: f.due_date })) },
    { label: t('followup.col.kind'), get: (f) => t(`followup.kind.${f.kind}`) },
    { label: t('followup.patient'), get: (f) => f.patient },
    { label: t('followup.col.phone'), get: (f) => f.phone || t('followup.no_phone'), className: 'num' },
    { label: t('followup.department'), get: (f) => f.department || '' },
    { label: t('followup.col.attempts'), get: (f) => String(f.attempts), className: 'num' },
    { label: t('followup.col.next_try'), get: (f) => (f.next_try_at ? when(f.next_try_at).slice(5, 16) : ''), className: 'num' },
    { label: t('followup.col.state'), get: (f) => t(`followup.state.${f.state}`) },
  ];
}

/** 登记出院: a discharged inpatient entered by hand (the HIS's file goes through the admin tool). */
function dischargeDialog(choices) {
  return new Promise((resolve) => {
    const who = el('input#dc-who', { autocomplete: 'off', maxlength: 40, placeholder: t('followup.dc.who_placeholder') });
    const hits = el('div.results.ci-hits', { role: 'listbox', hidden: true });
    const picked = el('div.ci-picked.muted');
    const dept = el('select#dc-dept', {}, el('option', { value: '', text: t('followup.none_chosen') }), choices.departments.map((d) => el('option', { value: String(d.id), text: d.name })));
    const admitted = el('input.date-input#dc-admitted', { maxlength: 10, autocomplete: 'off', placeholder: 'YYYY-MM-DD' });
    const discharged = el('input.date-input#dc-discharged', { maxlength: 10, autocomplete: 'off', placeholder: 'YYYY-MM-DD' });
    const doctor = el('input#dc-doctor', { maxlength: 30, autocomplete: 'off' });
    const diagnosis = el('input#dc-diagnosis', { maxlength: 200, autocomplete: 'off' });
    const general = el('div.form-error', { hidden: true });
    let patient = null;
    const search = newest((q) => api.complaintPatientSearch(q));
    const pick = (h) => { patient = h; who.value = h.name; picked.textContent = t('complaint.picked', { card: h.card_no }); hits.hidden = true; dept.focus(); };
    who.addEventListener('input', async () => {
      patient = null;
      picked.textContent = '';
      const q = who.value.trim();
      clear(hits);
      hits.hidden = true;
      if (q.length < 2) return;
      try {
        const r = await search(q);
        if (!r.current) return;
        r.value.slice(0, 6).forEach((h) => hits.append(el('div.hit', { role: 'option', tabindex: '-1', onclick: () => pick(h),
          onkeydown: (e) => {
            if (e.key === 'Enter') { e.preventDefault(); e.stopPropagation(); pick(h); }
            if (e.key === 'ArrowDown') { e.preventDefault(); e.currentTarget.nextElementSibling?.focus(); }
            if (e.key === 'ArrowUp') { e.preventDefault(); (e.currentTarget.previousElementSibling || who).focus(); }
          } }, el('span.hit-name', { text: h.name }), el('span.num', { text: h.card_no }), el('span.num', { text: h.phone_masked || '' }))));
        hits.hidden = !r.value.length;
      } catch (e) { /* nothing found is shown as nothing */ }
    });
    who.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowDown' && !hits.hidden) { e.preventDefault(); hits.firstElementChild?.focus(); }
      if (e.key === 'Enter' && !patient && !hits.hidden) { e.preventDefault(); e.stopPropagation(); hits.firstElementChild?.click(); }
    }, true);
    const box = el('div.intake', {}, el('div.intake-grid', {},
      el('div.span3', {}, field('patient_id', t('followup.patient'), who, el('div', {}, hits, picked))),
      field('department_id', t('followup.department'), dept), field('admitted_on', t('followup.dc.admitted'), admitted), field('discharged_on', t('followup.dc.discharged'), discharged),
      field('doctor', t('followup.dc.doctor'), doctor), el('div.span3', {}, field('diagnosis', t('followup.dc.diagnosis'), diagnosis))), general);
    const go = async () => {
      showFieldError([box], general, null);
      try {
        await api.dischargeAdd({
          patient_id: patient?.id ?? null, department_id: dept.value ? Number(dept.value) : null,
          admitted_on: admitted.value, discharged_on: discharged.value, doctor: doctor.value, diagnosis: diagnosis.value,
        });
        toast(t('followup.dc.saved', { patient: patient.name }), 'ok');
        d.close();
        resolve(true);
      } catch (err) {
        showFieldError([box], general, err)?.querySelector('input, select')?.focus();
      }
    };
    enterMovesOn(box, [who, dept, admitted, discharged, doctor, diagnosis], { onLast: go });
    const d = dialog(t('followup.discharge_new'), box, [
      el('button.btn', { type: 'button', onclick: () => { d.close(); resolve(false); } }, t('common.cancel'), ' ', el('kbd', { text: 'Esc' })),
      el('button.btn.primary#dc-save', { type: 'button', onclick: go }, t('common.save'), ' ', el('kbd', { text: 'Enter' })),
    ]);
    d.node.classList.add('wide');
    who.focus();
  });
}

// ---- 回访率: the rates against the targets, the records behind each number, the register -----

let period = null;

function rates(body, status, openCall) {
  if (!period) period = { from: `${status.business_date.slice(0, 8)}01`, to: status.business_date };
  const from = el('input.date-input#rt-from', { value: period.from, maxlength: 10 });
  const to = el('input.date-input#rt-to', { value: period.to, maxlength: 10 });
  const out = el('div#rt-out');
  const general = el('div.form-error', { hidden: true });
  const bar = el('div.toolbar.fig-bar', {},
    field('from', t('complaint.fig.from'), from), field('to', t('complaint.fig.to'), to),
    el('button.btn#rt-show', { type: 'button', onclick: () => show() }, t('complaint.fig.show'), ' ', el('kbd', { text: 'Enter' })),
    el('span.grow'),
    el('button.btn#rt-pdf', { type: 'button', onclick: () => save('pdf') }, t('followup.register_pdf')),
    el('button.btn#rt-xlsx', { type: 'button', onclick: () => save('xlsx') }, t('followup.register_xlsx')),
    el('button.btn#rt-csv', { type: 'button', onclick: () => save('csv') }, 'CSV'),
    status.can.unmasked ? el('button.btn#rt-unmasked', { type: 'button', onclick: () => unmasked() }, t('complaint.fig.unmasked')) : null);
  const scope = el('div', {}, bar, general);
  clear(body).append(scope, out);
  enterMovesOn(bar, [from, to], { onLast: () => show() });

  async function show() {
    showFieldError([scope], general, null);
    period = { from: from.value.trim(), to: to.value.trim() };
    try { render(await api.followupRates(period.from, period.to)); } catch (e) { showFieldError([scope], general, e); }
  }
  async function save(format, isUnmasked = false, reason = '') {
    showFieldError([scope], general, null);
    try {
      const path = await api.followupRegisterSave(from.value.trim(), to.value.trim(), format, isUnmasked, reason);
      if (path) toast(t('complaint.fig.saved', { path }), 'ok');
      return true;
    } catch (e) {
      if (!isUnmasked) showFieldError([scope], general, e);
      return e;
    }
  }
  function unmasked() {
    unmaskedDialog('rt', t('followup.unmasked_note'), (format, reason) => save(format, true, reason));
  }

  function records(rate, part, extra, title) {
    api.followupRateRecords({ from: period.from, to: period.to, rate, part, ...extra }).then((list) => {
      let d;
      const tbl = table([
        { label: t('followup.col.date'), get: (r) => r.date, className: 'num' },
        { label: t('followup.patient'), get: (r) => r.patient },
        { label: t('followup.department'), get: (r) => r.department },
        { label: t('followup.col.state'), get: (r) => (r.state ? t(`followup.state.${r.state}`) : t('followup.not_listed')) },
      ], list, { onOpen: (r) => { if (r.followup_id) { d.close(); openCall(r.followup_id); } } });
      d = dialog(title, el('div.rt-records', {}, el('p.muted', { text: t('followup.records_count', { n: list.length }) }), tbl), [
        el('button.btn', { type: 'button', onclick: () => d.close() }, t('common.close'), ' ', el('kbd', { text: 'Esc' })),
      ]);
      d.node.classList.add('wide');
      d.node.querySelector('tr[tabindex]')?.focus();
    }, (e) => toast(e.message, 'error'));
  }
  const num = (n, rate, part, extra, title) => el('button.linkbtn.num', { type: 'button', dataset: { rate, part }, onclick: () => records(rate, part, extra, title) }, String(n));
  function tile(id, name, rate, r, definition) {
    return el(`div.fig-tile${r.met === false ? '.bad' : r.met ? '.ok' : ''}#${id}`, {},
      el('div.muted', { text: name }),
      el('div.money-big', { text: r.permille == null ? '—' : `${Math.floor(r.permille / 10)}.${r.permille % 10}%` }),
      el('div', {}, num(r.numerator, rate, 'numerator', {}, `${name} · ${t('followup.numerator')}`), ' / ', num(r.denominator, rate, 'denominator', {}, `${name} · ${t('followup.denominator')}`),
        ' · ', t('followup.target', { n: r.target / 10 })),
      el('div', { text: r.pending ? t('followup.pending') : r.met == null ? t('followup.no_data') : r.met ? t('complaint.fig.met') : t('complaint.fig.missed') }),
      el('p.faint.rt-def', { text: definition }));
  }
  function parts(rate, title, list, key) {
    const head = key === 'staff_id' ? t('followup.col.name_staff') : t('followup.col.name_department');
    return el('div.panel', {}, el('h3', { text: title }), table([
      { label: head, get: (p) => p.name },
      { label: t('followup.rate'), get: (p) => (p.rate.permille == null ? '—' : `${Math.floor(p.rate.permille / 10)}.${p.rate.permille % 10}%`), className: 'num' },
      { label: t('followup.numerator'), get: (p) => num(p.rate.numerator, rate, 'numerator', { [key]: p.id ?? null }, `${title} · ${p.name}`), className: 'num' },
      { label: t('followup.denominator'), get: (p) => num(p.rate.denominator, rate, 'denominator', { [key]: p.id ?? null }, `${title} · ${p.name}`), className: 'num' },
      { label: t('complaint.fig.met'), get: (p) => (p.rate.met == null ? '' : el(`span.pill${p.rate.met ? '.ok' : '.bad'}`, { text: p.rate.met ? t('complaint.fig.met') : t('complaint.fig.missed') })) },
    ], list));
  }
  function render(r) {
    const reach = el('div.panel#rt-reach', {}, el('h3', { text: t('followup.reach') }), el('p.faint', { text: t('followup.reach_def') }), table([
      { label: t('followup.attempt_n'), get: (a) => t('followup.attempt_nth', { n: a.n }) },
      { label: t('followup.tried'), get: (a) => String(a.tried), className: 'num' },
      { label: t('followup.reached'), get: (a) => String(a.reached), className: 'num' },
      { label: t('followup.rate'), get: (a) => (a.permille == null ? '—' : `${Math.floor(a.permille / 10)}.${a.permille % 10}%`), className: 'num' },
    ], r.reach));
    clear(out).append(
      el('div.rt-tiles', {},
        tile('rt-outpatient', t('followup.rate_outpatient'), 'outpatient', r.outpatient.overall, t('followup.def_outpatient')),
        tile('rt-inpatient', t('followup.rate_inpatient'), 'inpatient', r.inpatient.overall, t('followup.def_inpatient')),
        reach),
      el('div.fig-grid', {},
        parts('outpatient', t('followup.by_department_out'), r.outpatient.by_department, 'department_id'),
        parts('inpatient', t('followup.by_department_in'), r.inpatient.by_department, 'department_id'),
        parts('outpatient', t('followup.by_staff_out'), r.outpatient.by_staff, 'staff_id'),
        parts('inpatient', t('followup.by_staff_in'), r.inpatient.by_staff, 'staff_id')));
  }
  show();
}
