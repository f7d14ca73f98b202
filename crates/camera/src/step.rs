//! The live camera of one step, from frames to a still: the one camera cycle both the command
//! line and the desktop app run.
//!
//! A [`StepCamera`] captures on a thread of its own, samples the newest frame a few times a
//! second, runs the quality checks (or reads QR codes) on a blocking thread, and decides when
//! to take the still: by itself once every check has held for a moment after a warm-up, or at
//! once when the shutter is pressed. It says what it sees as [`StepEvent`]s; the front ends only
//! present them.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use humo_ident_core::config::ImageConfig;
use humo_ident_core::image_prep::UploadJpeg;
use image::RgbImage;
use tokio::sync::{watch, Notify};
use tokio::task::JoinHandle;

use crate::autocapture::{AutoCapture, StillVerdict};
use crate::capture::{Capture, CaptureStatus};
use crate::checks::{self, FaceDetector, Issue, QualityReport};
use crate::error::CameraError;
use crate::preview::CapturedFrame;
use crate::source::{self, CardSide, DeviceChoice, Purpose, SourceOpener, SyntheticScene};
use crate::still::still_from_frame;

/// How often a frame is checked.
pub const CHECK_EVERY: Duration = Duration::from_millis(150);
/// No picture is taken by itself in a camera's first second: webcams settle their exposure and
/// white balance over their first frames, and the person needs a moment to see the picture.
pub const WARM_UP: Duration = Duration::from_secs(1);
/// A camera whose error cannot fix itself (no permission, no usable format) is given up after
/// this long: reopening it every half second would only hide the reason.
pub const GIVE_UP_AFTER: Duration = Duration::from_secs(3);

/// What a step photographs: it decides the checks, and what the synthetic camera films.
#[derive(Debug, Clone, PartialEq)]
pub enum Subject {
    /// The `n`th page of a document, from 0: the first is the front, the others the back.
    DocumentPage(usize),
    /// The person's face; the synthetic camera films this portrait, or a drawn face.
    Selfie(Option<RgbImage>),
    /// A QR code shown to the camera; the synthetic camera films one holding this text, or an
    /// empty desk.
    Code(Option<String>),
}

impl Subject {
    /// What the picture is for.
    pub fn purpose(&self) -> Purpose {
        match self {
            Subject::DocumentPage(_) => Purpose::Document,
            Subject::Selfie(_) => Purpose::Selfie,
            Subject::Code(_) => Purpose::Code,
        }
    }

    /// What the synthetic camera films for this subject.
    pub fn scene(&self) -> SyntheticScene {
        match self {
            Subject::DocumentPage(0) => SyntheticScene::Card(CardSide::Front),
            Subject::DocumentPage(_) => SyntheticScene::Card(CardSide::Back),
            Subject::Selfie(portrait) => SyntheticScene::Face(portrait.clone()),
            Subject::Code(Some(text)) => SyntheticScene::QrCode(text.clone()),
            Subject::Code(None) => SyntheticScene::EmptyDesk,
        }
    }
}

/// What a [`StepCamera`] tells its front end.
#[derive(Debug)]
pub enum StepEvent {
    /// The capture's status changed.
    Status(CaptureStatus),
    /// The checks of the newest sample changed.
    Checks {
        /// What is wrong; empty when the picture is good.
        issues: Vec<Issue>,
        /// Whether every check passed.
        ready: bool,
    },
    /// The shutter was pressed on a picture that failed its checks; it was not taken.
    Refused(Vec<Issue>),
    /// The still was taken; `warnings` lists what its checks still found wrong. The camera
    /// takes one still and stops sampling.
    Still {
        /// The JPEG to upload.
        still: UploadJpeg,
        /// What the checks still found wrong (after two refusals the third press is taken).
        warnings: Vec<Issue>,
        /// How it was taken: the shutter, or by itself once every check passed.
        by_hand: bool,
        /// The camera's frame it was made from, in pixels: the camera's resolution.
        frame_size: (u32, u32),
    },
    /// A QR code was read.
    Code(String),
    /// A frame could not be checked (a corrupt frame), or the camera failed for good (an error
    /// that cannot fix itself, or a still that could not be made); after the latter
    /// (`for_good`) the camera stops sampling.
    Failed {
        /// What went wrong.
        error: CameraError,
        /// Whether the camera has given up.
        for_good: bool,
    },
}

/// Where a [`StepCamera`]'s events go; it returns false once nobody listens, which stops the
/// camera's sampling.
pub type StepEventSink = Box<dyn FnMut(StepEvent) -> bool + Send>;

/// How a [`StepCamera`] behaves.
#[derive(Clone)]
pub struct StepSettings {
    /// The upload's size and quality limits, for the still.
    pub images: ImageConfig,
    /// Whether the still is taken by itself once every check passes; the person may turn it
    /// off while the camera runs.
    pub auto_capture: Arc<AtomicBool>,
    /// How long after the first frame the still may be taken by itself.
    pub warm_up: Duration,
}

