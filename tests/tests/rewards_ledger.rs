//! The reward engine's books through the API: an admin's adjustment pays once per key under
//! concurrency, needs its entitlement, is audited, and keeps the balances the ledger's sums.
//! (The engine's own invariants under random awards, reversals and spends are tested in
//! `schema/tests/gamification_ledger.rs`.)

use serde_json::json;
use tests::{SignedIn, TestApp, api_test};

/// The invariants, read through the API: the wallet and lifetime XP are the ledger's sums.
async fn assert_books_balance(app: &TestApp, user: &SignedIn) {
    let read = "{ viewer { wallet { coins totalEarned totalSpent } progress { totalXp } ledger(first: 100) { edges { node { eventType xp coins } } } } }";
    let response = app.graphql_as(&user.access_token, read, json!({})).await;
    let viewer = response.assert_ok()["viewer"].clone();
    let rows = viewer["ledger"]["edges"].as_array().unwrap();
    let sum = |field: &str| -> i64 {
        rows.iter()
            .map(|r| r["node"][field].as_i64().unwrap())
            .sum()
    };
    assert_eq!(viewer["wallet"]["coins"], sum("coins"));
    assert_eq!(viewer["progress"]["totalXp"], sum("xp"));
}

api_test!(
    async fn fifty_concurrent_adjustments_with_one_key_pay_once(app: TestApp) {
        let admin = app.admin().await;
        let user = app.member("adjusted@example.com").await;
        let mutation = "mutation($u: UUID!) { adjustPoints(input: {userId: $u, xp: 40, coins: 5, reason: \"support credit\", idempotencyKey: \"ticket-77\"}) { repeated entry { id xp coins } } }";
        let calls = (0..50)
            .map(|_| app.graphql_as(&admin.access_token, mutation, json!({ "u": user.user_id })));
        let responses = futures_util::future::join_all(calls).await;
        let first_payments = responses
            .iter()
            .filter(|r| r.assert_ok()["adjustPoints"]["repeated"] == false)
            .count();
        assert_eq!(first_payments, 1);
        let ids: std::collections::HashSet<_> = responses
            .iter()
            .map(|r| r.data()["adjustPoints"]["entry"]["id"].clone())
            .collect();
        assert_eq!(ids.len(), 1, "every call answers with the one row");
        let mine = app
            .graphql_as(&user.access_token, "{ viewer { wallet { coins totalEarned } progress { totalXp } ledger { totalCount } } }", json!({}))
            .await;
        assert_eq!(
            mine.assert_ok()["viewer"],
            json!({ "wallet": { "coins": 5, "totalEarned": 5 }, "progress": { "totalXp": 40 }, "ledger": { "totalCount": 1 } })
        );
        assert_books_balance(&app, &user).await;
    }
);

api_test!(
    async fn adjusting_points_needs_its_entitlement_and_is_audited(app: TestApp) {
        let admin = app.admin().await;
        let moderator = app
            .user_with_role(&admin, "mod@example.com", "moderator", None)
            .await;
        let user = app.member("target@example.com").await;
        let mutation = "mutation($u: UUID!, $k: String!) { adjustPoints(input: {userId: $u, coins: -3, reason: \"refund\", idempotencyKey: $k}) { entry { coins reason } } }";
        let refused = app
            .graphql_as(
                &moderator.access_token,
                mutation,
                json!({ "u": user.user_id, "k": "a" }),
            )
            .await;
        assert_eq!(refused.error_codes(), ["FORBIDDEN"]);
        assert_eq!(refused.extensions()["entitlement"], "points_ledger:create");
        let done = app
            .graphql_as(
                &admin.access_token,
                mutation,
                json!({ "u": user.user_id, "k": "b" }),
            )
            .await;
        assert_eq!(
            done.assert_ok()["adjustPoints"]["entry"],
            json!({ "coins": -3, "reason": "refund" })
        );
        let audit = app
            .graphql_as(&admin.access_token, "{ auditLog(filter: {eventType: \"points_adjusted\"}) { edges { node { userId details } } } }", json!({}))
            .await;
        let entry = audit.assert_ok()["auditLog"]["edges"][0]["node"].clone();
        assert_eq!(entry["userId"], json!(admin.user_id.to_string()));
        assert_eq!(
            entry["details"]["target_user_id"],
            json!(user.user_id.to_string())
        );
        let empty = app
            .graphql_as(
                &admin.access_token,
                mutation.replace("coins: -3", "coins: 0").as_str(),
                json!({ "u": user.user_id, "k": "c" }),
            )
            .await;
        assert_eq!(empty.error_codes(), ["BAD_USER_INPUT"]);
    }
);
