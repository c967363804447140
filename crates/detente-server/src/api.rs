//! The JSON API: every endpoint the web app uses, documented by [`ApiDoc`]
//! (`GET /api/openapi.json`).
//!
//! Results are the lenses' own report types (`DealPage`, `ForecastPage`, `NegotiationReport`,
//! `ScenarioSummary` from `detente_study`, versioned by its schema) and the pages
//! `detente_report::html` renders from them: the app shows what the CLI's `--json` and `--html`
//! show, never a second rendering of its own.

use crate::catalog::{Entry, BUILTIN};
use crate::error::{ApiError, ErrorBody, JsonBody, QueryOf, TextBody};
use crate::State;
use axum::extract::{Path, State as AxState};
use axum::http::{header, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use detente_core::{Patch, Reservation, Scenario, Variant};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio_stream::wrappers::ReceiverStream;
use utoipa::{IntoParams, OpenApi, ToSchema};

/// The routes under `/api`.
pub(crate) fn routes() -> Router<Arc<State>> {
    Router::new()
        .route("/health", get(health))
        .route("/openapi.json", get(openapi))
        .route("/scenarios", get(list).post(upload))
        .route("/scenarios/{name}", get(show))
        .route("/explore", post(explore))
        .route("/export", post(export))
        .route("/study", post(study))
        .route("/negotiations", post(negotiate))
        .route("/negotiations/{id}/events", get(events))
        .route("/negotiations/{id}/trace", get(trace))
        .route("/games", post(crate::games::create))
        .route("/games/{id}", get(crate::games::show))
        .route("/games/{id}/moves", post(crate::games::play))
        .route("/games/{id}/evaluate", post(crate::games::evaluate))
}

/// The OpenAPI document of the API.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "detente",
        description = "The lenses of detente over HTTP: scenarios, live analysis and forecasts under edited assumptions, whole studies, negotiations to watch, and games in which you play a party. Result objects are detente's report types (detente-study schema); errors are an ErrorBody with every problem found."
    ),
    paths(
        health,
        openapi,
        list,
        upload,
        show,
        explore,
        export,
        study,
        negotiate,
        events,
        trace,
        crate::games::create,
        crate::games::show,
        crate::games::play,
        crate::games::evaluate
    ),
    components(schemas(
        Health,
        Entry,
        ErrorBody,
        ScenarioView,
        VariantView,
        Target,
        Edit,
        Explored,
        Pages,
        Seats,
        Studied,
        NegotiateRequest,
        Negotiated,
        crate::games::GameRequest,
        crate::games::Move,
        crate::games::Draft,
        crate::games::Evaluated,
        crate::games::GameView
    ))
)]
pub struct ApiDoc;

/// `GET /api/health`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok`.
    pub status: &'static str,
    /// detente's version.
    pub version: &'static str,
}

#[utoipa::path(get, path = "/api/health", responses((status = 200, description = "The server answers", body = Health)))]
async fn health() -> Json<Health> {
    Json(Health { status: "ok", version: env!("CARGO_PKG_VERSION") })
}

#[utoipa::path(get, path = "/api/openapi.json", responses((status = 200, description = "This API's OpenAPI 3.1 document")))]
async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], ApiDoc::openapi().to_pretty_json().unwrap_or_default())
}

#[utoipa::path(get, path = "/api/scenarios", responses((status = 200, description = "The scenarios on offer, the one to show first at the top", body = [Entry])))]
async fn list(AxState(state): AxState<Arc<State>>) -> Json<Vec<Entry>> {
    let mut entries = state.catalog.list();
    let first = state.catalog.first();
    if let Some(k) = entries.iter().position(|e| e.name == first) {
        let e = entries.remove(k);
        entries.insert(0, e);
    }
    Json(entries)
}

/// `POST /api/scenarios?file=NAME`: the file's name (its extension gives the format).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// The uploaded file's name, `.toml` or `.json`.
    pub file: String,
}

