// 挂号: the clerk's one screen all day — find or create the patient, triage by the chief
// complaint to an on-duty doctor, take payment, print the receipt, and start clean for the next
// patient. Rust decides every rule and every amount (the quote, the payment check, the change);
// this file shows them and keeps the keyboard path short: card number → Enter → Enter →
// tendered → F9. Without an open shift the screen first asks for the float (开班); a shift left
// open from an earlier day shows a banner (close it, or a supervisor lets it go on). F10 books an
// appointment for the patient on screen; its number, typed in 预约号, checks it in.
import { api } from '../api.js';
import { t, yuan, when } from '../i18n.js';
import { el, clear, toast, dialog, form, field, showFieldError as showError, table } from '../ui.js';
import { staleBanner } from './stale.js';

// Values stored with the registration are the hospital's own words (Chinese); the label shown
// follows the page's language.
const REFERRALS = [['老患者介绍', 'old'], ['网络', 'web'], ['电视广告', 'tv'], ['户外广告', 'outdoor'], ['朋友推荐', 'friend'], ['市场部', 'marketing'], ['其他', 'other']];
const HEARD_VIA = [['网络', 'web'], ['电视广告', 'tv'], ['户外广告', 'outdoor'], ['朋友推荐', 'friend'], ['老患者介绍', 'old'], ['路过', 'passing'], ['其他', 'other']];
const CANCEL_REASONS = [['病人临时有事', 'errand'], ['挂错科室', 'wrong_dept'], ['医生停诊', 'doctor_off'], ['等候时间过长', 'long_wait'], ['其他', 'other']];
const CHANGE_REASONS = [['挂错科室', 'wrong_dept'], ['病人要求换医生', 'patient_asks'], ['医生停诊', 'doctor_off'], ['等候时间过长', 'long_wait'], ['其他', 'other']];
// Float denominations, in the order of DENOMINATIONS in the core (100, 50, 20, 10, 5, 1 元; 5, 1 角).
const DENOMINATIONS = ['100', '50', '20', '10', '5', '1', '0.5', '0.1'];

const SEARCH_DELAY = 120;
const SUGGEST_DELAY = 200;
const QUOTE_DELAY = 250;
const PREVIEW_DELAY = 150;

/** node.append without the nulls and falses that conditional children leave. */
const add = (node, ...kids) => { node.append(...kids.flat().filter((k) => k !== null && k !== undefined && k !== false)); return node; };
const toggle = (node, name, on) => { node.classList.toggle(name, !!on); return node; };
const kbd = (k) => el('kbd', { text: k });
const sexLabel = (s) => (s === 'F' || s === 'M' ? t(`sex.${s}`) : '');
const sessionLabel = (s) => t(`session.${s}`);
const visitLabel = (k) => t(k === 'return' ? 'reg.visit.return' : 'reg.visit.first');
const time = (ms) => when(ms).slice(11, 16);

function screenKeysBlocked() {
  return !!document.querySelector('.backdrop:not([hidden])') || !document.getElementById('lock-screen').hidden;
}

export function mount(root, { status }) {
  const host = el('div.reg-host');
  add(root, host);
  add(host, el('p.muted', { text: t('common.loading') }));
  api.shiftCurrent().then((shift) => {
    clear(host);
    if (shift) desk(host, status, shift); else openShift(host, status);
  }).catch((e) => { clear(host); add(host, el('div.form-error', { text: e.message })); });
}

// ---- 开班: count the float ---------------------------------------------------------------------

function openShift(host, status) {
  const inputs = DENOMINATIONS.map((d, i) => el('input.count', {
    id: `float-${i}`, inputmode: 'numeric', autocomplete: 'off', maxlength: 6, placeholder: '0', 'aria-label': t(`float.d${i}`),
  }));
  const error = el('div.form-error', { hidden: true, role: 'alert' });
  const submit = el('button.btn.primary#shift-open-submit', { type: 'button' }, t('shift.open'), ' ', kbd('Enter'));
  const grid = el('div.float-grid', {}, inputs.map((input, i) => el('div.rfield', { dataset: { field: `float-${i}` } },
    el('label', { for: input.id, text: `${t(`float.d${i}`)} ×` }), input, el('div.field-error'))));
  const go = async () => {
    showError([grid], error, null);
    const counts = [];
    for (const [i, input] of inputs.entries()) {
      const v = input.value.trim();
      if (!/^\d*$/.test(v)) {
        showError([grid], error, { field: `float-${i}`, message: t('shift.count_whole') });
        input.focus();
        return;
      }
      counts.push(v === '' ? 0 : Number(v));
    }
    submit.disabled = true;
    try {
      const shift = await api.shiftOpen(counts);
      toast(t('shift.opened', { float: yuan(shift.float_fen) }), 'ok');
      clear(host);
      desk(host, status, shift);
    } catch (e) {
      showError([grid], error, e);
    } finally {
      submit.disabled = false;
    }
  };
  submit.addEventListener('click', go);
  grid.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    const i = inputs.indexOf(e.target);
    if (i >= 0 && i < inputs.length - 1) inputs[i + 1].focus(); else go();
  });
  add(host, el('section.panel.shift-panel#shift-panel', {},
    el('h1', { text: t('shift.title') }),
    el('p.muted', { text: t('shift.text') }),
    grid, error,
    el('div.actions', {}, submit)));
  inputs[0].focus();
}

