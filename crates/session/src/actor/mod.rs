//! The task that owns one session's state. See [`crate::session`].
//!
//! This file holds the loop, the commands and the flow's side; [`cameras`] is the camera side
//! (the live camera, the still under review and its view), and `selfie` the liveness check.

mod cameras;
mod command;
mod inputs;
mod outbox;
mod photos;
mod selfie;

use std::sync::Arc;

use humo_ident_analytics::event::RetakeAfter;
use humo_ident_analytics::Outcome;
use humo_ident_camera::source::Purpose;
use humo_ident_camera::step::Subject;
use humo_ident_core::config::Config;
use humo_ident_core::flow::{Action, FlowEvent, FlowHandle, FlowState, StepKind};
use humo_ident_core::links::LinkPolicy;
use humo_ident_core::ErrorKind;
use tokio::sync::{mpsc, watch};
use tokio::time::Instant;

use self::cameras::Cameras;
pub(crate) use self::cameras::{CameraParts, CameraSignal};
pub(crate) use self::command::{Command, Reply};
use self::inputs::{presign_key, retry_delay, tax_number};
use self::outbox::Outbox;
use self::selfie::LunaPassScreen;
use crate::analytics::Recorder;
use crate::demo::DemoBank;
use crate::error::SessionError;
use crate::events::{
    AppEvent, AutoRetryView, KioskResetReason, KioskResetView, LunaPassView, Notice, Snapshot,
};
use crate::liveness::Liveness;
use crate::presence::Presence;

/// A timer the actor waits on.
#[derive(Default)]
struct Timers {
    retry: Option<Instant>,
    retry_attempt: u32,
    kiosk_reset: Option<Instant>,
}

/// The pieces the actor is built from.
pub(crate) struct ActorParts {
    pub config: Arc<Config>,
    pub kiosk: bool,
    pub flow: FlowHandle,
    pub demo_bank: Option<DemoBank>,
    pub cameras: CameraParts,
    pub liveness: Liveness,
    pub luna_pass_screen: watch::Sender<Option<LunaPassView>>,
    pub kiosk_resets: watch::Sender<u64>,
    pub presence: watch::Sender<Presence>,
    pub recorder: Recorder,
}

pub(crate) struct Actor {
    config: Arc<Config>,
    kiosk: bool,
    links: LinkPolicy,
    flow: FlowHandle,
    demo_bank: Option<DemoBank>,
    liveness: Liveness,
    luna_pass: LunaPassScreen,
    outbox: Outbox,
    cameras: Cameras,

    state: FlowState,
    timers: Timers,
    last_activity: Instant,
    /// When the current client's link was opened: a kiosk drops the client after
    /// `kiosk.max-client-secs` whatever the activity.
    client_since: Option<Instant>,
    last_bad_code: Option<String>,
    last_kiosk_reset: Option<Instant>,
    kiosk_resets: watch::Sender<u64>,
    presence: watch::Sender<Presence>,
    recorder: Recorder,
}

/// How long after a kiosk's reset a page that subscribes is still told of it.
const RESET_NOTICE_FOR: std::time::Duration = std::time::Duration::from_secs(10);

impl Actor {
    pub fn new(parts: ActorParts) -> Actor {
        let outbox = Outbox::default();
        Actor {
            links: LinkPolicy::from_config(&parts.config),
            config: parts.config,
            kiosk: parts.kiosk,
            flow: parts.flow,
            demo_bank: parts.demo_bank,
            liveness: parts.liveness,
            luna_pass: LunaPassScreen::new(parts.luna_pass_screen),
            cameras: Cameras::new(parts.cameras, outbox.clone()),
            outbox,
            state: FlowState::AwaitingLink,
            timers: Timers::default(),
            last_activity: Instant::now(),
            client_since: None,
            last_bad_code: None,
            last_kiosk_reset: None,
            kiosk_resets: parts.kiosk_resets,
            presence: parts.presence,
            recorder: parts.recorder,
        }
    }

    pub async fn run(
        mut self,
        mut commands: mpsc::Receiver<Command>,
        mut flow_events: mpsc::UnboundedReceiver<FlowEvent>,
        mut signals: mpsc::UnboundedReceiver<CameraSignal>,
    ) {
        loop {
            let retry_at = self.timers.retry;
            let kiosk_at = self.kiosk_deadline();
            tokio::select! {
                command = commands.recv() => {
                    let Some(command) = command else { break };
                    self.last_activity = Instant::now();
                    self.handle(command).await;
                    self.note_presence();
                }
                event = flow_events.recv() => {
                    let Some(event) = event else { break };
                    self.on_flow_event(event);
                }
                Some(signal) = signals.recv() => self.on_camera(signal),
                _ = sleep_until(retry_at) => {
                    self.timers.retry = None;
                    self.emit(AppEvent::AutoRetry(None));
                    if let Err(error) = self.flow.act(Action::Retry).await {
                        tracing::debug!("automatic retry not taken: {error}");
                    }
                }
                _ = sleep_until(kiosk_at) => {
                    let why = self.why_kiosk_resets();
                    self.reset_for_next_client(why).await;
                }
            }
        }
        self.recorder.end(Outcome::AppClosed);
        self.cameras.stop();
        self.take_camera_back();
        if let Some(bank) = self.demo_bank.take() {
            bank.shutdown().await;
        }
    }

