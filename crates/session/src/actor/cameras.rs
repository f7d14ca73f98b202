//! The actor's camera side: the live camera of the current step, the still under review, and
//! the camera view the UI shows.
//!
//! It knows nothing of the flow. The actor says which subject to film and for which step, and
//! gets back what the camera took ([`Taken`]); the cycle itself (sampling, checks,
//! auto-capture, the still) is the camera crate's [`StepCamera`], the same one the CLI runs.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use bytes::Bytes;
use humo_ident_camera::capture::CaptureStatus;
use humo_ident_camera::checks::{self, FaceDetector, Issue};
use humo_ident_camera::source::{self, DeviceChoice, Purpose};
use humo_ident_camera::step::{StepCamera, StepEvent, StepSettings, Subject};
use humo_ident_camera::CameraError;
use humo_ident_core::config::Config;
use humo_ident_core::flow::StepInput;
use humo_ident_core::image_prep::UploadJpeg;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

use super::outbox::Outbox;
use super::Reply;
use crate::error::SessionError;
use crate::events::{
    AppEvent, CameraErrorView, CameraId, CameraOption, CameraStatus, CameraView, ReviewView,
};
use crate::preview::{publish_frames, PreviewFrame, ReviewImages};

/// What a live camera, or the wait for a released one, tells the actor. Every signal carries
/// the generation it belongs to, so one from a camera that was since stopped is ignored.
#[derive(Debug)]
pub(crate) enum CameraSignal {
    /// What the step's camera saw.
    Step(u64, StepEvent),
    /// Every camera device is closed, so the LUNA PASS page of the step at this index may have
    /// the camera.
    Released(u64, usize),
    /// A photo file was prepared (off the actor's task) for the step at this index, when the
    /// camera side was at this generation: anything that happened since (a still, a reset,
    /// another file) makes it stale.
    PhotoFile {
        generation: u64,
        step_index: usize,
        prepared: Result<(UploadJpeg, Vec<Issue>), SessionError>,
        reply: Reply,
    },
}

/// What a camera took, for the actor to hand to the flow.
pub(super) enum Taken {
    /// The still of the step (one still per camera: the camera has stopped sampling).
    Still {
        still: UploadJpeg,
        warnings: Vec<Issue>,
        /// Taken with the shutter, not by itself.
        by_hand: bool,
        /// The camera's frame size.
        frame_size: (u32, u32),
    },
    /// A QR code was read.
    Code(String),
}

/// A still waiting for "use this photo" or "take again".
pub(super) struct Review {
    pub step_index: usize,
    pub input: StepInput,
}

/// What the camera side is built from.
pub(crate) struct CameraParts {
    pub faces: Arc<FaceDetector>,
    pub settings: StepSettings,
    pub choice: DeviceChoice,
    /// Where the chosen camera is remembered.
    pub config_file: Option<PathBuf>,
    /// Whether the synthetic camera may be chosen.
    pub offer_synthetic: bool,
    /// The preview slot's sender: each live camera's publisher holds it while it runs.
    pub preview: Arc<watch::Sender<Option<Arc<PreviewFrame>>>>,
    pub reviews: ReviewImages,
    pub signals: mpsc::UnboundedSender<CameraSignal>,
}

/// A running camera and the task that copies its frames to the preview slot.
struct LiveCamera {
    generation: u64,
    camera: StepCamera,
    publisher: JoinHandle<()>,
}

pub(super) struct Cameras {
    parts: CameraParts,
    sequence: Arc<AtomicU64>,
    outbox: Outbox,
    live: Option<LiveCamera>,
    /// What the view shows a camera of (running, or failed to open), and for which step.
    filming: Option<(Subject, Option<usize>)>,
    /// Cameras stopped whose devices may not be closed yet.
    closing: Vec<JoinHandle<()>>,
    view: Option<CameraView>,
    review: Option<Review>,
    generation: u64,
}

