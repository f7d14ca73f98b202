//! Reads the `#[tauri::command]` functions of a source file, and writes what each takes and
//! answers as the TypeScript the UI's backend calls them through (`Commands`).
//!
//! Tauri passes a command's arguments by their names in camelCase and answers with the `Ok` of
//! its `Result` (the `Err` is the UI's error). Only the types that cross the boundary are
//! mapped: primitives, `Option`, `Vec`, a `Channel`, a raw `Request` body, and the named types
//! exported by ts-rs to `ui/src/lib/bindings/`. Any other type stops the build and says so.

/// One command: its name, the arguments the UI passes, and what it answers.
pub struct Command {
    pub name: String,
    /// `(name, Rust type)` of each argument the UI gives; what Tauri injects is left out.
    pub args: Vec<(String, String)>,
    /// The command takes the request's raw body (`Request<'_>`) instead of named arguments.
    pub raw_body: bool,
    /// The Rust type it answers with, `Ok`'s for a `Result`; `None` for nothing.
    pub reply: Option<String>,
}

/// Arguments Tauri fills in itself, by their types' names.
const INJECTED: [&str; 5] = ["State", "AppHandle", "Window", "Webview", "WebviewWindow"];

/// The commands of `source`, in order: each function after a line that is `#[tauri::command]`.
pub fn commands(source: &str) -> Vec<Command> {
    let mut commands = Vec::new();
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        offset += line.len();
        let line = line.trim();
        if line.starts_with("#[tauri::command(") {
            // `rename_all` would change the arguments' names from camelCase; `async` is unused.
            panic!("{line}: only a plain #[tauri::command] is read here (src-tauri/build/signatures.rs)");
        }
        if line != "#[tauri::command]" {
            continue;
        }
        let rest = &source[offset..];
        let fn_at = rest
            .find("fn ")
            .expect("a function follows #[tauri::command]");
        let body_at = rest[fn_at..].find('{').expect("a command has a body") + fn_at;
        commands.push(parse_signature(&rest[fn_at + 3..body_at]));
    }
    commands
}

/// `name<…>(arg: Type, …) -> Reply`, without the `fn ` before it.
fn parse_signature(signature: &str) -> Command {
    let name: String = signature
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    let open = name.len() + skip_generics(&signature[name.len()..]);
    let close = open + matching_close(&signature[open..]);
    let mut args = Vec::new();
    let mut raw_body = false;
    for arg in split_top_level(&signature[open + 1..close]) {
        let (arg_name, rust_type) = arg
            .split_once(':')
            .unwrap_or_else(|| panic!("command {name}: cannot read the argument {arg:?}"));
        let rust_type = rust_type.trim();
        let type_name = rust_type.split('<').next().unwrap_or(rust_type).trim();
        let arg_name = arg_name.trim();
        let arg_name = arg_name.strip_prefix("mut ").unwrap_or(arg_name).trim();
        if type_name == "Request" {
            raw_body = true;
        } else if !INJECTED.contains(&type_name) {
            args.push((arg_name.to_owned(), rust_type.to_owned()));
        }
    }
    assert!(
        !raw_body || args.is_empty(),
        "command {name} takes a raw body and named arguments"
    );
    let after = signature[close + 1..].trim();
    let reply = after.strip_prefix("->").map(|reply| {
        let reply = reply.split(" where ").next().unwrap_or(reply).trim();
        match reply.strip_prefix("Result") {
            Some("") => "()".to_owned(),
            Some(ok) => inside(ok.trim(), &name).to_owned(),
            None => reply.to_owned(),
        }
    });
    Command {
        name,
        args,
        raw_body,
        reply: reply.filter(|reply| reply != "()"),
    }
}

/// How many bytes a leading `<…>` takes (none when there is no generic list).
fn skip_generics(text: &str) -> usize {
    if text.starts_with('<') {
        matching_close(text) + 1
    } else {
        0
    }
}

/// Where the bracket that closes `text`'s first one is.
fn matching_close(text: &str) -> usize {
    let mut depth = 0;
    for (at, c) in text.char_indices() {
        match c {
            '(' | '<' => depth += 1,
            ')' | '>' => {
                depth -= 1;
                if depth == 0 {
                    return at;
                }
            }
            _ => {}
        }
    }
    panic!("unbalanced brackets in {text:?}")
}

