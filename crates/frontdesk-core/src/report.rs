//! 日结报表: the daily report, per cashier (shift) and for the whole desk — registrations by
//! type and by department, 退号 and 换号 with counts and amounts, totals per method, expected,
//! counted and difference, the explanations, the receipt series, the cash handed to finance,
//! and signature lines (收款员, 复核, 财务) — as figures ([`daily`]) and as an A4 PDF.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::cash::{self, MethodLine, ReceiptSeries, ShiftInfo};
use crate::clock;
use crate::error::Result;
use crate::holds_place_sql;
use crate::ids::{DoctorId, ShiftId, StaffId};
use crate::money::Fen;
use crate::pdf::Doc;
use crate::reference::get_hospital;
use crate::store::Conn;

/// A count and an amount.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, Default)]
pub struct Tally {
    pub count: i64,
    pub amount_fen: Fen,
}

impl Tally {
    fn add(&mut self, other: Tally) {
        self.count += other.count;
        self.amount_fen += other.amount_fen;
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CashierDay {
    pub shift: ShiftInfo,
    pub closed: bool,
    /// Valid registrations (not cancelled, not changed away) made in the shift, by type.
    pub by_type: BTreeMap<String, Tally>,
    pub by_department: BTreeMap<String, Tally>,
    /// 退号 refunded in this shift: how many, and how much went back.
    pub cancelled: Tally,
    /// 换号 made in this shift: how many, and the net difference taken (+) or refunded (−).
    pub changed: Tally,
    /// Per method: expected; counted and difference once closed.
    pub methods: Vec<MethodLine>,
    pub explanation: String,
    pub approved_by: Option<String>,
    pub receipts: ReceiptSeries,
    pub handover_fen: Option<Fen>,
    pub received_by: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DayReport {
    pub date: String,
    pub hospital: String,
    pub cashiers: Vec<CashierDay>,
    pub by_type: BTreeMap<String, Tally>,
    pub by_department: BTreeMap<String, Tally>,
    pub cancelled: Tally,
    pub changed: Tally,
    /// Per method for the whole desk: (name, expected, counted if every shift is closed).
    pub methods: Vec<MethodLine>,
    pub handover_fen: Fen,
    pub open_shifts: i64,
}

fn tallies(conn: &Conn, sql: &str, shift: ShiftId) -> Result<BTreeMap<String, Tally>> {
    Ok(conn
        .all(sql, &[&shift], |r| {
            Ok((
                r.get::<String>(0)?,
                Tally {
                    count: r.get(1)?,
                    amount_fen: r.get(2)?,
                },
            ))
        })?
        .into_iter()
        .collect())
}

fn cashier_day(conn: &Conn, shift: ShiftInfo, now: i64) -> Result<CashierDay> {
    let id = shift.id;
    let by_type = tallies(
        conn,
        concat!(
            "SELECT t.name, count(*), CAST(sum(r.due_fen) AS BIGINT) FROM registration r
             JOIN registration_type t ON t.id = r.registration_type_id
             WHERE r.shift_id = ?1 AND ",
            holds_place_sql!("r"),
            " GROUP BY t.name"
        ),
        id,
    )?;
    let by_department = tallies(
        conn,
        concat!(
            "SELECT d.name, count(*), CAST(sum(r.due_fen) AS BIGINT) FROM registration r
             JOIN department d ON d.id = r.department_id
             WHERE r.shift_id = ?1 AND ",
            holds_place_sql!("r"),
            " GROUP BY d.name"
        ),
        id,
    )?;
    let cancelled = conn.row(
        "SELECT count(DISTINCT l.registration_id), CAST(coalesce(-sum(l.amount_fen), 0) AS BIGINT) FROM ledger l
         JOIN registration r ON r.id = l.registration_id
         WHERE l.shift_id = ?1 AND l.kind = 'refund' AND r.status = 'cancelled'",
        &[&id],
        |r| {
            Ok(Tally {
                count: r.get(0)?,
                amount_fen: r.get(1)?,
            })
        },
    )?;
    let changed = conn.row(
        "SELECT count(*), CAST(coalesce(sum((SELECT coalesce(sum(amount_fen), 0) FROM ledger l
                                              WHERE l.registration_id = r.id)), 0) AS BIGINT)
         FROM registration r WHERE r.shift_id = ?1 AND r.changed_from_id IS NOT NULL",
        &[&id],
        |r| {
            Ok(Tally {
                count: r.get(0)?,
                amount_fen: r.get(1)?,
            })
        },
    )?;
    let stored = cash::closed_shift(conn, id, now)?;
    let (methods, explanation, approved_by, handover, received_by) = match stored {
        Some(c) => (
            c.lines,
            c.explanation,
            c.approved_by,
            Some(c.handover_fen),
            Some(c.received_by),
        ),
        None => (cash::expected(conn, id)?, String::new(), None, None, None),
    };
    Ok(CashierDay {
        closed: shift.closed_at.is_some(),
        receipts: cash::receipt_series(conn, id)?,
        shift,
        by_type,
        by_department,
        cancelled,
        changed,
        methods,
        explanation,
        approved_by,
        handover_fen: handover,
        received_by,
    })
}

