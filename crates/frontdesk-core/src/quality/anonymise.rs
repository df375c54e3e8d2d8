//! 个人信息移除 (manual 6.1): past its retention period a record may lose the personal data it
//! holds — a name becomes 已匿名, a phone or an ID number nothing — while the record itself, and
//! every figure counted from it, stays.
//!
//! Rules owned here:
//! - Only the administrator does it, and only for records past their period: complaints closed
//!   before the complaint period's cutoff lose the complainant's name and contact; follow-ups
//!   closed before the follow-up period's cutoff lose the numbers dialled on each call.
//! - A patient those records name is anonymised too (name, phone, ID number, address; sex and
//!   birth date stay for the figures by age) only when nothing of theirs is still within its
//!   period: no complaint or follow-up of theirs open or closed after its cutoff, no discharge
//!   recorded after the follow-up cutoff, and no visit after the longer of the two cutoffs.
//!   Their search keys go with it: an anonymised patient is found by card number only.
//! - Every change is audited, and the log's earlier entries for those rows are redacted the
//!   same way (each registered and the list sealed, [`crate::audit::verify`]), so the data is
//!   gone from the log too and the chain still verifies.
//! - Quality-check records and questionnaires hold no patient's name, phone or ID number: past
//!   their period there is nothing to remove.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;

use crate::audit::{entries_of, last_entry, redactions, Blank, Table};
use crate::error::{Error, Result, ServerProblem};
use crate::ids::PatientId;
use crate::search;
use crate::store::{Conn, Tx};

use super::retention::{cutoff, cutoff_ms};

/// What an anonymised name reads.
pub const MARK: &str = "已匿名";

const COMPLAINT_FIELDS: &[(&str, Blank)] =
    &[("complainant", Blank::Text(MARK)), ("contact", Blank::Null)];
const ATTEMPT_FIELDS: &[(&str, Blank)] = &[("phone", Blank::Null)];
const PATIENT_FIELDS: &[(&str, Blank)] = &[
    ("name", Blank::Text(MARK)),
    ("phone", Blank::Null),
    ("id_number", Blank::Null),
    ("address", Blank::Text("")),
];

/// What a removal changes (before it: what it would change).
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Count {
    pub complaints: i64,
    /// Calls whose number dialled is removed.
    pub calls: i64,
    pub patients: i64,
    /// Earlier audit entries redacted (0 before the removal).
    pub entries: i64,
}

/// The moments before which each kind of record has passed its period.
struct Cutoffs {
    complaint: i64,
    followup: i64,
    /// The longer period's: a patient seen since keeps their details.
    visit: i64,
}

fn cutoffs(conn: &Conn, today: NaiveDate) -> Result<Cutoffs> {
    let complaint = cutoff_ms(conn, cutoff(conn, "complaint", today)?)?;
    let followup = cutoff_ms(conn, cutoff(conn, "followup", today)?)?;
    Ok(Cutoffs {
        complaint,
        followup,
        visit: complaint.min(followup),
    })
}

const COMPLAINTS: &str = "SELECT id FROM complaint
     WHERE closed_at IS NOT NULL AND closed_at < ?1
       AND (contact IS NOT NULL OR (complainant IS NOT NULL AND complainant <> ?2))
     ORDER BY id";
const CALLS: &str = "SELECT a.id FROM followup_attempt a JOIN followup f ON f.id = a.followup_id
     WHERE f.closed_at IS NOT NULL AND f.closed_at < ?1 AND a.phone IS NOT NULL
     ORDER BY a.id";
const PATIENTS: &str = "SELECT p.id FROM patient p
     WHERE p.id IN (SELECT c.patient_id FROM complaint c WHERE c.closed_at < ?1
                    UNION ALL SELECT f.patient_id FROM followup f WHERE f.closed_at < ?2)
       AND NOT (p.name = ?4 AND p.phone IS NULL AND p.id_number IS NULL AND p.address = '')
       AND p.created_at < ?3 AND coalesce(p.last_visit_at, p.created_at) < ?3
       AND NOT EXISTS (SELECT 1 FROM complaint c WHERE c.patient_id = p.id
                       AND (c.closed_at IS NULL OR c.closed_at >= ?1))
       AND NOT EXISTS (SELECT 1 FROM followup f WHERE f.patient_id = p.id
                       AND (f.closed_at IS NULL OR f.closed_at >= ?2))
       AND NOT EXISTS (SELECT 1 FROM discharge d WHERE d.patient_id = p.id AND d.created_at >= ?2)
     ORDER BY p.id";
