//! 质量: the department's targets and, built on them, its dashboard (manual section 2, 5).

pub mod anonymise;
pub mod dashboard;
pub mod figures;
pub mod inspection;
pub mod promotions;
pub mod records;
pub mod registers;
pub mod report;
pub mod retention;
pub mod targets;

mod desk;

pub use desk::Target;
