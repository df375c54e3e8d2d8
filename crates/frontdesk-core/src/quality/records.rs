//! The records behind a tile's figure: each line one thing the numerator or the denominator
//! counts, as the tile's definition says (one line per patient where patients are counted
//! once). At most [`LIMIT`] lines, with the full count.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::figures::Period;
use crate::error::{Error, Problem, Result};
use crate::followup::rates::{self, RecordsOf};
use crate::i18n::Lang;
use crate::store::Conn;

pub const LIMIT: usize = 500;

#[derive(Debug, Clone, Deserialize, Default)]
pub struct Of {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    /// `numerator` or `denominator` (market surveys and complaints: either).
    #[serde(default)]
    pub part: String,
}

/// What a line opens.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Opens {
    Followup,
    Complaint,
    Survey,
    Market,
    Patient,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Line {
    pub date: String,
    /// 回访, 问卷, 投诉, 市场调查, 挂号, 出院.
    pub source: String,
    pub who: String,
    pub detail: String,
    pub opens: Opens,
    pub id: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Records {
    pub total: usize,
    pub lines: Vec<Line>,
}

fn words(lang: Lang, zh: &'static str, en: &'static str) -> String {
    match lang {
        Lang::Zh => zh.into(),
        Lang::En => en.into(),
    }
}

fn state(s: crate::followup::FState, lang: Lang) -> String {
    use crate::followup::FState;
    let (zh, en) = match s {
        FState::Open => ("待回访", "to call"),
        FState::FixNumber => ("号码待更正", "number to fix"),
        FState::Reached => ("已回访", "reached"),
        FState::Unreachable => ("无法联系", "unreachable"),
        FState::Refused => ("拒绝回访", "refused"),
    };
    words(lang, zh, en)
}

fn value_label(value: &str) -> &'static str {
    crate::survey::SATISFACTION
        .iter()
        .find(|(c, _)| *c == value)
        .map_or("", |(_, l)| l)
}

/// A registration that held its place: its date, the patient (id and name), the department.
struct HeldVisit {
    date: String,
    patient_id: i64,
    patient: String,
    department: String,
}

pub fn records(conn: &Conn, of: &Of, lang: Lang) -> Result<Records> {
    let period = crate::complaint::figures::Period::parse(&of.from, &of.to)?;
    let p = Period {
        from: period.from,
        to: period.to,
        label: String::new(),
    };
    let numerator = match of.part.as_str() {
        "numerator" => true,
        "denominator" => false,
        _ => return Err(Error::invalid("view", Problem::Unknown)),
    };
    let (from, to) = (p.from.to_string(), p.to.to_string());
    let mut lines = match of.code.as_str() {
        "first_visit_followup" | "discharge_followup" | "inpatient_followup" => {
            let outpatient = of.code == "first_visit_followup";
            let list = rates::records(
                conn,
                &RecordsOf {
                    from: from.clone(),
                    to: to.clone(),
                    rate: if outpatient {
                        "outpatient"
                    } else {
                        "inpatient"
                    }
                    .into(),
                    part: of.part.clone(),
                    department_id: None,
                    staff_id: None,
                },
            )?;
            let mut seen = BTreeSet::new();
            list.into_iter()
                .filter(|r| of.code != "inpatient_followup" || seen.insert(r.patient_id))
                .map(|r| Line {
                    date: r.date,
                    source: if outpatient {
                        words(lang, "初诊", "first visit")
                    } else {
                        words(lang, "出院", "discharge")
                    },
                    who: r.patient,
                    detail: format!(
                        "{} {}",
                        r.department,
                        r.state.map_or_else(
                            || words(lang, "未列入", "not listed"),
                            |s| state(s, lang)
                        )
                    ),
                    opens: if r.followup_id.is_some() {
                        Opens::Followup
                    } else {
                        Opens::Patient
                    },
                    id: r.followup_id.map_or(r.patient_id.0, |f| f.0),
                })
                .collect()
        }
        "outpatient_followup" if numerator => {
            let mut of = of.clone();
            of.code = "first_visit_followup".into();
            return records(conn, &of, lang);
        }
        "outpatient_followup" => {
            let rows: Vec<HeldVisit> = conn.all(
                concat!(
                    "SELECT r.date, r.patient_id, p.name, d.name FROM registration r
                     JOIN patient p ON p.id = r.patient_id JOIN department d ON d.id = r.department_id
                     WHERE r.date >= ?1 AND r.date <= ?2 AND ",
                    crate::holds_place_sql!("r"),
                    " ORDER BY r.date, r.id"
                ),
                &[&from, &to],
                |r| {
                    Ok(HeldVisit {
                        date: r.get(0)?,
                        patient_id: r.get(1)?,
                        patient: r.get(2)?,
                        department: r.get(3)?,
                    })
                },
            )?;
            let mut seen = BTreeSet::new();
            rows.into_iter()
                .filter(|r| seen.insert(r.patient_id))
                .map(|v| Line {
                    date: v.date,
                    source: words(lang, "挂号", "registration"),
                    who: v.patient,
                    detail: v.department,
                    opens: Opens::Patient,
                    id: v.patient_id,
                })
                .collect()
        }
        "registration_dissatisfaction" | "guide_dissatisfaction" | "patient_satisfaction" => {
            let (aspect, wanted) = match of.code.as_str() {
                "registration_dissatisfaction" => ("registration", "dissatisfied"),
                "guide_dissatisfaction" => ("guide", "dissatisfied"),
                _ => ("overall", "satisfied"),
            };
            answers(conn, &p, aspect, numerator.then_some(wanted), lang)?
        }
        "complaint_satisfaction" => {
            let tz = crate::reference::get_hospital(conn)?.tz();
            let f = crate::complaint::figures::figures(conn, period, lang)?;
            f.satisfaction
                .records
                .into_iter()
                .filter(|r| !numerator || r.satisfied)
                .map(|r| Line {
                    date: crate::clock::business_date(tz, r.closed_at).to_string(),
                    source: words(lang, "投诉", "complaint"),
                    who: r.number,
                    detail: if r.satisfied {
                        words(lang, "满意", "satisfied")
                    } else {
                        words(lang, "不满意", "not satisfied")
                    },
                    opens: Opens::Complaint,
                    id: r.id.0,
                })
                .collect()
        }
        "market_surveys" => conn.all(
            "SELECT held_on, topic, method, sample_size, id FROM market_survey
             WHERE held_on >= ?1 AND held_on <= ?2 ORDER BY held_on, id",
            &[&from, &to],
            |r| {
                let n: i64 = r.get(3)?;
                let method: String = r.get(2)?;
                Ok(Line {
                    date: r.get(0)?,
                    source: words(lang, "市场调查", "market survey"),
                    who: r.get(1)?,
                    detail: format!("{method} · {n}"),
                    opens: Opens::Market,
                    id: r.get(4)?,
                })
            },
        )?,
        "operating_completion" => Vec::new(),
        _ => return Err(Error::invalid("target_code", Problem::Unknown)),
    };
    let total = lines.len();
    lines.truncate(LIMIT);
    Ok(Records { total, lines })
}

