//! `frontdesk-bench`: figures for the desk's hot paths on a large synthetic hospital. It prints
//! numbers beside their targets and asserts nothing; tests never time.
//!
//! ```text
//! cargo run --release -p frontdesk-core --bin frontdesk-bench -- --patients 1000000 [--db PATH]
//! ```
//!
//! The fixture is N synthetic patients (common surnames, polyphonic ones among them; random
//! mobiles; valid ID numbers) written in bulk into a fresh data file opened with the app's own
//! pragmas, their search keys derived by the app's `search::keys`. A file that already holds N
//! patients is reused, so reruns go straight to the measurements.
//!
//! With `--years N --per-day R` it builds (once) the large file instead: a copy of that
//! fixture with N years of a desk's days written through the app's own write path, for the
//! end-to-end benchmark's cold start (`tests/e2e/bench.py --large PATH`). See [`history`].

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use chrono::{Duration as Days, NaiveDate};
use frontdesk_core::ids::{DepartmentId, PatientId, RegistrationTypeId, StaffId};
use frontdesk_core::patient::{self, PatientInput};
use frontdesk_core::store::{self, sqlite::Sqlite, Conn, Location};
use frontdesk_core::{clock, search};
// The baselines only: a bare insert and the same rows in plain SQL, on a plain connection.
use rusqlite::Connection;

#[path = "frontdesk-bench/server.rs"]
mod server;

#[path = "frontdesk-bench/complaints.rs"]
mod complaints;
#[path = "frontdesk-bench/followups.rs"]
mod followups;
#[path = "frontdesk-bench/quality.rs"]
mod quality;
#[path = "frontdesk-bench/retention.rs"]
mod retention;

const USAGE: &str = "\
frontdesk-bench — search figures on a synthetic patient index

Usage: frontdesk-bench --patients N [--db PATH] [--queries Q] [--scan-queries S] [--server URL]
       frontdesk-bench --patients N [--db PATH] --years Y --per-day R [--large PATH]
       frontdesk-bench --complaints N
       frontdesk-bench --followups N
       frontdesk-bench --quality YEARS
       frontdesk-bench --retention YEARS

  --patients N       patients in the fixture (e.g. 1000000)
  --db PATH          the fixture file (default: frontdesk-bench-N.db in the temp folder);
                     reused when it already holds N patients
  --queries Q        searches timed per kind of query (default 2000)
  --scan-queries S   the same queries timed as a LIKE scan, per kind (default 50; a scan of
                     a million rows takes a good fraction of a second each)
  --server URL       also measure on a PostgreSQL server (postgres://user:pw@host/any; the
                     user needs CREATEDB): search on the same N patients (copied there once
                     into frontdesk_bench_N), a registration commit, and 40 desks at once
  --years Y          build (once, reused after) the large file instead of measuring: the
                     fixture plus Y years of closed days at the desk, R registrations a day
  --per-day R        registrations a day (with --years)
  --large PATH       the large file (default: frontdesk-bench-N-Yy-R.db beside the fixture)
  --complaints N     the complaint list (one state, by deadline) over N cases (built once
                     in the temp folder), against the same query without its indexes
  --followups N      the follow-up work list (each view and filter, by due date) over N open
                     follow-ups and 2N closed (built once in the temp folder), the status
                     bar's counters, and a day's generation from 3,000 registrations
  --quality YEARS    the quality dashboard (ten tiles, twelve periods each) on YEARS of
                     3,000 registrations a day (built once in the temp folder)
  --retention YEARS  removing the personal data past its period, on a copy of that file
                     given a log entry per patient and per call
";

/// Search p99 at most this many milliseconds.
const TARGET_P99_MS: f64 = 5.0;
/// Search at least this many times faster than the scan.
const TARGET_RATIO: f64 = 50.0;

/// A small deterministic generator (SplitMix64): the same fixture on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// Surnames with rough weights (the common ones often, polyphonic ones among them).
const SURNAMES: [(&str, u64); 64] = [
    ("王", 70),
    ("李", 70),
    ("张", 68),
    ("刘", 55),
    ("陈", 50),
    ("杨", 35),
    ("黄", 25),
    ("赵", 22),
    ("吴", 20),
    ("周", 20),
    ("徐", 15),
    ("孙", 15),
    ("马", 13),
    ("朱", 13),
    ("胡", 12),
    ("郭", 12),
    ("何", 11),
    ("高", 11),
    ("林", 10),
    ("罗", 10),
    ("郑", 9),
    ("梁", 9),
    ("谢", 8),
    ("宋", 8),
    ("唐", 8),
    ("许", 7),
    ("韩", 7),
    ("冯", 7),
    ("邓", 7),
    ("曹", 6),
    ("彭", 6),
    ("曾", 6),
    ("肖", 6),
    ("田", 5),
    ("董", 5),
    ("袁", 5),
    ("潘", 5),
    ("于", 5),
    ("蒋", 5),
    ("蔡", 5),
    ("余", 5),
    ("杜", 4),
    ("叶", 4),
    ("程", 4),
    ("苏", 4),
    ("魏", 4),
    ("吕", 4),
    ("丁", 4),
    ("任", 4),
    ("沈", 4),
    ("姚", 3),
    ("卢", 3),
    ("单", 2),
    ("解", 2),
    ("区", 1),
    ("仇", 1),
    ("查", 1),
    ("朴", 1),
    ("盖", 1),
    ("乐", 1),
    ("覃", 1),
    ("翟", 1),
    ("缪", 1),
    ("柏", 1),
];

const GIVEN: &str =
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华平刚桂兰玉萍红鹏飞辉建国文斌宇浩凯晨欣怡雪琳\
婷梅霞燕波峰海东亮林小春晓丹颖佳慧鑫志红玲宁宏亚莉俊杨帆博涵子轩梓萱一诺思雨欣妍长乐重行";

/// (code, 来源地) of real county-level regions, for valid ID numbers.
const REGIONS: [(&str, &str); 20] = [
    ("110105", "北京朝阳"),
    ("310104", "上海徐汇"),
    ("440106", "广州天河"),
    ("440305", "深圳南山"),
    ("330106", "杭州西湖"),
    ("320102", "南京玄武"),
    ("510107", "成都武侯"),
    ("420106", "武汉武昌"),
    ("610113", "西安雁塔"),
    ("500103", "重庆渝中"),
    ("370102", "济南历下"),
    ("410105", "郑州金水"),
    ("430104", "长沙岳麓"),
    ("350102", "福州鼓楼"),
    ("210102", "沈阳和平"),
    ("120101", "天津和平"),
    ("130102", "石家庄长安"),
    ("340104", "合肥蜀山"),
    ("360102", "南昌东湖"),
    ("530102", "昆明五华"),
];

