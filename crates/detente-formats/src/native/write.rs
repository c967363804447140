//! From the model to text: one document tree, two emitters (TOML laid out for people, JSON).

use super::read::{SOURCE_PREFIX, SOURCE_SEP};
use crate::FormatError;
use detente_core::{
    Actor, Condition, Discount, Issue, IssueKind, Loss, MediatorRule, Outcome, Patch, RedLine, Reservation, Scenario, ScenarioDraft,
    Spread, Utility, Value, ValueFunction,
};

/// A document node. Tables keep insertion order; `block` tables become `[headers]` in TOML.
#[derive(Debug, Clone)]
pub(crate) enum Node {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Arr(Vec<Node>),
    Tab { entries: Vec<(String, Node)>, block: bool },
}

struct Tab(Vec<(String, Node)>);

impl Tab {
    fn new() -> Tab {
        Tab(Vec::new())
    }
    fn put(&mut self, k: &str, v: Node) -> &mut Tab {
        self.0.push((k.to_string(), v));
        self
    }
    fn opt_str(&mut self, k: &str, v: &Option<String>) -> &mut Tab {
        if let Some(v) = v {
            self.put(k, Node::Str(v.clone()));
        }
        self
    }
    fn inline(self) -> Node {
        Node::Tab { entries: self.0, block: false }
    }
    fn block(self) -> Node {
        Node::Tab { entries: self.0, block: true }
    }
}

fn num(x: f64) -> Node {
    Node::Float(x)
}

fn s(x: &str) -> Node {
    Node::Str(x.to_string())
}

/// Splits a description that the reader joined with a `source` citation.
fn split_source(d: &Option<String>) -> (Option<String>, Option<String>) {
    match d {
        None => (None, None),
        Some(d) => {
            if let Some(i) = d.rfind(SOURCE_SEP) {
                (Some(d[..i].to_string()), Some(d[i + SOURCE_SEP.len()..].to_string()))
            } else if let Some(rest) = d.strip_prefix(SOURCE_PREFIX) {
                (None, Some(rest.to_string()))
            } else {
                (Some(d.clone()), None)
            }
        }
    }
}

fn described(t: &mut Tab, d: &Option<String>) {
    let (desc, src) = split_source(d);
    t.opt_str("description", &desc);
    t.opt_str("source", &src);
}

fn value_node(issue: &Issue, v: &Value) -> Result<Node, FormatError> {
    Ok(match v {
        Value::Option(i) => match issue.options().and_then(|o| o.get(*i as usize)) {
            Some(o) => s(&o.id),
            None => return Err(unsupported(format!("option index {i} is not an option of issue `{}`", issue.id))),
        },
        Value::Int(v) => Node::Int(*v),
        Value::Real(x) => num(*x),
    })
}

fn unsupported(reason: String) -> FormatError {
    FormatError::Unsupported { format: "detente", reason }
}

fn outcome_node(issues: &[Issue], o: &Outcome) -> Result<Node, FormatError> {
    let mut t = Tab::new();
    for (issue, v) in issues.iter().zip(&o.0) {
        t.put(&issue.id, value_node(issue, v)?);
    }
    Ok(t.inline())
}

fn reservation_node(issues: &[Issue], r: &Reservation) -> Result<Option<Node>, FormatError> {
    Ok(match r {
        Reservation::None => None,
        Reservation::Value(v) => Some(num(*v)),
        Reservation::Outcome(o) => Some(outcome_node(issues, o)?),
    })
}

fn ideal_node(issue: &Issue, ideal: f64) -> Result<Node, FormatError> {
    match &issue.kind {
        IssueKind::Categorical { options } => match options.get(ideal as usize) {
            Some(o) if ideal.fract() == 0.0 && ideal >= 0.0 => Ok(s(&o.id)),
            _ => Err(unsupported(format!("ideal {ideal} is not an option of categorical issue `{}`", issue.id))),
        },
        _ => Ok(num(ideal)),
    }
}

