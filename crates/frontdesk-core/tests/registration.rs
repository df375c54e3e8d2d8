//! 挂号 through the desk, as the registration screen drives it, on real files: shifts, the
//! proposed doctor, capacity, queue numbers under concurrency, payments, receipts, 退号, 换号,
//! appointments and the waiting room.

#[macro_use]
mod common;

use common::*;
use frontdesk_core::clock::Session;
use frontdesk_core::ids::{DepartmentId, DoctorId, PatientId, RegistrationId, RegistrationTypeId};
use frontdesk_core::money::Fen;
use frontdesk_core::registration::{
    BookInput, CancelInput, ChangeInput, Choice, DutyOption, PaymentInput, RegStatus,
    RegisterInput, DENOMINATIONS,
};
use frontdesk_core::staff::StaffInput;
use frontdesk_core::Desk;
use serde_json::json;

fn dept(desk: &mut Desk, name: &str) -> DepartmentId {
    DepartmentId(reference_id(desk, "department", name))
}

fn on_duty_in(desk: &mut Desk, department: &str) -> Vec<DutyOption> {
    desk.duty_today(Some("am"))
        .unwrap()
        .into_iter()
        .filter(|d| d.department_name == department)
        .collect()
}

fn cash(tendered: &str) -> Vec<PaymentInput> {
    vec![PaymentInput {
        method: "cash".into(),
        amount: String::new(),
        tendered: tendered.into(),
    }]
}

fn register_to(
    desk: &mut Desk,
    patient_id: PatientId,
    department: DepartmentId,
    kind: &str,
) -> frontdesk_core::registration::Registered {
    let t = type_id(desk, kind);
    desk.register(&RegisterInput {
        choice: Choice {
            patient_id,
            department_id: Some(department),
            registration_type_id: Some(t),
            ..Default::default()
        },
        chief_complaint: "头痛三天".into(),
        payments: cash(""),
        ..Default::default()
    })
    .unwrap()
}

/// A clerk signed in with an open shift on a fresh demo hospital, Monday morning.
fn clerk_desk(dir: &tempfile::TempDir, clock: &Clock) -> Desk {
    let mut desk = desk(dir, clock);
    login(&mut desk, "clerk");
    desk.shift_open(&float()).unwrap();
    desk
}

#[test]
fn no_payment_without_an_open_shift_and_the_float_is_counted_by_denomination() {
    let dir = temp();
    let clock = test_clock!();
    let mut desk = desk(&dir, &clock);
    login(&mut desk, "clerk");
    let p = patient(&mut desk, "张三", "13800138000");
    let d = dept(&mut desk, "神经内科");
    let t = type_id(&mut desk, "普通号");
    let input = RegisterInput {
        choice: Choice {
            patient_id: p,
            department_id: Some(d),
            registration_type_id: Some(t),
            ..Default::default()
        },
        payments: cash("20"),
        ..Default::default()
    };
    assert_eq!(code(desk.register(&input)), "no_open_shift");
    assert_eq!(code(desk.shift_open(&[1, 2])), "invalid");
    let mut counts = vec![0; DENOMINATIONS.len()];
    counts[0] = 1; // 100
    counts[3] = 5; // 10
    counts[7] = 3; // 1角
    let shift = desk.shift_open(&counts).unwrap();
    assert_eq!(shift.float_fen, Fen(15_030));
    assert_eq!(code(desk.shift_open(&counts)), "shift_already_open");
    desk.register(&input).unwrap();
    assert_verified(desk.connection());
}

