//! 质量: satisfaction surveys (the forms entered, the questionnaires kept in 管理, the answers
//! counted) and market surveys.

use frontdesk_core::ids::{MarketSurveyId, QuestionnaireId};
use frontdesk_core::survey::{
    MarketInput, MarketSurvey, Questionnaire, QuestionnaireInput, ResponseInput, Results,
};
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
pub fn survey_questionnaires(state: State<'_, AppState>) -> Result<Vec<Questionnaire>, UiError> {
    with_desk(&state, |d| d.survey_questionnaires())
}

/// One form entered; answers how many this person has entered today.
#[tauri::command(async)]
pub fn survey_record(state: State<'_, AppState>, input: Value) -> Result<i64, UiError> {
    with_desk(&state, |d| {
        d.survey_record(&parse::<ResponseInput>(input)?)
            .map(|(_, n)| n)
    })
}

#[tauri::command(async)]
pub fn survey_entered_today(state: State<'_, AppState>) -> Result<i64, UiError> {
    with_desk(&state, |d| d.survey_entered_today())
}

#[tauri::command(async)]
pub fn questionnaire_list(state: State<'_, AppState>) -> Result<Vec<Questionnaire>, UiError> {
    with_desk(&state, |d| d.questionnaire_list())
}

#[tauri::command(async)]
pub fn questionnaire_save(
    state: State<'_, AppState>,
    input: Value,
) -> Result<QuestionnaireId, UiError> {
    with_desk(&state, |d| {
        d.questionnaire_save(&parse::<QuestionnaireInput>(input)?)
    })
}

#[tauri::command(async)]
pub fn survey_results(
    state: State<'_, AppState>,
    questionnaire: QuestionnaireId,
    from: String,
    to: String,
) -> Result<Results, UiError> {
    with_desk(&state, |d| d.survey_results(questionnaire, &from, &to))
}

#[tauri::command(async)]
pub fn market_survey_record(
    state: State<'_, AppState>,
    input: Value,
) -> Result<MarketSurveyId, UiError> {
    with_desk(&state, |d| {
        d.market_survey_record(&parse::<MarketInput>(input)?)
    })
}

#[tauri::command(async)]
pub fn market_survey_list(
    state: State<'_, AppState>,
    from: String,
    to: String,
) -> Result<Vec<MarketSurvey>, UiError> {
    with_desk(&state, |d| d.market_survey_list(&from, &to))
}

/// The ten targets in force today, and every setting of them.
#[tauri::command(async)]
pub fn quality_targets(
    state: State<'_, AppState>,
) -> Result<
    (
        Vec<frontdesk_core::quality::Target>,
        Vec<frontdesk_core::quality::targets::Setting>,
    ),
    UiError,
> {
    with_desk(&state, |d| d.quality_targets())
}

#[tauri::command(async)]
pub fn quality_target_set(state: State<'_, AppState>, input: Value) -> Result<i64, UiError> {
    with_desk(&state, |d| {
        d.quality_target_set(&parse::<frontdesk_core::quality::targets::TargetInput>(
            input,
        )?)
    })
}

#[tauri::command(async)]
pub fn operating_target_set(
    state: State<'_, AppState>,
    input: Value,
) -> Result<Vec<frontdesk_core::quality::targets::Actual>, UiError> {
    with_desk(&state, |d| {
        d.operating_target_set(&parse::<frontdesk_core::quality::targets::OperatingInput>(
            input,
        )?)
    })
}

#[tauri::command(async)]
pub fn operating_actuals(
    state: State<'_, AppState>,
    month: String,
) -> Result<Vec<frontdesk_core::quality::targets::Actual>, UiError> {
    with_desk(&state, |d| d.operating_actuals(&month))
}

/// The ten tiles for the period of `span` (week, month, quarter, year) holding `day`.
#[tauri::command(async)]
pub fn quality_dashboard(
    state: State<'_, AppState>,
    span: String,
    day: String,
) -> Result<frontdesk_core::quality::dashboard::Dashboard, UiError> {
    with_desk(&state, |d| d.quality_dashboard(&span, &day))
}

/// The records behind a tile's numerator or denominator.
#[tauri::command(async)]
pub fn quality_records(
    state: State<'_, AppState>,
    of: Value,
) -> Result<frontdesk_core::quality::records::Records, UiError> {
    with_desk(&state, |d| d.quality_records(&parse(of)?))
}

/// 质量月报 of a month, saved where the person chooses in the native save dialog.
#[tauri::command(async)]
pub fn quality_report_save(
    app: AppHandle,
    state: State<'_, AppState>,
    month: String,
) -> Result<Option<String>, UiError> {
    let file = with_desk(&state, |d| d.quality_report_file(&month))?;
    save_and_remove(&app, &state, &file)
}

#[tauri::command(async)]
pub fn inspection_schedule(
    state: State<'_, AppState>,
) -> Result<Vec<frontdesk_core::quality::inspection::Row>, UiError> {
    with_desk(&state, |d| d.inspection_schedule())
}

#[tauri::command(async)]
pub fn inspection_record(state: State<'_, AppState>, input: Value) -> Result<i64, UiError> {
    with_desk(&state, |d| d.inspection_record(&parse(input)?))
}

#[tauri::command(async)]
pub fn inspection_register(
    state: State<'_, AppState>,
    from: String,
    to: String,
) -> Result<Vec<frontdesk_core::quality::inspection::Entry>, UiError> {
    with_desk(&state, |d| d.inspection_register(&from, &to))
}

#[tauri::command(async)]
pub fn quality_promotions(
    state: State<'_, AppState>,
    from: String,
    to: String,
) -> Result<
    (
        Vec<frontdesk_core::quality::promotions::PromotionMonth>,
        Vec<frontdesk_core::complaint::figures::StaffMonth>,
    ),
    UiError,
> {
    with_desk(&state, |d| d.quality_promotions(&from, &to))
}

/// 质量检查记录本, 满意度问卷 or 交班记录 for a period, saved where the person chooses.
#[tauri::command(async)]
pub fn quality_register_save(
    app: AppHandle,
    state: State<'_, AppState>,
    kind: String,
    from: String,
    to: String,
    format: String,
) -> Result<Option<String>, UiError> {
    let file = with_desk(&state, |d| {
        d.quality_register_file(&kind, &from, &to, &format)
    })?;
    save_and_remove(&app, &state, &file)
}

#[tauri::command(async)]
pub fn retention_periods(
    state: State<'_, AppState>,
) -> Result<Vec<frontdesk_core::quality::retention::Period>, UiError> {
    with_desk(&state, |d| d.retention_periods())
}

#[tauri::command(async)]
pub fn retention_lengthen(
    state: State<'_, AppState>,
    record: String,
    years: String,
) -> Result<Vec<frontdesk_core::quality::retention::Period>, UiError> {
    with_desk(&state, |d| d.retention_lengthen(&record, &years))
}

/// What removing the personal data past its period would change, for the confirmation.
#[tauri::command(async)]
pub fn retention_pending(
    state: State<'_, AppState>,
) -> Result<frontdesk_core::quality::anonymise::Count, UiError> {
    with_desk(&state, |d| d.retention_pending())
}

/// Removes it (administrator only; on a server the database's owner): what was changed.
#[tauri::command(async)]
pub fn retention_anonymise(
    state: State<'_, AppState>,
) -> Result<frontdesk_core::quality::anonymise::Count, UiError> {
    with_desk(&state, |d| d.retention_anonymise())
}
