//! The `local` provider: the app's own photo, face-checked, packed as a LUNA PASS-shaped token
//! signed HS256 with the emulator's key. For demos and the emulator only.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use hmac::{Hmac, Mac};
use image::{DynamicImage, GenericImageView};
use serde_json::{json, Value};
use sha2::Sha256;

use super::{LivenessProvider, LivenessProviderKind, SelfieEvidence, SelfieJwt};
use crate::config::ImageConfig;
use crate::error::Error;
use crate::image_prep::UploadJpeg;

/// The `iss` claim of tokens the local provider signs.
pub const LOCAL_ISSUER: &str = "humo-ident-local";

/// The HS256 key the local provider signs with, which the emulator (and a test server that
/// accepts the app's own check, `server-accepts-local`) verifies with. Tokens signed with it
/// prove nothing to a real bank: only LUNA PASS's do.
pub const LOCAL_SIGNING_KEY: &str = "humo-ident-emulator-local-liveness-v1";

/// How long a local token is valid.
const LOCAL_TOKEN_LIFETIME_SECS: u64 = 600;

/// Long side of the best shot packed into a local token: enough for a face match, small enough
/// for a form field.
const BESTSHOT_LONG_SIDE: u32 = 720;

/// The checks a local selfie's face must pass: one face, centred, big enough, sharp, not dark.
/// It lives with the camera's checks, so the core only asks.
pub trait FaceGate: Send + Sync {
    /// What is wrong with the face in `photo`, as stable codes (`no-face`, `too-dark`, …); empty
    /// when it will do.
    fn problems(&self, photo: &[u8]) -> Vec<String>;
}

/// The `local` provider.
pub struct LocalLiveness {
    key: Vec<u8>,
    images: ImageConfig,
    gate: Arc<dyn FaceGate>,
}

impl LocalLiveness {
    /// A provider signing with `key`, refusing photos that `gate` finds fault with.
    pub fn new(key: &[u8], images: ImageConfig, gate: Arc<dyn FaceGate>) -> Self {
        LocalLiveness {
            key: key.to_vec(),
            images,
            gate,
        }
    }
}

impl LivenessProvider for LocalLiveness {
    fn kind(&self) -> LivenessProviderKind {
        LivenessProviderKind::Local
    }

    fn selfie(&self, evidence: SelfieEvidence<'_>) -> Result<SelfieJwt, Error> {
        let SelfieEvidence::Photo(photo) = evidence else {
            return Err(Error::InvalidSelfieToken(
                "the local liveness check takes a photo, not another provider's token".into(),
            ));
        };
        let problems = self.gate.problems(photo);
        if !problems.is_empty() {
            return Err(Error::SelfieNotPassed(problems));
        }
        sign_local(photo, &self.key, &self.images)
    }
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

    struct Verdict(Vec<String>);

    impl FaceGate for Verdict {
        fn problems(&self, _photo: &[u8]) -> Vec<String> {
            self.0.clone()
        }
    }

    /// A 4:3 photo larger than the best shot. The gate is a stand-in, so it needs no face.
    fn photo() -> Vec<u8> {
        humo_ident_test_support::gradient_jpeg(1280, 960)
    }

    #[test]
    fn a_local_token_has_the_luna_pass_shape_and_a_valid_signature() {
        let token = sign_local(&photo(), b"k", &ImageConfig::default()).unwrap();
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
    fn the_provider_refuses_what_the_gate_refuses_and_other_tokens() {
        let refusing = LocalLiveness::new(
            b"k",
            ImageConfig::default(),
            Arc::new(Verdict(vec!["no-face".into()])),
        );
        match refusing.selfie(SelfieEvidence::Photo(&photo())) {
            Err(Error::SelfieNotPassed(problems)) => assert_eq!(problems, ["no-face"]),
            other => panic!("{other:?}"),
        }
        let passing = LocalLiveness::new(b"k", ImageConfig::default(), Arc::new(Verdict(vec![])));
        let token = passing.selfie(SelfieEvidence::Photo(&photo())).unwrap();
        assert!(token.payload().unwrap().is_ok);
        assert!(passing
            .selfie(SelfieEvidence::VendorToken(token.as_str()))
            .is_err());
    }
}
