//! 唱收唱付 and the ledger: payment by one method or a mix, checked to add up to what is due
//! (cash tendered at least the cash part, the change worked out here — [`split`]); every
//! payment and refund an entry of the append-only ledger (账) in integer fen, in the clerk's
//! open shift; and the numbered receipt (收据, a continuous series per desk), voided — never
//! deleted — when its registration is cancelled or changed.
#![deny(clippy::float_arithmetic)]

use serde::{Deserialize, Serialize};

use crate::error::{Error, Problem, Result};
use crate::money::Fen;
use crate::reference::{self, PaymentMethod};
use crate::store::Conn;

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