const HEARD_VIA: [&str; 5] = ["朋友介绍", "网络", "电视广告", "路过", "老患者"];

struct Options {
    patients: u64,
    db: PathBuf,
    queries: usize,
    scan_queries: usize,
    /// `--server`: the PostgreSQL server to measure on as well.
    server: Option<String>,
    /// `--years`, `--per-day`, `--large`: the large file to build instead of measuring.
    history: Option<(u64, u64, PathBuf)>,
    /// `--complaints N`: the complaint list's figures instead.
    complaints: Option<u64>,
    /// `--followups N`: the follow-up list's and generation's figures instead.
    followups: Option<u64>,
    /// `--quality YEARS`: the quality dashboard's figures on YEARS of data instead.
    quality: Option<u64>,
    /// `--retention YEARS`: the removal of personal data past its period on the same file.
    retention: Option<u64>,
}

fn parse_options() -> Result<Option<Options>, String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        return Ok(None);
    }
    let value = |name: &str| -> Option<String> {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1).cloned())
    };
    let number = |name: &str, default: Option<u64>| -> Result<u64, String> {
        match value(name) {
            Some(v) => v
                .replace('_', "")
                .parse()
                .map_err(|_| format!("{name} needs a number, not {v}")),
            None => default.ok_or(format!("{name} is required")),
        }
    };
    for flag in ["--complaints", "--followups", "--quality", "--retention"] {
        if let Some(n) = value(flag) {
            let n: u64 = n
                .replace('_', "")
                .parse()
                .map_err(|_| format!("{flag} needs a number, not {n}"))?;
            return Ok(Some(Options {
                patients: 0,
                db: std::env::temp_dir(),
                queries: 0,
                scan_queries: 0,
                server: None,
                history: None,
                complaints: (flag == "--complaints").then_some(n),
                followups: (flag == "--followups").then_some(n),
                quality: (flag == "--quality").then_some(n),
                retention: (flag == "--retention").then_some(n),
            }));
        }
    }
    let patients = number("--patients", None)?;
    if patients == 0 {
        return Err("--patients must be at least 1".into());
    }
    let db = value("--db")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join(format!("frontdesk-bench-{patients}.db")));
    Ok(Some(Options {
        patients,
        queries: number("--queries", Some(2000))? as usize,
        scan_queries: number("--scan-queries", Some(50))? as usize,
        server: value("--server"),
        history: match number("--years", Some(0))? {
            0 => None,
            years => {
                let per_day = number("--per-day", None)?;
                let large = value("--large").map(PathBuf::from).unwrap_or_else(|| {
                    db.with_file_name(format!("frontdesk-bench-{patients}-{years}y-{per_day}.db"))
                });
                Some((years, per_day, large))
            }
        },
        db,
        complaints: None,
        followups: None,
        quality: None,
        retention: None,
    }))
}

