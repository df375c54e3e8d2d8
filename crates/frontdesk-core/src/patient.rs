//! 患者档案: the patient index — 姓名, 性别, 出生日期, 居民身份证号, 电话, 地址, 来源地, 获知途径
//! and the 就诊卡号 the app issues.
//!
//! Rules owned here:
//! - 身份证号: 18 characters, a known province prefix, a real birth date not after today, the
//!   GB 11643 check digit (a lowercase `x` is read as `X`). The birth date and sex are taken from
//!   it when not typed, and must agree with it when typed.
//! - 电话: a mainland mobile (11 digits, `1[3-9]…`, stored without spaces or dashes) or a landline
//!   with its area code (stored `0xx-xxxxxxxx`).
//! - 姓名: Chinese or Latin letters, `·` between parts, spaces only between Latin words, 1–30.
//! - 就诊卡号: 8 digits from the `card` series, issued in the transaction that creates the
//!   patient, so a refused or rolled-back creation uses no number.
//! - 疑似重复: a new patient with the same ID number, the same name and phone, or the same name
//!   and birth date as someone on file is refused with the matches until the clerk confirms it
//!   is someone new; the same ID number is refused always.
//! - Every change goes through `db::write`, is recorded in the audit log, and rebuilds the
//!   patient's search keys (`search::keys`).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::audit::{snapshot, Table};
use crate::error::{Error, Problem, Result};
use crate::ids::PatientId;
use crate::search::{self, PatientHit};
use crate::staff::{Area, Permission};
use crate::store::{self, Conn, Counter, Row, Tx};
use crate::validate;

/// The series (`series.name`) 就诊卡号 are issued from.
pub const CARD_SERIES: &str = "card";
/// Issued card numbers are this many digits, zero-padded.
pub const CARD_DIGITS: usize = 8;
/// The longest name the index keeps.
pub const NAME_MAX: usize = 30;

/// A patient as the registration form sends it. Empty text means "not given".
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct PatientInput {
    /// Absent for a new patient.
    pub id: Option<PatientId>,
    pub name: String,
    /// `M` or `F` (男/女 accepted); may be empty when the ID number gives it.
    pub sex: String,
    /// `YYYY-MM-DD`; may be empty (taken from the ID number when there is one).
    pub birth_date: String,
    pub id_number: String,
    pub phone: String,
    pub address: String,
    /// 来源地
    pub origin: String,
    /// 获知途径
    pub heard_via: String,
    /// 就诊卡号: only an import gives one (the old system's); the desk always issues a new one.
    pub card_no: String,
}

/// A patient as the edit form shows it: phone and ID number in full.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Patient {
    pub id: PatientId,
    pub card_no: String,
    pub name: String,
    pub sex: String,
    pub birth_date: Option<String>,
    /// Whole years at the hospital's business date.
    pub age: Option<i64>,
    pub id_number: Option<String>,
    pub phone: Option<String>,
    pub address: String,
    pub origin: String,
    pub heard_via: String,
    pub created_at: i64,
    pub last_visit_at: Option<i64>,
}

/// 患者's own refusals (carried by the core's `Error` as an `AreaError`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PatientError {
    /// 疑似重复建档: a new patient looks like one already in the index. The clerk checks the
    /// matches and either picks one or confirms that this is someone new.
    #[error("possible duplicates: {} existing patients", .0.len())]
    PossibleDuplicates(Vec<Duplicate>),
}

