//! Typed IDs: one newtype per kind of row, made by one macro, so a registration's id cannot be
//! passed where a patient's is meant. Each is an `i64` underneath: serialised transparently
//! (the page sees plain numbers) and bound and read as an integer.

use serde::{Deserialize, Serialize};

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub i64);

        crate::sql_integer!($name);

        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    )*};
}

ids!(
    /// 患者
    PatientId,
    /// 挂号记录
    RegistrationId,
    /// 班次
    ShiftId,
    /// 员工账号
    StaffId,
    /// 医生
    DoctorId,
    /// 科室
    DepartmentId,
    /// 排班: one doctor's session on one date
    DutyId,
    /// 号别
    RegistrationTypeId,
    /// 优惠活动
    PromotionId,
    /// 预约
    AppointmentId,
    /// 收据
    ReceiptId,
    /// 账: one ledger entry
    LedgerId,
    /// 人员名录: one of the hospital's people (a doctor, a nurse, a guide…), not an account
    PersonId,
    /// 投诉: a complaint, a suggestion or a praise
    ComplaintId,
    /// 投诉类别
    CategoryId,
    /// 时限档: a case's deadline tier
    TierId,
    /// 出院记录
    DischargeId,
    /// 回访: one follow-up call to make (with its attempts)
    FollowupId,
    /// 客户异议: a concern raised on a call, referred to a department
    ConcernId,
    /// 抽查: one draw of completed follow-ups
    SpotCheckId,
    /// 问卷: a questionnaire (its versions hold the items)
    QuestionnaireId,
    /// One version of a questionnaire's items
    VersionId,
    /// One paper form entered
    ResponseId,
    /// 市场调查
    MarketSurveyId,
);
