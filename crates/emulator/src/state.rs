//! Everything the emulator knows, behind one mutex that is only held for a few statements
//! and never across an `.await`.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use rand::RngCore;
use serde_json::Value;

use crate::chaos::{ChaosDraws, ChaosFault};
use crate::clock::EmulatorClock;
use crate::config::{EmulatorConfig, DEMO_KEY, DEMO_KEY_WITH_DEPART, EXPIRED_KEY};
use crate::controls::{
    PollFault, PresignProfile, RecordedPoll, RecordedRequest, SelfieTokenRecord,
};
use crate::recent::Recent;

/// Task ids count up from here, so they look like the bank's six-digit ids.
const FIRST_TASK_ID: u64 = 100_001;

/// How often expired sessions and their tasks are swept out: often enough that memory stays
/// flat, rarely enough that a busy emulator does not walk its maps on every request.
const SWEEP_EVERY: Duration = Duration::from_secs(1);

pub(crate) struct Shared {
    state: Mutex<State>,
}

impl Shared {
    pub(crate) fn new(config: EmulatorConfig) -> Self {
        Self {
            state: Mutex::new(State::new(config)),
        }
    }

    /// Runs `f` under the lock. A panic while it was held cannot leave the state
    /// half-updated in a way that matters to an emulator, so poisoning is ignored.
    pub(crate) fn with<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        let mut guard = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        f(&mut guard)
    }
}

/// The switches of [`crate::Controls`] and the start-up settings they override.
pub(crate) struct Switches {
    pub(crate) task_delay: Duration,
    pub(crate) latency: Duration,
    pub(crate) unauthorized: bool,
    pub(crate) never_finish: bool,
    pub(crate) fail_next_ocr: Option<String>,
    pub(crate) fail_next_selfie: Option<String>,
    /// The errors the LUNA PASS double's next check answers with.
    pub(crate) fail_next_liveness: Option<Vec<String>>,
    pub(crate) poll_faults: VecDeque<PollFault>,
    /// Faults drawn at random per request (see [`crate::Controls::set_chaos`]).
    pub(crate) chaos: Option<ChaosDraws>,
}

/// What a presign opens on the server: the access token it issued and what the link said.
#[derive(Clone, Debug)]
pub(crate) struct ServerSession {
    pub(crate) id: u64,
    pub(crate) key: String,
    pub(crate) profile: PresignProfile,
    /// Past this, the token is refused and the session forgotten.
    expires_at: Instant,
}

/// How a task ends once its delay has passed.
#[derive(Clone, Debug)]
pub(crate) enum Outcome {
    Success(Value),
    Failure(Value),
}

struct Task {
    session_id: u64,
    ready_at: Instant,
    outcome: Outcome,
    /// A chaos fault made it answer `SENT` for ever.
    never_finishes: bool,
}

/// What a status request sees of a task.
pub(crate) enum TaskView {
    Pending,
    Done(Outcome),
}

pub(crate) struct State {
    pub(crate) switches: Switches,
    pub(crate) liveness_key: Vec<u8>,
    pub(crate) requests: Recent<RecordedRequest>,
    pub(crate) polls: Recent<RecordedPoll>,
    pub(crate) selfie_tokens: Recent<SelfieTokenRecord>,
    links: HashMap<String, PresignProfile>,
    sessions: HashMap<String, ServerSession>,
    tasks: HashMap<u64, Task>,
    next_task_id: u64,
    next_session_id: u64,
    session_ttl: Duration,
    next_sweep: Instant,
    /// Session lifetimes and task delays are measured on it (see [`crate::Controls::stop_clock`]).
    pub(crate) clock: EmulatorClock,
}

impl State {
    fn new(config: EmulatorConfig) -> Self {
        let mut state = Self {
            switches: Switches {
                task_delay: config.task_delay,
                latency: config.latency,
                unauthorized: false,
                never_finish: false,
                fail_next_ocr: None,
                fail_next_selfie: None,
                fail_next_liveness: None,
                poll_faults: VecDeque::new(),
                chaos: None,
            },
            liveness_key: config.local_liveness_key,
            requests: Recent::new(config.record_limit),
            polls: Recent::new(config.record_limit),
            selfie_tokens: Recent::new(config.record_limit),
            links: HashMap::new(),
            sessions: HashMap::new(),
            tasks: HashMap::new(),
            next_task_id: FIRST_TASK_ID,
            next_session_id: 1,
            session_ttl: config.session_ttl,
            next_sweep: Instant::now() + SWEEP_EVERY,
            clock: EmulatorClock::default(),
        };
        state.add_link(DEMO_KEY, PresignProfile::default());
        let with_depart = PresignProfile {
            depart_id: Some(42),
            staff_id: Some(7),
            ..PresignProfile::default()
        };
        state.add_link(DEMO_KEY_WITH_DEPART, with_depart);
        let expired = PresignProfile {
            gone: true,
            ..PresignProfile::default()
        };
        state.add_link(EXPIRED_KEY, expired);
        state
    }

