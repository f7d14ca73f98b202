//! A test double of VisionLabs' LUNA PASS, so the app's `luna-pass` selfie provider can run
//! end to end in a real webview without the vendor.
//!
//! Three parts, served under `/luna-pass/` (see `http::luna_pass`): a script with the vendor
//! library's public shape (`assets/luna-pass.js`), a WebSocket that checks the frame the script
//! sends, and the public half of the key its verdicts are signed with. The wire protocol
//! between script and socket is the double's own; the vendor's is not public and the app never
//! sees it. The selfie upload accepts these RS256 verdicts beside the `local` HS256 tokens.

pub(crate) mod check;
pub(crate) mod key;

/// The double of the vendor's browser library, as served.
pub(crate) const SCRIPT: &str = include_str!("../../assets/luna-pass.js");
