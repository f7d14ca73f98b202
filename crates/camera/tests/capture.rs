//! Capture from the synthetic and file sources, through the preview and to stills.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use humo_ident_camera::capture::{Capture, CaptureClock, CaptureStatus, ManualClock};
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

/// How long a test waits for what it expects: far beyond what it needs, even in a debug build
/// under Wine on a busy machine (a 1080p first frame once took more than 10 s there).
const DEADLINE: Duration = Duration::from_secs(60);

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
    wait_for(&mut frames, DEADLINE, Option::is_some)
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

/// A camera whose frames the test hands over one by one, so a test decides when frames come
/// and when the camera goes quiet.
struct HandFedSource {
    frames: std::sync::mpsc::Receiver<Frame>,
}

impl FrameSource for HandFedSource {
    fn next_frame(&mut self) -> Result<Frame, CameraError> {
        match self.frames.recv_timeout(Duration::from_millis(100)) {
            Ok(frame) => Ok(frame),
            // Quiet: the capture skips an unreadable frame and looks again, which lets it stop.
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                Err(CameraError::BadImage("no frame yet".into()))
            }
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => Err(CameraError::Unplugged),
        }
    }

    fn name(&self) -> String {
        "hand-fed".into()
    }
}

/// A capture of a hand-fed camera; frames sent on the returned sender reach it.
fn hand_fed_capture(clock: CaptureClock) -> (Capture, std::sync::mpsc::Sender<Frame>) {
    let (tx, rx) = std::sync::mpsc::channel();
    let source = std::sync::Mutex::new(Some(rx));
    let capture = Capture::start_with_clock(
        Box::new(move || {
            let frames = source.lock().unwrap().take().ok_or(CameraError::NoCamera)?;
            Ok(Box::new(HandFedSource { frames }) as Box<dyn FrameSource>)
        }),
        clock,
    );
    (capture, tx)
}

fn card_frame() -> Frame {
    SyntheticSource::open(card_camera(640, 360, PixelFormat::Mjpeg))
        .unwrap()
        .next_frame()
        .unwrap()
}

#[tokio::test]
async fn a_slow_consumer_always_gets_the_newest_frame() {
    let (capture, camera) = hand_fed_capture(CaptureClock::System);
    let mut slow = capture.frames();
    let mut fast = capture.frames();
    for _ in 0..5 {
        camera.send(card_frame()).unwrap();
    }
    // The fast consumer sees the fifth frame arrive; the slow one has read nothing meanwhile.
    wait_for(&mut fast, DEADLINE, |f| {
        f.as_ref().is_some_and(|f| f.frame.sequence == 5)
    })
    .await;
    // It gets the newest frame, and nothing is queued behind it: the ones in between were
    // skipped.
    assert!(slow.has_changed().unwrap());
    let newest = slow.borrow_and_update().clone().unwrap();
    assert_eq!(newest.frame.sequence, 5);
    assert!(!slow.has_changed().unwrap(), "a frame was queued");
    capture.stop();
}

#[tokio::test]
async fn a_camera_that_goes_quiet_is_reported_at_the_deadline_and_comes_back() {
    use humo_ident_camera::capture::STALL_AFTER;
    let clock = ManualClock::default();
    let (capture, camera) = hand_fed_capture(CaptureClock::Manual(clock.clone()));
    let mut status = capture.status();
    camera.send(card_frame()).unwrap();
    first_frame(&capture).await;
    assert!(matches!(*status.borrow(), CaptureStatus::Streaming { .. }));

    // Quiet for just under the deadline: still streaming after several of the watchdog's looks
    // (it looks every 100 ms).
    clock.advance(STALL_AFTER - Duration::from_millis(1));
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        matches!(*status.borrow(), CaptureStatus::Streaming { .. }),
        "reported before the deadline: {:?}",
        *status.borrow()
    );
    // At the deadline it is reported.
    clock.advance(Duration::from_millis(1));
    wait_for(&mut status, DEADLINE, |s| {
        *s == CaptureStatus::Interrupted {
            error: CameraError::Stalled,
        }
    })
    .await;
    // The next frame brings it back.
    camera.send(card_frame()).unwrap();
    wait_for(&mut status, DEADLINE, |s| {
        matches!(s, CaptureStatus::Streaming { .. })
    })
    .await;
    capture.stop();
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
    wait_for(&mut status, DEADLINE, |s| {
        *s == CaptureStatus::Interrupted {
            error: CameraError::Unplugged,
        }
    })
    .await;
    wait_for(&mut status, DEADLINE, |s| {
        matches!(s, CaptureStatus::Streaming { .. })
    })
    .await;
    let mut frames = capture.frames();
    wait_for(&mut frames, DEADLINE, |f| {
        f.as_ref().is_some_and(|f| f.frame.sequence > 6)
    })
    .await;
    assert_eq!(opened.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn no_camera_is_reported_and_stopping_is_prompt() {
    let capture = Capture::start(Box::new(|| Err(CameraError::NoCamera)));
    let mut status = capture.status();
    wait_for(&mut status, DEADLINE, |s| {
        *s == CaptureStatus::Interrupted {
            error: CameraError::NoCamera,
        }
    })
    .await;
    // Stopped means the capture thread ended (its last act) rather than being left behind.
    capture.stop();
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
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
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
    // CI machines have no camera; a developer's may. Either way the call succeeds, unless the
    // system's camera framework itself does not start (Wine's Media Foundation refuses
    // nokhwa's start-up version): that is said as such, not as a failing camera.
    match humo_ident_camera::source::list_devices() {
        Ok(devices) => {
            for device in devices {
                assert!(!device.name.is_empty());
            }
        }
        #[cfg(windows)]
        Err(CameraError::CameraSystemUnavailable(_)) => {}
        Err(other) => panic!("listing the cameras failed: {other:?}"),
    }
}
