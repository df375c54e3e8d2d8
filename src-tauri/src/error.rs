//! How an error crosses to the page: `{code, message, field}`, with `message` a sentence in the
//! desk's language. What is only for the log (SQL, paths) goes to stderr.

use frontdesk_core::{Error, Lang};
use serde::Serialize;

#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct UiError {
    pub code: &'static str,
    pub message: String,
    pub field: Option<&'static str>,
    /// What the page lists with the sentence: the patients a likely duplicate matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<serde_json::Value>,
    /// Every field refused at once (`Error::Several`), the first being the one above: the page
    /// shows each beside its field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// One field's refusal among several.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct FieldError {
    pub field: Option<&'static str>,
    pub message: String,
    /// Where inside the field, when it has items (a survey's 第 n 题: `{"position": n}`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<serde_json::Value>,
}

impl UiError {
    pub fn from_core(e: &Error, lang: Lang) -> UiError {
        if matches!(
            e,
            Error::Store(_) | Error::Json(_) | Error::Io(_) | Error::DbDamaged(_)
        ) {
            eprintln!("frontdesk: {e}");
        }
        UiError {
            code: e.code(),
            message: e.message(lang),
            field: e.field(),
            details: e.details(),
            errors: match e {
                Error::Several(all) => all
                    .iter()
                    .map(|e| FieldError {
                        field: e.field(),
                        message: e.message(lang),
                        details: e.details(),
                    })
                    .collect(),
                _ => Vec::new(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use frontdesk_core::Problem;

    #[test]
    fn errors_reach_the_page_as_code_message_and_field() {
        let e = Error::invalid("name", Problem::Required);
        let json = serde_json::to_value(UiError::from_core(&e, Lang::Zh)).unwrap();
        assert_eq!(
            json,
            serde_json::json!({ "code": "invalid", "message": "请填写名称", "field": "name" })
        );
        let dup: Error =
            frontdesk_core::patient::PatientError::PossibleDuplicates(Vec::new()).into();
        let json = serde_json::to_value(UiError::from_core(&dup, Lang::Zh)).unwrap();
        assert_eq!(json["code"], "possible_duplicates");
        assert_eq!(
            json["details"],
            serde_json::json!([]),
            "the matches travel with it"
        );
        let several = Error::Several(vec![
            Error::invalid("name", Problem::Required),
            Error::invalid("date", Problem::NoSuchDate),
        ]);
        let json = serde_json::to_value(UiError::from_core(&several, Lang::Zh)).unwrap();
        assert_eq!(
            (&json["code"], &json["field"], &json["message"]),
            (
                &serde_json::json!("invalid"),
                &serde_json::json!("name"),
                &serde_json::json!("请填写名称")
            ),
            "the first is the error, as before"
        );
        assert_eq!(
            json["errors"],
            serde_json::json!([
                { "field": "name", "message": "请填写名称" },
                { "field": "date", "message": "日期：没有这一天，请核对月份和日期" },
            ]),
            "and every one is listed"
        );
        let sql = Error::Store(frontdesk_core::store::StoreError::NoRow);
        let json = serde_json::to_value(UiError::from_core(&sql, Lang::En)).unwrap();
        assert_eq!(json["code"], "internal");
        assert!(!json["message"].as_str().unwrap().contains("SQL"));
    }
}
