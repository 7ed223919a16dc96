//! Dependency direction: the pure crates must not depend on I/O crates (DESIGN.md).
#![allow(clippy::unwrap_used)]

#[test]
fn pure_crates_do_not_depend_on_io_crates() {
    for krate in ["iwt-domain", "iwt-ledger"] {
        let out = std::process::Command::new(env!("CARGO"))
            .args([
                "tree",
                "--offline",
                "-p",
                krate,
                "-e",
                "normal",
                "--prefix",
                "none",
                "--format",
                "{p}",
            ])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let tree = String::from_utf8(out.stdout).unwrap();
        for forbidden in ["tokio ", "sqlx", "axum", "rumqttc", "hyper "] {
            assert!(
                !tree.contains(forbidden),
                "{krate} depends on {forbidden}:\n{tree}"
            );
        }
        assert!(
            tree.contains(krate),
            "cargo tree printed nothing useful: {tree}"
        );
    }
}

#[test]
fn ledger_crate_depends_on_no_other_crate_of_ours() {
    let out = std::process::Command::new(env!("CARGO"))
        .args([
            "tree",
            "--offline",
            "-p",
            "iwt-ledger",
            "-e",
            "normal",
            "--prefix",
            "none",
            "--format",
            "{p}",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let tree = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        tree.lines().filter(|l| l.starts_with("iwt-")).count(),
        1,
        "{tree}"
    );
}
