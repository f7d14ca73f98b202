//! An emulator left running: sessions expire and what it records stays bounded.

use std::time::Duration;

use humo_ident_emulator::{Emulator, EmulatorConfig, DEMO_KEY};
use reqwest::StatusCode;

use crate::common::{create, presign, status, Upload, TASK_DELAY};

async fn emulator_with(session_ttl: Duration, record_limit: usize) -> Emulator {
    let config = EmulatorConfig {
        task_delay: TASK_DELAY,
        session_ttl,
        record_limit,
        ..EmulatorConfig::default()
    };
    Emulator::start(config).await.expect("emulator starts")
}

#[tokio::test]
async fn a_session_expires_and_is_forgotten_with_its_tasks() {
    let ttl = Duration::from_secs(300);
    let emulator = emulator_with(ttl, 1_000).await;
    // The session's lifetime runs on the emulator's clock, moved by the test: however long the
    // requests below take, the session is alive until the clock passes its lifetime.
    emulator.controls().stop_clock();
    let session = presign(&emulator, DEMO_KEY).await;
    let upload = Upload::ocr(&session, "ID_NEW");
    let task = create(
        &emulator,
        "/api/tasks/ocr/id_new/front",
        &session.token,
        &upload,
    )
    .await;
    let (code, _) = status(&emulator, &session.token, &task.to_string()).await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(emulator.controls().held_sessions_and_tasks(), (1, 1));

    emulator
        .controls()
        .advance_clock(ttl - Duration::from_millis(1));
    let (code, _) = status(&emulator, &session.token, &task.to_string()).await;
    assert_eq!(code, StatusCode::OK, "alive until its lifetime is over");

    emulator.controls().advance_clock(Duration::from_millis(1));
    let (code, body) = status(&emulator, &session.token, &task.to_string()).await;
    assert_eq!(code, StatusCode::UNAUTHORIZED, "{body}");
    // The next presign sweeps: only its own session is left.
    presign(&emulator, DEMO_KEY).await;
    assert_eq!(emulator.controls().held_sessions_and_tasks(), (1, 0));
}

#[tokio::test]
async fn only_the_latest_requests_are_recorded() {
    let emulator = emulator_with(Duration::from_secs(60), 3).await;
    let session = presign(&emulator, DEMO_KEY).await;
    for task in ["1", "2", "3", "4"] {
        status(&emulator, &session.token, task).await;
    }
    let paths: Vec<String> = emulator
        .controls()
        .requests()
        .into_iter()
        .map(|r| format!("{} {}", r.path, r.status))
        .collect();
    assert_eq!(
        paths,
        [
            "/api/tasks/status/2 404",
            "/api/tasks/status/3 404",
            "/api/tasks/status/4 404"
        ]
    );
    assert_eq!(emulator.controls().polls().len(), 3);
}
