//! Frontdesk's core: the outpatient front office's rules, its SQLite store, the audit log,
//! backups and the reports. Nothing here knows about Tauri or WebKit; the desktop app and the
//! `frontdesk-admin` CLI are both thin callers of this crate. Only [`store`] knows the database
//! engine; every area runs its SQL through the store's own connection types.

pub mod admin;
pub mod areas;
pub mod audit;
pub mod backup;
pub mod calendar;
pub mod cash;
pub mod clock;
pub mod complaint;
pub mod demo;
pub mod desk;
pub mod error;
pub mod followup;
pub mod guide;
pub mod guide_log;
pub mod i18n;
pub mod ids;
pub mod import;
pub mod mask;
pub mod money;
pub mod paths;
pub mod patient;
pub mod pdf;
pub mod people;
pub mod print;
pub mod quality;
pub mod receipt;
pub mod reference;
pub mod registration;
pub mod report;
pub mod search;
pub mod setup;
pub mod sheet;
pub mod staff;
pub mod store;
pub mod survey;
pub mod validate;

/// This program's version (the workspace's), shown by `--version` and the About line.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// `<program> <version> (schema N)`: what `--version` prints, for the app and the CLI alike.
pub fn version_line(program: &str) -> String {
    format!("{program} {VERSION} (schema {})", store::schema_version())
}

pub use desk::Desk;
pub use error::{Error, Problem, Result, ServerProblem};
pub use i18n::Lang;
