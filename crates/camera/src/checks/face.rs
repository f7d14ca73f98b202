//! The quality checks of a selfie: exactly one face, in the middle, big enough, and a picture
//! good enough to recognise it. Faces are found with SeetaFace's frontal detector (rustface),
//! whose model is embedded in the binary.

use image::GrayImage;
use rustface::ImageData;

use super::{exposure_issues, measure, Issue, QualityReport, MIN_FACE_SHARPNESS};

static MODEL: &[u8] = include_bytes!("../../model/seeta_fd_frontal_v1.0.bin");

/// Faces are looked for in a copy this wide.
const DETECT_WIDTH: u32 = 320;
/// A face narrower than this share of the picture is too far away.
const MIN_FACE_WIDTH: f32 = 0.18;
/// The face's centre must lie within this share of the picture's size from its centre.
const MAX_OFF_CENTRE: f32 = 0.18;

/// A face found, in the grey copy's pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FaceBox {
    /// Left edge.
    pub x: i32,
    /// Top edge.
    pub y: i32,
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
    /// The detector's confidence.
    pub score: f64,
}

/// The quality checks' verdict on a selfie, with the faces found.
#[derive(Debug, Clone)]
pub struct FaceReport {
    /// The verdict.
    pub report: QualityReport,
    /// The faces found.
    pub faces: Vec<FaceBox>,
}

/// A face detector. The model is parsed once; each detection runs a fresh detector over a copy
/// of it (a plain-data clone, far cheaper than the detection), which keeps this type `Send`
/// where rustface's boxed detector is not.
pub struct FaceDetector {
    model: rustface::Model,
}

impl FaceDetector {
    /// Loads the embedded model.
    pub fn new() -> Result<Self, crate::CameraError> {
        let model = rustface::read_model(MODEL).map_err(|e| {
            crate::CameraError::Device(format!("the face model cannot be read: {e}"))
        })?;
        Ok(FaceDetector { model })
    }

    /// Finds faces in `grey`.
    ///
    /// A selfie's face is large, so detection runs on a copy at most [`DETECT_WIDTH`] wide and
    /// skips windows smaller than a face that could pass: four times fewer pixels, and the
    /// same faces found. Boxes are given in `grey`'s pixels.
    pub fn detect(&self, grey: &GrayImage) -> Vec<FaceBox> {
        let small = super::downscale(grey, DETECT_WIDTH);
        let scale = grey.width() as f32 / small.width() as f32;
        let mut detector = rustface::create_detector_with_model(self.model.clone());
        detector.set_min_face_size(((MIN_FACE_WIDTH * 0.6 * small.width() as f32) as u32).max(20));
        detector.set_score_thresh(2.0);
        detector.set_pyramid_scale_factor(0.7);
        detector.set_slide_window_step(4, 4);
        let image = ImageData::new(small.as_raw(), small.width(), small.height());
        detector
            .detect(&image)
            .into_iter()
            .map(|face| {
                let bbox = face.bbox();
                FaceBox {
                    x: (bbox.x() as f32 * scale) as i32,
                    y: (bbox.y() as f32 * scale) as i32,
                    width: (bbox.width() as f32 * scale) as u32,
                    height: (bbox.height() as f32 * scale) as u32,
                    score: face.score(),
                }
            })
            .collect()
    }

    /// Checks a selfie.
    pub fn check(&self, grey: &GrayImage) -> FaceReport {
        let (w, h) = grey.dimensions();
        let faces = self.detect(grey);
        let mut issues = Vec::new();
        let measures = match faces.as_slice() {
            [face] => {
                let x0 = face.x.max(0) as u32;
                let y0 = face.y.max(0) as u32;
                measure(grey, x0, y0, x0 + face.width, y0 + face.height)
            }
            _ => measure(grey, 0, 0, w, h),
        };
        exposure_issues(&measures, MIN_FACE_SHARPNESS, &mut issues);
        match faces.as_slice() {
            [] => issues.push(Issue::NoFace),
            [face] => {
                let centre_x = (face.x as f32 + face.width as f32 / 2.0) / w as f32;
                let centre_y = (face.y as f32 + face.height as f32 / 2.0) / h as f32;
                if (centre_x - 0.5).abs() > MAX_OFF_CENTRE
                    || (centre_y - 0.5).abs() > MAX_OFF_CENTRE
                {
                    issues.push(Issue::FaceNotCentred);
                }
                if (face.width as f32 / w as f32) < MIN_FACE_WIDTH {
                    issues.push(Issue::FaceTooSmall);
                }
            }
            _ => issues.push(Issue::SeveralFaces),
        }
        FaceReport {
            report: QualityReport {
                issues,
                brightness: measures.brightness,
                sharpness: measures.sharpness,
                glare: measures.glare,
                card: None,
                faces: faces.len(),
            },
            faces,
        }
    }
}
