//! Per-frame costs: the quality checks, face detection, and a still ready for upload.
//!
//! Targets (one core): checks at 640 px ≤ 8 ms; face detection at 640×480 ≤ 30 ms; a 1920×1080 still
//! ≤ 60 ms when the camera's JPEG passes through.

use criterion::{criterion_group, criterion_main, Criterion};
use humo_ident_camera::checks::{check_document, downscale, grey_for_checks, FaceDetector};
use humo_ident_camera::scene::CardSide;
use humo_ident_camera::source::{FrameSource, SyntheticConfig, SyntheticScene, SyntheticSource};
use humo_ident_camera::still::still_from_frame;
use humo_ident_camera::{Frame, PixelFormat};
use humo_ident_core::config::ImageConfig;

fn frame(scene: SyntheticScene, width: u32, height: u32, format: PixelFormat) -> Frame {
    let config = SyntheticConfig {
        format,
        cycle: 1,
        ..SyntheticConfig::new(scene, width, height)
    };
    SyntheticSource::open(config).unwrap().next_frame().unwrap()
}

fn checks(c: &mut Criterion) {
    let card = frame(
        SyntheticScene::Card(CardSide::Front),
        1280,
        720,
        PixelFormat::Mjpeg,
    );
    let grey = grey_for_checks(&card).unwrap();
    assert_eq!(grey.width(), 640);
    c.bench_function("document checks, 640x360 grey", |b| {
        b.iter(|| check_document(&grey))
    });
    c.bench_function(
        "grey copy of a 1280x720 MJPEG frame (decode + scale)",
        |b| b.iter(|| grey_for_checks(&card).unwrap()),
    );
    let yuyv = frame(
        SyntheticScene::Card(CardSide::Front),
        1280,
        720,
        PixelFormat::Yuyv,
    );
    c.bench_function("grey copy of a 1280x720 YUYV frame", |b| {
        b.iter(|| grey_for_checks(&yuyv).unwrap())
    });

    let face = frame(SyntheticScene::Face(None), 640, 480, PixelFormat::Mjpeg);
    let face_grey = downscale(&grey_for_checks(&face).unwrap(), 640);
    let detector = FaceDetector::new().unwrap();
    assert!(detector.check(&face_grey).report.passed());
    let mut group = c.benchmark_group("face");
    group.sample_size(30);
    group.bench_function("face detection, 640x480 grey", |b| {
        b.iter(|| detector.check(&face_grey))
    });
    group.finish();
}

fn stills(c: &mut Criterion) {
    let limits = ImageConfig::default();
    let mjpeg = frame(
        SyntheticScene::Card(CardSide::Front),
        1920,
        1080,
        PixelFormat::Mjpeg,
    );
    let yuyv = frame(
        SyntheticScene::Card(CardSide::Front),
        1920,
        1080,
        PixelFormat::Yuyv,
    );
    assert!(!still_from_frame(&mjpeg, &limits).unwrap().was_reencoded());
    let mut group = c.benchmark_group("still 1920x1080");
    group.sample_size(30);
    group.bench_function("MJPEG passed through", |b| {
        b.iter(|| still_from_frame(&mjpeg, &limits).unwrap())
    });
    group.bench_function("YUYV encoded", |b| {
        b.iter(|| still_from_frame(&yuyv, &limits).unwrap())
    });
    group.finish();
}

criterion_group!(benches, checks, stills);
criterion_main!(benches);
