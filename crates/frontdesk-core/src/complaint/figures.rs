//! 投诉统计: complaint-handling satisfaction (病人投诉处理满意率, target ≥ 98 %, manual
//! section 2) = satisfied ÷ cases closed with the complainant's feedback in the period, with the
//! records behind it; per staff member and month, complaints upheld and praise received (the
//! inputs of the nurses' performance scoring, seed 002 part 4 — the scoring stays with HR);
//! counts by category, department and channel of what was received in the period.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::{Channel, Kind};
use crate::clock;
use crate::error::{Error, Problem, Result};
use crate::i18n::Lang;
use crate::ids::ComplaintId;
use crate::store::Conn;

/// A period of business dates, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    pub fn parse(from: &str, to: &str) -> Result<Period> {
        let from = crate::validate::date("from", from)?;
        let to = crate::validate::date("to", to)?;
        if to < from {
            return Err(Error::invalid("to", Problem::BeforeStart));
        }
        if (to - from).num_days() > 3660 {
            return Err(Error::invalid("to", Problem::OutOfRange(1, 3660)));
        }
        Ok(Period { from, to })
    }
}

/// A case behind a figure.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Record {
    pub id: ComplaintId,
    pub number: String,
    pub closed_at: i64,
    pub satisfied: bool,
}

/// satisfied ÷ closed with feedback.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Satisfaction {
    pub satisfied: i64,
    pub with_feedback: i64,
    /// Tenths of a percent, rounded toward missing the target (质量目标 `complaint_satisfaction`,
    /// the one in force when the period began); `None` when no case closed with feedback.
    pub permille: Option<i64>,
    /// `66.6%`, or `—`.
    pub shown: String,
    /// The target, in tenths of a percent, and as the desk reads it (`≥ 98%`).
    pub target: i64,
    pub target_shown: String,
    pub met: Option<bool>,
    pub records: Vec<Record>,
}

/// Counts of what was received, by kind.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Default)]
pub struct Counts {
    pub complaints: i64,
    pub suggestions: i64,
    pub praise: i64,
    /// Complaints upheld at the validity check (投诉成立, on the spot included).
    pub upheld: i64,
}

impl Counts {
    fn add(&mut self, kind: Kind, upheld: bool) {
        match kind {
            Kind::Complaint => self.complaints += 1,
            Kind::Suggestion => self.suggestions += 1,
            Kind::Praise => self.praise += 1,
        }
        if kind == Kind::Complaint && upheld {
            self.upheld += 1;
        }
    }
}

/// One staff member's month: complaints upheld against them, praise they received.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct StaffMonth {
    pub month: String,
    pub person: String,
    pub department: Option<String>,
    pub upheld: i64,
    pub praise: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Figures {
    pub from: String,
    pub to: String,
    pub received: Counts,
    /// Closed in the period; of them, closed with feedback is `satisfaction.with_feedback`.
    pub closed: i64,
    pub satisfaction: Satisfaction,
    pub by_category: Vec<(String, Counts)>,
    pub by_department: Vec<(String, Counts)>,
    pub by_channel: Vec<(String, Counts)>,
    pub per_staff: Vec<StaffMonth>,
}

/// A complaint received in the period: its kind, whether upheld, channel, category, department.
struct Received {
    kind: Kind,
    upheld: Option<bool>,
    channel: Channel,
    category: Option<String>,
    department: Option<String>,
}

