//! 营业日: instants are stored in UTC milliseconds; the business day and the sessions
//! (上午/下午/晚上) follow the hospital's configured time zone.

use chrono::{DateTime, NaiveDate, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

/// 时段: a session of the day — 上午, 下午, 晚上 — in which doctors are on duty. Ordered as the
/// day runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Session {
    /// 上午
    Am,
    /// 下午
    Pm,
    /// 晚上
    Eve,
}

crate::sql_text_enum!(Session);

/// `CASE <column> WHEN 'am' THEN 0 …`: [`Session::rank`] in SQL, for ordering by the day's
/// course (a test checks it against the type).
#[macro_export]
macro_rules! session_rank_sql {
    ($column:literal) => {
        concat!(
            "CASE ",
            $column,
            " WHEN 'am' THEN 0 WHEN 'pm' THEN 1 ELSE 2 END"
        )
    };
}

impl Session {
    pub const ALL: [Session; 3] = [Session::Am, Session::Pm, Session::Eve];

    pub fn as_str(self) -> &'static str {
        match self {
            Session::Am => "am",
            Session::Pm => "pm",
            Session::Eve => "eve",
        }
    }

    pub fn parse(s: &str) -> Option<Session> {
        Session::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Its place in the day: 0, 1, 2.
    pub fn rank(self) -> i64 {
        self as i64
    }

    /// The session the clock is in at the hospital.
    pub fn at(tz: Tz, ms: i64) -> Session {
        match local(tz, ms).hour() {
            0..=11 => Session::Am,
            12..=17 => Session::Pm,
            _ => Session::Eve,
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Session::Am, Lang::Zh) => "上午",
            (Session::Pm, Lang::Zh) => "下午",
            (Session::Eve, Lang::Zh) => "晚上",
            (Session::Am, Lang::En) => "morning",
            (Session::Pm, Lang::En) => "afternoon",
            (Session::Eve, Lang::En) => "evening",
        }
    }
}

impl std::fmt::Display for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

pub fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

pub fn parse_tz(name: &str) -> Option<Tz> {
    name.parse::<Tz>().ok()
}

/// The hospital's calendar date at instant `ms`.
pub fn business_date(tz: Tz, ms: i64) -> NaiveDate {
    local(tz, ms).date_naive()
}

fn local(tz: Tz, ms: i64) -> DateTime<Tz> {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .unwrap_or_default()
        .with_timezone(&tz)
}

/// The session (上午 / 下午 / 晚上) the clock is in at the hospital.
pub fn session_at(tz: Tz, ms: i64) -> Session {
    Session::at(tz, ms)
}

/// The instants a run of business days spans, `[first 00:00, last + 1 00:00)` in the
/// hospital's zone, in UTC milliseconds: what is stored is found by its time, in an index.
pub fn day_bounds(tz: Tz, first: NaiveDate, last: NaiveDate) -> (i64, i64) {
    let start = |d: NaiveDate| {
        let midnight = d.and_hms_opt(0, 0, 0).unwrap_or_default();
        tz.from_local_datetime(&midnight)
            .earliest()
            .map(|t| t.timestamp_millis())
            .unwrap_or_else(|| midnight.and_utc().timestamp_millis())
    };
    (start(first), start(last.succ_opt().unwrap_or(last)))
}

/// The instant of `2026-11-24 08:05` (or `2026-11-24T08:05`) read in the hospital's zone.
pub fn parse_local(tz: Tz, text: &str) -> Option<i64> {
    let text = text.trim().replace('T', " ");
    let at = chrono::NaiveDateTime::parse_from_str(&text, "%Y-%m-%d %H:%M")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(&text, "%Y-%m-%d %H:%M:%S"))
        .ok()?;
    tz.from_local_datetime(&at)
        .earliest()
        .map(|t| t.timestamp_millis())
}

/// `2026-11-24 08:05` in the hospital's zone, for people and files.
pub fn format_local(tz: Tz, ms: i64, pattern: &str) -> String {
    local(tz, ms).format(pattern).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_business_day_follows_the_hospital_zone() {
        let tz = parse_tz("Asia/Shanghai").unwrap();
        // 2026-11-23 17:30 UTC is 01:30 on the 24th in Shanghai.
        let ms = 1_795_455_000_000;
        assert_eq!(business_date(tz, ms).to_string(), "2026-11-24");
        assert_eq!(session_at(tz, ms), Session::Am);
        assert_eq!(business_date(Tz::UTC, ms).to_string(), "2026-11-23");
        assert!(parse_tz("Mars/Olympus").is_none());
    }

    #[test]
    fn the_session_order_in_sql_is_the_types_order() {
        let mut want = String::from("CASE s.session");
        for s in Session::ALL {
            if s == *Session::ALL.last().unwrap() {
                want.push_str(&format!(" ELSE {} END", s.rank()));
            } else {
                want.push_str(&format!(" WHEN '{}' THEN {}", s.as_str(), s.rank()));
            }
        }
        assert_eq!(crate::session_rank_sql!("s.session"), want);
        for (i, s) in Session::ALL.iter().enumerate() {
            assert_eq!(Session::parse(s.as_str()), Some(*s));
            assert_eq!(s.rank(), i as i64);
        }
        assert_eq!(Session::parse("noon"), None);
    }

    #[test]
    fn a_days_bounds_are_its_midnights_in_the_hospital_zone() {
        let tz = parse_tz("Asia/Shanghai").unwrap();
        let d = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let (lo, hi) = day_bounds(tz, d, d);
        assert_eq!(hi - lo, 24 * 3_600_000);
        assert_eq!(business_date(tz, lo).to_string(), "2026-11-24");
        assert_eq!(business_date(tz, lo - 1).to_string(), "2026-11-23");
        assert_eq!(business_date(tz, hi - 1).to_string(), "2026-11-24");
        assert_eq!(business_date(tz, hi).to_string(), "2026-11-25");
    }
}
