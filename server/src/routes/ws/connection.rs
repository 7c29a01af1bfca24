//! One socket's life, whichever protocol it speaks: it waits for `connection_init` (until a
//! deadline), then runs the client's operations side by side until the client leaves,
//! breaks the protocol, or the server closes it from outside. The protocol modules decide
//! what each message means; this one owns the socket, the operations and the timers.
//!
//! Operations are streams polled by this one task (no task per operation): completing one
//! drops its stream, which cancels it, and ending the connection drops them all.
use std::{future::Future, sync::Arc, time::Duration};

use async_graphql::{Data, Executor, Request, Response};
use axum::extract::ws::{CloseFrame, Message, WebSocket};
use futures_util::{
    FutureExt, StreamExt,
    future::{self, BoxFuture},
    stream::{self, BoxStream},
};
use schema::domain::{AppError, AppResult};
use serde::Serialize;
use tokio::time::{Instant, MissedTickBehavior};
use tokio_stream::StreamMap;

use super::{Protocol, messages::close};
use crate::routes::graphql::persisted::Documents;

/// Timers of a socket.
#[derive(Debug, Clone, Copy)]
pub struct WsConfig {
    /// How long a socket may stay open without `connection_init` (then 4408).
    pub init_timeout: Duration,
    /// How often the server shows it is alive: a WebSocket ping on graphql-transport-ws,
    /// a `ka` message on legacy graphql-ws.
    pub keep_alive: Duration,
    /// Operations one socket may run at once; the next `subscribe` gets an error.
    pub max_operations: usize,
}

impl Default for WsConfig {
    fn default() -> Self {
        Self {
            init_timeout: Duration::from_secs(10),
            keep_alive: Duration::from_secs(15),
            max_operations: 50,
        }
    }
}

/// What an accepted `connection_init` yields.
pub struct Accepted {
    /// What every operation on the socket sees (its `RequestContext`, its loaders).
    data: Data,
    /// Resolves when the server must end the connection, e.g. its session was revoked.
    closed_from_outside: BoxFuture<'static, ()>,
}

impl Accepted {
    /// A connection only the client or a protocol error ends.
    pub fn new(data: Data) -> Self {
        Self {
            data,
            closed_from_outside: future::pending().boxed(),
        }
    }

    /// Closes the socket with 4403 Forbidden as soon as `signal` resolves.
    pub fn until(self, signal: impl Future<Output = ()> + Send + 'static) -> Self {
        Self {
            closed_from_outside: signal.boxed(),
            ..self
        }
    }
}

/// How a connection ends.
#[derive(Debug)]
pub(super) enum End {
    /// The server closes the socket with this code and reason.
    Close { code: u16, reason: String },
    /// The client closed the socket, or it broke.
    Gone,
}

impl End {
    pub(super) fn close(code: u16, reason: impl Into<String>) -> Self {
        Self::Close {
            code,
            reason: reason.into(),
        }
    }
}

/// Carry on, or end the connection.
pub(super) type Flow = Result<(), End>;

/// The answer to a `connection_init`.
pub(super) enum Init {
    Accepted,
    Refused(AppError),
    /// A second `connection_init`.
    Repeated,
}

/// What an operation's stream yields.
pub(super) enum Event {
    Result(Box<Response>),
    Done,
}

type InitHook =
    Box<dyn FnOnce(serde_json::Value) -> BoxFuture<'static, AppResult<Accepted>> + Send>;

pub(super) struct Connection<E> {
    socket: WebSocket,
    executor: E,
    /// Present until the first `connection_init`.
    init: Option<InitHook>,
    /// Present once the connection is acknowledged.
    session: Option<Arc<Data>>,
    closed_from_outside: BoxFuture<'static, ()>,
    /// Resolves when the server shuts down (then 1001 Going Away).
    going_away: BoxFuture<'static, ()>,
    operations: StreamMap<String, BoxStream<'static, Event>>,
    max_operations: usize,
}

