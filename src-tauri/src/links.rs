//! Which addresses the app acts on: links that open an identification, pages the window may
//! show, and pages the system may open for the person.

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
    match (url.scheme(), url.host_str()) {
        ("tauri", Some("localhost")) => true,
        ("http" | "https", Some("tauri.localhost")) => true,
        ("http", Some("localhost")) => cfg!(debug_assertions) && url.port() == Some(5173),
        _ => false,
    }
}

/// Whether the bank's `home_page` may be handed to the system: a web page or another app's
/// link, never a local file or script.
pub fn may_open_externally(text: &str) -> bool {
    let Ok(url) = Url::parse(text) else {
        return false;
    };
    let scheme = url.scheme();
    !matches!(
        scheme,
        "file" | "javascript" | "data" | "vbscript" | "about" | "blob" | "tauri" | "ipc"
    ) && (scheme != "http" || url.host_str().is_some())
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
    fn only_the_app_itself_may_be_shown() {
        for allowed in ["tauri://localhost/index.html", "http://tauri.localhost/"] {
            assert!(is_app_page(&Url::parse(allowed).unwrap()), "{allowed}");
        }
        for refused in [
            "https://evil.example/",
            "file:///etc/passwd",
            "http://localhost:8080/",
            "tauri://evil/",
        ] {
            assert!(!is_app_page(&Url::parse(refused).unwrap()), "{refused}");
        }
    }

    #[test]
    fn home_pages_are_web_pages_or_app_links() {
        assert!(may_open_externally("humoOnline://app"));
        assert!(may_open_externally("https://humo.tj/"));
        assert!(!may_open_externally("file:///etc/passwd"));
        assert!(!may_open_externally("javascript:alert(1)"));
        assert!(!may_open_externally("not a url"));
    }
}
