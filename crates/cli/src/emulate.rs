//! `humo-ident emulator`, and the emulator the demo starts in-process.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use humo_ident_emulator::{
    Emulator, EmulatorConfig, PollFault, DEMO_KEY, DEMO_KEY_WITH_DEPART, EXPIRED_KEY,
};

use crate::args::EmulatorBehaviour;

/// Starts an emulator on 127.0.0.1 with the given port (0: a free one) and behaviour.
pub async fn start(port: u16, behaviour: &EmulatorBehaviour) -> std::io::Result<Emulator> {
    let config = EmulatorConfig {
        task_delay: Duration::from_millis(behaviour.task_delay_ms),
        latency: Duration::from_millis(behaviour.latency_ms),
        session_ttl: Duration::from_secs(behaviour.session_ttl_secs),
        ..EmulatorConfig::default()
    };
    let emulator = Emulator::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port)), config).await?;
    let controls = emulator.controls();
    if let Some(reason) = &behaviour.fail_next_ocr {
        controls.fail_next_ocr(reason.clone());
    }
    if let Some(reason) = &behaviour.fail_next_selfie {
        controls.fail_next_selfie(reason.clone());
    }
    controls.set_unauthorized(behaviour.unauthorized);
    controls.set_never_finish(behaviour.never_finish);
    if behaviour.failing_polls > 0 {
        controls.fail_polls(behaviour.failing_polls, PollFault::ServerError);
    }
    if behaviour.dropped_polls > 0 {
        controls.fail_polls(behaviour.dropped_polls, PollFault::DropConnection);
    }
    Ok(emulator)
}

/// Serves until Ctrl-C or until the server fails.
pub async fn serve(port: u16, behaviour: &EmulatorBehaviour) -> anyhow::Result<()> {
    let mut emulator = start(port, behaviour).await?;
    eprintln!(
        "Emulator of the bank's identification API at {}",
        emulator.base_url()
    );
    eprintln!("  demo key:                 {DEMO_KEY}");
    eprintln!("  demo key with depart_id:  {DEMO_KEY_WITH_DEPART}");
    eprintln!("  expired key (410):        {EXPIRED_KEY}");
    eprintln!("Press Ctrl-C to stop.");
    tokio::select! {
        result = emulator.wait() => result?,
        _ = tokio::signal::ctrl_c() => emulator.shutdown().await,
    }
    Ok(())
}
