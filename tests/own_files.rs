//! Files a rule file declares of its own (`fil`): a customer's absence
//! periods and a provider's quality results, read like the standard files
//! and attached to the visits, customer-days, events and provider-months
//! their rows cover. Each test is named after the behaviour it guards.

use taxa::check::{LoadErrorKind, load};
use taxa::data::DataDir;
use taxa::eval::{EvalError, Options, PayRun, pay, pay_with};

const HEADER: &str = r#"avtal "Prov" gäller 2025-01-01 till 2025-12-31
kod zone: tätort
kod staff: omsorg
kod status: utförd, bom
kod kind: sip_leda, teamkonferens
fil frånvaro "frånvaro.csv" per kund och period
fält orsak i frånvaro: kod sjukhus, resa, tomt = inget
"#;

const CUSTOMERS: &str = "customer,provider,from,to,zone,granted_hours,alarm\n\
                         C1,P1,2025-01-01,,tätort,31,ja\n\
                         C2,P1,2025-01-01,,tätort,31,ja\n";

/// C1 in hospital 03-10 … 03-14; C2 never absent.
const ABSENCE: &str = "customer,from,to,orsak\nC1,2025-03-10,2025-03-14,sjukhus\n";

fn visit(id: &str, customer: &str, day: u32) -> String {
    format!("{id},P1,{customer},omsorg,2025-03-{day:02}T08:00,2025-03-{day:02}T09:00\n")
}

const VISIT_HEADER: &str = "visit_id,provider,customer,staff,start,end\n";

fn dir(files: &[(&str, &str)]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(tmp.path().join(name), text).unwrap();
    }
    tmp
}

fn try_run(
    header: &str,
    rules: &str,
    files: &[(&str, &str)],
    lenient: bool,
) -> Result<PayRun, EvalError> {
    let src = format!("{header}{rules}");
    let contract = load(&src, "prov.taxa").unwrap_or_else(|e| panic!("rules check: {e:?}"));
    let tmp = dir(files);
    let opts = Options {
        period: None,
        lenient,
        ..Default::default()
    };
    pay_with(
        std::slice::from_ref(&contract),
        &DataDir::new(tmp.path()),
        &opts,
    )
}

fn run(rules: &str, files: &[(&str, &str)]) -> PayRun {
    try_run(HEADER, rules, files, false).unwrap_or_else(|e| panic!("{e}"))
}

