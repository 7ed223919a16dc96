//! The ledger as seen over the API: tree state, decoded entries, the canonical leaf
//! bytes of one entry, and RFC 6962 / RFC 9162 inclusion and consistency proofs computed
//! from the stored tree hashes.
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiPath, ApiQuery};
use axum::Json;
use axum::extract::State;
use axum::response::IntoResponse;
use iwt_app::AppError;
use iwt_app::proofs;
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

fn hex32(h: &[u8; 32]) -> String {
    h.iter().map(|b| format!("{b:02x}")).collect()
}

/// The canonical leaf bytes of one entry (hash them as `SHA-256(0x00 || bytes)`).
#[utoipa::path(get, path = "/api/v1/ledger/entries/{index}", tag = "ledger", security(("bearer" = [])),
    params(("index" = u64, Path, description = "Ledger index")),
    responses(
        (status = 200, description = "Canonical leaf bytes", body = Vec<u8>, content_type = "application/octet-stream"),
        (status = 401, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody),
        (status = 404, description = "No entry at this index (`entry_not_found`)", body = crate::error::ErrorBody)))]
pub async fn entry(
    State(s): State<AppState>,
    who: Caller,
    ApiPath(index): ApiPath<u64>,
) -> Result<impl IntoResponse, ApiError> {
    require_reader(&who)?;
    let e = proofs::entry(s.app.store().as_ref(), index).await?;
    Ok(([("content-type", "application/octet-stream")], e.leaf))
}

/// Leaf index and tree size of an inclusion proof.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct InclusionQuery {
    /// Leaf index (below `size`).
    pub index: u64,
    /// Tree size (at most the current size).
    pub size: u64,
}

/// An inclusion proof (RFC 9162 §2.1.3).
#[derive(Serialize, ToSchema)]
pub struct InclusionProof {
    /// Leaf index.
    pub index: u64,
    /// Tree size.
    pub size: u64,
    /// Leaf hash at `index`, hex.
    pub leaf_hash: String,
    /// Root of the tree of `size` leaves, hex.
    pub root: String,
    /// Audit path from the leaf upwards, hex.
    pub proof: Vec<String>,
}

/// Inclusion proof of one entry in the tree of `size` entries.
#[utoipa::path(get, path = "/api/v1/ledger/proof/inclusion", tag = "ledger", params(InclusionQuery), security(("bearer" = [])),
    responses(
        (status = 200, body = InclusionProof),
        (status = 400, body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody),
        (status = 422, description = "`proof_index_out_of_range` or `proof_size_beyond_tree`", body = crate::error::ErrorBody)))]
pub async fn inclusion(
    State(s): State<AppState>,
    who: Caller,
    ApiQuery(q): ApiQuery<InclusionQuery>,
) -> Result<Json<InclusionProof>, ApiError> {
    require_reader(&who)?;
    let p = proofs::inclusion(s.app.store().as_ref(), q.index, q.size).await?;
    Ok(Json(InclusionProof {
        index: p.index,
        size: p.size,
        leaf_hash: hex32(&p.leaf_hash),
        root: hex32(&p.root),
        proof: p.proof.iter().map(hex32).collect(),
    }))
}

/// Old and new tree sizes of a consistency proof.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ConsistencyQuery {
    /// Old tree size.
    pub from: u64,
    /// New tree size (at least `from`, at most the current size).
    pub to: u64,
}

/// A consistency proof (RFC 9162 §2.1.4).
#[derive(Serialize, ToSchema)]
pub struct ConsistencyProof {
    /// Old tree size.
    pub from: u64,
    /// New tree size.
    pub to: u64,
    /// Root of the old tree, hex.
    pub from_root: String,
    /// Root of the new tree, hex.
    pub to_root: String,
    /// The proof, hex (empty when `from` is 0 or equals `to`).
    pub proof: Vec<String>,
}

/// Consistency proof between the trees of `from` and `to` entries.
#[utoipa::path(get, path = "/api/v1/ledger/proof/consistency", tag = "ledger", params(ConsistencyQuery), security(("bearer" = [])),
    responses(
        (status = 200, body = ConsistencyProof),
        (status = 400, body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody),
        (status = 422, description = "`proof_size_order` or `proof_size_beyond_tree`", body = crate::error::ErrorBody)))]
pub async fn consistency(
    State(s): State<AppState>,
    who: Caller,
    ApiQuery(q): ApiQuery<ConsistencyQuery>,
) -> Result<Json<ConsistencyProof>, ApiError> {
    require_reader(&who)?;
    let p = proofs::consistency(s.app.store().as_ref(), q.from, q.to).await?;
    Ok(Json(ConsistencyProof {
        from: p.from,
        to: p.to,
        from_root: hex32(&p.from_root),
        to_root: hex32(&p.to_root),
        proof: p.proof.iter().map(hex32).collect(),
    }))
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
        .routes(routes!(entry))
        .routes(routes!(inclusion))
        .routes(routes!(consistency))
}
