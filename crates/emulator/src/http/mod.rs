//! The HTTP face of the emulator: the contract's routes, and the layer that records every
//! request and applies the configured latency.

mod auth;
mod form;
mod luna_pass;
mod ocr;
mod presign;
mod selfie;
mod status;

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::header::AUTHORIZATION;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;

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

/// Records the request on arrival and its answer on return, and delays it by the latency.
async fn observe(State(shared): State<AppState>, mut request: Request, next: Next) -> Response {
    let arrived = Instant::now();
    let method = request.method().to_string();
    let authorization = request
        .headers()
        .get(AUTHORIZATION)
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
    let path = request.uri().path().to_owned();
    let logged = loggable(&path);
    let (index, latency) = shared.with(|s| {
        let index = s.begin_request(method.clone(), path, authorization);
        (index, s.switches.latency)
    });
    request.extensions_mut().insert(Arrived(arrived));
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let mut response = next.run(request).await;
    let fields = response
        .extensions_mut()
        .remove::<RecordedFields>()
        .map(|recorded| recorded.0)
        .unwrap_or_default();
    let status = response.status().as_u16();
    shared.with(|s| s.finish_request(index, fields, status));
    tracing::info!(%method, path = %logged, status, "answered");
    response
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
