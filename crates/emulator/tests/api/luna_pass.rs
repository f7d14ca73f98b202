//! The LUNA PASS double: its script, its WebSocket, and its RS256 tokens as selfies.

use std::time::Duration;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use futures_util::{SinkExt as _, StreamExt as _};
use humo_ident_emulator::{
    Emulator, SelfieTokenRecord, DEMO_KEY, LUNA_PASS_ISSUER, LUNA_PASS_KEY_ID,
};
use humo_ident_test_support::{jpeg, png};
use image::{Rgb, RgbImage};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use reqwest::header::{CACHE_CONTROL, CONTENT_TYPE};
use reqwest::StatusCode;
use rsa::pkcs1::EncodeRsaPrivateKey as _;
use serde_json::{json, Value};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::common::{
    client, create, emulator, finish, liveness_claims, local_jwt, now, post, presign, Upload,
    SELFIE,
};

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Generous: the first check may wait for the emulator's RSA key to be made.
const REPLY_TIMEOUT: Duration = Duration::from_secs(60);

/// One flat colour, for the double's darkness test: light enough to pass.
fn bright_jpeg() -> Vec<u8> {
    jpeg(RgbImage::from_pixel(64, 48, Rgb([210, 190, 170])))
}

/// One flat colour, dark enough to be refused.
fn dark_jpeg() -> Vec<u8> {
    jpeg(RgbImage::from_pixel(64, 48, Rgb([12, 10, 8])))
}

async fn connect(emulator: &Emulator) -> Socket {
    let (socket, _) = tokio_tungstenite::connect_async(emulator.luna_pass_ws_url())
        .await
        .expect("WebSocket connects");
    socket
}

/// The next message that is not a ping or pong.
async fn next_message(socket: &mut Socket) -> Option<Message> {
    loop {
        let next = tokio::time::timeout(REPLY_TIMEOUT, socket.next())
            .await
            .expect("the server answers in time");
        match next {
            Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
            Some(Ok(message)) => return Some(message),
            Some(Err(err)) => panic!("socket error: {err}"),
            None => return None,
        }
    }
}

async fn next_json(socket: &mut Socket) -> Value {
    match next_message(socket).await {
        Some(Message::Text(text)) => serde_json::from_str(text.as_str()).expect("reply is JSON"),
        other => panic!("expected a text reply, got {other:?}"),
    }
}

fn check_message(jpeg: &[u8], source: &str) -> String {
    json!({ "type": "check", "bestshot": STANDARD.encode(jpeg), "source": source }).to_string()
}

/// One check on `socket`: the `{isOk, jwt}` reply.
async fn check_on(socket: &mut Socket, jpeg: &[u8], source: &str) -> Value {
    socket
        .send(Message::text(check_message(jpeg, source)))
        .await
        .expect("check is sent");
    let reply = next_json(socket).await;
    assert!(reply["isOk"].is_boolean(), "{reply}");
    assert!(reply["jwt"].is_string(), "{reply}");
    reply
}

/// One check on a fresh socket, closed afterwards as the script does.
async fn check(emulator: &Emulator, jpeg: &[u8]) -> Value {
    let mut socket = connect(emulator).await;
    let reply = check_on(&mut socket, jpeg, "synthetic").await;
    socket.close(None).await.expect("socket closes");
    reply
}

async fn public_key_pem(emulator: &Emulator) -> String {
    let response = client()
        .get(format!("{}/luna-pass/public-key.pem", emulator.base_url()))
        .send()
        .await
        .expect("public key answers");
    assert_eq!(response.status(), StatusCode::OK);
    response.text().await.expect("PEM text")
}

/// The claims of `jwt`, verified as an integrator would with the served public key.
async fn verified_claims(emulator: &Emulator, jwt: &str) -> Value {
    let pem = public_key_pem(emulator).await;
    let key = DecodingKey::from_rsa_pem(pem.as_bytes()).expect("served key is an RSA PEM");
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_issuer(&[LUNA_PASS_ISSUER]);
    validation.set_required_spec_claims(&["exp", "iss"]);
    jsonwebtoken::decode::<Value>(jwt, &key, &validation)
        .expect("token verifies with the served key")
        .claims
}

