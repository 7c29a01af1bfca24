//! Access control through the public API: who may call each admin operation, inheritance,
//! expiring grants, and privilege changes taking effect at once.

use chrono::Duration;
use schema::domain::Clock;
use serde_json::{Value, json};
use tests::{SignedIn, TestApp, api_test};

/// Every admin operation with the entitlement it needs. Arguments point at nothing real;
/// the entitlement check comes first, so a caller without it never learns that.
const OPERATIONS: &[(&str, &str)] = &[
    ("users:read", "{ users { totalCount } }"),
    ("audit_log:read", "{ auditLog { totalCount } }"),
    ("roles:read", "{ roles { name } }"),
    ("entitlements:read", "{ entitlements { name } }"),
    (
        "users:update",
        r#"mutation { approveUser(input: {userId: "00000000-0000-0000-0000-000000000000"}) { user { id } } }"#,
    ),
    (
        "user_roles:create",
        r#"mutation { grantRole(input: {userId: "00000000-0000-0000-0000-000000000000", role: "admin"}) { user { id } } }"#,
    ),
    (
        "user_roles:delete",
        r#"mutation { revokeRole(input: {userId: "00000000-0000-0000-0000-000000000000", role: "admin"}) { user { id } } }"#,
    ),
    (
        "roles:create",
        r#"mutation { createRole(input: {name: "probe"}) { role { id } } }"#,
    ),
    (
        "roles:update",
        r#"mutation { updateRole(input: {role: "moderator", description: "x"}) { role { id } } }"#,
    ),
    (
        "roles:delete",
        r#"mutation { deleteRole(input: {role: "moderator"}) { deletedRoleId } }"#,
    ),
    (
        "entitlements:create",
        r#"mutation { createEntitlement(input: {resource: "probe", action: "read"}) { entitlement { id } } }"#,
    ),
    (
        "entitlements:update",
        r#"mutation { updateEntitlement(input: {name: "users:read", description: "x"}) { entitlement { id } } }"#,
    ),
    (
        "entitlements:delete",
        r#"mutation { deleteEntitlement(input: {name: "users:read"}) { deletedEntitlementId } }"#,
    ),
];

const MODERATOR: &[&str] = &[
    "audit_log:read",
    "entitlements:read",
    "plan_templates:update",
    "roles:read",
    "universal_quests:create",
    "universal_quests:delete",
    "universal_quests:update",
    "user_roles:read",
    "users:read",
    "users:update",
];

async fn entitlements(app: &TestApp, user: &SignedIn) -> Vec<String> {
    let response = app
        .graphql_as(&user.access_token, "{ viewer { entitlements } }", json!({}))
        .await;
    serde_json::from_value(response.assert_ok()["viewer"]["entitlements"].clone()).unwrap()
}

fn refusal(response: &tests::GqlResponse) -> (String, Value) {
    let code = response.error_codes().first().cloned().unwrap_or_default();
    (code, response.extensions()["entitlement"].clone())
}

api_test!(
    async fn a_plain_user_is_forbidden_every_admin_operation_and_told_which_entitlement(
        app: TestApp,
    ) {
        let user = app.sign_in("plain@example.com").await;
        assert!(entitlements(&app, &user).await.is_empty());
        let roles = app
            .graphql_as(
                &user.access_token,
                "{ viewer { roles { name expiresAt } } }",
                json!({}),
            )
            .await;
        assert_eq!(
            roles.assert_ok()["viewer"]["roles"],
            json!([{ "name": "user", "expiresAt": null }])
        );
        for (entitlement, operation) in OPERATIONS {
            let response = app
                .graphql_as(&user.access_token, operation, json!({}))
                .await;
            assert_eq!(
                refusal(&response),
                ("FORBIDDEN".into(), json!(entitlement)),
                "{operation}"
            );
            let anonymous = app.graphql(operation).await;
            assert_eq!(anonymous.error_codes(), ["UNAUTHENTICATED"], "{operation}");
        }
    }
);

api_test!(
    async fn a_moderator_gets_exactly_its_entitlements(app: TestApp) {
        let admin = app.admin().await;
        let moderator = app
            .user_with_role(&admin, "mod@example.com", "moderator", None)
            .await;
        assert_eq!(entitlements(&app, &moderator).await, MODERATOR);
        for (entitlement, operation) in OPERATIONS {
            let response = app
                .graphql_as(&moderator.access_token, operation, json!({}))
                .await;
            let refused = refusal(&response) == ("FORBIDDEN".into(), json!(entitlement));
            assert_eq!(
                refused,
                !MODERATOR.contains(entitlement),
                "{operation}: {}",
                response.body
            );
        }
    }
);

