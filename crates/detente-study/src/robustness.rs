//! How much the study's findings depend on its assumptions. Every stated spread (an actor's
//! ideal point, salience or capability) is sampled together, run after run, and every lens is
//! run again on each draw: how often a deal beats walking away, which options the Nash deal
//! takes, which protocols reach a deal, where the expected-utility forecast lands. Then each
//! uncertain input alone is moved to both ends of its stated range (one at a time, the others
//! at their stated values) to see which of them changes a finding.
//!
//! Run `k` draws from `ChaCha8Rng::seed_from_u64(seed)` on stream `k`, the forecast lens's
//! scheme, so the results do not depend on the number of threads.

use crate::forecast::trajectories;
use crate::scenario::SpreadSummary;
use crate::simulation::{prepare, run_protocol, StudyProtocol};
use detente_analysis::zone_and_nash;
use detente_core::{Scenario, ScenarioDraft, Spread, Utility};
use detente_forecast::uncertainty::{draw, quantile_sorted};
use detente_protocol::PreparedScenario;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::Serialize;
use std::sync::Arc;

/// Which input of an actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InputKind {
    /// Ideal point on an issue.
    Ideal,
    /// Salience of an issue.
    Salience,
    /// Capability.
    Capability,
}

/// One input with a stated spread.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UncertainInput {
    /// `russia × territory (ideal)`.
    pub label: String,
    /// Actor id.
    pub actor: String,
    /// Issue id (ideal and salience).
    pub issue: Option<String>,
    /// Which input.
    pub kind: InputKind,
    /// The stated value.
    pub value: f64,
    /// The spread, as a range.
    pub spread: SpreadSummary,
    #[serde(skip)]
    raw: Spread,
    #[serde(skip)]
    actor_index: usize,
    #[serde(skip)]
    issue_index: usize,
    #[serde(skip)]
    bounds: (f64, f64),
}

/// Every input of `s` with a stated spread, in actor then issue order (capability first).
pub fn uncertain_inputs(s: &Scenario) -> Vec<UncertainInput> {
    let mut out = Vec::new();
    for (i, a) in s.actors.iter().enumerate() {
        if let Some(sp) = a.capability_spread {
            out.push(UncertainInput {
                label: format!("{} capability", a.id),
                actor: a.id.clone(),
                issue: None,
                kind: InputKind::Capability,
                value: a.capability,
                spread: SpreadSummary::of(sp, a.capability, 0.0, f64::INFINITY),
                raw: sp,
                actor_index: i,
                issue_index: 0,
                bounds: (0.0, f64::INFINITY),
            });
        }
        let Utility::Spatial(sp) = &a.preferences.utility else { continue };
        for (k, (p, issue)) in sp.positions.iter().zip(s.space.issues()).enumerate() {
            let Some(p) = p else { continue };
            for (kind, spread, value, bounds) in [
                (InputKind::Ideal, p.ideal_spread, p.ideal, issue.position_range()),
                (InputKind::Salience, p.salience_spread, p.salience, (0.0, 1.0)),
            ] {
                let Some(spread) = spread else { continue };
                let what = if kind == InputKind::Ideal { "ideal" } else { "salience" };
                out.push(UncertainInput {
                    label: format!("{} × {} ({what})", a.id, issue.id),
                    actor: a.id.clone(),
                    issue: Some(issue.id.clone()),
                    kind,
                    value,
                    spread: SpreadSummary::of(spread, value, bounds.0, bounds.1),
                    raw: spread,
                    actor_index: i,
                    issue_index: k,
                    bounds,
                });
            }
        }
    }
    out
}

/// Sets one input of `s` (the draft of the scenario it came from) to `x`, within its bounds.
fn set_input(s: &mut ScenarioDraft, input: &UncertainInput, x: f64) {
    let x = x.clamp(input.bounds.0, input.bounds.1);
    let a = &mut s.actors[input.actor_index];
    match input.kind {
        InputKind::Capability => a.capability = x,
        InputKind::Ideal | InputKind::Salience => {
            if let Utility::Spatial(sp) = &mut a.preferences.utility {
                if let Some(p) = sp.positions[input.issue_index].as_mut() {
                    if input.kind == InputKind::Ideal {
                        p.ideal = x;
                    } else {
                        p.salience = x;
                    }
                }
            }
        }
    }
}

