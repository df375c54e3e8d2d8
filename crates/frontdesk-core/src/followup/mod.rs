//! 客户回访 (manual 1.3.7, 4.4.1): the follow-up calls customer service makes.
//!
//! Rules owned here:
//! - The work list fills itself ([`generate`]): a first visit (初诊) is due `first_visit_days`
//!   after it, a discharge `discharge_days` after it. A second run adds nothing; a patient who
//!   asked not to be called (拒绝回访) gets none.
//! - Each attempt is kept (append-only) with its outcome, and the outcome decides what follows
//!   ([`rule`], a pure function): no answer and busy come back after `retry_hours`, until
//!   `max_attempts`, then the follow-up closes as unreachable; a wrong number goes to the
//!   number-to-fix list and comes back when the phone is corrected (audited); refused closes it
//!   and marks the patient; reached closes it.
//! - A closed follow-up is never rewritten (the database refuses).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::audit::{snapshot, Table};
use crate::error::{Error, Problem, Result};
use crate::ids::{DepartmentId, DischargeId, FollowupId, PatientId, StaffId};
use crate::store::{Conn, Row, Tx};
use crate::validate;

pub mod call;
mod desk;
pub mod discharges;
pub mod rates;
pub mod register;
pub mod spotcheck;

/// The work list's settings (管理 → 回访设置).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct Settings {
    pub first_visit_days: i64,
    pub discharge_days: i64,
    pub retry_hours: i64,
    pub max_attempts: i64,
    /// A second follow-up (二次回访) is due this many days after the call that asked for it.
    pub second_days: i64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            first_visit_days: 3,
            discharge_days: 7,
            retry_hours: 24,
            max_attempts: 3,
            second_days: 3,
        }
    }
}

pub fn settings(conn: &Conn) -> Result<Settings> {
    Ok(conn
        .one(
            "SELECT first_visit_days, discharge_days, retry_hours, max_attempts, second_days
             FROM followup_setting WHERE id = 1",
            &[],
            |r| {
                Ok(Settings {
                    first_visit_days: r.get(0)?,
                    discharge_days: r.get(1)?,
                    retry_hours: r.get(2)?,
                    max_attempts: r.get(3)?,
                    second_days: r.get(4)?,
                })
            },
        )?
        .unwrap_or_default())
}

pub fn save_settings(tx: &mut Tx, s: &Settings) -> Result<Settings> {
    validate::range("first_visit_days", s.first_visit_days, 0, 90)?;
    validate::range("discharge_days", s.discharge_days, 0, 90)?;
    validate::range("retry_hours", s.retry_hours, 1, 720)?;
    validate::range("max_attempts", s.max_attempts, 1, 20)?;
    validate::range("second_days", s.second_days, 0, 90)?;
    let before = snapshot(tx, Table::FollowupSetting, 1)?;
    tx.execute(
        "INSERT INTO followup_setting (id, first_visit_days, discharge_days, retry_hours,
             max_attempts, second_days)
         VALUES (1, ?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (id) DO UPDATE SET first_visit_days = ?1, discharge_days = ?2,
             retry_hours = ?3, max_attempts = ?4, second_days = ?5",
        &[
            &s.first_visit_days,
            &s.discharge_days,
            &s.retry_hours,
            &s.max_attempts,
            &s.second_days,
        ],
    )?;
    tx.record("followup_setting.save", Table::FollowupSetting, 1, before)?;
    settings(tx)
}

/// The settings row, for a new hospital and (migration 0010) for one already working.
pub fn seed(tx: &mut Tx) -> Result<()> {
    save_settings(tx, &Settings::default()).map(|_| ())
}

/// Migration 0010's step: the row as that schema has it (its columns, not today's: later
/// migrations add theirs with their defaults).
pub(crate) fn seed_existing(tx: &mut Tx) -> Result<()> {
    let hospital: Option<i64> = tx.value_opt("SELECT id FROM hospital WHERE id = 1", &[])?;
    if hospital.is_none() {
        return Ok(());
    }
    let d = Settings::default();
    tx.execute(
        "INSERT INTO followup_setting (id, first_visit_days, discharge_days, retry_hours,
             max_attempts)
         VALUES (1, ?1, ?2, ?3, ?4)",
        &[
            &d.first_visit_days,
            &d.discharge_days,
            &d.retry_hours,
            &d.max_attempts,
        ],
    )?;
    tx.record("followup_setting.save", Table::FollowupSetting, 1, None)
}

