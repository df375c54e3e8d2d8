//! 营业日: instants are stored in UTC milliseconds; the business day and the sessions
//! (上午/下午/晚上) follow the hospital's configured time zone.

use chrono::{DateTime, NaiveDate, Timelike, Utc};
use chrono_tz::Tz;

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

/// The session (上午 am / 下午 pm / 晚上 eve) the clock is in at the hospital.
pub fn session_at(tz: Tz, ms: i64) -> &'static str {
    match local(tz, ms).hour() {
        0..=11 => "am",
        12..=17 => "pm",
        _ => "eve",
    }
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
        assert_eq!(session_at(tz, ms), "am");
        assert_eq!(business_date(Tz::UTC, ms).to_string(), "2026-11-23");
        assert!(parse_tz("Mars/Olympus").is_none());
    }
}
