//! GeniusWeb JSON domains and linear additive profiles (read only).
//!
//! GeniusWeb (TU Delft) writes every object with a *wrapper-object type tag*,
//! `{"ClassName": {…fields…}}`; see `docs/specs/genius-formats-protocols-agents.md` §A.3.
//!
//! # What is read
//! - **Domain** `{"name": …, "issuesValues": {issue: valueset, …}}`. Issue order is the order
//!   of the keys in the file (as NegMAS reads it). A value set is
//!   - `{"values": ["a", "b", …]}` (discrete; values are strings) → a categorical issue;
//!   - `{"range": {"low": l, "high": h, "step": s}}` (numbers `l, l+s, … ≤ h`) → an integer
//!     issue when `l`, `h` and `s` are whole numbers, else a real issue with a grid of the
//!     `⌊(h−l)/s⌋ + 1` points `l + k·s` (its `max` is the last point, which may be below `h`).
//!
//!   Either may also come wrapped (`{"DiscreteValueSet": {…}}`, `{"NumberValueSet": {…}}`).
//! - **Profile** `{"LinearAdditiveUtilitySpace": {"name", "domain", "issueWeights",
//!   "issueUtilities", "reservationBid"}}`; `U(ω) = Σᵢ wᵢ·uᵢ(ωᵢ)`, no clamp, no discount (GeniusWeb
//!   has none).
//!   - `{"DiscreteValueSetUtilities": {"valueUtilities": {value: u}}}` (legacy tag
//!     `"discreteutils"`) → a table; a domain value with no entry is worth 0 (GeniusWeb's rule);
//!     an entry for a value the domain lacks is an error.
//!   - `{"NumberValueSetUtilities": {"lowValue", "lowUtility", "highValue", "highUtility"}}`
//!     (legacy `"numberutils"`) → [`detente_core::ValueFunction::Interpolate`]: linear between the two
//!     points, **0 outside** `[lowValue, highValue]`. GeniusWeb rounds the interpolation to 8
//!     decimals (BigDecimal); detente computes in `f64` and does not.
//!   - Weights must sum to 1 (within 1e-9; GeniusWeb checks it exactly with decimals) and
//!     every utility must lie in [0, 1]; otherwise an error with file:line:column.
//!   - `reservationBid` (`{"issuevalues": {issue: value}}`) → [`detente_core::Reservation::Outcome`]; it must
//!     give every issue a value. `null` or absent → no reservation. The NegMAS/ANL extension
//!     `"reserved_value": r` → [`detente_core::Reservation::Value`] (not both).
//! - Other profile classes (`SumOfGroupsUtilitySpace`, `DefaultPartialOrdering`, …) are refused.
//!
//! # Folders
//! Every `*.json` file, sorted by name: profiles become the actors in that order (actor id = file
//! stem, display name = the profile's `name` when it differs); a domain file, if present, and
//! every profile's embedded domain must describe the same issues. Scenario id and title: the
//! domain's `name`.

use crate::genius::read::id_from_name;
use crate::json_spans::{self as json, Node, J};
use crate::{FormatError, Location};
use detente_core::{
    Actor, Issue, IssueKind, IssueOption, LinearAdditive, Metadata, Outcome, OutcomeSpace, Preferences, ProtocolDefaults, Reservation,
    Scenario, ScenarioDraft, Source, Utility, Value, ValueFunction,
};
use std::path::Path;

/// Top-level keys that mark a GeniusWeb profile of any class.
const PROFILE_CLASSES: &[&str] = &["LinearAdditiveUtilitySpace", "SumOfGroupsUtilitySpace", "DefaultPartialOrdering", "DefaultProfile"];

/// Whether a folder holds GeniusWeb JSON profiles.
pub fn is_geniusweb_folder(path: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(path) else { return false };
    entries.flatten().any(|e| {
        e.file_name().to_string_lossy().ends_with(".json") && std::fs::read_to_string(e.path()).is_ok_and(|t| looks_like_geniusweb(&t))
    })
}

/// Whether JSON text is a GeniusWeb object (`{"LinearAdditiveUtilitySpace": …}` or another
/// profile class, or a domain with `issuesValues`).
pub fn looks_like_geniusweb(text: &str) -> bool {
    match json::parse("", text) {
        Ok(n) => n
            .members()
            .is_some_and(|m| (m.len() == 1 && PROFILE_CLASSES.contains(&m[0].0.as_str())) || m.iter().any(|(k, _)| k == "issuesValues")),
        Err(_) => false,
    }
}

