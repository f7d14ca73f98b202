//! `humo-ident-soak [FLOWS] [SEED]`: complete identifications, one after another and side by
//! side, through the core's driver and through the app's session, against the in-process
//! emulator with chaos on: every request of the bank's API draws a fault at random from the
//! seed. The person cancels, resets and presses "try again" at random moments too.
//!
//! Every flow is checked (see [`invariants`]): it ends before its deadline, never has two
//! polls of a task in flight, never sends a photo more often than it was asked to, and no
//! access token shows in an event or a log line. The resident memory after the first 50
//! flows and at the end shows whether anything piles up. Exit status 1 when anything broke.

mod core_flow;
mod invariants;
mod logs;
mod person;
mod report;
mod session_flow;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;
use humo_ident_core::config::{Config, LivenessProviderKind, PollingConfig};
use humo_ident_core::image_prep::UploadJpeg;
use humo_ident_core::input::PresignKey;
use humo_ident_emulator::{Chaos, ChaosFault, Emulator, EmulatorConfig, PresignProfile};
use humo_ident_session::analytics::EventsSink;
use humo_ident_session::settings::{Settings, StartOptions};
use humo_ident_session::Session;
use rand::rngs::StdRng;
use rand::{RngCore as _, SeedableRng as _};

use humo_ident_soak::resident_kb;

use crate::core_flow::Photos;
use crate::logs::LogCapture;
use crate::person::Person;
use crate::report::{Ending, FlowReport, Through};
use crate::session_flow::SessionRunner;

/// Flows after which memory is taken as the baseline.
const BASELINE_FLOWS: usize = 50;

#[derive(Parser, Debug)]
#[command(about = "Runs identifications against an emulator that fails at random")]
struct Args {
    /// How many identifications in all.
    #[arg(default_value_t = 500)]
    flows: usize,
    /// The seed of the faults and of the person's choices.
    #[arg(default_value_t = 1)]
    seed: u64,
    /// Flows run side by side; one of each batch goes through the app's session.
    #[arg(long, default_value_t = 5)]
    parallel: usize,
    /// The share of requests that draw a fault.
    #[arg(long, default_value_t = 0.1)]
    fault_rate: f64,
    /// How long one flow may take, in seconds, before it counts as stuck.
    #[arg(long, default_value_t = 90)]
    deadline_secs: u64,
    /// Write every flow's events (as the app's event files hold them) to this file, for
    /// `humo-ident report funnel`.
    #[arg(long, value_name = "FILE")]
    events: Option<std::path::PathBuf>,
}

static PANICS: AtomicUsize = AtomicUsize::new(0);

fn main() -> anyhow::Result<()> {
    // As the desktop app does: the memory figure is the app's.
    humo_ident_core::allocator::keep_memory_flat();
    let args = Args::parse();
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        PANICS.fetch_add(1, Ordering::SeqCst);
        default_hook(info);
    }));
    let logs = LogCapture::install();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let ok = runtime.block_on(soak(args, logs))?;
    std::process::exit(if ok { 0 } else { 1 });
}

/// The polling of a soak: quick, and with a request time-out longer than any fault's delay,
/// so a slow answer is waited for rather than abandoned.
fn polling() -> PollingConfig {
    PollingConfig {
        first_delay_ms: 100,
        interval_ms: 200,
        request_timeout_secs: 5,
        deadline_secs: 4,
        max_consecutive_failures: 3,
    }
}

