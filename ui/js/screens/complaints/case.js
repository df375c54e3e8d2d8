// The case page: the workflow as a row of steps (done, the current one, those ahead), the case
// as recorded, the form of the step to take now — open, with the steps Rust allows this person
// to choose from — and the history beneath (who, when, what they wrote). Enter moves through
// the step's fields and takes it on the last; Esc goes back to the list while nothing is typed.
import { api } from '../../api.js';
import { t, when, shipped, paren, listOf } from '../../i18n.js';
import { el, clear, field, showFieldError, enterMovesOn, toast } from '../../ui.js';
import { dueCell, stateName } from '../complaints.js';

/** The step offered first: the one that moves the case on, not a hand-over or a side record. */

export async function showCase(body, id, ctx) {
  let view;
  try {
    view = await api.complaintView(id);
  } catch (e) {
    body.append(el('div.form-error', { text: e.message }), el('button.btn', { type: 'button', onclick: ctx.back }, t('complaint.back')));
    return;
  }
  render(body, view, ctx);
}

function render(body, view, ctx) {
  const { labels, choices } = ctx;
  const c = view.case;
  clear(body);
  const stepName = (a) => (a === 'record' ? t('complaint.action.record') : labels.action[a] || a);
  const back = el('button.btn#case-back', { type: 'button', onclick: ctx.back }, '← ', t('complaint.back'), ' ', el('kbd', { text: 'Esc' }));
  const head = el('div.case-head', {},
    back,
    el('h2', {}, el('span.num', { text: c.number }), ' ', labels.kind[c.kind],
      c.kind === 'complaint' ? el(`span.pill${c.severity === 'severe' ? '.bad' : c.severity === 'serious' ? '.warn' : ''}`, { text: labels.severity[c.severity] }) : null),
    el(`span.pill${c.state === 'closed' ? '.ok' : ''}#case-state`, { text: stateName(c, labels) }),
    el('span#case-due', {}, dueCell(c)),
    el('span.grow'),
    el('span.muted', {}, t('complaint.owner'), ' ', el('strong#case-owner', { text: c.owner })),
    el('button.btn.small#case-print', { type: 'button', onclick: async () => {
      try {
        const r = await api.complaintCasePrint(c.id);
        toast(r.printer ? t('complaint.printed', { printer: r.printer }) : t('complaint.opened'), 'ok');
      } catch (e) { toast(e.message, 'error'); }
    } }, t('complaint.print')));

  const path = el('ol.case-path#case-path', {}, view.path.map((p, i) => el(`li.${p.stage}`, { dataset: { action: p.action } },
    el('span.case-path-n', { text: p.stage === 'done' ? '✓' : p.stage === 'skipped' ? '–' : String(i + 1) }), el('span', { text: stepName(p.action) }))));

  const kv = (k, v) => (v ? [el('span.k', { text: k }), el('span.v', { text: v })] : []);
  const details = el('div.kv.case-details', {},
    kv(t(`complaint.who.${c.kind}`), c.anonymous ? t('complaint.anonymous') : `${c.complainant || ''}${c.card_no ? paren(t('complaint.card', { card: c.card_no })) : ''}`),
    kv(t('complaint.contact'), c.contact),
    kv(t('complaint.channel'), labels.channel[c.channel]),
    kv(t('complaint.received_at'), when(c.received_at).slice(0, 16)),
    kv(t(c.kind === 'complaint' ? 'complaint.category' : 'complaint.category_any'), shipped(c.category)),
    kv(t('complaint.department'), c.department),
    kv(t('complaint.person'), c.person),
    kv(t('complaint.handling'), listOf(view.departments)),
    c.kind === 'complaint' ? kv(t('complaint.tier'), `${shipped(c.tier)}${paren(t('complaint.tier_dues', { ack: c.ack_due, feedback: c.feedback_due }))}`) : [],
    kv(t('complaint.taken_by'), c.taken_by),
    kv(t(`complaint.what.${c.kind}`), c.description),
    kv(t(`complaint.ask.${c.kind}`), c.request),
    kv(t('complaint.feedback_was'), c.satisfied == null ? '' : c.satisfied ? t('complaint.satisfied') : t('complaint.unsatisfied')),
    view.from_followup ? [el('span.k', { text: t('complaint.from_followup') }), el('span.v', {}, el('button.linkbtn#case-followup', {
      type: 'button', onclick: () => window.dispatchEvent(new CustomEvent('frontdesk:open-followup', { detail: view.from_followup })),
    }, t('complaint.open_followup')))] : []);

  const stepPanel = el('div.panel.case-step#case-step');
  const history = el('div.panel.case-history', {}, el('h3', { text: t('complaint.history') }), historyTable(view, stepName));
  body.append(el('div.case#case', { dataset: { id: String(c.id), state: c.state } }, head, path,
    el('div.case-cols', {}, el('div.panel', {}, details), stepPanel), history));

  let typed = () => false;
  if (view.allowed.length) {
    typed = stepForm(stepPanel, view, ctx, stepName, (next) => {
      toast(t('complaint.step_done', { step: stepName(next.history[next.history.length - 1].action) }), 'ok');
      window.dispatchEvent(new CustomEvent('frontdesk:refresh-status'));
      render(body, next, ctx);
    });
  } else {
    stepPanel.append(el('p.muted', { text: c.state === 'closed' ? t('complaint.is_closed') : t('complaint.nothing_for_you') }));
    back.focus();
  }
  body.querySelector('.case').addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !e.defaultPrevented && !typed()) { e.preventDefault(); ctx.back(); }
  });
  void choices;
}

