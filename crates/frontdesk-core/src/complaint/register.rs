//! 投诉登记本 (quality record RAFS-QR-06-002, kept three years): every case received in a
//! period, as an A4 PDF and as an xlsx workbook (rust_xlsxwriter: a maintained writer of the
//! format, rather than hand-written XML), with the period's figures. The complainant's name and
//! phone are masked by default (张*三, 138****1234); an unmasked register is for supervisors and
//! the department head, with a reason, and is audited by the caller. 处罚直接责任者 appears only
//! in a register made by someone who may see it. A single case prints with its whole history.

use std::collections::HashMap;

use rust_xlsxwriter::{Format, Workbook};

use super::figures::{self, Figures, Period};
use super::{Action, Case, State};
use crate::clock;
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::ids::ComplaintId;
use crate::patient::mask_phone;
use crate::pdf::{text_width_mm, Doc};
use crate::store::Conn;

pub use crate::mask::name as mask_name;

/// How the register shows people.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Showing {
    /// The complainant's name and phone in full.
    pub unmasked: bool,
    /// 处罚直接责任者 (supervisors and the head).
    pub accountability: bool,
}

/// One case as a line of the register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: ComplaintId,
    pub number: String,
    pub received: String,
    pub kind: String,
    pub channel: String,
    pub complainant: String,
    pub contact: String,
    pub category: String,
    pub department: String,
    pub person: String,
    pub description: String,
    pub request: String,
    pub severity: String,
    pub state: String,
    pub handling: String,
    pub cause: String,
    pub remedy: String,
    pub carried_out: String,
    pub notified: String,
    pub feedback: String,
    pub summary: String,
    pub closed: String,
    pub owner: String,
    pub accountability: String,
}

pub struct Register {
    pub hospital: String,
    pub period: Period,
    pub showing: Showing,
    pub entries: Vec<Entry>,
    pub figures: Figures,
}

fn at(tz: chrono_tz::Tz, ms: Option<i64>) -> String {
    ms.map(|m| clock::format_local(tz, m, "%Y-%m-%d %H:%M"))
        .unwrap_or_default()
}

fn entry(
    case: &Case,
    steps: &[(String, String, String)],
    handling: &str,
    showing: Showing,
    tz: chrono_tz::Tz,
    lang: Lang,
) -> Entry {
    // The newest note of each step (a remedy proposed twice: the one carried out).
    let last = |a: Action| {
        steps
            .iter()
            .rev()
            .find(|(action, _, _)| action == a.as_str())
            .map(|(_, note, _)| note.clone())
            .unwrap_or_default()
    };
    let complainant = match (&case.complainant, case.anonymous) {
        (_, true) => if lang == Lang::Zh {
            "匿名"
        } else {
            "Anonymous"
        }
        .to_string(),
        (Some(n), _) if showing.unmasked => n.clone(),
        (Some(n), _) => mask_name(n),
        (None, _) => String::new(),
    };
    let contact = match &case.contact {
        Some(p) if showing.unmasked => p.clone(),
        Some(p) => mask_phone(p),
        None => String::new(),
    };
    let feedback = match case.satisfied {
        None => String::new(),
        Some(s) => {
            let word = match (s, lang) {
                (true, Lang::Zh) => "满意",
                (false, Lang::Zh) => "不满意",
                (true, Lang::En) => "Satisfied",
                (false, Lang::En) => "Not satisfied",
            };
            let said = last(Action::Feedback);
            if said.is_empty() {
                word.to_string()
            } else {
                format!("{word}：{said}")
            }
        }
    };
    let accountability = if showing.accountability {
        steps
            .iter()
            .filter(|(a, _, _)| a == Action::Accountability.as_str())
            .map(|(_, _, detail)| {
                let d: serde_json::Value = serde_json::from_str(detail).unwrap_or_default();
                format!(
                    "{}：{}（{}）",
                    d["person"].as_str().unwrap_or(""),
                    d["measure"].as_str().unwrap_or(""),
                    d["decided_by"].as_str().unwrap_or("")
                )
            })
            .collect::<Vec<_>>()
            .join("；")
    } else {
        String::new()
    };
    let settled = [last(Action::Reject), last(Action::OnSpot)]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("；");
    Entry {
        id: case.id,
        number: case.number.clone(),
        received: at(tz, Some(case.received_at)),
        kind: case.kind.label(lang).to_string(),
        channel: case.channel.label(lang).to_string(),
        complainant,
        contact,
        category: case.category.clone().unwrap_or_default(),
        department: case.department.clone().unwrap_or_default(),
        person: case.person.clone().unwrap_or_default(),
        description: case.description.clone(),
        request: case.request.clone(),
        severity: if case.kind == super::Kind::Complaint {
            case.severity.label(lang).to_string()
        } else {
            String::new()
        },
        state: case.state.label(lang).to_string(),
        handling: handling.to_string(),
        cause: last(Action::Cause),
        remedy: last(Action::Propose),
        carried_out: if settled.is_empty() {
            last(Action::CarryOut)
        } else {
            settled
        },
        notified: last(Action::Notify),
        feedback,
        summary: last(Action::Close),
        closed: at(tz, case.closed_at),
        owner: case.owner.clone(),
        accountability,
    }
}

