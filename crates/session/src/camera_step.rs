//! The live camera of one step: capture, preview forwarding, sampled checks and auto-capture.
//!
//! Three tasks run while a camera is live. The first copies each new frame's JPEG into the
//! session's preview slot. The second turns the capture's status into [`CameraSignal`]s. The
//! third samples a frame a few times a second, runs the checks off the async threads, and
//! decides when to take the still. Every signal carries the camera's generation, so a signal
//! from a camera that was since stopped is ignored.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use humo_ident_camera::autocapture::{AutoCapture, StillVerdict};
use humo_ident_camera::capture::{Capture, CaptureStatus};
use humo_ident_camera::checks::{self, FaceDetector, Issue};
use humo_ident_camera::preview::CapturedFrame;
use humo_ident_camera::source::{Purpose, SourceOpener};
use humo_ident_camera::still::still_from_frame;
use humo_ident_camera::CameraError;
use humo_ident_core::config::ImageConfig;
use humo_ident_core::image_prep::UploadJpeg;
use tokio::sync::{mpsc, watch, Notify};
use tokio::task::JoinHandle;

use crate::preview::{publish_frames, PreviewFrame};

/// How often a frame is checked.
const CHECK_EVERY: Duration = Duration::from_millis(150);
/// No picture is taken by itself in a camera's first second: webcams settle their exposure and
/// white balance over their first frames, and the person needs a moment to see the picture.
const WARM_UP: Duration = Duration::from_secs(1);

/// What a live camera tells the session.
#[derive(Debug)]
pub(crate) enum CameraSignal {
    /// The capture's status changed.
    Status(u64, CaptureStatus),
    /// The checks of the newest sample.
    Checks {
        generation: u64,
        issues: Vec<Issue>,
        ready: bool,
    },
    /// The shutter was pressed on a picture that failed its checks.
    Refused(u64, Vec<Issue>),
    /// A still was taken; `warnings` lists what its checks still found wrong.
    Still {
        generation: u64,
        still: UploadJpeg,
        warnings: Vec<Issue>,
    },
    /// A QR code was read.
    Code(u64, String),
    /// Checking a frame failed (a corrupt frame): shown as a camera error.
    Failed(u64, CameraError),
    /// The camera was closed for the LUNA PASS screen of the step at this index.
    Released(u64, usize),
}

/// A running camera. Dropping it stops the tasks; [`LiveCamera::stop`] also releases the device.
pub(crate) struct LiveCamera {
    pub generation: u64,
    pub purpose: Purpose,
    pub step_index: Option<usize>,
    capture: Option<Capture>,
    shutter: Arc<Notify>,
    tasks: Vec<JoinHandle<()>>,
}

/// What a live camera needs from the session.
pub(crate) struct CameraContext {
    /// Whether the picture is taken by itself once every check passes (the person may turn it off).
    pub auto_capture: Arc<AtomicBool>,
    pub preview: Arc<watch::Sender<Option<Arc<PreviewFrame>>>>,
    pub sequence: Arc<AtomicU64>,
    pub signals: mpsc::UnboundedSender<CameraSignal>,
    pub faces: Arc<FaceDetector>,
    pub images: ImageConfig,
}

impl LiveCamera {
    /// Opens the source on a capture thread and starts the tasks.
    pub fn start(
        open: SourceOpener,
        purpose: Purpose,
        step_index: Option<usize>,
        generation: u64,
        context: &CameraContext,
    ) -> LiveCamera {
        let capture = Capture::start(open);
        let shutter = Arc::new(Notify::new());
        let tasks = vec![
            tokio::spawn(publish_frames(
                capture.frames(),
                Arc::clone(&context.preview),
                Arc::clone(&context.sequence),
            )),
            tokio::spawn(forward_status(
                capture.status(),
                generation,
                context.signals.clone(),
            )),
            tokio::spawn(
                Sampler {
                    frames: capture.frames(),
                    purpose,
                    generation,
                    shutter: Arc::clone(&shutter),
                    signals: context.signals.clone(),
                    faces: Arc::clone(&context.faces),
                    images: context.images.clone(),
                    auto_capture: Arc::clone(&context.auto_capture),
                }
                .run(),
            ),
        ];
        LiveCamera {
            generation,
            purpose,
            step_index,
            capture: Some(capture),
            shutter,
            tasks,
        }
    }

    /// Takes the picture now (checked first; see [`AutoCapture::judge`]).
    pub fn press_shutter(&self) {
        self.shutter.notify_one();
    }

    /// Stops the tasks and releases the camera. The device is closed on a blocking thread, so
    /// a driver that is slow to let go never stalls the session; the handle ends when the
    /// device is closed.
    pub fn stop(mut self) -> Option<JoinHandle<()>> {
        self.halt()
    }

