//! The actor's camera side: starting and stopping the step's camera, its signals, and the still
//! under review.

use std::sync::atomic::Ordering;

use humo_ident_camera::capture::CaptureStatus;
use humo_ident_camera::source::{self, DeviceChoice, Purpose};
use humo_ident_core::flow::{Action, FlowState, StepKind};
use humo_ident_core::image_prep::UploadJpeg;

use super::{Actor, Review};
use crate::camera_step::{CameraSignal, LiveCamera};
use crate::error::SessionError;
use crate::events::{
    AppEvent, CameraErrorView, CameraOption, CameraPurpose, CameraStatus, CameraView, Notice,
    ReviewView, SelfieSetup,
};
use crate::liveness::issues_of;
use crate::session::{check_file, presign_key, purpose_of, step_input, synthetic_scene};

impl Actor {
    pub(super) fn on_camera(&mut self, signal: CameraSignal) {
        let generation = match &signal {
            CameraSignal::Status(g, _)
            | CameraSignal::Refused(g, _)
            | CameraSignal::Code(g, _)
            | CameraSignal::Failed(g, _) => *g,
            CameraSignal::Released(g, index) => {
                if *g == self.generation {
                    self.on_camera_released(*index);
                }
                return;
            }
            CameraSignal::Checks { generation, .. } | CameraSignal::Still { generation, .. } => {
                *generation
            }
        };
        if self.camera.as_ref().map(|c| c.generation) != Some(generation) {
            return;
        }
        let Some(mut view) = self.view.clone() else {
            return;
        };
        match signal {
            CameraSignal::Status(_, status) => {
                view.status = match status {
                    CaptureStatus::Starting | CaptureStatus::Stopped => CameraStatus::Starting,
                    CaptureStatus::Streaming { source } => {
                        view.source = Some(source);
                        CameraStatus::Streaming
                    }
                    CaptureStatus::Interrupted { error } => CameraStatus::Interrupted {
                        may_recover: error.may_recover(),
                        error: CameraErrorView {
                            code: error.code().to_owned(),
                            message: error.to_string(),
                        },
                    },
                };
            }
            CameraSignal::Checks { issues, ready, .. } => {
                view.hints = issues;
                view.ready = ready;
            }
            CameraSignal::Refused(_, issues) => view.refused = issues,
            CameraSignal::Failed(_, error) => {
                view.status = CameraStatus::Interrupted {
                    may_recover: true,
                    error: CameraErrorView {
                        code: error.code().to_owned(),
                        message: error.to_string(),
                    },
                };
            }
            CameraSignal::Code(_, text) => {
                self.on_code(text);
                return;
            }
            CameraSignal::Still {
                still, warnings, ..
            } => {
                if let Err(error) = self.on_still(still, warnings, false) {
                    self.refuse_still(error);
                }
                return;
            }
            CameraSignal::Released(..) => return,
        }
        self.set_view(Some(view));
    }

