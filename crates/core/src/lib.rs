//! The core of Humo Ident: everything that talks to the bank, with no user interface.
//!
//! - [`config`]: where the bank is, how to poll, and the flow's steps (TOML).
//! - [`api`]: the HTTP client of the bank's identification API.
//! - [`poll`]: watching a task once a second until it ends.
//! - [`flow`]: the identification as a state machine, and its tokio driver.
//! - [`image_prep`]: turning a photo into the JPEG the bank receives.
//! - [`jpeg`]: reading a JPEG's markers, and the Huffman tables webcams leave out.
//! - [`liveness`]: the selfie token (LUNA PASS shape) and the local provider for demos.
//! - [`input`]: checked values a person types (presign key, taxpayer number).
//!
//! The crate never depends on a GUI toolkit: the CLI and the desktop shell drive the same
//! [`flow::start_flow`]. The access token stays inside [`api::OpenedLink`] and cannot be printed or
//! serialised.

#![warn(missing_docs)]

pub mod allocator;
pub mod api;
mod codes;
pub mod config;
mod error;
pub mod flow;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
pub mod image_prep;
pub mod input;
pub mod jpeg;
pub mod links;
pub mod liveness;
pub mod poll;
mod token;

/// What [`code_enum!`]'s expansion names from this crate's dependencies.
#[doc(hidden)]
pub mod __private {
    pub use schemars;
}

pub use error::{Error, ErrorCode, ErrorInfo, ErrorKind, Result};
pub use token::AccessToken;
