//! Migrations: numbered `.sql` files included at build time, each applied in one transaction
//! with the schema version it brings; a shipped one is never edited. A step after a
//! migration's SQL records the rows the SQL changed, so `verify` still accounts for every row.

use super::{Conn, Tx};
use crate::audit::{Actor, Table};
use crate::error::Result;

/// A step after a migration's SQL, in the same transaction.
type Hook = fn(&mut Tx) -> Result<()>;

/// Numbered migrations, applied in order. The triggers in them are SQLite's.
const MIGRATIONS: &[(&str, Option<Hook>)] = &[
    (include_str!("../../migrations/0001_foundation.sql"), None),
    (
        include_str!("../../migrations/0002_registration.sql"),
        Some(|tx| rerecord(tx, &[Table::Hospital])),
    ),
    (
        include_str!("../../migrations/0003_day_close.sql"),
        Some(|tx| rerecord(tx, &[Table::Hospital, Table::Shift])),
    ),
    (
        include_str!("../../migrations/0004_search_last_four.sql"),
        None,
    ),
    (
        include_str!("../../migrations/0005_search_last_four_list.sql"),
        None,
    ),
    (
        include_str!("../../migrations/0006_write_path_indexes.sql"),
        None,
    ),
    (include_str!("../../migrations/0007_desk_printer.sql"), None),
    (
        include_str!("../../migrations/0008_history_indexes.sql"),
        None,
    ),
];

/// A migration that added columns records the rows it changed, so the log again holds each
/// row as it now is.
fn rerecord(tx: &mut Tx, tables: &[Table]) -> Result<()> {
    for table in tables {
        let ids: Vec<i64> = tx.all(
            &format!("SELECT id FROM {} ORDER BY id", table.name()),
            &[],
            |r| Ok(r.get(0)?),
        )?;
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

pub(super) fn run(conn: &mut Conn, from: i64) -> Result<()> {
    for (i, (sql, hook)) in MIGRATIONS.iter().enumerate().skip(from as usize) {
        let version = (i + 1) as i64;
        let actor = Actor::system(&format!("migration {version:04}"));
        let mut tx = Tx::begin(conn, &actor, crate::clock::now_ms())?;
        tx.batch(sql)?;
        tx.db().set_schema_version(version)?;
        if let Some(hook) = hook {
            hook(&mut tx)?;
        }
        tx.commit()?;
    }
    Ok(())
}

/// Brings a store's schema up to this program's version (after a restore of an older backup).
pub fn upgrade(conn: &mut Conn) -> Result<()> {
    let version = conn.version()?;
    super::not_newer(version)?;
    run(conn, version)
}