fn main() -> ExitCode {
    let options = match parse_options() {
        Ok(Some(o)) => o,
        Ok(None) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("{e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("frontdesk-bench: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(o: &Options) -> Result<(), Box<dyn std::error::Error>> {
    let now = clock::now_ms();
    let today = NaiveDate::from_ymd_opt(2026, 3, 2).ok_or("date")?;
    if let Some(n) = o.complaints {
        return complaints::run(&o.db, n, today);
    }
    if let Some(n) = o.followups {
        return followups::run(&o.db, n, today);
    }
    if let Some(years) = o.quality {
        return quality::run(&o.db, years);
    }
    if let Some(years) = o.retention {
        return retention::run(&o.db, years);
    }
    if let Some(only) = std::env::var_os("FRONTDESK_BENCH_DESK_ONLY") {
        registration_commit_vs_bare_insert(&o.db)?;
        if only == "registration" {
            return Ok(());
        }
        return day_close(&o.db, 3_000);
    }
    prepare_fixture(&o.db, o.patients, now, today)?;
    if let Some((years, per_day, large)) = &o.history {
        return history::build(&o.db, large, *years, *per_day);
    }

    // Measured on a connection exactly as the app opens one.
    let conn = Conn::open(&o.db)?;
    let keys: i64 = conn.value("SELECT count(*) FROM patient_key", &[])?;
    let size = std::fs::metadata(&o.db)?.len();
    println!(
        "fixture: {} patients, {} search keys, {:.0} MiB at {}",
        o.patients,
        keys,
        size as f64 / 1_048_576.0,
        o.db.display()
    );
    let sets = query_sets(&conn, o.patients, o.queries)?;
    println!(
        "\nsearch as typed ({} queries per kind, limit {}), against a LIKE scan of name and phone ({} per kind)\n",
        o.queries,
        search::DEFAULT_LIMIT,
        o.scan_queries
    );
    println!(
        "{:<18} {:>9} {:>9} {:>9} {:>11} {:>11} {:>9} {:>9}",
        "query", "p50 ms", "p99 ms", "max ms", "scan p50", "scan p99", "×p50", "×p99"
    );
    let mut worst_p99 = 0.0_f64;
    let mut worst_ratio = f64::INFINITY;
    let mut last_four_suffix = None;
    for (kind, queries) in &sets {
        let mut times = time_searches(&conn, queries, today)?;
        let mut scan = time_scan(&conn, SCAN, &queries[..o.scan_queries.min(queries.len())])?;
        let (p50, p99, max) = (
            pct(&mut times, 50.0),
            pct(&mut times, 99.0),
            pct(&mut times, 100.0),
        );
        let (s50, s99) = (pct(&mut scan, 50.0), pct(&mut scan, 99.0));
        worst_p99 = worst_p99.max(p99);
        worst_ratio = worst_ratio.min(s50 / p50);
        println!(
            "{kind:<18} {p50:>9.3} {p99:>9.3} {max:>9.3} {s50:>11.1} {s99:>11.1} {:>9.0} {:>9.0}",
            s50 / p50,
            s99 / p99
        );
        if *kind == LAST_FOUR {
            // `%dddd%` is satisfied by any four digits anywhere in a number, so it stops after
            // a few thousand rows; the question the clerk asks is "ends with".
            let mut suffix = time_scan(
                &conn,
                SUFFIX_SCAN,
                &queries[..o.scan_queries.min(queries.len())],
            )?;
            last_four_suffix = Some((pct(&mut suffix, 50.0), pct(&mut suffix, 99.0), p50, p99));
        }
    }
    if let Some((s50, s99, p50, p99)) = last_four_suffix {
        println!(
            "{:<18} {p50:>9.3} {p99:>9.3} {:>9} {s50:>11.1} {s99:>11.1} {:>9.0} {:>9.0}   (against phone LIKE '%dddd': the same question)",
            "  last four, ends", "", s50 / p50, s99 / p99
        );
    }
    println!(
        "\ntarget: search p99 ≤ {TARGET_P99_MS} ms — worst kind {worst_p99:.3} ms: {}",
        if worst_p99 <= TARGET_P99_MS {
            "met"
        } else {
            "NOT MET"
        }
    );
    println!(
        "target: ≥ {TARGET_RATIO}× the scan (median against median) — worst kind {worst_ratio:.0}×: {}",
        if worst_ratio >= TARGET_RATIO { "met" } else { "NOT MET" }
    );
    println!("(the scan cannot find pinyin, ID numbers or cards at all: it reads every row and finds nothing)");

    registration_commit_vs_bare_insert(&o.db)?;
    day_close(&o.db, 3_000)?;
    if let Some(url) = &o.server {
        drop(conn);
        server::run(o, url, today)?;
    }
    Ok(())
}

// ---- registration ------------------------------------------------------------------------

static DESK_NOW: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);

fn desk_clock() -> i64 {
    DESK_NOW.load(std::sync::atomic::Ordering::SeqCst)
}

/// A desk on a fresh demo hospital beside `db`, at 09:00 today in the hospital's zone, the clerk
/// signed in with a shift open, and every slot today able to take `capacity`.
fn bench_desk(
    db: &Path,
    name: &str,
    capacity: i64,
) -> Result<(frontdesk_core::Desk, PathBuf), Box<dyn std::error::Error>> {
    let path = db.with_file_name(name);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let desk = desk_at(&Location::File(path.clone()), capacity)?;
    Ok((desk, path))
}

/// A desk on the demo hospital at `at` (a new file, or a new server database), at 09:00 today
/// in the hospital's zone, the clerk signed in with a shift open, every slot today able to take
/// `capacity`.
fn desk_at(
    at: &Location,
    capacity: i64,
) -> Result<frontdesk_core::Desk, Box<dyn std::error::Error>> {
    use chrono::TimeZone;
    let tz = chrono_tz::Asia::Shanghai;
    let today = clock::business_date(tz, clock::now_ms());
    let nine = tz
        .from_local_datetime(&today.and_hms_opt(9, 0, 0).ok_or("time")?)
        .earliest()
        .ok_or("time")?;
    DESK_NOW.store(nine.timestamp_millis(), std::sync::atomic::Ordering::SeqCst);
    let mut desk = frontdesk_core::Desk::open_demo_with_clock(at, desk_clock)?;
    desk.set_idle_seconds_override(Some(86_400));
    // A bench fixture, not a data path: roomy slots so every registration fits.
    store::bulk_load(&mut Conn::open(at)?, |tx| {
        tx.execute("UPDATE duty SET capacity = ?1", &[&capacity])
    })?;
    desk.login("clerk", "clerk1234")?;
    desk.shift_open(&[2, 0, 0, 0, 0, 0, 0, 0])?;
    Ok(desk)
}

fn register_one(
    desk: &mut frontdesk_core::Desk,
    patient: PatientId,
    department: i64,
) -> Result<(), Box<dyn std::error::Error>> {
    use frontdesk_core::registration::{Choice, PaymentInput, RegisterInput};
    let method = ["cash", "wechat", "alipay", "card"][(patient.0 % 4) as usize];
    desk.register(&RegisterInput {
        choice: Choice {
            patient_id: patient,
            department_id: Some(DepartmentId(department)),
            registration_type_id: Some(RegistrationTypeId(1 + patient.0 % 2)),
            session: Some("am".into()),
            ..Default::default()
        },
        payments: vec![PaymentInput {
            method: method.into(),
            amount: String::new(),
            tendered: if method == "cash" {
                "100".into()
            } else {
                String::new()
            },
        }],
        ..Default::default()
    })?;
    Ok(())
}

fn new_patients(
    desk: &mut frontdesk_core::Desk,
    n: i64,
) -> Result<Vec<PatientId>, Box<dyn std::error::Error>> {
    (0..n)
        .map(|i| {
            Ok(desk
                .patient_save(
                    &PatientInput {
                        name: format!("测试{}", ["甲", "乙", "丙", "丁", "戊"][(i % 5) as usize]),
                        sex: "F".into(),
                        phone: format!("139{:08}", i),
                        ..Default::default()
                    },
                    true,
                )?
                .id)
        })
        .collect()
}

/// A registration committed through the app's own path (`Desk::register`: role check, shift,
/// doctor and capacity, queue number, receipt, ledger, audit entries, `synchronous=FULL`) next
/// to a bare one-row insert committed on the same file with the same pragmas, taken in turns so
/// both see the same file, cache and checkpoints. Then, untimed, the pages each commit writes
/// to the WAL: what a durable commit of either one costs in I/O.
fn registration_commit_vs_bare_insert(db: &Path) -> Result<(), Box<dyn std::error::Error>> {
    const N: i64 = 1_000;
    const PAGES: i64 = 50;
    let (mut desk, path) = bench_desk(db, "frontdesk-bench-registration.db", 500)?;
    let patients = new_patients(&mut desk, N + PAGES + 1)?;
    let conn = Sqlite::baseline_connection(&path)?;
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS bench_bare (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)",
    )?;
    let mut reg = Vec::new();
    let mut bare = Vec::new();
    let mut rows = Vec::new();
    let mut floor_conn = Sqlite::baseline_connection(&path)?;
    // The slot is read from a registration: one more patient's, before any timing.
    register_one(&mut desk, patients[(N + PAGES) as usize], 1)?;
    let slot = plain_sql_slot(&conn)?;
    // The registration and its rows in plain SQL take turns at going first: both append to the
    // same tables, and whichever went first would always fill the last leaf of the log and pay
    // for the next page (and the file's growth) — with the log's eight entries a leaf, four
    // each, that was always the registration.
    for (i, p) in patients[..N as usize].iter().enumerate() {
        let registration = |desk: &mut frontdesk_core::Desk,
                            reg: &mut Vec<std::time::Duration>|
         -> Result<(), Box<dyn std::error::Error>> {
            let t = Instant::now();
            register_one(desk, *p, 1 + (i as i64 % 9))?;
            reg.push(t.elapsed());
            Ok(())
        };
        let plain = |floor_conn: &mut Connection,
                     rows: &mut Vec<std::time::Duration>|
         -> Result<(), Box<dyn std::error::Error>> {
            let t = Instant::now();
            same_rows_plain_sql(floor_conn, &slot, i as i64, *p)?;
            rows.push(t.elapsed());
            Ok(())
        };
        if i % 2 == 0 {
            registration(&mut desk, &mut reg)?;
            plain(&mut floor_conn, &mut rows)?;
        } else {
            plain(&mut floor_conn, &mut rows)?;
            registration(&mut desk, &mut reg)?;
        }
        let t = Instant::now();
        conn.execute("INSERT INTO bench_bare (v) VALUES (?1)", [i as i64])?;
        bare.push(t.elapsed());
    }
    // Pages per commit: empty the WAL, commit once, count its frames.
    let wal = PathBuf::from(format!("{}-wal", path.display()));
    let frames = |conn: &Connection| -> Result<u64, Box<dyn std::error::Error>> {
        let page: i64 = conn.query_row("PRAGMA page_size", [], |r| r.get(0))?;
        let page = page as u64;
        Ok(std::fs::metadata(&wal)?.len().saturating_sub(32) / (page + 24))
    };
    let (mut reg_pages, mut bare_pages, mut rows_pages) = (0, 0, 0);
    for (i, p) in patients[N as usize..(N + PAGES) as usize]
        .iter()
        .enumerate()
    {
        for first in [i % 2 == 0, i % 2 == 1] {
            empty_wal(&conn)?;
            if first {
                register_one(&mut desk, *p, 1 + (i as i64 % 9))?;
                reg_pages += frames(&conn)?;
            } else {
                same_rows_plain_sql(&mut floor_conn, &slot, N + i as i64, *p)?;
                rows_pages += frames(&conn)?;
            }
        }
        empty_wal(&conn)?;
        conn.execute("INSERT INTO bench_bare (v) VALUES (?1)", [i as i64])?;
        bare_pages += frames(&conn)?;
    }
    let (r50, r99, b50, b99) = (
        pct(&mut reg, 50.0),
        pct(&mut reg, 99.0),
        pct(&mut bare, 50.0),
        pct(&mut bare, 99.0),
    );
    println!(
        "
registration commit vs bare insert ({N} each, in turns, same file, same pragmas)"
    );
    println!(
        "{:<28} {:>9} {:>9} {:>14}",
        "", "p50 ms", "p99 ms", "pages/commit"
    );
    println!(
        "{:<28} {r50:>9.3} {r99:>9.3} {:>14.1}",
        "registration (Desk::register)",
        reg_pages as f64 / PAGES as f64
    );
    println!(
        "{:<28} {b50:>9.3} {b99:>9.3} {:>14.1}",
        "bare one-row insert",
        bare_pages as f64 / PAGES as f64
    );
    let (f50, f99) = (pct(&mut rows, 50.0), pct(&mut rows, 99.0));
    println!(
        "{:<28} {f50:>9.3} {f99:>9.3} {:>14.1}   ({:.2}× the bare insert)",
        "  its rows, plain SQL",
        rows_pages as f64 / PAGES as f64,
        f50 / b50
    );
    // The target of record: the registration against the plain SQL of its own rows (what it
    // must write anyway), and its p99; the bare one-row insert stays as the floor, for scale.
    let ratio = r50 / f50;
    println!(
        "target: a registration commit ≤ 1.3× the plain SQL of its own rows (median against median), p99 ≤ 2 ms — {ratio:.2}×, p99 {r99:.3} ms: {}",
        if ratio <= 1.3 && r99 <= 2.0 { "met" } else { "NOT MET" }
    );
    Ok(())
}

/// Checkpoints the whole WAL and starts it again (refuses if a reader held it back, which
/// would make the next count of frames wrong).
fn empty_wal(conn: &Connection) -> Result<(), Box<dyn std::error::Error>> {
    let busy: i64 = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
    if busy != 0 {
        return Err("the WAL could not be checkpointed: another connection is reading".into());
    }
    Ok(())
}

/// Where the plain-SQL rows go: the last duty of the schedule (two weeks ahead, never one the
/// desk registers to), the desk's shift and clerk. Read once, before any timing.
struct Slot {
    duty: i64,
    doctor: i64,
    department: i64,
    date: String,
    session: String,
    shift: i64,
    clerk: i64,
    at: i64,
}

fn plain_sql_slot(conn: &Connection) -> rusqlite::Result<Slot> {
    conn.query_row(
        "SELECT s.id, s.doctor_id, d.department_id, s.date, s.session, r.shift_id, r.clerk_id,
                r.created_at
         FROM duty s JOIN doctor d ON d.id = s.doctor_id, (SELECT * FROM registration LIMIT 1) r
         ORDER BY s.id DESC LIMIT 1",
        [],
        |r| {
            Ok(Slot {
                duty: r.get(0)?,
                doctor: r.get(1)?,
                department: r.get(2)?,
                date: r.get(3)?,
                session: r.get(4)?,
                shift: r.get(5)?,
                clerk: r.get(6)?,
                at: r.get(7)?,
            })
        },
    )
}

/// The rows one registration paid in one go adds or changes — registration, receipt, ledger
/// entry, the receipt series, the patient's last visit, and its four log entries at the sizes
/// the app writes them (registration 442 bytes, the patient before and after 200 + 209,
/// receipt 186, ledger 207) — written with plain SQL in one transaction: no checks, no
/// lookups, no hashing. The floor under any registration that keeps these rows and their
/// indexes. The rows are marked cancelled so they take no place in the desk's queues.
fn same_rows_plain_sql(
    conn: &mut Connection,
    slot: &Slot,
    i: i64,
    patient: PatientId,
) -> Result<(), Box<dyn std::error::Error>> {
    let patient = patient.0;
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    tx.prepare_cached(
        "INSERT INTO registration (patient_id, duty_id, doctor_id, department_id, date, session,
             queue_no, visit_kind, registration_type_id, fee_fen, due_fen, status, clerk_id,
             shift_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'first', 1, 1000, 1000, 'cancelled', ?8, ?9, ?10)",
    )?
    .execute(rusqlite::params![
        patient,
        slot.duty,
        slot.doctor,
        slot.department,
        slot.date,
        slot.session,
        1 + i,
        slot.clerk,
        slot.shift,
        slot.at
    ])?;
    let registration = tx.last_insert_rowid();
    tx.prepare_cached(
        "INSERT INTO receipt (desk, seq, number, registration_id, shift_id, clerk_id, amount_fen, issued_at)
         VALUES ('BENCH', ?1, 'BENCH-' || ?1, ?2, ?3, ?4, 1000, ?5)",
    )?
    .execute(rusqlite::params![i, registration, slot.shift, slot.clerk, slot.at])?;
    let receipt = tx.last_insert_rowid();
    tx.prepare_cached(
        "INSERT INTO ledger (at, shift_id, clerk_id, registration_id, receipt_id, kind, method, amount_fen)
         VALUES (?1, ?2, ?3, ?4, ?5, 'payment', 'wechat', 1000)",
    )?
    .execute(rusqlite::params![slot.at, slot.shift, slot.clerk, registration, receipt])?;
    tx.prepare_cached(
        "UPDATE series SET next = next + 1 WHERE rowid = (SELECT min(rowid) FROM series)",
    )?
    .execute([])?;
    // The registration's own instant would be no change (the registration just wrote it), and
    // SQLite writes no page for a row that does not change: a later instant, as a real visit.
    tx.prepare_cached("UPDATE patient SET last_visit_at = ?2 WHERE id = ?1")?
        .execute([patient, slot.at + 1 + i])?;
    let mut log = tx.prepare_cached(
        "INSERT INTO audit_log (at, actor_id, actor, action, entity, entity_id, before, after, prev_hash, hash)
         VALUES (?1, NULL, 'bench', 'bench.rows', 'bench', ?2, ?3, ?4, ?5, ?5)",
    )?;
    let hash = "0".repeat(64);
    for (before, after) in [(0, 442), (200, 209), (0, 186), (0, 207)] {
        log.execute(rusqlite::params![
            slot.at,
            i.to_string(),
            (before > 0).then(|| "x".repeat(before)),
            "x".repeat(after),
            hash
        ])?;
    }
    drop(log);
    tx.commit()?;
    Ok(())
}

