//! Passkeys end to end with a software authenticator: registering one, signing in with it,
//! refusing replays, clones, unknown and expired ceremonies, answering unknown addresses
//! without telling, keeping each user's passkeys their own, and auditing each step.

#[path = "identity_passkeys/client.rs"]
mod client;

use chrono::Duration;
use client::*;
use entity::{authenticators, passkey_ceremonies};
use schema::domain::{Clock, auth::passkeys};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
use serde_json::{Value, json};
use tests::{SignedIn, TestApp, api_test};
use webauthn_authenticator_rs::{WebauthnAuthenticator, prelude::CreationChallengeResponse};

api_test!(
    async fn a_registered_passkey_signs_its_owner_in(app: TestApp) {
        let user = app.sign_in("pk@example.com").await;
        let mut key = authenticator();
        let passkey = register(&app, &user, &mut key).await;
        assert_eq!(passkey["deviceType"], "SINGLE_DEVICE");
        assert_eq!(passkey["backedUp"], false);
        assert_eq!(passkey["transports"], json!([]));
        assert_eq!(
            viewer_passkeys(&app, &user.access_token).await,
            std::slice::from_ref(&passkey)
        );

        let (ceremony, credential) = assertion(&app, "PK@example.com ", &mut key).await;
        let response = finish_sign_in(&app, &ceremony, &credential).await;
        let signed_in = SignedIn::from_payload(&response.assert_ok()["finishPasskeySignIn"]);
        assert_eq!(signed_in.user_id, user.user_id);
        let viewer = app
            .graphql_as(&signed_in.access_token, "{ viewer { id } }", json!({}))
            .await;
        assert_eq!(
            viewer.assert_ok()["viewer"]["id"],
            user.user_id.to_string(),
            "the new access token works"
        );
        assert_eq!(
            stored_counter(&app, &passkey).await,
            1,
            "the counter advanced"
        );

        // A second sign-in advances it again; the ceremonies are gone once finished.
        let (ceremony, credential) = assertion(&app, "pk@example.com", &mut key).await;
        finish_sign_in(&app, &ceremony, &credential)
            .await
            .assert_ok();
        assert_eq!(stored_counter(&app, &passkey).await, 2);
        let left = passkey_ceremonies::Entity::find()
            .all(&app.database.db)
            .await
            .unwrap();
        assert!(left.is_empty(), "finished ceremonies are consumed");

        let events = app.audit_events().await;
        let summary: Vec<(&str, Option<&str>)> = events
            .iter()
            .map(|e| {
                let method = e.details.as_ref().and_then(|d| d["method"].as_str());
                (e.event_type.as_str(), method)
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("sign_in", Some("magic_link")),
                ("passkey_registered", None),
                ("sign_in", Some("passkey")),
                ("sign_in", Some("passkey")),
            ]
        );
        assert_eq!(events[2].user_id, Some(user.user_id));
        assert_eq!(events[1].resource_type.as_deref(), Some("passkey"));
    }
);

api_test!(
    async fn a_replayed_assertion_is_refused(app: TestApp) {
        let user = app.sign_in("replay@example.com").await;
        let mut key = authenticator();
        register(&app, &user, &mut key).await;
        let (ceremony, credential) = assertion(&app, "replay@example.com", &mut key).await;
        finish_sign_in(&app, &ceremony, &credential)
            .await
            .assert_ok();

        // The same assertion again, to its consumed ceremony…
        let again = finish_sign_in(&app, &ceremony, &credential).await;
        assert_refused(&again, "UNAUTHENTICATED", "PASSKEY_CEREMONY_INVALID");
        // …and to a fresh one: it signed another challenge.
        let (fresh, _) = begin_sign_in(&app, "replay@example.com").await;
        let replayed = finish_sign_in(&app, &fresh, &credential).await;
        assert_refused(&replayed, "UNAUTHENTICATED", "PASSKEY_REJECTED");

        let failures: Vec<tests::AuditEvent> = app
            .audit_events()
            .await
            .into_iter()
            .filter(|e| e.event_type == "sign_in_failed")
            .collect();
        assert_eq!(failures.len(), 2);
        for failure in &failures {
            assert_eq!(failure.status, "failure");
            assert_eq!(failure.details.as_ref().unwrap()["method"], "passkey");
        }
        assert_eq!(
            failures[1].details.as_ref().unwrap()["reason"],
            "PASSKEY_REJECTED"
        );
        assert_eq!(failures[1].user_id, Some(user.user_id));
    }
);

