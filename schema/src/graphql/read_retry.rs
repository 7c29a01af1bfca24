//! A query whose database connection was lost mid-request runs once more, on a fresh
//! connection from the pool: a read has nothing to undo, so its client gets the answer
//! instead of `UNAVAILABLE`. Mutations are never re-run here: their clients retry them with
//! the same idempotency key (README, "Retrying").
use async_graphql::{Request, Response, Variables, parser::parse_query};
use sea_orm::DatabaseConnection;

use super::{AppSchema, RequestContext, operation};
use crate::domain::ErrorCode;

/// Executes `request` for `context`; a query that came back `UNAVAILABLE` is run once more.
pub async fn execute(
    schema: &AppSchema,
    request: Request,
    context: RequestContext,
    db: &DatabaseConnection,
) -> Response {
    let replay = Replay::of(&request);
    let response = schema
        .execute(schema.prepare(request, context.clone(), db))
        .await;
    if !unavailable(&response) || !replay.is_query() {
        return response;
    }
    tracing::info!("a read lost its database connection; running it once more");
    schema
        .execute(schema.prepare(replay.request(), context, db))
        .await
}

/// What it takes to send the same operation again.
struct Replay {
    query: String,
    operation_name: Option<String>,
    variables: Variables,
    extensions: async_graphql::Extensions,
}

impl Replay {
    fn of(request: &Request) -> Self {
        Self {
            query: request.query.clone(),
            operation_name: request.operation_name.clone(),
            variables: request.variables.clone(),
            extensions: request.extensions.clone(),
        }
    }

    /// Whether the operation it names is a query (parsed only when a retry is in question).
    fn is_query(&self) -> bool {
        parse_query(&self.query)
            .is_ok_and(|document| operation::runs_query(&document, self.operation_name.as_deref()))
    }

    fn request(self) -> Request {
        let mut request = Request::new(self.query).variables(self.variables);
        request.operation_name = self.operation_name;
        request.extensions = self.extensions;
        request
    }
}

fn unavailable(response: &Response) -> bool {
    response.errors.iter().any(|error| {
        error
            .extensions
            .as_ref()
            .and_then(|ext| ext.get("code"))
            .is_some_and(|code| {
                *code == async_graphql::Value::from(ErrorCode::Unavailable.as_str())
            })
    })
}
