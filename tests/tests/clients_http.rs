//! GraphQL over HTTP as the clients people use speak it: the spec's own audit suite
//! (graphql-http's `serverAudits`, every MUST, SHOULD and MAY), the two response types and
//! their status codes, CORS preflights, automatic persisted queries over POST and GET, and
//! trusted documents (over HTTP and WebSocket).
use std::time::Duration;

use sea_orm::{ConnectionTrait, TransactionTrait};
use serde_json::{Value, json};
use tests::{Backend, GqlResponse, TestApp, WsClient, api_test, backend_test, node};

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

fn sha256(text: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

async fn post(app: &TestApp, accept: Option<&str>, body: Value) -> GqlResponse {
    let mut request = app.http.post(app.url("/graphql")).json(&body);
    if let Some(accept) = accept {
        request = request.header("accept", accept);
    }
    GqlResponse::read(request.send().await.unwrap()).await
}

api_test!(
    async fn the_graphql_over_http_audit_passes_every_must_should_and_may(app: TestApp) {
        if node::tools(false).is_none() {
            return;
        }
        let result = node::run(
            "graphql-http-audit.mjs",
            &[&app.url("/graphql")],
            Duration::from_secs(60),
        )
        .await;
        let results = result["results"].as_array().unwrap();
        let mut counts = std::collections::BTreeMap::<String, (usize, usize)>::new();
        let mut misses = Vec::new();
        for audit in results {
            let name = audit["name"].as_str().unwrap();
            let level = name.split_whitespace().next().unwrap().to_owned();
            let entry = counts.entry(level).or_default();
            entry.1 += 1;
            if audit["status"] == "ok" {
                entry.0 += 1;
            } else {
                misses.push(format!("{} {name}: {}", audit["id"], audit["reason"]));
            }
        }
        eprintln!("graphql-http audit: {counts:?}");
        assert!(misses.is_empty(), "audits missed:\n{}", misses.join("\n"));
        assert_eq!(counts["MUST"], (13, 13));
        assert_eq!(counts["SHOULD"], (23, 23));
        assert_eq!(counts["MAY"], (25, 25));
    }
);

api_test!(
    async fn graphql_response_json_says_with_its_status_what_kind_of_error_it_is(app: TestApp) {
        let ok = post(
            &app,
            Some(GRAPHQL_RESPONSE),
            json!({ "query": "{ __typename }" }),
        )
        .await;
        assert_eq!(ok.status, 200);
        assert!(
            ok.headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with(GRAPHQL_RESPONSE)
        );
        for query in ["{", "{ noSuchField }"] {
            let refused = post(&app, Some(GRAPHQL_RESPONSE), json!({ "query": query })).await;
            assert_eq!(refused.status, 400, "{query}: {}", refused.body);
            assert!(
                refused.body.get("data").is_none(),
                "no data entry: {}",
                refused.body
            );
        }
        // application/json (and no Accept at all) keeps answering 200 with `data: null`.
        let plain = post(&app, None, json!({ "query": "{ noSuchField }" })).await;
        assert_eq!(plain.status, 200);
        assert_eq!(plain.headers["content-type"], "application/json");
        assert!(plain.body["errors"].is_array());
        // A token that does not verify is a request error: 401 in the new mode.
        let response = app
            .http
            .post(app.url("/graphql"))
            .header("accept", GRAPHQL_RESPONSE)
            .bearer_auth("not-a-token")
            .json(&json!({ "query": "{ viewer { id } }" }))
            .send()
            .await
            .unwrap();
        let response = GqlResponse::read(response).await;
        assert_eq!(response.status, 401, "{}", response.body);
        assert_eq!(response.error_codes(), ["UNAUTHENTICATED"]);
        // Parameters of the wrong type are 400 in either mode.
        for accept in [None, Some(GRAPHQL_RESPONSE)] {
            let bad = post(
                &app,
                accept,
                json!({ "query": "{ __typename }", "variables": "{}" }),
            )
            .await;
            assert_eq!(bad.status, 400, "{}", bad.body);
            assert_eq!(bad.error_codes(), ["BAD_USER_INPUT"]);
        }
    }
);

backend_test!(
    async fn a_result_the_database_loss_kept_from_being_made_is_503_in_graphql_response_json(
        backend: Backend,
    ) {
        let app = TestApp::spawn_with(backend, |config| {
            config.timeouts.sqlite_busy = Duration::from_secs(1);
        })
        .await;
        let admin = app.admin().await;
        let user = app.member("unavailable@example.com").await;
        let outside = app.database.db.begin().await.unwrap();
        if backend == Backend::Postgres {
            outside
                .execute_unprepared("LOCK TABLE points_ledger IN ACCESS EXCLUSIVE MODE")
                .await
                .unwrap();
        } else {
            outside
                .execute_unprepared("INSERT INTO write_probe (id, checks) VALUES (99, 0)")
                .await
                .unwrap();
        }
        let query = "mutation($u: UUID!) { adjustPoints(input: {userId: $u, xp: 1, coins: 0, reason: \"r\", idempotencyKey: \"unavailable-1\"}) { repeated } }";
        let waiting = async {
            let response = app
                .http
                .post(app.url("/graphql"))
                .header("accept", GRAPHQL_RESPONSE)
                .bearer_auth(&admin.access_token)
                .json(&json!({ "query": query, "variables": { "u": user.user_id } }))
                .send()
                .await
                .unwrap();
            GqlResponse::read(response).await
        };
        let cut = async {
            if backend == Backend::Postgres {
                tokio::time::sleep(Duration::from_millis(500)).await;
                app.database
                    .db
                    .execute_unprepared(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                         WHERE datname = current_database() AND pid <> pg_backend_pid() \
                         AND wait_event_type = 'Lock'",
                    )
                    .await
                    .unwrap();
            }
        };
        let (response, ()) = tokio::join!(waiting, cut);
        outside.rollback().await.unwrap();
        assert_eq!(response.error_codes(), ["UNAVAILABLE"], "{}", response.body);
        assert_eq!(response.status, 503, "{}", response.body);
        assert_eq!(response.headers["retry-after"], "1");
    }
);

backend_test!(
    async fn cors_preflights_answer_the_configured_origins_only(backend: Backend) {
        let app = TestApp::spawn_with(backend, |config| {
            config.clients.cors_origins = vec!["http://localhost:5173".into()];
        })
        .await;
        let preflight = |origin: &'static str| {
            app.http
                .request(reqwest::Method::OPTIONS, app.url("/graphql"))
                .header("origin", origin)
                .header("access-control-request-method", "POST")
                .header(
                    "access-control-request-headers",
                    "authorization, content-type",
                )
                .send()
        };
        let allowed = preflight("http://localhost:5173").await.unwrap();
        assert!(allowed.status().is_success());
        let headers = allowed.headers();
        assert_eq!(
            headers["access-control-allow-origin"],
            "http://localhost:5173"
        );
        let allowed_headers = headers["access-control-allow-headers"].to_str().unwrap();
        assert!(
            allowed_headers.contains("authorization") && allowed_headers.contains("content-type")
        );
        assert!(headers["vary"].to_str().unwrap().contains("origin"));
        assert!(headers.get("access-control-allow-credentials").is_none());

        let other = preflight("http://localhost:3000").await.unwrap();
        assert!(other.headers().get("access-control-allow-origin").is_none());
        for evil in [
            "http://localhost:5173.evil.example",
            "https://localhost:5173",
            "null",
        ] {
            let refused = preflight(evil).await.unwrap();
            assert!(
                refused
                    .headers()
                    .get("access-control-allow-origin")
                    .is_none(),
                "{evil}"
            );
        }

        // The actual request from the allowed origin carries the header too.
        let response = app
            .http
            .post(app.url("/graphql"))
            .header("origin", "http://localhost:5173")
            .json(&json!({ "query": "{ __typename }" }))
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.headers()["access-control-allow-origin"],
            "http://localhost:5173"
        );
    }
);

