//! 保存期限 through `Desk`, on a real store (a file, or a database of its own on the test
//! server): the manual's periods from the start, lengthened by the administrator only, never
//! shortened (the database refuses too), and the records past them counted — and kept.

#[macro_use]
mod common;

use common::*;

#[test]
fn a_retention_period_is_only_lengthened_and_no_record_goes() {
    let dir = temp();
    let clock = test_clock!();
    let mut admin = signed_in(&dir, &clock, "admin");
    let years = |d: &mut frontdesk_core::Desk| -> Vec<(String, i64, i64)> {
        d.retention_periods()
            .unwrap()
            .into_iter()
            .map(|p| (p.record, p.years, p.expired))
            .collect()
    };
    assert_eq!(
        years(&mut admin),
        [
            ("followup".to_string(), 2, 0),
            ("complaint".to_string(), 3, 0),
            ("quality_check".to_string(), 2, 0),
            ("questionnaire".to_string(), 2, 0),
        ]
    );
    // Refused by field, nothing written: shorter, equal, not a number, not a record.
    let audit = audit_count(admin.connection());
    for (record, value, field) in [
        ("complaint", "2", "retention_years"),
        ("complaint", "3", "retention_years"),
        ("complaint", "三年", "retention_years"),
        ("complaint", "31", "retention_years"),
        ("ledger", "5", "retention_record"),
    ] {
        let (f, e) = invalid_field(admin.retention_lengthen(record, value));
        assert_eq!(f, field, "{record} {value}");
        assert_desk_sentence(&e);
    }
    assert_eq!(audit_count(admin.connection()), audit);
    admin.retention_lengthen("complaint", "5").unwrap();
    assert_eq!(last_action(admin.connection()), "retention_period.set");
    assert_eq!(years(&mut admin)[1], ("complaint".to_string(), 5, 0));
    // The database refuses a shorter one and any rewrite, whoever asks.
    let tool = sql_tool(&db_path(&dir));
    refused(tool.run(
        "INSERT INTO retention_period (record, years, set_by, set_at) VALUES ('complaint', 3, NULL, 0)",
    ));
    refused(tool.run("UPDATE retention_period SET years = 1"));
    refused(tool.run("DELETE FROM retention_period"));
    // Only the administrator sets them.
    let mut head = signed_in(&dir, &clock, "head");
    assert!(head.retention_lengthen("followup", "4").is_err());
    assert!(head.retention_periods().is_err());

    // A guide-desk form of today, and a check: three years on they are past their two years,
    // counted, and still there.
    let mut guide = signed_in(&dir, &clock, "guide");
    let forms = guide.survey_questionnaires().unwrap();
    guide
        .survey_record(&frontdesk_core::survey::ResponseInput {
            version_id: Some(forms[0].version_id),
            answers: [("overall".to_string(), "satisfied".to_string())]
                .into_iter()
                .collect(),
            ..Default::default()
        })
        .unwrap();
    clock.advance(3 * 366 * DAY);
    let mut admin = signed_in(&dir, &clock, "admin");
    let now = years(&mut admin);
    assert_eq!(now[3], ("questionnaire".to_string(), 2, 1), "{now:?}");
    assert_eq!(count(admin.connection(), "survey_response"), 1, "kept");
    refused(tool.run("DELETE FROM survey_response"));
    assert_verified(admin.connection());
}
