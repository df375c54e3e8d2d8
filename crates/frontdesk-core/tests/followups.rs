//! 客户回访 through `Desk`, on a real store (a file, or a database of its own on the test
//! server): the work list filling itself from first visits and discharges, and each outcome of
//! a call leading where its rule says, every attempt kept.

#[macro_use]
mod common;

use common::*;
use frontdesk_core::complaint::IntakeInput;
use frontdesk_core::followup::call::{AnswerInput, Rating};
use frontdesk_core::followup::rates::RecordsOf;
use frontdesk_core::followup::spotcheck::{CheckInput, DrawInput};
use frontdesk_core::followup::{AttemptInput, DischargeInput, FState, Filter};
use frontdesk_core::ids::{DepartmentId, FollowupId, PatientId};
use frontdesk_core::registration::{Choice, PaymentInput, RegisterInput};
use frontdesk_core::Desk;

fn register(desk: &mut Desk, patient_id: PatientId) {
    register_in(desk, patient_id, "神经内科");
}

fn register_in(desk: &mut Desk, patient_id: PatientId, department: &str) {
    let department = DepartmentId(reference_id(desk, "department", department));
    let ordinary = type_id(desk, "普通号");
    desk.register(&RegisterInput {
        choice: Choice {
            patient_id,
            department_id: Some(department),
            registration_type_id: Some(ordinary),
            ..Default::default()
        },
        chief_complaint: "头痛三天".into(),
        payments: vec![PaymentInput {
            method: "cash".into(),
            amount: String::new(),
            tendered: String::new(),
        }],
        ..Default::default()
    })
    .unwrap();
}

fn desks(dir: &tempfile::TempDir, clock: &Clock) -> (Desk, Desk) {
    let mut clerk = desk(dir, clock);
    clerk.set_idle_seconds_override(Some(365 * 86_400));
    login(&mut clerk, "clerk");
    clerk.shift_open(&float()).unwrap();
    let mut service = desk(dir, clock);
    service.set_idle_seconds_override(Some(365 * 86_400));
    login(&mut service, "service");
    (clerk, service)
}

/// One attempt; a reached one with the patient satisfied overall.
fn dial(d: &mut Desk, id: FollowupId, outcome: &str) -> frontdesk_core::Result<FState> {
    d.followup_attempt(&AttemptInput {
        followup_id: id,
        outcome: outcome.into(),
        note: format!("{outcome} 记录"),
        answer: (outcome == "reached").then(|| AnswerInput {
            overall: "satisfied".into(),
            ..Default::default()
        }),
    })
}

fn ids(list: &[frontdesk_core::followup::Followup]) -> Vec<FollowupId> {
    list.iter().map(|f| f.id).collect()
}

#[test]
fn the_work_list_fills_itself_from_first_visits_and_discharges() {
    let dir = temp();
    let clock = test_clock!();
    let (mut clerk, mut service) = desks(&dir, &clock);
    // Monday 2026-03-02: 张三's first visit, and 李四's; 张三 comes back the same day (复诊).
    let zhang = patient(&mut clerk, "张三", "13800138000");
    let li = patient(&mut clerk, "李四", "13900139000");
    register(&mut clerk, zhang);
    register(&mut clerk, li);
    register(&mut clerk, zhang);
    // 王五 was discharged on Friday 02-27 (entered by hand): due a week after.
    let wang = patient(&mut clerk, "王五", "13700137000");
    service
        .discharge_add(&DischargeInput {
            patient_id: Some(wang),
            discharged_on: "2026-02-27".into(),
            admitted_on: "2026-02-20".into(),
            doctor: "李明华".into(),
            diagnosis: "高血压".into(),
            ..Default::default()
        })
        .unwrap();
    let open = service.followup_list("open", 100).unwrap();
    let due: Vec<(String, String, String)> = open
        .iter()
        .map(|f| (f.patient.clone(), f.kind.clone(), f.due_date.clone()))
        .collect();
    assert_eq!(
        due,
        [
            ("张三".into(), "first_visit".into(), "2026-03-05".into()),
            ("李四".into(), "first_visit".into(), "2026-03-05".into()),
            ("王五".into(), "discharge".into(), "2026-03-06".into()),
        ],
        "first visits 3 days after, a discharge 7 days after; the return visit is none"
    );
    assert!(
        service.followup_list("due", 100).unwrap().is_empty(),
        "nothing due on Monday"
    );
    // Asked again: nothing more is added.
    let audit = audit_count(service.connection());
    assert_eq!(service.followup_list("open", 100).unwrap().len(), 3);
    assert_eq!(
        audit_count(service.connection()),
        audit,
        "a second look writes nothing"
    );
    // Thursday: the first visits are due; Friday the discharge too.
    clock.advance(3 * DAY);
    assert_eq!(service.followup_list("due", 100).unwrap().len(), 2);
    clock.advance(DAY);
    assert_eq!(service.followup_list("due", 100).unwrap().len(), 3);
    assert_eq!(service.followup_list("overdue", 100).unwrap().len(), 2);
    // The status bar counts them for those who call; a clerk has no such counter.
    let counts = service.status().followups.unwrap();
    assert_eq!(
        (
            counts.due,
            counts.overdue,
            counts.fix_number,
            counts.concerns
        ),
        (3, 2, 0, 0)
    );
    assert!(clerk.status().followups.is_none());
    // A discharge entered twice, or in the future, or for nobody, is refused.
    let twice = DischargeInput {
        patient_id: Some(wang),
        discharged_on: "2026-02-27".into(),
        ..Default::default()
    };
    assert_eq!(
        invalid_field(service.discharge_add(&twice)).0,
        "discharged_on"
    );
    let later = DischargeInput {
        discharged_on: "2026-03-30".into(),
        ..twice.clone()
    };
    assert_eq!(
        invalid_field(service.discharge_add(&later)).0,
        "discharged_on"
    );
    let nobody = DischargeInput {
        patient_id: None,
        ..twice
    };
    assert_eq!(
        invalid_field(service.discharge_add(&nobody)).0,
        "patient_id"
    );
    // A clerk has no follow-up list.
    assert_eq!(code(clerk.followup_list("due", 10)), "forbidden");
    assert_verified(service.connection());
}

