//! Named and derived values (`värde`), unary minus and `högst`/`minst`:
//! small contracts whose amounts are worked by hand in each test, and the
//! mistakes the checker must name.

use taxa::check::{LoadErrorKind, load};
use taxa::data::DataDir;
use taxa::eval::{PayRun, pay};

const HEADER: &str = r#"avtal "Prov" gäller 2025-01-01 till 2025-12-31
kod zone: tätort
kod staff: omsorg
kod status: utförd, bom
kod kind: teamkonferens
"#;

const CUSTOMERS: &str = "customer,provider,from,to,zone\nC1,P1,2025-01-01,,tätort\n";

/// V1: 1 h, V2: 30 min, V3: 3 h, all in January.
const VISITS: &str = "visit_id,provider,customer,staff,start,end\n\
    V1,P1,C1,omsorg,2025-01-10T08:00,2025-01-10T09:00\n\
    V2,P1,C1,omsorg,2025-01-11T08:00,2025-01-11T08:30\n\
    V3,P1,C1,omsorg,2025-01-12T08:00,2025-01-12T11:00\n";

fn run(rules: &str, files: &[(&str, &str)]) -> PayRun {
    let src = format!("{HEADER}{rules}");
    let contract = load(&src, "prov.taxa").unwrap_or_else(|e| panic!("rules check: {e:?}"));
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("customers.csv"), CUSTOMERS).unwrap();
    std::fs::write(tmp.path().join("visits.csv"), VISITS).unwrap();
    for (name, text) in files {
        std::fs::write(tmp.path().join(name), text).unwrap();
    }
    pay(&contract, &DataDir::new(tmp.path()), None).unwrap()
}

/// Each diagnostic as `code message`, warnings too.
fn diagnostics(rules: &str) -> String {
    let src = format!("{HEADER}{rules}");
    match load(&src, "prov.taxa") {
        Ok(c) => c
            .warnings
            .iter()
            .map(|e| format!("{} {}\n", e.kind.code(), e.message))
            .collect(),
        Err(err) => match err.kind {
            LoadErrorKind::Check(e) => e
                .iter()
                .map(|e| format!("{} {}\n", e.kind.code(), e.message))
                .collect(),
            LoadErrorKind::Syntax(e) => e
                .iter()
                .map(|e| format!("syntax {}\n", e.message))
                .collect(),
            LoadErrorKind::Read(e) => panic!("load reads no file: {e}"),
        },
    }
}

