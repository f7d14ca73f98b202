//! Who may do what, decided by the calling webview's label: a page's script can rewrite its
//! own address (`history.replaceState`), never its webview's label. Pure functions, so the
//! rules are tested here without a webview.

use humo_ident_core::config::LunaPassEndpoints;
use tauri::webview::{PermissionKind, PermissionResponse};

/// The webviews the app makes, by label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caller {
    /// The wizard (`main`): the app's own page.
    Wizard,
    /// The LUNA PASS webview, where the vendor's script runs.
    LunaPass,
    /// Any other label: nothing is allowed.
    Other,
}

impl Caller {
    /// The caller a webview label names.
    pub fn of(label: &str) -> Caller {
        match label {
            crate::MAIN_WINDOW => Caller::Wizard,
            super::LABEL => Caller::LunaPass,
            _ => Caller::Other,
        }
    }
}

/// What the LUNA PASS webview may call: its own narrow feed (the LUNA PASS screen, nothing
/// else), the library's result, giving up, and the kiosk's sign of life. Nothing that reads the
/// link or the bank's results, opens links, takes or sends photos, or writes the configuration.
pub(crate) const LUNA_PASS_COMMANDS: &[&str] =
    &["luna_pass_feed", "luna_pass_result", "cancel", "activity"];

/// The LUNA PASS webview's own commands, which the wizard has no use for.
const LUNA_PASS_ONLY: &[&str] = &["luna_pass_feed", "luna_pass_result"];

/// Whether `caller` may call the app's command `command`.
pub fn command_allowed(command: &str, caller: Caller) -> bool {
    match caller {
        Caller::Wizard => !LUNA_PASS_ONLY.contains(&command),
        Caller::LunaPass => LUNA_PASS_COMMANDS.contains(&command),
        Caller::Other => false,
    }
}

/// Whether a webview may have what it asked for (`(video, audio)` devices; `None` for any other
/// permission): the camera alone, in the LUNA PASS webview, while the session lends it.
pub fn may_use_camera(caller: Caller, lent: bool, asked: Option<(bool, bool)>) -> bool {
    caller == Caller::LunaPass && lent && asked == Some((true, false))
}

/// What a webview's permission request gets, on every system (WebView2's `PermissionRequested`,
/// WKWebView's media capture, WebKitGTK's `permission-request`): the camera for the LUNA PASS
/// webview while the session lends it, and nothing else for anyone. A request the webview
/// library does not name (`Other`, such as WebKitGTK's list of devices) is left to the shell's
/// own WebKitGTK handler on Linux (`camera.rs`), and refused elsewhere.
pub fn permission(caller: Caller, lent: bool, kind: PermissionKind) -> PermissionResponse {
    match kind {
        PermissionKind::Camera if may_use_camera(caller, lent, Some((true, false))) => {
            PermissionResponse::Allow
        }
        PermissionKind::Other if cfg!(target_os = "linux") => PermissionResponse::Default,
        _ => PermissionResponse::Deny,
    }
}

