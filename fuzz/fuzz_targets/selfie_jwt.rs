//! The selfie token: what the LUNA PASS script hands to the app (a compact JWT), read by
//! `SelfieJwt::parse` and its payload by `SelfieJwt::payload`, leniently.
//!
//! Beyond "no panic" it asserts that an accepted token is the trimmed text, three dot-separated
//! parts, and that its `Debug` shows only its size (it carries a face).
#![no_main]

use humo_ident_core::liveness::SelfieJwt;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(jwt) = SelfieJwt::parse(text) else {
        return;
    };
    assert_eq!(jwt.as_str(), text.trim());
    assert_eq!(jwt.as_str().split('.').count(), 3);
    assert_eq!(
        format!("{jwt:?}"),
        format!("SelfieJwt({} bytes)", jwt.as_str().len())
    );
    if let Ok(payload) = jwt.payload() {
        let _ = serde_json::to_string(&payload);
    }
});
