//! `frontdesk-admin`: the administrator's command line. It works on the same data file as the
//! app (`--db PATH`, else `FRONTDESK_DB`, else the app's default) and needs no desktop.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use frontdesk_core::audit::{self, Actor};
use frontdesk_core::{backup, clock, db, demo, paths, reference, Desk, Error, Lang};

const USAGE: &str = "\
frontdesk-admin — Frontdesk administration

Usage: frontdesk-admin [--db PATH] <command> [options]

Commands:
  init                 create the data file (with the demo hospital) if it does not exist
  demo --days N        add demo activity: a duty schedule covering the next N days (1–62)
  backup --to DIR      write an online backup of the data file into DIR
  restore FILE         verify FILE, then make it the data file (the current data is kept
                       as frontdesk-before-restore-….db in the backup folder)
  verify               check the file's integrity, the audit chain and every audited row;
                       exit status 1 names the first entry that does not match

Options:
  --db PATH            the data file (default: $FRONTDESK_DB, else the app's data folder)
  -h, --help           this help; `frontdesk-admin <command> --help` for one command
";

fn help(command: &str) -> &'static str {
    match command {
        "init" => "Usage: frontdesk-admin [--db PATH] init\n\nCreates the data file with the demo hospital (departments, doctors, a two-week\nschedule, fees, one account per role) if it does not exist yet, and runs migrations\non an existing one. Prints the file's path.\n",
        "demo" => "Usage: frontdesk-admin [--db PATH] demo --days N\n\nAdds demo activity through the same functions the app's screens use: a duty schedule\ncovering the next N days (1–62) from today.\n",
        "backup" => "Usage: frontdesk-admin [--db PATH] backup --to DIR\n\nWrites an online backup (SQLite's backup API; the app may keep running) into DIR as\nfrontdesk-YYYYMMDD-HHMMSS.db and prints its path.\n",
        "restore" => "Usage: frontdesk-admin [--db PATH] restore FILE\n\nVerifies FILE (integrity, audit chain, every row) and, only if it passes, replaces the\ndata with it. The data it replaces is first saved as frontdesk-before-restore-….db in\nthe backup folder. Close the app at the desk first.\n",
        "verify" => "Usage: frontdesk-admin [--db PATH] verify\n\nChecks the data file without writing to it: SQLite's integrity check, the audit log's\nhash chain, and that every audited row equals the last audit entry that wrote it.\nExit status 0 when all agree, 1 with the problems listed, the first entry that does\nnot match named.\n",
        _ => USAGE,
    }
}

fn lang() -> Lang {
    let l = std::env::var("FRONTDESK_LANG")
        .or_else(|_| std::env::var("LANG"))
        .unwrap_or_default();
    if l.starts_with("en") {
        Lang::En
    } else {
        Lang::Zh
    }
}

struct Args {
    db: Option<PathBuf>,
    command: String,
    rest: Vec<String>,
    help: bool,
}

fn parse(args: Vec<String>) -> Result<Args, String> {
    let mut db = None;
    let mut command = String::new();
    let mut rest = Vec::new();
    let mut help = false;
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--db" => db = Some(PathBuf::from(it.next().ok_or("--db needs a PATH")?)),
            "-h" | "--help" => help = true,
            _ if command.is_empty() && !a.starts_with('-') => command = a,
            _ => rest.push(a),
        }
    }
    Ok(Args {
        db,
        command,
        rest,
        help,
    })
}

fn option(rest: &[String], name: &str) -> Option<String> {
    rest.iter()
        .position(|a| a == name)
        .and_then(|i| rest.get(i + 1).cloned())
}

fn main() -> ExitCode {
    let args = match parse(std::env::args().skip(1).collect()) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    if args.help || args.command.is_empty() {
        print!("{}", help(&args.command));
        return if args.help {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(2)
        };
    }
    let path = paths::resolve_db_path(args.db.clone());
    match run(&args, &path) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{}", e.message(lang()));
            eprintln!("({e})");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args, path: &Path) -> Result<ExitCode, Error> {
    let now = clock::now_ms();
    match args.command.as_str() {
        "init" => {
            Desk::open(path)?;
            println!("{}", path.display());
        }
        "demo" => {
            let days = option(&args.rest, "--days")
                .ok_or(Error::invalid("days", frontdesk_core::Problem::Required))?;
            let days: i64 = days
                .parse()
                .map_err(|_| Error::invalid("days", frontdesk_core::Problem::BadFormat))?;
            let desk = Desk::open(path)?;
            drop(desk);
            let mut conn = db::open(path)?;
            let tz = reference::get_hospital(&conn)?.tz();
            let slots = demo::add_activity(&mut conn, clock::business_date(tz, now), days, now)?;
            println!("schedule: {slots} duty slots over the next {days} days");
        }
        "backup" => {
            let dir = option(&args.rest, "--to").ok_or(Error::invalid(
                "backup_dir",
                frontdesk_core::Problem::Required,
            ))?;
            existing(path)?;
            let mut conn = db::open(path)?;
            let file = backup::backup_to(
                &mut conn,
                Path::new(&dir),
                &Actor::system("frontdesk-admin backup"),
                now,
            )?;
            println!("{}", file.display());
        }
        "restore" => {
            let file = args
                .rest
                .iter()
                .find(|a| !a.starts_with('-'))
                .ok_or(Error::invalid("file", frontdesk_core::Problem::Required))?;
            existing(path)?;
            let mut conn = db::open(path)?;
            let safety = backup::restore(
                &mut conn,
                Path::new(file),
                &Actor::system("frontdesk-admin restore"),
                now,
            )?;
            db::upgrade(&mut conn)?;
            println!("restored {file} into {}", path.display());
            println!("previous data saved as {}", safety.display());
        }
        "verify" => {
            existing(path)?;
            let conn = db::open_read_only(path)?;
            let report = audit::verify(&conn)?;
            println!(
                "integrity: {}\naudit entries: {}\nrows checked: {}",
                report.integrity, report.entries, report.rows_checked
            );
            if report.ok() {
                println!("OK");
            } else {
                if let Some(id) = report.first_bad_entry {
                    println!("first entry that does not match: #{id}");
                }
                for p in &report.problems {
                    println!("PROBLEM: {p}");
                }
                return Ok(ExitCode::FAILURE);
            }
        }
        other => {
            eprintln!("unknown command: {other}\n\n{USAGE}");
            return Ok(ExitCode::from(2));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn existing(path: &Path) -> Result<(), Error> {
    if path.is_file() {
        Ok(())
    } else {
        Err(Error::Io(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!(
                "{} does not exist (run `frontdesk-admin init` first)",
                path.display()
            ),
        )))
    }
}
