//! Step 4: task status, ownership, and the poll faults.

use std::time::{Duration, Instant};

use humo_ident_emulator::{PollFault, DEMO_KEY};
use reqwest::StatusCode;
use serde_json::json;

use crate::common::{client, create, emulator, finish, presign, status, Upload, FRONT, TASK_DELAY};

#[tokio::test]
async fn a_task_is_sent_then_succeeds_after_the_delay() {
    let emulator = emulator().await;
    let session = presign(&emulator, DEMO_KEY).await;
    // The delay runs on the emulator's clock, which only the test moves: the first poll is
    // early however long it takes to arrive.
    let delay = Duration::from_secs(60);
    emulator.controls().set_task_delay(delay);
    emulator.controls().stop_clock();
    let task = create(
        &emulator,
        FRONT,
        &session.token,
        &Upload::ocr(&session, "ID_NEW"),
    )
    .await;
    assert!(task >= 100_001);

    let (code, body) = status(&emulator, &session.token, &task.to_string()).await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(body, json!({ "status": "SENT", "result": {} }));
    emulator
        .controls()
        .advance_clock(delay - Duration::from_millis(1));
    let (_, body) = status(&emulator, &session.token, &task.to_string()).await;
    assert_eq!(body["status"], "SENT", "not finished before its delay");

    emulator.controls().advance_clock(Duration::from_millis(1));
    let body = finish(&emulator, &session.token, task).await;
    assert_eq!(body["status"], "SUCCESS");
    assert_eq!(body["result"]["document_type"], "ID_NEW");

    let polls = emulator.controls().polls();
    assert!(polls.len() >= 2, "{polls:?}");
    assert!(polls
        .iter()
        .all(|p| p.task_id == task && p.finished >= p.started));
    assert_eq!(polls[0].answered, "SENT");
    assert_eq!(polls.last().map(|p| p.answered.as_str()), Some("SUCCESS"));
}

#[tokio::test]
async fn only_the_creating_session_sees_a_task() {
    let emulator = emulator().await;
    let owner = presign(&emulator, DEMO_KEY).await;
    let other = presign(&emulator, DEMO_KEY).await;
    let task = create(
        &emulator,
        FRONT,
        &owner.token,
        &Upload::ocr(&owner, "ID_NEW"),
    )
    .await;

    for id in [
        task.to_string(),
        "999999".to_owned(),
        "abc".to_owned(),
        "+1".to_owned(),
    ] {
        let token = if id == task.to_string() {
            &other.token
        } else {
            &owner.token
        };
        let (code, body) = status(&emulator, token, &id).await;
        assert_eq!(code, StatusCode::NOT_FOUND, "{id}");
        assert!(body["detail"].is_string(), "{id}: {body}");
    }
    let answered: Vec<_> = emulator
        .controls()
        .polls()
        .into_iter()
        .map(|p| p.answered)
        .collect();
    assert_eq!(answered, ["404", "404", "404", "404"]);
}

#[tokio::test]
async fn never_finish_holds_tasks_in_sent() {
    let emulator = emulator().await;
    let session = presign(&emulator, DEMO_KEY).await;
    emulator.controls().set_never_finish(true);
    emulator.controls().stop_clock();
    let task = create(
        &emulator,
        FRONT,
        &session.token,
        &Upload::ocr(&session, "ID_NEW"),
    )
    .await;
    emulator.controls().advance_clock(TASK_DELAY * 2);
    let (_, body) = status(&emulator, &session.token, &task.to_string()).await;
    assert_eq!(body["status"], "SENT");
    emulator.controls().set_never_finish(false);
    let (_, body) = status(&emulator, &session.token, &task.to_string()).await;
    assert_eq!(body["status"], "SUCCESS");
}

#[tokio::test]
async fn task_delay_can_be_changed_while_running() {
    let emulator = emulator().await;
    let session = presign(&emulator, DEMO_KEY).await;
    emulator.controls().set_task_delay(Duration::ZERO);
    let task = create(
        &emulator,
        FRONT,
        &session.token,
        &Upload::ocr(&session, "ID_NEW"),
    )
    .await;
    let (_, body) = status(&emulator, &session.token, &task.to_string()).await;
    assert_eq!(body["status"], "SUCCESS");
}

#[tokio::test]
async fn poll_faults_strike_the_next_polls_in_order() {
    let emulator = emulator().await;
    let session = presign(&emulator, DEMO_KEY).await;
    let task = create(
        &emulator,
        FRONT,
        &session.token,
        &Upload::ocr(&session, "ID_NEW"),
    )
    .await;
    let url = format!("{}/api/tasks/status/{task}", emulator.base_url());
    let controls = emulator.controls();
    controls.fail_polls(2, PollFault::ServerError);
    controls.fail_polls(1, PollFault::DropConnection);
    controls.fail_polls(1, PollFault::Slow(Duration::from_millis(300)));

    for _ in 0..2 {
        let (code, body) = status(&emulator, &session.token, &task.to_string()).await;
        assert_eq!(code, StatusCode::SERVICE_UNAVAILABLE);
        assert!(body["detail"].is_string(), "{body}");
    }

    let response = client()
        .get(&url)
        .bearer_auth(&session.token)
        .send()
        .await
        .expect("headers arrive");
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.bytes().await.is_err(), "the body should break off");

    let asked = Instant::now();
    let (code, body) = status(&emulator, &session.token, &task.to_string()).await;
    assert!(asked.elapsed() >= Duration::from_millis(300));
    assert_eq!(code, StatusCode::OK);
    assert!(body["status"].is_string(), "{body}");

    let (code, _) = status(&emulator, &session.token, &task.to_string()).await;
    assert_eq!(code, StatusCode::OK);

    let polls = controls.polls();
    let answered: Vec<_> = polls.iter().map(|p| p.answered.as_str()).collect();
    assert_eq!(&answered[..3], ["503", "503", "dropped"]);
    let slow = &polls[3];
    assert!(slow.finished.duration_since(slow.started) >= Duration::from_millis(300));
    assert_eq!(
        slow.fault,
        Some(PollFault::Slow(Duration::from_millis(300)))
    );
    assert_eq!(polls[4].fault, None, "each fault strikes once");
}

#[tokio::test]
async fn cleared_poll_faults_strike_no_more() {
    let emulator = emulator().await;
    let session = presign(&emulator, DEMO_KEY).await;
    let controls = emulator.controls();
    controls.fail_polls(3, PollFault::ServerError);
    let (code, _) = status(&emulator, &session.token, "1").await;
    assert_eq!(code, StatusCode::SERVICE_UNAVAILABLE);
    controls.clear_poll_faults();
    let (code, _) = status(&emulator, &session.token, "1").await;
    assert_eq!(code, StatusCode::NOT_FOUND, "no fault is left to strike");
}
