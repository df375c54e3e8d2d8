//! 挂号分诊: the registration desk's rules — the clerk's shift (班次, opened with a counted
//! float 备用金), choosing an on-duty doctor (排班) fairly, 号源 capacity, fees and promotion
//! codes, 初诊/复诊 from the patient's history, queue numbers, payment by one method or a mix
//! into the append-only ledger (账), the numbered receipt (收据), 退号 (cancel with refund) and
//! 换号 (change of doctor), appointments (预约) and their check-in, and the waiting room.
//!
//! Rules worth finding by name:
//! - 不能挂感情号: with no doctor asked for, the on-duty doctor with the shortest waiting queue
//!   is proposed (a return patient's last doctor first, when on duty) — [`propose_duty`].
//! - 号源: active registrations plus open bookings never exceed a slot's capacity — [`check_capacity`].
//! - 候诊号: per doctor per session, unique and gapless, taken inside the IMMEDIATE write — [`next_queue_no`].
//! - 退号 frees the slot (the registration stops counting against capacity); its number is not
//!   reused, so nobody who was waiting is overtaken.
//! - 退号 refunds by the original methods as reversing entries in the refunding clerk's open
//!   shift, voids the receipt, and above the hospital's threshold needs a supervisor — [`cancel`].
#![deny(clippy::float_arithmetic)]

use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::audit::{snapshot, Table};
use crate::db::CachedRow;
use crate::db::Tx;
use crate::error::{Error, Problem, Result};
use crate::money::Fen;
use crate::reference::{self, SESSIONS};
use crate::validate;

/// Cash denominations counted into the float and at the close: (fen, label).
pub const DENOMINATIONS: [(i64, &str); 8] = [
    (10_000, "100元"),
    (5_000, "50元"),
    (2_000, "20元"),
    (1_000, "10元"),
    (500, "5元"),
    (100, "1元"),
    (50, "5角"),
    (10, "1角"),
];

/// A cash denomination as the page shows it: its value in fen.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct Denomination {
    pub fen: Fen,
}

/// [`DENOMINATIONS`] for the page, in the same order (the counts it sends follow it).
pub fn denominations() -> Vec<Denomination> {
    DENOMINATIONS
        .iter()
        .map(|(fen, _)| Denomination { fen: Fen(*fen) })
        .collect()
}

fn session_rank(s: &str) -> usize {
    SESSIONS.iter().position(|x| *x == s).unwrap_or(0)
}

fn one<T>(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
    f: impl FnOnce(&rusqlite::Row) -> rusqlite::Result<T>,
) -> Result<Option<T>> {
    Ok(conn.prepare_cached(sql)?.query_row(params, f).optional()?)
}

// ---- 班次: shifts ------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Shift {
    pub id: i64,
    pub clerk_id: i64,
    pub desk: String,
    pub opened_at: i64,
    pub float_fen: Fen,
    pub closed_at: Option<i64>,
    /// Registrations taken in this shift (not counting 退号 and 换号 endings).
    pub registrations: i64,
    /// Payments less refunds in this shift, all methods.
    pub takings_fen: Fen,
    /// Opened on an earlier business day and not continued today (set by the desk).
    pub stale: bool,
}

/// The clerk's open shift, if any.
pub fn open_shift_of(conn: &Connection, clerk_id: i64) -> Result<Option<Shift>> {
    let shift = one(
        conn,
        "SELECT id, clerk_id, desk, opened_at, float_fen, closed_at FROM shift
         WHERE clerk_id = ?1 AND closed_at IS NULL",
        [clerk_id],
        |r| {
            Ok(Shift {
                id: r.get(0)?,
                clerk_id: r.get(1)?,
                desk: r.get(2)?,
                opened_at: r.get(3)?,
                float_fen: Fen(r.get(4)?),
                closed_at: r.get(5)?,
                registrations: 0,
                takings_fen: Fen(0),
                stale: false,
            })
        },
    )?;
    let Some(mut shift) = shift else {
        return Ok(None);
    };
    shift.registrations = conn.row(
        "SELECT count(*) FROM registration WHERE shift_id = ?1 AND status IN ('waiting', 'seen')",
        [shift.id],
        |r| r.get(0),
    )?;
    shift.takings_fen = Fen(conn.row(
        "SELECT coalesce(sum(amount_fen), 0) FROM ledger WHERE shift_id = ?1",
        [shift.id],
        |r| r.get(0),
    )?);
    Ok(Some(shift))
}

/// Opens a shift with the float counted by denomination (`counts[i]` pieces of
/// `DENOMINATIONS[i]`). A clerk has at most one open shift.
pub fn open_shift(tx: &mut Tx, clerk_id: i64, desk: &str, counts: &[i64]) -> Result<Shift> {
    if counts.len() != DENOMINATIONS.len() {
        return Err(Error::invalid("float", Problem::BadFormat));
    }
    let mut float = 0;
    for (count, (fen, _)) in counts.iter().zip(DENOMINATIONS) {
        validate::range("float", *count, 0, 100_000)?;
        float += count * fen;
    }
    if open_shift_of(tx, clerk_id)?.is_some() {
        return Err(Error::ShiftAlreadyOpen);
    }
    let detail = json!(DENOMINATIONS
        .iter()
        .zip(counts)
        .map(|((fen, _), n)| json!({ "fen": fen, "count": n }))
        .collect::<Vec<_>>());
    tx.execute(
        "INSERT INTO shift (clerk_id, desk, opened_at, float_fen, float_counts) VALUES (?1, ?2, ?3, ?4, ?5)",
        rusqlite::params![clerk_id, desk, tx.now, float, detail.to_string()],
    )?;
    let id = tx.last_insert_rowid();
    tx.record("shift.open", Table::Shift, id, None)?;
    open_shift_of(tx, clerk_id)?.ok_or(Error::NotFound("shift"))
}

// ---- 排班 on the day: who can be registered to -------------------------------------------

/// One doctor's duty slot today, as the registration screen lists it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DutyOption {
    pub duty_id: i64,
    pub date: String,
    pub session: String,
    pub doctor_id: i64,
    pub doctor_name: String,
    pub title: String,
    pub department_id: i64,
    pub department_name: String,
    pub capacity: i64,
    /// Registrations not ended (waiting or seen).
    pub registered: i64,
    pub waiting: i64,
    /// Open bookings not yet checked in.
    pub booked: i64,
    pub remaining: i64,
}

