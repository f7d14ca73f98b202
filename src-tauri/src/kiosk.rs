//! What the shell does for a kiosk beyond the session's reset: the window cannot be closed,
//! no file chooser opens, and each reset wipes the webview's browsing data and reloads it.

use humo_ident_session::Session;
use tauri::{Runtime, WebviewWindow};

/// Keeps the kiosk's window up and its files out of reach.
pub fn lock_down<R: Runtime>(window: &WebviewWindow<R>) -> tauri::Result<()> {
    let closing = window.clone();
    window.on_window_event(move |event| {
        if let tauri::WindowEvent::CloseRequested { api, .. } = event {
            tracing::info!("closing the kiosk's window was refused");
            api.prevent_close();
            let _ = closing.set_focus();
        }
    });
    refuse_file_chooser(window)
}

/// Clears the webview's cookies, storage and cache and reloads its page after every reset of
/// the session, so that nothing a page (or a vendor's script) stored reaches the next client.
pub fn wipe_on_reset<R: Runtime>(window: WebviewWindow<R>, session: &Session) {
    let mut resets = session.kiosk_resets();
    tauri::async_runtime::spawn(async move {
        while resets.changed().await.is_ok() {
            crate::browsing_data::clear_then(&window, |window| {
                // The wizard's page afresh (`location` cannot be redefined by a page's script).
                if let Err(error) = window.eval("location.replace('/index.html')") {
                    tracing::warn!("the page was not reloaded after the reset: {error}");
                }
            });
        }
    });
}

/// Runs before any page script in every document of a kiosk's windows: no page can open the
/// system's file picker (`<input type=file>`, `showPicker()`, the File System Access API), on
/// any system. On Linux [`refuse_file_chooser`] also makes WebKit refuse it.
const NO_FILE_PICKERS: &str = include_str!("scripts/no-file-pickers.js");

/// `builder` for a kiosk's window: no page in it opens a file picker.
pub fn without_file_pickers<'a, R: Runtime, M: tauri::Manager<R>>(
    builder: tauri::WebviewWindowBuilder<'a, R, M>,
) -> tauri::WebviewWindowBuilder<'a, R, M> {
    builder.initialization_script_for_all_frames(NO_FILE_PICKERS)
}

/// GTK's file chooser shows the kiosk account's files and any USB drive: it never opens.
#[cfg(target_os = "linux")]
pub(crate) fn refuse_file_chooser<R: Runtime>(window: &WebviewWindow<R>) -> tauri::Result<()> {
    use webkit2gtk::WebViewExt;
    window.with_webview(|webview| {
        webview.inner().connect_run_file_chooser(|_, _| {
            tracing::warn!("a file chooser was refused at the kiosk");
            true
        });
    })
}

/// Elsewhere the webview has no such switch: [`without_file_pickers`] keeps the pickers shut, the
/// UI shows no file button at a kiosk, and the session refuses files.
#[cfg(not(target_os = "linux"))]
pub(crate) fn refuse_file_chooser<R: Runtime>(_window: &WebviewWindow<R>) -> tauri::Result<()> {
    Ok(())
}