/// An uploaded scenario's name.
#[derive(Debug, Serialize, ToSchema)]
pub struct Uploaded {
    /// Ask for it by this name.
    pub name: String,
}

#[utoipa::path(post, path = "/api/scenarios", params(UploadQuery), request_body(content = String, description = "The scenario file's text", content_type = "text/plain"),
    responses((status = 201, description = "Read and kept", body = Uploaded), (status = 422, description = "Not a valid scenario: every located problem", body = ErrorBody), (status = 413, description = "Larger than the server takes")))]
async fn upload(
    AxState(state): AxState<Arc<State>>,
    QueryOf(q): QueryOf<UploadQuery>,
    TextBody(body): TextBody,
) -> Result<impl IntoResponse, ApiError> {
    let name = state.catalog.upload(&q.file, &body)?;
    Ok((StatusCode::CREATED, Json(Uploaded { name })))
}

/// A scenario as the app shows and edits it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScenarioView {
    /// Its name.
    pub name: String,
    /// Issues, actors, positions, saliences, capabilities, reservations (detente-study's
    /// `ScenarioSummary`).
    #[schema(value_type = Object)]
    pub summary: detente_study::ScenarioSummary,
    /// Its named what-ifs.
    pub variants: Vec<VariantView>,
    /// Each actor's red lines in words (actors without any left out).
    pub red_lines: Vec<(String, Vec<String>)>,
}

/// A named what-if.
#[derive(Debug, Serialize, ToSchema)]
pub struct VariantView {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: Option<String>,
    /// What it changes, one sentence per change.
    pub changes: Vec<String>,
}

#[utoipa::path(get, path = "/api/scenarios/{name}", params(("name" = String, Path, description = "A name from GET /api/scenarios")),
    responses((status = 200, body = ScenarioView), (status = 404, body = ErrorBody), (status = 422, description = "The file does not read", body = ErrorBody)))]
async fn show(AxState(state): AxState<Arc<State>>, Path(name): Path<String>) -> Result<Json<ScenarioView>, ApiError> {
    let s = state.catalog.load(&name)?;
    Ok(Json(view(&name, &s)))
}

fn view(name: &str, s: &Scenario) -> ScenarioView {
    let variants = s
        .variants
        .iter()
        .map(|v| VariantView {
            id: v.id.clone(),
            title: v.title.clone(),
            changes: v.patches.iter().map(|p| detente_study::scenario::describe_patch(s, p)).collect(),
        })
        .collect();
    let red_lines = s
        .actors
        .iter()
        .filter(|a| !a.red_lines.is_empty())
        .map(|a| (a.id.clone(), a.red_lines.iter().map(|l| l.describe(&s.space)).collect()))
        .collect();
    ScenarioView { name: name.to_string(), summary: detente_study::scenario::summarise(s), variants, red_lines }
}

/// A scenario, optionally one of its variants, and edits on top: what every computation runs
/// on.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// A name from `GET /api/scenarios`.
    pub scenario: String,
    /// One of its variants, applied first.
    #[serde(default)]
    pub variant: Option<String>,
    /// Changes to the assumptions, applied in order after the variant.
    #[serde(default)]
    pub edits: Vec<Edit>,
}

/// One change to a scenario's assumptions (the same changes a variant in a scenario file
/// makes).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Edit {
    /// An actor's ideal point (0–100 on the issue's axis) and/or salience on an issue.
    Position {
        /// Actor id.
        actor: String,
        /// Issue id.
        issue: String,
        /// New ideal point on the 0–100 axis.
        #[serde(default)]
        ideal: Option<f64>,
        /// New salience.
        #[serde(default)]
        salience: Option<f64>,
    },
    /// An actor's capability (relative power, for the forecasts).
    Capability {
        /// Actor id.
        actor: String,
        /// New capability (≥ 0).
        capability: f64,
    },
    /// An actor's walk-away value (its utility without a deal); `null`: none stated.
    Reservation {
        /// Actor id.
        actor: String,
        /// New reservation value.
        reservation: Option<f64>,
    },
    /// Whether a deal needs the actor's acceptance.
    Required {
        /// Actor id.
        actor: String,
        /// Required?
        required: bool,
    },
    /// The actor gives up all its red lines.
    DropRedLines {
        /// Actor id.
        actor: String,
    },
}

