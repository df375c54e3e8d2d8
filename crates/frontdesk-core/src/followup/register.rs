//! 回访登记本 (a quality record, kept two years): every follow-up called in a period (at least
//! one attempt in it), in the order of its first call there, with its outcome, the patient's
//! satisfaction per aspect, words and concerns, the calls it led to and any spot-check done; the
//! period's rates at its head. An A4 landscape PDF and an xlsx workbook (rust_xlsxwriter, as the
//! complaint register). Patients' names and phones are masked by default; an unmasked register
//! is for supervisors and the department head, with a reason, audited by [`export`].

use chrono::NaiveDate;
use rust_xlsxwriter::{Format, Workbook};

use super::call::{Rating, ASPECTS};
use super::rates::{self, Rates};
use crate::clock;
use crate::complaint::figures::Period;
use crate::complaint::register::{export_request, mask_name, wrap, xlsx_error};
use crate::error::Result;
use crate::ids::FollowupId;
use crate::patient::mask_phone;
use crate::pdf::Doc;
use crate::store::Conn;

/// One follow-up as a line of the register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: FollowupId,
    pub called: String,
    pub kind: String,
    pub patient: String,
    pub phone: String,
    pub department: String,
    pub about: String,
    pub attempts: i64,
    pub outcome: String,
    /// 满意 / 一般 / 不满意 per aspect of [`ASPECTS`], empty when not asked.
    pub ratings: Vec<String>,
    pub words: String,
    pub concerns: String,
    pub next: String,
    pub caller: String,
    pub spot_check: String,
}

pub struct Register {
    pub hospital: String,
    pub period: Period,
    pub unmasked: bool,
    pub entries: Vec<Entry>,
    pub rates: Rates,
}

pub fn kind_label(kind: &str) -> &'static str {
    match kind {
        "first_visit" => "初诊回访",
        "discharge" => "出院回访",
        "second" => "二次回访",
        "planned" => "计划回访",
        _ => "回访",
    }
}

pub fn state_label(state: super::FState) -> &'static str {
    use super::FState::*;
    match state {
        Open => "待回访",
        FixNumber => "号码待更正",
        Reached => "已回访",
        Unreachable => "无法联系",
        Refused => "拒绝回访",
    }
}

/// A follow-up called in the period as the register lists it; `about` is the visit/discharge date.
struct CalledFollowup {
    id: FollowupId,
    first_call_at: i64,
    kind: String,
    patient: String,
    phone: Option<String>,
    department: Option<String>,
    about: Option<String>,
    attempts: i64,
    state: super::FState,
}

