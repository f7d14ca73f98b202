//! Running the emulator: binding, serving in the background, and stopping.

use std::fmt;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::config::EmulatorConfig;
use crate::controls::Controls;
use crate::http;
use crate::luna_pass;
use crate::state::Shared;

/// A running emulator. Dropping it stops the server in the background; [`Emulator::shutdown`]
/// stops it and waits.
pub struct Emulator {
    addr: SocketAddr,
    controls: Controls,
    stop: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<io::Result<()>>>,
}

impl Emulator {
    /// Starts on 127.0.0.1 with a free port.
    pub async fn start(config: EmulatorConfig) -> io::Result<Emulator> {
        Self::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)), config).await
    }

    /// Starts on the given address (port 0 picks a free one).
    pub async fn bind(addr: SocketAddr, config: EmulatorConfig) -> io::Result<Emulator> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared::new(config));
        let app = http::router(Arc::clone(&shared));
        let (stop, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    // A dropped sender means the same as a sent signal: stop.
                    let _ = stopped.await;
                })
                .await
        });
        tracing::info!(%addr, "emulator listening");
        Ok(Emulator {
            addr,
            controls: Controls::new(shared),
            stop: Some(stop),
            server: Some(server),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://HOST:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Where the LUNA PASS double's script is served: `{base_url}/luna-pass/luna-pass.js`.
    pub fn luna_pass_script_url(&self) -> String {
        format!("{}/luna-pass/luna-pass.js", self.base_url())
    }

    /// The WebSocket the double's script is given as `wsUrl`: `ws://HOST:PORT/luna-pass/ws`.
    pub fn luna_pass_ws_url(&self) -> String {
        format!("ws://{}/luna-pass/ws", self.addr)
    }

    /// The public key the double's RS256 verdicts verify with, as SPKI PEM (also served at
    /// `/luna-pass/public-key.pem`). One key per process, shared by every emulator in it,
    /// made in the background at start; until it is ready, this call blocks.
    pub fn luna_pass_public_key_pem(&self) -> String {
        luna_pass::key::get().public_pem().to_owned()
    }

    /// The same key as PKCS#1 DER, for `jsonwebtoken::DecodingKey::from_rsa_der`, which
    /// needs no `use_pem` feature.
    pub fn luna_pass_public_key_der(&self) -> Vec<u8> {
        luna_pass::key::get().public_der().to_vec()
    }

    pub fn controls(&self) -> Controls {
        self.controls.clone()
    }

    /// Stops accepting, lets in-flight requests finish, and returns when the server ended.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Err(err) = self.wait().await {
            tracing::warn!(%err, "emulator ended with an error");
        }
        tracing::info!(addr = %self.addr, "emulator stopped");
    }

    /// Resolves when the server stops on its own, with the error that stopped it; at once
    /// if it has already stopped. Cancel-safe, so it can race Ctrl-C in a `select!`.
    pub async fn wait(&mut self) -> io::Result<()> {
        let Some(server) = self.server.as_mut() else {
            return Ok(());
        };
        let ended = server.await;
        self.server = None;
        ended.map_err(io::Error::other)?
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

impl fmt::Debug for Emulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Emulator")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}
