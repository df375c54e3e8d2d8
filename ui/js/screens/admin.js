// 管理: hospital profile, reference data (departments, doctors, schedule, fees, payment methods,
// triage keywords), staff accounts, backups and the audit log. Which tabs appear follows the
// role's permissions from Rust (`status.can`); Rust checks them again on every save.
import { api } from '../api.js';
import { t, yuan, yuanPlain, when, shipped, paren } from '../i18n.js';
import { el, clear, toast, formDialog, confirmDialog, table, form, dialog, field, showFieldError, refusals } from '../ui.js';

let state = { tab: null };

export function mount(root, { status }) {
  state.roles = status.roles;
  const tabs = [];
  if (status.can.reference) tabs.push('hospital', 'department', 'doctor', 'duty', 'registration_type', 'payment_method', 'triage_keyword', 'promotion', 'person', 'complaint_category', 'complaint_tier', 'calendar_day', 'followup_setting', 'questionnaire');
  if (status.can.staff) tabs.push('staff');
  if (status.can.reference) tabs.push('printers');
  if (status.can.backups) tabs.push('backups', 'retention');
  if (status.can.audit) tabs.push('audit');
  if (!tabs.includes(state.tab)) state.tab = tabs[0];
  const bar = el('div.tabs', { role: 'tablist' });
  const body = el('div#admin-body');
  const select = (tab) => {
    state.tab = tab;
    bar.querySelectorAll('button').forEach((b) => b.classList.toggle('current', b.dataset.tab === tab));
    render(clear(body), tab, status);
  };
  for (const tab of tabs) {
    bar.append(el('button', { type: 'button', role: 'tab', dataset: { tab }, onclick: () => select(tab) }, t(`admin.tab.${tab}`)));
  }
  root.append(el('h1', { text: t('admin.title') }), bar, body);
  select(state.tab);
  // F3: a new record on the current table.
  root.addEventListener('keydown', (e) => {
    if (e.key === 'F3') { e.preventDefault(); body.querySelector('button.new')?.click(); }
  });
}

function render(body, tab, status) {
  const loading = el('p.muted', { text: t('common.loading') });
  body.append(loading);
  const done = (p) => p.catch((e) => { body.append(el('div.form-error', { text: e.message })); }).finally(() => loading.remove());
  switch (tab) {
    case 'hospital': return done(hospital(body));
    case 'followup_setting': return done(followupSettings(body));
    case 'questionnaire': return done(questionnaires(body));
    case 'duty': return done(duty(body));
    case 'promotion': return done(promotions(body));
    case 'staff': return done(staff(body));
    case 'printers': return done(printers(body));
    case 'backups': return done(backups(body));
    case 'retention': return done(retention(body));
    case 'audit': return done(audit(body));
    default: return done(simpleTable(body, tab));
  }
}

const activePill = (a) => el(`span.pill${a ? '.ok' : ''}`, { text: a ? t('common.active') : t('common.inactive') });
const newButton = (onclick) => el('button.btn.primary.new', { type: 'button', onclick }, t('common.new'), ' ', el('kbd', { text: 'F3' }));

// ---- hospital profile ------------------------------------------------------------------

async function hospital(body) {
  const h = await api.referenceList('hospital');
  const f = form([
    { key: 'name', label: t('field.hospital_name') },
    { key: 'time_zone', label: t('field.time_zone') },
    { key: 'receipt_header', label: t('field.receipt_header') },
    { key: 'idle_lock_minutes', label: t('field.idle_lock_minutes'), type: 'number' },
    { key: 'refund_approval_yuan', label: t('field.refund_approval_yuan'), errorKey: 'refund_approval_fen', hint: t('field.refund_approval_hint'), maxlength: 12 },
    { key: 'waiting_alert', label: t('field.waiting_alert'), type: 'number', hint: t('field.waiting_alert_hint') },
    { key: 'close_approval_yuan', label: t('field.close_approval_yuan'), errorKey: 'close_approval_fen', hint: t('field.close_approval_hint'), maxlength: 12 },
  ], { ...h, refund_approval_yuan: yuanPlain(h.refund_approval_fen), close_approval_yuan: yuanPlain(h.close_approval_fen) }, async (v) => {
    await api.referenceSave('hospital', v);
    toast(t('common.saved'), 'ok');
  });
  body.append(el('div.panel', {}, f.node, el('div.actions', {}, el('button.btn.primary', { type: 'button', onclick: () => f.node.requestSubmit() }, t('common.save'), ' ', el('kbd', { text: 'Enter' })))));
}

// ---- 保存期限: how long each kind of quality record is kept (lengthened only, by Rust and the
// database), and how many are past it — kept, never deleted ---------------------------------

