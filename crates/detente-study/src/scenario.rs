//! The scenario as the study presents it: issues, actors, positions with their stated spreads,
//! and each case (the base and every what-if) with what it changes, in words.

use crate::simulation::{RuleIgnored, StudyProtocol};
use detente_core::{format_real, Actor, Issue, IssueKind, MediatorRule, Patch, Reservation, Scenario, Spread, Utility};
use serde::Serialize;

/// One source the scenario cites.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceSummary {
    /// Short id used in citations.
    pub id: String,
    /// Title.
    pub title: Option<String>,
    /// Path or address.
    pub location: Option<String>,
    /// Free text.
    pub note: Option<String>,
}

/// One value an issue can take, with its place on the 0–100 scale where it has one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValueSummary {
    /// The value as people and files name it.
    pub label: String,
    /// Its position on the issue's 0–100 scale.
    pub scale: Option<f64>,
}

/// An issue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IssueSummary {
    /// Id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// `categorical`, `ordinal`, `integer` or `real`.
    pub kind: &'static str,
    /// The values (every value of a finite issue up to 50; the ends of a continuous one).
    pub values: Vec<ValueSummary>,
    /// Number of values (`None`: continuous).
    pub cardinality: Option<u64>,
    /// Description, with its sources, as the scenario states it.
    pub description: Option<String>,
    /// The map from the issue's units (positions and forecasts are reported in) to its 0–100
    /// scale (where plots place them); `None` for categorical issues.
    #[serde(skip)]
    pub units: Option<detente_core::Units>,
}

impl IssueSummary {
    /// A position or forecast in the issue's units, on its 0–100 scale (categorical issues: as is).
    pub fn to_scale(&self, x: f64) -> f64 {
        self.units.map_or(x, |u| u.to_scale(x))
    }

    /// A forecast in the issue's units, for tables (to a tenth of a point of the scale).
    pub fn format_forecast(&self, x: f64) -> String {
        self.units.unwrap_or(detente_core::Units::IDENTITY).format_forecast(x)
    }

    /// A position or forecast in the issue's units, for people (to about a point of the scale).
    pub fn format_position(&self, x: f64) -> String {
        self.units.unwrap_or(detente_core::Units::IDENTITY).format(x)
    }
}

/// A stated spread around an input, for people: `[lo, hi]` with its shape.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpreadSummary {
    /// `uniform`, `triangular` or `normal`.
    pub shape: &'static str,
    /// Lower end (normal: two standard deviations below the value, clipped).
    pub lo: f64,
    /// Upper end (normal: two standard deviations above, clipped).
    pub hi: f64,
}

impl SpreadSummary {
    /// The summary of `spread` around `value`, within `[min, max]`.
    pub fn of(spread: Spread, value: f64, min: f64, max: f64) -> Self {
        match spread {
            Spread::Uniform { lo, hi } => SpreadSummary { shape: "uniform", lo, hi },
            Spread::Triangular { lo, hi, .. } => SpreadSummary { shape: "triangular", lo, hi },
            Spread::Normal { sd } => SpreadSummary { shape: "normal", lo: (value - 2.0 * sd).max(min), hi: (value + 2.0 * sd).min(max) },
        }
    }
}

/// An actor's stance on one issue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PositionSummary {
    /// Issue id.
    pub issue: String,
    /// Ideal point in the issue's units (integer and real issues; the 0–100 scale on ordinal
    /// issues; categorical: the preferred option's index).
    pub ideal: f64,
    /// The ideal point on the issue's 0–100 scale (equal to `ideal` but on integer and real issues).
    pub ideal_scale: f64,
    /// Salience in [0, 1].
    pub salience: f64,
    /// Stated spread of the ideal point.
    pub ideal_spread: Option<SpreadSummary>,
    /// Stated spread of the salience.
    pub salience_spread: Option<SpreadSummary>,
}

/// An actor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActorSummary {
    /// Id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// `party`, `mediator` or `observer`.
    pub role: &'static str,
    /// Whether an agreement needs its acceptance.
    pub required: bool,
    /// Capability (power) for the spatial forecasts.
    pub capability: f64,
    /// Stated spread of the capability.
    pub capability_spread: Option<SpreadSummary>,
    /// Walk-away value.
    pub reservation: f64,
    /// Its discount in words (`0.98 per round`, `0.9 per unit of normalised time`), when it
    /// has one: negotiated utilities are discounted at the moment the negotiation ends.
    pub discount: Option<String>,
    /// Default negotiation strategy.
    pub strategy: Option<String>,
    /// `spatial`, `linear_additive` or `table`.
    pub preferences: &'static str,
    /// Positions (spatial preferences only), in issue order; issues it takes no position on are left out.
    pub positions: Vec<PositionSummary>,
    /// Description, with its sources.
    pub description: Option<String>,
}

