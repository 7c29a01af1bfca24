//! The real server binary as a child process, for what an in-process app cannot undergo:
//! SIGKILL, SIGTERM, a file-size limit. It speaks GraphQL over HTTP like `TestApp`, and its
//! logs are kept in memory (a pipe, so a file-size limit on the child cannot cut them).
use std::{
    net::SocketAddr,
    process::Stdio,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use serde_json::{Value, json};
use tokio::{
    io::{AsyncBufReadExt, BufReader},
    process::{Child, Command},
};

use crate::{GqlResponse, SignedIn, identity::SIGN_IN_FIELDS, outbox::Outbox};

/// A token secret shared by every start, so a client's token outlives a restart.
const JWT_SECRET: &str = "child-server-test-secret-0123456789abcdef";

pub struct ChildServer {
    pub addr: SocketAddr,
    pub outbox: Outbox,
    pub http: reqwest::Client,
    child: Child,
    logs: Arc<Mutex<String>>,
}

impl ChildServer {
    /// Starts `app-server` on `database_url` with `env` on top of the defaults, and waits
    /// until it answers `/healthz`. SIGXFSZ is ignored in the child, so a file-size limit
    /// makes its writes fail with EFBIG (as a full disk would) instead of killing it.
    pub async fn start(database_url: &str, outbox: Outbox, env: &[(&str, &str)]) -> Self {
        let addr = free_port();
        let mut command = Command::new("sh");
        command
            .args(["-c", "trap '' XFSZ; exec \"$0\" \"$@\""])
            .arg(binary())
            .env("DATABASE_URL", database_url)
            .env("DATABASE_MAX_CONNECTIONS", "5")
            .env("APP_BIND", addr.to_string())
            .env("APP_OUTBOX_DIR", &outbox.dir)
            .env("APP_ADMIN_EMAILS", crate::ADMIN_EMAIL)
            .env("JWT_SECRET", JWT_SECRET)
            .env("APP_LOG", "info")
            .env("NO_COLOR", "1")
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        let mut child = command.spawn().expect("spawn app-server");
        let logs = Arc::new(Mutex::new(String::new()));
        for stream in [
            child
                .stdout
                .take()
                .map(|s| Box::new(s) as Box<dyn tokio::io::AsyncRead + Send + Unpin>),
            child
                .stderr
                .take()
                .map(|s| Box::new(s) as Box<dyn tokio::io::AsyncRead + Send + Unpin>),
        ]
        .into_iter()
        .flatten()
        {
            let logs = logs.clone();
            tokio::spawn(async move {
                let mut lines = BufReader::new(stream).lines();
                while let Ok(Some(line)) = lines.next_line().await {
                    let mut logs = logs.lock().unwrap();
                    logs.push_str(&line);
                    logs.push('\n');
                }
            });
        }
        let server = Self {
            addr,
            outbox,
            http: reqwest::Client::new(),
            child,
            logs,
        };
        server.wait_until_healthy().await;
        server
    }

    async fn wait_until_healthy(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Ok(response) = self.http.get(self.url("/healthz")).send().await
                && response.status().is_success()
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("app-server did not come up; its logs:\n{}", self.logs());
    }

    pub fn pid(&self) -> u32 {
        self.child.id().expect("the child is running")
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Everything the child has logged so far.
    pub fn logs(&self) -> String {
        self.logs.lock().unwrap().clone()
    }

    /// SIGKILL: no shutdown, no flush, as a crash or an OOM kill.
    pub async fn kill(mut self) {
        self.child.kill().await.expect("SIGKILL the child");
    }

    /// Sends `signal` (e.g. `TERM`) through `kill(1)`: the suite forbids `unsafe`, so no libc.
    pub async fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(self.pid().to_string())
            .status()
            .await
            .expect("run kill");
        assert!(status.success(), "kill -{signal} failed");
    }

    /// Waits up to `patience` for the child to exit; `None` if it is still running.
    pub async fn wait_exit(&mut self, patience: Duration) -> Option<std::process::ExitStatus> {
        tokio::time::timeout(patience, self.child.wait())
            .await
            .ok()
            .map(|status| status.expect("wait for the child"))
    }

    /// `/readyz`: its status and body.
    pub async fn ready(&self) -> (u16, Value) {
        let response = self
            .http
            .get(self.url("/readyz"))
            .send()
            .await
            .expect("GET /readyz");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// POSTs `query` as the holder of `token`; `None` when no HTTP answer came (the
    /// connection failed or was cut), so the caller cannot know whether it was applied.
    pub async fn try_graphql_as(
        &self,
        token: Option<&str>,
        query: &str,
        variables: Value,
    ) -> Option<GqlResponse> {
        let mut request = self
            .http
            .post(self.url("/graphql"))
            .timeout(Duration::from_secs(30))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.ok()?;
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.ok()?;
        let body = serde_json::from_str(&text).ok()?;
        Some(GqlResponse {
            status,
            headers,
            body,
            text,
        })
    }

    pub async fn graphql_as(
        &self,
        token: Option<&str>,
        query: &str,
        variables: Value,
    ) -> GqlResponse {
        self.try_graphql_as(token, query, variables)
            .await
            .expect("an HTTP answer")
    }

    /// Signs `email` in through a mailed link.
    pub async fn sign_in(&self, email: &str) -> SignedIn {
        self.graphql_as(
            None,
            "mutation($email: String!) { requestSignInLink(input: {email: $email}) { sent } }",
            json!({ "email": email }),
        )
        .await
        .assert_ok();
        let token = self.outbox.sign_in_token(email);
        let query = format!(
            "mutation($token: String!) {{ signInWithLink(input: {{token: $token}}) {{ {SIGN_IN_FIELDS} }} }}"
        );
        let response = self
            .graphql_as(None, &query, json!({ "token": token }))
            .await;
        SignedIn::from_payload(&response.assert_ok()["signInWithLink"])
    }
}

/// `app-server`, built with the suite beside the test binaries (`target/<profile>/`); the
/// test binaries themselves live one folder down, in `deps/`.
fn binary() -> std::path::PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    let profile = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/<profile>/deps");
    let binary = profile.join("app-server");
    assert!(binary.exists(), "{} is not built", binary.display());
    binary
}

impl ChildServer {
    /// Signs `email` in and passes the sign-up gates (terms, age), as `TestApp::member`.
    pub async fn member(&self, email: &str) -> SignedIn {
        let user = self.sign_in(email).await;
        let terms = self
            .graphql_as(None, "{ signUpRequirements { termsVersion } }", json!({}))
            .await;
        let version = terms.assert_ok()["signUpRequirements"]["termsVersion"].clone();
        let token = Some(user.access_token.as_str());
        self.graphql_as(
            token,
            "mutation($v: String!) { acceptTerms(input: {version: $v}) { viewer { tosAccepted } } }",
            json!({ "v": version }),
        )
        .await
        .assert_ok();
        self.graphql_as(
            token,
            r#"mutation { confirmAge(input: {birthDate: "1990-01-01"}) { viewer { ageVerified } } }"#,
            json!({}),
        )
        .await
        .assert_ok();
        user
    }
}

/// A port nothing listens on now (bound, read, released).
fn free_port() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind port 0");
    listener.local_addr().expect("the bound address")
}
