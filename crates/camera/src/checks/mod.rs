//! Quality checks on a downscaled grey copy of a frame: is the picture good enough to send?
//!
//! Each failed check is an [`Issue`] with a stable code that the UI turns into a hint in the
//! person's language ("move closer", "avoid the glare", …).

mod code;
mod document;
mod face;
mod selfie_gate;

use image::GrayImage;
use serde::Serialize;

use crate::error::CameraError;
use crate::frame::{Frame, PixelFormat};
use crate::source::Purpose;

pub use code::read_codes;
pub use document::{check_document, find_card, CardOutline};
pub use face::{FaceBox, FaceDetector, FaceReport};
pub use selfie_gate::{LocalFaceGate, LOCAL_REFUSALS};

/// Width of the grey copy the checks look at.
pub const CHECK_WIDTH: u32 = 640;

humo_ident_core::code_enum! {
    /// Something wrong with a picture.
    pub enum Issue {
        /// Too dark to read.
        TooDark => "too-dark",
        /// Washed out.
        TooBright => "too-bright",
        /// Out of focus or moving.
        Blurry => "blurry",
        /// A reflection hides part of the card.
        Glare => "glare",
        /// No card in the picture.
        NoDocument => "no-document",
        /// The card is too far away.
        DocumentTooSmall => "document-too-small",
        /// No face in the picture.
        NoFace => "no-face",
        /// More than one face.
        SeveralFaces => "several-faces",
        /// The face is not in the middle.
        FaceNotCentred => "face-not-centred",
        /// The face is too far away.
        FaceTooSmall => "face-too-small",
    }
}

/// The checks' verdict on one picture.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QualityReport {
    /// What is wrong; empty when the picture is good.
    pub issues: Vec<Issue>,
    /// Mean brightness, 0–255.
    pub brightness: f32,
    /// Variance of the Laplacian over the region checked: higher is sharper.
    pub sharpness: f32,
    /// Share of clipped-white pixels in the region checked.
    pub glare: f32,
    /// The card's outline, in the grey copy's coordinates, scaled to 0–1.
    pub card: Option<CardOutline>,
    /// Faces found (selfie only).
    pub faces: usize,
}

impl QualityReport {
    /// Whether every check passed.
    pub fn passed(&self) -> bool {
        self.issues.is_empty()
    }
}

/// The grey copy of a frame that the checks look at, at most [`CHECK_WIDTH`] wide.
///
/// A YUYV frame gives its luma plane directly; an MJPEG frame is decoded, which is why the
/// checks run on a few sampled frames a second, never on every frame.
pub fn grey_for_checks(frame: &Frame) -> Result<GrayImage, CameraError> {
    match frame.format {
        PixelFormat::Yuyv => Ok(crate::yuyv::luma_scaled(
            &frame.data,
            frame.width,
            frame.height,
            CHECK_WIDTH,
        )),
        PixelFormat::Mjpeg => {
            let data = humo_ident_core::jpeg::with_huffman_tables(&frame.data);
            let decoded = image::load_from_memory_with_format(&data, image::ImageFormat::Jpeg)
                .map_err(|e| CameraError::BadImage(e.to_string()))?;
            Ok(downscale(&decoded.to_luma8(), CHECK_WIDTH))
        }
    }
}

/// Scales a grey image down to `width` (never up).
pub fn downscale(grey: &GrayImage, width: u32) -> GrayImage {
    if grey.width() <= width {
        return grey.clone();
    }
    let height = ((grey.height() as u64 * width as u64) / grey.width() as u64).max(1) as u32;
    let source = image::DynamicImage::ImageLuma8(grey.clone());
    let mut scaled = image::DynamicImage::new_luma8(width, height);
    let options = fast_image_resize::ResizeOptions::new().resize_alg(
        fast_image_resize::ResizeAlg::Convolution(fast_image_resize::FilterType::Bilinear),
    );
    match fast_image_resize::Resizer::new().resize(&source, &mut scaled, &options) {
        Ok(()) => scaled.to_luma8(),
        Err(_) => {
            image::imageops::resize(grey, width, height, image::imageops::FilterType::Triangle)
        }
    }
}

