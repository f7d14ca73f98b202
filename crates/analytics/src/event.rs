//! One line of an events file, and what happened.

use humo_ident_camera::checks::Issue;
use humo_ident_core::flow::{FlowState, StepKind, StepView};
use humo_ident_core::ErrorCode;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::named::{AppVersion, CameraModel, Code, KioskId, StepId};

/// The version of the lines' shape; a reader skips lines of a version it does not know.
pub const SCHEMA_VERSION: u32 = 1;

/// One line of an events file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct EventLine {
    /// [`SCHEMA_VERSION`] when written.
    pub schema: u32,
    /// When, in milliseconds since the Unix epoch.
    pub at_ms: u64,
    /// The app's version.
    pub app: AppVersion,
    /// The kiosk's id from its machine's file; none on a laptop.
    pub kiosk: Option<KioskId>,
    /// Which identification, by a number drawn when its link was opened (0 when none runs):
    /// it groups a flow's lines and says nothing of who it was.
    pub identification: u64,
    /// The camera the identification uses, once one has streamed.
    pub camera: Option<CameraInfo>,
    /// What happened.
    pub event: Event,
}

/// A camera, as events name it: its model and resolution, never its serial number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct CameraInfo {
    /// The model.
    pub model: CameraModel,
    /// Its frames' width in pixels, once a photo was taken with it.
    pub width: Option<u32>,
    /// Its frames' height in pixels.
    pub height: Option<u32>,
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Event {
    /// A link was opened: an identification began.
    IdentificationStarted,
    /// The identification ended.
    #[serde(rename_all = "kebab-case")]
    IdentificationEnded {
        /// How.
        outcome: Outcome,
        /// The last screen it showed before it ended.
        stopped_at: Screen,
        /// How long it took, from its link, in milliseconds.
        took_ms: u64,
    },
    /// The person reached a screen.
    #[serde(rename_all = "kebab-case")]
    ScreenReached {
        /// The screen.
        screen: Screen,
        /// The screen before it, if any.
        previous: Option<Screen>,
        /// How long the person was on that one, in milliseconds.
        previous_ms: Option<u64>,
    },
    /// A step's photo was taken.
    PhotoTaken {
        /// The step.
        step: StepId,
        /// How.
        how: Capture,
    },
    /// A step's photo is taken again.
    Retake {
        /// The step.
        step: StepId,
        /// After what.
        after: RetakeAfter,
        /// What the app's checks found wrong with the photo given up: blur, glare, cut off, a
        /// face not centred, ….
        issues: Vec<Issue>,
    },
    /// The bank refused a step.
    BankRefused {
        /// The step.
        step: StepId,
        /// The bank's code for it, where its answer held one.
        code: Option<Code>,
    },
    /// A request failed on the network or at the server, and the app tries again by itself.
    NetworkRetry {
        /// Which attempt this is, from 1.
        attempt: u32,
        /// What failed.
        error: ErrorCode,
        /// Where.
        screen: Screen,
    },
    /// A selfie did not pass the liveness check.
    LivenessRefused {
        /// The check's reasons that are codes (`TOO_DARK`, `FACE_NOT_CENTERED`, …).
        reasons: Vec<Code>,
        /// How many reasons were not codes, and were left out.
        other_reasons: u32,
    },
}

impl Event {
    /// The event's type as its line spells it (`screen-reached`): what the telemetry sender
    /// names each record by.
    pub fn name(&self) -> &'static str {
        match self {
            Event::IdentificationStarted => "identification-started",
            Event::IdentificationEnded { .. } => "identification-ended",
            Event::ScreenReached { .. } => "screen-reached",
            Event::PhotoTaken { .. } => "photo-taken",
            Event::Retake { .. } => "retake",
            Event::BankRefused { .. } => "bank-refused",
            Event::NetworkRetry { .. } => "network-retry",
            Event::LivenessRefused { .. } => "liveness-refused",
        }
    }
}

/// How an identification ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Every step was accepted.
    Done,
    /// The person cancelled it.
    Cancelled,
    /// The bank withdrew the authorisation, or the link had expired.
    Expired,
    /// The link could not be opened and cannot be.
    LinkFailed,
    /// A kiosk started over after nobody touched it.
    KioskIdle,
    /// A kiosk started over at its time limit for one client.
    KioskTimeUp,
    /// Started over by hand (the kiosk's staff, or the person).
    StartedOver,
    /// The app was closed.
    AppClosed,
}

