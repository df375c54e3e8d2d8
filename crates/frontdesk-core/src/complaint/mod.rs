//! 投诉处理 (manual 1.3.5, 3.2.1.9, 3.2.4): complaints, suggestions (建议) and praise (表扬)
//! recorded at the guide desk, by phone, letter, online, or from a follow-up call or a survey,
//! and handled through the manual's workflow ([`workflow`]) on deadlines counted in working
//! days ([`crate::calendar`]).
//!
//! Rules owned here:
//! - 投诉登记: one form for the three kinds; the complainant is a patient of the index, a name
//!   typed in, or anonymous. The person who took it owns it until it is handed on (首诉负责制).
//! - 时限: acknowledge within the tier's working days (1), give the outcome within its
//!   feedback days (5; 10 when several departments handle it). The deadlines are derived from
//!   the date received, the tier and the calendar, and recomputed for every open case when the
//!   tier or the calendar changes ([`recompute_open`]).
//! - Each step is one row of `complaint_step` (who, when, note, its fields), append-only; a
//!   closed case is never rewritten (the database refuses).
//! - 处罚直接责任者 is seen only by supervisors and the department head.

mod desk;
pub mod figures;
pub mod register;
mod store;
pub mod workflow;
pub use store::{
    choices, counts, get_case, list, list_tiers, recompute_open, record, seed, steps, take_step,
    view, PENDING_SQL,
};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

pub use workflow::{Action, ComplaintError, Kind, Refusal, State};

use crate::audit::{snapshot, Table};
use crate::calendar::{self, Calendar};
use crate::clock;
use crate::error::{Error, Problem, Result};
use crate::i18n::Lang;
use crate::ids::{
    CategoryId, ComplaintId, ConcernId, DepartmentId, FollowupId, PatientId, PersonId, StaffId,
    TierId,
};
use crate::patient;
use crate::staff::Role;
use crate::store::{Conn, Counter, Row, ToSql, Tx};
use crate::validate;

/// 投诉渠道
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    /// 现场 (the guide desk, a window)
    Desk,
    /// 电话
    Phone,
    /// 信函
    Letter,
    /// 网络
    Online,
    /// 回访 (raised on a follow-up call)
    Followup,
    /// 问卷 (written on a survey form)
    Survey,
}

impl Channel {
    pub const ALL: [Channel; 6] = [
        Channel::Desk,
        Channel::Phone,
        Channel::Letter,
        Channel::Online,
        Channel::Followup,
        Channel::Survey,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Desk => "desk",
            Channel::Phone => "phone",
            Channel::Letter => "letter",
            Channel::Online => "online",
            Channel::Followup => "followup",
            Channel::Survey => "survey",
        }
    }

    pub fn parse(s: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        let zh = lang == Lang::Zh;
        match self {
            Channel::Desk => {
                if zh {
                    "现场"
                } else {
                    "In person"
                }
            }
            Channel::Phone => {
                if zh {
                    "电话"
                } else {
                    "Phone"
                }
            }
            Channel::Letter => {
                if zh {
                    "信函"
                } else {
                    "Letter"
                }
            }
            Channel::Online => {
                if zh {
                    "网络"
                } else {
                    "Online"
                }
            }
            Channel::Followup => {
                if zh {
                    "回访"
                } else {
                    "Follow-up call"
                }
            }
            Channel::Survey => {
                if zh {
                    "问卷"
                } else {
                    "Survey"
                }
            }
        }
    }
}

crate::sql_text_enum!(Channel);

/// 严重程度: 一般, 较重, 严重. A severe complaint is on the department head's list at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Normal,
    Serious,
    Severe,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Normal, Severity::Serious, Severity::Severe];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Normal => "normal",
            Severity::Serious => "serious",
            Severity::Severe => "severe",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Severity::Normal, Lang::Zh) => "一般",
            (Severity::Serious, Lang::Zh) => "较重",
            (Severity::Severe, Lang::Zh) => "严重",
            (Severity::Normal, Lang::En) => "Normal",
            (Severity::Serious, Lang::En) => "Serious",
            (Severity::Severe, Lang::En) => "Severe",
        }
    }
}

crate::sql_text_enum!(Severity);

/// What the intake form sends.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct IntakeInput {
    #[serde(default)]
    pub kind: String,
    /// `YYYY-MM-DD HH:MM` in the hospital's zone; empty for now.
    #[serde(default)]
    pub received_at: String,
    #[serde(default)]
    pub channel: String,
    #[serde(default)]
    pub patient_id: Option<PatientId>,
    #[serde(default)]
    pub complainant: String,
    #[serde(default)]
    pub anonymous: bool,
    #[serde(default)]
    pub contact: String,
    #[serde(default)]
    pub category_id: Option<CategoryId>,
    #[serde(default)]
    pub department_id: Option<DepartmentId>,
    #[serde(default)]
    pub person_id: Option<PersonId>,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub request: String,
    #[serde(default)]
    pub severity: String,
    /// Raised from a concern on a follow-up call (客户异议 → 投诉): the two are linked.
    #[serde(default)]
    pub from_concern: Option<ConcernId>,
}

