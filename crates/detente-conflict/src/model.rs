//! The conflict model: decision makers, options, feasibility, preferences ([`ConflictSpec`],
//! plain data anyone can build) and its validated form ([`Conflict`]) with the prepared
//! [`Graph`] of feasible states, moves and preference ranks.
//!
//! Two ways to give the states and moves (spec §1):
//! - **option form** ([`Structure::Options`]): binary options, each controlled by one decision
//!   maker, cut by [`Constraint`]s; states are the feasible Y/N vectors, numbered 1..n in
//!   gmcr-py's "ordered" order (by decimal value, first option = bit 0), and a move of a DM flips
//!   any non-empty set of its own options (irreversibility applied to every DM);
//! - **graph form** ([`Structure::Graph`]): explicit states and per-DM arcs.
//!
//! Numbering conventions: option and DM indices in the API are 0-based; state numbers
//! ([`StateRef::Number`], arcs in [`Structure::Graph`]) are 1-based as analysts write them, and
//! option numbers in the statement language ([`Statement`]) are 1-based as in GMCR II.

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{ConflictError, ErrorKind};
use crate::expr::{Expr, Literal, Pattern, Statement};

/// Index of a decision maker in [`ConflictSpec::dms`] (0-based).
pub type DmIndex = usize;
/// Index of an option in the option list (0-based).
pub type OptIdx = usize;

/// The most feasible states a conflict may have (memory guard: the prepared graph holds per
/// state a pattern, and per DM a rank and a move list).
pub const MAX_STATES: usize = 4_000_000;
/// The most moves (arcs over all DMs) a conflict may have.
pub const MAX_ARCS: usize = 400_000_000;
/// The most options an option-form conflict may have.
pub const MAX_OPTIONS: usize = 4096;

/// A decision maker (DM).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionMaker {
    /// Identifier (unique, non-empty).
    pub id: String,
    /// Display name.
    pub name: String,
}

impl DecisionMaker {
    /// A DM whose name is its id.
    pub fn new(id: impl Into<String>) -> Self {
        let id = id.into();
        DecisionMaker { name: id.clone(), id }
    }
}

/// Which direction an option may change in (gmcr-py `permittedDirection`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reversibility {
    /// Freely reversible (`both`).
    #[default]
    Both,
    /// Only N→Y: once taken it cannot be undone (`fwd`).
    OnlyOn,
    /// Only Y→N: once dropped it cannot be resumed (`back`).
    OnlyOff,
}

/// A binary option controlled by one DM.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptionDef {
    /// Identifier (unique, non-empty).
    pub id: String,
    /// Display name ("Modify the control order").
    pub name: String,
    /// The DM that controls it.
    pub dm: DmIndex,
    /// Irreversibility; applies to every DM's moves.
    #[serde(default)]
    pub reversibility: Reversibility,
}

impl OptionDef {
    /// A reversible option whose name is its id.
    pub fn new(id: impl Into<String>, dm: DmIndex) -> Self {
        let id = id.into();
        OptionDef { name: id.clone(), id, dm, reversibility: Reversibility::Both }
    }
}

/// A feasibility rule of an option-form conflict: a state is feasible iff it satisfies every
/// constraint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Constraint {
    /// At most one of these options is taken.
    MutuallyExclusive(Vec<OptIdx>),
    /// At least one of these options is taken.
    AtLeastOne(Vec<OptIdx>),
    /// Exactly one of these options is taken.
    ExactlyOne(Vec<OptIdx>),
    /// If `if_` holds, `then` must hold.
    Dependency {
        /// The condition.
        if_: Literal,
        /// What it requires.
        then: Literal,
    },
    /// States matching this Y/N/- pattern are infeasible (gmcr-py infeasibles).
    Infeasible(Pattern),
    /// States where this expression is false are infeasible.
    Require(Expr),
}

/// A state of a graph-form conflict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateDef {
    /// Identifier (unique, non-empty).
    pub id: String,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// Optional Y/N/- pattern over some option list, for display and pattern references.
    #[serde(default)]
    pub pattern: Option<Pattern>,
}

/// How the states and moves are given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Structure {
    /// Option form: states are the feasible Y/N vectors over `options`.
    Options {
        /// The options, in conflict order (state decimal value: first option = bit 0).
        options: Vec<OptionDef>,
        /// Feasibility rules.
        constraints: Vec<Constraint>,
    },
    /// Graph form: explicit states (numbered 1..n in list order) and moves.
    Graph {
        /// The states; state number = position + 1.
        states: Vec<StateDef>,
        /// Per DM (in DM order), its arcs `(from, to)` as 1-based state numbers.
        moves_by_dm: Vec<Vec<(usize, usize)>>,
    },
}

