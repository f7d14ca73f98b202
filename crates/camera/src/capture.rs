//! Capture: a thread of its own pulls frames from a source and publishes only the newest in a
//! `watch` slot, so a slow consumer never builds up latency; a watchdog reports a source that
//! goes quiet; an unplugged camera is reopened as soon as it comes back.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{mpsc, Arc};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde::Serialize;
use tokio::sync::watch;

use crate::error::CameraError;
use crate::preview::CapturedFrame;
use crate::source::{FrameSource, SourceOpener};

/// How long a source may stay quiet before it counts as stalled.
pub const STALL_AFTER: Duration = Duration::from_secs(2);
/// How often a lost camera is looked for again.
const REOPEN_EVERY: Duration = Duration::from_millis(500);
/// How long `stop` waits for the capture thread before leaving it to finish alone.
const STOP_WAIT: Duration = Duration::from_secs(2);

/// What the capture is doing, for the UI.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "state", rename_all = "camelCase")]
pub enum CaptureStatus {
    /// Opening the source.
    Starting,
    /// Frames are arriving.
    Streaming {
        /// The source's name.
        source: String,
    },
    /// Trouble: the source is being reopened, or waited for.
    Interrupted {
        /// What went wrong.
        error: CameraError,
    },
    /// The capture was stopped.
    Stopped,
}

/// Where the watchdog reads how long the source has been quiet: the system's clock, or one that
/// moves only when told (a test of the stall deadline then does not depend on the machine's
/// speed).
#[derive(Clone, Debug)]
pub enum CaptureClock {
    /// Time as it passes.
    System,
    /// Time as [`ManualClock::advance`] moves it.
    Manual(ManualClock),
}

/// A clock that stands still until it is advanced.
#[derive(Clone, Debug, Default)]
pub struct ManualClock {
    elapsed_ms: Arc<AtomicU64>,
}

impl ManualClock {
    /// Moves the clock forward.
    pub fn advance(&self, by: Duration) {
        self.elapsed_ms
            .fetch_add(by.as_millis() as u64, Ordering::SeqCst);
    }
}

/// A started clock: the time since the capture began.
enum Elapsed {
    System(Instant),
    Manual(ManualClock),
}

impl Elapsed {
    fn start(clock: CaptureClock) -> Self {
        match clock {
            CaptureClock::System => Elapsed::System(Instant::now()),
            CaptureClock::Manual(clock) => Elapsed::Manual(clock),
        }
    }

    fn ms(&self) -> u64 {
        match self {
            Elapsed::System(epoch) => epoch.elapsed().as_millis() as u64,
            Elapsed::Manual(clock) => clock.elapsed_ms.load(Ordering::SeqCst),
        }
    }
}

/// A running capture. Dropping it stops it.
pub struct Capture {
    frames: watch::Receiver<Option<Arc<CapturedFrame>>>,
    status: watch::Receiver<CaptureStatus>,
    stop: Arc<AtomicBool>,
    finished: Option<mpsc::Receiver<()>>,
    threads: Vec<JoinHandle<()>>,
}

impl Capture {
    /// Starts capturing from the sources `open` makes. `open` is called again after a failure.
    pub fn start(open: SourceOpener) -> Capture {
        Self::start_with_clock(open, CaptureClock::System)
    }

    /// As [`Capture::start`], with the watchdog reading `clock`.
    pub fn start_with_clock(open: SourceOpener, clock: CaptureClock) -> Capture {
        let (frame_tx, frames) = watch::channel(None);
        let (status_tx, status) = watch::channel(CaptureStatus::Starting);
        let status_tx = Arc::new(status_tx);
        let stop = Arc::new(AtomicBool::new(false));
        let last_frame_ms = Arc::new(AtomicU64::new(0));
        let elapsed = Arc::new(Elapsed::start(clock));
        let (done_tx, finished) = mpsc::channel();

        let worker = CaptureThread {
            open,
            frames: frame_tx,
            status: Arc::clone(&status_tx),
            stop: Arc::clone(&stop),
            last_frame_ms: Arc::clone(&last_frame_ms),
            elapsed: Arc::clone(&elapsed),
        };
        let capture = std::thread::Builder::new()
            .name("camera-capture".into())
            .spawn(move || {
                worker.run();
                let _ = done_tx.send(());
            })
            .ok();
        let watchdog = {
            let stop = Arc::clone(&stop);
            std::thread::Builder::new()
                .name("camera-watchdog".into())
                .spawn(move || watch_for_stalls(&status_tx, &stop, &last_frame_ms, &elapsed))
                .ok()
        };
        Capture {
            frames,
            status,
            stop,
            finished: Some(finished),
            threads: capture.into_iter().chain(watchdog).collect(),
        }
    }

