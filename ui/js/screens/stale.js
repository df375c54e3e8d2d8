// 班次未结: a shift left open from an earlier business day. Rust refuses to take money on it
// until it is closed (日结) or a supervisor approves going on with it; this banner says so up
// front, on the 挂号 and 日结 screens, with both ways out. The supervisor types their own
// username and password in place (Rust checks them and counts wrong ones towards a lockout).
import { api } from '../api.js';
import { t, when } from '../i18n.js';
import { el, toast, field, showFieldError, enterMovesOn } from '../ui.js';

/**
 * shift: {id, opened_at}; onGoClose: null on the 日结 screen itself; onContinued(shiftInfo)
 * after the approval. Returns {node, open()} — open() shows the approval fields and focuses them.
 */
export function staleBanner(shift, { onGoClose = null, onContinued = () => {} } = {}) {
  const user = el('input#stale-approver-user', { autocomplete: 'off', maxlength: 32, spellcheck: 'false' });
  const pass = el('input#stale-approver-pass', { type: 'password', maxlength: 128 });
  const error = el('div.form-error#stale-error', { hidden: true, role: 'alert' });
  const go = el('button.btn.primary#stale-continue', { type: 'button' }, t('stale.continue.confirm'));
  const approval = el('div.stale-approval', { hidden: true },
    field('approver_username', t('reg.cancel.approver'), user),
    field('approver_password', t('login.password'), pass),
    el('div.stale-go', {}, go),
    error);
  const openBtn = el('button.btn#stale-continue-open', { type: 'button', onclick: () => open() }, t('stale.continue'));
  const node = el('div.banner.warn#stale-banner', { role: 'alert' },
    el('div.banner-row', {},
      el('span.banner-icon', { 'aria-hidden': 'true', text: '⚠' }),
      el('div.banner-text', {},
        el('strong', { text: t('stale.title') }),
        el('span.muted', { text: ` ${t('stale.which', { id: shift.id, at: when(shift.opened_at).slice(0, 16) })}` }),
        el('div', { text: onGoClose ? t('stale.text') : t('stale.text.here') })),
      onGoClose ? el('button.btn#stale-go-close', { type: 'button', onclick: onGoClose }, t('stale.go_close')) : null,
      openBtn),
    approval);

  function open() {
    approval.hidden = false;
    openBtn.hidden = true;
    (user.value ? pass : user).focus();
  }

  async function attempt() {
    showFieldError([approval], error, null);
    go.disabled = true;
    try {
      const info = await api.shiftContinue(user.value.trim(), pass.value);
      pass.value = '';
      node.hidden = true;
      toast(t('shift.stale.continued'), 'ok');
      window.dispatchEvent(new CustomEvent('frontdesk:refresh-status'));
      onContinued(info);
    } catch (e) {
      pass.value = '';
      const f = showFieldError([approval], error, e);
      (f?.querySelector('input') || (user.value ? pass : user)).focus();
    } finally {
      go.disabled = false;
    }
  }
  go.addEventListener('click', attempt);
  enterMovesOn(approval, [user, pass], { onLast: attempt });
  return { node, open };
}
