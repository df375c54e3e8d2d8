//! 数据存储: the one seam between the desk's rules and the database engine. Area modules run
//! their SQL through [`Conn`] (reads) and [`Tx`] (writes), bind values with [`ToSql`] and read
//! them with [`FromSql`]; none of them names the engine. Two engines sit behind [`Conn`]:
//! SQLite (one file on this PC, [`sqlite`]) and PostgreSQL (one database on a server shared by
//! every desk, [`postgres`]); [`Location`] (what `--db` names) chooses between them.
//!
//! The SQL the areas write is the subset both engines share: `?N` placeholders (an engine that
//! numbers them `$N` rewrites the text once and caches it), `INSERT … RETURNING id`, explicit
//! `NULLS LAST`, 64-bit integers only (sums cast with `CAST(… AS BIGINT)`), text compared
//! byte by byte. What cannot be shared sits in the engine's file: pragmas, the schema version,
//! the phone's last-four expression, the backup API, the integrity check; the triggers live in
//! the migrations.
//!
//! Every change goes through [`write`]: one transaction that holds the write lock from its
//! first statement (SQLite's `BEGIN IMMEDIATE`; on PostgreSQL `BEGIN` and the advisory lock
//! every write takes first) and commits only with its audit entry. Every "take the next
//! number" — series (就诊卡号, receipts, appointments), queue numbers, the audit chain's next
//! entry — goes through [`Tx::next_number`], under that lock.

mod copy;
pub(crate) mod migrate;
pub mod postgres;
pub mod sqlite;
mod value;

use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};

pub use copy::{copy_all, fresh_target, Column, Schema};
pub use migrate::{grant_desk, schema_version, upgrade};
pub use postgres::ServerUrl;
pub use value::{FromSql, Kind, SqlKind, ToSql, Value, ValueRef};

use crate::audit::{self, Actor, Table};
use crate::error::{Error, Result};
use crate::ids::DutyId;

