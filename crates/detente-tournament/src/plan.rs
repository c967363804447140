//! Batches of negotiations: every negotiator in every seat of every scenario, repeated, on all
//! cores, streamed in a fixed order.

use crate::{negotiation_seed, BatchError, Prepared};
use detente_agents::{Protocol, Simulation, SimulationSpec};
use detente_core::limits::{MAX_REPETITIONS, MAX_ROUNDS};
use detente_core::NegotiatorSpec;
use detente_study::negotiation::{ActorResult, Seat};
use rayon::prelude::*;
use serde::Serialize;
use std::convert::Infallible;
use std::ops::Range;
use std::time::{Duration, Instant};

/// The seat an [`Entrant`] of the caller's own is made for.
#[derive(Debug, Clone, Copy)]
pub struct SeatFor<'a> {
    /// The scenario.
    pub scenario: &'a Prepared,
    /// The party it plays (an index into the scenario's actors).
    pub actor: usize,
    /// Its seed, derived from the negotiation's seed and the seat.
    pub seed: u64,
}

/// How an [`Entrant`] is made for a seat.
pub type MakeNegotiator = dyn Fn(SeatFor<'_>) -> Box<dyn detente_protocol::Negotiator> + Send + Sync;

/// A negotiator of the caller's own in a tournament (one written in Python, say): the name rows
/// give it, and how to make a fresh one for each negotiation's seat. Entrants are numbered after
/// [`Tournament::negotiators`]; they play every seat those do.
#[derive(Clone)]
pub struct Entrant {
    /// Its name in rows and summaries (unique among the tournament's negotiators).
    pub name: String,
    /// A fresh negotiator for a seat.
    pub make: std::sync::Arc<MakeNegotiator>,
}

impl std::fmt::Debug for Entrant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Entrant").field("name", &self.name).finish_non_exhaustive()
    }
}

/// Negotiations run in parallel before their rows are handed on, in order ([`Tournament::chunk`]).
pub const DEFAULT_CHUNK: usize = 4096;

/// Parses negotiator specs in the CLI's grammar (`boulware`, `boa(e=0.2,ac=next)`), each once:
/// the first that does not parse is the error, with its position.
pub fn parse_negotiators<I, S>(texts: I) -> Result<Vec<NegotiatorSpec>, BatchError>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    texts
        .into_iter()
        .enumerate()
        .map(|(index, t)| {
            NegotiatorSpec::parse(t.as_ref()).map_err(|source| BatchError::Negotiator {
                index,
                text: t.as_ref().to_string(),
                source: Box::new(source),
            })
        })
        .collect()
}

