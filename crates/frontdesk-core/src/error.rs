//! Errors of the core. Each has a stable `code` for the page and tests, and a sentence for the
//! person at the desk in their language (`message`). SQL text never reaches that sentence.

use crate::i18n::{field_label, is_chosen, Lang};

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What is wrong with one field of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Required,
    TooLong(usize),
    TooShort(usize),
    OutOfRange(i64, i64),
    BadFormat,
    /// Written as a date should be, but no such day exists (2026-13-45, 2026-02-30).
    NoSuchDate,
    Unknown,
    Taken,
    /// Exactly this many characters (a 居民身份证号 has 18).
    Length(usize),
    /// 身份证号: the first two digits name no province.
    IdRegion,
    /// 身份证号: digits 7–14 are not a real birth date (or one in the future).
    IdBirthDate,
    /// 身份证号: the GB 11643 check digit does not match the first 17.
    IdCheckDigit,
    /// A date after today (a birth date).
    Future,
    /// A date before today (an appointment).
    Past,
    /// An end date before its start date.
    BeforeStart,
    /// Typed, and contradicted by the 身份证号 (birth date, sex).
    DisagreesWithId,
    /// Neither a mainland mobile number nor a landline with its area code.
    PhoneFormat,
    /// A name with characters other than Chinese, Latin letters, `·` and spaces between words.
    NameFormat,
    /// An imported file's header has columns nobody knows.
    UnknownColumns(Vec<String>),
    /// An imported file lacks a column it must have (its header in English and in Chinese).
    MissingColumn(&'static str, &'static str),
    /// An imported file is neither UTF-8 nor GBK.
    Encoding,
    /// A date or time too long ago (more than a year).
    TooOld,
    /// The same value as before: nothing would change.
    Unchanged,
    /// A file with nothing in it to import.
    Empty,
    /// Recorded once and kept: nothing may change it.
    AlreadyRecorded,
    /// A date that must be after today (a next call), and at most this many days after.
    AfterToday(i64),
    /// A field another role sets (the backup folder is the administrator's).
    NotYourField,
    /// Typed a second time, and not the same (a new password).
    Mismatch,
}

/// Why a printer did not take a job, as CUPS tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrintProblem {
    /// The printing service (CUPS) is not running on this PC.
    NoService,
    /// No printer of that name on this PC.
    Missing,
    /// The printer is stopped (out of paper, jammed, paused by someone): CUPS's reason.
    Paused(String),
    /// The printer refuses jobs: CUPS's reason.
    Refusing(String),
    /// `lp` failed otherwise: what it said.
    Failed(String),
}

/// Why the shared server (PostgreSQL) could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerProblem {
    /// The URL does not parse: what is wrong with it.
    BadUrl(String),
    /// No answer from the server (down, wrong host or port, a firewall): what the network said.
    Unreachable(String),
    /// The server refused the user name or password.
    AuthRefused,
    /// The server has no database of that name.
    NoDatabase,
    /// The server does not make commits durable (`fsync` or `synchronous_commit` off).
    NotDurable(String),
    /// The connection was lost in the middle of the work; it is reopened on the next step.
    Lost,
    /// The schema must be created or upgraded, which only the database's owner may do.
    NeedsOwner,
    /// Work only the database's owner may do (removing personal data rewrites history the
    /// desks' role may not touch).
    OwnersWork,
    /// `migrate-to` found data already in the target database.
    NotEmpty,
    /// An operation on the data file itself (the backup API, restore) asked of a server.
    FileOnly,
    /// An operation for a shared server (the desks' role) asked of a file.
    ServerOnly,
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
    /// A data file of an older schema whose copy, made before its migrations, did not verify:
    /// nothing was migrated.
    #[error("not upgraded, the data failed verification: {0}")]
    UpgradeRefused(String),
    #[error("not a Frontdesk database: {0}")]
    NotFrontdesk(String),
    #[error("no CJK font found for PDF output")]
    NoCjkFont,
    #[error("PDF font: {0}")]
    PdfFont(String),
    #[error("backup folder not set")]
    NoBackupDir,
    /// A receipt or report could not be handed to the printer (the document itself is saved
    /// and can be printed again).
    #[error("printer {printer}: {problem:?}")]
    Print {
        printer: String,
        problem: PrintProblem,
    },
    #[error("server {server}: {problem:?}")]
    Server {
        server: String,
        problem: ServerProblem,
    },
    #[error("file error: {0}")]
    Io(#[from] std::io::Error),
    #[error("store error: {0}")]
    Store(#[from] crate::store::StoreError),
    #[error("data error: {0}")]
    Json(#[from] serde_json::Error),
    /// A line of an imported file is wrong; nothing of the file was imported.
    #[error("line {line}: {field}: {problem:?}")]
    ImportRow {
        line: i64,
        field: &'static str,
        problem: Problem,
    },
    /// An item of a survey form (its answer, `survey_answer`) or of a questionnaire being
    /// defined (its code, text…) is wrong, at its position on the form; nothing is kept.
    #[error("survey item {position}, {field}: {problem:?}")]
    SurveyItem {
        position: i64,
        field: &'static str,
        problem: Problem,
    },
    /// An area's own refusal ([`AreaError`]): the area knows its variants, the core does not.
    #[error("{0}")]
    Area(Box<dyn AreaError>),
    /// Several fields refused at once ([`crate::validate::Checks`]), the first first: the page
    /// shows each beside its field and puts the cursor on the first.
    #[error("{} fields refused, the first: {}", .0.len(), .0[0])]
    Several(Vec<Error>),
}

/// An area's own error, carried by [`Error`] without the core knowing its variants (the Tauri
/// plugins' pattern): the area says its stable code, its sentence in each language, and what
/// the page lists with it. The JSON the page gets is the same `{code, message, field}`.
pub trait AreaError: AsAny + std::fmt::Debug + std::fmt::Display + Send + Sync + 'static {
    fn code(&self) -> &'static str;
    fn message(&self, lang: Lang) -> String;
    fn field(&self) -> Option<&'static str> {
        None
    }
    /// What the page lists with the sentence (the patients a likely duplicate matched).
    fn details(&self) -> Option<serde_json::Value> {
        None
    }
}