/// A store error: what the engine said, or a value that was not of the kind expected. Its text
/// goes to the log, never to the desk.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    #[error("{}", postgres::describe(.0))]
    Postgres(#[from] ::postgres::Error),
    #[error("expected {expected}, the column holds {found}")]
    Kind {
        expected: &'static str,
        found: String,
    },
    #[error("unknown {what} code {code:?}")]
    UnknownCode { what: &'static str, code: String },
    #[error("the query returned no row")]
    NoRow,
    /// A write that recorded no audit entry (a fault of the program): rolled back.
    #[error("a write transaction recorded no audit entry")]
    Unaudited,
}

impl StoreError {
    pub(crate) fn kind(expected: &'static str, found: ValueRef<'_>) -> StoreError {
        StoreError::Kind {
            expected,
            found: format!("{found:?}"),
        }
    }

    pub fn unknown_code(what: &'static str, code: &str) -> StoreError {
        StoreError::UnknownCode {
            what,
            code: code.to_string(),
        }
    }

    /// Another desk holds the write lock longer than the wait allows.
    pub fn is_busy(&self) -> bool {
        match self {
            StoreError::Sqlite(e) => sqlite::is_busy(e),
            _ => false,
        }
    }
}

/// Parameters of a statement, in `?1, ?2, …` order: `&[&a, &b]`.
pub type Params<'a> = &'a [&'a dyn ToSql];

/// Where the data lives: a SQLite file on this PC, or a PostgreSQL server shared by every desk.
#[derive(Debug, Clone, PartialEq)]
pub enum Location {
    File(PathBuf),
    Server(Box<ServerUrl>),
}

impl Location {
    /// `postgres://…` or `postgresql://…` names a server; anything else is a file's path.
    pub fn parse(text: &str) -> Result<Location> {
        if ServerUrl::is_url(text) {
            Ok(Location::Server(Box::new(ServerUrl::parse(text)?)))
        } else {
            Ok(Location::File(PathBuf::from(text)))
        }
    }

    /// What the status bar and the CLI show: the file's path, or the server and database
    /// (never the password).
    pub fn shown(&self) -> String {
        match self {
            Location::File(p) => p.display().to_string(),
            Location::Server(u) => u.shown().to_string(),
        }
    }

    /// The text that names it again on a command line (`--db`): the path, or the URL as
    /// given. Not for display: a URL may hold a password.
    pub fn as_arg(&self) -> String {
        match self {
            Location::File(p) => p.display().to_string(),
            Location::Server(u) => u.as_arg().to_string(),
        }
    }

    pub fn file(&self) -> Option<&Path> {
        match self {
            Location::File(p) => Some(p),
            Location::Server(_) => None,
        }
    }

    pub fn is_server(&self) -> bool {
        matches!(self, Location::Server(_))
    }
}

impl From<&Path> for Location {
    fn from(p: &Path) -> Location {
        Location::File(p.to_path_buf())
    }
}
impl From<PathBuf> for Location {
    fn from(p: PathBuf) -> Location {
        Location::File(p)
    }
}
impl From<&PathBuf> for Location {
    fn from(p: &PathBuf) -> Location {
        Location::File(p.clone())
    }
}
impl From<&Location> for Location {
    fn from(l: &Location) -> Location {
        l.clone()
    }
}
impl From<ServerUrl> for Location {
    fn from(u: ServerUrl) -> Location {
        Location::Server(Box::new(u))
    }
}

enum Engine {
    Sqlite(sqlite::Sqlite),
    Postgres(Box<postgres::Postgres>),
}

/// A connection to the store. Reads go through it; writes through [`write`].
pub struct Conn {
    engine: Engine,
    soundness: Arc<Soundness>,
}

/// Whether the store has been read through and found sound in this process. Opening reads only
/// the header and the schema, so start-up does not grow with the data; the full check
/// (`quick_check`, every page) runs before the first write — in the background from the start
/// when the app asks ([`Conn::check_in_background`]), else on the first write itself — and a
/// damaged store refuses every write. Connections to the same store share one verdict.
#[derive(Default)]
pub struct Soundness {
    state: Mutex<Verdict>,
    settled: Condvar,
}

#[derive(Debug, Clone, Default)]
enum Verdict {
    #[default]
    Unchecked,
    Checking,
    Sound,
    Damaged(String),
}

impl Soundness {
    fn sound() -> Arc<Soundness> {
        Arc::new(Soundness {
            state: Mutex::new(Verdict::Sound),
            settled: Condvar::new(),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Verdict> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Claims the check: true when the caller is the one to run it.
    fn claim(&self) -> bool {
        let mut v = self.lock();
        if matches!(*v, Verdict::Unchecked) {
            *v = Verdict::Checking;
            true
        } else {
            false
        }
    }

    fn settle(&self, outcome: &Result<()>) {
        let mut v = self.lock();
        *v = match outcome {
            Ok(()) => Verdict::Sound,
            Err(Error::DbDamaged(why)) => Verdict::Damaged(why.clone()),
            // The check could not run (the file vanished, no memory): not a verdict on the
            // data, so the next write checks again.
            Err(e) => {
                eprintln!("frontdesk: the integrity check did not run: {e}");
                Verdict::Unchecked
            }
        };
        self.settled.notify_all();
    }

    /// Waits for a check under way: `Some` verdict, or `None` when no check has run (none was
    /// asked for, or it could not run).
    fn settled_verdict(&self) -> Option<Result<()>> {
        let mut v = self.lock();
        while matches!(*v, Verdict::Checking) {
            v = self.settled.wait(v).unwrap_or_else(|e| e.into_inner());
        }
        match &*v {
            Verdict::Sound => Some(Ok(())),
            Verdict::Damaged(why) => Some(Err(Error::DbDamaged(why.clone()))),
            _ => None,
        }
    }

    /// Waits for a check under way and gives its verdict for the page: `DbDamaged` when the
    /// store is damaged, else `Ok` (sound, or not checked yet: the first write checks it then).
    pub fn wait(&self) -> Result<()> {
        self.settled_verdict().unwrap_or(Ok(()))
    }

    /// Whether the check is still running (the sign-in screen says so).
    pub fn checking(&self) -> bool {
        matches!(*self.lock(), Verdict::Checking)
    }
}

/// A store made by a newer program is refused, untouched.
fn not_newer(version: i64) -> Result<()> {
    if version > schema_version() {
        return Err(Error::DbTooNew {
            file: version,
            app: schema_version(),
        });
    }
    Ok(())
}

impl std::fmt::Debug for Conn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.engine {
            Engine::Sqlite(db) => write!(f, "Conn(SQLite {:?})", db.path()),
            Engine::Postgres(db) => write!(f, "Conn({:?})", db.url()),
        }
    }
}

/// One row of a result.
pub struct Row<'a> {
    inner: RowInner<'a>,
}

enum RowInner<'a> {
    Sqlite(&'a rusqlite::Row<'a>),
    Postgres(&'a ::postgres::Row),
}

impl Row<'_> {
    /// Column `i` (from 0) as `T`.
    pub fn get<T: FromSql>(&self, i: usize) -> std::result::Result<T, StoreError> {
        T::from_sql(self.value(i)?)
    }

    pub fn value(&self, i: usize) -> std::result::Result<ValueRef<'_>, StoreError> {
        match &self.inner {
            RowInner::Sqlite(r) => sqlite::row_value(r, i),
            RowInner::Postgres(r) => postgres::row_value(r, i),
        }
    }

    pub fn len(&self) -> usize {
        match &self.inner {
            RowInner::Sqlite(r) => sqlite::row_len(r),
            RowInner::Postgres(r) => postgres::row_len(r),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn name(&self, i: usize) -> &str {
        match &self.inner {
            RowInner::Sqlite(r) => sqlite::row_name(r, i),
            RowInner::Postgres(r) => postgres::row_name(r, i),
        }
    }
}

/// Runs `$body` on whichever engine the connection holds, as `$db`.
macro_rules! on_engine {
    ($conn:expr, $db:ident => $body:expr) => {
        match &$conn.engine {
            Engine::Sqlite($db) => $body,
            Engine::Postgres($db) => $body,
        }
    };
}

impl Conn {
    /// Opens the store at `at` — a file (created if absent) or a server's database — checked
    /// (integrity, version) and migrated to this program's schema.
    pub fn open(at: impl Into<Location>) -> Result<Conn> {
        let path = match at.into() {
            Location::File(path) => path,
            Location::Server(url) => return Conn::open_server(&url),
        };
        let path = path.as_path();
        let (db, version) = sqlite::Sqlite::connect(path)?;
        not_newer(version)?;
        // A file about to be migrated, or one not yet in WAL mode (a copy made elsewhere),
        // is written to as soon as it is opened: check it first.
        let soundness = if version < schema_version() || !db.is_wal()? {
            db.quick_check()?;
            Soundness::sound()
        } else {
            Arc::default()
        };
        db.settle()?;
        let mut conn = Conn {
            engine: Engine::Sqlite(db),
            soundness,
        };
        migrate::run(&mut conn, version)?;
        Ok(conn)
    }

    /// A server keeps its own pages sound, so the connection starts out sound. Only the
    /// database's owner creates or upgrades the schema; a desk's role that finds it behind
    /// is refused with a message that says who can.
    fn open_server(url: &ServerUrl) -> Result<Conn> {
        let (db, version) = postgres::Postgres::connect(url, false)?;
        not_newer(version)?;
        if version < schema_version() && !db.may_migrate()? {
            return Err(Error::Server {
                server: url.shown().to_string(),
                problem: crate::error::ServerProblem::NeedsOwner,
            });
        }
        let mut conn = Conn {
            engine: Engine::Postgres(Box::new(db)),
            soundness: Soundness::sound(),
        };
        migrate::run(&mut conn, version)?;
        Ok(conn)
    }

    /// Another connection to the same store, sharing its verdict (the app's background
    /// chores: the daily backup while the desk works on).
    pub fn sibling(&self) -> Result<Conn> {
        let engine = match &self.engine {
            Engine::Sqlite(db) => {
                let path = db.path().ok_or(Error::NotFound("file"))?;
                let (db, version) = sqlite::Sqlite::connect(Path::new(&path))?;
                not_newer(version)?;
                db.settle()?;
                Engine::Sqlite(db)
            }
            Engine::Postgres(db) => {
                let (db, version) = postgres::Postgres::connect(db.url(), false)?;
                not_newer(version)?;
                Engine::Postgres(Box::new(db))
            }
        };
        Ok(Conn {
            engine,
            soundness: self.soundness.clone(),
        })
    }

    /// Opens an existing store without writing to it (verify, restore's checks). A newer
    /// schema is refused; an older one is read as it is. It is never written to.
    pub fn open_read_only(at: impl Into<Location>) -> Result<Conn> {
        let (engine, version, soundness) = match at.into() {
            Location::File(path) => {
                let (db, version) = sqlite::Sqlite::open_read_only(&path)?;
                (Engine::Sqlite(db), version, Arc::default())
            }
            Location::Server(url) => {
                let (db, version) = postgres::Postgres::connect(&url, true)?;
                (Engine::Postgres(Box::new(db)), version, Soundness::sound())
            }
        };
        not_newer(version)?;
        Ok(Conn { engine, soundness })
    }

    /// An empty private store in memory, not migrated (unit tests of one module's SQL).
    pub fn memory() -> Result<Conn> {
        Ok(Conn {
            engine: Engine::Sqlite(sqlite::Sqlite::memory()?),
            soundness: Soundness::sound(),
        })
    }

    /// Starts the full check on a thread of its own, with its own read-only connection, so
    /// the sign-in screen comes up at once; writes wait for its verdict.
    pub fn check_in_background(&self) {
        let Some(path) = self.path() else { return };
        if !self.soundness.claim() {
            return;
        }
        let soundness = self.soundness.clone();
        let run = move || {
            let outcome = sqlite::Sqlite::open_read_only(Path::new(&path))
                .and_then(|(db, _)| db.quick_check());
            soundness.settle(&outcome);
        };
        if let Err(e) = std::thread::Builder::new()
            .name("frontdesk-check".into())
            .spawn(run)
        {
            eprintln!("frontdesk: cannot start the integrity check: {e}");
            self.soundness.settle(&Err(Error::Io(e)));
        }
    }

    /// The full check's verdict, running the check here if nobody has started it. Every write
    /// (and every backup) passes through this first.
    pub fn ensure_sound(&self) -> Result<()> {
        loop {
            if self.soundness.claim() {
                // Sound, damaged, or the error that kept the check from running: in the last
                // two cases nothing is written.
                let outcome = match &self.engine {
                    Engine::Sqlite(db) => db.quick_check(),
                    Engine::Postgres(_) => Ok(()),
                };
                self.soundness.settle(&outcome);
                return outcome;
            }
            if let Some(verdict) = self.soundness.settled_verdict() {
                return verdict;
            }
            // The check under way could not run (the thread could not open the file): run it
            // here rather than write unchecked.
        }
    }

    /// The verdict this store's connections share (the app waits on it without holding the
    /// desk).
    pub fn soundness(&self) -> Arc<Soundness> {
        self.soundness.clone()
    }

    /// The SQLite file, for what only a file has (the backup API, restore): a server is
    /// refused with a message that says its backups are the server's.
    fn file_db(&self) -> Result<&sqlite::Sqlite> {
        match &self.engine {
            Engine::Sqlite(db) => Ok(db),
            Engine::Postgres(db) => Err(Error::Server {
                server: db.url().shown().to_string(),
                problem: crate::error::ServerProblem::FileOnly,
            }),
        }
    }

    /// The file behind the store, when it is one.
    pub fn path(&self) -> Option<String> {
        match &self.engine {
            Engine::Sqlite(db) => db.path(),
            Engine::Postgres(_) => None,
        }
    }

    /// Where the store is: the file, or the server and database.
    pub fn location(&self) -> Location {
        match &self.engine {
            Engine::Sqlite(db) => Location::File(PathBuf::from(db.path().unwrap_or_default())),
            Engine::Postgres(db) => Location::Server(Box::new(db.url().clone())),
        }
    }

    /// Whether the store is a shared server (PostgreSQL) rather than this PC's file.
    pub fn is_server(&self) -> bool {
        matches!(self.engine, Engine::Postgres(_))
    }

    /// The server's clock minus this PC's, in ms, as last measured (0 for a file): the desk
    /// adds it, so the business day and every instant are the server's.
    pub fn clock_offset(&self) -> i64 {
        match &self.engine {
            Engine::Sqlite(_) => 0,
            Engine::Postgres(db) => db.clock_offset(),
        }
    }

    /// The schema version the store holds.
    pub fn version(&self) -> Result<i64> {
        on_engine!(self, db => db.schema_version())
    }

    /// The engine's own check of the whole store: `"ok"` or what is wrong.
    pub fn integrity_check(&self) -> Result<String> {
        on_engine!(self, db => db.integrity_check())
    }

    /// The expression for the last four digits of the `phone` column.
    pub fn last_four_sql(&self) -> &'static str {
        match &self.engine {
            Engine::Sqlite(_) => sqlite::LAST_FOUR,
            Engine::Postgres(_) => postgres::LAST_FOUR,
        }
    }

    /// An online copy of the whole store into a new file: SQLite's backup API for a file;
    /// for a server, every table copied into a new SQLite file (which `verify` checks and the
    /// app opens) from one consistent snapshot.
    pub fn backup_into(&self, target: &Path) -> Result<()> {
        self.ensure_sound()?;
        match &self.engine {
            Engine::Sqlite(db) => db.backup_into(target),
            Engine::Postgres(db) => {
                db.batch("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?;
                let copied = (|| {
                    let mut file = Conn::open(target)?;
                    copy::copy_all(self, &mut file)
                })();
                db.batch("ROLLBACK")?;
                copied.map(|_| ())
            }
        }
    }

    /// Replaces the store's content with a checked backup file's.
    pub fn restore_from(&mut self, source: &Path) -> Result<()> {
        self.file_db()?;
        match &mut self.engine {
            Engine::Sqlite(db) => db.restore_from(source),
            Engine::Postgres(_) => unreachable!("refused above"),
        }
    }

    /// A statement that changes rows, for the audit log's append inside [`Tx`] (which holds
    /// the write lock); everything else writes through [`Tx::execute`].
    pub(crate) fn append_row(&self, sql: &str, params: Params<'_>) -> Result<usize> {
        on_engine!(self, db => db.execute(sql, params))
    }

    /// After personal data was removed: copies the WAL into the file and empties it, so the
    /// log frames that still hold the old values are gone too (with `secure_delete`, the pages
    /// they leave are zeroed). A reader that holds the WAL makes it wait, a few times; a WAL
    /// still in use then is reported, for the caller to try again later. Nothing to do on a
    /// server, whose files are its own.
    pub fn scrub_wal(&self) -> Result<bool> {
        if self.is_server() {
            return Ok(true);
        }
        for _ in 0..20 {
            let busy: i64 = self.value("PRAGMA wal_checkpoint(TRUNCATE)", &[])?;
            if busy == 0 {
                return Ok(true);
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        Ok(false)
    }

    /// Runs statements that take no parameters (a migration's SQL, a test's fixture).
    pub fn batch(&self, sql: &str) -> Result<()> {
        on_engine!(self, db => db.batch(sql))
    }

    fn each_row(
        &self,
        sql: &str,
        params: Params<'_>,
        f: &mut dyn FnMut(&Row<'_>) -> Result<bool>,
    ) -> Result<()> {
        on_engine!(self, db => db.each(sql, params, f))
    }

    /// Hands each row to `f`, in order.
    pub fn each(
        &self,
        sql: &str,
        params: Params<'_>,
        mut f: impl FnMut(&Row<'_>) -> Result<()>,
    ) -> Result<()> {
        self.each_row(sql, params, &mut |r| f(r).map(|_| true))
    }

    /// Every row, mapped by `f`.
    pub fn all<T>(
        &self,
        sql: &str,
        params: Params<'_>,
        mut f: impl FnMut(&Row<'_>) -> Result<T>,
    ) -> Result<Vec<T>> {
        let mut out = Vec::new();
        self.each_row(sql, params, &mut |r| {
            out.push(f(r)?);
            Ok(true)
        })?;
        Ok(out)
    }

    /// The first row mapped by `f`, or `None` when there is none.
    pub fn one<T>(
        &self,
        sql: &str,
        params: Params<'_>,
        f: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<Option<T>> {
        let mut f = Some(f);
        let mut out = None;
        self.each_row(sql, params, &mut |r| {
            if let Some(f) = f.take() {
                out = Some(f(r)?);
            }
            Ok(false)
        })?;
        Ok(out)
    }

    /// The first row mapped by `f`; a query that returns none is an error.
    pub fn row<T>(
        &self,
        sql: &str,
        params: Params<'_>,
        f: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<T> {
        self.one(sql, params, f)?
            .ok_or(Error::Store(StoreError::NoRow))
    }

    /// The first column of the first row (a count, a sum, an id).
    pub fn value<T: FromSql>(&self, sql: &str, params: Params<'_>) -> Result<T> {
        self.row(sql, params, |r| Ok(r.get(0)?))
    }

    /// The first column of the first row, or `None` when there is no row.
    pub fn value_opt<T: FromSql>(&self, sql: &str, params: Params<'_>) -> Result<Option<T>> {
        self.one(sql, params, |r| Ok(r.get(0)?))
    }
}

/// What a write numbers, each only through [`Tx::next_number`].
#[derive(Debug, Clone, Copy)]
pub enum Counter<'a> {
    /// A named series in `series`: 就诊卡号 (`card`), receipts per desk (`receipt:01`),
    /// appointments.
    Series(&'a str),
    /// 候诊号: the next queue number in a doctor's session, unique and gapless.
    Queue(DutyId),
}

/// A write in progress: the transaction, who is making it, and when.
pub struct Tx<'c> {
    conn: &'c mut Conn,
    pub actor: Actor,
    pub now: i64,
    entries: usize,
    head: Option<(i64, String)>,
    open: bool,
    /// Whether the areas' reactions to a write run ([`crate::areas::ON_RECORD`]); a migration's
    /// own steps run none (what they react to may not exist yet).
    pub(crate) reacts: bool,
}

impl Deref for Tx<'_> {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        self.conn
    }
}

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        if self.open {
            // Nothing of a failed write stays; a rollback that fails leaves the engine to undo.
            let _ = on_engine!(self.conn, db => db.rollback());
        }
    }
}

impl<'c> Tx<'c> {
    fn begin(conn: &'c mut Conn, actor: &Actor, now: i64) -> Result<Tx<'c>> {
        on_engine!(conn, db => db.begin())?;
        Ok(Tx {
            conn,
            actor: actor.clone(),
            now,
            entries: 0,
            head: None,
            open: true,
            reacts: true,
        })
    }

    fn commit(mut self) -> Result<()> {
        on_engine!(self.conn, db => db.commit())?;
        self.open = false;
        Ok(())
    }

    /// Runs a statement that changes rows; returns how many.
    pub fn execute(&self, sql: &str, params: Params<'_>) -> Result<usize> {
        on_engine!(self.conn, db => db.execute(sql, params))
    }

    /// Runs an `INSERT … RETURNING id` and returns the new row's id.
    pub fn insert<T: FromSql>(&self, sql: &str, params: Params<'_>) -> Result<T> {
        debug_assert!(sql.contains("RETURNING"), "an insert returns its id: {sql}");
        self.conn.value(sql, params)
    }

    /// The write lock every number is taken under. Both engines hold it from the
    /// transaction's first statement, before anything is read: SQLite's `BEGIN IMMEDIATE`
    /// takes the file's one write lock, PostgreSQL's `BEGIN` is followed at once by the
    /// advisory lock every write takes (a capacity count read before it could be stale by the
    /// time the number is taken). What is left here is the check that it is held.
    fn numbering(&mut self) -> Result<()> {
        debug_assert!(self.open, "numbers are taken inside the write");
        Ok(())
    }

    /// Takes the next number of `counter`. Inside the write lock, so two desks never get the
    /// same one and none is skipped.
    pub fn next_number(&mut self, counter: Counter<'_>) -> Result<i64> {
        self.numbering()?;
        match counter {
            Counter::Series(name) => self.conn.value(
                "INSERT INTO series (name, next) VALUES (?1, 2)
                 ON CONFLICT (name) DO UPDATE SET next = series.next + 1
                 RETURNING next - 1",
                &[&name],
            ),
            Counter::Queue(duty) => self.conn.value(
                "SELECT coalesce(max(queue_no), 0) + 1 FROM registration WHERE duty_id = ?1",
                &[&duty],
            ),
        }
    }

    /// Moves a series so its next number is at least `next` (an import kept a card number
    /// from the old system: the desk must never issue it again).
    pub fn move_series_past(&mut self, name: &str, taken: i64) -> Result<()> {
        self.numbering()?;
        self.execute(
            "INSERT INTO series (name, next) VALUES (?1, ?2)
             ON CONFLICT (name) DO UPDATE SET next = ?2 WHERE series.next < ?2",
            &[&name, &(taken + 1)],
        )?;
        Ok(())
    }

    /// The audit chain's newest entry, read once per transaction under the write lock (nobody
    /// else can append meanwhile).
    fn take_head(&mut self) -> Result<(i64, String)> {
        self.numbering()?;
        match self.head.take() {
            Some(head) => Ok(head),
            None => audit::chain_head(self.conn),
        }
    }

    /// Records a change of one row made in this transaction. `before` is the row as it was
    /// (from [`audit::snapshot`] before the change), the after is read back here.
    pub fn record(
        &mut self,
        action: &str,
        table: Table,
        id: impl Into<i64>,
        before: Option<audit::Snapshot>,
    ) -> Result<()> {
        let id = id.into();
        let after = audit::snapshot(self.conn, table, id)?;
        let mut head = self.take_head()?;
        audit::append(
            self.conn,
            &mut head,
            &self.actor,
            self.now,
            action,
            table.name(),
            &id.to_string(),
            before.as_ref().map(audit::Snapshot::as_str),
            after.as_ref().map(audit::Snapshot::as_str),
        )?;
        self.head = Some(head);
        self.entries += 1;
        if self.reacts {
            for react in crate::areas::ON_RECORD {
                react(self, table, id, before.is_none())?;
            }
        }
        Ok(())
    }

    /// Rewrites the audit entries in `redacted` (personal data removed past its retention
    /// period), registers each with its recomputed hash, and seals the list with one entry
    /// (`audit.redact`, `detail` plus the count and digest) that [`audit::verify`] checks them
    /// against. Nothing is redacted and nothing sealed when the list is empty.
    pub(crate) fn redact(
        &mut self,
        mut redacted: Vec<audit::Redacted>,
        mut detail: serde_json::Map<String, serde_json::Value>,
    ) -> Result<()> {
        if redacted.is_empty() {
            return Ok(());
        }
        redacted.sort_by_key(|r| r.entry_id);
        // The sealing entry is the next one: nothing else is appended in between.
        let head = self.take_head()?;
        let seal = head.0 + 1;
        self.head = Some(head);
        for r in &redacted {
            self.execute(
                "INSERT INTO audit_redaction (entry_id, redaction_id, hash) VALUES (?1, ?2, ?3)",
                &[&r.entry_id, &seal, &r.hash],
            )?;
            self.execute(
                "UPDATE audit_log SET before = ?2, after = ?3 WHERE id = ?1",
                &[&r.entry_id, &r.before, &r.after],
            )?;
        }
        detail.insert("entries".into(), redacted.len().into());
        detail.insert(
            "digest".into(),
            audit::seal_digest(redacted.iter().map(|r| (r.entry_id, r.hash.as_str()))).into(),
        );
        self.event(
            "audit.redact",
            "audit_log",
            "redaction",
            serde_json::Value::Object(detail),
        )
    }

    /// Records an event that changes no row (a backup made, a login refused).
    /// `entity` must not be the name of an audited table: the log's rows for a table are that
    /// table's rows.
    pub fn event(
        &mut self,
        action: &str,
        entity: &str,
        entity_id: &str,
        detail: serde_json::Value,
    ) -> Result<()> {
        assert!(
            Table::ALL.iter().all(|t| t.name() != entity),
            "an event's entity must not be a table name"
        );
        let detail = detail.to_string();
        let mut head = self.take_head()?;
        audit::append(
            self.conn,
            &mut head,
            &self.actor,
            self.now,
            action,
            entity,
            entity_id,
            None,
            Some(&detail),
        )?;
        self.head = Some(head);
        self.entries += 1;
        Ok(())
    }
}

/// The one way to change data: a transaction holding the write lock that commits only if `f`
/// succeeds and wrote at least one audit entry, so no change is ever unaccounted for. One that
/// wrote none is rolled back and refused as a fault of the program (never a panic: the desk
/// that asked gets its answer).
pub fn write<T>(
    conn: &mut Conn,
    actor: &Actor,
    now: i64,
    f: impl FnOnce(&mut Tx) -> Result<T>,
) -> Result<T> {
    conn.ensure_sound()?;
    let mut tx = Tx::begin(conn, actor, now)?;
    let value = f(&mut tx)?;
    if tx.entries == 0 {
        eprintln!(
            "frontdesk: a write by {} recorded no audit entry; rolled back",
            actor.name
        );
        return Err(StoreError::Unaudited.into());
    }
    tx.commit()?;
    Ok(value)
}

/// Writes derived rows with no audit entry: a cache of counts computed from audited records,
/// never a record itself (an area that keeps one says so where it calls this).
pub fn derived<T>(conn: &mut Conn, f: impl FnOnce(&Tx) -> Result<T>) -> Result<T> {
    conn.ensure_sound()?;
    let tx = Tx::begin(conn, &Actor::system("derived counts"), 0)?;
    let value = f(&tx)?;
    tx.commit()?;
    Ok(value)
}

/// Writes rows with no audit entry, for building a benchmark's synthetic fixture only: `verify`
/// reports every row written here as written outside the app.
pub fn bulk_load<T>(conn: &mut Conn, f: impl FnOnce(&Tx) -> Result<T>) -> Result<T> {
    let tx = Tx::begin(conn, &Actor::system("bulk load"), 0)?;
    let value = f(&tx)?;
    tx.commit()?;
    Ok(value)
}
