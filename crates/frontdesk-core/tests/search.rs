//! 患者检索 on a real file: every kind of query the clerk types, each reading of a polyphonic
//! name found both ways, masking in the list, and the ranking (exact card or ID first, then the
//! latest visit, never-seen last, then name).

#[macro_use]
mod common;

use chrono::NaiveDate;
use common::*;
use frontdesk_core::audit::Actor;
use frontdesk_core::ids::PatientId;
use frontdesk_core::patient::{self, PatientInput};
use frontdesk_core::search::{self, Match, PatientHit};
use frontdesk_core::store::{self, Conn};
use frontdesk_core::Problem;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
}

/// (name, sex, id number, phone). Card numbers follow the order: 00000001, 00000002, …
const PATIENTS: [(&str, &str, &str, &str); 14] = [
    ("张三", "", "110105199003071239", "13800138000"),
    ("张三丰", "M", "", "13912345678"),
    ("单雄信", "M", "", "13700001111"),
    ("曾国藩", "M", "", "13600002222"),
    ("解晓东", "M", "", "13500003333"),
    ("区志华", "F", "", "13400004444"),
    ("John Smith", "M", "", "0571-88886666"),
    ("吕布", "M", "", "15800005555"),
    ("章珊", "F", "", "18600006666"),
    ("张珊珊", "", "11010519491231002X", "18800007777"),
    ("阿依古丽·买买提", "F", "", ""),
    ("李四", "M", "", "13811112222"),
    ("王五", "M", "", "13822223333"),
    ("赵六", "M", "", ""),
];

fn fixture(dir: &tempfile::TempDir) -> Conn {
    let mut conn = store(dir);
    for (i, (name, sex, id, phone)) in PATIENTS.iter().enumerate() {
        let input = PatientInput {
            name: name.to_string(),
            sex: sex.to_string(),
            id_number: id.to_string(),
            phone: phone.to_string(),
            ..Default::default()
        };
        let p = store::write(
            &mut conn,
            &Actor::system("test"),
            START + i as i64 * MINUTE,
            |tx| patient::save(tx, &input, true),
        )
        .unwrap();
        assert_eq!(p.card_no, format!("{:08}", i + 1));
    }
    conn
}

fn find(conn: &Conn, q: &str) -> Vec<PatientHit> {
    search::search(conn, q, search::DEFAULT_LIMIT, today())
        .unwrap_or_else(|e| panic!("{q:?}: {e:?}"))
}

fn names(conn: &Conn, q: &str) -> Vec<String> {
    find(conn, q).into_iter().map(|h| h.name).collect()
}

