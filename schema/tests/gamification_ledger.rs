//! The reward engine's books: every balance is the sum of its ledger, awards pay once per
//! key also under concurrency, reversals and spends keep the sums, and nothing overdraws.

use chrono::Utc;
use entity::{points_ledger, user_progress, user_skills, user_wallet};
use schema::domain::{
    UserId,
    auth::users,
    db::begin_write,
    gamification::{Award, award, levels, rewards::LedgerSource, spending},
};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use testkit::db_test;

async fn new_user(db: &DatabaseConnection, email: &str) -> UserId {
    UserId(
        users::find_or_create_verified(db, email, None, Utc::now())
            .await
            .unwrap()
            .id,
    )
}

/// A small deterministic generator: the "random" mix is the same on every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> i32 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        i32::try_from((self.0 >> 33) % below).unwrap()
    }
}

async fn pay(db: &DatabaseConnection, user: UserId, award_: Award) -> Award {
    let txn = begin_write(db).await.unwrap();
    award(&txn, user, award_.clone(), Utc::now()).await.unwrap();
    txn.commit().await.unwrap();
    award_
}

async fn wallet_of(db: &DatabaseConnection, user: UserId) -> user_wallet::Model {
    user_wallet::Entity::find()
        .filter(user_wallet::Column::UserId.eq(user.0))
        .one(db)
        .await
        .unwrap()
        .unwrap()
}

async fn progress_of(db: &DatabaseConnection, user: UserId) -> user_progress::Model {
    user_progress::Entity::find()
        .filter(user_progress::Column::UserId.eq(user.0))
        .one(db)
        .await
        .unwrap()
        .unwrap()
}

/// The invariants: balances equal the ledger's sums, the level matches the curve.
async fn assert_books_balance(db: &DatabaseConnection, user: UserId) {
    let ledger = points_ledger::Entity::find()
        .filter(points_ledger::Column::UserId.eq(user.0))
        .all(db)
        .await
        .unwrap();
    let wallet = wallet_of(db, user).await;
    let progress = progress_of(db, user).await;
    let coins: i32 = ledger.iter().map(|r| r.coins).sum();
    let spent: i32 = ledger
        .iter()
        .filter(|r| r.event_type == "purchase")
        .map(|r| -r.coins)
        .sum();
    let xp: i32 = ledger.iter().map(|r| r.xp).sum();
    let stars: i32 = ledger
        .iter()
        .map(|r| r.skill_stars.unwrap_or_default())
        .sum();
    assert_eq!(wallet.coins, coins, "wallet.coins = Σ ledger.coins");
    assert_eq!(wallet.total_spent, spent);
    assert_eq!(wallet.total_earned, coins + spent);
    assert_eq!(progress.total_xp, xp, "total_xp = Σ ledger.xp");
    assert_eq!(progress.total_skill_stars, stars);
    let standing = levels::standing(i64::from(xp));
    assert_eq!(
        progress.current_level, standing.level,
        "the level matches the curve"
    );
    assert_eq!(i64::from(progress.xp_to_next_level), standing.to_next);
}

