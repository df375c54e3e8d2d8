//! Many windows, one server: what only a shared PostgreSQL server has. Run when `FRONTDESK_TEST_PG`
//! names a server (`scripts/test.sh` starts one); each test has a database of its own there.
//! The two engines' schemas kept alike; the desks' role that cannot rewrite history; the
//! messages for a server that cannot be used; a connection lost mid-day; sixteen desks
//! registering at once with every series unique and gapless; the command line on a server.

#[macro_use]
mod common;

use std::process::Command;

use common::*;
use frontdesk_core::registration::{CancelInput, ChangeInput, Choice, PaymentInput, RegisterInput};
use frontdesk_core::staff::StaffInput;
use frontdesk_core::store::{self, Conn, Location};
use frontdesk_core::{Desk, Error};
use serde_json::json;

fn cash() -> Vec<PaymentInput> {
    vec![PaymentInput {
        method: "cash".into(),
        amount: String::new(),
        tendered: String::new(),
    }]
}

/// A 普通号 in `department`, paid in cash, as the desk registers.
fn register_in(
    desk: &mut Desk,
    patient_id: frontdesk_core::ids::PatientId,
    department: i64,
) -> Result<frontdesk_core::registration::Registered, Error> {
    let ordinary = type_id(desk, "普通号");
    desk.register(&RegisterInput {
        choice: Choice {
            patient_id,
            department_id: Some(frontdesk_core::ids::DepartmentId(department)),
            registration_type_id: Some(ordinary),
            ..Default::default()
        },
        payments: cash(),
        ..Default::default()
    })
}

/// The test's database URL with another user and password.
fn as_user(at: &Location, user: &str, password: &str) -> String {
    let url = at.as_arg();
    let (scheme, rest) = url.split_once("://").unwrap();
    let (_, host) = rest.split_once('@').unwrap();
    format!("{scheme}://{user}:{password}@{host}")
}

fn admin_cli(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_frontdesk-admin"))
        .args(args)
        .env("FRONTDESK_LANG", "zh")
        .output()
        .unwrap()
}

#[test]
fn both_engines_have_the_same_schema() {
    server_only!();
    let dir = temp();
    let file = Conn::open(db_file(&dir)).unwrap().schema().unwrap();
    let mut server = Conn::open(db_path(&dir)).unwrap().schema().unwrap();
    // TRUNCATE fires no DELETE trigger: on the server only, each append-only table has a
    // trigger of its own for it.
    server
        .triggers
        .retain(|(name, _)| !name.ends_with("_no_truncate"));
    let names = |s: &store::Schema| s.tables.iter().map(|t| t.0.clone()).collect::<Vec<_>>();
    assert_eq!(names(&server), names(&file), "tables");
    for ((table, on_server), (_, in_file)) in server.tables.iter().zip(&file.tables) {
        assert_eq!(on_server, in_file, "the columns of {table}, in order");
    }
    assert_eq!(server.indexes, file.indexes, "indexes");
    assert_eq!(server.triggers, file.triggers, "triggers");
    assert!(
        file.triggers.len() >= 17 && file.indexes.len() >= 17,
        "{} triggers, {} indexes",
        file.triggers.len(),
        file.indexes.len()
    );
}

