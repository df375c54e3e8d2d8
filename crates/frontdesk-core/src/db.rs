//! The store: one SQLite file. Opening it checks it (integrity, version), sets the pragmas that
//! make an acknowledged write survive power loss, and runs the migrations. Every change goes
//! through [`write`], one IMMEDIATE transaction that must also write its audit entry.
//!
//! SQLite-specific parts live here (pragmas, `user_version`) and in the migrations' triggers.

use std::ops::Deref;
use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

use crate::audit::{self, Actor, Table};
use crate::error::{Error, Result};

/// A step after a migration's SQL, in the same transaction: rows the SQL changed are recorded
/// in the audit log, so `verify` still accounts for every row.
type Hook = fn(&mut Tx) -> Result<()>;

/// Numbered migrations, applied in order; a shipped one is never edited.
const MIGRATIONS: &[(&str, Option<Hook>)] = &[
    (include_str!("../migrations/0001_foundation.sql"), None),
    (
        include_str!("../migrations/0002_registration.sql"),
        Some(|tx| rerecord(tx, &[Table::Hospital])),
    ),
    (
        include_str!("../migrations/0003_day_close.sql"),
        Some(|tx| rerecord(tx, &[Table::Hospital, Table::Shift])),
    ),
    (
        include_str!("../migrations/0004_search_last_four.sql"),
        None,
    ),
    (
        include_str!("../migrations/0005_search_last_four_list.sql"),
        None,
    ),
    (
        include_str!("../migrations/0006_write_path_indexes.sql"),
        None,
    ),
];

/// A migration that added columns records the rows it changed, so the log again holds each
/// row as it now is.
fn rerecord(tx: &mut Tx, tables: &[Table]) -> Result<()> {
    for table in tables {
        let ids: Vec<i64> = {
            let mut stmt = tx.prepare(&format!("SELECT id FROM {} ORDER BY id", table.name()))?;
            let ids = stmt
                .query_map([], |r| r.get(0))?
                .collect::<std::result::Result<_, _>>()?;
            ids
        };
        for id in ids {
            tx.record("schema.migrate", *table, id, None)?;
        }
    }
    Ok(())
}

/// The schema version this program writes.
pub fn schema_version() -> i64 {
    MIGRATIONS.len() as i64
}

/// Opens (creating if absent) the database at `path`, checked and migrated.
pub fn open(path: &Path) -> Result<Connection> {
    let mut conn = Connection::open(path)?;
    conn.busy_timeout(Duration::from_secs(5))?;
    let version = check(&conn, path)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", true)?;
    // Search as you type over a million patients reads index pages at random: keep them in
    // memory (64 MiB of page cache, 256 MiB mapped) rather than asking the OS each time.
    conn.pragma_update(None, "cache_size", -65_536)?;
    // The write path alone uses a few dozen statements; rusqlite keeps 16 by default, which
    // made every registration prepare most of them again.
    conn.set_prepared_statement_cache_capacity(256);
    // Query planner stability: without it SQLite re-prepares a statement whenever a new bound
    // value might change its plan (`duty_id = ?` under an aggregate or ORDER BY), which cost
    // the registration path a third of its time. Our plans do not depend on the values.
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )?;
    conn.pragma_update(None, "mmap_size", 268_435_456)?;
    migrate(&mut conn, version)?;
    Ok(conn)
}

/// Opens an existing file without writing to it (verify, restore's checks).
pub fn open_read_only(path: &Path) -> Result<Connection> {
    if !path.is_file() {
        return Err(Error::Io(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            path.display().to_string(),
        )));
    }
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )?;
    check(&conn, path)?;
    Ok(conn)
}

/// Quick integrity check and version check; returns the file's schema version.
fn check(conn: &Connection, path: &Path) -> Result<i64> {
    let damaged = |e: rusqlite::Error| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => Error::NotFrontdesk(path.display().to_string()),
        Some(rusqlite::ErrorCode::DatabaseCorrupt) => Error::DbDamaged(e.to_string()),
        _ => Error::Sql(e),
    };
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(damaged)?;
    let result: String = conn
        .query_row("PRAGMA quick_check(1)", [], |r| r.get(0))
        .map_err(damaged)?;
    if result != "ok" {
        return Err(Error::DbDamaged(result));
    }
    if version > schema_version() {
        return Err(Error::DbTooNew {
            file: version,
            app: schema_version(),
        });
    }
    if version == 0 {
        let tables: i64 = conn.query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
            [],
            |r| r.get(0),
        )?;
        if tables > 0 {
            return Err(Error::NotFrontdesk(path.display().to_string()));
        }
    }
    Ok(version)
}

