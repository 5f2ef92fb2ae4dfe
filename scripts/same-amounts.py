#!/usr/bin/env python3
"""same-amounts.py BASE_REF: after `scripts/same-output.sh BASE_REF`, shows that
the outputs differ from BASE_REF's only in words (issue 11, points 4 and 5).

For every JSON output of target/same-output/{base,new}: the base's English
reasons and explanations are mapped to the Swedish ones (the bundled rule
files' new words and the engine's), its sources to the rule files' shifted
lines, and the new `check` codes dropped (an engine-check entry's new
`source`, the declaration's line, is dropped where the base had none); then
both must be equal. For every text output: the same amounts (`… kr`) in the
same order. Diagnostic cases of files the base cannot read (`kontroller`)
are listed, not compared. Exit 1 on any other difference.
"""
import difflib, glob, json, os, re, subprocess, sys

BASE = sys.argv[1] if len(sys.argv) > 1 else "dfd0c12"
WORK = "target/same-output"

WORDS = {
    "staff category not paid by this contract": "personalkategorin ersätts inte enligt avtalet",
    "over a count limit": "över antalsgränsen",
    "missed visit without planned time": "bomtid utan planerad tid",
    "missed visit": "bomtid ersätts inte",
    "not enrolled in home health care": "inte inskriven i hemsjukvården",
    "enrolment without referral": "inskrivning utan remiss",
    "quality report not submitted": "kvalitetsrapporten är inte inlämnad",
    "outside the paid time window": "utanför den ersatta tiden på dygnet",
    "no paid activity": "ingen ersatt insats",
    "no need level on that date": "ingen behovsnivå den dagen",
    "double staffing not granted": "dubbelbemanning är inte beviljad",
    "customer absent on that date": "kunden är frånvarande den dagen",
    "covered by the level payment": "ingår i nivåersättningen",
    "alarm not paid during a hospital stay or short-term care":
        "larm ersätts inte under sjukhusvistelse eller korttidsvård",
    "duplicate": "dubblett",
    "end not after start": "sluttiden är inte efter starttiden",
    "longer than 24 hours": "längre än 24 timmar",
    "outside validity": "utanför avtalstiden",
    "unknown customer on that date": "okänd kund den dagen",
    "customer rows overlap on that date": "kundens rader överlappar den dagen",
    "provider differs": "annan utförare än kundens",
    "provider not in providers.csv": "utföraren finns inte i providers.csv",
    "not paid by any term of this contract": "ersätts inte av något moment i avtalet",
    "event kind not paid by this contract": "händelsetypen ersätts inte enligt avtalet",
    "too near the ends of years 1–9999 to place in local time":
        "för nära början av år 1 eller slutet av år 9999 för att placeras i lokal tid",
}
EXPLAIN = [(" kr exceeds the cap ", " kr överstiger taket "), (" kr by ", " kr med "),
           (" over the cap × ", " över taket × "), (" customers on ", " kunder den "),
           ("whole kronor by largest remainder", "hela kronor efter största rest")]

maps = {}
def line_of(path, n):
    if path not in maps:
        old = subprocess.run(["git", "show", f"{BASE}:{path}"], capture_output=True,
                             text=True).stdout.splitlines()
        new = open(path).read().splitlines() if os.path.exists(path) else []
        m = {}
        for a, b, k in difflib.SequenceMatcher(None, old, new, autojunk=False).get_matching_blocks():
            for i in range(k):
                m[a + i + 1] = b + i + 1
        maps[path] = m
    m = maps[path]
    if n in m:
        return m[n]
    above = max((k for k in m if k < n), default=None)
    return m[above] + n - above if above else n

def source(s):
    mm = re.match(r"^((?:rules|examples)/.*\.taxa):(\d+):(\d+)$", s or "")
    return f"{mm[1]}:{line_of(mm[1], int(mm[2]))}:{mm[3]}" if mm else s

def reason(r):
    if r in WORDS:
        return WORDS[r]
    if r.startswith("unreadable "):
        return "oläsbar " + r[len("unreadable "):]
    return r

def fix_base(v):
    for st in v.get("statements", []):
        for l in st["lines"]:
            l["source"] = source(l["source"])
            for a, b in EXPLAIN:
                l["explanation"] = l["explanation"].replace(a, b)
    for key in ("not_paid", "not_paid_parts"):
        for n in v.get(key, []):
            n["reason"] = reason(n["reason"])
            if "source" in n:
                n["source"] = source(n["source"])
    return v

def fix_new(v, base):
    for key in ("not_paid", "not_paid_parts"):
        for n, b in zip(v.get(key, []), base.get(key, [])):
            if "check" in n and "source" in n and "source" not in b:
                del n["source"]
            n.pop("check", None)
    return v

def amounts(text):
    return re.findall(r"-?\d[\d ]*,\d\d kr", text)

bad, words_only, unreadable = [], 0, []
for new_path in sorted(glob.glob(f"{WORK}/new/*.out")):
    name = os.path.basename(new_path)
    base_path = f"{WORK}/base/{name}"
    a, b = open(base_path).read(), open(new_path).read()
    if a == b:
        continue
    if a.lstrip().startswith("{") and b.lstrip().startswith("{"):
        va, vb = fix_base(json.loads(a)), json.loads(b)
        for key in ("not_paid", "not_paid_parts"):
            va.setdefault(key, []).sort(key=lambda n: (n["kind"], n["id"], n["reason"]))
            vb.setdefault(key, []).sort(key=lambda n: (n["kind"], n["id"], n["reason"]))
        vb = fix_new(vb, va)
        if va == vb:
            words_only += 1
        else:
            bad.append(name)
    elif amounts(a) and amounts(a) == amounts(b):
        words_only += 1
    else:
        bad.append(name)
for err in sorted(glob.glob(f"{WORK}/new/*.err")):
    name = os.path.basename(err)
    a, b = open(f"{WORK}/base/{name}").read(), open(err).read()
    rc_a = open(f"{WORK}/base/{name[:-4]}.rc").read()
    rc_b = open(f"{WORK}/new/{name[:-4]}.rc").read()
    if a != b or rc_a != rc_b:
        if name.startswith("diag.checks_"):
            unreadable.append(name)  # a new catalogue case: the base cannot read `kontroller`
        elif re.sub(r":\d+:\d+", "", a) == re.sub(r":\d+:\d+", "", b) and rc_a == rc_b:
            words_only += 1  # only shifted line numbers
        else:
            bad.append(name)
print(f"same-amounts: {words_only} outputs differ in words or shifted lines only; "
      f"{len(unreadable)} new catalogue cases; {len(bad)} other differences")
for n in bad:
    print("  differs:", n)
sys.exit(1 if bad else 0)