/// One case as lists and the case page show it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Case {
    pub id: ComplaintId,
    pub number: String,
    pub kind: Kind,
    pub received_at: i64,
    pub received_date: String,
    pub channel: Channel,
    pub patient_id: Option<PatientId>,
    pub card_no: Option<String>,
    /// The name as recorded (the patient's, or typed); `None` when anonymous.
    pub complainant: Option<String>,
    pub anonymous: bool,
    pub contact: Option<String>,
    pub category_id: Option<CategoryId>,
    pub category: Option<String>,
    pub department_id: Option<DepartmentId>,
    pub department: Option<String>,
    pub person_id: Option<PersonId>,
    pub person: Option<String>,
    pub description: String,
    pub request: String,
    pub severity: Severity,
    pub tier_id: TierId,
    pub tier: String,
    pub state: State,
    pub taken_by: String,
    pub owner_id: StaffId,
    pub owner: String,
    pub ack_due: String,
    pub feedback_due: String,
    /// The deadline the case is measured against now.
    pub due: String,
    /// Whether a deadline still runs (the complainant has not been given the outcome).
    pub pending: bool,
    pub overdue: bool,
    pub due_today: bool,
    pub acknowledged_at: Option<i64>,
    pub notified_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub upheld: Option<bool>,
    pub satisfied: Option<bool>,
}

/// A deadline tier: working days to acknowledge and to give the outcome.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Tier {
    pub id: TierId,
    pub code: String,
    pub name: String,
    pub ack_days: i64,
    pub feedback_days: i64,
}

/// The two deadlines of a case received on `received` under `tier`.
pub fn deadlines(calendar: &Calendar, received: NaiveDate, tier: &Tier) -> (NaiveDate, NaiveDate) {
    (
        calendar::add_working_days(calendar, received, tier.ack_days),
        calendar::add_working_days(calendar, received, tier.feedback_days),
    )
}

/// The deadline that matters in `state`: acknowledgement until the validity check.
fn due_in(state: State, ack_due: &str, feedback_due: &str) -> String {
    if state.acknowledged() {
        feedback_due.to_string()
    } else {
        ack_due.to_string()
    }
}

/// Recomputes the deadlines of every open case (the calendar or a tier changed); returns how
/// many moved. Each moved case has its audit entry.
/// Whether a change of this kind of reference data moves the deadlines of open cases (the
/// working calendar, a tier's days): the desk then takes [`recompute_open`] in the same
/// transaction.
pub fn deadlines_follow(kind: crate::reference::Kind) -> bool {
    matches!(
        kind,
        crate::reference::Kind::CalendarDay | crate::reference::Kind::ComplaintTier
    )
}

/// What the case page sends for one step.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct StepInput {
    pub complaint_id: ComplaintId,
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub note: String,
    /// 确定处理部门
    #[serde(default)]
    pub departments: Vec<DepartmentId>,
    /// 客户反馈: 满意 (true) or 不满意 (false)
    #[serde(default)]
    pub satisfied: Option<bool>,
    /// 处罚直接责任者: who, what measure, decided by whom
    #[serde(default)]
    pub person_id: Option<PersonId>,
    #[serde(default)]
    pub measure: String,
    #[serde(default)]
    pub decided_by: String,
    /// 移交: the new owner
    #[serde(default)]
    pub owner_id: Option<StaffId>,
    /// 调整时限档
    #[serde(default)]
    pub tier_id: Option<TierId>,
}

/// One step of a case's history.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Step {
    pub id: i64,
    pub action: String,
    pub from_state: State,
    pub to_state: State,
    pub by: String,
    pub at: i64,
    pub note: String,
    pub detail: Value,
    /// 处罚直接责任者, for someone who may not see it: only that it was recorded.
    pub withheld: bool,
}

/// A box of the row of steps at the top of the case page.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PathStep {
    pub action: String,
    /// `done`, `current`, `ahead`, or `skipped` (a closed case went without it).
    pub stage: &'static str,
}

/// The case page: the case, its steps as a row, the history, and what may be done now.
#[derive(Debug, Clone, Serialize)]
pub struct CaseView {
    pub case: Case,
    pub path: Vec<PathStep>,
    pub history: Vec<Step>,
    pub departments: Vec<String>,
    /// The steps this person may take now.
    pub allowed: Vec<Action>,
    /// The one offered first ([`workflow::suggested`]): never a step that gives the case away.
    pub suggested: Option<Action>,
    /// The follow-up call whose concern this complaint was raised from.
    pub from_followup: Option<FollowupId>,
}