/// A follow-up call's answer on an aspect: when, the patient's name, the value, the follow-up.
struct CallAnswer {
    at: i64,
    patient: String,
    value: String,
    followup_id: i64,
}

/// Answers on an aspect (only those of `value` when given): follow-up calls by their date,
/// then survey forms by theirs.
fn answers(
    conn: &Conn,
    p: &Period,
    aspect: &str,
    value: Option<&str>,
    lang: Lang,
) -> Result<Vec<Line>> {
    let tz = crate::reference::get_hospital(conn)?.tz();
    let (start, end) = crate::clock::day_bounds(tz, p.from, p.to);
    // The column is one of three fixed names, never typed.
    let column = match aspect {
        "registration" => "registration",
        "guide" => "guide",
        _ => "overall",
    };
    let calls: Vec<CallAnswer> = conn.all(
        &format!(
            "SELECT a.at, p.name, a.{column}, a.followup_id FROM followup_answer a
             JOIN followup f ON f.id = a.followup_id JOIN patient p ON p.id = f.patient_id
             WHERE a.at >= ?1 AND a.at < ?2 AND a.{column} IS NOT NULL
               AND (?3 = '' OR a.{column} = ?3)
             ORDER BY a.at, a.id"
        ),
        &[&start, &end, &value.unwrap_or("")],
        |r| {
            Ok(CallAnswer {
                at: r.get(0)?,
                patient: r.get(1)?,
                value: r.get(2)?,
                followup_id: r.get(3)?,
            })
        },
    )?;
    let mut out: Vec<Line> = calls
        .into_iter()
        .map(|c| Line {
            date: crate::clock::business_date(tz, c.at).to_string(),
            source: words(lang, "回访", "follow-up"),
            who: c.patient,
            detail: value_label(&c.value).to_string(),
            opens: Opens::Followup,
            id: c.followup_id,
        })
        .collect();
    let forms: Vec<Line> = conn.all(
        "SELECT s.taken_on, q.name, i.text, a.value, s.id FROM survey_response s
         JOIN survey_answer a ON a.response_id = s.id
         JOIN questionnaire_item i ON i.id = a.item_id
         JOIN questionnaire_version v ON v.id = s.version_id
         JOIN questionnaire q ON q.id = v.questionnaire_id
         WHERE s.taken_on >= ?1 AND s.taken_on <= ?2 AND i.scale = 'satisfaction'
           AND i.aspect = ?3 AND (?4 = '' OR a.value = ?4)
         ORDER BY s.taken_on, s.id",
        &[
            &p.from.to_string(),
            &p.to.to_string(),
            &aspect,
            &value.unwrap_or(""),
        ],
        |r| {
            let item: String = r.get(2)?;
            let v: String = r.get(3)?;
            Ok(Line {
                date: r.get(0)?,
                source: words(lang, "问卷", "survey"),
                who: r.get(1)?,
                detail: format!("{item}：{}", value_label(&v)),
                opens: Opens::Survey,
                id: r.get(4)?,
            })
        },
    )?;
    out.extend(forms);
    Ok(out)
}