#[test]
fn every_kind_of_query_finds_its_patients() {
    let dir = temp();
    let conn = fixture(&dir);
    // (query, the names expected — in ranking order: nobody has visited, so by name —, and
    // what the first one matched).
    let cases: &[(&str, &[&str], Match)] = &[
        // 就诊卡号: whole, or the number without its zeros.
        ("00000001", &["张三"], Match::Card),
        ("1", &["张三"], Match::Card),
        ("10", &["张珊珊"], Match::Card),
        (" 0000 0010 ", &["张珊珊"], Match::Card),
        // Phone: whole, from its beginning (five digits on), last four; landlines either way.
        ("13800138000", &["张三"], Match::Phone),
        ("138-0013-8000", &["张三"], Match::Phone),
        ("13800", &["张三"], Match::Phone),
        ("1381111", &["李四"], Match::Phone),
        ("8000", &["张三"], Match::LastFour),
        ("6666", &["John Smith", "章珊"], Match::LastFour),
        ("88886666", &["John Smith"], Match::Phone),
        ("0571-8888", &["John Smith"], Match::Phone),
        ("057188886666", &["John Smith"], Match::Phone),
        // 身份证号: whole (with x either case), or from the region code on.
        ("110105199003071239", &["张三"], Match::IdNumber),
        ("11010519491231002x", &["张珊珊"], Match::IdNumber),
        ("11010519491231002X", &["张珊珊"], Match::IdNumber),
        ("110105", &["张三", "张珊珊"], Match::IdNumber),
        // Name from its beginning.
        ("张", &["张三", "张三丰", "张珊珊"], Match::Name),
        ("张三", &["张三", "张三丰"], Match::Name),
        ("阿依古丽", &["阿依古丽·买买提"], Match::Name),
        ("阿依古丽•买", &["阿依古丽·买买提"], Match::Name),
        // Pinyin initials and full pinyin, from their beginning.
        ("zs", &["张三", "张三丰", "张珊珊", "章珊"], Match::Initials),
        ("ZS", &["张三", "张三丰", "张珊珊", "章珊"], Match::Initials),
        ("zsf", &["张三丰"], Match::Initials),
        ("zhangsan", &["张三", "张三丰"], Match::Pinyin),
        ("zhang san", &["张三", "张三丰"], Match::Pinyin),
        (
            "zhangs",
            &["张三", "张三丰", "张珊珊", "章珊"],
            Match::Pinyin,
        ),
        ("ls", &["李四"], Match::Initials),
        ("aygl", &["阿依古丽·买买提"], Match::Initials),
        // Latin names are their own pinyin.
        ("john", &["John Smith"], Match::Pinyin),
        ("John Sm", &["John Smith"], Match::Pinyin),
        ("js", &["John Smith"], Match::Initials),
        // Nobody.
        ("王二", &[], Match::Name),
        ("qq", &[], Match::Initials),
        ("13999999999", &[], Match::Phone),
        ("99999999", &[], Match::Card),
    ];
    for (q, want, matched) in cases {
        let hits = find(&conn, q);
        let got: Vec<&str> = hits.iter().map(|h| h.name.as_str()).collect();
        assert_eq!(&got, want, "{q:?}");
        if let Some(first) = hits.first() {
            assert_eq!(first.matched, *matched, "{q:?}");
        }
    }
}

#[test]
fn every_reading_of_a_polyphonic_name_finds_it() {
    let dir = temp();
    let conn = fixture(&dir);
    let cases: &[(&str, &[&str])] = &[
        (
            "单雄信",
            &[
                "shanxiongxin",
                "danxiongxin",
                "chanxiongxin",
                "sxx",
                "dxx",
                "cxx",
                "shan",
                "dan",
            ],
        ),
        (
            "曾国藩",
            &["zengguofan", "cengguofan", "zgf", "cgf", "zeng"],
        ),
        ("解晓东", &["xiexiaodong", "jiexiaodong", "xxd", "jxd"]),
        ("区志华", &["ouzhihua", "quzhihua", "ozh", "qzh"]),
        ("吕布", &["lvbu", "lubu", "lb"]),
    ];
    for (name, queries) in cases {
        // The readings the keys were built from hold them all …
        let fulls: Vec<String> = search::readings(name).into_iter().map(|r| r.full).collect();
        for q in *queries {
            // … and each one typed finds the patient.
            assert!(
                names(&conn, q).contains(&name.to_string()),
                "{q:?} does not find {name} (readings {fulls:?})"
            );
        }
    }
}

#[test]
fn the_list_masks_phone_and_id_number() {
    let dir = temp();
    let conn = fixture(&dir);
    let hit = &find(&conn, "00000001")[0];
    assert_eq!(hit.phone_masked.as_deref(), Some("138****8000"));
    assert_eq!(hit.id_number_masked.as_deref(), Some("110105********1239"));
    assert_eq!(
        (hit.sex.as_str(), hit.birth_date.as_deref(), hit.age),
        ("M", Some("1990-03-07"), Some(35))
    );
    let json = serde_json::to_value(hit).unwrap();
    assert!(!json.to_string().contains("13800138000"), "{json}");
    assert!(!json.to_string().contains("199003071239"), "{json}");
    assert_eq!(json["matched"], "card");

    let landline = &find(&conn, "john")[0];
    assert_eq!(landline.phone_masked.as_deref(), Some("0571-****6666"));
    assert_eq!(landline.id_number_masked, None);
    let x = &find(&conn, "11010519491231002x")[0];
    assert_eq!(x.id_number_masked.as_deref(), Some("110105********002X"));
}

