//! The thumbnail: the image scaled to fit in `THUMBNAIL_SIZE` squared,
//! keeping its aspect ratio.

use crate::{ImageError, THUMBNAIL_SIZE};
use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};
use image::DynamicImage;

/// `(width, height)` fitting in `max` x `max` with the same aspect ratio,
/// at least 1 pixel each way; the same rounding as `image`'s `thumbnail`,
/// so stored thumbnails keep their sizes (a 200x200 source gives 256x256).
pub fn fit(width: u32, height: u32, max: u32) -> (u32, u32) {
    let ratio = f64::min(
        f64::from(max) / f64::from(width),
        f64::from(max) / f64::from(height),
    );
    // Both sides are at most MAX_DIMENSION here: the products stay small.
    let side = |s: u32| ((f64::from(s) * ratio).round() as u32).max(1);
    (side(width), side(height))
}

/// Bicubic (Catmull-Rom, as Pillow's thumbnail) resize of an 8-bit image.
pub fn of(img: &DynamicImage) -> Result<DynamicImage, ImageError> {
    let (w, h) = fit(img.width(), img.height(), THUMBNAIL_SIZE);
    let mut thumb = DynamicImage::new(w, h, img.color());
    Resizer::new()
        .resize(
            img,
            &mut thumb,
            &ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::CatmullRom)),
        )
        .map_err(|_| ImageError::InvalidType)?;
    Ok(thumb)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_like_the_image_crate_thumbnail() {
        for (w, h) in [
            (200, 200),
            (2048, 2048),
            (2048, 200),
            (200, 2048),
            (1999, 1333),
            (640, 480),
            (480, 640),
            (257, 255),
            (300, 299),
        ] {
            let expected = DynamicImage::new_luma8(w, h).thumbnail(THUMBNAIL_SIZE, THUMBNAIL_SIZE);
            assert_eq!(
                fit(w, h, THUMBNAIL_SIZE),
                (expected.width(), expected.height()),
                "{w}x{h}"
            );
        }
    }
}