#[test]
fn a_new_patient_is_registered_paid_in_cash_with_change_and_gets_a_receipt() {
    let dir = temp();
    let clock = test_clock!();
    let mut desk = clerk_desk(&dir, &clock);
    let p = patient(&mut desk, "张三", "13800138000");
    let d = dept(&mut desk, "神经内科");
    let t = type_id(&mut desk, "专家号");
    let quote = desk
        .registration_quote(&Choice {
            patient_id: p,
            department_id: Some(d),
            registration_type_id: Some(t),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(quote.visit_kind, "first");
    assert_eq!(quote.due_fen, Fen(2500));
    let done = desk
        .register(&RegisterInput {
            choice: Choice {
                patient_id: p,
                department_id: Some(d),
                registration_type_id: Some(t),
                ..Default::default()
            },
            chief_complaint: "头痛三天".into(),
            payments: cash("30"),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(done.queue_no, 1);
    assert_eq!(done.change_fen, Fen(500));
    let number = done.receipt_number.clone().unwrap();
    assert_eq!(number, "01-00000001");
    let shift = desk.shift_current().unwrap().unwrap();
    assert_eq!(shift.registrations, 1);
    assert_eq!(
        shift.takings_fen,
        Fen(2500),
        "tendered cash never inflates takings"
    );

    let file = desk.receipt_file(done.receipt_id.unwrap(), false).unwrap();
    let text = pdftotext(&file);
    for expected in [
        "示范市第一人民医院 门诊挂号收据",
        "张三",
        "神经内科",
        &quote.duty.doctor_name,
        "专家号（初诊）",
        "1号",
        "¥25.00",
        "实收",
        "¥30.00",
        "找零",
        "¥5.00",
        &number,
        "刘敏",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from the receipt:\n{text}"
        );
    }
    assert!(!text.contains("重打"));
    if let Some(dir) = std::env::var_os("FRONTDESK_KEEP_RECEIPT") {
        std::fs::copy(&file, std::path::Path::new(&dir).join("receipt.pdf")).unwrap();
    }
    let again = desk.receipt_file(done.receipt_id.unwrap(), true).unwrap();
    assert!(pdftotext(&again).contains("重打"));
    let again = desk.receipt_file(done.receipt_id.unwrap(), true).unwrap();
    assert!(
        again.display().to_string().ends_with("-重打2.pdf"),
        "the second reprint is counted: {}",
        again.display()
    );
    assert_verified(desk.connection());
}

#[test]
fn a_return_patient_is_a_return_visit_and_gets_the_last_doctor_when_on_duty() {
    let dir = temp();
    let clock = test_clock!();
    let mut desk = clerk_desk(&dir, &clock);
    let p = patient(&mut desk, "李四", "13900139000");
    let d = dept(&mut desk, "心血管内科");
    let first = register_to(&mut desk, p, d, "普通号");
    assert_eq!(first.visit_kind, "first");
    let doctors = on_duty_in(&mut desk, "心血管内科");
    let last = doctors
        .iter()
        .find(|x| x.registered == 1)
        .unwrap()
        .doctor_id;
    // Another patient makes the last doctor's queue longer: the return patient still gets them.
    let other = patient(&mut desk, "王五", "13700137000");
    let t = type_id(&mut desk, "普通号");
    desk.register(&RegisterInput {
        choice: Choice {
            patient_id: other,
            doctor_id: Some(last),
            registration_type_id: Some(t),
            ..Default::default()
        },
        payments: cash(""),
        ..Default::default()
    })
    .unwrap();
    // With no department asked for, a return patient goes to the last department.
    let quote = desk
        .registration_quote(&Choice {
            patient_id: p,
            registration_type_id: Some(t),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(quote.visit_kind, "return");
    assert_eq!(quote.duty.doctor_id, last);
    assert!(quote.last_doctor);
    // A first visitor to the department gets the shortest queue instead.
    let newcomer = patient(&mut desk, "赵六", "13600136000");
    let quote = desk
        .registration_quote(&Choice {
            patient_id: newcomer,
            department_id: Some(d),
            registration_type_id: Some(t),
            ..Default::default()
        })
        .unwrap();
    let shortest = doctors.iter().map(|_| ()).count();
    assert!(shortest >= 2, "the demo has several doctors on duty");
    assert_ne!(
        quote.duty.doctor_id, last,
        "not the doctor with two waiting"
    );
    assert_eq!(quote.duty.waiting, 0);
}

#[test]
fn a_doctor_not_on_duty_is_refused_with_a_clear_message_naming_the_next_duty() {
    let dir = temp();
    let clock = test_clock!();
    let mut desk = clerk_desk(&dir, &clock);
    let p = patient(&mut desk, "张三", "13800138000");
    let am: Vec<DoctorId> = desk
        .duty_today(Some("am"))
        .unwrap()
        .iter()
        .map(|d| d.doctor_id)
        .collect();
    let pm_only = desk
        .duty_today(Some("pm"))
        .unwrap()
        .into_iter()
        .find(|d| !am.contains(&d.doctor_id))
        .expect("a doctor who works only this afternoon");
    let t = type_id(&mut desk, "普通号");
    let asked = Choice {
        patient_id: p,
        doctor_id: Some(pm_only.doctor_id),
        session: Some("am".into()),
        registration_type_id: Some(t),
        ..Default::default()
    };
    let e = desk.registration_quote(&asked).unwrap_err();
    assert_eq!(e.code(), "doctor_off_duty");
    let msg = e.message(frontdesk_core::Lang::Zh);
    assert!(
        msg.contains(&pm_only.doctor_name) && msg.contains("上午不出诊"),
        "{msg}"
    );
    assert!(msg.contains("下次出诊"), "{msg}");
    assert_desk_sentence(&e);
    let before = audit_count(desk.connection());
    let r = desk.register(&RegisterInput {
        choice: asked.clone(),
        payments: cash(""),
        ..Default::default()
    });
    assert_eq!(code(r), "doctor_off_duty");
    assert_eq!(audit_count(desk.connection()), before, "nothing written");
    // The same doctor this afternoon is fine.
    let ok = desk
        .registration_quote(&Choice {
            session: Some("pm".into()),
            ..asked
        })
        .unwrap();
    assert_eq!(ok.duty.doctor_id, pm_only.doctor_id);
}

#[test]
fn a_full_session_refuses_and_a_cancellation_frees_the_place() {
    let dir = temp();
    let clock = test_clock!();
    let mut desk = desk(&dir, &clock);
    login(&mut desk, "admin");
    let slot = desk.duty_today(None).err();
    assert!(slot.is_some(), "the administrator does not register");
    desk.logout().unwrap();
    login(&mut desk, "clerk");
    let doctor = desk.duty_today(Some("am")).unwrap()[0].clone();
    desk.logout().unwrap();
    login(&mut desk, "head");
    desk.reference_save(
        "duty",
        &json!({"id": doctor.duty_id, "date": doctor.date, "session": "am", "doctor_id": doctor.doctor_id, "capacity": 2}),
    )
    .unwrap();
    desk.logout().unwrap();
    login(&mut desk, "clerk");
    desk.shift_open(&float()).unwrap();
    let t = type_id(&mut desk, "普通号");
    let mut regs = Vec::new();
    for (name, phone) in [
        ("甲一", "13000000001"),
        ("乙二", "13000000002"),
        ("丙三", "13000000003"),
    ] {
        let p = patient(&mut desk, name, phone);
        regs.push(desk.register(&RegisterInput {
            choice: Choice {
                patient_id: p,
                doctor_id: Some(doctor.doctor_id),
                registration_type_id: Some(t),
                ..Default::default()
            },
            payments: cash(""),
            ..Default::default()
        }));
    }
    assert!(regs[0].is_ok() && regs[1].is_ok());
    assert_eq!(
        regs[2].as_ref().err().map(|e| e.code()),
        Some("session_full")
    );
    let first = regs[0].as_ref().unwrap().registration_id;
    desk.registration_cancel(&CancelInput {
        registration_id: first,
        reason: "病人临时有事".into(),
        ..Default::default()
    })
    .unwrap();
    let p = patient(&mut desk, "丁四", "13000000004");
    let again = desk
        .register(&RegisterInput {
            choice: Choice {
                patient_id: p,
                doctor_id: Some(doctor.doctor_id),
                registration_type_id: Some(t),
                ..Default::default()
            },
            payments: cash(""),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        again.queue_no, 3,
        "numbers are never reused: nobody waiting is overtaken"
    );
}

#[test]
fn queue_numbers_are_unique_and_gapless_when_several_desks_register_at_once() {
    let dir = temp();
    let clock = test_clock!();
    let path = db_path(&dir);
    let mut admin = desk(&dir, &clock);
    login(&mut admin, "admin");
    for i in 0..4 {
        admin
            .staff_save(&StaffInput {
                username: format!("desk{i}"),
                display_name: format!("窗口{i}"),
                role: "clerk".into(),
                password: "clerk1234".into(),
                active: true,
                ..Default::default()
            })
            .unwrap();
    }
    drop(admin);
    let mut setup = Desk::open_demo_with_clock(&path, clock.read).unwrap();
    login(&mut setup, "clerk");
    let doctor = setup.duty_today(Some("am")).unwrap()[0].clone();
    let t = type_id(&mut setup, "普通号");
    setup.logout().unwrap();
    login(&mut setup, "head");
    setup
        .reference_save(
            "duty",
            &json!({"id": doctor.duty_id, "date": doctor.date, "session": "am", "doctor_id": doctor.doctor_id, "capacity": 60}),
        )
        .unwrap();
    setup.logout().unwrap();
    login(&mut setup, "clerk");
    let patients: Vec<PatientId> = (0..40)
        .map(|i| {
            patient(
                &mut setup,
                &format!(
                    "患者{}",
                    "甲乙丙丁戊己庚辛壬癸".chars().nth(i % 10).unwrap()
                ),
                &format!("1390000{i:04}"),
            )
        })
        .collect();
    drop(setup);
    let read = clock.read;
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let path = path.clone();
            let mine: Vec<PatientId> = patients.iter().skip(i).step_by(4).copied().collect();
            let doctor_id = doctor.doctor_id;
            std::thread::spawn(move || {
                let mut desk = Desk::open_demo_with_clock(&path, read).unwrap();
                desk.set_desk_code(&format!("0{}", i + 1)).unwrap();
                desk.login(&format!("desk{i}"), "clerk1234").unwrap();
                desk.shift_open(&float()).unwrap();
                let mut got = Vec::new();
                for p in mine {
                    got.push(
                        desk.register(&RegisterInput {
                            choice: Choice {
                                patient_id: p,
                                doctor_id: Some(doctor_id),
                                registration_type_id: Some(t),
                                ..Default::default()
                            },
                            payments: cash(""),
                            ..Default::default()
                        })
                        .unwrap()
                        .queue_no,
                    );
                }
                got
            })
        })
        .collect();
    let mut all: Vec<i64> = handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    all.sort_unstable();
    assert_eq!(all, (1..=40).collect::<Vec<_>>());
    let check = Desk::open_demo_with_clock(&path, read).unwrap();
    let receipts: Vec<(String, i64)> = check
        .connection()
        .all(
            "SELECT desk, count(*) FROM receipt GROUP BY desk ORDER BY desk",
            &[],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        receipts,
        vec![
            ("01".into(), 10),
            ("02".into(), 10),
            ("03".into(), 10),
            ("04".into(), 10)
        ]
    );
    assert_verified(check.connection());
}

#[test]
fn payments_must_add_up_and_a_mixed_payment_splits_by_method() {
    let dir = temp();
    let clock = test_clock!();
    let mut desk = clerk_desk(&dir, &clock);
    let p = patient(&mut desk, "张三", "13800138000");
    let d = dept(&mut desk, "神经内科");
    let t = type_id(&mut desk, "特需号");
    let base = RegisterInput {
        choice: Choice {
            patient_id: p,
            department_id: Some(d),
            registration_type_id: Some(t),
            ..Default::default()
        },
        ..Default::default()
    };
    let line = |m: &str, a: &str, t: &str| PaymentInput {
        method: m.into(),
        amount: a.into(),
        tendered: t.into(),
    };
    let before = dump_all(desk.connection());
    for (payments, expected) in [
        (vec![], "invalid"),
        (vec![line("cash", "50", "50")], "payments_dont_add_up"),
        (vec![line("cash", "", "80")], "tendered_short"),
        (vec![line("bitcoin", "", "")], "invalid"),
        (
            vec![line("cash", "50", "50"), line("cash", "50", "50")],
            "invalid",
        ),
        (vec![line("cash", "abc", "")], "invalid"),
        (
            vec![line("wechat", "60", ""), line("cash", "50", "100")],
            "payments_dont_add_up",
        ),
    ] {
        let r = desk.register(&RegisterInput {
            payments,
            ..base.clone()
        });
        let got = code(r);
        assert_eq!(got, expected);
    }
    assert_eq!(
        dump_all(desk.connection()),
        before,
        "refused payments write nothing"
    );
    let done = desk
        .register(&RegisterInput {
            payments: vec![line("wechat", "60", ""), line("cash", "40", "50")],
            ..base
        })
        .unwrap();
    assert_eq!(done.change_fen, Fen(1000));
    let lines: Vec<(String, i64)> = desk
        .connection()
        .all(
            "SELECT method, amount_fen FROM ledger WHERE registration_id = ?1 ORDER BY id",
            &[&done.registration_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(lines, vec![("wechat".into(), 6000), ("cash".into(), 4000)]);
}

#[test]
fn cancelling_refunds_by_the_original_methods_voids_the_receipt_and_needs_approval_above_the_threshold(
) {
    let dir = temp();
    let clock = test_clock!();
    let mut desk = clerk_desk(&dir, &clock);
    let p = patient(&mut desk, "张三", "13800138000");
    let d = dept(&mut desk, "神经内科");
    let small = register_to(&mut desk, p, d, "专家号");
    assert_eq!(
        code(desk.registration_cancel(&CancelInput {
            registration_id: small.registration_id,
            reason: "  ".into(),
            ..Default::default()
        })),
        "invalid"
    );
    let done = desk
        .registration_cancel(&CancelInput {
            registration_id: small.registration_id,
            reason: "挂错科室".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(done.refunded_fen, Fen(2500));
    let (refund, reverses): (i64, i64) = desk
        .connection()
        .row(
            "SELECT amount_fen, reverses_id FROM ledger WHERE registration_id = ?1 AND kind = 'refund'",
            &[&small.registration_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(refund, -2500);
    let original: i64 = desk
        .connection()
        .value(
            "SELECT id FROM ledger WHERE registration_id = ?1 AND kind = 'payment'",
            &[&small.registration_id],
        )
        .unwrap();
    assert_eq!(reverses, original);
    let voided: Option<String> = desk
        .connection()
        .value(
            "SELECT void_reason FROM receipt WHERE id = ?1",
            &[&small.receipt_id.unwrap()],
        )
        .unwrap();
    assert_eq!(voided.as_deref(), Some("退号：挂错科室"));
    assert_eq!(desk.shift_current().unwrap().unwrap().takings_fen, Fen(0));
    assert_eq!(
        code(desk.registration_cancel(&CancelInput {
            registration_id: small.registration_id,
            reason: "again".into(),
            ..Default::default()
        })),
        "not_waiting"
    );

    // ¥100 is above the ¥50 threshold: a supervisor approves on the spot.
    let big = register_to(&mut desk, p, d, "特需号");
    let ask = |who: &str, pw: &str| CancelInput {
        registration_id: big.registration_id,
        reason: "医生停诊".into(),
        approver_username: who.into(),
        approver_password: pw.into(),
    };
    assert_eq!(
        code(desk.registration_cancel(&ask("", ""))),
        "approval_needed"
    );
    assert_eq!(
        code(desk.registration_cancel(&ask("supervisor", "wrong-pass"))),
        "bad_credentials"
    );
    assert_eq!(
        code(desk.registration_cancel(&ask("guide", "guide1234"))),
        "approver_not_supervisor"
    );
    let ok = desk
        .registration_cancel(&ask("supervisor", "supervisor1234"))
        .unwrap();
    assert_eq!(ok.refunded_fen, Fen(10_000));
    assert_eq!(
        last_action(desk.connection()),
        "registration.cancel_approved"
    );

    // Seen patients cannot be cancelled.
    let seen = register_to(&mut desk, p, d, "普通号");
    desk.mark_seen(seen.registration_id).unwrap();
    assert_eq!(
        code(desk.registration_cancel(&CancelInput {
            registration_id: seen.registration_id,
            reason: "病人临时有事".into(),
            ..Default::default()
        })),
        "not_waiting"
    );
    // The ledger cannot be rewritten, even with a SQL tool.
    let tool = sql_tool(&db_path(&dir));
    for sql in ["UPDATE ledger SET amount_fen = 1", "DELETE FROM ledger"] {
        assert_eq!(refused(tool.run(sql)), "ledger is append-only", "{sql}");
    }
    assert_verified(desk.connection());
}

#[test]
fn changing_to_another_doctor_ends_the_old_registration_and_settles_the_difference() {
    let dir = temp();
    let clock = test_clock!();
    let mut desk = clerk_desk(&dir, &clock);
    let p = patient(&mut desk, "张三", "13800138000");
    let d = dept(&mut desk, "神经内科");
    let first = register_to(&mut desk, p, d, "普通号");
    let other = on_duty_in(&mut desk, "心血管内科")[0].clone();
    let t = type_id(&mut desk, "专家号");
    let change = ChangeInput {
        registration_id: first.registration_id,
        doctor_id: Some(other.doctor_id),
        registration_type_id: Some(t),
        reason: "挂错科室".into(),
        ..Default::default()
    };
    assert_eq!(
        code(desk.registration_change(&change)),
        "invalid",
        "¥15 more needs paying"
    );
    let changed = desk
        .registration_change(&ChangeInput {
            payments: cash("20"),
            ..change
        })
        .unwrap();
    assert_eq!(changed.due_fen, Fen(1500));
    assert_eq!(changed.change_fen, Fen(500));
    let regs = desk.registrations(Some(p)).unwrap();
    let old = regs.iter().find(|r| r.id == first.registration_id).unwrap();
    let new = regs
        .iter()
        .find(|r| r.id == changed.registration_id)
        .unwrap();
    assert_eq!(old.status, RegStatus::Changed);
    assert_eq!(new.status, RegStatus::Waiting);
    assert_eq!(new.doctor_name, other.doctor_name);
    assert_eq!(
        desk.shift_current().unwrap().unwrap().takings_fen,
        Fen(2500)
    );
    let logged = frontdesk_core::audit::list_entries(desk.connection(), Some("registration"), 100)
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "registration.change")
        .count();
    assert_eq!(logged, 1);
    // Back to a cheaper type: the difference is refunded by the original method.
    let ordinary = type_id(&mut desk, "普通号");
    let cheaper = desk
        .registration_change(&ChangeInput {
            registration_id: changed.registration_id,
            department_id: Some(d),
            registration_type_id: Some(ordinary),
            reason: "患者要求".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(cheaper.due_fen, Fen(-1500));
    assert_eq!(
        desk.shift_current().unwrap().unwrap().takings_fen,
        Fen(1000)
    );
    assert_verified(desk.connection());
}

#[test]
fn an_appointment_checks_in_with_the_booked_doctor_and_unknown_numbers_are_explained() {
    let dir = temp();
    let clock = test_clock!();
    let mut desk = clerk_desk(&dir, &clock);
    let p = patient(&mut desk, "张三", "13800138000");
    let pm = desk.duty_today(Some("pm")).unwrap()[0].clone();
    let booked = desk
        .appointment_book(&BookInput {
            patient_id: p,
            doctor_id: pm.doctor_id,
            date: pm.date.clone(),
            session: "pm".into(),
            channel: "phone".into(),
        })
        .unwrap();
    assert!(booked.number.starts_with('Y'));
    let t = type_id(&mut desk, "普通号");
    let unknown = desk.registration_quote(&Choice {
        patient_id: p,
        appointment_no: Some("Y9999999".into()),
        registration_type_id: Some(t),
        ..Default::default()
    });
    let e = unknown.unwrap_err();
    assert_eq!(e.code(), "appointment_unknown");
    assert!(e.message(frontdesk_core::Lang::Zh).contains("Y9999999"));
    let done = desk
        .register(&RegisterInput {
            choice: Choice {
                patient_id: p,
                appointment_no: Some(booked.number.clone()),
                registration_type_id: Some(t),
                ..Default::default()
            },
            payments: cash(""),
            ..Default::default()
        })
        .unwrap();
    let reg = desk.registrations(Some(p)).unwrap();
    assert_eq!(reg[0].id, done.registration_id);
    assert_eq!(reg[0].doctor_name, pm.doctor_name);
    assert_eq!(reg[0].session, Session::Pm);
    let again = desk.registration_quote(&Choice {
        patient_id: p,
        appointment_no: Some(booked.number.clone()),
        registration_type_id: Some(t),
        ..Default::default()
    });
    assert_eq!(code(again), "appointment_used");

    // A booking for this morning not checked in is a no-show once the morning is over.
    let other = patient(&mut desk, "李四", "13900139000");
    let am = desk.duty_today(Some("am")).unwrap()[0].clone();
    desk.appointment_book(&BookInput {
        patient_id: other,
        doctor_id: am.doctor_id,
        date: am.date.clone(),
        session: "am".into(),
        channel: "online".into(),
    })
    .unwrap();
    assert!(desk.appointments(true).unwrap().is_empty());
    clock.advance(5 * HOUR); // 14:00
    desk.unlock(password("clerk")).unwrap();
    let no_shows = desk.appointments(true).unwrap();
    assert_eq!(no_shows.len(), 1);
    assert_eq!(no_shows[0].patient_name, "李四");
}

#[test]
fn the_waiting_room_counts_and_alerts_and_doctor_figures_stay_with_supervisors() {
    let dir = temp();
    let clock = test_clock!();
    let mut desk = clerk_desk(&dir, &clock);
    let doctor = desk.duty_today(Some("am")).unwrap()[0].clone();
    let t = type_id(&mut desk, "普通号");
    let mut ids = Vec::new();
    for i in 0..10 {
        let p = patient(
            &mut desk,
            &format!("候诊{}", "甲乙丙丁戊己庚辛壬癸".chars().nth(i).unwrap()),
            &format!("1350000{i:04}"),
        );
        ids.push(
            desk.register(&RegisterInput {
                choice: Choice {
                    patient_id: p,
                    doctor_id: Some(doctor.doctor_id),
                    registration_type_id: Some(t),
                    ..Default::default()
                },
                payments: cash(""),
                ..Default::default()
            })
            .unwrap()
            .registration_id,
        );
    }
    desk.mark_seen(ids[0]).unwrap();
    assert_eq!(code(desk.mark_seen(ids[0])), "not_waiting");
    let room = desk.waiting_room().unwrap();
    let q = room.iter().find(|q| q.duty_id == doctor.duty_id).unwrap();
    assert_eq!((q.waiting, q.seen), (9, 1));
    assert!(q.alert, "more than 8 waiting");
    assert!(
        q.patients.iter().all(|p| p.patient_name.contains('*')),
        "names masked"
    );
    assert_eq!(code(desk.doctor_stats()), "forbidden");
    assert!(
        desk.status().waiting_alerts.is_empty(),
        "a clerk sees no alert"
    );
    desk.logout().unwrap();
    login(&mut desk, "supervisor");
    assert_eq!(desk.status().waiting_alerts.len(), 1);
    let stats = desk.doctor_stats().unwrap();
    let s = stats
        .iter()
        .find(|s| s.doctor_id == doctor.doctor_id)
        .unwrap();
    assert_eq!((s.registrations, s.revenue_fen), (10, Fen(10_000)));
}

#[test]
fn promotion_codes_price_the_registration_and_count_their_uses() {
    let dir = temp();
    let clock = test_clock!();
    let mut desk = clerk_desk(&dir, &clock);
    let p = patient(&mut desk, "张三", "13800138000");
    let d = dept(&mut desk, "神经内科");
    let t = type_id(&mut desk, "专家号");
    let with = |code: &str| Choice {
        patient_id: p,
        department_id: Some(d),
        registration_type_id: Some(t),
        promotion_code: Some(code.into()),
        ..Default::default()
    };
    let q = desk.registration_quote(&with("NEW80")).unwrap();
    assert_eq!(
        (q.fee_fen, q.discount_fen, q.due_fen),
        (Fen(2500), Fen(500), Fen(2000))
    );
    assert_eq!(
        desk.registration_quote(&with("FREE1")).unwrap().due_fen,
        Fen(0)
    );
    assert_eq!(code(desk.registration_quote(&with("NOPE"))), "invalid");
    // A free registration needs no payment lines and still gets its receipt.
    let free = desk
        .register(&RegisterInput {
            choice: with("FREE1"),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(free.due_fen, Fen(0));
    assert!(free.receipt_number.is_some());
    assert_eq!(
        reference_record(&mut desk, "promotion", "code", "FREE1")["uses"],
        1
    );
    // Ended yesterday: the department head shortens it, and the desk refuses it.
    desk.logout().unwrap();
    login(&mut desk, "head");
    let mut free1 = reference_record(&mut desk, "promotion", "code", "FREE1");
    free1["valid_from"] = json!("2026-02-01");
    free1["valid_to"] = json!("2026-03-01");
    desk.reference_save("promotion", &free1).unwrap();
    desk.logout().unwrap();
    login(&mut desk, "clerk");
    assert_eq!(
        code(desk.registration_quote(&with("FREE1"))),
        "promotion_not_valid"
    );
    assert_verified(desk.connection());
}

#[test]
fn cancelling_after_a_change_refunds_everything_paid_along_the_way() {
    let dir = temp();
    let clock = test_clock!();
    let mut desk = clerk_desk(&dir, &clock);
    let p = patient(&mut desk, "张三", "13800138000");
    let d = dept(&mut desk, "神经内科");
    let first = register_to(&mut desk, p, d, "普通号");
    let other = on_duty_in(&mut desk, "心血管内科")[0].clone();
    let expert = type_id(&mut desk, "专家号");
    let changed = desk
        .registration_change(&ChangeInput {
            registration_id: first.registration_id,
            doctor_id: Some(other.doctor_id),
            registration_type_id: Some(expert),
            reason: "挂错科室".into(),
            payments: vec![PaymentInput {
                method: "wechat".into(),
                amount: String::new(),
                tendered: String::new(),
            }],
            ..Default::default()
        })
        .unwrap();
    let done = desk
        .registration_cancel(&CancelInput {
            registration_id: changed.registration_id,
            reason: "病人临时有事".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        done.refunded_fen,
        Fen(2500),
        "¥10 cash for the first, ¥15 WeChat for the change"
    );
    let mut refunds = done.refunds.clone();
    refunds.sort();
    assert_eq!(
        refunds,
        vec![
            ("cash".to_string(), Fen(1000)),
            ("wechat".to_string(), Fen(1500))
        ]
    );
    assert_eq!(desk.shift_current().unwrap().unwrap().takings_fen, Fen(0));
    assert_verified(desk.connection());
}

#[test]
fn search_shows_the_last_visit_and_a_refreshing_screen_does_not_keep_the_desk_unlocked() {
    let dir = temp();
    let clock = test_clock!();
    let mut desk = clerk_desk(&dir, &clock);
    let p = patient(&mut desk, "张三", "13800138000");
    let d = dept(&mut desk, "神经内科");
    register_to(&mut desk, p, d, "普通号");
    let hits = desk.patient_search("8000").unwrap();
    let hit = hits.iter().find(|h| h.id == p).unwrap();
    assert_eq!(hit.last_department.as_deref(), Some("神经内科"));
    assert_eq!(hit.last_complaint.as_deref(), Some("头痛三天"));
    // The waiting room refreshes every few seconds; that is not the clerk being there.
    for _ in 0..12 {
        clock.advance(MINUTE);
        let _ = desk.waiting_room();
        let _ = desk.shift_current();
    }
    assert_eq!(code(desk.waiting_room()), "screen_locked");
    desk.unlock(password("clerk")).unwrap();
    assert!(desk.waiting_room().is_ok());
}

#[test]
fn bad_input_to_every_desk_command_is_refused_in_chinese_and_changes_nothing() {
    use frontdesk_core::cash::CloseInput;
    let dir = temp();
    let clock = test_clock!();
    let mut desk = clerk_desk(&dir, &clock);
    let p = patient(&mut desk, "张三", "13800138000");
    let d = dept(&mut desk, "神经内科");
    let t = type_id(&mut desk, "普通号");
    let reg = register_to(&mut desk, p, d, "普通号").registration_id;
    let doctor = on_duty_in(&mut desk, "神经内科")[0].clone();
    let ok = Choice {
        patient_id: p,
        department_id: Some(d),
        registration_type_id: Some(t),
        ..Default::default()
    };
    let with = |c: Choice| RegisterInput {
        choice: c,
        payments: cash(""),
        ..Default::default()
    };
    let before = dump_all(desk.connection());
    let audit_before = audit_count(desk.connection());
    let mut errors: Vec<(String, frontdesk_core::Error)> = Vec::new();
    // Each case is refused with its own code, beside its own field when it has one.
    let mut expect = |what: &str,
                      (want_code, want_field): (&str, Option<&str>),
                      r: Result<(), frontdesk_core::Error>| match r {
        Ok(()) => panic!("{what}: accepted"),
        Err(e) => {
            assert_eq!(
                (e.code(), e.field()),
                (want_code, want_field),
                "{what}: {e:?}"
            );
            errors.push((what.to_string(), e))
        }
    };
    expect(
        "unknown patient",
        ("invalid", Some("patient_id")),
        desk.register(&with(Choice {
            patient_id: PatientId(0),
            ..ok.clone()
        }))
        .map(|_| ()),
    );
    expect(
        "no type",
        ("invalid", Some("registration_type_id")),
        desk.register(&with(Choice {
            registration_type_id: None,
            ..ok.clone()
        }))
        .map(|_| ()),
    );
    expect(
        "unknown type",
        ("invalid", Some("registration_type_id")),
        desk.register(&with(Choice {
            registration_type_id: Some(RegistrationTypeId(999)),
            ..ok.clone()
        }))
        .map(|_| ()),
    );
    expect(
        "bad session",
        ("invalid", Some("session")),
        desk.register(&with(Choice {
            session: Some("noon".into()),
            ..ok.clone()
        }))
        .map(|_| ()),
    );
    expect(
        "unknown department",
        ("no_doctor_on_duty", None),
        desk.register(&with(Choice {
            department_id: Some(DepartmentId(999)),
            ..ok.clone()
        }))
        .map(|_| ()),
    );
    expect(
        "unknown promotion",
        ("invalid", Some("promotion_code")),
        desk.register(&with(Choice {
            promotion_code: Some("BAD".into()),
            ..ok.clone()
        }))
        .map(|_| ()),
    );
    expect(
        "unknown appointment",
        ("appointment_unknown", None),
        desk.register(&with(Choice {
            appointment_no: Some("Y0000000".into()),
            ..ok.clone()
        }))
        .map(|_| ()),
    );
    expect(
        "complaint too long",
        ("invalid", Some("chief_complaint")),
        desk.register(&RegisterInput {
            chief_complaint: "痛".repeat(201),
            ..with(ok.clone())
        })
        .map(|_| ()),
    );
    expect(
        "cancel without reason",
        ("invalid", Some("reason")),
        desk.registration_cancel(&CancelInput {
            registration_id: reg,
            ..Default::default()
        })
        .map(|_| ()),
    );
    expect(
        "cancel unknown",
        ("not_found", None),
        desk.registration_cancel(&CancelInput {
            registration_id: RegistrationId(99_999),
            reason: "x".into(),
            ..Default::default()
        })
        .map(|_| ()),
    );
    expect(
        "change without reason",
        ("invalid", Some("reason")),
        desk.registration_change(&ChangeInput {
            registration_id: reg,
            department_id: Some(d),
            ..Default::default()
        })
        .map(|_| ()),
    );
    expect(
        "change to nowhere",
        ("invalid", Some("department_id")),
        desk.registration_change(&ChangeInput {
            registration_id: reg,
            reason: "x".into(),
            ..Default::default()
        })
        .map(|_| ()),
    );
    let current = desk
        .registrations(None)
        .unwrap()
        .into_iter()
        .find(|r| r.id == reg)
        .unwrap()
        .doctor_id;
    expect(
        "change to the same doctor",
        ("same_doctor", None),
        desk.registration_change(&ChangeInput {
            registration_id: reg,
            doctor_id: Some(current),
            reason: "x".into(),
            ..Default::default()
        })
        .map(|_| ()),
    );
    let book = BookInput {
        patient_id: p,
        doctor_id: doctor.doctor_id,
        date: doctor.date.clone(),
        session: "am".into(),
        channel: "phone".into(),
    };
    expect(
        "book in the past",
        ("invalid", Some("date")),
        desk.appointment_book(&BookInput {
            date: "2026-03-01".into(),
            ..book.clone()
        })
        .map(|_| ()),
    );
    expect(
        "book a bad date",
        ("invalid", Some("date")),
        desk.appointment_book(&BookInput {
            date: "2026-02-30".into(),
            ..book.clone()
        })
        .map(|_| ()),
    );
    expect(
        "book a bad session",
        ("invalid", Some("session")),
        desk.appointment_book(&BookInput {
            session: "noon".into(),
            ..book.clone()
        })
        .map(|_| ()),
    );
    expect(
        "book a bad channel",
        ("invalid", Some("channel")),
        desk.appointment_book(&BookInput {
            channel: "fax".into(),
            ..book.clone()
        })
        .map(|_| ()),
    );
    expect(
        "duty of a session that does not exist",
        ("invalid", Some("session")),
        desk.duty_today(Some("noon")).map(|_| ()),
    );
    expect(
        "float miscounted",
        ("invalid", Some("float")),
        desk.shift_open(&[1, 2, 3]).map(|_| ()),
    );
    expect(
        "close with a short count list",
        ("invalid", Some("cash_counts")),
        desk.close_shift(&CloseInput {
            cash_counts: vec![1],
            received_by: "孙".into(),
            ..Default::default()
        })
        .map(|_| ()),
    );
    expect(
        "close with a slip that is not money",
        ("invalid", Some("counted")),
        desk.close_shift(&CloseInput {
            cash_counts: vec![0; DENOMINATIONS.len()],
            counted: [("wechat".to_string(), "abc".to_string())].into(),
            received_by: "孙".into(),
            ..Default::default()
        })
        .map(|_| ()),
    );
    expect(
        "close a method that does not exist",
        ("invalid", Some("method")),
        desk.close_shift(&CloseInput {
            cash_counts: vec![0; DENOMINATIONS.len()],
            counted: [("gold".to_string(), "1".to_string())].into(),
            received_by: "孙".into(),
            ..Default::default()
        })
        .map(|_| ()),
    );
    expect(
        "negative denomination count",
        ("invalid", Some("cash_counts")),
        desk.close_preview(&CloseInput {
            cash_counts: vec![-1, 0, 0, 0, 0, 0, 0, 0],
            ..Default::default()
        })
        .map(|_| ()),
    );
    for (what, e) in &errors {
        assert_desk_sentence(e);
        assert_ne!(e.code(), "internal", "{what}: {e:?}");
    }
    assert_eq!(errors.len(), 23);
    assert_eq!(
        audit_count(desk.connection()),
        audit_before,
        "nothing was written"
    );
    assert_eq!(dump_all(desk.connection()), before);
}

/// Sets a promotion's fields as the department head would in 管理, then signs the clerk back in.
fn edit_promotion(desk: &mut Desk, code: &str, changes: serde_json::Value) {
    desk.logout().unwrap();
    login(desk, "head");
    let mut p = reference_record(desk, "promotion", "code", code);
    for (k, v) in changes.as_object().unwrap() {
        p[k] = v.clone();
    }
    desk.reference_save("promotion", &p).unwrap();
    desk.logout().unwrap();
    login(desk, "clerk");
}

#[test]
fn a_change_keeps_the_promotion_price_even_when_its_last_use_was_taken_or_it_was_switched_off() {
    let dir = temp();
    let clock = test_clock!();
    let mut desk = clerk_desk(&dir, &clock);
    let d = dept(&mut desk, "神经内科");
    let t = type_id(&mut desk, "专家号");
    let other = on_duty_in(&mut desk, "心血管内科")[0].clone();
    // FREE1 may be used once; 张三 takes that use. NEW80 is switched off after 李四 used it.
    edit_promotion(&mut desk, "FREE1", json!({ "max_uses": 1 }));
    let mut made = Vec::new();
    for (name, phone, code) in [
        ("张三", "13800138000", "FREE1"),
        ("李四", "13900139000", "NEW80"),
    ] {
        let p = patient(&mut desk, name, phone);
        let done = desk
            .register(&RegisterInput {
                choice: Choice {
                    patient_id: p,
                    department_id: Some(d),
                    registration_type_id: Some(t),
                    promotion_code: Some(code.into()),
                    ..Default::default()
                },
                payments: cash(""),
                ..Default::default()
            })
            .unwrap();
        made.push((code, done));
    }
    edit_promotion(&mut desk, "NEW80", json!({ "active": false }));
    for ((code, done), (due, old_due)) in made.iter().zip([(0, 0), (2000, 2000)]) {
        let change = ChangeInput {
            registration_id: done.registration_id,
            doctor_id: Some(other.doctor_id),
            reason: "挂错科室".into(),
            ..Default::default()
        };
        let q = desk.registration_change_quote(&change).unwrap();
        assert_eq!(
            (q.fee_fen, q.due_fen, q.old_due_fen, q.difference_fen),
            (Fen(2500), Fen(due), Fen(old_due), Fen(0)),
            "{code}: the price rule the registration was made with"
        );
        let changed = desk.registration_change(&change).unwrap();
        assert_eq!(changed.due_fen, Fen(0), "{code}: nothing more to pay");
    }
    // Neither change took a new use.
    assert_eq!(
        reference_record(&mut desk, "promotion", "code", "FREE1")["uses"],
        1
    );
    assert_verified(desk.connection());
}

#[test]
fn a_registration_changed_and_then_cancelled_is_no_past_visit() {
    let dir = temp();
    let clock = test_clock!();
    let mut desk = clerk_desk(&dir, &clock);
    let p = patient(&mut desk, "张三", "13800138000");
    let d = dept(&mut desk, "神经内科");
    let t = type_id(&mut desk, "普通号");
    let first = register_to(&mut desk, p, d, "普通号");
    assert_eq!(first.visit_kind, "first");
    let other = on_duty_in(&mut desk, "心血管内科")[0].clone();
    let changed = desk
        .registration_change(&ChangeInput {
            registration_id: first.registration_id,
            doctor_id: Some(other.doctor_id),
            reason: "挂错科室".into(),
            ..Default::default()
        })
        .unwrap();
    desk.registration_cancel(&CancelInput {
        registration_id: changed.registration_id,
        reason: "病人临时有事".into(),
        ..Default::default()
    })
    .unwrap();
    // Never seen, nothing holding a place: the patient is still a first visitor.
    let again = desk
        .register(&RegisterInput {
            choice: Choice {
                patient_id: p,
                department_id: Some(d),
                registration_type_id: Some(t),
                ..Default::default()
            },
            payments: cash(""),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(again.visit_kind, "first");
    // Seen once, the next one is a return visit.
    desk.mark_seen(again.registration_id).unwrap();
    assert_eq!(register_to(&mut desk, p, d, "普通号").visit_kind, "return");
}
