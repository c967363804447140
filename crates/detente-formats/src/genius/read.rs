//! GENIUS domain and profile XML → detente model.

use super::xml::{Doc, Element};
use super::Semantics;
use crate::{note, FormatError, Location, Notice};
use detente_core::{
    Actor, Discount, Issue, IssueKind, IssueOption, LinearAdditive, Metadata, OutcomeSpace, Preferences, ProtocolDefaults, Reservation,
    Scenario, ScenarioDraft, Source, Utility, ValueFunction,
};

/// GENIUS's threshold below which a discrete issue's maximum evaluation counts as zero.
const GENIUS_MAX_EPS: f64 = 1e-5;

/// The value set of a domain issue.
#[derive(Debug, Clone)]
pub(crate) enum DomKind {
    Discrete(Vec<String>),
    Integer { lo: i64, hi: i64 },
    Real { lo: f64, hi: f64 },
}

impl DomKind {
    fn type_name(&self) -> &'static str {
        match self {
            DomKind::Discrete(_) => "discrete",
            DomKind::Integer { .. } => "integer",
            DomKind::Real { .. } => "real",
        }
    }
}

/// One issue of a domain file.
#[derive(Debug, Clone)]
pub(crate) struct DomIssue {
    pub(crate) name: String,
    pub(crate) index: i64,
    pub(crate) kind: DomKind,
    /// Its definition had errors (already reported): profiles are not checked against it, so
    /// that one mistake is reported once, not again at every profile.
    pub(crate) broken: bool,
}

/// A parsed domain file.
#[derive(Debug, Clone)]
pub(crate) struct Domain {
    /// Name of the root objective.
    pub(crate) objective: String,
    /// The leaf issues in model order.
    pub(crate) issues: Vec<DomIssue>,
    /// Indices of the (non-root) objectives.
    pub(crate) objectives: Vec<i64>,
    /// Index of the root objective, if it has a readable one.
    pub(crate) root_index: Option<i64>,
    /// Some `<issue>` had no usable index (reported): a profile issue whose index the domain
    /// does not know may be that one, so it is not reported again.
    pub(crate) lost_indices: bool,
}

impl Domain {
    /// The largest issue index (0 without issues): NegMAS lists issues `1..=max_index`, a
    /// placeholder in every gap.
    fn max_index(&self) -> i64 {
        self.issues.iter().map(|d| d.index).max().unwrap_or(0)
    }
}

fn parse_f64(doc: &Doc, el: &Element, attr: &str, what: &str) -> Result<f64, FormatError> {
    let text = el.get(attr).ok_or_else(|| doc.invalid_at(el, format!("<{}> has no `{attr}` attribute; expected {what}", el.name)))?;
    match text.trim().parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(x),
        _ => Err(doc.invalid_attr(el, attr, format!("`{attr}` is \"{text}\"; expected {what}"))),
    }
}

fn opt_f64(doc: &Doc, el: &Element, attr: &str, what: &str) -> Result<Option<f64>, FormatError> {
    if el.get(attr).is_some() {
        parse_f64(doc, el, attr, what).map(Some)
    } else {
        Ok(None)
    }
}

fn parse_i64(doc: &Doc, el: &Element, attr: &str, what: &str) -> Result<i64, FormatError> {
    let text = el.get(attr).ok_or_else(|| doc.invalid_at(el, format!("<{}> has no `{attr}` attribute; expected {what}", el.name)))?;
    text.trim().parse::<i64>().map_err(|_| doc.invalid_attr(el, attr, format!("`{attr}` is \"{text}\"; expected {what}")))
}

/// GENIUS's issue/evaluator type: `type`, else (NegMAS profiles aside) discrete; matched
/// case-insensitively; anything unrecognised is discrete (GENIUS `ISSUETYPE.convertToType`).
fn type_of(el: &Element) -> &'static str {
    match el.get("type").map(|t| t.trim().to_ascii_lowercase()) {
        Some(t) if t == "integer" => "integer",
        Some(t) if t == "real" => "real",
        Some(t) if t == "objective" => "objective",
        _ => "discrete",
    }
}

/// Parses a domain document (`<negotiation_template>`). Every error it can find goes to
/// `errors`: each bad issue, bound and item, not only the first. `None` when the document has
/// no issue tree to read at all.
pub(crate) fn parse_domain(doc: &Doc, semantics: Semantics, errors: &mut Vec<FormatError>) -> Option<Domain> {
    let root = &doc.root;
    if root.name != "negotiation_template" {
        errors.push(doc.invalid_at(
            root,
            format!("the root element is <{}>; a GENIUS domain file has <negotiation_template> (a profile has <utility_space>)", root.name),
        ));
        return None;
    }
    let Some(us) = root.children_named("utility_space").next() else {
        errors.push(doc.invalid_at(root, "<negotiation_template> has no <utility_space> child; expected the issue tree there"));
        return None;
    };
    let Some(obj) = us.children_named("objective").next() else {
        errors.push(doc.invalid_at(us, "<utility_space> has no <objective> child; expected the root objective holding the issues"));
        return None;
    };
    let mut domain = Domain {
        objective: obj.get("name").unwrap_or("root").to_string(),
        issues: vec![],
        objectives: vec![],
        root_index: None,
        lost_indices: false,
    };
    let mut seen: Vec<(i64, usize)> = Vec::new();
    if let Some(i) = obj.get("index") {
        if let Ok(i) = i.trim().parse::<i64>() {
            seen.push((i, obj.offset));
            domain.root_index = Some(i);
        }
    }
    let before = errors.len();
    walk_domain(doc, obj, &mut domain, &mut seen, errors);
    if domain.issues.is_empty() && errors.len() == before {
        errors.push(doc.invalid_at(obj, "the domain has no <issue> elements; expected at least one issue"));
    }
    if semantics == Semantics::Negmas {
        // NegMAS places each issue at position `index − 1`.
        domain.issues.sort_by_key(|i| i.index);
    }
    Some(domain)
}