/** The form of one step; returns whether anything has been typed into it. */
function stepForm(panel, view, ctx, stepName, done) {
  const { choices } = ctx;
  const c = view.case;
  // The case's next step is offered (Rust's `suggested`); when there is none for this person —
  // the case waits for someone else — nothing is, so one Enter never hands the case away.
  const action = el('select#step-action', {},
    view.suggested ? null : el('option', { value: '', text: t('complaint.choose_step') }),
    view.allowed.map((a) => el('option', { value: a, text: stepName(a) })));
  action.value = view.suggested || '';
  const fields = el('div.step-fields');
  const general = el('div.form-error', { hidden: true });
  const submit = el('button.btn.primary#step-submit', { type: 'button' });
  panel.append(el('h3', { text: t('complaint.step_now') }), field('action', t('complaint.step'), action), fields, general, el('div.actions', {}, submit));
  let inputs = {};
  let order = [];

  const build = () => {
    clear(fields);
    inputs = {};
    const a = action.value;
    if (!a) {
      fields.append(el('p.muted', { text: t('complaint.choose_step_hint') }));
      submit.replaceChildren(t('complaint.take_none'), ' ', el('kbd', { text: 'Enter' }));
      order = [action];
      return;
    }
    const note = el('textarea#step-note', { rows: 3, maxlength: 1000 });
    if (a === 'assign') {
      const box = el('div.dept-checks#step-departments', {}, choices.departments.map((d) => el('label.check', {},
        el('input', { type: 'checkbox', value: String(d.id), checked: c.department_id === d.id }), ' ', d.name)));
      inputs.departments = box;
      // Keyboard: Enter (or Space) ticks the department in focus, ↑↓ move, Tab goes on.
      const checks = [...box.querySelectorAll('input')];
      checks.forEach((cb, i) => cb.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' && !e.isComposing) { e.preventDefault(); cb.checked = !cb.checked; cb.dispatchEvent(new Event('change', { bubbles: true })); }
        if (e.key === 'ArrowDown' || e.key === 'ArrowRight') { e.preventDefault(); (checks[i + 1] || note).focus(); }
        if (e.key === 'ArrowUp' || e.key === 'ArrowLeft') { e.preventDefault(); (checks[i - 1] || action).focus(); }
      }));
      fields.append(field('departments', t('complaint.f.departments'), box, el('div.hint', { text: t('complaint.f.departments_keys') })));
    }
    if (a === 'feedback') {
      inputs.satisfied = el('select#step-satisfied', {}, el('option', { value: 'true', text: t('complaint.satisfied') }), el('option', { value: 'false', text: t('complaint.unsatisfied') }));
      fields.append(field('satisfied', t('complaint.f.satisfied'), inputs.satisfied));
    }
    if (a === 'accountability') {
      inputs.person = el('select#step-person', {}, el('option', { value: '', text: t('complaint.none_chosen') }),
        choices.people.map((p) => el('option', { value: String(p.id), text: `${p.name}${p.department_name ? ` · ${p.department_name}` : ''}` })));
      if (c.person_id) inputs.person.value = String(c.person_id);
      inputs.measure = el('input#step-measure', { maxlength: 200, autocomplete: 'off' });
      inputs.decided = el('input#step-decided', { maxlength: 30, autocomplete: 'off', value: ctx.status.user.display_name });
      fields.append(field('person_id', t('complaint.f.person'), inputs.person), field('measure', t('complaint.f.measure'), inputs.measure), field('decided_by', t('complaint.f.decided_by'), inputs.decided));
    }
    if (a === 'hand_over') {
      // Nobody is preselected: whom the case goes to is chosen, never defaulted.
      inputs.owner = el('select#step-owner', {}, el('option', { value: '', text: t('complaint.none_chosen') }),
        choices.owners.filter(([sid]) => sid !== c.owner_id).map(([sid, name]) => el('option', { value: String(sid), text: name })));
      fields.append(field('owner_id', t('complaint.f.owner'), inputs.owner));
    }
    if (a === 'retier') {
      inputs.tier = el('select#step-tier', {}, el('option', { value: '', text: t('complaint.none_chosen') }), choices.tiers.filter((x) => x.id !== c.tier_id).map((x) => el('option', { value: String(x.id), text: t('complaint.tier_option', { name: shipped(x.name), ack: x.ack_days, feedback: x.feedback_days }) })));
      fields.append(field('tier_id', t('complaint.f.tier'), inputs.tier));
    }
    inputs.note = note;
    fields.append(field('note', t(`complaint.note.${a}`), note));
    submit.replaceChildren(t('complaint.take', { step: stepName(a) }), ' ', el('kbd', { text: 'Enter' }));
    const checks = inputs.departments ? [...inputs.departments.querySelectorAll('input')] : [];
    order = [action, ...checks, inputs.satisfied, inputs.person, inputs.measure, inputs.decided, inputs.owner, inputs.tier, note].filter(Boolean);
  };
  action.addEventListener('change', () => { showFieldError([panel], general, null); build(); });
  build();
  enterMovesOn(panel, () => order, { onLast: () => take() });

  let busy = false;
  async function take() {
    if (busy) return;
    busy = true;
    showFieldError([panel], general, null);
    const input = {
      complaint_id: c.id,
      action: action.value,
      note: inputs.note?.value || '',
      departments: inputs.departments ? [...inputs.departments.querySelectorAll('input:checked')].map((i) => Number(i.value)) : [],
      satisfied: inputs.satisfied ? inputs.satisfied.value === 'true' : null,
      person_id: inputs.person?.value ? Number(inputs.person.value) : null,
      measure: inputs.measure?.value || '',
      decided_by: inputs.decided?.value || '',
      owner_id: inputs.owner?.value ? Number(inputs.owner.value) : null,
      tier_id: inputs.tier?.value ? Number(inputs.tier.value) : null,
    };
    try {
      done(await api.complaintStep(input));
    } catch (err) {
      const f = showFieldError([panel], general, err);
      f?.querySelector('input, select, textarea')?.focus();
    } finally {
      busy = false;
    }
  }
  submit.addEventListener('click', take);
  action.focus();
  return () => Object.values(inputs).some((i) => (i.tagName === 'TEXTAREA' || i.type === 'text') && i.value.trim() !== '' && i.id !== 'step-decided');
}

