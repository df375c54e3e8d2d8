//! 挂号's commands: the clerk's shift, the day's duty and triage, the quote and the
//! registration itself, 退号 and 换号, the receipts, appointments and the per-doctor figures —
//! each checks who asks, then calls the rule in its file of this folder.

use std::path::PathBuf;

use crate::cash;
use crate::clock::Session;
use crate::desk::{Desk, Printable};
use crate::error::{Error, Result};
use crate::ids::{PatientId, ReceiptId};
use crate::print;
use crate::reference;
use crate::registration::{
    self as reg, Appointment, BookInput, CancelInput, Cancelled, ChangeInput, Choice, DutyOption,
    Quote, RegisterInput, Registered, RegistrationView, Shift, Suggestion, Today,
};
use crate::report::DoctorStats;
use crate::staff::{Area, Permission};

impl Desk {
    pub fn shift_current(&mut self) -> Result<Option<Shift>> {
        let me = self.authorize_read(Permission::UseArea(Area::Registration))?;
        let now = self.now();
        let Some(mut shift) = reg::open_shift_of(&self.conn, me.staff_id)? else {
            return Ok(None);
        };
        shift.stale = cash::shift_info(&self.conn, shift.id, now)?.stale;
        Ok(Some(shift))
    }

    /// 开班: the float counted by denomination (see `registration::DENOMINATIONS`).
    pub fn shift_open(&mut self, counts: &[i64]) -> Result<Shift> {
        let me = self.authorize(Permission::UseArea(Area::Registration))?;
        let desk = self.desk_code.clone();
        self.write(|tx| reg::open_shift(tx, me.staff_id, &desk, counts))
    }

