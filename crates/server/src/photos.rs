//! Photos as evidence: JPEG, PNG or WebP, recognised by their content (never by their name),
//! measured from their header before anything is decoded, then decoded whole under a memory
//! limit, so a renamed document, a cut-off upload or a small file that claims to be enormous is
//! refused with a clear reason. What is stored is the photo without its metadata (EXIF, XMP,
//! comments: a phone's GPS position among them), under the SHA-256 of the stored bytes, so the
//! same photo is kept once and cannot change unnoticed.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use image::{ImageFormat, ImageReader, Limits};
use img_parts::{Bytes, ImageEXIF};
use sha2::{Digest, Sha256};

use crate::db::Db;
use crate::digest::sha256_hex;

pub const MAX_BYTES: usize = 10 * 1024 * 1024;
pub const MAX_PER_CASE: i64 = 8;
/// Photos a buyer may hold uploaded and not yet filed: enough for two filings in progress.
pub const MAX_UNFILED: i64 = 2 * MAX_PER_CASE;
/// 40 megapixels: above any phone camera, and the most one decode may cost (about 160 MB).
pub const MAX_PIXELS: u64 = 40_000_000;
/// What one decode may allocate: the largest allowed image at four bytes a pixel, and room.
const MAX_DECODE_BYTES: u64 = 4 * MAX_PIXELS + 32 * 1024 * 1024;

/// A checked photo, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Photo {
    pub content_type: &'static str,
    pub width: u32,
    pub height: u32,
    /// The SHA-256 of `bytes`.
    pub sha256: String,
    /// The photo as stored: the upload without its metadata.
    pub bytes: Vec<u8>,
}

/// What a file's header says it is, read without decoding it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    format: ImageFormat,
    pub content_type: &'static str,
    pub width: u32,
    pub height: u32,
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
    #[error("the image has more than {} million pixels", MAX_PIXELS / 1_000_000)]
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

fn damaged(content_type: &'static str, why: impl std::fmt::Display) -> PhotoError {
    PhotoError::Damaged(content_type.trim_start_matches("image/"), why.to_string())
}

/// Reads the format and the size from the header only: cheap whatever the size claimed, so a
/// pixel bomb is refused before any decoder allocates for it.
pub fn inspect(bytes: &[u8]) -> Result<Header, PhotoError> {
    if bytes.is_empty() {
        return Err(PhotoError::Empty);
    }
    if bytes.len() > MAX_BYTES {
        return Err(PhotoError::TooLarge);
    }
    let (format, content_type) = sniff(bytes).ok_or(PhotoError::NotAnImage)?;
    let (width, height) = ImageReader::with_format(Cursor::new(bytes), format)
        .into_dimensions()
        .map_err(|e| damaged(content_type, e))?;
    if width == 0 || height == 0 {
        return Err(damaged(content_type, "it has no pixels"));
    }
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(PhotoError::TooManyPixels);
    }
    Ok(Header {
        format,
        content_type,
        width,
        height,
    })
}

/// The JPEG's pixels and size, decoded by zune-jpeg in strict mode (the `image` crate runs it
/// leniently).
fn jpeg_pixels(bytes: &[u8], header: &Header) -> Result<(Vec<u8>, u32, u32), PhotoError> {
    let side = |n: u32| usize::try_from(n).unwrap_or(usize::MAX);
    let options = zune_core::options::DecoderOptions::default()
        .set_strict_mode(true)
        .set_max_width(side(header.width))
        .set_max_height(side(header.height));
    let mut decoder = zune_jpeg::JpegDecoder::new_with_options(
        zune_core::bytestream::ZCursor::new(bytes),
        options,
    );
    let pixels = decoder
        .decode()
        .map_err(|e| damaged(header.content_type, format!("{e:?}")))?;
    let (w, h) = decoder
        .dimensions()
        .ok_or_else(|| damaged(header.content_type, "it has no size"))?;
    let number = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    Ok((pixels, number(w), number(h)))
}

/// The JPEG with 64 bytes of made-up image data just before its final end marker.
fn with_data_before_end(bytes: &[u8]) -> Vec<u8> {
    let end = bytes
        .windows(2)
        .rposition(|w| w == [0xFF, 0xD9])
        .unwrap_or(bytes.len());
    let mut probed = Vec::with_capacity(bytes.len() + 64);
    probed.extend_from_slice(&bytes[..end]);
    probed.extend_from_slice(&[0x55; 64]);
    probed.extend_from_slice(&bytes[end..]);
    probed
}

