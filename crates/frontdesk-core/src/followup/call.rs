//! What a reached call brings, and the call screen's view of one follow-up.
//!
//! Rules owned here:
//! - A reached call records satisfaction per aspect (挂号, 导医, doctor, nursing, environment,
//!   overall — 满意/一般/不满意; overall always, the others when asked), the patient's words,
//!   maybe a concern referred to a department (客户异议 → 提交有关部门), maybe a next call the
//!   patient agreed to (下次回访计划).
//! - A 不满意 on any aspect, or a referred concern, puts a second follow-up (二次回访) on the
//!   list `second_days` later; a next call agreed puts a planned one (planned) on its date.
//! - A concern's department answers once; a concern raised as a complaint names it, and the
//!   complaint's page names the call.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{get, Followup, Settings};
use crate::audit::{snapshot, Table};
use crate::error::{Error, Problem, Result};
use crate::ids::{ComplaintId, ConcernId, DepartmentId, FollowupId, PatientId, StaffId};
use crate::store::{Conn, Tx};
use crate::validate;

/// 满意 / 一般 / 不满意
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    Satisfied,
    Neutral,
    Dissatisfied,
}

impl Rating {
    pub const ALL: [Rating; 3] = [Rating::Satisfied, Rating::Neutral, Rating::Dissatisfied];

    pub fn as_str(self) -> &'static str {
        match self {
            Rating::Satisfied => "satisfied",
            Rating::Neutral => "neutral",
            Rating::Dissatisfied => "dissatisfied",
        }
    }

    pub fn parse(s: &str) -> Option<Rating> {
        Rating::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Rating::Satisfied => "满意",
            Rating::Neutral => "一般",
            Rating::Dissatisfied => "不满意",
        }
    }
}

crate::sql_text_enum!(Rating);

/// The aspects asked about, in the order the screen and the register show them.
pub const ASPECTS: [(&str, &str); 6] = [
    ("registration", "挂号"),
    ("guide", "导医"),
    ("doctor", "医生"),
    ("nursing", "护理"),
    ("environment", "环境"),
    ("overall", "总体"),
];

/// What the call screen sends with a reached call. An aspect left empty was not asked.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct AnswerInput {
    #[serde(default)]
    pub registration: String,
    #[serde(default)]
    pub guide: String,
    #[serde(default)]
    pub doctor: String,
    #[serde(default)]
    pub nursing: String,
    #[serde(default)]
    pub environment: String,
    #[serde(default)]
    pub overall: String,
    #[serde(default)]
    pub words: String,
    /// 客户异议: what the patient is unhappy about, and the department it goes to.
    #[serde(default)]
    pub concern: String,
    #[serde(default)]
    pub concern_department_id: Option<DepartmentId>,
    /// 下次回访计划: `YYYY-MM-DD`, and why.
    #[serde(default)]
    pub next_on: String,
    #[serde(default)]
    pub next_note: String,
}

impl AnswerInput {
    /// `(field, rating as typed)` in [`ASPECTS`] order.
    fn ratings(&self) -> [(&'static str, &str); 6] {
        [
            ("rating_registration", &self.registration),
            ("rating_guide", &self.guide),
            ("rating_doctor", &self.doctor),
            ("rating_nursing", &self.nursing),
            ("rating_environment", &self.environment),
            ("rating_overall", &self.overall),
        ]
    }
}

/// A reached call's answers as kept.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Answer {
    /// `(aspect, rating)` for each aspect asked, in [`ASPECTS`] order.
    pub ratings: Vec<(String, Rating)>,
    pub words: String,
    pub next_on: Option<String>,
    pub next_note: String,
    pub by: String,
    pub at: i64,
}

impl Answer {
    pub fn rating(&self, aspect: &str) -> Option<Rating> {
        self.ratings
            .iter()
            .find(|(a, _)| a == aspect)
            .map(|(_, r)| *r)
    }

