//! 备份与恢复: online backups with the engine's backup API (the desk keeps working meanwhile), an
//! automatic daily backup kept in rotation, and a restore that verifies the file — integrity,
//! audit chain, every row — before it replaces anything, keeping a copy of what it replaces.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::audit::{self, Actor};
use crate::clock;
use crate::error::{Error, Result};
use crate::reference::get_hospital;
use crate::store::{self, Conn};

const PREFIX: &str = "frontdesk-";

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct BackupFile {
    pub name: String,
    pub path: String,
    pub bytes: u64,
}

/// The folder backups go to: the configured one, else `backups/` beside the data file.
pub fn backup_dir(conn: &Conn) -> Result<PathBuf> {
    if let Some(dir) = get_hospital(conn)?.backup_dir {
        return Ok(PathBuf::from(dir));
    }
    // A server's copies (SQLite snapshots made by hand) default to this PC's data folder.
    let db = conn
        .path()
        .unwrap_or_else(|| crate::paths::default_db_path().display().to_string());
    Ok(Path::new(&db)
        .parent()
        .unwrap_or(Path::new("."))
        .join("backups"))
}

/// Copies the live database into `dir` as `frontdesk-YYYYMMDD-HHMMSS.db` (hospital time) and
/// records it in the audit log.
pub fn backup_to(conn: &mut Conn, dir: &Path, actor: &Actor, now: i64) -> Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let tz = get_hospital(conn)?.tz();
    let stamp = clock::format_local(tz, now, "%Y%m%d-%H%M%S");
    let path = free_name(dir, &format!("{PREFIX}{stamp}"));
    let partial = path.with_extension("db.partial");
    conn.backup_into(&partial)?;
    std::fs::rename(&partial, &path)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    store::write(conn, actor, now, |tx| {
        tx.event(
            "backup.create",
            "backup",
            &name,
            serde_json::json!({ "path": path.display().to_string() }),
        )
    })?;
    Ok(path)
}

/// `dir/<base>.db`, or `<base>-1.db`, `-2` … when a backup was already taken within the same
/// second.
fn free_name(dir: &Path, base: &str) -> PathBuf {
    let mut path = dir.join(format!("{base}.db"));
    let mut n = 1;
    while path.exists() {
        path = dir.join(format!("{base}-{n}.db"));
        n += 1;
    }
    path
}

/// The automatic and manual backups made on `day` (`YYYYMMDD`, hospital time), newest first —
/// not the copies made before a restore or an upgrade.
pub fn of_day(dir: &Path, day: &str) -> Result<Vec<BackupFile>> {
    let start = format!("{PREFIX}{day}-");
    Ok(list_backups(dir)?
        .into_iter()
        .filter(|f| f.name.starts_with(&start))
        .collect())
}

/// Backups in `dir`, newest first.
pub fn list_backups(dir: &Path) -> Result<Vec<BackupFile>> {
    let mut files = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(files),
        Err(e) => return Err(e.into()),
    };
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(PREFIX) && name.ends_with(".db") {
            files.push(BackupFile {
                path: entry.path().display().to_string(),
                bytes: entry.metadata()?.len(),
                name,
            });
        }
    }
    files.sort_by(|a, b| age(&b.name).cmp(&age(&a.name)));
    Ok(files)
}

/// A backup's place in time, from its name: the stamp, then the counter `backup_to` appends
/// to a name taken within the same second. Plain text order would put `…-090000-1.db` before
/// `…-090000.db`, so rotation would delete the newer of the two.
fn age(name: &str) -> (&str, u64) {
    let stem = name.strip_suffix(".db").unwrap_or(name);
    match stem.rsplit_once('-') {
        // The stamp ends in six digits (HHMMSS); a shorter number after it is the counter.
        Some((stamp, n)) if (1..6).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit()) => {
            (stamp, n.parse().unwrap_or(0))
        }
        _ => (stem, 0),
    }
}

/// Keeps the newest `keep` automatic backups in `dir` and removes the rest (the copies made
/// before a restore or an upgrade are kept).
pub fn rotate(dir: &Path, keep: usize) -> Result<Vec<String>> {
    let mut removed = Vec::new();
    let autos: Vec<BackupFile> = list_backups(dir)?
        .into_iter()
        .filter(|f| !f.name.contains("before-restore") && !f.name.contains("before-upgrade"))
        .collect();
    for old in autos.iter().skip(keep) {
        std::fs::remove_file(&old.path)?;
        removed.push(old.name.clone());
    }
    Ok(removed)
}

/// The daily backup: made once per business day (on the first start or sign-in of the day),
/// then rotated. Returns the new file, or `None` when today's exists already.
pub fn daily_if_due(conn: &mut Conn, actor: &Actor, now: i64) -> Result<Option<PathBuf>> {
    // A new file waiting for 初始设置 holds nothing to keep, and no zone to name the day.
    if !crate::reference::is_set_up(conn)? {
        return Ok(None);
    }
    let hospital = get_hospital(conn)?;
    let dir = backup_dir(conn)?;
    let today = clock::format_local(hospital.tz(), now, "%Y%m%d");
    if !of_day(&dir, &today)?.is_empty() {
        return Ok(None);
    }
    let path = backup_to(conn, &dir, actor, now)?;
    rotate(&dir, hospital.backup_keep as usize)?;
    Ok(Some(path))
}