/// The register's content for a period.
/// The register of `period` as it stands on `today` (its rates judged as on that day).
pub fn register(conn: &Conn, period: Period, unmasked: bool, today: NaiveDate) -> Result<Register> {
    let hospital = crate::reference::get_hospital(conn)?;
    let tz = hospital.tz();
    let (start, end) = clock::day_bounds(tz, period.from, period.to);
    let lines: Vec<CalledFollowup> = conn.all(
        "SELECT f.id, MIN(a.at), f.kind, p.name, p.phone, d.name,
                COALESCE(r.date, x.discharged_on), f.attempts, f.state
         FROM followup_attempt a JOIN followup f ON f.id = a.followup_id
         JOIN patient p ON p.id = f.patient_id
         LEFT JOIN department d ON d.id = f.department_id
         LEFT JOIN registration r ON r.id = f.registration_id
         LEFT JOIN discharge x ON x.id = f.discharge_id
         WHERE a.at >= ?1 AND a.at < ?2
         GROUP BY f.id, f.kind, p.name, p.phone, d.name, r.date, x.discharged_on, f.attempts,
                  f.state
         ORDER BY MIN(a.at), f.id",
        &[&start, &end],
        |r| {
            Ok(CalledFollowup {
                id: r.get(0)?,
                first_call_at: r.get(1)?,
                kind: r.get(2)?,
                patient: r.get(3)?,
                phone: r.get(4)?,
                department: r.get(5)?,
                about: r.get(6)?,
                attempts: r.get(7)?,
                state: r.get(8)?,
            })
        },
    )?;
    let mut entries = Vec::with_capacity(lines.len());
    // The details of each line: few per line, read by id (the period holds a week or a month).
    for CalledFollowup {
        id,
        first_call_at: first,
        kind,
        patient: name,
        phone,
        department,
        about,
        attempts,
        state,
    } in lines
    {
        let caller = conn
            .value_opt::<String>(
                "SELECT s.display_name FROM followup_attempt a JOIN staff s ON s.id = a.staff_id
                 WHERE a.followup_id = ?1 ORDER BY a.n DESC LIMIT 1",
                &[&id],
            )?
            .unwrap_or_default();
        let answer = super::call::answer(conn, id)?;
        let ratings = ASPECTS
            .iter()
            .map(|(a, _)| {
                answer
                    .as_ref()
                    .and_then(|x| x.rating(a))
                    .map(Rating::label)
                    .unwrap_or("")
                    .to_string()
            })
            .collect();
        let concerns = super::call::concerns_of(conn, id)?
            .into_iter()
            .map(|c| {
                let mut s = format!("{}（转{}）", c.what, c.department.unwrap_or_default());
                if let Some(a) = c.answer {
                    s.push_str(&format!("；答复：{a}"));
                }
                if let Some(n) = c.complaint_number {
                    s.push_str(&format!("；已转投诉 {n}"));
                }
                s
            })
            .collect::<Vec<_>>()
            .join("\n");
        let children: Vec<(String, String)> = conn.all(
            "SELECT kind, due_date FROM followup WHERE parent_id = ?1 ORDER BY id",
            &[&id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let next = children
            .iter()
            .map(|(k, due)| format!("{} {due}", kind_label(k)))
            .collect::<Vec<_>>()
            .join("；");
        let spot: Vec<(Option<String>, String)> = conn.all(
            "SELECT i.result, i.note FROM spot_check_item i
             JOIN spot_check c ON c.id = i.spot_check_id
             WHERE i.followup_id = ?1 AND c.done_at IS NOT NULL ORDER BY i.id",
            &[&id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let spot_check = spot
            .into_iter()
            .map(|(r, note)| {
                let word = match r.as_deref() {
                    Some("confirmed") => "属实",
                    Some("discrepancy") => "不符",
                    _ => "",
                };
                if note.is_empty() {
                    word.to_string()
                } else {
                    format!("{word}：{note}")
                }
            })
            .collect::<Vec<_>>()
            .join("；");
        entries.push(Entry {
            id,
            called: clock::format_local(tz, first, "%Y-%m-%d"),
            kind: kind_label(&kind).to_string(),
            patient: if unmasked { name } else { mask_name(&name) },
            phone: match phone {
                Some(p) if unmasked => p,
                Some(p) => mask_phone(&p),
                None => String::new(),
            },
            department: department.unwrap_or_default(),
            about: about.unwrap_or_default(),
            attempts,
            outcome: state_label(state).to_string(),
            ratings,
            words: answer.as_ref().map(|a| a.words.clone()).unwrap_or_default(),
            concerns,
            next,
            caller,
            spot_check,
        });
    }
    Ok(Register {
        hospital: hospital.name,
        period,
        unmasked,
        entries,
        rates: rates::rates(
            conn,
            &period.from.to_string(),
            &period.to.to_string(),
            today,
        )?,
    })
}

fn rate_line(name: &str, r: &rates::Rate) -> String {
    format!(
        "{name} {}（{} / {}，目标 {}，{}）",
        r.shown(),
        r.numerator,
        r.denominator,
        r.target_shown(),
        r.verdict(crate::i18n::Lang::Zh)
    )
}

/// The columns of the PDF's table: heading and width in mm (A4 landscape, 269 mm of text).
const COLUMNS: [(&str, f32); 12] = [
    ("回访日期", 19.0),
    ("类型", 15.0),
    ("患者", 14.0),
    ("电话", 22.0),
    ("科室", 18.0),
    ("就诊/出院", 19.0),
    ("结果", 16.0),
    ("次", 6.0),
    ("挂 导 医 护 环 总", 30.0),
    ("患者意见 · 异议及处理 · 后续回访", 78.0),
    ("回访人", 14.0),
    ("抽查", 18.0),
];

fn short(rating: &str) -> &str {
    match rating {
        "满意" => "满",
        "一般" => "般",
        "不满意" => "不",
        _ => "–",
    }
}

/// The register as an A4 landscape PDF.
pub fn pdf(reg: &Register) -> Result<Vec<u8>> {
    let (from, to) = (reg.period.from, reg.period.to);
    let (left, right, bottom) = (14.0_f32, 283.0_f32, 198.0_f32);
    let mut doc = Doc::new(&format!("回访登记本 {from} 至 {to}"), 297.0, 210.0)?;
    let mut y = 16.0;
    doc.text_center(y, 15.0, &format!("{} 回访登记本", reg.hospital));
    y += 7.0;
    let masked = if reg.unmasked {
        "患者信息未脱敏（经授权导出）"
    } else {
        "患者姓名、电话已脱敏"
    };
    doc.text_center(y, 9.5, &format!("{from} 至 {to} · 保存期 2 年 · {masked}"));
    y += 8.0;
    let r = &reg.rates;
    doc.text(
        left,
        y,
        9.5,
        &format!(
            "{}    {}",
            rate_line("门诊回访率（初诊患者）", &r.outpatient.overall),
            rate_line("住院回访率（出院患者）", &r.inpatient.overall)
        ),
    );
    y += 5.0;
    let reach = r
        .reach
        .iter()
        .map(|a| format!("第 {} 次拨打 {} 通、接通 {}", a.n, a.tried, a.reached))
        .collect::<Vec<_>>()
        .join("；");
    doc.text(
        left,
        y,
        9.0,
        &format!(
            "本期回访 {} 例。{}",
            reg.entries.len(),
            if reach.is_empty() {
                String::new()
            } else {
                format!("按拨打次数：{reach}")
            }
        ),
    );
    y += 7.0;
    let header = |doc: &mut Doc, y: f32| {
        let mut x = left;
        for (h, w) in COLUMNS {
            doc.text(x, y, 8.5, h);
            x += w;
        }
        doc.rule(left, right, y + 1.5);
    };
    header(&mut doc, y);
    y += 6.0;
    if reg.entries.is_empty() {
        doc.text(left, y, 10.0, "本期无回访记录");
    }
    let size = 8.5;
    let step = size * 0.45;
    for e in &reg.entries {
        let mut text = e.words.clone();
        if !e.concerns.is_empty() {
            text.push_str(&format!("\n异议：{}", e.concerns));
        }
        if !e.next.is_empty() {
            text.push_str(&format!("\n后续：{}", e.next));
        }
        let body = wrap(text.trim(), COLUMNS[9].1 - 2.0, size);
        let spot = wrap(&e.spot_check, COLUMNS[11].1 - 1.0, size);
        let rows = body.len().max(spot.len()).max(1);
        if y + rows as f32 * step > bottom {
            doc.new_page();
            y = 16.0;
            header(&mut doc, y);
            y += 6.0;
        }
        let ratings = e
            .ratings
            .iter()
            .map(|r| short(r))
            .collect::<Vec<_>>()
            .join("  ");
        let attempts = e.attempts.to_string();
        let cells: [&str; 9] = [
            &e.called,
            &e.kind,
            &e.patient,
            &e.phone,
            &e.department,
            &e.about,
            &e.outcome,
            &attempts,
            &ratings,
        ];
        let mut x = left;
        for (i, c) in cells.iter().enumerate() {
            doc.text(x, y, size, c);
            x += COLUMNS[i].1;
        }
        for (i, l) in body.iter().enumerate() {
            doc.text(x, y + i as f32 * step, size, l);
        }
        x += COLUMNS[9].1;
        doc.text(x, y, size, &e.caller);
        x += COLUMNS[10].1;
        for (i, l) in spot.iter().enumerate() {
            doc.text(x, y + i as f32 * step, size, l);
        }
        y += rows as f32 * step + 1.5;
        doc.rule(left, right, y - 2.5);
        y += 1.0;
    }
    doc.finish()
}

/// The register as an xlsx workbook: 回访登记本 (a row per follow-up) and 回访率 (the rates by
/// 回访登记本's entries as a table: a row per follow-up called (the xlsx sheet and the CSV).
pub fn entries_table(reg: &Register) -> crate::sheet::Table {
    let mut headers: Vec<(String, f64)> = vec![
        ("回访日期".into(), 11.0),
        ("类型".into(), 9.0),
        ("患者".into(), 8.0),
        ("电话".into(), 13.0),
        ("科室".into(), 10.0),
        ("就诊/出院日期".into(), 11.0),
        ("拨打次数".into(), 6.0),
        ("结果".into(), 9.0),
    ];
    for (_, label) in ASPECTS {
        headers.push((format!("{label}满意度"), 8.0));
    }
    for (h, w) in [
        ("患者意见", 30.0),
        ("异议及处理", 30.0),
        ("后续回访", 18.0),
        ("回访人", 8.0),
        ("抽查", 16.0),
    ] {
        headers.push((h.into(), w));
    }
    let mut t = crate::sheet::Table {
        name: "回访登记本".into(),
        columns: headers,
        rows: Vec::new(),
        // 拨打次数
        numeric: vec![6],
    };
    for e in &reg.entries {
        let mut cells: Vec<&str> = vec![
            &e.called,
            &e.kind,
            &e.patient,
            &e.phone,
            &e.department,
            &e.about,
        ];
        let attempts = e.attempts.to_string();
        cells.push(&attempts);
        cells.push(&e.outcome);
        cells.extend(e.ratings.iter().map(String::as_str));
        cells.extend([
            e.words.as_str(),
            &e.concerns,
            &e.next,
            &e.caller,
            &e.spot_check,
        ]);
        t.rows.push(cells.into_iter().map(str::to_string).collect());
    }
    t
}

/// department and staff member, and reach per attempt).
pub fn xlsx(reg: &Register) -> Result<Vec<u8>> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    entries_table(reg).write_sheet(&mut book)?;
    {
        let sheet = book
            .add_worksheet()
            .set_name("回访率")
            .map_err(xlsx_error)?;
        sheet.set_column_width(0, 26.0).map_err(xlsx_error)?;
        let mut row = 0u32;
        for (col, h) in ["", "回访率", "分子", "分母", "目标", "是否达标"]
            .iter()
            .enumerate()
        {
            sheet
                .write_string_with_format(row, col as u16, *h, &bold)
                .map_err(xlsx_error)?;
        }
        let mut put =
            |sheet: &mut rust_xlsxwriter::Worksheet, name: &str, r: &rates::Rate| -> Result<()> {
                row += 1;
                sheet.write_string(row, 0, name).map_err(xlsx_error)?;
                sheet.write_string(row, 1, r.shown()).map_err(xlsx_error)?;
                sheet
                    .write_number(row, 2, r.numerator as f64)
                    .map_err(xlsx_error)?;
                sheet
                    .write_number(row, 3, r.denominator as f64)
                    .map_err(xlsx_error)?;
                sheet
                    .write_string(row, 4, r.target_shown())
                    .map_err(xlsx_error)?;
                let verdict = match (r.met, r.pending) {
                    (None, false) => "",
                    _ => r.verdict(crate::i18n::Lang::Zh),
                };
                sheet.write_string(row, 5, verdict).map_err(xlsx_error)?;
                Ok(())
            };
        for (title, set) in [
            ("门诊回访率（初诊患者）", &reg.rates.outpatient),
            ("住院回访率（出院患者）", &reg.rates.inpatient),
        ] {
            put(sheet, title, &set.overall)?;
            for p in &set.by_department {
                put(sheet, &format!("　科室 {}", p.name), &p.rate)?;
            }
            for p in &set.by_staff {
                put(sheet, &format!("　回访人 {}", p.name), &p.rate)?;
            }
        }
        row += 2;
        for (col, h) in ["按拨打次数", "拨打", "接通"].iter().enumerate() {
            sheet
                .write_string_with_format(row, col as u16, *h, &bold)
                .map_err(xlsx_error)?;
        }
        for a in &reg.rates.reach {
            row += 1;
            sheet
                .write_string(row, 0, format!("第 {} 次", a.n))
                .map_err(xlsx_error)?;
            sheet
                .write_number(row, 1, a.tried as f64)
                .map_err(xlsx_error)?;
            sheet
                .write_number(row, 2, a.reached as f64)
                .map_err(xlsx_error)?;
        }
    }
    book.save_to_buffer().map_err(xlsx_error)
}

/// A register made for someone: its bytes in `format` (`pdf` or `xlsx`), the making recorded in
/// the audit log with the period, whether it was masked, and the reason for an unmasked one.
pub fn export(
    conn: &mut Conn,
    actor: &crate::audit::Actor,
    now: i64,
    period: Period,
    unmasked: bool,
    format: &str,
    reason: &str,
) -> Result<(Vec<u8>, usize)> {
    let (format, reason) = export_request(format, unmasked, reason)?;
    let today = crate::reference::today(conn, now)?;
    let reg = register(conn, period, unmasked, today)?;
    let bytes = match format {
        "csv" => entries_table(&reg).csv()?,
        "pdf" => pdf(&reg)?,
        _ => xlsx(&reg)?,
    };
    let lines = reg.entries.len();
    crate::store::write(conn, actor, now, |tx| {
        tx.event(
            if unmasked {
                "followup.register_unmasked"
            } else {
                "followup.register"
            },
            "followup_register",
            &format!("{}..{}", period.from, period.to),
            serde_json::json!({
                "format": format, "unmasked": unmasked, "reason": reason, "followups": lines,
            }),
        )
    })?;
    Ok((bytes, lines))
}