/// What the study concludes on one scenario, in the terms the robustness section counts.
#[derive(Debug, Clone, PartialEq)]
struct Snapshot {
    /// Deals that beat walking away for every required party (`None`: not analysed).
    zone_size: Option<u64>,
    /// The Nash deal's option per issue.
    nash: Option<Vec<String>>,
    /// Per protocol: reached a deal?
    agreed: Vec<bool>,
    /// Per trajectory issue: the forecast per round.
    eu_rounds: Vec<Vec<f64>>,
    /// Per trajectory issue: `(issue, nearest option of the final EU forecast)`.
    eu_options: Vec<(String, Option<String>)>,
}

/// The scenario the runs vary, prepared once for negotiation.
struct Origin<'a> {
    scenario: &'a Scenario,
    prepared: Option<Arc<PreparedScenario>>,
}

impl Snapshot {
    /// A run whose drawn inputs make no valid scenario (every salience of an actor drawn to
    /// 0): nothing analysed, no deal, no forecast — counted as such, never as the stated case.
    fn invalid() -> Self {
        Snapshot {
            zone_size: None,
            nash: None,
            agreed: vec![false; StudyProtocol::ALL.len()],
            eu_rounds: Vec::new(),
            eu_options: Vec::new(),
        }
    }

    /// Does a deal beat walking away for every required party?
    fn zone_exists(&self) -> Option<bool> {
        self.zone_size.map(|n| n > 0)
    }
}

fn snapshot(s: &Scenario, origin: &Origin<'_>, seed: u64) -> Snapshot {
    let analysis = zone_and_nash(s, detente_analysis::Options::default().enumeration_limit).ok();
    let nash =
        analysis.as_ref().and_then(|a| a.nash.chosen()).map(|d| crate::deal::terms(s, d.outcome).into_iter().map(|t| t.value).collect());
    let prepared = match &origin.prepared {
        Some(p) => PreparedScenario::update(p, origin.scenario, s).map(Arc::new).map_err(|e| e.to_string()),
        None => prepare(s),
    };
    let agreed = match prepared {
        Ok(p) => StudyProtocol::ALL.iter().map(|&proto| run_protocol(s, &p, None, proto, seed).agreed).collect(),
        Err(_) => vec![false; StudyProtocol::ALL.len()],
    };
    let tr = trajectories(s).unwrap_or_default();
    let eu_options = tr
        .iter()
        .map(|t| {
            let option = s.space.issue_index(&t.issue).and_then(|k| {
                let issue = &s.space.issues()[k];
                // the forecast is in the issue's units; its options sit on the scale
                let x = t.forecast.last().map(|&x| issue.units().map_or(x, |u| u.to_scale(x)))?;
                issue.nearest_to_scale(x).and_then(|i| issue.value_at(i)).map(|v| issue.format_value(&v))
            });
            (t.issue.clone(), option)
        })
        .collect();
    Snapshot {
        zone_size: analysis.as_ref().map(|a| a.zone_count),
        nash,
        agreed,
        eu_rounds: tr.into_iter().map(|t| t.forecast).collect(),
        eu_options,
    }
}

/// A probability estimated from runs, with its 95 % Wilson interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Probability {
    /// Share of runs.
    pub p: f64,
    /// Lower end of the 95 % interval.
    pub lo: f64,
    /// Upper end.
    pub hi: f64,
}

impl Probability {
    /// `hits` of `n` runs.
    pub fn of(hits: usize, n: usize) -> Self {
        if n == 0 {
            return Probability { p: f64::NAN, lo: 0.0, hi: 1.0 };
        }
        let (n, p) = (n as f64, hits as f64 / n as f64);
        let z = 1.959_963_984_540_054_f64;
        let d = 1.0 + z * z / n;
        let c = (p + z * z / (2.0 * n)) / d;
        let h = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt() / d;
        // The interval holds the share itself (at 0 or n hits, rounding could leave it a hair outside).
        Probability { p, lo: (c - h).clamp(0.0, p), hi: (c + h).clamp(p, 1.0) }
    }
}

/// How often each option came out on one issue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptionShares {
    /// Issue id.
    pub issue: String,
    /// The option with the stated inputs.
    pub stated: Option<String>,
    /// `(option, share of runs)`, most frequent first; options never seen are left out.
    pub shares: Vec<(String, f64)>,
}

/// One protocol's chance of a deal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProtocolChance {
    /// The protocol.
    pub protocol: StudyProtocol,
    /// Did it reach a deal with the stated inputs?
    pub stated: bool,
    /// Share of runs with a deal.
    pub deal: Probability,
}

