//! The plan operations the scenarios repeat, spoken as a client would.
use serde_json::{Value, json};
use tests::{GqlResponse, Member};

pub const ITEM: &str =
    "id kind title startTime startsAt durationMinutes done doneAt position carriedFrom templateId";
pub const PLAN: &str = "id date notes version doneCount items { id kind title startTime startsAt durationMinutes done doneAt position carriedFrom templateId }";

/// Runs an item mutation (`addPlanItem`, …) with `input`, as sent.
pub async fn try_item(member: &Member<'_>, mutation: &str, input: Value) -> GqlResponse {
    let query = format!(
        "mutation($input: {}Input!) {{ {mutation}(input: $input) {{ item {{ {ITEM} }} plan {{ {PLAN} }} }} }}",
        capitalised(mutation)
    );
    member.gql(&query, json!({ "input": input })).await
}

/// Runs an item mutation and returns its payload.
pub async fn item(member: &Member<'_>, mutation: &str, input: Value) -> Value {
    try_item(member, mutation, input).await.assert_ok()[mutation].clone()
}

/// The input type of an item mutation.
fn capitalised(name: &str) -> String {
    if matches!(
        name,
        "removePlanItem" | "completePlanItem" | "uncompletePlanItem"
    ) {
        return "PlanItem".into();
    }
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Adds a TASK titled `title` to `date` (today when null); returns the payload.
pub async fn add(member: &Member<'_>, date: Value, title: &str) -> Value {
    item(
        member,
        "addPlanItem",
        json!({ "date": date, "kind": "TASK", "title": title }),
    )
    .await
}

/// `viewer.dailyPlan(date)` (today when null).
pub async fn plan(member: &Member<'_>, date: Value) -> Value {
    let query = format!("query($d: Date) {{ viewer {{ dailyPlan(date: $d) {{ {PLAN} }} }} }}");
    member.ok(&query, json!({ "d": date })).await["viewer"]["dailyPlan"].clone()
}

pub fn titles(plan: &Value) -> Vec<String> {
    plan["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_owned())
        .collect()
}

/// Creates a habit named `name`; returns its id.
pub async fn habit(member: &Member<'_>, name: &str) -> String {
    member
        .ok(
            "mutation($n: String!) { createHabit(input: {name: $n}) { habit { id } } }",
            json!({ "n": name }),
        )
        .await["createHabit"]["habit"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Creates a goal titled `title`; returns its id.
pub async fn goal(member: &Member<'_>, title: &str) -> String {
    member
        .ok(
            "mutation($t: String!) { createGoal(input: {title: $t}) { goal { id } } }",
            json!({ "t": title }),
        )
        .await["createGoal"]["goal"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Creates a template from `input`; returns it (`id name isPublic useCount items`).
pub async fn template(member: &Member<'_>, input: Value) -> Value {
    member
        .ok(
            "mutation($input: CreatePlanTemplateInput!) { createPlanTemplate(input: $input) { template { id name isPublic useCount items { id title startTime } } } }",
            json!({ "input": input }),
        )
        .await["createPlanTemplate"]["template"]
        .clone()
}

/// `applyPlanTemplate` as sent.
pub async fn try_apply(member: &Member<'_>, input: Value) -> GqlResponse {
    let query = format!(
        "mutation($input: ApplyPlanTemplateInput!) {{ applyPlanTemplate(input: $input) {{ added template {{ id useCount }} plan {{ {PLAN} }} }} }}"
    );
    member.gql(&query, json!({ "input": input })).await
}

pub async fn apply(member: &Member<'_>, input: Value) -> Value {
    try_apply(member, input).await.assert_ok()["applyPlanTemplate"].clone()
}

/// Three template items, for rewards and applying.
pub fn three_items() -> Value {
    json!([
        { "kind": "TASK", "title": "Inbox", "startTime": "08:30", "durationMinutes": 15 },
        { "kind": "FOCUS", "title": "Deep work", "startTime": "09:00", "durationMinutes": 90 },
        { "kind": "BREAK", "title": "Walk", "startTime": "12:00" }
    ])
}
