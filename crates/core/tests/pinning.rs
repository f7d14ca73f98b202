//! `[api] pin-sha256`: a pinned client speaks only to a server whose certificate carries a
//! pinned key. Tested over real HTTPS against a loopback server with a certificate of a test
//! CA, which the process trusts through `SSL_CERT_FILE` (read by the system's store loader, for
//! the pinned client and the usual one alike).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use humo_ident_core::api::ApiClient;
use humo_ident_core::config::ApiConfig;
use humo_ident_core::input::PresignKey;
use humo_ident_core::Error;
use humo_ident_emulator::DEMO_KEY;
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, ExtendedKeyUsagePurpose, IsCa, KeyPair,
    PublicKeyData,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The test CA and the server's certificate it signed, made once for the whole process: the
/// store of trusted roots is read from `SSL_CERT_FILE` whenever a client is built.
struct TestPki {
    ca_pin: String,
    server_pin: String,
    chain: Vec<CertificateDer<'static>>,
    server_key: Vec<u8>,
}

fn pin_of(key: &impl PublicKeyData) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(key.subject_public_key_info()))
}

fn pki() -> &'static TestPki {
    static PKI: OnceLock<TestPki> = OnceLock::new();
    PKI.get_or_init(|| {
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let ca_key = KeyPair::generate().unwrap();
        let ca_pin = pin_of(&ca_key);
        let ca = CertifiedIssuer::self_signed(ca_params, ca_key).unwrap();
        let mut server_params =
            CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()]).unwrap();
        server_params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let server_key = KeyPair::generate().unwrap();
        let server = server_params.signed_by(&server_key, &ca).unwrap();
        let roots =
            std::env::temp_dir().join(format!("humo-ident-pinning-{}.pem", std::process::id()));
        std::fs::write(&roots, pem_certificate(ca.der())).unwrap();
        // Set once, before any client of this process reads it.
        std::env::set_var("SSL_CERT_FILE", &roots);
        TestPki {
            ca_pin,
            server_pin: pin_of(&server_key),
            chain: vec![server.der().clone(), ca.der().clone()],
            server_key: server_key.serialize_der(),
        }
    })
}

/// A certificate as a PEM file holds it, the form `SSL_CERT_FILE` takes.
fn pem_certificate(der: &[u8]) -> String {
    use base64::Engine;
    let text = base64::engine::general_purpose::STANDARD.encode(der);
    let lines: Vec<&str> = text
        .as_bytes()
        .chunks(64)
        .map(|line| std::str::from_utf8(line).unwrap())
        .collect();
    format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        lines.join("\n")
    )
}

/// An https server on this machine that answers every request 404 (so a presign that gets
/// through the handshake fails with `LinkNotFound`), and counts the requests it read.
async fn https_server() -> (String, Arc<AtomicUsize>) {
    let pki = pki();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(
        pki.chain.clone(),
        PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(pki.server_key.clone())),
    )
    .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("https://{}", listener.local_addr().unwrap());
    let requests = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&requests);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let (acceptor, count) = (acceptor.clone(), Arc::clone(&count));
            tokio::spawn(async move {
                let Ok(mut stream) = acceptor.accept(stream).await else {
                    return;
                };
                let mut request = [0u8; 4096];
                if stream.read(&mut request).await.unwrap_or(0) > 0 {
                    count.fetch_add(1, Ordering::SeqCst);
                }
                let answer =
                    "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
                let _ = stream.write_all(answer.as_bytes()).await;
                let _ = stream.shutdown().await;
            });
        }
    });
    (base_url, requests)
}

async fn presign_with_pins(pins: Vec<String>) -> (Result<(), Error>, usize) {
    let (base_url, requests) = https_server().await;
    let client = ApiClient::new(&ApiConfig {
        base_url,
        pin_sha256: pins,
        ..ApiConfig::default()
    })
    .unwrap();
    let result = client
        .presign(&PresignKey::parse(DEMO_KEY).unwrap())
        .await
        .map(drop);
    (result, requests.load(Ordering::SeqCst))
}

#[tokio::test]
async fn without_pins_a_server_the_system_trusts_is_spoken_to() {
    let (result, requests) = presign_with_pins(Vec::new()).await;
    assert!(matches!(result, Err(Error::LinkNotFound)), "{result:?}");
    assert_eq!(requests, 1);
}

#[tokio::test]
async fn the_servers_own_key_may_be_pinned() {
    let other = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=".to_owned();
    let (result, requests) = presign_with_pins(vec![other, pki().server_pin.clone()]).await;
    assert!(matches!(result, Err(Error::LinkNotFound)), "{result:?}");
    assert_eq!(requests, 1);
}

#[tokio::test]
async fn the_key_of_a_certificate_the_server_sends_above_its_own_may_be_pinned() {
    let (result, requests) = presign_with_pins(vec![pki().ca_pin.clone()]).await;
    assert!(matches!(result, Err(Error::LinkNotFound)), "{result:?}");
    assert_eq!(requests, 1);
}

#[tokio::test]
async fn a_trusted_server_without_a_pinned_key_is_refused_before_any_request() {
    // The SHA-256 of nothing: no key has it.
    let nobody = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=".to_owned();
    let (result, requests) = presign_with_pins(vec![nobody]).await;
    let Err(Error::Network(detail)) = &result else {
        panic!("{result:?}");
    };
    assert!(detail.contains("pin-sha256"), "{detail}");
    assert_eq!(requests, 0, "nothing was sent to it");
}

#[test]
fn pins_need_an_https_server_and_32_bytes_each() {
    let pinned = |base_url: &str, pin: &str| {
        ApiClient::new(&ApiConfig {
            base_url: base_url.into(),
            pin_sha256: vec![pin.into()],
            ..ApiConfig::default()
        })
        .map(drop)
    };
    let good = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
    assert!(pinned("https://ident.bank.example", good).is_ok());
    for (base_url, pin, says) in [
        ("http://127.0.0.1:8080", good, "https"),
        ("https://ident.bank.example", "not base64!", "pin-sha256[0]"),
        // 31 bytes: a pin of another hash, or one cut short.
        (
            "https://ident.bank.example",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==",
            "32 bytes",
        ),
    ] {
        let error = pinned(base_url, pin).unwrap_err();
        assert!(
            matches!(&error, Error::Config(message) if message.contains(says)),
            "{base_url} {pin}: {error:?}"
        );
    }
}