/// A reference to one or more states.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StateRef {
    /// A 1-based state number (gmcr-py's "ordered" number in option form).
    Number(usize),
    /// A graph-form state id.
    Id(String),
    /// Every feasible state matching a Y/N/- pattern (in option form over the options; in
    /// graph form over the states' own patterns).
    Pattern(Pattern),
}

/// A DM's preference over the states.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Preference {
    /// Tie classes, most preferred first; every state exactly once.
    Ranking(Vec<Vec<StateRef>>),
    /// Option prioritization (GMCR II / gmcr-py): statements most important first; statement
    /// j of q has weight 2^(q−j); a state's score is the sum of the weights of the statements
    /// true there; higher scores are preferred, equal scores tie. Option form only.
    Prioritization(Vec<Statement>),
    /// A utility per state (higher is preferred, equal values tie); every state exactly once.
    Cardinal(Vec<(StateRef, f64)>),
}

/// An unvalidated conflict: plain data, built by a reader or by hand, turned into a
/// [`Conflict`] by [`ConflictSpec::validate`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConflictSpec {
    /// Title.
    #[serde(default)]
    pub name: String,
    /// The decision makers.
    pub dms: Vec<DecisionMaker>,
    /// States and moves.
    pub structure: Structure,
    /// One preference per DM, in DM order.
    pub preferences: Vec<Preference>,
    /// The status quo, if known (must name exactly one state).
    #[serde(default)]
    pub status_quo: Option<StateRef>,
}

/// A validated conflict with its prepared [`Graph`].
#[derive(Debug, Clone)]
pub struct Conflict {
    name: String,
    dms: Vec<DecisionMaker>,
    options: Vec<OptionDef>,
    constraints: Vec<Constraint>,
    state_defs: Vec<StateDef>,
    graph: Graph,
    status_quo: Option<usize>,
    scores: Vec<Option<Vec<f64>>>,
}

impl Conflict {
    /// The title.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The decision makers.
    pub fn dms(&self) -> &[DecisionMaker] {
        &self.dms
    }
    /// The options (empty in graph form).
    pub fn options(&self) -> &[OptionDef] {
        &self.options
    }
    /// The feasibility rules (empty in graph form).
    pub fn constraints(&self) -> &[Constraint] {
        &self.constraints
    }
    /// Whether the conflict was given in option form.
    pub fn is_option_form(&self) -> bool {
        self.graph.n_options > 0 || self.state_defs.is_empty()
    }
    /// The prepared graph.
    pub fn graph(&self) -> &Graph {
        &self.graph
    }
    /// The status quo (0-based state index), if given.
    pub fn status_quo(&self) -> Option<usize> {
        self.status_quo
    }
    /// The score (prioritization) or utility (cardinal) of each state for a DM, where its
    /// preference was given that way (for a score table).
    pub fn scores(&self, dm: DmIndex) -> Option<&[f64]> {
        self.scores.get(dm).and_then(|s| s.as_deref())
    }
    /// A state's label: its id in graph form, its Y/N pattern in option form.
    pub fn state_label(&self, s: usize) -> String {
        match self.state_defs.get(s) {
            Some(d) => d.id.clone(),
            None => self.graph.pattern(s).unwrap_or_default(),
        }
    }
    /// A state's display name: the graph-form name, or the taken options' names ("none" when
    /// no option is taken).
    pub fn state_name(&self, s: usize) -> String {
        if let Some(d) = self.state_defs.get(s) {
            return if d.name.is_empty() { d.id.clone() } else { d.name.clone() };
        }
        let taken: Vec<&str> =
            (0..self.options.len()).filter(|&o| self.graph.option_taken(s, o)).map(|o| self.options[o].name.as_str()).collect();
        if taken.is_empty() {
            "no option taken".to_string()
        } else {
            taken.join(" + ")
        }
    }
}

/// The prepared graph model: feasible states (0-based index `s` is state number `s + 1`), per
/// DM the moves from each state (adjacency lists, ascending) and a rank vector (higher = more
/// preferred; ranks are 1..m, equal rank = indifferent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Graph {
    n_options: usize,
    pub(crate) words: usize,
    pub(crate) bits: Vec<u64>,
    n_states: usize,
    moves: Vec<Adjacency>,
    ranks: Vec<Vec<u32>>,
}

