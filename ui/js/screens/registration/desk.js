// The 挂号 desk, once a shift is open: the search box (F2) and its hits, the patient, triage by the
// chief complaint (suggested departments, the doctors on duty with their queues, the proposal
// Rust makes), the quote, payment with Rust's change, F9 to register and print, and the strip
// below — the shift's figures, waiting alerts, 预约未到, today's registrations (F4) with 退号 (F7)
// and 换号 (F8) on a row. The dialogs live in modules of their own (see ../registration.js);
// this file opens them with what they need and is called back when they are done.
import { api } from '../../api.js';
import { t, yuan, when, shipped } from '../../i18n.js';
import { el, clear, toast, field, showFieldError as showError, enterMovesOn, newest } from '../../ui.js';
import { staleBanner } from '../stale.js';
import { add, toggle, kbd, sexLabel, sessionLabel, visitLabel, time, screenKeysBlocked } from './shared.js';
import { newPatientDialog } from './patient.js';
import { cancelDialog } from './cancel.js';
import { changeDialog } from './change.js';
import { bookDialog } from './book.js';
import { appointmentList } from './appointments.js';

// Values stored with the registration are the hospital's own words (Chinese); the label shown
// follows the page's language.
const REFERRALS = [['老患者介绍', 'old'], ['网络', 'web'], ['电视广告', 'tv'], ['户外广告', 'outdoor'], ['朋友推荐', 'friend'], ['市场部', 'marketing'], ['其他', 'other']];

// Every as-you-type list asks Rust at once, on each keystroke (the answers take well under a
// millisecond), and shows only the newest answer: see `newest` in ui.js.