impl crate::error::AreaError for PatientError {
    fn code(&self) -> &'static str {
        match self {
            PatientError::PossibleDuplicates(_) => "possible_duplicates",
        }
    }

    fn message(&self, lang: crate::i18n::Lang) -> String {
        match self {
            PatientError::PossibleDuplicates(found) => {
                let list = found
                    .iter()
                    .map(|d| format!("{}（卡号 {}）", d.patient.name, d.patient.card_no))
                    .collect::<Vec<_>>()
                    .join("、");
                if lang == crate::i18n::Lang::Zh {
                    format!("可能已有该患者的档案：{list}。请核对，确认是新患者后再保存")
                } else {
                    format!("This patient may already be registered: {list}. Check, and confirm it is someone new to save.")
                }
            }
        }
    }

    /// The matches, for the page to list.
    fn details(&self) -> Option<serde_json::Value> {
        match self {
            PatientError::PossibleDuplicates(found) => serde_json::to_value(found).ok(),
        }
    }
}

impl From<PatientError> for Error {
    fn from(e: PatientError) -> Self {
        Error::area(e)
    }
}

/// A patient on file who may be the one being created, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Duplicate {
    pub patient: Patient,
    /// Any of `id_number`, `name_phone`, `name_birth_date`.
    pub matched_on: Vec<&'static str>,
}

/// A patient's details once checked and put in their stored form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub name: String,
    pub sex: &'static str,
    pub birth_date: Option<NaiveDate>,
    pub id_number: Option<String>,
    pub phone: Option<String>,
    pub address: String,
    pub origin: String,
    pub heard_via: String,
}

// ---- 居民身份证号 --------------------------------------------------------------------------

/// What a valid ID number says about its holder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdNumber {
    /// 18 characters, a final `X` in capitals.
    pub number: String,
    pub birth_date: NaiveDate,
    pub sex: &'static str,
}

/// Province-level codes (the first two digits) of GB/T 2260, with Taiwan (71), Hong Kong (81)
/// and Macao (82).
const PROVINCES: [(u32, u32); 9] = [
    (11, 15),
    (21, 23),
    (31, 37),
    (41, 46),
    (50, 54),
    (61, 65),
    (71, 71),
    (81, 81),
    (82, 82),
];