    /// The newest frame; `changed()` wakes on each new one.
    pub fn frames(&self) -> watch::Receiver<Option<Arc<CapturedFrame>>> {
        self.frames.clone()
    }

    /// What the capture is doing.
    pub fn status(&self) -> watch::Receiver<CaptureStatus> {
        self.status.clone()
    }

    /// Stops the capture and releases the camera. Returns within about two seconds even if the
    /// source is stuck in a driver call; the thread then releases the camera when the call returns.
    pub fn stop(mut self) {
        self.shut_down();
    }

    fn shut_down(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let Some(finished) = self.finished.take() else {
            return;
        };
        if finished.recv_timeout(STOP_WAIT).is_ok() {
            for thread in self.threads.drain(..) {
                let _ = thread.join();
            }
        } else {
            tracing::warn!(
                "the camera did not stop in time; it is released when its driver returns"
            );
        }
    }
}

impl Drop for Capture {
    fn drop(&mut self) {
        self.shut_down();
    }
}

struct CaptureThread {
    open: SourceOpener,
    frames: watch::Sender<Option<Arc<CapturedFrame>>>,
    status: Arc<watch::Sender<CaptureStatus>>,
    stop: Arc<AtomicBool>,
    last_frame_ms: Arc<AtomicU64>,
    elapsed: Arc<Elapsed>,
}

impl CaptureThread {
    fn run(self) {
        let mut source: Option<Box<dyn FrameSource>> = None;
        let mut sequence = 0;
        while !self.stop.load(Ordering::SeqCst) {
            let Some(current) = source.as_mut() else {
                match (self.open)() {
                    Ok(opened) => {
                        self.touch();
                        self.set_status(CaptureStatus::Streaming {
                            source: opened.name(),
                        });
                        source = Some(opened);
                    }
                    Err(error) => {
                        self.set_status(CaptureStatus::Interrupted { error });
                        self.pause(REOPEN_EVERY);
                    }
                }
                continue;
            };
            match current.next_frame() {
                Ok(mut frame) => {
                    sequence += 1;
                    frame.sequence = sequence;
                    self.touch();
                    match CapturedFrame::new(frame) {
                        Ok(captured) => {
                            self.frames.send_replace(Some(captured));
                            if !matches!(*self.status.borrow(), CaptureStatus::Streaming { .. }) {
                                self.set_status(CaptureStatus::Streaming {
                                    source: current.name(),
                                });
                            }
                        }
                        Err(error) => tracing::debug!(%error, "dropping a frame"),
                    }
                }
                // One unreadable frame is skipped; the next one may be fine.
                Err(CameraError::BadImage(reason)) => tracing::debug!(%reason, "dropping a frame"),
                Err(error) => {
                    tracing::warn!(%error, "camera lost; reopening");
                    source = None;
                    self.set_status(CaptureStatus::Interrupted { error });
                    self.pause(REOPEN_EVERY);
                }
            }
        }
        drop(source);
        self.set_status(CaptureStatus::Stopped);
    }

    fn touch(&self) {
        self.last_frame_ms
            .store(self.elapsed.ms(), Ordering::SeqCst);
    }

    fn set_status(&self, status: CaptureStatus) {
        self.status.send_if_modified(|current| {
            let changed = *current != status;
            *current = status;
            changed
        });
    }

    /// Sleeps, waking early when the capture is stopped.
    fn pause(&self, duration: Duration) {
        let until = Instant::now() + duration;
        while !self.stop.load(Ordering::SeqCst) && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Marks a streaming capture as stalled when no frame came for [`STALL_AFTER`]. The capture
/// thread sets it streaming again with the next frame.
fn watch_for_stalls(
    status: &watch::Sender<CaptureStatus>,
    stop: &AtomicBool,
    last_frame_ms: &AtomicU64,
    elapsed: &Elapsed,
) {
    while !stop.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(100));
        let quiet = Duration::from_millis(
            elapsed
                .ms()
                .saturating_sub(last_frame_ms.load(Ordering::SeqCst)),
        );
        if quiet >= STALL_AFTER {
            status.send_if_modified(|current| {
                let streaming = matches!(current, CaptureStatus::Streaming { .. });
                if streaming {
                    *current = CaptureStatus::Interrupted {
                        error: CameraError::Stalled,
                    };
                }
                streaming
            });
        }
    }
}
