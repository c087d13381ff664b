//! The profile photo of *Mon compte* (rule P1): an upload checked by
//! `domain::photo`, decoded, turned upright (the EXIF orientation phones
//! write), shrunk to fit the photo square, flattened on white and encoded
//! again as JPEG by the `image` crate. Only that JPEG is stored and served,
//! so nothing the sender put in the file (metadata, a script in a
//! polyglot, a position) reaches anyone.
//!
//! Why the `image` crate: it is the maintained pure-Rust codec set (already
//! in the build through totp-rs's QR codes), with decoding [`Limits`], so a
//! picture that announces too many pixels is refused before its memory is
//! taken. Decoding is CPU work of up to a second for a 50-megapixel photo:
//! it runs on a blocking thread, one picture at a time for the whole
//! process ([`DECODING`]), which bounds the memory it may take; a request
//! that waits longer than [`DECODE_WAIT`] for its turn is told the portal
//! is busy. Before an upload's body is even read, [`admit`] counts it
//! against its account's hourly limit and takes one of four places, so
//! that many senders at once cannot make the server hold their files.

use crate::backend::audit::{self, AuditEntry, Subject};
use crate::backend::entities::{profile_photo, user};
use crate::backend::error::{Outcome, refuse};
use crate::backend::hashing::Busy;
use crate::backend::state::AppState;
use crate::domain::photo::{
    MAX_SOURCE_PIXELS, MAX_SOURCE_SIDE, PhotoFormat, PhotoProblem, check_dimensions, check_upload,
    fitted, sniff,
};
use chrono::{DateTime, Utc};
use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits, RgbImage};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, EntityTrait, Set, TransactionTrait};
use std::io::Cursor;
use std::time::Duration;
use tokio::sync::Semaphore;

/// JPEG quality of the stored photo: no visible loss at its size, about
/// 15 KB for a 256-pixel portrait.
const JPEG_QUALITY: u8 = 85;

/// How long an upload waits for its turn to be decoded.
const DECODE_WAIT: Duration = Duration::from_secs(10);

/// One picture decoded at a time, in the whole process.
static DECODING: Semaphore = Semaphore::const_new(1);

/// Uploads being read or decoded at once, in the whole process: each holds
/// up to `MAX_UPLOAD_BYTES` in memory, so this bounds what many senders at
/// once can make the server keep (4 × 8 MB, beside the one decoding).
static UPLOADS: Semaphore = Semaphore::const_new(4);

/// Photos one account may send in an hour (a person tries a few).
pub const UPLOADS_PER_ACCOUNT_PER_HOUR: u32 = 20;

/// The right to read and decode one upload; dropped, the place is free.
pub struct UploadSlot(#[allow(dead_code)] tokio::sync::SemaphorePermit<'static>);

/// Admits one upload of `owner`'s before its body is read: refused when the
/// account sent [`UPLOADS_PER_ACCOUNT_PER_HOUR`] in the last hour, busy
/// when no place frees up within [`DECODE_WAIT`].
pub async fn admit(state: &AppState, owner: &user::Model) -> Outcome<UploadSlot> {
    use crate::backend::throttle::{self, Limit, Try};
    let hour = chrono::Duration::hours(1);
    let limit = Limit {
        max: UPLOADS_PER_ACCOUNT_PER_HOUR,
        window: hour,
        lock: hour,
    };
    let key = format!("photo:{}", owner.id);
    if let Try::Locked { .. } = throttle::reserve(&state.db, &key, limit, state.clock.now()).await?
    {
        return refuse(PhotoProblem::TooManyUploads);
    }
    match tokio::time::timeout(DECODE_WAIT, UPLOADS.acquire()).await {
        Ok(Ok(permit)) => Ok(UploadSlot(permit)),
        _ => {
            tracing::warn!("profile photo: no upload place within {DECODE_WAIT:?}");
            Err(Busy.into())
        }
    }
}

/// A photo as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPhoto {
    pub jpeg: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// The stored photo made from `upload`, whose declared type is
/// `declared_type`, or why none can be.
pub fn reencode(declared_type: &str, upload: &[u8]) -> Result<StoredPhoto, PhotoProblem> {
    check_upload(declared_type, upload.len() as u64)?;
    let format = match sniff(upload).ok_or(PhotoProblem::NotAnImage)? {
        PhotoFormat::Png => ImageFormat::Png,
        PhotoFormat::Jpeg => ImageFormat::Jpeg,
    };
    let mut reader = ImageReader::with_format(Cursor::new(upload), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SOURCE_SIDE);
    limits.max_image_height = Some(MAX_SOURCE_SIDE);
    // Four bytes a pixel (RGBA), and room for the decoder's own buffers.
    limits.max_alloc = Some(MAX_SOURCE_PIXELS * 4 + (64 << 20));
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(problem)?;
    let (width, height) = decoder.dimensions();
    check_dimensions(width, height)?;
    let orientation = decoder.orientation().map_err(problem)?;
    let mut picture = DynamicImage::from_decoder(decoder).map_err(problem)?;
    picture.apply_orientation(orientation);
    let (width, height) = fitted(picture.width(), picture.height());
    let small = flatten_on_white(&picture.thumbnail_exact(width, height));
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, JPEG_QUALITY)
        .encode_image(&small)
        .map_err(|_| PhotoProblem::Unreadable)?;
    Ok(StoredPhoto {
        jpeg,
        width,
        height,
    })
}

