//! 员工与岗位: staff accounts, their roles, what each role may use, and signing in.
//! Passwords are hashed with argon2; five wrong passwords in a row lock the account for
//! fifteen minutes. Roles are checked here, in Rust, for every command — the page only mirrors
//! them in its navigation.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use serde::{Deserialize, Serialize};

use crate::audit::Table;
use crate::error::{Error, Problem, Result};
use crate::ids::StaffId;
use crate::store::{Conn, Row, Tx};
use crate::validate;

/// Wrong passwords in a row before the account locks.
pub const MAX_FAILED_ATTEMPTS: i64 = 5;
/// How long a locked account stays locked.
pub const LOCKOUT_MS: i64 = 15 * 60 * 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// 挂号员
    Clerk,
    /// 导医
    Guide,
    /// 客服
    Service,
    /// 客服主管
    Supervisor,
    /// 经营部主任
    Head,
    /// 管理员
    Admin,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Clerk,
        Role::Guide,
        Role::Service,
        Role::Supervisor,
        Role::Head,
        Role::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Clerk => "clerk",
            Role::Guide => "guide",
            Role::Service => "service",
            Role::Supervisor => "supervisor",
            Role::Head => "head",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        let zh = lang == crate::i18n::Lang::Zh;
        match self {
            Role::Clerk => {
                if zh {
                    "挂号员"
                } else {
                    "a clerk"
                }
            }
            Role::Guide => {
                if zh {
                    "导医"
                } else {
                    "the guide desk"
                }
            }
            Role::Service => {
                if zh {
                    "客服"
                } else {
                    "customer service"
                }
            }
            Role::Supervisor => {
                if zh {
                    "客服主管"
                } else {
                    "a supervisor"
                }
            }
            Role::Head => {
                if zh {
                    "经营部主任"
                } else {
                    "the department head"
                }
            }
            Role::Admin => {
                if zh {
                    "管理员"
                } else {
                    "the administrator"
                }
            }
        }
    }

    /// The parts of the app this role works in, in the order the navigation shows them.
    pub fn areas(self) -> &'static [Area] {
        use Area::*;
        match self {
            Role::Clerk => &[Registration, Cash],
            Role::Guide => &[Guide, Complaints],
            Role::Service => &[Followup, Complaints],
            Role::Supervisor => &[Registration, Cash, Followup, Complaints, Quality],
            Role::Head => &[Registration, Cash, Followup, Complaints, Quality, Admin],
            Role::Admin => &[Admin],
        }
    }

    /// Where this role starts after signing in: its own work — the supervisor the complaints
    /// waiting for approval, not a float to count at 挂号; the head the department's targets.
    pub fn home(self) -> Area {
        match self {
            Role::Clerk => Area::Registration,
            Role::Guide => Area::Guide,
            Role::Service => Area::Followup,
            Role::Supervisor => Area::Complaints,
            Role::Head => Area::Quality,
            Role::Admin => Area::Admin,
        }
    }

    pub fn can(self, p: Permission) -> bool {
        use Permission::*;
        match p {
            UseArea(area) => self.areas().contains(&area),
            ManageReference => matches!(self, Role::Head | Role::Admin),
            ManageStaff | ManageBackups | ViewAudit => self == Role::Admin,
            ViewDoctorStats | ApproveRefund | ReviewCash | ExportUnmasked => {
                matches!(self, Role::Supervisor | Role::Head)
            }
            CallPatients => matches!(self, Role::Service | Role::Supervisor),
            SpotCheck => matches!(self, Role::Supervisor | Role::Head),
            SetTargets => self == Role::Head,
            Oversee => matches!(self, Role::Supervisor | Role::Head),
            EnterSurveys => matches!(
                self,
                Role::Guide | Role::Service | Role::Supervisor | Role::Head
            ),
            MarkSeen => matches!(
                self,
                Role::Guide | Role::Clerk | Role::Supervisor | Role::Head
            ),
        }
    }
}

/// A part of the app, one entry of the navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Area {
    /// 挂号
    Registration,
    /// 导诊台
    Guide,
    /// 日结
    Cash,
    /// 回访
    Followup,
    /// 投诉
    Complaints,
    /// 质量
    Quality,
    /// 管理
    Admin,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    UseArea(Area),
    /// Departments, doctors, schedule, fees, payment methods, triage keywords, hospital profile.
    ManageReference,
    ManageStaff,
    ManageBackups,
    ViewAudit,
    /// 挂号数据保密: per-doctor counts and takings.
    ViewDoctorStats,
    /// Approves a 退号 above the threshold, on the spot, with the approver's own password.
    ApproveRefund,
    /// The guide desk (and the registration desk) marks a patient seen.
    MarkSeen,
    /// Every cashier's closes and differences, the whole desk's daily report.
    ReviewCash,
    /// An export with patients' names and phones in full (with a reason, audited).
    ExportUnmasked,
    /// Customer service's calls: the patient's phone in full on the follow-up screens.
    CallPatients,
    /// 抽查: draws completed follow-ups and records what calling back found.
    SpotCheck,
    /// 满意度问卷: enters the paper forms (the guide desk, customer service, supervisors).
    EnterSurveys,
    /// 质量目标: the department's targets and the operating indicators' monthly targets are
    /// the head's (the administrator keeps the reference data, not the department's goals).
    SetTargets,
    /// Supervisors and the head oversee the front office: the head's list of severe and
    /// overdue complaints, the severe count in the status bar.
    Oversee,
}

