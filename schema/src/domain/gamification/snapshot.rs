//! What the engine reads about a user before it records an action, in one round trip: the
//! stored streaks, the achievement catalog with what the user has earned, their event
//! counts, whether they hold any quest, and the rule of the skill the action pays. One
//! `UNION ALL` of small selects, each row tagged with what it is; the engine then keeps
//! these facts current in memory as it pays, so nothing is read twice.
use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use entity::{
    achievement_definitions, activity_events, skill_definitions, user_achievements,
    user_quest_progress, user_streaks,
};
use sea_orm::{
    ConnectionTrait, FromQueryResult,
    sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement, UnionType},
};

use super::{
    EventType,
    achievements::Definition,
    skills::SkillRule,
    streaks::{Streak, StreakType},
};
use crate::domain::{AppResult, UserId};

#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub streaks: HashMap<StreakType, Streak>,
    /// Every definition whose trigger parses, in catalog order.
    pub definitions: Vec<Definition>,
    pub earned: HashSet<String>,
    pub events: HashMap<EventType, i64>,
    pub holds_quests: bool,
    pub skill: Option<SkillRule>,
}

/// One tagged row; the columns mean what `kind` says (see each select).
#[derive(Debug, FromQueryResult)]
struct Fact {
    kind: String,
    key: Option<String>,
    n1: Option<i64>,
    n2: Option<i64>,
    n3: Option<i64>,
    t1: Option<String>,
    t2: Option<String>,
    t3: Option<String>,
    t4: Option<String>,
}

const COLUMNS: [&str; 9] = ["kind", "key", "n1", "n2", "n3", "t1", "t2", "t3", "t4"];

/// A select of `values` under the shared column names (missing ones NULL, typed).
fn tagged(kind: &str, values: Vec<Expr>) -> SelectStatement {
    let mut select = Query::select();
    select.expr_as(Expr::val(kind), Alias::new(COLUMNS[0]));
    let nulls = [
        Expr::val(Option::<String>::None),
        Expr::val(Option::<i64>::None),
        Expr::val(Option::<i64>::None),
        Expr::val(Option::<i64>::None),
        Expr::val(Option::<String>::None),
        Expr::val(Option::<String>::None),
        Expr::val(Option::<String>::None),
        Expr::val(Option::<String>::None),
    ];
    let mut values = values.into_iter();
    for (name, null) in COLUMNS[1..].iter().zip(nulls) {
        select.expr_as(values.next().unwrap_or(null), Alias::new(*name));
    }
    select
}

fn text(expr: impl Into<Expr>) -> Expr {
    expr.into().cast_as(Alias::new("TEXT"))
}

fn big(expr: impl Into<Expr>) -> Expr {
    expr.into().cast_as(Alias::new("BIGINT"))
}

fn none_text() -> Expr {
    Expr::val(Option::<String>::None)
}

fn none_big() -> Expr {
    Expr::val(Option::<i64>::None)
}

