//! 工作站: one desk PC — its data file, who is signed in, the idle lock, and the language. Every
//! command of the app is a method here, so the rules (who may do what, when the screen is
//! locked) hold whether the call comes from the page, a test, or anything else. The Tauri crate
//! only forwards to these methods.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::Serialize;

use crate::audit::Actor;
use crate::backup;
use crate::clock::{self, Session};
use crate::demo;
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::print;
use crate::reference;
use crate::staff::{self, Area, Outcome, Permission, SignedIn};
use crate::store::{self, Conn, Location, Tx};

pub struct Desk {
    pub(crate) conn: Conn,
    location: Location,
    /// Whether the desk keeps the store's time: on a server, this PC's clock corrected by the
    /// server's (a test's own clock is kept as it is).
    server_clock: bool,
    pub(crate) session: Option<SignedIn>,
    last_active: i64,
    locked: bool,
    lang: Lang,
    idle_seconds_override: Option<i64>,
    pub(crate) clock: fn() -> i64,
    /// What went wrong with the last automatic backup (shown in the status bar); written by
    /// the backup's own thread in the app.
    pub(crate) backup_problem: Arc<Mutex<Option<String>>>,
    /// The app's way: the full check and the daily backup run on threads of their own, so
    /// neither start-up nor sign-in waits for a pass over the whole file.
    background: bool,
    /// Held while an automatic backup runs, so two never run at once.
    pub(crate) backup_running: Arc<Mutex<()>>,
    /// This PC's desk code: receipts are numbered per desk.
    pub(crate) desk_code: String,
    /// The hospital as the status bar last read it (kept while a server does not answer).
    hospital_seen: Arc<Mutex<Option<reference::Hospital>>>,
    /// The data's schema version once opened (migrated to this program's).
    schema: i64,
    /// The upgrade this opening made, if the file was of an older schema.
    upgraded: Option<crate::backup::Upgrade>,
    /// This month's flagged quality tiles as last counted (when, for whom), so the status bar
    /// counts them at most every few minutes.
    pub(crate) quality_flags:
        Mutex<Option<(i64, crate::ids::StaffId, crate::quality::dashboard::Flags)>>,
}

/// Everything the shell of the page shows: the status bar, the navigation, the lock.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    pub hospital: String,
    /// The data holds no hospital yet: the page shows 初始设置 instead of the sign-in.
    pub setup_needed: bool,
    /// The data holds the demo's accounts (示范数据 in the status bar).
    pub demo: bool,
    /// This program's version, and the schema version of the data it opened (the About line).
    pub version: String,
    pub schema: i64,
    /// This start upgraded the data (the sign-in says from which version, and where the copy
    /// made before it is).
    pub upgraded: Option<crate::backup::Upgrade>,
    /// Where the data is: the file's path, or the server and database (never a password).
    pub db_path: String,
    /// On a shared server: how far this PC's clock is off the server's, in seconds, when it is
    /// more than a minute (the desk is told to have the clock set).
    pub clock_skew_seconds: Option<i64>,
    /// On a shared server: why it cannot be reached just now (the desk retries on every step).
    pub server_problem: Option<String>,
    pub business_date: String,
    pub day_session: Session,
    pub user: Option<SignedIn>,
    pub locked: bool,
    pub areas: Vec<Area>,
    /// Where the signed-in person starts ([`staff::Role::home`]).
    pub home: Option<Area>,
    pub can: Can,
    /// The roles an account may have, in order, for whoever keeps the accounts (empty for
    /// everyone else): the page names no role itself.
    pub roles: Vec<staff::Role>,
    pub idle_seconds: i64,
    pub lang: Lang,
    pub backup_problem: Option<String>,
    pub desk: String,
    /// My shift was left open from an earlier day: close it or continue it with approval.
    pub stale_shift: bool,
    /// For supervisors and the head: doctors with too many waiting.
    pub waiting_alerts: Vec<WaitingAlert>,
    /// The hospital's time zone (IANA name): the page formats every instant in it.
    pub time_zone: String,
    /// Cash denominations counted into the float and at the close, largest first.
    pub denominations: Vec<crate::registration::Denomination>,
    /// For those who handle complaints: open, overdue, due today, severe.
    pub complaints: Option<crate::complaint::Counts>,
    /// For those who make follow-up calls: due now, overdue, numbers to fix, concerns waiting.
    pub followups: Option<crate::followup::Counts>,
    /// For supervisors and the head: this month's quality targets missed or warned.
    pub quality: Option<crate::quality::dashboard::Flags>,
}

