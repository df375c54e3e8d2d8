//! 导诊台's own records: the shift handover log and the day's work log.

use frontdesk_core::guide_log::{Entry, EntryInput, LogChoices};
use frontdesk_core::{Error, Problem};
use serde_json::Value;
use tauri::State;

use super::with_desk;
use crate::error::UiError;
use crate::AppState;

#[tauri::command(async)]
pub fn guide_log_choices(state: State<'_, AppState>) -> Result<LogChoices, UiError> {
    with_desk(&state, |d| d.guide_log_choices())
}

#[tauri::command(async)]
pub fn guide_log_write(state: State<'_, AppState>, input: Value) -> Result<i64, UiError> {
    with_desk(&state, |d| {
        let input: EntryInput = serde_json::from_value(input)
            .map_err(|_| Error::invalid("record", Problem::BadFormat))?;
        d.guide_log_write(&input)
    })
}

#[tauri::command(async)]
pub fn guide_log_list(
    state: State<'_, AppState>,
    kind: String,
    from: String,
    to: String,
) -> Result<Vec<Entry>, UiError> {
    with_desk(&state, |d| d.guide_log_list(&kind, &from, &to))
}
