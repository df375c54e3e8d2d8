//! The reference data's queries and writes: the hospital profile read and saved, each table
//! listed and a record saved or deleted (validated field by field, audited), the business date
//! in the hospital's zone. The kinds, the row types, who sets which field and the fields'
//! readers are in `mod.rs`.

use super::*;
use crate::validate::kept;

/// The business date at `now`: [`clock::business_date`] in the hospital's zone. No hospital
/// yet, or a zone that names none, is an error, never a silent guess of a zone.
pub fn today(conn: &Conn, now: i64) -> Result<NaiveDate> {
    Ok(clock::business_date(get_hospital(conn)?.tz(), now))
}

/// Whether the store holds a hospital yet (a new file or database holds none until its first
/// start makes one). Only "none" says so: a profile that cannot be read is an error, never a
/// reason to make another.
pub fn is_set_up(conn: &Conn) -> Result<bool> {
    Ok(conn
        .value_opt::<i64>("SELECT id FROM hospital WHERE id = 1", &[])?
        .is_some())
}

/// The hospital profile. One whose zone names none (saved only after it parsed, so changed
/// behind the app's back) is refused, never read in a zone guessed for it.
pub fn get_hospital(conn: &Conn) -> Result<Hospital> {
    let h = stored_hospital(conn)?;
    match clock::parse_tz(&h.time_zone) {
        Some(_) => Ok(h),
        None => Err(Error::invalid("time_zone", Problem::Unknown)),
    }
}

/// The profile's row as stored, zone or not: what a save keeps of it (its backups, its
/// thresholds) while it repairs the rest.
fn stored_hospital(conn: &Conn) -> Result<Hospital> {
    conn.one(
        "SELECT name, time_zone, receipt_header, idle_lock_minutes, backup_dir, backup_keep,
                refund_approval_fen, waiting_alert, close_approval_fen FROM hospital WHERE id = 1",
        &[],
        |r| {
            let time_zone: String = r.get(1)?;
            Ok(Hospital {
                name: r.get(0)?,
                zone: clock::parse_tz(&time_zone).unwrap_or(chrono_tz::UTC),
                time_zone,
                receipt_header: r.get(2)?,
                idle_lock_minutes: r.get(3)?,
                backup_dir: r.get(4)?,
                backup_keep: r.get(5)?,
                refund_approval_fen: r.get(6)?,
                waiting_alert: r.get(7)?,
                close_approval_fen: r.get(8)?,
            })
        },
    )?
    .ok_or(Error::NotFound("record"))
}

