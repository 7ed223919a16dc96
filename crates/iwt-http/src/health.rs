//! Liveness: `/healthz` answers 200 when the database is reachable, 503 otherwise.
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Html;

/// Health check.
pub async fn healthz(State(s): State<AppState>) -> (StatusCode, &'static str) {
    match s.app.store().ping().await {
        Ok(()) => (StatusCode::OK, "ok\n"),
        Err(e) => {
            tracing::warn!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable\n")
        }
    }
}

/// A small landing page pointing at the API.
pub async fn index() -> Html<&'static str> {
    Html(concat!(
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>IoTWeaponTracker</title></head>",
        "<body><h1>IoTWeaponTracker</h1><p>The API lives under <code>/api/v1</code>; its description is ",
        "<a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a>. Sign in with ",
        "<code>POST /api/v1/auth/login</code> and send the token as <code>Authorization: Bearer ...</code>.</p>",
        "</body></html>"
    ))
}
