//! 审计日志: the append-only, hash-chained record of every change — who, when, what, the row
//! before and after. Each entry's hash covers its content and the hash before it, so an entry
//! edited or removed behind the app's back breaks the chain; and every audited row must equal
//! the `after` of its last entry, so a row edited with a SQL tool is caught too ([`verify`]).

use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::error::Result;
use crate::ids::StaffId;
use crate::store::{Conn, ValueRef};

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who makes a change: a logged-in staff member, or the system itself (`frontdesk-admin`,
/// first start).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub id: Option<StaffId>,
    pub name: String,
}

impl Actor {
    pub fn system(name: &str) -> Actor {
        Actor {
            id: None,
            name: name.to_string(),
        }
    }
}

/// The tables whose every row is accounted for in the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Hospital,
    Department,
    Doctor,
    Duty,
    RegistrationType,
    PaymentMethod,
    TriageKeyword,
    Staff,
    Patient,
    Promotion,
    Shift,
    Appointment,
    Registration,
    Receipt,
    ReceiptPrint,
    Ledger,
    ShiftClose,
    ShiftCount,
    DeskPrinter,
    Person,
    ComplaintCategory,
    ComplaintTier,
    CalendarDay,
    Complaint,
    ComplaintDepartment,
    ComplaintStep,
    FollowupSetting,
    Discharge,
    Followup,
    FollowupAttempt,
    PatientNoCall,
    FollowupAnswer,
    FollowupConcern,
    SpotCheck,
    SpotCheckItem,
    Questionnaire,
    QuestionnaireVersion,
    QuestionnaireItem,
    SurveyResponse,
    SurveyAnswer,
    MarketSurvey,
    GuideLog,
    QualityTarget,
    OperatingTarget,
    InspectionItem,
    QualityCheck,
    RetentionPeriod,
}

impl Table {
    pub const ALL: [Table; 47] = [
        Table::Hospital,
        Table::Department,
        Table::Doctor,
        Table::Duty,
        Table::RegistrationType,
        Table::PaymentMethod,
        Table::TriageKeyword,
        Table::Staff,
        Table::Patient,
        Table::Promotion,
        Table::Shift,
        Table::Appointment,
        Table::Registration,
        Table::Receipt,
        Table::ReceiptPrint,
        Table::Ledger,
        Table::ShiftClose,
        Table::ShiftCount,
        Table::DeskPrinter,
        Table::Person,
        Table::ComplaintCategory,
        Table::ComplaintTier,
        Table::CalendarDay,
        Table::Complaint,
        Table::ComplaintDepartment,
        Table::ComplaintStep,
        Table::FollowupSetting,
        Table::Discharge,
        Table::Followup,
        Table::FollowupAttempt,
        Table::PatientNoCall,
        Table::FollowupAnswer,
        Table::FollowupConcern,
        Table::SpotCheck,
        Table::SpotCheckItem,
        Table::Questionnaire,
        Table::QuestionnaireVersion,
        Table::QuestionnaireItem,
        Table::SurveyResponse,
        Table::SurveyAnswer,
        Table::MarketSurvey,
        Table::GuideLog,
        Table::QualityTarget,
        Table::OperatingTarget,
        Table::InspectionItem,
        Table::QualityCheck,
        Table::RetentionPeriod,
    ];

