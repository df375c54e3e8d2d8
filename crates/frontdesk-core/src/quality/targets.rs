//! The department's quality targets (部门质量目标, manual section 2) as data.
//!
//! Rules owned here:
//! - Each of the ten targets has a direction (at least, or at most) and a value, set from a
//!   date by the department head. A change is a new row from its date, never a rewrite (the
//!   database refuses one), and a date before today is refused: a past period keeps the target
//!   it was measured against. [`target_on`] is the target in force on a day.
//! - The operating indicators (各项经营指标: registrations, new patients, first visits) get
//!   monthly targets from the head; the latest setting for a month counts, the earlier ones
//!   stay. [`actuals`] counts what the desk did.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::audit::Table;
use crate::error::{Error, Problem, Result};
use crate::ids::StaffId;
use crate::store::{Conn, Tx};
use crate::validate;

/// A target's direction: the figure must reach it, or stay under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    AtLeast,
    AtMost,
}

/// 达标判定: a rate against its target, one rule for every screen, register and report that
/// shows one (the dashboard, 回访率, the complaint figures, 回访登记本, 投诉登记本, 质量月报):
/// the figure in tenths of a percent rounded toward missing the target (down for an at-least
/// target, up for an at-most one), so 59.95 % shows 59.9 % and never 60.0 % beside 未达标; and
/// the verdict — met, missed, or not judged yet (a follow-up rate until every call of its period
/// has fallen due) — or nothing to count.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct Rate {
    pub numerator: i64,
    pub denominator: i64,
    /// The target in force for the period, in tenths of a percent (600: 60 %).
    pub target: i64,
    pub direction: Direction,
    /// Tenths of a percent, rounded toward missing the target; `None` with nothing to count.
    pub permille: Option<i64>,
    /// `None` with nothing to count, or while not judged yet.
    pub met: Option<bool>,
    /// Counted, but not judged yet: the period's calls are not all due.
    pub pending: bool,
}

impl Rate {
    /// `numerator ÷ denominator` against `target`; `settled` says whether the period can be
    /// judged yet.
    pub fn judged(
        numerator: i64,
        denominator: i64,
        target: i64,
        direction: Direction,
        settled: bool,
    ) -> Rate {
        let counted = denominator > 0;
        Rate {
            numerator,
            denominator,
            target,
            direction,
            permille: permille(direction, numerator, denominator),
            met: (counted && settled).then(|| match direction {
                Direction::AtLeast => numerator * 1000 >= target * denominator,
                Direction::AtMost => numerator * 1000 <= target * denominator,
            }),
            pending: counted && !settled,
        }
    }

    /// `66.6%`, or `—` with nothing to count.
    pub fn shown(&self) -> String {
        shown(self.permille)
    }

    /// `≥ 60%`, `≤ 2%` ([`target_text`]).
    pub fn target_shown(&self) -> String {
        target_text(self.direction, true, self.target)
    }

    /// 达标 / 未达标 / 待考核 / 无数据, as the registers and the report print it.
    pub fn verdict(&self, lang: crate::i18n::Lang) -> &'static str {
        let zh = lang == crate::i18n::Lang::Zh;
        match (self.met, self.pending) {
            (Some(true), _) => {
                if zh {
                    "达标"
                } else {
                    "met"
                }
            }
            (Some(false), _) => {
                if zh {
                    "未达标"
                } else {
                    "missed"
                }
            }
            (None, true) => {
                if zh {
                    "待考核"
                } else {
                    "not judged yet"
                }
            }
            (None, false) => {
                if zh {
                    "无数据"
                } else {
                    "no data"
                }
            }
        }
    }
}

/// n ÷ d in tenths of a percent, rounded toward missing a target of `direction`; `None` when
/// d is 0. A share with no target (reach per attempt, an answer's share) is an at-least one.
pub fn permille(direction: Direction, n: i64, d: i64) -> Option<i64> {
    (d > 0).then(|| match direction {
        Direction::AtLeast => n * 1000 / d,
        Direction::AtMost => (n * 1000 + d - 1) / d,
    })
}

