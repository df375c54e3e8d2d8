//! 唱收唱付 and the ledger: payment by one method or a mix, checked to add up to what is due
//! (cash tendered at least the cash part, the change worked out here — [`split`]); every
//! payment and refund an entry of the append-only ledger (账) in integer fen, in the clerk's
//! open shift; and the numbered receipt (收据, a continuous series per desk), voided — never
//! deleted — when its registration is cancelled or changed.
#![deny(clippy::float_arithmetic)]

use serde::{Deserialize, Serialize};

use crate::audit::{snapshot, Table};
use crate::error::{Error, Problem, Result};
use crate::ids::{LedgerId, ReceiptId, RegistrationId, ShiftId, StaffId};
use crate::money::Fen;
use crate::reference::{self, PaymentMethod};
use crate::store::{Conn, Counter, Tx};

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

/// A payment line checked: method, amount, and for cash what was tendered and the change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PaymentLine {
    pub method: String,
    pub amount_fen: Fen,
    pub tendered_fen: Option<Fen>,
    pub change_fen: Option<Fen>,
}

/// 唱收唱付 against the hospital's payment methods.
pub fn check_payments(conn: &Conn, lines: &[PaymentInput], due: Fen) -> Result<Vec<PaymentLine>> {
    if due.is_zero() {
        return Ok(Vec::new());
    }
    split(&reference::list_payment_methods(conn)?, lines, due)
}

/// The rule: nothing to pay takes no lines; otherwise the lines must add up to what is due,
/// each active method once, cash tendered at least the cash part; change = tendered − cash.
pub fn split(
    methods: &[PaymentMethod],
    lines: &[PaymentInput],
    due: Fen,
) -> Result<Vec<PaymentLine>> {
    if due.is_zero() {
        return Ok(Vec::new());
    }
    if lines.is_empty() {
        return Err(Error::invalid("payments", Problem::Required));
    }
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
        if amount.is_zero() {
            return Err(Error::invalid("amount", Problem::OutOfRange(1, due.0)));
        }
        let (tendered, change) = if method.code == "cash" {
            let tendered = if line.tendered.trim().is_empty() {
                amount
            } else {
                Fen::parse_yuan("tendered", &line.tendered)?
            };
            if tendered < amount {
                return Err(crate::registration::RegistrationError::TenderedShort {
                    tendered,
                    cash: amount,
                }
                .into());
            }
            (Some(tendered), Some(tendered - amount))
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
    let total: Fen = out.iter().map(|l| l.amount_fen).sum();
    if total != due {
        return Err(
            crate::registration::RegistrationError::PaymentsDontAddUp { paid: total, due }.into(),
        );
    }
    Ok(out)
}

/// The change to hand back for checked lines (the cash line's, if any).
pub fn change_of(lines: &[PaymentLine]) -> Fen {
    lines
        .iter()
        .rev()
        .find_map(|l| l.change_fen)
        .unwrap_or(Fen::ZERO)
}

// ---- 收据 ----------------------------------------------------------------------------------

/// 收据号: continuous per desk, e.g. `01-00000042`. Returns the receipt and its number.
pub(crate) fn issue_receipt(
    tx: &mut Tx,
    desk: &str,
    registration_id: RegistrationId,
    shift_id: ShiftId,
    clerk_id: StaffId,
    amount: Fen,
) -> Result<(ReceiptId, String)> {
    let seq = tx.next_number(Counter::Series(&format!("receipt:{desk}")))?;
    let number = format!("{desk}-{seq:08}");
    let id: ReceiptId = tx.insert(
        "INSERT INTO receipt (desk, seq, number, registration_id, shift_id, clerk_id, amount_fen, issued_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
        &[&desk, &seq, &number, &registration_id, &shift_id, &clerk_id, &amount, &tx.now],
    )?;
    tx.record("receipt.issue", Table::Receipt, id, None)?;
    Ok((id, number))
}

/// The registration's valid receipt, if its shift is still open (a 换号 issues a new one for
/// the new registration). A receipt of a closed shift stays as the close counted it; the
/// refund that follows is its own entry in today's shift.
pub(crate) fn valid_receipt(
    conn: &Conn,
    registration_id: RegistrationId,
) -> Result<Option<ReceiptId>> {
    conn.value_opt(
        "SELECT r.id FROM receipt r JOIN shift s ON s.id = r.shift_id
         WHERE r.registration_id = ?1 AND r.voided_at IS NULL AND s.closed_at IS NULL",
        &[&registration_id],
    )
}

pub(crate) fn void_receipt(tx: &mut Tx, receipt: ReceiptId, reason: &str) -> Result<()> {
    let before = snapshot(tx, Table::Receipt, receipt.0)?;
    tx.execute(
        "UPDATE receipt SET voided_at = ?2, void_reason = ?3 WHERE id = ?1",
        &[&receipt, &tx.now, &reason],
    )?;
    tx.record("receipt.void", Table::Receipt, receipt, before)
}

// ---- 账 -------------------------------------------------------------------------------------

/// One entry of the ledger: a payment (positive) or a refund (negative).
#[derive(Debug, Clone)]
pub(crate) struct Entry<'a> {
    pub shift: ShiftId,
    pub clerk: StaffId,
    pub registration: RegistrationId,
    pub receipt: Option<ReceiptId>,
    pub method: &'a str,
    pub amount: Fen,
    pub tendered: Option<Fen>,
    pub change: Option<Fen>,
    /// A refund names the payment it reverses.
    pub reverses: Option<LedgerId>,
}