/// A tournament: every negotiator × every scenario × every seating × `repetitions`.
///
/// **Seatings** follow NegMAS's `cartesian_tournament` (`partners_list = product(competitors,
/// repeat=n)`): every ordered assignment of the negotiators to the scenario's participating
/// parties ([`detente_agents::participants`], in the scenario's order), with repetition, so
/// each negotiator plays every role against every opponent, itself included (`self_play`, on
/// by default as in NegMAS; off, the seatings where every party plays the same negotiator are
/// left out, as NegMAS's `self_play=False` does). For negotiators `a, b` on a bilateral
/// scenario the seatings are, in order, `(a,a) (a,b) (b,a) (b,b)`: the product in
/// lexicographic order, the last party varying fastest.
///
/// **Who opens**: by default the scenario's speaking order (the first participating party
/// opens, as in `detente negotiate`). With `rotate`, each seating is also run with each other
/// party opening (the others following cyclically: `detente negotiate --opener`), as NegMAS's
/// `rotate_ufuns=True` rotates the utility functions over the speaking positions; the joint
/// table only.
///
/// **Order**: negotiations are numbered scenario by scenario, then seating by seating, then
/// opener by opener, then repetition by repetition ([`Coordinates`]); rows are delivered in that order whatever the
/// number of threads. **Seeds**: [`negotiation_seed`] of the tournament seed and the
/// coordinates. **Threads**: the current rayon pool (the global one, or one entered with
/// `ThreadPool::install`).
#[derive(Debug, Clone)]
pub struct Tournament {
    /// The negotiators, as typed specs ([`parse_negotiators`]).
    pub negotiators: Vec<NegotiatorSpec>,
    /// Negotiators of the caller's own, numbered after `negotiators` (none by default).
    pub own: Vec<Entrant>,
    /// The scenarios.
    pub scenarios: Vec<Prepared>,
    /// The protocol (default: each scenario's, else the joint table).
    pub protocol: Option<Protocol>,
    /// The deadline in rounds, 1 to [`MAX_ROUNDS`] (default: each scenario's, else 100).
    pub rounds: Option<u32>,
    /// Runs of each seating, each with its own seed: 1 to [`MAX_REPETITIONS`].
    pub repetitions: u32,
    /// The tournament seed.
    pub seed: u64,
    /// Seat a negotiator against itself.
    pub self_play: bool,
    /// Run each seating once per opener: every participating party speaks first in turn.
    pub rotate: bool,
    /// A wall-clock limit on each negotiation, in seconds (the joint table only, as
    /// `detente negotiate --time-limit`): a negotiation still running when it passes ends
    /// without a deal. Off by default: with it, results depend on the machine's speed.
    pub time_limit: Option<f64>,
    /// Negotiations run in parallel before their rows are delivered: the most rows held in
    /// memory at once (at least 1; [`DEFAULT_CHUNK`]).
    pub chunk: usize,
}

impl Tournament {
    /// One repetition of every seating, seed 0, self-play, each scenario's protocol and deadline.
    pub fn new(negotiators: Vec<NegotiatorSpec>, scenarios: Vec<Prepared>) -> Self {
        Tournament {
            negotiators,
            own: Vec::new(),
            scenarios,
            protocol: None,
            rounds: None,
            repetitions: 1,
            seed: 0,
            self_play: true,
            rotate: false,
            time_limit: None,
            chunk: DEFAULT_CHUNK,
        }
    }

