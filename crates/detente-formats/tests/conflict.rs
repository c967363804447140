//! The conflict readers: gmcr-py projects (the shared vectors' real project files) and the
//! `[conflict]` part, with their bad inputs.

use detente_formats::conflict;
use detente_formats::FormatError;
use detente_testkit::shared_json;
use serde_json::{json, Value};

/// A gmcr-py project file rebuilt from a vector: its options, decision makers and the
/// `raw_project_file` parts (infeasibles, statements, the manual-ranking flag).
fn project(v: &Value) -> String {
    let raw = &v["raw_project_file"];
    let manual = raw["useManualPreferenceRanking"].as_bool().unwrap();
    let options: Vec<Value> = v["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| json!({"name": o["name"], "permittedDirection": o["permittedDirection"]}))
        .collect();
    let dms: Vec<Value> = v["dms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let name = d["name"].as_str().unwrap();
            let mut dm = json!({"name": name, "options": d["options"], "preferences": raw["preference_statements"][name], "payoffs": []});
            if manual {
                dm["preferenceRanking"] = d["ranking_most_to_least"].clone();
            }
            dm
        })
        .collect();
    serde_json::to_string_pretty(&json!({
        "program": "gmcr-py", "version": "0.4.1",
        "options": options, "decisionMakers": dms,
        "infeasibles": raw["infeasibles"], "useManualPreferenceRanking": manual,
    }))
    .unwrap()
}

#[test]
#[ignore = "needs ../shared"]
fn gmcr_py_projects_give_the_vectors_states_and_moves() {
    let vectors = shared_json("gmcr/vectors.json");
    let dir = tempfile::tempdir().unwrap();
    let mut seen = 0;
    for v in vectors["vectors"].as_array().unwrap().iter().filter(|v| v.get("raw_project_file").is_some()) {
        let id = v["id"].as_str().unwrap();
        let path = dir.path().join(format!("{id}.gmcr"));
        std::fs::write(&path, project(v)).unwrap();
        let c = conflict::load_path(&path).unwrap_or_else(|e| panic!("{id}: {e}"));
        let g = c.graph();
        let states = v["states"].as_array().unwrap();
        assert_eq!(g.n_states(), states.len(), "{id}");
        for (s, st) in states.iter().enumerate() {
            assert_eq!(st["n"].as_u64().unwrap() as usize, s + 1, "{id}");
            assert_eq!(c.state_label(s), st["yn"].as_str().unwrap(), "{id}: state {}", s + 1);
            assert_eq!(g.decimal(s), st["decimal"].as_u64(), "{id}: state {}", s + 1);
        }
        for (d, dm) in c.dms().iter().enumerate() {
            let name = v["dms"][d]["name"].as_str().unwrap();
            assert_eq!(dm.name, name, "{id}");
            let moves = &v["moves_by_mover"][name];
            for s in 0..g.n_states() {
                let want: Vec<usize> =
                    moves[(s + 1).to_string()].as_array().unwrap().iter().map(|x| x.as_u64().unwrap() as usize).collect();
                let got: Vec<usize> = g.moves(d, s).iter().map(|&t| t as usize + 1).collect();
                assert_eq!(got, want, "{id}: {name} from state {}", s + 1);
            }
            // the ranking gmcr-py used (manual or from the statements): same order
            let payoff = &v["dms"][d]["ordinal_payoff_by_state"];
            for a in 0..g.n_states() {
                for b in 0..g.n_states() {
                    let (pa, pb) = (payoff[(a + 1).to_string()].as_f64().unwrap(), payoff[(b + 1).to_string()].as_f64().unwrap());
                    assert_eq!(g.rank(d, a).cmp(&g.rank(d, b)), pa.partial_cmp(&pb).unwrap(), "{id}: {name} states {} {}", a + 1, b + 1);
                }
            }
        }
        seen += 1;
    }
    assert_eq!(seen, 3);
}

fn bad(text: &str, name: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    let e = conflict::load_path(&path).unwrap_err();
    e.to_string().replace(&dir.path().display().to_string(), "DIR")
}