api_test!(
    async fn an_assertion_whose_counter_does_not_advance_is_refused(app: TestApp) {
        let user = app.sign_in("clone@example.com").await;
        let mut key = authenticator();
        let passkey = register(&app, &user, &mut key).await;
        let (ceremony, credential) = assertion(&app, "clone@example.com", &mut key).await;
        finish_sign_in(&app, &ceremony, &credential)
            .await
            .assert_ok();

        // Another copy of the key has been used meanwhile: the stored counter is ahead.
        authenticators::Entity::update_many()
            .col_expr(authenticators::Column::Counter, Expr::value(10_i64))
            .filter(authenticators::Column::UserId.eq(user.user_id))
            .exec(&app.database.db)
            .await
            .unwrap();
        let (ceremony, credential) = assertion(&app, "clone@example.com", &mut key).await;
        let response = finish_sign_in(&app, &ceremony, &credential).await;
        assert_refused(&response, "UNAUTHENTICATED", "PASSKEY_COUNTER_NOT_ADVANCED");
        assert_eq!(stored_counter(&app, &passkey).await, 10, "left as it was");

        // The stored counter moves ahead between begin and finish (a clone used meanwhile):
        // the counter column decides at finish.
        authenticators::Entity::update_many()
            .col_expr(authenticators::Column::Counter, Expr::value(2_i64))
            .filter(authenticators::Column::UserId.eq(user.user_id))
            .exec(&app.database.db)
            .await
            .unwrap();
        let (ceremony, credential) = assertion(&app, "clone@example.com", &mut key).await;
        authenticators::Entity::update_many()
            .col_expr(authenticators::Column::Counter, Expr::value(50_i64))
            .filter(authenticators::Column::UserId.eq(user.user_id))
            .exec(&app.database.db)
            .await
            .unwrap();
        let response = finish_sign_in(&app, &ceremony, &credential).await;
        assert_refused(&response, "UNAUTHENTICATED", "PASSKEY_COUNTER_NOT_ADVANCED");
        assert_eq!(stored_counter(&app, &passkey).await, 50);
    }
);

api_test!(
    async fn the_transports_a_browser_reports_are_kept_and_offered(app: TestApp) {
        let user = app.sign_in("usb@example.com").await;
        let mut key = authenticator();
        let (ceremony, options) = begin_registration(&app, &user).await;
        let options: CreationChallengeResponse = serde_json::from_value(options).unwrap();
        let mut credential =
            serde_json::to_value(key.do_registration(origin(), options).unwrap()).unwrap();
        credential["response"]["transports"] = json!(["usb", "nfc"]);
        let response = finish_registration(&app, &user, &ceremony, &credential).await;
        let passkey = &response.assert_ok()["finishPasskeyRegistration"]["passkey"];
        assert_eq!(passkey["transports"], json!(["usb", "nfc"]));
        assert_eq!(
            viewer_passkeys(&app, &user.access_token).await[0]["transports"],
            json!(["usb", "nfc"])
        );

        let (_, options) = begin_sign_in(&app, "usb@example.com").await;
        assert_eq!(
            options["publicKey"]["allowCredentials"][0]["transports"],
            json!(["usb", "nfc"])
        );
    }
);

