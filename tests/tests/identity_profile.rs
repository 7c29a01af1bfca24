//! The profile, settings and sign-up gates a user manages themselves.

use serde_json::json;
use tests::api_test;

api_test!(
    async fn the_viewer_reads_and_edits_their_profile(app: TestApp) {
        let user = app.sign_in("profile@example.com").await;
        let update = "mutation($n: String, $i: String) { updateProfile(input: {name: $n, image: $i}) { viewer { name image } } }";
        let saved = app
            .graphql_as(
                &user.access_token,
                update,
                json!({ "n": "  Ada  ", "i": "https://example.com/ada.png" }),
            )
            .await;
        assert_eq!(
            saved.assert_ok()["updateProfile"]["viewer"],
            json!({ "name": "Ada", "image": "https://example.com/ada.png" })
        );
        let cleared = app
            .graphql_as(
                &user.access_token,
                "mutation { updateProfile(input: {image: null}) { viewer { name image } } }",
                json!({}),
            )
            .await;
        assert_eq!(
            cleared.assert_ok()["updateProfile"]["viewer"],
            json!({ "name": "Ada", "image": null })
        );
        let bad = app
            .graphql_as(
                &user.access_token,
                update,
                json!({ "n": "Ada", "i": "javascript:alert(1)" }),
            )
            .await;
        assert_eq!(bad.error_codes(), ["BAD_USER_INPUT"]);
        assert_eq!(bad.extensions()["field"], "image");
        let anonymous = app.graphql_with(update, json!({ "n": "Eve" })).await;
        assert_eq!(anonymous.error_codes(), ["UNAUTHENTICATED"]);
    }
);

api_test!(
    async fn settings_default_to_utc_and_validate_zone_and_hour(app: TestApp) {
        let user = app.sign_in("zones@example.com").await;
        let read = app
            .graphql_as(
                &user.access_token,
                "{ viewer { settings { timeZone dayStartHour } } }",
                json!({}),
            )
            .await;
        assert_eq!(
            read.assert_ok()["viewer"]["settings"],
            json!({ "timeZone": "UTC", "dayStartHour": 0 })
        );
        let update = "mutation($z: String, $h: Int) { updateSettings(input: {timeZone: $z, dayStartHour: $h}) { settings { timeZone dayStartHour } } }";
        let saved = app
            .graphql_as(
                &user.access_token,
                update,
                json!({ "z": "Pacific/Auckland", "h": 4 }),
            )
            .await;
        assert_eq!(
            saved.assert_ok()["updateSettings"]["settings"],
            json!({ "timeZone": "Pacific/Auckland", "dayStartHour": 4 })
        );
        let zone = app
            .graphql_as(&user.access_token, update, json!({ "z": "Mars/Olympus" }))
            .await;
        assert_eq!(zone.extensions()["field"], "timeZone");
        let hour = app
            .graphql_as(&user.access_token, update, json!({ "h": 24 }))
            .await;
        assert_eq!(hour.extensions()["field"], "dayStartHour");
        let kept = app
            .graphql_as(
                &user.access_token,
                "{ viewer { settings { timeZone dayStartHour } } }",
                json!({}),
            )
            .await;
        assert_eq!(
            kept.assert_ok()["viewer"]["settings"],
            json!({ "timeZone": "Pacific/Auckland", "dayStartHour": 4 }),
            "refused input changes nothing"
        );
    }
);

api_test!(
    async fn the_terms_and_age_gates_open_only_with_valid_answers(app: TestApp) {
        let user = app.sign_in("gates@example.com").await;
        let requirements = app
            .graphql("{ signUpRequirements { termsVersion minimumAge approvalRequired } }")
            .await;
        let requirements = requirements.assert_ok()["signUpRequirements"].clone();
        assert_eq!(requirements["approvalRequired"], false);
        let accept = "mutation($v: String!) { acceptTerms(input: {version: $v}) { viewer { tosAccepted tosVersion } } }";
        let stale = app
            .graphql_as(&user.access_token, accept, json!({ "v": "1999-01-01" }))
            .await;
        assert_eq!(stale.extensions()["reason"], "TERMS_VERSION_MISMATCH");
        let accepted = app
            .graphql_as(
                &user.access_token,
                accept,
                json!({ "v": requirements["termsVersion"] }),
            )
            .await;
        assert_eq!(
            accepted.assert_ok()["acceptTerms"]["viewer"]["tosAccepted"],
            true
        );

        let confirm =
            "mutation($d: Date!) { confirmAge(input: {birthDate: $d}) { viewer { ageVerified } } }";
        let young = app
            .graphql_as(&user.access_token, confirm, json!({ "d": "2020-01-01" }))
            .await;
        assert_eq!(young.extensions()["reason"], "TOO_YOUNG");
        let future = app
            .graphql_as(&user.access_token, confirm, json!({ "d": "2999-01-01" }))
            .await;
        assert_eq!(future.extensions()["field"], "birthDate");
        let malformed = app
            .graphql_as(&user.access_token, confirm, json!({ "d": "01/01/1990" }))
            .await;
        assert_eq!(malformed.error_codes(), ["BAD_USER_INPUT"]);
        let adult = app
            .graphql_as(&user.access_token, confirm, json!({ "d": "1990-06-15" }))
            .await;
        assert_eq!(
            adult.assert_ok()["confirmAge"]["viewer"]["ageVerified"],
            true
        );
        assert!(
            !app.database.contains_text("1990-06-15").await,
            "the birth date is not stored"
        );
    }
);