/// One parsed JSON file.
struct Src {
    file: String,
    text: String,
    root: Node,
}

impl Src {
    fn loc(&self, at: usize) -> Location {
        Location::from_offset(&self.file, &self.text, at)
    }

    fn invalid(&self, node: &Node, message: impl Into<String>) -> FormatError {
        FormatError::Invalid { location: self.loc(node.at), message: message.into() }
    }

    fn parse(file: &str, text: &str) -> Result<Src, FormatError> {
        Ok(Src { file: file.to_string(), text: text.to_string(), root: json::parse(file, text)? })
    }
}

/// A domain as read: its name and issues.
#[derive(Debug, Clone, PartialEq)]
struct Domain {
    name: String,
    issues: Vec<Issue>,
}

fn expect_obj<'a>(src: &Src, n: &'a Node, what: &str) -> Result<&'a [(String, Node)], FormatError> {
    n.members().ok_or_else(|| src.invalid(n, format!("{what} is {}; expected an object", n.kind())))
}

fn num(src: &Src, parent: &Node, key: &str, what: &str) -> Result<f64, FormatError> {
    match parent.get(key) {
        Some(Node { v: J::Num(x), .. }) => Ok(*x),
        Some(other) => Err(src.invalid(other, format!("`{key}` of {what} is {}; expected a number", other.kind()))),
        None => Err(src.invalid(parent, format!("{what} has no `{key}`; expected a number there"))),
    }
}

/// Unwraps `{"Tag": inner}` when the object's only key is one of `tags`.
fn unwrap_tag<'a>(n: &'a Node, tags: &[&str]) -> (&'a Node, Option<&'a str>) {
    match n.members() {
        Some([(k, inner)]) if tags.contains(&k.as_str()) => (inner, Some(k.as_str())),
        _ => (n, None),
    }
}

fn parse_domain(src: &Src, n: &Node) -> Result<Domain, FormatError> {
    expect_obj(src, n, "the domain")?;
    let name = match n.get("name") {
        Some(Node { v: J::Str(s), .. }) => s.clone(),
        Some(other) => return Err(src.invalid(other, format!("the domain's `name` is {}; expected a string", other.kind()))),
        None => return Err(src.invalid(n, "the domain has no `name`; expected a string")),
    };
    let iv =
        n.get("issuesValues").ok_or_else(|| src.invalid(n, "the domain has no `issuesValues`; expected an object of issue → value set"))?;
    let members = expect_obj(src, iv, "`issuesValues`")?;
    if members.is_empty() {
        return Err(src.invalid(iv, "`issuesValues` is empty; expected at least one issue"));
    }
    let mut issues: Vec<Issue> = Vec::with_capacity(members.len());
    for (iname, vs) in members {
        let (vs, _) = unwrap_tag(vs, &["DiscreteValueSet", "NumberValueSet"]);
        let what = format!("the value set of issue `{iname}`");
        expect_obj(src, vs, &what)?;
        let kind = if let Some(values) = vs.get("values") {
            let J::Arr(items) = &values.v else {
                return Err(src.invalid(values, format!("`values` of issue `{iname}` is {}; expected an array of strings", values.kind())));
            };
            let mut options: Vec<IssueOption> = Vec::with_capacity(items.len());
            for it in items {
                let J::Str(s) = &it.v else {
                    return Err(
                        src.invalid(it, format!("a value of issue `{iname}` is {}; GeniusWeb discrete values are strings", it.kind()))
                    );
                };
                if s.is_empty() || options.iter().any(|o| o.id == *s) {
                    return Err(
                        src.invalid(it, format!("value \"{s}\" of issue `{iname}` is empty or listed twice; expected distinct values"))
                    );
                }
                options.push(IssueOption::new(s.clone()));
            }
            if options.is_empty() {
                return Err(src.invalid(values, format!("issue `{iname}` has no values; expected at least one")));
            }
            IssueKind::Categorical { options }
        } else if let Some(range) = vs.get("range") {
            let what = format!("the range of issue `{iname}`");
            expect_obj(src, range, &what)?;
            let (low, high, step) = (num(src, range, "low", &what)?, num(src, range, "high", &what)?, num(src, range, "step", &what)?);
            if step <= 0.0 || high < low {
                return Err(src.invalid(range, format!("{what} has low {low}, high {high}, step {step}; expected low ≤ high and step > 0")));
            }
            let n_points = ((high - low) / step * (1.0 + 1e-12)).floor() as u64 + 1;
            if low.fract() == 0.0 && high.fract() == 0.0 && step.fract() == 0.0 && low.abs() < 9e15 && high.abs() < 9e15 {
                IssueKind::Integer { min: low as i64, max: high as i64, step: step as i64, scale: (0.0, 100.0) }
            } else if n_points < 2 {
                return Err(src.invalid(range, format!("{what} has a single non-integer value {low}; expected at least two values")));
            } else if n_points > u64::from(u32::MAX) {
                return Err(src.invalid(range, format!("{what} has {n_points} values; expected at most {}", u32::MAX)));
            } else {
                let max = low + step * (n_points - 1) as f64;
                IssueKind::Real { min: low, max, grid: Some(n_points as u32), scale: (0.0, 100.0) }
            }
        } else {
            return Err(src.invalid(vs, format!("{what} has neither `values` nor `range`; expected one of them")));
        };
        let id = id_from_name(iname);
        if issues.iter().any(|i| i.id == id) {
            return Err(src.invalid(vs, format!("issue `{iname}` maps to the id `{id}` of an earlier issue; rename one")));
        }
        let name = (id != *iname).then(|| iname.clone());
        issues.push(Issue { id, name, description: None, kind });
    }
    Ok(Domain { name, issues })
}

