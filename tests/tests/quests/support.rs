//! The quest operations the scenarios repeat, spoken as a client would.
use serde_json::{Value, json};
use tests::{GqlResponse, Member, SignedIn, TestApp};

pub const QUEST: &str = "id source title period targetType target progress status isRetired xpReward coinReward timesCompleted periodEndsAt streak difficulty";

/// The admin creates a catalog quest from `input`; returns its id.
pub async fn create_quest(app: &TestApp, admin: &SignedIn, input: Value) -> String {
    let response = app
        .graphql_as(
            &admin.access_token,
            "mutation($input: CreateQuestInput!) { createQuest(input: $input) { quest { id isActive } } }",
            json!({ "input": input }),
        )
        .await;
    response.assert_ok()["createQuest"]["quest"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Runs a `(input: {questId})` mutation, e.g. `acceptQuest`, with `fields` selected.
pub async fn on_quest(member: &Member<'_>, mutation: &str, id: &str, fields: &str) -> GqlResponse {
    let query =
        format!("mutation($id: UUID!) {{ {mutation}(input: {{questId: $id}}) {{ {fields} }} }}");
    member.gql(&query, json!({ "id": id })).await
}

pub async fn accept(member: &Member<'_>, id: &str) -> Value {
    let fields = format!("quest {{ {QUEST} }}");
    on_quest(member, "acceptQuest", id, &fields)
        .await
        .assert_ok()["acceptQuest"]["quest"]
        .clone()
}

pub const CLAIMED: &str = "repeated xpAwarded coinsAwarded quest { status }";

/// The viewer's quests (every one, in order).
pub async fn quests(member: &Member<'_>) -> Vec<Value> {
    let query = format!("{{ viewer {{ quests {{ {QUEST} }} }} }}");
    member.ok(&query, json!({})).await["viewer"]["quests"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// The viewer's quest `id` as the list shows it.
pub async fn quest(member: &Member<'_>, id: &str) -> Value {
    quests(member)
        .await
        .into_iter()
        .find(|q| q["id"] == id)
        .expect("the quest in the list")
}

/// Asserts the wallet holds exactly the ledger's coins, and returns the ledger's rows of
/// `event_type`.
pub async fn ledger_agrees(member: &Member<'_>, event_type: &str) -> Vec<(i64, i64)> {
    let data = member
        .ok("{ viewer { wallet { coins } progress { totalXp } ledger(first: 100) { edges { node { xp coins } } } } }", json!({}))
        .await;
    let rows = data["viewer"]["ledger"]["edges"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let coins: i64 = rows
        .iter()
        .map(|e| e["node"]["coins"].as_i64().unwrap())
        .sum();
    let xp: i64 = rows.iter().map(|e| e["node"]["xp"].as_i64().unwrap()).sum();
    assert_eq!(
        data["viewer"]["wallet"]["coins"].as_i64(),
        Some(coins),
        "wallet = Σ ledger.coins"
    );
    assert_eq!(
        data["viewer"]["progress"]["totalXp"].as_i64(),
        Some(xp),
        "totalXp = Σ ledger.xp"
    );
    member.ledger(event_type).await
}

/// Creates a habit and returns its id.
pub async fn habit(member: &Member<'_>) -> String {
    member
        .ok(
            "mutation { createHabit(input: {name: \"Stretch\", targetCount: 3}) { habit { id } } }",
            json!({}),
        )
        .await["createHabit"]["habit"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Completes a habit for today; returns the completion's id.
pub async fn complete_habit(member: &Member<'_>, habit: &str) -> String {
    member
        .ok(
            "mutation($h: UUID!) { completeHabit(input: {habitId: $h}) { completion { id } } }",
            json!({ "h": habit }),
        )
        .await["completeHabit"]["completion"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}