async function retention(body, list = null, said = null) {
  const periods = list || await api.retentionPeriods();
  clear(body);
  const record = el('select#rt-record', {}, periods.map((p) => el('option', { value: p.record, text: shipped(p.register) })));
  const years = el('input#rt-years', { maxlength: 2, autocomplete: 'off' });
  const err = el('div.form-error', { hidden: true });
  const box = el('div.panel#rt-form', {}, el('h3', { text: t('admin.retention.lengthen') }),
    el('div.toolbar.fig-bar', {}, field('retention_record', t('admin.retention.record'), record), field('retention_years', t('admin.retention.years'), years),
      el('button.btn.primary#rt-save', { type: 'button', onclick: () => go() }, t('common.save'), ' ', el('kbd', { text: 'Enter' }))), err);
  const go = async () => {
    showFieldError([box], err, null);
    try { const next = await api.retentionLengthen(record.value, years.value); toast(t('common.saved'), 'ok'); retention(body, next); } catch (e) { showFieldError([box], err, e); years.focus(); }
  };
  years.addEventListener('keydown', (e) => { if (e.key === 'Enter' && !e.isComposing) { e.preventDefault(); go(); } });
  record.addEventListener('keydown', (e) => { if (e.key === 'Enter' && !e.isComposing) { e.preventDefault(); years.focus(); } });
  body.append(el('p.muted', { text: t('admin.retention.note') }), table([
    { label: t('admin.retention.record'), get: (p) => shipped(p.register) },
    { label: t('admin.retention.years'), get: (p) => t('admin.retention.n_years', { n: p.years }), className: 'num' },
    { label: t('admin.retention.manual'), get: (p) => t('admin.retention.n_years', { n: p.default }), className: 'num' },
    { label: t('admin.retention.cutoff'), get: (p) => p.cutoff, className: 'num' },
    { label: t('admin.retention.expired'), get: (p) => String(p.expired), className: 'num' },
    { label: t('admin.retention.personal'), get: (p) => String(p.personal), className: 'num' },
  ], periods, { rowId: (p) => p.record }), removal(body, said), box);
}

// Removing the personal data of records past their period: Rust counts what it would change for
// the confirmation, then changes exactly that in one audited transaction.
function removal(body, said) {
  const err = el('div.form-error', { hidden: true });
  const button = el('button.btn.danger#rt-anonymise', { type: 'button', onclick: () => go() }, t('admin.retention.remove_button'));
  const box = el('div.panel#rt-remove', {}, el('h3', { text: t('admin.retention.remove') }),
    el('p.muted', { text: t('admin.retention.remove_note') }),
    said ? el('p#rt-result', { text: said }) : null,
    el('div.actions', {}, button), err);
  const go = async () => {
    showFieldError([box], err, null);
    button.disabled = true;
    try {
      const due = await api.retentionPending();
      if (!due.complaints && !due.calls && !due.patients) { toast(t('admin.retention.nothing'), 'ok'); return; }
      const yes = await confirmDialog(t('admin.retention.remove'), t('admin.retention.confirm', due), t('admin.retention.remove_action'));
      if (!yes) return;
      // Ten years of records take seconds: the button says it is at work.
      button.textContent = t('admin.retention.working');
      const done = await api.retentionAnonymise();
      const sentence = t('admin.retention.done', done);
      toast(sentence, 'ok');
      await retention(body, null, sentence);
      // The backups made before still hold what was removed: today's can be made again now
      // (the days before leave as they rotate out). Asked over the table that shows none left.
      if (await confirmDialog(t('admin.retention.backup_title'), t('admin.retention.backup_text'), t('admin.retention.backup_action'), false)) {
        // The panel was drawn again: a refusal is said as a message, not in the old panel.
        try {
          const remade = await api.backupRemakeToday();
          await retention(body, null, sentence + t('admin.retention.backup_done', { name: remade.file.name, n: remade.removed.length }));
        } catch (e) { toast(e.message, 'error'); }
      }
    } catch (e) { showFieldError([box], err, e); } finally {
      button.disabled = false;
      button.textContent = t('admin.retention.remove_button');
    }
  };
  return box;
}

// ---- 问卷: the questionnaires and their items; a change of items is a new version (Rust) ---

