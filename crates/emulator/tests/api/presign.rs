//! Step 1: presign keys and their sessions.

use humo_ident_emulator::{PresignProfile, DEMO_KEY, DEMO_KEY_WITH_DEPART, EXPIRED_KEY};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::common::{client, emulator};

async fn get(base: &str, key: &str) -> (StatusCode, Value) {
    let response = client()
        .get(format!("{base}/api/link/presign/{key}"))
        .send()
        .await
        .expect("presign answers");
    let status = response.status();
    (status, response.json().await.expect("JSON body"))
}

#[tokio::test]
async fn demo_key_answers_the_contract_example_shape() {
    let emulator = emulator().await;
    let (status, body) = get(&emulator.base_url(), DEMO_KEY).await;
    assert_eq!(status, StatusCode::OK);
    let token = body["access_token"].as_str().expect("token is a string");
    assert_eq!(token.len(), 64);
    assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));
    let mut expected = json!({
        "key": DEMO_KEY,
        "source": "humo_online",
        "access_token": token,
        "callback": "192.168.145.170/own/callback",
        "home_page": "humoOnline://app",
        "process": "identification",
        "depart_id": null,
        "staff_id": null,
        "external_id": "external_client_id",
        "queue_rank": 0,
        "other": { "additionalProp1": {} }
    });
    assert_eq!(body, expected);

    let (_, with_depart) = get(&emulator.base_url(), DEMO_KEY_WITH_DEPART).await;
    expected["key"] = json!(DEMO_KEY_WITH_DEPART);
    expected["access_token"] = with_depart["access_token"].clone();
    expected["depart_id"] = json!(42);
    expected["staff_id"] = json!(7);
    assert_eq!(with_depart, expected);
}

#[tokio::test]
async fn every_presign_issues_a_fresh_token() {
    let emulator = emulator().await;
    let (_, first) = get(&emulator.base_url(), DEMO_KEY).await;
    let (_, second) = get(&emulator.base_url(), DEMO_KEY).await;
    assert_ne!(first["access_token"], second["access_token"]);
}

#[tokio::test]
async fn bad_unknown_and_expired_keys_are_refused() {
    let emulator = emulator().await;
    let base = emulator.base_url();

    // FastAPI's answer to a path parameter that fails validation: 422 and a list of errors.
    let (status, body) = get(&base, "not-a-uuid").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["detail"][0]["loc"], json!(["path", "key"]), "{body}");
    assert_eq!(body["detail"][0]["type"], "uuid_parsing", "{body}");
    assert!(body["detail"][0]["msg"].is_string(), "{body}");

    let (status, body) = get(&base, "11111111-2222-4333-8444-555555555555").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body, json!({ "detail": "link not found" }));

    let (status, body) = get(&base, EXPIRED_KEY).await;
    assert_eq!(status, StatusCode::GONE);
    assert!(body["detail"].is_string(), "{body}");
}

#[tokio::test]
async fn added_keys_answer_their_profile() {
    let emulator = emulator().await;
    let key = "0b7e8a52-3f0c-4e55-a1b4-2c9d7e6f1a03";
    let profile = PresignProfile {
        source: "kiosk".to_owned(),
        depart_id: Some(12),
        staff_id: None,
        external_id: None,
        home_page: None,
        gone: false,
    };
    emulator.controls().add_key(key, profile);
    let (status, body) = get(&emulator.base_url(), key).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["source"], "kiosk");
    assert_eq!(body["depart_id"], 12);
    assert_eq!(body["external_id"], Value::Null);
    assert_eq!(body["home_page"], Value::Null);

    let gone = "0b7e8a52-3f0c-4e55-a1b4-2c9d7e6f1a04";
    let profile = PresignProfile {
        gone: true,
        ..PresignProfile::default()
    };
    emulator.controls().add_key(gone, profile);
    let (status, _) = get(&emulator.base_url(), gone).await;
    assert_eq!(status, StatusCode::GONE);
}
