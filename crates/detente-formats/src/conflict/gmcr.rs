//! gmcr-py / GMCR+ project files (`*.gmcr`, JSON), read as gmcr-py 0.4.1 reads them
//! (`data_01_conflictModel.py`, `ConflictModel.json_import`; the spec's §8):
//!
//! - `options`: `[{"name", "permittedDirection": "both" | "fwd" | "back"}]`;
//! - `decisionMakers`: `[{"name", "options": [option index], "preferences": [statement],
//!   "preferenceRanking": [state | [tied states]], "misperceptions": [condition], "payoffs"}]`;
//!   the old key `preferenceVector` stands for `preferenceRanking`; `payoffs` is ignored;
//! - `infeasibles`: `[condition]`; `useManualPreferenceRanking` (old files:
//!   `useManualPreferenceVectors`): when true each DM's `preferenceRanking` is its preference,
//!   otherwise its statements are (scored 2^(q−j));
//! - a condition is `[[option index, "Y" | "N"], …]` (all must hold), a statement a condition or
//!   `{"compound": true, "members": [condition, …]}` (any member holds);
//! - `coalitions`: an optional partition of the DMs (`[[0, 1], 2]`: indices, an integer a DM
//!   alone), which the analysis takes as its movers ([`crate::conflict::Project::coalitions`]);
//!   `coalitionsFull` (an export of the same), `program` and `version` are accepted and not used.
//!
//! Option indices refer to the file's `options`. After reading, the options are reordered as
//! gmcr-py's `reorderOptionsByDM` does (each DM's options moved together, in DM order: the
//! k-th option moved is popped and inserted at index k, which leaves a file gmcr-py saved
//! unchanged); conditions follow their options. State numbers in `preferenceRanking` are
//! gmcr-py's "ordered" numbers over the reordered options: feasible states sorted by decimal
//! value (first option = bit 0), 1-based.
//!
//! Every error of a file that parses is reported, each at its key or value.

use super::spec::{Direction, DmSpec, Expr, OptionSpec, PrefSpec, Spec};
use crate::json_spans::{self as json, Node, J};
use crate::{FormatError, Location};

struct Src<'a> {
    file: &'a str,
    text: &'a str,
}

impl Src<'_> {
    fn at(&self, n: &Node, message: impl Into<String>) -> FormatError {
        FormatError::Invalid { location: Location::from_offset(self.file, self.text, n.at), message: message.into() }
    }
    fn at_key(&self, n: &Node, message: impl Into<String>) -> FormatError {
        FormatError::Invalid { location: Location::from_offset(self.file, self.text, n.key_at.unwrap_or(n.at)), message: message.into() }
    }
}

const TOP_KEYS: [&str; 9] = [
    "options",
    "decisionMakers",
    "infeasibles",
    "useManualPreferenceRanking",
    "useManualPreferenceVectors",
    "coalitions",
    "coalitionsFull",
    "program",
    "version",
];
const DM_KEYS: [&str; 7] = ["name", "options", "preferences", "preferenceRanking", "preferenceVector", "misperceptions", "payoffs"];

