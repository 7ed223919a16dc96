//! The HTTP interface: `/api/v1` JSON with an OpenAPI document generated from the
//! handlers, and `/healthz`. Handlers reach storage only through `iwt-app`; every API
//! call is authenticated with a bearer token and every error maps to one status.
mod auth;
mod error;
mod health;
mod items;
mod ledger;
mod registry;

pub use error::ApiError;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use iwt_app::App;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

/// Largest accepted request body.
pub const MAX_BODY: usize = 256 * 1024;

/// Shared state of the handlers.
#[derive(Clone)]
pub struct AppState {
    /// The application.
    pub app: App,
}

#[derive(OpenApi)]
#[openapi(
    info(title = "IoTWeaponTracker API", description = "Armory registry on a verifiable custody ledger."),
    modifiers(&BearerAuth),
    tags(
        (name = "registry", description = "Registry records: create, read, correct, history"),
        (name = "custody", description = "Custody and stock events"),
        (name = "ledger", description = "The custody ledger"),
        (name = "auth", description = "Set-up, sign-in and tokens"),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(registry::routes())
        .merge(items::routes())
        .merge(ledger::routes())
        .merge(auth::routes())
}

/// The OpenAPI document (also served at `/api/v1/openapi.json`).
pub fn openapi() -> utoipa::openapi::OpenApi {
    api_router().into_openapi()
}

/// The OpenAPI document as pretty JSON, as committed in `openapi.json`.
pub fn openapi_json() -> String {
    openapi().to_pretty_json().unwrap_or_default()
}

/// The whole HTTP application.
pub fn router(app: App) -> Router {
    let (api, doc) = api_router().split_for_parts();
    let doc_json = doc.to_pretty_json().unwrap_or_default();
    let state = AppState { app };
    api.route(
        "/api/v1/openapi.json",
        axum::routing::get(
            move || async move { ([("content-type", "application/json")], doc_json) },
        ),
    )
    .route("/healthz", axum::routing::get(health::healthz))
    .route("/", axum::routing::get(health::index))
    .fallback(error::not_found)
    .method_not_allowed_fallback(error::method_not_allowed)
    .layer(DefaultBodyLimit::max(MAX_BODY))
    .with_state(state)
}