    /// `SELECT * FROM <table> WHERE id = ?1`, spelled out once per table so the statement
    /// cache finds it without formatting.
    pub fn select_by_id(self) -> &'static str {
        macro_rules! select {
            ($($t:ident => $n:literal),* $(,)?) => {
                match self { $(Table::$t => concat!("SELECT * FROM ", $n, " WHERE id = ?1"),)* }
            };
        }
        select!(
            Hospital => "hospital",
            Department => "department",
            Doctor => "doctor",
            Duty => "duty",
            RegistrationType => "registration_type",
            PaymentMethod => "payment_method",
            TriageKeyword => "triage_keyword",
            Staff => "staff",
            Patient => "patient",
            Promotion => "promotion",
            Shift => "shift",
            Appointment => "appointment",
            Registration => "registration",
            Receipt => "receipt",
            ReceiptPrint => "receipt_print",
            Ledger => "ledger",
            ShiftClose => "shift_close",
            ShiftCount => "shift_count",
            DeskPrinter => "desk_printer",
            Person => "person",
            ComplaintCategory => "complaint_category",
            ComplaintTier => "complaint_tier",
            CalendarDay => "calendar_day",
            Complaint => "complaint",
            ComplaintDepartment => "complaint_department",
            ComplaintStep => "complaint_step",
            FollowupSetting => "followup_setting",
            Discharge => "discharge",
            Followup => "followup",
            FollowupAttempt => "followup_attempt",
            PatientNoCall => "patient_no_call",
            FollowupAnswer => "followup_answer",
            FollowupConcern => "followup_concern",
            SpotCheck => "spot_check",
            SpotCheckItem => "spot_check_item",
            Questionnaire => "questionnaire",
            QuestionnaireVersion => "questionnaire_version",
            QuestionnaireItem => "questionnaire_item",
            SurveyResponse => "survey_response",
            SurveyAnswer => "survey_answer",
            MarketSurvey => "market_survey",
            GuideLog => "guide_log",
            QualityTarget => "quality_target",
            OperatingTarget => "operating_target",
            InspectionItem => "inspection_item",
            QualityCheck => "quality_check",
            RetentionPeriod => "retention_period",
        )
    }

    pub fn name(self) -> &'static str {
        match self {
            Table::Hospital => "hospital",
            Table::Department => "department",
            Table::Doctor => "doctor",
            Table::Duty => "duty",
            Table::RegistrationType => "registration_type",
            Table::PaymentMethod => "payment_method",
            Table::TriageKeyword => "triage_keyword",
            Table::Staff => "staff",
            Table::Patient => "patient",
            Table::Promotion => "promotion",
            Table::Shift => "shift",
            Table::Appointment => "appointment",
            Table::Registration => "registration",
            Table::Receipt => "receipt",
            Table::ReceiptPrint => "receipt_print",
            Table::Ledger => "ledger",
            Table::ShiftClose => "shift_close",
            Table::ShiftCount => "shift_count",
            Table::DeskPrinter => "desk_printer",
            Table::Person => "person",
            Table::ComplaintCategory => "complaint_category",
            Table::ComplaintTier => "complaint_tier",
            Table::CalendarDay => "calendar_day",
            Table::Complaint => "complaint",
            Table::ComplaintDepartment => "complaint_department",
            Table::ComplaintStep => "complaint_step",
            Table::FollowupSetting => "followup_setting",
            Table::Discharge => "discharge",
            Table::Followup => "followup",
            Table::FollowupAttempt => "followup_attempt",
            Table::PatientNoCall => "patient_no_call",
            Table::FollowupAnswer => "followup_answer",
            Table::FollowupConcern => "followup_concern",
            Table::SpotCheck => "spot_check",
            Table::SpotCheckItem => "spot_check_item",
            Table::Questionnaire => "questionnaire",
            Table::QuestionnaireVersion => "questionnaire_version",
            Table::QuestionnaireItem => "questionnaire_item",
            Table::SurveyResponse => "survey_response",
            Table::SurveyAnswer => "survey_answer",
            Table::MarketSurvey => "market_survey",
            Table::GuideLog => "guide_log",
            Table::QualityTarget => "quality_target",
            Table::OperatingTarget => "operating_target",
            Table::InspectionItem => "inspection_item",
            Table::QualityCheck => "quality_check",
            Table::RetentionPeriod => "retention_period",
        }
    }
}

/// A row as the log keeps it: a JSON object, column by column in the table's order; a BLOB and
/// a password hash only as a digest of themselves. Made straight from the row (no JSON tree in
/// between): the write path takes one or two for every change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot(String);

impl Snapshot {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The row as a JSON value, for comparing with what an entry logged.
    pub fn value(&self) -> Result<Value> {
        Ok(serde_json::from_str(&self.0)?)
    }
}

