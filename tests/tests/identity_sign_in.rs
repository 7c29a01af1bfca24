//! Signing in with a mailed magic link, through the public API, on both backends.

use chrono::Duration;
use serde_json::json;
use tests::{TestApp, api_test};

api_test!(
    async fn a_mailed_link_signs_a_new_user_in_and_creates_the_account_once(app: TestApp) {
        let token = app.request_sign_in_link("  Ada@Example.COM ").await;
        let first = app.sign_in_with_link(&token).await;
        let payload = &first.assert_ok()["signInWithLink"];
        assert_eq!(
            payload["user"]["email"], "ada@example.com",
            "the email is normalised"
        );
        assert!(payload["user"]["emailVerified"].is_string());
        let access = payload["accessToken"].as_str().unwrap();
        let viewer = app
            .graphql_as(access, "{ viewer { id email } }", json!({}))
            .await;
        assert_eq!(viewer.assert_ok()["viewer"]["email"], "ada@example.com");

        let again = app.sign_in("ada@example.com").await;
        assert_eq!(
            again.user_id.to_string(),
            payload["user"]["id"].as_str().unwrap(),
            "signing in again finds the same account"
        );
    }
);

api_test!(
    async fn asking_for_a_link_answers_the_same_for_known_and_unknown_addresses(app: TestApp) {
        app.sign_in("known@example.com").await;
        let ask = "mutation($e: String!) { requestSignInLink(input: {email: $e}) { sent } }";
        let known = app
            .graphql_with(ask, json!({ "e": "known@example.com" }))
            .await;
        let unknown = app
            .graphql_with(ask, json!({ "e": "nobody@example.com" }))
            .await;
        assert_eq!(known.body, unknown.body);
        assert_eq!(app.outbox.mails_to("nobody@example.com").len(), 1);
    }
);

api_test!(
    async fn a_link_works_once(app: TestApp) {
        let token = app.request_sign_in_link("once@example.com").await;
        app.sign_in_with_link(&token).await.assert_ok();
        let replay = app.sign_in_with_link(&token).await;
        assert_eq!(replay.error_codes(), ["BAD_USER_INPUT"]);
        assert_eq!(replay.extensions()["reason"], "INVALID_SIGN_IN_LINK");
        assert_eq!(replay.extensions()["field"], "token");
    }
);

api_test!(
    async fn a_link_expires_after_fifteen_minutes(app: TestApp) {
        let token = app.request_sign_in_link("late@example.com").await;
        app.clock
            .advance(Duration::minutes(15) + Duration::seconds(1));
        let late = app.sign_in_with_link(&token).await;
        assert_eq!(late.extensions()["reason"], "SIGN_IN_LINK_EXPIRED");
        let unknown = app.sign_in_with_link("made-up-token").await;
        assert_eq!(unknown.extensions()["reason"], "INVALID_SIGN_IN_LINK");
    }
);

api_test!(
    async fn a_malformed_email_is_bad_input_on_its_field(app: TestApp) {
        let response = app
            .graphql(r#"mutation { requestSignInLink(input: {email: "not an email"}) { sent } }"#)
            .await;
        assert_eq!(response.error_codes(), ["BAD_USER_INPUT"]);
        assert_eq!(response.extensions()["field"], "email");
    }
);

mod rate_limits {
    use super::*;
    use tests::Backend;

    #[tokio::test]
    async fn link_requests_past_the_limit_per_email_are_refused() {
        let app = TestApp::spawn_with(Backend::Sqlite, |config| {
            config.auth.rate_limits.per_email = 2;
        })
        .await;
        let ask = "mutation($e: String!) { requestSignInLink(input: {email: $e}) { sent } }";
        for _ in 0..2 {
            app.graphql_with(ask, json!({ "e": "flood@example.com" }))
                .await
                .assert_ok();
        }
        let refused = app
            .graphql_with(ask, json!({ "e": "flood@example.com" }))
            .await;
        assert_eq!(refused.error_codes(), ["RATE_LIMITED"]);
        assert!(refused.extensions()["retryAfterSeconds"].as_u64().unwrap() >= 1);
        app.graphql_with(ask, json!({ "e": "other@example.com" }))
            .await
            .assert_ok();
    }

    #[tokio::test]
    async fn sign_in_attempts_past_the_limit_per_address_are_refused() {
        let app = TestApp::spawn_with(Backend::Sqlite, |config| {
            config.auth.rate_limits.per_ip = 3;
        })
        .await;
        let mut codes = Vec::new();
        for _ in 0..4 {
            codes.push(app.sign_in_with_link("guess").await.error_codes());
        }
        assert_eq!(codes[0], ["BAD_USER_INPUT"]);
        assert_eq!(
            codes[3],
            ["RATE_LIMITED"],
            "guessing tokens is throttled per IP"
        );
    }
}
