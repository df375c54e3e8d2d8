// 日结: closing the clerk's shift (PRODUCT.md section 2). Per payment method, what the ledger
// expects against what was counted — cash by denomination, the other methods from the
// terminals' settlement slips — and the difference; the receipt series (钱、账、物); the
// explanation and, above the hospital's threshold, a supervisor's sign-off in the same form; who
// in finance receives the cash. Rust works out every figure (`close_preview` again as the clerk
// types) and every rule; this file shows them, asks before the close (it cannot be undone),
// then opens the daily report. The history tab (F4) lists past closes — one's own, or, for
// supervisors, every cashier's — and opens the whole desk's report for any day.
import { api } from '../api.js';
import { t, yuan, when, denomination, listOf } from '../i18n.js';
import { el, clear, toast, confirmDialog, field, showFieldError, table, enterMovesOn } from '../ui.js';
import { staleBanner } from './stale.js';

// The close is worked out again on each keystroke of a count (a few milliseconds); the sequence
// number drops an answer overtaken by a newer one.
const PREVIEW_DELAY = 0;
// Refusals that concern the supervisor's sign-off: shown in the approval box.
const APPROVAL_CODES = ['bad_credentials', 'approver_not_supervisor', 'account_locked', 'account_inactive', 'close_approval_needed'];

const add = (node, ...kids) => { node.append(...kids.flat().filter((k) => k !== null && k !== undefined && k !== false)); return node; };
const kbd = (k) => el('kbd', { text: k });
const time = (ms) => (ms ? when(ms).slice(11, 16) : '');
const goTo = (area) => document.querySelector(`#nav a[data-area="${area}"]`)?.click();

function addDays(iso, n) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

function screenKeysBlocked() {
  return !!document.querySelector('.backdrop:not([hidden])') || !document.getElementById('lock-screen').hidden;
}

/** A difference as the desk reads it: red when short, amber when over; zero is plain. */
function diffNode(fen, id = null) {
  if (fen === null || fen === undefined) return el('span.faint', { id, text: '—' });
  const cls = fen < 0 ? '.money-short' : fen > 0 ? '.warn-text' : '';
  return el(`span.num.diff${cls}`, { id, text: yuan(fen) });
}

/** The day's report to this desk's A4 printer, or opened in the viewer when it has none. */
async function openReport(date) {
  try {
    const d = await api.dailyReportOpen(date);
    const file = d.path.split(/[\\/]/).pop();
    toast(d.printer ? t('cash.report.printed', { printer: d.printer }) : t('cash.report.opened', { file }), 'ok');
    return d.path;
  } catch (e) { toast(e.message, 'error'); return null; }
}

async function saveReport(date) {
  try {
    const path = await api.dailyReportSave(date);
    if (path) toast(t('cash.report.saved', { file: path }), 'ok');
  } catch (e) { toast(e.message, 'error'); }
}

export function mount(root, { status }) {
  let tab = 'close';
  const title = el('h1#cash-title', { text: t('cash.title') });
  const closeTab = el('button#cash-tab-close', { type: 'button', role: 'tab', onclick: () => show('close') }, t('cash.tab.close'));
  const historyTab = el('button#cash-tab-history', { type: 'button', role: 'tab', onclick: () => show('history') }, t('cash.tab.history'), ' ', kbd('F4'));
  const closeHost = el('div#cash-close');
  const historyHost = el('div#cash-history', { hidden: true });
  const node = el('div.cash#cash', {},
    el('div.cash-head', {}, title, el('div.tabs', { role: 'tablist' }, closeTab, historyTab)),
    closeHost, historyHost);
  root.append(node);

  const setTitle = (shift) => {
    title.textContent = shift
      ? t('cash.title.shift', { id: shift.id, name: shift.clerk_name, date: shift.business_date, at: time(shift.opened_at) })
      : t('cash.title');
  };
  const closer = closeScreen(closeHost, { denominations: status.denominations, setTitle, showHistory: () => show('history') });
  let history = null;

  function show(which) {
    tab = which;
    closeTab.classList.toggle('current', which === 'close');
    historyTab.classList.toggle('current', which === 'history');
    closeHost.hidden = which !== 'close';
    historyHost.hidden = which !== 'history';
    if (which === 'history') {
      if (!history) history = historyScreen(historyHost, status);
      else history.reload();
      history.focus();
    } else {
      closer.focus();
    }
  }
  show('close');

  const onKey = (e) => {
    if (!node.isConnected) { window.removeEventListener('keydown', onKey); return; }
    if (screenKeysBlocked()) return;
    if (e.key === 'F4') { e.preventDefault(); show(tab === 'history' ? 'close' : 'history'); }
    if (e.key === 'F9' && tab === 'close') { e.preventDefault(); closer.submit(); }
  };
  window.addEventListener('keydown', onKey);
}

