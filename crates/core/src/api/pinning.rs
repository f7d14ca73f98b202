//! Pinning the bank's certificate (`[api] pin-sha256`): the TLS configuration the client uses
//! when the configuration names pins.
//!
//! The usual checks run first (a chain to a trusted root, the host name, the dates): a pin
//! narrows what is trusted, it never replaces those checks. Then the server's certificate, or
//! one of the intermediates it sends, must carry a key whose SHA-256 (of its DER
//! SubjectPublicKeyInfo, as `openssl … | openssl dgst -sha256 -binary | base64` prints it) is
//! pinned. A bank that renews its certificate on the same key keeps its pin; pinning its CA's
//! intermediate survives a new key too.

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use sha2::{Digest, Sha256};

use crate::error::Error;

/// A pin: the SHA-256 of a certificate's SubjectPublicKeyInfo.
pub(crate) type Pin = [u8; 32];

/// The TLS configuration for a client that trusts what reqwest trusts (the bundled Mozilla
/// roots and the system's store), and of that only the pinned keys.
pub(crate) fn pinned_tls(pins: Vec<Pin>) -> Result<ClientConfig, Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let native = rustls_native_certs::load_native_certs();
    for error in &native.errors {
        tracing::warn!(%error, "a certificate of the system's store could not be read");
    }
    roots.add_parsable_certificates(native.certs);
    let setup_failed =
        |e: &dyn std::fmt::Display| Error::Config(format!("cannot set up HTTPS: {e}"));
    let chain = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .build()
        .map_err(|e| setup_failed(&e))?;
    let mut config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| setup_failed(&e))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(PinnedKeys { chain, pins }))
        .with_no_client_auth();
    // What reqwest offers itself: HTTP/2 where the server has it.
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

/// The SHA-256 of a certificate's key, or `None` when the certificate cannot be read (it then
/// matches no pin).
fn key_pin(certificate: &CertificateDer<'_>) -> Option<Pin> {
    let certificate = webpki::EndEntityCert::try_from(certificate).ok()?;
    Some(Sha256::digest(certificate.subject_public_key_info()).into())
}

/// The usual verifier, then the pins.
#[derive(Debug)]
struct PinnedKeys {
    chain: Arc<WebPkiServerVerifier>,
    pins: Vec<Pin>,
}

/// Why a server whose chain is otherwise good was refused. The network error shows it.
#[derive(Debug, thiserror::Error)]
#[error("the server's certificate carries none of the keys pinned in [api] pin-sha256")]
struct NotPinned;

impl ServerCertVerifier for PinnedKeys {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let verified = self.chain.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        )?;
        let pinned = std::iter::once(end_entity)
            .chain(intermediates)
            .filter_map(|certificate| key_pin(certificate))
            .any(|pin| self.pins.contains(&pin));
        if pinned {
            Ok(verified)
        } else {
            Err(rustls::Error::InvalidCertificate(
                rustls::CertificateError::Other(rustls::OtherError(Arc::new(NotPinned))),
            ))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        certificate: &CertificateDer<'_>,
        signed: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.chain
            .verify_tls12_signature(message, certificate, signed)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        certificate: &CertificateDer<'_>,
        signed: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.chain
            .verify_tls13_signature(message, certificate, signed)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.chain.supported_verify_schemes()
    }
}