api_test!(
    async fn unknown_and_expired_ceremonies_are_refused(app: TestApp) {
        let user = app.sign_in("late@example.com").await;
        let mut key = authenticator();

        let unknown = uuid::Uuid::new_v4().to_string();
        let response = finish_sign_in(&app, &unknown, &json!({})).await;
        assert_refused(&response, "UNAUTHENTICATED", "PASSKEY_CEREMONY_INVALID");
        let response = finish_registration(&app, &user, &unknown, &json!({})).await;
        assert_refused(&response, "BAD_USER_INPUT", "PASSKEY_CEREMONY_INVALID");
        assert_eq!(response.extensions()["field"], "ceremonyId");

        // A registration finished after five minutes.
        let (ceremony, options) = begin_registration(&app, &user).await;
        let options: CreationChallengeResponse = serde_json::from_value(options).unwrap();
        let credential = serde_json::to_value(key.do_registration(origin(), options).unwrap());
        app.clock
            .advance(Duration::minutes(5) + Duration::seconds(1));
        let response = finish_registration(&app, &user, &ceremony, &credential.unwrap()).await;
        assert_refused(&response, "BAD_USER_INPUT", "PASSKEY_CEREMONY_EXPIRED");
        assert!(viewer_passkeys(&app, &user.access_token).await.is_empty());

        // A sign-in finished after five minutes.
        let user = app.sign_in("late@example.com").await;
        register(&app, &user, &mut key).await;
        let (ceremony, credential) = assertion(&app, "late@example.com", &mut key).await;
        app.clock.advance(Duration::minutes(6));
        let response = finish_sign_in(&app, &ceremony, &credential).await;
        assert_refused(&response, "UNAUTHENTICATED", "PASSKEY_CEREMONY_EXPIRED");

        // An abandoned ceremony is swept once expired.
        begin_sign_in(&app, "late@example.com").await;
        let db = &app.database.db;
        let now = app.clock.now();
        assert_eq!(passkeys::sweep(db, now).await.unwrap(), 0);
        app.clock.advance(Duration::minutes(6));
        let now = app.clock.now();
        assert_eq!(passkeys::sweep(db, now).await.unwrap(), 1);
    }
);

api_test!(
    async fn an_address_without_a_passkey_gets_options_that_do_not_tell(app: TestApp) {
        let owner = app.sign_in("owner@example.com").await;
        let mut key = authenticator();
        register(&app, &owner, &mut key).await;
        app.sign_in("nokey@example.com").await;

        let (_, real) = begin_sign_in(&app, "owner@example.com").await;
        let (_, unknown) = begin_sign_in(&app, "nobody@example.com").await;
        let (_, keyless) = begin_sign_in(&app, "nokey@example.com").await;
        let keys = |options: &Value| {
            let mut keys: Vec<String> = options["publicKey"]
                .as_object()
                .unwrap()
                .keys()
                .cloned()
                .collect();
            keys.sort();
            keys
        };
        assert_eq!(keys(&unknown), keys(&real));
        assert_eq!(keys(&keyless), keys(&real));
        assert_eq!(unknown["publicKey"]["rpId"], real["publicKey"]["rpId"]);
        assert_eq!(
            unknown["publicKey"]["timeout"],
            real["publicKey"]["timeout"]
        );
        let (_, again) = begin_sign_in(&app, "nobody@example.com").await;
        assert_eq!(
            again["publicKey"]["allowCredentials"], unknown["publicKey"]["allowCredentials"],
            "the same address always gets the same answer"
        );

        // Finishing such a ceremony fails like a wrong passkey, even with a real assertion.
        let (_, credential) = assertion(&app, "owner@example.com", &mut key).await;
        let (decoy, _) = begin_sign_in(&app, "nobody@example.com").await;
        let response = finish_sign_in(&app, &decoy, &credential).await;
        assert_refused(&response, "UNAUTHENTICATED", "PASSKEY_REJECTED");

        // Malformed credentials are the client's bad input, and audited too.
        let (ceremony, _) = begin_sign_in(&app, "owner@example.com").await;
        let response = finish_sign_in(&app, &ceremony, &json!({ "id": 1 })).await;
        assert_eq!(response.error_codes(), ["BAD_USER_INPUT"]);
        assert_eq!(response.extensions()["field"], "credential");
        let failed = app
            .audit_events()
            .await
            .into_iter()
            .filter(|e| e.event_type == "sign_in_failed")
            .count();
        assert_eq!(failed, 2);
    }
);

