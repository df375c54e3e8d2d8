// The shell: sign-in, navigation by role, the status bar, the idle lock, the language and the
// global shortcuts. Which areas a role sees comes from Rust (`status.areas`); this file only
// shows them.
import { api } from './api.js';
import { t, setLang, lang, translate, setTimeZone } from './i18n.js';
import { el, clear, toast, dropHints, enterMovesOn, installLimits } from './ui.js';
import * as admin from './screens/admin.js';
import * as coming from './screens/coming.js';
import * as registration from './screens/registration.js';
import * as guide from './screens/guide.js';
import * as cash from './screens/cash.js';
import * as complaints from './screens/complaints.js';
import * as followup from './screens/followup.js';
import * as quality from './screens/quality.js';
import { openIntake } from './screens/complaints/intake.js';
import { openSurveyEntry } from './screens/quality/entry.js';
import { renderSetup, setupShown } from './setup.js';

const $ = (id) => document.getElementById(id);
const screens = { admin, registration, guide, cash, complaints, followup, quality };
let status = null;
let currentArea = null;
let lastInput = Date.now();
let lastTouch = Date.now();

/** Every status Rust answers with replaces the last; the hospital's time zone comes with it. */
function keepStatus(next) {
  status = next;
  if (next) setTimeZone(next.time_zone);
}

function show(which) {
  for (const id of ['login', 'setup', 'fatal', 'shell']) $(id).hidden = id !== which;
}

async function boot() {
  setLang(lang());
  try {
    keepStatus(await api.setLang(lang()));
  } catch (e) {
    showFatal(e);
    return;
  }
  if (status.user) enterShell(); else if (status.setup_needed) showSetup(); else showLogin();
  // The full check of the data file runs in Rust's background while the clerk signs in
  // (nothing is written until it has passed); a damaged file is shown as soon as it is found.
  $('login-checking').hidden = false;
  api.storeVerdict().then(() => { $('login-checking').hidden = true; }, (e) => {
    $('login-checking').hidden = true;
    if (e.code === 'db_damaged') showFatal(e);
  });
}

function showFatal(e) {
  show('fatal');
  $('fatal-message').textContent = e.message;
}

// 初始设置 on a new data file: then the administrator it names is signed in and starts in 管理;
// a desk whose setup another desk finished first is sent to the sign-in with that message.
let setupWatch = null;
const stopSetupWatch = () => { clearInterval(setupWatch); setupWatch = null; };
const setupWays = {
  done: (next) => {
    stopSetupWatch();
    keepStatus(next);
    enterShell();
    toast(t('setup.done'), 'ok');
  },
  already: async (err) => {
    stopSetupWatch();
    keepStatus(await api.status().catch(() => status));
    if (status?.user) enterShell(); else showLogin(err.message);
  },
};

function showSetup() {
  show('setup');
  $('about').textContent = t('about.line', { version: status.version, schema: status.schema });
  renderSetup(setupWays, { time_zone: 'Asia/Shanghai' });
  // On a shared server another desk may set the hospital up meanwhile: this one then waits for
  // nothing more and shows the sign-in.
  stopSetupWatch();
  setupWatch = setInterval(async () => {
    if (!setupShown()) { stopSetupWatch(); return; }
    const next = await api.status().catch(() => null);
    // Set up means a hospital read back: a server that does not answer is not that.
    if (next && !next.setup_needed && next.hospital && !next.server_problem && setupShown()) {
      stopSetupWatch();
      keepStatus(next);
      if (next.user) enterShell(); else showLogin(t('setup.done_elsewhere'));
    }
  }, 3000);
}

/** This start upgraded the data: from which version, and where the copy made before it is. */
function showUpgraded() {
  const u = status?.upgraded;
  $('login-upgraded').hidden = !u;
  if (!u) return;
  const from = u.from_version ? t('upgraded.from_release', { version: u.from_version, schema: u.from_schema }) : t('upgraded.from_schema', { schema: u.from_schema });
  $('login-upgraded').textContent = t('upgraded.text', { from, version: u.to_version, schema: u.to_schema, backup: u.backup });
}

