# Sourced by scripts/test.sh and scripts/check-bank-build.sh: the workspace's crates are compiled
# by clippy's driver, so every cargo build and test that follows also runs clippy with
# `-D warnings`, exactly as `cargo clippy -- -D warnings` does (the same two variables it sets).
#
# Why: `cargo clippy` checks every dependency a second time, as metadata only, before a build
# compiles them for real; on two cores that was three minutes of the test run. Clippy's driver
# compiles like rustc, so linting while building costs only the lints. Dependencies are built by
# rustc as before (RUSTC_WORKSPACE_WRAPPER wraps the workspace's crates alone).
#
# Every cargo command that should reuse the build must see the same two variables, or it builds
# the workspace's crates again (not the dependencies).
clippy_driver=$(rustup which clippy-driver 2>/dev/null || command -v clippy-driver)
export RUSTC_WORKSPACE_WRAPPER=$clippy_driver
export CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"
