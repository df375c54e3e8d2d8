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

/// A calendar date written `YYYY-MM-DD`; one written so that names no day (2026-13-45) is
/// refused as that, not as a wrong format.
pub fn date(field: &'static str, value: &str) -> Result<NaiveDate> {
    let v = value.trim();
    if v.is_empty() {
        return Err(Error::invalid(field, Problem::Required));
    }
    if !date_shaped(v) {
        return Err(Error::invalid(field, Problem::BadFormat));
    }
    NaiveDate::parse_from_str(v, "%Y-%m-%d").map_err(|_| Error::invalid(field, Problem::NoSuchDate))
}

/// `dddd-dd-dd`: how a date is written, whether or not the day exists.
pub fn date_shaped(v: &str) -> bool {
    let b = v.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

/// Every field's problem at once: each check's refusal is kept and the next check still runs,
/// and [`Checks::done`] returns them together (the first first) — so a form with four
/// problems shows four, not one a press. A refusal that is not about a field (the store
/// failing) is returned alone.
#[derive(Debug, Default)]
pub struct Checks {
    refused: Vec<Error>,
}

impl Checks {
    pub fn new() -> Checks {
        Checks::default()
    }

    /// The checked value, or `None` with its refusal kept (one per field or item: the first).
    pub fn take<T>(&mut self, checked: Result<T>) -> Option<T> {
        match checked {
            Ok(v) => Some(v),
            Err(Error::Several(all)) => {
                // A whole form's refusals (a record saved through its own checks): each kept.
                for e in all {
                    self.refuse(e);
                }
                None
            }
            Err(e) => {
                // One refusal per place: a field, or a field's item (a survey's 第 n 题).
                let same = |r: &Error| r.field() == e.field() && r.details() == e.details();
                if e.field().is_none() || !self.refused.iter().any(same) {
                    self.refused.push(e);
                }
                None
            }
        }
    }

    /// Keeps a refusal found without a check function.
    pub fn refuse(&mut self, e: Error) {
        self.take::<()>(Err(e));
    }

    /// Whether a field (any of its items) has been refused already.
    pub fn refused(&self, field: &str) -> bool {
        self.refused.iter().any(|r| r.field() == Some(field))
    }

    pub fn is_clean(&self) -> bool {
        self.refused.is_empty()
    }

    /// Nothing refused, or every refusal together.
    pub fn done(mut self) -> Result<()> {
        if let Some(i) = self.refused.iter().position(|e| e.field().is_none()) {
            return Err(self.refused.swap_remove(i));
        }
        match self.refused.len() {
            0 => Ok(()),
            1 => Err(self.refused.remove(0)),
            _ => Err(Error::Several(self.refused)),
        }
    }
}

/// A value [`Checks::take`] kept, once [`Checks::done`] has returned `Ok`: it is there.
pub fn kept<T>(value: Option<T>) -> T {
    value.expect("every field refused is returned by Checks::done")
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
        let problem = |v: &str| match date("date", v) {
            Err(Error::Invalid { problem, .. }) => problem,
            other => panic!("{v}: {other:?}"),
        };
        for (bad, why) in [
            ("2026-02-30", Problem::NoSuchDate),
            ("2026-13-45", Problem::NoSuchDate),
            ("2026-13-01", Problem::NoSuchDate),
            ("2026-2-1", Problem::BadFormat),
            ("tomorrow", Problem::BadFormat),
            ("2026/03/01", Problem::BadFormat),
            ("", Problem::Required),
        ] {
            assert_eq!(problem(bad), why, "{bad}");
        }
    }

    #[test]
    fn checks_keep_every_field_refused_once_the_first_first() {
        let mut c = Checks::new();
        assert_eq!(c.take(text("name", "  ", 1, 10)), None);
        assert_eq!(c.take(text("name", "", 1, 10)), None);
        assert_eq!(c.take(range("amount", 5, 1, 10)), Some(5));
        assert_eq!(c.take(date("date", "2026-13-45")), None);
        let e = c.done().unwrap_err();
        let fields: Vec<_> = e.each().iter().map(|e| e.field()).collect();
        assert_eq!(fields, [Some("name"), Some("date")]);
        assert_eq!((e.code(), e.field()), ("invalid", Some("name")));
        assert!(Checks::new().done().is_ok());
        let mut one = Checks::new();
        one.take(text("name", "", 1, 10));
        assert!(matches!(one.done(), Err(Error::Invalid { .. })));
    }
}
