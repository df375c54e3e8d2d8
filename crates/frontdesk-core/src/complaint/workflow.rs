//! 投诉处理工作流程 (manual 1.3.5): where a case is, which steps may follow, and who may take
//! each. A pure rule, tested against a table of every state × action × role:
//!
//! ```text
//! 收到客户投诉 → 记录投诉内容 → 投诉是否成立 ─否→ 消除误会，取得谅解 → 结束
//!                               │ 当场协调解决 → 通知客户(当场) → 收集反馈 → 总结
//!                               是
//! 确定投诉处理部门 → 分析投诉原因 → 提出处理方案 → 提交主管领导批示 ─退回→ (重新提出方案)
//!   → 实施处理方案 → 处罚直接责任者(如有) → 通知客户 → 收集客户反馈信息 → 总结 → 结束
//! ```
//!
//! A suggestion (建议) or a praise (表扬) is passed on and closed. An anonymous complaint has
//! nobody to notify: it closes once the remedy is carried out. Handing a case on (首诉负责制:
//! the taker owns it until then) and changing its deadline tier keep its state.

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;
use crate::staff::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// 投诉
    Complaint,
    /// 建议
    Suggestion,
    /// 表扬
    Praise,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Complaint, Kind::Suggestion, Kind::Praise];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Complaint => "complaint",
            Kind::Suggestion => "suggestion",
            Kind::Praise => "praise",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Kind::Complaint, Lang::Zh) => "投诉",
            (Kind::Suggestion, Lang::Zh) => "建议",
            (Kind::Praise, Lang::Zh) => "表扬",
            (Kind::Complaint, Lang::En) => "Complaint",
            (Kind::Suggestion, Lang::En) => "Suggestion",
            (Kind::Praise, Lang::En) => "Praise",
        }
    }
}

crate::sql_text_enum!(Kind);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// 已登记: recorded, validity not yet checked.
    Received,
    /// 投诉成立: to be given to a handling department.
    Accepted,
    /// 已确定处理部门
    Assigned,
    /// 已分析原因 (also where a remedy sent back returns)
    Analysed,
    /// 处理方案待主管批示
    Proposed,
    /// 主管已批示同意
    Approved,
    /// 处理方案已实施
    CarriedOut,
    /// 已通知客户
    Notified,
    /// 已收集客户反馈
    Answered,
    /// 已结案
    Closed,
}

impl State {
    pub const ALL: [State; 10] = [
        State::Received,
        State::Accepted,
        State::Assigned,
        State::Analysed,
        State::Proposed,
        State::Approved,
        State::CarriedOut,
        State::Notified,
        State::Answered,
        State::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            State::Received => "received",
            State::Accepted => "accepted",
            State::Assigned => "assigned",
            State::Analysed => "analysed",
            State::Proposed => "proposed",
            State::Approved => "approved",
            State::CarriedOut => "carried_out",
            State::Notified => "notified",
            State::Answered => "answered",
            State::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<State> {
        State::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Acknowledged (受理): the validity check is behind it. Until then the case is measured
    /// against the acknowledgement deadline.
    pub fn acknowledged(self) -> bool {
        self != State::Received
    }

    /// The complainant has been given the outcome: no deadline runs any more.
    pub fn deadline_met(self) -> bool {
        matches!(self, State::Notified | State::Answered | State::Closed)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        let zh = lang == Lang::Zh;
        match self {
            State::Received => pick(zh, "待受理", "Received"),
            State::Accepted => pick(zh, "投诉成立", "Upheld"),
            State::Assigned => pick(zh, "已分派部门", "Assigned"),
            State::Analysed => pick(zh, "已分析原因", "Cause analysed"),
            State::Proposed => pick(zh, "方案待批示", "Remedy awaiting approval"),
            State::Approved => pick(zh, "方案已批准", "Remedy approved"),
            State::CarriedOut => pick(zh, "方案已实施", "Remedy carried out"),
            State::Notified => pick(zh, "已通知客户", "Complainant notified"),
            State::Answered => pick(zh, "已收集反馈", "Feedback collected"),
            State::Closed => pick(zh, "已结案", "Closed"),
        }
    }
}

crate::sql_text_enum!(State);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// 投诉成立，受理
    Accept,
    /// 投诉不成立：消除误会，取得谅解，结案
    Reject,
    /// 当场协调解决 (what was done)
    OnSpot,
    /// 确定投诉处理部门
    Assign,
    /// 分析投诉原因
    Cause,
    /// 提出处理方案
    Propose,
    /// 主管领导批示：同意
    Approve,
    /// 主管领导批示：退回 (with the reason)
    Return,
    /// 实施处理方案
    CarryOut,
    /// 处罚直接责任者 (who, what measure, decided by whom)
    Accountability,
    /// 通知客户
    Notify,
    /// 收集客户反馈信息 (满意/不满意, their words)
    Feedback,
    /// 总结，结案
    Close,
    /// 移交: another account owns the case from now on
    HandOver,
    /// 调整时限档
    Retier,
}

impl Action {
    pub const ALL: [Action; 15] = [
        Action::Accept,
        Action::Reject,
        Action::OnSpot,
        Action::Assign,
        Action::Cause,
        Action::Propose,
        Action::Approve,
        Action::Return,
        Action::CarryOut,
        Action::Accountability,
        Action::Notify,
        Action::Feedback,
        Action::Close,
        Action::HandOver,
        Action::Retier,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Accept => "accept",
            Action::Reject => "reject",
            Action::OnSpot => "on_spot",
            Action::Assign => "assign",
            Action::Cause => "cause",
            Action::Propose => "propose",
            Action::Approve => "approve",
            Action::Return => "return",
            Action::CarryOut => "carry_out",
            Action::Accountability => "accountability",
            Action::Notify => "notify",
            Action::Feedback => "feedback",
            Action::Close => "close",
            Action::HandOver => "hand_over",
            Action::Retier => "retier",
        }
    }

