//! The shape of `src/` as tests, so `docs/ARCHITECTURE.md` stays true:
//! imports point one way along the pipeline (`syntax` ← `check` ←
//! `plan`/`eval` ← `report`), no module imports another that imports it
//! back (directly or around a cycle), every module opens with a doc comment
//! on what it owns, and no source file has more than 1 000 lines before its
//! tests.
//!
//! Imports are read from the source text: `use` trees and inline
//! `crate::…`/`super::…` paths of the code before `#[cfg(test)]`. A path is
//! followed through `pub use` re-exports to the module that defines the
//! item, so `use super::Contract` in `check/load.rs` depends on
//! `check::contract`, not on `check`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A module: its path (`eval::rows::visits`) and its code before the tests.
struct Module {
    file: String,
    code: String,
}

fn modules() -> BTreeMap<String, Module> {
    let mut out = BTreeMap::new();
    let mut stack = vec![Path::new("src").to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path.strip_prefix("src").unwrap().with_extension("");
            let mut parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if parts.last().is_some_and(|p| p == "mod") {
                parts.pop();
            }
            if parts == ["lib"] {
                parts.clear();
            }
            // The binary's modules are not part of the library's graph.
            if parts.first().is_some_and(|p| p == "main" || p == "cli") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text[..tests_start(&text)].to_string();
            out.insert(
                parts.join("::"),
                Module {
                    file: path.display().to_string(),
                    code,
                },
            );
        }
    }
    out
}

/// Where a file's inline test module starts (`#[cfg(test)]` before
/// `mod … {`; a `#[cfg(test)] mod fixtures;` declaration is not one).
fn tests_start(text: &str) -> usize {
    let mut from = 0;
    while let Some(i) = text[from..].find("#[cfg(test)]") {
        let at = from + i;
        let after = text[at + "#[cfg(test)]".len()..].trim_start();
        let decl = after.split(['{', ';']).next().unwrap_or("");
        if decl.contains("mod ") && after[decl.len()..].starts_with('{') {
            return at;
        }
        from = at + 1;
    }
    text.len()
}