/// The position of issue `key` (by GeniusWeb name) in the domain.
fn issue_pos(domain: &Domain, key: &str) -> Option<usize> {
    domain.issues.iter().position(|i| i.display() == key)
}

/// A value of an issue from a JSON bid value.
fn bid_value(src: &Src, issue: &Issue, n: &Node) -> Result<Value, FormatError> {
    let key = issue.display();
    let v = match (&issue.kind, &n.v) {
        (IssueKind::Categorical { .. }, J::Str(s)) => issue.option_index(s).map(Value::Option),
        (IssueKind::Integer { .. }, J::Num(x)) if x.fract() == 0.0 => Some(Value::Int(*x as i64)),
        (IssueKind::Real { .. }, J::Num(x)) => issue.index_of(&Value::Real(*x)).and_then(|i| issue.value_at(i)),
        _ => None,
    };
    v.filter(|v| issue.admits(v)).ok_or_else(|| src.invalid(n, format!("{} is not a value of issue `{key}`", render(n))))
}

fn render(n: &Node) -> String {
    match &n.v {
        J::Str(s) => format!("\"{s}\""),
        J::Num(x) => format!("{x}"),
        _ => n.kind().to_string(),
    }
}

/// A profile as read.
struct Profile {
    name: Option<String>,
    domain: Domain,
    domain_at: usize,
    preferences: Preferences,
}

