//! The selfie as the bank wants it: a JWT of the LUNA PASS payload shape, from a
//! [`LivenessProvider`] that configuration chooses.
//!
//! - [`LunaPassLiveness`]: the vendor's library runs in the selfie screen and hands over a token
//!   its server signed; it is passed through unchanged ([`SelfieJwt::parse`] only checks its
//!   form) when its payload says `isOk`.
//! - [`LocalLiveness`], for the emulator and demos only: the app's own photo, face-checked and
//!   packed into a token of the same shape signed HS256 with a key the emulator shares
//!   ([`sign_local`]). A real bank server must never be sent one.

mod local;
mod luna_pass;

pub use local::{sign_local, FaceGate, LocalLiveness, LOCAL_ISSUER, LOCAL_SIGNING_KEY};
pub use luna_pass::LunaPassLiveness;

pub use crate::config::LivenessProviderKind;

use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::Error;

/// What the person gave a provider to make the selfie token from.
#[derive(Debug, Clone, Copy)]
pub enum SelfieEvidence<'a> {
    /// A photo from the app's own camera or a file (the `local` provider).
    Photo(&'a [u8]),
    /// The compact token the vendor's library handed to its `onSuccess` (LUNA PASS).
    VendorToken(&'a str),
}

/// A source of selfie tokens. Which one runs is configuration; the flow only sees the token.
pub trait LivenessProvider: Send + Sync {
    /// Which provider this is.
    fn kind(&self) -> LivenessProviderKind;

    /// The token the bank gets for `evidence`, or why the liveness check did not pass
    /// ([`Error::SelfieNotPassed`]) or the evidence is not this provider's kind.
    fn selfie(&self, evidence: SelfieEvidence<'_>) -> Result<SelfieJwt, Error>;
}

/// A compact JWT carrying a selfie. Its `Debug` shows only its size: it holds a face.
#[derive(Clone, PartialEq, Eq)]
pub struct SelfieJwt(pub(crate) String);

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

/// The payload of a LUNA PASS token, as public code that uses LUNA PASS reads it. Only `isOk`
/// is required: the rest is read leniently (a null or an object where text was expected), so a
/// passing token is never refused for a detail of its shape.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LivenessPayload {
    /// Whether the face passed.
    pub is_ok: bool,
    /// Why not, when it did not.
    #[serde(default, deserialize_with = "lenient_list")]
    pub errors: Vec<String>,
    /// The best frame, a base64 image.
    #[serde(default, deserialize_with = "lenient_text")]
    pub bestshot: String,
    /// Scores and measurements (`liveness`, `headPose`, `quality`, …).
    #[serde(default)]
    pub details: Value,
}

fn text_of(value: Value) -> String {
    match value {
        Value::String(text) => text,
        other => other.to_string(),
    }
}

fn lenient_list<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items.into_iter().map(text_of).collect(),
        Some(other) => vec![text_of(other)],
    })
}

fn lenient_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<Value>::deserialize(d)?
        .filter(|value| !value.is_null())
        .map(text_of)
        .unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_payload_is_read_leniently_but_must_say_whether_it_passed() {
        let read = |payload: &str| {
            let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256"}"#);
            let payload = URL_SAFE_NO_PAD.encode(payload);
            SelfieJwt::parse(&format!("{header}.{payload}.c2ln"))
                .unwrap()
                .payload()
        };
        let payload = read(r#"{"isOk":true,"errors":null,"bestshot":null}"#).unwrap();
        assert!(payload.is_ok && payload.errors.is_empty() && payload.bestshot.is_empty());
        let payload = read(r#"{"isOk":false,"errors":[{"code":7},"TOO_DARK"]}"#).unwrap();
        assert_eq!(payload.errors, [r#"{"code":7}"#, "TOO_DARK"]);
        assert!(read(r#"{"errors":[]}"#).is_err());
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
