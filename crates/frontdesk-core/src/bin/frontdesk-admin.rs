//! `frontdesk-admin`: the administrator's command line. It works on the same data file as the
//! app (`--db PATH` or a server's `postgres://` URL, else `FRONTDESK_DB`, else the app's
//! default) and needs no desktop.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use frontdesk_core::audit::{self, Actor};
use frontdesk_core::{
    backup, clock, demo, import, paths, print, search, store,
    store::{Conn, Location},
    Desk, Error, Lang, Problem,
};

const USAGE: &str = "\
frontdesk-admin — Frontdesk administration

Usage: frontdesk-admin [--db PATH|URL] <command> [options]

Commands:
  init --hospital NAME --admin USER [--admin-name NAME] [--time-zone ZONE]
       [--receipt TEXT] [--password-stdin]
                       初始设置: a new hospital and its administrator, nothing else (asked
                       for on a terminal when left out); migrate an existing data file
  init --demo          a new data file (or server schema) with the demo hospital
  demo --days N [--until YYYY-MM-DD]
                       add N days (1–62) of desk activity up to now (or ending on an
                       earlier day), through the app's own functions, and a duty schedule
                       for the next N days
  backup --to DIR      write an online backup of the data file into DIR
  restore FILE         verify FILE, then make it the data file (the current data is kept
                       as frontdesk-before-restore-….db in the backup folder)
  verify               check the file's integrity, the audit chain and every audited row;
                       exit status 1 names the first entry that does not match
  import patients FILE.csv
                       import patients from a CSV file (UTF-8 or GBK, headers in English
                       or Chinese); prints how many were imported, already present and
                       rejected, with each rejected row
  import discharges FILE.csv
                       import discharged inpatients from the HIS's CSV (姓名, 身份证号 or
                       就诊卡号, 电话, 科室, 入院日期, 出院日期, 主治医生, 诊断): each put on
                       the follow-up list; a second run adds nothing
  patients search QUERY [--json]
                       search patients as the registration desk does (card, phone, last
                       four digits, name, pinyin, ID number)
  report daily --date YYYY-MM-DD --out FILE.pdf
                       write the day's 日结报表 (per cashier and the whole desk) as A4 PDF
  quality register --kind checks|surveys|logs --from DATE --to DATE --out FILE.{xlsx,csv}
                       write 质量检查记录本, 满意度问卷 or 交班记录 for the period
  retention show       each quality record's retention period, the records past it and
                       what still holds personal data
  retention anonymise  remove the personal data of every record past its period (and of
                       patients with nothing left within one); audited
  report monthly --month YYYY-MM --out FILE.pdf
                       write the month's 质量月报 (targets, trend charts, complaints,
                       follow-up, surveys, checks) as A4 PDF
  complaints register --from YYYY-MM-DD --to YYYY-MM-DD --out FILE.{pdf,xlsx}
                       [--unmasked --reason TEXT]
                       write the 投诉登记本 of a period (complainants masked unless
                       --unmasked, which needs a reason and is audited)
  followups register --from YYYY-MM-DD --to YYYY-MM-DD --out FILE.{pdf,xlsx}
                       [--unmasked --reason TEXT]
                       write the 回访登记本 of a period (patients masked unless --unmasked,
                       which needs a reason and is audited), with the period's rates
  calendar import FILE.csv
                       enter holidays and make-up working days (调休补班) from a CSV of
                       date,休/班,name; the deadlines of open complaints move with it
  printer set --desk CODE [--receipt NAME] [--report NAME]
                       set a desk PC's receipt (80 mm) and A4 report printers, as CUPS
                       names them on that PC; a name left out is cleared
  printer list         every desk's printers, and the printers this PC has
  grant-desk ROLE      (shared server, as the database's owner) give the login role ROLE
                       the desks' rights: no schema changes, no rewriting of history
  migrate-to URL       copy every table of this store into a new, empty database (a
                       server's, or a new file); refuses a target that holds data

Options:
  --db PATH|URL        the data file, or a PostgreSQL server's database as
                       postgres://user[:password]@host[:port]/dbname[?sslmode=require]
                       (default: $FRONTDESK_DB, else the app's data folder)
  -h, --help           this help; `frontdesk-admin <command> --help` for one command
  -V, --version        the program's version and the data schema it writes
";

fn help(command: &str) -> &'static str {
    match command {
        "init" => "Usage: frontdesk-admin [--db PATH|URL] init --hospital NAME --admin USER [--admin-name NAME]\n                 [--time-zone ZONE] [--receipt TEXT] [--password-stdin]\n       frontdesk-admin [--db PATH|URL] init --demo\n\n初始设置 of a new data file (or a server's empty database), as the app's first start asks\nfor it: the hospital's name, its time zone (default Asia/Shanghai), the receipt's title\n(default: the name and 门诊挂号收据), and its administrator's username and password\n(typed twice on a terminal, without echo; with --password-stdin, one line read from\nstandard input). Anything left out is asked for on a terminal. No other account, no\ndepartment and no demo data are made: the administrator adds them in the app.\n\nWith --demo, the demo hospital instead (departments, doctors, a two-week schedule, fees,\none account per role, passwords in README). On a data file already set up, init only\nruns migrations. Prints the file's path.\n",
        "demo" => "Usage: frontdesk-admin [--db PATH|URL] demo --days N [--until YYYY-MM-DD]\n\nAdds the last N days (1–62) of desk activity, up to the present hour, through the same\nfunctions the app's screens use: new and returning patients, triage by complaint,\nregistrations paid in cash or by WeChat, Alipay, card or insurance, a few 退号 and 换号,\npatients marked seen; and a duty schedule for the next N days. Signs in as the demo\nclerk (its demo password must be unchanged). Each day's shift is closed at 17:35 but\nthe last day's, which is left open. With --until the N days end on that date (not after\ntoday): an earlier date leaves a shift open from that day, as a clerk who forgot to\nclose would, for practising 班次未结; a new data file becomes a hospital opened on the\nfirst of those days.\n",
        "backup" => "Usage: frontdesk-admin [--db PATH|URL] backup --to DIR\n\nWrites an online backup (SQLite's backup API; the app may keep running) into DIR as\nfrontdesk-YYYYMMDD-HHMMSS.db and prints its path. On a shared server it writes every\ntable, read from one snapshot, into such a SQLite file (which verify checks and the app\nopens): a portable copy, not a substitute for the server's own pg_dump or base backups.\n",
        "grant-desk" => "Usage: frontdesk-admin --db postgres://OWNER@host/db grant-desk ROLE\n\nRun as the database's owner after init. Gives the login role ROLE what a desk needs —\nread and write the day's work — and nothing more: no CREATE, no ALTER, no UPDATE or\nDELETE or TRUNCATE on the ledger, the audit log, reprints and closes, no DELETE of\nshifts and receipts. Later migrations grant it their tables too. The desks then use\npostgres://ROLE@host/db.\n",
        "migrate-to" => "Usage: frontdesk-admin --db FILE migrate-to postgres://OWNER@host/db\n\nCopies every table of the store (every row, ids and the audit log as they are) into a new\ndatabase, creating its schema first, in one transaction: the audit chain verifies on the\ncopy, which is checked before this ends. The target must hold no data; one that does is\nrefused and left as it was. Close the app at every desk first.\n",
        "restore" => "Usage: frontdesk-admin [--db PATH|URL] restore FILE\n\nVerifies FILE (integrity, audit chain, every row) and, only if it passes, replaces the\ndata with it. The data it replaces is first saved as frontdesk-before-restore-….db in\nthe backup folder. Close the app at the desk first.\n",
        "verify" => "Usage: frontdesk-admin [--db PATH|URL] verify\n\nChecks the data file without writing to it: SQLite's integrity check, the audit log's\nhash chain, and that every audited row equals the last audit entry that wrote it.\nExit status 0 when all agree, 1 with the problems listed, the first entry that does\nnot match named.\n",
        "import" => "Usage: frontdesk-admin [--db PATH|URL] import patients FILE.csv\n\nImports patients from a CSV file, UTF-8 (with or without BOM) or GBK. The first row\nnames the columns, in English or Chinese:\n  name/姓名 (required), sex/性别 (男/女/M/F), birth_date/出生日期\n  (1990-03-07, 1990/3/7 or 19900307), id_number/身份证号, phone/电话, address/地址,\n  origin/来源地, heard_via/获知途径, card_no/就诊卡号\nA file with an unknown column, or without a name column, is refused and nothing is\nimported. Each row is checked like the registration form; a row matching a patient\nalready on file (ID number, card number, name + phone, name + birth date) is skipped,\nso running the same file again adds nobody. Card numbers in the file are kept; rows\nwithout one get the next card number. Prints the counts, then one line per rejected\nrow (row number as in the file, the header being row 1). Exit status 0 when no row was\nrejected, 1 otherwise or when the file was refused.\n\n       frontdesk-admin [--db PATH|URL] import discharges FILE.csv\n\nImports discharged inpatients from the HIS's CSV export, UTF-8 or GBK, columns by their\nheader in English or Chinese: name/姓名 and discharged_on/出院日期 (required),\nid_number/身份证号, card_no/就诊卡号, phone/电话, department/科室, admitted_on/入院日期,\ndoctor/主治医生, diagnosis/诊断, sex/性别. Each row is matched to a patient on file (ID\nnumber, card number, name + phone) or makes a new one, and its discharge goes on the\nfollow-up list, due the configured days after. A rejected row is reported and writes\nnothing; a discharge already on file is counted as present, so a second run adds nothing.\n",
        "report" => "Usage: frontdesk-admin [--db PATH|URL] report daily --date YYYY-MM-DD --out FILE.pdf\n       frontdesk-admin [--db PATH|URL] report monthly --month YYYY-MM --out FILE.pdf\n\nmonthly writes the quality monthly report (质量月报) as an A4 PDF: the ten targets with\ntheir figures, status and twelve months of trend charts; complaints by category and\ndepartment; follow-up reach; the surveys item by item; spot-checks; how each figure is\ncomputed.\n\ndaily writes the daily report (日结报表) of a business date as an A4 PDF: for each cashier's\nshift opened that day and for the whole desk, registrations by type and department,\n退号 and 换号, totals per method with expected, counted and difference, the\nexplanations, the receipt series, the cash handed to finance, and signature lines.\nShifts still open are marked. daily reads the data file without changing it.\n",
        "patients" => "Usage: frontdesk-admin [--db PATH|URL] patients search QUERY [--json]\n\nSearches the patient index exactly as the registration desk does: card number, phone\n(whole, beginning or last four digits), name, pinyin initials (zs) or full pinyin,\nID number. Prints at most 20 patients, best first, phone and ID number masked;\n--json prints them as the app receives them.\n",
        "complaints" => "Usage: frontdesk-admin [--db PATH|URL] complaints register --from YYYY-MM-DD --to YYYY-MM-DD --out FILE.pdf|FILE.xlsx [--unmasked --reason TEXT]\n\nWrites the complaint register (投诉登记本) of the cases received in the period, with the\nperiod's figures (complaint-handling satisfaction against its 98 % target, counts by\ncategory, department and channel, per staff member and month): as an A4 PDF or an xlsx\nworkbook, chosen by the file's extension. The complainant's name and phone are masked\n(张*三, 138****1234) unless --unmasked is given with a --reason; either way the export is\nrecorded in the audit log, with the reason. An unmasked register also lists 处罚直接责任者.\n",
        "quality" => "Usage: frontdesk-admin [--db PATH|URL] quality register --kind checks|surveys|logs --from YYYY-MM-DD --to YYYY-MM-DD --out FILE.xlsx|FILE.csv\n\nWrites a quality register for the period as an xlsx workbook or a CSV file (UTF-8 with a\nBOM), chosen by the file's extension: checks is 质量检查记录本 (the inspection plan's checks\nand the follow-up spot-checks), surveys 满意度问卷 (every answer of every form, a row each\nunder its item code), logs 交班记录 (the guide desk's handovers and work log). None holds a\npatient's name, phone or ID number; the export is recorded in the audit log.\n",
        "retention" => "Usage: frontdesk-admin [--db PATH|URL] retention show\n       frontdesk-admin [--db PATH|URL] retention anonymise\n\nshow prints each quality record's retention period (回访登记本 2 years, 投诉登记本 3,\n质量检查记录本 2, 满意度问卷 2 unless lengthened), how many records are past it, how many of\nthose still hold a name, phone or ID number, and what anonymise would change.\n\nanonymise removes that personal data: a complaint closed before its period's cutoff loses\nthe complainant's name (已匿名) and contact, a follow-up closed before its cutoff the numbers\ndialled, and a patient they name, with nothing of theirs within a period and no visit\nsince the longer cutoff, their name, phone, ID number and address. The records and every\nfigure stay; the change and the redaction of the audit log's earlier copies are recorded\nin the log, whose chain still verifies. On a shared server run it as the database's owner.\n",
        "followups" => "Usage: frontdesk-admin [--db PATH|URL] followups register --from YYYY-MM-DD --to YYYY-MM-DD --out FILE.pdf|FILE.xlsx [--unmasked --reason TEXT]\n\nWrites the follow-up register (回访登记本) of the calls made in the period: each follow-up\ncalled, its outcome and attempts, satisfaction per aspect, the patient's words, concerns\nand their answers, the calls it led to and any spot-check; with the period's rates against\ntheir targets (outpatient ≥ 60 % of first-visit patients, inpatient ≥ 95 % of discharges).\nAn A4 PDF or an xlsx workbook, chosen by the file's extension. Patients' names and phones\nare masked unless --unmasked is given with a --reason; either way the export is recorded\nin the audit log.\n",
        "calendar" => "Usage: frontdesk-admin [--db PATH|URL] calendar import FILE.csv\n\nEnters the dates that are not what their weekday says — public holidays (休) and the\nmake-up working days on a weekend (班, 调休补班) — from a CSV file, UTF-8 or GBK, one\ndate per line: date,kind,name (日期,类型,名称), e.g. 2026-10-01,休,国庆节 or\n2026-10-10,班,国庆调休. A header line is allowed. A bad line refuses the whole file,\nnaming the line. Deadlines of open complaints are recomputed in the same change.\n",
        "printer" => "Usage: frontdesk-admin [--db PATH|URL] printer set --desk CODE [--receipt NAME] [--report NAME]\n       frontdesk-admin [--db PATH|URL] printer list\n\nEach desk PC (its --desk code, default 01) prints receipts straight to its receipt\nprinter and daily reports to its A4 printer through CUPS, with no dialog. A desk with\nno printer set opens the PDF in the viewer instead. `set` replaces both names (one\nleft out is cleared) and records the change in the audit log; `list` prints every\ndesk's printers and the printers CUPS has on this PC.\n",
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
    db: Option<String>,
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
            "--db" => db = Some(it.next().ok_or("--db needs a PATH or URL")?),
            "-h" | "--help" => help = true,
            "-V" | "--version" if command.is_empty() => command = "--version".into(),
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
    if args.command == "--version" {
        println!("{}", frontdesk_core::version_line("frontdesk-admin"));
        return ExitCode::SUCCESS;
    }
    if args.help || args.command.is_empty() {
        print!("{}", help(&args.command));
        return if args.help {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(2)
        };
    }
    match paths::resolve_location(args.db.clone()).and_then(|at| run(&args, &at)) {
        Ok(code) => code,
        Err(e) => {
            // Every refusal of a form (初始设置), one a line.
            for one in e.each() {
                eprintln!("{}", one.message(lang()));
            }
            eprintln!("({e})");
            ExitCode::FAILURE
        }
    }
}

/// `init`: the demo hospital (`--demo`), or 初始设置 from the options, asking on a terminal
/// for what is left out; an existing hospital is only migrated.
fn init(args: &Args, path: &Location) -> Result<(), Error> {
    if args.rest.iter().any(|a| a == "--demo") {
        say_upgraded(path, Desk::open_demo(path)?.status().upgraded);
        return Ok(());
    }
    // A data file this command makes is removed again if the setup is refused: bad input
    // leaves nothing behind.
    let made = path.file().filter(|f| !f.exists()).map(Path::to_path_buf);
    let mut conn = open_data(path)?;
    if frontdesk_core::reference::is_set_up(&conn)? {
        return Ok(());
    }
    let terminal = std::io::stdin().is_terminal();
    let ask = |option_name: &str, question: &str| -> Result<String, Error> {
        match option(&args.rest, option_name) {
            Some(v) => Ok(v),
            None if terminal => {
                eprint!("{question}");
                let mut line = String::new();
                std::io::stdin().read_line(&mut line)?;
                Ok(line.trim().to_string())
            }
            None => Ok(String::new()),
        }
    };
    let zh = lang() == Lang::Zh;
    let q = |a: &'static str, b: &'static str| if zh { a } else { b };
    let hospital_name = ask("--hospital", q("医院名称：", "Hospital name: "))?;
    let admin_username = ask("--admin", q("管理员用户名：", "Administrator's username: "))?;
    let (password, password_again) = if args.rest.iter().any(|a| a == "--password-stdin") {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        let p = line.trim_end_matches(['\r', '\n']).to_string();
        (p.clone(), p)
    } else if terminal {
        (
            rpassword::prompt_password(q("密码：", "Password: "))?,
            rpassword::prompt_password(q("再次输入密码：", "Password again: "))?,
        )
    } else {
        (String::new(), String::new())
    };
    let input = frontdesk_core::setup::FirstStart {
        hospital_name,
        time_zone: option(&args.rest, "--time-zone").unwrap_or_default(),
        receipt_header: option(&args.rest, "--receipt").unwrap_or_default(),
        admin_username,
        admin_name: option(&args.rest, "--admin-name").unwrap_or_default(),
        password,
        password_again,
    };
    let now = now_at(&conn);
    let done = frontdesk_core::setup::first_start(&mut conn, &input, now);
    if done.is_err() {
        drop(conn);
        if let Some(file) = made {
            for end in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{end}", file.display()));
            }
        }
    }
    done
}

/// Opens the data as the app does: a file of an older schema is first copied and the copy
/// verified, then migrated; what was done is said on standard error.
fn open_data(path: &Location) -> Result<Conn, Error> {
    let (conn, upgraded) =
        frontdesk_core::backup::open_upgrading(path.clone(), frontdesk_core::clock::now_ms())?;
    say_upgraded(path, upgraded);
    Ok(conn)
}

/// Says on standard error that opening `path` upgraded it, from what and where the copy is.
fn say_upgraded(path: &Location, upgraded: Option<frontdesk_core::backup::Upgrade>) {
    if let Some(u) = upgraded {
        eprintln!(
            "upgraded {} from schema {}{} to schema {} ({}); the data as it was is saved, verified, as {}",
            path.shown(),
            u.from_schema,
            u.from_version.map(|v| format!(" (frontdesk {v})")).unwrap_or_default(),
            u.to_schema,
            frontdesk_core::version_line("frontdesk"),
            u.backup
        );
    }
}

/// The time now: this PC's, corrected to the server's clock on a shared server.
fn now_at(conn: &Conn) -> i64 {
    clock::now_ms() + conn.clock_offset()
}

fn run(args: &Args, path: &Location) -> Result<ExitCode, Error> {
    match args.command.as_str() {
        "init" => {
            init(args, path)?;
            println!("{}", path.shown());
        }
        "grant-desk" => {
            let role = args
                .rest
                .iter()
                .find(|a| !a.starts_with('-'))
                .ok_or(Error::invalid("desk_role", Problem::Required))?;
            let mut conn = open_data(path)?;
            store::grant_desk(&mut conn, role)?;
            println!("{role}: the desks' rights on {}", path.shown());
        }
        "migrate-to" => {
            let target = args
                .rest
                .iter()
                .find(|a| !a.starts_with('-'))
                .ok_or(Error::invalid("target", Problem::Required))?;
            let target = Location::parse(target)?;
            existing(path)?;
            store::fresh_target(&target)?;
            let from = Conn::open_read_only(path)?;
            if from.version()? < store::schema_version() {
                // Bring an older file up to this program's schema first (as opening it in the
                // app would), so both stores have the same tables.
                drop(from);
                drop(open_data(path)?);
            }
            let from = Conn::open_read_only(path)?;
            let mut to = Conn::open(&target)?;
            let copied = store::copy_all(&from, &mut to)?;
            for (table, n) in &copied {
                println!("{table}: {n}");
            }
            let report = audit::verify(&to)?;
            if !report.ok() {
                for p in &report.problems {
                    println!("PROBLEM: {p}");
                }
                return Ok(ExitCode::FAILURE);
            }
            println!(
                "copied into {}; verify: OK ({} audit entries, {} rows checked)",
                target.shown(),
                report.entries,
                report.rows_checked
            );
        }
        "demo" => {
            let days = option(&args.rest, "--days")
                .ok_or(Error::invalid("days", frontdesk_core::Problem::Required))?;
            let days: i64 = days
                .parse()
                .map_err(|_| Error::invalid("days", frontdesk_core::Problem::BadFormat))?;
            let until = option(&args.rest, "--until")
                .map(|d| {
                    chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d")
                        .map_err(|_| Error::invalid("until", Problem::BadFormat))
                })
                .transpose()?;
            let a = demo::add_activity(path, days, until)?;
            println!(
                "demo: {} days, {} registrations ({} new patients, {} cancelled, {} changed), {} complaints, suggestions and praise ({} closed), {} discharges, {} follow-up calls ({} reached), {} spot-checks, {} survey forms, {} market surveys, {} guide desk log entries, {} quality checks, schedule for the next {} days",
                a.days, a.registrations, a.new_patients, a.cancelled, a.changed, a.complaints, a.complaints_closed, a.discharges, a.calls, a.reached, a.spot_checks, a.surveys, a.market_surveys, a.guide_logs, a.checks, a.days
            );
        }
        "backup" => {
            let dir = option(&args.rest, "--to").ok_or(Error::invalid(
                "backup_dir",
                frontdesk_core::Problem::Required,
            ))?;
            existing(path)?;
            let mut conn = open_data(path)?;
            let now = now_at(&conn);
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
            let mut conn = open_data(path)?;
            let now = now_at(&conn);
            let safety = backup::restore(
                &mut conn,
                Path::new(file),
                &Actor::system("frontdesk-admin restore"),
                now,
            )?;
            store::upgrade(&mut conn)?;
            println!("restored {file} into {}", path.shown());
            println!("previous data saved as {}", safety.display());
        }
        "printer" => {
            // A new data file is made first, as `init` makes it (the printers are set before
            // the desk's first start).
            say_upgraded(path, Desk::open(path)?.status().upgraded);
            let mut conn = open_data(path)?;
            let now = now_at(&conn);
            match args.rest.first().map(String::as_str) {
                Some("set") => {
                    let desk = option(&args.rest, "--desk")
                        .ok_or(Error::invalid("desk", Problem::Required))?;
                    let input = print::DeskPrintersInput {
                        desk,
                        receipt_printer: option(&args.rest, "--receipt"),
                        report_printer: option(&args.rest, "--report"),
                    };
                    let set = store::write(
                        &mut conn,
                        &Actor::system("frontdesk-admin printer"),
                        now,
                        |tx| print::set(tx, &input),
                    )?;
                    println!(
                        "desk {}: receipts → {}, reports → {}",
                        set.desk,
                        set.receipt_printer.as_deref().unwrap_or("(PDF viewer)"),
                        set.report_printer.as_deref().unwrap_or("(PDF viewer)")
                    );
                }
                Some("list") => {
                    for d in print::all(&conn)? {
                        println!(
                            "desk {}: receipts → {}, reports → {}",
                            d.desk,
                            d.receipt_printer.as_deref().unwrap_or("(PDF viewer)"),
                            d.report_printer.as_deref().unwrap_or("(PDF viewer)")
                        );
                    }
                    match print::installed() {
                        Ok(list) => println!("printers on this PC: {}", list.join(", ")),
                        Err(e) => println!("printers on this PC: {}", e.message(lang())),
                    }
                }
                _ => {
                    eprint!("{}", help("printer"));
                    return Ok(ExitCode::from(2));
                }
            }
        }
        "complaints" => {
            if args.rest.first().map(String::as_str) != Some("register") {
                eprint!("{}", help("complaints"));
                return Ok(ExitCode::from(2));
            }
            existing(path)?;
            let RegisterArgs {
                period,
                out,
                format,
                unmasked,
                reason,
            } = register_args(&args.rest)?;
            let mut conn = open_data(path)?;
            let now = now_at(&conn);
            let showing = frontdesk_core::complaint::register::Showing {
                unmasked,
                accountability: unmasked,
            };
            let (bytes, cases) = frontdesk_core::complaint::register::export(
                &mut conn,
                &Actor::system("frontdesk-admin complaints register"),
                now,
                period,
                showing,
                &format,
                &reason,
                lang(),
            )?;
            std::fs::write(&out, bytes)?;
            println!("{out}: {cases} cases, {} to {}", period.from, period.to);
        }
        "retention" => {
            let what = args.rest.first().map(String::as_str);
            if what != Some("show") && what != Some("anonymise") {
                eprint!("{}", help("retention"));
                return Ok(ExitCode::from(2));
            }
            existing(path)?;
            let mut conn = open_data(path)?;
            let now = now_at(&conn);
            let today = frontdesk_core::reference::today(&conn, now)?;
            if what == Some("show") {
                for p in frontdesk_core::quality::retention::periods(&conn, today)? {
                    println!(
                        "{}\t{} years\tpast it (ended before {}): {}\tholding personal data: {}",
                        p.register, p.years, p.cutoff, p.expired, p.personal
                    );
                }
                let c = frontdesk_core::quality::anonymise::pending(&conn, today)?;
                println!(
                    "anonymise would change {} complaints, {} calls, {} patients",
                    c.complaints, c.calls, c.patients
                );
            } else {
                let survey = frontdesk_core::quality::anonymise::survey(&conn, today)?;
                let c = frontdesk_core::store::write(
                    &mut conn,
                    &Actor::system("frontdesk-admin retention anonymise"),
                    now,
                    |tx| frontdesk_core::quality::anonymise::remove(tx, &survey),
                )?;
                let scrubbed = conn.scrub_wal()?;
                println!(
                    "anonymised {} complaints, {} calls, {} patients; {} earlier audit entries redacted",
                    c.complaints, c.calls, c.patients, c.entries
                );
                if !scrubbed {
                    eprintln!("the write-ahead log is in use by a desk: the old values leave it when the desks close (or run this again after hours)");
                }
                eprintln!("backups made before now still hold the removed data until they rotate out: make a new backup (frontdesk-admin backup --to DIR) and remove the older ones if they must go now");
            }
        }
        "quality" => {
            if args.rest.first().map(String::as_str) != Some("register") {
                eprint!("{}", help("quality"));
                return Ok(ExitCode::from(2));
            }
            existing(path)?;
            let kind = option(&args.rest, "--kind").unwrap_or_default();
            let RegisterArgs {
                period,
                out,
                format,
                ..
            } = register_args(&args.rest)?;
            let mut conn = open_data(path)?;
            let now = now_at(&conn);
            let (bytes, _) = frontdesk_core::quality::registers::export(
                &mut conn,
                &Actor::system("frontdesk-admin quality register"),
                now,
                &kind,
                period,
                &format,
            )?;
            std::fs::write(&out, bytes)?;
            println!("{out}: {} to {}", period.from, period.to);
        }
        "followups" => {
            if args.rest.first().map(String::as_str) != Some("register") {
                eprint!("{}", help("followups"));
                return Ok(ExitCode::from(2));
            }
            existing(path)?;
            let RegisterArgs {
                period,
                out,
                format,
                unmasked,
                reason,
            } = register_args(&args.rest)?;
            let mut conn = open_data(path)?;
            let now = now_at(&conn);
            let (bytes, lines) = frontdesk_core::followup::register::export(
                &mut conn,
                &Actor::system("frontdesk-admin followups register"),
                now,
                period,
                unmasked,
                &format,
                &reason,
            )?;
            std::fs::write(&out, bytes)?;
            println!(
                "{out}: {lines} follow-ups, {} to {}",
                period.from, period.to
            );
        }
        "calendar" => {
            let mut words = args.rest.iter().filter(|a| !a.starts_with('-'));
            if words.next().map(String::as_str) != Some("import") {
                eprint!("{}", help("calendar"));
                return Ok(ExitCode::from(2));
            }
            let file = words
                .next()
                .ok_or(Error::invalid("file", Problem::Required))?;
            let bytes = std::fs::read(file)?;
            existing(path)?;
            let mut conn = open_data(path)?;
            let now = now_at(&conn);
            let imported = store::write(
                &mut conn,
                &Actor::system("frontdesk-admin calendar import"),
                now,
                |tx| {
                    let mut i = frontdesk_core::calendar::import_csv(tx, &bytes)?;
                    i.cases_moved = frontdesk_core::complaint::recompute_open(tx)?;
                    Ok(i)
                },
            )?;
            println!(
                "{} dates ({} holidays, {} make-up working days); deadlines of {} open cases moved",
                imported.days, imported.holidays, imported.working, imported.cases_moved
            );
        }
        "verify" => {
            existing(path)?;
            let conn = Conn::open_read_only(path)?;
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
        "import" => {
            let mut words = args.rest.iter().filter(|a| !a.starts_with('-'));
            let what = words.next().map(String::as_str).unwrap_or("");
            if what != "patients" && what != "discharges" {
                eprintln!("{}", help("import"));
                return Ok(ExitCode::from(2));
            }
            let file = words
                .next()
                .ok_or(Error::invalid("file", Problem::Required))?;
            let bytes = std::fs::read(file)?;
            existing(path)?;
            let mut conn = open_data(path)?;
            let now = now_at(&conn);
            let lang = lang();
            let actor = Actor::system("frontdesk-admin import");
            let report = if what == "patients" {
                import::import_patients(&mut conn, &actor, now, &bytes, lang)?
            } else {
                frontdesk_core::followup::discharges::import_discharges(
                    &mut conn, &actor, now, &bytes, lang,
                )?
            };
            println!("imported: {}", report.imported);
            println!("already present: {}", report.already_present);
            println!("rejected: {}", report.rejected.len());
            for r in &report.rejected {
                println!("row {} ({}): {}", r.row, r.field, r.reason);
            }
            if !report.rejected.is_empty() {
                return Ok(ExitCode::FAILURE);
            }
        }
        "report" => {
            let words: Vec<&String> = args.rest.iter().filter(|a| !a.starts_with("--")).collect();
            if words.first().map(|w| w.as_str()) == Some("monthly") {
                let month = option(&args.rest, "--month")
                    .ok_or(Error::invalid("month", Problem::Required))?;
                let out =
                    option(&args.rest, "--out").ok_or(Error::invalid("file", Problem::Required))?;
                existing(path)?;
                // Read and write: the ended months' counts are kept for the next report.
                let mut conn = open_data(path)?;
                let now = now_at(&conn);
                let bytes = frontdesk_core::quality::report::monthly_pdf(&mut conn, &month, now)?;
                std::fs::write(&out, bytes)?;
                println!("{out}");
                return Ok(ExitCode::SUCCESS);
            }
            if words.first().map(|w| w.as_str()) != Some("daily") {
                eprintln!("{}", help("report"));
                return Ok(ExitCode::from(2));
            }
            let date =
                option(&args.rest, "--date").ok_or(Error::invalid("date", Problem::Required))?;
            let date = frontdesk_core::validate::date("date", &date)?.to_string();
            let out =
                option(&args.rest, "--out").ok_or(Error::invalid("file", Problem::Required))?;
            existing(path)?;
            let conn = Conn::open_read_only(path)?;
            let now = now_at(&conn);
            let bytes = frontdesk_core::report::daily_pdf(&conn, &date, now, None)?;
            std::fs::write(&out, bytes)?;
            println!("{out}");
        }
        "patients" => {
            let words: Vec<&String> = args.rest.iter().filter(|a| !a.starts_with("--")).collect();
            let (Some(sub), Some(query)) = (words.first(), words.get(1)) else {
                eprintln!("{}", help("patients"));
                return Ok(ExitCode::from(2));
            };
            if sub.as_str() != "search" {
                eprintln!("{}", help("patients"));
                return Ok(ExitCode::from(2));
            }
            existing(path)?;
            let conn = open_data(path)?;
            let today = frontdesk_core::reference::today(&conn, now_at(&conn))?;
            let hits = search::search(&conn, query, search::DEFAULT_LIMIT, today)?;
            if args.rest.iter().any(|a| a == "--json") {
                println!("{}", serde_json::to_string_pretty(&hits)?);
            } else {
                for h in &hits {
                    println!(
                        "{}  {}  {}  {}  {}  {}",
                        h.card_no,
                        h.name,
                        h.sex,
                        h.age.map(|a| a.to_string()).unwrap_or_else(|| "-".into()),
                        h.phone_masked.as_deref().unwrap_or("-"),
                        h.id_number_masked.as_deref().unwrap_or("-"),
                    );
                }
                println!("{} found", hits.len());
            }
        }
        other => {
            eprintln!("unknown command: {other}\n\n{USAGE}");
            return Ok(ExitCode::from(2));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A file must exist already (a server's database is checked on connecting).
fn existing(path: &Location) -> Result<(), Error> {
    let Some(path) = path.file() else {
        return Ok(());
    };
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

/// What `complaints register` and `followups register` are asked for: the period, the output
/// file (its extension the format), and whether unmasked, with the reason.
struct RegisterArgs {
    period: frontdesk_core::complaint::figures::Period,
    out: String,
    format: String,
    unmasked: bool,
    reason: String,
}

fn register_args(rest: &[String]) -> Result<RegisterArgs, Error> {
    let from = option(rest, "--from").unwrap_or_default();
    let to = option(rest, "--to").unwrap_or_default();
    let out = option(rest, "--out").ok_or(Error::invalid("out", Problem::Required))?;
    let format = Path::new(&out)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_string();
    Ok(RegisterArgs {
        period: frontdesk_core::complaint::figures::Period::parse(&from, &to)?,
        out,
        format,
        unmasked: rest.iter().any(|a| a == "--unmasked"),
        reason: option(rest, "--reason").unwrap_or_default(),
    })
}
