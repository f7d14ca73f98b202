//! The strings an event may carry. Each is made only through `parse`, which holds it to its
//! pattern, and the schema states the same pattern: a version, a kiosk's id, a step's id from
//! the configuration, a camera's model, and a code (the bank's or LUNA PASS's, in capitals).
//! None can hold a sentence, so none can hold what the bank's server or a person wrote.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Declares a string held to `pattern` (anchored) and at most `max` characters.
macro_rules! named_string {
    ($(#[$meta:meta])* $name:ident, $pattern:literal, $max:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// What every value matches.
            pub const PATTERN: &'static str = $pattern;
            /// The most characters a value has.
            pub const MAX_CHARS: usize = $max;

            /// `text` if it matches the pattern.
            pub fn parse(text: &str) -> Option<$name> {
                static PATTERN: LazyLock<Regex> =
                    LazyLock::new(|| Regex::new($pattern).expect("a valid pattern"));
                (text.chars().count() <= $max && PATTERN.is_match(text))
                    .then(|| $name(text.to_owned()))
            }

            /// The value.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, to: S) -> Result<S::Ok, S::Error> {
                to.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(from: D) -> Result<Self, D::Error> {
                let text = Cow::<'de, str>::deserialize(from)?;
                $name::parse(&text).ok_or_else(|| {
                    serde::de::Error::custom(concat!("not a ", stringify!($name)))
                })
            }
        }

        impl JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                Cow::Borrowed(stringify!($name))
            }

            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!({
                    "type": "string",
                    "pattern": $pattern,
                    "maxLength": $max,
                })
            }
        }
    };
}

named_string! {
    /// The app's version, as Cargo has it (`1.4.0`, `1.5.0-rc.1`).
    AppVersion, r"^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.]+)?$", 32
}

named_string! {
    /// A kiosk's id, from the machine's file (`[kiosk] id`): the bank's name for the machine.
    KioskId, r"^[A-Za-z0-9][A-Za-z0-9._-]*$", 64
}

named_string! {
    /// A step's id from the flow's configuration (`front`, `back`, `selfie`, …).
    StepId, r"^[a-z0-9][a-z0-9_-]*$", 32
}

named_string! {
    /// A camera's model as the system names it ("HD Pro Webcam C920"), never its serial
    /// number: made by [`CameraModel::from_device_name`].
    CameraModel, r"^[A-Za-z0-9][A-Za-z0-9 ._+-]*$", 64
}

named_string! {
    /// A code in capitals (`DOCUMENT_NOT_RECOGNISED`, `TOO_DARK`): the bank's reason for a
    /// refusal, or LUNA PASS's for a liveness check that did not pass.
    Code, r"^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$", 48
}

impl CameraModel {
    /// The model from the name the system gives a camera: what follows a serial-number
    /// marker or a `#` goes, and so does what is in brackets (a port, an instance, a scene);
    /// characters outside the pattern become spaces. None when nothing is left.
    pub fn from_device_name(name: &str) -> Option<CameraModel> {
        let mut depth = 0usize;
        let name: String = name
            .chars()
            .filter(|c| {
                match c {
                    '(' | '[' => depth += 1,
                    ')' | ']' => depth = depth.saturating_sub(1),
                    _ => return depth == 0,
                }
                false
            })
            .collect();
        let lower = name.to_ascii_lowercase();
        let cut = ["serial", "s/n", "sn:", " sn ", "#", "usb\\", "\\\\?\\"]
            .iter()
            .filter_map(|marker| lower.find(marker))
            .min()
            .unwrap_or(name.len());
        let kept: String = name[..cut]
            .chars()
            .map(|c| match c {
                'A'..='Z' | 'a'..='z' | '0'..='9' | ' ' | '.' | '_' | '+' | '-' => c,
                _ => ' ',
            })
            .collect();
        let words: Vec<&str> = kept.split_whitespace().collect();
        let mut model = words.join(" ");
        model.truncate(CameraModel::MAX_CHARS);
        let model = model
            .trim_end()
            .trim_start_matches(|c: char| !c.is_ascii_alphanumeric());
        CameraModel::parse(model)
    }
}

