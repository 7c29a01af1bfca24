//! No one raises their own privileges by editing roles: a moderator holding `roles:update`
//! (and the other admin entitlements of their role) tries every path to an entitlement
//! they lack and ends with exactly what they had. The last admin stays, and on an open
//! WebSocket access is recomputed at each operation.

use chrono::Duration;
use schema::domain::Clock;
use serde_json::{Value, json};
use tests::{GqlResponse, SignedIn, TestApp, WsClient, api_test};

const POWERS: [&str; 5] = [
    "roles:create",
    "roles:read",
    "roles:update",
    "user_roles:create",
    "user_roles:delete",
];

fn refusal(response: &GqlResponse) -> (String, String) {
    let ext = response.extensions();
    let text = |key: &str| ext[key].as_str().unwrap_or("<none>").to_owned();
    let detail = if ext["reason"].is_null() {
        "entitlement"
    } else {
        "reason"
    };
    (text("code"), text(detail))
}

async fn entitlements(app: &TestApp, user: &SignedIn) -> Value {
    let held = app
        .graphql_as(&user.access_token, "{ viewer { entitlements } }", json!({}))
        .await;
    held.assert_ok()["viewer"]["entitlements"].clone()
}

/// A user holding the role `editor`, which confers exactly `POWERS`.
async fn editor(
    app: &TestApp,
    admin: &SignedIn,
    expires: Option<chrono::DateTime<chrono::Utc>>,
) -> SignedIn {
    app.graphql_as(
        &admin.access_token,
        "mutation($e: [String!]!) { createRole(input: {name: \"editor\", entitlements: $e}) { role { name } } }",
        json!({ "e": POWERS }),
    )
    .await
    .assert_ok();
    app.user_with_role(admin, "editor@example.com", "editor", expires)
        .await
}

api_test!(
    async fn a_role_editor_cannot_confer_what_they_lack_by_any_path(app: TestApp) {
        let admin = app.admin().await;
        let editor = editor(&app, &admin, None).await;
        let before = entitlements(&app, &editor).await;
        let as_editor =
            |query: &'static str| app.graphql_as(&editor.access_token, query, json!({}));
        let attempts = [
            "mutation { updateRole(input: {role: \"editor\", entitlements: [\"roles:read\", \"roles:create\", \"roles:update\", \"user_roles:create\", \"user_roles:delete\", \"users:delete\"]}) { role { name } } }",
            "mutation { updateRole(input: {role: \"editor\", parent: \"admin\"}) { role { name } } }",
            "mutation { updateRole(input: {role: \"user\", entitlements: [\"users:delete\"]}) { role { name } } }",
            "mutation { createRole(input: {name: \"above\", parent: \"admin\", entitlements: []}) { role { name } } }",
            "mutation { createRole(input: {name: \"wider\", entitlements: [\"users:delete\"]}) { role { name } } }",
        ];
        for attempt in attempts {
            let (code, _) = refusal(&as_editor(attempt).await);
            assert_eq!(code, "FORBIDDEN", "{attempt}");
        }
        let me = editor.user_id;
        let grant = app
            .graphql_as(
                &editor.access_token,
                "mutation($u: UUID!) { grantRole(input: {userId: $u, role: \"admin\"}) { user { id } } }",
                json!({ "u": me }),
            )
            .await;
        assert_eq!(refusal(&grant).0, "FORBIDDEN");
        let revoke = app
            .graphql_as(
                &editor.access_token,
                "mutation($u: UUID!) { revokeRole(input: {userId: $u, role: \"admin\"}) { user { id } } }",
                json!({ "u": admin.user_id }),
            )
            .await;
        assert_eq!(
            refusal(&revoke).0,
            "FORBIDDEN",
            "revoking needs what the role confers"
        );

        as_editor("mutation { updateRole(input: {role: \"editor\", description: \"edits roles\"}) { role { name } } }")
            .await
            .assert_ok();
        as_editor("mutation { createRole(input: {name: \"reader\", entitlements: [\"roles:read\"]}) { role { name } } }")
            .await
            .assert_ok();
        assert_eq!(entitlements(&app, &editor).await, before);
        let roles = app
            .graphql_as(
                &admin.access_token,
                "{ roles { name parent entitlements } }",
                json!({}),
            )
            .await;
        let list = roles.assert_ok()["roles"].as_array().unwrap().clone();
        let editor_role = list.iter().find(|r| r["name"] == "editor").unwrap();
        assert_eq!(editor_role["parent"], Value::Null);
        assert_eq!(editor_role["entitlements"], json!(POWERS));
        assert!(
            list.iter()
                .all(|r| r["name"] != "above" && r["name"] != "wider")
        );
    }
);

api_test!(
    async fn the_last_admin_cannot_be_revoked(app: TestApp) {
        let admin = app.admin().await;
        let alone = app
            .graphql_as(
                &admin.access_token,
                "mutation($u: UUID!) { revokeRole(input: {userId: $u, role: \"admin\"}) { user { id } } }",
                json!({ "u": admin.user_id }),
            )
            .await;
        assert_eq!(refusal(&alone), ("CONFLICT".into(), "LAST_ADMIN".into()));
        let second = app
            .user_with_role(&admin, "second@example.com", "admin", None)
            .await;
        let admin = app.admin().await;
        app.graphql_as(
            &admin.access_token,
            "mutation($u: UUID!) { revokeRole(input: {userId: $u, role: \"admin\"}) { user { id } } }",
            json!({ "u": second.user_id }),
        )
        .await
        .assert_ok();
    }
);

api_test!(
    async fn an_open_socket_sees_role_edits_and_expiry_at_its_next_operation(app: TestApp) {
        let admin = app.admin().await;
        let expires = app.clock.now() + Duration::minutes(10);
        let editor = editor(&app, &admin, Some(expires)).await;
        let mut ws = WsClient::connect(&app, "graphql-transport-ws").await;
        ws.initialise(json!({ "authorization": format!("Bearer {}", editor.access_token) }))
            .await;
        let mut asked = 0;
        let mut held = async || {
            asked += 1;
            ws.send(json!({ "id": asked.to_string(), "type": "subscribe", "payload": { "query": "{ viewer { entitlements } }" } }))
                .await;
            let next = ws.receive().await;
            assert_eq!(ws.receive().await["type"], "complete");
            next["payload"]["data"]["viewer"]["entitlements"].clone()
        };
        assert!(
            held()
                .await
                .as_array()
                .unwrap()
                .contains(&json!("roles:create"))
        );

        app.graphql_as(
            &admin.access_token,
            "mutation { updateRole(input: {role: \"editor\", entitlements: [\"roles:read\"]}) { role { name } } }",
            json!({}),
        )
        .await
        .assert_ok();
        let narrowed = held().await;
        assert!(narrowed.as_array().unwrap().contains(&json!("roles:read")));
        assert!(
            !narrowed
                .as_array()
                .unwrap()
                .contains(&json!("roles:create"))
        );

        app.clock.advance(Duration::minutes(11));
        let expired = held().await;
        assert!(
            !expired.as_array().unwrap().contains(&json!("roles:read")),
            "{expired}"
        );
    }
);
