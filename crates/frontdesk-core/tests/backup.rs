//! Backups on real files: a backup verifies; rotation keeps the newest; the daily backup is
//! made once per business day in the hospital's zone; a restore brings the data back and keeps
//! what it replaced; a tampered or foreign file is never restored.

#[macro_use]
mod common;

use std::path::{Path, PathBuf};

use common::*;
use frontdesk_core::audit::Actor;
use frontdesk_core::backup;
use frontdesk_core::reference::{self, Kind};
use frontdesk_core::store::{self, Conn};
use frontdesk_core::Desk;
use serde_json::json;

fn admin() -> Actor {
    Actor::system("test")
}

fn rename_department(conn: &mut Conn, id: i64, name: &str, now: i64) {
    let code = format!("{id:02}");
    store::write(conn, &admin(), now, |tx| {
        reference::save(
            tx,
            Kind::Department,
            &json!({ "id": id, "code": code, "name": name }),
        )
    })
    .unwrap();
}

fn department_name(conn: &Conn, id: i64) -> String {
    reference::list_departments(conn)
        .unwrap()
        .into_iter()
        .find(|d| d.id.0 == id)
        .unwrap()
        .name
}

/// The newest entry of the log: its action and entity id.
fn last_entry(conn: &Conn) -> (String, String) {
    let e = frontdesk_core::audit::list_entries(conn, None, 1).unwrap();
    (e[0].action.clone(), e[0].entity_id.clone())
}

fn names(dir: &Path) -> Vec<String> {
    backup::list_backups(dir)
        .unwrap()
        .into_iter()
        .map(|f| f.name)
        .collect()
}

#[test]
fn a_backup_is_a_verified_copy_of_the_data() {
    sqlite_only!("the online backup API and restore of a file");
    let dir = temp();
    let mut conn = store(&dir);
    let to = dir.path().join("usb").join("backups");
    let file = backup::backup_to(&mut conn, &to, &admin(), START).unwrap();

    // Named in the hospital's time: 09:00 in Shanghai.
    assert_eq!(file, to.join("frontdesk-20260302-090000.db"));
    let report = backup::check(&file).unwrap();
    assert!(report.ok(), "{:#?}", report.problems);
    assert_eq!(
        report.entries,
        audit_count(&conn) - 1,
        "all but the backup's own entry"
    );
    let copy = Conn::open_read_only(&file).unwrap();
    for table in ["hospital", "department", "doctor", "duty", "staff"] {
        assert_eq!(dump(&copy, table), dump(&conn, table), "{table}");
    }
    // A finished backup is one self-contained file (SQLite: no WAL beside it).
    let journal: String = sqlite_tool(&file)
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(journal, "delete");
    let last = last_entry(&conn);
    assert_eq!(
        last,
        (
            "backup.create".into(),
            "frontdesk-20260302-090000.db".into()
        )
    );
    assert_eq!(
        names(&to),
        ["frontdesk-20260302-090000.db"],
        "no partial file left"
    );
    assert_verified(&conn);
}

#[test]
fn two_backups_in_the_same_second_are_both_kept_newest_first() {
    sqlite_only!("the online backup API and restore of a file");
    let dir = temp();
    let mut conn = store(&dir);
    let to = dir.path().join("backups");
    let first = backup::backup_to(&mut conn, &to, &admin(), START).unwrap();
    rename_department(&mut conn, 1, "心内科", START);
    let second = backup::backup_to(&mut conn, &to, &admin(), START).unwrap();
    assert_ne!(first, second);
    let listed: Vec<PathBuf> = backup::list_backups(&to)
        .unwrap()
        .into_iter()
        .map(|f| PathBuf::from(f.path))
        .collect();
    assert_eq!(listed, [second.clone(), first.clone()]);

    // Keeping one keeps the one made last: the one with the rename.
    backup::rotate(&to, 1).unwrap();
    assert!(second.exists() && !first.exists());
    assert_eq!(
        department_name(&Conn::open_read_only(&second).unwrap(), 1),
        "心内科"
    );
}

