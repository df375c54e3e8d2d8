//! Signing in at the desk, through `Desk` as the page calls it, with a clock the test moves:
//! the demo accounts, wrong passwords and the 15-minute lockout, disabled accounts, the idle
//! lock, what each role may do, and the last administrator who must remain.

#[macro_use]
mod common;

use common::*;
use frontdesk_core::demo::DEMO_STAFF;
use frontdesk_core::staff::{Permission, Role, StaffInput};
use frontdesk_core::{Desk, Error};
use serde_json::json;

fn staff_id(desk: &mut Desk, username: &str) -> frontdesk_core::ids::StaffId {
    desk.staff_list()
        .unwrap()
        .into_iter()
        .find(|s| s.username == username)
        .unwrap()
        .id
}

fn account(username: &str, display_name: &str, role: &str, password: &str) -> StaffInput {
    StaffInput {
        username: username.into(),
        display_name: display_name.into(),
        role: role.into(),
        password: password.into(),
        active: true,
        ..Default::default()
    }
}

#[test]
fn every_demo_account_signs_in_with_its_role() {
    let dir = temp();
    let clock = test_clock!();
    let mut desk = desk(&dir, &clock);
    for (username, password, name, role) in DEMO_STAFF {
        let status = desk.login(username, password).unwrap();
        let user = status.user.unwrap();
        assert_eq!(user.username, username);
        assert_eq!(user.display_name, name);
        assert_eq!(user.role.as_str(), role);
        assert_eq!(status.areas, user.role.areas());
        assert!(!status.locked);
        assert!(desk.logout().unwrap().user.is_none());
    }
    assert_verified(desk.connection());
}

#[test]
fn wrong_credentials_are_refused_alike_and_recorded() {
    let dir = temp();
    let clock = test_clock!();
    let mut desk = desk(&dir, &clock);
    let cases = [
        ("clerk", "clerk12345", "bad_credentials", "login.failed"),
        ("clerk", "CLERK1234", "bad_credentials", "login.failed"),
        (
            "nobody",
            "clerk1234",
            "bad_credentials",
            "login.unknown_user",
        ),
        (
            "Clerk",
            "clerk1234",
            "bad_credentials",
            "login.unknown_user",
        ),
    ];
    for (username, password, expected, logged) in cases {
        let n = audit_count(desk.connection());
        let e = desk.login(username, password).unwrap_err();
        assert_eq!(e.code(), expected, "{username}/{password}");
        // A stranger cannot tell a wrong password from an unknown username.
        assert_eq!(e.message(frontdesk_core::Lang::Zh), "用户名或密码不正确");
        assert_eq!(audit_count(desk.connection()), n + 1);
        assert_eq!(last_action(desk.connection()), logged);
        assert!(desk.status().user.is_none());
    }
    for (username, password, field) in [
        ("", "x", "username"),
        ("  ", "x", "username"),
        ("clerk", "", "password"),
    ] {
        let (f, _) = invalid_field(desk.login(username, password));
        assert_eq!(f, field);
    }
    assert_verified(desk.connection());
}

#[test]
fn five_wrong_passwords_lock_the_account_for_fifteen_minutes() {
    let dir = temp();
    let clock = test_clock!();
    let mut desk = desk(&dir, &clock);
    for _ in 1..=4 {
        assert_eq!(
            code(desk.login("clerk", "wrong-password")),
            "bad_credentials"
        );
    }
    assert!(matches!(
        desk.login("clerk", "wrong-password"),
        Err(Error::AccountLocked { minutes: 15 })
    ));
    // Now even the right password is refused, and says how long is left.
    for (elapsed, minutes_left) in [(0, 15), (MINUTE, 14), (14 * MINUTE + 59 * SECOND, 1)] {
        clock.set(START + elapsed);
        match desk.login("clerk", "clerk1234") {
            Err(Error::AccountLocked { minutes }) => assert_eq!(minutes, minutes_left),
            other => panic!("after {elapsed} ms: {other:?}"),
        }
    }
    // Other accounts are not affected.
    login(&mut desk, "head");
    desk.logout().unwrap();

    clock.set(START + 15 * MINUTE);
    login(&mut desk, "clerk");
    desk.logout().unwrap();

    // The count starts over after the lockout, and after every good password.
    for _ in 1..=4 {
        assert_eq!(
            code(desk.login("clerk", "wrong-password")),
            "bad_credentials"
        );
    }
    login(&mut desk, "clerk");
    desk.logout().unwrap();
    for _ in 1..=4 {
        assert_eq!(
            code(desk.login("clerk", "wrong-password")),
            "bad_credentials"
        );
    }
    login(&mut desk, "clerk");
    assert_verified(desk.connection());
}