async fn soak(args: Args, logs: LogCapture) -> anyhow::Result<bool> {
    let emulator = Emulator::start(EmulatorConfig {
        task_delay: Duration::from_millis(150),
        record_limit: 100_000,
        ..EmulatorConfig::default()
    })
    .await?;
    let controls = emulator.controls();
    controls.set_chaos(Some(Chaos {
        seed: args.seed,
        fault_rate: args.fault_rate,
        max_delay: Duration::from_millis(1500),
    }));

    let mut config = Config::default();
    config.api.base_url = emulator.base_url();
    config.polling = polling();
    config.liveness.provider = LivenessProviderKind::Local;
    let config = Arc::new(config);
    let photos = Photos {
        document: UploadJpeg::prepare(
            &humo_ident_test_support::gradient_jpeg(1600, 1000),
            &config.images,
        )?,
        face: UploadJpeg::prepare(&humo_ident_test_support::face_file(), &config.images)?,
        liveness_key: humo_ident_emulator::LOCAL_LIVENESS_KEY.as_bytes().to_vec(),
    };
    let mut settings = Settings::resolve(
        StartOptions {
            api: Some(emulator.base_url()),
            camera: Some("synthetic".into()),
            liveness: Some(LivenessProviderKind::Local),
            ..StartOptions::default()
        },
        None,
    )?;
    settings.config.polling = polling();
    let events = args.events.as_deref().map(events_file).transpose()?;
    settings.events.clone_from(&events);
    let mut kiosk = SessionRunner::new(Session::start(settings).await?).await?;

    let mut keys = StdRng::seed_from_u64(args.seed ^ 0x6b65_7973);
    let deadline = Duration::from_secs(args.deadline_secs);
    let started = Instant::now();
    let mut totals = Totals::default();
    let mut baseline_kb = None;
    let mut flow_no = 0;
    // What no log line may show, at any level: the presign keys, in both their spellings (a
    // key's hex digits alone are its simple form), and every value the bank reads about the
    // person, the taxpayer number among them.
    let mut used_keys = BTreeSet::new();
    let personal: BTreeSet<String> = humo_ident_emulator::personal_values().into_iter().collect();
    while flow_no < args.flows {
        let batch = args.parallel.min(args.flows - flow_no).max(1);
        let mut core_flows = tokio::task::JoinSet::new();
        for i in 0..batch - 1 {
            let key = fresh_key(&mut keys);
            controls.add_key(&key.as_hyphenated(), PresignProfile::default());
            used_keys.insert(key.as_hyphenated());
            let config = Arc::clone(&config);
            let photos = Photos {
                document: photos.document.clone(),
                face: photos.face.clone(),
                liveness_key: photos.liveness_key.clone(),
            };
            let seed = args.seed.wrapping_add((flow_no + i) as u64);
            let events = events.clone();
            core_flows.spawn(async move {
                let mut person = Person::new(seed);
                core_flow::run(config, &photos, key, &mut person, deadline, events).await
            });
        }
        let session_key = fresh_key(&mut keys).as_hyphenated();
        used_keys.insert(session_key.clone());
        controls.add_key(&session_key, PresignProfile::default());
        let mut person = Person::new(args.seed.wrapping_add((flow_no + batch - 1) as u64));
        let mut reports = vec![kiosk.run(session_key, &mut person, deadline).await?];
        while let Some(report) = core_flows.join_next().await {
            reports.push(report??);
        }
        flow_no += batch;

        let requests = controls.requests();
        let polls = controls.polls();
        controls.clear_records();
        let tokens = invariants::tokens_of(&requests);
        let log_text = logs.take();
        totals.add_faults(&requests);
        totals
            .broken
            .extend(invariants::token_leaks(&tokens, &log_text, "the log"));
        let key_spellings: BTreeSet<String> = used_keys
            .iter()
            .flat_map(|key: &String| [key.clone(), key.replace('-', "")])
            .collect();
        totals.broken.extend(invariants::leaks(
            &key_spellings,
            &log_text,
            "a presign key",
            "the log",
        ));
        totals.broken.extend(invariants::leaks(
            &personal,
            &log_text,
            "a value the bank read (or the taxpayer number)",
            "the log",
        ));
        for report in &reports {
            let mut broken = invariants::check(report, &requests, &polls);
            broken.extend(invariants::token_leaks(&tokens, &report.events, "an event"));
            for what in broken {
                eprintln!("flow {} ({:?}): {what}", report.key, report.through);
                totals.broken.push(what);
            }
            totals.add(report);
        }
        if flow_no >= BASELINE_FLOWS && baseline_kb.is_none() {
            baseline_kb = resident_kb();
        }
        if flow_no % 50 < batch || flow_no == args.flows {
            eprintln!(
                "{flow_no} flows in {:.0?}: {} MB resident, {} broken",
                started.elapsed(),
                resident_kb().unwrap_or(0) / 1024,
                totals.broken.len()
            );
        }
    }
    let end_kb = resident_kb();
    let (sessions, tasks) = controls.held_sessions_and_tasks();
    totals.print(
        &args,
        started.elapsed(),
        baseline_kb,
        end_kb,
        sessions,
        tasks,
    );
    let memory_ok = match (baseline_kb, end_kb) {
        (Some(base), Some(end)) => end as f64 <= base as f64 * 1.10,
        _ => true,
    };
    Ok(totals.broken.is_empty() && PANICS.load(Ordering::SeqCst) == 0 && memory_ok)
}

