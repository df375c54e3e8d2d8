//! Reference data through `Desk`, as the admin screen saves it: every bad input is refused,
//! named by its field, and changes nothing (not even the audit log); the happy paths of
//! departments, doctors and the duty schedule; fees typed in yuan stored as fen.

#[macro_use]
mod common;

use common::*;
use frontdesk_core::Desk;
use serde_json::{json, Value};
use tempfile::TempDir;

fn admin_desk(dir: &TempDir) -> Desk {
    let clock = test_clock!();
    let mut desk = desk(dir, &clock);
    login(&mut desk, "admin");
    desk
}

fn with(base: &Value, key: &str, value: Value) -> Value {
    let mut v = base.clone();
    v[key] = value;
    v
}

fn id(v: &Value) -> i64 {
    v["id"].as_i64().unwrap()
}

#[test]
fn bad_reference_input_is_refused_by_field_and_changes_nothing() {
    let dir = temp();
    let mut desk = admin_desk(&dir);

    // A doctor who has left: switched off, so no new duty for them.
    let gone = desk
        .reference_save(
            "doctor",
            &json!({ "name": "离职医生", "department_id": 1, "title": "主治医师" }),
        )
        .unwrap();
    desk.reference_save("doctor", &with(&gone, "active", json!(false)))
        .unwrap();
    let slot = desk
        .reference_list("duty", &json!({ "from": "2026-03-02", "days": 1 }))
        .unwrap()[0]
        .clone();
    let hospital = desk.reference_list("hospital", &json!(null)).unwrap();
    let long = |n: usize| "科".repeat(n);

    let dept = json!({ "code": "11", "name": "眼科" });
    let doctor = json!({ "name": "钱医生", "department_id": 1, "title": "主治医师" });
    let duty = json!({ "date": "2026-06-01", "session": "am", "doctor_id": 1, "capacity": 20 });
    let rtype = json!({ "code": "YY", "name": "夜间号", "fee_yuan": "30" });
    let method = json!({ "code": "credit", "name": "信用卡" });
    let keyword = json!({ "keyword": "眼痛", "department_id": 1 });

    let cases: Vec<(&str, &str, Value, &str)> = vec![
        // (what, kind, input, field)
        (
            "empty code",
            "department",
            with(&dept, "code", json!("")),
            "code",
        ),
        (
            "code with a space",
            "department",
            with(&dept, "code", json!("1 1")),
            "code",
        ),
        (
            "code in Chinese",
            "department",
            with(&dept, "code", json!("眼")),
            "code",
        ),
        (
            "code of 17",
            "department",
            with(&dept, "code", json!("A".repeat(17))),
            "code",
        ),
        (
            "code taken",
            "department",
            with(&dept, "code", json!("01")),
            "code",
        ),
        (
            "empty name",
            "department",
            with(&dept, "name", json!("  ")),
            "name",
        ),
        (
            "name of 31",
            "department",
            with(&dept, "name", json!(long(31))),
            "name",
        ),
        (
            "name taken",
            "department",
            with(&dept, "name", json!("心血管内科")),
            "name",
        ),
        (
            "name with a newline",
            "department",
            with(&dept, "name", json!("眼\n科")),
            "name",
        ),
        (
            "active as text",
            "department",
            with(&dept, "active", json!("yes")),
            "active",
        ),
        (
            "not an object",
            "department",
            json!(["11", "眼科"]),
            "record",
        ),
        (
            "id as text",
            "department",
            with(&dept, "id", json!("one")),
            "record",
        ),
        (
            "empty name",
            "doctor",
            with(&doctor, "name", json!("")),
            "name",
        ),
        (
            "name of 31",
            "doctor",
            with(&doctor, "name", json!(long(31))),
            "name",
        ),
        (
            "no department",
            "doctor",
            with(&doctor, "department_id", json!(null)),
            "department_id",
        ),
        (
            "unknown department",
            "doctor",
            with(&doctor, "department_id", json!(999)),
            "department_id",
        ),
        (
            "department as garbage",
            "doctor",
            with(&doctor, "department_id", json!("abc")),
            "department_id",
        ),
        (
            "empty title",
            "doctor",
            with(&doctor, "title", json!("")),
            "title",
        ),
        (
            "title of 21",
            "doctor",
            with(&doctor, "title", json!(long(21))),
            "title",
        ),
        (
            "a date that does not exist",
            "duty",
            with(&duty, "date", json!("2026-02-30")),
            "date",
        ),
        ("no date", "duty", with(&duty, "date", json!("")), "date"),
        (
            "date with slashes",
            "duty",
            with(&duty, "date", json!("2026/06/01")),
            "date",
        ),
        (
            "date in words",
            "duty",
            with(&duty, "date", json!("tomorrow")),
            "date",
        ),
        (
            "unknown session",
            "duty",
            with(&duty, "session", json!("night")),
            "session",
        ),
        (
            "session in capitals",
            "duty",
            with(&duty, "session", json!("AM")),
            "session",
        ),
        (
            "unknown doctor",
            "duty",
            with(&duty, "doctor_id", json!(999)),
            "doctor_id",
        ),
        (
            "doctor who left",
            "duty",
            with(&duty, "doctor_id", gone["id"].clone()),
            "doctor_id",
        ),
        (
            "capacity 0",
            "duty",
            with(&duty, "capacity", json!(0)),
            "capacity",
        ),
        (
            "capacity 501",
            "duty",
            with(&duty, "capacity", json!(501)),
            "capacity",
        ),
        (
            "capacity negative",
            "duty",
            with(&duty, "capacity", json!(-5)),
            "capacity",
        ),
        (
            "capacity as garbage",
            "duty",
            with(&duty, "capacity", json!("abc")),
            "capacity",
        ),
        (
            "capacity missing",
            "duty",
            with(&duty, "capacity", json!(null)),
            "capacity",
        ),
        (
            "the doctor is on duty in that session already",
            "duty",
            json!({ "date": slot["date"], "session": slot["session"], "doctor_id": slot["doctor_id"], "capacity": 10 }),
            "session",
        ),
        (
            "fee as garbage",
            "registration_type",
            with(&rtype, "fee_yuan", json!("abc")),
            "fee_fen",
        ),
        (
            "negative fee",
            "registration_type",
            with(&rtype, "fee_yuan", json!("-5")),
            "fee_fen",
        ),
        (
            "fee with 3 decimals",
            "registration_type",
            with(&rtype, "fee_yuan", json!("25.505")),
            "fee_fen",
        ),
        (
            "fee in exponent",
            "registration_type",
            with(&rtype, "fee_yuan", json!("1e3")),
            "fee_fen",
        ),
        (
            "no fee",
            "registration_type",
            with(&rtype, "fee_yuan", json!("")),
            "fee_fen",
        ),
        (
            "fee beyond any line",
            "registration_type",
            with(&rtype, "fee_yuan", json!("99999999999")),
            "fee_fen",
        ),
        (
            "negative fen",
            "registration_type",
            with(&rtype, "fee_fen", json!(-100)),
            "fee_fen",
        ),
        (
            "fractional fen",
            "registration_type",
            with(&rtype, "fee_fen", json!(25.5)),
            "fee_fen",
        ),
        (
            "code taken",
            "registration_type",
            with(&rtype, "code", json!("PT")),
            "code",
        ),
        (
            "name taken",
            "registration_type",
            with(&rtype, "name", json!("普通号")),
            "name",
        ),
        (
            "name of 21",
            "registration_type",
            with(&rtype, "name", json!(long(21))),
            "name",
        ),
        (
            "empty code",
            "payment_method",
            with(&method, "code", json!("")),
            "code",
        ),
        (
            "code in Chinese",
            "payment_method",
            with(&method, "code", json!("信用卡")),
            "code",
        ),
        (
            "code taken",
            "payment_method",
            with(&method, "code", json!("cash")),
            "code",
        ),
        (
            "name taken",
            "payment_method",
            with(&method, "name", json!("现金")),
            "name",
        ),
        (
            "empty name",
            "payment_method",
            with(&method, "name", json!("")),
            "name",
        ),
        (
            "empty keyword",
            "triage_keyword",
            with(&keyword, "keyword", json!("")),
            "keyword",
        ),
        (
            "keyword of 21",
            "triage_keyword",
            with(&keyword, "keyword", json!(long(21))),
            "keyword",
        ),
        (
            "unknown department",
            "triage_keyword",
            with(&keyword, "department_id", json!(999)),
            "department_id",
        ),
        (
            "keyword already leads there",
            "triage_keyword",
            json!({ "keyword": "头痛", "department_id": 3 }),
            "keyword",
        ),
        (
            "empty name",
            "hospital",
            with(&hospital, "name", json!("")),
            "name",
        ),
        (
            "name of 61",
            "hospital",
            with(&hospital, "name", json!(long(61))),
            "name",
        ),
        (
            "bad time zone",
            "hospital",
            with(&hospital, "time_zone", json!("Mars/Olympus")),
            "time_zone",
        ),
        (
            "empty time zone",
            "hospital",
            with(&hospital, "time_zone", json!("")),
            "time_zone",
        ),
        (
            "empty receipt header",
            "hospital",
            with(&hospital, "receipt_header", json!("")),
            "receipt_header",
        ),
        (
            "idle minutes 0",
            "hospital",
            with(&hospital, "idle_lock_minutes", json!(0)),
            "idle_lock_minutes",
        ),
        (
            "idle minutes 241",
            "hospital",
            with(&hospital, "idle_lock_minutes", json!(241)),
            "idle_lock_minutes",
        ),
        (
            "idle minutes as garbage",
            "hospital",
            with(&hospital, "idle_lock_minutes", json!("ten")),
            "idle_lock_minutes",
        ),
        (
            "keep no backups",
            "hospital",
            with(&hospital, "backup_keep", json!(0)),
            "backup_keep",
        ),
        (
            "keep 366 backups",
            "hospital",
            with(&hospital, "backup_keep", json!(366)),
            "backup_keep",
        ),
        (
            "backup folder as a number",
            "hospital",
            with(&hospital, "backup_dir", json!(5)),
            "backup_dir",
        ),
        ("unknown kind", "patient", json!({ "name": "张三" }), "kind"),
    ];

    for (what, kind, input, field) in cases {
        let table = if kind == "patient" {
            "department"
        } else {
            kind
        };
        let before = (
            dump(desk.connection(), table),
            audit_count(desk.connection()),
        );
        let (f, e) = invalid_field(desk.reference_save(kind, &input));
        assert_eq!(f, field, "{kind}: {what}: {e:?}");
        assert_desk_sentence(&e);
        assert_eq!(
            (
                dump(desk.connection(), table),
                audit_count(desk.connection())
            ),
            before,
            "{kind}: {what}: something changed"
        );
    }
    // Every problem of a form at once, in the form's order.
    for (kind, input, fields) in [
        (
            "department",
            json!({ "code": "内 科", "name": "" }),
            vec!["code", "name"],
        ),
        (
            "duty",
            json!({ "date": "2026-13-45", "session": "night", "doctor_id": 999, "capacity": 0 }),
            vec!["date", "session", "doctor_id", "capacity"],
        ),
        (
            "promotion",
            json!({ "code": "P1", "name": "", "kind": "percent", "value": 0,
                    "valid_from": "2026-06-30", "valid_to": "2026-06-01" }),
            vec!["name", "value", "valid_to"],
        ),
        (
            "hospital",
            json!({ "name": "", "receipt_header": "", "time_zone": "Mars/Base", "idle_lock_minutes": 0 }),
            vec!["name", "time_zone", "receipt_header", "idle_lock_minutes"],
        ),
    ] {
        let before = audit_count(desk.connection());
        assert_eq!(
            refused_fields(desk.reference_save(kind, &input)),
            fields,
            "{kind}"
        );
        assert_eq!(
            audit_count(desk.connection()),
            before,
            "{kind}: something changed"
        );
    }
    assert_verified(desk.connection());
}

