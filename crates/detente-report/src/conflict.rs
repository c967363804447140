//! Printers over the stability lens (`detente_conflict`): the option-form table, the stability
//! results table, the tableau, the status-quo paths and explanations as text, and the
//! state-transition graph and status-quo tree as Graphviz DOT. Printers only: every verdict and
//! sentence they show is in the library's report.

use crate::table;
use detente_conflict::Conflict;

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
                let label = format!("{}: {}", short(&dm.name, 14), short(&opt.name, 32));
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
    let _ = table::table;
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
    let mut out = String::from("digraph transitions {\n  rankdir=LR;\n  node [fontname=\"Helvetica\", fontsize=10];\n  edge [fontsize=8];\n");
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
