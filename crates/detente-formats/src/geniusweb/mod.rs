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
//! domain's `name`. A file whose only key is a near miss of a profile class (the same name up to
//! case, or within three edits: `LinearAdditiveUtilitySpac`) is an error at that key naming the
//! class expected — skipped, it would drop its party without a word; JSON that is plainly
//! something else (no such key, no `issuesValues`) is skipped, as a folder may hold other files.
//!
//! # Every error, not the first
//! A file that parses is read to the end: every bad issue and value set of its domain, every
//! unknown field, every bad or missing weight and utility, every bad value of the reservation
//! bid, each located, and every file of a folder — together as [`FormatError::Many`], in file
//! order. Mistakes are reported once: nothing is checked against a domain issue whose value set
//! failed; a key naming no issue is reported without the weight (utility, bid value) it leaves
//! missing; the weights' sum only when every weight is right. **Syntax errors stop at the
//! first one of their file** (serde_json's: malformed JSON has no tree to read on), but the other
//! files of a folder are still read.

use crate::genius::read::id_from_name;
use crate::json_spans::{self as json, Node, J};
use crate::{near_miss, note, FormatError, Location};
use detente_core::{
    Actor, Issue, IssueKind, IssueOption, LinearAdditive, Metadata, Outcome, OutcomeSpace, Preferences, ProtocolDefaults, Reservation,
    Scenario, ScenarioDraft, Source, Utility, Value, ValueFunction,
};
use std::path::Path;

/// Top-level keys that mark a GeniusWeb profile of any class.
const PROFILE_CLASSES: &[&str] = &["LinearAdditiveUtilitySpace", "SumOfGroupsUtilitySpace", "DefaultPartialOrdering", "DefaultProfile"];

/// The wrapper key of a JSON object with exactly one key.
fn wrapper(root: &Node) -> Option<&str> {
    match root.members()? {
        [(k, _)] => Some(k.as_str()),
        _ => None,
    }
}

/// The profile class a misspelt wrapper key means, when the object's only key is a near miss
/// of one (same name up to case, or within three edits) without being one.
fn misspelt_class(root: &Node) -> Option<&'static str> {
    let key = wrapper(root)?;
    near_miss(key, PROFILE_CLASSES).filter(|c| *c != key)
}

/// Whether a folder holds GeniusWeb JSON profiles (or a misspelt one: see [`load_folder`]).
pub fn is_geniusweb_folder(path: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(path) else { return false };
    entries.flatten().any(|e| {
        e.file_name().to_string_lossy().ends_with(".json")
            && crate::input::read_bytes(&e.path()).is_ok_and(|b| looks_like_geniusweb(&String::from_utf8_lossy(&b)))
    })
}

/// Whether JSON text is a GeniusWeb object (`{"LinearAdditiveUtilitySpace": …}` or another
/// profile class, or a misspelling of one; or a domain with `issuesValues`).
pub fn looks_like_geniusweb(text: &str) -> bool {
    match json::parse("", text) {
        Ok(n) => {
            wrapper(&n).is_some_and(|k| PROFILE_CLASSES.contains(&k))
                || misspelt_class(&n).is_some()
                || n.members().is_some_and(|m| m.iter().any(|(k, _)| k == "issuesValues"))
        }
        // Malformed JSON (a number out of range, nesting too deep) is still GeniusWeb when it
        // opens like GeniusWeb: its reader then reports the real problem, where the native
        // reader would report a missing `format = 1`.
        Err(_) => opens_like_geniusweb(text),
    }
}

