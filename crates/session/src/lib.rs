//! One client's identification as the desktop app runs it, with no Tauri in sight.
//!
//! The desktop shell is a thin adapter around [`Session`]: it turns the UI's calls into
//! [`Session`] methods and streams every [`AppEvent`] to the webview. Everything the app
//! decides lives here, where it is tested without a window:
//!
//! - [`settings`]: demo, laptop or kiosk, from the command line and the configuration file.
//! - [`Session`]: the flow (from the core), the camera of the current step, the review of a
//!   still, automatic retries while the network is down, and the kiosk's reset after each client.
//! - [`events`]: what the UI is told, as types generated for TypeScript.
//! - [`logs`]: the log files, daily, kept for a while and capped in size.
//! - [`analytics`]: the event files beside them: what each identification went through,
//!   without anything of the person.
//! - [`presence`]: whether a client is at the app, so an update waits for none to be.
//! - [`preview`]: the newest preview frame and the still under review, for the shell to serve
//!   as raw bytes.
//!
//! The access token stays in the core's flow driver: nothing here can read it, so nothing here
//! can send it to the UI.

#![warn(missing_docs)]

mod actor;
pub mod analytics;
mod demo;
mod error;
pub mod events;
mod liveness;
pub mod logs;
pub mod presence;
pub mod preview;
mod session;
pub mod settings;

pub use demo::DemoFault;
pub use error::{AppErrorCode, SessionError, SessionErrorCode};
pub use events::EventSink;
pub use session::Session;
