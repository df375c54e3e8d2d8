//! 初始设置 (issue #25): a real hospital's first start names the hospital and its administrator
//! and gets nothing else — no demo account, no department, no demo data — while what the product
//! ships with (complaint categories, follow-up rules, questionnaires, targets) is there. Every
//! problem of the form is refused at once with nothing written, and a second setup (another desk
//! of a shared server finishing first) is refused and changes nothing.

#[macro_use]
mod common;

use common::*;
use frontdesk_core::reference::{self, Kind};
use frontdesk_core::setup::{first_start, FirstStart};
use frontdesk_core::store::Conn;
use frontdesk_core::{Desk, Lang};
use serde_json::json;

fn hospital() -> FirstStart {
    FirstStart {
        hospital_name: "青山县人民医院".into(),
        time_zone: String::new(),
        receipt_header: String::new(),
        admin_username: "itadmin".into(),
        admin_name: "李工".into(),
        password: "Qingshan#2026".into(),
        password_again: "Qingshan#2026".into(),
    }
}

fn count(conn: &Conn, table: &str) -> i64 {
    conn.value(&format!("SELECT count(*) FROM {table}"), &[])
        .unwrap()
}

#[test]
fn a_first_start_makes_the_hospital_and_its_administrator_and_nothing_else() {
    let dir = temp();
    let clock = test_clock!();
    let mut conn = Conn::open(db_path(&dir)).unwrap();
    assert!(
        !reference::is_set_up(&conn).unwrap(),
        "a new data file holds no hospital"
    );
    first_start(&mut conn, &hospital(), (clock.read)()).unwrap();

    let h = reference::list(&conn, Kind::Hospital, &json!(null)).unwrap();
    assert_eq!(h["name"], "青山县人民医院");
    assert_eq!(h["time_zone"], "Asia/Shanghai", "the default zone");
    assert_eq!(
        h["receipt_header"], "青山县人民医院 门诊挂号收据",
        "the default receipt title"
    );
    let staff: Vec<(String, String)> = conn
        .all("SELECT username, role FROM staff", &[], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(
        staff,
        [("itadmin".to_string(), "admin".to_string())],
        "one account: its administrator"
    );
    for table in [
        "department",
        "doctor",
        "duty",
        "registration_type",
        "payment_method",
        "patient",
        "registration",
        "complaint",
        "followup",
    ] {
        assert_eq!(
            count(&conn, table),
            0,
            "{table}: nothing but what was asked for"
        );
    }
    for table in [
        "complaint_category",
        "complaint_tier",
        "questionnaire",
        "inspection_item",
    ] {
        assert!(
            count(&conn, table) > 0,
            "{table}: what the product ships with"
        );
    }
    assert_verified(&conn);
    drop(conn);

    // The desk opens it as it is (no demo added) and its administrator signs in.
    let mut desk = Desk::open_with_clock(db_path(&dir), clock.read).unwrap();
    assert!(desk.login("admin", "admin1234").is_err(), "no demo account");
    let status = desk.login("itadmin", "Qingshan#2026").unwrap();
    assert_eq!(status.hospital, "青山县人民医院");
    assert!(
        !status.demo,
        "a real hospital's data is not called 示范数据"
    );
    assert_eq!(count(desk.connection(), "staff"), 1);
}

#[test]
fn the_demo_hospital_says_it_is_the_demo_until_its_accounts_are_gone() {
    let dir = temp();
    let clock = test_clock!();
    let mut desk = signed_in(&dir, &clock, "admin");
    assert!(desk.status().demo, "示范数据");
    // A hospital that started from the demo and switched its accounts off is real data.
    let others: Vec<_> = desk
        .staff_list()
        .unwrap()
        .into_iter()
        .filter(|s| s.username != "admin")
        .collect();
    for row in others {
        desk.staff_save(&frontdesk_core::staff::StaffInput {
            id: Some(row.id),
            username: row.username.clone(),
            display_name: row.display_name.clone(),
            role: row.role.as_str().into(),
            active: false,
            ..Default::default()
        })
        .unwrap();
    }
    assert!(
        desk.status().demo,
        "the administrator's demo account is still there"
    );
    desk.staff_save(&frontdesk_core::staff::StaffInput {
        username: "itadmin".into(),
        display_name: "李工".into(),
        role: "admin".into(),
        password: "Qingshan#2026".into(),
        active: true,
        ..Default::default()
    })
    .unwrap();
    let me = desk
        .staff_list()
        .unwrap()
        .into_iter()
        .find(|s| s.username == "admin")
        .unwrap();
    desk.staff_save(&frontdesk_core::staff::StaffInput {
        id: Some(me.id),
        username: "admin".into(),
        display_name: "系统管理员".into(),
        role: "admin".into(),
        active: true,
        ..Default::default()
    })
    .unwrap();
    assert!(
        !desk.status().demo,
        "no demo account left as the demo made it"
    );
}

#[test]
fn every_problem_of_the_form_is_refused_at_once_and_nothing_is_written() {
    let dir = temp();
    let clock = test_clock!();
    let mut conn = Conn::open(db_path(&dir)).unwrap();
    let audit = count(&conn, "audit_log");

    let empty = FirstStart::default();
    let refused = first_start(&mut conn, &empty, (clock.read)()).unwrap_err();
    let fields: Vec<_> = refused.each().iter().filter_map(|e| e.field()).collect();
    assert_eq!(
        fields,
        ["hospital_name", "username", "password"],
        "{refused:?}"
    );

    let typo = FirstStart {
        password_again: "Qingshan#2025".into(),
        time_zone: "Asia/Shanghia".into(),
        ..hospital()
    };
    let refused = first_start(&mut conn, &typo, (clock.read)()).unwrap_err();
    let fields: Vec<_> = refused.each().iter().filter_map(|e| e.field()).collect();
    assert_eq!(fields, ["time_zone", "password_again"], "{refused:?}");
    assert_eq!(refused.each()[1].message(Lang::Zh), "两次输入的密码不一致");

    // A long name (within its 60) is not refused for the receipt title made from it.
    let long = FirstStart {
        hospital_name: "医".repeat(61),
        ..hospital()
    };
    let refused = first_start(&mut conn, &long, (clock.read)()).unwrap_err();
    let fields: Vec<_> = refused.each().iter().filter_map(|e| e.field()).collect();
    assert_eq!(fields, ["hospital_name"], "{refused:?}");

    let short = FirstStart {
        password: "1234".into(),
        password_again: "1234".into(),
        ..hospital()
    };
    let refused = first_start(&mut conn, &short, (clock.read)()).unwrap_err();
    assert_eq!(
        refused.field(),
        Some("password"),
        "the rules of every password"
    );

    assert!(!reference::is_set_up(&conn).unwrap());
    assert_eq!(count(&conn, "staff"), 0);
    assert_eq!(count(&conn, "complaint_category"), 0);
    assert_eq!(count(&conn, "audit_log"), audit, "not even the audit log");
}

#[test]
fn a_second_setup_is_refused_and_changes_nothing() {
    let dir = temp();
    let clock = test_clock!();
    let mut conn = Conn::open(db_path(&dir)).unwrap();
    first_start(&mut conn, &hospital(), (clock.read)()).unwrap();
    let audit = count(&conn, "audit_log");

    // Another desk of the same server, a moment later, with its own idea of the hospital.
    let mut other = Conn::open(db_path(&dir)).unwrap();
    let late = FirstStart {
        hospital_name: "别的医院".into(),
        admin_username: "boss".into(),
        ..hospital()
    };
    let refused = first_start(&mut other, &late, (clock.read)()).unwrap_err();
    assert_eq!(refused.code(), "already_set_up");
    assert!(
        refused.message(Lang::Zh).contains("请直接登录"),
        "{}",
        refused.message(Lang::Zh)
    );
    let h = reference::list(&conn, Kind::Hospital, &json!(null)).unwrap();
    assert_eq!(h["name"], "青山县人民医院");
    assert_eq!(count(&conn, "staff"), 1);
    assert_eq!(count(&conn, "audit_log"), audit);
}

#[test]
fn two_desks_setting_up_at_once_make_one_hospital() {
    // Two desks of one server (or two windows on one file) press 完成 together: the store's
    // write lock makes one wait for the other, which then finds the hospital there.
    let dir = temp();
    let at = db_path(&dir);
    drop(Conn::open(at.clone()).unwrap());
    let desks: Vec<_> = ["甲", "乙"]
        .into_iter()
        .map(|who| {
            let at = at.clone();
            std::thread::spawn(move || {
                let mut conn = Conn::open(at).unwrap();
                let input = FirstStart {
                    hospital_name: format!("{who}医院"),
                    admin_username: format!("admin_{}", if who == "甲" { "a" } else { "b" }),
                    ..hospital()
                };
                first_start(&mut conn, &input, 1_796_601_600_000)
            })
        })
        .collect();
    let results: Vec<_> = desks.into_iter().map(|d| d.join().unwrap()).collect();
    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        1,
        "{results:?}"
    );
    let refused = results.into_iter().find_map(Result::err).unwrap();
    assert_eq!(refused.code(), "already_set_up");
    let conn = Conn::open(at).unwrap();
    assert_eq!(count(&conn, "staff"), 1);
    assert_eq!(count(&conn, "hospital"), 1);
    assert_verified(&conn);
}

