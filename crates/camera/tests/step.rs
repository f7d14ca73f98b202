//! One step's camera, as the CLI and the app both run it: from the synthetic camera's frames to
//! checks, refusals, the still and QR codes.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use humo_ident_camera::capture::CaptureStatus;
use humo_ident_camera::checks::{FaceDetector, Issue};
use humo_ident_camera::scene::{self, CardSide};
use humo_ident_camera::source::{
    DeviceChoice, FrameSource, Purpose, StallEnd, StallGate, SyntheticConfig, SyntheticScene,
    SyntheticSource,
};
use humo_ident_camera::step::{StepCamera, StepEvent, StepSettings, Subject, WARM_UP};
use humo_ident_camera::CameraError;
use humo_ident_core::config::ImageConfig;
use tokio::sync::mpsc;

/// Starts the chosen camera on `subject`; its events arrive on the receiver.
fn start(
    choice: DeviceChoice,
    subject: Subject,
    settings: StepSettings,
) -> (StepCamera, mpsc::UnboundedReceiver<StepEvent>) {
    let (events_tx, events) = mpsc::unbounded_channel();
    let camera = StepCamera::start(
        &choice,
        &subject,
        settings,
        Arc::new(FaceDetector::new().unwrap()),
        Box::new(move |event| events_tx.send(event).is_ok()),
    )
    .unwrap();
    (camera, events)
}

/// Starts a synthetic camera filming the front of a card, made as `config` says.
fn start_card_camera(
    config: impl Fn(&mut SyntheticConfig),
    settings: StepSettings,
) -> (StepCamera, mpsc::UnboundedReceiver<StepEvent>) {
    let mut synthetic = SyntheticConfig::new(SyntheticScene::Card(CardSide::Front), 1920, 1080);
    config(&mut synthetic);
    let (events_tx, events) = mpsc::unbounded_channel();
    let camera = StepCamera::from_opener(
        Box::new(move || {
            Ok(Box::new(SyntheticSource::open(synthetic.clone())?) as Box<dyn FrameSource>)
        }),
        Purpose::Document,
        settings,
        Arc::new(FaceDetector::new().unwrap()),
        Box::new(move |event| events_tx.send(event).is_ok()),
    );
    (camera, events)
}

