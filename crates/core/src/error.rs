//! The crate's one error type, with a stable machine code for every variant.
//!
//! Messages are written for the person in front of the screen, in the person's words (the
//! liveness check is "the face check" there); the [`ErrorCode`] is what a UI translates and what
//! scripts match on, so codes never change once released.

use serde::{Serialize, Serializer};

/// Everything that can go wrong in an identification.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The presign key is not a UUID; no request was made.
    #[error("The link is not valid: {0}")]
    InvalidKey(String),

    /// A web link from a host the bank did not name (`[links] hosts`); nothing was sent.
    #[error("Links from {0} are not accepted: open the link the bank sent you, or type its key.")]
    LinkNotAllowed(String),

    /// The taxpayer number is not exactly nine digits.
    #[error("The taxpayer number must be exactly 9 digits")]
    InvalidTaxNumber,

    /// An image could not be read as a photo of the document or face.
    #[error("The image cannot be used: {0}")]
    InvalidImage(String),

    /// A selfie token is not a compact JWT.
    #[error("The selfie token is not valid: {0}")]
    InvalidSelfieToken(String),

    /// The liveness check did not pass; the list says why, in the liveness provider's words.
    #[error("The face check did not pass{}", list_suffix(.0))]
    SelfieNotPassed(Vec<String>),

    /// The configuration file or a setting is wrong.
    #[error("The configuration is not valid: {0}")]
    Config(String),

    /// The bank does not know this link (presign 404).
    #[error("This link was not found. Check it, or ask the bank for a new one.")]
    LinkNotFound,

    /// The link expired or the bank withdrew the authorisation (presign 410, any 401 or 403).
    #[error("The link has expired or was revoked. Ask the bank for a new one.")]
    LinkExpired,

    /// The bank checked a step and refused it (`FAILURE` or `REVOKED`).
    #[error("The bank did not accept the {step}: {reason}")]
    Rejected {
        /// Human label of the step, e.g. "front side".
        step: String,
        /// The reason read from the task's `result`.
        reason: String,
    },

    /// The server could not be reached, or the connection broke.
    #[error("The bank's server could not be reached ({0}). Check the network connection.")]
    Network(String),

    /// The server answered with an unexpected HTTP status.
    #[error("The bank's server answered with an error (HTTP {status}){}", detail_suffix(.detail))]
    Server {
        /// The HTTP status code.
        status: u16,
        /// What the server said, if it said something readable.
        detail: Option<String>,
    },

    /// The server's answer could not be understood.
    #[error("The bank's server sent an answer that could not be read: {0}")]
    Protocol(String),

    /// A task did not finish within the configured deadline.
    #[error("The bank did not finish checking the {step} within {seconds} s. Try again later.")]
    TaskTimedOut {
        /// Human label of the step.
        step: String,
        /// The deadline that passed.
        seconds: u64,
    },

    /// Too many status checks in a row failed.
    #[error("Lost contact with the bank while checking the {step}: {failures} checks in a row failed ({last})")]
    PollingFailed {
        /// Human label of the step.
        step: String,
        /// How many polls failed in a row.
        failures: u32,
        /// The last failure, for the log and the curious.
        last: String,
    },

    /// The person or the app cancelled the identification.
    #[error("The identification was cancelled")]
    Cancelled,

    /// An action arrived that the flow cannot take in its current state.
    #[error("“{action}” is not possible now (the flow is at “{state}”)")]
    InvalidAction {
        /// The action's name.
        action: &'static str,
        /// The state's name.
        state: &'static str,
    },
}

fn list_suffix(items: &[String]) -> String {
    if items.is_empty() {
        String::new()
    } else {
        format!(": {}", items.join(", "))
    }
}

fn detail_suffix(detail: &Option<String>) -> String {
    detail
        .as_deref()
        .map(|d| format!(": {d}"))
        .unwrap_or_default()
}

crate::code_enum! {
    /// A stable, machine-readable name for an [`Error`]. UIs translate by it.
    #[allow(missing_docs)]
    pub enum ErrorCode {
        InvalidKey => "invalid-key",
        LinkNotAllowed => "link-not-allowed",
        InvalidTaxNumber => "invalid-tax-number",
        InvalidImage => "invalid-image",
        InvalidSelfieToken => "invalid-selfie-token",
        SelfieNotPassed => "selfie-not-passed",
        Config => "config",
        LinkNotFound => "link-not-found",
        LinkExpired => "link-expired",
        Rejected => "rejected",
        Network => "network",
        Server => "server",
        Protocol => "protocol",
        TaskTimedOut => "task-timed-out",
        PollingFailed => "polling-failed",
        Cancelled => "cancelled",
        InvalidAction => "invalid-action",
    }
}

