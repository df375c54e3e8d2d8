// The call screen: everything about the patient on the left (who, why this call, their visits,
// earlier calls, what the call before this one heard), the call on the right. Keys, no mouse:
// 1–5 choose the outcome (接通, 无人接听, 占线, 号码错误, 拒绝回访); when reached, each aspect takes
// 1 满意, 2 一般, 3 不满意 or 0 未问 and moves on; Enter goes through the words, the concern and
// its department, the next call; F9 (or Enter on the last field) saves the call and opens the
// next one due. A wrong number is corrected here (in the patient index, audited). A concern
// is answered here, and raised as a complaint (the intake form, prefilled, linked both ways).
// Rust decides what each outcome leads to; the page only sends what was chosen.
import { api } from '../../api.js';
import { t, when, paren } from '../../i18n.js';
import { el, clear, field, showFieldError, enterMovesOn, toast, table, confirmDialog } from '../../ui.js';
import { openIntake } from '../complaints/intake.js';

const OUTCOMES = ['reached', 'no_answer', 'busy', 'wrong_number', 'refused'];
const ASPECTS = ['registration', 'guide', 'doctor', 'nursing', 'environment', 'overall'];
const RATINGS = ['satisfied', 'neutral', 'dissatisfied'];

/** `ctx`: { status, choices (departments), back(), next(afterId) → opens the next due call }. */
export async function showCall(body, id, ctx) {
  let view;
  try {
    view = await api.followupView(id);
  } catch (e) {
    clear(body).append(el('div.form-error', { text: e.message }), el('button.btn', { type: 'button', onclick: ctx.back }, t('followup.back')));
    return;
  }
  render(body, view, ctx);
}

const kv = (k, v) => (v ? [el('span.k', { text: k }), el('span.v', { text: v })] : []);

function ratingText(r) { return r ? t(`followup.rating.${r}`) : ''; }

/** What a reached call heard, in a line or two. */
function answerLines(a) {
  if (!a) return [];
  const ratings = a.ratings.map(([aspect, r]) => el(`span.rating.${r}`, { text: `${t(`followup.aspect.${aspect}`)} ${ratingText(r)}` }));
  return [el('div.ratings', {}, ratings), a.words ? el('div.words', { text: `“${a.words}”` }) : null,
    a.next_on ? el('div.muted', { text: t('followup.next_planned', { date: a.next_on, note: a.next_note }) }) : null];
}

