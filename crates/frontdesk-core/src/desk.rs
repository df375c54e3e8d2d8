//! 工作站: one desk PC — its data file, who is signed in, the idle lock, and the language. Every
//! command of the app is a method here, so the rules (who may do what, when the screen is
//! locked) hold whether the call comes from the page, a test, or anything else. The Tauri crate
//! only forwards to these methods.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::Serialize;
use serde_json::Value;

use crate::audit::{self, Actor};
use crate::backup::{self, BackupFile};
use crate::clock::{self, Session};
use crate::demo;
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::ids::{PatientId, ReceiptId, RegistrationId, ShiftId, StaffId};
use crate::print;
use crate::reference::{self, Kind};
use crate::staff::{self, Area, Outcome, Permission, SignedIn, Staff, StaffInput};
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
    backup_problem: Arc<Mutex<Option<String>>>,
    /// The app's way: the full check and the daily backup run on threads of their own, so
    /// neither start-up nor sign-in waits for a pass over the whole file.
    background: bool,
    /// Held while an automatic backup runs, so two never run at once.
    backup_running: Arc<Mutex<()>>,
    /// This PC's desk code: receipts are numbered per desk.
    pub(crate) desk_code: String,
    /// The hospital as the status bar last read it (kept while a server does not answer).
    hospital_seen: Arc<Mutex<Option<reference::Hospital>>>,
    /// This month's flagged quality tiles as last counted (when, for whom), so the status bar
    /// counts them at most every few minutes.
    pub(crate) quality_flags:
        Mutex<Option<(i64, crate::ids::StaffId, crate::quality::dashboard::Flags)>>,
}

/// Everything the shell of the page shows: the status bar, the navigation, the lock.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    pub hospital: String,
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
    pub can: Can,
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

/// 管理 → 打印机.
#[derive(Debug, Clone, Serialize)]
pub struct PrintersView {
    pub this_desk: print::DeskPrinters,
    pub desks: Vec<print::DeskPrinters>,
    /// The printers CUPS has on this PC.
    pub installed: Vec<String>,
    /// Why the list is empty, when CUPS could not be asked.
    pub service_problem: Option<String>,
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
    /// Opens the desk's data file (or server database), creating the demo hospital when it is
    /// new, and makes the day's automatic backup of a file if it is due.
    pub fn open(at: impl Into<Location>) -> Result<Desk> {
        Desk::opened(at.into(), clock::now_ms, false, true)
    }

    pub fn open_with_clock(at: impl Into<Location>, clock: fn() -> i64) -> Result<Desk> {
        Desk::opened(at.into(), clock, false, false)
    }

    /// The app's opening: reads the header and the schema only, starts the full integrity
    /// check and the day's backup on threads of their own, and is ready for the sign-in screen
    /// at once however big the file. Nothing is written before the check has found the file
    /// sound ([`store::write`] waits for it); a damaged file refuses every write.
    pub fn open_in_background(at: impl Into<Location>) -> Result<Desk> {
        Desk::opened(at.into(), clock::now_ms, true, true)
    }

    pub fn open_in_background_with_clock(
        at: impl Into<Location>,
        clock: fn() -> i64,
    ) -> Result<Desk> {
        Desk::opened(at.into(), clock, true, false)
    }