/// 日结 for a day of `n` registrations: computing the close (expected per method, receipts
/// reconciled, unpaid check) and rendering the daily report PDF.
fn day_close(db: &Path, n: i64) -> Result<(), Box<dyn std::error::Error>> {
    use frontdesk_core::cash::{self, CloseInput};
    let (mut desk, _path) = bench_desk(db, "frontdesk-bench-close.db", 500)?;
    let patients = new_patients(&mut desk, n)?;
    for (i, p) in patients.iter().enumerate() {
        register_one(&mut desk, *p, 1 + (i as i64 % 9))?;
    }
    let now = desk_clock();
    let shift = frontdesk_core::registration::open_shift_of(desk.connection(), StaffId(1))?
        .ok_or("no shift")?;
    let mut compute = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let v = cash::view(desk.connection(), shift.id, &CloseInput::default(), now)?;
        compute.push(t.elapsed());
        assert_eq!(v.receipts.issued, n);
    }
    let date = clock::business_date(chrono_tz::Asia::Shanghai, now).to_string();
    // The first PDF of a run reads and parses the CJK font (once per process): timed apart.
    let t = Instant::now();
    frontdesk_core::report::daily_pdf(desk.connection(), &date, now, None)?;
    let first = t.elapsed().as_secs_f64() * 1000.0;
    let mut render = Vec::new();
    let mut bytes = 0;
    for _ in 0..10 {
        let t = Instant::now();
        bytes = frontdesk_core::report::daily_pdf(desk.connection(), &date, now, None)?.len();
        render.push(t.elapsed());
    }
    let (c50, c99, p50, p99) = (
        pct(&mut compute, 50.0),
        pct(&mut compute, 99.0),
        pct(&mut render, 50.0),
        pct(&mut render, 99.0),
    );
    println!(
        "
day close for one shift of {n} registrations"
    );
    println!("{:<28} {:>9} {:>9}", "", "p50 ms", "max ms");
    println!(
        "{:<28} {c50:>9.3} {c99:>9.3}   target ≤ 20 ms: {}",
        "compute the close",
        if c99 <= 20.0 { "met" } else { "NOT MET" }
    );
    println!(
        "{:<28} {p50:>9.3} {p99:>9.3}   target ≤ 100 ms: {} ({} KiB)",
        "render the report PDF",
        if p99 <= 100.0 { "met" } else { "NOT MET" },
        bytes / 1024
    );
    println!(
        "{:<28} {first:>9.3}             (once per run: reads and parses the font)",
        "  first render of the run"
    );
    Ok(())
}

