//! Crash safety: the real server is SIGKILLed during concurrent keyed writes (adjustments
//! and habit completions), restarted on the same database, and then every acknowledged key
//! is in the books exactly once, the calls left unanswered are retried with their keys
//! exactly once, and wallet and XP equal the ledger's sums.
use std::{
    collections::BTreeMap,
    sync::Mutex,
    time::{Duration, Instant},
};

use entity::{habit_completions, points_ledger, user_progress, user_wallet};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use tests::{ADMIN_EMAIL, ChildServer, Outbox, SignedIn, TestDatabase, backend_test};
use uuid::Uuid;

const ADJUST: &str = "mutation($u: UUID!, $k: String!) { adjustPoints(input: {userId: $u, xp: 3, coins: 1, reason: \"crash\", idempotencyKey: $k}) { repeated entry { id } } }";
const COMPLETE: &str = "mutation($h: UUID!, $k: String!) { completeHabit(input: {habitId: $h, idempotencyKey: $k}) { repeated completion { id } } }";

struct Writers<'a> {
    server: &'a ChildServer,
    admin: &'a SignedIn,
    member: &'a SignedIn,
    habit: Uuid,
}

/// A keyed write: an adjustment by the admin, or the member's habit completion.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Adjust,
    Complete,
}

impl Writers<'_> {
    /// The id the write was acknowledged with; `None` when no answer came.
    async fn write(&self, kind: Kind, key: &str) -> Option<(Uuid, bool)> {
        let (token, query, vars, field, id) = match kind {
            Kind::Adjust => (
                &self.admin.access_token,
                ADJUST,
                json!({ "u": self.member.user_id, "k": key }),
                "adjustPoints",
                "entry",
            ),
            Kind::Complete => (
                &self.member.access_token,
                COMPLETE,
                json!({ "h": self.habit, "k": key }),
                "completeHabit",
                "completion",
            ),
        };
        let response = self.server.try_graphql_as(Some(token), query, vars).await?;
        let payload: &Value = &response.body["data"][field];
        // Refused as the server died: not acknowledged, retried like an unanswered call.
        payload[id]["id"]
            .as_str()
            .map(|found| (found.parse().unwrap(), payload["repeated"] == true))
    }
}

/// Whether a ledger key ends with one of the writers' keys (`…:w<writer>-<n>`).
fn is_writers_key(key: &str) -> bool {
    key.rsplit(':').next().is_some_and(|last| {
        last.strip_prefix('w')
            .and_then(|rest| rest.split_once('-'))
            .is_some_and(|(w, n)| w.parse::<u32>().is_ok() && n.parse::<u32>().is_ok())
    })
}

