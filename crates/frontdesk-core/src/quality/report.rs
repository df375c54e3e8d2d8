//! 质量月报: a month on A4 in Chinese — every target with its figure, status and a trend chart
//! of twelve months drawn as vector paths; complaints by category and department; follow-up
//! reach; the surveys' answers item by item; the spot-checks done; how each figure is
//! computed. The same file from the app and from `frontdesk-admin report monthly`.

use chrono::NaiveDate;

use super::dashboard::{dashboard, Dashboard, Status, Tile};
use super::figures::Span;
use crate::clock;
use crate::error::{Error, Problem, Result};
use crate::i18n::Lang;
use crate::pdf::{text_width_mm, Doc, Rgb8};
use crate::reference::get_hospital;
use crate::report::Writer;
use crate::store::Conn;

const TEAL: Rgb8 = (15, 118, 110);
const RED: Rgb8 = (185, 28, 28);
const AMBER: Rgb8 = (180, 83, 9);
const GREEN: Rgb8 = (21, 128, 61);
const GREY: Rgb8 = (148, 163, 184);
const LIGHT: Rgb8 = (203, 213, 225);
const BLACK: Rgb8 = (0, 0, 0);

/// `2026-11` → its first day.
pub fn month_start(month: &str) -> Result<NaiveDate> {
    let t = month.trim();
    if t.len() != 7 {
        return Err(Error::invalid("month", Problem::BadFormat));
    }
    crate::validate::date("month", &format!("{t}-01"))
        .map_err(|_| Error::invalid("month", Problem::BadFormat))
}

fn pct(p: Option<i64>) -> String {
    match p {
        Some(p) => format!("{}.{}%", p / 10, p % 10),
        None => "—".into(),
    }
}

fn shown(tile: &Tile, v: Option<i64>) -> String {
    if tile.spec.rate {
        pct(v)
    } else {
        v.map_or("—".into(), |n| format!("{n} 次"))
    }
}

fn status_words(s: Status) -> (&'static str, Rgb8) {
    match s {
        Status::Met => ("达标", GREEN),
        Status::Missed => ("未达标", RED),
        Status::Warning => ("预警", AMBER),
        Status::Pending => ("待考核", GREY),
        Status::NoData => ("无数据", GREY),
    }
}

/// Lines of at most `width` mm at `size` pt.
fn wrap(text: &str, width: f32, size: f32) -> Vec<String> {
    let mut out = Vec::new();
    let mut line = String::new();
    for c in text.chars() {
        line.push(c);
        if text_width_mm(&line, size) > width {
            line.pop();
            out.push(std::mem::take(&mut line));
            line.push(c);
        }
    }
    if !line.is_empty() {
        out.push(line);
    }
    out
}

fn para(w: &mut Writer, text: &str, size: f32) {
    for l in wrap(text, Writer::RIGHT - Writer::LEFT, size) {
        w.need(5.0);
        w.doc.text(Writer::LEFT, w.y, size, &l);
        w.y += size * 0.55;
    }
}

