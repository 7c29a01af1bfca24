//! What a newcomer meets in the first ten minutes, through the API on both backends:
//! answers in the order asked, errors that name the mutation that clears them (signing
//! in, an expired access token, every closed gate at once, no line-0 locations), versions
//! as strings of digits and every `Int` within 32 bits.

use schema::domain::Clock;
use serde_json::{Value, json};
use tests::{TestApp, api_test};

/// Every number anywhere in `value`.
fn numbers(value: &Value, found: &mut Vec<(String, i64)>, path: &str) {
    match value {
        Value::Number(n) => found.push((path.to_owned(), n.as_i64().unwrap_or(i64::MAX))),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .for_each(|(i, v)| numbers(v, found, &format!("{path}[{i}]"))),
        Value::Object(fields) => fields
            .iter()
            .for_each(|(k, v)| numbers(v, found, &format!("{path}.{k}"))),
        _ => {}
    }
}

api_test!(
    async fn fields_come_back_in_the_order_they_were_asked(app: TestApp) {
        // 15 fields over three levels, none in alphabetical order, with nested objects that
        // resolve concurrently.
        let user = app.member("order@example.com").await;
        let query = "{ viewer { tosVersion id email progress { xpToNextLevel totalXp level } name wallet { totalSpent coins } createdAt streaks { type current } approved ageVerified } }";
        let response = app.graphql_as(&user.access_token, query, json!({})).await;
        response.assert_ok();
        let text = &response.text;
        let at = |key: &str| {
            text.find(&format!("\"{key}\":"))
                .unwrap_or_else(|| panic!("{key} in {text}"))
        };
        let asked = [
            "tosVersion",
            "id",
            "email",
            "progress",
            "xpToNextLevel",
            "totalXp",
            "level",
            "name",
            "wallet",
            "totalSpent",
            "coins",
            "createdAt",
            "streaks",
            "approved",
            "ageVerified",
        ];
        let positions: Vec<usize> = asked.iter().map(|key| at(key)).collect();
        assert!(
            positions.windows(2).all(|w| w[0] < w[1]),
            "in the order asked: {text}"
        );
    }
);

api_test!(
    async fn errors_name_the_mutation_that_clears_them(app: TestApp) {
        let anonymous = app
            .graphql("mutation { createHabit(input: {name: \"Read\"}) { habit { id } } }")
            .await;
        let ext = anonymous.extensions().clone();
        assert_eq!(
            (
                ext["code"].clone(),
                ext["reason"].clone(),
                ext["mutation"].clone()
            ),
            (
                json!("UNAUTHENTICATED"),
                json!("SIGN_IN_REQUIRED"),
                json!("requestSignInLink")
            )
        );
        let message = anonymous.body["errors"][0]["message"].as_str().unwrap();
        assert!(
            message.contains("requestSignInLink") && message.contains("signInWithLink"),
            "{message}"
        );

        // Signed in, no gate passed: every closed gate at once, each with its mutation.
        let newcomer = app.sign_in("gates@example.com").await;
        let gated = app
            .graphql_as(
                &newcomer.access_token,
                "mutation { createHabit(input: {name: \"Read\"}) { habit { id } } }",
                json!({}),
            )
            .await;
        assert_eq!(gated.extensions()["code"], "FORBIDDEN");
        assert_eq!(
            gated.extensions()["unmet"],
            json!([
                {"gate": "TERMS_NOT_ACCEPTED", "mutation": "acceptTerms"},
                {"gate": "AGE_NOT_CONFIRMED", "mutation": "confirmAge"}
            ])
        );
        let message = gated.body["errors"][0]["message"].as_str().unwrap();
        assert!(
            message.contains("acceptTerms") && message.contains("confirmAge"),
            "{message}"
        );

        // An access token past its 15 minutes: told apart from an invalid one, with no
        // line-0 location.
        app.clock
            .set(app.clock.now() + chrono::Duration::minutes(16));
        let expired = app
            .graphql_as(&newcomer.access_token, "{ viewer { id } }", json!({}))
            .await;
        let error = &expired.body["errors"][0];
        assert_eq!(
            (
                error["extensions"]["reason"].clone(),
                error["extensions"]["mutation"].clone()
            ),
            (json!("ACCESS_TOKEN_EXPIRED"), json!("refreshSession"))
        );
        assert!(
            error.get("locations").is_none(),
            "no line-0 location: {error}"
        );
        let forged = app
            .graphql_as("not-a-token", "{ viewer { id } }", json!({}))
            .await;
        assert_eq!(forged.extensions()["reason"], "INVALID_TOKEN");
        assert!(forged.body["errors"][0].get("locations").is_none());
    }
);

