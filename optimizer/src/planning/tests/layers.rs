//! The modules of `planning/` import one another in one direction: time and calendar, then
//! problem and plan, then the prepared instance, then assignment, routing and schedule, then
//! assembly, then the solve. The plan checker, which must stay independent of the solver,
//! imports only the problem's and the plan's modules. Read from the sources, so that a new
//! `use` that closes a circle fails here.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The modules the checker may import: the input, the output and their vocabulary.
const CHECK_MAY_IMPORT: [&str; 8] = [
    "time",
    "calendar",
    "holidays",
    "unit_kind",
    "problem",
    "matrices",
    "plan",
    "unserved",
];

/// Every `.rs` file under `dir`, the tests left out.
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .expect("planning sources readable")
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "tests") {
                sources(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file before its unit tests, without comment lines.
fn code(path: &Path) -> String {
    let text = fs::read_to_string(path).expect("planning source readable");
    text.lines()
        .take_while(|line| !line.trim_start().starts_with("#[cfg(test)]"))
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The identifiers at the head of a path or group after `super::…` or `crate::planning::`.
fn heads(rest: &str) -> Vec<String> {
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    match rest.strip_prefix('{') {
        Some(group) => {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            group.split(',').map(|part| ident(part.trim())).collect()
        }
        None => vec![ident(rest)],
    }
}

/// The planning modules each planning module imports (by `super::` or `crate::planning::`).
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/planning");
    let mut files = Vec::new();
    sources(&root, &mut files);
    let module_of = |path: &Path| -> (String, usize) {
        let rel = path.strip_prefix(&root).expect("under planning/");
        let parts: Vec<String> = rel
            .with_extension("")
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        let is_mod = parts.last().is_some_and(|p| p == "mod");
        let depth = (parts.len() - 1).saturating_sub(usize::from(is_mod));
        (parts[0].clone(), depth)
    };
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for path in &files {
        let (module, _) = module_of(path);
        if module != "mod" {
            graph.entry(module).or_default();
        }
    }
    let names: BTreeSet<String> = graph.keys().cloned().collect();
    for path in &files {
        let (module, depth) = module_of(path);
        if module == "mod" {
            continue;
        }
        let code = code(path);
        let mut targets = Vec::new();
        let mut at = 0;
        while let Some(found) = code[at..].find("super::") {
            let start = at + found;
            let mut end = start;
            let mut levels = 0;
            while code[end..].starts_with("super::") {
                end += "super::".len();
                levels += 1;
            }
            if levels == depth + 1 {
                targets.extend(heads(&code[end..]));
            }
            at = end;
        }
        for (found, _) in code.match_indices("crate::planning::") {
            targets.extend(heads(&code[found + "crate::planning::".len()..]));
        }
        let edges = graph.entry(module.clone()).or_default();
        for target in targets {
            if target != module && names.contains(&target) {
                edges.insert(target);
            }
        }
    }
    graph
}

/// The modules on some circle of imports (Tarjan's strongly connected components).
fn circles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct Walk<'a> {
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        circles: Vec<Vec<String>>,
    }
    fn visit<'a>(walk: &mut Walk<'a>, node: &'a str) {
        let n = walk.index.len();
        walk.index.insert(node, n);
        walk.low.insert(node, n);
        walk.stack.push(node);
        for next in &walk.graph[node] {
            let next = next.as_str();
            if !walk.index.contains_key(next) {
                visit(walk, next);
                let low = walk.low[node].min(walk.low[next]);
                walk.low.insert(node, low);
            } else if walk.stack.contains(&next) {
                let low = walk.low[node].min(walk.index[next]);
                walk.low.insert(node, low);
            }
        }
        if walk.low[node] == walk.index[node] {
            let mut component = Vec::new();
            while let Some(top) = walk.stack.pop() {
                component.push(top.to_string());
                if top == node {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                walk.circles.push(component);
            }
        }
    }
    let mut walk = Walk {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        circles: Vec::new(),
    };
    for node in graph.keys() {
        if !walk.index.contains_key(node.as_str()) {
            visit(&mut walk, node);
        }
    }
    walk.circles
}

#[test]
fn planning_modules_import_one_another_without_circles() {
    let graph = imports();
    assert!(graph.contains_key("solve") && graph["solve"].contains("assemble"));
    assert_eq!(
        circles(&graph),
        Vec::<Vec<String>>::new(),
        "imports: {graph:#?}"
    );
}

#[test]
fn the_checker_imports_only_the_problem_and_the_plan() {
    let graph = imports();
    let beyond: Vec<&String> = graph["check"]
        .iter()
        .filter(|m| !CHECK_MAY_IMPORT.contains(&m.as_str()))
        .collect();
    assert!(beyond.is_empty(), "check imports {beyond:?}");
}

#[test]
fn a_circle_is_found() {
    let graph: BTreeMap<String, BTreeSet<String>> = [("a", "b"), ("b", "c"), ("c", "a")]
        .into_iter()
        .map(|(from, to)| (from.to_string(), BTreeSet::from([to.to_string()])))
        .collect();
    assert_eq!(circles(&graph), vec![vec!["a", "b", "c"]]);
}
