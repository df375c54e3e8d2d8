//! 换号: a waiting registration moved to another doctor, department or session, with a reason.
//! The old registration ends as 'changed' and its receipt is voided; the new one gets a new
//! queue number and receipt; only the fee difference moves through the ledger — paid as typed
//! when the new registration is dearer, refunded by the original methods (latest first) when
//! it is cheaper. A promotion the registration was made with keeps its price rule, without a
//! new use and whatever its state today.
#![deny(clippy::float_arithmetic)]

use serde::{Deserialize, Serialize};

use super::duty::{self, check_capacity, DutyOption};
use super::fees::{price_rule_of, registration_type};
use super::payment::{change_of, check_payments, PaymentInput};
use super::register::Registered;
use super::shift::require_shift;
use super::store::{
    self, end_registration, issue_receipt, ledger_entry, paid_by_method, reg_row, valid_receipt,
    void_receipt, Entry,
};
use super::{RegStatus, Today};
use crate::error::{Error, Problem, Result};
use crate::ids::{DepartmentId, DoctorId, RegistrationId, RegistrationTypeId, StaffId};
use crate::money::Fen;
use crate::store::{Conn, Counter, Tx};
use crate::validate;

#[derive(Debug, Clone, Deserialize, Default)]
pub struct ChangeInput {
    pub registration_id: RegistrationId,
    #[serde(default)]
    pub department_id: Option<DepartmentId>,
    #[serde(default)]
    pub doctor_id: Option<DoctorId>,
    #[serde(default)]
    pub session: Option<String>,
    #[serde(default)]
    pub registration_type_id: Option<RegistrationTypeId>,
    #[serde(default)]
    pub reason: String,
    /// For a dearer registration: how the difference is paid.
    #[serde(default)]
    pub payments: Vec<PaymentInput>,
}

/// What a 换号 would be: the new slot, its fee and due, and the difference from what the
/// registration cost (positive: to pay; negative: to refund).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ChangeQuote {
    pub duty: DutyOption,
    pub registration_type_id: RegistrationTypeId,
    pub fee_fen: Fen,
    pub due_fen: Fen,
    pub old_due_fen: Fen,
    pub difference_fen: Fen,
}

/// Works out a 换号 without writing anything.
pub fn change_quote(conn: &Conn, input: &ChangeInput, today: Today) -> Result<ChangeQuote> {
    let old = reg_row(conn, input.registration_id)?;
    if !old.status.is_waiting() {
        return Err(
            crate::registration::RegistrationError::NotWaiting { status: old.status }.into(),
        );
    }
    if input.department_id.is_none() && input.doctor_id.is_none() {
        return Err(Error::invalid("department_id", Problem::Required));
    }
    let asked = duty::Asked {
        doctor: input.doctor_id,
        department: input.department_id,
        session: Some(duty::session_asked(input.session.as_deref(), today)?),
        last: None,
    };
    let (duty, _) = duty::propose(conn, &asked, today)?;
    if duty.duty_id == old.duty_id {
        return Err(crate::registration::RegistrationError::SameDoctor.into());
    }
    check_capacity(&duty, false)?;
    let rtype = registration_type(
        conn,
        input
            .registration_type_id
            .or(Some(old.registration_type_id)),
    )?;
    let fee = rtype.fee;
    let due = match old.promotion_id {
        Some(promotion) => price_rule_of(conn, promotion)?.due(fee),
        None => fee,
    };
    Ok(ChangeQuote {
        duty,
        registration_type_id: rtype.id,
        fee_fen: fee,
        due_fen: due,
        old_due_fen: old.due,
        difference_fen: due - old.due,
    })
}

/// 换号, in the caller's write transaction.
pub fn change(
    tx: &mut Tx,
    clerk_id: StaffId,
    desk: &str,
    input: &ChangeInput,
    today: Today,
) -> Result<Registered> {
    let reason = validate::text("reason", &input.reason, 1, 100)?;
    let shift = require_shift(tx, clerk_id)?;
    let plan = change_quote(tx, input, today)?;
    let old = reg_row(tx, input.registration_id)?;
    let difference = plan.difference_fen;
    let lines = if difference.0 > 0 {
        check_payments(tx, &input.payments, difference)?
    } else {
        Vec::new()
    };
    let old_receipt = valid_receipt(tx, old.id)?;
    end_registration(tx, old.id, RegStatus::Changed, &reason)?;
    if let Some(r) = old_receipt {
        void_receipt(tx, r, &format!("换号：{reason}"))?;
    }
    let queue_no = tx.next_number(Counter::Queue(plan.duty.duty_id))?;
    let id = store::insert_change(tx, old.id, &plan, queue_no, clerk_id, shift)?;
    let (receipt, number) = issue_receipt(tx, desk, id, shift, clerk_id, plan.due_fen)?;
    if difference.0 > 0 {
        for line in &lines {
            ledger_entry(tx, &Entry::payment(shift, clerk_id, id, receipt, line))?;
        }
    } else if difference.0 < 0 {
        // Refund the difference by the original methods, the latest first.
        let mut left = -difference;
        for paid in paid_by_method(tx, old.id)?.iter().rev() {
            if left.is_zero() {
                break;
            }
            let part = left.min(paid.net);
            ledger_entry(
                tx,
                &Entry::refund(shift, clerk_id, id, Some(receipt), paid, part),
            )?;
            left -= part;
        }
    }
    Ok(Registered {
        registration_id: id,
        receipt_id: Some(receipt),
        receipt_number: Some(number),
        queue_no,
        due_fen: difference,
        change_fen: change_of(&lines),
        visit_kind: if old.visit_kind == "return" {
            "return"
        } else {
            "first"
        },
    })
}