const DUTY_OPTION_SQL: &str = "
    SELECT s.id, s.date, s.session, d.id, d.name, d.title, p.id, p.name, s.capacity,
        (SELECT count(*) FROM registration r WHERE r.duty_id = s.id AND r.status IN ('waiting', 'seen')),
        (SELECT count(*) FROM registration r WHERE r.duty_id = s.id AND r.status = 'waiting'),
        (SELECT count(*) FROM appointment a WHERE a.duty_id = s.id AND a.status = 'booked')
    FROM duty s JOIN doctor d ON d.id = s.doctor_id JOIN department p ON p.id = d.department_id";

fn duty_option(r: &rusqlite::Row) -> rusqlite::Result<DutyOption> {
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

/// Doctors on duty on `date` in `session` (all sessions when `None`), active ones only.
pub fn on_duty(conn: &Connection, date: &str, session: Option<&str>) -> Result<Vec<DutyOption>> {
    let sql = format!(
        "{DUTY_OPTION_SQL} WHERE s.date = ?1 AND (?2 IS NULL OR s.session = ?2) AND d.active = 1 AND p.active = 1
         ORDER BY CASE s.session WHEN 'am' THEN 0 WHEN 'pm' THEN 1 ELSE 2 END, p.code, d.name"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt
        .query_map(rusqlite::params![date, session], duty_option)?
        .collect::<std::result::Result<_, _>>()?;
    Ok(rows)
}

/// Doctors of one department on duty in one session.
fn on_duty_in(
    conn: &Connection,
    date: &str,
    session: &str,
    department: i64,
) -> Result<Vec<DutyOption>> {
    let sql = format!(
        "{DUTY_OPTION_SQL} WHERE s.date = ?1 AND s.session = ?2 AND p.id = ?3 AND d.active = 1 AND p.active = 1
         ORDER BY d.name"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt
        .query_map(rusqlite::params![date, session, department], duty_option)?
        .collect::<std::result::Result<_, _>>()?;
    Ok(rows)
}

fn duty_by_id(conn: &Connection, duty_id: i64) -> Result<DutyOption> {
    one(
        conn,
        &format!("{DUTY_OPTION_SQL} WHERE s.id = ?1"),
        [duty_id],
        duty_option,
    )?
    .ok_or(Error::NotFound("duty"))
}

/// 分诊: departments suggested by the chief complaint through the keyword table.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Suggestion {
    pub department_id: i64,
    pub department_name: String,
    pub keywords: Vec<String>,
}

pub fn suggest_departments(conn: &Connection, complaint: &str) -> Result<Vec<Suggestion>> {
    let complaint = complaint.trim();
    let mut out: Vec<Suggestion> = Vec::new();
    if complaint.is_empty() {
        return Ok(out);
    }
    for k in reference::list_triage_keywords(conn)? {
        if complaint.contains(&k.keyword) {
            match out.iter_mut().find(|s| s.department_id == k.department_id) {
                Some(s) => s.keywords.push(k.keyword),
                None => out.push(Suggestion {
                    department_id: k.department_id,
                    department_name: k.department_name,
                    keywords: vec![k.keyword],
                }),
            }
        }
    }
    out.sort_by_key(|s| std::cmp::Reverse(s.keywords.len()));
    Ok(out)
}

// ---- choosing the doctor -----------------------------------------------------------------

/// What the clerk asks for: a doctor, or a department, or nothing (a return patient's last
/// department), for a session today.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct Choice {
    pub patient_id: i64,
    #[serde(default)]
    pub department_id: Option<i64>,
    #[serde(default)]
    pub doctor_id: Option<i64>,
    /// 'am' | 'pm' | 'eve'; default the session the clock is in.
    #[serde(default)]
    pub session: Option<String>,
    #[serde(default)]
    pub registration_type_id: Option<i64>,
    #[serde(default)]
    pub promotion_code: Option<String>,
    #[serde(default)]
    pub appointment_no: Option<String>,
}

/// The registration as it would be made: the screen shows it before payment.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Quote {
    pub patient_id: i64,
    pub visit_kind: &'static str,
    pub duty: DutyOption,
    /// The patient's last doctor, when it is the one proposed.
    pub last_doctor: bool,
    pub registration_type_id: i64,
    pub registration_type_name: String,
    pub fee_fen: Fen,
    pub discount_fen: Fen,
    pub due_fen: Fen,
    pub promotion_id: Option<i64>,
    pub promotion_name: Option<String>,
    pub appointment_id: Option<i64>,
}

/// Where the clock is: today's business date and session.
#[derive(Debug, Clone, Copy)]
pub struct Today<'a> {
    pub date: &'a str,
    pub session: &'a str,
}

fn patient_exists(conn: &Connection, id: i64) -> Result<()> {
    one(conn, "SELECT id FROM patient WHERE id = ?1", [id], |r| {
        r.get::<_, i64>(0)
    })?
    .map(|_| ())
    .ok_or(Error::invalid("patient_id", Problem::Unknown))
}

/// 初诊/复诊: a return visit when the patient has an earlier registration that was not
/// cancelled.
pub fn visit_kind(conn: &Connection, patient_id: i64) -> Result<&'static str> {
    let earlier: i64 = conn.row(
        "SELECT count(*) FROM registration WHERE patient_id = ?1 AND status IN ('waiting', 'seen', 'changed')",
        [patient_id],
        |r| r.get(0),
    )?;
    Ok(if earlier > 0 { "return" } else { "first" })
}