#[test]
fn each_outcome_leads_where_its_rule_says_and_every_attempt_is_kept() {
    let dir = temp();
    let clock = test_clock!();
    let (mut clerk, mut service) = desks(&dir, &clock);
    let names = ["张三", "李四", "王五", "赵六"];
    let mut patients = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let p = patient(&mut clerk, name, &format!("1380013800{i}"));
        register(&mut clerk, p);
        patients.push(p);
    }
    clock.advance(3 * DAY); // Thursday: all four due
    let list = service.followup_list("due", 100).unwrap();
    assert_eq!(list.len(), 4);
    let of = |name: &str| list.iter().find(|f| f.patient == name).unwrap().id;
    let (unreachable, wrong, declined, reached) = (of("张三"), of("李四"), of("王五"), of("赵六"));
    let call = |d: &mut Desk, id, outcome: &str| dial(d, id, outcome);

    // No answer: back on the list a day later; busy the next day; the third try closes it.
    assert_eq!(
        call(&mut service, unreachable, "no_answer").unwrap(),
        FState::Open
    );
    assert!(!ids(&service.followup_list("due", 100).unwrap()).contains(&unreachable));
    clock.advance(23 * HOUR);
    assert!(!ids(&service.followup_list("due", 100).unwrap()).contains(&unreachable));
    clock.advance(HOUR);
    assert!(ids(&service.followup_list("due", 100).unwrap()).contains(&unreachable));
    assert_eq!(
        call(&mut service, unreachable, "busy").unwrap(),
        FState::Open
    );
    clock.advance(DAY);
    assert_eq!(
        call(&mut service, unreachable, "no_answer").unwrap(),
        FState::Unreachable
    );
    let f = service.followup_get(unreachable).unwrap();
    assert_eq!((f.attempts, f.state), (3, FState::Unreachable));
    assert!(f.closed_at.is_some());
    assert_eq!(
        code(call(&mut service, unreachable, "reached")),
        "followup_not_open"
    );

    // A wrong number is not redialled: it goes to the list of numbers to fix, and comes back
    // when the patient's phone is corrected (in the patient index, audited).
    assert_eq!(
        call(&mut service, wrong, "wrong_number").unwrap(),
        FState::FixNumber
    );
    assert_eq!(
        code(call(&mut service, wrong, "reached")),
        "followup_not_open"
    );
    assert_eq!(
        ids(&service.followup_list("fix_number", 100).unwrap()),
        [wrong]
    );
    assert_eq!(
        invalid_field(service.followup_fix_number(wrong, "12345")).0,
        "phone"
    );
    assert_eq!(
        invalid_field(service.followup_fix_number(wrong, "13800138001")).0,
        "phone",
        "the same number is no correction"
    );
    let fixed = service.followup_fix_number(wrong, "139 0013 9001").unwrap();
    assert_eq!(
        (fixed.state, fixed.phone.as_deref()),
        (FState::Open, Some("13900139001"))
    );
    assert!(service.followup_list("fix_number", 100).unwrap().is_empty());
    assert!(ids(&service.followup_list("due", 100).unwrap()).contains(&wrong));
    assert_eq!(last_action(service.connection()), "followup.number_fixed");
    assert_eq!(
        call(&mut service, wrong, "reached").unwrap(),
        FState::Reached
    );

    // Refused: closed, and the patient is not listed again (a discharge brings no call).
    assert_eq!(
        call(&mut service, declined, "refused").unwrap(),
        FState::Refused
    );
    service
        .discharge_add(&DischargeInput {
            patient_id: Some(patients[2]),
            discharged_on: "2026-03-04".into(),
            ..Default::default()
        })
        .unwrap();
    let open = service.followup_list("open", 100).unwrap();
    assert!(open.iter().all(|f| f.patient != "王五"), "{open:?}");

    assert_eq!(
        call(&mut service, reached, "reached").unwrap(),
        FState::Reached
    );
    assert_eq!(code(call(&mut service, reached, "maybe")), "invalid");

    // Filters: my calls (another caller's are not mine), a department, a kind.
    let mut other = desk(&dir, &clock);
    other.set_idle_seconds_override(Some(365 * 86_400));
    login(&mut other, "supervisor");
    let mine = Filter {
        mine: true,
        ..Default::default()
    };
    assert_eq!(
        service
            .followup_list_filtered("closed", &mine, 100)
            .unwrap()
            .len(),
        4
    );
    assert!(other
        .followup_list_filtered("closed", &mine, 100)
        .unwrap()
        .is_empty());
    let neuro = Filter {
        department_id: Some(DepartmentId(reference_id(
            &mut clerk,
            "department",
            "神经内科",
        ))),
        ..Default::default()
    };
    assert_eq!(
        service
            .followup_list_filtered("closed", &neuro, 100)
            .unwrap()
            .len(),
        4
    );
    let heart = Filter {
        department_id: Some(DepartmentId(reference_id(
            &mut clerk,
            "department",
            "心血管内科",
        ))),
        ..Default::default()
    };
    assert!(service
        .followup_list_filtered("closed", &heart, 100)
        .unwrap()
        .is_empty());
    let discharges = Filter {
        kind: Some("discharge".into()),
        ..Default::default()
    };
    assert!(service
        .followup_list_filtered("closed", &discharges, 100)
        .unwrap()
        .is_empty());
    let first = Filter {
        kind: Some("first_visit".into()),
        ..Default::default()
    };
    assert_eq!(
        service
            .followup_list_filtered("closed", &first, 100)
            .unwrap()
            .len(),
        4
    );
    let bad = Filter {
        kind: Some("sideways".into()),
        ..Default::default()
    };
    assert_eq!(
        code(service.followup_list_filtered("open", &bad, 100)),
        "invalid"
    );

    // Every attempt is kept; a closed follow-up and the attempts refuse any rewrite.
    let conn = service.connection();
    assert_eq!(count(conn, "followup_attempt"), 3 + 2 + 1 + 1);
    let tool = sql_tool(&db_path(&dir));
    let msg = refused(tool.run(&format!(
        "UPDATE followup SET state = 'open' WHERE id = {}",
        reached.0
    )));
    assert!(msg.contains("a closed follow-up is final"), "{msg}");
    let msg = refused(tool.run("DELETE FROM followup_attempt"));
    assert!(msg.contains("append-only"), "{msg}");
    assert_verified(service.connection());
}

