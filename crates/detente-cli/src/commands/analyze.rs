//! `detente analyze`: the analyse lens — sizes, opposition, the Pareto frontier, every
//! bargaining solution as issue options with each party's utility, and the ZOPA.

use super::Options;
use crate::load::{load, Failure};
use crate::render::print_serialized;
use detente_analysis::{analysis_report, analyze, render_frontier, render_text, Analysis, Semantics};
use detente_core::Scenario;
use std::path::Path;

/// Runs the analysis of one scenario, or a failure naming the source.
pub(crate) fn analysis(s: &Scenario, semantics: Semantics, source: &str) -> Result<Analysis, Failure> {
    analyze(s, &detente_analysis::Options { semantics, ..Default::default() }).map_err(|e| Failure::Input(format!("{source}: {e}")))
}

pub(crate) fn run(file: Option<&Path>, frontier: bool, html: Option<&Path>, force: bool, opts: &Options<'_>) -> Result<(), Failure> {
    if let Some(path) = html {
        if frontier || opts.semantics == Some(Semantics::Genius) {
            // Nothing given is ignored: the page shows the NegMAS analysis and the utility space.
            return Err(Failure::Usage(
                "--html shows the zone, the Nash and Kalai-Smorodinsky deals (NegMAS definitions) and the utility space; --frontier and --semantics apply to the text and --json output".into(),
            ));
        }
        crate::render::check_page(path, force, opts.json, file)?;
        let loaded = load(file, opts.variant, opts.semantics)?;
        loaded.note_unread(opts.variant, "the analysis", |p, _| detente_analysis::reads(p.input()));
        let page = detente_study::deal::page(&loaded.scenario, opts.variant.unwrap_or("base"))
            .map_err(|e| Failure::Input(format!("{}: {e}", loaded.source)))?;
        let html = detente_report::html::analysis(&page, &loaded.source);
        crate::output::write_file(path, html.as_bytes(), force, file)?;
        outln!("Wrote {} ({} KB): open it in any browser; it needs no network.", path.display(), html.len().div_ceil(1024));
        return Ok(());
    }
    let loaded = load(file, opts.variant, opts.semantics)?;
    loaded.note_unread(opts.variant, "the analysis", |p, _| detente_analysis::reads(p.input()));
    let s = &loaded.scenario;
    let a = analysis(s, opts.semantics.unwrap_or(Semantics::Negmas), &loaded.source)?;
    if opts.json {
        print_serialized(&analysis_report(&a, s, frontier));
        return Ok(());
    }
    out!("{}", render_text(&a, s));
    if frontier {
        outln!();
        out!("{}", render_frontier(&a, s));
    }
    Ok(())
}
