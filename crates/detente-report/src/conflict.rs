//! Printers over the stability lens (`detente_conflict`): the option-form table, the stability
//! results table, the tableau, the status-quo paths and explanations as text, and the
//! state-transition graph and status-quo tree as Graphviz DOT. Printers only: every verdict and
//! sentence they show is in the library's report.

use crate::table;
use detente_conflict::{Concept, Conflict, StabilityReport};
use std::fmt::Write as _;

/// States per block of the option-form table (keeps a block under 100 columns).
pub const STATES_PER_BLOCK: usize = 20;

/// The option-form table of `states` (0-based indices): one row per option, grouped by decision
/// maker, one column per state (gmcr-py's ordered number, 1-based), `Y`/`N` cells; in blocks of
/// [`STATES_PER_BLOCK`] states.
pub fn option_form(conflict: &Conflict, states: &[usize]) -> String {
    let g = conflict.graph();
    let mut out = String::new();
    for (b, block) in states.chunks(STATES_PER_BLOCK).enumerate() {
        if b > 0 {
            out.push('\n');
        }
        let mut header = vec!["option".to_string()];
        header.extend(block.iter().map(|s| (s + 1).to_string()));
        let mut rows = Vec::new();
        for (d, dm) in conflict.dms().iter().enumerate() {
            for (o, opt) in conflict.options().iter().enumerate().filter(|(_, o)| o.dm == d) {
                // the option's name, with its decision maker's where two options share a name
                let shared = conflict.options().iter().filter(|p| p.name == opt.name).count() > 1;
                let label = if shared { short(&format!("{}: {}", dm.name, opt.name), 38) } else { short(&opt.name, 38) };
                let mut row = vec![label];
                row.extend(block.iter().map(|&s| if g.option_taken(s, o) { "Y" } else { "N" }.to_string()));
                rows.push(row);
            }
        }
        out.push_str(&yn_table(&header, &rows));
    }
    out
}

/// A table whose cells after the first column are centred under their header (Y/N marks).
fn yn_table(header: &[String], rows: &[Vec<String>]) -> String {
    let w0 = header.iter().take(1).chain(rows.iter().filter_map(|r| r.first())).map(|c| c.chars().count()).max().unwrap_or(0);
    let widths: Vec<usize> = (1..header.len())
        .map(|c| header[c].chars().count().max(rows.iter().filter_map(|r| r.get(c)).map(|x| x.chars().count()).max().unwrap_or(0)))
        .collect();
    let line = |cells: &[String]| {
        let mut s = format!("{:<w0$}", cells.first().map_or("", |c| c.as_str()));
        for (i, w) in widths.iter().enumerate() {
            let cell = cells.get(i + 1).map_or("", |c| c.as_str());
            s.push_str(&format!(" {cell:>w$}"));
        }
        s.trim_end().to_string() + "\n"
    };
    let mut out = line(header);
    out.push_str(&"-".repeat(w0 + widths.iter().map(|w| w + 1).sum::<usize>()));
    out.push('\n');
    for r in rows {
        out.push_str(&line(r));
    }
    out
}

/// `s` cut to `n` characters, with `…` where cut.
pub(crate) fn short(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n.saturating_sub(1)).collect::<String>() + "…"
    }
}

/// A DOT string literal.
fn dot_str(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n"))
}

/// Colours of the decision makers' arcs, in DM order (repeating).
const COLOURS: [&str; 8] = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"];

/// The state-transition graph as Graphviz DOT: one node per state (labelled with its number
/// and Y/N pattern; `equilibria` drawn double, the status quo as a box), one arc per
/// unilateral move, coloured by its decision maker, bold where it is a unilateral improvement.
pub fn transition_dot(conflict: &Conflict, equilibria: &[usize]) -> String {
    let g = conflict.graph();
    let mut out =
        String::from("digraph transitions {\n  rankdir=LR;\n  node [fontname=\"Helvetica\", fontsize=10];\n  edge [fontsize=8];\n");
    for s in 0..g.n_states() {
        let mut attrs = vec![format!("label={}", dot_str(&format!("{}\n{}", s + 1, conflict.state_label(s))))];
        if equilibria.contains(&s) {
            attrs.push("peripheries=2".into());
        }
        attrs.push(if conflict.status_quo() == Some(s) { "shape=box".into() } else { "shape=ellipse".into() });
        out.push_str(&format!("  s{} [{}];\n", s + 1, attrs.join(", ")));
    }
    for (d, dm) in conflict.dms().iter().enumerate() {
        let colour = COLOURS[d % COLOURS.len()];
        for s in 0..g.n_states() {
            for &t in g.moves(d, s) {
                let t = t as usize;
                let ui = g.rank(d, t) > g.rank(d, s);
                out.push_str(&format!(
                    "  s{} -> s{} [color={}, label={}{}];\n",
                    s + 1,
                    t + 1,
                    dot_str(colour),
                    dot_str(&dm.id),
                    if ui { ", penwidth=2" } else { ", style=dashed" }
                ));
            }
        }
    }
    out.push_str("}\n");
    out
}

