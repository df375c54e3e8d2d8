//! 患者档案 through `Desk` as the registration page calls it, on real files: the ID number,
//! phone and name rules, birth date and sex from the ID, likely duplicates, the card series,
//! edits rebuilding the search keys, and bad input leaving the data exactly as it was.

#[macro_use]
mod common;

use chrono::NaiveDate;
use common::*;
use frontdesk_core::audit::Actor;
use frontdesk_core::ids::PatientId;
use frontdesk_core::patient::{
    self, check_id_number, normalize_name, normalize_phone, PatientInput,
};
use frontdesk_core::store::{self, Conn};
use frontdesk_core::{Desk, Error, Lang, Problem};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
}

fn clerk_desk(dir: &tempfile::TempDir, clock: &Clock) -> Desk {
    let mut d = desk(dir, clock);
    login(&mut d, "clerk");
    d
}

fn person(name: &str, sex: &str, birth: &str, id: &str, phone: &str) -> PatientInput {
    PatientInput {
        name: name.into(),
        sex: sex.into(),
        birth_date: birth.into(),
        id_number: id.into(),
        phone: phone.into(),
        ..Default::default()
    }
}

fn problem(r: Result<impl std::fmt::Debug, Error>) -> (&'static str, Problem) {
    match r {
        Err(Error::Invalid { field, problem }) => (field, problem),
        other => panic!("expected Error::Invalid, got {other:?}"),
    }
}

#[test]
fn id_numbers_are_checked_and_read() {
    // Valid numbers with their check digits computed by GB 11643 (the first is the standard's
    // own example).
    let valid = [
        (
            "11010519491231002X",
            "11010519491231002X",
            "1949-12-31",
            "F",
        ),
        (
            "11010519491231002x",
            "11010519491231002X",
            "1949-12-31",
            "F",
        ),
        (
            " 110105199003071239 ",
            "110105199003071239",
            "1990-03-07",
            "M",
        ),
        (
            "440305198511204563",
            "440305198511204563",
            "1985-11-20",
            "F",
        ),
        (
            "310104200002290022",
            "310104200002290022",
            "2000-02-29",
            "F",
        ),
        (
            "51010719700101321X",
            "51010719700101321X",
            "1970-01-01",
            "M",
        ),
        (
            "65010220100815884X",
            "65010220100815884X",
            "2010-08-15",
            "F",
        ),
        (
            "820000199912310014",
            "820000199912310014",
            "1999-12-31",
            "M",
        ),
    ];
    for (input, stored, birth, sex) in valid {
        let id = check_id_number(input, today()).unwrap_or_else(|e| panic!("{input}: {e:?}"));
        assert_eq!(id.number, stored, "{input}");
        assert_eq!(id.birth_date.to_string(), birth, "{input}");
        assert_eq!(id.sex, sex, "{input}");
    }
    let invalid = [
        ("", Problem::Required),
        ("11010519900307123", Problem::Length(18)),
        ("1101051990030712390", Problem::Length(18)),
        ("1101051990030712A9", Problem::BadFormat),
        ("11010519900307123Y", Problem::BadFormat),
        ("110105199003071238", Problem::IdCheckDigit),
        ("11010519491231002Y", Problem::BadFormat),
        ("110105199002301231", Problem::IdBirthDate), // 1990-02-30
        ("110105203001011231", Problem::IdBirthDate), // 2030: in the future
        ("110105189912310023", Problem::IdBirthDate), // before 1900
        ("990105199003071232", Problem::IdRegion),
        ("000105199003071232", Problem::IdRegion),
    ];
    for (input, want) in invalid {
        let (field, got) = problem(check_id_number(input, today()));
        assert_eq!((field, got), ("id_number", want), "{input}");
    }
    let e = check_id_number("110105199003071238", today()).unwrap_err();
    assert_eq!(e.message(Lang::Zh), "身份证号校验位不正确");
    assert_desk_sentence(&e);
}

