//! The routes around `/graphql`: GraphiQL served from the binary, health, readiness and
//! metrics.

use tests::{TestApp, api_test};

api_test!(
    async fn graphiql_is_served_at_the_root_with_every_asset_from_the_binary(app: TestApp) {
        let page = app.http.get(app.url("/")).send().await.unwrap();
        assert_eq!(page.status(), 200);
        assert!(
            page.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        let html = page.text().await.unwrap();
        assert!(
            !html.contains("https://") && !html.contains("http://"),
            "no asset may come from the network"
        );
        let assets = regex::Regex::new(r#"(?:src|href)="(/graphiql/[^"]+)""#).unwrap();
        let paths: Vec<&str> = assets
            .captures_iter(&html)
            .map(|c| c.get(1).unwrap().as_str())
            .collect();
        assert_eq!(
            paths.len(),
            4,
            "GraphiQL's script, styles, React and ReactDOM: {paths:?}"
        );
        for path in paths {
            let asset = app.http.get(app.url(path)).send().await.unwrap();
            assert_eq!(asset.status(), 200, "{path}");
            assert!(
                asset.bytes().await.unwrap().len() > 1_000,
                "{path} is the real file"
            );
        }
        for licence in [
            "LICENSE.graphiql.txt",
            "LICENSE.react.txt",
            "LICENSE.react-dom.txt",
        ] {
            let text = app
                .http
                .get(app.url(&format!("/graphiql/{licence}")))
                .send()
                .await
                .unwrap();
            assert!(
                text.text().await.unwrap().contains("MIT License"),
                "{licence}"
            );
        }
        let missing = app
            .http
            .get(app.url("/graphiql/nope.js"))
            .send()
            .await
            .unwrap();
        assert_eq!(missing.status(), 404);
    }
);

api_test!(
    async fn health_and_readiness_answer(app: TestApp) {
        let live = app.http.get(app.url("/healthz")).send().await.unwrap();
        assert_eq!(live.status(), 200);
        let ready = app.http.get(app.url("/readyz")).send().await.unwrap();
        assert_eq!(ready.status(), 200);
        let body: serde_json::Value = ready.json().await.unwrap();
        assert_eq!(body["database"], "ok");
    }
);

api_test!(
    async fn metrics_count_requests_errors_by_code_statements_and_the_pool(app: TestApp) {
        app.graphql("{ __typename }").await.assert_ok();
        app.graphql("{ noSuchField }").await;
        app.http.get(app.url("/readyz")).send().await.unwrap();
        let scrape = app.http.get(app.url("/metrics")).send().await.unwrap();
        assert_eq!(scrape.status(), 200);
        let text = scrape.text().await.unwrap();
        for expected in [
            r#"http_requests_total{method="POST",route="/graphql",status="200"} 2"#,
            r#"graphql_errors_total{code="BAD_USER_INPUT"} 1"#,
            "http_request_duration_seconds_bucket",
            "db_statements_total",
            "db_pool_connections",
        ] {
            assert!(text.contains(expected), "missing `{expected}` in:\n{text}");
        }
    }
);

tests::testkit::postgres_half! {
    /// Readiness follows the database: cut it off and `/readyz` answers 503, restore it and the
    /// app recovers without a restart. (PostgreSQL only: a SQLite file cannot be cut off.)
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn readiness_reports_an_unreachable_database_and_recovers() {
        use sea_orm::{ConnectionTrait, Database};
        let admin_url = tests::postgres_url().expect("TEST_POSTGRES_URL");
        let app = TestApp::spawn(tests::Backend::Postgres).await;
        let name = app.database.postgres_name().unwrap().to_owned();
        let admin = Database::connect(&admin_url).await.unwrap();
        let cut_off = [
            format!(r#"ALTER DATABASE "{name}" ALLOW_CONNECTIONS false"#),
            format!("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"),
        ];
        for sql in &cut_off {
            admin.execute_unprepared(sql).await.unwrap();
        }
        let down = app.http.get(app.url("/readyz")).send().await.unwrap();
        assert_eq!(down.status(), 503);
        assert_eq!(
            app.http
                .get(app.url("/healthz"))
                .send()
                .await
                .unwrap()
                .status(),
            200,
            "still alive"
        );

        admin
            .execute_unprepared(&format!(
                r#"ALTER DATABASE "{name}" ALLOW_CONNECTIONS true"#
            ))
            .await
            .unwrap();
        let up = app.http.get(app.url("/readyz")).send().await.unwrap();
        assert_eq!(up.status(), 200);
    }
}
