// An area whose screens arrive with a later issue: says so plainly, in the desk's language.
import { t } from '../i18n.js';
import { el } from '../ui.js';

export function mount(root, { area }) {
  root.append(el('div.coming', {}, el('h1', { text: t('coming.title', { area: t(`area.${area}`) }) }), el('p', { text: t('coming.text') })));
}
