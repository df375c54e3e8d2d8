//! 投诉处理's queries and writes: a case read as a row struct, the reference rows every hospital
//! starts with, the tiers, the deadlines moved, intake (投诉登记) and each step written with its
//! audit entry, the case page, the lists and the counters. The types and the pure rules they
//! apply are in `mod.rs`, the desk's commands in `desk.rs`.

use super::*;

pub(super) const CASE_COLUMNS: &str =
    "c.id, c.number, c.kind, c.received_at, c.received_date, c.channel,
    c.patient_id, p.card_no, c.complainant, c.anonymous, c.contact, c.category_id, k.name,
    c.department_id, d.name, c.person_id, n.name, c.description, c.request, c.severity,
    c.tier_id, t.name, c.state, tb.display_name, c.owner_id, o.display_name, c.ack_due,
    c.feedback_due, c.due, c.acknowledged_at, c.notified_at, c.closed_at, c.upheld, c.satisfied";

pub(super) const CASE_FROM: &str = "complaint c
    LEFT JOIN patient p ON p.id = c.patient_id
    LEFT JOIN complaint_category k ON k.id = c.category_id
    LEFT JOIN department d ON d.id = c.department_id
    LEFT JOIN person n ON n.id = c.person_id
    JOIN complaint_tier t ON t.id = c.tier_id
    JOIN staff tb ON tb.id = c.taken_by
    JOIN staff o ON o.id = c.owner_id";

pub(super) fn case_row(r: &Row, today: &str) -> Result<Case> {
    let kind: Kind = r.get(2)?;
    let state: State = r.get(22)?;
    let due: String = r.get(28)?;
    let pending = runs_deadline(kind, state);
    Ok(Case {
        id: r.get(0)?,
        number: r.get(1)?,
        kind,
        received_at: r.get(3)?,
        received_date: r.get(4)?,
        channel: r.get(5)?,
        patient_id: r.get(6)?,
        card_no: r.get(7)?,
        complainant: r.get(8)?,
        anonymous: r.get(9)?,
        contact: r.get(10)?,
        category_id: r.get(11)?,
        category: r.get(12)?,
        department_id: r.get(13)?,
        department: r.get(14)?,
        person_id: r.get(15)?,
        person: r.get(16)?,
        description: r.get(17)?,
        request: r.get(18)?,
        severity: r.get(19)?,
        tier_id: r.get(20)?,
        tier: r.get(21)?,
        state,
        taken_by: r.get(23)?,
        owner_id: r.get(24)?,
        owner: r.get(25)?,
        ack_due: r.get(26)?,
        feedback_due: r.get(27)?,
        pending,
        overdue: pending && due.as_str() < today,
        due_today: pending && due == today,
        due,
        acknowledged_at: r.get(29)?,
        notified_at: r.get(30)?,
        closed_at: r.get(31)?,
        upheld: r.get(32)?,
        satisfied: r.get(33)?,
    })
}

pub fn get_case(conn: &Conn, id: ComplaintId, today: NaiveDate) -> Result<Case> {
    let today = today.to_string();
    conn.one(
        &format!("SELECT {CASE_COLUMNS} FROM {CASE_FROM} WHERE c.id = ?1"),
        &[&id],
        |r| case_row(r, &today),
    )?
    .ok_or(Error::NotFound("complaint"))
}

// ---- what every hospital starts with ---------------------------------------------------------

/// 投诉类别 as the manual lists them (the list is the hospital's to edit).
pub(super) const CATEGORIES: [(&str, &str); 6] = [
    ("attitude", "服务态度"),
    ("waiting", "等候时间"),
    ("fees", "收费问题"),
    ("quality", "医疗质量"),
    ("environment", "环境设施"),
    ("other", "其他"),
];

/// The deadline tiers: one handling department, several (days configurable).
pub(super) const TIERS: [(&str, &str, i64, i64); 2] = [
    ("single", "一个部门处理", 1, 5),
    ("multi", "多个部门处理", 1, 10),
];

