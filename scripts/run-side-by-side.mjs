#!/usr/bin/env node
// Runs test binaries and other test commands side by side, a few at a time, and reports each
// one's output as a whole when it ends.
//
// `cargo test` runs its test binaries one after another, and most of them spend their time
// waiting on the emulator's timers; on two cores, running them side by side takes about half
// the time. The binaries must already be built: cargo lists them from its build without
// compiling anything (`cargo test --no-run --message-format=json`).
//
// The plan comes on standard input, one entry a line (`#` starts a comment), words separated by
// spaces (no quoting):
//
//   tests LABEL [VAR=VALUE...] CARGO_TEST_ARGS...   every test binary `cargo test CARGO_TEST_ARGS`
//                                                   would run, with these variables set
//   run   LABEL COMMAND...                          one command, from the repository's root
//
// Each test binary runs from its package's folder, as under `cargo test`, with the variables
// this project's tests read at run time: the package's (`CARGO_MANIFEST_DIR`, `CARGO_PKG_NAME`,
// …) and the dynamic library path to the binary's folder. It is not every variable cargo sets.
// Those of `.cargo/config.toml`'s [env] table (for ts-rs) come from `cargo xtask env`, which
// starts this runner with the build's environment. A job that has not
// ended after --timeout seconds (default 600) is killed with everything it started and reported
// by name, with what it had printed. The exit status is 1 when any job failed; interrupted, the
// runner ends every job it started.
//
// A test binary built for another target runs under cargo's runner for it
// (`CARGO_TARGET_<TRIPLE>_RUNNER`, read from this runner's environment, as cargo reads it), when
// the entry's arguments name the target (`--target TRIPLE`). With `--via PROGRAM`, cargo and
// every test binary run through PROGRAM (words split at spaces), for a build that lives in
// another root (scripts/check-windows.sh runs the Windows tests under Wine in its Debian root):
// `PROGRAM cargo test ...` lists the binaries, and each runs as
// `PROGRAM env -C DIR VAR=VALUE... [RUNNER...] BINARY`, with the package's variables and the
// entry's own only: PROGRAM sets the rest, and paths are the other root's.
//
// Why a runner of the project's own rather than cargo-nextest: measured on this project's tests
// (docs/PERFORMANCE.md, "The test loop"), nextest was no faster, and under Wine it would start
// a Wine process for every test where this starts one per test binary.
//
// Usage: cargo xtask env node scripts/run-side-by-side.mjs [--jobs N] [--timeout SECONDS]
//        [--via PROGRAM] < PLAN

import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const options = { jobs: 4, timeout: 600, via: "" };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) {
  const name = argv[i].replace(/^--/, "");
  const value = name === "via" ? argv[i + 1] : Number(argv[i + 1]);
  if (!(name in options) || !(value && (name === "via" || value > 0))) {
    console.error(
      `usage: run-side-by-side.mjs [--jobs N] [--timeout SECONDS] [--via PROGRAM] < PLAN (got ${argv[i]})`,
    );
    process.exit(2);
  }
  options[name] = value;
}

/** The command prefix every cargo and test binary runs behind (--via), if any. */
const via = options.via.split(/\s+/).filter(Boolean);

