//! 工作检查方案 (manual section 5) as a schedule, and 质量检查记录本 (RAFS-QR-06-004) as its
//! records.
//!
//! Rules owned here:
//! - The plan is data: each item says who or what is checked, on what, how, how often (daily,
//!   weekly, monthly) and by whom (客服主管 or 部门主任). Seeded with the manual's seven items.
//! - An item's periods are days, ISO weeks or months. A period is 已检查 when a check of the item
//!   was recorded for it, 待检查 while it runs without one, 漏检 once it has ended without one.
//!   For the follow-up item (客服人员 · 回访) a follow-up spot-check completed in the period is
//!   its check: the spot-checks are one kind of these records.
//! - A check is recorded by the item's checker (the head may record any), for the running
//!   period or the one before it (a period missed longer ago stays missed), once: a second record for the same period is a correction, naming the record it
//!   corrects and why (the database refuses any rewrite). A 有问题 result says what was found.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use super::figures::{Period, Span};
use crate::audit::Table;
use crate::error::{Error, Problem, Result};
use crate::ids::StaffId;
use crate::staff::Role;
use crate::store::{Conn, Tx};
use crate::validate;

/// The manual's plan: (code, 被检查部门或个人, 检查项目, 检查内容, 方法, frequency, checker).
const PLAN: [(&str, &str, &str, &str, &str, &str, &str); 7] = [
    (
        "guide_service",
        "导医",
        "服务方面",
        "规范用语使用、主动服务情况",
        "巡查、抽查",
        "weekly",
        "supervisor",
    ),
    (
        "registration_data",
        "挂号",
        "挂号数据",
        "统计资料真实性、执行情况",
        "服务抽查、统计",
        "monthly",
        "supervisor",
    ),
    (
        "projects",
        "经营干事",
        "项目开展",
        "新项目开展与设备利用等",
        "现场、统计",
        "monthly",
        "head",
    ),
    (
        FOLLOWUP_ITEM,
        "客服人员",
        "回访",
        "门诊、住院回访、咨询回访",
        "统计、抽查",
        "weekly",
        "supervisor",
    ),
    (
        "surveys",
        "经营部人员",
        "调查",
        "院内、院外等调查结果",
        "抽查、统计",
        "monthly",
        "head",
    ),
    (
        "indicators",
        "经营干事",
        "指标",
        "五项指标完成",
        "统计",
        "monthly",
        "head",
    ),
    (
        "training",
        "经营干事",
        "培训",
        "培训内容",
        "抽查记录",
        "monthly",
        "head",
    ),
];

/// The item a follow-up spot-check counts for.
pub const FOLLOWUP_ITEM: &str = "followup";

/// How many periods of each item the schedule shows.
pub const SHOWN: usize = 8;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Item {
    pub id: i64,
    pub code: String,
    pub subject: String,
    pub item: String,
    pub content: String,
    pub method: String,
    pub frequency: String,
    pub checker: String,
    pub from_date: String,
}

/// A period of an item and where it stands.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Slot {
    pub label: String,
    pub from: String,
    pub to: String,
    /// `done`, `due`, `missed`.
    pub state: String,
    /// The check recorded for it (the latest, corrections included), or the spot-check.
    pub check_id: Option<i64>,
    pub spot_check_id: Option<i64>,
    pub result: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub item: Item,
    /// Oldest first, ending with the running period.
    pub slots: Vec<Slot>,
    /// Whether the person asking records this item's checks ([`may_record`]).
    pub mine: bool,
}

fn item_of(r: &crate::store::Row<'_>) -> Result<Item> {
    Ok(Item {
        id: r.get(0)?,
        code: r.get(1)?,
        subject: r.get(2)?,
        item: r.get(3)?,
        content: r.get(4)?,
        method: r.get(5)?,
        frequency: r.get(6)?,
        checker: r.get(7)?,
        from_date: r.get(8)?,
    })
}

const ITEM_COLUMNS: &str =
    "id, code, subject, item, content, method, frequency, checker, from_date";

