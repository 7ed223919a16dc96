//! Registry routes: for every record kind, list, create, get, correct and history under
//! `/api/v1/<kind path>`. One macro writes the thin, OpenAPI-annotated handlers; the
//! work is done by the shared functions below.
use crate::AppState;
use crate::auth::{Caller, Writer};
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use iwt_app::commands::Meta;
use iwt_app::queries::HistoryEntry;
use iwt_app::{Appended, PageReq};
use iwt_domain::records::*;
use iwt_domain::vocab::PersonStatus;
use iwt_domain::{DomainError, EntityKind};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::Date;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

/// Paging parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Rows to skip (default 0).
    pub offset: Option<u64>,
    /// Rows to return, 1-1000 (default 100).
    pub limit: Option<u32>,
}

impl PageParams {
    pub(crate) fn to_req(&self) -> Result<PageReq, ApiError> {
        let limit = self.limit.unwrap_or(100);
        if !(1..=1000).contains(&limit) {
            return Err(DomainError::field("limit", "must be between 1 and 1000").into());
        }
        Ok(PageReq {
            offset: self.offset.unwrap_or(0),
            limit,
        })
    }
}

/// A page of records.
#[derive(Serialize, ToSchema)]
pub struct ListResponse {
    /// Current views of the records.
    #[schema(value_type = Vec<RecordView>)]
    pub items: Vec<Value>,
    /// Total matching records.
    pub total: u64,
    /// Rows skipped.
    pub offset: u64,
    /// Page size.
    pub limit: u32,
}

/// The current view of a record: what was entered (with corrections applied) and the
/// state derived from later events.
#[derive(Serialize, ToSchema)]
pub struct RecordView {
    /// Record kind.
    pub kind: EntityKind,
    /// Record id.
    pub id: Uuid,
    /// The record's fields as currently valid.
    #[schema(value_type = Object)]
    pub record: Value,
    /// Personal data (personnel only).
    #[schema(value_type = Option<Object>)]
    pub personal: Value,
    /// Derived state: status, location, custodian, tag, fitted parts, quantity.
    #[schema(value_type = Object)]
    pub state: Value,
    /// Ledger index of the creating event.
    pub created_index: u64,
    /// Ledger index of the latest event.
    pub updated_index: u64,
    /// Ledger indices of correction events.
    pub corrections: Vec<u64>,
}

/// The durable result of a command.
#[derive(Serialize, ToSchema)]
pub struct EventReceipt {
    /// The record concerned.
    pub id: Uuid,
    /// Ledger index of the event.
    pub index: u64,
    /// Event id (the idempotency key).
    pub event_id: Uuid,
    /// RFC 6962 leaf hash, hex.
    pub leaf_hash: String,
    /// True when the same Idempotency-Key had already been recorded.
    pub duplicate: bool,
}

impl EventReceipt {
    pub(crate) fn new(id: Uuid, a: Appended) -> Self {
        Self {
            id,
            index: a.index,
            event_id: a.event_id,
            leaf_hash: hex_hash(&a.leaf_hash),
            duplicate: a.duplicate,
        }
    }

    /// 201 for a new event, 200 for an idempotent retry of a recorded one.
    pub(crate) fn status(&self) -> StatusCode {
        if self.duplicate {
            StatusCode::OK
        } else {
            StatusCode::CREATED
        }
    }
}

fn hex_hash(h: &[u8; 32]) -> String {
    h.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads the optional `Idempotency-Key` header (a UUID).
pub(crate) fn meta_from(headers: &HeaderMap, reason: Option<String>) -> Result<Meta, ApiError> {
    let event_id = match headers.get("idempotency-key") {
        Some(v) => Some(
            v.to_str()
                .ok()
                .and_then(|s| Uuid::parse_str(s.trim()).ok())
                .ok_or_else(|| DomainError::field("Idempotency-Key", "must be a UUID"))?,
        ),
        None => None,
    };
    Ok(Meta {
        event_id,
        occurred_at: None,
        reason,
    })
}

/// A person as entered: roster fields plus personal data kept off the ledger.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonInput {
    /// Id; assigned by the server when omitted.
    #[serde(default)]
    pub id: Uuid,
    /// Badge number, unique.
    pub badge_number: String,
    /// Service number.
    pub service_number: Option<String>,
    /// Card UID (hex), unique.
    pub card_uid: Option<String>,
    /// Unit.
    pub unit_id: Uuid,
    /// Rank.
    pub rank: Option<String>,
    /// Status.
    pub status: PersonStatus,
    /// Given name(s).
    pub given_name: String,
    /// Family name.
    pub family_name: String,
    /// Date of birth.
    pub date_of_birth: Option<Date>,
}

