//! The figures on a PostgreSQL server (`--server URL`), beside the SQLite ones: search as typed
//! on the same N patients (the SQLite fixture copied onto the server once, by the same copy
//! `migrate-to` makes), a registration committed through the app's path, and forty desks
//! registering at once, each with its own connection and clerk.
//!
//! The bench makes its own databases on that server (`frontdesk_bench_N` for the patients,
//! reused; `frontdesk_bench_desk` and `frontdesk_bench_desks`, made anew each run), so the URL's
//! user needs CREATEDB.

use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use frontdesk_core::staff::StaffInput;
use frontdesk_core::store::{self, Conn, Location, ServerUrl};

use super::{desk_at, new_patients, pct, query_sets, register_one, time_searches, Options};

/// Registrations a second with forty desks at once, at least.
const TARGET_PER_SECOND: f64 = 200.0;
/// Each of them committed within this many milliseconds (p99).
const TARGET_DESKS_P99_MS: f64 = 50.0;
const DESKS: usize = 40;
/// A day of the hospital's registrations, shared out between the desks.
const DAY: usize = 3_000;

type Fallible<T> = Result<T, Box<dyn std::error::Error>>;

/// A database of that name on the server: `fresh` drops it first.
fn database(base: &ServerUrl, name: &str, fresh: bool) -> Fallible<Location> {
    let mut admin = postgres::Client::connect(base.as_arg(), postgres::NoTls)?;
    let exists = admin
        .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&name])?
        .is_some();
    if exists && fresh {
        admin.batch_execute(&format!("DROP DATABASE {name} WITH (FORCE)"))?;
    }
    if !exists || fresh {
        admin.batch_execute(&format!("CREATE DATABASE {name}"))?;
    }
    Ok(Location::from(base.with_dbname(name)))
}

pub fn run(o: &Options, url: &str, today: NaiveDate) -> Fallible<()> {
    let base = ServerUrl::parse(url)?;
    println!("\n== on PostgreSQL: {}", base.shown());

    let at = database(&base, &format!("frontdesk_bench_{}", o.patients), false)?;
    let mut conn = Conn::open(&at)?;
    let have: i64 = conn.value("SELECT count(*) FROM patient", &[])?;
    if have != o.patients as i64 {
        let t = Instant::now();
        let from = Conn::open_read_only(&o.db)?;
        store::copy_all(&from, &mut conn)?;
        conn.batch("ANALYZE")?;
        println!(
            "fixture: the {} patients copied onto the server in {:.0} s",
            o.patients,
            t.elapsed().as_secs_f64()
        );
    }
    let sets = query_sets(&conn, o.patients, o.queries)?;
    println!(
        "\nsearch as typed on the server ({} queries per kind, one connection over TCP)\n",
        o.queries
    );
    println!(
        "{:<18} {:>9} {:>9} {:>9}",
        "query", "p50 ms", "p99 ms", "max ms"
    );
    let mut worst = 0.0_f64;
    for (kind, queries) in &sets {
        let mut times = time_searches(&conn, queries, today)?;
        let (p50, p99, max) = (
            pct(&mut times, 50.0),
            pct(&mut times, 99.0),
            pct(&mut times, 100.0),
        );
        worst = worst.max(p99);
        println!("{kind:<18} {p50:>9.3} {p99:>9.3} {max:>9.3}");
    }
    println!(
        "\ntarget: search p99 ≤ {} ms on the server — worst kind {worst:.3} ms: {}",
        super::TARGET_P99_MS,
        if worst <= super::TARGET_P99_MS {
            "met"
        } else {
            "NOT MET"
        }
    );
    drop(conn);

    one_desk(&base)?;
    // Flat out: how many a second the server takes. Every write holds the one write lock, so
    // with every desk firing back to back each waits for the other 39 (Little's law: latency ≈
    // desks ÷ rate); the latency a clerk feels is measured at the target's own load.
    forty_desks(&base, None)?;
    forty_desks(&base, Some(TARGET_PER_SECOND))?;
    Ok(())
}

/// One desk registering, each registration committed through the app's path on the server.
fn one_desk(base: &ServerUrl) -> Fallible<()> {
    const N: usize = 500;
    let at = database(base, "frontdesk_bench_desk", true)?;
    let mut desk = desk_at(&at, 500)?;
    let patients = new_patients(&mut desk, N as i64)?;
    let mut times = Vec::with_capacity(N);
    for (i, p) in patients.iter().enumerate() {
        let t = Instant::now();
        register_one(&mut desk, *p, 1 + (i as i64 % 9))?;
        // The first registration prepares the write path's statements on this connection.
        if i > 0 {
            times.push(t.elapsed());
        }
    }
    println!(
        "\nregistration commit on the server (Desk::register, one desk, {N} registrations): p50 {:.2} ms, p99 {:.2} ms",
        pct(&mut times, 50.0),
        pct(&mut times, 99.0)
    );
    Ok(())
}

