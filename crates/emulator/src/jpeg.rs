//! The one image check every upload needs: the bytes must decode as a JPEG.

use image::{DynamicImage, ImageFormat};

/// Decodes the whole image, not just its header, so a truncated upload is caught as the
/// bank's OCR would catch it. CPU-bound: call it off the async threads.
pub(crate) fn check(bytes: &[u8]) -> Result<(u32, u32), String> {
    decode(bytes).map(|image| (image.width(), image.height()))
}

/// [`check`], plus the image's mean luma (0–255) for the LUNA PASS double's darkness test,
/// from the same single decode.
pub(crate) fn check_with_luma(bytes: &[u8]) -> Result<(u32, u32, f64), String> {
    let image = decode(bytes)?;
    let luma = image.to_luma8();
    let pixels = luma.as_raw();
    let sum: u64 = pixels.iter().map(|&value| u64::from(value)).sum();
    // A decoded JPEG has at least one pixel, but an empty one must not divide by zero.
    let mean = sum as f64 / pixels.len().max(1) as f64;
    Ok((image.width(), image.height(), mean))
}

fn decode(bytes: &[u8]) -> Result<DynamicImage, String> {
    image::load_from_memory_with_format(bytes, ImageFormat::Jpeg).map_err(|err| err.to_string())
}
