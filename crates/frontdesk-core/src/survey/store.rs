//! 满意度问卷's queries and writes: the questionnaires and their versions, a paper form's
//! answers kept, the answers counted, market surveys, and the forms every hospital starts with.
//! The types, scales and the check of a form's items are in `mod.rs`.

use super::*;

pub(super) fn current_items(conn: &Conn, version: VersionId) -> Result<Vec<Item>> {
    conn.all(
        "SELECT id, position, code, text, scale, aspect FROM questionnaire_item
         WHERE version_id = ?1 ORDER BY position",
        &[&version],
        |r| {
            Ok(Item {
                id: r.get(0)?,
                position: r.get(1)?,
                code: r.get(2)?,
                text: r.get(3)?,
                scale: r.get(4)?,
                aspect: r.get(5)?,
            })
        },
    )
}

/// The newest version of a questionnaire.
pub(super) fn current_version(conn: &Conn, q: QuestionnaireId) -> Result<Option<(VersionId, i64)>> {
    conn.one(
        "SELECT id, version FROM questionnaire_version WHERE questionnaire_id = ?1
         ORDER BY version DESC LIMIT 1",
        &[&q],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// Creates or changes a questionnaire; items different from its current version's make the
/// next version (the current one, answered or not, is never changed).
pub fn save_questionnaire(tx: &mut Tx, input: &QuestionnaireInput) -> Result<QuestionnaireId> {
    let mut c = validate::Checks::new();
    let code = input.code.trim().to_ascii_lowercase();
    if code.is_empty() {
        c.refuse(Error::invalid("questionnaire_code", Problem::Required));
    } else if code.len() > 30
        || !code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        c.refuse(Error::invalid("questionnaire_code", Problem::BadFormat));
    }
    let name = c.take(validate::text("questionnaire_name", &input.name, 1, 60));
    let kind = input.kind.trim();
    if !KINDS.contains(&kind) {
        c.refuse(Error::invalid("questionnaire_kind", Problem::Unknown));
    }
    let form_no = c.take(validate::text("form_no", &input.form_no, 0, 30));
    let items = check_items(&mut c, &input.items);
    c.done()?;
    let (name, form_no) = (validate::kept(name), validate::kept(form_no));
    let clash: Option<QuestionnaireId> =
        tx.value_opt("SELECT id FROM questionnaire WHERE code = ?1", &[&code])?;
    if clash.is_some() && clash != input.id {
        return Err(Error::invalid("questionnaire_code", Problem::Taken));
    }
    let now = tx.now;
    let id = match input.id {
        None => {
            let id: QuestionnaireId = tx.insert(
                "INSERT INTO questionnaire (code, name, kind, form_no, active, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
                &[&code, &name, &kind, &form_no, &input.active, &now],
            )?;
            tx.record("questionnaire.create", Table::Questionnaire, id, None)?;
            id
        }
        Some(id) => {
            let before = snapshot(tx, Table::Questionnaire, id)?;
            if before.is_none() {
                return Err(Error::NotFound("questionnaire"));
            }
            tx.execute(
                "UPDATE questionnaire SET code = ?2, name = ?3, kind = ?4, form_no = ?5,
                     active = ?6 WHERE id = ?1",
                &[&id, &code, &name, &kind, &form_no, &input.active],
            )?;
            tx.record("questionnaire.update", Table::Questionnaire, id, before)?;
            id
        }
    };
    let current = current_version(tx, id)?;
    let same = match current {
        Some((v, _)) => {
            let have: Vec<ItemInput> = current_items(tx, v)?
                .into_iter()
                .map(|i| ItemInput {
                    code: i.code,
                    text: i.text,
                    scale: i.scale,
                    aspect: i.aspect,
                })
                .collect();
            have == items
        }
        None => false,
    };
    if !same {
        let next = current.map_or(1, |(_, n)| n + 1);
        let version: VersionId = tx.insert(
            "INSERT INTO questionnaire_version (questionnaire_id, version, created_at)
             VALUES (?1, ?2, ?3) RETURNING id",
            &[&id, &next, &now],
        )?;
        tx.record(
            "questionnaire.version",
            Table::QuestionnaireVersion,
            version,
            None,
        )?;
        for (i, item) in items.iter().enumerate() {
            let position = i as i64 + 1;
            let item_id: i64 = tx.insert(
                "INSERT INTO questionnaire_item (version_id, position, code, text, scale, aspect)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
                &[
                    &version,
                    &position,
                    &item.code,
                    &item.text,
                    &item.scale,
                    &item.aspect,
                ],
            )?;
            tx.record(
                "questionnaire.item",
                Table::QuestionnaireItem,
                item_id,
                None,
            )?;
        }
    }
    Ok(id)
}

/// A questionnaire's own row, without its versions: id, code, name, kind, form number, active.
struct QuestionnaireRow {
    id: QuestionnaireId,
    code: String,
    name: String,
    kind: String,
    form_no: String,
    active: bool,
}

pub fn questionnaires(conn: &Conn, only_active: bool) -> Result<Vec<Questionnaire>> {
    let rows: Vec<QuestionnaireRow> = conn.all(
        "SELECT id, code, name, kind, form_no, active FROM questionnaire
         WHERE active = 1 OR ?1 = 0 ORDER BY id",
        &[&i64::from(only_active)],
        |r| {
            Ok(QuestionnaireRow {
                id: r.get(0)?,
                code: r.get(1)?,
                name: r.get(2)?,
                kind: r.get(3)?,
                form_no: r.get(4)?,
                active: r.get(5)?,
            })
        },
    )?;
    let mut out = Vec::with_capacity(rows.len());
    for QuestionnaireRow {
        id,
        code,
        name,
        kind,
        form_no,
        active,
    } in rows
    {
        let Some((version_id, version)) = current_version(conn, id)? else {
            continue;
        };
        out.push(Questionnaire {
            items: current_items(conn, version_id)?,
            responses: conn.value(
                "SELECT count(*) FROM survey_response r JOIN questionnaire_version v
                     ON v.id = r.version_id WHERE v.questionnaire_id = ?1",
                &[&id],
            )?,
            id,
            code,
            name,
            kind,
            form_no,
            active,
            version_id,
            version,
        });
    }
    Ok(out)
}

/// The day a form was filled in (empty: today): not in the future, not over a year ago.
fn taken_on_of(typed: &str, today: NaiveDate) -> Result<NaiveDate> {
    let taken_on = match typed.trim() {
        "" => today,
        d => validate::date("taken_on", d)?,
    };
    if taken_on > today {
        return Err(Error::invalid("taken_on", Problem::Future));
    }
    if taken_on < today - chrono::Duration::days(366) {
        return Err(Error::invalid("taken_on", Problem::TooOld));
    }
    Ok(taken_on)
}

/// Keeps one form's answers (refused whole, naming every wrong item and field, when one is wrong).
pub fn record_response(
    tx: &mut Tx,
    by: StaffId,
    input: &ResponseInput,
    today: NaiveDate,
) -> Result<ResponseId> {
    let version = input
        .version_id
        .ok_or(Error::invalid("questionnaire", Problem::Required))?;
    let active: Option<bool> = tx.value_opt(
        "SELECT q.active FROM questionnaire_version v JOIN questionnaire q
             ON q.id = v.questionnaire_id WHERE v.id = ?1",
        &[&version],
    )?;
    match active {
        None => return Err(Error::invalid("questionnaire", Problem::Unknown)),
        Some(false) => return Err(Error::invalid("questionnaire", Problem::Unknown)),
        Some(true) => {}
    }
    // Every field and every item is checked before refusing: the form shows all at once.
    let mut c = validate::Checks::new();
    let taken_on = c.take(taken_on_of(&input.taken_on, today)).unwrap_or(today);
    if let Some(d) = input.department_id {
        let found: Option<i64> = tx.value_opt("SELECT id FROM department WHERE id = ?1", &[&d])?;
        if found.is_none() {
            c.refuse(Error::invalid("department_id", Problem::Unknown));
        }
    }
    let items = current_items(tx, version)?;
    let known: std::collections::BTreeSet<&str> = items.iter().map(|i| i.code.as_str()).collect();
    if input.answers.keys().any(|k| !known.contains(k.as_str())) {
        c.refuse(Error::invalid("survey_answer", Problem::Unknown));
    }
    let mut answers = Vec::new();
    for item in &items {
        let value = input
            .answers
            .get(&item.code)
            .map(|v| v.trim())
            .unwrap_or("");
        if value.is_empty() {
            continue;
        }
        let at = |problem| Error::SurveyItem {
            position: item.position,
            field: "survey_answer",
            problem,
        };
        let value = if item.scale == "text" {
            c.take(
                validate::text("survey_answer", value, 0, 500).map_err(|e| match e {
                    Error::Invalid { problem, .. } => at(problem),
                    e => e,
                }),
            )
        } else if scale_values(&item.scale).iter().any(|(c, _)| *c == value) {
            Some(value.to_string())
        } else {
            c.refuse(at(Problem::Unknown));
            None
        };
        answers.extend(value.map(|v| (item.id, v)));
    }
    if answers.is_empty() && !c.refused("survey_answer") {
        c.refuse(Error::SurveyItem {
            position: 1,
            field: "survey_answer",
            problem: Problem::Required,
        });
    }
    c.done()?;
    let now = tx.now;
    let id: ResponseId = tx.insert(
        "INSERT INTO survey_response (version_id, taken_on, department_id, entered_by, entered_at)
         VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
        &[
            &version,
            &taken_on.to_string(),
            &input.department_id,
            &by,
            &now,
        ],
    )?;
    tx.record("survey.response", Table::SurveyResponse, id, None)?;
    for (item, value) in answers {
        let a: i64 = tx.insert(
            "INSERT INTO survey_answer (response_id, item_id, value) VALUES (?1, ?2, ?3)
             RETURNING id",
            &[&id, &item, &value],
        )?;
        tx.record("survey.answer", Table::SurveyAnswer, a, None)?;
    }
    Ok(id)
}

/// An item some version of a questionnaire asked: its code, text, scale and aspect.
struct AskedItem {
    code: String,
    text: String,
    scale: String,
    aspect: Option<String>,
}

/// The answers of a questionnaire's forms taken in a period, every version counted under its
/// item codes.
pub fn results(conn: &Conn, q: QuestionnaireId, from: NaiveDate, to: NaiveDate) -> Result<Results> {
    let name: String = conn
        .value_opt("SELECT name FROM questionnaire WHERE id = ?1", &[&q])?
        .ok_or(Error::NotFound("questionnaire"))?;
    let (from, to) = (from.to_string(), to.to_string());
    let responses: i64 = conn.value(
        "SELECT count(*) FROM survey_response r JOIN questionnaire_version v ON v.id = r.version_id
         WHERE v.questionnaire_id = ?1 AND r.taken_on >= ?2 AND r.taken_on <= ?3",
        &[&q, &from, &to],
    )?;
    let counts: Vec<(String, String, i64)> = conn.all(
        "SELECT i.code, a.value, count(*) FROM survey_answer a
         JOIN survey_response r ON r.id = a.response_id
         JOIN questionnaire_item i ON i.id = a.item_id
         JOIN questionnaire_version v ON v.id = r.version_id
         WHERE v.questionnaire_id = ?1 AND r.taken_on >= ?2 AND r.taken_on <= ?3
         GROUP BY i.code, a.value",
        &[&q, &from, &to],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    // Every item any version had, the current version's first.
    let all: Vec<AskedItem> = conn.all(
        "SELECT i.code, i.text, i.scale, i.aspect FROM questionnaire_item i
         JOIN questionnaire_version v ON v.id = i.version_id
         WHERE v.questionnaire_id = ?1 ORDER BY v.version DESC, i.position",
        &[&q],
        |r| {
            Ok(AskedItem {
                code: r.get(0)?,
                text: r.get(1)?,
                scale: r.get(2)?,
                aspect: r.get(3)?,
            })
        },
    )?;
    let mut items: Vec<ItemResult> = Vec::new();
    for AskedItem {
        code,
        text,
        scale,
        aspect,
    } in all
    {
        if items.iter().any(|i| i.code == code) {
            continue;
        }
        let mine: Vec<&(String, String, i64)> = counts.iter().filter(|c| c.0 == code).collect();
        let answered = mine.iter().map(|c| c.2).sum();
        let by_value = if scale == "text" {
            Vec::new()
        } else {
            scale_values(&scale)
                .iter()
                .map(|(v, label)| {
                    let n = mine.iter().find(|c| c.1 == *v).map_or(0, |c| c.2);
                    let share = crate::quality::targets::permille(
                        crate::quality::targets::Direction::AtLeast,
                        n,
                        answered,
                    );
                    AnswerCount {
                        value: v.to_string(),
                        label: label.to_string(),
                        count: n,
                        share,
                    }
                })
                .collect()
        };
        items.push(ItemResult {
            code,
            text,
            scale,
            aspect,
            counts: by_value,
            answered,
        });
    }
    Ok(Results {
        questionnaire: q,
        name,
        responses,
        items,
    })
}

/// The forms this person entered today, newest first (the entry screen's tally).
pub fn entered_today(conn: &Conn, by: StaffId, today: NaiveDate, now: i64) -> Result<i64> {
    let tz = crate::reference::get_hospital(conn)?.tz();
    let (start, _) = crate::clock::day_bounds(tz, today, today);
    conn.value(
        "SELECT count(*) FROM survey_response WHERE entered_by = ?1 AND entered_at >= ?2
           AND entered_at <= ?3",
        &[&by, &start, &now],
    )
}

// ---- 市场调查 ----------------------------------------------------------------------------------

pub fn record_market(
    tx: &mut Tx,
    by: StaffId,
    input: &MarketInput,
    today: NaiveDate,
) -> Result<MarketSurveyId> {
    let held = validate::date("held_on", &input.held_on)?;
    if held > today {
        return Err(Error::invalid("held_on", Problem::Future));
    }
    let topic = validate::text("topic", &input.topic, 1, 100)?;
    let method = validate::text("survey_method", &input.method, 1, 60)?;
    let sample: i64 = input
        .sample_size
        .trim()
        .parse()
        .map_err(|_| Error::invalid("sample_size", Problem::BadFormat))?;
    validate::range("sample_size", sample, 0, 1_000_000)?;
    let findings = validate::text("findings", &input.findings, 1, 2000)?;
    let id: MarketSurveyId = tx.insert(
        "INSERT INTO market_survey (held_on, topic, method, sample_size, findings, recorded_by,
             recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
        &[
            &held.to_string(),
            &topic,
            &method,
            &sample,
            &findings,
            &by,
            &tx.now,
        ],
    )?;
    tx.record("market_survey.record", Table::MarketSurvey, id, None)?;
    Ok(id)
}

pub fn market_surveys(conn: &Conn, from: NaiveDate, to: NaiveDate) -> Result<Vec<MarketSurvey>> {
    conn.all(
        "SELECT m.id, m.held_on, m.topic, m.method, m.sample_size, m.findings, s.display_name,
                m.recorded_at
         FROM market_survey m JOIN staff s ON s.id = m.recorded_by
         WHERE m.held_on >= ?1 AND m.held_on <= ?2 ORDER BY m.held_on DESC, m.id DESC",
        &[&from.to_string(), &to.to_string()],
        |r| {
            Ok(MarketSurvey {
                id: r.get(0)?,
                held_on: r.get(1)?,
                topic: r.get(2)?,
                method: r.get(3)?,
                sample_size: r.get(4)?,
                findings: r.get(5)?,
                recorded_by: r.get(6)?,
                recorded_at: r.get(7)?,
            })
        },
    )
}

// ---- the hospital's questionnaires to start with -----------------------------------------------

/// The three forms of the quality-record list (6.1): 患者满意度问卷调查表, 征询意见表 (门诊),
/// 征询意见表 (住院). The hospital edits them in 管理 (each change a new version).
pub fn seed(tx: &mut Tx) -> Result<()> {
    let s = "satisfaction";
    let outpatient = QuestionnaireInput {
        code: "outpatient".into(),
        name: "征询意见表（门诊）".into(),
        kind: "outpatient".into(),
        form_no: "RAFS-QR-8.2-02".into(),
        active: true,
        items: vec![
            item(
                "registration",
                "挂号收费窗口的服务",
                s,
                Some("registration"),
            ),
            item("guide", "导医的引导与咨询", s, Some("guide")),
            item("doctor", "医生的诊疗与解释", s, Some("doctor")),
            item("nursing", "护士的服务", s, Some("nursing")),
            item(
                "environment",
                "就诊环境（整洁、安静、标识）",
                s,
                Some("environment"),
            ),
            item("waiting", "候诊时间", s, None),
            item("overall", "对本次就诊的总体评价", s, Some("overall")),
            item("suggestion", "您的意见和建议", "text", None),
        ],
        id: None,
    };
    let inpatient = QuestionnaireInput {
        code: "inpatient".into(),
        name: "征询意见表（住院）".into(),
        kind: "inpatient".into(),
        form_no: "RAFS-QR-8.2-03".into(),
        active: true,
        items: vec![
            item(
                "doctor_explains",
                "医生耐心向您解释病情和治疗",
                "frequency",
                None,
            ),
            item("nurse_responds", "您呼叫时护士及时回应", "frequency", None),
            item("ward_quiet", "病房清洁、安静", "frequency", None),
            item("doctor", "对医生的总体评价", s, Some("doctor")),
            item("nursing", "对护理的总体评价", s, Some("nursing")),
            item("overall", "对本次住院的总体评价", s, Some("overall")),
            item("suggestion", "您的意见和建议", "text", None),
        ],
        id: None,
    };
    let own = QuestionnaireInput {
        code: "satisfaction".into(),
        name: "患者满意度问卷调查表".into(),
        kind: "own".into(),
        form_no: "RAFS-QR-8.2-01".into(),
        active: true,
        items: vec![
            item("registration", "挂号", s, Some("registration")),
            item("guide", "导医", s, Some("guide")),
            item("doctor", "医生", s, Some("doctor")),
            item("environment", "环境", s, Some("environment")),
            item("overall", "总体满意度", s, Some("overall")),
            item("suggestion", "意见和建议", "text", None),
        ],
        id: None,
    };
    for q in [outpatient, inpatient, own] {
        save_questionnaire(tx, &q)?;
    }
    Ok(())
}