/// What kind of trouble an error is: decides exit codes and whether trying again can help.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum ErrorKind {
    /// The input or configuration is wrong; nothing was (or should be) sent.
    Input,
    /// The bank checked something and said no.
    Rejected,
    /// The link or the authorisation was refused.
    Unauthorized,
    /// Network, server trouble or a time-out: trying again later may help.
    Unavailable,
    /// The flow was cancelled.
    Cancelled,
}

impl Error {
    /// The stable code of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::InvalidKey(_) => ErrorCode::InvalidKey,
            Error::LinkNotAllowed(_) => ErrorCode::LinkNotAllowed,
            Error::InvalidTaxNumber => ErrorCode::InvalidTaxNumber,
            Error::InvalidImage(_) => ErrorCode::InvalidImage,
            Error::InvalidSelfieToken(_) => ErrorCode::InvalidSelfieToken,
            Error::SelfieNotPassed(_) => ErrorCode::SelfieNotPassed,
            Error::Config(_) => ErrorCode::Config,
            Error::LinkNotFound => ErrorCode::LinkNotFound,
            Error::LinkExpired => ErrorCode::LinkExpired,
            Error::Rejected { .. } => ErrorCode::Rejected,
            Error::Network(_) => ErrorCode::Network,
            Error::Server { .. } => ErrorCode::Server,
            Error::Protocol(_) => ErrorCode::Protocol,
            Error::TaskTimedOut { .. } => ErrorCode::TaskTimedOut,
            Error::PollingFailed { .. } => ErrorCode::PollingFailed,
            Error::Cancelled => ErrorCode::Cancelled,
            Error::InvalidAction { .. } => ErrorCode::InvalidAction,
        }
    }

    /// The broad class of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::InvalidKey(_)
            | Error::LinkNotAllowed(_)
            | Error::InvalidTaxNumber
            | Error::InvalidImage(_)
            | Error::InvalidSelfieToken(_)
            | Error::Config(_)
            | Error::InvalidAction { .. } => ErrorKind::Input,
            Error::Rejected { .. } | Error::SelfieNotPassed(_) => ErrorKind::Rejected,
            Error::LinkNotFound | Error::LinkExpired => ErrorKind::Unauthorized,
            Error::Network(_)
            | Error::Server { .. }
            | Error::Protocol(_)
            | Error::TaskTimedOut { .. }
            | Error::PollingFailed { .. } => ErrorKind::Unavailable,
            Error::Cancelled => ErrorKind::Cancelled,
        }
    }

    /// Whether one failed poll with this error may be followed by another.
    ///
    /// Time-outs, broken connections, 5xx, 408/429 and unreadable bodies are passing trouble;
    /// everything else (401, 404, a bad request) will not get better by asking again.
    pub fn is_transient(&self) -> bool {
        match self {
            Error::Network(_) | Error::Protocol(_) => true,
            Error::Server { status, .. } => *status >= 500 || *status == 408 || *status == 429,
            _ => false,
        }
    }

    /// A serialisable snapshot for events and UIs.
    pub fn info(&self) -> ErrorInfo {
        ErrorInfo {
            code: self.code(),
            kind: self.kind(),
            message: self.to_string(),
        }
    }
}

/// An error as the UI and `--json` output see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ErrorInfo {
    /// Stable code to translate by.
    pub code: ErrorCode,
    /// Broad class, to pick an icon or an exit code.
    pub kind: ErrorKind,
    /// English message for logs and for a UI with no translation of `code`.
    pub message: String,
}

impl Serialize for Error {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.info().serialize(serializer)
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_serialise_as_their_string() {
        for error in [
            Error::LinkExpired,
            Error::InvalidTaxNumber,
            Error::Server {
                status: 503,
                detail: None,
            },
            Error::TaskTimedOut {
                step: "front side".into(),
                seconds: 120,
            },
        ] {
            let json = serde_json::to_value(&error).unwrap();
            assert_eq!(json["code"], error.code().as_str());
            assert_eq!(json["message"], error.to_string());
        }
    }

    #[test]
    fn only_passing_trouble_is_transient() {
        assert!(Error::Network("reset".into()).is_transient());
        assert!(Error::Server {
            status: 502,
            detail: None
        }
        .is_transient());
        assert!(Error::Server {
            status: 429,
            detail: None
        }
        .is_transient());
        assert!(!Error::Server {
            status: 404,
            detail: None
        }
        .is_transient());
        assert!(!Error::LinkExpired.is_transient());
    }

    #[test]
    fn server_detail_is_shown_when_present() {
        let error = Error::Server {
            status: 422,
            detail: Some("img is missing".into()),
        };
        assert_eq!(
            error.to_string(),
            "The bank's server answered with an error (HTTP 422): img is missing"
        );
    }
}
