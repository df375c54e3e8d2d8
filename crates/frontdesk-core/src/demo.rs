//! 演示医院: the demo hospital a first start creates, so the desk can be tried at once, and
//! `frontdesk-admin demo --days N`, which adds activity through the same functions the screens
//! call. Demo passwords are printed in README.md.

use chrono::{Datelike, Duration, NaiveDate};
use rusqlite::Connection;
use serde_json::json;

use crate::audit::Actor;
use crate::db;
use crate::error::Result;
use crate::reference::{self, Kind};
use crate::staff::{self, StaffInput};

/// One account per role: (username, password, name, role).
pub const DEMO_STAFF: [(&str, &str, &str, &str); 6] = [
    ("clerk", "clerk1234", "刘敏", "clerk"),
    ("guide", "guide1234", "陈静", "guide"),
    ("service", "service1234", "王芳", "service"),
    ("supervisor", "supervisor1234", "赵丽", "supervisor"),
    ("head", "head1234", "孙建国", "head"),
    ("admin", "admin1234", "周强", "admin"),
];

/// A doctor: (name, title).
type DemoDoctor = (&'static str, &'static str);

/// (code, name, doctors); the emergency department works evenings too.
const DEPARTMENTS: [(&str, &str, [DemoDoctor; 3]); 10] = [
    (
        "01",
        "心血管内科",
        [
            ("李明华", "主任医师"),
            ("张卫东", "副主任医师"),
            ("杨柳", "主治医师"),
        ],
    ),
    (
        "02",
        "消化内科",
        [
            ("王建平", "主任医师"),
            ("刘晓燕", "主治医师"),
            ("黄志强", "住院医师"),
        ],
    ),
    (
        "03",
        "神经内科",
        [
            ("李四海", "主任医师"),
            ("王五一", "副主任医师"),
            ("赵六顺", "主治医师"),
        ],
    ),
    (
        "04",
        "呼吸内科",
        [
            ("陈国庆", "副主任医师"),
            ("周海燕", "主治医师"),
            ("吴斌", "住院医师"),
        ],
    ),
    (
        "05",
        "普外科",
        [
            ("郑大伟", "主任医师"),
            ("冯涛", "副主任医师"),
            ("何俊", "主治医师"),
        ],
    ),
    (
        "06",
        "骨科",
        [
            ("曾志刚", "主任医师"),
            ("单海峰", "副主任医师"),
            ("罗军", "主治医师"),
        ],
    ),
    (
        "07",
        "妇科",
        [
            ("林秀英", "主任医师"),
            ("许丽娟", "副主任医师"),
            ("邓芳", "主治医师"),
        ],
    ),
    (
        "08",
        "儿科",
        [
            ("高红", "主任医师"),
            ("谢晓明", "主治医师"),
            ("韩雪", "住院医师"),
        ],
    ),
    (
        "09",
        "皮肤科",
        [
            ("宋佳", "副主任医师"),
            ("唐文", "主治医师"),
            ("董琳", "住院医师"),
        ],
    ),
    (
        "10",
        "急诊科",
        [
            ("袁野", "副主任医师"),
            ("蒋鹏", "主治医师"),
            ("沈涛", "住院医师"),
        ],
    ),
];

const TYPES: [(&str, &str, i64); 4] = [
    ("PT", "普通号", 1000),
    ("ZJ", "专家号", 2500),
    ("JZ", "急诊号", 1500),
    ("TX", "特需号", 10000),
];

const METHODS: [(&str, &str); 5] = [
    ("cash", "现金"),
    ("card", "银行卡"),
    ("wechat", "微信支付"),
    ("alipay", "支付宝"),
    ("insurance", "医保"),
];

const KEYWORDS: [(&str, &str); 20] = [
    ("胸闷", "心血管内科"),
    ("心慌", "心血管内科"),
    ("高血压", "心血管内科"),
    ("腹痛", "消化内科"),
    ("胃痛", "消化内科"),
    ("腹泻", "消化内科"),
    ("头痛", "神经内科"),
    ("头晕", "神经内科"),
    ("失眠", "神经内科"),
    ("咳嗽", "呼吸内科"),
    ("发热", "呼吸内科"),
    ("发热", "急诊科"),
    ("阑尾", "普外科"),
    ("骨折", "骨科"),
    ("腰痛", "骨科"),
    ("月经", "妇科"),
    ("小儿", "儿科"),
    ("皮疹", "皮肤科"),
    ("瘙痒", "皮肤科"),
    ("外伤", "急诊科"),
];

