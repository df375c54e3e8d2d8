//! Migrations: numbered `.sql` files included at build time, each applied in one transaction
//! with the schema version it brings; a shipped one is never edited. A step after a
//! migration's SQL records the rows the SQL changed, so `verify` still accounts for every row.
//!
//! Each migration is written twice, once per engine, under the same number: SQLite's in
//! `migrations/`, PostgreSQL's in `migrations/pg/` (BIGINT and `COLLATE "C"` text, the
//! triggers in plpgsql, and TRUNCATE refused as well). A test compares the two schemas, so a
//! migration added to one and forgotten in the other fails the build.

use super::{Conn, Engine, Tx};
use crate::audit::{Actor, Table};
use crate::error::Result;

/// A step after a migration's SQL, in the same transaction.
type Hook = fn(&mut Tx) -> Result<()>;

/// One migration: its SQL for each engine, and the step after it.
struct Migration {
    file: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
    hook: Option<Hook>,
}

macro_rules! migration {
    ($file:literal, $hook:expr) => {
        Migration {
            file: $file,
            sqlite: include_str!(concat!("../../migrations/", $file)),
            postgres: include_str!(concat!("../../migrations/pg/", $file)),
            hook: $hook,
        }
    };
}

/// Numbered migrations, applied in order.
const MIGRATIONS: &[Migration] = &[
    migration!("0001_foundation.sql", None),
    migration!(
        "0002_registration.sql",
        Some(|tx| rerecord(tx, &[Table::Hospital]))
    ),
    migration!(
        "0003_day_close.sql",
        Some(|tx| rerecord(tx, &[Table::Hospital, Table::Shift]))
    ),
    migration!("0004_search_last_four.sql", None),
    migration!("0005_search_last_four_list.sql", None),
    migration!("0006_write_path_indexes.sql", None),
    migration!("0007_desk_printer.sql", None),
    migration!("0008_history_indexes.sql", None),
    migration!("0009_complaints.sql", None),
    migration!("0010_followups.sql", None),
    migration!(
        "0011_followup_answers.sql",
        Some(|tx| rerecord(tx, &[Table::FollowupSetting]))
    ),
    migration!("0012_surveys.sql", None),
    migration!("0013_guide_logs.sql", None),
    migration!("0014_quality_targets.sql", None),
    migration!("0015_quality_figures.sql", None),
    migration!("0016_inspection.sql", None),
    migration!("0017_retention.sql", None),
    migration!("0018_anonymise.sql", None),
];

/// The tables whose history the desks' role may not rewrite: no UPDATE, no DELETE (and no
/// TRUNCATE, which only the owner has). Their triggers refuse the same to the owner.
const APPEND_ONLY: &[&str] = &[
    "audit_log",
    "ledger",
    "receipt_print",
    "shift_close",
    "shift_count",
    "complaint_step",
    "complaint_department",
    "followup_attempt",
    "followup_answer",
    "questionnaire_item",
    "survey_response",
    "survey_answer",
    "guide_log",
    "quality_target",
    "operating_target",
    "quality_check",
    "retention_period",
    "audit_redaction",
];
/// Tables updated (a shift closed, a receipt voided) but never deleted from.
const NEVER_DELETED: &[&str] = &[
    "shift",
    "receipt",
    "complaint",
    "followup",
    "patient_no_call",
    "followup_concern",
    "spot_check",
    "spot_check_item",
    "questionnaire_version",
    "market_survey",
    "inspection_item",
];