pub fn items(conn: &Conn) -> Result<Vec<Item>> {
    conn.all(
        &format!("SELECT {ITEM_COLUMNS} FROM inspection_item WHERE active = 1 ORDER BY id"),
        &[],
        item_of,
    )
}

/// The period of an item's frequency holding `day`.
pub fn period_of(frequency: &str, day: NaiveDate) -> Period {
    match frequency {
        "daily" => Period {
            from: day,
            to: day,
            label: day.to_string(),
        },
        "weekly" => Period::containing(Span::Week, day),
        _ => Period::containing(Span::Month, day),
    }
}

fn periods_up_to(frequency: &str, today: NaiveDate, n: usize, first: NaiveDate) -> Vec<Period> {
    let mut out = vec![period_of(frequency, today)];
    while out.len() < n {
        let before = out[out.len() - 1].from - Duration::days(1);
        if before < first {
            break;
        }
        out.push(period_of(frequency, before));
    }
    out.reverse();
    out
}

/// A check or spot-check found for a period: (check id, spot-check id, result).
type Found = (Option<i64>, Option<i64>, Option<String>);

fn found(conn: &Conn, item: &Item, p: &Period, tz: chrono_tz::Tz) -> Result<Option<Found>> {
    let check: Option<(i64, String)> = conn.one(
        "SELECT id, result FROM quality_check WHERE item_id = ?1 AND period_from = ?2
         ORDER BY id DESC LIMIT 1",
        &[&item.id, &p.from.to_string()],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if let Some((id, result)) = check {
        return Ok(Some((Some(id), None, Some(result))));
    }
    if item.code == FOLLOWUP_ITEM {
        let (start, end) = crate::clock::day_bounds(tz, p.from, p.to);
        let spot: Option<(i64, i64)> = conn.one(
            "SELECT s.id, (SELECT count(*) FROM spot_check_item i
                           WHERE i.spot_check_id = s.id AND i.result = 'discrepancy')
             FROM spot_check s WHERE s.done_at >= ?1 AND s.done_at < ?2
             ORDER BY s.done_at DESC LIMIT 1",
            &[&start, &end],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if let Some((id, wrong)) = spot {
            let result = if wrong > 0 { "problem" } else { "ok" };
            return Ok(Some((None, Some(id), Some(result.into()))));
        }
    }
    Ok(None)
}

/// Each item of the plan with its last [`SHOWN`] periods: done, due or missed.
pub fn schedule(conn: &Conn, today: NaiveDate) -> Result<Vec<Row>> {
    let tz = crate::reference::get_hospital(conn)?.tz();
    let mut out = Vec::new();
    for item in items(conn)? {
        let first = validate::date("from_date", &item.from_date)?;
        let mut slots = Vec::new();
        for p in periods_up_to(&item.frequency, today, SHOWN, first) {
            let f = found(conn, &item, &p, tz)?;
            let state = match (&f, p.ended(today)) {
                (Some(_), _) => "done",
                (None, false) => "due",
                (None, true) => "missed",
            };
            let (check_id, spot_check_id, result) = f.unwrap_or((None, None, None));
            slots.push(Slot {
                label: p.label.clone(),
                from: p.from.to_string(),
                to: p.to.to_string(),
                state: state.into(),
                check_id,
                spot_check_id,
                result,
            });
        }
        out.push(Row {
            item,
            slots,
            mine: false,
        });
    }
    Ok(out)
}

/// The periods of each item that fall in a month (ending in it), and how many were done and
/// missed, for the monthly report.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Tally {
    pub item: Item,
    pub due: i64,
    pub done: i64,
    pub missed: i64,
    pub problems: i64,
}

