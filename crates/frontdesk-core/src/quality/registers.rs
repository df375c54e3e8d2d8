//! The quality registers besides 回访登记本 and 投诉登记本, for a period, as xlsx or CSV: 质量检查
//! 记录本 (the checks and the follow-up spot-checks), 满意度问卷 (every answer of every form, a
//! row each under its stable item code, so a new questionnaire version never shifts a column),
//! 交班记录 (the guide desk's handovers and work log, corrections beside what they correct).
//! None of them holds a patient's name, phone or ID number; each export is recorded in the
//! audit log.

use chrono::NaiveDate;

use crate::audit::Actor;
use crate::complaint::figures::Period;
use crate::error::{Error, Problem, Result};
use crate::sheet::Table;
use crate::store::Conn;

/// Which register.
pub fn kind(text: &str) -> Result<&'static str> {
    match text.trim() {
        "checks" => Ok("checks"),
        "surveys" => Ok("surveys"),
        "logs" => Ok("logs"),
        _ => Err(Error::invalid("register", Problem::Unknown)),
    }
}

/// The register's name, as its file and sheet say.
pub fn name(kind: &str) -> &'static str {
    match kind {
        "checks" => "质量检查记录本",
        "surveys" => "满意度问卷",
        _ => "交班记录",
    }
}

fn result_word(r: &str) -> String {
    if r == "ok" { "合格" } else { "有问题" }.into()
}

pub fn table(conn: &Conn, kind: &str, from: NaiveDate, to: NaiveDate) -> Result<Table> {
    let mut t;
    match kind {
        "checks" => {
            t = Table::new(
                name(kind),
                &[
                    ("检查日期", 11.0),
                    ("被检查部门或个人", 12.0),
                    ("检查项目", 12.0),
                    ("所查期间", 22.0),
                    ("检查结果", 8.0),
                    ("检查发现", 36.0),
                    ("处理措施", 30.0),
                    ("检查人", 8.0),
                    ("记录号", 7.0),
                    ("更正", 24.0),
                ],
            );
            t.numeric = vec![8];
            for e in crate::quality::inspection::register(conn, from, to)? {
                t.rows.push(vec![
                    e.checked_on,
                    e.subject,
                    e.item,
                    e.period,
                    result_word(&e.result),
                    e.findings,
                    e.action,
                    e.checked_by,
                    if e.kind == "check" {
                        e.id.to_string()
                    } else {
                        format!("抽查 {}", e.id)
                    },
                    match (e.corrects_id, e.reason) {
                        (Some(c), Some(r)) => format!("更正第 {c} 号：{r}"),
                        _ => String::new(),
                    },
                ]);
            }
        }
        "surveys" => {
            t = Table::new(
                name(kind),
                &[
                    ("填表日期", 11.0),
                    ("问卷", 20.0),
                    ("表单编号", 15.0),
                    ("版本", 5.0),
                    ("问卷号", 7.0),
                    ("科室", 10.0),
                    ("题目代码", 14.0),
                    ("题目", 30.0),
                    ("回答", 24.0),
                    ("录入人", 8.0),
                ],
            );
            t.numeric = vec![3, 4];
            let rows: Vec<Vec<String>> = conn.all(
                "SELECT s.taken_on, q.name, q.form_no, v.version, s.id, d.name, i.code, i.text,
                        i.scale, a.value, st.display_name
                 FROM survey_response s
                 JOIN questionnaire_version v ON v.id = s.version_id
                 JOIN questionnaire q ON q.id = v.questionnaire_id
                 JOIN survey_answer a ON a.response_id = s.id
                 JOIN questionnaire_item i ON i.id = a.item_id
                 LEFT JOIN department d ON d.id = s.department_id
                 JOIN staff st ON st.id = s.entered_by
                 WHERE s.taken_on >= ?1 AND s.taken_on <= ?2
                 ORDER BY s.taken_on, s.id, i.position",
                &[&from.to_string(), &to.to_string()],
                |r| {
                    let version: i64 = r.get(3)?;
                    let id: i64 = r.get(4)?;
                    let scale: String = r.get(8)?;
                    let value: String = r.get(9)?;
                    let shown = crate::survey::scale_values(&scale)
                        .iter()
                        .find(|(c, _)| *c == value)
                        .map_or(value.clone(), |(_, l)| l.to_string());
                    let dept: Option<String> = r.get(5)?;
                    Ok(vec![
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        version.to_string(),
                        id.to_string(),
                        dept.unwrap_or_default(),
                        r.get(6)?,
                        r.get(7)?,
                        shown,
                        r.get(10)?,
                    ])
                },
            )?;
            t.rows = rows;
        }
        _ => {
            t = Table::new(
                name(kind),
                &[
                    ("日期", 11.0),
                    ("时间", 6.0),
                    ("类别", 8.0),
                    ("记录人", 8.0),
                    ("内容", 40.0),
                    ("未完成事项", 30.0),
                    ("接班人", 8.0),
                    ("记录号", 7.0),
                    ("更正", 24.0),
                ],
            );
            t.numeric = vec![7];
            let tz = crate::reference::get_hospital(conn)?.tz();
            let mut entries = Vec::new();
            for k in ["handover", "work"] {
                entries.extend(crate::guide_log::list(conn, k, from, to)?);
            }
            entries.sort_by_key(|e| (e.at, e.id));
            for e in entries {
                let category = e
                    .category
                    .as_deref()
                    .and_then(|c| crate::guide_log::CATEGORIES.iter().find(|(k, _)| *k == c))
                    .map(|(_, l)| *l);
                t.rows.push(vec![
                    e.business_date,
                    crate::clock::format_local(tz, e.at, "%H:%M"),
                    match (e.kind.as_str(), category) {
                        ("handover", _) => "交班".to_string(),
                        (_, Some(c)) => format!("工作日志 · {c}"),
                        _ => "工作日志".to_string(),
                    },
                    e.written_by,
                    e.body,
                    e.open_matters,
                    e.taken_by.unwrap_or_default(),
                    e.id.to_string(),
                    match (e.corrects_id, e.correction_reason) {
                        (Some(c), Some(r)) => format!("更正第 {c} 号：{r}"),
                        _ => String::new(),
                    },
                ]);
            }
        }
    }
    Ok(t)
}

/// The register of `kind` for a period as `xlsx` or `csv`, the export recorded in the log.
pub fn export(
    conn: &mut Conn,
    actor: &Actor,
    now: i64,
    kind: &str,
    period: Period,
    format: &str,
) -> Result<(Vec<u8>, &'static str)> {
    let kind = self::kind(kind)?;
    let format = match format
        .trim()
        .trim_start_matches('.')
        .to_ascii_lowercase()
        .as_str()
    {
        "xlsx" => "xlsx",
        "csv" => "csv",
        _ => return Err(Error::invalid("format", Problem::Unknown)),
    };
    let t = table(conn, kind, period.from, period.to)?;
    let bytes = if format == "csv" { t.csv()? } else { t.xlsx()? };
    let rows = t.rows.len();
    crate::store::write(conn, actor, now, |tx| {
        tx.event(
            "quality.register",
            "quality_register",
            &format!("{kind} {}..{}", period.from, period.to),
            serde_json::json!({ "register": kind, "format": format, "rows": rows }),
        )
    })?;
    Ok((bytes, format))
}
