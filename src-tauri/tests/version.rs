//! `frontdesk --version`: the installed program says what it is (and the data schema it
//! writes) without opening a window or a data file (issue #25).

use std::process::Command;

#[test]
fn the_app_prints_its_version_and_opens_nothing() {
    let home = tempfile_dir();
    for flag in ["--version", "-V"] {
        let out = Command::new(env!("CARGO_BIN_EXE_frontdesk"))
            .arg(flag)
            .env("HOME", &home)
            .env("XDG_DATA_HOME", home.join("xdg"))
            .env_remove("FRONTDESK_DB")
            .env_remove("DISPLAY")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            format!(
                "frontdesk {} (schema {})\n",
                env!("CARGO_PKG_VERSION"),
                frontdesk_core::store::schema_version()
            )
        );
    }
    assert_eq!(
        std::fs::read_dir(&home).unwrap().count(),
        0,
        "no data folder made"
    );
    std::fs::remove_dir_all(&home).unwrap();
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("frontdesk-version-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
