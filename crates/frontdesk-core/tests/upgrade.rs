//! Upgrades (issue #25): a data file written by an older version keeps every record. Its first
//! opening by this version copies it, as it was, into the backup folder and verifies the copy
//! before any migration runs, then migrates it and says from which version; every row of every
//! table of the old file is still there afterwards and `verify` holds. A file whose copy does
//! not verify is not migrated at all.
//!
//! The fixture `fixtures/schema17.db.gz` is a demo hospital with eight days of activity (every
//! area: registrations, closes, complaints, follow-ups, surveys, quality checks), written by the
//! program as it was at schema 17 (commit 6f6b9d5~1, `frontdesk-admin init` then
//! `demo --days 8 --until 2026-03-06`): see fixtures/README.md.

#[macro_use]
mod common;

use std::io::Read;
use std::path::{Path, PathBuf};

use common::*;
use frontdesk_core::{backup, Desk};

/// The schema-17 data file, unpacked into `dir`.
fn old_file(dir: &Path) -> PathBuf {
    let packed = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema17.db.gz");
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(packed).unwrap())
        .read_to_end(&mut bytes)
        .unwrap();
    let path = dir.join("frontdesk.db");
    std::fs::write(&path, bytes).unwrap();
    path
}

fn schema(path: &Path) -> i64 {
    sqlite_tool(path)
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap()
}

