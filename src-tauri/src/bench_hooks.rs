//! Where the benchmarks hook into the app's start, so the path from start to window reads the
//! same in every build. Without the `bench` feature (the bank's build) each hook does nothing
//! and compiles away; with it, each hands over to [`crate::bench`].

use tauri::{Context, Runtime};

use crate::args::Args;

/// Runs the benchmark the command line asks for (`--bench-preview`, `--bench-footprint blank`)
/// instead of the app, and gives `context` back when it asks for none.
pub fn run_instead(args: &Args, context: Context) -> Option<Context> {
    #[cfg(feature = "bench")]
    {
        let compositing = args.compositing.map(Into::into).unwrap_or_default();
        if let Some(transport) = args.bench_preview {
            let seconds = std::time::Duration::from_secs(args.bench_seconds);
            crate::bench::run(transport, seconds, compositing, context);
            return None;
        }
        if args.bench_footprint == Some(crate::args::FootprintMode::Blank) {
            crate::bench::footprint::run_blank(compositing, context);
            return None;
        }
    }
    let _ = args;
    Some(context)
}

/// Whether the footprint benchmark watches this start (`--bench-footprint app`): read before
/// the command line's options go into the app's setup.
#[derive(Clone, Copy)]
pub struct StartWatch {
    #[cfg(feature = "bench")]
    watched: bool,
}

impl StartWatch {
    pub fn of(args: &Args) -> StartWatch {
        let _ = args;
        StartWatch {
            #[cfg(feature = "bench")]
            watched: args.bench_footprint.is_some(),
        }
    }
}

/// The app's builder, instrumented when the footprint benchmark watches the start.
pub fn instrument<R: Runtime>(watch: StartWatch, builder: tauri::Builder<R>) -> tauri::Builder<R> {
    #[cfg(feature = "bench")]
    if watch.watched {
        return crate::bench::footprint::instrument(builder);
    }
    let _ = watch;
    builder
}

/// Whether a navigation is the footprint benchmark's signal from the page (never followed).
pub fn is_signal(url: &url::Url) -> bool {
    #[cfg(feature = "bench")]
    return crate::bench::footprint::is_signal(url);
    #[cfg(not(feature = "bench"))]
    {
        let _ = url;
        false
    }
}

/// Notes a point of the start, for the footprint benchmark.
pub fn mark(name: &'static str) {
    #[cfg(feature = "bench")]
    crate::bench::footprint::mark(name);
    let _ = name;
}
