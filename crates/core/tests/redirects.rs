//! The client follows no redirect: the token goes to the configured server and nowhere else.
//! Tested over real HTTP against a loopback server that redirects everything.

use std::sync::Arc;

use humo_ident_core::api::ApiClient;
use humo_ident_core::config::ApiConfig;
use humo_ident_core::input::PresignKey;
use humo_ident_core::Error;
use humo_ident_emulator::DEMO_KEY;

/// A server on this machine that answers every request with a redirect to another one, and
/// counts the requests that reach the other one.
async fn redirecting_server() -> (String, Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let elsewhere = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let elsewhere_url = format!("http://{}/stolen", elsewhere.local_addr().unwrap());
    let followed = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&followed);
    tokio::spawn(async move {
        while let Ok((_, _)) = elsewhere.accept().await {
            count.fetch_add(1, Ordering::SeqCst);
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let location = elsewhere_url.clone();
            tokio::spawn(async move {
                let mut request = [0u8; 4096];
                let _ = stream.read(&mut request).await;
                let answer = format!(
                    "HTTP/1.1 307 Temporary Redirect\r\nLocation: {location}\r\n\
                     Content-Length: 0\r\nConnection: close\r\n\r\n"
                );
                let _ = stream.write_all(answer.as_bytes()).await;
            });
        }
    });
    (base, followed)
}

#[tokio::test]
async fn a_redirect_is_an_error_that_names_its_status_and_is_not_followed() {
    let (base_url, followed) = redirecting_server().await;
    let client = ApiClient::new(&ApiConfig {
        base_url,
        ..ApiConfig::default()
    })
    .unwrap();
    let key = PresignKey::parse(DEMO_KEY).unwrap();
    let error = client.presign(&key).await.unwrap_err();
    assert!(
        matches!(error, Error::Server { status: 307, .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("307"));
    assert_eq!(followed.load(std::sync::atomic::Ordering::SeqCst), 0);
}
