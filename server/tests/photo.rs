//! The profile photo of *Mon compte* (rule P1) over HTTP, on every backend:
//! a PNG or JPEG sent as a form becomes a JPEG the server made (at most 256
//! pixels a side, transparency on white), served to its owner alone and
//! never cached; anything else is refused with its reason and changes
//! nothing; hostile requests (no boundary, oversized bodies, a picture
//! announcing too many pixels) get a 4xx, never a 5xx.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure is a panic

mod common;

use app::backend::AppState;
use app::backend::accounts::photo::reencode;
use app::backend::entities::profile_photo;
use app::domain::photo::{MAX_UPLOAD_BYTES, PhotoProblem};
use app::error::AppError;
use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::http::send;
use common::{active_user, count_events, logged_in_session};
use image::{ImageFormat, Rgba, RgbaImage};
use sea_orm::{EntityTrait, PaginatorTrait};
use std::io::Cursor;

const BOUNDARY: &str = "portal-test-boundary";
const UPLOAD: &str = "/api/upload-photo";
const PHOTO: &str = "/mon-compte/photo";

/// A `width` × `height` picture, red on its left half, transparent on its
/// right half, encoded as `format` (JPEG drops the transparency).
fn picture(width: u32, height: u32, format: ImageFormat) -> Vec<u8> {
    let image = RgbaImage::from_fn(width, height, |x, _| {
        if x < width / 2 {
            Rgba([200, 0, 0, 255])
        } else {
            Rgba([0, 0, 0, 0])
        }
    });
    let mut out = Cursor::new(Vec::new());
    if format == ImageFormat::Jpeg {
        image::DynamicImage::ImageRgba8(image)
            .to_rgb8()
            .write_to(&mut out, format)
            .unwrap();
    } else {
        image.write_to(&mut out, format).unwrap();
    }
    out.into_inner()
}