/// The scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioSummary {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// How the file was read (`genius`, `negmas`) when its format has two readings (a GENIUS
    /// folder); `null` for formats with one.
    pub read_with: Option<&'static str>,
    /// What is assumed.
    pub assumptions: Option<String>,
    /// Sources.
    pub sources: Vec<SourceSummary>,
    /// Issues.
    pub issues: Vec<IssueSummary>,
    /// Actors.
    pub actors: Vec<ActorSummary>,
    /// Number of possible outcomes, as text (exact, or a power of ten beyond u128).
    pub outcomes: String,
    /// The mediating actor, if any.
    pub mediator: Option<String>,
    /// The mediator's rule, if stated.
    pub mediator_rule: Option<&'static str>,
    /// Default deadline in rounds.
    pub rounds: Option<u32>,
    /// How many inputs carry a stated spread (what the robustness section samples).
    pub spreads: usize,
}

/// One case the study looks at: the base scenario or a variant of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseSummary {
    /// `base` or the variant id.
    pub id: String,
    /// The variant's title (the base: the scenario's).
    pub title: Option<String>,
    /// The variant's description (with its sources).
    pub description: Option<String>,
    /// What the variant changes, one sentence per patch (empty for the base).
    pub changes: Vec<String>,
    /// Which actors must accept a deal.
    pub must_agree: Vec<String>,
    /// The variant's changes that some lens does not read, or that restate the base: no change
    /// goes unread without a word (empty for the base, and when every lens reads every change).
    pub unread: Vec<UnreadChange>,
}

/// A change of a variant that some lens of the study does not read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnreadChange {
    /// The change in words.
    pub change: String,
    /// It restates what the base scenario already says, so it changes nothing anywhere.
    pub restates_base: bool,
    /// The lenses that do not read it (`the analysis`, `the forecasts`, protocol labels), when
    /// it changes something.
    pub ignored_by: Vec<String>,
    /// Why, in words (`the single-text protocols do not read opening concessions`).
    pub why: String,
    /// The kind of input it changes.
    #[serde(skip)]
    pub input: detente_core::Input,
}

/// Each change of variant `id`, in order: the patch, the change in words, whether it changes
/// anything (see [`Scenario::patch_changes`]) and the mediator rule in force before it.
fn variant_changes<'a>(base: &'a Scenario, id: &str) -> Vec<(&'a Patch, String, bool, MediatorRule)> {
    let (Ok(variant), Ok(changes)) = (base.variant(id), base.patch_changes(id)) else { return Vec::new() };
    variant
        .patches
        .iter()
        .zip(changes)
        .map(|(patch, (changes, rule))| {
            (patch, describe_patch(base, patch), changes, rule.unwrap_or_else(|| detente_agents::default_mediator_rule(base)))
        })
        .collect()
}

/// The changes of variant `id` that one lens does not see, in words with the reason: those that
/// restate the base, and those `reads(patch, rule before it)` says the lens does not read.
/// `lens` names the lens in the reason (`the analysis`, `sao`).
pub fn unread_by(base: &Scenario, id: &str, lens: &str, reads: impl Fn(&Patch, MediatorRule) -> bool) -> Vec<String> {
    variant_changes(base, id)
        .into_iter()
        .filter_map(|(patch, change, changes, rule)| {
            if !changes {
                Some(format!("\"{change}\" restates the base scenario"))
            } else if !reads(patch, rule) {
                Some(format!("\"{change}\" has no effect here: {lens} does not read {}", patch.input().describe()))
            } else {
                None
            }
        })
        .collect()
}

/// Every change of variant `id` that the study's lenses (the analysis, the given protocols,
/// the forecasts) do not all read, with who ignores it and why.
pub fn unread_changes(base: &Scenario, id: &str, protocols: &[StudyProtocol]) -> Vec<UnreadChange> {
    let mut out = Vec::new();
    for (patch, change, changes, rule_before) in variant_changes(base, id) {
        let input = patch.input();
        if !changes {
            out.push(UnreadChange {
                change,
                restates_base: true,
                ignored_by: Vec::new(),
                why: "it restates the base scenario".into(),
                input,
            });
            continue;
        }
        let mut ignored_by: Vec<String> = Vec::new();
        if !detente_analysis::reads(input) {
            ignored_by.push("the analysis".into());
        }
        ignored_by.extend(protocols.iter().filter(|p| !p.reads(base, patch, rule_before)).map(|p| p.label().to_string()));
        if !detente_forecast::reads(input) {
            ignored_by.push("the forecasts".into());
        }
        if ignored_by.is_empty() {
            continue;
        }
        let why = match patch {
            Patch::MediatorRule(to) => rule_change_why(base, &ignored_by, protocols, rule_before, *to),
            _ => format!("{} do not read {}", crate::findings::list(&ignored_by), input.describe()),
        };
        out.push(UnreadChange { change, restates_base: false, ignored_by, why, input });
    }
    out
}

