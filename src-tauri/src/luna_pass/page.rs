//! The LUNA PASS webview's page, served from a scheme of its own (`luna-pass://localhost/`): the
//! page's origin is not the wizard's, so the vendor's script shares no storage with it. The
//! scheme answers the LUNA PASS webview only, serves only that page and its assets, and
//! gives the page the one policy that admits the library.

use std::borrow::Cow;

use humo_ident_session::events::Language;
use humo_ident_session::Session;
use tauri::http::{header, Request, Response, StatusCode};
use tauri::{Manager, Runtime, UriSchemeContext};
use url::Url;

use super::policy::{widen, Caller};

/// The scheme's name.
pub const SCHEME: &str = "luna-pass";
/// The page's path among the app's assets.
pub const PAGE: &str = "/luna-pass.html";
/// Used when the asset comes without Tauri's policy (a development build): the app's own and
/// its IPC, nothing else.
const FALLBACK_POLICY: &str = "default-src 'self'; connect-src 'self' ipc: http://ipc.localhost; \
                               object-src 'none'; base-uri 'none'; frame-src 'none'";

/// The page's address in `language`, as this system's webview spells a custom scheme; `kiosk`
/// tells the page to guard its keys as the wizard does.
pub fn url(language: Language, kiosk: bool) -> Url {
    let base = crate::links::own_origin(SCHEME);
    let mut url = Url::parse(&format!("{base}{PAGE}")).expect("the page's address is valid");
    url.query_pairs_mut().append_pair("lang", language.tag());
    if kiosk {
        url.query_pairs_mut().append_pair("kiosk", "1");
    }
    url
}

/// Whether `url` is the LUNA PASS webview's page (the only address that webview may show).
pub fn is_page(url: &Url) -> bool {
    crate::links::at_own_origin(url, SCHEME) && url.path() == PAGE
}

/// Whether a request's `path` would reach the LUNA PASS webview's page through Tauri's asset
/// lookup, which also tries `PATH.html`, drops a trailing `/` and percent-decodes: `/luna-pass`,
/// `/luna-pass.html/`, `/luna%2Dpass.html`. The wizard's origin refuses every one of them.
pub fn names_page(path: &str) -> bool {
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let trimmed = decoded.trim_end_matches('/');
    trimmed.strip_suffix(".html").unwrap_or(trimmed) == PAGE.trim_end_matches(".html")
}

/// Whether the scheme serves `path`: the page and the built assets it loads.
fn serves(path: &str) -> bool {
    path == PAGE || (path.starts_with("/assets/") && !path.contains(".."))
}

/// Answers one request of the scheme.
pub fn handle<R: Runtime>(
    context: UriSchemeContext<'_, R>,
    request: Request<Vec<u8>>,
) -> Response<Cow<'static, [u8]>> {
    if Caller::of(context.webview_label()) != Caller::LunaPass {
        tracing::warn!("the LUNA PASS webview's page was asked for by another webview");
        return status(StatusCode::FORBIDDEN);
    }
    let path = request.uri().path();
    if !serves(path) {
        return status(StatusCode::NOT_FOUND);
    }
    let app = context.app_handle();
    let Some(asset) = app.asset_resolver().get(path.to_owned()) else {
        return status(StatusCode::NOT_FOUND);
    };
    // Tauri answers a missing file with the wizard's `index.html`: never here.
    if path != PAGE && asset.mime_type.starts_with("text/html") {
        return status(StatusCode::NOT_FOUND);
    }
    let base = asset.csp_header.as_deref().unwrap_or(FALLBACK_POLICY);
    let endpoints = app
        .try_state::<Session>()
        .and_then(|session| session.luna_pass_endpoints().cloned());
    let policy = match endpoints {
        Some(endpoints) => widen(base, &endpoints),
        None => base.to_owned(),
    };
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, asset.mime_type.as_str())
        .header(header::CACHE_CONTROL, "no-store")
        .header("Content-Security-Policy", policy)
        .body(Cow::Owned(asset.bytes))
        .unwrap_or_else(|_| status(StatusCode::INTERNAL_SERVER_ERROR))
}

fn status(status: StatusCode) -> Response<Cow<'static, [u8]>> {
    let mut response = Response::new(Cow::Borrowed(&[][..]));
    *response.status_mut() = status;
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_has_an_origin_of_its_own_and_carries_the_language() {
        let url = url(Language::Ru, false);
        assert!(is_page(&url), "{url}");
        assert_eq!(url.query(), Some("lang=ru"));
        assert_eq!(
            super::url(Language::Tg, true).query(),
            Some("lang=tg&kiosk=1")
        );
        for other in [
            "tauri://localhost/luna-pass.html",
            "luna-pass://localhost/index.html",
            "luna-pass://evil.example/luna-pass.html",
            "https://lp.bank.example/luna-pass.html",
            "http://luna-pass.localhost.evil.example/luna-pass.html",
        ] {
            assert!(!is_page(&Url::parse(other).unwrap()), "{other}");
        }
        // Only this system's form of the page's origin, without a port.
        let other_system = if cfg!(windows) {
            "luna-pass://localhost/luna-pass.html"
        } else {
            "http://luna-pass.localhost/luna-pass.html"
        };
        assert!(!is_page(&Url::parse(other_system).unwrap()));
        let mut with_port = url.clone();
        with_port.set_port(Some(8443)).unwrap();
        assert!(!is_page(&with_port), "{with_port}");
    }

    #[test]
    fn every_spelling_of_the_page_is_recognised_for_the_wizards_refusal() {
        for path in [
            "/luna-pass.html",
            "/luna-pass",
            "/luna-pass.html/",
            "/luna-pass/",
            "/luna%2Dpass.html",
            "/luna%2dpass",
        ] {
            assert!(names_page(path), "{path}");
        }
        for path in ["/index.html", "/", "/assets/luna-pass.js", "/luna-pass.htm"] {
            assert!(!names_page(path), "{path}");
        }
    }

    #[test]
    fn only_the_page_and_its_assets_are_served() {
        assert!(serves("/luna-pass.html"));
        assert!(serves("/assets/lunaPassPage-abc123.js"));
        for other in [
            "/index.html",
            "/startup-error.html",
            "/",
            "/assets/../index.html",
        ] {
            assert!(!serves(other), "{other}");
        }
    }
}