/// The doctor and department of the patient's last registration that was not cancelled.
fn last_visit(conn: &Connection, patient_id: i64) -> Result<Option<(i64, i64)>> {
    one(
        conn,
        "SELECT doctor_id, department_id FROM registration
         WHERE patient_id = ?1 AND status IN ('waiting', 'seen')
         ORDER BY created_at DESC, id DESC LIMIT 1",
        [patient_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

fn doctor_name(conn: &Connection, id: i64) -> Result<String> {
    one(conn, "SELECT name FROM doctor WHERE id = ?1", [id], |r| {
        r.get(0)
    })?
    .ok_or(Error::invalid("doctor_id", Problem::Unknown))
}

/// The next duty of a doctor from today on, for the message that they are not in.
fn next_duty(conn: &Connection, doctor_id: i64, today: Today) -> Result<Option<(String, String)>> {
    let rows = one(
        conn,
        "SELECT date, session FROM duty WHERE doctor_id = ?1 AND
           (date > ?2 OR (date = ?2 AND CASE session WHEN 'am' THEN 0 WHEN 'pm' THEN 1 ELSE 2 END > ?3))
         ORDER BY date, CASE session WHEN 'am' THEN 0 WHEN 'pm' THEN 1 ELSE 2 END LIMIT 1",
        rusqlite::params![doctor_id, today.date, session_rank(today.session) as i64],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(rows)
}

/// Chooses the duty slot: the booked one, the doctor asked for (refused clearly when not on
/// duty), or — 不能挂感情号 — the on-duty doctor of the department with the shortest waiting
/// queue, a return patient's last doctor first when on duty with room.
pub fn propose_duty(
    conn: &Connection,
    choice: &Choice,
    today: Today,
) -> Result<(DutyOption, bool)> {
    let session = match choice.session.as_deref().filter(|s| !s.is_empty()) {
        None => today.session.to_string(),
        Some(s) if SESSIONS.contains(&s) => s.to_string(),
        Some(_) => return Err(Error::invalid("session", Problem::Unknown)),
    };
    if session_rank(&session) < session_rank(today.session) {
        return Err(Error::SessionOver {
            session: session.clone(),
        });
    }
    if let Some(doctor_id) = choice.doctor_id {
        let name = doctor_name(conn, doctor_id)?;
        let slot = one(
            conn,
            &format!(
                "{DUTY_OPTION_SQL} WHERE s.date = ?1 AND s.session = ?2 AND d.id = ?3 AND d.active = 1 AND p.active = 1"
            ),
            rusqlite::params![today.date, session, doctor_id],
            duty_option,
        )?;
        return match slot {
            Some(d) => Ok((d, false)),
            None => Err(Error::DoctorOffDuty {
                doctor: name,
                session: session.clone(),
                next: next_duty(conn, doctor_id, today)?,
            }),
        };
    }
    let last = last_visit(conn, choice.patient_id)?;
    let department = choice
        .department_id
        .or(last.map(|(_, dept)| dept))
        .ok_or(Error::invalid("department_id", Problem::Required))?;
    let candidates = on_duty_in(conn, today.date, &session, department)?;
    if candidates.is_empty() {
        return Err(Error::NoDoctorOnDuty { session });
    }
    if let Some((last_doctor, _)) = last {
        if let Some(d) = candidates
            .iter()
            .find(|d| d.doctor_id == last_doctor && d.remaining > 0)
        {
            return Ok((d.clone(), true));
        }
    }
    let best = candidates
        .iter()
        .filter(|d| d.remaining > 0)
        .min_by_key(|d| (d.waiting, d.registered, d.doctor_id))
        .cloned();
    match best {
        Some(d) => Ok((d, false)),
        None => Err(Error::SessionFull {
            doctor: candidates[0].department_name.clone(),
        }),
    }
}

/// 号源: a slot takes no more than its capacity; `exclude_appointment` is the booking being
/// checked in, which already holds a place.
fn check_capacity(duty: &DutyOption, holds_booking: bool) -> Result<()> {
    let used = duty.registered + duty.booked - i64::from(holds_booking);
    if used >= duty.capacity {
        return Err(Error::SessionFull {
            doctor: duty.doctor_name.clone(),
        });
    }
    Ok(())
}

/// 优惠活动 applied to a fee: (promotion id, name, due).
fn apply_promotion(
    conn: &Connection,
    code: Option<&str>,
    fee: Fen,
    date: &str,
) -> Result<(Option<i64>, Option<String>, Fen)> {
    let Some(code) = code.map(str::trim).filter(|c| !c.is_empty()) else {
        return Ok((None, None, fee));
    };
    let row = one(
        conn,
        "SELECT id, name, kind, value, valid_from, valid_to, max_uses, uses, active FROM promotion WHERE code = ?1",
        [code],
        |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, Option<i64>>(6)?,
                r.get::<_, i64>(7)?,
                r.get::<_, bool>(8)?,
            ))
        },
    )?;
    let Some((id, name, kind, value, from, to, max, uses, active)) = row else {
        return Err(Error::invalid("promotion_code", Problem::Unknown));
    };
    if !active || date < from.as_str() || date > to.as_str() {
        return Err(Error::PromotionNotValid { name });
    }
    if max.is_some_and(|m| uses >= m) {
        return Err(Error::PromotionUsedUp { name });
    }
    let due = match kind.as_str() {
        "price" => Fen(value.min(fee.0)),
        // pay_percent of the fee, rounded to the nearest fen
        _ => Fen((fee.0 * value.clamp(0, 100) + 50) / 100),
    };
    Ok((Some(id), Some(name), due))
}

fn registration_type(conn: &Connection, id: Option<i64>) -> Result<(i64, String, Fen)> {
    let id = id.ok_or(Error::invalid("registration_type_id", Problem::Required))?;
    one(
        conn,
        "SELECT id, name, fee_fen FROM registration_type WHERE id = ?1 AND active = 1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?, Fen(r.get(2)?))),
    )?
    .ok_or(Error::invalid("registration_type_id", Problem::Unknown))
}

/// Works out the registration without writing anything.
pub fn quote(conn: &Connection, choice: &Choice, today: Today) -> Result<Quote> {
    patient_exists(conn, choice.patient_id)?;
    let mut appointment_id = None;
    let mut choice = choice.clone();
    if let Some(no) = choice
        .appointment_no
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        let (id, patient, duty_id, status): (i64, i64, i64, String) = one(
            conn,
            "SELECT id, patient_id, duty_id, status FROM appointment WHERE number = ?1",
            [no],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?
        .ok_or(Error::AppointmentUnknown {
            number: no.to_string(),
        })?;
        if status != "booked" {
            return Err(Error::AppointmentUsed {
                number: no.to_string(),
            });
        }
        if patient != choice.patient_id {
            return Err(Error::AppointmentOtherPatient {
                number: no.to_string(),
            });
        }
        let duty = duty_by_id(conn, duty_id)?;
        if duty.date != today.date {
            return Err(Error::AppointmentOtherDay {
                number: no.to_string(),
                date: duty.date,
            });
        }
        appointment_id = Some(id);
        choice.doctor_id = Some(duty.doctor_id);
        choice.session = Some(duty.session.clone());
        choice.department_id = Some(duty.department_id);
    }
    let (duty, last_doctor) = propose_duty(conn, &choice, today)?;
    check_capacity(&duty, appointment_id.is_some())?;
    let (type_id, type_name, fee) = registration_type(conn, choice.registration_type_id)?;
    let (promotion_id, promotion_name, due) =
        apply_promotion(conn, choice.promotion_code.as_deref(), fee, today.date)?;
    Ok(Quote {
        patient_id: choice.patient_id,
        visit_kind: visit_kind(conn, choice.patient_id)?,
        duty,
        last_doctor,
        registration_type_id: type_id,
        registration_type_name: type_name,
        fee_fen: fee,
        discount_fen: Fen(fee.0 - due.0),
        due_fen: due,
        promotion_id,
        promotion_name,
        appointment_id,
    })
}

// ---- payment ---------------------------------------------------------------------------

/// One line of payment as typed: the method's code and the amount in yuan (blank on a single
/// line means "the whole amount"); for cash, what the patient handed over.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct PaymentInput {
    pub method: String,
    #[serde(default)]
    pub amount: String,
    #[serde(default)]
    pub tendered: String,
}

