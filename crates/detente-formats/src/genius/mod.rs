//! GENIUS XML domains and profiles: import (with GENIUS or NegMAS semantics) and export.
//!
//! A GENIUS scenario is one *domain* file (root `<negotiation_template>`: the issues) and one
//! *profile* per party (root `<utility_space>`: evaluations, weights, discount, reservation).
//! The format and GENIUS 10.4's reading of it are described in
//! `docs/specs/genius-formats-protocols-agents.md` §A.1–A.6; the rules below were checked
//! against the GENIUS 10.4 sources (`DomainImpl`, `AdditiveUtilitySpace`, `Evaluator*`) and
//! NegMAS 0.16 (`issues_from_xml_str`, `UtilityFunction.from_xml_str`, `load_genius_domain`).
//!
//! # Entry points
//! - [`load`] (folder or file), [`load_folder`], [`load_file`]: files on disk
//!   ([`crate::load_path`] uses GENIUS semantics).
//! - [`load_noting`] (and [`load_folder_noting`], [`load_file_noting`], [`from_bytes_noting`]):
//!   the same, with the [`Notice`]s a reader should see — a value evaluated twice, and under
//!   NegMAS semantics each NegMAS quirk that changed what was read (below).
//! - [`from_strs`] / [`from_bytes`]: the same from memory (no files needed).
//! - [`export`] / [`to_strings`]: write a scenario back as a domain plus one profile per actor.
//!
//! # Reading, both semantics
//! - **Files in a folder.** Every `*.xml` except `*pareto.xml`, sorted by file name (byte
//!   order, as NegMAS's `sorted(listdir())`): the one with root `<negotiation_template>` is the
//!   domain, each `<utility_space>` is a profile. So *actor k is the k-th profile file in name
//!   order* — the same order NegMAS gives its ufuns. A file with another root is skipped when it
//!   is plainly something else (a folder may hold other XML), but a root that is a near miss of
//!   either — the same name up to case, or within three edits, like `<utility_spaec>` — is an
//!   error at that root naming the one expected: a misspelt profile would otherwise drop its
//!   party from the scenario without a word. (The GENIUS folders of the reference data hold
//!   only domains and profiles, so no real folder is refused by this.)
//! - **Actors** are named after the profile file stem (`laptop_buyer_utility`), required
//!   parties. **Scenario** id and title: the domain file stem.
//! - **Issues.** The `type` attribute decides (a conflicting `vtype` or `etype` loses, as in
//!   GENIUS); missing or unrecognised → discrete; matched case-insensitively. Integer issues
//!   carry `lowerbound`/`upperbound` on `<issue>` or (some older files, e.g. `web_service`) in a
//!   `<range>` child, as real issues do; an attribute on `<issue>` wins. Discrete values keep
//!   their document order.
//! - **Issue ids** are the GENIUS names; a name containing `=` or `,` (which detente's outcome
//!   syntax reserves) or surrounding spaces gets an id with `=`→`-`, `,`→`;`, trimmed, and keeps
//!   the original as its display name. Option ids are the `value` strings exactly.
//! - **A real issue is continuous** (`grid: None`): GENIUS enumerates it with 21 steps
//!   `a + (b−a)·k/21`, `k = 0..20` (never reaching `b`), which detente's evenly spaced grid cannot
//!   express. Lenses that enumerate outcomes refuse such a scenario with a clear error; give the
//!   issue a `grid` in the TOML to enumerate it.
//! - **Matching a profile to its domain** is by issue `index` (as GENIUS); the profile's issue
//!   `name` and type must agree with the domain's (a profile that swaps two issues' names
//!   relative to the domain is refused: NegMAS would match evaluations by name but weights by
//!   index, GENIUS both by index), every domain issue needs an `<issue>` in the profile, every
//!   discrete value an `evaluation`. Anything else is an error with file, line and column —
//!   never a partial load.
//! - **A value evaluated twice** (two `<item value="0">` in one profile issue, as in
//!   AMPOvsCity): the last evaluation is used — GENIUS (`EvaluatorDiscrete`'s `HashMap.put`) and
//!   NegMAS (a dict assignment) both keep the last — with a [`Notice::GeniusEvaluatedTwice`].
//! - **Weights** are siblings of their issue (`<weight index=k>` beside `<issue index=k>`), taken
//!   as written (not renormalised). With GENIUS semantics an issue without a weight contributes 0
//!   (weight 0, its evaluations are not read — GENIUS loads no evaluator for it and would refuse to
//!   evaluate the profile); with NegMAS semantics see below. Weights of objectives are ignored,
//!   as GENIUS ignores them — a sub-objective's beside it, and (GENIUS semantics) a weight
//!   naming an enclosing objective, as ANAC 2012's Fitness profiles weigh their root objective
//!   `<weight index="1">` beside issues 2–6. Any other weight naming nothing beside it is an
//!   error (GENIUS would ignore it too, but in practice it is a typo).
//! - `<reservation>` and `<discount_factor>` are found at any depth; two of either is an error.
//!
//! # Every error, not the first
//! A file that parses is read to the end: every bad issue, bound or item of the domain, every
//! bad weight, evaluation or evaluator of each profile, every missing issue, each with file,
//! line and column, and every profile of a folder, come back together as
//! [`FormatError::Many`], in file order (the domain first, then the profiles in name order).
//! Mistakes are reported once: a profile is not checked against a domain issue whose own
//! definition failed, an `<issue>` whose index the domain lacks is reported without the weight
//! and domain issue it leaves unmatched, and an `<item>` naming no domain value without the
//! value it may have meant. **Syntax errors stop at the first one of their file** (malformed
//! XML has no tree to read on): each file that does not parse contributes its first syntax
//! error, and when the domain does not parse, its profiles are not checked.
//!
//! # [`Semantics::Genius`] (GENIUS 10.4)
//! - **Issue order**: the pre-order of GENIUS's objective tree — at each objective, first the
//!   sub-objectives' issues, then its own (document order for the usual flat domains).
//! - **Discrete**: evaluation ÷ the largest evaluation (0 when that is below 1e-5),
//!   every time, even when all evaluations are ≤ 1; a negative evaluation is an error.
//! - **Integer**: `clamp01(offset + slope·(v − L))`, `L` the *profile's* `lowerbound`
//!   ([`detente_core::ValueFunction::Affine`] with `origin: L, clamp01: true`).
//! - **Real**: `linear` = `clamp01(parameter0 + parameter1·x)` on the absolute `x`; `constant` =
//!   `parameter0`; `triangular` = 0 outside `[parameter0, parameter1]`, 1 at `parameter2`.
//!   (detente's triangle is 1 at `x = top = upper`, where GENIUS gives 0: a degenerate case.)
//! - **Total**: `min(1, Σ wᵢ·eᵢ)` — clamped from above only (`clamp: Some((−∞, 1))`).
//! - **Integer**, continued: `L` is the profile's `lowerbound` attribute, or its `<range>`
//!   child's (GENIUS 10.4 reads only the attribute and cannot load such a profile: detente reads
//!   the bound it plainly means); `slope`/`offset`, or the older names `parameter1`/`parameter0`.
//! - **Discount**: [`detente_core::Discount::genius`]: a factor outside (0, 1) means none; else `u·d^t` on
//!   normalised time. **Reservation**: as written; absent stays [`detente_core::Reservation::None`] (worth 0,
//!   GENIUS's default, but reported as "none").
//!
//! # [`Semantics::Negmas`] (what `negmas.inout.Scenario.load(folder)` does by default)
//! - **Issue order**: by the `index` attribute.
//! - **Discrete**: raw evaluations (no divide-by-max). **Integer and real `linear`**:
//!   `offset + slope·x` on the absolute value, unclamped (`offset`/`parameter0`, default 0;
//!   `slope`/`parameter1`, default 1). `constant` is rejected (NegMAS cannot read it).
//! - **Total**: unclamped. An issue without a weight gets weight **1** (NegMAS's default); a
//!   weight whose index is outside `1..=max` (`max` the largest issue index) becomes a constant
//!   term (as NegMAS does).
//! - **NegMAS quirk — placeholder issues.** NegMAS's lenient default (`safe_parsing=False`)
//!   fills every gap in the issue indices `1..=max` with a one-value placeholder issue (value 1),
//!   e.g. index 1 when the root objective has index 1 and the issues are numbered from 2 (ANAC
//!   2012 Fitness, AMPOvsCity, laptopdomain). In a profile with a discrete issue, a placeholder
//!   gets the identity as value function and the weight a `<weight>` gives its index (the
//!   Fitness profiles' `<weight index="1" value="1.0">` on the objective), else NegMAS's default
//!   1: it adds `weight × 1` to **every** utility. (All placeholders share one name, so the last
//!   such weight serves all of them; in a profile with only integer and real issues NegMAS
//!   gives them weight 0.) detente has no placeholder issues: the same constant goes into the
//!   additive utility's `bias`, which gives NegMAS's utilities exactly, with a
//!   [`Notice::NegmasPlaceholderConstant`].
//! - **Discount**: `d ∈ (0, 1)` → [`detente_core::Discount::PerRound`] (NegMAS `discount_per_round`: the
//!   exponent is the round, not GENIUS's normalised time); 0, 1 or absent → none; above 1 or
//!   negative → an error (NegMAS would let utilities grow per round).
//! - **Reservation**: as written; absent → `Reservation::Value(0.0)` (NegMAS sets
//!   `reserved_value = 0.0` when a profile has none).
//! - **NegMAS quirk — discounted profiles lose their reservation.** A profile with `d ∈ (0, 1)`
//!   is wrapped in `ExpDiscountedUFun`, whose `reserved_value` is −∞ whatever `<reservation>`
//!   says (`ExpDiscountedUFun(reserved_value=-inf)`; the inner function keeps it, but NegMAS's
//!   rational outcomes and frontier use the wrapper's). detente cannot state a reservation of −∞
//!   yet: such a profile gets [`detente_core::Reservation::None`] (which analysis counts as 0,
//!   not −∞) and a [`Notice::NegmasReservationDropped`] naming the actor and the dropped value.
//!
//! # Lenient XML
//! Before parsing (with `quick-xml`), each file is decoded and pre-sanitised, repairing exactly
//! the defects found in real GENIUS templates (spec §A.6) and nothing else:
//!
//! | defect | repair |
//! |---|---|
//! | bytes that are not UTF-8 (ANAC 2015 `€` as `0x80`) | decode the whole file as Windows-1252 |
//! | a bare `&` (`AT & T`) | escape it as `&amp;` |
//! | `<` inside an attribute value | escape it as `&lt;` |
//! | no space between attributes (`type="discrete"vtype=…`) | insert one space |
//! | a comment before `<?xml …?>` | blank out the declaration (the encoding is already decided) |
//! | attribute values spanning lines | XML attribute-value normalisation: each line break or tab becomes one space |
//!
//! A UTF-8/UTF-16 byte-order mark is honoured; the `encoding` named in the declaration is not
//! (GENIUS ignores it too). Error positions always refer to the original file.
//!
//! # Export
//! See [`to_strings`] for how each kind of preference becomes GENIUS evaluations. Spreads of
//! uncertain inputs (`detente_core::Spread` on positions and capabilities) are not exported:
//! GENIUS has no such notion.
//!
//! # Cost
//! Reading is linear in the file sizes (one sanitising pass, one `quick-xml` pass, one tree
//! walk) plus O(values) per profile issue for matching; nothing is enumerated. Writing
//! tabulates each enumerable issue once per actor: O(actors × Σ issue values).

