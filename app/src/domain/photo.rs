//! The profile photo of *Mon compte* (rule P1; seed 001 §2.2: "votre photo
//! de profil", shown on the left of the page).
//!
//! What may be sent is decided here, once, for the page (which checks the
//! chosen file before sending it) and for the server (which checks again,
//! then decodes): a PNG or JPEG file of at most [`MAX_UPLOAD_BYTES`]. The
//! server never keeps or serves what was sent: it decodes the picture
//! within [`MAX_SOURCE_SIDE`] and [`MAX_SOURCE_PIXELS`], shrinks it to fit a [`PHOTO_SIDE`] square
//! ([`fitted`]) and stores its own JPEG. A file that claims to be an image
//! is judged by its first bytes ([`sniff`]), not by its name or declared
//! type, which the sender chooses.

use serde::{Deserialize, Serialize};

/// The largest file accepted: a phone's photo fits (a 12-megapixel JPEG is
/// 2–5 MB).
pub const MAX_UPLOAD_BYTES: u64 = 8 * 1024 * 1024;
/// The widest or tallest picture decoded. 8,192 px covers a 48-megapixel
/// phone camera; beyond it a small file may unpack to gigabytes of pixels
/// (a "decompression bomb").
pub const MAX_SOURCE_SIDE: u32 = 8192;
/// The most pixels decoded (50 megapixels, 150 MB once decoded): the
/// server decodes one picture at a time, so this bounds its memory.
pub const MAX_SOURCE_PIXELS: u64 = 50_000_000;
/// The stored photo fits this square, in pixels (shown at half that size,
/// sharp on high-density screens).
pub const PHOTO_SIDE: u32 = 256;
/// The form's `accept` and the declared types allowed.
pub const ACCEPTED_TYPES: [&str; 2] = ["image/png", "image/jpeg"];
/// Where the owner's photo is served (to the owner only, never cached).
pub const PHOTO_URL: &str = "/mon-compte/photo";
/// The name of the file field of the upload form.
pub const FILE_FIELD: &str = "photo";

/// The picture formats accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoFormat {
    Png,
    Jpeg,
}

/// Why a photo is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PhotoProblem {
    /// No file was chosen, or it is empty.
    Missing,
    /// The file is larger than [`MAX_UPLOAD_BYTES`].
    TooLarge,
    /// The file is not a PNG or JPEG picture.
    NotAnImage,
    /// The picture is wider or taller than [`MAX_SOURCE_SIDE`].
    TooManyPixels,
    /// The file starts like a picture but cannot be read as one.
    Unreadable,
    /// The account sent too many photos in the last hour.
    TooManyUploads,
}

/// The check of a chosen file before anything is read: its size and the
/// type the browser (or the sender) declares for it.
pub fn check_upload(declared_type: &str, size: u64) -> Result<(), PhotoProblem> {
    if size == 0 {
        return Err(PhotoProblem::Missing);
    }
    if size > MAX_UPLOAD_BYTES {
        return Err(PhotoProblem::TooLarge);
    }
    let declared = declared_type.trim().to_ascii_lowercase();
    if !ACCEPTED_TYPES.contains(&declared.as_str()) {
        return Err(PhotoProblem::NotAnImage);
    }
    Ok(())
}

/// The format the file's first bytes announce (its signature), if it is
/// one of those accepted.
pub fn sniff(bytes: &[u8]) -> Option<PhotoFormat> {
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n";
    const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF];
    if bytes.starts_with(PNG) {
        Some(PhotoFormat::Png)
    } else if bytes.starts_with(JPEG) {
        Some(PhotoFormat::Jpeg)
    } else {
        None
    }
}

/// The stored size of a `width` × `height` picture: the same proportions,
/// the longer side at most [`PHOTO_SIDE`] (a smaller picture is not
/// enlarged), never less than one pixel.
pub fn fitted(width: u32, height: u32) -> (u32, u32) {
    let longer = width.max(height).max(1);
    if longer <= PHOTO_SIDE {
        return (width.max(1), height.max(1));
    }
    let scale = |side: u32| {
        let scaled = u64::from(side) * u64::from(PHOTO_SIDE) / u64::from(longer);
        u32::try_from(scaled).unwrap_or(PHOTO_SIDE).max(1)
    };
    (scale(width), scale(height))
}

/// Whether a picture's announced size may be decoded.
pub fn check_dimensions(width: u32, height: u32) -> Result<(), PhotoProblem> {
    if width == 0 || height == 0 {
        return Err(PhotoProblem::Unreadable);
    }
    if width > MAX_SOURCE_SIDE
        || height > MAX_SOURCE_SIDE
        || u64::from(width) * u64::from(height) > MAX_SOURCE_PIXELS
    {
        return Err(PhotoProblem::TooManyPixels);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_png_or_jpeg_within_the_size_is_accepted() {
        assert_eq!(check_upload("image/png", 1), Ok(()));
        assert_eq!(check_upload("IMAGE/JPEG ", MAX_UPLOAD_BYTES), Ok(()));
    }

    #[test]
    fn other_types_empty_and_large_files_are_refused() {
        assert_eq!(
            check_upload("text/plain", 10),
            Err(PhotoProblem::NotAnImage)
        );
        assert_eq!(
            check_upload("image/svg+xml", 10),
            Err(PhotoProblem::NotAnImage)
        );
        assert_eq!(check_upload("", 10), Err(PhotoProblem::NotAnImage));
        assert_eq!(check_upload("image/png", 0), Err(PhotoProblem::Missing));
        assert_eq!(
            check_upload("image/png", MAX_UPLOAD_BYTES + 1),
            Err(PhotoProblem::TooLarge)
        );
    }

    #[test]
    fn the_signature_decides_the_format() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nrest"), Some(PhotoFormat::Png));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(PhotoFormat::Jpeg));
        assert_eq!(sniff(b"GIF89a"), None);
        assert_eq!(sniff(b"<svg"), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn pictures_shrink_to_the_square_keeping_their_proportions() {
        assert_eq!(fitted(4032, 3024), (256, 192));
        assert_eq!(fitted(3024, 4032), (192, 256));
        assert_eq!(fitted(1000, 1000), (256, 256));
        assert_eq!(fitted(100, 50), (100, 50));
        assert_eq!(fitted(8192, 1), (256, 1));
        assert_eq!(fitted(0, 0), (1, 1));
    }

    #[test]
    fn huge_or_empty_pictures_are_not_decoded() {
        assert_eq!(check_dimensions(8192, 6000), Ok(()));
        assert_eq!(
            check_dimensions(8192, 8192),
            Err(PhotoProblem::TooManyPixels)
        );
        assert_eq!(check_dimensions(8193, 10), Err(PhotoProblem::TooManyPixels));
        assert_eq!(check_dimensions(10, 0), Err(PhotoProblem::Unreadable));
    }
}