/// A payment line checked: (method, amount, tendered, change).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PaymentLine {
    pub method: String,
    pub amount_fen: Fen,
    pub tendered_fen: Option<Fen>,
    pub change_fen: Option<Fen>,
}

/// 唱收唱付: the lines must add up to what is due, each method once, cash tendered at least
/// the cash part; change = tendered − cash.
pub fn check_payments(
    conn: &Connection,
    lines: &[PaymentInput],
    due: Fen,
) -> Result<Vec<PaymentLine>> {
    if due.0 == 0 {
        return Ok(Vec::new());
    }
    if lines.is_empty() {
        return Err(Error::invalid("payments", Problem::Required));
    }
    let methods = reference::list_payment_methods(conn)?;
    let single = lines.len() == 1;
    let mut out: Vec<PaymentLine> = Vec::new();
    for line in lines {
        let method = methods
            .iter()
            .find(|m| m.code == line.method.trim() && m.active)
            .ok_or(Error::invalid("method", Problem::Unknown))?;
        if out.iter().any(|l| l.method == method.code) {
            return Err(Error::invalid("method", Problem::Taken));
        }
        let amount = if line.amount.trim().is_empty() && single {
            due
        } else {
            Fen::parse_yuan("amount", &line.amount)?
        };
        if amount.0 == 0 {
            return Err(Error::invalid("amount", Problem::OutOfRange(1, due.0)));
        }
        let (tendered, change) = if method.code == "cash" {
            let tendered = if line.tendered.trim().is_empty() {
                amount
            } else {
                Fen::parse_yuan("tendered", &line.tendered)?
            };
            if tendered < amount {
                return Err(Error::TenderedShort {
                    tendered,
                    cash: amount,
                });
            }
            (Some(tendered), Some(Fen(tendered.0 - amount.0)))
        } else {
            (None, None)
        };
        out.push(PaymentLine {
            method: method.code.clone(),
            amount_fen: amount,
            tendered_fen: tendered,
            change_fen: change,
        });
    }
    let total: i64 = out.iter().map(|l| l.amount_fen.0).sum();
    if total != due.0 {
        return Err(Error::PaymentsDontAddUp {
            paid: Fen(total),
            due,
        });
    }
    Ok(out)
}

fn next_in_series(tx: &Tx, name: &str) -> Result<i64> {
    tx.execute(
        "INSERT INTO series (name, next) VALUES (?1, 1) ON CONFLICT (name) DO NOTHING",
        [name],
    )?;
    let n: i64 = tx.query_row("SELECT next FROM series WHERE name = ?1", [name], |r| {
        r.get(0)
    })?;
    tx.execute("UPDATE series SET next = next + 1 WHERE name = ?1", [name])?;
    Ok(n)
}

/// 收据号: continuous per desk, e.g. `01-00000042`.
fn issue_receipt(
    tx: &mut Tx,
    desk: &str,
    registration_id: i64,
    shift_id: i64,
    clerk_id: i64,
    amount: Fen,
) -> Result<i64> {
    let seq = next_in_series(tx, &format!("receipt:{desk}"))?;
    let number = format!("{desk}-{seq:08}");
    tx.execute(
        "INSERT INTO receipt (desk, seq, number, registration_id, shift_id, clerk_id, amount_fen, issued_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        rusqlite::params![desk, seq, number, registration_id, shift_id, clerk_id, amount.0, tx.now],
    )?;
    let id = tx.last_insert_rowid();
    tx.record("receipt.issue", Table::Receipt, id, None)?;
    Ok(id)
}

#[allow(clippy::too_many_arguments)]
fn ledger_entry(
    tx: &mut Tx,
    shift_id: i64,
    clerk_id: i64,
    registration_id: i64,
    receipt_id: Option<i64>,
    method: &str,
    amount: Fen,
    tendered: Option<Fen>,
    change: Option<Fen>,
    reverses: Option<i64>,
) -> Result<i64> {
    let kind = if amount.0 > 0 { "payment" } else { "refund" };
    tx.execute(
        "INSERT INTO ledger (at, shift_id, clerk_id, registration_id, receipt_id, kind, method, amount_fen,
                             tendered_fen, change_fen, reverses_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        rusqlite::params![
            tx.now,
            shift_id,
            clerk_id,
            registration_id,
            receipt_id,
            kind,
            method,
            amount.0,
            tendered.map(|f| f.0),
            change.map(|f| f.0),
            reverses
        ],
    )?;
    let id = tx.last_insert_rowid();
    tx.record(&format!("ledger.{kind}"), Table::Ledger, id, None)?;
    Ok(id)
}

// ---- 挂号 --------------------------------------------------------------------------------

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
    pub registration_id: i64,
    pub receipt_id: Option<i64>,
    pub receipt_number: Option<String>,
    pub queue_no: i64,
    pub due_fen: Fen,
    pub change_fen: Fen,
    pub visit_kind: &'static str,
}

/// 候诊号: the next number for this doctor's session, inside the write transaction so two
/// desks never get the same one and none is skipped.
fn next_queue_no(tx: &Tx, duty_id: i64) -> Result<i64> {
    Ok(tx.query_row(
        "SELECT coalesce(max(queue_no), 0) + 1 FROM registration WHERE duty_id = ?1",
        [duty_id],
        |r| r.get(0),
    )?)
}

/// Money moves only in the clerk's open shift of today: a shift left open from an earlier day
/// must be closed, or continued with a supervisor's approval, first.
fn require_shift(tx: &Tx, clerk_id: i64) -> Result<OpenShift> {
    let id: i64 = one(
        tx,
        "SELECT id FROM shift WHERE clerk_id = ?1 AND closed_at IS NULL",
        [clerk_id],
        |r| r.get(0),
    )?
    .ok_or(Error::NoOpenShift)?;
    if crate::cash::shift_info(tx, id, tx.now)?.stale {
        return Err(Error::ShiftStale);
    }
    Ok(OpenShift { id })
}

/// The clerk's open shift as the write path needs it (not its running totals).
struct OpenShift {
    id: i64,
}