function render(body, view, ctx) {
  const f = view.followup;
  clear(body);
  const back = el('button.btn#call-back', { type: 'button', onclick: ctx.back }, '← ', t('followup.back'), ' ', el('kbd', { text: 'Esc' }));
  const statePill = el(`span.pill${f.state === 'reached' ? '.ok' : f.state === 'open' ? '' : '.warn'}#call-state`, { text: t(`followup.state.${f.state}`) });
  const head = el('div.case-head', {},
    back,
    el('h2', {}, t(`followup.kind.${f.kind}`), ' · ', el('span#call-patient', { text: f.patient })),
    statePill,
    f.overdue ? el('span.pill.bad', { text: t('followup.overdue') }) : null,
    el('span.muted.num', { text: t('followup.due_on', { date: f.due_date }) }),
    el('span.grow'),
    el('span.muted', { text: t('followup.attempts_made', { n: f.attempts, max: view.settings.max_attempts }) }),
    view.last_try ? el('span.pill.warn#call-last-try', { text: t('followup.last_try') }) : null);

  // ---- the patient, and why this call ----
  const src = view.source || {};
  const about = f.kind === 'discharge'
    ? t('followup.about.discharge', { admitted: src.admitted_on || '—', date: src.date || '', department: src.department || '', doctor: src.doctor || '', diagnosis: src.diagnosis || '' })
    : f.kind === 'first_visit'
      ? t('followup.about.first_visit', { date: src.date || '', department: src.department || '', doctor: src.doctor || '' })
      : t(`followup.about.${f.kind}`);
  const patient = el('div.panel.call-patient', {},
    el('div.kv.case-details', {},
      kv(t('followup.patient'), t('followup.patient_line', { name: f.patient, about: [view.sex === 'M' ? t('followup.male') : view.sex === 'F' ? t('followup.female') : '', view.age != null ? t('followup.age', { n: view.age }) : ''].filter(Boolean).join(t('common.list_sep')) })),
      kv(t('followup.card'), f.card_no),
      kv(t('followup.department'), f.department || '')),
    el('div.call-phone#call-phone', { text: f.phone || t('followup.no_phone') }),
    view.refused_calls ? el('p.form-error', { text: t('followup.patient_refused') }) : null,
    el('p.call-about', { text: about }));
  if (view.parent) {
    const p = view.parent;
    patient.append(el('div.call-parent#call-parent', {},
      el('h3', { text: t('followup.parent', { kind: t(`followup.kind.${p.followup.kind}`), date: p.answer ? when(p.answer.at).slice(0, 10) : p.followup.due_date }) }),
      answerLines(p.answer),
      p.concerns.map((c) => el('div.concern-line', {}, t('followup.concern_line', { what: c.what, department: c.department || '' }),
        c.answer ? el('div.muted', { text: t('followup.concern_answered', { answer: c.answer }) }) : el('div.warn-text', { text: t('followup.concern_waiting') })))));
  }
  const visits = el('div.panel', {}, el('h3', { text: t('followup.visits') }), table([
    { label: t('followup.col.date'), get: (v) => v.date, className: 'num' },
    { label: t('followup.col.department'), get: (v) => v.department },
    { label: t('followup.col.doctor'), get: (v) => v.doctor },
    { label: t('followup.col.visit_kind'), get: (v) => t(`followup.visit.${v.visit_kind}`) },
  ], view.visits));
  const earlier = el('div.panel', {}, el('h3', { text: t('followup.other_calls') }), table([
    { label: t('followup.col.due'), get: (o) => o.due_date, className: 'num' },
    { label: t('followup.col.kind'), get: (o) => t(`followup.kind.${o.kind}`) },
    { label: t('followup.col.state'), get: (o) => t(`followup.state.${o.state}`) },
    { label: t('followup.aspect.overall'), get: (o) => ratingText(o.overall) },
    { label: t('followup.words'), get: (o) => o.words || '' },
  ], view.other_calls, { onOpen: (o) => ctx.open(o.id) }));
  const attempts = el('div.panel#call-attempts', {}, el('h3', { text: t('followup.attempts') }), table([
    { label: '#', get: (a) => String(a.n), className: 'num' },
    { label: t('followup.col.at'), get: (a) => when(a.at).slice(0, 16), className: 'num' },
    { label: t('followup.col.outcome'), get: (a) => t(`followup.outcome.${a.outcome}`) },
    { label: t('followup.col.phone'), get: (a) => a.phone || '', className: 'num' },
    { label: t('followup.col.by'), get: (a) => a.by },
    { label: t('followup.note'), get: (a) => a.note },
  ], view.attempts));

  // ---- the call ----
  const work = el('div.panel.call-work#call-work');
  let typed = () => false;
  let escape = null;
  if (f.state === 'open' && !view.refused_calls) ({ typed, escape } = callForm(work, view, ctx));
  else if (f.state === 'fix_number') typed = fixForm(work, view, ctx);
  else work.append(el('p.muted', { text: t('followup.closed_note', { state: t(`followup.state.${f.state}`) }) }), ...answerLines(view.answer).filter(Boolean));
  concernsPanel(work, view, ctx);
  if (view.spot_checks.length) {
    work.append(el('div.call-spot#call-spot', {}, el('h3', { text: t('followup.spot_checks') }),
      view.spot_checks.map((s) => el('div', { text: s.result ? `${t(`followup.spot.${s.result}`)}${s.note ? `: ${s.note}` : ''}${paren(`${s.by || ''} ${s.at ? when(s.at).slice(0, 10) : ''}`)}` : t('followup.spot.pending') }))));
  }

  body.append(el('div.call#call', { dataset: { id: String(f.id), state: f.state, kind: f.kind } }, head,
    el('div.case-cols', {}, el('div', {}, patient, visits, earlier, attempts), work)));
  body.querySelector('.call').addEventListener('keydown', async (e) => {
    if (e.key === 'Escape' && !e.defaultPrevented) {
      e.preventDefault();
      // Esc takes back one thing at a time: the outcome chosen, then the call itself — and what
      // was typed is never dropped without asking.
      if (escape?.()) return;
      if (!typed() || await confirmDialog(t('followup.back'), t('followup.leave_unsaved'), t('followup.leave_unsaved_go'))) ctx.back();
    }
    if (e.key === 'F9') { e.preventDefault(); work.dispatchEvent(new CustomEvent('call-f9')); }
  });
  if (!body.querySelector('.call-work [data-autofocus]')) back.focus();
}

