//! `subscription { rewardEvents }`: a second device sees quest completions and claims,
//! achievements and level-ups with what they paid, after commit only (a refused claim
//! sends nothing), never another user's; on PostgreSQL across instances.
use std::collections::BTreeSet;

use serde_json::{Value, json};
use tests::{Member, TestApp, WsClient, api_test, date};

use super::support::{CLAIMED, accept, complete_habit, create_quest, habit, on_quest};

const EVENTS: &str =
    "subscription { rewardEvents { kind title xp coins stars level achievementKey questId } }";

/// A device's reward events, in the order they came; `take` finds one of a kind among
/// those already read before it reads on (events of one commit come in any order).
struct Device {
    ws: WsClient,
    unread: Vec<Value>,
}

impl Device {
    /// The first unread event of `kind`, and the unread events that came before it (they
    /// stay unread).
    async fn take(&mut self, kind: &str) -> (Value, Vec<Value>) {
        self.take_matching(|e| e["kind"] == kind).await
    }

    async fn take_matching(&mut self, wanted: impl Fn(&Value) -> bool) -> (Value, Vec<Value>) {
        loop {
            if let Some(at) = self.unread.iter().position(&wanted) {
                let before = self.unread[..at].to_vec();
                return (self.unread.remove(at), before);
            }
            let event = self.ws.next_data().await["rewardEvents"].clone();
            self.unread.push(event);
        }
    }
}

fn kinds(events: &[Value]) -> BTreeSet<String> {
    events
        .iter()
        .map(|e| e["kind"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// `user`'s device subscribed to reward events, once the server has registered it.
async fn device(app: &TestApp, email: &str) -> Device {
    let phone = app.sign_in(email).await;
    let ws = WsClient::subscribed(app, "graphql-transport-ws", &phone.access_token, EVENTS).await;
    app.reward_subscribers_reach(phone.user_id, 1).await;
    Device {
        ws,
        unread: Vec::new(),
    }
}

async fn adjust_xp(app: &TestApp, user: uuid::Uuid, xp: i64) {
    let admin = app.admin().await;
    app.graphql_as(
        &admin.access_token,
        "mutation($u: UUID!, $xp: Int!, $key: String!) { adjustPoints(input: {userId: $u, xp: $xp, reason: \"bonus\", idempotencyKey: $key}) { entry { id } } }",
        json!({ "u": user, "xp": xp, "key": uuid::Uuid::new_v4().to_string() }),
    )
    .await
    .assert_ok();
}

api_test!(
    async fn a_second_device_sees_what_was_earned_after_commit_and_nothing_of_others(app: TestApp) {
        let admin = app.admin().await;
        let id = create_quest(
            &app,
            &admin,
            json!({
                "title": "One habit today", "period": "DAILY", "targetType": "HABIT_COMPLETIONS",
                "target": 1, "xpReward": 30, "coinReward": 7
            }),
        )
        .await;
        let member = Member::join(
            &app,
            "toasts@example.com",
            "Europe/Berlin",
            date(2026, 5, 6),
        )
        .await;
        let other = Member::join(
            &app,
            "neighbour@example.com",
            "Europe/Berlin",
            date(2026, 5, 6),
        )
        .await;
        accept(&member, &id).await;
        let mut phone = device(&app, "toasts@example.com").await;
        let mut neighbours_phone = device(&app, "neighbour@example.com").await;

        // Refused: its transaction rolls back, and no event leaves it.
        let refused = on_quest(&member, "claimQuest", &id, CLAIMED).await;
        assert_eq!(refused.error().1.as_deref(), Some("QUEST_NOT_COMPLETED"));

        let stretch = habit(&member).await;
        complete_habit(&member, &stretch).await;
        let (completed, before) = phone.take("QUEST_COMPLETED").await;
        assert_eq!(
            (
                completed["questId"].clone(),
                completed["title"].clone(),
                completed["xp"].clone()
            ),
            (json!(id), json!("One habit today"), json!(0))
        );
        assert!(!kinds(&before).contains("QUEST_CLAIMED"), "{before:?}");

        on_quest(&member, "claimQuest", &id, CLAIMED)
            .await
            .assert_ok();
        let (claimed, _) = phone.take("QUEST_CLAIMED").await;
        assert_eq!(
            (
                claimed["questId"].clone(),
                claimed["xp"].clone(),
                claimed["coins"].clone()
            ),
            (json!(id), json!(30), json!(7))
        );
        // The first claim earns the seeded `first_quest` achievement (10 XP, 5 coins).
        let (earned, _) = phone
            .take_matching(|e| e["achievementKey"] == "first_quest")
            .await;
        assert_eq!(
            (
                earned["achievementKey"].clone(),
                earned["xp"].clone(),
                earned["coins"].clone()
            ),
            (json!("first_quest"), json!(10), json!(5))
        );

        adjust_xp(&app, member.user.user_id, 500).await;
        let (level_up, _) = phone.take("LEVEL_UP").await;
        let level = member
            .ok("{ viewer { progress { level } } }", json!({}))
            .await["viewer"]["progress"]["level"]
            .clone();
        assert_eq!(level_up["level"], level);
        assert!(level_up["level"].as_i64() > Some(1));

        // The neighbour's first event is their own level-up: nothing of the member's.
        adjust_xp(&app, other.user.user_id, 150).await;
        let first = neighbours_phone.ws.next_data().await["rewardEvents"].clone();
        assert_eq!(
            (first["kind"].clone(), first["level"].clone()),
            (json!("LEVEL_UP"), json!(2))
        );
    }
);

tests::testkit::postgres_half! {
    /// A device subscribed on instance B sees the claim made on instance A.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_claim_on_one_instance_reaches_a_device_on_another() {
        let here = TestApp::spawn(tests::Backend::Postgres).await;
        let there = here.another_instance().await;
        let admin = there.admin().await;
        let id = create_quest(
            &there,
            &admin,
            json!({
                "title": "A habit, anywhere", "period": "DAILY",
                "targetType": "HABIT_COMPLETIONS", "target": 1, "xpReward": 20, "coinReward": 4
            }),
        )
        .await;
        let member = Member::join(&there, "instances@example.com", "Pacific/Auckland", date(2026, 5, 6)).await;
        accept(&member, &id).await;
        let mut phone = device(&here, "instances@example.com").await;

        let stretch = habit(&member).await;
        complete_habit(&member, &stretch).await;
        on_quest(&member, "claimQuest", &id, CLAIMED).await.assert_ok();
        let (claimed, before) = phone.take("QUEST_CLAIMED").await;
        assert!(kinds(&before).contains("QUEST_COMPLETED"), "{before:?}");
        assert_eq!(
            (claimed["questId"].clone(), claimed["xp"].clone(), claimed["coins"].clone()),
            (json!(id), json!(20), json!(4))
        );
    }
}
