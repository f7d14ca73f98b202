//! Photos drawn from nothing, for the demo: an ID card on a desk (front and back) and a face.
//!
//! They are plain enough to draw in a few milliseconds and real enough to pass through the same
//! checks and encoders as a camera's photo.

use image::{Rgb, RgbImage};

/// A side of the demo ID card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardSide {
    Front,
    Back,
}

const INK: Rgb<u8> = Rgb([38, 44, 60]);
const SKIN: Rgb<u8> = Rgb([224, 182, 150]);

/// An ID card lying on a wooden desk, photographed from above: 1600×1000.
pub fn id_card(side: CardSide) -> RgbImage {
    let (width, height) = (1600, 1000);
    let mut image = RgbImage::from_fn(width, height, |x, y| {
        // Wood: warm brown with soft grain.
        let grain = ((x as f32 * 0.013 + (y as f32 * 0.11).sin() * 2.0).sin() * 10.0) as i32;
        Rgb([
            clamp(128 + grain),
            clamp(88 + grain / 2),
            clamp(56 + grain / 3),
        ])
    });
    // The card: 85.6 × 54 mm, 1240 × 782 px, with rounded corners and a soft shadow.
    let (cx, cy, cw, ch) = (180, 109, 1240, 782);
    fill_rounded(&mut image, cx + 14, cy + 18, cw, ch, 40, |p| {
        darken(p, 0.55)
    });
    fill_rounded(&mut image, cx, cy, cw, ch, 40, |_| Rgb([236, 240, 238]));
    fill_rect(&mut image, cx, cy + 30, cw, 90, Rgb([31, 94, 160]));
    match side {
        CardSide::Front => {
            // Photo with a face, then the text fields.
            fill_rect(
                &mut image,
                cx + 60,
                cy + 170,
                330,
                420,
                Rgb([200, 208, 214]),
            );
            fill_ellipse(&mut image, cx + 225, cy + 360, 110, 140, SKIN);
            fill_ellipse(&mut image, cx + 225, cy + 250, 118, 60, Rgb([60, 42, 30]));
            for (i, len) in [520, 380, 610, 300, 450, 260].iter().enumerate() {
                fill_rect(
                    &mut image,
                    cx + 450,
                    cy + 190 + i as u32 * 70,
                    *len,
                    26,
                    INK,
                );
            }
            fill_rect(&mut image, cx + 60, cy + 650, 330, 40, INK);
        }
        CardSide::Back => {
            for (i, len) in [700, 520, 640].iter().enumerate() {
                fill_rect(&mut image, cx + 60, cy + 170 + i as u32 * 70, *len, 26, INK);
            }
            // Three lines of machine-readable zone.
            for row in 0..3 {
                for glyph in 0..30 {
                    let x = cx + 60 + glyph * 37;
                    let tall = (glyph * 7 + row * 3) % 5 != 0;
                    fill_rect(
                        &mut image,
                        x,
                        cy + 520 + row * 74,
                        24,
                        if tall { 44 } else { 30 },
                        INK,
                    );
                }
            }
        }
    }
    image
}

/// A head-and-shoulders selfie in a plain room: 960×1280.
pub fn face() -> RgbImage {
    let (width, height) = (960, 1280);
    let mut image = RgbImage::from_fn(width, height, |_, y| {
        let shade = 200 - (y * 40 / height) as u8;
        Rgb([shade, shade, shade.saturating_add(12)])
    });
    fill_ellipse(&mut image, 480, 1230, 380, 260, Rgb([52, 78, 120])); // shoulders
    fill_rect(&mut image, 420, 820, 120, 180, darken(SKIN, 0.9)); // neck
    fill_ellipse(&mut image, 480, 400, 250, 210, Rgb([50, 36, 28])); // hair
    fill_ellipse(&mut image, 480, 560, 210, 280, SKIN); // face
    for eye_x in [400, 560] {
        fill_ellipse(&mut image, eye_x, 520, 38, 20, Rgb([250, 250, 250]));
        fill_ellipse(&mut image, eye_x, 520, 16, 16, Rgb([70, 50, 35]));
        fill_rect(&mut image, eye_x - 45, 470, 90, 12, Rgb([60, 42, 30])); // brow
    }
    fill_ellipse(&mut image, 480, 620, 22, 50, darken(SKIN, 0.85)); // nose
    fill_ellipse(&mut image, 480, 712, 70, 20, Rgb([170, 80, 80])); // mouth
    image
}

fn clamp(value: i32) -> u8 {
    value.clamp(0, 255) as u8
}

fn darken(pixel: Rgb<u8>, factor: f32) -> Rgb<u8> {
    Rgb(pixel.0.map(|c| (c as f32 * factor) as u8))
}

fn fill_rect(image: &mut RgbImage, x: u32, y: u32, w: u32, h: u32, color: Rgb<u8>) {
    for py in y..(y + h).min(image.height()) {
        for px in x..(x + w).min(image.width()) {
            image.put_pixel(px, py, color);
        }
    }
}

fn fill_ellipse(image: &mut RgbImage, cx: u32, cy: u32, rx: u32, ry: u32, color: Rgb<u8>) {
    let (rx2, ry2) = ((rx * rx) as f32, (ry * ry) as f32);
    for py in cy.saturating_sub(ry)..(cy + ry).min(image.height()) {
        for px in cx.saturating_sub(rx)..(cx + rx).min(image.width()) {
            let (dx, dy) = (px as f32 - cx as f32, py as f32 - cy as f32);
            if dx * dx / rx2 + dy * dy / ry2 <= 1.0 {
                image.put_pixel(px, py, color);
            }
        }
    }
}

/// Paints a rounded rectangle, each pixel from its old colour.
fn fill_rounded(
    image: &mut RgbImage,
    x: u32,
    y: u32,
    w: u32,
    h: u32,
    radius: u32,
    paint: impl Fn(Rgb<u8>) -> Rgb<u8>,
) {
    for py in y..(y + h).min(image.height()) {
        for px in x..(x + w).min(image.width()) {
            let dx = (x + radius)
                .saturating_sub(px)
                .max(px.saturating_sub(x + w - 1 - radius));
            let dy = (y + radius)
                .saturating_sub(py)
                .max(py.saturating_sub(y + h - 1 - radius));
            if dx * dx + dy * dy <= radius * radius {
                let old = *image.get_pixel(px, py);
                image.put_pixel(px, py, paint(old));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_card_stands_out_from_the_desk() {
        let card = id_card(CardSide::Front);
        let desk = card.get_pixel(40, 40);
        let on_card = card.get_pixel(800, 800);
        assert!(on_card[0] > desk[0] + 60, "{desk:?} {on_card:?}");
        assert_ne!(id_card(CardSide::Front), id_card(CardSide::Back));
    }

    #[test]
    fn the_face_has_eyes() {
        let face = face();
        assert_eq!(face.get_pixel(400, 520), &Rgb([70, 50, 35]));
        assert_eq!(face.get_pixel(340, 650), &SKIN);
    }
}
