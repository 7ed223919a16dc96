//! Accounts, the one-time set-up code, sessions, API tokens and role checks. Runs on
//! both backends.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use iwt_app::AppError;
use iwt_app::commands::Meta;
use iwt_domain::{EntityKind, Role};
use iwt_store::PageReq;
use std::sync::Arc;

common::backend_tests!(
    setup_code_creates_the_first_admin_once,
    login_and_sessions,
    api_tokens,
    tampered_tokens_fail,
    roles_without_write_access_are_refused,
);

fn unauthenticated<T: std::fmt::Debug>(r: Result<T, AppError>) {
    match r {
        Err(AppError::Unauthenticated) => {}
        other => panic!("expected Unauthenticated, got {other:?}"),
    }
}

async fn setup_code_creates_the_first_admin_once(db: Arc<TestDb>) {
    let app = app(&db).await;
    // No set-up before a code was issued.
    unauthenticated(
        app.complete_setup("", "root", "correct horse battery")
            .await,
    );
    let code = app
        .setup_code_if_needed()
        .await
        .unwrap()
        .expect("an empty installation gets a code");
    assert_eq!(code.len(), 24);
    // A new code replaces the old one.
    let code2 = app.setup_code_if_needed().await.unwrap().unwrap();
    assert_ne!(code, code2);
    unauthenticated(
        app.complete_setup(&code, "root", "correct horse battery")
            .await,
    );
    unauthenticated(
        app.complete_setup("00", "root", "correct horse battery")
            .await,
    );
    // A short password is refused and the code stays usable.
    let e = app
        .complete_setup(&code2, "root", "short")
        .await
        .unwrap_err();
    assert_eq!(e.code(), "invalid_field");
    assert_eq!(app.store().account_count().await.unwrap(), 0);

    let id = app
        .complete_setup(&format!(" {code2}\n"), "Root", "correct horse battery")
        .await
        .unwrap();
    let cred = app.store().credential(id).await.unwrap().unwrap();
    assert_eq!(
        (
            cred.kind.as_str(),
            cred.role.as_str(),
            cred.username.as_deref()
        ),
        ("password", "admin", Some("root"))
    );
    assert!(
        cred.secret_hash.starts_with("$argon2id$"),
        "only the Argon2id hash is stored"
    );
    let doc = app
        .store()
        .doc(EntityKind::Account, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(doc["record"]["username"], "root");

    // Used once; no new code once an account exists.
    unauthenticated(
        app.complete_setup(&code2, "root2", "correct horse battery")
            .await,
    );
    assert_eq!(app.setup_code_if_needed().await.unwrap(), None);
    assert_eq!(app.store().account_count().await.unwrap(), 1);
    assert_verifies(app.store().as_ref()).await;
}

async fn login_and_sessions(db: Arc<TestDb>) {
    let app = app(&db).await;
    let code = app.setup_code_if_needed().await.unwrap().unwrap();
    let admin_id = app
        .complete_setup(&code, "root", "correct horse battery")
        .await
        .unwrap();

    let (token, who) = app.login("ROOT", "correct horse battery").await.unwrap();
    assert_eq!((who.id, who.role), (admin_id, Role::Admin));
    let p = app.authenticate(&token).await.unwrap();
    assert_eq!(
        (p.id, p.role, p.name.as_str()),
        (admin_id, Role::Admin, "root"),
        "a session acts as its account"
    );
    unauthenticated(app.login("root", "wrong horse battery").await);
    unauthenticated(app.login("nobody", "correct horse battery").await);

    // An armorer account created by the admin can log in with its role.
    let armorer = app
        .create_account(&p, "Armorer.One", "another long password", Role::Armorer)
        .await
        .unwrap();
    let (t2, who2) = app
        .login("armorer.one", "another long password")
        .await
        .unwrap();
    assert_eq!((who2.id, who2.role), (armorer, Role::Armorer));
    let p2 = app.authenticate(&t2).await.unwrap();
    assert_eq!((p2.id, p2.role), (armorer, Role::Armorer));
    // User names are unique regardless of case.
    let e = app
        .create_account(&p, "ARMORER.ONE", "another long password", Role::Officer)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "duplicate");
    let e = app
        .create_account(&p, "bad name!", "another long password", Role::Officer)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "invalid_field");
    // Only an administrator creates accounts.
    let e = app
        .create_account(&p2, "x", "another long password", Role::Admin)
        .await
        .unwrap_err();
    assert!(matches!(e, AppError::Forbidden(_)), "{e:?}");
    // A password account's id is not a bearer token.
    unauthenticated(
        app.authenticate(&format!("iwt_{}_{}", admin_id.simple(), "00"))
            .await,
    );
    assert_eq!(app.store().account_count().await.unwrap(), 2);
    assert_verifies(app.store().as_ref()).await;
}