/// Compressed adjacency lists: the targets of state `s` are `targets[offsets[s]..offsets[s+1]]`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Adjacency {
    offsets: Vec<u32>,
    targets: Vec<u32>,
}

impl Adjacency {
    /// From a list of per-state target lists (each sorted and deduplicated here).
    pub fn from_lists(lists: Vec<Vec<u32>>) -> Self {
        let mut offsets = Vec::with_capacity(lists.len() + 1);
        let mut targets = Vec::new();
        offsets.push(0u32);
        for mut l in lists {
            l.sort_unstable();
            l.dedup();
            targets.extend_from_slice(&l);
            offsets.push(targets.len() as u32);
        }
        Adjacency { offsets, targets }
    }
    /// The targets of state `s` (empty when out of range).
    pub fn of(&self, s: usize) -> &[u32] {
        match (self.offsets.get(s), self.offsets.get(s + 1)) {
            (Some(&a), Some(&b)) => &self.targets[a as usize..b as usize],
            _ => &[],
        }
    }
    /// Number of arcs.
    pub fn arcs(&self) -> usize {
        self.targets.len()
    }
}

impl Graph {
    /// Number of feasible states.
    pub fn n_states(&self) -> usize {
        self.n_states
    }
    /// Number of decision makers.
    pub fn n_dms(&self) -> usize {
        self.ranks.len()
    }
    /// Number of options (0 in graph form).
    pub fn n_options(&self) -> usize {
        self.n_options
    }
    /// DM `dm`'s unilateral moves from state `s`, `R_dm(s)` (0-based, ascending).
    pub fn moves(&self, dm: DmIndex, s: usize) -> &[u32] {
        self.moves.get(dm).map(|a| a.of(s)).unwrap_or(&[])
    }
    /// DM `dm`'s adjacency lists.
    pub fn adjacency(&self, dm: DmIndex) -> Option<&Adjacency> {
        self.moves.get(dm)
    }
    /// DM `dm`'s rank of state `s` (higher = more preferred; 0 when out of range).
    pub fn rank(&self, dm: DmIndex, s: usize) -> u32 {
        self.ranks.get(dm).and_then(|r| r.get(s)).copied().unwrap_or(0)
    }
    /// DM `dm`'s rank vector.
    pub fn ranks(&self, dm: DmIndex) -> &[u32] {
        self.ranks.get(dm).map(|v| v.as_slice()).unwrap_or(&[])
    }
    /// Whether option `o` is taken at state `s` (option form; false otherwise).
    pub fn option_taken(&self, s: usize, o: OptIdx) -> bool {
        if o >= self.n_options || s >= self.n_states {
            return false;
        }
        self.bits[s * self.words + o / 64] >> (o % 64) & 1 == 1
    }
    /// The option bits of state `s` (bit o of word o/64), empty in graph form.
    pub fn state_bits(&self, s: usize) -> &[u64] {
        if self.n_options == 0 || s >= self.n_states {
            return &[];
        }
        &self.bits[s * self.words..(s + 1) * self.words]
    }
    /// The Y/N pattern of state `s` in option order (option form).
    pub fn pattern(&self, s: usize) -> Option<String> {
        if self.n_options == 0 || s >= self.n_states {
            return None;
        }
        Some((0..self.n_options).map(|o| if self.option_taken(s, o) { 'Y' } else { 'N' }).collect())
    }
    /// The gmcr-py decimal value of state `s` (options 0..64 only; `None` in graph form or when
    /// an option beyond the 64th is taken).
    pub fn decimal(&self, s: usize) -> Option<u64> {
        let b = self.state_bits(s);
        if b.is_empty() || b[1..].iter().any(|&w| w != 0) {
            return None;
        }
        Some(b[0])
    }
    /// The state with these option bits, if feasible (binary search: states are in decimal order).
    pub fn find_state(&self, bits: &[u64]) -> Option<usize> {
        if self.n_options == 0 || bits.len() != self.words {
            return None;
        }
        let (mut lo, mut hi) = (0usize, self.n_states);
        while lo < hi {
            let mid = (lo + hi) / 2;
            match cmp_bits(self.state_bits(mid), bits) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(mid),
            }
        }
        None
    }

    /// A graph from explicit parts: per DM adjacency lists and rank vectors (all of length
    /// `n_states`, 0-based targets). For tests and generated models; no option bits.
    pub fn from_parts(n_states: usize, moves: Vec<Vec<Vec<u32>>>, ranks: Vec<Vec<u32>>) -> Result<Graph, ConflictError> {
        if moves.len() != ranks.len() {
            return Err(ConflictError::new("moves", ErrorKind::Invalid("one move list and one rank vector per DM".into())));
        }
        for (d, (m, r)) in moves.iter().zip(&ranks).enumerate() {
            if m.len() != n_states || r.len() != n_states {
                return Err(ConflictError::new(format!("dms[{d}]"), ErrorKind::Invalid(format!("expected {n_states} states"))));
            }
            for (s, l) in m.iter().enumerate() {
                if let Some(&t) = l.iter().find(|&&t| t as usize >= n_states || t as usize == s) {
                    return Err(ConflictError::new(format!("dms[{d}].moves[{s}]"), ErrorKind::BadMove { from: s + 1, to: t as usize + 1 }));
                }
            }
        }
        let moves = moves.into_iter().map(Adjacency::from_lists).collect();
        Ok(Graph { n_options: 0, words: 0, bits: Vec::new(), n_states, moves, ranks: ranks.into_iter().map(compress_ranks).collect() })
    }
}

