// The small kit every screen builds from: elements, toasts, dialogs, forms with errors shown
// beside their field, and keyboard-navigable tables.
import { t } from './i18n.js';

/** el('div.panel#x', {attrs}, children...) */
export function el(spec, attrs = {}, ...children) {
  const [, tag = 'div', rest = ''] = spec.match(/^([a-z0-9]*)(.*)$/i);
  const node = document.createElement(tag || 'div');
  for (const m of rest.matchAll(/([.#])([\w-]+)/g)) {
    if (m[1] === '.') node.classList.add(m[2]); else node.id = m[2];
  }
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (k === 'text') node.textContent = v;
    else if (k === 'value') node.value = v;
    else if (k === 'checked') node.checked = !!v;
    else if (k === 'dataset') Object.assign(node.dataset, v);
    // No field cuts what is typed or pasted (a native maxlength drops the rest without a word):
    // the limit is said beside the field while typing, and Rust refuses a longer text.
    else if (k === 'maxlength') node.dataset.limit = String(v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

/**
 * The counts on a screen's tabs (`countsOf(status)` → {view: n}), kept equal to the status bar's:
 * set now, and again at every fresh status the shell announces, for as long as `bar` is shown.
 */
export function tabCounts(bar, status, countsOf) {
  const paint = (s) => {
    const counts = countsOf(s) || {};
    bar.querySelectorAll('button[data-view]').forEach((b) => {
      const n = counts[b.dataset.view];
      let badge = b.querySelector('.tab-count');
      if (!n) { badge?.remove(); return; }
      if (!badge) { badge = el('span.tab-count'); b.append(badge); }
      badge.textContent = n >= 1000 ? '999+' : String(n);
    });
  };
  paint(status);
  window.addEventListener('frontdesk:status', function again(e) {
    if (!bar.isConnected) { window.removeEventListener('frontdesk:status', again); return; }
    paint(e.detail);
  });
}

/** Characters as Rust counts them (a Chinese character, an emoji: one). */
export const charCount = (s) => [...s].length;

let limitTip = null;
let limitFor = null;

/**
 * The limit of the field being typed in, said beside it (字数 n/1000): for a text area always,
 * for a line once it nears its limit, in red past it. One tip under the field's right edge,
 * drawn over the page so no layout moves; installed once for the whole app.
 */
export function installLimits() {
  const show = (e) => {
    const f = e.target;
    const limit = Number(f?.dataset?.limit);
    if (!limit || f.type === 'password' || !f.isConnected) { hideLimit(); return; }
    const n = charCount(f.value);
    const over = n > limit;
    f.classList.toggle('over-limit', over);
    // Free text says its count (a text area always, a line near its limit); a short code, a
    // date or an amount only when it runs over.
    const free = f.tagName === 'TEXTAREA' || limit > 20;
    if (!over && (!free || (f.tagName !== 'TEXTAREA' && n < limit * 0.8))) { hideLimit(); return; }
    if (!limitTip) { limitTip = el('div.limit-tip#limit-tip', { 'aria-live': 'polite' }); document.body.append(limitTip); }
    limitTip.textContent = over ? t('common.limit_over', { n, max: limit, extra: n - limit }) : t('common.limit', { n, max: limit });
    limitTip.classList.toggle('over', over);
    limitTip.hidden = false;
    place(f);
  };
  document.addEventListener('input', show, true);
  document.addEventListener('focusin', show, true);
  document.addEventListener('focusout', hideLimit, true);
  window.addEventListener('resize', hideLimit);
  document.addEventListener('scroll', hideLimit, true);
}

// Kept under its field while it shows: placed when shown, and again only when the form around
// the field changes (an error line appears above it) — not on every frame.
let limitWatch = null;

function place(f) {
  const put = () => {
    if (!limitTip || limitTip.hidden || !f.isConnected) return;
    const r = f.getBoundingClientRect();
    limitTip.style.top = `${Math.round(r.bottom + 1)}px`;
    limitTip.style.right = `${Math.round(document.documentElement.clientWidth - r.right)}px`;
  };
  put();
  if (limitFor !== f) {
    limitWatch?.disconnect();
    limitFor = f;
    limitWatch = new MutationObserver(put);
    limitWatch.observe(f.closest('.dialog, .panel, main') || document.body,
      { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['class', 'hidden'] });
  }
}

function hideLimit() {
  if (limitTip) limitTip.hidden = true;
  limitWatch?.disconnect();
  limitWatch = null;
  limitFor = null;
}

export function clear(node) { while (node.firstChild) node.firstChild.remove(); return node; }

/**
 * Wraps an as-you-type call (search, suggestions, a quote) so that only the newest answer
 * counts: `run(...args)` resolves to `{ current, value }`, and a reply to an older call that
 * arrives after a newer one was made has `current: false` (its error is swallowed the same way).
 * `run.drop()` makes every reply still in flight out of date (the screen was cleared).
 */
export function newest(fn) {
  let seq = 0;
  const run = (...args) => {
    const mine = ++seq;
    return Promise.resolve().then(() => fn(...args)).then(
      (value) => ({ current: mine === seq, value }),
      (error) => { if (mine !== seq) return { current: false }; throw error; });
  };
  run.drop = () => { seq++; };
  return run;
}

let toastTimer = null;

/**
 * A short confirmation or error that goes by itself. One at a time, the newest replacing the
 * last: in the status bar's free middle when the shell is up (nothing there is pressed), else
 * at the bottom of the screen. It never covers a button.
 */
export function toast(message, kind = '') {
  const shell = document.getElementById('shell');
  let box = shell && !shell.hidden ? document.getElementById('status-notice') : null;
  if (!box) {
    box = document.querySelector('body > .toasts');
    if (!box) { box = el('div.toasts', { role: 'status', 'aria-live': 'polite' }); document.body.append(box); }
  }
  for (const old of document.querySelectorAll('.toast')) old.remove();
  clearTimeout(toastTimer);
  const n = el(`div.toast${kind ? `.${kind}` : ''}`, { text: message, title: message });
  box.append(n);
  // A message the status bar's middle cannot hold whole is shown above it instead: never cut.
  if (box.id === 'status-notice' && n.scrollWidth > n.clientWidth + 1) {
    n.remove();
    let above = document.querySelector('body > .toasts');
    if (!above) { above = el('div.toasts', { role: 'status', 'aria-live': 'polite' }); document.body.append(above); }
    above.append(n);
  }
  toastTimer = setTimeout(() => n.remove(), kind === 'error' ? 8000 : 4000);
}

/** Takes away a hint about the screen being left (a plain toast); a saved or an error message stays its time. */
export function dropHints() {
  for (const n of document.querySelectorAll('.toast:not(.ok):not(.error)')) n.remove();
}

/** A labelled field with its error line; `key` is the Rust field name errors are reported against. */
export function field(key, label, input, extra = null) {
  return el('div.rfield', { dataset: { field: key } }, el('label', { for: input.id, text: label }), input, extra, el('div.field-error'));
}

/** The refusals an error from Rust carries: every field's at once (err.errors), else itself. */
export const refusals = (err) => (err?.errors?.length ? err.errors : [err]);

/**
 * Shows err beside the `field()` whose key err.field names inside one of `scopes`, else in
 * `general` — every field's problem at once when Rust refused several; returns the field of
 * the first (or null), for the cursor. With no err, clears every error in the scopes.
 */
export function showFieldError(scopes, general, err) {
  for (const s of scopes) {
    s.querySelectorAll('.rfield').forEach((f) => { f.classList.remove('has-error'); f.querySelector('.field-error').textContent = ''; });
  }
  if (general) { general.hidden = true; general.textContent = ''; }
  if (!err) return null;
  let first = null;
  const unplaced = [];
  for (const e of refusals(err)) {
    let placed = null;
    for (const s of scopes) {
      placed = e.field && s.querySelector(`.rfield[data-field="${e.field}"]`);
      if (placed) break;
    }
    if (placed) {
      placed.classList.add('has-error');
      placed.querySelector('.field-error').textContent = e.message;
      first ??= placed;
    } else {
      unplaced.push(e.message || t('common.error'));
    }
  }
  if (general && unplaced.length) { general.hidden = false; general.textContent = unplaced.join(t('common.semicolon')); }
  return first;
}

/** A modal dialog. Esc or the cancel button closes it; returns {close, node}. */
export function dialog(title, body, actions, { onClose } = {}) {
  const prev = document.activeElement;
  const box = el('div.dialog', { role: 'dialog', 'aria-modal': 'true', 'aria-label': title }, el('h2', { text: title }), body, el('div.actions', {}, actions));
  const back = el('div.backdrop', {}, box);
  const close = () => { back.remove(); onClose?.(); prev?.focus?.(); };
  back.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.stopPropagation(); close(); } });
  document.body.append(back);
  const first = box.querySelector('input:not([type=checkbox]), select, textarea, button.primary, button');
  first?.focus();
  return { close, node: box };
}

/**
 * Enter moves to the next field, and on the last does what `onLast(field, event)` says — the
 * desk's one keyboard rule, for every form and dialog. `fields` is the order (an array, or a
 * function returning it when the fields come and go); a field that is not shown (it, or the box
 * it is in, is hidden — an approval asked for only when needed) or is disabled is passed over,
 * so the last field is the last one the person can see. Enter on anything not in `fields` (a
 * button) is left to the browser, and so is Enter while an input method is composing (拼音).
 * select: the next field's text is selected, so typing replaces it.
 */
export function enterMovesOn(container, fields, { onLast, select = false }) {
  const order = typeof fields === 'function' ? fields : () => fields;
  const usable = (f) => f.isConnected && !f.disabled && f.getClientRects().length > 0;
  container.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter' || e.isComposing || e.defaultPrevented) return;
    const list = order();
    const i = list.indexOf(e.target);
    if (i < 0) return;
    e.preventDefault();
    const next = list.slice(i + 1).find(usable);
    if (!next) { onLast(e.target, e); return; }
    next.focus();
    if (select) next.select?.();
  });
}

