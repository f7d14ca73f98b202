//! What a support bundle leaves out of the configuration: the value of any setting whose name
//! says it is a secret, and the user name, password and query of any address.

use toml::{Table, Value};

/// What a redacted value becomes.
pub const REDACTED: &str = "REDACTED";

/// Words in a setting's name that make its value a secret (`public-key` and `pin-sha256` are
/// public, and stay).
const SECRET_WORDS: &[&str] = &[
    "secret",
    "token",
    "password",
    "passwd",
    "private",
    "credential",
    "auth",
    "api-key",
    "apikey",
    "cookie",
];

/// Redacts `table` in place.
pub fn redact_table(table: &mut Table) {
    for (name, value) in table.iter_mut() {
        redact_value(name, value);
    }
}

fn redact_value(name: &str, value: &mut Value) {
    let lower = name.to_ascii_lowercase();
    if SECRET_WORDS.iter().any(|word| lower.contains(word)) {
        *value = Value::String(REDACTED.to_owned());
        return;
    }
    match value {
        Value::String(text) => *text = redact_text(text),
        Value::Table(table) => redact_table(table),
        Value::Array(items) => {
            for item in items {
                redact_value(name, item);
            }
        }
        _ => {}
    }
}

/// `text` with every address in it stripped of its user name, password and query.
pub fn redact_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("://") {
        let scheme_start = rest[..start]
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
            .map_or(0, |at| at + 1);
        let end = rest[start..]
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '`' | '<' | '>'))
            .map_or(rest.len(), |at| start + at);
        out.push_str(&rest[..scheme_start]);
        let address = &rest[scheme_start..end];
        out.push_str(&redact_address(address));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn redact_address(address: &str) -> String {
    let Ok(mut url) = url::Url::parse(address) else {
        return address.to_owned();
    };
    let mut changed = false;
    if !url.username().is_empty() || url.password().is_some() {
        let _ = url.set_username(REDACTED);
        let _ = url.set_password(None);
        changed = true;
    }
    if url.query().is_some() {
        url.set_query(Some(REDACTED));
        changed = true;
    }
    if url.fragment().is_some() {
        url.set_fragment(None);
        changed = true;
    }
    match changed {
        true => url.to_string(),
        false => address.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_and_credentials_go_and_public_keys_stay() {
        let mut table: Table = r#"
            [api]
            base-url = "https://clerk:hunter2@crm.bank.example/api?session=abc#x"
            pin-sha256 = ["47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="]
            client-secret = "s3cr3t"
            [updates]
            public-key = "RWQ..."
            endpoint = "https://updates.bank.example/{{target}}/{{current_version}}"
            [[extra]]
            auth-header = ["Bearer xyz"]
        "#
        .parse()
        .unwrap();
        redact_table(&mut table);
        let text = toml::to_string(&table).unwrap();
        for secret in ["hunter2", "clerk", "session=abc", "s3cr3t", "xyz"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
        assert!(text.contains("crm.bank.example/api"), "{text}");
        assert!(text.contains("47DEQpj8HBSa"), "{text}");
        assert!(text.contains("RWQ..."), "{text}");
        assert!(text.contains("updates.bank.example"), "{text}");
    }

    #[test]
    fn addresses_in_a_sentence_are_stripped_too() {
        let text =
            "api.base-url: \"https://a:b@bank.example/?k=1\" is not https; see http://x.example";
        assert_eq!(
            redact_text(text),
            "api.base-url: \"https://REDACTED@bank.example/?REDACTED\" is not https; see http://x.example"
        );
    }
}
