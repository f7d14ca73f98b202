//! Reads the `#[tauri::command]` functions of the shell's sources with `syn`, and writes what
//! follows from them: the handler's list, and the TypeScript the UI calls them through.
//!
//! Tauri passes a command's arguments by their names in camelCase and answers with the `Ok` of
//! its `Result` (the `Err` is the UI's error). Only the types that cross the boundary are
//! mapped: primitives, `Option`, `Vec`, a `Channel`, a raw `Request` body, and the named types
//! ts-rs exports to `ui/src/lib/bindings/`. Any other type stops the build and says so.

use std::collections::BTreeSet;

use syn::{Attribute, FnArg, GenericArgument, Item, Pat, PathArguments, ReturnType, Type};

/// One command: where it is, what the UI passes, and what it answers.
pub struct Command {
    /// Its file, from `src-tauri/src` (`commands.rs`, `bench/mod.rs`).
    pub file: String,
    pub name: String,
    /// Its doc comment's lines.
    pub docs: Vec<String>,
    /// `(name, type)` of each argument the UI gives; what Tauri injects is left out.
    pub args: Vec<(String, Type)>,
    /// It takes the request's raw body (`Request<'_>`) instead of named arguments.
    pub raw_body: bool,
    /// The type it answers with, `Ok`'s for a `Result`; `None` for nothing.
    pub reply: Option<Type>,
}

/// Arguments Tauri fills in itself, by their types' names.
const INJECTED: [&str; 5] = ["State", "AppHandle", "Window", "Webview", "WebviewWindow"];

/// The commands of the Rust file `source` (at `file`), in order, modules inside it included.
pub fn read(file: &str, source: &str) -> Vec<Command> {
    let parsed = syn::parse_file(source)
        .unwrap_or_else(|e| panic!("src-tauri/src/{file} does not parse: {e}"));
    let mut commands = Vec::new();
    collect(file, &parsed.items, &mut commands);
    commands
}

fn collect(file: &str, items: &[Item], commands: &mut Vec<Command>) {
    for item in items {
        match item {
            Item::Fn(function) if is_command(&function.attrs, &function.sig.ident) => {
                commands.push(command(file, function));
            }
            Item::Mod(module) => {
                if let Some((_, items)) = &module.content {
                    collect(file, items, commands);
                }
            }
            _ => {}
        }
    }
}

/// Whether `attrs` hold a plain `#[tauri::command]`.
fn is_command(attrs: &[Attribute], name: &syn::Ident) -> bool {
    attrs.iter().any(|attr| {
        let path = attr.path();
        let is = path.segments.len() == 2
            && path.segments[0].ident == "tauri"
            && path.segments[1].ident == "command";
        // `rename_all` would change the arguments' names from camelCase.
        assert!(
            !is || matches!(attr.meta, syn::Meta::Path(_)),
            "command {name}: only a plain #[tauri::command] is read (src-tauri/build/commands.rs)"
        );
        is
    })
}

fn command(file: &str, function: &syn::ItemFn) -> Command {
    let name = function.sig.ident.to_string();
    let mut args = Vec::new();
    let mut raw_body = false;
    for input in &function.sig.inputs {
        let FnArg::Typed(typed) = input else {
            panic!("command {name} takes self");
        };
        let Pat::Ident(arg) = &*typed.pat else {
            panic!("command {name}: an argument is a pattern, not a name");
        };
        match last_segment(&typed.ty).as_deref() {
            Some("Request") => raw_body = true,
            Some(injected) if INJECTED.contains(&injected) => {}
            _ => args.push((arg.ident.to_string(), (*typed.ty).clone())),
        }
    }
    assert!(
        !raw_body || args.is_empty(),
        "command {name} takes a raw body and named arguments"
    );
    let reply = match &function.sig.output {
        ReturnType::Default => None,
        ReturnType::Type(_, reply) => match generic(reply, "Result") {
            // `Result` alone is the shell's alias: `Result<()>`.
            Some(args) => args.first().cloned().filter(|ok| !is_unit(ok)),
            None => Some((**reply).clone()).filter(|reply| !is_unit(reply)),
        },
    };
    Command {
        file: file.to_owned(),
        name,
        docs: docs(&function.attrs),
        args,
        raw_body,
        reply,
    }
}