/// A tile's twelve periods as a line chart in the box at (`x`, `y`), `width` × `height` mm:
/// the figure in teal with a marker per period (red where missed), the target dashed grey.
fn chart(doc: &mut Doc, x: f32, y: f32, width: f32, height: f32, tile: &Tile) {
    let (status, colour) = status_words(tile.status);
    doc.text(x, y + 3.5, 9.0, tile.spec.name);
    let figure = format!("{}  {}", shown(tile, tile.now.value), status);
    doc.text_colour(colour);
    doc.text(
        x + width - text_width_mm(&figure, 8.5),
        y + 3.5,
        8.5,
        &figure,
    );
    doc.text_colour(BLACK);
    let (left, top) = (x + 11.0, y + 7.0);
    let (w, h) = (width - 13.0, height - 13.0);
    let values: Vec<Option<i64>> = tile.trend.iter().map(|p| p.value).collect();
    let targets: Vec<Option<i64>> = tile.trend.iter().map(|p| p.target).collect();
    let all: Vec<i64> = values.iter().chain(&targets).flatten().copied().collect();
    let (mut lo, mut hi) = (
        all.iter().copied().min().unwrap_or(0),
        all.iter().copied().max().unwrap_or(1),
    );
    if tile.spec.rate {
        let pad = ((hi - lo) / 5).max(20);
        lo = (lo - pad).max(0) / 50 * 50;
        hi = ((hi + pad).min(1000) + 49) / 50 * 50;
    } else {
        lo = 0;
        hi = hi.max(1) + 1;
    }
    if hi <= lo {
        hi = lo + 1;
    }
    let n = tile.trend.len().max(2);
    let px = |i: usize| left + w * i as f32 / (n - 1) as f32;
    let py = |v: i64| top + h - h * (v - lo) as f32 / (hi - lo) as f32;
    // Axes and the scale's ends.
    doc.path(
        vec![(left, top), (left, top + h), (left + w, top + h)],
        0.5,
        LIGHT,
        false,
    );
    let label = |v: i64| {
        if tile.spec.rate {
            format!("{}%", v / 10)
        } else {
            v.to_string()
        }
    };
    for v in [lo, hi] {
        let l = label(v);
        doc.text(left - 1.5 - text_width_mm(&l, 6.5), py(v) + 1.0, 6.5, &l);
    }
    for i in [0, n / 2, n - 1] {
        if let Some(p) = tile.trend.get(i) {
            let l = &p.label;
            doc.text(px(i) - text_width_mm(l, 6.0) / 2.0, top + h + 4.0, 6.0, l);
        }
    }
    // The target, then the figure in runs between missing periods.
    let target_line: Vec<(f32, f32)> = targets
        .iter()
        .enumerate()
        .filter_map(|(i, t)| t.map(|t| (px(i), py(t))))
        .collect();
    doc.path(target_line, 0.8, GREY, true);
    let mut run = Vec::new();
    for (i, v) in values.iter().enumerate() {
        match v {
            Some(v) => run.push((px(i), py(*v))),
            None => {
                doc.path(std::mem::take(&mut run), 1.2, TEAL, false);
            }
        }
    }
    doc.path(run, 1.2, TEAL, false);
    for (i, p) in tile.trend.iter().enumerate() {
        if let Some(v) = p.value {
            let c = if p.met == Some(false) { RED } else { TEAL };
            doc.fill(px(i) - 0.8, py(v) - 0.8, 1.6, 1.6, c);
        }
    }
}

