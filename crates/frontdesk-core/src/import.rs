//! 患者导入: bringing the patient index over from the old system's spreadsheet
//! (`frontdesk-admin import patients FILE.csv`).
//!
//! Rules owned here:
//! - The file is UTF-8 (with or without BOM) or, when it is not valid UTF-8, GBK (what Excel
//!   saves on a Chinese Windows).
//! - Columns are found by their header, in English or Chinese; an unknown column, the same
//!   column twice, or no name column refuses the whole file before anything is written.
//! - Each row is checked by the same rules as the registration form (birth dates may also be
//!   written as spreadsheets do: `1990/3/7`, `19900307`). A bad row is reported
//!   with its row number (the header is row 1), field and reason; the good rows go in.
//! - A row that matches a patient already on file — same ID number, same card number, same
//!   name and phone, same name and birth date — is counted as already present and skipped, so
//!   running the same file twice adds nobody. A card number held by someone with another name
//!   is a conflict and the row is rejected.
//! - Card numbers from the file are kept and the card series moves past them; rows without one
//!   get the next number.
//! - The import is one transaction: every imported patient has its audit entry, and the import
//!   itself one more with the counts.

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;

use crate::audit::Actor;
use crate::error::{Error, Problem, Result};
use crate::i18n::{field_label, Lang};
use crate::patient::{self, PatientInput};
use crate::store::{self, Conn, Tx};

/// What happened to a file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub imported: usize,
    pub already_present: usize,
    pub rejected: Vec<RejectedRow>,
}

/// A row left out, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RejectedRow {
    /// As a spreadsheet numbers it: the header is row 1.
    pub row: usize,
    pub field: &'static str,
    /// The field's name for people, in the report's language.
    pub field_label: &'static str,
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Name,
    Sex,
    BirthDate,
    IdNumber,
    Phone,
    Address,
    Origin,
    HeardVia,
    CardNo,
}

/// Headers each column is known by (compared after trimming, case-insensitively).
const HEADERS: [(Column, &[&str]); 9] = [
    (Column::Name, &["name", "姓名"]),
    (Column::Sex, &["sex", "性别"]),
    (Column::BirthDate, &["birth_date", "出生日期"]),
    (Column::IdNumber, &["id_number", "身份证号", "身份证号码"]),
    (
        Column::Phone,
        &["phone", "电话", "手机", "手机号", "联系电话"],
    ),
    (Column::Address, &["address", "地址"]),
    (Column::Origin, &["origin", "来源地"]),
    (Column::HeardVia, &["heard_via", "获知途径"]),
    (Column::CardNo, &["card_no", "就诊卡号", "卡号"]),
];

fn column(header: &str) -> Option<Column> {
    let h = header.trim().trim_start_matches('\u{feff}').to_lowercase();
    HEADERS
        .iter()
        .find(|(_, names)| names.contains(&h.as_str()))
        .map(|(c, _)| *c)
}

/// The file's text: UTF-8 (a BOM is dropped) when it is valid UTF-8, else GBK.
pub fn decode(bytes: &[u8]) -> Result<String> {
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => {
            let (text, had_errors) = encoding_rs::GBK.decode_without_bom_handling(bytes);
            if had_errors {
                return Err(Error::invalid("file", Problem::Encoding));
            }
            text.into_owned()
        }
    };
    Ok(text.trim_start_matches('\u{feff}').to_string())
}

/// The rows of a file: its columns by header, then each data row with its row number.
pub(crate) type Table<C> = (Vec<Option<C>>, Vec<(usize, Vec<String>)>);

/// Reads a CSV whose first row names its columns (`column` knows each header). An unknown or
/// repeated column, or one of `required` (the column, its English and Chinese headers)
/// missing, refuses the whole file before anything is read further.
pub(crate) fn read_table<C: Copy + PartialEq>(
    text: &str,
    column: impl Fn(&str) -> Option<C>,
    required: &[(C, &'static str, &'static str)],
) -> Result<Table<C>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(h) => h.map_err(|_| Error::invalid("file", Problem::BadFormat))?,
        None => return Err(Error::invalid("file", Problem::Required)),
    };
    let mut columns = Vec::new();
    let mut unknown = Vec::new();
    for h in header.iter() {
        if h.trim().is_empty() {
            // A trailing comma or an empty column a spreadsheet added: nothing to read there.
            columns.push(None);
            continue;
        }
        match column(h) {
            Some(c) if columns.contains(&Some(c)) => unknown.push(format!("{h} ×2")),
            Some(c) => columns.push(Some(c)),
            None => unknown.push(h.to_string()),
        }
    }
    if !unknown.is_empty() {
        return Err(Error::invalid("file", Problem::UnknownColumns(unknown)));
    }
    for (c, en, zh) in required {
        if !columns.contains(&Some(*c)) {
            return Err(Error::invalid("file", Problem::MissingColumn(en, zh)));
        }
    }
    let mut rows = Vec::new();
    for (i, record) in records.enumerate() {
        let record = record.map_err(|_| Error::invalid("file", Problem::BadFormat))?;
        rows.push((i + 2, record.iter().map(str::to_string).collect()));
    }
    Ok((columns, rows))
}