/// Registers a patient and takes payment, all in the caller's write transaction.
pub fn register(
    tx: &mut Tx,
    clerk_id: i64,
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
    let queue_no = next_queue_no(tx, quote.duty.duty_id)?;
    tx.execute(
        "INSERT INTO registration (patient_id, duty_id, doctor_id, department_id, date, session, queue_no,
             visit_kind, registration_type_id, fee_fen, due_fen, promotion_id, chief_complaint,
             referral_source, marketer, appointment_id, status, clerk_id, shift_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, 'waiting', ?17, ?18, ?19)",
        rusqlite::params![
            quote.patient_id,
            quote.duty.duty_id,
            quote.duty.doctor_id,
            quote.duty.department_id,
            quote.duty.date,
            quote.duty.session,
            queue_no,
            quote.visit_kind,
            quote.registration_type_id,
            quote.fee_fen.0,
            quote.due_fen.0,
            quote.promotion_id,
            complaint,
            referral,
            marketer,
            quote.appointment_id,
            clerk_id,
            shift.id,
            tx.now
        ],
    )?;
    let id = tx.last_insert_rowid();
    tx.record("registration.create", Table::Registration, id, None)?;
    if let Some(promotion) = quote.promotion_id {
        let before = snapshot(tx, Table::Promotion, promotion)?;
        tx.execute(
            "UPDATE promotion SET uses = uses + 1 WHERE id = ?1",
            [promotion],
        )?;
        tx.record("promotion.use", Table::Promotion, promotion, before)?;
    }
    if let Some(appointment) = quote.appointment_id {
        let before = snapshot(tx, Table::Appointment, appointment)?;
        tx.execute(
            "UPDATE appointment SET status = 'checked_in', registration_id = ?2 WHERE id = ?1",
            [appointment, id],
        )?;
        tx.record(
            "appointment.check_in",
            Table::Appointment,
            appointment,
            before,
        )?;
    }
    crate::patient::mark_visit(tx, quote.patient_id)?;
    let receipt = issue_receipt(tx, desk, id, shift.id, clerk_id, quote.due_fen)?;
    let mut change = Fen(0);
    for line in &lines {
        ledger_entry(
            tx,
            shift.id,
            clerk_id,
            id,
            Some(receipt),
            &line.method,
            line.amount_fen,
            line.tendered_fen,
            line.change_fen,
            None,
        )?;
        change = line.change_fen.unwrap_or(change);
    }
    let number: String =
        tx.query_row("SELECT number FROM receipt WHERE id = ?1", [receipt], |r| {
            r.get(0)
        })?;
    Ok(Registered {
        registration_id: id,
        receipt_id: Some(receipt),
        receipt_number: Some(number),
        queue_no,
        due_fen: quote.due_fen,
        change_fen: change,
        visit_kind: quote.visit_kind,
    })
}

// ---- 退号 and 换号 ----------------------------------------------------------------------

#[derive(Debug, Clone)]
struct RegRow {
    id: i64,
    patient_id: i64,
    status: String,
    due: Fen,
    promotion_code: Option<String>,
    registration_type_id: i64,
    visit_kind: String,
}

fn reg_row(conn: &Connection, id: i64) -> Result<RegRow> {
    one(
        conn,
        "SELECT r.id, r.patient_id, r.status, r.due_fen, p.code, r.registration_type_id, r.visit_kind
         FROM registration r LEFT JOIN promotion p ON p.id = r.promotion_id WHERE r.id = ?1",
        [id],
        |r| {
            Ok(RegRow {
                id: r.get(0)?,
                patient_id: r.get(1)?,
                status: r.get(2)?,
                due: Fen(r.get(3)?),
                promotion_code: r.get(4)?,
                registration_type_id: r.get(5)?,
                visit_kind: r.get(6)?,
            })
        },
    )?
    .ok_or(Error::NotFound("registration"))
}

/// What was paid for a registration, net per method, with the entry each refund reverses
/// (the latest payment by that method).
/// A registration reached by 换号 carries what was paid for the registrations it replaced.
fn paid_by_method(conn: &Connection, registration_id: i64) -> Result<Vec<(String, Fen, i64)>> {
    let mut stmt = conn.prepare_cached(
        "WITH RECURSIVE chain (id) AS (
             SELECT ?1
             UNION ALL
             SELECT r.changed_from_id FROM chain c JOIN registration r ON r.id = c.id
             WHERE r.changed_from_id IS NOT NULL
         )
         SELECT method, sum(amount_fen), max(CASE WHEN amount_fen > 0 THEN id END) FROM ledger
         WHERE registration_id IN (SELECT id FROM chain)
         GROUP BY method HAVING sum(amount_fen) != 0 ORDER BY min(id)",
    )?;
    let rows = stmt
        .query_map([registration_id], |r| {
            Ok((
                r.get(0)?,
                Fen(r.get(1)?),
                r.get::<_, Option<i64>>(2)?.unwrap_or(0),
            ))
        })?
        .collect::<std::result::Result<_, _>>()?;
    Ok(rows)
}

/// The registration's valid receipt, if its shift is still open (a 换号 issues a new one for
/// the new registration). A receipt of a closed shift stays as the close counted it; the
/// refund that follows is its own entry in today's shift.
fn valid_receipt(conn: &Connection, registration_id: i64) -> Result<Option<i64>> {
    one(
        conn,
        "SELECT r.id FROM receipt r JOIN shift s ON s.id = r.shift_id
         WHERE r.registration_id = ?1 AND r.voided_at IS NULL AND s.closed_at IS NULL",
        [registration_id],
        |r| r.get(0),
    )
}

fn void_receipt(tx: &mut Tx, receipt: i64, reason: &str) -> Result<()> {
    let before = snapshot(tx, Table::Receipt, receipt)?;
    tx.execute(
        "UPDATE receipt SET voided_at = ?2, void_reason = ?3 WHERE id = ?1",
        rusqlite::params![receipt, tx.now, reason],
    )?;
    tx.record("receipt.void", Table::Receipt, receipt, before)
}

fn end_registration(tx: &mut Tx, id: i64, status: &str, reason: &str) -> Result<()> {
    let before = snapshot(tx, Table::Registration, id)?;
    tx.execute(
        "UPDATE registration SET status = ?2, ended_at = ?3, end_reason = ?4 WHERE id = ?1",
        rusqlite::params![id, status, tx.now, reason],
    )?;
    tx.record(
        &format!("registration.{status}"),
        Table::Registration,
        id,
        before,
    )
}

