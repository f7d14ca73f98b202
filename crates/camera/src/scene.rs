//! Scenes drawn from nothing, for the synthetic camera and the demo: an ID card on a desk (front
//! and back), an empty desk, and a face.
//!
//! They are plain enough to draw in a few milliseconds and real enough to pass through the same
//! encoders and quality checks as a camera's picture.

use image::{imageops, Rgb, RgbImage};

pub use crate::source::CardSide;

const INK: Rgb<u8> = Rgb([38, 44, 60]);
const SKIN: Rgb<u8> = Rgb([224, 182, 150]);

/// A wooden desk seen from above: 1600×1000.
pub fn desk() -> RgbImage {
    RgbImage::from_fn(1600, 1000, |x, y| {
        // Warm brown with soft grain.
        let grain = ((x as f32 * 0.013 + (y as f32 * 0.11).sin() * 2.0).sin() * 10.0) as i32;
        Rgb([
            clamp(128 + grain),
            clamp(88 + grain / 2),
            clamp(56 + grain / 3),
        ])
    })
}

/// A printed QR code holding `text`, on a sheet of paper on the desk: 1600×1000. What a kiosk's
/// camera sees when the CRM's code is held up to it.
pub fn qr_code(text: &str) -> RgbImage {
    let mut image = desk();
    fill_rect(&mut image, 480, 180, 640, 640, Rgb([246, 246, 242]));
    let Ok(code) = qrcode::QrCode::new(text.as_bytes()) else {
        return image;
    };
    let modules = code.width() as u32;
    // A quiet zone of four modules on each side, inside the paper.
    let module = 560 / (modules + 8);
    let origin_x = 480 + (640 - module * modules) / 2;
    let origin_y = 180 + (640 - module * modules) / 2;
    for (i, colour) in code.to_colors().into_iter().enumerate() {
        if colour == qrcode::Color::Dark {
            let (mx, my) = (i as u32 % modules, i as u32 / modules);
            fill_rect(
                &mut image,
                origin_x + mx * module,
                origin_y + my * module,
                module,
                module,
                INK,
            );
        }
    }
    image
}

