//! The commands a bank's support runs: `support-bundle` and `report funnel`, as processes.

mod common;

use std::io::Read;

use common::humo_ident_with;
use humo_ident_analytics::event::SCHEMA_VERSION;
use humo_ident_analytics::named::AppVersion;
use humo_ident_analytics::{Event, EventLine, Outcome, Screen, ScreenKind};

#[tokio::test]
async fn the_support_bundle_says_what_it_holds_and_leaves_secrets_and_strangers_out() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    std::fs::create_dir(&logs).unwrap();
    for day in ["01", "02", "03", "04"] {
        std::fs::write(
            logs.join(format!("humo-ident.2026-12-{day}.log")),
            "a line\n",
        )
        .unwrap();
    }
    std::fs::write(logs.join("humo-ident-events.2026-12-04.jsonl"), "{}\n").unwrap();
    std::fs::write(
        logs.join("humo-ident-telemetry.json"),
        "{\"file\":\"humo-ident-events.2026-12-04.jsonl\",\"offset\":3}",
    )
    .unwrap();
    std::fs::write(logs.join("notes-of-the-clerk.txt"), "Ivanov 020025789").unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        "[api]\nbase-url = \"https://clerk:hunter2@crm.bank.example/?session=abc\"\n\
         [logging]\nlevel = \"debug\"\n",
    )
    .unwrap();
    let out = dir.path().join("bundle.tar.gz");
    let args = [
        "support-bundle",
        "--config",
        config.to_str().unwrap(),
        "--logs",
        logs.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];

    let dry = humo_ident_with(&[&args[..], &["--dry-run"]].concat(), &[], None).await;
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert!(
        dry.stdout.contains("humo-ident-support/config/user.toml"),
        "{}",
        dry.stdout
    );
    assert!(!out.exists(), "a dry run writes nothing");

    let outcome = humo_ident_with(&args, &[], None).await;
    assert_eq!(outcome.code, 0, "{}", outcome.stderr);
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(
        std::fs::File::open(&out).unwrap(),
    ));
    let mut names = Vec::new();
    let mut everything = String::new();
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        let name = entry.path().unwrap().to_string_lossy().into_owned();
        // What it printed before writing is what it wrote.
        assert!(outcome.stdout.contains(&name), "{name} was not announced");
        entry.read_to_string(&mut everything).unwrap();
        names.push(name);
    }
    let logs_in: Vec<&String> = names.iter().filter(|n| n.contains("/logs/")).collect();
    assert_eq!(
        logs_in,
        [
            "humo-ident-support/logs/humo-ident.2026-12-02.log",
            "humo-ident-support/logs/humo-ident.2026-12-03.log",
            "humo-ident-support/logs/humo-ident.2026-12-04.log",
            "humo-ident-support/logs/humo-ident-events.2026-12-04.jsonl",
            "humo-ident-support/logs/humo-ident-telemetry.json",
        ],
        "the newest three days of each, where sending stands, and nothing else of the folder"
    );
    for part in [
        "versions.txt",
        "config/user.toml",
        "config-check.txt",
        "cameras.txt",
    ] {
        assert!(
            names.contains(&format!("humo-ident-support/{part}")),
            "{part}: {names:?}"
        );
    }
    assert!(everything.contains(env!("CARGO_PKG_VERSION")));
    assert!(everything.contains("crm.bank.example"), "{everything}");
    // The check's verdict is there (the app refuses credentials in the address), without them.
    assert!(
        everything.contains("must not carry a user name or password"),
        "{everything}"
    );
    for secret in ["hunter2", "clerk", "session=abc", "Ivanov", "020025789"] {
        assert!(!everything.contains(secret), "{secret} is in the bundle");
    }
}

/// One identification's lines: started, the document choice, then given up there.
fn given_up(number: u64) -> Vec<EventLine> {
    let screen = |kind| Screen {
        kind,
        step: None,
        step_kind: None,
    };
    [
        Event::IdentificationStarted,
        Event::ScreenReached {
            screen: screen(ScreenKind::ChoosingDocument),
            previous: None,
            previous_ms: None,
        },
        Event::IdentificationEnded {
            outcome: Outcome::KioskIdle,
            stopped_at: screen(ScreenKind::ChoosingDocument),
            took_ms: 90_000,
        },
    ]
    .into_iter()
    .enumerate()
    .map(|(at, event)| EventLine {
        schema: SCHEMA_VERSION,
        at_ms: 1_000 * at as u64,
        app: AppVersion::current(),
        kiosk: None,
        identification: number,
        camera: None,
        event,
    })
    .collect()
}

#[tokio::test]
async fn the_funnel_reads_a_folder_of_event_files() {
    let dir = tempfile::tempdir().unwrap();
    for (day, number) in [("06", 1), ("07", 2)] {
        let text: String = given_up(number)
            .iter()
            .map(|line| serde_json::to_string(line).unwrap() + "\n")
            .collect();
        let name = format!("humo-ident-events.2026-12-{day}.jsonl");
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let outcome = humo_ident_with(
        &["report", "funnel", dir.path().to_str().unwrap()],
        &[],
        None,
    )
    .await;
    assert_eq!(outcome.code, 0, "{}", outcome.stderr);
    for said in [
        "identifications: 2",
        "ended: kiosk-idle 2",
        "stopped at: choosing-document 2",
        "Camera: no camera",
    ] {
        assert!(outcome.stdout.contains(said), "{said}: {}", outcome.stdout);
    }

    let missing = humo_ident_with(
        &["report", "funnel", "/nonexistent/events.jsonl"],
        &[],
        None,
    )
    .await;
    assert_eq!(missing.code, 2, "{}", missing.stderr);
}