/// Writes `s` as a JSON string, escaped exactly as serde_json escapes it (the digest of a
/// password hash is taken over this text, as it always was).
fn push_json_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The row `id` of `table`, as the log keeps it; `None` when there is no such row.
pub fn snapshot(conn: &Conn, table: Table, id: impl Into<i64>) -> Result<Option<Snapshot>> {
    let id: i64 = id.into();
    conn.one(table.select_by_id(), &[&id], |row| {
        let mut out = String::with_capacity(64 + row.len() * 24);
        out.push('{');
        for i in 0..row.len() {
            let name = row.name(i);
            if i > 0 {
                out.push(',');
            }
            push_json_str(&mut out, name);
            out.push(':');
            match row.value(i)? {
                ValueRef::Null => out.push_str("null"),
                ValueRef::Int(n) => out.push_str(&n.to_string()),
                ValueRef::Real(f) => out.push_str(&Value::from(f).to_string()),
                ValueRef::Text(t) if name == "password_hash" => {
                    // The digest of the hash as JSON text, as entries have always held it.
                    let mut quoted = String::new();
                    push_json_str(&mut quoted, t);
                    let digest = format!("sha256:{}", hex(&Sha256::digest(quoted)));
                    push_json_str(&mut out, &digest);
                }
                ValueRef::Text(t) => push_json_str(&mut out, t),
                ValueRef::Blob(b) => push_json_str(&mut out, &hex(&Sha256::digest(b))),
            }
        }
        out.push('}');
        Ok(Snapshot(out))
    })
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 0xf)] as char);
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn entry_hash(
    prev: &str,
    id: i64,
    at: i64,
    actor_id: Option<StaffId>,
    actor: &str,
    action: &str,
    entity: &str,
    entity_id: &str,
    before: Option<&str>,
    after: Option<&str>,
) -> String {
    let mut h = Sha256::new();
    for part in [
        prev,
        &id.to_string(),
        &at.to_string(),
        &actor_id.map(|a| a.to_string()).unwrap_or_default(),
        actor,
        action,
        entity,
        entity_id,
        before.unwrap_or("\u{0}"),
        after.unwrap_or("\u{0}"),
    ] {
        h.update(part.as_bytes());
        h.update([0x1f]);
    }
    hex(&h.finalize())
}

/// The newest entry of the chain: its id and hash (the genesis before the first).
pub(crate) fn chain_head(conn: &Conn) -> Result<(i64, String)> {
    Ok(conn
        .one(
            "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1",
            &[],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?
        .unwrap_or((0, GENESIS.to_string())))
}

/// Appends one entry after `head` (the chain's newest entry, read once per transaction by the
/// caller, which holds the write lock) and moves `head` to it.
#[allow(clippy::too_many_arguments)]
pub(crate) fn append(
    conn: &Conn,
    head: &mut (i64, String),
    actor: &Actor,
    at: i64,
    action: &str,
    entity: &str,
    entity_id: &str,
    before: Option<&str>,
    after: Option<&str>,
) -> Result<()> {
    let id = head.0 + 1;
    let hash = entry_hash(
        &head.1,
        id,
        at,
        actor.id,
        &actor.name,
        action,
        entity,
        entity_id,
        before,
        after,
    );
    conn.append_row(
        "INSERT INTO audit_log (id, at, actor_id, actor, action, entity, entity_id, before, after, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        &[
            &id, &at, &actor.id, &actor.name, &action, &entity, &entity_id, &before, &after,
            &head.1, &hash,
        ],
    )?;
    *head = (id, hash);
    Ok(())
}

/// What a field of a snapshot becomes when its personal data is removed.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Blank {
    /// Nothing left.
    Null,
    /// A text in place of a value; a field that held nothing still holds nothing.
    Text(&'static str),
}

/// An audit entry with personal data removed from its snapshots: its new text, and its hash
/// recomputed over that text (the stored hash stays: it is what the next entry chains to).
#[derive(Debug, Clone)]
pub(crate) struct Redacted {
    pub entry_id: i64,
    pub before: Option<String>,
    pub after: Option<String>,
    pub hash: String,
}

fn blanked(text: Option<String>, fields: &[(&str, Blank)]) -> Result<(Option<String>, bool)> {
    let Some(text) = text else {
        return Ok((None, false));
    };
    let mut value: Value = serde_json::from_str(&text)?;
    let mut changed = false;
    if let Some(map) = value.as_object_mut() {
        for (field, blank) in fields {
            if let Some(old) = map.get_mut(*field) {
                let new = match blank {
                    Blank::Null => Value::Null,
                    Blank::Text(_) if old.is_null() => Value::Null,
                    Blank::Text(t) => Value::from(*t),
                };
                if *old != new {
                    *old = new;
                    changed = true;
                }
            }
        }
    }
    Ok(if changed {
        (Some(value.to_string()), true)
    } else {
        (Some(text), false)
    })
}