#[test]
fn the_desks_role_cannot_rewrite_history_even_through_a_bug() {
    server_only!();
    let dir = temp();
    let at = db_path(&dir);
    let clock = test_clock!();
    drop(Desk::open_demo_with_clock(&at, clock.read).unwrap());
    let role = format!("desk_{}", at.as_arg().rsplit('/').next().unwrap());
    let owner = sql_tool(&at);
    owner
        .run(&format!("CREATE ROLE {role} LOGIN PASSWORD 'desk-pw'"))
        .unwrap();
    store::grant_desk(&mut Conn::open(&at).unwrap(), &role).unwrap();

    // A desk connected as that role does the day's work…
    let desk_url = Location::parse(&as_user(&at, &role, "desk-pw")).unwrap();
    let mut desk = Desk::open_demo_with_clock(&desk_url, clock.read).unwrap();
    login(&mut desk, "clerk");
    desk.shift_open(&float()).unwrap();
    let p = patient(&mut desk, "张三", "13800138000");
    let department = reference_id(&mut desk, "department", "神经内科");
    let reg = register_in(&mut desk, p, department).unwrap();
    desk.receipt_document(reg.receipt_id.unwrap(), true)
        .unwrap();
    desk.registration_cancel(&CancelInput {
        registration_id: reg.registration_id,
        reason: "病人临时有事".into(),
        ..Default::default()
    })
    .unwrap();
    assert_verified(desk.connection());
    drop(desk);

    // …but nothing the app never does, whatever SQL reaches the server in its name.
    let desk_tool = sql_tool(&desk_url);
    for sql in [
        "UPDATE ledger SET amount_fen = 1",
        "DELETE FROM ledger",
        "TRUNCATE ledger",
        "UPDATE audit_log SET actor = 'nobody'",
        "DELETE FROM audit_log",
        "TRUNCATE audit_log",
        "UPDATE receipt_print SET at = 0",
        "DELETE FROM receipt_print",
        "DELETE FROM receipt",
        "DELETE FROM shift",
        "UPDATE shift_close SET handover_fen = 0",
        "DELETE FROM shift_count",
        "UPDATE frontdesk_schema SET version = 1",
        "UPDATE followup_attempt SET phone = NULL",
        "UPDATE audit_redaction SET hash = ''",
        "DELETE FROM audit_redaction",
    ] {
        let said = refused(desk_tool.run(sql));
        assert!(said.starts_with("permission denied"), "{sql}: {said}");
    }
    for sql in [
        "CREATE TABLE shadow (id BIGINT)",
        "DROP TRIGGER ledger_no_update ON ledger",
        "ALTER TABLE ledger DISABLE TRIGGER USER",
    ] {
        let said = refused(desk_tool.run(sql));
        assert!(
            said.starts_with("permission denied") || said.starts_with("must be owner"),
            "{sql}: {said}"
        );
    }
    // Removing personal data past its period rewrites calls and log entries: at a desk the
    // administrator is told it is the owner's work, and nothing is written.
    let mut desk = Desk::open_demo_with_clock(&desk_url, clock.read).unwrap();
    login(&mut desk, "admin");
    let entries = audit_count(desk.connection());
    let e = desk.retention_anonymise().unwrap_err();
    assert_eq!(e.code(), "server_owners_work");
    assert_desk_sentence(&e);
    assert_eq!(audit_count(desk.connection()), entries);
    drop(desk);

    // The owner is stopped by the triggers, with their messages.
    for (sql, says) in [
        (
            "UPDATE receipt_print SET at = 0",
            "receipt_print is append-only",
        ),
        ("DELETE FROM receipt_print", "receipt_print is append-only"),
        ("UPDATE ledger SET amount_fen = 1", "ledger is append-only"),
        ("TRUNCATE ledger", "ledger is append-only"),
    ] {
        assert_eq!(refused(owner.run(sql)), says, "{sql}");
    }

    // A schema behind this program's is upgraded only by the owner: the desk is told who can,
    // and nothing is changed.
    let version = store::schema_version();
    owner
        .run(&format!(
            "UPDATE frontdesk_schema SET version = {}",
            version - 1
        ))
        .unwrap();
    let e = Conn::open(&desk_url).unwrap_err();
    assert_eq!(e.code(), "server_needs_owner");
    assert_desk_sentence(&e);
    assert_eq!(
        owner.int("SELECT version FROM frontdesk_schema"),
        version - 1
    );
    owner
        .run(&format!("UPDATE frontdesk_schema SET version = {version}"))
        .unwrap();
    assert_verified(&reader(&at));
}

