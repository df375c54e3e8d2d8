//! 日结's queries and writes: a shift's figures, what each method expects from the ledger, the
//! receipt series, the close computed and written, a stale shift continued, the closes kept.
//! The types and the pure sums are in `mod.rs`, the desk's commands in `desk.rs`.

use super::*;

pub(super) const SHIFT_INFO: &str =
    "SELECT s.id, s.clerk_id, st.display_name, s.desk, s.opened_at, s.closed_at,
        s.float_fen, s.continued_at
     FROM shift s JOIN staff st ON st.id = s.clerk_id";

pub(super) fn shift_info_row(r: &Row, tz: chrono_tz::Tz, now: i64) -> Result<ShiftInfo> {
    let opened: i64 = r.get(4)?;
    let closed: Option<i64> = r.get(5)?;
    let continued: Option<i64> = r.get(7)?;
    Ok(ShiftInfo {
        id: r.get(0)?,
        clerk_id: r.get(1)?,
        clerk_name: r.get(2)?,
        desk: r.get(3)?,
        opened_at: opened,
        business_date: clock::business_date(tz, opened).to_string(),
        closed_at: closed,
        float_fen: r.get(6)?,
        stale: super::is_stale(tz, opened, continued, closed.is_some(), now),
    })
}

pub fn shift_info(conn: &Conn, shift_id: ShiftId, now: i64) -> Result<ShiftInfo> {
    let tz = get_hospital(conn)?.tz();
    conn.one(
        &format!("{SHIFT_INFO} WHERE s.id = ?1"),
        &[&shift_id],
        |r| shift_info_row(r, tz, now),
    )?
    .ok_or(Error::NotFound("shift"))
}

/// Expected per method for a shift: every active method, and any method in its ledger.
pub fn expected(conn: &Conn, shift_id: ShiftId) -> Result<Vec<MethodLine>> {
    let float: Fen = conn.value("SELECT float_fen FROM shift WHERE id = ?1", &[&shift_id])?;
    let mut sums: BTreeMap<String, Fen> = BTreeMap::new();
    conn.each(
        "SELECT method, CAST(sum(amount_fen) AS BIGINT) FROM ledger WHERE shift_id = ?1 GROUP BY method",
        &[&shift_id],
        |r| {
            sums.insert(r.get(0)?, r.get(1)?);
            Ok(())
        },
    )?;
    let mut out = Vec::new();
    for m in reference::list_payment_methods(conn)? {
        let sum = sums.remove(&m.code).unwrap_or(Fen::ZERO);
        if !m.active && sum.is_zero() {
            continue;
        }
        let expected = if m.code == "cash" { sum + float } else { sum };
        out.push(MethodLine {
            method: m.code,
            name: m.name,
            expected_fen: expected,
            counted_fen: None,
            difference_fen: None,
        });
    }
    for (code, sum) in sums {
        out.push(MethodLine {
            name: code.clone(),
            method: code,
            expected_fen: sum,
            counted_fen: None,
            difference_fen: None,
        });
    }
    Ok(out)
}

/// A receipt a shift issued: its desk and place in the desk's series, its number, its void.
struct Issued {
    desk: String,
    seq: i64,
    number: String,
    voided_at: Option<i64>,
    void_reason: Option<String>,
}

pub fn receipt_series(conn: &Conn, shift_id: ShiftId) -> Result<ReceiptSeries> {
    let rows: Vec<Issued> = conn.all(
        "SELECT desk, seq, number, voided_at, void_reason FROM receipt WHERE shift_id = ?1 ORDER BY desk, seq",
        &[&shift_id],
        |r| {
            Ok(Issued {
                desk: r.get(0)?,
                seq: r.get(1)?,
                number: r.get(2)?,
                voided_at: r.get(3)?,
                void_reason: r.get(4)?,
            })
        },
    )?;
    let mut series = ReceiptSeries {
        first: rows.first().map(|r| r.number.clone()),
        last: rows.last().map(|r| r.number.clone()),
        issued: rows.len() as i64,
        ..Default::default()
    };
    for receipt in &rows {
        match receipt.voided_at {
            Some(_) => series.voided.push(Voided {
                number: receipt.number.clone(),
                reason: receipt.void_reason.clone().unwrap_or_default(),
            }),
            None => series.valid += 1,
        }
    }
    if let (Some(first), Some(last)) = (rows.first(), rows.last()) {
        let desk = &first.desk;
        let present: Vec<i64> = conn.all(
            "SELECT seq FROM receipt WHERE desk = ?1 AND seq BETWEEN ?2 AND ?3 ORDER BY seq",
            &[desk, &first.seq, &last.seq],
            |r| Ok(r.get(0)?),
        )?;
        let mut expected = first.seq;
        for seq in present {
            while expected < seq {
                series.gaps.push(format!("{desk}-{expected:08}"));
                expected += 1;
            }
            expected = seq + 1;
        }
    }
    series.reprints = conn.value(
        "SELECT count(*) FROM receipt_print WHERE shift_id = ?1",
        &[&shift_id],
    )?;
    Ok(series)
}

