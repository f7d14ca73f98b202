//! The workspace's builds that more than one step makes, by name. Their cargo arguments are
//! written here only, so that a later step finds an earlier step's build fresh.

use clap::ValueEnum;

use crate::fresh::{self, Expect};
use crate::{cargo_env, ui};

#[derive(Clone, Copy, ValueEnum)]
pub enum Build {
    /// Every crate and target, the demo's features, the UI embedded: what the Rust tests, the
    /// end-to-end suite, the soak and the hostile photos run.
    Workspace,
    /// The desktop app alone, the demo's build with the UI embedded (running it, benchmarks),
    /// with cargo's own environment.
    App,
    /// The bank's build's libraries and binaries, with their unit tests: no demo, no benchmark
    /// window, no test hooks. The soak is a test tool, never shipped: it has the demo's only.
    BankTests,
}

impl Build {
    /// What the build selects: its packages, targets and features. `cargo test` with these
    /// runs the build's tests.
    pub fn selection(self) -> Vec<&'static str> {
        match self {
            Build::Workspace => vec!["--workspace", "--locked", "--features", "custom-protocol"],
            Build::App => vec![
                "-p",
                "humo-ident-desktop",
                "--locked",
                "--features",
                "custom-protocol",
            ],
            Build::BankTests => vec![
                "--locked",
                "--workspace",
                "--exclude",
                "humo-ident-soak",
                "--lib",
                "--bins",
                "--no-default-features",
                "--features",
                "native-camera,custom-protocol",
            ],
        }
    }

    /// The whole cargo command line after `cargo`.
    fn cargo_args(self, release: bool) -> Vec<String> {
        let mut args: Vec<&str> = match self {
            Build::Workspace => vec!["build", "--all-targets"],
            Build::App => vec!["build"],
            Build::BankTests => vec!["test", "--no-run"],
        };
        args.extend(self.selection());
        if release {
            args.push("--release");
        }
        args.into_iter().map(str::to_owned).collect()
    }

    /// Whether it is built with the tests' environment, linted as it compiles. The app's own
    /// build, to run it or measure it, is not: a lint a newer toolchain adds must not stop
    /// anyone from running the app.
    fn linted(self) -> bool {
        !matches!(self, Build::App)
    }

    /// Builds the UI (each of these embeds it), then this.
    pub fn run(self, release: bool, expect: Option<Expect>) -> Result<(), String> {
        ui(false, None)?;
        let args = self.cargo_args(release);
        let mut cargo = if self.linted() {
            cargo_env::command("cargo", &args)?
        } else {
            let mut cargo = cargo_env::plain("cargo");
            cargo.args(&args);
            cargo
        };
        match expect {
            None => crate::status(&mut cargo),
            Some(expect) => fresh::check(cargo, expect),
        }
    }
}