impl<'a> Entry<'a> {
    /// A payment of a checked line.
    pub fn payment(
        shift: ShiftId,
        clerk: StaffId,
        registration: RegistrationId,
        receipt: ReceiptId,
        line: &'a PaymentLine,
    ) -> Entry<'a> {
        Entry {
            shift,
            clerk,
            registration,
            receipt: Some(receipt),
            method: &line.method,
            amount: line.amount_fen,
            tendered: line.tendered_fen,
            change: line.change_fen,
            reverses: None,
        }
    }

    /// A refund of `amount` (positive: what goes back) by the method of the payment it
    /// reverses.
    pub fn refund(
        shift: ShiftId,
        clerk: StaffId,
        registration: RegistrationId,
        receipt: Option<ReceiptId>,
        paid: &'a Paid,
        amount: Fen,
    ) -> Entry<'a> {
        Entry {
            shift,
            clerk,
            registration,
            receipt,
            method: &paid.method,
            amount: -amount,
            tendered: None,
            change: None,
            reverses: Some(paid.last_payment),
        }
    }
}

pub(crate) fn ledger_entry(tx: &mut Tx, e: &Entry<'_>) -> Result<LedgerId> {
    let kind = if e.amount.0 > 0 { "payment" } else { "refund" };
    let id: LedgerId = tx.insert(
        "INSERT INTO ledger (at, shift_id, clerk_id, registration_id, receipt_id, kind, method, amount_fen,
                             tendered_fen, change_fen, reverses_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id",
        &[
            &tx.now, &e.shift, &e.clerk, &e.registration, &e.receipt, &kind, &e.method, &e.amount,
            &e.tendered, &e.change, &e.reverses,
        ],
    )?;
    tx.record(&format!("ledger.{kind}"), Table::Ledger, id, None)?;
    Ok(id)
}

/// What was paid for a registration by one method, net, and the latest payment by it (which a
/// refund reverses).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paid {
    pub method: String,
    pub net: Fen,
    pub last_payment: LedgerId,
}