#[test]
fn bad_gmcr_projects_are_located() {
    assert_eq!(bad("{\"options\": [1,", "a.gmcr"), "DIR/a.gmcr:1:16: EOF while parsing a value");
    assert_eq!(
        bad("[]", "a.gmcr"),
        "DIR/a.gmcr:1:1: found an array; expected a gmcr-py project: an object with \"options\" and \"decisionMakers\""
    );
    let e = bad("{\"options\": [], \"decisionMakers\": [], \"infeasibles\": []}", "a.gmcr");
    assert!(e.contains("DIR/a.gmcr:1:35: 0 decision maker(s); expected at least two"), "{e}");
    assert!(e.contains("missing \"useManualPreferenceRanking\""), "{e}");
    let two = r#"{"options": [{"name": "a", "permittedDirection": "both"}, {"name": "b", "permittedDirection": "both"}],
 "decisionMakers": [{"name": "x", "options": [0], "preferences": [], "preferenceVector": [1, 2, 9]},
  {"name": "y", "options": [1], "preferences": [], "preferenceRanking": [4, [3, 2], 1]}],
 "infeasibles": [], "useManualPreferenceVectors": true}"#;
    let e = bad(two, "b.gmcr");
    assert!(e.contains("DIR/b.gmcr:2:90: decision maker \"x\" ranks state 9; expected a state number from 1 to 4"), "{e}");
    assert!(e.contains("decision maker \"x\" does not rank state 3"), "{e}");
    assert!(e.starts_with("2 errors"), "{e}");
    let misp = r#"{"options": [{"name": "a", "permittedDirection": "both"}, {"name": "b", "permittedDirection": "both"}],
 "decisionMakers": [{"name": "x", "options": [0], "preferences": [], "misperceptions": [[[1, "Y"]]]},
  {"name": "y", "options": [1], "preferences": []}], "infeasibles": [], "useManualPreferenceRanking": false}"#;
    assert!(bad(misp, "c.gmcr").contains("DIR/c.gmcr:2:88: misperceptions are not supported"), "{}", bad(misp, "c.gmcr"));
    assert!(bad("{}", "d.txt").contains("expected a gmcr-py project (.gmcr)"));
}

#[test]
fn conflict_only_files_read_as_conflicts_not_bad_scenarios() {
    let text = "format = 2\n[conflict]\nstatus_quo = []\n[[conflict.dms]]\nid = \"a\"\noptions = [{ id = \"x\" }]\npriorities = [\"a.x\"]\n[[conflict.dms]]\nid = \"b\"\noptions = [{ id = \"y\" }]\nranking = [\"b.y & a.x\", [\"NY\", \"YN\"]]\n";
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.toml");
    std::fs::write(&path, text).unwrap();
    let c = conflict::load_path(&path).unwrap();
    assert_eq!(c.graph().n_states(), 4);
    assert_eq!(c.status_quo(), Some(0));
    // the ranking: YY first, then NY and YN tied, then NN
    let g = c.graph();
    assert!(g.rank(1, 3) > g.rank(1, 1) && g.rank(1, 1) == g.rank(1, 2) && g.rank(1, 2) > g.rank(1, 0));
    let e = detente_formats::load_path(&path).unwrap_err();
    assert!(matches!(e, FormatError::ConflictOnly { .. }), "{e}");
    assert!(e.to_string().contains("holds only a `[conflict]` part"), "{e}");
    // JSON twin
    let json = r#"{"format": 2, "conflict": {"dms": [{"id": "a", "options": [{"id": "x"}], "priorities": ["a.x"]},
      {"id": "b", "options": [{"id": "y", "direction": "only_on"}], "priorities": ["-b.y"]}]}}"#;
    let p = dir.path().join("c.json");
    std::fs::write(&p, json).unwrap();
    assert_eq!(conflict::load_path(&p).unwrap().graph().n_states(), 4);
}