/// Forty desks, each its own connection, clerk, shift and receipt series, registering a day's
/// worth between them at once: flat out, or together at `paced` registrations a second (each
/// desk on its own steady beat, the beats spread over the interval).
fn forty_desks(base: &ServerUrl, paced: Option<f64>) -> Fallible<()> {
    let at = database(base, "frontdesk_bench_desks", true)?;
    {
        let mut admin = desk_at(&at, 500)?;
        admin.logout()?;
        admin.login("admin", "admin1234")?;
        for d in 0..DESKS {
            admin.staff_save(&StaffInput {
                id: None,
                username: format!("clerk{d:02}"),
                display_name: format!("收费员{d:02}"),
                role: "clerk".into(),
                password: "clerk1234".into(),
                ..serde_json::from_value(serde_json::json!({}))?
            })?;
        }
    }
    let per_desk = DAY / DESKS;
    let start = Arc::new(Barrier::new(DESKS + 1));
    let threads: Vec<_> = (0..DESKS)
        .map(|d| {
            let (at, start) = (at.clone(), start.clone());
            std::thread::spawn(move || -> Result<Vec<Duration>, String> {
                let prepare = || -> Fallible<(frontdesk_core::Desk, Vec<_>)> {
                    let mut desk =
                        frontdesk_core::Desk::open_demo_with_clock(&at, super::desk_clock)?;
                    desk.set_idle_seconds_override(Some(86_400));
                    desk.set_desk_code(&format!("{d:02}"))?;
                    desk.login(&format!("clerk{d:02}"), "clerk1234")?;
                    desk.shift_open(&[2, 0, 0, 0, 0, 0, 0, 0])?;
                    let mut patients = new_patients(&mut desk, per_desk as i64 + 1)?;
                    // One registration untimed first: a connection prepares each statement
                    // on its first use (a round trip each, inside the write lock), once a
                    // morning at a real desk, but forty at once here.
                    let first = patients.pop().ok_or("no patient")?;
                    register_one(&mut desk, first, 1 + d as i64 % 9)?;
                    Ok((desk, patients))
                };
                let prepared = prepare().map_err(|e| format!("desk {d}: {e}"));
                start.wait();
                let (mut desk, patients) = prepared?;
                let mut times = Vec::with_capacity(per_desk);
                let beat = paced.map(|rate| Duration::from_secs_f64(DESKS as f64 / rate));
                let began =
                    Instant::now() + beat.map_or(Duration::ZERO, |b| b * d as u32 / DESKS as u32);
                for (i, p) in patients.iter().enumerate() {
                    if let Some(beat) = beat {
                        let due = began + beat * i as u32;
                        std::thread::sleep(due.saturating_duration_since(Instant::now()));
                    }
                    let t = Instant::now();
                    register_one(&mut desk, *p, 1 + ((d + i) as i64 % 9))
                        .map_err(|e| format!("desk {d}: {e}"))?;
                    times.push(t.elapsed());
                }
                Ok(times)
            })
        })
        .collect();
    start.wait();
    let t = Instant::now();
    let mut all = Vec::with_capacity(DAY);
    for h in threads {
        all.extend(h.join().map_err(|_| "a desk's thread panicked")??);
    }
    let elapsed = t.elapsed().as_secs_f64();
    let rate = all.len() as f64 / elapsed;
    let (p50, p90, p99) = (
        pct(&mut all, 50.0),
        pct(&mut all, 90.0),
        pct(&mut all, 99.0),
    );
    let how = match paced {
        None => "flat out".to_string(),
        Some(r) => format!("offering {r:.0} a second together"),
    };
    println!(
        "\n{DESKS} desks at once on the server, {how}: {} registrations in {elapsed:.1} s = {rate:.0} a second; each p50 {p50:.1} ms, p90 {p90:.1} ms, p99 {p99:.1} ms",
        all.len()
    );
    match paced {
        None => println!(
            "target: ≥ {TARGET_PER_SECOND} a second: {}",
            if rate >= TARGET_PER_SECOND { "met" } else { "NOT MET" }
        ),
        Some(_) => println!(
            "target: p99 ≤ {TARGET_DESKS_P99_MS} ms at {TARGET_PER_SECOND} a second: {} ({rate:.0} a second kept up)",
            if p99 <= TARGET_DESKS_P99_MS && rate >= 0.95 * TARGET_PER_SECOND { "met" } else { "NOT MET" }
        ),
    }
    let conn = Conn::open_read_only(&at)?;
    let gaps: i64 = conn.value(
        "SELECT count(*) FROM (SELECT desk FROM receipt GROUP BY desk
         HAVING count(*) <> max(seq)) g",
        &[],
    )?;
    println!("(afterwards: {gaps} receipt series with a gap, of {DESKS})");
    Ok(())
}