#[test]
fn results_rank_exact_card_or_id_first_then_latest_visit_then_name() {
    let dir = temp();
    let mut conn = fixture(&dir);
    let visit = |conn: &mut Conn, card: &str, at: i64| {
        let id = patient::find_by_card(conn, card, today())
            .unwrap()
            .unwrap()
            .id;
        store::write(conn, &Actor::system("test"), at, |tx| {
            patient::mark_visit(tx, id)
        })
        .unwrap();
    };
    // 章珊 came last week, 张珊珊 yesterday; 张三 and 张三丰 never.
    visit(&mut conn, "00000009", START - 7 * DAY);
    visit(&mut conn, "00000010", START - DAY);
    assert_eq!(names(&conn, "zs"), ["张珊珊", "章珊", "张三", "张三丰"]);
    assert_eq!(names(&conn, "zhangs"), ["张珊珊", "章珊", "张三", "张三丰"]);
    // 张三丰 comes today: first now.
    visit(&mut conn, "00000002", START + HOUR);
    assert_eq!(names(&conn, "zs"), ["张三丰", "张珊珊", "章珊", "张三"]);
    // An exact ID number or card ranks first whatever the visits.
    assert_eq!(names(&conn, "110105"), ["张珊珊", "张三"]);
    assert_eq!(names(&conn, "110105199003071239"), ["张三"]);
    let id = search::probes("110105199003071239").unwrap();
    assert!(id.iter().any(|p| p.exact), "{id:?}");

    // Cards 00000001 and 00000010–00000014 begin with 0000001: card 1 typed in full wins.
    let hits = names(&conn, "0000001");
    assert_eq!(hits[0], "张三", "{hits:?}");
    assert_eq!(hits.len(), 6, "{hits:?}");
    assert_eq!(hits[1], "张珊珊", "the one seen latest next: {hits:?}");

    // At most `limit`.
    assert_eq!(search::search(&conn, "zs", 2, today()).unwrap().len(), 2);
    assert_verified(&conn);
}

#[test]
fn an_empty_query_is_no_search_and_a_long_one_is_refused() {
    let dir = temp();
    let conn = fixture(&dir);
    for q in ["", " ", "\t  "] {
        assert!(find(&conn, q).is_empty(), "{q:?}");
    }
    let e = search::search(&conn, &"张".repeat(41), 20, today()).unwrap_err();
    assert_eq!(e.field(), Some("query"));
    assert!(matches!(
        e,
        frontdesk_core::Error::Invalid {
            problem: Problem::TooLong(40),
            ..
        }
    ));
    assert!(search::search(&conn, &"z".repeat(40), 20, today()).is_ok());
    // Odd characters find nothing rather than fail.
    for q in ["%", "_", "'", "\"", "z%", "张%", "--", "c:", "\u{10ffff}"] {
        assert!(find(&conn, q).is_empty(), "{q:?}");
    }
}

#[test]
fn one_letter_stays_bounded_on_many_patients() {
    // Many patients share the initial `z`: the list is the limit, the lookup its bound.
    let dir = temp();
    let mut conn = store(&dir);
    let given = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋'];
    store::write(&mut conn, &Actor::system("test"), START, |tx| {
        for a in given {
            for b in given {
                let input = PatientInput {
                    name: format!("张{a}{b}"),
                    sex: "M".into(),
                    ..Default::default()
                };
                patient::save(tx, &input, true)?;
            }
        }
        Ok(())
    })
    .unwrap();
    assert_eq!(find(&conn, "z").len(), search::DEFAULT_LIMIT);
    assert_eq!(find(&conn, "张").len(), search::DEFAULT_LIMIT);
    assert_eq!(
        search::search(&conn, "z", 1000, today()).unwrap().len(),
        100
    );
}

