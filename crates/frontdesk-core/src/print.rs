//! 打印: a receipt or a report handed straight to this desk PC's printer — no dialog, no
//! viewer — and the printers each desk is set up with. On Linux the job goes through CUPS
//! (`lpstat` to ask the printer's state, `lp` to send); what a Windows desk PC would do instead
//! is written in README.md. A desk with no printer set opens the PDF in the viewer, as before.
//!
//! Printing is asked of the printer after the registration has committed: a printer that is
//! missing, stopped or refusing gives a clear message and loses nothing — the receipt is
//! printed again from today's list (marked 重打).

use std::path::Path;
use std::process::Command;

use serde::{Deserialize, Serialize};

use crate::audit::{snapshot, Table};
use crate::error::{Error, PrintProblem, Problem, Result};
use crate::store::{Conn, Tx};

/// The paper a document is printed on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Paper {
    /// Roll paper, 80 mm wide, as long as the receipt.
    Receipt {
        width_mm: f32,
        height_mm: f32,
    },
    A4,
}

impl Paper {
    /// The CUPS `PageSize` option for this paper.
    pub fn cups_page_size(self) -> String {
        match self {
            Paper::Receipt {
                width_mm,
                height_mm,
            } => format!(
                "PageSize=Custom.{}x{}mm",
                width_mm.round() as i64,
                height_mm.ceil() as i64
            ),
            Paper::A4 => "PageSize=A4".to_string(),
        }
    }
}

/// The printers of one desk PC (by its desk code), as CUPS names them on that PC.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DeskPrinters {
    pub desk: String,
    /// The 80 mm receipt printer; none: receipts open in the PDF viewer.
    pub receipt_printer: Option<String>,
    /// The A4 printer for the daily report; none: reports open in the PDF viewer.
    pub report_printer: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DeskPrintersInput {
    pub desk: String,
    #[serde(default)]
    pub receipt_printer: Option<String>,
    #[serde(default)]
    pub report_printer: Option<String>,
}

/// A desk code: 1–8 letters or digits, kept in capitals (`--desk`).
pub fn desk_code(field: &'static str, code: &str) -> Result<String> {
    let code = crate::validate::text(field, code, 1, 8)?;
    if !code.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(Error::invalid(field, Problem::BadFormat));
    }
    Ok(code.to_ascii_uppercase())
}

/// A printer's name as CUPS allows it (up to 127 printable characters, none of space, `/`,
/// `\`, `#`, `'`, `"`, `?`); empty means none.
fn printer_name(field: &'static str, name: Option<&str>) -> Result<Option<String>> {
    let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) else {
        return Ok(None);
    };
    if name.chars().count() > 127 {
        return Err(Error::invalid(field, Problem::TooLong(127)));
    }
    let bad = |c: char| c.is_control() || c.is_whitespace() || "/\\#'\"?".contains(c);
    if name.chars().any(bad) {
        return Err(Error::invalid(field, Problem::BadFormat));
    }
    Ok(Some(name.to_string()))
}

/// The printers set for `desk` (none set: both empty).
pub fn of_desk(conn: &Conn, desk: &str) -> Result<DeskPrinters> {
    let found = conn.one(
        "SELECT receipt_printer, report_printer FROM desk_printer WHERE desk = ?1",
        &[&desk],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let (receipt_printer, report_printer) = found.unwrap_or((None, None));
    Ok(DeskPrinters {
        desk: desk.to_string(),
        receipt_printer,
        report_printer,
    })
}

/// Every desk's printers, by desk code.
pub fn all(conn: &Conn) -> Result<Vec<DeskPrinters>> {
    conn.all(
        "SELECT desk, receipt_printer, report_printer FROM desk_printer ORDER BY desk",
        &[],
        |r| {
            Ok(DeskPrinters {
                desk: r.get(0)?,
                receipt_printer: r.get(1)?,
                report_printer: r.get(2)?,
            })
        },
    )
}

/// Sets a desk's printers (both at once; empty clears one), with its audit entry.
pub fn set(tx: &mut Tx, input: &DeskPrintersInput) -> Result<DeskPrinters> {
    let desk = desk_code("desk", &input.desk)?;
    let receipt = printer_name("receipt_printer", input.receipt_printer.as_deref())?;
    let report = printer_name("report_printer", input.report_printer.as_deref())?;
    let before_id: Option<i64> =
        tx.value_opt("SELECT id FROM desk_printer WHERE desk = ?1", &[&desk])?;
    let before = match before_id {
        Some(id) => snapshot(tx, Table::DeskPrinter, id)?,
        None => None,
    };
    let now = tx.now;
    let id: i64 = tx.insert(
        "INSERT INTO desk_printer (desk, receipt_printer, report_printer, updated_at)
         VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (desk) DO UPDATE SET receipt_printer = excluded.receipt_printer,
             report_printer = excluded.report_printer, updated_at = excluded.updated_at
         RETURNING id",
        &[&desk, &receipt, &report, &now],
    )?;
    tx.record("printer.set", Table::DeskPrinter, id, before)?;
    Ok(DeskPrinters {
        desk,
        receipt_printer: receipt,
        report_printer: report,
    })
}

/// What one of CUPS's commands said. `LC_ALL=C`: its sentences are read here.
struct Said {
    ok: bool,
    out: String,
    err: String,
}

/// Runs one of CUPS's commands, given at most ten seconds: a CUPS that hangs must not hold the
/// desk (or the admin screen) with it.
fn cups(program: &str, args: &[&str]) -> std::io::Result<Said> {
    use std::process::Stdio;
    let mut child = Command::new(program)
        .args(args)
        .env("LC_ALL", "C")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while child.try_wait()?.is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                format!("{program} did not answer"),
            ));
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let o = child.wait_with_output()?;
    Ok(Said {
        ok: o.status.success(),
        out: String::from_utf8_lossy(&o.stdout).into_owned(),
        err: String::from_utf8_lossy(&o.stderr).into_owned(),
    })
}

