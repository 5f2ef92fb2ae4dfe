//! Every diagnostic kind, as rendered, on small broken inputs of its own
//! (`tests/diagnostics/*.taxa` for rule files, `tests/diagnostics/data/*/`
//! for data folders). Each case names its code, what it means and how to fix
//! it; the same cases generate `docs/ERRORS.md`, so the catalogue cannot
//! drift from what the tool says. After a deliberate change of a message:
//! `cargo insta review`, then `TAXA_BLESS=1 cargo test --test diagnostics`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, NamedSource, Report};
use taxa::check::LoadErrorKind;

/// A case: what the header says, and the input.
struct Case {
    name: String,
    code: String,
    what: String,
    fix: String,
    /// The input as shown in the catalogue.
    example: String,
    rendered: String,
}

fn handler() -> GraphicalReportHandler {
    GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor()).with_width(100)
}

fn render(out: &mut String, d: &dyn Diagnostic) {
    handler()
        .render_report(out, d)
        .expect("rendering to a String");
}

fn header<'a>(text: &'a str, key: &str) -> &'a str {
    text.lines()
        .find_map(|l| {
            l.trim_start_matches("# ")
                .strip_prefix(key)
                .and_then(|r| r.strip_prefix(": "))
        })
        .unwrap_or_else(|| panic!("case header has no `{key}:`"))
}

fn rule_cases() -> Vec<Case> {
    let mut files: Vec<PathBuf> = std::fs::read_dir("tests/diagnostics")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "taxa"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let src = std::fs::read_to_string(&path).unwrap();
            let name = path.display().to_string();
            let mut rendered = String::new();
            let with_src = |e: Report| e.with_source_code(NamedSource::new(&name, src.clone()));
            match taxa::check::load(&src, &name) {
                Ok(c) => {
                    for w in c.warnings {
                        render(&mut rendered, with_src(Report::new(w)).as_ref());
                    }
                }
                Err(err) => match err.kind {
                    LoadErrorKind::Syntax(errors) => {
                        for e in errors {
                            render(&mut rendered, with_src(Report::new(e)).as_ref());
                        }
                    }
                    LoadErrorKind::Check(errors) => {
                        for e in errors {
                            render(&mut rendered, with_src(Report::new(e)).as_ref());
                        }
                    }
                    LoadErrorKind::Read(e) => panic!("check::load reads no file: {e}"),
                },
            }
            Case {
                name: path.file_stem().unwrap().to_string_lossy().into_owned(),
                code: header(&src, "code").to_string(),
                what: header(&src, "what").to_string(),
                fix: header(&src, "fix").to_string(),
                example: src
                    .lines()
                    .filter(|l| !l.starts_with("# "))
                    .collect::<Vec<_>>()
                    .join("\n"),
                rendered,
            }
        })
        .collect()
}

/// A data file as the catalogue shows it: bad UTF-8 as U+FFFD, invisible
/// and control characters escaped (a NUL, a byte order mark, a zero width
/// space), and a runaway line cut short.
fn shown(bytes: &[u8]) -> String {
    use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};
    const MAX_LINE: usize = 120;
    let text = String::from_utf8_lossy(bytes);
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        let chars = line.trim_end_matches('\n').chars().count();
        for c in line.chars().take(MAX_LINE) {
            let invisible = (c.is_control() && c != '\n' && c != '\t')
                || c.general_category() == GeneralCategory::Format;
            if invisible {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            } else {
                out.push(c);
            }
        }
        if chars > MAX_LINE {
            let _ = writeln!(out, "… ({} characters in all)", chars);
        }
    }
    out
}

