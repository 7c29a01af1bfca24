//! `GET /calendar/<token>.ics`: the private ICS feed, built in the domain. `ETag` and
//! `If-None-Match` answer 304 when nothing changed; a token that was never issued and one
//! revoked or replaced are the same bare 404.
use axum::{
    extract::{Path, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use schema::domain::planning::calendar::feed;

use super::AppState;

pub async fn serve(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(token) = file.strip_suffix(".ics").filter(|t| !t.is_empty()) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let found = match feed::render(&state.db, token, state.clock.now()).await {
        Ok(found) => found,
        Err(err) => {
            tracing::error!(error = %err, "calendar feed failed");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let Some(feed) = found else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Ok(etag) = HeaderValue::from_str(&feed.etag) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let unchanged = headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|tag| {
            let tag = tag.trim();
            tag == "*" || tag.trim_start_matches("W/") == feed.etag
        });
    let cache = HeaderValue::from_static("private, no-cache");
    if unchanged {
        return (
            StatusCode::NOT_MODIFIED,
            [(header::ETAG, etag), (header::CACHE_CONTROL, cache)],
        )
            .into_response();
    }
    (
        StatusCode::OK,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/calendar; charset=utf-8"),
            ),
            (header::ETAG, etag),
            (header::CACHE_CONTROL, cache),
        ],
        feed.body,
    )
        .into_response()
}
