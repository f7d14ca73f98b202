//! Packed YUYV (4:2:2) to and from RGB, with the BT.601 limited-range coefficients webcams use.

use image::{GrayImage, Luma, Rgb, RgbImage};

/// Converts a whole YUYV frame to RGB.
pub fn to_rgb(data: &[u8], width: u32, height: u32) -> RgbImage {
    let mut out = RgbImage::new(width, height);
    for (pair, pixels) in data.chunks_exact(4).zip(out.as_mut().chunks_exact_mut(6)) {
        let (y0, u, y1, v) = (pair[0], pair[1], pair[2], pair[3]);
        pixels[..3].copy_from_slice(&yuv_to_rgb(y0, u, v).0);
        pixels[3..].copy_from_slice(&yuv_to_rgb(y1, u, v).0);
    }
    out
}

/// Converts a YUYV frame to RGB at a smaller size by taking the nearest pixel: cheap enough to
/// run on every frame for a preview.
pub fn to_rgb_scaled(data: &[u8], width: u32, height: u32, out_width: u32) -> RgbImage {
    if out_width >= width {
        return to_rgb(data, width, height);
    }
    let out_height = ((height as u64 * out_width as u64) / width as u64).max(1) as u32;
    RgbImage::from_fn(out_width, out_height, |x, y| {
        let sx = (x as u64 * width as u64 / out_width as u64) as usize;
        let sy = (y as u64 * height as u64 / out_height as u64) as usize;
        let pair = (sy * width as usize + (sx & !1)) * 2;
        let luma = data[pair + if sx % 2 == 0 { 0 } else { 2 }];
        yuv_to_rgb(luma, data[pair + 1], data[pair + 3])
    })
}

/// The luma plane at a smaller size, for the quality checks: no colour conversion at all.
pub fn luma_scaled(data: &[u8], width: u32, height: u32, out_width: u32) -> GrayImage {
    let out_width = out_width.min(width);
    let out_height = ((height as u64 * out_width as u64) / width as u64).max(1) as u32;
    GrayImage::from_fn(out_width, out_height, |x, y| {
        let sx = x as u64 * width as u64 / out_width as u64;
        let sy = y as u64 * height as u64 / out_height as u64;
        Luma([data[((sy * width as u64 + sx) * 2) as usize]])
    })
}

/// Converts RGB to YUYV, averaging the chroma of each pixel pair (the synthetic camera's output).
pub fn from_rgb(image: &RgbImage) -> Vec<u8> {
    let mut out = Vec::with_capacity((image.width() * image.height() * 2) as usize);
    for pair in image.as_raw().chunks_exact(6) {
        let (y0, u0, v0) = rgb_to_yuv(pair[0], pair[1], pair[2]);
        let (y1, u1, v1) = rgb_to_yuv(pair[3], pair[4], pair[5]);
        out.extend_from_slice(&[
            y0,
            ((u0 as u16 + u1 as u16) / 2) as u8,
            y1,
            ((v0 as u16 + v1 as u16) / 2) as u8,
        ]);
    }
    out
}

fn yuv_to_rgb(y: u8, u: u8, v: u8) -> Rgb<u8> {
    let c = 298 * (y as i32 - 16);
    let d = u as i32 - 128;
    let e = v as i32 - 128;
    let clamp = |x: i32| ((x + 128) >> 8).clamp(0, 255) as u8;
    Rgb([
        clamp(c + 409 * e),
        clamp(c - 100 * d - 208 * e),
        clamp(c + 516 * d),
    ])
}

fn rgb_to_yuv(r: u8, g: u8, b: u8) -> (u8, u8, u8) {
    let (r, g, b) = (r as i32, g as i32, b as i32);
    let y = ((66 * r + 129 * g + 25 * b + 128) >> 8) + 16;
    let u = ((-38 * r - 74 * g + 112 * b + 128) >> 8) + 128;
    let v = ((112 * r - 94 * g - 18 * b + 128) >> 8) + 128;
    (
        y.clamp(0, 255) as u8,
        u.clamp(0, 255) as u8,
        v.clamp(0, 255) as u8,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_survive_a_round_trip() {
        let image = RgbImage::from_fn(64, 8, |x, _| match x / 16 {
            0 => Rgb([200, 30, 30]),
            1 => Rgb([30, 200, 30]),
            2 => Rgb([30, 30, 200]),
            _ => Rgb([128, 128, 128]),
        });
        let back = to_rgb(&from_rgb(&image), 64, 8);
        for (a, b) in image.pixels().zip(back.pixels()) {
            for c in 0..3 {
                assert!((a[c] as i32 - b[c] as i32).abs() <= 6, "{a:?} became {b:?}");
            }
        }
        let small = to_rgb_scaled(&from_rgb(&image), 64, 8, 32);
        assert_eq!(small.dimensions(), (32, 4));
        assert!(small.get_pixel(2, 1)[0] > 180);
        let luma = luma_scaled(&from_rgb(&image), 64, 8, 16);
        assert_eq!(luma.dimensions(), (16, 2));
    }
}
