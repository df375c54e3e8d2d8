//! 管理: reference data, staff accounts, backups and the audit log. Folder and file choices
//! are made in native dialogs opened here, so the page itself is granted no dialog or file
//! access.

use frontdesk_core::admin::{BackupsView, PrintersView, Remade};
use frontdesk_core::audit::{Entry, Report};
use frontdesk_core::backup::BackupFile;
use frontdesk_core::print::DeskPrintersInput;
use frontdesk_core::staff::{Staff, StaffInput};
use frontdesk_core::{Error, Problem};
use serde_json::Value;
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;

use super::with_desk;
use crate::error::UiError;
use crate::AppState;

#[tauri::command(async)]
pub fn reference_list(
    state: State<'_, AppState>,
    kind: String,
    filter: Option<Value>,
) -> Result<Value, UiError> {
    with_desk(&state, |d| {
        d.reference_list(&kind, &filter.unwrap_or(Value::Null))
    })
}

#[tauri::command(async)]
pub fn reference_save(
    state: State<'_, AppState>,
    kind: String,
    record: Value,
) -> Result<Value, UiError> {
    with_desk(&state, |d| d.reference_save(&kind, &record))
}

#[tauri::command(async)]
pub fn reference_delete(state: State<'_, AppState>, kind: String, id: i64) -> Result<(), UiError> {
    with_desk(&state, |d| d.reference_delete(&kind, id))
}

#[tauri::command(async)]
pub fn staff_list(state: State<'_, AppState>) -> Result<Vec<Staff>, UiError> {
    with_desk(&state, |d| d.staff_list())
}

#[tauri::command(async)]
pub fn staff_save(state: State<'_, AppState>, input: Value) -> Result<Staff, UiError> {
    with_desk(&state, |d| {
        let input: StaffInput = serde_json::from_value(input).map_err(|_| {
            frontdesk_core::Error::invalid("record", frontdesk_core::Problem::BadFormat)
        })?;
        d.staff_save(&input)
    })
}

#[tauri::command(async)]
pub fn backups_view(state: State<'_, AppState>) -> Result<BackupsView, UiError> {
    with_desk(&state, |d| d.backups())
}

/// Opens the native folder chooser; returns the chosen folder, or `None` if cancelled. The
/// caller's role is checked before the dialog opens.
#[tauri::command(async)]
pub fn backup_choose_dir(
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<Option<String>, UiError> {
    with_desk(&state, |d| d.backups().map(|_| ()))?;
    Ok(app
        .dialog()
        .file()
        .blocking_pick_folder()
        .and_then(|p| p.into_path().ok())
        .map(|p| p.display().to_string()))
}

#[tauri::command(async)]
pub fn backup_settings(
    state: State<'_, AppState>,
    dir: String,
    keep: i64,
) -> Result<BackupsView, UiError> {
    with_desk(&state, |d| d.backup_settings(&dir, keep))
}

#[tauri::command(async)]
pub fn printers_view(state: State<'_, AppState>) -> Result<PrintersView, UiError> {
    with_desk(&state, |d| d.printers())
}

#[tauri::command(async)]
pub fn printers_set(state: State<'_, AppState>, input: Value) -> Result<PrintersView, UiError> {
    with_desk(&state, |d| {
        let input: DeskPrintersInput = serde_json::from_value(input)
            .map_err(|_| Error::invalid("record", Problem::BadFormat))?;
        d.printers_set(&input)
    })
}

#[tauri::command(async)]
pub fn backup_now(state: State<'_, AppState>) -> Result<BackupFile, UiError> {
    with_desk(&state, |d| d.backup_now())
}

/// After a removal of personal data: today's backup made again, today's earlier ones removed.
#[tauri::command(async)]
pub fn backup_remake_today(state: State<'_, AppState>) -> Result<Remade, UiError> {
    with_desk(&state, |d| d.backup_remake_today())
}

/// Opens the native file chooser on the backup folder for a file to restore.
#[tauri::command(async)]
pub fn backup_choose_file(
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<Option<String>, UiError> {
    let view = with_desk(&state, |d| d.backups())?;
    Ok(app
        .dialog()
        .file()
        .add_filter("Frontdesk", &["db"])
        .set_directory(view.dir)
        .blocking_pick_file()
        .and_then(|p| p.into_path().ok())
        .map(|p| p.display().to_string()))
}

#[tauri::command(async)]
pub fn backup_restore(state: State<'_, AppState>, file: String) -> Result<String, UiError> {
    with_desk(&state, |d| d.restore(&file))
}

#[tauri::command(async)]
pub fn audit_list(
    state: State<'_, AppState>,
    entity: Option<String>,
    limit: Option<i64>,
    reason: Option<String>,
) -> Result<Vec<Entry>, UiError> {
    with_desk(&state, |d| match reason.as_deref() {
        Some(reason) => d.audit_list_unmasked(entity.as_deref(), limit.unwrap_or(200), reason),
        None => d.audit_list(entity.as_deref(), limit.unwrap_or(200)),
    })
}

#[tauri::command(async)]
pub fn audit_verify(state: State<'_, AppState>) -> Result<Report, UiError> {
    with_desk(&state, |d| d.audit_verify())
}
