//! `humo-ident`: remote identification with the bank from the command line.
//!
//! Exit codes: 0 sent and accepted; 2 invalid input; 3 the bank refused a step; 4 the link or
//! the authorisation was refused; 5 network, server error or time-out; 130 interrupted.

mod args;
mod bundle;
mod camera;
#[cfg(feature = "emulator")]
mod demo;
#[cfg(feature = "emulator")]
mod emulate;
mod exit;
mod funnel;
mod report;
mod run;

use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command, ConfigArgs, ReportCommand, RunArgs};
use crate::exit::Exit;
use crate::report::Reporter;
use humo_ident_camera::step::Subject;

fn main() -> ExitCode {
    // `emulator` and `demo` can serve for days; see the module for why.
    humo_ident_core::allocator::keep_memory_flat();
    let cli = Cli::parse();
    // The emulator's one line per request is what a person running it wants to watch.
    #[cfg(feature = "emulator")]
    let serving = matches!(cli.command, Command::Emulator(_));
    #[cfg(not(feature = "emulator"))]
    let serving = false;
    init_logging(cli.verbose, serving);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("cannot start: {error}");
            return Exit::Unavailable.into();
        }
    };
    let exit = runtime.block_on(async {
        match cli.command {
            Command::Run(args) => run_command(*args).await,
            #[cfg(feature = "emulator")]
            Command::Demo(args) => demo::demo(args).await,
            #[cfg(feature = "emulator")]
            Command::Emulator(args) => match emulate::serve(args.port, &args.behaviour).await {
                Ok(()) => Exit::Success,
                Err(error) => {
                    eprintln!("emulator: {error:#}");
                    Exit::Unavailable
                }
            },
            Command::Cameras { json } => camera::list(json),
            Command::Capture(args) => capture_command(args).await,
            Command::Config(args) => config_command(args),
            Command::Report(ReportCommand::Funnel { files }) => funnel::funnel(&files),
            Command::SupportBundle(args) => bundle::support_bundle(&args),
        }
    });
    exit.into()
}

fn config_command(args: ConfigArgs) -> Exit {
    let Some(path) = args.check else {
        print!("{}", humo_ident_core::config::Config::default().to_toml());
        return Exit::Success;
    };
    match humo_ident_core::config::check_file(&path) {
        Ok(()) => {
            println!("{}: a valid configuration", path.display());
            for note in kiosk_notes(&path) {
                println!("{note}");
            }
            Exit::Success
        }
        Err(error) => {
            eprintln!("{}", report::printable(&error.to_string()));
            Exit::InvalidInput
        }
    }
}

/// What a valid file means at a kiosk, which takes every setting from the machine's file alone
/// and ignores users' files.
fn kiosk_notes(path: &std::path::Path) -> Vec<String> {
    use humo_ident_core::config::{machine_config_path, Layered};
    let Some(machine) = machine_config_path() else {
        return Vec::new();
    };
    let same = |a: &std::path::Path, b: &std::path::Path| {
        a == b || std::fs::canonicalize(a).ok() == std::fs::canonicalize(b).ok()
    };
    if machine.is_file() && same(path, &machine) {
        return Vec::new();
    }
    // Read on its own, as the machine's file is (a checked file may hold `[managed]`).
    let kiosk_in = |file: &std::path::Path| {
        Layered::load(Some(file), None).is_ok_and(|layered| layered.config.kiosk.enabled)
    };
    let mut notes = Vec::new();
    if kiosk_in(path) {
        notes.push(format!(
            "note: kiosk.enabled here does not make a kiosk: a kiosk takes every setting from \
             the machine's configuration file ({}) and reads no user's file",
            machine.display()
        ));
    } else if kiosk_in(&machine) {
        notes.push(format!(
            "note: this machine is a kiosk ({}): the app does not read users' configuration \
             files here",
            machine.display()
        ));
    }
    notes
}

async fn run_command(args: RunArgs) -> Exit {
    let mut reporter = Reporter::new(args.flow.json);
    let config = match run::load_config(args.config.as_deref(), args.api.as_deref(), &args.flow) {
        Ok(config) => config,
        Err(error) => {
            reporter.error(&error);
            reporter.finish(Exit::InvalidInput);
            return Exit::InvalidInput;
        }
    };
    let exit = match run::gather_inputs(&args, &config).await {
        Ok(inputs) => run::identify(config, inputs, &mut reporter).await,
        Err(run::InputFailure::Invalid(error)) => {
            reporter.error(&error);
            error.kind().into()
        }
        Err(run::InputFailure::Camera(failure)) => {
            reporter.say(&failure.message);
            failure.exit
        }
    };
    reporter.finish(exit);
    exit
}

async fn capture_command(args: args::CaptureArgs) -> Exit {
    use humo_ident_core::config::Config;
    let remembered = match &args.config {
        Some(path) if path.exists() => match Config::load(path) {
            Ok(config) => config.camera.device,
            Err(error) => {
                eprintln!("{error}");
                return Exit::InvalidInput;
            }
        },
        _ => None,
    };
    let device = args
        .device
        .or(remembered)
        .unwrap_or_else(|| "default".into());
    let choice = humo_ident_camera::source::DeviceChoice::parse(&device);
    let subject = match (args.purpose, args.side) {
        (args::PurposeArg::Document, args::SideArg::Front) => Subject::DocumentPage(0),
        (args::PurposeArg::Document, args::SideArg::Back) => Subject::DocumentPage(1),
        (args::PurposeArg::Selfie, _) => {
            match camera::selfie(&choice, args.camera.portrait.as_deref()) {
                Ok(subject) => subject,
                Err(failure) => {
                    eprintln!("{}", failure.message);
                    return failure.exit;
                }
            }
        }
    };
    let timeout = std::time::Duration::from_secs(args.camera.capture_timeout);
    let exit = camera::capture_to_file(&choice, &subject, &args.out, timeout).await;
    if let (Exit::Success, true, Some(path)) = (exit, args.remember, &args.config) {
        if let Err(error) = Config::remember_camera(path, &device) {
            eprintln!("{error}");
            return Exit::InvalidInput;
        }
        eprintln!(
            "This camera ({device}) is now the default in {}.",
            path.display()
        );
    }
    exit
}

/// Logs go to stderr; stdout belongs to `--json`. Without `-v` only warnings are shown, and the
/// emulator's requests when it is serving. `HUMO_IDENT_LOG` overrides both.
fn init_logging(verbose: bool, serving: bool) {
    let default = match (verbose, serving) {
        (true, _) => "warn,humo_ident_core=debug,humo_ident_emulator=debug,humo_ident_cli=debug",
        (false, true) => "warn,humo_ident_emulator=info",
        (false, false) => "warn",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("HUMO_IDENT_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .init();
}
