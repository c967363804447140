//! The actor table (`[actor_table]`): rows read as the `[[actors]]` they stand for, mixed with
//! written actors, in TOML and JSON, with every error of a table located at its row or cell.

use detente_core::{Discount, IssueKind, Loss, Preferences, Reservation, Role, Scenario, Spatial, Utility};
use detente_formats::native::{from_json_str, from_toml_str, to_toml_string};
use proptest::prelude::*;

const HEAD: &str = r#"format = 1
id = "opec"
title = "Quotas"

[[issues]]
id = "price"
kind = "real"
min = 0
max = 100

[[issues]]
id = "quota"
kind = "ordinal"
options = [{ id = "low", scale = 0 }, { id = "mid", scale = 50 }, { id = "high", scale = 100 }]

[[issues]]
id = "venue"
kind = "categorical"
options = ["vienna", "riyadh"]
"#;

const TABLE: &str = r#"
[actor_table]
issues = ["price", "quota", "venue"]
rows = [
  # id,     capability, price, salience, quota,  salience, venue,    salience
  ["saudi", 100,        13.9,  0.9,      "high", 0.5,      "riyadh", 0.2],
  ["iran",  30,         "-",   "-",      60,     0.8,      "vienna", 1],
  ["iraq",  "-",        40,    0.25,     "-",    "-",      "-",      "-"],
]
"#;

const ACTORS: &str = r#"
[[actors]]
id = "saudi"
capability = 100

[actors.preferences]
type = "spatial"
positions.price = { ideal = 13.9, salience = 0.9 }
positions.quota = { ideal = "high", salience = 0.5 }
positions.venue = { ideal = "riyadh", salience = 0.2 }

[[actors]]
id = "iran"
capability = 30

[actors.preferences]
type = "spatial"
positions.quota = { ideal = 60, salience = 0.8 }
positions.venue = { ideal = "vienna", salience = 1 }

[[actors]]
id = "iraq"

[actors.preferences]
type = "spatial"
positions.price = { ideal = 40, salience = 0.25 }
"#;

fn read(text: &str) -> Scenario {
    from_toml_str(text, "t.toml").unwrap_or_else(|e| panic!("{e}\n{text}"))
}

fn error(text: &str) -> String {
    from_toml_str(text, "t.toml").expect_err("an invalid table").to_string()
}

#[test]
fn rows_read_as_the_actors_they_stand_for() {
    let table = read(&format!("{HEAD}{TABLE}"));
    assert_eq!(table, read(&format!("{HEAD}{ACTORS}")));
    let iraq = &table.actors[2];
    assert_eq!((iraq.role, iraq.required, iraq.capability), (Role::Party, true, 1.0), "\"-\" is the default capability");
    let Utility::Spatial(s) = &iraq.preferences.utility else { panic!("spatial") };
    assert_eq!(s.positions[1], None, "\"-\", \"-\" is no position");
}

#[test]
fn json_reads_the_same_table() {
    let json = r#"{"format": 1, "id": "j", "title": "J",
      "issues": [{"id": "price", "kind": "real", "min": 0, "max": 100}],
      "actor_table": {"issues": ["price"], "rows": [["a", 2, 10, 0.5], ["b", 1, 90, 0.1]]}}"#;
    let j = from_json_str(json, "t.json").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(j.actors.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(), ["a", "b"]);
    let bad = r#"{"format": 1, "id": "j", "title": "J",
      "issues": [{"id": "price", "kind": "real", "min": 0, "max": 100}],
      "actor_table": {"issues": ["price"], "rows": [["a", 2, 10, 1.5]]}}"#;
    let e = from_json_str(bad, "t.json").expect_err("salience 1.5").to_string();
    assert!(e.starts_with("t.json:3:66: actor `a`: salience on issue `price` 1.5 is out of range"), "{e}");
}

#[test]
fn table_and_written_actors_mix_and_ids_are_unique_across_both() {
    let mixed = format!("{HEAD}{TABLE}\n[[actors]]\nid = \"kuwait\"\n\n[actors.preferences]\ntype = \"spatial\"\npositions.price = {{ ideal = 50, salience = 1 }}\n");
    let s = read(&mixed);
    assert_eq!(s.actors.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(), ["kuwait", "saudi", "iran", "iraq"], "written first");
    let dup = mixed.replace("\"kuwait\"", "\"iran\"");
    // rows count as after the written actors: the duplicate is reported at the row
    assert_eq!(error(&dup), "t.toml:26:4: duplicate actor id `iran` in the scenario");
}