backend_test!(
    async fn after_sigkill_every_acknowledged_key_is_paid_exactly_once(backend: Backend) {
        let database = TestDatabase::fresh(backend).await;
        let mut server = ChildServer::start(&database.url, Outbox::fresh(), &[]).await;
        let admin = server.sign_in(ADMIN_EMAIL).await;
        let member = server.member("crash@example.com").await;
        let habit = server
            .graphql_as(Some(&member.access_token), r#"mutation { createHabit(input: {name: "Crash", targetCount: 100}) { habit { id } } }"#, json!({}))
            .await;
        let habit: Uuid = habit.assert_ok()["createHabit"]["habit"]["id"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();

        let acknowledged: Mutex<BTreeMap<String, (Kind, Uuid)>> = Mutex::default();
        let pending: Mutex<Vec<(Kind, String)>> = Mutex::default();
        {
            let writers = Writers {
                server: &server,
                admin: &admin,
                member: &member,
                habit,
            };
            let writer = |w: usize| {
                let (writers, acknowledged, pending) = (&writers, &acknowledged, &pending);
                async move {
                    for n in 0.. {
                        // Completions stay under the habit's 100 a day.
                        let kind = if w.is_multiple_of(2) || n >= 20 {
                            Kind::Adjust
                        } else {
                            Kind::Complete
                        };
                        let key = format!("w{w}-{n}");
                        match writers.write(kind, &key).await {
                            Some((id, _)) => acknowledged.lock().unwrap().insert(key, (kind, id)),
                            None => {
                                pending.lock().unwrap().push((kind, key));
                                return;
                            }
                        };
                    }
                }
            };
            let kill = async {
                tokio::time::sleep(Duration::from_millis(800)).await;
                server.signal("KILL").await;
            };
            futures_util::future::join(futures_util::future::join_all((0..6).map(writer)), kill)
                .await;
        }
        server
            .wait_exit(Duration::from_secs(5))
            .await
            .expect("killed");
        let acknowledged = acknowledged.into_inner().unwrap();
        let pending = pending.into_inner().unwrap();
        assert!(
            acknowledged.len() >= 6,
            "writes were acknowledged before the kill"
        );

        let restarted = Instant::now();
        let server = ChildServer::start(&database.url, Outbox::fresh(), &[]).await;
        let ready_after = restarted.elapsed();
        let writers = Writers {
            server: &server,
            admin: &admin,
            member: &member,
            habit,
        };
        for (kind, key) in &pending {
            assert!(
                writers.write(*kind, key).await.is_some(),
                "the retry of {key} succeeds"
            );
            let (_, repeated) = writers.write(*kind, key).await.unwrap();
            assert!(repeated, "a second retry of {key} pays nothing");
        }
        for (key, (kind, id)) in acknowledged.iter().take(10) {
            let (again, repeated) = writers.write(*kind, key).await.unwrap();
            assert_eq!(
                (again, repeated),
                (*id, true),
                "{key} answers its first result"
            );
        }

        let ledger = points_ledger::Entity::find()
            .filter(points_ledger::Column::UserId.eq(member.user_id))
            .all(&database.db)
            .await
            .unwrap();
        let completions = habit_completions::Entity::find()
            .filter(habit_completions::Column::HabitId.eq(habit))
            .all(&database.db)
            .await
            .unwrap();
        for (key, (kind, id)) in &acknowledged {
            let suffix = format!(":{key}");
            let rows: Vec<_> = ledger
                .iter()
                .filter(|r| {
                    r.idempotency_key
                        .as_deref()
                        .is_some_and(|k| k.ends_with(&suffix))
                })
                .collect();
            assert_eq!(rows.len(), 1, "acknowledged {key} is paid exactly once");
            match kind {
                Kind::Adjust => assert_eq!(rows[0].id, *id),
                Kind::Complete => {
                    assert_eq!(rows[0].event_id, Some(*id));
                    assert!(
                        completions.iter().any(|c| c.id == *id),
                        "completion {key} is kept"
                    );
                }
            }
        }
        let keyed = ledger
            .iter()
            .filter(|r| r.idempotency_key.as_deref().is_some_and(is_writers_key))
            .count();
        assert_eq!(
            keyed,
            acknowledged.len() + pending.len(),
            "each key once, no stray payment"
        );
        let completed = acknowledged
            .values()
            .filter(|(k, _)| *k == Kind::Complete)
            .count()
            + pending.iter().filter(|(k, _)| *k == Kind::Complete).count();
        assert_eq!(
            completions.len(),
            completed,
            "one completion per completed key"
        );
        let progress = user_progress::Entity::find()
            .filter(user_progress::Column::UserId.eq(member.user_id))
            .one(&database.db)
            .await
            .unwrap()
            .unwrap();
        let wallet = user_wallet::Entity::find()
            .filter(user_wallet::Column::UserId.eq(member.user_id))
            .one(&database.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            progress.total_xp,
            ledger.iter().map(|r| r.xp).sum::<i32>(),
            "total_xp = Σ ledger.xp"
        );
        assert_eq!(
            wallet.coins,
            ledger.iter().map(|r| r.coins).sum::<i32>(),
            "coins = Σ ledger.coins"
        );
        eprintln!(
            "{backend:?}: {} acknowledged before SIGKILL, {} unanswered and retried; ready again in {ready_after:?}",
            acknowledged.len(),
            pending.len()
        );
    }
);
