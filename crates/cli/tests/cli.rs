//! `humo-ident` as a person or a script runs it: the real binary against an emulator on loopback.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use humo_ident_emulator::{
    Emulator, EmulatorConfig, DEMO_KEY, DEMO_KEY_WITH_DEPART, EXPIRED_KEY, LOCAL_LIVENESS_KEY,
};
use image::{DynamicImage, Rgb, RgbImage};
use serde_json::Value;
use tempfile::TempDir;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_humo-ident");

struct Outcome {
    code: i32,
    stdout: String,
    stderr: String,
}

async fn humo_ident(args: &[&str]) -> Outcome {
    let output = Command::new(BIN)
        .args(args)
        .env_remove("HUMO_IDENT_API")
        .env_remove("HUMO_IDENT_CONFIG")
        .stdin(Stdio::null())
        .output()
        .await
        .unwrap();
    Outcome {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Photos and a configuration that polls quickly, in a folder of their own.
struct Files {
    dir: TempDir,
}

impl Files {
    fn new() -> Self {
        let dir = TempDir::new().unwrap();
        let card = DynamicImage::ImageRgb8(RgbImage::from_fn(1200, 760, |x, y| {
            Rgb([(x / 5 % 255) as u8, (y / 3 % 255) as u8, 150])
        }));
        card.save(dir.path().join("front.jpg")).unwrap();
        card.save(dir.path().join("back.png")).unwrap();
        let whole = std::fs::read(dir.path().join("front.jpg")).unwrap();
        std::fs::write(dir.path().join("cut.jpg"), &whole[..whole.len() / 3]).unwrap();
        std::fs::write(
            dir.path().join("fast.toml"),
            "[polling]\nfirst-delay-ms = 100\ninterval-ms = 100\n",
        )
        .unwrap();
        Files { dir }
    }

    fn path(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }
}

fn face_fixture() -> String {
    let path: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "..",
        "..",
        "tests",
        "fixtures",
        "face-public-domain.png",
    ]
    .iter()
    .collect();
    path.display().to_string()
}

async fn emulator() -> Emulator {
    Emulator::start(EmulatorConfig {
        task_delay: Duration::from_millis(150),
        ..EmulatorConfig::default()
    })
    .await
    .unwrap()
}

/// The arguments of a whole run, to which a test adds or changes some.
fn run_args(api: &str, key: &str, files: &Files, document: &str) -> Vec<String> {
    let front = files.path("front.jpg");
    let back = files.path("back.png");
    let config = files.path("fast.toml");
    let face = face_fixture();
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

async fn run(args: Vec<String>) -> Outcome {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    humo_ident(&args).await
}

fn with(mut args: Vec<String>, extra: &[&str]) -> Vec<String> {
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

fn replace(mut args: Vec<String>, flag: &str, value: &str) -> Vec<String> {
    let at = args.iter().position(|a| a == flag).unwrap();
    args[at + 1] = value.to_owned();
    args
}

fn selfie_jwt_instead(mut args: Vec<String>, file: String) -> Vec<String> {
    let at = args.iter().position(|a| a == "--selfie").unwrap();
    args.splice(at..at + 2, ["--selfie-jwt".to_owned(), file]);
    args
}

fn tokens(emulator: &Emulator) -> Vec<String> {
    emulator
        .controls()
        .requests()
        .into_iter()
        .filter_map(|r| r.authorization)
        .map(|a| a.trim_start_matches("Bearer ").to_owned())
        .collect()
}

#[tokio::test]
async fn a_new_passport_with_a_taxpayer_number_as_json() {
    let emulator = emulator().await;
    let files = Files::new();
    let args = run_args(&emulator.base_url(), DEMO_KEY, &files, "new");
    let outcome = run(with(args, &["--tin", "020025789", "--json", "-v"])).await;
    assert_eq!(outcome.code, 0, "{}", outcome.stderr);

    let events: Vec<Value> = outcome
        .stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    assert!(events.iter().all(|e| e["event"].is_string()));
    let states: Vec<&str> = events
        .iter()
        .filter_map(|e| e["state"]["state"].as_str())
        .collect();
    assert_eq!(states.first(), Some(&"awaitingLink"));
    assert!(states.contains(&"processing") && states.contains(&"stepAccepted"));
    let done = events
        .iter()
        .find(|e| e["state"]["state"] == "done")
        .unwrap();
    assert_eq!(
        done["state"]["results"][1]["result"]["tax_number"],
        "020025789"
    );
    assert_eq!(
        events.last().unwrap(),
        &serde_json::json!({"event": "finished", "exitCode": 0})
    );

    let requests = emulator.controls().requests();
    let back = requests
        .iter()
        .find(|r| r.path == "/api/tasks/ocr/id_new/back")
        .unwrap();
    assert!(back
        .fields
        .contains(&("tax_number".into(), "020025789".into())));
    assert!(!back.fields.iter().any(|(name, _)| name == "depart_id"));

    let all_tokens = tokens(&emulator);
    assert!(!all_tokens.is_empty());
    for token in all_tokens {
        assert!(!outcome.stdout.contains(&token) && !outcome.stderr.contains(&token));
    }
    assert!(
        !outcome.stderr.contains(DEMO_KEY),
        "the key reached the log"
    );
}

#[tokio::test]
async fn an_old_passport_on_a_branch_link() {
    let emulator = emulator().await;
    let files = Files::new();
    let outcome = run(run_args(
        &emulator.base_url(),
        DEMO_KEY_WITH_DEPART,
        &files,
        "old",
    ))
    .await;
    assert_eq!(outcome.code, 0, "{}", outcome.stderr);
    assert!(outcome.stdout.is_empty(), "stdout is for --json only");
    assert!(
        outcome.stderr.contains("Identification sent"),
        "{}",
        outcome.stderr
    );

    let uploads: Vec<_> = emulator
        .controls()
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST")
        .collect();
    let paths: Vec<&str> = uploads.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "/api/tasks/ocr/id_old/front",
            "/api/tasks/ocr/id_old/back",
            "/api/tasks/selfie"
        ]
    );
    for upload in &uploads {
        assert!(
            upload.fields.contains(&("depart_id".into(), "42".into())),
            "{upload:?}"
        );
        assert!(
            upload
                .fields
                .contains(&("doc_type".into(), "ID_OLD".into())),
            "{upload:?}"
        );
    }
}

#[tokio::test]
async fn a_luna_pass_token_is_sent_unchanged() {
    let emulator = emulator().await;
    let files = Files::new();
    let face = std::fs::read(face_fixture()).unwrap();
    let token = humo_ident_core::liveness::sign_local(
        &face,
        LOCAL_LIVENESS_KEY.as_bytes(),
        &humo_ident_core::config::ImageConfig::default(),
    )
    .unwrap();
    let jwt_file = files.path("selfie.jwt");
    std::fs::write(&jwt_file, format!("{}\n", token.as_str())).unwrap();

    let args = run_args(&emulator.base_url(), DEMO_KEY, &files, "new");
    let outcome = run(selfie_jwt_instead(args, jwt_file)).await;
    assert_eq!(outcome.code, 0, "{}", outcome.stderr);
    let selfie = emulator
        .controls()
        .requests()
        .into_iter()
        .find(|r| r.path == "/api/tasks/selfie")
        .unwrap();
    assert!(selfie
        .fields
        .contains(&("img".into(), token.as_str().into())));
}

#[tokio::test]
async fn invalid_input_exits_2_before_any_request() {
    let emulator = emulator().await;
    let files = Files::new();
    let api = emulator.base_url();
    let base = || run_args(&api, DEMO_KEY, &files, "new");
    std::fs::write(files.path("bad.jwt"), "not a token").unwrap();
    let cases = [
        (replace(base(), "--key", "not-a-key"), "link is not valid"),
        (with(base(), &["--tin", "12345"]), "9 digits"),
        (
            with(
                replace(base(), "--document", "old"),
                &["--tin", "020025789"],
            ),
            "--tin",
        ),
        (
            replace(base(), "--front", &files.path("missing.jpg")),
            "cannot read",
        ),
        (
            replace(base(), "--back", &files.path("cut.jpg")),
            "damaged or incomplete",
        ),
        (
            replace(base(), "--back", &files.path("fast.toml")),
            "not a photo",
        ),
        (
            selfie_jwt_instead(base(), files.path("bad.jwt")),
            "selfie token is not valid",
        ),
        (
            replace(base(), "--api", "https://bank.example"),
            "only the emulator accepts",
        ),
        (
            replace(base(), "--config", &files.path("front.jpg")),
            "configuration is not valid",
        ),
        (
            with(base(), &["--image", "address=x.jpg"]),
            "no step \"address\"",
        ),
    ];
    for (args, expected) in cases {
        let outcome = run(args.clone()).await;
        assert_eq!(outcome.code, 2, "{args:?}: {}", outcome.stderr);
        assert!(
            outcome.stderr.contains(expected),
            "{args:?}: {}",
            outcome.stderr
        );
    }
    assert!(
        emulator.controls().requests().is_empty(),
        "a request was made"
    );
}

#[tokio::test]
async fn a_rejected_step_exits_3_with_the_reason() {
    let emulator = emulator().await;
    emulator
        .controls()
        .fail_next_ocr("the card is out of focus");
    let files = Files::new();
    let outcome = run(run_args(&emulator.base_url(), DEMO_KEY, &files, "new")).await;
    assert_eq!(outcome.code, 3, "{}", outcome.stderr);
    assert!(
        outcome.stderr.contains("the card is out of focus"),
        "{}",
        outcome.stderr
    );
}

#[tokio::test]
async fn refused_links_exit_4() {
    let emulator = emulator().await;
    let files = Files::new();
    let api = emulator.base_url();
    for (key, expected) in [
        ("00000000-0000-4000-8000-000000000000", "not found"),
        (EXPIRED_KEY, "expired or was revoked"),
    ] {
        let outcome = run(run_args(&api, key, &files, "new")).await;
        assert_eq!(outcome.code, 4, "{key}: {}", outcome.stderr);
        assert!(outcome.stderr.contains(expected), "{}", outcome.stderr);
    }
    emulator.controls().set_unauthorized(true);
    let outcome = run(with(run_args(&api, DEMO_KEY, &files, "new"), &["--json"])).await;
    assert_eq!(outcome.code, 4, "{}", outcome.stderr);
    assert!(
        outcome.stdout.contains(r#""state":"expired""#),
        "{}",
        outcome.stdout
    );
}

#[tokio::test]
async fn network_trouble_and_time_outs_exit_5() {
    let files = Files::new();
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let outcome = run(run_args(&closed, DEMO_KEY, &files, "new")).await;
    assert_eq!(outcome.code, 5, "{}", outcome.stderr);
    assert!(
        outcome.stderr.contains("could not be reached"),
        "{}",
        outcome.stderr
    );

    let emulator = emulator().await;
    emulator.controls().set_never_finish(true);
    let args = run_args(&emulator.base_url(), DEMO_KEY, &files, "new");
    let outcome = run(with(args, &["--poll-timeout", "1"])).await;
    assert_eq!(outcome.code, 5, "{}", outcome.stderr);
    assert!(
        outcome
            .stderr
            .contains("did not finish checking the front side"),
        "{}",
        outcome.stderr
    );
}

#[tokio::test]
async fn the_emulator_command_serves_a_whole_run_and_stops_on_ctrl_c() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = Command::new(BIN)
        .args([
            "emulator",
            "--port",
            &port.to_string(),
            "--task-delay-ms",
            "200",
        ])
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(server.stderr.take().unwrap()).lines();
    let api = format!("http://127.0.0.1:{port}");
    let announced = tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            if line.contains(&api) {
                return true;
            }
        }
        false
    });
    assert!(
        announced.await.unwrap(),
        "the emulator did not print its address"
    );
    // Keep draining its log so that it never blocks on a full pipe.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });

    let files = Files::new();
    let outcome = run(run_args(&api, DEMO_KEY, &files, "new")).await;
    assert_eq!(outcome.code, 0, "{}", outcome.stderr);

    let pid = server.id().unwrap().to_string();
    std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap();
    let status = tokio::time::timeout(Duration::from_secs(10), server.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(status.success(), "{status:?}");
}

