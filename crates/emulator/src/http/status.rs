//! `GET /api/tasks/status/{task_id}`, with the poll faults a flaky gateway would cause.

use std::time::Instant;

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde_json::{json, Value};

use super::auth::Authorized;
use super::{AppState, Arrived};
use crate::controls::{PollFault, RecordedPoll};
use crate::error::ApiError;
use crate::state::{Outcome, TaskView};

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
        super::faults::broken(response).await
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
            fault,
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
