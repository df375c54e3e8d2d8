//! 挂号: patients, the clerk's shift, registering and taking payment, receipts, 退号 and 换号,
//! appointments and the waiting room. Each command forwards to one `Desk` method.

use std::path::Path;

use frontdesk_core::guide::DoctorQueue;
use frontdesk_core::ids::{PatientId, ReceiptId, RegistrationId};
use frontdesk_core::money::Fen;
use frontdesk_core::patient::{Duplicate, Patient, PatientInput};
use frontdesk_core::registration::{
    Appointment, BookInput, CancelInput, Cancelled, ChangeInput, ChangeQuote, Choice, DutyOption,
    PaymentInput, PaymentLine, Quote, RegisterInput, Registered, RegistrationView, Shift,
    Suggestion,
};
use frontdesk_core::report::DoctorStats;
use frontdesk_core::search::PatientHit;
use frontdesk_core::{Error, Problem};
use serde::de::DeserializeOwned;
use serde_json::Value;
use tauri::{AppHandle, State};

use super::{deliver, with_desk, Delivered};
use crate::error::UiError;
use crate::AppState;

/// Reads a request object; a malformed one is a clear "bad input", not a crash.
fn parse<T: DeserializeOwned>(v: Value) -> Result<T, Error> {
    serde_json::from_value(v).map_err(|_| Error::invalid("record", Problem::BadFormat))
}

#[tauri::command(async)]
pub fn patient_search(
    state: State<'_, AppState>,
    query: String,
) -> Result<Vec<PatientHit>, UiError> {
    with_desk(&state, |d| d.patient_search(&query))
}

#[tauri::command(async)]
pub fn patient_get(state: State<'_, AppState>, id: PatientId) -> Result<Patient, UiError> {
    with_desk(&state, |d| d.patient_get(id))
}

