// Reads `cargo build --message-format=json` on standard input and fails if cargo compiled what
// should have been fresh: with `all`, any crate; with `dependencies`, any crate that is not the
// workspace's own. Cargo says of each artifact whether it was fresh, so nothing here guesses.
//
//   cargo build ... --message-format=json | node scripts/cargo-fresh.mjs all|dependencies STEP
import { createInterface } from "node:readline";

const [mode, step = "this build"] = process.argv.slice(2);
if (mode !== "all" && mode !== "dependencies") {
  console.error("usage: node scripts/cargo-fresh.mjs all|dependencies STEP < cargo's JSON messages");
  process.exit(2);
}
const compiled = new Set();
let artifacts = 0;
let finished;
for await (const line of createInterface({ input: process.stdin })) {
  if (!line.startsWith("{")) continue;
  const message = JSON.parse(line);
  if (message.reason === "build-finished") finished = message.success;
  if (message.reason !== "compiler-artifact") continue;
  artifacts += 1;
  // A workspace crate's id is a path (`path+file://...`); a dependency's names its registry.
  const ours = message.package_id.startsWith("path+");
  if (!message.fresh && (mode === "all" || !ours)) {
    compiled.add(`${message.target.name} (${message.package_id})`);
  }
}
if (finished !== true) {
  console.error(`${step}: cargo's build did not finish`);
  process.exit(1);
}
if (compiled.size > 0) {
  console.error(`${step} compiled what an earlier step built (its flags, features or environment differ):`);
  for (const name of compiled) console.error(`  ${name}`);
  process.exit(1);
}
console.error(`${step}: all ${artifacts} artifacts fresh${mode === "dependencies" ? " (dependencies)" : ""}`);