/// `import discharges`: the HIS's CSV, in GBK with Chinese headers; patients matched or made;
/// each bad row reported with its row, field and reason; a second run adds nothing.
#[test]
fn discharges_are_imported_from_the_his_csv_once() {
    let dir = temp();
    let clock = test_clock!();
    let (mut clerk, mut service) = desks(&dir, &clock);
    let zhang = patient(&mut clerk, "张三", "13800138000");
    let card: String = service
        .connection()
        .value("SELECT card_no FROM patient WHERE id = ?1", &[&zhang])
        .unwrap();
    let csv = format!(
        "姓名,身份证号,就诊卡号,电话,科室,入院日期,出院日期,主治医生,诊断\n\
         张三,,{card},,神经内科,2026/2/20,2026/2/27,李四海,偏头痛\n\
         李四,11010519491231002X,,13900139000,心血管内科,2026-02-21,2026-02-28,李明华,高血压\n\
         王五,,,139 0013 9002,牙科,2026-02-21,2026-02-28,,\n\
         赵六,,,13900139003,骨科,2026-02-25,2026-02-30,,\n\
         ,,,13900139004,骨科,2026-02-25,2026-02-26,,\n\
         孙七,,,13900139005,骨科,2026-02-25,2026-02-26,,\n"
    );
    let (gbk, _, _) = encoding_rs::GBK.encode(&csv);
    let file = dir.path().join("出院.csv");
    std::fs::write(&file, &gbk).unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_frontdesk-admin"))
            .args(args)
            .env("FRONTDESK_LANG", "zh")
            .env("FRONTDESK_TEST_ONLY_ALLOW_UNDURABLE_SERVER", "1")
            .env_remove("FRONTDESK_DB")
            .output()
            .unwrap()
    };
    let db = db_arg(&dir);
    let o = run(&["--db", &db, "import", "discharges", file.to_str().unwrap()]);
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(
        !o.status.success(),
        "rejected rows make the exit status 1:\n{out}"
    );
    assert!(out.contains("imported: 2"), "{out}");
    for want in [
        "row 4 (department)",
        "科室不存在",
        "row 5 (discharged_on)",
        "row 6 (patient_name)",
    ] {
        assert!(out.contains(want), "{want} in:\n{out}");
    }
    let again = run(&["--db", &db, "import", "discharges", file.to_str().unwrap()]);
    let out = String::from_utf8_lossy(&again.stdout).to_string();
    assert!(
        out.contains("imported: 0") && out.contains("already present: 2"),
        "{out}"
    );
    let conn = reader(db_path(&dir));
    assert_eq!(count(&conn, "discharge"), 2);
    let li: i64 = conn
        .value(
            "SELECT count(*) FROM patient WHERE name = '李四' AND phone = '13900139000'",
            &[],
        )
        .unwrap();
    assert_eq!(li, 1, "a new patient made for 李四");
    let zhang_discharges: i64 = conn
        .value(
            "SELECT count(*) FROM discharge WHERE patient_id = ?1",
            &[&zhang],
        )
        .unwrap();
    assert_eq!(zhang_discharges, 1, "张三 matched by card number");
    drop(conn);
    // On the work list a week after each.
    let open = service.followup_list("open", 100).unwrap();
    let dues: Vec<(String, String)> = open
        .iter()
        .filter(|f| f.kind == "discharge")
        .map(|f| (f.patient.clone(), f.due_date.clone()))
        .collect();
    assert_eq!(
        dues,
        [
            ("张三".into(), "2026-03-06".into()),
            ("李四".into(), "2026-03-07".into())
        ]
    );
    assert_verified(service.connection());
}

fn reach(d: &mut Desk, id: FollowupId, answer: AnswerInput) -> frontdesk_core::Result<FState> {
    d.followup_attempt(&AttemptInput {
        followup_id: id,
        outcome: "reached".into(),
        note: String::new(),
        answer: Some(answer),
    })
}

