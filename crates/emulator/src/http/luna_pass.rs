//! The LUNA PASS double's routes: its script, its public key, and its WebSocket.
//!
//! They stand for another service than the bank's, so they sit outside the bank's recording
//! layer: [`crate::Controls::requests`] and the latency switch concern the bank's API only.

use axum::extract::ws::{close_code, CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::json;

use super::AppState;
use crate::error::ApiError;
use crate::luna_pass::{check, key, SCRIPT};

/// Room for a large best shot in base64; the script sends a 640-px-wide frame, about 100 KiB.
const MAX_MESSAGE: usize = 8 * 1024 * 1024;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/luna-pass/luna-pass.js", get(script))
        .route("/luna-pass/public-key.pem", get(public_key))
        .route("/luna-pass/ws", get(socket))
}

/// `no-store`, so a webview never runs a stale double after the emulator was updated.
async fn script() -> Response {
    (
        [
            (CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (CACHE_CONTROL, "no-store"),
        ],
        SCRIPT,
    )
        .into_response()
}

/// The key changes with every emulator process, so it is never cached either.
async fn public_key() -> Result<Response, ApiError> {
    let pem = tokio::task::spawn_blocking(|| key::get().public_pem().to_owned())
        .await
        .map_err(|_| ApiError::Internal)?;
    Ok((
        [
            (CONTENT_TYPE, "text/plain; charset=utf-8"),
            (CACHE_CONTROL, "no-store"),
        ],
        pem,
    )
        .into_response())
}

async fn socket(upgrade: WebSocketUpgrade, State(shared): State<AppState>) -> Response {
    upgrade
        .max_message_size(MAX_MESSAGE)
        .on_upgrade(move |socket| converse(socket, shared))
}

/// Answers every `check` message with a verdict until the client closes; a malformed
/// message gets `{"error": …}` and the socket is closed.
async fn converse(mut socket: WebSocket, shared: AppState) {
    tracing::info!("LUNA PASS double: socket opened");
    while let Some(received) = socket.recv().await {
        let text = match received {
            Ok(Message::Text(text)) => text,
            Ok(Message::Binary(_)) => {
                refuse(
                    &mut socket,
                    "expected a JSON text message, not binary".into(),
                )
                .await;
                return;
            }
            Ok(Message::Ping(_) | Message::Pong(_)) => continue,
            Ok(Message::Close(_)) => break,
            Err(err) => {
                tracing::info!(%err, "LUNA PASS double: socket broke");
                return;
            }
        };
        let shared = shared.clone();
        let answered = tokio::task::spawn_blocking(move || check::run(&shared, text.as_str()))
            .await
            .unwrap_or_else(|_| Err("internal error".to_owned()));
        let reply = match answered.map(|reply| serde_json::to_string(&reply)) {
            Ok(Ok(reply)) => reply,
            Ok(Err(_)) => {
                refuse(&mut socket, "internal error".into()).await;
                return;
            }
            Err(error) => {
                refuse(&mut socket, error).await;
                return;
            }
        };
        if socket.send(Message::text(reply)).await.is_err() {
            return;
        }
    }
    tracing::info!("LUNA PASS double: socket closed");
}

/// Sends `{"error": …}` and closes; the client may already be gone, so failures are moot.
async fn refuse(socket: &mut WebSocket, error: String) {
    // A parse error can quote the message; cut it so no image data reaches the log.
    let logged: String = error.chars().take(160).collect();
    tracing::info!(error = %logged, "LUNA PASS double: message refused");
    let reply = json!({ "error": error }).to_string();
    let _ = socket.send(Message::text(reply)).await;
    let close = CloseFrame {
        code: close_code::POLICY,
        reason: "malformed message".into(),
    };
    let _ = socket.send(Message::Close(Some(close))).await;
}