/// Whether text that does not parse opens like a GeniusWeb object: its first key is a profile
/// class (or a near miss of one), or it has an `"issuesValues"` key.
fn opens_like_geniusweb(text: &str) -> bool {
    let rest = text.trim_start_matches('\u{feff}').trim_start();
    let first_key = rest.strip_prefix('{').map(str::trim_start).and_then(|r| r.strip_prefix('"')).and_then(|r| r.split('"').next());
    first_key.is_some_and(|k| PROFILE_CLASSES.contains(&k) || near_miss(k, PROFILE_CLASSES).is_some()) || text.contains("\"issuesValues\"")
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

    /// An error at a member's key (at its value when it has no key).
    fn invalid_key(&self, node: &Node, message: impl Into<String>) -> FormatError {
        FormatError::Invalid { location: self.loc(node.key_at.unwrap_or(node.at)), message: message.into() }
    }

    fn parse(file: &str, text: &str) -> Result<Src, FormatError> {
        Ok(Src { file: file.to_string(), text: text.to_string(), root: json::parse(file, text)? })
    }

    /// The error for a wrapper key that is a near miss of a profile class.
    fn misspelt_wrapper(&self, meant: &str) -> FormatError {
        let (key, node) = &self.root.members().expect("invariant: a wrapper is an object's only key")[0];
        self.invalid_key(
            node,
            format!(
                "the wrapper key is `{key}`, which is not a GeniusWeb profile class; expected `{meant}`: a misspelling? \
                 (files whose only key is far from every profile class are skipped)"
            ),
        )
    }
}

/// A domain as read: its name and issues.
#[derive(Debug, Clone, PartialEq)]
struct Domain {
    name: String,
    issues: Vec<Issue>,
    /// Per issue: its value set had errors (reported); nothing is checked against it, so that
    /// one mistake is reported once.
    broken: Vec<bool>,
}