// ---- the outcome of a call ----------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// 接通
    Reached,
    /// 无人接听
    NoAnswer,
    /// 占线
    Busy,
    /// 号码错误
    WrongNumber,
    /// 拒绝回访
    Refused,
}

impl Outcome {
    pub const ALL: [Outcome; 5] = [
        Outcome::Reached,
        Outcome::NoAnswer,
        Outcome::Busy,
        Outcome::WrongNumber,
        Outcome::Refused,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Reached => "reached",
            Outcome::NoAnswer => "no_answer",
            Outcome::Busy => "busy",
            Outcome::WrongNumber => "wrong_number",
            Outcome::Refused => "refused",
        }
    }

    pub fn parse(s: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.as_str() == s)
    }
}

crate::sql_text_enum!(Outcome);

/// 客户回访's own refusals (carried by the core's `Error` as an `AreaError`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FollowupError {
    /// A call attempted on a follow-up that is not waiting for one (closed, or its number to
    /// fix), or a number fixed on one not waiting for that.
    #[error("follow-up is {state:?}")]
    NotOpen { state: FState },
}

impl crate::error::AreaError for FollowupError {
    fn code(&self) -> &'static str {
        match self {
            FollowupError::NotOpen { .. } => "followup_not_open",
        }
    }

    fn message(&self, lang: crate::i18n::Lang) -> String {
        let zh = lang == crate::i18n::Lang::Zh;
        match self {
            FollowupError::NotOpen { state } => match (state, zh) {
                (FState::FixNumber, true) => "该患者的电话号码有误，请先更正号码再回访".into(),
                (FState::FixNumber, false) => {
                    "This patient's number is wrong: correct it before calling again".into()
                }
                (FState::Open, true) => "该回访正等待号码更正".into(),
                (FState::Open, false) => "This call is not waiting for a number correction".into(),
                (_, true) => "该回访已结束，不能再记录".into(),
                (_, false) => "This follow-up is closed; nothing more can be recorded".into(),
            },
        }
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

impl From<FollowupError> for Error {
    fn from(e: FollowupError) -> Self {
        Error::area(e)
    }
}

/// Where a follow-up is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FState {
    /// 待回访 (maybe waiting for its next try)
    Open,
    /// 号码待更正
    FixNumber,
    /// 已回访
    Reached,
    /// 无法联系
    Unreachable,
    /// 拒绝回访
    Refused,
}

impl FState {
    pub const ALL: [FState; 5] = [
        FState::Open,
        FState::FixNumber,
        FState::Reached,
        FState::Unreachable,
        FState::Refused,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FState::Open => "open",
            FState::FixNumber => "fix_number",
            FState::Reached => "reached",
            FState::Unreachable => "unreachable",
            FState::Refused => "refused",
        }
    }

    pub fn parse(s: &str) -> Option<FState> {
        FState::ALL.into_iter().find(|o| o.as_str() == s)
    }

    pub fn closed(self) -> bool {
        matches!(
            self,
            FState::Reached | FState::Unreachable | FState::Refused
        )
    }
}

crate::sql_text_enum!(FState);

/// What an attempt leads to: the state, and when the call comes back on the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Next {
    pub state: FState,
    pub next_try_at: Option<i64>,
}

/// The outcome's rule: `attempt` is this attempt's number (1 for the first), `at` its time.
pub fn rule(s: &Settings, outcome: Outcome, attempt: i64, at: i64) -> Next {
    match outcome {
        Outcome::Reached => Next {
            state: FState::Reached,
            next_try_at: None,
        },
        Outcome::NoAnswer | Outcome::Busy if attempt >= s.max_attempts => Next {
            state: FState::Unreachable,
            next_try_at: None,
        },
        Outcome::NoAnswer | Outcome::Busy => Next {
            state: FState::Open,
            next_try_at: Some(at + s.retry_hours * 3_600_000),
        },
        // Not redialled: the number is fixed first.
        Outcome::WrongNumber => Next {
            state: FState::FixNumber,
            next_try_at: None,
        },
        Outcome::Refused => Next {
            state: FState::Refused,
            next_try_at: None,
        },
    }
}

// ---- the work list fills itself --------------------------------------------------------------

