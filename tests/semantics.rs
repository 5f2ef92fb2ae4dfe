//! Small contracts and data sets that pin down how the language behaves at
//! its edges; each test is named after the behaviour it guards.

use taxa::check::{LoadErrorKind, load};
use taxa::data::DataDir;
use taxa::eval::{PayRun, pay};

const HEADER: &str = r#"avtal "Prov" gäller 2025-01-01 till 2025-12-31
kod zone: tätort
kod staff: omsorg
kod status: utförd, bom
kod activities: inköp, dusch
kod kind: teamkonferens
"#;

const CUSTOMERS: &str = "customer,provider,from,to,zone\nC1,P1,2025-01-01,,tätort\n";

fn run(rules: &str, files: &[(&str, &str)]) -> PayRun {
    let src = format!("{HEADER}{rules}");
    let contract = load(&src, "prov.taxa").unwrap_or_else(|e| panic!("rules check: {e:?}"));
    let tmp = tempfile::tempdir().unwrap();
    let mut have_customers = false;
    for (name, text) in files {
        std::fs::write(tmp.path().join(name), text).unwrap();
        have_customers |= *name == "customers.csv";
    }
    if !have_customers {
        std::fs::write(tmp.path().join("customers.csv"), CUSTOMERS).unwrap();
    }
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
            .map(|e| format!("{} {}\n", e.kind.code(), e.message))
            .collect(),
        LoadErrorKind::Syntax(e) => e
            .iter()
            .map(|e| format!("syntax {} {:?}\n", e.message, e.help))
            .collect(),
        LoadErrorKind::Read(e) => panic!("load reads no file: {e}"),
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

fn reason(run: &PayRun, id: &str) -> Option<String> {
    run.not_paid
        .iter()
        .find(|n| n.id == id)
        .map(|n| taxa::report::words::reason(&n.reason, taxa::report::Lang::En).into_owned())
}

#[test]
fn a_keyword_cannot_be_a_name_even_when_it_starts_with_another() {
    let e = check_errors("villkor tillägg: staff = omsorg annars \"x\"\n");
    assert!(e.contains("`tillägg` is a word of the language"), "{e}");
}

#[test]
fn limits_apply_in_order_and_a_row_over_one_takes_no_slot_in_the_next() {
    let rules = r#"tabell tid per activity:
    inköp 60 min/st
    dusch 30 min/st
moment A1 "Insats"
    för aktiviteter där tid[activity] finns
    gräns 1 per kund, aktivitet och dag, ordnat efter start, visit_id annars "over a count limit"
    gräns 2 per kund, aktivitet och iso-vecka, ordnat efter start, visit_id annars "over a count limit"
    betala antal × tid[activity] × 100 kr/h
    rad per activity
moment A2 "Besök"
    för besök
    kräver i A1 annars "no paid activity"
    betala antal × 1 kr/st
"#;
    // Monday twice, Tuesday once, Wednesday once (ISO week 11 of 2025).
    let visits = "visit_id,provider,customer,staff,start,end,activities\n\
        V1,P1,C1,omsorg,2025-03-10T08:00,2025-03-10T09:00,inköp\n\
        V2,P1,C1,omsorg,2025-03-10T10:00,2025-03-10T11:00,inköp\n\
        V3,P1,C1,omsorg,2025-03-11T08:00,2025-03-11T09:00,inköp\n\
        V4,P1,C1,omsorg,2025-03-12T08:00,2025-03-12T09:00,inköp\n";
    let r = run(rules, &[("visits.csv", visits)]);
    // V1 (day 1, week 1), V2 over the day limit (takes no week slot), V3
    // (week 2), V4 over the week limit.
    assert_eq!(amount(&r, "A1"), "200.00");
    assert_eq!(reason(&r, "V2").as_deref(), Some("no paid activity"));
    assert_eq!(reason(&r, "V4").as_deref(), Some("no paid activity"));
    assert_eq!(reason(&r, "V3"), None);
}

#[test]
fn an_event_limit_per_iso_week_counts_the_week() {
    let rules = r#"moment T "Teamkonferens"
    för händelser där kind = teamkonferens
    gräns 1 per utförare och iso-vecka, ordnat efter date, event_id annars "over a count limit"
    betala antal × 1000 kr/st
"#;
    let events = "event_id,provider,customer,date,kind\n\
        E1,P1,,2025-03-10,teamkonferens\nE2,P1,,2025-03-12,teamkonferens\n\
        E3,P1,,2025-03-16,teamkonferens\nE4,P1,,2025-03-17,teamkonferens\n";
    let visits = "visit_id,provider,customer,staff,start,end\n";
    let r = run(rules, &[("visits.csv", visits), ("events.csv", events)]);
    assert_eq!(
        amount(&r, "T"),
        "2000.00",
        "one in week 11 (E1), one in week 12 (E4)"
    );
    assert_eq!(reason(&r, "E2").as_deref(), Some("over a count limit"));
    assert_eq!(reason(&r, "E3").as_deref(), Some("over a count limit"));
}

#[test]
fn an_activity_term_within_another_asks_about_the_same_activity() {
    let rules = r#"moment A1 "Inköp"
    för aktiviteter där activity = inköp
    betala antal × 10 kr/st
moment A3 "Tillägg på insatser i A1"
    för aktiviteter i A1
    betala antal × 1 kr/st
"#;
    let visits = "visit_id,provider,customer,staff,start,end,activities\n\
        V1,P1,C1,omsorg,2025-03-10T08:00,2025-03-10T09:00,inköp|dusch\n";
    let r = run(rules, &[("visits.csv", visits)]);
    assert_eq!(amount(&r, "A1"), "10.00");
    assert_eq!(amount(&r, "A3"), "1.00", "dusch was not paid by A1");
}

#[test]
fn lines_are_kept_only_by_fields_the_rows_have() {
    let e = check_errors(
        "moment T \"x\"\n    för kunddagar\n    betala dagsandel × 1 kr/mån\n    rad per staff\n",
    );
    assert!(e.contains("these rows have no `staff`"), "{e}");
    let e = check_errors("tabell pris per activities:\n    inköp 1 kr/st\n    dusch 2 kr/st\n");
    assert!(e.contains("are a set of codes, not one key"), "{e}");
}

#[test]
fn too_many_classes_is_a_check_error_not_a_crash() {
    let classes: String = (0..9)
        .map(|i| format!("klass k{i}: a{i} om staff = omsorg, annars b{i}\n"))
        .collect();
    let e = check_errors(&classes);
    assert!(e.contains("at most 8 `klass`"), "{e}");
}

#[test]
fn a_supplement_cannot_sum_customer_days() {
    let e = check_errors(
        "moment T \"x\"\n    för besök\n    betala betald_tid × 1 kr/h\ntillägg S \"s\" för utförare\n    betala summa för kunddagar av dagsandel × 1 kr/mån\n",
    );
    assert!(e.contains("priced from other terms' lines"), "{e}");
}

#[test]
fn diagnostics_name_a_band_by_its_declared_name() {
    let e = check_errors(
        "kalender helgdag: svenska helgdagar\ntidsband band:\n    natt klockan 22:00 till 07:00\n    dag övrig tid\ntabell per band: natt dag\n    påslag 30 % 0 %\nmoment T \"x\"\n    för besök\n    betala betald_tid × 100 kr/h × (1 + påslag[band])\n",
    );
    assert!(
        e.contains("add `rad per band`") || e.contains("not kept per `band`"),
        "{e}"
    );
    assert!(!e.contains("tidsband`"), "{e}");
}

#[test]
fn a_price_by_regime_needs_the_provider_in_providers_csv() {
    let src = r#"avtal "Prov" gäller 2025-01-01 till 2025-12-31
kod zone: tätort
kod staff: omsorg
kod regime: kommunal, privat
tabell per regime:   kommunal    privat
    pris             100 kr/h    200 kr/h
moment T "Tid"
    för besök
    betala betald_tid × pris[regime]
"#;
    let contract = load(src, "prov.taxa").unwrap_or_else(|e| panic!("{e:?}"));
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("customers.csv"),
        "customer,provider,from,to,zone\nC1,P1,,,tätort\nC2,P2,,,tätort\n",
    )
    .unwrap();
    std::fs::write(
        tmp.path().join("providers.csv"),
        "provider,name,regime\nP1,Ett,privat\n",
    )
    .unwrap();
    std::fs::write(
        tmp.path().join("visits.csv"),
        "visit_id,provider,customer,staff,start,end\nV1,P1,C1,omsorg,2025-03-03T08:00,2025-03-03T09:00\nV2,P2,C2,omsorg,2025-03-03T08:00,2025-03-03T09:00\n",
    )
    .unwrap();
    let r = pay(&contract, &DataDir::new(tmp.path()), None).unwrap();
    assert_eq!(amount(&r, "T"), "200.00", "P1 at the private rate");
    assert_eq!(
        reason(&r, "V2").as_deref(),
        Some("provider not in providers.csv")
    );
}