/// The categories, the tiers, and a directory entry for every doctor on file: for a new
/// hospital, and (migration 0009) for one that was already working.
pub fn seed(tx: &mut Tx) -> Result<()> {
    for (code, name) in CATEGORIES {
        let id: i64 = tx.insert(
            "INSERT INTO complaint_category (code, name, active) VALUES (?1, ?2, 1) RETURNING id",
            &[&code, &name],
        )?;
        tx.record(
            "complaint_category.create",
            Table::ComplaintCategory,
            id,
            None,
        )?;
    }
    for (code, name, ack, feedback) in TIERS {
        let id: i64 = tx.insert(
            "INSERT INTO complaint_tier (code, name, ack_days, feedback_days)
             VALUES (?1, ?2, ?3, ?4) RETURNING id",
            &[&code, &name, &ack, &feedback],
        )?;
        tx.record("complaint_tier.create", Table::ComplaintTier, id, None)?;
    }
    let doctors: Vec<i64> = tx.all("SELECT id FROM doctor ORDER BY id", &[], |r| Ok(r.get(0)?))?;
    for doctor in doctors {
        crate::people::follow_doctor(tx, doctor)?;
    }
    Ok(())
}

// ---- deadlines ------------------------------------------------------------------------------

pub fn list_tiers(conn: &Conn) -> Result<Vec<Tier>> {
    conn.all(
        "SELECT id, code, name, ack_days, feedback_days FROM complaint_tier ORDER BY id",
        &[],
        |r| {
            Ok(Tier {
                id: r.get(0)?,
                code: r.get(1)?,
                name: r.get(2)?,
                ack_days: r.get(3)?,
                feedback_days: r.get(4)?,
            })
        },
    )
}

pub(super) fn tier(conn: &Conn, id: TierId) -> Result<Tier> {
    list_tiers(conn)?
        .into_iter()
        .find(|t| t.id == id)
        .ok_or(Error::invalid("tier_id", Problem::Unknown))
}

pub(super) fn tier_by_code(conn: &Conn, code: &str) -> Result<Tier> {
    list_tiers(conn)?
        .into_iter()
        .find(|t| t.code == code)
        .ok_or(Error::NotFound("tier_id"))
}

/// An open complaint's deadlines as stored, with what they are worked out from.
struct OpenDeadlines {
    id: ComplaintId,
    received_date: String,
    tier_id: TierId,
    state: State,
    ack_due: String,
    feedback_due: String,
    due: String,
}

pub fn recompute_open(tx: &mut Tx) -> Result<i64> {
    let calendar = calendar::load(tx)?;
    let tiers = list_tiers(tx)?;
    let open: Vec<OpenDeadlines> = tx.all(
        // A case whose complainant has the outcome keeps the deadline it was measured by.
        "SELECT id, received_date, tier_id, state, ack_due, feedback_due, due FROM complaint
         WHERE closed_at IS NULL AND state NOT IN ('notified', 'answered') ORDER BY id",
        &[],
        |r| {
            Ok(OpenDeadlines {
                id: r.get(0)?,
                received_date: r.get(1)?,
                tier_id: r.get(2)?,
                state: r.get(3)?,
                ack_due: r.get(4)?,
                feedback_due: r.get(5)?,
                due: r.get(6)?,
            })
        },
    )?;
    let mut moved = 0;
    for OpenDeadlines {
        id,
        received_date: received,
        tier_id,
        state,
        ack_due: ack,
        feedback_due: feedback,
        due,
    } in open
    {
        let Some(tier) = tiers.iter().find(|t| t.id == tier_id) else {
            continue;
        };
        let received = validate::date("date", &received)?;
        let (new_ack, new_feedback) = deadlines(&calendar, received, tier);
        let (new_ack, new_feedback) = (new_ack.to_string(), new_feedback.to_string());
        let new_due = due_in(state, &new_ack, &new_feedback);
        if (new_ack.as_str(), new_feedback.as_str(), new_due.as_str())
            == (ack.as_str(), feedback.as_str(), due.as_str())
        {
            continue;
        }
        let before = snapshot(tx, Table::Complaint, id)?;
        tx.execute(
            "UPDATE complaint SET ack_due = ?2, feedback_due = ?3, due = ?4, updated_at = ?5
             WHERE id = ?1",
            &[&id, &new_ack, &new_feedback, &new_due, &tx.now],
        )?;
        tx.record("complaint.deadlines_moved", Table::Complaint, id, before)?;
        moved += 1;
    }
    Ok(moved)
}

// ---- 投诉登记: intake ------------------------------------------------------------------------