pub fn save_hospital(tx: &mut Tx, input: &Map<String, Value>) -> Result<Hospital> {
    let current = stored_hospital(tx).ok();
    // Every field is checked before refusing: the form shows all its problems at once.
    let mut c = validate::Checks::new();
    let name = c.take(validate::text("name", &text(input, "name"), 1, 60));
    let time_zone = c.take(
        validate::text(
            "time_zone",
            &text_or(input, "time_zone", "Asia/Shanghai"),
            1,
            60,
        )
        .and_then(|z| match clock::parse_tz(&z) {
            Some(_) => Ok(z),
            None => Err(Error::invalid("time_zone", Problem::Unknown)),
        }),
    );
    let receipt_header = c.take(validate::text(
        "receipt_header",
        &text(input, "receipt_header"),
        1,
        60,
    ));
    let idle = c.take(
        int_or(input, "idle_lock_minutes", 10)
            .and_then(|v| validate::range("idle_lock_minutes", v, 1, 240)),
    );
    let keep = c.take(
        int_or(
            input,
            "backup_keep",
            current.as_ref().map(|h| h.backup_keep).unwrap_or(14),
        )
        .and_then(|v| validate::range("backup_keep", v, 1, 365)),
    );
    let backup_dir = c.take(match input.get("backup_dir") {
        Some(Value::String(s)) if !s.trim().is_empty() => {
            validate::text("backup_dir", s, 1, 1000).map(Some)
        }
        Some(Value::String(_)) | Some(Value::Null) => Ok(None),
        None => Ok(current.as_ref().and_then(|h| h.backup_dir.clone())),
        Some(_) => Err(Error::invalid("backup_dir", Problem::BadFormat)),
    });
    let approval = c.take(
        match input.get("refund_approval_yuan") {
            Some(Value::String(s)) => Fen::parse_yuan("refund_approval_fen", s),
            _ => int_or(
                input,
                "refund_approval_fen",
                current
                    .as_ref()
                    .map(|h| h.refund_approval_fen.0)
                    .unwrap_or(5000),
            )
            .map(Fen),
        }
        .and_then(|f| validate::range("refund_approval_fen", f.0, 0, 100_000_000).map(Fen)),
    );
    let waiting_alert = c.take(
        int_or(
            input,
            "waiting_alert",
            current.as_ref().map(|h| h.waiting_alert).unwrap_or(8),
        )
        .and_then(|v| validate::range("waiting_alert", v, 1, 500)),
    );
    let close_approval = c.take(
        match input.get("close_approval_yuan") {
            Some(Value::String(s)) => Fen::parse_yuan("close_approval_fen", s),
            _ => int_or(
                input,
                "close_approval_fen",
                current
                    .as_ref()
                    .map(|h| h.close_approval_fen.0)
                    .unwrap_or(1000),
            )
            .map(Fen),
        }
        .and_then(|f| validate::range("close_approval_fen", f.0, 0, 100_000_000).map(Fen)),
    );
    c.done()?;
    let (name, time_zone, receipt_header, idle, keep, backup_dir) = (
        kept(name),
        kept(time_zone),
        kept(receipt_header),
        kept(idle),
        kept(keep),
        kept(backup_dir),
    );
    let (approval, waiting_alert, close_approval) =
        (kept(approval), kept(waiting_alert), kept(close_approval));
    let before = snapshot(tx, Table::Hospital, 1)?;
    tx.execute(
        "INSERT INTO hospital (id, name, time_zone, receipt_header, idle_lock_minutes, backup_dir, backup_keep,
                               refund_approval_fen, waiting_alert, close_approval_fen)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (id) DO UPDATE SET name = ?1, time_zone = ?2, receipt_header = ?3,
             idle_lock_minutes = ?4, backup_dir = ?5, backup_keep = ?6,
             refund_approval_fen = ?7, waiting_alert = ?8, close_approval_fen = ?9",
        &[&name, &time_zone, &receipt_header, &idle, &backup_dir, &keep, &approval, &waiting_alert, &close_approval],
    )?;
    tx.record("hospital.save", Table::Hospital, 1, before)?;
    get_hospital(tx)
}

// ---- the tables -------------------------------------------------------------------------

pub fn list_promotions(conn: &Conn) -> Result<Vec<Promotion>> {
    conn.all(
        "SELECT id, code, name, kind, value, valid_from, valid_to, max_uses, uses, active FROM promotion
         ORDER BY active DESC, valid_to DESC, code",
        &[],
        |r| {
            Ok(Promotion {
                id: r.get(0)?,
                code: r.get(1)?,
                name: r.get(2)?,
                kind: r.get(3)?,
                value: r.get(4)?,
                valid_from: r.get(5)?,
                valid_to: r.get(6)?,
                max_uses: r.get(7)?,
                uses: r.get(8)?,
                active: r.get(9)?,
            })
        },
    )
}

pub fn list_categories(conn: &Conn) -> Result<Vec<Category>> {
    conn.all(
        "SELECT id, code, name, active FROM complaint_category ORDER BY id",
        &[],
        |r| {
            Ok(Category {
                id: r.get(0)?,
                code: r.get(1)?,
                name: r.get(2)?,
                active: r.get(3)?,
            })
        },
    )
}