#[test]
fn a_term_with_only_warnings_is_still_a_term() {
    let rules = r#"fördelning F "Fond utanför avtalstiden"
    fördela 100 kr i 2024-06
    efter antal kunder den 2024-06-01
    avrunda till hela kronor, största rest, lika rest efter utförare
moment T1 "Tid"
    för besök
    betala betald_tid × 100 kr/h
tak T2 "Tak"
    över T1
    högst 50 kr
"#;
    let src = format!("{HEADER}{rules}");
    let contract = load(&src, "prov.taxa").unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(contract.terms.len(), 3);
    assert_eq!(contract.warnings.len(), 1, "the fund is never paid");
    let visits = "visit_id,provider,customer,staff,start,end\nV1,P1,C1,omsorg,2025-03-03T08:00,2025-03-03T09:00\n";
    let r = run(rules, &[("visits.csv", visits)]);
    assert_eq!(amount(&r, "T1"), "100.00");
    assert_eq!(
        amount(&r, "T2"),
        "-50.00",
        "the cap refers to T1, not to the term after it"
    );
}

#[test]
fn a_row_over_a_later_limit_names_that_limit() {
    let rules = r#"tabell tid per activity:
    inköp 60 min/st
    dusch 30 min/st
moment A1 "Insats"
    för aktiviteter där tid[activity] finns
    gräns 5 per kund, aktivitet och dag, ordnat efter start, visit_id annars "over the day limit"
    gräns 1 per kund, aktivitet och iso-vecka, ordnat efter start, visit_id annars "over the week limit"
    betala antal × tid[activity] × 100 kr/h
    rad per activity
"#;
    let visits = "visit_id,provider,customer,staff,start,end,activities\n\
        V1,P1,C1,omsorg,2025-03-10T08:00,2025-03-10T09:00,inköp\n\
        V2,P1,C1,omsorg,2025-03-11T08:00,2025-03-11T09:00,inköp\n";
    let r = run(rules, &[("visits.csv", visits)]);
    assert_eq!(reason(&r, "V2").as_deref(), Some("over the week limit"));
}