    pub fn parse(s: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        let zh = lang == Lang::Zh;
        match self {
            Action::Accept => pick(zh, "受理（投诉成立）", "Accept (upheld)"),
            Action::Reject => pick(zh, "不成立（消除误会）", "Not upheld (explained)"),
            Action::OnSpot => pick(zh, "当场解决", "Resolved on the spot"),
            Action::Assign => pick(zh, "确定处理部门", "Assign departments"),
            Action::Cause => pick(zh, "分析原因", "Analyse the cause"),
            Action::Propose => pick(zh, "提出处理方案", "Propose a remedy"),
            Action::Approve => pick(zh, "批示同意", "Approve"),
            Action::Return => pick(zh, "退回方案", "Send back"),
            Action::CarryOut => pick(zh, "实施方案", "Carry out"),
            Action::Accountability => pick(zh, "处罚责任者", "Accountability"),
            Action::Notify => pick(zh, "通知客户", "Notify the complainant"),
            Action::Feedback => pick(zh, "收集反馈", "Record feedback"),
            Action::Close => pick(zh, "总结结案", "Close with a summary"),
            Action::HandOver => pick(zh, "移交", "Hand over"),
            Action::Retier => pick(zh, "调整时限", "Change the deadline tier"),
        }
    }

    /// Roles that may take this step at all (the state decides whether it is the time).
    pub fn roles(self) -> &'static [Role] {
        use Role::*;
        match self {
            // The guide desk checks validity and settles what it can on the spot; it takes
            // the feedback of what it settled and closes it.
            Action::Accept
            | Action::Reject
            | Action::OnSpot
            | Action::Feedback
            | Action::Close
            | Action::HandOver => &[Guide, Service, Supervisor, Head],
            Action::Assign
            | Action::Cause
            | Action::Propose
            | Action::CarryOut
            | Action::Notify
            | Action::Retier => &[Service, Supervisor, Head],
            // 提交主管领导批示, and the person responsible's measure: supervisors and the head.
            Action::Approve | Action::Return | Action::Accountability => &[Supervisor, Head],
        }
    }

    pub fn allowed_for(self, role: Role) -> bool {
        self.roles().contains(&role)
    }

    /// Whether the step needs a note (the reason, what was done, the summary…).
    pub fn needs_note(self) -> bool {
        !matches!(
            self,
            Action::Accept
                | Action::Approve
                | Action::HandOver
                | Action::Retier
                | Action::Assign
                | Action::Accountability
        )
    }
}

crate::sql_text_enum!(Action);

/// Who may record a complaint, a suggestion or a praise (登记).
pub fn may_record(role: Role) -> bool {
    matches!(
        role,
        Role::Guide | Role::Service | Role::Supervisor | Role::Head
    )
}

/// Where `action` leads from `state` for a case of `kind`, or `None` when it is not a step of
/// that state. `anonymous`: nobody to notify or ask for feedback.
pub fn next(kind: Kind, anonymous: bool, state: State, action: Action) -> Option<State> {
    use Action as A;
    use State as S;
    if state == S::Closed {
        return None;
    }
    if action == A::HandOver {
        return Some(state);
    }
    if kind != Kind::Complaint {
        // Passed on to whom it concerns and closed with what was done.
        return match (state, action) {
            (S::Received, A::Close) => Some(S::Closed),
            _ => None,
        };
    }
    match (state, action) {
        (_, A::Retier) if !state.deadline_met() => Some(state),
        (S::Received, A::Accept) => Some(S::Accepted),
        (S::Received, A::Reject) => Some(S::Closed),
        // Settled with the complainant there: they know the outcome already.
        (S::Received, A::OnSpot) => Some(S::Notified),
        (S::Accepted, A::Assign) => Some(S::Assigned),
        (S::Assigned, A::Cause) => Some(S::Analysed),
        (S::Analysed, A::Propose) => Some(S::Proposed),
        (S::Proposed, A::Approve) => Some(S::Approved),
        (S::Proposed, A::Return) => Some(S::Analysed),
        (S::Approved, A::CarryOut) => Some(S::CarriedOut),
        (S::CarriedOut | S::Notified | S::Answered, A::Accountability) => Some(state),
        (S::CarriedOut, A::Notify) if !anonymous => Some(S::Notified),
        (S::CarriedOut, A::Close) if anonymous => Some(S::Closed),
        (S::Notified, A::Feedback) => Some(S::Answered),
        // Notified, and no feedback to be had (the note says why).
        (S::Notified | S::Answered, A::Close) => Some(S::Closed),
        _ => None,
    }
}