/// What a `.gmcr` file says, before the model is built; errors in file order.
pub(crate) fn read(text: &str, file: &str) -> Result<Spec, FormatError> {
    let root = json::parse(file, text)?;
    let src = Src { file, text };
    let mut errors = Vec::new();
    let Some(members) = root.members() else {
        return Err(
            src.at(&root, format!("found {}; expected a gmcr-py project: an object with \"options\" and \"decisionMakers\"", root.kind()))
        );
    };
    for (k, v) in members {
        if !TOP_KEYS.contains(&k.as_str()) {
            errors.push(src.at_key(v, format!("unknown key \"{k}\"; expected one of {}", TOP_KEYS.map(|k| format!("\"{k}\"")).join(", "))));
        }
    }
    let missing = |key: &str, what: &str| FormatError::Invalid {
        location: Location::from_offset(file, text, root.at),
        message: format!("missing \"{key}\"; expected {what}"),
    };
    // options
    let mut options: Vec<OptionSpec> = Vec::new();
    match root.get("options") {
        None => errors.push(missing("options", "the list of options")),
        Some(n) => match &n.v {
            J::Arr(items) => {
                for (i, o) in items.iter().enumerate() {
                    if let Some(opt) = option(&src, o, i, &mut errors) {
                        options.push(opt);
                    } else {
                        options.push(OptionSpec {
                            id: format!("o{}", i + 1),
                            name: String::new(),
                            direction: Direction::Both,
                            source: None,
                        });
                    }
                }
            }
            _ => errors.push(src.at(n, format!("found {}; expected an array of options", n.kind()))),
        },
    }
    let k = options.len();
    // manual ranking?
    let manual = match (root.get("useManualPreferenceRanking"), root.get("useManualPreferenceVectors")) {
        (Some(n), _) | (None, Some(n)) => match n.v {
            J::Bool(b) => b,
            _ => {
                errors.push(src.at(n, format!("found {}; expected true or false", n.kind())));
                false
            }
        },
        (None, None) => {
            errors.push(missing("useManualPreferenceRanking", "true or false (old files: \"useManualPreferenceVectors\")"));
            false
        }
    };
    // decision makers
    struct RawDm {
        name: String,
        options: Vec<usize>,
        statements: Vec<(String, Expr)>,
        ranking: Option<(Vec<Vec<u64>>, usize)>,
    }
    let mut dms: Vec<RawDm> = Vec::new();
    match root.get("decisionMakers") {
        None => errors.push(missing("decisionMakers", "the list of decision makers")),
        Some(n) => match &n.v {
            J::Arr(items) if items.len() < 2 => {
                errors.push(src.at(n, format!("{} decision maker(s); expected at least two", items.len())));
            }
            J::Arr(items) => {
                for d in items {
                    let Some(ms) = d.members() else {
                        errors.push(src.at(
                            d,
                            format!(
                                "found {}; expected a decision maker: an object with \"name\", \"options\" and \"preferences\"",
                                d.kind()
                            ),
                        ));
                        continue;
                    };
                    for (key, v) in ms {
                        if !DM_KEYS.contains(&key.as_str()) {
                            errors.push(src.at_key(
                                v,
                                format!("unknown key \"{key}\"; expected one of {}", DM_KEYS.map(|k| format!("\"{k}\"")).join(", ")),
                            ));
                        }
                    }
                    let name = match d.get("name") {
                        Some(Node { v: J::Str(s), .. }) => s.clone(),
                        Some(other) => {
                            errors.push(src.at(other, format!("found {}; expected the decision maker's name as a string", other.kind())));
                            String::new()
                        }
                        None => {
                            errors.push(src.at(d, "missing \"name\"; expected the decision maker's name"));
                            String::new()
                        }
                    };
                    let mut opts = Vec::new();
                    match d.get("options") {
                        Some(Node { v: J::Arr(xs), .. }) => {
                            for x in xs {
                                if let Some(i) = index(&src, x, k, &mut errors) {
                                    if !opts.contains(&i) {
                                        opts.push(i);
                                    }
                                }
                            }
                        }
                        Some(other) => errors.push(src.at(other, format!("found {}; expected an array of option indices", other.kind()))),
                        None => {
                            errors.push(src.at(d, "missing \"options\"; expected the indices of the options this decision maker controls"))
                        }
                    }
                    let mut statements = Vec::new();
                    match d.get("preferences") {
                        Some(Node { v: J::Arr(xs), .. }) => {
                            for x in xs {
                                if let Some(e) = statement(&src, x, k, &mut errors) {
                                    statements.push((render(&e, k), e));
                                }
                            }
                        }
                        Some(other) => {
                            errors.push(src.at(other, format!("found {}; expected an array of preference statements", other.kind())))
                        }
                        None => errors
                            .push(src.at(d, "missing \"preferences\"; expected the decision maker's preference statements (may be empty)")),
                    }
                    if let Some(m) = d.get("misperceptions") {
                        match &m.v {
                            J::Arr(xs) if xs.is_empty() => {}
                            J::Null => {}
                            J::Arr(_) => errors.push(src.at(m, "misperceptions are not supported by detente yet; expected an empty list")),
                            _ => errors.push(src.at(m, format!("found {}; expected an array of conditions", m.kind()))),
                        }
                    }
                    let ranking = match (d.get("preferenceRanking"), d.get("preferenceVector")) {
                        (Some(r), _) | (None, Some(r)) if manual => ranking(&src, r, &mut errors).map(|x| (x, r.at)),
                        (None, None) if manual => {
                            errors.push(src.at(
                                d,
                                "missing \"preferenceRanking\"; expected the manual ranking (the file sets useManualPreferenceRanking)",
                            ));
                            None
                        }
                        _ => None,
                    };
                    dms.push(RawDm { name, options: opts, statements, ranking });
                }
            }
            _ => errors.push(src.at(n, format!("found {}; expected an array of decision makers", n.kind()))),
        },
    }
    // infeasibles
    let mut infeasible = Vec::new();
    match root.get("infeasibles") {
        None => errors.push(missing("infeasibles", "the list of infeasible conditions (may be empty)")),
        Some(Node { v: J::Arr(xs), .. }) => {
            for x in xs {
                if let Some(e) = condition(&src, x, k, &mut errors) {
                    infeasible.push(e);
                }
            }
        }
        Some(n) => errors.push(src.at(n, format!("found {}; expected an array of conditions", n.kind()))),
    }
    let mut coalitions: Option<Vec<Vec<usize>>> = None;
    if let Some(c) = root.get("coalitions") {
        match &c.v {
            J::Arr(items) => {
                let n = dms.len();
                let mut seen = vec![false; n];
                let mut groups = Vec::new();
                for item in items {
                    let members: Vec<&Node> = match &item.v {
                        J::Arr(xs) => xs.iter().collect(),
                        _ => vec![item],
                    };
                    let mut group = Vec::new();
                    for m in members {
                        match m.v {
                            J::Num(x) if x.fract() == 0.0 && x >= 0.0 && (x as usize) < n && !seen[x as usize] => {
                                seen[x as usize] = true;
                                group.push(x as usize);
                            }
                            J::Num(x) if x.fract() == 0.0 && x >= 0.0 && (x as usize) < n => {
                                errors.push(src.at(m, format!("decision maker {x} is in two coalitions; expected a partition")));
                            }
                            _ => errors.push(
                                src.at(m, format!("found {}; expected a decision-maker index from 0 to {}", m.kind(), n.saturating_sub(1))),
                            ),
                        }
                    }
                    if !group.is_empty() {
                        groups.push(group);
                    }
                }
                // DMs the file leaves out act alone, as in gmcr-py
                groups.extend((0..n).filter(|&d| !seen[d]).map(|d| vec![d]));
                if groups.iter().any(|g| g.len() > 1) {
                    coalitions = Some(groups);
                }
            }
            _ => errors.push(src.at(c, format!("found {}; expected an array of decision-maker indices and lists of them", c.kind()))),
        }
    }
    // every option needs exactly one owner
    for (i, o) in options.iter().enumerate() {
        let owners: Vec<&str> = dms.iter().filter(|d| d.options.contains(&i)).map(|d| d.name.as_str()).collect();
        if owners.len() > 1 && errors.is_empty() {
            errors.push(src.at(
                root.get("decisionMakers").unwrap_or(&root),
                format!("option {i} (\"{}\") is controlled by {}; expected exactly one decision maker", o.name, owners.join(" and ")),
            ));
        }
    }
    if let Some(e) = FormatError::from_many(errors) {
        return Err(e);
    }
    // gmcr-py's reorderOptionsByDM, exactly
    let mut order: Vec<usize> = (0..k).collect();
    let mut moved: Vec<usize> = Vec::new();
    for d in &dms {
        for &o in &d.options {
            if !moved.contains(&o) {
                moved.push(o);
                if let Some(p) = order.iter().position(|&x| x == o) {
                    let x = order.remove(p);
                    order.insert(moved.len().min(order.len()), x);
                }
            }
        }
    }
    let new_index: Vec<usize> = {
        let mut v = vec![0; k];
        for (new, &old) in order.iter().enumerate() {
            v[old] = new;
        }
        v
    };
    let remap = |e: &Expr| remap(e, &new_index);
    let options: Vec<OptionSpec> = order.iter().map(|&o| options[o].clone()).collect();
    let mut spec =
        Spec { title: None, options, dms: Vec::new(), infeasible: infeasible.iter().map(remap).collect(), status_quo: None, coalitions };
    let states = spec.feasible_states().ok_or_else(|| FormatError::Invalid {
        location: Location::from_offset(file, text, root.get("options").map_or(root.at, |n| n.at)),
        message: format!("{k} options; expected at most {}", super::spec::MAX_OPTIONS),
    })?;
    let mut errors = Vec::new();
    for (i, d) in dms.into_iter().enumerate() {
        let preferences = match d.ranking {
            Some((classes, at)) => {
                let mut seen = vec![false; states.len()];
                let mut out = Vec::new();
                for class in classes {
                    let mut exprs = Vec::new();
                    for n in class {
                        match usize::try_from(n).ok().filter(|&n| n >= 1 && n <= states.len()) {
                            Some(n) if !seen[n - 1] => {
                                seen[n - 1] = true;
                                exprs.push(Expr::And(states[n - 1].iter().enumerate().map(|(o, &y)| Expr::Lit(o, y)).collect()));
                            }
                            Some(n) => errors.push(FormatError::Invalid {
                                location: Location::from_offset(file, text, at),
                                message: format!("decision maker \"{}\" ranks state {n} twice; expected each state once", d.name),
                            }),
                            None => errors.push(FormatError::Invalid {
                                location: Location::from_offset(file, text, at),
                                message: format!(
                                    "decision maker \"{}\" ranks state {n}; expected a state number from 1 to {}",
                                    d.name,
                                    states.len()
                                ),
                            }),
                        }
                    }
                    if !exprs.is_empty() {
                        out.push(exprs);
                    }
                }
                if let Some(missing) = seen.iter().position(|s| !s) {
                    errors.push(FormatError::Invalid {
                        location: Location::from_offset(file, text, at),
                        message: format!(
                            "decision maker \"{}\" does not rank state {}; expected all {} feasible states",
                            d.name,
                            missing + 1,
                            states.len()
                        ),
                    });
                }
                PrefSpec::Ranking(out)
            }
            None => PrefSpec::Statements(
                d.statements
                    .iter()
                    .map(|(_, e)| {
                        let e = remap(e);
                        (render(&e, k), e)
                    })
                    .collect(),
            ),
        };
        let mut opts: Vec<usize> = d.options.iter().map(|&o| new_index[o]).collect();
        opts.sort_unstable();
        let name = if d.name.is_empty() { format!("DM {}", i + 1) } else { d.name.clone() };
        spec.dms.push(DmSpec { id: format!("dm{}", i + 1), name, options: opts, preferences, source: None });
    }
    if let Some(e) = FormatError::from_many(errors) {
        return Err(e);
    }
    Ok(spec)
}

