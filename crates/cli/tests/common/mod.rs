//! What the CLI's tests share: running the binary, and the files and emulator it runs against.

#![allow(dead_code)] // Each test file uses its own part of this.

use std::process::Stdio;
use std::time::Duration;

use humo_ident_camera::source::frame_portrait;
use humo_ident_emulator::{Emulator, EmulatorConfig};
use image::{DynamicImage, Rgb, RgbImage};
use tempfile::TempDir;
use tokio::process::Command;

pub const BIN: &str = env!("CARGO_BIN_EXE_humo-ident");

pub struct Outcome {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub async fn humo_ident(args: &[&str]) -> Outcome {
    humo_ident_with(args, &[], None).await
}

/// Runs the CLI with `env` set and `stdin` on its standard input (none when `None`).
pub async fn humo_ident_with(args: &[&str], env: &[(&str, &str)], stdin: Option<&[u8]>) -> Outcome {
    use tokio::io::AsyncWriteExt;
    let mut child = Command::new(BIN)
        .args(args)
        .env_remove("HUMO_IDENT_API")
        .env_remove("HUMO_IDENT_CONFIG")
        .env_remove("HUMO_IDENT_KEY")
        .envs(env.iter().copied())
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        pipe.write_all(input).await.unwrap();
    }
    let output = child.wait_with_output().await.unwrap();
    Outcome {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Photos and a configuration that polls quickly, in a folder of their own.
pub struct Files {
    dir: TempDir,
}

impl Files {
    pub fn new() -> Self {
        let dir = TempDir::new().unwrap();
        let card = DynamicImage::ImageRgb8(RgbImage::from_fn(1200, 760, |x, y| {
            Rgb([(x / 5 % 255) as u8, (y / 3 % 255) as u8, 150])
        }));
        card.save(dir.path().join("front.jpg")).unwrap();
        card.save(dir.path().join("back.png")).unwrap();
        // The selfie: the public-domain portrait as a webcam sees a person, the face in the
        // middle, as the local liveness check wants it.
        let face = frame_portrait(&humo_ident_test_support::face(), 1280, 720).unwrap();
        std::fs::write(
            dir.path().join("face.jpg"),
            humo_ident_test_support::jpeg(face),
        )
        .unwrap();
        let whole = std::fs::read(dir.path().join("front.jpg")).unwrap();
        std::fs::write(dir.path().join("cut.jpg"), &whole[..whole.len() / 3]).unwrap();
        std::fs::write(
            dir.path().join("fast.toml"),
            "[polling]\nfirst-delay-ms = 100\ninterval-ms = 100\n",
        )
        .unwrap();
        Files { dir }
    }

    pub fn path(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }
}

/// The public-domain portrait's path, as the command line takes it.
pub fn face_fixture() -> String {
    humo_ident_test_support::face_path().display().to_string()
}

pub async fn emulator() -> Emulator {
    Emulator::start(EmulatorConfig {
        task_delay: Duration::from_millis(150),
        ..EmulatorConfig::default()
    })
    .await
    .unwrap()
}

/// The arguments of a whole run, to which a test adds or changes some.
pub fn run_args(api: &str, key: &str, files: &Files, document: &str) -> Vec<String> {
    let front = files.path("front.jpg");
    let back = files.path("back.png");
    let config = files.path("fast.toml");
    let face = files.path("face.jpg");
    [
        "run",
        "--api",
        api,
        "--config",
        &config,
        "--key",
        key,
        "--document",
        document,
        "--front",
        &front,
        "--back",
        &back,
        "--selfie",
        &face,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

pub async fn run(args: Vec<String>) -> Outcome {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    humo_ident(&args).await
}

pub fn with(mut args: Vec<String>, extra: &[&str]) -> Vec<String> {
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

pub fn replace(mut args: Vec<String>, flag: &str, value: &str) -> Vec<String> {
    let at = args.iter().position(|a| a == flag).unwrap();
    args[at + 1] = value.to_owned();
    args
}

/// `args` without `flag` and its value.
pub fn without(mut args: Vec<String>, flag: &str) -> Vec<String> {
    let at = args.iter().position(|a| a == flag).unwrap();
    args.drain(at..at + 2);
    args
}

pub fn selfie_jwt_instead(mut args: Vec<String>, file: String) -> Vec<String> {
    let at = args.iter().position(|a| a == "--selfie").unwrap();
    args.splice(at..at + 2, ["--selfie-jwt".to_owned(), file]);
    args
}

pub fn tokens(emulator: &Emulator) -> Vec<String> {
    emulator.controls().bearer_tokens()
}