#[test]
fn the_administrator_can_clear_a_lockout() {
    let dir = temp();
    let clock = test_clock!();
    let mut desk = desk(&dir, &clock);
    for _ in 1..=5 {
        assert!(desk.login("clerk", "wrong-password").is_err());
    }
    assert_eq!(code(desk.login("clerk", "clerk1234")), "account_locked");
    login(&mut desk, "admin");
    let id = staff_id(&mut desk, "clerk");
    let locked = desk
        .staff_list()
        .unwrap()
        .into_iter()
        .find(|s| s.id == id)
        .unwrap();
    assert_eq!(locked.locked_until, Some(START + 15 * MINUTE));
    let cleared = desk
        .staff_save(&StaffInput {
            id: Some(id),
            unlock: true,
            ..account("clerk", "刘敏", "clerk", "")
        })
        .unwrap();
    assert_eq!(cleared.locked_until, None);
    desk.logout().unwrap();
    login(&mut desk, "clerk");
    assert_verified(desk.connection());
}

#[test]
fn a_disabled_account_cannot_sign_in_until_enabled_again() {
    let dir = temp();
    let clock = test_clock!();
    let mut desk = desk(&dir, &clock);
    login(&mut desk, "admin");
    let id = staff_id(&mut desk, "guide");
    for (active, expected) in [(false, Some("account_inactive")), (true, None)] {
        desk.staff_save(&StaffInput {
            id: Some(id),
            active,
            ..account("guide", "陈静", "guide", "")
        })
        .unwrap();
        desk.logout().unwrap();
        if !active {
            // A wrong guess must not reveal that the account exists but is disabled.
            let guess = desk.login("guide", "not-the-password");
            assert_eq!(guess.err().map(|e| e.code()), Some("bad_credentials"));
        }
        let r = desk.login("guide", "guide1234");
        assert_eq!(r.as_ref().err().map(Error::code), expected);
        desk.logout().unwrap();
        login(&mut desk, "admin");
    }
    assert_verified(desk.connection());
}

#[test]
fn the_screen_locks_after_the_idle_time_and_unlocks_with_the_own_password() {
    let dir = temp();
    let clock = test_clock!();
    let mut desk = desk(&dir, &clock);
    login(&mut desk, "clerk");
    assert_eq!(desk.status().idle_seconds, 600);

    // Working keeps it open: a command every nine minutes for an hour.
    for _ in 0..7 {
        clock.advance(9 * MINUTE);
        desk.reference_list("department", &json!(null)).unwrap();
    }
    // The page's keystrokes count as work too.
    clock.advance(9 * MINUTE);
    desk.touch().unwrap();
    clock.advance(10 * MINUTE);
    desk.reference_list("department", &json!(null)).unwrap();

    clock.advance(10 * MINUTE + 1);
    assert_eq!(
        code(desk.reference_list("department", &json!(null))),
        "screen_locked"
    );
    let status = desk.status();
    assert!(status.locked);
    assert_eq!(
        status.user.unwrap().username,
        "clerk",
        "locking is not signing out"
    );
    assert_eq!(code(desk.touch()), "screen_locked");

    assert_eq!(code(desk.unlock("head1234")), "bad_credentials");
    assert_eq!(code(desk.unlock("wrong-password")), "bad_credentials");
    assert_eq!(
        code(desk.reference_list("department", &json!(null))),
        "screen_locked"
    );

    assert!(!desk.unlock("clerk1234").unwrap().locked);
    desk.reference_list("department", &json!(null)).unwrap();
    assert_verified(desk.connection());
}

