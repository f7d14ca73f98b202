//! Generates the shell's context from `tauri.conf.json` and a permission for each of its
//! commands, so the capability file can grant them one by one.

const COMMANDS: &[&str] = &[
    "app_info",
    "subscribe",
    "open_link",
    "choose_document",
    "scan_code",
    "take_photo",
    "set_auto_capture",
    "use_photo",
    "retake",
    "use_photo_file",
    "luna_pass_result",
    "cameras",
    "choose_camera",
    "retry",
    "continue_flow",
    "back",
    "cancel",
    "reset",
    "activity",
    "open_home_page",
    "demo_fault",
    "bench_mark",
    "bench_report",
];

fn main() {
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    tauri_build::try_build(attributes).expect("tauri-build failed");
}
