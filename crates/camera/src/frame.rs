//! A frame as a camera delivered it, before any decoding.

use std::fmt;
use std::time::Instant;

use bytes::Bytes;
use serde::Serialize;

/// How a frame's bytes are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PixelFormat {
    /// Each frame a JPEG (motion JPEG), possibly without Huffman tables.
    Mjpeg,
    /// Packed 4:2:2 YUV: Y0 U Y1 V for each pair of pixels.
    Yuyv,
}

/// One frame. `format`, `width` and `height` are read from the frame itself, never taken from
/// what was asked of the camera: cameras deliver something else surprisingly often.
#[derive(Clone)]
pub struct Frame {
    /// The layout of `data`.
    pub format: PixelFormat,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The bytes as the camera sent them.
    pub data: Bytes,
    /// Counts frames from 1 since the capture started.
    pub sequence: u64,
    /// When the frame arrived.
    pub captured_at: Instant,
}

impl Frame {
    /// Builds a frame from a camera buffer, checking the buffer against its claimed layout.
    ///
    /// A buffer that starts like a JPEG is taken as one whatever was claimed, and its size is read
    /// from its frame header; a YUYV buffer must hold exactly two bytes a pixel.
    pub fn from_buffer(
        claimed: PixelFormat,
        width: u32,
        height: u32,
        data: Bytes,
    ) -> Result<Frame, crate::CameraError> {
        let (format, width, height) = if data.starts_with(&[0xFF, 0xD8]) {
            let (w, h) = humo_ident_core::jpeg::dimensions(&data).ok_or_else(|| {
                crate::CameraError::BadImage("a JPEG frame without a frame header".into())
            })?;
            (PixelFormat::Mjpeg, w, h)
        } else if claimed == PixelFormat::Yuyv
            && data.len() as u64 == width as u64 * height as u64 * 2
            && width % 2 == 0
        {
            (PixelFormat::Yuyv, width, height)
        } else {
            return Err(crate::CameraError::BadImage(format!(
                "a {} byte frame is neither a JPEG nor {width}×{height} YUYV",
                data.len()
            )));
        };
        Ok(Frame {
            format,
            width,
            height,
            data,
            sequence: 0,
            captured_at: Instant::now(),
        })
    }
}

/// Never prints the pixels.
impl fmt::Debug for Frame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Frame(#{} {:?} {}×{}, {} bytes)",
            self.sequence,
            self.format,
            self.width,
            self.height,
            self.data.len()
        )
    }
}