const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/// The GB 11643 check character for the first 17 digits of an ID number, or `None` when they
/// are not 17 digits.
pub fn id_check_digit(first17: &str) -> Option<char> {
    if first17.len() != 17 || !first17.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = first17
        .bytes()
        .zip(ID_WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    Some(b"10X98765432"[(sum % 11) as usize] as char)
}

/// Checks a 居民身份证号 and reads the birth date and sex from it.
pub fn check_id_number(value: &str, today: NaiveDate) -> Result<IdNumber> {
    let field = "id_number";
    let v = value.trim().to_ascii_uppercase();
    if v.is_empty() {
        return Err(Error::invalid(field, Problem::Required));
    }
    if v.chars().count() != 18 {
        return Err(Error::invalid(field, Problem::Length(18)));
    }
    let b = v.as_bytes();
    if !b[..17].iter().all(u8::is_ascii_digit) || !(b[17].is_ascii_digit() || b[17] == b'X') {
        return Err(Error::invalid(field, Problem::BadFormat));
    }
    let province: u32 = v[..2].parse().unwrap_or(0);
    if !PROVINCES
        .iter()
        .any(|(lo, hi)| (*lo..=*hi).contains(&province))
    {
        return Err(Error::invalid(field, Problem::IdRegion));
    }
    let birth_date = NaiveDate::parse_from_str(&v[6..14], "%Y%m%d")
        .ok()
        .filter(|d| d.year() >= 1900 && *d <= today)
        .ok_or(Error::invalid(field, Problem::IdBirthDate))?;
    if id_check_digit(&v[..17]) != Some(b[17] as char) {
        return Err(Error::invalid(field, Problem::IdCheckDigit));
    }
    let sex = if (b[16] - b'0') % 2 == 1 { "M" } else { "F" };
    Ok(IdNumber {
        number: v,
        birth_date,
        sex,
    })
}

// ---- 电话, 姓名, 性别, 出生日期 ----------------------------------------------------------------

/// A phone number in its stored form, or `None` when none was given. Accepted as people write
/// them — spaces, dashes or dots between groups (`138 0013 8000`, `138-0013-8000`), the area
/// code in brackets (`(010) 1234 5678`, `（0571）88886666`), the country code (`+86`, `0086`,
/// `86` before a mobile), full-width digits from a Chinese input method — and stored as one
/// form: a mobile as its 11 digits, a landline as `0xx-xxxxxxxx`. Anything else is refused.
pub fn normalize_phone(value: &str) -> Result<Option<String>> {
    let bad = || Error::invalid("phone", Problem::PhoneFormat);
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    // Digits, with where a typed separator fell (as a count of digits before it).
    let mut digits = String::new();
    let mut breaks: Vec<usize> = Vec::new();
    let mut plus = false;
    for (i, c) in v.chars().enumerate() {
        let c = match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '＋' => '+',
            c => c,
        };
        match c {
            '0'..='9' => digits.push(c),
            '+' if i == 0 => plus = true,
            ' ' | '\u{3000}' | '-' | '－' | '–' | '—' | '.' | '(' | ')' | '（' | '）' => {
                if !digits.is_empty() && breaks.last() != Some(&digits.len()) {
                    breaks.push(digits.len());
                }
            }
            _ => return Err(bad()),
        }
    }
    // The country code: +86, 0086, or 86 before a mobile number.
    let is_mobile = |d: &str| {
        let b = d.as_bytes();
        b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1])
    };
    let (national, cut) = if plus {
        match digits.strip_prefix("86") {
            Some(rest) => (rest.to_string(), 2),
            None => return Err(bad()),
        }
    } else if let Some(rest) = digits.strip_prefix("0086") {
        (rest.to_string(), 4)
    } else if digits.len() == 13 && digits.starts_with("86") && is_mobile(&digits[2..]) {
        (digits[2..].to_string(), 2)
    } else {
        (digits.clone(), 0)
    };
    let breaks: Vec<usize> = breaks
        .into_iter()
        .filter(|b| *b > cut)
        .map(|b| b - cut)
        .collect();
    if is_mobile(&national) {
        return Ok(Some(national));
    }
    // A landline; written after +86 it drops its leading 0 (+86 10 12345678).
    let (landline, shift) = match national.as_bytes().first() {
        Some(b'0') => (national.clone(), 0),
        Some(_) if cut > 0 => (format!("0{national}"), 1),
        _ => return Err(bad()),
    };
    // 010 and 02x are the three-digit area codes; every other is four digits.
    let area = if landline.starts_with("010") || landline.starts_with("02") {
        3
    } else {
        4
    };
    // A separator, when typed, first falls right after the area code.
    if breaks.first().is_some_and(|b| b + shift != area) {
        return Err(bad());
    }
    let local = &landline[area.min(landline.len())..];
    if (7..=8).contains(&local.len()) && !local.starts_with('0') {
        return Ok(Some(format!("{}-{local}", &landline[..area])));
    }
    Err(bad())
}

fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3007}'
        | '\u{3400}'..='\u{4dbf}'
        | '\u{4e00}'..='\u{9fff}'
        | '\u{f900}'..='\u{faff}'
        | '\u{20000}'..='\u{2fa1f}')
}

/// A name in its stored form: trimmed, runs of spaces made one, look-alike middle dots made `·`.
pub fn normalize_name(value: &str) -> Result<String> {
    let field = "patient_name";
    let unified: String = value
        .chars()
        .map(|c| match c {
            '•' | '・' | '．' | '‧' | '∙' | '⋅' => '·',
            c if c.is_whitespace() => ' ',
            c => c,
        })
        .collect();
    let collapsed = unified
        .split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>();
    let name = validate::text(field, &collapsed.join(" "), 1, NAME_MAX)?;
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let before = i.checked_sub(1).map(|j| chars[j]);
        let after = chars.get(i + 1).copied();
        let ok = match c {
            ' ' => {
                before.is_some_and(|b| b.is_ascii_alphabetic())
                    && after.is_some_and(|a| a.is_ascii_alphabetic())
            }
            '·' => {
                before.is_some_and(|b| b != '·' && b != ' ')
                    && after.is_some_and(|a| a != '·' && a != ' ')
            }
            c => is_han(c) || c.is_ascii_alphabetic(),
        };
        if !ok {
            return Err(Error::invalid(field, Problem::NameFormat));
        }
    }
    Ok(name)
}