/// Turns an API input into a record and optional personal data.
pub trait IntoRecord {
    /// The record and personal data.
    fn into_parts(self) -> (Record, Option<PersonalData>);
}

impl IntoRecord for PersonInput {
    fn into_parts(self) -> (Record, Option<PersonalData>) {
        let person = Person {
            id: self.id,
            badge_number: self.badge_number,
            service_number: self.service_number,
            card_uid: self.card_uid,
            unit_id: self.unit_id,
            rank: self.rank,
            status: self.status,
        };
        let personal = PersonalData {
            given_name: self.given_name,
            family_name: self.family_name,
            date_of_birth: self.date_of_birth,
        };
        (Record::Person(person), Some(personal))
    }
}

macro_rules! plain_records {
    ($($t:ident),*) => {$(
        impl IntoRecord for $t {
            fn into_parts(self) -> (Record, Option<PersonalData>) {
                (Record::$t(self), None)
            }
        }
    )*};
}
plain_records!(
    FirearmModel,
    Firearm,
    Part,
    Equipment,
    AmmoLot,
    Site,
    Location,
    ReadPoint,
    Unit,
    Post,
    Shift,
    AssignmentType,
    QualificationType,
    Qualification,
    TagBinding
);

async fn list_kind(
    s: &AppState,
    who: &Caller,
    kind: EntityKind,
    p: PageParams,
) -> Result<Json<ListResponse>, ApiError> {
    let req = p.to_req()?;
    let page = s.app.list_docs(&who.0, kind, req).await?;
    Ok(Json(ListResponse {
        items: page.items,
        total: page.total,
        offset: req.offset,
        limit: req.limit,
    }))
}

async fn create_kind(
    s: &AppState,
    who: &iwt_app::auth::Principal,
    headers: &HeaderMap,
    input: impl IntoRecord,
) -> Result<(StatusCode, Json<EventReceipt>), ApiError> {
    let (record, personal) = input.into_parts();
    let (id, appended) = s
        .app
        .create_record(who, record, personal, meta_from(headers, None)?)
        .await?;
    let receipt = EventReceipt::new(id, appended);
    Ok((receipt.status(), Json(receipt)))
}

async fn get_kind(
    s: &AppState,
    who: &Caller,
    kind: EntityKind,
    id: Uuid,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(s.app.get_doc(&who.0, kind, id).await?))
}

#[allow(clippy::too_many_arguments)]
async fn correct_kind(
    s: &AppState,
    who: &iwt_app::auth::Principal,
    kind: EntityKind,
    id: Uuid,
    meta: Meta,
    corrects: Option<u64>,
    input: impl IntoRecord,
) -> Result<(StatusCode, Json<EventReceipt>), ApiError> {
    let (record, personal) = input.into_parts();
    let appended = s
        .app
        .correct_record(who, kind, id, record, personal, corrects, meta)
        .await?;
    let receipt = EventReceipt::new(id, appended);
    Ok((receipt.status(), Json(receipt)))
}

async fn history_kind(
    s: &AppState,
    who: &Caller,
    kind: EntityKind,
    id: Uuid,
    p: PageParams,
) -> Result<Json<Vec<HistoryEntry>>, ApiError> {
    Ok(Json(s.app.history(&who.0, kind, id, p.to_req()?).await?))
}

