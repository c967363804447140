//! The manifest (`tournament.json`): what tournament a directory holds, which share of it, and
//! whether it is complete.

use super::{ShardError, StoreError};
use crate::Plan;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::Path;
use std::str::FromStr;

/// The manifest format this version writes and reads.
pub const MANIFEST_SCHEMA: u32 = 1;

/// One shard of several: `k/N`, the `k`-th (1-based) of `N` ([`super::shard_ranges`] says
/// which negotiations it runs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Shard {
    /// `k`, 1 to `count`.
    pub index: u32,
    /// `N`, at least 1.
    pub count: u32,
}

impl Shard {
    /// Shard `index` of `count`, checked.
    pub fn new(index: u32, count: u32) -> Result<Shard, ShardError> {
        if count == 0 {
            return Err(ShardError::NoShards(format!("{index}/{count}")));
        }
        if index == 0 || index > count {
            return Err(ShardError::OutOfRange { index, count });
        }
        Ok(Shard { index, count })
    }
}

impl FromStr for Shard {
    type Err = ShardError;

    fn from_str(s: &str) -> Result<Shard, ShardError> {
        let syntax = || ShardError::Syntax(s.to_string());
        let (k, n) = s.split_once('/').ok_or_else(syntax)?;
        let number = |t: &str| {
            let t = t.trim();
            if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
                return Err(syntax());
            }
            t.parse::<u32>().map_err(|_| syntax())
        };
        let (index, count) = (number(k)?, number(n)?);
        if count == 0 {
            return Err(ShardError::NoShards(s.to_string()));
        }
        Shard::new(index, count)
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// Where a scenario of a tournament came from, as the caller knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioSource {
    /// The path as given (not resolved: a moved directory still resumes).
    pub source: String,
    /// The caller's digest of the scenario's content, so that an edited scenario is a
    /// different tournament.
    pub fingerprint: String,
}

/// A scenario of a [`Definition`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioDefinition {
    /// Scenario id.
    pub id: String,
    /// [`ScenarioSource::source`].
    pub source: String,
    /// [`ScenarioSource::fingerprint`].
    pub fingerprint: String,
}

/// What a tournament is, as far as its results depend on it: two runs with equal definitions
/// produce the same rows, so a directory with an equal definition can be resumed and shards
/// with equal definitions merged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Definition {
    /// The negotiators' canonical spec texts ([`Plan::negotiator_names`]).
    pub negotiators: Vec<String>,
    /// The scenarios, in order.
    pub scenarios: Vec<ScenarioDefinition>,
    /// The protocol, when one is imposed on every scenario.
    pub protocol: Option<String>,
    /// The deadline, when one is imposed.
    pub rounds: Option<u32>,
    /// Repetitions of each seating.
    pub repetitions: u32,
    /// The tournament seed.
    pub seed: u64,
    /// Whether a negotiator is seated against itself.
    pub self_play: bool,
    /// Whether each seating is run once per opener.
    pub rotate: bool,
    /// The per-negotiation wall-clock limit in seconds, if any.
    pub time_limit: Option<f64>,
    /// Seat column groups ([`Plan::max_parties`]).
    pub max_parties: u64,
    /// Negotiations ([`Plan::len`]).
    pub total: u64,
}

impl Definition {
    /// The definition of `plan`, with where each of its scenarios came from (one source per
    /// scenario, in order).
    pub fn new(plan: &Plan, sources: Vec<ScenarioSource>) -> Result<Self, StoreError> {
        let t = plan.tournament();
        if sources.len() != t.scenarios.len() {
            return Err(StoreError::Sources { expected: t.scenarios.len(), got: sources.len() });
        }
        Ok(Definition {
            negotiators: plan.negotiator_names().to_vec(),
            scenarios: t
                .scenarios
                .iter()
                .zip(sources)
                .map(|(p, s)| ScenarioDefinition { id: p.id().to_string(), source: s.source, fingerprint: s.fingerprint })
                .collect(),
            protocol: t.protocol.map(|p| p.as_str().to_string()),
            rounds: t.rounds,
            repetitions: t.repetitions,
            seed: t.seed,
            self_play: t.self_play,
            rotate: t.rotate,
            time_limit: t.time_limit,
            max_parties: plan.max_parties() as u64,
            total: plan.len(),
        })
    }

    /// The first field in which `self` does not describe `plan` (sources aside).
    pub(crate) fn check(&self, plan: &Plan) -> Result<(), StoreError> {
        let sources =
            self.scenarios.iter().map(|s| ScenarioSource { source: s.source.clone(), fingerprint: s.fingerprint.clone() }).collect();
        let own = match Definition::new(plan, sources) {
            Ok(own) => own,
            Err(_) => return Err(StoreError::NotThePlan { what: "scenarios" }),
        };
        let what = if own.negotiators != self.negotiators {
            "negotiators"
        } else if own.scenarios != self.scenarios {
            "scenarios"
        } else if own.protocol != self.protocol {
            "protocol"
        } else if own.rounds != self.rounds {
            "rounds"
        } else if own.repetitions != self.repetitions {
            "repetitions"
        } else if own.seed != self.seed {
            "seed"
        } else if own.self_play != self.self_play {
            "self_play"
        } else if own.rotate != self.rotate {
            "rotate"
        } else if own.time_limit != self.time_limit {
            "time_limit"
        } else if own.max_parties != self.max_parties {
            "max_parties"
        } else if own.total != self.total {
            "total"
        } else {
            return Ok(());
        };
        Err(StoreError::NotThePlan { what })
    }
}

/// The contents of `tournament.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// The manifest format ([`MANIFEST_SCHEMA`]).
    pub schema: u32,
    /// The version of detente-tournament that wrote it.
    pub detente: String,
    /// The tournament.
    pub definition: Definition,
    /// The share of it this directory holds; `None`: all of it.
    pub shard: Option<Shard>,
    /// Negotiations in the whole tournament.
    pub total: u64,
    /// Whether the final files are written.
    pub complete: bool,
}

impl Manifest {
    pub(crate) fn new(definition: &Definition, shard: Option<Shard>, complete: bool) -> Manifest {
        Manifest {
            schema: MANIFEST_SCHEMA,
            detente: env!("CARGO_PKG_VERSION").to_string(),
            definition: definition.clone(),
            shard,
            total: definition.total,
            complete,
        }
    }

    pub(crate) fn to_bytes(&self, path: &Path) -> Result<Vec<u8>, StoreError> {
        let mut bytes = serde_json::to_vec_pretty(self).map_err(|source| StoreError::Manifest { path: path.to_path_buf(), source })?;
        bytes.push(b'\n');
        Ok(bytes)
    }

    pub(crate) fn read(path: &Path) -> Result<Manifest, StoreError> {
        let bytes = std::fs::read(path).map_err(StoreError::io(path))?;
        #[derive(Deserialize)]
        struct Version {
            schema: u32,
        }
        let version: Version =
            serde_json::from_slice(&bytes).map_err(|source| StoreError::Manifest { path: path.to_path_buf(), source })?;
        if version.schema != MANIFEST_SCHEMA {
            return Err(StoreError::Schema { path: path.to_path_buf(), found: version.schema, expected: MANIFEST_SCHEMA });
        }
        serde_json::from_slice(&bytes).map_err(|source| StoreError::Manifest { path: path.to_path_buf(), source })
    }
}