/// What a decoding error tells the user.
fn problem(error: ImageError) -> PhotoProblem {
    match error {
        ImageError::Limits(_) => PhotoProblem::TooManyPixels,
        _ => PhotoProblem::Unreadable,
    }
}

/// JPEG has no transparency: transparent parts become white, as the page's
/// background, rather than the black a plain conversion gives.
fn flatten_on_white(picture: &DynamicImage) -> RgbImage {
    if !picture.color().has_alpha() {
        return picture.to_rgb8();
    }
    let rgba = picture.to_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let over_white = |channel: u8| {
            let (c, a) = (u16::from(channel), u16::from(a));
            u8::try_from((c * a + 255 * (255 - a)) / 255).unwrap_or(u8::MAX)
        };
        image::Rgb([over_white(r), over_white(g), over_white(b)])
    })
}

/// Decodes `upload` on a blocking thread, one at a time.
async fn reencode_in_turn(declared_type: String, upload: Vec<u8>) -> Outcome<StoredPhoto> {
    let Ok(Ok(_turn)) = tokio::time::timeout(DECODE_WAIT, DECODING.acquire()).await else {
        tracing::warn!("profile photo: no decoding turn within {DECODE_WAIT:?}");
        return Err(Busy.into());
    };
    let made = tokio::task::spawn_blocking(move || reencode(&declared_type, &upload)).await;
    match made {
        Ok(Ok(photo)) => Ok(photo),
        Ok(Err(problem)) => refuse(problem),
        Err(failure) => {
            // A panic inside the codec: the file is what broke it.
            tracing::error!(%failure, "profile photo: decoding failed");
            refuse(PhotoProblem::Unreadable)
        }
    }
}

/// Makes and stores the owner's photo from `upload`; answers when it was
/// saved (the page asks for the photo by that time).
pub async fn save(
    state: &AppState,
    owner: &user::Model,
    declared_type: String,
    upload: Vec<u8>,
    client_ip: &str,
) -> Outcome<DateTime<Utc>> {
    let photo = reencode_in_turn(declared_type, upload).await?;
    let now = state.clock.now();
    let row = profile_photo::ActiveModel {
        user_id: Set(owner.id),
        jpeg: Set(photo.jpeg),
        width: Set(i32::try_from(photo.width).unwrap_or(i32::MAX)),
        height: Set(i32::try_from(photo.height).unwrap_or(i32::MAX)),
        saved_at: Set(now),
    };
    let txn = state.db.begin().await?;
    profile_photo::Entity::insert(row)
        .on_conflict(
            OnConflict::column(profile_photo::Column::UserId)
                .update_columns([
                    profile_photo::Column::Jpeg,
                    profile_photo::Column::Width,
                    profile_photo::Column::Height,
                    profile_photo::Column::SavedAt,
                ])
                .to_owned(),
        )
        .exec(&txn)
        .await?;
    record(&txn, owner.id, "account.photo_changed", client_ip, now).await?;
    txn.commit().await?;
    Ok(now)
}

/// Removes the owner's photo (nothing to remove is not an error: the page
/// may be stale).
pub async fn remove(state: &AppState, owner: &user::Model, client_ip: &str) -> Outcome<()> {
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let removed = profile_photo::Entity::delete_by_id(owner.id)
        .exec(&txn)
        .await?;
    if removed.rows_affected > 0 {
        record(&txn, owner.id, "account.photo_removed", client_ip, now).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// When the owner's photo was saved, if they have one (without its bytes).
pub async fn saved_at<C: ConnectionTrait>(
    conn: &C,
    user_id: i32,
) -> Result<Option<DateTime<Utc>>, sea_orm::DbErr> {
    use sea_orm::{ColumnTrait, QueryFilter, QuerySelect};
    profile_photo::Entity::find()
        .select_only()
        .column(profile_photo::Column::SavedAt)
        .filter(profile_photo::Column::UserId.eq(user_id))
        .into_tuple()
        .one(conn)
        .await
}

/// The owner's photo, if any.
pub async fn find<C: ConnectionTrait>(
    conn: &C,
    user_id: i32,
) -> Result<Option<profile_photo::Model>, sea_orm::DbErr> {
    profile_photo::Entity::find_by_id(user_id).one(conn).await
}

async fn record<C: ConnectionTrait>(
    conn: &C,
    user_id: i32,
    event: &'static str,
    client_ip: &str,
    now: DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    let entry = AuditEntry {
        actor_user_id: Some(user_id),
        event,
        subject: Subject::User(user_id),
        client_ip: Some(client_ip.to_owned()),
        details: serde_json::json!({}),
    };
    audit::record(conn, entry, now).await
}
