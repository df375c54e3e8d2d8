//! 导诊台's commands: the waiting room, a patient marked seen, and the supervisors' alert of a
//! doctor with too many waiting.

use serde::Serialize;

use crate::desk::Desk;
use crate::error::Result;
use crate::ids::RegistrationId;
use crate::reference;
use crate::registration::Today;
use crate::staff::Permission;

use super::DoctorQueue;

/// A doctor with more waiting than the hospital's alert threshold, for the supervisors.
#[derive(Debug, Clone, Serialize)]
pub struct WaitingAlert {
    pub doctor_name: String,
    pub department_name: String,
    pub waiting: i64,
}

impl Desk {
    pub fn waiting_room(&mut self) -> Result<Vec<DoctorQueue>> {
        self.authorize_read(Permission::MarkSeen)?;
        self.queues()
    }

    /// Today's queue of each doctor in the session now, against the hospital's alert threshold.
    fn queues(&self) -> Result<Vec<DoctorQueue>> {
        let (date, session) = self.business_now()?;
        let threshold = reference::get_hospital(&self.conn)?.waiting_alert;
        super::waiting_room(
            &self.conn,
            Today {
                date: &date,
                session,
            },
            threshold,
        )
    }

    pub fn mark_seen(&mut self, registration_id: RegistrationId) -> Result<()> {
        self.authorize(Permission::MarkSeen)?;
        self.write(|tx| super::mark_seen(tx, registration_id))
    }

    /// Doctors with more waiting than the threshold; only for those who see the alert.
    pub(crate) fn waiting_alerts(&self) -> Vec<WaitingAlert> {
        let role = self.session.as_ref().map(|s| s.role);
        if !role.is_some_and(|r| r.can(Permission::ViewDoctorStats)) {
            return Vec::new();
        }
        self.queues()
            .unwrap_or_default()
            .into_iter()
            .filter(|q| q.alert)
            .map(|q| WaitingAlert {
                doctor_name: q.doctor_name,
                department_name: q.department_name,
                waiting: q.waiting,
            })
            .collect()
    }
}
