#!/usr/bin/env python3
"""Re-makes schema/vectors/index.json and schema/vectors/receipt.json with an
implementation written apart from scoreledger's, from the documents only
(schema/events.md, keys.md, merkle.md, notes.md, index.md, receipts.md):
Python's `blake3` for the hashes, `cryptography` for Ed25519, and here the
bincode encoding of the events, the hash chain, the event tree, the stage
index (from its definition over the whole log, not incrementally as the
archive keeps it), the checkpoint and its signature, and the receipt with
its table folded from the events. Checks the encoder on schema/vectors/v1.json
too. Prints 'ok: N checks' or exits 1 naming the first difference.
Needs: pip install blake3 cryptography
"""
import base64, hashlib, json, os, struct, sys, unicodedata

import blake3
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load(name):
    return json.load(open(os.path.join(root, "schema/vectors", name), encoding="utf-8"))


checks = 0


def check(what, got, want):
    global checks
    if got != want:
        sys.exit(f"{what}: got {got!r}, want {want!r}")
    checks += 1


def b64(b):
    return base64.b64encode(b).decode()


# --- bincode (schema/events.md): standard config, varint integers ---------

def varint(n):
    if n < 251:
        return bytes([n])
    if n <= 0xFFFF:
        return b"\xfb" + struct.pack("<H", n)
    if n <= 0xFFFFFFFF:
        return b"\xfc" + struct.pack("<I", n)
    return b"\xfd" + struct.pack("<Q", n)


def zigzag(n):
    return varint((n << 1) ^ (n >> 31) if n >= 0 else ((-n) << 1) - 1)


def string(s):
    b = s.encode()
    return varint(len(b)) + b


def option(v, enc):
    return b"\x00" if v is None else b"\x01" + enc(v)


def vec(items, enc):
    return varint(len(items)) + b"".join(enc(i) for i in items)


def date(s):
    y, m, d = s.split("-")
    return varint(int(y) * 10000 + int(m) * 100 + int(d))


def pair(p):
    return varint(p["home"]) + varint(p["away"])


TIEBREAKS = ["points", "goal-difference", "goals-for", "goal-average", "head-to-head", "wins", "away-goals",
             "fair-play", "head-to-head-once", "points-per-game"]
STATUS = ["played", "cancelled", "postponed", "abandoned"]
SOURCES = ["file", "user", "era", "catalogue"]
KINDS = ["match_result", "rules", "season_facts", "team_registered", "result_corrected",
         "match_awarded", "match_annulled", "points_adjusted", "team_renamed", "rules_stated",
         "shootout_decided", "fair_play_stated"]


def rules_bytes(r):
    return (string(r["competition"]) + string(r["season"]) + option(r["stage"], string)
            + bytes([r["points_for_win"], r["points_for_draw"], r["points_for_loss"]])
            + vec(r["tiebreak"], lambda t: varint(TIEBREAKS.index(t))))


