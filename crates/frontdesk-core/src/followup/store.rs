//! 客户回访's queries and writes: the settings, the work list filled from first visits and
//! discharges, a discharge added, a call attempted and its outcome applied, a number fixed, the
//! lists and the counters. The types and the outcomes' pure rule are in `mod.rs`, what a reached
//! call brings in `call.rs`, the desk's commands in `desk.rs`.

use super::*;

pub fn settings(conn: &Conn) -> Result<Settings> {
    Ok(conn
        .one(
            "SELECT first_visit_days, discharge_days, retry_hours, max_attempts, second_days
             FROM followup_setting WHERE id = 1",
            &[],
            |r| {
                Ok(Settings {
                    first_visit_days: r.get(0)?,
                    discharge_days: r.get(1)?,
                    retry_hours: r.get(2)?,
                    max_attempts: r.get(3)?,
                    second_days: r.get(4)?,
                })
            },
        )?
        .unwrap_or_default())
}

pub fn save_settings(tx: &mut Tx, s: &Settings) -> Result<Settings> {
    validate::range("first_visit_days", s.first_visit_days, 0, 90)?;
    validate::range("discharge_days", s.discharge_days, 0, 90)?;
    validate::range("retry_hours", s.retry_hours, 1, 720)?;
    validate::range("max_attempts", s.max_attempts, 1, 20)?;
    validate::range("second_days", s.second_days, 0, 90)?;
    let before = snapshot(tx, Table::FollowupSetting, 1)?;
    tx.execute(
        "INSERT INTO followup_setting (id, first_visit_days, discharge_days, retry_hours,
             max_attempts, second_days)
         VALUES (1, ?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (id) DO UPDATE SET first_visit_days = ?1, discharge_days = ?2,
             retry_hours = ?3, max_attempts = ?4, second_days = ?5",
        &[
            &s.first_visit_days,
            &s.discharge_days,
            &s.retry_hours,
            &s.max_attempts,
            &s.second_days,
        ],
    )?;
    tx.record("followup_setting.save", Table::FollowupSetting, 1, before)?;
    settings(tx)
}

/// The settings row, for a new hospital and (migration 0010) for one already working.
pub fn seed(tx: &mut Tx) -> Result<()> {
    save_settings(tx, &Settings::default()).map(|_| ())
}

/// Migration 0010's step: the row as that schema has it (its columns, not today's: later
/// migrations add theirs with their defaults).
pub(crate) fn seed_existing(tx: &mut Tx) -> Result<()> {
    let hospital: Option<i64> = tx.value_opt("SELECT id FROM hospital WHERE id = 1", &[])?;
    if hospital.is_none() {
        return Ok(());
    }
    let d = Settings::default();
    tx.execute(
        "INSERT INTO followup_setting (id, first_visit_days, discharge_days, retry_hours,
             max_attempts)
         VALUES (1, ?1, ?2, ?3, ?4)",
        &[
            &d.first_visit_days,
            &d.discharge_days,
            &d.retry_hours,
            &d.max_attempts,
        ],
    )?;
    tx.record("followup_setting.save", Table::FollowupSetting, 1, None)
}

// ---- the outcome of a call ----------------------------------------------------------------

/// How far below the newest registration (or discharge) already on the list the search for those
/// not on it starts. Ids grow with every row, so only the newest can be missing — but on a shared
/// server a desk's row may commit after a later id of another desk's; this many rows back covers
/// any transaction still in flight, and keeps the search a few index lookups instead of weeks of
/// registrations.
pub(super) const IN_FLIGHT: i64 = 1000;

/// A first visit not on the list yet: its registration, patient, department and date.
pub(super) struct UnlistedVisit {
    registration_id: i64,
    patient_id: PatientId,
    department_id: DepartmentId,
    date: String,
}

/// A discharge not on the list yet: its id, patient, department (if known) and date.
pub(super) struct UnlistedDischarge {
    discharge_id: DischargeId,
    patient_id: PatientId,
    department_id: Option<DepartmentId>,
    discharged_on: String,
}

