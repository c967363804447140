//! Play: a person takes one party's seat against negotiators, under any protocol: at the joint
//! table they offer, accept or walk away; in single text they vote on the mediator's candidates
//! and final text; in shuttle they answer the mediator's visits.
//!
//! A game is its request and the person's moves so far; every answer replays it from the start
//! (`detente_agents::simulate_with_moves`: the agents are seeded, so the same moves give the same
//! game), which keeps nothing but data on the server and makes a move that breaks a rule easy to
//! refuse without touching the game. Several people play at once, each in their own game.

use crate::api::{compute, resolve, Target};
use crate::error::{ApiError, ErrorBody, JsonBody};
use crate::State;
use axum::extract::{Path, State as AxState};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use detente_agents::{Asked, Replayed, SimulationSpec};
use detente_core::Scenario;
use detente_protocol::{Action, OutcomeId, PreparedScenario};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use utoipa::ToSchema;

/// A game to start.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GameRequest {
    /// The scenario.
    pub target: Target,
    /// The party you play (an actor id that takes part under the protocol).
    pub seat: String,
    /// The protocol: `sao` (the joint table, the default), `single_text`, `single_text_veto`,
    /// `single_text_steepest` or `shuttle` (detente's mediation rules, the scenario's mediator
    /// rule).
    #[serde(default)]
    pub protocol: Option<String>,
    /// The negotiator of every other party (default: each actor's own strategy).
    #[serde(default)]
    pub opponents: Option<String>,
    /// Deadline in rounds (default: the scenario's).
    #[serde(default)]
    pub rounds: Option<u32>,
    /// Seed of the negotiators.
    #[serde(default)]
    pub seed: u64,
}

/// Your move.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Move {
    /// Put an offer on the table (joint table), or a counter-proposal to the text the mediator
    /// shows you (shuttle): one option per issue, by its place in the issue's options
    /// (`GameView::issues`).
    Offer {
        /// One option index per issue, in the scenario's issue order.
        options: Vec<u32>,
    },
    /// Accept the offer on the table (joint table), vote yes (single text, and a final text in
    /// shuttle), or accept the text shown (shuttle).
    Accept,
    /// Vote no (single text, and a final text in shuttle), or reject the text shown without a
    /// counter-proposal (shuttle).
    Reject,
    /// Walk away: the negotiation ends without a deal (joint table and shuttle).
    WalkAway,
}

/// A draft offer to evaluate.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Draft {
    /// One option index per issue.
    pub options: Vec<u32>,
}

/// What a draft gives you, and what each single change to it would.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Evaluated {
    /// Your utility of the draft.
    pub utility: f64,
    /// Whether you may offer it (it crosses none of your red lines).
    pub acceptable: bool,
    /// For each issue, your utility of the draft with that issue set to each of its options.
    pub options: Vec<Vec<f64>>,
}

/// One issue, as you build an offer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IssueChoice {
    /// Issue id.
    pub issue: String,
    /// Its name.
    pub name: String,
    /// Its options' labels, in order.
    pub options: Vec<String>,
}

/// One action of the game.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Played {
    /// Round, 1-based.
    pub round: u32,
    /// Who (actor id).
    pub actor: String,
    /// `offer`, `accept`, `end` (walked away) or `reject`.
    pub action: &'static str,
    /// The offer's options (an offer only).
    pub values: Option<Vec<String>>,
    /// Your utility of it (an offer only).
    pub your_utility: Option<f64>,
}

/// An outcome before you: an offer on the table, the mediator's candidate or text.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Standing {
    /// Who made it (the mediator's texts: the mediator).
    pub by: String,
    /// Its options, one label per issue.
    pub values: Vec<String>,
    /// Its option indices, one per issue.
    pub options: Vec<u32>,
    /// Your utility of it.
    pub your_utility: f64,
    /// Whether you may accept it (it crosses none of your red lines).
    pub acceptable: bool,
}

