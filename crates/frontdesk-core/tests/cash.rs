//! 日结 on real files: the close computed from the ledger, explained and signed off, locked by
//! the database, handed over, reported — and each trap peers fell into, with its own test.

#[macro_use]
mod common;

use std::collections::BTreeMap;

use common::*;
use frontdesk_core::cash::CloseInput;
use frontdesk_core::clock::Session;
use frontdesk_core::ids::{PatientId, RegistrationId};
use frontdesk_core::money::Fen;
use frontdesk_core::registration::{
    CancelInput, ChangeInput, Choice, PaymentInput, RegisterInput, DENOMINATIONS,
};
use frontdesk_core::staff::StaffInput;
use frontdesk_core::Desk;

/// Cash counts making `fen` (100s, then 1s, then 1角s).
fn counts_for(fen: i64) -> Vec<i64> {
    let mut c = vec![0; DENOMINATIONS.len()];
    c[0] = fen / 10_000;
    c[5] = (fen % 10_000) / 100;
    c[7] = (fen % 100) / 10;
    c
}

fn line(m: &str, a: &str, t: &str) -> PaymentInput {
    PaymentInput {
        method: m.into(),
        amount: a.into(),
        tendered: t.into(),
    }
}

/// Registers to the first department with a doctor on duty now; returns the registration id.
fn register(
    desk: &mut Desk,
    patient: PatientId,
    kind: &str,
    payments: Vec<PaymentInput>,
) -> RegistrationId {
    let t = type_id(desk, kind);
    let doctor = desk
        .duty_today(None)
        .unwrap()
        .into_iter()
        .find(|d| d.session != Session::Eve)
        .unwrap();
    desk.register(&RegisterInput {
        choice: Choice {
            patient_id: patient,
            doctor_id: Some(doctor.doctor_id),
            session: Some(doctor.session.to_string()),
            registration_type_id: Some(t),
            ..Default::default()
        },
        payments,
        ..Default::default()
    })
    .unwrap()
    .registration_id
}

fn expected(desk: &mut Desk, method: &str) -> Fen {
    desk.close_preview(&CloseInput::default())
        .unwrap()
        .lines
        .into_iter()
        .find(|l| l.method == method)
        .unwrap()
        .expected_fen
}