/// GENIUS `DomainImpl.buildTreeRecursive`: at each objective, first the child objectives (each
/// recursively), then the objective's own issues — so the pre-order issue enumeration visits a
/// nested objective's issues before its parent's own. For flat domains this is document order.
fn walk_domain(doc: &Doc, obj: &Element, domain: &mut Domain, seen: &mut Vec<(i64, usize)>, errors: &mut Vec<FormatError>) {
    // The index is free, or the element and its first holder are an error.
    let check_index = |el: &Element, index: i64, seen: &mut Vec<(i64, usize)>| -> Result<(), FormatError> {
        if let Some(&(_, at)) = seen.iter().find(|(i, _)| *i == index) {
            let first = doc.loc(at);
            return Err(doc.invalid_attr(
                el,
                "index",
                format!("index {index} is already used at line {}; expected unique indices", first.line),
            ));
        }
        seen.push((index, el.offset));
        Ok(())
    };
    for child in obj.children_named("objective") {
        match parse_i64(doc, child, "index", "an integer objective index") {
            Ok(index) => match check_index(child, index, seen) {
                Ok(()) => domain.objectives.push(index),
                Err(e) => errors.push(e),
            },
            Err(e) => errors.push(e),
        }
        walk_domain(doc, child, domain, seen, errors);
    }
    for el in obj.children_named("issue") {
        let before = errors.len();
        let name =
            note(errors, el.get("name").ok_or_else(|| doc.invalid_at(el, "<issue> has no `name` attribute; expected the issue's name")));
        let label = name.unwrap_or("?");
        let Some(index) = note(errors, parse_i64(doc, el, "index", "an integer issue index")) else {
            domain.lost_indices = true;
            // Its values are still checked: their mistakes are independent ones.
            let _ = issue_kind(doc, el, label, errors);
            continue;
        };
        if let Err(e) = check_index(el, index, seen) {
            errors.push(e);
            // A profile's <issue index=…> cannot say which of the two it means: check neither.
            if let Some(first) = domain.issues.iter_mut().find(|i| i.index == index) {
                first.broken = true;
            }
            let _ = issue_kind(doc, el, label, errors);
            continue;
        }
        if let Some(name) = name {
            if let Some(other) = domain.issues.iter().find(|i| i.name == name) {
                errors.push(doc.invalid_attr(
                    el,
                    "name",
                    format!("issue name `{name}` is used twice (indices {} and {index}); expected unique names", other.index),
                ));
            }
        }
        let kind = issue_kind(doc, el, label, errors);
        let broken = errors.len() > before;
        domain.issues.push(DomIssue { name: label.to_string(), index, kind, broken });
    }
}

