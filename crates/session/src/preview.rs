//! What the shell serves to the webview as raw bytes: the newest preview frame, and the still
//! the person is reviewing.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use humo_ident_camera::preview::CapturedFrame;
use tokio::sync::watch;

/// One preview frame: the camera's JPEG, drawn by the UI as it is.
#[derive(Debug, Clone)]
pub struct PreviewFrame {
    /// Counts frames across every capture of the session, so the UI can ask for "newer than".
    pub sequence: u64,
    /// When the camera delivered the frame, in milliseconds since the Unix epoch: the UI
    /// measures capture-to-draw latency with it.
    pub captured_at_ms: f64,
    /// The camera's picture size (the JPEG may be smaller, with the same shape).
    pub width: u32,
    /// The camera's picture size.
    pub height: u32,
    /// The JPEG.
    pub jpeg: Bytes,
}

/// The newest preview frame; `None` while no camera runs. Readers never wait for a frame they
/// have already drawn: the slot holds one frame, and older ones are dropped.
pub type PreviewSlot = watch::Receiver<Option<Arc<PreviewFrame>>>;

/// The still under review, by id: the UI asks for it by the id its view names.
#[derive(Debug, Clone, Default)]
pub struct ReviewImages(Arc<Mutex<Option<(u64, Bytes)>>>);

impl ReviewImages {
    /// The still with this id, if it is still the one under review.
    pub fn get(&self, id: u64) -> Option<Bytes> {
        let slot = self.0.lock().ok()?;
        slot.as_ref()
            .filter(|(current, _)| *current == id)
            .map(|(_, bytes)| bytes.clone())
    }

    pub(crate) fn set(&self, still: Option<(u64, Bytes)>) {
        if let Ok(mut slot) = self.0.lock() {
            *slot = still;
        }
    }
}

/// Copies each new frame's preview JPEG from a capture into `slot`, numbering frames with
/// `sequence`, until the capture ends. Nothing is decoded or copied but the frame's handle.
pub async fn publish_frames(
    mut frames: watch::Receiver<Option<Arc<CapturedFrame>>>,
    slot: Arc<watch::Sender<Option<Arc<PreviewFrame>>>>,
    sequence: Arc<AtomicU64>,
) {
    while frames.changed().await.is_ok() {
        let Some(captured) = frames.borrow_and_update().clone() else {
            continue;
        };
        let frame = PreviewFrame {
            sequence: sequence.fetch_add(1, Ordering::Relaxed) + 1,
            captured_at_ms: wall_clock_ms(captured.frame.captured_at),
            width: captured.frame.width,
            height: captured.frame.height,
            jpeg: captured.preview.clone(),
        };
        slot.send_replace(Some(Arc::new(frame)));
    }
}

/// An `Instant` as milliseconds since the Unix epoch, comparable with the webview's clock.
pub fn wall_clock_ms(at: Instant) -> f64 {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    now.saturating_sub(at.elapsed()).as_secs_f64() * 1000.0
}