/// A sink writing each event as a line of `path`, a line at a time (the process ends with
/// `exit`, which flushes no buffer).
fn events_file(path: &std::path::Path) -> anyhow::Result<EventsSink> {
    use std::io::Write;
    let file = std::sync::Mutex::new(std::io::LineWriter::new(std::fs::File::create(path)?));
    Ok(EventsSink::new(move |line| {
        let mut text = serde_json::to_vec(line).unwrap_or_default();
        text.push(b'\n');
        let mut file = file.lock().unwrap_or_else(|e| e.into_inner());
        if let Err(error) = file.write_all(&text) {
            eprintln!("an event was not written: {error}");
        }
    }))
}

/// A key no other flow uses, from the seed.
fn fresh_key(rng: &mut StdRng) -> PresignKey {
    let mut bytes = [0u8; 16];
    rng.fill_bytes(&mut bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let text = format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    );
    PresignKey::parse(&text).expect("a v4 UUID is a key")
}

#[derive(Default)]
struct Totals {
    endings: BTreeMap<(Through, Ending), usize>,
    faults: BTreeMap<ChaosFault, usize>,
    requests: usize,
    uploads: usize,
    refused: usize,
    longest: Duration,
    broken: Vec<String>,
}

impl Totals {
    fn add(&mut self, report: &FlowReport) {
        *self
            .endings
            .entry((report.through, report.ending))
            .or_default() += 1;
        self.uploads += report.uploads_started;
        self.refused += report.refused;
        self.longest = self.longest.max(report.elapsed);
    }

    fn add_faults(&mut self, requests: &[humo_ident_emulator::RecordedRequest]) {
        self.requests += requests.len();
        for fault in requests.iter().filter_map(|r| r.fault) {
            *self.faults.entry(fault).or_default() += 1;
        }
    }

    fn print(
        &self,
        args: &Args,
        elapsed: Duration,
        baseline_kb: Option<u64>,
        end_kb: Option<u64>,
        sessions: usize,
        tasks: usize,
    ) {
        println!(
            "soak: {} flows, seed {}, {} side by side, fault rate {}, in {:.1?}",
            args.flows, args.seed, args.parallel, args.fault_rate, elapsed
        );
        for ((through, ending), n) in &self.endings {
            println!("  {through:?} {ending:?}: {n}");
        }
        let stuck: usize = self
            .endings
            .iter()
            .filter(|((_, e), _)| *e == Ending::Stuck)
            .map(|(_, n)| n)
            .sum();
        println!(
            "  requests: {}, uploads started: {}, actions refused (screen had changed): {}, longest flow: {:.1?}",
            self.requests, self.uploads, self.refused, self.longest
        );
        let faults: Vec<String> = self
            .faults
            .iter()
            .map(|(f, n)| format!("{} {n}", f.name()))
            .collect();
        println!("  faults drawn: {}", faults.join(", "));
        println!(
            "  stuck: {stuck}, panics: {}, broken invariants: {}",
            PANICS.load(Ordering::SeqCst),
            self.broken.len()
        );
        if let (Some(base), Some(end)) = (baseline_kb, end_kb) {
            println!(
                "  resident memory: {:.1} MB after {BASELINE_FLOWS} flows, {:.1} MB after {} ({:+.1} %)",
                base as f64 / 1024.0,
                end as f64 / 1024.0,
                args.flows,
                (end as f64 / base as f64 - 1.0) * 100.0
            );
        }
        println!("  the emulator holds {sessions} sessions and {tasks} tasks");
    }
}
