//! The guide desk's own records (manual 3.2.4): 交班记录, the shift handover — what was handed
//! over, the matters still open, who handed over and who took over — and 工作日志, the day's
//! work log. Both are kept append-only (the database refuses a rewrite): a correction is a new
//! entry that names the entry it corrects and why, and the log shows the two together.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::audit::Table;
use crate::error::{Error, Problem, Result};
use crate::ids::StaffId;
use crate::staff::Role;
use crate::store::{Conn, Tx};
use crate::validate;

/// The work log's categories, as the guide desk sorts its day.
pub const CATEGORIES: [(&str, &str); 6] = [
    ("consult", "咨询"),
    ("guide", "引导"),
    ("escort", "陪诊"),
    ("wheelchair", "轮椅/推车"),
    ("incident", "异常情况"),
    ("other", "其他"),
];

#[derive(Debug, Clone, Deserialize, Default)]
pub struct EntryInput {
    /// `handover` or `work`.
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub open_matters: String,
    #[serde(default)]
    pub taken_by: Option<StaffId>,
    #[serde(default)]
    pub category: String,
    /// A correction: the entry it corrects, and why.
    #[serde(default)]
    pub corrects_id: Option<i64>,
    #[serde(default)]
    pub correction_reason: String,
}

/// One entry as the log shows it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Entry {
    pub id: i64,
    pub kind: String,
    pub business_date: String,
    pub at: i64,
    pub written_by: String,
    pub body: String,
    pub open_matters: String,
    pub taken_by: Option<String>,
    pub category: Option<String>,
    pub corrects_id: Option<i64>,
    pub correction_reason: Option<String>,
    /// The newer entry that corrects this one, if any.
    pub corrected_by: Option<i64>,
}