    /// Carries out one command and answers it.
    async fn handle(&mut self, command: Command) {
        match command {
            Command::Subscribe(sink, reply) => {
                self.subscribe(sink);
                answer(reply, Ok(()));
            }
            Command::OpenLink(text, reply) => answer(reply, self.open_link(&text).await),
            Command::ChooseDocument(kind, typed, reply) => {
                let chosen = match tax_number(typed) {
                    Ok(tax_number) => {
                        act(&self.flow, Action::ChooseDocument { kind, tax_number }).await
                    }
                    Err(error) => Err(error),
                };
                answer(reply, chosen);
            }
            Command::ScanCode(on, reply) => {
                self.scan_code(on);
                answer(reply, Ok(()));
            }
            Command::TakePhoto(reply) => answer(reply, self.cameras.press_shutter()),
            Command::AutoCapture(on, reply) => {
                self.cameras.set_auto_capture(on);
                answer(reply, Ok(()));
            }
            Command::UsePhoto(reply) => answer(reply, self.use_photo().await),
            Command::Retake(reply) => answer(reply, self.retake().await),
            Command::UsePhotoFile(bytes, reply) => self.use_photo_file(bytes, reply),
            Command::LunaPassResult(jwt, reply) => {
                answer(reply, self.on_luna_pass_result(jwt).await)
            }
            Command::ListCameras(reply) => answer(reply, Ok(self.cameras.options())),
            Command::ChooseCamera(id, reply) => answer(reply, self.cameras.choose(id)),
            Command::Flow(action, reply) => answer(reply, act(&self.flow, action).await),
            Command::Reset(reply) => {
                self.reset_for_next_client(Outcome::StartedOver).await;
                answer(reply, Ok(()));
            }
            Command::Activity(reply) => answer(reply, Ok(())),
            Command::HomePage(reply) => answer(reply, self.home_page()),
            Command::Demo(fault, reply) => {
                let applied = match &self.demo_bank {
                    Some(bank) => {
                        bank.apply(fault);
                        Ok(())
                    }
                    None => Err(SessionError::DemoOnly),
                };
                answer(reply, applied);
            }
        }
    }

    /// Sends every event to `sink` from now on, starting with everything going on now.
    fn subscribe(&mut self, sink: crate::events::EventSink) {
        let now = Instant::now();
        let snapshot = Snapshot {
            state: self.state.clone(),
            camera: self.cameras.view(),
            luna_pass: self.luna_pass.shown(),
            retry: self.timers.retry.map(|at| AutoRetryView {
                attempt: self.timers.retry_attempt,
                in_ms: at.saturating_duration_since(now).as_millis() as u64,
            }),
            kiosk_reset: self.timers.kiosk_reset.map(|at| KioskResetView {
                in_ms: at.saturating_duration_since(now).as_millis() as u64,
                reason: KioskResetReason::Finished,
            }),
            notice: self
                .last_kiosk_reset
                .filter(|at| now.duration_since(*at) < RESET_NOTICE_FOR)
                .map(|_| Notice::KioskWasReset),
        };
        for event in snapshot.events() {
            sink(event);
        }
        self.outbox.subscribe(sink);
    }

    async fn open_link(&mut self, text: &str) -> Result<(), SessionError> {
        let key = presign_key(&self.links, text)?;
        // Refused before anything acts on it: a link that arrives mid-step (handed over by a
        // second start, say) leaves the step's camera running.
        if !self.state.takes_link() {
            return Err(humo_ident_core::Error::InvalidAction {
                action: Action::OpenLink(key).name(),
                state: self.state.name(),
            }
            .into());
        }
        self.cameras.stop();
        act(&self.flow, Action::OpenLink(key)).await
    }

    /// Starts or stops reading the link's QR code: only where a link may be opened.
    fn scan_code(&mut self, on: bool) {
        if !on {
            if self.cameras.purpose() == Some(Purpose::Code) {
                self.cameras.stop();
            }
        } else if self.may_open_link() {
            self.last_bad_code = None;
            // The synthetic camera films the demo's own link.
            let demo_link = DemoBank::KEY
                .map(|key| format!("{}://open?key={key}", humo_ident_core::input::APP_SCHEME));
            self.cameras.start(Subject::Code(demo_link), None);
        }
    }