// ---- measuring ---------------------------------------------------------------------------

/// The scan a search box without an index would run. Over the table itself (`NOT INDEXED`):
/// SQLite would otherwise read the last-four index of migration 0005 instead, which holds the
/// same columns in another order and finds a `%dddd%` match later (14 ms against 5 ms); the
/// table is the faster scan, so the baseline is the harder one to beat.
const SCAN: &str = "SELECT id, card_no, name, phone FROM patient NOT INDEXED
                    WHERE name LIKE '%' || ?1 || '%' OR phone LIKE '%' || ?1 || '%' LIMIT 20";
/// The scan for "the phone ends with these four digits".
const SUFFIX_SCAN: &str =
    "SELECT id, card_no, name, phone FROM patient NOT INDEXED WHERE phone LIKE '%' || ?1 LIMIT 20";
const LAST_FOUR: &str = "phone last four";

/// Each query searched as the desk searches, timed, after a warm-up of the pages a desk that
/// has been open a while would have cached.
fn time_searches(
    conn: &Conn,
    queries: &[String],
    today: NaiveDate,
) -> frontdesk_core::Result<Vec<Duration>> {
    for q in queries.iter().take(100) {
        search::search(conn, q, search::DEFAULT_LIMIT, today)?;
    }
    let mut times = Vec::with_capacity(queries.len());
    for q in queries {
        let t = Instant::now();
        let hits = search::search(conn, q, search::DEFAULT_LIMIT, today)?;
        times.push(t.elapsed());
        std::hint::black_box(hits);
    }
    Ok(times)
}