fn cmp_bits(a: &[u64], b: &[u64]) -> std::cmp::Ordering {
    for (x, y) in a.iter().rev().zip(b.iter().rev()) {
        match x.cmp(y) {
            std::cmp::Ordering::Equal => {}
            o => return o,
        }
    }
    std::cmp::Ordering::Equal
}

/// Ranks 1..m keeping order and ties (higher = better).
fn compress_ranks(values: Vec<u32>) -> Vec<u32> {
    let mut sorted = values.clone();
    sorted.sort_unstable();
    sorted.dedup();
    values.iter().map(|v| sorted.binary_search(v).map(|i| i as u32 + 1).unwrap_or(0)).collect()
}

fn compress_f64(values: &[f64]) -> Vec<u32> {
    let mut sorted: Vec<f64> = values.to_vec();
    sorted.sort_by(|a, b| a.total_cmp(b));
    sorted.dedup();
    values.iter().map(|v| sorted.binary_search_by(|x| x.total_cmp(v)).map(|i| i as u32 + 1).unwrap_or(0)).collect()
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({} DMs, {} states)", self.name, self.dms.len(), self.graph.n_states)
    }
}

// ---------------------------------------------------------------------------------------------
// Validation

impl ConflictSpec {
    /// Checks the spec and prepares the graph. Every error found is returned, each with a path
    /// (`options[2].dm`, `preferences[1].ranking`).
    pub fn validate(self) -> Result<Conflict, Vec<ConflictError>> {
        let mut errs = Vec::new();
        let n_dms = self.dms.len();
        if n_dms < 2 {
            errs.push(ConflictError::new("dms", ErrorKind::TooFewDms(n_dms)));
        }
        check_ids(self.dms.iter().map(|d| d.id.as_str()), "dms", "decision maker", &mut errs);
        if self.preferences.len() != n_dms {
            errs.push(ConflictError::new(
                "preferences",
                ErrorKind::Invalid(format!("{} preferences for {} decision makers; expected one per DM", self.preferences.len(), n_dms)),
            ));
        }
        let (options, constraints, state_defs, states) = match self.structure {
            Structure::Options { options, constraints } => {
                check_ids(options.iter().map(|o| o.id.as_str()), "options", "option", &mut errs);
                if options.is_empty() {
                    errs.push(ConflictError::new("options", ErrorKind::Invalid("no options; expected at least one".into())));
                }
                if options.len() > MAX_OPTIONS {
                    errs.push(ConflictError::new(
                        "options",
                        ErrorKind::TooLarge { what: "options", count: options.len(), limit: MAX_OPTIONS },
                    ));
                }
                for (i, o) in options.iter().enumerate() {
                    if o.dm >= n_dms {
                        errs.push(ConflictError::new(format!("options[{i}].dm"), ErrorKind::NoSuchDm(o.dm)));
                    }
                }
                for (d, dm) in self.dms.iter().enumerate() {
                    if !options.iter().any(|o| o.dm == d) {
                        errs.push(ConflictError::new(format!("dms[{d}]"), ErrorKind::Invalid(format!("`{}` controls no option", dm.id))));
                    }
                }
                for (c, con) in constraints.iter().enumerate() {
                    if let Err(e) = check_constraint(con, options.len()) {
                        errs.push(e.within(format!("constraints[{c}]")));
                    }
                }
                if !errs.is_empty() {
                    return Err(errs);
                }
                let words = options.len().div_ceil(64);
                let bits = match enumerate_states(options.len(), &constraints) {
                    Ok(b) => b,
                    Err(e) => return Err(vec![e]),
                };
                let n = bits.len() / words.max(1);
                if n == 0 {
                    return Err(vec![ConflictError::new("constraints", ErrorKind::Invalid("no feasible state".into()))]);
                }
                let moves = match option_moves(&options, n_dms, words, &bits, n) {
                    Ok(m) => m,
                    Err(e) => return Err(vec![e]),
                };
                (options, constraints, Vec::new(), Prepared { words, bits, n, moves })
            }
            Structure::Graph { states, moves_by_dm } => {
                check_ids(states.iter().map(|s| s.id.as_str()), "states", "state", &mut errs);
                let n = states.len();
                if n == 0 {
                    errs.push(ConflictError::new("states", ErrorKind::Invalid("no states; expected at least one".into())));
                }
                if n > MAX_STATES {
                    errs.push(ConflictError::new("states", ErrorKind::TooLarge { what: "states", count: n, limit: MAX_STATES }));
                }
                if moves_by_dm.len() != n_dms {
                    errs.push(ConflictError::new(
                        "moves_by_dm",
                        ErrorKind::Invalid(format!("{} move lists for {} decision makers; expected one per DM", moves_by_dm.len(), n_dms)),
                    ));
                }
                let mut moves = Vec::new();
                for (d, arcs) in moves_by_dm.iter().enumerate() {
                    let mut lists = vec![Vec::new(); n];
                    for (a, &(from, to)) in arcs.iter().enumerate() {
                        if from == 0 || to == 0 || from > n || to > n || from == to {
                            errs.push(ConflictError::new(format!("moves_by_dm[{d}][{a}]"), ErrorKind::BadMove { from, to }));
                        } else {
                            lists[from - 1].push(to as u32 - 1);
                        }
                    }
                    moves.push(Adjacency::from_lists(lists));
                }
                if !errs.is_empty() {
                    return Err(errs);
                }
                (Vec::new(), Vec::new(), states, Prepared { words: 0, bits: Vec::new(), n, moves })
            }
        };
        let n_options = options.len();
        let Prepared { words, bits, n, moves } = states;
        let mut graph = Graph { n_options, words, bits, n_states: n, moves, ranks: Vec::new() };
        let resolver = Resolver { graph: &graph, defs: &state_defs };
        let mut ranks = Vec::with_capacity(n_dms);
        let mut scores = Vec::with_capacity(n_dms);
        for (d, p) in self.preferences.iter().enumerate() {
            match resolve_preference(p, &resolver, n_options) {
                Ok((r, sc)) => {
                    ranks.push(r);
                    scores.push(sc);
                }
                Err(mut es) => {
                    for e in &mut es {
                        e.path = format!("preferences[{d}]{}{}", if e.path.is_empty() { "" } else { "." }, e.path);
                    }
                    errs.extend(es)
                }
            }
        }
        let status_quo = match &self.status_quo {
            None => None,
            Some(r) => match resolver.resolve(r) {
                Ok(v) if v.len() == 1 => Some(v[0]),
                Ok(v) => {
                    errs.push(ConflictError::new(
                        "status_quo",
                        ErrorKind::Invalid(format!("names {} states; expected exactly one", v.len())),
                    ));
                    None
                }
                Err(e) => {
                    errs.push(e.within("status_quo"));
                    None
                }
            },
        };
        if !errs.is_empty() {
            return Err(errs);
        }
        graph.ranks = ranks;
        Ok(Conflict { name: self.name, dms: self.dms, options, constraints, state_defs, graph, status_quo, scores })
    }
}