/// The steps `role` may take now, in the order the case page shows them.
pub fn allowed(kind: Kind, anonymous: bool, state: State, role: Role) -> Vec<Action> {
    Action::ALL
        .into_iter()
        .filter(|a| a.allowed_for(role) && next(kind, anonymous, state, *a).is_some())
        .collect()
}

/// The step the case page offers first: the case's next step on its way, never one beside it
/// (移交 gives the case away, 调整时限档 moves its deadlines, 处罚 names a person) — with none,
/// nothing is offered and the person chooses.
pub fn suggested(allowed: &[Action]) -> Option<Action> {
    allowed.iter().copied().find(|a| {
        !matches!(
            a,
            Action::HandOver | Action::Retier | Action::Accountability
        )
    })
}

/// Why a step is refused: the names of the steps that are possible now, for the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Not a step of this state (for anybody).
    OutOfOrder { state: State, allowed: Vec<Action> },
    /// A step of this state, but not for this role.
    NotForRole {
        roles: Vec<Role>,
        allowed: Vec<Action>,
    },
}

/// 投诉处理's own refusals (carried by the core's `Error` as an `AreaError`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ComplaintError {
    /// A step of a complaint's handling refused: not its turn, or not this role's step. The
    /// message names the steps that are possible now.
    #[error("step {action:?} refused: {refusal:?}")]
    StepRefused { action: Action, refusal: Refusal },
    /// 主管批示: the person who proposed the remedy may not approve it too.
    #[error("own remedy")]
    OwnRemedy,
}

impl crate::error::AreaError for ComplaintError {
    fn code(&self) -> &'static str {
        match self {
            ComplaintError::StepRefused { .. } => "step_refused",
            ComplaintError::OwnRemedy => "own_remedy",
        }
    }

    fn message(&self, lang: crate::i18n::Lang) -> String {
        let zh = lang == crate::i18n::Lang::Zh;
        match self {
            ComplaintError::OwnRemedy => crate::error::pick(
                zh,
                "处理方案须由提出人以外的主管或主任批示",
                "A remedy is approved by someone other than who proposed it",
            ),
            ComplaintError::StepRefused { action, refusal } => {
                let a = action.label(lang);
                let names = |allowed: &[Action]| {
                    allowed
                        .iter()
                        .map(|x| x.label(lang))
                        .collect::<Vec<_>>()
                        .join(if zh { "、" } else { ", " })
                };
                let now = |allowed: &[Action]| match (allowed.is_empty(), zh) {
                    (true, true) => "您现在没有可进行的步骤".to_string(),
                    (true, false) => "there is no step for you now".to_string(),
                    (false, true) => format!("现在可以：{}", names(allowed)),
                    (false, false) => format!("possible now: {}", names(allowed)),
                };
                let roles = |roles: &[Role], or: &str| {
                    roles
                        .iter()
                        .map(|r| r.label(lang))
                        .collect::<Vec<_>>()
                        .join(or)
                };
                match (refusal, zh) {
                    (Refusal::OutOfOrder { state, allowed }, true) => {
                        format!(
                            "案件“{}”，现在不能“{a}”；{}",
                            state.label(lang),
                            now(allowed)
                        )
                    }
                    (Refusal::OutOfOrder { state, allowed }, false) => format!(
                        "The case is “{}”: “{a}” is not possible now; {}",
                        state.label(lang),
                        now(allowed)
                    ),
                    (Refusal::NotForRole { roles: r, allowed }, true) => {
                        format!("“{a}”须由{}进行；{}", roles(r, "或"), now(allowed))
                    }
                    (Refusal::NotForRole { roles: r, allowed }, false) => {
                        format!("“{a}” is for {} only; {}", roles(r, " or "), now(allowed))
                    }
                }
            }
        }
    }
}

impl From<ComplaintError> for crate::error::Error {
    fn from(e: ComplaintError) -> Self {
        crate::error::Error::area(e)
    }
}

/// The rule in one place: where the step leads, or why it may not be taken.
pub fn check(
    kind: Kind,
    anonymous: bool,
    state: State,
    action: Action,
    role: Role,
) -> Result<State, Refusal> {
    let allowed = allowed(kind, anonymous, state, role);
    match next(kind, anonymous, state, action) {
        None => Err(Refusal::OutOfOrder { state, allowed }),
        Some(_) if !action.allowed_for(role) => Err(Refusal::NotForRole {
            roles: action.roles().to_vec(),
            allowed,
        }),
        Some(to) => Ok(to),
    }
}

fn pick(zh: bool, a: &'static str, b: &'static str) -> &'static str {
    if zh {
        a
    } else {
        b
    }
}
