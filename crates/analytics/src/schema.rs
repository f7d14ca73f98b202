//! The JSON Schema of an events file's line, generated from [`EventLine`]: what a bank's
//! tooling reads the files by. `humo-ident events-schema` prints it, and
//! `docs/events.schema.json` is a copy that a test keeps current.

use serde_json::Value;

use crate::event::EventLine;

/// The schema of one line.
pub fn schema() -> Value {
    let schema = schemars::SchemaGenerator::default().into_root_schema_for::<EventLine>();
    schema.to_value()
}

/// The named strings a line may carry: the only string types in the schema that are not a
/// fixed list of texts. Each is defined once (under `$defs`) with its pattern.
pub const NAMED_STRINGS: &[&str] = &["AppVersion", "CameraModel", "Code", "KioskId", "StepId"];

/// The string types of `schema` that are not a fixed list of texts (`enum`, `const`), by their
/// path in the schema.
pub fn open_strings(schema: &Value) -> Vec<String> {
    let mut found = Vec::new();
    walk(schema, "#", &mut found);
    found
}

fn walk(node: &Value, path: &str, found: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            let is_string = match map.get("type") {
                Some(Value::String(kind)) => kind == "string",
                Some(Value::Array(kinds)) => kinds.iter().any(|kind| kind == "string"),
                _ => false,
            };
            let fixed = map.contains_key("enum") || map.contains_key("const");
            if is_string && !fixed {
                found.push(path.to_owned());
            }
            for (key, child) in map {
                walk(child, &format!("{path}/{key}"), found);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                walk(child, &format!("{path}/{index}"), found);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn no_field_of_a_line_can_carry_free_text() {
        let schema = schema();
        let mut named: Vec<String> = NAMED_STRINGS
            .iter()
            .map(|name| format!("#/$defs/{name}"))
            .collect();
        let mut open = open_strings(&schema);
        named.sort();
        open.sort();
        assert_eq!(open, named);
        for name in NAMED_STRINGS {
            let definition = &schema["$defs"][name];
            assert!(
                definition["pattern"]
                    .as_str()
                    .is_some_and(|p| p.starts_with('^') && p.ends_with('$')),
                "{name}"
            );
            assert!(
                definition["maxLength"]
                    .as_u64()
                    .is_some_and(|max| max <= 64),
                "{name}"
            );
        }
        // The schema reaches every event: each is a `const` of its type's name.
        let text = schema.to_string();
        for event in [
            "identification-started",
            "identification-ended",
            "screen-reached",
            "photo-taken",
            "retake",
            "bank-refused",
            "network-retry",
            "liveness-refused",
        ] {
            assert!(text.contains(&format!("\"{event}\"")), "{event} is missing");
        }
    }

    #[test]
    fn the_walk_finds_an_open_string_wherever_it_is() {
        let schema = json!({"properties": {"a": {"anyOf": [{"type": "null"}, {"type": "string"}]},
            "b": {"type": ["string", "null"], "pattern": "^x$"},
            "c": {"type": "string", "enum": ["x"]},
            "d": {"items": {"type": "string", "const": "y"}}}});
        assert_eq!(
            open_strings(&schema),
            ["#/properties/a/anyOf/1", "#/properties/b"]
        );
    }

    #[test]
    fn the_documented_schema_is_the_generated_one() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/events.schema.json");
        let generated = serde_json::to_string_pretty(&schema()).unwrap() + "\n";
        if std::env::var_os("UPDATE_SCHEMA").is_some() {
            std::fs::write(path, &generated).unwrap();
        }
        let written = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            written == generated,
            "docs/events.schema.json is not the schema the types give: \
             run `UPDATE_SCHEMA=1 cargo test -p humo-ident-analytics` and commit it"
        );
    }
}