/// `M`, `F`, or `None` when not given.
pub fn parse_sex(value: &str) -> Result<Option<&'static str>> {
    match value.trim() {
        "" => Ok(None),
        "M" | "m" | "男" => Ok(Some("M")),
        "F" | "f" | "女" => Ok(Some("F")),
        _ => Err(Error::invalid("sex", Problem::BadFormat)),
    }
}

/// A typed birth date: a real date, from 1900 up to today.
pub fn check_birth_date(value: &str, today: NaiveDate) -> Result<Option<NaiveDate>> {
    if value.trim().is_empty() {
        return Ok(None);
    }
    let d = validate::date("birth_date", value)?;
    if d > today {
        return Err(Error::invalid("birth_date", Problem::Future));
    }
    if d.year() < 1900 {
        return Err(Error::invalid(
            "birth_date",
            Problem::OutOfRange(1900, i64::from(today.year())),
        ));
    }
    Ok(Some(d))
}

/// Whole years from `birth` to `today`.
pub fn age_on(birth: NaiveDate, today: NaiveDate) -> i64 {
    let mut years = i64::from(today.year() - birth.year());
    if (today.month(), today.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    years.max(0)
}

/// The age on `today` of a stored birth date (`YYYY-MM-DD`), if there is one.
pub fn age_from(birth_date: Option<&str>, today: NaiveDate) -> Option<i64> {
    birth_date
        .and_then(|d| d.parse::<NaiveDate>().ok())
        .map(|d| age_on(d, today))
}

/// Checks every field of `input` and returns the patient in stored form. Every field that is
/// wrong is refused together (the first first), so the desk sees all of them at once.
pub fn check(input: &PatientInput, today: NaiveDate) -> Result<Checked> {
    let mut c = validate::Checks::new();
    let name = c.take(normalize_name(&input.name));
    let sex = c.take(parse_sex(&input.sex)).flatten();
    let no_id = input.id_number.trim().is_empty();
    if no_id && sex.is_none() && !c.refused("sex") {
        c.refuse(Error::invalid("sex", Problem::Required));
    }
    let typed_birth = c.take(check_birth_date(&input.birth_date, today)).flatten();
    let identity = if no_id {
        sex.map(|s| (s, typed_birth, None))
    } else {
        c.take(check_id_number(&input.id_number, today)).map(|id| {
            if sex.is_some_and(|s| s != id.sex) {
                c.refuse(Error::invalid("sex", Problem::DisagreesWithId));
            }
            if typed_birth.is_some_and(|d| d != id.birth_date) {
                c.refuse(Error::invalid("birth_date", Problem::DisagreesWithId));
            }
            (id.sex, Some(id.birth_date), Some(id.number))
        })
    };
    let phone = c.take(normalize_phone(&input.phone));
    let address = c.take(validate::text("address", &input.address, 0, 100));
    let origin = c.take(validate::text("origin", &input.origin, 0, 40));
    let heard_via = c.take(validate::text("heard_via", &input.heard_via, 0, 40));
    c.done()?;
    match (name, identity, phone, address, origin, heard_via) {
        (
            Some(name),
            Some((sex, birth_date, id_number)),
            Some(phone),
            Some(address),
            Some(origin),
            Some(heard_via),
        ) => Ok(Checked {
            name,
            sex,
            birth_date,
            id_number,
            phone,
            address,
            origin,
            heard_via,
        }),
        _ => unreachable!("every field refused is returned by Checks::done"),
    }
}

/// A card number as an import gives it: 1–20 letters, digits or dashes.
pub fn check_card_no(value: &str) -> Result<Option<String>> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    let v = validate::text("card_no", v, 1, 20)?;
    if !v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(Error::invalid("card_no", Problem::BadFormat));
    }
    Ok(Some(v.to_ascii_uppercase()))
}

