//! Moving a signed-in user through time: tests set the app's clock instead of sleeping,
//! and an access token lasts 15 minutes of that clock, so a move renews it.
use chrono::{DateTime, Utc};
use serde_json::json;

use crate::{SignedIn, TestApp};

impl TestApp {
    /// Sets the clock to `at` and renews `user`'s tokens there (a session lasts 30 days).
    pub async fn travel(&self, user: &mut SignedIn, at: DateTime<Utc>) {
        self.clock.set(at);
        let response = self
            .graphql_with(
                "mutation($t: String!) { refreshSession(input: {sessionToken: $t}) { accessToken sessionToken user { id } } }",
                json!({ "t": user.session_token }),
            )
            .await;
        *user = SignedIn::from_payload(&response.assert_ok()["refreshSession"]);
    }

    /// Sets `user`'s time zone (IANA name).
    pub async fn set_time_zone(&self, user: &SignedIn, zone: &str) {
        self.graphql_as(
            &user.access_token,
            "mutation($z: String!) { updateSettings(input: {timeZone: $z}) { settings { timeZone } } }",
            json!({ "z": zone }),
        )
        .await
        .assert_ok();
    }
}
