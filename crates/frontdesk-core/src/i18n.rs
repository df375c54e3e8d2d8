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
        "valid_to" => ("结束日期", "Valid to"),
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