// ---- masking for lists -------------------------------------------------------------------

pub use crate::mask::{id_number as mask_id_number, phone as mask_phone};

// ---- the store ---------------------------------------------------------------------------

const COLUMNS: &str = "id, card_no, name, sex, birth_date, id_number, phone, address, origin, \
                       heard_via, created_at, last_visit_at";

fn from_row(r: &Row, today: NaiveDate) -> Result<Patient> {
    let birth_date: Option<String> = r.get(4)?;
    let age = age_from(birth_date.as_deref(), today);
    Ok(Patient {
        id: r.get(0)?,
        card_no: r.get(1)?,
        name: r.get(2)?,
        sex: r.get(3)?,
        birth_date,
        age,
        id_number: r.get(5)?,
        phone: r.get(6)?,
        address: r.get(7)?,
        origin: r.get(8)?,
        heard_via: r.get(9)?,
        created_at: r.get(10)?,
        last_visit_at: r.get(11)?,
    })
}

pub fn get_patient(conn: &Conn, id: PatientId, today: NaiveDate) -> Result<Patient> {
    conn.one(
        &format!("SELECT {COLUMNS} FROM patient WHERE id = ?1"),
        &[&id],
        |r| from_row(r, today),
    )?
    .ok_or(Error::NotFound("patient"))
}

/// The patient holding card `card_no`, if any.
pub fn find_by_card(conn: &Conn, card_no: &str, today: NaiveDate) -> Result<Option<Patient>> {
    conn.one(
        &format!("SELECT {COLUMNS} FROM patient WHERE card_no = ?1"),
        &[&card_no],
        |r| from_row(r, today),
    )
}

/// Patients on file who may be `p`: the same ID number, the same name and phone, or the same
/// name and birth date. `except` leaves out the patient being edited.
pub fn find_duplicates(
    conn: &Conn,
    p: &Checked,
    except: Option<PatientId>,
    today: NaiveDate,
) -> Result<Vec<Duplicate>> {
    let birth = p.birth_date.map(|d| d.to_string());
    let found = conn.all(
        &format!(
            "SELECT {COLUMNS} FROM patient
             WHERE (id_number = ?1 OR (name = ?2 AND phone = ?3) OR (name = ?2 AND birth_date = ?4))
               AND id <> ?5
             ORDER BY id LIMIT 20"
        ),
        &[
            &p.id_number,
            &p.name,
            &p.phone,
            &birth,
            &except.unwrap_or_default(),
        ],
        |r| from_row(r, today),
    )?;
    Ok(found
        .into_iter()
        .map(|patient| {
            let mut matched_on = Vec::new();
            if p.id_number.is_some() && patient.id_number == p.id_number {
                matched_on.push("id_number");
            }
            if patient.name == p.name && p.phone.is_some() && patient.phone == p.phone {
                matched_on.push("name_phone");
            }
            if patient.name == p.name && birth.is_some() && patient.birth_date == birth {
                matched_on.push("name_birth_date");
            }
            Duplicate {
                patient,
                matched_on,
            }
        })
        .collect())
}

/// Issues the next 就诊卡号 from the card series, skipping any an import already used.
fn issue_card(tx: &mut Tx) -> Result<String> {
    loop {
        let next = tx.next_number(Counter::Series(CARD_SERIES))?;
        let card = format!("{next:0width$}", width = CARD_DIGITS);
        let taken: i64 = tx.value("SELECT count(*) FROM patient WHERE card_no = ?1", &[&card])?;
        if taken == 0 {
            return Ok(card);
        }
    }
}

