//! Which links the app acts on: the policy built from `[links]` and the bank's address.
//!
//! A link opens an identification in the app's own forms (`humo-ident:`, a bare key) or as an
//! `https` link on a host the bank named; a page is handed to the system at the end only as an
//! `https` page on such a host, or as one of the apps the bank named. Everything else is
//! refused with the reason: a planted QR code or web page cannot open an attacker's session,
//! and no `file:`, `smb:` or other scheme reaches the system's opener.

use url::Url;

use crate::config::Config;
use crate::error::Error;
use crate::input::PresignKey;

/// The hosts and app schemes the app trusts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkPolicy {
    hosts: Vec<String>,
    app_schemes: Vec<String>,
}

impl LinkPolicy {
    /// `[links]`, plus the host of the bank's API.
    pub fn from_config(config: &Config) -> LinkPolicy {
        let api_host = Url::parse(&config.api.base_url)
            .ok()
            .and_then(|url| url.host_str().map(str::to_owned));
        LinkPolicy {
            hosts: config
                .links
                .hosts
                .iter()
                .cloned()
                .chain(api_host)
                .map(|host| host.to_ascii_lowercase())
                .collect(),
            app_schemes: config
                .links
                .app_schemes
                .iter()
                .map(|scheme| scheme.to_ascii_lowercase())
                .collect(),
        }
    }

    /// Whether `host` is one the bank named (exactly, or under a `*.` entry).
    pub fn trusts_host(&self, host: &str) -> bool {
        let host = host.to_ascii_lowercase();
        self.hosts
            .iter()
            .any(|allowed| match allowed.strip_prefix("*.") {
                Some(parent) => host.ends_with(&format!(".{parent}")),
                None => *allowed == host,
            })
    }

    /// Reads the key from what a person pasted or scanned, or a program passed: a bare key, an
    /// app link, or an `https` link on a trusted host (see [`PresignKey::from_link`] for the
    /// forms). A web link on any other host is refused with [`Error::LinkNotAllowed`].
    pub fn key_from_link(&self, text: &str) -> Result<PresignKey, Error> {
        let key = PresignKey::from_link(text)?;
        let Ok(url) = Url::parse(text.trim()) else {
            return Ok(key); // a bare key
        };
        match url.scheme() {
            "https" if url.host_str().is_some_and(|host| self.trusts_host(host)) => Ok(key),
            "http" | "https" => Err(Error::LinkNotAllowed(
                url.host_str().unwrap_or_default().to_owned(),
            )),
            _ => Ok(key),
        }
    }

    /// Whether the bank's `home_page` may be handed to the system: an `https` page on a
    /// trusted host, or a link into one of the apps the bank named.
    pub fn may_open_home_page(&self, text: &str) -> bool {
        let Ok(url) = Url::parse(text) else {
            return false;
        };
        match url.scheme() {
            "https" => {
                url.username().is_empty()
                    && url.password().is_none()
                    && url.host_str().is_some_and(|host| self.trusts_host(host))
            }
            scheme => self.app_schemes.iter().any(|allowed| allowed == scheme),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "05a4ce19-de3c-4d2c-a464-7356dbdbd107";

    fn policy() -> LinkPolicy {
        let config = Config::from_toml(
            r#"
            [api]
            base-url = "https://crm.humo.tj/gw"
            [links]
            hosts = ["id.humo.tj", "*.humo-online.tj"]
            app-schemes = ["humoOnline"]
            "#,
        )
        .unwrap();
        LinkPolicy::from_config(&config)
    }

    #[test]
    fn the_apps_own_forms_and_trusted_hosts_open_a_link() {
        for link in [
            KEY.to_owned(),
            format!("humo-ident://open?key={KEY}"),
            format!("humo-ident://open/{KEY}"),
            format!("https://crm.humo.tj/ident?key={KEY}"),
            format!("https://ID.HUMO.TJ/ident/{KEY}"),
            format!("https://m.humo-online.tj/link/presign/{KEY}"),
        ] {
            assert_eq!(
                policy().key_from_link(&link).unwrap().to_string(),
                KEY,
                "{link}"
            );
        }
    }

    #[test]
    fn other_hosts_are_refused_and_named() {
        for (link, host) in [
            (
                format!("https://evil.example/ident?key={KEY}"),
                "evil.example",
            ),
            (
                format!("https://crm.humo.tj.evil.example/{KEY}"),
                "crm.humo.tj.evil.example",
            ),
            (format!("https://humo-online.tj/{KEY}"), "humo-online.tj"),
            (format!("http://crm.humo.tj/ident?key={KEY}"), "crm.humo.tj"),
            (format!("http://10.0.0.5/link/presign/{KEY}"), "10.0.0.5"),
        ] {
            match policy().key_from_link(&link) {
                Err(Error::LinkNotAllowed(named)) => assert_eq!(named, host, "{link}"),
                other => panic!("{link}: {other:?}"),
            }
        }
        let error = policy()
            .key_from_link(&format!("https://evil.example/{KEY}"))
            .unwrap_err();
        assert!(error.to_string().contains("evil.example"));
    }

    #[test]
    fn home_pages_are_an_allow_list() {
        let policy = policy();
        assert!(policy.may_open_home_page("https://crm.humo.tj/done"));
        assert!(policy.may_open_home_page("https://www.humo-online.tj/"));
        assert!(policy.may_open_home_page("humoOnline://app"));
        for refused in [
            "http://crm.humo.tj/done",
            "https://evil.example/",
            "https://user:pw@crm.humo.tj/",
            "smb://server/share",
            "sftp://crm.humo.tj/",
            "apt:install-me",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "otherapp://x",
            "not a url",
        ] {
            assert!(!policy.may_open_home_page(refused), "{refused}");
        }
    }

    #[test]
    fn hosts_and_schemes_are_checked_when_read() {
        for bad in [
            "[links]\nhosts = [\"https://bank.example\"]",
            "[links]\nhosts = [\"bank.example/path\"]",
            "[links]\nhosts = [\"\"]",
            "[links]\napp-schemes = [\"https\"]",
            "[links]\napp-schemes = [\"smb\"]",
            "[links]\napp-schemes = [\"1app\"]",
        ] {
            let error = Config::from_toml(bad).unwrap_err().to_string();
            assert!(error.contains("links."), "{bad}: {error}");
        }
    }
}
