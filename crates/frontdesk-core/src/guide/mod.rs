//! 导诊台: the guide desk's view of the waiting room — per department and doctor, today's
//! queue: who waits, who has been seen, who still waits after their session ended (过号/未到) —
//! and marking a patient seen with one key. More than the hospital's threshold waiting for one
//! doctor raises an alert for the supervisors [4.2.5]. Names are masked (张*三): the screen
//! faces the waiting room.

pub mod desk;
mod store;
pub use store::{mark_seen, waiting_room};

use serde::Serialize;

use crate::audit::{snapshot, Table};
use crate::clock::Session;
use crate::error::Result;
use crate::holds_place_sql;
use crate::ids::{DepartmentId, DoctorId, DutyId, RegistrationId};
use crate::registration::{on_duty, reg_row, RegStatus, Today};
use crate::store::{Conn, Tx};

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct WaitingPatient {
    pub registration_id: RegistrationId,
    pub queue_no: i64,
    pub patient_name: String,
    pub status: RegStatus,
    /// Still waiting after the session ended: 过号/未到.
    pub no_show: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DoctorQueue {
    pub duty_id: DutyId,
    pub session: Session,
    pub doctor_id: DoctorId,
    pub doctor_name: String,
    pub department_id: DepartmentId,
    pub department_name: String,
    pub waiting: i64,
    pub seen: i64,
    pub no_show: i64,
    pub alert: bool,
    pub patients: Vec<WaitingPatient>,
}
