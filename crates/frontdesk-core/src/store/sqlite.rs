//! The SQLite engine: the one file (besides the migrations' triggers) that knows it is SQLite.
//! Opening a file and checking it (`quick_check`, `user_version`, `sqlite_master`), the pragmas
//! that make an acknowledged write survive a power cut, the statement cache, `BEGIN IMMEDIATE`
//! (one writer at a time), the online backup API, `integrity_check`, and the expression for a
//! phone's last four digits.

use std::path::Path;
use std::time::Duration;

use rusqlite::backup::Backup;
use rusqlite::types::{ToSqlOutput, Value as SqlValue, ValueRef as SqlValueRef};
use rusqlite::{Connection, OpenFlags};

use super::value::{ToSql, Value, ValueRef};
use super::{Row, RowInner, StoreError};
use crate::error::{Error, Result};

/// The last four digits of `phone`, as this engine writes it (migration 0005 indexes it).
pub const LAST_FOUR: &str = "substr(phone, -4)";

pub struct Sqlite {
    conn: Connection,
}

/// One of our values, bound the way rusqlite binds.
struct Bind<'a>(&'a dyn ToSql);

impl rusqlite::ToSql for Bind<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self.0.to_sql() {
            Value::Null(_) => ToSqlOutput::Owned(SqlValue::Null),
            Value::Int(n) => ToSqlOutput::Owned(SqlValue::Integer(n)),
            Value::Text(s) => ToSqlOutput::Borrowed(SqlValueRef::Text(s.as_bytes())),
        })
    }
}

fn binds<'a>(
    params: &'a [&'a dyn ToSql],
) -> rusqlite::ParamsFromIter<impl Iterator<Item = Bind<'a>>> {
    rusqlite::params_from_iter(params.iter().map(|p| Bind(*p)))
}

pub(super) fn value_of<'a>(v: SqlValueRef<'a>) -> ValueRef<'a> {
    match v {
        SqlValueRef::Null => ValueRef::Null,
        SqlValueRef::Integer(n) => ValueRef::Int(n),
        SqlValueRef::Real(f) => ValueRef::Real(f),
        SqlValueRef::Text(t) => ValueRef::Text(std::str::from_utf8(t).unwrap_or("\u{fffd}")),
        SqlValueRef::Blob(b) => ValueRef::Blob(b),
    }
}

/// What a file that is not ours, or is damaged, is reported as.
fn opening(e: rusqlite::Error, path: &Path) -> Error {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => Error::NotFrontdesk(path.display().to_string()),
        Some(rusqlite::ErrorCode::DatabaseCorrupt) => Error::DbDamaged(e.to_string()),
        _ => Error::Store(StoreError::Sqlite(e)),
    }
}

impl Sqlite {
    /// Opens (creating if absent) the file and reads its header: the schema version, and
    /// whether it is ours at all. Nothing is written and no page beyond the schema is read;
    /// [`Sqlite::settle`] applies the desk's pragmas once the caller is content with the file.
    pub fn connect(path: &Path) -> Result<(Sqlite, i64)> {
        let conn = Connection::open(path).map_err(|e| opening(e, path))?;
        conn.busy_timeout(Duration::from_secs(5))
            .map_err(StoreError::from)?;
        let db = Sqlite { conn };
        let version = db.check(path)?;
        Ok((db, version))
    }

    /// The pragmas of a connection that writes (WAL — which on a file that is not in WAL yet
    /// writes its header — synchronous, the caches) and the statement cache.
    pub fn settle(&self) -> Result<()> {
        durable(&self.conn).map_err(StoreError::from)?;
        self.tune()
    }

    /// Whether the file is already in WAL mode (every file this program has opened is): when it
    /// is not, settling it writes its header, so the caller checks it first.
    pub fn is_wal(&self) -> Result<bool> {
        let mode: String = self
            .conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .map_err(StoreError::from)?;
        Ok(mode.eq_ignore_ascii_case("wal"))
    }

