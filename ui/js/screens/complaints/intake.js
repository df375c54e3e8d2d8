// 投诉登记: one form for a complaint, a suggestion or a praise, opened from any screen with
// Alt+T and filled without the mouse — Enter moves on, Enter on the last field (or F9 anywhere)
// records it. The complainant is typed: the registration desk's search lists patients as you
// type (Enter takes a single match, ↑↓ and Enter one of several, which brings their phone), or
// the typed name stays as it is;
// 匿名 (Alt+N) leaves name and phone out. Rust checks every field; an error lands beside its
// field and nothing typed is lost. The person who records it owns the case (首诉负责制).
import { api } from '../../api.js';
import { t, shipped } from '../../i18n.js';
import { el, clear, dialog, field, showFieldError, enterMovesOn, newest, toast } from '../../ui.js';

let open = false;

/**
 * Opens the form; `prefill` may carry kind, channel, patient ({id, name, card_no, phone_masked}),
 * department_id, description, request — and from_concern, the follow-up concern it is raised
 * from (a follow-up call), which Rust links to the complaint.
 */
export async function openIntake(prefill = {}) {
  if (open) return null;
  open = true;
  let choices;
  try {
    choices = await api.complaintChoices();
  } catch (e) {
    open = false;
    toast(e.message, 'error');
    return null;
  }
  return new Promise((resolve) => {
    const opt = (list, value, label) => list.map((x) => el('option', { value: String(value(x)), text: label(x) }));
    const none = () => el('option', { value: '', text: t('complaint.none_chosen') });
    const kind = el('select#ci-kind', {}, opt(choices.kinds, (k) => k[0], (k) => k[1]));
    const channel = el('select#ci-channel', {}, opt(choices.channels, (c) => c[0], (c) => c[1]));
    const who = el('input#ci-who', { autocomplete: 'off', maxlength: 40, placeholder: t('complaint.who_placeholder') });
    const hits = el('div.results.ci-hits', { role: 'listbox' });
    hits.hidden = true;
    const picked = el('div.ci-picked.muted');
    const anonymous = el('input#ci-anonymous', { type: 'checkbox' });
    const contact = el('input#ci-contact', { autocomplete: 'off', maxlength: 20 });
    const category = el('select#ci-category', {}, none(), opt(choices.categories, (c) => c.id, (c) => shipped(c.name)));
    const department = el('select#ci-department', {}, none(), opt(choices.departments, (d) => d.id, (d) => d.name));
    const person = el('select#ci-person');
    const description = el('textarea#ci-description', { rows: 3, maxlength: 1000 });
    const request = el('input#ci-request', { autocomplete: 'off', maxlength: 500 });
    const severity = el('select#ci-severity', {}, opt(choices.severities, (s) => s[0], (s) => s[1]));
    const received = el('input#ci-received', { autocomplete: 'off', maxlength: 16, placeholder: t('complaint.received_now') });
    const general = el('div.form-error', { hidden: true });

    // The people of the chosen department first (a doctor, a nurse); everyone when none is.
    const fillPeople = () => {
      const dept = department.value;
      const keep = person.value;
      const list = dept ? choices.people.filter((p) => String(p.department_id) === dept || p.department_id == null) : choices.people;
      clear(person).append(none(), ...list.map((p) => el('option', {
        value: String(p.id),
        text: `${p.name} · ${t(`person.kind.${p.kind}`)}${p.department_name ? ` · ${p.department_name}` : ''}`,
      })));
      person.value = list.some((p) => String(p.id) === keep) ? keep : '';
    };
    department.addEventListener('change', fillPeople);
    fillPeople();

    // The registration desk's search, the same keys: the cursor stays in the box, ↑↓ move the
    // highlighted patient, Enter takes it (a single match at once), Esc closes the list; Enter
    // with no list moves on and the typed name stays as it is.
    let patient = null;
    let list = [];
    let active = -1;
    const search = newest((q) => api.complaintPatientSearch(q));
    const render = () => {
      [...hits.children].forEach((row, i) => {
        row.classList.toggle('active', i === active);
        row.setAttribute('aria-selected', String(i === active));
      });
      hits.children[active]?.scrollIntoView({ block: 'nearest' });
    };
    const showHits = (found) => {
      list = found;
      active = found.length === 1 ? 0 : -1;
      clear(hits);
      hits.hidden = !found.length;
      who.setAttribute('aria-expanded', String(!!found.length));
      found.forEach((h, i) => hits.append(el('div.hit', {
        role: 'option', id: `ci-hit-${i}`, dataset: { i: String(i) },
        onmousedown: (e) => { e.preventDefault(); pick(h); },
      }, el('span.hit-name', { text: h.name }), el('span.num', { text: h.card_no }), el('span.num', { text: h.phone_masked || '' }))));
      render();
    };
    const pick = (h) => {
      patient = h;
      who.value = h.name;
      picked.textContent = t('complaint.picked', { card: h.card_no });
      showHits([]);
      contact.value = '';
      contact.placeholder = h.phone_masked ? t('complaint.contact_from_index', { phone: h.phone_masked }) : '';
      contact.focus();
    };
    who.setAttribute('role', 'combobox');
    who.setAttribute('aria-controls', 'ci-hits');
    hits.id = 'ci-hits';
    who.addEventListener('input', async () => {
      patient = null;
      picked.textContent = '';
      contact.placeholder = '';
      const q = who.value.trim();
      if (!q) { search.drop(); showHits([]); return; }
      try {
        const r = await search(q);
        if (r.current) showHits(r.value.slice(0, 6));
      } catch (e) { showHits([]); }
    });
    who.addEventListener('keydown', (e) => {
      if (e.isComposing || hits.hidden || !list.length) return;
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        const step = e.key === 'ArrowDown' ? 1 : -1;
        active = active < 0 ? (step > 0 ? 0 : list.length - 1) : (active + step + list.length) % list.length;
        render();
      } else if (e.key === 'Enter') {
        e.preventDefault();
        if (active >= 0) pick(list[active]); else { active = 0; render(); }
      } else if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        showHits([]);
      }
    });
    who.addEventListener('blur', () => setTimeout(() => { if (document.activeElement !== who) showHits([]); }, 150));
    const setAnonymous = () => {
      who.disabled = anonymous.checked;
      contact.disabled = anonymous.checked;
      if (anonymous.checked) { hits.hidden = true; patient = null; picked.textContent = ''; }
    };
    anonymous.addEventListener('change', setAnonymous);

    // What a suggestion or a praise does not need is not asked.
    const severityField = field('severity', t('complaint.severity'), severity);
    const categoryField = field('category_id', t('complaint.category'), category);
    // A praise and a suggestion are spoken of as such: who gives it, what it is, what they ask.
    const label = (key, text) => { const l = body.querySelector(`.rfield[data-field="${key}"] > label`); if (l) l.textContent = text; };
    const showKind = () => {
      const k = kind.value;
      const complaint = k === 'complaint';
      severityField.hidden = !complaint;
      categoryField.querySelector('label').textContent = complaint ? t('complaint.category') : t('complaint.category_optional');
      label('complainant', t(`complaint.who.${k}`));
      label('description', t(`complaint.what.${k}`));
      label('request', t(`complaint.ask.${k}`));
    };
    kind.addEventListener('change', showKind);

    for (const [k, v] of Object.entries(prefill)) {
      const box = { kind, channel, complainant: who, contact, description, request }[k];
      if (box) box.value = v;
    }
    if (prefill.department_id != null) { department.value = String(prefill.department_id); fillPeople(); }
    if (prefill.patient) pick(prefill.patient);
    // Raised from a concern on a follow-up call: the two are linked when it is recorded.
    const fromConcern = prefill.from_concern ?? null;

    const body = el('div.intake', {},
      el('div.intake-grid', {},
        field('complaint_kind', t('complaint.kind'), kind),
        field('complaint_channel', t('complaint.channel'), channel),
        field('received_at', t('complaint.received_at'), received),
        el('div.span3.ci-who-row', {},
          field('complainant', t('complaint.who.complaint'), who, el('div', {}, hits, picked)),
          el('label.ci-anon', {}, anonymous, ' ', t('complaint.anonymous'), ' ', el('kbd', { text: 'Alt+N' }))),
        field('contact', t('complaint.contact'), contact),
        categoryField,
        severityField,
        field('department_id', t('complaint.department'), department),
        field('person_id', t('complaint.person'), person),
        el('div.span3', {}, field('description', t('complaint.what.complaint'), description)),
        el('div.span3', {}, field('request', t('complaint.ask.complaint'), request))),
      general);
    showKind();
    const order = [kind, channel, who, contact, category, severity, department, person, description, request, received];
    enterMovesOn(body, order, { onLast: () => save() });
    body.addEventListener('keydown', (e) => {
      if (e.key === 'F9') { e.preventDefault(); save(); }
      if (e.altKey && (e.key === 'n' || e.key === 'N')) { e.preventDefault(); anonymous.checked = !anonymous.checked; setAnonymous(); }
    });

    let busy = false;
    async function save() {
      if (busy) return;
      busy = true;
      showFieldError([body], general, null);
      const input = {
        kind: kind.value,
        channel: channel.value,
        received_at: received.value,
        anonymous: anonymous.checked,
        patient_id: patient && !anonymous.checked ? patient.id : null,
        complainant: anonymous.checked ? '' : who.value,
        contact: anonymous.checked ? '' : contact.value,
        category_id: category.value ? Number(category.value) : null,
        department_id: department.value ? Number(department.value) : null,
        person_id: person.value ? Number(person.value) : null,
        description: description.value,
        request: request.value,
        severity: kind.value === 'complaint' ? severity.value : '',
        from_concern: fromConcern,
      };
      try {
        const view = await api.complaintRecord(input);
        resolve(view);
        d.close();
        toast(t(`complaint.recorded.${view.case.kind}`, { number: view.case.number, due: view.case.ack_due }), 'ok');
        window.dispatchEvent(new CustomEvent('frontdesk:refresh-status'));
        window.dispatchEvent(new CustomEvent('frontdesk:complaint-recorded', { detail: view }));
      } catch (err) {
        const f = showFieldError([body], general, err);
        f?.querySelector('input, select, textarea')?.focus();
      } finally {
        busy = false;
      }
    }
    const saveBtn = el('button.btn.primary#ci-save', { type: 'button', onclick: save }, t('complaint.record'), ' ', el('kbd', { text: 'F9' }));
    const cancel = el('button.btn', { type: 'button', onclick: () => d.close() }, t('common.cancel'), ' ', el('kbd', { text: 'Esc' }));
    const d = dialog(t('complaint.intake_title'), body, [cancel, saveBtn], { onClose: () => { open = false; resolve(null); } });
    d.node.classList.add('wide');
    d.node.id = 'complaint-intake';
    kind.focus();
  });
}