api_test!(
    async fn another_user_can_neither_see_nor_delete_a_passkey(app: TestApp) {
        let owner = app.sign_in("mine@example.com").await;
        let other = app.sign_in("theirs@example.com").await;
        let mut key = authenticator();
        let passkey = register(&app, &owner, &mut key).await;
        assert!(viewer_passkeys(&app, &other.access_token).await.is_empty());
        let id: uuid::Uuid = passkey["id"].as_str().unwrap().parse().unwrap();
        let credential_id = authenticators::Entity::find_by_id(id)
            .one(&app.database.db)
            .await
            .unwrap()
            .unwrap()
            .credential_id;

        let delete = "mutation($id: UUID!) { deletePasskey(input: {id: $id}) { passkey { id } } }";
        let vars = json!({ "id": id });
        let response = app
            .graphql_as(&other.access_token, delete, vars.clone())
            .await;
        assert_eq!(response.error_codes(), ["NOT_FOUND"]);
        assert_eq!(viewer_passkeys(&app, &owner.access_token).await.len(), 1);

        let response = app.graphql_as(&owner.access_token, delete, vars).await;
        assert_eq!(
            response.assert_ok()["deletePasskey"]["passkey"]["id"],
            passkey["id"]
        );
        assert!(viewer_passkeys(&app, &owner.access_token).await.is_empty());
        let (_, options) = begin_sign_in(&app, "mine@example.com").await;
        assert!(
            !options.to_string().contains(&credential_id),
            "a deleted passkey is no longer offered"
        );
        let deleted = app
            .audit_events()
            .await
            .into_iter()
            .filter(|e| e.event_type == "passkey_deleted")
            .collect::<Vec<_>>();
        assert_eq!(deleted.len(), 1);
        assert_eq!(
            (deleted[0].user_id, deleted[0].resource_id),
            (Some(owner.user_id), Some(id))
        );

        let anonymous = app
            .graphql("mutation { beginPasskeyRegistration { ceremonyId } }")
            .await;
        assert_eq!(anonymous.error_codes(), ["UNAUTHENTICATED"]);
    }
);

/// The limiter is in memory, the same on both backends: SQLite shows it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn finishing_sign_ins_is_rate_limited_per_ip() {
    let app = TestApp::spawn_with(tests::Backend::Sqlite, |config| {
        config.auth.rate_limits.per_ip = 3;
    })
    .await;
    let unknown = uuid::Uuid::new_v4().to_string();
    for _ in 0..3 {
        let response = finish_sign_in(&app, &unknown, &json!({})).await;
        assert_eq!(response.error_codes(), ["UNAUTHENTICATED"]);
    }
    let response = finish_sign_in(&app, &unknown, &json!({})).await;
    assert_eq!(response.error_codes(), ["RATE_LIMITED"]);
}

api_test!(
    async fn a_ceremony_begun_on_one_instance_finishes_on_another(app: TestApp) {
        let url = app.database.url.clone();
        let other = TestApp::spawn_with(app.backend(), |config| config.database_url = url).await;
        let user = app.sign_in("roam@example.com").await;
        let mut key = authenticator();

        let (ceremony, options) = begin_registration(&app, &user).await;
        let options: CreationChallengeResponse = serde_json::from_value(options).unwrap();
        let credential = serde_json::to_value(key.do_registration(origin(), options).unwrap());
        let on_other = other.sign_in("roam@example.com").await;
        let response =
            finish_registration(&other, &on_other, &ceremony, &credential.unwrap()).await;
        response.assert_ok();

        let (ceremony, credential) = assertion(&other, "roam@example.com", &mut key).await;
        let response = finish_sign_in(&app, &ceremony, &credential).await;
        let signed_in = SignedIn::from_payload(&response.assert_ok()["finishPasskeySignIn"]);
        assert_eq!(signed_in.user_id, user.user_id);
    }
);