    /// Reads every page of the file and checks its structure (`quick_check`: what
    /// `integrity_check` does less the index-to-table cross-check). Linear in the file's size.
    pub fn quick_check(&self) -> Result<()> {
        let result: String = self
            .conn
            .query_row("PRAGMA quick_check(1)", [], |r| r.get(0))
            .map_err(|e| match e.sqlite_error_code() {
                Some(rusqlite::ErrorCode::DatabaseCorrupt) => Error::DbDamaged(e.to_string()),
                _ => Error::Store(StoreError::Sqlite(e)),
            })?;
        if result != "ok" {
            return Err(Error::DbDamaged(result));
        }
        Ok(())
    }

    /// A plain rusqlite connection to an existing file with the desk's pragmas: only for the
    /// benchmark's baselines (a bare insert, the same rows in plain SQL), which must run on the
    /// same file with the same settings as the app.
    pub fn baseline_connection(path: &Path) -> rusqlite::Result<Connection> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(5))?;
        durable(&conn)?;
        tuned(&conn)?;
        Ok(conn)
    }

    /// Opens an existing file without writing to it (verify, restore's checks).
    pub fn open_read_only(path: &Path) -> Result<(Sqlite, i64)> {
        if !path.is_file() {
            return Err(Error::Io(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                path.display().to_string(),
            )));
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| opening(e, path))?;
        conn.busy_timeout(Duration::from_secs(5))
            .map_err(StoreError::from)?;
        let db = Sqlite { conn };
        db.tune()?;
        let version = db.check(path)?;
        Ok((db, version))
    }

    /// A private in-memory database (unit tests of a module's SQL).
    pub fn memory() -> Result<Sqlite> {
        let db = Sqlite {
            conn: Connection::open_in_memory().map_err(StoreError::from)?,
        };
        db.tune()?;
        Ok(db)
    }

    fn tune(&self) -> Result<()> {
        Ok(tuned(&self.conn).map_err(StoreError::from)?)
    }

    /// The file's schema version; a file with tables but no version is not ours.
    fn check(&self, path: &Path) -> Result<i64> {
        let version = self.schema_version().map_err(|e| match e {
            Error::Store(StoreError::Sqlite(e)) => opening(e, path),
            e => e,
        })?;
        if version == 0 {
            let tables: i64 = self
                .conn
                .query_row(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
                    [],
                    |r| r.get(0),
                )
                .map_err(|e| opening(e, path))?;
            if tables > 0 {
                return Err(Error::NotFrontdesk(path.display().to_string()));
            }
        }
        Ok(version)
    }

    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(StoreError::from)?)
    }

    /// Written inside the migration's transaction, so a migration and its version commit
    /// together.
    pub fn set_schema_version(&self, version: i64) -> Result<()> {
        Ok(self
            .conn
            .pragma_update(None, "user_version", version)
            .map_err(StoreError::from)?)
    }

    pub fn path(&self) -> Option<String> {
        self.conn
            .path()
            .filter(|p| !p.is_empty())
            .map(str::to_string)
    }

    /// `BEGIN IMMEDIATE`: the write lock is taken at once, so everything the transaction reads
    /// (the next queue number, the chain head) stays true until it commits.
    pub fn begin(&self) -> Result<()> {
        self.batch("BEGIN IMMEDIATE")
    }

    pub fn commit(&self) -> Result<()> {
        self.batch("COMMIT")
    }

    pub fn rollback(&self) -> Result<()> {
        if self.conn.is_autocommit() {
            return Ok(());
        }
        self.batch("ROLLBACK")
    }

    pub fn batch(&self, sql: &str) -> Result<()> {
        Ok(self.conn.execute_batch(sql).map_err(StoreError::from)?)
    }

    pub fn execute(&self, sql: &str, params: &[&dyn ToSql]) -> Result<usize> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(StoreError::from)?;
        Ok(stmt.execute(binds(params)).map_err(StoreError::from)?)
    }

    /// Runs a query and hands each row to `f` until it returns `false`.
    pub fn each(
        &self,
        sql: &str,
        params: &[&dyn ToSql],
        f: &mut dyn FnMut(&Row<'_>) -> Result<bool>,
    ) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(StoreError::from)?;
        let mut rows = stmt.query(binds(params)).map_err(StoreError::from)?;
        while let Some(r) = rows.next().map_err(StoreError::from)? {
            if !f(&Row {
                inner: RowInner::Sqlite(r),
            })? {
                break;
            }
        }
        Ok(())
    }

    pub fn integrity_check(&self) -> Result<String> {
        let mut stmt = self
            .conn
            .prepare("PRAGMA integrity_check")
            .map_err(StoreError::from)?;
        let lines: Vec<String> = stmt
            .query_map([], |r| r.get(0))
            .map_err(StoreError::from)?
            .collect::<std::result::Result<_, _>>()
            .map_err(StoreError::from)?;
        Ok(lines.join("; "))
    }

    /// An online copy of the live database into a new file (the desk keeps working meanwhile),
    /// left in rollback-journal mode so it is one self-contained file.
    pub fn backup_into(&self, target: &Path) -> Result<()> {
        let mut dst = Connection::open(target).map_err(StoreError::from)?;
        let backup = Backup::new(&self.conn, &mut dst).map_err(StoreError::from)?;
        // Every page in one step, inside one read transaction: a copy taken in slices restarts
        // whenever another connection writes between two slices, which on a big file with a
        // desk at work may be never done. In WAL mode the writers go on meanwhile.
        loop {
            match backup.step(-1).map_err(StoreError::from)? {
                rusqlite::backup::StepResult::Done => break,
                _ => std::thread::sleep(Duration::from_millis(20)),
            }
        }
        drop(backup);
        dst.pragma_update(None, "journal_mode", "DELETE")
            .map_err(StoreError::from)?;
        Ok(())
    }

    /// Replaces the live database's content with the file's.
    pub fn restore_from(&mut self, source: &Path) -> Result<()> {
        let (src, _) = Sqlite::open_read_only(source)?;
        Backup::new(&src.conn, &mut self.conn)
            .map_err(StoreError::from)?
            .run_to_completion(256, Duration::from_millis(0), None)
            .map_err(StoreError::from)?;
        Ok(())
    }
}

