//! The HTTP face of the emulator: the contract's routes, and the layer that records every
//! request, applies the configured latency and, with chaos on, the fault each request draws.

mod auth;
mod faults;
mod form;
mod luna_pass;
mod ocr;
mod presign;
mod selfie;
mod status;

#[cfg(feature = "fuzzing")]
pub(crate) use form::read_for_fuzzing;

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::header::AUTHORIZATION;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse as _, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;

use crate::chaos::{ChaosFault, Drawn, Route};
use crate::error::ApiError;
use crate::state::Shared;

type AppState = Arc<Shared>;

/// Room for a full-resolution phone photo; axum's 2 MiB default would refuse many.
const MAX_BODY: usize = 16 * 1024 * 1024;

/// When the request reached the server, before any latency; status requests report it.
#[derive(Clone, Copy)]
struct Arrived(Instant);

/// The multipart fields a handler read, handed back to the recording layer.
#[derive(Clone)]
struct RecordedFields(Vec<(String, String)>);

/// The task an upload created, handed back to the layer that may spoil it (chaos).
#[derive(Clone, Copy)]
struct CreatedTask(u64);

/// An upload's answer: the new task's id, and the id again for [`observe`].
fn created(id: u64) -> Response {
    let mut response = Json(json!({ "id": id })).into_response();
    response.extensions_mut().insert(CreatedTask(id));
    response
}

/// The bank's API, recorded and delayed by [`observe`], beside the LUNA PASS double's routes.
pub(crate) fn router(shared: AppState) -> Router {
    let bank = Router::new()
        .route("/api/link/presign/{key}", get(presign::presign))
        .route("/api/tasks/ocr/{doc}/{side}", post(ocr::upload))
        .route("/api/tasks/selfie", post(selfie::upload))
        .route("/api/tasks/status/{task_id}", get(status::status))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(middleware::from_fn_with_state(shared.clone(), observe));
    luna_pass::routes()
        .method_not_allowed_fallback(method_not_allowed)
        .merge(bank)
        .with_state(shared)
}

async fn not_found() -> ApiError {
    ApiError::NotFound("Not Found")
}

async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

/// Records the request on arrival and its answer on return, delays it by the latency, and
/// applies the chaos fault it draws, if chaos is on.
async fn observe(State(shared): State<AppState>, mut request: Request, next: Next) -> Response {
    let arrived = Instant::now();
    let method = request.method().to_string();
    let authorization = request
        .headers()
        .get(AUTHORIZATION)
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
    let path = request.uri().path().to_owned();
    let logged = loggable(&path);
    let route = Route::of(&method, &path);
    let (seq, latency, drawn) = shared.with(|s| {
        let drawn = match (&mut s.switches.chaos, route) {
            (Some(chaos), Some(route)) => chaos.draw(route),
            _ => None,
        };
        let seq = s.begin_request(method.clone(), path, authorization.clone());
        if let Some(request) = s.requests.get_mut(seq) {
            request.fault = drawn.map(|d| d.fault);
        }
        (seq, s.switches.latency, drawn)
    });
    request.extensions_mut().insert(Arrived(arrived));
    let latency = match drawn {
        Some(Drawn {
            fault: ChaosFault::Latency,
            delay,
        }) => latency + delay,
        _ => latency,
    };
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let mut response = match drawn.map(|d| d.fault) {
        Some(ChaosFault::ServerError) => ApiError::Unavailable.into_response(),
        Some(ChaosFault::Unauthorized) => {
            if let Some(token) = authorization
                .as_deref()
                .and_then(|a| auth::bearer_token(a.as_bytes()))
            {
                shared.with(|s| s.revoke(token));
            }
            ApiError::Unauthorized("access token is not valid").into_response()
        }
        _ => next.run(request).await,
    };
    let fields = response
        .extensions_mut()
        .remove::<RecordedFields>()
        .map(|recorded| recorded.0)
        .unwrap_or_default();
    let status = response.status().as_u16();
    let created = response.extensions_mut().remove::<CreatedTask>();
    shared.with(|s| {
        s.finish_request(seq, fields, status);
        if let Some(CreatedTask(id)) = created {
            if let Some(request) = s.requests.get_mut(seq) {
                request.created_task = Some(id);
            }
            if let Some(drawn) = drawn {
                s.spoil_task(id, drawn.fault);
            }
        }
    });
    tracing::info!(%method, path = %logged, status, fault = drawn.map(|d| d.fault.name()), "answered");
    match drawn {
        Some(Drawn {
            fault: ChaosFault::DropConnection,
            ..
        }) => faults::broken(response).await,
        Some(Drawn {
            fault: ChaosFault::SlowBody,
            delay,
        }) => faults::slow(response, delay).await,
        _ => response,
    }
}

/// The path as it may be logged: a presign key opens a session, so it is masked.
fn loggable(path: &str) -> String {
    const PRESIGN: &str = "/api/link/presign/";
    if path.starts_with(PRESIGN) {
        format!("{PRESIGN}{{key}}")
    } else {
        path.to_owned()
    }
}
