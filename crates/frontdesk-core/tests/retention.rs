//! 保存期限 through `Desk`, on a real store (a file, or a database of its own on the test
//! server): the manual's periods from the start, lengthened by the administrator only, never
//! shortened (the database refuses too), and the records past them counted — and kept.

#[macro_use]
mod common;

use common::*;

#[test]
fn a_retention_period_is_only_lengthened_and_no_record_goes() {
    let dir = temp();
    let clock = test_clock!();
    let mut admin = signed_in(&dir, &clock, "admin");
    let years = |d: &mut frontdesk_core::Desk| -> Vec<(String, i64, i64)> {
        d.retention_periods()
            .unwrap()
            .into_iter()
            .map(|p| (p.record, p.years, p.expired))
            .collect()
    };
    assert_eq!(
        years(&mut admin),
        [
            ("followup".to_string(), 2, 0),
            ("complaint".to_string(), 3, 0),
            ("quality_check".to_string(), 2, 0),
            ("questionnaire".to_string(), 2, 0),
        ]
    );
    // Refused by field, nothing written: shorter, equal, not a number, not a record.
    let audit = audit_count(admin.connection());
    for (record, value, field) in [
        ("complaint", "2", "retention_years"),
        ("complaint", "3", "retention_years"),
        ("complaint", "三年", "retention_years"),
        ("complaint", "31", "retention_years"),
        ("ledger", "5", "retention_record"),
    ] {
        let (f, e) = invalid_field(admin.retention_lengthen(record, value));
        assert_eq!(f, field, "{record} {value}");
        assert_desk_sentence(&e);
    }
    assert_eq!(audit_count(admin.connection()), audit);
    admin.retention_lengthen("complaint", "5").unwrap();
    assert_eq!(last_action(admin.connection()), "retention_period.set");
    assert_eq!(years(&mut admin)[1], ("complaint".to_string(), 5, 0));
    // The database refuses a shorter one and any rewrite, whoever asks.
    let tool = sql_tool(&db_path(&dir));
    refused(tool.run(
        "INSERT INTO retention_period (record, years, set_by, set_at) VALUES ('complaint', 3, NULL, 0)",
    ));
    refused(tool.run("UPDATE retention_period SET years = 1"));
    refused(tool.run("DELETE FROM retention_period"));
    // Only the administrator sets them.
    let mut head = signed_in(&dir, &clock, "head");
    assert!(head.retention_lengthen("followup", "4").is_err());
    assert!(head.retention_periods().is_err());

    // A guide-desk form of today, and a check: three years on they are past their two years,
    // counted, and still there.
    let mut guide = signed_in(&dir, &clock, "guide");
    let forms = guide.survey_questionnaires().unwrap();
    guide
        .survey_record(&frontdesk_core::survey::ResponseInput {
            version_id: Some(forms[0].version_id),
            answers: [("overall".to_string(), "satisfied".to_string())]
                .into_iter()
                .collect(),
            ..Default::default()
        })
        .unwrap();
    clock.advance(3 * 366 * DAY);
    let mut admin = signed_in(&dir, &clock, "admin");
    let now = years(&mut admin);
    assert_eq!(now[3], ("questionnaire".to_string(), 2, 1), "{now:?}");
    assert_eq!(count(admin.connection(), "survey_response"), 1, "kept");
    refused(tool.run("DELETE FROM survey_response"));
    assert_verified(admin.connection());
}

/// Log entries of closed complaints that hold a contact, or a complainant's name.
const CLOSED_CASES_NAMED_IN_LOG: &str = "SELECT count(*) FROM audit_log a
     JOIN complaint c ON a.entity = 'complaint' AND a.entity_id = CAST(c.id AS TEXT)
     WHERE c.closed_at IS NOT NULL
       AND (a.after LIKE '%\"contact\":\"%' OR a.before LIKE '%\"contact\":\"%'
            OR (a.after LIKE '%\"complainant\":\"%' AND a.after NOT LIKE '%\"complainant\":\"已匿名\"%')
            OR (a.before LIKE '%\"complainant\":\"%' AND a.before NOT LIKE '%\"complainant\":\"已匿名\"%'))";

