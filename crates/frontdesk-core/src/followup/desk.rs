//! The desk's follow-up commands: each checks the person and their role, then calls one rule.

use chrono::NaiveDate;

use super::{
    add_discharge, anything_to_add, attempt, fix_number, generate, list, AttemptInput,
    DischargeInput, FState, Filter, Followup, Settings, View,
};
use crate::desk::Desk;
use crate::error::{Error, Problem, Result};
use crate::ids::{DischargeId, FollowupId};
use crate::patient::business_date;
use crate::staff::{Area, Permission};
use crate::store;

impl Desk {
    fn followup_today(&self) -> NaiveDate {
        business_date(&self.conn, self.now())
    }

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
        let today = self.followup_today();
        if anything_to_add(&self.conn, today)? {
            let now = self.now();
            let actor = self.actor();
            store::write(&mut self.conn, &actor, now, |tx| generate(tx, today))?;
        }
        list(
            &self.conn,
            view,
            filter,
            me.staff_id,
            today,
            self.now(),
            limit,
        )
    }

    pub fn followup_get(&mut self, id: FollowupId) -> Result<Followup> {
        self.authorize(Permission::UseArea(Area::Followup))?;
        super::get(&self.conn, id, self.followup_today())
    }

    /// One attempt at the call; its outcome decides what follows.
    pub fn followup_attempt(&mut self, input: &AttemptInput) -> Result<FState> {
        let me = self.authorize(Permission::UseArea(Area::Followup))?;
        let now = self.now();
        let actor = self.actor();
        store::write(&mut self.conn, &actor, now, |tx| {
            attempt(tx, me.staff_id, input)
        })
    }

    /// 号码更正, and the call back on the list.
    pub fn followup_fix_number(&mut self, id: FollowupId, phone: &str) -> Result<Followup> {
        self.authorize(Permission::UseArea(Area::Followup))?;
        let today = self.followup_today();
        let now = self.now();
        let actor = self.actor();
        store::write(&mut self.conn, &actor, now, |tx| {
            fix_number(tx, id, phone, today)
        })?;
        super::get(&self.conn, id, today)
    }

    /// A discharged inpatient entered by hand.
    pub fn discharge_add(&mut self, input: &DischargeInput) -> Result<DischargeId> {
        self.authorize(Permission::UseArea(Area::Followup))?;
        let today = self.followup_today();
        let now = self.now();
        let actor = self.actor();
        store::write(&mut self.conn, &actor, now, |tx| {
            add_discharge(tx, input, today)
        })
    }

    pub fn followup_settings(&mut self) -> Result<Settings> {
        self.authorize(Permission::UseArea(Area::Followup))?;
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