#[test]
fn backing_up_twice_in_a_second_at_the_desk_keeps_and_reports_the_new_file() {
    sqlite_only!("the online backup API and restore of a file");
    let dir = temp();
    let clock = test_clock!();
    let mut desk = desk(&dir, &clock);
    login(&mut desk, "admin");
    let folder = dir.path().join("nas");
    desk.backup_settings(folder.to_str().unwrap(), 1).unwrap();
    let first = desk.backup_now().unwrap();
    let second = desk.backup_now().unwrap();
    assert_eq!(first.name, "frontdesk-20260302-090000.db");
    assert_eq!(second.name, "frontdesk-20260302-090000-1.db");
    assert_eq!(names(&folder), [second.name]);
}

#[test]
fn rotation_keeps_the_newest_and_never_a_before_restore_copy() {
    sqlite_only!("the online backup API and restore of a file");
    let dir = temp();
    let mut conn = store(&dir);
    let to = dir.path().join("backups");
    for day in 0..5 {
        backup::backup_to(&mut conn, &to, &admin(), START + day * DAY).unwrap();
    }
    std::fs::write(
        to.join("frontdesk-before-restore-20260301-080000.db"),
        "kept",
    )
    .unwrap();
    std::fs::write(to.join("notes.txt"), "not a backup").unwrap();

    let removed = backup::rotate(&to, 3).unwrap();
    assert_eq!(
        removed,
        [
            "frontdesk-20260303-090000.db",
            "frontdesk-20260302-090000.db"
        ]
    );
    let mut left = names(&to);
    left.sort();
    assert_eq!(
        left,
        [
            "frontdesk-20260304-090000.db",
            "frontdesk-20260305-090000.db",
            "frontdesk-20260306-090000.db",
            "frontdesk-before-restore-20260301-080000.db",
        ]
    );
    assert!(to.join("notes.txt").exists());
    assert!(backup::rotate(&to, 3).unwrap().is_empty());
}

#[test]
fn the_daily_backup_is_made_once_per_business_day_in_the_hospitals_zone() {
    sqlite_only!("the online backup API and restore of a file");
    let dir = temp();
    let mut conn = store(&dir);
    let auto = dir.path().join("backups");
    // (instant, made a backup?) — Shanghai is UTC+8: its day starts at 16:00 UTC.
    let cases = [
        ("Mon 09:00", START, true),
        ("Mon 09:01", START + MINUTE, false),
        ("Mon 23:59", START + 14 * HOUR + 59 * MINUTE, false),
        ("Tue 00:00", START + 15 * HOUR, true),
        ("Tue 17:00", START + DAY + 8 * HOUR, false),
        ("Thu 08:00", START + 3 * DAY - HOUR, true),
    ];
    for (when, now, made) in cases {
        let n = audit_count(&conn);
        let file =
            backup::daily_if_due(&mut conn, &Actor::system("system (daily backup)"), now).unwrap();
        assert_eq!(file.is_some(), made, "{when}");
        assert_eq!(audit_count(&conn), n + i64::from(made), "{when}");
        if let Some(file) = file {
            assert_eq!(file.parent().unwrap(), auto, "{when}: beside the data file");
            assert!(backup::check(&file).unwrap().ok(), "{when}");
        }
    }
    assert_eq!(
        names(&auto),
        [
            "frontdesk-20260305-080000.db",
            "frontdesk-20260303-000000.db",
            "frontdesk-20260302-090000.db",
        ]
    );
}

#[test]
fn the_daily_backup_goes_to_the_configured_folder_and_keeps_as_many_as_set() {
    sqlite_only!("the online backup API and restore of a file");
    let dir = temp();
    let mut conn = store(&dir);
    let folder = dir.path().join("nas");
    store::write(&mut conn, &admin(), START, |tx| {
        let mut h = serde_json::to_value(reference::get_hospital(tx)?)?;
        h["backup_dir"] = json!(folder.display().to_string());
        h["backup_keep"] = json!(2);
        reference::save(tx, Kind::Hospital, &h)
    })
    .unwrap();
    for day in 0..4 {
        let now = START + day * DAY;
        assert!(backup::daily_if_due(&mut conn, &admin(), now)
            .unwrap()
            .is_some());
    }
    assert_eq!(
        names(&folder),
        [
            "frontdesk-20260305-090000.db",
            "frontdesk-20260304-090000.db"
        ]
    );
    assert!(!dir.path().join("backups").exists());
}