/** The call being made: outcome keys, then what the patient said. Returns whether anything is typed. */
function callForm(panel, view, ctx) {
  const f = view.followup;
  const general = el('div.form-error', { hidden: true });
  let outcome = null;
  const outcomeBtns = OUTCOMES.map((o, i) => el('button.btn.outcome', { type: 'button', dataset: { outcome: o }, onclick: () => choose(o) }, el('kbd', { text: String(i + 1) }), ' ', t(`followup.outcome.${o}`)));
  const outcomeBar = el('div.outcomes#call-outcomes', { tabindex: '0', 'data-autofocus': '' }, outcomeBtns);
  // Each aspect a row of keys; the row is what has focus.
  const ratings = {};
  const rows = ASPECTS.map((a) => {
    const keys = RATINGS.map((r, i) => el('button.btn.small.rate', { type: 'button', tabindex: '-1', dataset: { rating: r }, onclick: () => { setRating(a, r); row.focus(); } }, el('kbd', { text: String(i + 1) }), ' ', t(`followup.rating.${r}`)));
    const none = el('button.btn.small.rate', { type: 'button', tabindex: '-1', dataset: { rating: '' }, onclick: () => { setRating(a, ''); row.focus(); } }, el('kbd', { text: '0' }), ' ', t('followup.rating.not_asked'));
    const row = el(`div.rate-row#rate-${a}`, { tabindex: '0', dataset: { aspect: a } }, keys, none);
    row.addEventListener('keydown', (e) => {
      const i = ['1', '2', '3'].indexOf(e.key);
      if (i >= 0 || e.key === '0') {
        e.preventDefault();
        e.stopPropagation();
        setRating(a, i >= 0 ? RATINGS[i] : '');
        const next = order()[order().indexOf(row) + 1];
        next?.focus();
      }
    });
    return row;
  });
  const setRating = (a, r) => {
    ratings[a] = r;
    document.querySelectorAll(`#rate-${a} .rate`).forEach((b) => b.classList.toggle('current', b.dataset.rating === r));
  };
  const words = el('textarea#call-words', { rows: 2, maxlength: 1000 });
  const concern = el('input#call-concern', { maxlength: 500, autocomplete: 'off', placeholder: t('followup.concern_placeholder') });
  const dept = el('select#call-concern-dept', {}, el('option', { value: '', text: t('followup.none_chosen') }), ctx.choices.departments.map((d) => el('option', { value: String(d.id), text: d.name })));
  const nextOn = el('input.date-input#call-next-on', { maxlength: 10, autocomplete: 'off', placeholder: 'YYYY-MM-DD' });
  const nextNote = el('input#call-next-note', { maxlength: 200, autocomplete: 'off' });
  const note = el('input#call-note', { maxlength: 500, autocomplete: 'off' });
  const answer = el('div.call-answer#call-answer', { hidden: true },
    el('div.rate-grid', {}, ASPECTS.map((a, i) => field(`rating_${a}`, t(`followup.aspect.${a}`), rows[i]))),
    field('words', t('followup.words'), words),
    el('div.two', {}, field('concern', t('followup.concern'), concern), field('concern_department_id', t('followup.concern_department'), dept)),
    el('div.two', {}, field('next_on', t('followup.next_on'), nextOn), field('next_note', t('followup.next_note'), nextNote)));
  const noteField = field('note', t('followup.note'), note);
  noteField.hidden = true;
  const saveNext = el('button.btn.primary#call-save-next', { type: 'button', disabled: true, onclick: () => save(true) }, t('followup.save_next'), ' ', el('kbd', { text: 'F9' }));
  const saveOnly = el('button.btn#call-save', { type: 'button', disabled: true, onclick: () => save(false) }, t('followup.save'));
  // A concern raised as a complaint before the call is saved: F8 saves it and opens the intake.
  const saveRaise = el('button.btn#call-save-raise', { type: 'button', hidden: true, onclick: () => saveAndRaise() }, t('followup.save_raise'), ' ', el('kbd', { text: 'F8' }));
  // Said again beside the outcomes while one is chosen; gone once the patient is reached.
  const lastTryNote = view.last_try ? el('p.warn-text#call-last-try-note', { text: t('followup.last_try') }) : null;
  panel.append(el('h3', { text: t('followup.script_title') }), el('p.call-script#call-script', { text: t(`followup.script.${f.kind}`, { patient: f.patient, hospital: ctx.status.hospital, department: f.department || '' }) }),
    lastTryNote,
    field('outcome', t('followup.outcome'), outcomeBar), answer, noteField, general, el('div.actions', {}, saveRaise, saveOnly, saveNext));

  const order = () => (outcome === 'reached' ? [...rows, words, concern, dept, nextOn, nextNote, note] : [note]);
  enterMovesOn(panel, order, { onLast: () => save(true) });
  function choose(o) {
    outcome = o;
    outcomeBtns.forEach((b) => b.classList.toggle('current', b.dataset.outcome === o));
    answer.hidden = o !== 'reached';
    if (lastTryNote) lastTryNote.hidden = o === 'reached';
    noteField.hidden = o == null;
    saveNext.disabled = o == null;
    saveOnly.disabled = o == null;
    saveRaise.hidden = o !== 'reached';
    if (o) (o === 'reached' ? rows[0] : note).focus();
  }
  panel.addEventListener('keydown', (e) => {
    if (e.key === 'F8') { e.preventDefault(); if (outcome === 'reached') saveAndRaise(); }
  });
  outcomeBar.addEventListener('keydown', (e) => {
    const i = ['1', '2', '3', '4', '5'].indexOf(e.key);
    if (i >= 0) { e.preventDefault(); choose(OUTCOMES[i]); }
  });
  // F9 from anywhere on the call screen (the left column, 返回, the attempts): the screen asks.
  panel.addEventListener('call-f9', () => { if (outcome) save(true); else outcomeBar.focus(); });

  // Saved, then the concern just recorded opens in the intake, prefilled and linked.
  async function saveAndRaise() {
    if (!concern.value.trim() || !dept.value) {
      showFieldError([panel], general, { field: concern.value.trim() ? 'concern_department_id' : 'concern', message: t('followup.raise_needs_concern') });
      (concern.value.trim() ? dept : concern).focus();
      return;
    }
    const what = concern.value.trim();
    if (!(await save(false, { stay: true }))) return;
    let fresh;
    try { fresh = await api.followupView(f.id); } catch (e) { toast(e.message, 'error'); ctx.open(f.id); return; }
    const c = fresh.concerns.slice().reverse().find((x) => x.what === what && !x.complaint_id);
    const recorded = c ? await openIntake({
      kind: 'complaint', channel: 'followup', description: c.what, department_id: c.department_id,
      patient: { id: f.patient_id, name: f.patient, card_no: f.card_no, phone_masked: f.phone || '' },
      from_concern: c.id,
    }) : null;
    void recorded;
    ctx.open(f.id);
  }

  let busy = false;
  async function save(andNext, { stay = false } = {}) {
    if (busy || !outcome) return false;
    busy = true;
    showFieldError([panel], general, null);
    const input = { followup_id: f.id, outcome, note: note.value, answer: null };
    if (outcome === 'reached') {
      input.answer = {
        ...Object.fromEntries(ASPECTS.map((a) => [a, ratings[a] || ''])),
        words: words.value,
        concern: concern.value,
        concern_department_id: dept.value ? Number(dept.value) : null,
        next_on: nextOn.value,
        next_note: nextNote.value,
      };
    }
    try {
      const state = await api.followupAttempt(input);
      toast(t('followup.saved', { patient: f.patient, state: t(`followup.state.${state}`) }), 'ok');
      window.dispatchEvent(new CustomEvent('frontdesk:refresh-status'));
      if (andNext) ctx.next(f.id); else if (!stay) ctx.open(f.id);
      return true;
    } catch (err) {
      const box = showFieldError([panel], general, err);
      (box?.querySelector('.rate-row, input, select, textarea') || outcomeBar).focus();
      return false;
    } finally {
      busy = false;
    }
  }
  setTimeout(() => outcomeBar.focus(), 0);
  return {
    typed: () => outcome !== null || words.value !== '' || note.value !== '' || concern.value !== '',
    // Esc with an outcome chosen takes it back (what was typed stays), and says so.
    escape: () => {
      if (outcome == null) return false;
      choose(null);
      showFieldError([panel], general, null);
      outcomeBar.focus();
      toast(t('followup.outcome_undone'));
      return true;
    },
  };
}