pub fn list_departments(conn: &Conn) -> Result<Vec<Department>> {
    conn.all(
        "SELECT id, code, name, active FROM department ORDER BY code",
        &[],
        |r| {
            Ok(Department {
                id: r.get(0)?,
                code: r.get(1)?,
                name: r.get(2)?,
                active: r.get(3)?,
            })
        },
    )
}

pub fn list_doctors(conn: &Conn) -> Result<Vec<Doctor>> {
    conn.all(
        "SELECT d.id, d.name, d.department_id, p.name, d.title, d.active
         FROM doctor d JOIN department p ON p.id = d.department_id ORDER BY p.code, d.name",
        &[],
        |r| {
            Ok(Doctor {
                id: r.get(0)?,
                name: r.get(1)?,
                department_id: r.get(2)?,
                department_name: r.get(3)?,
                title: r.get(4)?,
                active: r.get(5)?,
            })
        },
    )
}

/// Duty slots from `from` for `days` days, by date, session and department.
pub fn list_duty(conn: &Conn, from: &str, days: i64) -> Result<Vec<Duty>> {
    let from = validate::date("date", from)?;
    let days = validate::range("days", days, 1, 62)?;
    let to = from + chrono::Duration::days(days);
    conn.all(
        concat!(
            "SELECT s.id, s.date, s.session, s.doctor_id, d.name, p.id, p.name, s.capacity
             FROM duty s JOIN doctor d ON d.id = s.doctor_id JOIN department p ON p.id = d.department_id
             WHERE s.date >= ?1 AND s.date < ?2
             ORDER BY s.date, ",
            session_rank_sql!("s.session"),
            ", p.code, d.name"
        ),
        &[&from.to_string(), &to.to_string()],
        |r| {
            Ok(Duty {
                id: r.get(0)?,
                date: r.get(1)?,
                session: r.get(2)?,
                doctor_id: r.get(3)?,
                doctor_name: r.get(4)?,
                department_id: r.get(5)?,
                department_name: r.get(6)?,
                capacity: r.get(7)?,
            })
        },
    )
}

pub fn list_registration_types(conn: &Conn) -> Result<Vec<RegistrationType>> {
    conn.all(
        "SELECT id, code, name, fee_fen, active FROM registration_type ORDER BY fee_fen, code",
        &[],
        |r| {
            Ok(RegistrationType {
                id: r.get(0)?,
                code: r.get(1)?,
                name: r.get(2)?,
                fee_fen: r.get(3)?,
                active: r.get(4)?,
            })
        },
    )
}

pub fn list_payment_methods(conn: &Conn) -> Result<Vec<PaymentMethod>> {
    conn.all(
        "SELECT id, code, name, active FROM payment_method ORDER BY id",
        &[],
        |r| {
            Ok(PaymentMethod {
                id: r.get(0)?,
                code: r.get(1)?,
                name: r.get(2)?,
                active: r.get(3)?,
            })
        },
    )
}

pub fn list_triage_keywords(conn: &Conn) -> Result<Vec<TriageKeyword>> {
    conn.all(
        "SELECT k.id, k.keyword, k.department_id, p.name FROM triage_keyword k
         JOIN department p ON p.id = k.department_id ORDER BY k.keyword, p.code",
        &[],
        |r| {
            Ok(TriageKeyword {
                id: r.get(0)?,
                keyword: r.get(1)?,
                department_id: r.get(2)?,
                department_name: r.get(3)?,
            })
        },
    )
}

