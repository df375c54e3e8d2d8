//! 挂号状态: where a registration is in its life — waiting (候诊), seen (已就诊), cancelled
//! (退号), changed (换号, replaced by another registration). Only waiting and seen hold a place:
//! they count against the session's 号源, in the queue, on the daily report and as a past
//! visit. [`holds_place_sql!`] is the same rule in SQL, checked against the type by a test.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RegStatus {
    /// 候诊
    Waiting,
    /// 已就诊
    Seen,
    /// 已退号
    Cancelled,
    /// 已换号: a newer registration took its place.
    Changed,
}

crate::sql_text_enum!(RegStatus);

/// `status IN ('waiting', 'seen')` — [`RegStatus::holds_place`] in SQL, optionally for a
/// table alias: `holds_place_sql!("r")` is `r.status IN (…)`.
#[macro_export]
macro_rules! holds_place_sql {
    () => {
        "status IN ('waiting', 'seen')"
    };
    ($alias:literal) => {
        concat!($alias, ".status IN ('waiting', 'seen')")
    };
}

impl RegStatus {
    pub const ALL: [RegStatus; 4] = [
        RegStatus::Waiting,
        RegStatus::Seen,
        RegStatus::Cancelled,
        RegStatus::Changed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RegStatus::Waiting => "waiting",
            RegStatus::Seen => "seen",
            RegStatus::Cancelled => "cancelled",
            RegStatus::Changed => "changed",
        }
    }

    pub fn parse(s: &str) -> Option<RegStatus> {
        RegStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Counts against 号源 and in the queue; is a visit that happened or will.
    pub fn holds_place(self) -> bool {
        matches!(self, RegStatus::Waiting | RegStatus::Seen)
    }

    /// Only a waiting registration may be cancelled, changed or marked seen.
    pub fn is_waiting(self) -> bool {
        self == RegStatus::Waiting
    }
}

impl std::fmt::Display for RegStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sql_fragment_is_the_types_rule() {
        let holding: Vec<String> = RegStatus::ALL
            .iter()
            .filter(|s| s.holds_place())
            .map(|s| format!("'{}'", s.as_str()))
            .collect();
        let want = format!("status IN ({})", holding.join(", "));
        assert_eq!(crate::holds_place_sql!(), want);
        assert_eq!(crate::holds_place_sql!("r"), format!("r.{want}"));
    }

    #[test]
    fn statuses_read_back_as_written() {
        for (s, holds) in [
            (RegStatus::Waiting, true),
            (RegStatus::Seen, true),
            (RegStatus::Cancelled, false),
            (RegStatus::Changed, false),
        ] {
            assert_eq!(RegStatus::parse(s.as_str()), Some(s));
            assert_eq!(s.holds_place(), holds, "{s}");
        }
        assert_eq!(RegStatus::parse("gone"), None);
    }
}

/// 挂号's own refusals (carried by the core's `Error` as an [`AreaError`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegistrationError {
    /// 退号, 换号 or mark-seen of a registration no longer waiting.
    #[error("registration is {status}, not waiting")]
    NotWaiting { status: RegStatus },
}

impl crate::error::AreaError for RegistrationError {
    fn code(&self) -> &'static str {
        match self {
            RegistrationError::NotWaiting { .. } => "not_waiting",
        }
    }

    fn message(&self, lang: crate::i18n::Lang) -> String {
        let zh = lang == crate::i18n::Lang::Zh;
        match self {
            RegistrationError::NotWaiting { status } => {
                let st = match (status, zh) {
                    (RegStatus::Seen, true) => "患者已就诊",
                    (RegStatus::Seen, false) => "the patient has been seen",
                    (RegStatus::Cancelled, true) => "该号已退",
                    (RegStatus::Cancelled, false) => "it was already cancelled",
                    (_, true) => "该号已换",
                    (_, false) => "it was already changed",
                };
                if zh {
                    format!("{st}，不能再退号或换号")
                } else {
                    format!("Not possible: {st}")
                }
            }
        }
    }
}

impl From<RegistrationError> for crate::error::Error {
    fn from(e: RegistrationError) -> Self {
        crate::error::Error::area(e)
    }
}
