//! The admin API at work: roles with inheritance, the audit trail of every admin change,
//! user and audit listings with their filters.

use serde_json::{Value, json};
use tests::{SignedIn, TestApp, api_test};

async fn admin_op(app: &TestApp, admin: &SignedIn, query: &str, variables: Value) -> Value {
    app.graphql_as(&admin.access_token, query, variables)
        .await
        .assert_ok()
        .clone()
}

api_test!(
    async fn roles_inherit_three_levels_deep_and_a_cycle_is_refused(app: TestApp) {
        let admin = app.admin().await;
        for (resource, name, parent) in [
            ("alpha", "level-a", None),
            ("beta", "level-b", Some("level-a")),
            ("gamma", "level-c", Some("level-b")),
        ] {
            admin_op(&app, &admin, "mutation($r: String!) { createEntitlement(input: {resource: $r, action: \"read\"}) { entitlement { name } } }", json!({ "r": resource })).await;
            admin_op(
                &app,
                &admin,
                "mutation($n: String!, $p: String, $e: [String!]!) { createRole(input: {name: $n, parent: $p, entitlements: $e}) { role { name } } }",
                json!({ "n": name, "p": parent, "e": [format!("{resource}:read")] }),
            )
            .await;
        }
        let user = app
            .user_with_role(&admin, "deep@example.com", "level-c", None)
            .await;
        let held = app
            .graphql_as(&user.access_token, "{ viewer { entitlements } }", json!({}))
            .await;
        assert_eq!(
            held.assert_ok()["viewer"]["entitlements"],
            json!(["alpha:read", "beta:read", "gamma:read"])
        );

        let roles = admin_op(
            &app,
            &admin,
            "{ roles { name parent entitlements effectiveEntitlements } }",
            json!({}),
        )
        .await;
        let c = roles["roles"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == "level-c")
            .unwrap()
            .clone();
        assert_eq!(
            c,
            json!({ "name": "level-c", "parent": "level-b", "entitlements": ["gamma:read"], "effectiveEntitlements": ["alpha:read", "beta:read", "gamma:read"] })
        );

        let cycle = app
            .graphql_as(&admin.access_token, "mutation { updateRole(input: {role: \"level-a\", parent: \"level-c\"}) { role { name } } }", json!({}))
            .await;
        assert_eq!(cycle.error_codes(), ["BAD_USER_INPUT"]);
        assert_eq!(cycle.extensions()["field"], "parent");
        let own = app
            .graphql_as(&admin.access_token, "mutation { updateRole(input: {role: \"level-a\", parent: \"level-a\"}) { role { name } } }", json!({}))
            .await;
        assert_eq!(
            own.error_codes(),
            ["BAD_USER_INPUT"],
            "a role is not its own parent"
        );

        // Moving a role takes effect on the member's next request.
        admin_op(
            &app,
            &admin,
            "mutation { updateRole(input: {role: \"level-c\", parent: null}) { role { name } } }",
            json!({}),
        )
        .await;
        let held = app
            .graphql_as(&user.access_token, "{ viewer { entitlements } }", json!({}))
            .await;
        assert_eq!(
            held.assert_ok()["viewer"]["entitlements"],
            json!(["gamma:read"])
        );
    }
);

api_test!(
    async fn every_admin_mutation_leaves_one_audit_entry_naming_actor_and_target(app: TestApp) {
        let admin = app.admin().await;
        let user = app.sign_in("subject@example.com").await;
        let u = json!({ "u": user.user_id });
        let count = |event: &'static str| app.audit_events_of(event);
        let steps: &[(&str, &str, Value)] = &[
            (
                "user_approved",
                "mutation($u: UUID!) { approveUser(input: {userId: $u}) { user { approved } } }",
                u.clone(),
            ),
            (
                "role_granted",
                "mutation($u: UUID!) { grantRole(input: {userId: $u, role: \"moderator\"}) { user { id } } }",
                u.clone(),
            ),
            (
                "role_revoked",
                "mutation($u: UUID!) { revokeRole(input: {userId: $u, role: \"moderator\"}) { user { id } } }",
                u.clone(),
            ),
            (
                "entitlement_created",
                "mutation { createEntitlement(input: {resource: \"reports\", action: \"read\"}) { entitlement { id } } }",
                json!({}),
            ),
            (
                "entitlement_updated",
                "mutation { updateEntitlement(input: {name: \"reports:read\", description: \"See reports\"}) { entitlement { id } } }",
                json!({}),
            ),
            (
                "role_created",
                "mutation { createRole(input: {name: \"analyst\", entitlements: [\"reports:read\"]}) { role { id } } }",
                json!({}),
            ),
            (
                "role_updated",
                "mutation { updateRole(input: {role: \"analyst\", name: \"analysts\"}) { role { id } } }",
                json!({}),
            ),
            (
                "role_deleted",
                "mutation { deleteRole(input: {role: \"analysts\"}) { deletedRoleId } }",
                json!({}),
            ),
            (
                "entitlement_deleted",
                "mutation { deleteEntitlement(input: {name: \"reports:read\"}) { deletedEntitlementId } }",
                json!({}),
            ),
        ];
        for (event, mutation, variables) in steps {
            let before = count(event).await;
            admin_op(&app, &admin, mutation, variables.clone()).await;
            let after = count(event).await;
            assert_eq!(after.len(), before.len() + 1, "{event}: one entry");
            let entry = after
                .iter()
                .find(|e| !before.iter().any(|b| b.id == e.id))
                .unwrap();
            assert_eq!(
                entry.user_id,
                Some(admin.user_id),
                "{event} names its actor"
            );
            assert!(entry.resource_id.is_some(), "{event} names its target");
            let details = entry.details.as_ref().unwrap();
            assert!(details.get("after").is_some(), "{event} keeps before/after");
            assert!(entry.request_id.is_some());
            if *event == "role_granted" {
                assert_eq!(entry.resource_id, Some(user.user_id));
                assert_eq!(details["role"], "moderator");
            }
        }
    }
);