/// Registrations of the shift that are still valid but not fully paid (a 换号 chain counts
/// what was paid for each of its links).
pub fn unpaid(conn: &Conn, shift_id: ShiftId) -> Result<Vec<RegistrationId>> {
    conn.all(
        concat!(
            "WITH RECURSIVE chain (reg, link) AS (
             SELECT id, id FROM registration WHERE shift_id = ?1 AND ",
            holds_place_sql!(),
            "
             UNION ALL
             SELECT c.reg, r.changed_from_id FROM chain c JOIN registration r ON r.id = c.link
             WHERE r.changed_from_id IS NOT NULL
         )
         SELECT c.reg FROM chain c JOIN registration r ON r.id = c.reg
         GROUP BY c.reg
         HAVING sum((SELECT coalesce(sum(amount_fen), 0) FROM ledger l WHERE l.registration_id = c.link))
                <> max(r.due_fen)
         ORDER BY c.reg"
        ),
        &[&shift_id],
        |r| Ok(r.get(0)?),
    )
}

/// Works out the close from what has been counted so far; used while typing and by `close`.
pub fn view(conn: &Conn, shift_id: ShiftId, input: &CloseInput, now: i64) -> Result<CloseView> {
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
                None if line.expected_fen.is_zero() => Some(Fen::ZERO),
                None => None,
            }
        };
        line.counted_fen = counted;
        line.difference_fen = counted.map(|c| c - line.expected_fen);
    }
    for method in input.counted.keys() {
        if !lines.iter().any(|l| &l.method == method) {
            return Err(Error::invalid("method", Problem::Unknown));
        }
    }
    let receipts = receipt_series(conn, shift_id)?;
    let needs_explanation = lines
        .iter()
        .any(|l| l.difference_fen.is_some_and(|d| !d.is_zero()))
        || !receipts.gaps.is_empty();
    let needs_approval = lines
        .iter()
        .any(|l| l.difference_fen.is_some_and(|d| d.abs() > threshold));
    Ok(CloseView {
        handover_fen: cash - shift.float_fen,
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
    shift_id: ShiftId,
    clerk_id: StaffId,
    input: &CloseInput,
    approver: Option<StaffId>,
) -> Result<CloseView> {
    let v = view(tx, shift_id, input, tx.now)?;
    if v.shift.clerk_id != clerk_id {
        return Err(Error::Forbidden);
    }
    if v.shift.closed_at.is_some() {
        return Err(crate::cash::CashError::ShiftClosed.into());
    }
    if !v.unpaid.is_empty() {
        return Err(crate::cash::CashError::UnpaidRegistrations {
            count: v.unpaid.len() as i64,
        }
        .into());
    }
    if input.cash_counts.len() != DENOMINATIONS.len() {
        return Err(Error::invalid("cash_counts", Problem::Required));
    }
    if let Some(missing) = v.lines.iter().find(|l| l.counted_fen.is_none()) {
        return Err(crate::cash::CashError::CountMissing {
            method: missing.name.clone(),
        }
        .into());
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
            .map(Fen::abs)
            .max()
            .unwrap_or(Fen::ZERO);
        return Err(crate::cash::CashError::CloseApprovalNeeded { amount: worst }.into());
    }
    let received_by = validate::text("received_by", &input.received_by, 1, 30)?;
    for line in &v.lines {
        let id: i64 = tx.insert(
            "INSERT INTO shift_count (shift_id, method, expected_fen, counted_fen)
             VALUES (?1, ?2, ?3, ?4) RETURNING id",
            &[
                &shift_id,
                &line.method,
                &line.expected_fen,
                &line.counted_fen,
            ],
        )?;
        tx.record("shift.count", Table::ShiftCount, id, None)?;
    }
    let id: i64 = tx.insert(
        "INSERT INTO shift_close (shift_id, closed_at, cash_counts, explanation, approved_by, receipt_first,
             receipt_last, receipts_issued, receipts_voided, reprints, receipt_gaps, float_fen, handover_fen,
             handed_by, received_by, handed_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?2)
         RETURNING id",
        &[
            &shift_id,
            &tx.now,
            &counts_json(&input.cash_counts),
            &explanation,
            &approver,
            &v.receipts.first,
            &v.receipts.last,
            &v.receipts.issued,
            &(v.receipts.voided.len() as i64),
            &v.receipts.reprints,
            &v.receipts.gaps.join(","),
            &v.shift.float_fen,
            &v.handover_fen,
            &clerk_id,
            &received_by,
        ],
    )?;
    tx.record("shift.close", Table::ShiftClose, id, None)?;
    let before = crate::audit::snapshot(tx, Table::Shift, shift_id.0)?;
    tx.execute(
        "UPDATE shift SET closed_at = ?2 WHERE id = ?1",
        &[&shift_id, &tx.now],
    )?;
    tx.record("shift.closed", Table::Shift, shift_id, before)?;
    view(tx, shift_id, input, tx.now)
}

