//! `humo-ident cameras`, `capture` and `run --camera`, with the synthetic camera and photo files.

mod common;

use std::path::Path;

use common::*;
use humo_ident_emulator::DEMO_KEY;

#[tokio::test]
async fn cameras_on_a_machine_without_one_point_to_the_file_fallback() {
    let outcome = humo_ident(&["cameras"]).await;
    // Under Wine, Media Foundation itself does not start: said as such, with the way out.
    if cfg!(windows) && outcome.code == 5 {
        assert!(
            outcome.stderr.contains("camera system did not start")
                && outcome.stderr.contains("photo file"),
            "{}",
            outcome.stderr
        );
        return;
    }
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
    // A passport's picture, readable by its owner only, even over a file others could read.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |path: &str| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&out), 0o600);
        std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o644)).unwrap();
        let again = humo_ident(&["capture", "--device", "synthetic", "--out", &out]).await;
        assert_eq!(again.code, 0, "{}", again.stderr);
        assert_eq!(mode(&out), 0o600);
    }

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
        // Long enough for the first check to run on a busy machine: the reason reported is
        // the last check's.
        "--capture-timeout",
        "10",
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

    // With no camera at all (not under Wine, whose camera system does not start).
    if matches!(humo_ident_camera::source::list_devices(), Ok(devices) if devices.is_empty()) {
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
