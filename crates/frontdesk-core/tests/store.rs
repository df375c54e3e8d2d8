//! The store on real files: what opening creates and refuses, the pragmas that make a write
//! survive power loss, and `store::write`, which commits a change only with its audit entry.
//! What is SQLite's own (the schema table, pragmas) is read through the store's connection as
//! any statement would be.

#[macro_use]
mod common;

use std::path::Path;

use common::*;
use frontdesk_core::audit::Actor;
use frontdesk_core::ids::StaffId;
use frontdesk_core::reference::{self, Kind};
use frontdesk_core::store::{self, Conn};
use frontdesk_core::{Desk, Error, Problem};
use serde_json::json;

const TABLES: [&str; 9] = [
    "hospital",
    "department",
    "doctor",
    "duty",
    "registration_type",
    "payment_method",
    "triage_keyword",
    "staff",
    "audit_log",
];

fn schema(conn: &Conn) -> Vec<(String, String)> {
    conn.all(
        "SELECT type, name FROM sqlite_master ORDER BY type, name",
        &[],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .unwrap()
}

fn user_version(conn: &Conn) -> i64 {
    conn.version().unwrap()
}

#[test]
fn a_new_file_gets_the_whole_schema_at_this_programs_version() {
    sqlite_only!("about the SQLite file");
    let dir = temp();
    let path = dir.path().join("new").join("frontdesk.db");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let conn = Conn::open(&path).unwrap();

    assert!(path.is_file());
    assert_eq!(user_version(&conn), store::schema_version());
    let schema = schema(&conn);
    for table in TABLES {
        assert!(
            schema.contains(&("table".into(), table.into())),
            "{table} missing from {schema:?}"
        );
        assert_eq!(count(&conn, table), 0, "{table} is not empty");
    }
    for trigger in ["audit_log_no_update", "audit_log_no_delete"] {
        assert!(schema.contains(&("trigger".into(), trigger.into())));
    }
}

#[test]
fn the_pragmas_that_make_a_write_durable_are_in_force_on_every_open() {
    sqlite_only!("about the SQLite file");
    let dir = temp();
    let path = db_file(&dir);
    for open in ["first open", "reopen"] {
        let conn = Conn::open(&path).unwrap();
        let mut conn = conn;
        let journal: String = conn.value("PRAGMA journal_mode", &[]).unwrap();
        let synchronous: i64 = conn.value("PRAGMA synchronous", &[]).unwrap();
        let foreign_keys: i64 = conn.value("PRAGMA foreign_keys", &[]).unwrap();
        assert_eq!(journal, "wal", "{open}");
        assert_eq!(synchronous, 2, "{open}: synchronous must be FULL");
        assert_eq!(foreign_keys, 1, "{open}");

        // Foreign keys really bite: a doctor of a department that does not exist is refused.
        let orphan = store::write(&mut conn, &Actor::system("test"), START, |tx| {
            tx.execute(
                "INSERT INTO doctor (name, department_id, title, active) VALUES ('无名', 999, '主治医师', 1)",
                &[],
            )
        });
        assert!(
            orphan
                .unwrap_err()
                .to_string()
                .contains("FOREIGN KEY constraint failed"),
            "{open}: orphan doctor accepted"
        );
    }
}

#[test]
fn opening_twice_does_not_run_the_migrations_again() {
    sqlite_only!("about the SQLite file");
    let dir = temp();
    let path = db_file(&dir);
    frontdesk_file(&path);
    let first = schema(&Conn::open(&path).unwrap());

    for _ in 0..2 {
        let conn = Conn::open(&path).unwrap();
        assert_eq!(user_version(&conn), store::schema_version());
        assert_eq!(schema(&conn), first);
        assert_eq!(dump(&conn, "department").len(), 1);
        assert_eq!(audit_count(&conn), 1);
        assert_verified(&conn);
    }
}

// ---- files the store refuses, untouched -------------------------------------------------

/// A Frontdesk data file holding one department (one audit entry).
fn frontdesk_file(path: &Path) {
    let mut conn = Conn::open(path).unwrap();
    store::write(&mut conn, &Actor::system("test"), START, |tx| {
        reference::save(
            tx,
            Kind::Department,
            &json!({ "code": "01", "name": "内科" }),
        )
    })
    .unwrap();
}

fn newer_version(path: &Path) {
    frontdesk_file(path);
    let tool = sqlite_tool(path);
    tool.pragma_update(None, "user_version", store::schema_version() + 1)
        .unwrap();
}

fn garbage(path: &Path) {
    // Deterministic noise (a linear congruential generator), not a SQLite header.
    let mut x: u32 = 12345;
    let bytes: Vec<u8> = (0..16 * 1024)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            (x >> 16) as u8
        })
        .collect();
    std::fs::write(path, bytes).unwrap();
}