/// Lists one kind as JSON for the admin screen. `filter` holds `from`/`days` for the schedule.
pub fn list(conn: &Conn, kind: Kind, filter: &Value) -> Result<Value> {
    Ok(match kind {
        // As stored: the form that repairs a damaged zone must be able to show it.
        Kind::Hospital => serde_json::to_value(stored_hospital(conn)?)?,
        Kind::Department => serde_json::to_value(list_departments(conn)?)?,
        Kind::Doctor => serde_json::to_value(list_doctors(conn)?)?,
        Kind::Duty => {
            let from = filter.get("from").and_then(Value::as_str).unwrap_or("");
            let days = filter.get("days").and_then(Value::as_i64).unwrap_or(7);
            serde_json::to_value(list_duty(conn, from, days)?)?
        }
        Kind::RegistrationType => serde_json::to_value(list_registration_types(conn)?)?,
        Kind::PaymentMethod => serde_json::to_value(list_payment_methods(conn)?)?,
        Kind::TriageKeyword => serde_json::to_value(list_triage_keywords(conn)?)?,
        Kind::Promotion => serde_json::to_value(list_promotions(conn)?)?,
        Kind::Person => serde_json::to_value(crate::people::list(conn)?)?,
        Kind::ComplaintCategory => serde_json::to_value(list_categories(conn)?)?,
        Kind::ComplaintTier => serde_json::to_value(crate::complaint::list_tiers(conn)?)?,
        Kind::CalendarDay => serde_json::to_value(crate::calendar::list(conn)?)?,
    })
}

