//! The API as a browser meets it, in headless Chromium (tests/js): an SPA on an allowed
//! origin reads `{ viewer { id } }` with a bearer token while a page on another origin is
//! blocked by CORS; and one-click sign-in: GraphiQL, `requestSignInLink`, the link from the
//! outbox, and GraphiQL signed in, across a reload and past the access token's life.
use std::{net::SocketAddr, time::Duration};

use tests::{TestApp, backend_test, node};

const PATIENCE: Duration = Duration::from_secs(120);

/// A port nothing listens on now.
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

backend_test!(
    async fn a_page_on_an_allowed_origin_reads_the_api_and_another_origin_is_blocked(
        backend: Backend,
    ) {
        if node::tools(true).is_none() {
            return;
        }
        let (allowed, other) = (free_port(), free_port());
        let app = TestApp::spawn_with(backend, |config| {
            config.clients.cors_origins = vec![format!("http://127.0.0.1:{allowed}")];
        })
        .await;
        let member = app.member("spa@example.com").await;
        let api = app.url("/graphql");
        let (allowed, other) = (allowed.to_string(), other.to_string());
        let result = node::run(
            "browser-cors.mjs",
            &[&api, &member.access_token, &allowed, &other],
            PATIENCE,
        )
        .await;
        assert_eq!(
            result["allowed"]["body"]["data"]["viewer"]["id"],
            member.user_id.to_string(),
            "{result}"
        );
        let blocked = result["other"]["error"].as_str().unwrap_or_default();
        assert!(
            blocked.contains("Failed to fetch"),
            "the browser blocks it: {result}"
        );
    }
);

backend_test!(
    async fn one_click_sign_in_lands_in_graphiql_signed_in_across_reloads_and_expiry(
        backend: Backend,
    ) {
        if node::tools(true).is_none() {
            return;
        }
        let addr = SocketAddr::from(([127, 0, 0, 1], free_port()));
        let app = TestApp::spawn_with(backend, |config| {
            config.bind = addr;
            config.auth.sign_in_url = format!("http://{addr}/sign-in");
        })
        .await;
        let email = "newcomer@example.com";
        let profile = std::env::temp_dir().join(format!("chromium-{}", uuid::Uuid::new_v4()));
        let base = app.url("");
        let outbox = app.outbox.dir.to_str().unwrap().to_owned();
        let profile_dir = profile.to_str().unwrap().to_owned();
        let args = |phase: &'static str| {
            [
                phase,
                base.as_str(),
                outbox.as_str(),
                email,
                profile_dir.as_str(),
            ]
        };

        let first = node::run("browser-sign-in.mjs", &args("first"), PATIENCE).await;
        assert!(
            first["requested"]
                .as_str()
                .unwrap()
                .contains("\"sent\": true"),
            "{first}"
        );
        assert!(
            first["link"]
                .as_str()
                .unwrap()
                .starts_with(&format!("http://{addr}/sign-in?token="))
        );
        assert_eq!(first["landed"], format!("http://{addr}/"), "{first}");
        assert!(first["banner"].as_str().unwrap().contains(email), "{first}");
        assert!(
            first["viewer"].as_str().unwrap().contains(email),
            "GraphiQL shows the viewer: {first}"
        );
        assert!(
            first["viewerAfterReload"].as_str().unwrap().contains(email),
            "and after a reload: {first}"
        );

        // Past the access token's 15 minutes (the session's 30 days are far off).
        app.clock.advance(chrono::Duration::minutes(20));
        let again = node::run("browser-sign-in.mjs", &args("again"), PATIENCE).await;
        assert!(
            again["viewerAfterExpiry"].as_str().unwrap().contains(email),
            "the next query still succeeds: {again}"
        );
        let operations: Vec<&str> = again["operations"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|o| o.as_str())
            .collect();
        assert!(
            operations.contains(&"mutation Refresh"),
            "refreshed first: {operations:?}"
        );
        assert!(
            again["viewerAfterSignOut"]
                .as_str()
                .unwrap()
                .contains("\"viewer\": null"),
            "{again}"
        );
        assert!(
            again["bannerAfterSignOut"]
                .as_str()
                .unwrap()
                .contains("Not signed in"),
            "{again}"
        );
        std::fs::remove_dir_all(&profile).ok();
    }
);