    /// Checks the tournament and numbers its negotiations: the limits, each scenario's deadline,
    /// and whether the protocol can run on each scenario at all (its first seating is set up
    /// and run for one round), so that a refusal is one typed error before any work rather
    /// than a `refused` row per negotiation.
    pub fn plan(&self) -> Result<Plan<'_>, BatchError> {
        if self.negotiators.is_empty() && self.own.is_empty() {
            return Err(BatchError::NoNegotiators);
        }
        let names: Vec<String> =
            self.negotiators.iter().map(NegotiatorSpec::to_string).chain(self.own.iter().map(|e| e.name.clone())).collect();
        if let Some(e) =
            self.own.iter().find(|e| names.iter().filter(|n| **n == e.name).count() > 1 || NegotiatorSpec::parse(&e.name).is_ok())
        {
            return Err(BatchError::OwnName(e.name.clone()));
        }
        if !self.own.is_empty() && self.time_limit.is_some() {
            return Err(BatchError::OwnTimeLimit);
        }
        if self.scenarios.is_empty() {
            return Err(BatchError::NoScenarios);
        }
        if let Some(r) = self.rounds.filter(|&r| r == 0 || r > MAX_ROUNDS) {
            return Err(BatchError::Rounds(r));
        }
        if self.repetitions == 0 || self.repetitions > MAX_REPETITIONS {
            return Err(BatchError::Repetitions(self.repetitions));
        }
        if self.chunk == 0 {
            return Err(BatchError::Chunk);
        }
        if let Some(t) = self.time_limit.filter(|t| !(t.is_finite() && *t > 0.0)) {
            return Err(BatchError::TimeLimit(t));
        }
        let m = names.len() as u64;
        let mut scenarios = Vec::with_capacity(self.scenarios.len());
        let mut total: u64 = 0;
        for p in &self.scenarios {
            let s = p.scenario();
            let scenario = || p.id().to_string();
            if let Some(rounds) = s.protocol.rounds.filter(|&r| self.rounds.is_none() && r > MAX_ROUNDS) {
                return Err(BatchError::ScenarioRounds { scenario: scenario(), rounds });
            }
            let protocol = self.protocol.unwrap_or_else(|| detente_agents::scenario_protocol(s));
            detente_agents::check_applicable(&self.base_spec(protocol), protocol)
                .map_err(|source| BatchError::Simulate { scenario: scenario(), source: Box::new(source) })?;
            let parties = detente_agents::participants(s, protocol).len();
            if parties == 0 {
                return Err(BatchError::NoParties { scenario: scenario(), protocol: protocol.as_str() });
            }
            if self.rotate && protocol != Protocol::JointTable {
                return Err(BatchError::Rotate { scenario: scenario(), protocol: protocol.as_str() });
            }
            // the scenario's refusals (a mediator rule the protocol cannot follow, an opening
            // concession across a red line) do not depend on who is seated: one round of the
            // first seating finds them, so they are one error here rather than one row each
            // (with the first negotiator in every seat: a spec, else the first of the caller's own)
            let probe = SimulationSpec { negotiators: Some(vec![names[0].clone(); parties]), rounds: Some(1), ..self.base_spec(protocol) };
            let probed = match self.negotiators.is_empty() {
                false => p.simulate(&probe),
                true => p.simulate_with_own(&probe, own_seats(p, &probe, &vec![0; parties], 0, &self.own)),
            };
            probed.map_err(|source| BatchError::Simulate { scenario: scenario(), source: Box::new(source) })?;
            let product = u32::try_from(parties).ok().and_then(|k| m.checked_pow(k)).ok_or(BatchError::TooMany)?;
            // without self-play, the m seatings of one negotiator in every seat are left out
            let seatings = if self.self_play { product } else { product - m };
            let openers = if self.rotate { parties as u64 } else { 1 };
            let first = total;
            total = seatings
                .checked_mul(openers * u64::from(self.repetitions))
                .and_then(|n| total.checked_add(n))
                .ok_or(BatchError::TooMany)?;
            scenarios.push(ScenarioPlan { protocol, parties, product, openers, first });
        }
        Ok(Plan { tournament: self, names, scenarios, total })
    }

    /// Runs every negotiation and hands each row to `sink`, in order ([`Plan::try_run`]);
    /// returns how many ran.
    pub fn run(&self, mut sink: impl FnMut(Row)) -> Result<u64, BatchError> {
        let plan = self.plan()?;
        let n = plan.len();
        let Ok(()) = plan.try_run(0..n, |row| {
            sink(row);
            Ok::<(), Infallible>(())
        });
        Ok(n)
    }

    /// Every row, in order (memory grows with the tournament: prefer [`Tournament::run`] for
    /// large ones).
    pub fn collect(&self) -> Result<Vec<Row>, BatchError> {
        let mut rows = Vec::new();
        self.run(|r| rows.push(r))?;
        Ok(rows)
    }

    fn base_spec(&self, protocol: Protocol) -> SimulationSpec {
        SimulationSpec { protocol: Some(protocol), rounds: self.rounds, time_limit: self.time_limit, ..SimulationSpec::default() }
    }
}

#[derive(Debug, Clone)]
struct ScenarioPlan {
    protocol: Protocol,
    /// Participating parties.
    parties: usize,
    /// Negotiators to the power of parties: the seatings with self-play.
    product: u64,
    /// Openers per seating: the parties with `rotate`, else 1.
    openers: u64,
    /// Number of the scenario's first negotiation.
    first: u64,
}

/// A checked tournament with its negotiations numbered `0..len()`: what to run for any range
/// of them (a resumed run, one shard of several).
#[derive(Debug, Clone)]
pub struct Plan<'a> {
    tournament: &'a Tournament,
    /// Canonical spec texts, as `detente negotiate --negotiators` reads them.
    names: Vec<String>,
    scenarios: Vec<ScenarioPlan>,
    total: u64,
}

