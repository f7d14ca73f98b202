//! What the session records of each identification as events (`humo_ident_analytics`): the
//! screens reached and the time on each, how photos were taken and why taken again, the bank's
//! refusals, network retries, liveness refusals, and how each identification ended.
//!
//! The actor calls the [`Recorder`] where those things happen; the recorder turns them into
//! lines and hands them to the [`EventsSink`]: the event files in the app, a list in tests.

use std::fmt;
use std::io::Write;
use std::sync::Arc;

use humo_ident_analytics::event::{step_id, Capture, RetakeAfter};
use humo_ident_analytics::named::{AppVersion, CameraModel, Code, KioskId};
use humo_ident_analytics::{CameraInfo, Event, EventLine, Outcome, Screen};
use humo_ident_camera::checks::Issue;
use humo_ident_core::config::LoggingConfig;
use humo_ident_core::flow::{FlowState, StepView};
use humo_ident_core::ErrorCode;
use tokio::time::Instant;

use crate::logs::{open_daily, LogFilesError, EVENT_FILES};

/// Where event lines go.
#[derive(Clone)]
pub struct EventsSink(Arc<dyn Fn(&EventLine) + Send + Sync>);

impl EventsSink {
    /// A sink that calls `write` with each line.
    pub fn new(write: impl Fn(&EventLine) + Send + Sync + 'static) -> EventsSink {
        EventsSink(Arc::new(write))
    }

    /// Hands `line` to the sink.
    pub fn write(&self, line: &EventLine) {
        (self.0)(line)
    }
}

impl fmt::Debug for EventsSink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EventsSink")
    }
}

/// Turns what a flow goes through into event lines: the session's actor feeds it everything,
/// and a driver of the core's flow alone (the soak's) can feed it the flow's states.
pub struct Recorder {
    sink: Option<EventsSink>,
    app: AppVersion,
    kiosk: Option<KioskId>,
    camera: Option<CameraInfo>,
    /// The identification under way: its number and when its link was opened.
    current: Option<(u64, Instant)>,
    /// The screen shown, and since when.
    screen: Option<(Screen, Instant)>,
}

impl Recorder {
    /// A recorder writing to `sink`, naming the kiosk `kiosk_id` (`[kiosk] id`) in every line.
    pub fn new(sink: Option<EventsSink>, kiosk_id: Option<&str>) -> Recorder {
        let kiosk = kiosk_id.and_then(|id| {
            let parsed = KioskId::parse(id);
            if parsed.is_none() {
                tracing::warn!("[kiosk] id is not a kiosk id: events go without it");
            }
            parsed
        });
        Recorder {
            sink,
            app: AppVersion::current(),
            kiosk,
            camera: None,
            current: None,
            screen: None,
        }
    }

    /// The flow reached `state`.
    pub fn on_state(&mut self, state: &FlowState) {
        if matches!(state, FlowState::OpeningLink) && self.current.is_none() {
            self.current = Some((new_identification(), Instant::now()));
            self.record(Event::IdentificationStarted);
        }
        let screen = Screen::of(state);
        let before = self.screen.clone();
        if before.as_ref().map(|(shown, _)| shown) != Some(&screen) {
            let now = Instant::now();
            self.record(Event::ScreenReached {
                screen: screen.clone(),
                previous: before.as_ref().map(|(shown, _)| shown.clone()),
                previous_ms: before.as_ref().map(|(_, since)| millis(now - *since)),
            });
            self.screen = Some((screen.clone(), now));
        }
        let ended = match state {
            FlowState::Done { .. } => Some(Outcome::Done),
            FlowState::Cancelled => Some(Outcome::Cancelled),
            FlowState::Expired { .. } => Some(Outcome::Expired),
            FlowState::LinkFailed {
                retryable: false, ..
            } => Some(Outcome::LinkFailed),
            _ => None,
        };
        if let Some(outcome) = ended {
            // Where a person stopped is the screen before the one that says it ended; a link
            // that failed, and the end, are their own.
            let stopped_at = match (outcome, before) {
                (Outcome::Cancelled | Outcome::Expired, Some((before, _))) => before,
                _ => screen,
            };
            self.end_at(outcome, stopped_at);
        }
        if let FlowState::StepRejected { step, result, .. } = state {
            self.record(Event::BankRefused {
                step: step_id(step),
                code: Code::in_result(result),
            });
        }
    }

