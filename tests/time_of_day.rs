//! Time of day (issue 11, point 1): several `tidsband` sets, bands of days
//! and clock times (both sides of midnight, clock changes), the band of a
//! visit's start in conditions and keys, and `start`/`slut` conditions.

use taxa::check::{LoadErrorKind, load};
use taxa::data::DataDir;
use taxa::eval::{PayRun, pay};

const HEADER: &str = r#"avtal "Prov" gäller 2025-01-01 till 2025-12-31
kod zone: tätort
kod staff: omsorg
kod status: utförd, bom
kalender helgdag: svenska helgdagar
"#;

const CUSTOMERS: &str = "customer,provider,from,to,zone\nC1,P1,2025-01-01,,tätort\n";

fn run(rules: &str, visits: &str) -> PayRun {
    let src = format!("{HEADER}{rules}");
    let contract = load(&src, "prov.taxa").unwrap_or_else(|e| panic!("rules check: {e:?}"));
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("customers.csv"), CUSTOMERS).unwrap();
    let visits = format!("visit_id,provider,customer,staff,start,end\n{visits}");
    std::fs::write(tmp.path().join("visits.csv"), visits).unwrap();
    pay(&contract, &DataDir::new(tmp.path()), None).unwrap()
}

fn check_errors(rules: &str) -> String {
    let src = format!("{HEADER}{rules}");
    let Err(err) = load(&src, "prov.taxa") else {
        return String::new();
    };
    match err.kind {
        LoadErrorKind::Check(e) => e
            .iter()
            .map(|e| format!("{} {} | {:?}\n", e.kind.code(), e.message, e.help))
            .collect(),
        LoadErrorKind::Syntax(e) => e
            .iter()
            .map(|e| format!("syntax {} {:?}\n", e.message, e.help))
            .collect(),
        LoadErrorKind::Read(e) => panic!("load reads no file: {e}"),
    }
}

/// Every line as `TERM key=value … quantity`, in statement order.
fn lines(run: &PayRun) -> Vec<String> {
    run.statements
        .iter()
        .flat_map(|s| &s.lines)
        .map(|l| {
            let key: Vec<String> = l
                .key
                .iter()
                .map(|k| format!("{}={}", k.name, k.value))
                .collect();
            format!("{} {} {}", l.term, key.join(" "), l.quantity.normalize())
        })
        .collect()
}

/// The sorted lines of one run, for comparison regardless of key order.
fn sorted(run: &PayRun) -> Vec<String> {
    let mut l = lines(run);
    l.sort();
    l
}

const HOURS_BY_BAND: &str = r#"
moment T "Tid"
    för besök
    betala tid × 100 kr/h
    rad per band
"#;

#[test]
fn a_band_of_days_and_clock_times_checks_and_splits_a_saturday_evening() {
    // The issue's example, which gave "`klockan` is a word of the language".
    let rules = format!(
        "tidsband band:\n    helg_kväll dagar lördag, söndag klockan 19:00 till 22:00\n    övrigt övrig tid\n{HOURS_BY_BAND}"
    );
    // Saturday 2025-03-22 18:00–20:00: 1 h before 19:00, 1 h in the band;
    // Friday 2025-03-21 19:00–20:00: not a weekend day.
    let r = run(
        &rules,
        "V1,P1,C1,omsorg,2025-03-22T18:00,2025-03-22T20:00\n\
         V2,P1,C1,omsorg,2025-03-21T19:00,2025-03-21T20:00\n",
    );
    assert_eq!(sorted(&r), ["T band=helg_kväll 1", "T band=övrigt 2"]);
}

#[test]
fn the_clock_range_may_come_before_the_days() {
    let rules = format!(
        "tidsband band:\n    helg_kväll klockan 19:00 till 22:00 dagar helg\n    övrigt övrig tid\n{HOURS_BY_BAND}"
    );
    let r = run(
        &rules,
        "V1,P1,C1,omsorg,2025-03-23T18:00,2025-03-23T20:00\n",
    );
    assert_eq!(sorted(&r), ["T band=helg_kväll 1", "T band=övrigt 1"]);
}