/// An ID card lying on a wooden desk, photographed from above: 1600×1000.
pub fn id_card(side: CardSide) -> RgbImage {
    let mut image = desk();
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

/// A head-and-shoulders portrait, drawn: 960×1280.
pub fn drawn_face() -> RgbImage {
    let (width, height) = (960, 1280);
    let mut image = RgbImage::from_fn(width, height, |_, y| {
        let shade = 200 - (y * 40 / height) as u8;
        Rgb([shade, shade, shade.saturating_add(12)])
    });
    fill_ellipse(&mut image, 480, 1230, 380, 260, Rgb([52, 78, 120])); // shoulders
    fill_rect(&mut image, 420, 820, 120, 180, darken(SKIN, 0.8)); // neck
    fill_ellipse(&mut image, 480, 400, 250, 210, Rgb([50, 36, 28])); // hair
                                                                     // The face, lit from the front: darker towards its edges, with shadowed eye sockets, so that
                                                                     // it has the light and dark pattern a face detector looks for.
    let (cx, cy, rx, ry) = (480.0, 560.0, 210.0, 280.0);
    let sockets = [(400.0, 525.0), (560.0, 525.0)];
    for y in (cy - ry) as u32..(cy + ry) as u32 {
        for x in (cx - rx) as u32..(cx + rx) as u32 {
            let (dx, dy) = ((x as f32 - cx) / rx, (y as f32 - cy) / ry);
            let r2 = dx * dx + dy * dy;
            if r2 > 1.0 {
                continue;
            }
            let mut light = 1.0 - 0.35 * r2;
            for (sx, sy) in sockets {
                let (ex, ey) = ((x as f32 - sx) / 75.0, (y as f32 - sy) / 45.0);
                light *= 1.0 - 0.3 * (-(ex * ex + ey * ey)).exp();
            }
            image.put_pixel(x, y, darken(SKIN, light));
        }
    }
    for eye_x in [400, 560] {
        fill_ellipse(&mut image, eye_x, 525, 34, 16, Rgb([235, 235, 230]));
        fill_ellipse(&mut image, eye_x, 525, 15, 15, Rgb([50, 35, 25]));
        fill_rect(&mut image, eye_x - 48, 468, 96, 18, Rgb([55, 38, 28])); // brow
    }
    fill_rect(&mut image, 470, 540, 20, 90, darken(SKIN, 1.08)); // the nose's ridge
    fill_ellipse(&mut image, 462, 640, 10, 7, Rgb([90, 55, 45])); // nostrils
    fill_ellipse(&mut image, 498, 640, 10, 7, Rgb([90, 55, 45]));
    fill_ellipse(&mut image, 480, 712, 66, 18, Rgb([140, 60, 60])); // mouth
                                                                    // A camera's optics soften every edge.
    imageops::blur(&image, 1.5)
}

/// A selfie `width`×`height` made from `portrait`, framed as a person sits before a webcam: the
/// face (centre and width in the portrait's pixels) in the middle, a third of the frame wide,
/// on a plain wall where the portrait does not reach.
pub fn frame_face(
    portrait: &RgbImage,
    face_centre: (f32, f32),
    face_width: f32,
    width: u32,
    height: u32,
) -> RgbImage {
    let mut frame = RgbImage::from_fn(width, height, |_, y| {
        let shade = 200 - (y * 40 / height) as u8;
        Rgb([shade, shade, shade.saturating_add(12)])
    });
    let scale = (width as f32 / 3.0) / face_width.max(1.0);
    let w = ((portrait.width() as f32 * scale) as u32).max(1);
    let h = ((portrait.height() as f32 * scale) as u32).max(1);
    let scaled = imageops::resize(portrait, w, h, imageops::FilterType::Triangle);
    let x = width as f32 / 2.0 - face_centre.0 * scale;
    let y = height as f32 / 2.0 - face_centre.1 * scale;
    imageops::replace(&mut frame, &scaled, x as i64, y as i64);
    frame
}

/// A scene that moves a few pixels along a small circle, as a hand-held camera or a breathing
/// person does. The scene is scaled once; each frame is a crop of it.
pub struct Animation {
    base: RgbImage,
    width: u32,
    height: u32,
    margin: u32,
}

impl Animation {
    /// Prepares `scene` for frames of `width`×`height`: scaled to cover them, keeping its
    /// proportions, and cropped around its centre.
    pub fn new(scene: &RgbImage, width: u32, height: u32) -> Self {
        let margin = (width / 40).max(4);
        let (outer_w, outer_h) = (width + 2 * margin, height + 2 * margin);
        let scale =
            (outer_w as f32 / scene.width() as f32).max(outer_h as f32 / scene.height() as f32);
        let scaled_w = ((scene.width() as f32 * scale).ceil() as u32).max(outer_w);
        let scaled_h = ((scene.height() as f32 * scale).ceil() as u32).max(outer_h);
        let scaled = imageops::resize(scene, scaled_w, scaled_h, imageops::FilterType::Triangle);
        let base = imageops::crop_imm(
            &scaled,
            (scaled_w - outer_w) / 2,
            (scaled_h - outer_h) / 2,
            outer_w,
            outer_h,
        )
        .to_image();
        Animation {
            base,
            width,
            height,
            margin,
        }
    }

    /// The frame at `phase`, which runs from 0 to 1 over one cycle.
    pub fn frame(&self, phase: f32) -> RgbImage {
        let angle = phase * std::f32::consts::TAU;
        let dx = (self.margin as f32 * (1.0 + 0.8 * angle.cos())) as u32;
        let dy = (self.margin as f32 * (1.0 + 0.8 * angle.sin())) as u32;
        imageops::crop_imm(&self.base, dx, dy, self.width, self.height).to_image()
    }
}

fn clamp(value: i32) -> u8 {
    value.clamp(0, 255) as u8
}

fn darken(pixel: Rgb<u8>, factor: f32) -> Rgb<u8> {
    Rgb(pixel.0.map(|c| (c as f32 * factor).min(255.0) as u8))
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
    fn animation_moves_the_scene_and_keeps_the_size() {
        let card = id_card(CardSide::Front);
        let animation = Animation::new(&card, 640, 400);
        let (a, b) = (animation.frame(0.0), animation.frame(0.5));
        assert_eq!(a.dimensions(), (640, 400));
        assert_ne!(a, b);
    }

    #[test]
    fn the_face_has_eyes() {
        let face = drawn_face();
        let pupil = face.get_pixel(400, 525);
        let cheek = face.get_pixel(340, 650);
        assert!(pupil[0] < 100 && cheek[0] > 150, "{pupil:?} {cheek:?}");
    }
}