/// How a game ended, against what could have been.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GameResult {
    /// The negotiation (detente-study `NegotiationReport`): the deal, each party's utility,
    /// the distances to the Pareto frontier, Nash and Kalai-Smorodinsky points.
    #[schema(value_type = Object)]
    pub report: detente_study::NegotiationReport,
    /// The same as a page.
    pub html: String,
    /// What the agent that would have sat in your seat (your actor's own strategy) got against
    /// the same negotiators, seed and deadline: the same negotiation without you.
    #[schema(value_type = Object)]
    pub agent: detente_study::NegotiationReport,
}

/// A game, as you see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GameView {
    /// The game's id.
    pub id: u64,
    /// You (actor id).
    pub you: String,
    /// The protocol (`sao`, `single_text`, …).
    pub protocol: String,
    /// In single text and shuttle, who mediates.
    pub mediator: Option<String>,
    /// The parties (at the joint table in speaking order), each with its negotiator (yours:
    /// `you`).
    pub parties: Vec<(String, String)>,
    /// The round, 1-based.
    pub round: u32,
    /// The deadline in rounds.
    pub deadline: u32,
    /// `waiting` for your move, or how it ended (`agreed`, `timed_out`, `broken`, `errored`).
    pub status: String,
    /// Your walk-away value.
    pub reservation: f64,
    /// What you are asked while the game waits for you: `offer` (the joint table: offer,
    /// accept the offer on the table, or walk away), `candidate` (single text: vote on the
    /// mediator's candidate in place of the text), `final` (vote on the text as final) or
    /// `visit` (shuttle: accept the text shown, counter it, reject it, or walk away).
    pub asked: Option<&'static str>,
    /// The moves you may make now (`Move` kinds).
    pub allowed: Vec<&'static str>,
    /// What is before you: the offer on the table, the mediator's candidate, the text put as
    /// final, or the text the mediator shows you.
    pub standing: Option<Standing>,
    /// While you vote on a candidate: the current text it would replace (none before any
    /// candidate was accepted).
    pub text: Option<Standing>,
    /// Every action so far.
    pub history: Vec<Played>,
    /// The issues and their options, to build an offer.
    pub issues: Vec<IssueChoice>,
    /// The end, once it came.
    pub result: Option<GameResult>,
}

/// A game's request, resolved, and the moves so far.
#[derive(Debug, Clone)]
struct Game {
    key: String,
    scenario: Arc<Scenario>,
    spec: SimulationSpec,
    seat: String,
    source: String,
    moves: Vec<Action>,
    /// Held while a move is made: two moves on one game (two tabs) take turns, none is lost.
    turn: Arc<tokio::sync::Mutex<()>>,
}

/// The games in play, the oldest dropped first beyond the limit.
#[derive(Debug)]
pub(crate) struct Games {
    keep: usize,
    kept: Mutex<(u64, VecDeque<(u64, Game)>)>,
}

impl Games {
    pub(crate) fn new(keep: usize) -> Games {
        Games { keep: keep.max(1), kept: Mutex::new((0, VecDeque::new())) }
    }

    fn add(&self, game: Game) -> u64 {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        kept.0 += 1;
        let id = kept.0;
        kept.1.push_back((id, game));
        while kept.1.len() > self.keep {
            kept.1.pop_front();
        }
        id
    }

    fn get(&self, id: u64) -> Result<Game, ApiError> {
        let kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        kept.1
            .iter()
            .find(|(k, _)| *k == id)
            .map(|(_, g)| g.clone())
            .ok_or_else(|| ApiError::NotFound(format!("no game {id} here (the server keeps the last {} games)", self.keep)))
    }

    fn set_moves(&self, id: u64, moves: Vec<Action>) {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, g)) = kept.1.iter_mut().find(|(k, _)| *k == id) {
            g.moves = moves;
        }
    }
}

fn game_id(id: &str) -> Result<u64, ApiError> {
    id.parse().map_err(|_| ApiError::BadRequest(format!("`{id}` is not a game id (a number from POST /api/games)")))
}