async function questionnaires(body) {
  const list = await api.questionnaireList();
  body.append(el('p.muted', { text: t('admin.questionnaire_note') }), el('div.toolbar', {}, newButton(() => edit(null))), table([
    { label: t('admin.q.name'), get: (q) => q.name },
    { label: t('admin.q.form_no'), get: (q) => q.form_no },
    { label: t('admin.q.kind'), get: (q) => t(`admin.q.kind.${q.kind}`) },
    { label: t('admin.q.version'), get: (q) => String(q.version), className: 'num' },
    { label: t('admin.q.items'), get: (q) => String(q.items.length), className: 'num' },
    { label: t('admin.q.responses'), get: (q) => String(q.responses), className: 'num' },
    { label: t('common.state'), get: (q) => activePill(q.active) },
  ], list, { onOpen: (q) => edit(q), rowId: (q) => q.code }));

  function edit(q) {
    const code = el('input#qe-code', { maxlength: 30, autocomplete: 'off', value: q?.code || '' });
    const name = el('input#qe-name', { maxlength: 60, autocomplete: 'off', value: q?.name || '' });
    const kind = el('select#qe-kind', {}, ['outpatient', 'inpatient', 'own'].map((k) => el('option', { value: k, text: t(`admin.q.kind.${k}`) })));
    kind.value = q?.kind || 'own';
    const formNo = el('input#qe-form-no', { maxlength: 30, autocomplete: 'off', value: q?.form_no || '' });
    const active = el('input#qe-active', { type: 'checkbox', checked: q ? q.active : true });
    const rows = el('tbody#qe-items');
    const scales = ['satisfaction', 'frequency', 'text'];
    const aspects = ['', 'registration', 'guide', 'doctor', 'nursing', 'environment', 'overall'];
    const addRow = (item = {}) => {
      const scale = el('select.qe-scale', {}, scales.map((x) => el('option', { value: x, text: t(`admin.q.scale.${x}`) })));
      scale.value = item.scale || 'satisfaction';
      const aspect = el('select.qe-aspect', {}, aspects.map((x) => el('option', { value: x, text: x ? t(`followup.aspect.${x}`) : t('admin.q.no_aspect') })));
      aspect.value = item.aspect || '';
      const remove = el('button.btn.small', { type: 'button', onclick: () => tr.remove() }, t('common.delete'));
      const tr = el('tr', {}, el('td', {}, el('input.qe-code', { maxlength: 30, autocomplete: 'off', value: item.code || '' })),
        el('td', {}, el('input.qe-text', { maxlength: 100, autocomplete: 'off', value: item.text || '' })),
        el('td', {}, scale), el('td', {}, aspect), el('td', {}, remove));
      rows.append(tr);
      return tr;
    };
    (q?.items || []).forEach(addRow);
    if (!q) addRow();
    const err = el('div.form-error', { hidden: true });
    const box = el('div', {}, el('div.intake-grid', {}, field('questionnaire_code', t('admin.q.code'), code), field('questionnaire_name', t('admin.q.name'), name), field('questionnaire_kind', t('admin.q.kind'), kind),
      field('form_no', t('admin.q.form_no'), formNo), el('label.check', {}, active, ' ', t('common.active'))),
      q?.responses ? el('p.warn-text', { text: t('admin.q.answered', { n: q.responses, v: q.version }) }) : null,
      el('table.grid.qe-table', {}, el('thead', {}, el('tr', {}, [t('admin.q.item_code'), t('admin.q.item_text'), t('admin.q.scale'), t('admin.q.aspect'), ''].map((h) => el('th', { text: h })))), rows),
      el('button.btn.small#qe-add', { type: 'button', onclick: () => addRow().querySelector('input').focus() }, t('admin.q.add_item')), err);
    const save = async () => {
      showFieldError([box], err, null);
      rows.querySelectorAll('.invalid').forEach((c) => c.classList.remove('invalid'));
      const items = [...rows.querySelectorAll('tr')].map((tr) => ({
        code: tr.querySelector('.qe-code').value, text: tr.querySelector('.qe-text').value,
        scale: tr.querySelector('.qe-scale').value, aspect: tr.querySelector('.qe-aspect').value || null,
      }));
      try {
        await api.questionnaireSave({ id: q?.id ?? null, code: code.value, name: name.value, kind: kind.value, form_no: formNo.value, active: active.checked, items });
        d.close();
        toast(t('common.saved'), 'ok');
        clear(body);
        questionnaires(body);
      } catch (e) {
        // The questionnaire's fields beside themselves; each row's problems in red on its own
        // cells and said together below the table (第 1 题：请填写题目代码); the cursor on the first.
        const all = refusals(e);
        const onRows = all.filter((x) => x.details?.position);
        const rest = all.filter((x) => !x.details?.position);
        const first = rest.length ? showFieldError([box], err, { errors: rest }) : null;
        const cells = { item_code: '.qe-code', item_text: '.qe-text', scale: '.qe-scale', aspect: '.qe-aspect' };
        const marked = onRows.map((x) => rows.children[x.details.position - 1]?.querySelector(cells[x.field] || 'input')).filter(Boolean);
        marked.forEach((c) => c.classList.add('invalid'));
        if (onRows.length) {
          err.hidden = false;
          err.textContent = [err.textContent, ...onRows.map((x) => x.message)].filter(Boolean).join(t('common.semicolon'));
        }
        (first?.querySelector('input, select') || marked[0])?.focus();
      }
    };
    const d = dialog(q ? q.name : t('admin.q.new'), box, [
      el('button.btn', { type: 'button', onclick: () => d.close() }, t('common.cancel'), ' ', el('kbd', { text: 'Esc' })),
      el('button.btn.primary#qe-save', { type: 'button', onclick: save }, t('common.save')),
    ]);
    d.node.classList.add('wide');
    d.node.id = 'questionnaire-edit';
  }
}

// ---- 回访设置: when calls are due, how often a call not answered is tried ---------------------

async function followupSettings(body) {
  const s = await api.followupSettings();
  const f = form([
    { key: 'first_visit_days', label: t('field.first_visit_days'), type: 'number', hint: t('field.first_visit_days_hint') },
    { key: 'discharge_days', label: t('field.discharge_days'), type: 'number', hint: t('field.discharge_days_hint') },
    { key: 'retry_hours', label: t('field.retry_hours'), type: 'number', hint: t('field.retry_hours_hint') },
    { key: 'max_attempts', label: t('field.max_attempts'), type: 'number', hint: t('field.max_attempts_hint') },
    { key: 'second_days', label: t('field.second_days'), type: 'number', hint: t('field.second_days_hint') },
  ], s, async (v) => {
    const n = (x) => (String(x).trim() === '' || Number.isNaN(Number(x)) ? -1 : Number(x));
    await api.followupSettingsSave(Object.fromEntries(Object.entries(v).map(([k, x]) => [k, n(x)])));
    toast(t('common.saved'), 'ok');
  });
  body.append(el('div.panel', {}, el('p.muted', { text: t('admin.followup_setting_note') }), f.node, el('div.actions', {}, el('button.btn.primary', { type: 'button', onclick: () => f.node.requestSubmit() }, t('common.save'), ' ', el('kbd', { text: 'Enter' })))));
}

