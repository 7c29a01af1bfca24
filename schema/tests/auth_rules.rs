//! Identity rules below the API: the gates every productivity mutation will check first,
//! and the sweeper, against real databases with the clock set by the test.

use std::sync::Arc;

use chrono::{Duration, Utc};
use entity::{audit_log, sessions, users, verification_tokens};
use schema::domain::{
    Actor, AppError, Reason, RequestMeta, SessionId, UserId,
    auth::{AuthSettings, Identity, Mail, Mailer, gates, magic_link, sweeper},
};
use sea_orm::{ActiveModelTrait, EntityTrait, PaginatorTrait, Set};
use testkit::{TestDatabase, db_test};

/// Keeps mail in memory: these tests read the token from it.
#[derive(Default)]
struct Inbox(std::sync::Mutex<Vec<Mail>>);

#[async_trait::async_trait]
impl Mailer for Inbox {
    async fn send(&self, mail: Mail) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        self.0.lock().unwrap().push(mail);
        Ok(())
    }
}

fn identity(require_approval: bool) -> (Identity, Arc<Inbox>) {
    let inbox = Arc::new(Inbox::default());
    let mut settings = AuthSettings::with_secret("a-test-secret-of-at-least-32-characters".into());
    settings.require_approval = require_approval;
    (Identity::new(settings, inbox.clone()), inbox)
}

async fn signed_in(db: &TestDatabase, identity: &Identity, inbox: &Inbox, email: &str) -> Actor {
    let now = Utc::now();
    let meta = RequestMeta::default();
    magic_link::request(&db.db, identity, email, &meta, now)
        .await
        .unwrap();
    let text = inbox.0.lock().unwrap().last().unwrap().text.clone();
    let token = text
        .split("token=")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();
    let signed_in = magic_link::sign_in(&db.db, identity, &token, &meta, now)
        .await
        .unwrap();
    Actor::user(UserId(signed_in.user.id), SessionId(signed_in.session_id))
}

fn reason(result: Result<users::Model, AppError>) -> Option<Reason> {
    result.err().and_then(|e| e.reason())
}

db_test!(
    async fn a_member_must_accept_the_terms_then_confirm_their_age(db: TestDatabase) {
        let (identity, inbox) = identity(false);
        let actor = signed_in(&db, &identity, &inbox, "gated@example.com").await;
        let check = || gates::require_member(&db.db, &actor, &identity.settings);
        assert_eq!(reason(check().await), Some(Reason::TermsNotAccepted));

        let user = users::Entity::find_by_id(actor.user_id().unwrap().0)
            .one(&db.db)
            .await
            .unwrap()
            .unwrap();
        let mut accepted: users::ActiveModel = user.into();
        accepted.tos_accepted = Set(true);
        accepted.tos_version = Set(Some(identity.settings.terms_version.clone()));
        let user = accepted.update(&db.db).await.unwrap();
        assert_eq!(reason(check().await), Some(Reason::AgeNotConfirmed));

        let mut adult: users::ActiveModel = user.into();
        adult.age_verified = Set(true);
        adult.update(&db.db).await.unwrap();
        assert!(check().await.is_ok());

        let anonymous = gates::require_member(&db.db, &Actor::Anonymous, &identity.settings).await;
        assert_eq!(reason(anonymous), Some(Reason::SignInRequired));
    }
);

db_test!(
    async fn with_approval_on_an_unapproved_user_is_held_at_the_gate(db: TestDatabase) {
        let (identity, inbox) = identity(true);
        let actor = signed_in(&db, &identity, &inbox, "waiting@example.com").await;
        let approved = gates::require_approved(&db.db, &actor, &identity.settings).await;
        assert_eq!(reason(approved), Some(Reason::NotApproved));
        let member = gates::require_member(&db.db, &actor, &identity.settings).await;
        assert_eq!(reason(member), Some(Reason::NotApproved));
    }
);

db_test!(
    async fn the_sweeper_deletes_only_what_ended_long_ago_and_keeps_the_audit_trail(
        db: TestDatabase,
    ) {
        let (identity, inbox) = identity(false);
        let actor = signed_in(&db, &identity, &inbox, "sweep@example.com").await;
        let (user_id, live_session) = actor.require_session().unwrap();
        let now = Utc::now();
        let old = sessions::ActiveModel {
            id: Set(uuid::Uuid::new_v4()),
            user_id: Set(user_id.0),
            token: Set("old-digest".into()),
            expires_at: Set((now - Duration::days(8)).into()),
            created_at: Set((now - Duration::days(40)).into()),
            ..Default::default()
        }
        .insert(&db.db)
        .await
        .unwrap();
        audit_log::ActiveModel {
            id: Set(uuid::Uuid::new_v4()),
            user_id: Set(Some(user_id.0)),
            session_id: Set(Some(old.id)),
            event_type: Set("sign_out".into()),
            status: Set("success".into()),
            created_at: Set((now - Duration::days(8)).into()),
            ..Default::default()
        }
        .insert(&db.db)
        .await
        .unwrap();
        magic_link::request(
            &db.db,
            &identity,
            "pending@example.com",
            &RequestMeta::default(),
            now - Duration::hours(1),
        )
        .await
        .unwrap();

        let swept = sweeper::sweep(&db.db, &identity, now).await.unwrap();
        assert_eq!((swept.sessions, swept.sign_in_links), (1, 1));
        assert!(
            sessions::Entity::find_by_id(live_session.0)
                .one(&db.db)
                .await
                .unwrap()
                .is_some()
        );
        assert!(
            sessions::Entity::find_by_id(old.id)
                .one(&db.db)
                .await
                .unwrap()
                .is_none()
        );
        assert_eq!(
            verification_tokens::Entity::find()
                .count(&db.db)
                .await
                .unwrap(),
            0
        );
        let audit_rows = audit_log::Entity::find().all(&db.db).await.unwrap();
        assert!(audit_rows.iter().all(|row| row.session_id != Some(old.id)));
        assert!(
            audit_rows.iter().any(|row| row.event_type == "sign_out"),
            "the entry itself stays"
        );
    }
);