fn issue_node(issue: &Issue) -> Node {
    let mut t = Tab::new();
    t.put("id", s(&issue.id));
    t.opt_str("name", &issue.name);
    described(&mut t, &issue.description);
    let scale = |t: &mut Tab, (a, b): (f64, f64)| {
        if (a, b) != (0.0, 100.0) {
            t.put("scale", Node::Arr(vec![num(a), num(b)]));
        }
    };
    match &issue.kind {
        IssueKind::Categorical { options } | IssueKind::Ordinal { options } => {
            let ordinal = matches!(issue.kind, IssueKind::Ordinal { .. });
            t.put("kind", s(if ordinal { "ordinal" } else { "categorical" }));
            let opts = options
                .iter()
                .map(|o| {
                    if o.label.is_none() && o.scale.is_none() {
                        s(&o.id)
                    } else {
                        let mut ot = Tab::new();
                        ot.put("id", s(&o.id));
                        if let Some(x) = o.scale {
                            ot.put("scale", num(x));
                        }
                        ot.opt_str("label", &o.label);
                        ot.inline()
                    }
                })
                .collect();
            t.put("options", Node::Arr(opts));
        }
        IssueKind::Integer { min, max, step, scale: sc } => {
            t.put("kind", s("integer")).put("min", Node::Int(*min)).put("max", Node::Int(*max)).put("step", Node::Int(*step));
            scale(&mut t, *sc);
        }
        IssueKind::Real { min, max, grid, scale: sc } => {
            t.put("kind", s("real")).put("min", num(*min)).put("max", num(*max));
            if let Some(g) = grid {
                t.put("grid", Node::Int(i64::from(*g)));
            }
            scale(&mut t, *sc);
        }
    }
    t.block()
}

fn value_fn_node(issue: &Issue, f: &ValueFunction) -> Result<Node, FormatError> {
    Ok(match f {
        ValueFunction::Table(xs) => match issue.options() {
            Some(options) => {
                if options.len() != xs.len() {
                    return Err(unsupported(format!("value table of issue `{}` does not match its options", issue.id)));
                }
                let mut t = Tab::new();
                for (o, x) in options.iter().zip(xs) {
                    t.put(&o.id, num(*x));
                }
                t.inline()
            }
            None => Node::Arr(xs.iter().map(|x| num(*x)).collect()),
        },
        ValueFunction::Affine { slope, offset, origin, clamp01 } => {
            let mut t = Tab::new();
            t.put("slope", num(*slope)).put("offset", num(*offset)).put("origin", num(*origin));
            if *clamp01 {
                t.put("clamp", Node::Bool(true));
            }
            t.inline()
        }
        ValueFunction::Interpolate { low_value, low_utility, high_value, high_utility } => {
            let mut t = Tab::new();
            t.put("type", s("interpolate"))
                .put("low_value", num(*low_value))
                .put("low_utility", num(*low_utility))
                .put("high_value", num(*high_value))
                .put("high_utility", num(*high_utility));
            t.inline()
        }
        ValueFunction::Triangular { lower, upper, top, height } => {
            let mut t = Tab::new();
            t.put("type", s("triangular"))
                .put("lower", num(*lower))
                .put("upper", num(*upper))
                .put("top", num(*top))
                .put("height", num(*height));
            t.inline()
        }
    })
}

/// The `X_range` / `X_mode` / `X_sd` keys of a stated spread (`name` is `ideal`, `salience` or
/// `capability`), the syntax `spreads.rs` reads.
fn put_spread(t: &mut Tab, name: &str, spread: &Option<Spread>) {
    match *spread {
        None => {}
        Some(Spread::Uniform { lo, hi }) => {
            t.put(&format!("{name}_range"), Node::Arr(vec![num(lo), num(hi)]));
        }
        Some(Spread::Triangular { lo, mode, hi }) => {
            t.put(&format!("{name}_range"), Node::Arr(vec![num(lo), num(hi)]));
            t.put(&format!("{name}_mode"), num(mode));
        }
        Some(Spread::Normal { sd }) => {
            t.put(&format!("{name}_sd"), num(sd));
        }
    }
}