    pub fn dissatisfied(&self) -> bool {
        self.ratings.iter().any(|(_, r)| *r == Rating::Dissatisfied)
    }
}

/// 客户异议 as the call screen and the concerns list show it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Concern {
    pub id: ConcernId,
    pub followup_id: FollowupId,
    pub patient: String,
    pub department_id: Option<DepartmentId>,
    pub department: Option<String>,
    pub what: String,
    pub raised_by: String,
    pub raised_at: i64,
    pub answer: Option<String>,
    pub answered_by: Option<String>,
    pub answered_at: Option<i64>,
    pub complaint_id: Option<ComplaintId>,
    pub complaint_number: Option<String>,
}

/// A reached call's answers, checked (nothing written yet).
pub(crate) struct Checked {
    ratings: [Option<Rating>; 6],
    words: String,
    concern: Option<(String, DepartmentId)>,
    next: Option<(String, String)>,
}

/// Every answer checked before any is refused: the call screen shows all the problems at once.
fn check(conn: &Conn, input: &AnswerInput, today: NaiveDate) -> Result<Checked> {
    let mut c = validate::Checks::new();
    let mut ratings = [None; 6];
    for (i, (field, text)) in input.ratings().into_iter().enumerate() {
        ratings[i] = match text.trim() {
            "" if field == "rating_overall" => {
                c.refuse(Error::invalid(field, Problem::Required));
                None
            }
            "" => None,
            t => c.take(Rating::parse(t).ok_or(Error::invalid(field, Problem::Unknown))),
        };
    }
    let words = c.take(validate::text("words", &input.words, 0, 1000));
    let concern_text = c.take(validate::text("concern", &input.concern, 0, 500));
    let concern = match (concern_text, input.concern_department_id) {
        (None, _) => None,
        (Some(t), None) if t.is_empty() => None,
        (Some(t), Some(_)) if t.is_empty() => {
            c.refuse(Error::invalid("concern", Problem::Required));
            None
        }
        (Some(_), None) => {
            c.refuse(Error::invalid("concern_department_id", Problem::Required));
            None
        }
        (Some(t), Some(d)) => {
            let found: Option<i64> =
                conn.value_opt("SELECT id FROM department WHERE id = ?1", &[&d])?;
            c.take(found.ok_or(Error::invalid("concern_department_id", Problem::Unknown)))
                .map(|_| (t, d))
        }
    };
    let note = c.take(validate::text("next_note", &input.next_note, 0, 200));
    let next = match (input.next_on.trim(), note) {
        (_, None) => None,
        ("", Some(note)) if note.is_empty() => None,
        ("", Some(_)) => {
            c.refuse(Error::invalid("next_on", Problem::Required));
            None
        }
        (d, Some(note)) => c
            .take(validate::date("next_on", d).and_then(|on| {
                if on <= today || on > today + chrono::Duration::days(366) {
                    Err(Error::invalid("next_on", Problem::AfterToday(366)))
                } else {
                    Ok(on)
                }
            }))
            .map(|on| (on.to_string(), note)),
    };
    c.done()?;
    let Some(words) = words else {
        unreachable!("every field refused is returned by Checks::done")
    };
    Ok(Checked {
        ratings,
        words,
        concern,
        next,
    })
}

/// Refuses answers sent with a call that did not reach the patient.
pub(crate) fn refuse_unreached(input: Option<&AnswerInput>) -> Result<()> {
    match input {
        Some(a) if a.ratings().iter().any(|(_, r)| !r.trim().is_empty()) => {
            Err(super::FollowupError::OnlyWhenReached.into())
        }
        Some(a) if !a.concern.trim().is_empty() || !a.next_on.trim().is_empty() => {
            Err(super::FollowupError::OnlyWhenReached.into())
        }
        _ => Ok(()),
    }
}

/// Checks a reached call's answers before anything of the call is written.
pub(crate) fn check_reached(
    conn: &Conn,
    input: Option<&AnswerInput>,
    today: NaiveDate,
) -> Result<Checked> {
    let input = input.ok_or(Error::invalid("rating_overall", Problem::Required))?;
    check(conn, input, today)
}