pub(crate) mod read;
mod write;
pub(crate) mod xml;

pub use write::{to_strings, GeniusFiles};

use crate::{near_miss, FormatError, Location, Notice};
use detente_core::Scenario;
use std::path::{Path, PathBuf};
use xml::Doc;

/// Which reading of a GENIUS file: the one [`detente_core::Semantics`] choice (see the module
/// docs for what each reads how). The scenario records it in `meta.read_with`.
pub use detente_core::Semantics;

/// Parses a domain and its profiles from bytes. Each pair is `(file name, contents)`; file
/// names appear in error locations, the domain's stem becomes the scenario id and each
/// profile's stem its actor id. Profiles become actors in the order given. Every error found
/// is reported (see the module docs): several come as [`FormatError::Many`].
pub fn from_bytes(domain: (&str, &[u8]), profiles: &[(&str, &[u8])], semantics: Semantics) -> Result<Scenario, FormatError> {
    from_bytes_noting(domain, profiles, semantics).map(|(s, _)| s)
}

/// [`from_bytes`], with what a reader should be told about the files ([`Notice`]: a value
/// evaluated twice; under NegMAS semantics, placeholder constants and dropped reservations).
pub fn from_bytes_noting(
    domain: (&str, &[u8]),
    profiles: &[(&str, &[u8])],
    semantics: Semantics,
) -> Result<(Scenario, Vec<Notice>), FormatError> {
    let ddoc = Doc::parse(domain.0, domain.1);
    let files: Vec<Result<Doc, FormatError>> = profiles.iter().map(|(name, bytes)| Doc::parse(name, bytes)).collect();
    match ddoc {
        Ok(ddoc) => from_docs(ddoc, files, semantics),
        // No domain to read the profiles against: the syntax errors are all there is to say.
        Err(e) => Err(FormatError::from_many(std::iter::once(e).chain(files.into_iter().filter_map(Result::err)).collect())
            .expect("invariant: the domain's error is in the list")),
    }
}

