//! `emulator-endurance [REQUESTS]`: the emulator as a long-running stand-in. Sends REQUESTS
//! (default 30,000) requests of the whole contract (presign, upload, status) with sessions that
//! expire after two seconds, and prints the process's resident memory and what the emulator
//! holds every 1,000 requests: both must stay flat. The first third is the warm-up (the
//! allocator's arenas and the connection pools fill); exit status 1 when the memory at the end
//! is more than 10 % above what it was after it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use humo_ident_core::api::{ApiClient, UploadRequest};
use humo_ident_core::config::{ApiConfig, Config, FlowConfig};
use humo_ident_core::image_prep::UploadJpeg;
use humo_ident_core::input::PresignKey;
use humo_ident_emulator::{Emulator, EmulatorConfig, DEMO_KEY};
use humo_ident_soak::resident_kb;

/// Clients sending side by side.
const CLIENTS: usize = 4;
const SAMPLE_EVERY: usize = 1_000;

fn main() -> anyhow::Result<()> {
    // As `humo-ident emulator` does, before any thread starts.
    humo_ident_core::allocator::keep_memory_flat();
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?
        .block_on(endure())
}

async fn endure() -> anyhow::Result<()> {
    let total: usize = std::env::args()
        .nth(1)
        .map(|n| n.parse())
        .transpose()?
        .unwrap_or(30_000);
    let emulator = Emulator::start(EmulatorConfig {
        task_delay: Duration::ZERO,
        session_ttl: Duration::from_secs(2),
        ..EmulatorConfig::default()
    })
    .await?;
    let client = ApiClient::new(&ApiConfig {
        base_url: emulator.base_url(),
        ..ApiConfig::default()
    })?;
    let photo = UploadJpeg::prepare(
        &humo_ident_test_support::gradient_jpeg(1200, 800),
        &Config::default().images,
    )?;
    let sent = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut clients = tokio::task::JoinSet::new();
    for _ in 0..CLIENTS {
        let (client, photo, sent) = (client.clone(), photo.clone(), Arc::clone(&sent));
        let base = emulator.base_url();
        clients.spawn(async move { cycles(client, base, photo, sent, total).await });
    }
    let mut warm_kb = None;
    let mut last_kb = 0;
    let mut next_sample = SAMPLE_EVERY;
    println!("requests  seconds  resident MB  sessions held  tasks held");
    loop {
        let done = sent.load(Ordering::SeqCst);
        if done >= next_sample || clients.is_empty() {
            let kb = resident_kb().unwrap_or(0);
            if done >= total / 3 {
                warm_kb.get_or_insert(kb);
            }
            last_kb = kb;
            let (sessions, tasks) = emulator.controls().held_sessions_and_tasks();
            println!(
                "{done:>8}  {:>7.1}  {:>11.1}  {sessions:>13}  {tasks:>10}",
                started.elapsed().as_secs_f64(),
                kb as f64 / 1024.0
            );
            next_sample += SAMPLE_EVERY;
        }
        if clients.is_empty() {
            break;
        }
        tokio::select! {
            Some(ended) = clients.join_next() => ended??,
            () = tokio::time::sleep(Duration::from_millis(50)) => {}
        }
    }
    let warm = warm_kb.unwrap_or(last_kb) as f64;
    let growth = (last_kb as f64 / warm - 1.0) * 100.0;
    println!("resident memory from a third of the run to its end: {growth:+.1} %");
    std::process::exit(if growth <= 10.0 { 0 } else { 1 });
}

/// Presign, upload, status, over and over, until `total` requests have been sent in all.
/// Every fifth cycle polls with the token of a session that has expired by then (401), and
/// every seventh presigns a malformed key (422): the paths a long run meets too.
async fn cycles(
    client: ApiClient,
    base_url: String,
    photo: UploadJpeg,
    sent: Arc<AtomicUsize>,
    total: usize,
) -> anyhow::Result<()> {
    let key = PresignKey::parse(DEMO_KEY)?;
    let page = &FlowConfig::default().new_passport.pages[0];
    let http = reqwest::Client::builder().no_proxy().build()?;
    let mut old = None;
    let mut cycle = 0usize;
    while sent.load(Ordering::SeqCst) < total {
        cycle += 1;
        let opened = client.presign(&key).await?;
        let task = client
            .upload(
                &opened,
                UploadRequest::document_page(&opened, "ID_NEW", page, None, &photo),
            )
            .await?;
        client
            .task_status(&opened, &task, Duration::from_secs(5))
            .await?;
        sent.fetch_add(3, Ordering::SeqCst);
        if cycle % 5 == 0 {
            if let Some((opened, task)) = old.take() {
                // Expired by now, or still alive: either answer is fine, neither may grow.
                let _ = client
                    .task_status(&opened, &task, Duration::from_secs(5))
                    .await;
                sent.fetch_add(1, Ordering::SeqCst);
            }
            old = Some((opened, task));
        }
        if cycle % 7 == 0 {
            let url = format!("{base_url}/api/link/presign/not-a-key-{cycle}");
            let status = http.get(url).send().await?.status();
            anyhow::ensure!(status == 422, "a malformed key got {status}");
            sent.fetch_add(1, Ordering::SeqCst);
        }
    }
    Ok(())
}