/// The pragmas every connection that writes runs with: WAL, `synchronous=FULL` (an
/// acknowledged commit survives a power cut), foreign keys, and the page cache and map that
/// keep search as you type in memory.
fn durable(c: &Connection) -> rusqlite::Result<()> {
    c.pragma_update(None, "journal_mode", "WAL")?;
    c.pragma_update(None, "synchronous", "FULL")?;
    c.pragma_update(None, "foreign_keys", true)?;
    // What is deleted or overwritten is zeroed in the file, free pages too (ON, not FAST): a
    // patient's removed name and phone are not left in free space for `grep -a` to find.
    c.pragma_update(None, "secure_delete", true)?;
    // Search as you type over a million patients reads index pages at random: keep them in
    // memory (64 MiB of page cache, 256 MiB mapped) rather than asking the OS each time.
    c.pragma_update(None, "cache_size", -65_536)?;
    c.pragma_update(None, "mmap_size", 268_435_456)?;
    Ok(())
}

/// The statement cache and plan stability every connection runs with.
fn tuned(c: &Connection) -> rusqlite::Result<()> {
    // The write path alone uses a few dozen statements; rusqlite keeps 16 by default, which
    // made every registration prepare most of them again.
    c.set_prepared_statement_cache_capacity(256);
    // Query planner stability: without it SQLite re-prepares a statement whenever a new bound
    // value might change its plan (`duty_id = ?` under an aggregate or ORDER BY), which cost
    // the registration path a third of its time. Our plans do not depend on the values.
    c.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )?;
    Ok(())
}

pub(super) fn row_value<'a>(
    r: &'a rusqlite::Row<'a>,
    i: usize,
) -> Result<ValueRef<'a>, StoreError> {
    Ok(value_of(r.get_ref(i)?))
}

pub(super) fn row_len(r: &rusqlite::Row<'_>) -> usize {
    r.as_ref().column_count()
}

pub(super) fn row_name<'a>(r: &'a rusqlite::Row<'a>, i: usize) -> &'a str {
    r.as_ref().column_name(i).unwrap_or("")
}

pub(super) fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}
