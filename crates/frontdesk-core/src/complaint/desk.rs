//! The desk's complaint commands: each checks the person and their role, then calls one rule.

use std::path::PathBuf;

use super::{
    choices, figures, list, record, register, take_step, view, workflow, CaseView, Choices,
    ComplaintId, Counts, IntakeInput, StepInput, View,
};
use crate::desk::{Desk, Printable};
use crate::error::{Error, Problem, Result};
use crate::search::{self, PatientHit};
use crate::staff::{Area, Permission};
use crate::store;

impl Desk {
    /// The lists the intake form and the case page choose from.
    pub fn complaint_choices(&mut self) -> Result<Choices> {
        self.authorize(Permission::UseArea(Area::Complaints))?;
        choices(&self.conn, self.lang())
    }

    /// The registration desk's search, for the complainant.
    pub fn complaint_patient_search(&mut self, query: &str) -> Result<Vec<PatientHit>> {
        self.authorize(Permission::UseArea(Area::Complaints))?;
        search::search(&self.conn, query, search::DEFAULT_LIMIT, self.today()?)
    }

    /// 投诉登记: the person signed in takes the case and owns it.
    pub fn complaint_record(&mut self, input: &IntakeInput) -> Result<CaseView> {
        let me = self.authorize(Permission::UseArea(Area::Complaints))?;
        if !workflow::may_record(me.role) {
            return Err(Error::Forbidden);
        }
        let now = self.now();
        let actor = self.actor();
        let id = store::write(&mut self.conn, &actor, now, |tx| {
            record(tx, me.staff_id, input)
        })?;
        view(&self.conn, id, self.today()?, me.role)
    }

    /// One step of a case, by the rules of [`workflow`].
    pub fn complaint_step(&mut self, input: &StepInput) -> Result<CaseView> {
        let me = self.authorize(Permission::UseArea(Area::Complaints))?;
        let now = self.now();
        let actor = self.actor();
        store::write(&mut self.conn, &actor, now, |tx| {
            take_step(tx, me.staff_id, me.role, input)
        })?;
        view(&self.conn, input.complaint_id, self.today()?, me.role)
    }

    pub fn complaint_view(&mut self, id: ComplaintId) -> Result<CaseView> {
        let me = self.authorize(Permission::UseArea(Area::Complaints))?;
        view(&self.conn, id, self.today()?, me.role)
    }

    /// The list: `open`, `overdue`, `due_today`, `mine`, `head`, `closed`, or a state's code.
    pub fn complaint_list(&mut self, which: &str, limit: i64) -> Result<Vec<super::Case>> {
        let me = self.authorize_read(Permission::UseArea(Area::Complaints))?;
        let which = View::parse(which.trim()).ok_or(Error::invalid("view", Problem::Unknown))?;
        list(&self.conn, which, me.staff_id, self.today()?, limit)
    }

    /// 工作日历 from a CSV of dates (管理, or `frontdesk-admin calendar import`); the deadlines
    /// of open cases move with it.
    pub fn calendar_import(&mut self, bytes: &[u8]) -> Result<crate::calendar::Imported> {
        self.authorize(Permission::ManageReference)?;
        let now = self.now();
        let actor = self.actor();
        store::write(&mut self.conn, &actor, now, |tx| {
            let mut imported = crate::calendar::import_csv(tx, bytes)?;
            imported.cases_moved = super::recompute_open(tx)?;
            Ok(imported)
        })
    }

    /// Whether this person keeps the working calendar (asked before the file dialog opens).
    pub fn may_keep_the_calendar(&mut self) -> Result<()> {
        self.authorize(Permission::ManageReference).map(|_| ())
    }

    /// The figures of a period: satisfaction with the records behind it, counts, per staff.
    pub fn complaint_figures(&mut self, from: &str, to: &str) -> Result<figures::Figures> {
        self.authorize(Permission::UseArea(Area::Complaints))?;
        let period = figures::Period::parse(from, to)?;
        figures::figures(&self.conn, period, self.lang())
    }

    /// 投诉登记本 for a period, written as `format` (`pdf` or `xlsx`) into the documents folder.
    /// Masked unless `unmasked`, which only supervisors and the head may ask for, with a
    /// reason; every register made is in the audit log, with who, the period and the reason.
    pub fn complaint_register_file(
        &mut self,
        from: &str,
        to: &str,
        format: &str,
        unmasked: bool,
        reason: &str,
    ) -> Result<PathBuf> {
        let me = self.authorize(Permission::UseArea(Area::Complaints))?;
        let period = figures::Period::parse(from, to)?;
        if unmasked && !me.role.can(Permission::ExportUnmasked) {
            return Err(Error::Forbidden);
        }
        let showing = register::Showing {
            unmasked,
            accountability: super::sees_accountability(me.role),
        };
        let now = self.now();
        let actor = self.actor();
        let lang = self.lang();
        let (bytes, _) = register::export(
            &mut self.conn,
            &actor,
            now,
            period,
            showing,
            format,
            reason,
            lang,
        )?;
        let dir = self.documents_dir().join("reports");
        std::fs::create_dir_all(&dir)?;
        let file = dir.join(format!(
            "投诉登记本-{}-{}{}.{}",
            period.from,
            period.to,
            if unmasked { "-未脱敏" } else { "" },
            format.trim()
        ));
        std::fs::write(&file, bytes)?;
        Ok(file)
    }

    /// One case with its whole history, for this desk's A4 printer (or the viewer).
    pub fn complaint_case_document(&mut self, id: ComplaintId) -> Result<Printable> {
        let me = self.authorize(Permission::UseArea(Area::Complaints))?;
        let bytes = register::case_pdf(
            &self.conn,
            id,
            super::sees_accountability(me.role),
            self.lang(),
            self.today()?,
        )?;
        let number: String = self
            .conn
            .value("SELECT number FROM complaint WHERE id = ?1", &[&id])?;
        let dir = self.documents_dir().join("reports");
        std::fs::create_dir_all(&dir)?;
        let file = dir.join(format!("投诉处理单-{number}.pdf"));
        std::fs::write(&file, bytes)?;
        let printer = crate::print::of_desk(&self.conn, &self.desk_code)?.report_printer;
        Ok(Printable {
            file,
            title: format!("complaint-{number}"),
            paper: crate::print::Paper::A4,
            printer,
        })
    }

    /// The counters for the status bar (`None` for roles that do not handle complaints).
    pub(crate) fn complaint_counts(&self) -> Option<Counts> {
        let role = self.session.as_ref()?.role;
        if !role.can(Permission::UseArea(Area::Complaints)) {
            return None;
        }
        super::counts(&self.conn, self.today().ok()?).ok()
    }
}
