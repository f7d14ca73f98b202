//! How the webviews draw: WebKit's accelerated compositing, per `[display] compositing`.
//!
//! With no GPU, WebKitGTK composites the page's layers with software OpenGL, and a live preview
//! costs a whole composite every frame: measured under Xvfb, the preview drew 22 frames a second
//! with compositing and 30 without, at a fifth of the latency (docs/PERFORMANCE.md). On macOS and
//! Windows the system's webview decides, and this does nothing.

use humo_ident_core::config::Compositing;
use tauri::{Runtime, WebviewWindow};

/// Applies `compositing` to the window's webview, and logs the mode chosen and why.
pub fn apply<R: Runtime>(window: &WebviewWindow<R>, compositing: Compositing) -> tauri::Result<()> {
    let decision = decide(compositing, has_gpu());
    tracing::info!(
        webview = window.label(),
        setting = compositing.as_str(),
        compositing = if decision.off { "off" } else { "on" },
        why = decision.why,
        "compositing chosen"
    );
    if decision.off {
        turn_off(window)?;
    }
    Ok(())
}

/// Whether compositing is turned off, and why.
#[derive(Debug, PartialEq)]
struct Decision {
    off: bool,
    why: &'static str,
}

/// `off` or `on` as set; `auto` turns it off where there is no GPU. Why not by measuring the
/// first second of drawing: docs/PERFORMANCE.md, "Desktop app: the preview in the real
/// webview".
fn decide(compositing: Compositing, gpu: bool) -> Decision {
    let (off, why) = match compositing {
        Compositing::Off => (true, "set off"),
        Compositing::On => (false, "set on"),
        Compositing::Auto if gpu => (false, "a GPU render node is there"),
        Compositing::Auto => (true, "no GPU render node: software compositing is slow"),
    };
    Decision { off, why }
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
        let off = |compositing, gpu| decide(compositing, gpu).off;
        assert!(off(Compositing::Auto, false));
        assert!(!off(Compositing::Auto, true));
        assert!(off(Compositing::Off, true));
        assert!(!off(Compositing::On, false));
    }
}
