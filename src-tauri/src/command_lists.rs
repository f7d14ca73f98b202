//! Every command is named in several places that Tauri cannot check against each other: the
//! handler, the capabilities that grant it to a webview, the shell's own rule of who may call
//! what, and the UI's backend. These tests fail when they disagree.

use std::collections::BTreeSet;
use std::path::Path;

use crate::luna_pass::policy::{command_allowed, Caller, LUNA_PASS_COMMANDS};

/// The build script's reader of command signatures, tested here (a build script has no tests).
#[path = "../build/signatures.rs"]
mod signatures;

fn read(path: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn handled() -> BTreeSet<String> {
    crate::COMMANDS.iter().map(|c| c.to_string()).collect()
}

/// The commands a capability file grants (`allow-open-link` grants `open_link`).
fn granted(capability: &str) -> BTreeSet<String> {
    let json: serde_json::Value = serde_json::from_str(&read(capability)).unwrap();
    json["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p.as_str()?.strip_prefix("allow-"))
        .map(|name| name.replace('-', "_"))
        .collect()
}

/// The commands the UI's Tauri backend invokes: every `call("name"` and `call<T>("name"`.
fn invoked_by_the_ui() -> BTreeSet<String> {
    let source = read("ui/src/lib/backend/tauri.ts");
    source
        .split("call")
        .skip(1)
        .filter_map(|rest| {
            let rest = rest.strip_prefix('<').map_or(rest, |typed| {
                typed.split_once('>').map_or(typed, |(_, after)| after)
            });
            let name = rest.strip_prefix("(\"")?;
            Some(name.split('"').next()?.to_owned())
        })
        .collect()
}

/// Every function marked `#[tauri::command]` under `src-tauri/src`, with its file, as the
/// build script found them (the same list it made the permissions from).
const DEFINED: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/defined_commands.rs"));

/// The commands defined in `file`.
fn defined_in(file: &str) -> BTreeSet<String> {
    DEFINED
        .iter()
        .filter(|(defined_in, _)| *defined_in == file)
        .map(|(_, name)| name.to_string())
        .collect()
}

/// The app's commands, in `commands.rs`.
fn defined() -> BTreeSet<String> {
    defined_in("commands.rs")
}

#[test]
fn commands_are_defined_only_where_a_handler_serves_them() {
    // The app's handler serves `commands.rs`; the preview benchmark's window, its own two. A
    // command anywhere else would get a permission and no handler.
    let files: BTreeSet<&str> = DEFINED.iter().map(|(file, _)| *file).collect();
    assert_eq!(files, BTreeSet::from(["bench/mod.rs", "commands.rs"]));
    assert_eq!(
        defined_in("bench/mod.rs"),
        BTreeSet::from(["bench_mark".to_owned(), "bench_report".to_owned()])
    );
}

#[test]
fn the_handler_serves_every_command_defined() {
    assert_eq!(handled(), defined());
}

/// The commands the shell lets `caller` call.
fn allowed_to(caller: Caller) -> BTreeSet<String> {
    handled()
        .into_iter()
        .filter(|command| command_allowed(command, caller))
        .collect()
}

#[test]
fn each_webview_is_granted_exactly_what_the_shell_lets_it_call() {
    assert_eq!(
        granted("src-tauri/capabilities/main.json"),
        allowed_to(Caller::Wizard)
    );
    assert_eq!(
        granted("src-tauri/capabilities/luna-pass.json"),
        allowed_to(Caller::LunaPass)
    );
}

#[test]
fn every_command_is_granted_to_some_webview() {
    let mut granted_somewhere = granted("src-tauri/capabilities/main.json");
    granted_somewhere.extend(granted("src-tauri/capabilities/luna-pass.json"));
    assert_eq!(granted_somewhere, handled());
}

#[test]
fn the_capabilities_name_their_webview_by_label() {
    for (file, label) in [
        ("main", crate::MAIN_WINDOW),
        ("luna-pass", crate::luna_pass::LABEL),
    ] {
        let json: serde_json::Value =
            serde_json::from_str(&read(&format!("src-tauri/capabilities/{file}.json"))).unwrap();
        assert_eq!(json["windows"], serde_json::json!([label]), "{file}");
        assert!(json.get("remote").is_none(), "{file} admits remote pages");
    }
}

#[test]
fn the_ui_invokes_exactly_the_handled_commands() {
    assert_eq!(invoked_by_the_ui(), handled());
}

#[test]
fn the_luna_pass_webview_may_call_only_commands_that_exist() {
    for command in LUNA_PASS_COMMANDS {
        assert!(handled().contains(*command), "{command} is not a command");
    }
}

#[test]
fn no_webview_is_granted_a_plugins_command() {
    // The updater above all: no page may start an install or see that one is coming.
    for file in ["main", "luna-pass"] {
        let json: serde_json::Value =
            serde_json::from_str(&read(&format!("src-tauri/capabilities/{file}.json"))).unwrap();
        for permission in json["permissions"].as_array().unwrap() {
            let permission = permission.as_str().unwrap_or_default();
            assert!(
                permission.starts_with("allow-") && !permission.contains(':'),
                "{file} grants {permission}"
            );
        }
    }
}

/// Writes what each command takes and answers (the `Commands` type the build script made from
/// the functions' signatures) to `ui/src/lib/bindings/commands.ts`, beside the types ts-rs
/// exports: the UI's backend calls every command through it. CI fails when the committed file
/// is stale.
#[test]
fn export_command_types() {
    humo_ident_test_support::write_ui_binding(
        "commands.ts",
        include_str!(concat!(env!("OUT_DIR"), "/commands.ts")),
    );
}

#[test]
fn a_commands_signature_becomes_its_typescript() {
    // Written with `#[command]`: the build script reads this file too, and must not find these.
    let source = r#"
        /// Not a command: `#[tauri::command]` in a comment.
        fn helper() {}

        #[command]
        pub async fn choose<R: Runtime>(
            app: AppHandle<R>,
            session: State<'_, Session>,
            kind: DocumentKind,
            tax_number: Option<String>,
            feed: Channel<Option<LunaPassView>>,
        ) -> Result<Vec<Option<CameraOption>>> {
            Ok(Vec::new())
        }

        #[command]
        fn upload(session: State<'_, Session>, request: Request<'_>) -> Result {
            Ok(())
        }

        #[command]
        fn mark(state: State<'_, BenchState>, mut size: WindowSize) -> u64 {
            0
        }
    "#
    .replace("#[command]", "#[tauri::command]");
    let commands = signatures::commands(&source);
    let names: Vec<&str> = commands.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["choose", "upload", "mark"]);
    let module = signatures::typescript_module(&commands.iter().collect::<Vec<_>>());
    for line in [
        "import type { Channel } from \"@tauri-apps/api/core\";",
        "import type { CameraOption } from \"./CameraOption\";",
        "  choose: { args: { kind: DocumentKind; taxNumber: string | null; \
         feed: Channel<LunaPassView | null> }; reply: (CameraOption | null)[] };",
        "  upload: { args: Uint8Array; reply: void };",
        "  mark: { args: { size: WindowSize }; reply: number };",
    ] {
        assert!(module.contains(line), "{line}\nnot in:\n{module}");
    }
    assert!(!module.contains("Runtime") && !module.contains("Session"));
}

#[test]
#[should_panic(expected = "the type \"HashMap<String, u8>\" has no TypeScript here")]
fn a_type_with_no_typescript_stops_the_build() {
    let source =
        "#[command]\nfn odd(map: HashMap<String, u8>) {}\n".replace("command", "tauri::command");
    signatures::typescript_module(&signatures::commands(&source).iter().collect::<Vec<_>>());
}

#[test]
#[should_panic(expected = "only a plain #[tauri::command] is read here")]
fn a_command_with_options_stops_the_build() {
    let source = "#[command(rename_all = \"snake_case\")]\nfn odd(a_b: bool) {}\n"
        .replace("#[command", "#[tauri::command");
    signatures::commands(&source);
}