/**
 * A form from field specs: {key, label, type: text|password|number|select|checkbox, options, hint, errorKey}.
 * Enter moves to the next field and submits on the last. Errors from Rust land beside the field
 * whose key (or errorKey) matches err.field; the typed values stay.
 */
export function form(fields, values, onSubmit) {
  const node = el('form.form', { novalidate: true });
  const inputs = {};
  const general = el('div.form-error', { hidden: true });
  for (const f of fields) {
    const id = `f-${f.key}`;
    let input;
    if (f.type === 'select') {
      // A choice with no sensible default (a new doctor's department) starts on 请选择, so that
      // the first of the list is never saved because nobody looked.
      const blank = f.choose && (values[f.key] ?? '') === '' ? [['', t('common.choose')]] : [];
      input = el('select', { id, name: f.key }, [...blank, ...f.options].map(([v, label]) => el('option', { value: v, text: label })));
      input.value = blank.length ? '' : values[f.key] ?? f.options[0]?.[0] ?? '';
    } else if (f.type === 'checkbox') {
      input = el('input', { id, name: f.key, type: 'checkbox', checked: values[f.key] ?? true });
    } else {
      input = el('input', { id, name: f.key, type: f.type || 'text', value: values[f.key] ?? '', autocomplete: 'off', maxlength: f.maxlength || 200 });
    }
    inputs[f.key] = input;
    const error = el('div.field-error');
    node.append(el('label', { for: id, text: f.label }), el('div.field', { dataset: { key: f.errorKey || f.key } }, input, f.hint ? el('div.hint', { text: f.hint }) : null, error));
  }
  node.append(el('div'), general);
  enterMovesOn(node, Object.values(inputs), { onLast: () => node.requestSubmit() });
  const read = () => Object.fromEntries(Object.entries(inputs).map(([k, i]) => [k, i.type === 'checkbox' ? i.checked : i.value]));
  const showError = (err) => {
    node.querySelectorAll('.field').forEach((f) => { f.classList.remove('has-error'); f.querySelector('.field-error').textContent = ''; });
    general.hidden = true;
    if (!err) return;
    let first = null;
    const unplaced = [];
    for (const e of refusals(err)) {
      const field = e.field && node.querySelector(`.field[data-key="${e.field}"]`);
      if (field) {
        field.classList.add('has-error');
        field.querySelector('.field-error').textContent = e.message;
        first ??= field;
      } else {
        unplaced.push(e.message || t('common.error'));
      }
    }
    first?.querySelector('input, select')?.focus();
    if (unplaced.length) { general.hidden = false; general.textContent = unplaced.join(t('common.semicolon')); }
  };
  node.addEventListener('submit', async (e) => {
    e.preventDefault();
    showError(null);
    try { await onSubmit(read()); } catch (err) { showError(err); }
  });
  return { node, inputs, read, showError };
}

