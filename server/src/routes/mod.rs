//! The HTTP surface: one module per route, assembled with the shared middleware.
mod calendar_feed;
mod cors;
mod graphiql;
pub mod graphql;
mod health;
mod metrics;
mod middleware;
mod sign_in_page;
pub mod ws;

use std::{sync::Arc, time::Duration};

use axum::{
    Router,
    extract::{DefaultBodyLimit, Request},
    routing::get,
};
use schema::{
    AppSchema,
    domain::{auth::Identity, clock::SharedClock},
};
use sea_orm::DatabaseConnection;
use tower::ServiceBuilder;
use tower_http::{
    ServiceBuilderExt,
    request_id::MakeRequestUuid,
    trace::{DefaultOnResponse, TraceLayer},
};
use tracing::Level;

use crate::metrics::Metrics;

/// What every handler may reach.
#[derive(Clone)]
pub struct AppState {
    pub schema: AppSchema,
    pub db: DatabaseConnection,
    pub clock: SharedClock,
    pub identity: Arc<Identity>,
    pub metrics: Arc<Metrics>,
    /// How long a WebSocket may wait before `connection_init` (then 4408).
    pub ws_init_timeout: Duration,
    /// The largest request body, and the largest WebSocket message.
    pub max_body_bytes: usize,
    /// Readiness's answer to "does a write commit?".
    pub write_probe: Arc<crate::db::WriteProbe>,
    /// Whether the server is shutting down (readiness 503, WebSockets close with 1001).
    pub drain: crate::drain::Drain,
    /// A request's whole body must arrive within this.
    pub body_read_timeout: Duration,
    /// Bounds on batches and sockets.
    pub limits: crate::config::CostLimits,
    /// Each user's open WebSockets on this instance.
    pub sockets: std::sync::Arc<ws::sockets::SocketCounts>,
    /// Automatic persisted queries and trusted documents.
    pub documents: Arc<graphql::persisted::Documents>,
}

/// What the router serves besides the API.
#[derive(Debug, Clone)]
pub struct Pages {
    /// Exact origins CORS allows.
    pub cors_origins: Vec<String>,
    /// `/sign-in`: the page a mailed link opens.
    pub sign_in_page: bool,
}

pub fn router(state: AppState, max_body_bytes: usize, pages: &Pages) -> Router {
    let mut router = Router::new();
    if state.documents.explorer_allowed() {
        router = router
            .route("/", get(graphiql::page))
            .route("/graphiql/{file}", get(graphiql::asset));
    }
    if pages.sign_in_page {
        router = router.route("/sign-in", get(sign_in_page::page));
    }
    router
        .route("/graphql", get(graphql::get).post(graphql::post))
        .route("/graphql/ws", get(ws::upgrade))
        .route("/healthz", get(health::live))
        .route("/readyz", get(health::ready))
        .route("/metrics", get(metrics::scrape))
        .route("/calendar/{file}", get(calendar_feed::serve))
        .layer(DefaultBodyLimit::max(max_body_bytes))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::read_body_in_time,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::record_metrics,
        ))
        .layer(cors::layer(&pages.cors_origins))
        .layer(
            ServiceBuilder::new()
                .set_request_id(middleware::REQUEST_ID, MakeRequestUuid)
                .layer(
                    TraceLayer::new_for_http()
                        .make_span_with(middleware::make_span as fn(&Request) -> tracing::Span)
                        .on_response(DefaultOnResponse::new().level(Level::INFO)),
                )
                .propagate_request_id(middleware::REQUEST_ID),
        )
        .with_state(state)
}
