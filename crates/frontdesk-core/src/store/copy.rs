//! Copying a whole store into another, on either engine: a hospital's SQLite file onto a new
//! server (`frontdesk-admin migrate-to`), and a server's data into a SQLite file (its
//! `backup`). Every table, every column, the ids and the audit log as they are, so the hash
//! chain and `verify` hold on the copy. And what each engine says its schema is, for the test
//! that keeps the two engines' migrations alike.

use super::{Conn, Engine, Kind, Location, ToSql, Tx, Value, ValueRef};
use crate::audit::Table;
use crate::error::{Error, Result, ServerProblem};

/// A column as the engine describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    pub kind: Kind,
    pub not_null: bool,
}

/// What a store's schema holds: its tables with their columns in order, the indexes made by
/// the migrations (not those behind a PRIMARY KEY or UNIQUE), and the triggers, by name.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Schema {
    pub tables: Vec<(String, Vec<Column>)>,
    pub indexes: Vec<(String, String)>,
    pub triggers: Vec<(String, String)>,
}

/// The tables of the engine's own bookkeeping, not the hospital's data.
const BOOKKEEPING: &[&str] = &["frontdesk_schema", "frontdesk_desk_role"];

fn kind_of(declared: &str) -> Kind {
    if declared.to_ascii_uppercase().contains("INT") {
        Kind::Int
    } else {
        Kind::Text
    }
}

impl Conn {
    /// The hospital's tables, by name.
    pub fn tables(&self) -> Result<Vec<String>> {
        let sql = match self.engine {
            Engine::Sqlite(_) => {
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'
                 ORDER BY name"
            }
            Engine::Postgres(_) => {
                "SELECT CAST(table_name AS TEXT) FROM information_schema.tables
                 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
                 ORDER BY table_name COLLATE \"C\""
            }
        };
        let all: Vec<String> = self.all(sql, &[], |r| Ok(r.get(0)?))?;
        Ok(all
            .into_iter()
            .filter(|t| !BOOKKEEPING.contains(&t.as_str()))
            .collect())
    }

    /// A table's columns, in order.
    pub fn columns(&self, table: &str) -> Result<Vec<Column>> {
        let sql = match self.engine {
            Engine::Sqlite(_) => {
                "SELECT name, type, \"notnull\" OR pk FROM pragma_table_info(?1) ORDER BY cid"
            }
            Engine::Postgres(_) => {
                "SELECT CAST(column_name AS TEXT), CAST(data_type AS TEXT), is_nullable = 'NO'
                 FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name = ?1
                 ORDER BY ordinal_position"
            }
        };
        self.all(sql, &[&table], |r| {
            Ok(Column {
                name: r.get(0)?,
                kind: kind_of(&r.get::<String>(1)?),
                not_null: r.get(2)?,
            })
        })
    }

    /// The whole schema, for comparing the engines.
    pub fn schema(&self) -> Result<Schema> {
        let mut schema = Schema::default();
        for t in self.tables()? {
            let columns = self.columns(&t)?;
            schema.tables.push((t, columns));
        }
        let (indexes, triggers) = match self.engine {
            Engine::Sqlite(_) => (
                "SELECT name, tbl_name FROM sqlite_master
                 WHERE type = 'index' AND sql IS NOT NULL ORDER BY name",
                "SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger' ORDER BY name",
            ),
            Engine::Postgres(_) => (
                "SELECT CAST(i.relname AS TEXT), CAST(t.relname AS TEXT)
                 FROM pg_index x
                 JOIN pg_class i ON i.oid = x.indexrelid
                 JOIN pg_class t ON t.oid = x.indrelid
                 JOIN pg_namespace n ON n.oid = t.relnamespace
                 WHERE n.nspname = current_schema()
                   AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
                 ORDER BY i.relname COLLATE \"C\"",
                "SELECT CAST(tg.tgname AS TEXT), CAST(t.relname AS TEXT)
                 FROM pg_trigger tg
                 JOIN pg_class t ON t.oid = tg.tgrelid
                 JOIN pg_namespace n ON n.oid = t.relnamespace
                 WHERE n.nspname = current_schema() AND NOT tg.tgisinternal
                 ORDER BY tg.tgname COLLATE \"C\"",
            ),
        };
        let pairs = |sql| -> Result<Vec<(String, String)>> {
            self.all(sql, &[], |r| Ok((r.get(0)?, r.get(1)?)))
        };
        schema.indexes = pairs(indexes)?;
        schema.triggers = pairs(triggers)?;
        Ok(schema)
    }
}

/// The order tables are copied in: every table after those it refers to.
fn copy_order() -> Vec<&'static str> {
    let mut order: Vec<&str> = Table::ALL.iter().map(|t| t.name()).collect();
    order.extend(["series", "patient_key", "audit_log"]);
    order
}

/// The columns a table's rows are read in order of, page by page.
fn key_of(table: &str) -> &'static [&'static str] {
    match table {
        "patient_key" => &["key", "patient_id"],
        "series" => &["name"],
        _ => &["id"],
    }
}

/// A value read from one store, to be written into the other.
#[derive(Debug, Clone)]
enum Cell {
    Null(Kind),
    Int(i64),
    Text(String),
}

impl ToSql for Cell {
    fn to_sql(&self) -> Value<'_> {
        match self {
            Cell::Null(k) => Value::Null(*k),
            Cell::Int(n) => Value::Int(*n),
            Cell::Text(s) => Value::Text(s),
        }
    }
}

