//! `/graphql` over HTTP, as clients expect it and the GraphQL-over-HTTP spec words it: POST
//! with a JSON body, GET for queries only (a mutation by GET gets 405), nothing else (a form
//! post is refused with 415); parameters checked (`params`), the response type negotiated
//! (`media`), persisted and trusted documents resolved (`persisted`).
mod media;
mod params;
pub mod persisted;

use std::net::SocketAddr;

use self::media::Media;
use super::{AppState, middleware::REQUEST_ID};
use crate::auth;
use async_graphql::{
    BatchRequest, BatchResponse, Request,
    parser::{parse_query, types::OperationType},
};
use axum::{
    body::Bytes,
    extract::{ConnectInfo, RawQuery, State},
    http::{HeaderMap, StatusCode, header},
    response::Response,
};
use schema::{
    RequestContext,
    domain::{AppError, ErrorCode, RequestMeta},
    graphql::read_retry,
};

pub async fn post(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let media = Media::negotiate(&headers);
    if !is_json(&headers) {
        return refuse(
            media,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send the operation as a POST with Content-Type: application/json",
        );
    }
    let mut batch = match params::from_body(&body) {
        Ok(batch) => batch,
        Err(problem) => return refuse(media, StatusCode::BAD_REQUEST, &problem),
    };
    if let BatchRequest::Batch(requests) = &batch
        && requests.len() > state.limits.max_batch
    {
        let message = format!(
            "a batch holds at most {} operations; this one has {}",
            state.limits.max_batch,
            requests.len()
        );
        return refused_by(&state, media, AppError::bad_input("batch", message));
    }
    let resolved = match &mut batch {
        BatchRequest::Single(request) => state.documents.resolve(request),
        BatchRequest::Batch(requests) => requests
            .iter_mut()
            .try_for_each(|request| state.documents.resolve(request)),
    };
    if let Err(error) = resolved {
        return respond(
            &state,
            media,
            async_graphql::Response::from_errors(vec![error]).into(),
        );
    }
    let context = match request_context(&state, &headers, peer).await {
        Ok(context) => context,
        Err(err) => return refused_by(&state, media, err),
    };
    let requests = match batch {
        BatchRequest::Single(request) => {
            let response = read_retry::execute(&state.schema, request, context, &state.db).await;
            return respond(&state, media, response.into());
        }
        BatchRequest::Batch(requests) => requests,
    };
    // The complexity limit holds for the batch's sum: each operation spends from one budget.
    let budget = schema::graphql::limits::BatchBudget::default();
    let batch = BatchRequest::Batch(
        requests
            .into_iter()
            .map(|request| {
                state
                    .schema
                    .prepare(request, context.clone(), &state.db)
                    .data(budget.clone())
            })
            .collect(),
    );
    respond(
        &state,
        media,
        state.schema.extended().execute_batch(batch).await,
    )
}

pub async fn get(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let media = Media::negotiate(&headers);
    let mut request = match params::from_query_string(query.as_deref().unwrap_or("")) {
        Ok(request) => request,
        Err(problem) => return refuse(media, StatusCode::BAD_REQUEST, &problem),
    };
    if let Err(error) = state.documents.resolve(&mut request) {
        return respond(
            &state,
            media,
            async_graphql::Response::from_errors(vec![error]).into(),
        );
    }
    if !is_query(&request) {
        let mut response = refuse(
            media,
            StatusCode::METHOD_NOT_ALLOWED,
            "only queries may be sent by GET; send mutations and subscriptions by POST",
        );
        response
            .headers_mut()
            .insert(header::ALLOW, header::HeaderValue::from_static("POST"));
        return response;
    }
    let context = match request_context(&state, &headers, peer).await {
        Ok(context) => context,
        Err(err) => return refused_by(&state, media, err),
    };
    let response = read_retry::execute(&state.schema, request, context, &state.db).await;
    respond(&state, media, response.into())
}

/// Whether the operation a GET names is a query. A document that does not parse counts
/// as a query: executing it reports the syntax error the client needs.
fn is_query(request: &Request) -> bool {
    let Ok(document) = parse_query(&request.query) else {
        return true;
    };
    let name = request.operation_name.as_deref();
    document
        .operations
        .iter()
        .filter(|(op_name, _)| name.is_none() || op_name.map(|n| n.as_str()) == name)
        .all(|(_, op)| op.node.ty == OperationType::Query)
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/json"))
}

async fn request_context(
    state: &AppState,
    headers: &HeaderMap,
    peer: SocketAddr,
) -> Result<RequestContext, AppError> {
    Ok(RequestContext {
        actor: auth::actor_from_headers(state, headers).await?,
        meta: request_meta(headers, peer),
    })
}

/// Where a request came from, for audit entries.
pub fn request_meta(headers: &HeaderMap, peer: SocketAddr) -> RequestMeta {
    let text = |name| {
        headers
            .get(name)
            .and_then(|v: &header::HeaderValue| v.to_str().ok())
            .map(str::to_owned)
    };
    RequestMeta {
        request_id: text(REQUEST_ID),
        ip_address: Some(peer.ip().to_string()),
        user_agent: text(header::USER_AGENT),
    }
}

fn respond(state: &AppState, media: Media, response: BatchResponse) -> Response {
    let responses: Vec<&async_graphql::Response> = match &response {
        BatchResponse::Single(one) => vec![one],
        BatchResponse::Batch(many) => many.iter().collect(),
    };
    for error in responses.iter().flat_map(|r| r.errors.iter()) {
        let code = media::error_code(error).unwrap_or(ErrorCode::Internal.as_str());
        state.metrics.record_graphql_error(code);
    }
    media.render(response)
}

/// A request refused before execution, in the GraphQL error shape clients already parse.
fn refuse(media: Media, status: StatusCode, message: &str) -> Response {
    let mut error = async_graphql::ServerError::new(message, None);
    let mut extensions = async_graphql::ErrorExtensionValues::default();
    extensions.set("code", ErrorCode::BadUserInput.as_str());
    error.extensions = Some(extensions);
    media.refuse(status, error)
}

fn refused_by(state: &AppState, media: Media, err: AppError) -> Response {
    let mut error = async_graphql::Error::from(err).into_server_error(Default::default());
    // Refused before the document was read: no place in it to point at.
    error.locations.clear();
    respond(
        state,
        media,
        async_graphql::Response::from_errors(vec![error]).into(),
    )
}
