//! The desk's follow-up commands: each checks the person and their role, then calls one rule.

use super::call::{self, CallView, Concern};
use super::rates::{self, Rates, Record, RecordsOf};
use super::spotcheck::{self, CheckInput, DrawInput, SpotCheck, SpotCheckView};
use super::{
    add_discharge, anything_to_add, attempt, fix_number, generate, list, AttemptInput,
    DischargeInput, FState, Filter, Followup, Settings, View,
};
use crate::desk::Desk;
use crate::error::{Error, Problem, Result};
use crate::ids::{ConcernId, DischargeId, FollowupId, SpotCheckId};
use crate::patient::mask_phone;
use crate::staff::{Area, Permission};
use crate::store;

impl Desk {
    /// The work list: first brought up to date with the first visits and discharges not on it.
    pub fn followup_list(&mut self, which: &str, limit: i64) -> Result<Vec<Followup>> {
        self.followup_list_filtered(which, &Filter::default(), limit)
    }

    /// The work list narrowed to a department, a kind, or my own calls.
    pub fn followup_list_filtered(
        &mut self,
        which: &str,
        filter: &Filter,
        limit: i64,
    ) -> Result<Vec<Followup>> {
        let me = self.authorize(Permission::UseArea(Area::Followup))?;
        let view = View::parse(which.trim()).ok_or(Error::invalid("view", Problem::Unknown))?;
        let today = self.today()?;
        if anything_to_add(&self.conn, today)? {
            let now = self.now();
            let actor = self.actor();
            store::write(&mut self.conn, &actor, now, |tx| generate(tx, today))?;
        }
        let mut rows = list(
            &self.conn,
            view,
            filter,
            me.staff_id,
            today,
            self.now(),
            limit,
        )?;
        // The phone in full for those who call patients; masked for the others.
        if !me.role.can(Permission::CallPatients) {
            rows.iter_mut().for_each(mask);
        }
        Ok(rows)
    }

    pub fn followup_get(&mut self, id: FollowupId) -> Result<Followup> {
        let me = self.authorize(Permission::UseArea(Area::Followup))?;
        let mut f = super::get(&self.conn, id, self.today()?)?;
        if !me.role.can(Permission::CallPatients) {
            mask(&mut f);
        }
        Ok(f)
    }

    /// The call screen: the patient, their visits and earlier calls, this call's attempts and
    /// answers. Spot-checks show only once done, except to those who check.
    pub fn followup_view(&mut self, id: FollowupId) -> Result<CallView> {
        let me = self.authorize(Permission::UseArea(Area::Followup))?;
        let checks = me.role.can(Permission::SpotCheck);
        let mut v = call::view(&self.conn, id, self.today()?, checks)?;
        if !me.role.can(Permission::CallPatients) {
            mask_view(&mut v);
        }
        Ok(v)
    }

    /// The concerns still waiting for their department's answer.
    pub fn followup_concerns_waiting(&mut self, limit: i64) -> Result<Vec<Concern>> {
        self.authorize(Permission::UseArea(Area::Followup))?;
        call::concerns_waiting(&self.conn, limit)
    }

    /// A department's answer to a concern, recorded once.
    pub fn followup_concern_answer(&mut self, id: ConcernId, answer: &str) -> Result<Concern> {
        let me = self.authorize(Permission::UseArea(Area::Followup))?;
        let now = self.now();
        let actor = self.actor();
        store::write(&mut self.conn, &actor, now, |tx| {
            call::answer_concern(tx, id, me.staff_id, answer)
        })?;
        call::concern(&self.conn, id)
    }

    /// The rates against the targets for a period.
    pub fn followup_rates(&mut self, from: &str, to: &str) -> Result<Rates> {
        self.authorize(Permission::UseArea(Area::Followup))?;
        let today = self.today()?;
        rates::rates(&self.conn, from, to, today)
    }

    /// The records behind one number of the rates.
    pub fn followup_rate_records(&mut self, of: &RecordsOf) -> Result<Vec<Record>> {
        self.authorize(Permission::UseArea(Area::Followup))?;
        rates::records(&self.conn, of)
    }

    /// 回访登记本 of a period as a file in the documents folder (`pdf` or `xlsx`): masked
    /// unless a supervisor or the head asks otherwise with a reason; audited either way.
    pub fn followup_register_file(
        &mut self,
        from: &str,
        to: &str,
        format: &str,
        unmasked: bool,
        reason: &str,
    ) -> Result<std::path::PathBuf> {
        let me = self.authorize(Permission::UseArea(Area::Followup))?;
        let period = crate::complaint::figures::Period::parse(from, to)?;
        if unmasked && !me.role.can(Permission::ExportUnmasked) {
            return Err(Error::Forbidden);
        }
        let now = self.now();
        let actor = self.actor();
        let (bytes, _) = super::register::export(
            &mut self.conn,
            &actor,
            now,
            period,
            unmasked,
            format,
            reason,
        )?;
        let dir = self.documents_dir().join("reports");
        std::fs::create_dir_all(&dir)?;
        let file = dir.join(format!(
            "回访登记本-{}-{}{}.{}",
            period.from,
            period.to,
            if unmasked { "-未脱敏" } else { "" },
            format.trim().trim_start_matches('.').to_ascii_lowercase()
        ));
        std::fs::write(&file, bytes)?;
        Ok(file)
    }

