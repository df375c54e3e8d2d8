//! `--followups N`: the follow-up work list over N open follow-ups (and twice as many closed
//! ones), through the app's own `followup::list` — each view, narrowed by a department, a kind
//! or my calls, sorted by due date — and the status bar's counters; then `followup::generate`
//! putting a day's 3,000 registrations on the list, with the 59 days before it already there
//! (the look-back the list fills from). The rows are written in bulk (no audit entries: a
//! benchmark's fixture only).

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use frontdesk_core::followup::{self, Filter, View};
use frontdesk_core::ids::{DepartmentId, StaffId};
use frontdesk_core::store::{self, Conn, Tx};

use super::{pct, Rng};

/// The list answers within this many milliseconds at the 99th percentile.
const LIST_P99_MS: f64 = 20.0;
/// A day's follow-ups are generated within this many milliseconds.
const GENERATE_MS: f64 = 50.0;
/// The service account of the demo hospital (王芳), whose calls are "mine".
const SERVICE: StaffId = StaffId(3);

pub fn run(dir: &Path, open: u64, today: NaiveDate) -> Result<(), Box<dyn std::error::Error>> {
    let path = dir.join(format!("frontdesk-bench-followups-{open}.db"));
    let have = Conn::open(&path).ok().and_then(|c| {
        c.value::<i64>("SELECT count(*) FROM followup WHERE closed_at IS NULL", &[])
            .ok()
    });
    if have != Some(open as i64) {
        let _ = std::fs::remove_file(&path);
        build(&path, open, today)?;
    }
    let conn = Conn::open(&path)?;
    let now = frontdesk_core::clock::day_bounds(chrono_tz::Asia::Shanghai, today, today).0
        + 10 * 3_600_000;
    println!("\nfollow-up work list over {open} open follow-ups (first 300, by due date)\n");
    println!(
        "{:<34} {:>6} {:>9} {:>9} {:>9}",
        "list", "rows", "p50 ms", "p99 ms", "max ms"
    );
    let dept = |d| Filter {
        department_id: Some(DepartmentId(d)),
        ..Default::default()
    };
    let kind = |k: &str| Filter {
        kind: Some(k.into()),
        ..Default::default()
    };
    let mine = Filter {
        mine: true,
        ..Default::default()
    };
    let cases: Vec<(&str, View, Filter)> = vec![
        ("due", View::Due, Filter::default()),
        ("due, one department", View::Due, dept(3)),
        ("due, discharges", View::Due, kind("discharge")),
        ("due, second calls", View::Due, kind("second")),
        ("due, mine", View::Due, mine.clone()),
        ("overdue", View::Overdue, Filter::default()),
        ("overdue, one department", View::Overdue, dept(7)),
        ("numbers to fix", View::FixNumber, Filter::default()),
        ("all open", View::Open, Filter::default()),
        ("all open, planned", View::Open, kind("planned")),
        ("all open, mine", View::Open, mine.clone()),
        ("done", View::Closed, Filter::default()),
        ("done, mine", View::Closed, mine),
    ];
    let mut worst = 0.0_f64;
    for (name, view, filter) in &cases {
        let rows = followup::list(&conn, *view, filter, SERVICE, today, now, 300)?.len();
        let mut times = Vec::with_capacity(300);
        for _ in 0..300 {
            let t = Instant::now();
            let r = followup::list(&conn, *view, filter, SERVICE, today, now, 300)?;
            times.push(t.elapsed());
            std::hint::black_box(r);
        }
        let (p50, p99, max) = (
            pct(&mut times, 50.0),
            pct(&mut times, 99.0),
            pct(&mut times, 100.0),
        );
        worst = worst.max(p99);
        println!("{name:<34} {rows:>6} {p50:>9.3} {p99:>9.3} {max:>9.3}");
    }
    let mut counts = Vec::new();
    for _ in 0..100 {
        let t = Instant::now();
        std::hint::black_box(followup::counts(&conn, today, now)?);
        counts.push(t.elapsed());
    }
    println!(
        "{:<34} {:>6} {:>9.3} {:>9.3} {:>9.3}",
        "status bar counters",
        "",
        pct(&mut counts, 50.0),
        pct(&mut counts, 99.0),
        pct(&mut counts, 100.0)
    );
    println!(
        "\ntarget: the list p99 ≤ {LIST_P99_MS} ms — worst {worst:.3} ms: {}",
        if worst <= LIST_P99_MS {
            "met"
        } else {
            "NOT met"
        }
    );
    drop(conn);
    generation(dir, today)
}