/// Tenths of a percent as the desk reads them: `66.6%`, or `—`.
pub fn shown(permille: Option<i64>) -> String {
    match permille {
        Some(p) => format!("{}.{}%", p / 10, p % 10),
        None => "—".into(),
    }
}

/// A target as every screen, register and report prints it: a rate `≥ 98%`, `≥ 98.5%`,
/// `≤ 2%` (a whole percent without its `.0`); a count (market surveys) `≥ 6`, the reader's
/// language adding its unit.
pub fn target_text(direction: Direction, rate: bool, value: i64) -> String {
    let sign = match direction {
        Direction::AtLeast => "≥",
        Direction::AtMost => "≤",
    };
    if rate {
        format!("{sign} {}", shown(Some(value)).replace(".0%", "%"))
    } else {
        format!("{sign} {value}")
    }
}

/// One of the ten: its code, its name, its direction, its default (tenths of a percent; market
/// surveys: a count per month), and whether it is a rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Spec {
    pub code: &'static str,
    pub name: &'static str,
    pub direction: Direction,
    pub default: i64,
    pub rate: bool,
}

const fn spec(
    code: &'static str,
    name: &'static str,
    direction: Direction,
    default: i64,
    rate: bool,
) -> Spec {
    Spec {
        code,
        name,
        direction,
        default,
        rate,
    }
}

/// The ten targets of manual section 2, in its order.
pub const TARGETS: [Spec; 10] = [
    spec(
        "outpatient_followup",
        "门诊病人回访率",
        Direction::AtLeast,
        200,
        true,
    ),
    spec(
        "first_visit_followup",
        "门诊初诊病人回访率",
        Direction::AtLeast,
        600,
        true,
    ),
    spec(
        "inpatient_followup",
        "住院病人回访率",
        Direction::AtLeast,
        950,
        true,
    ),
    spec(
        "discharge_followup",
        "出院病人回访率",
        Direction::AtLeast,
        950,
        true,
    ),
    spec(
        "registration_dissatisfaction",
        "挂号不满意率",
        Direction::AtMost,
        20,
        true,
    ),
    spec(
        "guide_dissatisfaction",
        "导医不满意率",
        Direction::AtMost,
        20,
        true,
    ),
    spec(
        "patient_satisfaction",
        "患者满意率",
        Direction::AtLeast,
        950,
        true,
    ),
    spec(
        "operating_completion",
        "各项经营指标完成率",
        Direction::AtLeast,
        900,
        true,
    ),
    spec(
        "complaint_satisfaction",
        "病人投诉处理满意率",
        Direction::AtLeast,
        980,
        true,
    ),
    spec(
        "market_surveys",
        "市场调查（每月次数）",
        Direction::AtLeast,
        1,
        false,
    ),
];

pub fn spec_of(code: &str) -> Option<&'static Spec> {
    TARGETS.iter().find(|s| s.code == code)
}

/// The target in force on `day` (the latest set from that day or before; the default when
/// none is).
pub fn target_on(conn: &Conn, code: &str, day: NaiveDate) -> Result<i64> {
    let spec = spec_of(code).ok_or(Error::invalid("target_code", Problem::Unknown))?;
    Ok(conn
        .value_opt(
            "SELECT value FROM quality_target WHERE code = ?1 AND from_date <= ?2
             ORDER BY from_date DESC LIMIT 1",
            &[&code, &day.to_string()],
        )?
        .unwrap_or(spec.default))
}

/// One setting of a target, as the history shows it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Setting {
    pub code: String,
    pub value: i64,
    /// The value as printed ([`target_text`]).
    pub shown: String,
    pub from_date: String,
    pub set_by: Option<String>,
    pub set_at: i64,
}