/// What lets [`Error::area_error`] find an area's own type again; every type has it.
pub trait AsAny {
    fn as_any(&self) -> &dyn std::any::Any;
}

impl<T: std::any::Any> AsAny for T {
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
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
            Error::UpgradeRefused(_) => "upgrade_refused",
            Error::NoBackupDir => "no_backup_dir",
            Error::Server { problem, .. } => match problem {
                ServerProblem::BadUrl(_) => "server_bad_url",
                ServerProblem::Unreachable(_) => "server_unreachable",
                ServerProblem::AuthRefused => "server_auth_refused",
                ServerProblem::NoDatabase => "server_no_database",
                ServerProblem::NotDurable(_) => "server_not_durable",
                ServerProblem::Lost => "server_lost",
                ServerProblem::NeedsOwner => "server_needs_owner",
                ServerProblem::OwnersWork => "server_owners_work",
                ServerProblem::NotEmpty => "server_not_empty",
                ServerProblem::FileOnly => "server_file_only",
                ServerProblem::ServerOnly => "server_only",
            },
            Error::Print { problem, .. } => match problem {
                PrintProblem::NoService => "print_service_down",
                PrintProblem::Missing => "printer_missing",
                PrintProblem::Paused(_) => "printer_paused",
                PrintProblem::Refusing(_) => "printer_refusing",
                PrintProblem::Failed(_) => "print_failed",
            },
            Error::NoCjkFont | Error::PdfFont(_) => "no_cjk_font",
            Error::Io(_) => "io",
            Error::Store(_) => "internal",
            Error::Json(_) => "internal",
            Error::ImportRow { .. } => "import_row",
            Error::SurveyItem { .. } => "invalid",
            Error::Area(e) => e.code(),
            Error::Several(all) => all[0].code(),
        }
    }

    /// An area's error, wrapped.
    pub fn area(e: impl AreaError) -> Error {
        Error::Area(Box::new(e))
    }

    /// The area's error of type `T` this is, if it is one.
    pub fn area_error<T: AreaError>(&self) -> Option<&T> {
        match self {
            Error::Area(e) => (**e).as_any().downcast_ref(),
            _ => None,
        }
    }

    /// What the page lists with the sentence: an area's details, or the position of a survey
    /// form's wrong item (for the page to put the cursor on).
    pub fn details(&self) -> Option<serde_json::Value> {
        match self {
            Error::Area(e) => e.details(),
            Error::Several(all) => all[0].details(),
            Error::SurveyItem { position, .. } => Some(serde_json::json!({ "position": position })),
            _ => None,
        }
    }

    /// The field a validation error belongs to, so the page can show it beside that field.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Error::Invalid { field, .. } => Some(field),
            Error::ImportRow { field, .. } => Some(field),
            Error::SurveyItem { field, .. } => Some(field),
            Error::Area(e) => e.field(),
            Error::Several(all) => all[0].field(),
            _ => None,
        }
    }

    /// Every refusal this error carries: the several of [`Error::Several`], else itself.
    pub fn each(&self) -> Vec<&Error> {
        match self {
            Error::Several(all) => all.iter().collect(),
            e => vec![e],
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
                    (Problem::Required, true) if is_chosen(field) => format!("请选择{f}"),
                    (Problem::Required, false) if is_chosen(field) => format!("{f}: choose one"),
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
                    (Problem::NoSuchDate, true) => format!("{f}：没有这一天，请核对月份和日期"),
                    (Problem::NoSuchDate, false) => {
                        format!("{f}: there is no such day — check the month and the day")
                    }
                    (Problem::Unknown, true) => format!("{f}不存在"),
                    (Problem::Unknown, false) => format!("{f} does not exist"),
                    (Problem::Mismatch, true) => "两次输入的密码不一致".into(),
                    (Problem::Mismatch, false) => "The two passwords are not the same".into(),
                    (Problem::Taken, true) => format!("{f}已被使用"),
                    (Problem::Taken, false) => format!("{f} is already in use"),
                    (Problem::Length(n), true) => format!("{f}应为 {n} 位"),
                    (Problem::Length(n), false) => format!("{f} must be exactly {n} characters"),
                    (Problem::IdRegion, true) => format!("{f}前两位的地区码不正确"),
                    (Problem::IdRegion, false) => {
                        format!("{f}: the first two digits are not a known region")
                    }
                    (Problem::IdBirthDate, true) => format!("{f}第 7–14 位的出生日期不正确"),
                    (Problem::IdBirthDate, false) => {
                        format!("{f}: digits 7–14 are not a valid date of birth")
                    }
                    (Problem::IdCheckDigit, true) => format!("{f}校验位不正确"),
                    (Problem::IdCheckDigit, false) => {
                        format!("{f}: the check digit is wrong (a digit may be mistyped)")
                    }
                    (Problem::Future, true) => format!("{f}不能晚于今天"),
                    (Problem::Future, false) => format!("{f} cannot be after today"),
                    (Problem::Past, true) => format!("{f}不能早于今天"),
                    (Problem::Past, false) => format!("{f} cannot be before today"),
                    (Problem::BeforeStart, true) => format!("{f}不能早于开始日期"),
                    (Problem::BeforeStart, false) => format!("{f} cannot be before the start date"),
                    (Problem::DisagreesWithId, true) => format!("{f}与身份证号不一致"),
                    (Problem::DisagreesWithId, false) => {
                        format!("{f} does not agree with the ID number")
                    }
                    (Problem::PhoneFormat, true) => {
                        format!("{f}应为 11 位手机号，或带区号的固定电话（如 010-12345678）")
                    }
                    (Problem::PhoneFormat, false) => format!(
                        "{f} must be an 11-digit mobile number or a landline with its area code (010-12345678)"
                    ),
                    (Problem::NameFormat, true) => {
                        format!("{f}只能包含汉字、英文字母、“·”，以及英文单词之间的空格")
                    }
                    (Problem::NameFormat, false) => format!(
                        "{f} may hold only Chinese characters, Latin letters, “·” and spaces between words"
                    ),
                    (Problem::UnknownColumns(cols), true) => {
                        format!("{f}中有无法识别的列：{}，未导入任何数据", cols.join("、"))
                    }
                    (Problem::UnknownColumns(cols), false) => format!(
                        "{f} has columns that are not recognised: {}; nothing was imported",
                        cols.join(", ")
                    ),
                    (Problem::MissingColumn(_, c), true) => {
                        format!("{f}缺少“{c}”列，未导入任何数据")
                    }
                    (Problem::MissingColumn(c, _), false) => {
                        format!("{f} has no “{c}” column; nothing was imported")
                    }
                    (Problem::Encoding, true) => {
                        format!("{f}的编码无法识别，请另存为 UTF-8 或 GBK 编码的 CSV")
                    }
                    (Problem::Encoding, false) => {
                        format!("{f} is neither UTF-8 nor GBK; save it as a UTF-8 CSV")
                    }
                    (Problem::TooOld, true) => format!("{f}不能早于一年前"),
                    (Problem::TooOld, false) => format!("{f} cannot be more than a year ago"),
                    (Problem::Unchanged, true) => format!("{f}与原来相同，无需更改"),
                    (Problem::Unchanged, false) => format!("{f} is the same as before; nothing to change"),
                    (Problem::Empty, true) => format!("{f}中没有任何数据，未导入"),
                    (Problem::Empty, false) => format!("{f} holds no data; nothing was imported"),
                    (Problem::AfterToday(n), true) => format!("{f}应在明天到 {n} 天以后之间"),
                    (Problem::AfterToday(n), false) => format!("{f} must be after today and at most {n} days ahead"),
                    (Problem::NotYourField, true) => format!("{f}不由您的角色设置，未保存任何更改"),
                    (Problem::NotYourField, false) => format!("{f} is not set by your role; nothing was saved"),
                    (Problem::AlreadyRecorded, true) => format!("{f}已记录，不能更改"),
                    (Problem::AlreadyRecorded, false) => format!("{f} is already recorded and cannot be changed"),
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
            Error::UpgradeRefused(_) => pick(
                zh,
                "数据文件未通过升级前的校验（数据或审计记录被改动过），没有升级，数据文件没有任何改动。请联系信息科：frontdesk-admin verify 会列出问题",
                "The data file failed the check made before upgrading it (its data or audit log was altered); it was not upgraded and nothing in it changed. Call IT: frontdesk-admin verify lists the problems",
            ),
            Error::NotFrontdesk(_) => pick(zh, "该文件不是 Frontdesk 数据文件", "That file is not a Frontdesk data file"),
            Error::NoCjkFont | Error::PdfFont(_) => pick(
                zh,
                "本机没有可用的中文字体，无法生成 PDF（请安装 Noto Sans CJK 或微软雅黑）",
                "No Chinese font is installed, so no PDF can be made (install Noto Sans CJK or Microsoft YaHei)",
            ),
            Error::NoBackupDir => pick(zh, "尚未设置备份文件夹", "No backup folder is set"),
            Error::Server { server, problem } => match (problem, zh) {
                (ServerProblem::BadUrl(why), true) => format!("数据库地址写得不对（{why}），应为 postgres://用户@服务器/数据库。未做任何改动"),
                (ServerProblem::BadUrl(why), false) => format!("The database address is not right ({why}); it should read postgres://user@server/database. Nothing was changed."),
                (ServerProblem::Unreachable(why), true) => format!("连不上数据库服务器 {server}（{why}）。请检查网络，或联系信息科确认服务器已开机。未做任何改动"),
                (ServerProblem::Unreachable(why), false) => format!("Cannot reach the database server {server} ({why}). Check the network, or ask IT whether the server is up. Nothing was changed."),
                (ServerProblem::AuthRefused, true) => format!("数据库服务器 {server} 拒绝了用户名或密码，请联系信息科。未做任何改动"),
                (ServerProblem::AuthRefused, false) => format!("The database server {server} refused the user name or password; ask IT. Nothing was changed."),
                (ServerProblem::NoDatabase, true) => format!("服务器上没有这个数据库：{server}。请信息科先建库。未做任何改动"),
                (ServerProblem::NoDatabase, false) => format!("The server has no such database: {server}. IT must create it first. Nothing was changed."),
                (ServerProblem::NotDurable(why), true) => format!("数据库服务器 {server} 关闭了写盘保护（{why}），断电会丢失已保存的挂号，程序拒绝在其上运行。请信息科开启 fsync 与 synchronous_commit"),
                (ServerProblem::NotDurable(why), false) => format!("The database server {server} does not make commits durable ({why}): a power cut would lose saved registrations, so Frontdesk refuses to run on it. IT must turn fsync and synchronous_commit on."),
                (ServerProblem::Lost, true) => format!("与数据库服务器 {server} 的连接中断，本次操作没有保存。程序正在重新连接，请稍后再试一次"),
                (ServerProblem::Lost, false) => format!("The connection to the database server {server} was lost and this step was not saved. Frontdesk is reconnecting; try again in a moment."),
                (ServerProblem::NeedsOwner, true) => format!("数据库 {server} 需要建立或升级，这只能由数据库所有者执行：请信息科用所有者账号运行 frontdesk-admin init。未做任何改动"),
                (ServerProblem::NeedsOwner, false) => format!("The database {server} must be created or upgraded, which only its owner may do: IT runs frontdesk-admin init as the owner. Nothing was changed."),
                (ServerProblem::OwnersWork, true) => format!("在共享服务器 {server} 上，移除过期记录的个人信息只能由数据库所有者执行：请信息科用所有者账号运行 frontdesk-admin retention anonymise。未做任何改动"),
                (ServerProblem::OwnersWork, false) => format!("On the shared server {server}, removing the personal data of expired records is for the database's owner: IT runs frontdesk-admin retention anonymise as the owner. Nothing was changed."),
                (ServerProblem::NotEmpty, true) => format!("目标数据库 {server} 里已有数据，不能迁入。请使用一个新建的空数据库。未做任何改动"),
                (ServerProblem::NotEmpty, false) => format!("The target database {server} already holds data; moving into it is refused. Use a new, empty database. Nothing was changed."),
                (ServerProblem::FileOnly, true) => "这项操作只适用于本机数据文件；共享服务器的备份与恢复由服务器完成（pg_dump、pg_restore），请联系信息科".into(),
                (ServerProblem::FileOnly, false) => "This works on a data file only; a shared server is backed up and restored by the server (pg_dump, pg_restore): ask IT".into(),
                (ServerProblem::ServerOnly, true) => format!("这项操作只适用于共享的数据库服务器（postgres://…），{server} 是本机数据文件。未做任何改动"),
                (ServerProblem::ServerOnly, false) => format!("This is for a shared database server (postgres://…); {server} is a data file on this PC. Nothing was changed."),
            },
            Error::Print { printer, problem } => {
                let why = |r: &str| if r.is_empty() { String::new() } else if zh { format!("（{r}）") } else { format!(" ({r})") };
                match (problem, zh) {
                    (PrintProblem::NoService, true) => "本机打印服务（CUPS）没有运行，请联系管理员".into(),
                    (PrintProblem::NoService, false) => "The printing service (CUPS) is not running on this PC; call the administrator".into(),
                    (PrintProblem::Missing, true) => format!("本机没有名为“{printer}”的打印机，请管理员在 管理 → 打印机 中改正"),
                    (PrintProblem::Missing, false) => format!("There is no printer called \"{printer}\" on this PC; the administrator can correct it in Admin → Printers"),
                    (PrintProblem::Paused(r), true) => format!("打印机“{printer}”已停止{}：请检查纸张、卡纸和电源", why(r)),
                    (PrintProblem::Paused(r), false) => format!("The printer \"{printer}\" has stopped{}: check its paper and power", why(r)),
                    (PrintProblem::Refusing(r), true) => format!("打印机“{printer}”不接受打印任务{}", why(r)),
                    (PrintProblem::Refusing(r), false) => format!("The printer \"{printer}\" is not accepting jobs{}", why(r)),
                    (PrintProblem::Failed(r), true) => format!("未能交给打印机“{printer}”{}", why(r)),
                    (PrintProblem::Failed(r), false) => format!("Could not send to the printer \"{printer}\"{}", why(r)),
                }
            }
            Error::Io(e) => {
                if zh {
                    format!("文件读写失败：{e}")
                } else {
                    format!("Could not read or write a file: {e}")
                }
            }
            Error::Store(e) if e.is_busy() => pick(zh, "数据正被其他窗口使用，请稍后重试", "The data is busy at another desk; try again in a moment"),
            Error::Store(_) | Error::Json(_) => pick(zh, "操作未完成，数据未改动。如反复出现请联系管理员", "That did not complete and nothing was changed. If it happens again, call the administrator."),
            Error::ImportRow { line, field, problem } => {
                let inner = Error::Invalid { field, problem: problem.clone() }.message(lang);
                if zh { format!("第 {line} 行：{inner}。整个文件未导入") } else { format!("Line {line}: {inner}. Nothing of the file was imported.") }
            }
            Error::SurveyItem { position, field: "survey_answer", problem: Problem::Required } => {
                pick(zh, &format!("第 {position} 题：请选择答案"), &format!("Item {position}: choose an answer"))
            }
            Error::SurveyItem { position, field, problem } => {
                let inner = Error::Invalid { field, problem: problem.clone() }.message(lang);
                if zh { format!("第 {position} 题：{inner}") } else { format!("Item {position}: {inner}") }
            }
            Error::Area(e) => e.message(lang),
            Error::Several(all) => all[0].message(lang),
        }
    }
}

/// The sentence in the desk's language (areas' errors use it too).
pub fn pick(zh: bool, a: &str, b: &str) -> String {
    if zh { a } else { b }.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_choice_is_asked_to_be_chosen_and_a_missing_text_to_be_filled_in() {
        let chosen = Error::invalid("department", Problem::Required);
        let typed = Error::invalid("phone", Problem::Required);
        assert_eq!(chosen.message(Lang::Zh), "请选择科室");
        assert_eq!(chosen.message(Lang::En), "Department: choose one");
        assert_eq!(typed.message(Lang::Zh), "请填写电话");
        assert_eq!(typed.message(Lang::En), "Phone is required");
    }
}
