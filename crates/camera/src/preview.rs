//! The preview half: what the UI draws for each frame.
//!
//! Every frame is made into a JPEG of about the size the page shows, once, in the capture
//! thread: the page's thread, which decodes and draws it, is the preview's bottleneck, and a
//! quarter of the pixels decode in a quarter of the time. A YUYV frame is scaled and encoded; an
//! MJPEG frame wider than the preview is decoded, scaled and encoded again (one that is not is
//! passed through, with the standard Huffman tables put in where it lacks them).
//!
//! An MJPEG frame decoded here keeps the grey copy the checks look at, made from the same scaled
//! picture, so a frame the checks sample is not decoded a second time.

use std::borrow::Cow;
use std::sync::Arc;

use bytes::Bytes;

use crate::checks::CHECK_WIDTH;
use crate::error::CameraError;
use crate::frame::{Frame, PixelFormat};

/// Width of the preview: the camera screens show it about 680 pixels wide.
pub const PREVIEW_WIDTH: u32 = 640;

/// JPEG quality of a preview made here.
const PREVIEW_QUALITY: u8 = 75;

// The checks' grey copy is made from the preview's scaled picture: both are this wide.
const _: () = assert!(PREVIEW_WIDTH == CHECK_WIDTH);

/// A frame with its preview, as the capture thread publishes it.
#[derive(Debug, Clone)]
pub struct CapturedFrame {
    /// The frame as the camera sent it: stills and quality checks start from it.
    pub frame: Frame,
    /// A JPEG to draw.
    pub preview: Bytes,
    /// The checks' grey copy, where making the preview decoded the frame.
    grey: Option<image::GrayImage>,
}

impl CapturedFrame {
    /// Makes the preview of `frame`.
    pub fn new(frame: Frame) -> Result<Arc<CapturedFrame>, CameraError> {
        let (preview, grey) = match frame.format {
            PixelFormat::Mjpeg if frame.width <= PREVIEW_WIDTH => (
                humo_ident_core::jpeg::with_huffman_tables(&frame.data),
                None,
            ),
            PixelFormat::Mjpeg => {
                let data = humo_ident_core::jpeg::with_huffman_tables(&frame.data);
                let decoded = image::load_from_memory_with_format(&data, image::ImageFormat::Jpeg)
                    .map_err(|e| CameraError::BadImage(format!("cannot decode the frame: {e}")))?;
                let scaled = scale_rgb(decoded.to_rgb8(), PREVIEW_WIDTH);
                let grey: image::GrayImage = image::buffer::ConvertBuffer::convert(&scaled);
                let preview = encode(&scaled)?;
                (preview, Some(grey))
            }
            PixelFormat::Yuyv => (
                encode(&crate::yuyv::to_rgb_scaled(
                    &frame.data,
                    frame.width,
                    frame.height,
                    PREVIEW_WIDTH,
                ))?,
                None,
            ),
        };
        Ok(Arc::new(CapturedFrame {
            frame,
            preview,
            grey,
        }))
    }

    /// The grey copy the checks look at: the one kept when the preview was made, or else made
    /// from the frame (a YUYV frame's luma plane, or a small MJPEG frame decoded).
    pub fn grey_for_checks(&self) -> Result<Cow<'_, image::GrayImage>, CameraError> {
        match &self.grey {
            Some(grey) => Ok(Cow::Borrowed(grey)),
            None => crate::checks::grey_for_checks(&self.frame).map(Cow::Owned),
        }
    }
}

/// Scales a colour image down to `width` (never up), keeping its shape.
fn scale_rgb(rgb: image::RgbImage, width: u32) -> image::RgbImage {
    if rgb.width() <= width {
        return rgb;
    }
    let height = ((rgb.height() as u64 * width as u64) / rgb.width() as u64).max(1) as u32;
    let source = image::DynamicImage::ImageRgb8(rgb);
    let mut scaled = image::DynamicImage::new_rgb8(width, height);
    let options = fast_image_resize::ResizeOptions::new().resize_alg(
        fast_image_resize::ResizeAlg::Convolution(fast_image_resize::FilterType::Bilinear),
    );
    match fast_image_resize::Resizer::new().resize(&source, &mut scaled, &options) {
        Ok(()) => scaled.to_rgb8(),
        Err(_) => image::imageops::resize(
            &source.to_rgb8(),
            width,
            height,
            image::imageops::FilterType::Triangle,
        ),
    }
}

