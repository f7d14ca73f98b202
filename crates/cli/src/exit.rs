//! Exit codes, as docs/CLI.md documents them.

use std::process::ExitCode;

use humo_ident_core::ErrorKind;

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Sent, and every task succeeded.
    Success = 0,
    /// Invalid input or configuration; nothing, or nothing more, was sent.
    InvalidInput = 2,
    /// The bank refused a step (FAILURE or REVOKED).
    Rejected = 3,
    /// The link or the authorisation was refused (presign 404/410, any 401/403).
    Unauthorized = 4,
    /// Network, server error or time-out.
    Unavailable = 5,
    /// Interrupted by Ctrl-C.
    Interrupted = 130,
}

impl From<ErrorKind> for Exit {
    fn from(kind: ErrorKind) -> Self {
        match kind {
            ErrorKind::Input => Exit::InvalidInput,
            ErrorKind::Rejected => Exit::Rejected,
            ErrorKind::Unauthorized => Exit::Unauthorized,
            ErrorKind::Unavailable => Exit::Unavailable,
            ErrorKind::Cancelled => Exit::Interrupted,
        }
    }
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> Self {
        ExitCode::from(exit as u8)
    }
}
