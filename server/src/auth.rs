//! Who sent a request: the actor, resolved once from its headers before execution.
use axum::http::{HeaderMap, header};
use schema::domain::{Actor, AppError, AppResult, Reason};

/// Reads `Authorization: Bearer <token>`. No header is an anonymous request; a token that
/// does not verify is refused, never silently treated as anonymous. No token can verify
/// until sign-in exists, so every presented token is refused for now.
pub fn actor_from_headers(headers: &HeaderMap) -> AppResult<Actor> {
    match headers.get(header::AUTHORIZATION) {
        None => Ok(Actor::Anonymous),
        Some(_) => Err(invalid_token()),
    }
}

/// The same rule for a WebSocket's `connection_init` payload `{"authorization": "Bearer …"}`.
pub fn actor_from_init_payload(payload: &serde_json::Value) -> AppResult<Actor> {
    match payload
        .get("authorization")
        .or_else(|| payload.get("Authorization"))
    {
        None | Some(serde_json::Value::Null) => Ok(Actor::Anonymous),
        Some(_) => Err(invalid_token()),
    }
}

fn invalid_token() -> AppError {
    AppError::unauthenticated(
        Reason::InvalidToken,
        "the access token is invalid or expired",
    )
}
