//! 满意度问卷 and 征询意见表 through `Desk`, on a real store (a file, or a database of its own on
//! the test server): forms entered at the guide desk and checked item by item, questionnaires
//! that never change once they exist (a change makes the next version, and the answers keep
//! theirs), the answers counted by item over versions, and market surveys.

#[macro_use]
mod common;

use std::collections::BTreeMap;

use common::*;
use frontdesk_core::survey::{ItemInput, MarketInput, QuestionnaireInput, ResponseInput};
use frontdesk_core::{Error, Problem};

fn answers(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn a_paper_form_is_entered_at_the_guide_desk_and_checked_item_by_item() {
    let dir = temp();
    let clock = test_clock!();
    let mut guide = signed_in(&dir, &clock, "guide");
    let forms = guide.survey_questionnaires().unwrap();
    let names: Vec<&str> = forms.iter().map(|q| q.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "征询意见表（门诊）",
            "征询意见表（住院）",
            "患者满意度问卷调查表"
        ]
    );
    let outpatient = &forms[0];
    assert_eq!(outpatient.form_no, "RAFS-QR-8.2-02");
    assert_eq!(outpatient.version, 1);
    assert_eq!(
        outpatient
            .items
            .iter()
            .map(|i| i.code.as_str())
            .collect::<Vec<_>>(),
        [
            "registration",
            "guide",
            "doctor",
            "nursing",
            "environment",
            "waiting",
            "overall",
            "suggestion"
        ]
    );
    let inpatient = &forms[1];
    assert_eq!(inpatient.items[0].scale, "frequency");

    let form = |pairs: &[(&str, &str)]| ResponseInput {
        version_id: Some(outpatient.version_id),
        answers: answers(pairs),
        ..Default::default()
    };
    // Refused, naming the item, and nothing written.
    let audit = audit_count(guide.connection());
    match guide.survey_record(&form(&[("registration", "satisfied"), ("doctor", "great")])) {
        Err(Error::SurveyItem {
            position: 3,
            problem: Problem::Unknown,
            ..
        }) => {}
        other => panic!("{other:?}"),
    }
    let msg = guide
        .survey_record(&form(&[("doctor", "great")]))
        .unwrap_err()
        .message(frontdesk_core::Lang::Zh);
    assert!(msg.starts_with("第 3 题"), "{msg}");
    assert!(matches!(
        guide.survey_record(&form(&[])),
        Err(Error::SurveyItem {
            position: 1,
            problem: Problem::Required,
            ..
        })
    ));
    assert_eq!(
        invalid_field(guide.survey_record(&form(&[("nosuch", "satisfied")]))).0,
        "survey_answer"
    );
    let later = ResponseInput {
        taken_on: "2026-03-09".into(),
        ..form(&[("overall", "satisfied")])
    };
    assert_eq!(invalid_field(guide.survey_record(&later)).0, "taken_on");
    // Every problem at once: the date and each wrong item, in the form's order.
    let several = guide
        .survey_record(&ResponseInput {
            taken_on: "2026-13-45".into(),
            ..form(&[
                ("guide", "great"),
                ("overall", "so-so"),
                ("nursing", "satisfied"),
            ])
        })
        .unwrap_err();
    let places: Vec<_> = several
        .each()
        .iter()
        .map(|e| match e {
            Error::SurveyItem { position, .. } => format!("第 {position} 题"),
            e => e.field().unwrap_or("").to_string(),
        })
        .collect();
    assert_eq!(places, ["taken_on", "第 2 题", "第 7 题"]);
    assert_eq!(
        invalid_field(guide.survey_record(&ResponseInput {
            version_id: None,
            ..form(&[("overall", "satisfied")])
        }))
        .0,
        "questionnaire"
    );
    assert_eq!(audit_count(guide.connection()), audit, "nothing written");

    // Two forms: one with a blank item (as on paper) and words, one unhappy with the desk.
    let (_, n) = guide
        .survey_record(&form(&[
            ("registration", "satisfied"),
            ("guide", "satisfied"),
            ("doctor", "satisfied"),
            ("overall", "satisfied"),
            ("suggestion", "医生很耐心"),
        ]))
        .unwrap();
    assert_eq!(n, 1);
    let (_, n) = guide
        .survey_record(&ResponseInput {
            taken_on: "2026-03-01".into(),
            ..form(&[("registration", "dissatisfied"), ("overall", "neutral")])
        })
        .unwrap();
    assert_eq!(n, 2, "two entered today by this desk");
    assert_eq!(guide.survey_entered_today().unwrap(), 2);

    // A clerk enters no forms; the results are the supervisors'.
    let mut clerk = signed_in(&dir, &clock, "clerk");
    assert_eq!(code(clerk.survey_questionnaires()), "forbidden");
    let mut supervisor = signed_in(&dir, &clock, "supervisor");
    let r = supervisor
        .survey_results(outpatient.id, "2026-03-01", "2026-03-02")
        .unwrap();
    assert_eq!(r.responses, 2);
    let reg = r.items.iter().find(|i| i.code == "registration").unwrap();
    assert_eq!(
        reg.counts
            .iter()
            .map(|c| (c.label.as_str(), c.count))
            .collect::<Vec<_>>(),
        [("满意", 1), ("一般", 0), ("不满意", 1)]
    );
    let nursing = r.items.iter().find(|i| i.code == "nursing").unwrap();
    assert_eq!(nursing.answered, 0, "left blank on both forms");
    let words = r.items.iter().find(|i| i.code == "suggestion").unwrap();
    assert_eq!(words.answered, 1);
    assert_eq!(
        code(guide.survey_results(outpatient.id, "2026-03-01", "2026-03-02")),
        "forbidden"
    );

    // Forms and answers are never rewritten.
    let tool = sql_tool(&db_path(&dir));
    let msg = refused(tool.run("UPDATE survey_answer SET value = 'satisfied'"));
    assert!(msg.contains("append-only"), "{msg}");
    let msg = refused(tool.run("DELETE FROM survey_response"));
    assert!(msg.contains("append-only"), "{msg}");
    assert_verified(guide.connection());
}