#[test]
fn the_idle_time_follows_the_hospital_setting() {
    let dir = temp();
    let clock = test_clock!();
    let mut desk = desk(&dir, &clock);
    login(&mut desk, "admin");
    let mut hospital = desk.reference_list("hospital", &json!(null)).unwrap();
    hospital["idle_lock_minutes"] = json!(1);
    desk.reference_save("hospital", &hospital).unwrap();
    desk.logout().unwrap();

    login(&mut desk, "clerk");
    assert_eq!(desk.status().idle_seconds, 60);
    clock.advance(61 * SECOND);
    assert_eq!(code(desk.touch()), "screen_locked");
}

#[test]
fn ctrl_l_locks_at_once() {
    let dir = temp();
    let clock = test_clock!();
    let mut desk = desk(&dir, &clock);
    assert!(!desk.lock().locked, "nobody signed in: nothing to lock");
    login(&mut desk, "supervisor");
    assert!(desk.lock().locked);
    assert_eq!(code(desk.touch()), "screen_locked");
    assert_eq!(
        code(desk.reference_list("doctor", &json!(null))),
        "screen_locked"
    );
    desk.unlock("supervisor1234").unwrap();
    desk.reference_list("doctor", &json!(null)).unwrap();
}

#[test]
fn five_wrong_unlocks_lock_the_account_and_sign_the_person_out() {
    let dir = temp();
    let clock = test_clock!();
    let mut desk = desk(&dir, &clock);
    login(&mut desk, "clerk");
    desk.lock();
    for _ in 1..=4 {
        assert_eq!(code(desk.unlock("wrong-password")), "bad_credentials");
    }
    assert_eq!(code(desk.unlock("wrong-password")), "account_locked");
    assert!(desk.status().user.is_none());
    assert_eq!(
        code(desk.reference_list("department", &json!(null))),
        "not_logged_in"
    );
    assert_eq!(code(desk.login("clerk", "clerk1234")), "account_locked");
    assert_verified(desk.connection());
}

/// One command of the app, its outcome reduced to "done" or an error; `None` as its permission
/// means anyone signed in may use it.
type Command = fn(&mut Desk, Role) -> Result<(), Error>;

