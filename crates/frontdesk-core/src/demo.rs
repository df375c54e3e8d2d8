//! 演示医院: the demo hospital a first start creates, so the desk can be tried at once, and
//! `frontdesk-admin demo --days N`, which adds activity through the same functions the screens
//! call. Demo passwords are printed in README.md.

use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{Datelike, Duration, NaiveDate};
use serde_json::json;

use crate::audit::Actor;
use crate::error::{Error, Problem, Result};
use crate::ids::{DepartmentId, PatientId};
use crate::reference::{self, Kind};
use crate::staff::{self, StaffInput};
use crate::store::{self, Conn};

/// One account per role: (username, password, name, role).
pub const DEMO_STAFF: [(&str, &str, &str, &str); 6] = [
    ("clerk", "clerk1234", "刘敏", "clerk"),
    ("guide", "guide1234", "陈静", "guide"),
    ("service", "service1234", "王芳", "service"),
    ("supervisor", "supervisor1234", "赵丽", "supervisor"),
    ("head", "head1234", "孙建国", "head"),
    ("admin", "admin1234", "周强", "admin"),
];

/// Whether the data holds the demo's accounts (one of them, active, by its username and name):
/// the status bar says 示范数据, so nobody takes the demo for a hospital's real data.
pub fn has_demo_accounts(conn: &Conn) -> Result<bool> {
    let pairs: Vec<String> = DEMO_STAFF
        .iter()
        .map(|(u, _, n, _)| format!("{u}/{n}"))
        .collect();
    let n: i64 = conn.value(
        "SELECT count(*) FROM staff WHERE active = 1
           AND username || '/' || display_name IN (?1, ?2, ?3, ?4, ?5, ?6)",
        &[
            &pairs[0], &pairs[1], &pairs[2], &pairs[3], &pairs[4], &pairs[5],
        ],
    )?;
    Ok(n > 0)
}