/// The value set of a domain `<issue>`, every error in it reported (a placeholder when there
/// are errors: the issue is then marked broken and never built).
fn issue_kind(doc: &Doc, el: &Element, name: &str, errors: &mut Vec<FormatError>) -> DomKind {
    match type_of(el) {
        "integer" => {
            let range = el.children_named("range").next();
            let bound = |attr: &str| -> Result<i64, FormatError> {
                match (el.get(attr), range) {
                    (None, Some(r)) if r.get(attr).is_some() => parse_i64(doc, r, attr, "an integer bound"),
                    _ => parse_i64(doc, el, attr, "an integer bound (integer issues carry lowerbound/upperbound on <issue>)"),
                }
            };
            let (lo, hi) = (note(errors, bound("lowerbound")), note(errors, bound("upperbound")));
            let (Some(lo), Some(hi)) = (lo, hi) else { return DomKind::Integer { lo: 0, hi: 0 } };
            if hi < lo {
                errors.push(doc.invalid_attr(
                    el,
                    "upperbound",
                    format!("integer issue `{name}` has upperbound {hi} below lowerbound {lo}"),
                ));
            } else if (i128::from(hi) - i128::from(lo)) >= i128::from(Issue::MAX_VALUES) {
                // The model's limit (value indices are 32-bit), said here with a position.
                errors.push(doc.invalid_attr(
                    el,
                    "upperbound",
                    format!("integer issue `{name}` spans [{lo}, {hi}]; expected at most {} values", Issue::MAX_VALUES),
                ));
            }
            DomKind::Integer { lo, hi }
        }
        "real" => {
            let range = el.children_named("range").next();
            let bounds = match range {
                Some(r) => {
                    (note(errors, parse_f64(doc, r, "lowerbound", "a number")), note(errors, parse_f64(doc, r, "upperbound", "a number")))
                }
                None if el.get("lowerbound").is_some() => {
                    (note(errors, parse_f64(doc, el, "lowerbound", "a number")), note(errors, parse_f64(doc, el, "upperbound", "a number")))
                }
                None => {
                    errors.push(doc.invalid_at(el, format!("real issue `{name}` has no <range lowerbound=… upperbound=…/> child")));
                    (None, None)
                }
            };
            let (Some(lo), Some(hi)) = bounds else { return DomKind::Real { lo: 0.0, hi: 0.0 } };
            if hi < lo {
                errors.push(doc.invalid_at(el, format!("real issue `{name}` has upperbound {hi} below lowerbound {lo}")));
            }
            DomKind::Real { lo, hi }
        }
        _ => {
            let mut values: Vec<String> = Vec::new();
            // Hashed: a domain may list hundreds of thousands of items.
            let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
            let mut items = 0usize;
            for item in el.children_named("item") {
                items += 1;
                let Some(v) = item.get("value") else {
                    errors.push(doc.invalid_at(item, format!("an <item> of issue `{name}` has no `value` attribute")));
                    continue;
                };
                if v.is_empty() {
                    errors.push(doc.invalid_attr(item, "value", format!("an <item> of issue `{name}` has an empty value")));
                } else if !seen.insert(v) {
                    errors.push(doc.invalid_attr(
                        item,
                        "value",
                        format!("value `{v}` of issue `{name}` is listed twice; expected distinct values"),
                    ));
                } else {
                    values.push(v.to_string());
                }
            }
            if items == 0 {
                errors.push(
                    doc.invalid_at(el, format!("discrete issue `{name}` has no <item value=…/> children; expected at least one value")),
                );
            }
            DomKind::Discrete(values)
        }
    }
}

/// A profile read against a domain: one value function and weight per domain issue.
pub(crate) struct Profile {
    pub(crate) weights: Vec<f64>,
    pub(crate) values: Vec<ValueFunction>,
    pub(crate) bias: f64,
    pub(crate) discount: Discount,
    pub(crate) reservation: Option<f64>,
    /// What a reader should be told about this profile (see [`Notice`]).
    pub(crate) notices: Vec<Notice>,
}

fn single<'a>(doc: &Doc, root: &'a Element, name: &str) -> Result<Option<&'a Element>, FormatError> {
    let mut found = Vec::new();
    if root.name == name {
        found.push(root);
    }
    root.descendants_named(name, &mut found);
    if found.len() > 1 {
        let first = doc.loc(found[0].offset);
        return Err(doc.invalid_at(found[1], format!("a second <{name}> (the first is at line {}); expected at most one", first.line)));
    }
    Ok(found.first().copied())
}

/// The discount a profile's `<discount_factor value=d>` means under `semantics`.
fn discount_of(doc: &Doc, el: &Element, d: f64, semantics: Semantics) -> Result<Discount, FormatError> {
    match semantics {
        Semantics::Genius => Ok(Discount::genius(d)),
        Semantics::Negmas if !(0.0..=1.0).contains(&d) => Err(doc.invalid_attr(
            el,
            "value",
            format!("discount factor {d} is outside [0, 1]; NegMAS would apply it per round; expected a number in [0, 1]"),
        )),
        Semantics::Negmas if d > 0.0 && d < 1.0 => Ok(Discount::PerRound { factor: d }),
        Semantics::Negmas => Ok(Discount::None),
    }
}

