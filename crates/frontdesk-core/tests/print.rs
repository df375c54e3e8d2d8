//! 打印 through a real CUPS server: receipts and the daily report sent straight to a desk's
//! printer and read back from what the printer produced, and printers that do not take the
//! job — stopped, refusing, missing — reported in the desk's language with nothing lost.
//!
//! The printers are made by `scripts/cups-test-printers.sh`, which `scripts/setup.sh --test`
//! (and so `scripts/test.sh` and CI) runs: FrontdeskPDF is a PDF printer (cups-pdf) writing each
//! job to `$FRONTDESK_TEST_PRINT_OUT/<job title>.pdf`; FrontdeskPaused is stopped ("Out of
//! paper"); FrontdeskRefusing refuses jobs ("Paper jam").

#[macro_use]
mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use frontdesk_core::ids::{DepartmentId, ReceiptId};
use frontdesk_core::print::DeskPrintersInput;
use frontdesk_core::registration::{Choice, PaymentInput, RegStatus, RegisterInput};
use frontdesk_core::{Desk, Lang};

const GOOD: &str = "FrontdeskPDF";
const PAUSED: &str = "FrontdeskPaused";
const REFUSING: &str = "FrontdeskRefusing";

fn out_dir() -> PathBuf {
    std::env::var_os("FRONTDESK_TEST_PRINT_OUT")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/tmp/frontdesk-print"))
}

/// The test printers are there, or the test says how to get them.
fn cups_ready() {
    let ok = Command::new("lpstat")
        .args(["-p", GOOD])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    assert!(
        ok,
        "the CUPS test printer {GOOD} is missing: run scripts/setup.sh --test (it starts CUPS with the test printers)"
    );
}

/// What the PDF printer made of the job titled `title`, once it has finished writing it.
fn printed(title: &str) -> PathBuf {
    let file = out_dir().join(format!("{title}.pdf"));
    // cups-pdf creates the file empty and fills it: done when poppler can read it.
    let readable = || {
        file.is_file()
            && Command::new("pdfinfo")
                .arg(&file)
                .output()
                .is_ok_and(|o| o.status.success())
    };
    eventually(
        &format!(
            "a print as {} (the PDF printer's log: /var/log/cups/cups-pdf-{GOOD}_log)",
            file.display()
        ),
        readable,
    );
    file
}

/// A job this test is about to print must not be found from an earlier run.
fn forget(title: &str) {
    let _ = std::fs::remove_file(out_dir().join(format!("{title}.pdf")));
}

fn page_width_pt(file: &Path) -> f64 {
    let info = Command::new("pdfinfo").arg(file).output().unwrap();
    let text = String::from_utf8_lossy(&info.stdout).into_owned();
    let line = text
        .lines()
        .find(|l| l.starts_with("Page size:"))
        .unwrap_or_else(|| panic!("no page size in {text}"));
    line.split_whitespace().nth(2).unwrap().parse().unwrap()
}

/// Sets `desk`'s printers as the administrator does, then signs the clerk in with a shift open.
fn set_printers(desk: &mut Desk, code: &str, receipt: &str, report: &str) {
    login(desk, "admin");
    desk.printers_set(&DeskPrintersInput {
        desk: code.into(),
        receipt_printer: Some(receipt.into()),
        report_printer: Some(report.into()),
    })
    .unwrap();
    desk.logout().unwrap();
}

fn clerk_at(desk: &mut Desk) {
    login(desk, "clerk");
    if desk.shift_current().unwrap().is_none() {
        desk.shift_open(&float()).unwrap();
    }
}

fn register(
    desk: &mut Desk,
    name: &str,
    phone: &str,
) -> (ReceiptId, frontdesk_core::ids::RegistrationId) {
    let p = patient(desk, name, phone);
    let dept = DepartmentId(reference_id(desk, "department", "神经内科"));
    let t = type_id(desk, "普通号");
    let done = desk
        .register(&RegisterInput {
            choice: Choice {
                patient_id: p,
                department_id: Some(dept),
                registration_type_id: Some(t),
                ..Default::default()
            },
            chief_complaint: "头痛三天".into(),
            payments: vec![PaymentInput {
                method: "cash".into(),
                amount: String::new(),
                tendered: "20".into(),
            }],
            ..Default::default()
        })
        .unwrap();
    (done.receipt_id.unwrap(), done.registration_id)
}

