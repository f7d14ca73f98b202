//! The switches a test (or the CLI) flips on a running emulator, and what it recorded.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::chaos::{Chaos, ChaosDraws, ChaosFault};
use crate::state::Shared;

/// A handle on a running emulator. Cheap to clone (an `Arc` inside); every switch takes
/// effect on the next request.
#[derive(Clone)]
pub struct Controls {
    shared: Arc<Shared>,
}

/// How the next status requests misbehave (see [`Controls::fail_polls`]). Faults stand for a
/// flaky gateway in front of the server, so they strike before the token is even looked at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PollFault {
    /// Answers 503 Service Unavailable.
    ServerError,
    /// Sends the normal status line and headers, then breaks the connection mid-body.
    DropConnection,
    /// Waits this long, then answers normally.
    Slow(Duration),
}

/// What a presign link answers with. `Default` is the profile of [`crate::DEMO_KEY`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PresignProfile {
    pub source: String,
    pub depart_id: Option<i64>,
    pub staff_id: Option<i64>,
    pub external_id: Option<String>,
    pub home_page: Option<String>,
    /// The link has expired: presign answers 410 Gone.
    pub gone: bool,
}

impl Default for PresignProfile {
    fn default() -> Self {
        Self {
            source: "humo_online".to_owned(),
            depart_id: None,
            staff_id: None,
            external_id: Some("external_client_id".to_owned()),
            home_page: Some("humoOnline://app".to_owned()),
            gone: false,
        }
    }
}

/// One request as the server received it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedRequest {
    pub method: String,
    /// The URI path, without the query.
    pub path: String,
    /// The raw `Authorization` header, so a test can check the Bearer token.
    pub authorization: Option<String>,
    /// Multipart parts in the order sent: text fields as name and value; file parts as
    /// name and `<file NAME CONTENT-TYPE N bytes>`.
    pub fields: Vec<(String, String)>,
    /// The status answered; 0 while the request is still being handled.
    pub status: u16,
    /// The chaos fault it drew, if any (see [`Controls::set_chaos`]).
    pub fault: Option<ChaosFault>,
    /// The presign key of the link whose session made it: the key in a presign's path, or the
    /// key of the session its token belonged to on arrival. Lets a test that runs many flows
    /// at once tell their requests apart.
    pub link_key: Option<String>,
    /// The task an upload created.
    pub created_task: Option<u64>,
}

/// One status request with its timing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedPoll {
    /// The id asked for; 0 when the path did not hold a number.
    pub task_id: u64,
    /// When the request arrived (before any latency).
    pub started: Instant,
    /// Just before the response was returned.
    pub finished: Instant,
    /// The task status answered (`SENT`, `SUCCESS`, `FAILURE`), else the HTTP status
    /// (`"503"`, `"401"`, `"404"`), or `"dropped"` when the body was broken off.
    pub answered: String,
    /// The fault it drew from [`Controls::fail_polls`], if any.
    pub fault: Option<PollFault>,
}

/// How a received selfie token was signed, and whether it verified. No token contents are
/// kept: a test only needs to know which liveness provider the client used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SelfieTokenRecord {
    /// The JWT header's `alg` as sent (`HS256` for `local`, `RS256` for the LUNA PASS double);
    /// empty when the header could not be read.
    pub algorithm: String,
    /// Signature, claims and best shot all checked out.
    pub verified: bool,
}

impl std::fmt::Debug for Controls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Controls").finish_non_exhaustive()
    }
}

impl Controls {
    pub(crate) fn new(shared: Arc<Shared>) -> Self {
        Self { shared }
    }

    /// The next OCR task (any side, any document) ends `FAILURE` with this reason.
    pub fn fail_next_ocr(&self, reason: impl Into<String>) {
        let reason = reason.into();
        self.shared
            .with(|s| s.switches.fail_next_ocr = Some(reason));
    }

    /// The next selfie task ends `FAILURE` with this reason, whatever its token says.
    pub fn fail_next_selfie(&self, reason: impl Into<String>) {
        let reason = reason.into();
        self.shared
            .with(|s| s.switches.fail_next_selfie = Some(reason));
    }

    /// The LUNA PASS double's next check answers `isOk: false` with these errors, whatever
    /// the frame (a malformed message does not use it up). An empty list still fails the check.
    pub fn fail_next_liveness(&self, errors: Vec<String>) {
        self.shared
            .with(|s| s.switches.fail_next_liveness = Some(errors));
    }

