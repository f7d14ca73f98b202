//! The emulator's own RS256 key, standing in for the LUNA PASS deployment's signing key.
//!
//! One key per process, made on first use and never written anywhere: a token it signed is
//! only good while this process runs, which is all a test or a demo needs, and no key file
//! can leak or go stale.

use std::sync::{Once, OnceLock};

use jsonwebtoken::{DecodingKey, EncodingKey};
use rsa::pkcs1::{EncodeRsaPrivateKey, EncodeRsaPublicKey};
use rsa::pkcs8::{EncodePublicKey, LineEnding};
use rsa::rand_core::OsRng;
use rsa::RsaPrivateKey;

/// The size the vendor's RS256 deployments use; smaller keys are refused by some verifiers.
const BITS: usize = 2048;

/// The key pair in the forms its users need, computed once.
pub(crate) struct SigningKey {
    encoding: EncodingKey,
    decoding: DecodingKey,
    public_pem: String,
    public_der: Vec<u8>,
}

static KEY: OnceLock<SigningKey> = OnceLock::new();

/// Starts making the key on a blocking thread, the first time it is called, so that its first
/// user waits less or not at all. The emulator calls it when it is asked for a link, not when
/// it starts: in the demo it starts with the app, whose start would share two cores with it.
pub(crate) fn prepare() {
    static STARTED: Once = Once::new();
    STARTED.call_once(|| drop(tokio::task::spawn_blocking(get)));
}

/// The key, generated on the first call. That call takes a noticeable moment of CPU (and
/// others wait for it), so async code calls this through `spawn_blocking`.
pub(crate) fn get() -> &'static SigningKey {
    KEY.get_or_init(generate)
}

fn generate() -> SigningKey {
    // 2048 bits with the default exponent are valid parameters, and the OS random source
    // failing is not something an emulator can recover from: these cannot fail in practice.
    let private = RsaPrivateKey::new(&mut OsRng, BITS).expect("RSA key generation");
    let public = private.to_public_key();
    let private_der = private
        .to_pkcs1_der()
        .expect("a generated key encodes as PKCS#1");
    let public_der = public
        .to_pkcs1_der()
        .expect("a generated key encodes as PKCS#1")
        .into_vec();
    let public_pem = public
        .to_public_key_pem(LineEnding::LF)
        .expect("a generated key encodes as PEM");
    tracing::info!(bits = BITS, "LUNA PASS double: signing key generated");
    SigningKey {
        encoding: EncodingKey::from_rsa_der(private_der.as_bytes()),
        decoding: DecodingKey::from_rsa_der(&public_der),
        public_pem,
        public_der,
    }
}

impl SigningKey {
    pub(crate) fn encoding(&self) -> &EncodingKey {
        &self.encoding
    }

    pub(crate) fn decoding(&self) -> &DecodingKey {
        &self.decoding
    }

    /// The public key as SPKI PEM (`-----BEGIN PUBLIC KEY-----`), what most JWT libraries read.
    pub(crate) fn public_pem(&self) -> &str {
        &self.public_pem
    }

    /// The public key as PKCS#1 DER, what `DecodingKey::from_rsa_der` reads.
    pub(crate) fn public_der(&self) -> &[u8] {
        &self.public_der
    }
}
