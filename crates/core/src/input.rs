//! Checked values typed by a person: the presign key and the taxpayer number.
//!
//! Both are validated when they are made, so the rest of the crate never sees a malformed one and
//! nothing is sent to the bank before the input is known to be well formed.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use crate::error::Error;

/// The key of an identification link: a UUID, kept in its canonical lower-case form.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PresignKey(uuid::Uuid);

impl PresignKey {
    /// Parses a bare key. Surrounding white space is ignored; anything else that is not a UUID is
    /// refused.
    pub fn parse(text: &str) -> Result<Self, Error> {
        let text = text.trim();
        // `Uuid::parse_str` also takes braced and URN forms; a link key is only ever the plain form.
        if text.len() != 36 {
            return Err(Error::InvalidKey(
                "expected a key like 05a4ce19-de3c-4d2c-a464-7356dbdbd107".into(),
            ));
        }
        uuid::Uuid::parse_str(text).map(PresignKey).map_err(|_| {
            Error::InvalidKey("expected a key like 05a4ce19-de3c-4d2c-a464-7356dbdbd107".into())
        })
    }

    /// Reads the key from whatever a person pasted or a program passed: a bare key, an app link
    /// (`humo-ident://open?key=KEY`, `humo-ident://open/KEY`, `humo-ident://KEY`), or a web link
    /// whose `key` (or `presign_key`) parameter or last path segment is the key.
    ///
    /// Anything else is refused, as is a link that names two different keys.
    pub fn from_link(text: &str) -> Result<Self, Error> {
        let text = text.trim();
        if let Ok(key) = PresignKey::parse(text) {
            return Ok(key);
        }
        let url = url::Url::parse(text).map_err(|_| not_a_link())?;
        match url.scheme() {
            APP_SCHEME => PresignKey::from_app_link(&url),
            "https" | "http" => {
                let from_path = url
                    .path_segments()
                    .and_then(|mut segments| segments.rfind(|s| !s.is_empty()))
                    .and_then(|last| PresignKey::parse(last).ok());
                one_key(query_keys(&url).into_iter().chain(from_path))
            }
            _ => Err(not_a_link()),
        }
    }

    /// Reads the key from an app link (`humo-ident:`) only: what the operating system hands over
    /// when a link is opened. The form is strict: no other host, path, or parameter is accepted.
    pub fn from_deep_link(text: &str) -> Result<Self, Error> {
        let url = url::Url::parse(text.trim()).map_err(|_| not_a_link())?;
        if url.scheme() != APP_SCHEME {
            return Err(not_a_link());
        }
        PresignKey::from_app_link(&url)
    }

    fn from_app_link(url: &url::Url) -> Result<Self, Error> {
        if url.username() != "" || url.password().is_some() || url.port().is_some() {
            return Err(not_a_link());
        }
        if url.fragment().is_some() {
            return Err(not_a_link());
        }
        let host = url.host_str().unwrap_or_default();
        let path = url.path().trim_matches('/');
        let query: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        match (host, path, query.as_slice()) {
            ("open", "", [(name, key)]) if name == "key" => PresignKey::parse(key),
            ("open", key, []) if !key.contains('/') => PresignKey::parse(key),
            (key, "", []) => PresignKey::parse(key),
            _ => Err(not_a_link()),
        }
    }

    /// The key as sent to the bank.
    pub fn as_hyphenated(&self) -> String {
        self.0.hyphenated().to_string()
    }
}

/// The URL scheme the app registers for its links.
pub const APP_SCHEME: &str = "humo-ident";

fn not_a_link() -> Error {
    Error::InvalidKey(
        "expected a link from the bank, or a key like 05a4ce19-de3c-4d2c-a464-7356dbdbd107".into(),
    )
}

fn query_keys(url: &url::Url) -> Vec<PresignKey> {
    url.query_pairs()
        .filter(|(name, _)| matches!(name.as_ref(), "key" | "presign_key" | "presignKey"))
        .filter_map(|(_, value)| PresignKey::parse(&value).ok())
        .collect()
}

/// The one key that a link names, however many times it names it.
fn one_key(found: impl Iterator<Item = PresignKey>) -> Result<PresignKey, Error> {
    let mut key: Option<PresignKey> = None;
    for candidate in found {
        match &key {
            Some(known) if *known != candidate => {
                return Err(Error::InvalidKey(
                    "the link names two different keys".into(),
                ))
            }
            _ => key = Some(candidate),
        }
    }
    key.ok_or_else(not_a_link)
}

impl FromStr for PresignKey {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        PresignKey::parse(s)
    }
}

impl fmt::Display for PresignKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0.hyphenated(), f)
    }
}

/// Only the first block is shown: the key is a credential for the presign call.
impl fmt::Debug for PresignKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.as_hyphenated();
        write!(f, "PresignKey({}-…)", &text[..8])
    }
}