fn jwt_of(reply: &Value) -> &str {
    reply["jwt"].as_str().expect("jwt")
}

#[tokio::test]
async fn the_script_is_served_with_the_vendor_shape() {
    let emulator = emulator().await;
    let url = emulator.luna_pass_script_url();
    assert_eq!(
        url,
        format!("{}/luna-pass/luna-pass.js", emulator.base_url())
    );
    let response = client().get(url).send().await.expect("script answers");
    assert_eq!(response.status(), StatusCode::OK);
    let header = |name| {
        response
            .headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned)
    };
    assert_eq!(
        header(CONTENT_TYPE).as_deref(),
        Some("text/javascript; charset=utf-8")
    );
    assert_eq!(header(CACHE_CONTROL).as_deref(), Some("no-store"));
    let body = response.text().await.expect("script text");
    for needle in [
        "class LunaPass",
        "constructor(element, wsUrl, onReady, onSuccess, onError)",
        "checkLiveness()",
        "destroy()",
        "getUserMedia({ video: true, audio: false })",
        "toDataURL(\"image/jpeg\", 0.9)",
        "new WebSocket(",
        "window.LunaPass = LunaPass",
    ] {
        assert!(body.contains(needle), "script lacks {needle:?}");
    }
    assert!(!body.contains("import ") && !body.contains("export "));
    assert!(
        emulator.controls().requests().is_empty(),
        "the double's routes are not the bank's requests"
    );
    assert!(emulator
        .luna_pass_ws_url()
        .starts_with(&format!("ws://{}", emulator.addr())));
}

#[tokio::test]
async fn a_bright_frame_passes_with_a_token_the_served_key_verifies() {
    let emulator = emulator().await;
    let jpeg = bright_jpeg();
    let reply = check(&emulator, &jpeg).await;
    assert_eq!(reply["isOk"], true, "{reply}");
    let jwt = jwt_of(&reply);

    let header = jsonwebtoken::decode_header(jwt).expect("JWT header");
    assert_eq!(header.alg, Algorithm::RS256);
    assert_eq!(header.typ.as_deref(), Some("JWT"));
    assert_eq!(header.kid.as_deref(), Some(LUNA_PASS_KEY_ID));

    let pem = public_key_pem(&emulator).await;
    assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----"), "{pem}");
    assert_eq!(pem, emulator.luna_pass_public_key_pem());
    let claims = verified_claims(&emulator, jwt).await;
    assert_eq!(claims["isOk"], true);
    assert_eq!(claims["errors"], json!([]));
    assert_eq!(claims["bestshot"], STANDARD.encode(&jpeg));
    assert_eq!(claims["iss"], LUNA_PASS_ISSUER);
    let iat = claims["iat"].as_u64().expect("iat");
    assert!(iat.abs_diff(now()) < 60);
    assert_eq!(claims["exp"].as_u64(), Some(iat + 600));
    let details = &claims["details"];
    for number in [
        "/liveness/score",
        "/liveness/qualityScore",
        "/headPose/pitch",
        "/headPose/roll",
        "/headPose/yaw",
        "/quality/blur",
        "/quality/darkness",
        "/quality/lightness",
        "/ags",
    ] {
        assert!(
            details.pointer(number).is_some_and(Value::is_number),
            "{number} in {details}"
        );
    }
    for present in ["faceFramePosition", "eyeglasses", "mouth"] {
        assert!(!details[present].is_null(), "{present} in {details}");
    }
    assert_eq!(details["source"], "synthetic");

    // The DER form verifies too, for a client without jsonwebtoken's `use_pem`.
    let der_key = DecodingKey::from_rsa_der(&emulator.luna_pass_public_key_der());
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_issuer(&[LUNA_PASS_ISSUER]);
    jsonwebtoken::decode::<Value>(jwt, &der_key, &validation).expect("DER key verifies");
}

