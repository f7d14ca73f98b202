//! Checks that a build compiled nothing an earlier step built: cargo says of each artifact
//! whether it was fresh (`--message-format=json`), so nothing here guesses.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use clap::ValueEnum;

/// What must come out fresh.
#[derive(Clone, Copy, ValueEnum)]
pub enum Expect {
    /// Every crate.
    All,
    /// Every crate that is not the workspace's own (their features may differ).
    Dependencies,
}

/// Runs `cargo` and fails if it compiled what `expect` says was built already.
pub fn check(mut cargo: Command, expect: Expect) -> Result<(), String> {
    // Diagnostics are rendered on standard error as usual; standard output carries the rest.
    cargo.arg("--message-format=json-render-diagnostics");
    let args: Vec<_> = cargo
        .get_args()
        .map(|arg| arg.to_string_lossy().into_owned())
        .collect();
    let mut child = cargo
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|error| format!("cargo could not start: {error}"))?;
    let stdout = child.stdout.take().expect("standard output is piped");
    let mut compiled = Vec::new();
    let mut artifacts = 0;
    for line in BufReader::new(stdout).lines() {
        let line = line.map_err(|error| format!("cargo's output: {error}"))?;
        let Ok(message) = serde_json::from_str::<serde_json::Value>(&line) else {
            continue;
        };
        if message["reason"] != "compiler-artifact" {
            continue;
        }
        artifacts += 1;
        // A workspace crate's id is a path (`path+file://…`); a dependency's names its registry.
        let id = message["package_id"].as_str().unwrap_or_default();
        let ours = id.starts_with("path+");
        let counts = matches!(expect, Expect::All) || !ours;
        if counts && message["fresh"] == false {
            compiled.push(format!("{} ({id})", message["target"]["name"]));
        }
    }
    let status = child
        .wait()
        .map_err(|error| format!("cargo did not end: {error}"))?;
    if !status.success() {
        return Err(format!("cargo {} failed ({status})", args.join(" ")));
    }
    if !compiled.is_empty() {
        return Err(format!(
            "cargo {} compiled what an earlier step built (its flags, features or \
             environment differ):\n  {}",
            args.join(" "),
            compiled.join("\n  ")
        ));
    }
    let what = match expect {
        Expect::All => "",
        Expect::Dependencies => " (dependencies)",
    };
    eprintln!("all {artifacts} artifacts fresh{what}");
    Ok(())
}