#[test]
fn phones_are_mobiles_or_landlines_with_an_area_code() {
    let ok = [
        ("13800138000", Some("13800138000")),
        (" 138 0013 8000 ", Some("13800138000")),
        ("138-0013-8000", Some("13800138000")),
        ("19912345678", Some("19912345678")),
        ("010-12345678", Some("010-12345678")),
        ("01012345678", Some("010-12345678")),
        ("0571-88886666", Some("0571-88886666")),
        ("057188886666", Some("0571-88886666")),
        ("0755 2345678", Some("0755-2345678")),
        ("021-6234567", Some("021-6234567")),
        // As people write them, and as an old system's export holds them.
        ("+8613800138000", Some("13800138000")),
        ("+86 138 0013 8000", Some("13800138000")),
        ("0086-138-0013-8000", Some("13800138000")),
        ("(0571) 8888 6666", Some("0571-88886666")),
        ("", None),
        ("   ", None),
    ];
    for (input, want) in ok {
        assert_eq!(
            normalize_phone(input).unwrap().as_deref(),
            want,
            "{input:?}"
        );
    }
    for bad in [
        "12800138000",
        "1380013800",
        "138001380001",
        "0571-888866661",
        "05-71888866",
        "0571-0888666",
        "12345678",
        "phone",
        "+4413800138000",
        "138 0013 800o",
    ] {
        assert_eq!(
            problem(normalize_phone(bad)),
            ("phone", Problem::PhoneFormat),
            "{bad:?}"
        );
    }
}

#[test]
fn names_are_chinese_or_latin_words() {
    let ok = [
        ("张三", "张三"),
        (" 欧阳娜娜 ", "欧阳娜娜"),
        ("阿依古丽·买买提", "阿依古丽·买买提"),
        ("阿依古丽•买买提", "阿依古丽·买买提"),
        ("John Smith", "John Smith"),
        ("John   Smith", "John Smith"),
        ("李Anna", "李Anna"),
        ("㐀", "㐀"),
    ];
    for (input, want) in ok {
        assert_eq!(normalize_name(input).unwrap(), want, "{input:?}");
    }
    let bad = [
        ("", Problem::Required),
        ("   ", Problem::Required),
        ("张3", Problem::NameFormat),
        ("张 三", Problem::NameFormat),
        ("王 Smith", Problem::NameFormat),
        ("·张三", Problem::NameFormat),
        ("张三·", Problem::NameFormat),
        ("张··三", Problem::NameFormat),
        ("Mary-Jane", Problem::NameFormat),
        ("O'Neil", Problem::NameFormat),
        ("张三（老）", Problem::NameFormat),
    ];
    for (input, want) in bad {
        assert_eq!(
            problem(normalize_name(input)),
            ("patient_name", want),
            "{input:?}"
        );
    }
    assert_eq!(
        problem(normalize_name(&"张".repeat(31))),
        ("patient_name", Problem::TooLong(30))
    );
    // The message names the field as the desk says it: 姓名, not 名称.
    assert_eq!(
        normalize_name("").unwrap_err().message(Lang::Zh),
        "请填写姓名"
    );
    assert_eq!(
        normalize_name("赵6").unwrap_err().message(Lang::En),
        "Name may hold only Chinese characters, Latin letters, “·” and spaces between words"
    );
    assert!(normalize_name(&"张".repeat(30)).is_ok());
}

#[test]
fn the_id_number_fills_in_birth_date_and_sex_and_must_agree_with_typed_ones() {
    let dir = temp();
    let clock = test_clock!();
    let mut desk = clerk_desk(&dir, &clock);

    let p = desk
        .patient_save(
            &person("张三", "", "", "110105199003071239", "13800138000"),
            false,
        )
        .unwrap();
    assert_eq!(p.card_no, "00000001");
    assert_eq!(p.sex, "M");
    assert_eq!(p.birth_date.as_deref(), Some("1990-03-07"));
    assert_eq!(p.age, Some(35), "not 36 until 7 March");
    assert_eq!(p.id_number.as_deref(), Some("110105199003071239"));
    assert_eq!(p.phone.as_deref(), Some("13800138000"));
    assert_eq!(desk.patient_get(p.id).unwrap(), p);

    let id = "11010519491231002x";
    for (sex, birth, field, says) in [
        ("", "1949-12-30", "birth_date", "出生日期与身份证号不一致"),
        ("M", "", "sex", "性别与身份证号不一致"),
        ("男", "1949-12-31", "sex", "性别与身份证号不一致"),
    ] {
        let e = desk
            .patient_save(&person("李四", sex, birth, id, ""), false)
            .unwrap_err();
        assert_eq!(e.field(), Some(field), "{sex} {birth}");
        assert_eq!(e.message(Lang::Zh), says);
    }
    let p = desk
        .patient_save(&person("李四", "女", "1949-12-31", id, ""), false)
        .unwrap();
    assert_eq!(p.id_number.as_deref(), Some("11010519491231002X"));
    assert_eq!((p.sex.as_str(), p.age), ("F", Some(76)));

    // Without an ID number the sex must be typed; the birth date may stay empty.
    let (field, _) = invalid_field(desk.patient_save(&person("王五", "", "", "", ""), false));
    assert_eq!(field, "sex");
    let p = desk
        .patient_save(&person("王五", "M", "", "", ""), false)
        .unwrap();
    assert_eq!(
        (p.birth_date, p.age, p.id_number, p.phone),
        (None, None, None, None)
    );
    assert_verified(desk.connection());
}