/// A shift left open past its day goes on only with a supervisor's approval.
pub fn continue_stale(tx: &mut Tx, shift_id: ShiftId, approver: StaffId) -> Result<()> {
    let info = shift_info(tx, shift_id, tx.now)?;
    if !info.stale {
        return Err(crate::cash::CashError::ShiftNotStale.into());
    }
    let before = crate::audit::snapshot(tx, Table::Shift, shift_id.0)?;
    tx.execute(
        "UPDATE shift SET continued_by = ?2, continued_at = ?3 WHERE id = ?1",
        &[&shift_id, &approver, &tx.now],
    )?;
    tx.record("shift.continued", Table::Shift, shift_id, before)
}

/// A shift's close as stored: the explanation, who approved it, the handover, who received it.
struct StoredClose {
    explanation: String,
    approved_by: Option<String>,
    handover_fen: Fen,
    received_by: String,
}

/// The stored close of a shift (what the close wrote, not recomputed).
pub fn closed_shift(conn: &Conn, shift_id: ShiftId, now: i64) -> Result<Option<ClosedShift>> {
    let row = conn.one(
        "SELECT c.explanation, st.display_name, c.handover_fen, c.received_by FROM shift_close c
         LEFT JOIN staff st ON st.id = c.approved_by WHERE c.shift_id = ?1",
        &[&shift_id],
        |r| {
            Ok(StoredClose {
                explanation: r.get(0)?,
                approved_by: r.get(1)?,
                handover_fen: r.get(2)?,
                received_by: r.get(3)?,
            })
        },
    )?;
    let Some(StoredClose {
        explanation,
        approved_by,
        handover_fen,
        received_by,
    }) = row
    else {
        return Ok(None);
    };
    let lines = conn.all(
        "SELECT c.method, coalesce(m.name, c.method), c.expected_fen, c.counted_fen FROM shift_count c
         LEFT JOIN payment_method m ON m.code = c.method WHERE c.shift_id = ?1 ORDER BY c.id",
        &[&shift_id],
        |r| {
            let expected: Fen = r.get(2)?;
            let counted: Fen = r.get(3)?;
            Ok(MethodLine {
                method: r.get(0)?,
                name: r.get(1)?,
                expected_fen: expected,
                counted_fen: Some(counted),
                difference_fen: Some(counted - expected),
            })
        },
    )?;
    Ok(Some(ClosedShift {
        shift: shift_info(conn, shift_id, now)?,
        lines,
        explanation,
        approved_by,
        handover_fen,
        received_by,
        receipts: receipt_series(conn, shift_id)?,
    }))
}

/// The shifts opened on the business days `from` to `to` (inclusive), found by their opening
/// instant in the hospital's zone; newest first, one clerk's or everyone's.
pub(super) fn shifts_opened(
    conn: &Conn,
    clerk_id: Option<StaffId>,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    now: i64,
) -> Result<Vec<ShiftInfo>> {
    let tz = get_hospital(conn)?.tz();
    let (lo, hi) = clock::day_bounds(tz, from, to);
    let map = |r: &Row| shift_info_row(r, tz, now);
    match clerk_id {
        Some(clerk) => conn.all(
            &format!(
                "{SHIFT_INFO} WHERE s.opened_at >= ?1 AND s.opened_at < ?2 AND s.clerk_id = ?3
                 ORDER BY s.opened_at DESC, s.id DESC"
            ),
            &[&lo, &hi, &clerk],
            map,
        ),
        None => conn.all(
            &format!(
                "{SHIFT_INFO} WHERE s.opened_at >= ?1 AND s.opened_at < ?2
                 ORDER BY s.opened_at DESC, s.id DESC"
            ),
            &[&lo, &hi],
            map,
        ),
    }
}

/// History: closes between two dates (inclusive), newest first; one clerk's or everyone's.
pub fn history(
    conn: &Conn,
    clerk_id: Option<StaffId>,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    now: i64,
) -> Result<Vec<ClosedShift>> {
    let mut out = Vec::new();
    for shift in shifts_opened(conn, clerk_id, from, to, now)? {
        if shift.closed_at.is_some() {
            if let Some(c) = closed_shift(conn, shift.id, now)? {
                out.push(c);
            }
        }
    }
    Ok(out)
}

/// The shifts of a business date (by when they opened), closed or not, in the order opened.
pub fn shifts_of_day(conn: &Conn, date: &str, now: i64) -> Result<Vec<ShiftInfo>> {
    let day = validate::date("date", date)?;
    let mut shifts = shifts_opened(conn, None, day, day, now)?;
    shifts.reverse();
    Ok(shifts)
}
