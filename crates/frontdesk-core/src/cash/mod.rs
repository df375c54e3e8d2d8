//! 日结对账: closing a clerk's shift — expected per method from the ledger (cash includes the
//! float 备用金), counted per method (cash by denomination, the others from the terminals'
//! settlement slips), the difference per method explained and, above the hospital's threshold,
//! signed off by a supervisor; the receipt series reconciled (钱、账、物对应: first and last
//! number, issued, voided with reasons, reprints, gaps); the cash handed to finance (上交现金 =
//! counted cash − float). Once closed, the database refuses any change to the shift's entries
//! (migration 0003's triggers). The traps peers fell into are rules here:
//! - tendered cash and change never reach the ledger, so they cannot inflate expected cash;
//! - a refund is one negative entry in the refunding shift, counted once, wherever the original
//!   payment was;
//! - a shift with a registration not fully paid cannot close.
#![deny(clippy::float_arithmetic)]

pub mod desk;
mod store;
pub use store::{
    close, closed_shift, continue_stale, expected, history, receipt_series, shift_info,
    shifts_of_day, unpaid, view,
};

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::audit::Table;
use crate::clock;
use crate::error::{Error, Problem, Result};
use crate::holds_place_sql;
use crate::ids::RegistrationId;
use crate::ids::{ShiftId, StaffId};
use crate::money::Fen;
use crate::reference::{self, get_hospital};
use crate::registration::shift::{counted_cash, counts_json};
use crate::registration::DENOMINATIONS;
use crate::store::{Conn, Row, Tx};
use crate::validate;

/// A shift as the closing screen and the history show it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ShiftInfo {
    pub id: ShiftId,
    pub clerk_id: StaffId,
    pub clerk_name: String,
    pub desk: String,
    pub opened_at: i64,
    pub business_date: String,
    pub closed_at: Option<i64>,
    pub float_fen: Fen,
    /// Opened on an earlier business day and not continued today.
    pub stale: bool,
}

/// One method's line of the close.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct MethodLine {
    pub method: String,
    pub name: String,
    /// From the ledger: payments less refunds; for cash, plus the float.
    pub expected_fen: Fen,
    pub counted_fen: Option<Fen>,
    pub difference_fen: Option<Fen>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Voided {
    pub number: String,
    pub reason: String,
}

/// 钱、账、物: the shift's receipt numbers reconciled.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Default)]
pub struct ReceiptSeries {
    pub first: Option<String>,
    pub last: Option<String>,
    pub issued: i64,
    pub valid: i64,
    pub voided: Vec<Voided>,
    pub reprints: i64,
    /// Numbers between the first and the last that no receipt carries.
    pub gaps: Vec<String>,
}

/// What the clerk has counted.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct CloseInput {
    /// Pieces per denomination, in the order of `DENOMINATIONS`.
    #[serde(default)]
    pub cash_counts: Vec<i64>,
    /// Other methods' totals from the settlement slips, as typed in yuan, by method code.
    #[serde(default)]
    pub counted: BTreeMap<String, String>,
    #[serde(default)]
    pub explanation: String,
    #[serde(default)]
    pub approver_username: String,
    #[serde(default)]
    pub approver_password: String,
    /// 财务接收人: who receives the cash.
    #[serde(default)]
    pub received_by: String,
}

/// The close as it stands while the clerk counts (nothing written).
#[derive(Debug, Clone, Serialize)]
pub struct CloseView {
    pub shift: ShiftInfo,
    pub lines: Vec<MethodLine>,
    pub cash_counted_fen: Fen,
    pub handover_fen: Fen,
    pub receipts: ReceiptSeries,
    pub unpaid: Vec<RegistrationId>,
    /// Some difference is not zero, or the receipt series has gaps: an explanation is needed.
    pub needs_explanation: bool,
    /// Some difference is above the threshold: a supervisor signs off.
    pub needs_approval: bool,
    pub approval_threshold_fen: Fen,
}

