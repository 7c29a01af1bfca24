//! The habit operations the scenarios repeat, spoken as a client would.
use serde_json::{Value, json};
use tests::{GqlResponse, Member};

pub const HABIT: &str = "id name description frequency targetCount customDays icon color isActive currentStreak longestStreak sortOrder dueToday completedToday progressThisPeriod lastCompletedAt";

const CREATE: &str =
    "mutation($input: CreateHabitInput!) { createHabit(input: $input) { habit { id } } }";
const COMPLETE: &str = "mutation($input: CompleteHabitInput!) { completeHabit(input: $input) { repeated completion { id habitId completedDate completedAt notes } habit { id currentStreak longestStreak progressThisPeriod dueToday completedToday } } }";
const UNDO: &str = "mutation($id: UUID!) { undoHabitCompletion(input: {completionId: $id}) { undoneCompletionId habit { id currentStreak longestStreak progressThisPeriod } } }";

/// Creates a habit from `input` (`name` defaults to "Habit") and returns its id.
pub async fn create(member: &Member<'_>, mut input: Value) -> String {
    if input.get("name").is_none() {
        input["name"] = json!("Habit");
    }
    let data = member.ok(CREATE, json!({ "input": input })).await;
    data["createHabit"]["habit"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// `completeHabit` with `extra` input fields, as sent.
pub async fn try_complete(member: &Member<'_>, habit: &str, extra: Value) -> GqlResponse {
    let mut input = json!({ "habitId": habit });
    if let Value::Object(fields) = extra {
        for (k, v) in fields {
            input[k] = v;
        }
    }
    member.gql(COMPLETE, json!({ "input": input })).await
}

/// Completes `habit` for today; returns the payload.
pub async fn complete(member: &Member<'_>, habit: &str) -> Value {
    let response = try_complete(member, habit, json!({})).await;
    response.assert_ok()["completeHabit"].clone()
}

pub async fn try_undo(member: &Member<'_>, completion: &str) -> GqlResponse {
    member.gql(UNDO, json!({ "id": completion })).await
}

pub async fn undo(member: &Member<'_>, completion: &str) -> Value {
    try_undo(member, completion).await.assert_ok()["undoHabitCompletion"].clone()
}

/// The habit as `habit(id:)` reads it, checked against the same habit on the viewer's
/// list: a page measures today's fields (`currentStreak`, `dueToday`, …) in its own
/// statement and must agree with the single read.
pub async fn habit(member: &Member<'_>, id: &str) -> Value {
    let query = format!(
        "query($id: UUID!) {{ viewer {{ habit(id: $id) {{ {HABIT} }} habits(first: 100) {{ nodes {{ {HABIT} }} }} }} }}"
    );
    let data = member.ok(&query, json!({ "id": id })).await;
    let one = data["viewer"]["habit"].clone();
    let listed = data["viewer"]["habits"]["nodes"]
        .as_array()
        .and_then(|nodes| nodes.iter().find(|node| node["id"] == one["id"]));
    assert_eq!(
        listed,
        Some(&one),
        "the list shows the habit as its own read does"
    );
    one
}