/// The app's opening of a new data file (no `--demo`): nothing is made, nobody can sign in, the
/// status asks for 初始设置 and no backup is attempted; the desk's first_start sets the hospital
/// up and signs its administrator in; opened again, the file is as it was left.
#[test]
fn a_desk_opening_a_new_file_waits_for_its_first_start() {
    let dir = temp();
    let clock = test_clock!();
    let mut desk = Desk::open_in_background_with_clock(db_path(&dir), clock.read, false).unwrap();
    let status = desk.status();
    assert!(status.setup_needed, "a new file asks for 初始设置");
    assert!(!status.demo && status.hospital.is_empty() && status.user.is_none());
    assert!(desk.login("admin", "admin1234").is_err(), "no demo account");
    assert_eq!(count(desk.connection(), "staff"), 0);
    assert_eq!(count(desk.connection(), "department"), 0);

    // A refusal signs nobody in and leaves the file waiting.
    let mut short = hospital();
    short.password = "short".into();
    short.password_again = "short".into();
    let e = desk.first_start(&short).unwrap_err();
    assert_eq!(e.field(), Some("password"), "{e:?}");
    assert!(desk.status().setup_needed && desk.status().user.is_none());

    let status = desk.first_start(&hospital()).unwrap();
    assert!(!status.setup_needed);
    assert_eq!(status.hospital, "青山县人民医院");
    let user = status.user.expect("the administrator is signed in");
    assert_eq!(user.username, "itadmin");
    assert_eq!(
        status.areas.len(),
        1,
        "the administrator's areas: {:?}",
        status.areas
    );
    assert_eq!(
        code(desk.first_start(&hospital())),
        "already_set_up",
        "a second first start"
    );
    assert_verified(desk.connection());
    drop(desk);

    let mut desk = Desk::open_demo_with_clock(db_path(&dir), clock.read).unwrap();
    assert!(
        !desk.status().demo,
        "--demo on a hospital already set up adds nothing"
    );
    assert!(desk.login("admin", "admin1234").is_err());
    desk.login("itadmin", "Qingshan#2026").unwrap();
}