const PAGE: usize = 2_000;

/// Copies every table of `from` into `to`, which must hold no data yet (a new file, or a new
/// database its owner has just made): the rows as they are, ids included, in one transaction
/// of `to`, so a copy that fails leaves it empty. Returns the rows copied per table.
pub fn copy_all(from: &Conn, to: &mut Conn) -> Result<Vec<(String, i64)>> {
    let held: i64 = to.value(
        "SELECT (SELECT count(*) FROM audit_log) + (SELECT count(*) FROM hospital)",
        &[],
    )?;
    if held > 0 {
        return Err(Error::Server {
            server: to.location().shown(),
            problem: ServerProblem::NotEmpty,
        });
    }
    let tables = from.tables()?;
    for t in copy_order() {
        if !tables.iter().any(|x| x == t) {
            return Err(Error::NotFrontdesk(from.location().shown()));
        }
    }
    let server = to.is_server();
    super::bulk_load(to, |tx| {
        let mut copied = Vec::new();
        for table in copy_order() {
            let n = copy_table(from, tx, table)?;

            if server && key_of(table) == ["id"] {
                // NULL for a table without an identity (the log's ids are the chain's).
                tx.value::<Option<i64>>(
                    &format!(
                        "SELECT setval(pg_get_serial_sequence('{table}', 'id'),
                                       coalesce(max(id), 0) + 1, false) FROM {table}"
                    ),
                    &[],
                )?;
            }
            copied.push((table.to_string(), n));
        }
        let closed: Vec<(i64, i64)> = from.all(
            "SELECT id, closed_at FROM shift WHERE closed_at IS NOT NULL ORDER BY id",
            &[],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        for (id, at) in closed {
            tx.execute("UPDATE shift SET closed_at = ?1 WHERE id = ?2", &[&at, &id])?;
        }
        Ok(copied)
    })
}

fn copy_table(from: &Conn, tx: &Tx, table: &str) -> Result<i64> {
    let columns = tx.columns(table)?;
    let names: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
    let list = names.join(", ");
    let key = key_of(table);
    let key_list = key.join(", ");
    let key_at: Vec<usize> = key
        .iter()
        .map(|k| names.iter().position(|n| n == k).expect("key column"))
        .collect();
    let first = format!("SELECT {list} FROM {table} ORDER BY {key_list} LIMIT {PAGE}");
    let next = format!(
        "SELECT {list} FROM {table} WHERE ({key_list}) > ({}) ORDER BY {key_list} LIMIT {PAGE}",
        (1..=key.len())
            .map(|i| format!("?{i}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    // Shifts are copied open: the rows of a closed shift are refused by the target's
    // triggers, so each shift is closed again once its rows are in (in `copy_all`).
    let opened = (table == "shift")
        .then(|| names.iter().position(|n| *n == "closed_at"))
        .flatten();
    let mut after: Option<Vec<Cell>> = None;
    let mut total = 0;
    loop {
        let read = |r: &super::Row<'_>| -> Result<Vec<Cell>> {
            let mut row = Vec::with_capacity(columns.len());
            for (i, c) in columns.iter().enumerate() {
                row.push(match r.value(i)? {
                    ValueRef::Null => Cell::Null(c.kind),
                    ValueRef::Int(n) => Cell::Int(n),
                    ValueRef::Text(s) => Cell::Text(s.to_string()),
                    other => {
                        return Err(Error::Store(super::StoreError::kind(
                            "an integer or text",
                            other,
                        )))
                    }
                });
            }
            Ok(row)
        };
        let rows = match &after {
            None => from.all(&first, &[], read)?,
            Some(k) => {
                let params: Vec<&dyn ToSql> = k.iter().map(|c| c as &dyn ToSql).collect();
                from.all(&next, &params, read)?
            }
        };
        if rows.is_empty() {
            return Ok(total);
        }
        let last_key: Vec<Cell> = {
            let last = rows.last().expect("not empty");
            key_at.iter().map(|&i| last[i].clone()).collect()
        };
        let mut rows = rows;
        if let Some(i) = opened {
            for row in &mut rows {
                row[i] = Cell::Null(Kind::Int);
            }
        }
        // Many rows per statement: one round trip per hundred rows, not per row.
        for chunk in rows.chunks(100) {
            let width = columns.len();
            let values: Vec<String> = (0..chunk.len())
                .map(|r| {
                    let cells: Vec<String> =
                        (1..=width).map(|c| format!("?{}", r * width + c)).collect();
                    format!("({})", cells.join(", "))
                })
                .collect();
            let sql = format!("INSERT INTO {table} ({list}) VALUES {}", values.join(", "));
            let params: Vec<&dyn ToSql> = chunk
                .iter()
                .flat_map(|row| row.iter().map(|c| c as &dyn ToSql))
                .collect();
            tx.execute(&sql, &params)?;
        }
        total += rows.len() as i64;
        after = Some(last_key);
    }
}

/// Where a copy goes must be new: a file that does not exist yet, or a server's database.
pub fn fresh_target(to: &Location) -> Result<()> {
    if let Location::File(p) = to {
        if p.exists() {
            return Err(Error::Server {
                server: to.shown(),
                problem: ServerProblem::NotEmpty,
            });
        }
    }
    Ok(())
}