impl StepSettings {
    /// Auto-capture on, the standard warm-up.
    pub fn new(images: ImageConfig) -> StepSettings {
        StepSettings {
            images,
            auto_capture: Arc::new(AtomicBool::new(true)),
            warm_up: WARM_UP,
        }
    }
}

/// A running camera of one step. Dropping it stops the sampling and releases the device.
pub struct StepCamera {
    capture: Option<Capture>,
    shutter: Arc<Notify>,
    sampler: JoinHandle<()>,
}

impl StepCamera {
    /// Opens the source chosen for `subject` on a capture thread and starts sampling it. Must
    /// be called within a tokio runtime.
    pub fn start(
        choice: &DeviceChoice,
        subject: &Subject,
        settings: StepSettings,
        faces: Arc<FaceDetector>,
        events: StepEventSink,
    ) -> Result<StepCamera, CameraError> {
        let open = source::opener(choice, subject.purpose(), subject.scene())?;
        Ok(StepCamera::from_opener(
            open,
            subject.purpose(),
            settings,
            faces,
            events,
        ))
    }

    /// Starts sampling the sources `open` makes, checked for `purpose`: a source of the
    /// caller's own (a test's camera that goes quiet, say). Must be called within a tokio
    /// runtime.
    pub fn from_opener(
        open: SourceOpener,
        purpose: Purpose,
        settings: StepSettings,
        faces: Arc<FaceDetector>,
        events: StepEventSink,
    ) -> StepCamera {
        let capture = Capture::start(open);
        let shutter = Arc::new(Notify::new());
        let sampler = Sampler {
            purpose,
            frames: capture.frames(),
            status: capture.status(),
            shutter: Arc::clone(&shutter),
            settings,
            faces,
            events,
        };
        StepCamera {
            capture: Some(capture),
            shutter,
            sampler: tokio::spawn(sampler.run()),
        }
    }

    /// The newest frame with its preview JPEG; `changed()` wakes on each new one.
    pub fn frames(&self) -> watch::Receiver<Option<Arc<CapturedFrame>>> {
        match &self.capture {
            Some(capture) => capture.frames(),
            None => watch::channel(None).1,
        }
    }

    /// Takes the picture now, checked first (see [`AutoCapture::judge`]): the newest frame of
    /// a streaming camera, or the next frame of one that has none yet or has gone quiet.
    pub fn press_shutter(&self) {
        self.shutter.notify_one();
    }

    /// Stops sampling and releases the device. The device is closed on a blocking thread, so
    /// a driver that is slow to let go never stalls the caller; the handle ends when the
    /// device is closed.
    pub fn stop(mut self) -> Option<JoinHandle<()>> {
        self.halt()
    }

    fn halt(&mut self) -> Option<JoinHandle<()>> {
        self.sampler.abort();
        let capture = self.capture.take()?;
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => Some(runtime.spawn_blocking(move || capture.stop())),
            Err(_) => {
                capture.stop();
                None
            }
        }
    }
}

impl Drop for StepCamera {
    fn drop(&mut self) {
        drop(self.halt());
    }
}

struct Sampler {
    purpose: Purpose,
    frames: watch::Receiver<Option<Arc<CapturedFrame>>>,
    status: watch::Receiver<CaptureStatus>,
    shutter: Arc<Notify>,
    settings: StepSettings,
    faces: Arc<FaceDetector>,
    events: StepEventSink,
}

/// What the checks made of one sampled frame.
enum Sample {
    Checked(QualityReport),
    Codes(Vec<String>),
}

/// Whether the sampler goes on after an event.
enum Next {
    Continue,
    Stop,
}

