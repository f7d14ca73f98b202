//! The actor's photo side: what a camera took (a still, a QR code) or a file the person gave,
//! turned into the step's input and shown for review, or refused with the reason.

use humo_ident_analytics::event::{Capture, RetakeAfter};
use humo_ident_camera::capture::CaptureStatus;
use humo_ident_camera::checks::Issue;
use humo_ident_camera::source::Purpose;
use humo_ident_camera::step::{StepEvent, Subject};
use humo_ident_core::flow::{Action, FlowState, StepKind};
use humo_ident_core::image_prep::UploadJpeg;

use super::cameras::{CameraSignal, Review, Taken};
use super::inputs::{presign_key, step_input};
use super::Reply;
use super::{answer, Actor};
use crate::error::SessionError;
use crate::events::{AppEvent, Notice, SelfieSetup};
use crate::liveness::issues_of;

impl Actor {
    pub(super) fn on_camera(&mut self, signal: CameraSignal) {
        match signal {
            CameraSignal::Released(generation, index) => self.on_camera_released(generation, index),
            CameraSignal::PhotoFile {
                generation,
                step_index,
                prepared,
                reply,
            } => {
                let current = self.cameras.is_current(generation);
                answer(reply, self.on_photo_file(current, step_index, prepared))
            }
            CameraSignal::Step(generation, event) => {
                if let StepEvent::Status(CaptureStatus::Streaming { source }) = &event {
                    if self.cameras.is_current(generation) {
                        self.recorder.camera_streaming(source);
                    }
                }
                match self.cameras.on_event(generation, event) {
                    Some(Taken::Code(text)) => self.on_code(text),
                    Some(Taken::Still {
                        still,
                        warnings,
                        by_hand,
                        frame_size,
                    }) => {
                        self.recorder.camera_frame_size(frame_size);
                        let how = match by_hand {
                            true => Capture::Manual,
                            false => Capture::Auto,
                        };
                        if let Err(error) = self.on_still(still, warnings, how) {
                            self.refuse_still(error);
                        }
                    }
                    None => {}
                }
            }
        }
    }

    /// A QR code was read: a link is opened, anything else is said once.
    pub(super) fn on_code(&mut self, text: String) {
        match presign_key(&self.links, &text) {
            Ok(key) => {
                self.cameras.stop();
                let flow = self.flow.clone();
                tokio::spawn(async move {
                    if let Err(error) = flow.act(Action::OpenLink(key)).await {
                        tracing::info!("the scanned link was not opened: {error}");
                    }
                });
            }
            Err(_) if self.last_bad_code.as_deref() != Some(text.as_str()) => {
                self.last_bad_code = Some(text);
                self.emit(AppEvent::Notice(Notice::CodeNotALink));
            }
            Err(_) => {}
        }
    }

    /// A still was taken or a file given: it is shown for review. A selfie the local liveness
    /// check refuses is not reviewed: the error says why.
    pub(super) fn on_still(
        &mut self,
        still: UploadJpeg,
        warnings: Vec<Issue>,
        how: Capture,
    ) -> Result<(), SessionError> {
        let FlowState::AwaitingInput { step } = &self.state else {
            return Ok(());
        };
        self.recorder.photo_taken(step, how);
        let (kind, step_index) = (step.kind, step.index);
        let from_file = how == Capture::File;
        let bytes = still.bytes().clone();
        let size = (still.width(), still.height());
        let input = step_input(kind, still, self.liveness.provider.as_ref())?;
        let review = Review { step_index, input };
        self.cameras
            .show_review(purpose_of(kind), review, bytes, size, warnings, from_file);
        Ok(())
    }

    /// A still from the camera that cannot be used: the camera starts again and shows why.
    pub(super) fn refuse_still(&mut self, error: SessionError) {
        tracing::info!("the still was not used: {error}");
        let refused = match &error {
            SessionError::Flow(humo_ident_core::Error::SelfieNotPassed(errors)) => {
                self.recorder.liveness_refused(errors);
                issues_of(errors)
            }
            _ => Vec::new(),
        };
        if let FlowState::AwaitingInput { step } = &self.state {
            self.recorder
                .retake(step, RetakeAfter::Unusable, refused.clone());
        }
        self.cameras.refuse_still(refused);
    }

    /// Prepares a photo file for the step (see [`super::cameras::Cameras::prepare_photo_file`]);
    /// it then goes to review like a still.
    pub(super) fn use_photo_file(&mut self, bytes: Vec<u8>, reply: Reply) {
        // A kiosk's file chooser would show the kiosk account's files and USB drives.
        if self.kiosk {
            return answer(reply, Err(SessionError::NotAtKiosk));
        }
        let FlowState::AwaitingInput { step } = &self.state else {
            return answer(reply, Err(SessionError::NothingToReview));
        };
        let (kind, step_index) = (step.kind, step.index);
        if kind == StepKind::Selfie && !matches!(self.liveness.setup, SelfieSetup::Local { .. }) {
            let refusal = match self.liveness.setup {
                SelfieSetup::LunaPass => SessionError::NoLivenessCheck,
                _ => SessionError::LocalSelfieNotAllowed,
            };
            return answer(reply, Err(refusal));
        }
        self.cameras
            .prepare_photo_file(bytes, purpose_of(kind), step_index, reply);
    }

    /// A prepared photo file: shown for review if its step still waits for it.
    pub(super) fn on_photo_file(
        &mut self,
        current: bool,
        step_index: usize,
        prepared: Result<(UploadJpeg, Vec<Issue>), SessionError>,
    ) -> Result<(), SessionError> {
        let (photo, warnings) = prepared?;
        match &self.state {
            FlowState::AwaitingInput { step } if current && step.index == step_index => {
                self.on_still(photo, warnings, Capture::File)
            }
            _ => Err(SessionError::NothingToReview),
        }
    }

    /// Opens the camera of a step, or for the selfie hands over to the liveness provider.
    pub(super) fn start_step_camera(
        &mut self,
        kind: StepKind,
        index: usize,
    ) -> Result<(), SessionError> {
        match kind {
            StepKind::Selfie => self.start_selfie(index),
            StepKind::DocumentPage => {
                self.cameras
                    .start(Subject::DocumentPage(index), Some(index));
                Ok(())
            }
        }
    }
}

/// The camera's purpose for a step.
fn purpose_of(kind: StepKind) -> Purpose {
    match kind {
        StepKind::DocumentPage => Purpose::Document,
        StepKind::Selfie => Purpose::Selfie,
    }
}