api_test!(
    async fn versions_are_strings_of_digits_and_every_int_fits_32_bits(app: TestApp) {
        let mut user = app.member("ints@example.com").await;
        app.focus_for(&mut user, 25).await;
        let query = "{ viewer { progress { totalXp level xpIntoLevel xpForLevel xpToNextLevel totalSkillStars } wallet { coins totalEarned totalSpent } streaks { current longest } focusStats { totalFocusSeconds sessionsCompleted byDay { focusSeconds } } focusSessions(first: 5) { totalCount edges { node { version durationSeconds remainingSeconds xpAwarded coinsAwarded } } } ledger(first: 5) { totalCount edges { node { xp coins } } } } }";
        let response = app.graphql_as(&user.access_token, query, json!({})).await;
        let data = response.assert_ok();
        let version = &data["viewer"]["focusSessions"]["edges"][0]["node"]["version"];
        let digits = version.as_str().unwrap();
        assert!(
            digits.len() > 10 && digits.bytes().all(|b| b.is_ascii_digit()),
            "{version}"
        );
        let mut found = Vec::new();
        numbers(data, &mut found, "");
        assert!(found.len() > 15, "{found:?}");
        let wide: Vec<_> = found
            .iter()
            .filter(|(_, n)| i32::try_from(*n).is_err())
            .collect();
        assert!(wide.is_empty(), "beyond GraphQL's 32-bit Int: {wide:?}");
        // Every Int field of the schema resolves to an i32; Version is not an Int.
        let sdl =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../schema.graphql"))
                .unwrap();
        assert!(
            sdl.contains("version: Version!") && sdl.contains("since: Version"),
            "Version in the SDL"
        );
    }
);

/// The newest ledger row's `(eventType, xp, coins, skillStars)`.
async fn newest_entry(app: &TestApp, token: &str) -> (Value, Value, Value, Value) {
    let data = app
        .graphql_as(
            token,
            "{ viewer { ledger(first: 1) { edges { node { eventType xp coins skillStars } } } } }",
            json!({}),
        )
        .await;
    let node = data.assert_ok()["viewer"]["ledger"]["edges"][0]["node"].clone();
    (
        node["eventType"].clone(),
        node["xp"].clone(),
        node["coins"].clone(),
        node["skillStars"].clone(),
    )
}