api_test!(
    async fn seeded_and_parent_roles_are_protected(app: TestApp) {
        let admin = app.admin().await;
        for role in ["user", "moderator", "admin"] {
            let refused = app
                .graphql_as(
                    &admin.access_token,
                    "mutation($r: String!) { deleteRole(input: {role: $r}) { deletedRoleId } }",
                    json!({ "r": role }),
                )
                .await;
            assert_eq!(refused.error_codes(), ["CONFLICT"], "{role}");
        }
        admin_op(
            &app,
            &admin,
            "mutation { createRole(input: {name: \"parent-role\"}) { role { id } } }",
            json!({}),
        )
        .await;
        admin_op(&app, &admin, "mutation { createRole(input: {name: \"child-role\", parent: \"parent-role\"}) { role { id } } }", json!({})).await;
        let refused = app
            .graphql_as(
                &admin.access_token,
                "mutation { deleteRole(input: {role: \"parent-role\"}) { deletedRoleId } }",
                json!({}),
            )
            .await;
        assert_eq!(refused.error_codes(), ["CONFLICT"]);
        let unknown = app
            .graphql_as(&admin.access_token, "mutation { createRole(input: {name: \"x\", entitlements: [\"nope:read\"]}) { role { id } } }", json!({}))
            .await;
        assert_eq!(unknown.extensions()["field"], "entitlements");
        let kept = admin_op(&app, &admin, "{ roles { name } }", json!({})).await;
        assert!(
            !kept["roles"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["name"] == "x"),
            "a refused create leaves nothing"
        );
    }
);

api_test!(
    async fn users_are_listed_and_filtered_with_their_roles_in_constant_statements(app: TestApp) {
        let admin = app.admin().await;
        let query = "query($f: UserFilterInput) { users(filter: $f, first: 50) { totalCount edges { node { email approved roles { name } } } } }";
        for n in 0..3 {
            app.sign_in(&format!("member{n}@example.com")).await;
        }
        // The first authenticated request also records the admin's activity: warm up.
        app.graphql_as(&admin.access_token, query, json!({}))
            .await
            .assert_ok();
        let (small, few) = app
            .graphql_counting_as(&admin.access_token, query, json!({}))
            .await;
        for n in 3..12 {
            app.sign_in(&format!("member{n}@example.com")).await;
        }
        let (large, many) = app
            .graphql_counting_as(&admin.access_token, query, json!({}))
            .await;
        assert_eq!(small.assert_ok()["users"]["totalCount"], 4);
        assert_eq!(large.assert_ok()["users"]["totalCount"], 13);
        assert_eq!(
            few, many,
            "statements grow with depth, not with rows ({few} vs {many})"
        );

        let moderator = app
            .user_with_role(&admin, "member5@example.com", "moderator", None)
            .await;
        let by_role = admin_op(&app, &admin, query, json!({ "f": { "role": "moderator" } })).await;
        assert_eq!(by_role["users"]["totalCount"], 1);
        assert_eq!(
            by_role["users"]["edges"][0]["node"]["roles"],
            json!([{ "name": "moderator" }, { "name": "user" }])
        );
        let by_email = admin_op(&app, &admin, query, json!({ "f": { "email": "MEMBER1" } })).await;
        assert_eq!(
            by_email["users"]["totalCount"], 3,
            "member1, member10, member11"
        );
        app.graphql_as(
            &admin.access_token,
            "mutation($u: UUID!) { approveUser(input: {userId: $u}) { user { id } } }",
            json!({ "u": moderator.user_id }),
        )
        .await
        .assert_ok();
        let approved = admin_op(&app, &admin, query, json!({ "f": { "approved": true } })).await;
        assert_eq!(approved["users"]["edges"].as_array().unwrap().len(), 1);
    }
);

api_test!(
    async fn the_audit_log_is_newest_first_and_filtered(app: TestApp) {
        let admin = app.admin().await;
        let user = app.sign_in("audited@example.com").await;
        app.sign_in_with_link("wrong-token").await;
        let query = "query($f: AuditLogFilterInput) { auditLog(filter: $f, first: 10) { totalCount edges { node { eventType userId status } } } }";
        let all = admin_op(&app, &admin, query, json!({})).await;
        let events: Vec<&str> = all["auditLog"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"]["eventType"].as_str().unwrap())
            .collect();
        assert_eq!(
            events,
            ["sign_in_failed", "sign_in", "sign_in", "role_granted"],
            "newest first; the admin bootstrap is audited"
        );
        let theirs = admin_op(
            &app,
            &admin,
            query,
            json!({ "f": { "userId": user.user_id } }),
        )
        .await;
        assert_eq!(theirs["auditLog"]["totalCount"], 1);
        let failures = admin_op(
            &app,
            &admin,
            query,
            json!({ "f": { "eventType": "sign_in_failed" } }),
        )
        .await;
        assert_eq!(
            failures["auditLog"]["edges"][0]["node"]["status"],
            "failure"
        );
        let future = admin_op(
            &app,
            &admin,
            query,
            json!({ "f": { "from": "2999-01-01T00:00:00Z" } }),
        )
        .await;
        assert_eq!(future["auditLog"]["totalCount"], 0);
    }
);