/// A day's 3,000 registrations (45 % first visits) put on the list, the 59 days before them
/// already on it.
fn generation(dir: &Path, today: NaiveDate) -> Result<(), Box<dyn std::error::Error>> {
    let path = dir.join("frontdesk-bench-followups-generate.db");
    let _ = std::fs::remove_file(&path);
    let now = frontdesk_core::clock::now_ms();
    let mut conn = Conn::open(&path)?;
    frontdesk_core::demo::create_hospital(&mut conn, today, now)?;
    let mut rng = Rng(0xF011_0003);
    let t = Instant::now();
    store::bulk_load(&mut conn, |tx| {
        patients(tx, 200_000, &mut rng)?;
        let doctors: Vec<(i64, i64)> = tx.all(
            "SELECT id, department_id FROM doctor ORDER BY id",
            &[],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let shift: i64 = tx.insert(
            "INSERT INTO shift (clerk_id, desk, opened_at, float_fen, float_counts)
             VALUES (1, '01', 0, 0, '[]') RETURNING id",
            &[],
        )?;
        for back in (0..60).rev() {
            let day = today - chrono::Duration::days(back);
            registrations(tx, day, 3_000, &doctors, shift, &mut rng)?;
            if back > 0 {
                // Those days are on the list already (as the app left them, day by day).
                tx.execute(
                    "INSERT INTO followup (kind, patient_id, registration_id, department_id,
                         due_date, state, attempts, created_at)
                     SELECT 'first_visit', patient_id, id, department_id, date, 'open', 0, 0
                     FROM registration WHERE date = ?1 AND visit_kind = 'first'",
                    &[&day.to_string()],
                )?;
            }
        }
        Ok(())
    })?;
    let today_first: i64 = conn.value(
        "SELECT count(*) FROM registration WHERE date = ?1 AND visit_kind = 'first'",
        &[&today.to_string()],
    )?;
    println!(
        "\nfixture: 60 days of 3,000 registrations, 59 of them on the list, written in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let mut look = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        std::hint::black_box(followup::anything_to_add(&conn, today)?);
        look.push(t.elapsed());
    }
    println!(
        "finding what is not on the list yet (60 days, read only): p50 {:.1} ms",
        pct(&mut look, 50.0)
    );
    let actor = frontdesk_core::audit::Actor::system("frontdesk-bench");
    let mut times = Vec::new();
    let mut added = 0;
    for _ in 0..20 {
        // Each run is rolled back (the closure refuses at the end), so the next generates the
        // same day again.
        let refused = store::write(&mut conn, &actor, now, |tx| {
            let t = Instant::now();
            added = followup::generate(tx, today)?;
            times.push(t.elapsed());
            Err::<(), _>(frontdesk_core::Error::Forbidden)
        });
        assert!(refused.is_err());
    }
    let t = Instant::now();
    store::write(&mut conn, &actor, now, |tx| followup::generate(tx, today))?;
    let committed = t.elapsed();
    let p50 = pct(&mut times, 50.0);
    let max = pct(&mut times, 100.0);
    println!(
        "generate: {added} follow-ups from {today_first} first visits of today's 3,000 registrations \
         — p50 {p50:.1} ms, max {max:.1} ms (20 runs, each rolled back); committed once with \
         its audit entries: {:.1} ms",
        ms(committed)
    );
    println!(
        "target: ≤ {GENERATE_MS} ms — {}",
        if max <= GENERATE_MS && ms(committed) <= GENERATE_MS {
            "met"
        } else {
            "NOT met"
        }
    );
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn patients(tx: &Tx, n: u64, rng: &mut Rng) -> frontdesk_core::Result<()> {
    for id in 1..=n as i64 {
        let phone = (!rng.chance(2)).then(|| format!("13{:09}", rng.below(1_000_000_000)));
        tx.execute(
            "INSERT INTO patient (id, card_no, name, sex, phone, address, origin, heard_via,
                 created_at)
             VALUES (?1, ?2, '张三', 'M', ?3, '', '', '', 0)",
            &[&id, &format!("{id:08}"), &phone],
        )?;
    }
    Ok(())
}