/// Parses a profile document (`<utility_space>`) against its domain. Every error it can find
/// goes to `errors` (each bad weight, evaluation, evaluator; each missing issue); the profile
/// is `Some` only when there was none. Issues the domain could not define are skipped.
pub(crate) fn parse_profile(doc: &Doc, domain: &Domain, semantics: Semantics, errors: &mut Vec<FormatError>) -> Option<Profile> {
    let before = errors.len();
    let root = &doc.root;
    if root.name != "utility_space" {
        errors.push(doc.invalid_at(
            root,
            format!("the root element is <{}>; a GENIUS profile has <utility_space> (a domain has <negotiation_template>)", root.name),
        ));
        return None;
    }
    if let Some(t) = root.get("type") {
        let t = t.trim().to_ascii_lowercase();
        if t == "nonlinear" || t == "constraint" {
            errors.push(doc.invalid_attr(
                root,
                "type",
                format!("non-linear GENIUS utility spaces (type=\"{t}\") are not supported; expected a linear additive profile"),
            ));
            return None;
        }
    }
    let reservation_el = note(errors, single(doc, root, "reservation")).flatten();
    let reservation = match reservation_el {
        Some(el) => note(errors, parse_f64(doc, el, "value", "a number")),
        None => None,
    };
    let discount_el = note(errors, single(doc, root, "discount_factor")).flatten();
    let discount = match discount_el {
        Some(el) => note(errors, parse_f64(doc, el, "value", "a number").and_then(|d| discount_of(doc, el, d, semantics))),
        None => Some(Discount::None),
    };
    let n = domain.issues.len();
    let mut state = ProfileState {
        stray: vec![],
        weights: vec![None; n],
        values: vec![None; n],
        bias: 0.0,
        seen_at: vec![None; n],
        lost_issue: false,
        gap_weight: None,
        notices: vec![],
    };
    walk_profile(doc, root, domain, semantics, &mut state, errors);
    if semantics == Semantics::Negmas {
        negmas_placeholders(doc, domain, &mut state);
    }
    // NegMAS: no `<reservation>` is a reserved value of 0, but a discount factor in (0, 1) wraps
    // the profile in `ExpDiscountedUFun`, whose reserved value is −∞ whatever the file says.
    let reservation = match (semantics, discount) {
        (Semantics::Genius, _) => reservation,
        (Semantics::Negmas, Some(Discount::PerRound { factor })) => {
            let written = reservation_el.and_then(|el| el.get("value")).map(|v| v.trim().to_string());
            let discount = discount_el.and_then(|el| el.get("value")).map_or_else(|| factor.to_string(), |v| v.trim().to_string());
            state.notices.push(Notice::NegmasReservationDropped {
                file: doc.file.clone(),
                actor: id_from_name(&stem(&doc.file)),
                written,
                discount,
            });
            None
        }
        (Semantics::Negmas, _) => Some(reservation.unwrap_or(0.0)),
    };
    // A profile issue the domain does not know takes its weight and its domain issue with it:
    // report that issue only, not the consequences.
    let cascade = state.lost_issue || domain.lost_indices;
    let mut weighted_but_missing: Vec<usize> = Vec::new();
    for &(index, at) in &state.stray {
        if cascade {
            break;
        }
        let location = doc.loc(at);
        let message = match domain.issues.iter().position(|d| d.index == index) {
            Some(k) if state.seen_at[k].is_some() => format!(
                "<weight index=\"{index}\"> is not beside the <issue> of `{}`; GENIUS matches a weight to the issue with its index at the same level",
                domain.issues[k].name
            ),
            Some(k) => {
                weighted_but_missing.push(k);
                format!(
                    "<weight index=\"{index}\"> is for domain issue `{}`, but the profile has no <issue> for it; expected one <issue> per domain issue",
                    domain.issues[k].name
                )
            }
            None => format!("<weight index=\"{index}\"> names no <issue> or <objective> beside it; expected the index of an issue at this level"),
        };
        errors.push(FormatError::Invalid { location, message });
    }
    let mut values = Vec::with_capacity(n);
    let mut weights = Vec::with_capacity(n);
    for (k, issue) in domain.issues.iter().enumerate() {
        if state.seen_at[k].is_none() && !issue.broken && !cascade && !weighted_but_missing.contains(&k) {
            errors.push(doc.invalid_at(
                root,
                format!(
                    "the profile has no <issue> for domain issue `{}` (index {}); expected one <issue> per domain issue",
                    issue.name, issue.index
                ),
            ));
        }
        weights.push(state.weights[k].unwrap_or(0.0));
        values.push(state.values[k].take().unwrap_or_else(|| zero_function(&issue.kind)));
    }
    let discount = discount?;
    (errors.len() == before).then_some(Profile { weights, values, bias: state.bias, discount, reservation, notices: state.notices })
}

fn zero_function(kind: &DomKind) -> ValueFunction {
    match kind {
        DomKind::Discrete(v) => ValueFunction::Table(vec![0.0; v.len()]),
        _ => ValueFunction::Affine { slope: 0.0, offset: 0.0, origin: 0.0, clamp01: false },
    }
}

struct ProfileState {
    /// Weights that matched nothing beside them: `(index, offset)`.
    stray: Vec<(i64, usize)>,
    weights: Vec<Option<f64>>,
    values: Vec<Option<ValueFunction>>,
    bias: f64,
    seen_at: Vec<Option<usize>>,
    /// Some `<issue>` had no index or one the domain does not have (reported).
    lost_issue: bool,
    /// NegMAS semantics: the last weight naming a gap in the domain's issue indices (NegMAS
    /// gives it to its placeholder issues, which all share one name).
    gap_weight: Option<f64>,
    notices: Vec<Notice>,
}

/// NegMAS `issues_from_xml_str` fills every gap in the issue indices `1..=max` with a one-value
/// placeholder issue (value 1). In a profile with discrete issues (NegMAS's "not all numeric"
/// case) each placeholder gets an identity value function and the weight some `<weight>` gave
/// its index, else NegMAS's default 1: it adds `weight × 1` to every utility. (With only
/// integer and real issues NegMAS gives placeholders weight 0.) detente has no placeholder
/// issues: the same constant goes into the bias, with a notice.
fn negmas_placeholders(doc: &Doc, domain: &Domain, st: &mut ProfileState) {
    if !domain.issues.iter().any(|d| matches!(d.kind, DomKind::Discrete(_))) {
        return;
    }
    let max = domain.max_index();
    let within = domain.issues.iter().filter(|d| (1..=max).contains(&d.index)).count() as i64;
    let count = max.max(0) - within;
    if count <= 0 {
        return;
    }
    let constant = count as f64 * st.gap_weight.unwrap_or(1.0);
    st.bias += constant;
    if constant != 0.0 {
        let indices: Vec<i64> = (1..=max).filter(|g| !domain.issues.iter().any(|d| d.index == *g)).take(20).collect();
        st.notices.push(Notice::NegmasPlaceholderConstant { file: doc.file.clone(), indices, constant: constant.to_string() });
    }
}

