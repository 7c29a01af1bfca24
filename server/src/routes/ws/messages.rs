//! What both protocols share: the close codes, the operation a client asks for (the same
//! shape in `subscribe` and legacy `start`), and how to tell a result from a refusal.
use async_graphql::{Request, Response, Value, Variables};
use serde::Deserialize;

/// The close codes this server sends. The 44xx ones are graphql-transport-ws's own.
pub(super) mod close {
    pub const NORMAL: u16 = 1000;
    /// The server is shutting down: reconnect (to another instance).
    pub const GOING_AWAY: u16 = 1001;
    /// Our own failure (never the client's): retrying later may work.
    pub const TRY_AGAIN_LATER: u16 = 1013;
    pub const BAD_REQUEST: u16 = 4400;
    pub const UNAUTHORIZED: u16 = 4401;
    pub const FORBIDDEN: u16 = 4403;
    pub const INIT_TIMEOUT: u16 = 4408;
    pub const SUBSCRIBER_EXISTS: u16 = 4409;
    pub const TOO_MANY_INITS: u16 = 4429;
}

/// The operation in a `subscribe` (or legacy `start`) message. `query` is required: a
/// message without one is malformed, not an empty document.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct OperationPayload {
    query: String,
    #[serde(default)]
    operation_name: Option<String>,
    /// An object or null; anything else is a malformed message.
    #[serde(default)]
    variables: Variables,
}

impl From<OperationPayload> for Request {
    fn from(payload: OperationPayload) -> Self {
        let request = Request::new(payload.query).variables(payload.variables);
        match payload.operation_name {
            Some(name) => request.operation_name(name),
            None => request,
        }
    }
}

/// Whether `response` refused the operation before running it (a syntax or validation
/// error, a limit): no data, and errors that point at no field. Execution errors always
/// carry the path of the field that failed.
pub(super) fn refused_before_execution(response: &Response) -> bool {
    response.data == Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|error| error.path.is_empty())
}

#[cfg(test)]
mod tests {
    use async_graphql::{PathSegment, ServerError};

    use super::*;

    #[test]
    fn a_subscribe_payload_needs_a_query() {
        let err = serde_json::from_str::<OperationPayload>(r#"{"variables":{}}"#).unwrap_err();
        assert!(err.to_string().contains("query"), "{err}");
        let payload: OperationPayload =
            serde_json::from_str(r#"{"query":"{ a }","variables":null,"operationName":null}"#)
                .unwrap();
        assert_eq!(Request::from(payload).query, "{ a }");
    }

    #[test]
    fn only_errors_without_a_path_and_without_data_are_refusals() {
        let refusal = Response::from_errors(vec![ServerError::new("unknown field", None)]);
        assert!(refused_before_execution(&refusal));
        let mut failed_field = ServerError::new("boom", None);
        failed_field.path = vec![PathSegment::Field("viewer".into())];
        assert!(!refused_before_execution(&Response::from_errors(vec![
            failed_field
        ])));
        assert!(!refused_before_execution(&Response::new(Value::Null)));
    }
}