/// The register's content: the cases received in the period, oldest first, and its figures.
/// `today` is the desk's business date (a case's "overdue" is as of it).
pub fn register(
    conn: &Conn,
    period: Period,
    showing: Showing,
    lang: Lang,
    today: chrono::NaiveDate,
) -> Result<Register> {
    let hospital = crate::reference::get_hospital(conn)?;
    let tz = hospital.tz();
    let ids: Vec<ComplaintId> = conn.all(
        "SELECT id FROM complaint WHERE received_date >= ?1 AND received_date <= ?2
         ORDER BY received_at, id",
        &[&period.from.to_string(), &period.to.to_string()],
        |r| Ok(r.get(0)?),
    )?;
    let mut steps: HashMap<ComplaintId, Vec<(String, String, String)>> = HashMap::new();
    let mut handling: HashMap<ComplaintId, Vec<String>> = HashMap::new();
    let lo = ids.iter().map(|i| i.0).min();
    let hi = ids.iter().map(|i| i.0).max();
    if let (Some(lo), Some(hi)) = (lo, hi) {
        conn.each(
            "SELECT s.complaint_id, s.action, s.note, s.detail FROM complaint_step s
             WHERE s.complaint_id >= ?1 AND s.complaint_id <= ?2 ORDER BY s.id",
            &[&lo, &hi],
            |r| {
                steps
                    .entry(r.get(0)?)
                    .or_default()
                    .push((r.get(1)?, r.get(2)?, r.get(3)?));
                Ok(())
            },
        )?;
        conn.each(
            "SELECT x.complaint_id, d.name FROM complaint_department x
             JOIN department d ON d.id = x.department_id
             WHERE x.complaint_id >= ?1 AND x.complaint_id <= ?2 ORDER BY x.id",
            &[&lo, &hi],
            |r| {
                handling.entry(r.get(0)?).or_default().push(r.get(1)?);
                Ok(())
            },
        )?;
    }
    let mut entries = Vec::with_capacity(ids.len());
    for id in ids {
        let case = super::get_case(conn, id, today)?;
        let none = Vec::new();
        let handling = handling.get(&id).map(|d| d.join("、")).unwrap_or_default();
        entries.push(entry(
            &case,
            steps.get(&id).unwrap_or(&none),
            &handling,
            showing,
            tz,
            lang,
        ));
    }
    Ok(Register {
        hospital: hospital.name,
        period,
        showing,
        entries,
        figures: figures::figures(conn, period, lang)?,
    })
}

fn percent_text(f: &Figures) -> String {
    let s = &f.satisfaction;
    match s.permille {
        None => format!("无已反馈结案（目标 {}）", s.target_shown),
        Some(_) => format!(
            "{}（满意 {} / 反馈结案 {}，目标 {}，{}）",
            s.shown,
            s.satisfied,
            s.with_feedback,
            s.target_shown,
            if s.met == Some(true) {
                "达标"
            } else {
                "未达标"
            }
        ),
    }
}

/// Lines of at most `width` mm at `size` pt (every register's PDF wraps its text so).
pub(crate) fn wrap(text: &str, width: f32, size: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        for ch in para.chars() {
            line.push(ch);
            if text_width_mm(&line, size) > width {
                line.pop();
                lines.push(std::mem::take(&mut line));
                line.push(ch);
            }
        }
        lines.push(line);
    }
    lines
}

struct Page {
    doc: Doc,
    y: f32,
}

impl Page {
    const LEFT: f32 = 14.0;
    const RIGHT: f32 = 196.0;
    const BOTTOM: f32 = 282.0;

    fn need(&mut self, mm: f32) {
        if self.y + mm > Self::BOTTOM {
            self.doc.new_page();
            self.y = 16.0;
        }
    }

    fn line(&mut self, x: f32, size: f32, text: &str) {
        self.need(size * 0.55);
        self.doc.text(x, self.y, size, text);
        self.y += size * 0.5;
    }

