//! CORS for single-page apps on other origins: only the origins configured
//! (`APP_CORS_ORIGINS`: exact, or `http://localhost:*` for development), the request's own
//! origin echoed (never `*`), no credentials (the API takes a bearer token, not
//! cookies); preflights for `/graphql` may send `Authorization` and `Content-Type`.
use axum::http::{HeaderName, HeaderValue, Method, header};
use tower_http::cors::{AllowOrigin, CorsLayer};

use super::middleware::REQUEST_ID;

/// With no origin configured, no CORS header is sent, so browsers block every other origin.
/// `http://localhost:*` (configured explicitly, for development) allows any port there.
pub fn layer(origins: &[String]) -> CorsLayer {
    let mut exact = Vec::new();
    let mut any_port = Vec::new();
    for origin in origins {
        match origin.strip_suffix('*') {
            Some(prefix) => any_port.push(prefix.to_owned()),
            None => exact.extend(HeaderValue::from_str(origin).ok()),
        }
    }
    let allow = if any_port.is_empty() {
        AllowOrigin::list(exact)
    } else {
        AllowOrigin::predicate(move |origin: &HeaderValue, _| {
            exact.contains(origin)
                || origin.to_str().is_ok_and(|origin| {
                    any_port.iter().any(|prefix| {
                        origin.strip_prefix(prefix.as_str()).is_some_and(|port| {
                            !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit())
                        })
                    })
                })
        })
    };
    CorsLayer::new()
        .allow_origin(allow)
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            REQUEST_ID,
        ])
        .expose_headers([REQUEST_ID, HeaderName::from_static("retry-after")])
        .max_age(std::time::Duration::from_secs(600))
}
