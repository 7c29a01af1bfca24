//! The audit trail as the admin API shows it (`auditLog`), oldest first, for tests that
//! check what was recorded. The auditor (the bootstrap admin) acts only at instants of its
//! own: each read moves the test clock on a second, signs in or refreshes there, reads,
//! and moves on another second; entries at the auditor's instants are left out, so the
//! trail holds exactly what the test did.
use chrono::{DateTime, Duration, Utc};
use schema::domain::Clock;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{SignedIn, TestApp};

/// The auditor's session and the instants it acted at.
#[derive(Debug, Default)]
pub struct Auditor {
    session: Option<SignedIn>,
    instants: Vec<DateTime<Utc>>,
}

/// One audit entry as the API returns it.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEvent {
    pub id: Uuid,
    pub event_type: String,
    pub status: String,
    pub user_id: Option<Uuid>,
    pub session_id: Option<Uuid>,
    pub resource_type: Option<String>,
    pub resource_id: Option<Uuid>,
    pub action: Option<String>,
    pub details: Option<Value>,
    pub ip_address: Option<String>,
    pub user_agent: Option<String>,
    pub request_id: Option<String>,
}

impl AuditEvent {
    fn from_node(node: &Value) -> Self {
        let text = |field: &str| node[field].as_str().map(str::to_owned);
        let id = |field: &str| text(field).map(|s| s.parse().expect("a UUID"));
        Self {
            id: id("id").expect("an entry id"),
            event_type: text("eventType").unwrap_or_default(),
            status: text("status").unwrap_or_default(),
            user_id: id("userId"),
            session_id: id("sessionId"),
            resource_type: text("resourceType"),
            resource_id: id("resourceId"),
            action: text("action"),
            details: Some(node["details"].clone()).filter(|d| !d.is_null()),
            ip_address: text("ipAddress"),
            user_agent: text("userAgent"),
            request_id: text("requestId"),
        }
    }
}

const AUDIT_LOG: &str = "query($to: DateTime!) { auditLog(first: 100, filter: {to: $to}) {
    pageInfo { hasNextPage }
    edges { node { createdAt id eventType status userId sessionId resourceType resourceId action details ipAddress userAgent requestId } }
} }";

impl TestApp {
    /// Every audit entry so far, oldest first, read through `auditLog` by the admin.
    pub async fn audit_events(&self) -> Vec<AuditEvent> {
        let mut auditor = self.auditor.lock().await;
        self.clock.advance(Duration::seconds(1));
        let at = self.clock.now();
        let session = match auditor.session.take() {
            Some(mut session) => {
                self.travel(&mut session, at).await;
                session
            }
            None => self.admin().await,
        };
        auditor.instants.push(at);
        let response = self
            .graphql_as(&session.access_token, AUDIT_LOG, json!({ "to": at }))
            .await;
        auditor.session = Some(session);
        self.clock.advance(Duration::seconds(1));
        let log = &response.assert_ok()["auditLog"];
        assert_eq!(
            log["pageInfo"]["hasNextPage"], false,
            "more than 100 entries"
        );
        let mut events: Vec<AuditEvent> = log["edges"]
            .as_array()
            .expect("edges")
            .iter()
            .map(|edge| &edge["node"])
            .filter(|node| {
                let created: Option<DateTime<Utc>> =
                    node["createdAt"].as_str().and_then(|t| t.parse().ok());
                !created.is_some_and(|t| auditor.instants.contains(&t))
            })
            .map(AuditEvent::from_node)
            .collect();
        events.reverse();
        events
    }

    /// The audit entries of one `event_type`, oldest first.
    pub async fn audit_events_of(&self, event_type: &str) -> Vec<AuditEvent> {
        let mut events = self.audit_events().await;
        events.retain(|e| e.event_type == event_type);
        events
    }
}