impl Edit {
    fn patch(&self) -> Patch {
        match self.clone() {
            Edit::Position { actor, issue, ideal, salience } => Patch::Position { actor, issue, ideal, salience },
            Edit::Capability { actor, capability } => Patch::Capability { actor, capability },
            Edit::Reservation { actor, reservation } => {
                Patch::Reservation { actor, reservation: reservation.map_or(Reservation::None, Reservation::Value) }
            }
            Edit::Required { actor, required } => Patch::Required { actor, required },
            Edit::DropRedLines { actor } => Patch::RedLines { actor, red_lines: Vec::new() },
        }
    }
}

/// The id the edits get as a variant of their own.
const EDITED: &str = "edited";

/// The scenario `t` names, its variant applied, then its edits; with the sentences saying
/// what the edits change.
pub(crate) fn resolve(state: &State, t: &Target) -> Result<(Arc<Scenario>, Vec<String>), ApiError> {
    let base = state.catalog.load(&t.scenario)?;
    let s = match &t.variant {
        None => base,
        Some(v) => {
            if base.variant(v).is_err() {
                return Err(ApiError::NotFound(format!("{} has no variant `{v}`", t.scenario)));
            }
            Arc::new(base.with_variant(v).map_err(|e| ApiError::from_model(&format!("variant `{v}`"), &e))?)
        }
    };
    if t.edits.is_empty() {
        return Ok((s, Vec::new()));
    }
    let patches: Vec<Patch> = t.edits.iter().map(Edit::patch).collect();
    let changes = patches.iter().map(|p| detente_study::scenario::describe_patch(&s, p)).collect();
    let mut draft = (*s).clone().into_draft();
    draft.variants = vec![Variant { id: EDITED.into(), title: Some("edited in detente serve".into()), description: None, patches }];
    let with = draft.validate().map_err(|e| ApiError::from_model("the edits", &e))?;
    let edited = with.with_variant(EDITED).map_err(|e| ApiError::from_model("the edits", &e))?;
    Ok((Arc::new(edited), changes))
}

/// Runs `f` on the blocking pool once a place among the computations is free, answering 503
/// if that and the computation take longer than `limit`, and 500 if it panics.
pub(crate) async fn compute<T: Send + 'static>(
    state: &State,
    limit: Duration,
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let permits = state.permits.clone();
    let work = async move {
        let permit = permits.acquire_owned().await.map_err(|_| ApiError::Busy("the server is shutting down".into()))?;
        tokio::task::spawn_blocking(move || {
            let _held = permit;
            f()
        })
        .await
        .map_err(|e| {
            let what = if e.is_panic() {
                let p = e.into_panic();
                crate::error::panic_message(&*p).to_string()
            } else {
                "cancelled".into()
            };
            ApiError::Internal(format!("the computation failed ({what}); please report it"))
        })?
    };
    tokio::time::timeout(limit, work)
        .await
        .map_err(|_| ApiError::Busy(format!("the computation took longer than the {} s allowed", limit.as_secs())))?
}

/// The analysis and forecasts of a scenario under edits.
#[derive(Debug, Serialize, ToSchema)]
pub struct Explored {
    /// `base`, the variant's id, or `edited`.
    pub case: String,
    /// What the edits change, one sentence each.
    pub changes: Vec<String>,
    /// The scenario as analysed (detente-study `ScenarioSummary`).
    #[schema(value_type = Object)]
    pub scenario: detente_study::ScenarioSummary,
    /// The analyse lens: the zone, Nash and Kalai-Smorodinsky deals, the utility space
    /// (detente-study `DealPage`); absent when the scenario cannot be analysed.
    #[schema(value_type = Object)]
    pub deal: Option<detente_study::DealPage>,
    /// Why there is no analysis.
    pub deal_error: Option<String>,
    /// The forecast lens (detente-study `ForecastPage`).
    #[schema(value_type = Object)]
    pub forecast: detente_study::ForecastPage,
    /// The same as pages (`detente analyze --html`, `detente forecast --html`).
    pub html: Pages,
    /// Who can take a seat in Play, by protocol.
    pub seats: Seats,
    /// Server time spent, in milliseconds.
    pub elapsed_ms: f64,
}

