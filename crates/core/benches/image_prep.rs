//! How long a photo takes to become the JPEG that is uploaded: the pass-through path (a camera's
//! JPEG that fits) against the re-encode paths (a phone photo too large, a PNG).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use humo_ident_core::config::ImageConfig;
use humo_ident_core::image_prep::UploadJpeg;
use image::{DynamicImage, Rgb, RgbImage};

/// A photo-like picture: gradients and fine texture, so that encoders do real work.
fn picture(width: u32, height: u32) -> DynamicImage {
    DynamicImage::ImageRgb8(RgbImage::from_fn(width, height, |x, y| {
        let noise = ((x.wrapping_mul(7919) ^ y.wrapping_mul(104_729)) % 23) as u8;
        Rgb([
            (x * 255 / width) as u8 / 2 + noise,
            (y * 255 / height) as u8 / 2 + noise,
            128 + noise,
        ])
    }))
}

fn jpeg(width: u32, height: u32) -> Vec<u8> {
    UploadJpeg::encode(&picture(width, height), 90)
        .unwrap()
        .bytes()
        .to_vec()
}

fn png(width: u32, height: u32) -> Vec<u8> {
    humo_ident_test_support::png(picture(width, height))
}

fn bench(c: &mut Criterion) {
    let config = ImageConfig::default();
    let inputs = [
        ("jpeg 1920x1080 pass-through", jpeg(1920, 1080)),
        ("jpeg 4000x3000 scaled to 2400", jpeg(4000, 3000)),
        ("png 1920x1080 re-encoded", png(1920, 1080)),
    ];
    let mut group = c.benchmark_group("prepare_for_upload");
    group.sample_size(20);
    for (name, input) in &inputs {
        group.throughput(Throughput::Bytes(input.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(name), input, |b, input| {
            b.iter(|| UploadJpeg::prepare(input, &config).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
