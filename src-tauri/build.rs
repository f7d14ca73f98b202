//! Generates the shell's context from `tauri.conf.json`, and from its commands everything that
//! names them, so a command is written once: where it is defined.
//!
//! The commands are every `#[tauri::command]` function in `src-tauri/src/` and its folders,
//! read with `syn` (`build/commands.rs`). From them follow:
//! - a permission for each, so the capability files can grant them one by one;
//! - `$OUT_DIR/app_commands.rs`: the app's handler's list (those of `commands.rs`), which
//!   `lib.rs` includes;
//! - `$OUT_DIR/defined_commands.rs`: every command with its file, for the shell's unit tests;
//! - `$OUT_DIR/commands.ts`: what each command takes and answers, and the app's commands as
//!   methods, which a unit test copies to `ui/src/lib/bindings/` for the UI's backend.

use std::path::Path;

#[path = "build/commands.rs"]
mod commands;

use commands::Command;

/// The file of the app's own commands, which its handler serves.
const APP_FILE: &str = "commands.rs";

fn main() {
    let sources = Path::new("src-tauri/src");
    println!("cargo:rerun-if-changed={}", sources.display());
    println!("cargo:rerun-if-changed=src-tauri/build");
    let mut defined = Vec::new();
    collect_commands(sources, sources, &mut defined);
    defined.sort_by(|a, b| (&a.file, &a.name).cmp(&(&b.file, &b.name)));
    write_outputs(&defined);
    // tauri-build keeps the names for the whole build: a build script may leak them.
    let names: &'static [&'static str] = defined
        .into_iter()
        .map(|command| &*Box::leak(command.name.into_boxed_str()))
        .collect::<Vec<_>>()
        .leak();
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(tauri_build::AppManifest::new().commands(names));
    tauri_build::try_build(attributes).expect("tauri-build failed");
}

/// The commands defined in the Rust files under `folder`, at any depth, each with its file's
/// path from `root` (`bench/mod.rs`).
fn collect_commands(root: &Path, folder: &Path, commands: &mut Vec<Command>) {
    let entries = std::fs::read_dir(folder)
        .unwrap_or_else(|e| panic!("{} is not readable: {e}", folder.display()));
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect_commands(root, &path, commands);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            let text = std::fs::read_to_string(&path).expect("a source file is readable");
            let file: Vec<String> = path
                .strip_prefix(root)
                .expect("a file under the root")
                .components()
                .map(|part| part.as_os_str().to_string_lossy().into_owned())
                .collect();
            commands.extend(commands::read(&file.join("/"), &text));
        }
    }
}

/// Writes the handler's list, the tests' list of `(file, name)`, and the UI's TypeScript.
fn write_outputs(defined: &[Command]) {
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let write = |name: &str, text: String| {
        std::fs::write(Path::new(&out).join(name), text).expect("OUT_DIR is writable");
    };
    let app: Vec<&str> = defined
        .iter()
        .filter(|command| command.file == APP_FILE)
        .map(|command| command.name.as_str())
        .collect();
    write(
        "app_commands.rs",
        format!("app_commands![{}];\n", app.join(", ")),
    );
    let items: Vec<String> = defined
        .iter()
        .map(|command| format!("    ({:?}, {:?}),\n", command.file, command.name))
        .collect();
    write("defined_commands.rs", format!("&[\n{}]\n", items.concat()));
    let mut by_name: Vec<&Command> = defined.iter().collect();
    by_name.sort_by(|a, b| a.name.cmp(&b.name));
    write(
        "commands.ts",
        commands::typescript_module(&by_name, APP_FILE),
    );
}