/// A staff account as screens show it (never the hash).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Staff {
    pub id: StaffId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub active: bool,
    pub locked_until: Option<i64>,
}

/// What the admin screen sends to create or change an account. A blank password on an
/// existing account keeps the old one.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct StaffInput {
    pub id: Option<StaffId>,
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub password: String,
    #[serde(default = "yes")]
    pub active: bool,
    /// Clears a lockout.
    #[serde(default)]
    pub unlock: bool,
}

fn yes() -> bool {
    true
}

fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    let hash = Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|_| Error::invalid("password", Problem::BadFormat))?;
    Ok(hash.to_string())
}

fn password_matches(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

fn validate_password(password: &str) -> Result<()> {
    let n = password.chars().count();
    if n == 0 {
        return Err(Error::invalid("password", Problem::Required));
    }
    if n < 8 {
        return Err(Error::invalid("password", Problem::TooShort(8)));
    }
    if n > 128 {
        return Err(Error::invalid("password", Problem::TooLong(128)));
    }
    Ok(())
}

fn row_to_staff(r: &Row) -> Result<Staff> {
    let role: String = r.get(3)?;
    Ok(Staff {
        id: r.get(0)?,
        username: r.get(1)?,
        display_name: r.get(2)?,
        role: Role::parse(&role).unwrap_or(Role::Clerk),
        active: r.get(4)?,
        locked_until: r.get(5)?,
    })
}

const STAFF_COLUMNS: &str = "id, username, display_name, role, active, locked_until";

pub fn list_staff(conn: &Conn) -> Result<Vec<Staff>> {
    conn.all(
        &format!("SELECT {STAFF_COLUMNS} FROM staff ORDER BY active DESC, role, username"),
        &[],
        row_to_staff,
    )
}

pub fn get_staff(conn: &Conn, id: StaffId) -> Result<Staff> {
    conn.one(
        &format!("SELECT {STAFF_COLUMNS} FROM staff WHERE id = ?1"),
        &[&id],
        row_to_staff,
    )?
    .ok_or(Error::NotFound("staff"))
}

/// Creates or changes an account. The last active administrator cannot be demoted or disabled.
pub fn upsert_staff(tx: &mut Tx, input: &StaffInput) -> Result<Staff> {
    // Every field is checked before refusing: the form shows all its problems at once.
    let mut c = validate::Checks::new();
    let username = c.take(
        validate::text("username", &input.username, 1, 32).and_then(|u| {
            if !u
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-')
            {
                return Err(Error::invalid("username", Problem::BadFormat));
            }
            Ok(u)
        }),
    );
    let display_name = c.take(validate::text("display_name", &input.display_name, 1, 30));
    let role =
        c.take(Role::parse(input.role.trim()).ok_or(Error::invalid("role", Problem::Unknown)));
    if input.id.is_none() || !input.password.is_empty() {
        c.take(validate_password(&input.password));
    }
    if let Some(username) = &username {
        let taken: Option<StaffId> =
            tx.value_opt("SELECT id FROM staff WHERE username = ?1", &[username])?;
        if taken.is_some() && taken != input.id {
            c.refuse(Error::invalid("username", Problem::Taken));
        }
    }
    c.done()?;
    let (username, display_name, role) = (
        validate::kept(username),
        validate::kept(display_name),
        validate::kept(role),
    );
    let id = match input.id {
        None => {
            let hash = hash_password(&input.password)?;
            let id: StaffId = tx.insert(
                "INSERT INTO staff (username, display_name, role, password_hash, active, failed_attempts)
                 VALUES (?1, ?2, ?3, ?4, ?5, 0) RETURNING id",
                &[&username, &display_name, &role.as_str(), &hash, &input.active],
            )?;
            tx.record("staff.create", Table::Staff, id, None)?;
            id
        }
        Some(id) => {
            let old = get_staff(tx, id)?;
            let demotes_admin =
                old.role == Role::Admin && old.active && (role != Role::Admin || !input.active);
            if demotes_admin {
                let admins: i64 = tx.value(
                    "SELECT count(*) FROM staff WHERE role = 'admin' AND active = 1",
                    &[],
                )?;
                if admins <= 1 {
                    return Err(Error::LastAdmin);
                }
            }
            let before = crate::audit::snapshot(tx, Table::Staff, id)?;
            tx.execute(
                "UPDATE staff SET username = ?2, display_name = ?3, role = ?4, active = ?5 WHERE id = ?1",
                &[&id, &username, &display_name, &role.as_str(), &input.active],
            )?;
            if !input.password.is_empty() {
                let hash = hash_password(&input.password)?;
                tx.execute(
                    "UPDATE staff SET password_hash = ?2 WHERE id = ?1",
                    &[&id, &hash],
                )?;
            }
            if input.unlock {
                tx.execute(
                    "UPDATE staff SET failed_attempts = 0, locked_until = NULL WHERE id = ?1",
                    &[&id],
                )?;
            }
            tx.record("staff.update", Table::Staff, id, before)?;
            id
        }
    };
    get_staff(tx, id)
}

/// The person signed in at this desk.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SignedIn {
    pub staff_id: StaffId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
}