impl Domain {
    fn has_errors(&self) -> bool {
        self.broken.contains(&true)
    }
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

/// Reads a domain object. Every error it can find goes to `errors` (each bad issue, value and
/// range); `None` when there is no issue list to read at all.
fn parse_domain(src: &Src, n: &Node, errors: &mut Vec<FormatError>) -> Option<Domain> {
    note(errors, expect_obj(src, n, "the domain"))?;
    let name = match n.get("name") {
        Some(Node { v: J::Str(s), .. }) => s.clone(),
        Some(other) => {
            errors.push(src.invalid(other, format!("the domain's `name` is {}; expected a string", other.kind())));
            String::new()
        }
        None => {
            errors.push(src.invalid(n, "the domain has no `name`; expected a string"));
            String::new()
        }
    };
    let Some(iv) = n.get("issuesValues") else {
        errors.push(src.invalid(n, "the domain has no `issuesValues`; expected an object of issue → value set"));
        return None;
    };
    let members = note(errors, expect_obj(src, iv, "`issuesValues`"))?;
    if members.is_empty() {
        errors.push(src.invalid(iv, "`issuesValues` is empty; expected at least one issue"));
        return None;
    }
    let mut domain = Domain { name, issues: Vec::with_capacity(members.len()), broken: Vec::with_capacity(members.len()) };
    for (iname, vs) in members {
        let before = errors.len();
        let kind = value_set(src, iname, vs, errors);
        let id = id_from_name(iname);
        if domain.issues.iter().any(|i| i.id == id) {
            errors.push(src.invalid(vs, format!("issue `{iname}` maps to the id `{id}` of an earlier issue; rename one")));
        }
        let name = (id != *iname).then(|| iname.clone());
        domain.issues.push(Issue { id, name, description: None, kind });
        domain.broken.push(errors.len() > before);
    }
    Some(domain)
}

/// The value set of one domain issue, every error in it reported (a placeholder when there
/// are errors: the issue is then marked broken and never built).
fn value_set(src: &Src, iname: &str, vs: &Node, errors: &mut Vec<FormatError>) -> IssueKind {
    let placeholder = IssueKind::Categorical { options: vec![] };
    let (vs, _) = unwrap_tag(vs, &["DiscreteValueSet", "NumberValueSet"]);
    let what = format!("the value set of issue `{iname}`");
    if note(errors, expect_obj(src, vs, &what)).is_none() {
        return placeholder;
    }
    if let Some(values) = vs.get("values") {
        let J::Arr(items) = &values.v else {
            errors.push(src.invalid(values, format!("`values` of issue `{iname}` is {}; expected an array of strings", values.kind())));
            return placeholder;
        };
        let mut options: Vec<IssueOption> = Vec::with_capacity(items.len());
        let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::with_capacity(items.len());
        for it in items {
            let J::Str(s) = &it.v else {
                errors.push(src.invalid(it, format!("a value of issue `{iname}` is {}; GeniusWeb discrete values are strings", it.kind())));
                continue;
            };
            if s.is_empty() || !seen.insert(s.as_str()) {
                errors
                    .push(src.invalid(it, format!("value \"{s}\" of issue `{iname}` is empty or listed twice; expected distinct values")));
                continue;
            }
            options.push(IssueOption::new(s.clone()));
        }
        if items.is_empty() {
            errors.push(src.invalid(values, format!("issue `{iname}` has no values; expected at least one")));
        }
        IssueKind::Categorical { options }
    } else if let Some(range) = vs.get("range") {
        let what = format!("the range of issue `{iname}`");
        if note(errors, expect_obj(src, range, &what)).is_none() {
            return placeholder;
        }
        let low = note(errors, num(src, range, "low", &what));
        let high = note(errors, num(src, range, "high", &what));
        let step = note(errors, num(src, range, "step", &what));
        let (Some(low), Some(high), Some(step)) = (low, high, step) else { return placeholder };
        if step <= 0.0 || high < low {
            errors.push(src.invalid(range, format!("{what} has low {low}, high {high}, step {step}; expected low ≤ high and step > 0")));
            return placeholder;
        }
        // Counted in floating point first: a huge span or a tiny step (even an infinite span,
        // from a literal like 1e400) must be refused, not wrap or saturate in the conversion.
        let steps = ((high - low) / step * (1.0 + 1e-12)).floor();
        if !steps.is_finite() || steps >= Issue::MAX_VALUES as f64 {
            // The model's limit (value indices are 32-bit), said here with a position.
            let count = match steps {
                s if !s.is_finite() => "unboundedly many".to_owned(),
                s if s < 1e15 => format!("{}", s as u64 + 1),
                s => format!("about {s:.1e}"),
            };
            errors.push(src.invalid(range, format!("{what} has {count} values; expected at most {}", Issue::MAX_VALUES)));
            return placeholder;
        }
        let n_points = steps as u64 + 1;
        if low.fract() == 0.0 && high.fract() == 0.0 && step.fract() == 0.0 && low.abs() < 9e15 && high.abs() < 9e15 {
            IssueKind::Integer { min: low as i64, max: high as i64, step: step as i64, scale: (0.0, 100.0) }
        } else if n_points < 2 {
            errors.push(src.invalid(range, format!("{what} has a single non-integer value {low}; expected at least two values")));
            placeholder
        } else {
            let max = low + step * (n_points - 1) as f64;
            IssueKind::Real { min: low, max, grid: Some(n_points as u32), scale: (0.0, 100.0) }
        }
    } else {
        errors.push(src.invalid(vs, format!("{what} has neither `values` nor `range`; expected one of them")));
        placeholder
    }
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

/// Reads a profile file. Every error it can find goes to `errors`: each unknown field, each
/// bad or missing weight and utility, each bad value of the reservation bid; the profile is
/// `Some` only when there was none.
fn parse_profile(src: &Src, errors: &mut Vec<FormatError>) -> Option<Profile> {
    let before = errors.len();
    let root = &src.root;
    let members = note(errors, expect_obj(src, root, "the file"))?;
    let [(class, body)] = members else {
        errors
            .push(src.invalid(root, "expected a single wrapper key naming the profile class, like {\"LinearAdditiveUtilitySpace\": {…}}"));
        return None;
    };
    if class != "LinearAdditiveUtilitySpace" {
        errors.push(match misspelt_class(root) {
            Some(meant) => src.misspelt_wrapper(meant),
            None => src.invalid(root, format!("profile class `{class}` is not supported; expected LinearAdditiveUtilitySpace")),
        });
        return None;
    }
    let fields = note(errors, expect_obj(src, body, "the LinearAdditiveUtilitySpace"))?;
    const KNOWN: &[&str] = &["name", "domain", "issueWeights", "issueUtilities", "reservationBid", "reserved_value"];
    for (k, n) in fields.iter().filter(|(k, _)| !KNOWN.contains(&k.as_str())) {
        errors.push(src.invalid(n, format!("unknown field `{k}` of LinearAdditiveUtilitySpace; expected one of: {}", KNOWN.join(", "))));
    }
    let name = match body.get("name") {
        Some(Node { v: J::Str(s), .. }) => Some(s.clone()),
        None | Some(Node { v: J::Null, .. }) => None,
        Some(other) => {
            errors.push(src.invalid(other, format!("`name` is {}; expected a string", other.kind())));
            None
        }
    };
    let Some(dnode) = body.get("domain") else {
        errors.push(src.invalid(body, "the profile has no `domain`; expected the domain object"));
        return None;
    };
    let domain = parse_domain(src, dnode, errors)?;
    let weights = read_weights(src, body, &domain, errors);
    let values = read_utilities(src, body, &domain, errors);
    let reservation = read_reservation(src, body, &domain, errors);
    if errors.len() > before {
        return None;
    }
    let (Some(weights), Some(values), Some(reservation)) = (weights, values, reservation) else { return None };
    let la = LinearAdditive { bias: 0.0, weights, values, clamp: None };
    let mut preferences = Preferences::new(Utility::LinearAdditive(la));
    preferences.reservation = reservation;
    Some(Profile { name, domain, domain_at: dnode.at, preferences })
}

/// An object keyed by issue name (`issueWeights`, `issueUtilities`, a bid's `issuevalues`) and
/// how its errors are worded.
struct PerIssue {
    /// Its key in the parent object.
    key: &'static str,
    /// When the parent has no such key.
    absent: &'static str,
    /// A key naming no issue.
    unknown: fn(&str) -> String,
    /// An issue without an entry.
    missing: fn(&Issue) -> String,
}

/// Reads `parent[spec.key]`, an object keyed by issue name: each entry through `read` (which
/// reports its own errors), per issue in domain order, with the object itself. A key naming no
/// issue is an error; so is each issue left without an entry — unless some key named no issue
/// (that key may be the entry meant) or the issue's value set failed. `None` when the object is
/// absent or not an object (reported).
fn per_issue<'n, T>(
    src: &Src,
    parent: &'n Node,
    spec: &PerIssue,
    domain: &Domain,
    errors: &mut Vec<FormatError>,
    mut read: impl FnMut(usize, &str, &Node, &mut Vec<FormatError>) -> Option<T>,
) -> Option<(Vec<Option<T>>, &'n Node)> {
    let Some(node) = parent.get(spec.key) else {
        errors.push(src.invalid(parent, spec.absent));
        return None;
    };
    let mut out: Vec<Option<T>> = std::iter::repeat_with(|| None).take(domain.issues.len()).collect();
    let mut given = vec![false; domain.issues.len()];
    let mut lost_key = false;
    for (k, v) in note(errors, expect_obj(src, node, &format!("`{}`", spec.key)))? {
        let Some(i) = issue_pos(domain, k) else {
            errors.push(src.invalid(v, (spec.unknown)(k)));
            lost_key = true;
            continue;
        };
        given[i] = true;
        out[i] = read(i, k, v, errors);
    }
    if !lost_key {
        for ((g, issue), broken) in given.iter().zip(&domain.issues).zip(&domain.broken) {
            if !g && !broken {
                errors.push(src.invalid(node, (spec.missing)(issue)));
            }
        }
    }
    Some((out, node))
}

const WEIGHTS: PerIssue = PerIssue {
    key: "issueWeights",
    absent: "the profile has no `issueWeights`",
    unknown: |k| format!("weight for `{k}`, which is not an issue of the domain"),
    missing: |issue| format!("`issueWeights` has no weight for issue `{}`; expected one per issue", issue.display()),
};

const UTILITIES: PerIssue = PerIssue {
    key: "issueUtilities",
    absent: "the profile has no `issueUtilities`",
    unknown: |k| format!("utilities for `{k}`, which is not an issue of the domain"),
    missing: |issue| format!("`issueUtilities` has no entry for issue `{}`; expected one per issue", issue.display()),
};

const BID_VALUES: PerIssue = PerIssue {
    key: "issuevalues",
    absent: "`reservationBid` has no `issuevalues`; expected {\"issuevalues\": {issue: value}}",
    unknown: |k| format!("`{k}` is not an issue of the domain"),
    missing: |issue| {
        format!("the reservation bid gives no value for issue `{}`; detente needs a complete reservation outcome", issue.display())
    },
};

/// `issueWeights`: one number in [0, 1] per issue, summing to 1. Every bad or missing weight is
/// reported; the sum only when every weight is right (else it would repeat them).
fn read_weights(src: &Src, body: &Node, domain: &Domain, errors: &mut Vec<FormatError>) -> Option<Vec<f64>> {
    let before = errors.len();
    let (weights, wnode) = per_issue(src, body, &WEIGHTS, domain, errors, |_, k, w, errors| match w.v {
        J::Num(x) if (0.0..=1.0).contains(&x) => Some(x),
        J::Num(x) => {
            errors.push(src.invalid(w, format!("the weight of `{k}` is {x}; expected a number in [0, 1]")));
            None
        }
        _ => {
            errors.push(src.invalid(w, format!("the weight of `{k}` is {}; expected a number", w.kind())));
            None
        }
    })?;
    // Complete unless an issue of the domain failed (reported with the domain).
    let weights: Vec<f64> = weights.into_iter().collect::<Option<_>>().filter(|_| errors.len() == before)?;
    let sum: f64 = weights.iter().sum();
    if (sum - 1.0).abs() > 1e-9 {
        errors.push(src.invalid(wnode, format!("the weights sum to {sum}; GeniusWeb requires them to sum to 1")));
        return None;
    }
    Some(weights)
}

/// `issueUtilities`: one value function per issue. Every bad or missing one is reported.
fn read_utilities(src: &Src, body: &Node, domain: &Domain, errors: &mut Vec<FormatError>) -> Option<Vec<ValueFunction>> {
    let before = errors.len();
    let (values, _) = per_issue(src, body, &UTILITIES, domain, errors, |i, k, u, errors| {
        if domain.broken[i] {
            None
        } else {
            value_function(src, k, &domain.issues[i], u, errors)
        }
    })?;
    values.into_iter().collect::<Option<_>>().filter(|_| errors.len() == before)
}

/// One issue's utilities, every error in them reported (`None` if any).
fn value_function(src: &Src, k: &str, issue: &Issue, u: &Node, errors: &mut Vec<FormatError>) -> Option<ValueFunction> {
    let before = errors.len();
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
                errors.push(src.invalid(u, format!("discrete utilities for number issue `{k}`; expected NumberValueSetUtilities")));
                return None;
            };
            let Some(vu) = inner.get("valueUtilities") else {
                errors.push(src.invalid(inner, format!("the utilities of `{k}` have no `valueUtilities`")));
                return None;
            };
            let mut table = vec![0.0; options.len()];
            let lookup = issue.option_lookup();
            for (v, x) in note(errors, expect_obj(src, vu, "`valueUtilities`"))? {
                let Some(&j) = lookup.get(v.as_str()) else {
                    errors.push(src.invalid(
                        x,
                        format!(
                            "utility for \"{v}\", which is not a value of issue `{k}`; expected one of: {}",
                            options.iter().map(|o| o.id.as_str()).collect::<Vec<_>>().join(", ")
                        ),
                    ));
                    continue;
                };
                let J::Num(y) = x.v else {
                    errors.push(src.invalid(x, format!("the utility of \"{v}\" is {}; expected a number", x.kind())));
                    continue;
                };
                if let Some(y) = note(errors, in01(x, y)) {
                    table[j as usize] = y;
                }
            }
            ValueFunction::Table(table)
        }
        Some(_) => {
            if matches!(issue.kind, IssueKind::Categorical { .. }) {
                errors.push(src.invalid(u, format!("number utilities for discrete issue `{k}`; expected DiscreteValueSetUtilities")));
                return None;
            }
            let what = format!("the number utilities of `{k}`");
            let low_value = note(errors, num(src, inner, "lowValue", &what));
            let low_utility = note(errors, num(src, inner, "lowUtility", &what));
            let high_value = note(errors, num(src, inner, "highValue", &what));
            let high_utility = note(errors, num(src, inner, "highUtility", &what));
            let low_utility = low_utility.and_then(|y| note(errors, in01(inner.get("lowUtility").expect("invariant: read above"), y)));
            let high_utility = high_utility.and_then(|y| note(errors, in01(inner.get("highUtility").expect("invariant: read above"), y)));
            let (low_value, low_utility, high_value, high_utility) = (low_value?, low_utility?, high_value?, high_utility?);
            if low_value >= high_value {
                errors.push(
                    src.invalid(inner, format!("{what} have lowValue {low_value} ≥ highValue {high_value}; expected lowValue < highValue")),
                );
                return None;
            }
            ValueFunction::Interpolate { low_value, low_utility, high_value, high_utility }
        }
        None => {
            errors.push(src.invalid(
                u,
                format!("the utilities of `{k}` are not tagged; expected {{\"DiscreteValueSetUtilities\": …}} or {{\"NumberValueSetUtilities\": …}}"),
            ));
            return None;
        }
    };
    (errors.len() == before).then_some(f)
}

