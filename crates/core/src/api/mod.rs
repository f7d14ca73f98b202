//! The client of the bank's identification API: presign, uploads and task status.

mod model;
mod pinning;
mod upload;

use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use reqwest::{RequestBuilder, StatusCode};

pub use model::{reason_of, OpenedLink, OpenedLinkInfo, TaskId, TaskState};
pub use upload::UploadRequest;

use crate::config::ApiConfig;
use crate::error::Error;
use crate::input::PresignKey;

/// What the client calls itself.
pub const USER_AGENT: &str = concat!("humo-ident/", env!("CARGO_PKG_VERSION"));

/// Bodies larger than this are not read: no answer of the contract comes near it.
const MAX_BODY: usize = 4 * 1024 * 1024;

/// A client of one bank server. Cheap to clone; clones share connections.
#[derive(Clone, Debug)]
pub struct ApiClient {
    http: reqwest::Client,
    base_url: String,
}

impl ApiClient {
    /// Builds a client. TLS is rustls, trusting the system's certificate store as well as the
    /// bundled Mozilla roots, so a branch behind a corporate CA works without extra set-up; with
    /// `[api] pin-sha256`, only a server whose certificate carries a pinned key (see
    /// [`pinning`]).
    pub fn new(config: &ApiConfig) -> Result<Self, Error> {
        // The scheme as the parser read it: `HTTPS://` is https too.
        let secure = reqwest::Url::parse(&config.base_url).is_ok_and(|url| url.scheme() == "https");
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        let mut builder = reqwest::Client::builder();
        let pins = config.pins()?;
        if !pins.is_empty() {
            builder = builder.use_preconfigured_tls(pinning::pinned_tls(pins)?);
        }
        let http = builder
            .user_agent(USER_AGENT)
            .default_headers(headers)
            .connect_timeout(Duration::from_secs(config.connect_timeout_secs))
            .timeout(Duration::from_secs(config.request_timeout_secs))
            // Only the configured server is ever spoken to: a redirect is an error.
            .redirect(reqwest::redirect::Policy::none())
            .https_only(secure)
            .build()
            .map_err(|e| Error::Config(format!("cannot set up HTTPS: {}", e.without_url())))?;
        Ok(ApiClient {
            http,
            base_url: config.base_url.trim_end_matches('/').to_owned(),
        })
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// Step 1: opens the link and gets the access token.
    pub async fn presign(&self, key: &PresignKey) -> Result<OpenedLink, Error> {
        let request = self
            .http
            .get(self.url(&format!("/api/link/presign/{}", key.as_hyphenated())))
            .header(CONTENT_TYPE, "application/json");
        let (status, body) = send(request).await?;
        match status {
            s if s.is_success() => OpenedLink::from_presign_body(key.clone(), &body),
            StatusCode::NOT_FOUND => Err(Error::LinkNotFound),
            StatusCode::GONE | StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
                Err(Error::LinkExpired)
            }
            other => Err(server_error(other, &body)),
        }
    }

    /// Steps 3, 5 and 6: sends a photo or a selfie and returns the task the bank made of it.
    pub async fn upload(
        &self,
        opened: &OpenedLink,
        upload: UploadRequest,
    ) -> Result<TaskId, Error> {
        let request = self
            .authorised(self.http.post(self.url(&upload.path)), opened)?
            .multipart(upload.into_form());
        let (status, body) = send(request).await?;
        match status {
            s if s.is_success() => TaskId::from_upload_body(&body),
            other => Err(refusal(other, &body)),
        }
    }

    /// Step 4: one check of a task's status, allowed `timeout` in all.
    pub async fn task_status(
        &self,
        opened: &OpenedLink,
        task: &TaskId,
        timeout: Duration,
    ) -> Result<TaskState, Error> {
        let request = self
            .authorised(
                self.http
                    .get(self.url(&format!("/api/tasks/status/{task}"))),
                opened,
            )?
            .header(CONTENT_TYPE, "application/json")
            .timeout(timeout);
        let (status, body) = send(request).await?;
        match status {
            s if s.is_success() => TaskState::from_status_body(&body),
            other => Err(refusal(other, &body)),
        }
    }

    fn authorised(
        &self,
        request: RequestBuilder,
        opened: &OpenedLink,
    ) -> Result<RequestBuilder, Error> {
        let header = opened.token.bearer_header().ok_or(Error::LinkExpired)?;
        Ok(request.header(AUTHORIZATION, header))
    }
}

/// Sends a request and reads its body. Error texts never carry the URL: it holds the key.
async fn send(request: RequestBuilder) -> Result<(StatusCode, Vec<u8>), Error> {
    let mut response = request.send().await.map_err(network_error)?;
    let status = response.status();
    if status.is_redirection() {
        // Redirects are off: the token goes to the configured server and nowhere else.
        return Err(Error::Server {
            status: status.as_u16(),
            detail: Some("a redirect, which the app does not follow".into()),
        });
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(network_error)? {
        if body.len() + chunk.len() > MAX_BODY {
            return Err(Error::Protocol("the answer is too large".into()));
        }
        body.extend_from_slice(&chunk);
    }
    Ok((status, body))
}

fn network_error(error: reqwest::Error) -> Error {
    let kind = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "could not connect"
    } else if error.is_body() || error.is_decode() {
        "the connection broke"
    } else {
        "request failed"
    };
    // The innermost cause says what happened ("Connection refused"); the layers above it only
    // name themselves ("client error (Connect)").
    let mut cause: Option<&dyn std::error::Error> = std::error::Error::source(&error);
    while let Some(inner) = cause.and_then(std::error::Error::source) {
        cause = Some(inner);
    }
    let detail = cause
        .map(|c| {
            format!(
                ": {}",
                certificate_refusal(&error).unwrap_or_else(|| c.to_string())
            )
        })
        .unwrap_or_default();
    Error::Network(format!("{kind}{detail}"))
}

/// A certificate refused by the pinning verifier, in its own words: rustls shows a verifier's
/// error in its debug form, and this one says which setting refused the server.
fn certificate_refusal(error: &reqwest::Error) -> Option<String> {
    let mut level = std::error::Error::source(error);
    while let Some(error) = level {
        if let Some(rustls::Error::InvalidCertificate(rustls::CertificateError::Other(other))) =
            error.downcast_ref::<rustls::Error>()
        {
            return Some(format!("invalid peer certificate: {}", other.0));
        }
        // The TLS error sits inside I/O errors, whose `source` skips what they wrap.
        level = match error.downcast_ref::<std::io::Error>() {
            Some(io) => io
                .get_ref()
                .map(|inner| inner as &(dyn std::error::Error + 'static)),
            None => error.source(),
        };
    }
    None
}

/// A non-success answer to an authorised call.
fn refusal(status: StatusCode, body: &[u8]) -> Error {
    match status {
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => Error::LinkExpired,
        other => server_error(other, body),
    }
}

fn server_error(status: StatusCode, body: &[u8]) -> Error {
    let detail = serde_json::from_slice(body)
        .ok()
        .and_then(|v| reason_of(&v))
        .map(|d| d.chars().take(300).collect());
    Error::Server {
        status: status.as_u16(),
        detail,
    }
}