#[test]
fn a_night_over_midnight_belongs_to_the_day_it_began_on_both_sides_of_midnight() {
    let rules = format!(
        "tidsband band:\n    lördagsnatt dagar lördag klockan 22:00 till 07:00\n    övrigt övrig tid\n{HOURS_BY_BAND}"
    );
    // Saturday 2025-03-22 21:00 → Sunday 01:00: 22:00–01:00 is Saturday's
    // night (3 h, 2 of them on Sunday's date), 21:00–22:00 is not.
    let r = run(
        &rules,
        "V1,P1,C1,omsorg,2025-03-22T21:00,2025-03-23T01:00\n",
    );
    assert_eq!(sorted(&r), ["T band=lördagsnatt 3", "T band=övrigt 1"]);
    // Saturday 00:00–02:00 is Friday's night; Sunday 06:00–08:00 is
    // Saturday's night until 07:00; Sunday 22:00–23:00 is Sunday's night.
    let r = run(
        &rules,
        "V2,P1,C1,omsorg,2025-03-22T00:00,2025-03-22T02:00\n\
         V3,P1,C1,omsorg,2025-03-23T06:00,2025-03-23T08:00\n\
         V4,P1,C1,omsorg,2025-03-23T22:00,2025-03-23T23:00\n",
    );
    assert_eq!(sorted(&r), ["T band=lördagsnatt 1", "T band=övrigt 4"]);
}

#[test]
fn a_band_of_days_and_a_night_counts_real_seconds_over_a_clock_change() {
    let rules = format!(
        "tidsband band:\n    helgnatt dagar lördag, söndag, helgdag klockan 22:00 till 07:00\n    natt klockan 22:00 till 07:00\n    övrigt övrig tid\n{HOURS_BY_BAND}"
    );
    // Saturday 2025-03-29 23:00 → Sunday 03:30 (spring forward at 02:00):
    // 3.5 h real, all Saturday's night. Sunday 2025-10-26 (autumn, the
    // 02:00 hour twice) 01:00 → 04:00: 4 h real, the night that began on
    // Saturday the 25th.
    let r = run(
        &rules,
        "V1,P1,C1,omsorg,2025-03-29T23:00,2025-03-30T03:30\n\
         V2,P1,C1,omsorg,2025-10-26T01:00,2025-10-26T04:00\n",
    );
    assert_eq!(
        sorted(&r),
        ["T band=helgnatt 3.5", "T band=helgnatt 4"],
        "March and October are separate statements"
    );
    // Monday 2025-03-31 01:00–02:00 is Sunday's night (helgnatt); Tuesday
    // 2025-04-01 01:00–02:00 is Monday's night (natt).
    let r = run(
        &rules,
        "V3,P1,C1,omsorg,2025-03-31T01:00,2025-03-31T02:00\n\
         V4,P1,C1,omsorg,2025-04-01T01:00,2025-04-01T02:00\n",
    );
    assert_eq!(sorted(&r), ["T band=helgnatt 1", "T band=natt 1"]);
}

#[test]
fn day_words_and_named_eves() {
    let rules = format!(
        "tidsband band:\n    afton dagar julafton, nyårsafton, midsommarafton, påskafton\n    vardag dagar vardag\n    helg dagar helg\n    övrigt övrig tid\n{HOURS_BY_BAND}"
    );
    // Wednesday 2025-12-24 and Saturday 2025-04-19 (påskafton) are eves;
    // Tuesday 2025-12-23 a weekday; Sunday 2025-12-28 the weekend.
    let r = run(
        &rules,
        "V1,P1,C1,omsorg,2025-12-24T10:00,2025-12-24T11:00\n\
         V2,P1,C1,omsorg,2025-12-23T10:00,2025-12-23T12:00\n\
         V3,P1,C1,omsorg,2025-12-28T10:00,2025-12-28T13:00\n\
         V4,P1,C1,omsorg,2025-04-19T10:00,2025-04-19T14:00\n",
    );
    assert_eq!(
        sorted(&r),
        [
            "T band=afton 1",
            "T band=afton 4",
            "T band=helg 3",
            "T band=vardag 2"
        ]
    );
}

