//! 基础资料: the hospital profile and the reference data every desk works from — departments
//! (科室), doctors (医生), the duty schedule (排班: date × 上午/下午/晚上 × doctor, with its 号源
//! capacity), registration types and fees (号别, 挂号费), payment methods (支付方式) and the
//! triage keyword table (分诊关键词: 头痛 → 神经内科).
//!
//! Departments, doctors, types and methods are never deleted — registrations will point at them —
//! they are switched off (`active`). Duty slots and keywords may be deleted.
//!
//! Requests arrive as JSON objects from the admin screen or the CLI; each field is read and
//! checked here, and a bad one is named in the error.

mod store;
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{json, Map, Value};
pub use store::{
    delete, get, get_hospital, is_set_up, list, list_categories, list_departments, list_doctors,
    list_duty, list_payment_methods, list_promotions, list_registration_types,
    list_triage_keywords, save, save_hospital, today,
};

use crate::audit::{snapshot, Table};
use crate::clock::{self, Session};
use crate::error::{Error, Problem, Result};
use crate::ids::{CategoryId, DepartmentId, DoctorId, DutyId, PromotionId, RegistrationTypeId};
use crate::money::Fen;
use crate::session_rank_sql;
use crate::staff::{Permission, Role};
use crate::store::{Conn, ToSql, Tx};
use crate::validate;

/// 排班's own refusal (carried by the core's `Error` as an `AreaError`), said beside 时段.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DutyError {
    /// The doctor already has this session on that day.
    #[error("the doctor is on duty in that session already")]
    DoctorBusy,
}

impl crate::error::AreaError for DutyError {
    fn code(&self) -> &'static str {
        "invalid"
    }

    fn field(&self) -> Option<&'static str> {
        Some("session")
    }

    fn message(&self, lang: crate::Lang) -> String {
        match lang {
            crate::Lang::Zh => "该医生当天这一时段已有排班".into(),
            crate::Lang::En => "This doctor already has this session on that day".into(),
        }
    }
}

/// The kinds of reference data the admin screen edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Hospital,
    Department,
    Doctor,
    Duty,
    RegistrationType,
    PaymentMethod,
    TriageKeyword,
    Promotion,
    /// 人员名录 (the people who are not doctors; a doctor's entry follows the doctor)
    Person,
    /// 投诉类别
    ComplaintCategory,
    /// 投诉时限: working days per tier
    ComplaintTier,
    /// 工作日历: holidays and make-up working days
    CalendarDay,
}

impl Kind {
    pub fn parse(s: &str) -> Result<Kind> {
        Ok(match s {
            "hospital" => Kind::Hospital,
            "department" => Kind::Department,
            "doctor" => Kind::Doctor,
            "duty" => Kind::Duty,
            "registration_type" => Kind::RegistrationType,
            "payment_method" => Kind::PaymentMethod,
            "triage_keyword" => Kind::TriageKeyword,
            "promotion" => Kind::Promotion,
            "person" => Kind::Person,
            "complaint_category" => Kind::ComplaintCategory,
            "complaint_tier" => Kind::ComplaintTier,
            "calendar_day" => Kind::CalendarDay,
            _ => return Err(Error::invalid("kind", Problem::Unknown)),
        })
    }
}

// ---- who sets what ----------------------------------------------------------------------

/// The fields of a kind that its manager (the head, the administrator) does not set by that
/// right alone, each with the permission it takes: the hospital's backup folder and how many
/// backups it keeps are the administrator's (管理 → 备份). Anyone else sending one is refused,
/// naming the field, and nothing is saved.
pub fn guarded_fields(kind: Kind) -> &'static [(&'static str, Permission)] {
    match kind {
        Kind::Hospital => &[
            ("backup_dir", Permission::ManageBackups),
            ("backup_keep", Permission::ManageBackups),
        ],
        _ => &[],
    }
}

/// Refuses a record holding a field `role` may not set (see [`guarded_fields`]).
pub fn check_fields(kind: Kind, role: Role, input: &Value) -> Result<()> {
    for (field, permission) in guarded_fields(kind) {
        if input.get(*field).is_some() && !role.can(*permission) {
            return Err(Error::invalid(field, Problem::NotYourField));
        }
    }
    Ok(())
}

