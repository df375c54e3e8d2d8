//! 挂号: registering a patient to a doctor's session and taking payment, in one transaction —
//! the quote the screen shows before payment (doctor, 号源, fee, promotion, 初诊/复诊), an
//! appointment checked in, the queue number, the ledger entries and the receipt.
//!
//! Rules worth finding by name:
//! - 初诊/复诊 is decided from the patient's history, never typed — [`visit_kind`].
//! - 候诊号: per doctor per session, unique and gapless, taken inside the write
//!   ([`crate::store::Counter::Queue`]).
//! - A booking (预约) checks in only for its patient, on its day, with its doctor.
#![deny(clippy::float_arithmetic)]

use serde::{Deserialize, Serialize};

use super::duty::{self, check_capacity, duty_by_id, DutyOption};
use super::fees::{apply_promotion, registration_type};
use super::payment::{change_of, check_payments, issue_receipt, ledger_entry, Entry, PaymentInput};
use super::shift::require_shift;
use super::{RegStatus, Today};
use crate::audit::{snapshot, Table};
use crate::error::{Error, Problem, Result};
use crate::holds_place_sql;
use crate::ids::{
    AppointmentId, DepartmentId, DoctorId, DutyId, PatientId, PromotionId, ReceiptId,
    RegistrationId, RegistrationTypeId, StaffId,
};
use crate::money::Fen;
use crate::store::{Conn, Counter, Tx};
use crate::validate;

/// What the clerk asks for: a doctor, or a department, or nothing (a return patient's last
/// department), for a session today.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct Choice {
    pub patient_id: PatientId,
    #[serde(default)]
    pub department_id: Option<DepartmentId>,
    #[serde(default)]
    pub doctor_id: Option<DoctorId>,
    /// 'am' | 'pm' | 'eve'; default the session the clock is in.
    #[serde(default)]
    pub session: Option<String>,
    #[serde(default)]
    pub registration_type_id: Option<RegistrationTypeId>,
    #[serde(default)]
    pub promotion_code: Option<String>,
    #[serde(default)]
    pub appointment_no: Option<String>,
}

/// The registration as it would be made: the screen shows it before payment.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Quote {
    pub patient_id: PatientId,
    pub visit_kind: &'static str,
    pub duty: DutyOption,
    /// The patient's last doctor, when it is the one proposed.
    pub last_doctor: bool,
    pub registration_type_id: RegistrationTypeId,
    pub registration_type_name: String,
    pub fee_fen: Fen,
    pub discount_fen: Fen,
    pub due_fen: Fen,
    pub promotion_id: Option<PromotionId>,
    pub promotion_name: Option<String>,
    pub appointment_id: Option<AppointmentId>,
}

pub(crate) fn patient_exists(conn: &Conn, id: PatientId) -> Result<()> {
    conn.value_opt::<i64>("SELECT id FROM patient WHERE id = ?1", &[&id])?
        .map(|_| ())
        .ok_or(Error::invalid("patient_id", Problem::Unknown))
}

/// 初诊/复诊: a return visit when the patient has an earlier registration that holds its place
/// (waiting or seen). One changed to another doctor counts through the registration that
/// replaced it, so a 换号 that was then cancelled is no visit.
pub fn visit_kind(conn: &Conn, patient_id: PatientId) -> Result<&'static str> {
    let earlier: i64 = conn.value(
        concat!(
            "SELECT count(*) FROM registration WHERE patient_id = ?1 AND ",
            holds_place_sql!()
        ),
        &[&patient_id],
    )?;
    Ok(if earlier > 0 { "return" } else { "first" })
}