fn commands() -> [(&'static str, Option<Permission>, Command); 9] {
    [
        ("reference_list", None, |d, _| {
            d.reference_list("department", &json!(null)).map(|_| ())
        }),
        (
            "reference_save",
            Some(Permission::ManageReference),
            |d, r| {
                let code = format!("t-{}", r.as_str());
                d.reference_save("payment_method", &json!({ "code": code, "name": code }))
                    .map(|_| ())
            },
        ),
        (
            "reference_delete",
            Some(Permission::ManageReference),
            |d, r| {
                let id = Role::ALL.iter().position(|x| *x == r).unwrap() as i64 + 1;
                d.reference_delete("triage_keyword", id)
            },
        ),
        ("staff_list", Some(Permission::ManageStaff), |d, _| {
            d.staff_list().map(|_| ())
        }),
        ("staff_save", Some(Permission::ManageStaff), |d, r| {
            let username = format!("new-{}", r.as_str());
            d.staff_save(&account(&username, "新人", "clerk", "password1"))
                .map(|_| ())
        }),
        ("backups", Some(Permission::ManageBackups), |d, _| {
            d.backups().map(|_| ())
        }),
        ("audit_list", Some(Permission::ViewAudit), |d, _| {
            d.audit_list(None, 10).map(|_| ())
        }),
        ("audit_verify", Some(Permission::ViewAudit), |d, _| {
            d.audit_verify().map(|_| ())
        }),
        ("touch", None, |d, _| d.touch().map(|_| ())),
    ]
}

#[test]
fn each_role_may_do_what_its_job_needs_and_nothing_more() {
    // The product's rule, written out, so a change to `Role::can` must change this too.
    let manages = |role: Role| match role {
        Role::Admin => [true, true, true, true],
        Role::Head => [true, false, false, false],
        _ => [false, false, false, false],
    };
    let dir = temp();
    let clock = test_clock!();
    let mut desk = desk(&dir, &clock);
    for role in Role::ALL {
        let [reference, staff, backups, audit] = manages(role);
        assert_eq!(role.can(Permission::ManageReference), reference, "{role:?}");
        assert_eq!(role.can(Permission::ManageStaff), staff, "{role:?}");
        assert_eq!(role.can(Permission::ManageBackups), backups, "{role:?}");
        assert_eq!(role.can(Permission::ViewAudit), audit, "{role:?}");

        login(&mut desk, role.as_str());
        let can = desk.status().can;
        assert_eq!(
            [can.reference, can.staff, can.backups, can.audit],
            manages(role)
        );
        for (name, permission, command) in commands() {
            let allowed = permission.is_none_or(|p| role.can(p));
            let n = audit_count(desk.connection());
            match command(&mut desk, role) {
                Ok(()) => assert!(allowed, "{role:?} may not {name}, yet did"),
                Err(Error::Forbidden) => {
                    assert!(!allowed, "{role:?} may {name}, yet was refused");
                    assert_eq!(audit_count(desk.connection()), n, "{role:?} {name}");
                }
                Err(e) => panic!("{role:?} {name}: {e:?}"),
            }
        }
        desk.logout().unwrap();
    }
    assert_verified(desk.connection());
}

#[test]
fn nothing_works_before_signing_in() {
    let dir = temp();
    let clock = test_clock!();
    let mut desk = desk(&dir, &clock);
    let n = audit_count(desk.connection());
    for (name, _, command) in commands() {
        let e = command(&mut desk, Role::Admin).unwrap_err();
        assert_eq!(e.code(), "not_logged_in", "{name}");
        assert_desk_sentence(&e);
    }
    assert_eq!(code(desk.unlock("admin1234")), "not_logged_in");
    assert_eq!(code(desk.backup_now()), "not_logged_in");
    assert_eq!(code(desk.backup_settings("/tmp", 3)), "not_logged_in");
    assert_eq!(code(desk.restore("/tmp/x.db")), "not_logged_in");
    assert_eq!(audit_count(desk.connection()), n);
}

#[test]
fn the_last_active_administrator_cannot_be_demoted_or_disabled() {
    let dir = temp();
    let clock = test_clock!();
    let mut desk = desk(&dir, &clock);
    login(&mut desk, "admin");
    let admin = staff_id(&mut desk, "admin");
    let before = (
        dump(desk.connection(), "staff"),
        audit_count(desk.connection()),
    );
    let attempts = [
        ("demoted", account("admin", "周强", "head", "")),
        (
            "disabled",
            StaffInput {
                active: false,
                ..account("admin", "周强", "admin", "")
            },
        ),
        (
            "both",
            StaffInput {
                active: false,
                ..account("admin", "周强", "clerk", "")
            },
        ),
    ];
    for (what, input) in &attempts {
        let input = StaffInput {
            id: Some(admin),
            ..input.clone()
        };
        let e = desk.staff_save(&input).unwrap_err();
        assert!(matches!(e, Error::LastAdmin), "{what}: {e:?}");
        assert_desk_sentence(&e);
        assert_eq!(
            (
                dump(desk.connection(), "staff"),
                audit_count(desk.connection())
            ),
            before,
            "{what}"
        );
    }

    // With a second administrator, the first may step down; the session follows at once.
    desk.staff_save(&account("admin2", "吴磊", "admin", "second-admin-pw"))
        .unwrap();
    let demoted = desk
        .staff_save(&StaffInput {
            id: Some(admin),
            ..account("admin", "周强", "head", "")
        })
        .unwrap();
    assert_eq!(demoted.role, Role::Head);
    assert_eq!(desk.status().user.unwrap().role, Role::Head);
    assert_eq!(code(desk.staff_list()), "forbidden");
    desk.logout().unwrap();

    // And now admin2 is the last one.
    desk.login("admin2", "second-admin-pw").unwrap();
    let admin2 = staff_id(&mut desk, "admin2");
    let e = desk
        .staff_save(&StaffInput {
            id: Some(admin2),
            active: false,
            ..account("admin2", "吴磊", "admin", "")
        })
        .unwrap_err();
    assert!(matches!(e, Error::LastAdmin));
    assert_verified(desk.connection());
}

#[test]
fn accounts_are_created_and_their_passwords_changed() {
    let dir = temp();
    let clock = test_clock!();
    let mut desk = desk(&dir, &clock);
    login(&mut desk, "admin");
    let created = desk
        .staff_save(&account(" xiaoli ", " 李小丽 ", "clerk", "first-pass"))
        .unwrap();
    assert_eq!(
        (
            created.username.as_str(),
            created.display_name.as_str(),
            created.role,
            created.active
        ),
        ("xiaoli", "李小丽", Role::Clerk, true)
    );
    desk.logout().unwrap();
    desk.login("xiaoli", "first-pass").unwrap();
    desk.logout().unwrap();

    login(&mut desk, "admin");
    let id = created.id;
    // A blank password keeps the old one; a new one replaces it.
    desk.staff_save(&StaffInput {
        id: Some(id),
        ..account("xiaoli", "李小丽", "guide", "")
    })
    .unwrap();
    desk.logout().unwrap();
    assert_eq!(
        desk.login("xiaoli", "first-pass")
            .unwrap()
            .user
            .unwrap()
            .role,
        Role::Guide
    );
    desk.logout().unwrap();

    login(&mut desk, "admin");
    desk.staff_save(&StaffInput {
        id: Some(id),
        ..account("xiaoli", "李小丽", "guide", "second-pass")
    })
    .unwrap();
    desk.logout().unwrap();
    assert_eq!(code(desk.login("xiaoli", "first-pass")), "bad_credentials");
    desk.login("xiaoli", "second-pass").unwrap();
    assert_verified(desk.connection());
}

#[test]
fn bad_account_input_is_refused_by_field_and_changes_nothing() {
    let dir = temp();
    let clock = test_clock!();
    let mut desk = desk(&dir, &clock);
    login(&mut desk, "admin");
    let clerk = staff_id(&mut desk, "clerk");
    let cases: Vec<(&str, StaffInput, &str)> = vec![
        (
            "empty username",
            account("", "张三", "clerk", "password1"),
            "username",
        ),
        (
            "username with spaces",
            account("zhang san", "张三", "clerk", "password1"),
            "username",
        ),
        (
            "Chinese username",
            account("张三", "张三", "clerk", "password1"),
            "username",
        ),
        (
            "username of 33",
            account(&"z".repeat(33), "张三", "clerk", "password1"),
            "username",
        ),
        (
            "username taken",
            account("admin", "张三", "clerk", "password1"),
            "username",
        ),
        (
            "empty name",
            account("zhangsan", " ", "clerk", "password1"),
            "display_name",
        ),
        (
            "name of 31",
            account("zhangsan", &"张".repeat(31), "clerk", "password1"),
            "display_name",
        ),
        (
            "name with a control character",
            account("zhangsan", "张\t三", "clerk", "password1"),
            "display_name",
        ),
        (
            "unknown role",
            account("zhangsan", "张三", "boss", "password1"),
            "role",
        ),
        (
            "empty role",
            account("zhangsan", "张三", "", "password1"),
            "role",
        ),
        (
            "role in capitals",
            account("zhangsan", "张三", "Admin", "password1"),
            "role",
        ),
        (
            "no password",
            account("zhangsan", "张三", "clerk", ""),
            "password",
        ),
        (
            "short password",
            account("zhangsan", "张三", "clerk", "1234567"),
            "password",
        ),
        (
            "password of 129",
            account("zhangsan", "张三", "clerk", &"p".repeat(129)),
            "password",
        ),
        (
            "existing account, short password",
            StaffInput {
                id: Some(clerk),
                ..account("clerk", "刘敏", "clerk", "short")
            },
            "password",
        ),
        (
            "existing account renamed onto another",
            StaffInput {
                id: Some(clerk),
                ..account("head", "刘敏", "clerk", "")
            },
            "username",
        ),
    ];
    for (what, input, field) in cases {
        let before = (
            dump(desk.connection(), "staff"),
            audit_count(desk.connection()),
        );
        let (f, e) = invalid_field(desk.staff_save(&input));
        assert_eq!(f, field, "{what}");
        assert_desk_sentence(&e);
        assert_eq!(
            (
                dump(desk.connection(), "staff"),
                audit_count(desk.connection())
            ),
            before,
            "{what}: something changed"
        );
    }
    // Every problem of the form at once, in the form's order.
    assert_eq!(
        refused_fields(desk.staff_save(&account("bad name", "", "boss", "short"))),
        ["username", "display_name", "role", "password"]
    );
    assert_eq!(
        code(desk.staff_save(&StaffInput {
            id: Some(frontdesk_core::ids::StaffId(999)),
            ..account("x", "x", "clerk", "")
        })),
        "not_found"
    );
    assert_verified(desk.connection());
}