/// The first visits and discharges of the last weeks not on the list yet (none of a patient who
/// refused calls).
pub(super) fn missing(
    conn: &Conn,
    today: NaiveDate,
) -> Result<(Vec<UnlistedVisit>, Vec<UnlistedDischarge>)> {
    let since = (today - chrono::Duration::days(LOOK_BACK_DAYS)).to_string();
    let visits: Vec<UnlistedVisit> = conn.all(
        concat!(
            "SELECT r.id, r.patient_id, r.department_id, r.date FROM registration r
             WHERE r.id > COALESCE((SELECT MAX(registration_id) FROM followup), 0) - ?2
               AND r.date >= ?1 AND r.visit_kind = 'first' AND ",
            crate::holds_place_sql!("r"),
            " AND NOT EXISTS (SELECT 1 FROM followup f WHERE f.registration_id = r.id)
              AND NOT EXISTS (SELECT 1 FROM patient_no_call n WHERE n.patient_id = r.patient_id)
             ORDER BY r.id"
        ),
        &[&since, &IN_FLIGHT],
        |r| {
            Ok(UnlistedVisit {
                registration_id: r.get(0)?,
                patient_id: r.get(1)?,
                department_id: r.get(2)?,
                date: r.get(3)?,
            })
        },
    )?;
    let discharges: Vec<UnlistedDischarge> = conn.all(
        "SELECT d.id, d.patient_id, d.department_id, d.discharged_on FROM discharge d
         WHERE d.id > COALESCE((SELECT MAX(discharge_id) FROM followup), 0) - ?2
           AND d.discharged_on >= ?1
           AND NOT EXISTS (SELECT 1 FROM followup f WHERE f.discharge_id = d.id)
           AND NOT EXISTS (SELECT 1 FROM patient_no_call n WHERE n.patient_id = d.patient_id)
         ORDER BY d.id",
        &[&since, &IN_FLIGHT],
        |r| {
            Ok(UnlistedDischarge {
                discharge_id: r.get(0)?,
                patient_id: r.get(1)?,
                department_id: r.get(2)?,
                discharged_on: r.get(3)?,
            })
        },
    )?;
    Ok((visits, discharges))
}

/// A patient with no phone on file goes straight to the number-to-fix list.
pub(super) const NO_PHONE_FIXES: &str =
    "CASE WHEN (SELECT phone FROM patient WHERE id = ?1) IS NULL THEN 'fix_number' ELSE 'open' END";

/// Whether [`generate`] has anything to add (read without writing).
pub fn anything_to_add(conn: &Conn, today: NaiveDate) -> Result<bool> {
    let (v, d) = missing(conn, today)?;
    Ok(!v.is_empty() || !d.is_empty())
}

/// Puts on the list every first visit and discharge of the last weeks that is not on it yet
/// (none for a patient who refused calls). Returns how many were added.
pub fn generate(tx: &mut Tx, today: NaiveDate) -> Result<i64> {
    let s = settings(tx)?;
    let (visits, discharges) = missing(tx, today)?;
    let mut added = 0;
    let now = tx.now;
    let visit_sql = format!(
        "INSERT INTO followup (kind, patient_id, registration_id, department_id, due_date,
             state, attempts, created_at)
         VALUES ('first_visit', ?1, ?2, ?3, ?4, {NO_PHONE_FIXES}, 0, ?5) RETURNING id"
    );
    let discharge_sql = format!(
        "INSERT INTO followup (kind, patient_id, discharge_id, department_id, due_date,
             state, attempts, created_at)
         VALUES ('discharge', ?1, ?2, ?3, ?4, {NO_PHONE_FIXES}, 0, ?5) RETURNING id"
    );
    for visit in visits {
        let due = date_after(&visit.date, s.first_visit_days)?;
        let id: FollowupId = tx.insert(
            &visit_sql,
            &[
                &visit.patient_id,
                &visit.registration_id,
                &visit.department_id,
                &due,
                &now,
            ],
        )?;
        tx.record("followup.due", Table::Followup, id, None)?;
        added += 1;
    }
    for discharge in discharges {
        let due = date_after(&discharge.discharged_on, s.discharge_days)?;
        let id: FollowupId = tx.insert(
            &discharge_sql,
            &[
                &discharge.patient_id,
                &discharge.discharge_id,
                &discharge.department_id,
                &due,
                &now,
            ],
        )?;
        tx.record("followup.due", Table::Followup, id, None)?;
        added += 1;
    }
    Ok(added)
}

