//! The follow-up rates against the department's targets (manual section 2): outpatient
//! follow-up ≥ 60 % of first-visit patients, inpatient follow-up ≥ 95 % of discharges.
//!
//! Definitions (written on the screen too):
//! - Outpatient: the patients with a first visit (初诊, a registration that held its place) in
//!   the period; of them, those with a first-visit follow-up reached, whenever it was reached
//!   (a call reached after the period closed still counts for the period of the visit). A
//!   patient with two first visits in the period counts once; by department, once in each
//!   department visited.
//! - Inpatient: the discharges in the period; of them, those whose follow-up was reached. A
//!   discharge with no phone on file counts, unreached, until its number is found.
//! - By staff member: the follow-ups of those visits and discharges the member called (made an
//!   attempt at); of them, those the member reached.
//! - Reach per attempt: of the calls made at the 1st, 2nd, 3rd… attempt, how many reached the
//!   patient, so the hospital can choose how many attempts to make.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::FState;
use crate::error::{Error, Problem, Result};
use crate::ids::{DepartmentId, FollowupId, PatientId, StaffId};
use crate::store::Conn;

pub use crate::quality::targets::Rate;
use crate::quality::targets::{permille, target_on, Direction};

/// How a set of rates is judged: against the target in force when the period began (质量目标,
/// `first_visit_followup` and `discharge_followup`), once every call of the period has fallen due.
#[derive(Debug, Clone, Copy)]
struct Judge {
    target: i64,
    settled: bool,
}

impl Judge {
    fn rate(self, numerator: i64, denominator: i64) -> Rate {
        Rate::judged(
            numerator,
            denominator,
            self.target,
            Direction::AtLeast,
            self.settled,
        )
    }
}

/// One department's or one staff member's share.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Part {
    /// The department's or the staff member's id (0: no department recorded).
    pub id: i64,
    pub name: String,
    pub rate: Rate,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RateSet {
    pub overall: Rate,
    pub by_department: Vec<Part>,
    pub by_staff: Vec<Part>,
}

/// Calls made at one attempt number, and how many reached the patient.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct ReachAt {
    pub n: i64,
    pub tried: i64,
    pub reached: i64,
    /// reached ÷ tried in tenths of a percent.
    pub permille: Option<i64>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Rates {
    pub from: String,
    pub to: String,
    pub outpatient: RateSet,
    pub inpatient: RateSet,
    pub reach: Vec<ReachAt>,
}

