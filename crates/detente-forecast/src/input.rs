//! Model inputs: plain per-issue tables of (position, salience, capability), independent of
//! scenarios so that published test vectors feed the models directly, and the bridge from a
//! [`Scenario`] with spatial preferences.

use detente_core::select::argmin;
use detente_core::{IssueKind, Role, SalienceConvention, Scenario, Units, Utility};

use crate::error::ForecastError;

/// One actor's stance on one issue, as every spatial model reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct SpatialActor {
    /// Display name or id.
    pub name: String,
    /// Position on the issue continuum (within the issue's scale).
    pub position: f64,
    /// Salience in [0, 1]: the share of attention the actor gives the issue (BDM: also the
    /// probability that it resists a challenge).
    pub salience: f64,
    /// Capability (clout, power), ≥ 0; only ratios matter.
    pub capability: f64,
}

impl SpatialActor {
    /// A new actor row.
    pub fn new(name: impl Into<String>, position: f64, salience: f64, capability: f64) -> Self {
        SpatialActor { name: name.into(), position, salience, capability }
    }

    /// Exercised power `c·s`, the weight of the baselines and of BDM's votes.
    pub fn weight(&self) -> f64 {
        self.capability * self.salience
    }
}

/// One issue's actors: the input of every one-dimensional model.
#[derive(Debug, Clone, PartialEq)]
pub struct IssueInput {
    /// Issue id (for messages).
    pub issue: String,
    /// The scale's ends `(lo, hi)`; positions must lie within. Scenarios use `(0, 100)`; the BDM
    /// 1994 vector uses years `(4, 10)`.
    pub scale: (f64, f64),
    /// The actors, in a fixed order (ties in every model are broken by this order's index).
    pub actors: Vec<SpatialActor>,
}

impl IssueInput {
    /// An issue on the 0–100 scale.
    pub fn new(issue: impl Into<String>, actors: Vec<SpatialActor>) -> Self {
        IssueInput { issue: issue.into(), scale: (0.0, 100.0), actors }
    }

    /// Checks: at least one actor, positions finite and within the scale, salience in [0, 1],
    /// capability finite and ≥ 0, and some actor with `c·s > 0`.
    pub fn validate(&self) -> Result<(), ForecastError> {
        if self.actors.is_empty() {
            return Err(ForecastError::NoActors { issue: self.issue.clone() });
        }
        let (lo, hi) = self.scale;
        for a in &self.actors {
            if !a.position.is_finite() || a.position < lo || a.position > hi {
                return Err(ForecastError::PositionOutOfRange {
                    actor: a.name.clone(),
                    issue: self.issue.clone(),
                    position: a.position,
                    lo,
                    hi,
                });
            }
            if !(0.0..=1.0).contains(&a.salience) {
                return Err(ForecastError::SalienceOutOfRange { actor: a.name.clone(), issue: self.issue.clone(), salience: a.salience });
            }
            if !a.capability.is_finite() || a.capability < 0.0 {
                return Err(ForecastError::BadCapability { actor: a.name.clone(), capability: a.capability });
            }
        }
        if !self.actors.iter().any(|a| a.weight() > 0.0) {
            return Err(ForecastError::NoPower { issue: self.issue.clone() });
        }
        Ok(())
    }

    /// Positions in actor order.
    pub fn positions(&self) -> Vec<f64> {
        self.actors.iter().map(|a| a.position).collect()
    }

    /// Exercised powers `c·s` in actor order.
    pub fn weights(&self) -> Vec<f64> {
        self.actors.iter().map(SpatialActor::weight).collect()
    }
}

/// Integer issues with at most this many values report the nearest value as an option.
pub const MAX_INTEGER_OPTIONS: u64 = 101;

/// What kind of values an issue of a forecast table takes, for reporting the nearest option.
#[derive(Debug, Clone, PartialEq)]
pub enum IssueShape {
    /// A continuum (integer or real issue) on 0–100.
    Continuous,
    /// Ordered options at the given scale positions.
    Ordinal {
        /// Option ids.
        options: Vec<String>,
        /// Their positions on 0–100.
        scale: Vec<f64>,
    },
    /// Unordered options; positions are option indices and forecasts are weighted pluralities.
    Categorical {
        /// Option ids.
        options: Vec<String>,
    },
}