pub fn month_tally(
    conn: &Conn,
    first: NaiveDate,
    last: NaiveDate,
    today: NaiveDate,
) -> Result<Vec<Tally>> {
    let tz = crate::reference::get_hospital(conn)?.tz();
    let mut out = Vec::new();
    for item in items(conn)? {
        let start = validate::date("from_date", &item.from_date)?;
        let mut t = Tally {
            item: item.clone(),
            due: 0,
            done: 0,
            missed: 0,
            problems: 0,
        };
        let mut day = first;
        while day <= last {
            let p = period_of(&item.frequency, day);
            // A period counts for the month it ends in.
            if p.to <= last && p.to >= first && p.to >= start && p.from <= today {
                t.due += 1;
                match found(conn, &item, &p, tz)? {
                    Some((_, _, result)) => {
                        t.done += 1;
                        if result.as_deref() == Some("problem") {
                            t.problems += 1;
                        }
                    }
                    None if p.ended(today) => t.missed += 1,
                    None => {}
                }
            }
            day = p.to + Duration::days(1);
        }
        out.push(t);
    }
    Ok(out)
}

#[derive(Debug, Clone, Deserialize, Default)]
pub struct CheckInput {
    #[serde(default)]
    pub item_id: Option<i64>,
    /// A day inside the period checked (empty: today's period).
    #[serde(default)]
    pub day: String,
    /// `ok` (合格) or `problem` (有问题).
    #[serde(default)]
    pub result: String,
    #[serde(default)]
    pub findings: String,
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub corrects_id: Option<i64>,
    #[serde(default)]
    pub reason: String,
}

/// The period a check of `item` on `day` (empty: today) is for: not in the future, not before
/// the item was planned, and the running period or the one before it — a check found missed
/// longer ago stays missed.
fn check_period(item: &Item, day: &str, today: NaiveDate) -> Result<Period> {
    let day = match day.trim() {
        "" => today,
        d => validate::date("check_day", d)?,
    };
    if day > today {
        return Err(Error::invalid("check_day", Problem::Future));
    }
    let p = period_of(&item.frequency, day);
    if p.to < validate::date("from_date", &item.from_date)? {
        return Err(Error::invalid("check_day", Problem::TooOld));
    }
    let running = period_of(&item.frequency, today);
    let earliest = period_of(&item.frequency, running.from - Duration::days(1)).from;
    if p.from < earliest {
        return Err(Error::invalid("check_day", Problem::TooOld));
    }
    Ok(p)
}

/// A check recorded in 质量检查记录本 (audited); returns its id.
/// Who records an item's checks: its checker (the supervisors' items by a supervisor), the head
/// any item.
pub fn may_record(item: &Item, role: Role) -> bool {
    match item.checker.as_str() {
        "supervisor" => matches!(role, Role::Supervisor | Role::Head),
        _ => role == Role::Head,
    }
}

pub fn record(
    tx: &mut Tx,
    by: StaffId,
    role: Role,
    input: &CheckInput,
    today: NaiveDate,
) -> Result<i64> {
    let id = input
        .item_id
        .ok_or(Error::invalid("inspection_item", Problem::Required))?;
    let item: Item = tx
        .one(
            &format!("SELECT {ITEM_COLUMNS} FROM inspection_item WHERE id = ?1 AND active = 1"),
            &[&id],
            item_of,
        )?
        .ok_or(Error::invalid("inspection_item", Problem::Unknown))?;
    if !may_record(&item, role) {
        return Err(Error::Forbidden);
    }
    // Every field is checked before refusing, so the form shows all its problems at once.
    let mut c = validate::Checks::new();
    let p = c
        .take(check_period(&item, &input.day, today))
        .unwrap_or_else(|| period_of(&item.frequency, today));
    let result = match input.result.trim() {
        r @ ("ok" | "problem") => r,
        "" => {
            c.refuse(Error::invalid("check_result", Problem::Required));
            ""
        }
        _ => {
            c.refuse(Error::invalid("check_result", Problem::Unknown));
            ""
        }
    };
    let findings = c
        .take(validate::text("check_findings", &input.findings, 0, 1000))
        .unwrap_or_default();
    if result == "problem" && findings.is_empty() && !c.refused("check_findings") {
        c.refuse(Error::invalid("check_findings", Problem::Required));
    }
    let action = c
        .take(validate::text("check_action", &input.action, 0, 1000))
        .unwrap_or_default();
    c.done()?;
    let latest: Option<i64> = tx.value_opt(
        "SELECT id FROM quality_check WHERE item_id = ?1 AND period_from = ?2
         ORDER BY id DESC LIMIT 1",
        &[&item.id, &p.from.to_string()],
    )?;
    let (corrects, reason) = match (input.corrects_id, latest) {
        (None, None) => (None, None),
        (None, Some(_)) => return Err(Error::invalid("check_day", Problem::Taken)),
        (Some(c), Some(l)) if c == l => {
            let reason = validate::text("correction_reason", &input.reason, 1, 500)?;
            (Some(c), Some(reason))
        }
        (Some(_), _) => return Err(Error::invalid("corrects_id", Problem::Unknown)),
    };
    let id: i64 = tx.insert(
        "INSERT INTO quality_check (item_id, period_from, period_to, checked_on, result, findings,
             action, corrects_id, reason, checked_by, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id",
        &[
            &item.id,
            &p.from.to_string(),
            &p.to.to_string(),
            &today.to_string(),
            &result,
            &findings,
            &action,
            &corrects,
            &reason,
            &by,
            &tx.now,
        ],
    )?;
    tx.record("quality_check.record", Table::QualityCheck, id, None)?;
    Ok(id)
}

