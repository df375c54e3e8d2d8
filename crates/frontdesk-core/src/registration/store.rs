//! 挂号's queries and writes: each a named function over the store, returning a row struct;
//! the rules that decide what to read and write are in the other files of this folder.

use serde::Serialize;
use serde_json::json;

use super::appointment::Appointment;
use super::change::ChangeQuote;
use super::duty::DutyOption;
use super::fees::{PriceRule, Terms};
use super::payment::PaymentLine;
use super::register::Quote;
use super::shift::Shift;
use super::{RegStatus, Today};
use crate::audit::{snapshot, Table};
use crate::clock::Session;
use crate::error::{Error, Problem, Result};
use crate::ids::{
    AppointmentId, DepartmentId, DoctorId, DutyId, LedgerId, PatientId, PromotionId, ReceiptId,
    RegistrationId, RegistrationTypeId, ShiftId, StaffId,
};
use crate::money::Fen;
use crate::store::{Conn, Counter, Row, Tx};
use crate::{holds_place_sql, session_rank_sql};

// ---- registrations ----------------------------------------------------------------------------

/// A registration as 退号, 换号 and the guide desk need it.
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

pub(crate) fn patient_exists(conn: &Conn, id: PatientId) -> Result<()> {
    conn.value_opt::<i64>("SELECT id FROM patient WHERE id = ?1", &[&id])?
        .map(|_| ())
        .ok_or(Error::invalid("patient_id", Problem::Unknown))
}

/// The patient's registrations that hold their place (waiting or seen) — 初诊/复诊 reads it. One
/// changed to another doctor counts through the registration that replaced it, so a 换号 that
/// was then cancelled is no visit.
pub(crate) fn places_held(conn: &Conn, patient_id: PatientId) -> Result<i64> {
    conn.value(
        concat!(
            "SELECT count(*) FROM registration WHERE patient_id = ?1 AND ",
            holds_place_sql!()
        ),
        &[&patient_id],
    )
}

/// The doctor and department of the patient's last registration that holds its place.
pub(crate) fn last_visit(
    conn: &Conn,
    patient_id: PatientId,
) -> Result<Option<(DoctorId, DepartmentId)>> {
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
pub(crate) struct Booking {
    pub id: AppointmentId,
    pub patient_id: PatientId,
    pub duty_id: DutyId,
    pub status: String,
}

/// A booking by its number (Y0000042).
pub(crate) fn booking(conn: &Conn, number: &str) -> Result<Option<Booking>> {
    conn.one(
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
    )
}

/// A new registration's row: everything but the queue number, the clerk, the shift and the
/// time, which the write adds.
pub(crate) struct NewRegistration<'a> {
    pub quote: &'a Quote,
    pub chief_complaint: &'a str,
    pub referral_source: &'a str,
    pub marketer: &'a str,
}

/// Inserts a waiting registration with its queue number, audited.
pub(crate) fn insert_registration(
    tx: &mut Tx,
    new: &NewRegistration,
    queue_no: i64,
    clerk_id: StaffId,
    shift: ShiftId,
) -> Result<RegistrationId> {
    let quote = new.quote;
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
            &new.chief_complaint,
            &new.referral_source,
            &new.marketer,
            &quote.appointment_id,
            &RegStatus::Waiting,
            &clerk_id,
            &shift,
            &tx.now,
        ],
    )?;
    tx.record("registration.create", Table::Registration, id, None)?;
    Ok(id)
}