    fn halt(&mut self) -> Option<JoinHandle<()>> {
        for task in self.tasks.drain(..) {
            task.abort();
        }
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

impl Drop for LiveCamera {
    fn drop(&mut self) {
        drop(self.halt());
    }
}

async fn forward_status(
    mut status: watch::Receiver<CaptureStatus>,
    generation: u64,
    signals: mpsc::UnboundedSender<CameraSignal>,
) {
    loop {
        let current = status.borrow_and_update().clone();
        if signals
            .send(CameraSignal::Status(generation, current))
            .is_err()
            || status.changed().await.is_err()
        {
            return;
        }
    }
}

struct Sampler {
    frames: watch::Receiver<Option<Arc<CapturedFrame>>>,
    purpose: Purpose,
    generation: u64,
    shutter: Arc<Notify>,
    signals: mpsc::UnboundedSender<CameraSignal>,
    faces: Arc<FaceDetector>,
    images: ImageConfig,
    auto_capture: Arc<AtomicBool>,
}

/// What the checks made of one sampled frame.
enum Sample {
    Checked(checks::QualityReport),
    Codes(Vec<String>),
}

impl Sampler {
    async fn run(self) {
        let mut auto = AutoCapture::new();
        let mut last_hints: Option<(Vec<Issue>, bool)> = None;
        let mut first_frame_at: Option<Instant> = None;
        loop {
            let manual = tokio::select! {
                _ = self.shutter.notified() => true,
                _ = tokio::time::sleep(CHECK_EVERY) => false,
            };
            let Some(captured) = self.frames.borrow().clone() else {
                continue;
            };
            let sample = match self.examine(Arc::clone(&captured)).await {
                Ok(sample) => sample,
                Err(error) => {
                    if self.send(CameraSignal::Failed(self.generation, error)) {
                        continue;
                    }
                    return;
                }
            };
            let report = match sample {
                Sample::Codes(codes) => {
                    for code in codes {
                        if !self.send(CameraSignal::Code(self.generation, code)) {
                            return;
                        }
                    }
                    continue;
                }
                Sample::Checked(report) => report,
            };
            let now = Instant::now();
            let warmed_up = now.duration_since(*first_frame_at.get_or_insert(now)) >= WARM_UP;
            let steady = auto.observe(&report, now);
            let take = manual || (steady && warmed_up && self.auto_capture.load(Ordering::Relaxed));
            let ready = report.passed();
            if last_hints.as_ref() != Some(&(report.issues.clone(), ready)) {
                last_hints = Some((report.issues.clone(), ready));
                let checks = CameraSignal::Checks {
                    generation: self.generation,
                    issues: report.issues.clone(),
                    ready,
                };
                if !self.send(checks) {
                    return;
                }
            }
            if !take {
                continue;
            }
            let warnings = match auto.judge(&report) {
                StillVerdict::Accepted => Vec::new(),
                StillVerdict::AcceptedWithWarning { issues } => issues,
                StillVerdict::Rejected { issues } => {
                    if !self.send(CameraSignal::Refused(self.generation, issues)) {
                        return;
                    }
                    continue;
                }
            };
            let images = self.images.clone();
            let frame = captured.frame.clone();
            let still = tokio::task::spawn_blocking(move || still_from_frame(&frame, &images))
                .await
                .unwrap_or_else(|_| Err(CameraError::Device("the still was lost".into())));
            let signal = match still {
                Ok(still) => CameraSignal::Still {
                    generation: self.generation,
                    still,
                    warnings,
                },
                Err(error) => CameraSignal::Failed(self.generation, error),
            };
            // One still per camera: the session stops this camera when it takes it.
            self.send(signal);
            return;
        }
    }

    /// Runs the checks (or reads QR codes) on a blocking thread: they take milliseconds.
    async fn examine(&self, captured: Arc<CapturedFrame>) -> Result<Sample, CameraError> {
        let purpose = self.purpose;
        let faces = Arc::clone(&self.faces);
        tokio::task::spawn_blocking(move || {
            let grey = checks::grey_for_checks(&captured.frame)?;
            Ok(match purpose {
                Purpose::Code => Sample::Codes(checks::read_codes(&grey)),
                _ => Sample::Checked(checks::check(&grey, purpose, &faces)),
            })
        })
        .await
        .unwrap_or_else(|_| Err(CameraError::Device("a check was lost".into())))
    }

    /// False when the session has gone.
    fn send(&self, signal: CameraSignal) -> bool {
        self.signals.send(signal).is_ok()
    }
}