/// Decodes every pixel, so a damaged file is refused rather than stored. JPEG goes through
/// zune-jpeg in strict mode: the `image` crate runs it leniently, which paints a cut-off scan
/// grey and calls it a photo.
fn decode_whole(bytes: &[u8], header: &Header) -> Result<(u32, u32), PhotoError> {
    let (width, height) = match header.format {
        ImageFormat::Jpeg => {
            let (pixels, w, h) = jpeg_pixels(bytes, header)?;
            let complete = Sha256::digest(&pixels);
            drop(pixels);
            // A JPEG decoder that meets the end marker mid-scan paints the rest of the picture
            // from zeros, as browsers do, and calls it a success, strict mode included. So the
            // photo is decoded a second time with extra data before its end marker: a complete
            // scan never reads it, a cut-off one does and comes out different.
            let (probed, _, _) = jpeg_pixels(&with_data_before_end(bytes), header)?;
            if Sha256::digest(&probed) != complete {
                return Err(damaged(
                    header.content_type,
                    "its image data stops before the picture is complete",
                ));
            }
            (w, h)
        }
        format => {
            let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
            let mut limits = Limits::default();
            limits.max_image_width = Some(header.width);
            limits.max_image_height = Some(header.height);
            limits.max_alloc = Some(MAX_DECODE_BYTES);
            reader.limits(limits);
            let image = reader.decode().map_err(|e| match e {
                image::ImageError::Limits(_) => PhotoError::TooManyPixels,
                other => damaged(header.content_type, other),
            })?;
            (image.width(), image.height())
        }
    };
    if (width, height) != (header.width, header.height) {
        return Err(damaged(
            header.content_type,
            "its pixels do not match the size its header states",
        ));
    }
    Ok((width, height))
}

/// The photo without the metadata a camera writes beside the pixels (EXIF with its GPS
/// position, XMP, IPTC, comments, text chunks). Colour profiles stay: without them the colours
/// would change.
fn strip_metadata(bytes: &[u8], header: &Header) -> Result<Vec<u8>, PhotoError> {
    let input = Bytes::copy_from_slice(bytes);
    let fail = |e: img_parts::Error| damaged(header.content_type, e);
    let stripped = match header.format {
        ImageFormat::Jpeg => {
            use img_parts::jpeg::{markers, Jpeg};
            let mut jpeg = Jpeg::from_bytes(input).map_err(fail)?;
            // APP1 holds EXIF and XMP, APP13 Photoshop's IPTC block.
            for marker in [markers::APP1, markers::APP13, markers::COM] {
                jpeg.remove_segments_by_marker(marker);
            }
            jpeg.encoder().bytes()
        }
        ImageFormat::Png => {
            let mut png = img_parts::png::Png::from_bytes(input).map_err(fail)?;
            png.set_exif(None);
            for kind in [*b"tEXt", *b"zTXt", *b"iTXt", *b"tIME"] {
                png.remove_chunks_by_type(kind);
            }
            png.encoder().bytes()
        }
        _ => {
            let mut webp = img_parts::webp::WebP::from_bytes(input).map_err(fail)?;
            webp.set_exif(None);
            webp.remove_chunks_by_id(*b"XMP ");
            webp.encoder().bytes()
        }
    };
    Ok(stripped.to_vec())
}

/// Checks that `bytes` are a whole JPEG, PNG or WebP image of an acceptable size, and makes the
/// photo to store. Costly: run it on a blocking thread, under the server's decode limit.
pub fn check(bytes: &[u8]) -> Result<Photo, PhotoError> {
    let header = inspect(bytes)?;
    let content_type = header.content_type;
    // Decoders fill a cut-off scan with grey rather than fail: check the containers' own ends.
    match header.format {
        ImageFormat::Jpeg => {
            let end = bytes.iter().rposition(|b| *b != 0).unwrap_or(0);
            if end < 1 || bytes[end - 1..=end] != [0xFF, 0xD9] {
                return Err(damaged(
                    content_type,
                    "it ends before its end-of-image marker",
                ));
            }
        }
        ImageFormat::WebP => {
            let declared = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]) as usize;
            if declared + 8 > bytes.len() {
                return Err(damaged(content_type, "it is shorter than its header says"));
            }
        }
        _ => {}
    }
    let (width, height) = decode_whole(bytes, &header)?;
    let bytes = strip_metadata(bytes, &header)?;
    Ok(Photo {
        content_type,
        width,
        height,
        sha256: sha256_hex(&bytes),
        bytes,
    })
}

