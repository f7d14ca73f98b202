//! The selfie with each liveness provider, in demo mode: LUNA PASS through the emulator's double
//! of its server (the webview's part played by a WebSocket client here), and the local face
//! check with the public-domain face fixture.

#[macro_use]
mod common;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use common::Harness;
use futures_util::{SinkExt, StreamExt};
use humo_ident_camera::scene::CardSide;
use humo_ident_camera::source::Purpose;
use humo_ident_core::config::{DocumentKind, LivenessProviderKind};
use humo_ident_session::events::{AppEvent, CameraStatus, LunaPassView, SelfieSetup};
use humo_ident_session::settings::StartOptions;
use humo_ident_session::DemoFault;
use humo_ident_test_support::jpeg;
use tokio_tungstenite::tungstenite::Message;

/// What the vendor's library does on `checkLiveness()`: sends a frame to the LUNA PASS server
/// and gets back `{isOk, jwt}`.
async fn check_liveness(ws_url: &str, frame: &[u8]) -> (bool, String) {
    let (mut socket, _) = tokio_tungstenite::connect_async(ws_url).await.unwrap();
    let message = serde_json::json!({
        "type": "check",
        "bestshot": STANDARD.encode(frame),
        "source": "synthetic",
    });
    socket
        .send(Message::Text(message.to_string().into()))
        .await
        .unwrap();
    let reply = loop {
        match socket.next().await.unwrap().unwrap() {
            Message::Text(text) => break text,
            _ => continue,
        }
    };
    let reply: serde_json::Value = serde_json::from_str(&reply).unwrap();
    (
        reply["isOk"].as_bool().unwrap(),
        reply["jwt"].as_str().unwrap().to_owned(),
    )
}

/// The public-domain face as a webcam sees the person sitting before it.
/// The fixture's face as a webcam sees a person: in the middle, a third of the frame wide.
fn face() -> Vec<u8> {
    let portrait = humo_ident_test_support::face();
    jpeg(humo_ident_camera::source::frame_portrait(&portrait, 1280, 720).unwrap())
}

