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

    /// The key as sent to the bank.
    pub fn as_hyphenated(&self) -> String {
        self.0.hyphenated().to_string()
    }
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
        fn key_parsing_never_panics_and_round_trips(text in "\\PC{0,40}") {
            if let Ok(key) = PresignKey::parse(&text) {
                prop_assert_eq!(PresignKey::parse(&key.to_string()).unwrap(), key);
            }
        }
    }
}
