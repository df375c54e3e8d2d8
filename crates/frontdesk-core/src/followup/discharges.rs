//! 出院患者导入: `frontdesk-admin import discharges FILE.csv` — the HIS's export of discharged
//! inpatients. UTF-8 or GBK; columns found by their header in English or Chinese; each row
//! matched to a patient on file (ID number, then card number, then name and phone) or a new
//! patient created; every rejected row reported with its row, field and reason, and a row never
//! half-imported (everything it needs is checked before it writes); a discharge already on file
//! (same patient, same date) is counted as present, so a second run adds nothing.

use chrono::NaiveDate;
use serde_json::json;

use super::{add_discharge, DischargeInput};
use crate::audit::Actor;
use crate::error::{Error, Problem, Result};
use crate::i18n::{field_label, Lang};
use crate::ids::{DepartmentId, PatientId};
use crate::import::{decode, read_table, spreadsheet_date, ImportReport, RejectedRow};
use crate::patient::{self, PatientInput};
use crate::store::{self, Conn, Tx};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Name,
    IdNumber,
    CardNo,
    Phone,
    Department,
    AdmittedOn,
    DischargedOn,
    Doctor,
    Diagnosis,
    Sex,
}

const HEADERS: [(Column, &[&str]); 10] = [
    (Column::Name, &["name", "姓名"]),
    (Column::IdNumber, &["id_number", "身份证号", "身份证号码"]),
    (Column::CardNo, &["card_no", "就诊卡号", "卡号"]),
    (Column::Phone, &["phone", "电话", "手机", "联系电话"]),
    (Column::Department, &["department", "科室", "出院科室"]),
    (Column::AdmittedOn, &["admitted_on", "入院日期"]),
    (Column::DischargedOn, &["discharged_on", "出院日期"]),
    (Column::Doctor, &["doctor", "主治医生", "主治医师"]),
    (Column::Diagnosis, &["diagnosis", "诊断", "出院诊断"]),
    (Column::Sex, &["sex", "性别"]),
];

fn column(header: &str) -> Option<Column> {
    let h = header.trim().trim_start_matches('\u{feff}').to_lowercase();
    HEADERS
        .iter()
        .find(|(_, names)| names.contains(&h.as_str()))
        .map(|(c, _)| *c)
}

enum Done {
    Imported,
    Present,
}

fn cell<'a>(columns: &[Option<Column>], cells: &'a [String], c: Column) -> &'a str {
    columns
        .iter()
        .position(|x| *x == Some(c))
        .and_then(|i| cells.get(i))
        .map(|s| s.trim())
        .unwrap_or("")
}

fn row(
    tx: &mut Tx,
    columns: &[Option<Column>],
    cells: &[String],
    today: NaiveDate,
) -> Result<Done> {
    let get = |c| cell(columns, cells, c);
    let name = patient::normalize_name(get(Column::Name)).map_err(|e| match e {
        Error::Invalid { problem, .. } => Error::invalid("patient_name", problem),
        e => e,
    })?;
    let discharged = crate::validate::date(
        "discharged_on",
        &spreadsheet_date(get(Column::DischargedOn)),
    )?;
    let admitted = spreadsheet_date(get(Column::AdmittedOn));
    let department: Option<DepartmentId> = match get(Column::Department) {
        "" => None,
        d => {
            let found: Option<DepartmentId> =
                tx.value_opt("SELECT id FROM department WHERE name = ?1", &[&d])?;
            Some(found.ok_or(Error::invalid("department", Problem::Unknown))?)
        }
    };
    // The patient: on file by ID number, card number, or name and phone; else new.
    let id_number = get(Column::IdNumber).to_ascii_uppercase();
    let phone = patient::normalize_phone(get(Column::Phone))?;
    let card = patient::check_card_no(get(Column::CardNo))?;
    let mut found: Option<PatientId> = None;
    if !id_number.is_empty() {
        found = tx.value_opt("SELECT id FROM patient WHERE id_number = ?1", &[&id_number])?;
    }
    if found.is_none() {
        if let Some(card) = &card {
            if let Some(p) = patient::find_by_card(tx, card, today)? {
                if p.name != name {
                    return Err(Error::invalid("card_no", Problem::Taken));
                }
                found = Some(p.id);
            }
        }
    }
    if found.is_none() {
        if let Some(phone) = &phone {
            found = tx.value_opt(
                "SELECT id FROM patient WHERE name = ?1 AND phone = ?2 ORDER BY id LIMIT 1",
                &[&name, phone],
            )?;
        }
    }
    let new_patient = match found {
        Some(_) => None,
        None => Some(patient::check(
            &PatientInput {
                name: name.clone(),
                sex: get(Column::Sex).to_string(),
                id_number: id_number.clone(),
                phone: phone.clone().unwrap_or_default(),
                ..Default::default()
            },
            today,
        )?),
    };
    let mut input = DischargeInput {
        patient_id: found,
        department_id: department,
        admitted_on: admitted,
        discharged_on: discharged.to_string(),
        doctor: get(Column::Doctor).to_string(),
        diagnosis: get(Column::Diagnosis).to_string(),
    };
    if let Some(p) = found {
        let present: Option<i64> = tx.value_opt(
            "SELECT id FROM discharge WHERE patient_id = ?1 AND discharged_on = ?2",
            &[&p, &input.discharged_on],
        )?;
        if present.is_some() {
            return Ok(Done::Present);
        }
    }
    // Everything checked that can be before writing; the discharge's own checks go first.
    super::check_discharge(tx, &input, today)?;
    if let Some(p) = new_patient {
        input.patient_id = Some(patient::create(tx, &p, card.as_deref(), true, today)?);
    }
    add_discharge(tx, &input, today)?;
    Ok(Done::Imported)
}

pub fn import_discharges(
    conn: &mut Conn,
    actor: &Actor,
    now: i64,
    bytes: &[u8],
    lang: Lang,
) -> Result<ImportReport> {
    let text = decode(bytes)?;
    let (columns, rows) = read_table(
        &text,
        column,
        &[
            (Column::Name, "name", "姓名"),
            (Column::DischargedOn, "discharged_on", "出院日期"),
        ],
    )?;
    let today = crate::reference::today(conn, now)?;
    store::write(conn, actor, now, |tx| {
        let mut report = ImportReport::default();
        for (n, cells) in &rows {
            if cells.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            match row(tx, &columns, cells, today) {
                Ok(Done::Imported) => report.imported += 1,
                Ok(Done::Present) => report.already_present += 1,
                Err(e @ Error::Invalid { .. }) => {
                    let field = e.field().unwrap_or("record");
                    report.rejected.push(RejectedRow {
                        row: *n,
                        field,
                        field_label: field_label(field, lang),
                        reason: e.message(lang),
                    });
                }
                Err(e) => return Err(e),
            }
        }
        tx.event(
            "discharge.import",
            "import",
            "discharges",
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
