//! The real `@apollo/client` with `@apollo/client/link/persisted-queries` (tests/js): the
//! first request misses and retries with the document, the next sends only the hash, over
//! POST and over GET (so a CDN can cache it); with a trusted-documents manifest made from the
//! client's own operations, those run and an operation outside it is refused with a code.
use std::time::Duration;

use serde_json::{Value, json};
use tests::{TestApp, api_test, backend_test, node};

const PATIENCE: Duration = Duration::from_secs(60);

fn requests(result: &Value, key: &str) -> Vec<(String, bool, bool)> {
    result[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["method"].as_str().unwrap().to_owned(),
                r["query"].as_bool().unwrap(),
                r["hash"].as_bool().unwrap(),
            )
        })
        .collect()
}

api_test!(
    async fn apollo_persisted_queries_miss_once_then_send_only_the_hash(app: TestApp) {
        if node::tools(false).is_none() {
            return;
        }
        let url = app.url("/graphql");
        let result = node::run("apollo-client.mjs", &["apq", &url], PATIENCE).await;
        let typename = json!({ "data": { "__typename": "Query" } });
        assert_eq!(result["first"], typename, "{result}");
        assert_eq!(result["second"], typename, "{result}");
        assert_eq!(
            requests(&result, "firstRequests"),
            [("POST".into(), false, true), ("POST".into(), true, true)],
            "the first misses (hash only), then retries with the document: {result}"
        );
        assert_eq!(
            requests(&result, "secondRequests"),
            [("POST".into(), false, true)],
            "the second sends only the hash: {result}"
        );
    }
);

api_test!(
    async fn apollo_persisted_queries_work_over_get(app: TestApp) {
        if node::tools(false).is_none() {
            return;
        }
        let url = app.url("/graphql");
        let result = node::run("apollo-client.mjs", &["apq", &url, "get"], PATIENCE).await;
        assert_eq!(result["second"]["data"]["__typename"], "Query", "{result}");
        // Apollo sends the retry with the document by POST; hashed queries go by GET.
        assert_eq!(
            requests(&result, "firstRequests"),
            [("GET".into(), false, true), ("POST".into(), true, true)],
            "{result}"
        );
        assert_eq!(
            requests(&result, "secondRequests"),
            [("GET".into(), false, true)],
            "{result}"
        );
    }
);

backend_test!(
    async fn apollo_with_a_trusted_documents_manifest_runs_only_its_operations(backend: Backend) {
        if node::tools(false).is_none() {
            return;
        }
        let manifest =
            std::env::temp_dir().join(format!("apollo-manifest-{}.json", uuid::Uuid::new_v4()));
        let path = manifest.to_str().unwrap().to_owned();
        node::run("apollo-client.mjs", &["manifest", &path], PATIENCE).await;
        let app = TestApp::spawn_with(backend, |config| {
            config.clients.trusted_documents = Some(manifest.clone());
        })
        .await;
        let url = app.url("/graphql");
        let result = node::run("apollo-client.mjs", &["trusted", &url], PATIENCE).await;
        assert_eq!(
            result["inside"],
            json!({ "data": { "viewer": null } }),
            "{result}"
        );
        assert_eq!(result["outside"]["codes"], json!(["FORBIDDEN"]), "{result}");
        assert_eq!(
            result["outside"]["reasons"],
            json!(["UNTRUSTED_DOCUMENT"]),
            "{result}"
        );
        std::fs::remove_file(&manifest).ok();
    }
);