struct Prepared {
    words: usize,
    bits: Vec<u64>,
    n: usize,
    moves: Vec<Adjacency>,
}

fn check_ids<'a>(ids: impl Iterator<Item = &'a str>, path: &str, what: &'static str, errs: &mut Vec<ConflictError>) {
    let mut seen = HashMap::new();
    for (i, id) in ids.enumerate() {
        if id.trim().is_empty() {
            errs.push(ConflictError::new(format!("{path}[{i}].id"), ErrorKind::EmptyId(what)));
        } else if let Some(first) = seen.insert(id.to_string(), i) {
            errs.push(ConflictError::new(format!("{path}[{i}].id"), ErrorKind::Duplicate { what, id: id.to_string(), first }));
        }
    }
}

fn check_opt(o: OptIdx, n: usize) -> Result<(), ConflictError> {
    if o >= n {
        Err(ConflictError::new("", ErrorKind::NoSuchOption(o)))
    } else {
        Ok(())
    }
}

fn check_constraint(c: &Constraint, n: usize) -> Result<(), ConflictError> {
    match c {
        Constraint::MutuallyExclusive(v) | Constraint::AtLeastOne(v) | Constraint::ExactlyOne(v) => {
            if v.is_empty() {
                return Err(ConflictError::new("", ErrorKind::Invalid("lists no option".into())));
            }
            v.iter().try_for_each(|&o| check_opt(o, n))
        }
        Constraint::Dependency { if_, then } => {
            check_opt(if_.option, n)?;
            check_opt(then.option, n)
        }
        Constraint::Infeasible(p) => {
            if p.len() != n {
                Err(ConflictError::new("", ErrorKind::PatternLength { found: p.len(), expected: n }))
            } else {
                Ok(())
            }
        }
        Constraint::Require(e) => e.check(n),
    }
}