/// The day's figures: each shift opened on `date`, and the desk's totals.
pub fn daily(conn: &Conn, date: &str, now: i64) -> Result<DayReport> {
    daily_for(conn, date, now, None)
}

/// The day's figures for one cashier's shifts only (`Some(staff id)`), or for everyone.
/// A clerk sees their own day; the whole desk is for supervisors and the head.
pub fn daily_for(conn: &Conn, date: &str, now: i64, clerk: Option<StaffId>) -> Result<DayReport> {
    let hospital = get_hospital(conn)?;
    let mut report = DayReport {
        date: date.to_string(),
        hospital: hospital.name,
        cashiers: Vec::new(),
        by_type: BTreeMap::new(),
        by_department: BTreeMap::new(),
        cancelled: Tally::default(),
        changed: Tally::default(),
        methods: Vec::new(),
        handover_fen: Fen::ZERO,
        open_shifts: 0,
    };
    for shift in cash::shifts_of_day(conn, date, now)? {
        if clerk.is_some_and(|c| c != shift.clerk_id) {
            continue;
        }
        let day = cashier_day(conn, shift, now)?;
        for (k, v) in &day.by_type {
            report.by_type.entry(k.clone()).or_default().add(*v);
        }
        for (k, v) in &day.by_department {
            report.by_department.entry(k.clone()).or_default().add(*v);
        }
        report.cancelled.add(day.cancelled);
        report.changed.add(day.changed);
        for line in &day.methods {
            match report.methods.iter_mut().find(|m| m.method == line.method) {
                Some(m) => {
                    m.expected_fen += line.expected_fen;
                    m.counted_fen = match (m.counted_fen, line.counted_fen) {
                        (Some(a), Some(b)) => Some(a + b),
                        _ => None,
                    };
                    m.difference_fen = m.counted_fen.map(|c| c - m.expected_fen);
                }
                None => report.methods.push(line.clone()),
            }
        }
        report.handover_fen += day.handover_fen.unwrap_or(Fen::ZERO);
        if !day.closed {
            report.open_shifts += 1;
        }
        report.cashiers.push(day);
    }
    Ok(report)
}

// ---- 挂号数据保密: per-doctor figures ---------------------------------------------------------

/// Per-doctor counts and takings of a day, for supervisors and the department head only
/// (挂号数据保密 [3.2.3.13]).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DoctorStats {
    pub doctor_id: DoctorId,
    pub doctor_name: String,
    pub department_name: String,
    pub registrations: i64,
    pub revenue_fen: Fen,
}

