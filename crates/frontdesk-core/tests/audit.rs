//! The audit log on real files: a fresh desk verifies clean; rows and log entries changed
//! behind the app's back with a plain SQL connection are caught and named; the log itself
//! refuses to be rewritten from any client.

#[macro_use]
mod common;

use common::*;
use frontdesk_core::audit;
use frontdesk_core::store::Location;
use frontdesk_core::Desk;
use serde_json::json;
use tempfile::TempDir;

/// A data file as a first start leaves it (demo hospital, first daily backup), desk closed.
fn fresh_file() -> (TempDir, Location) {
    let dir = temp();
    let path = db_path(&dir);
    drop(Desk::open_demo(&path).unwrap());
    (dir, path)
}

fn entry_of(tool: &SqlTool, entity: &str, entity_id: &str) -> i64 {
    tool.int(&format!(
        "SELECT min(id) FROM audit_log WHERE entity = '{entity}' AND entity_id = '{entity_id}'"
    ))
}

#[test]
fn a_first_start_verifies_clean() {
    let (_dir, path) = fresh_file();
    let report = verify_file(&path);
    assert!(report.ok(), "{:#?}", report.problems);
    assert_eq!(report.integrity, "ok");
    assert_eq!(report.first_bad_entry, None);
    let conn = frontdesk_core::store::Conn::open_read_only(&path).unwrap();
    assert_eq!(report.entries, audit_count(&conn));
    let rows: i64 = frontdesk_core::audit::Table::ALL
        .iter()
        .map(|t| count(&conn, t.name()))
        .sum();
    assert_eq!(report.rows_checked, rows);
    assert!(rows > 100, "the demo hospital is nearly empty: {rows} rows");
}

#[test]
fn rows_changed_behind_the_apps_back_are_caught_and_named() {
    let cases = [
        (
            "a department renamed",
            "UPDATE department SET name = '外星科' WHERE id = 1",
            "department #1: differs from audit entry",
        ),
        (
            "a doctor moved to another department",
            "UPDATE doctor SET department_id = 2 WHERE id = 1",
            "doctor #1: differs",
        ),
        (
            "a fee lowered",
            "UPDATE registration_type SET fee_fen = 1 WHERE id = 2",
            "registration_type #2: differs",
        ),
        (
            "a password hash replaced",
            "UPDATE staff SET password_hash = 'x' WHERE username = 'admin'",
            "staff #6: differs",
        ),
        (
            "a wrong-password count changed",
            "UPDATE staff SET failed_attempts = 3 WHERE username = 'clerk'",
            "staff #1: differs",
        ),
        (
            "the idle lock lengthened",
            "UPDATE hospital SET idle_lock_minutes = 240",
            "hospital #1: differs",
        ),
        (
            "a triage keyword deleted",
            "DELETE FROM triage_keyword WHERE id = 3",
            "triage_keyword #3: deleted outside Frontdesk",
        ),
        (
            "a duty slot deleted",
            "DELETE FROM duty WHERE id = 1",
            "duty #1: deleted outside Frontdesk",
        ),
        (
            "a department inserted without audit",
            "INSERT INTO department (id, code, name, active) VALUES (99, '99', '影子科', 1)",
            "department #99: written outside Frontdesk (no audit entry)",
        ),
        (
            "an account inserted without audit",
            "INSERT INTO staff (id, username, display_name, role, password_hash, active)
             VALUES (99, 'ghost', '鬼', 'admin', 'x', 1)",
            "staff #99: written outside Frontdesk",
        ),
    ];
    for (what, sql, expected) in cases {
        let (_dir, path) = fresh_file();
        assert_eq!(sql_tool(&path).run(sql).unwrap(), 1, "{what}");
        let report = verify_file(&path);
        assert!(!report.ok(), "{what}: not caught");
        assert!(
            report.problems.iter().any(|p| p.starts_with(expected)),
            "{what}: expected {expected:?} in {:#?}",
            report.problems
        );
        assert_eq!(report.problems.len(), 1, "{what}: {:#?}", report.problems);
        // The chain itself is intact: no log entry is blamed.
        assert_eq!(report.first_bad_entry, None, "{what}");
    }
}

