//! The ledger as seen over the API: tree state and decoded entries.
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiQuery};
use axum::Json;
use axum::extract::State;
use iwt_app::AppError;
use iwt_app::queries::{HistoryEntry, history_entry};
use iwt_domain::DomainError;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Tree size and root.
#[derive(Serialize, ToSchema)]
pub struct LedgerState {
    /// Number of entries.
    pub size: u64,
    /// RFC 6962 root hash, hex.
    pub root: String,
}

/// Entry range.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EntryRange {
    /// First index (default 0).
    pub from: Option<u64>,
    /// Entries to return, 1-1000 (default 100).
    pub limit: Option<u32>,
}

/// The current tree size and root.
#[utoipa::path(get, path = "/api/v1/ledger", tag = "ledger", security(("bearer" = [])),
    responses((status = 200, body = LedgerState), (status = 401, body = crate::error::ErrorBody)))]
pub async fn state(State(s): State<AppState>, who: Caller) -> Result<Json<LedgerState>, ApiError> {
    require_reader(&who)?;
    let st = s.app.store().log_state().await.map_err(AppError::from)?;
    Ok(Json(LedgerState {
        size: st.size,
        root: st.root.iter().map(|b| format!("{b:02x}")).collect(),
    }))
}

/// Decoded ledger entries in index order.
#[utoipa::path(get, path = "/api/v1/ledger/events", tag = "ledger", params(EntryRange), security(("bearer" = [])),
    responses((status = 200, body = Vec<HistoryEntry>), (status = 401, body = crate::error::ErrorBody)))]
pub async fn events(
    State(s): State<AppState>,
    who: Caller,
    ApiQuery(r): ApiQuery<EntryRange>,
) -> Result<Json<Vec<HistoryEntry>>, ApiError> {
    require_reader(&who)?;
    let limit = r.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(DomainError::field("limit", "must be between 1 and 1000").into());
    }
    let entries = s
        .app
        .store()
        .entries(r.from.unwrap_or(0), limit)
        .await
        .map_err(AppError::from)?;
    let out = entries
        .iter()
        .map(history_entry)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Json(out))
}

fn require_reader(who: &Caller) -> Result<(), ApiError> {
    if who.0.role.may_read_registry() {
        Ok(())
    } else {
        Err(AppError::Forbidden("this role may not read the ledger".into()).into())
    }
}

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(state))
        .routes(routes!(events))
}
