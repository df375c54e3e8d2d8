//! The two languages of the desk and the names of fields as errors speak of them. The page has
//! its own dictionaries (`ui/i18n/`); this is only what Rust itself must say.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Lang {
    #[default]
    #[serde(rename = "zh-CN")]
    Zh,
    #[serde(rename = "en")]
    En,
}

impl Lang {
    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "zh-CN" | "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// Field names as the user knows them.
pub fn field_label(field: &str, lang: Lang) -> &'static str {
    let (zh, en) = match field {
        "username" => ("用户名", "Username"),
        "password" => ("密码", "Password"),
        "display_name" => ("姓名", "Name"),
        "role" => ("岗位", "Role"),
        "name" => ("名称", "Name"),
        "code" => ("编码", "Code"),
        "time_zone" => ("时区", "Time zone"),
        "receipt_header" => ("收据抬头", "Receipt header"),
        "idle_lock_minutes" => ("自动锁屏分钟数", "Idle lock minutes"),
        "backup_keep" => ("备份保留份数", "Backups kept"),
        "backup_dir" => ("备份文件夹", "Backup folder"),
        "department" | "department_id" => ("科室", "Department"),
        "doctor" | "doctor_id" => ("医生", "Doctor"),
        "title" => ("职称", "Title"),
        "date" => ("日期", "Date"),
        "session" => ("时段", "Session"),
        "capacity" => ("号源数", "Capacity"),
        "fee_fen" => ("挂号费", "Fee"),
        "keyword" => ("关键词", "Keyword"),
        "registration_type" => ("号别", "Registration type"),
        "payment_method" => ("支付方式", "Payment method"),
        "triage_keyword" => ("分诊关键词", "Triage keyword"),
        "duty" => ("排班", "Duty"),
        "staff" => ("员工账号", "Staff account"),
        "kind" => ("资料类别", "Kind of data"),
        "days" => ("天数", "Days"),
        "file" => ("文件", "File"),
        "record" => ("记录", "Record"),
        _ => ("字段", "Field"),
    };
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}
