//! Signing in and out, the idle lock, the language, and the status bar.

use frontdesk_core::desk::Status;
use frontdesk_core::setup::FirstStart;
use frontdesk_core::{Error, Lang, Problem};
use tauri::State;

use super::with_desk;
use crate::error::UiError;
use crate::AppState;

#[tauri::command(async)]
pub fn app_status(state: State<'_, AppState>) -> Result<Status, UiError> {
    with_desk(&state, |d| Ok(d.status()))
}

/// Waits, without holding the desk, for the full integrity check started at launch and says
/// whether the file is sound. A damaged file is then shown like one that could not be opened.
#[tauri::command(async)]
pub fn store_verdict(state: State<'_, AppState>) -> Result<(), UiError> {
    let soundness = with_desk(&state, |d| Ok(d.soundness()))?;
    soundness.wait().map_err(|e| {
        let lang = *state.lang.lock().unwrap_or_else(|p| p.into_inner());
        let mut ui = UiError::from_core(&e, lang);
        ui.message = format!("{}（{}）", ui.message, state.db_path);
        ui
    })
}

#[tauri::command(async)]
pub fn set_lang(state: State<'_, AppState>, lang: String) -> Result<Status, UiError> {
    let parsed = Lang::parse(&lang);
    if let Some(l) = parsed {
        *state.lang.lock().unwrap_or_else(|p| p.into_inner()) = l;
    }
    with_desk(&state, |d| {
        let l = parsed.ok_or(Error::invalid("lang", Problem::Unknown))?;
        Ok(d.set_lang(l))
    })
}

#[tauri::command(async)]
pub fn login(
    state: State<'_, AppState>,
    username: String,
    password: String,
) -> Result<Status, UiError> {
    with_desk(&state, |d| d.login(&username, &password))
}

/// 初始设置 on a new data file; the administrator it names is then signed in.
#[tauri::command(async)]
pub fn first_start(state: State<'_, AppState>, input: FirstStart) -> Result<Status, UiError> {
    with_desk(&state, |d| d.first_start(&input))
}

#[tauri::command(async)]
pub fn logout(state: State<'_, AppState>) -> Result<Status, UiError> {
    with_desk(&state, |d| d.logout())
}

#[tauri::command(async)]
pub fn lock(state: State<'_, AppState>) -> Result<Status, UiError> {
    with_desk(&state, |d| Ok(d.lock()))
}

#[tauri::command(async)]
pub fn unlock(state: State<'_, AppState>, password: String) -> Result<Status, UiError> {
    with_desk(&state, |d| d.unlock(&password))
}

#[tauri::command(async)]
pub fn touch(state: State<'_, AppState>) -> Result<Status, UiError> {
    with_desk(&state, |d| d.touch())
}