    /// `label：text`, the text wrapped under itself.
    fn field(&mut self, label: &str, text: &str) {
        if text.is_empty() {
            return;
        }
        let size = 9.0;
        let indent = Self::LEFT + 4.0 + text_width_mm(label, size) + 2.0;
        let lines = wrap(text, Self::RIGHT - indent, size);
        self.need(size * 0.5 * lines.len().min(3) as f32);
        self.doc.text(Self::LEFT + 4.0, self.y, size, label);
        for l in lines {
            self.need(size * 0.5);
            self.doc.text(indent, self.y, size, &l);
            self.y += size * 0.5;
        }
    }

    fn rule(&mut self) {
        self.doc.rule(Self::LEFT, Self::RIGHT, self.y - 3.0);
        self.y += 2.0;
    }
}

fn entry_block(p: &mut Page, e: &Entry) {
    p.need(30.0);
    let head = [
        e.number.as_str(),
        e.received.as_str(),
        e.kind.as_str(),
        e.channel.as_str(),
        e.severity.as_str(),
        e.state.as_str(),
    ]
    .iter()
    .filter(|s| !s.is_empty())
    .copied()
    .collect::<Vec<_>>()
    .join("  ");
    p.line(Page::LEFT, 10.5, &head);
    let who = [e.complainant.as_str(), e.contact.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join("  ");
    p.field("投诉人", &who);
    let about = [
        e.category.as_str(),
        e.department.as_str(),
        e.person.as_str(),
    ]
    .iter()
    .filter(|s| !s.is_empty())
    .copied()
    .collect::<Vec<_>>()
    .join(" · ");
    p.field("涉及", &about);
    p.field("事情经过", &e.description);
    p.field("诉求", &e.request);
    p.field("处理部门", &e.handling);
    p.field("原因分析", &e.cause);
    p.field("处理方案", &e.remedy);
    p.field("实施情况", &e.carried_out);
    p.field("处罚责任者", &e.accountability);
    p.field("通知客户", &e.notified);
    p.field("客户反馈", &e.feedback);
    p.field("总结", &e.summary);
    let end = if e.closed.is_empty() {
        format!("负责人 {}", e.owner)
    } else {
        format!("负责人 {}  结案 {}", e.owner, e.closed)
    };
    p.field("", &end);
    p.y += 3.0;
    p.rule();
}

/// A register's format (`pdf` or `xlsx`, as a file's extension may give it) and, for an
/// unmasked one, the reason it is made — checked before anything is read.
pub(crate) fn export_request(
    format: &str,
    unmasked: bool,
    reason: &str,
) -> Result<(&'static str, String)> {
    let format = match format
        .trim()
        .trim_start_matches('.')
        .to_ascii_lowercase()
        .as_str()
    {
        "pdf" => "pdf",
        "xlsx" => "xlsx",
        "csv" => "csv",
        _ => return Err(Error::invalid("format", crate::error::Problem::Unknown)),
    };
    let reason = if unmasked {
        crate::validate::text("export_reason", reason, 2, 200)?
    } else {
        String::new()
    };
    Ok((format, reason))
}

/// A register made for someone: its bytes in `format` (`pdf` or `xlsx`), the making recorded
/// in the audit log with the period, how it shows people, and the reason for an unmasked one.
#[allow(clippy::too_many_arguments)]
pub fn export(
    conn: &mut Conn,
    actor: &crate::audit::Actor,
    now: i64,
    period: Period,
    showing: Showing,
    format: &str,
    reason: &str,
    lang: Lang,
) -> Result<(Vec<u8>, usize)> {
    let (format, reason) = export_request(format, showing.unmasked, reason)?;
    let today = crate::reference::today(conn, now)?;
    let reg = register(conn, period, showing, lang, today)?;
    let bytes = match format {
        "pdf" => pdf(&reg)?,
        "csv" => entries_table(&reg).csv()?,
        _ => xlsx(&reg)?,
    };
    let cases = reg.entries.len();
    crate::store::write(conn, actor, now, |tx| {
        tx.event(
            if showing.unmasked {
                "complaint.register_unmasked"
            } else {
                "complaint.register"
            },
            "complaint_register",
            &format!("{}..{}", period.from, period.to),
            serde_json::json!({
                "format": format, "unmasked": showing.unmasked,
                "accountability": showing.accountability, "reason": reason, "cases": cases,
            }),
        )
    })?;
    Ok((bytes, cases))
}

/// The register as an A4 PDF.
pub fn pdf(reg: &Register) -> Result<Vec<u8>> {
    let (from, to) = (reg.period.from, reg.period.to);
    let mut p = Page {
        doc: Doc::new(&format!("投诉登记本 {from} 至 {to}"), 210.0, 297.0)?,
        y: 18.0,
    };
    p.doc
        .text_center(p.y, 15.0, &format!("{} 投诉登记本", reg.hospital));
    p.y += 7.0;
    let masked = if reg.showing.unmasked {
        "投诉人信息未脱敏（经授权导出）"
    } else {
        "投诉人姓名、电话已脱敏"
    };
    p.doc.text_center(
        p.y,
        9.5,
        &format!("{from} 至 {to} · RAFS-QR-06-002 · 保存期 3 年 · {masked}"),
    );
    p.y += 9.0;
    let f = &reg.figures;
    p.line(
        Page::LEFT,
        10.0,
        &format!(
            "收到 投诉 {} 件（成立 {}）、建议 {} 件、表扬 {} 件；本期结案 {} 件",
            f.received.complaints,
            f.received.upheld,
            f.received.suggestions,
            f.received.praise,
            f.closed
        ),
    );
    p.line(
        Page::LEFT,
        10.0,
        &format!("投诉处理满意率 {}", percent_text(f)),
    );
    let counts = |list: &[(String, figures::Counts)]| {
        list.iter()
            .map(|(name, c)| format!("{name} {}", c.complaints + c.suggestions + c.praise))
            .collect::<Vec<_>>()
            .join("，")
    };
    p.field("按类别", &counts(&f.by_category));
    p.field("按科室", &counts(&f.by_department));
    p.field("按渠道", &counts(&f.by_channel));
    p.y += 4.0;
    p.rule();
    if reg.entries.is_empty() {
        p.line(Page::LEFT, 10.0, "本期无登记");
    }
    for e in &reg.entries {
        entry_block(&mut p, e);
    }
    p.doc.finish()
}

pub(crate) use crate::sheet::xlsx_error;

/// 投诉登记本's entries as a table: a row per case (the xlsx sheet and the CSV file).
pub fn entries_table(reg: &Register) -> crate::sheet::Table {
    let mut headers = vec![
        ("编号", 14.0),
        ("受理时间", 17.0),
        ("类型", 6.0),
        ("渠道", 8.0),
        ("投诉人", 10.0),
        ("联系电话", 14.0),
        ("类别", 10.0),
        ("涉及科室", 12.0),
        ("涉及人员", 10.0),
        ("事情经过", 36.0),
        ("诉求", 20.0),
        ("严重程度", 8.0),
        ("状态", 10.0),
        ("处理部门", 14.0),
        ("原因分析", 24.0),
        ("处理方案", 24.0),
        ("实施情况", 24.0),
        ("通知客户", 16.0),
        ("客户反馈", 20.0),
        ("总结", 24.0),
        ("结案时间", 17.0),
        ("负责人", 8.0),
    ];
    if reg.showing.accountability {
        headers.push(("处罚直接责任者", 24.0));
    }
    let mut t = crate::sheet::Table::new("投诉登记本", &headers);
    for e in &reg.entries {
        let mut cells = vec![
            &e.number,
            &e.received,
            &e.kind,
            &e.channel,
            &e.complainant,
            &e.contact,
            &e.category,
            &e.department,
            &e.person,
            &e.description,
            &e.request,
            &e.severity,
            &e.state,
            &e.handling,
            &e.cause,
            &e.remedy,
            &e.carried_out,
            &e.notified,
            &e.feedback,
            &e.summary,
            &e.closed,
            &e.owner,
        ];
        if reg.showing.accountability {
            cells.push(&e.accountability);
        }
        t.rows.push(cells.into_iter().cloned().collect());
    }
    t
}

/// The register as an xlsx workbook: 投诉登记本 (a row per case) and 统计 (the figures).
pub fn xlsx(reg: &Register) -> Result<Vec<u8>> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    entries_table(reg).write_sheet(&mut book)?;
    {
        let f = &reg.figures;
        let sheet = book.add_worksheet().set_name("统计").map_err(xlsx_error)?;
        sheet.set_column_width(0, 22.0).map_err(xlsx_error)?;
        let mut row = 0u32;
        let mut put = |sheet: &mut rust_xlsxwriter::Worksheet,
                       cells: &[String],
                       bold_row: bool|
         -> Result<()> {
            for (col, v) in cells.iter().enumerate() {
                match v.parse::<f64>() {
                    Ok(n) if col > 0 => sheet.write_number(row, col as u16, n).map(|_| ()),
                    _ if bold_row => sheet
                        .write_string_with_format(row, col as u16, v, &bold)
                        .map(|_| ()),
                    _ => sheet.write_string(row, col as u16, v).map(|_| ()),
                }
                .map_err(xlsx_error)?;
            }
            row += 1;
            Ok(())
        };
        let s = |v: &str| v.to_string();
        put(sheet, &[s("期间"), format!("{} 至 {}", f.from, f.to)], true)?;
        put(
            sheet,
            &[
                s("投诉处理满意率（%）"),
                f.satisfaction
                    .permille
                    .map(|p| format!("{}.{}", p / 10, p % 10))
                    .unwrap_or_default(),
            ],
            false,
        )?;
        put(
            sheet,
            &[s("满意"), f.satisfaction.satisfied.to_string()],
            false,
        )?;
        put(
            sheet,
            &[s("反馈结案"), f.satisfaction.with_feedback.to_string()],
            false,
        )?;
        put(
            sheet,
            &[s("目标"), f.satisfaction.target_shown.clone()],
            false,
        )?;
        put(sheet, &[s("本期结案"), f.closed.to_string()], false)?;
        put(sheet, &[], false)?;
        for (title, list) in [
            ("类别", &f.by_category),
            ("科室", &f.by_department),
            ("渠道", &f.by_channel),
        ] {
            put(
                sheet,
                &[s(title), s("投诉"), s("成立"), s("建议"), s("表扬")],
                true,
            )?;
            for (name, c) in list {
                put(
                    sheet,
                    &[
                        name.clone(),
                        c.complaints.to_string(),
                        c.upheld.to_string(),
                        c.suggestions.to_string(),
                        c.praise.to_string(),
                    ],
                    false,
                )?;
            }
            put(sheet, &[], false)?;
        }
        put(
            sheet,
            &[s("月份"), s("人员"), s("科室"), s("投诉成立"), s("表扬")],
            true,
        )?;
        for m in &f.per_staff {
            put(
                sheet,
                &[
                    m.month.clone(),
                    m.person.clone(),
                    m.department.clone().unwrap_or_default(),
                    m.upheld.to_string(),
                    m.praise.to_string(),
                ],
                false,
            )?;
        }
    }
    book.save_to_buffer().map_err(xlsx_error)
}