/// Parses a domain and its profiles from text; see [`from_bytes`].
pub fn from_strs(domain_file: &str, domain_xml: &str, profiles: &[(&str, &str)], semantics: Semantics) -> Result<Scenario, FormatError> {
    let p: Vec<(&str, &[u8])> = profiles.iter().map(|(n, t)| (*n, t.as_bytes())).collect();
    from_bytes((domain_file, domain_xml.as_bytes()), &p, semantics)
}

/// Reads the domain, then every profile against it, then builds the scenario — or returns
/// every error found. `files` are the profile files in order, each parsed or the error that
/// stopped it (a syntax error, a misspelt root): the errors come in that order, after the
/// domain's.
fn from_docs(ddoc: Doc, files: Vec<Result<Doc, FormatError>>, semantics: Semantics) -> Result<(Scenario, Vec<Notice>), FormatError> {
    let mut errors = Vec::new();
    let domain = read::parse_domain(&ddoc, semantics, &mut errors);
    if files.is_empty() {
        errors.push(FormatError::Invalid {
            location: Location::file(&ddoc.file),
            message: "no profiles: expected at least one <utility_space> profile beside the domain".into(),
        });
    }
    let mut profiles = Vec::with_capacity(files.len());
    for file in files {
        match (file, &domain) {
            (Ok(doc), Some(domain)) => {
                if let Some(p) = read::parse_profile(&doc, domain, semantics, &mut errors) {
                    profiles.push((doc, p));
                }
            }
            (Ok(_), None) => {}
            (Err(e), _) => errors.push(e),
        }
    }
    if let Some(e) = FormatError::from_many(errors) {
        return Err(e);
    }
    let notices = profiles.iter().flat_map(|(_, p)| p.notices.iter().cloned()).collect();
    read::build(&ddoc, &domain.expect("invariant: a domain that was not read is an error"), &profiles, semantics).map(|s| (s, notices))
}