/// One `<weight>` of a level: its index, its value (`None` when that was an error, reported),
/// the element, and whether an issue or objective beside it took it.
type LevelWeight<'a> = (i64, Option<f64>, &'a Element, bool);

/// GENIUS `AdditiveUtilitySpace.loadTreeRecursive`: at every element, the `<weight>` children
/// give weights (by index) to the `<issue>` and `<objective>` children beside them; an issue
/// gets an evaluator only if such a weight exists. Then recurse into every child.
fn walk_profile(doc: &Doc, el: &Element, domain: &Domain, semantics: Semantics, st: &mut ProfileState, errors: &mut Vec<FormatError>) {
    let mut level: Vec<LevelWeight<'_>> = Vec::new();
    for w in el.children_named("weight") {
        let Some(index) = note(errors, parse_i64(doc, w, "index", "the integer index of an issue")) else { continue };
        if level.iter().any(|(i, ..)| *i == index) {
            errors.push(doc.invalid_attr(w, "index", format!("a second <weight> for index {index}; expected one weight per issue")));
            continue;
        }
        let value = match note(errors, parse_f64(doc, w, "value", "a number")) {
            Some(value) if value < 0.0 => {
                errors.push(doc.invalid_attr(w, "value", format!("weight {value} for index {index} is negative; expected a number ≥ 0")));
                None
            }
            value => value,
        };
        level.push((index, value, w, false));
    }
    for obj in el.children_named("objective") {
        if let Some(i) = obj.get("index").and_then(|i| i.trim().parse::<i64>().ok()) {
            // Objective weights exist in some files; GENIUS ignores them in the utility.
            if let Some(slot) = level.iter_mut().find(|(j, ..)| *j == i) {
                slot.3 = true;
            }
        }
    }
    for is in el.children_named("issue") {
        let Some(index) = note(errors, parse_i64(doc, is, "index", "an integer issue index")) else {
            st.lost_issue = true;
            continue;
        };
        let Some(k) = domain.issues.iter().position(|d| d.index == index) else {
            st.lost_issue = true;
            if !domain.lost_indices {
                let known: Vec<String> = domain.issues.iter().map(|d| format!("{} `{}`", d.index, d.name)).collect();
                errors.push(doc.invalid_attr(
                    is,
                    "index",
                    format!(
                        "issue index {index} (`{}`) is not an issue of the domain; expected one of: {}",
                        is.get("name").unwrap_or("?"),
                        known.join(", ")
                    ),
                ));
            }
            continue;
        };
        let dom = &domain.issues[k];
        // The weight beside it is taken whatever follows (else it would be reported as stray).
        // `Some(None)`: there is a weight, but its value was an error.
        let weight = level.iter_mut().find(|(i, ..)| *i == index).map(|s| {
            s.3 = true;
            s.1
        });
        if let Some(prev) = st.seen_at[k] {
            let first = doc.loc(prev);
            errors.push(
                doc.invalid_at(is, format!("a second <issue> for `{}` (the first is at line {}); expected one", dom.name, first.line)),
            );
            continue;
        }
        st.seen_at[k] = Some(is.offset);
        if dom.broken {
            continue; // its definition's errors are reported; matching against it would repeat them
        }
        if let Some(name) = is.get("name") {
            if name != dom.name {
                // Matched by index (as GENIUS): a name that is another domain issue's means the
                // profile swaps issues, which NegMAS would read with weights and evaluations of
                // different issues (it matches evaluations by name but weights by index).
                let other = match domain.issues.iter().find(|d| d.name == name) {
                    Some(d) => format!(" (`{name}` is issue {} in the domain: the profile swaps issue names)", d.index),
                    None => String::new(),
                };
                errors.push(doc.invalid_attr(
                    is,
                    "name",
                    format!(
                        "issue {index} is named `{name}` here but `{}` in the domain{other}; the profile does not match the domain",
                        dom.name
                    ),
                ));
                continue; // its evaluations are for another issue: not checked against this one
            }
        }
        let etype = type_of(is);
        if etype != dom.kind.type_name() {
            errors.push(doc.invalid_attr(
                is,
                "type",
                format!(
                    "issue `{}` is {} here but {} in the domain; the profile does not match the domain",
                    dom.name,
                    etype,
                    dom.kind.type_name()
                ),
            ));
            continue;
        }
        match (weight, semantics) {
            (Some(weight), _) => {
                st.weights[k] = weight;
                st.values[k] = evaluator(doc, is, dom, semantics, &mut st.notices, errors);
            }
            // No weight beside it: GENIUS loads no evaluator, so the issue contributes 0 …
            (None, Semantics::Genius) => {}
            // … while NegMAS reads the evaluator and gives it the default weight 1.
            (None, Semantics::Negmas) => {
                st.weights[k] = Some(1.0);
                st.values[k] = evaluator(doc, is, dom, semantics, &mut st.notices, errors);
            }
        }
    }
    for (index, value, w, used) in &level {
        if *used {
            continue;
        }
        match semantics {
            Semantics::Negmas => {
                let max = domain.max_index();
                if !(1..=max).contains(index) {
                    // NegMAS adds a weight whose index is outside its issue list to a constant term.
                    st.bias += value.unwrap_or(0.0);
                    continue;
                }
                if !domain.issues.iter().any(|d| d.index == *index) {
                    // A gap: NegMAS's placeholder issue takes it (see `negmas_placeholders`).
                    st.gap_weight = Some(value.unwrap_or(0.0));
                    continue;
                }
            }
            // GENIUS ignores a weight that names no issue or objective beside it; the one case
            // in real files is a weight naming an (enclosing) objective, as ANAC 2012's Fitness
            // profiles weigh their root objective: ignored. Any other is an error (a typo).
            Semantics::Genius if domain.root_index == Some(*index) || domain.objectives.contains(index) => continue,
            Semantics::Genius => {}
        }
        st.stray.push((*index, w.attr("index").map_or(w.offset, |a| a.offset)));
    }
    for child in &el.children {
        walk_profile(doc, child, domain, semantics, st, errors);
    }
}

