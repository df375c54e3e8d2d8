//! The two languages of the desk and the names of fields as errors speak of them. The page has
//! its own dictionaries (`ui/i18n/`); this is only what Rust itself must say.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Lang {
    #[default]
    #[serde(rename = "zh-CN")]
    Zh,
    #[serde(rename = "en")]
    En,
}

impl Lang {
    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "zh-CN" | "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// Whether a field is chosen from a list rather than typed: its missing value is asked for
/// with 请选择 (choose), not 请填写 (fill in).
pub fn is_chosen(field: &str) -> bool {
    matches!(
        field,
        "role"
            | "department"
            | "department_id"
            | "doctor"
            | "doctor_id"
            | "session"
            | "outcome"
            | "spot_rule"
            | "questionnaire"
            | "questionnaire_id"
            | "version_id"
            | "survey_answer"
            | "inspection_item"
            | "check_result"
            | "complaint_kind"
            | "complaint_channel"
            | "category_id"
            | "severity"
            | "tier_id"
            | "owner_id"
            | "taken_by"
            | "person_kind"
            | "title"
    )
}

/// Field names as the user knows them.
pub fn field_label(field: &str, lang: Lang) -> &'static str {
    let (zh, en) = match field {
        "username" => ("用户名", "Username"),
        "password" => ("密码", "Password"),
        "display_name" => ("姓名", "Name"),
        "role" => ("岗位", "Role"),
        "name" => ("名称", "Name"),
        "patient_name" => ("姓名", "Name"),
        "code" => ("编码", "Code"),
        "time_zone" => ("时区", "Time zone"),
        "receipt_header" => ("收据抬头", "Receipt header"),
        "idle_lock_minutes" => ("自动锁屏分钟数", "Idle lock minutes"),
        "backup_keep" => ("备份保留份数", "Backups kept"),
        "backup_dir" => ("备份文件夹", "Backup folder"),
        "department" | "department_id" => ("科室", "Department"),
        "doctor" | "doctor_id" => ("医生", "Doctor"),
        "title" => ("职称", "Title"),
        "date" => ("日期", "Date"),
        "session" => ("时段", "Session"),
        "capacity" => ("号源数", "Capacity"),
        "fee_fen" => ("挂号费", "Fee"),
        "keyword" => ("关键词", "Keyword"),
        "registration_type" => ("号别", "Registration type"),
        "payment_method" => ("支付方式", "Payment method"),
        "triage_keyword" => ("分诊关键词", "Triage keyword"),
        "duty" => ("排班", "Duty"),
        "staff" => ("员工账号", "Staff account"),
        "kind" => ("资料类别", "Kind of data"),
        "days" => ("天数", "Days"),
        "until" => ("截止日期", "Until"),
        "file" => ("文件", "File"),
        "target" => ("目标数据库", "Target database"),
        "desk_role" => ("窗口使用的数据库账号", "Desks' database role"),
        "record" => ("记录", "Record"),
        "refund_approval_fen" => ("需主管审批的退号金额", "Refund amount needing approval"),
        "waiting_alert" => ("候诊提醒人数", "Waiting alert count"),
        "patient" | "patient_id" => ("患者", "Patient"),
        "sex" => ("性别", "Sex"),
        "birth_date" => ("出生日期", "Date of birth"),
        "id_number" => ("身份证号", "ID number"),
        "phone" => ("电话", "Phone"),
        "password_again" => ("确认密码", "Password again"),
        "hospital_name" => ("医院名称", "Hospital name"),
        "address" => ("地址", "Address"),
        "origin" => ("来源地", "Place of origin"),
        "heard_via" => ("获知途径", "Heard of us via"),
        "card_no" => ("就诊卡号", "Card number"),
        "query" => ("搜索内容", "Search"),
        "registration" | "registration_id" => ("挂号记录", "Registration"),
        "registration_type_id" => ("号别", "Registration type"),
        "promotion" | "promotion_code" => ("优惠码", "Promotion code"),
        "chief_complaint" => ("主诉", "Chief complaint"),
        "referral_source" => ("来源", "Referral source"),
        "marketer" => ("市场部介绍人", "Marketing staff"),
        "shift" => ("班次", "Shift"),
        "float" => ("备用金", "Float"),
        "payments" => ("收款", "Payment"),
        "method" => ("支付方式", "Payment method"),
        "amount" => ("金额", "Amount"),
        "tendered" => ("实收现金", "Cash tendered"),
        "reason" => ("原因", "Reason"),
        "approver" => ("审批主管", "Approving supervisor"),
        "appointment" | "appointment_no" => ("预约号", "Appointment number"),
        "receipt" => ("收据", "Receipt"),
        "channel" => ("预约渠道", "Booking channel"),
        "value" => ("优惠额度", "Promotion value"),
        "valid_from" => ("开始日期", "Valid from"),
        "valid_to" => ("结束日期", "Valid until"),
        "max_uses" => ("可用次数", "Uses allowed"),
        "desk" => ("窗口号", "Desk code"),
        "receipt_printer" => ("收据打印机", "Receipt printer"),
        "report_printer" => ("报表打印机", "Report printer"),
        "close_approval_fen" => ("需主管签字的差额", "Difference needing sign-off"),
        "explanation" => ("差额说明", "Explanation of the difference"),
        "received_by" => ("财务接收人", "Received by (finance)"),
        "counted" => ("实点金额", "Counted amount"),
        "cash_counts" => ("现金点钞", "Cash count"),
        "complaint" => ("投诉记录", "Complaint"),
        "view" => ("列表", "List"),
        "followup" => ("回访记录", "Follow-up"),
        "outcome" => ("回访结果", "Outcome of the call"),
        "first_visit_days" => ("初诊后回访天数", "Days after a first visit"),
        "discharge_days" => ("出院后回访天数", "Days after a discharge"),
        "retry_hours" => ("未接通重拨间隔（小时）", "Retry after (hours)"),
        "max_attempts" => ("最多拨打次数", "Maximum attempts"),
        "second_days" => ("二次回访间隔（天）", "Days before a second follow-up"),
        "rating_registration" => ("挂号服务满意度", "Registration desk"),
        "rating_guide" => ("导医服务满意度", "Guide desk"),
        "rating_doctor" => ("医生满意度", "Doctor"),
        "rating_nursing" => ("护理满意度", "Nursing"),
        "rating_environment" => ("就医环境满意度", "Environment"),
        "rating_overall" => ("总体满意度", "Overall"),
        "answer" => ("回访内容", "What the patient said"),
        "words" => ("患者原话", "The patient's words"),
        "concern" => ("客户异议", "Concern"),
        "concern_department_id" => ("异议提交部门", "Department the concern goes to"),
        "concern_answer" => ("部门答复", "The department's answer"),
        "next_on" => ("下次回访日期", "Next call on"),
        "next_note" => ("下次回访事由", "Reason for the next call"),
        "spot_check" => ("抽查记录", "Spot-check"),
        "spot_rule" => ("抽查方式", "How to draw"),
        "spot_amount" => ("抽查数量", "How many"),
        "spot_result" => ("抽查结果", "What the check found"),
        "survey_answer" => ("答案", "The answer"),
        "target_code" => ("质量目标", "Target"),
        "target_value" => ("目标值", "Target value"),
        "from_date" => ("生效日期", "In force from"),
        "month" => ("月份", "Month"),
        "indicator" => ("经营指标", "Operating indicator"),
        "log_kind" => ("记录类别", "Kind of entry"),
        "log_body" => ("记录内容", "The entry"),
        "open_matters" => ("未完成事项", "Matters still open"),
        "taken_by" => ("接班人", "Taken over by"),
        "log_category" => ("工作类别", "Category"),
        "corrects_id" => ("更正的记录", "The entry corrected"),
        "correction_reason" => ("更正原因", "Why it is corrected"),
        "questionnaire" | "questionnaire_id" | "version_id" => ("问卷", "Questionnaire"),
        "questionnaire_code" => ("问卷代码", "Questionnaire code"),
        "questionnaire_name" => ("问卷名称", "Questionnaire name"),
        "questionnaire_kind" => ("问卷类别", "Kind of questionnaire"),
        "form_no" => ("表单编号", "Form number"),
        "items" => ("题目", "Items"),
        "item_code" => ("题目代码", "Item code"),
        "item_text" => ("题目内容", "Item text"),
        "scale" => ("答案类型", "Answer scale"),
        "aspect" => ("计入的服务环节", "Aspect of service"),
        "taken_on" => ("填表日期", "Date of the form"),
        "held_on" => ("调查日期", "Held on"),
        "topic" => ("调查主题", "Topic"),
        "survey_method" => ("调查方式", "Method"),
        "sample_size" => ("样本量", "Sample size"),
        "findings" => ("调查结论", "Findings"),
        "span" => ("统计周期", "Period length"),
        "register" => ("登记本", "Register"),
        "retention_record" => ("记录类别", "Kind of record"),
        "retention_years" => ("保存年限", "Years kept"),
        "day" => ("日期", "Date"),
        "inspection_item" => ("检查项目", "Inspection item"),
        "check_day" => ("检查日期", "Date of the check"),
        "check_result" => ("检查结果", "Result"),
        "check_findings" => ("检查发现", "Findings"),
        "check_action" => ("处理措施", "Action taken"),
        "discharged_on" => ("出院日期", "Discharged on"),
        "admitted_on" => ("入院日期", "Admitted on"),
        "diagnosis" => ("诊断", "Diagnosis"),
        "format" => ("文件格式", "File format"),
        "export_reason" => ("导出原因", "Reason for the export"),
        "complaint_kind" => (
            "类型（投诉、建议、表扬）",
            "Kind (complaint, suggestion, praise)",
        ),
        "received_at" => ("受理时间", "Received at"),
        "complaint_channel" => ("渠道", "Channel"),
        "complainant" => ("投诉人姓名", "Complainant's name"),
        "contact" => ("联系电话", "Contact phone"),
        "category_id" => ("投诉类别", "Category"),
        "person_id" => ("涉及人员", "Staff member concerned"),
        "description" => ("事情经过", "What happened"),
        "request" => ("投诉人诉求", "What the complainant asks for"),
        "severity" => ("严重程度", "Severity"),
        "tier_id" => ("处理时限", "Deadline tier"),
        "departments" => ("处理部门", "Handling departments"),
        "satisfied" => ("客户是否满意", "Satisfied or not"),
        "measure" => ("处理措施", "Measure"),
        "decided_by" => ("决定人", "Decided by"),
        "owner_id" => ("移交给", "Hand over to"),
        "note" => ("说明", "Note"),
        "action" => ("处理步骤", "Step"),
        "person" => ("人员", "Person"),
        "person_kind" => ("人员类别", "Kind of staff"),
        "ack_days" => ("受理时限（工作日）", "Days to acknowledge (working)"),
        "feedback_days" => ("反馈时限（工作日）", "Days to give the outcome (working)"),
        "calendar_kind" => ("类型（休/班）", "Kind (off/work)"),
        "active" => ("启用", "Active"),
        "from" => ("开始日期", "From"),
        "to" => ("结束日期", "To"),
        "out" => ("输出文件", "Output file"),
        _ => ("字段", "Field"),
    };
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}