/// Replays `game` and describes it; refuses (400) when its last move breaks a rule.
fn view(state: &State, id: u64, game: &Game) -> Result<GameView, ApiError> {
    let p = state.prepared.get_or_build(&game.key, &game.scenario)?;
    let s = &*p.scenario;
    let replayed = detente_agents::simulate_with_moves(s, &p.prepared, &game.spec, &game.seat, &game.moves)
        .map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let me = s.actor_index(&game.seat).ok_or_else(|| ApiError::BadRequest(format!("no actor `{}`", game.seat)))?;
    let u = p.prepared.utility(me);
    let issues = choices(s);
    let labels = |o: OutcomeId| detente_study::deal::terms(s, o).into_iter().map(|t| t.value).collect::<Vec<_>>();
    let protocol = game.spec.protocol.map_or("sao", detente_agents::Protocol::as_str);
    let played = |history: &[detente_protocol::Event], parties: &[String], mediator: Option<&str>| -> Vec<Played> {
        history
            .iter()
            .map(|e| {
                let (action, offer) = match e.action {
                    Action::Offer(o) => ("offer", Some(o)),
                    Action::Accept => ("accept", None),
                    Action::End => ("end", None),
                    Action::Reject => ("reject", None),
                };
                Played {
                    round: e.round + 1,
                    actor: parties.get(e.actor as usize).cloned().or_else(|| mediator.map(String::from)).unwrap_or_default(),
                    action,
                    values: offer.map(labels),
                    your_utility: offer.map(|o| u.utility(o)),
                }
            })
            .collect()
    };
    match replayed {
        Replayed::Refused { reason, .. } => Err(ApiError::BadRequest(format!("that move is not allowed: {reason}"))),
        Replayed::Waiting(w) => {
            let mediator = w.mediator.clone().unwrap_or_default();
            let before = |o: OutcomeId, by: String| Standing {
                by,
                values: labels(o),
                options: indices(s, o),
                your_utility: u.utility(o),
                acceptable: u.acceptable(o),
            };
            let (asked, allowed, standing, text): (_, &[&str], _, _) = match w.asked {
                Asked::Table { standing } => (
                    "offer",
                    if standing.is_some() { &["offer", "accept", "walk_away"] } else { &["offer", "walk_away"] },
                    standing.map(|(o, by)| before(o, w.parties.get(by as usize).cloned().unwrap_or_default())),
                    None,
                ),
                Asked::Candidate { candidate, text } => (
                    "candidate",
                    &["accept", "reject"],
                    Some(before(candidate, mediator.clone())),
                    text.map(|t| before(t, mediator.clone())),
                ),
                Asked::Final { text } => ("final", &["accept", "reject"], Some(before(text, mediator.clone())), None),
                Asked::Visit { text } => ("visit", &["offer", "accept", "reject", "walk_away"], Some(before(text, mediator.clone())), None),
            };
            let parties = w
                .parties
                .iter()
                .zip(&w.negotiators)
                .enumerate()
                .map(|(k, (a, n))| (a.clone(), if k as u32 == w.you { "you".to_string() } else { n.clone() }))
                .collect();
            Ok(GameView {
                id,
                you: game.seat.clone(),
                protocol: protocol.into(),
                mediator: w.mediator.clone(),
                parties,
                round: w.round + 1,
                deadline: w.deadline,
                status: "waiting".into(),
                reservation: u.reservation_value(),
                asked: Some(asked),
                allowed: allowed.to_vec(),
                standing,
                text,
                history: played(&w.history, &w.parties, w.mediator.as_deref()),
                issues,
                result: None,
            })
        }
        Replayed::Finished(sim) => {
            let measure = p.measure.as_ref().map_err(String::as_str);
            let report = detente_study::negotiation::report_measured(s, &p.prepared, &sim, game.spec.seed, measure);
            let html = detente_report::html::negotiation(&report, &p.summary, &game.source);
            let alone = detente_agents::simulate(s, &p.prepared, &game.spec).map_err(|e| ApiError::BadRequest(e.to_string()))?;
            let agent = detente_study::negotiation::report_measured(s, &p.prepared, &alone, game.spec.seed, measure);
            let you = sim.parties.iter().position(|a| *a == game.seat).unwrap_or(0);
            let parties = sim
                .parties
                .iter()
                .zip(&sim.negotiators)
                .enumerate()
                .map(|(k, (a, n))| (a.clone(), if k == you { "you".to_string() } else { n.clone() }))
                .collect();
            let mediator = sim.texts.is_some().then(|| sim.mediator.clone().unwrap_or_else(|| "mediator".into()));
            Ok(GameView {
                id,
                you: game.seat.clone(),
                protocol: protocol.into(),
                parties,
                round: sim.rounds,
                deadline: sim.deadline,
                status: report.status.to_string(),
                reservation: u.reservation_value(),
                asked: None,
                allowed: Vec::new(),
                standing: None,
                text: None,
                history: played(&sim.history, &sim.parties, mediator.as_deref()),
                mediator,
                issues,
                result: Some(GameResult { report, html, agent }),
            })
        }
    }
}

