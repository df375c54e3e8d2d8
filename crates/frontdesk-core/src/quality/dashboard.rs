//! 质量看板: the ten targets of manual section 2 as tiles — each period's figure against the
//! target in force when the period began, whether it is met, its trend over the last twelve
//! periods, an early warning, how it is computed, and the records behind it.
//!
//! Rules owned here:
//! - A period is measured against the target in force on its first day ([`target_on`]), so a
//!   change the head makes applies from the first period that begins on or after its date, and
//!   a past period keeps the target it was measured against.
//! - A rate is met when numerator ÷ denominator reaches the target (at most, for the two
//!   dissatisfaction rates); a period with nothing to count has no figure and no verdict.
//! - Operating completion is the mean, over the indicators the head set targets for, of actual
//!   ÷ target; a week's or a quarter's target is the months' targets shared by day, and a
//!   period still running is measured against the share of its days gone by (时间进度).
//! - Market surveys are counted against the monthly target times the months of the period; a
//!   week is not judged (the target is monthly), a running period is missed only once it ends.
//! - Early warning ([`rule`]): a target missed in the period shown; or a rate still met but
//!   worse in each of the last three periods and within 2 points of its target; or, for market
//!   surveys, past the middle of the period with fewer held than its target.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::figures::{last_periods, tallies, tallies_read, Period, Span, Tally};
use super::targets::{permille, spec_of, target_on, Direction, Rate, Spec, INDICATORS, TARGETS};
use crate::error::Result;
use crate::i18n::Lang;
use crate::store::Conn;

/// How many periods a tile's trend shows.
pub const TREND: usize = 12;

/// A tile's state for the period shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Met,
    Missed,
    /// Met, or not yet judged, but heading for a miss by [`rule`].
    Warning,
    /// Not judged yet (a running period's market surveys; a week's).
    Pending,
    NoData,
}

/// One period of a tile: its figure (tenths of a percent, or a count) against its target.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Point {
    pub label: String,
    pub from: String,
    pub to: String,
    pub numerator: Option<i64>,
    pub denominator: Option<i64>,
    pub value: Option<i64>,
    /// The target this period is measured against (for market surveys: times its months).
    pub target: Option<i64>,
    /// The target as printed ([`super::targets::target_text`]).
    pub target_shown: Option<String>,
    pub met: Option<bool>,
}

/// An operating indicator's share of the completion figure.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Indicator {
    pub code: String,
    pub name: String,
    pub actual: i64,
    /// The period's target (the months' shared by day, to the days gone by).
    pub target: i64,
    pub completion: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Tile {
    pub spec: Spec,
    /// The period shown (the last of the trend).
    pub now: Point,
    pub status: Status,
    /// Why the tile is flagged, in words (None when it is not).
    pub warning: Option<String>,
    pub trend: Vec<Point>,
    pub definition: String,
    pub indicators: Vec<Indicator>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Dashboard {
    pub span: Span,
    pub period: Period,
    pub periods: Vec<Period>,
    pub tiles: Vec<Tile>,
    pub rule: String,
    /// Tiles missed or warned.
    pub flagged: usize,
}

/// The early-warning rule as the tiles print it.
pub fn rule(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "预警：本期未达标；或比率仍达标但连续三期变差、距目标不足 2 个百分点；或市场调查本期已过半仍少于目标次数。",
        Lang::En => "Warning: missed this period; or a rate still met but worse three periods running and within 2 points of its target; or market surveys past the middle of the period with fewer than the target.",
    }
}

