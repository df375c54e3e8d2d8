//! 质量看板 through `Desk`, on a real store (a file, or a database of its own on the test
//! server): the ten tiles count what their definitions say, against the target in force when
//! the period began; an ended period's counts are kept and still follow a late change (a call
//! reached after the month, a paper form or a discharge entered for it later); the demo fills
//! every tile.

#[macro_use]
mod common;

use std::collections::BTreeMap;

use common::*;
use frontdesk_core::followup::call::AnswerInput;
use frontdesk_core::followup::{AttemptInput, DischargeInput, FState};
use frontdesk_core::ids::{DepartmentId, FollowupId, PatientId};
use frontdesk_core::quality::dashboard::{Dashboard, Status, Tile};
use frontdesk_core::quality::figures::{count, last_periods, Span};
use frontdesk_core::quality::records::Of;
use frontdesk_core::quality::targets::TargetInput;
use frontdesk_core::registration::{Choice, PaymentInput, RegisterInput};
use frontdesk_core::survey::{MarketInput, ResponseInput};
use frontdesk_core::Desk;

fn tile<'a>(d: &'a Dashboard, code: &str) -> &'a Tile {
    d.tiles.iter().find(|t| t.spec.code == code).unwrap()
}

/// (numerator, denominator) of a tile's period shown.
fn frac(d: &Dashboard, code: &str) -> (Option<i64>, Option<i64>) {
    let t = tile(d, code);
    (t.now.numerator, t.now.denominator)
}

/// Every period of the dashboard counted again straight from the records equals what it shows.
fn assert_fresh(desk: &mut Desk, span: Span, day: &str) {
    let d = desk.quality_dashboard(span_name(span), day).unwrap();
    let day = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
    for (i, p) in last_periods(span, day, 12).iter().enumerate() {
        let t = count(desk.connection(), p).unwrap();
        let fresh = [
            (t.first_reached, t.first_patients),
            (t.discharges_reached, t.discharges),
            (t.registration_dissatisfied, t.registration_answered),
            (t.market_surveys, 0),
        ];
        let shown = |code: &str| {
            let pt = &tile(&d, code).trend[i];
            (
                pt.numerator.unwrap_or(pt.value.unwrap_or(0)),
                pt.denominator.unwrap_or(0),
            )
        };
        let seen = [
            shown("first_visit_followup"),
            shown("discharge_followup"),
            shown("registration_dissatisfaction"),
            shown("market_surveys"),
        ];
        assert_eq!(seen, fresh, "period {} as kept = as counted now", p.label);
    }
}

fn span_name(span: Span) -> &'static str {
    match span {
        Span::Week => "week",
        Span::Month => "month",
        Span::Quarter => "quarter",
        Span::Year => "year",
    }
}

fn records(desk: &mut Desk, code: &str, from: &str, to: &str, part: &str) -> Vec<String> {
    desk.quality_records(&Of {
        code: code.into(),
        from: from.into(),
        to: to.into(),
        part: part.into(),
    })
    .unwrap()
    .lines
    .into_iter()
    .map(|l| format!("{} {} {}", l.date, l.source, l.who))
    .collect()
}