fn text_file(path: &Path) {
    std::fs::write(path, "姓名,电话\n张三,13800000000\n".repeat(200)).unwrap();
}

fn foreign_sqlite(path: &Path) {
    let tool = sqlite_tool(path);
    tool.execute_batch(
        "CREATE TABLE patients (id INTEGER PRIMARY KEY, name TEXT);
         INSERT INTO patients (name) VALUES ('张三');",
    )
    .unwrap();
}

fn clobbered_page(path: &Path) {
    frontdesk_file(path);
    {
        let tool = sqlite_tool(path);
        tool.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let mut bytes = std::fs::read(path).unwrap();
    assert!(bytes.len() >= 4 * 4096, "file too small: {}", bytes.len());
    for b in &mut bytes[2 * 4096..3 * 4096] {
        *b = 0xA5;
    }
    std::fs::write(path, bytes).unwrap();
}

/// Makes a file at the path that the store must refuse.
type MakeFile = fn(&Path);

#[test]
fn files_that_are_not_this_programs_are_refused_and_left_as_they_were() {
    sqlite_only!("about the SQLite file");
    let cases: [(&str, MakeFile, &[&str]); 5] = [
        (
            "written by a newer Frontdesk",
            newer_version,
            &["db_too_new"],
        ),
        ("random bytes", garbage, &["not_frontdesk", "db_damaged"]),
        ("a text file", text_file, &["not_frontdesk", "db_damaged"]),
        (
            "another program's SQLite file",
            foreign_sqlite,
            &["not_frontdesk"],
        ),
        (
            "a Frontdesk file with a damaged page",
            clobbered_page,
            &["db_damaged"],
        ),
    ];
    for (what, make, expected) in cases {
        let dir = temp();
        let path = db_file(&dir);
        make(&path);
        let before = std::fs::read(&path).unwrap();

        // Opening reads the header; the full check runs before the first write.
        let e = Conn::open(&path)
            .and_then(|c| c.ensure_sound())
            .unwrap_err();
        assert!(
            expected.contains(&e.code()),
            "{what}: Conn::open gave {e:?}, expected one of {expected:?}"
        );
        assert_desk_sentence(&e);
        let e = Desk::open(&path).err().unwrap();
        assert!(
            expected.contains(&e.code()),
            "{what}: Desk::open gave {e:?}"
        );
        // The app's opening defers the full check to a thread; the first write (signing in)
        // waits for it and is refused.
        match Desk::open_in_background(&path, false) {
            Err(e) => assert!(
                expected.contains(&e.code()),
                "{what}: open_in_background gave {e:?}"
            ),
            Ok(mut desk) => {
                let e = desk.login("clerk", "clerk1234").unwrap_err();
                assert!(expected.contains(&e.code()), "{what}: sign-in gave {e:?}");
                assert_eq!(code(desk.soundness().wait()), "db_damaged", "{what}");
            }
        }
        assert_eq!(
            std::fs::read(&path).unwrap(),
            before,
            "{what}: the file was changed"
        );
    }
}

/// A sound WAL file — the kind the app opens every morning — is not read through on opening:
/// the damage is found by the full check before anything is written, in the background, and
/// reported to whoever waits for the verdict.
#[test]
fn damage_beyond_the_schema_is_found_before_the_first_write() {
    sqlite_only!("about the SQLite file");
    let dir = temp();
    let path = db_file(&dir);
    // Damage a page far from the schema, in a file left in WAL mode.
    {
        let mut desk = Desk::open_demo(&path).unwrap();
        desk.login("admin", "admin1234").unwrap();
        drop(desk);
        let tool = sqlite_tool(&path);
        tool.execute_batch(
            "CREATE TABLE filler (x TEXT);
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
             INSERT INTO filler SELECT hex(randomblob(200)) FROM n;
             PRAGMA wal_checkpoint(TRUNCATE);",
        )
        .unwrap();
        let mode: String = tool
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
    }
    let mut bytes = std::fs::read(&path).unwrap();
    let pages = bytes.len() / 4096;
    let victim = pages - 5;
    for b in &mut bytes[victim * 4096..(victim + 1) * 4096] {
        *b = 0xA5;
    }
    std::fs::write(&path, &bytes).unwrap();
    let before = std::fs::read(&path).unwrap();

    let mut desk = Desk::open_in_background(&path, false).expect("the header and schema are sound");
    assert_eq!(code(desk.soundness().wait()), "db_damaged");
    assert_eq!(code(desk.login("clerk", "clerk1234")), "db_damaged");
    drop(desk);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the damaged file was written to"
    );
    // Nor its log: a write would sit in the WAL until the last connection closed.
    let wal = path.with_extension("db-wal");
    let wal_len = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    assert_eq!(wal_len, 0, "something was written to {}", wal.display());
}