    fn opened(
        location: Location,
        clock: fn() -> i64,
        background: bool,
        server_clock: bool,
    ) -> Result<Desk> {
        if let Some(dir) = location
            .file()
            .and_then(Path::parent)
            .filter(|d| !d.as_os_str().is_empty())
        {
            std::fs::create_dir_all(dir)?;
        }
        let mut conn = Conn::open(&location)?;
        if background {
            conn.check_in_background();
        } else {
            conn.ensure_sound()?;
        }
        let now = clock() + if server_clock { conn.clock_offset() } else { 0 };
        if reference::get_hospital(&conn).is_err() {
            let today = clock::business_date(chrono_tz::Asia::Shanghai, now);
            demo::create_hospital(&mut conn, today, now)?;
        }
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

    pub fn reference_list(&mut self, kind: &str, filter: &Value) -> Result<Value> {
        let kind = Kind::parse(kind)?;
        // Everyone signed in reads reference data (a clerk needs the schedule); only the
        // department head and the administrator change it.
        self.authorize_any()?;
        reference::list(&self.conn, kind, filter)
    }

    fn authorize_any(&mut self) -> Result<SignedIn> {
        let role = self
            .session
            .as_ref()
            .map(|s| s.role)
            .ok_or(Error::NotLoggedIn)?;
        self.authorize(Permission::UseArea(role.areas()[0]))
    }

    pub fn reference_save(&mut self, kind: &str, input: &Value) -> Result<Value> {
        let kind = Kind::parse(kind)?;
        let me = self.authorize(Permission::ManageReference)?;
        reference::check_fields(kind, me.role, input)?;
        let now = self.now();
        let actor = self.actor();
        let id = store::write(&mut self.conn, &actor, now, |tx| {
            let id = reference::save(tx, kind, input)?;
            // The working calendar and the tiers' days move the open complaints' deadlines.
            if crate::complaint::deadlines_follow(kind) {
                crate::complaint::recompute_open(tx)?;
            }
            Ok(id)
        })?;
        reference::get(&self.conn, kind, id)
    }

    pub fn reference_delete(&mut self, kind: &str, id: i64) -> Result<()> {
        let kind = Kind::parse(kind)?;
        self.authorize(Permission::ManageReference)?;
        let now = self.now();
        let actor = self.actor();
        store::write(&mut self.conn, &actor, now, |tx| {
            reference::delete(tx, kind, id)?;
            if crate::complaint::deadlines_follow(kind) {
                crate::complaint::recompute_open(tx)?;
            }
            Ok(())
        })
    }

    // ---- staff --------------------------------------------------------------------------

    pub fn staff_list(&mut self) -> Result<Vec<Staff>> {
        self.authorize(Permission::ManageStaff)?;
        staff::list_staff(&self.conn)
    }

    pub fn staff_save(&mut self, input: &StaffInput) -> Result<Staff> {
        let me = self.authorize(Permission::ManageStaff)?;
        let now = self.now();
        let actor = self.actor();
        let saved = store::write(&mut self.conn, &actor, now, |tx| {
            staff::upsert_staff(tx, input)
        })?;
        if saved.id == me.staff_id {
            self.session = Some(SignedIn {
                staff_id: saved.id,
                username: saved.username.clone(),
                display_name: saved.display_name.clone(),
                role: saved.role,
            });
        }
        Ok(saved)
    }

    // ---- backups and the audit log ------------------------------------------------------

    pub fn backups(&mut self) -> Result<BackupsView> {
        self.authorize(Permission::ManageBackups)?;
        let dir = backup::backup_dir(&self.conn)?;
        let hospital = reference::get_hospital(&self.conn)?;
        Ok(BackupsView {
            dir: dir.display().to_string(),
            configured: hospital.backup_dir.is_some(),
            keep: hospital.backup_keep,
            files: backup::list_backups(&dir)?,
        })
    }

    /// Sets the backup folder (chosen in the native dialog) and how many daily backups to keep.
    pub fn backup_settings(&mut self, dir: &str, keep: i64) -> Result<BackupsView> {
        self.authorize(Permission::ManageBackups)?;
        let dir = crate::validate::text("backup_dir", dir, 1, 1000)?;
        if !Path::new(&dir).is_absolute() {
            return Err(Error::invalid(
                "backup_dir",
                crate::error::Problem::BadFormat,
            ));
        }
        std::fs::create_dir_all(&dir)?;
        let now = self.now();
        let actor = self.actor();
        let mut input = serde_json::to_value(reference::get_hospital(&self.conn)?)?;
        input["backup_dir"] = Value::from(dir);
        input["backup_keep"] = Value::from(keep);
        store::write(&mut self.conn, &actor, now, |tx| {
            reference::save(tx, Kind::Hospital, &input)
        })?;
        self.backups()
    }

    pub fn backup_now(&mut self) -> Result<BackupFile> {
        self.authorize(Permission::ManageBackups)?;
        let dir = backup::backup_dir(&self.conn)?;
        let now = self.now();
        let actor = self.actor();
        // Not at the same time as the automatic backup (same second, same file name).
        let running = self.backup_running.clone();
        let _one_at_a_time = lock(&running);
        let path = backup::backup_to(&mut self.conn, &dir, &actor, now)?;
        *lock(&self.backup_problem) = None;
        let keep = reference::get_hospital(&self.conn)?.backup_keep;
        backup::rotate(&dir, keep as usize)?;
        backup::list_backups(&dir)?
            .into_iter()
            .find(|f| Path::new(&f.path) == path)
            .ok_or(Error::NotFound("file"))
    }

    /// Replaces the data with a verified backup. The person stays signed in only if their
    /// account exists in the restored data with the same role; otherwise they sign in again.
    pub fn restore(&mut self, file: &str) -> Result<String> {
        let me = self.authorize(Permission::ManageBackups)?;
        let now = self.now();
        let actor = self.actor();
        let safety = backup::restore(&mut self.conn, Path::new(file), &actor, now)?;
        store::upgrade(&mut self.conn)?;
        let still = staff::get_staff(&self.conn, me.staff_id)
            .ok()
            .filter(|s| s.active && s.role == me.role && s.username == me.username);
        if still.is_none() {
            self.session = None;
        }
        Ok(safety.display().to_string())
    }

    /// The log, newest first, as the administrator reads it: the copies of patients and
    /// complainants with their names, phones, ID numbers and addresses masked (张*三,
    /// 138****8000) — the administrator's area holds no patient data. [`Desk::audit_list_unmasked`]
    /// shows them in full, for a reason. `verify` reads everything either way.
    pub fn audit_list(&mut self, entity: Option<&str>, limit: i64) -> Result<Vec<audit::Entry>> {
        let mut entries = self.audit_entries(entity, limit)?;
        for e in &mut entries {
            for copy in [&mut e.before, &mut e.after].into_iter().flatten() {
                *copy = crate::mask::row_copy(&e.entity, copy);
            }
        }
        Ok(entries)
    }

    /// The log with personal data in full: the reason is required and kept in the log itself,
    /// with who read which entries.
    pub fn audit_list_unmasked(
        &mut self,
        entity: Option<&str>,
        limit: i64,
        reason: &str,
    ) -> Result<Vec<audit::Entry>> {
        self.authorize(Permission::ViewAudit)?;
        let reason = crate::validate::text("export_reason", reason, 2, 200)?;
        let entity = entity.filter(|e| !e.is_empty());
        self.write(|tx| {
            tx.event(
                "audit.unmasked",
                "audit",
                entity.unwrap_or("*"),
                serde_json::json!({ "entity": entity, "limit": limit, "reason": reason }),
            )
        })?;
        self.audit_entries(entity, limit)
    }

    fn audit_entries(&mut self, entity: Option<&str>, limit: i64) -> Result<Vec<audit::Entry>> {
        let me = self.authorize(Permission::ViewAudit)?;
        let mut entries = audit::list_entries(&self.conn, entity.filter(|e| !e.is_empty()), limit)?;
        // 处罚直接责任者 is the supervisors' and the head's: the log shows that it was recorded
        // (and `verify` checks it whole), not who and what.
        if !crate::complaint::sees_accountability(me.role) {
            for e in &mut entries {
                if e.action == "complaint.accountability" && e.entity == "complaint_step" {
                    e.after = Some("{\"withheld\": \"处罚直接责任者：仅主管与主任可见\"}".into());
                }
            }
        }
        Ok(entries)
    }

    pub fn audit_verify(&mut self) -> Result<audit::Report> {
        self.authorize(Permission::ViewAudit)?;
        audit::verify(&self.conn)
    }
}

// ---- 挂号: the registration desk -------------------------------------------------------------

use crate::guide::{self, DoctorQueue};
use crate::registration::{
    self as reg, Appointment, BookInput, CancelInput, Cancelled, ChangeInput, Choice, DutyOption,
    Quote, RegisterInput, Registered, RegistrationView, Shift, Suggestion, Today,
};
use crate::report::DoctorStats;

/// A doctor with more waiting than the hospital's alert threshold, for the supervisors.
#[derive(Debug, Clone, Serialize)]
pub struct WaitingAlert {
    pub doctor_name: String,
    pub department_name: String,
    pub waiting: i64,
}

/// The business date and the session at `now`, in the hospital's zone.
fn business_at(conn: &Conn, now: i64) -> Result<(String, Session)> {
    let tz = reference::get_hospital(conn)?.tz();
    Ok((
        clock::business_date(tz, now).to_string(),
        clock::session_at(tz, now),
    ))
}

impl Desk {
    /// Today's business date and the session the clock is in, in the hospital's zone.
    fn business_now(&self) -> Result<(String, Session)> {
        business_at(&self.conn, self.now())
    }

