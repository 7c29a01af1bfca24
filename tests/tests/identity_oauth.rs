//! OAuth sign-in end to end against a fake provider served by the test: PKCE, the CSRF
//! state, account linking, and each way it must refuse.

use chrono::Duration;
use entity::accounts;
use sea_orm::EntityTrait;
use serde_json::{Value, json};
use tests::{Backend, FakeProvider, Profile, TestApp, backend_test};

const CALLBACK: &str = "http://localhost:3000/oauth/callback";

async fn app_with(backend: Backend, provider: &FakeProvider) -> TestApp {
    let settings = provider.settings("acme");
    TestApp::spawn_with(backend, move |config| {
        config.auth.oauth.providers = vec![settings];
        config.auth.oauth.allowed_redirect_uris = vec![CALLBACK.into()];
    })
    .await
}

async fn start(app: &TestApp) -> (String, String) {
    let response = app
        .graphql_with(
            "mutation($r: String!) { startOAuthSignIn(input: {provider: \"acme\", redirectUri: $r}) { authorizationUrl state } }",
            json!({ "r": CALLBACK }),
        )
        .await;
    let payload = response.assert_ok()["startOAuthSignIn"].clone();
    (
        payload["authorizationUrl"].as_str().unwrap().to_owned(),
        payload["state"].as_str().unwrap().to_owned(),
    )
}

async fn complete(app: &TestApp, state: &str, code: &str) -> tests::GqlResponse {
    app.graphql_with(
        "mutation($s: String!, $c: String!) { completeOAuthSignIn(input: {state: $s, code: $c}) { accessToken sessionToken user { id email emailVerified } } }",
        json!({ "s": state, "c": code }),
    )
    .await
}

fn reason(response: &tests::GqlResponse) -> Value {
    response.extensions()["reason"].clone()
}

backend_test!(
    async fn a_new_user_signs_in_through_the_provider_with_pkce(backend: Backend) {
        let provider = FakeProvider::start().await;
        let app = app_with(backend, &provider).await;
        let listed = app.graphql("{ oauthProviders }").await;
        assert_eq!(listed.assert_ok()["oauthProviders"], json!(["acme"]));

        let (url, state) = start(&app).await;
        assert!(url.contains(&format!("state={state}")));
        let code = provider.approve(&url, Profile::verified("acme-1", "New@Example.com"));
        let response = complete(&app, &state, &code).await;
        let signed_in = response.assert_ok()["completeOAuthSignIn"].clone();
        assert_eq!(signed_in["user"]["email"], "new@example.com");
        assert!(signed_in["user"]["emailVerified"].is_string());
        let viewer = app
            .graphql_as(
                signed_in["accessToken"].as_str().unwrap(),
                "{ viewer { email } }",
                json!({}),
            )
            .await;
        assert_eq!(viewer.assert_ok()["viewer"]["email"], "new@example.com");

        let linked = accounts::Entity::find()
            .all(&app.database.db)
            .await
            .unwrap();
        assert_eq!(linked.len(), 1);
        assert_eq!(
            (
                linked[0].provider.as_str(),
                linked[0].provider_account_id.as_str()
            ),
            ("acme", "acme-1")
        );
        assert!(
            linked[0].access_token.is_none() && linked[0].refresh_token.is_none(),
            "provider tokens are not kept"
        );
        let audit = app.audit_events().await;
        assert!(
            audit
                .iter()
                .any(|e| e.event_type == "sign_in"
                    && e.details.as_ref().unwrap()["method"] == "oauth")
        );
        assert!(
            !app.database.contains_text(&state).await,
            "the state is kept only as its digest"
        );
    }
);

backend_test!(
    async fn an_existing_user_with_the_same_verified_email_is_linked_not_duplicated(
        backend: Backend,
    ) {
        let provider = FakeProvider::start().await;
        let app = app_with(backend, &provider).await;
        let by_link = app.sign_in("linked@example.com").await;

        for _ in 0..2 {
            let (url, state) = start(&app).await;
            let code = provider.approve(&url, Profile::verified("acme-7", "linked@example.com"));
            let response = complete(&app, &state, &code).await;
            let user_id = response.assert_ok()["completeOAuthSignIn"]["user"]["id"].clone();
            assert_eq!(user_id, json!(by_link.user_id.to_string()));
        }
        assert_eq!(
            accounts::Entity::find()
                .all(&app.database.db)
                .await
                .unwrap()
                .len(),
            1
        );
    }
);

