//! The session in demo mode, end to end: the in-process emulator over HTTP and the synthetic
//! camera, driven as the UI drives it.

#[macro_use]
mod common;

use std::time::Duration;

use common::{regex_like_token, Harness};
use humo_ident_camera::CameraErrorCode;
use humo_ident_core::config::DocumentKind;
use humo_ident_core::flow::FlowState;
use humo_ident_session::events::{
    AppEvent, CameraId, CameraStatus, CameraView, KioskResetReason, Notice,
};
use humo_ident_session::presence::Presence;
use humo_ident_session::settings::StartOptions;
use humo_ident_session::DemoFault;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_passport_with_a_taxpayer_number_goes_through_with_the_synthetic_camera() {
    // A kiosk's id in a laptop's configuration names nothing: it is not a kiosk.
    let mut h = Harness::start(StartOptions::default(), |settings| {
        settings.config.kiosk.id = Some("not-a-kiosk".into())
    })
    .await;
    assert!(h.session.info().demo);
    // The demo's key is every start screen's: the page may be handed it with itself.
    assert_eq!(h.session.info_for_every_page(), h.session.info());
    h.open_and_choose(DocumentKind::New, Some("020025789"))
        .await;
    for _ in 0..3 {
        h.photograph().await;
        h.accept().await;
    }
    let FlowState::Done { results, home_page } = state!(h, Done).await else {
        unreachable!()
    };
    assert_eq!(results.len(), 3);
    // The demo's bank names its app's link, which the demo trusts (`[links] app-schemes`).
    assert_eq!(home_page.as_deref(), Some("humoOnline://app"));
    assert_eq!(h.session.home_page().await.unwrap(), "humoOnline://app");
    assert_eq!(results[1].result["tax_number"], "020025789");
    // The identification's events: every screen with its step, how each photo was taken, the
    // end; all under one identification's number, with the camera's model.
    let steps = ["front", "back", "selfie"].map(|step| {
        [
            format!("screen capture {step}"),
            format!("photo {step} Auto"),
            format!("screen uploading {step}"),
            format!("screen checking {step}"),
            format!("screen accepted {step}"),
        ]
    });
    let expected: Vec<String> = ["screen start", "started", "screen opening-link"]
        .into_iter()
        .chain(["screen choosing-document"])
        .map(str::to_owned)
        .chain(steps.into_iter().flatten())
        .chain(["screen done".to_owned(), "ended Done".to_owned()])
        .collect();
    assert_eq!(h.analytics_trail(), expected);
    let lines = h.analytics.lock().unwrap().clone();
    assert!(
        lines.iter().all(|line| line.kiosk.is_none()),
        "a laptop names no kiosk"
    );
    let identification = lines[1].identification;
    assert!(identification > 0);
    assert!(lines[1..]
        .iter()
        .all(|line| line.identification == identification));
    let camera = lines
        .last()
        .unwrap()
        .camera
        .clone()
        .expect("the camera is named");
    assert_eq!(camera.model.as_str(), "Synthetic camera");
    assert!(camera.width.is_some_and(|width| width >= 640), "{camera:?}");
    let log = h.log.lock().unwrap().join("\n");
    assert!(
        !regex_like_token(&log),
        "no 64-hex access token reaches the UI"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_photo_is_taken_again_and_the_network_fault_is_retried_by_itself() {
    let mut h = Harness::demo().await;
    h.open_and_choose(DocumentKind::Old, None).await;
    h.session
        .demo_fault(DemoFault::FailNextDocument)
        .await
        .unwrap();
    h.photograph().await;
    state!(h, StepRejected).await;
    h.session.retake().await.unwrap();
    h.photograph().await;
    h.accept().await;

    // The next step's checks lose the connection until the poller gives up; the app retries.
    h.session
        .demo_fault(DemoFault::DropConnection)
        .await
        .unwrap();
    h.photograph().await;
    h.until("the retry's countdown", |event| match event {
        AppEvent::AutoRetry(Some(view)) => Some(view.attempt),
        _ => None,
    })
    .await;
    // A page that subscribes now (the wizard, reloaded) sees the countdown.
    let first = h.resubscribe().await;
    assert!(
        first
            .iter()
            .any(|event| matches!(event, AppEvent::AutoRetry(Some(view)) if view.in_ms <= 2000)),
        "{first:?}"
    );
    h.accept().await;
    // The refusal with the bank's code, the retake after it, and the network's retry.
    let trail = h.analytics_trail();
    let mut expected = [
        "screen refused front",
        "refused front DOCUMENT_NOT_RECOGNISED",
        "retake front BankRefusal",
        "screen capture front",
        "screen interrupted back",
        "retry 1",
        "screen accepted back",
    ]
    .into_iter()
    .peekable();
    for event in &trail {
        expected.next_if(|next| next == event);
    }
    assert_eq!(expected.next(), None, "not in order in {trail:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_link_is_refused_before_any_request() {
    let h = Harness::demo().await;
    let error = h.session.open_link("not a link".into()).await.unwrap_err();
    assert_eq!(error.code().as_str(), "invalid-key");
    let error = h
        .session
        .open_link("9f1d7c2a-0000-4000-8000-00000000e999".into())
        .await;
    assert!(
        error.is_ok(),
        "a well-formed key is sent; the bank answers 404"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_that_arrives_mid_step_is_refused_and_the_step_goes_on() {
    let mut h = Harness::demo().await;
    h.open_and_choose(DocumentKind::Old, None).await;
    // As a second start hands a link over (the single-instance hand-off calls open_link).
    let link = h.session.info().link.unwrap();
    let error = h.session.open_link(link).await.unwrap_err();
    assert_eq!(error.code().as_str(), "invalid-action");
    // The step's camera still runs: its auto-capture takes the still.
    h.photograph().await;
    state!(h, StepAccepted).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_qr_code_opens_the_link() {
    let mut h = Harness::demo().await;
    h.session.scan_code(true).await.unwrap();
    state!(h, OpeningLink).await;
    state!(h, ChoosingDocument).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_photo_file_goes_to_review_and_a_corrupt_one_is_refused() {
    let mut h = Harness::demo().await;
    h.open_and_choose(DocumentKind::New, None).await;
    let error = h
        .session
        .use_photo_file(b"\xff\xd8\xff\xe0 not really".to_vec())
        .await
        .unwrap_err();
    assert_eq!(error.code().as_str(), "invalid-image");
    let face = humo_ident_test_support::face_file();
    h.session.use_photo_file(face).await.unwrap();
    let view = h.review().await;
    let review = view.review.unwrap();
    assert!(review.from_file);
    assert!(
        !review.warnings.is_empty(),
        "a face is not a document: the checks say so"
    );
}

/// The hostile corpus through the app's photo-file path: each is refused with the reason, or
/// reviewed upright at its size; none is sent, since nothing is sent before "use this photo".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_photo_files_are_refused_or_reviewed_upright() {
    use humo_ident_test_support::hostile::{corpus, Expected};
    let mut h = Harness::demo().await;
    h.open_and_choose(DocumentKind::New, None).await;
    for photo in corpus() {
        let chosen = h.session.use_photo_file(photo.bytes).await;
        match (photo.expected, chosen) {
            (Expected::Refused(text), Err(error)) => {
                assert_eq!(error.code().as_str(), "invalid-image", "{}", photo.name);
                assert!(error.to_string().contains(text), "{}: {error}", photo.name);
            }
            (Expected::Upright { width, height }, Ok(())) => {
                let review = h.review().await.review.unwrap();
                assert!(review.from_file, "{}", photo.name);
                assert_eq!(
                    (review.width, review.height),
                    (width, height),
                    "{}",
                    photo.name
                );
                let still = h.session.review_image(review.id).unwrap();
                let decoded = image::load_from_memory(&still).unwrap();
                assert_eq!((decoded.width(), decoded.height()), (width, height));
                h.session.retake().await.unwrap();
            }
            (expected, got) => panic!("{}: expected {expected:?}, got {got:?}", photo.name),
        }
    }
    let log = h.log.lock().unwrap().join("\n");
    assert!(!log.contains("\"uploading\""), "nothing was sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_camera_is_reported_and_the_flow_waits() {
    let mut h = Harness::start(
        StartOptions {
            camera: Some("file:/nonexistent/photo.jpg".into()),
            ..StartOptions::default()
        },
        |_| {},
    )
    .await;
    h.open_and_choose(DocumentKind::New, None).await;
    let status = h
        .until("a camera error", |event| match event {
            AppEvent::Camera(Some(CameraView {
                status: status @ CameraStatus::Interrupted { .. },
                ..
            })) => Some(status.clone()),
            _ => None,
        })
        .await;
    let CameraStatus::Interrupted { error, .. } = status else {
        unreachable!()
    };
    assert_eq!(error.code, CameraErrorCode::BadImage);
    // The webview may name only a camera from the list it was given.
    let unlisted = h
        .session
        .choose_camera(CameraId::Device { index: 7 })
        .await
        .unwrap_err();
    assert_eq!(unlisted.code().as_str(), "unknown-camera");
    let listed = h.session.cameras().await.unwrap();
    assert!(listed.iter().any(|option| option.id == CameraId::Synthetic));
    h.session.choose_camera(CameraId::Synthetic).await.unwrap();
    h.photograph().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kiosk_forgets_the_client_when_idle() {
    let mut h = Harness::start(
        StartOptions {
            kiosk: true,
            // A kiosk runs against the demo's bank only when told to.
            demo: true,
            ..StartOptions::default()
        },
        // Ten times what the steps before the reset take on a loaded machine, so the reset never
        // comes before the test has looked at the client's screen.
        |settings| {
            settings.config.kiosk.idle_reset_secs = 10;
            settings.config.kiosk.id = Some("dushanbe-rudaki-07".into());
        },
    )
    .await;
    let mut resets = h.session.kiosk_resets();
    let presence = h.session.presence();
    assert!(matches!(*presence.borrow(), Presence::NoClientSince(_)));
    h.open_and_choose(DocumentKind::Old, None).await;
    // An update waits while a client is at the kiosk.
    assert_eq!(*presence.borrow(), Presence::Client);
    // At a kiosk the camera takes the pictures: a photo file is refused.
    let refused = h
        .session
        .use_photo_file(humo_ident_test_support::face_file())
        .await
        .unwrap_err();
    assert_eq!(refused.code().as_str(), "not-at-kiosk");
    let before_the_reset = tokio::time::Instant::now();
    h.until("the kiosk's reset", |event| {
        matches!(event, AppEvent::Notice(Notice::KioskWasReset)).then_some(())
    })
    .await;
    state!(h, AwaitingLink).await;
    // The shell is told, to wipe the webview's browsing data and reload it.
    tokio::time::timeout(common::WAIT, resets.changed())
        .await
        .expect("the shell is told of the reset")
        .unwrap();
    assert_eq!(*resets.borrow(), 1);
    let Presence::NoClientSince(since) = *presence.borrow() else {
        panic!("the client is gone after the reset");
    };
    assert!(
        since >= before_the_reset,
        "the start screen's quiet time begins at the reset"
    );
    // The identification ended there, and its events say why.
    let trail = h.analytics_trail();
    assert!(trail.contains(&"ended KioskIdle".to_owned()), "{trail:#?}");
    // Every line names the kiosk.
    let lines = h.analytics.lock().unwrap().clone();
    assert!(lines
        .iter()
        .all(|line| line.kiosk.as_ref().map(|id| id.as_str()) == Some("dushanbe-rudaki-07")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kiosk_drops_a_client_at_the_time_limit_however_busy_the_screen() {
    let mut h = Harness::start(
        StartOptions {
            kiosk: true,
            // A kiosk runs against the demo's bank only when told to.
            demo: true,
            ..StartOptions::default()
        },
        |settings| {
            settings.config.kiosk.idle_reset_secs = 600;
            settings.config.kiosk.max_client_secs = 3;
        },
    )
    .await;
    let opened = tokio::time::Instant::now();
    // Only the link is opened: the limit runs from there, and a wait for a later screen could
    // lose the race to the reset on a loaded machine.
    let link = h.session.info().link.unwrap();
    h.session.open_link(link).await.unwrap();
    // A page (or a vendor's script) signals activity all along.
    let session = h.session.clone();
    let busy = tokio::spawn(async move {
        loop {
            let _ = session.activity().await;
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    });
    h.until("the kiosk's reset", |event| {
        matches!(event, AppEvent::Notice(Notice::KioskWasReset)).then_some(())
    })
    .await;
    busy.abort();
    assert!(
        opened.elapsed() >= Duration::from_secs(3),
        "not before the limit"
    );
    state!(h, AwaitingLink).await;
    let trail = h.analytics_trail();
    assert!(
        trail.contains(&"ended KioskTimeUp".to_owned()),
        "{trail:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kiosk_starts_over_after_the_final_screen() {
    // Started by the first client's link.
    let first_clients = format!("humo-ident://open?key={}", humo_ident_emulator::DEMO_KEY);
    let mut h = Harness::start(
        StartOptions {
            kiosk: true,
            // A kiosk runs against the demo's bank only when told to.
            demo: true,
            link: Some(first_clients.clone()),
            ..StartOptions::default()
        },
        |settings| settings.config.kiosk.done_reset_secs = 1,
    )
    .await;
    assert_eq!(h.session.info().link, Some(first_clients));
    // The page the next client is shown is reloaded as it was handed: never with this link.
    assert_eq!(h.session.info_for_every_page().link, None);
    h.open_and_choose(DocumentKind::New, None).await;
    for _ in 0..3 {
        h.photograph().await;
        h.accept().await;
    }
    state!(h, Done).await;
    let reason = h
        .until("the reset countdown", |event| match event {
            AppEvent::KioskReset(Some(view)) => Some(view.reason),
            _ => None,
        })
        .await;
    assert_eq!(reason, KioskResetReason::Finished);
    state!(h, AwaitingLink).await;
    assert!(
        h.session.home_page().await.is_err(),
        "nothing of the client is left"
    );
    // The next client's start screen is not filled with the first client's link (the demo's
    // key, which every demo start screen offers, is).
    let mut resets = h.session.kiosk_resets();
    tokio::time::timeout(common::WAIT, resets.wait_for(|count| *count > 0))
        .await
        .expect("the shell is told of the reset")
        .unwrap();
    assert_eq!(
        h.session.info().link.as_deref(),
        Some(humo_ident_emulator::DEMO_KEY)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_home_page_the_configuration_does_not_trust_is_dropped() {
    use humo_ident_emulator::{Emulator, EmulatorConfig, PresignProfile};
    // A bank of its own, whose link names a page on a host nobody trusted: a planted link's
    // server could name any page, and the result screen would offer it.
    let bank = Emulator::start(EmulatorConfig {
        task_delay: Duration::from_millis(200),
        ..EmulatorConfig::default()
    })
    .await
    .unwrap();
    let key = "0b7e4a52-5d1c-4c39-a0a8-8f5b2f1d9c11";
    let phishing = "https://login.bank-example.net/enter-your-card";
    bank.controls().add_key(
        key,
        PresignProfile {
            home_page: Some(phishing.to_owned()),
            ..PresignProfile::default()
        },
    );
    let mut h = Harness::start(
        StartOptions {
            api: Some(bank.base_url()),
            link: Some(key.to_owned()),
            // The app's own face check, which a server on this machine accepts.
            liveness: Some(humo_ident_core::config::LivenessProviderKind::Local),
            ..StartOptions::default()
        },
        |_| {},
    )
    .await;
    assert!(!h.session.info().demo);
    h.open_and_choose(DocumentKind::Old, None).await;
    for _ in 0..3 {
        h.photograph().await;
        h.accept().await;
    }
    let FlowState::Done { results, home_page } = state!(h, Done).await else {
        unreachable!()
    };
    assert_eq!(results.len(), 3, "the identification itself went through");
    assert_eq!(home_page, None);
    assert!(h.session.home_page().await.is_err(), "nothing to open");
    let log = h.log.lock().unwrap().join("\n");
    assert!(
        !log.contains("bank-example.net"),
        "the page never reached the UI"
    );
}