impl Cameras {
    pub fn new(parts: CameraParts, outbox: Outbox) -> Cameras {
        Cameras {
            parts,
            sequence: Arc::new(AtomicU64::new(0)),
            outbox,
            live: None,
            filming: None,
            closing: Vec::new(),
            view: None,
            review: None,
            generation: 0,
        }
    }

    /// Starts (or restarts) the chosen camera on `subject`. A camera that cannot be opened is
    /// shown as an interrupted camera with its reason; the photo-file fallback stays available.
    pub fn start(&mut self, subject: Subject, step_index: Option<usize>) {
        self.stop();
        let generation = self.next_generation();
        let mut view = self.fresh_view(subject.purpose(), step_index);
        let signals = self.parts.signals.clone();
        let events =
            Box::new(move |event| signals.send(CameraSignal::Step(generation, event)).is_ok());
        match StepCamera::start(
            &self.parts.choice,
            &subject,
            self.parts.settings.clone(),
            Arc::clone(&self.parts.faces),
            events,
        ) {
            Ok(camera) => {
                let publisher = tokio::spawn(publish_frames(
                    camera.frames(),
                    Arc::clone(&self.parts.preview),
                    Arc::clone(&self.sequence),
                ));
                self.live = Some(LiveCamera {
                    generation,
                    camera,
                    publisher,
                });
            }
            Err(error) => view.status = interrupted(&error, false),
        }
        self.filming = Some((subject, step_index));
        self.set_view(Some(view));
    }

    /// Starts the camera the view shows again: after a refused still, or another camera chosen.
    pub fn restart(&mut self) {
        if self.review.is_none() {
            if let Some((subject, step_index)) = self.filming.clone() {
                self.start(subject, step_index);
            }
        }
    }

    /// Stops the live camera; its view goes too unless a still is under review.
    pub fn stop(&mut self) {
        self.stop_live();
        if self.review.is_none() {
            self.filming = None;
            self.set_view(None);
        }
    }

    fn stop_live(&mut self) {
        if let Some(live) = self.live.take() {
            live.publisher.abort();
            if let Some(closing) = live.camera.stop() {
                self.closing.retain(|handle| !handle.is_finished());
                self.closing.push(closing);
            }
            self.parts.preview.send_replace(None);
        }
    }

    /// Takes what a camera saw into the view. Returns what it took, if anything.
    pub fn on_event(&mut self, generation: u64, event: StepEvent) -> Option<Taken> {
        if self.live.as_ref().map(|live| live.generation) != Some(generation) {
            return None;
        }
        let mut view = self.view.clone()?;
        match event {
            StepEvent::Status(status) => {
                view.status = match status {
                    CaptureStatus::Starting | CaptureStatus::Stopped => CameraStatus::Starting,
                    CaptureStatus::Streaming { source } => {
                        view.source = Some(source);
                        CameraStatus::Streaming
                    }
                    CaptureStatus::Interrupted { error } => {
                        interrupted(&error, error.may_recover())
                    }
                };
            }
            StepEvent::Checks { issues, ready } => {
                view.hints = issues;
                view.ready = ready;
            }
            StepEvent::Refused(issues) => view.refused = issues,
            StepEvent::Failed { error, for_good } => {
                view.status = interrupted(&error, !for_good);
                if for_good {
                    self.stop_live();
                }
            }
            StepEvent::Code(text) => return Some(Taken::Code(text)),
            StepEvent::Still {
                still,
                warnings,
                by_hand,
                frame_size,
            } => {
                return Some(Taken::Still {
                    still,
                    warnings,
                    by_hand,
                    frame_size,
                })
            }
        }
        self.set_view(Some(view));
        None
    }