/// One visit or discharge counted, with its follow-up.
#[derive(Debug, Clone)]
struct Counted {
    /// The patient (outpatient) or the discharge (inpatient): what the denominator counts.
    unit: i64,
    patient: PatientId,
    patient_name: String,
    department_id: i64,
    department: String,
    date: String,
    followup: Option<(FollowupId, FState)>,
    reached_by: Option<StaffId>,
    called_by: BTreeSet<StaffId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Which {
    Outpatient,
    Inpatient,
}

fn counted(conn: &Conn, which: Which, from: &str, to: &str) -> Result<Vec<Counted>> {
    let sql = match which {
        Which::Outpatient => concat!(
            "SELECT r.patient_id, r.patient_id, p.name, r.department_id, d.name, r.date, f.id,
                    f.state
             FROM registration r JOIN patient p ON p.id = r.patient_id
             JOIN department d ON d.id = r.department_id
             LEFT JOIN followup f ON f.registration_id = r.id
             WHERE r.date >= ?1 AND r.date <= ?2 AND r.visit_kind = 'first' AND ",
            crate::holds_place_sql!("r"),
            " ORDER BY r.date, r.id"
        ),
        Which::Inpatient => {
            "SELECT x.id, x.patient_id, p.name, COALESCE(x.department_id, 0),
                    COALESCE(d.name, ''), x.discharged_on, f.id, f.state
             FROM discharge x JOIN patient p ON p.id = x.patient_id
             LEFT JOIN department d ON d.id = x.department_id
             LEFT JOIN followup f ON f.discharge_id = x.id
             WHERE x.discharged_on >= ?1 AND x.discharged_on <= ?2
             ORDER BY x.discharged_on, x.id"
        }
    };
    let mut rows: Vec<Counted> = conn.all(sql, &[&from, &to], |r| {
        let f: Option<FollowupId> = r.get(6)?;
        let state: Option<FState> = r.get(7)?;
        Ok(Counted {
            unit: r.get(0)?,
            patient: r.get(1)?,
            patient_name: r.get(2)?,
            department_id: r.get(3)?,
            department: r.get(4)?,
            date: r.get(5)?,
            followup: f.zip(state),
            reached_by: None,
            called_by: BTreeSet::new(),
        })
    })?;
    // From the visits (or discharges) to their follow-ups to the calls: CROSS JOIN keeps
    // SQLite from reading years of calls to find a month's.
    let calls_sql = match which {
        Which::Outpatient => {
            "SELECT a.followup_id, a.staff_id, a.outcome FROM registration r
             CROSS JOIN followup f CROSS JOIN followup_attempt a
             WHERE f.registration_id = r.id AND a.followup_id = f.id
               AND r.date >= ?1 AND r.date <= ?2 AND r.visit_kind = 'first'"
        }
        Which::Inpatient => {
            "SELECT a.followup_id, a.staff_id, a.outcome FROM discharge x
             CROSS JOIN followup f CROSS JOIN followup_attempt a
             WHERE f.discharge_id = x.id AND a.followup_id = f.id
               AND x.discharged_on >= ?1 AND x.discharged_on <= ?2"
        }
    };
    let calls: Vec<(FollowupId, StaffId, super::Outcome)> =
        conn.all(calls_sql, &[&from, &to], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
    let mut by_followup: BTreeMap<FollowupId, (BTreeSet<StaffId>, Option<StaffId>)> =
        BTreeMap::new();
    for (f, staff, outcome) in calls {
        let e = by_followup.entry(f).or_default();
        e.0.insert(staff);
        if outcome == super::Outcome::Reached {
            e.1 = Some(staff);
        }
    }
    for row in &mut rows {
        if let Some((f, _)) = row.followup {
            if let Some((called, reached)) = by_followup.remove(&f) {
                row.called_by = called;
                row.reached_by = reached;
            }
        }
    }
    Ok(rows)
}

fn reached(c: &Counted) -> bool {
    matches!(c.followup, Some((_, FState::Reached)))
}

fn staff_names(conn: &Conn) -> Result<BTreeMap<StaffId, String>> {
    Ok(conn
        .all("SELECT id, display_name FROM staff", &[], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .into_iter()
        .collect())
}

fn set_of(rows: &[Counted], judge: Judge, names: &BTreeMap<StaffId, String>) -> RateSet {
    // The hospital: each unit once, reached if any of its rows is.
    let mut units: BTreeMap<i64, bool> = BTreeMap::new();
    let mut departments: BTreeMap<(String, i64), BTreeMap<i64, bool>> = BTreeMap::new();
    let mut staff: BTreeMap<StaffId, (i64, i64)> = BTreeMap::new();
    for c in rows {
        *units.entry(c.unit).or_default() |= reached(c);
        *departments
            .entry((c.department.clone(), c.department_id))
            .or_default()
            .entry(c.unit)
            .or_default() |= reached(c);
        for s in &c.called_by {
            let e = staff.entry(*s).or_default();
            e.1 += 1;
            if c.reached_by == Some(*s) {
                e.0 += 1;
            }
        }
    }
    let count = |m: &BTreeMap<i64, bool>| {
        judge.rate(m.values().filter(|r| **r).count() as i64, m.len() as i64)
    };
    RateSet {
        overall: count(&units),
        by_department: departments
            .iter()
            .map(|((name, id), m)| Part {
                id: *id,
                name: if name.is_empty() {
                    "未填科室".into()
                } else {
                    name.clone()
                },
                rate: count(m),
            })
            .collect(),
        by_staff: staff
            .iter()
            .map(|(s, (num, den))| Part {
                id: s.0,
                name: names.get(s).cloned().unwrap_or_default(),
                rate: judge.rate(*num, *den),
            })
            .collect(),
    }
}

fn period(from: &str, to: &str) -> Result<(NaiveDate, NaiveDate)> {
    let from = crate::validate::date("from", from)?;
    let to = crate::validate::date("to", to)?;
    if to < from {
        return Err(Error::invalid("to", Problem::BeforeStart));
    }
    Ok((from, to))
}

/// The rates of the period `from`–`to` as they stand on `today`.
pub fn rates(conn: &Conn, from: &str, to: &str, today: NaiveDate) -> Result<Rates> {
    let (f, t) = period(from, to)?;
    let settings = super::settings(conn)?;
    let due_by = |days: i64| t + chrono::Duration::days(days) < today;
    let outpatient = Judge {
        target: target_on(conn, "first_visit_followup", f)?,
        settled: due_by(settings.first_visit_days),
    };
    let inpatient = Judge {
        target: target_on(conn, "discharge_followup", f)?,
        settled: due_by(settings.discharge_days),
    };
    let (from, to) = (f.to_string(), t.to_string());
    let names = staff_names(conn)?;
    let out = counted(conn, Which::Outpatient, &from, &to)?;
    let inp = counted(conn, Which::Inpatient, &from, &to)?;
    let reach = conn.all(
        "SELECT t.n, count(*), CAST(coalesce(sum(t.ok), 0) AS BIGINT) FROM (
             SELECT a.n AS n, CASE WHEN a.outcome = 'reached' THEN 1 ELSE 0 END AS ok
             FROM registration r CROSS JOIN followup f CROSS JOIN followup_attempt a
             WHERE f.registration_id = r.id AND a.followup_id = f.id
               AND r.date >= ?1 AND r.date <= ?2 AND r.visit_kind = 'first'
             UNION ALL
             SELECT a.n AS n, CASE WHEN a.outcome = 'reached' THEN 1 ELSE 0 END AS ok
             FROM discharge x CROSS JOIN followup f CROSS JOIN followup_attempt a
             WHERE f.discharge_id = x.id AND a.followup_id = f.id
               AND x.discharged_on >= ?1 AND x.discharged_on <= ?2
         ) t GROUP BY t.n ORDER BY t.n",
        &[&from, &to],
        |r| {
            let (tried, reached) = (r.get(1)?, r.get(2)?);
            Ok(ReachAt {
                n: r.get(0)?,
                tried,
                reached,
                permille: permille(Direction::AtLeast, reached, tried),
            })
        },
    )?;
    Ok(Rates {
        outpatient: set_of(&out, outpatient, &names),
        inpatient: set_of(&inp, inpatient, &names),
        reach,
        from,
        to,
    })
}

/// Which number of the rates a list opens.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct RecordsOf {
    pub from: String,
    pub to: String,
    /// `outpatient` or `inpatient`.
    pub rate: String,
    /// `numerator` or `denominator`.
    pub part: String,
    #[serde(default)]
    pub department_id: Option<DepartmentId>,
    #[serde(default)]
    pub staff_id: Option<StaffId>,
}

/// One record a number counts.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Record {
    pub date: String,
    pub patient_id: PatientId,
    pub patient: String,
    pub department: String,
    pub followup_id: Option<FollowupId>,
    pub state: Option<FState>,
}

