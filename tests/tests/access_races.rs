//! Races on the admin API end in an answer: concurrent twins of a grant or a creation get
//! the grant or a CONFLICT, never INTERNAL, and only the change that happened is audited.

use futures_util::future::join_all;
use serde_json::json;
use tests::{GqlResponse, api_test};

fn codes(responses: &[GqlResponse]) -> Vec<String> {
    responses
        .iter()
        .map(|r| {
            let codes = r.error_codes();
            if codes.is_empty() {
                "OK".to_owned()
            } else {
                codes.join(",")
            }
        })
        .collect()
}

api_test!(
    async fn ten_concurrent_grants_give_one_grant_and_one_audit_entry(app: TestApp) {
        let admin = app.admin().await;
        let target = app.sign_in("raced@example.com").await;
        let grant = "mutation($u: UUID!) { grantRole(input: {userId: $u, role: \"moderator\"}) { user { roles { name } } } }";
        let calls = (0..10)
            .map(|_| app.graphql_as(&admin.access_token, grant, json!({ "u": target.user_id })));
        let answers = join_all(calls).await;
        assert_eq!(codes(&answers), vec!["OK"; 10]);
        for answer in &answers {
            let roles = &answer.data()["grantRole"]["user"]["roles"];
            assert!(
                roles
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|r| r["name"] == "moderator")
            );
        }
        let entries = app
            .audit_events_of("role_granted")
            .await
            .into_iter()
            .filter(|e| e.resource_id == Some(target.user_id))
            .count();
        assert_eq!(entries, 1, "one change, one audit entry");
    }
);

api_test!(
    async fn ten_concurrent_creations_of_one_name_make_one_role_and_nine_conflicts(app: TestApp) {
        let admin = app.admin().await;
        let create =
            "mutation { createRole(input: {name: \"twins\", entitlements: []}) { role { name } } }";
        let answers =
            join_all((0..10).map(|_| app.graphql_as(&admin.access_token, create, json!({})))).await;
        let mut seen = codes(&answers);
        seen.sort();
        let mut expected = vec!["CONFLICT".to_owned(); 9];
        expected.push("OK".to_owned());
        assert_eq!(seen, expected);
        let conflict = answers
            .iter()
            .find(|a| !a.error_codes().is_empty())
            .unwrap();
        assert_eq!(conflict.extensions()["reason"], "ALREADY_EXISTS");

        let entitlement = "mutation { createEntitlement(input: {resource: \"twins\", action: \"read\"}) { entitlement { name } } }";
        let answers =
            join_all((0..10).map(|_| app.graphql_as(&admin.access_token, entitlement, json!({}))))
                .await;
        let mut seen = codes(&answers);
        seen.sort();
        assert_eq!(seen, expected);
    }
);
