//! Shared by the integration tests: a clock each test controls, fresh data files in temp
//! folders, and ways to read a file's whole content so a test can say "nothing changed".
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};

use frontdesk_core::audit::{self, Table};
use frontdesk_core::demo::DEMO_STAFF;
use frontdesk_core::store::{Conn, Location, ValueRef};
use frontdesk_core::{demo, Desk, Error, Lang};
use tempfile::TempDir;

/// Monday 2026-03-02 09:00 in Shanghai (01:00 UTC): a morning session on a working day.
pub const START: i64 = 1_772_413_200_000;
pub const SECOND: i64 = 1_000;
pub const MINUTE: i64 = 60 * SECOND;
pub const HOUR: i64 = 60 * MINUTE;
pub const DAY: i64 = 24 * HOUR;

/// A clock one test moves by hand. `Desk` takes a plain `fn() -> i64`, so each use of
/// [`test_clock!`] makes its own static: tests running in parallel never share a time.
pub struct Clock {
    pub now: &'static AtomicI64,
    pub read: fn() -> i64,
}

impl Clock {
    pub fn get(&self) -> i64 {
        self.now.load(Ordering::SeqCst)
    }
    pub fn set(&self, ms: i64) {
        self.now.store(ms, Ordering::SeqCst);
    }
    pub fn advance(&self, ms: i64) {
        self.now.fetch_add(ms, Ordering::SeqCst);
    }
}

#[allow(unused_macros)]
macro_rules! test_clock {
    () => {{
        static NOW: std::sync::atomic::AtomicI64 =
            std::sync::atomic::AtomicI64::new($crate::common::START);
        fn now() -> i64 {
            NOW.load(std::sync::atomic::Ordering::SeqCst)
        }
        $crate::common::Clock {
            now: &NOW,
            read: now,
        }
    }};
}

pub fn temp() -> TempDir {
    tempfile::tempdir().unwrap()
}

/// The PostgreSQL server the suite runs against, when `FRONTDESK_TEST_PG` names one (as
/// `scripts/test.sh`'s second run does): each test then gets a database of its own there.
pub fn server() -> Option<String> {
    std::env::var("FRONTDESK_TEST_PG")
        .ok()
        .filter(|s| !s.is_empty())
}

pub fn on_server() -> bool {
    server().is_some()
}

/// A test about one engine only (the file, SQLite's backup API) says so and is skipped on the
/// other.
#[allow(unused_macros)]
macro_rules! sqlite_only {
    ($why:literal) => {
        if $crate::common::on_server() {
            eprintln!("skipped on PostgreSQL: {}", $why);
            return;
        }
    };
}

#[allow(unused_macros)]
macro_rules! server_only {
    () => {
        if !$crate::common::on_server() {
            eprintln!("skipped on SQLite: needs FRONTDESK_TEST_PG");
            return;
        }
    };
}

/// The test's store: a new file in its folder, or on a server a new database named after the
/// folder (the same one each time the folder is asked).
pub fn db_path(dir: &TempDir) -> Location {
    match server() {
        None => Location::File(db_file(dir)),
        Some(base) => Location::parse(&fresh_database(&base, dir)).unwrap(),
    }
}

/// The test's data file (a test about files only).
pub fn db_file(dir: &TempDir) -> PathBuf {
    dir.path().join("frontdesk.db")
}

/// The `--db` argument that names the test's store for the command line.
pub fn db_arg(dir: &TempDir) -> String {
    match server() {
        None => db_file(dir).display().to_string(),
        Some(base) => fresh_database(&base, dir),
    }
}

/// Creates (once) the test's own database on the server and returns its URL.
pub fn fresh_database(base: &str, dir: &TempDir) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    dir.path().hash(&mut h);
    let name = format!("t_{:016x}", h.finish());
    let (root, _) = base.rsplit_once('/').expect("a URL ending in /dbname");
    let url = format!("{root}/{name}");
    static MADE: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
    let mut made = MADE.lock().unwrap_or_else(|e| e.into_inner());
    if !made.contains(&name) {
        let mut admin = postgres::Client::connect(base, postgres::NoTls)
            .unwrap_or_else(|e| panic!("the test server {base}: {e}"));
        admin
            .batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
            .unwrap();
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .unwrap();
        made.push(name);
    }
    url
}

