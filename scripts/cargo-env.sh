# Sourced by every script that builds the workspace, so that every step builds with the same
# flags and environment and none compiles what an earlier step built. Cargo compiles a crate
# again when any of these differ: `CARGO_INCREMENTAL`, `RUSTFLAGS`, the wrapper that compiles
# the workspace's crates, or the features. scripts/test.sh checks that the end-to-end step's
# build and the bank's build's dependencies come out fresh (scripts/cargo-fresh.mjs).

# No incremental compilation, in CI or not: a fresh clone builds everything once, where it would
# only add to target/, and a setting that depended on CI would make a step run by hand after
# `CI=true bash .ci/run` compile the workspace's crates again.
export CARGO_INCREMENTAL=0

# The workspace's crates are compiled by clippy's driver, so every cargo build and test also
# runs clippy with `-D warnings`, exactly as `cargo clippy -- -D warnings` does (the same two
# variables it sets). Why: `cargo clippy` checks every dependency a second time, as metadata
# only, before a build compiles them for real; on two cores that was three minutes of the test
# run. Clippy's driver compiles like rustc, so linting while building costs only the lints.
# Dependencies are built by rustc as before (RUSTC_WORKSPACE_WRAPPER wraps the workspace's
# crates alone).
clippy_driver=$(rustup which clippy-driver 2>/dev/null || command -v clippy-driver)
export RUSTC_WORKSPACE_WRAPPER=$clippy_driver
export CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"

# What the Rust tests, the end-to-end suite, the soak and the hostile photos all build: the
# whole workspace, every target, the UI embedded.
workspace_build=(--workspace --all-targets --locked --features custom-protocol)