async fn api_tokens(db: Arc<TestDb>) {
    let app = app(&db).await;
    let (id, token) = app
        .create_token(&admin(), "nightly export", Role::Auditor)
        .await
        .unwrap();
    assert!(token.starts_with(&format!("iwt_{}_", id.simple())));
    let p = app.authenticate(&token).await.unwrap();
    assert_eq!(
        (p.id, p.role, p.name.as_str()),
        (id, Role::Auditor, "nightly export")
    );
    let cred = app.store().credential(id).await.unwrap().unwrap();
    assert!(
        !token.contains(&cred.secret_hash),
        "the secret itself is not stored"
    );
    assert_eq!(
        app.store().account_count().await.unwrap(),
        0,
        "a token is not an account"
    );

    let (_, armorer_token) = app
        .create_token(&admin(), "window kiosk", Role::Armorer)
        .await
        .unwrap();
    let armorer = app.authenticate(&armorer_token).await.unwrap();
    assert_eq!(armorer.role, Role::Armorer);
    // Tokens act with their role: the armorer token may write, but not issue tokens.
    create(&app, site("HQ")).await;
    app.create_record(&armorer, site("NORTH"), None, Meta::default())
        .await
        .unwrap();
    let e = app
        .create_token(&armorer, "escalate", Role::Admin)
        .await
        .unwrap_err();
    assert!(matches!(e, AppError::Forbidden(_)), "{e:?}");
    let e = app
        .create_token(&admin(), "  ", Role::Auditor)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "invalid_field");
    let history = app
        .history(&p, EntityKind::Account, id, PageReq::default())
        .await
        .unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].event_type, "api_token_issued");
    assert_verifies(app.store().as_ref()).await;
}

async fn tampered_tokens_fail(db: Arc<TestDb>) {
    let app = app(&db).await;
    let (id, token) = app
        .create_token(&admin(), "reader", Role::Officer)
        .await
        .unwrap();
    app.authenticate(&token).await.unwrap();
    let flip_last = |t: &str| {
        let mut s = t.to_owned();
        let last = s.pop().unwrap();
        s.push(if last == '0' { '1' } else { '0' });
        s
    };
    let (other, other_token) = app
        .create_token(&admin(), "other", Role::Admin)
        .await
        .unwrap();
    let secret = token.rsplit('_').next().unwrap();
    let other_secret = other_token.rsplit('_').next().unwrap();
    let forged = [
        flip_last(&token),
        token[..token.len() - 1].to_owned(),
        format!("{token}0"),
        token.replacen("iwt_", "iwx_", 1),
        token.to_uppercase(),
        String::new(),
        "iwt_".to_owned(),
        format!("iwt_{}_", id.simple()),
        // Another token's secret under this id, and this secret under another id.
        format!("iwt_{}_{other_secret}", id.simple()),
        format!("iwt_{}_{secret}", other.simple()),
        format!("iwt_{}_{secret}", uuid::Uuid::now_v7().simple()),
    ];
    for t in &forged {
        unauthenticated(app.authenticate(t).await);
    }
    // A session token with a changed secret.
    let code = app.setup_code_if_needed().await.unwrap().unwrap();
    app.complete_setup(&code, "root", "correct horse battery")
        .await
        .unwrap();
    let (session, _) = app.login("root", "correct horse battery").await.unwrap();
    app.authenticate(&session).await.unwrap();
    unauthenticated(app.authenticate(&flip_last(&session)).await);
}

async fn roles_without_write_access_are_refused(db: Arc<TestDb>) {
    let app = app(&db).await;
    let (s, _) = create(&app, site("HQ")).await;
    let before = app.store().log_state().await.unwrap();
    for role in [Role::Officer, Role::Auditor, Role::Device] {
        let who = principal(role);
        let e = app
            .create_record(&who, site("NEW"), None, Meta::default())
            .await
            .unwrap_err();
        assert!(
            matches!(e, AppError::Forbidden(_)),
            "{role:?} created a record: {e:?}"
        );
        assert_eq!(e.code(), "forbidden");
        let meta = Meta {
            reason: Some("r".into()),
            ..Meta::default()
        };
        let e = app
            .correct_record(&who, EntityKind::Site, s, site("HQ2"), None, None, meta)
            .await
            .unwrap_err();
        assert!(
            matches!(e, AppError::Forbidden(_)),
            "{role:?} corrected a record: {e:?}"
        );
        let e = app.create_token(&who, "t", Role::Admin).await.unwrap_err();
        assert!(
            matches!(e, AppError::Forbidden(_)),
            "{role:?} issued a token: {e:?}"
        );
    }
    // Officers and auditors may read, devices may not.
    app.get_doc(&principal(Role::Officer), EntityKind::Site, s)
        .await
        .unwrap();
    app.get_doc(&principal(Role::Auditor), EntityKind::Site, s)
        .await
        .unwrap();
    let e = app
        .get_doc(&principal(Role::Device), EntityKind::Site, s)
        .await
        .unwrap_err();
    assert!(matches!(e, AppError::Forbidden(_)));
    // The writing roles may.
    for (i, role) in [Role::Armorer, Role::Supervisor, Role::Compliance]
        .into_iter()
        .enumerate()
    {
        app.create_record(
            &principal(role),
            site(&format!("W{i}")),
            None,
            Meta::default(),
        )
        .await
        .unwrap();
    }
    assert_eq!(app.store().log_state().await.unwrap().size, before.size + 3);
    // The same through a real token.
    let (_, t) = app
        .create_token(&admin(), "officer app", Role::Officer)
        .await
        .unwrap();
    let officer = app.authenticate(&t).await.unwrap();
    let e = app
        .create_record(&officer, site("VIA-TOKEN"), None, Meta::default())
        .await
        .unwrap_err();
    assert!(matches!(e, AppError::Forbidden(_)));
}