/// The parties a person can play (actor ids): those seated at the joint table, and those in a
/// mediated negotiation (single text and shuttle: every party, the mediator aside).
#[derive(Debug, Serialize, ToSchema)]
pub struct Seats {
    /// At the joint table.
    pub joint_table: Vec<String>,
    /// In single text and shuttle.
    pub mediated: Vec<String>,
}

impl Seats {
    fn of(s: &Scenario) -> Seats {
        let ids = |p: detente_agents::Protocol| detente_agents::participants(s, p).into_iter().map(|a| s.actors[a].id.clone()).collect();
        Seats { joint_table: ids(detente_agents::Protocol::JointTable), mediated: ids(detente_agents::Protocol::Shuttle) }
    }
}

/// Rendered pages.
#[derive(Debug, Serialize, ToSchema)]
pub struct Pages {
    /// The analysis page (absent without an analysis).
    pub analysis: Option<String>,
    /// The forecast page.
    pub forecast: String,
}

#[utoipa::path(post, path = "/api/explore", request_body = Target,
    responses((status = 200, body = Explored), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, description = "The edits leave the scenario invalid", body = ErrorBody), (status = 503, body = ErrorBody)))]
async fn explore(AxState(state): AxState<Arc<State>>, JsonBody(t): JsonBody<Target>) -> Result<Json<Explored>, ApiError> {
    let start = Instant::now();
    let (s, changes) = resolve(&state, &t)?;
    let case = if t.edits.is_empty() { t.variant.clone().unwrap_or_else(|| "base".into()) } else { EDITED.into() };
    let source = t.scenario.clone();
    let limit = state.limits.compute_time;
    let explored = compute(&state, limit, move || {
        let (deal, deal_error) = match detente_study::deal::page(&s, &case) {
            Ok(p) => (Some(p), None),
            Err(e) => (None, Some(e.to_string())),
        };
        let forecast = detente_study::forecast::page(&s, &case);
        let html = Pages {
            analysis: deal.as_ref().map(|p| detente_report::html::analysis(p, &source)),
            forecast: detente_report::html::forecast(&forecast, &source),
        };
        let seats = Seats::of(&s);
        Ok(Explored {
            case,
            changes,
            scenario: detente_study::scenario::summarise(&s),
            deal,
            deal_error,
            forecast,
            html,
            seats,
            elapsed_ms: 0.0,
        })
    })
    .await?;
    Ok(Json(Explored { elapsed_ms: start.elapsed().as_secs_f64() * 1e3, ..explored }))
}

#[utoipa::path(post, path = "/api/export", request_body = Target,
    responses((status = 200, description = "The scenario with the variant and edits applied, as a detente TOML file", content_type = "application/toml", body = String), (status = 422, body = ErrorBody)))]
