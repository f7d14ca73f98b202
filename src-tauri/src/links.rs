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
    match (url.scheme(), url.host_str()) {
        ("tauri", Some("localhost")) => true,
        ("http" | "https", Some("tauri.localhost")) => true,
        ("http", Some("localhost")) => cfg!(debug_assertions) && url.port() == Some(5173),
        _ => false,
    }
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
}