/// How a tile is computed, as it says on the tile and in the monthly report.
pub fn definition(code: &str, lang: Lang) -> &'static str {
    match (code, lang) {
        ("outpatient_followup", Lang::Zh) => "分子：本期就诊病人中，其初诊回访已接通的人数（回访接通于期后也计入就诊当期）；分母：本期挂号有效的门诊病人数（同一病人计一次）。",
        ("outpatient_followup", Lang::En) => "Numerator: patients seen this period whose first-visit follow-up was reached (a call reached after the period counts for the visit's period). Denominator: patients with a registration that held its place this period (each once).",
        ("first_visit_followup", Lang::Zh) => "分子：本期初诊病人中回访已接通的人数；分母：本期挂号有效的初诊病人数（同一病人计一次）。与回访率页的门诊回访率相同。",
        ("first_visit_followup", Lang::En) => "Numerator: first-visit patients of the period whose follow-up was reached. Denominator: patients with a first visit that held its place this period (each once). The same as the follow-up screen's outpatient rate.",
        ("inpatient_followup", Lang::Zh) => "分子：本期出院病人中回访已接通的人数；分母：本期出院病人数（同一病人多次出院计一次）。",
        ("inpatient_followup", Lang::En) => "Numerator: patients discharged this period whose discharge follow-up was reached. Denominator: patients discharged this period (each once).",
        ("discharge_followup", Lang::Zh) => "分子：本期出院中回访已接通的出院人次；分母：本期出院人次（无电话者也计入，未接通）。与回访率页的住院回访率相同。",
        ("discharge_followup", Lang::En) => "Numerator: discharges of the period whose follow-up was reached. Denominator: discharges of the period (one with no phone counts, unreached). The same as the follow-up screen's inpatient rate.",
        ("registration_dissatisfaction", Lang::Zh) => "分子：对挂号评价为“不满意”的回答数；分母：对挂号作出评价的回答数（满意、一般、不满意）。回访电话的挂号评价（按回访日期）与问卷中评挂号的题目（按填表日期）都计入；未问、未填不计。",
        ("registration_dissatisfaction", Lang::En) => "Numerator: answers rating registration 不满意. Denominator: answers rating registration (满意, 一般, 不满意). A follow-up call's rating (by the call's date) and a survey item on registration (by the form's date) both count; not asked or left blank does not.",
        ("guide_dissatisfaction", Lang::Zh) => "分子：对导医评价为“不满意”的回答数；分母：对导医作出评价的回答数。回访电话与问卷中评导医的题目都计入；未问、未填不计。",
        ("guide_dissatisfaction", Lang::En) => "Numerator: answers rating the guide desk 不满意. Denominator: answers rating the guide desk. Follow-up calls and survey items on the guide desk both count; not asked or blank does not.",
        ("patient_satisfaction", Lang::Zh) => "分子：总体评价为“满意”的回答数；分母：作出总体评价的回答数。回访电话的总体评价与问卷中总体评价的题目都计入。",
        ("patient_satisfaction", Lang::En) => "Numerator: overall ratings of 满意. Denominator: overall ratings given. A follow-up call's overall rating and a survey's overall item both count.",
        ("operating_completion", Lang::Zh) => "各项经营指标（挂号人次、新患者数、初诊人次）中已设本月目标者，实际 ÷ 目标的平均值；周、季、年的目标按天分摊各月目标，进行中的一期按已过天数（至昨日，时间进度）计。",
        ("operating_completion", Lang::En) => "The mean, over the operating indicators with a monthly target (registrations, new patients, first visits), of actual ÷ target. A week's, quarter's or year's target is the months' shared by day; a running period is measured against the days gone by (through yesterday).",
        ("complaint_satisfaction", Lang::Zh) => "分子：本期结案且投诉人表示满意的投诉数；分母：本期结案并有投诉人反馈的投诉数（按结案日期）。",
        ("complaint_satisfaction", Lang::En) => "Numerator: complaints closed this period with the complainant satisfied. Denominator: complaints closed this period with the complainant's feedback (by the closing date).",
        ("market_surveys", Lang::Zh) => "本期开展的市场调查次数（按调查日期），对照每月目标次数 × 本期月数；按周不考核。",
        ("market_surveys", Lang::En) => "Market surveys held this period (by their date), against the monthly target times the months of the period; weeks are not judged.",
        _ => "",
    }
}

