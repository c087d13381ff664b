//! `GET /mon-compte/photo`: the logged-in user's own profile photo (rule
//! P1), the JPEG the server made from their upload. Nobody else's photo is
//! reachable (the session says whose), and it is `no-store` like every
//! page showing personal data. The page adds the photo's stamp as a query
//! (`?v=…`), which only makes a new photo's address differ from the old.

use crate::exports::session_user;
use app::backend::AppState;
use app::backend::accounts::photo;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The photo, 401 without a session, 404 without a photo.
pub async fn my_photo(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let found = match session_user(&state, &headers).await {
        Ok(Some(owner)) => photo::find(&state.db, owner.id).await,
        Ok(None) => return StatusCode::UNAUTHORIZED.into_response(),
        Err(error) => Err(error),
    };
    match found {
        Ok(Some(stored)) => (
            [
                (header::CONTENT_TYPE, "image/jpeg"),
                (header::CONTENT_DISPOSITION, "inline"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            stored.jpeg,
        )
            .into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(%error, "profile photo unreadable");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