/** Opens a form in a dialog; resolves after a successful save. */
export function formDialog(title, fields, values, save, extraActions = []) {
  return new Promise((resolve) => {
    let d;
    const f = form(fields, values, async (v) => { const r = await save(v); d.close(); resolve(r); });
    const ok = el('button.btn.primary', { type: 'button', onclick: () => f.node.requestSubmit() }, t('common.save'), ' ', el('kbd', { text: 'Enter' }));
    const cancel = el('button.btn', { type: 'button', onclick: () => d.close() }, t('common.cancel'), ' ', el('kbd', { text: 'Esc' }));
    d = dialog(title, f.node, [...extraActions.map((a) => a(() => d.close())), cancel, ok]);
  });
}

/** Asks before something that cannot be undone; the button says what will happen. */
export function confirmDialog(title, text, actionLabel, danger = true) {
  return new Promise((resolve) => {
    let d;
    // Resolved before the dialog closes: Escape (which closes it too) is a no, not a wait forever.
    const yes = el(`button.btn.${danger ? 'danger' : 'primary'}`, { type: 'button', onclick: () => { resolve(true); d.close(); } }, actionLabel);
    const no = el('button.btn', { type: 'button', onclick: () => { resolve(false); d.close(); } }, t('common.cancel'));
    d = dialog(title, el('p', { text }), [no, yes], { onClose: () => resolve(false) });
    no.focus();
  });
}

