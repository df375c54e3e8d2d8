// 新患者: the new-patient form (F3), by keyboard — Enter moves to the next field and saves on the
// last. What was typed in the search box is guessed into the name, phone or ID number. Rust
// checks every field (the error lands beside it) and looks for likely duplicates first: the desk
// then takes one of them, or confirms that this is someone new.
import { api } from '../../api.js';
import { t } from '../../i18n.js';
import { el, clear, toast, dialog, form } from '../../ui.js';
import { add, kbd, sexLabel } from './shared.js';

// Values stored with the patient are the hospital's own words (Chinese); the label follows the language.
const HEARD_VIA = [['网络', 'web'], ['电视广告', 'tv'], ['户外广告', 'outdoor'], ['朋友推荐', 'friend'], ['老患者介绍', 'old'], ['路过', 'passing'], ['其他', 'other']];

/**
 * Opens the form; `query` is what the search box holds. onChosen(hit) with the patient saved or
 * taken from the duplicates (a search hit, as the desk selects it); onClose() whenever the
 * dialog closes.
 */
export function newPatientDialog(query, { onChosen, onClose }) {
  const q = query.trim();
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
    onChosen(hit || { id: patient.id, card_no: patient.card_no, name: patient.name, sex: patient.sex, age: patient.age, phone_masked: null, id_number_masked: null, last_visit_at: patient.last_visit_at });
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
  d = dialog(t('patient.new'), el('div', {}, f.node, dups), [cancel, ok], { onClose });
  d.node.classList.add('wide');
  f.inputs.name.focus();
}
