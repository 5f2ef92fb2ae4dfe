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
        .arg(format!("file://{}", page.canonicalize().unwrap().display()))
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
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let png = dir.join(name);
    let _ = std::fs::remove_file(&png);
    let out = headless(
        browser,
        &[
            &format!("--screenshot={}", png.display()),
            &format!("--window-size=1100,{height}"),
        ],
        page,
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