function historyTable(view, stepName) {
  const rows = view.history.slice().reverse();
  const detail = (s) => {
    if (s.withheld) return t('complaint.withheld');
    const d = s.detail || {};
    const parts = [];
    if (d.departments) parts.push(t('complaint.d.departments', { n: d.departments.length }));
    if (d.satisfied != null) parts.push(d.satisfied ? t('complaint.satisfied') : t('complaint.unsatisfied'));
    if (d.person) parts.push(t('complaint.d.accountability', { person: d.person, measure: d.measure, by: d.decided_by }));
    if (d.to_name) parts.push(t('complaint.d.hand_over', { name: d.to_name }));
    if (d.tier) parts.push(t('complaint.d.tier', { name: d.tier }));
    return parts.join(t('common.semicolon'));
  };
  return el('table.grid#case-history', {},
    el('thead', {}, el('tr', {}, [t('complaint.h.at'), t('complaint.h.step'), t('complaint.h.by'), t('complaint.h.note')].map((h) => el('th', { text: h })))),
    el('tbody', {}, rows.map((s) => el('tr', { dataset: { action: s.action } },
      el('td.num', { text: when(s.at).slice(0, 16) }),
      el('td', { text: stepName(s.action) }),
      el('td', { text: s.by }),
      el('td', {}, s.note, s.note && detail(s) ? el('br') : null, detail(s) ? el('span.muted', { text: detail(s) }) : null)))));
}
