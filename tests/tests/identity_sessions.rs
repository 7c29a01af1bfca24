//! Sessions: access tokens, rotation on refresh, theft detection, sign-out, revocation,
//! and the audit trail of each step.

use chrono::Duration;
use serde_json::json;
use tests::{SignedIn, TestApp, api_test};

const REFRESH: &str = "mutation($t: String!) { refreshSession(input: {sessionToken: $t}) { accessToken sessionToken expiresAt sessionExpiresAt user { id } } }";

async fn refresh(app: &TestApp, session_token: &str) -> tests::GqlResponse {
    app.graphql_with(REFRESH, json!({ "t": session_token }))
        .await
}

async fn viewer_code(app: &TestApp, access_token: &str) -> Option<String> {
    let response = app
        .graphql_as(access_token, "{ viewer { id } }", json!({}))
        .await;
    response.error_codes().first().cloned()
}

api_test!(
    async fn refreshing_rotates_the_pair_and_replaying_an_old_token_ends_the_chain(app: TestApp) {
        let first = app.sign_in("rotate@example.com").await;
        app.clock.advance(Duration::minutes(1));
        let second = SignedIn::from_payload(
            &refresh(&app, &first.session_token).await.assert_ok()["refreshSession"],
        );
        assert_ne!(second.session_token, first.session_token);
        assert_eq!(viewer_code(&app, &second.access_token).await, None);
        assert_eq!(
            viewer_code(&app, &first.access_token).await.as_deref(),
            Some("UNAUTHENTICATED"),
            "the rotated-away session's access token stops working"
        );

        app.clock.advance(Duration::minutes(1));
        let third = SignedIn::from_payload(
            &refresh(&app, &second.session_token).await.assert_ok()["refreshSession"],
        );

        // Someone replays the first token: theft. Every session of the chain ends.
        let replay = refresh(&app, &first.session_token).await;
        assert_eq!(replay.error_codes(), ["UNAUTHENTICATED"]);
        assert_eq!(replay.extensions()["reason"], "SESSION_REUSE_DETECTED");
        assert_eq!(
            viewer_code(&app, &third.access_token).await.as_deref(),
            Some("UNAUTHENTICATED")
        );
        assert_eq!(
            refresh(&app, &third.session_token).await.error_codes(),
            ["UNAUTHENTICATED"]
        );

        let events: Vec<String> = app
            .audit_events()
            .await
            .into_iter()
            .map(|e| e.event_type)
            .collect();
        assert_eq!(
            events,
            [
                "sign_in",
                "session_refreshed",
                "session_refreshed",
                "session_reuse_detected",
                "session_refresh_failed"
            ]
        );
    }
);

api_test!(
    async fn every_step_is_audited_with_its_request(app: TestApp) {
        let user = app.sign_in("audited@example.com").await;
        app.sign_in_with_link("wrong").await;
        let refreshed = SignedIn::from_payload(
            &refresh(&app, &user.session_token).await.assert_ok()["refreshSession"],
        );
        let other = app.sign_in("audited@example.com").await;
        app.graphql_as(
            &refreshed.access_token,
            "mutation($id: UUID!) { revokeSession(input: {id: $id}) { session { id } } }",
            json!({ "id": session_id(&app, &other).await }),
        )
        .await
        .assert_ok();
        app.graphql_as(
            &refreshed.access_token,
            "mutation { signOut { signedOut } }",
            json!({}),
        )
        .await
        .assert_ok();

        let events = app.audit_events().await;
        let summary: Vec<(&str, &str)> = events
            .iter()
            .map(|e| (e.event_type.as_str(), e.status.as_str()))
            .collect();
        assert_eq!(
            summary,
            [
                ("sign_in", "success"),
                ("sign_in_failed", "failure"),
                ("session_refreshed", "success"),
                ("sign_in", "success"),
                ("session_revoked", "success"),
                ("sign_out", "success"),
            ]
        );
        assert_eq!(events[0].details.as_ref().unwrap()["method"], "magic_link");
        for event in &events {
            assert!(
                event.request_id.is_some(),
                "{} names its request",
                event.event_type
            );
            assert_eq!(event.ip_address.as_deref(), Some("127.0.0.1"));
            assert_eq!(event.user_agent.as_deref(), Some("apptest/1.0"));
        }
    }
);

