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