    /// 抽查: draws a sample of the period's completed follow-ups.
    pub fn spot_check_draw(&mut self, input: &DrawInput) -> Result<SpotCheckView> {
        let me = self.authorize(Permission::SpotCheck)?;
        let today = self.today()?;
        let now = self.now();
        let actor = self.actor();
        let id = store::write(&mut self.conn, &actor, now, |tx| {
            spotcheck::draw(tx, me.staff_id, input, today)
        })?;
        let v = spotcheck::get(&self.conn, id)?;
        Ok(mask_check(v, me.role))
    }

    /// What calling one patient back found; the last one finishes the check.
    pub fn spot_check_record(&mut self, input: &CheckInput) -> Result<SpotCheckView> {
        let me = self.authorize(Permission::SpotCheck)?;
        let now = self.now();
        let actor = self.actor();
        store::write(&mut self.conn, &actor, now, |tx| {
            spotcheck::check_item(tx, me.staff_id, input)
        })?;
        let v = spotcheck::get(&self.conn, input.spot_check_id)?;
        Ok(mask_check(v, me.role))
    }

    pub fn spot_checks(&mut self, limit: i64) -> Result<Vec<SpotCheck>> {
        self.authorize(Permission::SpotCheck)?;
        spotcheck::list(&self.conn, limit)
    }

    pub fn spot_check(&mut self, id: SpotCheckId) -> Result<SpotCheckView> {
        let me = self.authorize(Permission::SpotCheck)?;
        let v = spotcheck::get(&self.conn, id)?;
        Ok(mask_check(v, me.role))
    }

    /// The draw made again from its seed and rule, and whether it is the one recorded.
    pub fn spot_check_redraw(&mut self, id: SpotCheckId) -> Result<(Vec<FollowupId>, bool)> {
        self.authorize(Permission::SpotCheck)?;
        spotcheck::redraw(&self.conn, id)
    }

    /// One attempt at the call; its outcome decides what follows.
    pub fn followup_attempt(&mut self, input: &AttemptInput) -> Result<FState> {
        let me = self.authorize(Permission::UseArea(Area::Followup))?;
        let today = self.today()?;
        let now = self.now();
        let actor = self.actor();
        store::write(&mut self.conn, &actor, now, |tx| {
            attempt(tx, me.staff_id, input, today)
        })
    }

    /// 号码更正, and the call back on the list.
    pub fn followup_fix_number(&mut self, id: FollowupId, phone: &str) -> Result<Followup> {
        let me = self.authorize(Permission::UseArea(Area::Followup))?;
        let today = self.today()?;
        let now = self.now();
        let actor = self.actor();
        store::write(&mut self.conn, &actor, now, |tx| {
            fix_number(tx, id, phone, today)
        })?;
        let mut f = super::get(&self.conn, id, today)?;
        if !me.role.can(Permission::CallPatients) {
            mask(&mut f);
        }
        Ok(f)
    }

    /// A discharged inpatient entered by hand.
    pub fn discharge_add(&mut self, input: &DischargeInput) -> Result<DischargeId> {
        self.authorize(Permission::UseArea(Area::Followup))?;
        let today = self.today()?;
        let now = self.now();
        let actor = self.actor();
        store::write(&mut self.conn, &actor, now, |tx| {
            add_discharge(tx, input, today)
        })
    }

    /// The settings: for those who call (the rules they work by) and those who keep them.
    pub fn followup_settings(&mut self) -> Result<Settings> {
        if self.authorize(Permission::ManageReference).is_err() {
            self.authorize(Permission::UseArea(Area::Followup))?;
        }
        super::settings(&self.conn)
    }

    /// The work list's settings: the department head's and the administrator's.
    pub fn followup_settings_save(&mut self, s: &Settings) -> Result<Settings> {
        self.authorize(Permission::ManageReference)?;
        let now = self.now();
        let actor = self.actor();
        store::write(&mut self.conn, &actor, now, |tx| {
            super::save_settings(tx, s)
        })
    }
}

impl Desk {
    /// The status bar's counters, for those who make follow-up calls.
    pub(crate) fn followup_counts(&self) -> Option<super::Counts> {
        let role = self.session.as_ref()?.role;
        if !role.can(Permission::UseArea(Area::Followup)) {
            return None;
        }
        super::counts(&self.conn, self.today().ok()?, self.now()).ok()
    }
}

/// The drawn calls' phones in full for a supervisor (who calls the patients back), masked for
/// the head.
fn mask_check(mut v: SpotCheckView, role: crate::staff::Role) -> SpotCheckView {
    if !role.can(Permission::CallPatients) {
        for i in &mut v.items {
            i.phone = i.phone.as_deref().map(mask_phone);
        }
    }
    v
}

fn mask(f: &mut Followup) {
    f.phone = f.phone.as_deref().map(mask_phone);
}

fn mask_view(v: &mut CallView) {
    mask(&mut v.followup);
    for a in &mut v.attempts {
        a.phone = a.phone.as_deref().map(mask_phone);
    }
    if let Some(p) = &mut v.parent {
        mask_view(p);
    }
}