api_test!(
    async fn every_rewarding_mutation_says_what_it_earned(app: TestApp) {
        let user = app.member("earned@example.com").await;
        let token = user.access_token.as_str();
        const REWARD: &str = "reward { xp coins stars skill levelUp unlockedAchievements }";

        let habit = app
            .graphql_as(
                token,
                "mutation { createHabit(input: {name: \"Read\"}) { habit { id } } }",
                json!({}),
            )
            .await;
        let habit = habit.assert_ok()["createHabit"]["habit"]["id"].clone();
        let done = app
            .graphql_as(
                token,
                &format!(
                    "mutation($h: UUID!) {{ completeHabit(input: {{habitId: $h}}) {{ {REWARD} }} }}"
                ),
                json!({"h": habit}),
            )
            .await;
        let reward = done.assert_ok()["completeHabit"]["reward"].clone();
        // The first completion also earns `first_habit`, paid by a row of its own: the
        // reward is the habit's row.
        assert_eq!(reward["unlockedAchievements"], json!(["first_habit"]));
        let ledger = app
            .graphql_as(
                token,
                "{ viewer { ledger(first: 10) { edges { node { eventType xp coins } } } } }",
                json!({}),
            )
            .await;
        let rows = ledger.assert_ok()["viewer"]["ledger"]["edges"]
            .as_array()
            .unwrap()
            .clone();
        let habit_row = rows
            .iter()
            .map(|e| &e["node"])
            .find(|n| n["eventType"] == "habit")
            .expect("the habit's row");
        assert_eq!(
            (reward["xp"].clone(), reward["coins"].clone()),
            (habit_row["xp"].clone(), habit_row["coins"].clone())
        );
        assert!(reward["xp"].as_i64() > Some(0));

        let goal = app
            .graphql_as(
                token,
                "mutation { createGoal(input: {title: \"Run 10k\"}) { goal { id } } }",
                json!({}),
            )
            .await;
        let goal = goal.assert_ok()["createGoal"]["goal"]["id"].clone();
        let milestone = app
            .graphql_as(token, "mutation($g: UUID!) { addMilestone(input: {goalId: $g, title: \"5k\"}) { milestone { id } } }", json!({"g": goal}))
            .await;
        let milestone = milestone.assert_ok()["addMilestone"]["milestone"]["id"].clone();
        let reached = app
            .graphql_as(token, &format!("mutation($m: UUID!) {{ completeMilestone(input: {{milestoneId: $m}}) {{ {REWARD} }} }}"), json!({"m": milestone}))
            .await;
        let reward = reached.assert_ok()["completeMilestone"]["reward"].clone();
        let row = newest_entry(&app, token).await;
        assert!(reward["xp"].as_i64() > Some(0), "{reward}");
        if reward["unlockedAchievements"] == json!([]) {
            assert_eq!(
                (reward["xp"].clone(), reward["coins"].clone()),
                (row.1, row.2)
            );
        }
        let again = app
            .graphql_as(token, &format!("mutation($m: UUID!) {{ completeMilestone(input: {{milestoneId: $m}}) {{ {REWARD} }} }}"), json!({"m": milestone}))
            .await;
        assert_eq!(
            again.assert_ok()["completeMilestone"]["reward"]["xp"],
            0,
            "done already: nothing more"
        );

        let completed = app
            .graphql_as(
                token,
                &format!(
                    "mutation($g: UUID!) {{ completeGoal(input: {{goalId: $g}}) {{ {REWARD} }} }}"
                ),
                json!({"g": goal}),
            )
            .await;
        let reward = completed.assert_ok()["completeGoal"]["reward"].clone();
        assert!(reward["xp"].as_i64() > Some(0), "{reward}");

        // A plan item linked to a habit: completing it pays the habit, said in its reward.
        let other = app
            .graphql_as(
                token,
                "mutation { createHabit(input: {name: \"Stretch\"}) { habit { id } } }",
                json!({}),
            )
            .await;
        let other = other.assert_ok()["createHabit"]["habit"]["id"].clone();
        let added = app
            .graphql_as(token, "mutation($h: UUID!) { addPlanItem(input: {kind: HABIT, title: \"Stretch\", ref: {habitId: $h}}) { item { id } } }", json!({"h": other}))
            .await;
        let item = added.assert_ok()["addPlanItem"]["item"]["id"].clone();
        let planned = app
            .graphql_as(token, &format!("mutation($i: UUID!) {{ completePlanItem(input: {{itemId: $i}}) {{ {REWARD} }} }}"), json!({"i": item}))
            .await;
        let reward = planned.assert_ok()["completePlanItem"]["reward"].clone();
        let row = newest_entry(&app, token).await;
        assert_eq!(row.0, "habit", "the habit's row is the newest");
        assert_eq!(
            (reward["xp"].clone(), reward["coins"].clone()),
            (row.1, row.2)
        );
    }
);

/// graphql-js (what GraphiQL and code generators run) builds the checked-in SDL and accepts
/// a catching-up subscription with a real version, which a 32-bit `Int` could not carry.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graphql_js_accepts_the_schema_and_a_version_beyond_32_bits() {
    if tests::node::tools(false).is_none() {
        return;
    }
    let sdl = concat!(env!("CARGO_MANIFEST_DIR"), "/../schema.graphql");
    let documents = json!([
        "subscription { focusSession(since: \"1796162379620470\") { id version } }",
        "{ viewer { activeFocusSession { version } } }",
    ])
    .to_string();
    let result = tests::node::run(
        "schema-check.mjs",
        &[sdl, &documents],
        std::time::Duration::from_secs(60),
    )
    .await;
    assert_eq!(result["errors"], json!([[], []]), "{result}");
    let ints = result["ints"].as_array().unwrap();
    assert!(!ints.is_empty());
    assert!(
        !ints.iter().any(|f| f == "FocusSession.version"),
        "version is not an Int: {result}"
    );
}
