//! `cargo xtask`: the recipes the project's scripts share, in one place.
//!
//! - `ui`: the UI's build, once per run;
//! - `build`: the workspace's named builds, with the environment every step shares, and the
//!   check that a step compiled nothing an earlier one built;
//! - `env`: any other command (cargo, a test runner) with that environment;
//! - `xvfb`: a command on a display of its own.
//!
//! The scripts in `scripts/` stay the entries people and CI run (`scripts/run.sh`,
//! `scripts/test.sh`); what they have in common is here.

mod builds;
mod cargo_env;
mod fresh;
mod ui_dist;

use std::path::PathBuf;
use std::process::{Command, ExitCode};

use clap::{Parser, Subcommand};

use crate::builds::Build;
use crate::fresh::Expect;

#[derive(Parser)]
#[command(
    name = "xtask",
    bin_name = "cargo xtask",
    about = "The project's shared build recipes"
)]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Builds the UI into ui/dist, writing only the files that changed (the app, which embeds
    /// them, is compiled again only then). Skipped when HUMO_IDENT_UI_BUILT is set: a test run
    /// builds it once, in its UI step.
    Ui {
        /// The bank's UI: no test hooks, no demo panel, no benchmark page.
        #[arg(long)]
        bank: bool,
        /// Where to put it instead of ui/dist (always built).
        #[arg(long)]
        out_dir: Option<PathBuf>,
    },
    /// Builds one of the workspace's builds (the UI first where it embeds it).
    Build {
        build: Build,
        /// An optimised build.
        #[arg(long)]
        release: bool,
        /// Fail if cargo compiles anything (`all`) or any dependency (`dependencies`): an
        /// earlier step built it with the same flags.
        #[arg(long, value_name = "WHAT")]
        expect_fresh: Option<Expect>,
    },
    /// Prints a build's cargo arguments (for a test plan).
    Args { build: Build },
    /// Runs a command with the build's environment: every cargo it starts builds as the
    /// steps do (`cargo xtask env cargo test ...`).
    Env {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, required = true)]
        command: Vec<String>,
    },
    /// Runs a command on a fresh X display (Xvfb, 1280×800, 24 bits).
    Xvfb {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, required = true)]
        command: Vec<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.task {
        Task::Ui { bank, out_dir } => ui(bank, out_dir),
        Task::Build {
            build,
            release,
            expect_fresh,
        } => build.run(release, expect_fresh),
        Task::Args { build } => {
            println!("{}", build.selection().join(" "));
            Ok(())
        }
        Task::Env { command } => cargo_env::command(&command[0], &command[1..])
            .and_then(|mut command| status(&mut command)),
        Task::Xvfb { command } => status(
            cargo_env::plain("xvfb-run")
                .args(["--auto-servernum", "--server-args=-screen 0 1280x800x24"])
                .args(command),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("cargo xtask: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The repository's root: every recipe runs there.
fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask/ is inside the repository")
        .to_path_buf()
}

/// Builds the UI (see `Task::Ui`). Into ui/dist it is built beside and only the files whose
/// bytes changed are written: the app's build script watches that folder's times, so an
/// unchanged UI compiles nothing again.
fn ui(bank: bool, out_dir: Option<PathBuf>) -> Result<(), String> {
    if out_dir.is_none() && !bank && std::env::var_os("HUMO_IDENT_UI_BUILT").is_some() {
        return Ok(());
    }
    let dist = root().join("ui/dist");
    let built = out_dir
        .clone()
        .unwrap_or_else(|| root().join("target/xtask-ui"));
    let mut npm = cargo_env::plain("npm");
    npm.args([
        "run",
        "--prefix",
        "ui",
        "build",
        "--",
        "--emptyOutDir",
        "--outDir",
    ])
    .arg(&built);
    if bank {
        npm.env("HUMO_IDENT_BUILD", "bank");
    }
    status(&mut npm)?;
    if out_dir.is_none() {
        ui_dist::update(&built, &dist)
            .map_err(|error| format!("ui/dist could not be updated: {error}"))?;
    }
    Ok(())
}

/// Runs `command` to its end; an error unless it succeeded.
fn status(command: &mut Command) -> Result<(), String> {
    let name = format!("{:?}", command.get_program());
    match command.status() {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(format!("{name} failed ({status})")),
        Err(error) => Err(format!("{name} could not start: {error}")),
    }
}