/// Keeps a reached call's answers (checked by [`check_reached`]), and puts on the list the
/// second and planned follow-ups they ask for.
pub(crate) fn record_answer(
    tx: &mut Tx,
    s: &Settings,
    (followup, attempt): (FollowupId, i64),
    by: StaffId,
    c: &Checked,
    today: NaiveDate,
) -> Result<()> {
    let now = tx.now;
    let (next_on, next_note) = match &c.next {
        Some((on, note)) => (Some(on.clone()), note.clone()),
        None => (None, String::new()),
    };
    let [r0, r1, r2, r3, r4, r5] = c.ratings;
    let id: i64 = tx.insert(
        "INSERT INTO followup_answer (followup_id, attempt_id, registration, guide, doctor,
             nursing, environment, overall, words, next_on, next_note, staff_id, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) RETURNING id",
        &[
            &followup, &attempt, &r0, &r1, &r2, &r3, &r4, &r5, &c.words, &next_on, &next_note, &by,
            &now,
        ],
    )?;
    tx.record("followup.answer", Table::FollowupAnswer, id, None)?;
    if let Some((what, department)) = &c.concern {
        let concern: ConcernId = tx.insert(
            "INSERT INTO followup_concern (followup_id, department_id, what, raised_by, raised_at)
             VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
            &[&followup, department, what, &by, &now],
        )?;
        tx.record("followup.concern", Table::FollowupConcern, concern, None)?;
    }
    let dissatisfied = c.ratings.contains(&Some(Rating::Dissatisfied));
    if dissatisfied || c.concern.is_some() {
        let due = (today + chrono::Duration::days(s.second_days)).to_string();
        child(tx, followup, "second", &due)?;
    }
    if let Some(on) = &next_on {
        child(tx, followup, "planned", on)?;
    }
    Ok(())
}

/// A second or planned follow-up of `parent`, for the same patient and department.
fn child(tx: &mut Tx, parent: FollowupId, kind: &str, due: &str) -> Result<FollowupId> {
    let (patient, department): (PatientId, Option<DepartmentId>) = tx
        .one(
            "SELECT patient_id, department_id FROM followup WHERE id = ?1",
            &[&parent],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?
        .ok_or(Error::NotFound("followup"))?;
    let now = tx.now;
    let id: FollowupId = tx.insert(
        "INSERT INTO followup (kind, patient_id, parent_id, department_id, due_date, state,
             attempts, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, 'open', 0, ?6) RETURNING id",
        &[&kind, &patient, &parent, &department, &due, &now],
    )?;
    tx.record("followup.due", Table::Followup, id, None)?;
    Ok(id)
}

pub fn answer(conn: &Conn, followup: FollowupId) -> Result<Option<Answer>> {
    conn.one(
        "SELECT a.registration, a.guide, a.doctor, a.nursing, a.environment, a.overall, a.words,
                a.next_on, a.next_note, s.display_name, a.at
         FROM followup_answer a JOIN staff s ON s.id = a.staff_id WHERE a.followup_id = ?1",
        &[&followup],
        |r| {
            let mut ratings = Vec::new();
            for (i, (aspect, _)) in ASPECTS.iter().enumerate() {
                let rating: Option<Rating> = r.get(i)?;
                if let Some(rating) = rating {
                    ratings.push((aspect.to_string(), rating));
                }
            }
            Ok(Answer {
                ratings,
                words: r.get(6)?,
                next_on: r.get(7)?,
                next_note: r.get(8)?,
                by: r.get(9)?,
                at: r.get(10)?,
            })
        },
    )
}

const CONCERN_COLUMNS: &str = "c.id, c.followup_id, p.name, c.department_id, d.name, c.what,
    rs.display_name, c.raised_at, c.answer, an.display_name, c.answered_at, c.complaint_id,
    k.number";