/// A Tajik taxpayer number (ИНН / РМА): exactly nine ASCII digits. No checksum is published,
/// so none is checked.
#[derive(Clone, PartialEq, Eq, Hash, Serialize)]
pub struct TaxNumber(String);

impl TaxNumber {
    /// The number of digits a taxpayer number has.
    pub const LEN: usize = 9;

    /// Parses a taxpayer number; surrounding white space is ignored.
    pub fn parse(text: &str) -> Result<Self, Error> {
        let text = text.trim();
        if text.len() == Self::LEN && text.bytes().all(|b| b.is_ascii_digit()) {
            Ok(TaxNumber(text.to_owned()))
        } else {
            Err(Error::InvalidTaxNumber)
        }
    }

    /// The digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for TaxNumber {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        TaxNumber::parse(s)
    }
}

impl fmt::Debug for TaxNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TaxNumber(…{})", &self.0[Self::LEN - 3..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn key_is_canonicalised() {
        let key = PresignKey::parse(" 05A4CE19-DE3C-4D2C-A464-7356DBDBD107\n").unwrap();
        assert_eq!(key.to_string(), "05a4ce19-de3c-4d2c-a464-7356dbdbd107");
        assert!(!format!("{key:?}").contains("7356dbdbd107"));
    }

    #[test]
    fn non_uuid_keys_are_refused() {
        for bad in [
            "",
            "not-a-key",
            "05a4ce19de3c4d2ca4647356dbdbd107",
            "{05a4ce19-de3c-4d2c-a464-7356dbdbd107}",
            "05a4ce19-de3c-4d2c-a464-7356dbdbd10g",
            "../../admin",
        ] {
            assert!(
                matches!(PresignKey::parse(bad), Err(Error::InvalidKey(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn keys_are_read_from_links() {
        let key = "05a4ce19-de3c-4d2c-a464-7356dbdbd107";
        for link in [
            key.to_owned(),
            format!("humo-ident://open?key={key}"),
            format!("humo-ident://open/{key}"),
            format!("humo-ident://{key}"),
            format!("https://bank.example/ident?key={key}"),
            format!("https://bank.example/ident/{key}/"),
            format!("https://bank.example/ident/{key}?presign_key={key}"),
            format!("  http://10.0.0.5/link/presign/{key}\n"),
        ] {
            assert_eq!(
                PresignKey::from_link(&link).unwrap().to_string(),
                key,
                "{link}"
            );
        }
    }

    #[test]
    fn links_without_exactly_one_key_are_refused() {
        let key = "05a4ce19-de3c-4d2c-a464-7356dbdbd107";
        let other = "5b0c3f5e-7a51-4a43-9d55-3f0f2b6e8c21";
        for link in [
            "https://bank.example/ident".to_owned(),
            format!("https://bank.example/{key}?key={other}"),
            format!("ftp://bank.example/{key}"),
            format!("javascript:alert('{key}')"),
            format!("file:///tmp/{key}"),
            format!("humo-ident://open?key={key}&next=https://evil.example"),
            format!("humo-ident://evil/{key}"),
            format!("humo-ident://open/{key}/more"),
            format!("humo-ident://user@open?key={key}"),
            format!("humo-ident://open?key={key}#x"),
        ] {
            assert!(
                matches!(PresignKey::from_link(&link), Err(Error::InvalidKey(_))),
                "{link}"
            );
        }
    }

    #[test]
    fn deep_links_take_only_the_app_scheme() {
        let key = "05a4ce19-de3c-4d2c-a464-7356dbdbd107";
        assert!(PresignKey::from_deep_link(&format!("humo-ident://open?key={key}")).is_ok());
        assert!(PresignKey::from_deep_link(key).is_err());
        assert!(PresignKey::from_deep_link(&format!("https://bank.example/{key}")).is_err());
    }

    #[test]
    fn tax_number_is_nine_digits() {
        assert_eq!(TaxNumber::parse("020025789").unwrap().as_str(), "020025789");
        for bad in [
            "",
            "02002578",
            "0200257890",
            "02002578a",
            "٠٢٠٠٢٥٧٨٩",
            "020 025 789",
        ] {
            assert!(TaxNumber::parse(bad).is_err(), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn any_nine_digits_parse(digits in "[0-9]{9}") {
            let parsed = TaxNumber::parse(&digits).unwrap();
            prop_assert_eq!(parsed.as_str(), digits.as_str());
        }

        #[test]
        fn link_parsing_never_panics(text in "\\PC{0,80}") {
            let _ = PresignKey::from_link(&text);
            let _ = PresignKey::from_deep_link(&text);
        }

        #[test]
        fn key_parsing_never_panics_and_round_trips(text in "\\PC{0,40}") {
            if let Ok(key) = PresignKey::parse(&text) {
                prop_assert_eq!(PresignKey::parse(&key.to_string()).unwrap(), key);
            }
        }
    }
}
