//! What every window of the app refuses, whatever its page does: new windows, downloads, and
//! any permission its label's policy does not grant.

use tauri::{Manager, Runtime, WebviewWindowBuilder};

use crate::luna_pass::policy::{permission, Caller};

/// `builder` with the app's refusals; `lent` says whether the session lends the camera now
/// (only the LUNA PASS webview is ever given it).
pub fn confined<'a, R: Runtime, M: Manager<R>>(
    builder: WebviewWindowBuilder<'a, R, M>,
    lent: impl Fn() -> bool + Send + Sync + 'static,
) -> WebviewWindowBuilder<'a, R, M> {
    builder
        .on_new_window(|url, _| {
            tracing::warn!("a new window was refused ({})", url.scheme());
            tauri::webview::NewWindowResponse::Deny
        })
        .on_download(|_, _| {
            tracing::warn!("a download was refused");
            false
        })
        .on_permission_request(move |webview, kind| {
            permission(Caller::of(webview.label()), lent(), kind)
        })
}