/// The value function of a profile `<issue>`, every error in it reported (`None` if any).
fn evaluator(
    doc: &Doc,
    is: &Element,
    dom: &DomIssue,
    semantics: Semantics,
    notices: &mut Vec<Notice>,
    errors: &mut Vec<FormatError>,
) -> Option<ValueFunction> {
    let name = &dom.name;
    let before = errors.len();
    let f = match &dom.kind {
        DomKind::Discrete(values) => {
            let mut evals: Vec<Option<f64>> = vec![None; values.len()];
            let mut given = vec![false; values.len()];
            // The evaluation text each value has so far (a later <item> replaces it).
            let mut written: Vec<Option<&str>> = vec![None; values.len()];
            // An item naming no domain value may be the one a missing value was meant to have.
            let mut lost_item = false;
            let lookup: std::collections::HashMap<&str, usize> = values.iter().enumerate().map(|(k, v)| (v.as_str(), k)).collect();
            for item in is.children_named("item") {
                let Some(v) = item.get("value") else {
                    errors.push(doc.invalid_at(item, format!("an <item> of issue `{name}` has no `value` attribute")));
                    lost_item = true;
                    continue;
                };
                let Some(&k) = lookup.get(v) else {
                    errors.push(doc.invalid_attr(
                        item,
                        "value",
                        format!("value `{v}` is not a value of issue `{name}` in the domain; expected one of: {}", values.join(", ")),
                    ));
                    lost_item = true;
                    continue;
                };
                let twice = given[k];
                given[k] = true;
                let Some(text) = item.get("evaluation").filter(|t| t.trim() != "null") else {
                    errors.push(
                        doc.invalid_at(item, format!("value `{v}` of issue `{name}` has no `evaluation` attribute; expected a number ≥ 0")),
                    );
                    continue;
                };
                match text.trim().parse::<f64>() {
                    Ok(e) if e.is_finite() && e < 0.0 => errors.push(doc.invalid_attr(
                        item,
                        "evaluation",
                        format!("evaluation {e} of value `{v}` (issue `{name}`) is negative; GENIUS requires evaluations ≥ 0"),
                    )),
                    Ok(e) if e.is_finite() => {
                        // Evaluated twice (AMPOvsCity): the last one counts, as in GENIUS
                        // (`HashMap.put`) and NegMAS (a dict assignment).
                        if let (true, Some(dropped)) = (twice, written[k]) {
                            notices.push(Notice::GeniusEvaluatedTwice {
                                location: doc.loc(item.attr("evaluation").map_or(item.offset, |a| a.offset)),
                                issue: name.clone(),
                                value: v.to_string(),
                                kept: text.trim().to_string(),
                                dropped: dropped.trim().to_string(),
                            });
                        }
                        written[k] = Some(text);
                        evals[k] = Some(e);
                    }
                    _ => errors.push(doc.invalid_attr(item, "evaluation", format!("evaluation \"{text}\" of value `{v}` is not a number"))),
                }
            }
            let missing: Vec<&str> = values.iter().zip(&given).filter(|(_, g)| !**g).map(|(v, _)| v.as_str()).collect();
            match missing[..] {
                _ if lost_item => {}
                [] => {}
                [v] => errors.push(doc.invalid_at(
                    is,
                    format!("value `{v}` of issue `{name}` has no evaluation; expected an <item value=\"{v}\" evaluation=…/> for every domain value"),
                )),
                _ => errors.push(doc.invalid_at(
                    is,
                    format!(
                        "values `{}` of issue `{name}` have no evaluation; expected an <item value=… evaluation=…/> for every domain value",
                        missing.join("`, `")
                    ),
                )),
            }
            let mut table: Vec<f64> = evals.iter().map(|e| e.unwrap_or(0.0)).collect();
            if semantics == Semantics::Genius {
                let max = table.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                if max < GENIUS_MAX_EPS {
                    table.iter_mut().for_each(|x| *x = 0.0);
                } else {
                    table.iter_mut().for_each(|x| *x /= max);
                }
            }
            Some(ValueFunction::Table(table))
        }
        DomKind::Integer { lo, hi } => {
            let Some(ev) = is.children_named("evaluator").next() else {
                errors.push(
                    doc.invalid_at(
                        is,
                        format!("integer issue `{name}` has no <evaluator ftype=\"linear\" slope=… offset=…/>; expected one"),
                    ),
                );
                return None;
            };
            match semantics {
                Semantics::Genius => {
                    // The bound the evaluator is measured from: the profile's `lowerbound`, or
                    // its `<range lowerbound=…>` (which GENIUS 10.4 itself cannot read).
                    let what = "the integer lower bound the evaluator is measured from";
                    let l = match (is.get("lowerbound"), is.children_named("range").next()) {
                        (None, Some(r)) if r.get("lowerbound").is_some() => note(errors, parse_i64(doc, r, "lowerbound", what)),
                        _ => note(errors, parse_i64(doc, is, "lowerbound", what)),
                    };
                    // `slope`/`offset`; older GENIUS profiles name them `parameter1`/`parameter0`.
                    let slope = note(errors, genius_param(doc, ev, "slope", "parameter1"));
                    let offset = note(errors, genius_param(doc, ev, "offset", "parameter0"));
                    Some(ValueFunction::Affine { slope: slope?, offset: offset?, origin: l? as f64, clamp01: true })
                }
                Semantics::Negmas => {
                    // NegMAS reads the bounds from `<issue>`, a `<range>` child overriding them.
                    let range = is.children_named("range").next();
                    for (attr, bound, below) in [("lowerbound", lo, true), ("upperbound", hi, false)] {
                        let el = range.filter(|r| r.get(attr).is_some()).unwrap_or(is);
                        if let Some(b) = note(errors, opt_f64(doc, el, attr, "an integer bound")).flatten() {
                            if (below && b < *bound as f64) || (!below && b > *bound as f64) {
                                errors.push(doc.invalid_attr(
                                    el,
                                    attr,
                                    format!("{attr} {b} of issue `{name}` is outside the domain's bounds [{lo}, {hi}]"),
                                ));
                            }
                        }
                    }
                    negmas_linear(doc, ev, errors)
                }
            }
        }
        DomKind::Real { .. } => {
            let Some(ev) = is.children_named("evaluator").next() else {
                errors.push(
                    doc.invalid_at(is, format!("real issue `{name}` has no <evaluator ftype=…/>; expected linear, constant or triangular")),
                );
                return None;
            };
            let ftype = ev.get("ftype").map(|f| f.trim().to_ascii_lowercase()).unwrap_or_default();
            match (ftype.as_str(), semantics) {
                ("linear", Semantics::Genius) => {
                    let offset = note(errors, parse_f64(doc, ev, "parameter0", "the constant term (a number)"));
                    let slope = note(errors, parse_f64(doc, ev, "parameter1", "the slope (a number)"));
                    Some(ValueFunction::Affine { slope: slope?, offset: offset?, origin: 0.0, clamp01: true })
                }
                ("linear", Semantics::Negmas) => negmas_linear(doc, ev, errors),
                ("constant", Semantics::Genius) => {
                    let offset = note(errors, parse_f64(doc, ev, "parameter0", "the constant (a number)"))?;
                    Some(ValueFunction::Affine { slope: 0.0, offset, origin: 0.0, clamp01: false })
                }
                ("triangular", _) => {
                    let lower = note(errors, parse_f64(doc, ev, "parameter0", "the lower end (a number)"));
                    let upper = note(errors, parse_f64(doc, ev, "parameter1", "the upper end (a number)"));
                    let top = note(errors, parse_f64(doc, ev, "parameter2", "the top (a number)"));
                    let (lower, upper, top) = (lower?, upper?, top?);
                    if !(lower <= top && top <= upper) {
                        errors.push(
                            doc.invalid_at(ev, format!("triangular evaluator needs lower ≤ top ≤ upper, got {lower}, {top}, {upper}")),
                        );
                        return None;
                    }
                    Some(ValueFunction::Triangular { lower, upper, top, height: 1.0 })
                }
                (other, _) => {
                    let accepted =
                        if semantics == Semantics::Genius { "linear, constant or triangular" } else { "linear or triangular (NegMAS)" };
                    errors.push(doc.invalid_attr(
                        ev,
                        "ftype",
                        format!("evaluator ftype \"{other}\" of real issue `{name}` is not supported; expected {accepted}"),
                    ));
                    None
                }
            }
        }
    };
    f.filter(|_| errors.len() == before)
}

