//! `detente serve`: the lenses over a local HTTP API, and the web app that uses it.
//!
//! The server is a printer like the CLI: every answer is a lens's own report type
//! (`detente_study`'s pages, `NegotiationReport`) as JSON, or the page `detente_report::html`
//! renders from it; nothing here computes a result of its own. The web app (`assets/`, embedded
//! in the binary) calls only the API that [`api::ApiDoc`] documents (`/api/openapi.json`).
//!
//! Safe by default: bound to loopback unless told otherwise (the CLI warns), a request body
//! limit ([`Limits::body_bytes`]), a time limit per computation and a bound on the computations
//! running at once ([`Limits`]), scenario files only by their name in the served folder (never a
//! path from a request), typed errors as 4xx/5xx with a message (a handler that panics answers
//! 500; the server goes on), and security headers with a content security policy that allows no
//! inline script.

pub mod api;
mod catalog;
mod error;
pub mod games;
mod ui;

pub use catalog::{Catalog, CatalogError, Entry, Origin, BUILTIN};
pub use error::{ApiError, ErrorBody, Problem};

use axum::http::{header, HeaderValue};
use axum::Router;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::set_header::SetResponseHeaderLayer;

/// What the server allows a request.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest request body, uploads included (bytes).
    pub body_bytes: usize,
    /// Longest a computation may take before the request is answered 503 (the computation
    /// itself runs to its end: CPU work cannot be interrupted, so it keeps its place in
    /// [`Limits::computations`] until then).
    pub compute_time: Duration,
    /// Longest a whole study may take (it runs every lens and its robustness checks).
    pub study_time: Duration,
    /// Computations running at once; more wait for a place, up to `compute_time`.
    pub computations: usize,
    /// Uploaded scenarios kept (the oldest is dropped first).
    pub uploads: usize,
    /// Games kept (the oldest is dropped first); each is its request and its moves.
    pub games: usize,
    /// Bytes of negotiation traces kept for watching and download (the oldest negotiation is
    /// dropped first).
    pub negotiation_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            body_bytes: 512 * 1024,
            compute_time: Duration::from_secs(10),
            study_time: Duration::from_secs(120),
            computations: std::thread::available_parallelism().map_or(2, |n| n.get()) * 2,
            uploads: 64,
            negotiation_bytes: 64 * 1024 * 1024,
            games: 4096,
        }
    }
}

/// The server's shared state: the scenarios it serves and the bounds of its work.
#[derive(Debug)]
pub struct State {
    pub(crate) catalog: Catalog,
    pub(crate) limits: Limits,
    pub(crate) permits: Arc<Semaphore>,
    pub(crate) negotiations: api::Negotiations,
    pub(crate) prepared: api::PreparedCache,
    pub(crate) games: games::Games,
}

impl State {
    /// State over `catalog` with `limits`.
    pub fn new(catalog: Catalog, limits: Limits) -> Arc<State> {
        let permits = Arc::new(Semaphore::new(limits.computations.max(1)));
        let negotiations = api::Negotiations::new(limits.negotiation_bytes);
        let games = limits.games;
        Arc::new(State { catalog, limits, permits, negotiations, prepared: api::PreparedCache::new(8), games: games::Games::new(games) })
    }
}

/// The content security policy of every answer: scripts and styles from the server only (the
/// report pages' inline `<style>` and SVG attributes need `'unsafe-inline'` for styles; no
/// inline script is allowed), no framing by other sites, no plugin, no base rewriting.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; connect-src 'self'; frame-src 'self'; frame-ancestors 'self'; object-src 'none'; base-uri 'none'; form-action 'self'";

/// The application: the API under `/api`, the web app at `/`.
pub fn router(state: Arc<State>) -> Router {
    let body = state.limits.body_bytes;
    Router::new()
        .merge(ui::routes())
        .nest("/api", api::routes())
        .with_state(state)
        .layer(axum::extract::DefaultBodyLimit::max(body))
        .layer(CatchPanicLayer::custom(error::panic_response))
        .layer(SetResponseHeaderLayer::overriding(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY)))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .layer(SetResponseHeaderLayer::overriding(header::X_FRAME_OPTIONS, HeaderValue::from_static("SAMEORIGIN")))
}

/// Serves `router` on `listener` until `shutdown` completes.
pub async fn serve(listener: TcpListener, router: Router, shutdown: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
    axum::serve(listener, router).with_graceful_shutdown(shutdown).await
}