// ---- 结班: the count and the close ------------------------------------------------------------

function closeScreen(host, { denominations, setTitle, showHistory }) {
  const st = { view: null, seq: 0, timer: null, p: null, ok: false, lastEdited: null, busy: false, done: false, unpaidShown: -1 };
  add(host, el('p.muted', { text: t('common.loading') }));

  // ---- the parts, made once ----
  // One box per note or coin, in the order Rust takes the counts (status.denominations).
  const counts = denominations.map((d, i) => el('input.count', {
    id: `close-d${i}`, inputmode: 'numeric', autocomplete: 'off', maxlength: 6, placeholder: '0', 'aria-label': denomination(d.fen),
  }));
  const slips = {};
  const rows = {};
  const tbody = el('tbody#close-lines');
  const previewError = el('div.form-error#close-preview-error', { hidden: true, role: 'alert' });
  const linesPanel = el('section.panel.close-lines#close-methods', {},
    el('table.grid.close-grid', {},
      el('thead', {}, el('tr', {},
        el('th', { text: t('close.col.method') }),
        el('th.money', { text: t('close.col.expected') }),
        el('th.money', { text: t('close.col.counted') }),
        el('th.money', { text: t('close.col.difference') }),
        el('th', { text: t('close.col.note') }))),
      tbody),
    previewError);

  const cashTotal = el('strong.money-mid.num#close-cash-total', { text: '—' });
  const countPanel = el('section.panel.close-count#close-count', {},
    el('h3', {}, t('close.count.title'), ' ', el('span.faint', { text: t('close.count.hint') })),
    el('div.count-grid', {}, counts.map((input, i) => el('div.rfield', { dataset: { field: `d${i}` } },
      el('label', { for: input.id, text: `${denomination(denominations[i].fen)} ×` }), input, el('div.field-error')))),
    el('div.rfield', { dataset: { field: 'cash_counts' } },
      el('div.count-sum', {}, el('span.muted', { text: t('close.count.total') }), cashTotal), el('div.field-error')));

  const receipts = el('div.receipts#close-receipts');
  const receiptPanel = el('section.panel.close-receipts', {}, el('h3', { text: t('close.receipts.title') }), receipts);

  const explanation = el('input#close-explanation', { autocomplete: 'off', maxlength: 500, placeholder: t('close.explanation.placeholder') });
  const explainHint = el('div.warn-text.explain-hint#close-explain-hint', { hidden: true, text: `⚠ ${t('close.explanation.needed')}` });
  const approverUser = el('input#close-approver-user', { autocomplete: 'off', maxlength: 32, spellcheck: 'false' });
  const approverPass = el('input#close-approver-pass', { type: 'password', maxlength: 128 });
  const approvalText = el('p.warn-text#close-approval-text');
  const approval = el('div.approval#close-approval', { hidden: true }, approvalText,
    el('div.two', {}, field('approver', t('reg.cancel.approver'), approverUser), field('approver_password', t('login.password'), approverPass)));
  const receivedBy = el('input#close-received-by', { autocomplete: 'off', maxlength: 30, placeholder: t('close.received_by.placeholder') });
  const floatEl = el('span.money-mid.num#close-float', { text: '—' });
  const handover = el('span.money-big.num#close-handover', { text: '—' });
  const unpaid = el('div.form-error#close-unpaid', { hidden: true, role: 'alert' });
  const error = el('div.form-error#close-error', { hidden: true, role: 'alert' });
  const submitBtn = el('button.btn.primary.big#close-submit', { type: 'button', onclick: () => submit() }, t('close.submit'), ' ', kbd('F9'));
  const formPanel = el('section.panel.close-form', {},
    field('explanation', t('close.explanation'), explanation, explainHint),
    approval,
    field('received_by', t('close.received_by'), receivedBy),
    el('div.handover', {},
      el('div.money-row', {}, el('span.money-label', { text: t('close.float') }), floatEl),
      el('div.money-row', {}, el('span.money-label', { text: t('close.handover') }), handover)),
    unpaid, error,
    submitBtn);
  const layout = el('div.close-layout', {},
    el('div.close-col', {}, linesPanel, countPanel),
    el('div.close-col', {}, receiptPanel, formPanel));

  // ---- what has been typed ----
  const touched = () => counts.some((i) => i.value.trim() !== '');
  function readInput(withApprover) {
    const cashCounts = [];
    for (const [i, input] of counts.entries()) {
      const v = input.value.trim();
      if (!/^\d*$/.test(v)) return { err: { field: `d${i}`, message: t('shift.count_whole') } };
      cashCounts.push(v === '' ? 0 : Number(v));
    }
    const counted = {};
    for (const [m, input] of Object.entries(slips)) {
      const v = input.value.trim();
      if (v) counted[m] = v;
    }
    const input = { cash_counts: cashCounts, counted, explanation: explanation.value.trim(), received_by: receivedBy.value.trim() };
    if (withApprover) Object.assign(input, { approver_username: approverUser.value.trim(), approver_password: approverPass.value });
    return { input };
  }
  /** Rust names one field, 'counted', for every slip: it is the one being typed, else the first typed. */
  function placeError(err) {
    if (err?.field !== 'counted') return err;
    const m = (st.lastEdited && slips[st.lastEdited]?.value.trim() ? st.lastEdited : null)
      || Object.keys(slips).find((k) => slips[k].value.trim());
    return m ? { ...err, field: `counted-${m}` } : err;
  }

  // ---- close_preview as the clerk types ----
  function schedulePreview(delay = PREVIEW_DELAY) {
    clearTimeout(st.timer);
    st.timer = setTimeout(runPreview, delay);
  }
  function runPreview() {
    clearTimeout(st.timer);
    st.timer = null;
    const seq = ++st.seq;
    const scopes = [linesPanel, countPanel];
    const { input, err } = readInput(false);
    if (err) {
      st.ok = false;
      showFieldError(scopes, previewError, err);
      st.p = Promise.resolve();
      return st.p;
    }
    st.p = api.closePreview(input).then((view) => {
      if (seq !== st.seq) return;
      st.ok = true;
      showFieldError(scopes, previewError, null);
      render(view);
    }, (e) => {
      if (seq !== st.seq) return;
      st.ok = false;
      if (e.code === 'no_open_shift') { renderNone(); return; }
      if (!st.view) { clear(host); add(host, el('div.form-error#close-preview-error', { role: 'alert', text: e.message })); return; }
      showFieldError(scopes, previewError, placeError(e));
    });
    return st.p;
  }
  async function flushPreview() {
    if (st.timer || st.seq === 0) await runPreview(); else await st.p;
    return st.ok && !st.done;
  }

  // ---- drawing ----
  function build(view) {
    clear(host);
    setTitle(view.shift);
    if (view.shift.stale) {
      const banner = staleBanner(view.shift, { onContinued: () => schedulePreview(0) });
      add(host, banner.node);
    }
    clear(tbody);
    for (const line of view.lines) {
      const isCash = line.method === 'cash';
      let counted;
      if (isCash) {
        counted = el('span.num#close-counted-cash');
      } else {
        const input = slips[line.method] || el('input.money-input.small.slip', {
          id: `close-counted-${line.method}`, inputmode: 'decimal', autocomplete: 'off', maxlength: 12, placeholder: '0.00',
          'aria-label': t('close.slip', { method: line.name }), dataset: { method: line.method },
        });
        slips[line.method] = input;
        counted = el('div.rfield.slip-field', { dataset: { field: `counted-${line.method}` } }, input, el('div.field-error'));
      }
      const diff = el('td.money');
      const note = el('td.note');
      const expected = el('td.money.num');
      const tr = el('tr', { dataset: { method: line.method } },
        el('td', {}, el('strong', { text: line.name }), isCash ? el('div.faint', { text: t('close.cash.float_included') }) : null),
        expected, el('td.money', {}, counted), diff, note);
      rows[line.method] = { tr, expected, counted: isCash ? counted : null, diff, note };
      add(tbody, tr);
    }
    add(host, layout);
  }

  function render(view) {
    const first = !st.view;
    const known = Object.keys(rows);
    if (first || view.lines.length !== known.length || view.lines.some((l) => !rows[l.method])) build(view);
    st.view = view;
    const counting = touched();
    for (const line of view.lines) {
      const r = rows[line.method];
      r.expected.textContent = yuan(line.expected_fen);
      r.tr.dataset.expected = String(line.expected_fen);
      r.tr.dataset.counted = line.counted_fen ?? '';
      r.tr.dataset.difference = line.difference_fen ?? '';
      if (r.counted) r.counted.textContent = counting ? yuan(line.counted_fen) : '—';
      const pending = line.method === 'cash' && !counting;
      const fen = pending ? null : line.difference_fen;
      clear(r.diff).append(diffNode(fen, `close-diff-${line.method}`));
      clear(r.note);
      if (pending) r.note.append(el('span.faint', { text: t('close.cash.pending') }));
      else if (fen !== null && fen !== undefined && fen !== 0) r.note.append(el('span.pill.warn', { text: `⚠ ${t('close.needs_explanation')}` }));
      r.tr.classList.toggle('short', !!fen && fen < 0);
    }
    cashTotal.textContent = yuan(view.cash_counted_fen);
    renderReceipts(view.receipts);
    // Until the drawer is counted its difference means nothing: Rust's flags count from then on.
    explainHint.hidden = !(counting && view.needs_explanation);
    approval.hidden = !(counting && view.needs_approval);
    approvalText.textContent = t('close.approval.text', { amount: yuan(view.approval_threshold_fen) });
    floatEl.textContent = yuan(view.shift.float_fen);
    handover.textContent = counting ? yuan(view.handover_fen) : '—';
    handover.classList.toggle('money-short', counting && view.handover_fen < 0);
    if (view.unpaid.length !== st.unpaidShown) {
      st.unpaidShown = view.unpaid.length;
      if (view.unpaid.length) showUnpaid(); else unpaid.hidden = true;
    }
    if (first) counts[0].focus();
  }

  function renderReceipts(r) {
    clear(receipts);
    if (!r.issued) { add(receipts, el('div.muted', { text: t('close.receipts.none') })); return; }
    add(receipts,
      el('div.receipt-range', {},
        el('span.num#close-receipt-first', { text: r.first }), ' – ', el('span.num#close-receipt-last', { text: r.last }),
        el('span.receipt-issued', { text: t('close.receipts.issued', { n: r.issued }) })),
      el('div.receipt-counts', {},
        el('span', { text: t('close.receipts.valid', { n: r.valid }) }), ' · ',
        el('span', { text: t('close.receipts.voided', { n: r.voided.length }) }), ' · ',
        el(`span${r.gaps.length ? '.money-short' : ''}#close-gap-count`, { text: t('close.receipts.gaps', { n: r.gaps.length }) }), ' · ',
        el('span', { text: t('close.receipts.reprints', { n: r.reprints }) })),
      r.voided.length ? el('ul.voided#close-voided', {}, r.voided.map((v) => el('li', {},
        el('span.num', { text: v.number }), ' ', el('span.muted', { text: v.reason || '—' })))) : null,
      r.gaps.length ? el('div.money-short#close-gaps', {}, el('strong', { text: t('close.receipts.gap_list') }), ' ', listOf(r.gaps)) : null);
  }

  function renderNone() {
    st.done = true;
    clear(host);
    setTitle(null);
    add(host, el('section.panel.close-none#close-none', {},
      el('h2', { text: t('close.none.title') }),
      el('p.muted', { text: t('close.none.text') }),
      el('div.toolbar', {},
        el('button.btn.primary#close-none-history', { type: 'button', onclick: showHistory }, t('cash.tab.history'), ' ', kbd('F4')),
        el('button.btn', { type: 'button', onclick: () => goTo('registration') }, t('close.none.open')))));
  }

  /** The close and the report it made: what was handed over, and the report to open again or keep. */
  function renderDone(view, path, input) {
    clear(host);
    setTitle(view.shift);
    const date = view.shift.business_date;
    add(host, el('section.panel.close-done#close-done', { dataset: { path: path || '', date } },
      el('h2.ok-text', { text: `✓ ${t('close.done.title', { id: view.shift.id })}` }),
      el('p.muted', { text: t('close.done.when', { date, from: time(view.shift.opened_at), to: time(view.shift.closed_at), name: view.shift.clerk_name }) }),
      table([
        { label: t('close.col.method'), get: (l) => l.name },
        { label: t('close.col.expected'), get: (l) => yuan(l.expected_fen), className: 'money' },
        { label: t('close.col.counted'), get: (l) => yuan(l.counted_fen), className: 'money' },
        { label: t('close.col.difference'), get: (l) => diffNode(l.difference_fen), className: 'money' },
      ], view.lines),
      el('div.done-money', {},
        el('span', {}, el('span.muted', { text: t('close.float') }), ' ', el('span.money-mid.num', { text: yuan(view.shift.float_fen) })),
        el('span', {}, el('span.muted', { text: t('close.handover') }), ' ', el('span.money-big.num#close-done-handover', { text: yuan(view.handover_fen) })),
        el('span', {}, el('span.muted', { text: t('close.received_by') }), ' ', el('strong', { text: input.received_by }))),
      input.explanation ? el('p', {}, el('span.muted', { text: `${t('close.explanation')}${t('common.colon')}` }), input.explanation) : null,
      el('div.toolbar', {},
        el('button.btn.primary#close-report-open', { type: 'button', onclick: () => openReport(date) }, t('cash.report.open')),
        el('button.btn#close-report-save', { type: 'button', onclick: () => saveReport(date) }, t('cash.report.save')),
        el('span.grow'),
        el('button.btn', { type: 'button', onclick: showHistory }, t('cash.tab.history'), ' ', kbd('F4'))),
      path ? el('div.faint.report-path#close-report-path', { text: path }) : null));
    host.querySelector('#close-report-open').focus();
  }

  /**
   * A registration not fully paid stops the close; Rust says so in its own words. Asked with an
   * empty count, close_shift refuses before it could write anything (the unpaid check comes
   * first, the missing count last), so this never closes the shift.
   */
  async function showUnpaid() {
    try {
      await api.closeShift({ cash_counts: [] });
    } catch (e) {
      unpaid.hidden = false;
      unpaid.textContent = e.message;
    }
  }

  // ---- 结班 (F9) ----
  async function submit() {
    if (st.busy || st.done || screenKeysBlocked()) return;
    st.busy = true;
    submitBtn.disabled = true;
    try {
      if (!await flushPreview()) return;
      const v = st.view;
      const scopes = [layout];
      showFieldError(scopes, error, null);
      if (v.unpaid.length) { await showUnpaid(); return; }
      // What Rust's figures say is still missing is asked for here, so that the confirmation
      // is the last step; Rust checks all of it again.
      const need = (fieldKey, message, input) => { showFieldError(scopes, error, { field: fieldKey, message }); input.focus(); };
      if (!touched()) { need('cash_counts', t('close.count.required'), counts[0]); return; }
      const missing = v.lines.find((l) => l.counted_fen === null || l.counted_fen === undefined);
      if (missing && slips[missing.method]) { need(`counted-${missing.method}`, t('close.slip.required', { method: missing.name }), slips[missing.method]); return; }
      if (v.needs_explanation && !explanation.value.trim()) { need('explanation', t('close.explanation.required'), explanation); return; }
      if (v.needs_approval && !approverUser.value.trim()) { need('approver', t('close.approval.required'), approverUser); return; }
      if (v.needs_approval && !approverPass.value) { need('approver_password', t('close.approval.password'), approverPass); return; }
      if (!receivedBy.value.trim()) { need('received_by', t('close.received_by.required'), receivedBy); return; }
      const { input } = readInput(true);
      const yes = await confirmDialog(
        t('close.confirm.title', { id: v.shift.id }),
        t('close.confirm.text', { cash: yuan(v.cash_counted_fen), float: yuan(v.shift.float_fen), handover: yuan(v.handover_fen), to: input.received_by }),
        t('close.confirm.button', { amount: yuan(v.handover_fen) }),
        false);
      if (!yes) { submitBtn.focus(); return; }
      let closed;
      try {
        closed = await api.closeShift(input);
      } catch (e) {
        approverPass.value = '';
        submitError(e);
        return;
      }
      st.done = true;
      clearTimeout(st.timer);
      const path = await openReport(closed.shift.business_date);
      renderDone(closed, path, input);
      window.dispatchEvent(new CustomEvent('frontdesk:refresh-status'));
    } finally {
      st.busy = false;
      submitBtn.disabled = false;
    }
  }

  function submitError(e) {
    const scopes = [layout];
    if (APPROVAL_CODES.includes(e.code)) {
      approval.hidden = false;
      showFieldError(scopes, error, { ...e, field: e.code === 'bad_credentials' && approverUser.value.trim() ? 'approver_password' : 'approver' });
      (approverUser.value.trim() ? approverPass : approverUser).focus();
      return;
    }
    if (e.code === 'unpaid_registrations') { unpaid.hidden = false; unpaid.textContent = e.message; return; }
    const f = showFieldError(scopes, error, placeError(e));
    f?.querySelector('input')?.focus();
  }

  // ---- keys: Enter moves on, and on the last box asks to close ----
  // The slips are made when Rust's first figures come (one per method); the supervisor's boxes
  // count only while a sign-off is needed.
  enterMovesOn(layout, () => [...counts, ...Object.values(slips), explanation, approverUser, approverPass, receivedBy], { onLast: submit, select: true });
  layout.addEventListener('input', (e) => {
    // What is being corrected loses its error line.
    const f = e.target.closest('.rfield.has-error');
    if (f && !counts.includes(e.target) && !e.target.classList.contains('slip')) { f.classList.remove('has-error'); f.querySelector('.field-error').textContent = ''; }
    if (counts.includes(e.target)) { st.lastEdited = 'cash'; schedulePreview(); }
    if (e.target.classList.contains('slip')) { st.lastEdited = e.target.dataset.method; schedulePreview(); }
  });

  runPreview();
  return {
    submit,
    focus: () => {
      if (st.done) { host.querySelector('#close-report-open, #close-none-history')?.focus(); return; }
      if (st.view) counts[0].focus();
    },
  };
}