/// Where a negotiation lies in a tournament.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Coordinates {
    /// Its number, `0..Plan::len()`, in delivery order.
    pub index: u64,
    /// Index of the scenario in [`Tournament::scenarios`].
    pub scenario: usize,
    /// Index of the seating in the full product of negotiators over parties (self-play
    /// included even when left out, so a seating keeps its number and its seeds): in base
    /// `negotiators.len()`, digit `i` from the left is the negotiator of party `i`.
    pub seating: u64,
    /// Who opens: the position of the opening party among the participating parties in the
    /// scenario's order (0 unless the tournament rotates).
    pub opener: usize,
    /// 0-based repetition.
    pub repetition: u32,
}

impl Plan<'_> {
    /// Number of negotiations.
    pub fn len(&self) -> u64 {
        self.total
    }

    /// No negotiations (only without self-play, when each scenario has one party or there is
    /// one negotiator).
    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// The coordinates of negotiation `index`.
    ///
    /// # Panics
    /// If `index >= self.len()`.
    pub fn coordinates(&self, index: u64) -> Coordinates {
        assert!(index < self.total, "negotiation {index} of {}", self.total);
        let scenario = self.scenarios.partition_point(|p| p.first <= index) - 1;
        let p = &self.scenarios[scenario];
        let reps = u64::from(self.tournament.repetitions);
        let local = index - p.first;
        let (position, rest) = (local / (p.openers * reps), local % (p.openers * reps));
        let (opener, repetition) = ((rest / reps) as usize, (rest % reps) as u32);
        let seating = if self.tournament.self_play { position } else { skip_self_play(position, p.product, self.names.len() as u64) };
        Coordinates { index, scenario, seating, opener, repetition }
    }

    /// The negotiator of each participating party (indices into [`Tournament::negotiators`]).
    pub fn seats(&self, at: &Coordinates) -> Vec<usize> {
        let m = self.names.len() as u64;
        let mut seats = vec![0; self.scenarios[at.scenario].parties];
        let mut rest = at.seating;
        for seat in seats.iter_mut().rev() {
            *seat = (rest % m) as usize;
            rest /= m;
        }
        seats
    }

    /// The spec of one negotiation: what `detente negotiate --protocol P --negotiators … --seed
    /// S [--rounds R] [--opener A]` runs on the same scenario. The seed does not depend on who
    /// opens: the rotations of a seating and repetition are a paired comparison, the same
    /// draws with another party first.
    pub fn spec(&self, at: &Coordinates) -> SimulationSpec {
        let t = self.tournament;
        SimulationSpec {
            negotiators: Some(self.seats(at).into_iter().map(|k| self.names[k].clone()).collect()),
            seed: negotiation_seed(t.seed, at.scenario, at.seating, at.repetition),
            opener: at.opener,
            ..t.base_spec(self.scenarios[at.scenario].protocol)
        }
    }

    /// Runs negotiation `index` alone and says how long it took (wall clock, on the thread that
    /// ran it).
    ///
    /// # Panics
    /// If `index >= self.len()`.
    pub fn run_one_timed(&self, index: u64) -> (Row, Duration) {
        let start = Instant::now();
        let row = self.run_one(index);
        (row, start.elapsed())
    }

    /// Runs negotiation `index` alone.
    ///
    /// # Panics
    /// If `index >= self.len()`.
    pub fn run_one(&self, index: u64) -> Row {
        let at = self.coordinates(index);
        let p = &self.tournament.scenarios[at.scenario];
        let spec = self.spec(&at);
        let specs = self.tournament.negotiators.len();
        let seats = self.seats(&at);
        let simulated = if seats.iter().all(|&k| k < specs) {
            p.simulate(&spec)
        } else {
            p.simulate_with_own(&spec, own_seats(p, &spec, &seats, specs, &self.tournament.own))
        };
        match simulated {
            Ok(sim) => Row::new(p, at, &spec, &sim),
            Err(e) => Row::placed(p, at, &spec, planned_seats(p, &spec), Some(e.to_string())),
        }
    }

    /// Runs the negotiations numbered `range` (clipped to `0..len()`) and hands each row to
    /// `sink` in order of number; the first error of `sink` stops the run and is returned.
    /// Negotiations run in parallel [`Tournament::chunk`] at a time, and the sink takes one
    /// chunk's rows while the next chunk runs, so at most two chunks of rows are held at once
    /// and a slow sink (writing files) overlaps the negotiations instead of idling the cores.
    pub fn try_run<E>(&self, range: Range<u64>, mut sink: impl FnMut(Row) -> Result<(), E>) -> Result<(), E> {
        self.try_run_timed(range, |row, _| sink(row))
    }

    /// [`Plan::try_run`], handing each row on with the wall time its negotiation took (the one
    /// part of a result that is not a function of the tournament and its seed).
    pub fn try_run_timed<E>(&self, range: Range<u64>, mut sink: impl FnMut(Row, Duration) -> Result<(), E>) -> Result<(), E> {
        self.try_run_map(range, |row, time| (row, time), |(row, time)| sink(row, time))
    }

    /// [`Plan::try_run_timed`] with a `map` of each row and its time that runs on the pool,
    /// beside the negotiation, before the sink takes the result in order: the place for the
    /// per-row work of a sink that would otherwise run on one thread (turning rows into
    /// records, say).
    pub fn try_run_map<T: Send, E>(
        &self,
        range: Range<u64>,
        map: impl Fn(Row, Duration) -> T + Sync,
        mut sink: impl FnMut(T) -> Result<(), E>,
    ) -> Result<(), E> {
        let end = range.end.min(self.total);
        let chunk = self.tournament.chunk as u64;
        let run = |start: u64, stop: u64| -> Vec<T> {
            (0..(stop - start) as usize)
                .into_par_iter()
                .map(|k| {
                    let (row, time) = self.run_one_timed(start + k as u64);
                    map(row, time)
                })
                .collect()
        };
        // rows run, not yet handed to the sink
        let mut pending: Vec<T> = Vec::new();
        let mut start = range.start;
        while start < end {
            let stop = end.min(start.saturating_add(chunk));
            // the next chunk runs on the pool while this thread hands the last one to the sink
            // (which need not be Send: it stays on the calling thread)
            let mut rows = Vec::new();
            rayon::in_place_scope(|scope| {
                scope.spawn(|_| rows = run(start, stop));
                std::mem::take(&mut pending).into_iter().try_for_each(&mut sink)
            })?;
            pending = rows;
            start = stop;
        }
        pending.into_iter().try_for_each(sink)
    }

    /// The canonical spec text of each negotiator, as rows name them.
    pub fn negotiator_names(&self) -> &[String] {
        &self.names
    }

    /// The most parties any scenario seats: the number of seat columns of a table of rows.
    pub fn max_parties(&self) -> usize {
        self.scenarios.iter().map(|p| p.parties).max().unwrap_or(0)
    }

    /// The tournament planned.
    pub fn tournament(&self) -> &Tournament {
        self.tournament
    }
}