/// A document written to a file, and how this desk prints it: on `printer` through CUPS when
/// the desk has one, else by opening the file in the viewer.
#[derive(Debug, Clone)]
pub struct Printable {
    pub file: PathBuf,
    /// The job's title (ASCII: printers and their logs show it).
    pub title: String,
    pub paper: print::Paper,
    pub printer: Option<String>,
}

impl Printable {
    /// Hands the document to its printer; call it without holding the desk.
    pub fn print(&self) -> Result<Option<String>> {
        match &self.printer {
            Some(p) => print::send(p, &self.file, &self.title, self.paper).map(Some),
            None => Ok(None),
        }
    }
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct Can {
    pub reference: bool,
    pub staff: bool,
    pub backups: bool,
    pub audit: bool,
    /// Per-doctor counts and takings (挂号数据保密).
    pub doctor_stats: bool,
    /// Every cashier's closes and the whole desk's report.
    pub review_cash: bool,
    /// 满意度问卷: enters the paper forms.
    pub surveys: bool,
    /// 质量目标: sets the targets (the head).
    pub targets: bool,
    /// 抽查: draws and re-verifies follow-up calls.
    pub spot_check: bool,
    /// Exports registers with names and phones in full, for a reason.
    pub unmasked: bool,
    /// The head's list of severe and overdue complaints, the severe count.
    pub oversee: bool,
}

impl Desk {
    /// Opens the desk's data file (or server database) and makes the day's automatic backup of
    /// a file if it is due. A new file is left empty: [`Status::setup_needed`] asks for
    /// 初始设置 ([`Desk::first_start`]).
    pub fn open(at: impl Into<Location>) -> Result<Desk> {
        Desk::opened(at.into(), clock::now_ms, false, true, false)
    }

    pub fn open_with_clock(at: impl Into<Location>, clock: fn() -> i64) -> Result<Desk> {
        Desk::opened(at.into(), clock, false, false, false)
    }

    /// As [`Desk::open`], but a new file becomes the demo hospital (`--demo`): its departments,
    /// doctors, schedule and six accounts whose passwords README prints.
    pub fn open_demo(at: impl Into<Location>) -> Result<Desk> {
        Desk::opened(at.into(), clock::now_ms, false, true, true)
    }

    pub fn open_demo_with_clock(at: impl Into<Location>, clock: fn() -> i64) -> Result<Desk> {
        Desk::opened(at.into(), clock, false, false, true)
    }

    /// The app's opening: reads the header and the schema only, starts the full integrity
    /// check and the day's backup on threads of their own, and is ready for the sign-in screen
    /// at once however big the file. Nothing is written before the check has found the file
    /// sound ([`store::write`] waits for it); a damaged file refuses every write. `demo` makes
    /// a new file the demo hospital.
    pub fn open_in_background(at: impl Into<Location>, demo: bool) -> Result<Desk> {
        Desk::opened(at.into(), clock::now_ms, true, true, demo)
    }

    pub fn open_in_background_with_clock(
        at: impl Into<Location>,
        clock: fn() -> i64,
        demo: bool,
    ) -> Result<Desk> {
        Desk::opened(at.into(), clock, true, false, demo)
    }

    fn opened(
        location: Location,
        clock: fn() -> i64,
        background: bool,
        server_clock: bool,
        demo: bool,
    ) -> Result<Desk> {
        if let Some(dir) = location
            .file()
            .and_then(Path::parent)
            .filter(|d| !d.as_os_str().is_empty())
        {
            std::fs::create_dir_all(dir)?;
        }
        // An older file is copied and the copy verified before its migrations run.
        let (mut conn, upgraded) = crate::backup::open_upgrading(location.clone(), clock())?;
        if background {
            conn.check_in_background();
        } else {
            conn.ensure_sound()?;
        }
        let now = clock() + if server_clock { conn.clock_offset() } else { 0 };
        if demo && !reference::is_set_up(&conn)? {
            let today = clock::business_date(chrono_tz::Asia::Shanghai, now);
            demo::create_hospital(&mut conn, today, now)?;
        }
        let schema = conn.version()?;
        let mut desk = Desk {
            conn,
            location,
            server_clock,
            session: None,
            last_active: now,
            locked: false,
            lang: Lang::Zh,
            idle_seconds_override: None,
            clock,
            backup_problem: Arc::default(),
            background,
            backup_running: Arc::default(),
            desk_code: "01".to_string(),
            hospital_seen: Arc::default(),
            schema,
            upgraded,
            quality_flags: Mutex::default(),
        };
        desk.daily_backup();
        Ok(desk)
    }

