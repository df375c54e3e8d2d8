//! 排班 on the day and 号源: which doctors can be registered to now, how full each session is,
//! and — 不能挂感情号 — which doctor the desk proposes when none is asked for.
//!
//! Rules worth finding by name:
//! - Only doctors on duty (active doctor, active department, a duty slot for the date and
//!   session) can be registered to; one asked for who is not on duty is refused, naming their
//!   next duty.
//! - 号源: registrations that hold their place plus open bookings never exceed a slot's
//!   capacity — [`check_capacity`].
//! - 不能挂感情号: with no doctor asked for, the on-duty doctor of the department with the
//!   shortest waiting queue, a return patient's last doctor first when on duty with room —
//!   [`fair_choice`], a pure rule over the candidates.

use serde::Serialize;

use super::store::{doctor_name, doctor_on_duty, next_duty, on_duty_in};
use super::Today;
use crate::clock::Session;
use crate::error::{Error, Problem, Result};
use crate::ids::{DepartmentId, DoctorId, DutyId};
use crate::store::Conn;

/// One doctor's duty slot, as the registration screen lists it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DutyOption {
    pub duty_id: DutyId,
    pub date: String,
    pub session: Session,
    pub doctor_id: DoctorId,
    pub doctor_name: String,
    pub title: String,
    pub department_id: DepartmentId,
    pub department_name: String,
    pub capacity: i64,
    /// Registrations that hold their place (waiting or seen).
    pub registered: i64,
    pub waiting: i64,
    /// Open bookings not yet checked in.
    pub booked: i64,
    pub remaining: i64,
}

/// 号源: a slot takes no more than its capacity; `holds_booking` when the registration being
/// made checks in a booking, which already holds a place.
pub fn check_capacity(duty: &DutyOption, holds_booking: bool) -> Result<()> {
    let used = duty.registered + duty.booked - i64::from(holds_booking);
    if used >= duty.capacity {
        return Err(crate::registration::RegistrationError::SessionFull {
            doctor: duty.doctor_name.clone(),
        }
        .into());
    }
    Ok(())
}

/// 不能挂感情号: among a department's on-duty doctors, the patient's last doctor when on duty
/// with room (`true` in the answer says so); else the one with the fewest waiting, then the
/// fewest registered, then the lowest id — never a choice by favour. `None` when nobody has
/// room.
pub fn fair_choice(
    candidates: &[DutyOption],
    last_doctor: Option<DoctorId>,
) -> Option<(DutyOption, bool)> {
    if let Some(last) = last_doctor {
        if let Some(d) = candidates
            .iter()
            .find(|d| d.doctor_id == last && d.remaining > 0)
        {
            return Some((d.clone(), true));
        }
    }
    candidates
        .iter()
        .filter(|d| d.remaining > 0)
        .min_by_key(|d| (d.waiting, d.registered, d.doctor_id))
        .map(|d| (d.clone(), false))
}

/// What the clerk asked for, resolved: a doctor, or a department (else the last one's).
pub(crate) struct Asked {
    pub doctor: Option<DoctorId>,
    pub department: Option<DepartmentId>,
    pub session: Option<Session>,
    /// The patient's last doctor and department, when they have been before.
    pub last: Option<(DoctorId, DepartmentId)>,
}

/// A typed session, or the one the clock is in; one already over today is refused.
pub(crate) fn session_asked(typed: Option<&str>, today: Today) -> Result<Session> {
    let session = match typed.map(str::trim).filter(|s| !s.is_empty()) {
        None => today.session,
        Some(s) => Session::parse(s).ok_or(Error::invalid("session", Problem::Unknown))?,
    };
    if session < today.session {
        return Err(crate::registration::RegistrationError::SessionOver { session }.into());
    }
    Ok(session)
}

/// Chooses the duty slot: the doctor asked for (refused clearly when not on duty), or — 不能挂
/// 感情号 — [`fair_choice`] among the department's on-duty doctors.
pub(crate) fn propose(conn: &Conn, asked: &Asked, today: Today) -> Result<(DutyOption, bool)> {
    let session = asked.session.unwrap_or(today.session);
    if let Some(doctor_id) = asked.doctor {
        let name = doctor_name(conn, doctor_id)?;
        return match doctor_on_duty(conn, today.date, session, doctor_id)? {
            Some(d) => Ok((d, false)),
            None => Err(crate::registration::RegistrationError::DoctorOffDuty {
                doctor: name,
                session,
                next: next_duty(conn, doctor_id, today)?,
            }
            .into()),
        };
    }
    let department = asked
        .department
        .or(asked.last.map(|(_, dept)| dept))
        .ok_or(Error::invalid("department_id", Problem::Required))?;
    let candidates = on_duty_in(conn, today.date, session, department)?;
    if candidates.is_empty() {
        return Err(crate::registration::RegistrationError::NoDoctorOnDuty { session }.into());
    }
    fair_choice(&candidates, asked.last.map(|(doctor, _)| doctor)).ok_or_else(|| {
        crate::registration::RegistrationError::SessionFull {
            doctor: candidates[0].department_name.clone(),
        }
        .into()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slot(doctor: i64, waiting: i64, registered: i64, remaining: i64) -> DutyOption {
        DutyOption {
            duty_id: DutyId(doctor * 10),
            date: "2026-03-02".into(),
            session: Session::Am,
            doctor_id: DoctorId(doctor),
            doctor_name: format!("医生{doctor}"),
            title: "主治医师".into(),
            department_id: DepartmentId(1),
            department_name: "神经内科".into(),
            capacity: registered + remaining,
            registered,
            waiting,
            booked: 0,
            remaining,
        }
    }

    #[test]
    fn the_fair_proposal_is_the_shortest_queue_or_the_last_doctor() {
        let a = slot(1, 3, 5, 10);
        let b = slot(2, 1, 6, 10);
        let c = slot(3, 1, 4, 10);
        let full = slot(4, 0, 0, 0);
        /// (candidates, last doctor, expected doctor, expected "last doctor")
        type Case<'a> = (Vec<&'a DutyOption>, Option<i64>, Option<i64>, bool);
        let cases: [Case; 7] = [
            (vec![&a, &b, &c], None, Some(3), false),
            (vec![&a, &b], None, Some(2), false),
            (vec![&a, &b, &c], Some(1), Some(1), true),
            (vec![&a, &b, &c], Some(9), Some(3), false),
            (vec![&full, &a], None, Some(1), false),
            (vec![&full, &a], Some(4), Some(1), false),
            (vec![&full], None, None, false),
        ];
        for (candidates, last, want, want_last) in cases {
            let c: Vec<DutyOption> = candidates.into_iter().cloned().collect();
            let got = fair_choice(&c, last.map(DoctorId));
            assert_eq!(
                got.as_ref().map(|(d, l)| (d.doctor_id.0, *l)),
                want.map(|w| (w, want_last)),
                "last {last:?}"
            );
        }
        // Equal queues: the one with fewer registered, then the lower id.
        let x = slot(7, 2, 3, 5);
        let y = slot(5, 2, 3, 5);
        assert_eq!(fair_choice(&[x, y], None).unwrap().0.doctor_id, DoctorId(5));
    }

    #[test]
    fn capacity_counts_places_held_and_bookings() {
        let mut d = slot(1, 0, 9, 1);
        d.capacity = 10;
        assert!(check_capacity(&d, false).is_ok());
        d.booked = 1;
        assert_eq!(
            check_capacity(&d, false).unwrap_err().code(),
            "session_full"
        );
        assert!(
            check_capacity(&d, true).is_ok(),
            "the booking checked in holds its place"
        );
    }
}
