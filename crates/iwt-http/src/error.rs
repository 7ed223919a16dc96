//! Error responses: `{"error": {"code": "...", "message": "..."}}` with a status chosen
//! by an exhaustive match. Storage and internal details are logged, never sent.
use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use iwt_app::AppError;
use iwt_app::StoreError;
use iwt_app::proofs::ProofError;
use iwt_domain::DomainError;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// An API error.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

/// The error body.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// Code and message.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code.
    pub code: String,
    /// Human-readable explanation.
    pub message: String,
}

impl ApiError {
    /// An error with an explicit status and code.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }
}

fn domain_status(e: &DomainError) -> StatusCode {
    match e {
        DomainError::InvalidField { .. }
        | DomainError::UnknownReference { .. }
        | DomainError::InvalidCorrection(_) => StatusCode::UNPROCESSABLE_ENTITY,
        DomainError::NotFound { .. } => StatusCode::NOT_FOUND,
        DomainError::Duplicate { .. } | DomainError::InvalidState(_) => StatusCode::CONFLICT,
        DomainError::Encoding(_) => StatusCode::BAD_REQUEST,
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        let code = e.code();
        match e {
            AppError::Domain(d) => Self::new(domain_status(&d), code, d.to_string()),
            AppError::Proof(p) => {
                let status = match p {
                    ProofError::NoSuchEntry(_) => StatusCode::NOT_FOUND,
                    ProofError::IndexOutOfRange { .. }
                    | ProofError::SizeBeyondTree { .. }
                    | ProofError::SizeOrder { .. } => StatusCode::UNPROCESSABLE_ENTITY,
                };
                Self::new(status, code, p.to_string())
            }
            AppError::Store(s) => {
                tracing::error!(error = %s, "storage error");
                let status = match s {
                    StoreError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
                    StoreError::Conflict(_) => StatusCode::CONFLICT,
                    StoreError::Corrupt(_) | StoreError::Config(_) => {
                        StatusCode::INTERNAL_SERVER_ERROR
                    }
                };
                Self::new(status, code, "the database could not complete the request")
            }
            AppError::Unauthenticated => Self::new(
                StatusCode::UNAUTHORIZED,
                code,
                "a valid bearer token is required",
            ),
            AppError::Forbidden(m) => Self::new(StatusCode::FORBIDDEN, code, m),
            AppError::ShuttingDown => Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                code,
                "the server is shutting down",
            ),
        }
    }
}

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        AppError::Domain(e).into()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code.to_owned(),
                message: self.message,
            },
        };
        let mut resp = (self.status, Json(body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            resp.headers_mut().insert(
                "www-authenticate",
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        resp
    }
}

fn json_rejection(r: JsonRejection) -> ApiError {
    match r {
        JsonRejection::JsonDataError(e) => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            e.body_text(),
        ),
        JsonRejection::JsonSyntaxError(e) => {
            ApiError::new(StatusCode::BAD_REQUEST, "malformed_json", e.body_text())
        }
        JsonRejection::MissingJsonContentType(_) => ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send Content-Type: application/json",
        ),
        JsonRejection::BytesRejection(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                format!("bodies are limited to {} bytes", crate::MAX_BODY),
            )
        }
        other => ApiError::new(StatusCode::BAD_REQUEST, "bad_request", other.body_text()),
    }
}

/// JSON body extractor whose rejections use the API's error format.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        Json::<T>::from_request(req, state)
            .await
            .map(|Json(v)| ApiJson(v))
            .map_err(json_rejection)
    }
}

/// Query extractor whose rejections use the API's error format.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| ApiQuery(q.0))
            .map_err(|e: QueryRejection| {
                ApiError::new(StatusCode::BAD_REQUEST, "invalid_query", e.body_text())
            })
    }
}

/// Path extractor whose rejections use the API's error format.
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| ApiPath(p.0))
            .map_err(|e: PathRejection| {
                ApiError::new(StatusCode::BAD_REQUEST, "invalid_path", e.body_text())
            })
    }
}

/// Answer for unknown routes.
pub async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "no_such_route", "no such route")
}

/// Answer for a known route called with a method it does not have (axum adds `Allow`).
pub async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this route does not accept the method",
    )
}
