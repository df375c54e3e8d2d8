// The page's language. Strings live in ui/i18n/<lang>.js; `t` looks one up and fills {params}.
// Elements marked data-i18n="key" (text) or data-i18n-placeholder / data-i18n-title are
// re-translated when the language changes.
import zh from '../i18n/zh-CN.js';
import en from '../i18n/en.js';

const dictionaries = { 'zh-CN': zh, en };
let current = localStorage.getItem('frontdesk.lang') === 'en' ? 'en' : 'zh-CN';

export function lang() { return current; }

export function t(key, params = {}) {
  // One of a thing may read differently (English "1 attempt", "2 attempts"): `key.one` when the
  // dictionary has it and n is 1.
  const one = params.n === 1 || params.n === '1' ? dictionaries[current][`${key}.one`] : undefined;
  const s = one ?? dictionaries[current][key] ?? dictionaries['zh-CN'][key] ?? key;
  return s.replace(/\{(\w+)\}/g, (_, k) => (params[k] ?? `{${k}}`));
}

/**
 * A name the product ships (a target, a complaint category, a time-limit tier, a questionnaire
 * and its items) in the desk's language: translated while it is still the shipped Chinese, as
 * the hospital entered it once they change it (names of departments and people are always data).
 */
export function shipped(name) {
  if (current === 'zh-CN' || name == null) return name;
  return dictionaries[current][`shipped:${name}`] ?? name;
}

/** A remark in brackets, as the language writes it: （…） in Chinese, " (…)" in English. */
export const paren = (text) => t('common.paren', { text });

/** A list of names, as the language runs one: 甲、乙 in Chinese, "A, B" in English. */
export const listOf = (items) => items.join(t('common.enum_sep'));

export function setLang(next) {
  current = next === 'en' ? 'en' : 'zh-CN';
  localStorage.setItem('frontdesk.lang', current);
  document.documentElement.lang = current;
  translate(document);
}

export function translate(root) {
  root.querySelectorAll('[data-i18n]').forEach((n) => { n.textContent = t(n.dataset.i18n); });
  root.querySelectorAll('[data-i18n-placeholder]').forEach((n) => { n.placeholder = t(n.dataset.i18nPlaceholder); });
  root.querySelectorAll('[data-i18n-title]').forEach((n) => { n.title = t(n.dataset.i18nTitle); });
}

/** ¥25.00 from fen — display only; the page never computes money. */
export function yuan(fen) {
  const n = Number(fen);
  const sign = n < 0 ? '-' : '';
  const a = Math.abs(n);
  return `${sign}¥${Math.floor(a / 100).toLocaleString('en-US')}.${String(a % 100).padStart(2, '0')}`;
}

/** 25.00 from fen, for an input the person edits (no ¥, no separators) — display only. */
export function yuanPlain(fen) {
  return yuan(fen).replace(/[¥,]/g, '');
}

/**
 * A note or coin named by its value in fen, as the desk counts them: 100 元 … 1 元, 5 角, 1 角
 * (¥100, ¥0.5 in English) — display only; the values and their order come from Rust
 * (status.denominations).
 */
export function denomination(fen) {
  const n = Number(fen);
  if (n >= 100 && n % 100 === 0) return t('denomination.yuan', { n: n / 100 });
  if (n >= 10 && n < 100 && n % 10 === 0) return t('denomination.jiao', { n: n / 10 });
  if (n > 0 && n < 10) return t('denomination.fen', { n });
  return yuan(n);
}

// Instants are shown in the hospital's zone, which Rust sends with every status
// (status.time_zone, an IANA name); the shell passes it on as the status arrives.
let clock = null;

/** The zone `when` shows instants in: the hospital's, from status.time_zone. */
export function setTimeZone(timeZone) {
  if (clock?.resolvedOptions().timeZone === timeZone) return;
  clock = new Intl.DateTimeFormat('en-CA', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
  });
}

/** A UTC millisecond instant in the hospital's zone: 2026-11-22 08:00:00. */
export function when(ms) {
  if (!clock) throw new Error('when() before the status gave the hospital\'s time zone');
  const parts = clock.formatToParts(new Date(ms)).reduce((o, p) => ({ ...o, [p.type]: p.value }), {});
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}
