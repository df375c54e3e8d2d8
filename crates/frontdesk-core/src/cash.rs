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

use std::collections::BTreeMap;

use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::audit::Table;
use crate::clock;
use crate::db::CachedRow;
use crate::db::Tx;
use crate::error::{Error, Problem, Result};
use crate::money::Fen;
use crate::reference::{self, get_hospital};
use crate::registration::DENOMINATIONS;
use crate::validate;

/// A shift as the closing screen and the history show it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ShiftInfo {
    pub id: i64,
    pub clerk_id: i64,
    pub clerk_name: String,
    pub desk: String,
    pub opened_at: i64,
    pub business_date: String,
    pub closed_at: Option<i64>,
    pub float_fen: Fen,
    /// Opened on an earlier business day and not continued today.
    pub stale: bool,
}

pub fn shift_info(conn: &Connection, shift_id: i64, now: i64) -> Result<ShiftInfo> {
    let tz = get_hospital(conn)?.tz();
    let today = clock::business_date(tz, now);
    conn.row(
        "SELECT s.id, s.clerk_id, st.display_name, s.desk, s.opened_at, s.closed_at, s.float_fen, s.continued_at
         FROM shift s JOIN staff st ON st.id = s.clerk_id WHERE s.id = ?1",
        [shift_id],
        |r| {
            let opened: i64 = r.get(4)?;
            let closed: Option<i64> = r.get(5)?;
            let continued: Option<i64> = r.get(7)?;
            let from = clock::business_date(tz, continued.unwrap_or(opened));
            Ok(ShiftInfo {
                id: r.get(0)?,
                clerk_id: r.get(1)?,
                clerk_name: r.get(2)?,
                desk: r.get(3)?,
                opened_at: opened,
                business_date: clock::business_date(tz, opened).to_string(),
                closed_at: closed,
                float_fen: Fen(r.get(6)?),
                stale: closed.is_none() && from < today,
            })
        },
    )
    .optional()?
    .ok_or(Error::NotFound("shift"))
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

/// Expected per method for a shift: every active method, and any method in its ledger.
pub fn expected(conn: &Connection, shift_id: i64) -> Result<Vec<MethodLine>> {
    let float: i64 = conn.row(
        "SELECT float_fen FROM shift WHERE id = ?1",
        [shift_id],
        |r| r.get(0),
    )?;
    let mut sums: BTreeMap<String, i64> = BTreeMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT method, sum(amount_fen) FROM ledger WHERE shift_id = ?1 GROUP BY method",
    )?;
    let mut rows = stmt.query([shift_id])?;
    while let Some(r) = rows.next()? {
        sums.insert(r.get(0)?, r.get(1)?);
    }
    let mut out = Vec::new();
    for m in reference::list_payment_methods(conn)? {
        let sum = sums.remove(&m.code).unwrap_or(0);
        if !m.active && sum == 0 {
            continue;
        }
        let expected = if m.code == "cash" { sum + float } else { sum };
        out.push(MethodLine {
            method: m.code,
            name: m.name,
            expected_fen: Fen(expected),
            counted_fen: None,
            difference_fen: None,
        });
    }
    for (code, sum) in sums {
        out.push(MethodLine {
            name: code.clone(),
            method: code,
            expected_fen: Fen(sum),
            counted_fen: None,
            difference_fen: None,
        });
    }
    Ok(out)
}

