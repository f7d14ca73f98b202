//! Chaos: every request draws a fault from the seed, and each fault does what it says.

use std::collections::BTreeSet;
use std::time::Duration;

use humo_ident_emulator::{Chaos, ChaosFault, Emulator, DEMO_KEY};
use reqwest::StatusCode;

use crate::common::{client, emulator, presign, Presigned, Upload, TASK_DELAY};

const FRONT: &str = "/api/tasks/ocr/id_new/front";

/// What the client saw of one request.
enum Seen {
    Answer(StatusCode, serde_json::Value),
    /// The body broke off.
    Broken,
}

async fn send(request: reqwest::RequestBuilder) -> Seen {
    let response = request.send().await.expect("the headers arrive");
    let status = response.status();
    match response.bytes().await {
        Ok(body) => Seen::Answer(status, serde_json::from_slice(&body).expect("JSON")),
        Err(_) => Seen::Broken,
    }
}

/// Uploads a front side for `session` as the client would.
async fn upload_front(emulator: &Emulator, session: &Presigned) -> Seen {
    let upload = Upload::ocr(session, "ID_NEW").form();
    let url = format!("{}{FRONT}", emulator.base_url());
    send(
        client()
            .post(url)
            .bearer_auth(&session.token)
            .multipart(upload),
    )
    .await
}

fn last_fault(emulator: &Emulator) -> Option<ChaosFault> {
    emulator.controls().requests().last().and_then(|r| r.fault)
}

async fn status_of(emulator: &Emulator, session: &Presigned, task: u64) -> String {
    // Chaos is off for this look: it checks the task, not the road to it.
    let url = format!("{}/api/tasks/status/{task}", emulator.base_url());
    let body: serde_json::Value = client()
        .get(url)
        .bearer_auth(&session.token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    body["status"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn each_fault_drawn_does_what_it_says() {
    let emulator = emulator().await;
    let controls = emulator.controls();
    let chaos = Chaos {
        seed: 3,
        fault_rate: 1.0,
        max_delay: Duration::from_millis(200),
    };
    let mut seen = BTreeSet::new();
    for round in 0..60 {
        controls.set_chaos(None);
        let session = presign(&emulator, DEMO_KEY).await;
        controls.set_chaos(Some(Chaos {
            seed: chaos.seed + round,
            ..chaos.clone()
        }));
        let answer = upload_front(&emulator, &session).await;
        let fault = last_fault(&emulator).expect("every request draws a fault");
        controls.set_chaos(None);
        match (fault, answer) {
            (ChaosFault::ServerError, Seen::Answer(status, _)) => {
                assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE)
            }
            (ChaosFault::Unauthorized, Seen::Answer(status, _)) => {
                assert_eq!(status, StatusCode::UNAUTHORIZED);
                let url = format!("{}/api/tasks/status/1", emulator.base_url());
                let after = client().get(url).bearer_auth(&session.token).send().await;
                assert_eq!(after.unwrap().status(), StatusCode::UNAUTHORIZED, "revoked");
            }
            (ChaosFault::DropConnection, Seen::Broken) => {}
            (ChaosFault::NeverFinish | ChaosFault::Failure, Seen::Answer(status, body)) => {
                assert_eq!(status, StatusCode::OK, "{body}");
                let task = body["id"].as_u64().unwrap();
                // Past the task's delay on the emulator's clock, whatever the machine's speed.
                controls.advance_clock(TASK_DELAY * 2);
                let expected = if fault == ChaosFault::Failure {
                    "FAILURE"
                } else {
                    "SENT"
                };
                assert_eq!(status_of(&emulator, &session, task).await, expected);
            }
            (ChaosFault::Latency | ChaosFault::SlowBody, Seen::Answer(status, _)) => {
                assert_eq!(status, StatusCode::OK)
            }
            (fault, _) => panic!("{fault:?} did not behave as it says"),
        }
        seen.insert(fault);
        if seen.len() == ChaosFault::ALL.len() {
            return;
        }
    }
    panic!("not every fault was drawn: {seen:?}");
}

#[tokio::test]
async fn without_chaos_nothing_is_drawn() {
    let emulator = emulator().await;
    emulator.controls().set_chaos(Some(Chaos {
        seed: 1,
        fault_rate: 0.0,
        max_delay: Duration::from_millis(100),
    }));
    let session = presign(&emulator, DEMO_KEY).await;
    let answer = upload_front(&emulator, &session).await;
    assert!(matches!(answer, Seen::Answer(StatusCode::OK, _)));
    assert!(emulator
        .controls()
        .requests()
        .iter()
        .all(|r| r.fault.is_none()));
}