/// How many ids of the log one query of [`entries_of`] covers: the log is read in windows of
/// its primary key, so that neither engine holds more than one window's rows at a time.
const WINDOW: i64 = 200_000;

/// The newest entry's id (0 for an empty log).
pub(crate) fn last_entry(conn: &Conn) -> Result<i64> {
    Ok(chain_head(conn)?.0)
}

/// The entries after entry `after` and up to entry `upto` of the rows `rows` names (per
/// entity, the rows' ids), in order: `(entity's index in rows, row id, entry id)`. One pass
/// over that part of the log by its primary key: the log keeps no index by row, which would
/// cost every desk's write a page (0006).
pub(crate) fn entries_of(
    conn: &Conn,
    rows: &[(&str, &std::collections::HashSet<i64>)],
    after: i64,
    upto: i64,
) -> Result<Vec<(usize, i64, i64)>> {
    let mut out = Vec::new();
    let wanted: Vec<usize> = (0..rows.len()).filter(|&i| !rows[i].1.is_empty()).collect();
    if wanted.is_empty() {
        return Ok(out);
    }
    let mut from = after;
    while from < upto {
        let to = (from + WINDOW).min(upto);
        conn.each(
            "SELECT id, entity, entity_id FROM audit_log WHERE id > ?1 AND id <= ?2",
            &[&from, &to],
            |r| {
                let entity: String = r.get(1)?;
                if let Some(&i) = wanted.iter().find(|&&i| rows[i].0 == entity) {
                    if let Ok(row) = r.get::<String>(2)?.parse::<i64>() {
                        if rows[i].1.contains(&row) {
                            out.push((i, row, r.get(0)?));
                        }
                    }
                }
                Ok(())
            },
        )?;
        from = to;
    }
    Ok(out)
}

/// Those of the entries `ids` (of `entity`'s rows) whose snapshots hold any of `fields` with
/// something else than their blank, rewritten; entries already redacted are left as they are.
pub(crate) fn redactions(
    conn: &Conn,
    entity: &str,
    ids: &[i64],
    fields: &[(&str, Blank)],
) -> Result<Vec<Redacted>> {
    let mut out = Vec::new();
    for id in ids {
        conn.each(
            "SELECT a.id, a.at, a.actor_id, a.actor, a.action, a.before, a.after, a.prev_hash,
                    a.entity_id
             FROM audit_log a
             WHERE a.id = ?1 AND a.entity = ?2
               AND NOT EXISTS (SELECT 1 FROM audit_redaction r WHERE r.entry_id = a.id)",
            &[id, &entity],
            |r| {
                let id: i64 = r.get(0)?;
                let (before, b) = blanked(r.get(5)?, fields)?;
                let (after, a) = blanked(r.get(6)?, fields)?;
                if a || b {
                    let hash = entry_hash(
                        &r.get::<String>(7)?,
                        id,
                        r.get(1)?,
                        r.get(2)?,
                        &r.get::<String>(3)?,
                        &r.get::<String>(4)?,
                        entity,
                        &r.get::<String>(8)?,
                        before.as_deref(),
                        after.as_deref(),
                    );
                    out.push(Redacted {
                        entry_id: id,
                        before,
                        after,
                        hash,
                    });
                }
                Ok(())
            },
        )?;
    }
    Ok(out)
}

/// The digest a redaction's log entry keeps of the entries it redacted: each entry's id and
/// recomputed hash, in order.
pub(crate) fn seal_digest<'a>(entries: impl IntoIterator<Item = (i64, &'a str)>) -> String {
    let mut h = Sha256::new();
    for (id, hash) in entries {
        h.update(format!("{id}:{hash}\n").as_bytes());
    }
    hex(&h.finalize())
}