/// Every figure of the month's dashboard, computed afresh (the kept tallies emptied first).
fn figures(d: &mut frontdesk_core::Desk, tool: &SqlTool, day: &str) -> String {
    tool.run("DELETE FROM quality_tally").unwrap();
    let board = d.quality_dashboard("month", day).unwrap();
    let points: Vec<_> = board.tiles.iter().map(|t| (&t.now, &t.trend)).collect();
    serde_json::to_string(&points).unwrap()
}

/// The patients of closed complaints and follow-ups with nothing open: those the removal
/// anonymises once their records are past their periods.
fn with_nothing_open(conn: &frontdesk_core::store::Conn) -> Vec<i64> {
    conn.all(
        "SELECT x.patient_id FROM (
             SELECT patient_id FROM followup WHERE closed_at IS NOT NULL
             UNION SELECT patient_id FROM complaint WHERE closed_at IS NOT NULL) x
         WHERE x.patient_id IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM followup g WHERE g.patient_id = x.patient_id AND g.closed_at IS NULL)
           AND NOT EXISTS (SELECT 1 FROM complaint k WHERE k.patient_id = x.patient_id AND k.closed_at IS NULL)
         ORDER BY 1",
        &[],
        |r| Ok(r.get(0)?),
    )
    .unwrap()
}

/// Each anonymised patient's old name, phone and ID number as they were before.
fn identities(tool: &SqlTool, ids: &[i64]) -> Vec<(i64, String, String, String)> {
    ids.iter()
        .map(|id| {
            let text = |col: &str| {
                tool.text(&format!(
                    "SELECT coalesce(CAST({col} AS TEXT), '') FROM patient WHERE id = {id}"
                ))
            };
            (*id, text("name"), text("phone"), text("id_number"))
        })
        .collect()
}