/// When a complaint was received, typed `2026-12-01 09:30`: not in the future (a minute's
/// grace), not more than a year back; a day that does not exist is said to be one.
fn received_at(tz: chrono_tz::Tz, text: &str, now: i64) -> Result<i64> {
    let at = clock::parse_local(tz, text).ok_or_else(|| {
        let day = text.trim().get(..10).unwrap_or("");
        if validate::date_shaped(day) && chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").is_err()
        {
            Error::invalid("received_at", Problem::NoSuchDate)
        } else {
            Error::invalid("received_at", Problem::BadFormat)
        }
    })?;
    if at > now + 60_000 {
        return Err(Error::invalid("received_at", Problem::Future));
    }
    if at < now - 366 * 86_400_000 {
        return Err(Error::invalid("received_at", Problem::TooOld));
    }
    Ok(at)
}

pub(super) fn active_row(conn: &Conn, sql: &str, id: i64, field: &'static str) -> Result<()> {
    let active: Option<bool> = conn.value_opt(sql, &[&id])?;
    match active {
        Some(true) => Ok(()),
        _ => Err(Error::invalid(field, Problem::Unknown)),
    }
}

/// 投诉登记: records a complaint, a suggestion or a praise; `taker` owns it. Every field is
/// checked before any is refused, so the page shows all the problems at once.
pub fn record(tx: &mut Tx, taker: StaffId, input: &IntakeInput) -> Result<ComplaintId> {
    let hospital = crate::reference::get_hospital(tx)?;
    let tz = hospital.tz();
    let now = tx.now;
    let mut c = validate::Checks::new();
    let kind = c.take(
        Kind::parse(input.kind.trim()).ok_or(Error::invalid("complaint_kind", Problem::Unknown)),
    );
    let received_at = match input.received_at.trim() {
        "" => Some(now),
        text => c.take(received_at(tz, text, now)),
    };
    let received_date = clock::business_date(tz, received_at.unwrap_or(now));
    let channel = c.take(Channel::parse(input.channel.trim()).ok_or(Error::invalid(
        "complaint_channel",
        if input.channel.trim().is_empty() {
            Problem::Required
        } else {
            Problem::Unknown
        },
    )));
    let (patient_id, complainant) = if input.anonymous {
        (None, None)
    } else if let Some(pid) = input.patient_id {
        match patient::get_patient(tx, pid, received_date) {
            Ok(p) => (Some(pid), Some(p.name)),
            Err(_) => {
                c.refuse(Error::invalid("patient_id", Problem::Unknown));
                (None, None)
            }
        }
    } else {
        let name = input.complainant.trim();
        if name.is_empty() {
            c.refuse(Error::invalid("complainant", Problem::Required));
            (None, None)
        } else {
            let name = c.take(patient::normalize_name(name).map_err(|e| match e {
                Error::Invalid { problem, .. } => Error::invalid("complainant", problem),
                e => e,
            }));
            (None, name)
        }
    };
    let contact = match input.contact.trim() {
        _ if input.anonymous => None,
        "" => match patient_id {
            Some(pid) => patient::get_patient(tx, pid, received_date)?.phone,
            None => None,
        },
        text => c.take(
            patient::normalize_phone(text)
                .map_err(|e| match e {
                    Error::Invalid { problem, .. } => Error::invalid("contact", problem),
                    e => e,
                })
                .and_then(|p| p.ok_or(Error::invalid("contact", Problem::PhoneFormat))),
        ),
    };
    let category_id = match (kind, input.category_id) {
        (_, Some(id)) => c
            .take(active_row(
                tx,
                "SELECT active FROM complaint_category WHERE id = ?1",
                id.0,
                "category_id",
            ))
            .map(|_| id),
        (Some(Kind::Complaint), None) => {
            c.refuse(Error::invalid("category_id", Problem::Required));
            None
        }
        (_, None) => None,
    };
    if let Some(id) = input.department_id {
        c.take(active_row(
            tx,
            "SELECT active FROM department WHERE id = ?1",
            id.0,
            "department_id",
        ));
    }
    if let Some(id) = input.person_id {
        c.take(active_row(
            tx,
            "SELECT active FROM person WHERE id = ?1",
            id.0,
            "person_id",
        ));
    }
    if kind == Some(Kind::Praise) && input.person_id.is_none() && input.department_id.is_none() {
        c.refuse(Error::invalid("person_id", Problem::Required));
    }
    let description = c.take(validate::text("description", &input.description, 1, 1000));
    let request = c.take(validate::text("request", &input.request, 0, 500));
    // How serious is a complaint's; a suggestion or a praise has none.
    let severity = match (kind, input.severity.trim()) {
        (Some(Kind::Complaint), "") | (Some(Kind::Suggestion | Kind::Praise) | None, _) => {
            Some(Severity::Normal)
        }
        (Some(Kind::Complaint), s) => {
            c.take(Severity::parse(s).ok_or(Error::invalid("severity", Problem::Unknown)))
        }
    };
    c.done()?;
    let (
        Some(kind),
        Some(received_at),
        Some(channel),
        Some(description),
        Some(request),
        Some(severity),
    ) = (kind, received_at, channel, description, request, severity)
    else {
        unreachable!("every field refused is returned by Checks::done")
    };
    let tier = tier_by_code(tx, "single")?;
    let calendar = calendar::load(tx)?;
    let (ack_due, feedback_due) = deadlines(&calendar, received_date, &tier);
    let (ack_due, feedback_due) = (ack_due.to_string(), feedback_due.to_string());
    let year = received_date.format("%Y").to_string();
    let seq = tx.next_number(Counter::Series(&format!("complaint-{year}")))?;
    let number = format!("TS{year}-{seq:05}");
    let state = State::Received;
    let params: &[&dyn ToSql] = &[
        &number,
        &kind,
        &received_at,
        &received_date.to_string(),
        &channel,
        &patient_id,
        &complainant,
        &input.anonymous,
        &contact,
        &category_id,
        &input.department_id,
        &input.person_id,
        &description,
        &request,
        &severity,
        &tier.id,
        &state,
        &taker,
        &ack_due,
        &feedback_due,
        &now,
    ];
    let id: ComplaintId = tx.insert(
        "INSERT INTO complaint (number, kind, received_at, received_date, channel, patient_id,
             complainant, anonymous, contact, category_id, department_id, person_id, description,
             request, severity, tier_id, state, taken_by, owner_id, ack_due, feedback_due, due,
             updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
             ?18, ?19, ?20, ?19, ?21)
         RETURNING id",
        params,
    )?;
    tx.record("complaint.record", Table::Complaint, id, None)?;
    step_row(tx, id, "record", (state, state), taker, "", &json!({}))?;
    if let Some(concern) = input.from_concern {
        crate::followup::call::link_complaint(
            tx,
            concern,
            id,
            kind == Kind::Complaint,
            patient_id,
        )?;
    }
    Ok(id)
}

