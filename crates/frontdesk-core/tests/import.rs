//! 患者导入 on real files: UTF-8 with and without BOM, GBK as Excel saves it on a Chinese
//! Windows, headers in English or Chinese; a file with an unknown or missing column refused
//! with nothing written; bad rows reported with row, field and reason while the good ones go
//! in; a second run adds nobody; card numbers kept and the card series moved past them.

#[macro_use]
mod common;

use common::*;
use frontdesk_core::audit::Actor;
use frontdesk_core::import::{self, ImportReport, RejectedRow};
use frontdesk_core::patient::{self, PatientInput};
use frontdesk_core::store::{self, Conn};
use frontdesk_core::{search, Error, Lang, Problem};

fn run(conn: &mut Conn, bytes: &[u8]) -> Result<ImportReport, Error> {
    import::import_patients(
        conn,
        &Actor::system("test import"),
        START + HOUR,
        bytes,
        Lang::Zh,
    )
}

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
}

fn rejected(r: &ImportReport) -> Vec<(usize, &str)> {
    r.rejected.iter().map(|x| (x.row, x.field)).collect()
}

const CHINESE: &str = "\
姓名,性别,出生日期,身份证号,电话,地址,就诊卡号
张三,男,,110105199003071239,13800138000,\"北京市朝阳区建国路 1 号, 3 单元\",A0001
李四,女,1985/11/20,,139 1234 5678,,
王五,M,,110105199003071238,13700001111,,
,男,,,,,
赵六,男,1990-02-30,,,,
钱七,F,,,0571-88886666,杭州,00000500
孙八,,,,,,
";

#[test]
fn a_utf8_file_with_chinese_headers_goes_in_and_bad_rows_are_reported() {
    let dir = temp();
    let mut conn = store(&dir);
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend_from_slice(CHINESE.as_bytes());
    let report = run(&mut conn, &bytes).unwrap();
    assert_eq!(report.imported, 3, "{report:#?}");
    assert_eq!(report.already_present, 0);
    assert_eq!(
        rejected(&report),
        [
            (4, "id_number"),
            (5, "patient_name"),
            (6, "birth_date"),
            (8, "sex")
        ]
    );
    assert_eq!(
        report.rejected[0],
        RejectedRow {
            row: 4,
            field: "id_number",
            field_label: "身份证号",
            reason: "身份证号校验位不正确".into(),
        }
    );

    // Rows as imported: card numbers kept, the rest issued after the highest numeric one.
    let zhang = &search::search(&conn, "zs", 5, today()).unwrap()[0];
    assert_eq!(zhang.card_no, "A0001");
    let zhang = patient::get_patient(&conn, zhang.id, today()).unwrap();
    assert_eq!(zhang.address, "北京市朝阳区建国路 1 号, 3 单元");
    assert_eq!(zhang.birth_date.as_deref(), Some("1990-03-07"));
    let li = patient::find_by_card(&conn, "00000001", today())
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            li.name.as_str(),
            li.phone.as_deref(),
            li.birth_date.as_deref()
        ),
        ("李四", Some("13912345678"), Some("1985-11-20"))
    );
    let qian = patient::find_by_card(&conn, "00000500", today())
        .unwrap()
        .unwrap();
    assert_eq!(qian.origin, "");
    assert_eq!(qian.address, "杭州");
    // The next patient made at the desk continues after the file's card numbers.
    let next = store::write(&mut conn, &Actor::system("test"), START + 2 * HOUR, |tx| {
        patient::save(
            tx,
            &PatientInput {
                name: "周九".into(),
                sex: "M".into(),
                ..Default::default()
            },
            false,
        )
    })
    .unwrap();
    assert_eq!(next.card_no, "00000501");

    // Every imported patient has its audit entry, and the import one more.
    let mut actions: Vec<String> = frontdesk_core::audit::list_entries(&conn, None, 1000)
        .unwrap()
        .into_iter()
        .filter(|e| e.actor == "test import")
        .map(|e| e.action)
        .collect();
    actions.reverse();
    assert_eq!(
        actions,
        [
            "patient.create",
            "patient.create",
            "patient.create",
            "patient.import"
        ]
    );
    assert_verified(&conn);
}

#[test]
fn a_second_run_adds_nobody() {
    let dir = temp();
    let mut conn = store(&dir);
    let first = run(&mut conn, CHINESE.as_bytes()).unwrap();
    assert_eq!(first.imported, 3);
    let patients = dump(&conn, "patient");
    let again = run(&mut conn, CHINESE.as_bytes()).unwrap();
    assert_eq!(
        (again.imported, again.already_present, again.rejected.len()),
        (0, 3, 4)
    );
    assert_eq!(dump(&conn, "patient"), patients);

    // The same people written differently are still recognised: by ID number, by card, by
    // name and phone, by name and birth date; and twice in one file counts once.
    let other = "\
name,phone,id_number,card_no,birth_date,sex
张三,,110105199003071239,,,
钱七,,,00000500,,F
李四,13912345678,,,,F
李四,,,,19851120,F
新人,13600000000,,,,M
新人,13600000000,,,,M
";
    let r = run(&mut conn, other.as_bytes()).unwrap();
    assert_eq!(
        (r.imported, r.already_present, r.rejected.len()),
        (1, 5, 0),
        "{r:#?}"
    );
    assert_verified(&conn);
}

