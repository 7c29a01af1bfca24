//! `Member`: a signed-in user past the gates, living in a time zone, whom a test moves
//! through local days (the app's clock is set, the token renewed) and who speaks GraphQL.
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use serde_json::{Value, json};

use crate::{GqlResponse, SignedIn, TestApp};

/// The instant of a wall-clock time in `zone` (the earlier one when ambiguous).
pub fn local(zone: Tz, day: NaiveDate, h: u32, m: u32) -> DateTime<Utc> {
    let wall = day.and_hms_opt(h, m, 0).expect("a wall-clock time");
    zone.from_local_datetime(&wall)
        .earliest()
        .expect("a time that exists in the zone")
        .with_timezone(&Utc)
}

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a calendar date")
}

pub struct Member<'a> {
    pub app: &'a TestApp,
    pub user: SignedIn,
    pub zone: Tz,
}

impl<'a> Member<'a> {
    /// Signs `email` up at noon local time on `day` in `zone`.
    pub async fn join(app: &'a TestApp, email: &str, zone: &str, day: NaiveDate) -> Self {
        let zone: Tz = zone.parse().expect("an IANA zone");
        app.clock.set(local(zone, day, 12, 0));
        let user = app.member(email).await;
        app.set_time_zone(&user, zone.name()).await;
        Self { app, user, zone }
    }

    /// Moves to `h:m` local time on `day`.
    pub async fn at(&mut self, day: NaiveDate, h: u32, m: u32) {
        self.app
            .travel(&mut self.user, local(self.zone, day, h, m))
            .await;
    }

    pub async fn gql(&self, query: &str, variables: Value) -> GqlResponse {
        self.app
            .graphql_as(&self.user.access_token, query, variables)
            .await
    }

    /// Runs `query`, asserts it succeeded and returns its data.
    pub async fn ok(&self, query: &str, variables: Value) -> Value {
        self.gql(query, variables).await.assert_ok().clone()
    }

    /// Runs `query` after a read (so the request's own bookkeeping, such as the
    /// five-minutely activity stamp, is not counted), asserts it succeeded and returns
    /// (data, SQL statements it sent).
    pub async fn counted(&self, query: &str, variables: Value) -> (Value, u64) {
        self.ok("{ viewer { id } }", json!({})).await;
        let (response, statements) = self
            .app
            .graphql_counting_as(&self.user.access_token, query, variables)
            .await;
        (response.assert_ok().clone(), statements)
    }

    /// Lifetime XP and coins now.
    pub async fn balance(&self) -> (i64, i64) {
        let data = self
            .ok(
                "{ viewer { progress { totalXp } wallet { coins } } }",
                json!({}),
            )
            .await;
        (
            data["viewer"]["progress"]["totalXp"]
                .as_i64()
                .unwrap_or_default(),
            data["viewer"]["wallet"]["coins"]
                .as_i64()
                .unwrap_or_default(),
        )
    }

    /// The viewer's ledger rows of one `eventType` (`habit`, `reversal`…), newest first:
    /// (xp, coins).
    pub async fn ledger(&self, event_type: &str) -> Vec<(i64, i64)> {
        let data = self
            .ok(
                "{ viewer { ledger(first: 100) { edges { node { eventType xp coins } } } } }",
                json!({}),
            )
            .await;
        let rows = data["viewer"]["ledger"]["edges"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        rows.iter()
            .map(|e| &e["node"])
            .filter(|n| n["eventType"] == event_type)
            .map(|n| {
                (
                    n["xp"].as_i64().unwrap_or_default(),
                    n["coins"].as_i64().unwrap_or_default(),
                )
            })
            .collect()
    }

    /// The viewer's streak of `kind` (`DAILY`, `FOCUS`, `HABIT`): (current, longest).
    pub async fn streak(&self, kind: &str) -> (i64, i64) {
        let data = self
            .ok("{ viewer { streaks { type current longest } } }", json!({}))
            .await;
        let streaks = data["viewer"]["streaks"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let streak = streaks
            .iter()
            .find(|s| s["type"] == kind)
            .expect("a streak of that type");
        (
            streak["current"].as_i64().unwrap_or_default(),
            streak["longest"].as_i64().unwrap_or_default(),
        )
    }
}

impl GqlResponse {
    /// The first error's `extensions`: (code, reason, field).
    pub fn error(&self) -> (String, Option<String>, Option<String>) {
        let ext = self.extensions();
        let text = |v: &Value| v.as_str().map(str::to_owned);
        (
            text(&ext["code"]).unwrap_or_else(|| format!("no error: {}", self.body)),
            text(&ext["reason"]),
            text(&ext["field"]),
        )
    }
}