/** Builds the desk in `host` for the open shift `firstShift`. */
export function desk(host, status, firstShift) {
  let session = status.day_session;
  const ask = {
    search: newest(api.patientSearch), suggest: newest(api.triageSuggest),
    quote: newest(api.registrationQuote), preview: newest(api.paymentPreview),
  };
  const st = {
    ref: { departments: [], types: [], methods: [], doctors: [] },
    duty: [],
    shift: firstShift,
    hits: [], active: -1, searched: '', searchP: null,
    patient: null,
    dept: null, doctor: null,
    suggestions: [], suggested: '', suggestP: null,
    quote: null, quoteError: null, quoteP: null,
    method: 'cash',
    preview: null,
    busy: false,
    todayOpen: false, today: [],
    banner: null,
    businessDate: status.business_date,
  };

  // ---- skeleton ----
  const search = el('input#reg-search.search-input', {
    type: 'search', autocomplete: 'off', spellcheck: 'false', maxlength: 40, placeholder: t('reg.search.placeholder'), 'aria-label': t('reg.search.label'),
    role: 'combobox', 'aria-controls': 'reg-results', 'aria-expanded': 'false',
  });
  const results = el('div#reg-results.results', { role: 'listbox', hidden: true });
  const newBtn = el('button.btn#reg-new', { type: 'button', onclick: () => newPatient() }, t('reg.new_patient'), ' ', kbd('F3'));
  const bookBtn = el('button.btn#reg-book', { type: 'button', onclick: () => openBooking() }, t('appt.book_button'), ' ', kbd('F10'));
  const top = el('div.reg-top', {}, el('div.search-wrap', {}, el('span.search-icon', { 'aria-hidden': 'true', text: '⌕' }), search, kbd('F2'), results), newBtn, bookBtn);

  // patient panel
  const ptBody = el('div.pt-body#reg-patient-body');
  const referral = el('select#reg-referral', {}, el('option', { value: '', text: t('reg.referral.none') }), REFERRALS.map(([v, k]) => el('option', { value: v, text: t(`reg.referral.${k}`) })));
  const promo = el('input#reg-promo', { autocomplete: 'off', maxlength: 30, spellcheck: 'false' });
  const marketer = el('input#reg-marketer', { autocomplete: 'off', maxlength: 30 });
  const ptPanel = el('section.panel.reg-panel#reg-patient', {},
    el('h3', { text: t('reg.panel.patient') }), ptBody,
    el('div.reg-fields', {},
      field('referral_source', t('reg.referral'), referral),
      field('promotion_code', t('reg.promo'), promo),
      field('marketer', t('reg.marketer'), marketer)));

  // triage panel
  const complaint = el('input#reg-complaint', { autocomplete: 'off', maxlength: 200, placeholder: t('reg.complaint.placeholder') });
  const suggest = el('div.chips#reg-suggest', { role: 'group', 'aria-label': t('reg.suggest') });
  const deptSel = el('select#reg-dept');
  const typeSel = el('select#reg-type');
  const doctors = el('div.docs#reg-doctors', { role: 'group', 'aria-label': t('reg.doctors') });
  const appt = el('input#reg-appt', { autocomplete: 'off', maxlength: 20, spellcheck: 'false', placeholder: t('reg.appt.placeholder') });
  const docsHint = el('span.faint#reg-session', { text: t('reg.doctors.hint', { session: sessionLabel(session) }) });
  const quoteError = el('div.form-error#reg-quote-error', { hidden: true, role: 'alert' });
  const triagePanel = el('section.panel.reg-panel#reg-triage', {},
    el('h3', { text: t('reg.panel.triage') }),
    field('chief_complaint', t('reg.complaint'), complaint),
    el('div.suggest-row', {}, el('span.muted', { text: t('reg.suggest') }), suggest),
    el('div.two', {}, field('department_id', t('reg.dept'), deptSel), field('registration_type_id', t('reg.type'), typeSel)),
    el('div.docs-head', {}, el('span', { text: t('reg.doctors') }), docsHint),
    el('div.rfield', { dataset: { field: 'doctor_id' } }, doctors, el('div.field-error')),
    field('appointment_no', t('reg.appt'), appt),
    quoteError);

  // payment panel
  const due = el('div.money-big#reg-due', { text: '—' });
  const dueNote = el('div.due-note.muted#reg-due-note');
  const methodSel = el('select#reg-method');
  const tendered = el('input#reg-tendered.money-input', { inputmode: 'decimal', autocomplete: 'off', maxlength: 12, placeholder: '0.00' });
  const change = el('div.money-big#reg-change', { text: '—' });
  const cashBox = el('div.cash-box', {},
    field('tendered', t('reg.tendered'), tendered),
    el('div.money-row', {}, el('span.money-label', { text: t('reg.change') }), change));
  const mixBox = el('div.mix-box#reg-mix', { hidden: true });
  const mixInputs = {};
  const mixTendered = el('input#reg-mix-tendered.money-input.small', { inputmode: 'decimal', autocomplete: 'off', maxlength: 12, placeholder: '0.00' });
  const mixChange = el('div.money-big#reg-mix-change', { text: '—' });
  const otherNote = el('div.muted.other-note#reg-other-note', { hidden: true });
  const payError = el('div.form-error#reg-pay-error', { hidden: true, role: 'alert' });
  const submitBtn = el('button.btn.primary.big#reg-submit', { type: 'button', onclick: () => submit() }, t('reg.submit'), ' ', kbd('F9'));
  const payPanel = el('section.panel.reg-panel#reg-pay', {},
    el('h3', { text: t('reg.panel.payment') }),
    el('div.money-row', {}, el('span.money-label', { text: t('reg.due') }), due), dueNote,
    el('div.rfield.method-row', { dataset: { field: 'method' } }, el('label', { for: 'reg-method', text: t('reg.method') }), el('div.with-kbd', {}, methodSel, kbd('F6')), el('div.field-error')),
    cashBox, mixBox, otherNote, payError,
    el('div.submit-row', {}, submitBtn));

  // bottom strip, today's list, supervisor's figures
  const shiftInfo = el('span#reg-shift');
  const alerts = el('span#reg-alerts');
  const noShows = el('button.linkbtn#reg-noshows', { type: 'button', hidden: true, onclick: () => openAppointments('missed') });
  const apptsBtn = el('button.btn.small#reg-appts', { type: 'button', onclick: () => openAppointments('today') }, t('appt.list.today'));
  const todayBtn = el('button.btn.small#reg-today-toggle', { type: 'button', onclick: () => toggleToday() }, t('reg.today'), ' ', kbd('F4'));
  const last = el('span.last#reg-last', { hidden: true });
  const strip = el('div.strip#reg-strip', {}, shiftInfo, alerts, noShows, el('span.grow'), last, apptsBtn, todayBtn);
  const today = el('section.panel#reg-today', { hidden: true });
  const stats = el('section.panel#reg-stats', { hidden: true });

  const node = el('div.reg#reg', {}, top, el('div.reg-panels', {}, ptPanel, triagePanel, payPanel), strip, today, stats);
  add(host, node);

  // ---- reference data ----
  Promise.all([
    api.referenceList('department'), api.referenceList('registration_type'), api.referenceList('payment_method'),
    api.referenceList('doctor'), api.dutyToday(null),
  ]).then(([departments, types, methods, doctorList, duty]) => {
    st.ref.departments = departments.filter((d) => d.active);
    st.ref.types = types.filter((x) => x.active);
    st.ref.methods = methods.filter((m) => m.active);
    st.ref.doctors = doctorList.filter((d) => d.active);
    st.duty = duty;
    add(deptSel, el('option', { value: '', text: t('reg.dept.auto') }), ...st.ref.departments.map((d) => el('option', { value: String(d.id), text: d.name })));
    add(typeSel, ...st.ref.types.map((x) => el('option', { value: String(x.id), text: `${x.name} ${yuan(x.fee_fen)}` })));
    add(methodSel, ...st.ref.methods.map((m) => el('option', { value: m.code, text: m.name })), el('option', { value: 'mixed', text: t('reg.method.mixed') }));
    st.method = st.ref.methods.some((m) => m.code === 'cash') ? 'cash' : (st.ref.methods[0]?.code || 'mixed');
    buildMix();
    if (st.patient) {
      // Someone was already found while the lists loaded: keep them, and quote with the defaults.
      typeSel.value = typeSel.options[0]?.value || '';
      setMethod(st.method);
      setPatientInputs(true);
      runQuote();
    } else {
      resetAll({ keepFocus: node.contains(document.activeElement) });
    }
  }).catch((e) => toast(e.message, 'error'));
  refreshShift(firstShift);
  refreshAlerts();
  if (status.can.doctor_stats) api.doctorStats().then(renderStats).catch(() => { stats.hidden = true; });
  search.focus();

  // ---- search ----
  function runSearch() {
    const q = search.value.trim();
    st.searched = q;
    if (!q) { ask.search.drop(); st.hits = []; st.active = -1; renderResults(); st.searchP = Promise.resolve(); return st.searchP; }
    st.searchP = ask.search(q).then(({ current, value: hits }) => {
      if (!current) return;
      st.hits = hits;
      // A card number typed in full is that patient: Enter takes them even among other hits.
      st.active = hits.length === 1 ? 0 : hits.findIndex((h) => h.card_no === q);
      renderResults();
    }).catch((e) => {
      st.hits = [];
      renderResults(e.message);
    });
    return st.searchP;
  }
  function flushSearch() {
    if (search.value.trim() !== st.searched) return runSearch();
    return st.searchP || Promise.resolve();
  }
  // The list's rows are made once and filled again on every keystroke (hidden when not
  // needed): making twenty rows of elements anew each time cost more than the search itself.
  const noteTop = el('div.hit-note', { hidden: true });
  const noteChoose = el('div.hit-note.faint', { hidden: true });
  const hitRows = [];
  add(results, noteTop, noteChoose);
  function hitRow(i) {
    if (!hitRows[i]) {
      const cells = [el('strong.hit-name'), el('span'), el('span.num'), el('span.num'), el('span.num'), el('span.num.muted'), el('span.muted.hit-last')];
      const row = el('div.hit', {
        role: 'option', id: `reg-hit-${i}`,
        onmousedown: (e) => { e.preventDefault(); if (st.hits[i]) selectPatient(st.hits[i]); },
      }, cells);
      results.insertBefore(row, noteChoose);
      hitRows[i] = { row, cells };
    }
    return hitRows[i];
  }
  function renderResults(message) {
    const q = search.value.trim();
    if (!q) { results.hidden = true; search.setAttribute('aria-expanded', 'false'); return; }
    const none = !message && !st.hits.length && st.searched === q;
    noteTop.hidden = !message && !none;
    toggle(noteTop, 'bad', !!message);
    if (message) noteTop.textContent = message;
    else if (none) noteTop.replaceChildren(t('reg.search.none'), ' ', kbd('F3'));
    st.hits.forEach((h, i) => {
      const { row, cells } = hitRow(i);
      const texts = [
        h.name, sexLabel(h.sex), h.age != null ? t('reg.age', { n: h.age }) : '', t('reg.card_no', { no: h.card_no }),
        h.phone_masked || '', h.id_number_masked || '',
        h.last_visit_at ? t('reg.last_visit', { date: when(h.last_visit_at).slice(0, 10), dept: h.last_department || '' }) : t('reg.never_visited'),
      ];
      texts.forEach((text, j) => { if (cells[j].textContent !== text) cells[j].textContent = text; });
      row.dataset.id = h.id;
      row.hidden = false;
      toggle(row, 'active', i === st.active);
      row.setAttribute('aria-selected', String(i === st.active));
    });
    for (let i = st.hits.length; i < hitRows.length; i++) hitRows[i].row.hidden = true;
    noteChoose.hidden = st.hits.length <= 1;
    if (!noteChoose.hidden) noteChoose.textContent = t('reg.search.choose');
    results.hidden = false;
    search.setAttribute('aria-expanded', 'true');
    if (st.active >= 0) search.setAttribute('aria-activedescendant', `reg-hit-${st.active}`); else search.removeAttribute('aria-activedescendant');
  }
  search.addEventListener('input', runSearch);
  search.addEventListener('keydown', async (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      await flushSearch();
      if (!st.hits.length) return;
      const step = e.key === 'ArrowDown' ? 1 : -1;
      st.active = st.active < 0 ? (step > 0 ? 0 : st.hits.length - 1) : (st.active + step + st.hits.length) % st.hits.length;
      renderResults();
      results.querySelector('.hit.active')?.scrollIntoView({ block: 'nearest' });
    } else if (e.key === 'Enter') {
      e.preventDefault();
      await flushSearch();
      if (st.active >= 0 && st.hits[st.active]) selectPatient(st.hits[st.active]);
      else if (st.hits.length > 1) { st.active = 0; renderResults(); }
    } else if (e.key === 'Escape') {
      e.preventDefault();
      if (search.value) { search.value = ''; runSearch(); } else if (st.patient) resetAll();
    }
  });
  search.addEventListener('blur', () => setTimeout(() => { if (document.activeElement !== search) { results.hidden = true; } }, 150));
  search.addEventListener('focus', () => { if (search.value.trim()) renderResults(); });

  function selectPatient(hit) {
    resetAll({ keepFocus: true });
    st.patient = hit;
    // A return patient most often comes back for the same thing: offer the last visit's
    // complaint (selected, so typing replaces it) and department.
    if (hit.last_department_id && st.ref.departments.some((d) => d.id === hit.last_department_id)) st.dept = hit.last_department_id;
    if (hit.last_complaint) { complaint.value = hit.last_complaint; runSuggest(); }
    renderPatient();
    setPatientInputs(true);
    runQuote();
    complaint.focus();
    complaint.select();
  }

  // ---- patient panel ----
  function renderPatient() {
    clear(ptBody);
    const p = st.patient;
    if (!p) {
      add(ptBody, el('div.pt-empty', {}, t('reg.patient.none'), el('div.faint', {}, kbd('F2'), ' ', t('reg.patient.search'), ' · ', kbd('F3'), ' ', t('reg.new_patient'))));
      return;
    }
    const kind = st.quote?.visit_kind;
    add(ptBody, 
      el('div.pt-name', {},
        el('span#reg-patient-name', { text: p.name }),
        el('span.pt-meta', { text: [sexLabel(p.sex), p.age != null ? t('reg.age', { n: p.age }) : ''].filter(Boolean).join(' ') }),
        kind ? el(`span.pill#reg-visit-kind${kind === 'first' ? '.warn' : '.ok'}`, { text: visitLabel(kind) }) : null),
      el('div.kv', {}, el('span.k', { text: t('reg.card') }), el('span.num#reg-card', { text: p.card_no })),
      p.phone_masked ? el('div.kv', {}, el('span.k', { text: t('patient.phone') }), el('span.num', { text: p.phone_masked })) : null,
      p.id_number_masked ? el('div.kv', {}, el('span.k', { text: t('patient.id_short') }), el('span.num', { text: p.id_number_masked })) : null,
    );
  }
  function setPatientInputs(on) {
    for (const i of [referral, promo, marketer, complaint, deptSel, typeSel, appt, methodSel, tendered, mixTendered, ...Object.values(mixInputs)]) i.disabled = !on;
    submitBtn.disabled = !on;
  }

  // ---- triage: complaint → departments ----
  function runSuggest() {
    const text = complaint.value.trim();
    st.suggested = text;
    if (!text) { ask.suggest.drop(); st.suggestions = []; renderSuggest(); st.suggestP = Promise.resolve(); return st.suggestP; }
    st.suggestP = ask.suggest(text).then(({ current, value: list }) => {
      if (!current) return;
      st.suggestions = list;
      renderSuggest();
    }).catch(() => {});
    return st.suggestP;
  }
  function flushSuggest() {
    if (complaint.value.trim() !== st.suggested) return runSuggest();
    return st.suggestP || Promise.resolve();
  }
  function renderSuggest() {
    clear(suggest);
    if (!st.suggestions.length) {
      add(suggest, el('span.faint', { text: complaint.value.trim() ? t('reg.suggest.none') : t('reg.suggest.empty') }));
      return;
    }
    st.suggestions.slice(0, 9).forEach((s, i) => {
      const chip = el('button.chip', {
        type: 'button', dataset: { dept: s.department_id, n: i + 1 }, title: s.keywords.join('、'),
        onclick: () => { chooseDept(s.department_id); complaint.focus(); },
      }, el('kbd', { text: String(i + 1) }), s.department_name);
      toggle(chip, 'current', currentDept() === s.department_id);
      add(suggest, chip);
    });
  }
  complaint.addEventListener('input', runSuggest);
  complaint.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown') { e.preventDefault(); flushSuggest().then(() => suggest.querySelector('.chip')?.focus()); }
  });
  suggest.addEventListener('keydown', (e) => {
    const chips = [...suggest.querySelectorAll('.chip')];
    const i = chips.indexOf(document.activeElement);
    if (/^[1-9]$/.test(e.key) && chips[Number(e.key) - 1]) { e.preventDefault(); chips[Number(e.key) - 1].click(); }
    else if (e.key === 'ArrowRight' || e.key === 'ArrowDown') { e.preventDefault(); chips[(i + 1) % chips.length]?.focus(); }
    else if (e.key === 'ArrowLeft') { e.preventDefault(); chips[(i - 1 + chips.length) % chips.length]?.focus(); }
    else if (e.key === 'ArrowUp' || e.key === 'Escape') { e.preventDefault(); complaint.focus(); }
  });

  /** Enter on 主诉: accept what is proposed; with no department yet, take the first suggestion. */
  async function acceptTriage() {
    if (!st.patient) { search.focus(); return; }
    await flushSuggest();
    await flushQuote();
    if (st.quote) { focusPayment(); return; }
    if (!currentDept() && st.suggestions.length) { chooseDept(st.suggestions[0].department_id); return; }
    if (!currentDept()) deptSel.focus();
  }

  const currentDept = () => st.dept ?? st.quote?.duty.department_id ?? null;

  function chooseDept(id) {
    st.dept = id || null;
    st.doctor = null;
    renderSuggest();
    renderDoctors();
    runQuote();
  }
  deptSel.addEventListener('change', () => chooseDept(Number(deptSel.value) || null));
  typeSel.addEventListener('change', () => runQuote());
  promo.addEventListener('input', runQuote);
  appt.addEventListener('input', runQuote);
  // Enter moves on through the patient's panel into 主诉; there, and on the department, the type
  // or the appointment number, it accepts what is proposed.
  enterMovesOn(node, [referral, promo, marketer, complaint], { onLast: acceptTriage });
  enterMovesOn(node, [deptSel, typeSel], { onLast: acceptTriage });
  enterMovesOn(node, [appt], { onLast: acceptTriage });

  function chooseDoctor(d) {
    st.dept = d.department_id;
    st.doctor = st.doctor === d.doctor_id ? null : d.doctor_id;
    renderDoctors();
    runQuote();
  }

  function renderDoctors() {
    const focused = doctors.contains(document.activeElement) ? document.activeElement.dataset.doctorId : null;
    renderDoctorList();
    if (focused) doctors.querySelector(`.doc[data-doctor-id="${focused}"]`)?.focus();
  }
  function renderDoctorList() {
    clear(doctors);
    const dept = currentDept();
    if (!dept) { add(doctors, el('div.faint.docs-empty', { text: t('reg.doctors.choose_dept') })); return; }
    const on = st.duty.filter((d) => d.department_id === dept && d.session === session);
    const elsewhere = st.duty.filter((d) => d.department_id === dept && d.session !== session);
    const onIds = new Set(on.map((d) => d.doctor_id));
    const proposed = st.quote?.duty.doctor_id;
    for (const d of on) {
      const b = el('button.doc', { type: 'button', dataset: { doctorId: d.doctor_id }, onclick: () => chooseDoctor(d) },
        el('span.doc-name', { text: d.doctor_name }),
        el('span.doc-title', { text: shipped(d.title) }),
        el('span.doc-wait.num', { text: t('reg.waiting', { n: d.waiting }) }),
        d.remaining === 0 ? el('span.pill.bad', { text: t('reg.full') }) : null,
        proposed === d.doctor_id ? el('span.pill.ok.doc-tag', { text: st.quote.last_doctor ? t('reg.doctor.last') : (st.doctor ? t('reg.doctor.chosen') : t('reg.doctor.proposed')) }) : null);
      b.classList.add('on');
      toggle(b, 'proposed', proposed === d.doctor_id);
      toggle(b, 'chosen', st.doctor === d.doctor_id);
      add(doctors, b);
    }
    const offById = new Map();
    for (const d of elsewhere) if (!onIds.has(d.doctor_id)) offById.set(d.doctor_id, [...(offById.get(d.doctor_id) || []), d]);
    for (const [, slots] of offById) {
      const d = slots[0];
      const b = el('button.doc.off', { type: 'button', dataset: { doctorId: d.doctor_id }, title: t('reg.doctor.off_title'), onclick: () => chooseDoctor(d) },
        el('span.doc-name', { text: d.doctor_name }),
        el('span.doc-title', { text: `(${slots.map((s) => sessionLabel(s.session)).join('、')})` }),
        el('span.doc-off', { text: `✕ ${t('reg.doctor.off')}` }));
      toggle(b, 'chosen', st.doctor === d.doctor_id);
      add(doctors, b);
    }
    for (const d of st.ref.doctors.filter((x) => x.department_id === dept && !onIds.has(x.id) && !offById.has(x.id))) {
      const b = el('button.doc.off', { type: 'button', dataset: { doctorId: d.id }, title: t('reg.doctor.off_title'), onclick: () => chooseDoctor({ doctor_id: d.id, department_id: d.department_id }) },
        el('span.doc-name', { text: d.name }),
        el('span.doc-off', { text: `✕ ${t('reg.doctor.none_today')}` }));
      toggle(b, 'chosen', st.doctor === d.id);
      add(doctors, b);
    }
    if (!doctors.children.length) add(doctors, el('div.faint.docs-empty', { text: t('reg.doctors.none') }));
  }

  // ---- the quote ----
  function choice() {
    return {
      patient_id: st.patient.id,
      department_id: st.dept,
      doctor_id: st.doctor,
      registration_type_id: Number(typeSel.value) || null,
      promotion_code: promo.value.trim() || null,
      appointment_no: appt.value.trim() || null,
    };
  }
  function runQuote() {
    if (!st.patient) { st.quoteP = Promise.resolve(); return st.quoteP; }
    st.quoteP = ask.quote(choice()).then(({ current, value: q }) => {
      if (!current) return;
      st.quote = q;
      st.quoteError = null;
      renderQuote();
    }, (err) => {
      st.quote = null;
      st.quoteError = err;
      renderQuote();
    });
    return st.quoteP;
  }
  async function flushQuote() {
    await (st.quoteP || Promise.resolve());
  }
  function renderQuote() {
    const q = st.quote;
    const err = st.quoteError;
    // Checking in an appointment: its doctor's department is the one on screen.
    if (q?.appointment_id) st.dept = q.duty.department_id;
    deptSel.value = currentDept() ? String(currentDept()) : '';
    if (q && String(q.registration_type_id) !== typeSel.value) typeSel.value = String(q.registration_type_id);
    // "Choose a department" is the next step for a new patient, not a mistake.
    const needsDept = err && err.field === 'department_id' && !st.dept;
    // An appointment number Rust does not accept: its message goes beside the number.
    const placed = err && !err.field && err.code?.startsWith('appointment_') ? { ...err, field: 'appointment_no' } : err;
    showError([triagePanel, ptPanel], quoteError, needsDept ? null : placed);
    due.textContent = q ? yuan(q.due_fen) : '—';
    clear(dueNote);
    if (q) {
      add(dueNote, 
        el('span', { text: `${q.registration_type_name} · ${q.duty.department_name} · ${q.duty.doctor_name} · ${sessionLabel(q.duty.session)}` }),
        q.discount_fen > 0 ? el('span.ok-text', { text: ` · ${t('reg.discount', { fee: yuan(q.fee_fen), off: yuan(q.discount_fen), name: q.promotion_name || '' })}` }) : null,
        q.appointment_id ? el('span.ok-text', { text: ` · ${t('reg.appt.ok')}` }) : null);
    } else if (needsDept) {
      add(dueNote, el('span', { text: t('reg.doctors.choose_dept') }));
    }
    renderPatient();
    renderSuggest();
    renderDoctors();
    runPreview();
  }

  // ---- payment ----
  function buildMix() {
    clear(mixBox);
    for (const m of st.ref.methods) {
      const input = el('input.money-input.small.mix-amount', { id: `reg-mix-${m.code}`, inputmode: 'decimal', autocomplete: 'off', maxlength: 12, placeholder: '0.00', dataset: { method: m.code } });
      mixInputs[m.code] = input;
      input.addEventListener('input', runPreview);
      add(mixBox, el('div.mix-line', {}, el('label', { for: input.id, text: m.name }), input,
        m.code === 'cash' ? el('span.mix-tendered', {}, el('label', { for: 'reg-mix-tendered', text: t('reg.tendered') }), mixTendered) : null));
    }
    add(mixBox, el('div.rfield', { dataset: { field: 'amount' } }, el('div.field-error')),
      el('div.money-row', {}, el('span.money-label', { text: t('reg.change') }), mixChange));
    mixTendered.addEventListener('input', runPreview);
    enterMovesOn(mixBox, [...Object.values(mixInputs), mixTendered], { onLast: submit });
  }
  function setMethod(m) {
    st.method = m;
    methodSel.value = m;
    cashBox.hidden = m !== 'cash';
    mixBox.hidden = m !== 'mixed';
    otherNote.hidden = m === 'cash' || m === 'mixed';
    otherNote.textContent = otherNote.hidden ? '' : t('reg.method.whole', { method: methodSel.selectedOptions[0]?.textContent || m });
    runPreview();
  }
  methodSel.addEventListener('change', () => setMethod(methodSel.value));
  // Enter on the method goes on to what it needs (the tendered amount, the split, or F9's button).
  enterMovesOn(payPanel, [methodSel], { onLast: focusPayment });
  function cycleMethod() {
    const all = [...methodSel.options].map((o) => o.value);
    setMethod(all[(all.indexOf(st.method) + 1) % all.length]);
    focusPayment();
  }
  function focusPayment() {
    if (st.method === 'cash' && st.quote?.due_fen > 0) { tendered.focus(); tendered.select(); } else if (st.method === 'mixed') Object.values(mixInputs)[0]?.focus();
    else submitBtn.focus();
  }
  function payments() {
    if (st.method === 'mixed') {
      return st.ref.methods.map((m) => ({ method: m.code, amount: mixInputs[m.code].value.trim(), tendered: m.code === 'cash' ? mixTendered.value.trim() : '' }))
        .filter((l) => l.amount !== '');
    }
    if (st.method === 'cash') return [{ method: 'cash', amount: '', tendered: tendered.value.trim() }];
    return [{ method: st.method, amount: '', tendered: '' }];
  }
  tendered.addEventListener('input', runPreview);
  enterMovesOn(payPanel, [tendered], { onLast: submit });
  function runPreview() {
    const q = st.quote;
    const lines = payments();
    const quiet = st.method === 'mixed' && !lines.length;
    if (!q || quiet) { ask.preview.drop(); renderChange(null, null); return; }
    ask.preview(q.due_fen, lines).then(({ current, value }) => {
      if (current) renderChange(value, null);
    }, (err) => renderChange(null, err));
  }
  function renderChange(lines, err) {
    showError([payPanel], payError, err);
    const cash = lines?.find((l) => l.change_fen != null);
    const text = cash ? yuan(cash.change_fen) : (lines && st.quote?.due_fen === 0 ? yuan(0) : '—');
    for (const n of [change, mixChange]) {
      n.textContent = text;
      toggle(n, 'money-short', !!err);
    }
  }

  // ---- F9: register, print, clear ----
  async function submit() {
    if (st.busy || screenKeysBlocked()) return;
    if (!st.patient) { showError([payPanel], payError, { message: t('reg.need_patient') }); search.focus(); return; }
    st.busy = true;
    submitBtn.disabled = true;
    try {
      await flushQuote();
      const q = st.quote;
      if (!q) {
        if (st.quoteError) showError([triagePanel, ptPanel], quoteError, st.quoteError);
        (st.quoteError?.field === 'department_id' || !currentDept() ? deptSel : complaint).focus();
        return;
      }
      const input = {
        ...choice(),
        department_id: q.duty.department_id,
        doctor_id: q.duty.doctor_id,
        session: q.duty.session,
        chief_complaint: complaint.value.trim(),
        referral_source: referral.value,
        marketer: marketer.value.trim(),
        payments: payments(),
      };
      let r;
      try {
        r = await api.register(input);
      } catch (err) {
        const f = showError([payPanel, triagePanel, ptPanel], payError, err);
        f?.querySelector('input, select')?.focus();
        if (err.code === 'shift_stale') staleShift();
        return;
      }
      // The registration is saved: the screen is the next patient's at once, and the receipt
      // goes to the printer meanwhile.
      toast(t('reg.done', { n: r.queue_no, change: yuan(r.change_fen) }), 'ok');
      showLast(r);
      resetAll();
      refreshAfterChange();
      if (r.receipt_id != null) printReceipt(r.receipt_id, false);
    } finally {
      st.busy = false;
      submitBtn.disabled = !st.patient;
    }
  }

  function showLast(r) {
    clear(last);
    last.hidden = false;
    last.dataset.receipt = r.receipt_id ?? '';
    last.classList.remove('bad');
    add(last,
      el('span', { text: t('reg.last', { n: r.queue_no }) }),
      r.receipt_number ? el('span.num#reg-last-receipt', { text: r.receipt_number }) : null,
      el('span.last-change', {}, t('reg.change'), ' ', el('strong.num#reg-last-change', { text: yuan(r.change_fen) })),
      r.receipt_id != null ? el('span#reg-last-print.last-print', { dataset: { state: 'sending' }, text: t('reg.print.sending') }) : null,
      r.receipt_id != null ? el('button.linkbtn', { type: 'button', onclick: () => reprint(r.receipt_id) }, t('reg.reprint')) : null);
  }

  /**
   * Prints the receipt on this desk's printer (Rust opens the PDF instead when the desk has
   * none) without holding up the next patient. A printer that does not take it says why on
   * the strip, beside 重打; the registration itself is saved whatever the printer does.
   */
  function printReceipt(receiptId, again) {
    const mark = (state, text, title = '') => {
      const node = last.dataset.receipt === String(receiptId) ? last.querySelector('#reg-last-print') : null;
      if (!node) return false;
      node.dataset.state = state;
      node.textContent = text;
      node.title = title;
      last.classList.toggle('bad', state === 'failed');
      return true;
    };
    return api.receiptOpen(receiptId, again).then((d) => {
      const file = d.path.split(/[\\/]/).pop();
      const said = d.printer ? t('reg.print.sent', { printer: d.printer }) : t('reg.print.opened', { file });
      mark(d.printer ? 'printed' : 'opened', said, d.printer ? `${said} · ${d.path}` : d.path);
      if (again) toast(t('reg.reprinted', { what: said }), 'ok');
    }, (e) => {
      // On the strip when it shows this receipt; else (a reprint from today's list) the
      // notice carries the reason itself.
      const shown = mark('failed', t('reg.print.failed', { msg: e.message }), e.message);
      toast(shown ? t('reg.print.failed_short') : t('reg.print.failed', { msg: e.message }), 'error');
    });
  }

  function reprint(receiptId) { return printReceipt(receiptId, true); }

  /** The screen as it is for the next patient: nothing of the previous one stays. */
  function resetAll({ keepFocus = false } = {}) {
    for (const a of Object.values(ask)) a.drop();
    Object.assign(st, { hits: [], active: -1, searched: '', patient: null, dept: null, doctor: null, suggestions: [], suggested: '', quote: null, quoteError: null, quoteP: null, suggestP: null });
    search.value = '';
    for (const i of [complaint, promo, marketer, appt, tendered, mixTendered, ...Object.values(mixInputs)]) i.value = '';
    referral.value = '';
    deptSel.value = '';
    if (typeSel.options.length) typeSel.value = typeSel.options[0].value;
    setMethod(st.ref.methods.some((m) => m.code === 'cash') ? 'cash' : methodSel.options[0]?.value || 'mixed');
    showError([ptPanel, triagePanel, payPanel], quoteError, null);
    payError.hidden = true;
    due.textContent = '—';
    clear(dueNote);
    renderResults();
    renderPatient();
    renderSuggest();
    renderDoctors();
    renderChange(null, null);
    setPatientInputs(false);
    if (!keepFocus) search.focus();
  }

  // ---- the strip: shift, alerts, today's list ----
  async function refreshShift(shift) {
    try { st.shift = shift || await api.shiftCurrent(); } catch (e) { return; }
    showStale(st.shift);
    clear(shiftInfo);
    if (!st.shift) return;
    add(shiftInfo, 
      el('span.faint', { text: t('reg.shift.no', { id: st.shift.id, at: time(st.shift.opened_at) }) }), ' ',
      el('span.faint', { text: t('reg.shift.float', { float: yuan(st.shift.float_fen) }) }), ' ',
      el('strong', {}, t('reg.shift.count', { n: st.shift.registrations })), ' ',
      el('strong.num#reg-shift-total', { text: yuan(st.shift.takings_fen) }));
    shiftInfo.dataset.count = String(st.shift.registrations);
    shiftInfo.dataset.total = String(st.shift.takings_fen);
  }
  async function refreshAlerts() {
    try {
      const [room, missed] = await Promise.all([api.waitingRoom(), api.appointments(true)]);
      clear(alerts);
      for (const q of room.filter((x) => x.alert)) add(alerts, el('span.pill.warn', { text: `⚠ ${t('reg.alert', { dept: q.department_name, doctor: q.doctor_name, n: q.waiting })}` }));
      noShows.textContent = missed.length ? t('reg.no_shows', { n: missed.length }) : '';
      noShows.hidden = !missed.length;
    } catch (e) { /* the strip is a courtesy; the screen works without it */ }
  }
  async function refreshDuty() {
    try {
      const [now, duty] = await Promise.all([api.status(), api.dutyToday(null)]);
      session = now.day_session;
      st.businessDate = now.business_date;
      docsHint.textContent = t('reg.doctors.hint', { session: sessionLabel(session) });
      st.duty = duty;
      renderDoctors();
    } catch (e) { /* keep the last list */ }
  }
  // Waiting counts, alerts and the session move on while the screen stays open.
  const ticker = setInterval(() => {
    if (!node.isConnected) { clearInterval(ticker); return; }
    if (!document.getElementById('lock-screen').hidden) return;
    refreshDuty();
    refreshAlerts();
  }, 60000);
  function refreshAfterChange() {
    refreshShift();
    refreshDuty();
    refreshAlerts();
    if (st.todayOpen) loadToday();
    if (!stats.hidden) api.doctorStats().then(renderStats).catch(() => {});
    window.dispatchEvent(new CustomEvent('frontdesk:refresh-status'));
  }

  function toggleToday(open = !st.todayOpen) {
    st.todayOpen = open;
    today.hidden = !open;
    toggle(todayBtn, 'current', open);
    if (open) loadToday().then(() => { (today.querySelector('tr[data-id]') || todayBtn).focus(); today.scrollIntoView({ block: 'nearest' }); });
    else search.focus();
  }

  async function loadToday() {
    const focusedId = document.activeElement?.closest?.('#reg-today tr[data-id]')?.dataset.id;
    try { st.today = await api.registrations(null); } catch (e) { toast(e.message, 'error'); return; }
    clear(today);
    add(today, el('div.toolbar', {}, el('h3', { text: t('reg.today.title', { n: st.today.length }) }), el('span.grow'),
      el('span.faint', {}, kbd('↑'), kbd('↓'), ' ', t('reg.today.keys'), ' ', kbd('F7'), ' ', t('reg.cancel'), ' ', kbd('F8'), ' ', t('reg.change_doctor'))));
    if (!st.today.length) { add(today, el('div.empty', { text: t('common.none') })); return; }
    const head = ['time', 'queue', 'patient', 'card', 'dept', 'doctor', 'type', 'visit', 'amount', 'status', 'receipt', 'actions'];
    const rows = st.today.map((r) => {
      const waiting = r.status === 'waiting';
      const tr = el('tr', { tabindex: '0', dataset: { id: r.id, status: r.status } },
        el('td.num', { text: time(r.created_at) }),
        el('td.num', { text: t('reg.queue_no', { n: r.queue_no }) }),
        el('td', { text: r.patient_name }),
        el('td.num', { text: r.card_no }),
        el('td', { text: r.department_name }),
        el('td', { text: r.doctor_name }),
        el('td', { text: r.registration_type_name }),
        el('td', { text: visitLabel(r.visit_kind) }),
        el('td.money.num', { text: yuan(r.due_fen) }),
        el('td', {}, el(`span.pill.status-${r.status}`, { text: t(`reg.status.${r.status}`), title: r.end_reason || '' })),
        el('td.num', { text: r.receipt_number || '' }),
        el('td.row-actions', {},
          waiting ? el('button.btn.small.act-cancel', { type: 'button', onclick: () => openCancel(r) }, t('reg.cancel')) : null,
          waiting ? el('button.btn.small.act-change', { type: 'button', onclick: () => openChange(r) }, t('reg.change_doctor')) : null,
          r.receipt_id != null ? el('button.btn.small.act-reprint', { type: 'button', onclick: () => reprint(r.receipt_id) }, t('reg.reprint')) : null));
      toggle(tr, 'ended', !waiting && r.status !== 'seen');
      tr.addEventListener('keydown', (e) => {
        if (e.target !== tr) return;
        if (e.key === 'ArrowDown') { e.preventDefault(); tr.nextElementSibling?.focus(); }
        if (e.key === 'ArrowUp') { e.preventDefault(); tr.previousElementSibling?.focus(); }
      });
      return tr;
    });
    add(today, el('div.table-scroll', {}, el('table.grid.today-grid', {},
      el('thead', {}, el('tr', {}, head.map((h) => el(`th${h === 'amount' ? '.money' : ''}`, { text: t(`reg.col.${h}`) })))),
      el('tbody', {}, rows))));
    if (focusedId) today.querySelector(`tr[data-id="${focusedId}"]`)?.focus();
  }

  /** F7/F8 act on the focused row of today's list; with none, the list opens to choose one. */
  function rowAction(kind) {
    const tr = document.activeElement?.closest?.('#reg-today tr[data-id]');
    const row = tr && st.today.find((r) => String(r.id) === tr.dataset.id);
    if (!row) {
      if (!st.todayOpen) toggleToday(true); else today.querySelector('tr[data-id]')?.focus();
      toast(t('reg.today.pick'));
      return;
    }
    if (row.status !== 'waiting') { toast(t(`reg.not_waiting.${row.status}`), 'error'); return; }
    if (kind === 'cancel') openCancel(row); else openChange(row);
  }

  // ---- a shift left open from an earlier day: close it (日结) or continue with a supervisor ----
  // shift_current says so (Shift.stale), so the banner is there before any F9 is refused.
  function showStale(shift) {
    if (!shift?.stale) { st.banner?.node.remove(); st.banner = null; return; }
    if (st.banner) return;
    st.banner = staleBanner(shift, {
      onGoClose: () => document.querySelector('#nav a[data-area="cash"]')?.click(),
      onContinued: () => {
        st.banner?.node.remove();
        st.banner = null;
        showError([payPanel], payError, null);
        refreshShift();
        search.focus();
      },
    });
    node.insertBefore(st.banner.node, top);
  }
  /** Rust refused for a stale shift (the day may have turned while the screen was open). */
  function staleShift() {
    showStale({ ...(st.shift || { id: '', opened_at: Date.now() }), stale: true });
    st.banner.open();
  }

  // ---- the dialogs: each is given what it needs and calls back ----
  /** 新患者 (F3): the patient saved (or a likely duplicate taken) is selected on the desk. */
  function newPatient() {
    if (screenKeysBlocked()) return;
    newPatientDialog(search.value, {
      onChosen: selectPatient,
      onClose: () => { if (!st.patient) search.focus(); },
    });
  }

  // Closing 退号 or 换号 shows today's list as it now is.
  const reloadTodayIfOpen = () => { if (st.todayOpen) loadToday(); };
  function openCancel(row) {
    cancelDialog(row, { onDone: refreshAfterChange, onStaleShift: staleShift, onClose: reloadTodayIfOpen });
  }
  function openChange(row) {
    changeDialog(row, { ref: st.ref, duty: st.duty, session, onDone: refreshAfterChange, onClose: reloadTodayIfOpen });
  }

  /** 预约 (F10) for the patient on screen; the no-show counter follows. */
  function openBooking() {
    if (screenKeysBlocked()) return;
    if (!st.patient) { showError([payPanel], payError, { message: t('appt.need_patient') }); search.focus(); return; }
    bookDialog(st.patient, {
      businessDate: st.businessDate,
      session,
      departmentId: currentDept(),
      onBooked: () => refreshAlerts(),
      onClose: () => { if (!st.patient) search.focus(); },
    });
  }
  function openAppointments(which) {
    appointmentList(which, { businessDate: st.businessDate, onCheckIn: checkIn });
  }

  /** 签到: the booked patient on screen with the appointment number; Rust takes the booked doctor. */
  async function checkIn(a) {
    resetAll({ keepFocus: true });
    search.value = a.card_no;
    await runSearch();
    const hit = st.hits.find((h) => h.id === a.patient_id);
    if (!hit) { search.focus(); return; }
    selectPatient(hit);
    appt.value = a.number;
    runQuote();
  }

  // ---- supervisors: per-doctor figures (Rust refuses them to others) ----
  function renderStats(rows) {
    clear(stats);
    stats.hidden = false;
    add(stats, el('h3', { text: t('reg.stats.title') }));
    if (!rows.length) { add(stats, el('div.empty', { text: t('common.none') })); return; }
    add(stats, el('table.grid', {},
      el('thead', {}, el('tr', {}, el('th', { text: t('reg.col.dept') }), el('th', { text: t('reg.col.doctor') }), el('th.money', { text: t('reg.stats.count') }), el('th.money', { text: t('reg.stats.revenue') }))),
      el('tbody', {}, rows.map((r) => el('tr', {}, el('td', { text: r.department_name }), el('td', { text: r.doctor_name }), el('td.money.num', { text: String(r.registrations) }), el('td.money.num', { text: yuan(r.revenue_fen) }))))));
  }

  // ---- the screen's keys ----
  const onKey = (e) => {
    if (!node.isConnected) { window.removeEventListener('keydown', onKey); return; }
    if (screenKeysBlocked()) return;
    const k = e.key;
    if (!['F2', 'F3', 'F4', 'F6', 'F7', 'F8', 'F9', 'F10'].includes(k)) return;
    e.preventDefault();
    if (k === 'F2') { search.focus(); search.select(); }
    if (k === 'F3') newPatient();
    if (k === 'F4') toggleToday();
    if (k === 'F6' && st.patient) cycleMethod();
    if (k === 'F7') rowAction('cancel');
    if (k === 'F8') rowAction('change');
    if (k === 'F9') submit();
    if (k === 'F10') openBooking();
  };
  window.addEventListener('keydown', onKey);
}