#[test]
fn a_gbk_file_as_excel_saves_it_is_read() {
    let dir = temp();
    let mut conn = store(&dir);
    let text = "姓名,性别,身份证号,电话,地址\r\n曾国藩,男,,13600002222,湖南省双峰县\r\n单雄信,男,,13700001111,山东菏泽\r\n";
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable);
    assert!(
        std::str::from_utf8(&gbk).is_err(),
        "the test file must not be UTF-8"
    );
    let report = run(&mut conn, &gbk).unwrap();
    assert_eq!(report.imported, 2, "{report:#?}");
    let hits = search::search(&conn, "cengguofan", 5, today()).unwrap();
    assert_eq!(hits[0].name, "曾国藩");
    let p = patient::get_patient(&conn, hits[0].id, today()).unwrap();
    assert_eq!(p.address, "湖南省双峰县");
    assert_eq!(
        search::search(&conn, "sxx", 5, today()).unwrap()[0].name,
        "单雄信"
    );
}

#[test]
fn a_file_that_cannot_be_read_whole_is_refused_and_nothing_is_written() {
    let dir = temp();
    let mut conn = store(&dir);
    let before = dump_all(&conn);
    let cases: Vec<(Vec<u8>, Problem)> = vec![
        (
            "姓名,电话,血型,备注\n张三,13800138000,A,\n".into(),
            Problem::UnknownColumns(vec!["血型".into(), "备注".into()]),
        ),
        (
            "name,phone,Phone\n张三,13800138000,13800138000\n".into(),
            Problem::UnknownColumns(vec!["Phone ×2".into()]),
        ),
        (
            "电话,性别\n13800138000,男\n".into(),
            Problem::MissingColumn("name", "姓名"),
        ),
        (Vec::new(), Problem::Required),
        (vec![0xff, 0xff, 0x41, 0x0a], Problem::Encoding),
    ];
    for (bytes, want) in cases {
        let e = run(&mut conn, &bytes).unwrap_err();
        match &e {
            Error::Invalid { field, problem } => {
                assert_eq!((*field, problem), ("file", &want), "{bytes:?}");
            }
            other => panic!("{other:?}"),
        }
        assert_desk_sentence(&e);
        assert_eq!(dump_all(&conn), before);
    }
    let e = run(&mut conn, "姓名,电话,血型\n".as_bytes()).unwrap_err();
    assert_eq!(
        e.message(Lang::Zh),
        "文件中有无法识别的列：血型，未导入任何数据"
    );
    let e = run(&mut conn, "电话\n".as_bytes()).unwrap_err();
    assert_eq!(e.message(Lang::Zh), "文件缺少“姓名”列，未导入任何数据");
}

#[test]
fn english_headers_and_short_rows_are_read_and_a_taken_card_is_a_conflict() {
    let dir = temp();
    let mut conn = store(&dir);
    let file = "\
Name, Sex ,Birth_Date,ID_Number,Phone,Address,Origin,Heard_Via,Card_No,
John Smith,M,1980-01-01,,0571-88886666,,杭州,朋友介绍,C-9,
Anna Li,F
";
    let r = run(&mut conn, file.as_bytes()).unwrap();
    assert_eq!((r.imported, r.rejected.len()), (2, 0), "{r:#?}");
    let john = patient::find_by_card(&conn, "C-9", today())
        .unwrap()
        .unwrap();
    assert_eq!(
        (john.origin.as_str(), john.heard_via.as_str(), john.age),
        ("杭州", "朋友介绍", Some(46))
    );
    // Someone else holding that card: the row is rejected, not merged.
    let clash = "name,sex,card_no\nJane Doe,F,C-9\n";
    let r = run(&mut conn, clash.as_bytes()).unwrap();
    assert_eq!(rejected(&r), [(2, "card_no")]);
    assert_eq!(r.rejected[0].reason, "就诊卡号已被使用");
    assert_verified(&conn);
}

#[test]
fn phones_written_as_people_write_them_in_an_old_gbk_file_are_stored_one_way() {
    let dir = temp();
    let mut conn = store(&dir);
    let text = "姓名,性别,电话\n\
                张三,男,+86 138 0013 8000\n\
                李四,女,138-0013-8001\n\
                王五,男,0086 13800138002\n\
                赵六,女,（0571）8888 6666\n\
                钱七,男,１３８００１３８００３\n\
                孙八,男,138-0013-800\n";
    let (gbk, _, bad) = encoding_rs::GBK.encode(text);
    assert!(!bad);
    let report = run(&mut conn, &gbk).unwrap();
    assert_eq!(report.imported, 5, "{report:?}");
    assert_eq!(
        rejected(&report),
        [(7, "phone")],
        "the short number is refused"
    );
    let stored: Vec<Option<String>> = ["00000001", "00000002", "00000003", "00000004", "00000005"]
        .iter()
        .map(|card| {
            patient::find_by_card(&conn, card, today())
                .unwrap()
                .unwrap()
                .phone
        })
        .collect();
    assert_eq!(
        stored,
        [
            Some("13800138000".to_string()),
            Some("13800138001".to_string()),
            Some("13800138002".to_string()),
            Some("0571-88886666".to_string()),
            Some("13800138003".to_string()),
        ]
    );
    // Found by the last four digits, as the clerk asks.
    let hits = search::search(&conn, "8002", 20, today()).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].name, "王五");
    // A second run adds nobody (the stored form matches what the file says).
    let again = run(&mut conn, &gbk).unwrap();
    assert_eq!((again.imported, again.already_present), (0, 5));
}