#[test]
fn bad_input_is_refused_by_field_and_changes_nothing() {
    let dir = temp();
    let clock = test_clock!();
    let mut desk = clerk_desk(&dir, &clock);
    let good = person("张三", "M", "", "", "13800138000");
    let existing = desk.patient_save(&good, false).unwrap();
    let with = |f: fn(&mut PatientInput)| {
        let mut p = good.clone();
        p.name = "赵六".into();
        p.phone = "13900139000".into();
        f(&mut p);
        p
    };
    let cases: Vec<(PatientInput, &str)> = vec![
        (with(|p| p.name = String::new()), "patient_name"),
        (with(|p| p.name = "赵6".into()), "patient_name"),
        (with(|p| p.sex = "X".into()), "sex"),
        (with(|p| p.birth_date = "1990-02-30".into()), "birth_date"),
        (with(|p| p.birth_date = "2026-03-03".into()), "birth_date"),
        (with(|p| p.birth_date = "1899-12-31".into()), "birth_date"),
        (with(|p| p.birth_date = "1990/01/01".into()), "birth_date"),
        (
            with(|p| p.id_number = "110105199003071238".into()),
            "id_number",
        ),
        (
            with(|p| p.id_number = "990105199003071232".into()),
            "id_number",
        ),
        (with(|p| p.phone = "1380013800".into()), "phone"),
        (with(|p| p.address = "路".repeat(101)), "address"),
        (with(|p| p.origin = "地".repeat(41)), "origin"),
        (with(|p| p.heard_via = "途".repeat(41)), "heard_via"),
    ];
    let mut edit = good.clone();
    edit.id = Some(existing.id);
    edit.phone = "0".into();
    let cases = cases.into_iter().chain([(edit, "phone")]);
    let before = dump_all(desk.connection());
    for (input, field) in cases {
        let r = desk.patient_save(&input, false);
        let (got, e) = invalid_field(r);
        assert_eq!(got, field, "{input:?}");
        assert_desk_sentence(&e);
        assert_eq!(
            dump_all(desk.connection()),
            before,
            "{input:?} changed data"
        );
    }
    let e = desk
        .patient_save(
            &PatientInput {
                id: Some(PatientId(9999)),
                ..good.clone()
            },
            false,
        )
        .unwrap_err();
    assert_eq!(e.code(), "not_found");
    assert_eq!(dump_all(desk.connection()), before);
}

