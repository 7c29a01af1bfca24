//! The plumbing areas build on, exercised on both backends against real databases:
//! keyset pagination, DataLoader batching, the array columns, and `BEGIN IMMEDIATE` writes.

use async_graphql::dataloader::DataLoader;
use chrono::{DateTime, Duration, TimeZone, Utc};
use entity::{activity_events, arrays::DbList, authenticators, habits, users};
use schema::{
    domain::{
        db::begin_write,
        pagination::{self, Direction, Keyset, PageRequest},
    },
    graphql::{loaders::ById, reader::Reader},
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, sea_query::Expr,
};
use testkit::{TestDatabase, db_test};
use uuid::Uuid;

fn at(minute: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap() + Duration::minutes(minute)
}

async fn user(db: &impl ConnectionTrait, email: &str) -> Uuid {
    let id = Uuid::new_v4();
    users::ActiveModel {
        id: Set(id),
        email: Set(email.into()),
        role: Set("user".into()),
        approved: Set(false),
        age_verified: Set(false),
        tos_accepted: Set(false),
        created_at: Set(at(0).into()),
        updated_at: Set(at(0).into()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    id
}

async fn event(db: &impl ConnectionTrait, user_id: Uuid, minute: i64) -> Uuid {
    let id = Uuid::new_v4();
    activity_events::ActiveModel {
        id: Set(id),
        user_id: Set(user_id),
        event_type: Set("focus_complete".into()),
        created_at: Set(at(minute).into()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    id
}

async fn page(
    db: &TestDatabase,
    owner: Uuid,
    request: PageRequest,
) -> pagination::Page<activity_events::Model> {
    let select = activity_events::Entity::find().filter(activity_events::Column::UserId.eq(owner));
    let keyset = Keyset {
        at: activity_events::Column::CreatedAt,
        id: activity_events::Column::Id,
        direction: Direction::NewestFirst,
    };
    pagination::paginate(&db.db, select, keyset, request)
        .await
        .unwrap()
        .page
}

fn minutes(page: &pagination::Page<activity_events::Model>) -> Vec<i64> {
    page.items
        .iter()
        .map(|(_, row)| (row.created_at.with_timezone(&Utc) - at(0)).num_minutes())
        .collect()
}

db_test!(
    async fn a_cursor_survives_rows_inserted_while_a_client_pages(db: TestDatabase) {
        let owner = user(&db.db, "pager@example.com").await;
        let stranger = user(&db.db, "stranger@example.com").await;
        for minute in 1..=5 {
            event(&db.db, owner, minute).await;
        }
        event(&db.db, stranger, 3).await;

        let first = page(
            &db,
            owner,
            PageRequest::parse(Some(2), None, None, None).unwrap(),
        )
        .await;
        assert_eq!(
            minutes(&first),
            [5, 4],
            "newest first, the owner's rows only"
        );
        assert!(first.has_next_page && !first.has_previous_page);

        // A newer row and a row with the same timestamp as the cursor arrive meanwhile.
        event(&db.db, owner, 6).await;
        let after = first.items.last().unwrap().0.encode();
        let second = page(
            &db,
            owner,
            PageRequest::parse(Some(2), Some(&after), None, None).unwrap(),
        )
        .await;
        assert_eq!(
            minutes(&second),
            [3, 2],
            "nothing repeated, nothing skipped"
        );

        let after = second.items.last().unwrap().0.encode();
        let last = page(
            &db,
            owner,
            PageRequest::parse(Some(2), Some(&after), None, None).unwrap(),
        )
        .await;
        assert_eq!(minutes(&last), [1]);
        assert!(!last.has_next_page);

        let before = last.items[0].0.encode();
        let back = page(
            &db,
            owner,
            PageRequest::parse(None, None, Some(2), Some(&before)).unwrap(),
        )
        .await;
        assert_eq!(minutes(&back), [3, 2], "paging backwards keeps list order");
        assert!(back.has_previous_page);

        let select =
            activity_events::Entity::find().filter(activity_events::Column::UserId.eq(owner));
        assert_eq!(pagination::count(&db.db, select).await.unwrap(), 6);
    }
);

db_test!(
    async fn rows_sharing_a_timestamp_page_by_id_without_loss(db: TestDatabase) {
        let owner = user(&db.db, "same@example.com").await;
        for _ in 0..5 {
            event(&db.db, owner, 7).await;
        }
        let mut seen = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let request = PageRequest::parse(Some(2), after.as_deref(), None, None).unwrap();
            let next = page(&db, owner, request).await;
            seen.extend(next.items.iter().map(|(_, row)| row.id));
            if !next.has_next_page {
                break;
            }
            after = Some(next.items.last().unwrap().0.encode());
        }
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), 5);
    }
);

db_test!(
    async fn a_loader_fetches_many_rows_in_one_statement(db: TestDatabase) {
        let ids = [
            user(&db.db, "a@example.com").await,
            user(&db.db, "b@example.com").await,
            user(&db.db, "c@example.com").await,
        ];
        let loader = DataLoader::new(
            ById::<users::Entity>::new(Reader::pool(&db.db)),
            tokio::spawn,
        );
        let before = db.statements();
        let missing = Uuid::new_v4();
        let found = loader
            .load_many(ids.iter().copied().chain([missing]))
            .await
            .unwrap();
        assert_eq!(db.statements() - before, 1, "one statement for four keys");
        assert_eq!(found.len(), 3);
        assert_eq!(found[&ids[1]].email, "b@example.com");
        assert!(!found.contains_key(&missing));
    }
);

db_test!(
    async fn array_columns_round_trip_on_either_backend(db: TestDatabase) {
        let owner = user(&db.db, "lists@example.com").await;
        let backend = db.db.get_database_backend();

        let habit = Uuid::new_v4();
        habits::ActiveModel {
            id: Set(habit),
            user_id: Set(owner),
            name: Set("Run".into()),
            frequency: Set("custom".into()),
            target_count: Set(1),
            is_active: Set(true),
            current_streak: Set(0),
            longest_streak: Set(0),
            sort_order: Set(0),
            created_at: Set(at(0).into()),
            updated_at: Set(at(0).into()),
            ..Default::default()
        }
        .insert(&db.db)
        .await
        .unwrap();
        habits::Entity::update_many()
            .col_expr(
                habits::Column::CustomDays,
                Expr::val(DbList(vec![1, 3, 5]).to_value(backend)),
            )
            .filter(habits::Column::Id.eq(habit))
            .exec(&db.db)
            .await
            .unwrap();
        let stored = habits::Entity::find_by_id(habit)
            .one(&db.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.custom_days, Some(DbList(vec![1, 3, 5])));

        let key = Uuid::new_v4();
        authenticators::ActiveModel {
            id: Set(key),
            user_id: Set(owner),
            credential_id: Set("cred-1".into()),
            provider_account_id: Set("cred-1".into()),
            credential_public_key: Set("{}".into()),
            counter: Set(0),
            credential_device_type: Set("platform".into()),
            credential_backed_up: Set(false),
            created_at: Set(at(0).into()),
            ..Default::default()
        }
        .insert(&db.db)
        .await
        .unwrap();
        let transports = DbList(vec!["usb".to_owned(), "a \"quoted\", comma".to_owned()]);
        authenticators::Entity::update_many()
            .col_expr(
                authenticators::Column::Transports,
                Expr::val(transports.to_value(backend)),
            )
            .filter(authenticators::Column::Id.eq(key))
            .exec(&db.db)
            .await
            .unwrap();
        let stored = authenticators::Entity::find_by_id(key)
            .one(&db.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.transports, Some(transports));
    }
);

db_test!(
    async fn concurrent_write_transactions_queue_instead_of_failing(db: TestDatabase) {
        let owner = user(&db.db, "busy@example.com").await;
        let writers = (0..20).map(|_| {
            let conn = db.db.clone();
            tokio::spawn(async move {
                let txn = begin_write(&conn).await?;
                event(&txn, owner, 1).await;
                txn.commit().await
            })
        });
        for writer in futures_util::future::join_all(writers).await {
            writer.unwrap().unwrap();
        }
        let select =
            activity_events::Entity::find().filter(activity_events::Column::UserId.eq(owner));
        assert_eq!(pagination::count(&db.db, select).await.unwrap(), 20);
    }
);
