//! Authentication: the `Caller` extractor (bearer token), first-start set-up, sign-in,
//! accounts and API tokens.
use crate::AppState;
use crate::error::{ApiError, ApiJson};
use axum::Json;
use axum::extract::{FromRequestParts, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use iwt_app::auth::Principal;
use iwt_domain::Role;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

/// The authenticated caller of an API route.
pub struct Caller(pub Principal);

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok());
        let token = header
            .and_then(|h| h.strip_prefix("Bearer "))
            .ok_or(iwt_app::AppError::Unauthenticated)?;
        Ok(Caller(state.app.authenticate(token.trim()).await?))
    }
}

/// An authenticated caller whose role may change the registry; checked before the body
/// is read, so a read-only role learns nothing from validation errors.
pub struct Writer(pub Principal);

impl FromRequestParts<AppState> for Writer {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Caller(who) = Caller::from_request_parts(parts, state).await?;
        if !who.role.may_write_registry() {
            let msg = format!("role {} may not change the registry", who.role.as_str());
            return Err(iwt_app::AppError::Forbidden(msg).into());
        }
        Ok(Writer(who))
    }
}

/// First-administrator set-up with the one-time code printed by the server.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetupRequest {
    /// The code printed on the console at first start.
    pub code: String,
    /// User name of the first administrator.
    pub username: String,
    /// Password (at least 12 characters).
    pub password: String,
}

/// Sign-in.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// User name.
    pub username: String,
    /// Password.
    pub password: String,
}

/// A bearer token, shown once.
#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    /// The account or token id recorded as actor.
    pub principal_id: Uuid,
    /// Role.
    pub role: Role,
}

/// A new API token.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    /// Name of the integration.
    pub name: String,
    /// Role of the token.
    pub role: Role,
}

/// A new login account.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountRequest {
    /// User name.
    pub username: String,
    /// Initial password (at least 12 characters).
    pub password: String,
    /// Role.
    pub role: Role,
}

/// The created account.
#[derive(Serialize, ToSchema)]
pub struct AccountCreated {
    /// Account id.
    pub id: Uuid,
}

/// Creates the first administrator with the one-time set-up code.
#[utoipa::path(post, path = "/api/v1/setup", tag = "auth", request_body = SetupRequest,
    responses((status = 201, body = AccountCreated), (status = 401, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn setup(
    State(s): State<AppState>,
    ApiJson(r): ApiJson<SetupRequest>,
) -> Result<(StatusCode, Json<AccountCreated>), ApiError> {
    let id = s
        .app
        .complete_setup(&r.code, &r.username, &r.password)
        .await?;
    Ok((StatusCode::CREATED, Json(AccountCreated { id })))
}

/// Signs in and returns a session token valid for 12 hours.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = TokenResponse), (status = 401, body = crate::error::ErrorBody)))]
pub async fn login(
    State(s): State<AppState>,
    ApiJson(r): ApiJson<LoginRequest>,
) -> Result<Json<TokenResponse>, ApiError> {
    let (token, who) = s.app.login(&r.username, &r.password).await?;
    Ok(Json(TokenResponse {
        token,
        principal_id: who.id,
        role: who.role,
    }))
}

/// Issues an API token (administrators only).
#[utoipa::path(post, path = "/api/v1/tokens", tag = "auth", request_body = TokenRequest, security(("bearer" = [])),
    responses((status = 201, body = TokenResponse), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn create_token(
    State(s): State<AppState>,
    Caller(who): Caller,
    ApiJson(r): ApiJson<TokenRequest>,
) -> Result<(StatusCode, Json<TokenResponse>), ApiError> {
    let (id, token) = s.app.create_token(&who, &r.name, r.role).await?;
    Ok((
        StatusCode::CREATED,
        Json(TokenResponse {
            token,
            principal_id: id,
            role: r.role,
        }),
    ))
}

/// Creates a login account (administrators only).
#[utoipa::path(post, path = "/api/v1/accounts", tag = "auth", request_body = AccountRequest, security(("bearer" = [])),
    responses((status = 201, body = AccountCreated), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn create_account(
    State(s): State<AppState>,
    Caller(who): Caller,
    ApiJson(r): ApiJson<AccountRequest>,
) -> Result<(StatusCode, Json<AccountCreated>), ApiError> {
    let id = s
        .app
        .create_account(&who, &r.username, &r.password, r.role)
        .await?;
    Ok((StatusCode::CREATED, Json(AccountCreated { id })))
}

/// The caller's identity.
#[utoipa::path(get, path = "/api/v1/auth/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = TokenResponseMe), (status = 401, body = crate::error::ErrorBody)))]
pub async fn me(Caller(who): Caller) -> Json<TokenResponseMe> {
    Json(TokenResponseMe {
        principal_id: who.id,
        name: who.name,
        role: who.role,
    })
}

/// Who the caller is.
#[derive(Serialize, ToSchema)]
pub struct TokenResponseMe {
    /// Account or token id.
    pub principal_id: Uuid,
    /// Name.
    pub name: String,
    /// Role.
    pub role: Role,
}

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(setup))
        .routes(routes!(login))
        .routes(routes!(create_token))
        .routes(routes!(create_account))
        .routes(routes!(me))
}