/// An integer evaluator's parameter under GENIUS semantics: `name`, else the older `fallback`.
fn genius_param(doc: &Doc, ev: &Element, name: &str, fallback: &str) -> Result<f64, FormatError> {
    if ev.get(name).is_none() && ev.get(fallback).is_some() {
        parse_f64(doc, ev, fallback, "a number")
    } else {
        parse_f64(doc, ev, name, "a number")
    }
}

/// NegMAS `make_fun_from_xml` for `ftype="linear"`: `offset + slope·x` on the absolute value,
/// unclamped; `offset` falls back to `parameter0` then 0, `slope` to `parameter1` then 1.
fn negmas_linear(doc: &Doc, ev: &Element, errors: &mut Vec<FormatError>) -> Option<ValueFunction> {
    let either = |a: &str, b: &str, default: f64| -> Result<f64, FormatError> {
        match opt_f64(doc, ev, a, "a number")? {
            Some(x) => Ok(x),
            None => Ok(opt_f64(doc, ev, b, "a number")?.unwrap_or(default)),
        }
    };
    let offset = note(errors, either("offset", "parameter0", 0.0));
    let slope = note(errors, either("slope", "parameter1", 1.0));
    Some(ValueFunction::Affine { slope: slope?, offset: offset?, origin: 0.0, clamp01: false })
}