/// One line of the log as the administrator reads it.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub id: i64,
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// The newest entries first, optionally only those of one entity kind.
pub fn list_entries(conn: &Conn, entity: Option<&str>, limit: i64) -> Result<Vec<Entry>> {
    let limit = limit.clamp(1, 1000);
    let (sql, params): (&str, Vec<&dyn crate::store::ToSql>) = match &entity {
        Some(e) => (
            "SELECT id, at, actor, action, entity, entity_id, before, after FROM audit_log
             WHERE entity = ?1 ORDER BY id DESC LIMIT ?2",
            vec![e, &limit],
        ),
        None => (
            "SELECT id, at, actor, action, entity, entity_id, before, after FROM audit_log
             ORDER BY id DESC LIMIT ?1",
            vec![&limit],
        ),
    };
    conn.all(sql, &params, |r| {
        Ok(Entry {
            id: r.get(0)?,
            at: r.get(1)?,
            actor: r.get(2)?,
            action: r.get(3)?,
            entity: r.get(4)?,
            entity_id: r.get(5)?,
            before: r.get(6)?,
            after: r.get(7)?,
        })
    })
}

/// What `verify` found. `problems` is empty when the file, the chain and every row agree.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Report {
    pub integrity: String,
    pub entries: i64,
    pub rows_checked: i64,
    /// The first log entry that does not match, if any.
    pub first_bad_entry: Option<i64>,
    pub problems: Vec<String>,
}