/// Moves the card series past a numeric card number given by an import, so the desk never
/// issues it again.
fn keep_series_past(tx: &mut Tx, card_no: &str) -> Result<()> {
    if card_no.len() > 15 || !card_no.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(());
    }
    tx.move_series_past(CARD_SERIES, card_no.parse().unwrap_or(0))
}

fn id_number_holder(conn: &Conn, id_number: &str) -> Result<Option<PatientId>> {
    conn.value_opt("SELECT id FROM patient WHERE id_number = ?1", &[&id_number])
}

/// A stored patient's searchable fields: card number, name, phone, ID number.
struct KeyFields {
    card_no: String,
    name: String,
    phone: Option<String>,
    id_number: Option<String>,
}

/// The search keys a stored row has (derived from it, so they can be removed without an index
/// on `patient_id`).
pub(crate) fn stored_keys(conn: &Conn, id: PatientId) -> Result<Vec<String>> {
    let row: Option<KeyFields> = conn.one(
        "SELECT card_no, name, phone, id_number FROM patient WHERE id = ?1",
        &[&id],
        |r| {
            Ok(KeyFields {
                card_no: r.get(0)?,
                name: r.get(1)?,
                phone: r.get(2)?,
                id_number: r.get(3)?,
            })
        },
    )?;
    Ok(row
        .map(|p| {
            search::keys(
                &p.card_no,
                &p.name,
                p.phone.as_deref(),
                p.id_number.as_deref(),
            )
        })
        .unwrap_or_default())
}

/// Creates a patient. `card_no` is kept when an import gives one; otherwise the next card
/// number is issued. Likely duplicates refuse unless `confirmed_new`; the same ID number
/// refuses always.
pub fn create(
    tx: &mut Tx,
    p: &Checked,
    card_no: Option<&str>,
    confirmed_new: bool,
    today: NaiveDate,
) -> Result<PatientId> {
    if let Some(idn) = &p.id_number {
        if id_number_holder(tx, idn)?.is_some() {
            return Err(Error::invalid("id_number", Problem::Taken));
        }
    }
    if !confirmed_new {
        let found = find_duplicates(tx, p, None, today)?;
        if !found.is_empty() {
            return Err(PatientError::PossibleDuplicates(found).into());
        }
    }
    let card = match card_no {
        Some(card) => {
            if find_by_card(tx, card, today)?.is_some() {
                return Err(Error::invalid("card_no", Problem::Taken));
            }
            keep_series_past(tx, card)?;
            card.to_string()
        }
        None => issue_card(tx)?,
    };
    let id: PatientId = tx.insert(
        "INSERT INTO patient (card_no, name, sex, birth_date, id_number, phone, address, origin,
                              heard_via, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id",
        &[
            &card,
            &p.name,
            &p.sex,
            &p.birth_date.map(|d| d.to_string()),
            &p.id_number,
            &p.phone,
            &p.address,
            &p.origin,
            &p.heard_via,
            &tx.now,
        ],
    )?;
    search::replace_keys(tx, id, &[], &stored_keys(tx, id)?)?;
    tx.record("patient.create", Table::Patient, id, None)?;
    Ok(id)
}

/// Changes a patient's details (the card number and visits stay).
pub fn update(tx: &mut Tx, id: PatientId, p: &Checked) -> Result<()> {
    let before = snapshot(tx, Table::Patient, id)?.ok_or(Error::NotFound("patient"))?;
    if let Some(idn) = &p.id_number {
        if id_number_holder(tx, idn)?.is_some_and(|holder| holder != id) {
            return Err(Error::invalid("id_number", Problem::Taken));
        }
    }
    let old_keys = stored_keys(tx, id)?;
    tx.execute(
        "UPDATE patient SET name = ?2, sex = ?3, birth_date = ?4, id_number = ?5, phone = ?6,
                            address = ?7, origin = ?8, heard_via = ?9
         WHERE id = ?1",
        &[
            &id,
            &p.name,
            &p.sex,
            &p.birth_date.map(|d| d.to_string()),
            &p.id_number,
            &p.phone,
            &p.address,
            &p.origin,
            &p.heard_via,
        ],
    )?;
    search::replace_keys(tx, id, &old_keys, &stored_keys(tx, id)?)?;
    tx.record("patient.update", Table::Patient, id, Some(before))?;
    Ok(())
}