// ---- departments, doctors, fees, payment methods, keywords --------------------------------

async function simpleTable(body, kind) {
  const [rows, departments] = await Promise.all([
    api.referenceList(kind),
    (kind === 'doctor' || kind === 'triage_keyword' || kind === 'person') ? api.referenceList('department') : Promise.resolve([]),
  ]);
  const deptOptions = departments.filter((d) => d.active).map((d) => [String(d.id), d.name]);
  const spec = {
    department: {
      columns: [['code', (r) => r.code], ['name', (r) => r.name], ['active', (r) => activePill(r.active)]],
      fields: [{ key: 'code', label: t('field.code') }, { key: 'name', label: t('field.name') }, { key: 'active', label: t('field.active'), type: 'checkbox' }],
    },
    doctor: {
      columns: [['name', (r) => r.name], ['department_name', (r) => r.department_name], ['title', (r) => shipped(r.title)], ['active', (r) => activePill(r.active)]],
      fields: [{ key: 'name', label: t('field.name') }, { key: 'department_id', label: t('field.department_id'), type: 'select', choose: true, options: deptOptions },
        { key: 'title', label: t('field.title'), type: 'select', choose: true, options: ['主任医师', '副主任医师', '主治医师', '住院医师'].map((x) => [x, shipped(x)]) },
        { key: 'active', label: t('field.active'), type: 'checkbox' }],
    },
    registration_type: {
      columns: [['code', (r) => r.code], ['name', (r) => r.name], ['fee', (r) => yuan(r.fee_fen), 'money'], ['active', (r) => activePill(r.active)]],
      fields: [{ key: 'code', label: t('field.code') }, { key: 'name', label: t('field.name') }, { key: 'fee_yuan', label: t('field.fee_yuan'), errorKey: 'fee_fen' }, { key: 'active', label: t('field.active'), type: 'checkbox' }],
      toForm: (r) => ({ ...r, fee_yuan: (r.fee_fen / 100).toFixed(2) }),
    },
    payment_method: {
      columns: [['code', (r) => r.code], ['name', (r) => r.name], ['active', (r) => activePill(r.active)]],
      fields: [{ key: 'code', label: t('field.code') }, { key: 'name', label: t('field.name') }, { key: 'active', label: t('field.active'), type: 'checkbox' }],
    },
    // 人员名录: doctors are listed with the rest but changed under 医生.
    person: {
      columns: [['name', (r) => r.name], ['person_kind', (r) => t(`person.kind.${r.kind}`)], ['department_name', (r) => r.department_name || ''], ['active', (r) => activePill(r.active)]],
      fields: [{ key: 'name', label: t('field.name') }, { key: 'kind', label: t('field.person_kind'), errorKey: 'person_kind', type: 'select', options: ['nurse', 'guide', 'cashier', 'service', 'other'].map((k) => [k, t(`person.kind.${k}`)]) },
        { key: 'department_id', label: t('field.department_id'), type: 'select', options: [['', t('complaint.none_chosen')], ...deptOptions] },
        { key: 'active', label: t('field.active'), type: 'checkbox' }],
      toForm: (r) => ({ ...r, department_id: r.department_id != null ? String(r.department_id) : '' }),
      readOnly: (r) => r.doctor_id != null,
      hint: t('person.hint'),
    },
    complaint_category: {
      columns: [['code', (r) => r.code], ['name', (r) => shipped(r.name)], ['active', (r) => activePill(r.active)]],
      fields: [{ key: 'code', label: t('field.code') }, { key: 'name', label: t('field.name') }, { key: 'active', label: t('field.active'), type: 'checkbox' }],
    },
    // The two tiers are the manual's; only their names and days are edited.
    complaint_tier: {
      columns: [['name', (r) => shipped(r.name)], ['ack_days', (r) => String(r.ack_days), 'num'], ['feedback_days', (r) => String(r.feedback_days), 'num']],
      fields: [{ key: 'name', label: t('field.name') }, { key: 'ack_days', label: t('field.ack_days'), type: 'number' }, { key: 'feedback_days', label: t('field.feedback_days'), type: 'number' }],
      toForm: (r) => ({ ...r, ack_days: String(r.ack_days), feedback_days: String(r.feedback_days) }),
      noNew: true,
      hint: t('tier.hint'),
    },
    // 工作日历: the dates that are not what their weekday says.
    calendar_day: {
      columns: [['date', (r) => r.date, 'num'], ['weekday', (r) => t(`weekday.${r.weekday}`)], ['calendar_working', (r) => el(`span.pill${r.working ? '.ok' : '.warn'}`, { text: r.working ? t('calendar.working') : t('calendar.off') })], ['name', (r) => r.name]],
      fields: [{ key: 'date', label: t('field.date'), hint: 'YYYY-MM-DD', maxlength: 10 }, { key: 'working', label: t('field.calendar_working'), type: 'select', options: [['false', t('calendar.off')], ['true', t('calendar.working')]] }, { key: 'name', label: t('field.calendar_name'), hint: t('field.calendar_name_hint') }],
      toForm: (r) => ({ ...r, working: String(r.working) }),
      toRecord: (v) => ({ ...v, working: v.working === 'true' }),
      deletable: true,
      describe: (r) => `${r.date} ${r.name}`,
      hint: t('calendar.hint'),
      extra: () => el('button.btn#calendar-import', { type: 'button', onclick: async () => {
        try {
          const r = await api.calendarImport();
          if (r) toast(t('calendar.imported', { days: r.days, off: r.holidays, work: r.working, moved: r.cases_moved }), 'ok');
          refresh();
        } catch (e) { toast(e.message, 'error'); }
      } }, t('calendar.import')),
    },
    triage_keyword: {
      columns: [['keyword', (r) => r.keyword], ['department_name', (r) => r.department_name]],
      fields: [{ key: 'keyword', label: t('field.keyword') }, { key: 'department_id', label: t('field.department_id'), type: 'select', choose: true, options: deptOptions }],
      deletable: true,
    },
  }[kind];
  const open = async (row) => {
    if (row && spec.readOnly?.(row)) { toast(t('person.doctor_elsewhere'), ''); return; }
    const values = row ? (spec.toForm ? spec.toForm(row) : { ...row, department_id: row.department_id != null ? String(row.department_id) : undefined }) : {};
    const extra = row && spec.deletable ? [(close) => el('button.btn.danger', {
      type: 'button',
      onclick: async () => {
        close();
        if (await confirmDialog(t('common.delete'), spec.describe ? spec.describe(row) : `${row.keyword} → ${row.department_name}`, t('common.confirm_delete'))) {
          try { await api.referenceDelete(kind, row.id); toast(t('common.deleted'), 'ok'); } catch (e) { toast(e.message, 'error'); }
          refresh();
        }
      },
    }, t('common.delete'))] : [];
    await formDialog(t(row ? 'admin.edit_in' : 'admin.new_in', { what: t(`admin.tab.${kind}`) }), spec.fields, values, (v) => api.referenceSave(kind, { ...(spec.toRecord ? spec.toRecord(v) : v), id: row?.id ?? null }), extra);
    toast(t('common.saved'), 'ok');
    refresh();
  };
  const refresh = () => { clear(body); simpleTable(body, kind).catch((e) => body.append(el('div.form-error', { text: e.message }))); };
  const cols = spec.columns.map(([key, get, className]) => ({ label: t(`field.${key}`), get, className }));
  body.append(
    el('div.toolbar', {}, spec.noNew ? null : newButton(() => open(null)), spec.extra ? spec.extra() : null, spec.hint ? el('span.muted.hint', { text: spec.hint }) : null, el('span.grow'), el('span.muted', { text: `${rows.length}` })),
    el('div.panel', {}, table(cols, rows, { onOpen: open, rowClass: (r) => (r.active === false ? 'inactive' : '') })),
  );
}

