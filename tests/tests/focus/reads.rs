//! What a user reads of their focus: the sessions as a connection with filters, the stats
//! on their own calendar, and statements that grow with the query, not the rows.
use chrono::{NaiveDate, TimeZone};
use serde_json::json;
use tests::api_test;

use super::support::{SESSION, advance, moved, start, try_start};

api_test!(
    async fn sessions_list_newest_first_with_filters_and_pages(app: TestApp) {
        let mut user = app.member("lister@example.com").await;
        let done = start(&app, &user, 60).await;
        advance(&app, &mut user, 60).await;
        moved(&app, &user, "complete").await;
        let dropped = start(&app, &user, 60).await;
        moved(&app, &user, "abandon").await;
        let running = start(&app, &user, 60).await;

        let query = format!(
            "query($f: FocusSessionFilter, $after: String) {{ viewer {{ focusSessions(first: 2, after: $after, filter: $f) {{
                totalCount pageInfo {{ hasNextPage endCursor }} edges {{ node {{ {SESSION} }} }} }} }} }}"
        );
        let page = |filter: serde_json::Value, after: serde_json::Value| {
            let query = query.clone();
            let token = user.access_token.clone();
            let app = &app;
            async move {
                let response = app
                    .graphql_as(&token, &query, json!({ "f": filter, "after": after }))
                    .await;
                response.assert_ok()["viewer"]["focusSessions"].clone()
            }
        };
        let first = page(json!(null), json!(null)).await;
        assert_eq!(first["totalCount"], 3);
        assert_eq!(first["pageInfo"]["hasNextPage"], true);
        let ids: Vec<_> = first["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"]["id"].clone())
            .collect();
        assert_eq!(ids, [running["id"].clone(), dropped["id"].clone()]);
        let rest = page(json!(null), first["pageInfo"]["endCursor"].clone()).await;
        assert_eq!(rest["edges"][0]["node"]["id"], done["id"]);
        assert_eq!(rest["pageInfo"]["hasNextPage"], false);

        let completed = page(json!({ "status": "COMPLETED" }), json!(null)).await;
        assert_eq!(completed["totalCount"], 1);
        assert_eq!(completed["edges"][0]["node"]["xpAwarded"], 5);
        let later = page(json!({ "from": running["startedAt"] }), json!(null)).await;
        assert_eq!(later["totalCount"], 1);
        let earlier = page(json!({ "to": running["startedAt"] }), json!(null)).await;
        assert_eq!(earlier["totalCount"], 2);
    }
);

api_test!(
    async fn stats_count_completed_work_on_the_users_local_days(app: TestApp) {
        let zone = chrono_tz::Pacific::Auckland;
        let local = |d: u32, h: u32, m: u32| {
            let day = NaiveDate::from_ymd_opt(2026, 5, d).unwrap();
            zone.from_local_datetime(&day.and_hms_opt(h, m, 0).unwrap())
                .unwrap()
                .with_timezone(&chrono::Utc)
        };
        let mut user = app.member("kiwi@example.com").await;
        app.set_time_zone(&user, "Pacific/Auckland").await;
        // 23:29 → 23:54 on the 4th (25 min), 00:10 → 00:11 on the 5th, then a break.
        app.travel(&mut user, local(4, 23, 29)).await;
        start(&app, &user, 1500).await;
        advance(&app, &mut user, 1500).await;
        moved(&app, &user, "complete").await;
        app.travel(&mut user, local(5, 0, 10)).await;
        start(&app, &user, 60).await;
        advance(&app, &mut user, 60).await;
        moved(&app, &user, "complete").await;
        try_start(
            &app,
            &user,
            json!({ "mode": "SHORT_BREAK", "durationSeconds": 300 }),
        )
        .await
        .assert_ok();
        advance(&app, &mut user, 300).await;
        moved(&app, &user, "complete").await;

        let stats = app
            .graphql_as(
                &user.access_token,
                r#"{ viewer { focusStats(from: "2026-05-03", to: "2026-05-05") { from to totalFocusSeconds sessionsCompleted byDay { date focusSeconds } } } }"#,
                json!({}),
            )
            .await;
        assert_eq!(
            stats.assert_ok()["viewer"]["focusStats"],
            json!({ "from": "2026-05-03", "to": "2026-05-05", "totalFocusSeconds": 1560, "sessionsCompleted": 2,
                    "byDay": [{ "date": "2026-05-03", "focusSeconds": 0 }, { "date": "2026-05-04", "focusSeconds": 1500 },
                              { "date": "2026-05-05", "focusSeconds": 60 }] })
        );
        let week = app
            .graphql_as(
                &user.access_token,
                "{ viewer { focusStats { from to byDay { date } } } }",
                json!({}),
            )
            .await;
        let week = &week.assert_ok()["viewer"]["focusStats"];
        assert_eq!(
            (week["from"].clone(), week["to"].clone()),
            (json!("2026-04-29"), json!("2026-05-05"))
        );
        let backwards = app
            .graphql_as(
                &user.access_token,
                r#"{ viewer { focusStats(from: "2026-05-05", to: "2026-05-01") { from } } }"#,
                json!({}),
            )
            .await;
        assert_eq!(backwards.extensions()["field"], "from");
    }
);

api_test!(
    async fn reading_sessions_takes_the_same_statements_for_one_or_many(app: TestApp) {
        let user = app.member("counted@example.com").await;
        let query = format!(
            "{{ viewer {{ activeFocusSession {{ {SESSION} }} focusSessions(first: 50) {{ edges {{ node {{ {SESSION} }} }} }} }} }}"
        );
        start(&app, &user, 60).await;
        moved(&app, &user, "pause").await;
        let (one, few) = app
            .graphql_counting_as(&user.access_token, &query, json!({}))
            .await;
        one.assert_ok();
        for _ in 0..4 {
            moved(&app, &user, "abandon").await;
            start(&app, &user, 60).await;
            moved(&app, &user, "pause").await;
        }
        let (many, more) = app
            .graphql_counting_as(&user.access_token, &query, json!({}))
            .await;
        assert_eq!(
            many.assert_ok()["viewer"]["focusSessions"]["edges"]
                .as_array()
                .unwrap()
                .len(),
            5
        );
        assert_eq!(few, more, "statements grow with the query, not the rows");
    }
);
