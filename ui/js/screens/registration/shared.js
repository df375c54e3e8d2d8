// The small pieces the 挂号 desk and its dialogs all use: conditional children, labels for sex,
// session and visit kind, a time of day in the hospital's zone, and whether a dialog or the lock
// screen has the keys.
import { t, when } from '../../i18n.js';
import { el } from '../../ui.js';

/** node.append without the nulls and falses that conditional children leave. */
export const add = (node, ...kids) => { node.append(...kids.flat().filter((k) => k !== null && k !== undefined && k !== false)); return node; };
export const toggle = (node, name, on) => { node.classList.toggle(name, !!on); return node; };
export const kbd = (k) => el('kbd', { text: k });
export const sexLabel = (s) => (s === 'F' || s === 'M' ? t(`sex.${s}`) : '');
export const sessionLabel = (s) => t(`session.${s}`);
export const visitLabel = (k) => t(k === 'return' ? 'reg.visit.return' : 'reg.visit.first');
export const time = (ms) => when(ms).slice(11, 16);

/** A dialog or the lock screen is up: the desk's own keys (F2…F10) wait. */
export function screenKeysBlocked() {
  return !!document.querySelector('.backdrop:not([hidden])') || !document.getElementById('lock-screen').hidden;
}