// ---- 优惠活动: promotions --------------------------------------------------------------------

const ZH_DIGITS = '〇一二三四五六七八九';

/** 80 → 八折, 85 → 八五折, 100 → 原价: how the desk names a share of the fee. */
function zhe(n) {
  if (n >= 100) return t('promotion.full_price');
  if (n >= 10) return `${ZH_DIGITS[Math.floor(n / 10)]}${n % 10 ? ZH_DIGITS[n % 10] : ''}折`;
  return `0.${n}折`;
}

/** What a promotion gives, in the desk's words: a fixed price, or a share of the fee (80 = 八折). */
function promotionValue(p) {
  return p.kind === 'price' ? t('promotion.price_is', { amount: yuan(p.value) }) : t('promotion.percent_is', { n: p.value, zhe: zhe(p.value) });
}

async function promotions(body) {
  const [rows, status] = await Promise.all([api.referenceList('promotion'), api.status()]);
  const refresh = () => { clear(body); promotions(body).catch((e) => body.append(el('div.form-error', { text: e.message }))); };
  const open = (row) => new Promise((resolve) => {
    const values = row
      ? { ...row, value: row.kind === 'price' ? yuanPlain(row.value) : String(row.value), max_uses: row.max_uses == null ? '' : String(row.max_uses) }
      : { kind: 'percent', value: '80', valid_from: status.business_date, valid_to: '', max_uses: '', active: true };
    let d;
    const f = form([
      { key: 'code', label: t('field.promotion_code'), maxlength: 30 },
      { key: 'name', label: t('field.name'), maxlength: 30 },
      { key: 'kind', label: t('field.promotion_kind'), type: 'select', options: [['percent', t('promotion.kind.percent')], ['price', t('promotion.kind.price')]] },
      // One box for the value: yuan for a fixed price, a whole percentage for a discount.
      { key: 'value', label: '', hint: ' ', maxlength: 12 },
      { key: 'valid_from', label: t('field.valid_from'), hint: 'YYYY-MM-DD', maxlength: 10 },
      { key: 'valid_to', label: t('field.valid_to'), hint: 'YYYY-MM-DD', maxlength: 10 },
      { key: 'max_uses', label: t('field.max_uses'), hint: t('field.max_uses_hint'), maxlength: 9 },
      { key: 'active', label: t('field.active'), type: 'checkbox' },
    ], values, async (v) => {
      const record = { ...v, id: row?.id ?? null };
      if (v.kind === 'price') { record.value_yuan = v.value; delete record.value; }
      await api.referenceSave('promotion', record);
      d.close();
      resolve();
    });
    const valueLabel = f.node.querySelector('label[for="f-value"]');
    const valueHint = f.node.querySelector('.field[data-key="value"] .hint');
    const showKind = () => {
      const price = f.inputs.kind.value === 'price';
      valueLabel.textContent = price ? t('field.promotion_price') : t('field.promotion_percent');
      valueHint.textContent = price ? t('field.promotion_price_hint') : t('field.promotion_percent_hint');
      f.inputs.value.inputMode = price ? 'decimal' : 'numeric';
    };
    f.inputs.kind.addEventListener('change', showKind);
    showKind();
    const ok = el('button.btn.primary#promotion-save', { type: 'button', onclick: () => f.node.requestSubmit() }, t('common.save'), ' ', el('kbd', { text: 'Enter' }));
    const cancel = el('button.btn', { type: 'button', onclick: () => d.close() }, t('common.cancel'), ' ', el('kbd', { text: 'Esc' }));
    d = dialog(t('admin.tab.promotion'), f.node, [cancel, ok]);
    f.inputs.code.focus();
  }).then(() => { toast(t('common.saved'), 'ok'); refresh(); });
  const cols = [
    { label: t('field.promotion_code'), get: (r) => r.code, className: 'num' },
    { label: t('field.name'), get: (r) => r.name },
    { label: t('field.promotion_kind'), get: (r) => t(`promotion.kind.${r.kind}`) },
    { label: t('field.promotion_value'), get: (r) => promotionValue(r) },
    { label: t('field.promotion_valid'), get: (r) => `${r.valid_from} – ${r.valid_to}`, className: 'num' },
    { label: t('field.promotion_uses'), get: (r) => `${r.uses} / ${r.max_uses == null ? t('promotion.unlimited') : r.max_uses}`, className: 'money num' },
    { label: t('field.active'), get: (r) => activePill(r.active) },
  ];
  body.append(
    el('div.toolbar', {}, newButton(() => open(null)), el('span.grow'), el('span.muted', { text: `${rows.length}` })),
    el('div.panel', {}, table(cols, rows, { onOpen: open, rowClass: (r) => (r.active ? '' : 'inactive') })),
  );
}