/// Creates the demo hospital in an empty, migrated database, with a schedule of 14 days
/// from `today`.
pub fn create_hospital(conn: &mut Connection, today: NaiveDate, now: i64) -> Result<()> {
    let actor = Actor::system("system (first start)");
    db::write(conn, &actor, now, |tx| {
        reference::save(
            tx,
            Kind::Hospital,
            &json!({
                "name": "示范市第一人民医院",
                "time_zone": "Asia/Shanghai",
                "receipt_header": "示范市第一人民医院 门诊挂号收据",
                "idle_lock_minutes": 10,
                "backup_keep": 14,
            }),
        )?;
        for (code, name, doctors) in DEPARTMENTS {
            let dept =
                reference::save(tx, Kind::Department, &json!({ "code": code, "name": name }))?;
            for (doctor, title) in doctors {
                reference::save(
                    tx,
                    Kind::Doctor,
                    &json!({ "name": doctor, "department_id": dept, "title": title }),
                )?;
            }
        }
        for (code, name, fee) in TYPES {
            reference::save(
                tx,
                Kind::RegistrationType,
                &json!({ "code": code, "name": name, "fee_fen": fee }),
            )?;
        }
        for (code, name) in METHODS {
            reference::save(
                tx,
                Kind::PaymentMethod,
                &json!({ "code": code, "name": name }),
            )?;
        }
        let departments = reference::list_departments(tx)?;
        for (keyword, dept) in KEYWORDS {
            let id = departments
                .iter()
                .find(|d| d.name == dept)
                .map(|d| d.id)
                .unwrap_or(1);
            reference::save(
                tx,
                Kind::TriageKeyword,
                &json!({ "keyword": keyword, "department_id": id }),
            )?;
        }
        for (username, password, name, role) in DEMO_STAFF {
            staff::upsert_staff(
                tx,
                &StaffInput {
                    username: username.into(),
                    password: password.into(),
                    display_name: name.into(),
                    role: role.into(),
                    active: true,
                    ..Default::default()
                },
            )?;
        }
        schedule(tx, today, 14)
    })
}

/// Fills the duty schedule for `days` days from `from`, leaving slots that exist alone. Each
/// doctor works mornings or afternoons in a weekly pattern; the emergency department also
/// covers evenings and weekends.
fn schedule(tx: &mut db::Tx, from: NaiveDate, days: i64) -> Result<()> {
    let doctors = reference::list_doctors(tx)?;
    for day in 0..days {
        let date = from + Duration::days(day);
        let weekday = date.weekday().num_days_from_monday() as usize;
        let existing = reference::list_duty(tx, &date.to_string(), 1)?;
        for (i, doctor) in doctors.iter().filter(|d| d.active).enumerate() {
            let emergency = doctor.department_name == "急诊科";
            let mut sessions = Vec::new();
            if emergency {
                sessions.push(["am", "pm", "eve"][(i + weekday) % 3]);
            } else if weekday < 5 {
                sessions.push(if (i + weekday).is_multiple_of(2) {
                    "am"
                } else {
                    "pm"
                });
                if (i + weekday).is_multiple_of(5) {
                    sessions.push(if sessions[0] == "am" { "pm" } else { "am" });
                }
            } else if weekday == 5 && i.is_multiple_of(3) {
                sessions.push("am");
            }
            for session in sessions {
                if existing
                    .iter()
                    .any(|d| d.doctor_id == doctor.id && d.session == session)
                {
                    continue;
                }
                let capacity = if doctor.title == "主任医师" {
                    20
                } else {
                    30
                };
                reference::save(
                    tx,
                    Kind::Duty,
                    &json!({ "date": date.to_string(), "session": session, "doctor_id": doctor.id, "capacity": capacity }),
                )?;
            }
        }
    }
    Ok(())
}

/// `frontdesk-admin demo --days N`: makes sure the schedule covers the next `days` days, as
/// the department head would through the admin screen. Returns how many duty slots exist in
/// that window afterwards.
pub fn add_activity(conn: &mut Connection, today: NaiveDate, days: i64, now: i64) -> Result<usize> {
    let days = crate::validate::range("days", days, 1, 62)?;
    let actor = Actor::system("frontdesk-admin demo");
    db::write(conn, &actor, now, |tx| {
        schedule(tx, today, days)?;
        tx.event(
            "demo.activity",
            "demo",
            &today.to_string(),
            json!({ "days": days }),
        )
    })?;
    Ok(reference::list_duty(conn, &today.to_string(), days)?.len())
}