#[test]
fn the_tiles_count_their_definitions_and_follow_a_late_change() {
    let dir = temp();
    let clock = test_clock!();
    let mut clerk = signed_in(&dir, &clock, "clerk");
    clerk.set_idle_seconds_override(Some(365 * 86_400));
    clerk.shift_open(&float()).unwrap();
    // Monday 2026-03-02: 张三's first visit and 李四's; 张三 comes back the same day.
    let zhang = patient(&mut clerk, "张三", "13800138000");
    let li = patient(&mut clerk, "李四", "13900139000");
    register(&mut clerk, zhang);
    register(&mut clerk, li);
    register(&mut clerk, zhang);
    let wang = patient(&mut clerk, "王五", "13700137000");

    // Five weeks on, Monday 04-06: March has ended.
    clock.advance(35 * DAY);
    let mut head = signed_in(&dir, &clock, "head");
    let mut service = signed_in(&dir, &clock, "service");
    let mut guide = signed_in(&dir, &clock, "guide");
    for d in [&mut head, &mut service, &mut guide] {
        d.set_idle_seconds_override(Some(365 * 86_400));
    }
    let march = head.quality_dashboard("month", "2026-03-15").unwrap();
    assert_eq!(march.period.label, "2026-03");
    assert_eq!(march.periods.len(), 12);
    assert_eq!(march.periods[0].label, "2025-04");
    assert_eq!(march.tiles.len(), 10);
    assert_eq!(frac(&march, "first_visit_followup"), (Some(0), Some(2)));
    assert_eq!(
        frac(&march, "outpatient_followup"),
        (Some(0), Some(2)),
        "张三 once though he came twice"
    );
    let t = tile(&march, "first_visit_followup");
    assert_eq!(
        (t.now.value, t.now.target, t.now.met),
        (Some(0), Some(600), Some(false))
    );
    assert_eq!(t.status, Status::Missed);
    assert!(t.warning.is_some());
    assert!(t.definition.contains("分母"), "{}", t.definition);
    assert!(march.rule.contains("连续三期"), "{}", march.rule);
    // Nothing to count: no figure and no verdict.
    let none = tile(&march, "complaint_satisfaction");
    assert_eq!(
        (none.now.value, none.now.met, none.status),
        (None, None, Status::NoData)
    );
    let kept: i64 = head
        .connection()
        .value("SELECT count(*) FROM quality_tally", &[])
        .unwrap();
    assert!(kept > 0, "the ended months' counts are kept");
    assert_fresh(&mut head, Span::Month, "2026-03-15");

    // April: 张三's call is reached (registration 不满意), late for March; 王五's discharge of
    // 03-25 is entered now and reached; a paper form of 03-20 and the market survey of 03-10
    // are entered now.
    service
        .discharge_add(&DischargeInput {
            patient_id: Some(wang),
            discharged_on: "2026-03-25".into(),
            admitted_on: "2026-03-18".into(),
            doctor: "李明华".into(),
            diagnosis: "高血压".into(),
            ..Default::default()
        })
        .unwrap();
    assert_fresh(&mut head, Span::Month, "2026-03-15");
    let open = service.followup_list("open", 100).unwrap();
    let call = |name: &str, kind: &str| -> FollowupId {
        open.iter()
            .find(|f| f.patient == name && f.kind == kind)
            .unwrap()
            .id
    };
    let reach = |d: &mut Desk, id: FollowupId, registration: &str| {
        d.followup_attempt(&AttemptInput {
            followup_id: id,
            outcome: "reached".into(),
            note: String::new(),
            answer: Some(AnswerInput {
                registration: registration.into(),
                guide: "satisfied".into(),
                overall: "satisfied".into(),
                ..Default::default()
            }),
        })
        .unwrap()
    };
    assert_eq!(
        reach(&mut service, call("张三", "first_visit"), "dissatisfied"),
        FState::Reached
    );
    assert_eq!(
        reach(&mut service, call("王五", "discharge"), ""),
        FState::Reached
    );
    let forms = guide.survey_questionnaires().unwrap();
    let outpatient = &forms[0];
    guide
        .survey_record(&ResponseInput {
            version_id: Some(outpatient.version_id),
            taken_on: "2026-03-20".into(),
            answers: [
                ("registration", "dissatisfied"),
                ("guide", "neutral"),
                ("overall", "satisfied"),
            ]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<BTreeMap<_, _>>(),
            ..Default::default()
        })
        .unwrap();
    head.market_survey_record(&MarketInput {
        held_on: "2026-03-10".into(),
        topic: "周边社区就医意向".into(),
        method: "街头问卷".into(),
        sample_size: "120".into(),
        findings: "夜间门诊需求明显".into(),
    })
    .unwrap();

    let march = head.quality_dashboard("month", "2026-03-15").unwrap();
    assert_eq!(
        frac(&march, "first_visit_followup"),
        (Some(1), Some(2)),
        "reached late, counted for the visit's month"
    );
    assert_eq!(frac(&march, "discharge_followup"), (Some(1), Some(1)));
    assert_eq!(frac(&march, "inpatient_followup"), (Some(1), Some(1)));
    assert_eq!(
        frac(&march, "registration_dissatisfaction"),
        (Some(1), Some(1)),
        "the form of 03-20 counts for March; the call's own answer for April"
    );
    assert_eq!(frac(&march, "guide_dissatisfaction"), (Some(0), Some(1)));
    assert_eq!(frac(&march, "patient_satisfaction"), (Some(1), Some(1)));
    let market = tile(&march, "market_surveys");
    assert_eq!(
        (market.now.value, market.now.target, market.now.met),
        (Some(1), Some(1), Some(true))
    );
    assert_fresh(&mut head, Span::Month, "2026-03-15");
    assert_fresh(&mut head, Span::Quarter, "2026-03-15");
    assert_fresh(&mut head, Span::Week, "2026-03-04");

    // April so far: the two calls' answers, by the calls' date.
    let april = head.quality_dashboard("month", "").unwrap();
    assert_eq!(april.period.label, "2026-04");
    assert_eq!(
        frac(&april, "registration_dissatisfaction"),
        (Some(1), Some(1))
    );
    assert_eq!(
        tile(&april, "registration_dissatisfaction").status,
        Status::Missed
    );
    assert_eq!(frac(&april, "guide_dissatisfaction"), (Some(0), Some(2)));
    assert_eq!(
        tile(&april, "market_surveys").status,
        Status::Pending,
        "a running month is not missed before it ends, nor warned before its middle"
    );
    // The status bar of supervisors and the head names this month's misses; a clerk's has none.
    let flags = head.status().quality.unwrap();
    assert!(
        flags.missed.contains(&"挂号不满意率".to_string()),
        "{flags:?}"
    );
    assert!(
        !flags.missed.contains(&"导医不满意率".to_string()),
        "{flags:?}"
    );
    assert!(clerk.status().quality.is_none());
    // A week is not judged on a monthly count.
    let week = head.quality_dashboard("week", "2026-03-10").unwrap();
    assert_eq!(week.period.label, "2026-W11");
    let w = tile(&week, "market_surveys");
    assert_eq!(
        (w.now.value, w.now.target, w.now.met),
        (Some(1), None, None)
    );

    // The records behind the figures.
    assert_eq!(
        records(
            &mut head,
            "first_visit_followup",
            "2026-03-01",
            "2026-03-31",
            "denominator"
        ),
        ["2026-03-02 初诊 张三", "2026-03-02 初诊 李四"]
    );
    assert_eq!(
        records(
            &mut head,
            "first_visit_followup",
            "2026-03-01",
            "2026-03-31",
            "numerator"
        ),
        ["2026-03-02 初诊 张三"]
    );
    assert_eq!(
        records(
            &mut head,
            "outpatient_followup",
            "2026-03-01",
            "2026-03-31",
            "denominator"
        ),
        ["2026-03-02 挂号 张三", "2026-03-02 挂号 李四"]
    );
    assert_eq!(
        records(
            &mut head,
            "registration_dissatisfaction",
            "2026-03-01",
            "2026-03-31",
            "numerator"
        ),
        ["2026-03-20 问卷 征询意见表（门诊）"]
    );
    assert_eq!(
        records(
            &mut head,
            "registration_dissatisfaction",
            "2026-04-01",
            "2026-04-30",
            "denominator"
        ),
        ["2026-04-06 回访 张三"]
    );
    assert_eq!(
        records(
            &mut head,
            "market_surveys",
            "2026-03-01",
            "2026-03-31",
            "numerator"
        ),
        ["2026-03-10 市场调查 周边社区就医意向"]
    );

    // A target changed today applies from the first period that begins on or after it: April
    // keeps 60 %, May is measured against 65 %.
    head.quality_target_set(&TargetInput {
        code: "first_visit_followup".into(),
        value: "65".into(),
        from_date: "2026-04-06".into(),
    })
    .unwrap();
    let may = head.quality_dashboard("month", "2026-05-10").unwrap();
    let trend = &tile(&may, "first_visit_followup").trend;
    assert_eq!(
        (
            trend[10].label.as_str(),
            trend[10].target,
            trend[11].label.as_str(),
            trend[11].target
        ),
        ("2026-04", Some(600), "2026-05", Some(650))
    );

    // Bad input is refused with the field it concerns.
    assert_eq!(
        invalid_field(head.quality_dashboard("fortnight", "")).0,
        "span"
    );
    assert_eq!(
        invalid_field(head.quality_dashboard("month", "2026-02-30")).0,
        "day"
    );
    let bad = Of {
        code: "happiness".into(),
        from: "2026-03-01".into(),
        to: "2026-03-31".into(),
        part: "numerator".into(),
    };
    assert_eq!(invalid_field(head.quality_records(&bad)).0, "target_code");
    // The registration desk has no quality screen.
    assert!(clerk.quality_dashboard("month", "").is_err());
    assert_verified(head.connection());
}