function showLogin(message) {
  show('login');
  $('lock-screen').hidden = true;
  $('login-hospital').textContent = status?.hospital || '';
  showUpgraded();
  if (status) $('about').textContent = t('about.line', { version: status.version, schema: status.schema });
  const err = $('login-error');
  err.hidden = !message;
  err.textContent = message || '';
  $('login-password').value = '';
  $('login-username').focus();
}

$('login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const username = $('login-username').value;
  const password = $('login-password').value;
  $('login-submit').disabled = true;
  try {
    keepStatus(await api.login(username, password));
    $('login-password').value = '';
    $('login-error').hidden = true;
    enterShell();
  } catch (err) {
    $('login-error').hidden = false;
    $('login-error').textContent = err.message;
    $('login-password').value = '';
    (err.field === 'username' ? $('login-username') : $('login-password')).focus();
  } finally {
    $('login-submit').disabled = false;
  }
});
enterMovesOn($('login-form'), [$('login-username'), $('login-password')], { onLast: () => $('login-form').requestSubmit() });

function enterShell() {
  show('shell');
  $('lock-screen').hidden = !status.locked;
  lastInput = Date.now();
  renderNav();
  renderStatus();
  // Back where this person was (after the lock), else where their role starts (Rust's `home`).
  const area = status.areas.includes(currentArea) ? currentArea : (status.home || status.areas[0]);
  go(area);
}

function renderNav() {
  const nav = clear($('nav'));
  status.areas.forEach((area, i) => {
    nav.append(el('a', {
      href: '#', dataset: { area }, class: area === currentArea ? 'current' : null,
      onclick: (e) => { e.preventDefault(); go(area); },
    }, el('span', { text: t(`area.${area}`) }), el('kbd', { text: `Alt+${i + 1}` })));
  });
  // 投诉登记 from any screen, for those who take complaints.
  if (status.areas.includes('complaints')) {
    nav.append(el('button.navbtn#nav-intake', { type: 'button', onclick: () => openIntake() }, t('complaint.nav_intake'), el('br'), el('kbd', { text: 'Alt+T' })));
  }
  // 问卷录入 from any screen, for those who enter the paper forms (the guide desk first).
  if (status.can.surveys) {
    nav.append(el('button.navbtn#nav-survey', { type: 'button', onclick: () => openSurveyEntry() }, t('survey.nav'), el('br'), el('kbd', { text: 'Alt+Q' })));
  }
  nav.append(
    el('div.spacer'),
    el('button.navbtn#lang-switch', { type: 'button', title: t('lang.switch.title'), onclick: toggleLang }, t('lang.switch')),
    el('button.navbtn#lock-now', { type: 'button', onclick: lockNow }, t('shell.lock'), el('br'), el('kbd', { text: 'Ctrl+L' })),
    el('button.navbtn#logout', { type: 'button', onclick: logout }, t('shell.logout')),
  );
}