impl Report {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Checks the file (full integrity check), the hash chain, and every audited row against the
/// last entry that wrote it.
pub fn verify(conn: &Conn) -> Result<Report> {
    let mut report = Report {
        integrity: conn.integrity_check()?,
        ..Default::default()
    };
    if report.integrity != "ok" {
        report
            .problems
            .push(format!("integrity check: {}", report.integrity));
    }

    // Entries whose personal data was removed past its retention period: each is checked
    // against the hash recomputed over its redacted text, and the list against the digest its
    // redaction's own (chained) entry keeps.
    let redacted: std::collections::BTreeMap<i64, (i64, String)> = if conn.version()? >= 18 {
        conn.all(
            "SELECT entry_id, redaction_id, hash FROM audit_redaction ORDER BY entry_id",
            &[],
            |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))),
        )?
        .into_iter()
        .collect()
    } else {
        Default::default()
    };
    let mut seals: std::collections::HashMap<i64, Option<String>> = Default::default();
    let mut prev_hash = GENESIS.to_string();
    let mut expected_id = 1;
    let mut last_after: std::collections::HashMap<(String, String), (i64, Option<String>)> =
        Default::default();
    conn.each(
        "SELECT id, at, actor_id, actor, action, entity, entity_id, before, after, prev_hash, hash
         FROM audit_log ORDER BY id",
        &[],
        |r| {
        let id: i64 = r.get(0)?;
        let entity: String = r.get(5)?;
        let entity_id: String = r.get(6)?;
        let before: Option<String> = r.get(7)?;
        let after: Option<String> = r.get(8)?;
        let stored_prev: String = r.get(9)?;
        let stored_hash: String = r.get(10)?;
        report.entries += 1;
        let action: String = r.get(4)?;
        if action == "audit.redact" {
            seals.insert(id, after.clone());
        }
        let computed = entry_hash(
            &prev_hash,
            id,
            r.get(1)?,
            r.get(2)?,
            &r.get::<String>(3)?,
            &action,
            &entity,
            &entity_id,
            before.as_deref(),
            after.as_deref(),
        );
        let expected_hash = redacted.get(&id).map_or(&stored_hash, |(_, h)| h);
        if report.first_bad_entry.is_none() {
            if id != expected_id || stored_prev != prev_hash {
                report.first_bad_entry = Some(id);
                report.problems.push(format!(
                    "audit entry #{id}: does not follow entry #{} (an entry was removed or inserted)",
                    expected_id - 1
                ));
            } else if computed != *expected_hash {
                report.first_bad_entry = Some(id);
                report.problems.push(format!(
                    "audit entry #{id}: its content was changed after it was written"
                ));
            }
        }
        prev_hash = stored_hash;
        expected_id = id + 1;
        if Table::ALL.iter().any(|t| t.name() == entity) {
            last_after.insert((entity, entity_id), (id, after));
        }
        Ok(())
    })?;

    let mut sealed: std::collections::BTreeMap<i64, Vec<(i64, &str)>> = Default::default();
    for (entry, (redaction, hash)) in &redacted {
        sealed
            .entry(*redaction)
            .or_default()
            .push((*entry, hash.as_str()));
    }
    for (seal, after) in &seals {
        let count = after
            .as_deref()
            .map(serde_json::from_str::<Value>)
            .transpose()?
            .and_then(|k| k["entries"].as_u64())
            .unwrap_or(0);
        if count > 0 && !sealed.contains_key(seal) {
            report.problems.push(format!(
                "audit entry #{seal}: the redactions it seals are gone (audit_redaction edited outside Frontdesk)"
            ));
        }
    }
    for (redaction, entries) in sealed {
        let kept = seals
            .get(&redaction)
            .and_then(|after| after.as_deref())
            .map(serde_json::from_str::<Value>)
            .transpose()?;
        let holds = kept.as_ref().is_some_and(|k| {
            k["entries"].as_u64() == Some(entries.len() as u64)
                && k["digest"].as_str() == Some(seal_digest(entries.iter().copied()).as_str())
        });
        if !holds {
            report.problems.push(format!(
                "audit entry #{redaction}: the redactions it seals were changed (audit_redaction edited outside Frontdesk)"
            ));
        }
    }

    for table in Table::ALL {
        let ids: Vec<i64> = conn.all(
            &format!("SELECT id FROM {} ORDER BY id", table.name()),
            &[],
            |r| Ok(r.get(0)?),
        )?;
        let mut seen = std::collections::HashSet::new();
        for id in ids {
            report.rows_checked += 1;
            seen.insert(id.to_string());
            let now = snapshot(conn, table, id)?.map(|s| s.value()).transpose()?;
            match last_after.get(&(table.name().to_string(), id.to_string())) {
                None => report.problems.push(format!(
                    "{} #{id}: written outside Frontdesk (no audit entry)",
                    table.name()
                )),
                Some((entry, after)) => {
                    let logged: Option<Value> =
                        after.as_deref().map(serde_json::from_str).transpose()?;
                    if logged != now {
                        report.problems.push(format!(
                            "{} #{id}: differs from audit entry #{entry} (changed outside Frontdesk)",
                            table.name()
                        ));
                    }
                }
            }
        }
        for ((entity, entity_id), (entry, after)) in &last_after {
            if entity == table.name() && after.is_some() && !seen.contains(entity_id) {
                report.problems.push(format!(
                    "{entity} #{entity_id}: deleted outside Frontdesk (last audit entry #{entry})"
                ));
            }
        }
    }
    report
        .problems
        .sort_by_key(|p| !p.starts_with("audit entry"));
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snapshot_is_the_row_as_json_whatever_its_text_holds() {
        let conn = Conn::memory().unwrap();
        let name = "王\"五\\ \n\t\r\u{1}\u{1f}·é 😀 </script>";
        conn.batch(&format!(
            "CREATE TABLE staff (id INTEGER PRIMARY KEY, name TEXT, n INTEGER, x REAL,
                                 b BLOB, password_hash TEXT, empty TEXT);
             INSERT INTO staff VALUES (7, '{name}', -42, 1.5, x'00ff', '$argon2id$v=19$m=1', NULL);"
        ))
        .unwrap();
        let s = snapshot(&conn, Table::Staff, 7).unwrap().unwrap();
        let digest = |v: &str| format!("sha256:{}", hex(&Sha256::digest(v)));
        let want = serde_json::json!({
            "id": 7,
            "name": name,
            "n": -42,
            "x": 1.5,
            "b": hex(&Sha256::digest([0u8, 255])),
            // The hash itself never enters the log: the digest of it as JSON text.
            "password_hash": digest(&Value::from("$argon2id$v=19$m=1").to_string()),
            "empty": null,
        });
        assert_eq!(s.value().unwrap(), want, "{}", s.as_str());
        assert!(!s.as_str().contains("argon2"));
        assert!(snapshot(&conn, Table::Staff, 8).unwrap().is_none());
    }

    #[test]
    fn text_is_escaped_byte_for_byte_as_serde_json_does() {
        // The digest of a password hash is taken over this text: it must never change.
        let mut every: String = (0u32..0x80).filter_map(char::from_u32).collect();
        every.push_str("王·é\u{2028}😀\u{7f}");
        for text in [
            every.as_str(),
            "",
            "\"\\",
            "$argon2id$v=19$m=19456,t=2,p=1$abc",
        ] {
            let mut ours = String::new();
            push_json_str(&mut ours, text);
            assert_eq!(ours, serde_json::to_string(text).unwrap(), "{text:?}");
        }
    }
}
