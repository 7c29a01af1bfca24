//! The user's own quests: rewards by difficulty only, manual progress, claims once per
//! period under a daily cap, repeatable resets with a streak, expiry, and ownership.
use serde_json::{Value, json};
use tests::{GqlResponse, Member, TestApp, api_test, date};

use super::support::{QUEST, accept, ledger_agrees, on_quest, quests};

async fn create(member: &Member<'_>, input: Value) -> Value {
    let query = format!(
        "mutation($i: CreateMyQuestInput!) {{ createMyQuest(input: $i) {{ quest {{ {QUEST} expiresAt }} }} }}"
    );
    member.ok(&query, json!({ "i": input })).await["createMyQuest"]["quest"].clone()
}

async fn mine(member: &Member<'_>, mutation: &str, id: &Value, fields: &str) -> GqlResponse {
    let query =
        format!("mutation($id: UUID!) {{ {mutation}(input: {{questId: $id}}) {{ {fields} }} }}");
    member.gql(&query, json!({ "id": id })).await
}

const CLAIM: &str = "repeated rewarded xpAwarded coinsAwarded quest { status }";

api_test!(
    async fn own_quests_pay_by_difficulty_once_and_under_a_daily_cap(app: TestApp) {
        let member = Member::join(&app, "own@example.com", "UTC", date(2026, 3, 2)).await;
        let refused = member.gql("mutation { createMyQuest(input: {title: \"x\", xpReward: 1000}) { quest { id } } }", json!({})).await;
        assert_eq!(
            refused.error().0,
            "BAD_USER_INPUT",
            "no XP field: {}",
            refused.body
        );

        let hard = create(
            &member,
            json!({"title": "Paint the fence", "difficulty": "HARD", "target": 3}),
        )
        .await;
        assert_eq!(
            (&hard["xpReward"], &hard["coinReward"], &hard["source"]),
            (&json!(50), &json!(10), &json!("OWN"))
        );
        let early = mine(&member, "claimMyQuest", &hard["id"], CLAIM).await;
        assert_eq!(early.error().1.as_deref(), Some("QUEST_NOT_COMPLETED"));
        let logged = member.ok("mutation($id: UUID!) { logMyQuestProgress(input: {questId: $id, amount: 2}) { quest { progress status } } }", json!({"id": hard["id"]})).await;
        assert_eq!(
            logged["logMyQuestProgress"]["quest"],
            json!({"progress": 2, "status": "ACTIVE"})
        );
        let zero = member.gql("mutation($id: UUID!) { logMyQuestProgress(input: {questId: $id, amount: 0}) { quest { progress } } }", json!({"id": hard["id"]})).await;
        assert_eq!(zero.error().2.as_deref(), Some("amount"));
        member.ok("mutation($id: UUID!) { logMyQuestProgress(input: {questId: $id, amount: 5}) { quest { progress } } }", json!({"id": hard["id"]})).await;
        let first = mine(&member, "claimMyQuest", &hard["id"], CLAIM).await;
        assert_eq!(
            first.assert_ok()["claimMyQuest"],
            json!({"repeated": false, "rewarded": true, "xpAwarded": 50, "coinsAwarded": 10, "quest": {"status": "CLAIMED"}})
        );
        let second = mine(&member, "claimMyQuest", &hard["id"], CLAIM).await;
        assert_eq!(second.assert_ok()["claimMyQuest"]["repeated"], true);
        assert_eq!(ledger_agrees(&member, "quest").await, vec![(50, 10)]);

        // Nine more rewarded claims today reach the cap of 10; the eleventh pays nothing.
        for n in 0..10 {
            let quest = create(
                &member,
                json!({"title": format!("Chore {n}"), "difficulty": "EASY"}),
            )
            .await;
            mine(&member, "completeMyQuest", &quest["id"], "quest { status }")
                .await
                .assert_ok();
            let claim = mine(&member, "claimMyQuest", &quest["id"], CLAIM).await;
            let payload = claim.assert_ok()["claimMyQuest"].clone();
            assert_eq!(payload["rewarded"], n < 9, "claim {n}: {payload}");
        }
        assert_eq!(ledger_agrees(&member, "quest").await.len(), 10);
    }
);