macro_rules! registry_kind {
    ($module:ident, $input:ty, $kind:expr, $correction:ident, $coll:tt, $item:tt, $corr_path:tt, $hist_path:tt) => {
        pub(crate) mod $module {
            use super::*;

            /// A correction: the record as it should read, the reason, and optionally the
            /// index of the event corrected (default: the record's latest event).
            #[derive(Deserialize, ToSchema)]
            #[serde(deny_unknown_fields)]
            pub struct $correction {
                /// Why the record is corrected.
                pub reason: String,
                /// Ledger index of the corrected event.
                pub corrects: Option<u64>,
                /// The full record as it should read.
                pub record: $input,
            }

            /// Lists records, ordered by id.
            #[utoipa::path(get, path = $coll, tag = "registry", params(PageParams), security(("bearer" = [])),
                responses((status = 200, body = ListResponse), (status = 401, body = crate::error::ErrorBody)))]
            pub async fn list(State(s): State<AppState>, who: Caller, ApiQuery(p): ApiQuery<PageParams>) -> Result<Json<ListResponse>, ApiError> {
                list_kind(&s, &who, $kind, p).await
            }

            /// Creates a record (one ledger event). Send `Idempotency-Key: <uuid>` to retry safely.
            #[utoipa::path(post, path = $coll, tag = "registry", request_body = $input, security(("bearer" = [])),
                responses((status = 201, body = EventReceipt), (status = 400, body = crate::error::ErrorBody),
                    (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
            pub async fn create(State(s): State<AppState>, who: Writer, headers: HeaderMap, ApiJson(input): ApiJson<$input>) -> Result<(StatusCode, Json<EventReceipt>), ApiError> {
                create_kind(&s, &who.0, &headers, input).await
            }

            /// The current view of one record.
            #[utoipa::path(get, path = $item, tag = "registry", params(("id" = Uuid, Path)), security(("bearer" = [])),
                responses((status = 200, body = RecordView), (status = 404, body = crate::error::ErrorBody)))]
            pub async fn get(State(s): State<AppState>, who: Caller, ApiPath(id): ApiPath<Uuid>) -> Result<Json<Value>, ApiError> {
                get_kind(&s, &who, $kind, id).await
            }

            /// Corrects a record by appending a correction event that names the original.
            #[utoipa::path(post, path = $corr_path, tag = "registry", params(("id" = Uuid, Path)), request_body = $correction, security(("bearer" = [])),
                responses((status = 201, body = EventReceipt), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
            pub async fn correct(State(s): State<AppState>, who: Writer, headers: HeaderMap, ApiPath(id): ApiPath<Uuid>, ApiJson(c): ApiJson<$correction>) -> Result<(StatusCode, Json<EventReceipt>), ApiError> {
                let meta = meta_from(&headers, Some(c.reason))?;
                correct_kind(&s, &who.0, $kind, id, meta, c.corrects, c.record).await
            }

            /// Every ledger event about the record, oldest first.
            #[utoipa::path(get, path = $hist_path, tag = "registry", params(("id" = Uuid, Path), PageParams), security(("bearer" = [])),
                responses((status = 200, body = Vec<HistoryEntry>), (status = 404, body = crate::error::ErrorBody)))]
            pub async fn history(State(s): State<AppState>, who: Caller, ApiPath(id): ApiPath<Uuid>, ApiQuery(p): ApiQuery<PageParams>) -> Result<Json<Vec<HistoryEntry>>, ApiError> {
                history_kind(&s, &who, $kind, id, p).await
            }

            pub(crate) fn routes() -> OpenApiRouter<AppState> {
                OpenApiRouter::new()
                    .routes(routes!(list, create))
                    .routes(routes!(get))
                    .routes(routes!(correct))
                    .routes(routes!(history))
            }
        }
    };
}

