//! The pages taxa writes, opened in a real browser (Debian's `chromium`,
//! headless): the DOM the browser builds holds what the page promises, and
//! a screenshot is written to `target/screenshots/` for a person to look
//! at. Without chromium the tests say so and pass, unless
//! `TAXA_REQUIRE_BROWSER` is set (as `.ci/run` does after installing it).

use std::path::{Path, PathBuf};
use std::process::Command;

fn chromium() -> Option<PathBuf> {
    let found = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|b| {
            let ok = Command::new("sh")
                .args(["-c", &format!("command -v {b}")])
                .output()
                .ok()?;
            ok.status
                .success()
                .then(|| PathBuf::from(String::from_utf8_lossy(&ok.stdout).trim().to_string()))
        });
    if found.is_none() {
        assert!(
            std::env::var_os("TAXA_REQUIRE_BROWSER").is_none(),
            "TAXA_REQUIRE_BROWSER is set but no chromium is installed"
        );
        eprintln!("no chromium: the browser tests are skipped");
    }
    found
}

fn headless(browser: &Path, extra: &[&str], page: &Path) -> std::process::Output {
    headless_at(browser, extra, page, "")
}

/// As [`headless`], the page opened at `#hash` (the pages' test hooks).
fn headless_at(browser: &Path, extra: &[&str], page: &Path, hash: &str) -> std::process::Output {
    let profile = tempfile::tempdir().unwrap();
    Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(format!(
            "file://{}{hash}",
            page.canonicalize().unwrap().display()
        ))
        .output()
        .expect("chromium runs")
}

/// Console messages a page logged (chromium writes them to stderr with
/// `CONSOLE` when logging to stderr).
fn console_errors(stderr: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(stderr)
        .lines()
        .filter(|l| l.contains("CONSOLE") || l.contains("Uncaught"))
        .map(str::to_string)
        .collect()
}

fn screenshot(browser: &Path, page: &Path, name: &str, height: u32) -> PathBuf {
    screenshot_at(browser, page, "", name, height)
}

fn screenshot_at(browser: &Path, page: &Path, hash: &str, name: &str, height: u32) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let png = dir.join(name);
    let _ = std::fs::remove_file(&png);
    let out = headless_at(
        browser,
        &[
            &format!("--screenshot={}", png.display()),
            &format!("--window-size=1100,{height}"),
            "--virtual-time-budget=2000",
        ],
        page,
        hash,
    );
    let bytes = std::fs::read(&png).unwrap_or_else(|e| {
        panic!(
            "no screenshot {}: {e}\n{}",
            png.display(),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert!(bytes.starts_with(b"\x89PNG"), "a PNG");
    assert!(bytes.len() > 10_000, "a page with something on it");
    png
}

#[test]
fn the_diff_report_renders_its_tables_and_charts() {
    let Some(browser) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("diff.html");
    let run = Command::new(env!("CARGO_BIN_EXE_taxa"))
        .args([
            "diff",
            "rules/norrtalje-2024.taxa",
            "rules/norrtalje-2025.taxa",
            "--data",
            "examples/norrtalje-2025",
            "--period",
            "2025-03",
            "--format",
            "html",
            "--out",
        ])
        .arg(&page)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1), "the versions differ");
    let out = headless(&browser, &["--dump-dom"], &page);
    let dom = String::from_utf8_lossy(&out.stdout);
    assert!(
        console_errors(&out.stderr).is_empty(),
        "{:?}",
        console_errors(&out.stderr)
    );
    assert!(dom.contains("Jämförelse av villkor: Norrtälje 2024 → Norrtälje 2025"));
    // Three providers, two bars each; eleven terms in the difference chart.
    assert_eq!(dom.matches("<svg").count(), 2);
    assert_eq!(dom.matches("<rect").count(), 3 * 2 + 11, "{dom}");
    assert!(dom.contains("omsorg_timpris[tätort]"));
    let png = screenshot(&browser, &page, "diff-norrtalje.png", 2400);
    eprintln!("screenshot: {}", png.display());
}

