//! Step 6: the liveness JWT.

use humo_ident_emulator::DEMO_KEY;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::common::{
    create, emulator, finish, liveness_claims, local_jwt, now, post, presign, sign, Upload, SELFIE,
};

fn detail(body: &Value) -> &str {
    body["detail"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn a_valid_token_passes_as_text_or_as_file() {
    let emulator = emulator().await;
    let session = presign(&emulator, DEMO_KEY).await;
    let jwt = local_jwt(&liveness_claims(true, &[]));

    let task = create(
        &emulator,
        SELFIE,
        &session.token,
        &Upload::selfie(&session, &jwt),
    )
    .await;
    let body = finish(&emulator, &session.token, task).await;
    assert_eq!(
        body,
        json!({
            "status": "SUCCESS",
            "result": { "liveness": true, "liveness_score": 0.97, "face_match": true, "similarity": 0.93 }
        })
    );

    let as_file = Upload::selfie(&session, &jwt).file(
        "img",
        "selfie.jwt",
        "application/jwt",
        jwt.clone().into_bytes(),
    );
    create(&emulator, SELFIE, &session.token, &as_file).await;
    let old_passport = Upload::selfie(&session, &jwt).text("doc_type", "ID_OLD");
    create(&emulator, SELFIE, &session.token, &old_passport).await;
}

#[tokio::test]
async fn a_failed_liveness_check_ends_in_failure() {
    let emulator = emulator().await;
    let session = presign(&emulator, DEMO_KEY).await;
    let jwt = local_jwt(&liveness_claims(false, &["FACE_NOT_FOUND", "TOO_DARK"]));
    let task = create(
        &emulator,
        SELFIE,
        &session.token,
        &Upload::selfie(&session, &jwt),
    )
    .await;
    let body = finish(&emulator, &session.token, task).await;
    assert_eq!(body["status"], "FAILURE");
    assert_eq!(body["result"]["error"], "LIVENESS_FAILED");
    assert_eq!(
        body["result"]["errors"],
        json!(["FACE_NOT_FOUND", "TOO_DARK"])
    );
}

#[tokio::test]
async fn fail_next_selfie_fails_one_task() {
    let emulator = emulator().await;
    let session = presign(&emulator, DEMO_KEY).await;
    let upload = Upload::selfie(&session, &local_jwt(&liveness_claims(true, &[])));
    emulator
        .controls()
        .fail_next_selfie("face does not match the document");
    let failed = create(&emulator, SELFIE, &session.token, &upload).await;
    let next = create(&emulator, SELFIE, &session.token, &upload).await;
    let body = finish(&emulator, &session.token, failed).await;
    assert_eq!(body["status"], "FAILURE");
    assert_eq!(
        body["result"]["message"],
        "face does not match the document"
    );
    assert_eq!(
        finish(&emulator, &session.token, next).await["status"],
        "SUCCESS"
    );
}

#[tokio::test]
async fn bad_tokens_are_422_with_a_reason() {
    let emulator = emulator().await;
    let session = presign(&emulator, DEMO_KEY).await;
    let good = liveness_claims(true, &[]);
    let mut expired = good.clone();
    expired["exp"] = json!(now() - 3600);
    let mut not_jpeg = good.clone();
    not_jpeg["bestshot"] = json!("aGVsbG8=");
    let mut not_base64 = good.clone();
    not_base64["bestshot"] = json!("***");
    let mut wrong_issuer = good.clone();
    wrong_issuer["iss"] = json!("someone-else");
    let mut no_is_ok = good.clone();
    no_is_ok.as_object_mut().map(|claims| claims.remove("isOk"));
    let jwt = local_jwt(&good);
    let valid = || Upload::selfie(&session, &jwt);

    let cases = [
        ("not a JWT", valid().text("img", "hello"), "compact JWT"),
        (
            "bad signature",
            Upload::selfie(&session, &sign(&good, b"another key")),
            "signature",
        ),
        (
            "expired",
            Upload::selfie(&session, &local_jwt(&expired)),
            "expired",
        ),
        (
            "bestshot not JPEG",
            Upload::selfie(&session, &local_jwt(&not_jpeg)),
            "not a JPEG",
        ),
        (
            "bestshot not base64",
            Upload::selfie(&session, &local_jwt(&not_base64)),
            "base64",
        ),
        (
            "wrong issuer",
            Upload::selfie(&session, &local_jwt(&wrong_issuer)),
            "iss",
        ),
        (
            "no isOk",
            Upload::selfie(&session, &local_jwt(&no_is_ok)),
            "isOk",
        ),
        ("img missing", valid().without("img"), "`img` is required"),
        (
            "img as image",
            valid().file("img", "a.jpg", "image/jpeg", jwt.clone().into_bytes()),
            "application/jwt",
        ),
        (
            "tax_number",
            valid().text("tax_number", "123456789"),
            "not sent with the selfie",
        ),
        (
            "doc_type unknown",
            valid().text("doc_type", "PASSPORT"),
            "ID_NEW or ID_OLD",
        ),
        ("key missing", valid().without("key"), "`key` is required"),
        (
            "depart_id when null",
            valid().text("depart_id", "42"),
            "left out",
        ),
    ];
    for (name, upload, reason) in cases {
        let (status, body) = post(&emulator, SELFIE, &session.token, &upload).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {body}");
        assert!(detail(&body).contains(reason), "{name}: {body}");
    }
}
