//! The Bearer check every endpoint but presign goes through.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

use super::AppState;
use crate::error::ApiError;
use crate::state::ServerSession;

/// The session whose access token the request carried.
pub(super) struct Authorized(pub(super) ServerSession);

impl FromRequestParts<AppState> for Authorized {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let header = parts.headers.get(AUTHORIZATION);
        let token = header.map(|value| bearer_token(value.as_bytes()));
        state.with(|s| {
            if s.switches.unauthorized {
                return Err(ApiError::Unauthorized("access token rejected"));
            }
            match token {
                None => Err(ApiError::Unauthorized("Authorization header is missing")),
                Some(None) => Err(ApiError::Unauthorized(
                    "Authorization must be \"Bearer <access_token>\"",
                )),
                Some(Some(token)) => s
                    .session(token)
                    .cloned()
                    .map(Authorized)
                    .ok_or(ApiError::Unauthorized("access token is not valid")),
            }
        })
    }
}

/// The token of a `Bearer` header (the scheme is case-insensitive, as RFC 7235 says).
pub(super) fn bearer_token(header: &[u8]) -> Option<&str> {
    let header = std::str::from_utf8(header).ok()?;
    let (scheme, token) = header.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}
