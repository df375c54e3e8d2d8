//! 退号: a registration cancelled before the patient is seen, with a reason. Every method is
//! refunded by a reversing entry in the refunding clerk's open shift (wherever the payment
//! was), the receipt is voided, and the registration ends, so its place counts no more — its
//! queue number is not reused, so nobody waiting is overtaken. Above the hospital's threshold a
//! supervisor approves on the spot with their own password.

use serde::{Deserialize, Serialize};

use super::shift::require_shift;
use super::store::{
    self, end_registration, ledger_entry, paid_by_method, reg_row, valid_receipt, void_receipt,
    Entry,
};
use super::RegStatus;
use crate::error::Result;
use crate::ids::{RegistrationId, StaffId};
use crate::money::Fen;
use crate::store::{Conn, Tx};
use crate::validate;

#[derive(Debug, Clone, Deserialize, Default)]
pub struct CancelInput {
    pub registration_id: RegistrationId,
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
    pub registration_id: RegistrationId,
    pub refunded_fen: Fen,
    pub refunds: Vec<(String, Fen)>,
}

/// The amount a 退号 of this registration would refund (for the approval check before it).
pub fn refund_amount(conn: &Conn, registration_id: RegistrationId) -> Result<Fen> {
    Ok(paid_by_method(conn, registration_id)?
        .iter()
        .map(|p| p.net)
        .sum())
}

/// 退号. `approver` is the supervisor already checked by the caller when the amount needs one.
pub fn cancel(
    tx: &mut Tx,
    clerk_id: StaffId,
    input: &CancelInput,
    approver: Option<StaffId>,
    threshold: Fen,
) -> Result<Cancelled> {
    let reason = validate::text("reason", &input.reason, 1, 100)?;
    let reg = reg_row(tx, input.registration_id)?;
    if !reg.status.is_waiting() {
        return Err(
            crate::registration::RegistrationError::NotWaiting { status: reg.status }.into(),
        );
    }
    let shift = require_shift(tx, clerk_id)?;
    let paid = paid_by_method(tx, reg.id)?;
    let total: Fen = paid.iter().map(|p| p.net).sum();
    if total > threshold && approver.is_none() {
        return Err(
            crate::registration::RegistrationError::ApprovalNeeded { amount: total }.into(),
        );
    }
    let mut refunds = Vec::new();
    for p in &paid {
        ledger_entry(tx, &Entry::refund(shift, clerk_id, reg.id, None, p, p.net))?;
        refunds.push((p.method.clone(), p.net));
    }
    if let Some(receipt) = valid_receipt(tx, reg.id)? {
        void_receipt(tx, receipt, &format!("退号：{reason}"))?;
    }
    end_registration(tx, reg.id, RegStatus::Cancelled, &reason)?;
    if let Some(approver) = approver {
        store::record_cancel_approval(tx, reg.id, approver, total)?;
    }
    Ok(Cancelled {
        registration_id: reg.id,
        refunded_fen: total,
        refunds,
    })
}