/// One row of the one-at-a-time sensitivity table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sensitivity {
    /// The input moved.
    pub input: String,
    /// Its low end.
    pub low: f64,
    /// Its high end.
    pub high: f64,
    /// The zone's size at the low end, with the stated value, at the high end.
    pub zone_size: [Option<u64>; 3],
    /// The findings that change at either end, in words.
    pub changes: Vec<String>,
}

/// The robustness section.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Robustness {
    /// The case sampled (`base`, or the variant studied alone).
    pub case: String,
    /// Runs.
    pub runs: usize,
    /// Seed.
    pub seed: u64,
    /// The inputs sampled.
    pub inputs: Vec<UncertainInput>,
    /// Probability that a deal beats walking away for every required party.
    pub zone: Probability,
    /// The zone's size over the runs: `[p5, p50, p95]`.
    pub zone_size: Option<[f64; 3]>,
    /// The Nash deal's options, per issue.
    pub nash: Vec<OptionShares>,
    /// The probability that the Nash deal is the stated one on every issue.
    pub nash_unchanged: Probability,
    /// Each protocol's chance of a deal.
    pub protocols: Vec<ProtocolChance>,
    /// The expected-utility forecast's nearest option, per issue.
    pub forecast: Vec<OptionShares>,
    /// Per trajectory issue: `[p5, p25, p50, p75, p95]` of the forecast after each round.
    pub forecast_bands: Vec<(String, Vec<[f64; 5]>)>,
    /// One-at-a-time sensitivity, rows that change a finding first, then by zone swing.
    pub sensitivity: Vec<Sensitivity>,
}

fn shares(issues: &[String], stated: Option<&Vec<String>>, runs: &[Option<Vec<String>>]) -> Vec<OptionShares> {
    let n = runs.len().max(1) as f64;
    issues
        .iter()
        .enumerate()
        .map(|(k, issue)| {
            let mut counts: Vec<(String, usize)> = Vec::new();
            for r in runs.iter().flatten() {
                let v = &r[k];
                match counts.iter_mut().find(|(o, _)| o == v) {
                    Some(c) => c.1 += 1,
                    None => counts.push((v.clone(), 1)),
                }
            }
            counts.sort_by_key(|c| std::cmp::Reverse(c.1));
            OptionShares {
                issue: issue.clone(),
                stated: stated.map(|s| s[k].clone()),
                shares: counts.into_iter().map(|(o, c)| (o, c as f64 / n)).collect(),
            }
        })
        .collect()
}

/// Compares two snapshots and says what changed, in words.
fn changes(s: &Scenario, base: &Snapshot, other: &Snapshot, at: &str) -> Vec<String> {
    let mut out = Vec::new();
    if base.zone_exists() != other.zone_exists() {
        out.push(match other.zone_exists() {
            Some(true) => format!("{at}: a deal beats walking away"),
            _ => format!("{at}: no deal beats walking away for every required party"),
        });
    }
    if let (Some(a), Some(b)) = (&base.nash, &other.nash) {
        let diff: Vec<String> =
            s.space.issues().iter().zip(a.iter().zip(b)).filter(|(_, (x, y))| x != y).map(|(i, (_, y))| format!("{} {y}", i.id)).collect();
        if !diff.is_empty() {
            out.push(format!("{at}: Nash deal takes {}", diff.join(", ")));
        }
    }
    for (k, proto) in StudyProtocol::ALL.iter().enumerate() {
        if base.agreed.get(k) != other.agreed.get(k) {
            let verb = if other.agreed.get(k) == Some(&true) { "reaches a deal" } else { "ends without a deal" };
            out.push(format!("{at}: {} {verb}", proto.label()));
        }
    }
    let eu: Vec<String> = base
        .eu_options
        .iter()
        .zip(&other.eu_options)
        .filter(|(a, b)| a != b)
        .map(|(_, (issue, b))| format!("{issue} {}", b.as_deref().unwrap_or("none")))
        .collect();
    if !eu.is_empty() {
        out.push(format!("{at}: EU forecast moves to {}", eu.join(", ")));
    }
    out
}