/// domain.md, "Billing months": an explicit `--period` names the billing
/// months, so a month without visit or event rows is billed from the
/// customer-days alone (a granted-time or listing-fee contract pays June
/// from the customers' rows); without `--period`, only months with rows.
#[test]
fn an_explicit_period_bills_its_months_without_rows() {
    let c = load(
        include_str!("../rules/norrtalje-2025.taxa"),
        "rules/norrtalje-2025.taxa",
    )
    .unwrap();
    let data = DataDir::new("examples/norrtalje-2025");
    let june = taxa::eval::Period::parse("2025-06").unwrap();
    let run = pay(&c, &data, Some(june)).unwrap();
    assert_eq!(
        run.reconciliation.visits_in, 0,
        "no June visits in the example"
    );
    assert!(
        !run.statements.is_empty(),
        "June is billed from the listing fees"
    );
    for s in &run.statements {
        assert_eq!(s.period.to_string(), "2025-06");
        assert!(s.lines.iter().all(|l| l.term == "T7"), "{:?}", s.lines);
    }
    // A period reaching past the validity bills only months inside it.
    let wide = taxa::eval::Period::parse("2024-11..2025-01").unwrap();
    let run = pay(&c, &data, Some(wide)).unwrap();
    assert!(
        run.statements
            .iter()
            .all(|s| s.period.to_string() == "2025-01")
    );
    assert!(!run.statements.is_empty());
    // Without a period, only the months of the rows.
    let run = pay(&c, &data, None).unwrap();
    assert!(
        run.statements
            .iter()
            .all(|s| s.period.to_string() != "2025-06")
    );
}

/// A part is unpaid only when no term paid it: complementary windows (day
/// and night) pay all of a visit that crosses 22:00, so nothing is listed;
/// a window alone still lists the time outside it.
#[test]
fn complementary_windows_leave_no_unpaid_part() {
    let both = r#"moment D "Dag"
    för besök
    fönster 07:00 till 22:00 annars "outside the day window"
    betala betald_tid × 400 kr/h
moment N "Natt"
    för besök
    fönster 22:00 till 07:00 annars "outside the night window"
    betala betald_tid × 500 kr/h
"#;
    let visits = "visit_id,provider,customer,staff,start,end\n\
        V1,P1,C1,omsorg,2025-03-10T21:30,2025-03-10T22:30\n\
        V2,P1,C1,omsorg,2025-03-10T10:00,2025-03-10T11:00\n";
    let r = run(both, &[("visits.csv", visits)]);
    assert_eq!(amount(&r, "D"), "600.00", "30 + 60 minutes by day");
    assert_eq!(amount(&r, "N"), "250.00", "30 minutes by night");
    assert!(r.not_paid_parts.is_empty(), "{:?}", r.not_paid_parts);
    // The day window alone: V1's 30 night minutes are unpaid.
    let day = both.split("moment N").next().unwrap();
    let r = run(day, &[("visits.csv", visits)]);
    let parts: Vec<(&str, Option<i64>)> = r
        .not_paid_parts
        .iter()
        .map(|p| (p.id.as_str(), p.seconds))
        .collect();
    assert_eq!(parts, [("V1", Some(1800))]);
}

/// An activity over one term's limit that a later term pays (first meal of
/// the day at the full rate, further ones at an extra rate) is not listed
/// as unpaid; without the second term it is.
#[test]
fn a_limit_that_falls_through_to_another_term_leaves_no_unpaid_part() {
    let rules = r#"moment B "Besöksavgift"
    för besök
    betala antal × 10 kr/st
moment M1 "Första insatsen per dag"
    för aktiviteter där activity = inköp
    gräns 1 per kund, aktivitet och dag, ordnat efter start, visit_id annars "over a count limit"
    betala antal × 100 kr/st
moment M2 "Fler insatser samma dag"
    för aktiviteter där activity = inköp och inte i M1
    betala antal × 40 kr/st
"#;
    let visits = "visit_id,provider,customer,staff,start,end,activities\n\
        V1,P1,C1,omsorg,2025-03-10T08:00,2025-03-10T09:00,inköp\n\
        V2,P1,C1,omsorg,2025-03-10T12:00,2025-03-10T13:00,inköp\n";
    let r = run(rules, &[("visits.csv", visits)]);
    assert_eq!(amount(&r, "M1"), "100.00");
    assert_eq!(amount(&r, "M2"), "40.00");
    assert!(r.not_paid_parts.is_empty(), "{:?}", r.not_paid_parts);
    let first_only = rules.split("moment M2").next().unwrap();
    let r = run(first_only, &[("visits.csv", visits)]);
    let parts: Vec<&str> = r.not_paid_parts.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(parts, ["V2"]);
}

/// Runs a contract over a temp folder and returns the data error's text.
fn data_error(rules: &str, files: &[(&str, &str)]) -> String {
    let src = format!("{HEADER}{rules}");
    let contract = load(&src, "prov.taxa").unwrap_or_else(|e| panic!("rules check: {e:?}"));
    let tmp = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(tmp.path().join(name), text).unwrap();
    }
    match pay(&contract, &DataDir::new(tmp.path()), None) {
        Ok(_) => panic!("expected a data error"),
        Err(e) => format!("{e:?}"),
    }
}

#[test]
fn a_declared_yes_no_customer_field_selects_visits() {
    let rules = r#"fält dubbelbemanning i kunder: ja/nej, tomt = nej
moment T "Dubbel"
    för besök där dubbelbemanning = ja
    betala betald_tid × 100 kr/h
"#;
    let customers = "customer,provider,from,to,zone,dubbelbemanning\n\
        C1,P1,2025-01-01,,tätort,ja\n\
        C2,P1,2025-01-01,,tätort,\n";
    let visits = "visit_id,provider,customer,staff,start,end\n\
        V1,P1,C1,omsorg,2025-03-10T08:00,2025-03-10T09:00\n\
        V2,P1,C2,omsorg,2025-03-10T08:00,2025-03-10T09:00\n";
    let r = run(
        rules,
        &[("customers.csv", customers), ("visits.csv", visits)],
    );
    assert_eq!(amount(&r, "T"), "100.00");
    assert!(reason(&r, "V2").is_some(), "V2 is not selected");
}