#[tokio::test]
async fn the_demo_runs_end_to_end_without_anything() {
    let keep = TempDir::new().unwrap();
    let outcome = humo_ident(&[
        "demo",
        "--task-delay-ms",
        "100",
        "--tin",
        "020025789",
        "--keep-images",
        &keep.path().display().to_string(),
    ])
    .await;
    assert_eq!(outcome.code, 0, "{}", outcome.stderr);
    assert!(outcome.stderr.contains("Identification sent"));
    for name in ["front.jpg", "back.jpg", "selfie.jpg", "selfie.jwt"] {
        assert!(Path::new(&keep.path().join(name)).exists(), "{name}");
    }
}

#[tokio::test]
async fn the_default_configuration_is_printed_and_reads_back() {
    let outcome = humo_ident(&["config"]).await;
    assert_eq!(outcome.code, 0);
    let config = humo_ident_core::config::Config::from_toml(&outcome.stdout).unwrap();
    assert_eq!(config, humo_ident_core::config::Config::default());
}

#[tokio::test]
async fn cameras_on_a_machine_without_one_point_to_the_file_fallback() {
    let outcome = humo_ident(&["cameras"]).await;
    assert_eq!(outcome.code, 0, "{}", outcome.stderr);
    // CI has no camera; on a developer's machine the list is printed instead.
    if outcome.stdout.is_empty() {
        assert!(
            outcome.stderr.contains("No camera found"),
            "{}",
            outcome.stderr
        );
        assert!(outcome.stderr.contains("file:PHOTO"), "{}", outcome.stderr);
    }
}