    pub(super) fn on_code(&mut self, text: String) {
        match presign_key(&text) {
            Ok(key) => {
                self.stop_camera();
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

    /// A still was taken or a file given: release the camera and show it for review. A selfie
    /// the local face check refuses is not reviewed: the error says why.
    pub(super) fn on_still(
        &mut self,
        still: UploadJpeg,
        warnings: Vec<humo_ident_camera::checks::Issue>,
        from_file: bool,
    ) -> Result<(), SessionError> {
        let FlowState::AwaitingInput { step } = &self.state else {
            return Ok(());
        };
        let (kind, index) = (step.kind, step.index);
        let purpose = purpose_of(kind);
        let bytes = still.bytes().clone();
        let (width, height) = (still.width(), still.height());
        let input = step_input(kind, still, self.liveness.provider.as_ref())?;
        self.stop_camera();
        self.generation += 1;
        let id = self.generation;
        self.reviews.set(Some((id, bytes)));
        self.review = Some(Review {
            step_index: index,
            input,
        });
        let review = ReviewView {
            id,
            width,
            height,
            warnings,
            from_file,
        };
        self.set_view(Some(CameraView {
            review: Some(review),
            ..self.fresh_view(purpose, Some(index))
        }));
        Ok(())
    }

    /// A still from the camera that cannot be used: the camera starts again (a camera takes
    /// one still) and shows why.
    fn refuse_still(&mut self, error: SessionError) {
        tracing::info!("the still was not used: {error}");
        let refused = match &error {
            SessionError::Flow(humo_ident_core::Error::SelfieNotPassed(errors)) => {
                issues_of(errors)
            }
            _ => Vec::new(),
        };
        if let Some((purpose, index)) = self.camera.as_ref().map(|c| (c.purpose, c.step_index)) {
            self.start_camera(purpose, index);
        }
        if let Some(mut view) = self.view.clone() {
            view.refused = refused;
            self.set_view(Some(view));
        }
    }

    pub(super) fn use_photo_file(&mut self, bytes: &[u8]) -> Result<(), SessionError> {
        let FlowState::AwaitingInput { step } = &self.state else {
            return Err(SessionError::NothingToReview);
        };
        let kind = step.kind;
        if kind == StepKind::Selfie && !matches!(self.liveness.setup, SelfieSetup::Local { .. }) {
            return Err(match self.liveness.setup {
                SelfieSetup::LunaPass => SessionError::NoFaceCheck,
                _ => SessionError::LocalSelfieNotAllowed,
            });
        }
        let photo = UploadJpeg::prepare(bytes, &self.config.images)?;
        let warnings = check_file(&photo, purpose_of(kind), &self.context.faces);
        self.on_still(photo, warnings, true)
    }

    pub(super) fn start_step_camera(
        &mut self,
        kind: StepKind,
        index: usize,
    ) -> Result<(), SessionError> {
        if kind == StepKind::Selfie {
            return self.start_selfie(index);
        }
        self.start_camera(purpose_of(kind), Some(index));
        Ok(())
    }

    /// Starts (or restarts) the chosen camera. A camera that cannot be opened is shown as an
    /// interrupted camera with its reason; the photo-file fallback stays available.
    pub(super) fn start_camera(&mut self, purpose: Purpose, step_index: Option<usize>) {
        self.stop_camera();
        self.generation += 1;
        let mut view = self.fresh_view(purpose, step_index);
        let scene = synthetic_scene(purpose, step_index);
        match source::opener(&self.camera_choice, purpose, scene) {
            Ok(open) => {
                self.camera = Some(LiveCamera::start(
                    open,
                    purpose,
                    step_index,
                    self.generation,
                    &self.context,
                ));
            }
            Err(error) => {
                view.status = CameraStatus::Interrupted {
                    may_recover: false,
                    error: CameraErrorView {
                        code: error.code().to_owned(),
                        message: error.to_string(),
                    },
                };
            }
        }
        self.set_view(Some(view));
    }

    /// The view of a camera that is starting, before anything is known of its picture.
    fn fresh_view(&self, purpose: Purpose, step_index: Option<usize>) -> CameraView {
        CameraView {
            purpose: camera_purpose(purpose),
            step_index,
            status: CameraStatus::Starting,
            source: None,
            hints: Vec::new(),
            ready: false,
            auto_capture: self.context.auto_capture.load(Ordering::Relaxed),
            refused: Vec::new(),
            review: None,
        }
    }

    pub(super) fn stop_camera(&mut self) {
        if let Some(camera) = self.camera.take() {
            if let Some(closing) = camera.stop() {
                self.closing.retain(|handle| !handle.is_finished());
                self.closing.push(closing);
            }
            self.context.preview.send_replace(None);
        }
        if self.review.is_none() && self.view.is_some() {
            self.set_view(None);
        }
    }

    pub(super) fn clear_review(&mut self) {
        if self.review.take().is_some() {
            self.reviews.set(None);
            self.set_view(None);
        }
    }

    pub(super) fn set_review_view(&mut self, review: Option<ReviewView>) {
        self.reviews.set(None);
        if let Some(mut view) = self.view.clone() {
            view.review = review;
            self.set_view(Some(view));
        }
    }

    pub(super) fn set_view(&mut self, view: Option<CameraView>) {
        if self.view != view {
            self.view = view.clone();
            self.emit(AppEvent::Camera(view));
        }
    }

    pub(super) fn purpose(&self) -> Option<Purpose> {
        self.camera.as_ref().map(|c| c.purpose)
    }

    pub(super) fn camera_options(&self) -> Vec<CameraOption> {
        let mut options: Vec<CameraOption> = source::list_devices()
            .unwrap_or_default()
            .into_iter()
            .map(|device| {
                let id = device.index.to_string();
                let selected = match &self.camera_choice {
                    DeviceChoice::Index(index) => *index == device.index,
                    DeviceChoice::Default => device.index == 0,
                    DeviceChoice::Name(name) => {
                        device.name.to_lowercase().contains(&name.to_lowercase())
                    }
                    _ => false,
                };
                CameraOption {
                    id,
                    label: device.name,
                    selected,
                    synthetic: false,
                }
            })
            .collect();
        if self.emulator.is_some() || self.camera_choice == DeviceChoice::Synthetic {
            options.push(CameraOption {
                id: "synthetic".into(),
                label: "Demo camera".into(),
                selected: self.camera_choice == DeviceChoice::Synthetic,
                synthetic: true,
            });
        }
        options
    }
}

pub(super) fn camera_purpose(purpose: Purpose) -> CameraPurpose {
    match purpose {
        Purpose::Document => CameraPurpose::Document,
        Purpose::Selfie => CameraPurpose::Selfie,
        Purpose::Code => CameraPurpose::Code,
    }
}

pub(super) fn purpose_from(purpose: CameraPurpose) -> Purpose {
    match purpose {
        CameraPurpose::Document => Purpose::Document,
        CameraPurpose::Selfie => Purpose::Selfie,
        CameraPurpose::Code => Purpose::Code,
    }
}