#[test]
fn bad_conflict_parts_are_located() {
    let e = bad("format = 2\n[conflict]\nstatus_quo = [\"a.x\"]\nmutually_exclusive = [[\"a.x\", \"b\"]]\ninfeasible = [\"YNY\"]\n[conflict.requires]\n\"a.q\" = \"b.y\"\n[[conflict.dms]]\nid = \"a\"\noptions = [{ id = \"x\", direction = \"up\" }]\npriorities = [\"a.x\"]\n[[conflict.dms]]\nid = \"b\"\noptions = [{ id = \"y\" }]\npriorities = [\"b.y\"]\nranking = [\"b.y\"]\n", "c.toml");
    assert!(e.contains("DIR/c.toml:10:36: unknown value `up`"), "{e}");
    let e = bad("format = 2\n[conflict]\nmutually_exclusive = [[\"a.x\", \"b\"]]\ninfeasible = [\"YNY\"]\n[conflict.requires]\n\"a.q\" = \"b.y\"\n[[conflict.dms]]\nid = \"a\"\noptions = [{ id = \"x\" }]\npriorities = [\"a.x\"]\n[[conflict.dms]]\nid = \"b\"\noptions = [{ id = \"y\" }]\npriorities = [\"b.y\"]\nranking = [\"b.y\"]\n", "c.toml");
    assert!(e.starts_with("4 errors"), "{e}");
    assert!(e.contains("DIR/c.toml:3:31: unknown option `b` (option ids are written dm.option"), "{e}");
    assert!(e.contains("DIR/c.toml:4:15: pattern \"YNY\" has 3 characters; expected one Y, N or - for each of the 2 options"), "{e}");
    assert!(e.contains("DIR/c.toml:6:1: unknown option `a.q`"), "{e}");
    assert!(e.contains("DIR/c.toml:15:1: decision maker \"b\" has both `priorities` and `ranking`"), "{e}");
    assert!(bad("format = 2\ntitle = \"x\"\n", "n.toml").contains("DIR/n.toml:1:1: no `[conflict]` part"));
    assert!(bad("[conflict]\n", "n.toml").contains("missing `format = 2`"));
    let e = bad("format = 2\n[conflict]\ninfeasible = [\"a.x | -a.x\"]\n[[conflict.dms]]\nid = \"a\"\noptions = [{ id = \"x\" }]\npriorities = []\n[[conflict.dms]]\nid = \"b\"\noptions = [{ id = \"y\" }]\npriorities = []\n", "c.toml");
    assert!(e.contains("no state is feasible"), "{e}");
}

#[test]
fn the_documented_conflict_example_reads() {
    let doc = std::fs::read_to_string(detente_testkit::repo_root().join("docs/scenario-format.md")).unwrap();
    let block = doc
        .split("```toml\n")
        .skip(1)
        .map(|b| b.split("```").next().unwrap())
        .find(|b| b.contains("[conflict]"))
        .expect("the [conflict] example");
    let c = conflict::from_toml_str(block, "docs/scenario-format.md").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(c.dms().len(), 2);
}

/// Three DMs with one option each, everything feasible (our own fixture).
fn three_sides(coalitions: &str) -> String {
    format!(
        r#"{{"options": [{{"name": "a acts", "permittedDirection": "both"}}, {{"name": "b acts", "permittedDirection": "both"}}, {{"name": "c acts", "permittedDirection": "both"}}],
 "decisionMakers": [{{"name": "A", "options": [0], "preferences": [[[0, "Y"]]]}}, {{"name": "B", "options": [1], "preferences": [[[1, "N"]]]}}, {{"name": "C", "options": [2], "preferences": [[[2, "Y"]]]}}],
 "infeasibles": [], "useManualPreferenceRanking": false{coalitions}}}"#
    )
}

#[test]
fn a_gmcr_projects_coalitions_are_read_for_the_analysis_not_dropped() {
    let p = conflict::project_from_gmcr_str(&three_sides(r#", "coalitions": [[0, 2], 1]"#), "c.gmcr").unwrap();
    assert_eq!(p.coalitions, Some(vec![vec![0, 2], vec![1]]));
    // DMs the partition leaves out act alone; all singletons is no coalition at all
    let p = conflict::project_from_gmcr_str(&three_sides(r#", "coalitions": [[1, 0]]"#), "c.gmcr").unwrap();
    assert_eq!(p.coalitions, Some(vec![vec![1, 0], vec![2]]));
    let p = conflict::project_from_gmcr_str(&three_sides(r#", "coalitions": [0, 1, 2]"#), "c.gmcr").unwrap();
    assert_eq!(p.coalitions, None);
    // a DM twice or out of range is a located error
    let e = conflict::project_from_gmcr_str(&three_sides(r#", "coalitions": [[0, 1], [1, 7]]"#), "c.gmcr").unwrap_err().to_string();
    assert!(e.contains("decision maker 1 is in two coalitions") && e.contains("index from 0 to 2"), "{e}");
    assert!(e.contains("c.gmcr:3:"), "{e}");
}