/// A reached call keeps satisfaction per aspect, the patient's words, a concern referred to a
/// department (answered once) and raised as a complaint (linked both ways), a next call; a
/// 不满意 or a concern brings a second follow-up. Bad answers are refused and write nothing.
#[test]
fn a_reached_call_keeps_its_answers_and_brings_the_calls_they_ask_for() {
    let dir = temp();
    let clock = test_clock!();
    let (mut clerk, mut service) = desks(&dir, &clock);
    let names = ["张三", "李四", "王五"];
    for (i, name) in names.iter().enumerate() {
        let p = patient(&mut clerk, name, &format!("1380013800{i}"));
        register(&mut clerk, p);
    }
    clock.advance(3 * DAY); // Thursday 03-05: all three due
    let list = service.followup_list("due", 100).unwrap();
    let of = |name: &str| list.iter().find(|f| f.patient == name).unwrap().id;
    let (unhappy, concerned, planned) = (of("张三"), of("李四"), of("王五"));
    let neuro = DepartmentId(reference_id(&mut clerk, "department", "神经内科"));

    // Refused, field by field, with nothing written.
    let audit = audit_count(service.connection());
    let bad: Vec<(&str, AnswerInput)> = vec![
        ("rating_overall", AnswerInput::default()),
        (
            "rating_doctor",
            AnswerInput {
                overall: "satisfied".into(),
                doctor: "so-so".into(),
                ..Default::default()
            },
        ),
        (
            "concern_department_id",
            AnswerInput {
                overall: "neutral".into(),
                concern: "检查报告等了很久".into(),
                ..Default::default()
            },
        ),
        (
            "next_on",
            AnswerInput {
                overall: "satisfied".into(),
                next_on: "2026-03-05".into(),
                ..Default::default()
            },
        ),
        (
            "next_on",
            AnswerInput {
                overall: "satisfied".into(),
                next_note: "复查后再回访".into(),
                ..Default::default()
            },
        ),
    ];
    for (field, answer) in bad {
        assert_eq!(invalid_field(reach(&mut service, unhappy, answer)).0, field);
    }
    let with_no_answer = service.followup_attempt(&AttemptInput {
        followup_id: unhappy,
        outcome: "no_answer".into(),
        note: String::new(),
        answer: Some(AnswerInput {
            overall: "satisfied".into(),
            ..Default::default()
        }),
    });
    assert_eq!(invalid_field(with_no_answer).0, "answer");
    assert_eq!(audit_count(service.connection()), audit, "nothing written");

    // 张三: unhappy with the registration desk: a second call three days on.
    let words = "挂号排队太久，其他都好";
    let state = reach(
        &mut service,
        unhappy,
        AnswerInput {
            registration: "dissatisfied".into(),
            guide: "satisfied".into(),
            doctor: "satisfied".into(),
            environment: "neutral".into(),
            overall: "neutral".into(),
            words: words.into(),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(state, FState::Reached);
    let v = service.followup_view(unhappy).unwrap();
    let answer = v.answer.clone().unwrap();
    assert_eq!(answer.words, words);
    assert_eq!(answer.rating("registration"), Some(Rating::Dissatisfied));
    assert_eq!(answer.rating("nursing"), None, "not asked");
    assert_eq!(answer.rating("overall"), Some(Rating::Neutral));
    let open = service.followup_list("open", 100).unwrap();
    let second: Vec<_> = open.iter().filter(|f| f.kind == "second").collect();
    assert_eq!(second.len(), 1);
    assert_eq!(
        (second[0].patient.as_str(), second[0].due_date.as_str()),
        ("张三", "2026-03-08")
    );
    let second_view = service.followup_view(second[0].id).unwrap();
    assert_eq!(
        second_view
            .parent
            .as_ref()
            .unwrap()
            .answer
            .as_ref()
            .unwrap()
            .words,
        words,
        "the second call shows what the first one heard"
    );

    // 李四: satisfied, but a concern referred to 神经内科: a second call too, and the concern
    // waits for the department's answer.
    reach(
        &mut service,
        concerned,
        AnswerInput {
            overall: "satisfied".into(),
            concern: "检查报告等了很久，希望能短信通知".into(),
            concern_department_id: Some(neuro),
            ..Default::default()
        },
    )
    .unwrap();
    let waiting = service.followup_concerns_waiting(100).unwrap();
    assert_eq!(waiting.len(), 1);
    let concern = waiting[0].clone();
    assert_eq!(
        (concern.patient.as_str(), concern.department.as_deref()),
        ("李四", Some("神经内科"))
    );
    assert_eq!(
        service
            .followup_list("open", 100)
            .unwrap()
            .iter()
            .filter(|f| f.kind == "second")
            .count(),
        2
    );
    assert_eq!(
        invalid_field(service.followup_concern_answer(concern.id, "  ")).0,
        "concern_answer"
    );
    let answered = service
        .followup_concern_answer(concern.id, "已与检验科协调，报告出具后短信通知")
        .unwrap();
    assert!(answered.answered_at.is_some());
    assert!(service.followup_concerns_waiting(100).unwrap().is_empty());
    assert_eq!(
        invalid_field(service.followup_concern_answer(concern.id, "再答一次")).0,
        "concern_answer",
        "answered once"
    );

    // The concern raised as a complaint: the intake prefilled, the two linked both ways.
    let choices = service.complaint_choices().unwrap();
    let li = service
        .followup_view(concerned)
        .unwrap()
        .followup
        .patient_id;
    let intake = IntakeInput {
        kind: "complaint".into(),
        channel: "followup".into(),
        patient_id: Some(li),
        category_id: Some(choices.categories[0].id),
        department_id: Some(neuro),
        description: concern.what.clone(),
        request: "希望改进".into(),
        severity: "normal".into(),
        from_concern: Some(concern.id),
        ..Default::default()
    };
    // Only as a complaint (not a praise), and only for the patient who raised it.
    let complaints = count(service.connection(), "complaint");
    let praise = IntakeInput {
        kind: "praise".into(),
        ..intake.clone()
    };
    let (field, err) = invalid_field(service.complaint_record(&praise));
    assert_eq!(field, "concern", "{err:?}");
    let someone_else = IntakeInput {
        patient_id: Some(v.followup.patient_id),
        ..intake.clone()
    };
    assert_eq!(
        invalid_field(service.complaint_record(&someone_else)).0,
        "concern"
    );
    assert_eq!(
        count(service.connection(), "complaint"),
        complaints,
        "nothing written"
    );
    let case = service.complaint_record(&intake).unwrap();
    assert_eq!(case.from_followup, Some(concerned));
    let linked = service.followup_view(concerned).unwrap().concerns[0].clone();
    assert_eq!(linked.complaint_id, Some(case.case.id));
    assert_eq!(
        linked.complaint_number.as_deref(),
        Some(case.case.number.as_str())
    );
    let complaints = count(service.connection(), "complaint");
    assert_eq!(
        invalid_field(service.complaint_record(&intake)).0,
        "concern",
        "one complaint per concern"
    );
    assert_eq!(count(service.connection(), "complaint"), complaints);

    // 王五: happy, and agrees to a call after the review in a month (下次回访计划).
    reach(
        &mut service,
        planned,
        AnswerInput {
            overall: "satisfied".into(),
            next_on: "2026-04-05".into(),
            next_note: "复查后回访".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let next: Vec<_> = service
        .followup_list("open", 100)
        .unwrap()
        .into_iter()
        .filter(|f| f.kind == "planned")
        .collect();
    assert_eq!(next.len(), 1);
    assert_eq!(
        (next[0].patient.as_str(), next[0].due_date.as_str()),
        ("王五", "2026-04-05")
    );
    assert_eq!(
        service.followup_list("open", 100).unwrap().len(),
        3,
        "two second calls and a planned one, no more"
    );

    // The phone in full for customer service; masked for the department head.
    let mut head = signed_in(&dir, &clock, "head");
    assert_eq!(v.followup.phone.as_deref(), Some("13800138000"));
    let masked = head.followup_view(unhappy).unwrap();
    assert_eq!(masked.followup.phone.as_deref(), Some("138****8000"));
    assert!(head
        .followup_list("closed", 100)
        .unwrap()
        .iter()
        .all(|f| f.phone.as_deref().is_none_or(|p| p.contains("****"))));

    // Answers and concerns refuse any rewrite.
    let tool = sql_tool(&db_path(&dir));
    let msg = refused(tool.run("UPDATE followup_answer SET overall = 'satisfied'"));
    assert!(msg.contains("append-only"), "{msg}");
    let msg = refused(tool.run("UPDATE followup_concern SET answer = '改了'"));
    assert!(msg.contains("kept as raised"), "{msg}");
    let msg = refused(tool.run("DELETE FROM followup_concern"));
    assert!(msg.contains("never deleted"), "{msg}");
    assert_verified(service.connection());
}

/// 抽查: a supervisor's draw is repeatable from its seed and rule, each re-verification is
/// kept for good, and customer service sees which of its calls were drawn only once it is done.
#[test]
fn a_spot_check_draws_repeatably_and_stays_hidden_until_done() {
    let dir = temp();
    let clock = test_clock!();
    let (mut clerk, mut service) = desks(&dir, &clock);
    for i in 0..8 {
        let name = format!("患者{}", "甲乙丙丁戊己庚辛".chars().nth(i).unwrap());
        let p = patient(&mut clerk, &name, &format!("1390013900{i}"));
        register(&mut clerk, p);
    }
    clock.advance(3 * DAY); // Thursday 03-05
    let all_due = service.followup_list("due", 100).unwrap();
    let later = |name: &str| all_due.iter().find(|f| f.patient == name).unwrap().id;
    let (late, own) = (later("患者庚"), later("患者辛"));
    let due: Vec<_> = all_due
        .iter()
        .filter(|f| f.id != late && f.id != own)
        .cloned()
        .collect();
    for f in &due {
        dial(&mut service, f.id, "reached").unwrap();
    }
    let mut supervisor = signed_in(&dir, &clock, "supervisor");
    let draw = |from: &str, to: &str, rule: &str, amount: i64, seed: &str| DrawInput {
        from: from.into(),
        to: to.into(),
        rule: rule.into(),
        amount,
        seed: seed.into(),
    };
    // Refused, with nothing written.
    let audit = audit_count(supervisor.connection());
    for (field, input) in [
        ("to", draw("2026-03-05", "2026-03-04", "count", 2, "")),
        ("to", draw("2026-03-05", "2026-03-09", "count", 2, "")),
        ("spot_rule", draw("2026-03-02", "2026-03-05", "", 2, "")),
        (
            "spot_amount",
            draw("2026-03-02", "2026-03-05", "percent", 0, ""),
        ),
        (
            "spot_amount",
            draw("2026-03-02", "2026-03-05", "percent", 101, ""),
        ),
        (
            "spot_check",
            draw("2026-03-01", "2026-03-02", "count", 2, ""),
        ),
    ] {
        assert_eq!(invalid_field(supervisor.spot_check_draw(&input)).0, field);
    }
    // Every problem of the form at once.
    assert_eq!(
        refused_fields(supervisor.spot_check_draw(&draw(
            "2026-13-45",
            "2026-03-05",
            "count",
            0,
            ""
        ))),
        ["from", "spot_amount"]
    );
    assert_eq!(audit_count(supervisor.connection()), audit);
    assert_eq!(
        code(service.spot_check_draw(&draw("2026-03-05", "2026-03-05", "count", 2, ""))),
        "forbidden",
        "customer service does not check itself"
    );
    // 50 % of six: three drawn, the same three again from the seed.
    let check = supervisor
        .spot_check_draw(&draw("2026-03-05", "2026-03-05", "percent", 50, "abc123"))
        .unwrap();
    // A draw is kept as drawn, even before it is checked.
    let tool = sql_tool(&db_path(&dir));
    let msg = refused(tool.run("UPDATE spot_check SET seed = 'other'"));
    assert!(msg.contains("kept as drawn"), "{msg}");
    let msg = refused(tool.run("UPDATE spot_check_item SET followup_id = followup_id + 1"));
    assert!(msg.contains("kept as drawn"), "{msg}");
    drop(tool);
    // A call made later the same day does not change the draw made again from its seed.
    clock.advance(HOUR);
    dial(&mut service, late, "reached").unwrap();
    assert_eq!((check.check.population, check.items.len()), (6, 3));
    let drawn: Vec<FollowupId> = check.items.iter().map(|i| i.followup_id).collect();
    let (again, same) = supervisor.spot_check_redraw(check.check.id).unwrap();
    assert!(same);
    assert_eq!(again, drawn);
    let population: Vec<FollowupId> = due.iter().map(|f| f.id).collect();
    // Nobody re-verifies their own call: a supervisor who called a patient leaves it to another.
    let mine = own;
    dial(&mut supervisor, mine, "reached").unwrap();
    let own_check = supervisor
        .spot_check_draw(&draw("2026-03-05", "2026-03-05", "percent", 100, "own"))
        .unwrap();
    assert_eq!(own_check.items.len(), 8);
    assert_eq!(
        invalid_field(supervisor.spot_check_record(&CheckInput {
            spot_check_id: own_check.check.id,
            followup_id: mine,
            result: "confirmed".into(),
            note: String::new(),
        }))
        .0,
        "spot_result"
    );
    // The head sees the drawn patients' phones masked; the supervisor, who calls back, in full.
    let mut head = signed_in(&dir, &clock, "head");
    let phone_of = |v: frontdesk_core::followup::spotcheck::SpotCheckView| {
        v.items
            .into_iter()
            .find(|i| i.followup_id == mine)
            .unwrap()
            .phone
    };
    assert_eq!(
        phone_of(head.spot_check(own_check.check.id).unwrap()).as_deref(),
        Some("139****9007")
    );
    assert_eq!(
        phone_of(supervisor.spot_check(own_check.check.id).unwrap()).as_deref(),
        Some("13900139007")
    );
    assert_eq!(
        frontdesk_core::followup::spotcheck::draw_ids("abc123", &population, 3),
        drawn,
        "the rule, applied by anyone, draws the same"
    );
    // Hidden from customer service until the check is done.
    assert!(service
        .followup_view(drawn[0])
        .unwrap()
        .spot_checks
        .is_empty());
    assert_eq!(code(service.spot_checks(10)), "forbidden");
    assert!(supervisor
        .followup_view(drawn[0])
        .unwrap()
        .spot_checks
        .iter()
        .any(|c| c.spot_check_id == check.check.id && c.result.is_none()));
    let item = |followup, result: &str, note: &str| CheckInput {
        spot_check_id: check.check.id,
        followup_id: followup,
        result: result.into(),
        note: note.into(),
    };
    assert_eq!(
        invalid_field(supervisor.spot_check_record(&item(drawn[0], "discrepancy", ""))).0,
        "note",
        "a discrepancy says what differs"
    );
    assert_eq!(
        invalid_field(supervisor.spot_check_record(&item(drawn[0], "maybe", ""))).0,
        "spot_result"
    );
    supervisor
        .spot_check_record(&item(drawn[0], "confirmed", ""))
        .unwrap();
    assert_eq!(
        invalid_field(supervisor.spot_check_record(&item(drawn[0], "discrepancy", "改口"))).0,
        "spot_result",
        "a result is kept"
    );
    supervisor
        .spot_check_record(&item(drawn[1], "discrepancy", "患者说没有接到回访电话"))
        .unwrap();
    assert!(service
        .followup_view(drawn[0])
        .unwrap()
        .spot_checks
        .is_empty());
    let done = supervisor
        .spot_check_record(&item(drawn[2], "confirmed", "与记录一致"))
        .unwrap();
    assert!(done.check.done_at.is_some());
    assert_eq!((done.check.checked, done.check.discrepancies), (3, 1));
    let seen = service.followup_view(drawn[1]).unwrap().spot_checks;
    assert_eq!(seen.len(), 1, "done: customer service sees it");
    assert_eq!(seen[0].result.as_deref(), Some("discrepancy"));
    // Quality-check records are never rewritten.
    let tool = sql_tool(&db_path(&dir));
    let msg = refused(tool.run("UPDATE spot_check_item SET result = 'confirmed'"));
    assert!(msg.contains("final"), "{msg}");
    let msg = refused(tool.run(&format!(
        "UPDATE spot_check SET done_at = 1 WHERE id = {}",
        check.check.id.0
    )));
    assert!(msg.contains("final"), "{msg}");
    let msg = refused(tool.run("DELETE FROM spot_check_item"));
    assert!(msg.contains("never deleted"), "{msg}");
    assert_verified(supervisor.connection());
}

/// The rates on constructed data, edges included: a patient with two first visits in the
/// period, a discharge with no phone, a call reached after the period closed; by department,
/// by staff member, reach per attempt, and the records behind each number.
#[test]
fn the_rates_count_what_their_definitions_say() {
    let dir = temp();
    let clock = test_clock!();
    let (mut clerk, mut service) = desks(&dir, &clock);
    let mut supervisor = signed_in(&dir, &clock, "supervisor");
    // Monday 03-02: 甲 visits two departments for the first time; 乙 and 丙 one each.
    let jia = patient(&mut clerk, "甲一", "13800000001");
    let yi = patient(&mut clerk, "乙二", "13800000002");
    let bing = patient(&mut clerk, "丙三", "13800000003");
    register_in(&mut clerk, jia, "神经内科");
    register_in(&mut clerk, jia, "心血管内科");
    register(&mut clerk, yi);
    register(&mut clerk, bing);
    // The desk decides 初诊 per patient, so 甲's second registration is a return visit; two
    // first visits come from elsewhere (a record corrected by hand), and are made so here.
    sql_tool(&db_path(&dir))
        .run(&format!(
            "UPDATE registration SET visit_kind = 'first' WHERE patient_id = {}",
            jia.0
        ))
        .unwrap();
    // Discharged on Sunday 03-01: 丁 (no phone on file) and 戊.
    let ding = patient(&mut clerk, "丁四", "");
    let wu = patient(&mut clerk, "戊五", "13800000005");
    for p in [ding, wu] {
        service
            .discharge_add(&DischargeInput {
                patient_id: Some(p),
                discharged_on: "2026-03-01".into(),
                ..Default::default()
            })
            .unwrap();
    }
    clock.advance(3 * DAY); // Thursday 03-05
    let fix = service.followup_list("fix_number", 100).unwrap();
    assert_eq!(
        fix.iter().map(|f| f.patient.as_str()).collect::<Vec<_>>(),
        ["丁四"],
        "no phone: straight to the numbers to fix"
    );
    let all = service.followup_list("open", 100).unwrap();
    let find = |name: &str, kind: &str, dept: &str| {
        all.iter()
            .find(|f| {
                f.patient == name && f.kind == kind && f.department.as_deref().unwrap_or("") == dept
            })
            .unwrap()
            .id
    };
    let jia_neuro = find("甲一", "first_visit", "神经内科");
    let yi_f = find("乙二", "first_visit", "神经内科");
    let bing_f = find("丙三", "first_visit", "神经内科");
    dial(&mut service, jia_neuro, "reached").unwrap(); // 甲's 心血管内科 call is never made
    dial(&mut service, bing_f, "no_answer").unwrap();
    dial(&mut service, yi_f, "no_answer").unwrap();
    clock.advance(3 * DAY); // Sunday 03-08: the discharges are due
    let wu_f = service
        .followup_list("due", 100)
        .unwrap()
        .into_iter()
        .find(|f| f.patient == "戊五")
        .unwrap()
        .id;
    dial(&mut service, wu_f, "reached").unwrap();
    dial(&mut service, yi_f, "busy").unwrap();
    clock.advance(DAY);
    dial(&mut service, yi_f, "no_answer").unwrap(); // the third: unreachable
                                                    // 丙 reached on the 9th by the supervisor, after the period (03-01 to 03-07) closed.
    dial(&mut supervisor, bing_f, "reached").unwrap();

    let r = service.followup_rates("2026-03-01", "2026-03-07").unwrap();
    let o = &r.outpatient;
    assert_eq!(
        (
            o.overall.numerator,
            o.overall.denominator,
            o.overall.shown().as_str(),
            o.overall.met
        ),
        (2, 3, "66.6%", None),
        "甲 once though two visits, 丙 reached after the period counts for it; rounded toward \
         missing, and not judged before every call of the period is due (as on the dashboard)"
    );
    assert!(o.overall.pending);
    let now = clock.get();
    clock.set(START + 9 * DAY); // 03-11: the last first visit's call (03-07 + 3 days) is due
    let settled = service.followup_rates("2026-03-01", "2026-03-07").unwrap();
    assert_eq!(
        (
            settled.outpatient.overall.met,
            settled.outpatient.overall.pending
        ),
        (Some(true), false)
    );
    clock.set(now);
    let dept: Vec<(&str, i64, i64)> = o
        .by_department
        .iter()
        .map(|p| (p.name.as_str(), p.rate.numerator, p.rate.denominator))
        .collect();
    assert!(dept.contains(&("神经内科", 2, 3)), "{dept:?}");
    assert!(dept.contains(&("心血管内科", 0, 1)), "{dept:?}");
    let staff: Vec<(&str, i64, i64)> = o
        .by_staff
        .iter()
        .map(|p| (p.name.as_str(), p.rate.numerator, p.rate.denominator))
        .collect();
    assert_eq!(staff.len(), 2, "{staff:?}");
    assert!(
        staff.iter().any(|s| s.1 == 1 && s.2 == 3),
        "service: called 3, reached 甲: {staff:?}"
    );
    assert!(
        staff.iter().any(|s| s.1 == 1 && s.2 == 1),
        "supervisor: called and reached 丙: {staff:?}"
    );
    let i = &r.inpatient;
    assert_eq!(
        (
            i.overall.numerator,
            i.overall.denominator,
            i.overall.met,
            i.overall.pending
        ),
        (1, 2, None, true),
        "丁 with no phone counts, unreached; judged once the discharges' calls are all due"
    );
    assert_eq!(
        i.overall.target, 950,
        "95 %, in tenths of a percent as every target"
    );
    let reach: Vec<(i64, i64, i64)> = r.reach.iter().map(|a| (a.n, a.tried, a.reached)).collect();
    assert_eq!(
        reach,
        [(1, 4, 2), (2, 2, 1), (3, 1, 0)],
        "first tries: 甲 戊 reached, 乙 丙 not; second: 丙 reached, 乙 not; third: 乙 not"
    );
    // The records behind each number.
    let of = |rate: &str, part: &str, department: Option<DepartmentId>| RecordsOf {
        from: "2026-03-01".into(),
        to: "2026-03-07".into(),
        rate: rate.into(),
        part: part.into(),
        department_id: department,
        staff_id: None,
    };
    let names = |v: Vec<frontdesk_core::followup::rates::Record>| {
        let mut n: Vec<String> = v.into_iter().map(|r| r.patient).collect();
        n.sort();
        n
    };
    assert_eq!(
        names(
            service
                .followup_rate_records(&of("outpatient", "numerator", None))
                .unwrap()
        ),
        ["丙三", "甲一"]
    );
    assert_eq!(
        names(
            service
                .followup_rate_records(&of("outpatient", "denominator", None))
                .unwrap()
        ),
        ["丙三", "乙二", "甲一"]
    );
    let heart = DepartmentId(reference_id(&mut clerk, "department", "心血管内科"));
    assert_eq!(
        names(
            service
                .followup_rate_records(&of("outpatient", "denominator", Some(heart)))
                .unwrap()
        ),
        ["甲一"]
    );
    let inpatients = service
        .followup_rate_records(&of("inpatient", "denominator", None))
        .unwrap();
    let states: Vec<(String, Option<FState>)> = inpatients
        .into_iter()
        .map(|r| (r.patient, r.state))
        .collect();
    assert_eq!(
        states,
        [
            ("丁四".to_string(), Some(FState::FixNumber)),
            ("戊五".to_string(), Some(FState::Reached))
        ]
    );
    assert_eq!(
        invalid_field(service.followup_rates("2026-03-07", "2026-03-01")).0,
        "to"
    );
}

/// 回访登记本: the calls of a period with what they heard and led to, the rates at its head;
/// masked unless a supervisor asks otherwise with a reason; audited; read back from the PDF
/// (pdftotext) and the workbook (calamine), and made the same from the command line.
#[test]
fn the_register_reads_back_masked_and_unmasked() {
    let dir = temp();
    let clock = test_clock!();
    let (mut clerk, mut service) = desks(&dir, &clock);
    let zhang = patient(&mut clerk, "张小三", "13800138000");
    let li = patient(&mut clerk, "李四", "13900139000");
    register(&mut clerk, zhang);
    register(&mut clerk, li);
    clock.advance(3 * DAY);
    let due = service.followup_list("due", 100).unwrap();
    let of = |name: &str| due.iter().find(|f| f.patient == name).unwrap().id;
    let neuro = DepartmentId(reference_id(&mut clerk, "department", "神经内科"));
    reach(
        &mut service,
        of("张小三"),
        AnswerInput {
            registration: "dissatisfied".into(),
            doctor: "satisfied".into(),
            overall: "neutral".into(),
            words: "排队太久".into(),
            concern: "希望增加挂号窗口".into(),
            concern_department_id: Some(neuro),
            ..Default::default()
        },
    )
    .unwrap();
    dial(&mut service, of("李四"), "no_answer").unwrap();

    let pdf = service
        .followup_register_file("2026-03-01", "2026-03-31", "pdf", false, "")
        .unwrap();
    let text = pdftotext(&pdf);
    for want in [
        "回访登记本",
        "张*三",
        "李*",
        "138****8000",
        "排队太久",
        "希望增加挂号窗口",
        "二次回访 2026-03-08",
        // The month is still running: judged once every call of it is due.
        "门诊回访率（初诊患者） 50.0%（1 / 2，目标 ≥ 60%，待考核）",
    ] {
        assert!(text.contains(want), "{want} not in:\n{text}");
    }
    assert!(!text.contains("13800138000"), "masked:\n{text}");
    assert!(!text.contains("张小三"), "masked:\n{text}");
    assert_eq!(last_action(service.connection()), "followup.register");

    let book = service
        .followup_register_file("2026-03-01", "2026-03-31", "xlsx", false, "")
        .unwrap();
    let rows = sheet(&book, "回访登记本");
    assert_eq!(rows.len(), 3, "a header and two calls: {rows:?}");
    assert_eq!(rows[0][8], "挂号满意度");
    let zhang_row = rows.iter().find(|r| r[2] == "张*三").unwrap();
    assert_eq!(
        (
            zhang_row[3].as_str(),
            zhang_row[7].as_str(),
            zhang_row[8].as_str(),
            zhang_row[10].as_str()
        ),
        ("138****8000", "已回访", "不满意", "满意")
    );
    let li_row = rows.iter().find(|r| r[2] == "李*").unwrap();
    assert_eq!((li_row[6].as_str(), li_row[7].as_str()), ("1", "待回访"));
    let rates = sheet(&book, "回访率");
    assert!(
        rates
            .iter()
            .any(|r| r[0] == "门诊回访率（初诊患者）" && r[1] == "50.0%" && r[5] == "待考核"),
        "{rates:?}"
    );

    // Unmasked: not for customer service; a supervisor's needs a reason, and is audited.
    assert_eq!(
        code(service.followup_register_file("2026-03-01", "2026-03-31", "pdf", true, "质控")),
        "forbidden"
    );
    let mut supervisor = signed_in(&dir, &clock, "supervisor");
    assert_eq!(
        invalid_field(supervisor.followup_register_file(
            "2026-03-01",
            "2026-03-31",
            "xlsx",
            true,
            ""
        ))
        .0,
        "export_reason"
    );
    assert_eq!(
        invalid_field(supervisor.followup_register_file(
            "2026-03-01",
            "2026-03-31",
            "docx",
            false,
            ""
        ))
        .0,
        "format"
    );
    let full = supervisor
        .followup_register_file("2026-03-01", "2026-03-31", "xlsx", true, "卫健委检查")
        .unwrap();
    let rows = sheet(&full, "回访登记本");
    assert!(
        rows.iter()
            .any(|r| r[2] == "张小三" && r[3] == "13800138000"),
        "{rows:?}"
    );
    assert_eq!(
        last_action(supervisor.connection()),
        "followup.register_unmasked"
    );

    // The command line makes the same register.
    drop(service);
    drop(supervisor);
    drop(clerk);
    let out = dir.path().join("回访.pdf");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_frontdesk-admin"))
        .args(["--db", &db_arg(&dir), "followups", "register"])
        .args(["--from", "2026-03-01", "--to", "2026-03-31", "--out"])
        .arg(&out)
        .env("FRONTDESK_LANG", "zh")
        .env("FRONTDESK_TEST_ONLY_ALLOW_UNDURABLE_SERVER", "1")
        .env_remove("FRONTDESK_DB")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let cli = pdftotext(&out);
    assert!(cli.contains("张*三") && cli.contains("排队太久"), "{cli}");
}

/// `demo --days N` works the follow-up list through `Desk`: discharges, calls of every outcome,
/// second and planned calls, concerns (some raised as complaints), and a spot-check done.
#[test]
fn the_demo_works_the_follow_up_list() {
    let dir = temp();
    let o = demo(&dir, "21");
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("follow-up calls"),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let conn = reader(db_path(&dir));
    let n = |sql: &str| -> i64 { conn.value(sql, &[]).unwrap() };
    for (what, sql) in [
        ("discharges", "SELECT count(*) FROM discharge"),
        (
            "reached",
            "SELECT count(*) FROM followup WHERE state = 'reached'",
        ),
        (
            "unreachable or waiting for a retry",
            "SELECT count(*) FROM followup_attempt WHERE outcome IN ('no_answer', 'busy')",
        ),
        (
            "wrong numbers",
            "SELECT count(*) FROM followup_attempt WHERE outcome = 'wrong_number'",
        ),
        (
            "second calls",
            "SELECT count(*) FROM followup WHERE kind = 'second'",
        ),
        ("concerns", "SELECT count(*) FROM followup_concern"),
        (
            "a spot-check done",
            "SELECT count(*) FROM spot_check WHERE done_at IS NOT NULL",
        ),
        (
            "open calls",
            "SELECT count(*) FROM followup WHERE closed_at IS NULL",
        ),
    ] {
        assert!(n(sql) > 0, "no {what}");
    }
    assert_verified(&conn);
}

/// A patient with no phone goes to the numbers to fix; when the registration desk has put a
/// number in the index meanwhile, that number puts the call back; the very number a call failed
/// on is no correction.
#[test]
fn a_number_fixed_at_the_desk_puts_the_call_back() {
    let dir = temp();
    let clock = test_clock!();
    let (mut clerk, mut service) = desks(&dir, &clock);
    let nophone = patient(&mut clerk, "钱七", "");
    register(&mut clerk, nophone);
    let wrong = patient(&mut clerk, "孙八", "13800138008");
    register(&mut clerk, wrong);
    clock.advance(3 * DAY);
    let fix = service.followup_list("fix_number", 100).unwrap();
    assert_eq!(fix.len(), 1);
    let qian = fix[0].id;
    // The registration desk takes the number when 钱七 comes back.
    let p = clerk.patient_get(nophone).unwrap();
    clerk
        .patient_save(
            &frontdesk_core::patient::PatientInput {
                id: Some(nophone),
                name: p.name,
                sex: p.sex,
                birth_date: p.birth_date.unwrap_or_default(),
                phone: "13700137007".into(),
                ..Default::default()
            },
            true,
        )
        .unwrap();
    let back = service.followup_fix_number(qian, "137 0013 7007").unwrap();
    assert_eq!(back.state, FState::Open);
    // 孙八's number was wrong: the same number again is refused.
    let sun = service
        .followup_list("due", 100)
        .unwrap()
        .into_iter()
        .find(|f| f.patient == "孙八")
        .unwrap()
        .id;
    dial(&mut service, sun, "wrong_number").unwrap();
    assert_eq!(
        invalid_field(service.followup_fix_number(sun, "13800138008")).0,
        "phone"
    );
    assert_verified(service.connection());
}
