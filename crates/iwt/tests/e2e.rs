//! End-to-end: the real `iwt` binary, started as a user would, on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used)]
mod common;

use common::*;
use serde_json::json;

async fn happy_path(db_url: Option<&str>) {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), db_url, &[]);
    let (s, _) = get(&server.base, None, "/healthz").await;
    assert_eq!(s, 200);
    let (s, body) = get(&server.base, None, "/api/v1/sites").await;
    assert_eq!(s, 401, "every API call is authenticated: {body}");
    let admin = bootstrap_admin(&server).await;
    let ids = populate(&server.base, &admin, 3).await;

    // A token created on the command line while the server runs works on the API.
    let out = iwt(dir.path(), db_url)
        .args(["token", "create", "--name", "scanner", "--role", "auditor"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let token = stdout.lines().last().unwrap().trim().to_owned();
    let (s, f) = get(
        &server.base,
        Some(&token),
        &format!("/api/v1/firearms/{}", ids[0]),
    )
    .await;
    assert_eq!(s, 200, "{f}");
    assert_eq!(f["record"]["serial_number"], "E2E0000");
    let (s, _) = post(&server.base, Some(&token), "/api/v1/sites", json!({})).await;
    assert_eq!(s, 403, "an auditor token cannot write");
    let (s, hist) = get(
        &server.base,
        Some(&token),
        &format!("/api/v1/firearms/{}/history", ids[0]),
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(hist[0]["event_type"], "record_created");
    drop(server);

    let out = iwt(dir.path(), db_url).arg("verify").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.starts_with("OK:"), "{text}");
}

#[tokio::test]
async fn serve_setup_api_token_verify_sqlite() {
    happy_path(None).await;
}

#[tokio::test]
async fn serve_setup_api_token_verify_postgres() {
    let Some((base, name, url)) = fresh_pg().await else {
        eprintln!("IWT_TEST_PG_URL not set; PostgreSQL end-to-end skipped");
        return;
    };
    happy_path(Some(&url)).await;
    iwt_store::scratch::drop_pg_database(&base, &name)
        .await
        .unwrap();
}

/// A SQLite data dir with a few firearms, the server stopped, and a raw connection to
/// it with the append-only trigger `trigger` dropped, as a database administrator could.
async fn populated_db_without(trigger: &str) -> (tempfile::TempDir, sqlx::SqliteConnection) {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), None, &[]);
    let admin = bootstrap_admin(&server).await;
    populate(&server.base, &admin, 4).await;
    drop(server);
    let url = format!("sqlite://{}", dir.path().join("iwt.db").display());
    let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect(&url)
        .await
        .unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP TRIGGER {trigger}")))
        .execute(&mut conn)
        .await
        .unwrap();
    (dir, conn)
}

/// `iwt verify` fails and names `index` as the first bad one.
fn assert_verify_fails_at(dir: &std::path::Path, index: u64) {
    let out = iwt(dir, None).arg("verify").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains(&format!("first bad index {index}")), "{text}");
}

#[tokio::test]
async fn verify_names_the_first_edited_index() {
    let (dir, mut conn) = populated_db_without("log_entries_no_update").await;
    // Entry 4 creates firearm E2E0000: change one digit of its serial.
    let (mut leaf,): (Vec<u8>,) = sqlx::query_as("SELECT leaf FROM log_entries WHERE idx = 4")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    let at = leaf.windows(7).position(|w| w == b"E2E0000").unwrap();
    leaf[at + 3] = b'9';
    sqlx::query("UPDATE log_entries SET leaf = $1 WHERE idx = 4")
        .bind(leaf)
        .execute(&mut conn)
        .await
        .unwrap();
    drop(conn);
    assert_verify_fails_at(dir.path(), 4);
}

#[tokio::test]
async fn verify_detects_a_deleted_row() {
    let (dir, mut conn) = populated_db_without("log_entries_no_delete").await;
    sqlx::query("DELETE FROM log_entries WHERE idx = 5")
        .execute(&mut conn)
        .await
        .unwrap();
    drop(conn);
    assert_verify_fails_at(dir.path(), 5);
}

#[tokio::test]
async fn demo_prints_working_credentials_for_every_role() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), None, &["--demo"]);
    let creds: Vec<(String, String)> = server
        .lines
        .iter()
        .filter(|l| l.contains(" user ") && l.contains(" password "))
        .map(|l| {
            let w: Vec<&str> = l.split_whitespace().collect();
            (w[2].to_owned(), w[4].to_owned())
        })
        .collect();
    assert_eq!(creds.len(), 7, "one account per role: {:?}", server.lines);
    assert!(
        !server.lines.iter().any(|l| l.contains("set-up code")),
        "a demo install has accounts already"
    );
    let (user, pass) = creds.iter().find(|(u, _)| u.contains("armorer")).unwrap();
    let (s, b) = post(
        &server.base,
        None,
        "/api/v1/auth/login",
        json!({"username": user, "password": pass}),
    )
    .await;
    assert_eq!(s, 200, "{b}");
    let token = b["token"].as_str().unwrap();
    let (s, page) = get(&server.base, Some(token), "/api/v1/firearms?limit=1").await;
    assert_eq!(s, 200);
    assert!(page["total"].as_u64().unwrap() >= 150, "{page}");
    let (s, page) = get(&server.base, Some(token), "/api/v1/personnel?limit=1").await;
    assert_eq!(s, 200);
    assert!(page["total"].as_u64().unwrap() >= 60);
    drop(server);
    let out = iwt(dir.path(), None).arg("verify").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn config_file_and_environment_are_honoured() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("from-config");
    let cfg = dir.path().join("iwt.toml");
    std::fs::write(
        &cfg,
        format!(
            "data_dir = {:?}\nlisten = \"127.0.0.1:0\"\n",
            data.display().to_string()
        ),
    )
    .unwrap();
    let out = std::process::Command::new(BIN)
        .env("IWT_CONFIG", &cfg)
        .env_remove("IWT_DATA_DIR")
        .env_remove("IWT_DATABASE_URL")
        .args(["token", "create", "--name", "cfg", "--role", "device"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        data.join("iwt.db").exists(),
        "the data dir came from the config file"
    );
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "no_such_key = 1\n").unwrap();
    let out = std::process::Command::new(BIN)
        .arg("--config")
        .arg(&bad)
        .arg("verify")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid config file"));
}

#[test]
fn bad_cli_input_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let out = iwt(dir.path(), None)
        .args(["token", "create", "--name", "x", "--role", "emperor"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown role"));
    let out = iwt(dir.path(), Some("mysql://nope"))
        .arg("verify")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unsupported database URL"));
}
