//! The registry over HTTP end to end: create, read back, list, search, history,
//! correction, issue and return, ammunition stock, the ledger, health and OpenAPI.
#![allow(clippy::unwrap_used)]

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::{Value, json};
use uuid::Uuid;

common::backend_tests!(registry_happy_path, public_routes_need_no_token);

fn ids(list: &Value) -> Vec<Uuid> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| Uuid::parse_str(d["id"].as_str().unwrap()).unwrap())
        .collect()
}

async fn registry_happy_path(h: Harness) {
    // The harness's token issue is the first event.
    let mut events = 1u64;
    assert_eq!(h.ledger_size().await, events);

    let b = h.basics().await;
    events += b.events;

    // Each record reads back as entered.
    let site = h.get(&format!("/api/v1/sites/{}", b.site)).await;
    let site = site.expect(StatusCode::OK);
    assert_eq!(site["kind"], "site");
    assert_eq!(site["id"], json!(b.site));
    assert_eq!(site["record"]["code"], "HQ");
    assert_eq!(site["record"]["address"], "Hauptstraße 1, Berlin");

    let loc = h.get(&format!("/api/v1/locations/{}", b.vault)).await;
    let loc = loc.expect(StatusCode::OK);
    assert_eq!(loc["record"]["site_id"], json!(b.site));
    assert_eq!(loc["record"]["kind"], "vault");

    let unit = h.get(&format!("/api/v1/units/{}", b.unit)).await;
    assert_eq!(unit.expect(StatusCode::OK)["record"]["code"], "PATROL-1");

    let model = h.get(&format!("/api/v1/firearm-models/{}", b.model)).await;
    let model = model.expect(StatusCode::OK);
    assert_eq!(model["record"]["model"], "17 Gen5");
    assert_eq!(model["record"]["calibres"], json!(["9x19mm"]));

    let fa = h.get(&format!("/api/v1/firearms/{}", b.firearm)).await;
    let fa = fa.expect(StatusCode::OK).clone();
    assert_eq!(fa["record"]["serial_number"], "AB123");
    assert_eq!(fa["record"]["model_id"], json!(b.model));
    assert_eq!(fa["record"]["markings"][0]["kind"], "manufacture");
    assert_eq!(fa["record"]["markings"][0]["text"], "GLOCK AUSTRIA AB123");
    assert_eq!(fa["state"]["status"], "in_store");
    assert_eq!(fa["state"]["location_id"], json!(b.vault));
    let created_index = fa["created_index"].as_u64().unwrap();

    let p = h.get(&format!("/api/v1/personnel/{}", b.person)).await;
    let p = p.expect(StatusCode::OK);
    assert_eq!(p["record"]["badge_number"], "B-4711");
    assert_eq!(p["record"]["status"], "active");
    assert_eq!(p["personal"]["given_name"], "Zoë");
    assert_eq!(p["personal"]["family_name"], "Ørsted");
    assert_eq!(p["personal"]["date_of_birth"], "1990-04-01");

    let qt = h
        .create(
            "/api/v1/qualification-types",
            &qualification_type("PISTOL-9MM"),
        )
        .await;
    let q = h
        .create(
            "/api/v1/qualifications",
            &qualification(b.person, qt, "2025-01-15", "2027-01-14"),
        )
        .await;
    events += 2;
    let got = h.get(&format!("/api/v1/qualification-types/{qt}")).await;
    assert_eq!(
        got.expect(StatusCode::OK)["record"]["weapon_classes"],
        json!(["PISTOL-9MM"])
    );
    let got = h.get(&format!("/api/v1/qualifications/{q}")).await;
    let got = got.expect(StatusCode::OK);
    assert_eq!(got["record"]["person_id"], json!(b.person));
    assert_eq!(got["record"]["issued_on"], "2025-01-15");
    assert_eq!(got["record"]["expires_on"], "2027-01-14");

    // A tag binding; the EPC is stored in upper case and shows on the firearm.
    let tag = h
        .create(
            "/api/v1/tag-bindings",
            &tag_binding("e280-1160-6000-0209-f1d2-c3b4", "firearm", b.firearm),
        )
        .await;
    events += 1;
    let got = h.get(&format!("/api/v1/tag-bindings/{tag}")).await;
    let got = got.expect(StatusCode::OK);
    assert_eq!(got["record"]["epc"], "E280116060000209F1D2C3B4");
    assert_eq!(got["state"]["active"], true);
    let fa = h.get(&format!("/api/v1/firearms/{}", b.firearm)).await;
    assert_eq!(
        fa.expect(StatusCode::OK)["state"]["tag_epc"],
        "E280116060000209F1D2C3B4"
    );

    // Listing with paging.
    for serial in ["CD-456", "EF 789"] {
        h.create("/api/v1/firearms", &firearm(b.model, b.vault, serial))
            .await;
        events += 1;
    }
    let all = h.get("/api/v1/firearms").await;
    let all = all.expect(StatusCode::OK);
    assert_eq!(all["total"], 3);
    assert_eq!(all["offset"], 0);
    assert_eq!(all["limit"], 100);
    let all_ids = ids(all);
    assert_eq!(all_ids.len(), 3);
    let mut paged = Vec::new();
    for offset in 0..3 {
        let page = h
            .get(&format!("/api/v1/firearms?offset={offset}&limit=1"))
            .await;
        let page = page.expect(StatusCode::OK);
        assert_eq!(page["total"], 3);
        assert_eq!(page["offset"], offset);
        assert_eq!(page["limit"], 1);
        paged.extend(ids(page));
    }
    assert_eq!(paged, all_ids, "pages of one follow the full list's order");
    let past = h.get("/api/v1/firearms?offset=3&limit=10").await;
    let past = past.expect(StatusCode::OK);
    assert_eq!(past["items"], json!([]));
    assert_eq!(past["total"], 3);
    let two = h.get("/api/v1/firearms?offset=1&limit=2").await;
    assert_eq!(ids(two.expect(StatusCode::OK)), all_ids[1..].to_vec());

    // Search: exact serial (normalised), prefix, marking, EPC.
    let found = h.get("/api/v1/firearms/search?serial=ab-12%203").await;
    let found = found.expect(StatusCode::OK);
    assert_eq!(ids(found), vec![b.firearm]);
    assert_eq!(found["total"], 1);
    let none = h.get("/api/v1/firearms/search?serial=AB12").await;
    assert_eq!(
        none.expect(StatusCode::OK)["total"],
        0,
        "exact search is not a prefix search"
    );
    let found = h.get("/api/v1/firearms/search?serial_prefix=ab1").await;
    assert_eq!(ids(found.expect(StatusCode::OK)), vec![b.firearm]);
    let found = h.get("/api/v1/firearms/search?serial_prefix=e").await;
    let found = found.expect(StatusCode::OK);
    assert_eq!(found["total"], 1);
    assert_eq!(found["items"][0]["record"]["serial_number"], "EF 789");
    let found = h
        .get("/api/v1/firearms/search?marking=glock%20austria%20ab-123")
        .await;
    assert_eq!(ids(found.expect(StatusCode::OK)), vec![b.firearm]);
    let found = h
        .get("/api/v1/firearms/search?epc=e280116060000209f1d2c3b4")
        .await;
    let found = found.expect(StatusCode::OK);
    assert_eq!(ids(found), vec![b.firearm]);
    assert_eq!(found["total"], 1);
    // Paging applies to every criterion.
    for q in [
        "epc=e280116060000209f1d2c3b4",
        "serial=ab123",
        "serial_prefix=AB",
        "marking=GLOCK%20AUSTRIA%20AB123",
    ] {
        let page = h
            .get(&format!("/api/v1/firearms/search?{q}&offset=1&limit=5"))
            .await;
        let page = page.expect(StatusCode::OK);
        assert_eq!(page["items"], json!([]), "{q}");
        assert_eq!(page["total"], 1, "{q}");
        assert_eq!(page["offset"], 1, "{q}");
    }
    let found = h
        .get("/api/v1/firearms/search?epc=E2801160600002090000")
        .await;
    assert_eq!(found.expect(StatusCode::OK)["total"], 0);

    // History: the creation and the tag binding.
    let hist = h
        .get(&format!("/api/v1/firearms/{}/history", b.firearm))
        .await;
    let hist = hist.expect(StatusCode::OK).as_array().unwrap().clone();
    let types: Vec<&str> = hist
        .iter()
        .map(|e| e["event_type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["record_created", "record_created"]);
    assert_eq!(hist[0]["index"], created_index);
    assert_eq!(hist[0]["body"]["record"]["kind"], "firearm");
    assert_eq!(hist[1]["body"]["record"]["kind"], "tag_binding");
    assert_eq!(hist[1]["body"]["record"]["data"]["id"], json!(tag));

    // A correction of the firearm names the creating event and keeps it in history.
    let mut corrected = firearm(b.model, b.vault, "AB123");
    corrected["notes"] = json!("grip replaced 2025-03");
    corrected["year_of_manufacture"] = json!(2020);
    let r = h
        .post(
            &format!("/api/v1/firearms/{}/corrections", b.firearm),
            &json!({"reason": "year misread from the paper register", "corrects": created_index, "record": corrected}),
        )
        .await;
    let receipt = r.expect(StatusCode::CREATED).clone();
    assert_eq!(receipt["id"], json!(b.firearm));
    assert_eq!(receipt["duplicate"], false);
    events += 1;
    let fa = h.get(&format!("/api/v1/firearms/{}", b.firearm)).await;
    let fa = fa.expect(StatusCode::OK);
    assert_eq!(fa["record"]["year_of_manufacture"], 2020);
    assert_eq!(fa["record"]["notes"], "grip replaced 2025-03");
    assert_eq!(fa["corrections"], json!([receipt["index"]]));
    assert_eq!(fa["created_index"], created_index);
    assert_eq!(
        fa["state"]["tag_epc"], "E280116060000209F1D2C3B4",
        "a correction keeps the derived state"
    );
    let hist = h
        .get(&format!("/api/v1/firearms/{}/history", b.firearm))
        .await;
    let hist = hist.expect(StatusCode::OK).as_array().unwrap().clone();
    assert_eq!(hist.len(), 3);
    assert_eq!(
        hist[0]["body"]["record"]["data"]["year_of_manufacture"], 2021,
        "the original stays"
    );
    assert_eq!(hist[0]["corrects"], Value::Null);
    let last = &hist[2];
    assert_eq!(last["event_type"], "record_corrected");
    assert_eq!(last["corrects"], created_index);
    assert_eq!(last["reason"], "year misread from the paper register");
    assert_eq!(last["index"], receipt["index"]);
    assert_eq!(last["leaf_hash"], receipt["leaf_hash"]);
    // History pages.
    let page = h
        .get(&format!(
            "/api/v1/firearms/{}/history?offset=1&limit=1",
            b.firearm
        ))
        .await;
    let page = page.expect(StatusCode::OK).as_array().unwrap().clone();
    assert_eq!(page.len(), 1);
    assert_eq!(page[0]["index"], hist[1]["index"]);

    // Issue, then return.
    let r = h
        .post(
            "/api/v1/items/events",
            &issue(b.firearm, b.person, b.window),
        )
        .await;
    assert_eq!(r.expect(StatusCode::CREATED)["id"], json!(b.firearm));
    events += 1;
    let fa = h.get(&format!("/api/v1/firearms/{}", b.firearm)).await;
    let fa = fa.expect(StatusCode::OK);
    assert_eq!(fa["state"]["status"], "issued");
    assert_eq!(fa["state"]["custodian_id"], json!(b.person));
    h.post(
        "/api/v1/items/events",
        &return_item(b.firearm, b.person, b.vault),
    )
    .await
    .expect(StatusCode::CREATED);
    events += 1;
    let fa = h.get(&format!("/api/v1/firearms/{}", b.firearm)).await;
    let fa = fa.expect(StatusCode::OK);
    assert_eq!(fa["state"]["status"], "in_store");
    assert_eq!(fa["state"]["custodian_id"], Value::Null);
    assert_eq!(fa["state"]["location_id"], json!(b.vault));
    // A status change.
    let r = h
        .post(
            "/api/v1/items/events",
            &json!({"action": "status", "item": {"kind": "firearm", "id": b.firearm}, "status": "under_repair",
                    "location_id": null, "reason": "trigger check"}),
        )
        .await;
    r.expect(StatusCode::CREATED);
    events += 1;
    let fa = h.get(&format!("/api/v1/firearms/{}", b.firearm)).await;
    assert_eq!(fa.expect(StatusCode::OK)["state"]["status"], "under_repair");

    // Ammunition stock.
    let lot = h.create("/api/v1/ammo-lots", &ammo_lot("L-2024-001")).await;
    events += 1;
    let r = h
        .post(
            &format!("/api/v1/ammo-lots/{lot}/stock"),
            &stock(b.vault, 1000, "receipt"),
        )
        .await;
    assert_eq!(r.expect(StatusCode::CREATED)["id"], json!(lot));
    h.post(
        &format!("/api/v1/ammo-lots/{lot}/stock"),
        &stock(b.vault, -150, "issue"),
    )
    .await
    .expect(StatusCode::CREATED);
    events += 2;
    let st = h.get("/api/v1/ammo-stock").await;
    let st = st.expect(StatusCode::OK);
    assert_eq!(st["total"], 1);
    assert_eq!(st["items"][0]["record"]["lot_id"], json!(lot));
    assert_eq!(st["items"][0]["record"]["location_id"], json!(b.vault));
    assert_eq!(st["items"][0]["state"]["quantity"], 850);

    // The ledger holds exactly the events recorded.
    let ledger = h.get("/api/v1/ledger").await;
    let ledger = ledger.expect(StatusCode::OK);
    assert_eq!(ledger["size"], events);
    assert_eq!(ledger["root"].as_str().unwrap().len(), 64);
    let entries = h.get("/api/v1/ledger/events?from=0&limit=1000").await;
    let entries = entries.expect(StatusCode::OK).as_array().unwrap().clone();
    assert_eq!(entries.len() as u64, events);
    for (i, e) in entries.iter().enumerate() {
        assert_eq!(e["index"], i as u64);
    }
    assert_eq!(entries[0]["event_type"], "api_token_issued");
    let verify = iwt_app::verify::verify(h.app.store().as_ref())
        .await
        .unwrap();
    assert!(verify.ok(), "{:#?}", verify.problems);
}

async fn public_routes_need_no_token(h: Harness) {
    let r = h.call(Req::get("/healthz")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.text, "ok\n");

    let r = h.call(Req::get("/api/v1/openapi.json")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(
        r.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let doc: Value = serde_json::from_str(&r.text).expect("the OpenAPI document is JSON");
    assert!(doc["openapi"].as_str().unwrap().starts_with('3'));
    let paths = doc["paths"].as_object().unwrap();
    for p in [
        "/api/v1/firearms",
        "/api/v1/firearms/{id}",
        "/api/v1/firearms/search",
        "/api/v1/items/events",
        "/api/v1/ledger",
        "/api/v1/setup",
    ] {
        assert!(paths.contains_key(p), "OpenAPI document lacks {p}");
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    assert_eq!(
        doc,
        iwt_http::openapi_json().parse::<Value>().unwrap(),
        "served document = generated document"
    );

    let r = h.call(Req::get("/")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains("/api/v1/openapi.json"));
}
