//! 收据: the registration receipt as an 80 mm PDF in Chinese — hospital, patient, card number,
//! department, doctor, type, queue number, amount, methods, tendered and change, receipt
//! number, clerk and time. A reprint is marked 重打 and counted in the audit log.

use crate::audit::{snapshot, Table};
use crate::clock::{self, Session};
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::ids::{ReceiptId, StaffId};
use crate::money::Fen;
use crate::pdf::Doc;
use crate::reference::get_hospital;
use crate::store::{Conn, Tx};

struct ReceiptData {
    number: String,
    issued_at: i64,
    amount: Fen,
    voided: Option<String>,
    patient: String,
    sex: String,
    card_no: String,
    department: String,
    doctor: String,
    title: String,
    type_name: String,
    visit_kind: String,
    queue_no: i64,
    date: String,
    session: Session,
    clerk: String,
}

fn load(conn: &Conn, receipt_id: ReceiptId) -> Result<ReceiptData> {
    conn.one(
        "SELECT rc.number, rc.issued_at, rc.amount_fen, rc.void_reason, p.name, p.sex, p.card_no, dp.name,
                d.name, d.title, t.name, r.visit_kind, r.queue_no, r.date, r.session, s.display_name
         FROM receipt rc JOIN registration r ON r.id = rc.registration_id JOIN patient p ON p.id = r.patient_id
         JOIN department dp ON dp.id = r.department_id JOIN doctor d ON d.id = r.doctor_id
         JOIN registration_type t ON t.id = r.registration_type_id JOIN staff s ON s.id = rc.clerk_id
         WHERE rc.id = ?1",
        &[&receipt_id],
        |r| {
            Ok(ReceiptData {
                number: r.get(0)?,
                issued_at: r.get(1)?,
                amount: r.get(2)?,
                voided: r.get(3)?,
                patient: r.get(4)?,
                sex: r.get(5)?,
                card_no: r.get(6)?,
                department: r.get(7)?,
                doctor: r.get(8)?,
                title: r.get(9)?,
                type_name: r.get(10)?,
                visit_kind: r.get(11)?,
                queue_no: r.get(12)?,
                date: r.get(13)?,
                session: r.get(14)?,
                clerk: r.get(15)?,
            })
        },
    )?
    .ok_or(Error::NotFound("receipt"))
}

/// A payment line of a receipt: the method's name, the amount, what was tendered, the change.
struct PaymentLine {
    method: String,
    amount_fen: Fen,
    tendered_fen: Option<Fen>,
    change_fen: Option<Fen>,
}

fn lines(conn: &Conn, receipt_id: ReceiptId) -> Result<Vec<PaymentLine>> {
    conn.all(
        "SELECT coalesce(m.name, l.method), l.amount_fen, l.tendered_fen, l.change_fen FROM ledger l
         LEFT JOIN payment_method m ON m.code = l.method WHERE l.receipt_id = ?1 ORDER BY l.id",
        &[&receipt_id],
        |r| {
            Ok(PaymentLine {
                method: r.get(0)?,
                amount_fen: r.get(1)?,
                tendered_fen: r.get(2)?,
                change_fen: r.get(3)?,
            })
        },
    )
}

/// A receipt's number (`01-00000042`).
pub fn number(conn: &Conn, receipt_id: ReceiptId) -> Result<String> {
    conn.value_opt("SELECT number FROM receipt WHERE id = ?1", &[&receipt_id])?
        .ok_or(Error::NotFound("receipt"))
}

