//! `humo-ident run`, `emulator`, `demo` and `config` as a person or a script runs them: the real
//! binary against an emulator on loopback.

mod common;

use std::path::Path;

use common::*;
use humo_ident_camera::source::frame_portrait;
use humo_ident_emulator::{DEMO_KEY, DEMO_KEY_WITH_DEPART, EXPIRED_KEY, LOCAL_LIVENESS_KEY};
use serde_json::Value;
use tempfile::TempDir;

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

/// A phone stores a portrait sideways with an EXIF orientation: the local liveness check looks
/// at it upright, as the app does, and the run goes through.
#[tokio::test]
async fn a_selfie_stored_sideways_is_checked_upright() {
    let emulator = emulator().await;
    let files = Files::new();
    let upright = frame_portrait(&humo_ident_test_support::face(), 720, 1280).unwrap();
    let phone = files.path("phone.jpg");
    std::fs::write(&phone, humo_ident_test_support::phone_jpeg(&upright)).unwrap();
    let args = run_args(&emulator.base_url(), DEMO_KEY, &files, "new");
    let outcome = run(replace(args, "--selfie", &phone)).await;
    assert_eq!(outcome.code, 0, "{}", outcome.stderr);
}

#[tokio::test]
async fn invalid_input_exits_2_before_any_request() {
    let emulator = emulator().await;
    let files = Files::new();
    let api = emulator.base_url();
    let base = || run_args(&api, DEMO_KEY, &files, "new");
    std::fs::write(files.path("bad.jwt"), "not a token").unwrap();
    // Files of 100 MB that take no room (sparse): a photo and a selfie token.
    let huge = |name: &str| {
        let path = files.path(name);
        std::fs::File::create(&path)
            .unwrap()
            .set_len(100 * 1024 * 1024)
            .unwrap();
        path
    };
    let (huge_photo, huge_token) = (huge("huge.jpg"), huge("huge.jwt"));
    let mut cases = vec![
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
        // A selfie file passes the gate the app's local provider uses, or it is not signed: the
        // portrait as it is has its face high and to one side.
        (
            replace(base(), "--selfie", &face_fixture()),
            "the local liveness check refuses this selfie (",
        ),
        (
            replace(base(), "--selfie", &files.path("front.jpg")),
            "no-face)",
        ),
        (
            replace(base(), "--selfie", &files.path("fast.toml")),
            "not a photo",
        ),
        (
            replace(base(), "--api", "https://bank.example"),
            "only the emulator accepts",
        ),
        // No server named: none, never a built-in default.
        (without(base(), "--api"), "no bank is configured"),
        // The token, the key and the photos never cross the network in clear text.
        (
            replace(base(), "--api", "http://crm.bank.example"),
            "clear text",
        ),
        (
            replace(base(), "--api", "HTTP://crm.bank.example/gw"),
            "clear text",
        ),
        (
            replace(base(), "--config", &files.path("front.jpg")),
            "configuration is not valid",
        ),
        (
            with(base(), &["--image", "address=x.jpg"]),
            "no step \"address\"",
        ),
        // Refused by their size, before they are read.
        (
            replace(base(), "--front", &huge_photo),
            "the file is 100 MB; photos of at most 25 MB are accepted",
        ),
        (
            selfie_jwt_instead(base(), huge_token),
            "is larger than a selfie token can be",
        ),
    ];
    // A file without an end: read up to the cap, never whole.
    if cfg!(unix) {
        cases.push((
            replace(base(), "--back", "/dev/zero"),
            "photos of at most 25 MB are accepted",
        ));
    }
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

/// The hostile corpus as the back's photo: each is refused before any request with the
/// reason, or sent as a JPEG and the run goes through.
#[tokio::test]
async fn hostile_photos_are_refused_before_any_request_or_sent_as_jpeg() {
    use humo_ident_test_support::hostile::{corpus, Expected};
    let emulator = emulator().await;
    let files = Files::new();
    for photo in corpus() {
        let path = files.path(photo.name);
        std::fs::write(&path, &photo.bytes).unwrap();
        let sent_before = emulator.controls().requests().len();
        let args = run_args(&emulator.base_url(), DEMO_KEY, &files, "new");
        let outcome = run(replace(args, "--back", &path)).await;
        let requests = emulator.controls().requests();
        let sent = &requests[sent_before..];
        match photo.expected {
            Expected::Refused(text) => {
                assert_eq!(outcome.code, 2, "{}: {}", photo.name, outcome.stderr);
                assert!(
                    outcome.stderr.contains(text),
                    "{}: {}",
                    photo.name,
                    outcome.stderr
                );
                assert!(sent.is_empty(), "{}: a request was made", photo.name);
            }
            Expected::Upright { .. } => {
                assert_eq!(outcome.code, 0, "{}: {}", photo.name, outcome.stderr);
                let back = sent
                    .iter()
                    .find(|r| r.path.ends_with("/back"))
                    .expect("the back was sent");
                assert!(
                    back.fields
                        .iter()
                        .any(|(name, value)| name == "img" && value.contains("image/jpeg")),
                    "{}: {:?}",
                    photo.name,
                    back.fields
                );
            }
        }
    }
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

// Ctrl-C is sent with `kill -INT`, which Windows has not.
#[cfg(unix)]
#[tokio::test]
async fn the_emulator_command_serves_a_whole_run_and_stops_on_ctrl_c() {
    use std::process::Stdio;
    use std::time::Duration;
    use tokio::io::{AsyncBufReadExt, BufReader};
    use tokio::process::Command;

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
    let announced = tokio::time::timeout(Duration::from_secs(60), async {
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
    let status = tokio::time::timeout(Duration::from_secs(60), server.wait())
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
async fn a_configuration_file_is_checked_with_its_line_and_reason() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("machine.toml");
    std::fs::write(
        &good,
        "[managed]\nlocked = [\"api.base-url\", \"kiosk\"]\n\n[api]\nbase-url = \"https://ident.bank.example\"\n\n[kiosk]\nenabled = true\n",
    )
    .unwrap();
    let outcome = humo_ident(&["config", "--check", good.to_str().unwrap()]).await;
    assert_eq!(outcome.code, 0, "{}", outcome.stderr);
    assert!(outcome.stdout.contains("a valid configuration"));
    // Checked as a user's file (it is not the machine's), its kiosk would not be one.
    assert!(
        outcome
            .stdout
            .contains("kiosk.enabled here does not make a kiosk"),
        "{}",
        outcome.stdout
    );

    let clear_text = dir.path().join("clear-text.toml");
    std::fs::write(
        &clear_text,
        "[kiosk]\nenabled = true\n\n[api]\nbase-url = \"http://crm.bank.example\"\n",
    )
    .unwrap();
    let outcome = humo_ident(&["config", "--check", clear_text.to_str().unwrap()]).await;
    assert_eq!(outcome.code, 2);
    assert!(
        outcome.stderr.contains("clear-text.toml:5:"),
        "{}",
        outcome.stderr
    );
    assert!(
        outcome.stderr.contains("must be an https URL"),
        "{}",
        outcome.stderr
    );

    let broken = dir.path().join("broken.toml");
    std::fs::write(
        &broken,
        "[api]\nbase-url = \"https://a.example\"\nrequest-timeout-secs = \n",
    )
    .unwrap();
    let outcome = humo_ident(&["config", "--check", broken.to_str().unwrap()]).await;
    assert_eq!(outcome.code, 2);
    assert!(
        outcome.stderr.contains("broken.toml:3:"),
        "{}",
        outcome.stderr
    );
}

#[tokio::test]
async fn the_key_can_stay_off_the_command_line() {
    let emulator = emulator().await;
    let files = Files::new();
    let args = run_args(&emulator.base_url(), "-", &files, "new");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    // From standard input.
    let outcome = humo_ident_with(&args, &[], Some(format!("{DEMO_KEY}\n").as_bytes())).await;
    assert_eq!(outcome.code, 0, "{}", outcome.stderr);
    // From the environment, with no --key at all.
    let without_key = without(args.iter().map(|a| a.to_string()).collect(), "--key");
    let without_key: Vec<&str> = without_key.iter().map(String::as_str).collect();
    let outcome = humo_ident_with(&without_key, &[("HUMO_IDENT_KEY", DEMO_KEY)], None).await;
    assert_eq!(outcome.code, 0, "{}", outcome.stderr);
    let help = humo_ident(&["run", "--help"]).await.stdout;
    assert!(help.contains("HUMO_IDENT_KEY"), "{help}");
}