/// Checks `input` and creates or updates the patient it describes. The desk never takes a card
/// number from the form.
pub fn save(tx: &mut Tx, input: &PatientInput, confirmed_new: bool) -> Result<Patient> {
    let today = crate::reference::today(tx, tx.now)?;
    let p = check(input, today)?;
    let id = match input.id {
        Some(id) => {
            update(tx, id, &p)?;
            id
        }
        None => create(tx, &p, None, confirmed_new, today)?,
    };
    get_patient(tx, id, today)
}

/// 就诊: the patient came today. Called by registration in its own transaction.
pub fn mark_visit(tx: &mut Tx, patient_id: PatientId) -> Result<()> {
    let before = snapshot(tx, Table::Patient, patient_id)?.ok_or(Error::NotFound("patient"))?;
    tx.execute(
        "UPDATE patient SET last_visit_at = ?2 WHERE id = ?1",
        &[&patient_id, &tx.now],
    )?;
    tx.record("patient.visit", Table::Patient, patient_id, Some(before))
}

/// The likely duplicates of a form still being typed: fields that are not valid yet are left
/// out of the comparison instead of refused.
pub fn duplicates_of_draft(
    conn: &Conn,
    input: &PatientInput,
    today: NaiveDate,
) -> Result<Vec<Duplicate>> {
    let Ok(name) = normalize_name(&input.name) else {
        return Ok(Vec::new());
    };
    let id = check_id_number(&input.id_number, today).ok();
    let birth_date = check_birth_date(&input.birth_date, today)
        .ok()
        .flatten()
        .or(id.as_ref().map(|i| i.birth_date));
    let draft = Checked {
        name,
        sex: id.as_ref().map(|i| i.sex).unwrap_or("M"),
        birth_date,
        id_number: id.map(|i| i.number),
        phone: normalize_phone(&input.phone).ok().flatten(),
        address: String::new(),
        origin: String::new(),
        heard_via: String::new(),
    };
    find_duplicates(conn, &draft, input.id, today)
}

// ---- the desk's commands -----------------------------------------------------------------

impl crate::desk::Desk {
    /// Search as the clerk types: card, phone (whole, prefix, last four), name, pinyin, ID.
    pub fn patient_search(&mut self, query: &str) -> Result<Vec<PatientHit>> {
        self.authorize(Permission::UseArea(Area::Registration))?;
        search::search(&self.conn, query, search::DEFAULT_LIMIT, self.today()?)
    }

    /// One patient in full, for the edit form.
    pub fn patient_get(&mut self, id: PatientId) -> Result<Patient> {
        self.authorize(Permission::UseArea(Area::Registration))?;
        get_patient(&self.conn, id, self.today()?)
    }

    /// Patients on file who may be the one being typed in (shown before creating a record).
    pub fn patient_duplicates(&mut self, input: &PatientInput) -> Result<Vec<Duplicate>> {
        self.authorize(Permission::UseArea(Area::Registration))?;
        duplicates_of_draft(&self.conn, input, self.today()?)
    }

