//! The engine's checks as the rule file declares them (`kontroller`,
//! LANGUAGE.md 3.30): relaxed, reordered, re-worded, with a limit of its
//! own; and the statement's language. Each expectation is worked by hand
//! in the comment beside it.

use taxa::check::load;
use taxa::data::DataDir;
use taxa::eval::{PayRun, pay};
use taxa::report::{Lang, to_json, to_text, words};

const HEADER: &str = r#"avtal "Prov" gäller 2025-01-01 till 2025-12-31
kod zone: tätort
kod staff: omsorg
kod kind: nytt_ärende
moment T1 "Tid"
    för besök
    betala betald_tid × 400 kr/h
moment E1 "Startavgift"
    för händelser där kind = nytt_ärende
    kontrollera kund
    betala antal × 1000 kr/st
"#;

/// C1 chose P1 for the whole year.
const CUSTOMERS: &str = "customer,provider,from,to,zone\nC1,P1,2025-01-01,,tätort\n";
const PROVIDERS: &str = "provider,name,regime\nP1,Ett,privat\nP2,Två,privat\n";

fn run(checks: &str, visits: &str, events: &str) -> PayRun {
    let src = format!("{HEADER}{checks}");
    let contract = load(&src, "prov.taxa").unwrap_or_else(|e| panic!("rules check: {e:?}"));
    let tmp = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("customers.csv", CUSTOMERS),
        ("providers.csv", PROVIDERS),
        ("visits.csv", visits),
        ("events.csv", events),
    ] {
        std::fs::write(tmp.path().join(name), text).unwrap();
    }
    pay(&contract, &DataDir::new(tmp.path()), None).unwrap()
}

/// `provider period term amount` of every line.
fn lines(r: &PayRun) -> Vec<String> {
    r.statements
        .iter()
        .flat_map(|s| {
            s.lines
                .iter()
                .map(move |l| format!("{} {} {} {}", s.provider, s.period, l.term, l.amount))
        })
        .collect()
}

/// `id: reason [check] @source` of every not-paid entry, in `lang`.
fn not_paid(r: &PayRun, lang: Lang) -> Vec<String> {
    r.not_paid
        .iter()
        .map(|n| {
            format!(
                "{}: {} [{}] @{}",
                n.id,
                words::reason(&n.reason, lang),
                words::check_code(&n.reason).unwrap_or_default(),
                n.source.as_ref().map_or("-".to_string(), |s| s.to_string())
            )
        })
        .collect()
}

const VISITS_HEAD: &str = "visit_id,provider,customer,staff,start,end\n";
const NO_EVENTS: &str = "event_id,provider,customer,date,kind\n";

/// The prelude's default, restated without `annan utförare`: a substitute
/// provider's visits are paid to the provider who performed them.
const SUBSTITUTES_PAID: &str = "kontroller för besök:
    dubblett
    slut inte efter start
    längre än 24 h
    utanför avtalstiden
    okänd kund
    kundrader överlappar
";