#[test]
fn a_desk_makes_the_days_backup_when_it_opens_and_not_again_that_day() {
    sqlite_only!("the online backup API and restore of a file");
    let dir = temp();
    let clock = test_clock!();
    let auto = dir.path().join("backups");
    drop(desk(&dir, &clock));
    assert_eq!(names(&auto), ["frontdesk-20260302-090000.db"]);
    clock.advance(2 * HOUR);
    let mut d = desk(&dir, &clock);
    login(&mut d, "clerk");
    assert_eq!(names(&auto).len(), 1);
    clock.advance(DAY);
    d.logout().unwrap();
    login(&mut d, "clerk");
    assert_eq!(names(&auto)[0], "frontdesk-20260303-110000.db");
    assert!(d.status().backup_problem.is_none());
}

/// The app's opening: the day's backup is made on a thread of its own while the desk works on
/// (nothing waits for the copy), once per day, and it is a verified copy like any other.
#[test]
fn the_app_makes_the_days_backup_in_the_background_while_the_desk_works() {
    sqlite_only!("the online backup API and restore of a file");
    let dir = temp();
    let clock = test_clock!();
    let auto = dir.path().join("backups");
    let mut d = Desk::open_in_background_with_clock(db_file(&dir), clock.read, true).unwrap();
    login(&mut d, "clerk");
    d.shift_open(&float()).unwrap();
    patient(&mut d, "后台备", "13800138555");
    eventually("the day's backup", || names(&auto).len() == 1);
    assert_eq!(names(&auto), ["frontdesk-20260302-090000.db"]);
    let file = backup::list_backups(&auto).unwrap().remove(0);
    // The copy is whole: it verifies as any backup does.
    let report = backup::check(Path::new(&file.path)).unwrap();
    assert!(report.ok(), "{:?}", report.problems);
    // The copy is put in place, then its entry written: both, by the time the thread is done.
    eventually("the backup in the log", || {
        frontdesk_core::audit::list_entries(d.connection(), None, 50)
            .unwrap()
            .iter()
            .any(|e| e.action == "backup.create")
    });
    assert!(d.status().backup_problem.is_none());

    // Signing in again the same day makes none; the next day's first sign-in makes one.
    d.logout().unwrap();
    login(&mut d, "clerk");
    clock.advance(DAY);
    d.logout().unwrap();
    login(&mut d, "clerk");
    eventually("the next day's backup", || names(&auto).len() == 2);
    assert_eq!(names(&auto)[0], "frontdesk-20260303-090000.db");
    assert_verified(d.connection());
}

#[test]
fn a_restore_brings_the_data_back_and_keeps_what_it_replaced() {
    sqlite_only!("the online backup API and restore of a file");
    let dir = temp();
    let mut conn = store(&dir);
    let to = dir.path().join("backups");
    let file = backup::backup_to(&mut conn, &to, &admin(), START).unwrap();
    let backed_up = dump(&conn, "department");

    rename_department(&mut conn, 1, "改过的科", START + HOUR);
    let safety = backup::restore(&mut conn, &file, &admin(), START + 2 * HOUR).unwrap();

    assert_eq!(department_name(&conn, 1), "心血管内科");
    assert_eq!(dump(&conn, "department"), backed_up);
    assert_verified(&conn);
    assert_eq!(last_entry(&conn).0, "backup.restore");

    assert_eq!(
        safety,
        to.join("frontdesk-before-restore-20260302-110000.db")
    );
    let kept = Conn::open_read_only(&safety).unwrap();
    assert_eq!(department_name(&kept, 1), "改过的科");
    assert_verified(&kept);

    // The restored data is what later desks open.
    drop(conn);
    let conn = Conn::open(db_file(&dir)).unwrap();
    assert_eq!(department_name(&conn, 1), "心血管内科");
    assert_verified(&conn);
}

fn tampered(backup: &Path) {
    sqlite_tool(backup)
        .execute(
            "UPDATE registration_type SET fee_fen = 1 WHERE code = 'ZJ'",
            [],
        )
        .unwrap();
}