/// `text`'s parts separated by commas outside brackets, without empty ones.
fn split_top_level(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (at, c) in text.char_indices() {
        match c {
            '(' | '<' => depth += 1,
            ')' | '>' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(text[start..at].trim());
                start = at + 1;
            }
            _ => {}
        }
    }
    parts.push(text[start..].trim());
    parts.into_iter().filter(|part| !part.is_empty()).collect()
}

/// `T` of `<T>`.
fn inside<'a>(generic: &'a str, command: &str) -> &'a str {
    generic
        .strip_prefix('<')
        .and_then(|rest| rest.strip_suffix('>'))
        .unwrap_or_else(|| panic!("command {command}: cannot read the type {generic:?}"))
        .trim()
}

/// The TypeScript of a Rust type that crosses the boundary; named types are added to `named`.
fn typescript(rust: &str, named: &mut std::collections::BTreeSet<String>, command: &str) -> String {
    let generic = |outer: &str| rust.strip_prefix(outer).map(|rest| inside(rest, command));
    if let Some(inner) = generic("Option") {
        return format!("{} | null", typescript(inner, named, command));
    }
    if let Some(inner) = generic("Vec") {
        let item = typescript(inner, named, command);
        return if item.contains(' ') {
            format!("({item})[]")
        } else {
            format!("{item}[]")
        };
    }
    if let Some(inner) = generic("Channel") {
        named.insert("Channel".to_owned());
        return format!("Channel<{}>", typescript(inner, named, command));
    }
    match rust {
        "String" | "&str" => "string".to_owned(),
        "bool" => "boolean".to_owned(),
        "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" | "f32" | "f64" => {
            "number".to_owned()
        }
        _ if rust.chars().all(|c| c.is_alphanumeric() || c == '_')
            && rust.starts_with(|c: char| c.is_ascii_uppercase()) =>
        {
            named.insert(rust.to_owned());
            rust.to_owned()
        }
        _ => panic!(
            "command {command}: the type {rust:?} has no TypeScript here \
             (src-tauri/build/signatures.rs maps the types that cross the boundary)"
        ),
    }
}

/// `tax_number` → `taxNumber`, as Tauri names a command's arguments.
fn camel_case(snake: &str) -> String {
    let mut parts = snake.split('_');
    let mut camel = parts.next().unwrap_or_default().to_owned();
    for part in parts {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            camel.extend(first.to_uppercase());
            camel.push_str(chars.as_str());
        }
    }
    camel
}

/// The TypeScript module of every command: `Commands[name]` is `{ args, reply }`, where `args`
/// is `null` for a command that takes none and `Uint8Array` for a raw body, and `reply` is
/// `void` for one that answers nothing.
pub fn typescript_module(commands: &[&Command]) -> String {
    let mut named = std::collections::BTreeSet::new();
    let mut entries = String::new();
    for command in commands {
        let args = if command.raw_body {
            "Uint8Array".to_owned()
        } else if command.args.is_empty() {
            "null".to_owned()
        } else {
            let fields: Vec<String> = command
                .args
                .iter()
                .map(|(name, rust)| {
                    format!(
                        "{}: {}",
                        camel_case(name),
                        typescript(rust, &mut named, &command.name)
                    )
                })
                .collect();
            format!("{{ {} }}", fields.join("; "))
        };
        let reply = match &command.reply {
            Some(rust) => typescript(rust, &mut named, &command.name),
            // Tauri answers `null`; the UI awaits it as nothing.
            None => "void".to_owned(),
        };
        entries.push_str(&format!(
            "  {}: {{ args: {args}; reply: {reply} }};\n",
            command.name
        ));
    }
    let mut imports = String::new();
    if named.remove("Channel") {
        imports.push_str("import type { Channel } from \"@tauri-apps/api/core\";\n");
    }
    for name in &named {
        imports.push_str(&format!("import type {{ {name} }} from \"./{name}\";\n"));
    }
    format!(
        "// Generated by `cargo test -p humo-ident-desktop` from the `#[tauri::command]` functions\n\
         // in src-tauri/src: what each command takes and answers. Do not edit.\n\n\
         {imports}\n\
         export type Commands = {{\n{entries}}};\n"
    )
}