fn read(text: &str) -> Result<Table<Column>> {
    read_table(text, column, &[(Column::Name, "name", "姓名")])
}

fn input_of(columns: &[Option<Column>], cells: &[String]) -> PatientInput {
    let mut input = PatientInput::default();
    for (col, cell) in columns.iter().zip(cells) {
        let Some(col) = col else { continue };
        let slot = match col {
            Column::Name => &mut input.name,
            Column::Sex => &mut input.sex,
            Column::BirthDate => &mut input.birth_date,
            Column::IdNumber => &mut input.id_number,
            Column::Phone => &mut input.phone,
            Column::Address => &mut input.address,
            Column::Origin => &mut input.origin,
            Column::HeardVia => &mut input.heard_via,
            Column::CardNo => &mut input.card_no,
        };
        *slot = cell.clone();
    }
    input.birth_date = spreadsheet_date(&input.birth_date);
    input
}

/// Dates as spreadsheets write them — `1990/3/7`, `1990-3-7`, `1990.03.07`, `19900307` —
/// in the form the form uses (`1990-03-07`). Anything else is left for the check to refuse.
pub(crate) fn spreadsheet_date(text: &str) -> String {
    let t = text.trim();
    let parts: Vec<&str> = if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
        vec![&t[..4], &t[4..6], &t[6..]]
    } else {
        t.split(['/', '-', '.']).collect()
    };
    match parts[..] {
        [y, m, d]
            if y.len() == 4
                && (1..=2).contains(&m.len())
                && (1..=2).contains(&d.len())
                && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit())) =>
        {
            format!("{y}-{m:0>2}-{d:0>2}")
        }
        _ => t.to_string(),
    }
}

enum Outcome {
    Imported,
    AlreadyPresent,
}

fn import_row(tx: &mut Tx, input: &PatientInput, today: NaiveDate) -> Result<Outcome> {
    let p = patient::check(input, today)?;
    let card = patient::check_card_no(&input.card_no)?;
    if let Some(card) = &card {
        if let Some(holder) = patient::find_by_card(tx, card, today)? {
            if holder.name != p.name {
                return Err(Error::invalid("card_no", Problem::Taken));
            }
            return Ok(Outcome::AlreadyPresent);
        }
    }
    if !patient::find_duplicates(tx, &p, None, today)?.is_empty() {
        return Ok(Outcome::AlreadyPresent);
    }
    patient::create(tx, &p, card.as_deref(), true, today)?;
    Ok(Outcome::Imported)
}

/// Imports the patients of a CSV file's bytes. A file that cannot be read as a whole is refused
/// with nothing written; otherwise every row is imported, skipped as already present, or
/// reported in `rejected` (reasons in `lang`).
pub fn import_patients(
    conn: &mut Conn,
    actor: &Actor,
    now: i64,
    bytes: &[u8],
    lang: Lang,
) -> Result<ImportReport> {
    let text = decode(bytes)?;
    let (columns, rows) = read(&text)?;
    let today = crate::reference::today(conn, now)?;
    store::write(conn, actor, now, |tx| {
        let mut report = ImportReport::default();
        for (row, cells) in &rows {
            if cells.iter().all(|c| c.is_empty()) {
                continue;
            }
            let input = input_of(&columns, cells);
            match import_row(tx, &input, today) {
                Ok(Outcome::Imported) => report.imported += 1,
                Ok(Outcome::AlreadyPresent) => report.already_present += 1,
                Err(e @ Error::Invalid { .. }) => {
                    let field = e.field().unwrap_or("record");
                    report.rejected.push(RejectedRow {
                        row: *row,
                        field,
                        field_label: field_label(field, lang),
                        reason: e.message(lang),
                    })
                }
                Err(e) => return Err(e),
            }
        }
        tx.event(
            "patient.import",
            "import",
            "patients",
            json!({
                "rows": rows.len(),
                "imported": report.imported,
                "already_present": report.already_present,
                "rejected": report.rejected.len(),
            }),
        )?;
        Ok(report)
    })
}
