//! `/pkg` (the WASM chunks, the JS, the stylesheet) served from memory when
//! their names carry their content's hash (issue 16: a static file at
//! 15 000 requests/s on the 2-core machine).
//!
//! tower-http's `ServeDir` opens, inspects and reads the file on every
//! request, each step a hop to tokio's blocking pool: measured on the
//! release build, that is most of a static request's cost. With hashed
//! names (`hash-files`, the release build) a file never changes under its
//! name, so the files, their brotli and gzip copies and their headers are
//! read once at start-up (about 5 MB) and a request is a map lookup. Without
//! hashed names (`cargo leptos serve`, where a rebuild rewrites the files
//! under the same names) `ServeDir` stays ([`crate::router`]).
//!
//! What `ServeDir` did and this does too: `Content-Type` from the
//! extension; the precompressed copy the request accepts (`br`, then
//! `gzip`, by `Accept-Encoding` and its q-values), with `Vary`;
//! `Last-Modified` and `ETag`, and 304 for a request that has the file
//! already; `HEAD`; 404 for an unknown name. The edge's `cache_control`
//! sees a static file by its `Last-Modified` and makes it `immutable`.

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// One file and what is sent with it.
struct Asset {
    identity: Bytes,
    brotli: Option<Bytes>,
    gzip: Option<Bytes>,
    content_type: HeaderValue,
    last_modified: HeaderValue,
    etag: HeaderValue,
}

/// The files of a folder, by their path inside it (`portal.<hash>.css`).
#[derive(Clone, Default)]
pub struct Assets {
    files: Arc<HashMap<String, Asset>>,
}

impl Assets {
    /// Reads every file under `dir` with its `.br` and `.gz` copies.
    pub fn load(dir: &Path) -> std::io::Result<Assets> {
        let mut files = HashMap::new();
        let mut folders = vec![dir.to_path_buf()];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder)? {
                let path = entry?.path();
                if path.is_dir() {
                    folders.push(path);
                    continue;
                }
                let is_copy = path
                    .extension()
                    .is_some_and(|ext| ext == "br" || ext == "gz");
                let Ok(name) = path.strip_prefix(dir) else {
                    continue;
                };
                let Some(name) = name.to_str().map(|n| n.replace('\\', "/")) else {
                    continue;
                };
                if is_copy {
                    continue;
                }
                files.insert(name, Asset::read(&path)?);
            }
        }
        Ok(Assets {
            files: Arc::new(files),
        })
    }

    /// How many files are held.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether no file is held.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

impl Asset {
    fn read(path: &Path) -> std::io::Result<Asset> {
        let identity = Bytes::from(std::fs::read(path)?);
        let copy = |ext: &str| {
            let mut name = path.as_os_str().to_owned();
            name.push(ext);
            std::fs::read(name).ok().map(Bytes::from)
        };
        let modified = std::fs::metadata(path)?.modified()?;
        let last_modified = httpdate::fmt_http_date(modified);
        // Size and modification time, as `ServeDir` and most servers do.
        let seconds = modified
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let etag = format!("\"{:x}-{:x}\"", identity.len(), seconds);
        Ok(Asset {
            brotli: copy(".br"),
            gzip: copy(".gz"),
            content_type: HeaderValue::from_static(content_type(path)),
            last_modified: HeaderValue::from_str(&last_modified)
                .unwrap_or(HeaderValue::from_static("Thu, 01 Jan 1970 00:00:00 GMT")),
            etag: HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("\"0\"")),
            identity,
        })
    }
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|ext| ext.to_str()) {
        Some("wasm") => "application/wasm",
        Some("js") => "text/javascript",
        Some("css") => "text/css",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// The encodings a request accepts (a q-value of 0 refuses one).
fn accepts(headers: &HeaderMap, encoding: &str) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|item| {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or_default().trim();
            let refused = parts.any(|param| {
                param
                    .trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            (name.eq_ignore_ascii_case(encoding) || name == "*") && !refused
        })
}

/// Whether the request already has this version of the file.
fn fresh(headers: &HeaderMap, asset: &Asset) -> bool {
    if let Some(tags) = headers.get(header::IF_NONE_MATCH) {
        let tags = tags.to_str().unwrap_or_default();
        let ours = asset.etag.to_str().unwrap_or_default();
        return tags.split(',').any(|tag| {
            let tag = tag.trim();
            tag == "*" || tag.trim_start_matches("W/") == ours
        });
    }
    headers
        .get(header::IF_MODIFIED_SINCE)
        .is_some_and(|since| since == asset.last_modified)
}

/// Serves `/pkg/<name>` from `assets`; `prefix` is `/pkg/`.
pub async fn serve(
    State((assets, prefix)): State<(Assets, Arc<str>)>,
    request: Request,
) -> Response {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    let name = request
        .uri()
        .path()
        .strip_prefix(&*prefix)
        .unwrap_or_default();
    let Some(asset) = assets.files.get(name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let headers = request.headers();
    let mut response = if fresh(headers, asset) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let (body, encoding) = match (&asset.brotli, &asset.gzip) {
            (Some(brotli), _) if accepts(headers, "br") => (brotli.clone(), Some("br")),
            (_, Some(gzip)) if accepts(headers, "gzip") => (gzip.clone(), Some("gzip")),
            _ => (asset.identity.clone(), None),
        };
        let length = body.len();
        let body = if request.method() == Method::HEAD {
            Body::empty()
        } else {
            Body::from(body)
        };
        let mut response = Response::new(body);
        let out = response.headers_mut();
        out.insert(header::CONTENT_TYPE, asset.content_type.clone());
        out.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
        if let Some(encoding) = encoding {
            out.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
        }
        response
    };
    let out = response.headers_mut();
    out.insert(header::LAST_MODIFIED, asset.last_modified.clone());
    out.insert(header::ETAG, asset.etag.clone());
    if asset.brotli.is_some() || asset.gzip.is_some() {
        out.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn encodings_are_chosen_by_name_and_q_value() {
        assert!(accepts(&with("gzip, deflate, br, zstd"), "br"));
        assert!(accepts(&with("gzip;q=1.0, br;q=0.5"), "br"));
        assert!(!accepts(&with("gzip, br;q=0"), "br"));
        assert!(accepts(&with("gzip, br;q=0"), "gzip"));
        assert!(accepts(&with("*"), "br"));
        assert!(!accepts(&with("identity"), "gzip"));
        assert!(!accepts(&HeaderMap::new(), "gzip"));
    }
}
