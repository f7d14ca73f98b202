//! A photo file standing in for a camera: the fallback when there is no usable camera.

use std::path::Path;
use std::time::{Duration, Instant};

use bytes::Bytes;

use crate::error::CameraError;
use crate::frame::{Frame, PixelFormat};
use crate::source::FrameSource;

/// How often the file's picture is delivered again, so that previews and checks run as usual.
const REPEAT_EVERY: Duration = Duration::from_millis(100);

/// Delivers one photo over and over.
pub struct ImageFileSource {
    name: String,
    frame: Frame,
    next_at: Instant,
}

impl ImageFileSource {
    /// Reads the file. A JPEG is kept as it is; any other picture is turned upright and encoded
    /// once, so that everything downstream sees a JPEG frame.
    pub fn open(path: &Path) -> Result<Self, CameraError> {
        let bytes = std::fs::read(path)
            .map_err(|e| CameraError::BadImage(format!("cannot read {}: {e}", path.display())))?;
        let images = humo_ident_core::config::ImageConfig {
            max_long_side: 4096,
            ..Default::default()
        };
        let jpeg = humo_ident_core::image_prep::UploadJpeg::prepare(&bytes, &images)
            .map_err(|e| CameraError::BadImage(format!("{}: {e}", path.display())))?;
        let frame = Frame::from_buffer(
            PixelFormat::Mjpeg,
            jpeg.width(),
            jpeg.height(),
            Bytes::clone(jpeg.bytes()),
        )?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Ok(ImageFileSource {
            name: format!("Photo file ({name})"),
            frame,
            next_at: Instant::now(),
        })
    }
}

impl FrameSource for ImageFileSource {
    fn next_frame(&mut self) -> Result<Frame, CameraError> {
        let now = Instant::now();
        if self.next_at > now {
            std::thread::sleep(self.next_at - now);
        }
        self.next_at = Instant::now() + REPEAT_EVERY;
        let mut frame = self.frame.clone();
        frame.captured_at = Instant::now();
        Ok(frame)
    }

    fn name(&self) -> String {
        self.name.clone()
    }
}