#[test]
fn two_sets_keyed_together_split_the_seconds_by_both() {
    let rules = r#"tidsband band:
    natt   klockan 22:00 till 07:00
    dag    övrig tid
tidsband vecka:
    helg     dagar helg
    vardag   övrig tid
moment T "Tid"
    för besök
    betala tid × 100 kr/h
    rad per band och vecka
"#;
    // Friday 2025-03-21 21:00 → Saturday 01:00: Friday day 1 h, Friday
    // night 1 h (22–24), Saturday night 1 h (00–01, a Saturday second).
    let r = run(rules, "V1,P1,C1,omsorg,2025-03-21T21:00,2025-03-22T01:00\n");
    assert_eq!(
        sorted(&r),
        [
            "T band=dag vecka=vardag 1",
            "T band=natt vecka=helg 1",
            "T band=natt vecka=vardag 2"
        ]
    );
}

#[test]
fn a_visit_count_keyed_by_band_is_keyed_by_the_band_of_its_start() {
    let rules = r#"tidsband band:
    natt   klockan 22:00 till 07:00
    dag    övrig tid
tabell per band:  natt      dag
    besöksavgift  245 kr/st 100 kr/st
moment N "Besök"
    för besök
    betala antal × besöksavgift[band]
    rad per band
"#;
    // V1 starts 21:30 and runs into the night: one visit, in `dag`; V2
    // starts 06:30 and runs past 07:00: one visit, in `natt`.
    let r = run(
        rules,
        "V1,P1,C1,omsorg,2025-03-10T21:30,2025-03-10T23:00\n\
         V2,P1,C1,omsorg,2025-03-11T06:30,2025-03-11T08:00\n",
    );
    assert_eq!(sorted(&r), ["N band=dag 1", "N band=natt 1"]);
}

const VISITS_AT_THE_EDGES: &str = "V1,P1,C1,omsorg,2025-03-10T21:59,2025-03-10T23:00\n\
    V2,P1,C1,omsorg,2025-03-10T22:00,2025-03-10T22:30\n\
    V3,P1,C1,omsorg,2025-03-11T06:59,2025-03-11T07:30\n\
    V4,P1,C1,omsorg,2025-03-11T07:00,2025-03-11T07:30\n\
    V5,P1,C1,omsorg,2025-03-11T23:30,2025-03-12T00:30\n";

fn night_visits(filter: &str) -> String {
    let r = run(
        &format!(
            "tidsband band:\n    natt klockan 22:00 till 07:00\n    dag övrig tid\nmoment N \"Nattbesök\"\n    för besök där {filter}\n    betala antal × 245 kr/st\n"
        ),
        VISITS_AT_THE_EDGES,
    );
    let mut paid: Vec<String> = (1..=5)
        .map(|i| format!("V{i}"))
        .filter(|id| !r.not_paid.iter().any(|n| n.id == *id))
        .collect();
    paid.sort();
    paid.join(",")
}

#[test]
fn a_condition_on_when_a_visit_starts_counts_the_visits_that_start_in_the_night() {
    // 22:00 and 06:59 start in the night; 21:59 and 07:00 do not.
    assert_eq!(night_visits("start klockan 22:00 till 07:00"), "V2,V3,V5");
    assert_eq!(night_visits("start i natt"), "V2,V3,V5");
    assert_eq!(night_visits("band = natt"), "V2,V3,V5");
    assert_eq!(night_visits("inte start i natt"), "V1,V4");
    // Ends: V1 23:00, V2 22:30, V5 00:30 end in the night; V3 and V4 end
    // 07:30.
    assert_eq!(night_visits("slut i natt"), "V1,V2,V5");
    assert_eq!(night_visits("slut klockan 07:00 till 08:00"), "V3,V4");
}