#[test]
fn without_annan_utforare_a_substitute_providers_visit_is_paid_to_that_provider() {
    // V1: P1 (the customer's provider) 1 h; V2: P2 stands in, 30 min.
    let visits = format!(
        "{VISITS_HEAD}V1,P1,C1,omsorg,2025-03-03T08:00,2025-03-03T09:00\n\
         V2,P2,C1,omsorg,2025-03-04T08:00,2025-03-04T08:30\n"
    );
    // E1 by P1, E2 by P2, both for C1.
    let events =
        format!("{NO_EVENTS}E1,P1,C1,2025-03-03,nytt_ärende\nE2,P2,C1,2025-03-04,nytt_ärende\n");
    // The default: V2 and E2 are refused (`annan utförare`), in the
    // engine's words; V1 = 1 h × 400 = 400.00, E1 = 1 000.00.
    let strict = run("", &visits, &events);
    assert_eq!(
        lines(&strict),
        ["P1 2025-03 T1 400.00", "P1 2025-03 E1 1000.00"]
    );
    assert_eq!(
        not_paid(&strict, Lang::Sv),
        [
            "E2: annan utförare än kundens [provider_differs] @prov.taxa:8:1",
            "V2: annan utförare än kundens [provider_differs] @-",
        ]
    );
    assert_eq!(
        not_paid(&strict, Lang::En)[1],
        "V2: provider differs [provider_differs] @-"
    );
    // Relaxed: V2 = 0.5 h × 400 = 200.00 on P2's statement; E2 (its
    // customer known, `kontrollera kund` making the visits' checks) is
    // 1 000.00 to P2. Nothing is refused.
    let relaxed = run(SUBSTITUTES_PAID, &visits, &events);
    assert_eq!(
        lines(&relaxed),
        [
            "P1 2025-03 T1 400.00",
            "P1 2025-03 E1 1000.00",
            "P2 2025-03 T1 200.00",
            "P2 2025-03 E1 1000.00",
        ]
    );
    assert!(relaxed.not_paid.is_empty(), "{:?}", relaxed.not_paid);
    assert_eq!(relaxed.reconciliation.visits_paid, 2);
}

#[test]
fn a_limit_of_36_hours_pays_a_30_hour_visit_and_refuses_a_37_hour_one() {
    let visits = format!(
        "{VISITS_HEAD}V30,P1,C1,omsorg,2025-03-03T08:00,2025-03-04T14:00\n\
         V37,P1,C1,omsorg,2025-03-10T08:00,2025-03-11T21:00\n"
    );
    let with = |limit: &str| {
        format!(
            "kontroller för besök:
    dubblett
    slut inte efter start
    {limit}
    utanför avtalstiden
    okänd kund
    kundrader överlappar
    annan utförare
"
        )
    };
    // The default 24 h: both are refused.
    let default = run("", &visits, NO_EVENTS);
    assert_eq!(lines(&default), Vec::<String>::new());
    assert_eq!(
        not_paid(&default, Lang::Sv),
        [
            "V30: längre än 24 timmar [longer_than_24h] @-",
            "V37: längre än 24 timmar [longer_than_24h] @-",
        ]
    );
    // 36 h: V30 = 30 h × 400 = 12 000.00; V37 is refused, citing the
    // check's line (the header is 11 lines, `kontroller` line 12, the limit 15).
    let r = run(&with("längre än 36 h"), &visits, NO_EVENTS);
    assert_eq!(lines(&r), ["P1 2025-03 T1 12000.00"]);
    assert_eq!(
        not_paid(&r, Lang::Sv),
        ["V37: längre än 36 timmar [longer_than_36h] @prov.taxa:15:5"]
    );
    assert_eq!(
        not_paid(&r, Lang::En),
        ["V37: longer than 36 hours [longer_than_36h] @prov.taxa:15:5"]
    );
    // Left out: both are paid, (30 + 37) h × 400 = 26 800.00.
    let r = run(&with(""), &visits, NO_EVENTS);
    assert_eq!(lines(&r), ["P1 2025-03 T1 26800.00"]);
    assert!(r.not_paid.is_empty());
}