/// One line of 质量检查记录本: a check, or a follow-up spot-check done.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Entry {
    pub id: i64,
    /// `check` or `spot_check`.
    pub kind: String,
    pub checked_on: String,
    pub subject: String,
    pub item: String,
    /// The period checked as the registers write it (2026-11-01 至 2026-11-30); the page
    /// writes it in the desk's language from `period_from` and `period_to`.
    pub period: String,
    pub period_from: String,
    pub period_to: String,
    pub result: String,
    /// As the registers write it; a spot-check's also as its figures (`drawn`, `discrepancies`).
    pub findings: String,
    pub drawn: Option<i64>,
    pub discrepancies: Option<i64>,
    pub action: String,
    pub checked_by: String,
    pub corrects_id: Option<i64>,
    pub reason: Option<String>,
}

/// A completed spot-check: id, when done, the period drawn from, calls drawn and found wrong, by.
struct DoneSpotCheck {
    id: i64,
    done_at: i64,
    period_from: String,
    period_to: String,
    drawn: i64,
    discrepancies: i64,
    drawn_by: String,
}

/// 质量检查记录本 for a period: the checks recorded in it, and the spot-checks completed in it,
/// by date.
pub fn register(conn: &Conn, from: NaiveDate, to: NaiveDate) -> Result<Vec<Entry>> {
    let mut out: Vec<Entry> = conn.all(
        "SELECT c.id, c.checked_on, i.subject, i.item, c.period_from, c.period_to, c.result,
                c.findings, c.action, s.display_name, c.corrects_id, c.reason
         FROM quality_check c JOIN inspection_item i ON i.id = c.item_id
         JOIN staff s ON s.id = c.checked_by
         WHERE c.checked_on >= ?1 AND c.checked_on <= ?2 ORDER BY c.checked_on, c.id",
        &[&from.to_string(), &to.to_string()],
        |r| {
            let (pf, pt): (String, String) = (r.get(4)?, r.get(5)?);
            Ok(Entry {
                id: r.get(0)?,
                kind: "check".into(),
                checked_on: r.get(1)?,
                subject: r.get(2)?,
                item: r.get(3)?,
                period: if pf == pt {
                    pf.clone()
                } else {
                    format!("{pf} 至 {pt}")
                },
                period_from: pf,
                period_to: pt,
                result: r.get(6)?,
                findings: r.get(7)?,
                drawn: None,
                discrepancies: None,
                action: r.get(8)?,
                checked_by: r.get(9)?,
                corrects_id: r.get(10)?,
                reason: r.get(11)?,
            })
        },
    )?;
    let tz = crate::reference::get_hospital(conn)?.tz();
    let (start, end) = crate::clock::day_bounds(tz, from, to);
    let spots: Vec<DoneSpotCheck> = conn.all(
        "SELECT s.id, s.done_at, s.period_from, s.period_to,
                (SELECT count(*) FROM spot_check_item i WHERE i.spot_check_id = s.id),
                (SELECT count(*) FROM spot_check_item i
                 WHERE i.spot_check_id = s.id AND i.result = 'discrepancy'),
                st.display_name
         FROM spot_check s JOIN staff st ON st.id = s.drawn_by
         WHERE s.done_at >= ?1 AND s.done_at < ?2 ORDER BY s.done_at, s.id",
        &[&start, &end],
        |r| {
            Ok(DoneSpotCheck {
                id: r.get(0)?,
                done_at: r.get(1)?,
                period_from: r.get(2)?,
                period_to: r.get(3)?,
                drawn: r.get(4)?,
                discrepancies: r.get(5)?,
                drawn_by: r.get(6)?,
            })
        },
    )?;
    for DoneSpotCheck {
        id,
        done_at,
        period_from: pf,
        period_to: pt,
        drawn,
        discrepancies: wrong,
        drawn_by: by,
    } in spots
    {
        out.push(Entry {
            id,
            kind: "spot_check".into(),
            checked_on: crate::clock::business_date(tz, done_at).to_string(),
            subject: "客服人员".into(),
            item: "回访（抽查）".into(),
            period: format!("{pf} 至 {pt}"),
            period_from: pf,
            period_to: pt,
            result: if wrong > 0 { "problem" } else { "ok" }.into(),
            findings: format!("抽查回访 {drawn} 条，核实不符 {wrong} 条"),
            drawn: Some(drawn),
            discrepancies: Some(wrong),
            action: String::new(),
            checked_by: by,
            corrects_id: None,
            reason: None,
        });
    }
    out.sort_by(|a, b| a.checked_on.cmp(&b.checked_on));
    Ok(out)
}

