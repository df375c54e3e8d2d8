//! 管理's commands: the reference data (the hospital, departments, doctors, the schedule, fees,
//! …), the staff accounts, the backups, this PC's printers and the audit log — each checks who
//! asks, then calls the rule in its own module.

use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use crate::audit;
use crate::backup::{self, BackupFile};
use crate::desk::{lock, Desk};
use crate::error::{Error, Result};
use crate::print;
use crate::reference::{self, Kind};
use crate::staff::{self, Permission, SignedIn, Staff, StaffInput};
use crate::store;

#[derive(Debug, Clone, Serialize)]
pub struct BackupsView {
    pub dir: String,
    pub configured: bool,
    pub keep: i64,
    pub files: Vec<BackupFile>,
}

/// 管理 → 打印机.
#[derive(Debug, Clone, Serialize)]
pub struct PrintersView {
    pub this_desk: print::DeskPrinters,
    pub desks: Vec<print::DeskPrinters>,
    /// The printers CUPS has on this PC.
    pub installed: Vec<String>,
    /// Why the list is empty, when CUPS could not be asked.
    pub service_problem: Option<String>,
}

/// Today's backup made again after a removal of personal data.
#[derive(Debug, Clone, Serialize)]
pub struct Remade {
    pub file: BackupFile,
    /// Today's earlier backups, removed.
    pub removed: Vec<String>,
}

impl Desk {
    pub fn reference_list(&mut self, kind: &str, filter: &Value) -> Result<Value> {
        let kind = Kind::parse(kind)?;
        // Everyone signed in reads reference data (a clerk needs the schedule); only the
        // department head and the administrator change it.
        self.authorize_any()?;
        reference::list(&self.conn, kind, filter)
    }

    fn authorize_any(&mut self) -> Result<SignedIn> {
        let role = self
            .session
            .as_ref()
            .map(|s| s.role)
            .ok_or(Error::NotLoggedIn)?;
        self.authorize(Permission::UseArea(role.areas()[0]))
    }

    pub fn reference_save(&mut self, kind: &str, input: &Value) -> Result<Value> {
        let kind = Kind::parse(kind)?;
        let me = self.authorize(Permission::ManageReference)?;
        reference::check_fields(kind, me.role, input)?;
        let now = self.now();
        let actor = self.actor();
        let id = store::write(&mut self.conn, &actor, now, |tx| {
            let id = reference::save(tx, kind, input)?;
            // The working calendar and the tiers' days move the open complaints' deadlines.
            if crate::complaint::deadlines_follow(kind) {
                crate::complaint::recompute_open(tx)?;
            }
            Ok(id)
        })?;
        reference::get(&self.conn, kind, id)
    }

    pub fn reference_delete(&mut self, kind: &str, id: i64) -> Result<()> {
        let kind = Kind::parse(kind)?;
        self.authorize(Permission::ManageReference)?;
        let now = self.now();
        let actor = self.actor();
        store::write(&mut self.conn, &actor, now, |tx| {
            reference::delete(tx, kind, id)?;
            if crate::complaint::deadlines_follow(kind) {
                crate::complaint::recompute_open(tx)?;
            }
            Ok(())
        })
    }

    // ---- staff --------------------------------------------------------------------------

    pub fn staff_list(&mut self) -> Result<Vec<Staff>> {
        self.authorize(Permission::ManageStaff)?;
        staff::list_staff(&self.conn)
    }

    pub fn staff_save(&mut self, input: &StaffInput) -> Result<Staff> {
        let me = self.authorize(Permission::ManageStaff)?;
        let now = self.now();
        let actor = self.actor();
        let saved = store::write(&mut self.conn, &actor, now, |tx| {
            staff::upsert_staff(tx, input)
        })?;
        if saved.id == me.staff_id {
            self.session = Some(SignedIn {
                staff_id: saved.id,
                username: saved.username.clone(),
                display_name: saved.display_name.clone(),
                role: saved.role,
            });
        }
        Ok(saved)
    }

    // ---- backups and the audit log ------------------------------------------------------

    pub fn backups(&mut self) -> Result<BackupsView> {
        self.authorize(Permission::ManageBackups)?;
        let dir = backup::backup_dir(&self.conn)?;
        let hospital = reference::get_hospital(&self.conn)?;
        Ok(BackupsView {
            dir: dir.display().to_string(),
            configured: hospital.backup_dir.is_some(),
            keep: hospital.backup_keep,
            files: backup::list_backups(&dir)?,
        })
    }

    /// Sets the backup folder (chosen in the native dialog) and how many daily backups to keep.
    pub fn backup_settings(&mut self, dir: &str, keep: i64) -> Result<BackupsView> {
        self.authorize(Permission::ManageBackups)?;
        let dir = crate::validate::text("backup_dir", dir, 1, 1000)?;
        if !Path::new(&dir).is_absolute() {
            return Err(Error::invalid(
                "backup_dir",
                crate::error::Problem::BadFormat,
            ));
        }
        std::fs::create_dir_all(&dir)?;
        let now = self.now();
        let actor = self.actor();
        let mut input = serde_json::to_value(reference::get_hospital(&self.conn)?)?;
        input["backup_dir"] = Value::from(dir);
        input["backup_keep"] = Value::from(keep);
        store::write(&mut self.conn, &actor, now, |tx| {
            reference::save(tx, Kind::Hospital, &input)
        })?;
        self.backups()
    }