fn parse_profile(src: &Src) -> Result<Profile, FormatError> {
    let root = &src.root;
    let members = expect_obj(src, root, "the file")?;
    let [(class, body)] = members else {
        return Err(src.invalid(root, "expected a single wrapper key naming the profile class, like {\"LinearAdditiveUtilitySpace\": {…}}"));
    };
    if class != "LinearAdditiveUtilitySpace" {
        return Err(src.invalid(root, format!("profile class `{class}` is not supported; expected LinearAdditiveUtilitySpace")));
    }
    let fields = expect_obj(src, body, "the LinearAdditiveUtilitySpace")?;
    const KNOWN: &[&str] = &["name", "domain", "issueWeights", "issueUtilities", "reservationBid", "reserved_value"];
    if let Some((k, n)) = fields.iter().find(|(k, _)| !KNOWN.contains(&k.as_str())) {
        return Err(src.invalid(n, format!("unknown field `{k}` of LinearAdditiveUtilitySpace; expected one of: {}", KNOWN.join(", "))));
    }
    let name = match body.get("name") {
        Some(Node { v: J::Str(s), .. }) => Some(s.clone()),
        None | Some(Node { v: J::Null, .. }) => None,
        Some(other) => return Err(src.invalid(other, format!("`name` is {}; expected a string", other.kind()))),
    };
    let dnode = body.get("domain").ok_or_else(|| src.invalid(body, "the profile has no `domain`; expected the domain object"))?;
    let domain = parse_domain(src, dnode)?;
    let n = domain.issues.len();

    // Weights.
    let wnode = body.get("issueWeights").ok_or_else(|| src.invalid(body, "the profile has no `issueWeights`"))?;
    let mut weights: Vec<Option<f64>> = vec![None; n];
    for (k, w) in expect_obj(src, wnode, "`issueWeights`")? {
        let i = issue_pos(&domain, k).ok_or_else(|| src.invalid(w, format!("weight for `{k}`, which is not an issue of the domain")))?;
        let J::Num(x) = w.v else { return Err(src.invalid(w, format!("the weight of `{k}` is {}; expected a number", w.kind()))) };
        if !(0.0..=1.0).contains(&x) {
            return Err(src.invalid(w, format!("the weight of `{k}` is {x}; expected a number in [0, 1]")));
        }
        weights[i] = Some(x);
    }
    if let Some(i) = weights.iter().position(Option::is_none) {
        return Err(
            src.invalid(wnode, format!("`issueWeights` has no weight for issue `{}`; expected one per issue", domain.issues[i].display()))
        );
    }
    let weights: Vec<f64> = weights.into_iter().map(|w| w.expect("invariant: checked above")).collect();
    let sum: f64 = weights.iter().sum();
    if (sum - 1.0).abs() > 1e-9 {
        return Err(src.invalid(wnode, format!("the weights sum to {sum}; GeniusWeb requires them to sum to 1")));
    }

    // Utilities.
    let unode = body.get("issueUtilities").ok_or_else(|| src.invalid(body, "the profile has no `issueUtilities`"))?;
    let mut values: Vec<Option<ValueFunction>> = vec![None; n];
    for (k, u) in expect_obj(src, unode, "`issueUtilities`")? {
        let i = issue_pos(&domain, k).ok_or_else(|| src.invalid(u, format!("utilities for `{k}`, which is not an issue of the domain")))?;
        let issue = &domain.issues[i];
        let (inner, tag) = unwrap_tag(u, &["DiscreteValueSetUtilities", "discreteutils", "NumberValueSetUtilities", "numberutils"]);
        let in01 = |n: &Node, x: f64| -> Result<f64, FormatError> {
            if (0.0..=1.0).contains(&x) {
                Ok(x)
            } else {
                Err(src.invalid(n, format!("utility {x} on issue `{k}` is outside [0, 1]; GeniusWeb utilities lie in [0, 1]")))
            }
        };
        let f = match tag {
            Some("DiscreteValueSetUtilities" | "discreteutils") => {
                let IssueKind::Categorical { options } = &issue.kind else {
                    return Err(src.invalid(u, format!("discrete utilities for number issue `{k}`; expected NumberValueSetUtilities")));
                };
                let vu = inner.get("valueUtilities").ok_or_else(|| src.invalid(inner, format!("the utilities of `{k}` have no `valueUtilities`")))?;
                let mut table = vec![0.0; options.len()];
                for (v, x) in expect_obj(src, vu, "`valueUtilities`")? {
                    let j = issue.option_index(v).ok_or_else(|| {
                        src.invalid(
                            x,
                            format!(
                                "utility for \"{v}\", which is not a value of issue `{k}`; expected one of: {}",
                                options.iter().map(|o| o.id.as_str()).collect::<Vec<_>>().join(", ")
                            ),
                        )
                    })?;
                    let J::Num(y) = x.v else { return Err(src.invalid(x, format!("the utility of \"{v}\" is {}; expected a number", x.kind()))) };
                    table[j as usize] = in01(x, y)?;
                }
                ValueFunction::Table(table)
            }
            Some(_) => {
                if matches!(issue.kind, IssueKind::Categorical { .. }) {
                    return Err(src.invalid(u, format!("number utilities for discrete issue `{k}`; expected DiscreteValueSetUtilities")));
                }
                let what = format!("the number utilities of `{k}`");
                let low_value = num(src, inner, "lowValue", &what)?;
                let high_value = num(src, inner, "highValue", &what)?;
                let low_utility = num(src, inner, "lowUtility", &what)?;
                let high_utility = num(src, inner, "highUtility", &what)?;
                in01(inner.get("lowUtility").expect("invariant: read above"), low_utility)?;
                in01(inner.get("highUtility").expect("invariant: read above"), high_utility)?;
                if low_value >= high_value {
                    return Err(src.invalid(inner, format!("{what} have lowValue {low_value} ≥ highValue {high_value}; expected lowValue < highValue")));
                }
                ValueFunction::Interpolate { low_value, low_utility, high_value, high_utility }
            }
            None => {
                return Err(src.invalid(
                    u,
                    format!("the utilities of `{k}` are not tagged; expected {{\"DiscreteValueSetUtilities\": …}} or {{\"NumberValueSetUtilities\": …}}"),
                ))
            }
        };
        values[i] = Some(f);
    }
    if let Some(i) = values.iter().position(Option::is_none) {
        return Err(
            src.invalid(unode, format!("`issueUtilities` has no entry for issue `{}`; expected one per issue", domain.issues[i].display()))
        );
    }
    let values: Vec<ValueFunction> = values.into_iter().map(|v| v.expect("invariant: checked above")).collect();
    let la = LinearAdditive { bias: 0.0, weights, values, clamp: None };
    let mut preferences = Preferences::new(Utility::LinearAdditive(la));

    // Reservation.
    let bid = body.get("reservationBid").filter(|b| b.v != J::Null);
    let rv = body.get("reserved_value").filter(|b| b.v != J::Null);
    preferences.reservation = match (bid, rv) {
        (Some(b), Some(r)) => {
            return Err(
                src.invalid(r, format!("both `reservationBid` (line {}) and `reserved_value`; expected at most one", src.loc(b.at).line))
            )
        }
        (Some(b), None) => {
            let iv = b
                .get("issuevalues")
                .ok_or_else(|| src.invalid(b, "`reservationBid` has no `issuevalues`; expected {\"issuevalues\": {issue: value}}"))?;
            let mut out: Vec<Option<Value>> = vec![None; n];
            for (k, v) in expect_obj(src, iv, "`issuevalues`")? {
                let i = issue_pos(&domain, k).ok_or_else(|| src.invalid(v, format!("`{k}` is not an issue of the domain")))?;
                out[i] = Some(bid_value(src, &domain.issues[i], v)?);
            }
            if let Some(i) = out.iter().position(Option::is_none) {
                return Err(src.invalid(
                    iv,
                    format!(
                        "the reservation bid gives no value for issue `{}`; detente needs a complete reservation outcome",
                        domain.issues[i].display()
                    ),
                ));
            }
            Reservation::Outcome(Outcome(out.into_iter().map(|v| v.expect("invariant: checked above")).collect()))
        }
        (None, Some(r)) => match r.v {
            J::Num(x) => Reservation::Value(x),
            _ => return Err(src.invalid(r, format!("`reserved_value` is {}; expected a number", r.kind()))),
        },
        (None, None) => Reservation::None,
    };
    Ok(Profile { name, domain, domain_at: dnode.at, preferences })
}

