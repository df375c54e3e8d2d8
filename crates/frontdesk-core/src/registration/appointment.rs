//! 预约 (网络/电话预约): a place booked ahead with a doctor for a date and session, by phone or
//! online. A booking holds its place in the session's 号源 until it is checked in (it then
//! becomes a registration with the booked doctor, [`super::register::quote`]) or the session
//! ends; no-shows are listed at the end of their session.

use serde::{Deserialize, Serialize};

use super::duty::check_capacity;
use super::store::{self, doctor_name, on_duty, patient_exists};
use super::Today;
use crate::clock::Session;
use crate::error::{Error, Problem, Result};
use crate::ids::{AppointmentId, DoctorId, PatientId};
use crate::store::{Conn, Counter, Tx};
use crate::validate;

#[derive(Debug, Clone, Deserialize, Default)]
pub struct BookInput {
    pub patient_id: PatientId,
    pub doctor_id: DoctorId,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub session: String,
    #[serde(default)]
    pub channel: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Appointment {
    pub id: AppointmentId,
    pub number: String,
    pub patient_id: PatientId,
    pub patient_name: String,
    pub card_no: String,
    pub date: String,
    pub session: Session,
    pub doctor_name: String,
    pub department_name: String,
    pub channel: String,
    pub status: String,
}

/// Books a place with a doctor for a session today or later; returns the appointment number.
pub fn book(tx: &mut Tx, input: &BookInput, today: Today) -> Result<Appointment> {
    patient_exists(tx, input.patient_id)?;
    let date = validate::date("date", &input.date)?.to_string();
    if date.as_str() < today.date {
        return Err(Error::invalid("date", Problem::Past));
    }
    let session =
        Session::parse(&input.session).ok_or(Error::invalid("session", Problem::Unknown))?;
    if !["phone", "online"].contains(&input.channel.as_str()) {
        return Err(Error::invalid("channel", Problem::Unknown));
    }
    let name = doctor_name(tx, input.doctor_id)?;
    let duty = on_duty(tx, &date, Some(session))?
        .into_iter()
        .find(|d| d.doctor_id == input.doctor_id)
        .ok_or_else(|| crate::registration::RegistrationError::DoctorOffDuty {
            doctor: name.clone(),
            session,
            next: None,
        })?;
    check_capacity(&duty, false)?;
    let seq = tx.next_number(Counter::Series("appointment"))?;
    let number = format!("Y{seq:07}");
    let id =
        store::insert_appointment(tx, &number, input.patient_id, duty.duty_id, &input.channel)?;
    list_appointments(tx, &date, None)?
        .into_iter()
        .find(|a| a.id == id)
        .ok_or(Error::NotFound("appointment"))
}

/// Bookings for a date; with `no_shows_at`, only those still not checked in whose session is
/// over at that point of the day ('am' is over in the afternoon, and so on).
pub fn list_appointments(
    conn: &Conn,
    date: &str,
    no_shows_at: Option<Today>,
) -> Result<Vec<Appointment>> {
    let rows = store::appointments_on(conn, date)?;
    Ok(match no_shows_at {
        None => rows,
        Some(now) => rows
            .into_iter()
            .filter(|a| {
                a.status == "booked"
                    && (a.date.as_str() < now.date
                        || (a.date == now.date && a.session < now.session))
            })
            .collect(),
    })
}
