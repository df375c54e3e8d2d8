//! 分诊: departments suggested by the chief complaint (主诉) through the hospital's editable
//! keyword table (头痛 → 神经内科), the department matching most keywords first.

use serde::Serialize;

use crate::error::Result;
use crate::ids::DepartmentId;
use crate::reference::{self, TriageKeyword};
use crate::store::Conn;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Suggestion {
    pub department_id: DepartmentId,
    pub department_name: String,
    pub keywords: Vec<String>,
}

pub fn suggest_departments(conn: &Conn, complaint: &str) -> Result<Vec<Suggestion>> {
    if complaint.trim().is_empty() {
        return Ok(Vec::new());
    }
    Ok(suggest(&reference::list_triage_keywords(conn)?, complaint))
}

/// The rule itself: each department whose keywords occur in the complaint, with the keywords
/// found, most keywords first (ties keep the table's order).
pub fn suggest(keywords: &[TriageKeyword], complaint: &str) -> Vec<Suggestion> {
    let complaint = complaint.trim();
    let mut out: Vec<Suggestion> = Vec::new();
    if complaint.is_empty() {
        return out;
    }
    for k in keywords {
        if complaint.contains(&k.keyword) {
            match out.iter_mut().find(|s| s.department_id == k.department_id) {
                Some(s) => s.keywords.push(k.keyword.clone()),
                None => out.push(Suggestion {
                    department_id: k.department_id,
                    department_name: k.department_name.clone(),
                    keywords: vec![k.keyword.clone()],
                }),
            }
        }
    }
    out.sort_by_key(|s| std::cmp::Reverse(s.keywords.len()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_complaint_suggests_departments_by_keyword() {
        let table: Vec<TriageKeyword> = [
            ("发热", 4, "呼吸内科"),
            ("发热", 10, "急诊科"),
            ("咳嗽", 4, "呼吸内科"),
            ("头痛", 3, "神经内科"),
        ]
        .iter()
        .enumerate()
        .map(|(i, (k, d, n))| TriageKeyword {
            id: i as i64 + 1,
            keyword: k.to_string(),
            department_id: DepartmentId(*d),
            department_name: n.to_string(),
        })
        .collect();
        for (complaint, want) in [
            ("咳嗽发热两天", vec!["呼吸内科", "急诊科"]),
            ("头痛三天", vec!["神经内科"]),
            ("发热", vec!["呼吸内科", "急诊科"]),
            ("腰痛", vec![]),
            ("   ", vec![]),
        ] {
            let got: Vec<String> = suggest(&table, complaint)
                .into_iter()
                .map(|s| s.department_name)
                .collect();
            assert_eq!(got, want, "{complaint}");
        }
    }
}
