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

use super::duty::{self, check_capacity, DutyOption};
use super::fees::{apply_promotion, registration_type};
use super::payment::{change_of, check_payments, PaymentInput};
use super::shift::require_shift;
use super::store::{self, Entry, NewRegistration};
use super::Today;
use crate::error::Result;
use crate::ids::{
    AppointmentId, DepartmentId, DoctorId, PatientId, PromotionId, ReceiptId, RegistrationId,
    RegistrationTypeId, StaffId,
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

/// 初诊/复诊: a return visit when the patient has an earlier registration that holds its place
/// (waiting or seen) — [`store::places_held`].
pub fn visit_kind(conn: &Conn, patient_id: PatientId) -> Result<&'static str> {
    Ok(if store::places_held(conn, patient_id)? > 0 {
        "return"
    } else {
        "first"
    })
}

/// A booking being checked in: it must be this patient's, today's, and still open.
fn booked_slot(
    conn: &Conn,
    number: &str,
    patient: PatientId,
    today: Today,
) -> Result<(AppointmentId, DutyOption)> {
    let store::Booking {
        id,
        patient_id: holder,
        duty_id,
        status,
    } = store::booking(conn, number)?.ok_or(
        crate::registration::RegistrationError::AppointmentUnknown {
            number: number.to_string(),
        },
    )?;
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
    let duty = store::duty_by_id(conn, duty_id)?;
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
    store::patient_exists(conn, choice.patient_id)?;
    let last = store::last_visit(conn, choice.patient_id)?;
    let mut asked = duty::Asked {
        doctor: choice.doctor_id,
        department: choice.department_id,
        session: None,
        last,
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
    let rtype = registration_type(conn, choice.registration_type_id)?;
    let fee = rtype.fee;
    let applied = apply_promotion(conn, choice.promotion_code.as_deref(), fee, today.date)?;
    let (promotion_id, promotion_name) = applied.promotion.unzip();
    Ok(Quote {
        patient_id: choice.patient_id,
        // 初诊/复诊 as [`visit_kind`] decides it: a last visit that holds its place is one.
        visit_kind: if last.is_some() { "return" } else { "first" },
        duty,
        last_doctor,
        registration_type_id: rtype.id,
        registration_type_name: rtype.name,
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
    let new = NewRegistration {
        quote: &quote,
        chief_complaint: &complaint,
        referral_source: &referral,
        marketer: &marketer,
    };
    let id = store::insert_registration(tx, &new, queue_no, clerk_id, shift)?;
    if let Some(promotion) = quote.promotion_id {
        store::count_promotion_use(tx, promotion)?;
    }
    if let Some(appointment) = quote.appointment_id {
        store::check_in_booking(tx, appointment, id)?;
    }
    crate::patient::mark_visit(tx, quote.patient_id)?;
    let (receipt, number) = store::issue_receipt(tx, desk, id, shift, clerk_id, quote.due_fen)?;
    for line in &lines {
        store::ledger_entry(tx, &Entry::payment(shift, clerk_id, id, receipt, line))?;
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
