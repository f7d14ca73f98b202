//! Stills: the full-resolution frame, made into the JPEG that is uploaded.

use humo_ident_core::config::ImageConfig;
use humo_ident_core::image_prep::UploadJpeg;
use image::DynamicImage;

use crate::error::CameraError;
use crate::frame::{Frame, PixelFormat};

/// Makes the upload JPEG of a frame. An MJPEG frame that is a valid JPEG within the size limits
/// is used as it is (with the standard Huffman tables put in if it lacks them); anything else is
/// encoded once at the configured quality.
pub fn still_from_frame(frame: &Frame, limits: &ImageConfig) -> Result<UploadJpeg, CameraError> {
    let jpeg = match frame.format {
        PixelFormat::Mjpeg => UploadJpeg::prepare(&frame.data, limits),
        PixelFormat::Yuyv => {
            let rgb = crate::yuyv::to_rgb(&frame.data, frame.width, frame.height);
            UploadJpeg::from_pixels(DynamicImage::ImageRgb8(rgb), limits)
        }
    };
    jpeg.map_err(|e| CameraError::BadImage(e.to_string()))
}