#[test]
fn likely_duplicates_are_shown_and_refused_until_confirmed() {
    let dir = temp();
    let clock = test_clock!();
    let mut desk = clerk_desk(&dir, &clock);
    let first = desk
        .patient_save(
            &person("张三", "", "", "110105199003071239", "13800138000"),
            false,
        )
        .unwrap();

    let cases = [
        (
            person("张三", "M", "", "", "138 0013 8000"),
            vec!["name_phone"],
        ),
        (
            person("张三", "M", "1990-03-07", "", "13900139000"),
            vec!["name_birth_date"],
        ),
        (
            person("张三", "M", "1990-03-07", "", "13800138000"),
            vec!["name_phone", "name_birth_date"],
        ),
    ];
    for (input, matched_on) in cases {
        let audit = audit_count(desk.connection());
        let shown = desk.patient_duplicates(&input).unwrap();
        assert_eq!(shown.len(), 1, "{input:?}");
        assert_eq!(shown[0].patient.id, first.id);
        assert_eq!(shown[0].matched_on, matched_on, "{input:?}");

        let e = desk.patient_save(&input, false).unwrap_err();
        assert_eq!(e.code(), "possible_duplicates");
        let Some(frontdesk_core::patient::PatientError::PossibleDuplicates(found)) = e.area_error()
        else {
            panic!("{e:?}")
        };
        assert_eq!(found, &shown);
        assert_eq!(e.details(), Some(serde_json::to_value(&shown).unwrap()));
        let msg = e.message(Lang::Zh);
        assert!(msg.contains("张三（卡号 00000001）"), "{msg}");
        assert_desk_sentence(&e);
        assert_eq!(audit_count(desk.connection()), audit, "a refusal wrote");
    }

    // The same ID number is refused even when the clerk insists.
    let same_id = person("张山", "", "", "110105199003071239", "");
    let shown = desk.patient_duplicates(&same_id).unwrap();
    assert_eq!(shown[0].matched_on, ["id_number"]);
    let (field, e) = invalid_field(desk.patient_save(&same_id, true));
    assert_eq!(field, "id_number");
    assert_eq!(e.message(Lang::Zh), "身份证号已被使用");

    // Confirmed as someone new: created, with the next card number.
    let second = desk.patient_save(&cases_last(), true).unwrap();
    assert_eq!(second.card_no, "00000002");

    // While the form is still being typed, what is valid so far is compared.
    let draft = person("张三", "", "1990-03-07", "", "138");
    assert_eq!(desk.patient_duplicates(&draft).unwrap().len(), 2);
    assert!(desk
        .patient_duplicates(&person("", "", "", "", "13800138000"))
        .unwrap()
        .is_empty());
    // Editing a patient does not count the patient as their own duplicate.
    let mut edit = person("张三", "", "", "110105199003071239", "13800138000");
    edit.id = Some(first.id);
    assert_eq!(desk.patient_duplicates(&edit).unwrap().len(), 1);
    desk.patient_save(&edit, false).unwrap();
    assert_verified(desk.connection());
}

fn cases_last() -> PatientInput {
    person("张三", "M", "1990-03-07", "", "13800138000")
}

#[test]
fn card_numbers_are_continuous_and_refusals_use_none() {
    let dir = temp();
    let clock = test_clock!();
    let mut desk = clerk_desk(&dir, &clock);
    let mut cards = Vec::new();
    for (i, name) in ["甲", "乙", "丙", "丁", "戊", "己"].iter().enumerate() {
        // A refused attempt before each one.
        desk.patient_save(&person(name, "", "", "", ""), false)
            .unwrap_err();
        if i > 0 {
            desk.patient_save(&person("甲", "M", "", "", "13800000000"), false)
                .unwrap_err();
        }
        let mut p = person(name, "M", "", "", "");
        if i == 0 {
            p.phone = "13800000000".into();
        }
        // A card number in the form is ignored: only imports keep one.
        p.card_no = "99999999".into();
        cards.push(desk.patient_save(&p, false).unwrap().card_no);
    }
    assert_eq!(
        cards,
        ["00000001", "00000002", "00000003", "00000004", "00000005", "00000006"]
    );
    // The next patient gets the next number: none was used by the refusals.
    let next = desk
        .patient_save(&person("周七", "M", "", "", ""), true)
        .unwrap();
    assert_eq!(next.card_no, "00000007");
}

