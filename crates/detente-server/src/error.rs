//! The API's one error type: every failure becomes a status and a JSON body with a message
//! (and, for a scenario that does not read, every located problem in it).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use detente_formats::FormatError;
use serde::Serialize;
use utoipa::ToSchema;

/// A problem in a scenario, where the format can place it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Problem {
    /// What is wrong, and what was expected.
    pub message: String,
    /// The file (or upload) it is in.
    pub file: Option<String>,
    /// Line, 1-based (absent when the format gives no position).
    pub line: Option<usize>,
    /// Column, 1-based.
    pub column: Option<usize>,
}

/// The body of every error answer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong, in one sentence.
    pub error: String,
    /// Each problem found, for a scenario that does not read or an edit that does not apply
    /// (all of them, not the first).
    pub problems: Vec<Problem>,
}

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request is malformed or asks for something that cannot be (400).
    #[error("{0}")]
    BadRequest(String),
    /// No such scenario, variant or negotiation (404).
    #[error("{0}")]
    NotFound(String),
    /// The scenario (or the scenario with the edits) is not valid (422).
    #[error("{message}")]
    Invalid {
        /// In one sentence.
        message: String,
        /// Each problem.
        problems: Vec<Problem>,
    },
    /// The request body is larger than the server takes (413).
    #[error("{0}")]
    TooLarge(String),
    /// The computation took longer than the server allows, or too many run (503).
    #[error("{0}")]
    Busy(String),
    /// A defect: the computation panicked (500).
    #[error("{0}")]
    Internal(String),
}

impl ApiError {
    /// A scenario file that does not read, with every located problem.
    pub fn from_format(file: &str, e: &FormatError) -> ApiError {
        let problems: Vec<Problem> = e
            .errors()
            .iter()
            .map(|p| {
                let at = p.location();
                Problem {
                    message: p.to_string(),
                    file: Some(at.map_or_else(|| file.to_string(), |l| l.file.clone())),
                    line: at.map(|l| l.line).filter(|&n| n > 0),
                    column: at.map(|l| l.column).filter(|&n| n > 0),
                }
            })
            .collect();
        let n = problems.len();
        ApiError::Invalid { message: format!("{file} is not a valid scenario ({n} problem{})", if n == 1 { "" } else { "s" }), problems }
    }

    /// Edits (or a variant) that leave the scenario invalid.
    pub fn from_model(what: &str, errors: &detente_core::ModelErrors) -> ApiError {
        let problems: Vec<Problem> =
            errors.iter().map(|e| Problem { message: e.to_string(), file: None, line: None, column: None }).collect();
        ApiError::Invalid { message: format!("{what} do not give a valid scenario"), problems }
    }

    fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Busy(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let problems = match &self {
            ApiError::Invalid { problems, .. } => problems.clone(),
            _ => Vec::new(),
        };
        (status, Json(ErrorBody { error: self.to_string(), problems })).into_response()
    }
}

/// The answer when a handler panics: a 500 with a message, the connection kept.
pub(crate) fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let what = panic_message(&*panic);
    ApiError::Internal(format!("the server failed on this request ({what}); please report it")).into_response()
}

/// A request's JSON body, its rejections (bad JSON, wrong shape, too large) answered as an
/// [`ApiError`] with the body's problem in words, like every other error.
pub(crate) struct JsonBody<T>(pub(crate) T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> axum::extract::FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, ApiError> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(JsonBody(v)),
            Err(e) => Err(rejected(e.status(), e.body_text())),
        }
    }
}

/// A request's text body (an upload), with the same treatment.
pub(crate) struct TextBody(pub(crate) String);

impl<S: Send + Sync> axum::extract::FromRequest<S> for TextBody {
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, ApiError> {
        match String::from_request(req, state).await {
            Ok(v) => Ok(TextBody(v)),
            Err(e) => Err(rejected(e.status(), e.body_text())),
        }
    }
}

/// A query string, with the same treatment.
pub(crate) struct QueryOf<T>(pub(crate) T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> axum::extract::FromRequestParts<S> for QueryOf<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Self, ApiError> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(QueryOf(v)),
            Err(e) => Err(rejected(e.status(), e.body_text())),
        }
    }
}

fn rejected(status: StatusCode, text: String) -> ApiError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::TooLarge(format!("{text} (the server takes requests up to its body limit)"))
    } else {
        ApiError::BadRequest(text)
    }
}

/// What a panic said (its message when it is text), for the 500 it becomes.
pub(crate) fn panic_message(panic: &(dyn std::any::Any + Send)) -> &str {
    panic.downcast_ref::<String>().map(String::as_str).or_else(|| panic.downcast_ref::<&str>().copied()).unwrap_or("a defect")
}
