//! The preview half: what the UI draws for each frame.
//!
//! An MJPEG frame is passed through as its own JPEG bytes (with the standard Huffman tables put
//! in where it lacks them); a YUYV frame is scaled and encoded to JPEG once, in the capture
//! thread. No frame is decoded just to be previewed.

use std::sync::Arc;

use bytes::Bytes;

use crate::error::CameraError;
use crate::frame::{Frame, PixelFormat};

/// Width of the preview made from a YUYV frame.
pub const PREVIEW_WIDTH: u32 = 960;

/// A frame with its preview, as the capture thread publishes it.
#[derive(Debug, Clone)]
pub struct CapturedFrame {
    /// The frame as the camera sent it: stills and quality checks start from it.
    pub frame: Frame,
    /// A JPEG to draw.
    pub preview: Bytes,
}

impl CapturedFrame {
    /// Makes the preview of `frame`.
    pub fn new(frame: Frame) -> Result<Arc<CapturedFrame>, CameraError> {
        let preview = match frame.format {
            PixelFormat::Mjpeg => humo_ident_core::jpeg::with_huffman_tables(&frame.data),
            PixelFormat::Yuyv => {
                let rgb = crate::yuyv::to_rgb_scaled(
                    &frame.data,
                    frame.width,
                    frame.height,
                    PREVIEW_WIDTH,
                );
                let mut out = Vec::with_capacity((rgb.width() * rgb.height() / 8) as usize);
                jpeg_encoder::Encoder::new(&mut out, 75)
                    .encode(
                        rgb.as_raw(),
                        rgb.width() as u16,
                        rgb.height() as u16,
                        jpeg_encoder::ColorType::Rgb,
                    )
                    .map_err(|e| {
                        CameraError::BadImage(format!("cannot encode the preview: {e}"))
                    })?;
                Bytes::from(out)
            }
        };
        Ok(Arc::new(CapturedFrame { frame, preview }))
    }
}
