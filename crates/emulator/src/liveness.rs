//! Checks the selfie JWT of the `local` liveness provider: LUNA PASS's payload shape,
//! signed HS256 with the key the emulator shares with the client.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::de::IgnoredAny;
use serde::Deserialize;

use crate::config::LIVENESS_ISSUER;
use crate::jpeg;

/// The verdict a valid token carries.
#[derive(Debug)]
pub(crate) struct Verdict {
    pub(crate) is_ok: bool,
    pub(crate) errors: Vec<String>,
}

/// The payload LUNA PASS signs. `details` and `iat` must be there but are not read.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Claims {
    is_ok: bool,
    errors: Vec<String>,
    bestshot: String,
    #[serde(rename = "details")]
    _details: IgnoredAny,
    #[serde(rename = "iat")]
    _iat: u64,
}

/// Verifies `token` and its best shot; the error says what a developer should fix.
/// CPU-bound (it decodes an image): call it off the async threads.
pub(crate) fn verify(token: &str, key: &[u8]) -> Result<Verdict, String> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.leeway = 0;
    validation.set_issuer(&[LIVENESS_ISSUER]);
    validation.set_required_spec_claims(&["exp", "iss"]);
    let data = jsonwebtoken::decode::<Claims>(token, &DecodingKey::from_secret(key), &validation)
        .map_err(|err| explain(err.kind()))?;
    let claims = data.claims;
    let bestshot = STANDARD
        .decode(claims.bestshot.as_bytes())
        .map_err(|err| format!("img JWT: bestshot is not standard base64: {err}"))?;
    jpeg::check(&bestshot).map_err(|err| format!("img JWT: bestshot is not a JPEG: {err}"))?;
    Ok(Verdict {
        is_ok: claims.is_ok,
        errors: claims.errors,
    })
}

fn explain(kind: &ErrorKind) -> String {
    match kind {
        ErrorKind::InvalidToken | ErrorKind::Base64(_) | ErrorKind::Utf8(_) => {
            "img is not a compact JWT (header.payload.signature)".to_owned()
        }
        ErrorKind::InvalidSignature => {
            "img JWT: signature does not verify with the local liveness key".to_owned()
        }
        ErrorKind::InvalidAlgorithm => "img JWT: must be signed with HS256".to_owned(),
        ErrorKind::ExpiredSignature => "img JWT: token has expired (exp)".to_owned(),
        ErrorKind::InvalidIssuer => format!("img JWT: iss must be {LIVENESS_ISSUER}"),
        ErrorKind::MissingRequiredClaim(claim) => format!("img JWT: the {claim} claim is missing"),
        ErrorKind::Json(err) => format!(
            "img JWT: payload is not the LUNA PASS shape \
             (isOk, errors, bestshot, details, iat, exp, iss): {err}"
        ),
        other => format!("img JWT rejected: {other:?}"),
    }
}
