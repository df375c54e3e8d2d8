// 质量看板: the department's ten targets as tiles — the period's figure against its target, met
// or not, flagged when missed or heading for a miss (the rule is Rust's and printed beneath), a
// small trend of the twelve periods — and beneath them the chosen tile's chart, how it is
// computed, and its numerator and denominator, each opening the records behind it. Every figure
// and verdict comes from Rust (quality::dashboard); the page only draws. Charts are Chart.js
// (vendored in ui/vendor, no network), drawn without animation.
//
// Keys: ←/→ (or Tab) move between tiles, Enter opens the tile's records; PageUp/PageDown step
// to the previous/next period; W/M/Q/Y choose the span when no field has the cursor.
import { api } from '../../api.js';
import { t, shipped } from '../../i18n.js';
import { el, clear, table, dialog, field, showFieldError, toast } from '../../ui.js';

const SPANS = ['week', 'month', 'quarter', 'year'];
const KEYS = { w: 'week', m: 'month', q: 'quarter', y: 'year' };
const COLORS = { accent: '#0f766e', target: '#94a3b8', bad: '#b91c1c', warn: '#b45309', ok: '#15803d', grid: '#e2e8f0' };
let view = { span: 'month', day: '', selected: 'outpatient_followup', user: null, today: null };
const charts = new Set();

const pct = (p) => (p == null ? '—' : `${Math.floor(p / 10)}.${p % 10}%`);

function shown(tile, value) {
  if (value == null) return '—';
  return tile.spec.rate ? pct(value) : t('quality.dash.times', { n: value });
}

// The target as Rust prints it everywhere (≥ 98%); a count gets the language's unit.
function targetText(tile, point) {
  if (point.target == null) return t('quality.dash.monthly_only');
  return tile.spec.rate ? point.target_shown : t('quality.dash.times', { n: point.target_shown });
}

const STATUS_CLASS = { met: 'ok', missed: 'bad', warning: 'warn', pending: '', no_data: '' };

function destroyCharts() {
  for (const c of charts) c.destroy();
  charts.clear();
}

function lineChart(canvas, tile, { small }) {
  if (!window.Chart) return null;
  const points = tile.trend;
  const factor = tile.spec.rate ? 10 : 1;
  const values = points.map((p) => (p.value == null ? null : p.value / factor));
  const targets = points.map((p) => (p.target == null ? null : p.target / factor));
  const colour = points.map((p) => (p.met === false ? COLORS.bad : COLORS.accent));
  // A rate's axis starts a step below the lowest figure or target, so a target at the lowest
  // value is a line above the axis, not hidden on it; the chart writes in the page's font.
  const fromZero = !tile.spec.rate || tile.spec.direction === 'at_most';
  const shown = [...values, ...targets].filter((v) => v != null);
  const floor = fromZero || !shown.length ? 0 : Math.max(0, Math.floor(Math.min(...shown) / 10) * 10 - 10);
  window.Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  const chart = new window.Chart(canvas, {
    type: 'line',
    data: {
      labels: points.map((p) => p.label),
      datasets: [
        { label: t('quality.dash.figure'), data: values, borderColor: COLORS.accent, backgroundColor: colour, pointBackgroundColor: colour, pointBorderColor: colour, pointRadius: small ? 2 : 4, borderWidth: small ? 1.5 : 2, spanGaps: true, tension: 0 },
        { label: t('quality.dash.target'), data: targets, borderColor: COLORS.target, backgroundColor: COLORS.target, borderDash: [5, 4], pointRadius: 0, borderWidth: 1.5, stepped: 'middle' },
      ],
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      events: small ? [] : ['mousemove', 'mouseout'],
      plugins: {
        legend: { display: !small, position: 'bottom', labels: { boxWidth: 18, font: { size: 12 } } },
        tooltip: { enabled: !small, callbacks: { label: (c) => `${c.dataset.label}: ${c.raw == null ? '—' : tile.spec.rate ? `${c.raw.toFixed(1)}%` : c.raw}` } },
      },
      scales: {
        x: { display: !small, grid: { display: false }, ticks: { font: { size: 11 }, maxRotation: 0, autoSkip: true } },
        y: { display: !small, beginAtZero: fromZero, min: floor, grid: { color: COLORS.grid }, ticks: { font: { size: 11 }, callback: (v) => (tile.spec.rate ? `${v}%` : v), ...(tile.spec.rate ? {} : { precision: 0 }) } },
      },
    },
  });
  charts.add(chart);
  return chart;
}