    fn write<T>(&mut self, f: impl FnOnce(&mut Tx) -> Result<T>) -> Result<T> {
        let now = self.now();
        let actor = self.actor();
        store::write(&mut self.conn, &actor, now, f)
    }

    /// A write that needs today's business date and session: read inside the same
    /// transaction, at the transaction's own time.
    fn write_today<T>(&mut self, f: impl FnOnce(&mut Tx, Today) -> Result<T>) -> Result<T> {
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

    pub fn shift_current(&mut self) -> Result<Option<Shift>> {
        let me = self.authorize_read(Permission::UseArea(Area::Registration))?;
        let now = self.now();
        let Some(mut shift) = reg::open_shift_of(&self.conn, me.staff_id)? else {
            return Ok(None);
        };
        shift.stale = cash::shift_info(&self.conn, shift.id, now)?.stale;
        Ok(Some(shift))
    }

    /// 开班: the float counted by denomination (see `registration::DENOMINATIONS`).
    pub fn shift_open(&mut self, counts: &[i64]) -> Result<Shift> {
        let me = self.authorize(Permission::UseArea(Area::Registration))?;
        let desk = self.desk_code.clone();
        self.write(|tx| reg::open_shift(tx, me.staff_id, &desk, counts))
    }

    pub fn duty_today(&mut self, session: Option<&str>) -> Result<Vec<DutyOption>> {
        self.authorize_read(Permission::UseArea(Area::Registration))?;
        let (date, _) = self.business_now()?;
        let session = match session.map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => Some(
                Session::parse(s)
                    .ok_or(Error::invalid("session", crate::error::Problem::Unknown))?,
            ),
        };
        reg::on_duty(&self.conn, &date, session)
    }

