//! Who may do what, held in Rust whatever the page sends: every command was probed as every
//! role with well-formed arguments (a page with devtools can send anything), and what slipped
//! through is pinned here — fields a role may not set, personal data in the administrator's
//! log, targets set by the administrator, a step in the wrong state, a locked desk's counts.

#[macro_use]
mod common;

use common::*;
use frontdesk_core::quality::targets::{OperatingInput, TargetInput};
use serde_json::json;

/// The head keeps the hospital's profile but not its backups: a backup folder or a number of
/// backups sent with the profile is refused, naming the field, and nothing is written; the
/// administrator sets both. The head's own save keeps the administrator's settings.
#[test]
fn the_head_cannot_move_the_backups() {
    let dir = temp();
    let clock = test_clock!();
    let mut admin = signed_in(&dir, &clock, "admin");
    let folder = dir.path().join("backups");
    admin.backup_settings(folder.to_str().unwrap(), 30).unwrap();
    let mut head = signed_in(&dir, &clock, "head");
    // The profile as the hospital form holds it (the backups are not on it).
    let mut profile = head.reference_list("hospital", &json!(null)).unwrap();
    let fields = profile.as_object_mut().unwrap();
    fields.remove("backup_dir");
    fields.remove("backup_keep");
    let elsewhere = dir.path().join("the-heads-folder");
    let before = dump(head.connection(), "hospital");
    let audit = audit_count(head.connection());
    for (field, extra) in [
        (
            "backup_dir",
            json!({ "backup_dir": elsewhere.to_str().unwrap() }),
        ),
        ("backup_keep", json!({ "backup_keep": 2 })),
        ("backup_dir", json!({ "backup_dir": null })),
    ] {
        let mut input = profile.clone();
        for (k, v) in extra.as_object().unwrap() {
            input[k] = v.clone();
        }
        let (got, e) = invalid_field(head.reference_save("hospital", &input));
        assert_eq!(got, field);
        assert_desk_sentence(&e);
        assert!(e
            .message(frontdesk_core::Lang::Zh)
            .contains("不由您的角色设置"));
    }
    assert_eq!(dump(head.connection(), "hospital"), before);
    assert_eq!(audit_count(head.connection()), audit);
    assert!(!elsewhere.exists());

    // The profile as the head's form sends it: saved, the backups as the administrator left them.
    let mut input = profile.clone();
    input["name"] = json!("示范市第一人民医院（新院区）");
    let saved = head.reference_save("hospital", &input).unwrap();
    assert_eq!(saved["name"], "示范市第一人民医院（新院区）");
    assert_eq!(saved["backup_dir"], folder.to_str().unwrap());
    assert_eq!(saved["backup_keep"], 30);

    // The administrator may send them with the profile.
    let mut input = saved.clone();
    input["backup_keep"] = json!(21);
    let saved = admin.reference_save("hospital", &input).unwrap();
    assert_eq!(saved["backup_keep"], 21);
    assert_verified(admin.connection());
}

