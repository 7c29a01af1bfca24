//! Music libraries: the owner creates, renames, favourites and deletes them, adds, removes
//! and reorders tracks with `tracksCount` kept right; nobody else sees or touches them; and
//! tracks load in one statement whatever the number of libraries.
use serde_json::{Value, json};
use tests::{GqlResponse, SignedIn, TestApp, api_test};

const LIBRARY: &str = "id name description libraryType isFavorite tracksCount tracks { id title externalId url durationSeconds position }";

async fn call(app: &TestApp, user: &SignedIn, mutation: &str, input: Value) -> GqlResponse {
    let query = format!(
        "mutation($input: {}Input!) {{ {mutation}(input: $input) {{ library {{ {LIBRARY} }} }} }}",
        upper_first(mutation)
    );
    app.graphql_as(&user.access_token, &query, json!({ "input": input }))
        .await
}

fn upper_first(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

async fn library(app: &TestApp, user: &SignedIn, mutation: &str, input: Value) -> Value {
    call(app, user, mutation, input).await.assert_ok()[mutation]["library"].clone()
}

async fn add(app: &TestApp, user: &SignedIn, library: &Value, title: &str) -> Value {
    let query = "mutation($input: AddFocusLibraryTrackInput!) { addFocusLibraryTrack(input: $input) { library { tracksCount } track { id title position } } }";
    let input = json!({ "libraryId": library["id"], "title": title, "url": "https://music.example.com/t", "durationSeconds": 180 });
    let response = app
        .graphql_as(&user.access_token, query, json!({ "input": input }))
        .await;
    response.assert_ok()["addFocusLibraryTrack"].clone()
}

api_test!(
    async fn a_library_is_created_renamed_favourited_and_deleted_with_its_tracks(app: TestApp) {
        let user = app.member("dj@example.com").await;
        let created = library(
            &app,
            &user,
            "createFocusLibrary",
            json!({ "name": "  Rain  ", "libraryType": "CUSTOM" }),
        )
        .await;
        assert_eq!(
            (
                created["name"].clone(),
                created["libraryType"].clone(),
                created["isFavorite"].clone(),
                created["tracksCount"].clone()
            ),
            (json!("Rain"), json!("CUSTOM"), json!(false), json!(0))
        );
        let blank = call(&app, &user, "createFocusLibrary", json!({ "name": " " })).await;
        assert_eq!(blank.extensions()["field"], "name");
        let updated = library(&app, &user, "updateFocusLibrary", json!({ "libraryId": created["id"], "name": "Storm", "isFavorite": true, "description": "loud" })).await;
        assert_eq!(
            (
                updated["name"].clone(),
                updated["isFavorite"].clone(),
                updated["description"].clone()
            ),
            (json!("Storm"), json!(true), json!("loud"))
        );
        add(&app, &user, &created, "Thunder").await;
        let deleted = app
            .graphql_as(&user.access_token, "mutation($id: UUID!) { deleteFocusLibrary(input: {libraryId: $id}) { deletedLibraryId } }", json!({ "id": created["id"] }))
            .await;
        assert_eq!(
            deleted.assert_ok()["deleteFocusLibrary"]["deletedLibraryId"],
            created["id"]
        );
        let left = app
            .graphql_as(
                &user.access_token,
                "{ viewer { focusLibraries { id } } }",
                json!({}),
            )
            .await;
        assert_eq!(left.assert_ok()["viewer"]["focusLibraries"], json!([]));
    }
);

api_test!(
    async fn tracks_are_added_removed_and_reordered_and_counted(app: TestApp) {
        let user = app.member("tracks@example.com").await;
        let lib = library(
            &app,
            &user,
            "createFocusLibrary",
            json!({ "name": "Lo-fi" }),
        )
        .await;
        let mut ids = Vec::new();
        for (i, title) in ["One", "Two", "Three"].into_iter().enumerate() {
            let added = add(&app, &user, &lib, title).await;
            assert_eq!(added["library"]["tracksCount"], i + 1);
            assert_eq!(added["track"]["position"], i);
            ids.push(added["track"]["id"].clone());
        }
        let bad_url = app
            .graphql_as(&user.access_token, "mutation($l: UUID!) { addFocusLibraryTrack(input: {libraryId: $l, title: \"x\", url: \"ftp://x\"}) { track { id } } }", json!({ "l": lib["id"] }))
            .await;
        assert_eq!(bad_url.extensions()["field"], "url");
        let partial = call(
            &app,
            &user,
            "reorderFocusLibraryTracks",
            json!({ "libraryId": lib["id"], "trackIds": [ids[0]] }),
        )
        .await;
        assert_eq!(partial.extensions()["field"], "trackIds");
        let reordered = library(
            &app,
            &user,
            "reorderFocusLibraryTracks",
            json!({ "libraryId": lib["id"], "trackIds": [ids[2], ids[0], ids[1]] }),
        )
        .await;
        let titles: Vec<_> = reordered["tracks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["title"].clone())
            .collect();
        assert_eq!(titles, ["Three", "One", "Two"]);
        let removed = library(
            &app,
            &user,
            "removeFocusLibraryTrack",
            json!({ "trackId": ids[0] }),
        )
        .await;
        assert_eq!(removed["tracksCount"], 2);
        assert_eq!(removed["tracks"].as_array().unwrap().len(), 2);
        let again = call(
            &app,
            &user,
            "removeFocusLibraryTrack",
            json!({ "trackId": ids[0] }),
        )
        .await;
        assert_eq!(again.error_codes(), ["NOT_FOUND"]);
    }
);

api_test!(
    async fn another_user_can_neither_see_nor_change_a_library(app: TestApp) {
        let owner = app.member("owner-lib@example.com").await;
        let other = app.member("other-lib@example.com").await;
        let lib = library(
            &app,
            &owner,
            "createFocusLibrary",
            json!({ "name": "Mine" }),
        )
        .await;
        let track = add(&app, &owner, &lib, "Secret").await["track"]["id"].clone();
        let attempts = [
            (
                "updateFocusLibrary",
                json!({ "libraryId": lib["id"], "name": "Yours" }),
            ),
            ("removeFocusLibraryTrack", json!({ "trackId": track })),
            (
                "reorderFocusLibraryTracks",
                json!({ "libraryId": lib["id"], "trackIds": [track] }),
            ),
        ];
        for (mutation, input) in attempts {
            assert_eq!(
                call(&app, &other, mutation, input).await.error_codes(),
                ["NOT_FOUND"],
                "{mutation}"
            );
        }
        let add_there = app
            .graphql_as(&other.access_token, "mutation($l: UUID!) { addFocusLibraryTrack(input: {libraryId: $l, title: \"x\"}) { track { id } } }", json!({ "l": lib["id"] }))
            .await;
        assert_eq!(add_there.error_codes(), ["NOT_FOUND"]);
        let delete = app
            .graphql_as(&other.access_token, "mutation($l: UUID!) { deleteFocusLibrary(input: {libraryId: $l}) { deletedLibraryId } }", json!({ "l": lib["id"] }))
            .await;
        assert_eq!(delete.error_codes(), ["NOT_FOUND"]);
        let seen = app
            .graphql_as(
                &other.access_token,
                "{ viewer { focusLibraries { id } } }",
                json!({}),
            )
            .await;
        assert_eq!(seen.assert_ok()["viewer"]["focusLibraries"], json!([]));
        let mine = app
            .graphql_as(
                &owner.access_token,
                &format!("{{ viewer {{ focusLibraries {{ {LIBRARY} }} }} }}"),
                json!({}),
            )
            .await;
        assert_eq!(
            mine.assert_ok()["viewer"]["focusLibraries"][0]["tracks"][0]["title"],
            "Secret"
        );
    }
);

api_test!(
    async fn tracks_load_in_one_statement_whatever_the_number_of_libraries(app: TestApp) {
        let user = app.member("loader@example.com").await;
        let query = format!("{{ viewer {{ focusLibraries {{ {LIBRARY} }} }} }}");
        let lib = library(
            &app,
            &user,
            "createFocusLibrary",
            json!({ "name": "First" }),
        )
        .await;
        add(&app, &user, &lib, "a").await;
        let (_, one) = app
            .graphql_counting_as(&user.access_token, &query, json!({}))
            .await;
        for name in ["Second", "Third", "Fourth"] {
            let lib = library(
                &app,
                &user,
                "createFocusLibrary",
                json!({ "name": name, "isFavorite": true }),
            )
            .await;
            add(&app, &user, &lib, "b").await;
            add(&app, &user, &lib, "c").await;
        }
        let (response, four) = app
            .graphql_counting_as(&user.access_token, &query, json!({}))
            .await;
        let libraries = response.assert_ok()["viewer"]["focusLibraries"]
            .as_array()
            .unwrap()
            .clone();
        assert_eq!(libraries.len(), 4);
        assert_eq!(libraries[3]["name"], "First", "favourites first");
        assert_eq!(
            one, four,
            "statements grow with the query's depth, not its rows"
        );
    }
);