#[test]
fn a_changed_questionnaire_is_a_new_version_and_the_answers_keep_theirs() {
    let dir = temp();
    let clock = test_clock!();
    let mut guide = signed_in(&dir, &clock, "guide");
    let mut head = signed_in(&dir, &clock, "head");
    let q = head
        .questionnaire_list()
        .unwrap()
        .into_iter()
        .find(|q| q.code == "satisfaction")
        .unwrap();
    let v1 = q.version_id;
    guide
        .survey_record(&ResponseInput {
            version_id: Some(v1),
            answers: answers(&[("guide", "dissatisfied"), ("overall", "neutral")]),
            ..Default::default()
        })
        .unwrap();
    let mut items: Vec<ItemInput> = q
        .items
        .iter()
        .map(|i| ItemInput {
            code: i.code.clone(),
            text: i.text.clone(),
            scale: i.scale.clone(),
            aspect: i.aspect.clone(),
        })
        .collect();
    let input = |items: Vec<ItemInput>| QuestionnaireInput {
        id: Some(q.id),
        code: q.code.clone(),
        name: q.name.clone(),
        kind: q.kind.clone(),
        form_no: q.form_no.clone(),
        active: true,
        items,
    };
    // The same items again: no new version.
    head.questionnaire_save(&input(items.clone())).unwrap();
    assert_eq!(head.questionnaire_list().unwrap()[2].version, 1);
    // The guide item reworded and a nursing item added: version 2; version 1 stays as it was.
    items[1].text = "导医的引导".into();
    items.insert(
        3,
        ItemInput {
            code: "nursing".into(),
            text: "护士".into(),
            scale: "satisfaction".into(),
            aspect: Some("nursing".into()),
        },
    );
    head.questionnaire_save(&input(items.clone())).unwrap();
    let now = head.questionnaire_list().unwrap().remove(2);
    assert_eq!((now.version, now.items.len(), now.responses), (2, 7, 1));
    assert_ne!(now.version_id, v1);
    // A form printed on version 1 may still be entered on it.
    guide
        .survey_record(&ResponseInput {
            version_id: Some(v1),
            answers: answers(&[("guide", "satisfied")]),
            ..Default::default()
        })
        .unwrap();
    guide
        .survey_record(&ResponseInput {
            version_id: Some(now.version_id),
            answers: answers(&[("guide", "satisfied"), ("nursing", "satisfied")]),
            ..Default::default()
        })
        .unwrap();
    // Counted by item code over both versions.
    let r = head
        .survey_results(q.id, "2026-03-02", "2026-03-02")
        .unwrap();
    assert_eq!(r.responses, 3);
    let guide_item = r.items.iter().find(|i| i.code == "guide").unwrap();
    assert_eq!(guide_item.text, "导医的引导", "the current words");
    assert_eq!(
        guide_item
            .counts
            .iter()
            .map(|c| c.count)
            .collect::<Vec<_>>(),
        [2, 0, 1]
    );
    // Bad definitions are refused, naming the item.
    let mut twice = items.clone();
    twice[2].code = "guide".into();
    assert!(matches!(
        head.questionnaire_save(&input(twice)),
        Err(Error::SurveyItem {
            position: 3,
            problem: Problem::Taken,
            ..
        })
    ));
    let mut words_with_aspect = items.clone();
    words_with_aspect[6].aspect = Some("overall".into());
    assert!(matches!(
        head.questionnaire_save(&input(words_with_aspect)),
        Err(Error::SurveyItem {
            position: 7,
            problem: Problem::Unknown,
            ..
        })
    ));
    assert_eq!(
        invalid_field(head.questionnaire_save(&input(vec![]))).0,
        "items"
    );
    // A new questionnaire with nothing typed: every field and every row's problem at once,
    // each row by its place (第 1 题：请填写题目代码), and nothing saved.
    let before = head.questionnaire_list().unwrap().len();
    let blank_row = ItemInput {
        code: String::new(),
        text: String::new(),
        scale: "satisfaction".into(),
        aspect: None,
    };
    let empty = QuestionnaireInput {
        id: None,
        code: String::new(),
        name: String::new(),
        kind: q.kind.clone(),
        form_no: String::new(),
        active: true,
        items: vec![
            blank_row.clone(),
            ItemInput {
                code: "ok".into(),
                text: "好".into(),
                ..blank_row
            },
        ],
    };
    let all = head.questionnaire_save(&empty).unwrap_err();
    let places: Vec<String> = all
        .each()
        .iter()
        .map(|e| match e {
            Error::SurveyItem {
                position, field, ..
            } => format!("{position} {field}"),
            e => e.field().unwrap_or("").to_string(),
        })
        .collect();
    assert_eq!(
        places,
        [
            "questionnaire_code",
            "questionnaire_name",
            "1 item_code",
            "1 item_text"
        ]
    );
    let said: Vec<String> = all
        .each()
        .iter()
        .map(|e| e.message(frontdesk_core::Lang::Zh))
        .collect();
    assert_eq!(said[2], "第 1 题：请填写题目代码");
    assert_eq!(head.questionnaire_list().unwrap().len(), before);
    assert_eq!(code(guide.questionnaire_save(&input(items))), "forbidden");
    // The database refuses a version changed in place.
    let tool = sql_tool(&db_path(&dir));
    let msg = refused(tool.run("UPDATE questionnaire_item SET text = '改'"));
    assert!(msg.contains("never changed"), "{msg}");
    let msg = refused(tool.run("DELETE FROM questionnaire_version"));
    assert!(msg.contains("never deleted"), "{msg}");
    assert_verified(head.connection());
}