/// Three-valued check of a constraint on a partial assignment (`known` options set, values in
/// `val`): `Some(false)` = violated whatever the rest.
fn constraint_partial(c: &Constraint, val: &[u64], known: &[u64]) -> Option<bool> {
    let get = |o: usize| -> Option<bool> {
        if known[o / 64] >> (o % 64) & 1 == 1 {
            Some(val[o / 64] >> (o % 64) & 1 == 1)
        } else {
            None
        }
    };
    match c {
        Constraint::MutuallyExclusive(v) | Constraint::AtLeastOne(v) | Constraint::ExactlyOne(v) => {
            let (mut yes, mut unknown) = (0usize, 0usize);
            for &o in v {
                match get(o) {
                    Some(true) => yes += 1,
                    Some(false) => {}
                    None => unknown += 1,
                }
            }
            let at_most_one = if yes > 1 {
                Some(false)
            } else if yes + unknown <= 1 {
                Some(true)
            } else {
                None
            };
            let at_least_one = if yes >= 1 {
                Some(true)
            } else if unknown == 0 {
                Some(false)
            } else {
                None
            };
            match c {
                Constraint::MutuallyExclusive(_) => at_most_one,
                Constraint::AtLeastOne(_) => at_least_one,
                _ => and3(at_most_one, at_least_one),
            }
        }
        Constraint::Dependency { if_, then } => {
            let a = get(if_.option).map(|v| v == if_.taken);
            let b = get(then.option).map(|v| v == then.taken);
            or3(a.map(|x| !x), b)
        }
        Constraint::Infeasible(p) => p.matches_partial(&get).map(|m| !m),
        Constraint::Require(e) => e.eval_partial(&get),
    }
}

pub(crate) fn and3(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    }
}

pub(crate) fn or3(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (Some(false), Some(false)) => Some(false),
        _ => None,
    }
}

/// Feasible states in decimal order (first option = least significant bit): a depth-first
/// search that fixes the most significant option first (N before Y) and prunes as soon as a
/// constraint is violated, so 2^k is never materialised.
fn enumerate_states(k: usize, constraints: &[Constraint]) -> Result<Vec<u64>, ConflictError> {
    let words = k.div_ceil(64);
    let mut out = Vec::new();
    let mut val = vec![0u64; words];
    let mut known = vec![0u64; words];
    // Iterative DFS: level = number of options fixed (fixed from k-1 down); choice per level.
    let mut choice: Vec<u8> = Vec::with_capacity(k);
    let mut count = 0usize;
    loop {
        let depth = choice.len();
        let ok = constraints.iter().all(|c| constraint_partial(c, &val, &known) != Some(false));
        if ok && depth == k {
            count += 1;
            if count > MAX_STATES {
                return Err(ConflictError::new("constraints", ErrorKind::TooLarge { what: "feasible states", count, limit: MAX_STATES }));
            }
            out.extend_from_slice(&val);
        }
        if ok && depth < k {
            let o = k - 1 - depth;
            known[o / 64] |= 1 << (o % 64);
            val[o / 64] &= !(1 << (o % 64));
            choice.push(0);
            continue;
        }
        // backtrack
        loop {
            let Some(c) = choice.pop() else { return Ok(out) };
            let o = k - 1 - choice.len();
            if c == 0 {
                val[o / 64] |= 1 << (o % 64);
                choice.push(1);
                break;
            }
            known[o / 64] &= !(1 << (o % 64));
            val[o / 64] &= !(1 << (o % 64));
        }
    }
}

