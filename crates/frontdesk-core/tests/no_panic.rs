//! No command panics, whatever it is asked: every `Desk` method the app's commands call, as
//! every role, signed out and locked, with inputs that are well-formed but wrong for the state
//! — empty forms, records that do not exist, a registration already cancelled, a shift opened
//! today asked to continue, a closed case stepped again. A refusal is an error the page shows
//! (a code and a sentence); a panic inside a command leaves the page waiting for an answer that
//! never comes.

#[macro_use]
mod common;

use std::panic::{catch_unwind, AssertUnwindSafe};

use common::*;
use frontdesk_core::ids::{
    ComplaintId, ConcernId, FollowupId, QuestionnaireId, ReceiptId, RegistrationId, SpotCheckId,
};
use frontdesk_core::{Desk, Error, Lang};
use serde_json::json;

type Call = (&'static str, fn(&mut Desk, &State) -> Result<(), Error>);

/// Records of the states the calls are wrong for.
struct State {
    cancelled: RegistrationId,
    receipt: ReceiptId,
}

fn ok<T>(r: Result<T, Error>) -> Result<(), Error> {
    r.map(|_| ())
}

fn d<T: Default>() -> T {
    T::default()
}

const CALLS: &[Call] = &[
    ("set_desk_code", |x, _| x.set_desk_code("")),
    ("unlock", |x, _| ok(x.unlock("wrong"))),
    ("touch", |x, _| ok(x.touch())),
    ("reference_list", |x, _| {
        ok(x.reference_list("nothing", &json!(null)))
    }),
    ("reference_list hospital", |x, _| {
        ok(x.reference_list("hospital", &json!({})))
    }),
    ("reference_save", |x, _| {
        ok(x.reference_save("hospital", &json!({})))
    }),
    ("reference_save department", |x, _| {
        ok(x.reference_save("department", &json!({ "id": 999_999 })))
    }),
    ("reference_delete", |x, _| {
        x.reference_delete("doctor", 999_999)
    }),
    ("staff_list", |x, _| ok(x.staff_list())),
    ("staff_save", |x, _| ok(x.staff_save(&d()))),
    ("backups", |x, _| ok(x.backups())),
    ("backup_settings", |x, _| {
        ok(x.backup_settings("relative/dir", 0))
    }),
    ("restore", |x, _| ok(x.restore("/nonexistent/backup.db"))),
    ("audit_list", |x, _| ok(x.audit_list(Some("patient"), -5))),
    ("audit_list_unmasked", |x, _| {
        ok(x.audit_list_unmasked(None, 10, ""))
    }),
    ("audit_verify", |x, _| ok(x.audit_verify())),
    ("shift_current", |x, _| ok(x.shift_current())),
    ("shift_open", |x, _| ok(x.shift_open(&[]))),
    ("duty_today", |x, _| ok(x.duty_today(Some("midnight")))),
    ("triage_suggest", |x, _| ok(x.triage_suggest(""))),
    ("registration_quote", |x, _| ok(x.registration_quote(&d()))),
    ("payment_preview", |x, _| {
        ok(x.payment_preview(frontdesk_core::money::Fen(-1), &[d()]))
    }),
    ("register", |x, _| ok(x.register(&d()))),
    ("registration_cancel", |x, s| {
        ok(
            x.registration_cancel(&frontdesk_core::registration::CancelInput {
                registration_id: s.cancelled,
                reason: "又退一次".into(),
                ..d()
            }),
        )
    }),
    ("registration_change_quote", |x, s| {
        ok(
            x.registration_change_quote(&frontdesk_core::registration::ChangeInput {
                registration_id: s.cancelled,
                ..d()
            }),
        )
    }),
    (
        "registration_change",
        |x, _| ok(x.registration_change(&d())),
    ),
    ("registrations", |x, _| ok(x.registrations(None))),
    ("receipt_document", |x, s| {
        ok(x.receipt_document(s.receipt, true))
    }),
    ("receipt_document unknown", |x, _| {
        ok(x.receipt_document(ReceiptId(999_999), false))
    }),
    ("printers", |x, _| ok(x.printers())),
    ("printers_set", |x, _| {
        ok(x.printers_set(&frontdesk_core::print::DeskPrintersInput {
            desk: String::new(),
            receipt_printer: None,
            report_printer: None,
        }))
    }),
    ("appointment_book", |x, _| ok(x.appointment_book(&d()))),
    ("appointments", |x, _| ok(x.appointments(true))),
    ("waiting_room", |x, _| ok(x.waiting_room())),
    ("mark_seen", |x, s| x.mark_seen(s.cancelled)),
    ("doctor_stats", |x, _| ok(x.doctor_stats())),
    ("close_preview", |x, _| ok(x.close_preview(&d()))),
    ("close_shift", |x, _| ok(x.close_shift(&d()))),
    ("shift_continue", |x, _| {
        ok(x.shift_continue("supervisor", password("supervisor")))
    }),
    ("close_history", |x, _| {
        ok(x.close_history(true, "2026-03-31", "2026-03-01"))
    }),
    ("daily_report_document", |x, _| {
        ok(x.daily_report_document("2026-02-30"))
    }),
    ("complaint_choices", |x, _| ok(x.complaint_choices())),
    ("complaint_patient_search", |x, _| {
        ok(x.complaint_patient_search(""))
    }),
    ("complaint_record", |x, _| ok(x.complaint_record(&d()))),
    ("complaint_step", |x, _| ok(x.complaint_step(&d()))),
    ("complaint_view", |x, _| {
        ok(x.complaint_view(ComplaintId(999_999)))
    }),
    ("complaint_list", |x, _| ok(x.complaint_list("nothing", 0))),
    ("calendar_import", |x, _| {
        ok(x.calendar_import(b"\xff\xfe not a csv"))
    }),
    ("complaint_figures", |x, _| {
        ok(x.complaint_figures("2026-03-31", "2026-03-01"))
    }),
    ("complaint_register_file", |x, _| {
        ok(x.complaint_register_file("2026-03-01", "2026-03-31", "doc", true, ""))
    }),
    ("complaint_case_document", |x, _| {
        ok(x.complaint_case_document(ComplaintId(999_999)))
    }),
    ("followup_list", |x, _| ok(x.followup_list("nothing", -1))),
    ("followup_list_filtered", |x, _| {
        ok(x.followup_list_filtered("open", &d(), 10))
    }),
    ("followup_get", |x, _| {
        ok(x.followup_get(FollowupId(999_999)))
    }),
    ("followup_view", |x, _| {
        ok(x.followup_view(FollowupId(999_999)))
    }),
    ("followup_concerns_waiting", |x, _| {
        ok(x.followup_concerns_waiting(0))
    }),
    ("followup_concern_answer", |x, _| {
        ok(x.followup_concern_answer(ConcernId(999_999), ""))
    }),
    ("followup_rates", |x, _| ok(x.followup_rates("", ""))),
    ("followup_rate_records", |x, _| {
        ok(x.followup_rate_records(&d()))
    }),
    ("followup_register_file", |x, _| {
        ok(x.followup_register_file("2026-03-01", "2026-03-31", "xlsx", true, ""))
    }),
    ("spot_check_draw", |x, _| ok(x.spot_check_draw(&d()))),
    ("spot_check_record", |x, _| ok(x.spot_check_record(&d()))),
    ("spot_checks", |x, _| ok(x.spot_checks(0))),
    ("spot_check", |x, _| ok(x.spot_check(SpotCheckId(999_999)))),
    ("spot_check_redraw", |x, _| {
        ok(x.spot_check_redraw(SpotCheckId(999_999)))
    }),
    ("followup_attempt", |x, _| ok(x.followup_attempt(&d()))),
    ("followup_fix_number", |x, _| {
        ok(x.followup_fix_number(FollowupId(999_999), "123"))
    }),
    ("discharge_add", |x, _| ok(x.discharge_add(&d()))),
    ("followup_settings", |x, _| ok(x.followup_settings())),
    ("followup_settings_save", |x, _| {
        ok(
            x.followup_settings_save(&frontdesk_core::followup::Settings {
                first_visit_days: -1,
                ..d()
            }),
        )
    }),
    (
        "survey_questionnaires",
        |x, _| ok(x.survey_questionnaires()),
    ),
    ("survey_record", |x, _| ok(x.survey_record(&d()))),
    ("survey_entered_today", |x, _| ok(x.survey_entered_today())),
    ("questionnaire_list", |x, _| ok(x.questionnaire_list())),
    ("questionnaire_save", |x, _| ok(x.questionnaire_save(&d()))),
    ("survey_results", |x, _| {
        ok(x.survey_results(QuestionnaireId(999_999), "", ""))
    }),
    ("market_survey_record", |x, _| {
        ok(x.market_survey_record(&d()))
    }),
    ("market_survey_list", |x, _| {
        ok(x.market_survey_list("x", "y"))
    }),
    ("quality_targets", |x, _| ok(x.quality_targets())),
    ("quality_target_set", |x, _| ok(x.quality_target_set(&d()))),
    ("operating_target_set", |x, _| {
        ok(x.operating_target_set(&d()))
    }),
    ("quality_dashboard", |x, _| {
        ok(x.quality_dashboard("decade", "yesterday"))
    }),
    ("quality_report_file", |x, _| {
        ok(x.quality_report_file("2099-01"))
    }),
    ("inspection_schedule", |x, _| ok(x.inspection_schedule())),
    ("inspection_record", |x, _| ok(x.inspection_record(&d()))),
    ("inspection_register", |x, _| {
        ok(x.inspection_register("", ""))
    }),
    ("quality_promotions", |x, _| {
        ok(x.quality_promotions("2026-04-01", "2026-03-01"))
    }),
    ("quality_register_file", |x, _| {
        ok(x.quality_register_file("nothing", "2026-03-01", "2026-03-31", "pdf"))
    }),
    ("retention_periods", |x, _| ok(x.retention_periods())),
    ("retention_lengthen", |x, _| {
        ok(x.retention_lengthen("complaint_register", "1"))
    }),
    ("retention_pending", |x, _| ok(x.retention_pending())),
    ("retention_anonymise", |x, _| ok(x.retention_anonymise())),
    ("quality_records", |x, _| ok(x.quality_records(&d()))),
    ("operating_actuals", |x, _| {
        ok(x.operating_actuals("13-2026"))
    }),
];

#[test]
fn no_command_panics_in_the_wrong_state_for_any_role() {
    let dir = temp();
    let clock = test_clock!();
    // A registration cancelled (wrong for every later step of it), its receipt, a shift open.
    let mut clerk = signed_in(&dir, &clock, "clerk");
    clerk.shift_open(&float()).unwrap();
    let p = patient(&mut clerk, "张三", "13800138000");
    register(&mut clerk, p);
    let reg = clerk.registrations(None).unwrap()[0].clone();
    clerk
        .registration_cancel(&frontdesk_core::registration::CancelInput {
            registration_id: reg.id,
            reason: "患者改日再来".into(),
            ..d()
        })
        .unwrap();
    let state = State {
        cancelled: reg.id,
        receipt: reg.receipt_id.expect("a receipt"),
    };

    let mut panicked = Vec::new();
    let mut refused = 0;
    for who in [
        "clerk",
        "guide",
        "service",
        "supervisor",
        "head",
        "admin",
        "",
        "locked",
    ] {
        let mut desk = desk(&dir, &clock);
        match who {
            "" => {}
            "locked" => {
                login(&mut desk, "supervisor");
                desk.lock();
            }
            role => {
                desk.set_idle_seconds_override(Some(365 * 86_400));
                login(&mut desk, role);
            }
        }
        for (name, call) in CALLS {
            match catch_unwind(AssertUnwindSafe(|| call(&mut desk, &state))) {
                Err(_) => panicked.push(format!("{name} as {who:?}")),
                Ok(Err(e)) => {
                    refused += 1;
                    assert!(
                        !e.message(Lang::Zh).is_empty() && !e.code().is_empty(),
                        "{name} as {who:?}: {e:?}"
                    );
                }
                Ok(Ok(())) => {}
            }
        }
    }
    assert!(panicked.is_empty(), "panicked: {panicked:?}");
    assert!(refused > CALLS.len() * 4, "only {refused} refusals");
    assert_verified(clerk.connection());
}
