//! Who sent a request: the actor, resolved once before execution from the HTTP
//! `Authorization` header or a WebSocket's `connection_init` payload.
use axum::http::{HeaderMap, header};
use schema::domain::{Actor, AppError, AppResult, Reason, auth::sessions};

use crate::routes::AppState;

/// No credentials is an anonymous request; credentials that do not verify are refused,
/// never silently treated as anonymous.
pub async fn actor_from_headers(state: &AppState, headers: &HeaderMap) -> AppResult<Actor> {
    match headers.get(header::AUTHORIZATION) {
        None => Ok(Actor::Anonymous),
        Some(value) => authenticate(state, value.to_str().ok()).await,
    }
}

/// The same rule for a WebSocket's `connection_init` payload `{"authorization": "Bearer …"}`.
pub async fn actor_from_init_payload(
    state: &AppState,
    payload: &serde_json::Value,
) -> AppResult<Actor> {
    match payload
        .get("authorization")
        .or_else(|| payload.get("Authorization"))
    {
        None | Some(serde_json::Value::Null) => Ok(Actor::Anonymous),
        Some(value) => authenticate(state, value.as_str()).await,
    }
}

async fn authenticate(state: &AppState, credentials: Option<&str>) -> AppResult<Actor> {
    let token = credentials
        .and_then(|text| {
            text.strip_prefix("Bearer ")
                .or_else(|| text.strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|token| !token.is_empty())
        .ok_or_else(|| {
            AppError::unauthenticated(Reason::InvalidToken, "expected `Bearer <access token>`")
        })?;
    sessions::authenticate(&state.db, &state.identity, token, state.clock.now()).await
}
