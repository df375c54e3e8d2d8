//! 抽查 (manual 4.4.1, the inspection plan's weekly check of follow-ups): a supervisor draws a
//! sample of the completed follow-ups of a period, calls each patient back, and records whether
//! the call is confirmed or a discrepancy. These are quality-check records (质量检查记录本):
//! the draw is kept as drawn, a result, once recorded, is final, nobody re-verifies a call
//! they made, and customer service sees which of its calls were drawn
//! only when the check is done.
//!
//! The draw is a rule anyone can repeat: every follow-up of the population (closed as reached
//! or unreachable in the period, by when it closed, before the draw) is ranked by SHA-256 of `seed:id`, and the
//! first N are drawn. The seed and the rule are kept with the check, so [`redraw`] shows the
//! same sample again.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::audit::{snapshot, Table};
use crate::clock;
use crate::error::{Error, Problem, Result};
use crate::ids::{FollowupId, SpotCheckId, StaffId};
use crate::store::{Conn, Tx};
use crate::validate;

/// What the supervisor asks for.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct DrawInput {
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    /// `count` (N follow-ups) or `percent` (N % of them, rounded up).
    #[serde(default)]
    pub rule: String,
    #[serde(default)]
    pub amount: i64,
    /// Empty: a fresh random seed.
    #[serde(default)]
    pub seed: String,
}

/// How many a rule draws from a population.
pub fn sample_size(rule: &str, amount: i64, population: i64) -> i64 {
    let n = match rule {
        "percent" => (population * amount + 99) / 100,
        _ => amount,
    };
    n.clamp(0, population)
}

/// The draw itself: the population ranked by SHA-256 of `seed:id`, the first `n`.
pub fn draw_ids(seed: &str, population: &[FollowupId], n: i64) -> Vec<FollowupId> {
    let mut ranked: Vec<([u8; 32], FollowupId)> = population
        .iter()
        .map(|id| {
            let key: [u8; 32] = Sha256::digest(format!("{seed}:{}", id.0).as_bytes()).into();
            (key, *id)
        })
        .collect();
    ranked.sort();
    ranked
        .into_iter()
        .take(n.max(0) as usize)
        .map(|(_, id)| id)
        .collect()
}

/// The completed follow-ups of a period as they stood at `at`: closed (reached or unreachable)
/// in it, by the day they closed, and before `at` — so a draw made during the period's last day
/// is made again from the same population, whatever was called after it.
pub fn population(conn: &Conn, from: NaiveDate, to: NaiveDate, at: i64) -> Result<Vec<FollowupId>> {
    let tz = crate::reference::get_hospital(conn)?.tz();
    let (start, end) = clock::day_bounds(tz, from, to);
    conn.all(
        "SELECT id FROM followup WHERE closed_at >= ?1 AND closed_at < ?2 AND closed_at <= ?3
           AND state IN ('reached', 'unreachable')
         ORDER BY id",
        &[&start, &end, &at],
        |r| Ok(r.get(0)?),
    )
}

fn fresh_seed() -> String {
    use rand_core::RngCore;
    let mut bytes = [0u8; 8];
    rand_core::OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Draws a sample and records it, each follow-up drawn waiting for its re-verification.
pub fn draw(tx: &mut Tx, by: StaffId, input: &DrawInput, today: NaiveDate) -> Result<SpotCheckId> {
    // Every field is checked before refusing: the form shows all its problems at once.
    let mut c = validate::Checks::new();
    let from = c.take(validate::date("from", &input.from));
    let to = c.take(validate::date("to", &input.to));
    if let (Some(from), Some(to)) = (from, to) {
        if to < from {
            c.refuse(Error::invalid("to", Problem::BeforeStart));
        } else if to > today {
            c.refuse(Error::invalid("to", Problem::Future));
        }
    }
    let rule = match input.rule.trim() {
        r @ ("count" | "percent") => Some(r),
        "" => {
            c.refuse(Error::invalid("spot_rule", Problem::Required));
            None
        }
        _ => {
            c.refuse(Error::invalid("spot_rule", Problem::Unknown));
            None
        }
    };
    if let Some(rule) = rule {
        let max = if rule == "percent" { 100 } else { 500 };
        c.take(validate::range("spot_amount", input.amount, 1, max));
    }
    let seed = match input.seed.trim() {
        "" => Some(fresh_seed()),
        s => c.take(validate::text("seed", s, 1, 64)),
    };
    c.done()?;
    let (Some(from), Some(to), Some(rule), Some(seed)) = (from, to, rule, seed) else {
        unreachable!("every field refused is returned by Checks::done")
    };
    let people = population(tx, from, to, tx.now)?;
    if people.is_empty() {
        return Err(super::FollowupError::NothingToDraw.into());
    }
    let n = sample_size(rule, input.amount, people.len() as i64);
    let drawn = draw_ids(&seed, &people, n);
    let now = tx.now;
    let id: SpotCheckId = tx.insert(
        "INSERT INTO spot_check (period_from, period_to, rule, amount, seed, population,
             drawn_by, drawn_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
        &[
            &from.to_string(),
            &to.to_string(),
            &rule,
            &input.amount,
            &seed,
            &(people.len() as i64),
            &by,
            &now,
        ],
    )?;
    tx.record("spot_check.draw", Table::SpotCheck, id, None)?;
    for (i, followup) in drawn.iter().enumerate() {
        let rank = i as i64 + 1;
        let item: i64 = tx.insert(
            "INSERT INTO spot_check_item (spot_check_id, followup_id, rank, note)
             VALUES (?1, ?2, ?3, '') RETURNING id",
            &[&id, followup, &rank],
        )?;
        tx.record("spot_check.item", Table::SpotCheckItem, item, None)?;
    }
    Ok(id)
}

/// What calling the patient back found.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct CheckInput {
    pub spot_check_id: SpotCheckId,
    pub followup_id: FollowupId,
    /// `confirmed` or `discrepancy` (a note required).
    #[serde(default)]
    pub result: String,
    #[serde(default)]
    pub note: String,
}