pub fn receipt_series(conn: &Connection, shift_id: i64) -> Result<ReceiptSeries> {
    let mut stmt = conn.prepare_cached(
        "SELECT desk, seq, number, voided_at, void_reason FROM receipt WHERE shift_id = ?1 ORDER BY desk, seq",
    )?;
    /// (desk, seq, number, voided_at, void_reason)
    type Row = (String, i64, String, Option<i64>, Option<String>);
    let rows: Vec<Row> = stmt
        .query_map([shift_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<std::result::Result<_, _>>()?;
    let mut series = ReceiptSeries {
        first: rows.first().map(|r| r.2.clone()),
        last: rows.last().map(|r| r.2.clone()),
        issued: rows.len() as i64,
        ..Default::default()
    };
    for (_, _, number, voided, reason) in &rows {
        match voided {
            Some(_) => series.voided.push(Voided {
                number: number.clone(),
                reason: reason.clone().unwrap_or_default(),
            }),
            None => series.valid += 1,
        }
    }
    if let (Some(first), Some(last)) = (rows.first(), rows.last()) {
        let desk = &first.0;
        let mut stmt = conn.prepare_cached(
            "SELECT seq FROM receipt WHERE desk = ?1 AND seq BETWEEN ?2 AND ?3 ORDER BY seq",
        )?;
        let present: Vec<i64> = stmt
            .query_map(rusqlite::params![desk, first.1, last.1], |r| r.get(0))?
            .collect::<std::result::Result<_, _>>()?;
        let mut expected = first.1;
        for seq in present {
            while expected < seq {
                series.gaps.push(format!("{desk}-{expected:08}"));
                expected += 1;
            }
            expected = seq + 1;
        }
    }
    series.reprints = conn.row(
        "SELECT count(*) FROM receipt_print WHERE shift_id = ?1",
        [shift_id],
        |r| r.get(0),
    )?;
    Ok(series)
}

/// Registrations of the shift that are still valid but not fully paid (a 换号 chain counts
/// what was paid for each of its links).
pub fn unpaid(conn: &Connection, shift_id: i64) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "WITH RECURSIVE chain (reg, link) AS (
             SELECT id, id FROM registration WHERE shift_id = ?1 AND status IN ('waiting', 'seen')
             UNION ALL
             SELECT c.reg, r.changed_from_id FROM chain c JOIN registration r ON r.id = c.link
             WHERE r.changed_from_id IS NOT NULL
         )
         SELECT c.reg FROM chain c JOIN registration r ON r.id = c.reg
         GROUP BY c.reg
         HAVING sum((SELECT coalesce(sum(amount_fen), 0) FROM ledger l WHERE l.registration_id = c.link))
                != max(r.due_fen)
         ORDER BY c.reg",
    )?;
    let ids = stmt
        .query_map([shift_id], |r| r.get(0))?
        .collect::<std::result::Result<_, _>>()?;
    Ok(ids)
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
    pub unpaid: Vec<i64>,
    /// Some difference is not zero, or the receipt series has gaps: an explanation is needed.
    pub needs_explanation: bool,
    /// Some difference is above the threshold: a supervisor signs off.
    pub needs_approval: bool,
    pub approval_threshold_fen: Fen,
}

fn cash_total(counts: &[i64]) -> Result<Fen> {
    if counts.is_empty() {
        return Ok(Fen(0));
    }
    if counts.len() != DENOMINATIONS.len() {
        return Err(Error::invalid("cash_counts", Problem::BadFormat));
    }
    let mut total = 0;
    for (n, (fen, _)) in counts.iter().zip(DENOMINATIONS) {
        validate::range("cash_counts", *n, 0, 100_000)?;
        total += n * fen;
    }
    Ok(Fen(total))
}

/// Works out the close from what has been counted so far; used while typing and by `close`.
pub fn view(conn: &Connection, shift_id: i64, input: &CloseInput, now: i64) -> Result<CloseView> {
    let shift = shift_info(conn, shift_id, now)?;
    let threshold = get_hospital(conn)?.close_approval_fen;
    let cash = cash_total(&input.cash_counts)?;
    let mut lines = expected(conn, shift_id)?;
    for line in &mut lines {
        let counted = if line.method == "cash" {
            Some(cash)
        } else {
            match input
                .counted
                .get(&line.method)
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
            {
                Some(text) => Some(Fen::parse_yuan("counted", text)?),
                None if line.expected_fen.0 == 0 => Some(Fen(0)),
                None => None,
            }
        };
        line.counted_fen = counted;
        line.difference_fen = counted.map(|c| Fen(c.0 - line.expected_fen.0));
    }
    for method in input.counted.keys() {
        if !lines.iter().any(|l| &l.method == method) {
            return Err(Error::invalid("method", Problem::Unknown));
        }
    }
    let receipts = receipt_series(conn, shift_id)?;
    let needs_explanation = lines
        .iter()
        .any(|l| l.difference_fen.is_some_and(|d| d.0 != 0))
        || !receipts.gaps.is_empty();
    let needs_approval = lines
        .iter()
        .any(|l| l.difference_fen.is_some_and(|d| d.0.abs() > threshold.0));
    Ok(CloseView {
        handover_fen: Fen(cash.0 - shift.float_fen.0),
        shift,
        lines,
        cash_counted_fen: cash,
        receipts,
        unpaid: unpaid(conn, shift_id)?,
        needs_explanation,
        needs_approval,
        approval_threshold_fen: threshold,
    })
}