    /// Forgets any failure armed for the next OCR, selfie or LUNA PASS check.
    pub fn clear_armed_failures(&self) {
        self.shared.with(|s| {
            s.switches.fail_next_ocr = None;
            s.switches.fail_next_selfie = None;
            s.switches.fail_next_liveness = None;
        });
    }

    /// While on, every request that needs a Bearer token answers 401 (presign still works).
    pub fn set_unauthorized(&self, on: bool) {
        self.shared.with(|s| s.switches.unauthorized = on);
    }

    /// The next `count` status requests misbehave as `fault`; calls add up.
    pub fn fail_polls(&self, count: u32, fault: PollFault) {
        self.shared.with(|s| {
            let count = usize::try_from(count).unwrap_or(usize::MAX);
            s.switches
                .poll_faults
                .extend(std::iter::repeat_n(fault, count));
        });
    }

    /// Forgets the status faults still waiting for their requests.
    pub fn clear_poll_faults(&self) {
        self.shared.with(|s| s.switches.poll_faults.clear());
    }

    /// While on, every task answers `SENT`; switched off, tasks past their delay finish.
    pub fn set_never_finish(&self, on: bool) {
        self.shared.with(|s| s.switches.never_finish = on);
    }

    pub fn set_latency(&self, latency: Duration) {
        self.shared.with(|s| s.switches.latency = latency);
    }

    /// From now on every request of the bank's API draws a fault at random (`None`: never
    /// again). The draws follow the seed in the order requests arrive; which fault a request
    /// drew is in its [`RecordedRequest::fault`].
    pub fn set_chaos(&self, chaos: Option<Chaos>) {
        self.shared
            .with(|s| s.switches.chaos = chaos.map(ChaosDraws::new));
    }

    /// Stops the clock that session lifetimes and task delays are measured on: from now on it
    /// moves only by [`Self::advance_clock`]. Tests of a TTL or a delay use it, so that how long
    /// their requests take on a busy machine decides nothing.
    pub fn stop_clock(&self) {
        self.shared.with(|s| s.clock.stop());
    }

    /// Moves the emulator's clock forward by `by` (stopping it first if it was running):
    /// sessions past their lifetime expire, tasks past their delay finish.
    pub fn advance_clock(&self, by: Duration) {
        self.shared.with(|s| s.clock.advance(by));
    }

    /// Applies to tasks created from now on.
    pub fn set_task_delay(&self, delay: Duration) {
        self.shared.with(|s| s.switches.task_delay = delay);
    }

    /// Registers another presign link. A key that is not a UUID can never be presigned.
    pub fn add_key(&self, key: &str, presign: PresignProfile) {
        self.shared.with(|s| s.add_link(key, presign));
    }

    /// The requests received, in order of arrival (the latest `record_limit` of them).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.with(|s| s.requests.to_vec())
    }

    /// The bearer tokens the requests carried, in order of arrival: a test checks with them
    /// that a client authorised with the token it was issued.
    pub fn bearer_tokens(&self) -> Vec<String> {
        self.requests()
            .into_iter()
            .filter_map(|r| r.authorization)
            .map(|a| a.trim_start_matches("Bearer ").to_owned())
            .collect()
    }

    /// The selfie tokens the upload got as far as verifying, in order of arrival (the latest
    /// `record_limit`).
    pub fn selfie_tokens(&self) -> Vec<SelfieTokenRecord> {
        self.shared.with(|s| s.selfie_tokens.to_vec())
    }

    /// The status requests, in the order they were answered (the latest `record_limit`).
    pub fn polls(&self) -> Vec<RecordedPoll> {
        self.shared.with(|s| s.polls.to_vec())
    }

    /// Forgets the requests, status requests and selfie tokens recorded so far: a long run
    /// checks each batch of flows, then starts the next with empty records.
    pub fn clear_records(&self) {
        self.shared.with(|s| s.clear_records());
    }

    /// How many sessions and tasks the emulator holds now, expired ones not yet swept
    /// included: a long run checks with it that they do not pile up.
    pub fn held_sessions_and_tasks(&self) -> (usize, usize) {
        self.shared.with(|s| s.held())
    }
}