/// `reservationBid` (a complete outcome) or the NegMAS `reserved_value`, at most one. Every bad
/// value of the bid is reported.
fn read_reservation(src: &Src, body: &Node, domain: &Domain, errors: &mut Vec<FormatError>) -> Option<Reservation> {
    let bid = body.get("reservationBid").filter(|b| b.v != J::Null);
    let rv = body.get("reserved_value").filter(|b| b.v != J::Null);
    match (bid, rv) {
        (Some(b), Some(r)) => {
            errors.push(
                src.invalid(r, format!("both `reservationBid` (line {}) and `reserved_value`; expected at most one", src.loc(b.at).line)),
            );
            None
        }
        (Some(b), None) => {
            let before = errors.len();
            let (out, _) = per_issue(src, b, &BID_VALUES, domain, errors, |i, _, v, errors| {
                if domain.broken[i] {
                    None
                } else {
                    note(errors, bid_value(src, &domain.issues[i], v))
                }
            })?;
            let out: Vec<Value> = out.into_iter().collect::<Option<_>>().filter(|_| errors.len() == before)?;
            Some(Reservation::Outcome(Outcome(out)))
        }
        (None, Some(r)) => match r.v {
            J::Num(x) => Some(Reservation::Value(x)),
            _ => {
                errors.push(src.invalid(r, format!("`reserved_value` is {}; expected a number", r.kind())));
                None
            }
        },
        (None, None) => Some(Reservation::None),
    }
}

