//! What every API test uses: the app in process and a request helper.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use detente_server::{router, Catalog, Limits, State};
use serde_json::Value;
use tower::ServiceExt;

pub(crate) fn app_with(served: Option<&std::path::Path>, limits: Limits) -> Router {
    router(State::new(Catalog::new(served, limits.uploads).unwrap(), limits))
}

pub(crate) fn app() -> Router {
    app_with(None, Limits::default())
}

/// Sends a request; the status, the headers and the body (as JSON when it is JSON, else a
/// string).
pub(crate) async fn send(app: &Router, method: &str, uri: &str, body: Option<Value>) -> (StatusCode, axum::http::HeaderMap, Value) {
    let mut req = Request::builder().method(method).uri(uri);
    let body = match body {
        Some(v) => {
            req = req.header(header::CONTENT_TYPE, "application/json");
            Body::from(v.to_string())
        }
        None => Body::empty(),
    };
    raw(app, req.body(body).unwrap()).await
}

pub(crate) async fn raw(app: &Router, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Value) {
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX).await.unwrap();
    let text = String::from_utf8_lossy(&bytes).to_string();
    let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (status, headers, value)
}
