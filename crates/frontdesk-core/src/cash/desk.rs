//! 日结's commands: the close previewed and made, a supervisor's approval, a shift left open
//! continued, the history of closes and the daily report.

use std::path::PathBuf;

use crate::audit::Actor;
use crate::cash::{self as cash, CloseInput, CloseView, ClosedShift, ShiftInfo};
use crate::desk::{Desk, Printable};
use crate::error::{Error, Result};
use crate::ids::{ShiftId, StaffId};
use crate::print;
use crate::registration as reg;
use crate::staff::{self, Area, Outcome, Permission, SignedIn};
use crate::store;

impl Desk {
    fn my_open_shift(&mut self) -> Result<(SignedIn, ShiftId)> {
        let me = self.authorize(Permission::UseArea(Area::Cash))?;
        let shift = reg::open_shift_of(&self.conn, me.staff_id)?
            .ok_or(crate::registration::RegistrationError::NoOpenShift)?;
        Ok((me, shift.id))
    }

    /// The close of my open shift as it stands with what I have counted so far.
    pub fn close_preview(&mut self, input: &CloseInput) -> Result<CloseView> {
        let (_, shift) = self.my_open_shift()?;
        let now = self.now();
        cash::view(&self.conn, shift, input, now)
    }

    /// Checks a supervisor's own username and password on the spot (wrong ones count towards
    /// that account's lockout) and returns their id.
    pub(crate) fn supervisor_approval(
        &mut self,
        username: &str,
        password: &str,
        me: StaffId,
    ) -> Result<StaffId> {
        let now = self.now();
        let outcome = store::write(&mut self.conn, &Actor::system("approval"), now, |tx| {
            staff::sign_in(tx, username, password, "approve")
        })?;
        let session = match outcome {
            Outcome::Ok(s) => s,
            Outcome::Refused(e) => return Err(e),
        };
        if !session.role.can(Permission::ApproveRefund) || session.staff_id == me {
            return Err(crate::cash::CashError::ApproverNotSupervisor.into());
        }
        Ok(session.staff_id)
    }

    /// 结班 of my open shift.
    pub fn close_shift(&mut self, input: &CloseInput) -> Result<CloseView> {
        let (me, shift) = self.my_open_shift()?;
        let approver = if input.approver_username.trim().is_empty() {
            None
        } else {
            Some(self.supervisor_approval(
                &input.approver_username,
                &input.approver_password,
                me.staff_id,
            )?)
        };
        self.write(|tx| cash::close(tx, shift, me.staff_id, input, approver))
    }

    /// Goes on with a shift left open from an earlier day, with a supervisor's approval.
    pub fn shift_continue(
        &mut self,
        approver_username: &str,
        approver_password: &str,
    ) -> Result<ShiftInfo> {
        let me = self.authorize(Permission::UseArea(Area::Registration))?;
        let shift = reg::open_shift_of(&self.conn, me.staff_id)?
            .ok_or(crate::registration::RegistrationError::NoOpenShift)?;
        let approver =
            self.supervisor_approval(approver_username, approver_password, me.staff_id)?;
        self.write(|tx| cash::continue_stale(tx, shift.id, approver))?;
        let now = self.now();
        cash::shift_info(&self.conn, shift.id, now)
    }

    /// Past closes with their differences: my own, or — for supervisors — everyone's.
    pub fn close_history(
        &mut self,
        everyone: bool,
        from: &str,
        to: &str,
    ) -> Result<Vec<ClosedShift>> {
        let me = self.authorize(Permission::UseArea(Area::Cash))?;
        let from = crate::validate::date("date", from)?;
        let to = crate::validate::date("date", to)?;
        let clerk = if everyone {
            if !me.role.can(Permission::ReviewCash) {
                return Err(Error::Forbidden);
            }
            None
        } else {
            Some(me.staff_id)
        };
        let now = self.now();
        cash::history(&self.conn, clerk, from, to, now)
    }

    /// 日结报表 of a business date as a PDF file beside the data file; returns its path. A
    /// clerk gets their own shifts; supervisors and the head the whole desk.
    /// The day's report written beside the data file, with this desk's A4 printer, if any.
    pub fn daily_report_document(&mut self, date: &str) -> Result<Printable> {
        let me = self.authorize(Permission::UseArea(Area::Cash))?;
        let date = crate::validate::date("date", date)?.to_string();
        let now = self.now();
        let only = (!me.role.can(Permission::ReviewCash)).then_some(me.staff_id);
        let bytes = crate::report::daily_pdf(&self.conn, &date, now, only)?;
        let dir = self.documents_dir().join("reports");
        std::fs::create_dir_all(&dir)?;
        let file = dir.join(format!("日结报表-{date}.pdf"));
        std::fs::write(&file, bytes)?;
        let printer = print::of_desk(&self.conn, &self.desk_code)?.report_printer;
        Ok(Printable {
            file,
            title: format!("daily-report-{date}"),
            paper: print::Paper::A4,
            printer,
        })
    }

    pub fn daily_report_file(&mut self, date: &str) -> Result<PathBuf> {
        Ok(self.daily_report_document(date)?.file)
    }

    /// My open shift left from an earlier day, if any (shown at sign-in).
    pub(crate) fn stale_shift(&self) -> bool {
        let Some(me) = &self.session else {
            return false;
        };
        let now = self.now();
        reg::open_shift_of(&self.conn, me.staff_id)
            .ok()
            .flatten()
            .and_then(|s| cash::shift_info(&self.conn, s.id, now).ok())
            .is_some_and(|s| s.stale)
    }
}
