//! The error answers, each a JSON `{"detail": "..."}` as the bank's server sends them.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

#[derive(Debug, thiserror::Error)]
pub(crate) enum ApiError {
    /// A key that is not a UUID: FastAPI's path validation answers 422 with its list of
    /// errors, so the emulator does too.
    #[error("Input should be a valid UUID")]
    BadKey(String),
    #[error("link not found")]
    LinkNotFound,
    #[error("link has expired")]
    LinkGone,
    #[error("{0}")]
    Unauthorized(&'static str),
    #[error("{0}")]
    NotFound(&'static str),
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("{0}")]
    TooLarge(String),
    /// A malformed upload; the text says what to fix.
    #[error("{0}")]
    Invalid(String),
    #[error("service unavailable")]
    Unavailable,
    #[error("internal server error")]
    Internal,
}

impl ApiError {
    pub(crate) fn invalid(detail: impl Into<String>) -> Self {
        Self::Invalid(detail.into())
    }

    fn status(&self) -> StatusCode {
        match self {
            Self::BadKey(_) | Self::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::LinkNotFound | Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::LinkGone => StatusCode::GONE,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let detail = match &self {
            // FastAPI's shape for a path parameter that fails validation.
            Self::BadKey(input) => json!([{
                "type": "uuid_parsing",
                "loc": ["path", "key"],
                "msg": self.to_string(),
                "input": input,
            }]),
            _ => json!(self.to_string()),
        };
        let mut response = (status, Json(json!({ "detail": detail }))).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}
