//! Shared helpers of the HTTP tests: a fresh application on a temporary SQLite database
//! or a scratch PostgreSQL database (when `IWT_TEST_PG_URL` is set), the real router
//! driven with `tower::ServiceExt::oneshot`, a small request builder, a JSON response
//! reader that checks the error format of every failed answer, and record fixtures.
#![allow(dead_code, clippy::unwrap_used)]

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use http_body_util::BodyExt;
use iwt_app::App;
use iwt_app::auth::Principal;
use iwt_domain::{Role, SystemClock};
use serde_json::{Value, json};
use std::future::Future;
use std::sync::Arc;
use tower::ServiceExt;
use uuid::Uuid;

/// Environment variable naming the PostgreSQL server used by the `postgres` variants.
pub const PG_URL_ENV: &str = "IWT_TEST_PG_URL";

/// The database backend of a test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A SQLite file in a temporary directory.
    Sqlite,
    /// A scratch database on the server named by [`PG_URL_ENV`].
    Postgres,
}

/// Generates, for each `async fn NAME(h: Harness)` of the test file, one test per
/// backend: `sqlite::NAME` and `postgres::NAME` (a note and no test without
/// `IWT_TEST_PG_URL`).
macro_rules! backend_tests {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    $crate::common::with_backend($crate::common::Backend::Sqlite, super::$name).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    $crate::common::with_backend($crate::common::Backend::Postgres, super::$name).await;
                }
            )*
        }
    };
}
pub(crate) use backend_tests;

enum Cleanup {
    Dir(tempfile::TempDir),
    Pg { base: String, name: String },
}

/// Runs `f` against a fresh application on `backend` and removes the database
/// afterwards, also when `f` panics (the panic is then passed on).
pub async fn with_backend<F, Fut>(backend: Backend, f: F)
where
    F: FnOnce(Harness) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let (url, cleanup) = match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().unwrap();
            let url = format!("sqlite://{}/t.db", dir.path().display());
            (url, Cleanup::Dir(dir))
        }
        Backend::Postgres => {
            let Ok(base) = std::env::var(PG_URL_ENV) else {
                eprintln!("note: {PG_URL_ENV} is not set; skipping a PostgreSQL HTTP test");
                return;
            };
            let name = format!("iwt_h_{}", Uuid::new_v4().simple());
            let url = iwt_store::scratch::create_pg_database(&base, &name)
                .await
                .unwrap();
            (url, Cleanup::Pg { base, name })
        }
    };
    let outcome = tokio::spawn(async move {
        let h = Harness::open(&url).await;
        f(h).await;
    })
    .await;
    match cleanup {
        Cleanup::Dir(dir) => drop(dir),
        Cleanup::Pg { base, name } => {
            if let Err(e) = iwt_store::scratch::drop_pg_database(&base, &name).await {
                eprintln!("note: could not drop scratch database {name}: {e}");
            }
        }
    }
    if let Err(e) = outcome {
        match e.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(e) => panic!("test task failed: {e}"),
        }
    }
}

