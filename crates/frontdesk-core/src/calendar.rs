//! 工作日历: which dates the hospital's offices work. Monday to Friday work and Saturday and
//! Sunday do not, except the dates the administrator enters: public holidays (法定节假日, off)
//! and the make-up working days on a weekend (调休补班, working). No library knows the State
//! Council's yearly schedule, so it is data — kept in 管理 or imported from a CSV of dates.
//!
//! Deadlines counted "within N working days" (投诉处理时限) are [`add_working_days`]: the day
//! of receipt does not count; the Nth working day after it is the last day. A change to the
//! calendar moves the deadlines of every open case, in the same transaction.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Serialize;
use serde_json::json;

use crate::audit::{snapshot, Table};
use crate::error::{Error, Problem, Result};
use crate::store::{Conn, Tx};
use crate::validate;

/// The dates that are not what their weekday says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    exceptions: BTreeMap<NaiveDate, bool>,
}

impl Calendar {
    /// From `(date, working)` pairs.
    pub fn new(days: impl IntoIterator<Item = (NaiveDate, bool)>) -> Calendar {
        Calendar {
            exceptions: days.into_iter().collect(),
        }
    }

    pub fn is_working(&self, date: NaiveDate) -> bool {
        match self.exceptions.get(&date) {
            Some(working) => *working,
            None => !matches!(date.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }
}

/// The `n`th working day after `from` (`from` itself not counted); `from` when `n` is 0.
/// 5 working days from a Friday before a week-long holiday lands well after it.
pub fn add_working_days(calendar: &Calendar, from: NaiveDate, n: i64) -> NaiveDate {
    let mut date = from;
    let mut left = n;
    // A calendar cannot stop every day working for long; this bound only guards a broken one.
    let mut guard = 0;
    while left > 0 && guard < 3660 {
        date = date.succ_opt().unwrap_or(date);
        if calendar.is_working(date) {
            left -= 1;
        }
        guard += 1;
    }
    date
}

/// Working days after `from` up to and including `to` (0 when `to` is not after `from`).
pub fn working_days_between(calendar: &Calendar, from: NaiveDate, to: NaiveDate) -> i64 {
    let mut n = 0;
    let mut date = from;
    while date < to {
        date = date.succ_opt().unwrap_or(to);
        if calendar.is_working(date) {
            n += 1;
        }
    }
    n
}

/// One entry of the calendar, as 管理 lists it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CalendarDay {
    pub id: i64,
    pub date: String,
    pub working: bool,
    pub name: String,
    /// 周一 … 周日, for the list.
    pub weekday: u32,
}

pub fn list(conn: &Conn) -> Result<Vec<CalendarDay>> {
    conn.all(
        "SELECT id, date, working, name FROM calendar_day ORDER BY date",
        &[],
        |r| {
            let date: String = r.get(1)?;
            let weekday = NaiveDate::parse_from_str(&date, "%Y-%m-%d")
                .map(|d| d.weekday().number_from_monday())
                .unwrap_or(0);
            Ok(CalendarDay {
                id: r.get(0)?,
                date,
                working: r.get(2)?,
                name: r.get(3)?,
                weekday,
            })
        },
    )
}

/// The whole calendar (a few dozen dates a year).
pub fn load(conn: &Conn) -> Result<Calendar> {
    let days = conn.all(
        "SELECT date, working FROM calendar_day ORDER BY date",
        &[],
        |r| Ok((r.get::<String>(0)?, r.get::<bool>(1)?)),
    )?;
    Ok(Calendar::new(days.into_iter().filter_map(|(d, w)| {
        NaiveDate::parse_from_str(&d, "%Y-%m-%d")
            .ok()
            .map(|d| (d, w))
    })))
}

/// Enters one date (or changes the entry of that date). Returns the entry's id.
pub fn save_day(tx: &mut Tx, date: &str, working: bool, name: &str) -> Result<i64> {
    let mut c = validate::Checks::new();
    let date = c.take(validate::date("date", date).map(|d| d.to_string()));
    let name = c.take(validate::text("name", name, 1, 30));
    c.done()?;
    let (date, name) = (validate::kept(date), validate::kept(name));
    let found: Option<i64> =
        tx.value_opt("SELECT id FROM calendar_day WHERE date = ?1", &[&date])?;
    let id = match found {
        Some(id) => {
            let before = snapshot(tx, Table::CalendarDay, id)?;
            tx.execute(
                "UPDATE calendar_day SET working = ?2, name = ?3 WHERE id = ?1",
                &[&id, &working, &name],
            )?;
            tx.record("calendar_day.update", Table::CalendarDay, id, before)?;
            id
        }
        None => {
            let id: i64 = tx.insert(
                "INSERT INTO calendar_day (date, working, name) VALUES (?1, ?2, ?3) RETURNING id",
                &[&date, &working, &name],
            )?;
            tx.record("calendar_day.create", Table::CalendarDay, id, None)?;
            id
        }
    };
    Ok(id)
}

pub fn delete_day(tx: &mut Tx, id: i64) -> Result<()> {
    let before = snapshot(tx, Table::CalendarDay, id)?.ok_or(Error::NotFound("record"))?;
    tx.execute("DELETE FROM calendar_day WHERE id = ?1", &[&id])?;
    tx.record("calendar_day.delete", Table::CalendarDay, id, Some(before))?;
    Ok(())
}

/// What an import did.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Imported {
    pub days: i64,
    pub holidays: i64,
    pub working: i64,
    /// Open cases whose deadlines moved.
    pub cases_moved: i64,
}