    pub fn triage_suggest(&mut self, complaint: &str) -> Result<Vec<Suggestion>> {
        self.authorize(Permission::UseArea(Area::Registration))?;
        crate::validate::text("chief_complaint", complaint, 0, 200)?;
        reg::suggest_departments(&self.conn, complaint)
    }

    pub fn registration_quote(&mut self, choice: &Choice) -> Result<Quote> {
        self.authorize(Permission::UseArea(Area::Registration))?;
        let (date, session) = self.business_now()?;
        reg::quote(
            &self.conn,
            choice,
            Today {
                date: &date,
                session,
            },
        )
    }

    /// 唱收唱付 while the clerk types: the lines checked and the change, nothing written.
    pub fn payment_preview(
        &mut self,
        due: crate::money::Fen,
        lines: &[reg::PaymentInput],
    ) -> Result<Vec<reg::PaymentLine>> {
        self.authorize(Permission::UseArea(Area::Registration))?;
        crate::validate::range("amount", due.0, 0, 1_000_000_000)?;
        reg::check_payments(&self.conn, lines, due)
    }

    /// 挂号 and 收费 in one transaction.
    pub fn register(&mut self, input: &RegisterInput) -> Result<Registered> {
        let me = self.authorize(Permission::UseArea(Area::Registration))?;
        let desk = self.desk_code.clone();
        self.write_today(|tx, today| reg::register(tx, me.staff_id, &desk, input, today))
    }