#[test]
fn past_their_periods_the_records_lose_their_personal_data_and_keep_their_figures() {
    let dir = temp();
    // A week of the demo hospital, ending on the tests' demo day.
    demo(&dir, "8");
    let made = DEMO_END;
    let tool = sql_tool(&db_path(&dir));
    let demo_day = tool.text("SELECT max(date) FROM registration");
    let clock = test_clock!();
    let pending = |d: &mut frontdesk_core::Desk| {
        let c = d.retention_pending().unwrap();
        (c.complaints, c.calls, c.patients)
    };

    // A year on, nothing is past its period: nothing to remove, and a run removes nothing.
    clock.set(made + 365 * DAY);
    let mut admin = signed_in(&dir, &clock, "admin");
    assert_eq!(pending(&mut admin), (0, 0, 0));
    let rows = |conn: &frontdesk_core::store::Conn| -> Vec<(String, Vec<String>)> {
        dump_all(conn)
            .into_iter()
            .filter(|(t, _)| t != "audit_log")
            .collect()
    };
    let before_any = rows(admin.connection());
    let run = admin.retention_anonymise().unwrap();
    assert_eq!(
        (run.complaints, run.calls, run.patients, run.entries),
        (0, 0, 0, 0)
    );
    assert_eq!(last_action(admin.connection()), "retention.anonymise");
    assert!(rows(admin.connection()) == before_any, "nothing changed");
    // Only the administrator removes, or looks.
    let mut head = signed_in(&dir, &clock, "head");
    assert_eq!(code(head.retention_anonymise()), "forbidden");
    assert_eq!(code(head.retention_pending()), "forbidden");
    let month = figures(&mut head, &tool, &demo_day);

    // Two years and a fortnight on, the follow-ups are past their two years, the complaints
    // not yet past their three: the numbers dialled go, every name stays (a patient seen
    // within the longer period keeps their details).
    clock.set(made + (2 * 365 + 15) * DAY);
    let mut admin = signed_in(&dir, &clock, "admin");
    let periods = admin.retention_periods().unwrap();
    let followup = periods.iter().find(|p| p.record == "followup").unwrap();
    let complaint = periods.iter().find(|p| p.record == "complaint").unwrap();
    assert!(followup.personal > 0 && followup.personal <= followup.expired);
    assert_eq!((complaint.expired, complaint.personal), (0, 0));
    let (c, calls, p) = pending(&mut admin);
    assert!(calls > 0 && c == 0 && p == 0, "{c} {calls} {p}");
    let run = admin.retention_anonymise().unwrap();
    assert_eq!((run.complaints, run.calls, run.patients), (0, calls, 0));
    assert!(run.entries >= calls, "each call's entry redacted");
    assert_eq!(
        tool.int(
            "SELECT count(*) FROM followup_attempt a JOIN followup f ON f.id = a.followup_id
             WHERE f.closed_at IS NOT NULL AND a.phone IS NOT NULL"
        ),
        0
    );
    assert_eq!(
        tool.int("SELECT count(*) FROM patient WHERE name = '已匿名'"),
        0
    );
    assert_verified(admin.connection());

    // Three years and a fortnight on, the complaints are past theirs too: a closed case's
    // complainant and contact go, and the patients with nothing left within a period are
    // anonymised; open cases and their patients keep everything.
    clock.set(made + (3 * 365 + 15) * DAY);
    let mut admin = signed_in(&dir, &clock, "admin");
    let (c, calls, p) = pending(&mut admin);
    assert!(c > 0 && p > 0 && calls == 0, "{c} {calls} {p}");
    let ids = with_nothing_open(admin.connection());
    assert_eq!(
        ids.len() as i64,
        p,
        "exactly the patients with nothing open"
    );
    let kept_open: i64 = tool.int(
        "SELECT count(*) FROM complaint WHERE closed_at IS NULL AND (contact IS NOT NULL OR complainant IS NOT NULL)",
    );
    let old = identities(&tool, &ids);
    assert!(tool.int(CLOSED_CASES_NAMED_IN_LOG) > 0);
    let rows = [
        count(admin.connection(), "complaint"),
        count(admin.connection(), "followup_attempt"),
        count(admin.connection(), "patient"),
    ];
    let run = admin.retention_anonymise().unwrap();
    assert_eq!((run.complaints, run.calls, run.patients), (c, 0, p));
    assert_eq!(
        rows,
        [
            count(admin.connection(), "complaint"),
            count(admin.connection(), "followup_attempt"),
            count(admin.connection(), "patient"),
        ],
        "every record kept"
    );
    assert_eq!(
        tool.int(
            "SELECT count(*) FROM complaint WHERE closed_at IS NOT NULL
             AND (contact IS NOT NULL OR complainant <> '已匿名')"
        ),
        0
    );
    assert_eq!(
        tool.int(
            "SELECT count(*) FROM complaint WHERE closed_at IS NULL AND (contact IS NOT NULL OR complainant IS NOT NULL)"
        ),
        kept_open,
        "open cases keep theirs"
    );
    // Nor do the log's entries of the closed cases hold a contact or another name.
    assert_eq!(tool.int(CLOSED_CASES_NAMED_IN_LOG), 0);
    // The old name, phone and ID number are nowhere: not in the record, not in the search
    // keys, not in the log. The card number still finds the patient, as 已匿名.
    let conn = reader(db_path(&dir));
    let today = frontdesk_core::reference::today(&conn, clock.get()).unwrap();
    for (id, name, phone, id_number) in &old {
        let row = tool.text(&format!(
            "SELECT name || '|' || coalesce(phone, '') || '|' || coalesce(id_number, '') || '|' || address FROM patient WHERE id = {id}"
        ));
        assert_eq!(row, "已匿名|||", "patient {id}");
        for secret in [phone, id_number] {
            if secret.is_empty() {
                continue;
            }
            let seen = tool.int(&format!(
                "SELECT count(*) FROM audit_log WHERE before LIKE '%{secret}%' OR after LIKE '%{secret}%'"
            )) + tool.int(&format!(
                "SELECT count(*) FROM patient_key WHERE key LIKE '%{secret}%'"
            )) + tool.int(&format!(
                "SELECT count(*) FROM followup_attempt WHERE phone = '{secret}'"
            )) + tool.int(&format!(
                "SELECT count(*) FROM complaint WHERE contact = '{secret}'"
            ));
            assert_eq!(seen, 0, "patient {id}'s {secret} is gone");
        }
        let in_log = tool.int(&format!(
            "SELECT count(*) FROM audit_log WHERE entity = 'patient' AND entity_id = '{id}'
             AND (before LIKE '%\"{name}\"%' OR after LIKE '%\"{name}\"%')"
        ));
        assert_eq!(in_log, 0, "patient {id}'s name {name} is gone from the log");
        assert!(frontdesk_core::search::search(&conn, phone, 5, today)
            .unwrap()
            .iter()
            .all(|h| h.id.0 != *id));
        let card = tool.text(&format!("SELECT card_no FROM patient WHERE id = {id}"));
        let hits = frontdesk_core::search::search(&conn, &card, 5, today).unwrap();
        assert!(hits.iter().any(|h| h.id.0 == *id && h.name == "已匿名"));
    }
    // The figures of the demo's month are the same, counted afresh.
    let mut head = signed_in(&dir, &clock, "head");
    assert_eq!(figures(&mut head, &tool, &demo_day), month);
    assert_verified(admin.connection());
    // A second run finds nothing left.
    assert_eq!(pending(&mut admin), (0, 0, 0));
    let again = admin.retention_anonymise().unwrap();
    assert_eq!(
        (again.complaints, again.calls, again.patients, again.entries),
        (0, 0, 0, 0)
    );

    // The database lets through only that change: not a closed case's other fields, not a
    // call's other fields, not a name put back, not an entry never redacted, nor the list.
    let redacted = tool.int("SELECT min(entry_id) FROM audit_redaction");
    let plain = tool.int(
        "SELECT min(id) FROM audit_log WHERE id NOT IN (SELECT entry_id FROM audit_redaction)",
    );
    for sql in [
        "UPDATE complaint SET description = 'x' WHERE closed_at IS NOT NULL".to_string(),
        "UPDATE complaint SET complainant = '张三' WHERE closed_at IS NOT NULL".to_string(),
        "UPDATE followup_attempt SET note = 'x'".to_string(),
        "UPDATE followup_attempt SET phone = '13800138000'".to_string(),
        format!("UPDATE audit_log SET actor = 'x' WHERE id = {redacted}"),
        format!("UPDATE audit_log SET after = NULL WHERE id = {plain}"),
        "UPDATE audit_redaction SET hash = 'x'".to_string(),
        "DELETE FROM audit_redaction".to_string(),
        "DELETE FROM complaint".to_string(),
    ] {
        refused(tool.run(&sql));
    }
    // A redacted entry edited again is caught, by its redaction's seal.
    tool.run(&format!(
        "UPDATE audit_log SET after = replace(after, '已匿名', '王五') WHERE id = {redacted}"
    ))
    .unwrap();
    let report = verify_file(db_path(&dir));
    assert_eq!(
        report.first_bad_entry,
        Some(redacted),
        "{:?}",
        report.problems
    );
}