    /// Creates (no `id`) or updates a patient. A new patient who looks like someone on file is
    /// refused with [`PatientError::PossibleDuplicates`] until `confirmed_new`.
    pub fn patient_save(&mut self, input: &PatientInput, confirmed_new: bool) -> Result<Patient> {
        self.authorize(Permission::UseArea(Area::Registration))?;
        let now = self.now();
        let actor = self.actor();
        store::write(&mut self.conn, &actor, now, |tx| {
            save(tx, input, confirmed_new)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_check_digit_follows_gb_11643() {
        // The standard's own example.
        assert_eq!(id_check_digit("11010519491231002"), Some('X'));
        assert_eq!(id_check_digit("44052418800101001"), Some('4'));
        assert_eq!(id_check_digit("1101051949123100"), None);
    }

    #[test]
    fn ages_count_whole_years() {
        let today = day("2026-03-02");
        assert_eq!(age_on(day("1990-03-02"), today), 36);
        assert_eq!(age_on(day("1990-03-03"), today), 35);
        assert_eq!(age_on(day("2026-01-01"), today), 0);
    }

    #[test]
    fn phones_are_taken_as_people_write_them_and_stored_one_way() {
        for (typed, stored) in [
            ("13800138000", "13800138000"),
            ("138 0013 8000", "13800138000"),
            ("138-0013-8000", "13800138000"),
            ("138.0013.8000", "13800138000"),
            ("+86 13800138000", "13800138000"),
            ("+86-138-0013-8000", "13800138000"),
            ("+8613800138000", "13800138000"),
            ("0086 138 0013 8000", "13800138000"),
            ("008613800138000", "13800138000"),
            ("8613800138000", "13800138000"),
            ("１３８００１３８０００", "13800138000"),
            ("＋８６　１３８００１３８０００", "13800138000"),
            (" 138\u{3000}0013\u{3000}8000 ", "13800138000"),
            ("010-12345678", "010-12345678"),
            ("01012345678", "010-12345678"),
            ("(010) 1234 5678", "010-12345678"),
            ("（0571）88886666", "0571-88886666"),
            ("0571 8888 6666", "0571-88886666"),
            ("+86 10 12345678", "010-12345678"),
            ("+86 571 88886666", "0571-88886666"),
            ("0086 10 12345678", "010-12345678"),
        ] {
            assert_eq!(
                normalize_phone(typed).unwrap().as_deref(),
                Some(stored),
                "{typed:?}"
            );
        }
        assert_eq!(normalize_phone("  ").unwrap(), None);
        for bad in [
            "1380013800",    // ten digits
            "138001380001",  // twelve
            "12800138000",   // no such mobile prefix
            "+1 4155550100", // another country
            "+44 13800138000",
            "138O0138000",        // a letter O
            "138-0013-8000 转 8", // an extension
            "13800138000#",
            "05718-8886666",  // the dash not after the area code
            "0571-088886666", // local number starting with 0
            "0571-123456",    // too short
            "1+3800138000",   // a plus inside
            "86 10 12345678", // 86 without + before a landline
            "110",
            "---",
        ] {
            assert_eq!(
                normalize_phone(bad).map_err(|e| e.field()),
                Err(Some("phone")),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn every_wrong_field_is_refused_at_once() {
        let input = PatientInput {
            name: String::new(),
            birth_date: "2026-13-45".into(),
            phone: "12345".into(),
            ..PatientInput::default()
        };
        let fields: Vec<_> = match check(&input, day("2026-03-02")) {
            Err(e) => e.each().iter().filter_map(|e| e.field()).collect(),
            Ok(_) => panic!("taken"),
        };
        assert_eq!(fields, ["patient_name", "sex", "birth_date", "phone"]);
        // With an ID number the sex comes from it, and a sex that disagrees is refused beside
        // the phone's problem.
        let input = PatientInput {
            name: "张三".into(),
            sex: "M".into(),
            id_number: "11010519491231002X".into(),
            phone: "12345".into(),
            ..PatientInput::default()
        };
        let fields: Vec<_> = match check(&input, day("2026-03-02")) {
            Err(e) => e.each().iter().filter_map(|e| e.field()).collect(),
            Ok(_) => panic!("taken"),
        };
        assert_eq!(fields, ["sex", "phone"]);
    }
}
