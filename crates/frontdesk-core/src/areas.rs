//! What the areas hand the foundations, in the open: the seed rows a migration brings to a
//! hospital already at work, and what an area does when an audited write changes a record.
//! The foundations (`store/`, `audit`, `error`, `clock`, `ids`, `money`, `validate`, `i18n`,
//! `mask`) name no area; they run what is listed here, and this is the one place the list is.

use crate::audit::Table;
use crate::error::Result;
use crate::store::migrate::if_set_up;
use crate::store::Tx;

/// A step run after a migration's SQL, in the same transaction.
pub type Seed = fn(&mut Tx) -> Result<()>;

/// Each migration's seed, by its file: a new area's reference rows for a hospital already set
/// up (a new hospital gets them when it is made, `demo::create_hospital`).
pub const SEEDS: &[(&str, Seed)] = &[
    ("0009_complaints.sql", |tx| {
        if_set_up(tx, crate::complaint::seed)
    }),
    ("0010_followups.sql", crate::followup::seed_existing),
    ("0012_surveys.sql", |tx| if_set_up(tx, crate::survey::seed)),
    ("0014_quality_targets.sql", |tx| {
        if_set_up(tx, crate::quality::targets::seed)
    }),
    ("0016_inspection.sql", |tx| {
        if_set_up(tx, crate::quality::inspection::seed_today)
    }),
    ("0017_retention.sql", |tx| {
        if_set_up(tx, crate::quality::retention::seed)
    }),
];

/// What an audited write of a row sets off, in the same transaction: `(tx, table, row,
/// created)`.
pub type Reaction = fn(&Tx, Table, i64, bool) -> Result<()>;

/// Run by `Tx::record` after each entry it appends (not by a migration's own steps).
pub const ON_RECORD: &[Reaction] = &[
    // 质量: the kept tallies of the periods holding the record's day are emptied, counted
    // again when next asked.
    crate::quality::figures::touched,
];