/// Writes an entry (or a correction of one) for `today`.
pub fn write(tx: &mut Tx, by: StaffId, input: &EntryInput, today: NaiveDate) -> Result<i64> {
    let kind = match input.kind.trim() {
        k @ ("handover" | "work") => k,
        "" => return Err(Error::invalid("log_kind", Problem::Required)),
        _ => return Err(Error::invalid("log_kind", Problem::Unknown)),
    };
    // Every field checked before any is refused: the form shows all its problems at once.
    let mut c = validate::Checks::new();
    let body = c.take(validate::text("log_body", &input.body, 1, 2000));
    let (open_matters, taken_by, category) = if kind == "handover" {
        let open = c
            .take(validate::text("open_matters", &input.open_matters, 0, 2000))
            .unwrap_or_default();
        let taker = match input.taken_by {
            None => {
                c.refuse(Error::invalid("taken_by", Problem::Required));
                None
            }
            Some(taker) if taker == by => {
                c.refuse(Error::invalid("taken_by", Problem::Taken));
                None
            }
            Some(taker) => {
                let role: Option<String> = tx.value_opt(
                    "SELECT role FROM staff WHERE id = ?1 AND active = 1",
                    &[&taker],
                )?;
                match role.as_deref().and_then(Role::parse) {
                    Some(Role::Guide | Role::Supervisor | Role::Head) => Some(taker),
                    _ => {
                        c.refuse(Error::invalid("taken_by", Problem::Unknown));
                        None
                    }
                }
            }
        };
        (open, taker, None)
    } else {
        let category = match input.category.trim() {
            "" => None,
            cat if CATEGORIES.iter().any(|(code, _)| *code == cat) => Some(cat.to_string()),
            _ => {
                c.refuse(Error::invalid("log_category", Problem::Unknown));
                None
            }
        };
        (String::new(), None, category)
    };
    let reason = match input.corrects_id {
        None => None,
        Some(original) => {
            let found: Option<(String, Option<i64>)> = tx.one(
                "SELECT g.kind, (SELECT c.id FROM guide_log c WHERE c.corrects_id = g.id LIMIT 1)
                 FROM guide_log g WHERE g.id = ?1",
                &[&original],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            match found {
                None => c.refuse(Error::invalid("corrects_id", Problem::Unknown)),
                Some((k, _)) if k != kind => {
                    c.refuse(Error::invalid("corrects_id", Problem::Unknown))
                }
                // Corrected already: the newest correction is the one to correct.
                Some((_, Some(_))) => {
                    c.refuse(Error::invalid("corrects_id", Problem::AlreadyRecorded))
                }
                Some(_) => {}
            }
            c.take(validate::text(
                "correction_reason",
                &input.correction_reason,
                2,
                200,
            ))
        }
    };
    c.done()?;
    let Some(body) = body else {
        unreachable!("every field refused is returned by Checks::done")
    };
    let now = tx.now;
    let id: i64 = tx.insert(
        "INSERT INTO guide_log (kind, business_date, at, written_by, body, open_matters, taken_by,
             category, corrects_id, correction_reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id",
        &[
            &kind,
            &today.to_string(),
            &now,
            &by,
            &body,
            &open_matters,
            &taken_by,
            &category,
            &input.corrects_id,
            &reason,
        ],
    )?;
    tx.record(
        if input.corrects_id.is_some() {
            "guide_log.correct"
        } else {
            "guide_log.write"
        },
        Table::GuideLog,
        id,
        None,
    )?;
    Ok(id)
}

/// A log (`handover` or `work`) for a run of days, newest first.
pub fn list(conn: &Conn, kind: &str, from: NaiveDate, to: NaiveDate) -> Result<Vec<Entry>> {
    if !matches!(kind, "handover" | "work") {
        return Err(Error::invalid("log_kind", Problem::Unknown));
    }
    conn.all(
        "SELECT g.id, g.kind, g.business_date, g.at, w.display_name, g.body, g.open_matters,
                t.display_name, g.category, g.corrects_id, g.correction_reason,
                (SELECT c.id FROM guide_log c WHERE c.corrects_id = g.id LIMIT 1)
         FROM guide_log g JOIN staff w ON w.id = g.written_by
         LEFT JOIN staff t ON t.id = g.taken_by
         WHERE g.kind = ?1 AND g.business_date >= ?2 AND g.business_date <= ?3
         ORDER BY g.id DESC",
        &[&kind, &from.to_string(), &to.to_string()],
        |r| {
            Ok(Entry {
                id: r.get(0)?,
                kind: r.get(1)?,
                business_date: r.get(2)?,
                at: r.get(3)?,
                written_by: r.get(4)?,
                body: r.get(5)?,
                open_matters: r.get(6)?,
                taken_by: r.get(7)?,
                category: r.get(8)?,
                corrects_id: r.get(9)?,
                correction_reason: r.get(10)?,
                corrected_by: r.get(11)?,
            })
        },
    )
}

/// Who may take over a shift: the active guide desk staff and their supervisors.
pub fn takers(conn: &Conn, me: StaffId) -> Result<Vec<(StaffId, String)>> {
    conn.all(
        "SELECT id, display_name FROM staff
         WHERE active = 1 AND role IN ('guide', 'supervisor', 'head') AND id <> ?1
         ORDER BY CASE role WHEN 'guide' THEN 0 ELSE 1 END, display_name",
        &[&me],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

mod desk {
    use super::{list, takers, write, Entry, EntryInput, CATEGORIES};
    use crate::desk::Desk;
    use crate::error::Result;
    use crate::ids::StaffId;
    use crate::staff::{Area, Permission};
    use crate::store;

    /// What the log screens offer: who may take over, the work log's categories.
    #[derive(Debug, Clone, serde::Serialize)]
    pub struct LogChoices {
        pub takers: Vec<(StaffId, String)>,
        pub categories: Vec<(String, String)>,
    }

    impl Desk {
        pub fn guide_log_choices(&mut self) -> Result<LogChoices> {
            let me = self.authorize(Permission::UseArea(Area::Guide))?;
            Ok(LogChoices {
                takers: takers(&self.conn, me.staff_id)?,
                categories: CATEGORIES
                    .iter()
                    .map(|(c, l)| (c.to_string(), l.to_string()))
                    .collect(),
            })
        }

        /// An entry of the handover or work log (or a correction of one), for today.
        pub fn guide_log_write(&mut self, input: &EntryInput) -> Result<i64> {
            let me = self.authorize(Permission::UseArea(Area::Guide))?;
            let today = self.today()?;
            let now = self.now();
            let actor = self.actor();
            store::write(&mut self.conn, &actor, now, |tx| {
                write(tx, me.staff_id, input, today)
            })
        }

        /// A log for a run of days (both dates `YYYY-MM-DD`), newest first.
        pub fn guide_log_list(&mut self, kind: &str, from: &str, to: &str) -> Result<Vec<Entry>> {
            self.authorize(Permission::UseArea(Area::Guide))?;
            let p = crate::complaint::figures::Period::parse(from, to)?;
            list(&self.conn, kind, p.from, p.to)
        }
    }
}

pub use desk::LogChoices;