function renderStatus() {
  $('status-hospital').textContent = status.hospital;
  $('status-role').textContent = status.user ? t(`role.${status.user.role}`) : '';
  $('status-user').textContent = status.user?.display_name || '';
  $('status-hospital').title = status.hospital || '';
  // About: this program's version and the data's schema (F1's list ends with it).
  $('about').textContent = t('about.line', { version: status.version, schema: status.schema });
  $('status-demo').hidden = !status.demo;
  $('status-demo').title = t('status.demo_title');
  $('status-who').title = `${$('status-role').textContent} · ${$('status-user').textContent}`;
  $('status-date').textContent = `${status.business_date} ${t(`session.${status.day_session}`)}`;
  // Marked left-to-right: the box is right-to-left only so that a cut falls at the path's start.
  $('status-db').textContent = `\u200e${status.db_path}\u200e`;
  $('status-db').title = status.db_path;
  $('status-backup').hidden = !status.backup_problem;
  $('status-backup').textContent = status.backup_problem ? t('status.backup_problem', { msg: status.backup_problem }) : '';
  // On a shared server: the connection lost (the desk retries at every step), and this PC's
  // clock off the server's by more than a minute.
  $('status-server').hidden = !status.server_problem;
  $('status-server').textContent = status.server_problem || '';
  const skew = status.clock_skew_seconds;
  $('status-clock').hidden = skew == null;
  $('status-clock').textContent = skew == null ? '' : t('status.clock_skew', { n: Math.round(Math.abs(skew) / 60), dir: t(skew > 0 ? 'status.clock_slow' : 'status.clock_fast') });
  // Doctors with too many waiting (only supervisors and the head get any): a small amber counter.
  const alerts = status.waiting_alerts || [];
  $('status-waiting').hidden = !alerts.length;
  $('status-waiting').textContent = alerts.length ? t('status.waiting_alerts', { n: alerts.length }) : '';
  $('status-waiting').title = alerts.map((a) => t('status.waiting_alert', { dept: a.department_name, doctor: a.doctor_name, n: a.waiting })).join('\n');
  // Complaints, for those who handle them: overdue in red, due today in amber.
  const c = status.complaints;
  const box = $('status-complaints');
  box.hidden = !c || !(c.overdue || c.due_today || c.severe);
  clear(box);
  if (c) {
    if (c.overdue) box.append(el('span.bad-count', { text: t('status.complaints_overdue', { n: c.overdue }) }));
    if (c.due_today) box.append(el('span.warn-count', { text: t('status.complaints_due_today', { n: c.due_today }) }));
    if (c.severe && status.can.oversee) box.append(el('span.bad-count', { text: t('status.complaints_severe', { n: c.severe }) }));
  }
  // Follow-up calls, for those who make them: due now, and those past their date in red.
  const f = status.followups;
  const calls = $('status-followups');
  calls.hidden = !f || !(f.due || f.overdue || f.fix_number);
  clear(calls);
  if (f) {
    // Rust counts up to 1000: a backlog beyond is shown as 999+.
    const n = (x) => (x >= 1000 ? '999+' : String(x));
    if (f.overdue) calls.append(el('span.bad-count', { text: t('status.followups_overdue', { n: n(f.overdue) }) }));
    if (f.due) calls.append(el('span.warn-count', { text: t('status.followups_due', { n: n(f.due) }) }));
    if (f.fix_number) calls.append(el('span.warn-count', { text: t('status.followups_fix', { n: n(f.fix_number) }) }));
  }
  // Quality, for supervisors and the head: this month's targets missed (red) or warned (amber).
  const q = status.quality;
  const qbox = $('status-quality');
  qbox.hidden = !q || !(q.missed.length || q.warned.length || q.checks_due || q.checks_missed);
  clear(qbox);
  if (q) {
    if (q.missed.length) qbox.append(el('span.bad-count', { text: t('status.quality_missed', { n: q.missed.length }) }));
    if (q.warned.length) qbox.append(el('span.warn-count', { text: t('status.quality_warned', { n: q.warned.length }) }));
    if (q.checks_missed) qbox.append(el('span.bad-count', { text: t('status.checks_missed', { n: q.checks_missed }) }));
    if (q.checks_due) qbox.append(el('span.warn-count', { text: t('status.checks_due', { n: q.checks_due }) }));
    qbox.title = [...q.missed, ...q.warned].join('\n');
  }
  // The screens' own counters (a tab's badge) follow the same status.
  window.dispatchEvent(new CustomEvent('frontdesk:status', { detail: status }));
}

// A screen that changed the state of the world (a registration, a 退号) asks for a fresh status.
window.addEventListener('frontdesk:refresh-status', async () => {
  if (!status?.user) return;
  try { keepStatus(await api.status()); renderStatus(); } catch (e) { /* the next touch brings it */ }
});

function go(area) {
  if (!area) return;
  fillRound += 1;
  currentArea = area;
  dropHints();
  document.querySelectorAll('#nav a').forEach((a) => a.classList.toggle('current', a.dataset.area === area));
  const main = clear($('main'));
  const screen = screens[area] || coming;
  screen.mount(main, { area, status });
  $('main').focus();
}

