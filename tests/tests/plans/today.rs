//! `viewer.today`: the home screen in one request, on the local date; its statement count
//! is the same with 3 and with 30 items, habits and events.
use serde_json::json;
use tests::{Member, api_test, date};

use super::support::{habit, item};

// Each loader serves one list here: sibling fields resolve concurrently, so two lists
// sharing a loader batch together or apart by timing alone (one statement either way
// per list, never one per row).
const TODAY: &str = "{ viewer { today { date
    plan { date version items { id title startsAt done ref { __typename ... on Habit { id name completedToday currentStreak } ... on CalendarOccurrence { title start } } } }
    calendar { truncated occurrences { occurrenceId title start } }
    dueHabits { id name targetCount }
    activeFocusSession { id }
    quests { id title }
    streaks { type current longest } } } }";

/// Adds `n` more of each: plan items linked to new habits, and events.
async fn grow(member: &Member<'_>, from: usize, to: usize) {
    for i in from..to {
        let h = habit(member, &format!("Habit {i}")).await;
        item(
            member,
            "addPlanItem",
            json!({ "kind": "HABIT", "title": format!("Do {i}"), "ref": { "habitId": h } }),
        )
        .await;
        member
            .ok(
                "mutation($t: String!, $s: DateTime!, $h: UUID) { createCalendarEvent(input: {title: $t, start: $s, habitId: $h}) { event { id } } }",
                json!({ "t": format!("Event {i}"), "s": format!("2026-09-14T{:02}:{:02}:00Z", 6 + i / 6, (i % 6) * 10), "h": h }),
            )
            .await;
    }
}

api_test!(
    async fn the_home_screen_costs_the_same_statements_at_3_and_30_of_each(app: TestApp) {
        let member = Member::join(&app, "home@example.com", "UTC", date(2026, 9, 14)).await;
        grow(&member, 0, 3).await;
        let (few, at_three) = app
            .graphql_counting_as(&member.user.access_token, TODAY, json!({}))
            .await;
        let today = &few.assert_ok()["viewer"]["today"];
        assert_eq!(today["date"], "2026-09-14");
        assert_eq!(today["plan"]["items"].as_array().unwrap().len(), 3);
        assert_eq!(today["dueHabits"].as_array().unwrap().len(), 3);
        assert_eq!(
            today["calendar"]["occurrences"].as_array().unwrap().len(),
            3
        );
        assert_eq!(today["plan"]["items"][0]["ref"]["__typename"], "Habit");
        grow(&member, 3, 30).await;
        let (many, at_thirty) = app
            .graphql_counting_as(&member.user.access_token, TODAY, json!({}))
            .await;
        let today = &many.assert_ok()["viewer"]["today"];
        assert_eq!(today["plan"]["items"].as_array().unwrap().len(), 30);
        assert_eq!(today["dueHabits"].as_array().unwrap().len(), 30);
        assert_eq!(
            today["calendar"]["occurrences"].as_array().unwrap().len(),
            30
        );
        eprintln!("today: {at_three} statements at 3 of each, {at_thirty} at 30");
        assert_eq!(
            at_three, at_thirty,
            "statements grow with depth, not with rows ({at_three} vs {at_thirty})"
        );
    }
);