/// Creates (no `id`) or changes (with `id`) one record; returns its id.
pub fn save(tx: &mut Tx, kind: Kind, input: &Value) -> Result<i64> {
    let input = input
        .as_object()
        .ok_or(Error::invalid("record", Problem::BadFormat))?;
    let id = match input.get("id") {
        None | Some(Value::Null) => None,
        Some(v) => Some(
            v.as_i64()
                .ok_or(Error::invalid("record", Problem::BadFormat))?,
        ),
    };
    match kind {
        Kind::Hospital => save_hospital(tx, input).map(|_| 1),
        Kind::Promotion => save_promotion(tx, id, input),
        Kind::Person => crate::people::save(tx, id, input),
        Kind::ComplaintCategory => {
            let (code, name, active) = coded(tx, "complaint_category", id, input, 20)?;
            upsert(
                tx,
                Table::ComplaintCategory,
                id,
                "complaint_category",
                "INSERT INTO complaint_category (code, name, active) VALUES (?1, ?2, ?3) RETURNING id",
                "UPDATE complaint_category SET code = ?1, name = ?2, active = ?3 WHERE id = ?4",
                &[&code, &name, &active],
            )
        }
        Kind::ComplaintTier => {
            // The two tiers are the manual's; their days are the hospital's to set.
            let id = id.ok_or(Error::invalid("record", Problem::Required))?;
            let mut c = validate::Checks::new();
            let name = c.take(validate::text("name", &text(input, "name"), 1, 20));
            let ack =
                c.take(int("ack_days", input).and_then(|v| validate::range("ack_days", v, 0, 60)));
            let feedback = c.take(
                int("feedback_days", input)
                    .and_then(|v| validate::range("feedback_days", v, 0, 120)),
            );
            if let (Some(ack), Some(feedback)) = (ack, feedback) {
                if feedback < ack {
                    c.refuse(Error::invalid("feedback_days", Problem::BeforeStart));
                }
            }
            c.done()?;
            let (name, ack, feedback) = (kept(name), kept(ack), kept(feedback));
            let id = upsert(
                tx,
                Table::ComplaintTier,
                Some(id),
                "complaint_tier",
                "",
                "UPDATE complaint_tier SET name = ?1, ack_days = ?2, feedback_days = ?3 WHERE id = ?4",
                &[&name, &ack, &feedback],
            )?;
            Ok(id)
        }
        Kind::CalendarDay => {
            let working = bool_or(input, "working", false)?;
            crate::calendar::save_day(tx, &text(input, "date"), working, &text(input, "name"))
        }
        Kind::Department => {
            let (code, name, active) = coded(tx, "department", id, input, 30)?;
            upsert(
                tx,
                Table::Department,
                id,
                "department",
                "INSERT INTO department (code, name, active) VALUES (?1, ?2, ?3) RETURNING id",
                "UPDATE department SET code = ?1, name = ?2, active = ?3 WHERE id = ?4",
                &[&code, &name, &active],
            )
        }
        Kind::Doctor => {
            let mut c = validate::Checks::new();
            let name = c.take(validate::text("name", &text(input, "name"), 1, 30));
            let department = c.take(int("department_id", input).and_then(|d| {
                exists(tx, "department", d, "department_id")?;
                Ok(d)
            }));
            let title = c.take(validate::text("title", &text(input, "title"), 1, 20));
            let active = c.take(bool_or(input, "active", true));
            c.done()?;
            let (name, department, title, active) =
                (kept(name), kept(department), kept(title), kept(active));
            upsert(tx, Table::Doctor, id, "doctor",
                "INSERT INTO doctor (name, department_id, title, active) VALUES (?1, ?2, ?3, ?4) RETURNING id",
                "UPDATE doctor SET name = ?1, department_id = ?2, title = ?3, active = ?4 WHERE id = ?5",
                &[&name, &department, &title, &active])
            .and_then(|id| {
                crate::people::follow_doctor(tx, id)?;
                Ok(id)
            })
        }
        Kind::Duty => {
            let mut c = validate::Checks::new();
            let date = c.take(validate::date("date", &text(input, "date")).map(|d| d.to_string()));
            let session = c.take(
                Session::parse(&text(input, "session"))
                    .ok_or(Error::invalid("session", Problem::Unknown)),
            );
            let doctor = c.take(int("doctor_id", input).and_then(|d| {
                let active: Option<bool> =
                    tx.value_opt("SELECT active FROM doctor WHERE id = ?1", &[&d])?;
                match active {
                    Some(true) => Ok(d),
                    _ => Err(Error::invalid("doctor_id", Problem::Unknown)),
                }
            }));
            let capacity =
                c.take(int("capacity", input).and_then(|v| validate::range("capacity", v, 1, 500)));
            c.done()?;
            let (date, session, doctor, capacity) =
                (kept(date), kept(session), kept(doctor), kept(capacity));
            let clash: Option<i64> = tx.value_opt(
                "SELECT id FROM duty WHERE date = ?1 AND session = ?2 AND doctor_id = ?3",
                &[&date, &session, &doctor],
            )?;
            if clash.is_some() && clash != id {
                return Err(Error::area(super::DutyError::DoctorBusy));
            }
            upsert(tx, Table::Duty, id, "duty",
                "INSERT INTO duty (date, session, doctor_id, capacity) VALUES (?1, ?2, ?3, ?4) RETURNING id",
                "UPDATE duty SET date = ?1, session = ?2, doctor_id = ?3, capacity = ?4 WHERE id = ?5",
                &[&date, &session, &doctor, &capacity])
        }
        Kind::RegistrationType => {
            let mut c = validate::Checks::new();
            let code = c.take(code_field(input));
            let name = c.take(validate::text("name", &text(input, "name"), 1, 20));
            let fee = c.take(
                match input.get("fee_fen") {
                    Some(Value::Number(n)) => n
                        .as_i64()
                        .map(Fen)
                        .ok_or(Error::invalid("fee_fen", Problem::BadFormat)),
                    _ => Fen::parse_yuan("fee_fen", &text(input, "fee_yuan")),
                }
                .and_then(|f| validate::range("fee_fen", f.0, 0, 10_000_000).map(Fen)),
            );
            let active = c.take(bool_or(input, "active", true));
            if let Some(code) = &code {
                c.take(unique(tx, "registration_type", "code", code, id));
            }
            if let Some(name) = &name {
                c.take(unique(tx, "registration_type", "name", name, id));
            }
            c.done()?;
            let (code, name, fee, active) = (kept(code), kept(name), kept(fee), kept(active));
            upsert(tx, Table::RegistrationType, id, "registration_type",
                "INSERT INTO registration_type (code, name, fee_fen, active) VALUES (?1, ?2, ?3, ?4) RETURNING id",
                "UPDATE registration_type SET code = ?1, name = ?2, fee_fen = ?3, active = ?4 WHERE id = ?5",
                &[&code, &name, &fee, &active])
        }
        Kind::PaymentMethod => {
            let (code, name, active) = coded(tx, "payment_method", id, input, 20)?;
            upsert(
                tx,
                Table::PaymentMethod,
                id,
                "payment_method",
                "INSERT INTO payment_method (code, name, active) VALUES (?1, ?2, ?3) RETURNING id",
                "UPDATE payment_method SET code = ?1, name = ?2, active = ?3 WHERE id = ?4",
                &[&code, &name, &active],
            )
        }
        Kind::TriageKeyword => {
            let mut c = validate::Checks::new();
            let keyword = c.take(validate::text("keyword", &text(input, "keyword"), 1, 20));
            let department = c.take(int("department_id", input).and_then(|d| {
                exists(tx, "department", d, "department_id")?;
                Ok(d)
            }));
            c.done()?;
            let (keyword, department) = (kept(keyword), kept(department));
            let clash: Option<i64> = tx.value_opt(
                "SELECT id FROM triage_keyword WHERE keyword = ?1 AND department_id = ?2",
                &[&keyword, &department],
            )?;
            if clash.is_some() && clash != id {
                return Err(Error::invalid("keyword", Problem::Taken));
            }
            upsert(
                tx,
                Table::TriageKeyword,
                id,
                "triage_keyword",
                "INSERT INTO triage_keyword (keyword, department_id) VALUES (?1, ?2) RETURNING id",
                "UPDATE triage_keyword SET keyword = ?1, department_id = ?2 WHERE id = ?3",
                &[&keyword, &department],
            )
        }
    }
}