// ---- 历史: past closes, and the desk's report for any day -------------------------------------

function historyScreen(host, status) {
  const today = status.business_date;
  const review = !!status.can.review_cash;
  let everyone = false;
  const from = el('input.date-input#history-from', { value: addDays(today, -30), maxlength: 10, autocomplete: 'off', spellcheck: 'false' });
  const to = el('input.date-input#history-to', { value: today, maxlength: 10, autocomplete: 'off', spellcheck: 'false' });
  const load = el('button.btn#history-load', { type: 'button', onclick: () => reload() }, t('cash.history.load'));
  const mine = el('button.btn.small.current#history-mine', { type: 'button', onclick: () => setEveryone(false) }, t('cash.history.mine'));
  const all = el('button.btn.small#history-all', { type: 'button', onclick: () => setEveryone(true) }, t('cash.history.all'));
  const error = el('div.form-error#history-error', { hidden: true, role: 'alert' });
  const list = el('div#history-list');
  const deskDate = el('input.date-input#desk-report-date', { value: today, maxlength: 10, autocomplete: 'off', spellcheck: 'false' });
  const deskRow = review ? el('div.panel.desk-report', {},
    el('strong', { text: t('cash.desk_report') }),
    el('label', { for: 'desk-report-date', text: t('cash.desk_report.date') }), deskDate,
    el('button.btn.primary#desk-report-open', { type: 'button', onclick: () => openReport(deskDate.value.trim()) }, t('cash.report.open')),
    el('button.btn#desk-report-save', { type: 'button', onclick: () => saveReport(deskDate.value.trim()) }, t('cash.report.save')),
    el('span.faint', { text: t('cash.desk_report.hint') })) : null;
  add(host,
    deskRow,
    el('div.toolbar.history-bar', {},
      el('label', { for: 'history-from', text: t('cash.history.from') }), from,
      el('label', { for: 'history-to', text: t('cash.history.to') }), to,
      load,
      el('span.grow'),
      review ? el('div.seg', { role: 'group' }, mine, all) : null),
    error, list);
  for (const input of [from, to]) input.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); reload(); } });
  deskDate.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); openReport(deskDate.value.trim()); } });

  function setEveryone(on) {
    everyone = on;
    mine.classList.toggle('current', !on);
    all.classList.toggle('current', on);
    reload();
  }

  async function reload() {
    error.hidden = true;
    let rows;
    try {
      rows = await api.closeHistory(everyone, from.value.trim(), to.value.trim());
    } catch (e) {
      error.hidden = false;
      error.textContent = e.message;
      return;
    }
    clear(list);
    if (!rows.length) { add(list, el('div.panel', {}, el('div.empty', { text: t('cash.history.none') }))); return; }
    if (!everyone) { add(list, el('div.panel', {}, closesTable(rows))); return; }
    // Everyone's closes, one cashier after another: each one's differences over time.
    const byClerk = new Map();
    for (const r of rows) {
      if (!byClerk.has(r.shift.clerk_id)) byClerk.set(r.shift.clerk_id, []);
      byClerk.get(r.shift.clerk_id).push(r);
    }
    for (const [, closes] of byClerk) {
      const withDiff = closes.filter((c) => c.lines.some((l) => l.difference_fen !== 0)).length;
      add(list, el('section.panel.history-clerk', { dataset: { clerk: closes[0].shift.clerk_name } },
        el('h3', {}, closes[0].shift.clerk_name, ' ', el('span.muted', { text: t('cash.history.clerk_summary', { n: closes.length, d: withDiff }) })),
        closesTable(closes)));
    }
  }

  function closesTable(rows) {
    return table([
      { label: t('cash.history.date'), get: (c) => c.shift.business_date, className: 'num' },
      { label: t('cash.history.shift'), get: (c) => el('span', {}, `#${c.shift.id} `, el('span.faint', { text: `${time(c.shift.opened_at)}–${time(c.shift.closed_at)}` })) },
      { label: t('cash.history.differences'), get: (c) => differences(c.lines) },
      { label: t('close.handover'), get: (c) => yuan(c.handover_fen), className: 'money num' },
      { label: t('close.explanation'), get: (c) => c.explanation || '' },
      { label: t('cash.history.signed'), get: (c) => [c.approved_by ? t('cash.history.approved', { name: c.approved_by }) : '', c.received_by ? t('cash.history.received', { name: c.received_by }) : ''].filter(Boolean).join(' · ') },
      { label: t('close.receipts.title'), get: (c) => receiptLine(c.receipts) },
      { label: '', get: (c) => el('button.btn.small.history-report', { type: 'button', onclick: () => openReport(c.shift.business_date) }, t('cash.history.report')) },
    ], rows, { rowClass: (c) => (c.lines.some((l) => l.difference_fen !== 0) ? 'has-diff' : '') });
  }

  function differences(lines) {
    const off = lines.filter((l) => l.difference_fen !== 0);
    if (!off.length) return el('span.ok-text', { text: `✓ ${t('cash.history.no_diff')}` });
    return el('div.diffs', {}, off.map((l) => el('div', {}, `${l.name} `, diffNode(l.difference_fen))));
  }

  function receiptLine(r) {
    if (!r.issued) return '—';
    return el('span', {}, el('span.num', { text: `${r.first} – ${r.last}` }), ' ', t('close.receipts.issued', { n: r.issued }),
      r.gaps.length ? el('span.money-short', { text: ` · ${t('close.receipts.gaps', { n: r.gaps.length })}` }) : null);
  }

  reload();
  return { reload, focus: () => (review ? deskDate : from).focus() };
}
