//! 满意度问卷 and 征询意见表 (RAFS-QR-8.2-01/02/03, kept two years), and 市场调查.
//!
//! Rules owned here:
//! - A questionnaire's items live in a version. A version is never changed: saving different
//!   items makes the next version (the database refuses any rewrite), so every response keeps
//!   the items it was answered on, and an export's columns never shift. Item codes are the
//!   columns: stable across versions.
//! - An item has a scale — 满意/一般/不满意, 从未/有时/经常/总是, or words — and a satisfaction item
//!   may name the aspect of service it rates (挂号, 导医, doctor, nursing, environment,
//!   overall), which is what the dashboard's dissatisfaction and satisfaction figures count.
//! - A response is one paper form as entered at the guide desk: any item may be left blank (as
//!   on paper), none may hold a value outside its scale, and at least one must be answered.
//! - A market survey (市场调查) is an event: when, topic, method, sample size, findings.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::audit::{snapshot, Table};
use crate::error::{Error, Problem, Result};
use crate::ids::{DepartmentId, MarketSurveyId, QuestionnaireId, ResponseId, StaffId, VersionId};
use crate::store::{Conn, Tx};
use crate::validate;

mod desk;
mod store;
pub use store::{
    entered_today, market_surveys, questionnaires, record_market, record_response, results,
    save_questionnaire, seed,
};

/// An item's answers: their codes and the words the form prints.
pub const SATISFACTION: [(&str, &str); 3] = [
    ("satisfied", "满意"),
    ("neutral", "一般"),
    ("dissatisfied", "不满意"),
];
pub const FREQUENCY: [(&str, &str); 4] = [
    ("never", "从未"),
    ("sometimes", "有时"),
    ("often", "经常"),
    ("always", "总是"),
];
const SCALES: [&str; 3] = ["satisfaction", "frequency", "text"];
const ASPECTS: [&str; 6] = [
    "registration",
    "guide",
    "doctor",
    "nursing",
    "environment",
    "overall",
];
const KINDS: [&str; 3] = ["outpatient", "inpatient", "own"];

/// The answers an item's scale allows (none for words).
pub fn scale_values(scale: &str) -> &'static [(&'static str, &'static str)] {
    match scale {
        "satisfaction" => &SATISFACTION,
        "frequency" => &FREQUENCY,
        _ => &[],
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Default)]
pub struct ItemInput {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub scale: String,
    #[serde(default)]
    pub aspect: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Default)]
pub struct QuestionnaireInput {
    #[serde(default)]
    pub id: Option<QuestionnaireId>,
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub form_no: String,
    #[serde(default = "yes")]
    pub active: bool,
    #[serde(default)]
    pub items: Vec<ItemInput>,
}

fn yes() -> bool {
    true
}

/// An item as the entry screen and the results show it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Item {
    pub id: i64,
    pub position: i64,
    pub code: String,
    pub text: String,
    pub scale: String,
    pub aspect: Option<String>,
}

/// A questionnaire with its current version's items.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Questionnaire {
    pub id: QuestionnaireId,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub form_no: String,
    pub active: bool,
    pub version_id: VersionId,
    pub version: i64,
    pub items: Vec<Item>,
    /// Forms entered on any version.
    pub responses: i64,
}

/// A questionnaire's items as the editor sent them; each row's every problem is kept in `c`
/// (its position and field: 第 2 题：请填写题目内容), and the good rows returned.
fn check_items(c: &mut validate::Checks, items: &[ItemInput]) -> Vec<ItemInput> {
    if items.is_empty() {
        c.refuse(Error::invalid("items", Problem::Required));
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let at = |field, problem| Error::SurveyItem {
            position: i as i64 + 1,
            field,
            problem,
        };
        let code = item.code.trim().to_ascii_lowercase();
        let code = if code.is_empty() {
            c.refuse(at("item_code", Problem::Required));
            None
        } else if code.len() > 30
            || !code
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            c.refuse(at("item_code", Problem::BadFormat));
            None
        } else if !seen.insert(code.clone()) {
            c.refuse(at("item_code", Problem::Taken));
            None
        } else {
            Some(code)
        };
        let text = c.take(
            validate::text("item_text", &item.text, 1, 100).map_err(|e| match e {
                Error::Invalid { problem, .. } => at("item_text", problem),
                e => e,
            }),
        );
        let scale = item.scale.trim();
        let scale = if SCALES.contains(&scale) {
            Some(scale)
        } else {
            c.refuse(at("scale", Problem::Unknown));
            None
        };
        let aspect = match item.aspect.as_deref().map(str::trim) {
            None | Some("") => Some(None),
            Some(a) if ASPECTS.contains(&a) && scale == Some("satisfaction") => {
                Some(Some(a.to_string()))
            }
            Some(_) if scale.is_none() => None,
            Some(_) => {
                c.refuse(at("aspect", Problem::Unknown));
                None
            }
        };
        if let (Some(code), Some(text), Some(scale), Some(aspect)) = (code, text, scale, aspect) {
            out.push(ItemInput {
                code,
                text,
                scale: scale.to_string(),
                aspect,
            });
        }
    }
    out
}

/// One paper form as the guide desk types it: the answers by item code.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct ResponseInput {
    pub version_id: Option<VersionId>,
    /// `YYYY-MM-DD`; empty for today.
    #[serde(default)]
    pub taken_on: String,
    #[serde(default)]
    pub department_id: Option<DepartmentId>,
    #[serde(default)]
    pub answers: BTreeMap<String, String>,
}

/// One item's answers over a period, by value (words: how many wrote something).
/// One answer of an item's scale over a period: how many gave it and their share.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AnswerCount {
    /// The answer as stored (`1`, `2` …).
    pub value: String,
    /// As the form says it (满意, 一般 …).
    pub label: String,
    pub count: i64,
    /// Of those who answered the item, in tenths of a percent.
    pub share: Option<i64>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ItemResult {
    pub code: String,
    pub text: String,
    pub scale: String,
    pub aspect: Option<String>,
    /// Each answer of the scale, in the scale's order.
    pub counts: Vec<AnswerCount>,
    pub answered: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Results {
    pub questionnaire: QuestionnaireId,
    pub name: String,
    pub responses: i64,
    /// By item code, in the current version's order (codes only in older versions after).
    pub items: Vec<ItemResult>,
}

#[derive(Debug, Clone, Deserialize, Default)]
pub struct MarketInput {
    #[serde(default)]
    pub held_on: String,
    #[serde(default)]
    pub topic: String,
    #[serde(default)]
    pub method: String,
    #[serde(default)]
    pub sample_size: String,
    #[serde(default)]
    pub findings: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct MarketSurvey {
    pub id: MarketSurveyId,
    pub held_on: String,
    pub topic: String,
    pub method: String,
    pub sample_size: i64,
    pub findings: String,
    pub recorded_by: String,
    pub recorded_at: i64,
}

fn item(code: &str, text: &str, scale: &str, aspect: Option<&str>) -> ItemInput {
    ItemInput {
        code: code.into(),
        text: text.into(),
        scale: scale.into(),
        aspect: aspect.map(str::to_string),
    }
}
