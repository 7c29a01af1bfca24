//! Liveness (`/healthz`: the process answers) and readiness (`/readyz`: the database
//! answers and takes writes).
use axum::{Json, extract::State, http::StatusCode, response::IntoResponse};
use serde_json::json;

use super::AppState;

pub async fn live() -> impl IntoResponse {
    Json(json!({ "status": "ok" }))
}

pub async fn ready(State(state): State<AppState>) -> impl IntoResponse {
    let unavailable = |database: &str, reason: String| {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "status": "unavailable", "database": database, "reason": reason })),
        )
    };
    if state.drain.is_draining() {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "status": "draining", "reason": "the server is shutting down" })),
        );
    }
    if let Err(reason) = crate::db::ping(&state.db).await {
        return unavailable("unreachable", reason);
    }
    match state.write_probe.check(&state.db).await {
        Ok(()) => (
            StatusCode::OK,
            Json(json!({ "status": "ready", "database": "ok" })),
        ),
        Err(reason) => unavailable("unwritable", reason),
    }
}
