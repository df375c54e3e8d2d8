// 开班: before the first registration of a shift the clerk counts the float (备用金) by
// denomination; Rust sums it and opens the shift. Enter moves to the next count and, on the
// last, opens the shift.
import { api } from '../../api.js';
import { t, yuan, denomination } from '../../i18n.js';
import { el, toast, showFieldError as showError, enterMovesOn } from '../../ui.js';
import { add, kbd } from './shared.js';

/**
 * Shows the float count in `host`: one box per note or coin of `denominations` (status.
 * denominations, [{fen}], in the order Rust takes the counts). onOpened(shift) once Rust has
 * opened the shift.
 */
export function openShift(host, { denominations, onOpened }) {
  const inputs = denominations.map((d, i) => el('input.count', {
    id: `float-${i}`, inputmode: 'numeric', autocomplete: 'off', maxlength: 6, placeholder: '0', 'aria-label': denomination(d.fen),
  }));
  const error = el('div.form-error', { hidden: true, role: 'alert' });
  const submit = el('button.btn.primary#shift-open-submit', { type: 'button' }, t('shift.open'), ' ', kbd('Enter'));
  const grid = el('div.float-grid', {}, inputs.map((input, i) => el('div.rfield', { dataset: { field: `float-${i}` } },
    el('label', { for: input.id, text: `${denomination(denominations[i].fen)} ×` }), input, el('div.field-error'))));
  const go = async () => {
    showError([grid], error, null);
    const counts = [];
    for (const [i, input] of inputs.entries()) {
      const v = input.value.trim();
      if (!/^\d*$/.test(v)) {
        showError([grid], error, { field: `float-${i}`, message: t('shift.count_whole') });
        input.focus();
        return;
      }
      counts.push(v === '' ? 0 : Number(v));
    }
    submit.disabled = true;
    try {
      const shift = await api.shiftOpen(counts);
      toast(t('shift.opened', { float: yuan(shift.float_fen) }), 'ok');
      onOpened(shift);
    } catch (e) {
      showError([grid], error, e);
    } finally {
      submit.disabled = false;
    }
  };
  submit.addEventListener('click', go);
  enterMovesOn(grid, inputs, { onLast: go });
  add(host, el('section.panel.shift-panel#shift-panel', {},
    el('h1', { text: t('shift.title') }),
    el('p.muted', { text: t('shift.text') }),
    grid, error,
    el('div.actions', {}, submit)));
  inputs[0].focus();
}