// ---- the schedule: a week grid of department × day, slots by session ----------------------

function mondayOf(iso) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}
function addDays(iso, n) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

async function duty(body) {
  const status = await api.status();
  state.week ??= mondayOf(status.business_date);
  const [slots, doctors, departments] = await Promise.all([
    api.referenceList('duty', { from: state.week, days: 7 }),
    api.referenceList('doctor'),
    api.referenceList('department'),
  ]);
  const days = [...Array(7).keys()].map((i) => addDays(state.week, i));
  const refresh = () => { clear(body); duty(body).catch((e) => body.append(el('div.form-error', { text: e.message }))); };
  const doctorOptions = doctors.filter((d) => d.active).map((d) => [String(d.id), `${d.department_name} · ${d.name} (${shipped(d.title)})`]);
  const sessionOptions = ['am', 'pm', 'eve'].map((s) => [s, t(`session.${s}`)]);
  const open = async (slot, date) => {
    const values = slot ? { ...slot, doctor_id: String(slot.doctor_id) } : { date: date || days[0], session: 'am', capacity: '30' };
    const extra = slot ? [(close) => el('button.btn.danger', {
      type: 'button',
      onclick: async () => {
        close();
        if (await confirmDialog(t('common.delete'), `${slot.date} ${t(`session.${slot.session}`)} ${slot.doctor_name}`, t('common.confirm_delete'))) {
          try { await api.referenceDelete('duty', slot.id); toast(t('common.deleted'), 'ok'); } catch (e) { toast(e.message, 'error'); }
          refresh();
        }
      },
    }, t('common.delete'))] : [];
    await formDialog(t(slot ? 'admin.edit_in' : 'admin.new_in', { what: t('admin.tab.duty') }), [
      { key: 'date', label: t('field.date'), hint: 'YYYY-MM-DD' },
      { key: 'session', label: t('field.session'), type: 'select', options: sessionOptions },
      { key: 'doctor_id', label: t('field.doctor_id'), type: 'select', choose: true, options: doctorOptions },
      { key: 'capacity', label: t('field.capacity'), type: 'number' },
    ], values, (v) => api.referenceSave('duty', { ...v, id: slot?.id ?? null }), extra);
    toast(t('common.saved'), 'ok');
    refresh();
  };
  const grid = el('table.week', {}, el('thead', {}, el('tr', {}, el('th', { text: t('field.department_name') }), days.map((d) => el('th', { text: d.slice(5) })))));
  const tbody = el('tbody');
  for (const dept of departments.filter((d) => d.active)) {
    tbody.append(el('tr', {}, el('th', { text: dept.name }), days.map((d) => el('td', {}, slots
      .filter((s) => s.department_id === dept.id && s.date === d)
      .map((s) => el(`button.slot.${s.session}`, { type: 'button', onclick: () => open(s) }, `${t(`session.${s.session}`)} ${s.doctor_name} ${s.capacity}`))))));
  }
  grid.append(tbody);
  body.append(
    el('div.toolbar', {},
      newButton(() => open(null)),
      el('button.btn', { type: 'button', onclick: () => { state.week = addDays(state.week, -7); refresh(); } }, '← ', t('duty.prev')),
      el('button.btn', { type: 'button', onclick: () => { state.week = mondayOf(status.business_date); refresh(); } }, t('duty.this_week')),
      el('button.btn', { type: 'button', onclick: () => { state.week = addDays(state.week, 7); refresh(); } }, t('duty.next'), ' →'),
      el('strong', { text: t('duty.week_of', { from: state.week }) }),
      el('span.grow'),
      el('span.muted', { text: t('duty.count', { n: slots.length }) })),
    el('div.panel', {}, grid),
  );
}

