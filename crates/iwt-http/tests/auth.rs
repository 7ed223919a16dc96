//! Authentication and authorisation over HTTP: missing and forged tokens, read-only
//! roles, first-start set-up, sign-in and API tokens.
#![allow(clippy::unwrap_used)]

mod common;

use axum::http::{Method, StatusCode};
use common::*;
use iwt_domain::Role;
use serde_json::json;
use uuid::Uuid;

common::backend_tests!(
    routes_need_a_token,
    forged_tokens_are_refused,
    auditor_reads_but_cannot_write,
    setup_login_and_tokens,
);

/// Requests to the protected routes (a valid body where one is needed, so that only
/// the credentials decide).
fn protected(b: &Basics) -> Vec<Req> {
    let f = b.firearm;
    vec![
        Req::get("/api/v1/firearms"),
        Req::get(format!("/api/v1/firearms/{f}")),
        Req::get(format!("/api/v1/firearms/{f}/history")),
        Req::get("/api/v1/firearms/search?serial=AB123"),
        Req::get("/api/v1/personnel"),
        Req::get(format!("/api/v1/personnel/{}", b.person)),
        Req::get("/api/v1/sites"),
        Req::get("/api/v1/tag-bindings"),
        Req::get("/api/v1/ammo-stock"),
        Req::get("/api/v1/ledger"),
        Req::get("/api/v1/ledger/events"),
        Req::get("/api/v1/auth/me"),
        Req::post("/api/v1/sites").json(&site("NORTH")),
        Req::post("/api/v1/firearms").json(&firearm(b.model, b.vault, "ZZ-1")),
        Req::post(format!("/api/v1/firearms/{f}/corrections"))
            .json(&json!({"reason": "x", "record": firearm(b.model, b.vault, "AB123")})),
        Req::post("/api/v1/items/events").json(&issue(f, b.person, b.window)),
        Req::post("/api/v1/tokens").json(&json!({"name": "x", "role": "admin"})),
        Req::post("/api/v1/accounts").json(
            &json!({"username": "eve", "password": "correct horse battery", "role": "admin"}),
        ),
    ]
}

async fn routes_need_a_token(h: Harness) {
    let b = h.basics().await;
    let size = h.ledger_size().await;
    for req in protected(&b) {
        let r = h.call(req).await;
        r.expect_error(StatusCode::UNAUTHORIZED, "unauthenticated");
        assert_eq!(r.headers["www-authenticate"], "Bearer");
    }
    // Another scheme, or a bare token without the scheme, is no bearer token.
    for value in [
        "Basic YWRtaW46YWRtaW4=",
        h.token.as_str(),
        "Bearer",
        "Bearer ",
    ] {
        let r = h
            .call(Req::get("/api/v1/firearms").header("authorization", value))
            .await;
        r.expect_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    }
    assert_eq!(h.ledger_size().await, size);
}

async fn forged_tokens_are_refused(h: Harness) {
    let b = h.basics().await;
    let size = h.ledger_size().await;
    // A valid token with its secret altered in the last digit.
    let last = h.token.chars().last().unwrap();
    let flipped = if last == '0' { '1' } else { '0' };
    let altered = format!("{}{flipped}", &h.token[..h.token.len() - 1]);
    // The id of the valid token with another secret of the same length.
    let (prefix, secret) = h.token.rsplit_once('_').unwrap();
    let other_secret = format!("{prefix}_{}", "a".repeat(secret.len()));
    let forged = [
        "garbage".to_owned(),
        "iwt_".to_owned(),
        "iwt_not-a-uuid_abcdef".to_owned(),
        format!("iwt_{}_{}", Uuid::now_v7().simple(), "ab".repeat(32)),
        altered,
        other_secret,
        format!("{}x", h.token),
        prefix.to_owned(),
    ];
    for token in &forged {
        for req in protected(&b) {
            let r = h.call(req.bearer(token)).await;
            r.expect_error(StatusCode::UNAUTHORIZED, "unauthenticated");
        }
    }
    // The real token still works, with surrounding spaces too.
    h.get("/api/v1/firearms").await.expect(StatusCode::OK);
    let r = h
        .call(Req::get("/api/v1/auth/me").header("authorization", &format!("Bearer  {} ", h.token)))
        .await;
    assert_eq!(r.expect(StatusCode::OK)["role"], "admin");
    assert_eq!(h.ledger_size().await, size);
}