#[test]
fn a_server_that_cannot_be_used_is_named_and_nothing_is_written() {
    server_only!();
    let dir = temp();
    let at = db_path(&dir);
    let clock = test_clock!();
    drop(Desk::open_demo_with_clock(&at, clock.read).unwrap());
    let url = at.as_arg();
    let (root, _) = url.rsplit_once('/').unwrap();

    let bad = Location::parse("postgres://desk:secret@db.hospital:notaport/frontdesk").unwrap_err();
    assert_eq!(bad.code(), "server_bad_url");
    assert!(!bad.message(frontdesk_core::Lang::Zh).contains("secret"));
    for (target, code) in [
        (
            "postgres://desk:secret@127.0.0.1:1/frontdesk".to_string(),
            "server_unreachable",
        ),
        (
            as_user(&at, "postgres", "not-the-password"),
            "server_auth_refused",
        ),
        (format!("{root}/no_such_database"), "server_no_database"),
    ] {
        let e = Desk::open_demo_with_clock(Location::parse(&target).unwrap(), clock.read)
            .err()
            .unwrap();
        assert_eq!(e.code(), code, "{target}: {e:?}");
        assert_desk_sentence(&e);
        assert!(!e.message(frontdesk_core::Lang::Zh).contains("secret"));
        assert!(!e
            .message(frontdesk_core::Lang::Zh)
            .contains("not-the-password"));
    }

    // A database made by a newer Frontdesk: refused, untouched.
    let owner = sql_tool(&at);
    let newer = store::schema_version() + 1;
    owner
        .run(&format!("UPDATE frontdesk_schema SET version = {newer}"))
        .unwrap();
    let entries = owner.int("SELECT count(*) FROM audit_log");
    for e in [
        Desk::open_demo_with_clock(&at, clock.read).err().unwrap(),
        Conn::open_read_only(&at).err().unwrap(),
    ] {
        assert_eq!(e.code(), "db_too_new");
    }
    assert_eq!(owner.int("SELECT version FROM frontdesk_schema"), newer);
    assert_eq!(owner.int("SELECT count(*) FROM audit_log"), entries);
}

#[test]
fn a_server_without_fsync_is_refused() {
    server_only!();
    let dir = temp();
    let at = db_path(&dir);
    // The test server runs with fsync off; only the variable that says so lets the app on.
    let o = Command::new(env!("CARGO_BIN_EXE_frontdesk-admin"))
        .args(["--db", &at.as_arg(), "init", "--demo"])
        .env("FRONTDESK_LANG", "zh")
        .env_remove(store::postgres::UNSAFE_SERVER_FOR_TESTS)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{said}");
    assert!(
        said.contains("关闭了写盘保护") && said.contains("fsync=off"),
        "{said}"
    );
    assert_eq!(
        sql_tool(&at).int("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"),
        0
    );
}

#[test]
fn a_connection_dropped_by_the_server_is_made_again_and_the_work_goes_on() {
    server_only!();
    let dir = temp();
    let at = db_path(&dir);
    let clock = test_clock!();
    let mut desk = Desk::open_demo_with_clock(&at, clock.read).unwrap();
    login(&mut desk, "clerk");
    desk.shift_open(&float()).unwrap();
    let p = patient(&mut desk, "张三", "13800138000");
    let owner = sql_tool(&at);
    let dbname = at.as_arg().rsplit('/').next().unwrap().to_string();
    let drop_desks = || {
        owner.int(&format!(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
             WHERE datname = '{dbname}' AND pid <> pg_backend_pid()"
        ))
    };
    assert!(drop_desks() >= 1);
    // A read, then a write, each on a connection made again.
    assert_eq!(desk.patient_search("张三").unwrap()[0].id, p);
    assert!(drop_desks() >= 1);
    let department = reference_id(&mut desk, "department", "神经内科");
    assert!(drop_desks() >= 1);
    register_in(&mut desk, p, department).unwrap();
    // A write whose first statement finds the connection gone.
    let mut conn = Conn::open(&at).unwrap();
    assert!(drop_desks() >= 1);
    store::write(
        &mut conn,
        &frontdesk_core::audit::Actor::system("test"),
        START,
        |tx| tx.event("test.reconnect", "test", "1", json!({})),
    )
    .unwrap();
    assert_verified(desk.connection());
}

const SURNAMES: [&str; 16] = [
    "赵", "钱", "孙", "李", "周", "吴", "郑", "王", "冯", "陈", "褚", "卫", "蒋", "沈", "韩", "杨",
];
const GIVEN: [&str; 12] = [
    "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "百", "千",
];

