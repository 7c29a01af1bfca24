//! The two response types of GraphQL over HTTP. `application/json` (the default, and what
//! `*/*` gets) answers 200 to every GraphQL result, as clients have long expected;
//! `application/graphql-response+json`, when the client accepts it, says more with the
//! status: a request error (the document does not parse or validate, a variable does not
//! coerce, a refusal before execution) is 4xx with no `data` entry, and a result the
//! database's loss kept from being made (`UNAVAILABLE`) is 503.
use std::collections::BTreeMap;

use async_graphql::{BatchResponse, Response as GqlResponse, ServerError};
use axum::{
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

pub const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Media {
    Json,
    GraphqlResponseJson,
}

impl Media {
    /// `application/graphql-response+json` when the `Accept` header ranks it at least as
    /// high as `application/json`; otherwise `application/json`.
    pub fn negotiate(headers: &HeaderMap) -> Self {
        let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
            return Self::Json;
        };
        let mut graphql = None::<f32>;
        let mut json = None::<f32>;
        for range in accept.split(',') {
            let mut parts = range.split(';');
            let essence = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
            let quality = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            match essence.as_str() {
                GRAPHQL_RESPONSE_JSON => graphql = Some(graphql.unwrap_or(0.0).max(quality)),
                "application/json" => json = Some(json.unwrap_or(0.0).max(quality)),
                _ => {}
            }
        }
        match graphql {
            Some(g) if g > 0.0 && g >= json.unwrap_or(0.0) => Self::GraphqlResponseJson,
            _ => Self::Json,
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Self::Json => "application/json",
            Self::GraphqlResponseJson => "application/graphql-response+json; charset=utf-8",
        }
    }

    /// The HTTP response for a GraphQL result (or batch of them).
    pub fn render(self, response: BatchResponse) -> Response {
        let (status, body) = match &response {
            BatchResponse::Single(one) => (self.status(one), serde_json::to_vec(&self.body(one))),
            BatchResponse::Batch(many) => (
                StatusCode::OK,
                serde_json::to_vec(&many.iter().map(|one| self.body(one)).collect::<Vec<_>>()),
            ),
        };
        // Serialising values already made cannot fail; should it, the client hears so.
        let body = body.unwrap_or_else(|_| {
            br#"{"errors":[{"message":"the response could not be written","extensions":{"code":"INTERNAL"}}]}"#.to_vec()
        });
        let mut response = (status, body).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(self.content_type()),
        );
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        response
    }

    /// A request refused before any GraphQL ran (its parameters, its media type).
    pub fn refuse(self, status: StatusCode, error: ServerError) -> Response {
        let mut response = self.render(GqlResponse::from_errors(vec![error]).into());
        *response.status_mut() = status;
        response
    }

    fn status(self, response: &GqlResponse) -> StatusCode {
        if self == Self::Json {
            return StatusCode::OK;
        }
        let has = |code: &str| response.errors.iter().any(|e| error_code(e) == Some(code));
        if is_request_error(response) {
            if has("UNAVAILABLE") {
                StatusCode::SERVICE_UNAVAILABLE
            } else if has("INTERNAL") {
                StatusCode::INTERNAL_SERVER_ERROR
            } else if has("UNAUTHENTICATED") {
                StatusCode::UNAUTHORIZED
            } else if has("FORBIDDEN") {
                StatusCode::FORBIDDEN
            } else if has("RATE_LIMITED") {
                StatusCode::TOO_MANY_REQUESTS
            } else {
                StatusCode::BAD_REQUEST
            }
        } else if response.data == async_graphql::Value::Null && has("UNAVAILABLE") {
            // Nothing was made (a non-null root field failed): retry later. A partial
            // result stays 200, as the spec asks whenever `data` is present and not null.
            StatusCode::SERVICE_UNAVAILABLE
        } else {
            StatusCode::OK
        }
    }

    /// The response as it is written: a request error in the GraphQL response type has no
    /// `data` entry. Objects keep the selection order the schema gave them.
    fn body(self, response: &GqlResponse) -> Body<'_> {
        let request_error = self == Self::GraphqlResponseJson && is_request_error(response);
        Body {
            data: (!request_error).then_some(&response.data),
            extensions: &response.extensions,
            errors: &response.errors,
        }
    }
}

/// One GraphQL response's JSON, serialised straight from the result (async-graphql's own
/// field order: `data`, `extensions`, `errors`).
#[derive(serde::Serialize)]
struct Body<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<&'a async_graphql::Value>,
    #[serde(skip_serializing_if = "is_empty_map")]
    extensions: &'a BTreeMap<String, async_graphql::Value>,
    #[serde(skip_serializing_if = "is_empty_list")]
    errors: &'a [ServerError],
}

fn is_empty_map(map: &&BTreeMap<String, async_graphql::Value>) -> bool {
    map.is_empty()
}

fn is_empty_list(errors: &&[ServerError]) -> bool {
    errors.is_empty()
}

/// Whether execution never began: no data, and no error names a path in the result.
pub fn is_request_error(response: &GqlResponse) -> bool {
    response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty())
}

pub fn error_code(error: &ServerError) -> Option<&str> {
    match error.extensions.as_ref()?.get("code")? {
        async_graphql::Value::String(code) => Some(code),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(value: &str) -> Media {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_str(value).unwrap());
        Media::negotiate(&headers)
    }

    #[test]
    fn the_accept_header_picks_the_response_type() {
        assert_eq!(Media::negotiate(&HeaderMap::new()), Media::Json);
        assert_eq!(accept("*/*"), Media::Json);
        assert_eq!(accept("application/json"), Media::Json);
        assert_eq!(accept(GRAPHQL_RESPONSE_JSON), Media::GraphqlResponseJson);
        assert_eq!(
            accept("application/graphql-response+json, application/json;q=0.9"),
            Media::GraphqlResponseJson
        );
        assert_eq!(
            accept("application/json, application/graphql-response+json;q=0.5"),
            Media::Json
        );
    }
}