db_test!(
    async fn after_a_random_mix_of_awards_and_reversals_the_books_balance(db: TestDatabase) {
        let user = new_user(&db.db, "books@example.com").await;
        let mut rng = Lcg(7);
        let mut paid: Vec<Award> = Vec::new();
        for n in 0..60 {
            let award_ = Award {
                xp: rng.next(120),
                coins: rng.next(15),
                skill: (rng.next(2) == 0).then(|| ("focus".to_owned(), rng.next(3))),
                // Some keys repeat: those pay once.
                idempotency_key: Some(format!("mix:{}", rng.next(45))),
                ..Award::new(LedgerSource::Focus)
            };
            paid.push(pay(&db.db, user, award_).await);
            if rng.next(4) == 0 {
                let earlier = paid
                    [usize::try_from(rng.next(u64::try_from(paid.len()).unwrap())).unwrap()]
                .clone();
                pay(&db.db, user, earlier.reversal(Some(format!("undo:{n}")))).await;
            }
        }
        // And a burst of concurrent awards with fresh and repeated keys.
        let burst = (0..20).map(|n| {
            let db = db.db.clone();
            tokio::spawn(async move {
                let award_ = Award {
                    xp: 7,
                    coins: 1,
                    idempotency_key: Some(format!("burst:{}", n % 5)),
                    ..Award::new(LedgerSource::Habit)
                };
                pay(&db, user, award_).await;
            })
        });
        for task in futures_util::future::join_all(burst).await {
            task.unwrap();
        }
        assert_books_balance(&db.db, user).await;
        let burst_rows = points_ledger::Entity::find()
            .filter(points_ledger::Column::UserId.eq(user.0))
            .filter(points_ledger::Column::EventType.eq("habit"))
            .all(&db.db)
            .await
            .unwrap();
        assert_eq!(burst_rows.len(), 5, "one row per key, however many racers");
        let skill = user_skills::Entity::find()
            .filter(user_skills::Column::UserId.eq(user.0))
            .one(&db.db)
            .await
            .unwrap()
            .unwrap();
        let stars: i32 = points_ledger::Entity::find()
            .filter(points_ledger::Column::UserId.eq(user.0))
            .all(&db.db)
            .await
            .unwrap()
            .iter()
            .map(|r| r.skill_stars.unwrap_or_default())
            .sum();
        assert_eq!(skill.total_stars, stars);
    }
);

db_test!(
    async fn a_reversal_may_leave_a_debt_that_later_rewards_pay_back(db: TestDatabase) {
        let user = new_user(&db.db, "debt@example.com").await;
        let reward = pay(
            &db.db,
            user,
            Award {
                xp: 150,
                coins: 10,
                ..Award::new(LedgerSource::Goal)
            },
        )
        .await;
        let txn = begin_write(&db.db).await.unwrap();
        spending::spend(&txn, user, 8, "theme", None, Utc::now())
            .await
            .unwrap();
        txn.commit().await.unwrap();
        pay(&db.db, user, reward.reversal(None)).await;
        let wallet = wallet_of(&db.db, user).await;
        assert_eq!(
            (wallet.coins, wallet.total_earned, wallet.total_spent),
            (-8, 0, 8)
        );
        let progress = progress_of(&db.db, user).await;
        assert_eq!(
            (progress.total_xp, progress.current_level),
            (0, 1),
            "the level follows the XP down"
        );
        pay(
            &db.db,
            user,
            Award {
                xp: 10,
                coins: 10,
                ..Award::new(LedgerSource::Goal)
            },
        )
        .await;
        assert_books_balance(&db.db, user).await;
    }
);

db_test!(
    async fn racing_spends_never_overdraw_the_wallet(db: TestDatabase) {
        let user = new_user(&db.db, "spender@example.com").await;
        pay(
            &db.db,
            user,
            Award {
                coins: 100,
                ..Award::new(LedgerSource::Adjustment)
            },
        )
        .await;
        let spends = (0..20).map(|n| {
            let db = db.db.clone();
            tokio::spawn(async move {
                let txn = begin_write(&db).await.unwrap();
                match spending::spend(&txn, user, 10, "item", Some(format!("buy:{n}")), Utc::now())
                    .await
                {
                    Ok(_) => {
                        txn.commit().await.unwrap();
                        true
                    }
                    Err(err) => {
                        assert_eq!(err.reason().map(|r| r.as_str()), Some("INSUFFICIENT_COINS"));
                        false
                    }
                }
            })
        });
        let outcomes: Vec<bool> = futures_util::future::join_all(spends)
            .await
            .into_iter()
            .map(|r| r.unwrap())
            .collect();
        let succeeded = outcomes.iter().filter(|ok| **ok).count();
        let a_winner = outcomes.iter().position(|ok| *ok).unwrap();
        assert_eq!(succeeded, 10);
        let wallet = wallet_of(&db.db, user).await;
        assert_eq!((wallet.coins, wallet.total_spent), (0, 100));
        assert_books_balance(&db.db, user).await;

        let txn = begin_write(&db.db).await.unwrap();
        let repeat = spending::spend(
            &txn,
            user,
            10,
            "item",
            Some(format!("buy:{a_winner}")),
            Utc::now(),
        )
        .await;
        assert!(
            repeat.is_ok(),
            "a repeated purchase key is the earlier purchase, not a refusal"
        );
    }
);