#[test]
fn a_declared_code_field_keys_a_prorated_customer_day_rate_and_its_lines() {
    let rules = r#"fält larmtyp i kunder: kod bas, gps, tomt = inget
tabell larmpris per larmtyp:
    bas 200 kr/mån
    gps 350 kr/mån
moment L "Larm"
    för kunddagar där larmtyp finns
    betala dagsandel × larmpris[larmtyp]
    rad per larmtyp
"#;
    let customers = "customer,provider,from,to,zone,larmtyp\n\
        C1,P1,2025-03-01,2025-03-31,tätort,gps\n\
        C2,P1,2025-03-17,2025-03-31,tätort,bas\n\
        C3,P1,2025-03-01,2025-03-31,tätort,\n";
    let visits = "visit_id,provider,customer,staff,start,end\n\
        V1,P1,C1,omsorg,2025-03-10T08:00,2025-03-10T09:00\n";
    let r = run(
        rules,
        &[("customers.csv", customers), ("visits.csv", visits)],
    );
    let lines: Vec<(String, String, String)> = r
        .statements
        .iter()
        .flat_map(|s| &s.lines)
        .filter(|l| l.term == "L")
        .map(|l| {
            (
                l.key[0].name.clone(),
                l.key[0].value.clone(),
                l.amount.to_string(),
            )
        })
        .collect();
    let want = |k: &str, a: &str| ("larmtyp".to_string(), k.to_string(), a.to_string());
    // 15 of March's 31 days at 200 kr/mån is 96.77 kr.
    assert_eq!(lines, [want("bas", "96.77"), want("gps", "350.00")]);
}

#[test]
fn a_declared_number_in_minutes_is_a_quantity_and_an_empty_one_is_not_there() {
    let rules = r#"fält planerad_tid i besök: tal min, tomt = inget
moment P "Planerad tid"
    för besök där planerad_tid finns
    betala planerad_tid × 500 kr/h
"#;
    let visits = "visit_id,provider,customer,staff,start,end,planerad_tid\n\
        V1,P1,C1,omsorg,2025-03-10T08:00,2025-03-10T09:00,45\n\
        V2,P1,C1,omsorg,2025-03-11T08:00,2025-03-11T09:00,\n";
    let r = run(rules, &[("visits.csv", visits)]);
    assert_eq!(amount(&r, "P"), "375.00", "45 min × 500 kr/h");
    assert!(reason(&r, "V2").is_some(), "an empty cell does not exist");
}

#[test]
fn a_declared_column_absent_from_its_file_is_a_data_error() {
    let rules = r#"fält planerad_tid i besök: tal min, tomt = inget
moment P "Planerad tid"
    för besök där planerad_tid finns
    betala planerad_tid × 500 kr/h
"#;
    let visits = "visit_id,provider,customer,staff,start,end\n\
        V1,P1,C1,omsorg,2025-03-10T08:00,2025-03-10T09:00\n";
    let e = data_error(
        rules,
        &[("customers.csv", CUSTOMERS), ("visits.csv", visits)],
    );
    assert!(e.contains("visits.csv"), "{e}");
    assert!(
        e.contains("has no column 'planerad_tid', which the rule file uses"),
        "{e}"
    );
}

#[test]
fn a_bad_cell_in_a_declared_column_names_file_line_and_column() {
    let rules = r#"fält larmtyp i kunder: kod bas, gps
moment L "Larm"
    för kunddagar där larmtyp = gps
    betala dagsandel × 100 kr/mån
"#;
    let customers = "customer,provider,from,to,zone,larmtyp\n\
        C1,P1,2025-03-01,,tätort,gsp\n\
        C2,P1,2025-03-01,,tätort,\n";
    let visits = "visit_id,provider,customer,staff,start,end\n\
        V1,P1,C1,omsorg,2025-03-10T08:00,2025-03-10T09:00\n";
    let e = data_error(
        rules,
        &[("customers.csv", customers), ("visits.csv", visits)],
    );
    for want in [
        "customers.csv",
        "line: 2",
        "column: 6",
        "\"gsp\"",
        "not a larmtyp code declared by the rule file",
        "did you mean",
        "line: 3",
        "larmtyp is required",
    ] {
        assert!(e.contains(want), "{want} in {e}");
    }
}