/// Why the lenses in `ignored_by` ignore a change of the mediator's rule, grouped by reason:
/// "by the analysis, joint table and the forecasts (no mediator) or the single-text runs (their
/// own rule)".
fn rule_change_why(base: &Scenario, ignored_by: &[String], protocols: &[StudyProtocol], from: MediatorRule, to: MediatorRule) -> String {
    let reason = |p: &StudyProtocol| p.ignores_rule_change(base, from, to);
    let labels = |r: RuleIgnored| protocols.iter().filter(move |p| reason(p) == Some(r)).map(|p| p.label().to_string());
    // the analysis and the forecasts have no mediator either; keep the order lenses are listed in
    let has = |l: &str| ignored_by.iter().any(|x| x == l);
    let no_mediator: Vec<String> = has("the analysis")
        .then(|| "the analysis".to_string())
        .into_iter()
        .chain(labels(RuleIgnored::NoMediator))
        .chain(has("the forecasts").then(|| "the forecasts".to_string()))
        .collect();
    let own: Vec<String> = labels(RuleIgnored::OwnRule).collect();
    let alike: Vec<String> = labels(RuleIgnored::Alike).collect();
    let mut why = Vec::new();
    if !no_mediator.is_empty() {
        why.push(format!("{} (no mediator)", crate::findings::list(&no_mediator)));
    }
    match own.len() {
        0 => {}
        1 => why.push(format!("{} (its own rule)", own[0])),
        _ => why.push("the single-text runs (their own rule)".to_string()),
    }
    for l in alike {
        why.push(format!("{l} (it treats the {} and {} rules alike)", from.as_str(), to.as_str()));
    }
    format!("by {}", why.join(" or "))
}

/// The values of an issue for people: at most 50 (then the ends).
fn issue_values(issue: &Issue) -> Vec<ValueSummary> {
    match &issue.kind {
        IssueKind::Categorical { options } | IssueKind::Ordinal { options } => {
            options.iter().map(|o| ValueSummary { label: o.id.clone(), scale: o.scale }).collect()
        }
        _ => {
            let n = issue.cardinality().unwrap_or(0);
            let idx: Vec<u32> = if n == 0 {
                Vec::new()
            } else if n <= 50 {
                (0..n as u32).collect()
            } else {
                vec![0, (n - 1) as u32]
            };
            let mut out: Vec<ValueSummary> = idx
                .into_iter()
                .filter_map(|i| issue.value_at(i))
                .map(|v| ValueSummary { label: issue.format_value(&v), scale: issue.scale_of(&v) })
                .collect();
            if let (IssueKind::Real { min, max, scale, .. }, true) = (&issue.kind, out.is_empty()) {
                out = vec![
                    ValueSummary { label: format_real(*min), scale: Some(scale.0) },
                    ValueSummary { label: format_real(*max), scale: Some(scale.1) },
                ];
            }
            out
        }
    }
}

fn preferences_kind(a: &Actor) -> &'static str {
    match a.preferences.utility {
        Utility::LinearAdditive(_) => "linear_additive",
        Utility::Spatial(_) => "spatial",
        Utility::Table(_) => "table",
    }
}

fn actor_summary(s: &Scenario, a: &Actor) -> ActorSummary {
    let positions = match &a.preferences.utility {
        Utility::Spatial(sp) => s
            .space
            .issues()
            .iter()
            .zip(&sp.positions)
            .filter_map(|(issue, p)| {
                let p = p.as_ref()?;
                Some(PositionSummary {
                    issue: issue.id.clone(),
                    ideal: p.ideal,
                    ideal_scale: issue.units().map_or(p.ideal, |u| u.to_scale(p.ideal)),
                    salience: p.salience,
                    ideal_spread: p.ideal_spread.map(|sp| {
                        let (lo, hi) = issue.position_range();
                        SpreadSummary::of(sp, p.ideal, lo, hi)
                    }),
                    salience_spread: p.salience_spread.map(|sp| SpreadSummary::of(sp, p.salience, 0.0, 1.0)),
                })
            })
            .collect(),
        _ => Vec::new(),
    };
    ActorSummary {
        id: a.id.clone(),
        name: a.name.clone().unwrap_or_else(|| a.id.clone()),
        role: a.role.as_str(),
        required: a.required,
        capability: a.capability,
        capability_spread: a.capability_spread.map(|sp| SpreadSummary::of(sp, a.capability, 0.0, f64::INFINITY)),
        reservation: a.preferences.reservation_value(&s.space),
        discount: match a.preferences.discount {
            detente_core::Discount::None => None,
            detente_core::Discount::PerRound { factor } => Some(format!("{factor} per round")),
            detente_core::Discount::Time { factor } => Some(format!("{factor} per unit of normalised time")),
        },
        strategy: a.strategy.as_ref().map(ToString::to_string),
        preferences: preferences_kind(a),
        positions,
        description: a.description.clone(),
    }
}

