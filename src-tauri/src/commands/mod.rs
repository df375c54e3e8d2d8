//! One file per area of the desk. Each command parses its input, calls one `Desk` method (which
//! checks the caller's role) and maps the result.

pub mod admin;
pub mod registration;
pub mod session;

use frontdesk_core::{Desk, Error};
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
        Some(desk) => f(desk).map_err(|e| UiError::from_core(&e, desk.lang())),
        None => {
            let startup = state
                .startup_error
                .lock()
                .unwrap_or_else(|p| p.into_inner());
            let e = startup
                .as_ref()
                .map(|e| {
                    let mut ui = UiError::from_core(e, lang);
                    ui.message = format!("{}（{}）", ui.message, state.db_path.display());
                    ui
                })
                .unwrap_or_else(|| UiError::from_core(&Error::NotLoggedIn, lang));
            Err(e)
        }
    }
}
