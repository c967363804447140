//! `detente`: study, analyse, simulate and forecast multi-party, multi-issue negotiations.
//!
//! This binary is glue: it parses argv (clap), loads scenarios through `detente-formats`,
//! calls the lenses, and renders their reports as text for people or JSON for machines.
//! Exit codes: 0 success, 1 bad input, 2 usage error.

/// `print!` to stdout; a closed pipe (`detente study | head`) ends the program quietly with
/// success instead of panicking, as command-line tools are expected to.
macro_rules! out {
    ($($arg:tt)*) => { $crate::render::write_stdout(format_args!($($arg)*)) };
}

/// `println!` with the same closed-pipe handling as [`out!`].
macro_rules! outln {
    () => { $crate::render::write_stdout(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::render::write_stdout(format_args!("{}\n", format_args!($($arg)*))) };
}

mod commands;
mod describe;
mod load;
mod output;
mod render;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// Study, analyse, simulate and forecast multi-party, multi-issue negotiations.
///
/// With no FILE, every command uses the built-in reference scenario: the US-mediated
/// Russia–Ukraine ceasefire talks of February 2025 (all numbers illustrative assumptions).
#[derive(Debug, Parser)]
#[command(name = "detente", version, propagate_version = true)]
pub(crate) struct Cli {
    /// Apply this named variant of the scenario (a what-if) before running the command.
    #[arg(long, global = true, value_name = "NAME")]
    variant: Option<String>,
    /// Print machine-readable JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
    /// Whose rules to follow where GENIUS and NegMAS differ: how a GENIUS folder is read
    /// (evaluations, weights, discount, reservation) and whose definitions the solutions
    /// follow (default: a GENIUS folder is read as GENIUS reads it; solutions follow NegMAS).
    #[arg(long, global = true, value_name = "genius|negmas", value_parser = parse_semantics)]
    semantics: Option<detente_core::Semantics>,
    #[command(subcommand)]
    command: Command,
}

/// `--html FILE [--force]`: the result as one self-contained web page.
#[derive(Debug, clap::Args)]
struct HtmlPage {
    /// Write the result as one self-contained HTML file with plots (opens offline, no network).
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// Replace the --html file if it exists (otherwise an existing file is never overwritten;
    /// the scenario file never is).
    #[arg(long, requires = "html")]
    force: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// The main job: a readable study of a scenario and its variants.
    Study {
        /// Scenario file (.toml, .json, KTAB .csv) or GENIUS/GeniusWeb folder (default: the built-in reference scenario).
        file: Option<PathBuf>,
        /// Print every table, not only the briefing's summary.
        #[arg(long)]
        full: bool,
        /// Robustness runs: the stated input spreads drawn together this many times, every lens
        /// run again on each draw (0: none).
        #[arg(long, default_value_t = detente_study::DEFAULT_RUNS, value_name = "N")]
        runs: usize,
        /// Seeds per protocol and mediator rule in the comparison over seeds (0: none).
        #[arg(long, default_value_t = detente_study::DEFAULT_SEEDS, value_name = "N")]
        seeds: usize,
        /// Seed of the simulations and the robustness runs (same seed, same bytes).
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// The two actors whose utility space the HTML report plots, as `a,b` (default: the
        /// first two parties that must agree).
        #[arg(long, value_name = "A,B")]
        pair: Option<String>,
        #[command(flatten)]
        page: HtmlPage,
    },
    /// Where each issue settles under a spatial bargaining model, beside the c·s baselines.
    Forecast {
        /// Scenario file (.toml, .json, KTAB .csv) or GENIUS/GeniusWeb folder (default: built-in).
        file: Option<PathBuf>,
        /// The model.
        #[arg(long, value_enum, default_value = "eu")]
        model: commands::forecast::ModelArg,
        /// Expected-utility preset: scholz_code (default), scholz_paper, dmasad, no_move_conflict.
        #[arg(long, value_name = "PRESET")]
        preset: Option<String>,
        /// Run a Monte Carlo of this many runs over the scenario's uncertain inputs.
        #[arg(long, value_name = "N")]
        runs: Option<usize>,
        /// Seed of the Monte Carlo and of the exchange model's tie-breaks (same seed, same report,
        /// whatever the thread count).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Show every actor's position round by round (expected-utility, SMP and exchange models).
        #[arg(long)]
        rounds: bool,
        #[command(flatten)]
        page: HtmlPage,
    },
    /// The stability lens (Graph Model for Conflict Resolution): which states are stable for
    /// each side and why, the equilibria, and where the status quo can lead.
    Conflict {
        /// A detente file with a `[conflict]` part (.toml, .json) or a gmcr-py / GMCR+ project
        /// (.gmcr) (default: the built-in reference scenario's conflict).
        file: Option<PathBuf>,
        /// Show these stability concepts only (repeatable; default: all).
        #[arg(long = "concept", value_name = "nash|gmr|smr|seq|sim|seqsim", value_parser = ["nash", "gmr", "smr", "seq", "sim", "seqsim"])]
        concepts: Vec<String>,
        /// Show these decision makers only in the text (repeatable, by id; default: all); --json
        /// and --dot always hold every decision maker.
        #[arg(long = "dm", value_name = "ID")]
        dms: Vec<String>,
        /// Write the state-transition graph and the status-quo tree as Graphviz DOT to FILE.
        #[arg(long, value_name = "FILE")]
        dot: Option<PathBuf>,
        /// Replace the --dot file if it exists (otherwise an existing file is never
        /// overwritten; the input file never is).
        #[arg(long, requires = "dot")]
        force: bool,
    },
    /// Read, check and convert scenario files.
    #[command(subcommand)]
    Scenario(ScenarioCommand),
    /// Pareto frontier, bargaining solutions (Nash, Kalai-Smorodinsky, ...) and the zone of
    /// possible agreement.
    Analyze {
        /// Scenario file (.toml, .json, KTAB .csv) or GENIUS/GeniusWeb folder (default: built-in).
        file: Option<PathBuf>,
        /// Also list every point of the Pareto frontier.
        #[arg(long)]
        frontier: bool,
        #[command(flatten)]
        page: HtmlPage,
    },
    /// One simulated negotiation: the deal, each party's utility, the rounds, and a trace.
    #[command(group(clap::ArgGroup::new("outputs").args(["html", "trace"]).multiple(true)))]
    Negotiate {
        /// Scenario file (.toml, .json, KTAB .csv) or GENIUS/GeniusWeb folder (default: built-in).
        file: Option<PathBuf>,
        /// Protocol: sao (joint table), single_text, single_text_veto, single_text_steepest,
        /// shuttle (default: the scenario's).
        #[arg(long, value_parser = parse_protocol)]
        protocol: Option<detente_agents::Protocol>,
        /// Negotiators, one per participating party in order, comma-separated, e.g.
        /// `boulware,linear` or `boa(e=0.2,ac=next),tft` (default: each party's strategy).
        #[arg(long, value_name = "A,B,...")]
        negotiators: Option<String>,
        /// Deadline in rounds (default: the scenario's, else 100).
        #[arg(long)]
        rounds: Option<u32>,
        /// Seed for every random choice.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Write the JSONL trace (format detente/2) to this file.
        #[arg(long, value_name = "FILE")]
        trace: Option<PathBuf>,
        /// Mediator rule for mediated protocols: biased, neutral, welfare (default: the
        /// scenario's).
        #[arg(long, value_parser = parse_rule)]
        mediator_rule: Option<detente_core::MediatorRule>,
        /// Rule set: for sao, negmas (default) or genius_saop; for single_text and
        /// single_text_veto, negmas reproduces NegMAS 0.16's HillClimbingST / VetoST (default:
        /// detente's rules).
        #[arg(long, value_parser = parse_rules)]
        rules: Option<detente_protocol::Rules>,
        /// Single text: put the text to ratification after this many rounds without an
        /// accepted candidate (default: no stall limit; the text is put to ratification at the
        /// deadline or a local optimum).
        #[arg(long, value_name = "ROUNDS")]
        stall: Option<u32>,
        /// Shuttle: visit the least satisfied party first.
        #[arg(long)]
        least_satisfied_first: bool,
        /// Single text and shuttle: what the mediator knows of the parties — votes (it sees only
        /// their votes and counter-proposals and learns their preferences from them; the
        /// default) or omniscient (it evaluates every party's utility: a benchmark).
        #[arg(long, value_parser = parse_knowledge)]
        knowledge: Option<detente_protocol::Knowledge>,
        /// Also end the joint table after this many seconds of wall time (results then depend
        /// on the machine's speed; off by default).
        #[arg(long, value_name = "SECONDS")]
        time_limit: Option<f64>,
        /// Who speaks first at the joint table, by actor id (default: the first participating
        /// party; the others follow in the scenario's order, cyclically).
        #[arg(long, value_name = "ACTOR")]
        opener: Option<String>,
        /// List the negotiators and their parameters, and exit.
        #[arg(long)]
        list_negotiators: bool,
        /// Write the result as one self-contained HTML file with plots (opens offline, no network).
        #[arg(long, value_name = "FILE")]
        html: Option<PathBuf>,
        /// Replace the --html or --trace file if it exists (otherwise an existing file is never
        /// overwritten; the scenario file never is).
        #[arg(long, requires = "outputs")]
        force: bool,
    },
    /// Every negotiator against every other, in every seat, on many scenarios: a tournament
    /// (ANAC style), on every core, resumable, written as Parquet and CSV; `report` and
    /// `merge` read finished ones.
    Tournament(TournamentArgs),
    /// The web app on a local port: explore a scenario and change its assumptions live, run
    /// and watch negotiations; its JSON API is documented at /api/openapi.json.
    Serve {
        /// A scenario file, or a folder whose scenario files (and GENIUS/GeniusWeb folders)
        /// the app offers by name beside the built-in scenario.
        path: Option<PathBuf>,
        /// Address to listen on: loopback by default; any other address lets other machines in
        /// (a warning says so).
        #[arg(long, default_value = "127.0.0.1")]
        host: std::net::IpAddr,
        /// Port (0: any free port; the URL printed says which).
        #[arg(long, default_value_t = 8180)]
        port: u16,
    },
    /// Each party's utility of one complete outcome, and whether it beats walking away.
    Utility {
        /// Scenario file (.toml, .json, KTAB .csv) or GENIUS/GeniusWeb folder (default: built-in).
        file: Option<PathBuf>,
        /// The outcome, as `issue=option,issue=value,...` (every issue needs a value).
        #[arg(long, value_name = "ISSUE=VALUE,...")]
        outcome: String,
    },
}

/// `detente tournament [OPTIONS]`, or one of its subcommands.
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
struct TournamentArgs {
    #[command(subcommand)]
    command: Option<TournamentCommand>,
    #[command(flatten)]
    run: TournamentRun,
}

/// The options of a tournament run.
#[derive(Debug, clap::Args)]
struct TournamentRun {
    /// The negotiators, comma-separated, any spec `negotiate --list-negotiators` shows, with
    /// parameters: `boulware,conceder,boa(e=0.2,ac=next)`.
    #[arg(long, required = true, value_name = "A,B,...")]
    negotiators: Option<String>,
    /// Scenario files (.toml, .json, KTAB .csv) and GENIUS/GeniusWeb folders; quoted glob
    /// patterns (`'domains/*'`) are expanded, sorted.
    #[arg(long, required = true, num_args = 1.., value_name = "PATH")]
    scenarios: Vec<String>,
    /// Protocol of every negotiation (default: each scenario's).
    #[arg(long, value_parser = parse_protocol)]
    protocol: Option<detente_agents::Protocol>,
    /// Deadline in rounds (default: each scenario's, else 100).
    #[arg(long)]
    rounds: Option<u32>,
    /// Runs of each seating, each with its own seed.
    #[arg(long, default_value_t = 1, value_name = "R")]
    repetitions: u32,
    /// The tournament's seed: each negotiation's seed derives from it and the negotiation's
    /// place in the tournament (same seed, same results, whatever --jobs or --shard).
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Leave out the seatings where one negotiator plays every party.
    #[arg(long)]
    no_self_play: bool,
    /// Run each seating once per opener, every party speaking first in turn (NegMAS's
    /// `rotate_ufuns`; the joint table only).
    #[arg(long)]
    rotate: bool,
    /// End each negotiation at the joint table after this many seconds of wall time (results
    /// then depend on the machine's speed; off by default).
    #[arg(long, value_name = "SECONDS")]
    time_limit: Option<f64>,
    /// Threads (default: one per core).
    #[arg(long, short = 'j', value_name = "J")]
    jobs: Option<usize>,
    /// Write the results to this folder (results.parquet, results.csv, timings.csv,
    /// summary.json, tournament.json); run again, the same command resumes an interrupted run.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Run only shard K of N (a deterministic 1/N of the negotiations), for a cluster; combine
    /// the shards' folders with `tournament merge`.
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    shard: Option<detente_tournament::store::Shard>,
    /// Negotiations per checkpoint written to --out (default 65536, eight of the final files'
    /// batches of 8192): at most this many are lost when the run is killed.
    #[arg(long, value_name = "N")]
    checkpoint: Option<u64>,
    /// Replace a different tournament already in --out (otherwise refused; a folder that holds
    /// anything but a tournament is never touched).
    #[arg(long, requires = "out")]
    force: bool,
}

#[derive(Debug, Subcommand)]
enum TournamentCommand {
    /// The summary of a finished tournament folder: standings, significance, scenarios.
    Report {
        /// A folder written by `tournament --out` or `tournament merge`.
        dir: PathBuf,
        #[command(flatten)]
        page: HtmlPage,
    },
    /// Combine the folders of every shard (`--shard k/N`) into the folder an unsharded run
    /// writes, byte for byte.
    Merge {
        /// The shards' folders.
        #[arg(required = true)]
        shards: Vec<PathBuf>,
        /// The folder to write.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Replace a tournament already in --out.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Subcommand)]
enum ScenarioCommand {
    /// Issues and options, actors, and a positions/salience table.
    Show {
        /// Scenario file (.toml, .json, KTAB .csv) or GENIUS/GeniusWeb folder (default: built-in).
        file: Option<PathBuf>,
    },
    /// Check scenario files; one summary line each. Exit 1 if any is invalid.
    Validate {
        /// Files or folders to check.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Convert a scenario between formats.
    Convert {
        /// Input scenario (file or folder).
        input: PathBuf,
        /// Target format.
        #[arg(long, value_enum)]
        to: commands::scenario::Target,
        /// Output file (toml, json) or folder (genius): written whole or not at all.
        output: PathBuf,
        /// Replace OUTPUT if it exists (a file, or a folder holding only an earlier GENIUS
        /// export); an input is never replaced.
        #[arg(long)]
        force: bool,
    },
}

// Enum-valued flags parse with the library's own parsers and name lists (no second table here);
// clap reports a bad value as a usage error (exit 2).
fn parse_protocol(s: &str) -> Result<detente_agents::Protocol, String> {
    detente_agents::Protocol::parse(s).ok_or_else(|| format!("unknown protocol `{s}`; known: {}", detente_agents::Protocol::names()))
}

fn parse_shard(s: &str) -> Result<detente_tournament::store::Shard, String> {
    s.parse::<detente_tournament::store::Shard>().map_err(|e| e.to_string())
}

fn parse_semantics(s: &str) -> Result<detente_core::Semantics, String> {
    detente_core::Semantics::parse(s).ok_or_else(|| format!("unknown semantics `{s}`; known: genius, negmas"))
}

fn parse_rule(s: &str) -> Result<detente_core::MediatorRule, String> {
    detente_core::MediatorRule::parse(s)
        .ok_or_else(|| format!("unknown mediator rule `{s}`; known: {}", detente_core::MediatorRule::names()))
}

fn parse_rules(s: &str) -> Result<detente_protocol::Rules, String> {
    detente_protocol::Rules::parse(s).ok_or_else(|| format!("unknown rule set `{s}`; known: {}", detente_protocol::Rules::names()))
}

fn parse_knowledge(s: &str) -> Result<detente_protocol::Knowledge, String> {
    detente_protocol::Knowledge::parse(s)
        .ok_or_else(|| format!("unknown mediator knowledge `{s}`; known: {}", detente_protocol::Knowledge::names()))
}

fn main() -> ExitCode {
    // Messages stay on one line so that they can be grepped; miette only draws the snippet.
    let _ = miette::set_hook(Box::new(|_| Box::new(miette::MietteHandlerOpts::new().wrap_lines(false).build())));
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
    };
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            render::report_failure(&failure);
            ExitCode::from(if matches!(failure, load::Failure::Usage(_)) { 2 } else { 1 })
        }
    }
}

fn run(cli: &Cli) -> Result<(), load::Failure> {
    let opts = commands::Options { variant: cli.variant.as_deref(), json: cli.json, semantics: cli.semantics };
    match &cli.command {
        Command::Study { file, full, runs, seeds, seed, pair, page } => {
            let req = commands::study::Request {
                full: *full,
                runs: *runs,
                seeds: *seeds,
                seed: *seed,
                pair: pair.as_deref(),
                html: page.html.as_deref(),
                force: page.force,
            };
            commands::study::run(file.as_deref(), &req, &opts)
        }
        Command::Conflict { file, concepts, dms, dot, force } => {
            let req = commands::conflict::Request { concepts, dms, dot: dot.as_deref(), force: *force };
            commands::conflict::run(file.as_deref(), &req, &opts)
        }
        Command::Scenario(ScenarioCommand::Show { file }) => commands::scenario::show(file.as_deref(), &opts),
        Command::Scenario(ScenarioCommand::Validate { files }) => commands::scenario::validate(files, &opts),
        Command::Scenario(ScenarioCommand::Convert { input, to, output, force }) => {
            commands::scenario::convert(input, *to, output, *force, &opts)
        }
        Command::Analyze { file, frontier, page } => {
            commands::analyze::run(file.as_deref(), *frontier, page.html.as_deref(), page.force, &opts)
        }
        Command::Forecast { file, model, preset, runs, seed, rounds, page } => {
            let req = commands::forecast::Request {
                model: *model,
                preset: preset.as_deref(),
                runs: *runs,
                seed: *seed,
                rounds: *rounds,
                html: page.html.as_deref(),
                force: page.force,
            };
            commands::forecast::run(file.as_deref(), &req, &opts)
        }
        Command::Tournament(TournamentArgs { command: Some(TournamentCommand::Report { dir, page }), .. }) => {
            commands::tournament::report(dir, page.html.as_deref(), page.force, &opts)
        }
        Command::Tournament(TournamentArgs { command: Some(TournamentCommand::Merge { shards, out, force }), .. }) => {
            commands::tournament::merge(shards, out, *force, &opts)
        }
        Command::Tournament(TournamentArgs { command: None, run: r }) => {
            let req = commands::tournament::Request {
                negotiators: r.negotiators.as_deref().unwrap_or_default(),
                scenarios: &r.scenarios,
                protocol: r.protocol,
                rounds: r.rounds,
                repetitions: r.repetitions,
                seed: r.seed,
                no_self_play: r.no_self_play,
                rotate: r.rotate,
                time_limit: r.time_limit,
                jobs: r.jobs,
                out: r.out.as_deref(),
                shard: r.shard,
                checkpoint: r.checkpoint,
                force: r.force,
            };
            commands::tournament::run(&req, &opts)
        }
        Command::Utility { file, outcome } => commands::utility::run(file.as_deref(), outcome, &opts),
        Command::Serve { path, host, port } => commands::serve::run(path.as_deref(), *host, *port),
        Command::Negotiate {
            file,
            protocol,
            negotiators,
            rounds,
            seed,
            trace,
            mediator_rule,
            rules,
            stall,
            least_satisfied_first,
            knowledge,
            time_limit,
            opener,
            list_negotiators,
            html,
            force,
        } => {
            let args = commands::negotiate::Args {
                protocol: *protocol,
                negotiators: negotiators.as_deref(),
                rounds: *rounds,
                seed: *seed,
                trace: trace.as_deref(),
                mediator_rule: *mediator_rule,
                rules: *rules,
                stall: *stall,
                least_satisfied_first: *least_satisfied_first,
                knowledge: *knowledge,
                time_limit: *time_limit,
                opener: opener.as_deref(),
                list_negotiators: *list_negotiators,
                html: html.as_deref(),
                force: *force,
            };
            commands::negotiate::run(file.as_deref(), &args, &opts)
        }
    }
}