#[test]
fn a_receipt_goes_straight_to_the_desk_printer_and_the_report_to_the_a4_one() {
    cups_ready();
    let dir = temp();
    let clock = test_clock!();
    let mut desk = desk(&dir, &clock);
    desk.set_desk_code("P1").unwrap();
    set_printers(&mut desk, "P1", GOOD, GOOD);
    clerk_at(&mut desk);
    let (receipt, _) = register(&mut desk, "王印", "13800138111");

    let doc = desk.receipt_document(receipt, false).unwrap();
    assert_eq!(doc.printer.as_deref(), Some(GOOD));
    assert_eq!(doc.title, "receipt-P1-00000001");
    forget(&doc.title);
    let job = doc.print().unwrap().expect("a job id");
    assert!(job.starts_with(GOOD), "CUPS's job id: {job}");
    let paper = printed(&doc.title);
    let text = pdftotext(&paper);
    for expected in [
        "示范市第一人民医院",
        "王印",
        "P1-00000001",
        "神经内科",
        "¥10.00",
        "找零",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} not on the printed receipt:\n{text}"
        );
    }
    assert!(
        !text.contains("重打"),
        "the first print is not a reprint:\n{text}"
    );
    let width = page_width_pt(&paper);
    assert!(
        (width - 226.8).abs() < 2.0,
        "the receipt is 80 mm wide, got {width} pt"
    );

    let date = desk.status().business_date;
    let report = desk.daily_report_document(&date).unwrap();
    assert_eq!(report.printer.as_deref(), Some(GOOD));
    forget(&report.title);
    report.print().unwrap();
    let paper = printed(&report.title);
    let text = pdftotext(&paper);
    for expected in ["挂号处日结报表", date.as_str(), "¥10.00"] {
        assert!(
            text.contains(expected),
            "{expected:?} not on the printed report:\n{text}"
        );
    }
    let width = page_width_pt(&paper);
    assert!(
        (width - 595.0).abs() < 2.0,
        "the report is A4, got {width} pt"
    );
    assert_verified(desk.connection());
}

#[test]
fn a_printer_that_does_not_take_the_receipt_says_why_and_nothing_is_lost() {
    cups_ready();
    let dir = temp();
    let clock = test_clock!();
    let mut desk = desk(&dir, &clock);
    desk.set_desk_code("P2").unwrap();
    let cases = [
        (PAUSED, "printer_paused", "Out of paper"),
        (REFUSING, "printer_refusing", "Paper jam"),
        ("NoSuchPrinter", "printer_missing", "NoSuchPrinter"),
    ];
    for (i, (printer, code, said)) in cases.into_iter().enumerate() {
        set_printers(&mut desk, "P2", printer, printer);
        clerk_at(&mut desk);
        let (receipt, reg) = register(&mut desk, "李纸", &format!("1390013900{i}"));
        let doc = desk.receipt_document(receipt, false).unwrap();
        let e = doc.print().unwrap_err();
        assert_eq!(e.code(), code, "{printer}: {e:?}");
        let zh = e.message(Lang::Zh);
        assert!(zh.contains(printer) && zh.contains(said), "{printer}: {zh}");
        assert_desk_sentence(&e);

        // The registration stands; on a printer that works, it is printed again as 重打.
        let mine = desk.registrations(None).unwrap();
        let row = mine
            .iter()
            .find(|r| r.id == reg)
            .expect("the registration is kept");
        assert_eq!(row.status, RegStatus::Waiting);
        desk.logout().unwrap();
        set_printers(&mut desk, "P2", GOOD, GOOD);
        clerk_at(&mut desk);
        let again = desk.receipt_document(receipt, true).unwrap();
        assert!(again.title.ends_with("-reprint1"), "{}", again.title);
        forget(&again.title);
        again.print().unwrap();
        assert!(pdftotext(&printed(&again.title)).contains("重打"));
        desk.logout().unwrap();
    }
    assert_verified(desk.connection());
}

#[test]
fn printer_settings_refuse_bad_names_and_change_nothing() {
    let dir = temp();
    let clock = test_clock!();
    let mut desk = desk(&dir, &clock);
    login(&mut desk, "admin");
    let before = desk.printers().unwrap().desks;
    let cases = [
        ("01", "Receipt 80", "", "receipt_printer"),
        ("01", "", "a/b", "report_printer"),
        ("0 1", "R", "", "desk"),
        ("", "R", "", "desk"),
        ("123456789", "R", "", "desk"),
    ];
    for (code, receipt, report, field) in cases {
        let (got, e) = invalid_field(desk.printers_set(&DeskPrintersInput {
            desk: code.into(),
            receipt_printer: Some(receipt.into()),
            report_printer: Some(report.into()),
        }));
        assert_eq!(got, field, "{code:?} {receipt:?} {report:?}");
        assert_desk_sentence(&e);
    }
    assert_eq!(desk.printers().unwrap().desks, before, "nothing was saved");

    // The clerk cannot change where receipts go.
    desk.logout().unwrap();
    login(&mut desk, "clerk");
    assert_eq!(
        code(desk.printers_set(&DeskPrintersInput {
            desk: "01".into(),
            receipt_printer: Some(GOOD.into()),
            report_printer: None,
        })),
        "forbidden"
    );
    // A name set once is cleared by leaving it empty.
    desk.logout().unwrap();
    login(&mut desk, "admin");
    let set = desk
        .printers_set(&DeskPrintersInput {
            desk: "01".into(),
            receipt_printer: Some(GOOD.into()),
            report_printer: None,
        })
        .unwrap();
    assert_eq!(set.this_desk.receipt_printer.as_deref(), Some(GOOD));
    assert_eq!(set.this_desk.report_printer, None);
    let cleared = desk
        .printers_set(&DeskPrintersInput {
            desk: "01".into(),
            receipt_printer: Some(String::new()),
            report_printer: None,
        })
        .unwrap();
    assert_eq!(cleared.this_desk.receipt_printer, None);
    assert_eq!(last_action(desk.connection()), "printer.set");
    assert_verified(desk.connection());
}