#[test]
fn every_error_of_a_table_is_located_at_its_row_or_cell() {
    let text = format!(
        "{HEAD}{}",
        r#"
[actor_table]
issues = ["price", "quotas"]
rows = [
  ["a", 1, 10, 0.5, "-", "-"],
  ["b", "big", 10, true, "-", "-"],
  ["c", 1, 10],
  ["d", 1, 10, "-", "-", "-"],
  ["a", 1, 10, 0.5, "-", "-"],
  [7, 1, 10, 0.5, "-", "-"],
  ["e", 1, 120, 0.5, "-", "-"],
]
"#
    );
    let e = error(&text);
    assert_eq!(
        e,
        "8 errors:
  t.toml:22:20: unknown issue `quotas`; expected one of: price, quota, venue
  t.toml:25:9: found \"big\", expected the actor's capability (a number) or \"-\"
  t.toml:25:20: found true, expected the salience of `price` (a number) or \"-\"
  t.toml:26:3: a row of 3 cells, expected 6: the actor's id, its capability, then a position and a salience for each issue of `issues` (price, quotas)
  t.toml:27:16: a position on `price` but no salience: write a salience, or \"-\" for both
  t.toml:28:4: duplicate actor id `a` in the scenario
  t.toml:29:4: found 7, expected the actor's id (a string)
  t.toml:30:12: actor `e`: position on issue `price` 120 is out of range: expected a number on the 0–100 scale (positions on integer and real issues are on their scale in format 1 and under `positions = \"scale\"`, in the issue's units otherwise)"
    );
}

/// A scenario of spatial party actors, written as `[[actors]]` and as a table.
fn plain(s: Scenario) -> Scenario {
    let mut d = s.into_draft();
    let n = d.space.issues().len();
    for a in &mut d.actors {
        let mut positions: Vec<Option<detente_core::Position>> = match &a.preferences.utility {
            Utility::Spatial(sp) => {
                sp.positions.iter().map(|p| p.clone().map(|p| detente_core::Position::new(p.ideal, p.salience))).collect()
            }
            _ => vec![None; n],
        };
        if !positions.iter().flatten().any(|p: &detente_core::Position| p.salience > 0.0) {
            let categorical = matches!(d.space.issues()[0].kind, IssueKind::Categorical { .. });
            let (lo, hi) = d.space.issues()[0].position_range();
            positions[0] = Some(detente_core::Position::new(if categorical { 0.0 } else { (lo + hi) / 2.0 }, 0.5));
        }
        a.role = Role::Party;
        a.required = true;
        a.capability_spread = None;
        a.preferences = Preferences {
            utility: Utility::Spatial(Spatial { positions, loss: Loss::Linear }),
            discount: Discount::None,
            reservation: Reservation::None,
        };
    }
    d.validate().expect("a valid plain scenario")
}

fn as_table(s: &Scenario) -> String {
    let toml = to_toml_string(s).expect("writes");
    let head = &toml[..toml.find("\n[[actors]]").expect("actors")];
    let issues = s.space.issues();
    let ids: Vec<String> = issues.iter().map(|i| format!("\"{}\"", i.id)).collect();
    let mut out = format!("{head}\n\n[actor_table]\nissues = [{}]\nrows = [\n", ids.join(", "));
    for a in &s.actors {
        let Utility::Spatial(sp) = &a.preferences.utility else { unreachable!("plain") };
        let mut cells = vec![format!("\"{}\"", a.id), format!("{:?}", a.capability)];
        for (issue, p) in issues.iter().zip(&sp.positions) {
            match p {
                None => cells.extend(["\"-\"".to_string(), "\"-\"".to_string()]),
                Some(p) => {
                    cells.push(match (&issue.kind, issue.options()) {
                        (IssueKind::Categorical { .. }, Some(o)) => format!("\"{}\"", o[p.ideal as usize].id),
                        _ => format!("{:?}", p.ideal),
                    });
                    cells.push(format!("{:?}", p.salience));
                }
            }
        }
        out += &format!("  [{}],\n", cells.join(", "));
    }
    out + "]\n"
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn a_scenario_written_as_a_table_reads_as_written_as_actors(s in detente_core::strategies::scenario(6, 4, 5)) {
        let s = plain(s);
        let actors = from_toml_str(&to_toml_string(&s).expect("writes"), "actors.toml").expect("reads");
        let text = as_table(&s);
        let table = from_toml_str(&text, "table.toml").unwrap_or_else(|e| panic!("{e}\n{text}"));
        prop_assert_eq!(&table, &actors);
        prop_assert_eq!(&table, &s);
    }
}

#[test]
fn the_shipped_thirty_actor_example_reads_from_a_short_table() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/table-thirty-actors.toml");
    let text = std::fs::read_to_string(&path).expect("scenarios/table-thirty-actors.toml");
    let s = read(&text);
    assert_eq!(s.actors.len(), 30);
    let table_lines = text.lines().skip_while(|l| !l.starts_with("[actor_table]")).count();
    assert!(table_lines <= 35, "the table of 30 actors takes {table_lines} lines");
    let written = to_toml_string(&s).expect("writes");
    assert!(written.lines().count() > 250, "as [[actors]] it takes {} lines", written.lines().count());
}

#[test]
fn the_documented_actor_table_reads() {
    let doc =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/scenario-format.md")).expect("docs");
    let block = doc.split("```toml actor-table\n").nth(1).and_then(|b| b.split("```").next()).expect("the actor-table block");
    let s = read(&format!("{HEAD}\n{block}"));
    assert_eq!(
        s.actors.iter().map(|a| (a.id.as_str(), a.capability)).collect::<Vec<_>>(),
        [("saudi", 100.0), ("iran", 30.0), ("iraq", 1.0)]
    );
}
