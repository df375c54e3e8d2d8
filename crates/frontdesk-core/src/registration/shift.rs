//! 开班: the clerk's shift at a desk, opened with the float (备用金) counted by denomination.
//! A clerk has at most one open shift; money moves only in it, and only while it is today's
//! (a shift left open from an earlier day must be closed, or continued with a supervisor's
//! approval — 日结 owns that rule, [`crate::cash::shift_info`]).

use serde::Serialize;
use serde_json::json;

use super::store;
use crate::error::{Error, Problem, Result};
use crate::ids::{ShiftId, StaffId};
use crate::money::Fen;
use crate::store::{Conn, Tx};
use crate::validate;

/// Cash denominations counted into the float and at the close: (fen, label).
pub const DENOMINATIONS: [(i64, &str); 8] = [
    (10_000, "100元"),
    (5_000, "50元"),
    (2_000, "20元"),
    (1_000, "10元"),
    (500, "5元"),
    (100, "1元"),
    (50, "5角"),
    (10, "1角"),
];

/// A cash denomination as the page shows it: its value in fen.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct Denomination {
    pub fen: Fen,
}

/// [`DENOMINATIONS`] for the page, in the same order (the counts it sends follow it).
pub fn denominations() -> Vec<Denomination> {
    DENOMINATIONS
        .iter()
        .map(|(fen, _)| Denomination { fen: Fen(*fen) })
        .collect()
}

/// Cash counted by denomination (`counts[i]` pieces of `DENOMINATIONS[i]`), each count
/// 0–100,000; `field` names the boxes in an error.
pub fn counted_cash(field: &'static str, counts: &[i64]) -> Result<Fen> {
    if counts.len() != DENOMINATIONS.len() {
        return Err(Error::invalid(field, Problem::BadFormat));
    }
    let mut total = Fen::ZERO;
    for (count, (fen, _)) in counts.iter().zip(DENOMINATIONS) {
        validate::range(field, *count, 0, 100_000)?;
        total += Fen(fen).times(*count);
    }
    Ok(total)
}

/// The counts as stored with the shift and its close: `[{"fen":10000,"count":2},…]`.
pub fn counts_json(counts: &[i64]) -> String {
    json!(DENOMINATIONS
        .iter()
        .zip(counts)
        .map(|((fen, _), n)| json!({ "fen": fen, "count": n }))
        .collect::<Vec<_>>())
    .to_string()
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Shift {
    pub id: ShiftId,
    pub clerk_id: StaffId,
    pub desk: String,
    pub opened_at: i64,
    pub float_fen: Fen,
    pub closed_at: Option<i64>,
    /// Registrations taken in this shift (not counting 退号 and 换号 endings).
    pub registrations: i64,
    /// Payments less refunds in this shift, all methods.
    pub takings_fen: Fen,
    /// Opened on an earlier business day and not continued today (set by the desk).
    pub stale: bool,
}

/// The clerk's open shift, if any, with its running totals.
pub fn open_shift_of(conn: &Conn, clerk_id: StaffId) -> Result<Option<Shift>> {
    let Some(mut shift) = store::open_shift_row(conn, clerk_id)? else {
        return Ok(None);
    };
    (shift.registrations, shift.takings_fen) = store::shift_totals(conn, shift.id)?;
    Ok(Some(shift))
}

/// Opens a shift with the float counted by denomination (`counts[i]` pieces of
/// `DENOMINATIONS[i]`). A clerk has at most one open shift.
pub fn open_shift(tx: &mut Tx, clerk_id: StaffId, desk: &str, counts: &[i64]) -> Result<Shift> {
    let float = counted_cash("float", counts)?;
    if store::open_shift_id(tx, clerk_id)?.is_some() {
        return Err(crate::registration::RegistrationError::ShiftAlreadyOpen.into());
    }
    store::insert_shift(tx, clerk_id, desk, float, &counts_json(counts))?;
    open_shift_of(tx, clerk_id)?.ok_or(Error::NotFound("shift"))
}

/// The clerk's open shift as the write path needs it (not its running totals): money moves
/// only in the clerk's open shift of today.
pub(crate) fn require_shift(tx: &Tx, clerk_id: StaffId) -> Result<ShiftId> {
    let shift = store::open_shift(tx, clerk_id)?
        .ok_or(crate::registration::RegistrationError::NoOpenShift)?;
    let tz = crate::reference::get_hospital(tx)?.tz();
    if crate::cash::is_stale(tz, shift.opened_at, shift.continued_at, false, tx.now) {
        return Err(crate::registration::RegistrationError::ShiftStale.into());
    }
    Ok(shift.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cash_is_counted_by_denomination() {
        for (counts, want) in [
            (vec![2, 0, 0, 0, 0, 0, 0, 0], Ok(Fen(20_000))),
            (vec![0, 1, 1, 1, 1, 1, 1, 1], Ok(Fen(8_660))),
            (vec![0; 8], Ok(Fen::ZERO)),
            (vec![1; 7], Err("float")),
            (vec![-1, 0, 0, 0, 0, 0, 0, 0], Err("float")),
            (vec![100_001, 0, 0, 0, 0, 0, 0, 0], Err("float")),
        ] {
            let got = counted_cash("float", &counts).map_err(|e| e.field().unwrap_or(""));
            assert_eq!(got, want, "{counts:?}");
        }
    }
}