/// `policy` with the library's own address (not its whole origin) added to `script-src`, both
/// origins to `connect-src`, and the camera's stream allowed as media. The `preview` scheme,
/// the wizard's camera, is taken out: it answers the wizard alone anyway.
pub fn widen(policy: &str, endpoints: &LunaPassEndpoints) -> String {
    let mut directives: Vec<(String, Vec<String>)> = policy
        .split(';')
        .filter_map(|directive| {
            let mut words = directive.split_whitespace();
            let name = words.next()?.to_ascii_lowercase();
            Some((name, words.map(str::to_owned).collect()))
        })
        .collect();
    let defaults = directives
        .iter()
        .find(|(name, _)| name == "default-src")
        .map(|(_, values)| values.clone())
        .unwrap_or_else(|| vec!["'self'".to_owned()]);
    for (_, values) in &mut directives {
        values.retain(|value| !value.contains("preview"));
    }
    let mut add = |name: &str, extra: &[&str]| {
        let index = match directives.iter().position(|(n, _)| n == name) {
            Some(index) => index,
            None => {
                directives.push((name.to_owned(), defaults.clone()));
                directives.len() - 1
            }
        };
        let values = &mut directives[index].1;
        values.retain(|v| v != "'none'");
        for value in extra {
            if !values.iter().any(|v| v == value) {
                values.push((*value).to_owned());
            }
        }
    };
    add("script-src", &[&endpoints.script_url]);
    add(
        "connect-src",
        &[&endpoints.ws_origin, &endpoints.script_origin],
    );
    add("media-src", &["'self'", "blob:", "mediastream:"]);
    add("img-src", &["blob:", "data:"]);
    directives
        .into_iter()
        .map(|(name, values)| format!("{name} {}", values.join(" ")))
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoints() -> LunaPassEndpoints {
        LunaPassEndpoints {
            script_url: "https://lp.bank.example/sdk/luna-pass.js".into(),
            script_origin: "https://lp.bank.example".into(),
            ws_url: "wss://lp-ws.bank.example/ws".into(),
            ws_origin: "wss://lp-ws.bank.example".into(),
            script_integrity: None,
        }
    }

    #[test]
    fn the_page_admits_the_library_and_its_server_and_nothing_else_changes() {
        let policy = "default-src 'self'; script-src 'self' 'sha256-abc'; \
                      connect-src 'self' ipc: http://ipc.localhost; object-src 'none'; \
                      frame-src 'none'";
        let widened = widen(policy, &endpoints());
        // The library's own file, not every script of its origin.
        assert!(widened
            .contains("script-src 'self' 'sha256-abc' https://lp.bank.example/sdk/luna-pass.js;"));
        assert!(widened.contains(
            "connect-src 'self' ipc: http://ipc.localhost wss://lp-ws.bank.example https://lp.bank.example;"
        ));
        assert!(widened.contains("media-src 'self' blob: mediastream:"));
        assert!(widened.contains("object-src 'none'"));
        assert!(widened.contains("frame-src 'none'"));
        assert!(!widened.contains("unsafe"));
    }

    #[test]
    fn the_luna_pass_webview_gets_no_preview() {
        let policy = "default-src 'self'; img-src 'self' preview: http://preview.localhost; \
                      connect-src 'self' ipc: http://ipc.localhost preview: http://preview.localhost";
        let widened = widen(policy, &endpoints());
        assert!(!widened.contains("preview"), "{widened}");
        assert!(widened.contains("connect-src 'self' ipc: http://ipc.localhost wss://"));
    }

    #[test]
    fn callers_are_known_by_label_alone() {
        assert_eq!(Caller::of("main"), Caller::Wizard);
        assert_eq!(Caller::of("luna-pass"), Caller::LunaPass);
        for other in [
            "",
            "Main",
            "bench",
            "luna-pass-2",
            "tauri://localhost/index.html",
        ] {
            assert_eq!(Caller::of(other), Caller::Other, "{other}");
        }
    }

    #[test]
    fn the_luna_pass_webview_calls_only_what_it_needs_and_the_wizard_the_rest() {
        for command in crate::COMMANDS {
            let for_luna_pass = LUNA_PASS_COMMANDS.contains(command);
            assert_eq!(
                command_allowed(command, Caller::LunaPass),
                for_luna_pass,
                "{command}"
            );
            assert!(!command_allowed(command, Caller::Other), "{command}");
        }
        for command in [
            "app_info",
            "subscribe",
            "open_link",
            "reset",
            "use_photo_file",
        ] {
            assert!(command_allowed(command, Caller::Wizard), "{command}");
            assert!(!command_allowed(command, Caller::LunaPass), "{command}");
        }
        for command in ["luna_pass_feed", "luna_pass_result"] {
            assert!(!command_allowed(command, Caller::Wizard), "{command}");
        }
        for shared in ["cancel", "activity"] {
            assert!(command_allowed(shared, Caller::Wizard), "{shared}");
            assert!(command_allowed(shared, Caller::LunaPass), "{shared}");
        }
    }

    #[test]
    fn every_system_gives_the_camera_alone_to_the_luna_pass_webview_while_it_is_lent() {
        let allowed =
            |caller, lent, kind| permission(caller, lent, kind) == PermissionResponse::Allow;
        assert!(allowed(Caller::LunaPass, true, PermissionKind::Camera));
        assert!(!allowed(Caller::LunaPass, false, PermissionKind::Camera));
        assert!(!allowed(Caller::Wizard, true, PermissionKind::Camera));
        assert!(!allowed(Caller::Other, true, PermissionKind::Camera));
        for kind in [
            PermissionKind::Microphone,
            PermissionKind::DisplayCapture,
            PermissionKind::Geolocation,
            PermissionKind::Notifications,
            PermissionKind::ClipboardRead,
        ] {
            assert_eq!(
                permission(Caller::LunaPass, true, kind),
                PermissionResponse::Deny,
                "{kind:?}"
            );
        }
    }

    #[test]
    fn the_camera_goes_to_the_luna_pass_webview_alone_while_it_is_lent() {
        assert!(may_use_camera(Caller::LunaPass, true, Some((true, false))));
        assert!(
            !may_use_camera(Caller::LunaPass, false, Some((true, false))),
            "not lent"
        );
        assert!(
            !may_use_camera(Caller::LunaPass, true, Some((true, true))),
            "the microphone"
        );
        assert!(
            !may_use_camera(Caller::LunaPass, true, Some((false, true))),
            "the microphone"
        );
        assert!(
            !may_use_camera(Caller::LunaPass, true, None),
            "another permission"
        );
        for other in [Caller::Wizard, Caller::Other] {
            assert!(
                !may_use_camera(other, true, Some((true, false))),
                "{other:?}"
            );
        }
    }
}