pub fn history(conn: &Conn) -> Result<Vec<Setting>> {
    conn.all(
        "SELECT t.code, t.value, t.from_date, s.display_name, t.set_at FROM quality_target t
         LEFT JOIN staff s ON s.id = t.set_by ORDER BY t.code, t.from_date",
        &[],
        |r| {
            let code: String = r.get(0)?;
            let value: i64 = r.get(1)?;
            Ok(Setting {
                shown: spec_of(&code)
                    .map(|s| target_text(s.direction, s.rate, value))
                    .unwrap_or_else(|| value.to_string()),
                code,
                value,
                from_date: r.get(2)?,
                set_by: r.get(3)?,
                set_at: r.get(4)?,
            })
        },
    )
}

#[derive(Debug, Clone, Deserialize, Default)]
pub struct TargetInput {
    #[serde(default)]
    pub code: String,
    /// A rate as typed (`60`, `97.5`, in percent); market surveys a whole count.
    #[serde(default)]
    pub value: String,
    /// `YYYY-MM-DD`, today or later.
    #[serde(default)]
    pub from_date: String,
}

/// `97.5` → 975 (tenths of a percent).
fn typed_permille(text: &str) -> Option<i64> {
    let t = text.trim().trim_end_matches('%').trim();
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    if whole.is_empty() || frac.len() > 1 || !whole.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    if !frac.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let w: i64 = whole.parse().ok()?;
    let f: i64 = if frac.is_empty() {
        0
    } else {
        frac.parse().ok()?
    };
    Some(w * 10 + f)
}

/// A target set from a date (today or later), audited; returns its value.
pub fn set_target(tx: &mut Tx, by: StaffId, input: &TargetInput, today: NaiveDate) -> Result<i64> {
    let spec = spec_of(input.code.trim()).ok_or(Error::invalid("target_code", Problem::Unknown))?;
    let value = if spec.rate {
        let v = typed_permille(&input.value)
            .ok_or(Error::invalid("target_value", Problem::BadFormat))?;
        if v > 1000 {
            return Err(Error::invalid("target_value", Problem::OutOfRange(0, 100)));
        }
        v
    } else {
        let v: i64 = input
            .value
            .trim()
            .parse()
            .map_err(|_| Error::invalid("target_value", Problem::BadFormat))?;
        validate::range("target_value", v, 0, 100)?
    };
    let from = validate::date("from_date", &input.from_date)?;
    if from < today {
        return Err(Error::invalid("from_date", Problem::Past));
    }
    let taken: Option<i64> = tx.value_opt(
        "SELECT id FROM quality_target WHERE code = ?1 AND from_date = ?2",
        &[&spec.code, &from.to_string()],
    )?;
    if taken.is_some() {
        return Err(Error::invalid("from_date", Problem::Taken));
    }
    let id: i64 = tx.insert(
        "INSERT INTO quality_target (code, value, from_date, set_by, set_at)
         VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
        &[&spec.code, &value, &from.to_string(), &by, &tx.now],
    )?;
    tx.record("quality_target.set", Table::QualityTarget, id, None)?;
    Ok(value)
}

// ---- the operating indicators ------------------------------------------------------------------

pub const INDICATORS: [(&str, &str); 3] = [
    ("registrations", "挂号人次"),
    ("new_patients", "新患者数"),
    ("first_visits", "初诊人次"),
];

#[derive(Debug, Clone, Deserialize, Default)]
pub struct OperatingInput {
    /// `YYYY-MM`
    #[serde(default)]
    pub month: String,
    #[serde(default)]
    pub indicator: String,
    #[serde(default)]
    pub value: String,
}

fn month_of(text: &str) -> Result<NaiveDate> {
    validate::date("month", &format!("{}-01", text.trim()))
        .map_err(|_| Error::invalid("month", Problem::BadFormat))
}

