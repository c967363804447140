//! Positions in the issue's own units (format 2), and format 1 files, whose positions on integer
//! and real issues are on the 0–100 scale, read as they were meant with a notice.

use detente_core::{Patch, Spread, Utility};
use detente_formats::native::{from_toml_str, from_toml_str_noting, to_toml_string};
use detente_formats::Notice;

/// An oil price issue from 10 to 15 (scale [0, 100] unless given), two spatial actors, a variant.
fn oil(format: i64, a: &str, b: &str, patch: &str, scale: &str) -> String {
    format!(
        "format = {format}\nid = \"oil\"\ntitle = \"oil\"\n\
         [[issues]]\nid = \"price\"\nkind = \"real\"\nmin = 10\nmax = 15\ngrid = 11\n{scale}\n\
         [[issues]]\nid = \"quota\"\nkind = \"ordinal\"\noptions = [{{ id = \"low\", scale = 0 }}, {{ id = \"high\", scale = 100 }}]\n\
         [[actors]]\nid = \"a\"\n[actors.preferences]\ntype = \"spatial\"\n\
         positions.price = {{ {a} }}\npositions.quota = {{ ideal = 30, salience = 0.5 }}\n\
         [[actors]]\nid = \"b\"\n[actors.preferences]\ntype = \"spatial\"\npositions.price = {{ {b} }}\n\
         [[variants]]\nid = \"v\"\npatches = [{{ type = \"position\", actor = \"b\", issue = \"price\", {patch} }}]\n"
    )
}

fn position(s: &detente_core::Scenario, actor: usize, issue: usize) -> &detente_core::Position {
    let Utility::Spatial(sp) = &s.actors[actor].preferences.utility else { panic!("spatial") };
    sp.positions[issue].as_ref().expect("a position")
}

fn patched_ideal(s: &detente_core::Scenario) -> f64 {
    match &s.variants[0].patches[0] {
        Patch::Position { ideal: Some(x), .. } => *x,
        other => panic!("{other:?}"),
    }
}

#[test]
fn format_2_positions_are_in_the_issues_units() {
    let text = oil(2, "ideal = 13.9, salience = 1, ideal_range = [13, 15]", "ideal = 11, salience = 1", "ideal = 12.5", "");
    let (s, notices) = from_toml_str_noting(&text, "oil.toml").unwrap();
    assert!(notices.is_empty(), "{notices:?}");
    let p = position(&s, 0, 0);
    assert_eq!((p.ideal, p.ideal_spread), (13.9, Some(Spread::Uniform { lo: 13.0, hi: 15.0 })));
    // an ordinal position stays on the scale
    assert_eq!(position(&s, 0, 1).ideal, 30.0);
    assert_eq!(patched_ideal(&s), 12.5);
    // written back as format 2, in units, and read to the same scenario
    let out = to_toml_string(&s).unwrap();
    assert!(out.contains("\nformat = 2\n"), "{out}");
    assert!(out.contains("ideal = 13.9"), "{out}");
    assert_eq!(from_toml_str(&out, "out.toml").unwrap(), s);
}

#[test]
fn a_position_outside_the_issues_range_is_a_located_error_in_its_units() {
    let text = oil(2, "ideal = 78, salience = 1", "ideal = 11, salience = 1", "ideal = 12.5", "");
    let e = from_toml_str(&text, "oil.toml").unwrap_err().to_string();
    assert!(
        e.contains("oil.toml:19:29:")
            && e.contains("position on issue `price` 78 is out of range: expected a number from 10 to 15, in the issue's units"),
        "{e}"
    );
    // so is a spread that leaves the range, and a patch that moves a position out of it
    let text = oil(2, "ideal = 13.9, salience = 1, ideal_range = [13, 16]", "ideal = 11, salience = 1", "ideal = 40", "");
    let e = from_toml_str(&text, "oil.toml").unwrap_err().to_string();
    assert!(e.contains("`ideal_range` [13, 16] must satisfy lo ≤ hi within [10, 15]"), "{e}");
}

