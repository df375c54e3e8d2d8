//! 挂号分诊: the registration desk, in the files the manual names.
//!
//! | file | 中文 | what it owns |
//! |---|---|---|
//! | [`shift`] | 开班, 备用金 | the clerk's shift, the float counted by denomination |
//! | [`duty`] | 排班, 号源, 不能挂感情号 | who is on duty, capacity, the fair proposal |
//! | [`triage`] | 分诊 | departments suggested by the chief complaint |
//! | [`fees`] | 号别, 优惠 | registration types and fees, promotion price rules |
//! | [`payment`] | 唱收唱付, 账, 收据 | payment lines and change, the ledger, receipts |
//! | [`register`] | 挂号, 初诊/复诊 | the quote and the registration with its payment |
//! | [`cancel`] | 退号 | cancel with refund by the original methods |
//! | [`change`] | 换号 | change of doctor with the difference settled |
//! | [`appointment`] | 预约 | bookings and no-shows |
//! | [`status`] | 挂号状态 | which registrations hold their place |
//!
//! The guide desk's waiting room (导诊台) is [`crate::guide`]; per-doctor figures are with the
//! other figures in [`crate::report`].

pub mod appointment;
pub mod cancel;
pub mod change;
pub mod desk;
pub mod duty;
pub mod fees;
pub mod payment;
pub mod register;
pub mod shift;
pub mod status;
pub mod triage;

use serde::Serialize;

pub use appointment::{book, list_appointments, Appointment, BookInput};
pub use cancel::{cancel, refund_amount, CancelInput, Cancelled};
pub use change::{change, change_quote, ChangeInput, ChangeQuote};
pub use duty::{on_duty, DutyOption};
pub use payment::{check_payments, PaymentInput, PaymentLine};
pub use register::{quote, register, visit_kind, Choice, Quote, RegisterInput, Registered};
pub use shift::{denominations, open_shift, open_shift_of, Denomination, Shift, DENOMINATIONS};
pub use status::{RegStatus, RegistrationError};
pub use triage::{suggest_departments, Suggestion};

use crate::audit::{snapshot, Table};
use crate::clock::Session;
use crate::error::{Error, Result};
use crate::ids::{
    DepartmentId, DoctorId, DutyId, PatientId, PromotionId, ReceiptId, RegistrationId,
    RegistrationTypeId,
};
use crate::money::Fen;
use crate::store::{Conn, Tx};

/// Where the clock is: today's business date and session, in the hospital's zone.
#[derive(Debug, Clone, Copy)]
pub struct Today<'a> {
    pub date: &'a str,
    pub session: Session,
}

/// A registration as 退号 and 换号 need it.
#[derive(Debug, Clone)]
pub(crate) struct RegRow {
    pub id: RegistrationId,
    pub duty_id: DutyId,
    pub status: RegStatus,
    pub due: Fen,
    pub promotion_id: Option<PromotionId>,
    pub registration_type_id: RegistrationTypeId,
    pub visit_kind: String,
}

pub(crate) fn reg_row(conn: &Conn, id: RegistrationId) -> Result<RegRow> {
    conn.one(
        "SELECT id, duty_id, status, due_fen, promotion_id, registration_type_id, visit_kind
         FROM registration WHERE id = ?1",
        &[&id],
        |r| {
            Ok(RegRow {
                id: r.get(0)?,
                duty_id: r.get(1)?,
                status: r.get(2)?,
                due: r.get(3)?,
                promotion_id: r.get(4)?,
                registration_type_id: r.get(5)?,
                visit_kind: r.get(6)?,
            })
        },
    )?
    .ok_or(Error::NotFound("registration"))
}