/// Numerator and denominator of a rate tile from a period's counts.
fn fraction(code: &str, t: &Tally) -> Option<(i64, i64)> {
    Some(match code {
        "outpatient_followup" => (t.first_reached, t.outpatients),
        "first_visit_followup" => (t.first_reached, t.first_patients),
        "inpatient_followup" => (t.inpatients_reached, t.inpatients),
        "discharge_followup" => (t.discharges_reached, t.discharges),
        "registration_dissatisfaction" => (t.registration_dissatisfied, t.registration_answered),
        "guide_dissatisfaction" => (t.guide_dissatisfied, t.guide_answered),
        "patient_satisfaction" => (t.overall_satisfied, t.overall_answered),
        "complaint_satisfaction" => (t.complaints_satisfied, t.complaints_feedback),
        _ => return None,
    })
}

/// Months (first days) overlapping a period, with the days of each inside it up to `last`.
fn month_shares(from: NaiveDate, last: NaiveDate) -> Vec<(String, i64, i64)> {
    let mut out = Vec::new();
    let mut day = from;
    while day <= last {
        let month = Period::containing(Span::Month, day);
        let until = month.to.min(last);
        out.push((
            month.label.clone(),
            (until - day).num_days() + 1,
            month.days(),
        ));
        day = until + chrono::Duration::days(1);
    }
    out
}