#[tauri::command(async)]
pub fn patient_duplicates(
    state: State<'_, AppState>,
    input: Value,
) -> Result<Vec<Duplicate>, UiError> {
    with_desk(&state, |d| {
        d.patient_duplicates(&parse::<PatientInput>(input)?)
    })
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn patient_save(
    state: State<'_, AppState>,
    input: Value,
    confirmed_new: bool,
) -> Result<Patient, UiError> {
    with_desk(&state, |d| {
        d.patient_save(&parse::<PatientInput>(input)?, confirmed_new)
    })
}

#[tauri::command(async)]
pub fn shift_current(state: State<'_, AppState>) -> Result<Option<Shift>, UiError> {
    with_desk(&state, |d| d.shift_current())
}

#[tauri::command(async)]
pub fn shift_open(state: State<'_, AppState>, counts: Vec<i64>) -> Result<Shift, UiError> {
    with_desk(&state, |d| d.shift_open(&counts))
}

#[tauri::command(async)]
pub fn duty_today(
    state: State<'_, AppState>,
    session: Option<String>,
) -> Result<Vec<DutyOption>, UiError> {
    with_desk(&state, |d| d.duty_today(session.as_deref()))
}

#[tauri::command(async)]
pub fn triage_suggest(
    state: State<'_, AppState>,
    complaint: String,
) -> Result<Vec<Suggestion>, UiError> {
    with_desk(&state, |d| d.triage_suggest(&complaint))
}

#[tauri::command(async)]
pub fn registration_quote(state: State<'_, AppState>, choice: Value) -> Result<Quote, UiError> {
    with_desk(&state, |d| d.registration_quote(&parse::<Choice>(choice)?))
}

/// The payment lines checked and the change to give, while the clerk types; writes nothing.
#[tauri::command(async, rename_all = "snake_case")]
pub fn payment_preview(
    state: State<'_, AppState>,
    due_fen: i64,
    payments: Value,
) -> Result<Vec<PaymentLine>, UiError> {
    with_desk(&state, |d| {
        d.payment_preview(Fen(due_fen), &parse::<Vec<PaymentInput>>(payments)?)
    })
}

#[tauri::command(async)]
pub fn register(state: State<'_, AppState>, input: Value) -> Result<Registered, UiError> {
    with_desk(&state, |d| d.register(&parse::<RegisterInput>(input)?))
}

#[tauri::command(async)]
pub fn registration_cancel(state: State<'_, AppState>, input: Value) -> Result<Cancelled, UiError> {
    with_desk(&state, |d| {
        d.registration_cancel(&parse::<CancelInput>(input)?)
    })
}

#[tauri::command(async)]
pub fn registration_change_quote(
    state: State<'_, AppState>,
    input: Value,
) -> Result<ChangeQuote, UiError> {
    with_desk(&state, |d| {
        d.registration_change_quote(&parse::<ChangeInput>(input)?)
    })
}

#[tauri::command(async)]
pub fn registration_change(
    state: State<'_, AppState>,
    input: Value,
) -> Result<Registered, UiError> {
    with_desk(&state, |d| {
        d.registration_change(&parse::<ChangeInput>(input)?)
    })
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn registrations(
    state: State<'_, AppState>,
    patient_id: Option<PatientId>,
) -> Result<Vec<RegistrationView>, UiError> {
    with_desk(&state, |d| d.registrations(patient_id))
}

/// Writes the receipt's PDF beside the data file and prints it on this desk's receipt printer
/// (or, with none set, opens it in the PDF viewer). A printer that does not take it answers
/// with its problem; the registration stands and the receipt can be printed again (重打).
#[tauri::command(async, rename_all = "snake_case")]
pub fn receipt_open(
    state: State<'_, AppState>,
    receipt_id: ReceiptId,
    reprint: bool,
) -> Result<Delivered, UiError> {
    let doc = with_desk(&state, |d| d.receipt_document(receipt_id, reprint))?;
    deliver(&state, doc)
}

/// Saves a copy of the receipt where the clerk chooses, in the native save dialog.
#[tauri::command(async, rename_all = "snake_case")]
pub fn receipt_save(
    app: AppHandle,
    state: State<'_, AppState>,
    receipt_id: ReceiptId,
) -> Result<Option<String>, UiError> {
    let file = with_desk(&state, |d| d.receipt_file(receipt_id, false))?;
    super::save_copy(&app, &state, &file)
}

pub fn open_in_viewer(file: &Path) {
    let result = if cfg!(windows) {
        std::process::Command::new("cmd")
            .args(["/C", "start", ""])
            .arg(file)
            .spawn()
    } else if cfg!(target_os = "macos") {
        std::process::Command::new("open").arg(file).spawn()
    } else {
        std::process::Command::new("xdg-open").arg(file).spawn()
    };
    if let Err(e) = result {
        eprintln!("frontdesk: cannot open {}: {e}", file.display());
    }
}

#[tauri::command(async)]
pub fn appointment_book(state: State<'_, AppState>, input: Value) -> Result<Appointment, UiError> {
    with_desk(&state, |d| d.appointment_book(&parse::<BookInput>(input)?))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn appointments(
    state: State<'_, AppState>,
    no_shows: bool,
) -> Result<Vec<Appointment>, UiError> {
    with_desk(&state, |d| d.appointments(no_shows))
}

#[tauri::command(async)]
pub fn waiting_room(state: State<'_, AppState>) -> Result<Vec<DoctorQueue>, UiError> {
    with_desk(&state, |d| d.waiting_room())
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn mark_seen(
    state: State<'_, AppState>,
    registration_id: RegistrationId,
) -> Result<(), UiError> {
    with_desk(&state, |d| d.mark_seen(registration_id))
}

#[tauri::command(async)]
pub fn doctor_stats(state: State<'_, AppState>) -> Result<Vec<DoctorStats>, UiError> {
    with_desk(&state, |d| d.doctor_stats())
}