#[test]
fn sixteen_desks_at_once_keep_every_series_unique_and_gapless() {
    server_only!();
    const DESKS: usize = 16;
    let dir = temp();
    let at = db_path(&dir);
    let clock = test_clock!();
    let read = clock.read;
    // The administrator gives each window a clerk, and makes one department's sessions small
    // so that capacity is fought over.
    let mut admin = Desk::open_demo_with_clock(&at, read).unwrap();
    login(&mut admin, "admin");
    for (t, surname) in SURNAMES.iter().enumerate().take(DESKS) {
        admin
            .staff_save(&StaffInput {
                id: None,
                username: format!("clerk{t:02}"),
                display_name: format!("收费员{surname}"),
                role: "clerk".into(),
                password: "clerk1234".into(),
                ..serde_json::from_value(json!({})).unwrap()
            })
            .unwrap();
    }
    let duties = admin
        .reference_list("duty", &json!({ "from": "2026-03-02", "days": 1 }))
        .unwrap();
    let neuro = reference_id(&mut admin, "department", "神经内科");
    let heart = reference_id(&mut admin, "department", "心血管内科");
    let doctors = admin.reference_list("doctor", &json!({})).unwrap();
    let neuro_doctors: Vec<i64> = doctors
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["department_id"] == neuro)
        .map(|d| d["id"].as_i64().unwrap())
        .collect();
    for d in duties.as_array().unwrap() {
        if neuro_doctors.contains(&d["doctor_id"].as_i64().unwrap()) && d["session"] == "am" {
            let mut d = d.clone();
            d["capacity"] = json!(6);
            admin.reference_save("duty", &d).unwrap();
        }
    }
    drop(admin);

    let threads: Vec<_> = (0..DESKS)
        .map(|t| {
            let at = at.clone();
            std::thread::spawn(move || {
                let mut desk = Desk::open_demo_with_clock(&at, read).unwrap();
                desk.set_desk_code(&format!("{t:02}")).unwrap();
                desk.login(&format!("clerk{t:02}"), "clerk1234").unwrap();
                desk.shift_open(&float()).unwrap();
                let (mut registered, mut full) = (0, 0);
                for (i, given) in GIVEN.iter().enumerate() {
                    let name = format!("{}{given}", SURNAMES[t]);
                    let p = patient(&mut desk, &name, &format!("1380{t:02}{i:05}"));
                    let department = if i % 2 == 0 { neuro } else { heart };
                    let r = match register_in(&mut desk, p, department) {
                        Ok(r) => r,
                        Err(e) if matches!(e.code(), "session_full" | "no_doctor_on_duty") => {
                            full += 1;
                            continue;
                        }
                        Err(e) => panic!("desk {t}: {e:?}"),
                    };
                    registered += 1;
                    match i % 4 {
                        1 => {
                            desk.registration_cancel(&CancelInput {
                                registration_id: r.registration_id,
                                reason: "病人临时有事".into(),
                                ..Default::default()
                            })
                            .unwrap();
                        }
                        3 => {
                            let changed = desk.registration_change(&ChangeInput {
                                registration_id: r.registration_id,
                                department_id: Some(frontdesk_core::ids::DepartmentId(neuro)),
                                reason: "病人要求换科".into(),
                                payments: cash(),
                                ..Default::default()
                            });
                            match changed {
                                Ok(_) => {}
                                Err(e) if e.code() == "session_full" => {}
                                Err(e) => panic!("desk {t}: change: {e:?}"),
                            }
                        }
                        _ => {}
                    }
                }
                (registered, full)
            })
        })
        .collect();
    let outcomes: Vec<(i64, i64)> = threads.into_iter().map(|h| h.join().unwrap()).collect();
    let registered: i64 = outcomes.iter().map(|o| o.0).sum();
    let full: i64 = outcomes.iter().map(|o| o.1).sum();
    assert!(registered > 100, "{registered} registered");
    assert!(
        full > 0,
        "the small sessions never filled: capacity was not fought over"
    );

    let conn = reader(&at);
    let tool = sql_tool(&at);
    // Queue numbers: per doctor and session, 1…n with none twice and none skipped.
    let bad_queues = tool.int(
        "SELECT count(*) FROM (SELECT duty_id FROM registration GROUP BY duty_id
         HAVING count(*) <> max(queue_no) OR count(DISTINCT queue_no) <> count(*)) q",
    );
    assert_eq!(bad_queues, 0, "a doctor's queue numbers repeat or skip");
    // Capacity (号源): never more waiting or seen than the session holds.
    let over = tool.int(
        "SELECT count(*) FROM duty d WHERE (SELECT count(*) FROM registration r
         WHERE r.duty_id = d.id AND r.status IN ('waiting', 'seen')) > d.capacity",
    );
    assert_eq!(over, 0, "a session holds more than its capacity");
    assert!(
        tool.int(
            "SELECT count(*) FROM registration r JOIN duty d ON d.id = r.duty_id
                  WHERE d.capacity = 6 AND r.status = 'waiting'"
        ) > 0
    );
    // Receipts: each desk's series 1…n.
    let bad_receipts = tool.int(
        "SELECT count(*) FROM (SELECT desk FROM receipt GROUP BY desk
         HAVING count(*) <> max(seq) OR count(DISTINCT seq) <> count(*)) q",
    );
    assert_eq!(bad_receipts, 0, "a desk's receipt numbers repeat or skip");
    assert_eq!(
        tool.int("SELECT count(DISTINCT desk) FROM receipt"),
        DESKS as i64
    );
    // Card numbers: one series for the whole hospital, none twice, none skipped.
    assert_eq!(
        tool.int(
            "SELECT count(*) - (max(CAST(card_no AS BIGINT)) - min(CAST(card_no AS BIGINT)) + 1)
             FROM patient"
        ),
        0,
        "card numbers skip"
    );
    assert_eq!(count(&conn, "patient"), (DESKS * GIVEN.len()) as i64);
    // The ledger balances: what was taken, less what was refunded, is what the registrations
    // still standing owe.
    assert_eq!(
        tool.int("SELECT CAST(sum(amount_fen) AS BIGINT) FROM ledger"),
        tool.int(
            "SELECT CAST(sum(due_fen) AS BIGINT) FROM registration WHERE status IN ('waiting', 'seen')"
        )
    );
    assert_verified(&conn);
}

