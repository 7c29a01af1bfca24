//! The sign-in cache (PostgreSQL): a repeated request skips the sign-in read, and whatever
//! changes what that read finds (a sign-out, a profile edit, a change made by another
//! program) holds at once on this instance and as soon as the notification lands on another.

use std::time::Duration;

use serde_json::json;
use tests::{Backend, TestApp};

const VIEWER: &str = "{ viewer { id name } }";

/// How long another instance may take to hear of a change (its listener's delivery).
const DELIVERY: Duration = Duration::from_secs(5);

/// Asks `app` as `token` until `done` holds for the answer, up to [`DELIVERY`]; the last answer.
async fn ask_until(
    app: &TestApp,
    token: &str,
    done: impl Fn(&tests::GqlResponse) -> bool,
) -> tests::GqlResponse {
    let deadline = tokio::time::Instant::now() + DELIVERY;
    loop {
        let response = app.graphql_as(token, VIEWER, json!({})).await;
        if done(&response) || tokio::time::Instant::now() >= deadline {
            return response;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

tests::testkit::postgres_half! {
    /// Once a session's sign-in read is remembered, a read sends one statement fewer:
    /// nothing but the answer. (Signing up wrote the user's row, and that change's
    /// notification may land after the first read and make the next one read again.)
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_repeated_request_skips_the_sign_in_read() {
        const PAGE: &str = "{ viewer { habits(first: 5) { totalCount } } }";
        let app = TestApp::spawn(Backend::Postgres).await;
        let user = app.member("cached@example.com").await;
        let (first, first_cost) = app.graphql_counting_as(&user.access_token, PAGE, json!({})).await;
        assert_eq!(first_cost, 2, "the sign-in read and the page");
        let deadline = tokio::time::Instant::now() + DELIVERY;
        let later_cost = loop {
            let (later, cost) = app.graphql_counting_as(&user.access_token, PAGE, json!({})).await;
            assert_eq!(later.assert_ok(), first.assert_ok());
            if cost == 1 || tokio::time::Instant::now() >= deadline {
                break cost;
            }
        };
        assert_eq!(later_cost, 1, "the page alone");
    }
}

tests::testkit::postgres_half! {
    /// Signing out on one instance ends the session on this one and on the other, though
    /// both had just recognised it.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_sign_out_on_one_instance_ends_the_session_on_both() {
        let here = TestApp::spawn(Backend::Postgres).await;
        let there = here.another_instance().await;
        let user = here.member("signed-out@example.com").await;
        for app in [&here, &there] {
            app.graphql_as(&user.access_token, VIEWER, json!({})).await.assert_ok();
        }
        here.graphql_as(&user.access_token, "mutation { signOut { signedOut } }", json!({}))
            .await
            .assert_ok();
        let refused = |r: &tests::GqlResponse| r.error_codes() == ["UNAUTHENTICATED"];
        let here_now = here.graphql_as(&user.access_token, VIEWER, json!({})).await;
        assert!(refused(&here_now), "at once where it signed out: {}", here_now.body);
        let there_now = ask_until(&there, &user.access_token, refused).await;
        assert!(refused(&there_now), "on the other instance: {}", there_now.body);
    }
}

tests::testkit::postgres_half! {
    /// A profile edit on one instance shows in the next read on both.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_profile_edit_on_one_instance_shows_on_both() {
        let here = TestApp::spawn(Backend::Postgres).await;
        let there = here.another_instance().await;
        let user = here.member("renamed@example.com").await;
        for app in [&here, &there] {
            app.graphql_as(&user.access_token, VIEWER, json!({})).await.assert_ok();
        }
        here.graphql_as(
            &user.access_token,
            "mutation { updateProfile(input: {name: \"Ada\"}) { viewer { name } } }",
            json!({}),
        )
        .await
        .assert_ok();
        let named = |r: &tests::GqlResponse| r.data()["viewer"]["name"] == "Ada";
        let here_now = here.graphql_as(&user.access_token, VIEWER, json!({})).await;
        assert!(named(&here_now), "at once where it changed: {}", here_now.body);
        let there_now = ask_until(&there, &user.access_token, named).await;
        assert!(named(&there_now), "on the other instance: {}", there_now.body);
    }
}

tests::testkit::postgres_half! {
    /// A change another program makes to the user's row reaches the cache too (the
    /// database tells every instance, whoever wrote it), and so does ending the session there.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_change_made_outside_the_api_reaches_the_cache() {
        use sea_orm::ConnectionTrait;
        let app = TestApp::spawn(Backend::Postgres).await;
        let user = app.member("outside@example.com").await;
        app.graphql_as(&user.access_token, VIEWER, json!({})).await.assert_ok();
        app.app_db
            .execute_unprepared(&format!(
                "UPDATE users SET name = 'Grace' WHERE id = '{}'",
                user.user_id
            ))
            .await
            .unwrap();
        let named = |r: &tests::GqlResponse| r.data()["viewer"]["name"] == "Grace";
        let renamed = ask_until(&app, &user.access_token, named).await;
        assert!(named(&renamed), "{}", renamed.body);

        app.app_db
            .execute_unprepared(&format!(
                "UPDATE sessions SET expires_at = NOW() - INTERVAL '1 second' WHERE user_id = '{}'",
                user.user_id
            ))
            .await
            .unwrap();
        let refused = |r: &tests::GqlResponse| r.error_codes() == ["UNAUTHENTICATED"];
        let ended = ask_until(&app, &user.access_token, refused).await;
        assert!(refused(&ended), "{}", ended.body);
    }
}