/// The mediating actor: the one named in `[protocol] mediator`, else the one with role mediator.
pub fn mediator(s: &Scenario) -> Option<&Actor> {
    s.mediator().map(|i| &s.actors[i])
}

/// The scenario summary.
pub fn summarise(s: &Scenario) -> ScenarioSummary {
    ScenarioSummary {
        id: s.meta.id.clone(),
        title: s.meta.title.clone(),
        description: s.meta.description.clone(),
        read_with: s.meta.read_with.map(detente_core::Semantics::as_str),
        assumptions: s.meta.assumptions.clone(),
        sources: s
            .meta
            .sources
            .iter()
            .map(|x| SourceSummary { id: x.id.clone(), title: x.title.clone(), location: x.location.clone(), note: x.note.clone() })
            .collect(),
        issues: s
            .space
            .issues()
            .iter()
            .map(|i| IssueSummary {
                id: i.id.clone(),
                name: i.display().to_string(),
                kind: i.kind_name(),
                values: issue_values(i),
                cardinality: i.cardinality(),
                description: i.description.clone(),
                units: i.units(),
            })
            .collect(),
        actors: s.actors.iter().map(|a| actor_summary(s, a)).collect(),
        outcomes: s.space.cardinality().to_string(),
        mediator: mediator(s).map(|a| a.id.clone()),
        mediator_rule: s.protocol.mediator_rule.map(|r| r.as_str()),
        rounds: s.protocol.rounds,
        spreads: s.spread_count(),
    }
}

/// Who must accept a deal.
pub fn must_agree(s: &Scenario) -> Vec<String> {
    s.required_actors().map(|(_, a)| a.id.clone()).collect()
}

/// Says in words what a patch changes.
pub fn describe_patch(base: &Scenario, p: &Patch) -> String {
    let issue_value = |issue: &str, v: &detente_core::Value| {
        base.space.issue_index(issue).map_or_else(|| format!("{v:?}"), |k| base.space.issues()[k].format_value(v))
    };
    match p {
        Patch::Role { actor, role } => format!("{actor} becomes a {}", role.as_str()),
        Patch::Required { actor, required: true } => format!("{actor}'s acceptance becomes required"),
        Patch::Required { actor, required: false } => format!("{actor}'s acceptance is no longer required"),
        Patch::Reservation { actor, reservation } => match reservation {
            Reservation::None => format!("{actor} states no reservation"),
            Reservation::Value(v) => format!("{actor}'s walk-away value becomes {v}"),
            Reservation::Outcome(o) => format!("{actor}'s walk-away becomes the outcome {}", base.space.format(o)),
        },
        Patch::Position { actor, issue, ideal, salience } => {
            let mut parts = Vec::new();
            if let Some(x) = ideal {
                parts.push(format!("ideal point {x}"));
            }
            if let Some(s) = salience {
                parts.push(format!("salience {s}"));
            }
            format!("{actor} on {issue}: {}", parts.join(", "))
        }
        Patch::Capability { actor, capability } => format!("{actor}'s capability becomes {capability}"),
        Patch::Strategy { actor, strategy } => format!("{actor} negotiates with strategy {strategy}"),
        Patch::MediatorRule(r) => format!("the mediator follows the {} rule", r.as_str()),
        Patch::Opening(o) => format!("{} opens by conceding {} = {}", o.actor, o.issue, issue_value(&o.issue, &o.value)),
        Patch::RedLines { actor, red_lines } if red_lines.is_empty() => format!("{actor} drops its red lines"),
        Patch::RedLines { actor, red_lines } => format!(
            "{actor}'s red lines become: never {}",
            red_lines.iter().map(|l| l.describe(&base.space)).collect::<Vec<_>>().join("; never ")
        ),
        Patch::ExcludeOptions { issue, options } => format!("{issue} loses the option(s) {}", options.join(", ")),
    }
}