fn encode(rgb: &image::RgbImage) -> Result<Bytes, CameraError> {
    encode_jpeg(rgb, PREVIEW_QUALITY)
        .map(Bytes::from)
        .map_err(|e| CameraError::BadImage(format!("cannot encode the preview: {e}")))
}

/// Encodes a colour picture as a baseline JPEG of `quality`.
pub(crate) fn encode_jpeg(
    rgb: &image::RgbImage,
    quality: u8,
) -> Result<Vec<u8>, jpeg_encoder::EncodingError> {
    let mut out = Vec::with_capacity((rgb.width() * rgb.height() / 8) as usize);
    jpeg_encoder::Encoder::new(&mut out, quality).encode(
        rgb.as_raw(),
        rgb.width() as u16,
        rgb.height() as u16,
        jpeg_encoder::ColorType::Rgb,
    )?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mjpeg(width: u32, height: u32) -> Frame {
        let jpeg = humo_ident_test_support::gradient_jpeg(width, height);
        Frame::from_buffer(PixelFormat::Mjpeg, width, height, Bytes::from(jpeg)).unwrap()
    }

    fn size(jpeg: &[u8]) -> (u32, u32) {
        humo_ident_core::jpeg::dimensions(jpeg).unwrap()
    }

    #[test]
    fn a_large_mjpeg_frame_is_previewed_at_the_size_shown() {
        let captured = CapturedFrame::new(mjpeg(1280, 720)).unwrap();
        assert_eq!(size(&captured.preview), (PREVIEW_WIDTH, 360));
        assert!(captured.preview.len() < captured.frame.data.len());
        // The frame itself, for stills and checks, is the camera's own.
        assert_eq!((captured.frame.width, captured.frame.height), (1280, 720));
    }

    #[test]
    fn a_large_mjpeg_frame_is_decoded_once_for_the_preview_and_the_checks() {
        let captured = CapturedFrame::new(mjpeg(1280, 720)).unwrap();
        assert!(captured.grey.is_some(), "the grey copy is kept");
        let kept = captured.grey_for_checks().unwrap();
        let decoded_again = crate::checks::grey_for_checks(&captured.frame).unwrap();
        assert_eq!(kept.dimensions(), decoded_again.dimensions());
        // Scaled then made grey, or made grey then scaled: the same picture, give or take a
        // rounding.
        let largest_difference = kept
            .as_raw()
            .iter()
            .zip(decoded_again.as_raw())
            .map(|(a, b)| a.abs_diff(*b))
            .max()
            .unwrap();
        assert!(largest_difference <= 2, "differs by {largest_difference}");
    }

    #[test]
    fn a_frame_not_decoded_for_its_preview_is_decoded_for_the_checks() {
        let captured = CapturedFrame::new(mjpeg(640, 480)).unwrap();
        assert!(captured.grey.is_none());
        assert_eq!(captured.grey_for_checks().unwrap().dimensions(), (640, 480));
    }

    #[test]
    fn a_small_mjpeg_frame_is_passed_through() {
        let frame = mjpeg(640, 480);
        let captured = CapturedFrame::new(frame.clone()).unwrap();
        assert_eq!(
            captured.preview,
            humo_ident_core::jpeg::with_huffman_tables(&frame.data)
        );
    }

    #[test]
    fn a_yuyv_frame_is_encoded_at_the_size_shown() {
        let data = Bytes::from(vec![128u8; 1280 * 720 * 2]);
        let frame = Frame::from_buffer(PixelFormat::Yuyv, 1280, 720, data).unwrap();
        let captured = CapturedFrame::new(frame).unwrap();
        assert_eq!(size(&captured.preview), (PREVIEW_WIDTH, 360));
    }

    #[test]
    fn an_mjpeg_frame_without_its_picture_is_an_error_not_a_panic() {
        let mut frame = mjpeg(1280, 720);
        let mut data = frame.data.to_vec();
        // Headers only: cut at the start of the scan.
        let scan = data.windows(2).position(|w| w == [0xFF, 0xDA]).unwrap();
        data.truncate(scan);
        frame.data = Bytes::from(data);
        assert!(CapturedFrame::new(frame).is_err());
    }
}