/// The two root elements of GENIUS files.
const ROOTS: [&str; 2] = ["utility_space", "negotiation_template"];

/// The error for a root element that is a near miss of a GENIUS root (see [`read_folder`]).
fn misspelt_root(doc: &Doc, meant: &str) -> FormatError {
    let what = if meant == "utility_space" { "a GENIUS profile" } else { "a GENIUS domain" };
    doc.invalid_at(
        &doc.root,
        format!(
            "the root element is <{}>, which is not a GENIUS root; expected <{meant}> ({what}): a misspelling? \
             (files whose root is far from <utility_space> and <negotiation_template> are skipped)",
            doc.root.name
        ),
    )
}

/// The XML files of a folder, sorted by name, parsed and classified.
struct FolderDocs {
    domains: Vec<Doc>,
    /// Every other file meant as a profile, in name order: parsed, or the error that stopped it
    /// (a syntax error, or a misspelt root).
    profiles: Vec<Result<Doc, FormatError>>,
}

/// Reads every `*.xml` of a folder except `*pareto.xml`. A root other than
/// `<negotiation_template>` and `<utility_space>` is skipped when it is plainly something else
/// (a folder may hold other XML: GENIUS's own repository and tournament files, build files,
/// exports of other tools), but refused when it is a near miss of either — the same name up to
/// case, or within three edits (`<utility_spaec>`): a misspelt profile would otherwise vanish
/// from the scenario with its party, and a misspelt domain would leave the folder "without a
/// domain". (Every folder of GENIUS domains in the reference data holds only domains and
/// profiles; the rule is for folders people assemble.)
fn read_folder(dir: &Path) -> Result<FolderDocs, FormatError> {
    let io = |source| FormatError::Io { path: dir.to_path_buf(), source };
    let mut names: Vec<String> = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        // Every `*.xml`, whatever it is: one that is not a regular file (a FIFO, a link to a
        // device) or cannot be read is an error below, never silently left out.
        if name.ends_with(".xml") && !name.ends_with("pareto.xml") {
            names.push(name);
        }
    }
    names.sort();
    let mut out = FolderDocs { domains: vec![], profiles: vec![] };
    for name in names {
        let path = dir.join(&name);
        let bytes = match crate::input::read_bytes(&path) {
            Ok(bytes) => bytes,
            Err(e) => {
                out.profiles.push(Err(e));
                continue;
            }
        };
        let doc = match Doc::parse(&path.display().to_string(), &bytes) {
            Ok(doc) => doc,
            Err(e) => {
                out.profiles.push(Err(e));
                continue;
            }
        };
        match doc.root.name.as_str() {
            "negotiation_template" => out.domains.push(doc),
            "utility_space" => out.profiles.push(Ok(doc)),
            other => {
                if let Some(meant) = near_miss(other, &ROOTS) {
                    out.profiles.push(Err(misspelt_root(&doc, meant)));
                }
            }
        }
    }
    Ok(out)
}

