//! A day at the desk, through `Desk` exactly as the page calls it: the administrator sets up
//! a new department and backs up, the department head changes a fee, a clerk works from the
//! new schedule, and at the end of it all the file verifies.

#[macro_use]
mod common;

use common::*;
use frontdesk_core::{backup, Desk};
use serde_json::json;

#[test]
fn a_day_at_the_desk() {
    sqlite_only!("the daily backup of a file (a server is backed up by the server)");
    let dir = temp();
    let clock = test_clock!();
    let mut desk = desk(&dir, &clock);
    let status = desk.status();
    assert_eq!(status.hospital, "示范市第一人民医院");
    assert_eq!(
        (status.business_date.as_str(), status.day_session),
        ("2026-03-02", frontdesk_core::clock::Session::Am)
    );
    assert!(status.user.is_none());

    // 09:00: the administrator opens 眼科 with one doctor on Wednesday morning.
    desk.login("admin", "admin1234").unwrap();
    let eyes = desk
        .reference_save("department", &json!({ "code": "11", "name": "眼科" }))
        .unwrap();
    let doctor = desk
        .reference_save(
            "doctor",
            &json!({ "name": "钱明", "department_id": eyes["id"], "title": "主治医师" }),
        )
        .unwrap();
    clock.advance(3 * MINUTE);
    let slot = desk
        .reference_save(
            "duty",
            &json!({ "date": "2026-03-04", "session": "am", "doctor_id": doctor["id"], "capacity": 15 }),
        )
        .unwrap();
    desk.reference_save(
        "triage_keyword",
        &json!({ "keyword": "视力模糊", "department_id": eyes["id"] }),
    )
    .unwrap();

    let nas = dir.path().join("nas").join("frontdesk");
    let view = desk.backup_settings(nas.to_str().unwrap(), 7).unwrap();
    assert!(view.configured);
    assert_eq!((view.dir.as_str(), view.keep), (nas.to_str().unwrap(), 7));
    assert!(view.files.is_empty(), "the new folder starts empty");
    clock.advance(MINUTE);
    let made = desk.backup_now().unwrap();
    assert_eq!(made.name, "frontdesk-20260302-090400.db");
    assert!(made.bytes > 0);
    assert_eq!(desk.backups().unwrap().files, std::slice::from_ref(&made));
    desk.logout().unwrap();

    // The department head raises the expert fee to ¥30.
    clock.advance(20 * MINUTE);
    desk.login("head", "head1234").unwrap();
    let mut expert = reference_record(&mut desk, "registration_type", "code", "ZJ");
    assert_eq!(expert["fee_fen"], 2500);
    expert.as_object_mut().unwrap().remove("fee_fen");
    expert["fee_yuan"] = json!("30.00");
    assert_eq!(
        desk.reference_save("registration_type", &expert).unwrap()["fee_fen"],
        3000
    );
    assert_eq!(code(desk.backups()), "forbidden");
    desk.logout().unwrap();

    // A clerk at the window sees Wednesday's new clinic and the new fee.
    clock.advance(MINUTE);
    desk.login("clerk", "clerk1234").unwrap();
    let wednesday = desk
        .reference_list("duty", &json!({ "from": "2026-03-04", "days": 1 }))
        .unwrap();
    assert!(wednesday.as_array().unwrap().contains(&slot));
    assert_eq!(
        code(desk.reference_save("department", &json!({ "code": "12", "name": "耳科" }))),
        "forbidden"
    );
    desk.lock();
    desk.unlock("clerk1234").unwrap();
    desk.logout().unwrap();

    // The next morning the desk opens and makes the day's backup into the chosen folder.
    drop(desk);
    clock.set(START + DAY);
    let desk = Desk::open_demo_with_clock(db_file(&dir), clock.read).unwrap();
    assert!(desk.status().backup_problem.is_none());
    let files = backup::list_backups(&nas).unwrap();
    assert_eq!(files[0].name, "frontdesk-20260303-090000.db");
    assert_eq!(files[1], made);
    drop(desk);

    // Everything that happened is in the log and agrees with the data.
    let report = verify_file(db_file(&dir));
    assert!(report.ok(), "{:#?}", report.problems);
    // The backup made before the fee change verifies too, and has the old fee.
    let report = backup::check(std::path::Path::new(&made.path)).unwrap();
    assert!(report.ok(), "{:#?}", report.problems);
    let kept =
        frontdesk_core::store::Conn::open_read_only(std::path::Path::new(&made.path)).unwrap();
    let old_fee = frontdesk_core::reference::list_registration_types(&kept)
        .unwrap()
        .into_iter()
        .find(|t| t.code == "ZJ")
        .unwrap()
        .fee_fen;
    assert_eq!(old_fee, frontdesk_core::money::Fen(2500));

    // Who did what, newest first, as the administrator's log screen lists it.
    let actors: Vec<(String, String)> =
        frontdesk_core::audit::list_entries(&reader(db_file(&dir)), None, 1000)
            .unwrap()
            .into_iter()
            .filter(|e| {
                !e.action.starts_with("login") && e.action != "logout" && e.action != "unlock"
            })
            .take(8)
            .map(|e| (e.actor, e.action))
            .collect();
    assert_eq!(
        actors,
        [
            ("system (daily backup)".into(), "backup.create".into()),
            ("孙建国 (head)".into(), "registration_type.update".into()),
            ("周强 (admin)".into(), "backup.create".into()),
            ("周强 (admin)".into(), "hospital.save".into()),
            ("周强 (admin)".into(), "triage_keyword.create".into()),
            ("周强 (admin)".into(), "duty.create".into()),
            // The doctor's entry in the staff directory, made with the doctor.
            ("周强 (admin)".into(), "person.create".into()),
            ("周强 (admin)".into(), "doctor.create".into()),
        ]
    );
}
