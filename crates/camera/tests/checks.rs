//! The quality checks on generated pictures and on a real face.

use std::sync::Arc;

use humo_ident_camera::checks::{
    check_document, downscale, grey_for_checks, FaceDetector, Issue, LocalFaceGate, CHECK_WIDTH,
};
use humo_ident_camera::scene::{self, CardSide};
use humo_ident_camera::source::{
    frame_portrait, FrameSource, SyntheticConfig, SyntheticScene, SyntheticSource,
};
use humo_ident_core::liveness::FaceGate;
use image::{imageops, DynamicImage, GrayImage, Luma, RgbImage};

fn grey(picture: &RgbImage) -> GrayImage {
    downscale(
        &DynamicImage::ImageRgb8(picture.clone()).to_luma8(),
        CHECK_WIDTH,
    )
}

fn card() -> GrayImage {
    grey(&scene::id_card(CardSide::Front))
}

fn face_fixture() -> RgbImage {
    humo_ident_test_support::face()
}

#[test]
fn a_sharp_card_passes() {
    let report = check_document(&card());
    assert!(report.passed(), "{report:?}");
    let outline = report.card.unwrap();
    assert!(outline.fill() > 0.4, "{outline:?}");
    // The card is drawn at x 180..1420 of 1600, y 109..891 of 1000.
    assert!(
        (outline.left - 0.1125).abs() < 0.02 && (outline.right - 0.8875).abs() < 0.02,
        "{outline:?}"
    );
    assert!(
        (outline.top - 0.109).abs() < 0.04 && (outline.bottom - 0.891).abs() < 0.03,
        "{outline:?}"
    );
    // Both sides, and the moving synthetic frames, pass too.
    assert!(check_document(&grey(&scene::id_card(CardSide::Back))).passed());
    let moved = scene::Animation::new(&scene::id_card(CardSide::Front), 1280, 720).frame(0.3);
    assert!(check_document(&grey(&moved)).passed());
}

#[test]
fn a_blurred_card_fails_sharpness() {
    let blurred = imageops::blur(&card(), 3.0);
    let report = check_document(&blurred);
    assert!(report.issues.contains(&Issue::Blurry), "{report:?}");
    assert!(report.sharpness < check_document(&card()).sharpness / 4.0);
}

#[test]
fn a_clipped_white_patch_fails_glare() {
    let mut glare = card();
    let (w, h) = glare.dimensions();
    for y in h / 3..h / 2 {
        for x in w / 2..w * 2 / 3 {
            glare.put_pixel(x, y, Luma([255]));
        }
    }
    let report = check_document(&glare);
    assert!(report.issues.contains(&Issue::Glare), "{report:?}");
}

#[test]
fn a_dark_frame_fails_exposure() {
    let mut dark = card();
    dark.pixels_mut().for_each(|p| p[0] /= 5);
    let report = check_document(&dark);
    assert!(report.issues.contains(&Issue::TooDark), "{report:?}");
}

#[test]
fn an_empty_desk_has_no_document() {
    let report = check_document(&grey(&scene::desk()));
    assert!(report.issues.contains(&Issue::NoDocument), "{report:?}");
    assert_eq!(report.card, None);
}

#[test]
fn a_far_away_card_is_too_small() {
    let small = imageops::resize(
        &scene::id_card(CardSide::Front),
        560,
        350,
        imageops::FilterType::Triangle,
    );
    let mut picture = scene::desk();
    imageops::replace(&mut picture, &small, 500, 300);
    let report = check_document(&grey(&picture));
    assert!(
        report.issues.contains(&Issue::DocumentTooSmall),
        "{report:?}"
    );
}

/// The first frame of the synthetic camera filming `portrait` (or the drawn face).
fn synthetic_selfie(portrait: Option<RgbImage>, width: u32, height: u32) -> GrayImage {
    let config = SyntheticConfig {
        cycle: 1,
        ..SyntheticConfig::new(SyntheticScene::Face(portrait), width, height)
    };
    let frame = SyntheticSource::open(config).unwrap().next_frame().unwrap();
    grey_for_checks(&frame).unwrap()
}

#[test]
fn the_public_domain_face_passes_the_face_checks() {
    let detector = FaceDetector::new().unwrap();
    // As the photo is: one face, found.
    assert_eq!(detector.detect(&grey(&face_fixture())).len(), 1);
    // As a webcam sees the person: every check passes.
    for (width, height) in [(1280, 720), (640, 480), (960, 1280)] {
        let check = detector.check(&synthetic_selfie(Some(face_fixture()), width, height));
        assert!(
            check.report.passed(),
            "{width}x{height}: {:?}",
            check.report
        );
    }
}

#[test]
fn the_drawn_face_passes_too() {
    let detector = FaceDetector::new().unwrap();
    let check = detector.check(&synthetic_selfie(None, 1280, 720));
    assert!(check.report.passed(), "{:?}", check.report);
}

#[test]
fn a_frame_without_a_face_fails() {
    let detector = FaceDetector::new().unwrap();
    let check = detector.check(&grey(&scene::desk()));
    assert!(
        check.report.issues.contains(&Issue::NoFace),
        "{:?}",
        check.report
    );
}

#[test]
fn a_face_in_a_corner_is_not_centred() {
    let detector = FaceDetector::new().unwrap();
    let mut frame = RgbImage::from_pixel(1280, 960, image::Rgb([180, 180, 190]));
    // The photo's face, a quarter of the frame wide, near the bottom right corner.
    let face = imageops::resize(&face_fixture(), 1400, 1400, imageops::FilterType::Triangle);
    imageops::replace(&mut frame, &face, 380, 330);
    let check = detector.check(&grey(&frame));
    assert!(
        check.report.issues.contains(&Issue::FaceNotCentred),
        "{:?}",
        check.report
    );
}

#[test]
fn the_local_liveness_gate_passes_a_framed_face_and_refuses_others() {
    let gate = LocalFaceGate::new(Arc::new(FaceDetector::new().unwrap()));
    let portrait = face_fixture();
    // As a webcam sees the person: the face in the middle, a third of the frame wide.
    let framed = frame_portrait(&portrait, 1280, 720).unwrap();
    assert_eq!(
        gate.problems(&humo_ident_test_support::jpeg(framed)),
        Vec::<String>::new()
    );
    // The portrait as it is, face high and to one side.
    let problems = gate.problems(&humo_ident_test_support::jpeg(portrait));
    assert!(
        problems.contains(&"face-not-centred".to_owned()),
        "{problems:?}"
    );
    // A desk has no face; neither has a file that is not a picture.
    let problems = gate.problems(&humo_ident_test_support::jpeg(scene::desk()));
    assert!(problems.contains(&"no-face".to_owned()), "{problems:?}");
    assert_eq!(gate.problems(b"not a picture"), vec!["no-face".to_owned()]);
}
