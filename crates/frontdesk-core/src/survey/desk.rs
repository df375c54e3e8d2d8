//! The desk's survey commands: each checks the person and their role, then calls one rule.

use super::{
    entered_today, market_surveys, questionnaires, record_market, record_response, results,
    save_questionnaire, MarketInput, MarketSurvey, Questionnaire, QuestionnaireInput,
    ResponseInput, Results,
};
use crate::desk::Desk;
use crate::error::Result;
use crate::ids::{MarketSurveyId, QuestionnaireId, ResponseId};
use crate::staff::{Area, Permission};
use crate::store;

impl Desk {
    /// The questionnaires forms are entered on (active ones), with their current items.
    pub fn survey_questionnaires(&mut self) -> Result<Vec<Questionnaire>> {
        self.authorize(Permission::EnterSurveys)?;
        questionnaires(&self.conn, true)
    }

    /// One paper form entered; returns its id and how many this person entered today.
    pub fn survey_record(&mut self, input: &ResponseInput) -> Result<(ResponseId, i64)> {
        let me = self.authorize(Permission::EnterSurveys)?;
        let today = self.today()?;
        let now = self.now();
        let actor = self.actor();
        let id = store::write(&mut self.conn, &actor, now, |tx| {
            record_response(tx, me.staff_id, input, today)
        })?;
        Ok((id, entered_today(&self.conn, me.staff_id, today, now)?))
    }

    pub fn survey_entered_today(&mut self) -> Result<i64> {
        let me = self.authorize(Permission::EnterSurveys)?;
        entered_today(&self.conn, me.staff_id, self.today()?, self.now())
    }

    /// Every questionnaire, inactive ones too (管理).
    pub fn questionnaire_list(&mut self) -> Result<Vec<Questionnaire>> {
        self.authorize(Permission::ManageReference)?;
        questionnaires(&self.conn, false)
    }

    /// A questionnaire created or changed (a change of items makes the next version).
    pub fn questionnaire_save(&mut self, input: &QuestionnaireInput) -> Result<QuestionnaireId> {
        self.authorize(Permission::ManageReference)?;
        let now = self.now();
        let actor = self.actor();
        store::write(&mut self.conn, &actor, now, |tx| {
            save_questionnaire(tx, input)
        })
    }

    /// A questionnaire's answers over a period (质量).
    pub fn survey_results(&mut self, q: QuestionnaireId, from: &str, to: &str) -> Result<Results> {
        self.authorize(Permission::UseArea(Area::Quality))?;
        let p = crate::complaint::figures::Period::parse(from, to)?;
        results(&self.conn, q, p.from, p.to)
    }

    pub fn market_survey_record(&mut self, input: &MarketInput) -> Result<MarketSurveyId> {
        let me = self.authorize(Permission::UseArea(Area::Quality))?;
        let today = self.today()?;
        let now = self.now();
        let actor = self.actor();
        store::write(&mut self.conn, &actor, now, |tx| {
            record_market(tx, me.staff_id, input, today)
        })
    }

    pub fn market_survey_list(&mut self, from: &str, to: &str) -> Result<Vec<MarketSurvey>> {
        self.authorize(Permission::UseArea(Area::Quality))?;
        let p = crate::complaint::figures::Period::parse(from, to)?;
        market_surveys(&self.conn, p.from, p.to)
    }
}
