//! `detente conflict`: the stability lens (Graph Model for Conflict Resolution). The library
//! computes the report (`detente_conflict::analyze`); this command prints it — the option-form
//! table, the stability results, the tableau, the status-quo paths and the explanations — or
//! its JSON, and writes the Graphviz DOT of the graph and the status-quo tree.

use super::Options;
use crate::load::{Failure, BUILTIN_NAME};
use detente_conflict::{AnalysisOptions, Concept};
use detente_report::conflict as conflict_report;
use std::path::Path;

/// What `detente conflict` was asked.
#[derive(Debug, Clone)]
pub(crate) struct Request<'a> {
    /// `--concept …`: the concepts to show (default: all).
    pub(crate) concepts: &'a [String],
    /// `--dm …`: the decision makers to show (default: all).
    pub(crate) dms: &'a [String],
    /// `--dot FILE`.
    pub(crate) dot: Option<&'a Path>,
    /// `--force`: replace an existing `--dot` file.
    pub(crate) force: bool,
}

/// The conflict of `file` (a `.gmcr` project or a detente file with a `[conflict]` part), or the
/// built-in scenario's, and the name to show for it.
pub(crate) fn load_conflict(file: Option<&Path>) -> Result<(detente_formats::conflict::Project, String), Failure> {
    match file {
        None => {
            let conflict = detente_formats::reference::conflict()?;
            Ok((detente_formats::conflict::Project { conflict, coalitions: None }, BUILTIN_NAME.to_string()))
        }
        Some(p) => Ok((detente_formats::conflict::load_project(p)?, p.display().to_string())),
    }
}

fn concept(name: &str) -> Option<Concept> {
    Some(match name {
        "nash" => Concept::Nash,
        "gmr" => Concept::Gmr,
        "smr" => Concept::Smr,
        "seq" => Concept::Seq,
        "sim" => Concept::Sim,
        "seqsim" => Concept::SeqSim,
        _ => return None,
    })
}

pub(crate) fn run(file: Option<&Path>, req: &Request<'_>, opts: &Options<'_>) -> Result<(), Failure> {
    if opts.variant.is_some() {
        return Err(Failure::Usage("--variant applies to a scenario's variants; a conflict has none".into()));
    }
    if opts.semantics.is_some() {
        return Err(Failure::Usage(
            "--semantics chooses how GENIUS folders are read and whose solution definitions apply; the stability lens reads neither".into(),
        ));
    }
    if let Some(path) = req.dot {
        crate::output::check_file(path, req.force, file)?;
    }
    let (project, source) = load_conflict(file)?;
    let conflict = project.conflict;
    let mut concepts: Vec<Concept> = Vec::new();
    for c in req.concepts {
        let c = concept(c)
            .ok_or_else(|| Failure::Usage(format!("--concept: unknown concept `{c}`; known: nash, gmr, smr, seq, sim, seqsim")))?;
        if !concepts.contains(&c) {
            concepts.push(c);
        }
    }
    if concepts.is_empty() {
        concepts = Concept::ALL.to_vec();
    }
    let mut dms = Vec::new();
    for id in req.dms {
        let d = conflict.dms().iter().position(|d| &d.id == id).ok_or_else(|| {
            let known: Vec<&str> = conflict.dms().iter().map(|d| d.id.as_str()).collect();
            Failure::Input(format!("--dm: {source} has no decision maker `{id}`; its ids are {}", known.join(", ")))
        })?;
        if !dms.contains(&d) {
            dms.push(d);
        }
    }
    dms.sort_unstable();
    // a gmcr-py project's coalitions move as one, as gmcr-py analyses them
    let options = AnalysisOptions { concepts, coalitions: project.coalitions, ..AnalysisOptions::default() };
    let report = detente_conflict::analyze(&conflict, &options).map_err(|e| Failure::Input(format!("{source}: {e}")))?;
    if let Some(path) = req.dot {
        let eq: Vec<usize> = conflict_report::equilibrium_states(&report, &report.concepts).iter().map(|s| s - 1).collect();
        let dot = format!("{}\n{}", conflict_report::transition_dot(&conflict, &eq), conflict_report::status_quo_dot(&report));
        crate::output::write_file(path, dot.as_bytes(), req.force, file)?;
        if !opts.json {
            outln!(
                "Wrote {} (Graphviz DOT: the state-transition graph and the status-quo tree; `dot -Tsvg -O {}`).",
                path.display(),
                path.display()
            );
        }
    }
    if opts.json {
        outln!("{}", serde_json::to_string_pretty(&report).expect("invariant: the stability report serialises"));
        return Ok(());
    }
    let mut shown = conflict_report::Shown::all(&report);
    if !dms.is_empty() {
        shown.dms = dms;
    }
    out!("{}", conflict_report::text(&conflict, &report, &shown));
    Ok(())
}
