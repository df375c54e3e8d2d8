//! `--complaints N`: the complaint list (投诉 → a state, by deadline) over N cases, through the
//! app's own `complaint::list`, beside the same list on a copy of the file without the list's
//! indexes. The cases are written in bulk (no audit entries: a benchmark's fixture only), in
//! proportions a hospital's years of complaints would have: most closed, a few hundred open.

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use frontdesk_core::complaint::{self, State, View};
use frontdesk_core::ids::StaffId;
use frontdesk_core::store::{self, Conn};

use super::{pct, Rng};

/// The list answers within this many milliseconds at the 99th percentile.
const TARGET_P99_MS: f64 = 20.0;

pub fn run(dir: &Path, cases: u64, today: NaiveDate) -> Result<(), Box<dyn std::error::Error>> {
    let path = dir.join(format!("frontdesk-bench-complaints-{cases}.db"));
    let have = Conn::open(&path)
        .ok()
        .and_then(|c| c.value::<i64>("SELECT count(*) FROM complaint", &[]).ok());
    if have != Some(cases as i64) {
        let _ = std::fs::remove_file(&path);
        build(&path, cases, today)?;
    }
    let bare = dir.join(format!("frontdesk-bench-complaints-{cases}-unindexed.db"));
    let _ = std::fs::remove_file(&bare);
    std::fs::copy(&path, &bare)?;
    {
        let conn = Conn::open(&bare)?;
        conn.batch("DROP INDEX complaint_state_due; DROP INDEX complaint_open_due;")?;
    }
    let conn = Conn::open(&path)?;
    let bare_conn = Conn::open(&bare)?;
    let me = StaffId(3);
    println!("\ncomplaint list over {cases} cases (first 50, by deadline), against the same query without its indexes\n");
    println!(
        "{:<22} {:>8} {:>9} {:>9} {:>9} {:>12} {:>12}",
        "list", "rows", "p50 ms", "p99 ms", "max ms", "scan p50", "scan p99"
    );
    let mut worst = 0.0_f64;
    for (name, view) in [
        ("state: received", View::InState(State::Received)),
        ("state: proposed", View::InState(State::Proposed)),
        ("state: closed", View::InState(State::Closed)),
        ("open", View::Open),
        ("overdue", View::Overdue),
        ("head's list", View::Head),
    ] {
        let rows = complaint::list(&conn, view, me, today, 50)?.len();
        let mut times = time(&conn, view, me, today, 1000)?;
        let mut scan = time(&bare_conn, view, me, today, 30)?;
        let (p50, p99, max) = (
            pct(&mut times, 50.0),
            pct(&mut times, 99.0),
            pct(&mut times, 100.0),
        );
        worst = worst.max(p99);
        println!(
            "{name:<22} {rows:>8} {p50:>9.3} {p99:>9.3} {max:>9.3} {:>12.1} {:>12.1}",
            pct(&mut scan, 50.0),
            pct(&mut scan, 99.0)
        );
    }
    println!(
        "\ntarget: the list p99 ≤ {TARGET_P99_MS} ms — worst {worst:.3} ms: {}",
        if worst <= TARGET_P99_MS {
            "met"
        } else {
            "NOT met"
        }
    );
    Ok(())
}

fn time(
    conn: &Conn,
    view: View,
    me: StaffId,
    today: NaiveDate,
    n: usize,
) -> frontdesk_core::Result<Vec<Duration>> {
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        let rows = complaint::list(conn, view, me, today, 50)?;
        out.push(t.elapsed());
        std::hint::black_box(rows);
    }
    Ok(out)
}

/// Ten years of cases received before `today`: closed but for the last weeks' (and a few
/// left behind), their deadlines a working week after receipt.
fn build(path: &Path, cases: u64, today: NaiveDate) -> Result<(), Box<dyn std::error::Error>> {
    let now = frontdesk_core::clock::now_ms();
    let mut conn = Conn::open(path)?;
    frontdesk_core::demo::create_hospital(&mut conn, today, now)?;
    let open_states = [
        State::Received,
        State::Accepted,
        State::Assigned,
        State::Analysed,
        State::Proposed,
        State::Approved,
        State::CarriedOut,
        State::Notified,
        State::Answered,
    ];
    let mut rng = Rng(0x5EED_C0DE);
    let t = Instant::now();
    store::bulk_load(&mut conn, |tx| {
        for i in 0..cases {
            // Older cases first: case i was received (cases - i) * 3650 / cases days ago.
            let age = ((cases - i) * 3650 / cases.max(1)) as i64;
            let received = today - chrono::Duration::days(age);
            let due = received + chrono::Duration::days(7);
            let recent = age < 30;
            let state = if recent || rng.below(1000) == 0 {
                open_states[rng.below(open_states.len() as u64) as usize]
            } else {
                State::Closed
            };
            let at =
                frontdesk_core::clock::day_bounds(chrono_tz::Asia::Shanghai, received, received).0
                    + 3_600_000;
            let closed = (state == State::Closed).then_some(at + 5 * 86_400_000);
            let kind = match rng.below(10) {
                0..=6 => "complaint",
                7..=8 => "praise",
                _ => "suggestion",
            };
            let severity =
                ["normal", "normal", "normal", "serious", "severe"][rng.below(5) as usize];
            tx.execute(
                "INSERT INTO complaint (number, kind, received_at, received_date, channel, complainant,
                     anonymous, contact, category_id, department_id, person_id, description, request,
                     severity, tier_id, state, taken_by, owner_id, ack_due, feedback_due, due,
                     acknowledged_at, closed_at, upheld, satisfied, updated_at)
                 VALUES (?1, ?2, ?3, ?4, 'desk', '张三', 0, '13800138000', ?5, ?6, NULL, '候诊时间过长',
                     '', ?7, 1, ?8, 2, 2, ?9, ?10, ?10, ?3, ?11, 1, ?12, ?3)",
                &[
                    &format!("TS{}-{:06}", received.format("%Y"), i + 1),
                    &kind,
                    &at,
                    &received.to_string(),
                    &(1 + rng.below(6) as i64),
                    &(1 + rng.below(10) as i64),
                    &severity,
                    &state.as_str(),
                    &(received + chrono::Duration::days(1)).to_string(),
                    &due.to_string(),
                    &closed,
                    &closed.map(|_| rng.below(50) != 0),
                ],
            )?;
        }
        Ok(())
    })?;
    println!(
        "fixture: {cases} complaint cases written in {:.1} s at {}",
        t.elapsed().as_secs_f64(),
        path.display()
    );
    Ok(())
}