fn remap(e: &Expr, to: &[usize]) -> Expr {
    match e {
        Expr::Lit(k, y) => Expr::Lit(to[*k], *y),
        Expr::Not(a) => Expr::Not(Box::new(remap(a, to))),
        Expr::And(es) => Expr::And(es.iter().map(|e| remap(e, to)).collect()),
        Expr::Or(es) => Expr::Or(es.iter().map(|e| remap(e, to)).collect()),
        Expr::Implies(a, b) => Expr::Implies(Box::new(remap(a, to)), Box::new(remap(b, to))),
        Expr::Iff(a, b) => Expr::Iff(Box::new(remap(a, to)), Box::new(remap(b, to))),
    }
}

/// A condition or compound in YN- notation (`NY-`, or `N-Y, Y-N`), as gmcr-py names it.
pub(crate) fn render(e: &Expr, k: usize) -> String {
    fn conj(lits: &[Expr], k: usize) -> String {
        let mut s = vec!['-'; k];
        for l in lits {
            if let Expr::Lit(o, y) = l {
                if *o < k {
                    s[*o] = if *y { 'Y' } else { 'N' };
                }
            }
        }
        s.into_iter().collect()
    }
    match e {
        Expr::And(lits) => conj(lits, k),
        Expr::Or(ms) => ms.iter().map(|m| render(m, k)).collect::<Vec<_>>().join(", "),
        Expr::Lit(..) => conj(std::slice::from_ref(e), k),
        other => format!("{other:?}"),
    }
}

