//! The write path's cost and its arithmetic: a completion or an undo sends a bounded number
//! of SQL statements whatever the history behind it, and random sequences of completions,
//! undos and days passing leave exactly the streaks, bonuses and balances a from-scratch
//! recount of what stands gives (the recount here is the test's own, from the rules).
use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate};
use serde_json::{Value, json};
use tests::{Member, TestApp, backend_test, date};

use super::support::{complete, create, habit, try_complete};

/// What `completeHabit` may send, whatever the history.
const COMPLETE_BOUND: u64 = 12;
/// What `undoHabitCompletion` may send: it also reads what the completion paid (with its
/// skill's rule) and takes it back (the user's habit streak is recounted only when the day
/// is left empty).
const UNDO_BOUND: u64 = 12;

const COMPLETE: &str = "mutation($input: CompleteHabitInput!) { completeHabit(input: $input) { completion { id } habit { id currentStreak longestStreak } } }";
const UNDO: &str = "mutation($id: UUID!) { undoHabitCompletion(input: {completionId: $id}) { habit { id currentStreak longestStreak } } }";

backend_test!(
    async fn a_completion_and_its_undo_send_a_bounded_number_of_statements_whatever_the_history(
        backend: Backend,
    ) {
        let app = TestApp::spawn_without_sign_in_limits(backend).await;
        let start = date(2026, 1, 1);
        let mut member = Member::join(&app, "cost@example.com", "Europe/Berlin", start).await;
        let old = create(&member, json!({ "name": "Read" })).await;
        // Sixty days of history, one completion a day (and the achievements and bonuses
        // on the way, so none is left to earn on the measured day).
        for offset in 0..60 {
            member.at(start + Days::new(offset), 9, 0).await;
            complete(&member, &old).await;
        }
        let fresh = create(&member, json!({ "name": "Stretch" })).await;
        member.at(start + Days::new(60), 9, 0).await;
        let mut sent = BTreeMap::new();
        let (data, n) = member
            .counted(COMPLETE, json!({ "input": { "habitId": old } }))
            .await;
        assert_eq!(data["completeHabit"]["habit"]["currentStreak"], 61);
        sent.insert("first of the day, 60 days behind it", n);
        let (data, n) = member
            .counted(COMPLETE, json!({ "input": { "habitId": fresh } }))
            .await;
        assert_eq!(data["completeHabit"]["habit"]["currentStreak"], 1);
        let completion = data["completeHabit"]["completion"]["id"].clone();
        sent.insert("a habit with no history", n);
        let (data, n) = member.counted(UNDO, json!({ "id": completion })).await;
        assert_eq!(data["undoHabitCompletion"]["habit"]["currentStreak"], 0);
        sent.insert("its undo", n);
        let (_, n) = member
            .counted(COMPLETE, json!({ "input": { "habitId": fresh } }))
            .await;
        sent.insert("done again", n);
        eprintln!("statements per write ({:?}): {sent:?}", app.backend());
        for (what, n) in sent {
            let bound = if what == "its undo" {
                UNDO_BOUND
            } else {
                COMPLETE_BOUND
            };
            assert!(n <= bound, "{what}: {n} statements");
        }
    }
);

/// A small deterministic generator (the same sequence on every run and backend).
struct Dice(u64);

impl Dice {
    fn roll(&mut self, sides: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % sides
    }
}

/// The test's own model of a habit: its schedule and the completions that stand.
struct Model {
    id: String,
    weekly: bool,
    target: usize,
    standing: Vec<(String, NaiveDate)>,
}

impl Model {
    fn bucket(&self, day: NaiveDate) -> NaiveDate {
        if self.weekly {
            day - Days::new(u64::from(day.weekday().num_days_from_monday()))
        } else {
            day
        }
    }

    fn step(&self) -> Days {
        Days::new(if self.weekly { 7 } else { 1 })
    }

    fn in_bucket(&self, day: NaiveDate) -> usize {
        let bucket = self.bucket(day);
        self.standing
            .iter()
            .filter(|(_, d)| self.bucket(*d) == bucket)
            .count()
    }

    /// Met periods, oldest first, with the length of the run each ends.
    fn runs(&self) -> Vec<(NaiveDate, i64)> {
        let mut counts: BTreeMap<NaiveDate, usize> = BTreeMap::new();
        for (_, day) in &self.standing {
            *counts.entry(self.bucket(*day)).or_default() += 1;
        }
        let mut runs: Vec<(NaiveDate, i64)> = Vec::new();
        for (start, _) in counts.into_iter().filter(|(_, n)| *n >= self.target) {
            let length = match runs.last() {
                Some((last, length)) if *last + self.step() == start => length + 1,
                _ => 1,
            };
            runs.push((start, length));
        }
        runs
    }

    /// (current as read on `today`, longest).
    fn streak(&self, today: NaiveDate) -> (i64, i64) {
        let runs = self.runs();
        let longest = runs.iter().map(|(_, n)| *n).max().unwrap_or(0);
        let alive = self.bucket(today) - self.step();
        let current = match runs.last() {
            Some((last, n)) if *last >= alive => *n,
            _ => 0,
        };
        (current, longest)
    }

    /// The XP the standing bonuses pay: 2 × each milestone length a run reached.
    fn bonus_xp(&self) -> i64 {
        self.runs()
            .iter()
            .filter(|(_, n)| [7, 14, 30, 60, 100, 365].contains(n))
            .map(|(_, n)| 2 * n)
            .sum()
    }
}

