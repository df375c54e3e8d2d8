//! Errors of the core. Each has a stable `code` for the page and tests, and a sentence for the
//! person at the desk in their language (`message`). SQL text never reaches that sentence.

use crate::i18n::{field_label, Lang};

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What is wrong with one field of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Required,
    TooLong(usize),
    TooShort(usize),
    OutOfRange(i64, i64),
    BadFormat,
    Unknown,
    Taken,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("invalid {field}: {problem:?}")]
    Invalid {
        field: &'static str,
        problem: Problem,
    },
    #[error("not found: {0}")]
    NotFound(&'static str),
    #[error("wrong username or password")]
    BadCredentials,
    #[error("account locked for {minutes} more minutes")]
    AccountLocked { minutes: i64 },
    #[error("account disabled")]
    AccountInactive,
    #[error("not logged in")]
    NotLoggedIn,
    #[error("screen locked")]
    ScreenLocked,
    #[error("role may not do this")]
    Forbidden,
    #[error("last active administrator")]
    LastAdmin,
    #[error("database file version {file} is newer than this program's {app}")]
    DbTooNew { file: i64, app: i64 },
    #[error("database damaged: {0}")]
    DbDamaged(String),
    #[error("backup failed verification: {0}")]
    BackupRejected(String),
    #[error("not a Frontdesk database: {0}")]
    NotFrontdesk(String),
    #[error("backup folder not set")]
    NoBackupDir,
    #[error("file error: {0}")]
    Io(#[from] std::io::Error),
    #[error("database error: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("data error: {0}")]
    Json(#[from] serde_json::Error),
}

impl Error {
    pub fn invalid(field: &'static str, problem: Problem) -> Self {
        Error::Invalid { field, problem }
    }

    /// Stable machine code, pinned by tests; the page may key on it.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Invalid { .. } => "invalid",
            Error::NotFound(_) => "not_found",
            Error::BadCredentials => "bad_credentials",
            Error::AccountLocked { .. } => "account_locked",
            Error::AccountInactive => "account_inactive",
            Error::NotLoggedIn => "not_logged_in",
            Error::ScreenLocked => "screen_locked",
            Error::Forbidden => "forbidden",
            Error::LastAdmin => "last_admin",
            Error::DbTooNew { .. } => "db_too_new",
            Error::DbDamaged(_) => "db_damaged",
            Error::NotFrontdesk(_) => "not_frontdesk",
            Error::BackupRejected(_) => "backup_rejected",
            Error::NoBackupDir => "no_backup_dir",
            Error::Io(_) => "io",
            Error::Sql(_) => "internal",
            Error::Json(_) => "internal",
        }
    }

    /// The field a validation error belongs to, so the page can show it beside that field.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Error::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }

    /// A sentence for the user. Details that mean nothing at the desk (SQL, paths of internals)
    /// are left to `Display`, which goes to the log.
    pub fn message(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match self {
            Error::Invalid { field, problem } => {
                let f = field_label(field, lang);
                match (problem, zh) {
                    (Problem::Required, true) => format!("请填写{f}"),
                    (Problem::Required, false) => format!("{f} is required"),
                    (Problem::TooLong(n), true) => format!("{f}最多 {n} 个字"),
                    (Problem::TooLong(n), false) => format!("{f} must be at most {n} characters"),
                    (Problem::TooShort(n), true) => format!("{f}至少 {n} 个字符"),
                    (Problem::TooShort(n), false) => format!("{f} must be at least {n} characters"),
                    (Problem::OutOfRange(a, b), true) => format!("{f}应在 {a} 到 {b} 之间"),
                    (Problem::OutOfRange(a, b), false) => {
                        format!("{f} must be between {a} and {b}")
                    }
                    (Problem::BadFormat, true) => format!("{f}格式不正确"),
                    (Problem::BadFormat, false) => format!("{f} is not in a valid format"),
                    (Problem::Unknown, true) => format!("{f}不存在"),
                    (Problem::Unknown, false) => format!("{f} does not exist"),
                    (Problem::Taken, true) => format!("{f}已被使用"),
                    (Problem::Taken, false) => format!("{f} is already in use"),
                }
            }
            Error::NotFound(what) => {
                let w = field_label(what, lang);
                if zh {
                    format!("找不到该{w}，可能已被他人修改，请刷新")
                } else {
                    format!("That {w} was not found; it may have been changed. Please refresh.")
                }
            }
            Error::BadCredentials => pick(zh, "用户名或密码不正确", "Wrong username or password"),
            Error::AccountLocked { minutes } => {
                if zh {
                    format!("密码连续输错 5 次，账号已锁定，请 {minutes} 分钟后再试")
                } else {
                    format!("Five wrong passwords: the account is locked. Try again in {minutes} minutes.")
                }
            }
            Error::AccountInactive => pick(zh, "该账号已停用，请联系管理员", "This account is disabled; ask the administrator"),
            Error::NotLoggedIn => pick(zh, "请先登录", "Please log in first"),
            Error::ScreenLocked => pick(zh, "屏幕已锁定，请输入密码解锁", "The screen is locked; enter your password to unlock"),
            Error::Forbidden => pick(zh, "您的岗位无权进行此操作", "Your role may not do this"),
            Error::LastAdmin => pick(zh, "至少要保留一个启用的管理员账号", "At least one active administrator account must remain"),
            Error::DbTooNew { file, app } => {
                if zh {
                    format!("数据文件版本 ({file}) 比本程序 ({app}) 新，请先升级 Frontdesk，数据未做任何改动")
                } else {
                    format!("The data file (version {file}) is newer than this program (version {app}). Upgrade Frontdesk; nothing was changed.")
                }
            }
            Error::DbDamaged(_) => pick(zh, "数据文件已损坏，程序未写入任何内容。请联系管理员从备份恢复", "The data file is damaged and nothing was written to it. Ask the administrator to restore a backup."),
            Error::BackupRejected(_) => pick(
                zh,
                "该备份文件未通过校验（数据或审计记录被改动过），未恢复，当前数据没有任何改动",
                "That backup failed verification (its data or audit log was altered); nothing was restored and the current data is unchanged",
            ),
            Error::NotFrontdesk(_) => pick(zh, "该文件不是 Frontdesk 数据文件", "That file is not a Frontdesk data file"),
            Error::NoBackupDir => pick(zh, "尚未设置备份文件夹", "No backup folder is set"),
            Error::Io(e) => {
                if zh {
                    format!("文件读写失败：{e}")
                } else {
                    format!("Could not read or write a file: {e}")
                }
            }
            Error::Sql(e) if is_busy(e) => pick(zh, "数据正被其他窗口使用，请稍后重试", "The data is busy at another desk; try again in a moment"),
            Error::Sql(_) | Error::Json(_) => pick(zh, "操作未完成，数据未改动。如反复出现请联系管理员", "That did not complete and nothing was changed. If it happens again, call the administrator."),
        }
    }
}

fn pick(zh: bool, a: &str, b: &str) -> String {
    if zh { a } else { b }.to_string()
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}
pub use rusqlite::Error as RusqliteError;