fn choices(s: &Scenario) -> Vec<IssueChoice> {
    s.space
        .issues()
        .iter()
        .map(|i| IssueChoice {
            issue: i.id.clone(),
            name: i.name.clone().unwrap_or_else(|| i.id.clone()),
            options: (0..i.cardinality().unwrap_or(0) as u32).filter_map(|v| i.value_at(v)).map(|v| i.format_value(&v)).collect(),
        })
        .collect()
}

fn indices(s: &Scenario, o: OutcomeId) -> Vec<u32> {
    let mut idx = vec![0u32; s.space.issues().len()];
    s.space.value_indices_at(o, &mut idx);
    idx
}

/// The outcome of a draft: one option index per issue.
fn outcome(s: &Scenario, options: &[u32]) -> Result<OutcomeId, ApiError> {
    let n = s.space.issues().len();
    if options.len() != n {
        return Err(ApiError::BadRequest(format!("an offer names one option per issue: {n} expected, {} given", options.len())));
    }
    s.space
        .outcome_from_indices(options)
        .and_then(|o| s.space.index_of(&o))
        .ok_or_else(|| ApiError::BadRequest("an option index beyond its issue's options".into()))
}

/// The one game's state to answer with, after `moves`.
async fn answer(state: &Arc<State>, id: u64, game: Game) -> Result<GameView, ApiError> {
    let st = state.clone();
    compute(state, state.limits.compute_time, move || view(&st, id, &game)).await
}