/** Every test binary of `cargo test ARGS`, as a job that runs it the way cargo would. */
function testBinaries(label, words, baseEnv) {
  const extraEnv = {};
  let args = words;
  while (args.length && /^[A-Z_][A-Z0-9_]*=/.test(args[0])) {
    const [key, ...value] = args[0].split("=");
    extraEnv[key] = value.join("=");
    args = args.slice(1);
  }
  const cargo = ["cargo", "test", ...args, "--no-run", "--message-format=json"];
  const [program, ...programArgs] = [...via, ...cargo];
  const listed = spawnSync(program, programArgs, {
    cwd: root,
    env: baseEnv,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    stdio: ["ignore", "pipe", "inherit"],
  });
  if (listed.status !== 0) {
    throw new Error(`cargo test ${args.join(" ")} --no-run failed (exit ${listed.status})`);
  }
  const triple = args[args.indexOf("--target") + 1];
  const targetRunner = args.includes("--target")
    ? (process.env[`CARGO_TARGET_${triple.toUpperCase().replace(/[-.]/g, "_")}_RUNNER`] ?? "")
        .split(/\s+/)
        .filter(Boolean)
    : [];
  const jobs = [];
  for (const line of listed.stdout.split("\n")) {
    if (!line.startsWith("{")) continue;
    const message = JSON.parse(line);
    if (message.reason !== "compiler-artifact" || !message.profile.test || !message.executable) {
      continue;
    }
    const manifestDir = path.dirname(message.manifest_path);
    const [, name, version] = message.package_id.match(/#(?:(.+)@)?([^#@]+)$/) ?? [];
    const packageName = name ?? path.basename(manifestDir);
    const kind = message.target.kind[0];
    const source = path.relative(manifestDir, message.target.src_path);
    const packageEnv = {
      ...extraEnv,
      CARGO_MANIFEST_DIR: manifestDir,
      CARGO_MANIFEST_PATH: message.manifest_path,
      CARGO_PKG_NAME: packageName,
      CARGO_PKG_VERSION: version,
    };
    const binary = [...targetRunner, message.executable];
    jobs.push({
      label: `${label}: ${packageName} ${kind === "test" ? source : `${kind} ${source}`}`,
      // Integration tests first: they are the long ones (they drive the emulator over HTTP).
      integration: kind === "test",
      ...(via.length
        ? {
            command: [
              ...via,
              "env",
              "-C",
              manifestDir,
              ...Object.entries(packageEnv).map(([key, value]) => `${key}=${value}`),
              ...binary,
            ],
            cwd: root,
            env: baseEnv,
          }
        : {
            command: binary,
            cwd: manifestDir,
            env: {
              ...baseEnv,
              ...packageEnv,
              LD_LIBRARY_PATH: [path.dirname(message.executable), process.env.LD_LIBRARY_PATH]
                .filter(Boolean)
                .join(":"),
            },
          }),
    });
  }
  if (jobs.length === 0) throw new Error(`cargo test ${args.join(" ")} lists no test binary`);
  return jobs;
}

function readPlan(baseEnv) {
  const commands = [];
  const binaries = [];
  for (const raw of readFileSync(0, "utf8").split("\n")) {
    const line = raw.replace(/#.*/, "").trim();
    if (!line) continue;
    const [kind, label, ...words] = line.split(/\s+/);
    if (kind === "tests" && label) binaries.push(...testBinaries(label, words, baseEnv));
    else if (kind === "run" && words.length) {
      commands.push({ label, command: words, cwd: root, env: baseEnv });
    } else throw new Error(`plan: cannot read "${line}"`);
  }
  // Commands first (the chaos soak is the longest job), then integration tests, then unit tests.
  return [...commands, ...binaries.filter((job) => job.integration), ...binaries.filter((job) => !job.integration)];
}

/** The process groups of the jobs running now, to end them all if the runner is stopped. */
const running = new Set();

/** Ends a job's process group: the job and whatever it started (apps, emulators). */
function endGroup(pid) {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // The group has ended already.
  }
}

/** How long a job's output may stay open after the job exited (a child it left holds it). */
const OUTPUT_GRACE_MS = 5000;

function run(job) {
  return new Promise((resolve) => {
    const started = Date.now();
    const output = [];
    // A process group of its own, so that ending the job ends what it started too.
    const child = spawn(job.command[0], job.command.slice(1), {
      cwd: job.cwd,
      env: job.env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    if (child.pid) running.add(child.pid);
    child.stdout.on("data", (chunk) => output.push(chunk));
    child.stderr.on("data", (chunk) => output.push(chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      endGroup(child.pid);
    }, options.timeout * 1000);
    let finished = false;
    const finish = (status, error) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      running.delete(child.pid);
      resolve({
        job,
        seconds: (Date.now() - started) / 1000,
        ok: status === 0 && !timedOut && !error,
        why: timedOut
          ? `timed out after ${options.timeout} s`
          : error
            ? error.message
            : status === 0
              ? ""
              : `exit status ${status}`,
        output: Buffer.concat(output).toString("utf8"),
      });
    };
    child.on("error", (error) => finish(null, error));
    // Done when the job has exited and its output is read; a process it left behind holding the
    // output is ended after a grace period rather than waited for.
    child.on("exit", (status, signal) => {
      const exit = signal ? `signal ${signal}` : status;
      const grace = setTimeout(() => {
        endGroup(child.pid);
        finish(exit);
      }, OUTPUT_GRACE_MS);
      child.on("close", () => {
        clearTimeout(grace);
        finish(exit);
      });
    });
  });
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    for (const pid of running) endGroup(pid);
    process.exit(130);
  });
}

async function main() {
  const baseEnv = { ...process.env };
  const jobs = readPlan(baseEnv);
  const started = Date.now();
  console.error(`${jobs.length} jobs, ${options.jobs} at a time`);
  const results = [];
  let next = 0;
  async function worker() {
    while (next < jobs.length) {
      const result = await run(jobs[next++]);
      results.push(result);
      const verdict = result.ok ? "ok" : `FAILED (${result.why})`;
      process.stdout.write(`\n== ${result.job.label}: ${verdict} in ${result.seconds.toFixed(1)} s\n`);
      process.stdout.write(result.output);
    }
  }
  await Promise.all(Array.from({ length: Math.min(options.jobs, jobs.length) }, worker));

  const failed = results.filter((result) => !result.ok);
  const wall = ((Date.now() - started) / 1000).toFixed(1);
  const summed = results.reduce((sum, result) => sum + result.seconds, 0).toFixed(1);
  console.log(`\n${results.length} jobs in ${wall} s (their times, each measured side by side, add up to ${summed} s)`);
  for (const result of results.toSorted((a, b) => b.seconds - a.seconds).slice(0, 5)) {
    console.log(`  ${result.seconds.toFixed(1).padStart(6)} s  ${result.job.label}`);
  }
  for (const result of failed) console.log(`FAILED: ${result.job.label} (${result.why})`);
  process.exit(failed.length ? 1 : 0);
}

main().catch((error) => {
  console.error(error.message);
  for (const pid of running) endGroup(pid);
  process.exit(2);
});
