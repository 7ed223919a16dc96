//! Firearm search and the item events of the registry: tag unbinding, part fitting,
//! status changes, simple issue and return, and ammunition stock movements.
use crate::AppState;
use crate::auth::{Caller, Writer};
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery};
use crate::registry::{EventReceipt, ListResponse, PageParams, meta_from};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use iwt_app::queries::FirearmQuery;
use iwt_domain::records::ItemRef;
use iwt_domain::vocab::{AmmoMovement, Condition, ItemStatus};
use iwt_domain::{DomainError, EntityKind, EventBody};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

/// Firearm search criteria: give exactly one.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FirearmSearch {
    /// Exact serial (case, spaces and dashes ignored).
    pub serial: Option<String>,
    /// Serial prefix.
    pub serial_prefix: Option<String>,
    /// Exact marking text (normalised like serials).
    pub marking: Option<String>,
    /// EPC (hex) of an active tag binding.
    pub epc: Option<String>,
    /// Rows to skip.
    pub offset: Option<u64>,
    /// Rows to return, 1-1000.
    pub limit: Option<u32>,
}

/// Finds firearms by serial, serial prefix, marking or EPC.
#[utoipa::path(get, path = "/api/v1/firearms/search", tag = "registry", params(FirearmSearch), security(("bearer" = [])),
    responses((status = 200, body = ListResponse), (status = 422, body = crate::error::ErrorBody)))]
pub async fn search(
    State(s): State<AppState>,
    who: Caller,
    ApiQuery(q): ApiQuery<FirearmSearch>,
) -> Result<Json<ListResponse>, ApiError> {
    let given = [&q.serial, &q.serial_prefix, &q.marking, &q.epc]
        .iter()
        .filter(|c| c.is_some())
        .count();
    if given != 1 {
        return Err(DomainError::field(
            "query",
            "give exactly one of serial, serial_prefix, marking or epc",
        )
        .into());
    }
    for v in [&q.serial, &q.serial_prefix, &q.marking, &q.epc]
        .into_iter()
        .flatten()
    {
        iwt_domain::text::bounded("query", v, iwt_domain::text::MAX_SHORT)?;
    }
    let req = PageParams {
        offset: q.offset,
        limit: q.limit,
    }
    .to_req()?;
    let query = FirearmQuery {
        serial: q.serial,
        serial_prefix: q.serial_prefix,
        marking: q.marking,
        epc: q.epc,
    };
    let page = s.app.search_firearms(&who.0, &query, req).await?;
    Ok(Json(ListResponse {
        items: page.items,
        total: page.total,
        offset: req.offset,
        limit: req.limit,
    }))
}

/// Ends a tag binding.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnbindRequest {
    /// Why (tag removed, damaged, re-used).
    pub reason: String,
}

/// Ends an active tag binding; the tag and the item are free for new bindings.
#[utoipa::path(post, path = "/api/v1/tag-bindings/{id}/unbind", tag = "custody", params(("id" = Uuid, Path)), request_body = UnbindRequest, security(("bearer" = [])),
    responses((status = 201, body = EventReceipt), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn unbind(
    State(s): State<AppState>,
    who: Writer,
    headers: HeaderMap,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(r): ApiJson<UnbindRequest>,
) -> Result<(StatusCode, Json<EventReceipt>), ApiError> {
    let doc = s.app.get_doc(&who.0, EntityKind::TagBinding, id).await?;
    let item: ItemRef = serde_json::from_value(doc["record"]["item"].clone())
        .map_err(|_| DomainError::InvalidState(format!("tag binding {id} has no item")))?;
    let body = EventBody::TagUnbound {
        binding_id: id,
        item,
    };
    receipt(&s, &who.0, &headers, id, body, Some(r.reason)).await
}

/// Fits a part to, or removes it from, a firearm.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FitRequest {
    /// The firearm.
    pub firearm_id: Uuid,
    /// Remove instead of fit.
    #[serde(default)]
    pub remove: bool,
    /// Why (armorer's work order, ...).
    pub reason: Option<String>,
}

