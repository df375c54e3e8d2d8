//! 回访: the work list, the call screen and its attempts, concerns and their answers, the rates,
//! the register, discharges entered by hand, and the supervisors' spot-checks.

use frontdesk_core::followup::call::{CallView, Concern};
use frontdesk_core::followup::rates::{Rates, Record, RecordsOf};
use frontdesk_core::followup::spotcheck::{CheckInput, DrawInput, SpotCheck, SpotCheckView};
use frontdesk_core::followup::{AttemptInput, DischargeInput, FState, Filter, Followup, Settings};
use frontdesk_core::ids::{ConcernId, DischargeId, FollowupId, SpotCheckId};
use frontdesk_core::{Error, Problem};
use serde::de::DeserializeOwned;
use serde_json::Value;
use tauri::{AppHandle, State};

use super::{save_and_remove, with_desk};
use crate::error::UiError;
use crate::AppState;

fn parse<T: DeserializeOwned>(v: Value) -> Result<T, Error> {
    serde_json::from_value(v).map_err(|_| Error::invalid("record", Problem::BadFormat))
}

#[tauri::command(async)]
pub fn followup_list(
    state: State<'_, AppState>,
    view: String,
    filter: Option<Value>,
    limit: Option<i64>,
) -> Result<Vec<Followup>, UiError> {
    with_desk(&state, |d| {
        let filter: Filter = match filter {
            Some(f) if !f.is_null() => parse(f)?,
            _ => Filter::default(),
        };
        d.followup_list_filtered(&view, &filter, limit.unwrap_or(300))
    })
}

#[tauri::command(async)]
pub fn followup_view(state: State<'_, AppState>, id: FollowupId) -> Result<CallView, UiError> {
    with_desk(&state, |d| d.followup_view(id))
}

#[tauri::command(async)]
pub fn followup_attempt(state: State<'_, AppState>, input: Value) -> Result<FState, UiError> {
    with_desk(&state, |d| {
        d.followup_attempt(&parse::<AttemptInput>(input)?)
    })
}

#[tauri::command(async)]
pub fn followup_fix_number(
    state: State<'_, AppState>,
    id: FollowupId,
    phone: String,
) -> Result<Followup, UiError> {
    with_desk(&state, |d| d.followup_fix_number(id, &phone))
}

#[tauri::command(async)]
pub fn followup_concerns_waiting(state: State<'_, AppState>) -> Result<Vec<Concern>, UiError> {
    with_desk(&state, |d| d.followup_concerns_waiting(300))
}

#[tauri::command(async)]
pub fn followup_concern_answer(
    state: State<'_, AppState>,
    id: ConcernId,
    answer: String,
) -> Result<Concern, UiError> {
    with_desk(&state, |d| d.followup_concern_answer(id, &answer))
}

#[tauri::command(async)]
pub fn discharge_add(state: State<'_, AppState>, input: Value) -> Result<DischargeId, UiError> {
    with_desk(&state, |d| {
        d.discharge_add(&parse::<DischargeInput>(input)?)
    })
}

#[tauri::command(async)]
pub fn followup_rates(
    state: State<'_, AppState>,
    from: String,
    to: String,
) -> Result<Rates, UiError> {
    with_desk(&state, |d| d.followup_rates(&from, &to))
}

#[tauri::command(async)]
pub fn followup_rate_records(
    state: State<'_, AppState>,
    of: Value,
) -> Result<Vec<Record>, UiError> {
    with_desk(&state, |d| {
        d.followup_rate_records(&parse::<RecordsOf>(of)?)
    })
}

/// 回访登记本 for a period, saved where the person chooses in the native save dialog.
#[tauri::command(async)]
pub fn followup_register_save(
    app: AppHandle,
    state: State<'_, AppState>,
    from: String,
    to: String,
    format: String,
    unmasked: bool,
    reason: String,
) -> Result<Option<String>, UiError> {
    let file = with_desk(&state, |d| {
        d.followup_register_file(&from, &to, &format, unmasked, &reason)
    })?;
    save_and_remove(&app, &state, &file)
}

#[tauri::command(async)]
pub fn followup_settings(state: State<'_, AppState>) -> Result<Settings, UiError> {
    with_desk(&state, |d| d.followup_settings())
}

#[tauri::command(async)]
pub fn followup_settings_save(
    state: State<'_, AppState>,
    input: Value,
) -> Result<Settings, UiError> {
    with_desk(&state, |d| {
        d.followup_settings_save(&parse::<Settings>(input)?)
    })
}

#[tauri::command(async)]
pub fn spot_checks(state: State<'_, AppState>) -> Result<Vec<SpotCheck>, UiError> {
    with_desk(&state, |d| d.spot_checks(100))
}

#[tauri::command(async)]
pub fn spot_check(state: State<'_, AppState>, id: SpotCheckId) -> Result<SpotCheckView, UiError> {
    with_desk(&state, |d| d.spot_check(id))
}

#[tauri::command(async)]
pub fn spot_check_draw(state: State<'_, AppState>, input: Value) -> Result<SpotCheckView, UiError> {
    with_desk(&state, |d| d.spot_check_draw(&parse::<DrawInput>(input)?))
}

#[tauri::command(async)]
pub fn spot_check_record(
    state: State<'_, AppState>,
    input: Value,
) -> Result<SpotCheckView, UiError> {
    with_desk(&state, |d| {
        d.spot_check_record(&parse::<CheckInput>(input)?)
    })
}

/// The draw made again from its seed and rule: whether it gives the follow-ups recorded.
#[tauri::command(async)]
pub fn spot_check_redraw(state: State<'_, AppState>, id: SpotCheckId) -> Result<bool, UiError> {
    with_desk(&state, |d| d.spot_check_redraw(id).map(|(_, same)| same))
}