/**
 * A table whose rows are reachable with Tab/arrow keys; Enter or click opens `onOpen(row)`.
 * columns: [{label, get(row) -> text|Node, className}]; `rowId(row)` becomes the row's data-id.
 */
export function table(columns, rows, { onOpen, rowClass, rowId, empty } = {}) {
  // An empty list says what would be in it, not only that nothing is.
  if (!rows.length) return el('div.empty', { text: empty || t('common.none') });
  const body = el('tbody', {}, rows.map((r) => {
    const tr = el('tr', { tabindex: onOpen ? '0' : null, class: rowClass?.(r) || null, dataset: rowId ? { id: String(rowId(r)) } : null }, columns.map((c) => {
      const v = c.get(r);
      return el('td', { class: c.className || null }, v instanceof Node ? v : String(v ?? ''));
    }));
    if (onOpen) {
      tr.addEventListener('click', () => onOpen(r));
      tr.addEventListener('keydown', (e) => {
        if (e.key === 'Enter') { e.preventDefault(); onOpen(r); }
        if (e.key === 'ArrowDown') { e.preventDefault(); tr.nextElementSibling?.focus(); }
        if (e.key === 'ArrowUp') { e.preventDefault(); tr.previousElementSibling?.focus(); }
      });
    }
    return tr;
  }));
  return el('table.grid', {}, el('thead', {}, el('tr', {}, columns.map((c) => el('th', { class: c.className || null, text: c.label })))), body);
}

/**
 * 未脱敏导出: asks the reason (and the format) of a register exported with names and phones in
 * full; `save(format, reason)` resolves true when saved, or to the error to show in the dialog.
 * `prefix` names the boxes (`${prefix}-reason`, `${prefix}-format`).
 */
export function unmaskedDialog(prefix, note, save) {
  const reason = el(`input#${prefix}-reason`, { maxlength: 200, autocomplete: 'off' });
  const format = el(`select#${prefix}-format`, {}, el('option', { value: 'xlsx', text: 'Excel (xlsx)' }), el('option', { value: 'pdf', text: 'PDF' }), el('option', { value: 'csv', text: 'CSV' }));
  const err = el('div.form-error', { hidden: true });
  const box = el('div', {}, el('p.muted', { text: note }), field('export_reason', t('complaint.fig.reason'), reason), field('format', t('complaint.fig.format'), format), err);
  const go = async () => {
    const r = await save(format.value, reason.value);
    if (r === true) d.close(); else if (r) showFieldError([box], err, r);
  };
  enterMovesOn(box, [reason, format], { onLast: go });
  const d = dialog(t('complaint.fig.unmasked'), box, [
    el('button.btn', { type: 'button', onclick: () => d.close() }, t('common.cancel')),
    el('button.btn.danger', { type: 'button', onclick: go }, t('complaint.fig.unmasked_go')),
  ]);
  reason.focus();
}