/// Records fitting a part to a firearm or removing it.
#[utoipa::path(post, path = "/api/v1/parts/{id}/fitting", tag = "custody", params(("id" = Uuid, Path)), request_body = FitRequest, security(("bearer" = [])),
    responses((status = 201, body = EventReceipt), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn fitting(
    State(s): State<AppState>,
    who: Writer,
    headers: HeaderMap,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(r): ApiJson<FitRequest>,
) -> Result<(StatusCode, Json<EventReceipt>), ApiError> {
    let body = if r.remove {
        EventBody::PartRemoved {
            part_id: id,
            firearm_id: r.firearm_id,
        }
    } else {
        EventBody::PartFitted {
            part_id: id,
            firearm_id: r.firearm_id,
        }
    };
    receipt(&s, &who.0, &headers, id, body, r.reason).await
}

/// A custody or status event for one item.
#[derive(Deserialize, ToSchema)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum ItemAction {
    /// Hand the item to a person.
    Issue {
        /// The item.
        item: ItemRef,
        /// The receiving person.
        person_id: Uuid,
        /// The window or place of issue.
        location_id: Uuid,
        /// Long-term assignment.
        #[serde(default)]
        long_term: bool,
    },
    /// Take the item back.
    Return {
        /// The item.
        item: ItemRef,
        /// The person returning it.
        person_id: Uuid,
        /// Where it is stored now.
        location_id: Uuid,
        /// Condition.
        condition: Condition,
    },
    /// Change the status (repair, quarantine, lost, stolen, ...).
    Status {
        /// The item.
        item: ItemRef,
        /// New status.
        status: ItemStatus,
        /// New location, if it moved.
        location_id: Option<Uuid>,
        /// Why.
        reason: String,
    },
}

/// Records an issue, a return or a status change of an item. (The checked window
/// workflow with qualifications and gear profiles builds on this.)
#[utoipa::path(post, path = "/api/v1/items/events", tag = "custody", request_body = ItemAction, security(("bearer" = [])),
    responses((status = 201, body = EventReceipt), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn item_event(
    State(s): State<AppState>,
    who: Writer,
    headers: HeaderMap,
    ApiJson(a): ApiJson<ItemAction>,
) -> Result<(StatusCode, Json<EventReceipt>), ApiError> {
    let (id, body, reason) = match a {
        ItemAction::Issue {
            item,
            person_id,
            location_id,
            long_term,
        } => (
            item.id,
            EventBody::ItemIssued {
                item,
                person_id,
                location_id,
                long_term,
            },
            None,
        ),
        ItemAction::Return {
            item,
            person_id,
            location_id,
            condition,
        } => (
            item.id,
            EventBody::ItemReturned {
                item,
                person_id,
                location_id,
                condition,
            },
            None,
        ),
        ItemAction::Status {
            item,
            status,
            location_id,
            reason,
        } => (
            item.id,
            EventBody::ItemStatusChanged {
                item,
                status,
                location_id,
            },
            Some(reason),
        ),
    };
    receipt(&s, &who.0, &headers, id, body, reason).await
}

/// An ammunition stock movement.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StockRequest {
    /// Location holding the stock.
    pub location_id: Uuid,
    /// Signed change in rounds.
    pub delta: i64,
    /// Why.
    pub movement: AmmoMovement,
    /// Person involved.
    pub person_id: Option<Uuid>,
    /// Document reference or explanation.
    pub reason: Option<String>,
}

/// Records an ammunition stock movement of a lot at a location.
#[utoipa::path(post, path = "/api/v1/ammo-lots/{id}/stock", tag = "custody", params(("id" = Uuid, Path)), request_body = StockRequest, security(("bearer" = [])),
    responses((status = 201, body = EventReceipt), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn stock(
    State(s): State<AppState>,
    who: Writer,
    headers: HeaderMap,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(r): ApiJson<StockRequest>,
) -> Result<(StatusCode, Json<EventReceipt>), ApiError> {
    let body = EventBody::AmmoStockChanged {
        lot_id: id,
        location_id: r.location_id,
        delta: r.delta,
        movement: r.movement,
        person_id: r.person_id,
    };
    receipt(&s, &who.0, &headers, id, body, r.reason).await
}

/// Ammunition stock per lot and location.
#[utoipa::path(get, path = "/api/v1/ammo-stock", tag = "custody", params(PageParams), security(("bearer" = [])),
    responses((status = 200, body = ListResponse)))]
pub async fn ammo_stock(
    State(s): State<AppState>,
    who: Caller,
    ApiQuery(p): ApiQuery<PageParams>,
) -> Result<Json<ListResponse>, ApiError> {
    let req = p.to_req()?;
    let page = s.app.list_docs(&who.0, EntityKind::AmmoStock, req).await?;
    Ok(Json(ListResponse {
        items: page.items,
        total: page.total,
        offset: req.offset,
        limit: req.limit,
    }))
}

async fn receipt(
    s: &AppState,
    who: &iwt_app::auth::Principal,
    headers: &HeaderMap,
    id: Uuid,
    body: EventBody,
    reason: Option<String>,
) -> Result<(StatusCode, Json<EventReceipt>), ApiError> {
    let appended = s
        .app
        .record_event(who, body, meta_from(headers, reason)?)
        .await?;
    let receipt = EventReceipt::new(id, appended);
    Ok((receipt.status(), Json(receipt)))
}

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(search))
        .routes(routes!(unbind))
        .routes(routes!(fitting))
        .routes(routes!(item_event))
        .routes(routes!(stock))
        .routes(routes!(ammo_stock))
}