/// 结班: checks the count is complete and explained (and signed off when it must be), writes
/// the counts, the receipt reconciliation and the handover, and closes the shift — after which
/// the database refuses to change it.
pub fn close(
    tx: &mut Tx,
    shift_id: i64,
    clerk_id: i64,
    input: &CloseInput,
    approver: Option<i64>,
) -> Result<CloseView> {
    let v = view(tx, shift_id, input, tx.now)?;
    if v.shift.clerk_id != clerk_id {
        return Err(Error::Forbidden);
    }
    if v.shift.closed_at.is_some() {
        return Err(Error::ShiftClosed);
    }
    if !v.unpaid.is_empty() {
        return Err(Error::UnpaidRegistrations {
            count: v.unpaid.len() as i64,
        });
    }
    if input.cash_counts.len() != DENOMINATIONS.len() {
        return Err(Error::invalid("cash_counts", Problem::Required));
    }
    if let Some(missing) = v.lines.iter().find(|l| l.counted_fen.is_none()) {
        return Err(Error::CountMissing {
            method: missing.name.clone(),
        });
    }
    let explanation = validate::text("explanation", &input.explanation, 0, 500)?;
    if v.needs_explanation && explanation.is_empty() {
        return Err(Error::invalid("explanation", Problem::Required));
    }
    if v.needs_approval && approver.is_none() {
        let worst = v
            .lines
            .iter()
            .filter_map(|l| l.difference_fen)
            .map(|d| d.0.abs())
            .max()
            .unwrap_or(0);
        return Err(Error::CloseApprovalNeeded { amount: Fen(worst) });
    }
    let received_by = validate::text("received_by", &input.received_by, 1, 30)?;
    for line in &v.lines {
        tx.execute(
            "INSERT INTO shift_count (shift_id, method, expected_fen, counted_fen) VALUES (?1, ?2, ?3, ?4)",
            rusqlite::params![shift_id, line.method, line.expected_fen.0, line.counted_fen.map(|c| c.0)],
        )?;
        let id = tx.last_insert_rowid();
        tx.record("shift.count", Table::ShiftCount, id, None)?;
    }
    let counts = json!(DENOMINATIONS
        .iter()
        .zip(&input.cash_counts)
        .map(|((fen, _), n)| json!({ "fen": fen, "count": n }))
        .collect::<Vec<_>>());
    tx.execute(
        "INSERT INTO shift_close (shift_id, closed_at, cash_counts, explanation, approved_by, receipt_first,
             receipt_last, receipts_issued, receipts_voided, reprints, receipt_gaps, float_fen, handover_fen,
             handed_by, received_by, handed_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?2)",
        rusqlite::params![
            shift_id,
            tx.now,
            counts.to_string(),
            explanation,
            approver,
            v.receipts.first,
            v.receipts.last,
            v.receipts.issued,
            v.receipts.voided.len() as i64,
            v.receipts.reprints,
            v.receipts.gaps.join(","),
            v.shift.float_fen.0,
            v.handover_fen.0,
            clerk_id,
            received_by
        ],
    )?;
    let id = tx.last_insert_rowid();
    tx.record("shift.close", Table::ShiftClose, id, None)?;
    let before = crate::audit::snapshot(tx, Table::Shift, shift_id)?;
    tx.execute(
        "UPDATE shift SET closed_at = ?2 WHERE id = ?1",
        [shift_id, tx.now],
    )?;
    tx.record("shift.closed", Table::Shift, shift_id, before)?;
    view(tx, shift_id, input, tx.now)
}