#[test]
fn last_four_digits_list_the_latest_visitors_after_the_card_they_are() {
    // 30 patients whose phones end in 0012, and the patient whose card is 00000012 (their
    // phone ends in 0012 too): the card first, listed once; then the latest visit, the
    // never-seen last, ties by name and then by who came first.
    let dir = temp();
    let mut conn = store(&dir);
    let names = ["王芳", "李娜", "张伟"];
    let ids: Vec<PatientId> = store::write(&mut conn, &Actor::system("test"), START, |tx| {
        (0..30)
            .map(|i| {
                let input = PatientInput {
                    name: names[i % 3].to_string(),
                    sex: "F".into(),
                    phone: format!("139{:04}0012", i),
                    ..Default::default()
                };
                Ok(patient::save(tx, &input, true)?.id)
            })
            .collect()
    })
    .unwrap();
    assert_eq!(
        patient::find_by_card(&conn, "00000012", today())
            .unwrap()
            .unwrap()
            .id,
        ids[11]
    );
    // Patients 20..25 came, 24 the latest; patient 11 (card 00000012) came long ago.
    for (k, i) in (20..25).enumerate() {
        store::write(
            &mut conn,
            &Actor::system("test"),
            START + k as i64 * HOUR,
            |tx| patient::mark_visit(tx, ids[i]),
        )
        .unwrap();
    }
    store::write(&mut conn, &Actor::system("test"), START - 30 * DAY, |tx| {
        patient::mark_visit(tx, ids[11])
    })
    .unwrap();

    let hits = find(&conn, "0012");
    assert_eq!(hits.len(), search::DEFAULT_LIMIT, "{hits:?}");
    assert_eq!(hits[0].id, ids[11], "the card the digits are comes first");
    assert_eq!(hits[0].matched, Match::Card);
    assert_eq!(
        hits.iter().filter(|h| h.id == ids[11]).count(),
        1,
        "listed once"
    );
    let visited: Vec<PatientId> = hits[1..6].iter().map(|h| h.id).collect();
    assert_eq!(visited, [ids[24], ids[23], ids[22], ids[21], ids[20]]);
    assert!(hits[1..].iter().all(|h| h.matched == Match::LastFour));
    // The never-seen: by name (byte order, as the general list), then by who was saved first.
    let rest: Vec<(String, PatientId)> = hits[6..].iter().map(|h| (h.name.clone(), h.id)).collect();
    let mut sorted = rest.clone();
    sorted.sort();
    assert_eq!(rest, sorted);
    assert!(hits[6..].iter().all(|h| h.last_visit_at.is_none()));
    // The same ranking as every other query: the last-four list agrees with the patients'
    // own order, whatever limit is asked.
    let all = search::search(&conn, "0012", 1000, today()).unwrap();
    assert_eq!(all.len(), 30);
    assert_eq!(&all[..search::DEFAULT_LIMIT], &hits[..]);
    assert_eq!(
        search::search(&conn, "0012", 3, today()).unwrap(),
        hits[..3]
    );
    // Digits nobody's phone ends with, and no such card: nothing.
    assert!(find(&conn, "9999").is_empty());
    assert_verified(&conn);
}