#[tokio::test]
async fn capture_takes_a_checked_still_with_the_synthetic_camera() {
    let files = Files::new();
    let out = files.path("still.jpg");
    let outcome = humo_ident(&[
        "capture",
        "--device",
        "synthetic",
        "--side",
        "back",
        "--out",
        &out,
    ])
    .await;
    assert_eq!(outcome.code, 0, "{}", outcome.stderr);
    let still = image::open(&out).unwrap();
    assert_eq!((still.width(), still.height()), (1920, 1080));

    let selfie = files.path("selfie.jpg");
    let face = face_fixture();
    let args = [
        "capture",
        "--device",
        "synthetic",
        "--purpose",
        "selfie",
        "--portrait",
        &face,
        "--out",
        &selfie,
    ];
    let outcome = humo_ident(&args).await;
    assert_eq!(outcome.code, 0, "{}", outcome.stderr);
    assert!(Path::new(&selfie).exists());
}

#[tokio::test]
async fn capture_says_why_it_cannot_take_a_picture() {
    let files = Files::new();
    let desk = files.path("desk.png");
    humo_ident_camera::scene::desk().save(&desk).unwrap();
    let out = files.path("never.jpg");
    let device = format!("file:{desk}");
    let args = [
        "capture",
        "--device",
        &device,
        "--capture-timeout",
        "2",
        "--out",
        &out,
    ];
    let outcome = humo_ident(&args).await;
    assert_eq!(outcome.code, 5, "{}", outcome.stderr);
    assert!(
        outcome.stderr.contains("No document in view"),
        "{}",
        outcome.stderr
    );
    assert!(outcome.stderr.contains("no-document"), "{}", outcome.stderr);
    assert!(!Path::new(&out).exists());

    if humo_ident_camera::source::list_devices()
        .unwrap()
        .is_empty()
    {
        let outcome = humo_ident(&["capture", "--device", "0", "--out", &out]).await;
        assert_eq!(outcome.code, 2, "{}", outcome.stderr);
        assert!(
            outcome.stderr.contains("No camera was found"),
            "{}",
            outcome.stderr
        );
    }
}