/// Takes both passport pages and waits for the selfie step.
async fn reach_the_selfie(h: &mut Harness) {
    h.open_and_choose(DocumentKind::Old, None).await;
    for _ in 0..2 {
        h.photograph().await;
        h.accept().await;
    }
    state!(h, AwaitingInput).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn luna_pass_gets_the_camera_to_itself_and_its_token_goes_to_the_bank() {
    let mut h = Harness::start(
        StartOptions {
            liveness: Some(LivenessProviderKind::LunaPass),
            ..StartOptions::default()
        },
        |_| {},
    )
    .await;
    assert_eq!(h.session.info().selfie, SelfieSetup::LunaPass);
    assert!(!h.session.camera_lent_to_webview());
    // What the shell watches to open, feed and close the LUNA PASS webview.
    let screen = h.session.luna_pass_screen();
    assert!(screen.borrow().is_none());
    reach_the_selfie(&mut h).await;

    // The screen shows only once the app's own camera is closed, and it stays closed.
    let view: LunaPassView = h
        .until("the LUNA PASS screen", |event| match event {
            AppEvent::Camera(Some(_)) => panic!("the app opened its camera for LUNA PASS"),
            AppEvent::LunaPass(Some(view)) => Some(view.clone()),
            _ => None,
        })
        .await;
    assert!(h.session.camera_lent_to_webview());
    assert_eq!(screen.borrow().as_ref(), Some(&view));
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert!(
        h.session.preview().borrow().is_none(),
        "no frame is captured while the webview has the camera"
    );
    assert_eq!(view.step_index, 2);
    assert!(view.script_url.ends_with("/luna-pass/luna-pass.js"));
    assert!(view.ws_url.starts_with("ws://127.0.0.1:"));
    assert!(h.session.info().link.is_some());

    // A check that does not pass is shown with its errors, and nothing is uploaded.
    h.session
        .demo_fault(DemoFault::FailNextLivenessCheck)
        .await
        .unwrap();
    let frame = jpeg(humo_ident_camera::scene::drawn_face());
    let (ok, jwt) = check_liveness(&view.ws_url, &frame).await;
    assert!(!ok);
    let error = h.session.luna_pass_result(jwt).await.unwrap_err();
    assert_eq!(error.code().as_str(), "selfie-not-passed");
    let view = h
        .until("the failed check", |event| match event {
            AppEvent::LunaPass(Some(view)) if view.failed_checks == 1 => Some(view.clone()),
            _ => None,
        })
        .await;
    assert_eq!(view.errors, ["FACE_NOT_CENTERED"]);
    assert!(h.session.camera_lent_to_webview());
    assert_eq!(
        screen.borrow().as_ref(),
        Some(&view),
        "the feed carries the refusal"
    );

    // Garbage is refused without closing the screen.
    let error = h
        .session
        .luna_pass_result("not.a.token".into())
        .await
        .unwrap_err();
    assert_eq!(error.code().as_str(), "invalid-selfie-token");

    // The retry passes: the token is uploaded and the emulator verifies its RS256 signature.
    let (ok, jwt) = check_liveness(&view.ws_url, &frame).await;
    assert!(ok);
    h.session.luna_pass_result(jwt).await.unwrap();
    h.until("the screen closed", |event| {
        matches!(event, AppEvent::LunaPass(None)).then_some(())
    })
    .await;
    assert!(!h.session.camera_lent_to_webview());
    assert!(
        screen.borrow().is_none(),
        "the shell is told to close the window"
    );
    state!(h, StepAccepted).await;
    h.session.continue_flow().await.unwrap();
    state!(h, Done).await;

    // The camera is the app's again: the next client's QR code is read with it.
    h.session.reset().await.unwrap();
    state!(h, AwaitingLink).await;
    h.session.scan_code(true).await.unwrap();
    h.until("the app's camera streaming again", |event| match event {
        AppEvent::Camera(Some(view))
            if view.purpose == Purpose::Code && view.status == CameraStatus::Streaming =>
        {
            Some(())
        }
        _ => None,
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_local_liveness_check_takes_the_face_fixture_and_refuses_a_frame_without_a_face() {
    let mut h = Harness::demo().await;
    assert_eq!(
        h.session.info().selfie,
        SelfieSetup::Local {
            remote_server: false
        }
    );
    reach_the_selfie(&mut h).await;
    // The person chooses the shot themselves.
    h.session.set_auto_capture(false).await.unwrap();

    let error = h
        .session
        .use_photo_file(jpeg(humo_ident_camera::scene::desk()))
        .await
        .unwrap_err();
    assert_eq!(error.code().as_str(), "selfie-not-passed");
    assert!(error.to_string().contains("no-face"), "{error}");

    h.session.use_photo_file(face()).await.unwrap();
    let view = h.review().await;
    assert!(view.review.unwrap().from_file);
    h.session.use_photo().await.unwrap();
    state!(h, StepAccepted).await;
    h.session.continue_flow().await.unwrap();
    state!(h, Done).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_local_liveness_check_never_takes_a_camera_picture_without_a_face() {
    let desk = std::env::temp_dir().join(format!("humo-ident-desk-{}.jpg", std::process::id()));
    std::fs::write(&desk, jpeg(humo_ident_camera::scene::desk())).unwrap();
    // The camera films an empty desk (a photo file standing in for it, as `--camera file:…`
    // does); the document pages are given as files.
    let mut h = Harness::start(
        StartOptions {
            camera: Some(format!("file:{}", desk.display())),
            ..StartOptions::default()
        },
        |_| {},
    )
    .await;
    h.open_and_choose(DocumentKind::Old, None).await;
    for side in [CardSide::Front, CardSide::Back] {
        let card = jpeg(humo_ident_camera::scene::id_card(side));
        h.session.use_photo_file(card).await.unwrap();
        h.review().await;
        h.session.use_photo().await.unwrap();
        h.accept().await;
    }
    state!(h, AwaitingInput).await;
    h.session.set_auto_capture(false).await.unwrap();

    h.until("the desk on camera", |event| match event {
        AppEvent::Camera(Some(view))
            if view.status == CameraStatus::Streaming
                && view
                    .hints
                    .contains(&humo_ident_camera::checks::Issue::NoFace) =>
        {
            Some(())
        }
        _ => None,
    })
    .await;

    // The shutter is refused twice, as for any picture that fails its checks; the third press
    // would take it with a warning, but the liveness check refuses it and the camera starts again.
    // A press counts once the camera has looked at a frame for it, so presses go on until that
    // happens, however slowly the machine goes: two presses that come before a frame are one.
    let mut presses = 0;
    let view = loop {
        presses += 1;
        assert!(
            presses <= 30,
            "the camera never started again after the refusal"
        );
        h.session.take_photo().await.unwrap();
        let restarted = h
            .until_within(std::time::Duration::from_millis(400), |event| match event {
                AppEvent::Camera(Some(view)) if view.review.is_some() => {
                    panic!("a picture without a face went to review")
                }
                AppEvent::Camera(Some(view))
                    if view.status == CameraStatus::Starting && !view.refused.is_empty() =>
                {
                    Some(view.clone())
                }
                _ => None,
            })
            .await;
        if let Some(view) = restarted {
            break view;
        }
    };
    assert!(presses >= 3, "taken after {presses} presses");
    assert!(
        view.refused
            .contains(&humo_ident_camera::checks::Issue::NoFace),
        "{:?}",
        view.refused
    );
    let _ = std::fs::remove_file(desk);
}