/// The administrator's area holds no patient data: the log's copies of patients and
/// complainants are masked unless a reason is given, and that reading is itself in the log.
#[test]
fn the_administrator_reads_patients_in_the_log_masked_unless_a_reason_is_given() {
    let dir = temp();
    let clock = test_clock!();
    let mut clerk = signed_in(&dir, &clock, "clerk");
    patient(&mut clerk, "张小三", "13800138000");
    let mut admin = signed_in(&dir, &clock, "admin");
    let entries = admin.audit_list(Some("patient"), 10).unwrap();
    let copy = entries
        .iter()
        .find_map(|e| e.after.clone())
        .expect("the patient's entry");
    assert!(
        copy.contains("张*三") && copy.contains("138****8000"),
        "{copy}"
    );
    assert!(
        !copy.contains("张小三") && !copy.contains("13800138000"),
        "{copy}"
    );
    let all = admin.audit_list(None, 1000).unwrap();
    assert!(all
        .iter()
        .flat_map(|e| [&e.before, &e.after])
        .flatten()
        .all(|c| !c.contains("13800138000")));

    // In full, for a reason, kept in the log; no reason, nothing shown and nothing written.
    let audit = audit_count(admin.connection());
    for reason in ["", " ", "x"] {
        assert_eq!(
            invalid_field(admin.audit_list_unmasked(Some("patient"), 10, reason)).0,
            "export_reason"
        );
    }
    assert_eq!(audit_count(admin.connection()), audit);
    let full = admin
        .audit_list_unmasked(Some("patient"), 10, "患者投诉信息核对")
        .unwrap();
    assert!(full
        .iter()
        .filter_map(|e| e.after.as_deref())
        .any(|c| c.contains("张小三") && c.contains("13800138000")));
    assert_eq!(last_action(admin.connection()), "audit.unmasked");
    assert_eq!(audit_count(admin.connection()), audit + 1);
    // Verification still reads everything.
    assert_verified(admin.connection());
    // Nobody else reads the log at all.
    let mut head = signed_in(&dir, &clock, "head");
    assert_eq!(
        code(head.audit_list_unmasked(None, 10, "看看")),
        "forbidden"
    );
}

/// Targets are the department head's: the administrator keeps the reference data, not the
/// department's goals.
#[test]
fn only_the_head_sets_targets() {
    let dir = temp();
    let clock = test_clock!();
    let target = TargetInput {
        code: "first_visit_followup".into(),
        value: "65".into(),
        from_date: "2026-04-01".into(),
    };
    let operating = OperatingInput {
        month: "2026-03".into(),
        indicator: "registrations".into(),
        value: "2000".into(),
    };
    for who in ["admin", "supervisor", "clerk", "service", "guide"] {
        let mut d = signed_in(&dir, &clock, who);
        let audit = audit_count(d.connection());
        assert_eq!(code(d.quality_target_set(&target)), "forbidden", "{who}");
        assert_eq!(
            code(d.operating_target_set(&operating)),
            "forbidden",
            "{who}"
        );
        assert_eq!(audit_count(d.connection()), audit);
        assert!(!d.status().can.targets, "{who}");
    }
    let mut head = signed_in(&dir, &clock, "head");
    assert!(head.status().can.targets);
    head.quality_target_set(&target).unwrap();
    head.operating_target_set(&operating).unwrap();
}

/// 继续使用 a shift that was opened today is refused as a step the desk shows, not a panic
/// inside the command (it used to trip the write's audit check and never answer).
#[test]
fn continuing_a_shift_opened_today_is_refused_not_a_panic() {
    let dir = temp();
    let clock = test_clock!();
    let mut clerk = signed_in(&dir, &clock, "clerk");
    assert_eq!(
        code(clerk.shift_continue("supervisor", password("supervisor"))),
        "no_open_shift"
    );
    clerk.shift_open(&float()).unwrap();
    let before = dump(clerk.connection(), "shift");
    let e = clerk
        .shift_continue("supervisor", password("supervisor"))
        .unwrap_err();
    assert_eq!(e.code(), "shift_not_stale");
    assert_desk_sentence(&e);
    assert_eq!(dump(clerk.connection(), "shift"), before);
    // The desk goes on working.
    let p = patient(&mut clerk, "李四", "13900139000");
    register(&mut clerk, p);
}

