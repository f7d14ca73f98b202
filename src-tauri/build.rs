//! Generates the shell's context from `tauri.conf.json` and a permission for each of its
//! commands, so the capability files can grant them one by one.
//!
//! The commands are read from the sources (every `#[tauri::command]` function in
//! `src-tauri/src/` and its folders), so there is no list here to keep in step; the shell's unit tests check
//! that the handler, the capabilities and the UI's backend name the same ones.

use std::path::Path;

fn main() {
    let sources = Path::new("src-tauri/src");
    println!("cargo:rerun-if-changed={}", sources.display());
    let mut commands = Vec::new();
    collect_commands(sources, &mut commands);
    commands.sort();
    // tauri-build keeps the names for the whole build: a build script may leak them.
    let commands: &'static [&'static str] = commands
        .into_iter()
        .map(|name| &*Box::leak(name.into_boxed_str()))
        .collect::<Vec<_>>()
        .leak();
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(tauri_build::AppManifest::new().commands(commands));
    tauri_build::try_build(attributes).expect("tauri-build failed");
}

/// The commands defined in the Rust files under `folder`, at any depth.
fn collect_commands(folder: &Path, commands: &mut Vec<String>) {
    let entries = std::fs::read_dir(folder)
        .unwrap_or_else(|e| panic!("{} is not readable: {e}", folder.display()));
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect_commands(&path, commands);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            let text = std::fs::read_to_string(&path).expect("a source file is readable");
            commands.extend(command_names(&text));
        }
    }
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