/// `demo --days N` fills every tile of the last whole month, each agreeing with the screen it
/// comes from (follow-up rates, complaint figures, market surveys, operating actuals), and each
/// figure's records number what it counts.
#[test]
fn the_demo_fills_every_tile() {
    let dir = temp();
    // Enough days for the whole of the month before the demo's last day.
    let until = chrono::NaiveDate::parse_from_str(DEMO_UNTIL, "%Y-%m-%d").unwrap();
    demo(&dir, &(until.day() + 31).to_string());
    let clock = test_clock!();
    clock.set(DEMO_END);
    let mut head = desk(&dir, &clock);
    login(&mut head, "head");
    let today = frontdesk_core::reference::today(head.connection(), clock.get()).unwrap();
    let last_month = (today.with_day0(0).unwrap() - chrono::Duration::days(1)).to_string();
    let d = head.quality_dashboard("month", &last_month).unwrap();
    let (from, to) = (d.period.from.to_string(), d.period.to.to_string());
    for t in &d.tiles {
        assert!(
            t.now.value.is_some(),
            "{} has no figure in {}",
            t.spec.code,
            d.period.label
        );
    }
    let rates = head.followup_rates(&from, &to).unwrap();
    let o = rates.outpatient.overall;
    assert_eq!(
        frac(&d, "first_visit_followup"),
        (Some(o.numerator), Some(o.denominator))
    );
    let i = rates.inpatient.overall;
    assert_eq!(
        frac(&d, "discharge_followup"),
        (Some(i.numerator), Some(i.denominator))
    );
    let c = head.complaint_figures(&from, &to).unwrap().satisfaction;
    assert_eq!(
        frac(&d, "complaint_satisfaction"),
        (Some(c.satisfied), Some(c.with_feedback))
    );
    let market = head.market_survey_list(&from, &to).unwrap();
    assert_eq!(
        tile(&d, "market_surveys").now.value,
        Some(market.len() as i64)
    );
    let actuals = head.operating_actuals(&d.period.label).unwrap();
    let completions: Vec<i64> = actuals.iter().filter_map(|a| a.completion).collect();
    assert_eq!(completions.len(), 3, "the demo's head sets every indicator");
    let mean = (completions.iter().sum::<i64>() * 2 + 3) / 6;
    assert_eq!(tile(&d, "operating_completion").now.value, Some(mean));
    // Each figure's records number it (the outpatient denominator and the answers included).
    for t in &d.tiles {
        let (Some(n), Some(den)) = (t.now.numerator, t.now.denominator) else {
            continue;
        };
        for (part, want) in [("numerator", n), ("denominator", den)] {
            let got = head
                .quality_records(&Of {
                    code: t.spec.code.into(),
                    from: from.clone(),
                    to: to.clone(),
                    part: part.into(),
                })
                .unwrap()
                .total as i64;
            assert_eq!(got, want, "{} {part}", t.spec.code);
        }
    }
    assert!(
        tile(&d, "registration_dissatisfaction")
            .now
            .denominator
            .unwrap()
            > tile(&d, "first_visit_followup").now.numerator.unwrap(),
        "calls and forms both count"
    );

    // The demo's new patients come with NEW80 now and then; its complaints name staff.
    let (promos, staff) = head.quality_promotions(&from, &to).unwrap();
    assert!(
        promos
            .iter()
            .any(|p| p.code == "NEW80" && p.new_patients > 0 && p.uses >= p.new_patients),
        "{promos:?}"
    );
    assert!(
        staff.iter().any(|s| s.praise > 0 || s.upheld > 0),
        "{staff:?}"
    );

    // The monthly report of that month: the same figures, read back from the PDF; its charts
    // are vector paths, not pictures; A4.
    let pdf = dir.path().join("month.pdf");
    let admin = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_frontdesk-admin"))
            .args(["--db", &db_arg(&dir), "report", "monthly"])
            .args(args)
            .env("FRONTDESK_LANG", "zh")
            .env("FRONTDESK_TEST_ONLY_ALLOW_UNDURABLE_SERVER", "1")
            .env_remove("FRONTDESK_DB")
            .output()
            .unwrap()
    };
    let o = admin(&["--month", &d.period.label, "--out", pdf.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = pdftotext(&pdf);
    // pdftotext spaces the columns as it measures them: compare without the spaces.
    let squeezed: String = text.split_whitespace().collect();
    assert!(text.contains("经营部质量月报"), "{text}");
    assert!(text.contains(&format!("（{from} 至 {to}）")), "{text}");
    for t in &d.tiles {
        assert!(text.contains(t.spec.name), "{} missing", t.spec.name);
        if let (Some(n), Some(den)) = (t.now.numerator, t.now.denominator) {
            assert!(
                squeezed.contains(&format!("{n}/{den}")),
                "{} {n} / {den} missing",
                t.spec.code
            );
        }
    }
    for heading in [
        "一、部门质量目标",
        "二、投诉、建议与表扬",
        "三、回访",
        "四、满意度问卷",
        "五、工作检查",
        "六、各目标近 12 个月趋势",
        "七、计算口径",
    ] {
        assert!(text.contains(heading), "{heading} missing");
    }
    let received = head.complaint_figures(&from, &to).unwrap().received;
    assert!(text.contains(&format!("受理投诉 {} 件", received.complaints)));
    assert!(text.contains("导医 · 服务方面"), "the checks of the month");
    let images = std::process::Command::new("pdfimages")
        .arg("-list")
        .arg(&pdf)
        .output()
        .unwrap();
    let listed = String::from_utf8_lossy(&images.stdout);
    assert_eq!(
        listed.lines().count(),
        2,
        "no pictures in the report, only the list's header: {listed}"
    );
    let info = std::process::Command::new("pdfinfo")
        .arg(&pdf)
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&info.stdout).contains("(A4)"),
        "{}",
        String::from_utf8_lossy(&info.stdout)
    );
    // A month that is not one, or has not begun, is refused and writes nothing.
    let bad = dir.path().join("bad.pdf");
    for month in ["2026-13", "十一月", "2999-01"] {
        let o = admin(&["--month", month, "--out", bad.to_str().unwrap()]);
        assert!(!o.status.success(), "{month}");
        assert!(!String::from_utf8_lossy(&o.stderr).is_empty());
        assert!(!bad.exists());
    }
}