/// Every table of `old` with the rows of `old` that `new` no longer holds as they were (on the
/// old file's columns), none when everything was kept.
fn rows_lost(old: &Path, new: &Path) -> Vec<(String, i64, i64)> {
    let db = sqlite_tool(new);
    db.execute("ATTACH DATABASE ?1 AS old", [old.to_str().unwrap()])
        .unwrap();
    let tables: Vec<String> = db
        .prepare("SELECT name FROM old.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(tables.len() > 30, "the fixture has {} tables", tables.len());
    let mut lost = Vec::new();
    for t in tables {
        let columns: Vec<String> = db
            .prepare(&format!("SELECT name FROM pragma_table_info('{t}', 'old')"))
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let list = columns
            .iter()
            .map(|c| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(", ");
        let before: i64 = db
            .query_row(&format!("SELECT count(*) FROM old.\"{t}\""), [], |r| {
                r.get(0)
            })
            .unwrap();
        let missing: i64 = db
            .query_row(
                &format!(
                    "SELECT count(*) FROM (SELECT {list} FROM old.\"{t}\" EXCEPT SELECT {list} FROM main.\"{t}\")"
                ),
                [],
                |r| r.get(0),
            )
            .unwrap();
        if missing > 0 {
            lost.push((t, before, missing));
        }
    }
    lost
}

#[test]
fn a_file_of_an_older_schema_is_copied_and_verified_before_it_is_migrated_and_keeps_every_row() {
    sqlite_only!("a data file on the desk PC (a server is backed up by pg_dump)");
    let dir = temp();
    let path = old_file(dir.path());
    let original = dir.path().join("as-it-was.db");
    std::fs::copy(&path, &original).unwrap();
    assert_eq!(schema(&path), 17);
    assert!(verify_file(path.as_path()).ok(), "the fixture verifies");

    let clock = test_clock!();
    let mut desk = Desk::open_with_clock(path.as_path(), clock.read).unwrap();
    let status = desk.status();
    let upgrade = status
        .upgraded
        .clone()
        .expect("the opening says it upgraded");
    assert_eq!(upgrade.from_schema, 17);
    assert_eq!(upgrade.from_version, None, "no release wrote schema 17");
    assert_eq!(upgrade.to_schema, frontdesk_core::store::schema_version());
    assert_eq!(status.schema, upgrade.to_schema);

    // The copy: in the hospital's backup folder, named for the schema it holds, verified, and
    // the data exactly as it was.
    let copy = PathBuf::from(&upgrade.backup);
    assert_eq!(copy.parent().unwrap(), dir.path().join("backups"));
    let name = copy.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with("frontdesk-before-upgrade-schema17-"),
        "{name}"
    );
    assert_eq!(schema(&copy), 17);
    assert!(backup::check(&copy).unwrap().ok());
    assert_eq!(rows_lost(&original, &copy), vec![], "the copy lost rows");
    assert_eq!(
        rows_lost(&copy, &original),
        vec![],
        "the copy has rows the file had not"
    );

    // The upgraded file: every row of every old table kept, the chain whole, the upgrade in
    // the log, and the desk works on it.
    assert_eq!(schema(&path), upgrade.to_schema);
    assert_verified(desk.connection());
    let recent = frontdesk_core::audit::list_entries(desk.connection(), None, 5).unwrap();
    let entry = recent
        .iter()
        .find(|e| e.action == "schema.upgrade")
        .expect("the upgrade in the audit log");
    assert!(
        format!("{entry:?}").contains("before-upgrade-schema17"),
        "{entry:?}"
    );
    login(&mut desk, "clerk");
    drop(desk);
    assert_eq!(rows_lost(&original, &path), vec![], "the upgrade lost rows");

    // Opened again: nothing to upgrade, no second copy.
    let desk = Desk::open_with_clock(path.as_path(), clock.read).unwrap();
    assert_eq!(desk.status().upgraded, None);
    let copies = std::fs::read_dir(dir.path().join("backups"))
        .unwrap()
        .filter(|f| {
            f.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains("before-upgrade")
        })
        .count();
    assert_eq!(copies, 1);
}

/// A file changed behind the program's back (a patient's phone rewritten with a SQL tool) is
/// not migrated: the opening is refused with a message that says why, and the file is as it
/// was, byte for byte, still readable by the version that wrote it.
#[test]
fn a_file_whose_copy_does_not_verify_is_not_upgraded_and_not_changed() {
    sqlite_only!("a data file on the desk PC");
    let dir = temp();
    let path = old_file(dir.path());
    sqlite_tool(&path)
        .execute(
            "UPDATE patient SET phone = '13900000000' WHERE id = (SELECT min(id) FROM patient)",
            [],
        )
        .unwrap();
    let before = std::fs::read(&path).unwrap();
    let clock = test_clock!();
    let e = Desk::open_with_clock(path.as_path(), clock.read)
        .err()
        .unwrap();
    assert_eq!(e.code(), "upgrade_refused", "{e:?}");
    assert_desk_sentence(&e);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the file was changed"
    );
    assert_eq!(schema(&path), 17);
    let left: Vec<_> = std::fs::read_dir(dir.path().join("backups"))
        .map(|d| d.map(|f| f.unwrap().file_name()).collect())
        .unwrap_or_default();
    assert!(
        left.is_empty(),
        "a copy that did not verify was left: {left:?}"
    );
}

/// `frontdesk-admin`'s first command after an upgrade does the same, and says so.
#[test]
fn the_command_line_upgrades_the_same_way_and_says_so() {
    sqlite_only!("a data file on the desk PC");
    let dir = temp();
    let path = old_file(dir.path());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_frontdesk-admin"))
        .args(["--db", path.to_str().unwrap(), "patients", "search", "zs"])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    assert!(
        said.contains("from schema 17 to schema")
            && said.contains("backups/frontdesk-before-upgrade-schema17-"),
        "{said}"
    );
    assert_eq!(schema(&path), frontdesk_core::store::schema_version());
    let again = std::process::Command::new(env!("CARGO_BIN_EXE_frontdesk-admin"))
        .args(["--db", path.to_str().unwrap(), "patients", "search", "zs"])
        .output()
        .unwrap();
    assert!(again.status.success());
    assert!(
        !String::from_utf8_lossy(&again.stderr).contains("upgraded"),
        "a second command upgrades nothing"
    );
}