impl IssueShape {
    /// The option ids, if the issue has named options.
    pub fn options(&self) -> Option<&[String]> {
        match self {
            IssueShape::Continuous => None,
            IssueShape::Ordinal { options, .. } | IssueShape::Categorical { options } => Some(options),
        }
    }

    /// The option nearest to a scale position (ties: lowest index; none for a NaN position); for
    /// categorical issues the position is the option index itself.
    pub fn nearest_option(&self, x: f64) -> Option<usize> {
        match self {
            IssueShape::Continuous => None,
            IssueShape::Categorical { options } => {
                let i = x.round();
                (i >= 0.0 && (i as usize) < options.len()).then_some(i as usize)
            }
            IssueShape::Ordinal { scale, .. } => argmin(scale.iter().enumerate().map(|(i, s)| (i, (s - x).abs()))).map(|(i, _)| i),
        }
    }
}

/// One issue of a [`ForecastTable`].
#[derive(Debug, Clone, PartialEq)]
pub struct TableIssue {
    /// Issue id.
    pub id: String,
    /// Option structure.
    pub shape: IssueShape,
    /// The map between the issue's own units and the 0–100 scale the table's positions are on
    /// (identity for ordinal issues and tables built by hand; unused on categorical issues):
    /// forecasts are reported in units ([`crate::IssueForecast::value`]).
    pub units: Units,
}

impl TableIssue {
    /// An issue whose units are the scale itself.
    pub fn new(id: impl Into<String>, shape: IssueShape) -> Self {
        TableIssue { id: id.into(), shape, units: Units::IDENTITY }
    }
}

/// One actor's row of a [`ForecastTable`].
#[derive(Debug, Clone, PartialEq)]
pub struct TableActor {
    /// Actor id.
    pub id: String,
    /// Capability.
    pub capability: f64,
    /// Per issue `(position, salience)`; `None` when the actor takes no position there.
    pub cells: Vec<Option<(f64, f64)>>,
}

/// The actors × issues table every forecast reads, built from a scenario or by hand.
#[derive(Debug, Clone, PartialEq)]
pub struct ForecastTable {
    /// The issues, in scenario order.
    pub issues: Vec<TableIssue>,
    /// The actors that take part (see [`ForecastTable::from_scenario`]).
    pub actors: Vec<TableActor>,
    /// The scenario's actors left out, with the reason (empty for a table built by hand).
    pub left_out: Vec<(String, String)>,
    /// What the saliences mean; only the SMP reads it ([`crate::Model::reads`]).
    pub salience: SalienceConvention,
}

