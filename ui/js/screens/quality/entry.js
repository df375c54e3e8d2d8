// 问卷录入: paper forms typed in quickly at the guide desk, one form after another, without the
// mouse. Alt+Q from any screen (for those who enter forms) opens it: the questionnaire, the
// form's date and department stay from one form to the next; each item is a row of keys —
// 1 满意 · 2 一般 · 3 不满意 (or 1 从未 · 2 有时 · 3 经常 · 4 总是), 0 left blank — that moves on
// by itself; words are typed and Enter moves on; F9 (or Enter on the last) keeps the form and
// clears the items for the next. Rust checks every answer against its item's scale and names
// the item that is wrong; nothing of a refused form is kept.
import { api } from '../../api.js';
import { t, shipped, paren } from '../../i18n.js';
import { el, clear, dialog, field, showFieldError, refusals, enterMovesOn, toast } from '../../ui.js';

let open = false;

export async function openSurveyEntry() {
  if (open) return;
  open = true;
  let forms;
  let choices;
  try {
    [forms, choices] = await Promise.all([api.surveyQuestionnaires(), api.complaintChoices().catch(() => ({ departments: [] }))]);
  } catch (e) {
    open = false;
    toast(e.message, 'error');
    return;
  }
  const which = el('select#sv-q', {}, forms.map((q) => el('option', { value: String(q.id), text: `${shipped(q.name)}${paren(`${q.form_no} · ${t('survey.version', { n: q.version })}`)}` })));
  const date = el('input.date-input#sv-date', { maxlength: 10, autocomplete: 'off', placeholder: t('survey.today') });
  const dept = el('select#sv-dept', {}, el('option', { value: '', text: t('survey.no_department') }), choices.departments.map((d) => el('option', { value: String(d.id), text: d.name })));
  const itemsBox = el('div.sv-items#sv-items');
  const general = el('div.form-error', { hidden: true });
  const tally = el('span.muted#sv-tally');
  let rows = [];
  let values = {};

  const build = () => {
    const q = forms.find((f) => String(f.id) === which.value);
    clear(itemsBox);
    values = {};
    rows = q.items.map((item) => {
      if (item.scale === 'text') {
        const box = el('textarea', { id: `sv-item-${item.code}`, rows: 2, maxlength: 500, dataset: { code: item.code } });
        box.addEventListener('input', () => { values[item.code] = box.value; });
        itemsBox.append(field('survey_answer', `${item.position}. ${shipped(item.text)}`, box));
        return box;
      }
      const scale = item.scale === 'frequency'
        ? ['never', 'sometimes', 'often', 'always']
        : ['satisfied', 'neutral', 'dissatisfied'];
      const row = el(`div.rate-row#sv-item-${item.code}`, { tabindex: '0', dataset: { code: item.code } });
      const keys = scale.map((v, i) => el('button.btn.small.rate', { type: 'button', tabindex: '-1', dataset: { rating: v }, onclick: () => { set(v); row.focus(); } }, el('kbd', { text: String(i + 1) }), ' ', t(`survey.value.${v}`)));
      const blank = el('button.btn.small.rate', { type: 'button', tabindex: '-1', dataset: { rating: '' }, onclick: () => { set(''); row.focus(); } }, el('kbd', { text: '0' }), ' ', t('survey.blank'));
      row.append(...keys, blank);
      const set = (v) => {
        values[item.code] = v;
        row.querySelectorAll('.rate').forEach((b) => b.classList.toggle('current', b.dataset.rating === v));
      };
      row.addEventListener('keydown', (e) => {
        const i = ['1', '2', '3', '4'].slice(0, scale.length).indexOf(e.key);
        if (i >= 0 || e.key === '0') {
          e.preventDefault();
          e.stopPropagation();
          set(i >= 0 ? scale[i] : '');
          const list = order();
          const next = list[list.indexOf(row) + 1];
          if (next) next.focus(); else save();
        }
      });
      itemsBox.append(field('survey_answer', `${item.position}. ${shipped(item.text)}`, row));
      return row;
    });
  };
  which.addEventListener('change', build);
  build();

  const order = () => [which, date, dept, ...rows];
  const head = el('div.intake-grid', {}, field('questionnaire', t('survey.questionnaire'), which), field('taken_on', t('survey.taken_on'), date), field('department_id', t('survey.department'), dept));
  const body = el('div.survey-entry', {},
    head,
    general,
    el('p.muted', { text: t('survey.keys') }),
    itemsBox);
  enterMovesOn(body, order, { onLast: () => save() });
  body.addEventListener('keydown', (e) => { if (e.key === 'F9') { e.preventDefault(); save(); } });

  let busy = false;
  async function save() {
    if (busy) return;
    busy = true;
    showFieldError([body], general, null);
    const q = forms.find((f) => String(f.id) === which.value);
    try {
      const n = await api.surveyRecord({
        version_id: q.version_id, taken_on: date.value, department_id: dept.value ? Number(dept.value) : null,
        answers: Object.fromEntries(Object.entries(values).filter(([, v]) => v !== '')),
      });
      toast(t('survey.saved', { n }), 'ok');
      tally.textContent = t('survey.tally', { n });
      build();
      body.scrollTop = 0;
      rows[0]?.focus();
    } catch (err) {
      // Every refusal beside its place, the form as typed: the date or department beside its
      // field, each wrong item (第 3 题…) on its row; the cursor on the first.
      const all = refusals(err);
      const onItems = all.filter((e) => e.details?.position);
      const rest = all.filter((e) => !e.details?.position);
      const first = rest.length ? showFieldError([head], general, { errors: rest }) : null;
      for (const e of onItems) {
        const place = rows[e.details.position - 1]?.closest('.rfield');
        if (!place) { general.hidden = false; general.textContent = e.message; continue; }
        place.classList.add('has-error');
        place.querySelector('.field-error').textContent = e.message;
      }
      const cursor = first?.querySelector('input, select') || rows[(onItems[0]?.details.position ?? 0) - 1];
      (cursor || rows[0])?.focus();
    } finally {
      busy = false;
    }
  }

  const saveBtn = el('button.btn.primary#sv-save', { type: 'button', onclick: save }, t('survey.save'), ' ', el('kbd', { text: 'F9' }));
  const close = el('button.btn', { type: 'button', onclick: () => d.close() }, t('common.close'), ' ', el('kbd', { text: 'Esc' }));
  const d = dialog(t('survey.title'), body, [tally, close, saveBtn], { onClose: () => { open = false; } });
  d.node.classList.add('wide');
  d.node.id = 'survey-entry';
  api.surveyEnteredToday().then((n) => { tally.textContent = t('survey.tally', { n }); }, () => {});
  which.focus();
}