/// Whether a folder holds a GENIUS domain (an `*.xml` file whose root is
/// `<negotiation_template>`, or a near miss of it: see [`load_folder`]); files that do not
/// parse count as not.
pub fn is_genius_folder(path: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(path) else { return false };
    entries.flatten().any(|e| {
        let name = e.file_name().to_string_lossy().into_owned();
        name.ends_with(".xml")
            && crate::input::read_prefix(&e.path(), 4096).is_some_and(|b| {
                let (text, _) = xml::decode(&b);
                text.contains("<negotiation_template")
                    || xml::root_name(&text).is_some_and(|r| near_miss(r, &["negotiation_template"]).is_some())
            })
    })
}

/// Loads a GENIUS folder ([`load_folder`]) or file ([`load_file`]) with the given semantics —
/// what a `--semantics genius|negmas` option of the CLI would call ([`crate::load_path`] always
/// uses GENIUS semantics).
pub fn load(path: &Path, semantics: Semantics) -> Result<Scenario, FormatError> {
    load_noting(path, semantics).map(|(s, _)| s)
}

/// [`load`], with what a reader should be told about the files ([`Notice`]): a value evaluated
/// twice (both semantics); under NegMAS semantics the constant NegMAS's placeholder issues add
/// and each reservation NegMAS drops because of a discount. Notices come in file order.
pub fn load_noting(path: &Path, semantics: Semantics) -> Result<(Scenario, Vec<Notice>), FormatError> {
    if path.is_dir() {
        load_folder_noting(path, semantics)
    } else {
        load_file_noting(path, semantics)
    }
}

/// Loads a GENIUS folder: one domain file and every profile beside it (profiles in file-name
/// order become the actors). Every error of every file is reported; a file whose root element
/// is a misspelt `<utility_space>` or `<negotiation_template>` is one of them (other XML files
/// are skipped: see the module docs).
pub fn load_folder(path: &Path, semantics: Semantics) -> Result<Scenario, FormatError> {
    load_folder_noting(path, semantics).map(|(s, _)| s)
}

