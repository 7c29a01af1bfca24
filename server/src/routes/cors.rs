//! CORS for single-page apps on other origins: only the exact origins configured
//! (`APP_CORS_ORIGINS`), never a wildcard, no credentials (the API takes a bearer token, not
//! cookies); preflights for `/graphql` may send `Authorization` and `Content-Type`.
use axum::http::{HeaderName, HeaderValue, Method, header};
use tower_http::cors::{AllowOrigin, CorsLayer};

use super::middleware::REQUEST_ID;

/// With no origin configured, no CORS header is sent, so browsers block every other origin.
pub fn layer(origins: &[String]) -> CorsLayer {
    let origins: Vec<HeaderValue> = origins
        .iter()
        .filter_map(|origin| HeaderValue::from_str(origin).ok())
        .collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
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