async fn export(AxState(state): AxState<Arc<State>>, JsonBody(t): JsonBody<Target>) -> Result<impl IntoResponse, ApiError> {
    let (s, _) = resolve(&state, &t)?;
    let text =
        detente_formats::native::to_toml_string(&s).map_err(|e| ApiError::Internal(format!("cannot write the scenario as TOML: {e}")))?;
    let file: String = s.meta.id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' }).collect();
    let disposition = format!("attachment; filename=\"{file}.toml\"");
    Ok(([(header::CONTENT_TYPE, "application/toml; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, disposition)], text))
}

/// A whole study.
#[derive(Debug, Serialize, ToSchema)]
pub struct Studied {
    /// The study as a page (`detente study --html`).
    pub html: String,
    /// Server time spent, in milliseconds.
    pub elapsed_ms: f64,
}

#[utoipa::path(post, path = "/api/study", request_body = Target,
    responses((status = 200, body = Studied), (status = 422, body = ErrorBody), (status = 503, description = "Longer than the server allows a study", body = ErrorBody)))]
async fn study(AxState(state): AxState<Arc<State>>, JsonBody(t): JsonBody<Target>) -> Result<Json<Studied>, ApiError> {
    let start = Instant::now();
    let (s, _) = resolve(&state, &t)?;
    let source = t.scenario.clone();
    let limit = state.limits.study_time;
    let html = compute(&state, limit, move || {
        let report = detente_study::study(&s, &detente_study::StudyConfig::default()).map_err(|e| ApiError::BadRequest(e.to_string()))?;
        Ok(detente_report::html::render(&report, &source))
    })
    .await?;
    Ok(Json(Studied { html, elapsed_ms: start.elapsed().as_secs_f64() * 1e3 }))
}

/// A negotiation to run.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NegotiateRequest {
    /// The scenario.
    pub target: Target,
    /// `sao` (joint table), `single_text`, `shuttle` (default: the scenario's).
    #[serde(default)]
    pub protocol: Option<String>,
    /// One negotiator spec per participating party, in order (default: each actor's
    /// strategy).
    #[serde(default)]
    pub negotiators: Option<Vec<String>>,
    /// Deadline in rounds (default: the scenario's).
    #[serde(default)]
    pub rounds: Option<u32>,
    /// Seed.
    #[serde(default)]
    pub seed: u64,
}

/// A negotiation run and kept for watching.
#[derive(Debug, Serialize, ToSchema)]
pub struct Negotiated {
    /// Its id: watch it at `/api/negotiations/{id}/events`, download its trace at
    /// `/api/negotiations/{id}/trace`.
    pub id: u64,
    /// Lines in its trace (a header, one per action, an end).
    pub lines: usize,
    /// The negotiation (detente-study `NegotiationReport`: the deal, utilities, quality,
    /// concession curves).
    #[schema(value_type = Object)]
    pub report: detente_study::NegotiationReport,
    /// The same as a page (`detente negotiate --html`).
    pub html: String,
}

/// A negotiation's trace lines and their size in bytes, by id.
type Kept = (u64, usize, Arc<Vec<String>>);

/// Negotiations kept for watching, up to a number of bytes of traces, the oldest dropped first.
#[derive(Debug)]
pub(crate) struct Negotiations {
    budget: usize,
    /// The last id given, the bytes kept, and the negotiations kept.
    kept: Mutex<(u64, usize, VecDeque<Kept>)>,
}

impl Negotiations {
    pub(crate) fn new(budget: usize) -> Negotiations {
        Negotiations { budget, kept: Mutex::new((0, 0, VecDeque::new())) }
    }

    fn add(&self, lines: Vec<String>) -> u64 {
        let size = lines.iter().map(|l| l.len() + 1).sum::<usize>();
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        kept.0 += 1;
        let id = kept.0;
        kept.1 += size;
        kept.2.push_back((id, size, Arc::new(lines)));
        // the newest is kept whatever its size
        while kept.1 > self.budget && kept.2.len() > 1 {
            if let Some((_, gone, _)) = kept.2.pop_front() {
                kept.1 -= gone;
            }
        }
        id
    }

    fn get(&self, id: u64) -> Result<Arc<Vec<String>>, ApiError> {
        let kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        kept.2.iter().find(|(k, ..)| *k == id).map(|(.., l)| l.clone()).ok_or_else(|| {
            ApiError::NotFound(format!("no negotiation {id} here (the server keeps the latest, up to {} MiB of traces)", self.budget >> 20))
        })
    }
}

#[utoipa::path(post, path = "/api/negotiations", request_body = NegotiateRequest,
    responses((status = 201, body = Negotiated), (status = 400, description = "A protocol, negotiator or deadline that cannot be", body = ErrorBody), (status = 422, body = ErrorBody), (status = 503, body = ErrorBody)))]