    /// 退号. Above the hospital's threshold the input carries a supervisor's username and
    /// password; they are checked first (wrong ones count towards that account's lockout).
    pub fn registration_cancel(&mut self, input: &CancelInput) -> Result<Cancelled> {
        let me = self.authorize(Permission::UseArea(Area::Registration))?;
        let threshold = reference::get_hospital(&self.conn)?.refund_approval_fen;
        let amount = reg::refund_amount(&self.conn, input.registration_id)?;
        let approver = if amount > threshold && !input.approver_username.trim().is_empty() {
            Some(self.supervisor_approval(
                &input.approver_username,
                &input.approver_password,
                me.staff_id,
            )?)
        } else {
            None
        };
        self.write(|tx| reg::cancel(tx, me.staff_id, input, approver, threshold))
    }

    /// What a 换号 would cost or refund, before it is made.
    pub fn registration_change_quote(&mut self, input: &ChangeInput) -> Result<reg::ChangeQuote> {
        self.authorize(Permission::UseArea(Area::Registration))?;
        let (date, session) = self.business_now()?;
        reg::change_quote(
            &self.conn,
            input,
            Today {
                date: &date,
                session,
            },
        )
    }

    /// 换号.
    pub fn registration_change(&mut self, input: &ChangeInput) -> Result<Registered> {
        let me = self.authorize(Permission::UseArea(Area::Registration))?;
        let desk = self.desk_code.clone();
        self.write_today(|tx, today| reg::change(tx, me.staff_id, &desk, input, today))
    }

    /// Today's registrations at the desk, or one patient's history.
    pub fn registrations(
        &mut self,
        patient_id: Option<PatientId>,
    ) -> Result<Vec<RegistrationView>> {
        self.authorize_read(Permission::UseArea(Area::Registration))?;
        let (date, _) = self.business_now()?;
        let which = match patient_id {
            Some(p) => reg::Listing::Patient(p),
            None => reg::Listing::Day(&date),
        };
        reg::list_registrations(&self.conn, which, 200)
    }

    /// Writes the receipt's PDF into `receipts/` beside the data file and returns its path.
    /// A reprint is counted in the audit log and marked 重打.
    /// The receipt's PDF written beside the data file (a reprint recorded and marked 重打), with
    /// what is needed to print it on this desk's receipt printer, if it has one.
    pub fn receipt_document(&mut self, receipt_id: ReceiptId, reprint: bool) -> Result<Printable> {
        let me = self.authorize(Permission::UseArea(Area::Registration))?;
        let copies = if reprint {
            self.write(|tx| crate::receipt::record_reprint(tx, receipt_id, me.staff_id))?
        } else {
            0
        };
        let (bytes, paper) = crate::receipt::receipt_pdf(&self.conn, receipt_id, reprint)?;
        let number = crate::receipt::number(&self.conn, receipt_id)?;
        let (name, title) = if copies > 0 {
            (
                format!("{number}-重打{copies}"),
                format!("receipt-{number}-reprint{copies}"),
            )
        } else {
            (number.clone(), format!("receipt-{number}"))
        };
        let dir = self.documents_dir().join("receipts");
        std::fs::create_dir_all(&dir)?;
        let file = dir.join(format!("收据-{name}.pdf"));
        std::fs::write(&file, bytes)?;
        let printer = print::of_desk(&self.conn, &self.desk_code)?.receipt_printer;
        Ok(Printable {
            file,
            title,
            paper,
            printer,
        })
    }

    /// The receipt's PDF, for a copy saved elsewhere.
    pub fn receipt_file(&mut self, receipt_id: ReceiptId, reprint: bool) -> Result<PathBuf> {
        Ok(self.receipt_document(receipt_id, reprint)?.file)
    }

    /// This desk's printers, every desk's, and the printers this PC has (管理 → 打印机).
    pub fn printers(&mut self) -> Result<PrintersView> {
        self.authorize_read(Permission::ManageReference)?;
        let (installed, service_problem) = match print::installed() {
            Ok(list) => (list, None),
            Err(e) => (Vec::new(), Some(e.message(self.lang))),
        };
        Ok(PrintersView {
            this_desk: print::of_desk(&self.conn, &self.desk_code)?,
            desks: print::all(&self.conn)?,
            installed,
            service_problem,
        })
    }