    pub fn backup_now(&mut self) -> Result<BackupFile> {
        self.authorize(Permission::ManageBackups)?;
        let dir = backup::backup_dir(&self.conn)?;
        let now = self.now();
        let actor = self.actor();
        // Not at the same time as the automatic backup (same second, same file name).
        let running = self.backup_running.clone();
        let _one_at_a_time = lock(&running);
        let path = backup::backup_to(&mut self.conn, &dir, &actor, now)?;
        *lock(&self.backup_problem) = None;
        let keep = reference::get_hospital(&self.conn)?.backup_keep;
        backup::rotate(&dir, keep as usize)?;
        backup::list_backups(&dir)?
            .into_iter()
            .find(|f| Path::new(&f.path) == path)
            .ok_or(Error::NotFound("file"))
    }

    /// After personal data was removed: a new backup now, then today's earlier ones removed
    /// (they still hold what was removed; the days before leave as they rotate out). Returns the
    /// new backup and the names of those removed, which the audit log records.
    pub fn backup_remake_today(&mut self) -> Result<Remade> {
        let file = self.backup_now()?;
        let dir = backup::backup_dir(&self.conn)?;
        let now = self.now();
        let today =
            crate::clock::format_local(reference::get_hospital(&self.conn)?.tz(), now, "%Y%m%d");
        let mut removed = Vec::new();
        for old in backup::of_day(&dir, &today)? {
            if old.path != file.path {
                std::fs::remove_file(&old.path)?;
                removed.push(old.name);
            }
        }
        let actor = self.actor();
        store::write(&mut self.conn, &actor, now, |tx| {
            tx.event(
                "backup.remove",
                "backup",
                &today,
                serde_json::json!({ "removed": removed, "kept": file.name }),
            )
        })?;
        Ok(Remade { file, removed })
    }

    /// Replaces the data with a verified backup. The person stays signed in only if their
    /// account exists in the restored data with the same role; otherwise they sign in again.
    pub fn restore(&mut self, file: &str) -> Result<String> {
        let me = self.authorize(Permission::ManageBackups)?;
        let now = self.now();
        let actor = self.actor();
        let safety = backup::restore(&mut self.conn, Path::new(file), &actor, now)?;
        store::upgrade(&mut self.conn)?;
        let still = staff::get_staff(&self.conn, me.staff_id)
            .ok()
            .filter(|s| s.active && s.role == me.role && s.username == me.username);
        if still.is_none() {
            self.session = None;
        }
        Ok(safety.display().to_string())
    }

    /// The log, newest first, as the administrator reads it: the copies of patients and
    /// complainants with their names, phones, ID numbers and addresses masked (张*三,
    /// 138****8000) — the administrator's area holds no patient data. [`Desk::audit_list_unmasked`]
    /// shows them in full, for a reason. `verify` reads everything either way.
    pub fn audit_list(&mut self, entity: Option<&str>, limit: i64) -> Result<Vec<audit::Entry>> {
        let mut entries = self.audit_entries(entity, limit)?;
        for e in &mut entries {
            for copy in [&mut e.before, &mut e.after].into_iter().flatten() {
                *copy = crate::mask::row_copy(&e.entity, copy);
            }
        }
        Ok(entries)
    }

    /// The log with personal data in full: the reason is required and kept in the log itself,
    /// with who read which entries.
    pub fn audit_list_unmasked(
        &mut self,
        entity: Option<&str>,
        limit: i64,
        reason: &str,
    ) -> Result<Vec<audit::Entry>> {
        self.authorize(Permission::ViewAudit)?;
        let reason = crate::validate::text("export_reason", reason, 2, 200)?;
        let entity = entity.filter(|e| !e.is_empty());
        self.write(|tx| {
            tx.event(
                "audit.unmasked",
                "audit",
                entity.unwrap_or("*"),
                serde_json::json!({ "entity": entity, "limit": limit, "reason": reason }),
            )
        })?;
        self.audit_entries(entity, limit)
    }

    fn audit_entries(&mut self, entity: Option<&str>, limit: i64) -> Result<Vec<audit::Entry>> {
        let me = self.authorize(Permission::ViewAudit)?;
        let mut entries = audit::list_entries(&self.conn, entity.filter(|e| !e.is_empty()), limit)?;
        // 处罚直接责任者 is the supervisors' and the head's: the log shows that it was recorded
        // (and `verify` checks it whole), not who and what.
        if !crate::complaint::sees_accountability(me.role) {
            for e in &mut entries {
                if e.action == "complaint.accountability" && e.entity == "complaint_step" {
                    e.after = Some("{\"withheld\": \"处罚直接责任者：仅主管与主任可见\"}".into());
                }
            }
        }
        Ok(entries)
    }

    pub fn audit_verify(&mut self) -> Result<audit::Report> {
        self.authorize(Permission::ViewAudit)?;
        audit::verify(&self.conn)
    }

    /// This desk's printers, every desk's, and the printers this PC has (管理 → 打印机).
    pub fn printers(&mut self) -> Result<PrintersView> {
        self.authorize_read(Permission::ManageReference)?;
        let (installed, service_problem) = match print::installed() {
            Ok(list) => (list, None),
            Err(e) => (Vec::new(), Some(e.message(self.lang()))),
        };
        Ok(PrintersView {
            this_desk: print::of_desk(&self.conn, &self.desk_code)?,
            desks: print::all(&self.conn)?,
            installed,
            service_problem,
        })
    }

    pub fn printers_set(&mut self, input: &print::DeskPrintersInput) -> Result<PrintersView> {
        self.authorize(Permission::ManageReference)?;
        self.write(|tx| print::set(tx, input))?;
        self.printers()
    }
}