pub fn doctor_stats(conn: &Conn, date: &str) -> Result<Vec<DoctorStats>> {
    conn.all(
        concat!(
            "SELECT d.id, d.name, p.name,
                (SELECT count(*) FROM registration r WHERE r.doctor_id = d.id AND r.date = ?1 AND ",
            holds_place_sql!("r"),
            "),
                (SELECT CAST(coalesce(sum(l.amount_fen), 0) AS BIGINT) FROM ledger l
                 JOIN registration r ON r.id = l.registration_id
                 WHERE r.doctor_id = d.id AND r.date = ?1)
             FROM doctor d JOIN department p ON p.id = d.department_id
             WHERE EXISTS (SELECT 1 FROM registration r WHERE r.doctor_id = d.id AND r.date = ?1)
             ORDER BY p.code, d.name"
        ),
        &[&date],
        |r| {
            Ok(DoctorStats {
                doctor_id: r.get(0)?,
                doctor_name: r.get(1)?,
                department_name: r.get(2)?,
                registrations: r.get(3)?,
                revenue_fen: r.get(4)?,
            })
        },
    )
}

fn y_of(v: Option<Fen>) -> String {
    v.map(|f| f.to_string()).unwrap_or_else(|| "—".into())
}

/// An A4 page laid out top to bottom: headings, lines, rows of right-aligned cells, a new page
/// when the next thing would not fit (the daily report's, and the quality monthly report's).
pub(crate) struct Writer {
    pub(crate) doc: Doc,
    pub(crate) y: f32,
}

impl Writer {
    pub(crate) const LEFT: f32 = 15.0;
    pub(crate) const RIGHT: f32 = 195.0;
    pub(crate) const BOTTOM: f32 = 280.0;

    pub(crate) fn need(&mut self, mm: f32) {
        if self.y + mm > Self::BOTTOM {
            self.doc.new_page();
            self.y = 18.0;
        }
    }

    pub(crate) fn heading(&mut self, text: &str) {
        self.need(14.0);
        self.y += 3.0;
        self.doc.text(Self::LEFT, self.y, 12.0, text);
        self.y += 2.0;
        self.doc.rule(Self::LEFT, Self::RIGHT, self.y);
        self.y += 6.0;
    }

    pub(crate) fn line(&mut self, text: &str) {
        self.need(6.0);
        self.doc.text(Self::LEFT, self.y, 9.5, text);
        self.y += 5.5;
    }

    /// A row of cells at fixed columns; cells after the first are right-aligned.
    pub(crate) fn row(&mut self, cells: &[String], columns: &[f32]) {
        self.need(6.0);
        for (i, (cell, x)) in cells.iter().zip(columns).enumerate() {
            if i == 0 {
                self.doc.text(*x, self.y, 9.5, cell);
            } else {
                self.doc.text_right(*x, self.y, 9.5, cell);
            }
        }
        self.y += 5.5;
    }

    fn tallies(&mut self, title: &str, rows: &BTreeMap<String, Tally>) {
        let cols = [Self::LEFT + 4.0, 110.0, 150.0];
        self.row(&[title.to_string(), "人次".into(), "金额".into()], &cols);
        if rows.is_empty() {
            self.row(&["（无）".into(), "0".into(), "¥0.00".into()], &cols);
        }
        for (name, t) in rows {
            self.row(
                &[
                    name.clone(),
                    t.count.to_string(),
                    format!("¥{}", t.amount_fen.yuan()),
                ],
                &cols,
            );
        }
        self.y += 1.5;
    }

    /// What a shift, or the whole desk, did: registrations by type and by department, 退号 and
    /// 换号, and the takings per method.
    fn activity(
        &mut self,
        by_type: &BTreeMap<String, Tally>,
        by_department: &BTreeMap<String, Tally>,
        cancelled: &Tally,
        changed: &Tally,
        methods: &[MethodLine],
    ) {
        self.tallies("按号别", by_type);
        self.tallies("按科室", by_department);
        self.line(&format!(
            "退号 {} 笔，退款 ¥{}；换号 {} 笔，补收（退）差额 ¥{}",
            cancelled.count,
            cancelled.amount_fen.yuan(),
            changed.count,
            changed.amount_fen.yuan()
        ));
        self.y += 1.5;
        self.methods(methods);
    }

    fn methods(&mut self, lines: &[MethodLine]) {
        let cols = [Self::LEFT + 4.0, 100.0, 140.0, 180.0];
        self.row(
            &[
                "支付方式".into(),
                "应收（系统）".into(),
                "实点".into(),
                "差额".into(),
            ],
            &cols,
        );
        for m in lines {
            self.row(
                &[
                    m.name.clone(),
                    m.expected_fen.to_string(),
                    y_of(m.counted_fen),
                    y_of(m.difference_fen),
                ],
                &cols,
            );
        }
        self.y += 1.5;
    }
}

/// The daily report as an A4 PDF: everyone's (`clerk` = `None`) or one cashier's.
pub fn daily_pdf(conn: &Conn, date: &str, now: i64, clerk: Option<StaffId>) -> Result<Vec<u8>> {
    let report = daily_for(conn, date, now, clerk)?;
    let tz = get_hospital(conn)?.tz();
    let mut w = Writer {
        doc: Doc::new(&format!("日结报表 {date}"), 210.0, 297.0)?,
        y: 20.0,
    };
    w.doc
        .text_center(w.y, 15.0, &format!("{} 挂号处日结报表", report.hospital));
    w.y += 8.0;
    w.doc.text_center(
        w.y,
        10.0,
        &format!(
            "营业日 {date}    打印时间 {}",
            clock::format_local(tz, now, "%Y-%m-%d %H:%M")
        ),
    );
    w.y += 6.0;
    if report.open_shifts > 0 {
        w.line(&format!(
            "注意：尚有 {} 个班次未结班，其实点与差额暂缺。",
            report.open_shifts
        ));
    }
    for day in &report.cashiers {
        let s = &day.shift;
        let closed = match s.closed_at {
            Some(c) => format!(
                "{}–{} 已结班",
                clock::format_local(tz, s.opened_at, "%H:%M"),
                clock::format_local(tz, c, "%H:%M")
            ),
            None => format!(
                "{} 开班，未结班",
                clock::format_local(tz, s.opened_at, "%H:%M")
            ),
        };
        w.heading(&format!(
            "收款员 {} · 班次 #{} · 窗口 {} · {}",
            s.clerk_name, s.id, s.desk, closed
        ));
        w.activity(
            &day.by_type,
            &day.by_department,
            &day.cancelled,
            &day.changed,
            &day.methods,
        );
        w.line(&format!(
            "备用金 ¥{}    上交现金 {}    财务接收人 {}",
            s.float_fen.yuan(),
            y_of(day.handover_fen),
            day.received_by.clone().unwrap_or_else(|| "—".into())
        ));
        if !day.explanation.is_empty() {
            w.line(&format!("差额说明：{}", day.explanation));
        }
        if let Some(a) = &day.approved_by {
            w.line(&format!("主管签字：{a}"));
        }
        let r = &day.receipts;
        w.line(&format!(
            "票据 {} – {}  共 {} 张 · 有效 {} · 作废 {} · 重打 {} · 缺号 {}",
            r.first.clone().unwrap_or_else(|| "—".into()),
            r.last.clone().unwrap_or_else(|| "—".into()),
            r.issued,
            r.valid,
            r.voided.len(),
            r.reprints,
            if r.gaps.is_empty() {
                "0".to_string()
            } else {
                r.gaps.join("、")
            }
        ));
        for v in &r.voided {
            w.line(&format!("    作废 {}：{}", v.number, v.reason));
        }
        w.y += 3.0;
        w.line("收款员签字：______________    复核：______________    财务：______________");
    }
    w.heading(if clerk.is_some() {
        "本人合计"
    } else {
        "全挂号处合计"
    });
    w.activity(
        &report.by_type,
        &report.by_department,
        &report.cancelled,
        &report.changed,
        &report.methods,
    );
    w.line(&format!("上交现金合计 ¥{}", report.handover_fen.yuan()));
    w.y += 6.0;
    w.line("收款员：______________    复核：______________    财务：______________");
    w.doc.finish()
}