async fn negotiate(AxState(state): AxState<Arc<State>>, JsonBody(r): JsonBody<NegotiateRequest>) -> Result<impl IntoResponse, ApiError> {
    let (s, _) = resolve(&state, &r.target)?;
    let protocol = match &r.protocol {
        None => None,
        Some(p) => Some(
            detente_agents::Protocol::parse(p)
                .ok_or_else(|| ApiError::BadRequest(format!("unknown protocol `{p}`; known: {}", detente_agents::Protocol::names())))?,
        ),
    };
    check_rounds(r.rounds, &s)?;
    let spec = detente_agents::SimulationSpec {
        protocol,
        negotiators: r.negotiators.clone(),
        rounds: r.rounds,
        seed: r.seed,
        trace: true,
        ..Default::default()
    };
    let source = if r.target.scenario == BUILTIN { detente_formats::reference::NAME.to_string() } else { r.target.scenario.clone() };
    let limit = state.limits.compute_time;
    let key = format!("{:?}", r.target);
    let st = state.clone();
    let (report, html, lines) = compute(&state, limit, move || {
        let p = st.prepared.get_or_build(&key, &s)?;
        let sim =
            detente_agents::simulate_with_clock(&p.scenario, &p.prepared, &spec, None).map_err(|e| ApiError::BadRequest(e.to_string()))?;
        let report = detente_study::negotiation::report_measured(
            &p.scenario,
            &p.prepared,
            &sim,
            spec.seed,
            p.measure.as_ref().map_err(String::as_str),
        );
        let html = detente_report::html::negotiation(&report, &p.summary, &source);
        let lines: Vec<String> = sim.trace.as_deref().unwrap_or_default().lines().map(str::to_string).collect();
        Ok((report, html, lines))
    })
    .await?;
    let n = lines.len();
    let id = state.negotiations.add(lines);
    Ok((StatusCode::CREATED, Json(Negotiated { id, lines: n, report, html })))
}

/// The deadline a negotiation would run to (the one asked for, else the scenario's), refused
/// beyond [`detente_core::limits::MAX_ROUNDS`]: one rule for every negotiation the server runs,
/// an uploaded scenario's own deadline included.
pub(crate) fn check_rounds(asked: Option<u32>, s: &Scenario) -> Result<(), ApiError> {
    let max = detente_core::limits::MAX_ROUNDS;
    match (asked, s.protocol.rounds) {
        (Some(n), _) if n == 0 || n > max => Err(ApiError::BadRequest(format!("rounds: {n}; expected 1 to {max}"))),
        (None, Some(n)) if n > max => Err(ApiError::BadRequest(format!(
            "the scenario's deadline is {n} rounds, more than the {max} a negotiation may last; ask for fewer rounds"
        ))),
        _ => Ok(()),
    }
}

fn negotiation_id(id: &str) -> Result<u64, ApiError> {
    id.parse().map_err(|_| ApiError::BadRequest(format!("`{id}` is not a negotiation id (a number from POST /api/negotiations)")))
}

/// A scenario prepared for negotiating (its utility tables and the analysis its negotiations
/// are measured against), kept for the next negotiations on it: preparing the reference
/// scenario's 163,296 outcomes costs far more than negotiating on them.
pub(crate) struct Prepared {
    pub(crate) scenario: Arc<Scenario>,
    pub(crate) prepared: Arc<detente_protocol::PreparedScenario>,
    pub(crate) measure: Result<detente_study::simulation::Measure, String>,
    pub(crate) summary: detente_study::ScenarioSummary,
}

impl std::fmt::Debug for Prepared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Prepared").field("scenario", &self.scenario.meta.id).finish_non_exhaustive()
    }
}