/// The amount a 退号 of this registration would refund (for the approval check before it).
pub fn refund_amount(conn: &Connection, registration_id: i64) -> Result<Fen> {
    Ok(Fen(paid_by_method(conn, registration_id)?
        .iter()
        .map(|(_, f, _)| f.0)
        .sum()))
}

#[derive(Debug, Clone, Deserialize, Default)]
pub struct CancelInput {
    pub registration_id: i64,
    #[serde(default)]
    pub reason: String,
    /// A supervisor's username and password, when the refund is above the threshold.
    #[serde(default)]
    pub approver_username: String,
    #[serde(default)]
    pub approver_password: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Cancelled {
    pub registration_id: i64,
    pub refunded_fen: Fen,
    pub refunds: Vec<(String, Fen)>,
}

/// 退号: only while waiting (before the patient is seen), with a reason; refunds every method
/// by a reversing entry in the refunding clerk's open shift, voids the receipt and ends the
/// registration, so its place counts no more. `approver` is the supervisor already checked
/// by the caller when the amount needs one.
pub fn cancel(
    tx: &mut Tx,
    clerk_id: i64,
    input: &CancelInput,
    approver: Option<i64>,
    threshold: Fen,
) -> Result<Cancelled> {
    let reason = validate::text("reason", &input.reason, 1, 100)?;
    let reg = reg_row(tx, input.registration_id)?;
    if reg.status != "waiting" {
        return Err(Error::NotWaiting { status: reg.status });
    }
    let shift = require_shift(tx, clerk_id)?;
    let paid = paid_by_method(tx, reg.id)?;
    let total = Fen(paid.iter().map(|(_, f, _)| f.0).sum());
    if total > threshold && approver.is_none() {
        return Err(Error::ApprovalNeeded { amount: total });
    }
    let mut refunds = Vec::new();
    for (method, amount, reverses) in &paid {
        ledger_entry(
            tx,
            shift.id,
            clerk_id,
            reg.id,
            None,
            method,
            Fen(-amount.0),
            None,
            None,
            Some(*reverses),
        )?;
        refunds.push((method.clone(), *amount));
    }
    if let Some(receipt) = valid_receipt(tx, reg.id)? {
        void_receipt(tx, receipt, &format!("退号：{reason}"))?;
    }
    end_registration(tx, reg.id, "cancelled", &reason)?;
    if let Some(approver) = approver {
        tx.event(
            "registration.cancel_approved",
            "approval",
            &reg.id.to_string(),
            json!({ "approver_id": approver, "amount_fen": total.0 }),
        )?;
    }
    Ok(Cancelled {
        registration_id: reg.id,
        refunded_fen: total,
        refunds,
    })
}

#[derive(Debug, Clone, Deserialize, Default)]
pub struct ChangeInput {
    pub registration_id: i64,
    #[serde(default)]
    pub department_id: Option<i64>,
    #[serde(default)]
    pub doctor_id: Option<i64>,
    #[serde(default)]
    pub session: Option<String>,
    #[serde(default)]
    pub registration_type_id: Option<i64>,
    #[serde(default)]
    pub reason: String,
    /// For a dearer registration: how the difference is paid.
    #[serde(default)]
    pub payments: Vec<PaymentInput>,
}

/// 换号: to another doctor or department, with a reason. The old registration ends as
/// 'changed' and its receipt is voided; the new one gets a new queue number and receipt; only
/// the fee difference moves through the ledger (paid as typed, or refunded by the original
/// method).
/// What a 换号 would be: the new slot, its fee and due, and the difference from what the
/// registration cost (positive: to pay; negative: to refund).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ChangeQuote {
    pub duty: DutyOption,
    pub registration_type_id: i64,
    pub fee_fen: Fen,
    pub due_fen: Fen,
    pub old_due_fen: Fen,
    pub difference_fen: Fen,
}

/// Works out a 换号 without writing anything.
pub fn change_quote(conn: &Connection, input: &ChangeInput, today: Today) -> Result<ChangeQuote> {
    let old = reg_row(conn, input.registration_id)?;
    if old.status != "waiting" {
        return Err(Error::NotWaiting { status: old.status });
    }
    let choice = Choice {
        patient_id: old.patient_id,
        department_id: input.department_id,
        doctor_id: input.doctor_id,
        session: input.session.clone(),
        registration_type_id: input
            .registration_type_id
            .or(Some(old.registration_type_id)),
        promotion_code: None,
        appointment_no: None,
    };
    if choice.department_id.is_none() && choice.doctor_id.is_none() {
        return Err(Error::invalid("department_id", Problem::Required));
    }
    let (duty, _) = propose_duty(conn, &choice, today)?;
    let current_duty: i64 = conn
        .prepare_cached("SELECT duty_id FROM registration WHERE id = ?1")?
        .query_row([old.id], |r| r.get(0))?;
    if duty.duty_id == current_duty {
        return Err(Error::SameDoctor);
    }
    check_capacity(&duty, false)?;
    let (type_id, _, fee) = registration_type(conn, choice.registration_type_id)?;
    // A promotion applied to the first registration keeps its price rule, without a new use.
    let due = match old.promotion_code.as_deref() {
        Some(code) => apply_promotion(conn, Some(code), fee, today.date)
            .map(|(_, _, d)| d)
            .unwrap_or(fee),
        None => fee,
    };
    Ok(ChangeQuote {
        duty,
        registration_type_id: type_id,
        fee_fen: fee,
        due_fen: due,
        old_due_fen: old.due,
        difference_fen: Fen(due.0 - old.due.0),
    })
}

