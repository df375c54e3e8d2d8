//! 初始设置: the first start of a real hospital. A new data file holds nothing until someone
//! names the hospital (its name, time zone and receipt title) and its administrator (username
//! and a password typed twice): then, in one transaction with its audit entries, the hospital,
//! what the product ships with (complaint categories and tiers, follow-up rules, the manual's
//! questionnaires, targets, inspection plan and retention periods) and that one account are
//! written. No other account, no department, no demo data: the administrator adds those.
//!
//! On a shared server several desks may start an empty database at once: the first to finish
//! sets it up, and every other is refused (`SetupError::AlreadyDone`) with nothing written.

use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::json;

use crate::audit::Actor;
use crate::error::{pick, AreaError, Error, Problem, Result};
use crate::i18n::Lang;
use crate::reference::{self, Kind};
use crate::staff::{self, StaffInput};
use crate::store::{self, Conn, Tx};
use crate::validate;

/// What 初始设置 asks for.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct FirstStart {
    #[serde(default)]
    pub hospital_name: String,
    /// An IANA zone; empty means Asia/Shanghai.
    #[serde(default)]
    pub time_zone: String,
    /// The receipt's title; empty means "<hospital> 门诊挂号收据".
    #[serde(default)]
    pub receipt_header: String,
    #[serde(default)]
    pub admin_username: String,
    /// The administrator's name as shown to others; empty means 管理员.
    #[serde(default)]
    pub admin_name: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub password_again: String,
}

pub const DEFAULT_TIME_ZONE: &str = "Asia/Shanghai";

/// Why 初始设置 was refused beyond its fields.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SetupError {
    /// The data file (or server) has a hospital already: another desk finished first.
    #[error("already set up")]
    AlreadyDone,
}

impl AreaError for SetupError {
    fn code(&self) -> &'static str {
        "already_set_up"
    }
    fn message(&self, lang: Lang) -> String {
        pick(
            lang == Lang::Zh,
            "初始设置已完成（可能由另一台电脑完成），请直接登录",
            "This hospital is already set up (perhaps from another desk): sign in",
        )
    }
}

/// What the product ships with, for a hospital being set up (real or demo): the manual's
/// complaint categories and tiers, follow-up rules, questionnaires, targets, inspection plan
/// and retention periods.
pub(crate) fn seed_shipped(tx: &mut Tx, today: NaiveDate) -> Result<()> {
    crate::complaint::seed(tx)?;
    crate::followup::seed(tx)?;
    crate::survey::seed(tx)?;
    crate::quality::targets::seed(tx)?;
    crate::quality::inspection::seed(tx, today)?;
    crate::quality::retention::seed(tx)
}

/// The hospital form's `name` is 医院名称 here, beside the administrator's fields.
fn hospital_named<T>(saved: Result<T>) -> Result<T> {
    fn rename(e: Error) -> Error {
        match e {
            Error::Invalid {
                field: "name",
                problem,
            } => Error::Invalid {
                field: "hospital_name",
                problem,
            },
            Error::Several(all) => Error::Several(all.into_iter().map(rename).collect()),
            e => e,
        }
    }
    saved.map_err(rename)
}

/// 初始设置 at `now`: every field's problem at once, or the hospital and its administrator
/// written (the inspection plan starting on the hospital's business date).
pub fn first_start(conn: &mut Conn, input: &FirstStart, now: i64) -> Result<()> {
    let actor = Actor::system("system (初始设置)");
    let done = store::write(conn, &actor, now, |tx| {
        if reference::is_set_up(tx)? {
            return Err(Error::area(SetupError::AlreadyDone));
        }
        let name = input.hospital_name.trim();
        let zone = match input.time_zone.trim() {
            "" => DEFAULT_TIME_ZONE,
            z => z,
        };
        // Left empty, the receipt is titled after the hospital: 〈name〉 门诊挂号收据 where that
        // fits the title's 60 characters, else the name. A title nobody typed is never the
        // refusal: a name too long is refused as the name.
        let receipt = match input.receipt_header.trim() {
            "" => [
                format!("{name} 门诊挂号收据"),
                name.to_string(),
                "门诊挂号收据".into(),
            ]
            .into_iter()
            .find(|t| !t.trim().is_empty() && t.chars().count() <= 60)
            .unwrap_or_default(),
            r => r.to_string(),
        };
        let mut c = validate::Checks::new();
        c.take(hospital_named(reference::save(
            tx,
            Kind::Hospital,
            &json!({
                "name": name,
                "time_zone": zone,
                "receipt_header": receipt,
                "idle_lock_minutes": 10,
                "backup_keep": 14,
            }),
        )));
        c.take(staff::upsert_staff(
            tx,
            &StaffInput {
                username: input.admin_username.trim().into(),
                password: input.password.clone(),
                display_name: match input.admin_name.trim() {
                    "" => "管理员".into(),
                    n => n.into(),
                },
                role: "admin".into(),
                active: true,
                ..Default::default()
            },
        ));
        if !input.password.is_empty() && input.password != input.password_again {
            c.refuse(Error::invalid("password_again", Problem::Mismatch));
        }
        c.done()?;
        let today = crate::clock::business_date(reference::get_hospital(tx)?.tz(), now);
        seed_shipped(tx, today)
    });
    match done {
        // Two desks of a shared server at the same moment: the one whose write lost to the
        // other's (the hospital's row is there now) is told so, not shown the store's failure.
        Err(e) if e.field().is_none() && reference::is_set_up(conn).unwrap_or(false) => {
            Err(Error::area(SetupError::AlreadyDone))
        }
        done => done,
    }
}
