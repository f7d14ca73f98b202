//! Checks a selfie JWT: LUNA PASS's payload shape, signed either HS256 with the key the
//! emulator shares with the app's `local` provider, or RS256 by the emulator's LUNA PASS
//! double. The header's `alg` picks the key; each key verifies its own algorithm only, so a
//! token cannot pass by claiming the other one.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::de::IgnoredAny;
use serde::Deserialize;

use crate::config::{LIVENESS_ISSUER, LUNA_PASS_ISSUER};
use crate::jpeg;
use crate::luna_pass::key;

const NOT_A_JWT: &str = "img is not a compact JWT (header.payload.signature)";

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

#[derive(Deserialize)]
struct JoseHeader {
    alg: String,
}

/// Who must have signed a token of a given `alg`, for checking and for error messages.
struct Signer<'a> {
    algorithm: Algorithm,
    issuer: &'static str,
    key: &'a DecodingKey,
    name: &'static str,
}

/// The header's `alg`, read before anything is verified so the right key can be chosen
/// (and a test told which provider the client used).
pub(crate) fn algorithm(token: &str) -> Result<String, String> {
    let mut segments = token.split('.');
    let header = segments.next().unwrap_or_default();
    if segments.count() != 2 {
        return Err(NOT_A_JWT.to_owned());
    }
    let json = URL_SAFE_NO_PAD
        .decode(header.as_bytes())
        .map_err(|_| NOT_A_JWT.to_owned())?;
    serde_json::from_slice::<JoseHeader>(&json)
        .map(|header| header.alg)
        .map_err(|err| format!("img JWT: the header is not JSON with an alg: {err}"))
}

/// Verifies `token` and its best shot; the error says what a developer should fix.
/// CPU-bound (it decodes an image, and the first RS256 token waits for the key to be made):
/// call it off the async threads.
pub(crate) fn verify(token: &str, local_key: &[u8]) -> Result<Verdict, String> {
    let local;
    let signer = match algorithm(token)?.as_str() {
        "HS256" => {
            local = DecodingKey::from_secret(local_key);
            Signer {
                algorithm: Algorithm::HS256,
                issuer: LIVENESS_ISSUER,
                key: &local,
                name: "the local liveness key",
            }
        }
        "RS256" => Signer {
            algorithm: Algorithm::RS256,
            issuer: LUNA_PASS_ISSUER,
            key: key::get().decoding(),
            name: "the emulator's LUNA PASS key (GET /luna-pass/public-key.pem)",
        },
        other => {
            return Err(format!(
                "img JWT: alg {other:?} is not accepted; sign HS256 (the local provider) or \
                 RS256 (the LUNA PASS double)"
            ))
        }
    };
    let mut validation = Validation::new(signer.algorithm);
    validation.leeway = 0;
    validation.set_issuer(&[signer.issuer]);
    validation.set_required_spec_claims(&["exp", "iss"]);
    let data = jsonwebtoken::decode::<Claims>(token, signer.key, &validation)
        .map_err(|err| explain(err.kind(), &signer))?;
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

fn explain(kind: &ErrorKind, signer: &Signer) -> String {
    match kind {
        ErrorKind::InvalidToken | ErrorKind::Base64(_) | ErrorKind::Utf8(_) => NOT_A_JWT.to_owned(),
        ErrorKind::InvalidSignature => {
            format!("img JWT: signature does not verify with {}", signer.name)
        }
        ErrorKind::InvalidAlgorithm => {
            format!("img JWT: must be signed with {:?}", signer.algorithm)
        }
        ErrorKind::ExpiredSignature => "img JWT: token has expired (exp)".to_owned(),
        ErrorKind::InvalidIssuer => format!("img JWT: iss must be {}", signer.issuer),
        ErrorKind::MissingRequiredClaim(claim) => format!("img JWT: the {claim} claim is missing"),
        ErrorKind::Json(err) => format!(
            "img JWT: payload is not the LUNA PASS shape \
             (isOk, errors, bestshot, details, iat, exp, iss): {err}"
        ),
        other => format!("img JWT rejected: {other:?}"),
    }
}