/// The robustness of the findings on `s` over `runs` draws of its stated spreads.
pub(crate) fn robustness(case: &str, s: &Scenario, runs: usize, seed: u64) -> Robustness {
    let inputs = uncertain_inputs(s);
    let origin = Origin { scenario: s, prepared: prepare(s).ok() };
    let stated = snapshot(s, &origin, seed);
    let snaps: Vec<Snapshot> = (0..runs)
        .into_par_iter()
        .map(|k| {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            rng.set_stream(k as u64);
            let mut x = s.clone().into_draft();
            for input in &inputs {
                let v = draw(Some(input.raw), input.value, input.bounds.0, input.bounds.1, &mut rng);
                set_input(&mut x, input, v);
            }
            x.validate().map_or_else(|_| Snapshot::invalid(), |x| snapshot(&x, &origin, seed))
        })
        .collect();
    let issues: Vec<String> = s.space.issues().iter().map(|i| i.id.clone()).collect();
    let zone_hits = snaps.iter().filter(|x| x.zone_exists() == Some(true)).count();
    let mut sizes: Vec<f64> = snaps.iter().filter_map(|x| x.zone_size.map(|c| c as f64)).collect();
    sizes.sort_by(f64::total_cmp);
    let nash_runs: Vec<Option<Vec<String>>> = snaps.iter().map(|x| x.nash.clone()).collect();
    // The stated run already holds the trajectory issues and their rounds.
    let traj_issues: Vec<String> = stated.eu_options.iter().map(|(issue, _)| issue.clone()).collect();
    let options = |x: &Snapshot| x.eu_options.iter().map(|(_, o)| o.clone()).collect::<Option<Vec<String>>>();
    let eu_runs: Vec<Option<Vec<String>>> = snaps.iter().map(options).collect();
    let eu_stated = options(&stated);
    let forecast_bands = traj_issues
        .iter()
        .enumerate()
        .map(|(k, issue)| {
            let rounds = stated.eu_rounds.get(k).map_or(0, Vec::len);
            let bands = (0..rounds)
                .map(|t| {
                    let mut v: Vec<f64> =
                        snaps.iter().filter_map(|x| x.eu_rounds.get(k).and_then(|r| r.get(t)).copied()).filter(|x| x.is_finite()).collect();
                    v.sort_by(f64::total_cmp);
                    [0.05, 0.25, 0.5, 0.75, 0.95].map(|p| quantile_sorted(&v, p))
                })
                .collect();
            (issue.clone(), bands)
        })
        .collect();
    let sensitivity = sensitivity(&origin, &inputs, &stated, seed);
    Robustness {
        case: case.to_string(),
        runs,
        seed,
        zone: Probability::of(zone_hits, runs),
        zone_size: (!sizes.is_empty()).then(|| [0.05, 0.5, 0.95].map(|p| quantile_sorted(&sizes, p))),
        nash: shares(&issues, stated.nash.as_ref(), &nash_runs),
        nash_unchanged: Probability::of(snaps.iter().filter(|x| x.nash.is_some() && x.nash == stated.nash).count(), runs),
        protocols: StudyProtocol::ALL
            .iter()
            .enumerate()
            .map(|(k, &protocol)| ProtocolChance {
                protocol,
                stated: stated.agreed[k],
                deal: Probability::of(snaps.iter().filter(|x| x.agreed[k]).count(), runs),
            })
            .collect(),
        forecast: shares(&traj_issues, eu_stated.as_ref(), &eu_runs),
        forecast_bands,
        sensitivity,
        inputs,
    }
}

/// One-at-a-time: each input at both ends of its range, the others as stated.
fn sensitivity(origin: &Origin<'_>, inputs: &[UncertainInput], stated: &Snapshot, seed: u64) -> Vec<Sensitivity> {
    let s = origin.scenario;
    let mut rows: Vec<Sensitivity> = inputs
        .par_iter()
        .map(|input| {
            let at = |x: f64| {
                let mut v = s.clone().into_draft();
                set_input(&mut v, input, x);
                v.validate().map_or_else(|_| Snapshot::invalid(), |v| snapshot(&v, origin, seed))
            };
            let (lo, hi) = (input.spread.lo, input.spread.hi);
            let (a, b) = (at(lo), at(hi));
            let fmt = |x: f64| if input.kind == InputKind::Salience { format!("{x:.2}") } else { format!("{x:.0}") };
            let mut ch = changes(s, stated, &a, &format!("at {}", fmt(lo)));
            ch.extend(changes(s, stated, &b, &format!("at {}", fmt(hi))));
            Sensitivity {
                input: input.label.clone(),
                low: lo,
                high: hi,
                zone_size: [a.zone_size, stated.zone_size, b.zone_size],
                changes: ch,
            }
        })
        .collect();
    let swing = |r: &Sensitivity| match r.zone_size {
        [Some(a), _, Some(b)] => a.abs_diff(b),
        _ => 0,
    };
    rows.sort_by(|a, b| b.changes.len().min(1).cmp(&a.changes.len().min(1)).then(swing(b).cmp(&swing(a))));
    rows
}