    fn may_open_link(&self) -> bool {
        matches!(
            self.state,
            FlowState::AwaitingLink
                | FlowState::LinkFailed { .. }
                | FlowState::Expired { .. }
                | FlowState::Cancelled
        )
    }

    /// Sends the still under review; it stays under review, shown as it was, if the flow
    /// refuses it.
    async fn use_photo(&mut self) -> Result<(), SessionError> {
        let input = self
            .cameras
            .review_input()
            .ok_or(SessionError::NothingToReview)?;
        self.flow.act(Action::Submit(input)).await?;
        self.cameras.review_sent();
        Ok(())
    }

    /// Takes the step's photo again: after the bank refused it, or instead of the one under
    /// review.
    async fn retake(&mut self) -> Result<(), SessionError> {
        if let FlowState::StepRejected { step, .. } = &self.state {
            let step = step.clone();
            act(&self.flow, Action::Retake).await?;
            self.recorder
                .retake(&step, RetakeAfter::BankRefusal, Vec::new());
            return Ok(());
        }
        let FlowState::AwaitingInput { step } = &self.state else {
            return Err(SessionError::NothingToReview);
        };
        let (kind, index) = (step.kind, step.index);
        if let Some(review) = self.cameras.view().and_then(|view| view.review) {
            self.recorder
                .retake(step, RetakeAfter::Review, review.warnings);
        }
        self.cameras.clear_review();
        self.start_step_camera(kind, index)
    }

    /// The bank's page to go back to: only at the end, never at a kiosk, and only a page or
    /// app the configuration trusts (`[links]`; see [`Actor::offer_only_trusted_home_page`]).
    fn home_page(&self) -> Result<String, SessionError> {
        match &self.state {
            FlowState::Done {
                home_page: Some(url),
                ..
            } if !self.kiosk => Ok(url.clone()),
            _ => Err(SessionError::NoHomePage),
        }
    }

    /// A `home_page` the configuration does not trust is dropped from the final state, so the
    /// UI offers no button that could only fail.
    fn offer_only_trusted_home_page(&self, state: &mut FlowState) {
        if let FlowState::Done { home_page, .. } = state {
            if home_page
                .as_deref()
                .is_some_and(|url| !self.links.may_open_home_page(url))
            {
                tracing::warn!("the bank's home page is not on the [links] allow-list");
                *home_page = None;
            }
        }
    }

    fn on_flow_event(&mut self, mut event: FlowEvent) {
        let changed = match &mut event {
            FlowEvent::StateChanged { state } => {
                self.offer_only_trusted_home_page(state);
                if matches!(state, FlowState::OpeningLink) {
                    // A link opened: a client's time at a kiosk starts.
                    self.client_since = Some(Instant::now());
                }
                self.state = state.clone();
                self.recorder.on_state(state);
                // Before the UI hears of the state, so whoever sees it sees the presence too.
                self.note_presence();
                true
            }
            FlowEvent::TaskProgress { .. } => false,
        };
        self.emit(AppEvent::Flow(event));
        if changed {
            self.on_state();
        }
    }

    /// Tells the shell whether a client is at the app: anything but the start screen is a
    /// client's, and the start screen counts from its last touch.
    fn note_presence(&self) {
        let now = match self.state {
            FlowState::AwaitingLink => Presence::NoClientSince(self.last_activity),
            _ => Presence::Client,
        };
        self.presence.send_if_modified(|presence| {
            let changed = *presence != now;
            *presence = now;
            changed
        });
    }

    /// Brings the camera, the retry and the kiosk's timer in line with the flow's new state.
    fn on_state(&mut self) {
        self.follow_with_camera();
        self.schedule_retry();
        self.schedule_kiosk_reset();
    }

    /// The camera films what the flow waits for: the step's subject, or (where a link may be
    /// opened) a QR code being scanned; otherwise it is closed.
    fn follow_with_camera(&mut self) {
        let at_selfie = matches!(
            &self.state,
            FlowState::AwaitingInput { step } if step.kind == StepKind::Selfie
        );
        if !at_selfie {
            self.take_camera_back();
        }
        match &self.state {
            FlowState::AwaitingInput { step } => {
                let (kind, index) = (step.kind, step.index);
                let reviewing = self.cameras.reviewing_step() == Some(index);
                let live = self.cameras.live_step() == Some(index);
                if !reviewing && !live {
                    self.cameras.clear_review();
                    if let Err(error) = self.start_step_camera(kind, index) {
                        tracing::info!("no camera for this step: {error}");
                    }
                }
            }
            _ if self.may_open_link() && self.cameras.purpose() == Some(Purpose::Code) => {}
            _ => {
                self.cameras.stop();
                self.cameras.clear_review();
            }
        }
    }

