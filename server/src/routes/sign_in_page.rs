//! `/sign-in?token=…`: the page a mailed link opens (the default `APP_SIGN_IN_URL`). It
//! completes the sign-in with `signInWithLink`, keeps the tokens in this origin's browser
//! storage and lands in GraphiQL signed in. A convenience of this server for local use
//! (`APP_SIGN_IN_PAGE=false` turns it off); an SPA signs in through the API as ever.
use axum::{
    http::header,
    response::{Html, IntoResponse},
};

const PAGE: &str = include_str!("../../assets/sign-in.html");

pub async fn page() -> impl IntoResponse {
    (
        // The token is in the URL: keep it out of other sites' Referer headers and caches.
        [
            (header::REFERRER_POLICY, "no-referrer"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        Html(PAGE),
    )
}