/// A month's target for an indicator (this month or a later one); a later setting supersedes.
pub fn set_operating(
    tx: &mut Tx,
    by: StaffId,
    input: &OperatingInput,
    today: NaiveDate,
) -> Result<()> {
    let first = month_of(&input.month)?;
    let this_month = today.with_day0(0).unwrap_or(today);
    if first < this_month {
        return Err(Error::invalid("month", Problem::Past));
    }
    let indicator = input.indicator.trim();
    if !INDICATORS.iter().any(|(c, _)| *c == indicator) {
        return Err(Error::invalid("indicator", Problem::Unknown));
    }
    let value: i64 = input
        .value
        .trim()
        .parse()
        .map_err(|_| Error::invalid("target_value", Problem::BadFormat))?;
    validate::range("target_value", value, 1, 10_000_000)?;
    let month = first.format("%Y-%m").to_string();
    let id: i64 = tx.insert(
        "INSERT INTO operating_target (month, indicator, value, set_by, set_at)
         VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
        &[&month, &indicator, &value, &by, &tx.now],
    )?;
    tx.record("operating_target.set", Table::OperatingTarget, id, None)
}

use chrono::Datelike;

/// One indicator of a month: its target (the latest setting) and what the desk did.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Actual {
    pub month: String,
    pub indicator: String,
    pub name: String,
    pub target: Option<i64>,
    pub actual: i64,
    /// actual ÷ target in tenths of a percent (None without a target).
    pub completion: Option<i64>,
}

/// A month's operating indicators: registrations that held their place, patients first seen
/// (created) in the month, first-visit registrations.
pub fn actuals(conn: &Conn, month: &str) -> Result<Vec<Actual>> {
    let first = month_of(month)?;
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
    }
    .ok_or(Error::invalid("month", Problem::BadFormat))?;
    let last = next.pred_opt().unwrap_or(next);
    let (from, to) = (first.to_string(), last.to_string());
    let month = first.format("%Y-%m").to_string();
    let registrations: i64 = conn.value(
        concat!(
            "SELECT count(*) FROM registration r WHERE r.date >= ?1 AND r.date <= ?2 AND ",
            crate::holds_place_sql!("r")
        ),
        &[&from, &to],
    )?;
    let first_visits: i64 = conn.value(
        concat!(
            "SELECT count(*) FROM registration r WHERE r.date >= ?1 AND r.date <= ?2
               AND r.visit_kind = 'first' AND ",
            crate::holds_place_sql!("r")
        ),
        &[&from, &to],
    )?;
    let tz = crate::reference::get_hospital(conn)?.tz();
    let (start, end) = crate::clock::day_bounds(tz, first, last);
    let new_patients: i64 = conn.value(
        "SELECT count(*) FROM patient WHERE created_at >= ?1 AND created_at < ?2",
        &[&start, &end],
    )?;
    let mut out = Vec::new();
    for (code, name) in INDICATORS {
        let target: Option<i64> = conn.value_opt(
            "SELECT value FROM operating_target WHERE month = ?1 AND indicator = ?2
             ORDER BY id DESC LIMIT 1",
            &[&month, &code],
        )?;
        let actual = match code {
            "registrations" => registrations,
            "new_patients" => new_patients,
            _ => first_visits,
        };
        out.push(Actual {
            month: month.clone(),
            indicator: code.to_string(),
            name: name.to_string(),
            completion: target.and_then(|t| permille(Direction::AtLeast, actual, t)),
            target,
            actual,
        });
    }
    Ok(out)
}

/// The defaults, in force from the start, for a new hospital and (migration 0014) one already
/// working.
pub fn seed(tx: &mut Tx) -> Result<()> {
    for spec in TARGETS {
        let id: i64 = tx.insert(
            "INSERT INTO quality_target (code, value, from_date, set_by, set_at)
             VALUES (?1, ?2, '2000-01-01', NULL, ?3) RETURNING id",
            &[&spec.code, &spec.default, &tx.now],
        )?;
        tx.record("quality_target.set", Table::QualityTarget, id, None)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::typed_permille;

    #[test]
    fn a_rate_is_typed_in_percent() {
        for (typed, want) in [
            ("60", Some(600)),
            ("97.5", Some(975)),
            ("2%", Some(20)),
            (" 0.5 ", Some(5)),
            ("100", Some(1000)),
            ("9.75", None),
            ("六十", None),
            ("", None),
            ("-1", None),
            (".5", None),
        ] {
            assert_eq!(typed_permille(typed), want, "{typed:?}");
        }
    }
}
