//! The updater against a local update server, over real HTTP: what it takes, and what it
//! refuses. The packages are signed here with a key made for each test, as `tauri signer sign`
//! signs them.

use std::io::Cursor;

use base64::Engine as _;
use humo_ident_core::config::{UpdateSource, UpdatesConfig};
use tauri::test::MockRuntime;

use super::{fetch_verified, plugin_config, UpdateError};

fn base64(text: impl AsRef<[u8]>) -> String {
    base64::engine::general_purpose::STANDARD.encode(text)
}

/// A signing key, as `tauri signer generate` makes one.
struct Signer(minisign::KeyPair);

impl Signer {
    fn new() -> Signer {
        Signer(minisign::KeyPair::generate_unencrypted_keypair().unwrap())
    }

    /// The public key as `[updates] public-key` takes it.
    fn public_key(&self) -> String {
        base64(self.0.pk.to_box().unwrap().into_string())
    }

    /// The signature of `package` made for `version`, as the manifest carries it.
    fn sign(&self, package: &[u8], version: &str) -> String {
        let trusted =
            format!("timestamp:1796083200\tfile:humo-ident_{version}_amd64.deb\tversion:{version}");
        let signature = minisign::sign(
            Some(&self.0.pk),
            &self.0.sk,
            Cursor::new(package),
            Some(&trusted),
            Some("signature from tauri secret key"),
        )
        .unwrap();
        base64(signature.into_string())
    }
}

/// What the local server offers: a manifest naming a version, and a package with its signature.
struct Release {
    version: String,
    package: Vec<u8>,
    signature: String,
}

/// Serves `release` on a port of this machine; returns the manifest's address.
async fn serve(release: Release) -> String {
    serve_with_package_at(release, None).await
}

/// Serves `release`, its manifest naming `package_url` as the package's address (the served
/// package's by default).
async fn serve_with_package_at(release: Release, package_url: Option<&str>) -> String {
    use axum::routing::get;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let package_url = package_url.map_or_else(|| format!("{base}/humo-ident.deb"), str::to_owned);
    let manifest = serde_json::json!({
        "version": release.version,
        "notes": "Camera fixes",
        "pub_date": "2026-11-30T12:00:00Z",
        "platforms": {
            tauri_plugin_updater::target().unwrap(): {
                "url": package_url,
                "signature": release.signature,
            }
        }
    });
    let package = release.package;
    let router = axum::Router::new()
        .route(
            "/latest.json",
            get(move || async move { axum::Json(manifest) }),
        )
        .route("/humo-ident.deb", get(move || async move { package }));
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("{base}/latest.json")
}

/// The source `[updates]` makes, checked as the app checks it.
fn source(endpoint: &str, public_key: String) -> UpdateSource {
    UpdatesConfig {
        endpoint: Some(endpoint.to_owned()),
        public_key: Some(public_key),
        ..UpdatesConfig::default()
    }
    .source()
    .unwrap()
    .unwrap()
}

/// An app of this version with the updater registered as the shell registers it.
fn app(source: &UpdateSource) -> tauri::App<MockRuntime> {
    let mut context = tauri::test::mock_context(tauri::test::noop_assets());
    context.package_info_mut().version = "0.1.0".parse().unwrap();
    context
        .config_mut()
        .plugins
        .0
        .insert("updater".into(), plugin_config());
    tauri::test::mock_builder()
        .plugin(
            tauri_plugin_updater::Builder::new()
                .pubkey(source.public_key.clone())
                .build(),
        )
        .build(context)
        .unwrap()
}

const PACKAGE: &[u8] = b"!<arch>\ndebian-binary   the next version of Humo Ident";

fn tampered() -> Vec<u8> {
    let mut package = PACKAGE.to_vec();
    let last = package.len() - 1;
    package[last] ^= 1;
    package
}

/// Offers `release` to an app that trusts `public_key`; returns what the updater made of it.
async fn offer(
    release: Release,
    public_key: String,
) -> Result<Option<super::Verified>, UpdateError> {
    let source = source(&serve(release).await, public_key);
    let app = app(&source);
    fetch_verified(app.handle(), &source).await
}