/// A discharge's fields, checked (its patient only when it names one: an import checks the
/// row before it makes the patient).
pub(crate) fn check_discharge(
    conn: &Conn,
    input: &DischargeInput,
    today: NaiveDate,
) -> Result<CheckedDischarge> {
    let discharged = validate::date("discharged_on", &input.discharged_on)?;
    if discharged > today {
        return Err(Error::invalid("discharged_on", Problem::Future));
    }
    let admitted = match input.admitted_on.trim() {
        "" => None,
        d => {
            let d = validate::date("admitted_on", d)?;
            if d > discharged {
                return Err(Error::invalid("discharged_on", Problem::BeforeStart));
            }
            Some(d.to_string())
        }
    };
    if let Some(d) = input.department_id {
        let found: Option<i64> =
            conn.value_opt("SELECT id FROM department WHERE id = ?1", &[&d])?;
        found.ok_or(Error::invalid("department_id", Problem::Unknown))?;
    }
    let doctor = validate::text("doctor", &input.doctor, 0, 30)?;
    let diagnosis = validate::text("diagnosis", &input.diagnosis, 0, 200)?;
    if let Some(patient) = input.patient_id {
        crate::patient::get_patient(conn, patient, today)
            .map_err(|_| Error::invalid("patient_id", Problem::Unknown))?;
        let clash: Option<i64> = conn.value_opt(
            "SELECT id FROM discharge WHERE patient_id = ?1 AND discharged_on = ?2",
            &[&patient, &discharged.to_string()],
        )?;
        if clash.is_some() {
            return Err(Error::invalid("discharged_on", Problem::Taken));
        }
    }
    Ok(CheckedDischarge {
        admitted,
        discharged: discharged.to_string(),
        doctor,
        diagnosis,
    })
}

/// A discharge's fields as checked, ready to write.
pub(crate) struct CheckedDischarge {
    admitted: Option<String>,
    discharged: String,
    doctor: String,
    diagnosis: String,
}

pub fn add_discharge(tx: &mut Tx, input: &DischargeInput, today: NaiveDate) -> Result<DischargeId> {
    let patient = input
        .patient_id
        .ok_or(Error::invalid("patient_id", Problem::Required))?;
    let CheckedDischarge {
        admitted,
        discharged,
        doctor,
        diagnosis,
    } = check_discharge(tx, input, today)?;
    let id: DischargeId = tx.insert(
        "INSERT INTO discharge (patient_id, department_id, admitted_on, discharged_on, doctor,
             diagnosis, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
        &[
            &patient,
            &input.department_id,
            &admitted,
            &discharged,
            &doctor,
            &diagnosis,
            &tx.now,
        ],
    )?;
    tx.record("discharge.create", Table::Discharge, id, None)?;
    Ok(id)
}

// ---- a call ----------------------------------------------------------------------------------

pub(super) const COLUMNS: &str =
    "f.id, f.kind, f.patient_id, p.name, p.card_no, p.phone, d.name, f.due_date,
    f.next_try_at, f.state, f.attempts, f.closed_at";
pub(super) const FROM: &str = "followup f JOIN patient p ON p.id = f.patient_id
    LEFT JOIN department d ON d.id = f.department_id";

pub(super) fn row(r: &Row, today: &str) -> Result<Followup> {
    let state: FState = r.get(9)?;
    let due: String = r.get(7)?;
    Ok(Followup {
        id: r.get(0)?,
        kind: r.get(1)?,
        patient_id: r.get(2)?,
        patient: r.get(3)?,
        card_no: r.get(4)?,
        phone: r.get(5)?,
        department: r.get(6)?,
        overdue: state == FState::Open && due.as_str() < today,
        due_date: due,
        next_try_at: r.get(8)?,
        state,
        attempts: r.get(10)?,
        closed_at: r.get(11)?,
    })
}

pub fn get(conn: &Conn, id: FollowupId, today: NaiveDate) -> Result<Followup> {
    let today = today.to_string();
    conn.one(
        &format!("SELECT {COLUMNS} FROM {FROM} WHERE f.id = ?1"),
        &[&id],
        |r| row(r, &today),
    )?
    .ok_or(Error::NotFound("followup"))
}

/// A follow-up about to be called: its state, attempts so far, patient and the phone on file.
struct CallTarget {
    state: FState,
    attempts: i64,
    patient_id: PatientId,
    phone: Option<String>,
}