def fields(kind, e):
    opt = lambda k: option(e.get(k), string)
    mid = lambda: bytes.fromhex(e["match_id"])
    if kind == "match_result":
        return (string(e["competition"]) + string(e["season"]) + string(e["stage"]) + opt("group")
                + option(e["round"], varint) + date(e["date"]) + string(e["home"]) + string(e["away"])
                + varint(e["home_goals"]) + varint(e["away_goals"]) + varint(STATUS.index(e["status"]))
                + bytes([e["neutral"]]) + option(e["half_time"], pair) + option(e["extra_time"], pair)
                + option(e["penalties"], pair))
    if kind == "rules":
        return rules_bytes(e)
    if kind == "rules_stated":
        return rules_bytes(e["rules"]) + varint(SOURCES.index(e["source"]))
    if kind == "season_facts":
        return (string(e["competition"]) + string(e["season"]) + opt("winners")
                + vec(e["top_scorers"], string) + option(e["top_scorer_goals"], varint)
                + opt("previous_season") + opt("next_season")
                + vec(e["other"], lambda kv: string(kv[0]) + string(kv[1])))
    if kind == "team_registered":
        return (string(e["competition"]) + string(e["season"]) + opt("stage") + string(e["team"])
                + opt("region") + opt("location"))
    if kind == "result_corrected":
        return mid() + varint(e["home_goals"]) + varint(e["away_goals"]) + string(e["reason"]) + opt("source")
    if kind == "match_awarded":
        return (mid() + string(e["to"]) + varint(e["home_goals"]) + varint(e["away_goals"])
                + bytes([e["kept_score"]]) + string(e["reason"]) + opt("source"))
    if kind == "match_annulled":
        return mid() + string(e["reason"]) + opt("source")
    if kind == "points_adjusted":
        return (string(e["competition"]) + string(e["season"]) + opt("stage") + string(e["team"])
                + zigzag(e["points"]) + date(e["date"]) + string(e["reason"]) + opt("source"))
    if kind == "team_renamed":
        return (string(e["competition"]) + string(e["from"]) + string(e["to"]) + string(e["reason"])
                + opt("source"))
    if kind == "shootout_decided":
        return mid() + string(e["winner"]) + opt("first_shooter") + opt("source")
    if kind == "fair_play_stated":
        return (string(e["competition"]) + string(e["season"]) + opt("stage") + string(e["team"])
                + zigzag(e["points"]) + opt("source"))
    raise ValueError(kind)


def encode(event):
    (kind, body), = event.items()
    return varint(KINDS.index(kind)) + fields(kind, body)


# --- the chain (events.md) and the event tree (merkle.md) -----------------

def event_hash(seq, at, prev, b):
    msg = b"\x01" + struct.pack(">Q", seq) + struct.pack(">q", at) + prev + struct.pack(">Q", len(b)) + b
    return blake3.blake3(msg, derive_key_context="scoreledger 2026-11 event v1").digest()


def envelope(seq, at, prev, h, b):
    return b"\x01" + struct.pack(">Q", seq) + struct.pack(">q", at) + prev + h + b


def split(n):
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(leaves, node):
    if len(leaves) == 1:
        return leaves[0]
    k = split(len(leaves))
    return node(mth(leaves[:k], node), mth(leaves[k:], node))


def path(leaves, m, node):
    if len(leaves) <= 1:
        return []
    k = split(len(leaves))
    if m < k:
        return path(leaves[:k], m, node) + [mth(leaves[k:], node)]
    return path(leaves[k:], m - k, node) + [mth(leaves[:k], node)]


def tree_node(l, r):
    return blake3.blake3(b"\x01" + l + r).digest()


def tree_leaf(h):
    return blake3.blake3(b"\x00" + h).digest()


# --- names and keys (keys.md) ---------------------------------------------

def fold(s):
    s = " ".join(unicodedata.normalize("NFC", s).split())
    if s.isascii():
        return s.lower()
    s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    return " ".join(s.split()).lower()


def field(s):
    f = fold(s).encode()
    return struct.pack(">I", len(f)) + f


def stage_key(c, s, st):
    return blake3.blake3(field(c) + field(s) + b"\x01" + field(st),
                         derive_key_context="scoreledger 2026-11 scope key v1").digest()


def match_id(m):
    msg = (field(m["competition"]) + field(m["season"]) + field(m["stage"])
           + struct.pack(">I", m["round"] or 0) + struct.pack(">I", int(m["date"].replace("-", "")))
           + field(m["home"]) + field(m["away"]))
    return blake3.blake3(msg, derive_key_context="scoreledger 2026-11 match id v1").digest()[:16]


# --- the stage index (index.md), from its definition ----------------------

def ix_leaf(key, entries):
    b = key + struct.pack(">Q", len(entries)) + b"".join(struct.pack(">QQ", s, o) for s, o in entries)
    return blake3.blake3(b, derive_key_context="scoreledger 2026-12 stage index leaf v1").digest()