#[test]
fn the_log_refuses_to_be_rewritten_by_any_client() {
    let (_dir, path) = fresh_file();
    let before = dump(
        &frontdesk_core::store::Conn::open_read_only(&path).unwrap(),
        "audit_log",
    );
    let tool = sql_tool(&path);
    for sql in [
        "UPDATE audit_log SET actor = 'nobody' WHERE id = 1",
        "UPDATE audit_log SET after = NULL",
        "DELETE FROM audit_log WHERE id = 1",
        "DELETE FROM audit_log",
    ] {
        assert_eq!(refused(tool.run(sql)), "audit_log is append-only", "{sql}");
    }
    drop(tool);
    assert_eq!(
        dump(
            &frontdesk_core::store::Conn::open_read_only(&path).unwrap(),
            "audit_log"
        ),
        before
    );
    assert!(verify_file(&path).ok());
}

/// Tampers with the log of `conn`; `n` is the entry that created department 1. Returns the
/// entry verify must blame.
type Tamper = fn(&SqlTool, i64) -> i64;

#[test]
fn a_log_entry_edited_removed_or_forged_is_named_as_the_first_bad_entry() {
    let cases: [(&str, Tamper); 6] = [
        ("its after text edited", |c, n| {
            c.run(&format!(
                "UPDATE audit_log SET after = replace(after, '心血管内科', '外星科') WHERE id = {n}"
            ))
            .unwrap();
            n
        }),
        ("its actor edited", |c, n| {
            c.run(&format!(
                "UPDATE audit_log SET actor = '周强 (admin)' WHERE id = {n}"
            ))
            .unwrap();
            n
        }),
        ("its time edited", |c, n| {
            c.run(&format!(
                "UPDATE audit_log SET at = at - 86400000 WHERE id = {n}"
            ))
            .unwrap();
            n
        }),
        ("its hash replaced", |c, n| {
            c.run(&format!(
                "UPDATE audit_log SET hash = '{}' WHERE id = {n}",
                "5a".repeat(32)
            ))
            .unwrap();
            n
        }),
        ("removed", |c, n| {
            c.run(&format!("DELETE FROM audit_log WHERE id = {n}"))
                .unwrap();
            n + 1
        }),
        (
            "a forged entry appended to cover a renamed department",
            |c, _| {
                c.run("UPDATE department SET name = '外星科' WHERE id = 1")
                    .unwrap();
                c.run(&format!(
                "INSERT INTO audit_log (id, at, actor, action, entity, entity_id, before, after, prev_hash, hash)
                 SELECT id + 1, at, '周强 (admin)', 'department.update', 'department', '1', NULL,
                        '{{\"id\":1,\"code\":\"01\",\"name\":\"外星科\",\"active\":1}}',
                        hash, '{}'
                 FROM audit_log ORDER BY id DESC LIMIT 1",
                "5a".repeat(32)
            ))
            .unwrap();
                c.int("SELECT max(id) FROM audit_log")
            },
        ),
    ];
    for (what, tamper) in cases {
        let (_dir, path) = fresh_file();
        let tool = sql_tool(&path);
        let n = entry_of(&tool, "department", "1");
        let on = if on_server() { " ON audit_log" } else { "" };
        for t in ["audit_log_no_update", "audit_log_no_delete"] {
            tool.run(&format!("DROP TRIGGER {t}{on}")).unwrap();
        }
        let blamed = tamper(&tool, n);
        drop(tool);
        let report = verify_file(&path);
        assert_eq!(report.first_bad_entry, Some(blamed), "{what}: {report:#?}");
        assert!(
            report.problems[0].starts_with(&format!("audit entry #{blamed}:")),
            "{what}: {:#?}",
            report.problems
        );
    }
}

#[test]
fn the_log_shows_who_changed_what_and_never_a_password_hash() {
    let dir = temp();
    let mut desk = Desk::open_demo(db_path(&dir)).unwrap();
    login(&mut desk, "admin");
    desk.reference_save(
        "department",
        &json!({ "id": 1, "code": "01", "name": "心内科" }),
    )
    .unwrap();
    let entries = desk.audit_list(Some("department"), 1).unwrap();
    let e = &entries[0];
    assert_eq!(
        (e.action.as_str(), e.entity_id.as_str(), e.actor.as_str()),
        ("department.update", "1", "周强 (admin)")
    );
    assert!(e.before.as_deref().unwrap().contains("心血管内科"));
    assert!(e.after.as_deref().unwrap().contains("心内科"));

    let all = desk.audit_list(None, 1000).unwrap();
    assert!(all.iter().any(|e| e.entity == "staff"));
    for e in &all {
        for text in [&e.before, &e.after].into_iter().flatten() {
            assert!(!text.contains("$argon2"), "entry #{}: {text}", e.id);
        }
    }
    let report = desk.audit_verify().unwrap();
    assert!(report.ok(), "{:#?}", report.problems);
    assert!(audit::verify(desk.connection()).unwrap().ok());
}