/// Where the file with this hash lives under the data directory.
pub fn path(data_dir: &Path, sha256: &str) -> PathBuf {
    data_dir.join("evidence").join(&sha256[..2]).join(sha256)
}

/// Where uploads wait while they are checked: on the same file system as the photos, so
/// putting one in place is a rename.
fn staging_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("evidence").join("incoming")
}

/// A photo written under a temporary name, not yet in place. Dropped without [`Staged::keep`]
/// (the upload was refused, the request was cancelled), it is removed: nothing a refused upload
/// sent stays on disk.
pub struct Staged {
    temporary: Option<PathBuf>,
    target: PathBuf,
}

impl Staged {
    /// Moves the photo into place under its hash.
    pub async fn keep(mut self) -> std::io::Result<()> {
        let Some(temporary) = self.temporary.take() else {
            return Ok(());
        };
        let dir = self.target.parent().expect("a hash path has a parent");
        tokio::fs::create_dir_all(dir).await?;
        tokio::fs::rename(&temporary, &self.target).await
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if let Some(temporary) = self.temporary.take() {
            let _ = std::fs::remove_file(temporary);
        }
    }
}

/// Writes the bytes to a temporary file, unless a photo with this hash is already stored: kept,
/// it is renamed into place, so a crash never leaves half a file under a hash.
async fn stage(data_dir: &Path, sha256: &str, bytes: &[u8]) -> std::io::Result<Staged> {
    let target = path(data_dir, sha256);
    if tokio::fs::try_exists(&target).await? {
        return Ok(Staged {
            temporary: None,
            target,
        });
    }
    let dir = staging_dir(data_dir);
    tokio::fs::create_dir_all(&dir).await?;
    let temporary = dir.join(format!("{sha256}.{}.part", uuid::Uuid::now_v7()));
    let staged = Staged {
        temporary: Some(temporary.clone()),
        target,
    };
    tokio::fs::write(&temporary, bytes).await?;
    Ok(staged)
}

