//! The counts behind the ten targets, for a period (a week, month, quarter or year), and their
//! cache for periods that have ended.
//!
//! Rules owned here:
//! - A period's counts ([`Tally`]) come from the records by grouped queries, one pass per kind
//!   of record: registrations that held their place (each patient once), first-visit and
//!   discharge follow-ups reached, follow-up answers and survey answers by aspect, complaints
//!   closed with feedback, market surveys, patients first seen.
//! - The counts of a period that has ended are kept in `quality_tally` the first time they are
//!   computed and read back after, so twelve periods of trend cost one period's queries. The
//!   cache is not a record: an audited write that changes a record of some day empties the
//!   tallies of every period holding that day ([`touched`], called by `Tx::record`), so a call
//!   reached late or a paper form entered for last month is counted the next time it is read.
//!   On a server the filling transaction locks the cache against those emptyings until it has
//!   written, so a count can never be kept from before a change that had already emptied it.

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::audit::Table;
use crate::error::{Error, Problem, Result};
use crate::store::{self, Conn, Tx};

/// The length of a dashboard's period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Span {
    Week,
    #[default]
    Month,
    Quarter,
    Year,
}

impl Span {
    pub fn parse(text: &str) -> Result<Span> {
        Ok(match text.trim() {
            "week" => Span::Week,
            "month" | "" => Span::Month,
            "quarter" => Span::Quarter,
            "year" => Span::Year,
            _ => return Err(Error::invalid("span", Problem::Unknown)),
        })
    }
}

/// One period: its first and last business dates, and its name (`2026-12`, `2026-W49`,
/// `2026-Q4`, `2026`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Period {
    #[serde(serialize_with = "as_text")]
    pub from: NaiveDate,
    #[serde(serialize_with = "as_text")]
    pub to: NaiveDate,
    pub label: String,
}

fn as_text<S: serde::Serializer>(d: &NaiveDate, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.collect_str(d)
}

fn first_of_month(year: i32, month: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, 1).unwrap_or_default()
}

fn months_after(first: NaiveDate, n: u32) -> NaiveDate {
    let m = first.month0() + n;
    first_of_month(first.year() + (m / 12) as i32, m % 12 + 1)
}

impl Period {
    /// The period of `span` that holds `day`.
    pub fn containing(span: Span, day: NaiveDate) -> Period {
        let (from, to) = match span {
            Span::Week => {
                let from = day - Duration::days(day.weekday().num_days_from_monday() as i64);
                (from, from + Duration::days(6))
            }
            Span::Month => {
                let from = first_of_month(day.year(), day.month());
                (from, months_after(from, 1) - Duration::days(1))
            }
            Span::Quarter => {
                let from = first_of_month(day.year(), day.month0() / 3 * 3 + 1);
                (from, months_after(from, 3) - Duration::days(1))
            }
            Span::Year => {
                let from = first_of_month(day.year(), 1);
                (from, first_of_month(day.year() + 1, 1) - Duration::days(1))
            }
        };
        let label = match span {
            Span::Week => {
                let w = from.iso_week();
                format!("{}-W{:02}", w.year(), w.week())
            }
            Span::Month => from.format("%Y-%m").to_string(),
            Span::Quarter => format!("{}-Q{}", from.year(), from.month0() / 3 + 1),
            Span::Year => from.year().to_string(),
        };
        Period { from, to, label }
    }

    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    /// Whether the period has ended by `today` (its last day is before it).
    pub fn ended(&self, today: NaiveDate) -> bool {
        self.to < today
    }
}

/// The `n` periods of `span` up to the one holding `day`, oldest first.
pub fn last_periods(span: Span, day: NaiveDate, n: usize) -> Vec<Period> {
    let mut out = vec![Period::containing(span, day)];
    while out.len() < n {
        let before = out[out.len() - 1].from - Duration::days(1);
        out.push(Period::containing(span, before));
    }
    out.reverse();
    out
}