pub fn change(
    tx: &mut Tx,
    clerk_id: i64,
    desk: &str,
    input: &ChangeInput,
    today: Today,
) -> Result<Registered> {
    let reason = validate::text("reason", &input.reason, 1, 100)?;
    let shift = require_shift(tx, clerk_id)?;
    let plan = change_quote(tx, input, today)?;
    let old = reg_row(tx, input.registration_id)?;
    let (duty, type_id, fee, due, difference) = (
        plan.duty,
        plan.registration_type_id,
        plan.fee_fen,
        plan.due_fen,
        plan.difference_fen,
    );
    let lines = if difference.0 > 0 {
        check_payments(tx, &input.payments, difference)?
    } else {
        Vec::new()
    };
    let old_receipt = valid_receipt(tx, old.id)?;
    end_registration(tx, old.id, "changed", &reason)?;
    if let Some(r) = old_receipt {
        void_receipt(tx, r, &format!("换号：{reason}"))?;
    }
    let queue_no = next_queue_no(tx, duty.duty_id)?;
    tx.execute(
        "INSERT INTO registration (patient_id, duty_id, doctor_id, department_id, date, session, queue_no,
             visit_kind, registration_type_id, fee_fen, due_fen, promotion_id, chief_complaint,
             referral_source, marketer, appointment_id, status, clerk_id, shift_id, created_at, changed_from_id)
         SELECT patient_id, ?2, ?3, ?4, ?5, ?6, ?7, visit_kind, ?8, ?9, ?10, promotion_id, chief_complaint,
             referral_source, marketer, NULL, 'waiting', ?11, ?12, ?13, id
         FROM registration WHERE id = ?1",
        rusqlite::params![
            old.id,
            duty.duty_id,
            duty.doctor_id,
            duty.department_id,
            duty.date,
            duty.session,
            queue_no,
            type_id,
            fee.0,
            due.0,
            clerk_id,
            shift.id,
            tx.now
        ],
    )?;
    let id = tx.last_insert_rowid();
    tx.record("registration.change", Table::Registration, id, None)?;
    let receipt = issue_receipt(tx, desk, id, shift.id, clerk_id, due)?;
    let mut change = Fen(0);
    if difference.0 > 0 {
        for line in &lines {
            ledger_entry(
                tx,
                shift.id,
                clerk_id,
                id,
                Some(receipt),
                &line.method,
                line.amount_fen,
                line.tendered_fen,
                line.change_fen,
                None,
            )?;
            change = line.change_fen.unwrap_or(change);
        }
    } else if difference.0 < 0 {
        // Refund the difference by the original methods, the latest first.
        let mut left = -difference.0;
        for (method, paid, reverses) in paid_by_method(tx, old.id)?.into_iter().rev() {
            if left == 0 {
                break;
            }
            let part = left.min(paid.0);
            ledger_entry(
                tx,
                shift.id,
                clerk_id,
                id,
                Some(receipt),
                &method,
                Fen(-part),
                None,
                None,
                Some(reverses),
            )?;
            left -= part;
        }
    }
    Ok(Registered {
        registration_id: id,
        receipt_id: Some(receipt),
        receipt_number: Some(tx.query_row(
            "SELECT number FROM receipt WHERE id = ?1",
            [receipt],
            |r| r.get(0),
        )?),
        queue_no,
        due_fen: difference,
        change_fen: change,
        visit_kind: if old.visit_kind == "return" {
            "return"
        } else {
            "first"
        },
    })
}

// ---- the guide desk: seen -----------------------------------------------------------------

/// The guide desk marks a waiting patient as seen by the doctor.
pub fn mark_seen(tx: &mut Tx, registration_id: i64) -> Result<()> {
    let reg = reg_row(tx, registration_id)?;
    if reg.status != "waiting" {
        return Err(Error::NotWaiting { status: reg.status });
    }
    let before = snapshot(tx, Table::Registration, reg.id)?;
    tx.execute(
        "UPDATE registration SET status = 'seen', seen_at = ?2 WHERE id = ?1",
        rusqlite::params![reg.id, tx.now],
    )?;
    tx.record("registration.seen", Table::Registration, reg.id, before)
}

// ---- 预约: appointments ---------------------------------------------------------------------

#[derive(Debug, Clone, Deserialize, Default)]
pub struct BookInput {
    pub patient_id: i64,
    pub doctor_id: i64,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub session: String,
    #[serde(default)]
    pub channel: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Appointment {
    pub id: i64,
    pub number: String,
    pub patient_id: i64,
    pub patient_name: String,
    pub card_no: String,
    pub date: String,
    pub session: String,
    pub doctor_name: String,
    pub department_name: String,
    pub channel: String,
    pub status: String,
}

/// Books a place with a doctor for a session today or later; returns the appointment number.
pub fn book(tx: &mut Tx, input: &BookInput, today: Today) -> Result<Appointment> {
    patient_exists(tx, input.patient_id)?;
    let date = validate::date("date", &input.date)?.to_string();
    if date.as_str() < today.date {
        return Err(Error::invalid("date", Problem::Past));
    }
    if !SESSIONS.contains(&input.session.as_str()) {
        return Err(Error::invalid("session", Problem::Unknown));
    }
    if !["phone", "online"].contains(&input.channel.as_str()) {
        return Err(Error::invalid("channel", Problem::Unknown));
    }
    let name = doctor_name(tx, input.doctor_id)?;
    let duty = on_duty(tx, &date, Some(&input.session))?
        .into_iter()
        .find(|d| d.doctor_id == input.doctor_id)
        .ok_or_else(|| Error::DoctorOffDuty {
            doctor: name.clone(),
            session: input.session.clone(),
            next: None,
        })?;
    check_capacity(&duty, false)?;
    let seq = next_in_series(tx, "appointment")?;
    let number = format!("Y{seq:07}");
    tx.execute(
        "INSERT INTO appointment (number, patient_id, duty_id, channel, status, created_at)
         VALUES (?1, ?2, ?3, ?4, 'booked', ?5)",
        rusqlite::params![
            number,
            input.patient_id,
            duty.duty_id,
            input.channel,
            tx.now
        ],
    )?;
    let id = tx.last_insert_rowid();
    tx.record("appointment.book", Table::Appointment, id, None)?;
    list_appointments(tx, &date, None)?
        .into_iter()
        .find(|a| a.id == id)
        .ok_or(Error::NotFound("appointment"))
}

/// Bookings for a date; with `no_shows_at`, only those still not checked in whose session is
/// over at that point of the day ('am' is over in the afternoon, and so on).
pub fn list_appointments(
    conn: &Connection,
    date: &str,
    no_shows_at: Option<Today>,
) -> Result<Vec<Appointment>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.id, a.number, a.patient_id, pt.name, pt.card_no, s.date, s.session, d.name, p.name, a.channel, a.status
         FROM appointment a JOIN duty s ON s.id = a.duty_id JOIN doctor d ON d.id = s.doctor_id
         JOIN department p ON p.id = d.department_id JOIN patient pt ON pt.id = a.patient_id
         WHERE s.date = ?1 ORDER BY CASE s.session WHEN 'am' THEN 0 WHEN 'pm' THEN 1 ELSE 2 END, a.number",
    )?;
    let rows: Vec<Appointment> = stmt
        .query_map([date], |r| {
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
        })?
        .collect::<std::result::Result<_, _>>()?;
    Ok(match no_shows_at {
        None => rows,
        Some(now) => rows
            .into_iter()
            .filter(|a| {
                a.status == "booked"
                    && (a.date.as_str() < now.date
                        || (a.date == now.date
                            && session_rank(&a.session) < session_rank(now.session)))
            })
            .collect(),
    })
}