/// Red lines as an array of inline tables: `{ nato = "membership", source = "..." }`; a range
/// is `{ min = .., max = .. }`, several values an array.
fn red_lines_node(sc: &ScenarioDraft, lines: &[RedLine]) -> Result<Node, FormatError> {
    let issues = sc.space.issues();
    let mut out = Vec::with_capacity(lines.len());
    for line in lines {
        let mut t = Tab::new();
        for (id, c) in &line.terms {
            let Some(k) = sc.space.issue_index(id) else {
                return Err(unsupported(format!("red line on unknown issue `{id}`")));
            };
            let issue = &issues[k];
            let node = match c {
                Condition::OneOf(vs) if vs.len() == 1 => value_node(issue, &vs[0])?,
                Condition::OneOf(vs) => Node::Arr(vs.iter().map(|v| value_node(issue, v)).collect::<Result<_, _>>()?),
                Condition::Range { min, max } => {
                    let bound = |x: f64| {
                        if matches!(issue.kind, IssueKind::Integer { .. }) && x.fract() == 0.0 && x.abs() < 9e15 {
                            Node::Int(x as i64)
                        } else {
                            num(x)
                        }
                    };
                    let mut r = Tab::new();
                    if let Some(a) = min {
                        r.put("min", bound(*a));
                    }
                    if let Some(b) = max {
                        r.put("max", bound(*b));
                    }
                    r.inline()
                }
            };
            t.put(id, node);
        }
        t.opt_str("source", &line.description);
        out.push(t.inline());
    }
    Ok(Node::Arr(out))
}

fn actor_node(sc: &Scenario, a: &Actor) -> Result<Node, FormatError> {
    let issues = sc.space.issues();
    let mut t = Tab::new();
    t.put("id", s(&a.id));
    t.opt_str("name", &a.name);
    t.put("role", s(a.role.as_str()));
    t.put("required", Node::Bool(a.required));
    t.put("capability", num(a.capability));
    put_spread(&mut t, "capability", &a.capability_spread);
    t.opt_str("strategy", &a.strategy.as_ref().map(ToString::to_string));
    described(&mut t, &a.description);
    let p = &a.preferences;
    if let Some(r) = reservation_node(issues, &p.reservation)? {
        t.put("reservation", r);
    }
    if !a.red_lines.is_empty() {
        t.put("red_lines", red_lines_node(sc, &a.red_lines)?);
    }
    match p.discount {
        Discount::None => {}
        Discount::Time { factor } => {
            let mut d = Tab::new();
            d.put("type", s("time")).put("factor", num(factor));
            t.put("discount", d.inline());
        }
        Discount::PerRound { factor } => {
            let mut d = Tab::new();
            d.put("type", s("round")).put("factor", num(factor));
            t.put("discount", d.inline());
        }
    }
    let mut pt = Tab::new();
    match &p.utility {
        Utility::Spatial(sp) => {
            pt.put("type", s("spatial"));
            pt.put("loss", s(if sp.loss == Loss::Quadratic { "quadratic" } else { "linear" }));
            let mut pos = Tab::new();
            for (issue, p) in issues.iter().zip(&sp.positions) {
                if let Some(p) = p {
                    let mut e = Tab::new();
                    e.put("ideal", ideal_node(issue, p.ideal)?).put("salience", num(p.salience));
                    put_spread(&mut e, "ideal", &p.ideal_spread);
                    put_spread(&mut e, "salience", &p.salience_spread);
                    pos.put(&issue.id, e.inline());
                }
            }
            pt.put("positions", pos.block());
        }
        Utility::LinearAdditive(la) => {
            pt.put("type", s("linear"));
            if la.bias != 0.0 {
                pt.put("bias", num(la.bias));
            }
            if let Some((lo, hi)) = la.clamp {
                let mut c = Tab::new();
                if lo != f64::NEG_INFINITY {
                    c.put("min", num(lo));
                }
                if hi != f64::INFINITY {
                    c.put("max", num(hi));
                }
                pt.put("clamp", c.inline());
            }
            let mut w = Tab::new();
            let mut v = Tab::new();
            for ((issue, wt), f) in issues.iter().zip(&la.weights).zip(&la.values) {
                w.put(&issue.id, num(*wt));
                v.put(&issue.id, value_fn_node(issue, f)?);
            }
            pt.put("weights", w.block());
            pt.put("values", v.block());
        }
        Utility::Table(tu) => {
            pt.put("type", s("table"));
            pt.put("default", num(tu.default));
            let mut rows = Vec::new();
            for (index, u) in &tu.entries {
                let Some(o) = sc.space.outcome_at(*index) else {
                    return Err(unsupported(format!("outcome index {index} of actor `{}` is not an outcome of the space", a.id)));
                };
                let mut r = Tab::new();
                r.put("outcome", outcome_node(issues, &o)?).put("utility", num(*u));
                rows.push(r.inline());
            }
            pt.put("rows", Node::Arr(rows));
        }
    }
    t.put("preferences", pt.block());
    Ok(t.block())
}