async fn auditor_reads_but_cannot_write(h: Harness) {
    let b = h.basics().await;
    let auditor = h.token_for(Role::Auditor).await;
    let size = h.ledger_size().await;
    for path in [
        "/api/v1/firearms".to_owned(),
        format!("/api/v1/firearms/{}", b.firearm),
        format!("/api/v1/firearms/{}/history", b.firearm),
        "/api/v1/firearms/search?serial=ab123".to_owned(),
        format!("/api/v1/personnel/{}", b.person),
        "/api/v1/ledger".to_owned(),
        "/api/v1/ledger/events".to_owned(),
        "/api/v1/ammo-stock".to_owned(),
    ] {
        let r = h.call(Req::get(&path).bearer(&auditor)).await;
        assert_eq!(r.status, StatusCode::OK, "auditor GET {path}: {}", r.text);
    }
    let me = h.call(Req::get("/api/v1/auth/me").bearer(&auditor)).await;
    let me = me.expect(StatusCode::OK);
    assert_eq!(me["role"], "auditor");
    assert_eq!(me["name"], "test-auditor");

    let writes = vec![
        Req::post("/api/v1/sites").json(&site("NORTH")),
        Req::post("/api/v1/firearms").json(&firearm(b.model, b.vault, "ZZ-1")),
        Req::post(format!("/api/v1/firearms/{}/corrections", b.firearm))
            .json(&json!({"reason": "typo", "record": firearm(b.model, b.vault, "AB123")})),
        Req::post("/api/v1/items/events").json(&issue(b.firearm, b.person, b.window)),
        Req::post("/api/v1/tokens").json(&json!({"name": "x", "role": "admin"})),
        Req::post("/api/v1/accounts").json(
            &json!({"username": "eve", "password": "correct horse battery", "role": "admin"}),
        ),
    ];
    for req in writes {
        h.refused(req.bearer(&auditor), StatusCode::FORBIDDEN, "forbidden")
            .await;
    }
    assert_eq!(h.ledger_size().await, size);

    // A device token may not even read.
    let device = h.token_for(Role::Device).await;
    h.refused(
        Req::get("/api/v1/firearms").bearer(&device),
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    h.refused(
        Req::get("/api/v1/ledger").bearer(&device),
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
}

fn setup_body(code: &str, username: &str) -> serde_json::Value {
    json!({"code": code, "username": username, "password": "correct horse battery staple"})
}

async fn setup_login_and_tokens(h: Harness) {
    // Before a code was issued, no code works.
    h.refused(
        Req::post("/api/v1/setup").json(&setup_body("00", "chief")),
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;

    let code = h
        .app
        .setup_code_if_needed()
        .await
        .unwrap()
        .expect("an empty installation needs set-up");
    let wrong = match code.strip_prefix('0') {
        Some(rest) => format!("1{rest}"),
        None => format!("0{}", &code[1..]),
    };
    h.refused(
        Req::post("/api/v1/setup").json(&setup_body(&wrong, "chief")),
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    h.refused(
        Req::post("/api/v1/setup").json(&setup_body("", "chief")),
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    // A short password is refused with the right code, and the code stays valid.
    let short = json!({"code": code, "username": "chief", "password": "short"});
    h.refused(
        Req::post("/api/v1/setup").json(&short),
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
    )
    .await;

    let size = h.ledger_size().await;
    let r = h
        .call(Req::post("/api/v1/setup").json(&setup_body(&code, "Chief")))
        .await;
    let account = r.expect(StatusCode::CREATED)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        h.ledger_size().await,
        size + 1,
        "the account is recorded in the ledger"
    );

    // The code is spent, also for another user name; no new code is issued.
    h.refused(
        Req::post("/api/v1/setup").json(&setup_body(&code, "chief")),
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    h.refused(
        Req::post("/api/v1/setup").json(&setup_body(&code, "deputy")),
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    assert_eq!(h.app.setup_code_if_needed().await.unwrap(), None);

    // Sign-in: wrong password and unknown user get the same answer.
    let bad = json!({"username": "chief", "password": "correct horse battery stapler"});
    h.refused(
        Req::post("/api/v1/auth/login").json(&bad),
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    let unknown = json!({"username": "nobody", "password": "correct horse battery staple"});
    h.refused(
        Req::post("/api/v1/auth/login").json(&unknown),
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;

    // User names are case-insensitive.
    let login = json!({"username": "CHIEF", "password": "correct horse battery staple"});
    let r = h.call(Req::post("/api/v1/auth/login").json(&login)).await;
    let t = r.expect(StatusCode::OK).clone();
    assert_eq!(t["role"], "admin");
    assert_eq!(t["principal_id"], account.as_str());
    let session = t["token"].as_str().unwrap().to_owned();
    assert_eq!(h.ledger_size().await, size + 1, "a sign-in appends nothing");

    let me = h.call(Req::get("/api/v1/auth/me").bearer(&session)).await;
    let me = me.expect(StatusCode::OK);
    assert_eq!(me["principal_id"], account.as_str());
    assert_eq!(me["name"], "chief");
    assert_eq!(me["role"], "admin");

    // The session writes, and events record the account as actor.
    let r = h
        .call(
            Req::post("/api/v1/sites")
                .bearer(&session)
                .json(&site("NORTH")),
        )
        .await;
    let index = r.expect(StatusCode::CREATED)["index"].as_u64().unwrap();
    let ev = h
        .get(&format!("/api/v1/ledger/events?from={index}&limit=1"))
        .await;
    assert_eq!(ev.expect(StatusCode::OK)[0]["actor"], account.as_str());

    // The administrator issues an API token for an armorer, which works.
    let r = h
        .call(
            Req::post("/api/v1/tokens")
                .bearer(&session)
                .json(&json!({"name": "window-3", "role": "armorer"})),
        )
        .await;
    let tok = r.expect(StatusCode::CREATED).clone();
    assert_eq!(tok["role"], "armorer");
    let armorer = tok["token"].as_str().unwrap();
    let me = h.call(Req::get("/api/v1/auth/me").bearer(armorer)).await;
    assert_eq!(me.expect(StatusCode::OK)["role"], "armorer");
    // An armorer may write the registry but not issue tokens or create accounts.
    h.call(
        Req::post("/api/v1/sites")
            .bearer(armorer)
            .json(&site("SOUTH")),
    )
    .await
    .expect(StatusCode::CREATED);
    let req = Req::post("/api/v1/tokens")
        .bearer(armorer)
        .json(&json!({"name": "x", "role": "admin"}));
    h.refused(req, StatusCode::FORBIDDEN, "forbidden").await;

    // Accounts: created by the administrator, duplicate names refused.
    let acc = json!({"username": "meier", "password": "another long password", "role": "armorer"});
    let r = h
        .call(Req::post("/api/v1/accounts").bearer(&session).json(&acc))
        .await;
    r.expect(StatusCode::CREATED);
    let dup = json!({"username": "MEIER", "password": "another long password", "role": "armorer"});
    h.refused(
        Req::post("/api/v1/accounts").bearer(&session).json(&dup),
        StatusCode::CONFLICT,
        "duplicate",
    )
    .await;
    let r = h
        .call(
            Req::post("/api/v1/auth/login")
                .json(&json!({"username": "meier", "password": "another long password"})),
        )
        .await;
    assert_eq!(r.expect(StatusCode::OK)["role"], "armorer");

    // A session token is not a password: it cannot sign in, and login needs no token.
    let r = h
        .call(
            Req::new(Method::POST, "/api/v1/auth/login")
                .json(&json!({"username": "chief", "password": session})),
        )
        .await;
    r.expect_error(StatusCode::UNAUTHORIZED, "unauthenticated");
}
