// The only file that knows `invoke` and the names of Rust commands. Every call returns the
// command's value or throws {code, message, field}; a locked screen or a lost session is
// announced to the shell through events, so no screen has to handle them.

const invoke = (cmd, args) => window.__TAURI__.core.invoke(cmd, args);

async function call(cmd, args = {}) {
  try {
    return await invoke(cmd, args);
  } catch (err) {
    const e = (err && typeof err === 'object' && err.message)
      ? err
      : { code: 'internal', message: String(err), field: null };
    if (e.code === 'screen_locked') window.dispatchEvent(new CustomEvent('frontdesk:locked'));
    if (e.code === 'not_logged_in') window.dispatchEvent(new CustomEvent('frontdesk:signed-out'));
    throw e;
  }
}

export const api = {
  status: () => call('app_status'),
  storeVerdict: () => call('store_verdict'),
  setLang: (lang) => call('set_lang', { lang }),
  login: (username, password) => call('login', { username, password }),
  logout: () => call('logout'),
  firstStart: (input) => call('first_start', { input }),
  lock: () => call('lock'),
  unlock: (password) => call('unlock', { password }),
  touch: () => call('touch'),

  referenceList: (kind, filter = null) => call('reference_list', { kind, filter }),
  referenceSave: (kind, record) => call('reference_save', { kind, record }),
  referenceDelete: (kind, id) => call('reference_delete', { kind, id }),

  staffList: () => call('staff_list'),
  staffSave: (input) => call('staff_save', { input }),

  backups: () => call('backups_view'),
  backupChooseDir: () => call('backup_choose_dir'),
  backupSettings: (dir, keep) => call('backup_settings', { dir, keep }),
  backupNow: () => call('backup_now'),
  backupRemakeToday: () => call('backup_remake_today'),
  backupChooseFile: () => call('backup_choose_file'),
  backupRestore: (file) => call('backup_restore', { file }),

  auditList: (entity = null, limit = 200, reason = null) => call('audit_list', { entity, limit, reason }),
  auditVerify: () => call('audit_verify'),

  // 挂号 — patients
  patientSearch: (query) => call('patient_search', { query }),
  patientGet: (id) => call('patient_get', { id }),
  patientDuplicates: (input) => call('patient_duplicates', { input }),
  patientSave: (input, confirmedNew = false) => call('patient_save', { input, confirmed_new: confirmedNew }),

  // 挂号 — the clerk's shift
  shiftCurrent: () => call('shift_current'),
  shiftOpen: (counts) => call('shift_open', { counts }),
  shiftContinue: (approverUsername, approverPassword) => call('shift_continue', { approver_username: approverUsername, approver_password: approverPassword }),

  // 挂号 — triage, quote, payment, registration
  dutyToday: (session = null) => call('duty_today', { session }),
  triageSuggest: (complaint) => call('triage_suggest', { complaint }),
  registrationQuote: (choice) => call('registration_quote', { choice }),
  paymentPreview: (dueFen, payments) => call('payment_preview', { due_fen: dueFen, payments }),
  register: (input) => call('register', { input }),
  registrationCancel: (input) => call('registration_cancel', { input }),
  registrationChangeQuote: (input) => call('registration_change_quote', { input }),
  registrationChange: (input) => call('registration_change', { input }),
  registrations: (patientId = null) => call('registrations', { patient_id: patientId }),
  receiptOpen: (receiptId, reprint = false) => call('receipt_open', { receipt_id: receiptId, reprint }),
  receiptSave: (receiptId) => call('receipt_save', { receipt_id: receiptId }),

  // 预约, 候诊, 统计
  appointmentBook: (input) => call('appointment_book', { input }),
  appointments: (noShows = false) => call('appointments', { no_shows: noShows }),
  waitingRoom: () => call('waiting_room'),
  markSeen: (registrationId) => call('mark_seen', { registration_id: registrationId }),
  doctorStats: () => call('doctor_stats'),

  // 日结 — closing the shift, its history, the daily report
  closePreview: (input) => call('close_preview', { input }),
  closeShift: (input) => call('close_shift', { input }),
  closeHistory: (everyone, from, to) => call('close_history', { everyone, from, to }),
  dailyReportOpen: (date) => call('daily_report_open', { date }),
  dailyReportSave: (date) => call('daily_report_save', { date }),

  // 投诉
  complaintChoices: () => call('complaint_choices'),
  complaintPatientSearch: (query) => call('complaint_patient_search', { query }),
  complaintRecord: (input) => call('complaint_record', { input }),
  complaintStep: (input) => call('complaint_step', { input }),
  complaintView: (id) => call('complaint_view', { id }),
  complaintList: (view, limit = 200) => call('complaint_list', { view, limit }),
  calendarImport: () => call('calendar_import'),
  complaintFigures: (from, to) => call('complaint_figures', { from, to }),
  complaintRegisterSave: (from, to, format, unmasked = false, reason = '') => call('complaint_register_save', { from, to, format, unmasked, reason }),
  complaintCasePrint: (id) => call('complaint_case_print', { id }),

  // 回访
  followupList: (view, filter = null, limit = 300) => call('followup_list', { view, filter, limit }),
  followupView: (id) => call('followup_view', { id }),
  followupAttempt: (input) => call('followup_attempt', { input }),
  followupFixNumber: (id, phone) => call('followup_fix_number', { id, phone }),
  followupConcernsWaiting: () => call('followup_concerns_waiting'),
  followupConcernAnswer: (id, answer) => call('followup_concern_answer', { id, answer }),
  dischargeAdd: (input) => call('discharge_add', { input }),
  followupRates: (from, to) => call('followup_rates', { from, to }),
  followupRateRecords: (of) => call('followup_rate_records', { of }),
  followupRegisterSave: (from, to, format, unmasked = false, reason = '') => call('followup_register_save', { from, to, format, unmasked, reason }),
  followupSettings: () => call('followup_settings'),
  followupSettingsSave: (input) => call('followup_settings_save', { input }),
  spotChecks: () => call('spot_checks'),
  spotCheck: (id) => call('spot_check', { id }),
  spotCheckDraw: (input) => call('spot_check_draw', { input }),
  spotCheckRecord: (input) => call('spot_check_record', { input }),
  spotCheckRedraw: (id) => call('spot_check_redraw', { id }),

  // 导诊台 — the handover and work logs
  guideLogChoices: () => call('guide_log_choices'),
  guideLogWrite: (input) => call('guide_log_write', { input }),
  guideLogList: (kind, from, to) => call('guide_log_list', { kind, from, to }),

  // 质量 — surveys
  surveyQuestionnaires: () => call('survey_questionnaires'),
  surveyRecord: (input) => call('survey_record', { input }),
  surveyEnteredToday: () => call('survey_entered_today'),
  questionnaireList: () => call('questionnaire_list'),
  questionnaireSave: (input) => call('questionnaire_save', { input }),
  surveyResults: (questionnaire, from, to) => call('survey_results', { questionnaire, from, to }),
  marketSurveyRecord: (input) => call('market_survey_record', { input }),
  marketSurveyList: (from, to) => call('market_survey_list', { from, to }),
  qualityTargets: () => call('quality_targets'),
  qualityTargetSet: (input) => call('quality_target_set', { input }),
  operatingTargetSet: (input) => call('operating_target_set', { input }),
  operatingActuals: (month) => call('operating_actuals', { month }),
  qualityDashboard: (span, day) => call('quality_dashboard', { span, day }),
  qualityRecords: (of) => call('quality_records', { of }),
  qualityReportSave: (month) => call('quality_report_save', { month }),
  inspectionSchedule: () => call('inspection_schedule', {}),
  inspectionRecord: (input) => call('inspection_record', { input }),
  inspectionRegister: (from, to) => call('inspection_register', { from, to }),
  qualityPromotions: (from, to) => call('quality_promotions', { from, to }),
  qualityRegisterSave: (kind, from, to, format) => call('quality_register_save', { kind, from, to, format }),
  retentionPeriods: () => call('retention_periods', {}),
  retentionLengthen: (record, years) => call('retention_lengthen', { record, years }),
  retentionPending: () => call('retention_pending', {}),
  retentionAnonymise: () => call('retention_anonymise', {}),

  printersView: () => call('printers_view'),
  printersSet: (input) => call('printers_set', { input }),
};