    pub fn printers_set(&mut self, input: &print::DeskPrintersInput) -> Result<PrintersView> {
        self.authorize(Permission::ManageReference)?;
        self.write(|tx| print::set(tx, input))?;
        self.printers()
    }

    pub fn appointment_book(&mut self, input: &BookInput) -> Result<Appointment> {
        self.authorize(Permission::UseArea(Area::Registration))?;
        self.write_today(|tx, today| reg::book(tx, input, today))
    }

    /// Today's bookings; with `no_shows`, those whose session is over without a check-in.
    pub fn appointments(&mut self, no_shows: bool) -> Result<Vec<Appointment>> {
        self.authorize_read(Permission::UseArea(Area::Registration))?;
        let (date, session) = self.business_now()?;
        let now = Today {
            date: &date,
            session,
        };
        reg::list_appointments(&self.conn, &date, no_shows.then_some(now))
    }

    pub fn waiting_room(&mut self) -> Result<Vec<DoctorQueue>> {
        self.authorize_read(Permission::MarkSeen)?;
        let (date, session) = self.business_now()?;
        let threshold = reference::get_hospital(&self.conn)?.waiting_alert;
        guide::waiting_room(
            &self.conn,
            Today {
                date: &date,
                session,
            },
            threshold,
        )
    }

    pub fn mark_seen(&mut self, registration_id: RegistrationId) -> Result<()> {
        self.authorize(Permission::MarkSeen)?;
        self.write(|tx| guide::mark_seen(tx, registration_id))
    }

    pub fn doctor_stats(&mut self) -> Result<Vec<DoctorStats>> {
        self.authorize_read(Permission::ViewDoctorStats)?;
        let (date, _) = self.business_now()?;
        crate::report::doctor_stats(&self.conn, &date)
    }

    /// Doctors with more waiting than the threshold; only for those who see the alert.
    fn waiting_alerts(&self) -> Vec<WaitingAlert> {
        let role = self.session.as_ref().map(|s| s.role);
        if !role.is_some_and(|r| r.can(Permission::ViewDoctorStats)) {
            return Vec::new();
        }
        let Ok((date, session)) = self.business_now() else {
            return Vec::new();
        };
        let threshold = reference::get_hospital(&self.conn)
            .map(|h| h.waiting_alert)
            .unwrap_or(8);
        guide::waiting_room(
            &self.conn,
            Today {
                date: &date,
                session,
            },
            threshold,
        )
        .unwrap_or_default()
        .into_iter()
        .filter(|q| q.alert)
        .map(|q| WaitingAlert {
            doctor_name: q.doctor_name,
            department_name: q.department_name,
            waiting: q.waiting,
        })
        .collect()
    }
}

// ---- 日结: closing the shift ---------------------------------------------------------------

use crate::cash::{self, CloseInput, CloseView, ClosedShift, ShiftInfo};

impl Desk {
    fn my_open_shift(&mut self) -> Result<(SignedIn, ShiftId)> {
        let me = self.authorize(Permission::UseArea(Area::Cash))?;
        let shift = reg::open_shift_of(&self.conn, me.staff_id)?.ok_or(Error::NoOpenShift)?;
        Ok((me, shift.id))
    }

    /// The close of my open shift as it stands with what I have counted so far.
    pub fn close_preview(&mut self, input: &CloseInput) -> Result<CloseView> {
        let (_, shift) = self.my_open_shift()?;
        let now = self.now();
        cash::view(&self.conn, shift, input, now)
    }

    /// Checks a supervisor's own username and password on the spot (wrong ones count towards
    /// that account's lockout) and returns their id.
    fn supervisor_approval(
        &mut self,
        username: &str,
        password: &str,
        me: StaffId,
    ) -> Result<StaffId> {
        let now = self.now();
        let outcome = store::write(&mut self.conn, &Actor::system("approval"), now, |tx| {
            staff::sign_in(tx, username, password, "approve")
        })?;
        let session = match outcome {
            Outcome::Ok(s) => s,
            Outcome::Refused(e) => return Err(e),
        };
        if !session.role.can(Permission::ApproveRefund) || session.staff_id == me {
            return Err(Error::ApproverNotSupervisor);
        }
        Ok(session.staff_id)
    }