#[tokio::test]
async fn run_takes_the_missing_pictures_with_the_camera() {
    let emulator = emulator().await;
    let files = Files::new();
    let api = emulator.base_url();
    let config = files.path("fast.toml");
    let face = face_fixture();
    let args = [
        "run",
        "--api",
        &api,
        "--config",
        &config,
        "--key",
        DEMO_KEY,
        "--document",
        "new",
        "--camera",
        "synthetic",
        "--portrait",
        &face,
    ];
    let outcome = humo_ident(&args).await;
    assert_eq!(outcome.code, 0, "{}", outcome.stderr);
    let uploads = emulator
        .controls()
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST")
        .count();
    assert_eq!(uploads, 3);
}

#[tokio::test]
async fn the_chosen_camera_is_remembered() {
    let files = Files::new();
    let config = files.path("camera.toml");
    let out = files.path("still.jpg");
    let args = [
        "capture",
        "--device",
        "synthetic",
        "--remember",
        "--config",
        &config,
        "--out",
        &out,
    ];
    let outcome = humo_ident(&args).await;
    assert_eq!(outcome.code, 0, "{}", outcome.stderr);
    let saved = humo_ident_core::config::Config::load(Path::new(&config)).unwrap();
    assert_eq!(saved.camera.device.as_deref(), Some("synthetic"));
    // The next capture without --device uses it.
    std::fs::remove_file(&out).unwrap();
    let outcome = humo_ident(&["capture", "--config", &config, "--out", &out]).await;
    assert_eq!(outcome.code, 0, "{}", outcome.stderr);
    assert!(Path::new(&out).exists());
}