#[test]
fn an_edit_keeps_the_card_and_rebuilds_the_search_keys() {
    let dir = temp();
    let clock = test_clock!();
    let mut desk = clerk_desk(&dir, &clock);
    let p = desk
        .patient_save(&person("单雄信", "M", "", "", "13700001111"), false)
        .unwrap();
    let other = desk
        .patient_save(
            &person("李四", "", "", "110105199003071239", "13900002222"),
            false,
        )
        .unwrap();
    assert_eq!(desk.patient_search("shanxiong").unwrap()[0].id, p.id);
    assert_eq!(desk.patient_search("1111").unwrap()[0].id, p.id);

    let mut edit = person("曾雄信", "M", "1980-05-05", "", "13700003333");
    edit.id = Some(p.id);
    edit.address = "北京市朝阳区".into();
    let saved = desk.patient_save(&edit, false).unwrap();
    assert_eq!(saved.card_no, p.card_no);
    assert_eq!(saved.address, "北京市朝阳区");
    for gone in ["shanxiong", "sxx", "1111", "13700001111", "单"] {
        assert!(desk.patient_search(gone).unwrap().is_empty(), "{gone}");
    }
    for found in [
        "zengxiongxin",
        "cxx",
        "3333",
        "13700003333",
        "曾雄",
        &p.card_no,
    ] {
        let hits = desk.patient_search(found).unwrap();
        assert_eq!(hits.len(), 1, "{found}");
        assert_eq!(hits[0].id, p.id, "{found}");
    }

    // Another patient's ID number is refused on an edit too.
    edit.id_number = "110105199003071239".into();
    edit.birth_date = String::new();
    let (field, _) = invalid_field(desk.patient_save(&edit, false));
    assert_eq!(field, "id_number");
    assert_ne!(other.id, p.id);

    let last = &desk.audit_list_for_tests()[0];
    assert_eq!(last.0, "patient.update");
    assert!(last.1.as_deref().unwrap().contains("单雄信"));
    assert_verified(desk.connection());

    // Keys are exactly those the row derives: nothing stale is left behind.
    let keys: i64 = desk
        .connection()
        .value(
            "SELECT count(*) FROM patient_key WHERE patient_id = ?1",
            &[&p.id],
        )
        .unwrap();
    let want = frontdesk_core::search::keys(&saved.card_no, "曾雄信", Some("13700003333"), None);
    assert_eq!(keys as usize, want.len());
}

trait AuditForTests {
    fn audit_list_for_tests(&self) -> Vec<(String, Option<String>)>;
}

impl AuditForTests for Desk {
    /// The newest audit entries' actions and `before`, read straight from the file.
    fn audit_list_for_tests(&self) -> Vec<(String, Option<String>)> {
        frontdesk_core::audit::list_entries(self.connection(), None, 5)
            .unwrap()
            .into_iter()
            .map(|e| (e.action, e.before))
            .collect()
    }
}

#[test]
fn a_visit_is_marked_in_the_callers_transaction_and_recorded() {
    let dir = temp();
    let clock = test_clock!();
    let mut desk = clerk_desk(&dir, &clock);
    let p = desk
        .patient_save(&person("张三", "M", "", "", ""), false)
        .unwrap();
    assert_eq!(p.last_visit_at, None);
    drop(desk);
    let mut conn = Conn::open(db_path(&dir)).unwrap();
    let at = START + HOUR;
    store::write(&mut conn, &Actor::system("test"), at, |tx| {
        patient::mark_visit(tx, p.id)
    })
    .unwrap();
    let seen = patient::get_patient(&conn, p.id, today()).unwrap();
    assert_eq!(seen.last_visit_at, Some(at));
    let e = store::write(&mut conn, &Actor::system("test"), at, |tx| {
        patient::mark_visit(tx, PatientId(4242))
    })
    .unwrap_err();
    assert_eq!(e.code(), "not_found");
    assert_verified(&conn);
}

#[test]
fn only_the_registration_desk_works_with_patients() {
    let dir = temp();
    let clock = test_clock!();
    let mut desk = desk(&dir, &clock);
    assert_eq!(code(desk.patient_search("zs")), "not_logged_in");
    for (user, name, allowed) in [
        ("clerk", "张一", true),
        ("supervisor", "张二", true),
        ("head", "张三", true),
        ("guide", "张四", false),
        ("service", "张五", false),
        ("admin", "张六", false),
    ] {
        login(&mut desk, user);
        let r = desk.patient_save(&person(name, "M", "", "", ""), true);
        assert_eq!(r.is_ok(), allowed, "{user}: {r:?}");
        let r = desk.patient_search("张");
        if allowed {
            assert!(!r.unwrap().is_empty(), "{user}");
        } else {
            assert_eq!(code(r), "forbidden", "{user}");
            assert_eq!(code(desk.patient_get(PatientId(1))), "forbidden", "{user}");
            assert_eq!(
                code(desk.patient_duplicates(&PatientInput::default())),
                "forbidden"
            );
        }
        desk.logout().unwrap();
    }
}
