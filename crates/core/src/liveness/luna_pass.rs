//! The `luna-pass` provider: the vendor's library does the check in the selfie screen and its
//! server signs the token; the app only reads the verdict and passes the token on unchanged.

use super::{LivenessProvider, LivenessProviderKind, SelfieEvidence, SelfieJwt};
use crate::error::Error;

/// The `luna-pass` provider. It holds nothing: the library's addresses are the screen's business
/// and the signature is the bank's to verify.
#[derive(Debug, Default, Clone, Copy)]
pub struct LunaPassLiveness;

impl LivenessProvider for LunaPassLiveness {
    fn kind(&self) -> LivenessProviderKind {
        LivenessProviderKind::LunaPass
    }

    fn selfie(&self, evidence: SelfieEvidence<'_>) -> Result<SelfieJwt, Error> {
        let SelfieEvidence::VendorToken(text) = evidence else {
            return Err(Error::InvalidSelfieToken(
                "LUNA PASS takes the selfie itself; a photo cannot stand in for its token".into(),
            ));
        };
        let token = SelfieJwt::parse(text)?;
        let payload = token.payload()?;
        if !payload.is_ok {
            return Err(Error::SelfieNotPassed(payload.errors));
        }
        Ok(token)
    }
}

#[cfg(test)]
mod tests {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;

    use super::*;

    fn token(payload: &str) -> String {
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256","typ":"JWT"}"#);
        let payload = URL_SAFE_NO_PAD.encode(payload);
        format!("{header}.{payload}.c2lnbmF0dXJl")
    }

    #[test]
    fn a_passing_token_goes_on_byte_for_byte() {
        let text = token(r#"{"isOk":true,"errors":[],"bestshot":"","details":{}}"#);
        let selfie = LunaPassLiveness
            .selfie(SelfieEvidence::VendorToken(&text))
            .unwrap();
        assert_eq!(selfie.as_str(), text);
    }

    #[test]
    fn a_failing_token_gives_its_errors() {
        let text = token(r#"{"isOk":false,"errors":["TOO_DARK","FACE_NOT_CENTERED"]}"#);
        match LunaPassLiveness.selfie(SelfieEvidence::VendorToken(&text)) {
            Err(Error::SelfieNotPassed(errors)) => {
                assert_eq!(errors, ["TOO_DARK", "FACE_NOT_CENTERED"])
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn garbage_and_photos_are_refused() {
        for bad in ["", "a.b.c", &token("[1]")] {
            assert!(LunaPassLiveness
                .selfie(SelfieEvidence::VendorToken(bad))
                .is_err());
        }
        assert!(LunaPassLiveness
            .selfie(SelfieEvidence::Photo(&[0xff, 0xd8]))
            .is_err());
    }
}