/// Speaks `protocol` on `socket` until the connection ends. `init` judges the
/// `connection_init` payload: `Ok` acknowledges the connection; `Err` refuses it (4403, or
/// 1013 for an internal error).
pub async fn serve<E, I, F>(
    socket: WebSocket,
    executor: E,
    protocol: Protocol,
    config: WsConfig,
    init: I,
) where
    E: Executor,
    I: FnOnce(serde_json::Value) -> F + Send + 'static,
    F: Future<Output = AppResult<Accepted>> + Send + 'static,
{
    serve_until(socket, executor, protocol, config, init, future::pending()).await;
}

/// The same, closing the socket with 1001 Going Away once `going_away` resolves.
pub async fn serve_until<E, I, F>(
    socket: WebSocket,
    executor: E,
    protocol: Protocol,
    config: WsConfig,
    init: I,
    going_away: impl Future<Output = ()> + Send + 'static,
) where
    E: Executor,
    I: FnOnce(serde_json::Value) -> F + Send + 'static,
    F: Future<Output = AppResult<Accepted>> + Send + 'static,
{
    let mut connection = Connection {
        socket,
        executor,
        init: Some(Box::new(move |payload| init(payload).boxed())),
        session: None,
        closed_from_outside: future::pending().boxed(),
        going_away: going_away.boxed(),
        operations: StreamMap::new(),
        max_operations: config.max_operations,
    };
    let end = connection.run(protocol, config).await;
    tracing::debug!(
        protocol = protocol.name(),
        ?end,
        "WebSocket connection ended"
    );
    connection.finish(end).await;
}

/// How long a closing socket waits for the client to answer the close frame.
const CLOSE_GRACE: Duration = Duration::from_secs(1);

/// A close frame's reason is at most 123 bytes.
const MAX_CLOSE_REASON: usize = 123;

impl<E: Executor> Connection<E> {
    async fn run(&mut self, protocol: Protocol, config: WsConfig) -> End {
        let init_deadline = tokio::time::sleep(config.init_timeout);
        tokio::pin!(init_deadline);
        let mut keep_alive =
            tokio::time::interval_at(Instant::now() + config.keep_alive, config.keep_alive);
        keep_alive.set_missed_tick_behavior(MissedTickBehavior::Delay);
        loop {
            // Biased: the client's messages come before results, so a `complete` already
            // received stops its operation before another result goes out.
            let flow = tokio::select! {
                biased;
                () = &mut self.going_away => Err(End::close(close::GOING_AWAY, "Server shutting down")),
                () = &mut self.closed_from_outside => Err(End::close(close::FORBIDDEN, "Forbidden")),
                () = &mut init_deadline, if self.init.is_some() => {
                    Err(protocol.on_init_timeout(self).await)
                }
                frame = self.socket.recv() => match frame {
                    Some(Ok(Message::Text(text))) => protocol.on_message(self, text.as_bytes()).await,
                    Some(Ok(Message::Binary(bytes))) => protocol.on_message(self, &bytes).await,
                    Some(Ok(Message::Ping(_) | Message::Pong(_))) => Ok(()),
                    Some(Ok(Message::Close(_)) | Err(_)) | None => Err(End::Gone),
                },
                Some((id, event)) = self.operations.next() => protocol.on_event(self, id, event).await,
                _ = keep_alive.tick() => protocol.keep_alive(self).await,
            };
            if let Err(end) = flow {
                return end;
            }
        }
    }

    /// Cancels every operation, then closes the socket if the server ends the connection.
    async fn finish(mut self, end: End) {
        self.operations = StreamMap::new();
        let End::Close { code, mut reason } = end else {
            return;
        };
        if reason.len() > MAX_CLOSE_REASON {
            let mut cut = MAX_CLOSE_REASON;
            while !reason.is_char_boundary(cut) {
                cut -= 1;
            }
            reason.truncate(cut);
        }
        let frame = CloseFrame {
            code,
            reason: reason.into(),
        };
        if self.socket.send(Message::Close(Some(frame))).await.is_ok() {
            let answered = async { while let Some(Ok(_)) = self.socket.recv().await {} };
            tokio::time::timeout(CLOSE_GRACE, answered).await.ok();
        }
    }