backend_test!(
    async fn an_unverified_email_never_takes_over_an_existing_account(backend: Backend) {
        let provider = FakeProvider::start().await;
        let app = app_with(backend, &provider).await;
        app.sign_in("victim@example.com").await;
        let (url, state) = start(&app).await;
        let profile = Profile {
            email_verified: false,
            ..Profile::verified("acme-evil", "victim@example.com")
        };
        let code = provider.approve(&url, profile);
        let response = complete(&app, &state, &code).await;
        assert_eq!(response.error_codes(), ["CONFLICT"]);
        assert_eq!(reason(&response), "OAUTH_EMAIL_UNVERIFIED");
        assert!(
            accounts::Entity::find()
                .all(&app.database.db)
                .await
                .unwrap()
                .is_empty()
        );
    }
);

backend_test!(
    async fn a_state_works_once_and_only_for_ten_minutes(backend: Backend) {
        let provider = FakeProvider::start().await;
        let app = app_with(backend, &provider).await;
        let (url, state) = start(&app).await;
        let code = provider.approve(&url, Profile::verified("acme-2", "once@example.com"));
        complete(&app, &state, &code).await.assert_ok();
        let reused = complete(&app, &state, &code).await;
        assert_eq!(reused.error_codes(), ["UNAUTHENTICATED"]);
        assert_eq!(reason(&reused), "OAUTH_STATE_INVALID");

        let forged = complete(&app, "a-state-we-never-issued", &code).await;
        assert_eq!(reason(&forged), "OAUTH_STATE_INVALID");

        let (url, state) = start(&app).await;
        let code = provider.approve(&url, Profile::verified("acme-2", "once@example.com"));
        app.clock
            .advance(Duration::minutes(10) + Duration::seconds(1));
        let late = complete(&app, &state, &code).await;
        assert_eq!(reason(&late), "OAUTH_STATE_INVALID");
    }
);

backend_test!(
    async fn a_code_issued_for_another_state_is_refused_by_the_provider_for_its_verifier(
        backend: Backend,
    ) {
        let provider = FakeProvider::start().await;
        let app = app_with(backend, &provider).await;
        let (url_a, _state_a) = start(&app).await;
        let (_url_b, state_b) = start(&app).await;
        // The code is bound to A's challenge; completing with B sends B's verifier.
        let code = provider.approve(&url_a, Profile::verified("acme-3", "swap@example.com"));
        let response = complete(&app, &state_b, &code).await;
        assert_eq!(response.error_codes(), ["UNAUTHENTICATED"]);
        assert_eq!(reason(&response), "OAUTH_EXCHANGE_FAILED");
        assert_eq!(
            provider.refused_verifiers(),
            1,
            "the provider itself refused the verifier"
        );
        let audit = app.audit_events().await;
        assert!(audit.iter().any(|e| e.event_type == "sign_in_failed"));
    }
);

backend_test!(
    async fn only_configured_providers_and_allowed_callback_pages_may_start(backend: Backend) {
        let provider = FakeProvider::start().await;
        let app = app_with(backend, &provider).await;
        let attempt = "mutation($p: String!, $r: String!) { startOAuthSignIn(input: {provider: $p, redirectUri: $r}) { state } }";
        let elsewhere = app
            .graphql_with(
                attempt,
                json!({ "p": "acme", "r": "https://evil.example/steal" }),
            )
            .await;
        assert_eq!(elsewhere.extensions()["field"], "redirectUri");
        let unknown = app
            .graphql_with(attempt, json!({ "p": "myspace", "r": CALLBACK }))
            .await;
        assert_eq!(unknown.extensions()["field"], "provider");
    }
);