async fn session_id(app: &TestApp, user: &SignedIn) -> String {
    let response = app
        .graphql_as(
            &user.access_token,
            "{ viewer { sessions { id current } } }",
            json!({}),
        )
        .await;
    let sessions = response.assert_ok()["viewer"]["sessions"]
        .as_array()
        .unwrap()
        .clone();
    sessions
        .iter()
        .find(|s| s["current"] == true)
        .and_then(|s| s["id"].as_str())
        .unwrap()
        .to_owned()
}

api_test!(
    async fn a_user_lists_and_revokes_their_sessions_but_never_anothers(app: TestApp) {
        let laptop = app.sign_in("devices@example.com").await;
        let phone = app.sign_in("devices@example.com").await;
        let stranger = app.sign_in("stranger@example.com").await;
        let listed = app
            .graphql_as(
                &laptop.access_token,
                "{ viewer { sessions { id current userAgent } } }",
                json!({}),
            )
            .await;
        let sessions = listed.assert_ok()["viewer"]["sessions"]
            .as_array()
            .unwrap()
            .clone();
        assert_eq!(sessions.len(), 2);
        assert_eq!(sessions.iter().filter(|s| s["current"] == true).count(), 1);

        let phone_session = session_id(&app, &phone).await;
        let revoke =
            "mutation($id: UUID!) { revokeSession(input: {id: $id}) { session { id expiresAt } } }";
        let theirs = app
            .graphql_as(
                &stranger.access_token,
                revoke,
                json!({ "id": phone_session }),
            )
            .await;
        assert_eq!(
            theirs.error_codes(),
            ["NOT_FOUND"],
            "another user's session is invisible"
        );
        assert_eq!(viewer_code(&app, &phone.access_token).await, None);

        app.graphql_as(&laptop.access_token, revoke, json!({ "id": phone_session }))
            .await
            .assert_ok();
        assert_eq!(
            viewer_code(&app, &phone.access_token).await.as_deref(),
            Some("UNAUTHENTICATED")
        );
        assert_eq!(
            refresh(&app, &phone.session_token).await.error_codes(),
            ["UNAUTHENTICATED"]
        );
        let left = app
            .graphql_as(
                &laptop.access_token,
                "{ viewer { sessions { id } } }",
                json!({}),
            )
            .await;
        assert_eq!(
            left.assert_ok()["viewer"]["sessions"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
    }
);

api_test!(
    async fn signing_out_ends_the_session_at_once(app: TestApp) {
        let user = app.sign_in("bye@example.com").await;
        app.graphql_as(
            &user.access_token,
            "mutation { signOut { signedOut } }",
            json!({}),
        )
        .await
        .assert_ok();
        assert_eq!(
            viewer_code(&app, &user.access_token).await.as_deref(),
            Some("UNAUTHENTICATED")
        );
        assert_eq!(
            refresh(&app, &user.session_token).await.error_codes(),
            ["UNAUTHENTICATED"]
        );
        let anonymous = app.graphql("mutation { signOut { signedOut } }").await;
        assert_eq!(anonymous.error_codes(), ["UNAUTHENTICATED"]);
    }
);

api_test!(
    async fn an_access_token_expires_after_fifteen_minutes_and_a_refresh_renews_it(app: TestApp) {
        let user = app.sign_in("clock@example.com").await;
        app.clock.advance(Duration::minutes(15));
        let expired = app
            .graphql_as(&user.access_token, "{ viewer { id } }", json!({}))
            .await;
        assert_eq!(expired.error_codes(), ["UNAUTHENTICATED"]);
        assert_eq!(expired.extensions()["reason"], "ACCESS_TOKEN_EXPIRED");
        let renewed = SignedIn::from_payload(
            &refresh(&app, &user.session_token).await.assert_ok()["refreshSession"],
        );
        assert_eq!(viewer_code(&app, &renewed.access_token).await, None);

        app.clock.advance(Duration::days(31));
        let stale = refresh(&app, &renewed.session_token).await;
        assert_eq!(
            stale.error_codes(),
            ["UNAUTHENTICATED"],
            "a session lasts 30 days"
        );
    }
);

api_test!(
    async fn forged_and_malformed_tokens_are_unauthenticated(app: TestApp) {
        let user = app.sign_in("forge@example.com").await;
        let mut forged = user.access_token.clone();
        forged.pop();
        forged.push(if user.access_token.ends_with('A') {
            'B'
        } else {
            'A'
        });
        for token in [
            forged.as_str(),
            "not-a-jwt",
            "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.",
        ] {
            assert_eq!(
                viewer_code(&app, token).await.as_deref(),
                Some("UNAUTHENTICATED"),
                "{token}"
            );
        }
    }
);

api_test!(
    async fn no_token_handed_to_a_client_is_stored(app: TestApp) {
        let link = app.request_sign_in_link("secret@example.com").await;
        let response = app.sign_in_with_link(&link).await;
        let first = SignedIn::from_payload(&response.assert_ok()["signInWithLink"]);
        let second = SignedIn::from_payload(
            &refresh(&app, &first.session_token).await.assert_ok()["refreshSession"],
        );
        for token in [
            &link,
            &first.access_token,
            &first.session_token,
            &second.access_token,
            &second.session_token,
        ] {
            assert!(
                !app.database.contains_text(token).await,
                "a raw token is stored"
            );
        }
        assert!(
            app.database.contains_text("secret@example.com").await,
            "the search itself works"
        );
    }
);

api_test!(
    async fn activity_is_kept_current_without_a_write_per_request(app: TestApp) {
        let user = app.sign_in("active@example.com").await;
        let at_sign_in = last_activity(&app, &user).await;
        app.clock.advance(Duration::minutes(1));
        assert_eq!(
            last_activity(&app, &user).await,
            at_sign_in,
            "a minute later nothing was written"
        );
        app.clock.advance(Duration::minutes(5));
        let moved = last_activity(&app, &user).await;
        assert_ne!(moved, at_sign_in, "after the interval it moves");

        // Both rows hold the new stamp: the session, as the user's device list shows it,
        // and the user, as an admin reads them.
        let sessions = app
            .graphql_as(
                &user.access_token,
                "{ viewer { sessions { current lastActivityAt } } }",
                json!({}),
            )
            .await;
        let sessions = sessions.assert_ok()["viewer"]["sessions"].clone();
        let current = sessions
            .as_array()
            .unwrap()
            .iter()
            .find(|session| session["current"] == true)
            .expect("the current session is listed");
        assert_eq!(current["lastActivityAt"], moved.as_str());
        let admin = app.admin().await;
        let listed = app
            .graphql_as(
                &admin.access_token,
                "{ users(filter: {email: \"active@\"}) { nodes { email lastActivityAt } } }",
                json!({}),
            )
            .await;
        assert_eq!(
            listed.assert_ok()["users"]["nodes"],
            json!([{ "email": "active@example.com", "lastActivityAt": moved }])
        );
    }
);

async fn last_activity(app: &TestApp, user: &SignedIn) -> String {
    let response = app
        .graphql_as(
            &user.access_token,
            "{ viewer { lastActivityAt } }",
            json!({}),
        )
        .await;
    response.assert_ok()["viewer"]["lastActivityAt"]
        .as_str()
        .unwrap()
        .to_owned()
}

api_test!(
    async fn the_user_reads_their_own_security_log_page_by_page(app: TestApp) {
        let first = app.sign_in("log@example.com").await;
        refresh(&app, &first.session_token).await.assert_ok();
        refresh(&app, &first.session_token).await; // the replay: theft detected
        let again = app.sign_in("log@example.com").await;
        app.sign_in("someone-else@example.com").await;

        let query = "query($after: String) { viewer { securityLog(first: 2, after: $after) { \
                     totalCount pageInfo { hasNextPage endCursor } edges { node { eventType status } } } } }";
        let page = |after: serde_json::Value| {
            let token = again.access_token.clone();
            let app = &app;
            async move {
                let response = app
                    .graphql_as(&token, query, json!({ "after": after }))
                    .await;
                response.assert_ok()["viewer"]["securityLog"].clone()
            }
        };
        let one = page(json!(null)).await;
        assert_eq!(one["totalCount"], 4, "only this user's events");
        let events = |page: &serde_json::Value| -> Vec<String> {
            page["edges"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["node"]["eventType"].as_str().unwrap().to_owned())
                .collect()
        };
        assert_eq!(
            events(&one),
            ["sign_in", "session_reuse_detected"],
            "newest first"
        );
        assert_eq!(one["pageInfo"]["hasNextPage"], true);
        let two = page(one["pageInfo"]["endCursor"].clone()).await;
        assert_eq!(events(&two), ["session_refreshed", "sign_in"]);
        assert_eq!(two["pageInfo"]["hasNextPage"], false);

        let forged = app
            .graphql_as(&again.access_token, query, json!({ "after": "bm9wZQ" }))
            .await;
        assert_eq!(forged.extensions()["field"], "after");
    }
);