/// Records one re-verification; the last one finishes the check.
pub fn check_item(tx: &mut Tx, by: StaffId, input: &CheckInput) -> Result<bool> {
    let result = match input.result.trim() {
        "" => return Err(Error::invalid("spot_result", Problem::Required)),
        r @ ("confirmed" | "discrepancy") => r,
        _ => return Err(Error::invalid("spot_result", Problem::Unknown)),
    };
    let note = validate::text("note", &input.note, 0, 500)?;
    if result == "discrepancy" && note.is_empty() {
        return Err(Error::invalid("note", Problem::Required));
    }
    let item: Option<(i64, Option<String>)> = tx.one(
        "SELECT id, result FROM spot_check_item WHERE spot_check_id = ?1 AND followup_id = ?2",
        &[&input.spot_check_id, &input.followup_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let (item, done) = item.ok_or(Error::NotFound("spot_check"))?;
    if done.is_some() {
        return Err(Error::invalid("spot_result", Problem::AlreadyRecorded));
    }
    // Nobody re-verifies a call they made themselves.
    let own: Option<i64> = tx.value_opt(
        "SELECT id FROM followup_attempt WHERE followup_id = ?1 AND staff_id = ?2 LIMIT 1",
        &[&input.followup_id, &by],
    )?;
    if own.is_some() {
        return Err(super::FollowupError::OwnCall.into());
    }
    let now = tx.now;
    let before = snapshot(tx, Table::SpotCheckItem, item)?;
    tx.execute(
        "UPDATE spot_check_item SET result = ?2, note = ?3, checked_by = ?4, checked_at = ?5
         WHERE id = ?1",
        &[&item, &result, &note, &by, &now],
    )?;
    tx.record(
        &format!("spot_check.{result}"),
        Table::SpotCheckItem,
        item,
        before,
    )?;
    let left: i64 = tx.value(
        "SELECT COUNT(*) FROM spot_check_item WHERE spot_check_id = ?1 AND result IS NULL",
        &[&input.spot_check_id],
    )?;
    if left == 0 {
        let before = snapshot(tx, Table::SpotCheck, input.spot_check_id)?;
        tx.execute(
            "UPDATE spot_check SET done_at = ?2 WHERE id = ?1",
            &[&input.spot_check_id, &now],
        )?;
        tx.record(
            "spot_check.done",
            Table::SpotCheck,
            input.spot_check_id,
            before,
        )?;
    }
    Ok(left == 0)
}

/// One check as the list and its page show it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SpotCheck {
    pub id: SpotCheckId,
    pub period_from: String,
    pub period_to: String,
    pub rule: String,
    pub amount: i64,
    pub seed: String,
    pub population: i64,
    pub drawn_by: String,
    pub drawn_at: i64,
    pub done_at: Option<i64>,
    pub drawn: i64,
    pub checked: i64,
    pub discrepancies: i64,
}

/// One follow-up drawn, with what the call recorded and what the check found.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Item {
    pub rank: i64,
    pub followup_id: FollowupId,
    pub kind: String,
    pub patient: String,
    pub phone: Option<String>,
    pub department: Option<String>,
    pub state: super::FState,
    pub called_by: Option<String>,
    pub closed_at: Option<i64>,
    pub overall: Option<super::call::Rating>,
    pub words: Option<String>,
    pub result: Option<String>,
    pub note: String,
    pub checked_by: Option<String>,
    pub checked_at: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SpotCheckView {
    pub check: SpotCheck,
    pub items: Vec<Item>,
}

const CHECK_SQL: &str = "SELECT c.id, c.period_from, c.period_to, c.rule, c.amount, c.seed,
        c.population, s.display_name, c.drawn_at, c.done_at,
        (SELECT COUNT(*) FROM spot_check_item i WHERE i.spot_check_id = c.id),
        (SELECT COUNT(*) FROM spot_check_item i WHERE i.spot_check_id = c.id AND i.result IS NOT NULL),
        (SELECT COUNT(*) FROM spot_check_item i WHERE i.spot_check_id = c.id AND i.result = 'discrepancy')
    FROM spot_check c JOIN staff s ON s.id = c.drawn_by";

fn check_row(r: &crate::store::Row) -> Result<SpotCheck> {
    Ok(SpotCheck {
        id: r.get(0)?,
        period_from: r.get(1)?,
        period_to: r.get(2)?,
        rule: r.get(3)?,
        amount: r.get(4)?,
        seed: r.get(5)?,
        population: r.get(6)?,
        drawn_by: r.get(7)?,
        drawn_at: r.get(8)?,
        done_at: r.get(9)?,
        drawn: r.get(10)?,
        checked: r.get(11)?,
        discrepancies: r.get(12)?,
    })
}

/// The checks, newest first.
pub fn list(conn: &Conn, limit: i64) -> Result<Vec<SpotCheck>> {
    conn.all(
        &format!("{CHECK_SQL} ORDER BY c.id DESC LIMIT ?1"),
        &[&limit.clamp(1, 500)],
        check_row,
    )
}

pub fn get(conn: &Conn, id: SpotCheckId) -> Result<SpotCheckView> {
    let check = conn
        .one(&format!("{CHECK_SQL} WHERE c.id = ?1"), &[&id], check_row)?
        .ok_or(Error::NotFound("spot_check"))?;
    let items = conn.all(
        "SELECT i.rank, f.id, f.kind, p.name, p.phone, d.name, f.state,
                (SELECT st.display_name FROM followup_attempt a JOIN staff st ON st.id = a.staff_id
                 WHERE a.followup_id = f.id ORDER BY a.n DESC LIMIT 1),
                f.closed_at, an.overall, an.words, i.result, i.note, cs.display_name, i.checked_at
         FROM spot_check_item i JOIN followup f ON f.id = i.followup_id
         JOIN patient p ON p.id = f.patient_id LEFT JOIN department d ON d.id = f.department_id
         LEFT JOIN followup_answer an ON an.followup_id = f.id
         LEFT JOIN staff cs ON cs.id = i.checked_by
         WHERE i.spot_check_id = ?1 ORDER BY i.rank",
        &[&id],
        |r| {
            Ok(Item {
                rank: r.get(0)?,
                followup_id: r.get(1)?,
                kind: r.get(2)?,
                patient: r.get(3)?,
                phone: r.get(4)?,
                department: r.get(5)?,
                state: r.get(6)?,
                called_by: r.get(7)?,
                closed_at: r.get(8)?,
                overall: r.get(9)?,
                words: r.get(10)?,
                result: r.get(11)?,
                note: r.get(12)?,
                checked_by: r.get(13)?,
                checked_at: r.get(14)?,
            })
        },
    )?;
    Ok(SpotCheckView { check, items })
}

/// The draw made again from the check's seed and rule: the follow-ups it gives, and whether
/// they are the ones recorded.
pub fn redraw(conn: &Conn, id: SpotCheckId) -> Result<(Vec<FollowupId>, bool)> {
    let view = get(conn, id)?;
    let c = &view.check;
    let from = validate::date("from", &c.period_from)?;
    let to = validate::date("to", &c.period_to)?;
    let people = population(conn, from, to, c.drawn_at)?;
    let n = sample_size(&c.rule, c.amount, people.len() as i64);
    let again = draw_ids(&c.seed, &people, n);
    let recorded: Vec<FollowupId> = view.items.iter().map(|i| i.followup_id).collect();
    let same = again == recorded;
    Ok((again, same))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draw_is_repeatable_and_its_size_follows_the_rule() {
        let people: Vec<FollowupId> = (1..=200).map(FollowupId).collect();
        let a = draw_ids("5eed", &people, 10);
        assert_eq!(
            a,
            draw_ids("5eed", &people, 10),
            "the same seed draws the same"
        );
        assert_ne!(
            a,
            draw_ids("other", &people, 10),
            "another seed draws others"
        );
        let mut unique = a.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 10, "nobody drawn twice");
        // The order of the population does not change the draw.
        let mut reversed = people.clone();
        reversed.reverse();
        assert_eq!(a, draw_ids("5eed", &reversed, 10));
        // (rule, amount, population, drawn)
        for (rule, amount, population, n) in [
            ("count", 10, 200, 10),
            ("count", 10, 4, 4),
            ("percent", 5, 200, 10),
            ("percent", 5, 21, 2),
            ("percent", 100, 7, 7),
            ("percent", 1, 1, 1),
            ("count", 3, 0, 0),
        ] {
            assert_eq!(
                sample_size(rule, amount, population),
                n,
                "{rule} {amount} of {population}"
            );
        }
    }
}