fn patch_node(cur: &ScenarioDraft, p: &Patch) -> Result<Node, FormatError> {
    let issues = cur.space.issues();
    let mut t = Tab::new();
    match p {
        Patch::Role { actor, role } => {
            t.put("type", s("role")).put("actor", s(actor)).put("role", s(role.as_str()));
        }
        Patch::Required { actor, required } => {
            t.put("type", s("required")).put("actor", s(actor)).put("required", Node::Bool(*required));
        }
        Patch::Reservation { actor, reservation } => {
            t.put("type", s("reservation")).put("actor", s(actor));
            t.put("reservation", reservation_node(issues, reservation)?.unwrap_or_else(|| s("none")));
        }
        Patch::Position { actor, issue, ideal, salience } => {
            t.put("type", s("position")).put("actor", s(actor)).put("issue", s(issue));
            let iss = cur.space.issue_index(issue).map(|k| &issues[k]);
            if let Some(x) = ideal {
                let node = match iss {
                    Some(iss) => ideal_node(iss, *x)?,
                    None => num(*x),
                };
                t.put("ideal", node);
            }
            if let Some(x) = salience {
                t.put("salience", num(*x));
            }
        }
        Patch::Capability { actor, capability } => {
            t.put("type", s("capability")).put("actor", s(actor)).put("capability", num(*capability));
        }
        Patch::Strategy { actor, strategy } => {
            t.put("type", s("strategy")).put("actor", s(actor)).put("strategy", s(&strategy.to_string()));
        }
        Patch::MediatorRule(r) => {
            t.put("type", s("mediator_rule")).put("rule", s(r.as_str()));
        }
        Patch::Opening(o) => {
            let Some(k) = cur.space.issue_index(&o.issue) else {
                return Err(unsupported(format!("opening on unknown issue `{}`", o.issue)));
            };
            t.put("type", s("opening")).put("actor", s(&o.actor)).put("issue", s(&o.issue)).put("value", value_node(&issues[k], &o.value)?);
        }
        Patch::RedLines { actor, red_lines } => {
            t.put("type", s("red_lines")).put("actor", s(actor)).put("red_lines", red_lines_node(cur, red_lines)?);
        }
        Patch::ExcludeOptions { issue, options } => {
            t.put("type", s("exclude_options")).put("issue", s(issue)).put("options", Node::Arr(options.iter().map(|o| s(o)).collect()));
        }
    }
    Ok(t.inline())
}

/// The whole scenario as a document tree.
pub(crate) fn document(sc: &Scenario) -> Result<Node, FormatError> {
    let mut t = Tab::new();
    t.put("format", Node::Int(super::FORMAT_VERSION));
    t.put("id", s(&sc.meta.id));
    t.put("title", s(&sc.meta.title));
    t.opt_str("description", &sc.meta.description);
    t.opt_str("assumptions", &sc.meta.assumptions);
    if sc.salience != detente_core::SalienceConvention::default() {
        t.put("salience", s(sc.salience.as_str()));
    }
    if !sc.meta.sources.is_empty() {
        let srcs = sc
            .meta
            .sources
            .iter()
            .map(|src| {
                let mut st = Tab::new();
                st.put("id", s(&src.id));
                st.opt_str("title", &src.title).opt_str("location", &src.location).opt_str("note", &src.note);
                st.block()
            })
            .collect();
        t.put("sources", Node::Arr(srcs));
    }
    let pr = &sc.protocol;
    if pr.protocol.is_some() || pr.rounds.is_some() || pr.mediator.is_some() || pr.mediator_rule.is_some() || pr.opening_text.is_some() {
        let mut p = Tab::new();
        p.opt_str("protocol", &pr.protocol.map(|p| p.as_str().to_string()));
        if let Some(r) = pr.rounds {
            p.put("rounds", Node::Int(i64::from(r)));
        }
        p.opt_str("mediator", &pr.mediator);
        if let Some(r) = pr.mediator_rule {
            p.put("mediator_rule", s(MediatorRule::as_str(r)));
        }
        if let Some(text) = &pr.opening_text {
            p.put("opening_text", outcome_node(sc.space.issues(), text)?);
        }
        t.put("protocol", p.block());
    }
    t.put("issues", Node::Arr(sc.space.issues().iter().map(issue_node).collect()));
    t.put("actors", Node::Arr(sc.actors.iter().map(|a| actor_node(sc, a)).collect::<Result<_, _>>()?));
    if !sc.openings.is_empty() {
        let mut os = Vec::new();
        for o in &sc.openings {
            let Some(k) = sc.space.issue_index(&o.issue) else {
                return Err(unsupported(format!("opening on unknown issue `{}`", o.issue)));
            };
            let mut ot = Tab::new();
            ot.put("actor", s(&o.actor)).put("issue", s(&o.issue)).put("value", value_node(&sc.space.issues()[k], &o.value)?);
            os.push(ot.block());
        }
        t.put("openings", Node::Arr(os));
    }
    if !sc.variants.is_empty() {
        let mut base = sc.clone().into_draft();
        base.variants.clear();
        let mut vs = Vec::new();
        for v in &sc.variants {
            let mut vt = Tab::new();
            vt.put("id", s(&v.id));
            vt.opt_str("title", &v.title);
            described(&mut vt, &v.description);
            let mut cur = base.clone();
            let mut ps = Vec::new();
            for p in &v.patches {
                ps.push(patch_node(&cur, p)?);
                // Later patches name options as the earlier ones left them; a patch that does
                // not apply leaves the state as it was (the model is then invalid anyway).
                let _ = cur.apply(p);
            }
            vt.put("patches", Node::Arr(ps));
            vs.push(vt.block());
        }
        t.put("variants", Node::Arr(vs));
    }
    Ok(t.block())
}