/// How far back the list looks for first visits and discharges not yet on it.
const LOOK_BACK_DAYS: i64 = 60;

fn date_after(date: &str, days: i64) -> Result<String> {
    Ok((validate::date("date", date)? + chrono::Duration::days(days)).to_string())
}

type Visit = (i64, PatientId, DepartmentId, String);
type Discharged = (DischargeId, PatientId, Option<DepartmentId>, String);

/// How far below the newest registration (or discharge) already on the list the search for those
/// not on it starts. Ids grow with every row, so only the newest can be missing — but on a shared
/// server a desk's row may commit after a later id of another desk's; this many rows back covers
/// any transaction still in flight, and keeps the search a few index lookups instead of weeks of
/// registrations.
const IN_FLIGHT: i64 = 1000;

/// The first visits and discharges of the last weeks not on the list yet (none of a patient who
/// refused calls).
fn missing(conn: &Conn, today: NaiveDate) -> Result<(Vec<Visit>, Vec<Discharged>)> {
    let since = (today - chrono::Duration::days(LOOK_BACK_DAYS)).to_string();
    let visits: Vec<Visit> = conn.all(
        concat!(
            "SELECT r.id, r.patient_id, r.department_id, r.date FROM registration r
             WHERE r.id > COALESCE((SELECT MAX(registration_id) FROM followup), 0) - ?2
               AND r.date >= ?1 AND r.visit_kind = 'first' AND ",
            crate::holds_place_sql!("r"),
            " AND NOT EXISTS (SELECT 1 FROM followup f WHERE f.registration_id = r.id)
              AND NOT EXISTS (SELECT 1 FROM patient_no_call n WHERE n.patient_id = r.patient_id)
             ORDER BY r.id"
        ),
        &[&since, &IN_FLIGHT],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    let discharges: Vec<Discharged> = conn.all(
        "SELECT d.id, d.patient_id, d.department_id, d.discharged_on FROM discharge d
         WHERE d.id > COALESCE((SELECT MAX(discharge_id) FROM followup), 0) - ?2
           AND d.discharged_on >= ?1
           AND NOT EXISTS (SELECT 1 FROM followup f WHERE f.discharge_id = d.id)
           AND NOT EXISTS (SELECT 1 FROM patient_no_call n WHERE n.patient_id = d.patient_id)
         ORDER BY d.id",
        &[&since, &IN_FLIGHT],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    Ok((visits, discharges))
}

/// A patient with no phone on file goes straight to the number-to-fix list.
const NO_PHONE_FIXES: &str =
    "CASE WHEN (SELECT phone FROM patient WHERE id = ?1) IS NULL THEN 'fix_number' ELSE 'open' END";

/// Whether [`generate`] has anything to add (read without writing).
pub fn anything_to_add(conn: &Conn, today: NaiveDate) -> Result<bool> {
    let (v, d) = missing(conn, today)?;
    Ok(!v.is_empty() || !d.is_empty())
}

/// Puts on the list every first visit and discharge of the last weeks that is not on it yet
/// (none for a patient who refused calls). Returns how many were added.
pub fn generate(tx: &mut Tx, today: NaiveDate) -> Result<i64> {
    let s = settings(tx)?;
    let (visits, discharges) = missing(tx, today)?;
    let mut added = 0;
    let now = tx.now;
    let visit_sql = format!(
        "INSERT INTO followup (kind, patient_id, registration_id, department_id, due_date,
             state, attempts, created_at)
         VALUES ('first_visit', ?1, ?2, ?3, ?4, {NO_PHONE_FIXES}, 0, ?5) RETURNING id"
    );
    let discharge_sql = format!(
        "INSERT INTO followup (kind, patient_id, discharge_id, department_id, due_date,
             state, attempts, created_at)
         VALUES ('discharge', ?1, ?2, ?3, ?4, {NO_PHONE_FIXES}, 0, ?5) RETURNING id"
    );
    for (registration, patient, department, date) in visits {
        let due = date_after(&date, s.first_visit_days)?;
        let id: FollowupId = tx.insert(
            &visit_sql,
            &[&patient, &registration, &department, &due, &now],
        )?;
        tx.record("followup.due", Table::Followup, id, None)?;
        added += 1;
    }
    for (discharge, patient, department, date) in discharges {
        let due = date_after(&date, s.discharge_days)?;
        let id: FollowupId = tx.insert(
            &discharge_sql,
            &[&patient, &discharge, &department, &due, &now],
        )?;
        tx.record("followup.due", Table::Followup, id, None)?;
        added += 1;
    }
    Ok(added)
}