#[test]
fn a_newer_file_names_both_versions() {
    sqlite_only!("about the SQLite file");
    let dir = temp();
    let path = db_file(&dir);
    newer_version(&path);
    match Conn::open(&path) {
        Err(Error::DbTooNew { file, app }) => {
            assert_eq!(file, store::schema_version() + 1);
            assert_eq!(app, store::schema_version());
        }
        other => panic!("expected DbTooNew, got {other:?}"),
    }
    // Read-only opening (verify, restore's checks) refuses it the same way.
    assert_eq!(code(Conn::open_read_only(&path)), "db_too_new");
}

// ---- store::write -------------------------------------------------------------------------

#[test]
fn a_write_commits_together_with_its_audit_entry() {
    let dir = temp();
    let path = db_path(&dir);
    let mut conn = Conn::open(&path).unwrap();
    let actor = Actor {
        id: Some(StaffId(7)),
        name: "周强 (admin)".into(),
    };
    let id = store::write(&mut conn, &actor, START, |tx| {
        reference::save(
            tx,
            Kind::Department,
            &json!({ "code": "01", "name": "内科" }),
        )
    })
    .unwrap();
    drop(conn);

    // Seen from a fresh connection: it is on disk.
    let conn = Conn::open(&path).unwrap();
    assert_eq!(
        dump(&conn, "department"),
        [format!(r#"{id} | "01" | "内科" | 1"#)]
    );
    let (at, actor_id, who, action, entity, entity_id, before, after): (
        i64,
        Option<i64>,
        String,
        String,
        String,
        String,
        Option<String>,
        String,
    ) = conn
        .row(
            "SELECT at, actor_id, actor, action, entity, entity_id, before, after FROM audit_log",
            &[],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                ))
            },
        )
        .unwrap();
    assert_eq!(
        (at, actor_id, who.as_str(), action.as_str(), entity.as_str()),
        (
            START,
            Some(7),
            "周强 (admin)",
            "department.create",
            "department"
        )
    );
    assert_eq!(entity_id, id.to_string());
    assert_eq!(before, None);
    let after: serde_json::Value = serde_json::from_str(&after).unwrap();
    assert_eq!(
        after,
        json!({ "id": id, "code": "01", "name": "内科", "active": 1 })
    );
    assert_verified(&conn);
}

/// The work of one `store::write`.
type Change = fn(&mut store::Tx) -> frontdesk_core::Result<i64>;

#[test]
fn a_write_that_fails_leaves_no_trace_not_even_its_audit_entries() {
    let dir = temp();
    let path = db_path(&dir);
    let mut conn = store(&dir);
    let before = dump_all(&conn);
    let actor = Actor::system("test");

    let failures: [(&str, Change); 3] = [
        ("the closure gives up after a saved row", |tx| {
            reference::save(
                tx,
                Kind::Department,
                &json!({ "code": "98", "name": "眼科" }),
            )?;
            Err(Error::invalid("name", Problem::Required))
        }),
        ("the second of two saves is refused", |tx| {
            reference::save(
                tx,
                Kind::Department,
                &json!({ "code": "98", "name": "眼科" }),
            )?;
            reference::save(
                tx,
                Kind::Department,
                &json!({ "code": "98", "name": "耳科" }),
            )
        }),
        ("SQLite refuses a statement", |tx| {
            reference::save(
                tx,
                Kind::PaymentMethod,
                &json!({ "code": "x", "name": "赊账" }),
            )?;
            tx.execute("UPDATE department SET active = 7 WHERE id = 1", &[])?;
            Ok(0)
        }),
    ];
    for (what, f) in failures {
        assert!(store::write(&mut conn, &actor, START, f).is_err(), "{what}");
        assert_eq!(dump_all(&conn), before, "{what}: something was kept");
    }
    drop(conn);
    let conn = Conn::open(&path).unwrap();
    assert_eq!(dump_all(&conn), before);
    assert_verified(&conn);
}

#[test]
fn a_change_without_an_audit_entry_is_never_committed() {
    let dir = temp();
    let mut conn = Conn::open(db_path(&dir)).unwrap();
    // Refused as an error (the desk that asked gets an answer), not a panic.
    let unaudited = store::write(&mut conn, &Actor::system("test"), START, |tx| {
        tx.execute(
            "INSERT INTO department (code, name, active) VALUES ('01', '内科', 1)",
            &[],
        )?;
        Ok(())
    });
    let e = unaudited.expect_err("an unaudited write was accepted");
    assert_eq!(e.code(), "internal");
    assert_eq!(count(&conn, "department"), 0);
    assert_eq!(audit_count(&conn), 0);
}
