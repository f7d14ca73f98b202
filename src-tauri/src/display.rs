//! How the webviews draw: WebKit's accelerated compositing, per `[display] compositing`.
//!
//! With no GPU, WebKitGTK composites the page's layers with software OpenGL, and a live preview
//! costs a whole composite every frame: measured under Xvfb, the preview drew 22 frames a second
//! with compositing and 30 without, at a fifth of the latency (docs/PERFORMANCE.md). On macOS and
//! Windows the system's webview decides, and this does nothing.

use humo_ident_core::config::Compositing;
use tauri::{Runtime, WebviewWindow};

/// Applies `compositing` to the window's webview.
pub fn apply<R: Runtime>(window: &WebviewWindow<R>, compositing: Compositing) -> tauri::Result<()> {
    if !turned_off(compositing, has_gpu()) {
        return Ok(());
    }
    tracing::info!(
        webview = window.label(),
        setting = compositing.as_str(),
        "compositing is off"
    );
    turn_off(window)
}

/// Whether compositing is turned off: `off`, or `auto` where there is no GPU.
fn turned_off(compositing: Compositing, gpu: bool) -> bool {
    match compositing {
        Compositing::Off => true,
        Compositing::On => false,
        Compositing::Auto => !gpu,
    }
}

/// Whether the machine has a GPU that renders: a DRM render node (`/dev/dri/renderD*`).
#[cfg(target_os = "linux")]
fn has_gpu() -> bool {
    std::fs::read_dir("/dev/dri").is_ok_and(|nodes| {
        nodes
            .flatten()
            .any(|node| node.file_name().to_string_lossy().starts_with("renderD"))
    })
}

#[cfg(not(target_os = "linux"))]
fn has_gpu() -> bool {
    true
}

#[cfg(target_os = "linux")]
fn turn_off<R: Runtime>(window: &WebviewWindow<R>) -> tauri::Result<()> {
    use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
    window.with_webview(|webview| {
        if let Some(settings) = WebViewExt::settings(&webview.inner()) {
            settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
        }
    })
}

#[cfg(not(target_os = "linux"))]
fn turn_off<R: Runtime>(_window: &WebviewWindow<R>) -> tauri::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_turns_compositing_off_only_without_a_gpu() {
        assert!(turned_off(Compositing::Auto, false));
        assert!(!turned_off(Compositing::Auto, true));
        assert!(turned_off(Compositing::Off, true));
        assert!(!turned_off(Compositing::On, false));
    }
}
