//! Stable codes that a UI translates by: one list per enum, written once.

/// Declares a code enum: each variant with the text it is known by in JSON, logs and the UI.
///
/// The enum gets `ALL` (every code, for UIs that check they can translate each one), `as_str`
/// and `from_code`, `Serialize` and a TypeScript export (ts-rs) that is the union of the texts,
/// `Deserialize` from the same texts, and a JSON Schema (schemars) that lists them, for the
/// event files. The texts never
/// change once released. The calling crate depends on `serde` and `ts-rs`.
#[macro_export]
macro_rules! code_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident => $text:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, ts_rs::TS)]
        #[ts(export)]
        $vis enum $name {
            $( $(#[$variant_meta])* #[serde(rename = $text)] $variant, )+
        }

        impl $name {
            /// Every code, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The code whose text is `text`, if there is one.
            pub fn from_code(text: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|code| code.as_str() == text)
            }

            /// The code as it appears in JSON, logs and the UI.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $text, )+
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(from: D) -> Result<Self, D::Error> {
                let text = <::std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(from)?;
                $name::from_code(&text).ok_or_else(|| {
                    <D::Error as serde::de::Error>::unknown_variant(&text, &[$($text),+])
                })
            }
        }

        impl $crate::__private::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed(stringify!($name))
            }

            fn json_schema(
                _: &mut $crate::__private::schemars::SchemaGenerator,
            ) -> $crate::__private::schemars::Schema {
                $crate::__private::schemars::json_schema!({
                    "type": "string",
                    "enum": [$($text),+],
                })
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
