#!/usr/bin/env python3
"""same-amounts.py BASE_REF: shows that the working tree's `taxa` pays what
BASE_REF's pays, differing only in words (issue 11, points 4 and 5).

Runs the cases of `scripts/same-output.sh` (which must have run once, for
the base binary and the generated month) with each binary on its own
commit's rule files: BASE_REF's rules/, examples/ and tests/diagnostics/
are extracted to a temporary folder and the base binary runs there, since
it cannot read the new `kontroller` declarations. Outputs go to
target/same-output/{base-own,new-own}/.

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
    # The figures rows and totals; a cap's working (`Σ …`) now writes its
    # amounts in the Swedish form too, so it is left out.
    kept = "\n".join(l for l in text.splitlines() if "Σ " not in l)
    return re.findall(r"-?\d[\d ]*,\d\d kr", kept)

def cases(root):
    """The cases of same-output.sh, as argument lists, for the files under root."""
    gen = os.path.abspath(f"{WORK}/gen-{os.environ.get('N', '100000')}")
    out = []
    rules = sorted(glob.glob("rules/*.taxa"))
    for ex in sorted(glob.glob("examples/*/")):
        name = os.path.basename(ex.rstrip("/"))
        r = [x for x in rules if os.path.basename(x)[:-5].replace("å", "a").replace("ä", "a")
             .replace("ö", "o") == name]
        if not r:
            continue
        d = ex.rstrip("/")
        out += [(f"{name}.text", ["pay", r[0], "--data", d, "--format", "text"]),
                (f"{name}.json", ["pay", r[0], "--data", d, "--format", "json"]),
                (f"{name}.lenient", ["pay", r[0], "--data", d, "--format", "json", "--lenient"])]
    v = ["rules/norrtalje-2024.taxa", "rules/norrtalje-2025.taxa"]
    out += [("versions.text", ["pay", *v, "--data", "examples/norrtalje-2025", "--format", "text"]),
            ("versions.json", ["pay", *v, "--data", "examples/norrtalje-2025", "--format", "json"]),
            ("versions-2024.json", ["pay", v[1], v[0], "--data", "examples/norrtalje-2024",
                                    "--format", "json"]),
            ("period.json", ["pay", v[0], "--data", "examples/norrtalje-2024", "--period", "2024-06",
                             "--format", "json"]),
            ("period-range.text", ["pay", v[0], "--data", "examples/norrtalje-2024", "--period",
                                   "2024-01..2024-12", "--format", "text"]),
            ("check.all", ["check", *rules])]
    for t in sorted(glob.glob("tests/diagnostics/*.taxa")):
        out.append((f"diag.{os.path.basename(t)[:-5]}", ["check", t]))
    for d in sorted(glob.glob("tests/diagnostics/data/*/")):
        out.append((f"data.{os.path.basename(d.rstrip('/'))}",
                    ["pay", "rules/norrtalje-2025.taxa", "--data", d, "--format", "json"]))
    out += [("gen.text", ["pay", v[1], "--data", gen, "--format", "text"]),
            ("gen.json", ["pay", v[1], "--data", gen, "--format", "json"]),
            ("gen.versions", ["pay", *v, "--data", gen, "--format", "json"])]
    for r in rules:
        out.append((f"gen.{os.path.basename(r)[:-5]}.lenient",
                    ["pay", r, "--data", gen, "--format", "json", "--lenient"]))
    return out

def run_all(binary, cwd, dest):
    os.makedirs(dest, exist_ok=True)
    for name, args in cases("."):
        if any(a.endswith(".taxa") and not os.path.exists(os.path.join(cwd, a)) for a in args):
            continue
        p = subprocess.run([binary, *args], cwd=cwd, capture_output=True)
        open(f"{dest}/{name}.out", "wb").write(p.stdout)
        open(f"{dest}/{name}.err", "wb").write(p.stderr)
        open(f"{dest}/{name}.rc", "w").write(f"{p.returncode}\n")

rev = subprocess.run(["git", "rev-parse", BASE], capture_output=True, text=True).stdout.strip()
tree = f"{WORK}/base-tree"
subprocess.run(["rm", "-rf", tree], check=True)
os.makedirs(tree)
subprocess.run(f"git archive {rev} rules examples tests/diagnostics | tar -x -C {tree}",
               shell=True, check=True)
run_all(os.path.abspath(f"{WORK}/bin-{rev}"), tree, f"{WORK}/base-own")
run_all(os.path.abspath("target/release/taxa"), ".", f"{WORK}/new-own")

bad, words_only, unreadable, same = [], 0, [], 0
for new_path in sorted(glob.glob(f"{WORK}/new-own/*.out")):
    name = os.path.basename(new_path)
    base_path = f"{WORK}/base-own/{name}"
    if not os.path.exists(base_path):
        unreadable.append(name)  # a case the base does not have (a new catalogue case)
        continue
    a, b = open(base_path).read(), open(new_path).read()
    if a == b:
        same += 1
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
for err in sorted(glob.glob(f"{WORK}/new-own/*.err")):
    name = os.path.basename(err)
    if not os.path.exists(f"{WORK}/base-own/{name}"):
        continue
    a, b = open(f"{WORK}/base-own/{name}").read(), open(err).read()
    rc_a = open(f"{WORK}/base-own/{name[:-4]}.rc").read()
    rc_b = open(f"{WORK}/new-own/{name[:-4]}.rc").read()
    if a != b or rc_a != rc_b:
        if False:
            pass
        elif re.sub(r":\d+:\d+", "", a) == re.sub(r":\d+:\d+", "", b) and rc_a == rc_b:
            words_only += 1  # only shifted line numbers
        else:
            bad.append(name)
print(f"same-amounts: {same} outputs identical, {words_only} differ in words or shifted "
      f"lines only; {len(unreadable)} new cases; {len(bad)} other differences")
for n in bad:
    print("  differs:", n)
sys.exit(1 if bad else 0)