/// The demo hospital's people who are not doctors: (name, kind, department or "").
const PEOPLE: [(&str, &str, &str); 7] = [
    ("刘敏", "cashier", ""),
    ("陈静", "guide", ""),
    ("林小红", "guide", ""),
    ("王芳", "service", ""),
    ("张晓燕", "nurse", "心血管内科"),
    ("黄丽", "nurse", "普外科"),
    ("吴倩", "nurse", "儿科"),
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
pub fn create_hospital(conn: &mut Conn, today: NaiveDate, now: i64) -> Result<()> {
    let actor = Actor::system("system (first start)");
    store::write(conn, &actor, now, |tx| {
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
        crate::setup::seed_shipped(tx, today)?;
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
        reference::save(
            tx,
            Kind::Promotion,
            &json!({
                "code": "NEW80", "name": "新患者八折", "kind": "percent", "value": 80,
                // In force over the demo's past days too.
                "valid_from": (today - Duration::days(90)).to_string(),
                "valid_to": (today + Duration::days(365)).to_string(),
            }),
        )?;
        reference::save(
            tx,
            Kind::Promotion,
            &json!({
                "code": "FREE1", "name": "义诊日免挂号费", "kind": "price", "value": 0,
                "valid_from": today.to_string(), "valid_to": (today + Duration::days(30)).to_string(),
                "max_uses": 100,
            }),
        )?;
        let departments = reference::list_departments(tx)?;
        // 人员名录: besides the doctors (who are in it by themselves), the front office and
        // a nurse of each of the first departments.
        for (name, kind, dept) in PEOPLE {
            let department = departments.iter().find(|d| d.name == dept).map(|d| d.id);
            reference::save(
                tx,
                Kind::Person,
                &json!({ "name": name, "kind": kind, "department_id": department.map(|d| d.0.to_string()).unwrap_or_default() }),
            )?;
        }
        for (keyword, dept) in KEYWORDS {
            let id = departments
                .iter()
                .find(|d| d.name == dept)
                .map(|d| d.id)
                .unwrap_or(DepartmentId(1));
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

/// Moves the demo's new-patient promotion (新患者八折) back to `day` when it starts later: a demo
/// of days before the data file was made uses it on those days too.
fn promotion_from(tx: &mut store::Tx, day: NaiveDate) -> Result<()> {
    let Some(p) = reference::list_promotions(tx)?
        .into_iter()
        .find(|p| p.code == "NEW80" && p.valid_from > day.to_string())
    else {
        return Ok(());
    };
    reference::save(
        tx,
        Kind::Promotion,
        &json!({
            "id": p.id, "code": p.code, "name": p.name, "kind": p.kind, "value": p.value,
            "valid_from": day.to_string(), "valid_to": p.valid_to, "max_uses": p.max_uses,
            "active": p.active,
        }),
    )?;
    Ok(())
}

/// Fills the duty schedule for `days` days from `from`, leaving slots that exist alone. Each
/// doctor works mornings or afternoons in a weekly pattern; the emergency department also
/// covers evenings and weekends.
fn schedule(tx: &mut store::Tx, from: NaiveDate, days: i64) -> Result<()> {
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
                    .any(|d| d.doctor_id == doctor.id && d.session.as_str() == session)
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

/// What `demo --days N` added.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Activity {
    pub days: i64,
    pub registrations: i64,
    pub cancelled: i64,
    pub changed: i64,
    pub new_patients: i64,
    /// 投诉, 建议 and 表扬 recorded, and how many of them were closed.
    pub complaints: i64,
    pub complaints_closed: i64,
    /// Survey forms entered at the guide desk, market surveys recorded.
    pub surveys: i64,
    pub market_surveys: i64,
    /// The guide desk's handover and work-log entries.
    pub guide_logs: i64,
    /// Checks of the inspection plan recorded.
    pub checks: i64,
    /// Discharges entered, follow-up calls made (attempts) and reached, spot-checks drawn.
    pub discharges: i64,
    pub calls: i64,
    pub reached: i64,
    pub spot_checks: i64,
}

static DEMO_NOW: AtomicI64 = AtomicI64::new(0);

fn demo_clock() -> i64 {
    DEMO_NOW.load(Ordering::SeqCst)
}

/// A small deterministic generator, so a demo run is reproducible.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "曾", "单", "解", "区", "欧阳",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀英", "霞", "平", "刚", "桂英", "建华", "文", "华", "红", "玉兰", "志强", "海燕",
    "晓东",
];
const COMPLAINTS: &[&str] = &[
    "头痛三天",
    "头晕乏力",
    "胸闷心慌一周",
    "咳嗽发热两天",
    "腹痛腹泻",
    "胃痛反酸",
    "腰痛",
    "皮疹瘙痒",
    "月经不调",
    "小儿发热",
    "外伤",
    "高血压复查",
    "失眠多梦",
    "",
];
const SOURCES: &[&str] = &["老患者介绍", "网络", "电视广告", "朋友推荐", "市场部", ""];

/// Local time `hh:mm` on `date` in the hospital's zone, as a UTC instant.
fn at(tz: chrono_tz::Tz, date: NaiveDate, minutes: i64) -> i64 {
    use chrono::TimeZone;
    let naive = date.and_hms_opt(0, 0, 0).unwrap_or_default() + Duration::minutes(minutes);
    tz.from_local_datetime(&naive)
        .earliest()
        .map(|t| t.timestamp_millis())
        .unwrap_or(0)
}

/// `frontdesk-admin demo --days N [--until DATE]`: `days` days of desk activity ending on
/// `until` (default today, up to the present hour), made through `Desk` exactly as the
/// registration screen makes it — new and returning patients, triage by complaint, cash and
/// mobile payments, a few 退号 and 换号, patients marked seen — and a schedule for the next
/// `days` days. Every day's shift is closed but the last one's, which is left open: ending on
/// an earlier day leaves a shift open from that day, as a clerk who forgot to close would (for
/// practising 班次未结). Signs in as the demo clerk and guide; fails clearly if their demo
/// passwords were changed. `until` cannot be after today.
pub fn add_activity(
    at_store: &crate::store::Location,
    days: i64,
    until: Option<NaiveDate>,
) -> Result<Activity> {
    use crate::patient::PatientInput;
    use crate::registration::{CancelInput, ChangeInput, Choice, PaymentInput, RegisterInput};

    let days = crate::validate::range("days", days, 1, 62)?;
    // As the desk opens it: a file of an older schema is copied and verified first.
    let (mut conn, _) = crate::backup::open_upgrading(at_store.clone(), crate::clock::now_ms())?;
    let wall_clock = crate::clock::now_ms() + conn.clock_offset();
    let hospital = match reference::is_set_up(&conn)? {
        true => Some(reference::get_hospital(&conn)?),
        false => None,
    };
    let tz = hospital
        .as_ref()
        .map_or(chrono_tz::Asia::Shanghai, |h| h.tz());
    let today = crate::clock::business_date(tz, wall_clock);
    let (last, real_now) = match until {
        Some(d) if d > today => return Err(Error::invalid("until", Problem::Future)),
        // An earlier day: the whole of it, the desk's last shift of it still open.
        Some(d) if d < today => (d, at(tz, d, 18 * 60)),
        _ => (today, wall_clock),
    };
    let first = last - Duration::days(days - 1);
    // A new store becomes a hospital that opened on the demo's first day, so a demo of given
    // days is the same whatever the day it is made.
    let made = at(tz, first, 7 * 60);
    if hospital.is_none() {
        create_hospital(&mut conn, first, made)?;
    }
    let actor = Actor::system("frontdesk-admin demo");
    store::write(&mut conn, &actor, made, |tx| {
        // The demo's days and as many after the last, and the fortnight from today.
        schedule(tx, first, days * 2)?;
        if today >= first + Duration::days(days * 2) {
            schedule(tx, today, 14)?;
        }
        // The inspection plan and the demo's promotion were in force before its first day.
        crate::quality::inspection::plan_from(tx, first)?;
        promotion_from(tx, first)?;
        tx.event(
            "demo.activity",
            "demo",
            &last.to_string(),
            json!({ "days": days, "until": last.to_string() }),
        )
    })?;
    drop(conn);

    let (clerk, clerk_pw) = (DEMO_STAFF[0].0, DEMO_STAFF[0].1);
    let mut dice = Dice(0x9E37_79B9_7F4A_7C15 ^ real_now as u64);
    let mut out = Activity {
        days,
        ..Default::default()
    };
    let mut patients: Vec<PatientId> = Vec::new();
    DEMO_NOW.store(at(tz, first, 8 * 60), Ordering::SeqCst);
    let mut desk = crate::Desk::open_demo_with_clock(at_store, demo_clock)?;
    desk.set_idle_seconds_override(Some(24 * 3600));
    desk.login(clerk, clerk_pw)?;
    // The guide desk records complaints, customer service and the supervisor work them.
    let mut handlers = Vec::new();
    for (username, password, _, _) in &DEMO_STAFF[1..5] {
        let mut d = crate::Desk::open_demo_with_clock(at_store, demo_clock)?;
        // Days may pass between one desk's steps; the idle lock is not the demo's business.
        d.set_idle_seconds_override(Some(366 * 24 * 3600));
        d.login(username, password)?;
        handlers.push(d);
    }
    let mut cases: Vec<(crate::ids::ComplaintId, bool)> = Vec::new();
    let types = reference::list_registration_types(desk.connection())?;
    let ordinary = types.iter().find(|t| t.code == "PT").map(|t| t.id);
    let expert = types.iter().find(|t| t.code == "ZJ").map(|t| t.id);
    for day in 0..days {
        let date = first + Duration::days(day);
        DEMO_NOW.store(at(tz, date, 7 * 60 + 50), Ordering::SeqCst);
        if DEMO_NOW.load(Ordering::SeqCst) > real_now {
            break;
        }
        if desk.shift_current()?.is_some() {
            close_as_counted(&mut desk, "前一日未结，次日补结")?;
        }
        desk.shift_open(&[1, 2, 2, 5, 4, 10, 0, 0])?;
        let per_day = 40 + dice.below(40) as i64;
        for i in 0..per_day {
            let minutes = 8 * 60 + (i * 9 * 60) / per_day + dice.below(8) as i64;
            let when = at(tz, date, minutes);
            if when > real_now {
                break;
            }
            DEMO_NOW.store(when, Ordering::SeqCst);
            let returning = !patients.is_empty() && dice.below(100) < 35;
            let mut new_patient = false;
            let patient_id = if returning {
                *dice.pick(&patients)
            } else {
                let name = format!("{}{}", dice.pick(SURNAMES), dice.pick(GIVEN));
                let phone = format!("13{}{:08}", 5 + dice.below(5), dice.below(100_000_000));
                let p = desk.patient_save(
                    &PatientInput {
                        name,
                        sex: if dice.below(2) == 0 { "M" } else { "F" }.into(),
                        birth_date: format!(
                            "{}-{:02}-{:02}",
                            date.year() - 86 + dice.below(80) as i32,
                            1 + dice.below(12),
                            1 + dice.below(28)
                        ),
                        phone,
                        origin: dice.pick(&["本市", "本省", "外省"]).to_string(),
                        heard_via: dice.pick(SOURCES).to_string(),
                        ..Default::default()
                    },
                    true,
                )?;
                out.new_patients += 1;
                new_patient = true;
                patients.push(p.id);
                p.id
            };
            let complaint = dice.pick(COMPLAINTS).to_string();
            let suggested = desk.triage_suggest(&complaint)?;
            let department = match suggested.first() {
                Some(s) => Some(s.department_id),
                None => Some(DepartmentId(1 + dice.below(10) as i64)),
            };
            let method = *dice.pick(&[
                "cash",
                "cash",
                "cash",
                "wechat",
                "wechat",
                "alipay",
                "card",
                "insurance",
            ]);
            let choice = Choice {
                patient_id,
                department_id: department,
                registration_type_id: if dice.below(4) == 0 { expert } else { ordinary },
                // A third of the new patients come with the 新患者八折 code.
                promotion_code: (new_patient && dice.below(3) == 0).then(|| "NEW80".to_string()),
                ..Default::default()
            };
            let tendered = if method == "cash" {
                ["", "20", "50", "100"][dice.below(4) as usize]
            } else {
                ""
            };
            let done = desk.register(&RegisterInput {
                choice,
                chief_complaint: complaint,
                referral_source: dice.pick(SOURCES).to_string(),
                payments: vec![PaymentInput {
                    method: method.into(),
                    amount: String::new(),
                    tendered: tendered.into(),
                }],
                ..Default::default()
            });
            let done = match done {
                Ok(d) => d,
                // A full or empty session is part of a real day: the patient goes elsewhere.
                Err(e)
                    if matches!(
                        e.area_error(),
                        Some(
                            crate::registration::RegistrationError::SessionFull { .. }
                                | crate::registration::RegistrationError::NoDoctorOnDuty { .. }
                                | crate::registration::RegistrationError::TenderedShort { .. }
                        )
                    ) =>
                {
                    continue
                }
                Err(e) => return Err(e),
            };
            out.registrations += 1;
            match dice.below(100) {
                0..=2 => {
                    desk.registration_cancel(&CancelInput {
                        registration_id: done.registration_id,
                        reason: dice
                            .pick(&["病人临时有事", "挂错科室", "等候时间过长"])
                            .to_string(),
                        ..Default::default()
                    })?;
                    out.cancelled += 1;
                }
                3..=4 => {
                    let other = DepartmentId(1 + dice.below(10) as i64);
                    let changed = desk.registration_change(&ChangeInput {
                        registration_id: done.registration_id,
                        department_id: Some(other),
                        reason: "挂错科室".into(),
                        ..Default::default()
                    });
                    if changed.is_ok() {
                        out.changed += 1;
                    }
                }
                _ => {
                    if dice.below(10) < 8 {
                        desk.mark_seen(done.registration_id)?;
                    }
                }
            }
        }
        complaints_of_the_day(
            &mut handlers,
            &mut cases,
            &patients,
            &mut dice,
            tz,
            date,
            real_now,
            &mut out,
        )?;
        surveys_of_the_day(
            &mut handlers,
            &mut dice,
            tz,
            (date, day),
            real_now,
            &mut out,
        )?;
        targets_of_the_month(&mut handlers[3], &mut dice, (date, day))?;
        checks_of_the_day(
            &mut handlers,
            &mut dice,
            tz,
            (date, day),
            real_now,
            &mut out,
        )?;
        followups_of_the_day(
            &mut handlers,
            &patients,
            &mut dice,
            tz,
            (date, day),
            real_now,
            &mut out,
        )?;
        // Every day is closed at 17:35 but the last, whose shift is left open.
        if date < last {
            DEMO_NOW.store(at(tz, date, 17 * 60 + 35), Ordering::SeqCst);
            close_as_counted(&mut desk, "")?;
        }
    }
    Ok(out)
}

const COMPLAINT_TEXTS: &[&str] = &[
    "候诊时间过长，无人解释",
    "挂号窗口工作人员态度生硬",
    "收费项目不清楚，要求解释",
    "诊室环境嘈杂，隐私得不到保护",
    "医生问诊过于简单",
    "导医指引错误，多走了冤枉路",
];
const PRAISE_TEXTS: &[&str] = &[
    "护士耐心细致，特来表扬",
    "医生认真负责，解释清楚",
    "导医热情周到",
];
const SUGGESTION_TEXTS: &[&str] = &[
    "建议增加候诊区座椅",
    "建议开通夜间挂号",
    "建议大厅增加指示牌",
];

/// A day of the guide desk and customer service: 0–3 new cases taken at the desk (or by
/// phone), and every open case moved on a step or two through the workflow — some cases
/// left alone (they run overdue), most carried to their close with the complainant's feedback.
#[allow(clippy::too_many_arguments)]
fn complaints_of_the_day(
    handlers: &mut [crate::Desk],
    cases: &mut Vec<(crate::ids::ComplaintId, bool)>,
    patients: &[PatientId],
    dice: &mut Dice,
    tz: chrono_tz::Tz,
    date: NaiveDate,
    real_now: i64,
    out: &mut Activity,
) -> Result<()> {
    use crate::complaint::{IntakeInput, State, StepInput};
    let when = at(tz, date, 10 * 60 + 20 + dice.below(60) as i64);
    if when > real_now {
        return Ok(());
    }
    DEMO_NOW.store(when, Ordering::SeqCst);
    let choices = handlers[0].complaint_choices()?;
    for _ in 0..dice.below(4) {
        let roll = dice.below(10);
        let kind = match roll {
            0..=5 => "complaint",
            6..=7 => "praise",
            _ => "suggestion",
        };
        let description = match kind {
            "complaint" => dice.pick(COMPLAINT_TEXTS),
            "praise" => dice.pick(PRAISE_TEXTS),
            _ => dice.pick(SUGGESTION_TEXTS),
        };
        let department = dice.pick(&choices.departments).id;
        let people: Vec<_> = choices
            .people
            .iter()
            .filter(|p| p.department_id == Some(department) || p.department_id.is_none())
            .collect();
        let person = (kind != "suggestion").then(|| dice.pick(&people).id);
        let anonymous = kind == "complaint" && dice.below(12) == 0;
        let patient =
            (!anonymous && !patients.is_empty() && dice.below(3) > 0).then(|| *dice.pick(patients));
        let input = IntakeInput {
            kind: kind.into(),
            channel: dice
                .pick(&["desk", "desk", "desk", "phone", "letter", "online"])
                .to_string(),
            patient_id: patient,
            complainant: if patient.is_none() && !anonymous {
                format!("{}{}", dice.pick(SURNAMES), dice.pick(GIVEN))
            } else {
                String::new()
            },
            anonymous,
            contact: if patient.is_none() && !anonymous {
                format!("13{}{:08}", 5 + dice.below(5), dice.below(100_000_000))
            } else {
                String::new()
            },
            category_id: (kind == "complaint").then(|| dice.pick(&choices.categories).id),
            department_id: Some(department),
            person_id: person,
            description: description.to_string(),
            request: if kind == "complaint" {
                "希望医院给个说法".into()
            } else {
                String::new()
            },
            severity: match dice.below(20) {
                0 => "severe",
                1..=4 => "serious",
                _ => "normal",
            }
            .into(),
            ..Default::default()
        };
        let view = handlers[0].complaint_record(&input)?;
        out.complaints += 1;
        // One complaint in ten is left alone: nobody picks it up, and it runs overdue.
        cases.push((view.case.id, kind == "complaint" && dice.below(10) == 0));
    }
    // In the afternoon, the open cases move on.
    DEMO_NOW.store(
        at(tz, date, 15 * 60 + dice.below(90) as i64).min(real_now),
        Ordering::SeqCst,
    );
    for (id, stalled) in cases.iter() {
        if *stalled {
            continue;
        }
        for _ in 0..1 + dice.below(2) {
            let case = handlers[1].complaint_view(*id)?.case;
            if case.state == State::Closed || dice.below(10) < 3 {
                break;
            }
            let plain = |action: &str, note: &str| StepInput {
                complaint_id: *id,
                action: action.into(),
                note: note.into(),
                ..Default::default()
            };
            // (which desk: 0 guide, 1 service, 2 supervisor; the step)
            let (who, step) = match (case.kind, case.state) {
                (crate::complaint::Kind::Praise, _) => (0, plain("close", "已转达科室，列入表扬")),
                (crate::complaint::Kind::Suggestion, _) => {
                    (1, plain("close", "已转交相关部门研究"))
                }
                (_, State::Received) => match dice.below(10) {
                    0 => (
                        0,
                        plain("reject", "经核实系误会，已当面解释，投诉人表示理解"),
                    ),
                    1 => (0, plain("on_spot", "当场协调解决，已致歉")),
                    _ => (0, plain("accept", "")),
                },
                (_, State::Accepted) => (
                    1,
                    StepInput {
                        departments: vec![case.department_id.unwrap_or(choices.departments[0].id)],
                        ..plain("assign", "")
                    },
                ),
                (_, State::Assigned) => (1, plain("cause", "高峰时段人手不足，解释不到位")),
                (_, State::Analysed) => (1, plain("propose", "向患者致歉，科室内部通报并加强培训")),
                (_, State::Proposed) if dice.below(6) == 0 => {
                    (2, plain("return", "请补充整改措施"))
                }
                (_, State::Proposed) => (2, plain("approve", "同意")),
                (_, State::Approved) => (1, plain("carry_out", "已电话致歉，科室已整改")),
                (_, State::CarriedOut) if case.anonymous => (1, plain("close", "匿名投诉，已整改")),
                (_, State::CarriedOut) => (1, plain("notify", "电话告知处理结果")),
                (_, State::Notified) => {
                    let satisfied = dice.below(100) < 92;
                    (
                        1,
                        StepInput {
                            satisfied: Some(satisfied),
                            ..plain(
                                "feedback",
                                if satisfied {
                                    "对处理结果满意"
                                } else {
                                    "仍不满意"
                                },
                            )
                        },
                    )
                }
                (_, State::Answered) => (1, plain("close", "已整改，纳入月度服务质量分析")),
                (_, State::Closed) => break,
            };
            let to = handlers[who].complaint_step(&step)?.case.state;
            if to == State::Closed {
                out.complaints_closed += 1;
            }
        }
    }
    Ok(())
}

const DIAGNOSES: &[(&str, &str)] = &[
    ("高血压病", "李明华"),
    ("2型糖尿病", "王建国"),
    ("社区获得性肺炎", "张丽"),
    ("急性阑尾炎术后", "赵强"),
    ("腰椎间盘突出症", "陈伟"),
];
const WORDS: &[&str] = &[
    "恢复得不错，谢谢关心",
    "医生很耐心，就是排队有点久",
    "药吃完了，症状好多了",
    "挺好的，没什么意见",
    "护士很细心",
    "",
];
const CONCERNS: &[&str] = &[
    "检查报告等了很久，希望能短信通知",
    "收费明细看不懂，希望有人解释",
    "停车太难，希望增加车位",
];

/// A day of customer service's follow-up calls: a discharge or two entered, the due list
/// worked in the afternoon (reached, no answer, busy, wrong numbers, a refusal; some
/// dissatisfaction and concerns, which bring second calls; a concern in three raised as a
/// complaint), wrong numbers fixed the next day, concerns answered by their department; and
/// each week the supervisor draws a spot-check of the week's calls and re-verifies it the day
/// after. A few calls are left for tomorrow, so the list shows some overdue.
fn followups_of_the_day(
    handlers: &mut [crate::Desk],
    patients: &[PatientId],
    dice: &mut Dice,
    tz: chrono_tz::Tz,
    (date, day): (NaiveDate, i64),
    real_now: i64,
    out: &mut Activity,
) -> Result<()> {
    use crate::followup::call::AnswerInput;
    use crate::followup::spotcheck::{CheckInput, DrawInput};
    use crate::followup::{AttemptInput, DischargeInput};
    let mut when = at(tz, date, 13 * 60 + 40 + dice.below(20) as i64);
    if when > real_now || patients.is_empty() {
        return Ok(());
    }
    DEMO_NOW.store(when, Ordering::SeqCst);
    let service = &mut handlers[1];
    let departments = service.complaint_choices()?.departments;
    for _ in 0..dice.below(3) {
        let (diagnosis, doctor) = *dice.pick(DIAGNOSES);
        let stay = 3 + dice.below(10) as i64;
        let added = service.discharge_add(&DischargeInput {
            patient_id: Some(*dice.pick(patients)),
            department_id: Some(dice.pick(&departments).id),
            admitted_on: (date - Duration::days(stay)).to_string(),
            discharged_on: (date - Duration::days(1)).to_string(),
            doctor: doctor.into(),
            diagnosis: diagnosis.into(),
        });
        match added {
            Ok(_) => out.discharges += 1,
            // The same patient picked twice for one day: once is enough.
            Err(Error::Invalid { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    // Yesterday's wrong numbers found (the patient's family, the HIS) and corrected.
    for f in service.followup_list("fix_number", 20)? {
        if dice.below(3) == 0 {
            continue;
        }
        let phone = format!("13{}{:08}", 5 + dice.below(5), dice.below(100_000_000));
        let _ = service.followup_fix_number(f.id, &phone);
    }
    // Concerns answered by their department a day or two later.
    for c in service.followup_concerns_waiting(50)? {
        if c.raised_at < when - 86_400_000 || dice.below(2) == 0 {
            service.followup_concern_answer(c.id, "科室已核实并改进，感谢患者的意见")?;
        }
    }
    let choices = service.complaint_choices()?;
    let due = service.followup_list("due", 60)?;
    let today_calls = due.len().saturating_sub(dice.below(4) as usize);
    for f in due.into_iter().take(today_calls) {
        when += (2 + dice.below(4) as i64) * 60_000;
        if when > real_now {
            break;
        }
        DEMO_NOW.store(when, Ordering::SeqCst);
        let roll = dice.below(100);
        let outcome = match roll {
            0..=64 => "reached",
            65..=82 => "no_answer",
            83..=88 => "busy",
            89..=94 => "wrong_number",
            _ if dice.below(3) == 0 => "refused",
            _ => "no_answer",
        };
        let rating = |dice: &mut Dice| {
            match dice.below(100) {
                0..=3 => "dissatisfied",
                4..=14 => "neutral",
                _ => "satisfied",
            }
            .to_string()
        };
        let answer = (outcome == "reached").then(|| {
            let concern = dice.below(100) < 5;
            let planned = dice.below(100) < 4;
            AnswerInput {
                registration: rating(dice),
                guide: rating(dice),
                doctor: rating(dice),
                nursing: if f.kind == "discharge" {
                    rating(dice)
                } else {
                    String::new()
                },
                environment: rating(dice),
                overall: if dice.below(100) < 94 {
                    "satisfied".into()
                } else {
                    "neutral".into()
                },
                words: dice.pick(WORDS).to_string(),
                concern: if concern {
                    dice.pick(CONCERNS).to_string()
                } else {
                    String::new()
                },
                concern_department_id: concern.then(|| dice.pick(&departments).id),
                next_on: if planned {
                    (date + Duration::days(30)).to_string()
                } else {
                    String::new()
                },
                next_note: if planned {
                    "复查后再回访".into()
                } else {
                    String::new()
                },
            }
        });
        let state = service.followup_attempt(&AttemptInput {
            followup_id: f.id,
            outcome: outcome.into(),
            note: String::new(),
            answer,
        })?;
        out.calls += 1;
        if state == crate::followup::FState::Reached {
            out.reached += 1;
        }
        // A concern in three is serious enough to be a complaint.
        if outcome == "reached" && dice.below(3) == 0 {
            if let Some(c) = service
                .followup_view(f.id)?
                .concerns
                .into_iter()
                .find(|c| c.complaint_id.is_none())
            {
                service.complaint_record(&crate::complaint::IntakeInput {
                    kind: "complaint".into(),
                    channel: "followup".into(),
                    patient_id: Some(f.patient_id),
                    category_id: Some(dice.pick(&choices.categories).id),
                    department_id: c.department_id,
                    description: c.what.clone(),
                    request: "希望改进".into(),
                    severity: "normal".into(),
                    from_concern: Some(c.id),
                    ..Default::default()
                })?;
                out.complaints += 1;
            }
        }
    }
    // The supervisor: each week, a spot-check of the week's calls, re-verified the day after.
    let supervisor = &mut handlers[2];
    DEMO_NOW.store((when + 20 * 60_000).min(real_now), Ordering::SeqCst);
    for check in supervisor.spot_checks(5)? {
        if check.done_at.is_some() {
            continue;
        }
        for (i, item) in supervisor.spot_check(check.id)?.items.iter().enumerate() {
            if item.result.is_some() {
                continue;
            }
            let discrepancy = i == 2 && dice.below(2) == 0;
            supervisor.spot_check_record(&CheckInput {
                spot_check_id: check.id,
                followup_id: item.followup_id,
                result: if discrepancy {
                    "discrepancy"
                } else {
                    "confirmed"
                }
                .into(),
                note: if discrepancy {
                    "患者称满意度与记录不一致，已提醒回访人".into()
                } else {
                    String::new()
                },
            })?;
        }
    }
    if day % 7 == 6 {
        let drawn = supervisor.spot_check_draw(&DrawInput {
            from: (date - Duration::days(6)).to_string(),
            to: date.to_string(),
            rule: "count".into(),
            amount: 5,
            seed: String::new(),
        });
        match drawn {
            Ok(_) => out.spot_checks += 1,
            // A week with no completed calls (the first days of the demo) has nothing to draw.
            Err(e)
                if e.area_error::<crate::followup::FollowupError>()
                    == Some(&crate::followup::FollowupError::NothingToDraw) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// A day's paper survey forms (2–5) entered by the guide desk at 16:30, its work log and its
/// handover — most satisfied, some
/// items 一般 and a few 不满意, now and then an item left blank or a word written — and on the
/// 10th of each month (and the demo's first day) a market survey recorded by the supervisor.
fn surveys_of_the_day(
    handlers: &mut [crate::Desk],
    dice: &mut Dice,
    tz: chrono_tz::Tz,
    (date, day): (NaiveDate, i64),
    real_now: i64,
    out: &mut Activity,
) -> Result<()> {
    use crate::survey::{MarketInput, ResponseInput};
    use chrono::Datelike;
    let when = at(tz, date, 16 * 60 + 30);
    if when > real_now {
        return Ok(());
    }
    DEMO_NOW.store(when, Ordering::SeqCst);
    let forms = handlers[0].survey_questionnaires()?;
    for _ in 0..2 + dice.below(4) {
        let q = &forms[dice.below(forms.len() as u64) as usize];
        let mut answers = std::collections::BTreeMap::new();
        for item in &q.items {
            if dice.below(12) == 0 {
                continue; // left blank on the paper
            }
            let value = match item.scale.as_str() {
                "text" if dice.below(4) == 0 => dice.pick(WORDS).to_string(),
                "text" => continue,
                "frequency" => ["always", "always", "often", "sometimes", "never"]
                    [dice.below(5) as usize]
                    .to_string(),
                _ => match dice.below(100) {
                    0..=2 => "dissatisfied",
                    3..=12 => "neutral",
                    _ => "satisfied",
                }
                .to_string(),
            };
            if !value.is_empty() {
                answers.insert(item.code.clone(), value);
            }
        }
        if answers.is_empty() {
            continue;
        }
        handlers[0].survey_record(&ResponseInput {
            version_id: Some(q.version_id),
            answers,
            ..Default::default()
        })?;
        out.surveys += 1;
    }
    // The guide desk's own records: a work-log entry or two, and the handover at the end of
    // the day to whoever is on next (the supervisor in the demo).
    use crate::guide_log::EntryInput;
    for _ in 0..1 + dice.below(2) {
        let (category, body) = *dice.pick(&[
            ("consult", "为外地患者解答医保报销流程"),
            ("escort", "陪同行动不便的老人做检查"),
            ("wheelchair", "为骨科患者提供轮椅"),
            ("incident", "候诊区一位患者头晕，已通知护士处理"),
        ]);
        handlers[0].guide_log_write(&EntryInput {
            kind: "work".into(),
            category: category.into(),
            body: body.into(),
            ..Default::default()
        })?;
        out.guide_logs += 1;
    }
    let takers = handlers[0].guide_log_choices()?.takers;
    if let Some((taker, _)) = takers.first() {
        handlers[0].guide_log_write(&EntryInput {
            kind: "handover".into(),
            body: "轮椅 6 台、平车 2 台齐全，宣传资料已补充".into(),
            open_matters: if dice.below(3) == 0 {
                "3 号诊室空调报修未回复".into()
            } else {
                String::new()
            },
            taken_by: Some(*taker),
            ..Default::default()
        })?;
        out.guide_logs += 1;
    }
    if date.day() == 10 || day == 0 {
        handlers[2].market_survey_record(&MarketInput {
            held_on: date.to_string(),
            topic: dice
                .pick(&["周边社区就医意向", "竞争医院价格调查", "夜间门诊需求"])
                .to_string(),
            method: dice.pick(&["街头问卷", "电话访问", "网络问卷"]).to_string(),
            sample_size: (50 + dice.below(150)).to_string(),
            findings: "多数受访者关注候诊时间和停车，夜间门诊有一定需求".into(),
        })?;
        out.market_surveys += 1;
    }
    Ok(())
}

/// The inspection plan kept: the supervisor's round of the guide desk on Fridays (a week now and
/// then forgotten, shown as missed) and the registration data at the month's end; the head's
/// monthly checks on its last day (the training check sometimes forgotten). The follow-up
/// item's checks are the weekly spot-checks `followups_of_the_day` makes.
fn checks_of_the_day(
    handlers: &mut [crate::Desk],
    dice: &mut Dice,
    tz: chrono_tz::Tz,
    (date, day): (NaiveDate, i64),
    real_now: i64,
    out: &mut Activity,
) -> Result<()> {
    use crate::quality::inspection::CheckInput;
    use chrono::{Datelike, Weekday};
    let when = at(tz, date, 17 * 60 + 10);
    if when > real_now {
        return Ok(());
    }
    DEMO_NOW.store(when, Ordering::SeqCst);
    let friday = date.weekday() == Weekday::Fri;
    let month_end = (date + Duration::days(1)).day() == 1;
    if !friday && !month_end {
        return Ok(());
    }
    let plan = handlers[3].inspection_schedule()?;
    let id = |code: &str| plan.iter().find(|r| r.item.code == code).map(|r| r.item.id);
    let mut check = |who: usize, code: &str, problem: Option<&str>| -> Result<()> {
        handlers[who].inspection_record(&CheckInput {
            item_id: id(code),
            result: if problem.is_some() { "problem" } else { "ok" }.into(),
            findings: problem.unwrap_or("").into(),
            action: if problem.is_some() {
                "当场指出，列入周会讲评".into()
            } else {
                String::new()
            },
            ..Default::default()
        })?;
        out.checks += 1;
        Ok(())
    };
    if friday && (day < 7 || dice.below(6) != 0) {
        // The first round of the demo finds something, and one in five after it.
        let problem =
            (day < 7 || dice.below(5) == 0).then_some("导医台有一人未主动迎候，规范用语使用不足");
        check(2, "guide_service", problem)?;
    }
    if month_end {
        check(2, "registration_data", None)?;
        check(3, "projects", None)?;
        check(3, "surveys", None)?;
        check(
            3,
            "indicators",
            (dice.below(3) == 0).then_some("新患者数未达月度目标，已与市场部分析原因"),
        )?;
        if dice.below(3) != 0 {
            check(3, "training", None)?;
        }
    }
    Ok(())
}

/// On the first day of the demo and of each month, the head sets the month's operating targets
/// (about what a month of the demo's desk does, a little more or less).
fn targets_of_the_month(
    head: &mut crate::Desk,
    dice: &mut Dice,
    (date, day): (NaiveDate, i64),
) -> Result<()> {
    use crate::quality::targets::OperatingInput;
    use chrono::Datelike;
    if date.day() != 1 && day != 0 {
        return Ok(());
    }
    let month = date.format("%Y-%m").to_string();
    // The demo's desk registers some 1,400 a month, three in four of them first visits, most
    // of them new patients.
    for (indicator, per_month) in [
        ("registrations", 1_400),
        ("new_patients", 1_250),
        ("first_visits", 1_050),
    ] {
        let value = per_month * (90 + dice.below(20) as i64) / 100;
        head.operating_target_set(&OperatingInput {
            month: month.clone(),
            indicator: indicator.into(),
            value: value.to_string(),
        })?;
    }
    Ok(())
}

/// 结班 with every method counted exactly as expected (a good day).
fn close_as_counted(desk: &mut crate::Desk, explanation: &str) -> Result<()> {
    use crate::cash::CloseInput;
    use crate::registration::DENOMINATIONS;
    let view = desk.close_preview(&CloseInput::default())?;
    let mut counts = vec![0; DENOMINATIONS.len()];
    let mut counted = std::collections::BTreeMap::new();
    for line in &view.lines {
        if line.method == "cash" {
            let mut left = line.expected_fen.at_least_zero().0;
            for (i, (fen, _)) in DENOMINATIONS.iter().enumerate() {
                counts[i] = left / fen;
                left %= fen;
            }
        } else {
            counted.insert(line.method.clone(), line.expected_fen.yuan());
        }
    }
    desk.close_shift(&CloseInput {
        cash_counts: counts,
        counted,
        explanation: explanation.to_string(),
        received_by: "财务室 孙会计".into(),
        ..Default::default()
    })?;
    Ok(())
}