#[test]
fn a_condition_on_the_start_is_refused_where_there_is_no_visit() {
    let e = check_errors(
        "moment K \"Larm\"\n    för kunddagar där start klockan 22:00 till 07:00\n    betala dagsandel × 185 kr/mån\n",
    );
    assert!(
        e.contains(
            "taxa::misplaced `start` and `slut` are a visit's times; a customer-day has none"
        ),
        "{e}"
    );
}

#[test]
fn a_band_in_a_condition_must_be_one_band_of_one_set() {
    let sets = "tidsband band:\n    natt klockan 22:00 till 07:00\n    dag övrig tid\ntidsband dygn:\n    dag klockan 07:00 till 22:00\n    kväll övrig tid\n";
    let term = |filter: &str| {
        format!(
            "{sets}moment T1 \"x\"\n    för besök\n    betala antal × 1 kr/st\nmoment N \"y\"\n    för besök där {filter}\n    betala antal × 1 kr/st\n"
        )
    };
    let e = check_errors(&term("start i natten"));
    assert!(
        e.contains("taxa::unknown_name `natten` is not a band of any `tidsband`"),
        "{e}"
    );
    assert!(e.contains("did you mean `natt`?"), "{e}");
    let e = check_errors(&term("start i dag"));
    assert!(
        e.contains("taxa::duplicate_name `dag` is a band of both `band` and `dygn`"),
        "{e}"
    );
    assert!(e.contains("write `band = dag`"), "{e}");
    let e = check_errors(&term("start i T1"));
    assert!(
        e.contains("taxa::unknown_name `T1` is a term, not a band"),
        "{e}"
    );
    let e = check_errors(&term("band = nat"));
    assert!(e.contains("`nat` is not a"), "{e}");
    // The set named: unambiguous.
    assert_eq!(check_errors(&term("dygn = dag")), "");
    let e = check_errors(&term("i natt"));
    assert!(
        e.contains("taxa::unknown_name `natt` is a band, not a term"),
        "{e}"
    );
    // `i T1` on its own is still "paid by T1".
    assert_eq!(check_errors(&term("i T1")), "");
}

#[test]
fn a_band_that_cannot_be_written_says_how_to_write_it() {
    let e = check_errors(
        "tidsband band:\n    kväll klockan 17:00 till 19:00 klockan 20:00 till 22:00\n    helg dagar lördag dagar söndag\n    dag övrig tid dagar måndag\n",
    );
    assert!(e.contains("the band `kväll` has a second `klockan`"), "{e}");
    assert!(e.contains("the band `helg` has a second `dagar`"), "{e}");
    assert!(e.contains("`övrig tid` takes every second left"), "{e}");
    // The rest band that also names days is still read as the rest band.
    assert!(!e.contains("some seconds would fall in no band"), "{e}");
}

#[test]
fn days_joined_by_och_and_a_bare_hour_say_how_to_write_them() {
    let e = check_errors("tidsband band:\n    helg dagar lördag och söndag\n    dag övrig tid\n");
    assert!(
        e.contains("separate the items of this list with commas"),
        "{e}"
    );
    let e = check_errors(
        "moment N \"y\"\n    för besök där start klockan 22 till 07\n    betala antal × 1 kr/st\n",
    );
    assert!(
        e.contains("unexpected `22`: expected a time of day (HH:MM, e.g. 07:00)"),
        "{e}"
    );
}

#[test]
fn set_names_and_calendars_must_not_collide() {
    let e = check_errors(
        "kalender helg: svenska helgdagar\ntidsband band:\n    dag övrig tid\ntidsband band:\n    dag övrig tid\ntidsband zone:\n    dag övrig tid\n",
    );
    assert!(
        e.contains("`helg` is a day word of `dagar` and cannot name a calendar"),
        "{e}"
    );
    assert!(e.contains("`band` already names another `tidsband`"), "{e}");
    assert!(
        e.contains("`zone` already names a field of the data"),
        "{e}"
    );
    let five: String = (1..=5)
        .map(|i| format!("tidsband s{i}:\n    dag övrig tid\n"))
        .collect();
    assert!(check_errors(&five).contains("at most 4 `tidsband` declarations"));
}
