//! Streaks on the user's local calendar: DST transitions in two zones never double-count or
//! skip a day, a time-zone move never counts a date twice, and a read after a missed day
//! reports the streak broken.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use schema::domain::{
    Actor, SessionId, UserId,
    auth::{preferences, users},
    db::begin_write,
    gamification::{Action, Award, EventType, record_action, rewards::LedgerSource, streaks},
};
use sea_orm::DatabaseConnection;
use testkit::db_test;

async fn member(db: &DatabaseConnection, email: &str, zone: &str) -> UserId {
    let user = UserId(
        users::find_or_create_verified(db, email, None, Utc::now())
            .await
            .unwrap()
            .id,
    );
    let actor = Actor::user(user, SessionId(uuid::Uuid::now_v7()));
    let update = preferences::PreferencesChanges {
        time_zone: Some(zone.into()),
        day_start_hour: None,
    };
    preferences::update(db, &Default::default(), &actor, update, Utc::now())
        .await
        .unwrap();
    user
}

/// The instant of a wall-clock time in `zone` (the earlier one if ambiguous).
fn local(zone: &str, y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    local_on(zone, date(y, m, d), h, min)
}

fn local_on(zone: &str, day: NaiveDate, h: u32, min: u32) -> DateTime<Utc> {
    let zone: Tz = zone.parse().unwrap();
    let wall = day.and_hms_opt(h, min, 0).unwrap();
    zone.from_local_datetime(&wall)
        .earliest()
        .unwrap()
        .with_timezone(&Utc)
}

async fn focus_at(db: &DatabaseConnection, user: UserId, at: DateTime<Utc>) {
    let txn = begin_write(db).await.unwrap();
    let action = Action {
        event_type: EventType::FocusComplete,
        category: Some("work".into()),
        metadata: None,
        award: Award {
            xp: 25,
            coins: 5,
            ..Award::new(LedgerSource::Focus)
        },
        habit_date: None,
    };
    record_action(
        &txn,
        user,
        &preferences::load(&txn, user).await.unwrap(),
        action,
        at,
    )
    .await
    .unwrap();
    txn.commit().await.unwrap();
}

async fn streak(
    db: &DatabaseConnection,
    user: UserId,
    kind: streaks::StreakType,
    at: DateTime<Utc>,
) -> (i32, i32, Option<NaiveDate>) {
    let today = preferences::load(db, user).await.unwrap().local_date(at);
    let all = streaks::of_user(db, user, today).await.unwrap();
    let (_, stored, current) = all.into_iter().find(|(k, ..)| *k == kind).unwrap();
    (current, stored.longest, stored.last)
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

db_test!(
    async fn late_nights_around_both_dst_edges_count_each_local_day_once(db: TestDatabase) {
        // Spring forward and fall back, in New York and in Berlin.
        for (zone, spring, fall) in [
            ("America/New_York", (3, 8), (11, 1)),
            ("Europe/Berlin", (3, 29), (10, 25)),
        ] {
            for (month, day) in [spring, fall] {
                let user = member(
                    &db.db,
                    &format!("{zone}-{month}@example.com")
                        .to_lowercase()
                        .replace('/', "-"),
                    zone,
                )
                .await;
                // 23:30 the evening before, 00:30 and 23:30 on the change day (a 23- or
                // 25-hour day), 00:30 the day after.
                let change = date(2026, month, day);
                let (before, after) = (change.pred_opt().unwrap(), change.succ_opt().unwrap());
                let times = [
                    local_on(zone, before, 23, 30),
                    local_on(zone, change, 0, 30),
                    local_on(zone, change, 23, 30),
                    local_on(zone, after, 0, 30),
                ];
                for at in times {
                    focus_at(&db.db, user, at).await;
                }
                let seen = streak(&db.db, user, streaks::StreakType::Daily, times[3]).await;
                assert_eq!(seen, (3, 3, Some(after)), "{zone} around {month}/{day}");
                let focus = streak(&db.db, user, streaks::StreakType::Focus, times[3]).await;
                assert_eq!(focus.0, 3);
            }
        }
    }
);

db_test!(
    async fn a_move_west_across_the_date_line_never_counts_a_date_twice(db: TestDatabase) {
        let user = member(&db.db, "traveller@example.com", "Pacific/Auckland").await;
        // 23:30 on 24 Nov in Auckland.
        let evening = local("Pacific/Auckland", 2026, 11, 24, 23, 30);
        focus_at(&db.db, user, evening).await;
        // Flies to Los Angeles: it is still 24 Nov there, a few hours later... of the 23rd.
        let actor = Actor::user(user, SessionId(uuid::Uuid::now_v7()));
        let west = preferences::PreferencesChanges {
            time_zone: Some("America/Los_Angeles".into()),
            day_start_hour: None,
        };
        preferences::update(&db.db, &Default::default(), &actor, west, evening)
            .await
            .unwrap();
        let later = evening + chrono::Duration::hours(3);
        focus_at(&db.db, user, later).await;
        let seen = streak(&db.db, user, streaks::StreakType::Daily, later).await;
        assert_eq!(
            seen,
            (1, 1, Some(date(2026, 11, 24))),
            "the 23rd in LA is not a new day"
        );
        // The next LA day does count.
        let next = local("America/Los_Angeles", 2026, 11, 25, 9, 0);
        focus_at(&db.db, user, next).await;
        assert_eq!(
            streak(&db.db, user, streaks::StreakType::Daily, next)
                .await
                .0,
            2
        );
    }
);

db_test!(
    async fn a_read_after_a_missed_day_reports_the_streak_broken_before_any_write(
        db: TestDatabase,
    ) {
        let user = member(&db.db, "lapsed@example.com", "UTC").await;
        for day in [1, 2, 3] {
            focus_at(&db.db, user, local("UTC", 2026, 6, day, 12, 0)).await;
        }
        assert_eq!(
            streak(
                &db.db,
                user,
                streaks::StreakType::Daily,
                local("UTC", 2026, 6, 4, 23, 0)
            )
            .await
            .0,
            3
        );
        let broken = streak(
            &db.db,
            user,
            streaks::StreakType::Daily,
            local("UTC", 2026, 6, 5, 8, 0),
        )
        .await;
        assert_eq!(
            broken,
            (0, 3, Some(date(2026, 6, 3))),
            "current reads 0, the best stays"
        );
        focus_at(&db.db, user, local("UTC", 2026, 6, 5, 9, 0)).await;
        assert_eq!(
            streak(
                &db.db,
                user,
                streaks::StreakType::Daily,
                local("UTC", 2026, 6, 5, 9, 0)
            )
            .await,
            (1, 3, Some(date(2026, 6, 5)))
        );
    }
);
