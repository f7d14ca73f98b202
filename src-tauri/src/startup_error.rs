//! The app cannot start as configured (a kiosk with no bank, a configuration file that is not
//! valid, a session that cannot start): it says so on the command line and in a window of its own, and exits with code 2
//! when that window is closed. It never falls back to the demo.

use tauri::{AppHandle, WebviewUrl, WebviewWindowBuilder};

/// The window's label. No capability names it, so its page can call nothing.
pub const WINDOW: &str = "startup-error";
/// The exit code of a configuration that is wrong (the CLI's too).
const EXIT_CODE: i32 = 2;

/// Shows why the app cannot start; the app ends with [`EXIT_CODE`] when the window closes.
pub fn show(
    app: &AppHandle,
    error: &dyn std::fmt::Display,
) -> Result<(), Box<dyn std::error::Error>> {
    eprintln!("Humo Ident cannot start: {error}");
    let detail = serde_json::to_string(&error.to_string())?;
    let window =
        WebviewWindowBuilder::new(app, WINDOW, WebviewUrl::App("startup-error.html".into()))
            .title("Humo Ident")
            .inner_size(760.0, 520.0)
            // The page reads what went wrong from here; it is data, JSON-encoded.
            .initialization_script(format!("window.humoIdentStartupError = {detail};"))
            .on_navigation(crate::links::is_app_page)
            .build()?;
    let handle = app.clone();
    window.on_window_event(move |event| {
        if let tauri::WindowEvent::CloseRequested { .. } = event {
            handle.exit(EXIT_CODE);
        }
    });
    Ok(())
}
