//! Helpers for end-to-end tests that start the real `iwt` binary.
#![allow(dead_code, clippy::unwrap_used)]
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

pub const BIN: &str = env!("CARGO_BIN_EXE_iwt");

/// A running `iwt serve`, killed on drop.
pub struct Server {
    pub child: Child,
    pub base: String,
    pub lines: Vec<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `iwt` with the data location arguments for `data_dir`/`db_url`.
pub fn iwt(data_dir: &Path, db_url: Option<&str>) -> Command {
    let mut c = Command::new(BIN);
    c.env_remove("IWT_DATABASE_URL")
        .env_remove("IWT_CONFIG")
        .env_remove("IWT_LISTEN")
        .env_remove("IWT_DEMO");
    c.arg("--data-dir").arg(data_dir);
    if let Some(url) = db_url {
        c.arg("--database-url").arg(url);
    }
    c
}

/// Starts `iwt serve` on a free port and waits until it listens; collects the console
/// lines printed before that.
pub fn start(data_dir: &Path, db_url: Option<&str>, extra: &[&str]) -> Server {
    let mut cmd = iwt(data_dir, db_url);
    cmd.arg("serve")
        .arg("--listen")
        .arg("127.0.0.1:0")
        .args(extra);
    cmd.stdout(Stdio::piped()).stderr(Stdio::null());
    let mut child = cmd.spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        // Keep draining after the test stops listening, so the server never writes
        // into a closed pipe.
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut server = Server {
        child,
        base: String::new(),
        lines: Vec::new(),
    };
    loop {
        // On a timeout the panic drops `server`, which kills and reaps the child.
        let line = rx
            .recv_timeout(Duration::from_secs(300))
            .expect("server did not start");
        let base = line
            .strip_prefix("IoTWeaponTracker listening on ")
            .map(str::to_owned);
        server.lines.push(line);
        if let Some(base) = base {
            server.base = base;
            return server;
        }
    }
}

/// The set-up code printed by a fresh server.
pub fn setup_code(lines: &[String]) -> String {
    let i = lines
        .iter()
        .position(|l| l.contains("one-time set-up code"))
        .expect("no set-up code printed");
    lines[i + 1].trim().to_owned()
}

pub fn client() -> reqwest::Client {
    reqwest::Client::new()
}

pub async fn post(base: &str, token: Option<&str>, path: &str, body: Value) -> (u16, Value) {
    let mut req = client().post(format!("{base}{path}")).json(&body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

pub async fn get(base: &str, token: Option<&str>, path: &str) -> (u16, Value) {
    let mut req = client().get(format!("{base}{path}"));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

/// Creates a site, a vault, a model and `n` firearms; returns the firearm ids.
pub async fn populate(base: &str, token: &str, n: usize) -> Vec<String> {
    let (s, site) = post(base, Some(token), "/api/v1/sites", json!({"code": "HQ", "name": "HQ", "country": "DE", "timezone": "Europe/Berlin", "address": null})).await;
    assert_eq!(s, 201, "{site}");
    let (s, loc) = post(base, Some(token), "/api/v1/locations", json!({"site_id": site["id"], "parent_id": null, "code": "V1", "name": "Vault 1", "kind": "vault"})).await;
    assert_eq!(s, 201, "{loc}");
    let (s, model) = post(
        base,
        Some(token),
        "/api/v1/firearm-models",
        json!({
        "make": "Glock", "manufacturer": "Glock GmbH", "model": "17", "firearm_type": "pistol",
        "action": "semi_automatic", "calibres": ["9x19mm"], "barrel_length_mm": 114,
        "country_of_manufacture": "AT", "ifrt_ref": null}),
    )
    .await;
    assert_eq!(s, 201, "{model}");
    let mut ids = Vec::new();
    for i in 0..n {
        let (s, f) = post(base, Some(token), "/api/v1/firearms", json!({
            "model_id": model["id"], "serial_number": format!("E2E{i:04}"), "manufacturer": "Glock GmbH",
            "country_of_manufacture": "AT", "year_of_manufacture": 2022, "origin": "manufactured",
            "weapon_class": "PISTOL-9MM", "unit_id": null, "location_id": loc["id"], "notes": null,
            "markings": [{"kind": "manufacture", "text": format!("GLOCK AUSTRIA E2E{i:04}"), "location_on_item": "frame, right",
                "manufacturer": "Glock", "country": "AT", "place": null, "year": 2022, "importer": null, "method": "stamped"}]})).await;
        assert_eq!(s, 201, "{f}");
        ids.push(f["id"].as_str().unwrap().to_owned());
    }
    ids
}

/// Creates the first admin through the set-up code and signs in; returns the token.
pub async fn bootstrap_admin(server: &Server) -> String {
    let code = setup_code(&server.lines);
    let (s, b) = post(
        &server.base,
        None,
        "/api/v1/setup",
        json!({"code": code, "username": "chief", "password": "correct horse battery"}),
    )
    .await;
    assert_eq!(s, 201, "{b}");
    let (s, b) = post(
        &server.base,
        None,
        "/api/v1/auth/login",
        json!({"username": "chief", "password": "correct horse battery"}),
    )
    .await;
    assert_eq!(s, 200, "{b}");
    b["token"].as_str().unwrap().to_owned()
}

/// A fresh PostgreSQL database for one test, when `IWT_TEST_PG_URL` is set.
pub async fn fresh_pg() -> Option<(String, String, String)> {
    let base = std::env::var("IWT_TEST_PG_URL").ok()?;
    let name = format!("iwt_e2e_{}", uuid::Uuid::new_v4().simple());
    let url = iwt_store::scratch::create_pg_database(&base, &name)
        .await
        .unwrap();
    Some((base, name, url))
}
