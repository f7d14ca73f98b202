//! What every test needs: a running emulator, a session, a valid upload to break.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use humo_ident_emulator::{Emulator, EmulatorConfig, LIVENESS_ISSUER, LOCAL_LIVENESS_KEY};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::multipart::{Form, Part};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

/// Tasks finish quickly so the whole suite stays fast.
pub const TASK_DELAY: Duration = Duration::from_millis(200);

pub async fn emulator() -> Emulator {
    let config = EmulatorConfig {
        task_delay: TASK_DELAY,
        ..EmulatorConfig::default()
    };
    Emulator::start(config).await.expect("emulator starts")
}

pub fn client() -> Client {
    Client::builder().no_proxy().build().expect("client builds")
}

/// A presigned link: what the client holds after step 1.
pub struct Presigned {
    pub key: String,
    pub token: String,
    pub source: String,
    pub depart_id: Option<i64>,
}

pub async fn presign(emulator: &Emulator, key: &str) -> Presigned {
    let url = format!("{}/api/link/presign/{key}", emulator.base_url());
    let response = client().get(url).send().await.expect("presign answers");
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.expect("presign is JSON");
    Presigned {
        key: body["key"].as_str().expect("key").to_owned(),
        token: body["access_token"].as_str().expect("token").to_owned(),
        source: body["source"].as_str().expect("source").to_owned(),
        depart_id: body["depart_id"].as_i64(),
    }
}

/// A small JPEG that decodes.
pub fn jpeg() -> Vec<u8> {
    humo_ident_test_support::gradient_jpeg(32, 24)
}

/// One multipart part, kept as data so a test can change it before sending.
#[derive(Clone)]
pub enum Field {
    Text(String),
    File {
        file_name: String,
        content_type: String,
        bytes: Vec<u8>,
    },
}

/// A multipart upload under construction.
#[derive(Clone, Default)]
pub struct Upload {
    fields: Vec<(String, Field)>,
}

impl Upload {
    /// A valid OCR upload for `session`, as the contract asks for it.
    pub fn ocr(session: &Presigned, doc_type: &str) -> Self {
        let upload = Upload::default().file("img", "front.jpg", "image/jpeg", jpeg());
        upload.with_context(session, doc_type)
    }

    /// A valid selfie upload with `jwt` as a text field.
    pub fn selfie(session: &Presigned, jwt: &str) -> Self {
        Upload::default()
            .text("img", jwt)
            .with_context(session, "ID_NEW")
    }

    fn with_context(self, session: &Presigned, doc_type: &str) -> Self {
        let upload = self
            .text("doc_type", doc_type)
            .text("key", &session.key)
            .text("source", &session.source);
        match session.depart_id {
            Some(depart_id) => upload.text("depart_id", &depart_id.to_string()),
            None => upload,
        }
    }

    /// Sets a text field, replacing any field of that name.
    pub fn text(self, name: &str, value: &str) -> Self {
        self.set(name, Field::Text(value.to_owned()))
    }

    pub fn file(self, name: &str, file_name: &str, content_type: &str, bytes: Vec<u8>) -> Self {
        let field = Field::File {
            file_name: file_name.to_owned(),
            content_type: content_type.to_owned(),
            bytes,
        };
        self.set(name, field)
    }

    /// Appends a text field even if one of that name is there already.
    pub fn also(mut self, name: &str, value: &str) -> Self {
        self.fields
            .push((name.to_owned(), Field::Text(value.to_owned())));
        self
    }

    pub fn without(mut self, name: &str) -> Self {
        self.fields.retain(|(n, _)| n != name);
        self
    }

    fn set(mut self, name: &str, field: Field) -> Self {
        match self.fields.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = field,
            None => self.fields.push((name.to_owned(), field)),
        }
        self
    }

    pub fn form(&self) -> Form {
        self.fields
            .iter()
            .fold(Form::new(), |form, (name, field)| match field {
                Field::Text(value) => form.text(name.clone(), value.clone()),
                Field::File {
                    file_name,
                    content_type,
                    bytes,
                } => {
                    let part = Part::bytes(bytes.clone())
                        .file_name(file_name.clone())
                        .mime_str(content_type)
                        .expect("valid content type");
                    form.part(name.clone(), part)
                }
            })
    }
}

/// POSTs `upload` with the session's token; the status and the JSON body.
pub async fn post(
    emulator: &Emulator,
    path: &str,
    token: &str,
    upload: &Upload,
) -> (StatusCode, Value) {
    let response = client()
        .post(format!("{}{path}", emulator.base_url()))
        .bearer_auth(token)
        .multipart(upload.form())
        .send()
        .await
        .expect("upload answers");
    let status = response.status();
    (status, response.json().await.expect("JSON body"))
}

/// A created task's id, asserting the upload was accepted.
pub async fn create(emulator: &Emulator, path: &str, token: &str, upload: &Upload) -> u64 {
    let (status, body) = post(emulator, path, token, upload).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["id"].as_u64().expect("numeric id")
}

pub async fn status(emulator: &Emulator, token: &str, task_id: &str) -> (StatusCode, Value) {
    let response = client()
        .get(format!(
            "{}/api/tasks/status/{task_id}",
            emulator.base_url()
        ))
        .bearer_auth(token)
        .send()
        .await
        .expect("status answers");
    let code = response.status();
    (code, response.json().await.expect("JSON body"))
}

/// Polls until the task leaves `SENT`; its final body.
pub async fn finish(emulator: &Emulator, token: &str, task_id: u64) -> Value {
    for _ in 0..40 {
        let (code, body) = status(emulator, token, &task_id.to_string()).await;
        assert_eq!(code, StatusCode::OK, "{body}");
        if body["status"] != "SENT" {
            return body;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("task {task_id} did not finish");
}

pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs()
}

/// The claims a `local` liveness provider signs.
pub fn liveness_claims(is_ok: bool, errors: &[&str]) -> Value {
    json!({
        "isOk": is_ok,
        "errors": errors,
        "bestshot": STANDARD.encode(jpeg()),
        "details": { "liveness": { "score": 0.97, "qualityScore": 0.9 } },
        "iat": now(),
        "exp": now() + 300,
        "iss": LIVENESS_ISSUER,
    })
}

pub fn sign(claims: &Value, key: &[u8]) -> String {
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(key),
    )
    .expect("JWT signs")
}

pub fn local_jwt(claims: &Value) -> String {
    sign(claims, LOCAL_LIVENESS_KEY.as_bytes())
}

pub const FRONT: &str = "/api/tasks/ocr/id_new/front";
pub const BACK: &str = "/api/tasks/ocr/id_new/back";
pub const SELFIE: &str = "/api/tasks/selfie";
