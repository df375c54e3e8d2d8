//! The app's command lists agree: every command the page may call is built (`build.rs`'s
//! manifest), handled (`main.rs`'s `generate_handler!`), granted (`capabilities/desk.json`)
//! and called through `ui/js/api.js` — one list, four places, and a command missing from any
//! of them fails here rather than as a silent "command not allowed" at the desk.

use std::collections::BTreeSet;
use std::path::Path;

fn read(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The quoted words between `open` and the next `close` of `text`.
fn quoted_between(text: &str, open: &str, close: &str) -> Vec<String> {
    let start = text.find(open).unwrap_or_else(|| panic!("no {open:?}")) + open.len();
    let end = start + text[start..].find(close).unwrap();
    text[start..end]
        .split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

fn built() -> BTreeSet<String> {
    quoted_between(&read("build.rs"), "const COMMANDS: &[&str] = &[", "];")
        .into_iter()
        .collect()
}

fn handled() -> BTreeSet<String> {
    let main = read("src/main.rs");
    let start = main.find("generate_handler![").unwrap();
    let end = start + main[start..].find("])").unwrap();
    main[start + "generate_handler![".len()..end]
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|path| path.rsplit("::").next().unwrap().to_string())
        .collect()
}

fn granted() -> BTreeSet<String> {
    let caps: serde_json::Value = serde_json::from_str(&read("capabilities/desk.json")).unwrap();
    caps["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p.as_str())
        .filter_map(|p| p.strip_prefix("allow-"))
        .map(|p| p.replace('-', "_"))
        .collect()
}

fn called() -> BTreeSet<String> {
    let api = read("../ui/js/api.js");
    api.split("call('")
        .skip(1)
        .map(|rest| rest[..rest.find('\'').unwrap()].to_string())
        .collect()
}

#[test]
fn build_handler_capability_and_page_name_the_same_commands() {
    let built = built();
    assert!(built.len() > 50, "{built:?}");
    for (what, list) in [
        ("main.rs's handler", handled()),
        ("the capability", granted()),
        ("ui/js/api.js", called()),
    ] {
        let missing: Vec<_> = built.difference(&list).collect();
        let extra: Vec<_> = list.difference(&built).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{what}: missing {missing:?}, not in build.rs {extra:?}"
        );
    }
}
