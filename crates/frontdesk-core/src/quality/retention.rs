//! 保存期限 (质量记录清单, manual 6.1): how long each kind of quality record is kept — 回访登记本
//! 2 years, 投诉登记本 3, 质量检查记录本 2, 满意度问卷 2 — and how many records are past it.
//!
//! Rules owned here:
//! - A period is set by the administrator and only ever lengthened (the database refuses a
//!   shorter one too); each setting is a new row, audited, never rewritten.
//! - No record is ever deleted, before its period or after (each record's table refuses it). A
//!   record is past its period when it ended (a call closed, a case closed, a check or a form
//!   dated) more than the period before today; then its personal data may be removed
//!   ([`super::anonymise`]).

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::audit::Table;
use crate::error::{Error, Problem, Result};
use crate::ids::StaffId;
use crate::store::{Conn, Tx};

/// (record, register, default years)
pub const RECORDS: [(&str, &str, i64); 4] = [
    ("followup", "回访登记本", 2),
    ("complaint", "投诉登记本", 3),
    ("quality_check", "质量检查记录本", 2),
    ("questionnaire", "满意度问卷", 2),
];

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Period {
    pub record: String,
    pub register: String,
    pub years: i64,
    pub default: i64,
    /// The day before which a record has passed its period.
    pub cutoff: String,
    /// Records past it (kept, never deleted).
    pub expired: i64,
    /// Of those, the ones still holding a patient's or complainant's name, phone or ID number.
    pub personal: i64,
    pub set_by: Option<String>,
    pub set_at: i64,
}

/// `years` years before `today` (29 February falls back to the 28th).
fn years_before(today: NaiveDate, years: i64) -> NaiveDate {
    let y = today.year() - years as i32;
    NaiveDate::from_ymd_opt(y, today.month(), today.day())
        .or_else(|| NaiveDate::from_ymd_opt(y, today.month(), 28))
        .unwrap_or(today)
}

/// The first moment not yet past a period that ends on `cutoff` (its midnight in the
/// hospital's zone).
pub(crate) fn cutoff_ms(conn: &Conn, cutoff: NaiveDate) -> Result<i64> {
    let tz = crate::reference::get_hospital(conn)?.tz();
    Ok(crate::clock::day_bounds(tz, cutoff, cutoff).0)
}

/// The day before which `record`'s records have passed the period in force.
pub(crate) fn cutoff(conn: &Conn, record: &str, today: NaiveDate) -> Result<NaiveDate> {
    Ok(years_before(today, in_force(conn, record)?.0))
}

/// A record's period in force: years, who set it, when (the manual's before any setting).
fn in_force(conn: &Conn, record: &str) -> Result<(i64, Option<String>, i64)> {
    let default = RECORDS
        .iter()
        .find(|(r, _, _)| *r == record)
        .map_or(1, |(_, _, y)| *y);
    let latest = conn.one(
        "SELECT r.years, s.display_name, r.set_at FROM retention_period r
         LEFT JOIN staff s ON s.id = r.set_by
         WHERE r.record = ?1 ORDER BY r.id DESC LIMIT 1",
        &[&record],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    Ok(latest.unwrap_or((default, None, 0)))
}

fn expired(conn: &Conn, record: &str, cutoff: NaiveDate) -> Result<i64> {
    let before = cutoff_ms(conn, cutoff)?;
    let day = cutoff.to_string();
    match record {
        "followup" => conn.value(
            "SELECT count(*) FROM followup WHERE closed_at IS NOT NULL AND closed_at < ?1",
            &[&before],
        ),
        "complaint" => conn.value(
            "SELECT count(*) FROM complaint WHERE closed_at IS NOT NULL AND closed_at < ?1",
            &[&before],
        ),
        "quality_check" => conn.value(
            "SELECT count(*) FROM quality_check WHERE checked_on < ?1",
            &[&day],
        ),
        _ => conn.value(
            "SELECT count(*) FROM survey_response WHERE taken_on < ?1",
            &[&day],
        ),
    }
}

/// Each record's period in force, and how many of its records are past it.
pub fn periods(conn: &Conn, today: NaiveDate) -> Result<Vec<Period>> {
    let mut out = Vec::new();
    for (record, register, default) in RECORDS {
        let (years, set_by, set_at) = in_force(conn, record)?;
        let cutoff = years_before(today, years);
        out.push(Period {
            record: record.into(),
            register: register.into(),
            years,
            default,
            cutoff: cutoff.to_string(),
            expired: expired(conn, record, cutoff)?,
            personal: super::anonymise::holding(conn, record, cutoff_ms(conn, cutoff)?)?,
            set_by,
            set_at,
        });
    }
    Ok(out)
}

/// A record's period lengthened to `years` (audited); a shorter or equal one is refused.
pub fn lengthen(
    tx: &mut Tx,
    by: StaffId,
    record: &str,
    years: &str,
    today: NaiveDate,
) -> Result<()> {
    let record = RECORDS
        .iter()
        .find(|(r, _, _)| *r == record.trim())
        .map(|(r, _, _)| *r)
        .ok_or(Error::invalid("retention_record", Problem::Unknown))?;
    let years: i64 = years
        .trim()
        .parse()
        .map_err(|_| Error::invalid("retention_years", Problem::BadFormat))?;
    let now = periods(tx, today)?
        .into_iter()
        .find(|p| p.record == record)
        .map_or(1, |p| p.years);
    if years <= now {
        return Err(Error::invalid(
            "retention_years",
            Problem::OutOfRange(now + 1, 30),
        ));
    }
    crate::validate::range("retention_years", years, now + 1, 30)?;
    let id: i64 = tx.insert(
        "INSERT INTO retention_period (record, years, set_by, set_at) VALUES (?1, ?2, ?3, ?4)
         RETURNING id",
        &[&record, &years, &by, &tx.now],
    )?;
    tx.record("retention_period.set", Table::RetentionPeriod, id, None)
}

/// The manual's periods, for a new hospital and (migration 0017) one already working.
pub fn seed(tx: &mut Tx) -> Result<()> {
    for (record, _, years) in RECORDS {
        let id: i64 = tx.insert(
            "INSERT INTO retention_period (record, years, set_by, set_at) VALUES (?1, ?2, NULL, ?3)
             RETURNING id",
            &[&record, &years, &tx.now],
        )?;
        tx.record("retention_period.set", Table::RetentionPeriod, id, None)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_counts_back_whole_years() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(years_before(d("2026-12-02"), 2), d("2024-12-02"));
        assert_eq!(years_before(d("2028-02-29"), 3), d("2025-02-28"));
    }
}
