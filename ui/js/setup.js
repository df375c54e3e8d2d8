// 初始设置: the first start of a new data file names the hospital and its administrator. The
// rules (what a name, a zone, a username and a password must be; that a hospital is set up
// once) are Rust's (`setup::first_start`): this form only asks, and shows every refusal at once
// beside its field.
import { api } from './api.js';
import { t } from './i18n.js';
import { clear, form, refusals } from './ui.js';

const $ = (id) => document.getElementById(id);
let current = null;
let busy = false;

/** The derived receipt title, shown greyed in the empty field as the name is typed. */
function receiptPlaceholder() {
  if (!current) return;
  const name = current.inputs.hospital_name.value.trim();
  current.inputs.receipt_header.placeholder = name ? t('setup.receipt_default', { name }) : '';
}

/**
 * Shows the form (again, after a change of language, with what was typed). `done(status)` runs
 * once the hospital is set up and its administrator signed in; `already(err)` when another desk
 * set it up first.
 */
export function renderSetup({ done, already }, values = current?.read() ?? { time_zone: 'Asia/Shanghai' }) {
  const focused = document.activeElement?.name;
  current = form([
    { key: 'hospital_name', label: t('setup.hospital_name'), maxlength: 60 },
    { key: 'time_zone', label: t('setup.time_zone'), hint: t('setup.time_zone_hint'), maxlength: 60 },
    { key: 'receipt_header', label: t('setup.receipt_header'), hint: t('setup.receipt_hint'), maxlength: 60 },
    { key: 'admin_username', errorKey: 'username', label: t('setup.admin_username'), hint: t('setup.admin_username_hint'), maxlength: 32 },
    { key: 'admin_name', errorKey: 'display_name', label: t('setup.admin_name'), hint: t('setup.admin_name_hint'), maxlength: 30 },
    { key: 'password', type: 'password', label: t('setup.password'), hint: t('setup.password_hint'), maxlength: 128 },
    { key: 'password_again', type: 'password', label: t('setup.password_again'), maxlength: 128 },
  ], values, async (v) => {
    // One setup at a time: Enter pressed again while the password is hashed does nothing.
    if (busy) return;
    busy = true;
    $('setup-submit').disabled = true;
    try {
      const status = await api.firstStart(v);
      current = null;
      done(status);
    } catch (err) {
      if (err.code === 'already_set_up') { current = null; already(err); return; }
      current.showError(err);
      // A password refused (too short, or the two differ) is typed again, both times, from
      // the first: the cursor goes there unless a field above it was refused too.
      const fields = refusals(err).map((e) => e.field);
      if (fields.includes('password') || fields.includes('password_again')) {
        current.inputs.password.value = '';
        current.inputs.password_again.value = '';
        if (!current.node.querySelector('.field.has-error input:not([type=password])')) current.inputs.password.focus();
      }
    } finally {
      busy = false;
      $('setup-submit').disabled = false;
    }
  });
  current.inputs.hospital_name.addEventListener('input', receiptPlaceholder);
  receiptPlaceholder();
  clear($('setup-form')).append(current.node);
  $('setup-submit').onclick = () => current.node.requestSubmit();
  (current.inputs[focused] ?? current.inputs.hospital_name).focus();
}

export const setupShown = () => !$('setup').hidden;
