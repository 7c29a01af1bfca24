//! The focus operations the scenarios repeat, spoken as a client would.
use chrono::Duration;
use serde_json::{Value, json};
use tests::{GqlResponse, SignedIn, TestApp};

/// Every field of a session a scenario looks at.
pub const SESSION: &str = "id mode status durationSeconds remainingSeconds focusedSeconds isPaused startedAt pausedAt endsAt expiresAt completedAt abandonedAt version lastChange xpAwarded coinsAwarded taskId taskTitle";

/// `subscription { focusSession }` selecting `SESSION`.
pub fn subscription() -> String {
    format!("subscription {{ focusSession {{ {SESSION} }} }}")
}

/// `startFocusSession`, as sent.
pub async fn try_start(app: &TestApp, user: &SignedIn, input: Value) -> GqlResponse {
    let query = format!(
        "mutation($input: StartFocusSessionInput!) {{ startFocusSession(input: $input) {{ session {{ {SESSION} }} }} }}"
    );
    app.graphql_as(&user.access_token, &query, json!({ "input": input }))
        .await
}

/// Starts a work session of `seconds`; returns it.
pub async fn start(app: &TestApp, user: &SignedIn, seconds: i32) -> Value {
    let response = try_start(
        app,
        user,
        json!({ "mode": "WORK", "durationSeconds": seconds }),
    )
    .await;
    response.assert_ok()["startFocusSession"]["session"].clone()
}

/// `<name>FocusSession` (pause, resume, complete, abandon) on `session`, or the active one.
pub async fn try_move(
    app: &TestApp,
    user: &SignedIn,
    name: &str,
    session: Option<&Value>,
) -> GqlResponse {
    let extra = if name == "complete" {
        "repeated unlockedAchievements"
    } else {
        ""
    };
    let query = format!(
        "mutation($input: FocusSessionTargetInput) {{ {name}FocusSession(input: $input) {{ session {{ {SESSION} }} {extra} }} }}"
    );
    let input = session.map(|id| json!({ "sessionId": id }));
    app.graphql_as(&user.access_token, &query, json!({ "input": input }))
        .await
}

/// A move that must succeed; returns its payload.
pub async fn moved(app: &TestApp, user: &SignedIn, name: &str) -> Value {
    let response = try_move(app, user, name, None).await;
    response.assert_ok()[format!("{name}FocusSession")].clone()
}

/// The code and reason of a response's one error.
pub fn refusal(response: &GqlResponse) -> (String, String) {
    let extensions = response.extensions();
    (
        extensions["code"].as_str().unwrap_or("<none>").to_owned(),
        extensions["reason"].as_str().unwrap_or("<none>").to_owned(),
    )
}

/// Moves the app's clock on by `seconds`, renewing `user`'s tokens there.
pub async fn advance(app: &TestApp, user: &mut SignedIn, seconds: i64) {
    let at = schema::domain::Clock::now(app.clock.as_ref()) + Duration::seconds(seconds);
    app.travel(user, at).await;
}

/// The viewer's active session (null when none).
pub async fn active(app: &TestApp, user: &SignedIn) -> Value {
    let query = format!("{{ viewer {{ activeFocusSession {{ {SESSION} }} }} }}");
    let response = app.graphql_as(&user.access_token, &query, json!({})).await;
    response.assert_ok()["viewer"]["activeFocusSession"].clone()
}

/// Lifetime XP and coins now.
pub async fn balance(app: &TestApp, user: &SignedIn) -> (i64, i64) {
    let response = app
        .graphql_as(
            &user.access_token,
            "{ viewer { progress { totalXp } wallet { coins } } }",
            json!({}),
        )
        .await;
    let viewer = &response.assert_ok()["viewer"];
    (
        viewer["progress"]["totalXp"].as_i64().unwrap(),
        viewer["wallet"]["coins"].as_i64().unwrap(),
    )
}