    /// Today's business date at the hospital, at the desk's clock.
    pub(crate) fn today(&self) -> Result<chrono::NaiveDate> {
        reference::today(&self.conn, self.now())
    }

    /// The time now: this PC's clock, corrected to the server's on a shared server (the
    /// business day, the session and every instant written are then the same at every desk).
    pub(crate) fn now(&self) -> i64 {
        (self.clock)()
            + if self.server_clock {
                self.conn.clock_offset()
            } else {
                0
            }
    }

    /// Where this PC keeps the documents it prints: beside the data file, or, on a server, in
    /// the app's data folder on this PC.
    pub(crate) fn documents_dir(&self) -> PathBuf {
        let beside = match &self.location {
            Location::File(p) => p.clone(),
            Location::Server(_) => crate::paths::default_db_path(),
        };
        beside.parent().unwrap_or(Path::new(".")).to_path_buf()
    }

    /// The verdict of the full check, shared with its thread: the app waits on it without
    /// holding the desk, and shows a damaged file as soon as it is known.
    pub fn soundness(&self) -> Arc<store::Soundness> {
        self.conn.soundness()
    }

    /// Shortens or lengthens the idle lock regardless of the hospital setting (tests, kiosks).
    pub fn set_idle_seconds_override(&mut self, seconds: Option<i64>) {
        self.idle_seconds_override = seconds.filter(|s| *s > 0);
    }

    /// Sets this PC's desk code (`--desk`), which numbers its receipts: 1–8 letters or digits.
    pub fn set_desk_code(&mut self, code: &str) -> Result<()> {
        self.desk_code = crate::print::desk_code("desk", code)?;
        Ok(())
    }