#[tokio::test]
async fn a_dark_frame_fails_too_dark() {
    let emulator = emulator().await;
    let reply = check(&emulator, &dark_jpeg()).await;
    assert_eq!(reply["isOk"], false, "{reply}");
    let claims = verified_claims(&emulator, jwt_of(&reply)).await;
    assert_eq!(claims["isOk"], false);
    assert_eq!(claims["errors"], json!(["TOO_DARK"]));
}

#[tokio::test]
async fn fail_next_liveness_fails_one_check() {
    let emulator = emulator().await;
    emulator
        .controls()
        .fail_next_liveness(vec!["FACE_NOT_CENTERED".into()]);
    // Both checks on one socket: it answers every check until the client closes.
    let mut socket = connect(&emulator).await;
    let failed = check_on(&mut socket, &bright_jpeg(), "camera").await;
    let passed = check_on(&mut socket, &bright_jpeg(), "camera").await;
    socket.close(None).await.expect("socket closes");

    assert_eq!(failed["isOk"], false);
    let claims = verified_claims(&emulator, jwt_of(&failed)).await;
    assert_eq!(claims["errors"], json!(["FACE_NOT_CENTERED"]));
    assert_eq!(claims["details"]["source"], "camera");
    assert_eq!(passed["isOk"], true);
    let claims = verified_claims(&emulator, jwt_of(&passed)).await;
    assert_eq!(claims["errors"], json!([]));
}

