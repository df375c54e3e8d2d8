//! 工作检查方案 and 质量检查记录本 through `Desk`, on a real store (a file, or a database of its
//! own on the test server): the plan's checks fall due by their frequency, recorded once by
//! their checker, shown done, due or missed; a correction is a new record and the database
//! refuses a rewrite; a follow-up spot-check is the follow-up item's check.

#[macro_use]
mod common;

use common::*;
use frontdesk_core::quality::inspection::{CheckInput, Row};
use frontdesk_core::Error;

fn row<'a>(rows: &'a [Row], code: &str) -> &'a Row {
    rows.iter().find(|r| r.item.code == code).unwrap()
}

fn states(r: &Row) -> Vec<(String, String)> {
    r.slots
        .iter()
        .map(|s| (s.label.clone(), s.state.clone()))
        .collect()
}

#[test]
fn a_check_falls_due_by_its_frequency_and_is_recorded_once_by_its_checker() {
    let dir = temp();
    let clock = test_clock!();
    let mut supervisor = signed_in(&dir, &clock, "supervisor");
    let mut head = signed_in(&dir, &clock, "head");
    for d in [&mut supervisor, &mut head] {
        d.set_idle_seconds_override(Some(365 * 86_400));
    }
    // Monday 2026-03-02, the plan's first day: the manual's seven items, each due this period.
    let plan = supervisor.inspection_schedule().unwrap();
    let items: Vec<(&str, &str, &str, &str)> = plan
        .iter()
        .map(|r| {
            (
                r.item.subject.as_str(),
                r.item.item.as_str(),
                r.item.frequency.as_str(),
                r.item.checker.as_str(),
            )
        })
        .collect();
    assert_eq!(
        items,
        [
            ("导医", "服务方面", "weekly", "supervisor"),
            ("挂号", "挂号数据", "monthly", "supervisor"),
            ("经营干事", "项目开展", "monthly", "head"),
            ("客服人员", "回访", "weekly", "supervisor"),
            ("经营部人员", "调查", "monthly", "head"),
            ("经营干事", "指标", "monthly", "head"),
            ("经营干事", "培训", "monthly", "head"),
        ]
    );
    assert_eq!(
        states(row(&plan, "guide_service")),
        [("2026-W10".to_string(), "due".to_string())]
    );
    assert_eq!(
        states(row(&plan, "training")),
        [("2026-03".to_string(), "due".to_string())]
    );
    let flags = supervisor.status().quality.unwrap();
    assert_eq!(
        (flags.checks_due, flags.checks_missed),
        (3, 0),
        "the supervisor's three"
    );
    assert_eq!(
        head.status().quality.unwrap().checks_due,
        7,
        "the head answers for all"
    );

    let guide = row(&plan, "guide_service").item.id;
    let training = row(&plan, "training").item.id;
    let check = |item: i64, result: &str, findings: &str| CheckInput {
        item_id: Some(item),
        result: result.into(),
        findings: findings.into(),
        action: if findings.is_empty() {
            String::new()
        } else {
            "当场纠正，周会通报".into()
        },
        ..Default::default()
    };
    // Refused, nothing written.
    let audit = audit_count(supervisor.connection());
    assert!(
        matches!(
            supervisor.inspection_record(&check(training, "ok", "")),
            Err(Error::Forbidden)
        ),
        "the head's item"
    );
    for (field, bad) in [
        ("check_findings", check(guide, "problem", "")),
        ("check_result", check(guide, "maybe", "")),
        ("check_result", check(guide, "", "")),
        (
            "check_day",
            CheckInput {
                day: "2026-03-09".into(),
                ..check(guide, "ok", "")
            },
        ),
        (
            "check_day",
            CheckInput {
                day: "2026-02-27".into(),
                ..check(guide, "ok", "")
            },
        ),
        (
            "inspection_item",
            CheckInput {
                item_id: Some(999),
                ..check(guide, "ok", "")
            },
        ),
    ] {
        let (f, e) = invalid_field(supervisor.inspection_record(&bad));
        assert_eq!(f, field, "{bad:?}");
        assert_desk_sentence(&e);
    }
    // Every problem of the form at once, in the form's order.
    assert_eq!(
        refused_fields(supervisor.inspection_record(&CheckInput {
            day: "2026-03-09".into(),
            ..check(guide, "", "")
        })),
        ["check_day", "check_result"]
    );
    assert_eq!(audit_count(supervisor.connection()), audit);

    // The round of the guide desk, with a problem found.
    let first = supervisor
        .inspection_record(&check(guide, "problem", "导医台两人未使用规范用语"))
        .unwrap();
    assert_eq!(last_action(supervisor.connection()), "quality_check.record");
    let (f, _) = invalid_field(supervisor.inspection_record(&check(guide, "ok", "")));
    assert_eq!(
        f, "check_day",
        "one check a period; a second is a correction"
    );
    // A correction names the record and why; the original stays.
    let (f, _) = invalid_field(supervisor.inspection_record(&CheckInput {
        corrects_id: Some(first),
        ..check(guide, "ok", "")
    }));
    assert_eq!(f, "correction_reason");
    let second = supervisor
        .inspection_record(&CheckInput {
            corrects_id: Some(first),
            reason: "复查属误记，两人均已规范".into(),
            ..check(guide, "ok", "")
        })
        .unwrap();
    let (f, _) = invalid_field(supervisor.inspection_record(&CheckInput {
        corrects_id: Some(first),
        reason: "again".into(),
        ..check(guide, "ok", "")
    }));
    assert_eq!(
        f, "corrects_id",
        "only the newest record of the period is corrected"
    );
    let register = supervisor
        .inspection_register("2026-03-01", "2026-03-31")
        .unwrap();
    let lines: Vec<(i64, &str, Option<i64>)> = register
        .iter()
        .map(|e| (e.id, e.result.as_str(), e.corrects_id))
        .collect();
    assert_eq!(
        lines,
        [(first, "problem", None), (second, "ok", Some(first))]
    );
    let plan = supervisor.inspection_schedule().unwrap();
    let slot = &row(&plan, "guide_service").slots[0];
    assert_eq!(
        (slot.state.as_str(), slot.check_id, slot.result.as_deref()),
        ("done", Some(second), Some("ok"))
    );
    head.inspection_record(&check(training, "ok", "")).unwrap();

    // The database refuses a rewrite, whoever asks.
    let tool = sql_tool(&db_path(&dir));
    refused(tool.run("UPDATE quality_check SET result = 'ok' WHERE id = 1"));
    refused(tool.run("DELETE FROM quality_check"));
    refused(tool.run("DELETE FROM inspection_item"));

    // Two weeks on: last week's round was not made (missed), this week's is due; March's
    // training check was done.
    clock.advance(14 * DAY);
    let plan = supervisor.inspection_schedule().unwrap();
    assert_eq!(
        states(row(&plan, "guide_service")),
        [
            ("2026-W10".to_string(), "done".to_string()),
            ("2026-W11".to_string(), "missed".to_string()),
            ("2026-W12".to_string(), "due".to_string()),
        ]
    );
    assert_eq!(
        states(row(&plan, "training")),
        [("2026-03".to_string(), "done".to_string())]
    );
    let flags = supervisor.status().quality.unwrap();
    assert_eq!((flags.checks_due, flags.checks_missed), (3, 2), "{flags:?}");
    // Two periods back is too late: a period missed then stays missed.
    let (f, e) = invalid_field(supervisor.inspection_record(&CheckInput {
        day: "2026-03-04".into(),
        ..check(guide, "ok", "")
    }));
    assert_eq!(f, "check_day");
    assert!(
        matches!(
            e,
            Error::Invalid {
                problem: frontdesk_core::Problem::TooOld,
                ..
            }
        ),
        "{e:?}"
    );
    // The period before the running one can still be recorded late, with its own date.
    supervisor
        .inspection_record(&CheckInput {
            day: "2026-03-10".into(),
            ..check(guide, "ok", "")
        })
        .unwrap();
    let plan = supervisor.inspection_schedule().unwrap();
    assert_eq!(row(&plan, "guide_service").slots[1].state, "done");
    assert_verified(supervisor.connection());
}