#[test]
fn records_that_are_gone_or_may_not_be_deleted_are_refused() {
    let dir = temp();
    let mut desk = admin_desk(&dir);
    let before = dump_all(desk.connection());
    let saves = [
        (
            "department",
            json!({ "id": 999, "code": "99", "name": "无" }),
        ),
        (
            "doctor",
            json!({ "id": 999, "name": "无", "department_id": 1, "title": "医师" }),
        ),
        (
            "duty",
            json!({ "id": 999, "date": "2026-06-01", "session": "am", "doctor_id": 1, "capacity": 5 }),
        ),
        (
            "registration_type",
            json!({ "id": 999, "code": "NO", "name": "无", "fee_fen": 1 }),
        ),
        (
            "payment_method",
            json!({ "id": 999, "code": "no", "name": "无" }),
        ),
        (
            "triage_keyword",
            json!({ "id": 999, "keyword": "无", "department_id": 1 }),
        ),
    ];
    for (kind, input) in saves {
        let e = desk.reference_save(kind, &input).unwrap_err();
        assert_eq!(e.code(), "not_found", "{kind}");
        assert_desk_sentence(&e);
    }
    for (kind, id, expected) in [
        ("duty", 999_999, "not_found"),
        ("triage_keyword", 999, "not_found"),
        // Registrations will point at these: they are switched off, never deleted.
        ("department", 1, "invalid"),
        ("doctor", 1, "invalid"),
        ("registration_type", 1, "invalid"),
        ("payment_method", 1, "invalid"),
        ("hospital", 1, "invalid"),
    ] {
        assert_eq!(code(desk.reference_delete(kind, id)), expected, "{kind}");
    }
    assert_eq!(dump_all(desk.connection()), before);
}