export async function dashboardView(body, status) {
  // Another person signed in, or a new day: the dashboard starts again from today.
  if (view.user !== status.user.staff_id || view.today !== status.business_date) {
    view = { span: 'month', day: status.business_date, selected: 'outpatient_followup', user: status.user.staff_id, today: status.business_date };
  }
  const spans = el('div.tabs.q-spans', { role: 'tablist' });
  for (const s of SPANS) {
    spans.append(el('button', { type: 'button', role: 'tab', dataset: { span: s }, onclick: () => { view.span = s; view.day = day.value.trim() || view.day; show(); } },
      t(`quality.dash.span.${s}`), ' ', el('kbd', { text: s[0].toUpperCase() })));
  }
  const day = el('input.date-input#q-day', { value: view.day, maxlength: 10 });
  const general = el('div.form-error', { hidden: true });
  const step = (dir) => el('button.btn', { type: 'button', onclick: () => move(dir) }, dir < 0 ? t('quality.dash.prev') : t('quality.dash.next'), ' ', el('kbd', { text: dir < 0 ? 'PgUp' : 'PgDn' }));
  const periodName = el('strong.q-period#q-period');
  // 质量月报 of the month the date falls in, saved where the person chooses.
  const report = el('button.btn#q-report', { type: 'button', onclick: async () => {
    const month = current?.span === 'month' ? current.period.label : view.day.slice(0, 7);
    try {
      const path = await api.qualityReportSave(month);
      if (path) toast(t('quality.dash.report_saved', { path }), 'ok');
    } catch (e) { toast(e.message, 'error'); }
  } }, t('quality.dash.report'));
  const bar = el('div.toolbar.fig-bar.q-dash-bar', {}, spans, field('day', t('quality.dash.day'), day), step(-1), periodName, step(1), el('span.grow'), report, general);
  const grid = el('div.q-tiles#q-tiles');
  const detail = el('div.panel.q-detail#q-detail');
  const rule = el('p.faint.q-rule#q-rule');
  // The keys belong to this view's own box: the screen's body is shared with the other views.
  const box = el('div.q-dash#q-dash', {}, bar, grid, detail, rule);
  clear(body).append(box);
  let current = null;
  let asks = 0;

  day.addEventListener('keydown', (e) => { if (e.key === 'Enter' && !e.isComposing) { e.preventDefault(); view.day = day.value.trim(); show(); } });
  box.addEventListener('keydown', (e) => {
    if (e.target.closest('input, select, textarea') || e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === 'PageUp' || e.key === 'PageDown') { e.preventDefault(); move(e.key === 'PageUp' ? -1 : 1); return; }
    const span = KEYS[e.key.toLowerCase()];
    if (span) { e.preventDefault(); view.span = span; show(); return; }
    if ((e.key === 'ArrowRight' || e.key === 'ArrowLeft') && e.target.closest('.q-tile')) {
      e.preventDefault();
      const tiles = [...grid.querySelectorAll('.q-tile')];
      const i = tiles.indexOf(e.target.closest('.q-tile'));
      const next = tiles[(i + (e.key === 'ArrowRight' ? 1 : tiles.length - 1)) % tiles.length];
      next.focus();
      select(next.dataset.code);
    }
  });

  // The day before the period shown (previous) or after it (next): Rust finds its period.
  function move(dir) {
    if (!current) return;
    const edge = new Date(`${dir < 0 ? current.period.from : current.period.to}T12:00:00Z`);
    edge.setUTCDate(edge.getUTCDate() + dir);
    view.day = edge.toISOString().slice(0, 10);
    day.value = view.day;
    show();
  }

  async function show() {
    spans.querySelectorAll('button').forEach((b) => b.classList.toggle('current', b.dataset.span === view.span));
    showFieldError([bar], general, null);
    grid.setAttribute('aria-busy', 'true');
    let d;
    const asked = ++asks;
    try {
      d = await api.qualityDashboard(view.span, view.day);
    } catch (e) { if (asked === asks) { grid.removeAttribute('aria-busy'); showFieldError([bar], general, e); } return; }
    if (asked !== asks) return; // a newer request (PageUp pressed again) is on its way
    current = d;
    view.day = day.value = view.day || d.period.to;
    periodName.textContent = t('quality.dash.period', { label: d.period.label, from: d.period.from, to: d.period.to });
    destroyCharts();
    clear(grid);
    for (const tile of d.tiles) grid.append(tileNode(tile));
    grid.removeAttribute('aria-busy');
    grid.dataset.span = d.span;
    grid.dataset.period = d.period.label;
    rule.textContent = d.rule;
    // The status bar's flags were counted again with these tiles: show them.
    window.dispatchEvent(new Event('frontdesk:refresh-status'));
    select(view.selected);
    // The tile that had the cursor was drawn again: the cursor goes back to it.
    const active = document.activeElement;
    if (!active || active === document.body || !document.body.contains(active)) grid.querySelector(`#qt-${view.selected}`)?.focus();
  }

  function tileNode(tile) {
    const cls = STATUS_CLASS[tile.status];
    const spark = el('canvas', { width: 180, height: 44 });
    const node = el(`button.q-tile${cls ? `.${cls}` : ''}#qt-${tile.spec.code}`, {
      type: 'button', dataset: { code: tile.spec.code, status: tile.status },
      onclick: () => select(tile.spec.code), onfocus: () => select(tile.spec.code),
      ondblclick: () => openRecords(tile, 'numerator'),
      onkeydown: (e) => { if (e.key === 'Enter' && !e.isComposing) { e.preventDefault(); e.stopPropagation(); openRecords(tile, 'numerator'); } },
    },
    el('span.q-name', { text: shipped(tile.spec.name) }),
    el('span.q-figure', { text: shown(tile, tile.now.value) }),
    el('span.q-target', { text: `${t('quality.dash.target')} ${targetText(tile, tile.now)}` }),
    el('span.q-foot', {},
      el(`span.pill${cls ? `.${cls}` : ''}.q-status`, { text: t(`quality.dash.status.${tile.status}`) }),
      tile.now.denominator != null ? el('span.faint.q-frac', { text: `${tile.now.numerator} / ${tile.now.denominator}` }) : null),
    el('span.q-spark', {}, spark));
    requestAnimationFrame(() => lineChart(spark, tile, { small: true }));
    return node;
  }

  function select(code) {
    if (!current) return;
    const tile = current.tiles.find((x) => x.spec.code === code) || current.tiles[0];
    view.selected = tile.spec.code;
    grid.querySelectorAll('.q-tile').forEach((n) => n.classList.toggle('selected', n.dataset.code === tile.spec.code));
    for (const c of charts) if (c.canvas.closest('#q-detail')) { c.destroy(); charts.delete(c); }
    const cls = STATUS_CLASS[tile.status];
    const canvas = el('canvas#q-chart');
    const parts = [];
    if (tile.now.denominator != null) {
      parts.push(el('button.btn#q-numerator', { type: 'button', onclick: () => openRecords(tile, 'numerator') }, t('quality.dash.numerator', { n: tile.now.numerator })));
      parts.push(el('button.btn#q-denominator', { type: 'button', onclick: () => openRecords(tile, 'denominator') }, t('quality.dash.denominator', { n: tile.now.denominator })));
    } else if (tile.spec.code === 'market_surveys') {
      parts.push(el('button.btn#q-numerator', { type: 'button', onclick: () => openRecords(tile, 'numerator') }, t('quality.dash.held', { n: tile.now.value ?? 0 })));
    }
    const indicators = tile.indicators.length ? table([
      { label: t('quality.operating.indicator'), get: (i) => i.name },
      { label: t('quality.operating.actual'), get: (i) => String(i.actual), className: 'num' },
      { label: t('quality.dash.period_target'), get: (i) => String(i.target), className: 'num' },
      { label: t('quality.operating.completion'), get: (i) => pct(i.completion), className: 'num' },
    ], tile.indicators) : (tile.spec.code === 'operating_completion' ? el('p.muted', { text: t('quality.dash.no_operating') }) : null);
    clear(detail).append(
      el('div.q-detail-head', {},
        el('h2', { text: shipped(tile.spec.name) }),
        el(`span.pill${cls ? `.${cls}` : ''}`, { text: t(`quality.dash.status.${tile.status}`) }),
        tile.warning ? el(`span.${tile.status === 'missed' ? 'bad-text' : 'warn-text'}.q-warning`, { text: tile.warning }) : null,
        el('span.grow'),
        el('span.q-big', { text: shown(tile, tile.now.value) }),
        el('span.muted', { text: `${t('quality.dash.target')} ${targetText(tile, tile.now)}` })),
      el('div.q-detail-body', {},
        el('div.q-chart', {}, canvas),
        el('div.q-how', {},
          el('h3', { text: t('quality.dash.definition') }),
          el('p.q-definition', { text: tile.definition }),
          el('div.toolbar', {}, ...parts),
          indicators)));
    requestAnimationFrame(() => lineChart(canvas, tile, { small: false }));
  }

  async function openRecords(tile, part) {
    if (tile.spec.code === 'operating_completion' || !current) return;
    let r;
    try {
      r = await api.qualityRecords({ code: tile.spec.code, from: current.period.from, to: current.period.to, part });
    } catch (e) { toast(e.message, 'error'); return; }
    let d;
    const tbl = table([
      { label: t('quality.dash.col.date'), get: (l) => l.date, className: 'num' },
      { label: t('quality.dash.col.source'), get: (l) => l.source },
      { label: t('quality.dash.col.who'), get: (l) => l.who },
      { label: t('quality.dash.col.detail'), get: (l) => l.detail },
    ], r.lines, {
      onOpen: (l) => {
        if (l.opens === 'followup' && status.areas.includes('followup')) { d.close(); window.dispatchEvent(new CustomEvent('frontdesk:open-followup', { detail: l.id })); }
        if (l.opens === 'complaint' && status.areas.includes('complaints')) { d.close(); window.dispatchEvent(new CustomEvent('frontdesk:open-complaint', { detail: l.id })); }
      },
    });
    const title = `${shipped(tile.spec.name)} · ${t(part === 'numerator' ? 'quality.dash.part.numerator' : 'quality.dash.part.denominator')} · ${current.period.label}`;
    d = dialog(title, el('div.rt-records#q-records', {},
      el('p.muted', { text: r.total > r.lines.length ? t('quality.dash.records_more', { n: r.lines.length, total: r.total }) : t('quality.dash.records_count', { n: r.total }) }),
      tbl), [el('button.btn', { type: 'button', onclick: () => d.close() }, t('common.close'), ' ', el('kbd', { text: 'Esc' }))]);
    d.node.classList.add('wide');
    d.node.querySelector('tr[tabindex]')?.focus();
  }

  await show();
  grid.querySelector(`#qt-${view.selected}`)?.focus();
}