/// The registration a 换号 makes: the old one's patient, visit kind, promotion and what the
/// clerk typed, with the new slot, type and price; audited.
pub(crate) fn insert_change(
    tx: &mut Tx,
    old: RegistrationId,
    plan: &ChangeQuote,
    queue_no: i64,
    clerk_id: StaffId,
    shift: ShiftId,
) -> Result<RegistrationId> {
    let duty = &plan.duty;
    let id: RegistrationId = tx.insert(
        "INSERT INTO registration (patient_id, duty_id, doctor_id, department_id, date, session, queue_no,
             visit_kind, registration_type_id, fee_fen, due_fen, promotion_id, chief_complaint,
             referral_source, marketer, appointment_id, status, clerk_id, shift_id, created_at, changed_from_id)
         SELECT patient_id, ?2, ?3, ?4, ?5, ?6, ?7, visit_kind, ?8, ?9, ?10, promotion_id, chief_complaint,
             referral_source, marketer, NULL, ?11, ?12, ?13, ?14, id
         FROM registration WHERE id = ?1
         RETURNING id",
        &[
            &old,
            &duty.duty_id,
            &duty.doctor_id,
            &duty.department_id,
            &duty.date,
            &duty.session,
            &queue_no,
            &plan.registration_type_id,
            &plan.fee_fen,
            &plan.due_fen,
            &RegStatus::Waiting,
            &clerk_id,
            &shift,
            &tx.now,
        ],
    )?;
    tx.record("registration.change", Table::Registration, id, None)?;
    Ok(id)
}

/// A promotion's use counted, audited.
pub(crate) fn count_promotion_use(tx: &mut Tx, promotion: PromotionId) -> Result<()> {
    let before = snapshot(tx, Table::Promotion, promotion.0)?;
    tx.execute(
        "UPDATE promotion SET uses = uses + 1 WHERE id = ?1",
        &[&promotion],
    )?;
    tx.record("promotion.use", Table::Promotion, promotion, before)
}

/// A booking checked in by the registration it became, audited.
pub(crate) fn check_in_booking(
    tx: &mut Tx,
    appointment: AppointmentId,
    registration: RegistrationId,
) -> Result<()> {
    let before = snapshot(tx, Table::Appointment, appointment.0)?;
    tx.execute(
        "UPDATE appointment SET status = 'checked_in', registration_id = ?2 WHERE id = ?1",
        &[&appointment, &registration],
    )?;
    tx.record(
        "appointment.check_in",
        Table::Appointment,
        appointment,
        before,
    )
}

/// A supervisor's approval of a 退号 above the threshold, as an audit event.
pub(crate) fn record_cancel_approval(
    tx: &mut Tx,
    registration: RegistrationId,
    approver: StaffId,
    amount: Fen,
) -> Result<()> {
    tx.event(
        "registration.cancel_approved",
        "approval",
        &registration.to_string(),
        json!({ "approver_id": approver, "amount_fen": amount }),
    )
}

// ---- 排班 and 号源 ---------------------------------------------------------------------------

