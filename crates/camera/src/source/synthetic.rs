//! A camera that films a drawn scene: for demos on machines without a camera, for the tests and
//! for the benchmarks.
//!
//! One animation cycle is rendered and encoded when the source opens, then replayed at the set
//! rate, so delivering a frame costs what a real camera's driver costs: a copy of a buffer.

use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use image::RgbImage;

use crate::checks::FaceDetector;
use crate::error::CameraError;
use crate::frame::{Frame, PixelFormat};
use crate::scene;
use crate::source::{CardSide, FrameSource, SyntheticScene};

/// How the synthetic camera behaves.
#[derive(Debug, Clone)]
pub struct SyntheticConfig {
    /// The scene.
    pub scene: SyntheticScene,
    /// Frame width.
    pub width: u32,
    /// Frame height.
    pub height: u32,
    /// Frames a second.
    pub fps: u32,
    /// The pixel layout of the frames.
    pub format: PixelFormat,
    /// Leave the Huffman tables out of MJPEG frames, as most webcams do.
    pub strip_huffman_tables: bool,
    /// Distinct frames in one animation cycle.
    pub cycle: usize,
    /// After this many frames, stop delivering until `stall_ends` (a camera that goes quiet).
    pub stall_after: Option<u64>,
    /// When a stall ends.
    pub stall_ends: StallEnd,
    /// After this many frames, fail as if unplugged.
    pub unplug_after: Option<u64>,
}

impl SyntheticConfig {
    /// A well-behaved 30 fps MJPEG camera filming `scene` at `width`×`height`.
    pub fn new(scene: SyntheticScene, width: u32, height: u32) -> Self {
        SyntheticConfig {
            scene,
            width,
            height,
            fps: 30,
            format: PixelFormat::Mjpeg,
            strip_huffman_tables: true,
            cycle: 15,
            stall_after: None,
            stall_ends: StallEnd::After(Duration::from_secs(3)),
            unplug_after: None,
        }
    }
}

/// When a synthetic camera that went quiet delivers again.
#[derive(Debug, Clone)]
pub enum StallEnd {
    /// After this long.
    After(Duration),
    /// When the gate is opened: a test that must see the camera quiet first decides when it
    /// comes back, instead of guessing how long a busy machine needs to notice.
    WhenOpened(StallGate),
}

/// A gate a stalled synthetic camera waits at until it is opened, from any thread.
#[derive(Debug, Clone, Default)]
pub struct StallGate(Arc<(Mutex<bool>, Condvar)>);

impl StallGate {
    /// A closed gate.
    pub fn new() -> StallGate {
        StallGate::default()
    }

    /// Opens the gate for good: the camera delivers again.
    pub fn open(&self) {
        let (open, opened) = &*self.0;
        *open.lock().unwrap_or_else(|e| e.into_inner()) = true;
        opened.notify_all();
    }

    /// Whether the gate has been opened.
    pub fn is_open(&self) -> bool {
        *self.0 .0.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn wait(&self) {
        let (open, opened) = &*self.0;
        let guard = open.lock().unwrap_or_else(|e| e.into_inner());
        drop(opened.wait_while(guard, |open| !*open));
    }
}

/// The synthetic camera.
pub struct SyntheticSource {
    config: SyntheticConfig,
    frames: Vec<Bytes>,
    delivered: u64,
    next_at: Instant,
}

impl SyntheticSource {
    /// Renders and encodes the animation cycle.
    pub fn open(config: SyntheticConfig) -> Result<Self, CameraError> {
        if config.width < 16 || config.height < 16 || config.width % 2 != 0 || config.fps == 0 {
            return Err(CameraError::UnsupportedFormat(format!(
                "{}×{} at {} fps",
                config.width, config.height, config.fps
            )));
        }
        let still = match &config.scene {
            SyntheticScene::Card(side) => scene::id_card(*side),
            SyntheticScene::EmptyDesk => scene::desk(),
            SyntheticScene::QrCode(text) => scene::qr_code(text),
            SyntheticScene::Face(portrait) => {
                let portrait = portrait.clone().unwrap_or_else(scene::drawn_face);
                frame_portrait(&portrait, config.width, config.height)?
            }
        };
        let cycle = config.cycle.max(1);
        let animation = scene::Animation::new(&still, config.width, config.height);
        let frames = (0..cycle)
            .map(|i| encode(&animation.frame(i as f32 / cycle as f32), &config))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(SyntheticSource {
            config,
            frames,
            delivered: 0,
            next_at: Instant::now(),
        })
    }
}

/// Frames the face of `portrait` as a webcam would see the person; a portrait in which no face
/// is found is shown whole, and the checks will say so.
pub fn frame_portrait(
    portrait: &RgbImage,
    width: u32,
    height: u32,
) -> Result<RgbImage, CameraError> {
    let grey = image::DynamicImage::ImageRgb8(portrait.clone()).to_luma8();
    let faces = FaceDetector::new()?.detect(&grey);
    let (centre, face_width) = match faces.iter().max_by_key(|f| f.width) {
        Some(face) => (
            (
                face.x as f32 + face.width as f32 / 2.0,
                face.y as f32 + face.height as f32 / 2.0,
            ),
            face.width as f32,
        ),
        None => (
            (
                portrait.width() as f32 / 2.0,
                portrait.height() as f32 / 2.0,
            ),
            portrait.width() as f32 / 3.0,
        ),
    };
    Ok(scene::frame_face(
        portrait, centre, face_width, width, height,
    ))
}

fn encode(picture: &RgbImage, config: &SyntheticConfig) -> Result<Bytes, CameraError> {
    match config.format {
        PixelFormat::Yuyv => Ok(Bytes::from(crate::yuyv::from_rgb(picture))),
        PixelFormat::Mjpeg => {
            let mut out = crate::preview::encode_jpeg(picture, 85)
                .map_err(|e| CameraError::Device(format!("synthetic encoder: {e}")))?;
            if config.strip_huffman_tables {
                out = humo_ident_core::jpeg::without_huffman_tables(&out);
            }
            Ok(Bytes::from(out))
        }
    }
}

impl FrameSource for SyntheticSource {
    fn next_frame(&mut self) -> Result<Frame, CameraError> {
        if self.config.unplug_after == Some(self.delivered) {
            self.config.unplug_after = None;
            return Err(CameraError::Unplugged);
        }
        if self.config.stall_after == Some(self.delivered) {
            self.config.stall_after = None;
            match &self.config.stall_ends {
                StallEnd::After(quiet) => std::thread::sleep(*quiet),
                StallEnd::WhenOpened(gate) => gate.wait(),
            }
            self.next_at = Instant::now();
        }
        let now = Instant::now();
        if self.next_at > now {
            std::thread::sleep(self.next_at - now);
        }
        // Keep the cadence without drifting; after a long pause start afresh.
        self.next_at = (self.next_at + Duration::from_secs(1) / self.config.fps)
            .max(Instant::now() - Duration::from_millis(100));
        let data = self.frames[(self.delivered % self.frames.len() as u64) as usize].clone();
        self.delivered += 1;
        Frame::from_buffer(
            self.config.format,
            self.config.width,
            self.config.height,
            data,
        )
    }

    fn name(&self) -> String {
        let scene = match &self.config.scene {
            SyntheticScene::Card(CardSide::Front) => "ID card, front",
            SyntheticScene::Card(CardSide::Back) => "ID card, back",
            SyntheticScene::EmptyDesk => "empty desk",
            SyntheticScene::Face(_) => "face",
            SyntheticScene::QrCode(_) => "QR code",
        };
        format!("Synthetic camera ({scene})")
    }
}