fn registrations(
    tx: &Tx,
    day: NaiveDate,
    n: u64,
    doctors: &[(i64, i64)],
    shift: i64,
    rng: &mut Rng,
) -> frontdesk_core::Result<()> {
    let date = day.to_string();
    let mut duties = Vec::new();
    for (doctor, department) in doctors {
        let id: i64 = tx.insert(
            "INSERT INTO duty (date, session, doctor_id, capacity) VALUES (?1, 'am', ?2, 500)
             ON CONFLICT (date, session, doctor_id) DO UPDATE SET capacity = 500 RETURNING id",
            &[&date, doctor],
        )?;
        duties.push((id, *doctor, *department, 0_i64));
    }
    for i in 0..n as usize {
        let k = i % duties.len();
        duties[k].3 += 1;
        let (duty, doctor, department, queue) = duties[k];
        let visit = if rng.chance(45) { "first" } else { "return" };
        tx.execute(
            "INSERT INTO registration (patient_id, duty_id, doctor_id, department_id, date,
                 session, queue_no, visit_kind, registration_type_id, fee_fen, due_fen, status,
                 clerk_id, shift_id, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, 'am', ?6, ?7, 1, 500, 500, 'seen', 1, ?8, 0)",
            &[
                &(1 + rng.below(200_000) as i64),
                &duty,
                &doctor,
                &department,
                &date,
                &queue,
                &visit,
                &shift,
            ],
        )?;
    }
    Ok(())
}

/// `open` open follow-ups due over the last 60 days and the next week, 2 × `open` closed over
/// the last two years, an attempt or more on a fifth of the open ones, a few hundred patients
/// who refused calls.
fn build(path: &Path, open: u64, today: NaiveDate) -> Result<(), Box<dyn std::error::Error>> {
    let now = frontdesk_core::clock::now_ms();
    let mut conn = Conn::open(path)?;
    frontdesk_core::demo::create_hospital(&mut conn, today, now)?;
    let mut rng = Rng(0xF011_0001);
    let t = Instant::now();
    let today_ms = frontdesk_core::clock::day_bounds(chrono_tz::Asia::Shanghai, today, today).0;
    let people = (open / 2).max(1000);
    store::bulk_load(&mut conn, |tx| {
        patients(tx, people, &mut rng)?;
        let kinds = [
            "first_visit",
            "first_visit",
            "first_visit",
            "discharge",
            "second",
            "planned",
        ];
        for i in 0..open * 3 {
            let closed = i >= open;
            let patient = 1 + rng.below(people) as i64;
            let kind = *rng.pick(&kinds);
            let department = 1 + rng.below(10) as i64;
            let (due, state, next_try, attempts, closed_at) = if closed {
                let back = rng.below(730) as i64;
                let due = today - chrono::Duration::days(back);
                let state = if rng.chance(85) {
                    "reached"
                } else {
                    "unreachable"
                };
                (
                    due,
                    state,
                    None,
                    1 + rng.below(3) as i64,
                    Some(today_ms - back * 86_400_000),
                )
            } else {
                let due = today - chrono::Duration::days(rng.below(67) as i64 - 7);
                let state = if rng.chance(5) { "fix_number" } else { "open" };
                let tried = state == "fix_number" || rng.chance(20);
                let next_try = (state == "open" && tried)
                    .then(|| today_ms + (rng.below(48) as i64 - 24) * 3_600_000);
                (due, state, next_try, i64::from(tried), None)
            };
            let id: i64 = tx.insert(
                "INSERT INTO followup (kind, patient_id, department_id, due_date, next_try_at,
                     state, attempts, created_at, closed_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, ?8) RETURNING id",
                &[
                    &kind,
                    &patient,
                    &department,
                    &due.to_string(),
                    &next_try,
                    &state,
                    &attempts,
                    &closed_at,
                ],
            )?;
            for n in 1..=attempts {
                let outcome = match (n == attempts, state) {
                    (true, "reached") => "reached",
                    (true, "fix_number") => "wrong_number",
                    _ => "no_answer",
                };
                // Customer service's calls, a supervisor's now and then.
                let staff = if rng.chance(80) { 3 } else { 4 };
                tx.execute(
                    "INSERT INTO followup_attempt (followup_id, n, outcome, phone, staff_id, at, note)
                     VALUES (?1, ?2, ?3, NULL, ?4, ?5, '')",
                    &[&id, &n, &outcome, &staff, &closed_at.unwrap_or(today_ms)],
                )?;
            }
        }
        for p in 0..500 {
            tx.execute(
                "INSERT INTO patient_no_call (patient_id, at, staff_id, reason)
                 VALUES (?1, 0, 3, '') ON CONFLICT (patient_id) DO NOTHING",
                &[&(1 + (p * 7919) % people as i64)],
            )?;
        }
        Ok(())
    })?;
    println!(
        "fixture: {open} open and {} closed follow-ups written in {:.1} s at {}",
        open * 2,
        t.elapsed().as_secs_f64(),
        path.display()
    );
    Ok(())
}