/// The product index of the `position`-th seating that is not self-play. The self-play seatings
/// of `m` negotiators over `k` parties are at multiples of `r = (m^k − 1)/(m − 1)` (`0`,
/// `11…1`, `22…2` in base `m`), so `position` skips one before it and one per `r − 1` others.
fn skip_self_play(position: u64, product: u64, m: u64) -> u64 {
    let r = (product - 1) / (m - 1);
    position + 1 + position / (r - 1)
}

/// One negotiation of a batch, as a row: coordinates, seats, seed, how it ended, what each
/// actor got, and the quality of the result (the scenario's analysis, computed once:
/// [`Prepared::measure`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// Number in the tournament ([`Coordinates::index`]).
    pub index: u64,
    /// Scenario id.
    pub scenario: String,
    /// Index of the scenario in the tournament.
    pub scenario_index: usize,
    /// Seating ([`Coordinates::seating`]).
    pub seating: u64,
    /// Who opens ([`Coordinates::opener`]).
    pub opener: usize,
    /// Repetition, 0-based.
    pub repetition: u32,
    /// The negotiation's seed ([`negotiation_seed`]).
    pub seed: u64,
    /// Protocol name.
    pub protocol: &'static str,
    /// Each participating party (speaking order) and its negotiator's spec text.
    pub seats: Vec<Seat>,
    /// How it ended (`reason` says why it errored or was refused).
    pub status: Status,
    /// Why it errored or was refused.
    pub reason: Option<String>,
    /// Was there a deal?
    pub agreement: bool,
    /// Round of agreement, 1-based.
    pub round: Option<u32>,
    /// Rounds run.
    pub rounds: u32,
    /// The deadline.
    pub deadline: u32,
    /// Outcome index of the deal.
    pub outcome_index: Option<u64>,
    /// The deal as `issue=value, …`.
    pub deal: Option<String>,
    /// Every scenario actor's utility, reservation value and advantage over it (`margin`).
    pub utilities: Vec<ActorResult>,
    /// Each seat's lowest and highest utility over the outcomes it may accept (before
    /// discounts), in seat order: what NegMAS's tournament score normalises the advantage by
    /// ([`crate::SeatRecord::score`]).
    pub ranges: Vec<(f64, f64)>,
    /// Sum of the required parties' utilities (before discounts); `None` without an analysis.
    pub welfare: Option<f64>,
    /// Distance to their Pareto frontier (NegMAS: the rational frontier).
    pub pareto_distance: Option<f64>,
    /// Distance to their Nash point.
    pub nash_distance: Option<f64>,
    /// Distance to their Kalai–Smorodinsky point.
    pub ks_distance: Option<f64>,
}

