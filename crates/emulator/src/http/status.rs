//! `GET /api/tasks/status/{task_id}`, with the poll faults a flaky gateway would cause.

use std::io;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::header::CONTENT_LENGTH;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use bytes::Bytes;
use futures_util::{stream, StreamExt as _};
use serde_json::{json, Value};

use super::auth::Authorized;
use super::{AppState, Arrived};
use crate::controls::{PollFault, RecordedPoll};
use crate::error::ApiError;
use crate::state::{Outcome, TaskView};

/// Long enough for the half body to leave before the connection breaks.
const FLUSH_PAUSE: Duration = Duration::from_millis(20);

pub(super) async fn status(
    State(shared): State<AppState>,
    Path(raw_id): Path<String>,
    arrived: Option<Extension<Arrived>>,
    auth: Result<Authorized, ApiError>,
) -> Response {
    let started = arrived.map_or_else(Instant::now, |Extension(Arrived(at))| at);
    let task_id = parse_id(&raw_id);
    let fault = shared.with(|s| s.switches.poll_faults.pop_front());
    if let Some(PollFault::Slow(delay)) = fault {
        tokio::time::sleep(delay).await;
    }
    let (response, mut answered) = if fault == Some(PollFault::ServerError) {
        (ApiError::Unavailable.into_response(), "503".to_owned())
    } else {
        answer(&shared, task_id, auth)
    };
    let response = if fault == Some(PollFault::DropConnection) {
        answered = "dropped".to_owned();
        broken(response).await
    } else {
        response
    };
    tracing::info!(task_id = task_id.unwrap_or(0), %answered, "status");
    shared.with(|s| {
        s.polls.push(RecordedPoll {
            task_id: task_id.unwrap_or(0),
            started,
            finished: Instant::now(),
            answered,
        });
    });
    response
}

/// The normal answer, and what to record of it.
fn answer(
    shared: &AppState,
    task_id: Option<u64>,
    auth: Result<Authorized, ApiError>,
) -> (Response, String) {
    let result = auth.and_then(|Authorized(session)| {
        let id = task_id.ok_or(ApiError::NotFound("task not found"))?;
        shared
            .with(|s| s.task_view(id, session.id))
            .ok_or(ApiError::NotFound("task not found"))
    });
    match result {
        Ok(view) => {
            let (status, result) = match view {
                TaskView::Pending => ("SENT", Value::Object(Default::default())),
                TaskView::Done(Outcome::Success(result)) => ("SUCCESS", result),
                TaskView::Done(Outcome::Failure(result)) => ("FAILURE", result),
            };
            let body = Json(json!({ "status": status, "result": result }));
            (body.into_response(), status.to_owned())
        }
        Err(err) => {
            let response = err.into_response();
            let code = response.status().as_u16().to_string();
            (response, code)
        }
    }
}

/// Task ids are plain decimal numbers; anything else names no task.
fn parse_id(raw: &str) -> Option<u64> {
    if raw.is_empty() || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    raw.parse().ok()
}

/// Keeps the status line and headers, sends half the body, then breaks the connection, so
/// the client sees a response that dies mid-body. The pause before the break lets the
/// server flush what went before; an immediate error would drop the headers too.
async fn broken(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    parts.headers.remove(CONTENT_LENGTH);
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let half = bytes.slice(..bytes.len() / 2);
    let failure = async {
        tokio::time::sleep(FLUSH_PAUSE).await;
        Err(io::Error::new(
            io::ErrorKind::ConnectionAborted,
            "connection dropped by the emulator",
        ))
    };
    let stream = stream::iter([Ok::<Bytes, io::Error>(half)]).chain(stream::once(failure));
    Response::from_parts(parts, Body::from_stream(stream))
}
