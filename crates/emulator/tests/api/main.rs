//! The emulator over real HTTP on loopback, as the client will meet it.

mod common;
mod ocr;
mod presign;
mod selfie;
mod server;
mod status;
