//! 投诉: intake, the list, the case page and its steps, and the working calendar's import.

use frontdesk_core::calendar::Imported;
use frontdesk_core::complaint::figures::Figures;
use frontdesk_core::complaint::{Case, CaseView, Choices, IntakeInput, StepInput};
use frontdesk_core::ids::ComplaintId;
use frontdesk_core::search::PatientHit;
use frontdesk_core::{Error, Problem};
use serde::de::DeserializeOwned;
use serde_json::Value;
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;

use super::{deliver, save_and_remove, with_desk, Delivered};
use crate::error::UiError;
use crate::AppState;

fn parse<T: DeserializeOwned>(v: Value) -> Result<T, Error> {
    serde_json::from_value(v).map_err(|_| Error::invalid("record", Problem::BadFormat))
}

#[tauri::command(async)]
pub fn complaint_choices(state: State<'_, AppState>) -> Result<Choices, UiError> {
    with_desk(&state, |d| d.complaint_choices())
}

#[tauri::command(async)]
pub fn complaint_patient_search(
    state: State<'_, AppState>,
    query: String,
) -> Result<Vec<PatientHit>, UiError> {
    with_desk(&state, |d| d.complaint_patient_search(&query))
}

#[tauri::command(async)]
pub fn complaint_record(state: State<'_, AppState>, input: Value) -> Result<CaseView, UiError> {
    with_desk(&state, |d| {
        d.complaint_record(&parse::<IntakeInput>(input)?)
    })
}

#[tauri::command(async)]
pub fn complaint_step(state: State<'_, AppState>, input: Value) -> Result<CaseView, UiError> {
    with_desk(&state, |d| d.complaint_step(&parse::<StepInput>(input)?))
}

#[tauri::command(async)]
pub fn complaint_view(state: State<'_, AppState>, id: ComplaintId) -> Result<CaseView, UiError> {
    with_desk(&state, |d| d.complaint_view(id))
}

#[tauri::command(async)]
pub fn complaint_list(
    state: State<'_, AppState>,
    view: String,
    limit: Option<i64>,
) -> Result<Vec<Case>, UiError> {
    with_desk(&state, |d| d.complaint_list(&view, limit.unwrap_or(200)))
}

/// 管理 → 工作日历: a CSV of dates chosen in the native dialog, imported as one change.
#[tauri::command(async)]
pub fn calendar_import(
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<Option<Imported>, UiError> {
    // The role is checked before any dialog opens.
    with_desk(&state, |d| d.may_keep_the_calendar())?;
    let Some(path) = app
        .dialog()
        .file()
        .add_filter("CSV", &["csv", "txt"])
        .blocking_pick_file()
        .and_then(|p| p.into_path().ok())
    else {
        return Ok(None);
    };
    let bytes = std::fs::read(&path).map_err(|e| {
        let lang = *state.lang.lock().unwrap_or_else(|p| p.into_inner());
        UiError::from_core(&Error::Io(e), lang)
    })?;
    with_desk(&state, |d| d.calendar_import(&bytes)).map(Some)
}

#[tauri::command(async)]
pub fn complaint_figures(
    state: State<'_, AppState>,
    from: String,
    to: String,
) -> Result<Figures, UiError> {
    with_desk(&state, |d| d.complaint_figures(&from, &to))
}

/// 投诉登记本 for a period, saved where the person chooses in the native save dialog.
#[tauri::command(async)]
pub fn complaint_register_save(
    app: AppHandle,
    state: State<'_, AppState>,
    from: String,
    to: String,
    format: String,
    unmasked: bool,
    reason: String,
) -> Result<Option<String>, UiError> {
    let file = with_desk(&state, |d| {
        d.complaint_register_file(&from, &to, &format, unmasked, &reason)
    })?;
    save_and_remove(&app, &state, &file)
}

/// One case with its history, on this desk's A4 printer (or in the viewer).
#[tauri::command(async)]
pub fn complaint_case_print(
    state: State<'_, AppState>,
    id: ComplaintId,
) -> Result<Delivered, UiError> {
    let doc = with_desk(&state, |d| d.complaint_case_document(id))?;
    deliver(&state, doc)
}