    /// Judges the first `connection_init`; a later one is `Repeated`.
    pub(super) async fn initialise(&mut self, payload: serde_json::Value) -> Init {
        let Some(init) = self.init.take() else {
            return Init::Repeated;
        };
        match init(payload).await {
            Ok(accepted) => {
                self.session = Some(Arc::new(accepted.data));
                self.closed_from_outside = accepted.closed_from_outside;
                Init::Accepted
            }
            Err(err) => Init::Refused(err),
        }
    }

    /// The connection's data, once acknowledged: what `start` needs.
    pub(super) fn session(&self) -> Option<Arc<Data>> {
        self.session.clone()
    }

    pub(super) fn is_initialised(&self) -> bool {
        self.session.is_some()
    }

    /// Whether starting `id` would pass the socket's bound on operations (an id that is
    /// running replaces itself, so it never does).
    pub(super) fn is_full(&self, id: &str) -> bool {
        !self.is_running(id) && self.operations.len() >= self.max_operations
    }

    /// Why `is_full` refused: the message an error for that operation carries.
    pub(super) fn full_message(&self) -> String {
        format!(
            "at most {} operations may run on one socket; complete one first",
            self.max_operations
        )
    }

    pub(super) fn is_running(&self, id: &str) -> bool {
        self.operations.contains_key(id)
    }

    /// Starts operation `id`, replacing (so cancelling) one of the same id.
    pub(super) fn start(&mut self, id: String, mut request: Request, session: Arc<Data>) {
        // Trusted documents (and a persisted query's text) as over HTTP; a refusal is an
        // `error` for this id, as any refusal before execution.
        let documents = session
            .get(&std::any::TypeId::of::<Arc<Documents>>())
            .and_then(|d| d.downcast_ref::<Arc<Documents>>());
        if let Some(documents) = documents
            && let Err(error) = documents.resolve(&mut request)
        {
            let refusal = Event::Result(Box::new(Response::from_errors(vec![error])));
            let results = stream::iter([refusal, Event::Done]);
            self.operations.insert(id, results.boxed());
            return;
        }
        let request = schema::graphql::prepare_on_connection(request, &session);
        let results = self
            .executor
            .execute_stream(request, Some(session))
            .map(|response| Event::Result(Box::new(response)))
            .chain(stream::once(future::ready(Event::Done)));
        self.operations.insert(id, results.boxed());
    }

    /// Stops operation `id`; false if none was running.
    pub(super) fn stop(&mut self, id: &str) -> bool {
        self.operations.remove(id).is_some()
    }

    pub(super) async fn send(&mut self, message: &impl Serialize) -> Flow {
        let text = serde_json::to_string(message).map_err(|err| {
            tracing::error!(error = %err, "a WebSocket message failed to serialise");
            End::close(close::TRY_AGAIN_LATER, "Internal error")
        })?;
        self.send_frame(Message::Text(text.into())).await
    }

    pub(super) async fn send_frame(&mut self, frame: Message) -> Flow {
        self.socket.send(frame).await.map_err(|_| End::Gone)
    }
}

/// The close code and reason for a refused `connection_init`. Internal causes are logged,
/// never sent.
pub(super) fn refusal(err: &AppError) -> (u16, String) {
    match err {
        AppError::Internal(cause) => {
            tracing::error!(error = %cause, cause = ?cause, "connection_init failed");
            (close::TRY_AGAIN_LATER, "Internal error".into())
        }
        refused => (close::FORBIDDEN, format!("Forbidden: {refused}")),
    }
}
