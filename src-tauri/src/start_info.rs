//! The app's info, handed to the wizard's page with the page itself (an initialization script),
//! so that its first screen is drawn without waiting for the `app_info` round trip
//! (docs/PERFORMANCE.md, "The release build's footprint").
//!
//! It is [`Session::info_for_every_page`](humo_ident_session::Session::info_for_every_page):
//! a kiosk's reset reloads the page with the same script, so a link the app was started with
//! (one client's) is left out of it, and the page asks `app_info` for it.

use humo_ident_session::events::AppInfo;

/// The global the page reads it from (`ui/src/lib/backend/tauri.ts`).
const GLOBAL: &str = "__HUMO_IDENT_START_INFO__";

/// The script that sets `window.__HUMO_IDENT_START_INFO__` to `info`, frozen and read-only.
pub fn script(info: &AppInfo) -> String {
    // JSON is a JavaScript expression: every string in it is escaped as a JavaScript string is.
    let json = serde_json::to_string(&info).expect("the app's info serialises");
    format!("Object.defineProperty(window, \"{GLOBAL}\", {{ value: Object.freeze({json}) }});")
}

#[cfg(test)]
mod tests {
    use humo_ident_session::events::{SelfieSetup, SelfieUnavailableReason};
    use humo_ident_session::settings::Mode;

    use super::*;

    fn info() -> AppInfo {
        AppInfo {
            version: "1.2.3".into(),
            mode: Mode::Kiosk,
            demo: false,
            kiosk: true,
            link: Some("05a4ce19-de3c-4d2c-a464-7356dbdbd107".into()),
            system_locale: Some("ru-RU".into()),
            bank_host: "ident.bank.example".into(),
            selfie: SelfieSetup::Unavailable {
                reason: SelfieUnavailableReason::LunaPassNotConfigured,
            },
            idle_reset_ms: 90_000,
        }
    }

    /// The object literal the script freezes, read back as JSON.
    fn handed(script: &str) -> serde_json::Value {
        let start = script.find("Object.freeze(").unwrap() + "Object.freeze(".len();
        let end = script.rfind(") });").unwrap();
        serde_json::from_str(&script[start..end]).unwrap()
    }

    #[test]
    fn hands_the_page_the_info_as_json() {
        let script = script(&info());
        assert!(script.starts_with("Object.defineProperty(window, \"__HUMO_IDENT_START_INFO__\""));
        assert_eq!(handed(&script), serde_json::to_value(info()).unwrap());
    }

    #[test]
    fn a_quote_in_a_setting_stays_inside_its_string() {
        let script = script(&AppInfo {
            bank_host: "bank\"});alert(1);//</script>".into(),
            ..info()
        });
        assert_eq!(handed(&script)["bankHost"], "bank\"});alert(1);//</script>");
    }
}