/** 号码待更正: the right number, put in the patient index (audited); the call goes back on the list. */
function fixForm(panel, view, ctx) {
  const f = view.followup;
  const phone = el('input#call-fix-phone', { maxlength: 20, autocomplete: 'off', 'data-autofocus': '' });
  const general = el('div.form-error', { hidden: true });
  const go = async () => {
    showFieldError([panel], general, null);
    try {
      await api.followupFixNumber(f.id, phone.value);
      toast(t('followup.number_fixed', { patient: f.patient }), 'ok');
      window.dispatchEvent(new CustomEvent('frontdesk:refresh-status'));
      ctx.open(f.id);
    } catch (err) {
      showFieldError([panel], general, err);
      phone.focus();
    }
  };
  panel.append(el('h3', { text: t('followup.fix_title') }), el('p.muted', { text: t('followup.fix_hint') }),
    field('phone', t('followup.new_phone'), phone), general,
    el('div.actions', {}, el('button.btn.primary#call-fix', { type: 'button', onclick: go }, t('followup.fix'), ' ', el('kbd', { text: 'Enter' }))));
  enterMovesOn(panel, [phone], { onLast: go });
  setTimeout(() => phone.focus(), 0);
  return () => phone.value !== '';
}

/** The concerns of this call: the department's answer, and 转为投诉. */
function concernsPanel(panel, view, ctx) {
  if (!view.concerns.length) return;
  const box = el('div.call-concerns#call-concerns', {}, el('h3', { text: t('followup.concerns') }));
  for (const c of view.concerns) {
    const line = el('div.concern', { dataset: { id: String(c.id) } },
      el('div', {}, el('strong', { text: c.what }), ' ', el('span.muted', { text: t('followup.referred_to', { department: c.department || '' }) })));
    if (c.answer) {
      line.append(el('div', { text: t('followup.concern_answered', { answer: c.answer }) }), el('div.faint', { text: `${c.answered_by || ''} ${when(c.answered_at).slice(0, 16)}` }));
    } else {
      const answer = el('input.concern-answer', { id: `concern-answer-${c.id}`, maxlength: 1000, autocomplete: 'off', placeholder: t('followup.concern_answer_placeholder') });
      const err = el('div.form-error', { hidden: true });
      const go = async () => {
        try {
          await api.followupConcernAnswer(c.id, answer.value);
          toast(t('followup.concern_answer_saved'), 'ok');
          window.dispatchEvent(new CustomEvent('frontdesk:refresh-status'));
          ctx.open(view.followup.id);
        } catch (e) { err.hidden = false; err.textContent = e.message; answer.focus(); }
      };
      answer.addEventListener('keydown', (e) => { if (e.key === 'Enter' && !e.isComposing) { e.preventDefault(); go(); } });
      line.append(el('div.toolbar', {}, answer, el('button.btn.small', { type: 'button', onclick: go }, t('followup.concern_answer'))), err);
    }
    if (c.complaint_number) {
      line.append(el('div', {}, t('followup.raised_as'), ' ', el('button.linkbtn.concern-complaint', { type: 'button', onclick: () => window.dispatchEvent(new CustomEvent('frontdesk:open-complaint', { detail: c.complaint_id })) }, c.complaint_number)));
    } else {
      line.append(el('button.btn.small.raise-complaint', { type: 'button', onclick: async () => {
        const f = view.followup;
        const recorded = await openIntake({
          kind: 'complaint', channel: 'followup', description: c.what, department_id: c.department_id,
          patient: { id: f.patient_id, name: f.patient, card_no: f.card_no, phone_masked: f.phone || '' },
          from_concern: c.id,
        });
        if (recorded) ctx.open(f.id);
      } }, t('followup.raise_complaint')));
    }
    box.append(line);
  }
  panel.append(box);
}
