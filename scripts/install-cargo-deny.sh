#!/usr/bin/env bash
# Installs cargo-deny, the supply-chain check (deny.toml), at the version its policy was reviewed
# with, unless it is there already. It is built from crates.io: two to three minutes on two cores.
set -euo pipefail
deny_version=0.20.2
if ! cargo deny --version 2>/dev/null | grep -q "$deny_version"; then
  cargo install cargo-deny --locked --version "$deny_version" --no-default-features
fi