def ix_node(l, r):
    return blake3.blake3(l + r, derive_key_context="scoreledger 2026-12 stage index node v1").digest()


IX_EMPTY = blake3.blake3(b"", derive_key_context="scoreledger 2026-12 stage index node v1").digest()


def body(event):
    (kind, b), = event.items()
    return kind, (b["rules"] if kind == "rules_stated" else b)


def stage_index(events):
    """Per stage: (competition, season, stage) names, the seq of the first
    result, registration or adjustment that names it, and its list: every
    (seq, of) over the whole log."""
    stages, results = {}, {}
    for e in events:
        kind, b = body(e["event"])
        if kind in ("match_result", "team_registered", "points_adjusted") and b.get("stage") is not None:
            k = (fold(b["competition"]), fold(b["season"]), fold(b["stage"]))
            stages.setdefault(k, {"names": (b["competition"], b["season"], b["stage"]), "first": e["seq"], "list": []})
    for e in events:
        seq, (kind, b) = e["seq"], body(e["event"])
        members = []
        if kind == "match_result":
            k = (fold(b["competition"]), fold(b["season"]), fold(b["stage"]))
            results[match_id(b)] = (k, seq)
            members = [(k, seq)]
        elif kind in ("result_corrected", "match_awarded", "match_annulled"):
            k, of = results[bytes.fromhex(b["match_id"])]
            members = [(k, of)]
        elif kind in ("rules", "rules_stated", "team_registered", "points_adjusted"):
            season = (fold(b["competition"]), fold(b["season"]))
            members = [(k, 0) for k in stages if k[:2] == season
                       and (b["stage"] is None or k[2] == fold(b["stage"]))]
        elif kind == "team_renamed":
            members = [(k, 0) for k in stages if k[0] == fold(b["competition"])]
        for k, of in members:
            stages[k]["list"].append((seq, of))
    return stages


def index_at(stages, n):
    """The leaves (key, entries) at size n, sorted by key."""
    leaves = [(stage_key(*st["names"]), [x for x in st["list"] if x[0] <= n])
              for st in stages.values() if st["first"] <= n]
    return sorted(leaves)


def ix_root(leaves):
    return mth([ix_leaf(k, e) for k, e in leaves], ix_node) if leaves else IX_EMPTY


# --- the table (events.md: rules, changes, adjustments, renames) ----------

