//! Refused requests: each gets its status and error code, and none changes the ledger.
//! Also idempotent retries with `Idempotency-Key`.
#![allow(clippy::unwrap_used)]

mod common;

use axum::http::{Method, StatusCode};
use common::*;
use serde_json::json;
use uuid::Uuid;

common::backend_tests!(
    malformed_requests,
    invalid_records,
    unknown_ids_and_bad_paths,
    bad_corrections,
    bad_item_events,
    bad_searches,
    idempotent_retries,
);

const UNPROCESSABLE: StatusCode = StatusCode::UNPROCESSABLE_ENTITY;

fn post(token: &str, path: &str) -> Req {
    Req::post(path).bearer(token)
}

async fn malformed_requests(h: Harness) {
    let t = h.token.as_str();
    h.basics().await;
    // Malformed JSON.
    for body in ["{\"code\": ", "not json", "", "{\"code\": \"X\",}"] {
        let req = post(t, "/api/v1/sites").raw("application/json", body);
        h.refused(req, StatusCode::BAD_REQUEST, "malformed_json")
            .await;
    }
    // Wrong or missing content type.
    let body = serde_json::to_vec(&site("NORTH")).unwrap();
    h.refused(
        post(t, "/api/v1/sites").raw("text/plain", body.clone()),
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
    h.refused(
        post(t, "/api/v1/sites").raw("application/x-www-form-urlencoded", body.clone()),
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
    let no_type = post(t, "/api/v1/sites").body(body.clone());
    h.refused(
        no_type,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
    // Unknown fields, wrong types, missing fields, unknown vocabulary.
    let mut unknown = site("NORTH");
    unknown["colour"] = json!("red");
    h.refused(
        post(t, "/api/v1/sites").json(&unknown),
        UNPROCESSABLE,
        "invalid_body",
    )
    .await;
    let mut wrong_type = site("NORTH");
    wrong_type["code"] = json!(42);
    h.refused(
        post(t, "/api/v1/sites").json(&wrong_type),
        UNPROCESSABLE,
        "invalid_body",
    )
    .await;
    let mut missing = site("NORTH");
    missing.as_object_mut().unwrap().remove("country");
    h.refused(
        post(t, "/api/v1/sites").json(&missing),
        UNPROCESSABLE,
        "invalid_body",
    )
    .await;
    h.refused(
        post(t, "/api/v1/sites").json(&json!([1, 2])),
        UNPROCESSABLE,
        "invalid_body",
    )
    .await;
    let mut model = firearm_model("19");
    model["firearm_type"] = json!("bazooka");
    h.refused(
        post(t, "/api/v1/firearm-models").json(&model),
        UNPROCESSABLE,
        "invalid_body",
    )
    .await;
    // Oversized body: more than 256 KiB.
    let mut huge = site("NORTH");
    huge["address"] = json!("x".repeat(300 * 1024));
    h.refused(
        post(t, "/api/v1/sites").json(&huge),
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
    )
    .await;
    let huge = format!("\"{}\"", "x".repeat(iwt_http::MAX_BODY + 1));
    h.refused(
        post(t, "/api/v1/items/events").raw("application/json", huge),
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
    )
    .await;
    // Unknown routes.
    h.refused(
        Req::get("/api/v1/nothing-here").bearer(t),
        StatusCode::NOT_FOUND,
        "no_such_route",
    )
    .await;
}

async fn invalid_records(h: Harness) {
    let t = h.token.as_str();
    let b = h.basics().await;
    // A firearm of an unknown model, at an unknown location, of an unknown unit.
    let mut f = firearm(Uuid::now_v7(), b.vault, "NEW-1");
    h.refused(
        post(t, "/api/v1/firearms").json(&f),
        UNPROCESSABLE,
        "unknown_reference",
    )
    .await;
    f["model_id"] = json!(b.model);
    f["location_id"] = json!(b.model);
    let r = h
        .refused(
            post(t, "/api/v1/firearms").json(&f),
            UNPROCESSABLE,
            "unknown_reference",
        )
        .await;
    assert!(
        r.json["error"]["message"]
            .as_str()
            .unwrap()
            .contains("location_id"),
        "{}",
        r.text
    );
    f["location_id"] = json!(b.vault);
    f["unit_id"] = json!(Uuid::now_v7());
    h.refused(
        post(t, "/api/v1/firearms").json(&f),
        UNPROCESSABLE,
        "unknown_reference",
    )
    .await;
    // A person of an unknown unit; a tag binding to an unknown firearm.
    h.refused(
        post(t, "/api/v1/personnel").json(&person(Uuid::now_v7(), "B-1")),
        UNPROCESSABLE,
        "unknown_reference",
    )
    .await;
    let tb = tag_binding("E2801160600002090001", "firearm", Uuid::now_v7());
    h.refused(
        post(t, "/api/v1/tag-bindings").json(&tb),
        UNPROCESSABLE,
        "unknown_reference",
    )
    .await;

    // The same serial for the same manufacturer, spelled differently.
    for serial in ["AB123", "ab123", "ab 12-3", " A-B-1-2-3 "] {
        let r = h
            .refused(
                post(t, "/api/v1/firearms").json(&firearm(b.model, b.vault, serial)),
                StatusCode::CONFLICT,
                "duplicate",
            )
            .await;
        assert!(
            r.json["error"]["message"]
                .as_str()
                .unwrap()
                .contains(&b.firearm.to_string()),
            "{}",
            r.text
        );
    }
    let mut other_case = firearm(b.model, b.vault, "AB123");
    other_case["manufacturer"] = json!("GLOCK gmbh");
    h.refused(
        post(t, "/api/v1/firearms").json(&other_case),
        StatusCode::CONFLICT,
        "duplicate",
    )
    .await;
    // Other duplicate keys: site code, badge number, EPC.
    h.refused(
        post(t, "/api/v1/sites").json(&site("hq")),
        StatusCode::CONFLICT,
        "duplicate",
    )
    .await;
    h.refused(
        post(t, "/api/v1/personnel").json(&person(b.unit, "b 4711")),
        StatusCode::CONFLICT,
        "duplicate",
    )
    .await;
    h.create(
        "/api/v1/tag-bindings",
        &tag_binding("E2801160600002090001", "firearm", b.firearm),
    )
    .await;
    let other = h
        .create("/api/v1/firearms", &firearm(b.model, b.vault, "CD456"))
        .await;
    let tb = tag_binding("e280 1160 6000 0209 0001", "firearm", other);
    h.refused(
        post(t, "/api/v1/tag-bindings").json(&tb),
        StatusCode::CONFLICT,
        "duplicate",
    )
    .await;
    // Creating a record with an id that exists.
    let mut again = site("OTHER");
    again["id"] = json!(b.site);
    h.refused(
        post(t, "/api/v1/sites").json(&again),
        StatusCode::CONFLICT,
        "invalid_state",
    )
    .await;

    // Dates: not a date, and expiry before issue.
    let qt = h
        .create("/api/v1/qualification-types", &qualification_type("P9"))
        .await;
    let q = qualification(b.person, qt, "2025-01-01", "2026-02-30");
    h.refused(
        post(t, "/api/v1/qualifications").json(&q),
        UNPROCESSABLE,
        "invalid_body",
    )
    .await;
    let q = qualification(b.person, qt, "2025-13-01", "2026-01-01");
    h.refused(
        post(t, "/api/v1/qualifications").json(&q),
        UNPROCESSABLE,
        "invalid_body",
    )
    .await;
    let q = qualification(b.person, qt, "2026-03-01", "2026-02-28");
    let r = h
        .refused(
            post(t, "/api/v1/qualifications").json(&q),
            UNPROCESSABLE,
            "invalid_field",
        )
        .await;
    assert!(
        r.json["error"]["message"]
            .as_str()
            .unwrap()
            .contains("expires_on"),
        "{}",
        r.text
    );

    // Field bounds and formats.
    let long = firearm_model(&"M".repeat(10_000));
    let r = h
        .refused(
            post(t, "/api/v1/firearm-models").json(&long),
            UNPROCESSABLE,
            "invalid_field",
        )
        .await;
    assert!(
        r.text.len() < 2_000,
        "the error does not echo the oversized value"
    );
    let mut blank = firearm_model("  ");
    h.refused(
        post(t, "/api/v1/firearm-models").json(&blank),
        UNPROCESSABLE,
        "invalid_field",
    )
    .await;
    blank = firearm_model("G19");
    blank["calibres"] = json!([]);
    h.refused(
        post(t, "/api/v1/firearm-models").json(&blank),
        UNPROCESSABLE,
        "invalid_field",
    )
    .await;
    let mut control = site("CTRL");
    control["name"] = json!("bad\u{0007}name");
    h.refused(
        post(t, "/api/v1/sites").json(&control),
        UNPROCESSABLE,
        "invalid_field",
    )
    .await;
    let mut country = site("CTRY");
    country["country"] = json!("de");
    h.refused(
        post(t, "/api/v1/sites").json(&country),
        UNPROCESSABLE,
        "invalid_field",
    )
    .await;
    let mut no_mark = firearm(b.model, b.vault, "NM-1");
    no_mark["markings"][0]["manufacturer"] = json!(null);
    h.refused(
        post(t, "/api/v1/firearms").json(&no_mark),
        UNPROCESSABLE,
        "invalid_field",
    )
    .await;
    let mut notes = firearm(b.model, b.vault, "NT-1");
    notes["notes"] = json!("n".repeat(2_001));
    h.refused(
        post(t, "/api/v1/firearms").json(&notes),
        UNPROCESSABLE,
        "invalid_field",
    )
    .await;
    for epc in ["XYZ12345", "E280", "E28011606"] {
        let tb = tag_binding(epc, "firearm", other);
        h.refused(
            post(t, "/api/v1/tag-bindings").json(&tb),
            UNPROCESSABLE,
            "invalid_field",
        )
        .await;
    }
    let tb = tag_binding("E2801160600002090002", "site", b.site);
    h.refused(
        post(t, "/api/v1/tag-bindings").json(&tb),
        UNPROCESSABLE,
        "invalid_field",
    )
    .await;
    let mut p = person(b.unit, "B-9");
    p["given_name"] = json!(" ");
    h.refused(
        post(t, "/api/v1/personnel").json(&p),
        UNPROCESSABLE,
        "invalid_field",
    )
    .await;
}

async fn unknown_ids_and_bad_paths(h: Harness) {
    let t = h.token.as_str();
    let b = h.basics().await;
    let nobody = Uuid::now_v7();
    for path in [
        format!("/api/v1/firearms/{nobody}"),
        format!("/api/v1/firearms/{nobody}/history"),
        format!("/api/v1/sites/{nobody}"),
        format!("/api/v1/personnel/{nobody}"),
        // A record of another kind under this path.
        format!("/api/v1/firearms/{}", b.site),
        format!("/api/v1/sites/{}/history", b.firearm),
    ] {
        h.refused(
            Req::get(&path).bearer(t),
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
    let corr = json!({"reason": "r", "record": site("HQ")});
    h.refused(
        post(t, &format!("/api/v1/sites/{nobody}/corrections")).json(&corr),
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let unbind = json!({"reason": "tag damaged"});
    h.refused(
        post(t, &format!("/api/v1/tag-bindings/{nobody}/unbind")).json(&unbind),
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    for path in [
        "/api/v1/firearms/not-a-uuid",
        "/api/v1/firearms/123/history",
        "/api/v1/sites/%20",
    ] {
        h.refused(
            Req::get(path).bearer(t),
            StatusCode::BAD_REQUEST,
            "invalid_path",
        )
        .await;
    }
    h.refused(
        post(t, "/api/v1/ammo-lots/xyz/stock").json(&stock(b.vault, 1, "receipt")),
        StatusCode::BAD_REQUEST,
        "invalid_path",
    )
    .await;

    // Paging bounds and malformed query strings.
    for q in ["limit=5000", "limit=0", "limit=1001"] {
        h.refused(
            Req::get(format!("/api/v1/firearms?{q}")).bearer(t),
            UNPROCESSABLE,
            "invalid_field",
        )
        .await;
        h.refused(
            Req::get(format!("/api/v1/ledger/events?{q}")).bearer(t),
            UNPROCESSABLE,
            "invalid_field",
        )
        .await;
    }
    h.refused(
        Req::get(format!("/api/v1/firearms/{}/history?limit=5000", b.firearm)).bearer(t),
        UNPROCESSABLE,
        "invalid_field",
    )
    .await;
    for q in ["limit=-1", "limit=abc", "offset=-5", "page=2"] {
        h.refused(
            Req::get(format!("/api/v1/firearms?{q}")).bearer(t),
            StatusCode::BAD_REQUEST,
            "invalid_query",
        )
        .await;
    }
    h.get("/api/v1/firearms?limit=1000")
        .await
        .expect(StatusCode::OK);
    h.get("/api/v1/firearms?limit=1")
        .await
        .expect(StatusCode::OK);

    // A method the route does not have.
    let r = h
        .call(Req::new(Method::DELETE, format!("/api/v1/firearms/{}", b.firearm)).bearer(t))
        .await;
    r.expect_error(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
    assert!(
        r.headers["allow"].to_str().unwrap().contains("GET"),
        "{:?}",
        r.headers
    );
    let r = h
        .call(
            Req::new(Method::PUT, "/api/v1/firearms")
                .bearer(t)
                .json(&json!({})),
        )
        .await;
    r.expect_error(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
}

async fn bad_corrections(h: Harness) {
    let t = h.token.as_str();
    let b = h.basics().await;
    let path = format!("/api/v1/firearms/{}/corrections", b.firearm);
    let record = firearm(b.model, b.vault, "AB123");
    // No reason, or a blank one.
    h.refused(
        post(t, &path).json(&json!({"reason": "", "record": record})),
        UNPROCESSABLE,
        "invalid_correction",
    )
    .await;
    h.refused(
        post(t, &path).json(&json!({"reason": " \n ", "record": record})),
        UNPROCESSABLE,
        "invalid_correction",
    )
    .await;
    h.refused(
        post(t, &path).json(&json!({"record": record})),
        UNPROCESSABLE,
        "invalid_body",
    )
    .await;
    // Naming an event of another record, or one that does not exist.
    let site_doc = h.get(&format!("/api/v1/sites/{}", b.site)).await;
    let site_index = site_doc.json["created_index"].as_u64().unwrap();
    let body = json!({"reason": "typo", "corrects": site_index, "record": record});
    h.refused(
        post(t, &path).json(&body),
        UNPROCESSABLE,
        "invalid_correction",
    )
    .await;
    let body = json!({"reason": "typo", "corrects": 9_999, "record": record});
    h.refused(
        post(t, &path).json(&body),
        UNPROCESSABLE,
        "invalid_correction",
    )
    .await;
    // A record whose id differs from the path.
    let mut other_id = record.clone();
    other_id["id"] = json!(Uuid::now_v7());
    h.refused(
        post(t, &path).json(&json!({"reason": "typo", "record": other_id})),
        UNPROCESSABLE,
        "invalid_field",
    )
    .await;
    // A correction must still satisfy the record's rules and references.
    let mut bad = record.clone();
    bad["country_of_manufacture"] = json!("Austria");
    h.refused(
        post(t, &path).json(&json!({"reason": "typo", "record": bad})),
        UNPROCESSABLE,
        "invalid_field",
    )
    .await;
    let mut bad = record.clone();
    bad["model_id"] = json!(Uuid::now_v7());
    h.refused(
        post(t, &path).json(&json!({"reason": "typo", "record": bad})),
        UNPROCESSABLE,
        "unknown_reference",
    )
    .await;
    // Correcting into another firearm's serial.
    let other = h
        .create("/api/v1/firearms", &firearm(b.model, b.vault, "CD456"))
        .await;
    let body = json!({"reason": "typo", "record": firearm(b.model, b.vault, "cd-456")});
    h.refused(
        post(t, &path).json(&body),
        StatusCode::CONFLICT,
        "duplicate",
    )
    .await;
    // Correcting a firearm into its own serial, differently spelled, is fine.
    let body = json!({"reason": "spacing", "record": firearm(b.model, b.vault, "CD 456")});
    h.post(&format!("/api/v1/firearms/{other}/corrections"), &body)
        .await
        .expect(StatusCode::CREATED);
    // Reason too long.
    let body = json!({"reason": "r".repeat(2_001), "record": record});
    h.refused(post(t, &path).json(&body), UNPROCESSABLE, "invalid_field")
        .await;
    // `corrects` on an item event.
    let ev = json!({"action": "status", "item": {"kind": "firearm", "id": b.firearm}, "status": "lost", "location_id": null,
                    "reason": "x", "corrects": 1});
    h.refused(
        post(t, "/api/v1/items/events").json(&ev),
        UNPROCESSABLE,
        "invalid_body",
    )
    .await;
}

async fn bad_item_events(h: Harness) {
    let t = h.token.as_str();
    let b = h.basics().await;
    h.post(
        "/api/v1/items/events",
        &issue(b.firearm, b.person, b.window),
    )
    .await
    .expect(StatusCode::CREATED);
    // Issue of an item already issued; return of an item in store.
    h.refused(
        post(t, "/api/v1/items/events").json(&issue(b.firearm, b.person, b.window)),
        StatusCode::CONFLICT,
        "invalid_state",
    )
    .await;
    let other = h
        .create("/api/v1/firearms", &firearm(b.model, b.vault, "CD456"))
        .await;
    h.refused(
        post(t, "/api/v1/items/events").json(&return_item(other, b.person, b.vault)),
        StatusCode::CONFLICT,
        "invalid_state",
    )
    .await;
    // Unknown item, person or location.
    h.refused(
        post(t, "/api/v1/items/events").json(&issue(Uuid::now_v7(), b.person, b.window)),
        UNPROCESSABLE,
        "unknown_reference",
    )
    .await;
    h.refused(
        post(t, "/api/v1/items/events").json(&issue(other, Uuid::now_v7(), b.window)),
        UNPROCESSABLE,
        "unknown_reference",
    )
    .await;
    h.refused(
        post(t, "/api/v1/items/events").json(&issue(other, b.person, Uuid::now_v7())),
        UNPROCESSABLE,
        "unknown_reference",
    )
    .await;
    // A status change may not issue.
    let ev = json!({"action": "status", "item": {"kind": "firearm", "id": other}, "status": "issued", "location_id": null, "reason": "x"});
    h.refused(
        post(t, "/api/v1/items/events").json(&ev),
        UNPROCESSABLE,
        "invalid_field",
    )
    .await;
    // An unknown action.
    let ev = json!({"action": "teleport", "item": {"kind": "firearm", "id": other}});
    h.refused(
        post(t, "/api/v1/items/events").json(&ev),
        UNPROCESSABLE,
        "invalid_body",
    )
    .await;
    // An item of a kind that is no item.
    let ev = json!({"action": "issue", "item": {"kind": "site", "id": b.site}, "person_id": b.person, "location_id": b.window});
    h.refused(
        post(t, "/api/v1/items/events").json(&ev),
        UNPROCESSABLE,
        "invalid_field",
    )
    .await;

    // Ammunition: the stock may not go negative, and zero is no movement.
    let lot = h.create("/api/v1/ammo-lots", &ammo_lot("L-1")).await;
    let stock_path = format!("/api/v1/ammo-lots/{lot}/stock");
    h.refused(
        post(t, &stock_path).json(&stock(b.vault, -1, "issue")),
        StatusCode::CONFLICT,
        "invalid_state",
    )
    .await;
    h.post(&stock_path, &stock(b.vault, 100, "receipt"))
        .await
        .expect(StatusCode::CREATED);
    h.refused(
        post(t, &stock_path).json(&stock(b.vault, -101, "issue")),
        StatusCode::CONFLICT,
        "invalid_state",
    )
    .await;
    h.refused(
        post(t, &stock_path).json(&stock(b.window, -1, "issue")),
        StatusCode::CONFLICT,
        "invalid_state",
    )
    .await;
    h.refused(
        post(t, &stock_path).json(&stock(b.vault, 0, "adjustment")),
        UNPROCESSABLE,
        "invalid_field",
    )
    .await;
    h.refused(
        post(t, &stock_path).json(&stock(b.vault, i64::MIN, "issue")),
        StatusCode::CONFLICT,
        "invalid_state",
    )
    .await;
    h.refused(
        post(t, &format!("/api/v1/ammo-lots/{}/stock", Uuid::now_v7()))
            .json(&stock(b.vault, 5, "receipt")),
        UNPROCESSABLE,
        "unknown_reference",
    )
    .await;
    h.post(&stock_path, &stock(b.vault, -100, "issue"))
        .await
        .expect(StatusCode::CREATED);

    // Unbinding: twice is refused.
    let tag = h
        .create(
            "/api/v1/tag-bindings",
            &tag_binding("E2801160600002090001", "firearm", other),
        )
        .await;
    let unbind = format!("/api/v1/tag-bindings/{tag}/unbind");
    h.post(&unbind, &json!({"reason": "tag damaged"}))
        .await
        .expect(StatusCode::CREATED);
    h.refused(
        post(t, &unbind).json(&json!({"reason": "again"})),
        StatusCode::CONFLICT,
        "invalid_state",
    )
    .await;
    // The EPC is free again for another item.
    h.create(
        "/api/v1/tag-bindings",
        &tag_binding("E2801160600002090001", "firearm", b.firearm),
    )
    .await;
}

async fn bad_searches(h: Harness) {
    let t = h.token.as_str();
    h.basics().await;
    for q in [
        "",
        "?limit=10",
        "?serial=AB123&epc=E2801160",
        "?serial=AB123&serial_prefix=AB",
        "?marking=x&serial_prefix=AB&epc=E2",
    ] {
        h.refused(
            Req::get(format!("/api/v1/firearms/search{q}")).bearer(t),
            UNPROCESSABLE,
            "invalid_field",
        )
        .await;
    }
    let long = "A".repeat(201);
    h.refused(
        Req::get(format!("/api/v1/firearms/search?serial={long}")).bearer(t),
        UNPROCESSABLE,
        "invalid_field",
    )
    .await;
    h.refused(
        Req::get("/api/v1/firearms/search?serial_prefix=-%20-").bearer(t),
        UNPROCESSABLE,
        "invalid_field",
    )
    .await;
    h.refused(
        Req::get("/api/v1/firearms/search?serial=AB123&limit=5000").bearer(t),
        UNPROCESSABLE,
        "invalid_field",
    )
    .await;
    h.refused(
        Req::get("/api/v1/firearms/search?colour=red").bearer(t),
        StatusCode::BAD_REQUEST,
        "invalid_query",
    )
    .await;
}

async fn idempotent_retries(h: Harness) {
    let t = h.token.as_str();
    let b = h.basics().await;
    let key = Uuid::new_v4().to_string();

    // A creation without an id, sent twice with the same key.
    let size = h.ledger_size().await;
    let first = h
        .call(
            post(t, "/api/v1/sites")
                .header("idempotency-key", &key)
                .json(&site("NORTH")),
        )
        .await;
    let first = first.expect(StatusCode::CREATED).clone();
    assert_eq!(first["duplicate"], false);
    assert_eq!(first["event_id"], key.as_str(), "the key is the event id");
    let second = h
        .call(
            post(t, "/api/v1/sites")
                .header("idempotency-key", &key)
                .json(&site("NORTH")),
        )
        .await;
    let second = second.expect(StatusCode::OK).clone();
    assert_eq!(second["duplicate"], true);
    assert_eq!(second["index"], first["index"]);
    assert_eq!(second["event_id"], first["event_id"]);
    assert_eq!(
        second["id"], first["id"],
        "the retry names the record that was created"
    );
    assert_eq!(
        second["leaf_hash"], first["leaf_hash"],
        "the retry names the stored leaf"
    );
    assert_eq!(h.ledger_size().await, size + 1);
    let id = first["id"].as_str().unwrap();
    h.get(&format!("/api/v1/sites/{id}"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(h.get("/api/v1/sites").await.json["total"], 2);

    // The key with surrounding spaces and in upper case is the same key.
    let upper = format!(" {} ", key.to_uppercase());
    let third = h
        .call(
            post(t, "/api/v1/sites")
                .header("idempotency-key", &upper)
                .json(&site("NORTH")),
        )
        .await;
    assert_eq!(third.expect(StatusCode::OK)["index"], first["index"]);
    assert_eq!(h.ledger_size().await, size + 1);

    // Item events, stock movements and corrections are idempotent too.
    let key = Uuid::new_v4().to_string();
    for (n, status) in [(1, StatusCode::CREATED), (2, StatusCode::OK)] {
        let req = post(t, "/api/v1/items/events")
            .header("idempotency-key", &key)
            .json(&issue(b.firearm, b.person, b.window));
        let r = h.call(req).await;
        let r = r.expect(status);
        assert_eq!(r["duplicate"], n == 2);
        assert_eq!(r["id"], json!(b.firearm));
        assert_eq!(h.ledger_size().await, size + 2);
    }
    let lot = h.create("/api/v1/ammo-lots", &ammo_lot("L-7")).await;
    let key = Uuid::new_v4().to_string();
    for status in [StatusCode::CREATED, StatusCode::OK, StatusCode::OK] {
        let req = post(t, &format!("/api/v1/ammo-lots/{lot}/stock"))
            .header("idempotency-key", &key)
            .json(&stock(b.vault, 40, "receipt"));
        h.call(req).await.expect(status);
    }
    let st = h.get("/api/v1/ammo-stock").await;
    assert_eq!(
        st.json["items"][0]["state"]["quantity"], 40,
        "the retried receipt counted once"
    );
    let key = Uuid::new_v4().to_string();
    let body = json!({"reason": "notes", "record": firearm(b.model, b.vault, "AB123")});
    let path = format!("/api/v1/firearms/{}/corrections", b.firearm);
    let first = h
        .call(post(t, &path).header("idempotency-key", &key).json(&body))
        .await;
    let first = first.expect(StatusCode::CREATED).clone();
    let again = h
        .call(post(t, &path).header("idempotency-key", &key).json(&body))
        .await;
    let again = again.expect(StatusCode::OK);
    assert_eq!(again["index"], first["index"]);
    assert_eq!(again["duplicate"], true);
    let doc = h.get(&format!("/api/v1/firearms/{}", b.firearm)).await;
    assert_eq!(doc.json["corrections"], json!([first["index"]]));

    // A refused command does not use up its key.
    let key = Uuid::new_v4().to_string();
    let req = post(t, "/api/v1/firearms")
        .header("idempotency-key", &key)
        .json(&firearm(b.model, b.vault, "ab 123"));
    h.refused(req, StatusCode::CONFLICT, "duplicate").await;
    let req = post(t, "/api/v1/firearms")
        .header("idempotency-key", &key)
        .json(&firearm(b.model, b.vault, "ZZ-9"));
    h.call(req).await.expect(StatusCode::CREATED);

    // Keys that are no UUID.
    for bad in ["not-a-uuid", "12345", ""] {
        let req = post(t, "/api/v1/sites")
            .header("idempotency-key", bad)
            .json(&site("SOUTH"));
        h.refused(req, UNPROCESSABLE, "invalid_field").await;
    }
    let req = post(t, "/api/v1/items/events")
        .header("idempotency-key", "nope")
        .json(&issue(b.firearm, b.person, b.window));
    h.refused(req, UNPROCESSABLE, "invalid_field").await;
}
