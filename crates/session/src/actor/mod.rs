//! The task that owns one session's state. See [`crate::session`].
//!
//! This file holds the loop, the commands, and the flow's side; `camera` holds the live camera
//! and the still under review.

mod camera;
mod selfie;

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use humo_ident_camera::source::{DeviceChoice, Purpose};
use humo_ident_core::config::Config;
use humo_ident_core::flow::{Action, FlowEvent, FlowHandle, FlowState, StepInput, StepKind};
use humo_ident_core::ErrorKind;
use humo_ident_emulator::Emulator;
use tokio::sync::mpsc;
use tokio::time::Instant;

use self::camera::purpose_from;
use crate::camera_step::{CameraContext, CameraSignal, LiveCamera};
use crate::error::SessionError;
use crate::events::{
    AppEvent, AutoRetryView, CameraView, KioskResetReason, KioskResetView, LunaPassView, Notice,
    Snapshot,
};
use crate::liveness::Liveness;
use crate::preview::ReviewImages;
use crate::session::{
    presign_key, retry_delay, tax_number, ActorParts, Command, EventSink, Reply, Request,
};

/// A still waiting for "use this photo" or "take again".
struct Review {
    step_index: usize,
    input: StepInput,
}

/// A timer the actor waits on.
#[derive(Default)]
struct Timers {
    retry: Option<Instant>,
    retry_attempt: u32,
    kiosk_reset: Option<Instant>,
}

pub(crate) struct Actor {
    config: Arc<Config>,
    kiosk: bool,
    config_file: Option<PathBuf>,
    flow: FlowHandle,
    emulator: Option<Emulator>,
    context: CameraContext,
    camera_choice: DeviceChoice,
    reviews: ReviewImages,
    liveness: Liveness,
    camera_lent: Arc<AtomicBool>,

    sink: Option<EventSink>,
    state: FlowState,
    camera: Option<LiveCamera>,
    /// Cameras stopped whose devices may not be closed yet.
    closing: Vec<tokio::task::JoinHandle<()>>,
    view: Option<CameraView>,
    luna_pass: Option<LunaPassView>,
    review: Option<Review>,
    generation: u64,
    timers: Timers,
    last_activity: Instant,
    last_bad_code: Option<String>,
}

impl Actor {
    pub fn new(parts: ActorParts) -> Actor {
        Actor {
            config: parts.config,
            kiosk: parts.kiosk,
            config_file: parts.config_file,
            flow: parts.flow,
            emulator: parts.emulator,
            context: parts.context,
            camera_choice: parts.camera_choice,
            reviews: parts.reviews,
            liveness: parts.liveness,
            camera_lent: parts.camera_lent,
            sink: None,
            state: FlowState::AwaitingLink,
            camera: None,
            closing: Vec::new(),
            view: None,
            luna_pass: None,
            review: None,
            generation: 0,
            timers: Timers::default(),
            last_activity: Instant::now(),
            last_bad_code: None,
        }
    }

