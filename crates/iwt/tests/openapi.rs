//! The committed `openapi.json` must equal the document generated from the code.
//! Regenerate with `cargo run -- openapi > openapi.json`.
#![allow(clippy::unwrap_used)]

#[test]
fn committed_openapi_matches_the_code() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../openapi.json");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    let generated = format!("{}\n", iwt_http::openapi_json());
    assert!(
        committed == generated,
        "openapi.json is out of date: run `cargo run -- openapi > openapi.json` and commit it"
    );
}

#[test]
fn every_operation_is_documented_with_an_error_body() {
    let doc: serde_json::Value = serde_json::from_str(&iwt_http::openapi_json()).unwrap();
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.contains_key("/api/v1/firearms/search"));
    for (path, item) in paths {
        for (method, op) in item.as_object().unwrap() {
            let responses = op["responses"].as_object().unwrap();
            assert!(
                responses.keys().any(|k| k.starts_with('2')),
                "{method} {path} has no success response"
            );
            if path != "/api/v1/setup" && path != "/api/v1/auth/login" {
                assert!(
                    op["security"].is_array(),
                    "{method} {path} does not declare bearer security"
                );
            }
        }
    }
}