pub(super) fn step_row(
    tx: &mut Tx,
    id: ComplaintId,
    action: &str,
    (from, to): (State, State),
    by: StaffId,
    note: &str,
    detail: &Value,
) -> Result<()> {
    let detail = detail.to_string();
    let step: i64 = tx.insert(
        "INSERT INTO complaint_step (complaint_id, action, from_state, to_state, staff_id, at, note, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
        &[&id, &action, &from, &to, &by, &tx.now, &note, &detail],
    )?;
    tx.record(
        &format!("complaint.{action}"),
        Table::ComplaintStep,
        step,
        None,
    )
}

// ---- the steps -------------------------------------------------------------------------------

/// A case as a step finds it: kind, anonymity, state, tier, received date, owner, deadlines.
struct CurrentCase {
    kind: Kind,
    anonymous: bool,
    state: State,
    tier_id: TierId,
    received_date: String,
    owner_id: StaffId,
    ack_due: String,
    feedback_due: String,
}

/// Takes one step of a case for `by` (whose role the caller checked in). Refused, with the
/// steps possible now, when it is not the step's turn or not the role's step.
pub fn take_step(tx: &mut Tx, by: StaffId, role: Role, input: &StepInput) -> Result<State> {
    let action = Action::parse(input.action.trim()).ok_or(Error::invalid(
        "action",
        if input.action.trim().is_empty() {
            Problem::Required
        } else {
            Problem::Unknown
        },
    ))?;
    let row: Option<CurrentCase> = tx.one(
        "SELECT kind, anonymous, state, tier_id, received_date, owner_id, ack_due, feedback_due
         FROM complaint WHERE id = ?1",
        &[&input.complaint_id],
        |r| {
            Ok(CurrentCase {
                kind: r.get(0)?,
                anonymous: r.get(1)?,
                state: r.get(2)?,
                tier_id: r.get(3)?,
                received_date: r.get(4)?,
                owner_id: r.get(5)?,
                ack_due: r.get(6)?,
                feedback_due: r.get(7)?,
            })
        },
    )?;
    let CurrentCase {
        kind,
        anonymous,
        state: from,
        tier_id,
        received_date: received,
        owner_id: owner,
        ack_due,
        feedback_due,
    } = row.ok_or(Error::NotFound("complaint"))?;
    let to = workflow::check(kind, anonymous, from, action, role)
        .map_err(|refusal| ComplaintError::StepRefused { action, refusal })?;
    // 提交主管领导批示: the remedy is approved by someone other than who proposed it.
    if action == Action::Approve {
        let proposer: Option<StaffId> = tx.value_opt(
            "SELECT staff_id FROM complaint_step WHERE complaint_id = ?1 AND action = 'propose'
             ORDER BY id DESC LIMIT 1",
            &[&input.complaint_id],
        )?;
        if proposer == Some(by) {
            return Err(ComplaintError::OwnRemedy.into());
        }
    }
    let note = if action.needs_note() {
        validate::text("note", &input.note, 1, 1000)?
    } else {
        validate::text("note", &input.note, 0, 1000)?
    };
    let id = input.complaint_id;
    let before = snapshot(tx, Table::Complaint, id)?;
    let now = tx.now;
    let mut detail = json!({});
    let mut sets: Vec<&str> = vec!["state = ?2", "updated_at = ?3"];
    let mut tier_change: Option<TierId> = None;
    match action {
        Action::Accept => sets.extend(["upheld = 1", "acknowledged_at = ?3"]),
        Action::Reject => sets.extend(["upheld = 0", "acknowledged_at = ?3", "closed_at = ?3"]),
        Action::OnSpot => sets.extend(["upheld = 1", "acknowledged_at = ?3", "notified_at = ?3"]),
        Action::Assign => {
            let mut departments = input.departments.clone();
            departments.sort();
            departments.dedup();
            if departments.is_empty() {
                return Err(Error::invalid("departments", Problem::Required));
            }
            for d in &departments {
                active_row(
                    tx,
                    "SELECT active FROM department WHERE id = ?1",
                    d.0,
                    "departments",
                )?;
                let row: i64 = tx.insert(
                    "INSERT INTO complaint_department (complaint_id, department_id) VALUES (?1, ?2) RETURNING id",
                    &[&id, d],
                )?;
                tx.record("complaint.assign", Table::ComplaintDepartment, row, None)?;
            }
            // 多部门: the longer tier, unless someone chose a tier by hand already.
            let single = tier_by_code(tx, "single")?;
            if departments.len() > 1 && tier_id == single.id {
                tier_change = Some(tier_by_code(tx, "multi")?.id);
            }
            detail = json!({ "departments": departments });
        }
        Action::Notify => sets.push("notified_at = ?3"),
        Action::Feedback => {
            let satisfied = input
                .satisfied
                .ok_or(Error::invalid("satisfied", Problem::Required))?;
            sets.push(if satisfied {
                "satisfied = 1"
            } else {
                "satisfied = 0"
            });
            detail = json!({ "satisfied": satisfied });
        }
        Action::Close => {
            sets.push("closed_at = ?3");
            if kind != Kind::Complaint {
                sets.push("acknowledged_at = ?3");
            }
        }
        Action::Accountability => {
            let person = input
                .person_id
                .ok_or(Error::invalid("person_id", Problem::Required))?;
            let name: Option<String> =
                tx.value_opt("SELECT name FROM person WHERE id = ?1", &[&person])?;
            let name = name.ok_or(Error::invalid("person_id", Problem::Unknown))?;
            let measure = validate::text("measure", &input.measure, 1, 200)?;
            let decided_by = validate::text("decided_by", &input.decided_by, 1, 30)?;
            detail = json!({ "person_id": person, "person": name, "measure": measure, "decided_by": decided_by });
        }
        Action::HandOver => {
            let new_owner = input
                .owner_id
                .ok_or(Error::invalid("owner_id", Problem::Required))?;
            let target: Option<(String, bool, String)> = tx.one(
                "SELECT role, active, display_name FROM staff WHERE id = ?1",
                &[&new_owner],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?;
            let Some((role, true, name)) = target else {
                return Err(Error::invalid("owner_id", Problem::Unknown));
            };
            if !Role::parse(&role).is_some_and(workflow::may_record) {
                return Err(Error::invalid("owner_id", Problem::Unknown));
            }
            if new_owner == owner {
                return Err(Error::invalid("owner_id", Problem::Unchanged));
            }
            detail = json!({ "from": owner, "to": new_owner, "to_name": name });
        }
        Action::Retier => {
            let new = input
                .tier_id
                .ok_or(Error::invalid("tier_id", Problem::Required))?;
            tier(tx, new)?;
            if new == tier_id {
                return Err(Error::invalid("tier_id", Problem::Unchanged));
            }
            tier_change = Some(new);
        }
        Action::Cause | Action::Propose | Action::Approve | Action::Return | Action::CarryOut => {}
    }
    // The deadlines: moved with a new tier; the outcome's once acknowledged.
    let (tier_id, ack_due, feedback_due) = match tier_change {
        Some(new) => {
            let t = tier(tx, new)?;
            let calendar = calendar::load(tx)?;
            let (ack, feedback) = deadlines(&calendar, validate::date("date", &received)?, &t);
            if let Value::Object(m) = &mut detail {
                m.insert("tier_id".into(), json!(new));
                m.insert("tier".into(), json!(t.name));
            }
            (new, ack.to_string(), feedback.to_string())
        }
        None => (tier_id, ack_due, feedback_due),
    };
    let due = due_in(to, &ack_due, &feedback_due);
    sets.extend([
        "owner_id = ?4",
        "tier_id = ?5",
        "ack_due = ?6",
        "feedback_due = ?7",
        "due = ?8",
    ]);
    let owner = match action {
        Action::HandOver => input.owner_id.unwrap_or(owner),
        _ => owner,
    };
    tx.execute(
        &format!("UPDATE complaint SET {} WHERE id = ?1", sets.join(", ")),
        &[
            &id,
            &to,
            &now,
            &owner,
            &tier_id,
            &ack_due,
            &feedback_due,
            &due,
        ],
    )?;
    tx.record(
        &format!("complaint.{}", action.as_str()),
        Table::Complaint,
        id,
        before,
    )?;
    step_row(tx, id, action.as_str(), (from, to), by, &note, &detail)?;
    Ok(to)
}

// ---- the case page ----------------------------------------------------------------------------

pub fn steps(conn: &Conn, id: ComplaintId, see_accountability: bool) -> Result<Vec<Step>> {
    conn.all(
        "SELECT s.id, s.action, s.from_state, s.to_state, a.display_name, s.at, s.note, s.detail
         FROM complaint_step s JOIN staff a ON a.id = s.staff_id
         WHERE s.complaint_id = ?1 ORDER BY s.id",
        &[&id],
        |r| {
            let action: String = r.get(1)?;
            let detail: String = r.get(7)?;
            let withheld = action == Action::Accountability.as_str() && !see_accountability;
            Ok(Step {
                id: r.get(0)?,
                from_state: r.get(2)?,
                to_state: r.get(3)?,
                by: r.get(4)?,
                at: r.get(5)?,
                note: if withheld { String::new() } else { r.get(6)? },
                detail: if withheld {
                    json!({})
                } else {
                    serde_json::from_str(&detail).unwrap_or(Value::Null)
                },
                withheld,
                action,
            })
        },
    )
}

pub fn view(conn: &Conn, id: ComplaintId, today: NaiveDate, role: Role) -> Result<CaseView> {
    let case = get_case(conn, id, today)?;
    let see = sees_accountability(role);
    let history = steps(conn, id, see)?;
    let departments = conn.all(
        "SELECT d.name FROM complaint_department x JOIN department d ON d.id = x.department_id
         WHERE x.complaint_id = ?1 ORDER BY x.id",
        &[&id],
        |r| Ok(r.get(0)?),
    )?;
    let from_followup = conn.value_opt(
        "SELECT followup_id FROM followup_concern WHERE complaint_id = ?1",
        &[&id],
    )?;
    let allowed = workflow::allowed(case.kind, case.anonymous, case.state, role);
    Ok(CaseView {
        from_followup,
        path: path_of(&case, &history),
        suggested: workflow::suggested(&allowed),
        allowed,
        history,
        departments,
        case,
    })
}

/// [`runs_deadline`] in SQL (a test holds the two to each other).
pub const PENDING_SQL: &str =
    "c.kind = 'complaint' AND c.state NOT IN ('notified', 'answered', 'closed')";

pub fn list(
    conn: &Conn,
    view: View,
    me: StaffId,
    today: NaiveDate,
    limit: i64,
) -> Result<Vec<Case>> {
    let today = today.to_string();
    let limit = limit.clamp(1, 1000);
    // What is due first: cases whose deadline runs, by it; then those waiting only for the
    // complainant's feedback or a close (and suggestions, praise), by theirs.
    let pending_first = format!("CASE WHEN {PENDING_SQL} THEN 0 ELSE 1 END, c.due, c.id");
    let by_due = "c.due, c.id";
    let (filter, order, params): (String, &str, Vec<&dyn ToSql>) = match &view {
        View::Open => ("c.closed_at IS NULL".into(), pending_first.as_str(), vec![]),
        View::Overdue => (
            format!("c.closed_at IS NULL AND c.due < ?2 AND {PENDING_SQL}"),
            by_due,
            vec![&today],
        ),
        View::DueToday => (
            format!("c.closed_at IS NULL AND c.due = ?2 AND {PENDING_SQL}"),
            by_due,
            vec![&today],
        ),
        View::Mine => (
            "c.closed_at IS NULL AND c.owner_id = ?2".into(),
            by_due,
            vec![&me],
        ),
        View::Head => (
            format!(
                "c.closed_at IS NULL AND (c.severity = 'severe' OR (c.due < ?2 AND {PENDING_SQL}))"
            ),
            pending_first.as_str(),
            vec![&today],
        ),
        View::InState(state) => ("c.state = ?2".into(), by_due, vec![state]),
        View::Closed => (
            "c.closed_at IS NOT NULL".into(),
            "c.closed_at DESC, c.id DESC",
            vec![],
        ),
    };
    let mut all: Vec<&dyn ToSql> = vec![&limit];
    all.extend(params);
    conn.all(
        &format!("SELECT {CASE_COLUMNS} FROM {CASE_FROM} WHERE {filter} ORDER BY {order} LIMIT ?1"),
        &all,
        |r| case_row(r, &today),
    )
}

pub fn counts(conn: &Conn, today: NaiveDate) -> Result<Counts> {
    let today = today.to_string();
    let pending = PENDING_SQL.replace("c.", "");
    conn.row(
        &format!(
            "SELECT count(*),
                    CAST(coalesce(sum(CASE WHEN due < ?1 AND {pending} THEN 1 ELSE 0 END), 0) AS BIGINT),
                    CAST(coalesce(sum(CASE WHEN due = ?1 AND {pending} THEN 1 ELSE 0 END), 0) AS BIGINT),
                    CAST(coalesce(sum(CASE WHEN severity = 'severe' THEN 1 ELSE 0 END), 0) AS BIGINT),
                    CAST(coalesce(sum(CASE WHEN severity = 'severe' OR (due < ?1 AND {pending})
                                      THEN 1 ELSE 0 END), 0) AS BIGINT)
             FROM complaint WHERE closed_at IS NULL"
        ),
        &[&today],
        |r| {
            Ok(Counts {
                open: r.get(0)?,
                overdue: r.get(1)?,
                due_today: r.get(2)?,
                severe: r.get(3)?,
                head: r.get(4)?,
            })
        },
    )
}

pub fn choices(conn: &Conn, lang: Lang) -> Result<Choices> {
    let owners = crate::staff::list_staff(conn)?
        .into_iter()
        .filter(|s| s.active && workflow::may_record(s.role))
        .map(|s| (s.id, s.display_name))
        .collect();
    Ok(Choices {
        kinds: Kind::ALL.iter().map(|k| (*k, k.label(lang))).collect(),
        channels: Channel::ALL.iter().map(|k| (*k, k.label(lang))).collect(),
        severities: Severity::ALL.iter().map(|k| (*k, k.label(lang))).collect(),
        categories: crate::reference::list_categories(conn)?
            .into_iter()
            .filter(|c| c.active)
            .collect(),
        departments: crate::reference::list_departments(conn)?
            .into_iter()
            .filter(|d| d.active)
            .collect(),
        people: crate::people::list(conn)?
            .into_iter()
            .filter(|p| p.active)
            .collect(),
        tiers: list_tiers(conn)?,
        owners,
        actions: Action::ALL.iter().map(|a| (*a, a.label(lang))).collect(),
        states: State::ALL.iter().map(|s| (*s, s.label(lang))).collect(),
    })
}