/// Per DM moves in option form: t ∈ R_i(s) iff t ≠ s agree outside i's options and every
/// changed option changes in a permitted direction. States are bucketed by their bits outside
/// O_i, so the cost is the sum of squared bucket sizes (at most 2^|O_i| per state).
pub(crate) fn option_moves(
    options: &[OptionDef],
    n_dms: usize,
    words: usize,
    bits: &[u64],
    n: usize,
) -> Result<Vec<Adjacency>, ConflictError> {
    let mut out = Vec::with_capacity(n_dms);
    let mut only_on = vec![0u64; words];
    let mut only_off = vec![0u64; words];
    for (o, def) in options.iter().enumerate() {
        match def.reversibility {
            Reversibility::Both => {}
            Reversibility::OnlyOn => only_on[o / 64] |= 1 << (o % 64),
            Reversibility::OnlyOff => only_off[o / 64] |= 1 << (o % 64),
        }
    }
    let mut total_pairs = 0usize;
    for d in 0..n_dms {
        let mut mask = vec![0u64; words];
        for (o, def) in options.iter().enumerate() {
            if def.dm == d {
                mask[o / 64] |= 1 << (o % 64);
            }
        }
        let mut buckets: HashMap<Vec<u64>, Vec<u32>> = HashMap::new();
        for s in 0..n {
            let key: Vec<u64> = bits[s * words..(s + 1) * words].iter().zip(&mask).map(|(b, m)| b & !m).collect();
            buckets.entry(key).or_default().push(s as u32);
        }
        let pairs: usize = buckets.values().map(|b| b.len() * (b.len() - 1)).sum();
        total_pairs += pairs;
        if total_pairs > MAX_ARCS {
            return Err(ConflictError::new(
                "options",
                ErrorKind::TooLarge { what: "candidate moves", count: total_pairs, limit: MAX_ARCS },
            ));
        }
        let mut lists: Vec<Vec<u32>> = vec![Vec::new(); n];
        for members in buckets.values() {
            for &s in members {
                let sb = &bits[s as usize * words..(s as usize + 1) * words];
                for &t in members {
                    if s == t {
                        continue;
                    }
                    let tb = &bits[t as usize * words..(t as usize + 1) * words];
                    // on: bits set in t not in s; off: set in s not in t.
                    let allowed = (0..words).all(|w| {
                        let on = tb[w] & !sb[w];
                        let off = sb[w] & !tb[w];
                        on & only_off[w] == 0 && off & only_on[w] == 0
                    });
                    if allowed {
                        lists[s as usize].push(t);
                    }
                }
            }
        }
        out.push(Adjacency::from_lists(lists));
    }
    Ok(out)
}

struct Resolver<'a> {
    graph: &'a Graph,
    defs: &'a [StateDef],
}

impl Resolver<'_> {
    fn resolve(&self, r: &StateRef) -> Result<Vec<usize>, ConflictError> {
        let n = self.graph.n_states;
        match r {
            StateRef::Number(k) => {
                if *k == 0 || *k > n {
                    Err(ConflictError::new("", ErrorKind::NoSuchState(k.to_string())))
                } else {
                    Ok(vec![k - 1])
                }
            }
            StateRef::Id(id) => self
                .defs
                .iter()
                .position(|d| &d.id == id)
                .map(|i| vec![i])
                .ok_or_else(|| ConflictError::new("", ErrorKind::NoSuchState(id.clone()))),
            StateRef::Pattern(p) => {
                let v: Vec<usize> = if self.defs.is_empty() {
                    if p.len() != self.graph.n_options {
                        return Err(ConflictError::new("", ErrorKind::PatternLength { found: p.len(), expected: self.graph.n_options }));
                    }
                    (0..n).filter(|&s| p.matches(|o| self.graph.option_taken(s, o))).collect()
                } else {
                    self.defs
                        .iter()
                        .enumerate()
                        .filter(|(_, d)| d.pattern.as_ref().is_some_and(|q| q.overlaps(p)))
                        .map(|(i, _)| i)
                        .collect()
                };
                if v.is_empty() {
                    Err(ConflictError::new("", ErrorKind::NoSuchState(p.to_string())))
                } else {
                    Ok(v)
                }
            }
        }
    }
}