/// Builds a scenario from profile files (each parsed, or the error that stopped it) and an
/// optional domain file, in the order given — or returns every error of every file, in that
/// order (the domain file's first).
fn build(domain_src: Option<Result<Src, FormatError>>, files: Vec<Result<Src, FormatError>>) -> Result<Scenario, FormatError> {
    let mut errors = Vec::new();
    let domain_file = match &domain_src {
        Some(Ok(src)) => src.file.clone(),
        Some(Err(e)) => e.location().map_or_else(|| "<string>".to_string(), |l| l.file.clone()),
        None => "<string>".to_string(),
    };
    // The domain every profile must share, and the file it comes from; `None` while unknown,
    // or when the one given had errors (then no profile is compared with it).
    let mut domain: Option<(Domain, String)> = None;
    let mut domain_failed = false;
    match domain_src {
        Some(Ok(src)) => match parse_domain(&src, &src.root, &mut errors) {
            Some(d) if !d.has_errors() => domain = Some((d, src.file.clone())),
            _ => domain_failed = true,
        },
        Some(Err(e)) => {
            errors.push(e);
            domain_failed = true;
        }
        None => {}
    }
    if files.is_empty() {
        errors.push(FormatError::Invalid {
            location: Location::file(&domain_file),
            message: "no profiles: expected at least one LinearAdditiveUtilitySpace".into(),
        });
    }
    let mut actors: Vec<Actor> = Vec::with_capacity(files.len());
    let mut sources = Vec::new();
    for file in files {
        let src = match file {
            Ok(src) => src,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let Some(p) = parse_profile(&src, &mut errors) else { continue };
        match &domain {
            Some((d, from)) if *d != p.domain => {
                errors.push(FormatError::Invalid {
                    location: src.loc(p.domain_at),
                    message: format!(
                        "this profile's domain differs from the one in {from}; expected every profile of a folder to share one domain"
                    ),
                });
                continue;
            }
            Some(_) => {}
            None if domain_failed => {}
            None => domain = Some((p.domain.clone(), src.file.clone())),
        }
        let raw = crate::genius::read::stem(&src.file);
        let id = id_from_name(&raw);
        if actors.iter().any(|a| a.id == id) {
            errors.push(FormatError::Invalid {
                location: Location::file(&src.file),
                message: format!("two profiles give the actor id `{id}`"),
            });
            continue;
        }
        let mut actor = Actor::party(id.clone(), p.preferences);
        actor.name = p.name.filter(|n| *n != id);
        actor.description = Some(format!("GeniusWeb profile {}", src.file));
        sources.push(Source { id: id.clone(), title: Some("GeniusWeb profile".into()), location: Some(src.file.clone()), note: None });
        actors.push(actor);
    }
    if let Some(e) = FormatError::from_many(errors) {
        return Err(e);
    }
    let (domain, from) = domain.expect("invariant: at least one profile, all read");
    let draft = ScenarioDraft {
        meta: Metadata {
            id: id_from_name(&domain.name),
            title: domain.name.clone(),
            description: Some(format!("GeniusWeb domain `{}`.", domain.name)),
            assumptions: None,
            sources,
            read_with: None,
        },
        space: OutcomeSpace::new(domain.issues),
        actors,
        protocol: ProtocolDefaults::default(),
        salience: Default::default(),
        openings: vec![],
        variants: vec![],
    };
    draft.validate().map_err(|errors| FormatError::model(&from, errors))
}

/// Parses GeniusWeb JSON from memory: an optional domain file and the profiles, each as
/// `(file name, text)`. Profiles become actors in the order given (actor id = file stem).
/// Every error of every file is reported (see the module docs).
pub fn from_strs(domain: Option<(&str, &str)>, profiles: &[(&str, &str)]) -> Result<Scenario, FormatError> {
    let d = domain.map(|(f, t)| Src::parse(f, t));
    let ps = profiles.iter().map(|(f, t)| Src::parse(f, t)).collect();
    build(d, ps)
}

fn read_src(path: &Path) -> Result<Src, FormatError> {
    let text = crate::input::read_text(path, "JSON")?;
    Src::parse(&path.display().to_string(), &text)
}

/// Loads a GeniusWeb folder (profiles, and the domain they share). Every error of every file is
/// reported, in file-name order. A file whose only key is a near miss of a profile class (the
/// same name up to case, or within three edits: `LinearAdditiveUtilitySpac`) is one of them —
/// skipping it would drop its party without a word; files that are plainly something else (any
/// other JSON a folder may hold) are skipped. A file that is not JSON at all is an error: it
/// cannot be told apart from a broken profile.
pub fn load_folder(path: &Path) -> Result<Scenario, FormatError> {
    let io = |source| FormatError::Io { path: path.to_path_buf(), source };
    let mut names: Vec<String> = Vec::new();
    for e in std::fs::read_dir(path).map_err(io)? {
        let e = e.map_err(io)?;
        let name = e.file_name().to_string_lossy().into_owned();
        // Every `*.json`: one that is not a regular file or cannot be read is an error below.
        if name.ends_with(".json") {
            names.push(name);
        }
    }
    names.sort();
    let mut domain: Option<Src> = None;
    let mut files: Vec<Result<Src, FormatError>> = Vec::new();
    for name in names {
        let src = match read_src(&path.join(&name)) {
            Ok(src) => src,
            Err(e) => {
                files.push(Err(e));
                continue;
            }
        };
        let Some(members) = src.root.members() else { continue };
        if members.len() == 1 && PROFILE_CLASSES.contains(&members[0].0.as_str()) {
            files.push(Ok(src));
        } else if let Some(meant) = misspelt_class(&src.root) {
            files.push(Err(src.misspelt_wrapper(meant)));
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
    if files.is_empty() {
        return Err(FormatError::UnknownFormat {
            path: path.to_path_buf(),
            reason: "holds no GeniusWeb profile (.json with a LinearAdditiveUtilitySpace)".into(),
        });
    }
    build(domain.map(Ok), files)
}

/// Loads one GeniusWeb profile file (its domain is embedded); a domain file loads its folder.
pub fn load_file(path: &Path) -> Result<Scenario, FormatError> {
    let src = read_src(path)?;
    if src.root.get("issuesValues").is_some() {
        let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        return load_folder(dir);
    }
    build(None, vec![Ok(src)])
}
