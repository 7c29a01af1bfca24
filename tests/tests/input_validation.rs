//! Every input is checked once, alike on both backends: control characters, lengths,
//! search patterns, and strict dates in the years 1900–9999 are refused as BAD_USER_INPUT
//! naming the field, never stored or sent to the database.

use serde_json::{Value, json};
use tests::{GqlResponse, api_test};

/// The `(code, field)` of the first error.
fn refusal(response: &GqlResponse) -> (String, String) {
    let error = response.extensions();
    (
        error["code"].as_str().unwrap_or("<none>").to_owned(),
        error["field"].as_str().unwrap_or("<none>").to_owned(),
    )
}

fn bad(field: &str) -> (String, String) {
    ("BAD_USER_INPUT".to_owned(), field.to_owned())
}

const CREATE_HABIT: &str = "mutation($name: String!, $description: String) { \
    createHabit(input: {name: $name, description: $description}) { habit { name description } } }";

api_test!(
    async fn control_characters_are_refused_by_field_and_line_breaks_kept_in_descriptions(
        app: TestApp,
    ) {
        let anonymous = app
            .graphql_with(
                "mutation($e: String!) { requestSignInLink(input: {email: $e}) { sent } }",
                json!({ "e": "a\u{0}@example.com" }),
            )
            .await;
        assert_eq!(refusal(&anonymous), bad("email"));
        let literal = app
            .graphql(r#"mutation { beginPasskeySignIn(input: {email: "x\u0000@example.com"}) { ceremonyId } }"#)
            .await;
        assert_eq!(refusal(&literal), bad("email"));

        let member = app.member("text@example.com").await;
        let as_member = |vars: Value| app.graphql_as(&member.access_token, CREATE_HABIT, vars);
        for name in ["Run\u{0}", "Run\nfast", "Bell\u{7}"] {
            assert_eq!(
                refusal(&as_member(json!({ "name": name })).await),
                bad("name")
            );
        }
        let escaped = as_member(json!({ "name": "Run", "description": "a\u{1b}[31m" })).await;
        assert_eq!(refusal(&escaped), bad("description"));
        let kept = as_member(json!({ "name": "Run", "description": "line one\n\tline two" })).await;
        assert_eq!(
            kept.assert_ok()["createHabit"]["habit"]["description"],
            "line one\n\tline two"
        );
    }
);

api_test!(
    async fn every_text_field_is_bounded(app: TestApp) {
        let member = app.member("long@example.com").await;
        let long_name = "x".repeat(201);
        let refused = app
            .graphql_as(
                &member.access_token,
                CREATE_HABIT,
                json!({ "name": long_name }),
            )
            .await;
        assert_eq!(refusal(&refused), bad("name"));

        let admin = app.admin().await;
        let role = app
            .graphql_as(
                &admin.access_token,
                "mutation($d: String) { createRole(input: {name: \"big\", description: $d, entitlements: []}) { role { name } } }",
                json!({ "d": "d".repeat(100_000) }),
            )
            .await;
        assert_eq!(refusal(&role), bad("description"));
    }
);

api_test!(
    async fn the_admin_email_search_is_literal_and_bounded(app: TestApp) {
        let admin = app.admin().await;
        app.member("under_score@example.com").await;
        app.member("underXscore@example.com").await;
        let search = |email: String| {
            app.graphql_as(
                &admin.access_token,
                "query($e: String) { users(filter: {email: $e}) { nodes { email } } }",
                json!({ "e": email }),
            )
        };
        let found = search("under_".into()).await;
        assert_eq!(
            found.assert_ok()["users"]["nodes"],
            json!([{ "email": "under_score@example.com" }]),
            "`_` matches itself only"
        );
        let everyone = search("%".into()).await;
        assert_eq!(everyone.assert_ok()["users"]["nodes"], json!([]));
        assert_eq!(refusal(&search("a".repeat(100_000)).await), bad("email"));
    }
);

api_test!(
    async fn dates_are_strict_iso_within_the_years_1900_to_9999(app: TestApp) {
        let member = app.member("dates@example.com").await;
        let ask =
            |query: &'static str, vars: Value| app.graphql_as(&member.access_token, query, vars);
        let stats = "query($f: Date, $t: Date) { viewer { focusStats(from: $f, to: $t) { totalFocusSeconds } } }";
        for from in [
            "+262142-12-25",
            "2026-1-1",
            "  2026-01-01",
            "1899-12-31",
            "2026-02-30",
        ] {
            let answer = ask(stats, json!({ "f": from, "t": "2026-01-31" })).await;
            assert_eq!(refusal(&answer), bad("from"), "{from}");
        }
        let literal = app
            .graphql_as(
                &member.access_token,
                r#"{ viewer { focusStats(from: "+262142-12-25", to: "+262142-12-31") { totalFocusSeconds } } }"#,
                json!({}),
            )
            .await;
        assert_eq!(refusal(&literal), bad("from"));
        ask(stats, json!({ "f": "2026-01-01", "t": "2026-01-31" }))
            .await
            .assert_ok();

        let goal = ask(
            "mutation($d: Date) { createGoal(input: {title: \"g\", targetDate: $d}) { goal { id } } }",
            json!({ "d": "-262143-01-01" }),
        )
        .await;
        assert_eq!(refusal(&goal), bad("targetDate"));

        let activity = "query($f: DateTime) { viewer { activity(filter: {from: $f}) { nodes { eventType } } } }";
        for from in [
            "1800-01-01T00:00:00Z",
            "+262142-01-01T00:00:00Z",
            "2026-01-01",
            "2026-01-01T00:00:00",
        ] {
            assert_eq!(
                refusal(&ask(activity, json!({ "f": from })).await),
                bad("from"),
                "{from}"
            );
        }
        ask(activity, json!({ "f": "2026-01-01T00:00:00+02:00" }))
            .await
            .assert_ok();
    }
);

api_test!(
    async fn confirm_age_refuses_year_zero(app: TestApp) {
        let member = app.member("age@example.com").await;
        let answer = app
            .graphql_as(
                &member.access_token,
                "mutation { confirmAge(input: {birthDate: \"0000-01-01\"}) { __typename } }",
                json!({}),
            )
            .await;
        assert_eq!(refusal(&answer), bad("birthDate"));
    }
);