#[test]
fn market_surveys_are_recorded_as_events() {
    let dir = temp();
    let clock = test_clock!();
    let mut supervisor = signed_in(&dir, &clock, "supervisor");
    let input = MarketInput {
        held_on: "2026-02-20".into(),
        topic: "周边社区就医意向".into(),
        method: "街头问卷".into(),
        sample_size: "120".into(),
        findings: "夜间门诊需求明显".into(),
    };
    for (field, bad) in [
        (
            "held_on",
            MarketInput {
                held_on: "2026-03-10".into(),
                ..input.clone()
            },
        ),
        (
            "topic",
            MarketInput {
                topic: " ".into(),
                ..input.clone()
            },
        ),
        (
            "sample_size",
            MarketInput {
                sample_size: "很多".into(),
                ..input.clone()
            },
        ),
        (
            "findings",
            MarketInput {
                findings: String::new(),
                ..input.clone()
            },
        ),
    ] {
        assert_eq!(
            invalid_field(supervisor.market_survey_record(&bad)).0,
            field
        );
    }
    supervisor.market_survey_record(&input).unwrap();
    let list = supervisor
        .market_survey_list("2026-02-01", "2026-02-28")
        .unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(
        (list[0].sample_size, list[0].recorded_by.as_str()),
        (120, "赵丽")
    );
    assert!(supervisor
        .market_survey_list("2026-03-01", "2026-03-31")
        .unwrap()
        .is_empty());
    let mut guide = signed_in(&dir, &clock, "guide");
    assert_eq!(code(guide.market_survey_record(&input)), "forbidden");
    assert_verified(supervisor.connection());
}

/// `demo --days N` enters the guide desk's paper forms, work log and handover every day, and a
/// market survey.
#[test]
fn the_demo_enters_survey_forms_a_market_survey_and_the_guide_desks_logs() {
    let dir = temp();
    demo(&dir, "5");
    let conn = reader(db_path(&dir));
    let forms: i64 = conn
        .value("SELECT count(*) FROM survey_response", &[])
        .unwrap();
    let answers: i64 = conn
        .value("SELECT count(*) FROM survey_answer", &[])
        .unwrap();
    let market: i64 = conn
        .value("SELECT count(*) FROM market_survey", &[])
        .unwrap();
    assert!(
        forms >= 10 && answers > forms && market >= 1,
        "{forms} forms, {answers} answers, {market} market"
    );
    assert_verified(&conn);
}