/// Builds a scenario from profile files (and an optional domain file), in the order given.
fn build(domain_src: Option<&Src>, profiles: &[Src]) -> Result<Scenario, FormatError> {
    let mut domain: Option<(Domain, String)> = match domain_src {
        Some(src) => Some((parse_domain(src, &src.root)?, src.file.clone())),
        None => None,
    };
    if profiles.is_empty() {
        let file = domain_src.map_or("<string>".to_string(), |s| s.file.clone());
        return Err(FormatError::Invalid {
            location: Location::file(&file),
            message: "no profiles: expected at least one LinearAdditiveUtilitySpace".into(),
        });
    }
    let mut actors: Vec<Actor> = Vec::with_capacity(profiles.len());
    let mut sources = Vec::new();
    for src in profiles {
        let p = parse_profile(src)?;
        match &domain {
            Some((d, from)) if *d != p.domain => {
                return Err(FormatError::Invalid {
                    location: src.loc(p.domain_at),
                    message: format!(
                        "this profile's domain differs from the one in {from}; expected every profile of a folder to share one domain"
                    ),
                })
            }
            Some(_) => {}
            None => domain = Some((p.domain.clone(), src.file.clone())),
        }
        let raw = crate::genius::read::stem(&src.file);
        let id = id_from_name(&raw);
        if actors.iter().any(|a| a.id == id) {
            return Err(FormatError::Invalid {
                location: Location::file(&src.file),
                message: format!("two profiles give the actor id `{id}`"),
            });
        }
        let mut actor = Actor::party(id.clone(), p.preferences);
        actor.name = p.name.filter(|n| *n != id);
        actor.description = Some(format!("GeniusWeb profile {}", src.file));
        sources.push(Source { id: id.clone(), title: Some("GeniusWeb profile".into()), location: Some(src.file.clone()), note: None });
        actors.push(actor);
    }
    let (domain, from) = domain.expect("invariant: at least one profile");
    let draft = ScenarioDraft {
        meta: Metadata {
            id: id_from_name(&domain.name),
            title: domain.name.clone(),
            description: Some(format!("GeniusWeb domain `{}`.", domain.name)),
            assumptions: None,
            sources,
        },
        space: OutcomeSpace::new(domain.issues),
        actors,
        protocol: ProtocolDefaults::default(),
        openings: vec![],
        variants: vec![],
    };
    draft.validate().map_err(|errors| FormatError::model(&from, errors))
}