/// A shift left open past its day goes on only with a supervisor's approval.
pub fn continue_stale(tx: &mut Tx, shift_id: i64, approver: i64) -> Result<()> {
    let info = shift_info(tx, shift_id, tx.now)?;
    if !info.stale {
        return Ok(());
    }
    let before = crate::audit::snapshot(tx, Table::Shift, shift_id)?;
    tx.execute(
        "UPDATE shift SET continued_by = ?2, continued_at = ?3 WHERE id = ?1",
        rusqlite::params![shift_id, approver, tx.now],
    )?;
    tx.record("shift.continued", Table::Shift, shift_id, before)
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

/// The stored close of a shift (what the close wrote, not recomputed).
pub fn closed_shift(conn: &Connection, shift_id: i64, now: i64) -> Result<Option<ClosedShift>> {
    let row = conn
        .row(
            "SELECT c.explanation, st.display_name, c.handover_fen, c.received_by FROM shift_close c
             LEFT JOIN staff st ON st.id = c.approved_by WHERE c.shift_id = ?1",
            [shift_id],
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?, Fen(r.get(2)?), r.get::<_, String>(3)?)),
        )
        .optional()?;
    let Some((explanation, approved_by, handover, received_by)) = row else {
        return Ok(None);
    };
    let mut stmt = conn.prepare_cached(
        "SELECT c.method, coalesce(m.name, c.method), c.expected_fen, c.counted_fen FROM shift_count c
         LEFT JOIN payment_method m ON m.code = c.method WHERE c.shift_id = ?1 ORDER BY c.id",
    )?;
    let lines = stmt
        .query_map([shift_id], |r| {
            let expected = Fen(r.get(2)?);
            let counted = Fen(r.get(3)?);
            Ok(MethodLine {
                method: r.get(0)?,
                name: r.get(1)?,
                expected_fen: expected,
                counted_fen: Some(counted),
                difference_fen: Some(Fen(counted.0 - expected.0)),
            })
        })?
        .collect::<std::result::Result<_, _>>()?;
    Ok(Some(ClosedShift {
        shift: shift_info(conn, shift_id, now)?,
        lines,
        explanation,
        approved_by,
        handover_fen: handover,
        received_by,
        receipts: receipt_series(conn, shift_id)?,
    }))
}

/// History: closes between two dates (inclusive), newest first; one clerk's or everyone's.
pub fn history(
    conn: &Connection,
    clerk_id: Option<i64>,
    from: &str,
    to: &str,
    now: i64,
) -> Result<Vec<ClosedShift>> {
    let tz = get_hospital(conn)?.tz();
    let mut stmt = conn.prepare_cached(
        "SELECT s.id, s.opened_at FROM shift s JOIN shift_close c ON c.shift_id = s.id
         WHERE (?1 IS NULL OR s.clerk_id = ?1) ORDER BY s.opened_at DESC LIMIT 1000",
    )?;
    let ids: Vec<(i64, i64)> = stmt
        .query_map(rusqlite::params![clerk_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<std::result::Result<_, _>>()?;
    let mut out = Vec::new();
    for (id, opened) in ids {
        let date = clock::business_date(tz, opened).to_string();
        if date.as_str() >= from && date.as_str() <= to {
            if let Some(c) = closed_shift(conn, id, now)? {
                out.push(c);
            }
        }
    }
    Ok(out)
}

/// The shifts of a business date (by when they opened), closed or not.
pub fn shifts_of_day(conn: &Connection, date: &str, now: i64) -> Result<Vec<ShiftInfo>> {
    let tz = get_hospital(conn)?.tz();
    let mut stmt = conn.prepare_cached("SELECT id, opened_at FROM shift ORDER BY opened_at, id")?;
    let rows: Vec<(i64, i64)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<std::result::Result<_, _>>()?;
    rows.into_iter()
        .filter(|(_, opened)| clock::business_date(tz, *opened).to_string() == date)
        .map(|(id, _)| shift_info(conn, id, now))
        .collect()
}