use chrono::Datelike;

/// 优惠效果: a promotion's uses (registrations that held their place), the fees it gave up and
/// the new patients it brought (whose first registration it was), by month.
#[test]
fn a_promotion_counts_its_uses_what_it_gave_up_and_the_new_patients_it_brought() {
    use frontdesk_core::registration::CancelInput;
    let dir = temp();
    let clock = test_clock!();
    let mut clerk = signed_in(&dir, &clock, "clerk");
    clerk.set_idle_seconds_override(Some(365 * 86_400));
    clerk.shift_open(&float()).unwrap();
    let department = DepartmentId(reference_id(&mut clerk, "department", "神经内科"));
    let expert = type_id(&mut clerk, "专家号");
    let register_with = |d: &mut Desk, patient_id: PatientId, code: Option<&str>| {
        d.register(&RegisterInput {
            choice: Choice {
                patient_id,
                department_id: Some(department),
                registration_type_id: Some(expert),
                promotion_code: code.map(str::to_string),
                ..Default::default()
            },
            payments: vec![PaymentInput {
                method: "wechat".into(),
                amount: String::new(),
                tendered: String::new(),
            }],
            ..Default::default()
        })
        .unwrap()
    };
    // 张三 is new and comes with NEW80 (¥25 → ¥20), and again the same day with it; 李四 has
    // been before and uses it now; 王五 is new with it but cancels (退号).
    let zhang = patient(&mut clerk, "张三", "13800138000");
    let li = patient(&mut clerk, "李四", "13900139000");
    let wang = patient(&mut clerk, "王五", "13700137000");
    register_with(&mut clerk, li, None);
    register_with(&mut clerk, zhang, Some("NEW80"));
    register_with(&mut clerk, zhang, Some("NEW80"));
    register_with(&mut clerk, li, Some("NEW80"));
    let cancelled = register_with(&mut clerk, wang, Some("NEW80"));
    clerk
        .registration_cancel(&CancelInput {
            registration_id: cancelled.registration_id,
            reason: "病人临时有事".into(),
            ..Default::default()
        })
        .unwrap();
    let mut head = signed_in(&dir, &clock, "head");
    let (promos, _) = head.quality_promotions("2026-03-01", "2026-03-31").unwrap();
    let rows: Vec<(&str, &str, i64, i64, i64)> = promos
        .iter()
        .map(|p| {
            (
                p.month.as_str(),
                p.code.as_str(),
                p.uses,
                p.given_up_fen,
                p.new_patients,
            )
        })
        .collect();
    assert_eq!(
        rows,
        [("2026-03", "NEW80", 3, 1500, 1)],
        "张三 twice, 李四 once; 王五 cancelled"
    );
    assert!(head
        .quality_promotions("2026-04-01", "2026-04-30")
        .unwrap()
        .0
        .is_empty());
    assert_eq!(
        invalid_field(head.quality_promotions("2026-03-31", "2026-03-01")).0,
        "to"
    );
    assert!(clerk
        .quality_promotions("2026-03-01", "2026-03-31")
        .is_err());
}