api_test!(
    async fn an_admin_holds_every_seeded_entitlement(app: TestApp) {
        let admin = app.admin().await;
        let all = app
            .graphql_as(&admin.access_token, "{ entitlements { name } }", json!({}))
            .await;
        let all: Vec<String> = all.assert_ok()["entitlements"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["name"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(entitlements(&app, &admin).await, all);
        for (_, operation) in &OPERATIONS[..4] {
            app.graphql_as(&admin.access_token, operation, json!({}))
                .await
                .assert_ok();
        }
    }
);

api_test!(
    async fn a_grant_past_its_expiry_grants_nothing(app: TestApp) {
        let admin = app.admin().await;
        let expires = app.clock.now() + Duration::hours(1);
        let temp = app
            .user_with_role(&admin, "temp@example.com", "moderator", Some(expires))
            .await;
        app.graphql_as(&temp.access_token, "{ users { totalCount } }", json!({}))
            .await
            .assert_ok();

        app.clock.advance(Duration::hours(1));
        let renewed = app.graphql_with(
            "mutation($t: String!) { refreshSession(input: {sessionToken: $t}) { accessToken sessionToken user { id } } }",
            json!({ "t": temp.session_token }),
        )
        .await;
        let temp = SignedIn::from_payload(&renewed.assert_ok()["refreshSession"]);
        let late = app
            .graphql_as(&temp.access_token, "{ users { totalCount } }", json!({}))
            .await;
        assert_eq!(refusal(&late), ("FORBIDDEN".into(), json!("users:read")));
        let roles = app
            .graphql_as(
                &temp.access_token,
                "{ viewer { roles { name } } }",
                json!({}),
            )
            .await;
        assert_eq!(
            roles.assert_ok()["viewer"]["roles"],
            json!([{ "name": "user" }])
        );
    }
);

api_test!(
    async fn a_privilege_change_signs_the_user_out_everywhere(app: TestApp) {
        let admin = app.admin().await;
        let user = app.sign_in("promoted@example.com").await;
        app.graphql_as(
            &admin.access_token,
            "mutation($u: UUID!) { grantRole(input: {userId: $u, role: \"moderator\"}) { user { id } } }",
            json!({ "u": user.user_id }),
        )
        .await
        .assert_ok();
        let stale = app
            .graphql_as(&user.access_token, "{ viewer { id } }", json!({}))
            .await;
        assert_eq!(stale.error_codes(), ["UNAUTHENTICATED"]);
        let fresh = app.sign_in("promoted@example.com").await;
        assert_eq!(
            entitlements(&app, &fresh).await,
            MODERATOR,
            "the next request sees the new role"
        );

        app.graphql_as(
            &admin.access_token,
            "mutation($u: UUID!) { revokeRole(input: {userId: $u, role: \"moderator\"}) { user { id } } }",
            json!({ "u": user.user_id }),
        )
        .await
        .assert_ok();
        assert_eq!(
            app.graphql_as(&fresh.access_token, "{ viewer { id } }", json!({}))
                .await
                .error_codes(),
            ["UNAUTHENTICATED"]
        );
    }
);

api_test!(
    async fn no_one_grants_a_role_that_confers_more_than_they_hold(app: TestApp) {
        let admin = app.admin().await;
        app.graphql_as(
            &admin.access_token,
            r#"mutation { createRole(input: {name: "granter", entitlements: ["user_roles:create"]}) { role { id } } }"#,
            json!({}),
        )
        .await
        .assert_ok();
        let granter = app
            .user_with_role(&admin, "granter@example.com", "granter", None)
            .await;
        let target = app.sign_in("target@example.com").await;
        let grant = "mutation($u: UUID!, $r: String!) { grantRole(input: {userId: $u, role: $r}) { user { id } } }";
        let escalation = app
            .graphql_as(
                &granter.access_token,
                grant,
                json!({ "u": target.user_id, "r": "admin" }),
            )
            .await;
        assert_eq!(escalation.error_codes(), ["FORBIDDEN"]);
        app.graphql_as(
            &granter.access_token,
            grant,
            json!({ "u": target.user_id, "r": "granter" }),
        )
        .await
        .assert_ok();
    }
);
