//! Steps 3 and 5: document photos, and every way an upload can be malformed.

use humo_ident_emulator::{DEMO_KEY, DEMO_KEY_WITH_DEPART};
use reqwest::StatusCode;
use serde_json::Value;

use crate::common::{client, create, emulator, finish, jpeg, post, presign, Upload, BACK, FRONT};

#[tokio::test]
async fn each_side_of_each_document_reads_its_fields() {
    let emulator = emulator().await;
    let session = presign(&emulator, DEMO_KEY).await;
    let new = Upload::ocr(&session, "ID_NEW");
    let old = Upload::ocr(&session, "ID_OLD");
    let front = create(&emulator, FRONT, &session.token, &new).await;
    let back = create(&emulator, BACK, &session.token, &new).await;
    let old_front = create(
        &emulator,
        "/api/tasks/ocr/id_old/front",
        &session.token,
        &old,
    )
    .await;
    let old_back = create(
        &emulator,
        "/api/tasks/ocr/id_old/back",
        &session.token,
        &old,
    )
    .await;
    assert_eq!(back, front + 1);

    let body = finish(&emulator, &session.token, front).await;
    assert_eq!(body["status"], "SUCCESS");
    assert_eq!(body["result"]["surname"], "RAHIMOV");
    assert_eq!(body["result"]["side"], "front");

    let body = finish(&emulator, &session.token, back).await;
    assert_eq!(body["result"]["tax_number"], "020025789");
    let mrz = body["result"]["mrz"].as_array().expect("MRZ lines");
    assert_eq!(mrz.len(), 3);

    let body = finish(&emulator, &session.token, old_front).await;
    assert_eq!(body["result"]["document_type"], "ID_OLD");
    let body = finish(&emulator, &session.token, old_back).await;
    assert!(body["result"]["address"].is_string(), "{body}");
}

#[tokio::test]
async fn back_side_keeps_the_typed_tax_number_and_depart_id_is_sent_when_set() {
    let emulator = emulator().await;
    let session = presign(&emulator, DEMO_KEY_WITH_DEPART).await;
    let upload = Upload::ocr(&session, "ID_NEW").text("tax_number", "123456789");
    let task = create(&emulator, BACK, &session.token, &upload).await;
    let body = finish(&emulator, &session.token, task).await;
    assert_eq!(body["result"]["tax_number"], "123456789");
}

#[tokio::test]
async fn fail_next_ocr_fails_one_task_only() {
    let emulator = emulator().await;
    let session = presign(&emulator, DEMO_KEY).await;
    let upload = Upload::ocr(&session, "ID_NEW");
    emulator.controls().fail_next_ocr("glare on the photo");
    let failed = create(&emulator, FRONT, &session.token, &upload).await;
    let next = create(&emulator, FRONT, &session.token, &upload).await;
    let body = finish(&emulator, &session.token, failed).await;
    assert_eq!(body["status"], "FAILURE");
    assert_eq!(body["result"]["error"], "DOCUMENT_NOT_RECOGNISED");
    assert_eq!(body["result"]["message"], "glare on the photo");
    let body = finish(&emulator, &session.token, next).await;
    assert_eq!(body["status"], "SUCCESS");
}

#[tokio::test]
async fn a_body_that_is_not_multipart_is_422() {
    let emulator = emulator().await;
    let session = presign(&emulator, DEMO_KEY).await;
    let response = client()
        .post(format!("{}{FRONT}", emulator.base_url()))
        .bearer_auth(&session.token)
        .json(&serde_json::json!({ "doc_type": "ID_NEW" }))
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = response.json().await.expect("JSON");
    assert!(detail(&body).contains("multipart"), "{body}");
}

fn detail(body: &Value) -> &str {
    body["detail"].as_str().unwrap_or_default()
}