// ---- hospital ---------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Hospital {
    pub name: String,
    pub time_zone: String,
    pub receipt_header: String,
    pub idle_lock_minutes: i64,
    pub backup_dir: Option<String>,
    pub backup_keep: i64,
    /// 退号 above this amount needs a supervisor's approval on the spot.
    pub refund_approval_fen: Fen,
    /// More than this many waiting for one doctor alerts the supervisors.
    pub waiting_alert: i64,
    /// 日结: a difference above this needs a supervisor's sign-off.
    pub close_approval_fen: Fen,
    #[serde(skip)]
    zone: chrono_tz::Tz,
}

impl Hospital {
    /// The hospital's zone, checked when the profile was read ([`get_hospital`]).
    pub fn tz(&self) -> chrono_tz::Tz {
        self.zone
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Department {
    pub id: DepartmentId,
    pub code: String,
    pub name: String,
    pub active: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Doctor {
    pub id: DoctorId,
    pub name: String,
    pub department_id: DepartmentId,
    pub department_name: String,
    pub title: String,
    pub active: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Duty {
    pub id: DutyId,
    pub date: String,
    pub session: Session,
    pub doctor_id: DoctorId,
    pub doctor_name: String,
    pub department_id: DepartmentId,
    pub department_name: String,
    pub capacity: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RegistrationType {
    pub id: RegistrationTypeId,
    pub code: String,
    pub name: String,
    pub fee_fen: Fen,
    pub active: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PaymentMethod {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub active: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TriageKeyword {
    pub id: i64,
    pub keyword: String,
    pub department_id: DepartmentId,
    pub department_name: String,
}

/// 优惠活动: a fixed price (`price`, value in fen) or a share of the fee to pay (`percent`,
/// value 1–100: 80 = 八折), valid from one date to another, optionally for a number of uses.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Promotion {
    pub id: PromotionId,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub value: i64,
    pub valid_from: String,
    pub valid_to: String,
    pub max_uses: Option<i64>,
    pub uses: i64,
    pub active: bool,
}

/// 投诉类别: an editable list (service attitude, waiting time, fees…).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Category {
    pub id: CategoryId,
    pub code: String,
    pub name: String,
    pub active: bool,
}

fn text(input: &Map<String, Value>, key: &str) -> String {
    match input.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

fn text_or(input: &Map<String, Value>, key: &str, default: &str) -> String {
    match input.get(key) {
        None | Some(Value::Null) => default.to_string(),
        _ => text(input, key),
    }
}

fn int(field: &'static str, input: &Map<String, Value>) -> Result<i64> {
    match input.get(field) {
        None | Some(Value::Null) => Err(Error::invalid(field, Problem::Required)),
        Some(Value::Number(n)) => n.as_i64().ok_or(Error::invalid(field, Problem::BadFormat)),
        Some(Value::String(s)) if s.trim().is_empty() => {
            Err(Error::invalid(field, Problem::Required))
        }
        Some(Value::String(s)) => s
            .trim()
            .parse()
            .map_err(|_| Error::invalid(field, Problem::BadFormat)),
        Some(_) => Err(Error::invalid(field, Problem::BadFormat)),
    }
}

fn int_or(input: &Map<String, Value>, field: &'static str, default: i64) -> Result<i64> {
    match input.get(field) {
        None | Some(Value::Null) => Ok(default),
        _ => int(field, input),
    }
}

fn bool_or(input: &Map<String, Value>, field: &'static str, default: bool) -> Result<bool> {
    match input.get(field) {
        None | Some(Value::Null) => Ok(default),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => Err(Error::invalid(field, Problem::BadFormat)),
    }
}

fn code_field(input: &Map<String, Value>) -> Result<String> {
    let code = validate::text("code", &text(input, "code"), 1, 16)?;
    if !code
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Err(Error::invalid("code", Problem::BadFormat));
    }
    Ok(code)
}