/// The printers this PC has, for the administrator to choose from: those `lpstat -p` knows,
/// the same question [`send`] asks before printing (classes and instances are not offered).
pub fn installed() -> Result<Vec<String>> {
    service_running("")?;
    let said = cups("lpstat", &["-p"]).map_err(|_| no_service(""))?;
    Ok(said
        .out
        .lines()
        .filter_map(|l| l.strip_prefix("printer "))
        .filter_map(|rest| rest.split_whitespace().next())
        .map(str::to_string)
        .collect())
}

fn no_service(printer: &str) -> Error {
    Error::Print {
        printer: printer.to_string(),
        problem: PrintProblem::NoService,
    }
}

fn service_running(printer: &str) -> Result<()> {
    // `lpstat -r` exits 0 either way; only its sentence tells.
    match cups("lpstat", &["-r"]) {
        Ok(s) if s.out.contains("scheduler is running") => Ok(()),
        _ => Err(no_service(printer)),
    }
}

/// The reason CUPS gives on the line after a state (`\tPaused`, `\tOut of paper`).
fn reason(text: &str) -> String {
    text.lines()
        .nth(1)
        .map(str::trim)
        .unwrap_or_default()
        .to_string()
}

/// Sends `file` to `printer` on `paper` and returns CUPS's job id. The printer's state is asked
/// first, so a stopped printer is reported now rather than holding the receipt in its queue.
pub fn send(printer: &str, file: &Path, title: &str, paper: Paper) -> Result<String> {
    let fail = |problem| Error::Print {
        printer: printer.to_string(),
        problem,
    };
    service_running(printer)?;
    let state = cups("lpstat", &["-p", printer]).map_err(|_| no_service(printer))?;
    if !state.ok {
        return Err(fail(PrintProblem::Missing));
    }
    if state.out.contains(" disabled since") {
        return Err(fail(PrintProblem::Paused(reason(&state.out))));
    }
    let size = paper.cups_page_size();
    let file = file.to_string_lossy();
    let sent = cups(
        "lp",
        &["-d", printer, "-t", title, "-o", &size, file.as_ref()],
    )
    .map_err(|_| no_service(printer))?;
    if !sent.ok {
        let said = sent.err.trim().trim_start_matches("lp: ").to_string();
        return Err(if said.contains("not accepting jobs") {
            let why = cups("lpstat", &["-a", printer])
                .map(|s| reason(&s.out))
                .unwrap_or_default();
            fail(PrintProblem::Refusing(why))
        } else if said.contains("does not exist") {
            fail(PrintProblem::Missing)
        } else {
            fail(PrintProblem::Failed(said))
        });
    }
    // "request id is RECEIPT-12 (1 file(s))"
    let id = sent
        .out
        .split_whitespace()
        .skip_while(|w| *w != "is")
        .nth(1)
        .unwrap_or_default()
        .to_string();
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printer_names_as_cups_allows_them() {
        // (typed, kept): `Err(())` for a name refused.
        type Case<'a> = (Option<&'a str>, Result<Option<&'a str>, ()>);
        let cases: [Case; 8] = [
            (None, Ok(None)),
            (Some(""), Ok(None)),
            (Some("  "), Ok(None)),
            (Some(" Receipt_80 "), Ok(Some("Receipt_80"))),
            (Some("收据打印机"), Ok(Some("收据打印机"))),
            (Some("Receipt 80"), Err(())),
            (Some("a/b"), Err(())),
            (Some("x#1"), Err(())),
        ];
        for (input, expected) in cases {
            let got = printer_name("receipt_printer", input);
            match (got, expected) {
                (Ok(g), Ok(e)) => assert_eq!(g.as_deref(), e, "{input:?}"),
                (Err(_), Err(())) => {}
                (g, e) => panic!("{input:?}: got {g:?}, expected {e:?}"),
            }
        }
    }

    #[test]
    fn paper_sizes_for_cups() {
        let receipt = Paper::Receipt {
            width_mm: 80.0,
            height_mm: 131.2,
        };
        assert_eq!(receipt.cups_page_size(), "PageSize=Custom.80x132mm");
        assert_eq!(Paper::A4.cups_page_size(), "PageSize=A4");
    }

    #[test]
    fn the_reason_is_the_line_after_the_state() {
        let out = "printer R disabled since Tue Dec  1 19:39:30 2026 -\n\tOut of paper\n";
        assert_eq!(reason(out), "Out of paper");
        assert_eq!(reason("printer R is idle.  enabled since …\n"), "");
    }
}