/// Each malformed upload, and words its 422 detail must contain.
#[tokio::test]
async fn malformed_uploads_are_422_with_a_reason() {
    let emulator = emulator().await;
    let plain = presign(&emulator, DEMO_KEY).await;
    let branch = presign(&emulator, DEMO_KEY_WITH_DEPART).await;
    let valid = || Upload::ocr(&plain, "ID_NEW");
    let valid_branch = || Upload::ocr(&branch, "ID_NEW");
    let jpeg_file = |name: &str, content_type: &str, bytes: Vec<u8>| {
        valid().file("img", name, content_type, bytes)
    };
    let other_key = "11111111-2222-4333-8444-555555555555";
    let id_old_back = "/api/tasks/ocr/id_old/back";
    let (p, b) = (plain.token.as_str(), branch.token.as_str());
    let cases = [
        (
            "img missing",
            FRONT,
            p,
            valid().without("img"),
            "`img` is required",
        ),
        (
            "img as text",
            FRONT,
            p,
            valid().text("img", "abc"),
            "file part",
        ),
        (
            "img as PNG",
            FRONT,
            p,
            jpeg_file("a.png", "image/png", jpeg()),
            "image/jpeg",
        ),
        (
            "img not JPEG",
            FRONT,
            p,
            jpeg_file("a.jpg", "image/jpeg", b"junk".to_vec()),
            "decodable JPEG",
        ),
        (
            "img truncated",
            FRONT,
            p,
            jpeg_file("a.jpg", "image/jpeg", jpeg()[..200].to_vec()),
            "decodable JPEG",
        ),
        (
            "doc_type missing",
            FRONT,
            p,
            valid().without("doc_type"),
            "`doc_type` is required",
        ),
        (
            "doc_type of id_old",
            FRONT,
            p,
            valid().text("doc_type", "ID_OLD"),
            "takes ID_NEW",
        ),
        (
            "doc_type on id_old path",
            id_old_back,
            p,
            valid(),
            "takes ID_OLD",
        ),
        (
            "key missing",
            FRONT,
            p,
            valid().without("key"),
            "`key` is required",
        ),
        (
            "key of another link",
            FRONT,
            p,
            valid().text("key", other_key),
            "presign key",
        ),
        (
            "source missing",
            FRONT,
            p,
            valid().without("source"),
            "`source` is required",
        ),
        (
            "source wrong",
            FRONT,
            p,
            valid().text("source", "kiosk"),
            "presign's source",
        ),
        (
            "depart_id when null",
            FRONT,
            p,
            valid().text("depart_id", "42"),
            "left out",
        ),
        (
            "depart_id missing",
            FRONT,
            b,
            valid_branch().without("depart_id"),
            "`depart_id` is required",
        ),
        (
            "depart_id different",
            FRONT,
            b,
            valid_branch().text("depart_id", "042"),
            "depart_id is 42",
        ),
        (
            "empty value",
            FRONT,
            p,
            valid().text("source", ""),
            "empty or null",
        ),
        (
            "null value",
            BACK,
            p,
            valid().text("tax_number", "null"),
            "empty or null",
        ),
        (
            "tax_number on front",
            FRONT,
            p,
            valid().text("tax_number", "123456789"),
            "back side",
        ),
        (
            "tax_number short",
            BACK,
            p,
            valid().text("tax_number", "12345678"),
            "9 digits",
        ),
        (
            "tax_number not digits",
            BACK,
            p,
            valid().text("tax_number", "12345678a"),
            "9 digits",
        ),
        (
            "unknown field",
            FRONT,
            p,
            valid().text("staff_id", "7"),
            "unknown field `staff_id`",
        ),
        (
            "field twice",
            FRONT,
            p,
            valid().also("doc_type", "ID_NEW"),
            "more than once",
        ),
        (
            // From the fuzz target multipart_form: multer reads a file part whose name holds
            // `filename` as a text field; such a name is refused all the same.
            "file part named with filename",
            FRONT,
            p,
            valid().file("doc_tfilenamefilename", "photo.jpg", "image/jpeg", jpeg()),
            "unknown field `doc_tfilenamefilename`",
        ),
    ];
    for (name, path, token, upload, reason) in cases {
        let (status, body) = post(&emulator, path, token, &upload).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {body}");
        assert!(detail(&body).contains(reason), "{name}: {body}");
    }
}
