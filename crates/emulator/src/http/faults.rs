//! Answers that go wrong on the way: a connection that breaks mid-body, a body that trickles.

use std::io;
use std::time::Duration;

use axum::body::Body;
use axum::http::header::CONTENT_LENGTH;
use axum::response::Response;
use bytes::Bytes;
use futures_util::{stream, StreamExt as _};

/// Long enough for the half body to leave before the connection breaks.
const FLUSH_PAUSE: Duration = Duration::from_millis(20);

/// How many pieces a slow body arrives in.
const SLOW_PIECES: u32 = 8;

/// Keeps the status line and headers, sends half the body, then breaks the connection, so
/// the client sees a response that dies mid-body. The pause before the break lets the
/// server flush what went before; an immediate error would drop the headers too.
pub(super) async fn broken(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    parts.headers.remove(CONTENT_LENGTH);
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let half = bytes.slice(..bytes.len() / 2);
    let failure = async {
        tokio::time::sleep(FLUSH_PAUSE).await;
        Err(io::Error::new(
            io::ErrorKind::ConnectionAborted,
            "connection dropped by the emulator",
        ))
    };
    let stream = stream::iter([Ok::<Bytes, io::Error>(half)]).chain(stream::once(failure));
    Response::from_parts(parts, Body::from_stream(stream))
}

/// The same answer, its body sent in pieces spread over `over`: the headers come at once and
/// the client waits for the rest, as behind a congested link.
pub(super) async fn slow(response: Response, over: Duration) -> Response {
    let (mut parts, body) = response.into_parts();
    parts.headers.remove(CONTENT_LENGTH);
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let piece = bytes.len().div_ceil(SLOW_PIECES as usize).max(1);
    let pause = over / SLOW_PIECES;
    let pieces: Vec<Bytes> = (0..bytes.len())
        .step_by(piece)
        .map(|start| bytes.slice(start..(start + piece).min(bytes.len())))
        .collect();
    let stream = stream::iter(pieces).then(move |piece| async move {
        tokio::time::sleep(pause).await;
        Ok::<Bytes, io::Error>(piece)
    });
    Response::from_parts(parts, Body::from_stream(stream))
}