/// [`load_folder`], with notices (see [`load_noting`]).
pub fn load_folder_noting(path: &Path, semantics: Semantics) -> Result<(Scenario, Vec<Notice>), FormatError> {
    let mut f = read_folder(path)?;
    if f.domains.len() > 1 {
        let names: Vec<&str> = f.domains.iter().map(|d| d.file.as_str()).collect();
        return Err(FormatError::UnknownFormat {
            path: path.to_path_buf(),
            reason: format!(
                "holds {} GENIUS domain files ({}); expected exactly one <negotiation_template>",
                names.len(),
                names.join(", ")
            ),
        });
    }
    let Some(domain) = f.domains.pop() else {
        // Files that did not parse, or a misspelt root, explain the missing domain best.
        let errors = f.profiles.into_iter().filter_map(Result::err).collect();
        return Err(FormatError::from_many(errors).unwrap_or_else(|| FormatError::UnknownFormat {
            path: path.to_path_buf(),
            reason: "holds no GENIUS domain: expected an .xml file whose root is <negotiation_template>".into(),
        }));
    };
    from_docs(domain, f.profiles, semantics)
}

/// Loads a GENIUS domain file (with every profile beside it) or a profile file (with the domain
/// beside it; the scenario then has that one actor).
pub fn load_file(path: &Path, semantics: Semantics) -> Result<Scenario, FormatError> {
    load_file_noting(path, semantics).map(|(s, _)| s)
}

/// [`load_file`], with notices (see [`load_noting`]).
pub fn load_file_noting(path: &Path, semantics: Semantics) -> Result<(Scenario, Vec<Notice>), FormatError> {
    let bytes = crate::input::read_bytes(path)?;
    let doc = Doc::parse(&path.display().to_string(), &bytes)?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    match doc.root.name.as_str() {
        "negotiation_template" => {
            let f = read_folder(&dir)?;
            from_docs(doc, f.profiles, semantics)
        }
        "utility_space" => {
            let mut f = read_folder(&dir)?;
            if f.domains.len() != 1 {
                if let Some(e) = FormatError::from_many(f.profiles.into_iter().filter_map(Result::err).collect()) {
                    return Err(e);
                }
                return Err(FormatError::UnknownFormat {
                    path: path.to_path_buf(),
                    reason: format!(
                        "is a GENIUS profile, but its folder holds {} domain files; expected exactly one <negotiation_template> beside it",
                        f.domains.len()
                    ),
                });
            }
            let domain = f.domains.pop().expect("invariant: exactly one domain");
            // Only this profile is read: the other files' errors are not its own.
            from_docs(domain, vec![Ok(doc)], semantics)
        }
        other => match near_miss(other, &ROOTS) {
            Some(meant) => Err(misspelt_root(&doc, meant)),
            None => Err(FormatError::UnknownFormat {
                path: path.to_path_buf(),
                reason: format!("root element <{other}>; expected a GENIUS domain (<negotiation_template>) or profile (<utility_space>)"),
            }),
        },
    }
}

/// Writes the scenario as a GENIUS domain plus one profile per actor into the folder `dir`,
/// which must exist; returns the files written, domain first. See [`to_strings`] for what can be
/// exported and how.
///
/// This only writes: a file of the same name already in `dir` is never replaced (an
/// [`FormatError::Io`] of kind `AlreadyExists`), and no output rule is decided here. Writing
/// atomically (into a fresh folder renamed into place, so a reader never sees half an export)
/// and whether an earlier export may be replaced belong to the caller, which knows its user:
/// the CLI's `scenario convert --to genius` writes [`to_strings`] through its one output module.
pub fn export(scenario: &Scenario, dir: &Path) -> Result<Vec<PathBuf>, FormatError> {
    use std::io::Write;
    let files = to_strings(scenario)?;
    let mut written = Vec::new();
    for (name, text) in std::iter::once(&files.domain).chain(&files.profiles) {
        let path = dir.join(name);
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .and_then(|mut f| f.write_all(text.as_bytes()))
            .map_err(|source| FormatError::Io { path: path.clone(), source })?;
        written.push(path);
    }
    Ok(written)
}