/// One truth for every target: the head sets the first-visit follow-up target to 99 % from the
/// first of March, and the 回访率 screen, the 回访登记本 (xlsx), the dashboard and 质量月报 all
/// judge March against 99 % with the same figure — and before March's calls are all due, the
/// screen and the dashboard both wait.
#[test]
fn every_screen_register_and_report_judges_by_the_target_in_force() {
    let dir = temp();
    let clock = test_clock!();
    // Friday 02-27: the head sets March's target ahead.
    clock.set(START - 3 * DAY);
    let mut head = signed_in(&dir, &clock, "head");
    head.quality_target_set(&TargetInput {
        code: "first_visit_followup".into(),
        value: "99".into(),
        from_date: "2026-03-01".into(),
    })
    .unwrap();
    // Monday 03-02: 张三 and 李四 come for the first time; 张三's call is reached on the 5th.
    clock.set(START);
    let mut clerk = signed_in(&dir, &clock, "clerk");
    clerk.shift_open(&float()).unwrap();
    let zhang = patient(&mut clerk, "张三", "13800138000");
    let li = patient(&mut clerk, "李四", "13900139000");
    register(&mut clerk, zhang);
    register(&mut clerk, li);
    clock.advance(3 * DAY);
    let mut service = signed_in(&dir, &clock, "service");
    let open = service.followup_list("open", 100).unwrap();
    let call = open.iter().find(|f| f.patient == "张三").unwrap().id;
    service
        .followup_attempt(&AttemptInput {
            followup_id: call,
            outcome: "reached".into(),
            note: String::new(),
            answer: Some(AnswerInput {
                overall: "satisfied".into(),
                ..Default::default()
            }),
        })
        .unwrap();

    // The week still running: both wait.
    let rates = service.followup_rates("2026-03-02", "2026-03-08").unwrap();
    let week = head.quality_dashboard("week", "2026-03-02").unwrap();
    let tile_now = tile(&week, "first_visit_followup").now.clone();
    let o = rates.outpatient.overall;
    assert_eq!((o.permille, o.met, o.pending), (Some(500), None, true));
    assert_eq!(
        (tile_now.value, tile_now.met),
        (o.permille, o.met),
        "the dashboard and the rates screen agree"
    );
    assert_eq!(tile(&week, "first_visit_followup").status, Status::Pending);

    // April 10th: March is over and every call of it due.
    clock.set(START + 39 * DAY);
    let rates = service.followup_rates("2026-03-01", "2026-03-31").unwrap();
    let o = rates.outpatient.overall;
    assert_eq!(
        (
            o.numerator,
            o.denominator,
            o.target,
            o.shown().as_str(),
            o.met
        ),
        (1, 2, 990, "50.0%", Some(false))
    );
    let march = head.quality_dashboard("month", "2026-03-15").unwrap();
    let t = tile(&march, "first_visit_followup");
    assert_eq!(
        (t.now.value, t.now.target, t.now.met, t.status),
        (o.permille, Some(o.target), o.met, Status::Missed)
    );
    assert_eq!(
        t.now.target_shown.as_deref(),
        Some(o.target_shown().as_str()),
        "the dashboard prints the target as the rates screen does"
    );
    assert_eq!(o.target_shown(), "≥ 99%");

    let book = service
        .followup_register_file("2026-03-01", "2026-03-31", "xlsx", false, "")
        .unwrap();
    let sheet_rows = sheet(&book, "回访率");
    let row = sheet_rows
        .iter()
        .find(|r| r[0] == "门诊回访率（初诊患者）")
        .unwrap_or_else(|| panic!("{sheet_rows:?}"));
    assert_eq!(
        (row[1].as_str(), row[4].as_str(), row[5].as_str()),
        ("50.0%", "≥ 99%", "未达标"),
        "{sheet_rows:?}"
    );

    let report = head.quality_report_file("2026-03").unwrap();
    let text = pdftotext(&report);
    let line = text
        .lines()
        .find(|l| l.contains("初诊病人回访率") && l.contains('%'))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        line.contains("50.0%") && line.contains("≥ 99%") && line.contains("未达标"),
        "the report prints the rate, the target and the verdict as the register does: {line}"
    );
}