// UNION ALL, not UNION, in both: SQLite 3.54 merges a UNION's two sides in patient order, by
// reading every follow-up through its patient index (11 s on ten years) instead of the few
// closed before the cutoff through theirs (50 ms).
/// The patients [`PATIENTS`] may name by the time the removal writes: those the records past
/// their period name (a patient leaves this list only by a new cutoff, a new day).
const MAY_PATIENTS: &str = "SELECT c.patient_id FROM complaint c
     WHERE c.closed_at < ?1 AND c.patient_id IS NOT NULL
     UNION ALL SELECT f.patient_id FROM followup f WHERE f.closed_at < ?2";

struct Due {
    complaints: Vec<i64>,
    calls: Vec<i64>,
    patients: Vec<i64>,
}

fn due(conn: &Conn, today: NaiveDate) -> Result<Due> {
    let c = cutoffs(conn, today)?;
    let ids = |sql: &str, params: crate::store::Params<'_>| -> Result<Vec<i64>> {
        conn.all(sql, params, |r| Ok(r.get(0)?))
    };
    Ok(Due {
        complaints: ids(COMPLAINTS, &[&c.complaint, &MARK])?,
        calls: ids(CALLS, &[&c.followup])?,
        patients: ids(PATIENTS, &[&c.complaint, &c.followup, &c.visit, &MARK])?,
    })
}

/// How many of `record`'s records ended before `before` still hold personal data.
pub(crate) fn holding(conn: &Conn, record: &str, before: i64) -> Result<i64> {
    match record {
        "complaint" => conn.value(
            &COMPLAINTS.replace("SELECT id", "SELECT count(*)").replace("ORDER BY id", ""),
            &[&before, &MARK],
        ),
        "followup" => conn.value(
            "SELECT count(DISTINCT f.id) FROM followup_attempt a JOIN followup f ON f.id = a.followup_id
             WHERE f.closed_at IS NOT NULL AND f.closed_at < ?1 AND a.phone IS NOT NULL",
            &[&before],
        ),
        _ => Ok(0),
    }
}

/// What a removal today would change.
pub fn pending(conn: &Conn, today: NaiveDate) -> Result<Count> {
    let d = due(conn, today)?;
    Ok(Count {
        complaints: d.complaints.len() as i64,
        calls: d.calls.len() as i64,
        patients: d.patients.len() as i64,
        entries: 0,
    })
}

/// The kinds of row a removal rewrites, in [`Survey`]'s order: their log entity and the
/// fields blanked in their entries.
const KINDS: [(&str, &[(&str, Blank)]); 3] = [
    ("complaint", COMPLAINT_FIELDS),
    ("followup_attempt", ATTEMPT_FIELDS),
    ("patient", PATIENT_FIELDS),
];

/// What a removal reads before it writes: the rows that may be due on `today` and where each
/// one's entries are in the log so far. It is read outside the removal's transaction, so that
/// the desks are not kept waiting through the pass over the whole log; the transaction reads
/// only what was written since.
pub struct Survey {
    today: NaiveDate,
    /// The log's newest entry when it was read.
    upto: i64,
    /// Per kind ([`KINDS`]): the rows that may be due.
    rows: [HashSet<i64>; 3],
    /// Per kind: each of those rows' entries up to `upto`.
    entries: [HashMap<i64, Vec<i64>>; 3],
}

impl Survey {
    /// How many log entries the survey found of the rows that may be due.
    pub fn entries(&self) -> usize {
        self.entries
            .iter()
            .flat_map(|k| k.values())
            .map(Vec::len)
            .sum()
    }
}

/// Per kind, its log entity beside `of`'s set of rows.
fn named(of: &[HashSet<i64>]) -> Vec<(&'static str, &HashSet<i64>)> {
    KINDS.iter().zip(of).map(|((e, _), r)| (*e, r)).collect()
}

/// On a server only the database's owner may rewrite a call or a log entry.
fn owners_only(conn: &Conn) -> Result<()> {
    if conn.is_server() {
        let may: i64 = conn.value(
            "SELECT CAST(has_table_privilege('audit_log', 'UPDATE') AS INTEGER)",
            &[],
        )?;
        if may == 0 {
            return Err(Error::Server {
                server: conn.location().shown(),
                problem: ServerProblem::OwnersWork,
            });
        }
    }
    Ok(())
}

