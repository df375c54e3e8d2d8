//! `--retention YEARS`: removing the personal data of records past their period
//! (`quality::anonymise`, as 管理 → 保存期限 and `frontdesk-admin retention anonymise` run it) on
//! a copy of the `--quality YEARS` file, made afresh each run because a removal changes it. The
//! copy is given the log entries the desks would have written for what is removed — each
//! patient's creation (name, phone, address) and each call (the number dialled) — so that the
//! redaction of the log's earlier copies is measured too. The fixture's complaints name no
//! complainant (two a day: nothing beside the calls).
//!
//! Measured, as a hospital that installed the app on the fixture's first day would run it:
//! the first month a follow-up passes its two years, the month after, then a run left for
//! eleven months (when complaints and patients pass theirs too); and the count the confirmation
//! shows, on the last day, of everything past its period.

use std::path::Path;
use std::time::Instant;

use chrono::{Duration, NaiveDate};
use frontdesk_core::audit::Actor;
use frontdesk_core::quality::anonymise::{pending, remove, survey, Count};
use frontdesk_core::store::{self, Conn};

pub fn run(dir: &Path, years: u64) -> Result<(), Box<dyn std::error::Error>> {
    let (source, today) = super::quality::fixture(dir, years)?;
    let path = dir.join(format!("frontdesk-bench-retention-{years}y.db"));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let t = Instant::now();
    std::fs::copy(&source, &path)?;
    // On disk before anything is measured: else the first commit's fsync waits for the copy.
    std::fs::File::open(&path)?.sync_all()?;
    let mut conn = Conn::open(&path)?;
    store::bulk_load(&mut conn, |tx| {
        tx.execute(
            "INSERT INTO audit_log (at, actor_id, actor, action, entity, entity_id, before, after,
                 prev_hash, hash)
             SELECT created_at, 1, '挂号员', 'patient.create', 'patient', CAST(id AS TEXT), NULL,
                    json_object('card_no', card_no, 'name', name, 'sex', sex, 'phone', phone,
                                'address', address), '', ''
             FROM patient",
            &[],
        )?;
        tx.execute(
            "INSERT INTO audit_log (at, actor_id, actor, action, entity, entity_id, before, after,
                 prev_hash, hash)
             SELECT at, 3, '客服', 'followup.call', 'followup_attempt', CAST(id AS TEXT), NULL,
                    json_object('followup_id', followup_id, 'n', n, 'outcome', outcome,
                                'phone', phone, 'note', note), '', ''
             FROM followup_attempt",
            &[],
        )
    })?;
    conn.batch("PRAGMA wal_checkpoint(TRUNCATE)")?;
    // The file's check (quick_check), which the app runs in the background from sign-in and
    // every write waits for: done here, so the first removal measures the removal.
    let checking = Instant::now();
    conn.ensure_sound()?;
    let checked = checking.elapsed().as_secs_f64();
    let entries: i64 = conn.value("SELECT count(*) FROM audit_log", &[])?;
    let calls: i64 = conn.value("SELECT count(*) FROM followup_attempt", &[])?;
    let patients: i64 = conn.value("SELECT count(*) FROM patient", &[])?;
    println!(
        "\nretention on {years} years: {patients} patients, {calls} calls, {entries} log entries, \
         {:.2} GiB (copied and given its log in {:.0} s, of which the file's check {checked:.0} s)\n",
        std::fs::metadata(&path)?.len() as f64 / (1u64 << 30) as f64,
        t.elapsed().as_secs_f64()
    );

    let first = today - Duration::days(years as i64 * 365);
    let tz = chrono_tz::Asia::Shanghai;
    let at_ten = |d: NaiveDate| frontdesk_core::clock::day_bounds(tz, d, d).0 + 10 * 3_600_000;
    let actor = Actor::system("frontdesk-bench");
    println!(
        "{:<46} {:>8} {:>8} {:>8} {:>8} {:>9} {:>9} {:>8}",
        "run on", "count ms", "read s", "write s", "calls", "patients", "entries", "peak MiB"
    );
    let month = first + Duration::days(2 * 365 + 31);
    for (what, day) in [
        ("the first month past two years", month),
        ("a month later", month + Duration::days(30)),
        (
            "eleven months later (patients due too)",
            month + Duration::days(365),
        ),
    ] {
        let t = Instant::now();
        let due = pending(&conn, day)?;
        let counted = t.elapsed().as_secs_f64() * 1000.0;
        let t = Instant::now();
        let read = survey(&conn, day)?;
        let surveyed = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let done: Count = store::write(&mut conn, &actor, at_ten(day), |tx| remove(tx, &read))?;
        let removed = t.elapsed().as_secs_f64();
        assert_eq!(
            (due.calls, due.patients, due.complaints),
            (done.calls, done.patients, done.complaints),
            "the confirmation's count is what was removed"
        );
        println!(
            "{:<46} {counted:>8.0} {surveyed:>8.1} {removed:>8.1} {:>8} {:>9} {:>9} {:>8.0}",
            format!("{what} ({day})"),
            done.calls,
            done.patients,
            done.entries,
            peak_mib()
        );
    }
    let t = Instant::now();
    let all = pending(&conn, today)?;
    println!(
        "\nthe confirmation's count on {today} (everything since left): {} calls, {} patients, \
         {} complaints in {:.0} ms",
        all.calls,
        all.patients,
        all.complaints,
        t.elapsed().as_secs_f64() * 1000.0
    );
    drop(conn);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    Ok(())
}

/// The process's peak resident memory so far (Linux), in MiB.
fn peak_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}
