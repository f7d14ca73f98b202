//! Document checks: the card's outline, and exposure, sharpness and glare on the card itself.

use image::GrayImage;
use serde::Serialize;

use super::{exposure_issues, measure, Issue, QualityReport, MIN_DOCUMENT_SHARPNESS};

/// A gradient stronger than this (between pixels two apart) counts as an edge.
const EDGE: i16 = 40;
/// An edge line must run along at least this share of the card's side.
const EDGE_COVERAGE: f32 = 0.5;
/// The card must fill at least this share of the picture.
const MIN_FILL: f32 = 0.25;
/// Width over height of ID-1 cards (85.6 × 54 mm) is 1.59, of a passport page 1.42; a tilted or
/// turned card stays within these.
const ASPECT: (f32, f32) = (1.2, 2.0);

/// Where the card is, as shares (0–1) of the picture's width and height.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CardOutline {
    /// Left edge.
    pub left: f32,
    /// Top edge.
    pub top: f32,
    /// Right edge.
    pub right: f32,
    /// Bottom edge.
    pub bottom: f32,
}

impl CardOutline {
    /// The share of the picture the card covers.
    pub fn fill(&self) -> f32 {
        (self.right - self.left) * (self.bottom - self.top)
    }
}

/// Checks a picture of a document page.
pub fn check_document(grey: &GrayImage) -> QualityReport {
    let (w, h) = grey.dimensions();
    let card = find_card(grey);
    let mut issues = Vec::new();
    let measures = match card {
        Some(card) => {
            // Inside the card, clear of its edges.
            let (cw, ch) = (
                (card.right - card.left) * w as f32,
                (card.bottom - card.top) * h as f32,
            );
            let x0 = (card.left * w as f32 + cw * 0.05) as u32;
            let y0 = (card.top * h as f32 + ch * 0.05) as u32;
            let x1 = (card.right * w as f32 - cw * 0.05) as u32;
            let y1 = (card.bottom * h as f32 - ch * 0.05) as u32;
            measure(grey, x0, y0, x1, y1)
        }
        None => measure(grey, 0, 0, w, h),
    };
    exposure_issues(&measures, MIN_DOCUMENT_SHARPNESS, &mut issues);
    match card {
        None => issues.push(Issue::NoDocument),
        Some(card) if card.fill() < MIN_FILL => issues.push(Issue::DocumentTooSmall),
        Some(_) => {}
    }
    QualityReport {
        issues,
        brightness: measures.brightness,
        sharpness: measures.sharpness,
        glare: measures.glare,
        card,
        faces: 0,
    }
}

/// Finds a card-shaped rectangle: two long vertical and two long horizontal edge lines that
/// enclose a card's proportions.
///
/// It projects strong gradients onto the axes: a card's sides are the columns and rows where an
/// edge runs furthest. Text lines inside the card are shorter than its sides, and a desk's grain
/// is too weak to count as an edge.
pub fn find_card(grey: &GrayImage) -> Option<CardOutline> {
    let (w, h) = grey.dimensions();
    if w < 16 || h < 16 {
        return None;
    }
    let (columns, rows) = edge_profiles(grey);
    let (left, right) = best_pair(&columns, (w as f32 * 0.2) as usize)?;
    let (top, bottom) = best_pair(&rows, (h as f32 * 0.2) as usize)?;
    let (card_w, card_h) = ((right - left) as f32, (bottom - top) as f32);
    let covered = |count: u32, side: f32| count as f32 >= side * EDGE_COVERAGE;
    let long_enough = covered(columns[left], card_h)
        && covered(columns[right], card_h)
        && covered(rows[top], card_w)
        && covered(rows[bottom], card_w);
    let aspect = card_w.max(card_h) / card_w.min(card_h);
    if !long_enough || !(ASPECT.0..=ASPECT.1).contains(&aspect) {
        return None;
    }
    Some(CardOutline {
        left: left as f32 / w as f32,
        top: top as f32 / h as f32,
        right: right as f32 / w as f32,
        bottom: bottom as f32 / h as f32,
    })
}

/// For each column, how many of its pixels sit on a vertical edge; for each row, how many sit
/// on a horizontal one.
fn edge_profiles(grey: &GrayImage) -> (Vec<u32>, Vec<u32>) {
    let (w, h) = (grey.width() as usize, grey.height() as usize);
    let p = grey.as_raw();
    let mut columns = vec![0u32; w];
    let mut rows = vec![0u32; h];
    for (y, row_count) in rows.iter_mut().enumerate().take(h - 1).skip(1) {
        for (x, column_count) in columns.iter_mut().enumerate().take(w - 1).skip(1) {
            let i = y * w + x;
            if (p[i + 1] as i16 - p[i - 1] as i16).abs() > EDGE {
                *column_count += 1;
            }
            if (p[i + w] as i16 - p[i - w] as i16).abs() > EDGE {
                *row_count += 1;
            }
        }
    }
    // An edge two pixels wide counts once: take the stronger of neighbours.
    (smooth(&columns), smooth(&rows))
}

fn smooth(profile: &[u32]) -> Vec<u32> {
    (0..profile.len())
        .map(|i| {
            let before = if i > 0 { profile[i - 1] } else { 0 };
            let after = profile.get(i + 1).copied().unwrap_or(0);
            profile[i].max(before.max(after))
        })
        .collect()
}

/// The two positions at least `min_gap` apart whose counts add up to the most.
fn best_pair(profile: &[u32], min_gap: usize) -> Option<(usize, usize)> {
    // The dozen strongest lines, each counted once however wide it is, are enough: the card's
    // sides are among them.
    let mut by_strength: Vec<usize> = (0..profile.len()).filter(|&i| profile[i] > 0).collect();
    by_strength.sort_by_key(|&i| std::cmp::Reverse(profile[i]));
    let mut strongest: Vec<usize> = Vec::with_capacity(12);
    for i in by_strength {
        if strongest.len() == 12 {
            break;
        }
        if strongest.iter().all(|&s| s.abs_diff(i) > 4) {
            strongest.push(i);
        }
    }
    let pairs: Vec<(usize, usize, u32)> = strongest
        .iter()
        .enumerate()
        .flat_map(|(n, &a)| {
            strongest[n + 1..]
                .iter()
                .map(move |&b| (a.min(b), a.max(b)))
        })
        .filter(|(lo, hi)| hi - lo >= min_gap)
        .map(|(lo, hi)| (lo, hi, profile[lo] + profile[hi]))
        .collect();
    let best = pairs.iter().map(|p| p.2).max()?;
    // Lines inside a card (a coloured band, a long text line) can be as long as its sides; of the
    // pairs nearly as strong as the best, the outermost is the card.
    pairs
        .into_iter()
        .filter(|p| p.2 as f32 >= best as f32 * 0.85)
        .max_by_key(|p| p.1 - p.0)
        .map(|(lo, hi, _)| (lo, hi))
}