type Resolved = (Vec<u32>, Option<Vec<f64>>);

fn resolve_preference(p: &Preference, res: &Resolver<'_>, n_options: usize) -> Result<Resolved, Vec<ConflictError>> {
    let n = res.graph.n_states;
    let mut errs = Vec::new();
    match p {
        Preference::Ranking(classes) => {
            let mut rank = vec![0u32; n];
            let m = classes.len() as u32;
            for (c, class) in classes.iter().enumerate() {
                for (k, r) in class.iter().enumerate() {
                    match res.resolve(r) {
                        Ok(v) => {
                            for s in v {
                                if rank[s] != 0 {
                                    errs.push(ConflictError::new(format!("ranking[{c}][{k}]"), ErrorKind::Repeated(s + 1)));
                                }
                                rank[s] = m - c as u32;
                            }
                        }
                        Err(e) => errs.push(e.within(format!("ranking[{c}][{k}]"))),
                    }
                }
            }
            let missing: Vec<usize> = (0..n).filter(|&s| rank[s] == 0).map(|s| s + 1).collect();
            if !missing.is_empty() && errs.is_empty() {
                errs.push(ConflictError::new("ranking", ErrorKind::Unranked(missing)));
            }
            if errs.is_empty() {
                Ok((compress_ranks(rank), None))
            } else {
                Err(errs)
            }
        }
        Preference::Cardinal(values) => {
            let mut u: Vec<Option<f64>> = vec![None; n];
            for (k, (r, v)) in values.iter().enumerate() {
                if !v.is_finite() {
                    errs.push(ConflictError::new(format!("cardinal[{k}]"), ErrorKind::Invalid(format!("utility {v} is not finite"))));
                    continue;
                }
                match res.resolve(r) {
                    Ok(ss) => {
                        for s in ss {
                            if u[s].is_some() {
                                errs.push(ConflictError::new(format!("cardinal[{k}]"), ErrorKind::Repeated(s + 1)));
                            }
                            u[s] = Some(*v);
                        }
                    }
                    Err(e) => errs.push(e.within(format!("cardinal[{k}]"))),
                }
            }
            let missing: Vec<usize> = (0..n).filter(|&s| u[s].is_none()).map(|s| s + 1).collect();
            if !missing.is_empty() && errs.is_empty() {
                errs.push(ConflictError::new("cardinal", ErrorKind::Unranked(missing)));
            }
            if !errs.is_empty() {
                return Err(errs);
            }
            let u: Vec<f64> = u.into_iter().map(|x| x.unwrap_or(0.0)).collect();
            Ok((compress_f64(&u), Some(u)))
        }
        Preference::Prioritization(statements) => {
            if !res.defs.is_empty() || n_options == 0 {
                return Err(vec![ConflictError::new(
                    "prioritization",
                    ErrorKind::Invalid("option prioritization needs an option-form conflict".into()),
                )]);
            }
            if statements.len() > 52 {
                return Err(vec![ConflictError::new(
                    "prioritization",
                    ErrorKind::TooLarge { what: "prioritization statements", count: statements.len(), limit: 52 },
                )]);
            }
            for (k, st) in statements.iter().enumerate() {
                if let Err(e) = st.expr().check(n_options) {
                    errs.push(e.within(format!("prioritization[{k}]")));
                }
            }
            if !errs.is_empty() {
                return Err(errs);
            }
            let scores = prioritization_scores(statements, res.graph);
            Ok((compress_f64(&scores), Some(scores)))
        }
    }
}

/// Option-prioritization scores Ψ(s) = Σ_j [Ω_j true at s]·2^(q−j) for every state (spec §3.2).
pub fn prioritization_scores(statements: &[Statement], graph: &Graph) -> Vec<f64> {
    let q = statements.len();
    (0..graph.n_states())
        .map(|s| {
            statements
                .iter()
                .enumerate()
                .filter(|(_, st)| st.expr().eval(&|o| graph.option_taken(s, o)))
                .map(|(j, _)| 2f64.powi((q - j - 1) as i32))
                .sum()
        })
        .collect()
}
