//! Where the data lives by default: the OS's per-user app-data folder, the same folder Tauri's
//! `app_data_dir()` gives for the app's identifier, so the app and `frontdesk-admin` agree.
//! `--db PATH` or `FRONTDESK_DB` override it.

use std::path::PathBuf;

/// The app's identifier (tauri.conf.json `identifier`).
pub const IDENTIFIER: &str = "cn.frontdesk.desk";
pub const FILE_NAME: &str = "frontdesk.db";

pub fn default_db_path() -> PathBuf {
    let env = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let home = env("HOME")
        .or_else(|| env("USERPROFILE"))
        .unwrap_or_else(|| PathBuf::from("."));
    let base = if cfg!(windows) {
        env("APPDATA").unwrap_or_else(|| home.join("AppData").join("Roaming"))
    } else if cfg!(target_os = "macos") {
        home.join("Library").join("Application Support")
    } else {
        env("XDG_DATA_HOME").unwrap_or_else(|| home.join(".local").join("share"))
    };
    base.join(IDENTIFIER).join(FILE_NAME)
}

/// Where the data is, as `--db` (already read) or `FRONTDESK_DB` names it: a PostgreSQL URL
/// (`postgres://…`) or a file's path; the default file when neither is given.
pub fn resolve_location(flag: Option<String>) -> crate::Result<crate::store::Location> {
    let given = flag.or_else(|| std::env::var("FRONTDESK_DB").ok().filter(|v| !v.is_empty()));
    match given {
        Some(text) => crate::store::Location::parse(&text),
        None => Ok(crate::store::Location::File(default_db_path())),
    }
}

/// The path chosen by `--db` (already parsed), else `FRONTDESK_DB`, else the default.
pub fn resolve_db_path(flag: Option<PathBuf>) -> PathBuf {
    flag.or_else(|| {
        std::env::var_os("FRONTDESK_DB")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    })
    .unwrap_or_else(default_db_path)
}