// What was typed survives a language switch: the screen is built again in the other language
// and its boxes are filled back by id, as if typed, so totals and previews follow. Boxes of a
// screen that loads its lists first are filled when they appear — until the person touches a
// key or the pointer, or goes to another screen: from then on the screen is theirs. A box the
// new screen leaves disabled (a form waiting for a patient) stays empty. Passwords are never kept.
let fillRound = 0;
function typedValues() {
  const main = $('main');
  const kept = [...main.querySelectorAll('input[id], textarea[id], select[id]')]
    .filter((i) => !['password', 'checkbox', 'radio', 'file', 'button', 'submit'].includes(i.type) && i.value !== '')
    .map((i) => [i.id, i.value]);
  const active = document.activeElement;
  return { kept, focus: active && active.id && main.contains(active) ? active.id : null };
}

function fillBack({ kept, focus }, round = fillRound, deadline = Date.now() + 3000) {
  if (round !== fillRound) return;
  const main = $('main');
  const left = kept.filter(([id, value]) => {
    const box = document.getElementById(id);
    if (!box || !main.contains(box)) return true;
    if (box.disabled || box.value === value) return false;
    box.value = value;
    if (box.value !== value) return true; // a list whose options are not in yet
    box.dispatchEvent(new Event('input', { bubbles: true }));
    box.dispatchEvent(new Event('change', { bubbles: true }));
    return false;
  });
  const was = focus && document.getElementById(focus);
  const focused = was && main.contains(was);
  if (focused) was.focus();
  const pending = { kept: left, focus: focused ? null : focus };
  if ((left.length || pending.focus) && Date.now() < deadline) setTimeout(() => fillBack(pending, round, deadline), 50);
}
for (const type of ['keydown', 'pointerdown']) {
  document.addEventListener(type, (e) => { if (e.isTrusted) fillRound += 1; }, true);
}

async function toggleLang() {
  const typed = $('shell').hidden ? null : typedValues();
  setLang(lang() === 'en' ? 'zh-CN' : 'en');
  try { keepStatus(await api.setLang(lang())); } catch (e) { /* shown by the screens that need it */ }
  if (!$('shell').hidden) {
    renderNav();
    renderStatus();
    go(currentArea);
    if (typed?.kept.length) fillBack(typed);
  }
  if (!$('lock-screen').hidden) showLock();
  if (!$('login').hidden) { $('login-hospital').textContent = status?.hospital || ''; showUpgraded(); }
  if (setupShown()) renderSetup(setupWays);
}
document.querySelectorAll('.lang-switch').forEach((b) => b.addEventListener('click', toggleLang));

async function logout() {
  try { keepStatus(await api.logout()); } catch (e) { /* signed out either way */ }
  currentArea = null;
  showLogin();
}

// ---- the idle lock -------------------------------------------------------------------------

function showLock() {
  if (!status?.user) return;
  $('lock-screen').hidden = false;
  $('lock-text').textContent = t('lock.text', { name: status.user.display_name, role: t(`role.${status.user.role}`) });
  document.querySelectorAll('.backdrop:not(#shortcuts)').forEach((d) => { d.hidden = true; });
  $('unlock-password').focus();
}

async function lockNow() {
  try { keepStatus(await api.lock()); } catch (e) { /* locking locally is enough */ }
  showLock();
}

$('unlock-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  try {
    keepStatus(await api.unlock($('unlock-password').value));
    $('unlock-password').value = '';
    $('unlock-error').hidden = true;
    $('lock-screen').hidden = true;
    document.querySelectorAll('.backdrop:not(#shortcuts)').forEach((d) => { d.hidden = false; });
    lastInput = Date.now();
    renderStatus();
  } catch (err) {
    $('unlock-password').value = '';
    if (err.code === 'account_locked' || err.code === 'not_logged_in') {
      $('lock-screen').hidden = true;
      keepStatus(await api.status().catch(() => status));
      showLogin(err.message);
      return;
    }
    $('unlock-error').hidden = false;
    $('unlock-error').textContent = err.message;
    $('unlock-password').focus();
  }
});
$('switch-user').addEventListener('click', logout);

window.addEventListener('frontdesk:locked', showLock);
window.addEventListener('frontdesk:signed-out', () => { currentArea = null; showLogin(); });

