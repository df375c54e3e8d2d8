//! 质量's commands: the targets and their settings, the dashboard and the status bar's flags,
//! the monthly report, the inspection plan and its record book, the promotions' figures, the
//! registers, the retention periods and the removal of personal data past them.

use super::dashboard::{dashboard, flags, Dashboard, Flags};
use super::figures::Span;
use super::records::{records, Of, Records};
use super::targets::{
    actuals, history, set_operating, set_target, target_on, Actual, OperatingInput, Setting, Spec,
    TargetInput, TARGETS,
};
use crate::desk::Desk;
use crate::error::Result;
use crate::staff::{Area, Permission};
use crate::store;

/// How old the status bar's quality flags may be.
pub const FLAGS_EVERY_MS: i64 = 5 * 60 * 1000;

/// A target as the head's screen shows it: what it is, and its value in force today.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Target {
    pub spec: Spec,
    pub value: i64,
    /// The value as printed (`targets::target_text`).
    pub shown: String,
}

impl Desk {
    /// The ten targets in force today, and every setting of them.
    pub fn quality_targets(&mut self) -> Result<(Vec<Target>, Vec<Setting>)> {
        self.authorize(Permission::UseArea(Area::Quality))?;
        let today = self.today()?;
        let mut out = Vec::new();
        for spec in TARGETS {
            let value = target_on(&self.conn, spec.code, today)?;
            out.push(Target {
                shown: super::targets::target_text(spec.direction, spec.rate, value),
                value,
                spec,
            });
        }
        Ok((out, history(&self.conn)?))
    }

    /// A target changed from a date (the head's; audited).
    pub fn quality_target_set(&mut self, input: &TargetInput) -> Result<i64> {
        let me = self.authorize(Permission::SetTargets)?;
        let today = self.today()?;
        let now = self.now();
        let actor = self.actor();
        store::write(&mut self.conn, &actor, now, |tx| {
            set_target(tx, me.staff_id, input, today)
        })
    }

    /// A month's target for an operating indicator (the head's; audited).
    pub fn operating_target_set(&mut self, input: &OperatingInput) -> Result<Vec<Actual>> {
        let me = self.authorize(Permission::SetTargets)?;
        let today = self.today()?;
        let now = self.now();
        let actor = self.actor();
        store::write(&mut self.conn, &actor, now, |tx| {
            set_operating(tx, me.staff_id, input, today)
        })?;
        actuals(&self.conn, &input.month)
    }

    /// The ten tiles for the period of `span` holding `day` (today when empty).
    pub fn quality_dashboard(&mut self, span: &str, day: &str) -> Result<Dashboard> {
        self.authorize(Permission::UseArea(Area::Quality))?;
        let span = Span::parse(span)?;
        let today = self.today()?;
        let day = match day.trim() {
            "" => today,
            d => crate::validate::date("day", d)?,
        };
        let lang = self.lang();
        let d = dashboard(&mut self.conn, span, day, today, lang)?;
        if span == Span::Month && d.period.from <= today && today <= d.period.to {
            // The status bar counts again with these tiles.
            *crate::desk::lock(&self.quality_flags) = None;
        }
        Ok(d)
    }

    /// This month's flagged tiles for the status bar of supervisors and the head, counted
    /// again when older than [`FLAGS_EVERY_MS`] (or when the dashboard is opened).
    pub(crate) fn quality_flags(&self) -> Option<Flags> {
        let session = self.session.as_ref()?;
        if !session.role.can(Permission::UseArea(Area::Quality)) {
            return None;
        }
        let now = self.now();
        let mut memo = crate::desk::lock(&self.quality_flags);
        if let Some((at, who, f)) = memo.as_ref() {
            if *who == session.staff_id && now - at < FLAGS_EVERY_MS && now >= *at {
                return Some(f.clone());
            }
        }
        let today = crate::reference::today(&self.conn, now).ok()?;
        let mut f = flags(&self.conn, today, self.lang()).ok()?;
        let mine =
            |checker: &str| checker == "supervisor" || session.role == crate::staff::Role::Head;
        for row in super::inspection::schedule(&self.conn, today).ok()? {
            if !mine(&row.item.checker) {
                continue;
            }
            let n = row.slots.len();
            if row
                .slots
                .get(n.wrapping_sub(1))
                .is_some_and(|s| s.state == "due")
            {
                f.checks_due += 1;
            }
            if n >= 2 && row.slots[n - 2].state == "missed" {
                f.checks_missed += 1;
            }
        }
        *memo = Some((now, session.staff_id, f.clone()));
        Some(f)
    }

    /// 质量月报 of a month (`YYYY-MM`) as an A4 PDF in the documents folder, for the save
    /// dialog; its figures are the dashboard's.
    pub fn quality_report_file(&mut self, month: &str) -> Result<std::path::PathBuf> {
        self.authorize(Permission::UseArea(Area::Quality))?;
        let now = self.now();
        let bytes = super::report::monthly_pdf(&mut self.conn, month, now)?;
        let dir = self.documents_dir().join("reports");
        std::fs::create_dir_all(&dir)?;
        let file = dir.join(format!("质量月报-{}.pdf", month.trim()));
        std::fs::write(&file, bytes)?;
        Ok(file)
    }

