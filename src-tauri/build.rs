//! Generates the shell's context from `tauri.conf.json` and a permission for each of its
//! commands, so the capability files can grant them one by one.
//!
//! The commands are read from the sources (every `#[tauri::command]` function in
//! `src-tauri/src/` and its folders), so there is no list here to keep in step. The names, with
//! the file each is in, are also written to `$OUT_DIR/defined_commands.rs`, from which the
//! shell's unit tests check that the handler, the capabilities and the UI's backend name the
//! same ones; and what each command takes and answers, to `$OUT_DIR/commands.ts`, which a unit
//! test copies to `ui/src/lib/bindings/` for the UI's backend (`build/signatures.rs`).

use std::path::Path;

#[path = "build/signatures.rs"]
mod signatures;

use signatures::Command;

fn main() {
    let sources = Path::new("src-tauri/src");
    println!("cargo:rerun-if-changed={}", sources.display());
    println!("cargo:rerun-if-changed=src-tauri/build");
    let mut defined = Vec::new();
    collect_commands(sources, sources, &mut defined);
    defined.sort_by(|(a_file, a), (b_file, b)| (a_file, &a.name).cmp(&(b_file, &b.name)));
    write_defined_commands(&defined);
    // tauri-build keeps the names for the whole build: a build script may leak them.
    let commands: &'static [&'static str] = defined
        .into_iter()
        .map(|(_, command)| &*Box::leak(command.name.into_boxed_str()))
        .collect::<Vec<_>>()
        .leak();
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(tauri_build::AppManifest::new().commands(commands));
    tauri_build::try_build(attributes).expect("tauri-build failed");
}

/// The commands defined in the Rust files under `folder`, at any depth, each with its file's
/// path from `root` (`bench/mod.rs`).
fn collect_commands(root: &Path, folder: &Path, commands: &mut Vec<(String, Command)>) {
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
            let file = file.join("/");
            commands.extend(
                signatures::commands(&text)
                    .into_iter()
                    .map(|command| (file.clone(), command)),
            );
        }
    }
}

/// Writes the commands found: as a Rust array of `(file, name)` for the tests to `include!`,
/// and as the UI's TypeScript `Commands` type, which a test copies to `ui/src/lib/bindings/`.
fn write_defined_commands(defined: &[(String, Command)]) {
    let items: Vec<String> = defined
        .iter()
        .map(|(file, command)| format!("    ({file:?}, {:?}),\n", command.name))
        .collect();
    let text = format!("&[\n{}]\n", items.concat());
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(Path::new(&out).join("defined_commands.rs"), text).expect("OUT_DIR is writable");
    let mut by_name: Vec<&Command> = defined.iter().map(|(_, command)| command).collect();
    by_name.sort_by(|a, b| a.name.cmp(&b.name));
    std::fs::write(
        Path::new(&out).join("commands.ts"),
        signatures::typescript_module(&by_name),
    )
    .expect("OUT_DIR is writable");
}