/// An HTTP request under construction.
pub struct Req {
    method: Method,
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Req {
    /// A request with `method` to `path` (no credentials yet).
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        Self {
            method,
            path: path.into(),
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// A GET request.
    pub fn get(path: impl Into<String>) -> Self {
        Self::new(Method::GET, path)
    }

    /// A POST request.
    pub fn post(path: impl Into<String>) -> Self {
        Self::new(Method::POST, path)
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Sends `Authorization: Bearer <token>`.
    pub fn bearer(self, token: &str) -> Self {
        self.header("authorization", &format!("Bearer {token}"))
    }

    /// A JSON body with `Content-Type: application/json`.
    pub fn json(self, body: &Value) -> Self {
        self.raw("application/json", serde_json::to_vec(body).unwrap())
    }

    /// Any body with the given content type.
    pub fn raw(self, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        self.body(body).header("content-type", content_type)
    }

    /// A body without a content type.
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    fn build(self) -> Request<Body> {
        let mut b = Request::builder().method(self.method).uri(self.path);
        for (k, v) in &self.headers {
            b = b.header(k.as_str(), v.as_str());
        }
        b.body(Body::from(self.body)).unwrap()
    }
}

/// A response, read in full.
#[derive(Debug)]
pub struct Resp {
    /// Status.
    pub status: StatusCode,
    /// Headers.
    pub headers: axum::http::HeaderMap,
    /// The body as JSON (`Null` when it is not JSON).
    pub json: Value,
    /// The body as text.
    pub text: String,
}

impl Resp {
    /// Asserts the status and returns the JSON body.
    #[track_caller]
    pub fn expect(&self, status: StatusCode) -> &Value {
        assert_eq!(
            self.status, status,
            "unexpected status; body: {}",
            self.text
        );
        &self.json
    }

    /// Asserts an error answer with `status` and `code`.
    #[track_caller]
    pub fn expect_error(&self, status: StatusCode, code: &str) {
        assert_eq!(
            self.status, status,
            "unexpected status; body: {}",
            self.text
        );
        assert_eq!(
            self.json["error"]["code"], code,
            "unexpected error code; body: {}",
            self.text
        );
    }

    /// The `id` of a receipt answered with 201.
    #[track_caller]
    pub fn created_id(&self) -> Uuid {
        self.expect(StatusCode::CREATED);
        Uuid::parse_str(self.json["id"].as_str().unwrap()).unwrap()
    }
}

/// Checks the error format: `{"error": {"code": string, "message": string}}` and nothing
/// else, and no storage internals in the text.
#[track_caller]
pub fn assert_error_shape(status: StatusCode, json: &Value, text: &str) {
    let obj = json
        .as_object()
        .unwrap_or_else(|| panic!("{status}: error body is not a JSON object: {text:?}"));
    assert_eq!(
        obj.len(),
        1,
        "{status}: error body has extra members: {text}"
    );
    let err = json["error"]
        .as_object()
        .unwrap_or_else(|| panic!("{status}: no `error` object: {text}"));
    assert_eq!(err.len(), 2, "{status}: `error` has extra members: {text}");
    let code = err["code"]
        .as_str()
        .unwrap_or_else(|| panic!("{status}: `error.code` is not a string: {text}"));
    assert!(!code.is_empty(), "{status}: empty error code");
    assert!(
        err["message"].is_string(),
        "{status}: `error.message` is not a string: {text}"
    );
    for leak in ["sqlx", "SELECT", "postgres://"] {
        assert!(
            !text.contains(leak),
            "{status}: error body leaks `{leak}`: {text}"
        );
    }
}

/// The application under test and its router.
pub struct Harness {
    /// The application.
    pub app: App,
    /// The router built by `iwt_http::router`.
    pub router: Router,
    /// An administrator API token.
    pub token: String,
}

impl Harness {
    async fn open(url: &str) -> Self {
        let store = iwt_store::open(url).await.unwrap();
        let app = App::new(store, Arc::new(SystemClock));
        let (_, token) = app
            .create_token(&Principal::console(), "test", Role::Admin)
            .await
            .unwrap();
        let router = iwt_http::router(app.clone());
        Self { app, router, token }
    }

    /// A new API token with `role`.
    pub async fn token_for(&self, role: Role) -> String {
        let name = format!("test-{}", role.as_str());
        self.app
            .create_token(&Principal::console(), &name, role)
            .await
            .unwrap()
            .1
    }

    /// Sends a request through the router. Every answer that is not a success must
    /// use the error format (checked here, for every test).
    pub async fn call(&self, req: Req) -> Resp {
        let path = req.path.clone();
        let resp = self.router.clone().oneshot(req.build()).await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        if !status.is_success() && path.starts_with("/api/") {
            assert_error_shape(status, &json, &text);
        }
        Resp {
            status,
            headers,
            json,
            text,
        }
    }

    /// GET as the administrator.
    pub async fn get(&self, path: &str) -> Resp {
        self.call(Req::get(path).bearer(&self.token)).await
    }

    /// POST a JSON body as the administrator.
    pub async fn post(&self, path: &str, body: &Value) -> Resp {
        self.call(Req::post(path).bearer(&self.token).json(body))
            .await
    }

    /// POSTs and expects 201; returns the record id of the receipt.
    pub async fn create(&self, path: &str, body: &Value) -> Uuid {
        let r = self.post(path, body).await;
        assert_eq!(
            r.status,
            StatusCode::CREATED,
            "POST {path} failed: {}",
            r.text
        );
        assert_eq!(r.json["duplicate"], false);
        r.created_id()
    }

    /// The ledger's size as reported by `GET /api/v1/ledger`.
    pub async fn ledger_size(&self) -> u64 {
        let r = self.get("/api/v1/ledger").await;
        r.expect(StatusCode::OK)["size"].as_u64().unwrap()
    }

    /// Sends `req` and asserts that it fails with `status` and `code` and that the
    /// ledger (size and root) is unchanged.
    pub async fn refused(&self, req: Req, status: StatusCode, code: &str) -> Resp {
        let before = self
            .get("/api/v1/ledger")
            .await
            .expect(StatusCode::OK)
            .clone();
        let r = self.call(req).await;
        r.expect_error(status, code);
        let after = self
            .get("/api/v1/ledger")
            .await
            .expect(StatusCode::OK)
            .clone();
        assert_eq!(before, after, "a refused request changed the ledger");
        r
    }

    /// A site, a vault and a window location, a unit, a firearm model, a firearm and a
    /// person: the records most tests build on.
    pub async fn basics(&self) -> Basics {
        let site = self.create("/api/v1/sites", &site("HQ")).await;
        let vault = self
            .create("/api/v1/locations", &location(site, "V1", "vault"))
            .await;
        let window = self
            .create("/api/v1/locations", &location(site, "W1", "window"))
            .await;
        let unit = self.create("/api/v1/units", &unit(site, "PATROL-1")).await;
        let model = self
            .create("/api/v1/firearm-models", &firearm_model("17 Gen5"))
            .await;
        let firearm = self
            .create("/api/v1/firearms", &firearm(model, vault, "AB123"))
            .await;
        let person = self
            .create("/api/v1/personnel", &person(unit, "B-4711"))
            .await;
        Basics {
            site,
            vault,
            window,
            unit,
            model,
            firearm,
            person,
            events: 7,
        }
    }
}

/// Ids of the records made by [`Harness::basics`].
#[derive(Debug, Clone, Copy)]
pub struct Basics {
    pub site: Uuid,
    pub vault: Uuid,
    pub window: Uuid,
    pub unit: Uuid,
    pub model: Uuid,
    pub firearm: Uuid,
    pub person: Uuid,
    /// Number of events appended.
    pub events: u64,
}

pub fn site(code: &str) -> Value {
    json!({
        "code": code,
        "name": format!("Site {code}"),
        "country": "DE",
        "timezone": "Europe/Berlin",
        "address": "Hauptstraße 1, Berlin",
    })
}

pub fn location(site_id: Uuid, code: &str, kind: &str) -> Value {
    json!({
        "site_id": site_id,
        "parent_id": null,
        "code": code,
        "name": format!("Location {code}"),
        "kind": kind,
    })
}

pub fn unit(site_id: Uuid, code: &str) -> Value {
    json!({"code": code, "name": format!("Unit {code}"), "site_id": site_id, "parent_unit_id": null})
}

pub fn firearm_model(model: &str) -> Value {
    json!({
        "make": "Glock",
        "manufacturer": "Glock GmbH",
        "model": model,
        "firearm_type": "pistol",
        "action": "semi_automatic",
        "calibres": ["9x19mm"],
        "barrel_length_mm": 114,
        "country_of_manufacture": "AT",
        "ifrt_ref": null,
    })
}

/// A firearm with one manufacture marking whose text is `GLOCK AUSTRIA <serial>`.
pub fn firearm(model_id: Uuid, location_id: Uuid, serial: &str) -> Value {
    json!({
        "model_id": model_id,
        "serial_number": serial,
        "manufacturer": "Glock GmbH",
        "country_of_manufacture": "AT",
        "year_of_manufacture": 2021,
        "origin": "state_stock",
        "weapon_class": "PISTOL-9MM",
        "markings": [{
            "kind": "manufacture",
            "text": format!("GLOCK AUSTRIA {serial}"),
            "location_on_item": "left side of frame",
            "manufacturer": "Glock GmbH",
            "country": "AT",
            "place": "Deutsch-Wagram",
            "year": 2021,
            "importer": null,
            "method": "stamping",
        }],
        "unit_id": null,
        "location_id": location_id,
        "notes": null,
    })
}

pub fn person(unit_id: Uuid, badge: &str) -> Value {
    json!({
        "badge_number": badge,
        "service_number": null,
        "card_uid": null,
        "unit_id": unit_id,
        "rank": "POM",
        "status": "active",
        "given_name": "Zoë",
        "family_name": "Ørsted",
        "date_of_birth": "1990-04-01",
    })
}

pub fn qualification_type(code: &str) -> Value {
    json!({
        "code": code,
        "name": format!("Qualification {code}"),
        "weapon_classes": ["PISTOL-9MM"],
        "validity_days": 365,
        "grace_days": 30,
    })
}

pub fn qualification(person_id: Uuid, type_id: Uuid, issued_on: &str, expires_on: &str) -> Value {
    json!({
        "person_id": person_id,
        "qualification_type_id": type_id,
        "issued_on": issued_on,
        "expires_on": expires_on,
        "certified_by": "Range master Meier",
    })
}

pub fn tag_binding(epc: &str, kind: &str, item_id: Uuid) -> Value {
    json!({"epc": epc, "item": {"kind": kind, "id": item_id}})
}

pub fn ammo_lot(lot: &str) -> Value {
    json!({
        "manufacturer": "Geco",
        "lot_number": lot,
        "calibre": "9x19mm",
        "ammo_type": "ball",
        "year_of_manufacture": 2024,
        "country_of_manufacture": "DE",
        "headstamp": "GECO 9mm",
        "status": "serviceable",
    })
}

pub fn issue(firearm_id: Uuid, person_id: Uuid, location_id: Uuid) -> Value {
    json!({
        "action": "issue",
        "item": {"kind": "firearm", "id": firearm_id},
        "person_id": person_id,
        "location_id": location_id,
    })
}

pub fn return_item(firearm_id: Uuid, person_id: Uuid, location_id: Uuid) -> Value {
    json!({
        "action": "return",
        "item": {"kind": "firearm", "id": firearm_id},
        "person_id": person_id,
        "location_id": location_id,
        "condition": "serviceable",
    })
}

pub fn stock(location_id: Uuid, delta: i64, movement: &str) -> Value {
    json!({"location_id": location_id, "delta": delta, "movement": movement, "person_id": null, "reason": "delivery note 42"})
}