/// `personal högst 1 utom när dubbelbemanning = ja`: a customer granted
/// double staffing is paid for both staff, another for one; the second
/// staff's time is an unpaid part of the visit.
#[test]
fn a_staff_cap_pays_double_staffing_only_where_it_is_granted() {
    let rules = r#"fält dubbelbemanning i kunder: ja/nej, tomt = nej
moment E1 "Utförd tid"
    för besök där staff = omsorg
    personal högst 1 utom när dubbelbemanning = ja annars "double staffing not granted"
    betala betald_tid × 500 kr/h
"#;
    let customers = "customer,provider,from,to,zone,dubbelbemanning\n\
        C1,P1,2025-01-01,,tätort,ja\n\
        C2,P1,2025-01-01,,tätort,nej\n";
    let visits = "visit_id,provider,customer,staff,start,end,staff_count\n\
        V1,P1,C1,omsorg,2025-03-10T08:00,2025-03-10T09:00,2\n\
        V2,P1,C2,omsorg,2025-03-10T10:00,2025-03-10T10:30,2\n\
        V3,P1,C2,omsorg,2025-03-10T11:00,2025-03-10T11:30,1\n";
    let r = run(
        rules,
        &[("customers.csv", customers), ("visits.csv", visits)],
    );
    // V1: 2 × 1 h; V2: 1 × 0.5 h (not 2); V3: 1 × 0.5 h → 3 h × 500 kr/h.
    assert_eq!(amount(&r, "E1"), "1500.00");
    let parts: Vec<(&str, &str, Option<i64>, String)> = r
        .not_paid_parts
        .iter()
        .map(|p| {
            (
                p.id.as_str(),
                taxa::report::words::part_kind(&p.kind),
                p.seconds,
                taxa::report::words::reason(&p.reason, taxa::report::Lang::En).into_owned(),
            )
        })
        .collect();
    assert_eq!(
        parts,
        [(
            "V2",
            "visit_staff",
            Some(1800),
            "double staffing not granted".to_string()
        )]
    );
    // Without `utom när`, the cap holds for every visit.
    let always = rules.replace(" utom när dubbelbemanning = ja", "");
    let r = run(
        &always,
        &[("customers.csv", customers), ("visits.csv", visits)],
    );
    assert_eq!(amount(&r, "E1"), "1000.00");
    assert_eq!(r.not_paid_parts.len(), 2);
}

/// A `kunder` code field is read on a visit from the customer row covering
/// its date; a `tal` field compares with an amount in its unit; an empty
/// (`inget`) cell makes every comparison false.
#[test]
fn declared_fields_compare_on_visit_rows() {
    let rules = r#"fält larmtyp i kunder: kod bas, gps, tomt = inget
fält planerad_tid i besök: tal min, tomt = inget
moment G "Långa besök hos gps-kunder"
    för besök där larmtyp = gps och planerad_tid > 30 min
    betala betald_tid × 100 kr/h
moment N "Inte gps"
    för besök där larmtyp ≠ gps
    betala antal × 1 kr/st
"#;
    let customers = "customer,provider,from,to,zone,larmtyp\n\
        C1,P1,2025-01-01,2025-03-14,tätort,bas\n\
        C1,P1,2025-03-15,,tätort,gps\n\
        C2,P1,2025-01-01,,tätort,\n";
    let visits = "visit_id,provider,customer,staff,start,end,planerad_tid\n\
        V1,P1,C1,omsorg,2025-03-10T08:00,2025-03-10T09:00,45\n\
        V2,P1,C1,omsorg,2025-03-20T08:00,2025-03-20T09:00,45.5\n\
        V3,P1,C1,omsorg,2025-03-21T08:00,2025-03-21T09:00,30\n\
        V4,P1,C2,omsorg,2025-03-21T08:00,2025-03-21T09:00,60\n";
    let r = run(
        rules,
        &[("customers.csv", customers), ("visits.csv", visits)],
    );
    // Only V2: gps on its date, and 45.5 min > 30 min.
    assert_eq!(amount(&r, "G"), "100.00");
    // V1 (bas on its date); not V4, whose empty larmtyp is not `≠ gps` either.
    assert_eq!(amount(&r, "N"), "1.00");
}

/// A part is unpaid only when no term paid it, for staff too: a term that
/// pays one staff (`personal högst 1`) and a term that pays the second
/// where double staffing is granted leave nothing unpaid; where it is not
/// granted, the second staff's time is still listed.
#[test]
fn a_second_staff_paid_by_another_term_is_not_an_unpaid_part() {
    let rules = r#"fält dubbelbemanning i kunder: ja/nej, tomt = nej
moment E1 "Utförd tid, en personal"
    för besök där staff = omsorg
    personal högst 1 annars "double staffing not granted"
    betala betald_tid × 500 kr/h
moment E2 "Dubbelbemanning, den andra personalen"
    för besök där dubbelbemanning = ja
    betala tid × 300 kr/h
"#;
    let customers = "customer,provider,from,to,zone,dubbelbemanning\n\
        C1,P1,2025-01-01,,tätort,ja\n\
        C2,P1,2025-01-01,,tätort,nej\n";
    let visits = "visit_id,provider,customer,staff,start,end,staff_count\n\
        V1,P1,C1,omsorg,2025-03-10T08:00,2025-03-10T09:00,2\n\
        V2,P1,C2,omsorg,2025-03-10T10:00,2025-03-10T10:30,2\n\
        V3,P1,C1,omsorg,2025-03-10T11:00,2025-03-10T12:00,3\n";
    let files = [("customers.csv", customers), ("visits.csv", visits)];
    let r = run(rules, &files);
    // E1: 1 h + 0.5 h + 1 h at one staff; E2: V1 and V3, 1 h each.
    assert_eq!(amount(&r, "E1"), "1250.00");
    assert_eq!(amount(&r, "E2"), "600.00");
    let parts: Vec<(&str, &str, Option<i64>)> = r
        .not_paid_parts
        .iter()
        .map(|p| {
            (
                p.id.as_str(),
                taxa::report::words::part_kind(&p.kind),
                p.seconds,
            )
        })
        .collect();
    // V1: both staff paid (E1 one, E2 the other). V2: E2 does not select
    // it, so its second staff is unpaid. V3: of three staff, E1 and E2 pay
    // two; the third staff's hour is unpaid.
    assert_eq!(
        parts,
        [
            ("V2", "visit_staff", Some(1800)),
            ("V3", "visit_staff", Some(3600))
        ]
    );
    // Without E2, every extra staff is listed.
    let alone = rules.split("moment E2").next().unwrap();
    let r = run(alone, &files);
    let seconds: Vec<(&str, Option<i64>)> = r
        .not_paid_parts
        .iter()
        .map(|p| (p.id.as_str(), p.seconds))
        .collect();
    assert_eq!(
        seconds,
        [("V1", Some(3600)), ("V2", Some(1800)), ("V3", Some(7200))]
    );
}