/// A coded record's code, name (up to `name_max` characters) and switch, each checked, the
/// code and the name unique in `table` — every problem refused together.
fn coded(
    tx: &mut Tx,
    table: &'static str,
    id: Option<i64>,
    input: &Map<String, Value>,
    name_max: usize,
) -> Result<(String, String, bool)> {
    let mut c = validate::Checks::new();
    let code = c.take(code_field(input));
    let name = c.take(validate::text("name", &text(input, "name"), 1, name_max));
    let active = c.take(bool_or(input, "active", true));
    if let Some(code) = &code {
        c.take(unique(tx, table, "code", code, id));
    }
    if let Some(name) = &name {
        c.take(unique(tx, table, "name", name, id));
    }
    c.done()?;
    Ok((kept(code), kept(name), kept(active)))
}

pub(super) fn save_promotion(
    tx: &mut Tx,
    id: Option<i64>,
    input: &Map<String, Value>,
) -> Result<i64> {
    let mut c = validate::Checks::new();
    let code = c.take(code_field(input));
    let name = c.take(validate::text("name", &text(input, "name"), 1, 30));
    let kind = text(input, "kind");
    let value = c.take(match kind.as_str() {
        "price" => match input.get("value") {
            Some(Value::Number(n)) => n
                .as_i64()
                .ok_or(Error::invalid("value", Problem::BadFormat)),
            _ => Fen::parse_yuan("value", &text(input, "value_yuan")).map(|f| f.0),
        },
        "percent" => int("value", input).and_then(|v| validate::range("value", v, 1, 100)),
        _ => Err(Error::invalid("kind", Problem::Unknown)),
    });
    let from = c.take(validate::date("valid_from", &text(input, "valid_from")));
    let to = c.take(validate::date("valid_to", &text(input, "valid_to")));
    if let (Some(from), Some(to)) = (from, to) {
        if to < from {
            c.refuse(Error::invalid("valid_to", Problem::BeforeStart));
        }
    }
    let max_uses = c.take(match input.get("max_uses") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        _ => int("max_uses", input)
            .and_then(|v| validate::range("max_uses", v, 1, 1_000_000))
            .map(Some),
    });
    let active = c.take(bool_or(input, "active", true));
    if let Some(code) = &code {
        c.take(unique(tx, "promotion", "code", code, id));
    }
    c.done()?;
    let (code, name, value, from, to) = (kept(code), kept(name), kept(value), kept(from), kept(to));
    let (max_uses, active) = (kept(max_uses), kept(active));
    upsert(
        tx,
        Table::Promotion,
        id,
        "promotion",
        "INSERT INTO promotion (code, name, kind, value, valid_from, valid_to, max_uses, active)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
        "UPDATE promotion SET code = ?1, name = ?2, kind = ?3, value = ?4, valid_from = ?5,
             valid_to = ?6, max_uses = ?7, active = ?8 WHERE id = ?9",
        &[
            &code,
            &name,
            &kind,
            &value,
            &from.to_string(),
            &to.to_string(),
            &max_uses,
            &active,
        ],
    )
}