/// The last few prepared scenarios, by request (scenario, variant, edits); an entry is used
/// only while the scenario it was built from is still the one asked for (a served file may
/// change on disk).
#[derive(Debug)]
pub(crate) struct PreparedCache {
    keep: usize,
    kept: Mutex<VecDeque<(String, Arc<Prepared>)>>,
}

impl PreparedCache {
    pub(crate) fn new(keep: usize) -> PreparedCache {
        PreparedCache { keep: keep.max(1), kept: Mutex::new(VecDeque::new()) }
    }

    pub(crate) fn get_or_build(&self, key: &str, s: &Arc<Scenario>) -> Result<Arc<Prepared>, ApiError> {
        {
            let kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((_, p)) = kept.iter().find(|(k, p)| k == key && *p.scenario == **s) {
                return Ok(p.clone());
            }
        }
        let prepared = detente_protocol::PreparedScenario::new(s)
            .map(Arc::new)
            .map_err(|e| ApiError::BadRequest(format!("cannot negotiate on {}: {e}", s.meta.id)))?;
        let measure = detente_study::negotiation::measure(s).map_err(|e| e.to_string());
        let p = Arc::new(Prepared { scenario: s.clone(), prepared, measure, summary: detente_study::scenario::summarise(s) });
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        kept.retain(|(k, _)| k != key);
        kept.push_back((key.to_string(), p.clone()));
        while kept.len() > self.keep {
            kept.pop_front();
        }
        Ok(p)
    }
}

/// How fast to replay.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Pace {
    /// Milliseconds between two actions (0 to 2000; default 0: as fast as the client reads).
    #[serde(default)]
    pub pace_ms: u64,
}

#[utoipa::path(get, path = "/api/negotiations/{id}/events", params(("id" = u64, Path, description = "From POST /api/negotiations"), Pace),
    responses((status = 200, description = "Server-sent events, one per trace line: `header`, then `action`s, then `end`; then `done`", content_type = "text/event-stream"), (status = 404, body = ErrorBody)))]
async fn events(
    AxState(state): AxState<Arc<State>>,
    Path(id): Path<String>,
    QueryOf(p): QueryOf<Pace>,
) -> Result<impl IntoResponse, ApiError> {
    if p.pace_ms > 2000 {
        return Err(ApiError::BadRequest(format!("pace_ms: {}; expected 0 to 2000", p.pace_ms)));
    }
    let lines = state.negotiations.get(negotiation_id(&id)?)?;
    let pace = Duration::from_millis(p.pace_ms);
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Event, Infallible>>(16);
    tokio::spawn(async move {
        let last = lines.len().saturating_sub(1);
        for (k, line) in lines.iter().enumerate() {
            let kind = match k {
                0 => "header",
                k if k == last => "end",
                _ => "action",
            };
            if tx.send(Ok(Event::default().event(kind).data(line.as_str()))).await.is_err() {
                return; // the client left
            }
            if kind == "action" && !pace.is_zero() {
                tokio::time::sleep(pace).await;
            }
        }
        let _ = tx.send(Ok(Event::default().event("done").data("{}"))).await;
    });
    Ok(Sse::new(ReceiverStream::new(rx)).keep_alive(KeepAlive::default()))
}

#[utoipa::path(get, path = "/api/negotiations/{id}/trace", params(("id" = u64, Path, description = "From POST /api/negotiations")),
    responses((status = 200, description = "The JSONL trace (detente/2)", content_type = "application/x-ndjson", body = String), (status = 404, body = ErrorBody)))]
async fn trace(AxState(state): AxState<Arc<State>>, Path(id): Path<String>) -> Result<impl IntoResponse, ApiError> {
    let id = negotiation_id(&id)?;
    let lines = state.negotiations.get(id)?;
    let mut text = lines.join("\n");
    text.push('\n');
    let disposition = format!("attachment; filename=\"negotiation-{id}.jsonl\"");
    Ok(([(header::CONTENT_TYPE, "application/x-ndjson".to_string()), (header::CONTENT_DISPOSITION, disposition)], text))
}