macro_rules! duty_option_sql {
    () => {
        concat!(
            "SELECT s.id, s.date, s.session, d.id, d.name, d.title, p.id, p.name, s.capacity,
                (SELECT count(*) FROM registration r WHERE r.duty_id = s.id AND ",
            holds_place_sql!("r"),
            "),
                (SELECT count(*) FROM registration r WHERE r.duty_id = s.id AND r.status = 'waiting'),
                (SELECT count(*) FROM appointment a WHERE a.duty_id = s.id AND a.status = 'booked')
            FROM duty s JOIN doctor d ON d.id = s.doctor_id JOIN department p ON p.id = d.department_id"
        )
    };
}

fn duty_option(r: &Row) -> Result<DutyOption> {
    let capacity: i64 = r.get(8)?;
    let registered: i64 = r.get(9)?;
    let booked: i64 = r.get(11)?;
    Ok(DutyOption {
        duty_id: r.get(0)?,
        date: r.get(1)?,
        session: r.get(2)?,
        doctor_id: r.get(3)?,
        doctor_name: r.get(4)?,
        title: r.get(5)?,
        department_id: r.get(6)?,
        department_name: r.get(7)?,
        capacity,
        registered,
        waiting: r.get(10)?,
        booked,
        remaining: (capacity - registered - booked).max(0),
    })
}

/// Doctors on duty on `date` in `session` (all sessions when `None`), active ones only, by
/// session, department and name.
pub fn on_duty(conn: &Conn, date: &str, session: Option<Session>) -> Result<Vec<DutyOption>> {
    match session {
        Some(session) => conn.all(
            concat!(
                duty_option_sql!(),
                " WHERE s.date = ?1 AND s.session = ?2 AND d.active = 1 AND p.active = 1
                  ORDER BY p.code, d.name"
            ),
            &[&date, &session],
            duty_option,
        ),
        None => conn.all(
            concat!(
                duty_option_sql!(),
                " WHERE s.date = ?1 AND d.active = 1 AND p.active = 1 ORDER BY ",
                session_rank_sql!("s.session"),
                ", p.code, d.name"
            ),
            &[&date],
            duty_option,
        ),
    }
}

/// Doctors of one department on duty in one session.
pub(crate) fn on_duty_in(
    conn: &Conn,
    date: &str,
    session: Session,
    department: DepartmentId,
) -> Result<Vec<DutyOption>> {
    conn.all(
        concat!(
            duty_option_sql!(),
            " WHERE s.date = ?1 AND s.session = ?2 AND p.id = ?3 AND d.active = 1 AND p.active = 1
              ORDER BY d.name"
        ),
        &[&date, &session, &department],
        duty_option,
    )
}

/// One doctor's slot in a session, when on duty.
pub(crate) fn doctor_on_duty(
    conn: &Conn,
    date: &str,
    session: Session,
    doctor: DoctorId,
) -> Result<Option<DutyOption>> {
    conn.one(
        concat!(
            duty_option_sql!(),
            " WHERE s.date = ?1 AND s.session = ?2 AND d.id = ?3 AND d.active = 1 AND p.active = 1"
        ),
        &[&date, &session, &doctor],
        duty_option,
    )
}

pub(crate) fn duty_by_id(conn: &Conn, duty_id: DutyId) -> Result<DutyOption> {
    conn.one(
        concat!(duty_option_sql!(), " WHERE s.id = ?1"),
        &[&duty_id],
        duty_option,
    )?
    .ok_or(Error::NotFound("duty"))
}

pub(crate) fn doctor_name(conn: &Conn, id: DoctorId) -> Result<String> {
    conn.value_opt("SELECT name FROM doctor WHERE id = ?1", &[&id])?
        .ok_or(Error::invalid("doctor_id", Problem::Unknown))
}

/// The next duty of a doctor from today on, for the message that they are not in.
pub(crate) fn next_duty(
    conn: &Conn,
    doctor_id: DoctorId,
    today: Today,
) -> Result<Option<(String, Session)>> {
    conn.one(
        concat!(
            "SELECT date, session FROM duty WHERE doctor_id = ?1 AND
               (date > ?2 OR (date = ?2 AND ",
            session_rank_sql!("session"),
            " > ?3))
             ORDER BY date, ",
            session_rank_sql!("session"),
            " LIMIT 1"
        ),
        &[&doctor_id, &today.date, &today.session.rank()],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

// ---- 号别 and 优惠 ---------------------------------------------------------------------------

const TERMS: &str =
    "SELECT id, name, kind, value, valid_from, valid_to, max_uses, uses, active FROM promotion";

fn terms(r: &Row) -> Result<Terms> {
    Ok(Terms {
        id: r.get(0)?,
        name: r.get(1)?,
        rule: PriceRule::from_stored(&r.get::<String>(2)?, r.get(3)?),
        valid_from: r.get(4)?,
        valid_to: r.get(5)?,
        max_uses: r.get(6)?,
        uses: r.get(7)?,
        active: r.get(8)?,
    })
}

/// A promotion's terms by the code the clerk types.
pub(crate) fn promotion_by_code(conn: &Conn, code: &str) -> Result<Option<Terms>> {
    conn.one(&format!("{TERMS} WHERE code = ?1"), &[&code], terms)
}

/// A promotion's terms by its id, whatever its state today.
pub(crate) fn promotion_by_id(conn: &Conn, id: PromotionId) -> Result<Option<Terms>> {
    conn.one(&format!("{TERMS} WHERE id = ?1"), &[&id], terms)
}

/// A registration type as the quote takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RegType {
    pub id: RegistrationTypeId,
    pub name: String,
    pub fee: Fen,
}

/// An active registration type.
pub(crate) fn active_registration_type(
    conn: &Conn,
    id: RegistrationTypeId,
) -> Result<Option<RegType>> {
    conn.one(
        "SELECT id, name, fee_fen FROM registration_type WHERE id = ?1 AND active = 1",
        &[&id],
        |r| {
            Ok(RegType {
                id: r.get(0)?,
                name: r.get(1)?,
                fee: r.get(2)?,
            })
        },
    )
}

// ---- 收据 ----------------------------------------------------------------------------------

/// 收据号: continuous per desk, e.g. `01-00000042`. Returns the receipt and its number.
pub(crate) fn issue_receipt(
    tx: &mut Tx,
    desk: &str,
    registration_id: RegistrationId,
    shift_id: ShiftId,
    clerk_id: StaffId,
    amount: Fen,
) -> Result<(ReceiptId, String)> {
    let seq = tx.next_number(Counter::Series(&format!("receipt:{desk}")))?;
    let number = format!("{desk}-{seq:08}");
    let id: ReceiptId = tx.insert(
        "INSERT INTO receipt (desk, seq, number, registration_id, shift_id, clerk_id, amount_fen, issued_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
        &[&desk, &seq, &number, &registration_id, &shift_id, &clerk_id, &amount, &tx.now],
    )?;
    tx.record("receipt.issue", Table::Receipt, id, None)?;
    Ok((id, number))
}

/// The registration's valid receipt, if its shift is still open (a 换号 issues a new one for
/// the new registration). A receipt of a closed shift stays as the close counted it; the
/// refund that follows is its own entry in today's shift.
pub(crate) fn valid_receipt(
    conn: &Conn,
    registration_id: RegistrationId,
) -> Result<Option<ReceiptId>> {
    conn.value_opt(
        "SELECT r.id FROM receipt r JOIN shift s ON s.id = r.shift_id
         WHERE r.registration_id = ?1 AND r.voided_at IS NULL AND s.closed_at IS NULL",
        &[&registration_id],
    )
}

pub(crate) fn void_receipt(tx: &mut Tx, receipt: ReceiptId, reason: &str) -> Result<()> {
    let before = snapshot(tx, Table::Receipt, receipt.0)?;
    tx.execute(
        "UPDATE receipt SET voided_at = ?2, void_reason = ?3 WHERE id = ?1",
        &[&receipt, &tx.now, &reason],
    )?;
    tx.record("receipt.void", Table::Receipt, receipt, before)
}

// ---- 账 -------------------------------------------------------------------------------------

/// One entry of the ledger: a payment (positive) or a refund (negative).
#[derive(Debug, Clone)]
pub(crate) struct Entry<'a> {
    pub shift: ShiftId,
    pub clerk: StaffId,
    pub registration: RegistrationId,
    pub receipt: Option<ReceiptId>,
    pub method: &'a str,
    pub amount: Fen,
    pub tendered: Option<Fen>,
    pub change: Option<Fen>,
    /// A refund names the payment it reverses.
    pub reverses: Option<LedgerId>,
}

impl<'a> Entry<'a> {
    /// A payment of a checked line.
    pub fn payment(
        shift: ShiftId,
        clerk: StaffId,
        registration: RegistrationId,
        receipt: ReceiptId,
        line: &'a PaymentLine,
    ) -> Entry<'a> {
        Entry {
            shift,
            clerk,
            registration,
            receipt: Some(receipt),
            method: &line.method,
            amount: line.amount_fen,
            tendered: line.tendered_fen,
            change: line.change_fen,
            reverses: None,
        }
    }

    /// A refund of `amount` (positive: what goes back) by the method of the payment it
    /// reverses.
    pub fn refund(
        shift: ShiftId,
        clerk: StaffId,
        registration: RegistrationId,
        receipt: Option<ReceiptId>,
        paid: &'a Paid,
        amount: Fen,
    ) -> Entry<'a> {
        Entry {
            shift,
            clerk,
            registration,
            receipt,
            method: &paid.method,
            amount: -amount,
            tendered: None,
            change: None,
            reverses: Some(paid.last_payment),
        }
    }
}

pub(crate) fn ledger_entry(tx: &mut Tx, e: &Entry<'_>) -> Result<LedgerId> {
    let kind = if e.amount.0 > 0 { "payment" } else { "refund" };
    let id: LedgerId = tx.insert(
        "INSERT INTO ledger (at, shift_id, clerk_id, registration_id, receipt_id, kind, method, amount_fen,
                             tendered_fen, change_fen, reverses_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id",
        &[
            &tx.now, &e.shift, &e.clerk, &e.registration, &e.receipt, &kind, &e.method, &e.amount,
            &e.tendered, &e.change, &e.reverses,
        ],
    )?;
    tx.record(&format!("ledger.{kind}"), Table::Ledger, id, None)?;
    Ok(id)
}

/// What was paid for a registration by one method, net, and the latest payment by it (which a
/// refund reverses).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paid {
    pub method: String,
    pub net: Fen,
    pub last_payment: LedgerId,
}