macro_rules! tally {
    ($($(#[$doc:meta])* $field:ident),* $(,)?) => {
        /// A period's counts, each named as the cache keeps it.
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
        pub struct Tally {
            $($(#[$doc])* pub $field: i64,)*
        }

        impl Tally {
            pub const MEASURES: &'static [&'static str] = &[$(stringify!($field)),*];

            fn set(&mut self, measure: &str, value: i64) -> bool {
                match measure {
                    $(stringify!($field) => self.$field = value,)*
                    _ => return false,
                }
                true
            }

            fn pairs(&self) -> Vec<(&'static str, i64)> {
                vec![$((stringify!($field), self.$field)),*]
            }
        }
    };
}

tally! {
    /// Patients with a registration that held its place (each once).
    outpatients,
    /// Patients with a first visit (初诊) that held its place (each once).
    first_patients,
    /// Of them, those with a first-visit follow-up reached (whenever it was).
    first_reached,
    /// Patients discharged (each once).
    inpatients,
    /// Of them, those with a discharge follow-up reached.
    inpatients_reached,
    /// Discharges.
    discharges,
    /// Of them, those whose follow-up was reached.
    discharges_reached,
    /// Answers on 挂号 (a follow-up call's or a survey item's), and of them 不满意.
    registration_answered,
    registration_dissatisfied,
    /// Answers on 导医, and of them 不满意.
    guide_answered,
    guide_dissatisfied,
    /// Answers on the visit overall, and of them 满意.
    overall_answered,
    overall_satisfied,
    /// Complaints closed with the complainant's feedback, and of them satisfied.
    complaints_feedback,
    complaints_satisfied,
    /// Market surveys held.
    market_surveys,
    /// The operating indicators' actuals: registrations that held their place, patients first
    /// seen, first-visit registrations.
    registrations,
    new_patients,
    first_visits,
}

/// A period's registrations that held their place, counted as the tally keeps them.
struct VisitCounts {
    outpatients: i64,
    first_patients: i64,
    registrations: i64,
    first_visits: i64,
}

/// A period's discharges and their follow-ups reached, counted as the tally keeps them.
struct DischargeCounts {
    discharges: i64,
    inpatients: i64,
    discharges_reached: i64,
    inpatients_reached: i64,
}

/// A period's counts from the records.
pub fn count(conn: &Conn, period: &Period) -> Result<Tally> {
    let (from, to) = (period.from.to_string(), period.to.to_string());
    let tz = crate::reference::get_hospital(conn)?.tz();
    let (start, end) = crate::clock::day_bounds(tz, period.from, period.to);
    let mut t = Tally::default();
    let visits = conn.row(
        concat!(
            "SELECT count(DISTINCT r.patient_id),
                    count(DISTINCT CASE WHEN r.visit_kind = 'first' THEN r.patient_id END),
                    count(*),
                    CAST(coalesce(sum(CASE WHEN r.visit_kind = 'first' THEN 1 ELSE 0 END), 0)
                         AS BIGINT)
             FROM registration r WHERE r.date >= ?1 AND r.date <= ?2 AND ",
            crate::holds_place_sql!("r")
        ),
        &[&from, &to],
        |r| {
            Ok(VisitCounts {
                outpatients: r.get(0)?,
                first_patients: r.get(1)?,
                registrations: r.get(2)?,
                first_visits: r.get(3)?,
            })
        },
    )?;
    t.outpatients = visits.outpatients;
    t.first_patients = visits.first_patients;
    t.registrations = visits.registrations;
    t.first_visits = visits.first_visits;
    // From the visits to their follow-ups (CROSS JOIN keeps SQLite from starting at the
    // follow-ups, of which there are years).
    t.first_reached = conn.value(
        concat!(
            "SELECT count(DISTINCT r.patient_id) FROM registration r CROSS JOIN followup f
             WHERE f.registration_id = r.id AND f.state = 'reached'
               AND r.date >= ?1 AND r.date <= ?2 AND r.visit_kind = 'first' AND ",
            crate::holds_place_sql!("r")
        ),
        &[&from, &to],
    )?;
    let discharged = conn.row(
        "SELECT count(*), count(DISTINCT x.patient_id),
                CAST(coalesce(sum(CASE WHEN f.state = 'reached' THEN 1 ELSE 0 END), 0) AS BIGINT),
                count(DISTINCT CASE WHEN f.state = 'reached' THEN x.patient_id END)
         FROM discharge x LEFT JOIN followup f ON f.discharge_id = x.id
         WHERE x.discharged_on >= ?1 AND x.discharged_on <= ?2",
        &[&from, &to],
        |r| {
            Ok(DischargeCounts {
                discharges: r.get(0)?,
                inpatients: r.get(1)?,
                discharges_reached: r.get(2)?,
                inpatients_reached: r.get(3)?,
            })
        },
    )?;
    t.discharges = discharged.discharges;
    t.inpatients = discharged.inpatients;
    t.discharges_reached = discharged.discharges_reached;
    t.inpatients_reached = discharged.inpatients_reached;
    let sum = |cond: &str| {
        format!("CAST(coalesce(sum(CASE WHEN {cond} THEN 1 ELSE 0 END), 0) AS BIGINT)")
    };
    let answers: [i64; 6] = conn.row(
        &format!(
            "SELECT {}, {}, {}, {}, count(*), {} FROM followup_answer
             WHERE at >= ?1 AND at < ?2",
            sum("registration IS NOT NULL"),
            sum("registration = 'dissatisfied'"),
            sum("guide IS NOT NULL"),
            sum("guide = 'dissatisfied'"),
            sum("overall = 'satisfied'"),
        ),
        &[&start, &end],
        |r| {
            Ok([
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ])
        },
    )?;
    [
        t.registration_answered,
        t.registration_dissatisfied,
        t.guide_answered,
        t.guide_dissatisfied,
        t.overall_answered,
        t.overall_satisfied,
    ] = answers;
    let forms: Vec<(String, String, i64)> = conn.all(
        "SELECT i.aspect, a.value, count(*) FROM survey_response s
         JOIN survey_answer a ON a.response_id = s.id
         JOIN questionnaire_item i ON i.id = a.item_id
         WHERE s.taken_on >= ?1 AND s.taken_on <= ?2 AND i.scale = 'satisfaction'
           AND i.aspect IN ('registration', 'guide', 'overall')
         GROUP BY i.aspect, a.value",
        &[&from, &to],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    for (aspect, value, n) in forms {
        let (answered, counted, wanted) = match aspect.as_str() {
            "registration" => (
                &mut t.registration_answered,
                &mut t.registration_dissatisfied,
                "dissatisfied",
            ),
            "guide" => (
                &mut t.guide_answered,
                &mut t.guide_dissatisfied,
                "dissatisfied",
            ),
            _ => (
                &mut t.overall_answered,
                &mut t.overall_satisfied,
                "satisfied",
            ),
        };
        *answered += n;
        if value == wanted {
            *counted += n;
        }
    }
    (t.complaints_feedback, t.complaints_satisfied) = conn.row(
        &format!(
            "SELECT count(*), {} FROM complaint
             WHERE closed_at >= ?1 AND closed_at < ?2 AND satisfied IS NOT NULL",
            sum("satisfied = 1")
        ),
        &[&start, &end],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    t.market_surveys = conn.value(
        "SELECT count(*) FROM market_survey WHERE held_on >= ?1 AND held_on <= ?2",
        &[&from, &to],
    )?;
    t.new_patients = conn.value(
        "SELECT count(*) FROM patient WHERE created_at >= ?1 AND created_at < ?2",
        &[&start, &end],
    )?;
    Ok(t)
}

fn cached(conn: &Conn, period: &Period) -> Result<Option<Tally>> {
    let rows: Vec<(String, i64)> = conn.all(
        "SELECT measure, value FROM quality_tally WHERE period_from = ?1 AND period_to = ?2",
        &[&period.from.to_string(), &period.to.to_string()],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let mut t = Tally::default();
    let mut found = 0;
    for (measure, value) in rows {
        if t.set(&measure, value) {
            found += 1;
        }
    }
    Ok((found == Tally::MEASURES.len()).then_some(t))
}

fn keep(tx: &Tx, period: &Period, t: &Tally) -> Result<()> {
    for (measure, value) in t.pairs() {
        tx.execute(
            "INSERT INTO quality_tally (period_from, period_to, measure, value)
             VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
            &[
                &period.from.to_string(),
                &period.to.to_string(),
                &measure,
                &value,
            ],
        )?;
    }
    Ok(())
}

/// The counts of each period without writing: an ended one's from the cache when kept, every
/// other counted from the records (for the status bar's flags, which a read may not keep).
pub fn tallies_read(conn: &Conn, periods: &[Period], today: NaiveDate) -> Result<Vec<Tally>> {
    let mut out = Vec::with_capacity(periods.len());
    for p in periods {
        let kept = if p.ended(today) {
            cached(conn, p)?
        } else {
            None
        };
        out.push(match kept {
            Some(t) => t,
            None => count(conn, p)?,
        });
    }
    Ok(out)
}

/// The counts of each period: an ended one's from the cache (computed and kept the first
/// time), the running one's from the records.
pub fn tallies(conn: &mut Conn, periods: &[Period], today: NaiveDate) -> Result<Vec<Tally>> {
    let mut out = Vec::with_capacity(periods.len());
    let mut missing = Vec::new();
    for (i, p) in periods.iter().enumerate() {
        let t = if p.ended(today) {
            cached(conn, p)?
        } else {
            Some(count(conn, p)?)
        };
        if t.is_none() {
            missing.push(i);
        }
        out.push(t.unwrap_or_default());
    }
    if !missing.is_empty() {
        let filled = store::derived(conn, |tx| {
            if tx.is_server() {
                tx.execute("LOCK TABLE quality_tally IN SHARE ROW EXCLUSIVE MODE", &[])?;
            }
            let mut filled = Vec::new();
            for &i in &missing {
                let t = count(tx, &periods[i])?;
                keep(tx, &periods[i], &t)?;
                filled.push((i, t));
            }
            Ok(filled)
        })?;
        for (i, t) in filled {
            out[i] = t;
        }
    }
    Ok(out)
}

/// After an audited write: empties the tallies of every period holding the day the changed
/// record counts on. A follow-up newly listed changes no count (only its reach does).
pub(crate) fn touched(tx: &Tx, table: Table, id: i64, created: bool) -> Result<()> {
    let sql = match table {
        Table::Registration => "SELECT date FROM registration WHERE id = ?1",
        Table::Followup if created => return Ok(()),
        Table::Followup => {
            "SELECT COALESCE(r.date, x.discharged_on) FROM followup f
             LEFT JOIN registration r ON r.id = f.registration_id
             LEFT JOIN discharge x ON x.id = f.discharge_id WHERE f.id = ?1"
        }
        Table::Discharge => "SELECT discharged_on FROM discharge WHERE id = ?1",
        Table::SurveyResponse => "SELECT taken_on FROM survey_response WHERE id = ?1",
        Table::MarketSurvey => "SELECT held_on FROM market_survey WHERE id = ?1",
        // The hospital's zone draws every day's bounds: a change empties all that is kept.
        Table::Hospital => {
            tx.execute("DELETE FROM quality_tally", &[])?;
            return Ok(());
        }
        Table::Complaint if !created => {
            let closed: Option<Option<i64>> =
                tx.value_opt("SELECT closed_at FROM complaint WHERE id = ?1", &[&id])?;
            if let Some(Some(at)) = closed {
                let tz = crate::reference::get_hospital(tx)?.tz();
                empty_day(tx, &crate::clock::business_date(tz, at).to_string())?;
            }
            return Ok(());
        }
        _ => return Ok(()),
    };
    let day: Option<Option<String>> = tx.value_opt(sql, &[&id])?;
    if let Some(Some(day)) = day {
        empty_day(tx, &day)?;
    }
    Ok(())
}

fn empty_day(tx: &Tx, day: &str) -> Result<()> {
    tx.execute(
        "DELETE FROM quality_tally WHERE period_to >= ?1 AND period_from <= ?1",
        &[&day],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn periods_are_weeks_months_quarters_and_years() {
        for (span, day, from, to, label) in [
            (
                Span::Week,
                "2026-12-02",
                "2026-11-30",
                "2026-12-06",
                "2026-W49",
            ),
            (
                Span::Week,
                "2027-01-01",
                "2026-12-28",
                "2027-01-03",
                "2026-W53",
            ),
            (
                Span::Month,
                "2024-02-10",
                "2024-02-01",
                "2024-02-29",
                "2024-02",
            ),
            (
                Span::Month,
                "2026-12-31",
                "2026-12-01",
                "2026-12-31",
                "2026-12",
            ),
            (
                Span::Quarter,
                "2026-11-15",
                "2026-10-01",
                "2026-12-31",
                "2026-Q4",
            ),
            (
                Span::Quarter,
                "2026-03-31",
                "2026-01-01",
                "2026-03-31",
                "2026-Q1",
            ),
            (Span::Year, "2026-07-01", "2026-01-01", "2026-12-31", "2026"),
        ] {
            let p = Period::containing(span, d(day));
            assert_eq!(
                (p.from, p.to, p.label.as_str()),
                (d(from), d(to), label),
                "{span:?} {day}"
            );
        }
        let months = last_periods(Span::Month, d("2026-03-15"), 12);
        assert_eq!(months.len(), 12);
        assert_eq!(months[0].label, "2025-04");
        assert_eq!(months[11].label, "2026-03");
        let quarters = last_periods(Span::Quarter, d("2026-03-15"), 12);
        assert_eq!(quarters[0].label, "2023-Q2");
        // Periods follow each other with no gap.
        for w in last_periods(Span::Week, d("2026-01-07"), 12).windows(2) {
            assert_eq!(w[0].to + Duration::days(1), w[1].from);
        }
    }
}