fn slips(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
/// The story of a shift through `Desk`, from the float to the daily report: new patients, a
/// return patient, a mixed payment, 退号, 换号, and a close with a difference explained.
fn a_day_at_the_desk_closes_with_a_one_yuan_shortage_explained_and_the_report_matches() {
    let dir = temp();
    let clock = test_clock!();
    let mut desk = desk(&dir, &clock);
    login(&mut desk, "clerk");
    desk.shift_open(&float()).unwrap();
    let a = patient(&mut desk, "张三", "13800138000");
    let b = patient(&mut desk, "李四", "13900139000");
    let c = patient(&mut desk, "王五", "13700137000");
    // Cash ¥25 with ¥100 tendered; WeChat ¥10; ¥100 mixed WeChat 60 + cash 40 (tendered 50).
    register(&mut desk, a, "专家号", vec![line("cash", "", "100")]);
    register(&mut desk, b, "普通号", vec![line("wechat", "", "")]);
    let mixed = register(
        &mut desk,
        c,
        "特需号",
        vec![line("wechat", "60", ""), line("cash", "40", "50")],
    );
    let cancelled = register(&mut desk, a, "普通号", vec![line("cash", "", "10")]);
    desk.registration_cancel(&CancelInput {
        registration_id: cancelled,
        reason: "病人临时有事".into(),
        ..Default::default()
    })
    .unwrap();
    let _ = mixed;
    // 张三 came back within the hour: a return visit, decided from the history.
    let kinds: Vec<(String, String)> = desk
        .registrations(Some(a))
        .unwrap()
        .into_iter()
        .map(|r| (r.visit_kind, r.status.to_string()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("return".to_string(), "cancelled".to_string()),
            ("first".to_string(), "waiting".to_string())
        ]
    );
    // 李四 asked for another department: 换号 at the same fee, nothing to settle.
    let b_reg = desk.registrations(Some(b)).unwrap()[0].clone();
    let elsewhere = desk
        .duty_today(None)
        .unwrap()
        .into_iter()
        .find(|d| d.session == Session::Am && d.department_id != b_reg.department_id)
        .unwrap();
    let changed = desk
        .registration_change(&ChangeInput {
            registration_id: b_reg.id,
            doctor_id: Some(elsewhere.doctor_id),
            reason: "挂错科室".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(changed.due_fen, Fen(0));

    // Trap: tendered cash and change never inflate expected cash (200 + 25 + 40 + 10 − 10).
    assert_eq!(expected(&mut desk, "cash"), Fen(26_500));
    // Trap: a mixed payment splits by method.
    assert_eq!(expected(&mut desk, "wechat"), Fen(7_000));
    assert_eq!(expected(&mut desk, "alipay"), Fen(0));

    let short = CloseInput {
        cash_counts: counts_for(26_400),
        counted: slips(&[("wechat", "70.00")]),
        received_by: "财务 孙会计".into(),
        ..Default::default()
    };
    let v = desk.close_preview(&short).unwrap();
    let cash_line = v.lines.iter().find(|l| l.method == "cash").unwrap();
    assert_eq!(cash_line.difference_fen, Some(Fen(-100)));
    assert!(v.needs_explanation && !v.needs_approval);
    assert_eq!(v.handover_fen, Fen(6_400), "counted cash less the float");
    assert_eq!(v.receipts.issued, 5);
    assert_eq!(v.receipts.valid, 3);
    assert_eq!(v.receipts.voided.len(), 2);
    assert!(v.receipts.gaps.is_empty());
    let before = dump_all(desk.connection());
    assert_eq!(
        code(desk.close_shift(&short)),
        "invalid",
        "a difference needs an explanation"
    );
    assert_eq!(dump_all(desk.connection()), before, "nothing written");
    let closed = desk
        .close_shift(&CloseInput {
            explanation: "找零时多找一元".into(),
            ..short.clone()
        })
        .unwrap();
    assert!(closed.shift.closed_at.is_some());
    assert!(
        desk.shift_current().unwrap().is_none(),
        "no open shift after the close"
    );

    // The daily report reads back with the same figures.
    let file = desk.daily_report_file(&closed.shift.business_date).unwrap();
    let text = pdftotext(&file);
    for expected in [
        "示范市第一人民医院 挂号处日结报表",
        "收款员 刘敏",
        "专家号",
        "特需号",
        "退号 1 笔，退款 ¥10.00；换号 1 笔，补收（退）差额 ¥0.00",
        "¥265.00",
        "¥264.00",
        "-¥1.00",
        "¥70.00",
        "差额说明：找零时多找一元",
        "上交现金 ¥64.00",
        "财务接收人 财务 孙会计",
        "01-00000001 – 01-00000005",
        "共 5 张 · 有效 3 · 作废 2",
        "作废 01-00000002：换号：挂错科室",
        "本人合计",
        "复核",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from the report:\n{text}"
        );
    }
    assert_verified(desk.connection());
}

#[test]
fn a_closed_shift_cannot_be_changed_even_with_a_sql_tool() {
    let dir = temp();
    let clock = test_clock!();
    let mut desk = desk(&dir, &clock);
    login(&mut desk, "clerk");
    desk.shift_open(&float()).unwrap();
    let p = patient(&mut desk, "张三", "13800138000");
    register(&mut desk, p, "普通号", vec![line("cash", "", "")]);
    desk.close_shift(&CloseInput {
        cash_counts: counts_for(21_000),
        received_by: "孙会计".into(),
        ..Default::default()
    })
    .unwrap();
    let tool = sql_tool(&db_path(&dir));
    // Each refused by the trigger that guards it, in its own words.
    for (sql, trigger_says) in [
        ("UPDATE ledger SET amount_fen = 1", "ledger is append-only"),
        ("DELETE FROM ledger", "ledger is append-only"),
        (
            "UPDATE receipt SET voided_at = 1, void_reason = 'x'",
            "shift is closed",
        ),
        ("DELETE FROM receipt", "receipts are never deleted"),
        ("UPDATE shift SET float_fen = 0", "shift is closed"),
        ("UPDATE shift SET closed_at = NULL", "shift is closed"),
        ("DELETE FROM shift", "shifts are never deleted"),
        ("UPDATE shift_close SET handover_fen = 0", "a close is final"),
        ("DELETE FROM shift_close", "a close is final"),
        ("UPDATE shift_count SET counted_fen = 0", "a close is final"),
        ("DELETE FROM shift_count", "a close is final"),
        (
            "INSERT INTO ledger (at, shift_id, clerk_id, registration_id, kind, method, amount_fen) VALUES (1, 1, 1, 1, 'payment', 'cash', 100)",
            "shift is closed",
        ),
    ] {
        assert_eq!(refused(tool.run(sql)), trigger_says, "{sql}");
    }
    if on_server() {
        // TRUNCATE fires no DELETE trigger: on a server it has triggers of its own.
        for (sql, trigger_says) in [
            ("TRUNCATE ledger", "ledger is append-only"),
            ("TRUNCATE audit_log", "audit_log is append-only"),
            ("TRUNCATE receipt_print", "receipt_print is append-only"),
            ("TRUNCATE shift_close", "a close is final"),
            ("TRUNCATE shift_count", "a close is final"),
        ] {
            assert_eq!(refused(tool.run(sql)), trigger_says, "{sql}");
        }
        // With what refers to them, in one statement: refused all the same.
        refused(tool.run("TRUNCATE shift, receipt CASCADE"));
    }
    assert_verified(desk.connection());
}

#[test]
fn a_refund_of_yesterdays_registration_lands_in_todays_shift_and_yesterday_stays_closed() {
    let dir = temp();
    let clock = test_clock!();
    let mut desk = desk(&dir, &clock);
    login(&mut desk, "clerk");
    desk.shift_open(&float()).unwrap();
    let p = patient(&mut desk, "张三", "13800138000");
    let reg = register(&mut desk, p, "专家号", vec![line("cash", "", "")]);
    let day1 = desk
        .close_shift(&CloseInput {
            cash_counts: counts_for(22_500),
            received_by: "孙会计".into(),
            ..Default::default()
        })
        .unwrap();
    let day1_date = day1.shift.business_date.clone();
    clock.advance(DAY);
    desk.unlock(password("clerk")).unwrap();
    desk.shift_open(&float()).unwrap();
    let r = desk
        .registration_cancel(&CancelInput {
            registration_id: reg,
            reason: "病人临时有事".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(r.refunded_fen, Fen(2_500));
    // Today's expected cash drops by the refund, once; yesterday's close is untouched.
    assert_eq!(expected(&mut desk, "cash"), Fen(20_000 - 2_500));
    let yesterday =
        frontdesk_core::report::daily(desk.connection(), &day1_date, clock.get()).unwrap();
    let cash_line = yesterday
        .methods
        .iter()
        .find(|m| m.method == "cash")
        .unwrap();
    assert_eq!(cash_line.expected_fen, Fen(22_500));
    assert_eq!(yesterday.cancelled.count, 0);
    assert_eq!(
        yesterday.cashiers[0].receipts.voided.len(),
        0,
        "yesterday's receipt is as it was closed"
    );
    let today = desk.close_preview(&CloseInput::default()).unwrap();
    let today_report =
        frontdesk_core::report::daily(desk.connection(), &today.shift.business_date, clock.get())
            .unwrap();
    assert_eq!(
        today_report.cancelled,
        frontdesk_core::report::Tally {
            count: 1,
            amount_fen: Fen(2_500)
        }
    );
    assert_verified(desk.connection());
}

#[test]
fn two_clerks_on_one_pc_each_close_their_own_shift() {
    let dir = temp();
    let clock = test_clock!();
    let mut desk = desk(&dir, &clock);
    login(&mut desk, "admin");
    desk.staff_save(&StaffInput {
        username: "clerk2".into(),
        display_name: "周燕".into(),
        role: "clerk".into(),
        password: "clerk1234".into(),
        active: true,
        ..Default::default()
    })
    .unwrap();
    desk.logout().unwrap();
    let p = {
        login(&mut desk, "clerk");
        desk.shift_open(&float()).unwrap();
        patient(&mut desk, "张三", "13800138000")
    };
    // They take turns at the same window: receipts interleave in the desk's one series.
    for turn in 0..4 {
        desk.logout().unwrap();
        if turn % 2 == 0 {
            desk.login("clerk2", "clerk1234").unwrap();
            if desk.shift_current().unwrap().is_none() {
                desk.shift_open(&float()).unwrap();
            }
        } else {
            login(&mut desk, "clerk");
        }
        register(&mut desk, p, "普通号", vec![line("cash", "", "")]);
    }
    let mine = desk.close_preview(&CloseInput::default()).unwrap();
    assert_eq!(mine.shift.clerk_name, "刘敏");
    assert_eq!(mine.receipts.issued, 2);
    assert!(
        mine.receipts.gaps.is_empty(),
        "the other clerk's numbers are not gaps"
    );
    desk.close_shift(&CloseInput {
        cash_counts: counts_for(22_000),
        received_by: "孙会计".into(),
        ..Default::default()
    })
    .unwrap();
    desk.logout().unwrap();
    desk.login("clerk2", "clerk1234").unwrap();
    let theirs = desk.close_preview(&CloseInput::default()).unwrap();
    assert_eq!(theirs.shift.clerk_name, "周燕");
    assert_eq!(
        theirs
            .lines
            .iter()
            .find(|l| l.method == "cash")
            .unwrap()
            .expected_fen,
        Fen(22_000)
    );
    desk.close_shift(&CloseInput {
        cash_counts: counts_for(22_000),
        received_by: "孙会计".into(),
        ..Default::default()
    })
    .unwrap();
    let report =
        frontdesk_core::report::daily(desk.connection(), "2026-03-02", clock.get()).unwrap();
    assert_eq!(report.cashiers.len(), 2);
    assert_eq!(report.handover_fen, Fen(4_000));
    // In the app a clerk's daily report holds their own shift; a supervisor's the whole desk.
    let text = pdftotext(&desk.daily_report_file("2026-03-02").unwrap());
    assert!(
        text.contains("收款员 周燕") && !text.contains("收款员 刘敏"),
        "{text}"
    );
    assert!(text.contains("本人合计"));
    desk.logout().unwrap();
    login(&mut desk, "supervisor");
    let text = pdftotext(&desk.daily_report_file("2026-03-02").unwrap());
    assert!(
        text.contains("收款员 周燕")
            && text.contains("收款员 刘敏")
            && text.contains("全挂号处合计")
    );
    assert_verified(desk.connection());
}

#[test]
fn a_shift_left_open_overnight_is_flagged_and_must_be_closed_or_continued_with_approval() {
    let dir = temp();
    let clock = test_clock!();
    let mut desk = desk(&dir, &clock);
    login(&mut desk, "clerk");
    desk.shift_open(&float()).unwrap();
    let p = patient(&mut desk, "张三", "13800138000");
    register(&mut desk, p, "普通号", vec![line("cash", "", "")]);
    desk.logout().unwrap();
    clock.advance(DAY);
    login(&mut desk, "clerk");
    assert!(desk.status().stale_shift, "flagged at the next login");
    let t = type_id(&mut desk, "普通号");
    let doctor = desk
        .duty_today(None)
        .unwrap()
        .into_iter()
        .find(|d| d.session == Session::Am)
        .unwrap();
    let input = RegisterInput {
        choice: Choice {
            patient_id: p,
            doctor_id: Some(doctor.doctor_id),
            registration_type_id: Some(t),
            ..Default::default()
        },
        payments: vec![line("cash", "", "")],
        ..Default::default()
    };
    assert_eq!(code(desk.register(&input)), "shift_stale");
    assert_eq!(
        code(desk.shift_continue("guide", "guide1234")),
        "approver_not_supervisor"
    );
    desk.shift_continue("supervisor", "supervisor1234").unwrap();
    assert!(!desk.status().stale_shift);
    desk.register(&input).unwrap();
    assert_verified(desk.connection());
}

#[test]
fn a_shift_with_an_unpaid_registration_cannot_close() {
    let dir = temp();
    let clock = test_clock!();
    let mut desk = desk(&dir, &clock);
    login(&mut desk, "clerk");
    desk.shift_open(&float()).unwrap();
    let p = patient(&mut desk, "张三", "13800138000");
    let reg = register(&mut desk, p, "普通号", vec![line("cash", "", "")]);
    // The desk never writes one, but an old system's import or a half-finished repair could.
    sql_tool(&db_path(&dir))
        .run(&format!(
            "INSERT INTO registration (patient_id, duty_id, doctor_id, department_id, date, session, queue_no, visit_kind,
                 registration_type_id, fee_fen, due_fen, status, clerk_id, shift_id, created_at)
             SELECT patient_id, duty_id, doctor_id, department_id, date, session, queue_no + 1, visit_kind,
                 registration_type_id, fee_fen, due_fen, 'waiting', clerk_id, shift_id, created_at
             FROM registration WHERE id = {}",
            reg.0
        ))
        .unwrap();
    let r = desk.close_shift(&CloseInput {
        cash_counts: counts_for(21_000),
        received_by: "孙会计".into(),
        ..Default::default()
    });
    let e = r.unwrap_err();
    assert_eq!(e.code(), "unpaid_registrations");
    assert_desk_sentence(&e);
}

#[test]
fn a_large_difference_needs_a_supervisors_sign_off() {
    let dir = temp();
    let clock = test_clock!();
    let mut desk = desk(&dir, &clock);
    login(&mut desk, "clerk");
    desk.shift_open(&float()).unwrap();
    let p = patient(&mut desk, "张三", "13800138000");
    register(&mut desk, p, "特需号", vec![line("alipay", "", "")]);
    let input = CloseInput {
        cash_counts: counts_for(20_000),
        counted: slips(&[("alipay", "80")]),
        explanation: "支付宝结算单少一笔，待查".into(),
        received_by: "孙会计".into(),
        ..Default::default()
    };
    assert_eq!(code(desk.close_shift(&input)), "close_approval_needed");
    assert_eq!(
        code(desk.close_shift(&CloseInput {
            counted: slips(&[]),
            ..input.clone()
        })),
        "count_missing"
    );
    assert_eq!(
        code(desk.close_shift(&CloseInput {
            approver_username: "supervisor".into(),
            approver_password: "nope-nope".into(),
            ..input.clone()
        })),
        "bad_credentials"
    );
    desk.close_shift(&CloseInput {
        approver_username: "supervisor".into(),
        approver_password: "supervisor1234".into(),
        ..input
    })
    .unwrap();
    // History: the clerk sees their own; the supervisor sees every cashier's differences.
    let mine = desk
        .close_history(false, "2026-03-01", "2026-03-31")
        .unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].approved_by.as_deref(), Some("赵丽"));
    let alipay = mine[0].lines.iter().find(|l| l.method == "alipay").unwrap();
    assert_eq!(alipay.difference_fen, Some(Fen(-2_000)));
    assert_eq!(
        code(desk.close_history(true, "2026-03-01", "2026-03-31")),
        "forbidden"
    );
    desk.logout().unwrap();
    login(&mut desk, "supervisor");
    assert_eq!(
        desk.close_history(true, "2026-03-01", "2026-03-31")
            .unwrap()
            .len(),
        1
    );
    assert_verified(desk.connection());
}

#[test]
fn the_close_history_finds_a_days_closes_by_their_time_however_many_came_before() {
    // The history used to read the newest thousand shifts and filter them by date: a busy
    // day's thousand-and-first close was never listed. It is found by its time now.
    let dir = temp();
    let clock = test_clock!();
    let mut desk = desk(&dir, &clock);
    desk.set_idle_seconds_override(Some(7 * 86_400));
    login(&mut desk, "clerk");
    let close = CloseInput {
        cash_counts: float(),
        received_by: "孙会计".into(),
        ..Default::default()
    };
    for _ in 0..1001 {
        desk.shift_open(&float()).unwrap();
        desk.close_shift(&close).unwrap();
        clock.advance(30 * SECOND);
    }
    // The next day's shift is not the Monday's.
    clock.advance(DAY);
    desk.shift_open(&float()).unwrap();
    desk.close_shift(&close).unwrap();
    let monday = desk
        .close_history(false, "2026-03-02", "2026-03-02")
        .unwrap();
    assert_eq!(monday.len(), 1001);
    assert!(monday.iter().all(|c| c.shift.business_date == "2026-03-02"));
    assert!(
        monday
            .windows(2)
            .all(|w| w[0].shift.opened_at > w[1].shift.opened_at),
        "newest first"
    );
    assert_eq!(
        desk.close_history(false, "2026-03-03", "2026-03-03")
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        desk.close_history(false, "2026-03-01", "2026-03-01")
            .unwrap()
            .len(),
        0
    );
}