/// Records one attempt at the call, and what its outcome decides.
pub fn attempt(tx: &mut Tx, by: StaffId, input: &AttemptInput, today: NaiveDate) -> Result<FState> {
    let outcome = Outcome::parse(input.outcome.trim()).ok_or(Error::invalid(
        "outcome",
        if input.outcome.trim().is_empty() {
            Problem::Required
        } else {
            Problem::Unknown
        },
    ))?;
    let note = validate::text("note", &input.note, 0, 500)?;
    let answer = if outcome == Outcome::Reached {
        Some(call::check_reached(tx, input.answer.as_ref(), today)?)
    } else {
        call::refuse_unreached(input.answer.as_ref())?;
        None
    };
    let current: Option<CallTarget> = tx.one(
        "SELECT f.state, f.attempts, f.patient_id, p.phone FROM followup f
         JOIN patient p ON p.id = f.patient_id WHERE f.id = ?1",
        &[&input.followup_id],
        |r| {
            Ok(CallTarget {
                state: r.get(0)?,
                attempts: r.get(1)?,
                patient_id: r.get(2)?,
                phone: r.get(3)?,
            })
        },
    )?;
    let CallTarget {
        state,
        attempts,
        patient_id: patient,
        phone,
    } = current.ok_or(Error::NotFound("followup"))?;
    if state != FState::Open {
        return Err(FollowupError::NotOpen { state }.into());
    }
    let s = settings(tx)?;
    let n = attempts + 1;
    let now = tx.now;
    let next = rule(&s, outcome, n, now);
    let attempt: i64 = tx.insert(
        "INSERT INTO followup_attempt (followup_id, n, outcome, phone, staff_id, at, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
        &[&input.followup_id, &n, &outcome, &phone, &by, &now, &note],
    )?;
    tx.record(
        &format!("followup.{}", outcome.as_str()),
        Table::FollowupAttempt,
        attempt,
        None,
    )?;
    let before = snapshot(tx, Table::Followup, input.followup_id)?;
    let closed = next.state.closed().then_some(now);
    tx.execute(
        "UPDATE followup SET state = ?2, attempts = ?3, next_try_at = ?4, closed_at = ?5
         WHERE id = ?1",
        &[
            &input.followup_id,
            &next.state,
            &n,
            &next.next_try_at,
            &closed,
        ],
    )?;
    tx.record(
        "followup.attempt",
        Table::Followup,
        input.followup_id,
        before,
    )?;
    if let Some(answer) = &answer {
        call::record_answer(tx, &s, (input.followup_id, attempt), by, answer, today)?;
    }
    if outcome == Outcome::Refused {
        let marked: Option<i64> = tx.value_opt(
            "SELECT id FROM patient_no_call WHERE patient_id = ?1",
            &[&patient],
        )?;
        if marked.is_none() {
            let id: i64 = tx.insert(
                "INSERT INTO patient_no_call (patient_id, at, staff_id, reason)
                 VALUES (?1, ?2, ?3, ?4) RETURNING id",
                &[&patient, &now, &by, &note],
            )?;
            tx.record("patient.no_call", Table::PatientNoCall, id, None)?;
        }
    }
    Ok(next.state)
}