#[tokio::test]
async fn malformed_messages_get_an_error_and_a_close() {
    let emulator = emulator().await;
    // A refused message must not use up the forced failure.
    emulator
        .controls()
        .fail_next_liveness(vec!["FACE_NOT_FOUND".into()]);
    let png = png(RgbImage::new(8, 8));
    let cases = [
        ("not JSON", Message::text("hello")),
        ("unknown type", Message::text(r#"{"type":"hello"}"#)),
        (
            "no bestshot",
            Message::text(r#"{"type":"check","source":"camera"}"#),
        ),
        (
            "bad source",
            Message::text(check_message(&bright_jpeg(), "phone")),
        ),
        (
            "bestshot not base64",
            Message::text(r#"{"type":"check","bestshot":"***","source":"camera"}"#),
        ),
        (
            "bestshot not a JPEG",
            Message::text(check_message(&png, "camera")),
        ),
        (
            "truncated JPEG",
            Message::text(check_message(&bright_jpeg()[..200], "camera")),
        ),
        ("binary", Message::binary(bright_jpeg())),
    ];
    for (name, message) in cases {
        let mut socket = connect(&emulator).await;
        socket.send(message).await.expect("message is sent");
        let reply = next_json(&mut socket).await;
        assert!(
            reply["error"].as_str().is_some_and(|e| !e.is_empty()),
            "{name}: {reply}"
        );
        assert!(reply.get("jwt").is_none(), "{name}: {reply}");
        match next_message(&mut socket).await {
            Some(Message::Close(Some(frame))) => assert_eq!(frame.code, CloseCode::Policy),
            other => panic!("{name}: expected a close, got {other:?}"),
        }
    }

    let reply = check(&emulator, &bright_jpeg()).await;
    let claims = verified_claims(&emulator, jwt_of(&reply)).await;
    assert_eq!(claims["errors"], json!(["FACE_NOT_FOUND"]));
    assert_eq!(check(&emulator, &bright_jpeg()).await["isOk"], true);
}

#[tokio::test]
async fn a_luna_pass_token_passes_as_the_selfie() {
    let emulator = emulator().await;
    let session = presign(&emulator, DEMO_KEY).await;
    let reply = check(&emulator, &bright_jpeg()).await;
    let upload = Upload::selfie(&session, jwt_of(&reply));
    let task = create(&emulator, SELFIE, &session.token, &upload).await;
    let body = finish(&emulator, &session.token, task).await;
    assert_eq!(body["status"], "SUCCESS", "{body}");
    assert_eq!(
        emulator.controls().selfie_tokens(),
        vec![SelfieTokenRecord {
            algorithm: "RS256".into(),
            verified: true
        }]
    );
}

#[tokio::test]
async fn a_not_ok_luna_pass_token_ends_in_failure() {
    let emulator = emulator().await;
    let session = presign(&emulator, DEMO_KEY).await;
    emulator
        .controls()
        .fail_next_liveness(vec!["FACE_NOT_CENTERED".into(), "EYES_CLOSED".into()]);
    let reply = check(&emulator, &bright_jpeg()).await;
    assert_eq!(reply["isOk"], false);
    let upload = Upload::selfie(&session, jwt_of(&reply));
    let task = create(&emulator, SELFIE, &session.token, &upload).await;
    let body = finish(&emulator, &session.token, task).await;
    assert_eq!(body["status"], "FAILURE", "{body}");
    assert_eq!(body["result"]["error"], "LIVENESS_FAILED");
    assert_eq!(
        body["result"]["errors"],
        json!(["FACE_NOT_CENTERED", "EYES_CLOSED"])
    );
}

#[tokio::test]
async fn tokens_of_another_key_or_algorithm_are_refused() {
    let emulator = emulator().await;
    let session = presign(&emulator, DEMO_KEY).await;
    let mut claims = liveness_claims(true, &[]);
    claims["iss"] = json!(LUNA_PASS_ISSUER);

    let other_key = tokio::task::spawn_blocking(|| {
        let key = rsa::RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 2048).expect("RSA key");
        let der = key.to_pkcs1_der().expect("PKCS#1 DER");
        EncodingKey::from_rsa_der(der.as_bytes())
    })
    .await
    .expect("key made");
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(LUNA_PASS_KEY_ID.to_owned());
    let forged = jsonwebtoken::encode(&header, &claims, &other_key).expect("JWT signs");
    let hs384 = jsonwebtoken::encode(
        &Header::new(Algorithm::HS384),
        &liveness_claims(true, &[]),
        &EncodingKey::from_secret(humo_ident_emulator::LOCAL_LIVENESS_KEY.as_bytes()),
    )
    .expect("JWT signs");
    let unsigned = format!(
        "{}.{}.",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#),
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(claims.to_string()),
    );

    let cases = [
        ("another RSA key", forged, "signature"),
        ("HS384", hs384, "not accepted"),
        ("alg none", unsigned, "not accepted"),
    ];
    for (name, jwt, reason) in cases {
        let upload = Upload::selfie(&session, &jwt);
        let (status, body) = post(&emulator, SELFIE, &session.token, &upload).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {body}");
        let detail = body["detail"].as_str().unwrap_or_default();
        assert!(detail.contains(reason), "{name}: {body}");
    }
    let algorithms: Vec<_> = emulator
        .controls()
        .selfie_tokens()
        .into_iter()
        .map(|record| (record.algorithm, record.verified))
        .collect();
    assert_eq!(
        algorithms,
        [
            ("RS256".to_owned(), false),
            ("HS384".to_owned(), false),
            ("none".to_owned(), false),
        ]
    );
}

#[tokio::test]
async fn both_providers_are_accepted_and_recorded() {
    let emulator = emulator().await;
    let session = presign(&emulator, DEMO_KEY).await;
    let local = local_jwt(&liveness_claims(true, &[]));
    let local_task = create(
        &emulator,
        SELFIE,
        &session.token,
        &Upload::selfie(&session, &local),
    )
    .await;
    let reply = check(&emulator, &bright_jpeg()).await;
    let luna_task = create(
        &emulator,
        SELFIE,
        &session.token,
        &Upload::selfie(&session, jwt_of(&reply)),
    )
    .await;
    for task in [local_task, luna_task] {
        assert_eq!(
            finish(&emulator, &session.token, task).await["status"],
            "SUCCESS"
        );
    }
    let record = |algorithm: &str| SelfieTokenRecord {
        algorithm: algorithm.to_owned(),
        verified: true,
    };
    assert_eq!(
        emulator.controls().selfie_tokens(),
        vec![record("HS256"), record("RS256")]
    );
}