/// Reads the snapshot for `user`, with the rule of `skill` when the action pays one.
pub async fn read(
    conn: &impl ConnectionTrait,
    user: UserId,
    skill: Option<&str>,
) -> AppResult<Snapshot> {
    use achievement_definitions::Column as D;
    let mut streaks = tagged(
        "streak",
        vec![
            Expr::col(user_streaks::Column::StreakType),
            big(Expr::col(user_streaks::Column::CurrentStreak)),
            big(Expr::col(user_streaks::Column::LongestStreak)),
            none_big(),
            text(Expr::col(user_streaks::Column::LastActivityDate)),
        ],
    );
    streaks
        .from(user_streaks::Entity)
        .and_where(Expr::col(user_streaks::Column::UserId).eq(user.0));
    let mut definitions = tagged(
        "achievement",
        vec![
            Expr::col(D::Key),
            big(Expr::col(D::RewardXp)),
            big(Expr::col(D::RewardCoins)),
            big(Expr::col(D::SortOrder)),
            Expr::col(D::TriggerType),
            text(Expr::col(D::TriggerConfig)),
            Expr::col(D::Name),
            Expr::col(D::Category),
        ],
    );
    definitions.from(achievement_definitions::Entity);
    let mut earned = tagged(
        "earned",
        vec![Expr::col(user_achievements::Column::AchievementKey)],
    );
    earned
        .from(user_achievements::Entity)
        .and_where(Expr::col(user_achievements::Column::UserId).eq(user.0));
    let mut events = tagged(
        "events",
        vec![
            Expr::col(activity_events::Column::EventType),
            big(Expr::col(activity_events::Column::Id).count()),
        ],
    );
    events
        .from(activity_events::Entity)
        .and_where(Expr::col(activity_events::Column::UserId).eq(user.0))
        .group_by_col(activity_events::Column::EventType);
    let mut quests = tagged(
        "quests",
        vec![
            none_text(),
            big(Expr::col(user_quest_progress::Column::Id).count()),
        ],
    );
    quests
        .from(user_quest_progress::Entity)
        .and_where(Expr::col(user_quest_progress::Column::UserId).eq(user.0));
    let mut all = streaks;
    all.union(UnionType::All, definitions)
        .union(UnionType::All, earned)
        .union(UnionType::All, events)
        .union(UnionType::All, quests);
    if let Some(key) = skill {
        let mut rule = tagged(
            "skill",
            vec![
                Expr::col(skill_definitions::Column::Key),
                big(Expr::col(skill_definitions::Column::StarsPerLevel)),
                big(Expr::col(skill_definitions::Column::MaxLevel)),
            ],
        );
        rule.from(skill_definitions::Entity)
            .and_where(Expr::col(skill_definitions::Column::Key).eq(key));
        all.union(UnionType::All, rule);
    }
    let statement = conn.get_database_backend().build(&all);
    let facts = Fact::find_by_statement(statement).all(conn).await?;
    Ok(Snapshot::of(facts))
}

impl Snapshot {
    fn of(facts: Vec<Fact>) -> Self {
        let mut snapshot = Snapshot::default();
        let mut definitions = Vec::new();
        for fact in facts {
            let key = fact.key.unwrap_or_default();
            let n = |v: Option<i64>| i32::try_from(v.unwrap_or_default()).unwrap_or(i32::MAX);
            match fact.kind.as_str() {
                "streak" => {
                    let Some(kind) = StreakType::ALL.into_iter().find(|k| k.as_str() == key) else {
                        continue;
                    };
                    let last = fact.t1.as_deref().and_then(parse_date);
                    snapshot.streaks.insert(
                        kind,
                        Streak {
                            current: n(fact.n1),
                            longest: n(fact.n2),
                            last,
                        },
                    );
                }
                "achievement" => {
                    let config = fact
                        .t2
                        .as_deref()
                        .and_then(|c| serde_json::from_str(c).ok())
                        .unwrap_or_default();
                    if let Some(definition) = Definition::parse(
                        key,
                        fact.t3.unwrap_or_default(),
                        fact.t4.unwrap_or_default(),
                        (n(fact.n1), n(fact.n2)),
                        fact.t1.as_deref().unwrap_or_default(),
                        &config,
                    ) {
                        definitions.push((n(fact.n3), definition));
                    }
                }
                "earned" => {
                    snapshot.earned.insert(key);
                }
                "events" => {
                    if let Some(event) = EventType::parse(&key) {
                        snapshot.events.insert(event, fact.n1.unwrap_or_default());
                    }
                }
                "quests" => snapshot.holds_quests = fact.n1.unwrap_or_default() > 0,
                "skill" => {
                    snapshot.skill = Some(SkillRule {
                        key,
                        stars_per_level: n(fact.n1),
                        max_level: n(fact.n2),
                    });
                }
                _ => {}
            }
        }
        definitions.sort_by(|(a, da), (b, db)| a.cmp(b).then_with(|| da.key.cmp(&db.key)));
        snapshot.definitions = definitions.into_iter().map(|(_, d)| d).collect();
        snapshot
    }
}

/// A stored date as text: `YYYY-MM-DD` on both backends (PostgreSQL's cast, SQLite's
/// storage), possibly with a time after it.
fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d").ok()
}
