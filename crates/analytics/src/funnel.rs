//! Event files read back into a funnel: for each stage of the identification, how many reached
//! it and went past it, how long that took, why photos were taken again, what the bank
//! refused, and where people stopped; the same per camera model.

use std::collections::BTreeMap;
use std::fmt;

use crate::event::{Event, EventLine, Outcome, Screen, ScreenKind, SCHEMA_VERSION};
use crate::named::StepId;

/// The lines of event files, and how many could not be read.
#[derive(Debug, Default)]
pub struct EventLines {
    /// The lines read.
    pub lines: Vec<EventLine>,
    /// Lines that were not events of a known version (cut short by a crash, or newer).
    pub skipped: usize,
}

impl EventLines {
    /// Reads the lines of one file's `text`.
    pub fn read(&mut self, text: &str) {
        for line in text.lines().filter(|line| !line.trim().is_empty()) {
            match serde_json::from_str::<EventLine>(line) {
                Ok(event) if event.schema == SCHEMA_VERSION => self.lines.push(event),
                _ => self.skipped += 1,
            }
        }
    }
}

/// A stage of the funnel.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// From the link to the document choice.
    Link,
    /// Choosing the document.
    Document,
    /// A step, from its camera to the bank's acceptance.
    Step(StepId),
    /// The end.
    Done,
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stage::Link => f.write_str("link"),
            Stage::Document => f.write_str("document choice"),
            Stage::Step(id) => write!(f, "step {id}"),
            Stage::Done => f.write_str("done"),
        }
    }
}

/// One stage's figures.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StageFigures {
    /// Identifications that reached it.
    pub reached: usize,
    /// Identifications that went past it.
    pub completed: usize,
    /// How long going past it took, in milliseconds, one per identification that did.
    pub took_ms: Vec<u64>,
    /// Photos taken again, by reason.
    pub retakes: BTreeMap<String, usize>,
    /// The bank's refusals, by code.
    pub refusals: BTreeMap<String, usize>,
}

impl StageFigures {
    /// The median time to go past the stage.
    pub fn median_ms(&self) -> Option<u64> {
        percentile(&self.took_ms, 50)
    }

    /// The 90th percentile of it.
    pub fn p90_ms(&self) -> Option<u64> {
        percentile(&self.took_ms, 90)
    }
}

/// The funnel of a set of identifications.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Funnel {
    /// How many identifications.
    pub identifications: usize,
    /// Each stage, in the flow's order.
    pub stages: Vec<(Stage, StageFigures)>,
    /// How identifications ended.
    pub outcomes: BTreeMap<String, usize>,
    /// Where the ones that did not finish stopped, by screen.
    pub stopped_at: BTreeMap<String, usize>,
}

/// The whole report: all identifications, and each camera model's.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// Every identification.
    pub all: Funnel,
    /// Per camera model ("no camera" for those that never streamed).
    pub per_camera: BTreeMap<String, Funnel>,
    /// Lines that could not be read.
    pub skipped_lines: usize,
}

/// What one identification went through.
#[derive(Debug, Default)]
struct Trace {
    camera: Option<String>,
    started_ms: Option<u64>,
    screens: Vec<(Screen, u64)>,
    retakes: Vec<(StepId, Vec<String>)>,
    refusals: Vec<(StepId, String)>,
    ended: Option<(Outcome, Screen)>,
}

/// The report of `lines`.
pub fn report(lines: &EventLines) -> Report {
    let mut traces: BTreeMap<(Option<String>, u64), Trace> = BTreeMap::new();
    for line in lines.lines.iter().filter(|line| line.identification != 0) {
        let key = (
            line.kiosk.as_ref().map(|k| k.to_string()),
            line.identification,
        );
        let trace = traces.entry(key).or_default();
        if let Some(camera) = &line.camera {
            trace.camera = Some(camera.model.to_string());
        }
        match &line.event {
            Event::IdentificationStarted => trace.started_ms = Some(line.at_ms),
            Event::ScreenReached { screen, .. } => trace.screens.push((screen.clone(), line.at_ms)),
            Event::Retake {
                step,
                after,
                issues,
                ..
            } => {
                let reasons = match issues.is_empty() {
                    true => vec![name_of(after)],
                    false => issues
                        .iter()
                        .map(|issue| issue.as_str().to_owned())
                        .collect(),
                };
                trace.retakes.push((step.clone(), reasons));
            }
            Event::BankRefused { step, code } => {
                let code = code
                    .as_ref()
                    .map_or("no code".to_owned(), |c| c.to_string());
                trace.refusals.push((step.clone(), code));
            }
            Event::IdentificationEnded {
                outcome,
                stopped_at,
                ..
            } => trace.ended = Some((*outcome, stopped_at.clone())),
            Event::PhotoTaken { .. }
            | Event::NetworkRetry { .. }
            | Event::LivenessRefused { .. } => {}
        }
    }
    let steps = step_order(traces.values());
    let mut per_camera: BTreeMap<String, Vec<&Trace>> = BTreeMap::new();
    for trace in traces.values() {
        let model = trace
            .camera
            .clone()
            .unwrap_or_else(|| "no camera".to_owned());
        per_camera.entry(model).or_default().push(trace);
    }
    Report {
        all: funnel(traces.values(), &steps),
        per_camera: per_camera
            .into_iter()
            .map(|(model, traces)| (model, funnel(traces.into_iter(), &steps)))
            .collect(),
        skipped_lines: lines.skipped,
    }
}