    /// Releases the camera and shows `still` for review as the photo of the step at `index`.
    pub fn show_review(
        &mut self,
        purpose: Purpose,
        review: Review,
        still: Bytes,
        size: (u32, u32),
        warnings: Vec<Issue>,
        from_file: bool,
    ) {
        let step_index = review.step_index;
        self.stop_live();
        let id = self.next_generation();
        self.parts.reviews.set(Some((id, still)));
        self.review = Some(review);
        let review = ReviewView {
            id,
            width: size.0,
            height: size.1,
            warnings,
            from_file,
        };
        self.set_view(Some(CameraView {
            review: Some(review),
            ..self.fresh_view(purpose, Some(step_index))
        }));
    }

    /// Shows why the still just taken cannot be used, and films again (a camera takes one
    /// still).
    pub fn refuse_still(&mut self, refused: Vec<Issue>) {
        self.restart();
        if let Some(mut view) = self.view.clone() {
            view.refused = refused;
            self.set_view(Some(view));
        }
    }

    /// What the still under review sends, if the flow takes it.
    pub fn review_input(&self) -> Option<StepInput> {
        self.review.as_ref().map(|review| review.input.clone())
    }

    /// The still under review is being sent: it and its view go.
    pub fn review_sent(&mut self) {
        if self.review.take().is_some() {
            self.parts.reviews.set(None);
            if let Some(mut view) = self.view.clone() {
                view.review = None;
                self.set_view(Some(view));
            }
        }
    }

    /// Drops the still under review, if any.
    pub fn clear_review(&mut self) {
        if self.review.take().is_some() {
            self.parts.reviews.set(None);
            self.filming = None;
            self.set_view(None);
        }
    }

    /// Drops everything of the client: the camera, the still and the view.
    pub fn forget(&mut self) {
        self.stop();
        self.clear_review();
        self.set_view(None);
    }

    pub fn press_shutter(&self) -> Result<(), SessionError> {
        let live = self.live.as_ref().ok_or(SessionError::NothingToReview)?;
        live.camera.press_shutter();
        Ok(())
    }

    pub fn set_auto_capture(&mut self, on: bool) {
        self.parts
            .settings
            .auto_capture
            .store(on, Ordering::Relaxed);
        if let Some(mut view) = self.view.clone() {
            view.auto_capture = on;
            self.set_view(Some(view));
        }
    }

    /// What the live camera is filming for.
    pub fn purpose(&self) -> Option<Purpose> {
        self.live
            .as_ref()
            .and(self.filming.as_ref())
            .map(|(subject, _)| subject.purpose())
    }

    /// The step the live camera films for.
    pub fn live_step(&self) -> Option<usize> {
        self.live.as_ref().and(self.filming.as_ref())?.1
    }

    /// The step whose still is under review.
    pub fn reviewing_step(&self) -> Option<usize> {
        self.review.as_ref().map(|review| review.step_index)
    }

    pub fn view(&self) -> Option<CameraView> {
        self.view.clone()
    }

    /// Whether a signal of `generation` still counts: nothing has happened to the camera side
    /// since (a still, a reset, another file, another camera).
    pub fn is_current(&self, generation: u64) -> bool {
        generation == self.generation
    }

    /// A new generation: signals of earlier ones are ignored from now on.
    fn next_generation(&mut self) -> u64 {
        self.generation += 1;
        self.generation
    }

    /// Prepares a photo file for the step at `step_index` on a blocking thread (decoding a
    /// large photo takes a while, and the actor must go on answering). It comes back as a
    /// [`CameraSignal::PhotoFile`] with the checks for `purpose` as its warnings.
    pub fn prepare_photo_file(
        &mut self,
        bytes: Vec<u8>,
        purpose: Purpose,
        step_index: usize,
        reply: Reply,
    ) {
        let images = self.parts.settings.images.clone();
        let faces = Arc::clone(&self.parts.faces);
        let signals = self.parts.signals.clone();
        let generation = self.next_generation();
        tokio::task::spawn_blocking(move || {
            let prepared = UploadJpeg::prepare(&bytes, &images)
                .map(|photo| {
                    // A file that cannot be checked is reviewed without warnings: it decoded
                    // once already, and the person sees it.
                    let warnings = checks::check_photo(photo.bytes(), purpose, &faces)
                        .map(|report| report.issues)
                        .unwrap_or_default();
                    (photo, warnings)
                })
                .map_err(SessionError::from);
            let _ = signals.send(CameraSignal::PhotoFile {
                generation,
                step_index,
                prepared,
                reply,
            });
        });
    }

