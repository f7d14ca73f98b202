//! The selfie as the bank wants it: a JWT of the LUNA PASS payload shape.
//!
//! A token from LUNA PASS is passed through unchanged ([`SelfieJwt::parse`] only checks its form).
//! The `local` provider, for the emulator and demos only, packs a photo into a token of the same
//! shape signed HS256 with a key the emulator shares ([`sign_local`]); a real bank server must
//! never be sent one.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use hmac::{Hmac, Mac};
use image::{DynamicImage, GenericImageView};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::Sha256;

use crate::config::ImageConfig;
use crate::error::Error;
use crate::image_prep::UploadJpeg;

/// The `iss` claim of tokens the local provider signs.
pub const LOCAL_ISSUER: &str = "humo-ident-local";

/// How long a local token is valid.
const LOCAL_TOKEN_LIFETIME_SECS: u64 = 600;

/// Long side of the best shot packed into a local token: enough for a face match, small enough
/// for a form field.
const BESTSHOT_LONG_SIDE: u32 = 720;

/// A compact JWT carrying a selfie. Its `Debug` shows only its size: it holds a face.
#[derive(Clone, PartialEq, Eq)]
pub struct SelfieJwt(String);

impl SelfieJwt {
    /// Checks that `text` is a compact JWS (three base64url parts, a JSON header naming an
    /// algorithm, a JSON payload). The signature is the server's to verify.
    pub fn parse(text: &str) -> Result<Self, Error> {
        let text = text.trim();
        let parts: Vec<&str> = text.split('.').collect();
        let [header, payload, signature] = parts.as_slice() else {
            return Err(Error::InvalidSelfieToken(
                "expected three parts separated by dots".into(),
            ));
        };
        let header: Value = decode_json_part(header, "header")?;
        if !header.get("alg").is_some_and(Value::is_string) {
            return Err(Error::InvalidSelfieToken(
                "the header names no algorithm".into(),
            ));
        }
        let _: Value = decode_json_part(payload, "payload")?;
        if signature.is_empty() || URL_SAFE_NO_PAD.decode(signature).is_err() {
            return Err(Error::InvalidSelfieToken(
                "the signature is missing or malformed".into(),
            ));
        }
        Ok(SelfieJwt(text.to_owned()))
    }

    /// The compact token.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The payload, decoded but not verified.
    pub fn payload(&self) -> Result<LivenessPayload, Error> {
        let payload = self.0.split('.').nth(1).unwrap_or_default();
        decode_json_part(payload, "payload")
    }
}

impl fmt::Debug for SelfieJwt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SelfieJwt({} bytes)", self.0.len())
    }
}

fn decode_json_part<T: for<'de> Deserialize<'de>>(part: &str, name: &str) -> Result<T, Error> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| Error::InvalidSelfieToken(format!("the {name} is not base64url")))?;
    serde_json::from_slice(&bytes)
        .map_err(|e| Error::InvalidSelfieToken(format!("the {name} is not the expected JSON: {e}")))
}

/// The payload of a LUNA PASS token, as public code that uses LUNA PASS reads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LivenessPayload {
    /// Whether the face passed.
    pub is_ok: bool,
    /// Why not, when it did not.
    #[serde(default)]
    pub errors: Vec<String>,
    /// The best frame, a base64 image.
    #[serde(default)]
    pub bestshot: String,
    /// Scores and measurements (`liveness`, `headPose`, `quality`, …).
    #[serde(default)]
    pub details: Value,
}

/// Packs a selfie photo into a token of the LUNA PASS shape, HS256-signed with `key`.
///
/// The photo is turned upright and scaled to a best shot; `details` records what the local
/// provider measured, and says plainly that no liveness check was made.
pub fn sign_local(photo: &[u8], key: &[u8], images: &ImageConfig) -> Result<SelfieJwt, Error> {
    if key.is_empty() {
        return Err(Error::Config("the local liveness key is empty".into()));
    }
    let config = ImageConfig {
        max_long_side: BESTSHOT_LONG_SIDE,
        ..images.clone()
    };
    let bestshot = UploadJpeg::prepare(photo, &config)?;
    let decoded = image::load_from_memory(bestshot.bytes())
        .map_err(|e| Error::InvalidImage(format!("cannot read the best shot: {e}")))?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    let claims = json!({
        "isOk": true,
        "errors": [],
        "bestshot": STANDARD.encode(bestshot.bytes()),
        "details": local_details(&decoded),
        "iss": LOCAL_ISSUER,
        "iat": now,
        "exp": now + LOCAL_TOKEN_LIFETIME_SECS,
    });
    Ok(SelfieJwt(sign_hs256(&claims, key)))
}

fn local_details(image: &DynamicImage) -> Value {
    let (width, height) = image.dimensions();
    let luma = image.to_luma8();
    let mean = luma.pixels().map(|p| p[0] as f64).sum::<f64>() / (width as f64 * height as f64);
    json!({
        "provider": "local",
        "liveness": { "checked": false },
        "quality": { "darkness": ((255.0 - mean) / 255.0 * 1000.0).round() / 1000.0 },
        "bestshotSize": { "width": width, "height": height },
    })
}

fn sign_hs256(claims: &Value, key: &[u8]) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    let signing_input = format!("{header}.{payload}");
    // HMAC takes a key of any length.
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts any key length");
    mac.update(signing_input.as_bytes());
    let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    format!("{signing_input}.{signature}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn face_photo() -> Vec<u8> {
        let image = DynamicImage::ImageRgb8(image::RgbImage::from_fn(1280, 960, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
        }));
        UploadJpeg::encode(&image, 90).unwrap().bytes().to_vec()
    }

    #[test]
    fn a_local_token_has_the_luna_pass_shape_and_a_valid_signature() {
        let token = sign_local(&face_photo(), b"k", &ImageConfig::default()).unwrap();
        let parsed = SelfieJwt::parse(token.as_str()).unwrap();
        let payload = parsed.payload().unwrap();
        assert!(payload.is_ok);
        let bestshot =
            image::load_from_memory(&STANDARD.decode(&payload.bestshot).unwrap()).unwrap();
        assert_eq!((bestshot.width(), bestshot.height()), (720, 540));
        assert_eq!(payload.details["provider"], "local");

        // Verify the signature independently of `sign_hs256`.
        let (input, signature) = token.as_str().rsplit_once('.').unwrap();
        let mut mac = Hmac::<Sha256>::new_from_slice(b"k").unwrap();
        mac.update(input.as_bytes());
        mac.verify_slice(&URL_SAFE_NO_PAD.decode(signature).unwrap())
            .unwrap();
        assert!(!format!("{token:?}").contains(input));
    }

    #[test]
    fn malformed_tokens_are_refused() {
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256"}"#);
        let payload = URL_SAFE_NO_PAD.encode(br#"{"isOk":true}"#);
        assert!(SelfieJwt::parse(&format!("{header}.{payload}.c2ln")).is_ok());
        for bad in [
            "",
            "a.b",
            &format!("{header}.{payload}"),
            &format!("{header}.{payload}."),
            &format!("{payload}.{payload}.c2ln"),
            &format!("{header}.bm90IGpzb24.c2ln"),
            &format!("{header}.{payload}.c2ln.extra"),
        ] {
            assert!(SelfieJwt::parse(bad).is_err(), "{bad}");
        }
    }
}