/// A discharged inpatient, entered by hand.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct DischargeInput {
    pub patient_id: Option<PatientId>,
    #[serde(default)]
    pub department_id: Option<DepartmentId>,
    #[serde(default)]
    pub admitted_on: String,
    #[serde(default)]
    pub discharged_on: String,
    #[serde(default)]
    pub doctor: String,
    #[serde(default)]
    pub diagnosis: String,
}

/// A discharge's fields, checked (its patient only when it names one: an import checks the
/// row before it makes the patient).
pub(crate) fn check_discharge(
    conn: &Conn,
    input: &DischargeInput,
    today: NaiveDate,
) -> Result<(Option<String>, String, String, String)> {
    let discharged = validate::date("discharged_on", &input.discharged_on)?;
    if discharged > today {
        return Err(Error::invalid("discharged_on", Problem::Future));
    }
    let admitted = match input.admitted_on.trim() {
        "" => None,
        d => {
            let d = validate::date("admitted_on", d)?;
            if d > discharged {
                return Err(Error::invalid("discharged_on", Problem::BeforeStart));
            }
            Some(d.to_string())
        }
    };
    if let Some(d) = input.department_id {
        let found: Option<i64> =
            conn.value_opt("SELECT id FROM department WHERE id = ?1", &[&d])?;
        found.ok_or(Error::invalid("department_id", Problem::Unknown))?;
    }
    let doctor = validate::text("doctor", &input.doctor, 0, 30)?;
    let diagnosis = validate::text("diagnosis", &input.diagnosis, 0, 200)?;
    if let Some(patient) = input.patient_id {
        crate::patient::get_patient(conn, patient, today)
            .map_err(|_| Error::invalid("patient_id", Problem::Unknown))?;
        let clash: Option<i64> = conn.value_opt(
            "SELECT id FROM discharge WHERE patient_id = ?1 AND discharged_on = ?2",
            &[&patient, &discharged.to_string()],
        )?;
        if clash.is_some() {
            return Err(Error::invalid("discharged_on", Problem::Taken));
        }
    }
    Ok((admitted, discharged.to_string(), doctor, diagnosis))
}

pub fn add_discharge(tx: &mut Tx, input: &DischargeInput, today: NaiveDate) -> Result<DischargeId> {
    let patient = input
        .patient_id
        .ok_or(Error::invalid("patient_id", Problem::Required))?;
    let (admitted, discharged, doctor, diagnosis) = check_discharge(tx, input, today)?;
    let id: DischargeId = tx.insert(
        "INSERT INTO discharge (patient_id, department_id, admitted_on, discharged_on, doctor,
             diagnosis, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
        &[
            &patient,
            &input.department_id,
            &admitted,
            &discharged,
            &doctor,
            &diagnosis,
            &tx.now,
        ],
    )?;
    tx.record("discharge.create", Table::Discharge, id, None)?;
    Ok(id)
}

// ---- a call ----------------------------------------------------------------------------------

#[derive(Debug, Clone, Deserialize, Default)]
pub struct AttemptInput {
    pub followup_id: FollowupId,
    #[serde(default)]
    pub outcome: String,
    #[serde(default)]
    pub note: String,
    /// What a reached call brings: satisfaction, words, a concern, a next call.
    #[serde(default)]
    pub answer: Option<call::AnswerInput>,
}

/// One follow-up as the list shows it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Followup {
    pub id: FollowupId,
    pub kind: String,
    pub patient_id: PatientId,
    pub patient: String,
    pub card_no: String,
    pub phone: Option<String>,
    pub department: Option<String>,
    pub due_date: String,
    pub next_try_at: Option<i64>,
    pub state: FState,
    pub attempts: i64,
    pub closed_at: Option<i64>,
    pub overdue: bool,
}

const COLUMNS: &str = "f.id, f.kind, f.patient_id, p.name, p.card_no, p.phone, d.name, f.due_date,
    f.next_try_at, f.state, f.attempts, f.closed_at";
const FROM: &str = "followup f JOIN patient p ON p.id = f.patient_id
    LEFT JOIN department d ON d.id = f.department_id";

