//! 导诊台's queries and writes: the waiting room per doctor and a patient marked seen. The
//! types are in `mod.rs`, the desk's commands in `desk.rs`.

use super::*;

/// 候诊: per department and doctor, today's queue. `alert` marks more than `threshold` waiting
/// for one doctor.
pub fn waiting_room(conn: &Conn, today: Today, threshold: i64) -> Result<Vec<DoctorQueue>> {
    let mut out: Vec<DoctorQueue> = on_duty(conn, today.date, None)?
        .into_iter()
        .map(|d| DoctorQueue {
            duty_id: d.duty_id,
            session: d.session,
            doctor_id: d.doctor_id,
            doctor_name: d.doctor_name,
            department_id: d.department_id,
            department_name: d.department_name,
            waiting: 0,
            seen: 0,
            no_show: 0,
            alert: false,
            patients: Vec::new(),
        })
        .collect();
    conn.each(
        concat!(
            "SELECT r.id, r.duty_id, r.queue_no, p.name, r.status, r.session FROM registration r
             JOIN patient p ON p.id = r.patient_id
             WHERE r.date = ?1 AND ",
            holds_place_sql!("r"),
            " ORDER BY r.duty_id, r.queue_no"
        ),
        &[&today.date],
        |r| {
            let duty: DutyId = r.get(1)?;
            let status: RegStatus = r.get(4)?;
            let session: Session = r.get(5)?;
            let Some(q) = out.iter_mut().find(|q| q.duty_id == duty) else {
                return Ok(());
            };
            let no_show = status.is_waiting() && session < today.session;
            match (status, no_show) {
                (RegStatus::Seen, _) => q.seen += 1,
                (_, true) => q.no_show += 1,
                _ => q.waiting += 1,
            }
            q.patients.push(WaitingPatient {
                registration_id: r.get(0)?,
                queue_no: r.get(2)?,
                patient_name: mask_name(&r.get::<String>(3)?),
                status,
                no_show,
            });
            Ok(())
        },
    )?;
    for q in &mut out {
        q.alert = q.waiting > threshold;
    }
    Ok(out)
}

pub use crate::mask::name as mask_name;

/// The guide desk marks a waiting patient as seen by the doctor.
pub fn mark_seen(tx: &mut Tx, registration_id: RegistrationId) -> Result<()> {
    let reg = reg_row(tx, registration_id)?;
    if !reg.status.is_waiting() {
        return Err(
            crate::registration::RegistrationError::NotWaiting { status: reg.status }.into(),
        );
    }
    let before = snapshot(tx, Table::Registration, reg.id.0)?;
    tx.execute(
        "UPDATE registration SET status = ?2, seen_at = ?3 WHERE id = ?1",
        &[&reg.id, &RegStatus::Seen, &tx.now],
    )?;
    tx.record("registration.seen", Table::Registration, reg.id, before)
}