/// The code without comments (line comments only: the crate uses no block
/// comments), so paths in docs are not imports.
fn without_comments(code: &str) -> String {
    code.lines()
        .map(|l| match l.find("//") {
            // A `//` inside a string literal is rare enough here to ignore.
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every path a `use` tree names, e.g. `use a::{b, c::{d as e}};` gives
/// `a::b`, `a::c::d`; `self` names the prefix itself.
fn use_paths(tree: &str) -> Vec<Vec<String>> {
    fn parse(tokens: &[String], i: &mut usize, prefix: &[String], out: &mut Vec<Vec<String>>) {
        let mut path = prefix.to_vec();
        let mut named_self = false;
        while *i < tokens.len() {
            let t = tokens[*i].clone();
            *i += 1;
            match t.as_str() {
                "::" => {}
                "{" => {
                    loop {
                        parse(tokens, i, &path, out);
                        if *i >= tokens.len() {
                            return;
                        }
                        let sep = tokens[*i].clone();
                        *i += 1;
                        if sep == "}" {
                            break;
                        }
                    }
                    return;
                }
                "," | "}" => {
                    *i -= 1;
                    // An empty item: a trailing comma before `}`.
                    if path.len() > prefix.len() || named_self {
                        out.push(path);
                    }
                    return;
                }
                "as" => {
                    *i += 1;
                }
                "self" => named_self = true,
                _ => path.push(t),
            }
        }
        out.push(path);
    }
    let mut tokens = Vec::new();
    let mut word = String::new();
    let mut chars = tree.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() || c == '_' || c == '*' {
            word.push(c);
            continue;
        }
        if !word.is_empty() {
            tokens.push(std::mem::take(&mut word));
        }
        match c {
            ':' if chars.peek() == Some(&':') => {
                chars.next();
                tokens.push("::".into());
            }
            '{' | '}' | ',' => tokens.push(c.to_string()),
            _ => {}
        }
    }
    if !word.is_empty() {
        tokens.push(word);
    }
    let mut out = Vec::new();
    let mut i = 0;
    parse(&tokens, &mut i, &[], &mut out);
    out.retain(|p| !p.is_empty());
    out
}

/// The `use` statements of a module: (is it `pub use`, the paths it names).
fn uses(code: &str) -> Vec<(bool, Vec<Vec<String>>)> {
    let code = without_comments(code);
    let mut out = Vec::new();
    let mut rest = code.as_str();
    while let Some(at) = find_use(rest) {
        let public =
            rest[..at].trim_end().ends_with("pub") || rest[..at].trim_end().ends_with("pub(crate)");
        let body = &rest[at + 4..];
        let end = body.find(';').unwrap_or(body.len());
        out.push((public, use_paths(&body[..end])));
        rest = &body[end..];
    }
    out
}

/// The next `use ` that starts a statement.
fn find_use(code: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = code[from..].find("use ") {
        let at = from + i;
        let before = code[..at].chars().next_back();
        if before.is_none_or(|c| c.is_whitespace() || c == ';' || c == '{' || c == '}') {
            return Some(at);
        }
        from = at + 4;
    }
    None
}

/// Inline paths (`crate::data::read::VISITS`, `super::overflow::add`)
/// outside `use` statements.
fn inline_paths(code: &str) -> Vec<Vec<String>> {
    // `use` statements are read as trees by `uses`.
    let mut text = without_comments(code);
    while let Some(at) = find_use(&text) {
        let end = text[at..].find(';').map_or(text.len(), |e| at + e + 1);
        text.replace_range(at..end, "");
    }
    // A visibility (`pub(in crate::check)`) names a module, not an import.
    while let Some(at) = text.find("pub(in ") {
        let end = text[at..].find(')').map_or(text.len(), |e| at + e + 1);
        text.replace_range(at..end, "pub");
    }
    let mut out = Vec::new();
    for start in ["crate::", "super::"] {
        let mut from = 0;
        while let Some(i) = text[from..].find(start) {
            let at = from + i;
            from = at + start.len();
            let before = text[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let path: String = text[at..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            out.push(
                path.split("::")
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect(),
            );
        }
    }
    out
}

/// Whether `module`'s code defines `name` (an item of its own).
fn defines(m: &Module, name: &str) -> bool {
    let code = without_comments(&m.code);
    [
        "struct",
        "enum",
        "fn",
        "type",
        "const",
        "trait",
        "static",
        "mod",
        "macro_rules!",
    ]
    .iter()
    .any(|kw| {
        code.match_indices(&format!("{kw} {name}")).any(|(i, s)| {
            let after = code[i + s.len()..].chars().next();
            after.is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
        })
    })
}

struct Graph {
    modules: BTreeMap<String, Module>,
}

impl Graph {
    /// The module a path (relative to `from`) lands in, following `pub use`
    /// re-exports to the module that defines the item.
    fn resolve(&self, from: &str, path: &[String], depth: usize) -> Option<String> {
        let mut here: Vec<String> = if from.is_empty() {
            Vec::new()
        } else {
            from.split("::").map(str::to_string).collect()
        };
        let mut segs = path.iter().peekable();
        match segs.peek().map(|s| s.as_str()) {
            Some("crate") => {
                here.clear();
                segs.next();
            }
            Some("super") => {
                while segs.peek().is_some_and(|s| *s == "super") {
                    here.pop();
                    segs.next();
                }
            }
            Some(first) => {
                // A path relative to the module: its child module, or an
                // external crate (not ours).
                let child = join(&here, first);
                if !self.modules.contains_key(&child) {
                    return None;
                }
            }
            None => return None,
        }
        for s in segs {
            let next = join(&here, s);
            if self.modules.contains_key(&next) {
                here.push(s.clone());
                continue;
            }
            // An item of `here`: its own, or re-exported from elsewhere.
            let module = here.join("::");
            let m = self.modules.get(&module)?;
            if depth < 8 && !defines(m, s) {
                for (public, paths) in uses(&m.code) {
                    if !public {
                        continue;
                    }
                    for p in paths {
                        let last = p.last().map(String::as_str);
                        if last == Some(s.as_str()) {
                            return self.resolve(&module, &p, depth + 1);
                        }
                        if last == Some("*") {
                            let base = &p[..p.len() - 1];
                            if let Some(target) = self.resolve(&module, base, depth + 1)
                                && self
                                    .modules
                                    .get(&target)
                                    .is_some_and(|t| defines(t, s) || reexports(t, s))
                            {
                                let mut q = base.to_vec();
                                q.push(s.clone());
                                return self.resolve(&module, &q, depth + 1);
                            }
                        }
                    }
                }
            }
            return Some(module);
        }
        Some(here.join("::"))
    }

    /// Module → the modules it imports (itself and its own ancestors'
    /// re-exports of it excluded).
    fn edges(&self) -> BTreeMap<String, BTreeSet<String>> {
        let mut out = BTreeMap::new();
        for (name, m) in &self.modules {
            let mut to = BTreeSet::new();
            let paths = uses(&m.code)
                .into_iter()
                .flat_map(|(_, p)| p)
                .chain(inline_paths(&m.code));
            for p in paths {
                if let Some(target) = self.resolve(name, &p, 0)
                    && target != *name
                {
                    to.insert(target);
                }
            }
            out.insert(name.clone(), to);
        }
        out
    }
}

fn reexports(m: &Module, name: &str) -> bool {
    uses(&m.code)
        .into_iter()
        .filter(|(public, _)| *public)
        .flat_map(|(_, p)| p)
        .any(|p| p.last().is_some_and(|l| l == name))
}

fn join(here: &[String], s: &str) -> String {
    let mut v = here.to_vec();
    v.push(s.to_string());
    v.join("::")
}

fn graph() -> Graph {
    Graph { modules: modules() }
}

/// A module's place in the pipeline: imports may only point to a lower one
/// (or stay inside the same top-level module).
fn stage(module: &str) -> (u8, &str) {
    let top = module.split("::").next().unwrap_or("");
    let rank = match top {
        "" => 9, // lib.rs declares every stage
        "suggest" => 0,
        "syntax" => 1,
        "data" => 1,
        "check" => 2,
        "plan" => 3,
        "eval" => 4,
        "diff" => 5,
        "explain" => 5,
        "report" => 6,
        other => panic!(
            "module `{other}` has no stage: add it to tests/architecture.rs and docs/ARCHITECTURE.md"
        ),
    };
    (rank, top)
}

#[test]
fn use_trees_and_paths_are_read() {
    assert_eq!(
        use_paths(" crate::check::{self as ast, Exact, units::Unit}"),
        vec![
            vec!["crate", "check"],
            vec!["crate", "check", "Exact"],
            vec!["crate", "check", "units", "Unit"],
        ]
    );
    let g = graph();
    assert_eq!(
        g.resolve("check::load", &["super".into(), "Contract".into()], 0)
            .as_deref(),
        Some("check::contract"),
        "followed through `pub use contract::*`"
    );
    assert_eq!(
        g.resolve(
            "report::json",
            &["crate".into(), "eval".into(), "Month".into()],
            0
        )
        .as_deref(),
        Some("eval::month")
    );
    let edges = g.edges();
    assert!(edges["eval::rows::visits"].contains("eval::gate"));
    assert!(edges["eval::pay"].contains("eval::rows::visits"));
}

#[test]
fn imports_point_down_the_pipeline() {
    let g = graph();
    let mut wrong = Vec::new();
    for (from, tos) in g.edges() {
        let (a, top_a) = stage(&from);
        for to in tos {
            let (b, top_b) = stage(&to);
            if top_a != top_b && b >= a {
                wrong.push(format!("{from} → {to}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the pipeline:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_module_imports_its_way_back_to_itself() {
    let edges = graph().edges();
    // Depth-first search for a back edge, reporting the cycle it closes.
    fn visit(
        m: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(m.to_string(), 1);
        path.push(m.to_string());
        for n in edges.get(m).into_iter().flatten() {
            match state.get(n.as_str()).copied().unwrap_or(0) {
                1 => {
                    let at = path.iter().position(|p| p == n).unwrap();
                    let mut cycle = path[at..].to_vec();
                    cycle.push(n.clone());
                    return Some(cycle);
                }
                0 => {
                    if let Some(c) = visit(n, edges, state, path) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        path.pop();
        state.insert(m.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for m in edges.keys() {
        if state.get(m.as_str()).copied().unwrap_or(0) == 0 {
            let cycle = visit(m, &edges, &mut state, &mut Vec::new());
            assert!(
                cycle.is_none(),
                "import cycle: {}",
                cycle.unwrap().join(" → ")
            );
        }
    }
}

#[test]
fn evaluator_modules_do_not_import_the_run() {
    let edges = graph().edges();
    for (from, tos) in &edges {
        if from.starts_with("eval::") && from != "eval::pay" {
            assert!(!tos.contains("eval::pay"), "{from} imports eval::pay");
        }
    }
}

#[test]
fn every_module_says_what_it_owns() {
    for (name, m) in modules() {
        assert!(
            m.code.trim_start().starts_with("//!"),
            "{} (`{name}`) does not open with a `//!` doc comment",
            m.file
        );
    }
}

#[test]
fn no_source_file_over_a_thousand_lines_before_its_tests() {
    for (_, m) in modules() {
        let lines = m.code.lines().count();
        assert!(lines <= 1000, "{}: {lines} lines before its tests", m.file);
    }
}

#[test]
#[ignore = "prints the module graph: cargo test --test architecture -- --ignored --nocapture"]
fn print_the_module_graph() {
    for (from, tos) in graph().edges() {
        println!(
            "{from} → {}",
            tos.into_iter().collect::<Vec<_>>().join(", ")
        );
    }
}