/// The doctor and department of the patient's last registration that holds its place.
fn last_visit(conn: &Conn, patient_id: PatientId) -> Result<Option<(DoctorId, DepartmentId)>> {
    conn.one(
        concat!(
            "SELECT doctor_id, department_id FROM registration WHERE patient_id = ?1 AND ",
            holds_place_sql!(),
            " ORDER BY created_at DESC, id DESC LIMIT 1"
        ),
        &[&patient_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// An appointment as stored: its id, the patient who holds it, the duty it is for, its status.
struct Booking {
    id: AppointmentId,
    patient_id: PatientId,
    duty_id: DutyId,
    status: String,
}

/// A booking being checked in: it must be this patient's, today's, and still open.
fn booked_slot(
    conn: &Conn,
    number: &str,
    patient: PatientId,
    today: Today,
) -> Result<(AppointmentId, DutyOption)> {
    let Booking {
        id,
        patient_id: holder,
        duty_id,
        status,
    } = conn
        .one(
            "SELECT id, patient_id, duty_id, status FROM appointment WHERE number = ?1",
            &[&number],
            |r| {
                Ok(Booking {
                    id: r.get(0)?,
                    patient_id: r.get(1)?,
                    duty_id: r.get(2)?,
                    status: r.get(3)?,
                })
            },
        )?
        .ok_or(crate::registration::RegistrationError::AppointmentUnknown {
            number: number.to_string(),
        })?;
    if status != "booked" {
        return Err(crate::registration::RegistrationError::AppointmentUsed {
            number: number.to_string(),
        }
        .into());
    }
    if holder != patient {
        return Err(
            crate::registration::RegistrationError::AppointmentOtherPatient {
                number: number.to_string(),
            }
            .into(),
        );
    }
    let duty = duty_by_id(conn, duty_id)?;
    if duty.date != today.date {
        return Err(
            crate::registration::RegistrationError::AppointmentOtherDay {
                number: number.to_string(),
                date: duty.date,
            }
            .into(),
        );
    }
    Ok((id, duty))
}

/// Works out the registration without writing anything.
pub fn quote(conn: &Conn, choice: &Choice, today: Today) -> Result<Quote> {
    patient_exists(conn, choice.patient_id)?;
    let mut asked = duty::Asked {
        doctor: choice.doctor_id,
        department: choice.department_id,
        session: None,
        last: last_visit(conn, choice.patient_id)?,
    };
    let mut session = choice.session.clone();
    let mut appointment_id = None;
    if let Some(no) = choice
        .appointment_no
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        // The booking decides the doctor and the session.
        let (id, slot) = booked_slot(conn, no, choice.patient_id, today)?;
        appointment_id = Some(id);
        asked.doctor = Some(slot.doctor_id);
        asked.department = Some(slot.department_id);
        session = Some(slot.session.as_str().to_string());
    }
    asked.session = Some(duty::session_asked(session.as_deref(), today)?);
    let (duty, last_doctor) = duty::propose(conn, &asked, today)?;
    check_capacity(&duty, appointment_id.is_some())?;
    let (type_id, type_name, fee) = registration_type(conn, choice.registration_type_id)?;
    let applied = apply_promotion(conn, choice.promotion_code.as_deref(), fee, today.date)?;
    let (promotion_id, promotion_name) = applied.promotion.unzip();
    Ok(Quote {
        patient_id: choice.patient_id,
        visit_kind: visit_kind(conn, choice.patient_id)?,
        duty,
        last_doctor,
        registration_type_id: type_id,
        registration_type_name: type_name,
        fee_fen: fee,
        discount_fen: fee - applied.due,
        due_fen: applied.due,
        promotion_id,
        promotion_name,
        appointment_id,
    })
}

/// Everything the clerk submits with F9.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct RegisterInput {
    #[serde(flatten)]
    pub choice: Choice,
    #[serde(default)]
    pub chief_complaint: String,
    #[serde(default)]
    pub referral_source: String,
    #[serde(default)]
    pub marketer: String,
    #[serde(default)]
    pub payments: Vec<PaymentInput>,
}

/// What the screen shows after F9: the receipt to print and the change to hand back.
#[derive(Debug, Clone, Serialize)]
pub struct Registered {
    pub registration_id: RegistrationId,
    pub receipt_id: Option<ReceiptId>,
    pub receipt_number: Option<String>,
    pub queue_no: i64,
    pub due_fen: Fen,
    pub change_fen: Fen,
    pub visit_kind: &'static str,
}

/// Registers a patient and takes payment, all in the caller's write transaction.
pub fn register(
    tx: &mut Tx,
    clerk_id: StaffId,
    desk: &str,
    input: &RegisterInput,
    today: Today,
) -> Result<Registered> {
    let shift = require_shift(tx, clerk_id)?;
    let complaint = validate::text("chief_complaint", &input.chief_complaint, 0, 200)?;
    let referral = validate::text("referral_source", &input.referral_source, 0, 30)?;
    let marketer = validate::text("marketer", &input.marketer, 0, 30)?;
    let quote = quote(tx, &input.choice, today)?;
    let lines = check_payments(tx, &input.payments, quote.due_fen)?;
    let queue_no = tx.next_number(Counter::Queue(quote.duty.duty_id))?;
    let id: RegistrationId = tx.insert(
        "INSERT INTO registration (patient_id, duty_id, doctor_id, department_id, date, session, queue_no,
             visit_kind, registration_type_id, fee_fen, due_fen, promotion_id, chief_complaint,
             referral_source, marketer, appointment_id, status, clerk_id, shift_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)
         RETURNING id",
        &[
            &quote.patient_id,
            &quote.duty.duty_id,
            &quote.duty.doctor_id,
            &quote.duty.department_id,
            &quote.duty.date,
            &quote.duty.session,
            &queue_no,
            &quote.visit_kind,
            &quote.registration_type_id,
            &quote.fee_fen,
            &quote.due_fen,
            &quote.promotion_id,
            &complaint,
            &referral,
            &marketer,
            &quote.appointment_id,
            &RegStatus::Waiting,
            &clerk_id,
            &shift,
            &tx.now,
        ],
    )?;
    tx.record("registration.create", Table::Registration, id, None)?;
    if let Some(promotion) = quote.promotion_id {
        let before = snapshot(tx, Table::Promotion, promotion.0)?;
        tx.execute(
            "UPDATE promotion SET uses = uses + 1 WHERE id = ?1",
            &[&promotion],
        )?;
        tx.record("promotion.use", Table::Promotion, promotion, before)?;
    }
    if let Some(appointment) = quote.appointment_id {
        let before = snapshot(tx, Table::Appointment, appointment.0)?;
        tx.execute(
            "UPDATE appointment SET status = 'checked_in', registration_id = ?2 WHERE id = ?1",
            &[&appointment, &id],
        )?;
        tx.record(
            "appointment.check_in",
            Table::Appointment,
            appointment,
            before,
        )?;
    }
    crate::patient::mark_visit(tx, quote.patient_id)?;
    let (receipt, number) = issue_receipt(tx, desk, id, shift, clerk_id, quote.due_fen)?;
    for line in &lines {
        ledger_entry(tx, &Entry::payment(shift, clerk_id, id, receipt, line))?;
    }
    Ok(Registered {
        registration_id: id,
        receipt_id: Some(receipt),
        receipt_number: Some(number),
        queue_no,
        due_fen: quote.due_fen,
        change_fen: change_of(&lines),
        visit_kind: quote.visit_kind,
    })
}