    pub fn duty_today(&mut self, session: Option<&str>) -> Result<Vec<DutyOption>> {
        self.authorize_read(Permission::UseArea(Area::Registration))?;
        let (date, _) = self.business_now()?;
        let session = match session.map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => Some(
                Session::parse(s)
                    .ok_or(Error::invalid("session", crate::error::Problem::Unknown))?,
            ),
        };
        reg::on_duty(&self.conn, &date, session)
    }

    pub fn triage_suggest(&mut self, complaint: &str) -> Result<Vec<Suggestion>> {
        self.authorize(Permission::UseArea(Area::Registration))?;
        crate::validate::text("chief_complaint", complaint, 0, 200)?;
        reg::suggest_departments(&self.conn, complaint)
    }

    pub fn registration_quote(&mut self, choice: &Choice) -> Result<Quote> {
        self.authorize(Permission::UseArea(Area::Registration))?;
        let (date, session) = self.business_now()?;
        reg::quote(
            &self.conn,
            choice,
            Today {
                date: &date,
                session,
            },
        )
    }

    /// 唱收唱付 while the clerk types: the lines checked and the change, nothing written.
    pub fn payment_preview(
        &mut self,
        due: crate::money::Fen,
        lines: &[reg::PaymentInput],
    ) -> Result<Vec<reg::PaymentLine>> {
        self.authorize(Permission::UseArea(Area::Registration))?;
        crate::validate::range("amount", due.0, 0, 1_000_000_000)?;
        reg::check_payments(&self.conn, lines, due)
    }

    /// 挂号 and 收费 in one transaction.
    pub fn register(&mut self, input: &RegisterInput) -> Result<Registered> {
        let me = self.authorize(Permission::UseArea(Area::Registration))?;
        let desk = self.desk_code.clone();
        self.write_today(|tx, today| reg::register(tx, me.staff_id, &desk, input, today))
    }

    /// 退号. Above the hospital's threshold the input carries a supervisor's username and
    /// password; they are checked first (wrong ones count towards that account's lockout).
    pub fn registration_cancel(&mut self, input: &CancelInput) -> Result<Cancelled> {
        let me = self.authorize(Permission::UseArea(Area::Registration))?;
        let threshold = reference::get_hospital(&self.conn)?.refund_approval_fen;
        let amount = reg::refund_amount(&self.conn, input.registration_id)?;
        let approver = if amount > threshold && !input.approver_username.trim().is_empty() {
            Some(self.supervisor_approval(
                &input.approver_username,
                &input.approver_password,
                me.staff_id,
            )?)
        } else {
            None
        };
        self.write(|tx| reg::cancel(tx, me.staff_id, input, approver, threshold))
    }

    /// What a 换号 would cost or refund, before it is made.
    pub fn registration_change_quote(&mut self, input: &ChangeInput) -> Result<reg::ChangeQuote> {
        self.authorize(Permission::UseArea(Area::Registration))?;
        let (date, session) = self.business_now()?;
        reg::change_quote(
            &self.conn,
            input,
            Today {
                date: &date,
                session,
            },
        )
    }

    /// 换号.
    pub fn registration_change(&mut self, input: &ChangeInput) -> Result<Registered> {
        let me = self.authorize(Permission::UseArea(Area::Registration))?;
        let desk = self.desk_code.clone();
        self.write_today(|tx, today| reg::change(tx, me.staff_id, &desk, input, today))
    }

    /// Today's registrations at the desk, or one patient's history.
    pub fn registrations(
        &mut self,
        patient_id: Option<PatientId>,
    ) -> Result<Vec<RegistrationView>> {
        self.authorize_read(Permission::UseArea(Area::Registration))?;
        let (date, _) = self.business_now()?;
        let which = match patient_id {
            Some(p) => reg::Listing::Patient(p),
            None => reg::Listing::Day(&date),
        };
        reg::list_registrations(&self.conn, which, 200)
    }

    /// Writes the receipt's PDF into `receipts/` beside the data file and returns its path.
    /// A reprint is counted in the audit log and marked 重打.
    /// The receipt's PDF written beside the data file (a reprint recorded and marked 重打), with
    /// what is needed to print it on this desk's receipt printer, if it has one.
    pub fn receipt_document(&mut self, receipt_id: ReceiptId, reprint: bool) -> Result<Printable> {
        let me = self.authorize(Permission::UseArea(Area::Registration))?;
        let copies = if reprint {
            self.write(|tx| crate::receipt::record_reprint(tx, receipt_id, me.staff_id))?
        } else {
            0
        };
        let (bytes, paper) = crate::receipt::receipt_pdf(&self.conn, receipt_id, reprint)?;
        let number = crate::receipt::number(&self.conn, receipt_id)?;
        let (name, title) = if copies > 0 {
            (
                format!("{number}-重打{copies}"),
                format!("receipt-{number}-reprint{copies}"),
            )
        } else {
            (number.clone(), format!("receipt-{number}"))
        };
        let dir = self.documents_dir().join("receipts");
        std::fs::create_dir_all(&dir)?;
        let file = dir.join(format!("收据-{name}.pdf"));
        std::fs::write(&file, bytes)?;
        let printer = print::of_desk(&self.conn, &self.desk_code)?.receipt_printer;
        Ok(Printable {
            file,
            title,
            paper,
            printer,
        })
    }

    /// The receipt's PDF, for a copy saved elsewhere.
    pub fn receipt_file(&mut self, receipt_id: ReceiptId, reprint: bool) -> Result<PathBuf> {
        Ok(self.receipt_document(receipt_id, reprint)?.file)
    }

    pub fn appointment_book(&mut self, input: &BookInput) -> Result<Appointment> {
        self.authorize(Permission::UseArea(Area::Registration))?;
        self.write_today(|tx, today| reg::book(tx, input, today))
    }

    /// Today's bookings; with `no_shows`, those whose session is over without a check-in.
    pub fn appointments(&mut self, no_shows: bool) -> Result<Vec<Appointment>> {
        self.authorize_read(Permission::UseArea(Area::Registration))?;
        let (date, session) = self.business_now()?;
        let now = Today {
            date: &date,
            session,
        };
        reg::list_appointments(&self.conn, &date, no_shows.then_some(now))
    }

    pub fn doctor_stats(&mut self) -> Result<Vec<DoctorStats>> {
        self.authorize_read(Permission::ViewDoctorStats)?;
        let (date, _) = self.business_now()?;
        crate::report::doctor_stats(&self.conn, &date)
    }
}
