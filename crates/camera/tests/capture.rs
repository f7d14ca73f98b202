//! Capture from the synthetic and file sources, through the preview and to stills.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use humo_ident_camera::capture::{Capture, CaptureStatus};
use humo_ident_camera::checks::{check_document, grey_for_checks};
use humo_ident_camera::scene::CardSide;
use humo_ident_camera::source::{
    FrameSource, ImageFileSource, SourceOpener, SyntheticConfig, SyntheticScene, SyntheticSource,
};
use humo_ident_camera::still::still_from_frame;
use humo_ident_camera::{CameraError, Frame, PixelFormat};
use humo_ident_core::config::ImageConfig;
use humo_ident_core::jpeg;
use tokio::sync::watch;

fn card_camera(width: u32, height: u32, format: PixelFormat) -> SyntheticConfig {
    SyntheticConfig {
        format,
        cycle: 4,
        ..SyntheticConfig::new(SyntheticScene::Card(CardSide::Front), width, height)
    }
}

fn opener(config: SyntheticConfig, opened: Arc<AtomicU32>) -> SourceOpener {
    Box::new(move || {
        opened.fetch_add(1, Ordering::SeqCst);
        Ok(Box::new(SyntheticSource::open(config.clone())?) as Box<dyn FrameSource>)
    })
}

async fn wait_for<T: Clone>(
    rx: &mut watch::Receiver<T>,
    within: Duration,
    done: impl Fn(&T) -> bool,
) -> T {
    tokio::time::timeout(within, rx.wait_for(|v| done(v)))
        .await
        .expect("timed out")
        .expect("capture ended")
        .clone()
}

async fn first_frame(capture: &Capture) -> Arc<humo_ident_camera::preview::CapturedFrame> {
    let mut frames = capture.frames();
    wait_for(&mut frames, Duration::from_secs(10), Option::is_some)
        .await
        .unwrap()
}

#[tokio::test]
async fn mjpeg_frames_reach_the_still_whole_and_the_preview_at_the_size_shown() {
    let capture = Capture::start(opener(
        card_camera(1920, 1080, PixelFormat::Mjpeg),
        Arc::default(),
    ));
    let captured = first_frame(&capture).await;
    let frame = &captured.frame;
    assert_eq!(
        (frame.format, frame.width, frame.height),
        (PixelFormat::Mjpeg, 1920, 1080)
    );
    // The camera left out its Huffman tables; the frame is decoded all the same, and the
    // preview made from it is a complete JPEG at the size the page shows.
    assert!(!jpeg::has_huffman_tables(&frame.data));
    assert!(jpeg::has_huffman_tables(&captured.preview));
    let preview = image::load_from_memory(&captured.preview).unwrap();
    assert_eq!(
        (preview.width(), preview.height()),
        (humo_ident_camera::preview::PREVIEW_WIDTH, 360)
    );

    let still = still_from_frame(frame, &ImageConfig::default()).unwrap();
    assert!(!still.was_reencoded());
    assert_eq!((still.width(), still.height()), (1920, 1080));
    assert!(check_document(&grey_for_checks(frame).unwrap()).passed());
    capture.stop();
}

#[tokio::test]
async fn yuyv_frames_get_a_small_jpeg_preview_and_an_encoded_still() {
    let capture = Capture::start(opener(
        card_camera(1280, 720, PixelFormat::Yuyv),
        Arc::default(),
    ));
    let captured = first_frame(&capture).await;
    assert_eq!(captured.frame.format, PixelFormat::Yuyv);
    let preview = image::load_from_memory(&captured.preview).unwrap();
    assert_eq!(
        (preview.width(), preview.height()),
        (humo_ident_camera::preview::PREVIEW_WIDTH, 360)
    );
    let still = still_from_frame(&captured.frame, &ImageConfig::default()).unwrap();
    assert!(still.was_reencoded());
    assert_eq!((still.width(), still.height()), (1280, 720));
    assert!(check_document(&grey_for_checks(&captured.frame).unwrap()).passed());
}

#[tokio::test]
async fn a_slow_consumer_always_gets_the_newest_frame() {
    let capture = Capture::start(opener(
        card_camera(640, 360, PixelFormat::Mjpeg),
        Arc::default(),
    ));
    first_frame(&capture).await;
    let mut frames = capture.frames();
    let mut sequences = Vec::new();
    for _ in 0..5 {
        // A consumer that takes 150 ms a frame, five times slower than the camera.
        tokio::time::sleep(Duration::from_millis(150)).await;
        frames.changed().await.unwrap();
        let newest = frames.borrow_and_update().clone().unwrap();
        assert!(
            newest.frame.captured_at.elapsed() < Duration::from_millis(60),
            "a stale frame"
        );
        sequences.push(newest.frame.sequence);
    }
    // Frames in between were skipped, not queued.
    assert!(
        sequences.windows(2).all(|w| w[1] >= w[0] + 3),
        "{sequences:?}"
    );
}

