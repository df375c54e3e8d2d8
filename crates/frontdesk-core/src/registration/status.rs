//! 挂号状态: where a registration is in its life — waiting (候诊), seen (已就诊), cancelled
//! (退号), changed (换号, replaced by another registration). Only waiting and seen hold a place:
//! they count against the session's 号源, in the queue, on the daily report and as a past
//! visit. [`holds_place_sql!`] is the same rule in SQL, checked against the type by a test.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RegStatus {
    /// 候诊
    Waiting,
    /// 已就诊
    Seen,
    /// 已退号
    Cancelled,
    /// 已换号: a newer registration took its place.
    Changed,
}

crate::sql_text_enum!(RegStatus);

/// `status IN ('waiting', 'seen')` — [`RegStatus::holds_place`] in SQL, optionally for a
/// table alias: `holds_place_sql!("r")` is `r.status IN (…)`.
#[macro_export]
macro_rules! holds_place_sql {
    () => {
        "status IN ('waiting', 'seen')"
    };
    ($alias:literal) => {
        concat!($alias, ".status IN ('waiting', 'seen')")
    };
}

impl RegStatus {
    pub const ALL: [RegStatus; 4] = [
        RegStatus::Waiting,
        RegStatus::Seen,
        RegStatus::Cancelled,
        RegStatus::Changed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RegStatus::Waiting => "waiting",
            RegStatus::Seen => "seen",
            RegStatus::Cancelled => "cancelled",
            RegStatus::Changed => "changed",
        }
    }

    pub fn parse(s: &str) -> Option<RegStatus> {
        RegStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Counts against 号源 and in the queue; is a visit that happened or will.
    pub fn holds_place(self) -> bool {
        matches!(self, RegStatus::Waiting | RegStatus::Seen)
    }

    /// Only a waiting registration may be cancelled, changed or marked seen.
    pub fn is_waiting(self) -> bool {
        self == RegStatus::Waiting
    }
}

impl std::fmt::Display for RegStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sql_fragment_is_the_types_rule() {
        let holding: Vec<String> = RegStatus::ALL
            .iter()
            .filter(|s| s.holds_place())
            .map(|s| format!("'{}'", s.as_str()))
            .collect();
        let want = format!("status IN ({})", holding.join(", "));
        assert_eq!(crate::holds_place_sql!(), want);
        assert_eq!(crate::holds_place_sql!("r"), format!("r.{want}"));
    }

    #[test]
    fn statuses_read_back_as_written() {
        for (s, holds) in [
            (RegStatus::Waiting, true),
            (RegStatus::Seen, true),
            (RegStatus::Cancelled, false),
            (RegStatus::Changed, false),
        ] {
            assert_eq!(RegStatus::parse(s.as_str()), Some(s));
            assert_eq!(s.holds_place(), holds, "{s}");
        }
        assert_eq!(RegStatus::parse("gone"), None);
    }
}

/// 挂号's own refusals — the shift, the day's duty and 号源, fees and promotions, appointments,
/// payment, 退号 and 换号 — carried by the core's `Error` as an `AreaError`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegistrationError {
    /// 退号, 换号 or mark-seen of a registration no longer waiting.
    #[error("registration is {status}, not waiting")]
    NotWaiting { status: RegStatus },
    #[error("shift already open")]
    ShiftAlreadyOpen,
    #[error("no open shift")]
    NoOpenShift,
    #[error("session {session} is over")]
    SessionOver { session: crate::clock::Session },
    #[error("doctor {doctor} not on duty in {session}")]
    DoctorOffDuty {
        doctor: String,
        session: crate::clock::Session,
        next: Option<(String, crate::clock::Session)>,
    },
    #[error("no doctor of the department on duty in {session}")]
    NoDoctorOnDuty { session: crate::clock::Session },
    #[error("session full: {doctor}")]
    SessionFull { doctor: String },
    #[error("promotion {name} not valid today")]
    PromotionNotValid { name: String },
    #[error("promotion {name} used up")]
    PromotionUsedUp { name: String },
    #[error("appointment {number} unknown")]
    AppointmentUnknown { number: String },
    #[error("appointment {number} already used or cancelled")]
    AppointmentUsed { number: String },
    #[error("appointment {number} belongs to another patient")]
    AppointmentOtherPatient { number: String },
    #[error("appointment {number} is for {date}")]
    AppointmentOtherDay { number: String, date: String },
    #[error("tendered {tendered:?} less than cash {cash:?}")]
    TenderedShort {
        tendered: crate::money::Fen,
        cash: crate::money::Fen,
    },
    #[error("payments {paid:?} do not add up to {due:?}")]
    PaymentsDontAddUp {
        paid: crate::money::Fen,
        due: crate::money::Fen,
    },
    #[error("refund of {amount:?} needs a supervisor")]
    ApprovalNeeded { amount: crate::money::Fen },
    #[error("same doctor and session")]
    SameDoctor,
    #[error("shift left open from an earlier day")]
    ShiftStale,
}