/// Removes files no evidence uses any more, and uploads a crash left half-way.
async fn remove_unused(
    data_dir: &Path,
    hashes: &[String],
    stale_before: std::time::SystemTime,
) -> std::io::Result<usize> {
    let mut removed = 0;
    for sha256 in hashes {
        match tokio::fs::remove_file(path(data_dir, sha256)).await {
            Ok(()) => removed += 1,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    let mut entries = match tokio::fs::read_dir(staging_dir(data_dir)).await {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(removed),
        Err(e) => return Err(e),
    };
    while let Some(entry) = entries.next_entry().await? {
        let modified = entry.metadata().await?.modified()?;
        if modified < stale_before {
            tokio::fs::remove_file(entry.path()).await?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// Where the photos' bytes are kept: files under the data directory (the default, for one
/// machine), or the database (for several instances that share no disk). Either way a photo is
/// stored once under its SHA-256, whatever number of evidence rows cite it.
#[derive(Clone, Debug)]
pub enum PhotoStore {
    Directory(PathBuf),
    Database(Db),
}

/// A photo ready to be kept once its evidence row is in (see [`PhotoStore::stage`]).
pub enum Pending {
    File(Staged),
    Row {
        db: Db,
        sha256: String,
        bytes: Vec<u8>,
    },
}

impl Pending {
    /// Keeps the photo: moved into place, or written to the database (once per hash).
    pub async fn keep(self) -> std::io::Result<()> {
        match self {
            Pending::File(staged) => staged.keep().await,
            Pending::Row { db, sha256, bytes } => on_db!(
                &db,
                "INSERT INTO photo_files (sha256, bytes) VALUES (?, ?) ON CONFLICT DO NOTHING",
                |sql, p| sqlx::query(sql)
                    .bind(&sha256)
                    .bind(&bytes)
                    .execute(p)
                    .await
                    .map(|r| r.rows_affected())
            )
            .map(drop)
            .map_err(std::io::Error::other),
        }
    }
}

impl PhotoStore {
    /// The photo made ready to keep: a file staged under a temporary name (removed if the upload
    /// is refused after all), or the bytes held until the evidence row is in.
    pub async fn stage(&self, sha256: &str, bytes: &[u8]) -> std::io::Result<Pending> {
        Ok(match self {
            PhotoStore::Directory(dir) => Pending::File(stage(dir, sha256, bytes).await?),
            PhotoStore::Database(db) => Pending::Row {
                db: db.clone(),
                sha256: sha256.to_owned(),
                bytes: bytes.to_vec(),
            },
        })
    }

    /// Stores the bytes under their hash at once (the demo's photos).
    pub async fn store(&self, sha256: &str, bytes: &[u8]) -> std::io::Result<()> {
        self.stage(sha256, bytes).await?.keep().await
    }

    /// The photo's bytes, read as a stream: a file is never read into memory whole.
    pub async fn open(
        &self,
        sha256: &str,
    ) -> std::io::Result<Box<dyn tokio::io::AsyncRead + Send + Unpin>> {
        Ok(match self {
            PhotoStore::Directory(dir) => Box::new(tokio::fs::File::open(path(dir, sha256)).await?),
            PhotoStore::Database(db) => {
                let bytes: Option<Vec<u8>> = on_db!(
                    db,
                    "SELECT bytes FROM photo_files WHERE sha256 = ?",
                    |sql, p| sqlx::query_scalar(sql).bind(sha256).fetch_optional(p).await
                )
                .map_err(std::io::Error::other)?;
                let bytes = bytes.ok_or_else(|| {
                    std::io::Error::new(std::io::ErrorKind::NotFound, format!("photo {sha256}"))
                })?;
                Box::new(Cursor::new(bytes))
            }
        })
    }

    /// The photo's bytes.
    pub async fn read(&self, sha256: &str) -> std::io::Result<Vec<u8>> {
        let mut bytes = Vec::new();
        tokio::io::AsyncReadExt::read_to_end(&mut self.open(sha256).await?, &mut bytes).await?;
        Ok(bytes)
    }

    /// Removes the photos no evidence uses any more, and files a crash left half-way.
    pub async fn remove_unused(
        &self,
        hashes: &[String],
        stale_before: std::time::SystemTime,
    ) -> std::io::Result<usize> {
        match self {
            PhotoStore::Directory(dir) => remove_unused(dir, hashes, stale_before).await,
            PhotoStore::Database(db) => {
                let removed = crate::store::cases::forget_photo_files(db, hashes)
                    .await
                    .map_err(std::io::Error::other)?;
                Ok(usize::try_from(removed).unwrap_or(usize::MAX))
            }
        }
    }
}

/// What an attacker sends, for the tests and `cargo xtask bench abuse`: a PNG of a few dozen
/// bytes whose header claims `width` × `height` pixels (8-bit RGB) over a zlib stream of zeros
/// that decoding would inflate into the whole picture.
pub fn pixel_bomb(width: u32, height: u32) -> Vec<u8> {
    let chunk = |kind: &[u8; 4], data: &[u8]| {
        let mut body = kind.to_vec();
        body.extend(data);
        let mut out = u32::try_from(data.len())
            .unwrap_or(0)
            .to_be_bytes()
            .to_vec();
        out.extend(&body);
        out.extend(crc32fast::hash(&body).to_be_bytes());
        out
    };
    let mut header = width.to_be_bytes().to_vec();
    header.extend(height.to_be_bytes());
    header.extend([8, 2, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(chunk(b"IHDR", &header));
    png.extend(chunk(
        b"IDAT",
        &[0x78, 0x9c, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01],
    ));
    png.extend(chunk(b"IEND", &[]));
    png
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
            assert_eq!(photo.sha256, sha256_hex(&photo.bytes));
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

    #[test]
    fn a_pixel_bomb_is_refused_from_its_header_alone() {
        let bomb = pixel_bomb(16_384, 10_922);
        assert!(bomb.len() < 100, "{} bytes", bomb.len());
        assert_eq!(inspect(&bomb), Err(PhotoError::TooManyPixels));
        let small = inspect(&pixel_bomb(100, 100)).expect("a header within the limit");
        assert_eq!((small.width, small.height), (100, 100));
    }

    #[test]
    fn a_jpeg_cut_short_is_refused_even_with_its_end_marker_glued_back_on() {
        for (width, height) in [(64, 48), (320, 240), (801, 603), (1600, 1200)] {
            let jpeg = sample(width, height, [200, 120, 40], ImageFormat::Jpeg);
            assert!(check(&jpeg).is_ok(), "{width}x{height} whole");
            for share in [2, 3, 4, 10] {
                let mut glued = jpeg[..jpeg.len() - jpeg.len() / share].to_vec();
                glued.extend([0xFF, 0xD9]);
                let error = check(&glued).expect_err("a cut-off JPEG is refused");
                assert_eq!(
                    error.code(),
                    "photo_damaged",
                    "{width}x{height} 1/{share}: {error}"
                );
            }
        }
    }
}
