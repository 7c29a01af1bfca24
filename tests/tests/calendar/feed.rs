//! The private feed: a secret URL that answers 200, then 404 once replaced or revoked
//! (alike for a token never issued), ETag revalidation, and no raw token in any table.
use serde_json::json;
use tests::{Member, api_test, date};

use super::support::{create, create_feed, get_feed};

api_test!(
    async fn a_feed_url_answers_until_it_is_replaced_and_no_table_holds_its_token(app: TestApp) {
        let member = Member::join(&app, "feed@example.com", "UTC", date(2026, 3, 1)).await;
        create(
            &member,
            json!({ "title": "Dentist", "start": "2026-03-05T09:00:00Z" }),
        )
        .await;
        let first = create_feed(&member).await;
        let token = first
            .rsplit('/')
            .next()
            .unwrap()
            .trim_end_matches(".ics")
            .to_owned();
        assert!(token.len() >= 32);
        assert!(
            !app.database.contains_text(&token).await,
            "the raw token is stored"
        );

        let ok = get_feed(&app, &first, None).await;
        assert_eq!(ok.status(), 200);
        let etag = ok.headers()["etag"].to_str().unwrap().to_owned();
        assert!(ok.text().await.unwrap().contains("SUMMARY:Dentist"));
        let again = get_feed(&app, &first, Some(&etag)).await;
        assert_eq!(again.status(), 304);
        assert!(again.text().await.unwrap().is_empty());
        // A change gives a new tag.
        create(
            &member,
            json!({ "title": "Haircut", "start": "2026-03-06T09:00:00Z" }),
        )
        .await;
        assert_eq!(get_feed(&app, &first, Some(&etag)).await.status(), 200);

        let second = create_feed(&member).await;
        assert_ne!(second, first);
        let gone = get_feed(&app, &first, None).await;
        assert_eq!(gone.status(), 404);
        let gone_body = gone.text().await.unwrap();
        let never = get_feed(&app, "http://x/calendar/never-issued-token.ics", None).await;
        assert_eq!(never.status(), 404);
        assert_eq!(
            never.text().await.unwrap(),
            gone_body,
            "revoked and unknown look alike"
        );
        assert_eq!(get_feed(&app, &second, None).await.status(), 200);

        let revoked = member
            .ok("mutation { revokeCalendarFeed { revoked } }", json!({}))
            .await;
        assert_eq!(revoked["revokeCalendarFeed"]["revoked"], true);
        assert_eq!(get_feed(&app, &second, None).await.status(), 404);
        let has = member.ok("{ viewer { hasCalendarFeed } }", json!({})).await;
        assert_eq!(has["viewer"]["hasCalendarFeed"], false);
    }
);