api_test!(
    async fn repeatable_own_quests_reset_daily_keep_a_streak_and_expire(app: TestApp) {
        let mut member = Member::join(&app, "streak@example.com", "UTC", date(2026, 3, 2)).await;
        let expires = tests::local(member.zone, date(2026, 3, 5), 12, 0);
        let daily = create(&member, json!({"title": "Journal", "repeat": "DAILY", "difficulty": "EASY", "expiresAt": expires})).await;
        for day in 2..=3 {
            member.at(date(2026, 3, day), 9, 0).await;
            let done = mine(
                &member,
                "completeMyQuest",
                &daily["id"],
                "quest { status streak progress }",
            )
            .await;
            assert_eq!(
                done.assert_ok()["completeMyQuest"]["quest"]["streak"],
                day - 1
            );
        }
        // Neither day's completion was claimed: each day's reset paid the one before.
        member.at(date(2026, 3, 4), 9, 0).await;
        let list = member
            .ok(
                &format!("{{ viewer {{ quests(filter: {{source: OWN}}) {{ {QUEST} }} }} }}"),
                json!({}),
            )
            .await;
        let journal = list["viewer"]["quests"][0].clone();
        assert_eq!(
            (&journal["status"], &journal["streak"]),
            (&json!("ACTIVE"), &json!(2))
        );
        assert_eq!(
            ledger_agrees(&member, "quest").await,
            vec![(10, 2), (10, 2)]
        );
        // Day 4 missed, day 5 past the expiry.
        member.at(date(2026, 3, 5), 13, 0).await;
        let expired = mine(&member, "completeMyQuest", &daily["id"], "quest { status }").await;
        assert_eq!(
            expired.error(),
            ("CONFLICT".into(), Some("QUEST_EXPIRED".into()), None)
        );
        let list = member
            .ok(
                &format!("{{ viewer {{ quests(filter: {{source: OWN}}) {{ {QUEST} }} }} }}"),
                json!({}),
            )
            .await;
        assert_eq!(
            list["viewer"]["quests"][0]["streak"], 0,
            "a missed period resets the streak"
        );
    }
);

api_test!(
    async fn another_users_quest_ids_are_not_found_on_every_quest_operation(app: TestApp) {
        let owner = Member::join(&app, "owner@example.com", "UTC", date(2026, 3, 2)).await;
        let other = Member::join(&app, "other@example.com", "UTC", date(2026, 3, 2)).await;
        let theirs = create(&owner, json!({"title": "Private"})).await;
        let id = &theirs["id"];
        let attempts = [
            mine(&other, "completeMyQuest", id, "quest { id }").await,
            mine(&other, "claimMyQuest", id, "repeated").await,
            mine(&other, "deleteMyQuest", id, "deletedQuestId").await,
            other.gql("mutation($id: UUID!) { updateMyQuest(input: {questId: $id, title: \"Mine\"}) { quest { id } } }", json!({"id": id})).await,
            other.gql("mutation($id: UUID!) { logMyQuestProgress(input: {questId: $id, amount: 1}) { quest { id } } }", json!({"id": id})).await,
            on_quest(&other, "claimQuest", id.as_str().unwrap(), "repeated").await,
            on_quest(&other, "acceptQuest", id.as_str().unwrap(), "quest { id }").await,
        ];
        for response in attempts {
            assert_eq!(response.error().0, "NOT_FOUND", "{}", response.body);
        }
        let seeded = quests(&owner).await;
        let catalog_id = seeded.iter().find(|q| q["source"] == "CATALOG").unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        accept(&owner, &catalog_id).await;
        let not_held = on_quest(&other, "claimQuest", &catalog_id, "repeated").await;
        assert_eq!(
            not_held.error().0,
            "NOT_FOUND",
            "a standing is its holder's alone"
        );
        let kept = mine(&owner, "completeMyQuest", id, "quest { status }").await;
        assert_eq!(
            kept.assert_ok()["completeMyQuest"]["quest"]["status"],
            "COMPLETED"
        );
    }
);

/// The daily cap is configuration: at 2, the third rewarded claim of a day pays nothing,
/// and the next local day pays again.
async fn a_configured_cap(backend: tests::Backend) {
    let app = TestApp::spawn_with(backend, |config| {
        config.auth.own_quest_claims_per_day = 2;
    })
    .await;
    let mut member = Member::join(&app, "capped@example.com", "Asia/Tokyo", date(2026, 3, 2)).await;
    let mut rewarded = Vec::new();
    for n in 1..=4 {
        if n == 4 {
            member.at(date(2026, 3, 3), 0, 5).await;
        }
        let quest = create(
            &member,
            json!({"title": format!("Chore {n}"), "difficulty": "EASY"}),
        )
        .await;
        mine(&member, "completeMyQuest", &quest["id"], "quest { status }")
            .await
            .assert_ok();
        let claim = mine(&member, "claimMyQuest", &quest["id"], CLAIM).await;
        rewarded.push(claim.assert_ok()["claimMyQuest"]["rewarded"].clone());
    }
    assert_eq!(
        rewarded,
        vec![json!(true), json!(true), json!(false), json!(true)]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_daily_cap_of_rewarded_own_quest_claims_is_configured_on_sqlite() {
    a_configured_cap(tests::Backend::Sqlite).await;
}

tests::testkit::postgres_half! {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_daily_cap_of_rewarded_own_quest_claims_is_configured_on_postgres() {
        a_configured_cap(tests::Backend::Postgres).await;
    }
}
