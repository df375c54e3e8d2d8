//! 挂号分诊: the registration desk, in the files the manual names.
//!
//! | file | 中文 | what it owns |
//! |---|---|---|
//! | [`shift`] | 开班, 备用金 | the clerk's shift, the float counted by denomination |
//! | [`duty`] | 排班, 号源, 不能挂感情号 | who is on duty, capacity, the fair proposal |
//! | [`triage`] | 分诊 | departments suggested by the chief complaint |
//! | [`fees`] | 号别, 优惠 | registration types and fees, promotion price rules |
//! | [`payment`] | 唱收唱付, 账, 收据 | payment lines and change, the ledger, receipts |
//! | [`register`] | 挂号, 初诊/复诊 | the quote and the registration with its payment |
//! | [`cancel`] | 退号 | cancel with refund by the original methods |
//! | [`change`] | 换号 | change of doctor with the difference settled |
//! | [`appointment`] | 预约 | bookings and no-shows |
//! | [`status`] | 挂号状态 | which registrations hold their place |
//! | [`store`] | | the queries and writes the rules above make |
//!
//! The guide desk's waiting room (导诊台) is [`crate::guide`]; per-doctor figures are with the
//! other figures in [`crate::report`].

pub mod appointment;
pub mod cancel;
pub mod change;
pub mod desk;
pub mod duty;
pub mod fees;
pub mod payment;
pub mod register;
pub mod shift;
pub mod status;
pub(crate) mod store;
pub mod triage;

pub use appointment::{book, list_appointments, Appointment, BookInput};
pub use cancel::{cancel, refund_amount, CancelInput, Cancelled};
pub use change::{change, change_quote, ChangeInput, ChangeQuote};
pub use duty::DutyOption;
pub use payment::{check_payments, PaymentInput, PaymentLine};
pub use register::{quote, register, visit_kind, Choice, Quote, RegisterInput, Registered};
pub use shift::{denominations, open_shift, open_shift_of, Denomination, Shift, DENOMINATIONS};
pub use status::{RegStatus, RegistrationError};
pub use store::{list_registrations, on_duty, Listing, RegistrationView};
pub use triage::{suggest_departments, Suggestion};

pub(crate) use store::reg_row;

use crate::clock::Session;

/// Where the clock is: today's business date and session, in the hospital's zone.
#[derive(Debug, Clone, Copy)]
pub struct Today<'a> {
    pub date: &'a str,
    pub session: Session,
}