/// 号码更正: the patient's phone corrected (in the patient index, audited) and the call put
/// back on the list.
pub fn fix_number(tx: &mut Tx, id: FollowupId, phone: &str, today: NaiveDate) -> Result<()> {
    let current: Option<(FState, PatientId)> = tx.one(
        "SELECT state, patient_id FROM followup WHERE id = ?1",
        &[&id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let (state, patient) = current.ok_or(Error::NotFound("followup"))?;
    if state != FState::FixNumber {
        return Err(FollowupError::NotOpen { state }.into());
    }
    let p = crate::patient::get_patient(tx, patient, today)?;
    let normalized = crate::patient::normalize_phone(phone)?
        .ok_or(Error::invalid("phone", Problem::Required))?;
    // The number the call failed on (none: the patient had no phone when it was listed).
    let failed_on: Option<String> = tx
        .value_opt::<Option<String>>(
            "SELECT phone FROM followup_attempt WHERE followup_id = ?1 ORDER BY n DESC LIMIT 1",
            &[&id],
        )?
        .flatten();
    if p.phone.as_deref() == Some(normalized.as_str()) {
        // Already in the patient index (the registration desk corrected it meanwhile): the
        // call goes back on the list as it is; the very number it failed on is no correction.
        if failed_on.as_deref() == Some(normalized.as_str()) {
            return Err(Error::invalid("phone", Problem::Unchanged));
        }
        return reopen(tx, id);
    }
    let input = crate::patient::PatientInput {
        id: Some(patient),
        name: p.name,
        sex: p.sex,
        birth_date: p.birth_date.unwrap_or_default(),
        id_number: p.id_number.unwrap_or_default(),
        phone: normalized,
        address: p.address,
        origin: p.origin,
        heard_via: p.heard_via,
        card_no: String::new(),
    };
    crate::patient::save(tx, &input, true)?;
    reopen(tx, id)
}

/// A call whose number is right now back on the list, due at once.
pub(super) fn reopen(tx: &mut Tx, id: FollowupId) -> Result<()> {
    let before = snapshot(tx, Table::Followup, id)?;
    tx.execute(
        "UPDATE followup SET state = 'open', next_try_at = NULL WHERE id = ?1",
        &[&id],
    )?;
    tx.record("followup.number_fixed", Table::Followup, id, before)
}

pub(super) const KINDS: [&str; 4] = ["first_visit", "discharge", "second", "planned"];

pub fn list(
    conn: &Conn,
    view: View,
    filter: &Filter,
    me: StaffId,
    today: NaiveDate,
    now: i64,
    limit: i64,
) -> Result<Vec<Followup>> {
    let today_s = today.to_string();
    let limit = limit.clamp(1, 1000);
    let kind = match filter.kind.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(k) if KINDS.contains(&k) => Some(k.to_string()),
        Some(_) => return Err(Error::invalid("kind", Problem::Unknown)),
    };
    let not_refused =
        "NOT EXISTS (SELECT 1 FROM patient_no_call n WHERE n.patient_id = f.patient_id)";
    let (mut filter_sql, order) = match view {
        View::Due => (
            format!(
                "f.closed_at IS NULL AND f.state = 'open' AND f.due_date <= ?2
                 AND (f.next_try_at IS NULL OR f.next_try_at <= ?3) AND {not_refused}"
            ),
            "f.due_date, f.id",
        ),
        View::Overdue => (
            format!(
                "f.closed_at IS NULL AND f.state = 'open' AND f.due_date < ?2 AND {not_refused}"
            ),
            "f.due_date, f.id",
        ),
        View::FixNumber => (
            format!("f.state = 'fix_number' AND {not_refused}"),
            "f.due_date, f.id",
        ),
        View::Open => (
            format!("f.closed_at IS NULL AND {not_refused}"),
            "f.due_date, f.id",
        ),
        View::Closed => (
            "f.closed_at IS NOT NULL".to_string(),
            "f.closed_at DESC, f.id DESC",
        ),
    };
    // Every parameter is always bound (?1 limit, ?2 today, ?3 now, ?4 me, ?5 department,
    // ?6 kind); a filter not asked for compares a parameter with itself.
    filter_sql.push_str(" AND ?2 = ?2 AND ?3 = ?3");
    filter_sql.push_str(if filter.mine {
        " AND EXISTS (SELECT 1 FROM followup_attempt a WHERE a.followup_id = f.id AND a.staff_id = ?4)"
    } else {
        " AND ?4 = ?4"
    });
    filter_sql.push_str(if filter.department_id.is_some() {
        " AND f.department_id = ?5"
    } else {
        " AND ?5 = ?5"
    });
    filter_sql.push_str(if kind.is_some() {
        " AND f.kind = ?6"
    } else {
        " AND ?6 = ?6"
    });
    let department = filter.department_id.unwrap_or_default();
    let kind = kind.unwrap_or_default();
    conn.all(
        &format!("SELECT {COLUMNS} FROM {FROM} WHERE {filter_sql} ORDER BY {order} LIMIT ?1"),
        &[&limit, &today_s, &now, &me, &department, &kind],
        |r| row(r, &today_s),
    )
}

pub const COUNTS_UP_TO: i64 = 1000;

pub fn counts(conn: &Conn, today: NaiveDate, now: i64) -> Result<Counts> {
    let today = today.to_string();
    let not_refused =
        "NOT EXISTS (SELECT 1 FROM patient_no_call n WHERE n.patient_id = f.patient_id)";
    let capped = |filter: &str, params: crate::store::Params<'_>| -> Result<i64> {
        conn.value(
            &format!("SELECT count(*) FROM (SELECT 1 FROM followup f WHERE {filter} LIMIT {COUNTS_UP_TO}) x"),
            params,
        )
    };
    Ok(Counts {
        due: capped(
            &format!(
                "f.closed_at IS NULL AND f.state = 'open' AND f.due_date <= ?1
                 AND (f.next_try_at IS NULL OR f.next_try_at <= ?2) AND {not_refused}"
            ),
            &[&today, &now],
        )?,
        overdue: capped(
            &format!(
                "f.closed_at IS NULL AND f.state = 'open' AND f.due_date < ?1 AND {not_refused}"
            ),
            &[&today],
        )?,
        fix_number: capped(&format!("f.state = 'fix_number' AND {not_refused}"), &[])?,
        concerns: conn.value(
            &format!(
                "SELECT count(*) FROM (SELECT 1 FROM followup_concern WHERE answered_at IS NULL
                 LIMIT {COUNTS_UP_TO}) x"
            ),
            &[],
        )?,
    })
}