/// How a photo was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Capture {
    /// By itself, once every check passed.
    Auto,
    /// With the shutter.
    Manual,
    /// From a file the person chose.
    File,
}

/// After what a photo is taken again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RetakeAfter {
    /// The person looked at it and chose to take another.
    Review,
    /// The bank refused it.
    BankRefusal,
    /// The app could not use it (a selfie the liveness check refused, say).
    Unusable,
}

/// A screen of the wizard: what the flow's state shows, and for which step.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Screen {
    /// Which screen.
    pub kind: ScreenKind,
    /// The step it is for, where it is for one.
    pub step: Option<StepId>,
    /// What the step asks for, where it is for one.
    pub step_kind: Option<StepKind>,
}

/// Which screen.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum ScreenKind {
    /// The start: waiting for a link.
    Start,
    /// The link is being opened.
    OpeningLink,
    /// The link could not be opened.
    LinkFailed,
    /// The choice of document.
    ChoosingDocument,
    /// A step's camera, photo under review, or the selfie.
    Capture,
    /// A step's photo is being sent.
    Uploading,
    /// The bank is checking a step.
    Checking,
    /// The bank accepted a step.
    Accepted,
    /// The bank refused a step.
    Refused,
    /// The network or server failed during a step.
    Interrupted,
    /// The authorisation was withdrawn.
    Expired,
    /// The end: every step accepted.
    Done,
    /// The identification was cancelled.
    Cancelled,
}

impl Screen {
    /// The screen `state` shows.
    pub fn of(state: &FlowState) -> Screen {
        let (kind, step) = match state {
            FlowState::AwaitingLink => (ScreenKind::Start, None),
            FlowState::OpeningLink => (ScreenKind::OpeningLink, None),
            FlowState::LinkFailed { .. } => (ScreenKind::LinkFailed, None),
            FlowState::ChoosingDocument { .. } => (ScreenKind::ChoosingDocument, None),
            FlowState::AwaitingInput { step } => (ScreenKind::Capture, Some(step)),
            FlowState::Uploading { step } => (ScreenKind::Uploading, Some(step)),
            FlowState::Processing { step, .. } => (ScreenKind::Checking, Some(step)),
            FlowState::StepAccepted { result } => (ScreenKind::Accepted, Some(&result.step)),
            FlowState::StepRejected { step, .. } => (ScreenKind::Refused, Some(step)),
            FlowState::StepInterrupted { step, .. } => (ScreenKind::Interrupted, Some(step)),
            FlowState::Expired { .. } => (ScreenKind::Expired, None),
            FlowState::Done { .. } => (ScreenKind::Done, None),
            FlowState::Cancelled => (ScreenKind::Cancelled, None),
        };
        Screen {
            kind,
            step: step.map(step_id),
            step_kind: step.map(|step| step.kind),
        }
    }

    /// The screen's name in a report: its kind, and its step's id.
    pub fn name(&self) -> String {
        let kind = name_of(&self.kind);
        match &self.step {
            Some(step) => format!("{kind} {step}"),
            None => kind,
        }
    }
}

/// The id events give a step.
pub fn step_id(step: &StepView) -> StepId {
    StepId::of_step(&step.id, step.index)
}

/// A unit variant's name as the lines spell it (`kiosk-idle`, `bank-refusal`).
pub fn name_of(value: &impl Serialize) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|value| value.as_str().map(str::to_owned))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_events_name_is_its_lines_type() {
        let step = StepId::parse("front").unwrap();
        let screen = Screen {
            kind: ScreenKind::Capture,
            step: None,
            step_kind: None,
        };
        let events = [
            Event::IdentificationStarted,
            Event::IdentificationEnded {
                outcome: Outcome::Done,
                stopped_at: screen.clone(),
                took_ms: 1,
            },
            Event::ScreenReached {
                screen: screen.clone(),
                previous: None,
                previous_ms: None,
            },
            Event::PhotoTaken {
                step: step.clone(),
                how: Capture::Auto,
            },
            Event::Retake {
                step: step.clone(),
                after: RetakeAfter::Review,
                issues: Vec::new(),
            },
            Event::BankRefused { step, code: None },
            Event::NetworkRetry {
                attempt: 1,
                error: ErrorCode::Network,
                screen,
            },
            Event::LivenessRefused {
                reasons: Vec::new(),
                other_reasons: 0,
            },
        ];
        for event in events {
            let line = serde_json::to_value(&event).unwrap();
            assert_eq!(line["type"], event.name());
        }
    }
}