def table(events, names, known_at):
    c, s, st = (fold(x) for x in names)
    ours = lambda b: fold(b["competition"]) == c and fold(b["season"]) == s
    in_scope = lambda b: ours(b) and (b.get("stage") is None or fold(b["stage"]) == st)
    stage_rules, season_rules, regs, adjs, renames, matches = [], [], [], [], [], {}
    for e in events:
        seq, (kind, b) = e["seq"], body(e["event"])
        if kind == "match_result" and ours(b) and fold(b["stage"]) == st:
            counts = b["status"] == "played"
            matches[match_id(b)] = dict(m=b, seq=seq, hg=b["home_goals"], ag=b["away_goals"], counts=counts)
        elif kind in ("result_corrected", "match_awarded", "match_annulled") and seq <= known_at:
            x = matches[bytes.fromhex(b["match_id"])]
            if kind != "match_annulled":
                x["hg"], x["ag"] = b["home_goals"], b["away_goals"]
            x["counts"] = kind != "match_annulled" and (x["counts"] or kind == "match_awarded")
        elif kind in ("rules", "rules_stated") and in_scope(b):
            (stage_rules if b["stage"] is not None else season_rules).append(b)
        elif kind == "team_registered" and in_scope(b):
            regs.append(b)
        elif kind == "points_adjusted" and in_scope(b):
            adjs.append(b)
        elif kind == "team_renamed" and fold(b["competition"]) == c:
            renames.append(b)
    rules = (stage_rules or season_rules or [None])[-1]
    win, draw, loss, order = (3, 1, 0, ["points", "goal-difference", "goals-for"]) if rules is None else (
        rules["points_for_win"], rules["points_for_draw"], rules["points_for_loss"], rules["tiebreak"])
    if "points" not in order:
        order = ["points"] + order
    ordered = [(fold(r["from"]), fold(r["to"]), r["to"]) for r in renames]
    teams, index = [], {}

    def newest(name):
        # The club: every name renames join to this one; shown under the new
        # name of the last rename (in the order recorded) that touches it.
        club, grown = {fold(name)}, True
        while grown:
            grown = False
            for f, t, _ in ordered:
                if (f in club) != (t in club):
                    club |= {f, t}
                    grown = True
        return next((to for f, _, to in reversed(ordered) if f in club), name)

    def team(name):
        name = newest(name)
        if fold(name) not in index:
            index[fold(name)] = len(teams)
            teams.append(dict(name=name, p=0, w=0, d=0, l=0, gf=0, ga=0, pts=0, adj=0))
        return teams[index[fold(name)]]

    latest = {}
    for r in regs:
        latest[fold(r["team"])] = r["team"]
    for t in latest.values():
        team(t)
    lines = sorted(matches.values(), key=lambda x: (x["m"]["date"], x["m"]["round"] or 0, x["seq"]))
    for x in lines:
        team(x["m"]["home"]), team(x["m"]["away"])
    # A whole season's adjustment adds no row: it counts where the team plays.
    for a in adjs:
        if a.get("stage") is not None:
            team(a["team"])
    for x in lines:
        if not x["counts"]:
            continue
        for me, gf, ga in ((team(x["m"]["home"]), x["hg"], x["ag"]), (team(x["m"]["away"]), x["ag"], x["hg"])):
            me["p"] += 1
            me["gf"] += gf
            me["ga"] += ga
            res = "w" if gf > ga else "d" if gf == ga else "l"
            me[res] += 1
            me["pts"] += {"w": win, "d": draw, "l": loss}[res]
    bound = max((a["date"] for a in adjs), default=None)
    for a in adjs:
        if a.get("stage") is None and fold(newest(a["team"])) not in index:
            continue
        if bound is not None and a["date"] <= bound:
            team(a["team"])["pts"] += a["points"]
            team(a["team"])["adj"] += a["points"]
    value = {"points": lambda t: t["pts"], "goal-difference": lambda t: t["gf"] - t["ga"],
             "goals-for": lambda t: t["gf"], "wins": lambda t: t["w"]}

    def ranked(group, crit):
        if len(group) <= 1 or not crit:
            return [group]
        if crit[0] not in value:
            sys.exit(f"this script folds no '{crit[0]}' tie-break")
        v = value[crit[0]]
        out = []
        for x in sorted({v(t) for t in group}, reverse=True):
            out += ranked([t for t in group if v(t) == x], crit[1:])
        return out

    rows = []
    for group in ranked(teams, order):
        pos = len(rows) + 1
        for t in sorted(group, key=lambda t: (fold(t["name"]), t["name"])):
            rows.append({"pos": pos, "shared": len(group) > 1, "team": t["name"], "played": t["p"],
                         "won": t["w"], "drawn": t["d"], "lost": t["l"], "goals_for": t["gf"],
                         "goals_against": t["ga"], "goal_difference": t["gf"] - t["ga"],
                         "points": t["pts"], "adjustment": t["adj"]})
    return rows


# --- the encoder against the frozen event vectors -------------------------

for v in load("v1.json")["events"]:
    check(f"v1.json {v['name']}: bytes", encode(v["event"]).hex(), v["event_bytes"])

# --- index.json ------------------------------------------------------------

ix = load("index.json")
check("index variant", ix["variant"], "scoreledger-stage-index-blake3-v1")
check("empty index root", IX_EMPTY.hex(), ix["empty_root"])
for label, want in ix["stage_keys"].items():
    check(f"key of {label}", stage_key(*label.split(" / ")).hex(), want)