// ---------------------------------------------------------------- TOML

fn toml_key(k: &str) -> String {
    if !k.is_empty() && k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') {
        k.to_string()
    } else {
        toml_str(k)
    }
}

fn toml_str(x: &str) -> String {
    let mut out = String::with_capacity(x.len() + 2);
    out.push('"');
    for c in x.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A multi-line basic string for long text with line breaks.
fn toml_multiline(x: &str) -> String {
    let mut out = String::from("\"\"\"\n");
    let mut chars = x.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            // A quote is escaped only where it could close the string (`"""` or at the end).
            '"' if matches!(chars.peek(), None | Some('"')) => out.push_str("\\\""),
            '"' => out.push('"'),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push('\n'),
            '\t' => out.push('\t'),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push_str("\"\"\"");
    out
}

fn toml_float(x: f64) -> String {
    if x.is_nan() {
        "nan".into()
    } else if x.is_infinite() {
        if x > 0.0 { "inf" } else { "-inf" }.into()
    } else if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else if x.abs() >= 1e15 || x.abs() < 1e-5 {
        // Shortest round-trip digits with an exponent (`1e20`, `2.5e-7`): a valid TOML float,
        // where the plain form would be an out-of-range integer or a long run of zeros.
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

fn is_block_tab(n: &Node) -> bool {
    matches!(n, Node::Tab { block: true, .. })
}

fn is_block_array(n: &Node) -> bool {
    matches!(n, Node::Arr(items) if !items.is_empty() && items.iter().all(is_block_tab))
}

fn toml_inline(n: &Node, out: &mut String, indent: usize) {
    match n {
        Node::Str(x) => {
            if x.contains('\n') && indent == 0 {
                out.push_str(&toml_multiline(x))
            } else {
                out.push_str(&toml_str(x))
            }
        }
        Node::Int(v) => out.push_str(&v.to_string()),
        Node::Float(x) => out.push_str(&toml_float(*x)),
        Node::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Node::Arr(items) => {
            let multiline = indent == 0 && items.iter().any(|i| matches!(i, Node::Tab { .. }));
            if multiline {
                out.push_str("[\n");
                for i in items {
                    out.push_str("  ");
                    toml_inline(i, out, 1);
                    out.push_str(",\n");
                }
                out.push(']');
            } else {
                out.push('[');
                for (j, i) in items.iter().enumerate() {
                    if j > 0 {
                        out.push_str(", ");
                    }
                    toml_inline(i, out, indent + 1);
                }
                out.push(']');
            }
        }
        Node::Tab { entries, .. } => {
            if entries.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push_str("{ ");
            for (j, (k, v)) in entries.iter().enumerate() {
                if j > 0 {
                    out.push_str(", ");
                }
                out.push_str(&toml_key(k));
                out.push_str(" = ");
                toml_inline(v, out, indent + 1);
            }
            out.push_str(" }");
        }
    }
}

fn toml_table(path: &[String], entries: &[(String, Node)], out: &mut String) {
    // Tables of per-issue entries (positions, weights, values) read best with aligned `=`.
    let plain: Vec<&(String, Node)> = entries.iter().filter(|(_, v)| !is_block_tab(v) && !is_block_array(v)).collect();
    let aligned = plain.len() == entries.len()
        && plain.iter().all(|(_, v)| matches!(v, Node::Tab { block: false, .. } | Node::Float(_) | Node::Arr(_)));
    let width = if aligned { plain.iter().map(|(k, _)| toml_key(k).chars().count()).max().unwrap_or(0) } else { 0 };
    for (k, v) in plain {
        let key = toml_key(k);
        out.push_str(&key);
        for _ in key.chars().count()..width {
            out.push(' ');
        }
        out.push_str(" = ");
        toml_inline(v, out, 0);
        out.push('\n');
    }
    for (k, v) in entries {
        let mut p = path.to_vec();
        p.push(toml_key(k));
        match v {
            Node::Tab { entries: sub, block: true } => {
                out.push_str(&format!("\n[{}]\n", p.join(".")));
                toml_table(&p, sub, out);
            }
            Node::Arr(items) if is_block_array(v) => {
                for item in items {
                    if let Node::Tab { entries: sub, .. } = item {
                        out.push_str(&format!("\n[[{}]]\n", p.join(".")));
                        toml_table(&p, sub, out);
                    }
                }
            }
            _ => {}
        }
    }
}

/// TOML text of a document tree.
pub(crate) fn to_toml(doc: &Node) -> String {
    let mut out = format!("# detente scenario (format {}). Written by detente; comments are not preserved.\n", super::FORMAT_VERSION);
    if let Node::Tab { entries, .. } = doc {
        toml_table(&[], entries, &mut out);
    }
    out
}

// ---------------------------------------------------------------- JSON

fn json_into(n: &Node, out: &mut String, indent: usize) -> Result<(), FormatError> {
    let pad = |k: usize| "  ".repeat(k);
    match n {
        Node::Str(x) => out.push_str(&serde_json::to_string(x).expect("invariant: strings serialise")),
        Node::Int(v) => out.push_str(&v.to_string()),
        Node::Float(x) => {
            if !x.is_finite() {
                return Err(FormatError::Unsupported { format: "json", reason: format!("JSON has no number for {x}") });
            }
            if x.fract() == 0.0 && x.abs() < 1e15 {
                out.push_str(&format!("{}", *x as i64));
            } else {
                out.push_str(&serde_json::to_string(x).expect("invariant: finite numbers serialise"));
            }
        }
        Node::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Node::Arr(items) => {
            if items.is_empty() {
                out.push_str("[]");
            } else if items.iter().all(|i| !matches!(i, Node::Arr(_) | Node::Tab { .. })) {
                out.push('[');
                for (j, i) in items.iter().enumerate() {
                    if j > 0 {
                        out.push_str(", ");
                    }
                    json_into(i, out, indent)?;
                }
                out.push(']');
            } else {
                out.push_str("[\n");
                for (j, i) in items.iter().enumerate() {
                    out.push_str(&pad(indent + 1));
                    json_into(i, out, indent + 1)?;
                    out.push_str(if j + 1 < items.len() { ",\n" } else { "\n" });
                }
                out.push_str(&pad(indent));
                out.push(']');
            }
        }
        Node::Tab { entries, .. } => {
            if entries.is_empty() {
                out.push_str("{}");
                return Ok(());
            }
            out.push_str("{\n");
            for (j, (k, v)) in entries.iter().enumerate() {
                out.push_str(&pad(indent + 1));
                out.push_str(&serde_json::to_string(k).expect("invariant: strings serialise"));
                out.push_str(": ");
                json_into(v, out, indent + 1)?;
                out.push_str(if j + 1 < entries.len() { ",\n" } else { "\n" });
            }
            out.push_str(&pad(indent));
            out.push('}');
        }
    }
    Ok(())
}

/// JSON text of a document tree.
pub(crate) fn to_json(doc: &Node) -> Result<String, FormatError> {
    let mut out = String::new();
    json_into(doc, &mut out, 0)?;
    out.push('\n');
    Ok(out)
}
