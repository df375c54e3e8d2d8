//! Checks shared by every command's input: trimmed text within lengths, numbers within ranges,
//! dates that exist. Each failure names its field so the page can show it there.

use chrono::NaiveDate;

use crate::error::{Error, Problem, Result};

/// Trimmed text of `min..=max` characters (Chinese characters count as one).
pub fn text(field: &'static str, value: &str, min: usize, max: usize) -> Result<String> {
    let v = value.trim();
    let n = v.chars().count();
    if n == 0 && min > 0 {
        return Err(Error::invalid(field, Problem::Required));
    }
    if n < min {
        return Err(Error::invalid(field, Problem::TooShort(min)));
    }
    if n > max {
        return Err(Error::invalid(field, Problem::TooLong(max)));
    }
    if v.chars().any(|c| c.is_control()) {
        return Err(Error::invalid(field, Problem::BadFormat));
    }
    Ok(v.to_string())
}

pub fn range(field: &'static str, value: i64, min: i64, max: i64) -> Result<i64> {
    if value < min || value > max {
        return Err(Error::invalid(field, Problem::OutOfRange(min, max)));
    }
    Ok(value)
}

/// A calendar date written `YYYY-MM-DD`.
pub fn date(field: &'static str, value: &str) -> Result<NaiveDate> {
    let v = value.trim();
    if v.is_empty() {
        return Err(Error::invalid(field, Problem::Required));
    }
    if v.len() != 10 {
        return Err(Error::invalid(field, Problem::BadFormat));
    }
    NaiveDate::parse_from_str(v, "%Y-%m-%d").map_err(|_| Error::invalid(field, Problem::BadFormat))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_and_bounded() {
        assert_eq!(text("name", "  内科 ", 1, 10).unwrap(), "内科");
        assert!(matches!(
            text("name", "   ", 1, 10),
            Err(Error::Invalid {
                problem: Problem::Required,
                ..
            })
        ));
        assert!(matches!(
            text("name", &"科".repeat(11), 1, 10),
            Err(Error::Invalid {
                problem: Problem::TooLong(10),
                ..
            })
        ));
        assert!(text("name", "a\u{7}b", 1, 10).is_err());
    }

    #[test]
    fn dates_must_exist() {
        assert!(date("date", "2026-02-28").is_ok());
        for bad in ["2026-02-30", "2026-2-1", "tomorrow", "", "2026-13-01"] {
            assert!(date("date", bad).is_err(), "{bad}");
        }
    }
}