#[test]
fn a_format_1_file_is_read_on_the_scale_and_says_so() {
    // 78 on the scale of 10..15 is 13.9; [60, 100] is [13, 15]; the patch's 50 is 12.5
    let text = oil(1, "ideal = 78, salience = 1, ideal_range = [60, 100]", "ideal = 20, salience = 1", "ideal = 50", "");
    let (s, notices) = from_toml_str_noting(&text, "old.toml").unwrap();
    assert_eq!(notices, vec![Notice::ScalePositions { file: "old.toml".into(), issues: vec!["price".into()] }]);
    let shown = notices[0].to_string();
    assert!(shown.contains("`detente scenario convert old.toml --to toml NEW.toml`"), "{shown}");
    let p = position(&s, 0, 0);
    assert!((p.ideal - 13.9).abs() < 1e-12, "{}", p.ideal);
    let Some(Spread::Uniform { lo, hi }) = p.ideal_spread else { panic!("{:?}", p.ideal_spread) };
    assert!((lo - 13.0).abs() < 1e-12 && (hi - 15.0).abs() < 1e-12, "{lo} {hi}");
    assert!((position(&s, 1, 0).ideal - 11.0).abs() < 1e-12);
    assert!((patched_ideal(&s) - 12.5).abs() < 1e-12);
    // the ordinal position is the same under both formats
    assert_eq!(position(&s, 0, 1).ideal, 30.0);
    // converting migrates: format 2, units
    let out = to_toml_string(&s).unwrap();
    let again = from_toml_str(&out, "new.toml").unwrap();
    assert!(out.contains("\nformat = 2\n"));
    assert_eq!(again, s);
}

#[test]
fn a_format_1_file_on_a_reversed_scale_maps_through_it() {
    // scale [100, 0]: 100 is min (10), 0 is max (15)
    let text = oil(1, "ideal = 100, salience = 1", "ideal = 0, salience = 1", "ideal = 50", "scale = [100, 0]");
    let (s, _) = from_toml_str_noting(&text, "old.toml").unwrap();
    assert_eq!((position(&s, 0, 0).ideal, position(&s, 1, 0).ideal, patched_ideal(&s)), (10.0, 15.0, 12.5));
}

#[test]
fn a_format_1_position_off_the_scale_is_a_located_error_saying_why() {
    let text = oil(1, "ideal = 13.9, salience = 1", "ideal = 120, salience = 1", "ideal = 50", "");
    let e = from_toml_str(&text, "old.toml").unwrap_err().to_string();
    assert!(
        e.contains("old.toml:25:29:")
            && e.contains("actor `b`: position on issue `price` 120 is out of range: expected a number on the 0–100 scale (positions on"),
        "{e}"
    );
}

#[test]
fn a_format_1_file_without_positions_on_numeric_issues_has_nothing_to_say() {
    let text = "format = 1\nid = \"x\"\ntitle = \"x\"\n[[issues]]\nid = \"price\"\nkind = \"integer\"\nmin = 10\nmax = 15\n\
                [[actors]]\nid = \"a\"\n[actors.preferences]\ntype = \"linear\"\nweights.price = 1\n\
                values.price = { slope = 0.2, offset = 0, origin = 10 }\n";
    let (_, notices) = from_toml_str_noting(text, "old.toml").unwrap();
    assert!(notices.is_empty(), "{notices:?}");
}

#[test]
fn a_file_may_say_what_its_positions_are_written_in() {
    // format 2 keeping the scale on purpose: read on the scale, nothing to tell
    let text = oil(2, "ideal = 78, salience = 1", "ideal = 20, salience = 1", "ideal = 50", "")
        .replace("title = \"oil\"\n", "title = \"oil\"\npositions = \"scale\"\n");
    let (s, notices) = from_toml_str_noting(&text, "s.toml").unwrap();
    assert!(notices.is_empty(), "{notices:?}");
    assert!((position(&s, 0, 0).ideal - 13.9).abs() < 1e-12 && (patched_ideal(&s) - 12.5).abs() < 1e-12);
    // written back in units, without the key, to the same scenario
    let out = to_toml_string(&s).unwrap();
    assert!(!out.contains("positions = \"scale\""), "{out}");
    assert_eq!(from_toml_str(&out, "out.toml").unwrap(), s);
    // a format 1 file already in units says so
    let text = oil(1, "ideal = 13.9, salience = 1", "ideal = 11, salience = 1", "ideal = 12.5", "")
        .replace("title = \"oil\"\n", "title = \"oil\"\npositions = \"units\"\n");
    let (s, notices) = from_toml_str_noting(&text, "u.toml").unwrap();
    assert!(notices.is_empty(), "{notices:?}");
    assert_eq!((position(&s, 0, 0).ideal, patched_ideal(&s)), (13.9, 12.5));
    // anything else is a located error naming both
    let text = oil(2, "ideal = 13.9, salience = 1", "ideal = 11, salience = 1", "ideal = 12.5", "")
        .replace("title = \"oil\"\n", "title = \"oil\"\npositions = \"percent\"\n");
    let e = from_toml_str(&text, "p.toml").unwrap_err().to_string();
    assert!(e.contains("p.toml:4:") && e.contains("units") && e.contains("scale"), "{e}");
}
