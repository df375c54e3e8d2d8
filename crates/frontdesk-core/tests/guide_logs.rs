//! The guide desk's own records through `Desk`, on a real store (a file, or a database of its own
//! on the test server): the shift handover log and the day's work log, append-only, a
//! correction a new entry naming what it corrects.

#[macro_use]
mod common;

use common::*;
use frontdesk_core::guide_log::EntryInput;

#[test]
fn a_handover_and_a_work_log_kept_with_their_corrections() {
    let dir = temp();
    let clock = test_clock!();
    let mut guide = signed_in(&dir, &clock, "guide");
    let choices = guide.guide_log_choices().unwrap();
    let supervisor = choices
        .takers
        .iter()
        .find(|(_, name)| name == "赵丽")
        .unwrap()
        .0;
    assert!(
        choices.takers.iter().all(|(_, name)| name != "陈静"),
        "not oneself"
    );
    let handover = |body: &str| EntryInput {
        kind: "handover".into(),
        body: body.into(),
        open_matters: "3 号诊室轮椅待维修".into(),
        taken_by: Some(supervisor),
        ..Default::default()
    };
    // Refused field by field, nothing written.
    let audit = audit_count(guide.connection());
    for (field, bad) in [
        (
            "log_kind",
            EntryInput {
                kind: String::new(),
                ..handover("x")
            },
        ),
        ("log_body", handover("  ")),
        (
            "taken_by",
            EntryInput {
                taken_by: None,
                ..handover("交接物品齐全")
            },
        ),
        (
            "log_category",
            EntryInput {
                kind: "work".into(),
                category: "party".into(),
                ..handover("x")
            },
        ),
        (
            "corrects_id",
            EntryInput {
                corrects_id: Some(999),
                correction_reason: "写错".into(),
                ..handover("x")
            },
        ),
    ] {
        assert_eq!(invalid_field(guide.guide_log_write(&bad)).0, field);
    }
    // A handover with neither what was handed over nor to whom: both refused at once.
    let both = guide
        .guide_log_write(&EntryInput {
            taken_by: None,
            ..handover("")
        })
        .unwrap_err();
    let fields: Vec<_> = both.each().iter().map(|e| e.field()).collect();
    assert_eq!(fields, [Some("log_body"), Some("taken_by")], "{both:?}");
    assert_eq!(audit_count(guide.connection()), audit);

    let first = guide
        .guide_log_write(&handover("交接物品齐全，轮椅 6 台"))
        .unwrap();
    guide
        .guide_log_write(&EntryInput {
            kind: "work".into(),
            body: "陪同一位老人做 CT".into(),
            category: "escort".into(),
            ..Default::default()
        })
        .unwrap();
    // A correction: a new entry naming the first and why; the first stays as written.
    assert_eq!(
        invalid_field(guide.guide_log_write(&EntryInput {
            corrects_id: Some(first),
            ..handover("轮椅 5 台")
        }))
        .0,
        "correction_reason"
    );
    let fixed = guide
        .guide_log_write(&EntryInput {
            corrects_id: Some(first),
            correction_reason: "轮椅数量写错".into(),
            ..handover("交接物品齐全，轮椅 5 台")
        })
        .unwrap();
    assert_eq!(
        invalid_field(guide.guide_log_write(&EntryInput {
            corrects_id: Some(first),
            correction_reason: "再改一次".into(),
            ..handover("轮椅 4 台")
        }))
        .0,
        "corrects_id",
        "the newest correction is the one to correct"
    );
    let log = guide
        .guide_log_list("handover", "2026-03-02", "2026-03-02")
        .unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!((log[0].id, log[0].corrects_id), (fixed, Some(first)));
    assert_eq!(
        log[1].body, "交接物品齐全，轮椅 6 台",
        "the original kept as written"
    );
    assert_eq!(log[1].corrected_by, Some(fixed));
    assert_eq!(log[0].taken_by.as_deref(), Some("赵丽"));
    let work = guide
        .guide_log_list("work", "2026-03-01", "2026-03-02")
        .unwrap();
    assert_eq!(
        (work.len(), work[0].category.as_deref()),
        (1, Some("escort"))
    );
    assert!(guide
        .guide_log_list("work", "2026-03-03", "2026-03-04")
        .unwrap()
        .is_empty());
    // Only the guide desk keeps these logs; the database refuses a rewrite.
    let mut clerk = signed_in(&dir, &clock, "clerk");
    assert_eq!(
        code(clerk.guide_log_list("work", "2026-03-02", "2026-03-02")),
        "forbidden"
    );
    let tool = sql_tool(&db_path(&dir));
    let msg = refused(tool.run("UPDATE guide_log SET body = '改了'"));
    assert!(msg.contains("append-only"), "{msg}");
    let msg = refused(tool.run("DELETE FROM guide_log"));
    assert!(msg.contains("append-only"), "{msg}");
    assert_verified(guide.connection());
}