/// A multipart form with one file field.
fn form(field: &str, file_type: &str, bytes: &[u8]) -> Vec<u8> {
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"moi.png\"\r\nContent-Type: {file_type}\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

fn upload(body: Vec<u8>, content_type: &str, cookie: Option<&str>) -> Request<Body> {
    let mut request = Request::post(UPLOAD)
        .header(header::CONTENT_TYPE, content_type)
        .header(header::ACCEPT, "application/json");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    request.body(Body::from(body)).unwrap()
}

fn multipart() -> String {
    format!("multipart/form-data; boundary={BOUNDARY}")
}

async fn cookie_of(state: &AppState, email: &str) -> String {
    let user = active_user(state, email).await;
    let token = logged_in_session(state, user.id).await;
    format!("portal_session={}", token.expose())
}

async fn get_photo(
    router: &Router,
    cookie: Option<&str>,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let mut request = Request::get(PHOTO);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let response = router
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let (parts, body) = response.into_parts();
    let bytes = body.collect().await.unwrap().to_bytes().to_vec();
    (parts.status, parts.headers, bytes)
}

/// The refusal of an answer.
fn refusal(body: &str) -> AppError {
    serde_json::from_str(body).unwrap_or_else(|_| panic!("no AppError: {body}"))
}

async fn photos(state: &AppState) -> u64 {
    profile_photo::Entity::find()
        .count(&state.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_picture_becomes_the_owners_own_jpeg_served_to_them_alone() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let router = server::router(state.clone(), common::http::options(), false);
        let marie = cookie_of(&state, "photo@example.fr").await;
        let pierre = cookie_of(&state, "autre@example.fr").await;

        let png = picture(600, 300, ImageFormat::Png);
        let (status, _, body) = send(
            &router,
            upload(form("photo", "image/png", &png), &multipart(), Some(&marie)),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body.trim().parse::<i64>().is_ok(), "a stamp: {body}");

        let (status, headers, jpeg) = get_photo(&router, Some(&marie)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers[header::CONTENT_TYPE], "image/jpeg");
        assert_eq!(headers[header::CACHE_CONTROL], "no-store");
        let stored = image::load_from_memory_with_format(&jpeg, ImageFormat::Jpeg)
            .unwrap()
            .to_rgb8();
        assert_eq!(stored.dimensions(), (256, 128), "shrunk, proportions kept");
        let [r, g, b] = stored.get_pixel(250, 64).0;
        assert!(
            r > 240 && g > 240 && b > 240,
            "transparency on white: {r} {g} {b}"
        );
        let [r, g, _] = stored.get_pixel(10, 64).0;
        assert!(r > 150 && g < 60, "the red half kept: {r} {g}");

        // Nobody else's photo is reachable; without a session, nothing.
        assert_eq!(
            get_photo(&router, Some(&pierre)).await.0,
            StatusCode::NOT_FOUND
        );
        assert_eq!(get_photo(&router, None).await.0, StatusCode::UNAUTHORIZED);

        // A JPEG replaces it (one photo an account).
        let jpeg_upload = picture(100, 80, ImageFormat::Jpeg);
        let (status, _, body) = send(
            &router,
            upload(
                form("photo", "image/jpeg", &jpeg_upload),
                &multipart(),
                Some(&marie),
            ),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (_, _, jpeg) = get_photo(&router, Some(&marie)).await;
        let stored = image::load_from_memory(&jpeg).unwrap();
        assert_eq!(
            (stored.width(), stored.height()),
            (100, 80),
            "never enlarged"
        );
        assert_eq!(photos(&state).await, 1);
        assert_eq!(count_events(&state, "account.photo_changed").await, 2);

        // Removed: gone, and audited once (a second removal changes nothing).
        for _ in 0..2 {
            let (status, _, body) = send(
                &router,
                common::http::form_post("/api/remove-photo", "", Some(&marie)),
            )
            .await;
            assert_eq!(status, StatusCode::OK, "{body}");
        }
        assert_eq!(
            get_photo(&router, Some(&marie)).await.0,
            StatusCode::NOT_FOUND
        );
        assert_eq!(count_events(&state, "account.photo_removed").await, 1);
    })
    .await;
}

#[tokio::test]
async fn what_is_not_a_png_or_jpeg_is_refused_with_its_reason_and_changes_nothing() {
    common::on_every_backend(async |backend| {
        let state = backend.state();
        let router = server::router(state.clone(), common::http::options(), false);
        let marie = cookie_of(&state, "refus@example.fr").await;
        let png = picture(40, 40, ImageFormat::Png);
        let mut truncated = png.clone();
        truncated.truncate(60);
        let too_large = vec![0xFF; usize::try_from(MAX_UPLOAD_BYTES).unwrap() + 1];
        let cases: Vec<(&str, Vec<u8>, StatusCode, PhotoProblem)> = vec![
            (
                "text/plain",
                b"Bonjour".to_vec(),
                StatusCode::BAD_REQUEST,
                PhotoProblem::NotAnImage,
            ),
            (
                "image/png",
                b"<svg onload=alert(1)>".to_vec(),
                StatusCode::BAD_REQUEST,
                PhotoProblem::NotAnImage,
            ),
            (
                "image/gif",
                b"GIF89a....".to_vec(),
                StatusCode::BAD_REQUEST,
                PhotoProblem::NotAnImage,
            ),
            (
                "image/png",
                truncated,
                StatusCode::BAD_REQUEST,
                PhotoProblem::Unreadable,
            ),
            (
                "image/png",
                announcing(20_000, 20_000),
                StatusCode::BAD_REQUEST,
                PhotoProblem::TooManyPixels,
            ),
            (
                "image/png",
                Vec::new(),
                StatusCode::BAD_REQUEST,
                PhotoProblem::Missing,
            ),
            (
                "image/jpeg",
                too_large,
                StatusCode::PAYLOAD_TOO_LARGE,
                PhotoProblem::TooLarge,
            ),
        ];
        for (file_type, bytes, expected_status, expected) in cases {
            let (status, _, body) = send(
                &router,
                upload(form("photo", file_type, &bytes), &multipart(), Some(&marie)),
            )
            .await;
            assert_eq!(status, expected_status, "{file_type}: {body}");
            assert_eq!(refusal(&body), AppError::Photo(expected), "{file_type}");
        }
        // No file field at all.
        let (status, _, body) = send(
            &router,
            upload(form("autre", "image/png", &png), &multipart(), Some(&marie)),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(refusal(&body), AppError::Photo(PhotoProblem::Missing));

        // Not a multipart form: server_fn's decoder would panic; refused first.
        for content_type in [
            "application/x-www-form-urlencoded",
            "multipart/form-data",
            "text/plain",
        ] {
            let (status, _, body) =
                send(&router, upload(png.clone(), content_type, Some(&marie))).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{content_type}: {body}");
            assert_eq!(refusal(&body), AppError::invalid("request"));
        }
        // A body announced above the limit is not read.
        let mut request = upload(Vec::new(), &multipart(), Some(&marie));
        request
            .headers_mut()
            .insert(header::CONTENT_LENGTH, (20u64 << 20).into());
        assert_eq!(
            send(&router, request).await.0,
            StatusCode::PAYLOAD_TOO_LARGE
        );
        // Elsewhere, the edge's 64 KB limit stands.
        let large_form = "biographie=".to_owned() + &"a".repeat(100 * 1024);
        let (status, _, _) = send(
            &router,
            common::http::form_post("/api/save-account-field", large_form, Some(&marie)),
        )
        .await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
        // Without a session.
        let (status, _, body) = send(
            &router,
            upload(form("photo", "image/png", &png), &multipart(), None),
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(refusal(&body), AppError::NotLoggedIn);

        assert_eq!(photos(&state).await, 0);
        assert_eq!(count_events(&state, "account.photo_changed").await, 0);
    })
    .await;
}

#[tokio::test]
async fn an_account_sends_a_bounded_number_of_photos_an_hour() {
    use app::backend::accounts::photo::UPLOADS_PER_ACCOUNT_PER_HOUR;
    let backend = common::sqlite().await;
    let state = backend.state();
    let router = server::router(state.clone(), common::http::options(), false);
    let marie = cookie_of(&state, "rafale@example.fr").await;
    let png = picture(4, 4, ImageFormat::Png);
    for n in 0..UPLOADS_PER_ACCOUNT_PER_HOUR {
        let (status, _, body) = send(
            &router,
            upload(form("photo", "image/png", &png), &multipart(), Some(&marie)),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{n}: {body}");
    }
    let (status, _, body) = send(
        &router,
        upload(form("photo", "image/png", &png), &multipart(), Some(&marie)),
    )
    .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_eq!(
        refusal(&body),
        AppError::Photo(PhotoProblem::TooManyUploads)
    );
    // Another account is not affected; an hour later Marie may send again.
    let pierre = cookie_of(&state, "calme@example.fr").await;
    let (status, _, _) = send(
        &router,
        upload(
            form("photo", "image/png", &png),
            &multipart(),
            Some(&pierre),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    state.clock.advance(3601);
    // (Her session has lapsed meanwhile: a new one.)
    let owner = app::backend::accounts::find_by_login(&state.db, "rafale@example.fr")
        .await
        .unwrap()
        .unwrap();
    let marie = format!(
        "portal_session={}",
        logged_in_session(&state, owner.id).await.expose()
    );
    let (status, _, _) = send(
        &router,
        upload(form("photo", "image/png", &png), &multipart(), Some(&marie)),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}

#[test]
fn a_picture_announcing_too_many_pixels_is_not_decoded() {
    assert_eq!(
        reencode("image/png", &announcing(8192, 8192)),
        Err(PhotoProblem::TooManyPixels)
    );
    assert_eq!(
        reencode("image/png", &announcing(9000, 10)),
        Err(PhotoProblem::TooManyPixels)
    );
    let small = reencode("image/png", &picture(3, 2, ImageFormat::Png)).unwrap();
    assert_eq!((small.width, small.height), (3, 2));
}

/// A PNG whose header announces `width` × `height` pixels, with a few bytes
/// of image data: what a decompression bomb looks like before it unpacks.
fn announcing(width: u32, height: u32) -> Vec<u8> {
    let mut png = picture(1, 1, ImageFormat::Png);
    // The signature (8 bytes), then IHDR: length (4), "IHDR" (4), width,
    // height, then 5 more bytes of header, then the chunk's CRC.
    png[16..20].copy_from_slice(&width.to_be_bytes());
    png[20..24].copy_from_slice(&height.to_be_bytes());
    let crc = crc32(&png[12..29]);
    png[29..33].copy_from_slice(&crc.to_be_bytes());
    png
}

/// PNG's CRC-32 (ISO 3309), bit by bit.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = u32::MAX;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}
