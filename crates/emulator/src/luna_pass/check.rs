//! One liveness check of the double: a best shot in, a verdict signed RS256 out.
//!
//! The verdict is not a face model: a frame passes unless it is very dark or a test forced a
//! failure with [`crate::Controls::fail_next_liveness`]. What matters is that the app meets
//! the vendor's shapes: the `{isOk, jwt}` reply and the JWT's LUNA PASS payload.

use std::time::{SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use jsonwebtoken::{Algorithm, Header};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::key;
use crate::config::{LUNA_PASS_ISSUER, LUNA_PASS_KEY_ID};
use crate::jpeg;
use crate::state::Shared;

/// Below this mean luma (of 255) a frame is answered `TOO_DARK`, as a real check refuses an
/// unlit face; a dim room still passes.
const MIN_MEAN_LUMA: f64 = 40.0;

/// How long a verdict stays valid, in seconds; enough for a slow upload, short like the vendor's.
const TOKEN_LIFETIME: u64 = 600;

/// A message the double's script sends. Only `check` exists.
#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
enum Request {
    Check { bestshot: String, source: Source },
}

/// Where the script took the frame from.
#[derive(Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Source {
    Camera,
    Synthetic,
}

impl Source {
    fn as_str(self) -> &'static str {
        match self {
            Self::Camera => "camera",
            Self::Synthetic => "synthetic",
        }
    }
}

/// What the script gets back, as the vendor library hands it to `onSuccess`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Reply {
    is_ok: bool,
    jwt: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Claims<'a> {
    is_ok: bool,
    errors: &'a [String],
    bestshot: &'a str,
    details: Value,
    iss: &'static str,
    iat: u64,
    exp: u64,
}

/// What was measured of a best shot.
struct Frame {
    width: u32,
    height: u32,
    mean_luma: f64,
}

/// Answers one client message; the error is the text of the `{"error": …}` reply.
/// CPU-bound (it decodes an image and signs): call it off the async threads.
pub(crate) fn run(shared: &Shared, text: &str) -> Result<Reply, String> {
    let Request::Check { bestshot, source } = serde_json::from_str(text)
        .map_err(|err| format!("expected {{\"type\":\"check\",\"bestshot\",\"source\"}}: {err}"))?;
    let bytes = STANDARD
        .decode(bestshot.as_bytes())
        .map_err(|err| format!("bestshot is not standard base64: {err}"))?;
    let frame = measure(&bytes)?;
    // Taken only once the frame is known good, so a malformed message does not use it up.
    let forced = shared.with(|s| s.switches.fail_next_liveness.take());
    let (is_ok, errors) = match forced {
        Some(errors) => (false, errors),
        None if frame.mean_luma < MIN_MEAN_LUMA => (false, vec!["TOO_DARK".to_owned()]),
        None => (true, Vec::new()),
    };
    tracing::info!(
        source = source.as_str(),
        width = frame.width,
        height = frame.height,
        mean_luma = frame.mean_luma.round(),
        is_ok,
        ?errors,
        "LUNA PASS double: liveness checked"
    );
    let iat = now();
    let claims = Claims {
        is_ok,
        errors: &errors,
        bestshot: &bestshot,
        details: details(&frame, source, is_ok),
        iss: LUNA_PASS_ISSUER,
        iat,
        exp: iat + TOKEN_LIFETIME,
    };
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(LUNA_PASS_KEY_ID.to_owned());
    let jwt = jsonwebtoken::encode(&header, &claims, key::get().encoding()).map_err(|err| {
        tracing::error!(%err, "LUNA PASS double: signing failed");
        "internal error: the verdict could not be signed".to_owned()
    })?;
    Ok(Reply { is_ok, jwt })
}

fn measure(bytes: &[u8]) -> Result<Frame, String> {
    let (width, height, mean_luma) =
        jpeg::check_with_luma(bytes).map_err(|err| format!("bestshot is not a JPEG: {err}"))?;
    Ok(Frame {
        width,
        height,
        mean_luma,
    })
}

/// The `details` of a LUNA PASS verdict with plausible numbers; the face is assumed centred
/// and half the frame high, as the script's synthetic face is and a posing client roughly is.
fn details(frame: &Frame, source: Source, is_ok: bool) -> Value {
    let lightness = frame.mean_luma / 255.0;
    json!({
        "liveness": {
            "score": if is_ok { 0.97 } else { 0.21 },
            "qualityScore": round2((frame.mean_luma / 128.0).min(1.0) * 0.92),
        },
        "headPose": { "pitch": 2.4, "roll": -1.1, "yaw": 3.2 },
        "quality": {
            "blur": 0.94,
            "darkness": round2(1.0 - lightness),
            "lightness": round2(lightness),
        },
        "faceFramePosition": {
            "x": frame.width * 3 / 8,
            "y": frame.height / 4,
            "width": frame.width / 4,
            "height": frame.height / 2,
        },
        "eyeglasses": "noglasses",
        "mouth": { "opened": 0.03, "smile": 0.08, "occluded": 0.01 },
        "ags": 0.93,
        "source": source.as_str(),
    })
}

fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs())
        .unwrap_or_default()
}