impl Sampler {
    async fn run(mut self) {
        let mut auto = AutoCapture::new();
        let mut last_checks: Option<(Vec<Issue>, bool)> = None;
        let mut first_frame_at: Option<Instant> = None;
        let mut failing_since: Option<Instant> = None;
        // A press waits for a frame to take: one before the first frame, or while the camera
        // is quiet, is kept, not lost.
        let mut shutter_pressed = false;
        // The sequence number of the frame checked last: a frame is checked once, and only a
        // frame checked for the first time counts towards holding steady.
        let mut last_checked: Option<u64> = None;
        if !self.report_status(&mut failing_since) {
            return;
        }
        loop {
            tokio::select! {
                _ = self.shutter.notified() => shutter_pressed = true,
                _ = tokio::time::sleep(CHECK_EVERY) => {}
                changed = self.status.changed() => {
                    if changed.is_err() || !self.report_status(&mut failing_since) {
                        return;
                    }
                    continue;
                }
            }
            if let Some(since) = failing_since {
                if since.elapsed() >= GIVE_UP_AFTER {
                    let error = match self.status.borrow().clone() {
                        CaptureStatus::Interrupted { error } => error,
                        _ => CameraError::Device("the camera stopped".into()),
                    };
                    self.emit(StepEvent::Failed {
                        error,
                        for_good: true,
                    });
                    return;
                }
            }
            let Some(captured) = self.frames.borrow().clone() else {
                continue;
            };
            // The newest frame may be one already checked: the camera is slower than the
            // checks, or it has gone quiet. Its picture may no longer be what the person sees,
            // so a still is taken only of a frame that is new, or of a streaming camera's
            // newest one.
            let fresh = last_checked != Some(captured.frame.sequence);
            let streaming = matches!(*self.status.borrow(), CaptureStatus::Streaming { .. });
            let worth_checking = fresh || (shutter_pressed && streaming);
            if !worth_checking {
                continue;
            }
            last_checked = Some(captured.frame.sequence);
            let examined = examine(self.purpose, Arc::clone(&self.faces), Arc::clone(&captured));
            let report = match examined.await {
                Ok(Sample::Checked(report)) => report,
                Ok(Sample::Codes(codes)) => {
                    for code in codes {
                        if !self.emit(StepEvent::Code(code)) {
                            return;
                        }
                    }
                    continue;
                }
                Err(error) => {
                    let failed = StepEvent::Failed {
                        error,
                        for_good: false,
                    };
                    if !self.emit(failed) {
                        return;
                    }
                    continue;
                }
            };
            // Warm-up and holding steady are the camera's time, when the frames were taken, not
            // when they were checked: on a busy machine a few frames checked slowly would
            // otherwise count as a long steady hold.
            let taken_at = captured.frame.captured_at;
            let warmed_up = taken_at.duration_since(*first_frame_at.get_or_insert(taken_at))
                >= self.settings.warm_up;
            let steady = fresh && auto.observe(&report, taken_at);
            let auto_on = self.settings.auto_capture.load(Ordering::Relaxed);
            let ready = report.passed();
            if last_checks.as_ref() != Some(&(report.issues.clone(), ready)) {
                last_checks = Some((report.issues.clone(), ready));
                let checks = StepEvent::Checks {
                    issues: report.issues.clone(),
                    ready,
                };
                if !self.emit(checks) {
                    return;
                }
            }
            if !(shutter_pressed || (steady && warmed_up && auto_on)) {
                continue;
            }
            let by_hand = std::mem::take(&mut shutter_pressed);
            match self
                .take_still(&mut auto, &report, &captured, by_hand)
                .await
            {
                Next::Continue => continue,
                Next::Stop => return,
            }
        }
    }

    /// Tells the capture's status, and notes since when it has failed for good. False when
    /// nobody listens any more.
    fn report_status(&mut self, failing_since: &mut Option<Instant>) -> bool {
        let status = self.status.borrow_and_update().clone();
        match &status {
            CaptureStatus::Interrupted { error } if !error.may_recover() => {
                failing_since.get_or_insert_with(Instant::now);
            }
            _ => *failing_since = None,
        }
        self.emit(StepEvent::Status(status))
    }

    /// Judges the picture by its checks, and takes the still if it may be taken.
    async fn take_still(
        &mut self,
        auto: &mut AutoCapture,
        report: &QualityReport,
        captured: &CapturedFrame,
        by_hand: bool,
    ) -> Next {
        let warnings = match auto.judge(report) {
            StillVerdict::Accepted => Vec::new(),
            StillVerdict::AcceptedWithWarning { issues } => issues,
            StillVerdict::Rejected { issues } => {
                return match self.emit(StepEvent::Refused(issues)) {
                    true => Next::Continue,
                    false => Next::Stop,
                };
            }
        };
        let images = self.settings.images.clone();
        let frame = captured.frame.clone();
        let frame_size = (frame.width, frame.height);
        let still = tokio::task::spawn_blocking(move || still_from_frame(&frame, &images))
            .await
            .unwrap_or_else(|_| Err(CameraError::Device("the still was lost".into())));
        // One still per camera: taken, or failed (a frame the camera cannot make a still of
        // would fail again; the person starts the camera again, or chooses a file).
        let event = match still {
            Ok(still) => StepEvent::Still {
                still,
                warnings,
                by_hand,
                frame_size,
            },
            Err(error) => StepEvent::Failed {
                error,
                for_good: true,
            },
        };
        self.emit(event);
        Next::Stop
    }

    /// False when nobody listens any more.
    fn emit(&mut self, event: StepEvent) -> bool {
        (self.events)(event)
    }
}

/// Runs the checks (or reads QR codes) on a blocking thread: they take milliseconds.
async fn examine(
    purpose: Purpose,
    faces: Arc<FaceDetector>,
    captured: Arc<CapturedFrame>,
) -> Result<Sample, CameraError> {
    tokio::task::spawn_blocking(move || {
        let grey = captured.grey_for_checks()?;
        Ok(match purpose {
            Purpose::Code => Sample::Codes(checks::read_codes(&grey)),
            _ => Sample::Checked(checks::check(&grey, purpose, &faces)),
        })
    })
    .await
    .unwrap_or_else(|_| Err(CameraError::Device("a check was lost".into())))
}
