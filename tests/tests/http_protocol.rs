//! GraphQL over HTTP as clients expect it: POST JSON and GET queries, refusals with
//! clear codes, and the bounds on what one operation may ask for.

use serde_json::json;
use tests::{TestApp, api_test};

api_test!(
    async fn typename_is_answered_over_post(app: TestApp) {
        let response = app.graphql("{ __typename }").await;
        assert_eq!(response.assert_ok()["__typename"], "Query");
    }
);

api_test!(
    async fn a_query_sent_by_get_is_answered(app: TestApp) {
        let response = app.graphql_get("{ __typename }").await;
        assert_eq!(response.assert_ok()["__typename"], "Query");
    }
);

api_test!(
    async fn a_mutation_sent_by_get_is_refused_with_405(app: TestApp) {
        let response = app.graphql_get("mutation { __typename }").await;
        assert_eq!(response.status, 405);
        assert_eq!(response.headers["allow"], "POST");
        assert_eq!(response.error_codes(), ["BAD_USER_INPUT"]);

        let named = app
            .http
            .get(app.url("/graphql"))
            .query(&[
                ("query", "query Q { __typename } mutation M { __typename }"),
                ("operationName", "M"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(named.status(), 405, "the named operation is the mutation");
    }
);

api_test!(
    async fn a_post_that_is_not_json_is_refused(app: TestApp) {
        for content_type in [
            "application/x-www-form-urlencoded",
            "text/plain",
            "multipart/form-data; boundary=x",
        ] {
            let response = app
                .http
                .post(app.url("/graphql"))
                .header("content-type", content_type)
                .body(r#"{"query":"{ __typename }"}"#)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 415, "{content_type} must be refused");
        }
        let none = app
            .http
            .post(app.url("/graphql"))
            .body(r#"{"query":"{ __typename }"}"#)
            .send()
            .await
            .unwrap();
        assert_eq!(
            none.status(),
            415,
            "a POST without a content type is refused too"
        );
    }
);

api_test!(
    async fn a_body_that_is_not_a_graphql_request_is_a_coded_400(app: TestApp) {
        let response = app
            .http
            .post(app.url("/graphql"))
            .header("content-type", "application/json")
            .body("{ not json")
            .send()
            .await
            .unwrap();
        let response = tests::GqlResponse::read(response).await;
        assert_eq!(response.status, 400);
        assert_eq!(response.error_codes(), ["BAD_USER_INPUT"]);
    }
);

api_test!(
    async fn syntax_and_validation_errors_carry_a_code(app: TestApp) {
        let syntax = app.graphql("{ __typename ").await;
        assert_eq!(syntax.error_codes(), ["BAD_USER_INPUT"]);
        let unknown = app.graphql("{ noSuchField }").await;
        assert_eq!(unknown.error_codes(), ["BAD_USER_INPUT"]);
    }
);

api_test!(
    async fn a_batch_of_operations_is_answered_in_order(app: TestApp) {
        let response = app
            .http
            .post(app.url("/graphql"))
            .json(&json!([{ "query": "{ a: __typename }" }, { "query": "{ b: __typename }" }]))
            .send()
            .await
            .unwrap();
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body[0]["data"]["a"], "Query");
        assert_eq!(body[1]["data"]["b"], "Query");
    }
);

api_test!(
    async fn an_anonymous_viewer_is_null_and_costs_no_statement(app: TestApp) {
        let (response, statements) = app
            .graphql_counting("{ viewer { id email } }", json!({}))
            .await;
        assert_eq!(response.assert_ok()["viewer"], serde_json::Value::Null);
        assert_eq!(statements, 0);
    }
);

api_test!(
    async fn a_token_that_does_not_verify_is_unauthenticated_not_anonymous(app: TestApp) {
        let response = app
            .http
            .post(app.url("/graphql"))
            .bearer_auth("forged.token.value")
            .json(&json!({ "query": "{ viewer { id } }" }))
            .send()
            .await
            .unwrap();
        let response = tests::GqlResponse::read(response).await;
        assert_eq!(response.error_codes(), ["UNAUTHENTICATED"]);
        assert_eq!(response.extensions()["reason"], "INVALID_TOKEN");
        assert!(response.body["data"].is_null());
    }
);

api_test!(
    async fn every_response_carries_a_request_id_and_keeps_the_callers(app: TestApp) {
        let fresh = app.graphql("{ __typename }").await;
        assert!(fresh.headers.contains_key("x-request-id"));
        let echoed = app
            .http
            .post(app.url("/graphql"))
            .header("x-request-id", "trace-me-42")
            .json(&json!({ "query": "{ __typename }" }))
            .send()
            .await
            .unwrap();
        assert_eq!(echoed.headers()["x-request-id"], "trace-me-42");
    }
);

mod limits {
    use super::*;
    use tests::Backend;

    async fn app_with(max_depth: usize, max_complexity: usize, max_aliases: usize) -> TestApp {
        TestApp::spawn_with(Backend::Sqlite, |config| {
            config.limits.max_depth = max_depth;
            config.limits.max_complexity = max_complexity;
            config.limits.max_aliases = max_aliases;
        })
        .await
    }

    #[tokio::test]
    async fn a_query_nested_deeper_than_the_limit_is_refused() {
        let app = app_with(3, 1_000, 30).await;
        app.graphql("{ __schema { queryType { name } } }")
            .await
            .assert_ok();
        let deep = app
            .graphql("{ __schema { types { fields { name } } } }")
            .await;
        assert_eq!(deep.error_codes(), ["BAD_USER_INPUT"]);
        assert!(deep.data().is_null());
    }

    #[tokio::test]
    async fn a_query_more_complex_than_the_limit_is_refused() {
        let app = app_with(15, 4, 30).await;
        app.graphql("{ __typename }").await.assert_ok();
        let complex = app
            .graphql("{ __schema { types { name kind description fields { name } } } }")
            .await;
        assert_eq!(complex.error_codes(), ["BAD_USER_INPUT"]);
    }

    #[tokio::test]
    async fn more_aliases_than_the_limit_are_refused() {
        let app = app_with(15, 1_000, 3).await;
        app.graphql("{ a: __typename b: __typename c: __typename }")
            .await
            .assert_ok();
        let many = app
            .graphql("{ a: __typename b: __typename c: __typename d: __typename }")
            .await;
        assert_eq!(many.error_codes(), ["BAD_USER_INPUT"]);
        assert_eq!(many.extensions()["reason"], "TOO_MANY_ALIASES");
    }

    #[tokio::test]
    async fn a_body_over_the_size_limit_is_refused_with_413() {
        let app =
            TestApp::spawn_with(Backend::Sqlite, |config| config.max_body_bytes = 1_024).await;
        let padding = " ".repeat(2_048);
        let response = app
            .http
            .post(app.url("/graphql"))
            .header("content-type", "application/json")
            .body(format!(r#"{{"query":"{{ __typename {padding} }}"}}"#))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 413);
    }

    #[tokio::test]
    async fn graphiqls_introspection_query_fits_the_default_limits() {
        let app = TestApp::spawn(Backend::Sqlite).await;
        let response = app.graphql(INTROSPECTION).await;
        let types = response.assert_ok()["__schema"]["types"]
            .as_array()
            .unwrap();
        assert!(types.iter().any(|t| t["name"] == "Query"));
    }

    /// The query GraphiQL sends on load (graphql-js `getIntrospectionQuery`).
    const INTROSPECTION: &str = r#"
      query IntrospectionQuery {
        __schema {
          queryType { name }
          mutationType { name }
          subscriptionType { name }
          types { ...FullType }
          directives { name description locations args { ...InputValue } }
        }
      }
      fragment FullType on __Type {
        kind name description
        fields(includeDeprecated: true) {
          name description
          args { ...InputValue }
          type { ...TypeRef }
          isDeprecated deprecationReason
        }
        inputFields { ...InputValue }
        interfaces { ...TypeRef }
        enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
        possibleTypes { ...TypeRef }
      }
      fragment InputValue on __InputValue {
        name description type { ...TypeRef } defaultValue
      }
      fragment TypeRef on __Type {
        kind name
        ofType { kind name ofType { kind name ofType { kind name ofType { kind name
          ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }
      }
    "#;
}
