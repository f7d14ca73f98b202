//! Reading QR codes: at a kiosk the bank's CRM shows the client's link as one.

use image::GrayImage;

/// The texts of the QR codes readable in `grey`, in no particular order. Codes that are found
/// but cannot be decoded are left out.
pub fn read_codes(grey: &GrayImage) -> Vec<String> {
    let mut prepared = rqrr::PreparedImage::prepare(grey.clone());
    prepared
        .detect_grids()
        .into_iter()
        .filter_map(|grid| grid.decode().ok().map(|(_, text)| text))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::{downscale, CHECK_WIDTH};
    use image::DynamicImage;

    #[test]
    fn reads_the_code_the_synthetic_scene_shows() {
        let text = "humo-ident://open?key=05a4ce19-de3c-4d2c-a464-7356dbdbd107";
        let scene = crate::scene::qr_code(text);
        let grey = downscale(&DynamicImage::ImageRgb8(scene).to_luma8(), CHECK_WIDTH);
        assert_eq!(read_codes(&grey), vec![text.to_owned()]);
    }

    #[test]
    fn an_empty_desk_has_no_code() {
        let grey = downscale(
            &DynamicImage::ImageRgb8(crate::scene::desk()).to_luma8(),
            CHECK_WIDTH,
        );
        assert!(read_codes(&grey).is_empty());
    }
}