#[tokio::test]
async fn a_newer_signed_version_is_offered_and_verified() {
    let signer = Signer::new();
    let release = Release {
        version: "0.2.0".into(),
        package: PACKAGE.to_vec(),
        signature: signer.sign(PACKAGE, "0.2.0"),
    };
    let verified = offer(release, signer.public_key())
        .await
        .unwrap()
        .expect("an update");
    assert_eq!(verified.update.version, "0.2.0");
    assert_eq!(verified.update.current_version, "0.1.0");
    assert_eq!(verified.bytes, PACKAGE);
}

#[tokio::test]
async fn a_tampered_package_is_refused_with_a_clear_line() {
    let signer = Signer::new();
    let release = Release {
        version: "0.2.0".into(),
        package: tampered(),
        signature: signer.sign(PACKAGE, "0.2.0"),
    };
    let error = offer(release, signer.public_key())
        .await
        .err()
        .expect("refused");
    assert!(matches!(error, UpdateError::Refused { .. }), "{error:?}");
    let line = error.to_string();
    assert!(
        line.starts_with("the update to 0.2.0 was refused: its signature does not verify with the configured public key"),
        "{line}"
    );
}

#[tokio::test]
async fn a_package_signed_with_another_key_is_refused() {
    let (bank, stranger) = (Signer::new(), Signer::new());
    let release = Release {
        version: "0.2.0".into(),
        package: PACKAGE.to_vec(),
        signature: stranger.sign(PACKAGE, "0.2.0"),
    };
    let error = offer(release, bank.public_key())
        .await
        .err()
        .expect("refused");
    assert!(matches!(error, UpdateError::Refused { .. }), "{error:?}");
}

#[tokio::test]
async fn an_old_signed_package_offered_as_a_new_version_is_refused() {
    let signer = Signer::new();
    let release = Release {
        version: "0.2.0".into(),
        package: PACKAGE.to_vec(),
        // Genuinely signed, for a version that is not the one offered.
        signature: signer.sign(PACKAGE, "0.0.9"),
    };
    let error = offer(release, signer.public_key())
        .await
        .err()
        .expect("refused");
    assert!(matches!(error, UpdateError::Refused { .. }), "{error:?}");
}

#[tokio::test]
async fn the_running_version_or_an_older_one_is_not_offered() {
    let signer = Signer::new();
    for version in ["0.1.0", "0.0.9"] {
        let release = Release {
            version: version.into(),
            package: PACKAGE.to_vec(),
            signature: signer.sign(PACKAGE, version),
        };
        assert!(offer(release, signer.public_key()).await.unwrap().is_none());
    }
}

#[tokio::test]
async fn an_endpoint_that_does_not_answer_is_a_check_error_naming_its_host() {
    let signer = Signer::new();
    // A port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let source = source(
        &format!("http://127.0.0.1:{port}/latest.json"),
        signer.public_key(),
    );
    let app = app(&source);
    let error = fetch_verified(app.handle(), &source)
        .await
        .err()
        .expect("no update");
    assert!(matches!(error, UpdateError::Check { .. }), "{error:?}");
    assert!(
        error
            .to_string()
            .starts_with("no update could be looked for at 127.0.0.1"),
        "{error}"
    );
}

#[tokio::test]
async fn a_package_offered_over_plain_http_from_another_machine_is_refused() {
    let signer = Signer::new();
    let release = Release {
        version: "0.2.0".into(),
        package: PACKAGE.to_vec(),
        signature: signer.sign(PACKAGE, "0.2.0"),
    };
    // Refused before any download: nothing listens at that address.
    let endpoint =
        serve_with_package_at(release, Some("http://updates.invalid/humo-ident.deb")).await;
    let source = source(&endpoint, signer.public_key());
    let app = app(&source);
    let error = fetch_verified(app.handle(), &source)
        .await
        .err()
        .expect("refused");
    assert!(
        matches!(error, UpdateError::InsecureDownload { .. }),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "the update to 0.2.0 was refused: its package is offered over http:// from \
         updates.invalid, and packages are taken over https only"
    );
}