/// A valid detente id from a GENIUS name: trimmed, `=` and `,` (which the outcome syntax uses)
/// replaced by `-` and `;`, line breaks by spaces.
pub(crate) fn id_from_name(name: &str) -> String {
    let s: String = name
        .trim()
        .chars()
        .map(|c| match c {
            '=' => '-',
            ',' => ';',
            '\n' | '\r' => ' ',
            c => c,
        })
        .collect();
    if s.is_empty() {
        "_".to_string()
    } else {
        s
    }
}

/// The stem of a file name (`dir/laptop_buyer.xml` → `laptop_buyer`).
pub(crate) fn stem(file: &str) -> String {
    let base = file.rsplit(['/', '\\']).next().unwrap_or(file);
    match base.rfind('.') {
        Some(p) if p > 0 => base[..p].to_string(),
        _ => base.to_string(),
    }
}

/// Builds the scenario from a parsed domain and its profiles (in the given order).
pub(crate) fn build(domain_doc: &Doc, domain: &Domain, profiles: &[(Doc, Profile)], semantics: Semantics) -> Result<Scenario, FormatError> {
    let issues: Vec<Issue> = domain
        .issues
        .iter()
        .map(|d| {
            let id = id_from_name(&d.name);
            let name = (id != d.name).then(|| d.name.clone());
            let kind = match &d.kind {
                DomKind::Discrete(v) => IssueKind::Categorical { options: v.iter().map(|x| IssueOption::new(x.clone())).collect() },
                DomKind::Integer { lo, hi } => IssueKind::Integer { min: *lo, max: *hi, step: 1, scale: (0.0, 100.0) },
                DomKind::Real { lo, hi } => IssueKind::Real { min: *lo, max: *hi, grid: None, scale: (0.0, 100.0) },
            };
            Issue { id, name, description: None, kind }
        })
        .collect();
    let mut errors: Vec<FormatError> = Vec::new();
    let mut ids: Vec<&str> = Vec::new();
    for i in &issues {
        if ids.contains(&i.id.as_str()) {
            errors.push(FormatError::Invalid {
                location: Location::file(&domain_doc.file),
                message: format!("two issues map to the same id `{}` once `=`/`,` are replaced; rename one", i.id),
            });
        }
        ids.push(&i.id);
    }
    let space = OutcomeSpace::new(issues);
    let mut actors: Vec<Actor> = Vec::with_capacity(profiles.len());
    for (doc, p) in profiles {
        let clamp = match semantics {
            Semantics::Genius => Some((f64::NEG_INFINITY, 1.0)),
            Semantics::Negmas => None,
        };
        let la = LinearAdditive { bias: p.bias, weights: p.weights.clone(), values: p.values.clone(), clamp };
        let mut prefs = Preferences::new(Utility::LinearAdditive(la));
        prefs.discount = p.discount;
        prefs.reservation = p.reservation.map_or(Reservation::None, Reservation::Value);
        let raw = stem(&doc.file);
        let id = id_from_name(&raw);
        if actors.iter().any(|a| a.id == id) {
            errors.push(FormatError::Invalid {
                location: Location::file(&doc.file),
                message: format!("two profiles give the same actor id `{id}`; expected distinct file names"),
            });
            continue;
        }
        let mut actor = Actor::party(id.clone(), prefs);
        if id != raw {
            actor.name = Some(raw);
        }
        actor.description = Some(format!("GENIUS profile {}", doc.file));
        actors.push(actor);
    }
    if let Some(e) = FormatError::from_many(errors) {
        return Err(e);
    }
    let dstem = stem(&domain_doc.file);
    let sem = match semantics {
        Semantics::Genius => "GENIUS semantics",
        Semantics::Negmas => "NegMAS semantics",
    };
    let mut sources = vec![Source {
        id: "domain".into(),
        title: Some(format!("GENIUS domain `{}`", domain.objective)),
        location: Some(domain_doc.file.clone()),
        note: None,
    }];
    for (doc, _) in profiles {
        sources.push(Source { id: stem(&doc.file), title: Some("GENIUS profile".into()), location: Some(doc.file.clone()), note: None });
    }
    let draft = ScenarioDraft {
        meta: Metadata {
            id: id_from_name(&dstem),
            title: dstem.clone(),
            description: Some(format!("GENIUS domain `{}` ({}), read with {sem}.", domain.objective, dstem)),
            assumptions: None,
            sources,
            read_with: Some(semantics),
        },
        space,
        actors,
        protocol: ProtocolDefaults::default(),
        salience: Default::default(),
        openings: vec![],
        variants: vec![],
    };
    draft.validate().map_err(|errors| FormatError::model(&domain_doc.file, errors))
}