/// Runs the checks for `purpose` on a photo (a still, or a file the person chose), as on a
/// camera's frame.
pub fn check_photo(
    photo: &[u8],
    purpose: Purpose,
    faces: &FaceDetector,
) -> Result<QualityReport, CameraError> {
    let decoded =
        image::load_from_memory(photo).map_err(|e| CameraError::BadImage(e.to_string()))?;
    let grey = downscale(&decoded.to_luma8(), CHECK_WIDTH);
    Ok(check(&grey, purpose, faces))
}

/// Runs the checks for `purpose`.
pub fn check(grey: &GrayImage, purpose: Purpose, faces: &FaceDetector) -> QualityReport {
    match purpose {
        Purpose::Document => check_document(grey),
        Purpose::Selfie => faces.check(grey).report,
        Purpose::Code => {
            let m = measure(grey, 0, 0, grey.width(), grey.height());
            QualityReport {
                issues: Vec::new(),
                brightness: m.brightness,
                sharpness: m.sharpness,
                glare: m.glare,
                card: None,
                faces: 0,
            }
        }
    }
}

/// Brightness, sharpness and glare over a region, shared by both kinds of check.
pub(crate) struct Measures {
    pub brightness: f32,
    pub sharpness: f32,
    pub glare: f32,
}

/// Measures the rectangle `(x0, y0)–(x1, y1)` of `grey` (exclusive ends).
pub(crate) fn measure(grey: &GrayImage, x0: u32, y0: u32, x1: u32, y1: u32) -> Measures {
    let (w, h) = grey.dimensions();
    let (x0, y0, x1, y1) = (x0.min(w), y0.min(h), x1.min(w), y1.min(h));
    let pixels = grey.as_raw();
    let stride = w as usize;
    let mut sum = 0u64;
    let mut clipped = 0u64;
    let mut count = 0u64;
    let (mut lap_sum, mut lap_sq, mut lap_count) = (0f64, 0f64, 0u64);
    for y in y0..y1 {
        let row = y as usize * stride;
        for x in x0..x1 {
            let p = pixels[row + x as usize];
            sum += p as u64;
            clipped += (p >= 250) as u64;
            count += 1;
            if x > 0 && y > 0 && x + 1 < w && y + 1 < h {
                let i = row + x as usize;
                let lap = pixels[i - 1] as i32
                    + pixels[i + 1] as i32
                    + pixels[i - stride] as i32
                    + pixels[i + stride] as i32
                    - 4 * p as i32;
                lap_sum += lap as f64;
                lap_sq += (lap * lap) as f64;
                lap_count += 1;
            }
        }
    }
    let mean_lap = lap_sum / lap_count.max(1) as f64;
    Measures {
        brightness: sum as f32 / count.max(1) as f32,
        sharpness: (lap_sq / lap_count.max(1) as f64 - mean_lap * mean_lap) as f32,
        glare: clipped as f32 / count.max(1) as f32,
    }
}

/// Too dark below this mean brightness.
pub(crate) const MIN_BRIGHTNESS: f32 = 60.0;
/// Washed out above it.
pub(crate) const MAX_BRIGHTNESS: f32 = 215.0;
/// A document is blurry below this Laplacian variance over the card (on the 640-wide copy):
/// printed text gives sharp edges.
pub(crate) const MIN_DOCUMENT_SHARPNESS: f32 = 90.0;
/// A face is smooth by nature: only a picture far out of focus falls below this.
pub(crate) const MIN_FACE_SHARPNESS: f32 = 15.0;
/// Glare above this share of clipped pixels.
pub(crate) const MAX_GLARE: f32 = 0.01;

/// The exposure, sharpness and glare issues of a region.
pub(crate) fn exposure_issues(measures: &Measures, min_sharpness: f32, issues: &mut Vec<Issue>) {
    if measures.brightness < MIN_BRIGHTNESS {
        issues.push(Issue::TooDark);
    } else if measures.brightness > MAX_BRIGHTNESS {
        issues.push(Issue::TooBright);
    }
    if measures.sharpness < min_sharpness {
        issues.push(Issue::Blurry);
    }
    if measures.glare > MAX_GLARE {
        issues.push(Issue::Glare);
    }
}
