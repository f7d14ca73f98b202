//! `GET /api/link/presign/{key}`: turns a link's key into a session and its access token.

use axum::extract::{Path, State};
use axum::Json;
use serde::Serialize;

use super::AppState;
use crate::error::ApiError;
use crate::state::canonical_key;

/// The bank's example value; the client never calls it.
const CALLBACK: &str = "192.168.145.170/own/callback";

/// The response, field for field as in the bank's example.
#[derive(Serialize)]
pub(super) struct PresignBody {
    key: String,
    source: String,
    access_token: String,
    callback: &'static str,
    home_page: Option<String>,
    process: &'static str,
    depart_id: Option<i64>,
    staff_id: Option<i64>,
    external_id: Option<String>,
    queue_rank: u32,
    other: Other,
}

#[derive(Serialize)]
struct Other {
    #[serde(rename = "additionalProp1")]
    additional_prop1: Empty,
}

#[derive(Serialize)]
struct Empty {}

pub(super) async fn presign(
    State(shared): State<AppState>,
    Path(key): Path<String>,
) -> Result<Json<PresignBody>, ApiError> {
    let key = canonical_key(&key).ok_or_else(|| ApiError::BadKey(key.clone()))?;
    // An identification starts here: the LUNA PASS double's key is made now, off the async
    // threads, so that its selfie does not wait for it.
    crate::luna_pass::key::prepare();
    let (profile, access_token) = shared.with(|s| {
        let profile = s.link(&key).cloned().ok_or(ApiError::LinkNotFound)?;
        if profile.gone {
            return Err(ApiError::LinkGone);
        }
        let token = s.open_session(&key, profile.clone());
        Ok((profile, token))
    })?;
    Ok(Json(PresignBody {
        key,
        source: profile.source,
        access_token,
        callback: CALLBACK,
        home_page: profile.home_page,
        process: "identification",
        depart_id: profile.depart_id,
        staff_id: profile.staff_id,
        external_id: profile.external_id,
        queue_rank: 0,
        other: Other {
            additional_prop1: Empty {},
        },
    }))
}
