//! Generates the shell's context from `tauri.conf.json` and a permission for each of its
//! commands, so the capability files can grant them one by one.
//!
//! The commands are read from the sources (every `#[tauri::command]` function in
//! `src-tauri/src/` and its folders), so there is no list here to keep in step. The names, with
//! the file each is in, are also written to `$OUT_DIR/defined_commands.rs`, from which the
//! shell's unit tests check that the handler, the capabilities and the UI's backend name the
//! same ones.

use std::path::Path;

fn main() {
    let sources = Path::new("src-tauri/src");
    println!("cargo:rerun-if-changed={}", sources.display());
    let mut defined = Vec::new();
    collect_commands(sources, sources, &mut defined);
    defined.sort();
    write_defined_commands(&defined);
    // tauri-build keeps the names for the whole build: a build script may leak them.
    let commands: &'static [&'static str] = defined
        .into_iter()
        .map(|(_, name)| &*Box::leak(name.into_boxed_str()))
        .collect::<Vec<_>>()
        .leak();
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(tauri_build::AppManifest::new().commands(commands));
    tauri_build::try_build(attributes).expect("tauri-build failed");
}

/// The commands defined in the Rust files under `folder`, at any depth, each with its file's
/// path from `root` (`bench/mod.rs`).
fn collect_commands(root: &Path, folder: &Path, commands: &mut Vec<(String, String)>) {
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
                command_names(&text)
                    .into_iter()
                    .map(|name| (file.clone(), name)),
            );
        }
    }
}

/// Writes the commands found, as a Rust array of `(file, name)` for the tests to `include!`.
fn write_defined_commands(defined: &[(String, String)]) {
    let items: Vec<String> = defined
        .iter()
        .map(|(file, name)| format!("    ({file:?}, {name:?}),\n"))
        .collect();
    let text = format!("&[\n{}]\n", items.concat());
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(Path::new(&out).join("defined_commands.rs"), text).expect("OUT_DIR is writable");
}

/// The name of each function that follows a `#[tauri::command]` attribute.
fn command_names(source: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut lines = source.lines().map(str::trim);
    while let Some(line) = lines.next() {
        if line != "#[tauri::command]" {
            continue;
        }
        let signature = lines.find(|line| line.contains("fn "));
        if let Some(name) = signature.and_then(|line| line.split("fn ").nth(1)) {
            let name: String = name
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            names.push(name);
        }
    }
    names
}