/// Renders the receipt, and the paper it is printed on (80 mm roll, as long as its lines).
/// `reprint` marks it 重打 (the caller records the reprint).
pub fn receipt_pdf(
    conn: &Conn,
    receipt_id: ReceiptId,
    reprint: bool,
) -> Result<(Vec<u8>, crate::print::Paper)> {
    let hospital = get_hospital(conn)?;
    let r = load(conn, receipt_id)?;
    let payments = lines(conn, receipt_id)?;
    let session = r.session.label(Lang::Zh);
    let mut doc = Doc::new(&format!("收据 {}", r.number), 80.0, 150.0)?;
    let (left, value, right) = (5.0, 22.0, 75.0);
    let mut y = 10.0;
    doc.text_center(y, 11.0, &hospital.receipt_header);
    y += 6.0;
    if reprint {
        doc.text_center(y, 10.0, "【重打】");
        y += 5.5;
    }
    if let Some(reason) = &r.voided {
        doc.text_center(y, 10.0, &format!("【已作废】{reason}"));
        y += 5.5;
    }
    doc.rule(left, right, y - 2.5);
    y += 3.0;
    let row = |doc: &mut Doc, y: &mut f32, label: &str, text: &str| {
        doc.text(left, *y, 9.0, label);
        doc.text(value, *y, 9.0, text);
        *y += 5.0;
    };
    row(&mut doc, &mut y, "收据号", &r.number);
    row(
        &mut doc,
        &mut y,
        "时间",
        &clock::format_local(hospital.tz(), r.issued_at, "%Y-%m-%d %H:%M"),
    );
    let sex = if r.sex == "F" { "女" } else { "男" };
    row(&mut doc, &mut y, "患者", &format!("{}  {}", r.patient, sex));
    row(&mut doc, &mut y, "就诊卡号", &r.card_no);
    row(&mut doc, &mut y, "科室", &r.department);
    row(
        &mut doc,
        &mut y,
        "医生",
        &format!("{} {}", r.doctor, r.title),
    );
    let kind = if r.visit_kind == "return" {
        "复诊"
    } else {
        "初诊"
    };
    row(
        &mut doc,
        &mut y,
        "号别",
        &format!("{}（{}）", r.type_name, kind),
    );
    doc.text(left, y + 1.0, 9.0, "候诊号");
    doc.text(value, y + 1.5, 16.0, &format!("{}号", r.queue_no));
    doc.text(
        value + 22.0,
        y + 1.0,
        9.0,
        &format!("{} {}", r.date, session),
    );
    y += 9.0;
    doc.rule(left, right, y - 3.0);
    y += 1.0;
    doc.text(left, y, 10.0, "金额");
    doc.text_right(right, y, 12.0, &format!("¥{}", r.amount.yuan()));
    y += 6.0;
    for PaymentLine {
        method,
        amount_fen: amount,
        tendered_fen: tendered,
        change_fen: change,
    } in &payments
    {
        let label = if amount.0 < 0 {
            format!("{method}（退）")
        } else {
            method.clone()
        };
        doc.text(left, y, 9.0, &label);
        doc.text_right(right, y, 9.0, &format!("¥{}", amount.yuan()));
        y += 5.0;
        if let (Some(t), Some(c)) = (tendered, change) {
            doc.text(left + 4.0, y, 9.0, "实收");
            doc.text_right(right - 28.0, y, 9.0, &format!("¥{}", t.yuan()));
            doc.text(right - 24.0, y, 9.0, "找零");
            doc.text_right(right, y, 9.0, &format!("¥{}", c.yuan()));
            y += 5.0;
        }
    }
    doc.rule(left, right, y - 2.5);
    y += 3.0;
    doc.text(left, y, 9.0, &format!("收款员：{}", r.clerk));
    y += 6.0;
    doc.text_center(y, 8.0, "请妥善保管本收据，按候诊号就诊");
    doc.set_height(y + 8.0);
    let paper = crate::print::Paper::Receipt {
        width_mm: doc.width(),
        height_mm: y + 8.0,
    };
    Ok((doc.finish()?, paper))
}

/// Records a reprint (重打) by `clerk_id`, counted in their open shift if they have one; the
/// receipt row itself never changes, so a closed shift's receipts stay as they were.
/// Returns how many times the receipt has now been reprinted.
pub fn record_reprint(tx: &mut Tx, receipt_id: ReceiptId, clerk_id: StaffId) -> Result<i64> {
    snapshot(tx, Table::Receipt, receipt_id)?.ok_or(Error::NotFound("receipt"))?;
    let shift = crate::registration::open_shift_of(tx, clerk_id)?.map(|s| s.id);
    let id: i64 = tx.insert(
        "INSERT INTO receipt_print (receipt_id, shift_id, clerk_id, at) VALUES (?1, ?2, ?3, ?4)
         RETURNING id",
        &[&receipt_id, &shift, &clerk_id, &tx.now],
    )?;
    tx.record("receipt.reprint", Table::ReceiptPrint, id, None)?;
    tx.value(
        "SELECT count(*) FROM receipt_print WHERE receipt_id = ?1",
        &[&receipt_id],
    )
}