api_test!(
    async fn persisted_queries_miss_then_are_remembered_and_answer_over_get(app: TestApp) {
        let query = "query Typename { __typename }";
        let hash = sha256(query);
        let extensions = json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } });
        let get = |extensions: Value| {
            app.http
                .get(app.url("/graphql"))
                .query(&[("extensions", extensions.to_string())])
                .send()
        };
        let miss = GqlResponse::read(get(extensions.clone()).await.unwrap()).await;
        assert_eq!(miss.body["errors"][0]["message"], "PersistedQueryNotFound");
        let registered = post(
            &app,
            None,
            json!({ "query": query, "extensions": extensions }),
        )
        .await;
        assert_eq!(registered.assert_ok()["__typename"], "Query");
        let hit = GqlResponse::read(get(extensions.clone()).await.unwrap()).await;
        assert_eq!(hit.assert_ok()["__typename"], "Query");
        // A text that is not what its hash says is refused, and not remembered.
        let forged = json!({ "persistedQuery": { "version": 1, "sha256Hash": sha256("{ viewer { id } }") } });
        let refused = post(&app, None, json!({ "query": query, "extensions": forged })).await;
        assert_eq!(
            refused.error_codes(),
            ["BAD_USER_INPUT"],
            "{}",
            refused.body
        );
        let still_missing = GqlResponse::read(get(forged).await.unwrap()).await;
        assert_eq!(
            still_missing.body["errors"][0]["message"],
            "PersistedQueryNotFound"
        );
    }
);