    /// The identification under way ends with `outcome`, on the screen shown.
    pub fn end(&mut self, outcome: Outcome) {
        if let Some((screen, _)) = self.screen.clone() {
            self.end_at(outcome, screen);
        }
    }

    fn end_at(&mut self, outcome: Outcome, stopped_at: Screen) {
        let Some((_, since)) = self.current else {
            return;
        };
        let took_ms = millis(Instant::now() - since);
        self.record(Event::IdentificationEnded {
            outcome,
            stopped_at,
            took_ms,
        });
        self.current = None;
    }

    /// A step's photo was taken.
    pub fn photo_taken(&mut self, step: &StepView, how: Capture) {
        self.record(Event::PhotoTaken {
            step: step_id(step),
            how,
        });
    }

    /// A step's photo is taken again.
    pub fn retake(&mut self, step: &StepView, after: RetakeAfter, issues: Vec<Issue>) {
        self.record(Event::Retake {
            step: step_id(step),
            after,
            issues,
        });
    }

    /// The app will try again by itself after `error`.
    pub fn network_retry(&mut self, attempt: u32, error: ErrorCode) {
        let Some((screen, _)) = self.screen.clone() else {
            return;
        };
        self.record(Event::NetworkRetry {
            attempt,
            error,
            screen,
        });
    }

    /// A selfie did not pass the liveness check, for `errors` (the check's words): its codes are
    /// kept, the rest counted.
    pub fn liveness_refused(&mut self, errors: &[String]) {
        let reasons: Vec<Code> = errors
            .iter()
            .filter_map(|error| Code::parse(error))
            .collect();
        let other_reasons = (errors.len() - reasons.len()) as u32;
        self.record(Event::LivenessRefused {
            reasons,
            other_reasons,
        });
    }

    /// A camera streams, under the name the system gives it.
    pub fn camera_streaming(&mut self, name: &str) {
        let model = CameraModel::from_device_name(name);
        if self.camera.as_ref().map(|camera| &camera.model) != model.as_ref() {
            self.camera = model.map(|model| CameraInfo {
                model,
                width: None,
                height: None,
            });
        }
    }

    /// The camera's frames are `width` × `height`.
    pub fn camera_frame_size(&mut self, (width, height): (u32, u32)) {
        if let Some(camera) = &mut self.camera {
            (camera.width, camera.height) = (Some(width), Some(height));
        }
    }

    fn record(&self, event: Event) {
        let Some(sink) = &self.sink else { return };
        let line = EventLine {
            schema: humo_ident_analytics::event::SCHEMA_VERSION,
            at_ms: now_ms(),
            app: self.app.clone(),
            kiosk: self.kiosk.clone(),
            identification: self.current.map_or(0, |(number, _)| number),
            camera: self.camera.clone(),
            event,
        };
        sink.write(&line);
    }
}

/// A new identification's number: random, so that it says nothing of the person or of the
/// order of clients, and below 2^53, so that every JSON reader reads it exactly.
fn new_identification() -> u64 {
    let bytes = *uuid::Uuid::new_v4().as_bytes();
    let number = u64::from_le_bytes(bytes[..8].try_into().expect("eight bytes"));
    (number & ((1 << 53) - 1)).max(1)
}

fn millis(duration: std::time::Duration) -> u64 {
    duration.as_millis().try_into().unwrap_or(u64::MAX)
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, millis)
}

/// The event files, beside the logs, rotated and capped like them. Keep this for as long as
/// the app runs: dropping it writes out what is buffered.
pub struct EventFiles {
    _guard: tracing_appender::non_blocking::WorkerGuard,
}

impl EventFiles {
    /// Opens today's event file where `config` puts the logs, and the sink that writes to it.
    /// Lines go to the disk from a thread of their own: recording never waits on the disk.
    pub fn open(config: &LoggingConfig) -> Result<(EventsSink, EventFiles), LogFilesError> {
        let directory = crate::logs::directory(config).ok_or(LogFilesError::NoFolder)?;
        let file = open_daily(EVENT_FILES, config, &directory)?;
        let (writer, guard) = tracing_appender::non_blocking(file);
        let sink = EventsSink::new(move |line| {
            let Ok(mut text) = serde_json::to_vec(line) else {
                return;
            };
            text.push(b'\n');
            // One write a line, so a line is never split between two.
            if let Err(error) = writer.clone().write_all(&text) {
                tracing::debug!("an event was not written: {error}");
            }
        });
        Ok((sink, EventFiles { _guard: guard }))
    }
}