// ---- staff -------------------------------------------------------------------------------

async function staff(body) {
  const rows = await api.staffList();
  const refresh = () => { clear(body); staff(body).catch((e) => body.append(el('div.form-error', { text: e.message }))); };
  const open = async (row) => {
    const fields = [
      { key: 'username', label: t('field.username') },
      { key: 'display_name', label: t('field.display_name') },
      { key: 'role', label: t('field.role'), type: 'select', options: state.roles.map((r) => [r, t(`role.${r}`)]) },
      { key: 'password', label: t('field.password'), type: 'password', hint: t('field.password_hint') },
      { key: 'active', label: t('field.active'), type: 'checkbox' },
    ];
    if (row?.locked_until) fields.push({ key: 'unlock', label: t('field.unlock'), type: 'checkbox' });
    await formDialog(t('staff.dialog'), fields, row ? { ...row, password: '' } : { role: state.roles[0] }, (v) => api.staffSave({ ...v, id: row?.id ?? null }));
    toast(t('common.saved'), 'ok');
    refresh();
  };
  const cols = [
    { label: t('field.username'), get: (r) => r.username },
    { label: t('field.display_name'), get: (r) => r.display_name },
    { label: t('field.role'), get: (r) => t(`role.${r.role}`) },
    { label: t('field.active'), get: (r) => el('span', {}, activePill(r.active), r.locked_until && r.locked_until > Date.now() ? el('span.pill.bad', { text: t('field.locked') }) : '') },
  ];
  body.append(el('div.toolbar', {}, newButton(() => open(null))), el('div.panel', {}, table(cols, rows, { onOpen: open, rowClass: (r) => (r.active ? '' : 'inactive') })));
}

// ---- printers of each desk PC ------------------------------------------------------------------

/** Where each desk PC prints: its receipt printer (80 mm) and its A4 printer, as CUPS names them. */
async function printers(body) {
  const v = await api.printersView();
  const none = t('printer.none');
  const options = (current) => {
    const list = [['', none], ...v.installed.map((p) => [p, p])];
    if (current && !v.installed.includes(current)) list.push([current, t('printer.not_here', { name: current })]);
    return list;
  };
  const mine = v.this_desk;
  const f = form([
    { key: 'desk', label: t('printer.desk'), hint: t('printer.desk_hint', { desk: mine.desk }), maxlength: 8 },
    { key: 'receipt_printer', label: t('printer.receipt'), type: 'select', options: options(mine.receipt_printer) },
    { key: 'report_printer', label: t('printer.report'), type: 'select', options: options(mine.report_printer) },
  ], { desk: mine.desk, receipt_printer: mine.receipt_printer || '', report_printer: mine.report_printer || '' }, async (input) => {
    await api.printersSet(input);
    toast(t('common.saved'), 'ok');
    clear(body);
    printers(body).catch((e) => body.append(el('div.form-error', { text: e.message })));
  });
  // Another desk's code typed: its own printers in the lists, so saving it keeps what it has.
  const deskInput = f.node.querySelector('#f-desk');
  deskInput.addEventListener('input', () => {
    const code = deskInput.value.trim().toUpperCase();
    const other = v.desks.find((d) => d.desk === code) || { receipt_printer: '', report_printer: '' };
    for (const key of ['receipt_printer', 'report_printer']) {
      const select = f.node.querySelector(`#f-${key}`);
      const value = other[key] || '';
      if (value && ![...select.options].some((o) => o.value === value)) select.append(el('option', { value, text: t('printer.not_here', { name: value }) }));
      select.value = value;
    }
  });
  body.append(
    el('div.panel', {},
      v.service_problem ? el('div.form-error#printer-problem', { text: v.service_problem }) : null,
      el('p.muted', { text: t('printer.explain') }),
      f.node,
      el('div.actions', {}, el('button.btn.primary#printer-save', { type: 'button', onclick: () => f.node.requestSubmit() }, t('common.save'), ' ', el('kbd', { text: 'Enter' })))),
    el('div.panel', {}, el('h3', { text: t('printer.all') }), table([
      { label: t('printer.desk'), get: (d) => d.desk },
      { label: t('printer.receipt'), get: (d) => d.receipt_printer || none },
      { label: t('printer.report'), get: (d) => d.report_printer || none },
    ], v.desks)),
  );
}

// ---- backups -------------------------------------------------------------------------------

