//! Keeping habits: what create and update accept (each refusal names its field), the gates
//! before any of it, reorder, delete, and that nobody reaches another user's habit or
//! completion on any query or mutation.
use serde_json::{Value, json};
use tests::{Member, api_test, date};

use super::support::{HABIT, complete, create, habit, try_complete, try_undo};

const CREATE: &str =
    "mutation($input: CreateHabitInput!) { createHabit(input: $input) { habit { id } } }";
const UPDATE: &str = "mutation($input: UpdateHabitInput!) { updateHabit(input: $input) { habit { name description frequency targetCount customDays icon color sortOrder } } }";

api_test!(
    async fn create_and_update_refuse_bad_input_naming_the_field(app: TestApp) {
        let member = Member::join(&app, "picky@example.com", "UTC", date(2026, 3, 2)).await;
        for (input, field) in [
            (json!({ "name": "  " }), "name"),
            (json!({ "name": "x".repeat(101) }), "name"),
            (json!({ "name": "Run", "targetCount": 0 }), "targetCount"),
            (json!({ "name": "Run", "targetCount": 101 }), "targetCount"),
            (json!({ "name": "Run", "color": "red" }), "color"),
            (json!({ "name": "Run", "color": "#12345" }), "color"),
            (
                json!({ "name": "Run", "frequency": "CUSTOM" }),
                "customDays",
            ),
            (
                json!({ "name": "Run", "frequency": "CUSTOM", "customDays": [] }),
                "customDays",
            ),
            (
                json!({ "name": "Run", "frequency": "CUSTOM", "customDays": [1, 7] }),
                "customDays",
            ),
            (json!({ "name": "Run", "customDays": [1] }), "customDays"),
            (json!({ "name": "Run", "icon": "i".repeat(65) }), "icon"),
        ] {
            let response = member.gql(CREATE, json!({ "input": input })).await;
            assert_eq!(
                response.error(),
                ("BAD_USER_INPUT".into(), None, Some(field.into())),
                "{input}"
            );
        }
        let id = create(
            &member,
            json!({
                "name": " Run ", "description": "5 km", "frequency": "CUSTOM", "customDays": [6, 0],
                "icon": "🏃", "color": "#A0B1C2", "targetCount": 2
            }),
        )
        .await;
        let created = habit(&member, &id).await;
        assert_eq!(
            (
                &created["name"],
                &created["customDays"],
                &created["color"],
                &created["icon"],
                &created["sortOrder"]
            ),
            (
                &json!("Run"),
                &json!([0, 6]),
                &json!("#a0b1c2"),
                &json!("🏃"),
                &json!(0)
            )
        );
        // CUSTOM keeps its days when they are not sent; a new frequency drops them.
        let renamed = member.ok(UPDATE, json!({ "input": { "habitId": id, "name": "Long run", "description": null, "color": null } })).await;
        assert_eq!(
            renamed["updateHabit"]["habit"],
            json!({ "name": "Long run", "description": null, "frequency": "CUSTOM", "targetCount": 2,
                    "customDays": [0, 6], "icon": "🏃", "color": null, "sortOrder": 0 })
        );
        let refused = member
            .gql(
                UPDATE,
                json!({ "input": { "habitId": id, "customDays": null } }),
            )
            .await;
        assert_eq!(refused.error().2.as_deref(), Some("customDays"));
        let refused = member
            .gql(
                UPDATE,
                json!({ "input": { "habitId": id, "frequency": "DAILY", "customDays": [1] } }),
            )
            .await;
        assert_eq!(refused.error().2.as_deref(), Some("customDays"));
        let daily = member
            .ok(
                UPDATE,
                json!({ "input": { "habitId": id, "frequency": "DAILY" } }),
            )
            .await;
        assert_eq!(daily["updateHabit"]["habit"]["customDays"], Value::Null);
    }
);

api_test!(
    async fn habit_mutations_need_a_member_past_the_gates_before_anything_else(app: TestApp) {
        let bad_input = json!({ "input": { "name": " " } });
        let anonymous = app.graphql_with(CREATE, bad_input.clone()).await;
        assert_eq!(anonymous.error().0, "UNAUTHENTICATED");
        let newcomer = app.sign_in("newcomer@example.com").await;
        let gated = app
            .graphql_as(&newcomer.access_token, CREATE, bad_input)
            .await;
        assert_eq!(
            gated.error(),
            ("FORBIDDEN".into(), Some("TERMS_NOT_ACCEPTED".into()), None)
        );
    }
);