    /// The store, for reads (tests, the CLI).
    pub fn connection(&self) -> &Conn {
        &self.conn
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    pub fn set_lang(&mut self, lang: Lang) -> Status {
        self.lang = lang;
        self.status()
    }

    fn idle_seconds(&self) -> i64 {
        self.idle_seconds_override.unwrap_or_else(|| {
            reference::get_hospital(&self.conn)
                .map(|h| h.idle_lock_minutes * 60)
                .unwrap_or(600)
        })
    }

    /// The day's automatic backup, if due: here and now for the CLI and the tests, on a
    /// thread with a connection of its own in the app (a big file takes seconds to copy; the
    /// desk goes on meanwhile, WAL letting it write while the copy reads).
    fn daily_backup(&mut self) {
        // A shared server is backed up by the server (pg_dump, base backups), not by forty
        // desk PCs each copying it.
        if self.conn.is_server() {
            return;
        }
        let problem = self.backup_problem.clone();
        let running = self.backup_running.clone();
        let (clock, lang) = (self.clock, self.lang);
        let run = move |conn: &mut Conn| {
            let _one_at_a_time = lock(&running);
            let actor = Actor::system("system (daily backup)");
            *lock(&problem) = backup::daily_if_due(conn, &actor, clock())
                .err()
                .map(|e| e.message(lang));
        };
        if !self.background {
            return run(&mut self.conn);
        }
        let spawned = self.conn.sibling().and_then(|mut conn| {
            std::thread::Builder::new()
                .name("frontdesk-backup".into())
                .spawn(move || run(&mut conn))
                .map_err(Error::Io)
        });
        if let Err(e) = spawned {
            *lock(&self.backup_problem) = Some(e.message(lang));
        }
    }

    pub fn status(&self) -> Status {
        let now = self.now();
        let hospital = reference::get_hospital(&self.conn);
        // Short, for the status bar: the step the clerk takes gets the full message.
        let server_problem = matches!(hospital, Err(Error::Server { .. })).then(|| {
            match self.lang {
                Lang::Zh => "数据库服务器连不上，下一步操作时会自动重连；一直如此请联系信息科",
                Lang::En => "The database server does not answer; the next step reconnects. If it lasts, call IT",
            }
            .to_string()
        });
        // The hospital as last read, while the server does not answer.
        let hospital = match hospital {
            Ok(h) => {
                *lock(&self.hospital_seen) = Some(h.clone());
                Some(h)
            }
            Err(_) => lock(&self.hospital_seen).clone(),
        };
        // No zone guessed: a desk that has never read its hospital (a server down since the
        // start) shows no business date, and instants in UTC.
        let tz = hospital.as_ref().map_or(chrono_tz::UTC, |h| h.tz());
        let time_zone = tz.name().to_string();
        let role = self.session.as_ref().map(|s| s.role);
        let can = |p| role.is_some_and(|r| r.can(p));
        // A locked desk (or one idle past its lock, which the next step locks) shows nothing
        // of the work: no counts, no alerts, no banner.
        let locked = self.locked
            || self.session.is_some() && now - self.last_active > self.idle_seconds() * 1000;
        let work = !locked;
        Status {
            hospital: hospital
                .as_ref()
                .map(|h| h.name.clone())
                .unwrap_or_default(),
            // A server that does not answer is not an empty one: the sign-in says why.
            setup_needed: !reference::is_set_up(&self.conn).unwrap_or(true),
            demo: demo::has_demo_accounts(&self.conn).unwrap_or(false),
            version: crate::VERSION.to_string(),
            schema: self.schema,
            upgraded: self.upgraded.clone(),
            db_path: self.location.shown(),
            clock_skew_seconds: Some(self.conn.clock_offset() / 1000).filter(|s| s.abs() > 60),
            server_problem,
            business_date: hospital
                .as_ref()
                .map(|_| clock::business_date(tz, now).to_string())
                .unwrap_or_default(),
            day_session: clock::session_at(tz, now),
            user: self.session.clone(),
            locked,
            areas: role.map(|r| r.areas().to_vec()).unwrap_or_default(),
            home: role.map(|r| r.home()),
            roles: if can(Permission::ManageStaff) {
                staff::Role::ALL.to_vec()
            } else {
                Vec::new()
            },
            can: Can {
                reference: can(Permission::ManageReference),
                staff: can(Permission::ManageStaff),
                backups: can(Permission::ManageBackups),
                audit: can(Permission::ViewAudit),
                doctor_stats: can(Permission::ViewDoctorStats),
                review_cash: can(Permission::ReviewCash),
                surveys: can(Permission::EnterSurveys),
                targets: can(Permission::SetTargets),
                spot_check: can(Permission::SpotCheck),
                unmasked: can(Permission::ExportUnmasked),
                oversee: can(Permission::Oversee),
            },
            idle_seconds: self.idle_seconds(),
            lang: self.lang,
            backup_problem: lock(&self.backup_problem).clone(),
            desk: self.desk_code.clone(),
            stale_shift: work && self.stale_shift(),
            waiting_alerts: if work {
                self.waiting_alerts()
            } else {
                Vec::new()
            },
            time_zone,
            denominations: crate::registration::denominations(),
            complaints: work.then(|| self.complaint_counts()).flatten(),
            followups: work.then(|| self.followup_counts()).flatten(),
            quality: work.then(|| self.quality_flags()).flatten(),
        }
    }

    pub(crate) fn actor(&self) -> Actor {
        match &self.session {
            Some(s) => Actor {
                id: Some(s.staff_id),
                name: format!("{} ({})", s.display_name, s.username),
            },
            None => Actor::system("anonymous"),
        }
    }

    /// The check every command makes first: someone is signed in, the screen is not locked
    /// (idle time included), and their role allows `permission`.
    pub(crate) fn authorize(&mut self, permission: Permission) -> Result<SignedIn> {
        self.check(permission, true)
    }

    /// The same check for a read the page may repeat on a timer (a waiting-room refresh): it
    /// does not count as the person being active, so the idle lock still engages.
    pub(crate) fn authorize_read(&mut self, permission: Permission) -> Result<SignedIn> {
        self.check(permission, false)
    }

    fn check(&mut self, permission: Permission, active: bool) -> Result<SignedIn> {
        let now = self.now();
        let session = self.session.clone().ok_or(Error::NotLoggedIn)?;
        if !self.locked && now - self.last_active > self.idle_seconds() * 1000 {
            self.locked = true;
        }
        if self.locked {
            return Err(Error::ScreenLocked);
        }
        if active {
            self.last_active = now;
        }
        if !session.role.can(permission) {
            return Err(Error::Forbidden);
        }
        Ok(session)
    }

    // ---- signing in, the idle lock ------------------------------------------------------

    pub fn login(&mut self, username: &str, password: &str) -> Result<Status> {
        let now = self.now();
        let outcome = store::write(&mut self.conn, &Actor::system("login"), now, |tx| {
            staff::sign_in(tx, username, password, "login")
        })?;
        match outcome {
            Outcome::Refused(e) => Err(e),
            Outcome::Ok(session) => {
                self.session = Some(session);
                self.locked = false;
                self.last_active = now;
                self.daily_backup();
                Ok(self.status())
            }
        }
    }

    /// 初始设置 ([`setup::first_start`]) from the first desk to start a new data file, which is
    /// then signed in as the administrator it named.
    pub fn first_start(&mut self, input: &crate::setup::FirstStart) -> Result<Status> {
        let now = self.now();
        crate::setup::first_start(&mut self.conn, input, now)?;
        self.login(input.admin_username.trim(), &input.password)
    }

    pub fn logout(&mut self) -> Result<Status> {
        if let Some(s) = self.session.take() {
            let now = self.now();
            let actor = Actor {
                id: Some(s.staff_id),
                name: s.username.clone(),
            };
            store::write(&mut self.conn, &actor, now, |tx| {
                tx.event("logout", "login", &s.username, serde_json::json!({}))
            })?;
        }
        self.locked = false;
        Ok(self.status())
    }

    /// Locks the screen now (the page's idle timer, or the clerk stepping away: Ctrl+L).
    pub fn lock(&mut self) -> Status {
        if self.session.is_some() {
            self.locked = true;
        }
        self.status()
    }

    /// Unlocks with the signed-in person's own password. Wrong passwords count towards the
    /// account lockout; when it locks, the person is signed out.
    pub fn unlock(&mut self, password: &str) -> Result<Status> {
        let session = self.session.clone().ok_or(Error::NotLoggedIn)?;
        let now = self.now();
        let actor = self.actor();
        let outcome = store::write(&mut self.conn, &actor, now, |tx| {
            staff::sign_in(tx, &session.username, password, "unlock")
        })?;
        match outcome {
            Outcome::Ok(_) => {
                self.locked = false;
                self.last_active = now;
                Ok(self.status())
            }
            Outcome::Refused(e) => {
                if !matches!(e, Error::BadCredentials) {
                    self.session = None;
                    self.locked = false;
                }
                Err(e)
            }
        }
    }

    /// The page reports that the person is still working (typing, clicking) so the idle lock
    /// does not engage in the middle of a long form. Fails if it already has.
    pub fn touch(&mut self) -> Result<Status> {
        let now = self.now();
        self.session.as_ref().ok_or(Error::NotLoggedIn)?;
        if !self.locked && now - self.last_active > self.idle_seconds() * 1000 {
            self.locked = true;
        }
        if self.locked {
            return Err(Error::ScreenLocked);
        }
        self.last_active = now;
        Ok(self.status())
    }

    // ---- reference data -----------------------------------------------------------------
}

// ---- the business day, writes, this PC's printers -------------------------------------------------------------

use crate::guide::desk::WaitingAlert;
use crate::registration::Today;

/// The business date and the session at `now`, in the hospital's zone.
pub(crate) fn business_at(conn: &Conn, now: i64) -> Result<(String, Session)> {
    let tz = reference::get_hospital(conn)?.tz();
    Ok((
        clock::business_date(tz, now).to_string(),
        clock::session_at(tz, now),
    ))
}

impl Desk {
    /// Today's business date and the session the clock is in, in the hospital's zone.
    pub(crate) fn business_now(&self) -> Result<(String, Session)> {
        business_at(&self.conn, self.now())
    }

    pub(crate) fn write<T>(&mut self, f: impl FnOnce(&mut Tx) -> Result<T>) -> Result<T> {
        let now = self.now();
        let actor = self.actor();
        store::write(&mut self.conn, &actor, now, f)
    }

    /// A write that needs today's business date and session: read inside the same
    /// transaction, at the transaction's own time.
    pub(crate) fn write_today<T>(
        &mut self,
        f: impl FnOnce(&mut Tx, Today) -> Result<T>,
    ) -> Result<T> {
        self.write(|tx| {
            let (date, session) = business_at(tx, tx.now)?;
            f(
                tx,
                Today {
                    date: &date,
                    session,
                },
            )
        })
    }
}

/// A lock that a panicked holder did not spoil: what it guards is replaced whole each time.
pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