    /// After a network failure the flow is retried by itself after a growing delay.
    fn schedule_retry(&mut self) {
        let interrupted = match &self.state {
            FlowState::StepInterrupted { error, .. } if error.kind == ErrorKind::Unavailable => {
                Some(error.code)
            }
            FlowState::LinkFailed {
                retryable: true,
                error,
            } => Some(error.code),
            _ => None,
        };
        let in_flight = matches!(
            self.state,
            FlowState::OpeningLink | FlowState::Uploading { .. } | FlowState::Processing { .. }
        );
        if let Some(error) = interrupted {
            self.timers.retry_attempt += 1;
            self.recorder
                .network_retry(self.timers.retry_attempt, error);
            let delay = retry_delay(self.timers.retry_attempt);
            self.timers.retry = Some(Instant::now() + delay);
            self.emit(AppEvent::AutoRetry(Some(AutoRetryView {
                attempt: self.timers.retry_attempt,
                in_ms: delay.as_millis() as u64,
            })));
        } else {
            if self.timers.retry.take().is_some() {
                self.emit(AppEvent::AutoRetry(None));
            }
            if !in_flight {
                self.timers.retry_attempt = 0;
            }
        }
    }

    /// A kiosk starts over a while after the final screen.
    fn schedule_kiosk_reset(&mut self) {
        if !self.kiosk {
            return;
        }
        self.timers.kiosk_reset = match self.state {
            FlowState::Done { .. } => {
                let after = self.config.kiosk.done_reset();
                self.emit(AppEvent::KioskReset(Some(KioskResetView {
                    in_ms: after.as_millis() as u64,
                    reason: KioskResetReason::Finished,
                })));
                Some(Instant::now() + after)
            }
            _ => None,
        };
    }

    /// When the kiosk starts over by itself: after the final screen's time, or after the idle
    /// time-out, but never while a request is under way or on the start screen.
    fn kiosk_deadline(&self) -> Option<Instant> {
        if !self.kiosk {
            return None;
        }
        if let Some(at) = self.timers.kiosk_reset {
            return Some(at);
        }
        match self.state {
            FlowState::AwaitingLink
            | FlowState::OpeningLink
            | FlowState::Uploading { .. }
            | FlowState::Processing { .. } => None,
            _ => {
                let idle = self.last_activity + self.config.kiosk.idle_reset();
                let time_up = self
                    .client_since
                    .map(|since| since + self.config.kiosk.max_client());
                Some(time_up.map_or(idle, |time_up| idle.min(time_up)))
            }
        }
    }

    /// Why a kiosk starts over by itself now: its time limit for a client, or nobody touched
    /// it (after the final screen, the identification has ended already).
    fn why_kiosk_resets(&self) -> Outcome {
        let time_up = self
            .client_since
            .is_some_and(|since| Instant::now() >= since + self.config.kiosk.max_client());
        match time_up {
            true => Outcome::KioskTimeUp,
            false => Outcome::KioskIdle,
        }
    }

    /// Drops everything of the client (photos, token, results) and shows the start screen;
    /// `why` ends the identification under way, if one is.
    async fn reset_for_next_client(&mut self, why: Outcome) {
        self.recorder.end(why);
        self.cameras.forget();
        self.timers = Timers::default();
        self.emit(AppEvent::AutoRetry(None));
        self.emit(AppEvent::KioskReset(None));
        self.last_bad_code = None;
        self.last_activity = Instant::now();
        self.client_since = None;
        if let Some(bank) = &self.demo_bank {
            bank.apply(crate::DemoFault::Heal);
        }
        if let Err(error) = self.flow.act(Action::Reset).await {
            tracing::warn!("the flow did not reset: {error}");
        }
        if self.kiosk {
            self.emit(AppEvent::Notice(Notice::KioskWasReset));
            self.last_kiosk_reset = Some(Instant::now());
            // The shell clears the webview's browsing data and reloads its pages.
            self.kiosk_resets.send_modify(|count| *count += 1);
        }
    }

    fn emit(&self, event: AppEvent) {
        self.outbox.emit(event);
    }
}

/// Hands an action to the flow. Takes the handle alone, so no borrow of the whole actor is
/// held across the wait.
async fn act(flow: &FlowHandle, action: Action) -> Result<(), SessionError> {
    Ok(flow.act(action).await?)
}

fn answer<T>(reply: Reply<T>, result: Result<T, SessionError>) {
    // The caller may have gone (the page was closed); the command was carried out all the same.
    let _ = reply.send(result);
}

async fn sleep_until(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}
