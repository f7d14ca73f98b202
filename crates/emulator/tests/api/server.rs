//! The server as a whole: auth, unknown routes, latency, recording, stopping.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use humo_ident_emulator::{Emulator, EmulatorConfig, DEMO_KEY};
use reqwest::header::WWW_AUTHENTICATE;
use reqwest::StatusCode;
use serde_json::Value;

use crate::common::{client, create, emulator, post, presign, status, Upload, FRONT, SELFIE};

#[tokio::test]
async fn requests_without_a_valid_token_get_401() {
    let emulator = emulator().await;
    let session = presign(&emulator, DEMO_KEY).await;
    let upload = Upload::ocr(&session, "ID_NEW");

    let response = client()
        .post(format!("{}{FRONT}", emulator.base_url()))
        .multipart(upload.form())
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        response
            .headers()
            .get(WWW_AUTHENTICATE)
            .map(|v| v.as_bytes()),
        Some(&b"Bearer"[..])
    );
    let body: Value = response.json().await.expect("JSON");
    assert!(body["detail"].is_string(), "{body}");

    let (code, _) = post(&emulator, FRONT, "0123abcd", &upload).await;
    assert_eq!(code, StatusCode::UNAUTHORIZED);
    let (code, _) = post(&emulator, SELFIE, "0123abcd", &upload).await;
    assert_eq!(code, StatusCode::UNAUTHORIZED);
    let (code, _) = status(&emulator, "0123abcd", "100001").await;
    assert_eq!(code, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn unauthorized_switch_refuses_every_token_but_not_presign() {
    let emulator = emulator().await;
    let session = presign(&emulator, DEMO_KEY).await;
    let upload = Upload::ocr(&session, "ID_NEW");
    let task = create(&emulator, FRONT, &session.token, &upload).await;

    emulator.controls().set_unauthorized(true);
    let (code, _) = post(&emulator, FRONT, &session.token, &upload).await;
    assert_eq!(code, StatusCode::UNAUTHORIZED);
    let (code, _) = status(&emulator, &session.token, &task.to_string()).await;
    assert_eq!(code, StatusCode::UNAUTHORIZED);
    let fresh = presign(&emulator, DEMO_KEY).await;
    let (code, _) = status(&emulator, &fresh.token, &task.to_string()).await;
    assert_eq!(code, StatusCode::UNAUTHORIZED);

    emulator.controls().set_unauthorized(false);
    let (code, _) = status(&emulator, &session.token, &task.to_string()).await;
    assert_eq!(code, StatusCode::OK);
}

#[tokio::test]
async fn unknown_routes_answer_404_json() {
    let emulator = emulator().await;
    for path in [
        "/",
        "/api/tasks/ocr/passport/front",
        "/api/tasks/ocr/id_new/side",
    ] {
        let response = client()
            .get(format!("{}{path}", emulator.base_url()))
            .send()
            .await
            .expect("answers");
        let code = response.status();
        let body: Value = response.json().await.expect("JSON");
        assert!(
            code == StatusCode::NOT_FOUND || code == StatusCode::METHOD_NOT_ALLOWED,
            "{path}: {code}"
        );
        assert!(body["detail"].is_string(), "{path}: {body}");
    }
    let response = client()
        .post(format!(
            "{}/api/tasks/ocr/passport/front",
            emulator.base_url()
        ))
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn latency_delays_every_response() {
    let emulator = emulator().await;
    emulator.controls().set_latency(Duration::from_millis(150));
    let started = Instant::now();
    presign(&emulator, DEMO_KEY).await;
    assert!(started.elapsed() >= Duration::from_millis(150));
}

#[tokio::test]
async fn requests_are_recorded_with_their_token_fields_and_status() {
    let emulator = emulator().await;
    let session = presign(&emulator, DEMO_KEY).await;
    let upload = Upload::ocr(&session, "ID_NEW");
    create(&emulator, FRONT, &session.token, &upload).await;

    let requests = emulator.controls().requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].method, "GET");
    assert_eq!(requests[0].path, format!("/api/link/presign/{DEMO_KEY}"));
    assert_eq!(requests[0].authorization, None);
    assert_eq!(requests[0].status, 200);

    let upload = &requests[1];
    assert_eq!(
        (upload.method.as_str(), upload.path.as_str()),
        ("POST", FRONT)
    );
    assert_eq!(
        upload.authorization.as_deref(),
        Some(format!("Bearer {}", session.token).as_str())
    );
    assert_eq!(upload.status, 200);
    let names: Vec<_> = upload.fields.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["img", "doc_type", "key", "source"]);
    let img = &upload.fields[0].1;
    assert!(
        img.starts_with("<file front.jpg image/jpeg ") && img.ends_with(" bytes>"),
        "{img}"
    );
    assert_eq!(upload.fields[1].1, "ID_NEW");
}

#[tokio::test]
async fn binds_the_given_address_and_shuts_down() {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    let emulator = Emulator::bind(addr, EmulatorConfig::default())
        .await
        .expect("binds");
    assert_eq!(emulator.base_url(), format!("http://{}", emulator.addr()));
    presign(&emulator, DEMO_KEY).await;
    let base = emulator.base_url();
    tokio::time::timeout(Duration::from_secs(5), emulator.shutdown())
        .await
        .expect("shuts down promptly");
    let refused = client()
        .get(format!("{base}/api/link/presign/{DEMO_KEY}"))
        .send()
        .await;
    assert!(refused.is_err(), "still answering after shutdown");
}