/// A window term that caps staff lists the extra staff only for the time
/// it counted, less what a term for the other hours paid.
#[test]
fn a_staff_cap_under_a_window_lists_only_the_staff_no_term_paid() {
    let rules = r#"moment D "Dag, en personal"
    för besök
    fönster 07:00 till 22:00 annars "outside the day window"
    personal högst 1 annars "double staffing not granted"
    betala betald_tid × 400 kr/h
moment N "Natt"
    för besök
    fönster 22:00 till 07:00 annars "outside the night window"
    betala betald_tid × 500 kr/h
"#;
    // 21:00–23:00 with two staff: day 1 h × 1 staff, night 1 h × 2 staff.
    let visits = "visit_id,provider,customer,staff,start,end,staff_count\n\
        V1,P1,C1,omsorg,2025-03-10T21:00,2025-03-10T23:00,2\n";
    let r = run(rules, &[("visits.csv", visits)]);
    assert_eq!(amount(&r, "D"), "400.00");
    assert_eq!(amount(&r, "N"), "1000.00");
    let parts: Vec<(&str, Option<i64>)> = r
        .not_paid_parts
        .iter()
        .map(|p| (p.id.as_str(), p.seconds))
        .collect();
    assert_eq!(parts, [("V1", Some(3600))], "the day hour's second staff");
}

/// Runs a contract over a temp folder for the months of `period`.
fn run_period(rules: &str, files: &[(&str, &str)], period: &str) -> PayRun {
    let src = format!("{HEADER}{rules}");
    let contract = load(&src, "prov.taxa").unwrap_or_else(|e| panic!("rules check: {e:?}"));
    let tmp = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(tmp.path().join(name), text).unwrap();
    }
    let period = taxa::eval::Period::parse(period).unwrap();
    pay(&contract, &DataDir::new(tmp.path()), Some(period)).unwrap()
}

/// (provider, month, term, amount) of every line, in statement order.
fn lines(run: &PayRun) -> Vec<(String, String, String, String)> {
    run.statements
        .iter()
        .flat_map(|s| {
            s.lines.iter().map(move |l| {
                (
                    s.provider.clone(),
                    s.period.to_string(),
                    l.term.clone(),
                    l.amount.to_string(),
                )
            })
        })
        .collect()
}

fn line(p: &str, m: &str, t: &str, a: &str) -> (String, String, String, String) {
    (p.into(), m.into(), t.into(), a.into())
}

const NO_VISITS: &str = "visit_id,provider,customer,staff,start,end\n";

const PROVIDERS: &str = "provider,name,regime,storlek,rapport\n\
    P1,Ett,privat,stor,ja\n\
    P2,Två,kommunal,liten,ja\n\
    P3,Tre,privat,,nej\n";

const FIXED: &str = r#"kod regime: privat, kommunal
fält storlek i utförare: kod liten, stor, tomt = liten
fält rapport i utförare: ja/nej, tomt = nej
tabell fast per storlek:
    liten  5 000 kr/st
    stor  12 000 kr/st
moment F1 "Fast ersättning per månad"
    för utförarmånader där regime = privat
    betala antal × fast[storlek]
    rad per storlek
"#;

/// A fixed fee per provider and month: with `--period`, every provider of
/// providers.csv has a provider-month in every month of the period, with
/// no visit or event rows; the condition reads the provider's regime and
/// the rate its declared field.
#[test]
fn fixed_fees_give_every_listed_provider_a_statement_in_a_month_without_rows() {
    let files = [
        ("providers.csv", PROVIDERS),
        ("customers.csv", CUSTOMERS),
        ("visits.csv", NO_VISITS),
    ];
    let r = run_period(FIXED, &files, "2025-05..2025-06");
    assert_eq!(
        lines(&r),
        [
            line("P1", "2025-05", "F1", "12000.00"),
            line("P1", "2025-06", "F1", "12000.00"),
            line("P3", "2025-05", "F1", "5000.00"),
            line("P3", "2025-06", "F1", "5000.00"),
        ],
        "P2 is kommunal; P3's empty storlek is `liten`"
    );
    assert_eq!(r.reconciliation.visits_in, 0);
    let key = &r.statements[0].lines[0].key;
    assert_eq!(
        (key[0].name.as_str(), key[0].value.as_str()),
        ("storlek", "stor")
    );
    // Without `--period`, the billing months are the months of the rows.
    let visits = "visit_id,provider,customer,staff,start,end\n\
        V1,P9,C1,omsorg,2025-03-10T08:00,2025-03-10T09:00\n";
    let r = run(
        FIXED,
        &[("providers.csv", PROVIDERS), ("visits.csv", visits)],
    );
    assert_eq!(
        lines(&r),
        [
            line("P1", "2025-03", "F1", "12000.00"),
            line("P3", "2025-03", "F1", "5000.00"),
        ]
    );
}