impl Row {
    /// A row at `at` with nothing run yet: what a refused negotiation shows.
    fn placed(p: &Prepared, at: Coordinates, spec: &SimulationSpec, seats: Vec<Seat>, reason: Option<String>) -> Row {
        let s = p.scenario();
        let protocol = spec.protocol.unwrap_or_else(|| detente_agents::scenario_protocol(s));
        let ranges = ranges(p, &seats);
        Row {
            index: at.index,
            scenario: p.id().to_string(),
            scenario_index: at.scenario,
            seating: at.seating,
            opener: at.opener,
            repetition: at.repetition,
            seed: spec.seed,
            protocol: protocol.as_str(),
            seats,
            status: Status::Refused,
            reason,
            agreement: false,
            round: None,
            rounds: 0,
            deadline: spec.deadline(s),
            outcome_index: None,
            deal: None,
            utilities: Vec::new(),
            ranges,
            welfare: None,
            pareto_distance: None,
            nash_distance: None,
            ks_distance: None,
        }
    }

    /// The row of `sim`, run at `at` with `spec` (its pieces are those of `detente negotiate`'s
    /// report: [`detente_study::negotiation`]).
    fn new(p: &Prepared, at: Coordinates, spec: &SimulationSpec, sim: &Simulation) -> Row {
        use detente_study::negotiation::{actor_results, agreed_round, failure, seats};
        let s = p.scenario();
        let quality = p.measure().ok().map(|m| m.quality(&sim.undiscounted));
        Row {
            protocol: sim.protocol.as_str(),
            status: Status::of(&sim.status),
            reason: failure(&sim.status),
            agreement: sim.agreement.is_some(),
            round: agreed_round(&sim.status),
            rounds: sim.rounds,
            deadline: sim.deadline,
            outcome_index: sim.agreement,
            deal: sim.outcome.as_ref().map(|o| s.space.format(o)),
            utilities: actor_results(s, sim),
            welfare: quality.as_ref().map(|q| q.welfare),
            pareto_distance: quality.as_ref().and_then(|q| q.pareto_distance),
            nash_distance: quality.as_ref().and_then(|q| q.nash_distance),
            ks_distance: quality.as_ref().and_then(|q| q.ks_distance),
            ..Row::placed(p, at, spec, seats(sim), None)
        }
    }