fn amount(run: &PayRun, term: &str) -> String {
    run.statements
        .iter()
        .flat_map(|s| &s.lines)
        .filter(|l| l.term == term)
        .map(|l| l.amount.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

fn label(run: &PayRun, term: &str) -> String {
    run.statements
        .iter()
        .flat_map(|s| &s.lines)
        .find(|l| l.term == term)
        .map(|l| l.label.clone())
        .unwrap_or_default()
}

#[test]
fn a_value_stands_for_its_number_wherever_it_is_used_and_may_be_declared_below() {
    let rules = r#"moment T1 "Utförd tid"
    för besök där status = utförd
    betala tid × timpris
moment T2 "Bomtid"
    för besök där status = bom
    betala tid × timpris
värde timpris = 455 kr/h
"#;
    let visits = "visit_id,provider,customer,staff,start,end,status\n\
        V1,P1,C1,omsorg,2025-01-10T08:00,2025-01-10T09:00,utförd\n\
        V2,P1,C1,omsorg,2025-01-11T08:00,2025-01-11T08:30,bom\n";
    let r = run(rules, &[("visits.csv", visits)]);
    assert_eq!(amount(&r, "T1"), "455.00", "1 h × 455 kr/h");
    assert_eq!(amount(&r, "T2"), "227.50", "0.5 h × 455 kr/h");
}

#[test]
fn a_derived_value_is_rounded_as_it_says_half_away_from_zero() {
    // (455 + 40) kr/h × 99 % = 490,05 kr/h → 490 kr/h; 4,5 h → 2 205,00 kr
    // (unrounded: 2 205,225 → 2 205,23).
    let rules = r#"värde grundpris = 455 kr/h
värde restidstillägg = 40 kr/h
värde nattpris = (grundpris + restidstillägg) × 99 %, avrundat till hela kronor
moment T1 "Natt {nattpris}"
    för besök
    betala tid × nattpris
"#;
    let r = run(rules, &[]);
    assert_eq!(amount(&r, "T1"), "2205.00");
    assert_eq!(label(&r, "T1"), "Natt 490 kr/h");
    // 100 kr/h ÷ 3 = 33,333… → 33,33 kr/h to öre; 4,5 h → 149,985 → 149,99
    // (unrounded: 150,00).
    let rules = r#"värde tredjedel = 100 kr/h ÷ 3, avrundat till öre
moment T1 "Tredjedel {tredjedel}"
    för besök
    betala tid × tredjedel
"#;
    let r = run(rules, &[]);
    assert_eq!(amount(&r, "T1"), "149.99");
    assert_eq!(label(&r, "T1"), "Tredjedel 33,33 kr/h");
    // −2,5 kr/h rounds away from zero to −3 kr/h: 4,5 h → −13,50.
    let rules = r#"värde avdrag = -(5 kr/h ÷ 2), avrundat till hela kronor
moment T1 "Avdrag"
    för besök
    betala tid × avdrag
"#;
    assert_eq!(amount(&run(rules, &[]), "T1"), "-13.50");
}

#[test]
fn hogst_in_betala_bounds_each_visit_and_minst_raises_it() {
    // V1 1 h → 455, V2 0,5 h → 227,50, V3 3 h → 1 365 capped to 600:
    // 455 + 227,50 + 600 = 1 282,50 (a monthly cap would give 1 282,50 too
    // only by chance; here each visit is bounded on its own).
    let rules = r#"moment T1 "Besök"
    för besök
    betala tid × 455 kr/h högst 600 kr
"#;
    assert_eq!(amount(&run(rules, &[]), "T1"), "1282.50");
    // minst: each visit at least 300 kr: 455 + 300 + 1 365 = 2 120.
    let rules = r#"moment T1 "Besök"
    för besök
    betala tid × 455 kr/h minst 300 kr
"#;
    assert_eq!(amount(&run(rules, &[]), "T1"), "2120.00");
    // Left to right at the lowest precedence: (a högst b) minst c.
    // Per visit: min(455 × t, 400) then max(…, 300): 400 + 300 + 400.
    let rules = r#"moment T1 "Besök"
    för besök
    betala tid × 455 kr/h högst 400 kr minst 300 kr
"#;
    assert_eq!(amount(&run(rules, &[]), "T1"), "1100.00");
}

#[test]
fn a_cap_bound_of_hogst_is_the_smaller_bound() {
    // T1 = 4,5 h × 455 = 2 047,50; bound min(50 % × T1, 900 kr) = 900:
    // the cap line is −1 147,50.
    let rules = r#"moment T1 "Tid"
    för besök
    betala tid × 455 kr/h
tak T2 "Tak"
    över T1
    högst 50 % × summa T1 högst 900 kr
"#;
    let r = run(rules, &[]);
    assert_eq!(amount(&r, "T2"), "-1147.50");
    // With minst the larger bound, 1 023,75, caps T1 by 1 023,75.
    let r = run(&rules.replace("högst 900 kr", "minst 900 kr"), &[]);
    assert_eq!(amount(&r, "T2"), "-1023.75");
}

#[test]
fn a_daily_rate_with_a_monthly_ceiling_per_customer() {
    // 23 kr per day, at most 684 kr per month: January has 31 days, so
    // 31 × 23 = 713 kr, capped per customer to 684 kr: −29 kr.
    let rules = r#"värde dagpris = 23 kr/st
värde månadstak = 684 kr
moment M "Matdistribution"
    för kunddagar
    betala antal × dagpris
tak M-tak "Högst {månadstak} per kund och månad"
    över M per kund
    högst månadstak ÷ dagpris
"#;
    let r = run(rules, &[]);
    assert_eq!(amount(&r, "M"), "713.00");
    assert_eq!(amount(&r, "M-tak"), "-29.00");
    assert_eq!(label(&r, "M-tak"), "Högst 684 kr per kund och månad");
}

#[test]
fn unary_minus_makes_a_deduction() {
    // T1 = 2 047,50; −1,5 % of it is −30,7125 → −30,71.
    let rules = r#"moment T1 "Tid"
    för besök
    betala tid × 455 kr/h
tillägg AVDRAG "Avdrag {avdrag}" för utförare
    betala avdrag × summa T1
värde avdrag = -1,5 %
"#;
    let r = run(rules, &[]);
    assert_eq!(amount(&r, "AVDRAG"), "-30.71");
    assert_eq!(label(&r, "AVDRAG"), "Avdrag -1,5 %");
    // Written in the term: the same; `−` (U+2212) is a minus too.
    let inline = r#"moment T1 "Tid"
    för besök
    betala tid × 455 kr/h
tillägg AVDRAG "Avdrag" för utförare
    betala −1,5 % × summa T1
"#;
    assert_eq!(amount(&run(inline, &[]), "AVDRAG"), "-30.71");
    // `-(a + b)`: 4,5 h × −(400 + 55) kr/h.
    let rules = r#"moment T1 "Tid"
    för besök
    betala tid × -(400 kr/h + 55 kr/h)
"#;
    assert_eq!(amount(&run(rules, &[]), "T1"), "-2047.50");
}

#[test]
fn values_stand_in_limits_staff_caps_and_reasons() {
    // Two events, a limit of `max_konferenser` = 1: one paid at 1 200 kr.
    let rules = r#"värde max_konferenser = 1
värde konferenspris = 1200 kr/st
moment T1 "Konferens"
    för händelser där kind = teamkonferens
    gräns max_konferenser per utförare och månad, ordnat efter date, event_id
        annars "over {max_konferenser} a month"
    betala antal × konferenspris
"#;
    let events = "event_id,provider,customer,date,kind\n\
        E1,P1,C1,2025-01-10,teamkonferens\n\
        E2,P1,C1,2025-01-11,teamkonferens\n";
    let r = run(rules, &[("events.csv", events)]);
    assert_eq!(amount(&r, "T1"), "1200.00");
    let reason = r
        .not_paid
        .iter()
        .find(|n| n.id == "E2")
        .map(|n| taxa::report::words::reason(&n.reason, taxa::report::Lang::En).into_owned());
    assert_eq!(reason.as_deref(), Some("over 1 a month"));
}

#[test]
fn the_mistakes_of_values_are_named() {
    let d = diagnostics("värde a = 5 kr högst 2 h\n");
    assert!(
        d.contains("taxa::unit_mismatch `högst` compares amounts of one unit; this is kr högst h"),
        "{d}"
    );
    let d = diagnostics("värde a = b + 1 kr\nvärde b = a\n");
    assert!(
        d.contains("taxa::order these values are defined by each other: a → b → a"),
        "{d}"
    );
    let d = diagnostics("värde a = tid × 2\n");
    assert!(
        d.contains("taxa::misplaced a value cannot read `tid`"),
        "{d}"
    );
    let d = diagnostics(
        "värde timpris = 4 kr/h\nmoment T1 \"{timpri}\" för besök betala tid × timpris\n",
    );
    assert!(
        d.contains("taxa::unknown_name `{timpri}` cites no declared value"),
        "{d}"
    );
    let d = diagnostics(
        "värde a = 1 kr\nvärde a = 2 kr\nmoment T1 \"T\" för besök betala tid × 1 kr/h × a\n",
    );
    assert!(
        d.contains("taxa::duplicate_name the value `a` is declared twice"),
        "{d}"
    );
    let d = diagnostics("värde a = 3 h, avrundat till hela kronor\n");
    assert!(
        d.contains("taxa::unit_mismatch only an amount in kr can be rounded"),
        "{d}"
    );
    let d = diagnostics("värde a = 1 kr ÷ 0\n");
    assert!(
        d.contains("taxa::type_mismatch this value divides by zero"),
        "{d}"
    );
    let d = diagnostics(
        "moment T1 \"T\" för besök\n    gräns max per utförare och månad, ordnat efter start annars \"x\"\n    betala tid × 1 kr/h\nvärde mx = 1\n",
    );
    assert!(
        d.contains("taxa::unknown_name `max` is no declared value"),
        "{d}"
    );
    let d = diagnostics("värde zone = 1 kr\n");
    assert!(
        d.contains("taxa::duplicate_name `zone` is already the name of a field"),
        "{d}"
    );
}

#[test]
fn a_label_that_states_a_number_by_hand_is_warned_of_and_an_unused_value_too() {
    let d = diagnostics(
        "värde pris = 4 kr/h\nmoment T1 \"Tid, 4 kr/h\" för besök betala tid × 4 kr/h\n",
    );
    assert!(
        d.contains("taxa::number_by_hand this label states `4 kr/h` by hand"),
        "{d}"
    );
    assert!(
        d.contains("taxa::unused the value `pris` is not used by any term or text"),
        "{d}"
    );
    let d = diagnostics(
        "värde pris = 4 kr/h\nmoment T1 \"Tid, {pris}, 2025\" för besök betala tid × pris\n",
    );
    assert_eq!(d, "");
}

#[test]
fn a_staff_cap_and_a_fund_take_a_value_too() {
    // V1: 1 h with two staff; `personal högst en_personal` (1) counts one:
    // 1 h × 455 kr/h.
    let rules = r#"värde en_personal = 1
moment T1 "Tid"
    för besök
    personal högst en_personal annars "one staff paid"
    betala betald_tid × 455 kr/h
fördelning F "Stimulans" fördela fonden i 2025-01
    efter antal kunder den 2025-01-01
    avrunda till hela kronor, största rest, lika rest efter utförare
värde fonden = 1 000 kr
"#;
    let visits = "visit_id,provider,customer,staff,start,end,staff_count\n\
        V1,P1,C1,omsorg,2025-01-10T08:00,2025-01-10T09:00,2\n";
    let r = run(rules, &[("visits.csv", visits)]);
    assert_eq!(amount(&r, "T1"), "455.00");
    // One customer on the basis date: P1 gets the whole fund.
    assert_eq!(amount(&r, "F"), "1000");
    let d = diagnostics(
        "värde halv = 1,5\nmoment T1 \"T\" för besök personal högst halv annars \"x\" betala betald_tid × 1 kr/h\n",
    );
    assert!(d.contains("taxa::type_mismatch"), "{d}");
}

fn kronor(cents: u64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

fn swedish(cents: u32) -> String {
    format!("{},{:02}", cents / 100, cents % 100)
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 24, failure_persistence: None, ..Default::default() })]

    /// A value pays exactly what its literal pays, and `högst` bounds each
    /// visit: Σ min(t × rate, cap) over V1 (1 h), V2 (0,5 h), V3 (3 h),
    /// worked in half-öre and rounded once, half away from zero.
    #[test]
    fn a_value_pays_as_its_literal_and_hogst_bounds_each_visit(rate in 1u32..100_000, cap in 1u32..300_000) {
        let literal = format!(
            "moment T1 \"Tid\"\n    för besök\n    betala tid × {} kr/h högst {} kr\n",
            swedish(rate), swedish(cap)
        );
        let named = format!(
            "värde pris = {} kr/h\nvärde takbelopp = {} kr\nmoment T1 \"Tid\"\n    för besök\n    betala tid × pris högst takbelopp\n",
            swedish(rate), swedish(cap)
        );
        let (r, c) = (u64::from(rate), u64::from(cap));
        let half_cents: u64 = [2 * r, r, 6 * r].iter().map(|v| (*v).min(2 * c)).sum();
        let want = kronor(half_cents.div_ceil(2));
        proptest::prop_assert_eq!(amount(&run(&literal, &[]), "T1"), want.clone());
        proptest::prop_assert_eq!(amount(&run(&named, &[]), "T1"), want);
    }
}