const CONCERN_FROM: &str = "followup_concern c
    JOIN followup f ON f.id = c.followup_id JOIN patient p ON p.id = f.patient_id
    LEFT JOIN department d ON d.id = c.department_id
    JOIN staff rs ON rs.id = c.raised_by LEFT JOIN staff an ON an.id = c.answered_by
    LEFT JOIN complaint k ON k.id = c.complaint_id";

fn concern_row(r: &crate::store::Row) -> Result<Concern> {
    Ok(Concern {
        id: r.get(0)?,
        followup_id: r.get(1)?,
        patient: r.get(2)?,
        department_id: r.get(3)?,
        department: r.get(4)?,
        what: r.get(5)?,
        raised_by: r.get(6)?,
        raised_at: r.get(7)?,
        answer: r.get(8)?,
        answered_by: r.get(9)?,
        answered_at: r.get(10)?,
        complaint_id: r.get(11)?,
        complaint_number: r.get(12)?,
    })
}

pub fn concerns_of(conn: &Conn, followup: FollowupId) -> Result<Vec<Concern>> {
    conn.all(
        &format!(
            "SELECT {CONCERN_COLUMNS} FROM {CONCERN_FROM} WHERE c.followup_id = ?1 ORDER BY c.id"
        ),
        &[&followup],
        concern_row,
    )
}

pub fn concern(conn: &Conn, id: ConcernId) -> Result<Concern> {
    conn.one(
        &format!("SELECT {CONCERN_COLUMNS} FROM {CONCERN_FROM} WHERE c.id = ?1"),
        &[&id],
        concern_row,
    )?
    .ok_or(Error::NotFound("concern"))
}

/// The concerns still waiting for their department's answer, oldest first.
pub fn concerns_waiting(conn: &Conn, limit: i64) -> Result<Vec<Concern>> {
    conn.all(
        &format!(
            "SELECT {CONCERN_COLUMNS} FROM {CONCERN_FROM} WHERE c.answered_at IS NULL
             ORDER BY c.raised_at, c.id LIMIT ?1"
        ),
        &[&limit.clamp(1, 1000)],
        concern_row,
    )
}

/// The department's answer to a concern, recorded once.
pub fn answer_concern(tx: &mut Tx, id: ConcernId, by: StaffId, text: &str) -> Result<()> {
    let text = validate::text("concern_answer", text, 1, 1000)?;
    let answered: Option<Option<i64>> = tx.one(
        "SELECT answered_at FROM followup_concern WHERE id = ?1",
        &[&id],
        |r| Ok(r.get(0)?),
    )?;
    match answered {
        None => return Err(Error::NotFound("concern")),
        Some(Some(_)) => return Err(Error::invalid("concern_answer", Problem::AlreadyRecorded)),
        Some(None) => {}
    }
    let before = snapshot(tx, Table::FollowupConcern, id)?;
    tx.execute(
        "UPDATE followup_concern SET answer = ?2, answered_by = ?3, answered_at = ?4
         WHERE id = ?1",
        &[&id, &text, &by, &tx.now],
    )?;
    tx.record(
        "followup.concern_answer",
        Table::FollowupConcern,
        id,
        before,
    )
}

