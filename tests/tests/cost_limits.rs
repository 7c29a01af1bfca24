//! One client cannot make one request cost a thousand: HTTP batches are bounded in length
//! and in summed complexity, a socket in running operations, a user in open sockets.

use std::time::Instant;

use serde_json::{Value, json};
use tests::{GqlResponse, TestApp, WsClient, api_test, backend_test};

async fn post_batch(app: &TestApp, batch: &[Value]) -> GqlResponse {
    post_batch_as(app, "", batch).await
}

async fn post_batch_as(app: &TestApp, token: &str, batch: &[Value]) -> GqlResponse {
    let mut request = app.http.post(app.url("/graphql"));
    if !token.is_empty() {
        request = request.bearer_auth(token);
    }
    let response = request.json(&batch).send().await.unwrap();
    GqlResponse::read(response).await
}

fn op(query: &str) -> Value {
    json!({ "query": query })
}

api_test!(
    async fn a_batch_past_ten_operations_is_refused_before_any_runs(app: TestApp) {
        let started = Instant::now();
        let huge = post_batch(&app, &vec![op("{ __typename }"); 1_000]).await;
        let took = started.elapsed();
        assert_eq!(huge.extensions()["code"], "BAD_USER_INPUT");
        assert_eq!(huge.extensions()["field"], "batch");
        assert!(took.as_millis() < 500, "refused in {took:?}");

        let mutation =
            op("mutation { requestSignInLink(input: {email: \"batch@example.com\"}) { sent } }");
        let mut eleven = vec![op("{ __typename }"); 10];
        eleven.push(mutation.clone());
        post_batch(&app, &eleven).await;
        assert!(
            app.outbox.mails_to("batch@example.com").is_empty(),
            "nothing ran"
        );

        let ten = post_batch(&app, &vec![op("{ __typename }"); 10]).await;
        assert_eq!(ten.body.as_array().map(Vec::len), Some(10));
    }
);

backend_test!(
    async fn the_complexity_limit_holds_for_a_batch_s_sum(backend: Backend) {
        let app = TestApp::spawn_with(backend, |config| config.limits.max_complexity = 40).await;
        let member = app.member("complex@example.com").await;
        // 16 each: two fit in 40, the third does not.
        let two = op(
            "{ viewer { id } a: viewer { id } b: viewer { id } c: viewer { id } d: viewer { id } e: viewer { id } f: viewer { id } g: viewer { id } }",
        );
        let answers =
            post_batch_as(&app, &member.access_token, &[two.clone(), two.clone(), two]).await;
        let answers = answers.body.as_array().unwrap().clone();
        assert!(
            answers[0]["data"]["viewer"]["id"].is_string(),
            "{}",
            answers[0]
        );
        assert!(
            answers[1]["data"]["viewer"]["id"].is_string(),
            "{}",
            answers[1]
        );
        assert_eq!(
            answers[2]["errors"][0]["extensions"]["code"],
            "BAD_USER_INPUT"
        );
    }
);

api_test!(
    async fn the_fifty_first_subscription_on_a_socket_is_refused_and_the_socket_stays(
        app: TestApp,
    ) {
        let member = app.member("subscriber@example.com").await;
        let mut ws = WsClient::connect(&app, "graphql-transport-ws").await;
        ws.initialise(json!({ "authorization": format!("Bearer {}", member.access_token) }))
            .await;
        let subscribe = |id: usize, query: &str| json!({ "id": id.to_string(), "type": "subscribe", "payload": { "query": query } });
        for id in 1..=50 {
            ws.send(subscribe(id, "subscription { focusSession { id } }"))
                .await;
        }
        ws.send(subscribe(51, "subscription { focusSession { id } }"))
            .await;
        let refused = ws.receive().await;
        assert_eq!(refused["type"], "error");
        assert_eq!(refused["id"], "51");
        assert_eq!(
            refused["payload"][0]["extensions"]["code"],
            "BAD_USER_INPUT"
        );

        ws.send(json!({ "id": "1", "type": "complete" })).await;
        ws.send(subscribe(52, "{ __typename }")).await;
        let answer = ws.receive().await;
        assert_eq!(answer["payload"]["data"]["__typename"], "Query", "{answer}");
    }
);

backend_test!(
    async fn one_user_holds_a_bounded_number_of_sockets(backend: Backend) {
        let app = TestApp::spawn_with(backend, |config| config.cost.max_sockets_per_user = 2).await;
        let member = app.member("sockets@example.com").await;
        let init = json!({ "authorization": format!("Bearer {}", member.access_token) });
        let mut open = Vec::new();
        for _ in 0..2 {
            let mut ws = WsClient::connect(&app, "graphql-transport-ws").await;
            ws.initialise(init.clone()).await;
            open.push(ws);
        }
        let mut third = WsClient::connect(&app, "graphql-transport-ws").await;
        third
            .send(json!({ "type": "connection_init", "payload": init.clone() }))
            .await;
        assert_eq!(third.closed_with().await, Some(4403));

        drop(open.pop());
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        let mut again = WsClient::connect(&app, "graphql-transport-ws").await;
        again.initialise(init).await;
    }
);