/// A desk on a new data file (the demo hospital), nobody signed in.
pub fn desk(dir: &TempDir, clock: &Clock) -> Desk {
    Desk::open_demo_with_clock(db_path(dir), clock.read).unwrap()
}

pub fn password(username: &str) -> &'static str {
    DEMO_STAFF
        .iter()
        .find(|s| s.0 == username)
        .map(|s| s.1)
        .unwrap_or_else(|| panic!("no demo account {username}"))
}

/// A desk signed in as `username` whose idle lock never engages (the days pass by hand).
pub fn signed_in(dir: &TempDir, clock: &Clock, username: &str) -> Desk {
    let mut d = desk(dir, clock);
    d.set_idle_seconds_override(Some(365 * 86_400));
    login(&mut d, username);
    d
}

/// A workbook's sheet as rows of text, read with calamine.
pub fn sheet(path: &Path, name: &str) -> Vec<Vec<String>> {
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(path).unwrap();
    let range = book.worksheet_range(name).unwrap();
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

pub fn login(desk: &mut Desk, username: &str) {
    desk.login(username, password(username))
        .unwrap_or_else(|e| panic!("{username} could not log in: {e}"));
}

/// A migrated store with the demo hospital made at [`START`], without a desk (so without the
/// daily backup a desk makes when it opens).
pub fn store(dir: &TempDir) -> Conn {
    let mut conn = Conn::open(db_path(dir)).unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    demo::create_hospital(&mut conn, today, START).unwrap();
    conn
}

pub fn count(conn: &Conn, table: &str) -> i64 {
    conn.value(&format!("SELECT count(*) FROM {table}"), &[])
        .unwrap()
}

pub fn audit_count(conn: &Conn) -> i64 {
    count(conn, "audit_log")
}

/// Every row of `table`, every column, in id order, as text.
pub fn dump(conn: &Conn, table: &str) -> Vec<String> {
    conn.all(&format!("SELECT * FROM {table} ORDER BY id"), &[], |r| {
        let mut cells = Vec::with_capacity(r.len());
        for i in 0..r.len() {
            cells.push(match r.value(i)? {
                ValueRef::Null => "NULL".to_string(),
                ValueRef::Int(v) => v.to_string(),
                ValueRef::Real(v) => v.to_string(),
                ValueRef::Text(t) => format!("{t:?}"),
                ValueRef::Blob(b) => format!("{b:?}"),
            });
        }
        Ok(cells.join(" | "))
    })
    .unwrap()
}

/// The whole content of the store: every audited table and the audit log.
pub fn dump_all(conn: &Conn) -> Vec<(String, Vec<String>)> {
    Table::ALL
        .iter()
        .map(|t| t.name())
        .chain(["audit_log"])
        .map(|t| (t.to_string(), dump(conn, t)))
        .collect()
}

/// The action of the newest entry of the log.
pub fn last_action(conn: &Conn) -> String {
    audit::list_entries(conn, None, 1).unwrap()[0]
        .action
        .clone()
}

pub fn assert_verified(conn: &Conn) {
    let report = audit::verify(conn).unwrap();
    assert!(report.ok(), "verify found problems: {:#?}", report.problems);
    assert_eq!(report.first_bad_entry, None);
}

/// Verifies a store as `frontdesk-admin verify` does: read-only, after every desk closed it.
pub fn verify_file(path: impl Into<Location>) -> audit::Report {
    let conn = Conn::open_read_only(path).unwrap();
    audit::verify(&conn).unwrap()
}

/// The store of a file, opened to read only (after the desk or the CLI closed it).
pub fn reader(path: impl Into<Location>) -> Conn {
    Conn::open_read_only(path).unwrap()
}

/// A plain SQLite connection, as a SQL tool behind the app's back would open the file.
pub fn sqlite_tool(path: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).unwrap()
}