fn option(src: &Src, o: &Node, i: usize, errors: &mut Vec<FormatError>) -> Option<OptionSpec> {
    let Some(ms) = o.members() else {
        errors.push(src.at(o, format!("found {}; expected an option: an object with \"name\" and \"permittedDirection\"", o.kind())));
        return None;
    };
    for (key, v) in ms {
        if key != "name" && key != "permittedDirection" {
            errors.push(src.at_key(v, format!("unknown key \"{key}\"; expected \"name\" or \"permittedDirection\"")));
        }
    }
    let name = match o.get("name") {
        Some(Node { v: J::Str(s), .. }) => s.clone(),
        Some(n) => {
            errors.push(src.at(n, format!("found {}; expected the option's name as a string", n.kind())));
            return None;
        }
        None => {
            errors.push(src.at(o, "missing \"name\"; expected the option's name"));
            return None;
        }
    };
    let direction = match o.get("permittedDirection") {
        Some(Node { v: J::Str(s), .. }) if s == "both" => Direction::Both,
        Some(Node { v: J::Str(s), .. }) if s == "fwd" => Direction::OnlyOn,
        Some(Node { v: J::Str(s), .. }) if s == "back" => Direction::OnlyOff,
        Some(n) => {
            let found = match &n.v {
                J::Str(s) => format!("\"{s}\""),
                _ => n.kind().to_string(),
            };
            errors.push(src.at(n, format!("found {found}; expected \"both\", \"fwd\" or \"back\"")));
            return None;
        }
        None => {
            errors.push(src.at(o, "missing \"permittedDirection\"; expected \"both\", \"fwd\" or \"back\""));
            return None;
        }
    };
    Some(OptionSpec { id: format!("o{}", i + 1), name, direction, source: None })
}