/// A migration's seed (a new area's reference rows) for a hospital already set up; a file not
/// yet set up gets them when its hospital is made. The migration
/// files' comments, never edited once shipped, call this step `…::seed_existing`.
pub(crate) fn if_set_up(tx: &mut Tx, seed: fn(&mut Tx) -> Result<()>) -> Result<()> {
    let hospital: Option<i64> = tx.value_opt("SELECT id FROM hospital WHERE id = 1", &[])?;
    match hospital {
        Some(_) => seed(tx),
        None => Ok(()),
    }
}

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
    let server = conn.is_server();
    for (i, m) in MIGRATIONS.iter().enumerate().skip(from as usize) {
        let version = (i + 1) as i64;
        let actor = Actor::system(&format!("migration {version:04}"));
        let mut tx = Tx::begin(conn, &actor, crate::clock::now_ms())?;
        tx.reacts = false;
        match &tx.engine {
            Engine::Sqlite(db) => {
                db.batch(m.sqlite)?;
                db.set_schema_version(version)?;
            }
            Engine::Postgres(db) => {
                db.batch(m.postgres)?;
                db.set_schema_version(version)?;
            }
        }
        if let Some(hook) = m.hook {
            hook(&mut tx)?;
        }
        // The areas' seeds for it (`areas::SEEDS`).
        for (_, seed) in crate::areas::SEEDS.iter().filter(|(f, _)| *f == m.file) {
            seed(&mut tx)?;
        }
        tx.commit()?;
    }
    if server && (from as usize) < MIGRATIONS.len() {
        regrant(conn)?;
    }
    Ok(())
}

/// The desks' rights on a server, for `role`: read and write the day's work, never rewrite
/// history (see [`APPEND_ONLY`]), never change the schema. Granted again after every
/// migration, so a table a migration adds is covered.
fn grants(schema: &str, role: &str) -> String {
    let role = quoted(role);
    let schema = quoted(schema);
    let mut sql = format!(
        "GRANT USAGE ON SCHEMA {schema} TO {role};
         GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role};
         GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role};
         REVOKE ALL ON frontdesk_schema, frontdesk_desk_role FROM {role};
         GRANT SELECT ON frontdesk_schema TO {role};\n"
    );
    for t in APPEND_ONLY {
        sql.push_str(&format!(
            "REVOKE UPDATE, DELETE, TRUNCATE ON {t} FROM {role};\n"
        ));
    }
    for t in NEVER_DELETED {
        sql.push_str(&format!("REVOKE DELETE, TRUNCATE ON {t} FROM {role};\n"));
    }
    sql
}

fn quoted(role: &str) -> String {
    format!("\"{}\"", role.replace('"', "\"\""))
}

fn regrant(conn: &Conn) -> Result<()> {
    let roles: Vec<String> = conn.all(
        "SELECT name FROM frontdesk_desk_role ORDER BY name",
        &[],
        |r| Ok(r.get(0)?),
    )?;
    let schema: String = conn.value("SELECT CAST(current_schema() AS TEXT)", &[])?;
    for role in roles {
        conn.batch(&grants(&schema, &role))?;
    }
    Ok(())
}

/// Gives a server's login role the desks' rights (run by the database's owner, after `init`):
/// the desks then connect as that role, which cannot change the schema or rewrite history
/// even through a bug in the app. Remembered, so later migrations grant it their tables too.
pub fn grant_desk(conn: &mut Conn, role: &str) -> Result<()> {
    if !conn.is_server() {
        return Err(crate::error::Error::Server {
            server: conn.location().shown(),
            problem: crate::error::ServerProblem::ServerOnly,
        });
    }
    let known: Option<i64> = conn.value_opt(
        "SELECT 1::bigint FROM pg_roles WHERE rolname = ?1",
        &[&role],
    )?;
    if known.is_none() {
        return Err(crate::error::Error::invalid(
            "desk_role",
            crate::error::Problem::Unknown,
        ));
    }
    conn.batch("BEGIN")?;
    let done = (|| {
        conn.append_row(
            "INSERT INTO frontdesk_desk_role (name) VALUES (?1) ON CONFLICT (name) DO NOTHING",
            &[&role],
        )?;
        let schema: String = conn.value("SELECT CAST(current_schema() AS TEXT)", &[])?;
        conn.batch(&grants(&schema, role))
    })();
    conn.batch(if done.is_ok() { "COMMIT" } else { "ROLLBACK" })?;
    done
}

/// Brings a store's schema up to this program's version (after a restore of an older backup).
pub fn upgrade(conn: &mut Conn) -> Result<()> {
    let version = conn.version()?;
    super::not_newer(version)?;
    run(conn, version)
}