/// The way through the workflow this case takes, as far as is known.
fn path_of(case: &Case, history: &[Step]) -> Vec<PathStep> {
    let took = |a: Action| history.iter().any(|s| s.action == a.as_str());
    let route: Vec<&str> = if case.kind != Kind::Complaint {
        vec!["record", "close"]
    } else if took(Action::Reject) {
        vec!["record", "reject"]
    } else if took(Action::OnSpot) {
        vec!["record", "on_spot", "feedback", "close"]
    } else if case.anonymous {
        vec![
            "record",
            "accept",
            "assign",
            "cause",
            "propose",
            "approve",
            "carry_out",
            "close",
        ]
    } else {
        vec![
            "record",
            "accept",
            "assign",
            "cause",
            "propose",
            "approve",
            "carry_out",
            "notify",
            "feedback",
            "close",
        ]
    };
    // Done: the steps taken since the last send-back (a returned remedy is proposed again).
    let last_return = history
        .iter()
        .rposition(|s| s.action == Action::Return.as_str());
    let done = |a: &str| {
        history.iter().enumerate().any(|(i, s)| {
            s.action == a
                && match last_return {
                    Some(r) if a == "propose" || a == "approve" => i > r,
                    _ => true,
                }
        })
    };
    let mut current_given = case.state == State::Closed;
    route
        .into_iter()
        .map(|a| {
            let stage = if done(a) {
                "done"
            } else if case.state == State::Closed {
                // Closed without it (no feedback to be had).
                "skipped"
            } else if !current_given {
                current_given = true;
                "current"
            } else {
                "ahead"
            };
            PathStep {
                action: a.to_string(),
                stage,
            }
        })
        .collect()
}

/// 处罚直接责任者 is for supervisors and the department head only.
pub fn sees_accountability(role: Role) -> bool {
    matches!(role, Role::Supervisor | Role::Head)
}

// ---- the list ---------------------------------------------------------------------------------

/// Which cases the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// Every open case, by deadline.
    Open,
    Overdue,
    DueToday,
    /// Open cases I own.
    Mine,
    /// The department head's list: severe and overdue open cases.
    Head,
    /// Cases in one state, by deadline.
    InState(State),
    /// Closed cases, newest first.
    Closed,
}

impl View {
    pub fn parse(s: &str) -> Option<View> {
        Some(match s {
            "" | "open" => View::Open,
            "overdue" => View::Overdue,
            "due_today" => View::DueToday,
            "mine" => View::Mine,
            "head" => View::Head,
            "closed" => View::Closed,
            other => View::InState(State::parse(other)?),
        })
    }
}

/// Whether a case is measured against a deadline now: a complaint whose complainant has not
/// been given the outcome. A suggestion or a praise is passed on and closed, on no deadline.
pub fn runs_deadline(kind: Kind, state: State) -> bool {
    kind == Kind::Complaint && !state.deadline_met()
}

/// The counters of the status bar, for those who handle complaints.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, Default)]
pub struct Counts {
    pub open: i64,
    pub overdue: i64,
    pub due_today: i64,
    /// Open and severe.
    pub severe: i64,
    /// On the head's list: severe or overdue.
    pub head: i64,
}

/// Everything the intake form and the case page choose from.
#[derive(Debug, Clone, Serialize)]
pub struct Choices {
    pub kinds: Vec<(Kind, &'static str)>,
    pub channels: Vec<(Channel, &'static str)>,
    pub severities: Vec<(Severity, &'static str)>,
    pub categories: Vec<crate::reference::Category>,
    pub departments: Vec<crate::reference::Department>,
    pub people: Vec<crate::people::Person>,
    pub tiers: Vec<Tier>,
    /// The accounts a case may be handed on to.
    pub owners: Vec<(StaffId, String)>,
    pub actions: Vec<(Action, &'static str)>,
    pub states: Vec<(State, &'static str)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`PENDING_SQL`] says what [`runs_deadline`] says, for every kind and state.
    #[test]
    fn the_pending_rule_is_the_same_in_sql() {
        let conn = Conn::memory().unwrap();
        for kind in Kind::ALL {
            for state in State::ALL {
                let sql: bool = conn
                    .value(
                        &format!(
                            "SELECT CASE WHEN {PENDING_SQL} THEN 1 ELSE 0 END
                             FROM (SELECT ?1 AS kind, ?2 AS state) c"
                        ),
                        &[&kind, &state],
                    )
                    .unwrap();
                assert_eq!(sql, runs_deadline(kind, state), "{kind:?} {state:?}");
            }
        }
    }
}