events, prev, hashes = ix["events"], bytes(32), []
for e in events:
    b = encode(e["event"])
    h = event_hash(e["seq"], e["recorded_at_micros"], prev, b)
    check(f"hash of seq {e['seq']}", h.hex(), e["hash"])
    hashes.append(h)
    prev = h
stages = stage_index(events)
for want in ix["sizes"]:
    n = want["size"]
    leaves = index_at(stages, n)
    got = [{"key": k.hex(), "entries": [list(x) for x in e], "leaf_hash": ix_leaf(k, e).hex()} for k, e in leaves]
    check(f"index leaves at size {n}", got, want["leaves"])
    check(f"index root at size {n}", ix_root(leaves).hex(), want["root"])
final = index_at(stages, len(events))
hashed = [ix_leaf(k, e) for k, e in final]
for i, p in enumerate(ix["proofs"]):
    k, e = final[i]
    check(f"index proof {i}", p, {"variant": ix["variant"], "size": len(events), "key": k.hex(),
                                   "entries": [list(x) for x in e], "leaf": i, "leaves": len(final),
                                   "path": [b64(h) for h in path(hashed, i, ix_node)]})

# --- receipt.json: the checkpoint, its signature, the receipt --------------

rv = load("receipt.json")
seed = bytes.fromhex(rv["log_seed_hex"])
name = rv["log_verifier_key"].split("+")[0]
key = Ed25519PrivateKey.from_private_bytes(seed)
pub = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
kid = hashlib.sha256(name.encode() + b"\n\x01" + pub).digest()[:4]
typed = b64(bytes([1]) + pub)
check("verifier key", f"{name}+{kid.hex()}+{typed}", rv["log_verifier_key"])
n = len(events)
leaves = [tree_leaf(h) for h in hashes]
text = f"{name}\n{n}\n{b64(mth(leaves, tree_node))}\nvariant scoreledger-blake3-rfc6962-v1\n"
text += f"index {b64(ix_root(final))}\n"
lo = 0
for bit in reversed(range(64)):
    if n & (1 << bit):
        text += f"frontier {lo}+{1 << bit} {b64(mth(leaves[lo:lo + (1 << bit)], tree_node))}\n"
        lo += 1 << bit
note = text + "\n\u2014 " + name + " " + b64(kid + key.sign(text.encode())) + "\n"
check("signed checkpoint", note, rv["checkpoint"])
names = ("Copa Perú", "1984", "Final stage")
k = stage_key(*names)
i = [x for x, _ in final].index(k)
entries = final[i][1]
proofs, prev = [], bytes(32)
for e in events:
    b = encode(e["event"])
    h = event_hash(e["seq"], e["recorded_at_micros"], prev, b)
    if any(s == e["seq"] for s, _ in entries):
        proofs.append({"variant": "scoreledger-blake3-rfc6962-v1", "size": n, "seq": e["seq"],
                       "event_hash": h.hex(), "envelope": envelope(e["seq"], e["recorded_at_micros"], prev, h, b).hex(),
                       "path": [b64(x) for x in path(leaves, e["seq"] - 1, tree_node)]})
    prev = h
receipt = {
    "format": "scoreledger table receipt v2",
    "competition": names[0], "season": names[1], "stage": names[2],
    "as_of": None, "round": None,
    "table": table([e for e in events if any(s == e["seq"] for s, _ in entries)], names, n),
    "checkpoint": note,
    "index": {"variant": ix["variant"], "size": n, "key": k.hex(), "entries": [list(x) for x in entries],
              "leaf": i, "leaves": len(final), "path": [b64(h) for h in path(hashed, i, ix_node)]},
    "events": proofs,
}
check("receipt", json.dumps(receipt, indent=2, ensure_ascii=False), rv["receipt"])
print(f"ok: {checks} checks")