impl crate::error::AreaError for RegistrationError {
    fn code(&self) -> &'static str {
        match self {
            RegistrationError::NotWaiting { .. } => "not_waiting",
            RegistrationError::ShiftAlreadyOpen => "shift_already_open",
            RegistrationError::NoOpenShift => "no_open_shift",
            RegistrationError::SessionOver { .. } => "session_over",
            RegistrationError::DoctorOffDuty { .. } => "doctor_off_duty",
            RegistrationError::NoDoctorOnDuty { .. } => "no_doctor_on_duty",
            RegistrationError::SessionFull { .. } => "session_full",
            RegistrationError::PromotionNotValid { .. } => "promotion_not_valid",
            RegistrationError::PromotionUsedUp { .. } => "promotion_used_up",
            RegistrationError::AppointmentUnknown { .. } => "appointment_unknown",
            RegistrationError::AppointmentUsed { .. } => "appointment_used",
            RegistrationError::AppointmentOtherPatient { .. } => "appointment_other_patient",
            RegistrationError::AppointmentOtherDay { .. } => "appointment_other_day",
            RegistrationError::TenderedShort { .. } => "tendered_short",
            RegistrationError::PaymentsDontAddUp { .. } => "payments_dont_add_up",
            RegistrationError::ApprovalNeeded { .. } => "approval_needed",
            RegistrationError::SameDoctor => "same_doctor",
            RegistrationError::ShiftStale => "shift_stale",
        }
    }

    fn message(&self, lang: crate::i18n::Lang) -> String {
        let zh = lang == crate::i18n::Lang::Zh;
        match self {
            RegistrationError::NotWaiting { status } => {
                let st = match (status, zh) {
                    (RegStatus::Seen, true) => "患者已就诊",
                    (RegStatus::Seen, false) => "the patient has been seen",
                    (RegStatus::Cancelled, true) => "该号已退",
                    (RegStatus::Cancelled, false) => "it was already cancelled",
                    (_, true) => "该号已换",
                    (_, false) => "it was already changed",
                };
                if zh {
                    format!("{st}，不能再退号或换号")
                } else {
                    format!("Not possible: {st}")
                }
            }
            RegistrationError::ShiftAlreadyOpen => crate::error::pick(zh, "您已有一个未结班次", "You already have an open shift"),
            RegistrationError::NoOpenShift => crate::error::pick(zh, "请先开班（清点备用金）再收费", "Open a shift (count the float) before taking payments"),
            RegistrationError::SessionOver { session } => {
                let s = session.label(lang);
                if zh { format!("今天{s}的门诊已结束，请选择之后的时段") } else { format!("Today's {s} session is over; choose a later one") }
            }
            RegistrationError::DoctorOffDuty { doctor, session, next } => {
                let s = session.label(lang);
                let next = next.as_ref().map(|(d, ss)| (d.clone(), ss.label(lang)));
                match (zh, next) {
                    (true, Some((d, ns))) => format!("{doctor}医生{s}不出诊，下次出诊：{d} {ns}"),
                    (true, None) => format!("{doctor}医生{s}不出诊，近期没有排班"),
                    (false, Some((d, ns))) => format!("Dr {doctor} is not on duty this {s}; next duty {d} {ns}"),
                    (false, None) => format!("Dr {doctor} is not on duty this {s} and has no duty scheduled"),
                }
            }
            RegistrationError::NoDoctorOnDuty { session } => {
                let s = session.label(lang);
                if zh { format!("该科室{s}没有医生出诊") } else { format!("No doctor of that department is on duty this {s}") }
            }
            RegistrationError::SessionFull { doctor } => {
                if zh { format!("{doctor}本时段号源已满") } else { format!("{doctor}: no places left this session") }
            }
            RegistrationError::PromotionNotValid { name } => {
                if zh { format!("优惠活动「{name}」今天不可用") } else { format!("Promotion \"{name}\" is not valid today") }
            }
            RegistrationError::PromotionUsedUp { name } => {
                if zh { format!("优惠活动「{name}」名额已用完") } else { format!("Promotion \"{name}\" has been used up") }
            }
            RegistrationError::AppointmentUnknown { number } => {
                if zh { format!("找不到预约号 {number}，请核对或联系咨询科") } else { format!("Appointment {number} was not found; check it or call the enquiry desk") }
            }
            RegistrationError::AppointmentUsed { number } => {
                if zh { format!("预约号 {number} 已签到或已取消") } else { format!("Appointment {number} was already checked in or cancelled") }
            }
            RegistrationError::AppointmentOtherPatient { number } => {
                if zh { format!("预约号 {number} 不是这位患者的") } else { format!("Appointment {number} is for another patient") }
            }
            RegistrationError::AppointmentOtherDay { number, date } => {
                if zh { format!("预约号 {number} 是 {date} 的，不是今天") } else { format!("Appointment {number} is for {date}, not today") }
            }
            RegistrationError::TenderedShort { tendered, cash } => {
                if zh { format!("实收 ¥{} 少于应收现金 ¥{}", tendered.yuan(), cash.yuan()) } else { format!("Tendered ¥{} is less than the cash due ¥{}", tendered.yuan(), cash.yuan()) }
            }
            RegistrationError::PaymentsDontAddUp { paid, due } => {
                if zh { format!("各方式合计 ¥{} 与应收 ¥{} 不符", paid.yuan(), due.yuan()) } else { format!("The payments add up to ¥{}, but ¥{} is due", paid.yuan(), due.yuan()) }
            }
            RegistrationError::ApprovalNeeded { amount } => {
                if zh { format!("退款 ¥{} 超过限额，需客服主管输入账号密码审批", amount.yuan()) } else { format!("A refund of ¥{} needs a supervisor's approval with their password", amount.yuan()) }
            }
            RegistrationError::SameDoctor => crate::error::pick(zh, "换号的医生和时段与原来相同", "That is the same doctor and session"),
            RegistrationError::ShiftStale => crate::error::pick(zh, "您有一个昨天（或更早）未结的班次：请先结班，或请客服主管批准后继续使用", "You have a shift left open from an earlier day: close it first, or continue it with a supervisor's approval"),
        }
    }
}

impl From<RegistrationError> for crate::error::Error {
    fn from(e: RegistrationError) -> Self {
        crate::error::Error::area(e)
    }
}