/// Why a sign-in attempt ended as it did; the caller writes nothing else.
pub enum Outcome {
    Ok(SignedIn),
    Refused(Error),
}

/// An account as sign-in reads it: id, password hash, failures so far, lock, whether active.
struct Account {
    id: StaffId,
    password_hash: String,
    failed_attempts: i64,
    locked_until: Option<i64>,
    active: bool,
}

/// Checks a username and password, counting failures and locking the account after
/// [`MAX_FAILED_ATTEMPTS`]. Returns `Outcome::Refused` (with the changes already written) rather
/// than an error, so the counting commits.
pub fn sign_in(tx: &mut Tx, username: &str, password: &str, action: &str) -> Result<Outcome> {
    let username = username.trim();
    if username.is_empty() {
        return Err(Error::invalid("username", Problem::Required));
    }
    if password.is_empty() {
        return Err(Error::invalid("password", Problem::Required));
    }
    let row: Option<Account> = tx.one(
        "SELECT id, password_hash, failed_attempts, locked_until, active FROM staff WHERE username = ?1",
        &[&username],
        |r| {
            Ok(Account {
                id: r.get(0)?,
                password_hash: r.get(1)?,
                failed_attempts: r.get(2)?,
                locked_until: r.get(3)?,
                active: r.get(4)?,
            })
        },
    )?;
    let now = tx.now;
    let Some(Account {
        id,
        password_hash: hash,
        failed_attempts: failed,
        locked_until,
        active,
    }) = row
    else {
        tx.event(
            "login.unknown_user",
            "login",
            username,
            serde_json::json!({ "username": username }),
        )?;
        return Ok(Outcome::Refused(Error::BadCredentials));
    };
    if let Some(until) = locked_until.filter(|u| *u > now) {
        let minutes = (until - now + 59_999) / 60_000;
        tx.event(
            "login.while_locked",
            "login",
            username,
            serde_json::json!({ "staff_id": id }),
        )?;
        return Ok(Outcome::Refused(Error::AccountLocked { minutes }));
    }
    let before = crate::audit::snapshot(tx, Table::Staff, id)?;
    if !password_matches(password, &hash) {
        let failed = failed + 1;
        if failed >= MAX_FAILED_ATTEMPTS {
            tx.execute(
                "UPDATE staff SET failed_attempts = 0, locked_until = ?2 WHERE id = ?1",
                &[&id, &(now + LOCKOUT_MS)],
            )?;
            tx.record("login.locked_out", Table::Staff, id, before)?;
            return Ok(Outcome::Refused(Error::AccountLocked {
                minutes: LOCKOUT_MS / 60_000,
            }));
        }
        tx.execute(
            "UPDATE staff SET failed_attempts = ?2, locked_until = NULL WHERE id = ?1",
            &[&id, &failed],
        )?;
        tx.record(&format!("{action}.failed"), Table::Staff, id, before)?;
        return Ok(Outcome::Refused(Error::BadCredentials));
    }
    // Only the right password learns that the account is disabled, so a wrong guess cannot
    // tell whether a username exists.
    if !active {
        tx.event(
            "login.inactive",
            "login",
            username,
            serde_json::json!({ "staff_id": id }),
        )?;
        return Ok(Outcome::Refused(Error::AccountInactive));
    }
    tx.execute(
        "UPDATE staff SET failed_attempts = 0, locked_until = NULL WHERE id = ?1",
        &[&id],
    )?;
    tx.record(action, Table::Staff, id, before)?;
    let s = get_staff(tx, id)?;
    Ok(Outcome::Ok(SignedIn {
        staff_id: s.id,
        username: s.username,
        display_name: s.display_name,
        role: s.role,
    }))
}