fn row(r: &Row, today: &str) -> Result<Followup> {
    let state: FState = r.get(9)?;
    let due: String = r.get(7)?;
    Ok(Followup {
        id: r.get(0)?,
        kind: r.get(1)?,
        patient_id: r.get(2)?,
        patient: r.get(3)?,
        card_no: r.get(4)?,
        phone: r.get(5)?,
        department: r.get(6)?,
        overdue: state == FState::Open && due.as_str() < today,
        due_date: due,
        next_try_at: r.get(8)?,
        state,
        attempts: r.get(10)?,
        closed_at: r.get(11)?,
    })
}

pub fn get(conn: &Conn, id: FollowupId, today: NaiveDate) -> Result<Followup> {
    let today = today.to_string();
    conn.one(
        &format!("SELECT {COLUMNS} FROM {FROM} WHERE f.id = ?1"),
        &[&id],
        |r| row(r, &today),
    )?
    .ok_or(Error::NotFound("followup"))
}

/// Records one attempt at the call, and what its outcome decides.
pub fn attempt(tx: &mut Tx, by: StaffId, input: &AttemptInput, today: NaiveDate) -> Result<FState> {
    let outcome = Outcome::parse(input.outcome.trim()).ok_or(Error::invalid(
        "outcome",
        if input.outcome.trim().is_empty() {
            Problem::Required
        } else {
            Problem::Unknown
        },
    ))?;
    let note = validate::text("note", &input.note, 0, 500)?;
    let answer = if outcome == Outcome::Reached {
        Some(call::check_reached(tx, input.answer.as_ref(), today)?)
    } else {
        call::refuse_unreached(input.answer.as_ref())?;
        None
    };
    let current: Option<(FState, i64, PatientId, Option<String>)> = tx.one(
        "SELECT f.state, f.attempts, f.patient_id, p.phone FROM followup f
         JOIN patient p ON p.id = f.patient_id WHERE f.id = ?1",
        &[&input.followup_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    let (state, attempts, patient, phone) = current.ok_or(Error::NotFound("followup"))?;
    if state != FState::Open {
        return Err(FollowupError::NotOpen { state }.into());
    }
    let s = settings(tx)?;
    let n = attempts + 1;
    let now = tx.now;
    let next = rule(&s, outcome, n, now);
    let attempt: i64 = tx.insert(
        "INSERT INTO followup_attempt (followup_id, n, outcome, phone, staff_id, at, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
        &[&input.followup_id, &n, &outcome, &phone, &by, &now, &note],
    )?;
    tx.record(
        &format!("followup.{}", outcome.as_str()),
        Table::FollowupAttempt,
        attempt,
        None,
    )?;
    let before = snapshot(tx, Table::Followup, input.followup_id)?;
    let closed = next.state.closed().then_some(now);
    tx.execute(
        "UPDATE followup SET state = ?2, attempts = ?3, next_try_at = ?4, closed_at = ?5
         WHERE id = ?1",
        &[
            &input.followup_id,
            &next.state,
            &n,
            &next.next_try_at,
            &closed,
        ],
    )?;
    tx.record(
        "followup.attempt",
        Table::Followup,
        input.followup_id,
        before,
    )?;
    if let Some(answer) = &answer {
        call::record_answer(tx, &s, (input.followup_id, attempt), by, answer, today)?;
    }
    if outcome == Outcome::Refused {
        let marked: Option<i64> = tx.value_opt(
            "SELECT id FROM patient_no_call WHERE patient_id = ?1",
            &[&patient],
        )?;
        if marked.is_none() {
            let id: i64 = tx.insert(
                "INSERT INTO patient_no_call (patient_id, at, staff_id, reason)
                 VALUES (?1, ?2, ?3, ?4) RETURNING id",
                &[&patient, &now, &by, &note],
            )?;
            tx.record("patient.no_call", Table::PatientNoCall, id, None)?;
        }
    }
    Ok(next.state)
}

/// 号码更正: the patient's phone corrected (in the patient index, audited) and the call put
/// back on the list.
pub fn fix_number(tx: &mut Tx, id: FollowupId, phone: &str, today: NaiveDate) -> Result<()> {
    let current: Option<(FState, PatientId)> = tx.one(
        "SELECT state, patient_id FROM followup WHERE id = ?1",
        &[&id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let (state, patient) = current.ok_or(Error::NotFound("followup"))?;
    if state != FState::FixNumber {
        return Err(FollowupError::NotOpen { state }.into());
    }
    let p = crate::patient::get_patient(tx, patient, today)?;
    let normalized = crate::patient::normalize_phone(phone)?
        .ok_or(Error::invalid("phone", Problem::Required))?;
    // The number the call failed on (none: the patient had no phone when it was listed).
    let failed_on: Option<String> = tx
        .value_opt::<Option<String>>(
            "SELECT phone FROM followup_attempt WHERE followup_id = ?1 ORDER BY n DESC LIMIT 1",
            &[&id],
        )?
        .flatten();
    if p.phone.as_deref() == Some(normalized.as_str()) {
        // Already in the patient index (the registration desk corrected it meanwhile): the
        // call goes back on the list as it is; the very number it failed on is no correction.
        if failed_on.as_deref() == Some(normalized.as_str()) {
            return Err(Error::invalid("phone", Problem::Unchanged));
        }
        return reopen(tx, id);
    }
    let input = crate::patient::PatientInput {
        id: Some(patient),
        name: p.name,
        sex: p.sex,
        birth_date: p.birth_date.unwrap_or_default(),
        id_number: p.id_number.unwrap_or_default(),
        phone: normalized,
        address: p.address,
        origin: p.origin,
        heard_via: p.heard_via,
        card_no: String::new(),
    };
    crate::patient::save(tx, &input, true)?;
    reopen(tx, id)
}

/// A call whose number is right now back on the list, due at once.
fn reopen(tx: &mut Tx, id: FollowupId) -> Result<()> {
    let before = snapshot(tx, Table::Followup, id)?;
    tx.execute(
        "UPDATE followup SET state = 'open', next_try_at = NULL WHERE id = ?1",
        &[&id],
    )?;
    tx.record("followup.number_fixed", Table::Followup, id, before)
}

/// Which follow-ups the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// To call now: open, due by today, not waiting for its next try.
    Due,
    /// Open and past its due date.
    Overdue,
    /// 号码待更正
    FixNumber,
    /// Every open one, due or not.
    Open,
    Closed,
}

impl View {
    pub fn parse(s: &str) -> Option<View> {
        Some(match s {
            "" | "due" => View::Due,
            "overdue" => View::Overdue,
            "fix_number" => View::FixNumber,
            "open" => View::Open,
            "closed" => View::Closed,
            _ => return None,
        })
    }
}

/// Narrows a list: one department, one kind, or the calls I made an attempt at (我的).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Filter {
    #[serde(default)]
    pub department_id: Option<DepartmentId>,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub mine: bool,
}

const KINDS: [&str; 4] = ["first_visit", "discharge", "second", "planned"];

pub fn list(
    conn: &Conn,
    view: View,
    filter: &Filter,
    me: StaffId,
    today: NaiveDate,
    now: i64,
    limit: i64,
) -> Result<Vec<Followup>> {
    let today_s = today.to_string();
    let limit = limit.clamp(1, 1000);
    let kind = match filter.kind.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(k) if KINDS.contains(&k) => Some(k.to_string()),
        Some(_) => return Err(Error::invalid("kind", Problem::Unknown)),
    };
    let not_refused =
        "NOT EXISTS (SELECT 1 FROM patient_no_call n WHERE n.patient_id = f.patient_id)";
    let (mut filter_sql, order) = match view {
        View::Due => (
            format!(
                "f.closed_at IS NULL AND f.state = 'open' AND f.due_date <= ?2
                 AND (f.next_try_at IS NULL OR f.next_try_at <= ?3) AND {not_refused}"
            ),
            "f.due_date, f.id",
        ),
        View::Overdue => (
            format!(
                "f.closed_at IS NULL AND f.state = 'open' AND f.due_date < ?2 AND {not_refused}"
            ),
            "f.due_date, f.id",
        ),
        View::FixNumber => (
            format!("f.state = 'fix_number' AND {not_refused}"),
            "f.due_date, f.id",
        ),
        View::Open => (
            format!("f.closed_at IS NULL AND {not_refused}"),
            "f.due_date, f.id",
        ),
        View::Closed => (
            "f.closed_at IS NOT NULL".to_string(),
            "f.closed_at DESC, f.id DESC",
        ),
    };
    // Every parameter is always bound (?1 limit, ?2 today, ?3 now, ?4 me, ?5 department,
    // ?6 kind); a filter not asked for compares a parameter with itself.
    filter_sql.push_str(" AND ?2 = ?2 AND ?3 = ?3");
    filter_sql.push_str(if filter.mine {
        " AND EXISTS (SELECT 1 FROM followup_attempt a WHERE a.followup_id = f.id AND a.staff_id = ?4)"
    } else {
        " AND ?4 = ?4"
    });
    filter_sql.push_str(if filter.department_id.is_some() {
        " AND f.department_id = ?5"
    } else {
        " AND ?5 = ?5"
    });
    filter_sql.push_str(if kind.is_some() {
        " AND f.kind = ?6"
    } else {
        " AND ?6 = ?6"
    });
    let department = filter.department_id.unwrap_or_default();
    let kind = kind.unwrap_or_default();
    conn.all(
        &format!("SELECT {COLUMNS} FROM {FROM} WHERE {filter_sql} ORDER BY {order} LIMIT ?1"),
        &[&limit, &today_s, &now, &me, &department, &kind],
        |r| row(r, &today_s),
    )
}

/// The status bar's follow-up counters: calls to make now, past their due date, numbers to
/// fix, concerns waiting for their department — each counted up to [`COUNTS_UP_TO`] (the bar
/// shows 999+ beyond: a desk needs to know there is a backlog, not its exact size, and the
/// status is read every minute).
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct Counts {
    pub due: i64,
    pub overdue: i64,
    pub fix_number: i64,
    pub concerns: i64,
}

pub const COUNTS_UP_TO: i64 = 1000;

pub fn counts(conn: &Conn, today: NaiveDate, now: i64) -> Result<Counts> {
    let today = today.to_string();
    let not_refused =
        "NOT EXISTS (SELECT 1 FROM patient_no_call n WHERE n.patient_id = f.patient_id)";
    let capped = |filter: &str, params: crate::store::Params<'_>| -> Result<i64> {
        conn.value(
            &format!("SELECT count(*) FROM (SELECT 1 FROM followup f WHERE {filter} LIMIT {COUNTS_UP_TO}) x"),
            params,
        )
    };
    Ok(Counts {
        due: capped(
            &format!(
                "f.closed_at IS NULL AND f.state = 'open' AND f.due_date <= ?1
                 AND (f.next_try_at IS NULL OR f.next_try_at <= ?2) AND {not_refused}"
            ),
            &[&today, &now],
        )?,
        overdue: capped(
            &format!(
                "f.closed_at IS NULL AND f.state = 'open' AND f.due_date < ?1 AND {not_refused}"
            ),
            &[&today],
        )?,
        fix_number: capped(&format!("f.state = 'fix_number' AND {not_refused}"), &[])?,
        concerns: conn.value(
            &format!(
                "SELECT count(*) FROM (SELECT 1 FROM followup_concern WHERE answered_at IS NULL
                 LIMIT {COUNTS_UP_TO}) x"
            ),
            &[],
        )?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_outcome_has_its_rule() {
        let s = Settings::default(); // retry after 24 h, at most 3 attempts
        let h = 3_600_000;
        // (outcome, attempt number, state after, back on the list after)
        let table: &[(Outcome, i64, FState, Option<i64>)] = &[
            (Outcome::Reached, 1, FState::Reached, None),
            (Outcome::NoAnswer, 1, FState::Open, Some(24 * h)),
            (Outcome::Busy, 2, FState::Open, Some(24 * h)),
            (Outcome::NoAnswer, 3, FState::Unreachable, None),
            (Outcome::Busy, 3, FState::Unreachable, None),
            (Outcome::WrongNumber, 1, FState::FixNumber, None),
            (Outcome::WrongNumber, 3, FState::FixNumber, None),
            (Outcome::Refused, 1, FState::Refused, None),
            (Outcome::Reached, 3, FState::Reached, None),
        ];
        for (outcome, n, state, back) in table {
            let next = rule(&s, *outcome, *n, 1000);
            assert_eq!(next.state, *state, "{outcome:?} at attempt {n}");
            assert_eq!(
                next.next_try_at,
                back.map(|b| 1000 + b),
                "{outcome:?} at attempt {n}"
            );
        }
    }
}
