//! `/metrics`: the Prometheus scrape endpoint.
use axum::{extract::State, http::header, response::IntoResponse};

use super::AppState;

pub async fn scrape(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        state.metrics.render(&state.db),
    )
}
