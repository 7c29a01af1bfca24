//! The request parameters of GraphQL over HTTP, checked as the spec reads them: `query` a
//! string, `operationName` null or a string, `variables` and `extensions` null or a map;
//! anything else is refused (400) before the engine sees it.
use async_graphql::{BatchRequest, Request, Variables};
use serde_json::{Map, Value};

/// A POST body: one request object, or a batch (a JSON array of them).
pub fn from_body(body: &[u8]) -> Result<BatchRequest, String> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err("the body is empty; send {\"query\": \"…\"}".into());
    }
    let value: Value =
        serde_json::from_slice(body).map_err(|err| format!("the body is not JSON: {err}"))?;
    match value {
        Value::Object(object) => Ok(BatchRequest::Single(from_object(object)?)),
        Value::Array(items) if !items.is_empty() => items
            .into_iter()
            .map(|item| match item {
                Value::Object(object) => from_object(object),
                _ => Err("each operation of a batch is an object".into()),
            })
            .collect::<Result<_, _>>()
            .map(BatchRequest::Batch),
        _ => Err("the body is a JSON object {\"query\": \"…\"} (or an array of them)".into()),
    }
}

fn from_object(mut object: Map<String, Value>) -> Result<Request, String> {
    let take = |object: &mut Map<String, Value>, key: &str| match object.remove(key) {
        None | Some(Value::Null) => None,
        Some(value) => Some(value),
    };
    let extensions = match take(&mut object, "extensions") {
        None => Map::new(),
        Some(Value::Object(map)) => map,
        Some(_) => return Err("`extensions` must be a map".into()),
    };
    let query = match take(&mut object, "query") {
        Some(Value::String(query)) => query,
        None if is_persisted(&extensions) => String::new(),
        None => return Err("the `query` parameter is missing".into()),
        Some(_) => return Err("`query` must be a string".into()),
    };
    let operation_name = match take(&mut object, "operationName") {
        None => None,
        Some(Value::String(name)) => Some(name),
        Some(_) => return Err("`operationName` must be a string".into()),
    };
    let variables = match take(&mut object, "variables") {
        None => Map::new(),
        Some(Value::Object(map)) => map,
        Some(_) => return Err("`variables` must be a map".into()),
    };
    build(query, operation_name, variables, extensions)
}

/// A GET's query string: `query`, `operationName`, and `variables` / `extensions` as JSON.
pub fn from_query_string(text: &str) -> Result<Request, String> {
    let mut query = None;
    let mut operation_name = None;
    let mut variables = Map::new();
    let mut extensions = Map::new();
    for (key, value) in url::form_urlencoded::parse(text.as_bytes()) {
        let json_map = |what: &str| -> Result<Map<String, Value>, String> {
            match serde_json::from_str::<Value>(&value) {
                Ok(Value::Object(map)) => Ok(map),
                Ok(Value::Null) => Ok(Map::new()),
                _ => Err(format!("`{what}` must be a JSON map")),
            }
        };
        match key.as_ref() {
            "query" => query = Some(value.into_owned()),
            "operationName" if !value.is_empty() => operation_name = Some(value.into_owned()),
            "variables" if !value.is_empty() => variables = json_map("variables")?,
            "extensions" if !value.is_empty() => extensions = json_map("extensions")?,
            _ => {}
        }
    }
    let query = match query {
        Some(query) => query,
        None if is_persisted(&extensions) => String::new(),
        None => return Err("the `query` parameter is missing".into()),
    };
    build(query, operation_name, variables, extensions)
}

fn is_persisted(extensions: &Map<String, Value>) -> bool {
    extensions.contains_key("persistedQuery")
}

fn build(
    query: String,
    operation_name: Option<String>,
    variables: Map<String, Value>,
    extensions: Map<String, Value>,
) -> Result<Request, String> {
    let mut request = Request::new(query).variables(Variables::from_json(Value::Object(variables)));
    request.operation_name = operation_name;
    request.extensions = serde_json::from_value(Value::Object(extensions))
        .map_err(|err| format!("`extensions`: {err}"))?;
    Ok(request)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn single(body: &str) -> Result<Request, String> {
        match from_body(body.as_bytes())? {
            BatchRequest::Single(request) => Ok(request),
            BatchRequest::Batch(_) => Err("a batch".into()),
        }
    }

    #[test]
    fn parameters_of_the_wrong_type_are_refused() {
        for body in [
            r#"{"qeury": "{ a }"}"#,
            r#"{"query": 0}"#,
            r#"{"query": "{ a }", "operationName": false}"#,
            r#"{"query": "{ a }", "variables": "{}"}"#,
            r#"{"query": "{ a }", "extensions": ["x"]}"#,
            "",
            "[]",
            "{ \"not JSON",
        ] {
            assert!(single(body).is_err(), "{body}");
        }
    }

    #[test]
    fn null_parameters_count_as_absent() {
        let request = single(
            r#"{"query": "{ a }", "operationName": null, "variables": null, "extensions": null}"#,
        )
        .unwrap();
        assert_eq!(request.query, "{ a }");
        assert!(request.operation_name.is_none());
    }

    #[test]
    fn a_persisted_query_may_come_without_its_text() {
        let request = from_query_string(
            "extensions=%7B%22persistedQuery%22%3A%7B%22version%22%3A1%2C%22sha256Hash%22%3A%22ab%22%7D%7D&variables=%7B%22n%22%3A1%7D",
        )
        .unwrap();
        assert!(request.query.is_empty());
        assert!(request.extensions.contains_key("persistedQuery"));
        assert!(from_query_string("variables=%7B%7D").is_err());
    }
}