/// The removal reads the log before it takes the write lock, so the desks wait only for its
/// writing; what a desk writes in between about a record being anonymised is redacted too.
#[test]
fn what_a_desk_writes_while_the_removal_reads_the_log_is_redacted_too() {
    let dir = temp();
    demo(&dir, "8");
    let made = DEMO_END;
    let tool = sql_tool(&db_path(&dir));
    let clock = test_clock!();
    clock.set(made + (3 * 365 + 15) * DAY);
    let mut admin = signed_in(&dir, &clock, "admin");
    let today = frontdesk_core::reference::today(admin.connection(), clock.get()).unwrap();
    let before = admin.retention_pending().unwrap();
    assert!(before.patients > 0, "{before:?}");
    let read = frontdesk_core::quality::anonymise::survey(admin.connection(), today).unwrap();
    assert!(read.entries() > 0);

    // Meanwhile the registration desk gives one of the patients due a new number.
    let id: i64 = tool.int(
        "SELECT min(p.id) FROM patient p JOIN followup f ON f.patient_id = p.id
         WHERE f.closed_at IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM followup g WHERE g.patient_id = p.id AND g.closed_at IS NULL)
           AND NOT EXISTS (SELECT 1 FROM complaint k WHERE k.patient_id = p.id AND k.closed_at IS NULL)",
    );
    let mut clerk = signed_in(&dir, &clock, "clerk");
    let p = clerk
        .patient_get(frontdesk_core::ids::PatientId(id))
        .unwrap();
    clerk
        .patient_save(
            &frontdesk_core::patient::PatientInput {
                id: Some(p.id),
                name: p.name,
                sex: p.sex,
                birth_date: p.birth_date.unwrap_or_default(),
                phone: "13912345678".into(),
                ..Default::default()
            },
            true,
        )
        .unwrap();
    let seen = |tool: &SqlTool| {
        tool.int(
            "SELECT count(*) FROM audit_log WHERE before LIKE '%13912345678%' OR after LIKE '%13912345678%'",
        )
    };
    assert_eq!(seen(&tool), 1);

    let actor = frontdesk_core::audit::Actor::system("test");
    let mut conn = frontdesk_core::store::Conn::open(db_path(&dir)).unwrap();
    let run = frontdesk_core::store::write(&mut conn, &actor, clock.get(), |tx| {
        frontdesk_core::quality::anonymise::remove(tx, &read)
    })
    .unwrap();
    assert_eq!(
        (run.complaints, run.calls, run.patients),
        (before.complaints, before.calls, before.patients)
    );
    assert_eq!(
        tool.text(&format!(
            "SELECT name || '|' || coalesce(phone, '') FROM patient WHERE id = {id}"
        )),
        "已匿名|"
    );
    assert_eq!(
        seen(&tool),
        0,
        "the number the desk gave meanwhile is gone from the log"
    );
    assert_verified(&conn);
}