/// The plan in force from an earlier day (the demo, whose days begin before the hospital was
/// set up), audited.
pub fn plan_from(tx: &mut Tx, day: NaiveDate) -> Result<()> {
    let ids: Vec<i64> = tx.all(
        "SELECT id FROM inspection_item WHERE from_date > ?1 ORDER BY id",
        &[&day.to_string()],
        |r| Ok(r.get(0)?),
    )?;
    for id in ids {
        let before = crate::audit::snapshot(tx, Table::InspectionItem, id)?;
        tx.execute(
            "UPDATE inspection_item SET from_date = ?2 WHERE id = ?1",
            &[&id, &day.to_string()],
        )?;
        tx.record("inspection_item.from", Table::InspectionItem, id, before)?;
    }
    Ok(())
}

/// The manual's plan, due from `from` (a new hospital: its first day; one already working:
/// the day the plan arrives).
pub fn seed(tx: &mut Tx, from: NaiveDate) -> Result<()> {
    for (code, subject, item, content, method, frequency, checker) in PLAN {
        let id: i64 = tx.insert(
            "INSERT INTO inspection_item (code, subject, item, content, method, frequency, checker,
                 from_date, active, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1, ?9) RETURNING id",
            &[
                &code,
                &subject,
                &item,
                &content,
                &method,
                &frequency,
                &checker,
                &from.to_string(),
                &tx.now,
            ],
        )?;
        tx.record("inspection_item.create", Table::InspectionItem, id, None)?;
    }
    Ok(())
}

/// The plan due from today (migration 0016, for a hospital already working).
pub(crate) fn seed_today(tx: &mut Tx) -> Result<()> {
    let tz = crate::reference::get_hospital(tx)?.tz();
    let today = crate::clock::business_date(tz, tx.now);
    seed(tx, today)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn an_items_periods_follow_its_frequency_from_its_first_day() {
        let weeks = periods_up_to("weekly", d("2026-12-02"), SHOWN, d("2026-11-10"));
        let labels: Vec<&str> = weeks.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(
            labels,
            ["2026-W46", "2026-W47", "2026-W48", "2026-W49"],
            "none before the plan"
        );
        let months = periods_up_to("monthly", d("2026-12-02"), SHOWN, d("2020-01-01"));
        assert_eq!(months.len(), SHOWN);
        assert_eq!(months[SHOWN - 1].label, "2026-12");
        let days = periods_up_to("daily", d("2026-12-02"), 3, d("2020-01-01"));
        assert_eq!(days[0].label, "2026-11-30");
    }
}