/// What was paid for a registration, net per method, in the order first paid. A registration
/// reached by 换号 carries what was paid for the registrations it replaced.
pub(crate) fn paid_by_method(conn: &Conn, registration_id: RegistrationId) -> Result<Vec<Paid>> {
    conn.all(
        "WITH RECURSIVE chain (id) AS (
             SELECT CAST(?1 AS BIGINT)
             UNION ALL
             SELECT r.changed_from_id FROM chain c JOIN registration r ON r.id = c.id
             WHERE r.changed_from_id IS NOT NULL
         )
         SELECT method, CAST(sum(amount_fen) AS BIGINT),
                coalesce(max(CASE WHEN amount_fen > 0 THEN id END), 0)
         FROM ledger
         WHERE registration_id IN (SELECT id FROM chain)
         GROUP BY method HAVING sum(amount_fen) <> 0 ORDER BY min(id)",
        &[&registration_id],
        |r| {
            Ok(Paid {
                method: r.get(0)?,
                net: r.get(1)?,
                last_payment: r.get(2)?,
            })
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn methods() -> Vec<PaymentMethod> {
        [
            ("cash", true),
            ("wechat", true),
            ("card", true),
            ("old", false),
        ]
        .iter()
        .enumerate()
        .map(|(i, (code, active))| PaymentMethod {
            id: i as i64 + 1,
            code: code.to_string(),
            name: code.to_string(),
            active: *active,
        })
        .collect()
    }

    fn line(method: &str, amount: &str, tendered: &str) -> PaymentInput {
        PaymentInput {
            method: method.into(),
            amount: amount.into(),
            tendered: tendered.into(),
        }
    }

    #[test]
    fn payments_split_by_method_and_cash_gets_its_change() {
        // (lines, due in fen, expected (method, amount, change) or the error's code and field)
        type Want = std::result::Result<
            Vec<(&'static str, i64, Option<i64>)>,
            (&'static str, Option<&'static str>),
        >;
        let cases: Vec<(Vec<PaymentInput>, i64, Want)> = vec![
            (
                vec![line("cash", "", "50")],
                2500,
                Ok(vec![("cash", 2500, Some(2500))]),
            ),
            (
                vec![line("cash", "", "")],
                2500,
                Ok(vec![("cash", 2500, Some(0))]),
            ),
            (
                vec![line("wechat", "", "")],
                2500,
                Ok(vec![("wechat", 2500, None)]),
            ),
            (
                vec![line("wechat", "15", ""), line("cash", "10", "20")],
                2500,
                Ok(vec![("wechat", 1500, None), ("cash", 1000, Some(1000))]),
            ),
            (vec![], 0, Ok(vec![])),
            (vec![line("cash", "", "")], 0, Ok(vec![])),
            (vec![], 2500, Err(("invalid", Some("payments")))),
            (
                vec![line("bitcoin", "", "")],
                2500,
                Err(("invalid", Some("method"))),
            ),
            (
                vec![line("old", "", "")],
                2500,
                Err(("invalid", Some("method"))),
            ),
            (
                vec![line("cash", "10", ""), line("cash", "15", "")],
                2500,
                Err(("invalid", Some("method"))),
            ),
            (
                vec![line("cash", "", "20")],
                2500,
                Err(("tendered_short", None)),
            ),
            (
                vec![line("wechat", "10", ""), line("card", "10", "")],
                2500,
                Err(("payments_dont_add_up", None)),
            ),
            (
                vec![line("wechat", "", ""), line("card", "25", "")],
                2500,
                Err(("invalid", Some("amount"))),
            ),
            (
                vec![line("card", "0", "")],
                2500,
                Err(("invalid", Some("amount"))),
            ),
            (
                vec![line("cash", "", "abc")],
                2500,
                Err(("invalid", Some("tendered"))),
            ),
        ];
        for (lines, due, want) in cases {
            let got = split(&methods(), &lines, Fen(due))
                .map(|ls| {
                    ls.iter()
                        .map(|l| {
                            let m: &'static str = match l.method.as_str() {
                                "cash" => "cash",
                                "wechat" => "wechat",
                                _ => "card",
                            };
                            (m, l.amount_fen.0, l.change_fen.map(|c| c.0))
                        })
                        .collect::<Vec<_>>()
                })
                .map_err(|e| (e.code(), e.field()));
            assert_eq!(got, want, "{lines:?} for {due}");
        }
    }
}
