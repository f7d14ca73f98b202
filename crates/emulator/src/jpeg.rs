//! The one image check both uploads need: the bytes must decode as a JPEG.

use image::ImageFormat;

/// Decodes the whole image, not just its header, so a truncated upload is caught as the
/// bank's OCR would catch it. CPU-bound: call it off the async threads.
pub(crate) fn check(bytes: &[u8]) -> Result<(u32, u32), String> {
    image::load_from_memory_with_format(bytes, ImageFormat::Jpeg)
        .map(|image| (image.width(), image.height()))
        .map_err(|err| err.to_string())
}
