//! The first ten minutes, against the real binary: start-up says where mail goes, each
//! sign-in link is logged at INFO and mailed whole on a line of its own (7bit, nothing to
//! decode), outbox files sort by time, GraphiQL's first tab shows how to sign in, and the
//! sign-in page can be switched off.
use serde_json::json;
use tests::{Backend, ChildServer, Outbox, TestDatabase};

const REQUEST: &str = "mutation($e: String!) { requestSignInLink(input: {email: $e}) { sent } }";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_in_link_is_logged_and_mailed_whole_and_the_outbox_sorts_by_time() {
    let database = TestDatabase::fresh(Backend::Sqlite).await;
    let server = ChildServer::start(&database.url, Outbox::fresh(), &[]).await;
    let outbox = server.outbox.dir.display().to_string();
    let logs = server.logs();
    assert!(
        logs.contains("mail goes to the outbox") && logs.contains(&outbox),
        "start-up says where mail goes: {logs}"
    );
    for email in ["first@example.com", "second@example.com"] {
        server
            .graphql_as(None, REQUEST, json!({ "e": email }))
            .await
            .assert_ok();
    }
    // The link the log names is the link the mail holds, on a line of its own.
    let link = server.outbox.sign_in_link("first@example.com");
    assert!(
        link.starts_with(&format!("http://{}/sign-in?token=", server.addr)),
        "{link}"
    );
    let logs = server.logs();
    let logged = logs
        .lines()
        .find(|line| line.contains("sign-in link for first@example.com:"))
        .unwrap_or_else(|| panic!("the link is logged: {logs}"));
    assert!(logged.contains(" INFO "), "{logged}");
    assert!(logged.trim_end().ends_with(&link), "{logged}");
    let mail = &server.outbox.mails_to("first@example.com")[0];
    assert!(mail.contains("Content-Transfer-Encoding: 7bit"), "{mail}");

    // `ls` order is the order they were written.
    let mut names: Vec<String> = std::fs::read_dir(&server.outbox.dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names.len(), 2);
    assert!(
        names[0].starts_with("20") && names[0].ends_with(".eml"),
        "{names:?}"
    );
    let first = std::fs::read_to_string(server.outbox.dir.join(&names[0])).unwrap();
    assert!(
        first.contains("To: first@example.com"),
        "oldest first: {names:?}"
    );

    // GraphiQL's first tab: the three steps of signing in.
    let page = server
        .http
        .get(server.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for step in [
        "requestSignInLink",
        "signInWithLink",
        "Authorization: Bearer",
    ] {
        assert!(page.contains(step), "{step}");
    }
    let sign_in = server
        .http
        .get(server.url("/sign-in?token=x"))
        .send()
        .await
        .unwrap();
    assert_eq!(sign_in.status(), 200);
    assert_eq!(sign_in.headers()["referrer-policy"], "no-referrer");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sign_in_page_can_be_switched_off() {
    let database = TestDatabase::fresh(Backend::Sqlite).await;
    let env = [("APP_SIGN_IN_PAGE", "false")];
    let server = ChildServer::start(&database.url, Outbox::fresh(), &env).await;
    let page = server
        .http
        .get(server.url("/sign-in?token=x"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 404);
}