/// Reads what a removal on `today` needs from the log: see [`Survey`].
pub fn survey(conn: &Conn, today: NaiveDate) -> Result<Survey> {
    owners_only(conn)?;
    let c = cutoffs(conn, today)?;
    let upto = last_entry(conn)?;
    let set = |sql: &str, params: crate::store::Params<'_>| -> Result<HashSet<i64>> {
        let mut out = HashSet::new();
        conn.each(sql, params, |r| {
            out.insert(r.get(0)?);
            Ok(())
        })?;
        Ok(out)
    };
    let rows = [
        set(COMPLAINTS, &[&c.complaint, &MARK])?,
        set(CALLS, &[&c.followup])?,
        set(MAY_PATIENTS, &[&c.complaint, &c.followup])?,
    ];
    let mut entries: [HashMap<i64, Vec<i64>>; 3] = Default::default();
    for (kind, row, entry) in entries_of(conn, &named(&rows), 0, upto)? {
        entries[kind].entry(row).or_default().push(entry);
    }
    Ok(Survey {
        today,
        upto,
        rows,
        entries,
    })
}

/// Removes the personal data of every record past its period on the survey's day, and of the
/// patients who have nothing left within one; audited, the log's earlier copies redacted.
/// What is due is decided here, in the transaction; the survey says only where in the log
/// the rows' entries were (a row it did not foresee is looked for in the whole log). Nothing
/// due: nothing written but the one entry saying so.
pub fn remove(tx: &mut Tx, survey: &Survey) -> Result<Count> {
    // The desks' role may rewrite no call and no log entry: only the owner gets this far.
    owners_only(tx)?;
    let today = survey.today;
    let d = due(tx, today)?;
    let due = [d.complaints, d.calls, d.patients];
    let now = last_entry(tx)?;
    let sets: Vec<HashSet<i64>> = due
        .iter()
        .map(|ids| ids.iter().copied().collect())
        .collect();
    let unforeseen: Vec<HashSet<i64>> = sets
        .iter()
        .zip(&survey.rows)
        .map(|(due, rows)| due.difference(rows).copied().collect())
        .collect();
    let mut extra: [HashMap<i64, Vec<i64>>; 3] = Default::default();
    let mut found = entries_of(tx, &named(&unforeseen), 0, survey.upto)?;
    found.extend(entries_of(tx, &named(&sets), survey.upto, now)?);
    for (kind, row, entry) in found {
        extra[kind].entry(row).or_default().push(entry);
    }
    let entries_of_row = |kind: usize, id: i64| -> Vec<i64> {
        let mut all: Vec<i64> = survey.entries[kind]
            .get(&id)
            .into_iter()
            .chain(extra[kind].get(&id))
            .flatten()
            .copied()
            .collect();
        all.sort_unstable();
        all.dedup();
        all
    };

    let mut redacted = Vec::new();
    for (kind, ids) in due.iter().enumerate() {
        let (entity, fields) = KINDS[kind];
        for &id in ids {
            redacted.extend(redactions(tx, entity, &entries_of_row(kind, id), fields)?);
            match kind {
                0 => {
                    tx.execute(
                        "UPDATE complaint SET contact = NULL,
                                complainant = CASE WHEN complainant IS NULL THEN NULL ELSE ?2 END
                         WHERE id = ?1",
                        &[&id, &MARK],
                    )?;
                    tx.record("retention.anonymise", Table::Complaint, id, None)?;
                }
                1 => {
                    tx.execute(
                        "UPDATE followup_attempt SET phone = NULL WHERE id = ?1",
                        &[&id],
                    )?;
                    tx.record("retention.anonymise", Table::FollowupAttempt, id, None)?;
                }
                _ => {
                    let old_keys = crate::patient::stored_keys(tx, PatientId(id))?;
                    tx.execute(
                        "UPDATE patient SET name = ?2, phone = NULL, id_number = NULL,
                                address = ''
                         WHERE id = ?1",
                        &[&id, &MARK],
                    )?;
                    let card_only: Vec<String> = crate::patient::stored_keys(tx, PatientId(id))?
                        .into_iter()
                        .filter(|k| k.starts_with("c:"))
                        .collect();
                    search::replace_keys(tx, PatientId(id), &old_keys, &card_only)?;
                    tx.record("retention.anonymise", Table::Patient, id, None)?;
                }
            }
        }
    }
    let count = Count {
        complaints: due[0].len() as i64,
        calls: due[1].len() as i64,
        patients: due[2].len() as i64,
        entries: redacted.len() as i64,
    };
    let detail = json!({
        "complaints": count.complaints,
        "calls": count.calls,
        "patients": count.patients,
        "today": today.to_string(),
    });
    if redacted.is_empty() {
        tx.event("retention.anonymise", "retention", "run", detail)?;
    } else if let serde_json::Value::Object(detail) = detail {
        tx.redact(redacted, detail)?;
    }
    Ok(count)
}