/// The most states for which the results table lists every state and the tableau is drawn.
pub const FULL_STATES: usize = 30;

/// What to show of a report.
#[derive(Debug, Clone)]
pub struct Shown {
    /// The decision makers (0-based, in DM order).
    pub dms: Vec<usize>,
    /// The concepts, in the report's order.
    pub concepts: Vec<Concept>,
}

impl Shown {
    /// Every decision maker and every concept the report holds.
    pub fn all(r: &StabilityReport) -> Shown {
        Shown { dms: (0..r.dms.len()).collect(), concepts: r.concepts.clone() }
    }
}

/// The states (1-based) that are an equilibrium under any of `concepts`, ascending.
pub fn equilibrium_states(r: &StabilityReport, concepts: &[Concept]) -> Vec<usize> {
    let mut v: Vec<usize> = concepts.iter().flat_map(|&c| r.equilibria(c).iter().copied()).collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// The whole text report of `detente conflict`: option form, results, tableau (2–4 DMs, at
/// most [`FULL_STATES`] states), status-quo paths and explanations.
pub fn text(conflict: &Conflict, r: &StabilityReport, shown: &Shown) -> String {
    let mut out = String::new();
    let title = if r.conflict.is_empty() { "Conflict" } else { r.conflict.as_str() };
    let _ = writeln!(out, "{title}\n{}", "=".repeat(title.chars().count()));
    out.push_str(&crate::text::wrap(
        &format!(
            "{} decision makers ({}), {} options, {} feasible states{}",
            r.dms.len(),
            r.dms.iter().map(|d| d.name.as_str()).collect::<Vec<_>>().join(", "),
            r.options.len(),
            r.states.len(),
            r.status_quo.as_ref().map_or(String::new(), |q| format!("; status quo: state {} ({})", q.state, r.states[q.state - 1].label))
        ),
        "",
        "",
    ));
    let n = r.states.len();
    let full = n <= FULL_STATES;
    let eq = equilibrium_states(r, &shown.concepts);
    let _ = write!(out, "\n## Options and states\n\n");
    if conflict.graph().n_options() > 0 {
        let states: Vec<usize> = if full { (0..n).collect() } else { eq.iter().map(|s| s - 1).collect() };
        if !full {
            let _ = writeln!(out, "{n} states; the equilibria only (every state with --json):\n");
        }
        out.push_str(&option_form(conflict, &states));
    } else {
        for st in &r.states {
            let _ = writeln!(out, "{:>3}  {}  {}", st.number, st.label, st.name);
        }
    }
    let _ = write!(out, "\n## Stability\n\n");
    out.push_str(&results(r, shown, full));
    if full && (2..=4).contains(&shown.dms.len()) {
        let _ = write!(out, "\n## Tableau (SEQ)\n\n");
        out.push_str(tableau(conflict, r, shown).trim_end());
        out.push('\n');
    }
    // Paths and explanations for the strong equilibria (Nash, SEQ) when shown; GMR and SMR
    // equilibria are often most states, listed in the table above.
    let strong: Vec<Concept> = shown.concepts.iter().copied().filter(|c| matches!(c, Concept::Nash | Concept::Seq)).collect();
    let strong = if strong.is_empty() { shown.concepts.clone() } else { strong };
    if let Some(q) = &r.status_quo {
        let _ = write!(out, "\n## From the status quo\n\n");
        out.push_str(&status_quo(r, q, &strong));
    }
    let expl = explanations(r, &Shown { dms: shown.dms.clone(), concepts: strong.clone() }, &equilibrium_states(r, &strong));
    if !expl.is_empty() {
        let _ = write!(out, "\n## Why the equilibria hold\n\n");
        out.push_str(&expl);
    }
    for note in &r.notes {
        let _ = writeln!(out, "\nNote: {note}");
    }
    out
}

/// The results table: one row per state (every state up to [`FULL_STATES`], otherwise the
/// equilibria), per concept one mark per shown DM (`+` stable, `.` not) and `E` where every DM
/// is stable; beyond [`FULL_STATES`] the counts come first.
pub fn results(r: &StabilityReport, shown: &Shown, full: bool) -> String {
    let mut out = String::new();
    let names: Vec<String> = shown.dms.iter().map(|&d| r.dms[d].id.clone()).collect();
    out.push_str(&crate::text::wrap(
        &format!("Per concept, one mark per decision maker ({}): + stable, . not; E: an equilibrium", names.join(", ")),
        "",
        "",
    ));
    out.push('\n');
    if !full {
        let mut header = vec!["stable states".to_string()];
        header.extend(shown.concepts.iter().map(|c| c.name().to_string()));
        let mut rows: Vec<Vec<String>> = shown
            .dms
            .iter()
            .map(|&d| {
                let mut row = vec![r.dms[d].name.clone()];
                row.extend(shown.concepts.iter().map(|&c| r.stable_states(d, c).len().to_string()));
                row
            })
            .collect();
        let mut eq = vec!["equilibria".to_string()];
        eq.extend(shown.concepts.iter().map(|&c| r.equilibria(c).len().to_string()));
        rows.push(eq);
        out.push_str(&table::table(&header, &rows));
        out.push('\n');
    }
    let states: Vec<usize> = if full { (1..=r.states.len()).collect() } else { equilibrium_states(r, &shown.concepts) };
    if states.is_empty() {
        out.push_str("No state is an equilibrium under the concepts shown.\n");
        return out;
    }
    let mut header = vec!["state".to_string(), "Y/N".to_string()];
    header.extend(shown.concepts.iter().map(|c| c.name().to_string()));
    let rows: Vec<Vec<String>> = states
        .iter()
        .map(|&s| {
            let mut row = vec![s.to_string(), r.states[s - 1].label.clone()];
            for &c in &shown.concepts {
                let marks: String =
                    shown.dms.iter().map(|&d| if r.stable_states(d, c).binary_search(&s).is_ok() { '+' } else { '.' }).collect();
                let e = if r.equilibria(c).binary_search(&s).is_ok() { " E" } else { "" };
                row.push(format!("{marks}{e}"));
            }
            row
        })
        .collect();
    out.push_str(&table::table(&header, &rows));
    out
}

/// The tableau for SEQ: one block per DM, its states from most to least preferred, a mark
/// per state (`r` rational: no improvement; `s` sequentially sanctioned; `u` unstable) and,
/// under it, the states it can improve to; the first line marks the equilibria (`E`, else `x`).
pub fn tableau(conflict: &Conflict, r: &StabilityReport, shown: &Shown) -> String {
    let g = conflict.graph();
    let mut out = String::new();
    let seq = r.equilibria(Concept::Seq);
    for &d in &shown.dms {
        let mut order: Vec<usize> = (0..g.n_states()).collect();
        order.sort_by(|&a, &b| g.rank(d, b).cmp(&g.rank(d, a)).then(a.cmp(&b)));
        let uis: Vec<Vec<usize>> = order
            .iter()
            .map(|&s| g.moves(d, s).iter().map(|&t| t as usize).filter(|&t| g.rank(d, t) > g.rank(d, s)).map(|t| t + 1).collect())
            .collect();
        let deep = uis.iter().map(Vec::len).max().unwrap_or(0);
        let w = order.iter().map(|s| (s + 1).to_string().len()).max().unwrap_or(1).max(2);
        let label = |t: &str| format!("{t:<12}");
        let mut lines = vec![label("equilibrium"), label(&short(&r.dms[d].name, 12)), label("stability")];
        for (k, &s) in order.iter().enumerate() {
            lines[0].push_str(&format!(" {:>w$}", if seq.binary_search(&(s + 1)).is_ok() { "E" } else { "x" }));
            lines[1].push_str(&format!(" {:>w$}", s + 1));
            let mark = if uis[k].is_empty() {
                "r"
            } else if r.stable_states(d, Concept::Seq).binary_search(&(s + 1)).is_ok() {
                "s"
            } else {
                "u"
            };
            lines[2].push_str(&format!(" {mark:>w$}"));
        }
        for i in 0..deep {
            let mut l = label(if i == 0 { "improves to" } else { "" });
            for u in &uis {
                l.push_str(&format!(" {:>w$}", u.get(i).map_or(String::new(), |t| t.to_string())));
            }
            lines.push(l);
        }
        for l in lines {
            out.push_str(l.trim_end());
            out.push('\n');
        }
        out.push('\n');
    }
    out
}

fn path_text(start: usize, steps: &[detente_conflict::Step]) -> String {
    let mut s = start.to_string();
    for st in steps {
        let _ = write!(s, " -{}-> {}", st.mover, st.to);
    }
    s
}

/// The status quo: where improvements lead, and the shortest paths to each equilibrium.
pub fn status_quo(r: &StabilityReport, q: &detente_conflict::report::StatusQuoReport, concepts: &[Concept]) -> String {
    let mut out = String::new();
    out.push_str(&crate::text::wrap(&format!("Status quo: state {} ({}).", q.state, r.states[q.state - 1].name), "", "  "));
    let ends: Vec<String> = q.by_improvements.iter().filter(|p| !p.steps.is_empty()).map(|p| p.state.to_string()).collect();
    if ends.is_empty() {
        out.push_str("No side can improve on it by its own move.\n");
    } else {
        out.push_str(&crate::text::wrap(
            &format!("Reachable by moves that each improve things for the side making them: {}.", ends.join(", ")),
            "",
            "  ",
        ));
    }
    let mut seen = Vec::new();
    for p in q.to_equilibria.iter().filter(|p| concepts.contains(&p.concept)) {
        if seen.contains(&p.state) {
            continue;
        }
        seen.push(p.state);
        let how = match (&p.by_improvements, &p.by_any_moves) {
            (Some(steps), _) if steps.is_empty() => "is the status quo itself".to_string(),
            (Some(steps), _) => format!("by improvements: {}", path_text(q.state, steps)),
            (None, Some(steps)) => format!("not by improvements alone; by any moves: {}", path_text(q.state, steps)),
            (None, None) => "not reachable".to_string(),
        };
        out.push_str(&crate::text::wrap(&format!("to {} ({} equilibrium) {how}", p.state, p.concept), "  ", "      "));
    }
    out
}

/// Why the equilibria hold: for each shown DM at each equilibrium of the shown concepts, each
/// improvement and what deters it, in the library's words (the strongest concept per state).
pub fn explanations(r: &StabilityReport, shown: &Shown, eq: &[usize]) -> String {
    let mut out = String::new();
    for &s in eq {
        let Some(c) = shown.concepts.iter().copied().find(|&c| r.equilibria(c).binary_search(&s).is_ok()) else { continue };
        for &d in &shown.dms {
            let name = &r.dms[d].name;
            if let Some(e) = r.explanations.iter().find(|e| e.state == s && e.concept == c && &e.dm == name && !e.improvements.is_empty()) {
                out.push_str(&crate::text::wrap(&e.describe(), "- ", "  "));
            }
        }
    }
    out
}

/// The status-quo tree as DOT: the status quo at the root, the shortest improvement path to
/// every state reached, each arc labelled with its mover.
pub fn status_quo_dot(r: &StabilityReport) -> String {
    let mut out = String::from("digraph status_quo {\n  rankdir=LR;\n  node [fontname=\"Helvetica\", fontsize=10];\n");
    if let Some(q) = &r.status_quo {
        let mut nodes = vec![q.state];
        let mut arcs: Vec<(usize, usize, String)> = Vec::new();
        for p in &q.by_improvements {
            let mut from = q.state;
            for st in &p.steps {
                if !arcs.iter().any(|(a, b, _)| *a == from && *b == st.to) {
                    arcs.push((from, st.to, st.mover.clone()));
                }
                if !nodes.contains(&st.to) {
                    nodes.push(st.to);
                }
                from = st.to;
            }
        }
        for s in nodes {
            let shape = if s == q.state { "box" } else { "ellipse" };
            let _ = writeln!(out, "  s{s} [label={}, shape={shape}];", dot_str(&format!("{s}\n{}", r.states[s - 1].label)));
        }
        for (a, b, m) in arcs {
            let _ = writeln!(out, "  s{a} -> s{b} [label={}];", dot_str(&m));
        }
    }
    out.push_str("}\n");
    out
}