#[test]
fn reordered_checks_give_the_first_that_applies_in_the_rule_files_words() {
    // V1 ends before it starts and lies outside the validity (2024);
    // V2 is the customer's, but 25 hours long and by P2.
    let visits = format!(
        "{VISITS_HEAD}V1,P1,C1,omsorg,2024-12-31T10:00,2024-12-31T09:00\n\
         V2,P2,C1,omsorg,2025-03-03T08:00,2025-03-04T09:00\n"
    );
    let default = run("", &visits, NO_EVENTS);
    assert_eq!(
        not_paid(&default, Lang::Sv),
        [
            "V1: sluttiden är inte efter starttiden [end_not_after_start] @-",
            "V2: längre än 24 timmar [longer_than_24h] @-",
        ]
    );
    let reordered = "kontroller för besök:
    utanför avtalstiden     annars \"besöket ligger utanför avtalet\"
    annan utförare          annars \"vikarierande utförare\"
    dubblett
    slut inte efter start
    längre än 24 h
    okänd kund
    kundrader överlappar
";
    let r = run(reordered, &visits, NO_EVENTS);
    // The rule file's words are printed as written in either language.
    for lang in [Lang::Sv, Lang::En] {
        assert_eq!(
            not_paid(&r, lang),
            [
                "V1: besöket ligger utanför avtalet [outside_validity] @prov.taxa:13:5",
                "V2: vikarierande utförare [provider_differs] @prov.taxa:14:5",
            ]
        );
    }
    let json = to_json(&r, Lang::En);
    assert!(
        json.contains(
            "\"reason\": \"vikarierande utförare\",\n      \"check\": \"provider_differs\""
        ),
        "{json}"
    );
}

#[test]
fn events_take_their_checks_in_the_declared_order() {
    // E1 twice with different content, both in 2024 (outside validity).
    let events =
        format!("{NO_EVENTS}E1,P1,,2024-12-30,nytt_ärende\nE1,P1,,2024-12-31,nytt_ärende\n");
    let visits = VISITS_HEAD;
    let default = run("", visits, &events);
    assert_eq!(
        not_paid(&default, Lang::En),
        [
            "E1: duplicate [duplicate] @-",
            "E1: duplicate [duplicate] @-"
        ]
    );
    let r = run(
        "kontroller för händelser:\n    utanför avtalstiden annars \"före avtalet\"\n    dubblett\n",
        visits,
        &events,
    );
    assert_eq!(
        not_paid(&r, Lang::En),
        [
            "E1: före avtalet [outside_validity] @prov.taxa:13:5",
            "E1: före avtalet [outside_validity] @prov.taxa:13:5",
        ]
    );
}

#[test]
fn the_statement_is_swedish_by_default_and_english_on_request() {
    let visits = format!(
        "{VISITS_HEAD}V1,P1,C1,omsorg,2025-03-03T08:00,2025-03-03T09:00\n\
         V1,P1,C1,omsorg,2025-03-03T08:00,2025-03-03T10:00\n\
         V3,P1,C9,omsorg,2025-03-03T08:00,2025-03-03T09:00\n"
    );
    let r = run("", &visits, NO_EVENTS);
    let sv = to_text(&r, Lang::Sv);
    for w in [
        "Ej ersatt (3)",
        "besök  V1  P1 2025-03  dubblett ",
        "(motorns kontroll)",
        "okänd kund den dagen",
        "Delvis ersatt (0)",
        "Avstämning",
        "besök      3 in = 0 ersatta + 3 ej ersatta   stämmer",
        "Underlag: inga",
    ] {
        assert!(sv.contains(w), "{w}\n{sv}");
    }
    let en = to_text(&r, Lang::En);
    for w in [
        "Not paid (3)",
        "visit  V1  P1 2025-03  duplicate ",
        "(engine check)",
        "unknown customer on that date",
        "Reconciliation",
        "visits  3 in = 0 paid + 3 not paid   balanced",
    ] {
        assert!(en.contains(w), "{w}\n{en}");
    }
    // JSON: the same fields and codes; only the reason's words change.
    let (jsv, jen) = (to_json(&r, Lang::Sv), to_json(&r, Lang::En));
    assert!(jsv.contains("\"kind\": \"visit\"") && jen.contains("\"kind\": \"visit\""));
    assert_eq!(jsv.matches("\"check\": \"duplicate\"").count(), 2);
    assert_eq!(
        jsv.replace("okänd kund den dagen", "unknown customer on that date")
            .replace("dubblett", "duplicate"),
        jen
    );
}