// ---- the desk ----------------------------------------------------------------------------------

function desk(host, status, firstShift) {
  let session = status.day_session;
  const st = {
    ref: { departments: [], types: [], methods: [], doctors: [] },
    duty: [],
    shift: firstShift,
    hits: [], active: -1, searched: '', searchTimer: null, searchP: null,
    patient: null,
    dept: null, doctor: null,
    suggestions: [], suggested: '', suggestTimer: null, suggestP: null,
    quote: null, quoteError: null, quoteSeq: 0, quoteTimer: null, quoteP: null,
    method: 'cash',
    preview: null, previewSeq: 0, previewTimer: null,
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
  const bookBtn = el('button.btn#reg-book', { type: 'button', onclick: () => bookDialog() }, t('appt.book_button'), ' ', kbd('F10'));
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
  const noShows = el('button.linkbtn#reg-noshows', { type: 'button', hidden: true, onclick: () => appointmentList('missed') });
  const apptsBtn = el('button.btn.small#reg-appts', { type: 'button', onclick: () => appointmentList('today') }, t('appt.list.today'));
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
      scheduleQuote(0);
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
    clearTimeout(st.searchTimer);
    st.searchTimer = null;
    const q = search.value.trim();
    st.searched = q;
    if (!q) { st.hits = []; st.active = -1; renderResults(); st.searchP = Promise.resolve(); return st.searchP; }
    st.searchP = api.patientSearch(q).then((hits) => {
      if (search.value.trim() !== q) return;
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
    if (st.searchTimer || search.value.trim() !== st.searched) return runSearch();
    return st.searchP || Promise.resolve();
  }
  function renderResults(message) {
    clear(results);
    const q = search.value.trim();
    if (!q) { results.hidden = true; search.setAttribute('aria-expanded', 'false'); return; }
    if (message) add(results, el('div.hit-note.bad', { text: message }));
    else if (!st.hits.length && st.searched === q) add(results, el('div.hit-note', {}, t('reg.search.none'), ' ', kbd('F3')));
    st.hits.forEach((h, i) => {
      const row = el('div.hit', {
        role: 'option', id: `reg-hit-${i}`, dataset: { id: h.id },
        onmousedown: (e) => { e.preventDefault(); selectPatient(h); },
      },
      el('strong.hit-name', { text: h.name }),
      el('span', { text: sexLabel(h.sex) }),
      el('span.num', { text: h.age != null ? t('reg.age', { n: h.age }) : '' }),
      el('span.num', { text: t('reg.card_no', { no: h.card_no }) }),
      el('span.num', { text: h.phone_masked || '' }),
      el('span.num.muted', { text: h.id_number_masked || '' }),
      el('span.muted.hit-last', { text: h.last_visit_at ? t('reg.last_visit', { date: when(h.last_visit_at).slice(0, 10), dept: h.last_department || '' }) : t('reg.never_visited') }));
      toggle(row, 'active', i === st.active);
      row.setAttribute('aria-selected', String(i === st.active));
      add(results, row);
    });
    if (st.hits.length > 1) add(results, el('div.hit-note.faint', { text: t('reg.search.choose') }));
    results.hidden = false;
    search.setAttribute('aria-expanded', 'true');
    if (st.active >= 0) search.setAttribute('aria-activedescendant', `reg-hit-${st.active}`); else search.removeAttribute('aria-activedescendant');
  }
  search.addEventListener('input', () => {
    clearTimeout(st.searchTimer);
    if (!search.value.trim()) { runSearch(); return; }
    st.searchTimer = setTimeout(runSearch, SEARCH_DELAY);
  });
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
    scheduleQuote(0);
    complaint.focus();
    complaint.select();
  }

  // ---- the new-patient form (F3) ----
  function newPatient() {
    if (screenKeysBlocked()) return;
    const q = search.value.trim();
    const guess = {};
    if (/^\p{Script=Han}[\p{Script=Han}·]*$/u.test(q)) guess.name = q;
    else if (/^1\d{10}$/.test(q)) guess.phone = q;
    else if (/^\d{17}[\dXx]$/.test(q)) guess.id_number = q;
    const heard = [['', t('reg.heard.none')], ...HEARD_VIA.map(([v, k]) => [v, t(`reg.heard.${k}`)])];
    const dups = el('div.dups#dup-list', { hidden: true });
    let d;
    const done = async (patient) => {
      d.close();
      let hit = null;
      try { hit = (await api.patientSearch(patient.card_no)).find((h) => h.id === patient.id); } catch (e) { /* fall back below */ }
      selectPatient(hit || { id: patient.id, card_no: patient.card_no, name: patient.name, sex: patient.sex, age: patient.age, phone_masked: null, id_number_masked: null, last_visit_at: patient.last_visit_at });
      toast(t('patient.created', { card: patient.card_no }), 'ok');
    };
    const save = async (v, confirmed) => done(await api.patientSave({ ...v, id: null }, confirmed));
    const showDuplicates = (list, v) => {
      clear(dups);
      dups.hidden = false;
      add(dups, el('h3', { text: t('patient.dups.title') }), el('p.muted', { text: t('patient.dups.text') }));
      for (const dup of list) {
        const p = dup.patient;
        add(dups, el('div.dup', {},
          el('div', {},
            el('strong', { text: p.name }), ' ', sexLabel(p.sex), ' ', p.age != null ? t('reg.age', { n: p.age }) : '', ' · ',
            el('span.num', { text: t('reg.card_no', { no: p.card_no }) }), ' · ',
            el('span.num', { text: p.birth_date || '' }),
            el('div.faint', { text: dup.matched_on.map((m) => t(`patient.match.${m}`)).join(' · ') })),
          el('button.btn.small.dup-use', { type: 'button', onclick: () => done(p) }, t('patient.dups.use'))));
      }
      const confirmNew = el('button.btn.primary#dup-confirm-new', {
        type: 'button',
        onclick: async () => {
          try { await save(v, true); } catch (err) { f.showError(err); }
        },
      }, t('patient.dups.confirm_new'));
      add(dups, el('div.actions', {}, confirmNew));
      dups.querySelector('.dup-use')?.focus();
    };
    const f = form([
      { key: 'name', errorKey: 'patient_name', label: t('patient.name'), maxlength: 30 },
      { key: 'sex', label: t('patient.sex'), type: 'select', hint: t('patient.sex.hint'), options: [['', t('patient.sex.from_id')], ['M', t('sex.M')], ['F', t('sex.F')]] },
      { key: 'birth_date', label: t('patient.birth_date'), hint: t('patient.birth_date.hint'), maxlength: 10 },
      { key: 'id_number', label: t('patient.id_number'), maxlength: 18 },
      { key: 'phone', label: t('patient.phone'), maxlength: 20 },
      { key: 'address', label: t('patient.address'), maxlength: 100 },
      { key: 'origin', label: t('patient.origin'), maxlength: 30 },
      { key: 'heard_via', label: t('patient.heard_via'), type: 'select', options: heard },
    ], guess, async (v) => {
      dups.hidden = true;
      const list = await api.patientDuplicates({ ...v, id: null });
      if (list.length) { showDuplicates(list, v); return; }
      try {
        await save(v, false);
      } catch (err) {
        if (err.code === 'possible_duplicates') { showDuplicates(err.details || await api.patientDuplicates({ ...v, id: null }), v); return; }
        throw err;
      }
    });
    // Quick keys on the sex list, as in the HIS the desk knows: 1 男, 2 女.
    f.inputs.sex.addEventListener('keydown', (e) => {
      const v = { 1: 'M', m: 'M', M: 'M', 2: 'F', f: 'F', F: 'F' }[e.key];
      if (v) { e.preventDefault(); f.inputs.sex.value = v; }
    });
    const ok = el('button.btn.primary#patient-save', { type: 'button', onclick: () => f.node.requestSubmit() }, t('common.save'), ' ', kbd('Enter'));
    const cancel = el('button.btn', { type: 'button', onclick: () => d.close() }, t('common.cancel'), ' ', kbd('Esc'));
    d = dialog(t('patient.new'), el('div', {}, f.node, dups), [cancel, ok], { onClose: () => { if (!st.patient) search.focus(); } });
    d.node.classList.add('wide');
    f.inputs.name.focus();
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
    clearTimeout(st.suggestTimer);
    st.suggestTimer = null;
    const text = complaint.value.trim();
    st.suggested = text;
    if (!text) { st.suggestions = []; renderSuggest(); st.suggestP = Promise.resolve(); return st.suggestP; }
    st.suggestP = api.triageSuggest(text).then((list) => {
      if (complaint.value.trim() !== text) return;
      st.suggestions = list;
      renderSuggest();
    }).catch(() => {});
    return st.suggestP;
  }
  function flushSuggest() {
    if (st.suggestTimer || complaint.value.trim() !== st.suggested) return runSuggest();
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
  complaint.addEventListener('input', () => {
    clearTimeout(st.suggestTimer);
    st.suggestTimer = setTimeout(runSuggest, SUGGEST_DELAY);
  });
  complaint.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') { e.preventDefault(); acceptTriage(); }
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
    scheduleQuote(0);
  }
  deptSel.addEventListener('change', () => chooseDept(Number(deptSel.value) || null));
  typeSel.addEventListener('change', () => scheduleQuote(0));
  promo.addEventListener('input', () => scheduleQuote(QUOTE_DELAY));
  appt.addEventListener('input', () => scheduleQuote(QUOTE_DELAY));
  for (const [i, next] of [[deptSel, typeSel], [typeSel, null], [appt, null], [referral, promo], [promo, marketer], [marketer, complaint]]) {
    i.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter') return;
      e.preventDefault();
      if (next) next.focus(); else acceptTriage();
    });
  }

  function chooseDoctor(d) {
    st.dept = d.department_id;
    st.doctor = st.doctor === d.doctor_id ? null : d.doctor_id;
    renderDoctors();
    scheduleQuote(0);
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
        el('span.doc-title', { text: d.title }),
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
  function scheduleQuote(delay) {
    clearTimeout(st.quoteTimer);
    if (!st.patient) return;
    st.quoteTimer = setTimeout(runQuote, delay);
  }
  function runQuote() {
    clearTimeout(st.quoteTimer);
    st.quoteTimer = null;
    if (!st.patient) { st.quoteP = Promise.resolve(); return st.quoteP; }
    const seq = ++st.quoteSeq;
    st.quoteP = api.registrationQuote(choice()).then((q) => {
      if (seq !== st.quoteSeq) return;
      st.quote = q;
      st.quoteError = null;
      renderQuote();
    }, (err) => {
      if (seq !== st.quoteSeq) return;
      st.quote = null;
      st.quoteError = err;
      renderQuote();
    });
    return st.quoteP;
  }
  async function flushQuote() {
    if (st.quoteTimer) await runQuote(); else await (st.quoteP || Promise.resolve());
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
    schedulePreview(0);
  }

  // ---- payment ----
  function buildMix() {
    clear(mixBox);
    for (const m of st.ref.methods) {
      const input = el('input.money-input.small.mix-amount', { id: `reg-mix-${m.code}`, inputmode: 'decimal', autocomplete: 'off', maxlength: 12, placeholder: '0.00', dataset: { method: m.code } });
      mixInputs[m.code] = input;
      input.addEventListener('input', () => schedulePreview(PREVIEW_DELAY));
      add(mixBox, el('div.mix-line', {}, el('label', { for: input.id, text: m.name }), input,
        m.code === 'cash' ? el('span.mix-tendered', {}, el('label', { for: 'reg-mix-tendered', text: t('reg.tendered') }), mixTendered) : null));
    }
    add(mixBox, el('div.rfield', { dataset: { field: 'amount' } }, el('div.field-error')),
      el('div.money-row', {}, el('span.money-label', { text: t('reg.change') }), mixChange));
    mixTendered.addEventListener('input', () => schedulePreview(PREVIEW_DELAY));
    const order = [...Object.values(mixInputs), mixTendered];
    mixBox.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter') return;
      e.preventDefault();
      const i = order.indexOf(e.target);
      if (i >= 0 && i < order.length - 1) order[i + 1].focus(); else submit();
    });
  }
  function setMethod(m) {
    st.method = m;
    methodSel.value = m;
    cashBox.hidden = m !== 'cash';
    mixBox.hidden = m !== 'mixed';
    otherNote.hidden = m === 'cash' || m === 'mixed';
    otherNote.textContent = otherNote.hidden ? '' : t('reg.method.whole', { method: methodSel.selectedOptions[0]?.textContent || m });
    schedulePreview(0);
  }
  methodSel.addEventListener('change', () => setMethod(methodSel.value));
  methodSel.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); focusPayment(); } });
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
  tendered.addEventListener('input', () => schedulePreview(PREVIEW_DELAY));
  tendered.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); submit(); } });
  function schedulePreview(delay) {
    clearTimeout(st.previewTimer);
    st.previewTimer = setTimeout(runPreview, delay);
  }
  function runPreview() {
    const seq = ++st.previewSeq;
    const q = st.quote;
    const lines = payments();
    const quiet = st.method === 'mixed' && !lines.length;
    if (!q || quiet) { renderChange(null, null); return; }
    api.paymentPreview(q.due_fen, lines).then((res) => {
      if (seq === st.previewSeq) renderChange(res, null);
    }, (err) => {
      if (seq === st.previewSeq) renderChange(null, err);
    });
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
      let path = null;
      if (r.receipt_id != null) {
        try { path = await api.receiptOpen(r.receipt_id, false); } catch (e) { toast(e.message, 'error'); }
      }
      toast(t('reg.done', { n: r.queue_no, change: yuan(r.change_fen) }), 'ok');
      showLast(r, path);
      resetAll();
      refreshAfterChange();
    } finally {
      st.busy = false;
      submitBtn.disabled = !st.patient;
    }
  }

  function showLast(r, path) {
    clear(last);
    last.hidden = false;
    add(last, 
      el('span', { text: t('reg.last', { n: r.queue_no }) }),
      r.receipt_number ? el('span.num#reg-last-receipt', { text: r.receipt_number, title: path || '' }) : null,
      el('span.last-change', {}, t('reg.change'), ' ', el('strong.num#reg-last-change', { text: yuan(r.change_fen) })),
      r.receipt_id != null ? el('button.linkbtn', { type: 'button', onclick: () => reprint(r.receipt_id) }, t('reg.reprint')) : null);
    if (path) last.dataset.path = path;
  }

  async function reprint(receiptId) {
    try {
      const path = await api.receiptOpen(receiptId, true);
      toast(t('reg.reprinted', { file: path.split(/[\\/]/).pop() }), 'ok');
    } catch (e) { toast(e.message, 'error'); }
  }

  /** The screen as it is for the next patient: nothing of the previous one stays. */
  function resetAll({ keepFocus = false } = {}) {
    for (const timer of [st.searchTimer, st.suggestTimer, st.quoteTimer, st.previewTimer]) clearTimeout(timer);
    st.searchTimer = st.suggestTimer = st.quoteTimer = null;
    st.quoteSeq++;
    st.previewSeq++;
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
          waiting ? el('button.btn.small.act-cancel', { type: 'button', onclick: () => cancelDialog(r) }, t('reg.cancel')) : null,
          waiting ? el('button.btn.small.act-change', { type: 'button', onclick: () => changeDialog(r) }, t('reg.change_doctor')) : null,
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
    if (kind === 'cancel') cancelDialog(row); else changeDialog(row);
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

  // ---- 退号 ----
  function cancelDialog(row) {
    const reason = el('select#cancel-reason', {}, CANCEL_REASONS.map(([v, k]) => el('option', { value: v, text: t(`reg.cancel.reason.${k}`) })));
    const note = el('input#cancel-note', { autocomplete: 'off', maxlength: 60, placeholder: t('reg.cancel.note.placeholder') });
    const approverUser = el('input#cancel-approver-user', { autocomplete: 'off', maxlength: 32, spellcheck: 'false' });
    const approverPass = el('input#cancel-approver-pass', { type: 'password', maxlength: 128 });
    const approval = el('div.approval', { hidden: true },
      el('p.warn-text', { text: t('reg.cancel.approval') }),
      el('div.form', {},
        el('label', { for: 'cancel-approver-user', text: t('reg.cancel.approver') }), el('div.field', {}, approverUser),
        el('label', { for: 'cancel-approver-pass', text: t('login.password') }), el('div.field', {}, approverPass)));
    const error = el('div.form-error#cancel-error', { hidden: true, role: 'alert' });
    const confirm = el('button.btn.danger#cancel-confirm', { type: 'button' }, t('reg.cancel.confirm', { amount: yuan(row.due_fen) }));
    const body = el('div', {},
      el('p', { text: t('reg.cancel.what', { name: row.patient_name, dept: row.department_name, doctor: row.doctor_name, n: row.queue_no, receipt: row.receipt_number || '' }) }),
      el('div.form', {},
        el('label', { for: 'cancel-reason', text: t('reg.reason') }), el('div.field', {}, reason),
        el('label', { for: 'cancel-note', text: t('reg.reason.note') }), el('div.field', {}, note)),
      approval, error);
    let d;
    const go = async () => {
      error.hidden = true;
      confirm.disabled = true;
      const text = note.value.trim();
      const input = { registration_id: row.id, reason: text ? `${reason.value}：${text}` : reason.value };
      if (!approval.hidden) Object.assign(input, { approver_username: approverUser.value.trim(), approver_password: approverPass.value });
      try {
        const res = await api.registrationCancel(input);
        d.close();
        toast(t('reg.cancel.done', { amount: yuan(res.refunded_fen), n: row.queue_no }), 'ok');
        refreshAfterChange();
      } catch (err) {
        approverPass.value = '';
        error.hidden = false;
        error.textContent = err.message;
        if (err.code === 'shift_stale') { d.close(); staleShift(); return; }
        if (err.code === 'approval_needed' || (!approval.hidden && ['bad_credentials', 'approver_not_supervisor', 'account_locked', 'account_inactive'].includes(err.code))) {
          approval.hidden = false;
          (approverUser.value ? approverPass : approverUser).focus();
        }
      } finally {
        confirm.disabled = false;
      }
    };
    confirm.addEventListener('click', go);
    const cancel = el('button.btn', { type: 'button', onclick: () => d.close() }, t('common.cancel'), ' ', kbd('Esc'));
    d = dialog(t('reg.cancel.title'), body, [cancel, confirm], { onClose: () => { if (st.todayOpen) loadToday(); } });
    body.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter') return;
      e.preventDefault();
      if (e.target === reason) note.focus();
      else if (e.target === note && approval.hidden) confirm.focus();
      else if (e.target === note || e.target === approverUser) (e.target === note ? approverUser : approverPass).focus();
      else if (e.target === approverPass) go();
    });
    reason.focus();
  }

  // ---- 换号 ----
  // Rust quotes the change as the choice changes (registration_change_quote): the new slot and
  // the fee difference — 补收 when the new registration is dearer, 退还 by the original method
  // when it is cheaper. Payment lines are asked for only when there is something to take.
  function changeDialog(row) {
    const reason = el('select#change-reason', {}, CHANGE_REASONS.map(([v, k]) => el('option', { value: v, text: t(`reg.change.reason.${k}`) })));
    const note = el('input#change-note', { autocomplete: 'off', maxlength: 60, placeholder: t('reg.cancel.note.placeholder') });
    const dept = el('select#change-dept', {}, st.ref.departments.map((x) => el('option', { value: String(x.id), text: x.name })));
    const doctor = el('select#change-doctor');
    const type = el('select#change-type', {}, st.ref.types.map((x) => el('option', { value: String(x.id), text: `${x.name} ${yuan(x.fee_fen)}` })));
    const method = el('select#change-method', {}, st.ref.methods.map((m) => el('option', { value: m.code, text: m.name })));
    const tend = el('input#change-tendered.money-input.small', { inputmode: 'decimal', autocomplete: 'off', maxlength: 12, placeholder: '0.00' });
    const changeOut = el('strong.money-mid.num#change-change', { text: '—' });
    const quoteLine = el('div.muted#change-quote');
    const diffLine = el('div.change-diff#change-diff');
    const tendRow = [el('label', { for: 'change-tendered', text: t('reg.tendered') }), el('div.field', {}, field('tendered', '', tend)),
      el('label', { text: t('reg.change') }), el('div.field', {}, changeOut)];
    tendRow[1].querySelector('label').remove();
    const payBox = el('div.form.change-pay#change-pay', { hidden: true },
      el('label', { for: 'change-method', text: t('reg.change.pay') }), el('div.field', {}, method, el('div.hint', { text: t('reg.change.pay.hint') })),
      tendRow);
    const error = el('div.form-error#change-error', { hidden: true, role: 'alert' });
    const confirm = el('button.btn.primary#change-confirm', { type: 'button' }, t('reg.change.confirm'));
    const deptNow = st.ref.departments.find((x) => x.name === row.department_name);
    if (deptNow) dept.value = String(deptNow.id);
    const typeNow = st.ref.types.find((x) => x.name === row.registration_type_name);
    if (typeNow) type.value = String(typeNow.id);
    const fillDoctors = () => {
      const id = Number(dept.value);
      clear(doctor);
      add(doctor, el('option', { value: '', text: t('reg.change.auto') }));
      for (const x of st.duty.filter((d) => d.department_id === id && d.session === session)) {
        const o = el('option', { value: String(x.doctor_id), text: `${x.doctor_name} ${x.title} · ${t('reg.waiting', { n: x.waiting })}` });
        if (x.doctor_name === row.doctor_name) o.textContent += ` · ${t('reg.change.current')}`;
        add(doctor, o);
      }
    };
    let q = null;
    let seq = 0;
    let quoteP = Promise.resolve();
    let previewSeq = 0;
    const toCollect = () => !!q && q.difference_fen > 0;
    const renderPay = () => {
      payBox.hidden = !toCollect();
      const cash = method.value === 'cash';
      for (const n of tendRow) n.hidden = !cash;
      if (!q) confirm.textContent = t('reg.change.confirm');
      else if (q.difference_fen > 0) confirm.textContent = t('reg.change.confirm.collect', { amount: yuan(q.difference_fen) });
      else if (q.difference_fen < 0) confirm.textContent = t('reg.change.confirm.refund', { amount: yuan(q.difference_fen).replace('-', '') });
      else confirm.textContent = t('reg.change.confirm');
      previewChange();
    };
    // 唱收唱付 for the difference: Rust checks the tendered cash and gives the change.
    const previewChange = async () => {
      const my = ++previewSeq;
      showError([payBox], null, null);
      changeOut.textContent = '—';
      if (!toCollect() || method.value !== 'cash' || !tend.value.trim()) return;
      try {
        const lines = await api.paymentPreview(q.difference_fen, [{ method: 'cash', amount: '', tendered: tend.value.trim() }]);
        if (my !== previewSeq) return;
        const cashLine = lines.find((l) => l.change_fen != null);
        changeOut.textContent = cashLine ? yuan(cashLine.change_fen) : '—';
      } catch (err) {
        if (my === previewSeq) showError([payBox], null, { ...err, field: 'tendered' });
      }
    };
    const requote = () => {
      const my = ++seq;
      q = null;
      clear(quoteLine);
      clear(diffLine);
      error.hidden = true;
      renderPay();
      quoteP = api.registrationChangeQuote({
        registration_id: row.id,
        department_id: Number(dept.value) || null,
        doctor_id: Number(doctor.value) || null,
        registration_type_id: Number(type.value) || null,
      }).then((res) => {
        if (my !== seq) return;
        q = res;
        add(quoteLine, t('reg.change.quote', { dept: q.duty.department_name, doctor: q.duty.doctor_name, fee: yuan(q.due_fen), old: yuan(q.old_due_fen) }));
        const d = q.difference_fen;
        if (d > 0) add(diffLine, el('span.money-label', { text: t('reg.change.collect') }), el('span.money-mid.num', { text: yuan(d) }));
        else if (d < 0) add(diffLine, el('span.money-label', { text: t('reg.change.refund') }), el('span.money-mid.num', { text: yuan(d).replace('-', '') }));
        else add(diffLine, el('span.muted', { text: t('reg.change.no_difference') }));
        renderPay();
      }, (err) => {
        if (my !== seq) return;
        error.hidden = false;
        error.textContent = err.message;
      });
    };
    fillDoctors();
    dept.addEventListener('change', () => { fillDoctors(); requote(); });
    doctor.addEventListener('change', requote);
    type.addEventListener('change', requote);
    method.addEventListener('change', renderPay);
    tend.addEventListener('input', previewChange);
    // Nothing is chosen yet: the quote comes with the first change.
    add(quoteLine, t('reg.change.choose'));
    const body = el('div', {},
      el('p', { text: t('reg.change.what', { name: row.patient_name, dept: row.department_name, doctor: row.doctor_name, n: row.queue_no }) }),
      el('div.form', {},
        el('label', { for: 'change-reason', text: t('reg.reason') }), el('div.field', {}, reason),
        el('label', { for: 'change-note', text: t('reg.reason.note') }), el('div.field', {}, note),
        el('label', { for: 'change-dept', text: t('reg.dept') }), el('div.field', {}, dept),
        el('label', { for: 'change-doctor', text: t('reg.doctor') }), el('div.field', {}, doctor),
        el('label', { for: 'change-type', text: t('reg.type') }), el('div.field', {}, type)),
      quoteLine, diffLine, payBox, error);
    let d;
    const go = async () => {
      error.hidden = true;
      confirm.disabled = true;
      const text = note.value.trim();
      try {
        await quoteP;
        const r = await api.registrationChange({
          registration_id: row.id,
          department_id: Number(dept.value) || null,
          doctor_id: Number(doctor.value) || null,
          registration_type_id: Number(type.value) || null,
          reason: text ? `${reason.value}：${text}` : reason.value,
          payments: toCollect() ? [{ method: method.value, amount: '', tendered: method.value === 'cash' ? tend.value.trim() : '' }] : [],
        });
        d.close();
        if (r.receipt_id != null) { try { await api.receiptOpen(r.receipt_id, false); } catch (e) { toast(e.message, 'error'); } }
        const money = r.due_fen > 0 ? t('reg.change.paid', { amount: yuan(r.due_fen), change: yuan(r.change_fen) })
          : r.due_fen < 0 ? t('reg.change.refunded', { amount: yuan(r.due_fen).replace('-', '') }) : '';
        toast(`${t('reg.change.done', { n: r.queue_no })}${money}`, 'ok');
        refreshAfterChange();
      } catch (err) {
        if (!showError([payBox], null, err)) {
          error.hidden = false;
          error.textContent = err.message;
        }
      } finally {
        confirm.disabled = false;
      }
    };
    confirm.addEventListener('click', go);
    body.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter') return;
      e.preventDefault();
      const order = [reason, note, dept, doctor, type, method, tend].filter((n) => n.offsetParent !== null);
      const i = order.indexOf(e.target);
      if (i >= 0 && i < order.length - 1) order[i + 1].focus(); else go();
    });
    const cancel = el('button.btn', { type: 'button', onclick: () => d.close() }, t('common.cancel'), ' ', kbd('Esc'));
    d = dialog(t('reg.change.title'), body, [cancel, confirm], { onClose: () => { if (st.todayOpen) loadToday(); } });
    d.node.classList.add('wide');
    reason.focus();
  }

  // ---- 预约: book for the patient on screen (F10); today's bookings and the no-shows ----
  function bookDialog() {
    if (screenKeysBlocked()) return;
    if (!st.patient) { showError([payPanel], payError, { message: t('appt.need_patient') }); search.focus(); return; }
    const p = st.patient;
    const date = el('input#appt-date.date-input', { value: st.businessDate, maxlength: 10, autocomplete: 'off', spellcheck: 'false' });
    const sessionSel = el('select#appt-session', {}, ['am', 'pm', 'eve'].map((x) => el('option', { value: x, text: sessionLabel(x) })));
    sessionSel.value = session;
    const doctorSel = el('select#appt-doctor');
    const channel = el('select#appt-channel', {},
      el('option', { value: 'phone', text: t('appt.channel.phone') }), el('option', { value: 'online', text: t('appt.channel.online') }));
    const error = el('div.form-error#appt-error', { hidden: true, role: 'alert' });
    const formBox = el('div.appt-form', {},
      field('date', t('appt.date'), date, el('div.hint', { text: t('appt.date.hint') })),
      field('session', t('appt.session'), sessionSel),
      toggle(field('doctor_id', t('appt.doctor'), doctorSel), 'span2', true),
      field('channel', t('appt.channel'), channel));
    const body = el('div', {},
      el('p.appt-who', {}, el('strong', { text: p.name }), ' ', el('span.num.muted', { text: t('reg.card_no', { no: p.card_no }) })),
      formBox, error);
    let slots = [];
    let seq = 0;
    const fillDoctors = () => {
      const keep = doctorSel.value;
      clear(doctorSel);
      const list = slots.filter((x) => x.session === sessionSel.value);
      if (!list.length) add(doctorSel, el('option', { value: '', text: t('appt.doctor.none') }));
      for (const x of list) add(doctorSel, el('option', { value: String(x.doctor_id), text: `${x.department_name} · ${x.doctor_name}` }));
      const dept = currentDept();
      if (keep && list.some((x) => String(x.doctor_id) === keep)) doctorSel.value = keep;
      else if (dept && list.some((x) => x.department_id === dept)) doctorSel.value = String(list.find((x) => x.department_id === dept).doctor_id);
    };
    // The schedule of the chosen day, as the admin's week grid reads it.
    const loadSlots = async () => {
      const my = ++seq;
      showError([formBox], error, null);
      try {
        const list = await api.referenceList('duty', { from: date.value.trim(), days: 1 });
        if (my !== seq) return;
        slots = list;
      } catch (e) {
        if (my !== seq) return;
        slots = [];
        showError([formBox], error, e);
      }
      fillDoctors();
    };
    date.addEventListener('input', () => { if (date.value.trim().length === 10) loadSlots(); });
    date.addEventListener('change', loadSlots);
    sessionSel.addEventListener('change', fillDoctors);
    loadSlots();
    let d;
    const book = el('button.btn.primary#appt-book', { type: 'button' }, t('appt.book'), ' ', kbd('Enter'));
    const cancel = el('button.btn', { type: 'button', onclick: () => d.close() }, t('common.cancel'), ' ', kbd('Esc'));
    const done = (a) => {
      clear(body);
      add(body, el('div.appt-done', {},
        el('div.muted', { text: t('appt.done.label') }),
        el('div.appt-number.num#appt-number', { text: a.number }),
        el('div', { text: t('appt.done.what', { name: a.patient_name, date: a.date, session: sessionLabel(a.session), dept: a.department_name, doctor: a.doctor_name, channel: t(`appt.channel.${a.channel}`) }) }),
        el('p.muted', { text: t('appt.done.hint') })));
      const actions = d.node.querySelector('.actions');
      const ok = el('button.btn.primary#appt-done', { type: 'button', onclick: () => d.close() }, t('appt.done.close'), ' ', kbd('Enter'));
      clear(actions);
      add(actions, ok);
      ok.focus();
      refreshAlerts();
    };
    const go = async () => {
      book.disabled = true;
      try {
        const a = await api.appointmentBook({ patient_id: p.id, doctor_id: Number(doctorSel.value) || 0, date: date.value.trim(), session: sessionSel.value, channel: channel.value });
        done(a);
      } catch (e) {
        const f = showError([formBox], error, e);
        f?.querySelector('input, select')?.focus();
      } finally {
        book.disabled = false;
      }
    };
    book.addEventListener('click', go);
    formBox.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter') return;
      e.preventDefault();
      const order = [date, sessionSel, doctorSel, channel];
      const i = order.indexOf(e.target);
      if (i >= 0 && i < order.length - 1) order[i + 1].focus(); else go();
    });
    d = dialog(t('appt.title'), body, [cancel, book], { onClose: () => { if (!st.patient) search.focus(); } });
    d.node.classList.add('wide');
    doctorSel.focus();
  }

  /** Today's bookings, or those whose session is over without a check-in (预约未到). Enter on a booking of today checks it in. */
  function appointmentList(which) {
    const box = el('div.table-scroll#appt-list');
    const tabToday = el('button#appt-tab-today', { type: 'button', onclick: () => load('today') }, t('appt.list.today'));
    const tabMissed = el('button#appt-tab-missed', { type: 'button', onclick: () => load('missed') }, t('appt.list.missed'));
    const hint = el('p.faint', { text: t('appt.list.hint') });
    let d;
    const load = async (kind) => {
      tabToday.classList.toggle('current', kind === 'today');
      tabMissed.classList.toggle('current', kind === 'missed');
      clear(box);
      let list;
      try { list = await api.appointments(kind === 'missed'); } catch (e) { add(box, el('div.form-error', { text: e.message })); return; }
      add(box, table([
        { label: t('appt.col.number'), get: (a) => a.number, className: 'num' },
        { label: t('reg.col.patient'), get: (a) => a.patient_name },
        { label: t('reg.col.card'), get: (a) => a.card_no, className: 'num' },
        { label: t('appt.session'), get: (a) => sessionLabel(a.session) },
        { label: t('reg.col.dept'), get: (a) => a.department_name },
        { label: t('reg.col.doctor'), get: (a) => a.doctor_name },
        { label: t('appt.channel'), get: (a) => t(`appt.channel.${a.channel}`) },
        { label: t('reg.col.status'), get: (a) => el(`span.pill${a.status === 'checked_in' ? '.ok' : kind === 'missed' ? '.warn' : ''}`, { text: t(`appt.status.${a.status}`) }) },
      ], list, { onOpen: (a) => { if (a.status === 'booked' && a.date === st.businessDate) { d.close(); checkIn(a); } } }));
      box.querySelector('tr[tabindex]')?.focus();
    };
    const close = el('button.btn', { type: 'button', onclick: () => d.close() }, t('shortcuts.close'));
    d = dialog(t('appt.list.title'), el('div', {}, el('div.tabs', { role: 'tablist' }, tabToday, tabMissed), hint, box), [close]);
    d.node.classList.add('wide');
    load(which);
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
    scheduleQuote(0);
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
    if (k === 'F10') bookDialog();
  };
  window.addEventListener('keydown', onKey);
}
