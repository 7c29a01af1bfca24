//! Templates: applied twice in APPEND mode to one date they yield their items once and
//! `useCount` rises by two; REPLACE starts the day over; a public template of another user
//! applies but is theirs to write (NOT_FOUND); a private one is NOT_FOUND; the shared list
//! shows authors by display name only; a moderator unpublishes.
use serde_json::json;
use tests::{Member, api_test, date};

use super::support::{add, apply, plan, template, three_items, titles, try_apply};

const LIST: &str = "query($f: PlanTemplateFilter) { viewer { planTemplates(filter: $f, first: 20) { totalCount edges { node { id name isPublic isMine category author { displayName } } } } } }";

api_test!(
    async fn a_template_applied_twice_yields_its_items_once_and_counts_two_uses(app: TestApp) {
        let member = Member::join(&app, "tpl@example.com", "Europe/Berlin", date(2026, 8, 3)).await;
        let tpl = template(
            &member,
            json!({ "name": "Workday", "items": three_items() }),
        )
        .await;
        add(&member, json!("2026-08-04"), "Dentist").await;
        let first = apply(
            &member,
            json!({ "templateId": tpl["id"], "date": "2026-08-04", "mode": "APPEND" }),
        )
        .await;
        assert_eq!(first["added"], 3);
        let second = apply(
            &member,
            json!({ "templateId": tpl["id"], "date": "2026-08-04", "mode": "APPEND" }),
        )
        .await;
        assert_eq!(second["added"], 0);
        assert_eq!(second["template"]["useCount"], 2);
        let plan = &second["plan"];
        assert_eq!(titles(plan), ["Dentist", "Inbox", "Deep work", "Walk"]);
        let template_ids: Vec<_> = plan["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["templateId"].clone())
            .collect();
        assert_eq!(
            template_ids,
            [
                json!(null),
                tpl["id"].clone(),
                tpl["id"].clone(),
                tpl["id"].clone()
            ]
        );
        let tpl_item_ids: Vec<_> = tpl["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].clone())
            .collect();
        for copied in &plan["items"].as_array().unwrap()[1..] {
            assert!(!tpl_item_ids.contains(&copied["id"]), "copies get new ids");
        }
        let starts =
            chrono::DateTime::parse_from_rfc3339(plan["items"][2]["startsAt"].as_str().unwrap())
                .unwrap();
        assert_eq!(
            starts.to_rfc3339(),
            "2026-08-04T07:00:00+00:00",
            "09:00 in Berlin (CEST)"
        );
        let replaced = apply(
            &member,
            json!({ "templateId": tpl["id"], "date": "2026-08-04", "mode": "REPLACE" }),
        )
        .await;
        assert_eq!(titles(&replaced["plan"]), ["Inbox", "Deep work", "Walk"]);
        assert_eq!(replaced["template"]["useCount"], 3);
        // Saving a day as a template.
        let saved = member
            .ok(
                "mutation { savePlanAsTemplate(input: {date: \"2026-08-04\", name: \"Copy\"}) { template { name isPublic items { title startTime } } } }",
                json!({}),
            )
            .await;
        let saved = &saved["savePlanAsTemplate"]["template"];
        assert_eq!(saved["isPublic"], false);
        assert_eq!(
            saved["items"][1],
            json!({ "title": "Deep work", "startTime": "09:00" })
        );
    }
);

api_test!(
    async fn a_public_template_of_another_user_applies_but_is_theirs_to_write(app: TestApp) {
        let author = Member::join(&app, "author@example.com", "UTC", date(2026, 8, 3)).await;
        author
            .ok(
                "mutation { updateProfile(input: {name: \"Ada\"}) { viewer { name } } }",
                json!({}),
            )
            .await;
        let user = Member::join(&app, "user@example.com", "UTC", date(2026, 8, 3)).await;
        let public = template(&author, json!({ "name": "Shared", "isPublic": true, "category": "work", "items": three_items() })).await;
        let private = template(&author, json!({ "name": "Secret", "items": three_items() })).await;
        let applied = apply(&user, json!({ "templateId": public["id"] })).await;
        assert_eq!(applied["added"], 3);
        assert_eq!(applied["template"]["useCount"], 1);
        apply(&user, json!({ "templateId": public["id"] })).await;
        let refused = try_apply(&user, json!({ "templateId": private["id"] })).await;
        assert_eq!(refused.error().0, "NOT_FOUND");
        for (mutation, input) in [
            (
                "updatePlanTemplate",
                json!({ "templateId": public["id"], "name": "Mine" }),
            ),
            ("deletePlanTemplate", json!({ "templateId": public["id"] })),
            (
                "updatePlanTemplate",
                json!({ "templateId": private["id"], "name": "Mine" }),
            ),
        ] {
            let input_type = if mutation == "deletePlanTemplate" {
                "PlanTemplateIdInput"
            } else {
                "UpdatePlanTemplateInput"
            };
            let field = if mutation == "deletePlanTemplate" {
                "deletedId"
            } else {
                "template { id }"
            };
            let refused = user
                .gql(
                    &format!(
                        "mutation($i: {input_type}!) {{ {mutation}(input: $i) {{ {field} }} }}"
                    ),
                    json!({ "i": input }),
                )
                .await;
            assert_eq!(refused.error().0, "NOT_FOUND", "{mutation}");
        }
        let listed = user.ok(LIST, json!({ "f": null })).await;
        let list = &listed["viewer"]["planTemplates"];
        assert_eq!(list["totalCount"], 1, "the private one is not listed");
        let node = &list["edges"][0]["node"];
        assert_eq!(node["author"], json!({ "displayName": "Ada" }));
        assert_eq!(node["isMine"], false);
        let theirs = author.ok(LIST, json!({ "f": { "mine": true } })).await;
        assert_eq!(theirs["viewer"]["planTemplates"]["totalCount"], 2);
        let work = user
            .ok(LIST, json!({ "f": { "category": "work", "public": true } }))
            .await;
        assert_eq!(work["viewer"]["planTemplates"]["totalCount"], 1);
        let none = user.ok(LIST, json!({ "f": { "mine": true } })).await;
        assert_eq!(none["viewer"]["planTemplates"]["totalCount"], 0);
        // The author edits, and the count of uses stands.
        let edited = author
            .ok(
                "mutation($i: UpdatePlanTemplateInput!) { updatePlanTemplate(input: $i) { template { name useCount } } }",
                json!({ "i": { "templateId": public["id"], "name": "Shared v2" } }),
            )
            .await;
        assert_eq!(
            edited["updatePlanTemplate"]["template"],
            json!({ "name": "Shared v2", "useCount": 2 })
        );
    }
);

api_test!(
    async fn a_moderator_unpublishes_and_nobody_else_may(app: TestApp) {
        let admin = app.admin().await;
        let author = Member::join(&app, "loud@example.com", "UTC", date(2026, 8, 3)).await;
        let public = template(
            &author,
            json!({ "name": "Spam", "isPublic": true, "items": three_items() }),
        )
        .await;
        let query = "mutation($i: PlanTemplateIdInput!) { unpublishPlanTemplate(input: $i) { template { isPublic } } }";
        let refused = author
            .gql(query, json!({ "i": { "templateId": public["id"] } }))
            .await;
        assert_eq!(refused.error().0, "FORBIDDEN");
        let moderator = app
            .user_with_role(&admin, "mod@example.com", "moderator", None)
            .await;
        let done = app
            .graphql_as(
                &moderator.access_token,
                query,
                json!({ "i": { "templateId": public["id"] } }),
            )
            .await;
        assert_eq!(
            done.assert_ok()["unpublishPlanTemplate"]["template"]["isPublic"],
            false
        );
        let other = Member::join(&app, "reader@example.com", "UTC", date(2026, 8, 3)).await;
        let refused = try_apply(&other, json!({ "templateId": public["id"] })).await;
        assert_eq!(refused.error().0, "NOT_FOUND", "no longer shared");
        // Still the author's own.
        apply(&author, json!({ "templateId": public["id"] })).await;
    }
);

api_test!(
    async fn twenty_concurrent_applications_add_the_items_once_and_count_twenty_uses(app: TestApp) {
        let member = Member::join(&app, "rush@example.com", "UTC", date(2026, 8, 3)).await;
        let tpl = template(&member, json!({ "name": "Rush", "items": three_items() })).await;
        let applications = (0..20).map(|_| {
            let member = &member;
            let id = tpl["id"].clone();
            async move { try_apply(member, json!({ "templateId": id, "date": "2026-08-05" })).await }
        });
        let mut added = 0;
        for response in futures_util::future::join_all(applications).await {
            added += response.assert_ok()["applyPlanTemplate"]["added"]
                .as_i64()
                .unwrap();
        }
        assert_eq!(added, 3);
        let plan = plan(&member, json!("2026-08-05")).await;
        assert_eq!(titles(&plan), ["Inbox", "Deep work", "Walk"]);
        let listed = member.ok(LIST, json!({ "f": { "mine": true } })).await;
        assert_eq!(listed["viewer"]["planTemplates"]["totalCount"], 1);
        let used = member
            .ok(
                "query($id: UUID!) { viewer { planTemplate(id: $id) { useCount } } }",
                json!({ "id": tpl["id"] }),
            )
            .await;
        assert_eq!(used["viewer"]["planTemplate"]["useCount"], 20);
    }
);
