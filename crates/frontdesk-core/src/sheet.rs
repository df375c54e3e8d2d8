//! A register as a table — its columns (name, width) and rows of text — written as a sheet of
//! an xlsx workbook (rust_xlsxwriter) or as CSV (the csv crate, UTF-8 with a byte-order mark so
//! that Excel on a Chinese Windows opens it without garbling the characters). Both come from
//! the same rows, so the two files of a register always hold the same cells (a CSV cell Excel
//! would read as a formula is written with a leading apostrophe).

use rust_xlsxwriter::{Format, Workbook};

use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub name: String,
    /// (heading, width in characters)
    pub columns: Vec<(String, f64)>,
    pub rows: Vec<Vec<String>>,
    /// Columns written as numbers in xlsx (their text is a whole number).
    pub numeric: Vec<usize>,
}

pub(crate) fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::Io(std::io::Error::other(e.to_string()))
}

impl Table {
    pub fn new(name: &str, columns: &[(&str, f64)]) -> Table {
        Table {
            name: name.to_string(),
            columns: columns.iter().map(|(h, w)| (h.to_string(), *w)).collect(),
            rows: Vec::new(),
            numeric: Vec::new(),
        }
    }

    /// The table as a sheet of `book`: headings bold, cells wrapped, the heading row frozen.
    pub fn write_sheet(&self, book: &mut Workbook) -> Result<()> {
        let bold = Format::new().set_bold();
        let wrap = Format::new().set_text_wrap();
        let sheet = book
            .add_worksheet()
            .set_name(&self.name)
            .map_err(xlsx_error)?;
        for (col, (h, width)) in self.columns.iter().enumerate() {
            sheet
                .write_string_with_format(0, col as u16, h, &bold)
                .map_err(xlsx_error)?;
            sheet
                .set_column_width(col as u16, *width)
                .map_err(xlsx_error)?;
        }
        for (i, cells) in self.rows.iter().enumerate() {
            let row = i as u32 + 1;
            for (col, v) in cells.iter().enumerate() {
                match v.parse::<i64>() {
                    Ok(n) if self.numeric.contains(&col) => {
                        sheet.write_number(row, col as u16, n as f64).map(|_| ())
                    }
                    _ => sheet
                        .write_string_with_format(row, col as u16, v, &wrap)
                        .map(|_| ()),
                }
                .map_err(xlsx_error)?;
            }
        }
        sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
        Ok(())
    }

    /// A workbook of this one sheet.
    pub fn xlsx(&self) -> Result<Vec<u8>> {
        let mut book = Workbook::new();
        self.write_sheet(&mut book)?;
        book.save_to_buffer().map_err(xlsx_error)
    }

    /// The table as CSV: the headings, then a line per row.
    pub fn csv(&self) -> Result<Vec<u8>> {
        let mut out = Vec::from("\u{feff}".as_bytes());
        {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record(self.columns.iter().map(|(h, _)| h.as_str()))
                .map_err(csv_error)?;
            for row in &self.rows {
                w.write_record(row.iter().map(|c| inert(c).into_owned()))
                    .map_err(csv_error)?;
            }
            w.flush()?;
        }
        Ok(out)
    }
}

/// A cell Excel would take for a formula (`=`, `+`, `-`, `@` first: a patient's words can start
/// so) gets a leading apostrophe, which Excel shows as text; numbers stay as they are.
fn inert(cell: &str) -> std::borrow::Cow<'_, str> {
    let formula = cell.starts_with(['=', '+', '@', '\t', '\r'])
        || (cell.starts_with('-') && cell.parse::<f64>().is_err());
    if formula {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

fn csv_error(e: csv::Error) -> Error {
    Error::Io(std::io::Error::other(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_is_the_same_cells_as_csv() {
        let mut t = Table::new("回访登记本", &[("患者", 8.0), ("意见", 30.0)]);
        t.rows
            .push(vec!["张*".into(), "候诊太久，\"希望\"改进\n谢谢".into()]);
        let bytes = t.csv().unwrap();
        assert!(bytes.starts_with("\u{feff}".as_bytes()), "a BOM for Excel");
        let mut r = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(&bytes[3..]);
        let rows: Vec<Vec<String>> = r
            .records()
            .map(|x| x.unwrap().iter().map(str::to_string).collect())
            .collect();
        assert_eq!(rows, t.rows, "quotes, commas and line breaks survive");
        assert!(!t.xlsx().unwrap().is_empty());
    }

    #[test]
    fn a_cell_that_looks_like_a_formula_stays_text_in_csv() {
        for (cell, want) in [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("+86 138", "'+86 138"),
            ("@sum", "'@sum"),
            ("-请回电", "'-请回电"),
            ("-5", "-5"),
            ("满意", "满意"),
        ] {
            assert_eq!(inert(cell), want, "{cell}");
        }
    }
}