/// The records behind one number of [`rates`] (one line per unit it counts).
pub fn records(conn: &Conn, of: &RecordsOf) -> Result<Vec<Record>> {
    let (f, t) = period(&of.from, &of.to)?;
    let which = match of.rate.as_str() {
        "outpatient" => Which::Outpatient,
        "inpatient" => Which::Inpatient,
        _ => return Err(Error::invalid("view", Problem::Unknown)),
    };
    let numerator = match of.part.as_str() {
        "numerator" => true,
        "denominator" => false,
        _ => return Err(Error::invalid("view", Problem::Unknown)),
    };
    let rows = counted(conn, which, &f.to_string(), &t.to_string())?;
    let mut seen: BTreeMap<i64, usize> = BTreeMap::new();
    let mut out: Vec<Record> = Vec::new();
    for c in rows {
        if let Some(d) = of.department_id {
            if c.department_id != d.0 {
                continue;
            }
        }
        let counts = match of.staff_id {
            Some(s) if numerator => c.reached_by == Some(s),
            Some(s) => c.called_by.contains(&s),
            None if numerator => reached(&c),
            None => true,
        };
        if !counts {
            continue;
        }
        let record = Record {
            date: c.date.clone(),
            patient_id: c.patient,
            patient: c.patient_name.clone(),
            department: c.department.clone(),
            followup_id: c.followup.map(|(f, _)| f),
            state: c.followup.map(|(_, s)| s),
        };
        // A unit once; by staff, each follow-up called is its own line.
        if of.staff_id.is_none() {
            if let Some(i) = seen.get(&c.unit) {
                if reached(&c) && out[*i].state != Some(FState::Reached) {
                    out[*i] = record;
                }
                continue;
            }
            seen.insert(c.unit, out.len());
        }
        out.push(record);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rate_rounds_toward_missing_and_is_judged_once_settled() {
        // (numerator, denominator, target, shown, met)
        for (n, d, target, shown, met) in [
            (2, 3, 600, "66.6%", Some(true)),
            (3, 5, 600, "60.0%", Some(true)),
            (59, 100, 600, "59.0%", Some(false)),
            (1199, 2000, 600, "59.9%", Some(false)),
            (19, 20, 950, "95.0%", Some(true)),
            (94, 99, 950, "94.9%", Some(false)),
            (1, 8, 600, "12.5%", Some(false)),
            (0, 0, 950, "—", None),
            (0, 4, 600, "0.0%", Some(false)),
            (51, 198, 600, "25.7%", Some(false)),
        ] {
            let r = Judge {
                target,
                settled: true,
            }
            .rate(n, d);
            assert_eq!(r.shown(), shown, "{n}/{d}");
            assert_eq!(r.met, met, "{n}/{d} against {target}");
            assert!(!r.pending);
            let early = Judge {
                target,
                settled: false,
            }
            .rate(n, d);
            assert_eq!((early.shown(), early.met), (r.shown(), None));
            assert_eq!(early.pending, d > 0);
        }
    }
}