#[utoipa::path(post, path = "/api/games", request_body = GameRequest,
    responses((status = 201, description = "The game, waiting for your move (or already over if the others ended it)", body = GameView), (status = 400, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn create(AxState(state): AxState<Arc<State>>, JsonBody(r): JsonBody<GameRequest>) -> Result<impl IntoResponse, ApiError> {
    let (s, _) = resolve(&state, &r.target)?;
    crate::api::check_rounds(r.rounds, &s)?;
    let protocol = match r.protocol.as_deref() {
        None => detente_agents::Protocol::JointTable,
        Some(p) => detente_agents::Protocol::parse(p)
            .ok_or_else(|| ApiError::BadRequest(format!("unknown protocol `{p}`; known: {}", detente_agents::Protocol::names())))?,
    };
    let parties = detente_agents::participants(&s, protocol);
    if !parties.iter().any(|&a| s.actors[a].id == r.seat) {
        let names: Vec<&str> = parties.iter().map(|&a| s.actors[a].id.as_str()).collect();
        return Err(ApiError::BadRequest(format!(
            "`{}` does not take part under {}; the parties are {}",
            r.seat,
            protocol.as_str(),
            names.join(", ")
        )));
    }
    if let Some(o) = &r.opponents {
        detente_core::NegotiatorSpec::parse(o).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    }
    // your seat's negotiator is your actor's own strategy: never asked while you play, it is
    // what plays your seat in the comparison at the end
    let negotiators = parties
        .iter()
        .map(|&a| match (&r.opponents, s.actors[a].id == r.seat) {
            (Some(o), false) => o.clone(),
            _ => detente_agents::actor_negotiator(&s.actors[a]).to_string(),
        })
        .collect();
    let spec =
        SimulationSpec { protocol: Some(protocol), negotiators: Some(negotiators), rounds: r.rounds, seed: r.seed, ..Default::default() };
    let source = r.target.scenario.clone();
    let game = Game {
        key: format!("{:?}", r.target),
        scenario: s,
        spec,
        seat: r.seat.clone(),
        source,
        moves: Vec::new(),
        turn: Arc::new(tokio::sync::Mutex::new(())),
    };
    let id = state.games.add(game.clone());
    let v = answer(&state, id, game).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

#[utoipa::path(get, path = "/api/games/{id}", params(("id" = u64, Path, description = "From POST /api/games")),
    responses((status = 200, body = GameView), (status = 404, body = ErrorBody)))]
pub(crate) async fn show(AxState(state): AxState<Arc<State>>, Path(id): Path<String>) -> Result<Json<GameView>, ApiError> {
    let id = game_id(&id)?;
    let game = state.games.get(id)?;
    Ok(Json(answer(&state, id, game).await?))
}

#[utoipa::path(post, path = "/api/games/{id}/moves", params(("id" = u64, Path, description = "From POST /api/games")), request_body = Move,
    responses((status = 200, description = "The game after your move and the others' answers", body = GameView), (status = 400, description = "Not your turn, the game is over, or the move breaks a rule (your red lines, nothing to accept): the game is unchanged", body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn play(
    AxState(state): AxState<Arc<State>>,
    Path(id): Path<String>,
    JsonBody(m): JsonBody<Move>,
) -> Result<Json<GameView>, ApiError> {
    let id = game_id(&id)?;
    // one move at a time on a game, each on the moves the last one left
    let turn = state.games.get(id)?.turn;
    let _turn = turn.lock().await;
    let mut game = state.games.get(id)?;
    let action = match m {
        Move::Offer { options } => Action::Offer(outcome(&game.scenario, &options)?),
        Move::Accept => Action::Accept,
        Move::Reject => Action::Reject,
        Move::WalkAway => Action::End,
    };
    // a move on a finished game is refused by the replay (it waits for no move)
    game.moves.push(action);
    let moves = game.moves.clone();
    let st = state.clone();
    let v = compute(&state, state.limits.compute_time, move || {
        let v = view(&st, id, &game)?;
        // a move the replay never asked for: the game was over
        if v.history.iter().filter(|p| p.actor == game.seat).count() < game.moves.len() {
            return Err(ApiError::BadRequest("the game is over: no move is due".into()));
        }
        Ok(v)
    })
    .await?;
    state.games.set_moves(id, moves);
    Ok(Json(v))
}

#[utoipa::path(post, path = "/api/games/{id}/evaluate", params(("id" = u64, Path, description = "From POST /api/games")), request_body = Draft,
    responses((status = 200, body = Evaluated), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn evaluate(
    AxState(state): AxState<Arc<State>>,
    Path(id): Path<String>,
    JsonBody(d): JsonBody<Draft>,
) -> Result<Json<Evaluated>, ApiError> {
    let id = game_id(&id)?;
    let game = state.games.get(id)?;
    let st = state.clone();
    let e = compute(&state, state.limits.compute_time, move || {
        let p = st.prepared.get_or_build(&game.key, &game.scenario)?;
        let s = &*p.scenario;
        let me = s.actor_index(&game.seat).ok_or_else(|| ApiError::BadRequest(format!("no actor `{}`", game.seat)))?;
        evaluated(s, &p.prepared, me, &d.options)
    })
    .await?;
    Ok(Json(e))
}

fn evaluated(s: &Scenario, prepared: &PreparedScenario, me: usize, draft: &[u32]) -> Result<Evaluated, ApiError> {
    let u = prepared.utility(me);
    let o = outcome(s, draft)?;
    let options = s
        .space
        .issues()
        .iter()
        .enumerate()
        .map(|(k, i)| {
            (0..i.cardinality().unwrap_or(0) as u32)
                .map(|v| {
                    let mut d = draft.to_vec();
                    d[k] = v;
                    outcome(s, &d).map(|o| u.utility(o))
                })
                .collect::<Result<Vec<f64>, ApiError>>()
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok(Evaluated { utility: u.utility(o), acceptable: u.acceptable(o), options })
}