    /// 结班 of my open shift.
    pub fn close_shift(&mut self, input: &CloseInput) -> Result<CloseView> {
        let (me, shift) = self.my_open_shift()?;
        let approver = if input.approver_username.trim().is_empty() {
            None
        } else {
            Some(self.supervisor_approval(
                &input.approver_username,
                &input.approver_password,
                me.staff_id,
            )?)
        };
        self.write(|tx| cash::close(tx, shift, me.staff_id, input, approver))
    }

    /// Goes on with a shift left open from an earlier day, with a supervisor's approval.
    pub fn shift_continue(
        &mut self,
        approver_username: &str,
        approver_password: &str,
    ) -> Result<ShiftInfo> {
        let me = self.authorize(Permission::UseArea(Area::Registration))?;
        let shift = reg::open_shift_of(&self.conn, me.staff_id)?.ok_or(Error::NoOpenShift)?;
        let approver =
            self.supervisor_approval(approver_username, approver_password, me.staff_id)?;
        self.write(|tx| cash::continue_stale(tx, shift.id, approver))?;
        let now = self.now();
        cash::shift_info(&self.conn, shift.id, now)
    }

    /// Past closes with their differences: my own, or — for supervisors — everyone's.
    pub fn close_history(
        &mut self,
        everyone: bool,
        from: &str,
        to: &str,
    ) -> Result<Vec<ClosedShift>> {
        let me = self.authorize(Permission::UseArea(Area::Cash))?;
        let from = crate::validate::date("date", from)?;
        let to = crate::validate::date("date", to)?;
        let clerk = if everyone {
            if !me.role.can(Permission::ReviewCash) {
                return Err(Error::Forbidden);
            }
            None
        } else {
            Some(me.staff_id)
        };
        let now = self.now();
        cash::history(&self.conn, clerk, from, to, now)
    }

    /// 日结报表 of a business date as a PDF file beside the data file; returns its path. A
    /// clerk gets their own shifts; supervisors and the head the whole desk.
    /// The day's report written beside the data file, with this desk's A4 printer, if any.
    pub fn daily_report_document(&mut self, date: &str) -> Result<Printable> {
        let me = self.authorize(Permission::UseArea(Area::Cash))?;
        let date = crate::validate::date("date", date)?.to_string();
        let now = self.now();
        let only = (!me.role.can(Permission::ReviewCash)).then_some(me.staff_id);
        let bytes = crate::report::daily_pdf(&self.conn, &date, now, only)?;
        let dir = self.documents_dir().join("reports");
        std::fs::create_dir_all(&dir)?;
        let file = dir.join(format!("日结报表-{date}.pdf"));
        std::fs::write(&file, bytes)?;
        let printer = print::of_desk(&self.conn, &self.desk_code)?.report_printer;
        Ok(Printable {
            file,
            title: format!("daily-report-{date}"),
            paper: print::Paper::A4,
            printer,
        })
    }

    pub fn daily_report_file(&mut self, date: &str) -> Result<PathBuf> {
        Ok(self.daily_report_document(date)?.file)
    }

    /// My open shift left from an earlier day, if any (shown at sign-in).
    fn stale_shift(&self) -> bool {
        let Some(me) = &self.session else {
            return false;
        };
        let now = self.now();
        reg::open_shift_of(&self.conn, me.staff_id)
            .ok()
            .flatten()
            .and_then(|s| cash::shift_info(&self.conn, s.id, now).ok())
            .is_some_and(|s| s.stale)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct BackupsView {
    pub dir: String,
    pub configured: bool,
    pub keep: i64,
    pub files: Vec<BackupFile>,
}

/// A lock that a panicked holder did not spoil: what it guards is replaced whole each time.
pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
