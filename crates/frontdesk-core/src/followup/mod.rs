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
mod store;
pub use store::{
    add_discharge, anything_to_add, attempt, counts, fix_number, generate, get, list,
    save_settings, seed, settings, COUNTS_UP_TO,
};
pub(crate) use store::{check_discharge, seed_existing};

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
    /// A call's answers (satisfaction, words, concern, next call) sent with a call that did
    /// not reach the patient.
    #[error("answers for a call that did not reach the patient")]
    OnlyWhenReached,
    /// A complaint raised from a concern: only a complaint, and of the concern's patient.
    #[error("not a complaint of the concern's patient")]
    NotThisConcern,
    /// 抽查: the period has no completed follow-up to draw.
    #[error("nothing to draw")]
    NothingToDraw,
    /// 抽查: a call the checker made is re-verified by someone else.
    #[error("the checker's own call")]
    OwnCall,
}

impl crate::error::AreaError for FollowupError {
    fn code(&self) -> &'static str {
        match self {
            FollowupError::NotOpen { .. } => "followup_not_open",
            // Refusals of a field's value: the page shows them beside the field.
            FollowupError::OnlyWhenReached
            | FollowupError::NotThisConcern
            | FollowupError::NothingToDraw
            | FollowupError::OwnCall => "invalid",
        }
    }

    fn field(&self) -> Option<&'static str> {
        match self {
            FollowupError::NotOpen { .. } => None,
            FollowupError::OnlyWhenReached => Some("answer"),
            FollowupError::NotThisConcern => Some("concern"),
            FollowupError::NothingToDraw => Some("spot_check"),
            FollowupError::OwnCall => Some("spot_result"),
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
            FollowupError::OnlyWhenReached if zh => "回访结果只在接通患者时填写".into(),
            FollowupError::OnlyWhenReached => {
                "Answers are recorded only when the patient was reached".into()
            }
            FollowupError::NotThisConcern if zh => {
                "异议只能登记为投诉，且投诉人须为提出异议的患者".into()
            }
            FollowupError::NotThisConcern => {
                "A concern can be raised only as a complaint, by the patient who raised it".into()
            }
            FollowupError::NothingToDraw if zh => "该期间没有已完成的回访可供抽查".into(),
            FollowupError::NothingToDraw => "The period has no completed calls to draw from".into(),
            FollowupError::OwnCall if zh => "这是您本人拨打的回访，请由其他主管或主任核实".into(),
            FollowupError::OwnCall => {
                "You made this call yourself: another supervisor or the head verifies it".into()
            }
        }
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