#[test]
fn a_file_from_before_the_last_four_index_is_upgraded_and_searched_the_same() {
    sqlite_only!("a SQLite file of version 4");
    // A file as version 4 left it: its narrower last-four index, the `4:` keys, the log's
    // entity index, no (duty_id, status) index, no printers table, no history indexes, no complaints, no follow-ups (nor their answers and checks), no surveys, no guide desk logs, no quality targets, no quality tallies, no inspection plan, no retention periods, no redactions
    // (nor the indexes that serve them).
    let dir = temp();
    let conn = fixture(&dir);
    let want = names(&conn, "8000");
    assert_eq!(want, ["张三"]);
    drop(conn);
    let tool = sqlite_tool(&db_file(&dir));
    tool.execute_batch(
        "DROP INDEX patient_phone_last4_list;
         CREATE INDEX patient_phone_last4 ON patient (substr(phone, -4), last_visit_at DESC);
         DROP INDEX registration_duty_status;
         CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, id);
         DROP TABLE desk_printer;
         CREATE TABLE person_kept AS SELECT * FROM person WHERE doctor_id IS NULL;
         DROP TABLE audit_redaction;
         DROP TABLE retention_period;
         DROP TABLE quality_check;
         DROP TABLE inspection_item;
         DROP INDEX spot_check_done;
         DROP TABLE quality_tally;
         DROP INDEX registration_quality;
         DROP INDEX patient_created;
         DROP TABLE quality_target;
         DROP TABLE operating_target;
         DROP TABLE guide_log;
         DROP TABLE survey_answer;
         DROP TABLE survey_response;
         DROP TABLE questionnaire_item;
         DROP TABLE questionnaire_version;
         DROP TABLE questionnaire;
         DROP TABLE market_survey;
         DROP TABLE spot_check_item;
         DROP TABLE spot_check;
         DROP TABLE followup_concern;
         DROP TABLE followup_answer;
         DROP TABLE followup_attempt;
         DROP TABLE followup;
         DROP TABLE discharge;
         DROP TABLE patient_no_call;
         DROP TABLE followup_setting;
         DROP TABLE complaint_step;
         DROP TABLE complaint_department;
         DROP TABLE complaint;
         DROP TABLE calendar_day;
         DROP TABLE complaint_tier;
         DROP TABLE complaint_category;
         DROP TABLE person;
         DROP INDEX registration_shift_status;
         DROP INDEX receipt_shift;
         DROP INDEX receipt_registration;
         DROP INDEX ledger_receipt;
         DROP INDEX receipt_print_shift;
         INSERT INTO patient_key (key, patient_id)
             SELECT '4:' || substr(phone, -4), id FROM patient WHERE phone IS NOT NULL;
         PRAGMA user_version = 4;",
    )
    .unwrap();
    drop(tool);

    let conn = Conn::open(db_file(&dir)).unwrap();
    assert_eq!(conn.version().unwrap(), store::schema_version());
    // The upgrade made the doctors' directory entries again, as a version-4 file needs; the
    // demo's other people, which such a file would not have had, are put back as they were.
    drop(conn);
    let tool = sqlite_tool(&db_file(&dir));
    tool.execute_batch("INSERT INTO person SELECT * FROM person_kept; DROP TABLE person_kept;")
        .unwrap();
    drop(tool);
    let conn = Conn::open(db_file(&dir)).unwrap();
    let stale: i64 = conn
        .value(
            "SELECT count(*) FROM patient_key WHERE key >= '4:' AND key < '4;'",
            &[],
        )
        .unwrap();
    assert_eq!(stale, 0, "the 4: keys are gone");
    let indexes: Vec<String> = conn
        .all(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'",
            &[],
            |r| Ok(r.get(0)?),
        )
        .unwrap();
    for (name, present) in [
        ("patient_phone_last4_list", true),
        ("registration_duty_status", true),
        ("registration_shift_status", true),
        ("receipt_shift", true),
        ("receipt_registration", true),
        ("ledger_receipt", true),
        ("receipt_print_shift", true),
        ("patient_phone_last4", false),
        ("audit_log_entity", false),
    ] {
        assert_eq!(
            indexes.contains(&name.to_string()),
            present,
            "{name}: {indexes:?}"
        );
    }
    assert_eq!(names(&conn, "8000"), want);
    assert_eq!(names(&conn, "6666"), ["John Smith", "章珊"]);
    assert_verified(&conn);
}