/// Links a complaint raised from a concern (in the complaint's own transaction): a complaint
/// (not a suggestion or a praise), of the concern's patient when it names one, once.
pub(crate) fn link_complaint(
    tx: &mut Tx,
    id: ConcernId,
    complaint: ComplaintId,
    is_complaint: bool,
    patient: Option<PatientId>,
) -> Result<()> {
    let linked: Option<(Option<ComplaintId>, PatientId)> = tx.one(
        "SELECT c.complaint_id, f.patient_id FROM followup_concern c
         JOIN followup f ON f.id = c.followup_id WHERE c.id = ?1",
        &[&id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    match linked {
        None => return Err(Error::invalid("concern", Problem::Unknown)),
        Some((Some(_), _)) => return Err(Error::invalid("concern", Problem::AlreadyRecorded)),
        Some((None, of)) if !is_complaint || patient.is_some_and(|p| p != of) => {
            return Err(super::FollowupError::NotThisConcern.into());
        }
        Some((None, _)) => {}
    }
    let before = snapshot(tx, Table::FollowupConcern, id)?;
    tx.execute(
        "UPDATE followup_concern SET complaint_id = ?2 WHERE id = ?1",
        &[&id, &complaint],
    )?;
    tx.record(
        "followup.concern_complaint",
        Table::FollowupConcern,
        id,
        before,
    )
}

// ---- the call screen's view --------------------------------------------------------------------

/// One attempt as the call screen lists it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AttemptLine {
    pub n: i64,
    pub outcome: super::Outcome,
    pub phone: Option<String>,
    pub by: String,
    pub at: i64,
    pub note: String,
}

/// A visit of the patient (a registration), newest first.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Visit {
    pub date: String,
    pub department: String,
    pub doctor: String,
    pub visit_kind: String,
    pub status: String,
}

/// What the follow-up is about: its visit or its discharge, or the call it follows.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Default)]
pub struct Source {
    pub date: Option<String>,
    pub department: Option<String>,
    pub doctor: Option<String>,
    pub admitted_on: Option<String>,
    pub diagnosis: Option<String>,
}

/// An earlier (or later) call of the same patient.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct OtherCall {
    pub id: FollowupId,
    pub kind: String,
    pub due_date: String,
    pub state: super::FState,
    pub closed_at: Option<i64>,
    pub overall: Option<Rating>,
    pub words: Option<String>,
}

/// The spot-check of a follow-up, once the check is done.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SpotResult {
    pub spot_check_id: crate::ids::SpotCheckId,
    pub result: Option<String>,
    pub note: String,
    pub by: Option<String>,
    pub at: Option<i64>,
}

/// Everything the call screen shows of one follow-up.
#[derive(Debug, Clone, Serialize)]
pub struct CallView {
    pub followup: Followup,
    pub sex: String,
    pub age: Option<i64>,
    pub source: Source,
    pub parent: Option<Box<CallView>>,
    pub attempts: Vec<AttemptLine>,
    pub answer: Option<Answer>,
    pub concerns: Vec<Concern>,
    pub visits: Vec<Visit>,
    pub other_calls: Vec<OtherCall>,
    pub refused_calls: bool,
    pub spot_checks: Vec<SpotResult>,
    pub settings: Settings,
    /// This call is the last try: unanswered (无人接听, 占线), the follow-up closes as
    /// unreachable ([`super::rule`] says so of the next attempt's number).
    pub last_try: bool,
}

pub fn attempts(conn: &Conn, id: FollowupId) -> Result<Vec<AttemptLine>> {
    conn.all(
        "SELECT a.n, a.outcome, a.phone, s.display_name, a.at, a.note
         FROM followup_attempt a JOIN staff s ON s.id = a.staff_id
         WHERE a.followup_id = ?1 ORDER BY a.n",
        &[&id],
        |r| {
            Ok(AttemptLine {
                n: r.get(0)?,
                outcome: r.get(1)?,
                phone: r.get(2)?,
                by: r.get(3)?,
                at: r.get(4)?,
                note: r.get(5)?,
            })
        },
    )
}

fn source(conn: &Conn, id: FollowupId) -> Result<Source> {
    let s = conn.one(
        "SELECT COALESCE(r.date, x.discharged_on), d.name, COALESCE(doc.name, x.doctor),
                x.admitted_on, x.diagnosis
         FROM followup f
         LEFT JOIN registration r ON r.id = f.registration_id
         LEFT JOIN doctor doc ON doc.id = r.doctor_id
         LEFT JOIN discharge x ON x.id = f.discharge_id
         LEFT JOIN department d ON d.id = f.department_id
         WHERE f.id = ?1",
        &[&id],
        |r| {
            Ok(Source {
                date: r.get(0)?,
                department: r.get(1)?,
                doctor: r.get(2)?,
                admitted_on: r.get(3)?,
                diagnosis: r.get(4)?,
            })
        },
    )?;
    Ok(s.unwrap_or_default())
}