fn check_errors(header: &str, rules: &str) -> String {
    let src = format!("{header}{rules}");
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

fn amounts(run: &PayRun) -> Vec<String> {
    run.statements
        .iter()
        .flat_map(|s| {
            s.lines.iter().map(move |l| {
                let key: Vec<String> = l.key.iter().map(|k| k.value.clone()).collect();
                format!("{} {} {} {}", s.provider, l.term, key.join("/"), l.amount)
            })
        })
        .collect()
}

fn not_paid(run: &PayRun) -> Vec<String> {
    run.not_paid
        .iter()
        .map(|n| {
            format!(
                "{} {}: {}",
                n.kind.as_str(),
                n.id,
                taxa::report::words::reason(&n.reason, taxa::report::Lang::En)
            )
        })
        .collect()
}

#[test]
fn a_hospital_stay_leaves_its_visits_and_customer_days_unpaid_with_the_reason() {
    let rules = r#"
villkor hemma: ingen frånvaro annars "customer absent (hospital stay)"
moment T1 "Hemtjänst"
    för besök där staff = omsorg
    kräver hemma
    betala betald_tid × 600 kr/h
moment T2 "Beviljad tid"
    för kunddagar
    kräver hemma
    betala dagsandel × granted_hours × 10 kr/h
moment T3 "Larm"
    för kunddagar där alarm och ingen frånvaro
    betala dagsandel × 310 kr/mån
"#;
    let visits: String = [
        VISIT_HEADER.to_string(),
        visit("V1", "C1", 9),
        visit("V2", "C1", 10),
        visit("V3", "C1", 14),
        visit("V4", "C1", 15),
        visit("V5", "C2", 12),
    ]
    .concat();
    let run = run(
        rules,
        &[
            ("customers.csv", CUSTOMERS),
            ("visits.csv", &visits),
            ("frånvaro.csv", ABSENCE),
        ],
    );
    // T1: V1, V4, V5 = 3 h × 600. T2: (26 + 31) days of 31 h/mån × 10 kr/h
    // = 570. T3: (26 + 31) days × 310/31 = 570; T3's `där` leaves C1's
    // stay unselected, so it gives no not-paid entry of its own.
    assert_eq!(
        amounts(&run),
        ["P1 T1  1800.00", "P1 T2  570.00", "P1 T3  570.00"]
    );
    assert_eq!(
        not_paid(&run),
        [
            "customer-month C1:2025-03: customer absent (hospital stay)",
            "visit V2: customer absent (hospital stay)",
            "visit V3: customer absent (hospital stay)",
        ]
    );
    assert_eq!(run.reconciliation.visits_paid, 3);
}

#[test]
fn a_file_asks_whether_a_row_attaches_and_its_fields_read_the_row() {
    // `frånvaro` and `frånvaro finns`: a row attaches; `orsak finns`: and
    // its cell is not empty; `orsak = …` compares the cell.
    let rules = r#"
moment A "Frånvaro"
    för besök där frånvaro
    betala antal × 1 kr/st
moment B "Frånvaro finns"
    för besök där frånvaro finns
    betala antal × 10 kr/st
moment C "Orsak finns"
    för besök där orsak finns
    betala antal × 100 kr/st
moment D "Sjukhus"
    för besök där orsak = sjukhus
    betala antal × 1000 kr/st
moment E "Inte sjukhus"
    för besök där inte orsak = sjukhus
    betala antal × 10000 kr/st
"#;
    let absence = "customer,from,to,orsak\nC1,2025-03-10,2025-03-14,sjukhus\nC2,2025-03-01,,\n";
    let visits: String = [
        VISIT_HEADER.to_string(),
        visit("V1", "C1", 9),
        visit("V2", "C1", 10),
        visit("V3", "C2", 12),
    ]
    .concat();
    let run = run(
        rules,
        &[
            ("customers.csv", CUSTOMERS),
            ("visits.csv", &visits),
            ("frånvaro.csv", absence),
        ],
    );
    // V1: no row → E only. V2: sjukhus → A, B, C, D. V3: a row with an
    // empty `orsak` → A, B, E.
    assert_eq!(
        amounts(&run),
        [
            "P1 A  2.00",
            "P1 B  20.00",
            "P1 C  100.00",
            "P1 D  1000.00",
            "P1 E  20000.00"
        ]
    );
}

#[test]
fn an_event_attaches_by_its_customer_and_date_and_one_without_a_customer_never() {
    let rules = r#"
moment S "SIP"
    för händelser där kind = sip_leda och ingen frånvaro
    betala antal × 1500 kr/st
moment K "Konferens under frånvaro"
    för händelser där kind = teamkonferens och frånvaro
    betala antal × 1200 kr/st
"#;
    let events = "event_id,provider,customer,date,kind\n\
                  E1,P1,C1,2025-03-11,sip_leda\n\
                  E2,P1,C1,2025-03-15,sip_leda\n\
                  E3,P1,,2025-03-11,sip_leda\n\
                  E4,P1,C1,2025-03-12,teamkonferens\n\
                  E5,P1,,2025-03-12,teamkonferens\n";
    let visits = [VISIT_HEADER.to_string(), visit("V1", "C2", 3)].concat();
    let run = run(
        rules,
        &[
            ("customers.csv", CUSTOMERS),
            ("visits.csv", &visits),
            ("events.csv", events),
            ("frånvaro.csv", ABSENCE),
        ],
    );
    assert_eq!(amounts(&run), ["P1 S  3000.00", "P1 K  1200.00"]);
    // E1: C1 in hospital; E5: no customer, so no row attaches.
    assert_eq!(
        not_paid(&run),
        [
            "event E1: event kind not paid by this contract",
            "event E5: event kind not paid by this contract",
            "visit V1: not paid by any term of this contract",
        ]
    );
}

#[test]
fn a_quality_level_per_provider_keys_a_rate_and_a_supplement_by_the_month_s_first_day() {
    let header = r#"avtal "Prov" gäller 2025-01-01 till 2025-12-31
kod zone: tätort
kod staff: omsorg
fil kvalitet "kvalitet.csv" per utförare och period
fält kvalitetsnivå i kvalitet: kod bas, god, utmärkt
"#;
    let rules = r#"
tabell per kvalitetsnivå:   bas       god       utmärkt
    timpris                 500 kr/h  510 kr/h  530 kr/h
moment T1 "Hemtjänst"
    för besök där staff = omsorg
    kräver kvalitetsnivå finns annars "no quality result for the provider on that date"
    betala betald_tid × timpris[kvalitetsnivå]
    rad per kvalitetsnivå
tillägg KB "Kvalitetsbonus" för utförare där kvalitetsnivå = utmärkt
    betala 2 % × summa T1
"#;
    // P1: god until 04-30, utmärkt from 05-01. P2: utmärkt from 04-15 only.
    let quality = "provider,from,to,kvalitetsnivå\n\
                   P1,2025-01-01,2025-04-30,god\n\
                   P1,2025-05-01,2025-08-31,utmärkt\n\
                   P2,2025-04-15,2025-08-31,utmärkt\n";
    let customers =
        "customer,provider,from,to,zone\nC1,P1,2025-01-01,,tätort\nC2,P2,2025-01-01,,tätort\n";
    let visits = "visit_id,provider,customer,staff,start,end\n\
                  V1,P1,C1,omsorg,2025-04-30T08:00,2025-04-30T09:00\n\
                  V2,P1,C1,omsorg,2025-05-01T08:00,2025-05-01T09:00\n\
                  V3,P2,C2,omsorg,2025-04-14T08:00,2025-04-14T09:00\n\
                  V4,P2,C2,omsorg,2025-04-15T08:00,2025-04-15T09:00\n\
                  V5,P2,C2,omsorg,2025-05-02T08:00,2025-05-02T09:00\n";
    let run = try_run(
        header,
        rules,
        &[
            ("customers.csv", customers),
            ("visits.csv", visits),
            ("kvalitet.csv", quality),
        ],
        false,
    )
    .unwrap();
    let by_month: Vec<String> = run
        .statements
        .iter()
        .flat_map(|s| {
            s.lines.iter().map(move |l| {
                let key: Vec<String> = l.key.iter().map(|k| k.value.clone()).collect();
                format!(
                    "{} {} {} {} {}",
                    s.provider,
                    s.period,
                    l.term,
                    key.join("/"),
                    l.amount
                )
            })
        })
        .collect();
    // A visit reads its own date; the supplement the month's first day:
    // P2's April (first day 04-01 not covered) gets no bonus, May does.
    assert_eq!(
        by_month,
        [
            "P1 2025-04 T1 god 510.00",
            "P1 2025-05 T1 utmärkt 530.00",
            "P1 2025-05 KB  10.60",
            "P2 2025-04 T1 utmärkt 530.00",
            "P2 2025-05 T1 utmärkt 530.00",
            "P2 2025-05 KB  10.60",
        ]
    );
    assert_eq!(
        not_paid(&run),
        ["visit V3: no quality result for the provider on that date"]
    );
}

#[test]
fn customer_day_sums_of_a_cap_and_a_fund_s_filter_read_the_attached_rows() {
    let rules = r#"
moment T1 "Hemtjänst"
    för besök där staff = omsorg
    betala betald_tid × 600 kr/h
tak T2 "Tak" över T1 högst summa för kunddagar där ingen frånvaro av dagsandel × granted_hours × 600 kr/h
fördelning F "Stimulans" fördela 1000 kr i 2025-03
    efter antal kunder den 2025-03-12 där ingen frånvaro
    avrunda till hela kronor, största rest, lika rest efter utförare
"#;
    let customers = "customer,provider,from,to,zone,granted_hours,alarm\n\
                     C1,P1,2025-01-01,,tätort,3.1,ja\n\
                     C2,P2,2025-01-01,,tätort,3.1,ja\n\
                     C3,P2,2025-01-01,,tätort,3.1,ja\n";
    let visits: String = [
        VISIT_HEADER.to_string(),
        visit("V1", "C1", 3),
        visit("V2", "C1", 4),
        visit("V3", "C1", 5),
        visit("V4", "C1", 6),
    ]
    .concat();
    let run = run(
        rules,
        &[
            ("customers.csv", customers),
            ("visits.csv", &visits),
            ("frånvaro.csv", ABSENCE),
        ],
    );
    // P1: T1 4 h × 600 = 2400; the bound is C1's 26 days at home × 3.1/31
    // h × 600 = 1560, so T2 takes back 840. The fund counts C2 and C3 (C1
    // is in hospital on 03-12): all 1000 kr to P2.
    assert_eq!(
        amounts(&run),
        ["P1 T1  2400.00", "P1 T2  -840.00", "P2 F  1000"]
    );
}

#[test]
fn the_winner_of_overlapping_rows_does_not_depend_on_their_order() {
    let rules = r#"
moment R "Resa"
    för besök där orsak = resa
    betala antal × 1 kr/st
moment S "Sjukhus"
    för besök där orsak = sjukhus
    betala antal × 10 kr/st
"#;
    let visits: String = [
        VISIT_HEADER.to_string(),
        visit("V1", "C1", 11),
        visit("V2", "C1", 13),
    ]
    .concat();
    let rows = [
        "C1,2025-03-12,2025-03-20,sjukhus\n",
        "C1,2025-03-10,2025-03-14,resa\n",
    ];
    let mut seen = Vec::new();
    for order in [[0, 1], [1, 0]] {
        let absence = format!(
            "customer,from,to,orsak\n{}{}",
            rows[order[0]], rows[order[1]]
        );
        let run = run(
            rules,
            &[
                ("customers.csv", CUSTOMERS),
                ("visits.csv", &visits),
                ("frånvaro.csv", &absence),
            ],
        );
        assert_eq!(run.warnings.len(), 1, "{:?}", run.warnings);
        assert!(
            run.warnings[0].message.contains("overlaps"),
            "{}",
            run.warnings[0]
        );
        seen.push(amounts(&run));
    }
    // V2 on 03-13 is in both: `resa` starts first.
    assert_eq!(seen[0], ["P1 R  2.00"]);
    assert_eq!(seen[0], seen[1]);
}

#[test]
fn bad_cells_of_an_own_file_stop_the_run_with_file_line_column_and_text() {
    let rules =
        "moment T1 \"Hemtjänst\"\n    för besök där ingen frånvaro\n    betala antal × 1 kr/st\n";
    let visits = [VISIT_HEADER.to_string(), visit("V1", "C1", 3)].concat();
    let absence = "customer,from,to,orsak\nC1,2025-03-32,,sjukhus\nC2,2025-03-01,,sjukhem\n";
    let files = [
        ("customers.csv", CUSTOMERS),
        ("visits.csv", visits.as_str()),
        ("frånvaro.csv", absence),
    ];
    let Err(EvalError::Data(errors)) = try_run(HEADER, rules, &files, false) else {
        panic!("a bad cell stops the run");
    };
    let shown: Vec<String> = errors.errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(
        shown,
        [
            "frånvaro.csv:2:2: from \"2025-03-32\": no such date in the calendar: expected a real \
             date as YYYY-MM-DD (or empty)",
            "frånvaro.csv:3:4: orsak \"sjukhem\": not a orsak code declared by the rule file; \
             declared: sjukhus, resa (did you mean 'sjukhus'?)",
        ]
    );
    // Lenient: the rows are listed as not paid, the others read.
    let run = try_run(HEADER, rules, &files, true).unwrap();
    assert_eq!(
        not_paid(&run),
        [
            "file-row frånvaro.csv:2: unreadable from: no such date in the calendar: expected a \
             real date as YYYY-MM-DD (or empty) (`2025-03-32`)",
            "file-row frånvaro.csv:3: unreadable orsak: not a orsak code declared by the rule \
             file; declared: sjukhus, resa (did you mean 'sjukhus'?) (`sjukhem`)",
        ]
    );
    assert_eq!(amounts(&run), ["P1 T1  1.00"]);
}

#[test]
fn a_missing_own_file_is_a_data_error_naming_it_and_its_declaration() {
    let rules =
        "moment T1 \"Hemtjänst\"\n    för besök där ingen frånvaro\n    betala antal × 1 kr/st\n";
    let visits = [VISIT_HEADER.to_string(), visit("V1", "C1", 3)].concat();
    let files = [
        ("customers.csv", CUSTOMERS),
        ("visits.csv", visits.as_str()),
    ];
    for lenient in [false, true] {
        let Err(EvalError::Data(errors)) = try_run(HEADER, rules, &files, lenient) else {
            panic!("a missing own file stops the run");
        };
        let e = &errors.file_errors[0];
        assert_eq!(e.file, "frånvaro.csv");
        assert!(
            e.message.starts_with("file not found: ")
                && e.message.ends_with(
                    "which the rule file declares (`fil frånvaro \"frånvaro.csv\" per kund och period`)"
                ),
            "{}",
            e.message
        );
    }
}

#[test]
fn an_own_file_s_key_columns_and_fields_read_a_swedish_export() {
    let header = HEADER.replace(
        "fält orsak i frånvaro: kod sjukhus, resa, tomt = inget\n",
        "fält orsak i frånvaro, kolumn \"Orsak\": kod sjukhus, resa, tomt = inget\n\
         rubriker i frånvaro: customer = \"Kund-ID\", from = \"Från\", to = \"Till\"\n",
    );
    let rules =
        "moment T1 \"Hemtjänst\"\n    för besök där orsak = sjukhus\n    betala antal × 1 kr/st\n";
    let visits = [VISIT_HEADER.to_string(), visit("V1", "C1", 11)].concat();
    let absence = "Kund-ID;Från;Till;Orsak\nC1;2025-03-10;2025-03-14;sjukhus\n";
    let files = [
        ("customers.csv", CUSTOMERS),
        ("visits.csv", visits.as_str()),
        ("frånvaro.csv", absence),
    ];
    let run = try_run(&header, rules, &files, false).unwrap();
    assert_eq!(amounts(&run), ["P1 T1  1.00"]);
    // The standard headers are then missing, and named as mapped.
    let files = [
        ("customers.csv", CUSTOMERS),
        ("visits.csv", visits.as_str()),
        ("frånvaro.csv", ABSENCE),
    ];
    let Err(EvalError::Data(errors)) = try_run(&header, rules, &files, false) else {
        panic!("mapped headers are required");
    };
    assert_eq!(
        errors.file_errors[0].to_string(),
        "frånvaro.csv:1: has no column 'Kund-ID' (customer, as the rule file maps it)"
    );
}

#[test]
fn versions_must_declare_the_same_files() {
    let first = format!(
        "{HEADER}moment T1 \"H\"\n    för besök där ingen frånvaro\n    betala antal × 1 kr/st\n"
    );
    let second = first
        .replace(
            "gäller 2025-01-01 till 2025-12-31",
            "gäller 2026-01-01 till 2026-12-31",
        )
        .replace("\"frånvaro.csv\"", "\"franvaro.csv\"");
    let a = load(&first, "a.taxa").unwrap();
    let b = load(&second, "b.taxa").unwrap();
    let tmp = dir(&[("customers.csv", CUSTOMERS), ("visits.csv", VISIT_HEADER)]);
    let e = pay_with(&[a, b], &DataDir::new(tmp.path()), &Options::default()).unwrap_err();
    assert!(matches!(e, EvalError::FieldsDiffer { .. }), "{e}");
}

#[test]
fn where_a_file_cannot_attach_the_checker_says_so() {
    let e = check_errors(
        HEADER,
        "moment T1 \"H\"\n    för besök där ingen frånvaro\n    betala antal × 1 kr/st\n\
         tillägg B \"Bonus\" för utförare där orsak = resa\n    betala 2 % × summa T1\n",
    );
    assert_eq!(
        e,
        "taxa::misplaced `orsak` cannot be read in a supplement's filter: the rows of `frånvaro` \
         attach to a customer on a date (`per kund och period`), and a supplement's filter is per \
         provider and month\n"
    );
    let e = check_errors(
        HEADER,
        "moment T1 \"H\"\n    för besök där ingen alarm\n    betala antal × 1 kr/st\n",
    );
    assert!(
        e.starts_with("taxa::unknown_name `alarm` is not a file the rule file declares"),
        "{e}"
    );
    let e = check_errors(HEADER, "fil besök \"besök.csv\" per kund och period\n");
    assert!(e.contains("`besök` is a word of the language"), "{e}");
    let e = check_errors(HEADER, "fält fil i kunder: ja/nej\n");
    assert!(e.contains("`fil` is a word of the language"), "{e}");
    // `ingen` stays a name: a code can be called so.
    let e = check_errors(HEADER, "fält larm i kunder: kod ingen, bas, tomt = ingen\n");
    assert_eq!(e, "");
}

#[test]
fn a_contract_without_own_files_pays_as_before() {
    // The fixture a run without `fil` reads: nothing else is opened.
    let src = "avtal \"Prov\" gäller 2025-01-01 till 2025-12-31\nkod staff: omsorg\n\
               moment T1 \"H\"\n    för besök där staff = omsorg\n    betala antal × 1 kr/st\n";
    let contract = load(src, "prov.taxa").unwrap();
    assert!(contract.files.is_empty());
    let visits = [VISIT_HEADER.to_string(), visit("V1", "C1", 3)].concat();
    let tmp = dir(&[
        ("customers.csv", CUSTOMERS),
        ("visits.csv", &visits),
        ("frånvaro.csv", "not even a header"),
    ]);
    let run = pay(&contract, &DataDir::new(tmp.path()), None).unwrap();
    assert_eq!(amounts(&run), ["P1 T1  1.00"]);
}
