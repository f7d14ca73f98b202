//! The preview half at the camera's own rate: the synthetic camera at 1280×720 MJPEG, 30 fps,
//! into the newest-frame slot and out to a consumer that takes 5 ms per frame.
//!
//! Prints frames delivered per second (target ≥ 29), frames skipped, how old each frame was when
//! the consumer took it (nothing may queue), and the process's CPU time per frame.

use std::time::{Duration, Instant};

use humo_ident_camera::capture::Capture;
use humo_ident_camera::scene::CardSide;
use humo_ident_camera::source::{FrameSource, SyntheticConfig, SyntheticScene, SyntheticSource};

const RUN_FOR: Duration = Duration::from_secs(10);
const CONSUMER_COST: Duration = Duration::from_millis(5);

fn main() {
    // `cargo bench` passes `--bench`; any other argument filters criterion benches, not this one.
    let config = SyntheticConfig::new(SyntheticScene::Card(CardSide::Front), 1280, 720);
    let capture = Capture::start(Box::new(move || {
        Ok(Box::new(SyntheticSource::open(config.clone())?) as Box<dyn FrameSource>)
    }));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut frames = capture.frames();
    // Wait for the camera to open (it renders its animation first).
    runtime
        .block_on(async { frames.wait_for(Option::is_some).await.map(|_| ()) })
        .unwrap();
    let _ = frames.borrow_and_update();

    let cpu_before = humo_ident_test_support::cpu_time();
    let started = Instant::now();
    let (mut delivered, mut first_seq, mut last_seq) = (0u64, None, 0u64);
    let mut ages = Vec::new();
    let mut preview_bytes = 0usize;
    runtime.block_on(async {
        while started.elapsed() < RUN_FOR {
            if frames.changed().await.is_err() {
                break;
            }
            let newest = frames.borrow_and_update().clone().expect("a frame");
            ages.push(newest.frame.captured_at.elapsed());
            preview_bytes += newest.preview.len();
            first_seq.get_or_insert(newest.frame.sequence);
            last_seq = newest.frame.sequence;
            delivered += 1;
            // The consumer's work (drawing the frame), blocking as a renderer would.
            std::thread::sleep(CONSUMER_COST);
        }
    });
    let elapsed = started.elapsed().as_secs_f64();
    let cpu = humo_ident_test_support::cpu_time() - cpu_before;
    capture.stop();

    ages.sort();
    let produced = last_seq - first_seq.unwrap_or(last_seq) + 1;
    let pct = |p: f64| ages[((ages.len() as f64 - 1.0) * p) as usize];
    println!(
        "preview: synthetic 1280x720 MJPEG @ 30 fps, consumer {} ms/frame, {:.0} s",
        CONSUMER_COST.as_millis(),
        elapsed
    );
    println!(
        "  delivered        {:.1} frames/s ({delivered} frames)",
        delivered as f64 / elapsed
    );
    println!(
        "  skipped          {} of {produced} produced",
        produced - delivered
    );
    println!(
        "  age when taken   p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms",
        ms(pct(0.5)),
        ms(pct(0.95)),
        ms(*ages.last().unwrap())
    );
    println!(
        "  preview size     {:.0} KB/frame",
        preview_bytes as f64 / delivered as f64 / 1024.0
    );
    println!(
        "  CPU              {:.2} ms/frame (whole process: camera, slot, consumer)",
        cpu.as_secs_f64() * 1000.0 / delivered as f64
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