/// The cash counted so far (nothing counted yet is ¥0).
fn cash_total(counts: &[i64]) -> Result<Fen> {
    if counts.is_empty() {
        return Ok(Fen::ZERO);
    }
    counted_cash("cash_counts", counts)
}

/// A close as kept: counts per method, explanation, handover.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ClosedShift {
    pub shift: ShiftInfo,
    pub lines: Vec<MethodLine>,
    pub explanation: String,
    pub approved_by: Option<String>,
    pub handover_fen: Fen,
    pub received_by: String,
    pub receipts: ReceiptSeries,
}

/// 日结's own refusals — a closed shift, a close not paid up or not counted, a difference to
/// sign off, an approver who may not — carried by the core's `Error` as an `AreaError`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CashError {
    #[error("approver is not a supervisor")]
    ApproverNotSupervisor,
    #[error("shift closed")]
    ShiftClosed,
    #[error("shift not left open from an earlier day")]
    ShiftNotStale,
    #[error("{count} registrations not fully paid")]
    UnpaidRegistrations { count: i64 },
    #[error("no count for {method}")]
    CountMissing { method: String },
    #[error("difference {amount:?} needs sign-off")]
    CloseApprovalNeeded { amount: crate::money::Fen },
}

impl crate::error::AreaError for CashError {
    fn code(&self) -> &'static str {
        match self {
            CashError::ApproverNotSupervisor => "approver_not_supervisor",
            CashError::ShiftClosed => "shift_closed",
            CashError::ShiftNotStale => "shift_not_stale",
            CashError::UnpaidRegistrations { .. } => "unpaid_registrations",
            CashError::CountMissing { .. } => "count_missing",
            CashError::CloseApprovalNeeded { .. } => "close_approval_needed",
        }
    }

    fn message(&self, lang: crate::i18n::Lang) -> String {
        let zh = lang == crate::i18n::Lang::Zh;
        match self {
            CashError::ApproverNotSupervisor => crate::error::pick(
                zh,
                "审批人必须是客服主管或经营部主任",
                "The approver must be a supervisor or the department head",
            ),
            CashError::ShiftClosed => crate::error::pick(
                zh,
                "该班次已结班，不能再改动；更正请在当前班次另记一笔",
                "That shift is closed and cannot change; record a correction in an open shift",
            ),
            CashError::ShiftNotStale => crate::error::pick(
                zh,
                "您的班次是今天开的，无需主管批准继续使用",
                "Your shift was opened today: it needs no approval to go on",
            ),
            CashError::UnpaidRegistrations { count } => {
                if zh {
                    format!("本班次有 {count} 笔挂号未收齐费用，不能结班")
                } else {
                    format!("{count} registrations of this shift are not fully paid; the shift cannot close")
                }
            }
            CashError::CountMissing { method } => {
                if zh {
                    format!("请填写{method}的实点金额（结算单合计）")
                } else {
                    format!("Enter the counted amount for {method} (from the settlement slip)")
                }
            }
            CashError::CloseApprovalNeeded { amount } => {
                if zh {
                    format!(
                        "差额 ¥{} 超过限额，需客服主管输入账号密码签字",
                        amount.yuan()
                    )
                } else {
                    format!(
                        "A difference of ¥{} needs a supervisor's sign-off with their password",
                        amount.yuan()
                    )
                }
            }
        }
    }
}

impl From<CashError> for crate::error::Error {
    fn from(e: CashError) -> Self {
        crate::error::Error::area(e)
    }
}

/// A shift is stale when it is still open and its business day — the day it was opened, or
/// the day a supervisor let it continue — is before today's: money no longer moves in it until
/// it is closed or continued (日结).
pub fn is_stale(
    tz: chrono_tz::Tz,
    opened_at: i64,
    continued_at: Option<i64>,
    closed: bool,
    now: i64,
) -> bool {
    !closed
        && clock::business_date(tz, continued_at.unwrap_or(opened_at))
            < clock::business_date(tz, now)
}
