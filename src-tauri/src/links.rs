//! Which addresses the shell acts on: links among its arguments, and pages the window may show.
//! Which links open an identification and which pages the system may open for the person is the
//! session's to decide (`humo_ident_core::links::LinkPolicy`).

use humo_ident_core::input::PresignKey;
use url::Url;

/// The identification link among the arguments the system or the person gave, if any: an app
/// link (`humo-ident://…`) or, from a person's command line, a web link or bare key.
pub fn link_in_args(args: &[String]) -> Option<String> {
    args.iter()
        .skip(1)
        .filter(|arg| !arg.starts_with('-'))
        .find(|arg| PresignKey::from_link(arg).is_ok())
        .cloned()
}

/// Whether the window may show `url`: only the app's own pages (and the dev server in debug
/// builds). Everything else is refused, so no link in any content can take the window away.
pub fn is_app_page(url: &Url) -> bool {
    let dev_server = cfg!(debug_assertions)
        && url.scheme() == "http"
        && url.host_str() == Some("localhost")
        && url.port() == Some(5173);
    at_own_origin(url, "tauri") || dev_server
}

/// The origin this system's webview gives the app's custom scheme `scheme`: `scheme://localhost`
/// with WebKit (Linux, macOS), `http://scheme.localhost` with WebView2 (Windows).
pub fn own_origin(scheme: &str) -> String {
    if cfg!(any(windows, target_os = "android")) {
        format!("http://{scheme}.localhost")
    } else {
        format!("{scheme}://localhost")
    }
}

/// Whether `url` is at [`own_origin`] of `scheme`, exactly: its scheme, host and port, never
/// another system's form of it.
pub fn at_own_origin(url: &Url, scheme: &str) -> bool {
    Url::parse(&own_origin(scheme)).is_ok_and(|own| {
        url.scheme() == own.scheme() && url.host() == own.host() && url.port() == own.port()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "05a4ce19-de3c-4d2c-a464-7356dbdbd107";

    fn args(list: &[&str]) -> Vec<String> {
        std::iter::once("humo-ident-desktop")
            .chain(list.iter().copied())
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn finds_the_link_among_the_arguments() {
        let link = format!("humo-ident://open?key={KEY}");
        assert_eq!(link_in_args(&args(&["--kiosk", &link])), Some(link));
        assert_eq!(link_in_args(&args(&[KEY])), Some(KEY.to_owned()));
        assert_eq!(
            link_in_args(&args(&["--api", "https://bank.example"])),
            None
        );
        assert_eq!(link_in_args(&args(&["humo-ident://evil/x"])), None);
    }

    #[test]
    fn only_the_app_itself_may_be_shown_at_this_system_s_own_origin() {
        // This system's form of the app's origin, and the other systems' forms.
        let (own, others) = if cfg!(windows) {
            ("http://tauri.localhost", ["tauri://localhost"])
        } else {
            ("tauri://localhost", ["http://tauri.localhost"])
        };
        for allowed in [format!("{own}/index.html"), format!("{own}/")] {
            assert!(is_app_page(&Url::parse(&allowed).unwrap()), "{allowed}");
        }
        let refused = [
            "https://evil.example/".to_owned(),
            "file:///etc/passwd".to_owned(),
            "http://localhost:8080/".to_owned(),
            "tauri://evil/".to_owned(),
            "https://tauri.localhost/".to_owned(),
            format!("{own}:8443/index.html"),
            format!("{}/index.html", others[0]),
        ];
        for refused in refused {
            assert!(!is_app_page(&Url::parse(&refused).unwrap()), "{refused}");
        }
    }
}