/// One case with its whole history, as an A4 PDF (the complainant masked).
pub fn case_pdf(
    conn: &Conn,
    id: ComplaintId,
    see_accountability: bool,
    lang: Lang,
    today: chrono::NaiveDate,
) -> Result<Vec<u8>> {
    let hospital = crate::reference::get_hospital(conn)?;
    let tz = hospital.tz();
    let case = super::get_case(conn, id, today)?;
    let history = super::steps(conn, id, see_accountability)?;
    let handling: Vec<String> = conn.all(
        "SELECT d.name FROM complaint_department x JOIN department d ON d.id = x.department_id
         WHERE x.complaint_id = ?1 ORDER BY x.id",
        &[&id],
        |r| Ok(r.get(0)?),
    )?;
    let raw: Vec<(String, String, String)> = conn.all(
        "SELECT action, note, detail FROM complaint_step WHERE complaint_id = ?1 ORDER BY id",
        &[&id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let showing = Showing {
        unmasked: false,
        accountability: see_accountability,
    };
    let e = entry(&case, &raw, &handling.join("、"), showing, tz, lang);
    let mut p = Page {
        doc: Doc::new(&format!("投诉 {}", case.number), 210.0, 297.0)?,
        y: 18.0,
    };
    p.doc
        .text_center(p.y, 14.0, &format!("{} 投诉处理单", hospital.name));
    p.y += 10.0;
    entry_block(&mut p, &e);
    p.line(Page::LEFT, 11.0, "处理记录");
    p.y += 1.0;
    for s in &history {
        let name = match Action::parse(&s.action) {
            Some(a) => a.label(lang).to_string(),
            None => "登记".to_string(),
        };
        let to = if s.to_state == s.from_state || s.to_state == State::Received {
            String::new()
        } else {
            format!(" → {}", s.to_state.label(lang))
        };
        p.line(
            Page::LEFT + 2.0,
            9.0,
            &format!("{}  {}{}  {}", at(tz, Some(s.at)), name, to, s.by),
        );
        let note = if s.withheld {
            "（责任处理记录仅主管与主任可见）".to_string()
        } else {
            s.note.clone()
        };
        p.field("", &note);
        p.y += 1.0;
    }
    p.doc.finish()
}