    /// Where the row lies in its tournament.
    pub fn coordinates(&self) -> Coordinates {
        Coordinates {
            index: self.index,
            scenario: self.scenario_index,
            seating: self.seating,
            opener: self.opener,
            repetition: self.repetition,
        }
    }
}

/// The caller's own negotiators for `seats` (negotiator indices, scenario order; those from
/// `first` on are [`Tournament::own`]'s), each made for its party with a seed of its own.
fn own_seats(p: &Prepared, spec: &SimulationSpec, seats: &[usize], first: usize, own: &[Entrant]) -> Vec<Option<detente_agents::OwnSeat>> {
    let s = p.scenario();
    let protocol = spec.protocol.unwrap_or_else(|| detente_agents::scenario_protocol(s));
    let parties = detente_agents::participants(s, protocol);
    seats
        .iter()
        .zip(&parties)
        .enumerate()
        .map(|(place, (&k, &actor))| {
            let e = own.get(k.checked_sub(first)?)?;
            let seed = crate::splitmix64(spec.seed ^ (place as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
            Some(detente_agents::OwnSeat { name: e.name.clone(), negotiator: (e.make)(SeatFor { scenario: p, actor, seed }) })
        })
        .collect()
}

/// The seats of `spec` before it runs, in speaking order: each participating party with its
/// negotiator, rotated so that the opener comes first (what the simulation's seats would be).
fn planned_seats(p: &Prepared, spec: &SimulationSpec) -> Vec<Seat> {
    let s = p.scenario();
    let protocol = spec.protocol.unwrap_or_else(|| detente_agents::scenario_protocol(s));
    let mut seats: Vec<Seat> = detente_agents::participants(s, protocol)
        .iter()
        .zip(spec.negotiators.iter().flatten())
        .map(|(&a, n)| Seat { actor: s.actors[a].id.clone(), negotiator: n.clone() })
        .collect();
    if !seats.is_empty() {
        let opener = spec.opener % seats.len();
        seats.rotate_left(opener);
    }
    seats
}

/// Each seat's party's lowest and highest utility ([`detente_protocol::PartyUtility::min`],
/// `max`), in seat order.
fn ranges(p: &Prepared, seats: &[Seat]) -> Vec<(f64, f64)> {
    let actors = p.prepared().actor_ids();
    seats
        .iter()
        .filter_map(|seat| actors.iter().position(|a| *a == seat.actor))
        .map(|k| {
            let u = p.prepared().utility(k);
            (u.min(), u.max())
        })
        .collect()
}

/// How a negotiation of a batch ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// A deal.
    Agreed,
    /// The deadline passed without one.
    TimedOut,
    /// A party walked away.
    Broken,
    /// A negotiator failed: it panicked or broke the protocol's rules (the row's `reason`).
    Errored,
    /// The negotiation could not be set up (the row's `reason`).
    Refused,
}

impl Status {
    /// Every status, in order.
    pub const ALL: [Status; 5] = [Status::Agreed, Status::TimedOut, Status::Broken, Status::Errored, Status::Refused];

    /// The status of a finished negotiation (a session still running, which a simulation never
    /// returns, would count as errored).
    pub fn of(status: &detente_protocol::Status) -> Status {
        use detente_protocol::Status as S;
        match status {
            S::Agreed { .. } => Status::Agreed,
            S::TimedOut => Status::TimedOut,
            S::Broken { .. } => Status::Broken,
            S::Errored { .. } | S::Running => Status::Errored,
        }
    }

    /// Its name in rows and tables: `agreed`, `timed_out`, `broken`, `errored`, `refused`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Agreed => "agreed",
            Status::TimedOut => "timed_out",
            Status::Broken => "broken",
            Status::Errored => "errored",
            Status::Refused => "refused",
        }
    }

    /// The status named `name` ([`Status::as_str`]).
    pub fn parse(name: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
