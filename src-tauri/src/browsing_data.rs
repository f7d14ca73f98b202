//! Clearing a webview's browsing data, and acting once it is cleared: a page reloaded or a
//! window closed sooner may outlive the wipe (what a page put in `localStorage` survives).

use tauri::{Runtime, WebviewWindow};

/// Clears the browsing data (storage, cookies, cache) of `window`'s webview context, then runs
/// `then`, also when the clearing failed (which is logged).
#[cfg(target_os = "linux")]
pub fn clear_then<R: Runtime>(
    window: &WebviewWindow<R>,
    then: impl FnOnce(&WebviewWindow<R>) + Send + 'static,
) {
    use std::sync::{Arc, Mutex};
    use webkit2gtk::gio::Cancellable;
    use webkit2gtk::glib::TimeSpan;
    use webkit2gtk::{WebContextExt, WebViewExt, WebsiteDataManagerExtManual, WebsiteDataTypes};

    // `then` runs once: from WebKit's callback, or here if the webview could not be reached.
    let then = Arc::new(Mutex::new(Some(then)));
    let run = {
        let then = Arc::clone(&then);
        let window = window.clone();
        move || {
            let then = then.lock().unwrap_or_else(|e| e.into_inner()).take();
            if let Some(then) = then {
                then(&window);
            }
        }
    };
    let on_main_thread = run.clone();
    let started = window.with_webview(move |webview| {
        let manager = webview
            .inner()
            .context()
            .and_then(|context| context.website_data_manager());
        let Some(manager) = manager else {
            tracing::warn!("a webview's browsing data could not be reached");
            return on_main_thread();
        };
        manager.clear(
            WebsiteDataTypes::ALL,
            TimeSpan::from_seconds(0),
            None::<&Cancellable>,
            move |cleared| {
                if let Err(error) = cleared {
                    tracing::warn!("a webview's browsing data was not cleared: {error}");
                }
                on_main_thread();
            },
        );
    });
    if let Err(error) = started {
        tracing::warn!("a webview's browsing data was not cleared: {error}");
        run();
    }
}

/// Elsewhere the webview offers no completion: clear, then act.
#[cfg(not(target_os = "linux"))]
pub fn clear_then<R: Runtime>(
    window: &WebviewWindow<R>,
    then: impl FnOnce(&WebviewWindow<R>) + Send + 'static,
) {
    if let Err(error) = window.clear_all_browsing_data() {
        tracing::warn!("a webview's browsing data was not cleared: {error}");
    }
    then(window);
}