/// Every ledger row of the viewer: (eventType, xp, coins).
async fn ledger(member: &Member<'_>) -> Vec<(String, i64, i64)> {
    let mut rows = Vec::new();
    let mut after = Value::Null;
    loop {
        let data = member
            .ok(
                "query($after: String) { viewer { ledger(first: 100, after: $after) { edges { node { eventType xp coins } } pageInfo { hasNextPage endCursor } } } }",
                json!({ "after": after }),
            )
            .await;
        let page = &data["viewer"]["ledger"];
        for edge in page["edges"].as_array().into_iter().flatten() {
            let node = &edge["node"];
            rows.push((
                node["eventType"].as_str().unwrap_or_default().to_owned(),
                node["xp"].as_i64().unwrap_or_default(),
                node["coins"].as_i64().unwrap_or_default(),
            ));
        }
        if page["pageInfo"]["hasNextPage"] != true {
            return rows;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
}

/// Checks what the API reports against the model's recount.
async fn check(member: &Member<'_>, models: &[Model], today: NaiveDate, seed: u64, step: usize) {
    let at = format!("seed {seed}, step {step}, {today}");
    for model in models {
        let read = habit(member, &model.id).await;
        let (current, longest) = model.streak(today);
        assert_eq!(read["currentStreak"], current, "{at}: current of {read}");
        assert_eq!(read["longestStreak"], longest, "{at}: longest of {read}");
        assert_eq!(
            read["progressThisPeriod"],
            model.in_bucket(today),
            "{at}: progress of {read}"
        );
    }
    let rows = ledger(member).await;
    let (xp, coins) = member.balance().await;
    assert_eq!(
        xp,
        rows.iter().map(|r| r.1).sum::<i64>(),
        "{at}: XP is the ledger's"
    );
    assert_eq!(coins, rows.iter().map(|r| r.2).sum::<i64>(), "{at}: coins");
    let habit_side = |f: fn(&(String, i64, i64)) -> i64| -> i64 {
        rows.iter()
            .filter(|r| ["habit", "habit_streak", "reversal"].contains(&r.0.as_str()))
            .map(f)
            .sum()
    };
    let standing: i64 = models.iter().map(|m| m.standing.len() as i64).sum();
    let bonuses: i64 = models.iter().map(Model::bonus_xp).sum();
    assert_eq!(
        habit_side(|r| r.1),
        5 * standing + bonuses,
        "{at}: habit XP and bonuses that stand"
    );
    assert_eq!(
        habit_side(|r| r.2),
        standing,
        "{at}: habit coins that stand"
    );
    let mut days: Vec<NaiveDate> = models
        .iter()
        .flat_map(|m| m.standing.iter().map(|(_, d)| *d))
        .collect();
    days.sort();
    days.dedup();
    let run = days
        .iter()
        .rev()
        .zip(0..)
        .take_while(|(day, back)| **day + Days::new(*back) == *days.last().unwrap_or(day))
        .count() as i64;
    let alive = days
        .last()
        .is_some_and(|last| *last + Days::new(1) >= today);
    let (user_current, _) = member.streak("HABIT").await;
    assert_eq!(
        user_current,
        if alive { run } else { 0 },
        "{at}: the user's habit streak over {days:?}"
    );
}

async fn random_history(app: &TestApp, seed: u64) {
    let start = date(2026, 2, 2);
    let email = format!("dice{seed}@example.com");
    let mut member = Member::join(app, &email, "America/Chicago", start).await;
    let mut dice = Dice(seed);
    let mut models = Vec::new();
    for (name, frequency, target) in [
        ("Daily", "DAILY", 1),
        ("Twice", "DAILY", 2),
        ("Weekly", "WEEKLY", 2),
    ] {
        let id = create(
            &member,
            json!({ "name": name, "frequency": frequency, "targetCount": target }),
        )
        .await;
        models.push(Model {
            id,
            weekly: frequency == "WEEKLY",
            target,
            standing: Vec::new(),
        });
    }
    let mut today = start;
    member.at(today, 8, 0).await;
    for step in 0..70 {
        match dice.roll(10) {
            0..=4 => {
                let model = &mut models[dice.roll(3) as usize];
                let day = if dice.roll(4) == 0 {
                    today - Days::new(1)
                } else {
                    today
                };
                let response =
                    try_complete(&member, &model.id, json!({ "date": day.to_string() })).await;
                if model.in_bucket(day) >= model.target {
                    assert_eq!(
                        response.error().1.as_deref(),
                        Some("HABIT_TARGET_REACHED"),
                        "seed {seed} step {step}"
                    );
                } else {
                    let data = response.assert_ok();
                    let id = data["completeHabit"]["completion"]["id"]
                        .as_str()
                        .unwrap_or_default();
                    model.standing.push((id.to_owned(), day));
                }
            }
            5..=6 => {
                let model = &mut models[dice.roll(3) as usize];
                if !model.standing.is_empty() {
                    let (id, _) = model
                        .standing
                        .remove(dice.roll(model.standing.len() as u64) as usize);
                    member.ok(UNDO, json!({ "id": id })).await;
                }
            }
            _ => {
                today = today + Days::new(1 + u64::from(dice.roll(5) == 0));
                member.at(today, 8 + dice.roll(12) as u32, 0).await;
            }
        }
        if step % 10 == 9 {
            check(&member, &models, today, seed, step).await;
        }
    }
    check(&member, &models, today, seed, 70).await;
}

backend_test!(
    async fn random_completions_undos_and_days_leave_what_a_recount_of_the_standing_completions_gives(
        backend: Backend,
    ) {
        let app = TestApp::spawn_without_sign_in_limits(backend).await;
        for seed in [7, 1_234, 99_991] {
            random_history(&app, seed).await;
        }
    }
);