    /// 工作检查方案: each item with its last periods, done, due or missed.
    pub fn inspection_schedule(&mut self) -> Result<Vec<super::inspection::Row>> {
        let me = self.authorize(Permission::UseArea(Area::Quality))?;
        let today = self.today()?;
        let mut rows = super::inspection::schedule(&self.conn, today)?;
        for r in &mut rows {
            r.mine = super::inspection::may_record(&r.item, me.role);
        }
        Ok(rows)
    }

    /// A check recorded in 质量检查记录本 by the item's checker (audited).
    pub fn inspection_record(&mut self, input: &super::inspection::CheckInput) -> Result<i64> {
        let me = self.authorize(Permission::UseArea(Area::Quality))?;
        let today = self.today()?;
        let now = self.now();
        let actor = self.actor();
        let id = store::write(&mut self.conn, &actor, now, |tx| {
            super::inspection::record(tx, me.staff_id, me.role, input, today)
        })?;
        *crate::desk::lock(&self.quality_flags) = None;
        Ok(id)
    }

    /// 质量检查记录本 for a period: the checks recorded and the spot-checks done in it.
    pub fn inspection_register(
        &mut self,
        from: &str,
        to: &str,
    ) -> Result<Vec<super::inspection::Entry>> {
        self.authorize(Permission::UseArea(Area::Quality))?;
        let p = crate::complaint::figures::Period::parse(from, to)?;
        super::inspection::register(&self.conn, p.from, p.to)
    }

    /// 优惠效果 per promotion and month, and per staff member and month the complaints upheld
    /// and the praise received.
    pub fn quality_promotions(
        &mut self,
        from: &str,
        to: &str,
    ) -> Result<(
        Vec<super::promotions::PromotionMonth>,
        Vec<crate::complaint::figures::StaffMonth>,
    )> {
        self.authorize(Permission::UseArea(Area::Quality))?;
        let p = crate::complaint::figures::Period::parse(from, to)?;
        let lang = self.lang();
        let staff = crate::complaint::figures::figures(&self.conn, p, lang)?.per_staff;
        Ok((super::promotions::by_month(&self.conn, p)?, staff))
    }

    /// 质量检查记录本, 满意度问卷 or 交班记录 for a period as xlsx or CSV in the documents
    /// folder, for the save dialog (the export audited).
    pub fn quality_register_file(
        &mut self,
        kind: &str,
        from: &str,
        to: &str,
        format: &str,
    ) -> Result<std::path::PathBuf> {
        self.authorize(Permission::UseArea(Area::Quality))?;
        let period = crate::complaint::figures::Period::parse(from, to)?;
        let kind = super::registers::kind(kind)?;
        let now = self.now();
        let actor = self.actor();
        let (bytes, format) =
            super::registers::export(&mut self.conn, &actor, now, kind, period, format)?;
        let dir = self.documents_dir().join("reports");
        std::fs::create_dir_all(&dir)?;
        let file = dir.join(format!(
            "{}-{}-{}.{format}",
            super::registers::name(kind),
            period.from,
            period.to
        ));
        std::fs::write(&file, bytes)?;
        Ok(file)
    }

    /// 保存期限: each kind of quality record's period and the records past it (the
    /// administrator's).
    pub fn retention_periods(&mut self) -> Result<Vec<super::retention::Period>> {
        self.authorize(Permission::ManageBackups)?;
        let today = self.today()?;
        super::retention::periods(&self.conn, today)
    }

    /// A period lengthened (never shortened), audited.
    pub fn retention_lengthen(
        &mut self,
        record: &str,
        years: &str,
    ) -> Result<Vec<super::retention::Period>> {
        let me = self.authorize(Permission::ManageBackups)?;
        let today = self.today()?;
        let now = self.now();
        let actor = self.actor();
        store::write(&mut self.conn, &actor, now, |tx| {
            super::retention::lengthen(tx, me.staff_id, record, years, today)
        })?;
        super::retention::periods(&self.conn, today)
    }

    /// What removing the personal data of every record past its period would change now.
    pub fn retention_pending(&mut self) -> Result<super::anonymise::Count> {
        self.authorize(Permission::ManageBackups)?;
        let today = self.today()?;
        super::anonymise::pending(&self.conn, today)
    }

    /// Removes the personal data of every record past its period (and of the patients with
    /// nothing left within one), audited. On a server only the database's owner may: the
    /// desks' role rewrites no call or log entry.
    pub fn retention_anonymise(&mut self) -> Result<super::anonymise::Count> {
        self.authorize(Permission::ManageBackups)?;
        let today = self.today()?;
        // The pass over the log is read before the write, so the desks wait only for the
        // writing.
        let survey = super::anonymise::survey(&self.conn, today)?;
        let now = self.now();
        let actor = self.actor();
        let count = store::write(&mut self.conn, &actor, now, |tx| {
            super::anonymise::remove(tx, &survey)
        })?;
        // The old values are gone from the WAL's frames as well as from the rows.
        self.conn.scrub_wal()?;
        Ok(count)
    }

    /// The records behind a tile's numerator or denominator.
    pub fn quality_records(&mut self, of: &Of) -> Result<Records> {
        self.authorize(Permission::UseArea(Area::Quality))?;
        let lang = self.lang();
        records(&self.conn, of, lang)
    }

    /// A month's operating indicators: targets and actuals.
    pub fn operating_actuals(&mut self, month: &str) -> Result<Vec<Actual>> {
        self.authorize(Permission::UseArea(Area::Quality))?;
        actuals(&self.conn, month)
    }
}