/// The steps in the order identifications first reached them.
fn step_order<'a>(traces: impl Iterator<Item = &'a Trace>) -> Vec<StepId> {
    let mut order: Vec<StepId> = Vec::new();
    for trace in traces {
        for (screen, _) in &trace.screens {
            if let Some(step) = screen
                .step
                .as_ref()
                .filter(|_| screen.kind == ScreenKind::Capture)
            {
                if !order.contains(step) {
                    order.push(step.clone());
                }
            }
        }
    }
    order
}

fn funnel<'a>(traces: impl Iterator<Item = &'a Trace>, steps: &[StepId]) -> Funnel {
    let mut stages: Vec<(Stage, StageFigures)> = [Stage::Link, Stage::Document]
        .into_iter()
        .chain(steps.iter().cloned().map(Stage::Step))
        .chain([Stage::Done])
        .map(|stage| (stage, StageFigures::default()))
        .collect();
    let mut result = Funnel::default();
    for trace in traces {
        result.identifications += 1;
        for (stage, figures) in &mut stages {
            add(trace, stage, figures);
        }
        match &trace.ended {
            Some((outcome, stopped_at)) => {
                *result.outcomes.entry(name_of(outcome)).or_default() += 1;
                if *outcome != Outcome::Done {
                    *result.stopped_at.entry(stopped_at.name()).or_default() += 1;
                }
            }
            None => {
                *result
                    .outcomes
                    .entry("no end recorded".to_owned())
                    .or_default() += 1
            }
        }
    }
    result.stages = stages;
    result
}

/// Adds `trace` to the figures of `stage`.
fn add(trace: &Trace, stage: &Stage, figures: &mut StageFigures) {
    let first = |matches: &dyn Fn(&Screen) -> bool, after: u64| {
        trace
            .screens
            .iter()
            .find(|(screen, at)| *at >= after && matches(screen))
            .map(|(_, at)| *at)
    };
    let (reached, completed) = match stage {
        Stage::Link => {
            let past = first(
                &|screen| {
                    matches!(
                        screen.kind,
                        ScreenKind::ChoosingDocument | ScreenKind::Capture
                    )
                },
                0,
            );
            (trace.started_ms, past)
        }
        Stage::Document => {
            let reached = first(&|screen| is(screen, ScreenKind::ChoosingDocument, None), 0);
            (
                reached,
                reached.and_then(|at| first(&|screen| is(screen, ScreenKind::Capture, None), at)),
            )
        }
        Stage::Step(step) => {
            let reached = first(&|screen| is(screen, ScreenKind::Capture, Some(step)), 0);
            let accepted = reached
                .and_then(|at| first(&|screen| is(screen, ScreenKind::Accepted, Some(step)), at));
            for (_, reasons) in trace.retakes.iter().filter(|(id, _)| id == step) {
                for reason in reasons {
                    *figures.retakes.entry(reason.clone()).or_default() += 1;
                }
            }
            for (_, code) in trace.refusals.iter().filter(|(id, _)| id == step) {
                *figures.refusals.entry(code.clone()).or_default() += 1;
            }
            (reached, accepted)
        }
        Stage::Done => {
            let done = first(&|screen| is(screen, ScreenKind::Done, None), 0);
            (done, done)
        }
    };
    if let Some(reached) = reached {
        figures.reached += 1;
        if let Some(completed) = completed {
            figures.completed += 1;
            figures.took_ms.push(completed.saturating_sub(reached));
        }
    }
}

/// Whether `screen` is a `kind` screen, for `step` when one is named.
fn is(screen: &Screen, kind: ScreenKind, step: Option<&StepId>) -> bool {
    screen.kind == kind && (step.is_none() || screen.step.as_ref() == step)
}

/// The nearest-rank percentile of `values`.
fn percentile(values: &[u64], percent: usize) -> Option<u64> {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let rank = (percent * sorted.len()).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

/// A kebab-case enum's name, as its lines spell it.
fn name_of(value: &impl serde::Serialize) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|value| value.as_str().map(str::to_owned))
        .unwrap_or_default()
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "All identifications")?;
        write!(f, "{}", self.all)?;
        for (model, funnel) in &self.per_camera {
            writeln!(f, "\nCamera: {model}")?;
            write!(f, "{funnel}")?;
        }
        if self.skipped_lines > 0 {
            writeln!(
                f,
                "\n{} lines could not be read and were skipped",
                self.skipped_lines
            )?;
        }
        Ok(())
    }
}

impl fmt::Display for Funnel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let seconds = |ms: Option<u64>| {
            ms.map_or("-".to_owned(), |ms| format!("{:.1} s", ms as f64 / 1000.0))
        };
        writeln!(f, "  identifications: {}", self.identifications)?;
        writeln!(
            f,
            "  {:<22} {:>8} {:>10} {:>9} {:>9}",
            "stage", "reached", "completed", "median", "p90"
        )?;
        for (stage, figures) in &self.stages {
            writeln!(
                f,
                "  {:<22} {:>8} {:>10} {:>9} {:>9}",
                stage.to_string(),
                figures.reached,
                figures.completed,
                seconds(figures.median_ms()),
                seconds(figures.p90_ms()),
            )?;
            list(f, "retakes", &figures.retakes)?;
            list(f, "bank refusals", &figures.refusals)?;
        }
        list(f, "ended", &self.outcomes)?;
        list(f, "stopped at", &self.stopped_at)
    }
}

/// Writes `counts` as one indented line, the most frequent first.
fn list(f: &mut fmt::Formatter<'_>, title: &str, counts: &BTreeMap<String, usize>) -> fmt::Result {
    if counts.is_empty() {
        return Ok(());
    }
    let mut sorted: Vec<(&String, &usize)> = counts.iter().collect();
    sorted.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let items: Vec<String> = sorted
        .iter()
        .map(|(name, n)| format!("{name} {n}"))
        .collect();
    writeln!(f, "    {title}: {}", items.join(", "))
}