#[test]
fn the_command_line_on_a_server() {
    server_only!();
    let dir = temp();
    let at = db_path(&dir);
    let url = at.as_arg();
    let o = admin_cli(&["--db", &url, "init", "--demo"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        out.starts_with("PostgreSQL ") && !out.contains("frontdesk-test"),
        "{out}"
    );
    let o = admin_cli(&["--db", &url, "verify"]);
    assert!(String::from_utf8_lossy(&o.stdout).ends_with("OK\n"));
    // A role the server does not know, and a file where a server is meant: refused, clearly.
    let o = admin_cli(&["--db", &url, "grant-desk", "no_such_role"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("数据库账号不存在"));

    // A hospital's file moves onto a new server database, and verifies there.
    let file_dir = temp();
    let file = db_file(&file_dir);
    let clock = test_clock!();
    {
        let mut desk = Desk::open_demo_with_clock(&file, clock.read).unwrap();
        login(&mut desk, "clerk");
        desk.shift_open(&float()).unwrap();
        patient(&mut desk, "张三", "13800138000");
    }
    let target = db_path(&temp());
    let o = admin_cli(&[
        "--db",
        file.to_str().unwrap(),
        "migrate-to",
        &target.as_arg(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("verify: OK"));
    assert_eq!(
        dump_all(&reader(&target)),
        dump_all(&reader(&file)),
        "every row of every table, as it was"
    );
    // Into a database that holds data: refused, and it is left as it was.
    let before = dump_all(&reader(&target));
    let o = admin_cli(&[
        "--db",
        file.to_str().unwrap(),
        "migrate-to",
        &target.as_arg(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("已有数据"));
    assert_eq!(dump_all(&reader(&target)), before);

    // A row changed behind the app's back on the server is caught and named.
    sql_tool(&target)
        .run("UPDATE department SET name = '外星科' WHERE id = 1")
        .unwrap();
    let o = admin_cli(&["--db", &target.as_arg(), "verify"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("department #1: differs from audit entry"),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
}