/// Removed means removed (issue #26): after the removal, the old names and phones of the
/// anonymised patients are in no byte of the data file or its WAL — not in free space, not in
/// an old page, not in a log frame — while the desk that removed them is still open.
#[test]
fn the_removed_names_and_phones_are_gone_from_the_files_bytes() {
    sqlite_only!("the bytes of the SQLite file");
    let dir = temp();
    demo(&dir, "8");
    let tool = sql_tool(&db_path(&dir));
    let clock = test_clock!();
    clock.set(DEMO_END + (3 * 365 + 15) * DAY);
    let mut admin = signed_in(&dir, &clock, "admin");
    let ids = with_nothing_open(admin.connection());
    let old = identities(&tool, &ids);
    let run = admin.retention_anonymise().unwrap();
    assert!(run.patients > 0);
    let file = db_file(&dir);
    let mut bytes = std::fs::read(&file).unwrap();
    let wal = file.with_extension("db-wal");
    bytes.extend(std::fs::read(&wal).unwrap_or_default());
    let found = |needle: &str| bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
    let mut names = 0;
    let mut left = Vec::new();
    for (id, name, phone, _) in &old {
        // A name still borne by someone the removal kept (a patient, a complainant, a doctor
        // or a member of staff of the same name) is rightly in the file.
        let shared: i64 = [
            "SELECT count(*) FROM patient WHERE name = ?",
            "SELECT count(*) FROM complaint WHERE complainant = ?",
            "SELECT count(*) FROM doctor WHERE name = ?",
            "SELECT count(*) FROM person WHERE name = ?",
            "SELECT count(*) FROM staff WHERE display_name = ?",
        ]
        .iter()
        .map(|q| tool.int(&q.replace('?', &format!("'{name}'"))))
        .sum();
        if shared == 0 {
            names += 1;
            if found(name) {
                left.push(format!("patient {id}'s name {name}"));
            }
        }
        if !phone.is_empty() && found(phone) {
            left.push(format!("patient {id}'s phone {phone}"));
        }
    }
    assert!(names > 0, "no name to look for");
    assert!(
        left.is_empty(),
        "{} of {} patients' data still in the bytes: {left:?}",
        left.len(),
        old.len()
    );

    // Today's backup, made at sign-in, still holds them: made again, it does not, and the
    // earlier one of today is gone (the log says which).
    let backups = dir.path().join("backups");
    let listing = || {
        let mut names: Vec<_> = std::fs::read_dir(&backups)
            .unwrap()
            .map(|f| f.unwrap().file_name())
            .collect();
        names.sort();
        names
    };
    // Only the administrator, who keeps the backups, does it: anyone else changes nothing.
    let before = listing();
    let mut clerk = signed_in(&dir, &clock, "clerk");
    assert_eq!(code(clerk.backup_remake_today()), "forbidden");
    assert_eq!(listing(), before);
    let remade = admin.backup_remake_today().unwrap();
    assert!(!remade.removed.is_empty(), "today's earlier backup removed");
    for name in &remade.removed {
        assert!(!backups.join(name).exists(), "{name} is still there");
    }
    let copy = std::fs::read(&remade.file.path).unwrap();
    for (id, _, phone, _) in &old {
        if !phone.is_empty() {
            assert!(
                !copy.windows(phone.len()).any(|w| w == phone.as_bytes()),
                "patient {id}'s phone {phone} in the new backup"
            );
        }
    }
    assert_eq!(last_action(admin.connection()), "backup.remove");
}
