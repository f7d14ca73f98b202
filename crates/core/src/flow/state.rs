//! The flow's public vocabulary: its states, the actions a person takes, and the events it emits.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::api::TaskId;
use crate::config::DocumentKind;
use crate::error::ErrorInfo;
use crate::image_prep::UploadJpeg;
use crate::input::{PresignKey, TaxNumber};
use crate::liveness::SelfieJwt;
use crate::poll::PollProgress;

/// What a step asks the person for.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS, schemars::JsonSchema,
)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum StepKind {
    /// A photo of a page of a document.
    DocumentPage,
    /// The selfie, with its liveness check.
    Selfie,
}

/// A step as a UI shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StepView {
    /// Position in the flow, from 0.
    #[ts(type = "number")]
    pub index: usize,
    /// Number of steps in the flow.
    #[ts(type = "number")]
    pub total: usize,
    /// The step's id from the configuration (`front`, `back`, `selfie`, …).
    pub id: String,
    /// English label for messages ("front side").
    pub label: String,
    /// What the step asks for.
    pub kind: StepKind,
    /// The chosen passport, for its pages; `None` for the selfie and additional documents.
    pub document: Option<DocumentKind>,
}

/// The bank's answer to one accepted step.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StepResult {
    /// The step.
    pub step: StepView,
    /// The task's `result`: for a document, the fields read from it.
    pub result: Value,
}

/// Where an identification stands. Every wait, refusal and retry has its own state, so a UI can
/// render it without keeping state of its own.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(tag = "state", rename_all = "camelCase")]
#[ts(export)]
pub enum FlowState {
    /// Waiting for a link.
    AwaitingLink,
    /// The presign call is under way.
    OpeningLink,
    /// The link could not be opened.
    #[serde(rename_all = "camelCase")]
    LinkFailed {
        /// Why.
        error: ErrorInfo,
        /// Whether trying the same link again may help (network trouble) or not (unknown link).
        retryable: bool,
    },
    /// Waiting for the person to choose the document.
    #[serde(rename_all = "camelCase")]
    ChoosingDocument {
        /// Whether the new passport offers the "taxpayer number is not on the document" box.
        offers_tax_number: bool,
    },
    /// Waiting for the photo or selfie of a step.
    AwaitingInput {
        /// The step.
        step: StepView,
    },
    /// Sending the step's photo or selfie.
    Uploading {
        /// The step.
        step: StepView,
    },
    /// The bank is checking the step; its status is polled.
    #[serde(rename_all = "camelCase")]
    Processing {
        /// The step.
        step: StepView,
        /// The bank's task.
        task_id: TaskId,
    },
    /// The bank accepted the step; waiting for the person to go on.
    StepAccepted {
        /// The step and what the bank read.
        result: StepResult,
    },
    /// The bank refused the step; the person may take it again.
    StepRejected {
        /// The step.
        step: StepView,
        /// Why, as the bank said it.
        reason: String,
        /// The task's whole `result`.
        result: Value,
    },
    /// The network or the server failed during the step; the same photo can be sent again.
    #[serde(rename_all = "camelCase")]
    StepInterrupted {
        /// The step.
        step: StepView,
        /// What went wrong.
        error: ErrorInfo,
        /// The task that was being watched, if the upload had gone through.
        task_id: Option<TaskId>,
    },
    /// The bank withdrew the authorisation (401/403): only a new link helps.
    Expired {
        /// Why.
        error: ErrorInfo,
    },
    /// Every step was accepted.
    #[serde(rename_all = "camelCase")]
    Done {
        /// Where the person goes back to.
        home_page: Option<String>,
        /// What the bank answered for each step.
        results: Vec<StepResult>,
    },
    /// The identification was abandoned.
    Cancelled,
}

impl FlowState {
    /// Whether a link may be opened now: before an identification, or after one ended. In the
    /// middle of one a link is refused, and the step in progress goes on.
    pub fn takes_link(&self) -> bool {
        matches!(
            self,
            FlowState::AwaitingLink
                | FlowState::LinkFailed { .. }
                | FlowState::Expired { .. }
                | FlowState::Done { .. }
                | FlowState::Cancelled
        )
    }

    /// A short name for messages and logs.
    pub fn name(&self) -> &'static str {
        match self {
            FlowState::AwaitingLink => "awaiting-link",
            FlowState::OpeningLink => "opening-link",
            FlowState::LinkFailed { .. } => "link-failed",
            FlowState::ChoosingDocument { .. } => "choosing-document",
            FlowState::AwaitingInput { .. } => "awaiting-input",
            FlowState::Uploading { .. } => "uploading",
            FlowState::Processing { .. } => "processing",
            FlowState::StepAccepted { .. } => "step-accepted",
            FlowState::StepRejected { .. } => "step-rejected",
            FlowState::StepInterrupted { .. } => "step-interrupted",
            FlowState::Expired { .. } => "expired",
            FlowState::Done { .. } => "done",
            FlowState::Cancelled => "cancelled",
        }
    }

    /// Whether the flow has ended and waits only for a new link.
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            FlowState::Done { .. } | FlowState::Cancelled | FlowState::Expired { .. }
        )
    }
}

/// What a step is given.
#[derive(Debug, Clone)]
pub enum StepInput {
    /// A photo of a document page, ready to upload.
    Photo(UploadJpeg),
    /// A selfie token.
    Selfie(SelfieJwt),
}

/// What a person (or a script acting for one) does.
#[derive(Debug, Clone)]
pub enum Action {
    /// Open a link.
    OpenLink(PresignKey),
    /// Choose the document, with the taxpayer number when the box was ticked.
    ChooseDocument {
        /// New or old passport.
        kind: DocumentKind,
        /// The typed taxpayer number, only where the document offers it.
        tax_number: Option<TaxNumber>,
    },
    /// Give the current step its photo or selfie.
    Submit(StepInput),
    /// Go on after an accepted step.
    Continue,
    /// Take the current step's photo again.
    Retake,
    /// Send the same photo again, or resume watching its task, after an interruption; or open
    /// the same link again after a network failure.
    Retry,
    /// Go back to the document choice before the first photo was sent.
    Back,
    /// Abandon the identification.
    Cancel,
    /// Drop everything and wait for a new link (the kiosk's next client).
    Reset,
}

impl Action {
    /// A short name for messages.
    pub fn name(&self) -> &'static str {
        match self {
            Action::OpenLink(_) => "open link",
            Action::ChooseDocument { .. } => "choose document",
            Action::Submit(_) => "submit",
            Action::Continue => "continue",
            Action::Retake => "retake",
            Action::Retry => "retry",
            Action::Back => "back",
            Action::Cancel => "cancel",
            Action::Reset => "reset",
        }
    }
}

/// What the flow tells its UI.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(tag = "event", rename_all = "camelCase")]
#[ts(export)]
pub enum FlowEvent {
    /// The state changed.
    StateChanged {
        /// The new state.
        state: FlowState,
    },
    /// A status check of the current task answered or failed.
    #[serde(rename_all = "camelCase")]
    TaskProgress {
        /// The step whose task it is.
        step: StepView,
        /// The task.
        task_id: TaskId,
        /// What the check saw.
        progress: PollProgress,
    },
}