    pub async fn run(
        mut self,
        mut commands: mpsc::Receiver<Request>,
        mut flow_events: mpsc::UnboundedReceiver<FlowEvent>,
        mut signals: mpsc::UnboundedReceiver<CameraSignal>,
    ) {
        loop {
            let retry_at = self.timers.retry;
            let kiosk_at = self.kiosk_deadline();
            tokio::select! {
                request = commands.recv() => {
                    let Some(Request { command, reply }) = request else { break };
                    self.last_activity = Instant::now();
                    let result = self.handle(command).await;
                    let _ = reply.send(result);
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
                _ = sleep_until(kiosk_at) => self.reset_for_next_client().await,
            }
        }
        self.stop_camera();
        self.take_camera_back();
        if let Some(emulator) = self.emulator.take() {
            emulator.shutdown().await;
        }
    }

    async fn handle(&mut self, command: Command) -> Result<Reply, SessionError> {
        match command {
            Command::Subscribe(sink) => {
                let now = Instant::now();
                let snapshot = Snapshot {
                    state: self.state.clone(),
                    camera: self.view.clone(),
                    luna_pass: self.luna_pass.clone(),
                    retry: self.timers.retry.map(|at| AutoRetryView {
                        attempt: self.timers.retry_attempt,
                        in_ms: at.saturating_duration_since(now).as_millis() as u64,
                    }),
                    kiosk_reset: self.timers.kiosk_reset.map(|at| KioskResetView {
                        in_ms: at.saturating_duration_since(now).as_millis() as u64,
                        reason: KioskResetReason::Finished,
                    }),
                };
                for event in snapshot.events() {
                    sink(event);
                }
                self.sink = Some(sink);
            }
            Command::OpenLink(text) => {
                let key = presign_key(&text)?;
                self.stop_camera();
                self.flow.act(Action::OpenLink(key)).await?;
            }
            Command::ChooseDocument(kind, typed) => {
                let tax_number = tax_number(typed)?;
                self.flow
                    .act(Action::ChooseDocument { kind, tax_number })
                    .await?;
            }
            Command::ScanCode(on) => {
                if !on {
                    if self.purpose() == Some(Purpose::Code) {
                        self.stop_camera();
                    }
                } else if matches!(
                    self.state,
                    FlowState::AwaitingLink
                        | FlowState::LinkFailed { .. }
                        | FlowState::Expired { .. }
                        | FlowState::Cancelled
                ) {
                    self.last_bad_code = None;
                    self.start_camera(Purpose::Code, None);
                }
            }
            Command::TakePhoto => match &self.camera {
                Some(camera) => camera.press_shutter(),
                None => return Err(SessionError::NothingToReview),
            },
            Command::AutoCapture(on) => {
                self.context.auto_capture.store(on, Ordering::Relaxed);
                if let Some(mut view) = self.view.clone() {
                    view.auto_capture = on;
                    self.set_view(Some(view));
                }
            }
            Command::UsePhoto => {
                let review = self.review.take().ok_or(SessionError::NothingToReview)?;
                self.set_review_view(None);
                if let Err(error) = self.flow.act(Action::Submit(review.input.clone())).await {
                    self.review = Some(review);
                    return Err(error.into());
                }
            }
            Command::Retake => {
                if matches!(self.state, FlowState::StepRejected { .. }) {
                    self.flow.act(Action::Retake).await?;
                } else if let FlowState::AwaitingInput { step } = &self.state {
                    let (kind, index) = (step.kind, step.index);
                    self.clear_review();
                    self.start_step_camera(kind, index)?;
                } else {
                    return Err(SessionError::NothingToReview);
                }
            }
            Command::UsePhotoFile(bytes) => self.use_photo_file(&bytes)?,
            Command::LunaPassResult(jwt) => self.on_luna_pass_result(jwt).await?,
            Command::ListCameras => return Ok(Reply::Cameras(self.camera_options())),
            Command::ChooseCamera(id) => {
                self.camera_choice = DeviceChoice::parse(&id);
                if let Some(path) = &self.config_file {
                    if let Err(error) = Config::remember_camera(path, &id) {
                        tracing::warn!("the camera choice was not remembered: {error}");
                    }
                }
                // Restart the camera the step is using, or the one that failed to open.
                let current = match (&self.camera, &self.view) {
                    (Some(camera), _) => Some((camera.purpose, camera.step_index)),
                    (None, Some(view)) if view.review.is_none() => {
                        Some((purpose_from(view.purpose), view.step_index))
                    }
                    _ => None,
                };
                if let Some((purpose, index)) = current {
                    self.start_camera(purpose, index);
                }
            }
            Command::Flow(action) => self.flow.act(action).await?,
            Command::Reset => self.reset_for_next_client().await,
            Command::Activity => {}
            Command::HomePage => {
                return match &self.state {
                    FlowState::Done {
                        home_page: Some(url),
                        ..
                    } if !self.kiosk => Ok(Reply::HomePage(url.clone())),
                    _ => Err(SessionError::NoHomePage),
                }
            }
            Command::Demo(fault) => {
                let emulator = self.emulator.as_ref().ok_or(SessionError::DemoOnly)?;
                fault.apply(&emulator.controls());
            }
        }
        Ok(Reply::Done)
    }

    fn on_flow_event(&mut self, event: FlowEvent) {
        let changed = match &event {
            FlowEvent::StateChanged { state } => {
                self.state = state.clone();
                true
            }
            FlowEvent::TaskProgress { .. } => false,
        };
        self.emit(AppEvent::Flow(event));
        if changed {
            self.on_state();
        }
    }

    /// Brings the camera, the retry and the kiosk's timer in line with the flow's new state.
    fn on_state(&mut self) {
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
                let reviewing = self.review.as_ref().map(|r| r.step_index) == Some(index);
                let live = self.camera.as_ref().and_then(|c| c.step_index) == Some(index);
                if !reviewing && !live {
                    self.clear_review();
                    if let Err(error) = self.start_step_camera(kind, index) {
                        tracing::info!("no camera for this step: {error}");
                    }
                }
            }
            FlowState::AwaitingLink
            | FlowState::LinkFailed { .. }
            | FlowState::Expired { .. }
            | FlowState::Cancelled
                if self.purpose() == Some(Purpose::Code) => {}
            _ => {
                self.stop_camera();
                self.clear_review();
            }
        }

        let interrupted = match &self.state {
            FlowState::StepInterrupted { error, .. } => error.kind == ErrorKind::Unavailable,
            FlowState::LinkFailed { retryable, .. } => *retryable,
            _ => false,
        };
        let in_flight = matches!(
            self.state,
            FlowState::OpeningLink | FlowState::Uploading { .. } | FlowState::Processing { .. }
        );
        if interrupted {
            self.timers.retry_attempt += 1;
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

        if self.kiosk {
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
            _ => Some(self.last_activity + self.config.kiosk.idle_reset()),
        }
    }

    /// Drops everything of the client (photos, token, results) and shows the start screen.
    async fn reset_for_next_client(&mut self) {
        self.stop_camera();
        self.clear_review();
        self.set_view(None);
        self.timers = Timers::default();
        self.emit(AppEvent::AutoRetry(None));
        self.emit(AppEvent::KioskReset(None));
        self.last_bad_code = None;
        self.last_activity = Instant::now();
        if let Some(emulator) = &self.emulator {
            crate::DemoFault::Heal.apply(&emulator.controls());
        }
        if let Err(error) = self.flow.act(Action::Reset).await {
            tracing::warn!("the flow did not reset: {error}");
        }
        if self.kiosk {
            self.emit(AppEvent::Notice(Notice::KioskWasReset));
        }
    }

    fn emit(&self, event: AppEvent) {
        if let Some(sink) = &self.sink {
            sink(event);
        }
    }
}

async fn sleep_until(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}
