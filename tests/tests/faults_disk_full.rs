//! A full disk on SQLite, made by a file-size limit on the real server process: writes fail
//! while it lasts and readiness says so; no acknowledged write is lost and no refused one
//! lands; once space returns writes succeed again, without a restart.
use std::{collections::BTreeMap, time::Duration};

use entity::{points_ledger, user_progress, user_wallet};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;
use tests::{ADMIN_EMAIL, Backend, ChildServer, Outbox, SignedIn, TestDatabase};
use uuid::Uuid;

const ADJUST: &str = "mutation($u: UUID!, $xp: Int!, $k: String!) { adjustPoints(input: {userId: $u, xp: $xp, coins: 1, reason: \"spell\", idempotencyKey: $k}) { repeated entry { id } } }";

/// What each keyed adjustment was answered: its entry and xp, or a refusal.
#[derive(Default)]
struct Book {
    acknowledged: BTreeMap<String, (Uuid, i32)>,
    refused: Vec<String>,
    unanswered: Vec<String>,
}

impl Book {
    async fn adjust(
        server: &ChildServer,
        admin: &SignedIn,
        user: Uuid,
        key: String,
        xp: i32,
    ) -> (String, i32, Option<Result<Uuid, String>>) {
        let answer = server
            .try_graphql_as(
                Some(&admin.access_token),
                ADJUST,
                json!({ "u": user, "xp": xp, "k": key }),
            )
            .await
            .map(
                |response| match response.body["data"]["adjustPoints"]["entry"]["id"].as_str() {
                    Some(id) if response.body.get("errors").is_none() => Ok(id.parse().unwrap()),
                    _ => Err(response.body.to_string()),
                },
            );
        (key, xp, answer)
    }

    fn record(&mut self, (key, xp, answer): (String, i32, Option<Result<Uuid, String>>)) -> bool {
        match answer {
            Some(Ok(id)) => {
                self.acknowledged.insert(key, (id, xp));
                true
            }
            Some(Err(_)) => {
                self.refused.push(key);
                false
            }
            None => {
                self.unanswered.push(key);
                false
            }
        }
    }
}

/// Sets the child's file-size limit (`prlimit(1)`): `0` fails every write, as a full disk.
async fn limit_file_size(server: &ChildServer, soft: &str) {
    let status = tokio::process::Command::new("prlimit")
        .args([
            "--pid",
            &server.pid().to_string(),
            &format!("--fsize={soft}:unlimited"),
        ])
        .status()
        .await
        .expect("run prlimit (util-linux)");
    assert!(status.success(), "prlimit failed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_a_full_disk_and_writes_recover_without_a_restart() {
    let database = TestDatabase::fresh(Backend::Sqlite).await;
    let mut server = ChildServer::start(&database.url, Outbox::fresh(), &[]).await;
    let admin = server.sign_in(ADMIN_EMAIL).await;
    let user = server.sign_in("spell@example.com").await.user_id;
    let mut book = Book::default();
    for n in 0..4 {
        let answer = Book::adjust(&server, &admin, user, format!("before-{n}"), 1).await;
        assert!(book.record(answer), "writes succeed before the spell");
    }
    assert_eq!(server.ready().await.0, 200);

    limit_file_size(&server, "0").await;
    for round in 0..4 {
        let calls = (0..8)
            .map(|n| Book::adjust(&server, &admin, user, format!("spell-{round}-{n}"), 10 + n));
        for answer in futures_util::future::join_all(calls).await {
            book.record(answer);
        }
    }
    let (status, body) = server.ready().await;
    assert_eq!(status, 503, "readiness reports the full disk: {body}");
    // Unwritable, or unreachable when not even a new connection opens (its shared-memory
    // file cannot grow); either way with the database's own reason.
    assert_ne!(body["database"], "ok", "{body}");
    assert!(
        body["reason"].as_str().is_some_and(|r| !r.is_empty()),
        "{body}"
    );
    assert!(
        !book.refused.is_empty(),
        "writes fail while the disk is full"
    );

    limit_file_size(&server, "unlimited").await;
    let mut recovered = false;
    for _ in 0..50 {
        if server.ready().await.0 == 200 {
            recovered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(recovered, "readiness recovers by itself once space returns");
    for n in 0..12 {
        let answer = Book::adjust(&server, &admin, user, format!("after-{n}"), 100).await;
        assert!(
            book.record(answer),
            "every write succeeds once space returns, without a restart"
        );
    }
    // Nothing holds the write lock for good: another process can take it.
    let outside = schema::domain::db::begin_write(&database.db).await;
    assert!(
        outside.is_ok(),
        "another writer takes the lock: {outside:?}"
    );
    drop(outside);

    server.signal("TERM").await;
    assert!(
        server.wait_exit(Duration::from_secs(15)).await.is_some(),
        "SIGTERM stops the server"
    );

    // What the file holds after the server is gone.
    let ledger = points_ledger::Entity::find()
        .filter(points_ledger::Column::UserId.eq(user))
        .all(&database.db)
        .await
        .unwrap();
    let by_key: BTreeMap<String, &points_ledger::Model> = ledger
        .iter()
        .filter_map(|row| {
            Some((
                row.idempotency_key
                    .clone()?
                    .strip_prefix("adjustment:")?
                    .to_owned(),
                row,
            ))
        })
        .collect();
    for (key, (id, xp)) in &book.acknowledged {
        let row = by_key
            .get(key)
            .unwrap_or_else(|| panic!("acknowledged write {key} is lost"));
        assert_eq!(
            (row.id, row.xp),
            (*id, *xp),
            "{key} is the entry it was acknowledged as"
        );
    }
    for key in &book.refused {
        assert!(!by_key.contains_key(key), "refused write {key} landed");
    }
    let unanswered_landed = book
        .unanswered
        .iter()
        .filter(|k| by_key.contains_key(*k))
        .count();
    assert_eq!(
        by_key.len(),
        book.acknowledged.len() + unanswered_landed,
        "no adjustment is in the file but those acknowledged (or never answered)"
    );
    let progress = user_progress::Entity::find()
        .filter(user_progress::Column::UserId.eq(user))
        .one(&database.db)
        .await
        .unwrap()
        .expect("progress row");
    let wallet = user_wallet::Entity::find()
        .filter(user_wallet::Column::UserId.eq(user))
        .one(&database.db)
        .await
        .unwrap()
        .expect("wallet row");
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
        "disk-full spell: {} acknowledged, {} refused, {} unanswered",
        book.acknowledged.len(),
        book.refused.len(),
        book.unanswered.len()
    );
}