/// A locked desk shows nothing of the work: no complaint or follow-up counts, no quality flags,
/// no waiting-room alerts — neither when locked by hand nor when idle past its lock.
#[test]
fn a_locked_desk_shows_no_counts() {
    let dir = temp();
    let clock = test_clock!();
    let mut guide = signed_in(&dir, &clock, "guide");
    let category = guide.complaint_choices().unwrap().categories[0].id;
    guide
        .complaint_record(&frontdesk_core::complaint::IntakeInput {
            kind: "complaint".into(),
            channel: "desk".into(),
            complainant: "王五".into(),
            contact: "13700137000".into(),
            description: "候诊时间太长".into(),
            category_id: Some(category),
            severity: "normal".into(),
            ..Default::default()
        })
        .unwrap();
    let mut supervisor = desk(&dir, &clock);
    login(&mut supervisor, "supervisor");
    let open = supervisor.status();
    assert!(open.complaints.is_some() && open.followups.is_some() && open.quality.is_some());
    let locked = supervisor.lock();
    assert!(locked.locked);
    assert!(locked.complaints.is_none() && locked.followups.is_none() && locked.quality.is_none());
    assert!(locked.waiting_alerts.is_empty() && !locked.stale_shift);
    supervisor.unlock(password("supervisor")).unwrap();
    assert!(supervisor.status().complaints.is_some());
    // Idle past the lock: the status says locked and shows nothing, before any step locks it.
    clock.advance(supervisor.status().idle_seconds * 1000 + MINUTE);
    let idle = supervisor.status();
    assert!(idle.locked);
    assert!(idle.complaints.is_none() && idle.followups.is_none() && idle.quality.is_none());
}

/// The business date is the hospital's, from one function, with no zone guessed: a profile
/// whose zone names none (changed behind the app's back) is refused, not read as Shanghai's.
#[test]
fn a_hospital_zone_that_names_none_is_refused_not_guessed() {
    let dir = temp();
    let clock = test_clock!();
    // 23:30 UTC on Sunday 03-01 is 07:30 on Monday 03-02 in Shanghai: the business date is
    // the hospital's, not UTC's.
    clock.set(START - 90 * MINUTE);
    let mut clerk = signed_in(&dir, &clock, "clerk");
    let today = frontdesk_core::reference::today(clerk.connection(), clock.get()).unwrap();
    assert_eq!(today.to_string(), "2026-03-02");
    assert_eq!(clerk.status().business_date, "2026-03-02");

    let mut admin = signed_in(&dir, &clock, "admin");
    let folder = dir.path().join("backups");
    admin.backup_settings(folder.to_str().unwrap(), 30).unwrap();
    let tool = sql_tool(&db_path(&dir));
    tool.run("UPDATE hospital SET time_zone = 'Mars/Olympus_Mons'")
        .unwrap();
    let (field, _) = invalid_field(frontdesk_core::reference::today(
        clerk.connection(),
        clock.get(),
    ));
    assert_eq!(field, "time_zone");
    assert_eq!(invalid_field(clerk.duty_today(None)).0, "time_zone");

    // A desk opened now does not take the file for a new one (it made a second demo hospital
    // over it): one signs in and is shown no business date rather than a guessed one.
    let mut other = desk(&dir, &clock);
    let status = other.login("clerk", password("clerk")).unwrap();
    assert_eq!(status.business_date, "");
    assert_eq!(count(other.connection(), "complaint_category"), 6);

    // The administrator sees the profile as stored and repairs it; the backups stay as set.
    let mut profile = admin.reference_list("hospital", &json!(null)).unwrap();
    assert_eq!(profile["time_zone"], "Mars/Olympus_Mons");
    profile["time_zone"] = json!("Asia/Shanghai");
    profile.as_object_mut().unwrap().remove("backup_dir");
    profile.as_object_mut().unwrap().remove("backup_keep");
    let saved = admin.reference_save("hospital", &profile).unwrap();
    assert_eq!(saved["time_zone"], "Asia/Shanghai");
    assert_eq!(saved["backup_keep"], 30);
    assert_eq!(saved["backup_dir"], folder.to_str().unwrap());
    assert_eq!(
        frontdesk_core::reference::today(clerk.connection(), clock.get())
            .unwrap()
            .to_string(),
        "2026-03-02"
    );
}

/// Each role starts on its own work, one of its areas: the supervisor on the complaints, not on
/// 挂号's float; the status the page gets says where.
#[test]
fn each_role_starts_on_its_own_work() {
    use frontdesk_core::staff::{Area, Role};
    for role in Role::ALL {
        assert!(role.areas().contains(&role.home()), "{role:?}");
    }
    assert_eq!(Role::Supervisor.home(), Area::Complaints);
    assert_eq!(Role::Head.home(), Area::Quality);
    assert_eq!(Role::Clerk.home(), Area::Registration);
}
