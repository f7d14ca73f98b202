//! Watching a task until the bank has finished with it.
//!
//! One status check at a time, a pause between the end of one and the start of the next, a total
//! deadline, and tolerance for passing trouble: one failed check is reported and the next one goes
//! on; only too many in a row end the wait.

use serde::Serialize;
use serde_json::Value;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use crate::api::{ApiClient, OpenedLink, TaskId, TaskState};
use crate::config::PollingConfig;
use crate::error::{Error, ErrorInfo};

/// How a task ended.
#[derive(Debug, Clone, PartialEq)]
pub enum TaskOutcome {
    /// `SUCCESS`, with the result.
    Succeeded(Value),
    /// `FAILURE` or `REVOKED`, with the status and the result.
    Rejected {
        /// The terminal status.
        status: String,
        /// The result, which may say why.
        result: Value,
    },
}

/// What happened on one status check, for progress displays.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum PollProgress {
    /// The check answered: the task is not finished yet, or has just finished.
    #[serde(rename_all = "camelCase")]
    Status {
        /// The status as the server named it.
        status: String,
        /// The number of this check, from 1.
        attempt: u32,
        /// Time since the wait began.
        #[ts(type = "number")]
        elapsed_ms: u64,
    },
    /// The check failed; another follows unless too many failed in a row.
    #[serde(rename_all = "camelCase")]
    Failed {
        /// The number of this check, from 1.
        attempt: u32,
        /// Failures in a row so far.
        consecutive: u32,
        /// Why it failed.
        error: ErrorInfo,
        /// Time since the wait began.
        #[ts(type = "number")]
        elapsed_ms: u64,
    },
}

/// Watches `task` until it ends, the deadline passes, too many checks fail, or `cancel` fires.
///
/// `step` is the human label used in error messages. `on_progress` hears about every check.
pub async fn watch_task(
    client: &ApiClient,
    opened: &OpenedLink,
    task: &TaskId,
    step: &str,
    policy: &PollingConfig,
    cancel: &CancellationToken,
    mut on_progress: impl FnMut(PollProgress),
) -> Result<TaskOutcome, Error> {
    let started = Instant::now();
    let deadline = started + policy.deadline();
    let timed_out = || Error::TaskTimedOut {
        step: step.to_owned(),
        seconds: policy.deadline().as_secs(),
    };
    let mut next_check = started + policy.first_delay();
    let mut attempt = 0;
    let mut consecutive_failures = 0;

    loop {
        tokio::select! {
            _ = cancel.cancelled() => return Err(Error::Cancelled),
            _ = tokio::time::sleep_until(next_check.min(deadline)) => {}
        }
        let now = Instant::now();
        if now >= deadline {
            return Err(timed_out());
        }
        attempt += 1;
        // A check may not outlive the deadline.
        let timeout = policy.request_timeout().min(deadline - now);
        let answer = tokio::select! {
            _ = cancel.cancelled() => return Err(Error::Cancelled),
            answer = client.task_status(opened, task, timeout) => answer,
        };
        let elapsed_ms = elapsed_ms(started);
        match answer {
            Ok(state) => {
                consecutive_failures = 0;
                on_progress(PollProgress::Status {
                    status: state.status().to_owned(),
                    attempt,
                    elapsed_ms,
                });
                match state {
                    TaskState::Pending(_) => {}
                    TaskState::Succeeded(result) => return Ok(TaskOutcome::Succeeded(result)),
                    TaskState::Rejected { status, result } => {
                        return Ok(TaskOutcome::Rejected { status, result })
                    }
                }
            }
            Err(error) if error.is_transient() => {
                consecutive_failures += 1;
                tracing::warn!(task = %task, attempt, consecutive_failures, %error, "status check failed");
                on_progress(PollProgress::Failed {
                    attempt,
                    consecutive: consecutive_failures,
                    error: error.info(),
                    elapsed_ms,
                });
                if consecutive_failures >= policy.max_consecutive_failures {
                    if Instant::now() >= deadline {
                        return Err(timed_out());
                    }
                    return Err(Error::PollingFailed {
                        step: step.to_owned(),
                        failures: consecutive_failures,
                        last: error.to_string(),
                    });
                }
            }
            Err(error) => return Err(error),
        }
        next_check = Instant::now() + policy.interval();
    }
}

fn elapsed_ms(since: Instant) -> u64 {
    u64::try_from(since.elapsed().as_millis()).unwrap_or(u64::MAX)
}