/// What was paid for a registration, net per method, in the order first paid. A registration
/// reached by 换号 carries what was paid for the registrations it replaced.
pub(crate) fn paid_by_method(conn: &Conn, registration_id: RegistrationId) -> Result<Vec<Paid>> {
    conn.all(
        "WITH RECURSIVE chain (id) AS (
             SELECT CAST(?1 AS BIGINT)
             UNION ALL
             SELECT r.changed_from_id FROM chain c JOIN registration r ON r.id = c.id
             WHERE r.changed_from_id IS NOT NULL
         )
         SELECT method, CAST(sum(amount_fen) AS BIGINT),
                coalesce(max(CASE WHEN amount_fen > 0 THEN id END), 0)
         FROM ledger
         WHERE registration_id IN (SELECT id FROM chain)
         GROUP BY method HAVING sum(amount_fen) <> 0 ORDER BY min(id)",
        &[&registration_id],
        |r| {
            Ok(Paid {
                method: r.get(0)?,
                net: r.get(1)?,
                last_payment: r.get(2)?,
            })
        },
    )
}

// ---- 开班 -----------------------------------------------------------------------------------

/// The clerk's open shift as stored (its running totals are [`shift_totals`]).
pub(crate) fn open_shift_row(conn: &Conn, clerk_id: StaffId) -> Result<Option<Shift>> {
    conn.one(
        "SELECT id, clerk_id, desk, opened_at, float_fen, closed_at FROM shift
         WHERE clerk_id = ?1 AND closed_at IS NULL",
        &[&clerk_id],
        |r| {
            Ok(Shift {
                id: r.get(0)?,
                clerk_id: r.get(1)?,
                desk: r.get(2)?,
                opened_at: r.get(3)?,
                float_fen: r.get(4)?,
                closed_at: r.get(5)?,
                registrations: 0,
                takings_fen: Fen::ZERO,
                stale: false,
            })
        },
    )
}

