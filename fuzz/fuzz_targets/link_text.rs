//! Text that may name an identification: what a person types or pastes, what the operating
//! system hands over as a deep link, a program's argument, and a scanned QR code's text (the
//! camera's `read_codes` hands each decoded string to `LinkPolicy::key_from_link` unchanged).
//!
//! Beyond "no panic" it asserts:
//! - a parsed key prints in the canonical form (36 characters, lower case) and parses back to
//!   itself, and its `Debug` never shows more than the first block;
//! - a deep link is a stricter form of a link: whatever `from_deep_link` accepts, `from_link`
//!   accepts with the same key;
//! - the policy only narrows `from_link`, and a web link it accepts is `https` on a trusted host;
//! - a home page it lets the system open is `https` on a trusted host without credentials, or
//!   one of the named app schemes;
//! - a taxpayer number is the trimmed input, nine ASCII digits.
#![no_main]

use std::sync::OnceLock;

use humo_ident_core::config::Config;
use humo_ident_core::input::{PresignKey, TaxNumber};
use humo_ident_core::links::LinkPolicy;
use libfuzzer_sys::fuzz_target;

fn policy() -> &'static LinkPolicy {
    static POLICY: OnceLock<LinkPolicy> = OnceLock::new();
    POLICY.get_or_init(|| {
        let config = Config::from_toml(
            r#"
            [api]
            base-url = "https://crm.humo.tj/gw"
            [links]
            hosts = ["id.humo.tj", "*.humo-online.tj"]
            app-schemes = ["humoOnline", "humo-ident"]
            "#,
        )
        .expect("the policy's configuration");
        LinkPolicy::from_config(&config)
    })
}

const TRUSTED: &[&str] = &["crm.humo.tj", "id.humo.tj"];

fn trusted(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    TRUSTED.contains(&host.as_str()) || host.ends_with(".humo-online.tj")
}

fn check_key(key: &PresignKey) {
    let text = key.to_string();
    assert_eq!(text.len(), 36);
    assert_eq!(text, text.to_ascii_lowercase());
    assert_eq!(key.as_hyphenated(), text);
    assert_eq!(&PresignKey::parse(&text).expect("a key's own text"), key);
    let debug = format!("{key:?}");
    assert!(!debug.contains(&text[9..]), "{debug}");
}

fuzz_target!(|data: &[u8]| {
    // A QR code's text is a Rust string: rqrr decodes to UTF-8 (lossily for other encodings).
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();

    let bare = PresignKey::parse(text);
    if let Ok(key) = &bare {
        check_key(key);
    }

    let link = PresignKey::from_link(text);
    if let Ok(key) = &link {
        check_key(key);
    }
    if let Ok(key) = &bare {
        assert_eq!(link.as_ref().ok(), Some(key), "a bare key is a link");
    }

    let deep = PresignKey::from_deep_link(text);
    if let Ok(key) = &deep {
        check_key(key);
        assert_eq!(link.as_ref().ok(), Some(key), "a deep link is a link");
    }

    let policy = policy();
    match policy.key_from_link(text) {
        Ok(key) => {
            assert_eq!(link.as_ref().ok(), Some(&key), "the policy only narrows");
            if let Ok(url) = url::Url::parse(text.trim()) {
                if matches!(url.scheme(), "http" | "https") {
                    assert_eq!(url.scheme(), "https", "{text}");
                    assert!(trusted(url.host_str().unwrap_or_default()), "{text}");
                }
            }
        }
        Err(_) => {}
    }

    if policy.may_open_home_page(text) {
        let url = url::Url::parse(text).expect("an opened page is a URL");
        match url.scheme() {
            "https" => {
                assert!(
                    url.username().is_empty() && url.password().is_none(),
                    "{text}"
                );
                assert!(trusted(url.host_str().unwrap_or_default()), "{text}");
            }
            scheme => assert!(
                ["humoonline", "humo-ident"].contains(&scheme),
                "{text}: {scheme}"
            ),
        }
    }

    if let Ok(number) = TaxNumber::parse(text) {
        assert_eq!(number.as_str(), text.trim());
        assert_eq!(number.as_str().len(), TaxNumber::LEN);
        assert!(number.as_str().bytes().all(|b| b.is_ascii_digit()));
        let _ = format!("{number:?}");
    }
});