/// The month's report as PDF bytes.
pub fn monthly_pdf(conn: &mut Conn, month: &str, now: i64) -> Result<Vec<u8>> {
    let first = month_start(month)?;
    let tz = get_hospital(conn)?.tz();
    let today = clock::business_date(tz, now);
    if first > today {
        return Err(Error::invalid("month", Problem::Future));
    }
    let d: Dashboard = dashboard(conn, Span::Month, first, today, Lang::Zh)?;
    let (from, to) = (d.period.from, d.period.to);
    let label = d.period.label.clone();
    let hospital = get_hospital(conn)?.name;
    let mut w = Writer {
        doc: Doc::new(&format!("质量月报 {label}"), 210.0, 297.0)?,
        y: 20.0,
    };
    w.doc
        .text_center(w.y, 15.0, &format!("{hospital} 经营部质量月报"));
    w.y += 8.0;
    w.doc.text_center(
        w.y,
        10.0,
        &format!(
            "{}（{from} 至 {to}）    生成于 {}",
            first.format("%Y年%m月"),
            clock::format_local(tz, now, "%Y-%m-%d %H:%M")
        ),
    );
    w.y += 6.0;
    if !d.period.ended(today) {
        w.line("注意：本月尚未结束，以下为截至生成时的数据。");
    }

    w.heading("一、部门质量目标");
    let cols = [Writer::LEFT, 92.0, 120.0, 150.0, Writer::RIGHT];
    w.row(
        &[
            "目标".into(),
            "本月".into(),
            "目标值".into(),
            "分子 / 分母".into(),
            "状态".into(),
        ],
        &cols,
    );
    for t in &d.tiles {
        let target = match t.now.target {
            None => "按月考核".into(),
            Some(v) => {
                let text = super::targets::target_text(t.spec.direction, t.spec.rate, v);
                if t.spec.rate {
                    text
                } else {
                    format!("{text} 次")
                }
            }
        };
        let frac = match (t.now.numerator, t.now.denominator) {
            (Some(n), Some(dn)) => format!("{n} / {dn}"),
            _ => String::new(),
        };
        let (status, colour) = status_words(t.status);
        w.need(6.0);
        w.doc.text(cols[0], w.y, 9.5, t.spec.name);
        w.doc.text_right(cols[1], w.y, 9.5, &shown(t, t.now.value));
        w.doc.text_right(cols[2], w.y, 9.5, &target);
        w.doc.text_right(cols[3], w.y, 9.5, &frac);
        w.doc.text_colour(colour);
        w.doc.text_right(cols[4], w.y, 9.5, status);
        w.doc.text_colour(BLACK);
        w.y += 5.5;
        if let Some(why) = t.warning.as_ref().filter(|_| t.status != Status::Missed) {
            w.need(5.0);
            w.doc
                .text(cols[0] + 4.0, w.y - 0.5, 8.0, &format!("— {why}"));
            w.y += 5.0;
        }
    }
    w.y += 1.0;
    para(&mut w, &d.rule, 8.5);

    // Complaints of the month.
    let period = crate::complaint::figures::Period { from, to };
    let f = crate::complaint::figures::figures(conn, period, Lang::Zh)?;
    w.heading("二、投诉、建议与表扬");
    w.line(&format!(
        "受理投诉 {} 件（成立 {} 件）、建议 {} 件、表扬 {} 件；结案 {} 件，其中有投诉人反馈 {} 件、满意 {} 件。",
        f.received.complaints,
        f.received.upheld,
        f.received.suggestions,
        f.received.praise,
        f.closed,
        f.satisfaction.with_feedback,
        f.satisfaction.satisfied
    ));
    let cols = [Writer::LEFT + 4.0, 120.0, 145.0, 170.0, Writer::RIGHT];
    for (title, rows) in [("按类别", &f.by_category), ("按科室", &f.by_department)] {
        w.row(
            &[
                title.into(),
                "投诉".into(),
                "成立".into(),
                "建议".into(),
                "表扬".into(),
            ],
            &cols,
        );
        if rows.is_empty() {
            w.row(&["（无）".into()], &cols);
        }
        for (name, c) in rows {
            w.row(
                &[
                    name.clone(),
                    c.complaints.to_string(),
                    c.upheld.to_string(),
                    c.suggestions.to_string(),
                    c.praise.to_string(),
                ],
                &cols,
            );
        }
    }

    // Follow-up reach.
    let r = crate::followup::rates::rates(conn, &from.to_string(), &to.to_string(), today)?;
    w.heading("三、回访");
    w.line(&format!(
        "门诊初诊病人回访率 {}（{} / {}）；出院病人回访率 {}（{} / {}）。",
        r.outpatient.overall.shown(),
        r.outpatient.overall.numerator,
        r.outpatient.overall.denominator,
        r.inpatient.overall.shown(),
        r.inpatient.overall.numerator,
        r.inpatient.overall.denominator
    ));
    let reach: Vec<String> = r
        .reach
        .iter()
        .map(|a| {
            format!(
                "第 {} 次拨打 {} 通、接通 {}（{}）",
                a.n,
                a.tried,
                a.reached,
                pct(a.permille)
            )
        })
        .collect();
    if !reach.is_empty() {
        para(
            &mut w,
            &format!("各次拨打的接通：{}。", reach.join("；")),
            9.5,
        );
    }
    let cols = [Writer::LEFT + 4.0, 130.0, Writer::RIGHT];
    w.row(
        &[
            "门诊初诊回访（按科室）".into(),
            "回访 / 初诊".into(),
            "回访率".into(),
        ],
        &cols,
    );
    for p in &r.outpatient.by_department {
        w.row(
            &[
                p.name.clone(),
                format!("{} / {}", p.rate.numerator, p.rate.denominator),
                p.rate.shown(),
            ],
            &cols,
        );
    }
    let checks = crate::followup::spotcheck::list(conn, 500)?;
    // Counted by the day a check was completed, as the inspection plan counts it.
    let month_checks: Vec<_> = checks
        .iter()
        .filter(|c| {
            c.done_at.is_some_and(|at| {
                let day = clock::business_date(tz, at);
                from <= day && day <= to
            })
        })
        .collect();
    let drawn: i64 = month_checks.iter().map(|c| c.drawn).sum();
    let wrong: i64 = month_checks.iter().map(|c| c.discrepancies).sum();
    w.line(&format!(
        "回访抽查：本月完成抽查 {} 次，抽取回访 {} 条，核实不符 {} 条。",
        month_checks.len(),
        drawn,
        wrong
    ));

    // The surveys, item by item.
    w.heading("四、满意度问卷");
    for q in crate::survey::questionnaires(conn, false)? {
        let res = crate::survey::results(conn, q.id, from, to)?;
        if res.responses == 0 {
            continue;
        }
        w.need(12.0);
        w.line(&format!(
            "{}（{}）：{} 份",
            res.name, q.form_no, res.responses
        ));
        for item in res.items.iter().filter(|i| i.scale != "text") {
            let answers: Vec<String> = item
                .counts
                .iter()
                .map(|a| format!("{} {}（{}）", a.label, a.count, pct(a.share)))
                .collect();
            w.need(6.0);
            w.doc.text(Writer::LEFT + 4.0, w.y, 9.0, &item.text);
            w.doc.text(100.0, w.y, 9.0, &answers.join("  "));
            w.y += 5.2;
        }
    }
    let markets = crate::survey::market_surveys(conn, from, to)?;
    w.line(&format!("市场调查：本月 {} 次。", markets.len()));
    for m in &markets {
        para(
            &mut w,
            &format!(
                "· {} {}（{}，样本 {}）：{}",
                m.held_on, m.topic, m.method, m.sample_size, m.findings
            ),
            9.0,
        );
    }

    // The inspection plan's checks of the month.
    w.heading("五、工作检查");
    let cols = [
        Writer::LEFT + 4.0,
        120.0,
        140.0,
        160.0,
        178.0,
        Writer::RIGHT,
    ];
    w.row(
        &[
            "检查项目".into(),
            "频率".into(),
            "应查".into(),
            "已查".into(),
            "漏检".into(),
            "有问题".into(),
        ],
        &cols,
    );
    for t in super::inspection::month_tally(conn, from, to, today)? {
        let freq = match t.item.frequency.as_str() {
            "daily" => "每日",
            "weekly" => "每周",
            _ => "每月",
        };
        w.row(
            &[
                format!("{} · {}", t.item.subject, t.item.item),
                freq.into(),
                t.due.to_string(),
                t.done.to_string(),
                t.missed.to_string(),
                t.problems.to_string(),
            ],
            &cols,
        );
    }

    // The trend charts: two a row.
    w.doc.new_page();
    w.y = 18.0;
    w.heading("六、各目标近 12 个月趋势");
    let (cw, ch) = (87.0, 48.0);
    for (i, t) in d.tiles.iter().enumerate() {
        let x = Writer::LEFT + (i % 2) as f32 * (cw + 6.0);
        if i % 2 == 0 && i > 0 {
            w.y += ch + 2.0;
        }
        chart(&mut w.doc, x, w.y, cw, ch, t);
    }
    w.y += ch + 4.0;
    w.need(10.0);
    w.doc.text(
        Writer::LEFT,
        w.y,
        8.0,
        "图例：实线为各月数值（红点为未达标），虚线为该月目标。",
    );
    w.y += 6.0;

    w.heading("七、计算口径");
    for t in &d.tiles {
        para(&mut w, &format!("{}：{}", t.spec.name, t.definition), 8.5);
        w.y += 1.0;
    }
    w.doc.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_is_typed_as_year_and_month() {
        assert_eq!(month_start("2026-11").unwrap().to_string(), "2026-11-01");
        for bad in ["2026-13", "2026-1", "十一月", "", "2026-11-01"] {
            assert!(month_start(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn long_words_wrap_to_the_width() {
        let text = "分子：本期就诊病人中，其初诊回访已接通的人数（回访接通于期后也计入就诊当期）";
        let lines = wrap(text, 50.0, 9.0);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| text_width_mm(l, 9.0) <= 50.0));
        assert_eq!(lines.concat(), text, "nothing lost or added");
    }
}