registry_kind!(
    firearm_models,
    FirearmModel,
    EntityKind::FirearmModel,
    FirearmModelCorrection,
    "/api/v1/firearm-models",
    "/api/v1/firearm-models/{id}",
    "/api/v1/firearm-models/{id}/corrections",
    "/api/v1/firearm-models/{id}/history"
);
registry_kind!(
    firearms,
    Firearm,
    EntityKind::Firearm,
    FirearmCorrection,
    "/api/v1/firearms",
    "/api/v1/firearms/{id}",
    "/api/v1/firearms/{id}/corrections",
    "/api/v1/firearms/{id}/history"
);
registry_kind!(
    parts,
    Part,
    EntityKind::Part,
    PartCorrection,
    "/api/v1/parts",
    "/api/v1/parts/{id}",
    "/api/v1/parts/{id}/corrections",
    "/api/v1/parts/{id}/history"
);
registry_kind!(
    equipment,
    Equipment,
    EntityKind::Equipment,
    EquipmentCorrection,
    "/api/v1/equipment",
    "/api/v1/equipment/{id}",
    "/api/v1/equipment/{id}/corrections",
    "/api/v1/equipment/{id}/history"
);
registry_kind!(
    ammo_lots,
    AmmoLot,
    EntityKind::AmmoLot,
    AmmoLotCorrection,
    "/api/v1/ammo-lots",
    "/api/v1/ammo-lots/{id}",
    "/api/v1/ammo-lots/{id}/corrections",
    "/api/v1/ammo-lots/{id}/history"
);
registry_kind!(
    sites,
    Site,
    EntityKind::Site,
    SiteCorrection,
    "/api/v1/sites",
    "/api/v1/sites/{id}",
    "/api/v1/sites/{id}/corrections",
    "/api/v1/sites/{id}/history"
);
registry_kind!(
    locations,
    Location,
    EntityKind::Location,
    LocationCorrection,
    "/api/v1/locations",
    "/api/v1/locations/{id}",
    "/api/v1/locations/{id}/corrections",
    "/api/v1/locations/{id}/history"
);
registry_kind!(
    read_points,
    ReadPoint,
    EntityKind::ReadPoint,
    ReadPointCorrection,
    "/api/v1/read-points",
    "/api/v1/read-points/{id}",
    "/api/v1/read-points/{id}/corrections",
    "/api/v1/read-points/{id}/history"
);
registry_kind!(
    units,
    Unit,
    EntityKind::Unit,
    UnitCorrection,
    "/api/v1/units",
    "/api/v1/units/{id}",
    "/api/v1/units/{id}/corrections",
    "/api/v1/units/{id}/history"
);
registry_kind!(
    posts,
    Post,
    EntityKind::Post,
    PostCorrection,
    "/api/v1/posts",
    "/api/v1/posts/{id}",
    "/api/v1/posts/{id}/corrections",
    "/api/v1/posts/{id}/history"
);
registry_kind!(
    shifts,
    Shift,
    EntityKind::Shift,
    ShiftCorrection,
    "/api/v1/shifts",
    "/api/v1/shifts/{id}",
    "/api/v1/shifts/{id}/corrections",
    "/api/v1/shifts/{id}/history"
);
registry_kind!(
    assignment_types,
    AssignmentType,
    EntityKind::AssignmentType,
    AssignmentTypeCorrection,
    "/api/v1/assignment-types",
    "/api/v1/assignment-types/{id}",
    "/api/v1/assignment-types/{id}/corrections",
    "/api/v1/assignment-types/{id}/history"
);
registry_kind!(
    personnel,
    PersonInput,
    EntityKind::Person,
    PersonCorrection,
    "/api/v1/personnel",
    "/api/v1/personnel/{id}",
    "/api/v1/personnel/{id}/corrections",
    "/api/v1/personnel/{id}/history"
);
registry_kind!(
    qualification_types,
    QualificationType,
    EntityKind::QualificationType,
    QualificationTypeCorrection,
    "/api/v1/qualification-types",
    "/api/v1/qualification-types/{id}",
    "/api/v1/qualification-types/{id}/corrections",
    "/api/v1/qualification-types/{id}/history"
);
registry_kind!(
    qualifications,
    Qualification,
    EntityKind::Qualification,
    QualificationCorrection,
    "/api/v1/qualifications",
    "/api/v1/qualifications/{id}",
    "/api/v1/qualifications/{id}/corrections",
    "/api/v1/qualifications/{id}/history"
);
registry_kind!(
    tag_bindings,
    TagBinding,
    EntityKind::TagBinding,
    TagBindingCorrection,
    "/api/v1/tag-bindings",
    "/api/v1/tag-bindings/{id}",
    "/api/v1/tag-bindings/{id}/corrections",
    "/api/v1/tag-bindings/{id}/history"
);

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(firearm_models::routes())
        .merge(firearms::routes())
        .merge(parts::routes())
        .merge(equipment::routes())
        .merge(ammo_lots::routes())
        .merge(sites::routes())
        .merge(locations::routes())
        .merge(read_points::routes())
        .merge(units::routes())
        .merge(posts::routes())
        .merge(shifts::routes())
        .merge(assignment_types::routes())
        .merge(personnel::routes())
        .merge(qualification_types::routes())
        .merge(qualifications::routes())
        .merge(tag_bindings::routes())
}