/// The call screen's view; `spot_checks` only those done, unless `sees_spot_checks`.
pub fn view(
    conn: &Conn,
    id: FollowupId,
    today: NaiveDate,
    sees_spot_checks: bool,
) -> Result<CallView> {
    view_at(conn, id, today, sees_spot_checks, true)
}

fn view_at(
    conn: &Conn,
    id: FollowupId,
    today: NaiveDate,
    sees_spot_checks: bool,
    with_parent: bool,
) -> Result<CallView> {
    let followup = get(conn, id, today)?;
    let patient = crate::patient::get_patient(conn, followup.patient_id, today)?;
    let parent_id: Option<Option<FollowupId>> =
        conn.value_opt("SELECT parent_id FROM followup WHERE id = ?1", &[&id])?;
    let parent = match (with_parent, parent_id.flatten()) {
        (true, Some(p)) => Some(Box::new(view_at(conn, p, today, sees_spot_checks, false)?)),
        _ => None,
    };
    let visits = conn.all(
        "SELECT r.date, d.name, doc.name, r.visit_kind, r.status FROM registration r
         JOIN department d ON d.id = r.department_id JOIN doctor doc ON doc.id = r.doctor_id
         WHERE r.patient_id = ?1 ORDER BY r.date DESC, r.id DESC LIMIT 10",
        &[&followup.patient_id],
        |r| {
            Ok(Visit {
                date: r.get(0)?,
                department: r.get(1)?,
                doctor: r.get(2)?,
                visit_kind: r.get(3)?,
                status: r.get(4)?,
            })
        },
    )?;
    let other_calls = conn.all(
        "SELECT f.id, f.kind, f.due_date, f.state, f.closed_at, a.overall, a.words
         FROM followup f LEFT JOIN followup_answer a ON a.followup_id = f.id
         WHERE f.patient_id = ?1 AND f.id <> ?2 ORDER BY f.due_date DESC, f.id DESC LIMIT 20",
        &[&followup.patient_id, &id],
        |r| {
            Ok(OtherCall {
                id: r.get(0)?,
                kind: r.get(1)?,
                due_date: r.get(2)?,
                state: r.get(3)?,
                closed_at: r.get(4)?,
                overall: r.get(5)?,
                words: r.get(6)?,
            })
        },
    )?;
    let refused: Option<i64> = conn.value_opt(
        "SELECT id FROM patient_no_call WHERE patient_id = ?1",
        &[&followup.patient_id],
    )?;
    let spot_checks = conn.all(
        "SELECT i.spot_check_id, i.result, i.note, s.display_name, i.checked_at
         FROM spot_check_item i JOIN spot_check c ON c.id = i.spot_check_id
         LEFT JOIN staff s ON s.id = i.checked_by
         WHERE i.followup_id = ?1 AND (c.done_at IS NOT NULL OR ?2 = 1) ORDER BY i.id",
        &[&id, &i64::from(sees_spot_checks)],
        |r| {
            Ok(SpotResult {
                spot_check_id: r.get(0)?,
                result: r.get(1)?,
                note: r.get(2)?,
                by: r.get(3)?,
                at: r.get(4)?,
            })
        },
    )?;
    let settings = super::settings(conn)?;
    Ok(CallView {
        sex: patient.sex,
        age: patient.age,
        source: source(conn, id)?,
        parent,
        attempts: attempts(conn, id)?,
        answer: answer(conn, id)?,
        concerns: concerns_of(conn, id)?,
        visits,
        other_calls,
        refused_calls: refused.is_some(),
        spot_checks,
        last_try: followup.state == super::FState::Open
            && super::rule(
                &settings,
                super::Outcome::NoAnswer,
                followup.attempts + 1,
                0,
            )
            .state
                == super::FState::Unreachable,
        settings,
        followup,
    })
}