fn migrate(conn: &mut Connection, from: i64) -> Result<()> {
    for (i, (sql, hook)) in MIGRATIONS.iter().enumerate().skip(from as usize) {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        let mut tx = Tx {
            tx,
            actor: Actor::system(&format!("migration {:04}", i + 1)),
            now: crate::clock::now_ms(),
            entries: 0,
            head: None,
        };
        if let Some(hook) = hook {
            hook(&mut tx)?;
        }
        tx.tx.commit()?;
    }
    Ok(())
}

/// `query_row` through the connection's statement cache: a statement run on every
/// registration is prepared once per connection, not once per call.
pub trait CachedRow {
    fn row<T, P, F>(&self, sql: &str, params: P, f: F) -> rusqlite::Result<T>
    where
        P: rusqlite::Params,
        F: FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>;
}

impl CachedRow for Connection {
    fn row<T, P, F>(&self, sql: &str, params: P, f: F) -> rusqlite::Result<T>
    where
        P: rusqlite::Params,
        F: FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    {
        self.prepare_cached(sql)?.query_row(params, f)
    }
}

/// A write in progress: the transaction, who is making it, and when.
pub struct Tx<'c> {
    tx: Transaction<'c>,
    pub actor: Actor,
    pub now: i64,
    entries: usize,
    head: Option<(i64, String)>,
}

impl Deref for Tx<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        &self.tx
    }
}

impl Tx<'_> {
    /// `Connection::execute` through the statement cache: the write path runs the same few
    /// statements for every registration, so they are prepared once.
    pub fn execute<P: rusqlite::Params>(&self, sql: &str, params: P) -> rusqlite::Result<usize> {
        self.tx.prepare_cached(sql)?.execute(params)
    }

    /// `Connection::query_row` through the statement cache.
    pub fn query_row<T, P, F>(&self, sql: &str, params: P, f: F) -> rusqlite::Result<T>
    where
        P: rusqlite::Params,
        F: FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    {
        self.tx.prepare_cached(sql)?.query_row(params, f)
    }

    /// The audit chain's newest entry, read once per transaction (the write lock is held, so
    /// nobody else can append meanwhile).
    fn take_head(&mut self) -> Result<(i64, String)> {
        match self.head.take() {
            Some(head) => Ok(head),
            None => audit::chain_head(&self.tx),
        }
    }

    /// Records a change of one row made in this transaction. `before` is the row as it was
    /// (from [`audit::snapshot`] before the change), the after is read back here.
    pub fn record(
        &mut self,
        action: &str,
        table: Table,
        id: i64,
        before: Option<audit::Snapshot>,
    ) -> Result<()> {
        let after = audit::snapshot(&self.tx, table, id)?;
        let mut head = self.take_head()?;
        audit::append(
            &self.tx,
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
        Ok(())
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
            &self.tx,
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

/// The one way to change data: an IMMEDIATE transaction that commits only if `f` succeeds and
/// wrote at least one audit entry, so no change is ever unaccounted for.
pub fn write<T>(
    conn: &mut Connection,
    actor: &Actor,
    now: i64,
    f: impl FnOnce(&mut Tx) -> Result<T>,
) -> Result<T> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut tx = Tx {
        tx,
        actor: actor.clone(),
        now,
        entries: 0,
        head: None,
    };
    let value = f(&mut tx)?;
    assert!(
        tx.entries > 0,
        "a write transaction must record its audit entry"
    );
    tx.tx.commit()?;
    Ok(value)
}

/// Brings a connection's schema up to this program's version (after a restore of an older
/// backup).
pub fn upgrade(conn: &mut Connection) -> Result<()> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version > schema_version() {
        return Err(Error::DbTooNew {
            file: version,
            app: schema_version(),
        });
    }
    migrate(conn, version)
}