/// `datum` is the month's first day; a requirement refuses a
/// provider-month with one `provider-month` entry per provider, month and
/// reason; `i TERM` narrows to provider-months an earlier term paid.
#[test]
fn a_provider_month_reads_its_date_and_a_refused_one_is_listed() {
    let rules = format!(
        "{FIXED}{}",
        r#"moment F2 "Kvalitetsersättning från juni"
    för utförarmånader där datum >= 2025-06-01
    kräver rapport annars "quality report missing"
    betala antal × 1 000 kr/st
moment F3 "Tillägg på fast ersättning"
    för utförarmånader i F1
    betala antal × 10 kr/st
"#
    );
    let files = [
        ("providers.csv", PROVIDERS),
        ("customers.csv", CUSTOMERS),
        ("visits.csv", NO_VISITS),
    ];
    let r = run_period(&rules, &files, "2025-05..2025-06");
    assert_eq!(
        lines(&r),
        [
            line("P1", "2025-05", "F1", "12000.00"),
            line("P1", "2025-05", "F3", "10.00"),
            line("P1", "2025-06", "F1", "12000.00"),
            line("P1", "2025-06", "F2", "1000.00"),
            line("P1", "2025-06", "F3", "10.00"),
            line("P2", "2025-06", "F2", "1000.00"),
            line("P3", "2025-05", "F1", "5000.00"),
            line("P3", "2025-05", "F3", "10.00"),
            line("P3", "2025-06", "F1", "5000.00"),
            line("P3", "2025-06", "F3", "10.00"),
        ]
    );
    let refused: Vec<(&str, &str, String)> = r
        .not_paid
        .iter()
        .map(|n| {
            (
                n.kind.as_str(),
                n.id.as_str(),
                taxa::report::words::reason(&n.reason, taxa::report::Lang::En).into_owned(),
            )
        })
        .collect();
    assert_eq!(
        refused,
        [(
            "provider-month",
            "P3:2025-06",
            "quality report missing".to_string()
        )]
    );
}

/// A month two versions share (a change on the 16th) has one fixed fee:
/// the earlier version's.
#[test]
fn a_month_two_versions_share_pays_its_fixed_fee_once() {
    let version = |from: &str, to: &str, fee: &str| {
        format!(
            "avtal \"Prov\" gäller {from} till {to}\n\
             kod zone: tätort\nkod staff: omsorg\nkod regime: privat, kommunal\n\
             moment T \"Tid\"\n    för besök\n    betala betald_tid × 100 kr/h\n\
             moment F \"Fast\"\n    för utförarmånader\n    betala antal × {fee} kr/st\n"
        )
    };
    let a = load(&version("2025-01-01", "2025-03-15", "100"), "a.taxa").unwrap();
    let b = load(&version("2025-03-16", "2025-12-31", "200"), "b.taxa").unwrap();
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("providers.csv"),
        "provider,name,regime\nP1,Ett,privat\n",
    )
    .unwrap();
    std::fs::write(tmp.path().join("customers.csv"), CUSTOMERS).unwrap();
    std::fs::write(tmp.path().join("visits.csv"), NO_VISITS).unwrap();
    let period = taxa::eval::Period::parse("2025-03..2025-04").unwrap();
    let r = taxa::eval::pay_versions(&[a, b], &DataDir::new(tmp.path()), Some(period)).unwrap();
    let by_file: Vec<(String, String, String)> = r
        .statements
        .iter()
        .flat_map(|s| {
            s.lines.iter().map(move |l| {
                (
                    s.period.to_string(),
                    l.source.file.clone(),
                    l.amount.to_string(),
                )
            })
        })
        .collect();
    let want = |m: &str, f: &str, a: &str| (m.to_string(), f.to_string(), a.to_string());
    assert_eq!(
        by_file,
        [
            want("2025-03", "a.taxa", "100.00"),
            want("2025-04", "b.taxa", "200.00")
        ]
    );
}

#[test]
fn a_provider_month_term_reads_only_its_providers_fields() {
    let e = check_errors(
        "moment F \"Fast\"\n    för utförarmånader där zone = tätort\n    betala antal × 1 kr/st\n",
    );
    assert!(
        e.contains("`zone` is not a field of a provider-month"),
        "{e}"
    );
    let e = check_errors(
        "moment F \"Fast\"\n    för utförarmånader\n    gräns 1 per utförare, ordnat efter datum annars \"x\"\n    betala antal × 1 kr/st\n",
    );
    assert!(e.contains("not to provider-months"), "{e}");
    let e = check_errors(
        "moment F \"Fast\"\n    för utförarmånader\n    betala dagsandel × 1 kr/mån\n",
    );
    assert!(e.contains("`dagsandel` cannot be measured here"), "{e}");
    let e = check_errors(
        "moment F \"Fast\"\n    för utförarmånader\n    betala antal × 1 kr/st\ntak K \"Tak\"\n    över F per kund\n    högst 1 st\n",
    );
    assert!(e.contains("`F` pays per provider and month"), "{e}");
}

