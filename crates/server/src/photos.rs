//! Photos as evidence: JPEG, PNG or WebP, recognised by their content (never by their name) and
//! decoded whole, so a renamed document or a cut-off upload is refused with a clear reason. Files
//! are stored under their SHA-256, so the same photo is kept once and cannot change unnoticed.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use image::{ImageFormat, ImageReader, Limits};

use crate::auth::sha256_hex;

pub const MAX_BYTES: usize = 10 * 1024 * 1024;
pub const MAX_PER_CASE: i64 = 8;
/// Far above any phone camera; stops a small file that claims to be enormous.
const MAX_SIDE: u32 = 16_384;

/// A checked photo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Photo {
    pub content_type: &'static str,
    pub width: u32,
    pub height: u32,
    pub sha256: String,
}

/// Why a file is not accepted as a photo. Each has a code the app translates.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhotoError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than 10 MB")]
    TooLarge,
    #[error("the file is not a JPEG, PNG or WebP image (whatever its name says)")]
    NotAnImage,
    #[error("the {0} image is damaged or incomplete: {1}")]
    Damaged(&'static str, String),
    #[error("the image is larger than {MAX_SIDE} pixels on a side")]
    TooManyPixels,
}

impl PhotoError {
    pub fn code(&self) -> &'static str {
        match self {
            PhotoError::Empty => "photo_empty",
            PhotoError::TooLarge => "photo_too_large",
            PhotoError::NotAnImage => "photo_not_an_image",
            PhotoError::Damaged(..) => "photo_damaged",
            PhotoError::TooManyPixels => "photo_too_many_pixels",
        }
    }
}

/// The format the bytes say they are, by their signature.
fn sniff(bytes: &[u8]) -> Option<(ImageFormat, &'static str)> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some((ImageFormat::Jpeg, "image/jpeg"))
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some((ImageFormat::Png, "image/png"))
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some((ImageFormat::WebP, "image/webp"))
    } else {
        None
    }
}

/// Checks that `bytes` are a whole JPEG, PNG or WebP image.
pub fn check(bytes: &[u8]) -> Result<Photo, PhotoError> {
    if bytes.is_empty() {
        return Err(PhotoError::Empty);
    }
    if bytes.len() > MAX_BYTES {
        return Err(PhotoError::TooLarge);
    }
    let (format, content_type) = sniff(bytes).ok_or(PhotoError::NotAnImage)?;
    let name = content_type.trim_start_matches("image/");
    let damaged = |why: &str| PhotoError::Damaged(name, why.to_owned());
    // Decoders fill a cut-off scan with grey rather than fail: check the containers' own ends.
    match format {
        ImageFormat::Jpeg => {
            let end = bytes.iter().rposition(|b| *b != 0).unwrap_or(0);
            if end < 1 || bytes[end - 1..=end] != [0xFF, 0xD9] {
                return Err(damaged("it ends before its end-of-image marker"));
            }
        }
        ImageFormat::WebP => {
            let declared = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]) as usize;
            if declared + 8 > bytes.len() {
                return Err(damaged("it is shorter than its header says"));
            }
        }
        _ => {}
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    reader.limits(limits);
    let image = reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => PhotoError::TooManyPixels,
        other => damaged(&other.to_string()),
    })?;
    Ok(Photo {
        content_type,
        width: image.width(),
        height: image.height(),
        sha256: sha256_hex(bytes),
    })
}

/// Where the file with this hash lives under the data directory.
pub fn path(data_dir: &Path, sha256: &str) -> PathBuf {
    data_dir.join("evidence").join(&sha256[..2]).join(sha256)
}

/// Stores the bytes under their hash, once: written to a temporary name and renamed, so a
/// crash never leaves half a file under a hash.
pub async fn store(data_dir: &Path, sha256: &str, bytes: &[u8]) -> std::io::Result<()> {
    let target = path(data_dir, sha256);
    if tokio::fs::try_exists(&target).await? {
        return Ok(());
    }
    let dir = target.parent().expect("a hash path has a parent");
    tokio::fs::create_dir_all(dir).await?;
    let temporary = dir.join(format!("{sha256}.{}.part", uuid::Uuid::now_v7()));
    tokio::fs::write(&temporary, bytes).await?;
    tokio::fs::rename(&temporary, &target).await
}

/// Sample photos for the demo and the tests: a gradient with a frame, so it is a real picture
/// that decodes, in the requested format.
pub fn sample(width: u32, height: u32, tint: [u8; 3], format: ImageFormat) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        let frame = x < 8 || y < 8 || x + 8 >= width || y + 8 >= height;
        if frame {
            image::Rgb([40, 40, 40])
        } else {
            let fx = (x * 255 / width.max(1)) as u8;
            let fy = (y * 255 / height.max(1)) as u8;
            image::Rgb([
                tint[0].saturating_add(fx / 3),
                tint[1].saturating_add(fy / 3),
                tint[2],
            ])
        }
    });
    let mut out = Cursor::new(Vec::new());
    image
        .write_to(&mut out, format)
        .expect("encoding an image in memory does not fail");
    out.into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_format_is_recognised_by_content_and_measured() {
        for (format, content_type) in [
            (ImageFormat::Jpeg, "image/jpeg"),
            (ImageFormat::Png, "image/png"),
            (ImageFormat::WebP, "image/webp"),
        ] {
            let bytes = sample(64, 48, [200, 120, 40], format);
            let photo = check(&bytes).unwrap_or_else(|e| panic!("{content_type}: {e}"));
            assert_eq!(
                (photo.content_type, photo.width, photo.height),
                (content_type, 64, 48)
            );
            assert_eq!(photo.sha256, sha256_hex(&bytes));
        }
    }

    #[test]
    fn a_document_renamed_or_a_cut_off_image_is_refused_with_its_reason() {
        assert_eq!(check(b""), Err(PhotoError::Empty));
        assert_eq!(check(b"%PDF-1.7 not a photo"), Err(PhotoError::NotAnImage));
        for format in [ImageFormat::Jpeg, ImageFormat::Png, ImageFormat::WebP] {
            let bytes = sample(64, 48, [10, 120, 200], format);
            let cut = &bytes[..bytes.len() * 2 / 3];
            let error = check(cut).expect_err("a cut-off image is refused");
            assert_eq!(error.code(), "photo_damaged", "{format:?}: {error}");
        }
        assert_eq!(check(&vec![0xFF; MAX_BYTES + 1]), Err(PhotoError::TooLarge));
    }
}
