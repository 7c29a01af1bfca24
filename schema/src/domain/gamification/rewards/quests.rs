//! What quests pay: a catalog quest its own amounts (and a star of its skill), a user's
//! own quest by its difficulty alone, and the daily cap on rewarded own-quest claims.
use uuid::Uuid;

use super::{Award, LedgerSource, keys};

/// A catalog quest's claim pays the quest's own amounts, and a star of its skill when it
/// names one, under `keys::quest_claim`.
pub fn quest_claim(claim: QuestClaim<'_>) -> Award {
    Award {
        event_id: Some(claim.subject),
        xp: claim.xp,
        coins: claim.coins,
        skill: claim.skill.map(|key| (key.to_owned(), QUEST_SKILL_STARS)),
        reason: Some(format!("quest claimed: {}", claim.title)),
        idempotency_key: Some(claim.key),
        ..Award::new(LedgerSource::Quest)
    }
}

/// What a catalog quest's claim pays, and the key it pays under.
#[derive(Debug, Clone)]
pub struct QuestClaim<'a> {
    /// The user's standing on the quest (`user_quest_progress.id`).
    pub subject: Uuid,
    pub title: &'a str,
    pub xp: i32,
    pub coins: i32,
    pub skill: Option<&'a str>,
    pub key: String,
}

/// Stars a quest's skill gains when it is claimed.
const QUEST_SKILL_STARS: i32 = 1;

/// How hard a user's own quest is: its rewards come from this alone, never from a client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Difficulty {
    Easy,
    Normal,
    Hard,
}

impl Difficulty {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Easy => "easy",
            Self::Normal => "normal",
            Self::Hard => "hard",
        }
    }

    /// The difficulty a stored row holds; anything else reads as normal (the default).
    pub fn stored(value: Option<&str>) -> Self {
        match value {
            Some("easy") => Self::Easy,
            Some("hard") => Self::Hard,
            _ => Self::Normal,
        }
    }

    /// (XP, coins) a claim of an own quest of this difficulty pays.
    pub const fn rewards(self) -> (i32, i32) {
        match self {
            Self::Easy => (10, 2),
            Self::Normal => (25, 5),
            Self::Hard => (50, 10),
        }
    }
}

/// Own-quest claims that pay per local day, unless configured otherwise; past it a claim
/// succeeds and pays nothing.
pub const OWN_QUEST_REWARDED_CLAIMS_PER_DAY: u32 = 10;

/// An own quest's claim: the difficulty's amounts, under `keys::own_quest_claim`.
pub fn own_quest_claim(quest: Uuid, title: &str, difficulty: Difficulty, period: &str) -> Award {
    let (xp, coins) = difficulty.rewards();
    Award {
        event_id: Some(quest),
        xp,
        coins,
        reason: Some(format!("own quest claimed: {title}")),
        idempotency_key: Some(keys::own_quest_claim(quest, period)),
        ..Award::new(LedgerSource::Quest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_quests_pay_by_difficulty_and_claims_key_by_period() {
        assert_eq!(Difficulty::stored(Some("hard")).rewards(), (50, 10));
        assert_eq!(Difficulty::stored(None), Difficulty::Normal);
        let award = own_quest_claim(Uuid::nil(), "Tidy", Difficulty::Easy, "2026-03-02");
        assert_eq!((award.xp, award.coins), (10, 2));
        let key = keys::quest_claim(Uuid::nil(), "2026-03-02", 1);
        assert!(key.starts_with(&keys::quest_period(Uuid::nil(), "2026-03-02")));
        assert_ne!(key, keys::quest_claim(Uuid::nil(), "2026-03-09", 1));
    }
}