api_test!(
    async fn reorder_puts_habits_in_the_order_given_and_delete_removes_one_with_its_history(
        app: TestApp,
    ) {
        let member = Member::join(&app, "order@example.com", "UTC", date(2026, 3, 2)).await;
        let mut ids = Vec::new();
        for name in ["A", "B", "C"] {
            ids.push(create(&member, json!({ "name": name })).await);
        }
        let list = "{ viewer { habits { totalCount edges { node { name sortOrder } } } } }";
        let names = |data: Value| -> Vec<String> {
            data["viewer"]["habits"]["edges"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["node"]["name"].as_str().unwrap().to_owned())
                .collect()
        };
        assert_eq!(names(member.ok(list, json!({})).await), ["A", "B", "C"]);
        let reordered = member
            .ok("mutation($ids: [UUID!]!) { reorderHabits(input: {habitIds: $ids}) { habits { name sortOrder } } }",
                json!({ "ids": [ids[2], ids[0], ids[1]] }))
            .await;
        assert_eq!(
            reordered["reorderHabits"]["habits"],
            json!([{ "name": "C", "sortOrder": 0 }, { "name": "A", "sortOrder": 1 }, { "name": "B", "sortOrder": 2 }])
        );
        assert_eq!(names(member.ok(list, json!({})).await), ["C", "A", "B"]);
        let twice = member
            .gql("mutation($ids: [UUID!]!) { reorderHabits(input: {habitIds: $ids}) { habits { name } } }",
                json!({ "ids": [ids[0], ids[0]] }))
            .await;
        assert_eq!(twice.error().2.as_deref(), Some("habitIds"));

        let done = complete(&member, &ids[0]).await;
        let paid = member.balance().await;
        let deleted = member
            .ok(
                "mutation($id: UUID!) { deleteHabit(input: {habitId: $id}) { deletedHabitId } }",
                json!({ "id": ids[0] }),
            )
            .await;
        assert_eq!(deleted["deleteHabit"]["deletedHabitId"], json!(ids[0]));
        assert_eq!(names(member.ok(list, json!({})).await), ["C", "B"]);
        assert_eq!(member.balance().await, paid, "what it paid stays paid");
        let gone = try_undo(&member, done["completion"]["id"].as_str().unwrap()).await;
        assert_eq!(gone.error().0, "NOT_FOUND");
    }
);

api_test!(
    async fn nobody_reaches_another_users_habit_or_completion(app: TestApp) {
        let owner = Member::join(&app, "owner@example.com", "UTC", date(2026, 3, 2)).await;
        let stranger = Member::join(&app, "stranger@example.com", "UTC", date(2026, 3, 2)).await;
        let id = create(&owner, json!({ "name": "Private" })).await;
        let completion = complete(&owner, &id).await["completion"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let vars = json!({ "id": id, "c": completion });
        let not_found = |response: tests::GqlResponse, what: &str| {
            assert_eq!(response.error().0, "NOT_FOUND", "{what}: {}", response.body);
        };
        let read = format!("query($id: UUID!) {{ viewer {{ habit(id: $id) {{ {HABIT} }} }} }}");
        not_found(stranger.gql(&read, vars.clone()).await, "habit");
        not_found(
            stranger
                .gql(
                    "query($id: UUID!) { viewer { habitHeatmap(habitId: $id) { date count } } }",
                    vars.clone(),
                )
                .await,
            "heatmap",
        );
        for (what, mutation) in [
            (
                "update",
                "mutation($id: UUID!) { updateHabit(input: {habitId: $id, name: \"Mine\"}) { habit { id } } }",
            ),
            (
                "archive",
                "mutation($id: UUID!) { archiveHabit(input: {habitId: $id}) { habit { id } } }",
            ),
            (
                "unarchive",
                "mutation($id: UUID!) { unarchiveHabit(input: {habitId: $id}) { habit { id } } }",
            ),
            (
                "delete",
                "mutation($id: UUID!) { deleteHabit(input: {habitId: $id}) { deletedHabitId } }",
            ),
            (
                "reorder",
                "mutation($id: UUID!) { reorderHabits(input: {habitIds: [$id]}) { habits { id } } }",
            ),
        ] {
            not_found(stranger.gql(mutation, vars.clone()).await, what);
        }
        not_found(
            try_complete(&stranger, &id, json!({ "idempotencyKey": "x" })).await,
            "complete",
        );
        not_found(try_undo(&stranger, &completion).await, "undo");
        let list = stranger
            .ok("{ viewer { habits { totalCount } } }", json!({}))
            .await;
        assert_eq!(list["viewer"]["habits"]["totalCount"], 0);
        // The owner's habit is untouched.
        let mine = habit(&owner, &id).await;
        assert_eq!(
            (
                mine["name"].clone(),
                mine["isActive"].clone(),
                mine["progressThisPeriod"].clone()
            ),
            (json!("Private"), json!(true), json!(1))
        );
    }
);