fn log_tampered(backup: &Path) {
    sqlite_tool(backup)
        .execute_batch(
            "DROP TRIGGER audit_log_no_update;
             UPDATE audit_log SET actor = 'someone else' WHERE id = 3;",
        )
        .unwrap();
}

fn garbage(backup: &Path) {
    std::fs::write(backup, vec![0x5a_u8; 20_000]).unwrap();
}

fn foreign(backup: &Path) {
    std::fs::remove_file(backup).unwrap();
    sqlite_tool(backup)
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
}

fn empty(backup: &Path) {
    std::fs::write(backup, b"").unwrap();
}

fn newer(backup: &Path) {
    sqlite_tool(backup)
        .pragma_update(None, "user_version", store::schema_version() + 1)
        .unwrap();
}

fn missing(backup: &Path) {
    std::fs::remove_file(backup).unwrap();
}

/// Spoils a backup file after it was made.
type Spoil = fn(&Path);

#[test]
fn a_file_that_does_not_verify_is_never_restored() {
    sqlite_only!("the online backup API and restore of a file");
    let cases: [(&str, Spoil, &str); 7] = [
        ("a row edited in the backup", tampered, "backup_rejected"),
        (
            "a log entry edited in the backup",
            log_tampered,
            "backup_rejected",
        ),
        ("garbage bytes", garbage, "not_frontdesk"),
        ("another program's SQLite file", foreign, "not_frontdesk"),
        ("an empty file", empty, "not_frontdesk"),
        ("a backup from a newer Frontdesk", newer, "db_too_new"),
        ("a file that is not there", missing, "io"),
    ];
    for (what, spoil, expected) in cases {
        let dir = temp();
        let mut conn = store(&dir);
        let to = dir.path().join("backups");
        let file = backup::backup_to(&mut conn, &to, &admin(), START).unwrap();
        spoil(&file);
        rename_department(&mut conn, 1, "改过的科", START + HOUR);
        let live = dump_all(&conn);

        let e = backup::restore(&mut conn, &file, &admin(), START + 2 * HOUR).unwrap_err();
        assert_eq!(e.code(), expected, "{what}: {e:?}");
        assert_eq!(dump_all(&conn), live, "{what}: the live data changed");
        assert!(
            names(&to).iter().all(|n| !n.contains("before-restore")),
            "{what}: a refused restore replaced nothing, so it keeps no copy"
        );
        if expected != "io" {
            assert!(
                backup::check(&file).map(|r| !r.ok()).unwrap_or(true),
                "{what}"
            );
        }
        assert_verified(&conn);
    }
}

fn add_second_admin(desk: &mut frontdesk_core::Desk) {
    desk.staff_save(&frontdesk_core::staff::StaffInput {
        username: "admin2".into(),
        display_name: "吴磊".into(),
        role: "admin".into(),
        password: "second-admin-pw".into(),
        active: true,
        ..Default::default()
    })
    .unwrap();
}

#[test]
fn the_administrator_restores_at_the_desk_and_whoever_is_not_in_the_backup_signs_in_again() {
    sqlite_only!("the online backup API and restore of a file");
    let dir = temp();
    let clock = test_clock!();
    let mut desk = desk(&dir, &clock);
    login(&mut desk, "admin");
    let file = desk.backup_now().unwrap();
    add_second_admin(&mut desk);

    // admin exists in the backup: stays signed in.
    clock.advance(MINUTE);
    let safety = desk.restore(&file.path).unwrap();
    assert!(Path::new(&safety).is_file());
    assert_eq!(desk.status().user.unwrap().username, "admin");
    let accounts = desk.staff_list().unwrap();
    assert!(
        accounts.iter().all(|s| s.username != "admin2"),
        "admin2 came after the backup"
    );

    // admin2 does not: restoring a backup without them signs them out.
    add_second_admin(&mut desk);
    desk.logout().unwrap();
    desk.login("admin2", "second-admin-pw").unwrap();
    clock.advance(MINUTE);
    desk.restore(&file.path).unwrap();
    assert!(desk.status().user.is_none());
    assert_verified(desk.connection());
    drop(desk);
    assert!(Desk::open(db_file(&dir)).is_ok());
}