/// A SQL tool behind the app's back: `sqlite3` on the file, or `psql` as the database's owner
/// on the server.
pub enum SqlTool {
    Sqlite(rusqlite::Connection),
    Server(std::cell::RefCell<postgres::Client>),
}

pub fn sql_tool(at: &Location) -> SqlTool {
    match at {
        Location::File(p) => SqlTool::Sqlite(sqlite_tool(p)),
        Location::Server(_) => {
            let url = at.as_arg();
            SqlTool::Server(std::cell::RefCell::new(
                postgres::Client::connect(&url, postgres::NoTls).unwrap(),
            ))
        }
    }
}

impl SqlTool {
    /// Runs one statement: the rows it changed, or what the database said.
    pub fn run(&self, sql: &str) -> Result<usize, String> {
        match self {
            SqlTool::Sqlite(c) => c.execute(sql, []).map_err(|e| e.to_string()),
            SqlTool::Server(c) => c
                .borrow_mut()
                .execute(sql, &[])
                .map(|n| n as usize)
                .map_err(|e| match e.as_db_error() {
                    Some(db) => db.message().to_string(),
                    None => e.to_string(),
                }),
        }
    }

    /// The first column of the first row, as an integer.
    pub fn int(&self, sql: &str) -> i64 {
        match self {
            SqlTool::Sqlite(c) => c.query_row(sql, [], |r| r.get(0)).unwrap(),
            SqlTool::Server(c) => {
                let row = c.borrow_mut().query_one(sql, &[]).unwrap();
                match row.columns()[0].type_() {
                    &postgres::types::Type::INT4 => row.get::<_, i32>(0).into(),
                    _ => row.get(0),
                }
            }
        }
    }

    /// The first column of the first row, as text.
    pub fn text(&self, sql: &str) -> String {
        match self {
            SqlTool::Sqlite(c) => c.query_row(sql, [], |r| r.get(0)).unwrap(),
            SqlTool::Server(c) => c.borrow_mut().query_one(sql, &[]).unwrap().get(0),
        }
    }
}

/// What a SQL tool's refused statement said: the trigger's own message.
pub fn refused(r: Result<usize, String>) -> String {
    match r {
        Ok(n) => panic!("the statement was not refused ({n} rows changed)"),
        Err(e) => e,
    }
}

const SQL_WORDS: [&str; 14] = [
    "select",
    "insert",
    "update",
    "delete",
    "from",
    "where",
    "table",
    "unique",
    "constraint",
    "sqlite",
    "null",
    "pragma",
    "column",
    "rusqlite",
];

/// The sentence the person at the desk sees is Chinese and free of SQL.
pub fn assert_desk_sentence(e: &Error) {
    let msg = e.message(Lang::Zh);
    assert!(!msg.trim().is_empty(), "{e:?} has an empty message");
    assert!(
        msg.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "{e:?}: not Chinese: {msg}"
    );
    let lower = msg.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .collect();
    for w in SQL_WORDS {
        assert!(!words.contains(&w), "{e:?}: SQL word {w:?} in {msg}");
    }
}

/// The field and code of an error, or a panic naming what came back instead.
pub fn invalid_field(r: Result<impl std::fmt::Debug, Error>) -> (&'static str, Error) {
    match r {
        // A field's value refused: the core's own (Error::Invalid) or an area's with code
        // "invalid" (the page shows both beside the field).
        Err(e) if e.code() == "invalid" && e.field().is_some() => (e.field().unwrap(), e),
        other => panic!("expected an invalid field, got {other:?}"),
    }
}

/// The fields a refusal names, in the form's order: every one when several were refused at once.
pub fn refused_fields(r: Result<impl std::fmt::Debug, Error>) -> Vec<&'static str> {
    match r {
        Err(e) => e.each().iter().filter_map(|e| e.field()).collect(),
        Ok(v) => panic!("expected a refusal, got Ok({v:?})"),
    }
}

pub fn code<T: std::fmt::Debug>(r: Result<T, Error>) -> &'static str {
    match r {
        Ok(v) => panic!("expected an error, got Ok({v:?})"),
        Err(e) => e.code(),
    }
}