fn time_scan(conn: &Conn, sql: &str, queries: &[String]) -> frontdesk_core::Result<Vec<Duration>> {
    let mut times = Vec::with_capacity(queries.len());
    for q in queries {
        let t = Instant::now();
        let rows: Vec<(i64, String, String, Option<String>)> = conn.all(sql, &[q], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?;
        times.push(t.elapsed());
        std::hint::black_box(rows);
    }
    Ok(times)
}

/// The `p`th percentile in milliseconds (nearest rank).
fn pct(times: &mut [Duration], p: f64) -> f64 {
    if times.is_empty() {
        return f64::NAN;
    }
    times.sort();
    let rank = ((p / 100.0) * times.len() as f64).ceil() as usize;
    times[rank.clamp(1, times.len()) - 1].as_secs_f64() * 1000.0
}

type QuerySets = Vec<(&'static str, Vec<String>)>;

/// Queries of every kind, made from random patients of the fixture as a clerk would type them.
fn query_sets(conn: &Conn, patients: u64, n: usize) -> frontdesk_core::Result<QuerySets> {
    let mut rng = Rng(0x00c0_ffee);
    let kinds = [
        "card",
        "phone (whole)",
        LAST_FOUR,
        "name",
        "pinyin initials",
        "full pinyin",
        "ID number",
        "one letter",
    ];
    let mut sets: QuerySets = kinds.iter().map(|k| (*k, Vec::with_capacity(n))).collect();
    while sets.iter().any(|(_, v)| v.len() < n) {
        let id = 1 + rng.below(patients) as i64;
        let (card, name, phone, idn): (String, String, Option<String>, Option<String>) = conn.row(
            "SELECT card_no, name, phone, id_number FROM patient WHERE id = ?1",
            &[&id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
        let reading = search::readings(&name).into_iter().next();
        let mut add = |i: usize, q: Option<String>| {
            if let Some(q) = q {
                if sets[i].1.len() < n {
                    sets[i].1.push(q);
                }
            }
        };
        add(0, Some(card));
        add(1, phone.clone());
        add(2, phone.map(|p| p[p.len() - 4..].to_string()));
        add(3, Some(name));
        add(4, reading.as_ref().map(|r| r.initials.clone()));
        add(5, reading.as_ref().map(|r| r.full.clone()));
        add(6, idn);
        add(7, reading.map(|r| r.initials[..1].to_string()));
    }
    Ok(sets)
}

// ---- the fixture -------------------------------------------------------------------------

fn prepare_fixture(
    path: &Path,
    patients: u64,
    now: i64,
    today: NaiveDate,
) -> Result<(), Box<dyn std::error::Error>> {
    if path.exists() {
        let conn = Conn::open(path)?;
        let have: i64 = conn.value("SELECT count(*) FROM patient", &[])?;
        if have as u64 == patients {
            println!("reusing {} ({have} patients)", path.display());
            return Ok(());
        }
        return Err(format!(
            "{} already holds {have} patients, not {patients}: delete it, or pass --patients {have}",
            path.display()
        )
        .into());
    }
    let started = Instant::now();
    let mut conn = Conn::open(path)?;
    let mut rng = Rng(0x5eed);
    let total_weight: u64 = SURNAMES.iter().map(|(_, w)| w).sum();
    let given: Vec<char> = GIVEN.chars().collect();
    let mut ids_seen: HashSet<String> = HashSet::new();
    let batch = 100_000;
    let mut next_id = 1_i64;
    while (next_id as u64) <= patients {
        let end = (next_id as u64 + batch).min(patients + 1) as i64;
        store::bulk_load(&mut conn, |tx| {
            let mut keys: Vec<(String, i64)> = Vec::new();
            for id in next_id..end {
                let input = synthetic(&mut rng, total_weight, &given, &mut ids_seen, today);
                let p = patient::check(&input, today)?;
                let card = format!("{id:0width$}", width = patient::CARD_DIGITS);
                let last_visit = rng
                    .chance(70)
                    .then(|| now - rng.below(3 * 365 * 86_400_000) as i64);
                tx.execute(
                    "INSERT INTO patient (id, card_no, name, sex, birth_date, id_number, phone,
                                          address, origin, heard_via, created_at, last_visit_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                    &[
                        &id,
                        &card,
                        &p.name,
                        &p.sex,
                        &p.birth_date.map(|d| d.to_string()),
                        &p.id_number,
                        &p.phone,
                        &p.address,
                        &p.origin,
                        &p.heard_via,
                        &now,
                        &last_visit,
                    ],
                )?;
                for k in search::keys(&card, &p.name, p.phone.as_deref(), p.id_number.as_deref()) {
                    keys.push((k, id));
                }
            }
            keys.sort();
            for (k, id) in &keys {
                tx.execute(
                    "INSERT INTO patient_key (key, patient_id) VALUES (?1, ?2)",
                    &[k, id],
                )?;
            }
            tx.execute(
                "INSERT INTO series (name, next) VALUES (?1, ?2)
                 ON CONFLICT (name) DO UPDATE SET next = excluded.next",
                &[&patient::CARD_SERIES, &end],
            )?;
            Ok(())
        })?;
        eprint!(
            "\rbuilding: {} / {patients} patients ({:.0} s)",
            end - 1,
            started.elapsed().as_secs_f64()
        );
        next_id = end;
    }
    drop(conn);
    Sqlite::baseline_connection(path)?.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
    eprintln!();
    println!(
        "built {} with {patients} patients in {:.0} s (bulk path: no audit entries; a bench file, not a hospital's)",
        path.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn synthetic(
    rng: &mut Rng,
    total_weight: u64,
    given: &[char],
    ids_seen: &mut HashSet<String>,
    today: NaiveDate,
) -> PatientInput {
    let mut w = rng.below(total_weight);
    let mut surname = SURNAMES[0].0;
    for (s, weight) in SURNAMES {
        if w < weight {
            surname = s;
            break;
        }
        w -= weight;
    }
    let mut name = surname.to_string();
    for _ in 0..if rng.chance(70) { 2 } else { 1 } {
        name.push(*rng.pick(given));
    }
    let phone = rng.chance(95).then(|| {
        let second = 3 + rng.below(7);
        format!("1{second}{:09}", rng.below(1_000_000_000))
    });
    let sex_male = rng.chance(50);
    let (region, origin) = *rng.pick(&REGIONS);
    let id_number = loop {
        if !rng.chance(90) {
            break None;
        }
        let start = NaiveDate::from_ymd_opt(1940, 1, 1).unwrap_or(today);
        let birth = start + Days::days(rng.below(30_000) as i64);
        if birth > today {
            continue;
        }
        let seq = rng.below(500) * 2 + u64::from(sex_male);
        let first17 = format!("{region}{}{seq:03}", birth.format("%Y%m%d"));
        let check = patient::id_check_digit(&first17).unwrap_or('0');
        let id = format!("{first17}{check}");
        if ids_seen.insert(id.clone()) {
            break Some(id);
        }
    };
    PatientInput {
        name,
        sex: if sex_male { "M" } else { "F" }.to_string(),
        id_number: id_number.unwrap_or_default(),
        phone: phone.unwrap_or_default(),
        birth_date: String::new(),
        origin: origin.to_string(),
        heard_via: rng.pick(&HEARD_VIA).to_string(),
        ..PatientInput::default()
    }
}

// ---- the large file: years at the desk ---------------------------------------------------

/// The patients fixture plus years of a desk's days, for the cold start on a multi-GiB file.
///
/// Written through the app's own write path — `store::write`, `Tx::record` — so the audit chain
/// and every row's snapshot in it are real: one transaction a day holding the day's duty slots,
/// the shift opened with a ¥200 float, each registration as `Desk::register` writes it (the
/// registration, the patient's last visit, the receipt from the desk's series, the ledger
/// entry, in that order, each logged), each patient marked seen by the guide desk 15–75
/// minutes later, and the shift closed at 17:30 with every method counted exactly as expected.
/// What is synthetic: the patients (bulk-loaded without log entries, as in the fixture), who
/// comes when and for which doctor, one session per doctor a day, and a desk where nothing is
/// ever cancelled, changed, booked or short.
mod history {
    use std::cmp::Reverse;
    use std::collections::{BTreeMap, BinaryHeap};
    use std::path::Path;
    use std::time::Instant;

    use chrono::{Datelike, Duration as Days, NaiveDate, TimeZone};
    use frontdesk_core::audit::{self, Actor, Table};
    use frontdesk_core::ids::{PatientId, ShiftId, StaffId};
    use frontdesk_core::registration::shift::counts_json;
    use frontdesk_core::registration::DENOMINATIONS;
    use frontdesk_core::store::{self, sqlite::Sqlite, Conn, Counter, Tx};
    use frontdesk_core::{cash, clock, demo, patient};

    use super::Rng;

    type Res<T> = Result<T, Box<dyn std::error::Error>>;

    /// What every day draws on, read once.
    struct Hospital {
        tz: chrono_tz::Tz,
        clerk: StaffId,
        /// (id, department)
        doctors: Vec<(i64, i64)>,
        /// (id, fee in fen), 普通号 first
        types: Vec<(i64, i64)>,
        methods: Vec<String>,
        patients: u64,
        capacity: i64,
        per_day: u64,
    }

    pub fn build(patients_db: &Path, path: &Path, years: u64, per_day: u64) -> Res<()> {
        if path.exists() {
            let have: i64 = Conn::open(path)?.value("SELECT count(*) FROM registration", &[])?;
            if have == 0 {
                return Err(format!("{} holds no registrations: delete it", path.display()).into());
            }
            println!(
                "reusing {} ({have} registrations, {:.2} GiB)",
                path.display(),
                gib(path)?
            );
            return Ok(());
        }
        let started = Instant::now();
        let partial = path.with_extension("db.partial");
        let _ = std::fs::remove_file(&partial);
        Conn::open(patients_db)?.backup_into(&partial)?;
        let mut conn = Conn::open(&partial)?;
        let now = clock::now_ms();
        let tz = chrono_tz::Asia::Shanghai;
        let today = clock::business_date(tz, now);
        demo::create_hospital(&mut conn, today, now)?;
        let (clerk, name): (StaffId, String) = conn.row(
            "SELECT id, display_name FROM staff WHERE username = 'clerk'",
            &[],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let doctors: Vec<(i64, i64)> = conn.all(
            "SELECT id, department_id FROM doctor WHERE active = 1 ORDER BY id",
            &[],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let h = Hospital {
            tz,
            clerk,
            // Room for twice the average, so a random choice of doctor seldom finds a slot full.
            capacity: ((2 * per_day).div_ceil(doctors.len().max(1) as u64) as i64 * 2).clamp(30, 500),
            doctors,
            types: conn.all(
                "SELECT id, fee_fen FROM registration_type WHERE active = 1 ORDER BY fee_fen > 1000, id",
                &[],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?,
            methods: conn.all(
                "SELECT code FROM payment_method WHERE active = 1 ORDER BY id",
                &[],
                |r| Ok(r.get(0)?),
            )?,
            patients: conn.value::<i64>("SELECT max(id) FROM patient", &[])? as u64,
            per_day,
        };
        // As the desk names its clerk in the log (Desk::actor).
        let actor = Actor {
            id: Some(clerk),
            name: format!("{name} (clerk)"),
        };
        let mut rng = Rng(0x000d_a7e5);
        let first = today - Days::days(years as i64 * 365);
        let mut day = first;
        while day < today {
            store::write(&mut conn, &actor, 0, |tx| one_day(tx, &h, day, &mut rng))?;
            day += Days::days(1);
            if (day - first).num_days() % 30 == 0 {
                eprint!(
                    "\rbuilding: {} of {} days ({:.0} s)",
                    (day - first).num_days(),
                    (today - first).num_days(),
                    started.elapsed().as_secs_f64()
                );
            }
        }
        let registrations: i64 = conn.value("SELECT count(*) FROM registration", &[])?;
        let entries: i64 = conn.value("SELECT count(*) FROM audit_log", &[])?;
        drop(conn);
        Sqlite::baseline_connection(&partial)?.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        std::fs::rename(&partial, path)?;
        eprintln!();
        println!(
            "built {}: {registrations} registrations over {} days, {entries} log entries, {:.2} GiB, in {:.0} s",
            path.display(),
            (today - first).num_days(),
            gib(path)?,
            started.elapsed().as_secs_f64()
        );
        Ok(())
    }

    fn gib(path: &Path) -> Res<f64> {
        Ok(std::fs::metadata(path)?.len() as f64 / (1u64 << 30) as f64)
    }

    /// One closed day at the desk, 08:00–17:30 in the hospital's zone.
    fn one_day(
        tx: &mut Tx,
        h: &Hospital,
        day: NaiveDate,
        rng: &mut Rng,
    ) -> frontdesk_core::Result<()> {
        let at = |hour: u32, min: u32| -> i64 {
            day.and_hms_opt(hour, min, 0)
                .and_then(|t| h.tz.from_local_datetime(&t).earliest())
                .map_or(0, |t| t.timestamp_millis())
        };
        let date = day.to_string();
        // The day's slots: each doctor one session, mornings and afternoons in turn.
        tx.now = at(7, 30);
        let mut slots = Vec::with_capacity(h.doctors.len());
        for (i, (doctor, department)) in h.doctors.iter().enumerate() {
            let session = if (i + day.ordinal() as usize).is_multiple_of(2) {
                "am"
            } else {
                "pm"
            };
            let id: i64 = tx.insert(
                "INSERT INTO duty (date, session, doctor_id, capacity) VALUES (?1, ?2, ?3, ?4) RETURNING id",
                &[&date, &session, doctor, &h.capacity],
            )?;
            tx.record("duty.create", Table::Duty, id, None)?;
            slots.push((id, *doctor, *department, session, 0_i64));
        }
        tx.now = at(8, 0);
        let float = [2, 0, 0, 0, 0, 0, 0, 0];
        let shift: i64 = tx.insert(
            "INSERT INTO shift (clerk_id, desk, opened_at, float_fen, float_counts)
             VALUES (?1, '01', ?2, 20000, ?3) RETURNING id",
            &[&h.clerk, &tx.now, &counts_json(&float)],
        )?;
        tx.record("shift.open", Table::Shift, shift, None)?;

        let span = (9 * 3_600_000 / h.per_day.max(1) as i64).max(1);
        let noon = at(12, 0);
        let mut to_see = BinaryHeap::new();
        for i in 0..h.per_day as i64 {
            let now = at(8, 0) + i * span + rng.below(span as u64) as i64;
            while let Some(Reverse((when, reg))) = to_see.peek().copied() {
                if when > now {
                    break;
                }
                to_see.pop();
                seen(tx, reg, when)?;
            }
            tx.now = now;
            let session = if now < noon { "am" } else { "pm" };
            // A doctor of the session chosen at random; a full slot gives way to the emptiest.
            let mine: Vec<usize> = (0..slots.len())
                .filter(|&k| slots[k].3 == session)
                .collect();
            let mut k = mine[rng.below(mine.len() as u64) as usize];
            if slots[k].4 >= h.capacity {
                k = *mine.iter().min_by_key(|&&k| slots[k].4).unwrap_or(&k);
            }
            slots[k].4 += 1;
            let (duty, doctor, department, _, queue_no) = slots[k];
            let patient = 1 + rng.below(h.patients) as i64;
            let (kind, fee) = if rng.chance(75) {
                h.types[0]
            } else {
                *rng.pick(&h.types)
            };
            let visit = if rng.chance(55) { "return" } else { "first" };
            let reg: i64 = tx.insert(
                "INSERT INTO registration (patient_id, duty_id, doctor_id, department_id, date, session,
                     queue_no, visit_kind, registration_type_id, fee_fen, due_fen, status, clerk_id,
                     shift_id, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, 'waiting', ?11, ?12, ?13)
                 RETURNING id",
                &[
                    &patient, &duty, &doctor, &department, &date, &session, &queue_no, &visit, &kind,
                    &fee, &h.clerk, &shift, &now,
                ],
            )?;
            tx.record("registration.create", Table::Registration, reg, None)?;
            patient::mark_visit(tx, PatientId(patient))?;
            let seq = tx.next_number(Counter::Series("receipt:01"))?;
            let receipt: i64 = tx.insert(
                "INSERT INTO receipt (desk, seq, number, registration_id, shift_id, clerk_id, amount_fen, issued_at)
                 VALUES ('01', ?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
                &[&seq, &format!("01-{seq:08}"), &reg, &shift, &h.clerk, &fee, &now],
            )?;
            tx.record("receipt.issue", Table::Receipt, receipt, None)?;
            // Cash a third of the time, tendered in ¥100 notes.
            let method = if rng.chance(33) {
                "cash"
            } else {
                rng.pick(&h.methods).as_str()
            };
            let tendered = (method == "cash").then(|| (fee + 9_999) / 10_000 * 10_000);
            let change = tendered.map(|t| t - fee);
            let ledger: i64 = tx.insert(
                "INSERT INTO ledger (at, shift_id, clerk_id, registration_id, receipt_id, kind, method,
                     amount_fen, tendered_fen, change_fen)
                 VALUES (?1, ?2, ?3, ?4, ?5, 'payment', ?6, ?7, ?8, ?9) RETURNING id",
                &[&now, &shift, &h.clerk, &reg, &receipt, &method, &fee, &tendered, &change],
            )?;
            tx.record("ledger.payment", Table::Ledger, ledger, None)?;
            to_see.push(Reverse((now + 900_000 + rng.below(3_600_000) as i64, reg)));
        }
        while let Some(Reverse((when, reg))) = to_see.pop() {
            seen(tx, reg, when)?;
        }
        close(tx, h, ShiftId(shift), at(17, 30))
    }

    /// 导诊台 marks a patient seen (guide::mark_seen's row and entry).
    fn seen(tx: &mut Tx, reg: i64, when: i64) -> frontdesk_core::Result<()> {
        tx.now = when;
        let before = audit::snapshot(tx, Table::Registration, reg)?;
        tx.execute(
            "UPDATE registration SET status = 'seen', seen_at = ?2 WHERE id = ?1",
            &[&reg, &when],
        )?;
        tx.record("registration.seen", Table::Registration, reg, before)
    }

    /// 日结 with every method counted as expected (cash::close's rows and entries).
    fn close(tx: &mut Tx, h: &Hospital, shift: ShiftId, when: i64) -> frontdesk_core::Result<()> {
        tx.now = when;
        let mut cash_fen = 0;
        for line in cash::expected(tx, shift)? {
            let id: i64 = tx.insert(
                "INSERT INTO shift_count (shift_id, method, expected_fen, counted_fen)
                 VALUES (?1, ?2, ?3, ?3) RETURNING id",
                &[&shift, &line.method, &line.expected_fen],
            )?;
            tx.record("shift.count", Table::ShiftCount, id, None)?;
            if line.method == "cash" {
                cash_fen = line.expected_fen.0;
            }
        }
        // The drawer by denomination, largest first.
        let mut left = cash_fen;
        let counts: Vec<i64> = DENOMINATIONS
            .iter()
            .map(|(fen, _)| {
                let n = left / fen;
                left -= n * fen;
                n
            })
            .collect();
        let numbers: BTreeMap<&str, String> = [("first", "min"), ("last", "max")]
            .into_iter()
            .map(|(k, f)| {
                let sql = format!("SELECT {f}(number) FROM receipt WHERE shift_id = ?1");
                Ok((k, tx.value(&sql, &[&shift])?))
            })
            .collect::<frontdesk_core::Result<_>>()?;
        let id: i64 = tx.insert(
            "INSERT INTO shift_close (shift_id, closed_at, cash_counts, explanation, approved_by, receipt_first,
                 receipt_last, receipts_issued, receipts_voided, reprints, receipt_gaps, float_fen, handover_fen,
                 handed_by, received_by, handed_at)
             VALUES (?1, ?2, ?3, '', NULL, ?4, ?5, ?6, 0, 0, '', 20000, ?7, ?8, '财务科', ?2)
             RETURNING id",
            &[
                &shift,
                &when,
                &counts_json(&counts),
                &numbers["first"],
                &numbers["last"],
                &(h.per_day as i64),
                &(cash_fen - 20_000),
                &h.clerk,
            ],
        )?;
        tx.record("shift.close", Table::ShiftClose, id, None)?;
        let before = audit::snapshot(tx, Table::Shift, shift.0)?;
        tx.execute(
            "UPDATE shift SET closed_at = ?2 WHERE id = ?1",
            &[&shift, &when],
        )?;
        tx.record("shift.closed", Table::Shift, shift, before)
    }
}