#[test]
fn a_department_is_created_renamed_and_switched_off_but_never_lost() {
    let dir = temp();
    let mut desk = admin_desk(&dir);
    let created = desk
        .reference_save("department", &json!({ "code": " 11 ", "name": " 眼科 " }))
        .unwrap();
    let n = id(&created);
    assert_eq!(
        created,
        json!({ "id": n, "code": "11", "name": "眼科", "active": true })
    );

    let renamed = desk
        .reference_save("department", &with(&created, "name", json!("眼科门诊")))
        .unwrap();
    assert_eq!(renamed["name"], "眼科门诊");
    let off = desk
        .reference_save("department", &with(&renamed, "active", json!(false)))
        .unwrap();
    assert_eq!(
        off,
        json!({ "id": n, "code": "11", "name": "眼科门诊", "active": false })
    );

    let all = desk.reference_list("department", &json!(null)).unwrap();
    assert_eq!(all.as_array().unwrap().len(), 11);
    assert!(all.as_array().unwrap().contains(&off));

    let log = desk.audit_list(Some("department"), 3).unwrap();
    let actions: Vec<_> = log
        .iter()
        .map(|e| (e.action.as_str(), e.entity_id.clone()))
        .collect();
    assert_eq!(
        actions,
        [
            ("department.update", n.to_string()),
            ("department.update", n.to_string()),
            ("department.create", n.to_string())
        ]
    );
    assert!(log[0].before.as_deref().unwrap().contains(r#""active":1"#));
    assert!(log[0].after.as_deref().unwrap().contains(r#""active":0"#));
    assert_verified(desk.connection());
}

#[test]
fn a_doctor_is_hired_moved_and_leaves() {
    let dir = temp();
    let mut desk = admin_desk(&dir);
    let eyes = desk
        .reference_save("department", &json!({ "code": "11", "name": "眼科" }))
        .unwrap();
    let hired = desk
        .reference_save(
            "doctor",
            &json!({ "name": "钱明", "department_id": id(&eyes), "title": "住院医师" }),
        )
        .unwrap();
    let d = id(&hired);
    assert_eq!(
        hired,
        json!({ "id": d, "name": "钱明", "department_id": id(&eyes), "department_name": "眼科",
                "title": "住院医师", "active": true })
    );
    let promoted = desk
        .reference_save("doctor", &with(&hired, "title", json!("主治医师")))
        .unwrap();
    assert_eq!(promoted["title"], "主治医师");
    let moved = desk
        .reference_save("doctor", &with(&promoted, "department_id", json!(1)))
        .unwrap();
    assert_eq!(moved["department_name"], "心血管内科");

    let duty = json!({ "date": "2026-06-01", "session": "am", "doctor_id": d, "capacity": 20 });
    desk.reference_save("duty", &duty).unwrap();
    let left = desk
        .reference_save("doctor", &with(&moved, "active", json!(false)))
        .unwrap();
    assert_eq!(left["active"], false);
    let (field, _) =
        invalid_field(desk.reference_save("duty", &with(&duty, "date", json!("2026-06-02"))));
    assert_eq!(field, "doctor_id", "a doctor who left gets no new duty");
    assert_verified(desk.connection());
}

#[test]
fn a_duty_slot_is_added_changed_and_deleted() {
    let dir = temp();
    let mut desk = admin_desk(&dir);
    let window = json!({ "from": "2026-06-01", "days": 1 });
    assert_eq!(desk.reference_list("duty", &window).unwrap(), json!([]));

    let slot = desk
        .reference_save(
            "duty",
            &json!({ "date": "2026-06-01", "session": "pm", "doctor_id": 2, "capacity": "25" }),
        )
        .unwrap();
    let n = id(&slot);
    assert_eq!(
        slot,
        json!({ "id": n, "date": "2026-06-01", "session": "pm", "doctor_id": 2, "doctor_name": "张卫东",
                "department_id": 1, "department_name": "心血管内科", "capacity": 25 })
    );
    let bigger = desk
        .reference_save("duty", &with(&slot, "capacity", json!(40)))
        .unwrap();
    assert_eq!(bigger["capacity"], 40);
    assert_eq!(
        desk.reference_list("duty", &window).unwrap(),
        json!([bigger])
    );

    desk.reference_delete("duty", n).unwrap();
    assert_eq!(desk.reference_list("duty", &window).unwrap(), json!([]));
    assert_eq!(code(desk.reference_delete("duty", n)), "not_found");
    let last = &desk.audit_list(Some("duty"), 1).unwrap()[0];
    assert_eq!(
        (last.action.as_str(), last.after.as_deref()),
        ("duty.delete", None)
    );
    assert!(last.before.as_deref().unwrap().contains(r#""capacity":40"#));

    // A triage keyword is deleted the same way.
    let kw = desk
        .reference_save(
            "triage_keyword",
            &json!({ "keyword": "眼痛", "department_id": 1 }),
        )
        .unwrap();
    desk.reference_delete("triage_keyword", id(&kw)).unwrap();
    assert_verified(desk.connection());
}

#[test]
fn the_schedule_lists_by_date_then_am_pm_eve_then_department_then_doctor() {
    let dir = temp();
    let mut desk = admin_desk(&dir);
    // Doctors 1 李明华 and 2 张卫东 are in 心血管内科 (01), 4 王建平 in 消化内科 (02), 28 袁野 in
    // 急诊科 (10). Saved out of order:
    for (date, session, doctor) in [
        ("2026-06-02", "eve", 28),
        ("2026-06-02", "am", 4),
        ("2026-06-02", "pm", 1),
        ("2026-06-02", "am", 1),
        ("2026-06-03", "am", 1),
        ("2026-06-02", "am", 2),
        ("2026-06-01", "eve", 28),
        ("2026-06-01", "pm", 4),
    ] {
        desk.reference_save(
            "duty",
            &json!({ "date": date, "session": session, "doctor_id": doctor, "capacity": 10 }),
        )
        .unwrap();
    }
    let listed = desk
        .reference_list("duty", &json!({ "from": "2026-06-01", "days": 2 }))
        .unwrap();
    let order: Vec<(String, String, String)> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["date"].as_str().unwrap().to_string(),
                d["session"].as_str().unwrap().to_string(),
                d["doctor_name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected = [
        ("2026-06-01", "pm", "王建平"),
        ("2026-06-01", "eve", "袁野"),
        // Same department: doctors by name in code-point order (张 U+5F20 before 李 U+674E).
        ("2026-06-02", "am", "张卫东"),
        ("2026-06-02", "am", "李明华"),
        ("2026-06-02", "am", "王建平"),
        ("2026-06-02", "pm", "李明华"),
        ("2026-06-02", "eve", "袁野"),
    ];
    let expected: Vec<(String, String, String)> = expected
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(order, expected, "2026-06-03 is outside the two days");

    // The demo's two weeks follow the same order.
    let demo = desk
        .reference_list("duty", &json!({ "from": "2026-03-02", "days": 14 }))
        .unwrap();
    let codes: std::collections::HashMap<i64, String> = desk
        .reference_list("department", &json!(null))
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (id(d), d["code"].as_str().unwrap().to_string()))
        .collect();
    let keys: Vec<_> = demo
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let rank = ["am", "pm", "eve"]
                .iter()
                .position(|s| d["session"] == *s)
                .unwrap();
            (
                d["date"].as_str().unwrap().to_string(),
                rank,
                codes[&d["department_id"].as_i64().unwrap()].clone(),
                d["doctor_name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(keys.len() > 100);
    assert!(
        keys.windows(2).all(|w| w[0] <= w[1]),
        "demo schedule out of order"
    );
    assert!(keys
        .iter()
        .all(|k| k.0.as_str() >= "2026-03-02" && k.0.as_str() < "2026-03-16"));
}

#[test]
fn fees_typed_in_yuan_are_stored_as_fen() {
    let dir = temp();
    let mut desk = admin_desk(&dir);
    for (i, (fee, fen)) in [
        (json!({ "fee_yuan": "25.50" }), 2550),
        (json!({ "fee_yuan": "25.5" }), 2550),
        (json!({ "fee_yuan": "25" }), 2500),
        (json!({ "fee_yuan": " ¥1,230.00 " }), 123_000),
        (json!({ "fee_yuan": "0.01" }), 1),
        (json!({ "fee_yuan": "0" }), 0),
        (json!({ "fee_fen": 2550 }), 2550),
    ]
    .into_iter()
    .enumerate()
    {
        let mut input = json!({ "code": format!("F{i}"), "name": format!("费用{i}") });
        input
            .as_object_mut()
            .unwrap()
            .extend(fee.as_object().unwrap().clone());
        let saved = desk.reference_save("registration_type", &input).unwrap();
        assert_eq!(saved["fee_fen"], fen, "{fee}");
        let stored = frontdesk_core::reference::list_registration_types(desk.connection())
            .unwrap()
            .into_iter()
            .find(|t| t.id.0 == id(&saved))
            .unwrap()
            .fee_fen;
        assert_eq!(stored.0, fen, "{fee}");
    }
    assert_verified(desk.connection());
}

#[test]
fn a_doctor_on_duty_twice_in_one_session_is_told_so() {
    let dir = temp();
    let mut desk = admin_desk(&dir);
    let duty = json!({ "date": "2026-06-01", "session": "pm", "doctor_id": 2, "capacity": 20 });
    desk.reference_save("duty", &duty).unwrap();
    let again = desk
        .reference_save("duty", &with(&duty, "capacity", json!(10)))
        .unwrap_err();
    assert_eq!(again.field(), Some("session"));
    assert_eq!(
        again.message(frontdesk_core::Lang::Zh),
        "该医生当天这一时段已有排班"
    );
    assert_eq!(
        again.message(frontdesk_core::Lang::En),
        "This doctor already has this session on that day"
    );
}