/// Ends a waiting registration (退号, 换号) with its reason.
pub(crate) fn end_registration(
    tx: &mut Tx,
    id: RegistrationId,
    status: RegStatus,
    reason: &str,
) -> Result<()> {
    let before = snapshot(tx, Table::Registration, id.0)?;
    tx.execute(
        "UPDATE registration SET status = ?2, ended_at = ?3, end_reason = ?4 WHERE id = ?1",
        &[&id, &status, &tx.now, &reason],
    )?;
    tx.record(
        &format!("registration.{status}"),
        Table::Registration,
        id,
        before,
    )
}

// ---- the desk's list of registrations ---------------------------------------------------------

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RegistrationView {
    pub id: RegistrationId,
    pub patient_id: PatientId,
    pub patient_name: String,
    pub card_no: String,
    pub date: String,
    pub session: Session,
    pub queue_no: i64,
    pub doctor_name: String,
    pub department_name: String,
    pub registration_type_name: String,
    pub duty_id: DutyId,
    pub doctor_id: DoctorId,
    pub department_id: DepartmentId,
    pub registration_type_id: RegistrationTypeId,
    pub visit_kind: String,
    pub due_fen: Fen,
    pub status: RegStatus,
    pub receipt_id: Option<ReceiptId>,
    pub receipt_number: Option<String>,
    pub created_at: i64,
    pub end_reason: Option<String>,
}

macro_rules! registration_view_sql {
    ($where:literal) => {
        concat!(
            "SELECT r.id, r.patient_id, p.name, p.card_no, r.date, r.session, r.queue_no, d.name, dp.name, t.name,
                    r.visit_kind, r.due_fen, r.status,
                    (SELECT id FROM receipt WHERE registration_id = r.id
                     ORDER BY CASE WHEN voided_at IS NULL THEN 0 ELSE 1 END, id DESC LIMIT 1),
                    (SELECT number FROM receipt WHERE registration_id = r.id
                     ORDER BY CASE WHEN voided_at IS NULL THEN 0 ELSE 1 END, id DESC LIMIT 1),
                    r.created_at, r.end_reason, r.duty_id, r.doctor_id, r.department_id, r.registration_type_id
             FROM registration r JOIN patient p ON p.id = r.patient_id JOIN doctor d ON d.id = r.doctor_id
             JOIN department dp ON dp.id = r.department_id JOIN registration_type t ON t.id = r.registration_type_id
             WHERE ",
            $where,
            " ORDER BY r.created_at DESC, r.id DESC LIMIT ?2"
        )
    };
}

/// Which registrations the desk lists.
#[derive(Debug, Clone, Copy)]
pub enum Listing<'a> {
    /// A business date's, at every desk.
    Day(&'a str),
    /// One patient's, any date.
    Patient(PatientId),
}

/// Registrations, newest first, at most `limit` (1–1000).
pub fn list_registrations(
    conn: &Conn,
    which: Listing,
    limit: i64,
) -> Result<Vec<RegistrationView>> {
    let limit = limit.clamp(1, 1000);
    let view = |r: &crate::store::Row| {
        Ok(RegistrationView {
            id: r.get(0)?,
            patient_id: r.get(1)?,
            patient_name: r.get(2)?,
            card_no: r.get(3)?,
            date: r.get(4)?,
            session: r.get(5)?,
            queue_no: r.get(6)?,
            doctor_name: r.get(7)?,
            department_name: r.get(8)?,
            registration_type_name: r.get(9)?,
            visit_kind: r.get(10)?,
            due_fen: r.get(11)?,
            status: r.get(12)?,
            receipt_id: r.get(13)?,
            receipt_number: r.get(14)?,
            created_at: r.get(15)?,
            end_reason: r.get(16)?,
            duty_id: r.get(17)?,
            doctor_id: r.get(18)?,
            department_id: r.get(19)?,
            registration_type_id: r.get(20)?,
        })
    };
    match which {
        Listing::Patient(p) => conn.all(
            registration_view_sql!("r.patient_id = ?1"),
            &[&p, &limit],
            view,
        ),
        Listing::Day(d) => conn.all(registration_view_sql!("r.date = ?1"), &[&d, &limit], view),
    }
}