fn index(src: &Src, x: &Node, k: usize, errors: &mut Vec<FormatError>) -> Option<usize> {
    match x.v {
        J::Num(n) if n.fract() == 0.0 && n >= 0.0 && (n as usize) < k => Some(n as usize),
        J::Num(n) => {
            errors.push(src.at(x, format!("option index {n}; expected a whole number from 0 to {}", k.saturating_sub(1))));
            None
        }
        _ => {
            errors.push(src.at(x, format!("found {}; expected an option index", x.kind())));
            None
        }
    }
}

fn condition(src: &Src, c: &Node, k: usize, errors: &mut Vec<FormatError>) -> Option<Expr> {
    let J::Arr(pairs) = &c.v else {
        errors.push(src.at(c, format!("found {}; expected a condition: an array of [option index, \"Y\" or \"N\"]", c.kind())));
        return None;
    };
    let mut lits = Vec::new();
    let mut ok = true;
    for p in pairs {
        match &p.v {
            J::Arr(two) if two.len() == 2 => {
                let i = index(src, &two[0], k, errors);
                let y = match &two[1].v {
                    J::Str(s) if s == "Y" => Some(true),
                    J::Str(s) if s == "N" => Some(false),
                    _ => {
                        errors.push(src.at(&two[1], "expected \"Y\" or \"N\""));
                        None
                    }
                };
                match (i, y) {
                    (Some(i), Some(y)) => lits.push(Expr::Lit(i, y)),
                    _ => ok = false,
                }
            }
            _ => {
                errors.push(src.at(p, format!("found {}; expected [option index, \"Y\" or \"N\"]", p.kind())));
                ok = false;
            }
        }
    }
    ok.then_some(Expr::And(lits))
}

fn statement(src: &Src, s: &Node, k: usize, errors: &mut Vec<FormatError>) -> Option<Expr> {
    match &s.v {
        J::Obj(_) => {
            match s.get("compound") {
                Some(Node { v: J::Bool(true), .. }) => {}
                Some(n) => errors.push(src.at(n, "expected \"compound\": true")),
                None => {
                    errors.push(src.at(
                        s,
                        "missing \"compound\": true; expected a compound statement {\"compound\": true, \"members\": [condition, …]}",
                    ))
                }
            }
            for (key, v) in s.members().unwrap_or_default() {
                if key != "compound" && key != "members" {
                    errors.push(src.at_key(v, format!("unknown key \"{key}\"; expected \"compound\" or \"members\"")));
                }
            }
            match s.get("members") {
                Some(Node { v: J::Arr(ms), .. }) => {
                    let members: Vec<Option<Expr>> = ms.iter().map(|m| condition(src, m, k, errors)).collect();
                    members.into_iter().collect::<Option<Vec<_>>>().map(Expr::Or)
                }
                Some(n) => {
                    errors.push(src.at(n, format!("found {}; expected an array of conditions", n.kind())));
                    None
                }
                None => {
                    errors.push(src.at(s, "missing \"members\"; expected the conditions of the compound statement"));
                    None
                }
            }
        }
        _ => condition(src, s, k, errors),
    }
}

fn ranking(src: &Src, r: &Node, errors: &mut Vec<FormatError>) -> Option<Vec<Vec<u64>>> {
    let J::Arr(items) = &r.v else {
        errors.push(src.at(r, format!("found {}; expected a ranking: an array of state numbers, ties as nested arrays", r.kind())));
        return None;
    };
    let mut out = Vec::new();
    let mut ok = true;
    let num = |n: &Node, errors: &mut Vec<FormatError>| match n.v {
        J::Num(x) if x.fract() == 0.0 && (1.0..1e15).contains(&x) => Some(x as u64),
        _ => {
            errors.push(src.at(
                n,
                format!(
                    "found {}; expected a state number (1-based)",
                    if let J::Num(x) = n.v { x.to_string() } else { n.kind().to_string() }
                ),
            ));
            None
        }
    };
    for it in items {
        match &it.v {
            J::Arr(tie) => {
                let class: Vec<Option<u64>> = tie.iter().map(|n| num(n, errors)).collect();
                match class.into_iter().collect::<Option<Vec<_>>>() {
                    Some(c) => out.push(c),
                    None => ok = false,
                }
            }
            _ => match num(it, errors) {
                Some(n) => out.push(vec![n]),
                None => ok = false,
            },
        }
    }
    ok.then_some(out)
}