/// Reads `working` as people write it in the CSV: 休/假/节假日/off/holiday, 班/补班/上班/work.
fn parse_working(value: &str) -> Option<bool> {
    match value.trim().to_lowercase().as_str() {
        "休" | "假" | "休息" | "放假" | "节假日" | "holiday" | "off" | "0" => Some(false),
        "班" | "补班" | "上班" | "调休补班" | "工作日" | "work" | "working" | "workday" | "1" => {
            Some(true)
        }
        _ => None,
    }
}

/// Imports a CSV of dates — `date,kind,name` (日期,类型,名称), UTF-8 or GBK, with or without its
/// header — as one change: a bad row refuses the whole file, naming its line.
pub fn import_csv(tx: &mut Tx, bytes: &[u8]) -> Result<Imported> {
    let text = crate::import::decode(bytes)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i as i64 + 1;
        let record = record.map_err(|_| Error::ImportRow {
            line,
            field: "file",
            problem: Problem::BadFormat,
        })?;
        let cells: Vec<&str> = record.iter().collect();
        if cells.iter().all(|c| c.is_empty()) {
            continue;
        }
        let first = cells.first().copied().unwrap_or("");
        if line == 1 && !first.starts_with(|c: char| c.is_ascii_digit()) {
            // A header (日期,类型,名称 / date,kind,name).
            continue;
        }
        let at = |field: &'static str, problem| Error::ImportRow {
            line,
            field,
            problem,
        };
        let date = validate::date("date", first).map_err(|_| at("date", Problem::BadFormat))?;
        let kind = cells.get(1).copied().unwrap_or("");
        let working = parse_working(kind).ok_or(at(
            "calendar_kind",
            if kind.is_empty() {
                Problem::Required
            } else {
                Problem::Unknown
            },
        ))?;
        let name = cells.get(2).copied().unwrap_or("").trim();
        let name = if name.is_empty() {
            if working {
                "调休补班"
            } else {
                "节假日"
            }
        } else {
            name
        };
        let name = validate::text("name", name, 1, 30).map_err(|e| match e {
            Error::Invalid { problem, .. } => at("name", problem),
            e => e,
        })?;
        rows.push((date, working, name));
    }
    if rows.is_empty() {
        return Err(Error::invalid("file", Problem::Empty));
    }
    let mut imported = Imported {
        days: 0,
        holidays: 0,
        working: 0,
        cases_moved: 0,
    };
    for (date, working, name) in &rows {
        save_day(tx, &date.to_string(), *working, name)?;
        imported.days += 1;
        if *working {
            imported.working += 1;
        } else {
            imported.holidays += 1;
        }
    }
    tx.event(
        "calendar.import",
        "calendar",
        "csv",
        json!({ "days": imported.days, "holidays": imported.holidays, "working": imported.working }),
    )?;
    Ok(imported)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// A National Day week built for the test: 10-01…10-08 off, Sunday 09-27
    /// and Saturday 10-10 worked (调休补班).
    fn national_day_2026() -> Calendar {
        let mut days: Vec<(NaiveDate, bool)> = (1..=8)
            .map(|n| (d(&format!("2026-10-{n:02}")), false))
            .collect();
        days.push((d("2026-09-27"), true));
        days.push((d("2026-10-10"), true));
        Calendar::new(days)
    }

    #[test]
    fn deadlines_in_working_days() {
        let plain = Calendar::default();
        let holiday = national_day_2026();
        // (calendar, received, working days, last day, why)
        let cases: &[(&Calendar, &str, i64, &str, &str)] = &[
            (&plain, "2026-11-30", 1, "2026-12-01", "Monday → Tuesday"),
            (
                &plain,
                "2026-11-30",
                5,
                "2026-12-07",
                "Monday + 5 → next Monday",
            ),
            (
                &plain,
                "2026-12-04",
                1,
                "2026-12-07",
                "Friday → over the weekend to Monday",
            ),
            (
                &plain,
                "2026-12-05",
                1,
                "2026-12-07",
                "received on a Saturday → Monday",
            ),
            (
                &plain,
                "2026-12-06",
                5,
                "2026-12-11",
                "received on a Sunday → Friday",
            ),
            (
                &plain,
                "2026-12-04",
                10,
                "2026-12-18",
                "two weekends crossed",
            ),
            (
                &plain,
                "2026-12-04",
                0,
                "2026-12-04",
                "no working days: the day itself",
            ),
            (
                &holiday,
                "2026-09-30",
                1,
                "2026-10-09",
                "the day before the holiday week",
            ),
            (
                &holiday,
                "2026-09-30",
                2,
                "2026-10-10",
                "the make-up Saturday works",
            ),
            (
                &holiday,
                "2026-09-30",
                5,
                "2026-10-14",
                "holiday week, make-up Saturday, weekend",
            ),
            (
                &holiday,
                "2026-09-25",
                1,
                "2026-09-27",
                "Friday → the make-up Sunday",
            ),
            (
                &holiday,
                "2026-09-25",
                5,
                "2026-10-09",
                "make-up Sunday, then the whole week off",
            ),
            (
                &holiday,
                "2026-10-03",
                1,
                "2026-10-09",
                "received in the holiday",
            ),
            (
                &holiday,
                "2026-10-09",
                1,
                "2026-10-10",
                "Friday → make-up Saturday",
            ),
            (
                &holiday,
                "2026-10-09",
                10,
                "2026-10-22",
                "from the make-up Saturday on as usual",
            ),
        ];
        for (cal, from, n, want, why) in cases {
            assert_eq!(
                add_working_days(cal, d(from), *n),
                d(want),
                "{why}: {from} + {n}"
            );
            assert_eq!(
                working_days_between(cal, d(from), d(want)),
                *n,
                "{why}: days between {from} and {want}"
            );
        }
    }

    #[test]
    fn the_calendar_csv_reads_both_languages() {
        for (value, want) in [
            ("休", Some(false)),
            ("班", Some(true)),
            ("补班", Some(true)),
            ("holiday", Some(false)),
            ("Work", Some(true)),
            ("maybe", None),
            ("", None),
        ] {
            assert_eq!(parse_working(value), want, "{value:?}");
        }
    }
}
