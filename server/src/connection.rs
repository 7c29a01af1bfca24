//! What bounds one connection's life besides the requests on it: a request head must arrive
//! within the header-read timeout once its first byte has (a new connection's clock starts
//! at accept), and a kept-alive connection with no request in flight is closed after the
//! idle timeout. hyper runs one timer for both (it arms the header timer as soon as it
//! waits for the next head), so the two are kept here: the socket is wrapped to see bytes
//! arrive, the service to see requests begin and end.
use std::{
    io,
    pin::Pin,
    sync::{Arc, Mutex},
    task::{Context, Poll},
    time::Duration,
};

use tokio::{
    io::{AsyncRead, AsyncWrite, ReadBuf},
    sync::Notify,
    time::Instant,
};

/// Why the watchdog ended a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expiry {
    /// A request head started but did not finish in time: cut the connection.
    Head,
    /// No request for the idle timeout: close it gracefully.
    Idle,
}

#[derive(Debug)]
struct State {
    in_flight: usize,
    /// When the bytes of a request head began to arrive (none in flight).
    head_since: Option<Instant>,
    /// When the connection last fell idle.
    idle_since: Instant,
}

/// Shared by a connection's socket, its service and its watchdog.
#[derive(Debug, Clone)]
pub struct Activity {
    state: Arc<Mutex<State>>,
    changed: Arc<Notify>,
}

impl Default for Activity {
    /// A new connection: its first head is due within the header-read timeout.
    fn default() -> Self {
        let now = Instant::now();
        Self {
            state: Arc::new(Mutex::new(State {
                in_flight: 0,
                head_since: Some(now),
                idle_since: now,
            })),
            changed: Arc::new(Notify::new()),
        }
    }
}

impl Activity {
    fn with<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut state)
    }

    fn bytes_arrived(&self) {
        let started = self.with(|s| {
            let starts = s.in_flight == 0 && s.head_since.is_none();
            if starts {
                s.head_since = Some(Instant::now());
            }
            starts
        });
        if started {
            self.changed.notify_one();
        }
    }

    /// A request's head has been read; it is in flight until the guard drops.
    pub fn request_started(&self) -> InFlight {
        self.with(|s| {
            s.in_flight += 1;
            s.head_since = None;
        });
        InFlight(self.clone())
    }

    /// Resolves when the connection has outlived a bound.
    pub async fn expired(&self, header_read: Duration, idle: Duration) -> Expiry {
        loop {
            let (deadline, expiry) = self.with(|s| match (s.in_flight, s.head_since) {
                (0, Some(since)) => (Some(since + header_read), Expiry::Head),
                (0, None) => (Some(s.idle_since + idle), Expiry::Idle),
                _ => (None, Expiry::Idle),
            });
            match deadline {
                Some(deadline) if deadline <= Instant::now() => return expiry,
                Some(deadline) => {
                    tokio::select! {
                        () = tokio::time::sleep_until(deadline) => {}
                        () = self.changed.notified() => {}
                    }
                }
                None => self.changed.notified().await,
            }
        }
    }
}

/// Held while a request is in flight.
pub struct InFlight(Activity);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.with(|s| {
            s.in_flight -= 1;
            if s.in_flight == 0 {
                s.idle_since = Instant::now();
            }
        });
        self.0.changed.notify_one();
    }
}

/// The socket, telling `Activity` when bytes arrive.
pub struct Watched<T> {
    inner: T,
    activity: Activity,
}

impl<T> Watched<T> {
    pub fn new(inner: T, activity: Activity) -> Self {
        Self { inner, activity }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Watched<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.bytes_arrived();
        }
        polled
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Watched<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}