/// The demo keeps the plan: weekly rounds and monthly checks, some forgotten, and its weekly
/// follow-up spot-checks counted as the follow-up item's checks and listed in the record book.
#[test]
fn the_demo_keeps_the_plan_and_its_spot_checks_count() {
    let dir = temp();
    demo(&dir, "40");
    let clock = test_clock!();
    clock.set(DEMO_END);
    let mut head = desk(&dir, &clock);
    login(&mut head, "head");
    let plan = head.inspection_schedule().unwrap();
    let followup = row(&plan, "followup");
    assert!(
        followup
            .slots
            .iter()
            .any(|s| s.state == "done" && s.spot_check_id.is_some()),
        "a week's spot-check is its check: {:?}",
        followup.slots
    );
    let guide = row(&plan, "guide_service");
    assert!(guide
        .slots
        .iter()
        .any(|s| s.state == "done" && s.check_id.is_some()));
    let today = frontdesk_core::reference::today(head.connection(), clock.get()).unwrap();
    let from = (today - chrono::Duration::days(39)).to_string();
    let register = head.inspection_register(&from, &today.to_string()).unwrap();
    assert!(
        register.iter().any(|e| e.kind == "spot_check"),
        "the spot-checks are in the book"
    );
    assert!(register
        .iter()
        .any(|e| e.kind == "check" && e.result == "problem"));

    // Every register of the period, as Excel and as CSV: the same cells; the export audited;
    // the patients' names masked in the follow-up and complaint registers.
    let csv_rows = |path: &std::path::Path| -> Vec<Vec<String>> {
        let bytes = std::fs::read(path).unwrap();
        assert!(bytes.starts_with("\u{feff}".as_bytes()), "a BOM for Excel");
        csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(&bytes[3..])
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect()
    };
    let to = today.to_string();
    for (kind, name) in [
        ("checks", "质量检查记录本"),
        ("surveys", "满意度问卷"),
        ("logs", "交班记录"),
    ] {
        let xlsx = head
            .quality_register_file(kind, &from, &to, "xlsx")
            .unwrap();
        let csv = head.quality_register_file(kind, &from, &to, "csv").unwrap();
        let rows = csv_rows(&csv);
        assert!(rows.len() > 1, "{kind} has rows");
        assert_eq!(sheet(&xlsx, name), rows, "{kind}: the same cells");
        assert_eq!(last_action(head.connection()), "quality.register");
    }
    let mut service = desk(&dir, &clock);
    login(&mut service, "service");
    let f = service
        .followup_register_file(&from, &to, "csv", false, "")
        .unwrap();
    let calls = csv_rows(&f);
    let x = service
        .followup_register_file(&from, &to, "xlsx", false, "")
        .unwrap();
    assert_eq!(sheet(&x, "回访登记本"), calls);
    let patient = calls[0].iter().position(|h| h == "患者").unwrap();
    assert!(
        calls[1..].iter().all(|r| r[patient].contains('*')),
        "names masked"
    );
    let c = service
        .complaint_register_file(&from, &to, "csv", false, "")
        .unwrap();
    let cases = csv_rows(&c);
    let x = service
        .complaint_register_file(&from, &to, "xlsx", false, "")
        .unwrap();
    assert_eq!(sheet(&x, "投诉登记本"), cases);
    assert!(cases.len() > 1);
    let (field, _) = invalid_field(head.quality_register_file("ledger", &from, &to, "csv"));
    assert_eq!(field, "register");
    let (field, _) = invalid_field(head.quality_register_file("checks", &from, &to, "docx"));
    assert_eq!(field, "format");
    assert_verified(head.connection());
}