/// Parses GeniusWeb JSON from memory: an optional domain file and the profiles, each as
/// `(file name, text)`. Profiles become actors in the order given (actor id = file stem).
pub fn from_strs(domain: Option<(&str, &str)>, profiles: &[(&str, &str)]) -> Result<Scenario, FormatError> {
    let d = domain.map(|(f, t)| Src::parse(f, t)).transpose()?;
    let ps = profiles.iter().map(|(f, t)| Src::parse(f, t)).collect::<Result<Vec<_>, _>>()?;
    build(d.as_ref(), &ps)
}

fn read_src(path: &Path) -> Result<Src, FormatError> {
    let bytes = std::fs::read(path).map_err(|source| FormatError::Io { path: path.to_path_buf(), source })?;
    let file = path.display().to_string();
    let text = String::from_utf8(bytes).map_err(|e| FormatError::Syntax {
        location: Location::file(&file),
        message: format!("the file is not UTF-8 (invalid byte at offset {}); JSON must be UTF-8", e.utf8_error().valid_up_to()),
    })?;
    Src::parse(&file, &text)
}

/// Loads a GeniusWeb folder (profiles, and the domain they share).
pub fn load_folder(path: &Path) -> Result<Scenario, FormatError> {
    let io = |source| FormatError::Io { path: path.to_path_buf(), source };
    let mut names: Vec<String> = Vec::new();
    for e in std::fs::read_dir(path).map_err(io)? {
        let e = e.map_err(io)?;
        let name = e.file_name().to_string_lossy().into_owned();
        if name.ends_with(".json") && e.path().is_file() {
            names.push(name);
        }
    }
    names.sort();
    let mut domain: Option<Src> = None;
    let mut profiles = Vec::new();
    for name in names {
        let src = read_src(&path.join(&name))?;
        let Some(members) = src.root.members() else { continue };
        if members.len() == 1 && PROFILE_CLASSES.contains(&members[0].0.as_str()) {
            profiles.push(src);
        } else if members.iter().any(|(k, _)| k == "issuesValues") {
            if let Some(first) = &domain {
                return Err(FormatError::UnknownFormat {
                    path: path.to_path_buf(),
                    reason: format!("holds two GeniusWeb domains ({} and {}); expected at most one", first.file, src.file),
                });
            }
            domain = Some(src);
        }
    }
    if profiles.is_empty() {
        return Err(FormatError::UnknownFormat {
            path: path.to_path_buf(),
            reason: "holds no GeniusWeb profile (.json with a LinearAdditiveUtilitySpace)".into(),
        });
    }
    build(domain.as_ref(), &profiles)
}

/// Loads one GeniusWeb profile file (its domain is embedded); a domain file loads its folder.
pub fn load_file(path: &Path) -> Result<Scenario, FormatError> {
    let src = read_src(path)?;
    if src.root.get("issuesValues").is_some() {
        let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        return load_folder(dir);
    }
    build(None, std::slice::from_ref(&src))
}
