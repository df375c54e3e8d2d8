//! 客户回访 through `Desk`, on a real store (a file, or a database of its own on the test
//! server): the work list filling itself from first visits and discharges, and each outcome of
//! a call leading where its rule says, every attempt kept.

#[macro_use]
mod common;

use common::*;
use frontdesk_core::followup::{AttemptInput, DischargeInput, FState, Filter};
use frontdesk_core::ids::{DepartmentId, FollowupId, PatientId};
use frontdesk_core::registration::{Choice, PaymentInput, RegisterInput};
use frontdesk_core::Desk;

fn register(desk: &mut Desk, patient_id: PatientId) {
    let department = DepartmentId(reference_id(desk, "department", "神经内科"));
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
    let call = |d: &mut Desk, id, outcome: &str| {
        d.followup_attempt(&AttemptInput {
            followup_id: id,
            outcome: outcome.into(),
            note: format!("{outcome} 记录"),
        })
    };

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