async function backups(body) {
  const v = await api.backups();
  const refresh = () => { clear(body); backups(body).catch((e) => body.append(el('div.form-error', { text: e.message }))); };
  const keep = el('input#backup-keep', { type: 'number', value: String(v.keep), min: '1', max: '365' });
  const choose = async () => {
    try {
      const dir = await api.backupChooseDir();
      if (dir) { await api.backupSettings(dir, Number(keep.value)); toast(t('common.saved'), 'ok'); refresh(); }
    } catch (e) { toast(e.message, 'error'); }
  };
  const saveKeep = async () => {
    try { await api.backupSettings(v.dir, Number(keep.value)); toast(t('common.saved'), 'ok'); refresh(); } catch (e) { toast(e.message, 'error'); }
  };
  const now = async () => {
    try { const f = await api.backupNow(); toast(t('backup.done', { name: f.name }), 'ok'); refresh(); } catch (e) { toast(e.message, 'error'); }
  };
  const restore = async () => {
    try {
      const file = await api.backupChooseFile();
      if (!file) return;
      if (!await confirmDialog(t('backup.restore_confirm_title'), t('backup.restore_confirm_text', { file }), t('backup.restore_button'))) return;
      const saved = await api.backupRestore(file);
      toast(t('backup.restored', { file: saved }), 'ok');
      refresh();
    } catch (e) { toast(e.message, 'error'); }
  };
  body.append(
    el('div.panel', {},
      el('div.form', {},
        el('label', { text: t('backup.folder') }),
        el('div.field', {}, el('code#backup-dir', { text: v.dir }), v.configured ? null : el('span.hint', { text: t('backup.default_folder') })),
        el('label', { for: 'backup-keep', text: t('field.backup_keep') }),
        el('div.field', {}, keep)),
      el('div.toolbar', {},
        el('button.btn', { type: 'button', onclick: choose }, t('backup.choose')),
        el('button.btn', { type: 'button', onclick: saveKeep }, t('common.save')),
        el('span.grow'),
        el('button.btn.primary#backup-now', { type: 'button', onclick: now }, t('backup.now')),
        el('button.btn', { type: 'button', onclick: restore }, t('backup.restore')))),
    el('div.panel', {}, el('h3', { text: t('backup.files') }), table([
      { label: t('backup.file'), get: (f) => f.name },
      { label: t('backup.size'), get: (f) => `${(f.bytes / 1024).toFixed(0)} KB`, className: 'money' },
    ], v.files)),
  );
}

// ---- audit log -------------------------------------------------------------------------------

async function audit(body) {
  const entity = state.auditEntity || '';
  const rows = await api.auditList(entity || null, 200);
  const result = el('div#audit-result');
  const filter = el('select', { onchange: () => { state.auditEntity = filter.value; clear(body); audit(body); } },
    el('option', { value: '', text: t('audit.filter_all') }),
    ['hospital', 'department', 'doctor', 'duty', 'registration_type', 'payment_method', 'triage_keyword', 'staff', 'login', 'backup', 'patient', 'complaint', 'followup_attempt', 'audit'].map((k) => el('option', { value: k, text: k })));
  filter.value = entity;
  const verify = async () => {
    clear(result);
    try {
      const r = await api.auditVerify();
      if (r.problems.length === 0) {
        result.append(el('p.verify-ok', { text: t('audit.ok', { entries: r.entries, rows: r.rows_checked }) }));
      } else {
        result.append(el('p.verify-bad', { text: t('audit.bad', { n: r.problems.length }) }));
        if (r.first_bad_entry) result.append(el('p', { text: t('audit.first_bad', { id: r.first_bad_entry }) }));
        result.append(el('ul', {}, r.problems.slice(0, 50).map((p) => el('li', { text: p }))));
      }
    } catch (e) { result.append(el('div.form-error', { text: e.message })); }
  };
  const list = el('div.panel#audit-list');
  const note = el('p.muted#audit-note', { text: t('audit.masked_note') });
  const show = (entries) => {
    clear(list);
    list.append(table([
      { label: '#', get: (r) => r.id, className: 'num' },
      { label: t('audit.at'), get: (r) => when(r.at), className: 'num' },
      // Kept as written, 赵丽 (supervisor): the role said in the desk's language.
      { label: t('audit.actor'), get: (r) => r.actor.replace(/ \((\w+)\)$/, (m, role) => paren(t(`role.${role}`))) },
      { label: t('audit.action'), get: (r) => r.action },
      { label: t('audit.entity'), get: (r) => `${r.entity} ${r.entity_id}` },
      { label: t('audit.change'), get: (r) => el('pre.json', { text: r.after || '' }) },
    ], entries));
  };
  // Personal data in full only for a reason, which Rust keeps in the log itself.
  const unmasked = () => formDialog(t('audit.unmasked'), [
    { key: 'export_reason', label: t('complaint.fig.reason') },
  ], {}, async (v) => {
    show(await api.auditList(entity || null, 200, v.export_reason));
    note.textContent = t('audit.unmasked_note', { reason: v.export_reason.trim() });
  });
  body.append(
    el('div.toolbar', {}, el('button.btn.primary#audit-verify', { type: 'button', onclick: verify }, t('audit.verify')), filter, el('span.grow'),
      el('button.btn#audit-unmasked', { type: 'button', onclick: unmasked }, t('audit.unmasked'))),
    result,
    note,
    list,
  );
  show(rows);
}
