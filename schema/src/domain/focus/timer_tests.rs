//! The timer state machine, without a database.
use chrono::TimeZone;

use super::*;

fn at(seconds: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 4, 9, 0, 0)
        .single()
        .unwrap_or_default()
        + Duration::seconds(seconds)
}

fn session(duration: i32) -> Snapshot {
    Snapshot {
        session: focus_sessions::Model {
            id: Uuid::nil(),
            user_id: Uuid::nil(),
            mode: "work".into(),
            duration_seconds: duration,
            started_at: at(0).into(),
            completed_at: None,
            abandoned_at: None,
            expires_at: Some(expiry(at(i64::from(duration))).into()),
            status: "active".into(),
            xp_awarded: 0,
            coins_awarded: 0,
            task_id: None,
            task_title: None,
            created_at: at(0).into(),
        },
        pause: None,
    }
}

fn paused(mut s: Snapshot, when: i64, left: i32) -> Snapshot {
    s.pause = Some(focus_pause_state::Model {
        id: Uuid::nil(),
        user_id: Uuid::nil(),
        session_id: Uuid::nil(),
        is_paused: true,
        time_remaining_seconds: Some(left),
        paused_at: Some(at(when).into()),
        resumed_at: None,
        created_at: at(when).into(),
        updated_at: at(when).into(),
    });
    s
}

fn resumed(mut s: Snapshot, when: i64, expires_at: DateTime<Utc>) -> Snapshot {
    if let Some(p) = s.pause.as_mut() {
        p.is_paused = false;
        p.resumed_at = Some(at(when).into());
    }
    s.session.expires_at = Some(expires_at.into());
    s
}

#[test]
fn a_running_session_counts_down_from_its_start() {
    let s = session(1500);
    assert_eq!(s.remaining_seconds(at(0)), 1500);
    assert_eq!(s.remaining_seconds(at(100)), 1400);
    assert_eq!(s.remaining_seconds(at(5000)), 0, "never below zero");
    assert_eq!(s.ends_at(), Some(at(1500)));
    assert_eq!(s.last_change(), Change::Started);
}

#[test]
fn a_pause_freezes_the_clock_and_a_resume_moves_the_end_and_the_expiry_out() {
    let s = session(1500);
    assert_eq!(
        step(&s, Move::Pause, at(600)).ok(),
        Some(Step::Pause { remaining: 900 })
    );
    let s = paused(s, 600, 900);
    assert_eq!(s.remaining_seconds(at(2000)), 900, "frozen while paused");
    assert_eq!(s.ends_at(), None);
    assert_eq!(s.last_change(), Change::Paused);
    assert_eq!(step(&s, Move::Pause, at(700)).ok(), Some(Step::Unchanged));

    let expires_at = at(1000 + 900) + EXPIRY_GRACE;
    assert_eq!(
        step(&s, Move::Resume, at(1000)).ok(),
        Some(Step::Resume { expires_at })
    );
    let s = resumed(s, 1000, expires_at);
    assert_eq!(s.remaining_seconds(at(1300)), 600);
    assert_eq!(s.ends_at(), Some(at(1900)));
    assert_eq!(s.last_change(), Change::Resumed);
    assert_eq!(s.version(), at(1000).timestamp_micros());
    assert_eq!(step(&s, Move::Resume, at(1001)).ok(), Some(Step::Unchanged));
}

#[test]
fn completing_waits_for_the_last_five_seconds_and_counts_the_time_focused() {
    let s = session(1500);
    let refused = step(&s, Move::Complete, at(1494)).err();
    assert_eq!(
        refused.and_then(|e| e.reason()),
        Some(Reason::FocusTimeRemaining)
    );
    assert_eq!(
        step(&s, Move::Complete, at(1495)).ok(),
        Some(Step::Complete {
            focused_seconds: 1495
        })
    );
    assert_eq!(
        crate::domain::gamification::rewards::focused_minutes(1495),
        25
    );
    assert_eq!(crate::domain::gamification::rewards::focused_minutes(89), 1);
    // Paused with three seconds left: completing is fine, and counts what was focused.
    let s = paused(session(60), 57, 3);
    assert_eq!(
        step(&s, Move::Complete, at(600)).ok(),
        Some(Step::Complete {
            focused_seconds: 57
        })
    );
}

#[test]
fn past_its_expiry_a_session_can_only_be_abandoned() {
    let s = session(60);
    let expired = at(60) + EXPIRY_GRACE;
    for mv in [Move::Pause, Move::Resume, Move::Complete] {
        let err = step(&s, mv, expired).err();
        assert_eq!(
            err.and_then(|e| e.reason()),
            Some(Reason::FocusSessionExpired)
        );
    }
    assert_eq!(step(&s, Move::Abandon, expired).ok(), Some(Step::Abandon));
}

#[test]
fn an_ended_session_accepts_only_its_own_ending_again() {
    let mut done = session(60);
    done.session.status = "completed".into();
    done.session.completed_at = Some(at(60).into());
    assert_eq!(
        step(&done, Move::Complete, at(61)).ok(),
        Some(Step::Unchanged)
    );
    let err = step(&done, Move::Pause, at(61)).err();
    assert_eq!(
        err.and_then(|e| e.reason()),
        Some(Reason::FocusSessionEnded)
    );
    assert_eq!(done.remaining_seconds(at(9999)), 0);
    assert_eq!(done.last_change(), Change::Completed);

    let mut gone = session(60);
    gone.session.status = "abandoned".into();
    gone.session.abandoned_at = gone.session.expires_at;
    assert_eq!(gone.last_change(), Change::Expired);
    assert_eq!(
        step(&gone, Move::Abandon, at(9999)).ok(),
        Some(Step::Unchanged)
    );
}

#[test]
fn a_change_is_stamped_after_the_last_even_when_the_clock_stands_still() {
    let version = at(10).timestamp_micros();
    assert_eq!(
        change_instant(at(10), Some(version)),
        at(10) + Duration::microseconds(1)
    );
    assert_eq!(change_instant(at(11), Some(version)), at(11));
    assert_eq!(change_instant(at(5), None), at(5));
}

#[test]
fn durations_run_from_one_minute_to_four_hours() {
    assert!(check_duration(59).is_err());
    assert!(check_duration(60).is_ok());
    assert!(check_duration(14_400).is_ok());
    assert!(matches!(
        check_duration(14_401),
        Err(AppError::BadUserInput { field: Some(f), .. }) if f == "durationSeconds"
    ));
}