    /// Stops the camera and, once every device it opened is closed, signals
    /// [`CameraSignal::Released`] for the step at `step_index`: the LUNA PASS webview may
    /// then have the camera.
    pub fn release_for(&mut self, step_index: usize) {
        self.stop();
        let generation = self.next_generation();
        let closing = std::mem::take(&mut self.closing);
        let signals = self.parts.signals.clone();
        tokio::spawn(async move {
            for device in closing {
                if let Err(error) = device.await {
                    tracing::warn!("a camera's release did not finish: {error}");
                }
            }
            let _ = signals.send(CameraSignal::Released(generation, step_index));
        });
    }

    /// The cameras there are, with the one in use marked.
    pub fn options(&self) -> Vec<CameraOption> {
        let choice = &self.parts.choice;
        let mut options: Vec<CameraOption> = source::list_devices()
            .unwrap_or_default()
            .into_iter()
            .map(|device| {
                let selected = match choice {
                    DeviceChoice::Index(index) => *index == device.index,
                    DeviceChoice::Default => device.index == 0,
                    DeviceChoice::Name(name) => {
                        device.name.to_lowercase().contains(&name.to_lowercase())
                    }
                    DeviceChoice::Synthetic | DeviceChoice::File(_) => false,
                };
                CameraOption {
                    id: CameraId::Device {
                        index: device.index,
                    },
                    label: device.name,
                    selected,
                    synthetic: false,
                }
            })
            .collect();
        if self.parts.offer_synthetic || *choice == DeviceChoice::Synthetic {
            options.push(CameraOption {
                id: CameraId::Synthetic,
                label: "Demo camera".into(),
                selected: *choice == DeviceChoice::Synthetic,
                synthetic: true,
            });
        }
        options
    }

    /// Switches to a camera from [`Cameras::options`], remembers it, and restarts the camera
    /// the step is using (or the one that failed to open).
    pub fn choose(&mut self, id: CameraId) -> Result<(), SessionError> {
        if !self.options().iter().any(|option| option.id == id) {
            let named = match id {
                CameraId::Device { index } => index.to_string(),
                CameraId::Synthetic => "synthetic".to_owned(),
            };
            return Err(CameraError::UnknownDevice(named).into());
        }
        self.parts.choice = match id {
            CameraId::Device { index } => DeviceChoice::Index(index),
            CameraId::Synthetic => DeviceChoice::Synthetic,
        };
        if let Some(path) = &self.parts.config_file {
            if let Err(error) = Config::remember_camera(path, &self.parts.choice.to_string()) {
                tracing::warn!("the camera choice was not remembered: {error}");
            }
        }
        self.restart();
        Ok(())
    }

    /// The view of a camera that is starting, before anything is known of its picture.
    fn fresh_view(&self, purpose: Purpose, step_index: Option<usize>) -> CameraView {
        CameraView {
            purpose,
            step_index,
            status: CameraStatus::Starting,
            source: None,
            hints: Vec::new(),
            ready: false,
            auto_capture: self.parts.settings.auto_capture.load(Ordering::Relaxed),
            refused: Vec::new(),
            review: None,
        }
    }

    fn set_view(&mut self, view: Option<CameraView>) {
        if self.view != view {
            self.view = view.clone();
            self.outbox.emit(AppEvent::Camera(view));
        }
    }
}

impl Drop for Cameras {
    fn drop(&mut self) {
        self.stop_live();
    }
}

fn interrupted(error: &CameraError, may_recover: bool) -> CameraStatus {
    CameraStatus::Interrupted {
        error: CameraErrorView::from(error),
        may_recover,
    }
}
