//! 日结: closing the clerk's shift, its history, and the daily report.

use frontdesk_core::cash::{CloseInput, CloseView, ClosedShift, ShiftInfo};
use frontdesk_core::{Error, Problem};
use serde_json::Value;
use tauri::{AppHandle, State};

use super::{deliver, with_desk, Delivered};
use crate::error::UiError;
use crate::AppState;

fn parse(v: Value) -> Result<CloseInput, Error> {
    serde_json::from_value(v).map_err(|_| Error::invalid("record", Problem::BadFormat))
}

#[tauri::command(async)]
pub fn close_preview(state: State<'_, AppState>, input: Value) -> Result<CloseView, UiError> {
    with_desk(&state, |d| d.close_preview(&parse(input)?))
}

#[tauri::command(async)]
pub fn close_shift(state: State<'_, AppState>, input: Value) -> Result<CloseView, UiError> {
    with_desk(&state, |d| d.close_shift(&parse(input)?))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn shift_continue(
    state: State<'_, AppState>,
    approver_username: String,
    approver_password: String,
) -> Result<ShiftInfo, UiError> {
    with_desk(&state, |d| {
        d.shift_continue(&approver_username, &approver_password)
    })
}

#[tauri::command(async)]
pub fn close_history(
    state: State<'_, AppState>,
    everyone: bool,
    from: String,
    to: String,
) -> Result<Vec<ClosedShift>, UiError> {
    with_desk(&state, |d| d.close_history(everyone, &from, &to))
}

/// Writes the day's report beside the data file and prints it on this desk's A4 printer (or
/// opens it in the PDF viewer when the desk has none).
#[tauri::command(async)]
pub fn daily_report_open(state: State<'_, AppState>, date: String) -> Result<Delivered, UiError> {
    let doc = with_desk(&state, |d| d.daily_report_document(&date))?;
    deliver(&state, doc)
}

/// Saves a copy of the day's report where the person chooses, in the native save dialog.
#[tauri::command(async)]
pub fn daily_report_save(
    app: AppHandle,
    state: State<'_, AppState>,
    date: String,
) -> Result<Option<String>, UiError> {
    let file = with_desk(&state, |d| d.daily_report_file(&date))?;
    super::save_copy(&app, &state, &file)
}