// ---- the waiting room ----------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct WaitingPatient {
    pub registration_id: i64,
    pub queue_no: i64,
    pub patient_name: String,
    pub status: String,
    /// Still waiting after the session ended: 过号/未到.
    pub no_show: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DoctorQueue {
    pub duty_id: i64,
    pub session: String,
    pub doctor_id: i64,
    pub doctor_name: String,
    pub department_id: i64,
    pub department_name: String,
    pub waiting: i64,
    pub seen: i64,
    pub no_show: i64,
    pub alert: bool,
    pub patients: Vec<WaitingPatient>,
}

/// 候诊: per department and doctor, today's queue — waiting, seen, and those still waiting
/// after their session ended. `alert` marks more than `threshold` waiting for one doctor.
pub fn waiting_room(conn: &Connection, today: Today, threshold: i64) -> Result<Vec<DoctorQueue>> {
    let mut out: Vec<DoctorQueue> = on_duty(conn, today.date, None)?
        .into_iter()
        .map(|d| DoctorQueue {
            duty_id: d.duty_id,
            session: d.session,
            doctor_id: d.doctor_id,
            doctor_name: d.doctor_name,
            department_id: d.department_id,
            department_name: d.department_name,
            waiting: 0,
            seen: 0,
            no_show: 0,
            alert: false,
            patients: Vec::new(),
        })
        .collect();
    let mut stmt = conn.prepare_cached(
        "SELECT r.id, r.duty_id, r.queue_no, p.name, r.status, r.session FROM registration r
         JOIN patient p ON p.id = r.patient_id
         WHERE r.date = ?1 AND r.status IN ('waiting', 'seen') ORDER BY r.duty_id, r.queue_no",
    )?;
    let mut rows = stmt.query([today.date])?;
    while let Some(r) = rows.next()? {
        let duty: i64 = r.get(1)?;
        let status: String = r.get(4)?;
        let session: String = r.get(5)?;
        let Some(q) = out.iter_mut().find(|q| q.duty_id == duty) else {
            continue;
        };
        let no_show = status == "waiting" && session_rank(&session) < session_rank(today.session);
        match (status.as_str(), no_show) {
            ("seen", _) => q.seen += 1,
            (_, true) => q.no_show += 1,
            _ => q.waiting += 1,
        }
        q.patients.push(WaitingPatient {
            registration_id: r.get(0)?,
            queue_no: r.get(2)?,
            patient_name: mask_name(&r.get::<_, String>(3)?),
            status,
            no_show,
        });
    }
    for q in &mut out {
        q.alert = q.waiting > threshold;
    }
    Ok(out)
}

/// 张*三: a name as a screen facing the waiting room shows it.
pub fn mask_name(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    match chars.len() {
        0 | 1 => name.to_string(),
        2 => format!("{}*", chars[0]),
        n => format!("{}{}{}", chars[0], "*".repeat(n - 2), chars[n - 1]),
    }
}

/// 挂号数据保密: per-doctor counts and takings, for supervisors and the department head only.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DoctorStats {
    pub doctor_id: i64,
    pub doctor_name: String,
    pub department_name: String,
    pub registrations: i64,
    pub revenue_fen: Fen,
}

pub fn doctor_stats(conn: &Connection, date: &str) -> Result<Vec<DoctorStats>> {
    let mut stmt = conn.prepare_cached(
        "SELECT d.id, d.name, p.name,
            (SELECT count(*) FROM registration r WHERE r.doctor_id = d.id AND r.date = ?1 AND r.status IN ('waiting', 'seen')),
            (SELECT coalesce(sum(l.amount_fen), 0) FROM ledger l JOIN registration r ON r.id = l.registration_id
               WHERE r.doctor_id = d.id AND r.date = ?1)
         FROM doctor d JOIN department p ON p.id = d.department_id
         WHERE EXISTS (SELECT 1 FROM registration r WHERE r.doctor_id = d.id AND r.date = ?1)
         ORDER BY p.code, d.name",
    )?;
    let rows = stmt
        .query_map([date], |r| {
            Ok(DoctorStats {
                doctor_id: r.get(0)?,
                doctor_name: r.get(1)?,
                department_name: r.get(2)?,
                registrations: r.get(3)?,
                revenue_fen: Fen(r.get(4)?),
            })
        })?
        .collect::<std::result::Result<_, _>>()?;
    Ok(rows)
}

// ---- today's registrations, as the desk lists them -------------------------------------------

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RegistrationView {
    pub id: i64,
    pub patient_id: i64,
    pub patient_name: String,
    pub card_no: String,
    pub date: String,
    pub session: String,
    pub queue_no: i64,
    pub doctor_name: String,
    pub department_name: String,
    pub registration_type_name: String,
    pub duty_id: i64,
    pub doctor_id: i64,
    pub department_id: i64,
    pub registration_type_id: i64,
    pub visit_kind: String,
    pub due_fen: Fen,
    pub status: String,
    pub receipt_id: Option<i64>,
    pub receipt_number: Option<String>,
    pub created_at: i64,
    pub end_reason: Option<String>,
}

/// Registrations of a date, newest first; `patient_id` narrows to one patient (any date).
pub fn list_registrations(
    conn: &Connection,
    date: Option<&str>,
    patient_id: Option<i64>,
    limit: i64,
) -> Result<Vec<RegistrationView>> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.id, r.patient_id, p.name, p.card_no, r.date, r.session, r.queue_no, d.name, dp.name, t.name,
                r.visit_kind, r.due_fen, r.status,
                (SELECT id FROM receipt WHERE registration_id = r.id ORDER BY voided_at IS NULL DESC, id DESC LIMIT 1),
                (SELECT number FROM receipt WHERE registration_id = r.id ORDER BY voided_at IS NULL DESC, id DESC LIMIT 1),
                r.created_at, r.end_reason, r.duty_id, r.doctor_id, r.department_id, r.registration_type_id
         FROM registration r JOIN patient p ON p.id = r.patient_id JOIN doctor d ON d.id = r.doctor_id
         JOIN department dp ON dp.id = r.department_id JOIN registration_type t ON t.id = r.registration_type_id
         WHERE (?1 IS NULL OR r.date = ?1) AND (?2 IS NULL OR r.patient_id = ?2)
         ORDER BY r.created_at DESC, r.id DESC LIMIT ?3",
    )?;
    let rows = stmt
        .query_map(
            rusqlite::params![date, patient_id, limit.clamp(1, 1000)],
            |r| {
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
                    due_fen: Fen(r.get(11)?),
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
            },
        )?
        .collect::<std::result::Result<_, _>>()?;
    Ok(rows)
}