/// A shift's registrations that hold their place, and its payments less refunds.
pub(crate) fn shift_totals(conn: &Conn, shift: ShiftId) -> Result<(i64, Fen)> {
    let registrations = conn.value(
        concat!(
            "SELECT count(*) FROM registration WHERE shift_id = ?1 AND ",
            holds_place_sql!()
        ),
        &[&shift],
    )?;
    let takings = conn.value(
        "SELECT CAST(coalesce(sum(amount_fen), 0) AS BIGINT) FROM ledger WHERE shift_id = ?1",
        &[&shift],
    )?;
    Ok((registrations, takings))
}

/// The clerk's open shift as the write path checks it: its id, when it was opened and when a
/// supervisor let it continue.
pub(crate) struct OpenShift {
    pub id: ShiftId,
    pub opened_at: i64,
    pub continued_at: Option<i64>,
}

pub(crate) fn open_shift(conn: &Conn, clerk_id: StaffId) -> Result<Option<OpenShift>> {
    conn.one(
        "SELECT id, opened_at, continued_at FROM shift WHERE clerk_id = ?1 AND closed_at IS NULL",
        &[&clerk_id],
        |r| {
            Ok(OpenShift {
                id: r.get(0)?,
                opened_at: r.get(1)?,
                continued_at: r.get(2)?,
            })
        },
    )
}