/// The lines of a `///` comment.
fn docs(attrs: &[Attribute]) -> Vec<String> {
    attrs
        .iter()
        .filter_map(|attr| match &attr.meta {
            syn::Meta::NameValue(doc) if doc.path.is_ident("doc") => match &doc.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(text),
                    ..
                }) => Some(text.value().trim().to_owned()),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// The name of a path type's last segment (`State` of `tauri::State<'_, S>`).
fn last_segment(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// The type arguments of `ty` when it is `outer<…>` (empty for a bare `outer`).
fn generic(ty: &Type, outer: &str) -> Option<Vec<Type>> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != outer {
        return None;
    }
    Some(match &last.arguments {
        PathArguments::AngleBracketed(arguments) => arguments
            .args
            .iter()
            .filter_map(|argument| match argument {
                GenericArgument::Type(ty) => Some(ty.clone()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    })
}

fn is_unit(ty: &Type) -> bool {
    matches!(ty, Type::Tuple(tuple) if tuple.elems.is_empty())
}

/// The TypeScript of a type that crosses the boundary; named types are added to `named`.
fn typescript(ty: &Type, named: &mut BTreeSet<String>, command: &str) -> String {
    let no_typescript = || -> ! {
        panic!(
            "command {command}: the type {:?} has no TypeScript here \
             (src-tauri/build/commands.rs maps the types that cross the boundary)",
            quote::ToTokens::to_token_stream(ty).to_string()
        )
    };
    let one = |outer: &str| match generic(ty, outer) {
        Some(args) if args.len() == 1 => Some(args[0].clone()),
        Some(_) => no_typescript(),
        None => None,
    };
    if let Some(inner) = one("Option") {
        return format!("{} | null", typescript(&inner, named, command));
    }
    if let Some(inner) = one("Vec") {
        let item = typescript(&inner, named, command);
        return if item.contains(' ') {
            format!("({item})[]")
        } else {
            format!("{item}[]")
        };
    }
    if let Some(inner) = one("Channel") {
        named.insert("Channel".to_owned());
        return format!("Channel<{}>", typescript(&inner, named, command));
    }
    if let Type::Reference(reference) = ty {
        if last_segment(&reference.elem).as_deref() == Some("str") {
            return "string".to_owned();
        }
    }
    let Type::Path(path) = ty else {
        no_typescript()
    };
    let last = path.path.segments.last().expect("a path has a segment");
    if !matches!(last.arguments, PathArguments::None) {
        no_typescript();
    }
    let name = last.ident.to_string();
    match name.as_str() {
        "String" => "string".to_owned(),
        "bool" => "boolean".to_owned(),
        "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" | "f32" | "f64" => {
            "number".to_owned()
        }
        _ if name.starts_with(|c: char| c.is_ascii_uppercase()) => {
            named.insert(name.clone());
            name
        }
        _ => no_typescript(),
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

/// The TypeScript module of the commands:
/// - `Commands[name]` is `{ args, reply }`: `args` is `null` for a command that takes none and
///   `Uint8Array` for a raw body, `reply` is `void` for one that answers nothing;
/// - `AppCommands` has a method for each command of `app_file` (the app's handler's), named in
///   camelCase, its arguments in order, with the command's doc comment;
/// - `appCommands(call)` makes those methods from one function that sends a command.
pub fn typescript_module(commands: &[&Command], app_file: &str) -> String {
    let mut named = BTreeSet::new();
    let mut entries = String::new();
    let mut methods = String::new();
    let mut calls = String::new();
    for command in commands {
        let params: Vec<(String, String)> = if command.raw_body {
            vec![("body".to_owned(), "Uint8Array".to_owned())]
        } else {
            command
                .args
                .iter()
                .map(|(name, ty)| (camel_case(name), typescript(ty, &mut named, &command.name)))
                .collect()
        };
        let args = if command.raw_body {
            "Uint8Array".to_owned()
        } else if params.is_empty() {
            "null".to_owned()
        } else {
            let fields: Vec<String> = params.iter().map(|(n, t)| format!("{n}: {t}")).collect();
            format!("{{ {} }}", fields.join("; "))
        };
        let reply = match &command.reply {
            Some(ty) => typescript(ty, &mut named, &command.name),
            // Tauri answers `null`; the UI awaits it as nothing.
            None => "void".to_owned(),
        };
        entries.push_str(&format!(
            "  {}: {{ args: {args}; reply: {reply} }};\n",
            command.name
        ));
        if command.file != app_file {
            continue;
        }
        let method = camel_case(&command.name);
        if !command.docs.is_empty() {
            methods.push_str("  /**\n");
            for line in &command.docs {
                if line.is_empty() {
                    methods.push_str("   *\n");
                } else {
                    methods.push_str(&format!("   * {line}\n"));
                }
            }
            methods.push_str("   */\n");
        }
        let typed: Vec<String> = params.iter().map(|(n, t)| format!("{n}: {t}")).collect();
        methods.push_str(&format!(
            "  {method}({}): Promise<{reply}>;\n",
            typed.join(", ")
        ));
        let names: Vec<&str> = params.iter().map(|(n, _)| n.as_str()).collect();
        let sent = if command.raw_body {
            "body".to_owned()
        } else if names.is_empty() {
            "null".to_owned()
        } else {
            format!("{{ {} }}", names.join(", "))
        };
        calls.push_str(&format!(
            "    {method}: ({}) => call(\"{}\", {sent}),\n",
            names.join(", "),
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
         // in src-tauri/src (src-tauri/build/commands.rs): what each command takes and answers,\n\
         // and the app's commands as methods. Do not edit.\n\n\
         {imports}\n\
         export type Commands = {{\n{entries}}};\n\n\
         /** Sends `command` with `args` as Tauri takes them, and answers what it answers. */\n\
         export type CommandCall = <K extends keyof Commands>(\n  \
           command: K,\n  \
           args: Commands[K][\"args\"],\n\
         ) => Promise<Commands[K][\"reply\"]>;\n\n\
         /** The app's commands (src-tauri/src/{app_file}), one method each. */\n\
         export interface AppCommands {{\n{methods}}}\n\n\
         /** Each of the app's commands as a method that sends it through `call`. */\n\
         export function appCommands(call: CommandCall): AppCommands {{\n  \
           return {{\n{calls}  }};\n\
         }}\n"
    )
}