#[tokio::test]
async fn a_camera_that_goes_quiet_is_reported_within_the_deadline_and_comes_back() {
    let config = SyntheticConfig {
        stall_after: Some(5),
        stall_for: Duration::from_secs(3),
        ..card_camera(640, 360, PixelFormat::Mjpeg)
    };
    let capture = Capture::start(opener(config, Arc::default()));
    first_frame(&capture).await;
    let mut frames = capture.frames();
    wait_for(&mut frames, Duration::from_secs(5), |f| {
        f.as_ref().is_some_and(|f| f.frame.sequence == 5)
    })
    .await;
    let quiet_since = Instant::now();
    let mut status = capture.status();
    wait_for(&mut status, Duration::from_secs(4), |s| {
        *s == CaptureStatus::Interrupted {
            error: CameraError::Stalled,
        }
    })
    .await;
    let reported_after = quiet_since.elapsed();
    assert!(
        reported_after <= Duration::from_millis(2500),
        "{reported_after:?}"
    );
    wait_for(&mut status, Duration::from_secs(4), |s| {
        matches!(s, CaptureStatus::Streaming { .. })
    })
    .await;
}

#[tokio::test]
async fn an_unplugged_camera_is_reopened_when_it_comes_back() {
    let opened = Arc::new(AtomicU32::new(0));
    let config = SyntheticConfig {
        unplug_after: Some(3),
        ..card_camera(640, 360, PixelFormat::Mjpeg)
    };
    // The camera comes back whole: unplugged once, never again.
    let reopened = Arc::clone(&opened);
    let capture = Capture::start(Box::new(move || {
        let first = reopened.fetch_add(1, Ordering::SeqCst) == 0;
        let config = SyntheticConfig {
            unplug_after: if first { config.unplug_after } else { None },
            ..config.clone()
        };
        Ok(Box::new(SyntheticSource::open(config)?) as Box<dyn FrameSource>)
    }));
    let mut status = capture.status();
    wait_for(&mut status, Duration::from_secs(5), |s| {
        *s == CaptureStatus::Interrupted {
            error: CameraError::Unplugged,
        }
    })
    .await;
    wait_for(&mut status, Duration::from_secs(5), |s| {
        matches!(s, CaptureStatus::Streaming { .. })
    })
    .await;
    let mut frames = capture.frames();
    wait_for(&mut frames, Duration::from_secs(5), |f| {
        f.as_ref().is_some_and(|f| f.frame.sequence > 6)
    })
    .await;
    assert_eq!(opened.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn no_camera_is_reported_and_stopping_is_prompt() {
    let capture = Capture::start(Box::new(|| Err(CameraError::NoCamera)));
    let mut status = capture.status();
    wait_for(&mut status, Duration::from_secs(2), |s| {
        *s == CaptureStatus::Interrupted {
            error: CameraError::NoCamera,
        }
    })
    .await;
    let started = Instant::now();
    capture.stop();
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(*status.borrow(), CaptureStatus::Stopped);
}

#[test]
fn frames_are_read_for_what_they_are() {
    let source = SyntheticSource::open(card_camera(640, 360, PixelFormat::Mjpeg))
        .unwrap()
        .next_frame()
        .unwrap();
    // A camera that claims YUYV but sends JPEG: the JPEG and its real size win.
    let frame = Frame::from_buffer(PixelFormat::Yuyv, 1920, 1080, source.data.clone()).unwrap();
    assert_eq!(
        (frame.format, frame.width, frame.height),
        (PixelFormat::Mjpeg, 640, 360)
    );
    let short = Frame::from_buffer(
        PixelFormat::Yuyv,
        640,
        360,
        bytes::Bytes::from(vec![0u8; 1000]),
    );
    assert!(matches!(short, Err(CameraError::BadImage(_))));
}

#[test]
fn a_photo_file_stands_in_for_a_camera() {
    let dir = tempfile_dir();
    let png = dir.join("page.png");
    image::RgbImage::from_pixel(800, 600, image::Rgb([200, 190, 180]))
        .save(&png)
        .unwrap();
    let mut source = ImageFileSource::open(&png).unwrap();
    let frame = source.next_frame().unwrap();
    assert_eq!(
        (frame.format, frame.width, frame.height),
        (PixelFormat::Mjpeg, 800, 600)
    );

    let broken = dir.join("broken.jpg");
    std::fs::write(&broken, b"\xFF\xD8 not really").unwrap();
    assert!(matches!(
        ImageFileSource::open(&broken),
        Err(CameraError::BadImage(_))
    ));
    assert!(matches!(
        ImageFileSource::open(&dir.join("missing.jpg")),
        Err(CameraError::BadImage(_))
    ));
}

#[test]
fn listing_cameras_on_a_machine_without_any_is_not_an_error() {
    // CI machines have no camera; a developer's may. Either way the call succeeds.
    let devices = humo_ident_camera::source::list_devices().unwrap();
    for device in devices {
        assert!(!device.name.is_empty());
    }
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("humo-ident-camera-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
