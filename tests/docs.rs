//! The docs stay true: every code block of docs/LANGUAGE.md that a citation
//! "(`FILE` lines A–B" follows is those lines of that file (comment and
//! blank lines aside when the citation names several pieces), so an excerpt
//! cannot drift from the rule file it quotes. `scripts/excerpts.py --fix`
//! rewrites a moved citation.

use std::path::Path;

/// `(file, first line, pieces)` of a citation line, if it is one.
fn citation(line: &str) -> Option<(String, Vec<(usize, usize)>)> {
    let rest = line.strip_prefix('(').unwrap_or(line).strip_prefix('`')?;
    let (file, rest) = rest.split_once('`')?;
    if !file.ends_with(".taxa") {
        return None;
    }
    let rest = rest
        .strip_prefix(" lines ")
        .or_else(|| rest.strip_prefix(" line "))?;
    let rest = rest.split([')', ':', ';']).next().unwrap_or("");
    let mut pieces = Vec::new();
    for part in rest.split([',']).flat_map(|p| p.split(" and ")) {
        let part = part.trim().trim_end_matches('.');
        let (a, b) = part.split_once('–').unwrap_or((part, part));
        match (a.trim().parse(), b.trim().parse()) {
            (Ok(a), Ok(b)) => pieces.push((a, b)),
            _ => break,
        }
    }
    (!pieces.is_empty()).then(|| (file.to_string(), pieces))
}

fn code(lines: &[&str]) -> Vec<String> {
    lines
        .iter()
        .map(|l| l.trim_end().to_string())
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .collect()
}

#[test]
fn every_cited_excerpt_is_those_lines_of_its_file() {
    let doc = std::fs::read_to_string("docs/LANGUAGE.md").unwrap();
    let lines: Vec<&str> = doc.lines().collect();
    let mut checked = 0;
    let mut wrong = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if !lines[i].starts_with("```") {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < lines.len() && !lines[j].starts_with("```") {
            j += 1;
        }
        let block = &lines[i + 1..j.min(lines.len())];
        let mut k = j + 1;
        while k < lines.len() && lines[k].trim().is_empty() {
            k += 1;
        }
        i = j + 1;
        let Some((file, pieces)) = lines.get(k).and_then(|l| citation(l)) else {
            continue;
        };
        let src = std::fs::read_to_string(Path::new(&file))
            .unwrap_or_else(|e| panic!("docs/LANGUAGE.md:{} cites {file}: {e}", k + 1));
        let src: Vec<&str> = src.lines().collect();
        let take = |(a, b): (usize, usize)| src.get(a - 1..b.min(src.len())).unwrap_or(&[]);
        let same = if pieces.len() == 1 {
            let got: Vec<&str> = take(pieces[0]).iter().map(|l| l.trim_end()).collect();
            let want: Vec<&str> = block.iter().map(|l| l.trim_end()).collect();
            got == want
        } else {
            let got: Vec<&str> = pieces
                .iter()
                .flat_map(|p| take(*p).iter().copied())
                .collect();
            code(&got) == code(block)
        };
        if !same {
            wrong.push(format!("docs/LANGUAGE.md:{}: {file} {pieces:?}", k + 1));
        }
        checked += 1;
    }
    assert!(
        wrong.is_empty(),
        "excerpts that are not their lines (scripts/excerpts.py --fix):\n{}",
        wrong.join("\n")
    );
    assert!(checked >= 10, "the citations were found ({checked})");
}