// The page locks status.idle_seconds after the last key, click or pointer move. The instant it
// will lock at is kept on #shell as data-idle-lock-at (epoch ms, the page's clock), so what
// postpones it can be seen without timing anything.
for (const ev of ['keydown', 'mousedown', 'mousemove', 'wheel', 'touchstart']) {
  window.addEventListener(ev, () => { lastInput = Date.now(); }, { passive: true, capture: true });
}
setInterval(async () => {
  if (!status?.user || $('shell').hidden) return;
  const idleMs = status.idle_seconds * 1000;
  const lockAt = lastInput + idleMs;
  $('shell').dataset.idleLockAt = String(lockAt);
  if (!$('lock-screen').hidden) return;
  const now = Date.now();
  if (now >= lockAt) {
    lockNow();
  } else if (lastInput > lastTouch && now - lastTouch >= Math.min(30000, idleMs / 2)) {
    // Tell Rust the person is still here, so its own idle check agrees with the page.
    lastTouch = now;
    try { keepStatus(await api.touch()); renderStatus(); } catch (e) { /* a locked answer shows the lock */ }
  }
}, 500);

// The status bar's counters (waiting alerts, the session) follow the world without any input.
setInterval(async () => {
  if (!status?.user || $('shell').hidden || !$('lock-screen').hidden) return;
  try { keepStatus(await api.status()); renderStatus(); } catch (e) { /* shown on the next action */ }
}, 60000);

// ---- global shortcuts ----------------------------------------------------------------------

let beforeShortcuts = null;
function toggleShortcuts(open = $('shortcuts').hidden) {
  if (open === !$('shortcuts').hidden) return;
  $('shortcuts').hidden = !open;
  // Opened at its top: focusing the close button (at the bottom) must not scroll the list away.
  // Closed, the cursor goes back where it was (a form's field, a dialog's).
  if (open) {
    beforeShortcuts = document.activeElement;
    $('shortcuts-close').focus({ preventScroll: true });
    $('shortcuts').querySelector('.shortcuts-list').scrollTop = 0;
  } else {
    beforeShortcuts?.focus?.({ preventScroll: true });
    beforeShortcuts = null;
  }
}
$('shortcuts-close').addEventListener('click', () => toggleShortcuts(false));
$('status-complaints').addEventListener('click', () => { if (status?.areas.includes('complaints')) go('complaints'); });
$('status-followups').addEventListener('click', () => { if (status?.areas.includes('followup')) go('followup'); });
$('status-quality').addEventListener('click', () => { if (status?.areas.includes('quality')) go('quality'); });
// A complaint raised on a call names the call, and the call its complaint: either opens the other.
window.addEventListener('frontdesk:open-complaint', (e) => { if (status?.areas.includes('complaints')) { complaints.openLater(e.detail); go('complaints'); } });
window.addEventListener('frontdesk:open-followup', (e) => { if (status?.areas.includes('followup')) { followup.openLater(e.detail); go('followup'); } });

window.addEventListener('keydown', (e) => {
  if (e.key === 'F1') { e.preventDefault(); toggleShortcuts(); return; }
  if (e.key === 'Escape' && !$('shortcuts').hidden) { e.preventDefault(); toggleShortcuts(false); return; }
  if (e.altKey && (e.key === 'e' || e.key === 'E')) { e.preventDefault(); toggleLang(); return; }
  const inShell = !$('shell').hidden && $('lock-screen').hidden;
  if (!inShell) return;
  if (e.ctrlKey && (e.key === 'l' || e.key === 'L')) { e.preventDefault(); lockNow(); return; }
  if (e.altKey && (e.key === 't' || e.key === 'T') && status.areas.includes('complaints')) { e.preventDefault(); openIntake(); return; }
  if (e.altKey && (e.key === 'q' || e.key === 'Q') && status.can.surveys) { e.preventDefault(); openSurveyEntry(); return; }
  if (e.altKey && /^[1-9]$/.test(e.key)) {
    // A dialog open holds the page: the area under it stays until the dialog is closed.
    if ([...document.querySelectorAll('.backdrop:not(#shortcuts)')].some((d) => !d.hidden)) { e.preventDefault(); return; }
    const area = status.areas[Number(e.key) - 1];
    if (area) { e.preventDefault(); go(area); }
  }
});

window.addEventListener('unhandledrejection', (e) => {
  const m = e.reason?.message;
  if (m && e.reason?.code !== 'screen_locked') toast(m, 'error');
});

installLimits();
translate(document);
boot();
