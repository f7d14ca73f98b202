//! The emulator over real HTTP on loopback, as the client will meet it.

mod chaos;
mod common;
mod long_run;
mod luna_pass;
mod ocr;
mod presign;
mod selfie;
mod server;
mod status;