/// The latest operating target of each (month, indicator) over a range of months.
fn operating_targets(
    conn: &Conn,
    first: &str,
    last: &str,
) -> Result<BTreeMap<(String, String), i64>> {
    let rows: Vec<(String, String, i64)> = conn.all(
        "SELECT month, indicator, value FROM operating_target
         WHERE month >= ?1 AND month <= ?2 ORDER BY id",
        &[&first, &last],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    Ok(rows.into_iter().map(|(m, i, v)| ((m, i), v)).collect())
}

fn operating(
    p: &Period,
    t: &Tally,
    today: NaiveDate,
    targets: &BTreeMap<(String, String), i64>,
) -> Vec<Indicator> {
    // A running period is measured against its days gone by: through yesterday (today's
    // registrations are still coming). On its first day there is nothing to judge yet.
    let last = p.to.min(today - chrono::Duration::days(1));
    if last < p.from {
        return Vec::new();
    }
    let shares = month_shares(p.from, last);
    let mut out = Vec::new();
    for (code, name) in INDICATORS {
        // Every month of the period needs its target, or the indicator is not counted.
        let mut sum = 0_i64;
        let mut complete = true;
        for (month, days, of) in &shares {
            match targets.get(&(month.clone(), code.to_string())) {
                Some(v) => sum += (v * days * 2 + of) / (2 * of),
                None => complete = false,
            }
        }
        if !complete || sum == 0 {
            continue;
        }
        let actual = match code {
            "registrations" => t.registrations,
            "new_patients" => t.new_patients,
            _ => t.first_visits,
        };
        out.push(Indicator {
            code: code.to_string(),
            name: name.to_string(),
            actual,
            target: sum,
            completion: permille(Direction::AtLeast, actual, sum).unwrap_or(0),
        });
    }
    out
}

fn months_in(span: Span) -> Option<i64> {
    match span {
        Span::Week => None,
        Span::Month => Some(1),
        Span::Quarter => Some(3),
        Span::Year => Some(12),
    }
}

/// What every point of a dashboard is judged with.
struct Ctx {
    today: NaiveDate,
    ops: BTreeMap<(String, String), i64>,
    /// Days after a first visit, and after a discharge, that its call falls due.
    first_days: i64,
    discharge_days: i64,
}

/// The days after a period's end until its follow-up calls are all due (None: not a follow-up
/// rate).
fn due_after(code: &str, ctx: &Ctx) -> Option<i64> {
    match code {
        "outpatient_followup" | "first_visit_followup" => Some(ctx.first_days),
        "inpatient_followup" | "discharge_followup" => Some(ctx.discharge_days),
        _ => None,
    }
}

fn point(
    conn: &Conn,
    spec: &Spec,
    span: Span,
    p: &Period,
    t: &Tally,
    ctx: &Ctx,
) -> Result<(Point, Vec<Indicator>)> {
    let (today, ops) = (ctx.today, &ctx.ops);
    let target = target_on(conn, spec.code, p.from)?;
    let mut point = Point {
        label: p.label.clone(),
        from: p.from.to_string(),
        to: p.to.to_string(),
        numerator: None,
        denominator: None,
        value: None,
        target: Some(target),
        target_shown: None,
        met: None,
    };
    let mut indicators = Vec::new();
    if let Some((n, d)) = fraction(spec.code, t) {
        // A follow-up rate is judged once every call of the period has fallen due.
        let settled = due_after(spec.code, ctx)
            .is_none_or(|days| p.to + chrono::Duration::days(days) < today);
        let rate = Rate::judged(n, d, target, spec.direction, settled);
        point.numerator = Some(n);
        point.denominator = Some(d);
        point.value = rate.permille;
        point.met = rate.met;
    } else if spec.code == "operating_completion" {
        indicators = operating(p, t, today, ops);
        if !indicators.is_empty() {
            let sum: i64 = indicators.iter().map(|i| i.completion).sum();
            let n = indicators.len() as i64;
            let mean = (sum * 2 + n) / (2 * n);
            point.value = Some(mean);
            point.met = Some(mean >= target);
        }
    } else {
        point.value = Some(t.market_surveys);
        match months_in(span) {
            None => point.target = None,
            Some(m) => {
                let wanted = target * m;
                point.target = Some(wanted);
                point.met = if t.market_surveys >= wanted {
                    Some(true)
                } else if p.ended(today) {
                    Some(false)
                } else {
                    None
                };
            }
        }
    }
    point.target_shown = point
        .target
        .map(|v| super::targets::target_text(spec.direction, spec.rate, v));
    Ok((point, indicators))
}

/// Worse: lower for an at-least target, higher for an at-most one.
fn worse(direction: Direction, before: i64, after: i64) -> bool {
    match direction {
        Direction::AtLeast => after < before,
        Direction::AtMost => after > before,
    }
}

fn judge(
    spec: &Spec,
    trend: &[Point],
    p: &Period,
    today: NaiveDate,
    lang: Lang,
) -> (Status, Option<String>) {
    let now = &trend[trend.len() - 1];
    let zh = lang == Lang::Zh;
    let follow_up = matches!(
        spec.code,
        "outpatient_followup"
            | "first_visit_followup"
            | "inpatient_followup"
            | "discharge_followup"
    );
    if follow_up && now.value.is_some() && now.met.is_none() {
        return (
            Status::Pending,
            Some(
                if zh {
                    "本期回访尚未全部到期，到期后考核"
                } else {
                    "not every call of the period is due yet: judged once they are"
                }
                .into(),
            ),
        );
    }
    if now.met == Some(false) {
        return (
            Status::Missed,
            Some(
                if zh {
                    "本期未达标"
                } else {
                    "missed this period"
                }
                .into(),
            ),
        );
    }
    if spec.code == "market_surveys" {
        let (Some(target), Some(held)) = (now.target, now.value) else {
            return (Status::Pending, None);
        };
        if now.met == Some(true) {
            return (Status::Met, None);
        }
        let gone = (today.min(p.to) - p.from).num_days() + 1;
        if gone * 2 > p.days() && held < target {
            return (
                Status::Warning,
                Some(
                    if zh {
                        "本期已过半，市场调查次数未达目标"
                    } else {
                        "past the middle of the period, fewer surveys than the target"
                    }
                    .into(),
                ),
            );
        }
        return (Status::Pending, None);
    }
    let Some(value) = now.value else {
        return (Status::NoData, None);
    };
    let last4: Vec<i64> = trend.iter().rev().take(4).filter_map(|p| p.value).collect();
    if spec.rate && last4.len() == 4 {
        let falling = (0..3).all(|i| worse(spec.direction, last4[i + 1], last4[i]));
        let target = now.target.unwrap_or(spec.default);
        if falling && (value - target).abs() < 20 {
            return (
                Status::Warning,
                Some(
                    if zh {
                        "连续三期变差，距目标不足 2 个百分点"
                    } else {
                        "worse three periods running, within 2 points of the target"
                    }
                    .into(),
                ),
            );
        }
    }
    (Status::Met, None)
}

/// The ten tiles for the period of `span` holding `day`, each with the trend of the twelve
/// periods up to it.
pub fn dashboard(
    conn: &mut Conn,
    span: Span,
    day: NaiveDate,
    today: NaiveDate,
    lang: Lang,
) -> Result<Dashboard> {
    let periods = last_periods(span, day, TREND);
    let counts = tallies(conn, &periods, today)?;
    tiles(conn, span, periods, &counts, today, lang)
}

/// The tiles flagged this month (missed, or warned by [`rule`]), for the status bar of
/// supervisors and the head: read only, over the four months the rule looks at.
pub fn flags(conn: &Conn, today: NaiveDate, lang: Lang) -> Result<Flags> {
    let periods = last_periods(Span::Month, today, 4);
    let counts = tallies_read(conn, &periods, today)?;
    Ok(Flags::of(&tiles(
        conn,
        Span::Month,
        periods,
        &counts,
        today,
        lang,
    )?))
}

/// This month's flagged tiles, by name.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Default)]
pub struct Flags {
    pub missed: Vec<String>,
    pub warned: Vec<String>,
    /// Checks of the plan this person makes: due in the running period, and missed in the
    /// period before it.
    pub checks_due: usize,
    pub checks_missed: usize,
}

impl Flags {
    pub fn of(d: &Dashboard) -> Flags {
        let named = |s: Status| {
            d.tiles
                .iter()
                .filter(|t| t.status == s)
                .map(|t| t.spec.name.to_string())
                .collect()
        };
        Flags {
            missed: named(Status::Missed),
            warned: named(Status::Warning),
            checks_due: 0,
            checks_missed: 0,
        }
    }
}

fn tiles(
    conn: &Conn,
    span: Span,
    periods: Vec<Period>,
    counts: &[Tally],
    today: NaiveDate,
    lang: Lang,
) -> Result<Dashboard> {
    let n = periods.len();
    let settings = crate::followup::settings(conn)?;
    let ctx = Ctx {
        today,
        ops: operating_targets(
            conn,
            &periods[0].from.format("%Y-%m").to_string(),
            &periods[n - 1].to.format("%Y-%m").to_string(),
        )?,
        first_days: settings.first_visit_days,
        discharge_days: settings.discharge_days,
    };
    let mut tiles = Vec::new();
    for spec in TARGETS {
        let mut trend = Vec::with_capacity(n);
        let mut indicators = Vec::new();
        for (p, t) in periods.iter().zip(counts) {
            let (pt, ind) = point(conn, &spec, span, p, t, &ctx)?;
            trend.push(pt);
            indicators = ind;
        }
        let (status, warning) = judge(&spec, &trend, &periods[n - 1], today, lang);
        tiles.push(Tile {
            now: trend[n - 1].clone(),
            status,
            warning,
            trend,
            definition: definition(spec.code, lang).to_string(),
            indicators,
            spec,
        });
    }
    let flagged = tiles
        .iter()
        .filter(|t| matches!(t.status, Status::Missed | Status::Warning))
        .count();
    Ok(Dashboard {
        span,
        period: periods[n - 1].clone(),
        periods,
        tiles,
        rule: rule(lang).to_string(),
        flagged,
    })
}

/// Whether a code names one of the ten.
pub fn known(code: &str) -> bool {
    spec_of(code).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trend(values: &[Option<i64>], target: i64, direction: Direction) -> Vec<Point> {
        values
            .iter()
            .map(|v| Point {
                label: String::new(),
                from: String::new(),
                to: String::new(),
                numerator: None,
                denominator: None,
                value: *v,
                target: Some(target),
                target_shown: None,
                met: v.map(|v| match direction {
                    Direction::AtLeast => v >= target,
                    Direction::AtMost => v <= target,
                }),
            })
            .collect()
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_warning_rule_is_what_the_tile_says() {
        let first = *spec_of("first_visit_followup").unwrap();
        let dissatisfaction = *spec_of("registration_dissatisfaction").unwrap();
        let p = Period::containing(Span::Month, day("2026-11-15"));
        let today = day("2026-12-02");
        let status = |spec: &Spec, values: &[Option<i64>]| {
            let target = spec.default;
            judge(
                spec,
                &trend(values, target, spec.direction),
                &p,
                today,
                Lang::Zh,
            )
            .0
        };
        // (values oldest first, status): at least 60.0 %.
        for (values, want) in [
            (
                vec![Some(700), Some(660), Some(640), Some(615)],
                Status::Warning,
            ),
            // Worse three times but still far from the target.
            (
                vec![Some(900), Some(850), Some(800), Some(750)],
                Status::Met,
            ),
            // Close, but one period better.
            (
                vec![Some(700), Some(640), Some(650), Some(615)],
                Status::Met,
            ),
            // Only three periods with a figure: no trend to speak of.
            (vec![None, Some(660), Some(640), Some(615)], Status::Met),
            (
                vec![Some(700), Some(660), Some(640), Some(590)],
                Status::Missed,
            ),
            (vec![Some(700), Some(660), Some(640), None], Status::NoData),
        ] {
            assert_eq!(status(&first, &values), want, "{values:?}");
        }
        // At most 2.0 %: worse is higher.
        assert_eq!(
            status(&dissatisfaction, &[Some(5), Some(8), Some(10), Some(15)]),
            Status::Warning
        );
        assert_eq!(
            status(&dissatisfaction, &[Some(15), Some(10), Some(8), Some(5)]),
            Status::Met
        );
        assert_eq!(
            status(&dissatisfaction, &[Some(5), Some(8), Some(10), Some(25)]),
            Status::Missed
        );
    }

    #[test]
    fn a_figure_shown_never_looks_met_when_it_is_not() {
        // 1199 of 2000 is 59.95 %: missed against 60 %, shown 59.9 %, not 60.0 %.
        let r = Rate::judged(1199, 2000, 600, Direction::AtLeast, true);
        assert_eq!((r.permille, r.met), (Some(599), Some(false)));
        // 41 of 2000 is 2.05 %: missed against at most 2 %, shown 2.1 %.
        let r = Rate::judged(41, 2000, 20, Direction::AtMost, true);
        assert_eq!((r.permille, r.met), (Some(21), Some(false)));
        assert_eq!(permille(Direction::AtLeast, 3, 5), Some(600));
        assert_eq!(permille(Direction::AtMost, 0, 0), None);
    }

    #[test]
    fn market_surveys_are_judged_when_the_month_ends_and_warned_after_its_middle() {
        let market = *spec_of("market_surveys").unwrap();
        let p = Period::containing(Span::Month, day("2026-12-01"));
        let point = |held: i64, met: Option<bool>| Point {
            label: String::new(),
            from: String::new(),
            to: String::new(),
            numerator: None,
            denominator: None,
            value: Some(held),
            target: Some(1),
            target_shown: None,
            met,
        };
        let at = |today: &str, held: i64, met| {
            judge(&market, &[point(held, met)], &p, day(today), Lang::Zh).0
        };
        assert_eq!(at("2026-12-10", 0, None), Status::Pending);
        assert_eq!(at("2026-12-16", 0, None), Status::Warning);
        assert_eq!(at("2026-12-16", 1, Some(true)), Status::Met);
        assert_eq!(at("2027-01-02", 0, Some(false)), Status::Missed);
    }

    #[test]
    fn a_weeks_operating_target_is_its_months_shared_by_day() {
        // The week 2026-11-30 – 12-06: one day of November (30 days), six of December (31).
        let p = Period::containing(Span::Week, day("2026-12-02"));
        let mut targets = BTreeMap::new();
        targets.insert(("2026-11".to_string(), "registrations".to_string()), 3_000);
        targets.insert(("2026-12".to_string(), "registrations".to_string()), 3_100);
        let t = Tally {
            registrations: 500,
            ..Default::default()
        };
        let ended = operating(&p, &t, day("2026-12-10"), &targets);
        assert_eq!(ended.len(), 1, "indicators with no target are left out");
        assert_eq!((ended[0].target, ended[0].completion), (100 + 600, 714));
        // Running: against the days gone by, through yesterday (11-30, 12-01).
        let running = operating(&p, &t, day("2026-12-02"), &targets);
        assert_eq!(running[0].target, 100 + 100);
        // On the period's first day there is nothing to judge yet.
        assert!(operating(&p, &t, day("2026-11-30"), &targets).is_empty());
    }
}