/// Checks a backup file as restore would, writing nothing.
pub fn check(file: &Path) -> Result<audit::Report> {
    let conn = Conn::open_read_only(file)?;
    if conn.version()? == 0 {
        return Err(Error::NotFrontdesk(file.display().to_string()));
    }
    audit::verify(&conn)
}

/// Replaces the live database with `file` after verifying it. The current data is first
/// backed up beside the other backups as `frontdesk-before-restore-….db`. Returns that copy.
pub fn restore(conn: &mut Conn, file: &Path, actor: &Actor, now: i64) -> Result<PathBuf> {
    let report = check(file)?;
    if !report.ok() {
        return Err(Error::BackupRejected(report.problems.join("; ")));
    }
    let dir = backup_dir(conn).unwrap_or_else(|_| PathBuf::from("."));
    std::fs::create_dir_all(&dir)?;
    // The safety copy's name in the hospital's time; a file whose profile cannot be read (the
    // reason to restore, perhaps) is named in UTC, which the name then says.
    let (tz, utc) = match get_hospital(conn) {
        Ok(h) => (h.tz(), ""),
        Err(_) => (chrono_tz::UTC, "Z"),
    };
    let stamp = format!("{}{utc}", clock::format_local(tz, now, "%Y%m%d-%H%M%S"));
    let safety = free_name(&dir, &format!("{PREFIX}before-restore-{stamp}"));
    conn.backup_into(&safety)?;
    conn.restore_from(file)?;
    let name = file.display().to_string();
    store::write(conn, actor, now, |tx| {
        tx.event(
            "backup.restore",
            "backup",
            &name,
            serde_json::json!({ "from": name, "previous_saved_as": safety.display().to_string() }),
        )
    })?;
    Ok(safety)
}

/// The released versions of the program and the schema each wrote, oldest first: what an
/// upgrade names as the version its data came from.
pub const RELEASES: &[(&str, i64)] = &[("0.1.0", 18)];

/// A data file brought to this program's schema at opening.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Upgrade {
    pub from_schema: i64,
    /// The release that wrote that schema, when one did ([`RELEASES`]).
    pub from_version: Option<String>,
    pub to_schema: i64,
    pub to_version: String,
    /// The verified copy of the data as it was before any migration ran.
    pub backup: String,
}

/// Opens the store at `at` as [`Conn::open`] does, but a data file of an older schema is first
/// copied, as it is, into the backup folder (`frontdesk-before-upgrade-schema<N>-….db`) and the
/// copy verified — integrity, audit chain, every row — before any migration runs; a copy that
/// cannot be made or does not verify stops the opening with the file untouched. The upgrade is
/// recorded in the audit log (from and to, the copy). A server is backed up by the server
/// (pg_dump before installing a new version: README), and a new file has nothing to keep.
pub fn open_upgrading(at: impl Into<store::Location>, now: i64) -> Result<(Conn, Option<Upgrade>)> {
    let at = at.into();
    let Some(path) = at.file().filter(|p| p.exists()).map(Path::to_path_buf) else {
        return Ok((Conn::open(at)?, None));
    };
    let old = Conn::open_read_only(path.as_path())?;
    let from = old.version()?;
    if from == 0 || from >= store::schema_version() {
        drop(old);
        return Ok((Conn::open(at)?, None));
    }
    let copy = copy_before_upgrade(old, &path, from, now)?;
    let mut conn = Conn::open(at)?;
    let upgrade = Upgrade {
        from_schema: from,
        from_version: RELEASES
            .iter()
            .rev()
            .find(|(_, s)| *s == from)
            .map(|(v, _)| v.to_string()),
        to_schema: store::schema_version(),
        to_version: crate::VERSION.to_string(),
        backup: copy.display().to_string(),
    };
    store::write(&mut conn, &Actor::system("system (upgrade)"), now, |tx| {
        tx.event(
            "schema.upgrade",
            "store",
            &format!("{from}→{}", upgrade.to_schema),
            serde_json::to_value(&upgrade).unwrap_or_default(),
        )
    })?;
    Ok((conn, Some(upgrade)))
}

/// The verified copy of an older data file, made before its migrations.
fn copy_before_upgrade(old: Conn, path: &Path, from: i64, now: i64) -> Result<PathBuf> {
    // The hospital's own folder and zone when its profile reads and the folder can be made
    // (a network share may be away), else beside the file, in UTC (which the name then says).
    let beside = path.parent().unwrap_or(Path::new(".")).join("backups");
    let dir = match backup_dir(&old) {
        Ok(d) if std::fs::create_dir_all(&d).is_ok() => d,
        _ => {
            std::fs::create_dir_all(&beside)?;
            beside
        }
    };
    let (tz, utc) = match get_hospital(&old) {
        Ok(h) => (h.tz(), ""),
        Err(_) => (chrono_tz::UTC, "Z"),
    };
    let stamp = format!("{}{utc}", clock::format_local(tz, now, "%Y%m%d-%H%M%S"));
    let copy = free_name(
        &dir,
        &format!("{PREFIX}before-upgrade-schema{from}-{stamp}"),
    );
    let partial = copy.with_extension("db.partial");
    let made = (|| {
        old.backup_into(&partial)?;
        drop(old);
        let report = check(&partial)?;
        if !report.ok() {
            return Err(Error::UpgradeRefused(report.problems.join("; ")));
        }
        std::fs::rename(&partial, &copy)?;
        Ok(copy)
    })();
    // Nothing half made is left in the folder.
    if made.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    made
}
