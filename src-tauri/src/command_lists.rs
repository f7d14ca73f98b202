//! A command is written once, where it is defined: the build script reads it from there
//! (`build/commands.rs`) for the handler's list and the UI's typed calls. The capabilities that
//! grant it to a webview and the shell's own rule of who may call what are written by hand, on
//! purpose (the rule holds even if a capability is widened); these tests fail when they and the
//! commands disagree.

use std::collections::BTreeSet;
use std::path::Path;

use crate::luna_pass::policy::{command_allowed, Caller, LUNA_PASS_COMMANDS};

/// The build script's reader of commands, tested here (a build script has no tests).
#[path = "../build/commands.rs"]
mod commands;

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
    let source = r#"
        /// Not a command: `#[tauri::command]` in a comment.
        fn helper() {}

        /// Chooses.
        ///
        /// Twice.
        #[tauri::command]
        pub async fn choose<R: Runtime>(
            app: AppHandle<R>,
            session: tauri::State<'_, Session>,
            kind: DocumentKind,
            tax_number: Option<String>,
            feed: Channel<Option<LunaPassView>>,
        ) -> Result<Vec<Option<CameraOption>>> {
            Ok(Vec::new())
        }

        #[tauri::command]
        fn upload(session: State<'_, Session>, request: Request<'_>) -> Result {
            Ok(())
        }

        mod inner {
            #[tauri::command]
            fn mark(state: State<'_, BenchState>, mut size: WindowSize, name: &str) -> u64 {
                0
            }
        }
    "#;
    let read = commands::read("commands.rs", source);
    let names: Vec<&str> = read.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["choose", "upload", "mark"]);
    let module = commands::typescript_module(&read.iter().collect::<Vec<_>>(), "commands.rs");
    for line in [
        "import type { Channel } from \"@tauri-apps/api/core\";",
        "import type { CameraOption } from \"./CameraOption\";",
        "  choose: { args: { kind: DocumentKind; taxNumber: string | null; \
         feed: Channel<LunaPassView | null> }; reply: (CameraOption | null)[] };",
        "  upload: { args: Uint8Array; reply: void };",
        "  mark: { args: { size: WindowSize; name: string }; reply: number };",
        "   * Chooses.\n   *\n   * Twice.\n   */\n  choose(kind: DocumentKind, taxNumber: string | null, \
         feed: Channel<LunaPassView | null>): Promise<(CameraOption | null)[]>;",
        "  upload(body: Uint8Array): Promise<void>;",
        "    choose: (kind, taxNumber, feed) => call(\"choose\", { kind, taxNumber, feed }),",
        "    upload: (body) => call(\"upload\", body),",
        "    mark: (size, name) => call(\"mark\", { size, name }),",
    ] {
        assert!(module.contains(line), "{line}\nnot in:\n{module}");
    }
    assert!(!module.contains("Runtime") && !module.contains("Session"));
}

#[test]
fn only_the_apps_file_becomes_methods() {
    let source = "#[tauri::command]\nfn bench_mark() -> u64 { 0 }\n";
    let read = commands::read("bench/mod.rs", source);
    let module = commands::typescript_module(&read.iter().collect::<Vec<_>>(), "commands.rs");
    assert!(module.contains("  bench_mark: { args: null; reply: number };"));
    assert!(!module.contains("benchMark"));
}

#[test]
#[should_panic(expected = "the type \"HashMap < String , u8 >\" has no TypeScript here")]
fn a_type_with_no_typescript_stops_the_build() {
    let source = "#[tauri::command]\nfn odd(map: HashMap<String, u8>) {}\n";
    let read = commands::read("commands.rs", source);
    commands::typescript_module(&read.iter().collect::<Vec<_>>(), "commands.rs");
}

#[test]
#[should_panic(expected = "only a plain #[tauri::command] is read")]
fn a_command_with_options_stops_the_build() {
    commands::read(
        "commands.rs",
        "#[tauri::command(rename_all = \"snake_case\")]\nfn odd(a_b: bool) {}\n",
    );
}
