//! Known-poor diagnostics, pinned as they render today (PRQL's
//! `bad_error_messages.rs`). Each case says what a better message would say;
//! improving one is a small, visible task: change the checker, update the
//! snapshot, and move the case to `tests/error_messages.rs`. The gaps are
//! collected in docs/LANGUAGE.md, 5.1.

use miette::{GraphicalReportHandler, GraphicalTheme, NamedSource, Report};
use taxa::check::LoadErrorKind;

const HEADER: &str = r#"avtal "Prov" gäller 2025-01-01 till 2025-12-31
kod zone: tätort, landsbygd
kod staff: omsorg
kod status: utförd, bom
kod activities: inköp, dusch
"#;

/// Every diagnostic of `HEADER` + `rules`, as `taxa check` renders it.
fn render(rules: &str) -> String {
    let src = format!("{HEADER}{rules}");
    let handler =
        GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor()).with_width(100);
    let reports: Vec<Report> = match taxa::check::load(&src, "bad.taxa") {
        Ok(c) => c.warnings.into_iter().map(Report::new).collect(),
        Err(e) => match e.kind {
            LoadErrorKind::Syntax(errors) => errors.into_iter().map(Report::new).collect(),
            LoadErrorKind::Check(errors) => errors.into_iter().map(Report::new).collect(),
            LoadErrorKind::Read(e) => panic!("check::load reads no file: {e}"),
        },
    };
    let mut out = String::new();
    for r in reports {
        let r = r.with_source_code(NamedSource::new("bad.taxa", src.clone()));
        handler
            .render_report(&mut out, r.as_ref())
            .expect("rendering to a String");
    }
    out
}

/// A one-digit hour. It now says a time of day is expected (HH:MM, e.g.
/// 07:00), but underlines `7` alone. Better: "`7:00` is not a time of day —
/// help: write the hour with two digits, `07:00`" (`taxa::invalid_date`).
#[test]
fn a_clock_time_with_a_one_digit_hour() {
    insta::assert_snapshot!(render(
        r#"moment T1 "Dag"
    för besök
    fönster 7:00 till 22:00 annars "outside the paid time window"
    betala betald_tid × 10 kr/h
"#
    ), @r#"
    taxa::syntax

      × unexpected `7`: expected a time of day (HH:MM, e.g. 07:00)
       ╭─[bad.taxa:8:14]
     7 │     för besök
     8 │     fönster 7:00 till 22:00 annars "outside the paid time window"
       ·             ┬
       ·             ╰── expected a time of day (HH:MM, e.g. 07:00)
     9 │     betala betald_tid × 10 kr/h
       ╰────
      help: compare with the form of this declaration in docs/LANGUAGE.md
    "#);
}

/// A table keyed down the side that lacks a row: the help asks for a
/// column. Better: "add a row for landsbygd".
#[test]
fn a_missing_row_in_a_table_down_the_side() {
    insta::assert_snapshot!(render(
        r#"tabell per zone:   timpris     restid
    tätort         486 kr/h    40 kr/h

moment T1 "Tid"
    för besök
    betala betald_tid × timpris[zone]
    rad per zone

moment T2 "Restid"
    för besök
    betala betald_tid × restid[zone]
    rad per zone
"#
    ), @r"
    taxa::table

      × the table has no value for zone `landsbygd`
       ╭─[bad.taxa:6:1]
     5 │     kod activities: inköp, dusch
     6 │ ╭─▶ tabell per zone:   timpris     restid
     7 │ ├─▶     tätort         486 kr/h    40 kr/h
       · ╰──── incomplete table
     8 │     
       ╰────
      help: add a column for landsbygd; every declared `zone` code needs a rate
    ");
}

/// A row with too many cells drops the table's rates, so each use adds
/// "no rate `…` is declared". Better: only the error on the row; the uses
/// of a rate whose table is at fault say nothing more.
#[test]
fn a_bad_table_row_also_reports_every_use_of_its_rates() {
    insta::assert_snapshot!(render(
        r#"tabell per zone:   tätort      landsbygd
    timpris        486 kr/h    596 kr/h    700 kr/h

moment T1 "Tid"
    för besök
    betala betald_tid × timpris[zone]
    rad per zone
"#
    ), @r"
    taxa::table

      × the row `timpris` has 3 cells, the table has 2 columns
       ╭─[bad.taxa:7:5]
     6 │ tabell per zone:   tätort      landsbygd
     7 │     timpris        486 kr/h    596 kr/h    700 kr/h
       ·     ───────────────────────┬───────────────────────
       ·                            ╰── wrong number of cells
     8 │ 
       ╰────
      help: give every row one cell per column; write — for a cell without a value
    taxa::unknown_name

      × no rate `timpris` is declared
        ╭─[bad.taxa:11:26]
     10 │     för besök
     11 │     betala betald_tid × timpris[zone]
        ·                         ───┬───
        ·                            ╰── unknown rate
     12 │     rad per zone
        ╰────
      help: declare it in a `tabell`
    ");
}

/// `aktivitet` is a limit scope only on activity rows; elsewhere the
/// near-miss search offers the very word written. Better: "`aktivitet`
/// counts per activity only in a `för aktiviteter` term".
#[test]
fn a_limit_per_activity_on_visits() {
    insta::assert_snapshot!(render(
        r#"moment T1 "Tid"
    för besök
    gräns 1 per kund, aktivitet och dag, ordnat efter start, visit_id
        annars "over a count limit"
    betala betald_tid × 10 kr/h
"#
    ), @r#"
    taxa::unknown_name

      × `aktivitet` is not a period or party a limit can count per
       ╭─[bad.taxa:8:24]
     7 │     för besök
     8 │     gräns 1 per kund, aktivitet och dag, ordnat efter start, visit_id
       ·                       ─────────
     9 │         annars "over a count limit"
       ╰────
      help: did you mean `aktivitet`?
    "#);
}

/// In `ersätter … när`, only the term's own measure is at hand, but the help
/// says time is measured on visits, which this term is. Better: "in
/// `ersätter … när`, write this term's own quantity, `tid`".
#[test]
fn another_measure_in_a_replacement_condition() {
    insta::assert_snapshot!(render(
        r#"moment N1 "Nivå"
    för kunddagar
    betala dagsandel × 1000 kr/mån

moment N2 "Golv"
    för besök
    betala tid × 455 kr/h
    ersätter N1 per kund när betald_tid < 2 h
"#
    ), @r"
    taxa::misplaced

      × `betald_tid` cannot be measured here
        ╭─[bad.taxa:13:32]
     12 │     betala tid × 455 kr/h
     13 │     ersätter N1 per kund när betald_tid < 2 h
        ·                              ──────────
        ╰────
      help: time is measured on visits (`för besök`)
    ");
}