impl StepId {
    /// The id of a step as the configuration names it, or `step-N` for an id outside the
    /// pattern (the configuration allows more than events do).
    pub fn of_step(id: &str, index: usize) -> StepId {
        StepId::parse(id).unwrap_or_else(|| StepId(format!("step-{index}")))
    }
}

impl Code {
    /// The refusal's code in a rejected task's `result`, where the bank put one: the first of
    /// `code`, `error_code`, `errorCode` and `error` that is a code. The reason's sentence is
    /// never taken.
    pub fn in_result(result: &serde_json::Value) -> Option<Code> {
        ["code", "error_code", "errorCode", "error"]
            .iter()
            .filter_map(|key| result.get(key)?.as_str())
            .find_map(Code::parse)
    }
}

impl AppVersion {
    /// This build's version.
    pub fn current() -> AppVersion {
        AppVersion::parse(env!("CARGO_PKG_VERSION")).expect("Cargo's version is a version")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_sentence_is_no_code_and_no_step() {
        assert!(Code::parse("DOCUMENT_NOT_RECOGNISED").is_some());
        assert!(Code::parse("TOO_DARK").is_some());
        for text in [
            "The document is blurred",
            "ivanov",
            "A B",
            "",
            "_X",
            "X__Y",
            "123456789",
        ] {
            assert_eq!(Code::parse(text), None, "{text}");
        }
        assert!(StepId::parse("front").is_some());
        assert_eq!(StepId::parse("Front side"), None);
        assert_eq!(StepId::of_step("Front side", 0).as_str(), "step-0");
        assert_eq!(Code::parse(&"A".repeat(49)), None);
    }

    #[test]
    fn the_banks_code_is_taken_and_its_sentence_is_not() {
        let result =
            json!({"error": "DOCUMENT_NOT_RECOGNISED", "message": "Ivanov's card is blurred"});
        assert_eq!(
            Code::in_result(&result).unwrap().as_str(),
            "DOCUMENT_NOT_RECOGNISED"
        );
        let result = json!({"error": "Ivanov's card is blurred", "code": 7});
        assert_eq!(Code::in_result(&result), None);
        assert_eq!(Code::in_result(&json!("FAILURE")), None);
    }

    #[test]
    fn a_cameras_model_keeps_no_serial_number() {
        let model = |name: &str| CameraModel::from_device_name(name).map(|m| m.0);
        assert_eq!(
            model("HD Pro Webcam C920").as_deref(),
            Some("HD Pro Webcam C920")
        );
        assert_eq!(
            model("Integrated Camera: Integrated C").as_deref(),
            Some("Integrated Camera Integrated C")
        );
        assert_eq!(
            model("USB Camera serial 0001234").as_deref(),
            Some("USB Camera")
        );
        assert_eq!(model("Logitech Brio #2").as_deref(), Some("Logitech Brio"));
        assert_eq!(
            model("Document Camera SN 12345").as_deref(),
            Some("Document Camera")
        );
        assert_eq!(
            model("Synthetic camera (ID card, front)").as_deref(),
            Some("Synthetic camera")
        );
        assert_eq!(
            model("Webcam [usb-0000:00:14.0-1]").as_deref(),
            Some("Webcam")
        );
        assert_eq!(model("Камера").as_deref(), None);
        assert_eq!(model(&"a".repeat(100)).map(|m| m.len()), Some(64));
    }

    #[test]
    fn a_line_that_breaks_a_pattern_is_not_read() {
        assert!(serde_json::from_value::<Code>(json!("TOO_DARK")).is_ok());
        assert!(serde_json::from_value::<Code>(json!("too dark")).is_err());
        assert!(serde_json::from_value::<KioskId>(json!("dushanbe-07")).is_ok());
        assert!(serde_json::from_value::<KioskId>(json!("Ivan's kiosk")).is_err());
    }
}