    /// Links are stored under the canonical spelling of their UUID, so the lookup does not
    /// depend on how the client spelt it.
    pub(crate) fn add_link(&mut self, key: &str, profile: PresignProfile) {
        let stored = canonical_key(key).unwrap_or_else(|| key.to_owned());
        self.links.insert(stored, profile);
    }

    pub(crate) fn link(&self, canonical: &str) -> Option<&PresignProfile> {
        self.links.get(canonical)
    }

    /// Opens a session for a presigned link and returns its fresh access token.
    pub(crate) fn open_session(&mut self, key: &str, profile: PresignProfile) -> String {
        self.sweep_now_and_then();
        let token = fresh_token();
        let id = self.next_session_id;
        self.next_session_id += 1;
        let session = ServerSession {
            id,
            key: key.to_owned(),
            profile,
            expires_at: self.clock.now() + self.session_ttl,
        };
        self.sessions.insert(token.clone(), session);
        token
    }

    /// The session of a token that is known and has not expired.
    pub(crate) fn session(&self, token: &str) -> Option<&ServerSession> {
        self.sessions
            .get(token)
            .filter(|s| self.clock.now() < s.expires_at)
    }

    /// Forgets expired sessions and the tasks they created, at most once per [`SWEEP_EVERY`].
    fn sweep_now_and_then(&mut self) {
        let now = self.clock.now();
        if now < self.next_sweep {
            return;
        }
        self.next_sweep = now + SWEEP_EVERY;
        self.sessions.retain(|_, s| now < s.expires_at);
        let live: std::collections::HashSet<u64> = self.sessions.values().map(|s| s.id).collect();
        self.tasks.retain(|_, t| live.contains(&t.session_id));
    }

    /// How many sessions and tasks are held, expired or not: what a long run must keep flat.
    pub(crate) fn held(&self) -> (usize, usize) {
        (self.sessions.len(), self.tasks.len())
    }

    /// Creates a task owned by `session_id` that finishes after the current task delay.
    pub(crate) fn create_task(&mut self, session_id: u64, outcome: Outcome) -> u64 {
        self.sweep_now_and_then();
        let id = self.next_task_id;
        self.next_task_id += 1;
        let task = Task {
            session_id,
            ready_at: self.clock.now() + self.switches.task_delay,
            outcome,
            never_finishes: false,
        };
        self.tasks.insert(id, task);
        id
    }

    /// The task as `session_id` may see it; `None` when it does not exist or is another
    /// session's, which the server does not tell apart.
    pub(crate) fn task_view(&self, id: u64, session_id: u64) -> Option<TaskView> {
        let task = self.tasks.get(&id).filter(|t| t.session_id == session_id)?;
        if self.switches.never_finish || task.never_finishes || self.clock.now() < task.ready_at {
            Some(TaskView::Pending)
        } else {
            Some(TaskView::Done(task.outcome.clone()))
        }
    }

    /// Applies a chaos fault that concerns the task an upload created.
    pub(crate) fn spoil_task(&mut self, id: u64, fault: ChaosFault) {
        let Some(task) = self.tasks.get_mut(&id) else {
            return;
        };
        match fault {
            ChaosFault::NeverFinish => task.never_finishes = true,
            ChaosFault::Failure => {
                task.outcome = Outcome::Failure(crate::fixtures::chaos_failure());
            }
            _ => {}
        }
    }

    /// Forgets the session of `token`: from now on it gets 401, as a revoked token does.
    pub(crate) fn revoke(&mut self, token: &str) {
        self.sessions.remove(token);
    }

    /// Notes a request on arrival; the returned number is for [`Self::finish_request`].
    pub(crate) fn begin_request(
        &mut self,
        method: String,
        path: String,
        authorization: Option<String>,
    ) -> u64 {
        let link_key = match path.strip_prefix("/api/link/presign/") {
            Some(key) => Some(canonical_key(key).unwrap_or_else(|| key.to_owned())),
            None => authorization
                .as_deref()
                .and_then(|a| a.strip_prefix("Bearer "))
                .and_then(|token| self.sessions.get(token.trim()))
                .map(|session| session.key.clone()),
        };
        self.requests.push(RecordedRequest {
            method,
            path,
            authorization,
            fields: Vec::new(),
            status: 0,
            fault: None,
            link_key,
            created_task: None,
        })
    }

    pub(crate) fn clear_records(&mut self) {
        self.requests.clear();
        self.polls.clear();
        self.selfie_tokens.clear();
    }

    pub(crate) fn finish_request(&mut self, seq: u64, fields: Vec<(String, String)>, status: u16) {
        if let Some(request) = self.requests.get_mut(seq) {
            request.fields = fields;
            request.status = status;
        }
    }
}

/// The lowercase hyphenated form of a UUID key, or `None` when `key` is not a UUID.
pub(crate) fn canonical_key(key: &str) -> Option<String> {
    uuid::Uuid::try_parse(key)
        .ok()
        .map(|uuid| uuid.hyphenated().to_string())
}

/// 32 random bytes as hex: unguessable, and safe to put in a header.
fn fresh_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