/// `taxa pay --format html` of `data` into `dir/name`.
fn statement_page(data: &Path, dir: &Path, name: &str) -> PathBuf {
    let page = dir.join(name);
    let run = Command::new(env!("CARGO_BIN_EXE_taxa"))
        .args(["pay", "rules/norrtalje-2025.taxa", "--data"])
        .arg(data)
        .args(["--format", "html", "--out"])
        .arg(&page)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    page
}

/// The DOM after the page's script ran (opened at `#hash`), with no
/// console error.
fn dom_at(browser: &Path, page: &Path, hash: &str) -> String {
    let out = headless_at(
        browser,
        &["--dump-dom", "--virtual-time-budget=2000"],
        page,
        hash,
    );
    let errors = console_errors(&out.stderr);
    assert!(errors.is_empty(), "{hash}: {errors:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The first statement line's `<details>` element as the browser holds it.
fn first_line(dom: &str) -> &str {
    let at = dom.find("<details class=\"line\"").expect("a line");
    let end = dom[at..].find("</details>").expect("its end");
    &dom[at..at + end]
}

#[test]
fn the_statement_page_opens_lines_on_their_visits_and_filters_by_reason() {
    let Some(browser) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let page = statement_page(
        Path::new("examples/norrtalje-2025"),
        dir.path(),
        "underlag.html",
    );
    let closed = dom_at(&browser, &page, "");
    assert!(
        closed.contains("<h2>P1 Omsorg Nord AB — 2025-03</h2>"),
        "{closed}"
    );
    assert!(
        !first_line(&closed).contains(" open=\"\""),
        "lines start closed"
    );
    // `#alla` opens every line: line 1 (T1, tätort) shows visit V01.
    let open = dom_at(&browser, &page, "#alla");
    let line = first_line(&open);
    assert!(line.contains(" open=\"\""), "{line}");
    assert!(line.contains("data-amount=\"5103.00\""), "{line}");
    assert!(line.contains("<td>besök V01 (kund C1)</td>"), "{line}");
    assert!(line.contains("10,5</td>"), "the rows' sum: {line}");
    // `#skäl=dubblett`: only the duplicates are shown.
    let filtered = dom_at(&browser, &page, "#sk%C3%A4l=dubblett");
    let rows: Vec<&str> = filtered
        .split("<tr data-reason=\"")
        .skip(1)
        .map(|r| &r[..r.find('>').unwrap()])
        .collect();
    assert!(rows.len() > 10, "{rows:?}");
    for r in &rows {
        assert_eq!(
            r.starts_with("dubblett\""),
            !r.contains("hidden"),
            "a row is shown only for its reason: {r}"
        );
    }
    assert!(rows.iter().any(|r| r.starts_with("dubblett\"")));
    let png = screenshot_at(&browser, &page, "#alla", "statement-norrtalje.png", 1400);
    eprintln!("screenshot: {}", png.display());
}

/// A line with more rows than the page writes out (`INLINE_ROWS`, 200)
/// embeds them as JSON; opening the line puts them in its table, markup in
/// the data as text.
#[test]
fn a_line_of_many_visits_is_filled_in_when_opened() {
    let Some(browser) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    for f in ["customers.csv", "events.csv", "providers.csv", "visits.csv"] {
        std::fs::copy(Path::new("examples/norrtalje-2025").join(f), data.join(f)).unwrap();
    }
    let mut visits = std::fs::read_to_string(data.join("visits.csv")).unwrap();
    for i in 0..300 {
        let day = 10 + i % 15;
        let hour = 6 + (i / 15) % 16;
        visits.push_str(&format!(
            "M{i:03},P1,C1,omsorg,2025-03-{day}T{hour:02}:00,2025-03-{day}T{hour:02}:30,1,dusch,\n"
        ));
    }
    // Markup in the data is text: in a row written out as JSON and in a
    // provider's name (a script that ran would log a console error).
    visits.push_str(
        "M</script><script>console.error(1)</script>,P1,C1,omsorg,2025-03-28T08:00,2025-03-28T08:30,1,dusch,\n",
    );
    std::fs::write(data.join("visits.csv"), visits).unwrap();
    let providers = std::fs::read_to_string(data.join("providers.csv")).unwrap();
    std::fs::write(
        data.join("providers.csv"),
        providers.replace("Omsorg Nord AB", "<img src=x onerror=console.error(2)>"),
    )
    .unwrap();
    let page = statement_page(&data, dir.path(), "stor.html");
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(
        !html.contains("<td>besök M123 (kund C1)</td>"),
        "not written out"
    );
    assert!(html.contains("<script type=\"application/json\""));
    let closed = dom_at(&browser, &page, "");
    assert!(!first_line(&closed).contains("<td>besök M123"));
    let open = dom_at(&browser, &page, "#alla");
    let line = first_line(&open);
    assert!(line.contains("<td>besök M123 (kund C1)</td>"), "{line}");
    assert!(line.contains("<td>besök V01 (kund C1)</td>"), "{line}");
    assert_eq!(
        line.matches("<tr>").count(),
        308 + 1,
        "every row and the sum"
    );
    assert!(
        line.contains(
            "<td>besök M&lt;/script&gt;&lt;script&gt;console.error(1)&lt;/script&gt; (kund C1)</td>"
        ),
        "{line}"
    );
    assert!(open.contains("P1 &lt;img src=x onerror=console.error(2)&gt; — 2025-03"));
}

/// Pages and their sizes in a PDF chromium wrote (`/MediaBox [0 0 W H]`).
fn pdf_pages(pdf: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(pdf);
    text.split("/MediaBox")
        .skip(1)
        .map(|s| s[..s.find(']').unwrap_or(0)].trim().to_string())
        .collect()
}

/// Printed, the page is A4, each statement begins a page, and every line
/// is open (the rows behind the lines make more pages than the closed
/// page has statements and lists).
#[test]
fn the_statement_page_prints_on_a4_with_its_lines_open() {
    let Some(browser) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let page = statement_page(
        Path::new("examples/norrtalje-2025"),
        dir.path(),
        "underlag.html",
    );
    let print = |page: &Path| -> Vec<String> {
        let pdf = page.with_extension("pdf");
        let out = headless(
            &browser,
            &[
                "--no-pdf-header-footer",
                &format!("--print-to-pdf={}", pdf.display()),
                "--virtual-time-budget=2000",
            ],
            page,
        );
        let bytes = std::fs::read(&pdf)
            .unwrap_or_else(|e| panic!("no PDF: {e}\n{}", String::from_utf8_lossy(&out.stderr)));
        pdf_pages(&bytes)
    };
    let pages = print(&page);
    // A4 is 595 × 842 points.
    assert!(
        pages
            .iter()
            .all(|b| b.starts_with("[0 0 59") && b.contains(" 841.")),
        "{pages:?}"
    );
    // The same page without what opens its lines for print prints fewer
    // pages: the lines are printed open.
    let html = std::fs::read_to_string(&page).unwrap();
    let opener = "details.line::details-content{content-visibility:visible;display:block}";
    assert!(html.contains(opener) && html.contains("'beforeprint'"));
    let closed = dir.path().join("closed.html");
    std::fs::write(
        &closed,
        html.replace(opener, "").replace("'beforeprint'", "'never'"),
    )
    .unwrap();
    let fewer = print(&closed);
    assert!(
        fewer.len() < pages.len(),
        "{} and {} pages",
        fewer.len(),
        pages.len()
    );
    // Six statements, each from a new page; their 39 lines open need more.
    assert!(pages.len() > 8, "{} pages", pages.len());
}
