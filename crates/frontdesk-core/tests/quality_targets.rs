//! The department's targets as data, through `Desk`, on a real store (a file, or a database of
//! its own on the test server): set from a date by the head, never rewritten, so a past period
//! keeps the target it was measured against; monthly operating targets against the desk's
//! actuals.

#[macro_use]
mod common;

use common::*;
use frontdesk_core::quality::targets::{target_on, OperatingInput, TargetInput};

fn day(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn a_target_changes_from_a_date_and_past_periods_keep_theirs() {
    let dir = temp();
    let clock = test_clock!();
    let mut head = signed_in(&dir, &clock, "head");
    let (targets, history) = head.quality_targets().unwrap();
    assert_eq!(targets.len(), 10);
    let of = |code: &str| targets.iter().find(|t| t.spec.code == code).unwrap().value;
    assert_eq!(
        (
            of("first_visit_followup"),
            of("registration_dissatisfaction"),
            of("complaint_satisfaction"),
            of("market_surveys")
        ),
        (600, 20, 980, 1)
    );
    assert_eq!(history.len(), 10, "the defaults, in force from the start");
    let set = |code: &str, value: &str, from: &str| TargetInput {
        code: code.into(),
        value: value.into(),
        from_date: from.into(),
    };
    // Refused, nothing written.
    let audit = audit_count(head.connection());
    for (field, bad) in [
        ("target_code", set("happiness", "60", "2026-04-01")),
        (
            "target_value",
            set("first_visit_followup", "六十", "2026-04-01"),
        ),
        (
            "target_value",
            set("first_visit_followup", "101", "2026-04-01"),
        ),
        (
            "target_value",
            set("first_visit_followup", "60.25", "2026-04-01"),
        ),
        ("from_date", set("first_visit_followup", "65", "2026-03-01")),
        ("target_value", set("market_surveys", "1.5", "2026-04-01")),
    ] {
        assert_eq!(invalid_field(head.quality_target_set(&bad)).0, field);
    }
    assert_eq!(audit_count(head.connection()), audit);
    // From April the outpatient target is 65 %: March is still measured against 60 %.
    assert_eq!(
        head.quality_target_set(&set("first_visit_followup", "65", "2026-04-01"))
            .unwrap(),
        650
    );
    assert_eq!(last_action(head.connection()), "quality_target.set");
    assert_eq!(
        invalid_field(head.quality_target_set(&set("first_visit_followup", "70", "2026-04-01"))).0,
        "from_date",
        "one setting per day"
    );
    let conn = head.connection();
    assert_eq!(
        target_on(conn, "first_visit_followup", day("2026-03-31")).unwrap(),
        600
    );
    assert_eq!(
        target_on(conn, "first_visit_followup", day("2026-04-01")).unwrap(),
        650
    );
    assert_eq!(
        target_on(conn, "first_visit_followup", day("2019-01-01")).unwrap(),
        600
    );
    // Supervisors read the targets; only the head (and the administrator) sets them.
    let mut supervisor = signed_in(&dir, &clock, "supervisor");
    assert_eq!(supervisor.quality_targets().unwrap().1.len(), 11);
    assert_eq!(
        code(supervisor.quality_target_set(&set("market_surveys", "2", "2026-04-01"))),
        "forbidden"
    );
    let tool = sql_tool(&db_path(&dir));
    let msg = refused(tool.run("UPDATE quality_target SET value = 500"));
    assert!(msg.contains("never rewritten"), "{msg}");
    assert_verified(head.connection());
}

#[test]
fn operating_targets_are_set_by_month_and_the_actuals_counted() {
    let dir = temp();
    let clock = test_clock!();
    let mut clerk = signed_in(&dir, &clock, "clerk");
    clerk.shift_open(&float()).unwrap();
    for (i, name) in ["张三", "李四"].iter().enumerate() {
        let p = patient(&mut clerk, name, &format!("1380013800{i}"));
        register(&mut clerk, p);
        if i == 0 {
            register(&mut clerk, p); // 张三 comes back: a return visit
        }
    }
    let mut head = signed_in(&dir, &clock, "head");
    let op = |month: &str, indicator: &str, value: &str| OperatingInput {
        month: month.into(),
        indicator: indicator.into(),
        value: value.into(),
    };
    for (field, bad) in [
        ("month", op("2026-02", "registrations", "3000")),
        ("month", op("2026/03", "registrations", "3000")),
        ("indicator", op("2026-03", "revenue", "3000")),
        ("target_value", op("2026-03", "registrations", "0")),
    ] {
        assert_eq!(invalid_field(head.operating_target_set(&bad)).0, field);
    }
    head.operating_target_set(&op("2026-03", "registrations", "2000"))
        .unwrap();
    let now = head
        .operating_target_set(&op("2026-03", "registrations", "2500"))
        .unwrap();
    let reg = now.iter().find(|a| a.indicator == "registrations").unwrap();
    assert_eq!(reg.target, Some(2500), "the latest setting counts");
    assert_eq!(reg.completion, Some(1), "3 of 2,500: 0.1 %");
    let actual = |code: &str| now.iter().find(|a| a.indicator == code).unwrap().actual;
    assert_eq!(actual("registrations"), 3);
    assert_eq!(actual("first_visits"), 2, "each patient's first visit");
    assert_eq!(actual("new_patients"), 2);
    assert!(now
        .iter()
        .find(|a| a.indicator == "new_patients")
        .unwrap()
        .target
        .is_none());
    assert_eq!(code(clerk.operating_actuals("2026-03")), "forbidden");
    assert_verified(head.connection());
}