impl ForecastTable {
    /// Builds the table from a scenario.
    ///
    /// Who takes part: **parties and mediators** with `Spatial` preferences (a mediator with
    /// interests of its own exercises power like a party, as in KTAB and BDM, where every actor
    /// with a stake is counted); **observers are left out** (they neither offer nor vote), and so
    /// are actors whose preferences are not spatial. An actor without a position on an issue is
    /// left out of that issue. Issues nobody takes a position on are kept in the table and
    /// reported as skipped by [`crate::forecast_table`].
    ///
    /// Positions are mapped from the issue's units onto its 0–100 scale ([`TableIssue::units`]).
    ///
    /// Errors: positions outside 0–100 on the scale (outside the option indices for categorical issues),
    /// salience outside [0, 1], negative capability.
    pub fn from_scenario(scenario: &Scenario) -> Result<Self, ForecastError> {
        let issues: Vec<TableIssue> = scenario
            .space
            .issues()
            .iter()
            .map(|issue| {
                let shape = match &issue.kind {
                    IssueKind::Categorical { options } => {
                        IssueShape::Categorical { options: options.iter().map(|o| o.id.clone()).collect() }
                    }
                    IssueKind::Ordinal { options } => IssueShape::Ordinal {
                        options: options.iter().map(|o| o.id.clone()).collect(),
                        scale: options.iter().map(|o| o.scale.unwrap_or(f64::NAN)).collect(),
                    },
                    // A small integer issue reports its nearest value like an option.
                    IssueKind::Integer { .. } if issue.cardinality().is_some_and(|c| c <= MAX_INTEGER_OPTIONS) => {
                        let values: Vec<_> = (0..issue.cardinality().unwrap_or(0) as u32).filter_map(|i| issue.value_at(i)).collect();
                        IssueShape::Ordinal {
                            options: values.iter().map(|v| issue.format_value(v)).collect(),
                            scale: values.iter().map(|v| issue.scale_of(v).unwrap_or(f64::NAN)).collect(),
                        }
                    }
                    IssueKind::Integer { .. } | IssueKind::Real { .. } => IssueShape::Continuous,
                };
                TableIssue { id: issue.id.clone(), shape, units: issue.units().unwrap_or(Units::IDENTITY) }
            })
            .collect();
        let mut actors = Vec::new();
        let mut left_out = Vec::new();
        for actor in &scenario.actors {
            let why = match &actor.preferences.utility {
                _ if actor.role == Role::Observer => Some("an observer takes no part"),
                Utility::Spatial(_) => None,
                Utility::LinearAdditive(_) => Some("its preferences are weights over options, not positions on a 0-100 scale"),
                Utility::Table(_) => Some("its preferences are a table over outcomes, not positions on a 0-100 scale"),
            };
            if let Some(why) = why {
                left_out.push((actor.id.clone(), why.to_string()));
                continue;
            }
            let Utility::Spatial(spatial) = &actor.preferences.utility else { continue };
            if !actor.capability.is_finite() || actor.capability < 0.0 {
                return Err(ForecastError::BadCapability { actor: actor.id.clone(), capability: actor.capability });
            }
            let mut cells = Vec::with_capacity(issues.len());
            for (k, issue) in issues.iter().enumerate() {
                // positions are stated in the issue's units; the models compute on its scale
                let cell = spatial.positions.get(k).and_then(|p| p.as_ref()).map(|p| (issue.units.to_scale(p.ideal), p.salience));
                if let Some((x, s)) = cell {
                    let hi = match &issue.shape {
                        IssueShape::Categorical { options } => (options.len() as f64 - 1.0).max(0.0),
                        _ => 100.0,
                    };
                    if !x.is_finite() || !(0.0..=hi).contains(&x) {
                        return Err(ForecastError::PositionOutOfRange {
                            actor: actor.id.clone(),
                            issue: issue.id.clone(),
                            position: x,
                            lo: 0.0,
                            hi,
                        });
                    }
                    if !(0.0..=1.0).contains(&s) {
                        return Err(ForecastError::SalienceOutOfRange { actor: actor.id.clone(), issue: issue.id.clone(), salience: s });
                    }
                }
                cells.push(cell);
            }
            actors.push(TableActor { id: actor.id.clone(), capability: actor.capability, cells });
        }
        if actors.is_empty() || !(0..issues.len()).any(|k| actors.iter().any(|a| a.cells[k].is_some())) {
            return Err(ForecastError::NoSpatialIssues);
        }
        Ok(ForecastTable { issues, actors, left_out, salience: scenario.salience })
    }

    /// The one-dimensional input for issue `k`: the actors with a position on it, in table order.
    pub fn issue_input(&self, k: usize) -> IssueInput {
        let issue = &self.issues[k];
        let hi = match &issue.shape {
            IssueShape::Categorical { options } => (options.len() as f64 - 1.0).max(0.0),
            _ => 100.0,
        };
        IssueInput {
            issue: issue.id.clone(),
            scale: (0.0, hi),
            actors: self
                .actors
                .iter()
                .filter_map(|a| a.cells[k].map(|(x, s)| SpatialActor::new(a.id.clone(), x, s, a.capability)))
                .collect(),
        }
    }

    /// Index of an issue by id.
    pub fn issue_index(&self, id: &str) -> Option<usize> {
        self.issues.iter().position(|i| i.id == id)
    }

    /// Index of an actor by id.
    pub fn actor_index(&self, id: &str) -> Option<usize> {
        self.actors.iter().position(|a| a.id == id)
    }
}