/// A PDF read back as text with poppler's `pdftotext -layout`, as a person's viewer shows it.
pub fn pdftotext(path: &Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", path.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) must be installed");
    String::from_utf8(out.stdout).unwrap()
}

// ---- the desk, as the registration and cash tests drive it ----------------------------

/// Float of ¥200: two ¥100 notes.
pub fn float() -> Vec<i64> {
    let mut counts = vec![0; frontdesk_core::registration::DENOMINATIONS.len()];
    counts[0] = 2;
    counts
}

pub fn patient(desk: &mut Desk, name: &str, phone: &str) -> frontdesk_core::ids::PatientId {
    desk.patient_save(
        &frontdesk_core::patient::PatientInput {
            name: name.into(),
            sex: "M".into(),
            birth_date: "1980-05-01".into(),
            phone: phone.into(),
            ..Default::default()
        },
        true,
    )
    .unwrap()
    .id
}

/// A 普通号 in 神经内科, paid in cash: a visit that holds its place.
pub fn register(desk: &mut Desk, patient_id: frontdesk_core::ids::PatientId) {
    use frontdesk_core::registration::{Choice, PaymentInput, RegisterInput};
    let department =
        frontdesk_core::ids::DepartmentId(reference_id(desk, "department", "神经内科"));
    let ordinary = type_id(desk, "普通号");
    desk.register(&RegisterInput {
        choice: Choice {
            patient_id,
            department_id: Some(department),
            registration_type_id: Some(ordinary),
            ..Default::default()
        },
        payments: vec![PaymentInput {
            method: "cash".into(),
            amount: String::new(),
            tendered: String::new(),
        }],
        ..Default::default()
    })
    .unwrap();
}

pub fn type_id(desk: &mut Desk, name: &str) -> frontdesk_core::ids::RegistrationTypeId {
    frontdesk_core::ids::RegistrationTypeId(reference_id(desk, "registration_type", name))
}

/// The id of the reference record of `kind` named `name`, as the admin screen lists it.
pub fn reference_id(desk: &mut Desk, kind: &str, name: &str) -> i64 {
    reference_record(desk, kind, "name", name)["id"]
        .as_i64()
        .unwrap()
}

/// The reference record of `kind` whose `field` is `value`, as the admin screen lists it
/// (and would send back, edited).
pub fn reference_record(
    desk: &mut Desk,
    kind: &str,
    field: &str,
    value: &str,
) -> serde_json::Value {
    let all = desk.reference_list(kind, &serde_json::json!(null)).unwrap();
    all.as_array()
        .unwrap()
        .iter()
        .find(|d| d[field] == value)
        .unwrap_or_else(|| panic!("no {kind} with {field} {value}"))
        .clone()
}

/// Waits (never times) for what another thread or process is doing to show; fails after a
/// minute, naming what never happened.
pub fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !done() {
        assert!(
            std::time::Instant::now() < deadline,
            "{what} never happened"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// The last day of the tests' demo: Friday 2026-03-06, so a demo made on any day — a Sunday, New
/// Year's Eve — holds the same days and its figures follow from them.
pub const DEMO_UNTIL: &str = "2026-03-06";
/// 18:30 in Shanghai on [`DEMO_UNTIL`]: after the demo's last registration (its last shift is
/// left open at 18:00).
pub const DEMO_END: i64 = START + 4 * DAY + 9 * HOUR + 30 * MINUTE;

/// Runs `frontdesk-admin demo --days N --until` [`DEMO_UNTIL`] on the test's store, as a new
/// user would; its output.
pub fn demo(dir: &TempDir, days: &str) -> std::process::Output {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_frontdesk-admin"))
        .args([
            "--db",
            &db_arg(dir),
            "demo",
            "--days",
            days,
            "--until",
            DEMO_UNTIL,
        ])
        .env("FRONTDESK_LANG", "zh")
        .env("FRONTDESK_TEST_ONLY_ALLOW_UNDURABLE_SERVER", "1")
        .env_remove("FRONTDESK_DB")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    o
}