/// A manifest as Relay, GraphQL Codegen and Apollo's generators write it.
fn manifest(documents: &[&str]) -> std::path::PathBuf {
    let map: serde_json::Map<String, Value> = documents
        .iter()
        .map(|d| (sha256(d), Value::String((*d).to_owned())))
        .collect();
    let path = std::env::temp_dir().join(format!("trusted-{}.json", uuid::Uuid::new_v4()));
    std::fs::write(&path, Value::Object(map).to_string()).unwrap();
    path
}

backend_test!(
    async fn with_trusted_documents_only_the_manifests_operations_run(backend: Backend) {
        let trusted = "query Me { viewer { id } }";
        let path = manifest(&[trusted]);
        let app = TestApp::spawn_with(backend, |config| {
            config.clients.trusted_documents = Some(path.clone());
        })
        .await;
        // By hash, as a persisted-queries link sends it, and by matching text.
        let by_hash = post(
            &app,
            None,
            json!({ "extensions": { "persistedQuery": { "version": 1, "sha256Hash": sha256(trusted) } } }),
        )
        .await;
        assert_eq!(by_hash.assert_ok()["viewer"], Value::Null);
        post(&app, None, json!({ "query": trusted }))
            .await
            .assert_ok();
        // Anything else is refused with a code, introspection and GraphiQL included.
        for query in [
            "{ viewer { id email } }",
            "{ __schema { queryType { name } } }",
        ] {
            let refused = post(&app, None, json!({ "query": query })).await;
            assert_eq!(refused.error_codes(), ["FORBIDDEN"], "{}", refused.body);
            assert_eq!(refused.extensions()["reason"], "UNTRUSTED_DOCUMENT");
        }
        let explorer = app.http.get(app.url("/")).send().await.unwrap();
        assert_eq!(explorer.status(), 404);
        // Over WebSocket too: the subscription is refused with an `error` for its id.
        let mut ws = WsClient::connect(&app, "graphql-transport-ws").await;
        ws.initialise(json!({})).await;
        ws.send(json!({ "id": "1", "type": "subscribe", "payload": { "query": "subscription { focusSession { id } }" } }))
            .await;
        let refused = ws.receive().await;
        assert_eq!(refused["type"], "error", "{refused}");
        assert_eq!(
            refused["payload"][0]["extensions"]["code"], "FORBIDDEN",
            "{refused}"
        );

        // The explorer flag lets GraphiQL and introspection through, nothing more.
        let open = TestApp::spawn_with(backend, |config| {
            config.clients.trusted_documents = Some(path.clone());
            config.clients.trusted_documents_allow_explorer = true;
        })
        .await;
        post(
            &open,
            None,
            json!({ "query": "{ __schema { queryType { name } } }" }),
        )
        .await
        .assert_ok();
        let refused = post(&open, None, json!({ "query": "{ viewer { id email } }" })).await;
        assert_eq!(refused.error_codes(), ["FORBIDDEN"]);
        assert_eq!(
            open.http.get(open.url("/")).send().await.unwrap().status(),
            200
        );
        std::fs::remove_file(&path).ok();
    }
);