/// `besök ersätts inte`: a contract that prices no visits counts every
/// visit of its validity as not priced — duplicates, unknown customers and
/// all — and lists none of them; a visit outside the validity is still
/// "outside validity". The reconciliation holds with the new count.
#[test]
fn a_contract_that_prices_no_visits_counts_them_without_listing_them() {
    let rules = format!(
        "besök ersätts inte\n{FIXED}{}",
        r#"moment B1 "Beviljad tid"
    för kunddagar
    betala granted_hours × dagsandel × 450 kr/h
"#
    );
    let customers = "customer,provider,from,to,zone,granted_hours\n\
        C1,P1,2025-01-01,,tätort,10\n";
    let visits = "visit_id,provider,customer,staff,start,end\n\
        V1,P1,C1,omsorg,2025-03-10T08:00,2025-03-10T09:00\n\
        V1,P1,C1,omsorg,2025-03-10T08:00,2025-03-10T09:00\n\
        V2,P1,C9,omsorg,2025-03-11T08:00,2025-03-11T09:00\n\
        V3,P2,C1,omsorg,2025-03-12T09:00,2025-03-12T08:00\n\
        V4,P1,C1,omsorg,2024-12-30T08:00,2024-12-30T09:00\n";
    let files = [
        ("providers.csv", PROVIDERS),
        ("customers.csv", customers),
        ("visits.csv", visits),
    ];
    let r = run(&rules, &files);
    let rec = r.reconciliation;
    assert_eq!(
        (rec.visits_in, rec.visits_paid, rec.visits_not_paid),
        (5, 0, 1)
    );
    assert_eq!(rec.visits_not_priced, Some(4));
    let listed: Vec<(&str, String)> = r
        .not_paid
        .iter()
        .map(|n| {
            (
                n.id.as_str(),
                taxa::report::words::reason(&n.reason, taxa::report::Lang::En).into_owned(),
            )
        })
        .collect();
    assert_eq!(listed, [("V4", "outside validity".to_string())]);
    assert!(r.not_paid_parts.is_empty());
    // March is billed from the visit rows: granted time and fixed fees.
    assert_eq!(
        lines(&r),
        [
            line("P1", "2025-03", "F1", "12000.00"),
            line("P1", "2025-03", "B1", "4500.00"),
            line("P3", "2025-03", "F1", "5000.00"),
        ]
    );
    let json = taxa::report::to_json(&r, taxa::report::Lang::Sv);
    assert!(json.contains("\"visits_not_priced\": 4"), "{json}");
    let text = taxa::report::to_text(&r, taxa::report::Lang::En);
    assert!(
        text.contains("5 in = 0 paid + 1 not paid + 4 not priced   balanced"),
        "{text}"
    );
    let text = taxa::report::to_text(&r, taxa::report::Lang::Sv);
    assert!(
        text.contains("5 in = 0 ersatta + 1 ej ersatta + 4 ej prissatta   stämmer"),
        "{text}"
    );
    // A contract that prices visits writes no such count.
    let priced = run(
        "moment T \"Tid\"\n    för besök\n    betala betald_tid × 100 kr/h\n",
        &[("visits.csv", visits)],
    );
    assert_eq!(priced.reconciliation.visits_not_priced, None);
    assert!(!taxa::report::to_json(&priced, taxa::report::Lang::Sv).contains("visits_not_priced"));
}

#[test]
fn besok_ersatts_inte_is_checked_against_the_terms() {
    let pays =
        "besök ersätts inte\nmoment T \"Tid\"\n    för besök\n    betala betald_tid × 100 kr/h\n";
    let e = check_errors(pays);
    assert!(
        e.contains("taxa::misplaced `besök ersätts inte` says this contract prices no visits, but `T` pays them"),
        "{e}"
    );
    let twice = "besök ersätts inte\nbesök ersätts inte\nmoment B \"Tid\"\n    för kunddagar\n    betala dagsandel × 1 kr/mån\n";
    assert!(check_errors(twice).contains("is said twice"));
    // No visit term and not said: a warning, and the contract still pays.
    let src =
        format!("{HEADER}moment B \"Tid\"\n    för kunddagar\n    betala dagsandel × 1 kr/mån\n");
    let c = load(&src, "prov.taxa").unwrap();
    let words: Vec<&str> = c.warnings.iter().map(|w| w.message.as_str()).collect();
    assert_eq!(
        words,
        ["no term pays visits, and the contract does not say that it prices none"]
    );
    let said = format!(
        "{HEADER}besök ersätts inte\nmoment B \"Tid\"\n    för kunddagar\n    betala dagsandel × 1 kr/mån\n"
    );
    assert!(load(&said, "prov.taxa").unwrap().warnings.is_empty());
}

/// Customer-days are priced a run of days at a time (a row's cells are the
/// same each day it covers), so every date a rule compares `datum` with must
/// end a run: `<` and `<=` of a literal, an interval of the row's own dates,
/// an equality of one day, and the days another row of the customer covers.
#[test]
fn customer_days_split_at_every_date_a_rule_compares_with() {
    let rules = r#"moment D1 "Före den elfte"
    för kunddagar där datum < 2025-03-11
    betala dagsandel × 3100 kr/mån
moment D2 "Inskriven"
    för kunddagar där datum inom hsl_from till hsl_to
    betala dagsandel × 310 kr/mån
moment D3 "Till och med den tionde"
    för kunddagar där datum <= 2025-03-10
    betala dagsandel × 31 kr/mån
moment D4 "Den femtonde"
    för kunddagar där datum = 2025-03-15
    betala dagsandel × 3100 kr/mån
moment D5 "Alla dagar"
    för kunddagar
    betala dagsandel × 31 kr/mån
"#;
    let customers = "customer,provider,from,to,zone,hsl_from,hsl_to\n\
        C1,P1,2025-03-01,,tätort,2025-03-05,2025-03-20\n\
        C1,P1,2025-03-25,2025-03-27,tätort,,\n\
        C2,P1,2025-03-11,2025-03-12,tätort,2025-03-12,\n";
    let files = [
        ("customers.csv", customers),
        (
            "visits.csv",
            "visit_id,provider,customer,start,end,staff,staff_count,activities,status\n",
        ),
        ("events.csv", "event_id,provider,customer,date,kind\n"),
        ("providers.csv", "provider,name,regime\nP1,Ett,privat\n"),
    ];
    let run = run_period(rules, &files, "2025-03");
    // C1: days 1–10 (C2's days are 11 and 12).
    assert_eq!(amount(&run, "D1"), "1000.00");
    // C1: 5–20 (16 days); C2: the 12th (an open end).
    assert_eq!(amount(&run, "D2"), "170.00");
    assert_eq!(amount(&run, "D3"), "10.00");
    assert_eq!(amount(&run, "D4"), "100.00");
    // C1: 31 days but 25–27, which both its rows cover (28 days); C2: 2.
    assert_eq!(amount(&run, "D5"), "30.00");
}