/// Waits for an event `pick` accepts, skipping the others.
async fn until<T>(
    events: &mut mpsc::UnboundedReceiver<StepEvent>,
    what: &str,
    mut pick: impl FnMut(StepEvent) -> Option<T>,
) -> T {
    let found = tokio::time::timeout(Duration::from_secs(60), async {
        loop {
            let event = events.recv().await.expect("the camera went on");
            if let Some(found) = pick(event) {
                return found;
            }
        }
    })
    .await;
    found.unwrap_or_else(|_| panic!("no {what} within 20 s"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_good_card_is_taken_by_itself_once_warmed_up() {
    let started = Instant::now();
    let (camera, mut events) = start(
        DeviceChoice::Synthetic,
        Subject::DocumentPage(0),
        StepSettings::new(ImageConfig::default()),
    );
    until(&mut events, "passing checks", |event| match event {
        StepEvent::Checks {
            ready: true,
            issues,
        } => {
            assert!(issues.is_empty());
            Some(())
        }
        _ => None,
    })
    .await;
    let (still, warnings) = until(&mut events, "still", |event| match event {
        StepEvent::Still {
            still, warnings, ..
        } => Some((still, warnings)),
        _ => None,
    })
    .await;
    assert!(
        started.elapsed() >= WARM_UP,
        "nothing is taken while warming up"
    );
    assert!(warnings.is_empty());
    assert_eq!((still.width(), still.height()), (1920, 1080));
    assert!(image::load_from_memory(still.bytes()).is_ok());
    assert!(camera.stop().is_some(), "the device is closed on a thread");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_picture_is_refused_twice_then_taken_with_its_warnings() {
    // A selfie camera that films an empty desk (a photo file standing in for the camera).
    let desk =
        std::env::temp_dir().join(format!("humo-ident-step-desk-{}.jpg", std::process::id()));
    std::fs::write(&desk, humo_ident_test_support::jpeg(scene::desk())).unwrap();
    let settings = StepSettings::new(ImageConfig::default());
    settings.auto_capture.store(false, Ordering::Relaxed);
    let (camera, mut events) = start(
        DeviceChoice::File(desk.clone()),
        Subject::Selfie(None),
        settings,
    );
    until(&mut events, "failing checks", |event| match event {
        StepEvent::Checks {
            ready: false,
            issues,
        } if issues.contains(&Issue::NoFace) => Some(()),
        _ => None,
    })
    .await;
    for _ in 0..2 {
        camera.press_shutter();
        let refused = until(&mut events, "refusal", |event| match event {
            StepEvent::Refused(issues) => Some(issues),
            StepEvent::Still { .. } => panic!("a picture without a face was taken"),
            _ => None,
        })
        .await;
        assert!(refused.contains(&Issue::NoFace));
    }
    camera.press_shutter();
    let warnings = until(&mut events, "still", |event| match event {
        StepEvent::Still { warnings, .. } => Some(warnings),
        _ => None,
    })
    .await;
    assert!(
        warnings.contains(&Issue::NoFace),
        "taken, with what is wrong"
    );
    drop(camera);
    let _ = std::fs::remove_file(desk);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_qr_code_is_read() {
    let link = "humo-ident://open?key=05a4ce19-de3c-4d2c-a464-7356dbdbd107";
    let (_camera, mut events) = start(
        DeviceChoice::Synthetic,
        Subject::Code(Some(link.into())),
        StepSettings::new(ImageConfig::default()),
    );
    let read = until(&mut events, "QR code", |event| match event {
        StepEvent::Code(text) => Some(text),
        _ => None,
    })
    .await;
    assert_eq!(read, link);
}

#[tokio::test]
async fn a_photo_file_that_is_not_there_is_refused_at_start() {
    let started = StepCamera::start(
        &DeviceChoice::File("/nonexistent/photo.jpg".into()),
        &Subject::DocumentPage(0),
        StepSettings::new(ImageConfig::default()),
        Arc::new(FaceDetector::new().unwrap()),
        Box::new(|_| true),
    );
    assert!(matches!(started, Err(CameraError::BadImage(_))));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shutter_pressed_before_the_first_frame_takes_the_first_one() {
    // The camera opens, then takes half a second over its first frame (a quarter of what it
    // takes to count as stalled, so a slow machine does not see it stall).
    let settings = StepSettings::new(ImageConfig::default());
    settings.auto_capture.store(false, Ordering::Relaxed);
    let (camera, mut events) = start_card_camera(
        |config| {
            config.stall_after = Some(0);
            config.stall_ends = StallEnd::After(Duration::from_millis(500));
        },
        settings,
    );
    camera.press_shutter();
    let (still, warnings) = until(&mut events, "still", |event| match event {
        StepEvent::Still {
            still, warnings, ..
        } => Some((still, warnings)),
        _ => None,
    })
    .await;
    assert!(warnings.is_empty());
    assert_eq!((still.width(), still.height()), (1920, 1080));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_camera_that_goes_quiet_is_not_photographed_by_itself() {
    // One good frame, then nothing until the camera has been seen to go quiet: checked again
    // and again, the checks would hold steady and the warm-up pass on that frame, which is no
    // longer what the person sees. The still must wait for the camera to come back. One frame,
    // not more: frames rendered slowly by a busy machine would be a real steady hold. The test
    // opens the gate itself, so a busy machine's slow watchdog cannot end the stall first.
    let gate = StallGate::new();
    let ends = gate.clone();
    let mut synthetic = SyntheticConfig::new(SyntheticScene::Card(CardSide::Front), 1920, 1080);
    synthetic.stall_after = Some(1);
    synthetic.stall_ends = StallEnd::WhenOpened(ends);
    // Each event comes with whether the camera was back when it was emitted.
    let (events_tx, mut events) = mpsc::unbounded_channel();
    let back = gate.clone();
    let _camera = StepCamera::from_opener(
        Box::new(move || {
            Ok(Box::new(SyntheticSource::open(synthetic.clone())?) as Box<dyn FrameSource>)
        }),
        Purpose::Document,
        StepSettings::new(ImageConfig::default()),
        Arc::new(FaceDetector::new().unwrap()),
        Box::new(move |event| events_tx.send((event, back.is_open())).is_ok()),
    );
    let deadline = Duration::from_secs(60);
    tokio::time::timeout(deadline, async {
        loop {
            match events.recv().await.expect("the camera went on") {
                (StepEvent::Status(CaptureStatus::Interrupted { .. }), _) => return,
                (StepEvent::Still { .. }, _) => {
                    panic!("a still was taken before the camera was seen to go quiet")
                }
                _ => {}
            }
        }
    })
    .await
    .expect("the camera was not seen to go quiet within 20 s");
    gate.open();
    let camera_was_back = tokio::time::timeout(deadline, async {
        loop {
            if let (StepEvent::Still { .. }, back) =
                events.recv().await.expect("the camera went on")
            {
                return back;
            }
        }
    })
    .await
    .expect("no still within 20 s of the camera coming back");
    assert!(
        camera_was_back,
        "the still was taken of the last frame before the camera went quiet"
    );
}
