//! Event files read back into a funnel: for each stage of the identification, how many reached
//! it and went past it, how long that took, why photos were taken again, what the bank
//! refused, and where people stopped; the same per camera model.

use std::collections::BTreeMap;
use std::fmt;

use crate::event::{name_of, Event, EventLine, Outcome, Screen, ScreenKind, SCHEMA_VERSION};
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{CameraInfo, Capture, RetakeAfter};
    use crate::named::{AppVersion, CameraModel, Code};
    use humo_ident_camera::checks::Issue;

    /// Writes one identification's lines, a second apart, as the app would.
    struct Flow {
        lines: Vec<EventLine>,
        number: u64,
        camera: &'static str,
        at_ms: u64,
    }

    impl Flow {
        fn new(number: u64, camera: &'static str) -> Flow {
            let mut flow = Flow {
                lines: Vec::new(),
                number,
                camera,
                at_ms: 1_000_000 * number,
            };
            flow.push(Event::IdentificationStarted);
            flow
        }

        fn push(&mut self, event: Event) -> &mut Flow {
            self.at_ms += 1000;
            self.lines.push(EventLine {
                schema: SCHEMA_VERSION,
                at_ms: self.at_ms,
                app: AppVersion::current(),
                kiosk: None,
                identification: self.number,
                camera: Some(CameraInfo {
                    model: CameraModel::parse(self.camera).unwrap(),
                    width: Some(1280),
                    height: Some(720),
                }),
                event,
            });
            self
        }

        fn screen(&mut self, kind: ScreenKind, step: Option<&str>) -> &mut Flow {
            self.push(Event::ScreenReached {
                screen: screen(kind, step),
                previous: None,
                previous_ms: None,
            })
        }

        fn step(&mut self, step: &str) -> &mut Flow {
            self.screen(ScreenKind::Capture, Some(step))
                .screen(ScreenKind::Checking, Some(step))
                .screen(ScreenKind::Accepted, Some(step))
        }

        fn end(&mut self, outcome: Outcome, kind: ScreenKind, step: Option<&str>) -> &mut Flow {
            self.push(Event::IdentificationEnded {
                outcome,
                stopped_at: screen(kind, step),
                took_ms: 0,
            })
        }
    }

    fn screen(kind: ScreenKind, step: Option<&str>) -> Screen {
        Screen {
            kind,
            step: step.map(|step| StepId::parse(step).unwrap()),
            step_kind: None,
        }
    }

    fn lines(flows: &[&Flow]) -> EventLines {
        let mut lines = EventLines::default();
        for flow in flows {
            let text: Vec<String> = flow
                .lines
                .iter()
                .map(|line| serde_json::to_string(line).unwrap())
                .collect();
            lines.read(&text.join("\n"));
        }
        lines
    }

    fn figures<'a>(funnel: &'a Funnel, name: &str) -> &'a StageFigures {
        let (_, figures) = funnel
            .stages
            .iter()
            .find(|(stage, _)| stage.to_string() == name)
            .unwrap_or_else(|| panic!("no stage {name}"));
        figures
    }

    #[test]
    fn each_stage_counts_who_reached_it_who_went_past_and_how_long_it_took() {
        let mut done = Flow::new(1, "Webcam C920");
        done.screen(ScreenKind::ChoosingDocument, None)
            .step("front")
            .step("back")
            .screen(ScreenKind::Done, None)
            .end(Outcome::Done, ScreenKind::Done, None);
        // Refused once for glare, taken again, then given up at the back.
        let mut gave_up = Flow::new(2, "Integrated Camera");
        gave_up
            .screen(ScreenKind::ChoosingDocument, None)
            .screen(ScreenKind::Capture, Some("front"))
            .push(Event::BankRefused {
                step: StepId::parse("front").unwrap(),
                code: Code::parse("DOCUMENT_NOT_RECOGNISED"),
            })
            .push(Event::Retake {
                step: StepId::parse("front").unwrap(),
                after: RetakeAfter::Review,
                issues: vec![Issue::Glare, Issue::Blurry],
            })
            .push(Event::PhotoTaken {
                step: StepId::parse("front").unwrap(),
                how: Capture::Manual,
            })
            .screen(ScreenKind::Accepted, Some("front"))
            .screen(ScreenKind::Capture, Some("back"))
            .end(Outcome::Cancelled, ScreenKind::Capture, Some("back"));
        let report = report(&lines(&[&done, &gave_up]));

        let all = &report.all;
        assert_eq!(all.identifications, 2);
        let names: Vec<String> = all
            .stages
            .iter()
            .map(|(stage, _)| stage.to_string())
            .collect();
        assert_eq!(
            names,
            ["link", "document choice", "step front", "step back", "done"]
        );
        let front = figures(all, "step front");
        assert_eq!((front.reached, front.completed), (2, 2));
        // Capture to acceptance: 2 s in the first flow, 4 s in the second.
        assert_eq!(front.took_ms, [2000, 4000]);
        assert_eq!(
            (front.median_ms(), front.p90_ms()),
            (Some(2000), Some(4000))
        );
        assert_eq!(front.retakes.get("glare"), Some(&1));
        assert_eq!(front.retakes.get("blurry"), Some(&1));
        assert_eq!(front.refusals.get("DOCUMENT_NOT_RECOGNISED"), Some(&1));
        let back = figures(all, "step back");
        assert_eq!((back.reached, back.completed), (2, 1));
        assert_eq!(figures(all, "done").reached, 1);
        assert_eq!(all.outcomes.get("done"), Some(&1));
        assert_eq!(all.outcomes.get("cancelled"), Some(&1));
        assert_eq!(all.stopped_at.get("capture back"), Some(&1));

        // Per camera: each model has its own identification.
        assert_eq!(report.per_camera.len(), 2);
        let webcam = &report.per_camera["Webcam C920"];
        assert_eq!(webcam.identifications, 1);
        assert_eq!(figures(webcam, "step back").completed, 1);
        let integrated = &report.per_camera["Integrated Camera"];
        assert_eq!(figures(integrated, "step back").completed, 0);

        let printed = report.to_string();
        assert!(printed.contains("retakes: blurry 1, glare 1"), "{printed}");
        assert!(printed.contains("stopped at: capture back 1"), "{printed}");
        assert!(printed.contains("Camera: Webcam C920"), "{printed}");
    }

    #[test]
    fn a_broken_line_is_counted_and_the_rest_is_read() {
        let mut flow = Flow::new(3, "Webcam");
        flow.end(Outcome::KioskIdle, ScreenKind::ChoosingDocument, None);
        let mut lines = lines(&[&flow]);
        lines.read("{\"schema\":1,\"at-ms\":5,\"app\"\n\nnot json\n");
        assert_eq!(lines.skipped, 2);
        let report = report(&lines);
        assert_eq!(report.all.outcomes.get("kiosk-idle"), Some(&1));
        assert!(report.to_string().contains("2 lines could not be read"));
    }

    #[test]
    fn the_percentiles_are_nearest_rank() {
        let values: Vec<u64> = (1..=10).collect();
        assert_eq!(percentile(&values, 50), Some(5));
        assert_eq!(percentile(&values, 90), Some(9));
        assert_eq!(percentile(&[7], 90), Some(7));
        assert_eq!(percentile(&[], 50), None);
    }
}