/// Deletes a duty slot, a triage keyword or a calendar date. Other kinds are switched off
/// instead.
pub fn delete(tx: &mut Tx, kind: Kind, id: i64) -> Result<()> {
    if kind == Kind::CalendarDay {
        return crate::calendar::delete_day(tx, id);
    }
    let table = match kind {
        Kind::Duty => Table::Duty,
        Kind::TriageKeyword => Table::TriageKeyword,
        _ => return Err(Error::invalid("kind", Problem::BadFormat)),
    };
    let before = snapshot(tx, table, id)?.ok_or(Error::NotFound("record"))?;
    tx.execute(
        &format!("DELETE FROM {} WHERE id = ?1", table.name()),
        &[&id],
    )?;
    tx.record(&format!("{}.delete", table.name()), table, id, Some(before))?;
    Ok(())
}

// ---- reading fields ---------------------------------------------------------------------

pub(super) fn unique(
    conn: &Conn,
    table: &str,
    column: &'static str,
    value: &str,
    id: Option<i64>,
) -> Result<()> {
    let found: Option<i64> = conn.value_opt(
        &format!("SELECT id FROM {table} WHERE {column} = ?1"),
        &[&value],
    )?;
    if found.is_some() && found != id {
        return Err(Error::invalid(column, Problem::Taken));
    }
    Ok(())
}

pub(super) fn exists(conn: &Conn, table: &str, id: i64, field: &'static str) -> Result<()> {
    let found: Option<i64> =
        conn.value_opt(&format!("SELECT id FROM {table} WHERE id = ?1"), &[&id])?;
    found
        .map(|_| ())
        .ok_or(Error::invalid(field, Problem::Unknown))
}

/// Inserts (`insert` takes the fields) or updates (`update` takes the fields, then the id).
#[allow(clippy::too_many_arguments)]
pub(super) fn upsert(
    tx: &mut Tx,
    table: Table,
    id: Option<i64>,
    what: &'static str,
    insert: &str,
    update: &str,
    params: &[&dyn ToSql],
) -> Result<i64> {
    match id {
        None => {
            let id: i64 = tx.insert(insert, params)?;
            tx.record(&format!("{what}.create"), table, id, None)?;
            Ok(id)
        }
        Some(id) => {
            let before = snapshot(tx, table, id)?.ok_or(Error::NotFound(what))?;
            let mut all: Vec<&dyn ToSql> = params.to_vec();
            all.push(&id);
            tx.execute(update, all.as_slice())?;
            tx.record(&format!("{what}.update"), table, id, Some(before))?;
            Ok(id)
        }
    }
}

/// The record's JSON as `list` would give it, for answers to `save`.
pub fn get(conn: &Conn, kind: Kind, id: i64) -> Result<Value> {
    let all = match kind {
        Kind::Duty => {
            let date: Option<String> =
                conn.value_opt("SELECT date FROM duty WHERE id = ?1", &[&id])?;
            let date = date.ok_or(Error::NotFound("duty"))?;
            list(conn, kind, &json!({ "from": date, "days": 1 }))?
        }
        _ => list(conn, kind, &Value::Null)?,
    };
    if kind == Kind::Hospital {
        return Ok(all);
    }
    all.as_array()
        .and_then(|a| {
            a.iter()
                .find(|r| r.get("id").and_then(Value::as_i64) == Some(id))
                .cloned()
        })
        .ok_or(Error::NotFound("record"))
}
