//! One file per area of the desk. Each command parses its input, calls one `Desk` method (which
//! checks the caller's role) and maps the result.

pub mod admin;
pub mod cash;
pub mod complaints;
pub mod followups;
pub mod guidelog;
pub mod quality;
pub mod registration;
pub mod session;

use frontdesk_core::desk::Printable;
use frontdesk_core::{Desk, Error};
use serde::Serialize;
use tauri::State;

use crate::error::UiError;
use crate::AppState;

/// Runs `f` on the open desk, turning a core error into the page's `{code, message, field}`.
pub fn with_desk<T>(
    state: &State<'_, AppState>,
    f: impl FnOnce(&mut Desk) -> Result<T, Error>,
) -> Result<T, UiError> {
    let mut guard = state.desk.lock().unwrap_or_else(|p| p.into_inner());
    let lang = *state.lang.lock().unwrap_or_else(|p| p.into_inner());
    match guard.as_mut() {
        // Commands run on Tauri's async runtime; the desk's store blocks (a file, or the
        // PostgreSQL client, which drives a runtime of its own and may not be called from
        // inside another): tell the runtime this thread blocks for a while.
        Some(desk) => {
            tokio::task::block_in_place(|| f(desk)).map_err(|e| UiError::from_core(&e, desk.lang()))
        }
        None => {
            let startup = state
                .startup_error
                .lock()
                .unwrap_or_else(|p| p.into_inner());
            let e = startup
                .as_ref()
                .map(|e| {
                    let mut ui = UiError::from_core(e, lang);
                    ui.message = format!("{}（{}）", ui.message, state.db_path);
                    ui
                })
                .unwrap_or_else(|| UiError::from_core(&Error::NotLoggedIn, lang));
            Err(e)
        }
    }
}

/// Where a document went: to `printer` as CUPS job `job`, or (no printer set for this desk)
/// opened in the PDF viewer.
#[derive(Debug, Serialize)]
pub struct Delivered {
    pub path: String,
    pub printer: Option<String>,
    pub job: Option<String>,
}

/// Prints a written document on the desk's printer, or opens it in the viewer when the desk
/// has none (not with `FRONTDESK_NO_OPEN`, as in tests). Runs without holding the desk, so the
/// next patient's search is not kept waiting on `lp`.
pub fn deliver(state: &State<'_, AppState>, doc: Printable) -> Result<Delivered, UiError> {
    let path = doc.file.display().to_string();
    match doc.print() {
        Ok(Some(job)) => Ok(Delivered {
            path,
            printer: doc.printer,
            job: Some(job),
        }),
        Ok(None) => {
            if std::env::var_os("FRONTDESK_NO_OPEN").is_none() {
                registration::open_in_viewer(&doc.file);
            }
            Ok(Delivered {
                path,
                printer: None,
                job: None,
            })
        }
        Err(e) => {
            let lang = *state.lang.lock().unwrap_or_else(|p| p.into_inner());
            Err(UiError::from_core(&e, lang))
        }
    }
}

/// Copies a file the app wrote (a receipt, a report) to where the person chooses in the native
/// save dialog; `None` when they cancel.
/// A register with patients' names in it, saved where the person chooses; only that copy stays
/// (nothing lingers in the desk PC's documents folder for the next person at it).
pub fn save_and_remove(
    app: &tauri::AppHandle,
    state: &State<'_, AppState>,
    file: &std::path::Path,
) -> Result<Option<String>, UiError> {
    let saved = save_copy(app, state, file);
    let _ = std::fs::remove_file(file);
    saved
}

pub fn save_copy(
    app: &tauri::AppHandle,
    state: &State<'_, AppState>,
    file: &std::path::Path,
) -> Result<Option<String>, UiError> {
    use tauri_plugin_dialog::DialogExt;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = file
        .extension()
        .map(|e| e.to_string_lossy().into_owned())
        .unwrap_or_else(|| "pdf".into());
    let Some(target) = app
        .dialog()
        .file()
        .add_filter(ext.to_uppercase(), &[ext.as_str()])
        .set_file_name(name)
        .blocking_save_file()
        .and_then(|p| p.into_path().ok())
    else {
        return Ok(None);
    };
    if let Err(e) = std::fs::copy(file, &target) {
        let lang = *state.lang.lock().unwrap_or_else(|p| p.into_inner());
        return Err(UiError::from_core(&Error::Io(e), lang));
    }
    Ok(Some(target.display().to_string()))
}
