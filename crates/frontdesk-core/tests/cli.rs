//! `frontdesk-admin` as the administrator runs it: the real binary, real files, exit statuses
//! and what it prints. HOME and XDG_DATA_HOME point into the test's folder, so a test that got
//! the path wrong can never touch a real data file.

#[macro_use]
mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::*;
use frontdesk_core::Desk;
use serde_json::json;
use tempfile::TempDir;

fn admin_cli(dir: &TempDir, args: &[&str], envs: &[(&str, &Path)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_frontdesk-admin"));
    cmd.args(args)
        .env("FRONTDESK_LANG", "en")
        .env("HOME", dir.path())
        .env("XDG_DATA_HOME", dir.path().join("xdg"))
        .env("APPDATA", dir.path().join("xdg"))
        .env_remove("FRONTDESK_DB");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

/// Runs with `--db` pointing at the test's data file.
fn run(dir: &TempDir, args: &[&str]) -> Output {
    let db = db_file(dir);
    let mut all = vec!["--db", db.to_str().unwrap()];
    all.extend_from_slice(args);
    admin_cli(dir, &all, &[])
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Where the app keeps its data when neither `--db` nor `FRONTDESK_DB` says otherwise, with the
/// environment `admin_cli` gives.
fn default_path(dir: &TempDir) -> std::path::PathBuf {
    let base = if cfg!(target_os = "macos") {
        dir.path().join("Library").join("Application Support")
    } else {
        dir.path().join("xdg")
    };
    base.join("cn.frontdesk.desk").join("frontdesk.db")
}

#[track_caller]
fn assert_exit(o: &Output, code: i32) {
    assert_eq!(
        o.status.code(),
        Some(code),
        "stdout:\n{}\nstderr:\n{}",
        stdout(o),
        stderr(o)
    );
}

#[test]
fn help_is_there_for_the_tool_and_every_command() {
    sqlite_only!("the command line on a file (tests/server.rs drives it on a server)");
    let dir = temp();
    for args in [&["--help"][..], &["-h"]] {
        let o = admin_cli(&dir, args, &[]);
        assert_exit(&o, 0);
        assert!(stdout(&o).contains("Commands:"), "{args:?}");
    }
    for command in [
        "init",
        "demo",
        "backup",
        "restore",
        "verify",
        "import",
        "patients",
        "report",
        "printer",
        "grant-desk",
        "migrate-to",
    ] {
        for args in [[command, "--help"], ["--help", command], [command, "-h"]] {
            let o = admin_cli(&dir, &args, &[]);
            assert_exit(&o, 0);
            let text = stdout(&o);
            assert!(
                text.starts_with(&format!("Usage: frontdesk-admin [--db PATH|URL] {command}"))
                    || text.starts_with(&"Usage: frontdesk-admin --db ".to_string())
                        && text.contains(command),
                "{args:?}: {text}"
            );
        }
    }
    for args in [&["--version"][..], &["-V"]] {
        let o = admin_cli(&dir, args, &[]);
        assert_exit(&o, 0);
        let text = stdout(&o);
        let expected = format!(
            "frontdesk-admin {} (schema {})\n",
            env!("CARGO_PKG_VERSION"),
            frontdesk_core::store::schema_version()
        );
        assert_eq!(text, expected, "{args:?}");
    }
    // Help writes nothing anywhere.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);

    for args in [&[][..], &["launch"], &["--db"]] {
        let o = admin_cli(&dir, args, &[]);
        assert_exit(&o, 2);
    }
}

#[test]
fn init_creates_the_data_file_once() {
    sqlite_only!("the command line on a file (tests/server.rs drives it on a server)");
    let dir = temp();
    let db = dir.path().join("new folder").join("frontdesk.db");
    let o = admin_cli(&dir, &["--db", db.to_str().unwrap(), "init", "--demo"], &[]);
    assert_exit(&o, 0);
    assert_eq!(stdout(&o).trim(), db.display().to_string());
    assert!(db.is_file());
    assert!(verify_file(&db).ok());
    let departments = dump(&reader(&db), "department");
    assert_eq!(departments.len(), 10);

    let o = admin_cli(&dir, &["--db", db.to_str().unwrap(), "init", "--demo"], &[]);
    assert_exit(&o, 0);
    assert_eq!(dump(&reader(&db), "department"), departments);
}

/// `frontdesk-admin` with a line on its standard input (a password for `--password-stdin`).
fn admin_cli_with_input(dir: &TempDir, args: &[&str], input: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_frontdesk-admin"))
        .args(args)
        .env("FRONTDESK_LANG", "zh")
        .env("HOME", dir.path())
        .env("XDG_DATA_HOME", dir.path().join("xdg"))
        .env_remove("FRONTDESK_DB")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn init_sets_up_a_real_hospital_with_its_administrator_only() {
    sqlite_only!("the command line on a file (tests/server.rs drives it on a server)");
    let dir = temp();
    let db = db_file(&dir);
    let at = db.to_str().unwrap();
    // Nothing given and no terminal to ask on: every missing field said, and no file left.
    let o = admin_cli_with_input(&dir, &["--db", at, "init"], "");
    assert_exit(&o, 1);
    let said = stderr(&o);
    for missing in ["请填写医院名称", "请填写用户名", "请填写密码"] {
        assert!(said.contains(missing), "{said}");
    }
    assert!(!db.exists(), "a refused setup leaves no data file behind");

    let setup = [
        "--db",
        at,
        "init",
        "--hospital",
        "青山县人民医院",
        "--admin",
        "itadmin",
        "--password-stdin",
    ];
    let o = admin_cli_with_input(&dir, &setup, "Qingshan#2026\n");
    assert_exit(&o, 0);
    assert_eq!(stdout(&o).trim(), db.display().to_string());
    assert!(verify_file(&db).ok());
    let conn = reader(&db);
    assert_eq!(dump(&conn, "department").len(), 0, "no demo departments");
    let staff: Vec<(String, String)> = conn
        .all("SELECT username, role FROM staff", &[], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(staff, [("itadmin".to_string(), "admin".to_string())]);
    drop(conn);
    let mut desk = Desk::open_demo(db.as_path()).unwrap();
    desk.login("itadmin", "Qingshan#2026").unwrap();

    // Again on the set-up file: only migrations, nothing changed.
    let before = dump_all(&reader(&db));
    let o = admin_cli_with_input(&dir, &setup, "Other#password\n");
    assert_exit(&o, 0);
    assert_eq!(dump_all(&reader(&db)), before);
}

#[test]
fn verify_passes_a_clean_file_and_names_the_first_bad_entry_of_a_tampered_one() {
    sqlite_only!("the command line on a file (tests/server.rs drives it on a server)");
    let dir = temp();
    let db = db_file(&dir);
    assert_exit(&run(&dir, &["init", "--demo"]), 0);
    let o = run(&dir, &["verify"]);
    assert_exit(&o, 0);
    assert!(stdout(&o).contains("integrity: ok"));
    assert!(stdout(&o).trim_end().ends_with("OK"));

    let n: i64 = {
        let tool = sqlite_tool(&db);
        tool.execute_batch("DROP TRIGGER audit_log_no_update;")
            .unwrap();
        tool.execute(
            "UPDATE audit_log SET after = replace(after, '急诊科', '外科') WHERE entity = 'department' AND after LIKE '%急诊科%'",
            [],
        )
        .unwrap();
        tool.query_row(
            "SELECT id FROM audit_log WHERE entity = 'department' AND after LIKE '%\"外科\"%'",
            [],
            |r| r.get(0),
        )
        .unwrap()
    };
    let before = std::fs::read(&db).unwrap();
    let o = run(&dir, &["verify"]);
    assert_exit(&o, 1);
    let out = stdout(&o);
    assert!(
        out.contains(&format!("first entry that does not match: #{n}\n")),
        "{out}"
    );
    assert!(
        out.contains(&format!("PROBLEM: audit entry #{n}:")),
        "{out}"
    );
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "verify wrote to the file"
    );

    let o = admin_cli(&dir, &["--db", "/nonexistent/frontdesk.db", "verify"], &[]);
    assert_exit(&o, 1);
    assert!(stderr(&o).contains("does not exist"), "{}", stderr(&o));
}

#[test]
fn a_backup_made_with_the_tool_restores_with_the_tool() {
    sqlite_only!("the command line on a file (tests/server.rs drives it on a server)");
    let dir = temp();
    let db = db_file(&dir);
    assert_exit(&run(&dir, &["init", "--demo"]), 0);
    let to = dir.path().join("usb");
    let o = run(&dir, &["backup", "--to", to.to_str().unwrap()]);
    assert_exit(&o, 0);
    let file = stdout(&o).trim().to_string();
    assert!(
        file.starts_with(to.to_str().unwrap()) && file.ends_with(".db"),
        "{file}"
    );
    assert!(Path::new(&file).is_file());

    {
        let mut desk = Desk::open_demo(&db).unwrap();
        login(&mut desk, "admin");
        desk.reference_save(
            "department",
            &json!({ "id": 1, "code": "01", "name": "改过的科" }),
        )
        .unwrap();
    }
    let o = run(&dir, &["restore", &file]);
    assert_exit(&o, 0);
    assert!(
        stdout(&o).contains("previous data saved as"),
        "{}",
        stdout(&o)
    );
    let name: String = sqlite_tool(&db)
        .query_row("SELECT name FROM department WHERE id = 1", [], |r| r.get(0))
        .unwrap();
    assert_eq!(name, "心血管内科");
    let kept: Vec<_> = std::fs::read_dir(dir.path().join("backups"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("frontdesk-before-restore-"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_exit(&run(&dir, &["verify"]), 0);

    // A backup edited behind the app's back is refused and the data stays as it is.
    sqlite_tool(Path::new(&file))
        .execute("UPDATE department SET name = '假科' WHERE id = 2", [])
        .unwrap();
    let live = dump_all(&reader(&db));
    let o = run(&dir, &["restore", &file]);
    assert_exit(&o, 1);
    assert!(stderr(&o).contains("failed verification"), "{}", stderr(&o));
    assert_eq!(dump_all(&reader(&db)), live);

    for (args, says) in [
        (&["backup"][..], "Backup folder is required"),
        (&["restore"], "File is required"),
    ] {
        let o = run(&dir, args);
        assert_exit(&o, 1);
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
    }
    let missing = admin_cli(
        &dir,
        &[
            "--db",
            "/nonexistent/x.db",
            "backup",
            "--to",
            to.to_str().unwrap(),
        ],
        &[],
    );
    assert_exit(&missing, 1);
}

#[test]
fn demo_adds_days_of_activity_and_refuses_a_bad_number_of_days() {
    sqlite_only!("the command line on a file (tests/server.rs drives it on a server)");
    let dir = temp();
    let db = db_file(&dir);
    let o = run(&dir, &["demo", "--days", "20", "--until", DEMO_UNTIL]);
    assert_exit(&o, 0);
    assert!(stdout(&o).starts_with("demo: 20 days, "), "{}", stdout(&o));
    let dates: i64 = sqlite_tool(&db)
        .query_row("SELECT count(DISTINCT date) FROM duty", [], |r| r.get(0))
        .unwrap();
    assert!(dates >= 20, "only {dates} days scheduled");
    // Nineteen whole days of a desk: registrations on many days, paid, some cancelled.
    let (days, registrations, cancelled): (i64, i64, i64) = sqlite_tool(&db)
        .query_row(
            "SELECT count(DISTINCT date), count(*), sum(status = 'cancelled') FROM registration
             WHERE changed_from_id IS NULL",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert!(
        days >= 19 && registrations >= 19 * 40,
        "{days} days, {registrations} registrations"
    );
    assert!(cancelled > 0);
    let (paid, refunded): (i64, i64) = sqlite_tool(&db)
        .query_row(
            "SELECT sum(amount_fen > 0), sum(amount_fen < 0) FROM ledger",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(paid >= registrations && refunded >= cancelled);
    assert!(verify_file(&db).ok());

    let before = dump(&reader(&db), "duty");
    for (days, says) in [
        (Some("0"), "Days must be between 1 and 62"),
        (Some("63"), "Days must be between 1 and 62"),
        (Some("-3"), "Days must be between 1 and 62"),
        (Some("x"), "Days is not in a valid format"),
        (Some("2.5"), "Days is not in a valid format"),
        (None, "Days is required"),
    ] {
        let mut args = vec!["demo", "--days"];
        args.extend(days);
        let o = run(&dir, &args);
        assert_ne!(o.status.code(), Some(0), "{days:?}");
        assert!(stderr(&o).contains(says), "{days:?}: {}", stderr(&o));
    }
    assert_eq!(dump(&reader(&db), "duty"), before);

    // The administrator at a Chinese desk reads it in Chinese.
    let o = admin_cli(
        &dir,
        &["--db", db.to_str().unwrap(), "demo", "--days", "x"],
        &[("FRONTDESK_LANG", Path::new("zh-CN"))],
    );
    assert_exit(&o, 1);
    assert!(stderr(&o).contains("天数格式不正确"), "{}", stderr(&o));
}

#[test]
fn frontdesk_db_chooses_the_file_and_db_overrides_it() {
    sqlite_only!("the command line on a file (tests/server.rs drives it on a server)");
    let dir = temp();
    let by_env = dir.path().join("env").join("frontdesk.db");
    let by_flag = dir.path().join("flag.db");
    let o = admin_cli(&dir, &["init", "--demo"], &[("FRONTDESK_DB", &by_env)]);
    assert_exit(&o, 0);
    assert_eq!(stdout(&o).trim(), by_env.display().to_string());
    assert!(by_env.is_file());
    assert!(!default_path(&dir).exists(), "the default place was used");

    let o = admin_cli(&dir, &["verify"], &[("FRONTDESK_DB", &by_env)]);
    assert_exit(&o, 0);

    let o = admin_cli(
        &dir,
        &["--db", by_flag.to_str().unwrap(), "init", "--demo"],
        &[("FRONTDESK_DB", &by_env)],
    );
    assert_exit(&o, 0);
    assert_eq!(stdout(&o).trim(), by_flag.display().to_string());
    assert!(by_flag.is_file());

    // Without either, the app's own data folder.
    let o = admin_cli(&dir, &["init", "--demo"], &[]);
    assert_exit(&o, 0);
    let default = default_path(&dir);
    assert_eq!(stdout(&o).trim(), default.display().to_string());
    assert!(default.is_file());
}

#[test]
fn import_patients_reports_each_row_and_a_second_run_adds_nobody() {
    sqlite_only!("the command line on a file (tests/server.rs drives it on a server)");
    let dir = temp();
    let db = db_file(&dir);
    assert_exit(&run(&dir, &["init", "--demo"]), 0);
    let file = dir.path().join("patients.csv");
    let csv = "\u{feff}姓名,性别,身份证号,电话,就诊卡号\n张三,男,110105199003071239,13800138000,00000100\n张珊珊,,11010519491231002X,18800007777,\n王五,男,110105199003071238,,\n";
    std::fs::write(&file, csv).unwrap();

    let o = run(&dir, &["import", "patients", file.to_str().unwrap()]);
    assert_exit(&o, 1);
    assert_eq!(
        stdout(&o),
        "imported: 2\nalready present: 0\nrejected: 1\n\
         row 4 (id_number): ID number: the check digit is wrong (a digit may be mistyped)\n"
    );
    let o = run(&dir, &["import", "patients", file.to_str().unwrap()]);
    assert!(
        stdout(&o).starts_with("imported: 0\nalready present: 2\nrejected: 1\n"),
        "{}",
        stdout(&o)
    );
    assert_eq!(count(&reader(&db), "patient"), 2);
    assert_exit(&run(&dir, &["verify"]), 0);

    // The same search as the desk: masked, best first.
    let o = run(&dir, &["patients", "search", "zs"]);
    assert_exit(&o, 0);
    // Ages at today's date, as the tool (with the real clock) computes them.
    let today =
        frontdesk_core::reference::today(&reader(&db), frontdesk_core::clock::now_ms()).unwrap();
    let age = |birth: &str| {
        frontdesk_core::patient::age_on(
            chrono::NaiveDate::parse_from_str(birth, "%Y-%m-%d").unwrap(),
            today,
        )
    };
    assert_eq!(
        stdout(&o),
        format!(
            "00000100  张三  M  {}  138****8000  110105********1239\n\
             00000101  张珊珊  F  {}  188****7777  110105********002X\n\
             2 found\n",
            age("1990-03-07"),
            age("1949-12-31")
        )
    );
    let o = run(&dir, &["patients", "search", "7777", "--json"]);
    assert_exit(&o, 0);
    let hits: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(hits[0]["name"], "张珊珊");
    assert_eq!(hits[0]["card_no"], "00000101");
    assert_eq!(hits[0]["phone_masked"], "188****7777");
    assert_eq!(hits[0]["matched"], "last_four");
    assert_eq!(hits.as_array().unwrap().len(), 1);

    // A file with a column nobody knows is refused whole.
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "name,blood_type\n李四,A\n").unwrap();
    let before = dump_all(&reader(&db));
    let o = run(&dir, &["import", "patients", bad.to_str().unwrap()]);
    assert_exit(&o, 1);
    assert!(stderr(&o).contains("blood_type"), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("nothing was imported"),
        "{}",
        stderr(&o)
    );
    assert_eq!(dump_all(&reader(&db)), before);

    for args in [
        &["import", "staff", "x.csv"][..],
        &["import"],
        &["patients", "list"],
        &["patients", "search"],
    ] {
        assert_exit(&run(&dir, args), 2);
    }
    let o = run(&dir, &["import", "patients", "/nonexistent/p.csv"]);
    assert_exit(&o, 1);
}

#[test]
fn the_daily_report_from_the_command_line_matches_the_ledger() {
    sqlite_only!("the command line on a file (tests/server.rs drives it on a server)");
    let dir = temp();
    let db = db_file(&dir);
    assert_exit(
        &run(&dir, &["demo", "--days", "3", "--until", DEMO_UNTIL]),
        0,
    );
    // The day before the demo's last: a whole day, closed at 17:35 by the demo clerk.
    let tool = sqlite_tool(&db);
    let (date, shift): (String, i64) = tool
        .query_row(
            "SELECT date, shift_id FROM registration ORDER BY id LIMIT 1 OFFSET 60",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let out = dir.path().join("day.pdf");
    let o = run(
        &dir,
        &[
            "report",
            "daily",
            "--date",
            &date,
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_exit(&o, 0);
    let text = pdftotext(&out);
    assert!(
        text.contains("挂号处日结报表") && text.contains(&date),
        "{text}"
    );
    // Every method's expected figure is the ledger's sum for that shift (cash with the float).
    let mut stmt = tool
        .prepare(
            "SELECT coalesce(m.name, l.method), sum(l.amount_fen) + CASE WHEN l.method = 'cash'
                 THEN (SELECT float_fen FROM shift WHERE id = ?1) ELSE 0 END
             FROM ledger l LEFT JOIN payment_method m ON m.code = l.method
             WHERE l.shift_id = ?1 GROUP BY l.method",
        )
        .unwrap();
    let sums: Vec<(String, i64)> = stmt
        .query_map([shift], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(!sums.is_empty());
    for (name, fen) in sums {
        let figure = frontdesk_core::money::Fen(fen).to_string();
        let line = text
            .lines()
            .find(|l| l.trim_start().starts_with(&name))
            .unwrap_or_else(|| panic!("no line for {name} in\n{text}"));
        assert!(line.contains(&figure), "{name}: {figure} not in {line:?}");
    }
    // Bad dates are refused clearly and write nothing.
    let o = run(
        &dir,
        &[
            "report",
            "daily",
            "--date",
            "2026-02-30",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_exit(&o, 1);
}

#[test]
fn demo_until_an_earlier_day_leaves_that_days_shift_open() {
    sqlite_only!("the command line on a file (tests/server.rs drives it on a server)");
    let dir = temp();
    let db = db_file(&dir);
    assert_exit(&run(&dir, &["init", "--demo"]), 0);
    let tz = chrono_tz::Asia::Shanghai;

    // A day after today, or no date at all: refused, nothing written.
    let before: Vec<Vec<String>> = ["duty", "shift", "audit_log"]
        .iter()
        .map(|t| dump(&reader(&db), t))
        .collect();
    for (until, says) in [
        ("2999-01-01".to_string(), "Until cannot be after today"),
        ("2026-13-01".to_string(), "Until is not in a valid format"),
        ("yesterday".to_string(), "Until is not in a valid format"),
    ] {
        let o = run(&dir, &["demo", "--days", "2", "--until", &until]);
        assert_exit(&o, 1);
        assert!(stderr(&o).contains(says), "{until}: {}", stderr(&o));
    }
    let after: Vec<Vec<String>> = ["duty", "shift", "audit_log"]
        .iter()
        .map(|t| dump(&reader(&db), t))
        .collect();
    assert_eq!(after, before);

    // Two days ending on an earlier day: the day before closed at 17:35, the last day's shift
    // left open.
    let o = run(&dir, &["demo", "--days", "2", "--until", DEMO_UNTIL]);
    assert_exit(&o, 0);
    // Today as the tool saw it (read after it ran: a run across midnight schedules both days).
    let today = frontdesk_core::clock::business_date(tz, frontdesk_core::clock::now_ms());
    let tool = sqlite_tool(&db);
    let last: String = tool
        .query_row("SELECT max(date) FROM registration", [], |r| r.get(0))
        .unwrap();
    assert_eq!(last, DEMO_UNTIL);
    let (open, opened_at): (i64, i64) = tool
        .query_row(
            "SELECT count(*), max(opened_at) FROM shift WHERE closed_at IS NULL",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(open, 1);
    assert_eq!(
        frontdesk_core::clock::business_date(tz, opened_at).to_string(),
        DEMO_UNTIL
    );
    let closed: i64 = tool
        .query_row("SELECT count(*) FROM shift_close", [], |r| r.get(0))
        .unwrap();
    assert_eq!(closed, 1, "the first day's shift is closed");
    let today_duties: i64 = tool
        .query_row(
            "SELECT count(*) FROM duty WHERE date = ?1",
            [today.to_string()],
            |r| r.get(0),
        )
        .unwrap();
    assert!(today_duties > 0, "today has a schedule");

    // Signing in today, the clerk's shift is one left open from an earlier day.
    let mut desk = Desk::open_demo(&db).unwrap();
    desk.login("clerk", "clerk1234").unwrap();
    assert!(desk.shift_current().unwrap().unwrap().stale);
    assert!(verify_file(&db).ok());
}

/// A demo of days long before the data file was made (here nearly ten years) works: the demo's
/// reference data — its schedule, its inspection plan, its new-patient promotion — is moved to
/// cover the days it simulates (it failed with 优惠活动「新患者八折」今天不可用).
#[test]
fn demo_until_a_day_years_before_the_file_was_made() {
    sqlite_only!("the command line on a file (tests/server.rs drives it on a server)");
    let dir = temp();
    let db = db_file(&dir);
    assert_exit(&run(&dir, &["init", "--demo"]), 0);
    let tz = chrono_tz::Asia::Shanghai;
    let today = frontdesk_core::clock::business_date(tz, frontdesk_core::clock::now_ms());
    let long_ago = (today - chrono::Duration::days(3_500)).to_string();
    let o = run(&dir, &["demo", "--days", "3", "--until", &long_ago]);
    assert_exit(&o, 0);
    let tool = sqlite_tool(&db);
    let (last, promoted): (String, i64) = tool
        .query_row(
            "SELECT max(r.date), count(p.id) FROM registration r
             LEFT JOIN promotion p ON p.id = r.promotion_id",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(last, long_ago);
    assert!(
        promoted > 0,
        "the new-patient promotion was in force on the demo's days"
    );
    assert!(verify_file(&db).ok());
}