/// The id of the clerk's open shift, if any.
pub(crate) fn open_shift_id(conn: &Conn, clerk_id: StaffId) -> Result<Option<ShiftId>> {
    conn.value_opt(
        "SELECT id FROM shift WHERE clerk_id = ?1 AND closed_at IS NULL",
        &[&clerk_id],
    )
}

/// A shift opened with its float and the counts it was counted from, audited.
pub(crate) fn insert_shift(
    tx: &mut Tx,
    clerk_id: StaffId,
    desk: &str,
    float: Fen,
    counts_json: &str,
) -> Result<ShiftId> {
    let id: ShiftId = tx.insert(
        "INSERT INTO shift (clerk_id, desk, opened_at, float_fen, float_counts)
         VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
        &[&clerk_id, &desk, &tx.now, &float, &counts_json],
    )?;
    tx.record("shift.open", Table::Shift, id, None)?;
    Ok(id)
}

// ---- 预约 -----------------------------------------------------------------------------------

/// A booking, audited; its number is the caller's.
pub(crate) fn insert_appointment(
    tx: &mut Tx,
    number: &str,
    patient: PatientId,
    duty: DutyId,
    channel: &str,
) -> Result<AppointmentId> {
    let id: AppointmentId = tx.insert(
        "INSERT INTO appointment (number, patient_id, duty_id, channel, status, created_at)
         VALUES (?1, ?2, ?3, ?4, 'booked', ?5) RETURNING id",
        &[&number, &patient, &duty, &channel, &tx.now],
    )?;
    tx.record("appointment.book", Table::Appointment, id, None)?;
    Ok(id)
}

/// Bookings for a date, by session and number.
pub(crate) fn appointments_on(conn: &Conn, date: &str) -> Result<Vec<Appointment>> {
    conn.all(
        concat!(
            "SELECT a.id, a.number, a.patient_id, pt.name, pt.card_no, s.date, s.session, d.name, p.name,
                    a.channel, a.status
             FROM appointment a JOIN duty s ON s.id = a.duty_id JOIN doctor d ON d.id = s.doctor_id
             JOIN department p ON p.id = d.department_id JOIN patient pt ON pt.id = a.patient_id
             WHERE s.date = ?1 ORDER BY ",
            session_rank_sql!("s.session"),
            ", a.number"
        ),
        &[&date],
        |r| {
            Ok(Appointment {
                id: r.get(0)?,
                number: r.get(1)?,
                patient_id: r.get(2)?,
                patient_name: r.get(3)?,
                card_no: r.get(4)?,
                date: r.get(5)?,
                session: r.get(6)?,
                doctor_name: r.get(7)?,
                department_name: r.get(8)?,
                channel: r.get(9)?,
                status: r.get(10)?,
            })
        },
    )
}
