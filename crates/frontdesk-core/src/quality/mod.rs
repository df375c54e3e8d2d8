//! 质量: the department's targets and, built on them, its dashboard (manual section 2, 5).

pub mod targets;

mod desk {
    use super::targets::{
        actuals, history, set_operating, set_target, target_on, Actual, OperatingInput, Setting,
        Spec, TargetInput, TARGETS,
    };
    use crate::desk::Desk;
    use crate::error::Result;
    use crate::patient::business_date;
    use crate::staff::{Area, Permission};
    use crate::store;

    /// A target as the head's screen shows it: what it is, and its value in force today.
    #[derive(Debug, Clone, serde::Serialize)]
    pub struct Target {
        pub spec: Spec,
        pub value: i64,
    }

    impl Desk {
        /// The ten targets in force today, and every setting of them.
        pub fn quality_targets(&mut self) -> Result<(Vec<Target>, Vec<Setting>)> {
            self.authorize(Permission::UseArea(Area::Quality))?;
            let today = business_date(&self.conn, self.now());
            let mut out = Vec::new();
            for spec in TARGETS {
                out.push(Target {
                    value: target_on(&self.conn, spec.code, today)?,
                    spec,
                });
            }
            Ok((out, history(&self.conn)?))
        }

        /// A target changed from a date (the head's; audited).
        pub fn quality_target_set(&mut self, input: &TargetInput) -> Result<i64> {
            let me = self.authorize(Permission::ManageReference)?;
            let today = business_date(&self.conn, self.now());
            let now = self.now();
            let actor = self.actor();
            store::write(&mut self.conn, &actor, now, |tx| {
                set_target(tx, me.staff_id, input, today)
            })
        }

        /// A month's target for an operating indicator (the head's; audited).
        pub fn operating_target_set(&mut self, input: &OperatingInput) -> Result<Vec<Actual>> {
            let me = self.authorize(Permission::ManageReference)?;
            let today = business_date(&self.conn, self.now());
            let now = self.now();
            let actor = self.actor();
            store::write(&mut self.conn, &actor, now, |tx| {
                set_operating(tx, me.staff_id, input, today)
            })?;
            actuals(&self.conn, &input.month)
        }

        /// A month's operating indicators: targets and actuals.
        pub fn operating_actuals(&mut self, month: &str) -> Result<Vec<Actual>> {
            self.authorize(Permission::UseArea(Area::Quality))?;
            actuals(&self.conn, month)
        }
    }
}

pub use desk::Target;