fn data_cases() -> Vec<Case> {
    let contract = taxa::check::load(
        &std::fs::read_to_string("rules/norrtalje-2025.taxa").unwrap(),
        "rules/norrtalje-2025.taxa",
    )
    .unwrap_or_else(|_| panic!("the bundled rule file checks"));
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("tests/diagnostics/data")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs.into_iter()
        .map(|dir| {
            let readme = std::fs::read_to_string(dir.join("README")).unwrap();
            let mut example = String::new();
            // visits.csv, customers.csv, and the files a case's rule file
            // declares of its own (`fil`), by name.
            let mut own: Vec<String> = std::fs::read_dir(&dir)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|f| f.ends_with(".csv"))
                .filter(|f| {
                    !["visits.csv", "customers.csv", "events.csv", "providers.csv"]
                        .contains(&f.as_str())
                })
                .collect();
            own.sort();
            let files = ["visits.csv".to_string(), "customers.csv".to_string()];
            for f in files.iter().chain(&own) {
                if let Ok(bytes) = std::fs::read(dir.join(f)) {
                    let _ = write!(example, "{f}:\n{}", shown(&bytes));
                }
            }
            // A case may bring its own rule file (e.g. an absurd rate).
            let own = std::fs::read_to_string(dir.join("rules.taxa"))
                .ok()
                .map(|src| {
                    example = format!("rules.taxa:\n{src}{example}");
                    taxa::check::load(&src, "rules.taxa")
                        .unwrap_or_else(|_| panic!("{} rules check", dir.display()))
                });
            let mut rendered = String::new();
            match taxa::eval::pay(
                own.as_ref().unwrap_or(&contract),
                &taxa::data::DataDir::new(&dir),
                None,
            ) {
                // A warning-only case pays, with its warnings.
                Ok(run) if !run.warnings.is_empty() => {
                    for w in &run.warnings {
                        render(&mut rendered, w);
                    }
                }
                Ok(_) => panic!("{} should fail or warn", dir.display()),
                Err(e) => {
                    // The path of the temporary folder is not part of the message.
                    render(&mut rendered, &e);
                    rendered = rendered.replace(&format!("{}/", dir.display()), "DATA/");
                }
            }
            Case {
                name: dir.file_name().unwrap().to_string_lossy().into_owned(),
                code: header(&readme, "code").to_string(),
                what: header(&readme, "what").to_string(),
                fix: header(&readme, "fix").to_string(),
                example: example.trim_end().to_string(),
                rendered,
            }
        })
        .collect()
}

#[test]
fn every_rule_diagnostic_as_rendered() {
    for case in rule_cases() {
        assert!(
            case.rendered.contains(&case.code),
            "{}: expected {} in\n{}",
            case.name,
            case.code,
            case.rendered
        );
        assert!(
            case.rendered.contains("help:"),
            "{}: every diagnostic has a hint\n{}",
            case.name,
            case.rendered
        );
        insta::assert_snapshot!(format!("rule_{}", case.name), case.rendered);
    }
}

#[test]
fn every_data_diagnostic_as_rendered() {
    for case in data_cases() {
        assert!(
            case.rendered.contains(&case.code),
            "{}: expected {} in\n{}",
            case.name,
            case.code,
            case.rendered
        );
        insta::assert_snapshot!(format!("data_{}", case.name), case.rendered);
    }
}

/// The catalogue of codes, from the same cases the snapshots pin.
fn catalogue() -> String {
    let mut cases = rule_cases();
    cases.extend(data_cases());
    cases.sort_by(|a, b| (&a.code, &a.name).cmp(&(&b.code, &b.name)));
    let mut out = String::from(
        "# Diagnostic codes\n\n\
         Every diagnostic `taxa check` and `taxa pay` can give, with a small input that\n\
         produces it, the message as printed, and how to fix it. Generated by\n\
         `tests/diagnostics.rs` from `tests/diagnostics/` (run\n\
         `TAXA_BLESS=1 cargo test --test diagnostics` after changing a message); the\n\
         test fails when this page and the tool disagree.\n\n\
         Exit codes of `taxa`: `0` ok (warnings may be printed), `1` rule errors,\n\
         `2` data errors (nothing is written), `3` a file or argument that cannot be\n\
         used; clap's own usage errors also exit with `2`.\n\n\
         `taxa::overlapping_versions` (exit 1) is given when `taxa pay` gets several\n\
         versions of a contract whose validities overlap; it points at the later\n\
         version's `gäller` and says which version it overlaps.\n\
         `taxa::versions_differ_in_codes` (exit 1): versions paid together must declare\n\
         the same `kod` lines, because one data set is read for all of them.\n\n\
         `taxa::not_utf8` (exit 3, like any rule file that cannot be read) is given\n\
         for a rule file that is not UTF-8, e.g. one saved as Windows-1252: the\n\
         message names the first byte that is not, with its line, column and offset:\n\
         `cannot read rules.taxa: not UTF-8 from line 4, column 16: byte 0xE4 (byte\n\
         97 of the file) starts no UTF-8 character; save the file as UTF-8`. A\n\
         leading byte order mark and `\\r\\n` or lone `\\r` line ends are read.\n",
    );
    let mut last = String::new();
    for c in cases {
        if c.code != last {
            let _ = write!(out, "\n## `{}`\n", c.code);
            last = c.code.clone();
        }
        let _ = write!(
            out,
            "\n### {}\n\n{}\n\n```text\n{}\n```\n\n```text\n{}```\n\n**Fix:** {}\n",
            c.name.replace('_', " "),
            c.what,
            c.example,
            c.rendered,
            c.fix
        );
    }
    out
}

#[test]
fn error_catalogue_is_current() {
    let path = Path::new("docs/ERRORS.md");
    let want = catalogue();
    if std::env::var_os("TAXA_BLESS").is_some() {
        std::fs::write(path, &want).unwrap();
    }
    let have = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        have == want,
        "docs/ERRORS.md is out of date: run `TAXA_BLESS=1 cargo test --test diagnostics`"
    );
}
