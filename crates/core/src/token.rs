//! The access token, kept out of every log, event and file by its type.

use std::fmt;

use reqwest::header::HeaderValue;
use zeroize::Zeroizing;

/// The Bearer token the presign call returns.
///
/// It never leaves the process that made the call: it has no `Serialize`, its `Debug` and
/// `Display` print `***`, its header value is marked sensitive, and its memory is wiped on drop.
#[derive(Clone)]
pub struct AccessToken(Zeroizing<String>);

impl AccessToken {
    pub(crate) fn new(token: String) -> Self {
        AccessToken(Zeroizing::new(token))
    }

    /// The `Authorization` header value, flagged so that HTTP tooling never prints it.
    pub(crate) fn bearer_header(&self) -> Option<HeaderValue> {
        let mut value = HeaderValue::from_str(&format!("Bearer {}", self.0.as_str())).ok()?;
        value.set_sensitive(true);
        Some(value)
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_never_prints() {
        let token = AccessToken::new("s3cr3t-token".into());
        assert_eq!(format!("{token}"), "***");
        assert_eq!(format!("{token:?}"), "***");
        let header = token.bearer_header().unwrap();
        assert!(header.is_sensitive());
        assert!(!format!("{header:?}").contains("s3cr3t"));
    }
}