pub fn figures(conn: &Conn, period: Period, lang: Lang) -> Result<Figures> {
    let tz = crate::reference::get_hospital(conn)?.tz();
    let (start, end) = clock::day_bounds(tz, period.from, period.to);
    let (from, to) = (period.from.to_string(), period.to.to_string());
    let none = || match lang {
        Lang::Zh => "（未填）".to_string(),
        Lang::En => "(none)".to_string(),
    };

    let received: Vec<Received> = conn.all(
        "SELECT c.kind, c.upheld, c.channel, k.name, d.name FROM complaint c
         LEFT JOIN complaint_category k ON k.id = c.category_id
         LEFT JOIN department d ON d.id = c.department_id
         WHERE c.received_date >= ?1 AND c.received_date <= ?2 ORDER BY c.id",
        &[&from, &to],
        |r| {
            Ok(Received {
                kind: r.get(0)?,
                upheld: r.get(1)?,
                channel: r.get(2)?,
                category: r.get(3)?,
                department: r.get(4)?,
            })
        },
    )?;
    let mut total = Counts::default();
    // Keyed (unnamed?, name): the named in order of their names, the unnamed last in every
    // language (（未填） sorted after the names, "(none)" before them).
    let mut by_category: BTreeMap<(bool, String), Counts> = BTreeMap::new();
    let mut by_department: BTreeMap<(bool, String), Counts> = BTreeMap::new();
    let key = |name: Option<String>| match name {
        Some(n) => (false, n),
        None => (true, none()),
    };
    let mut by_channel: BTreeMap<String, Counts> = BTreeMap::new();
    for Received {
        kind,
        upheld,
        channel,
        category,
        department,
    } in received
    {
        let upheld = upheld == Some(true);
        total.add(kind, upheld);
        by_category
            .entry(key(category))
            .or_default()
            .add(kind, upheld);
        by_department
            .entry(key(department))
            .or_default()
            .add(kind, upheld);
        by_channel
            .entry(channel.label(lang).to_string())
            .or_default()
            .add(kind, upheld);
    }

    let closed: i64 = conn.value(
        "SELECT count(*) FROM complaint WHERE closed_at >= ?1 AND closed_at < ?2",
        &[&start, &end],
    )?;
    let records: Vec<Record> = conn.all(
        "SELECT id, number, closed_at, satisfied FROM complaint
         WHERE closed_at >= ?1 AND closed_at < ?2 AND satisfied IS NOT NULL
         ORDER BY closed_at, id",
        &[&start, &end],
        |r| {
            Ok(Record {
                id: r.get(0)?,
                number: r.get(1)?,
                closed_at: r.get(2)?,
                satisfied: r.get(3)?,
            })
        },
    )?;
    let with_feedback = records.len() as i64;
    let satisfied = records.iter().filter(|r| r.satisfied).count() as i64;
    let rate = crate::quality::targets::Rate::judged(
        satisfied,
        with_feedback,
        crate::quality::targets::target_on(conn, "complaint_satisfaction", period.from)?,
        crate::quality::targets::Direction::AtLeast,
        true,
    );

    let per_staff = conn.all(
        "SELECT substr(c.received_date, 1, 7), n.name, d.name,
                CAST(coalesce(sum(CASE WHEN c.kind = 'complaint' AND c.upheld = 1 THEN 1 ELSE 0 END), 0) AS BIGINT),
                CAST(coalesce(sum(CASE WHEN c.kind = 'praise' THEN 1 ELSE 0 END), 0) AS BIGINT)
         FROM complaint c JOIN person n ON n.id = c.person_id
         LEFT JOIN department d ON d.id = n.department_id
         WHERE c.received_date >= ?1 AND c.received_date <= ?2
         GROUP BY substr(c.received_date, 1, 7), n.id, n.name, d.name
         HAVING sum(CASE WHEN (c.kind = 'complaint' AND c.upheld = 1) OR c.kind = 'praise' THEN 1 ELSE 0 END) > 0
         ORDER BY substr(c.received_date, 1, 7), n.name, n.id",
        &[&from, &to],
        |r| {
            Ok(StaffMonth {
                month: r.get(0)?,
                person: r.get(1)?,
                department: r.get(2)?,
                upheld: r.get(3)?,
                praise: r.get(4)?,
            })
        },
    )?;

    Ok(Figures {
        from,
        to,
        received: total,
        closed,
        satisfaction: Satisfaction {
            satisfied,
            with_feedback,
            permille: rate.permille,
            shown: rate.shown(),
            target: rate.target,
            target_shown: rate.target_shown(),
            met: rate.met,
            records,
        },
        by_category: by_category.into_iter().map(|((_, n), c)| (n, c)).collect(),
        by_department: by_department
            .into_iter()
            .map(|((_, n), c)| (n, c))
            .collect(),
        by_channel: by_channel.into_iter().collect(),
        per_staff,
    })
}
