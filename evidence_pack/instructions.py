"""The court's verification script: every check of a pack with standard tools only (no voirdire needed).

The court publishes the script once, with its keys and its digest (``voirdire publish`` writes
``verify-pack.sh`` and ``verify-pack.sh.sha256``). It is the same for every pack: what it checks a
pack against comes from the folder it was published in (the key list with validity periods, the
roots, the docket), never from the pack. A pack carries a copy as ``VERIFY.txt`` so that a reader
can see what will be checked; that copy is never run, and the published script refuses a pack
whose copy is not byte for byte itself (a forger's VERIFY.txt that prints "VERIFIED" is caught by
the script that is actually run).

It uses bash, ``bagit.py --validate``, ``openssl`` (``pkeyutl``, ``ts``, ``verify``, ``x509``),
``sha256sum``/``sha512sum`` and core tools (``sed``, ``grep``, ``awk``, ``find``, ``base64``,
``cmp``, GNU ``date``). Each step prints OK or FAILED; the first failure stops it with status 1.
"""

from __future__ import annotations

from evidence_pack.profile import (
    BAG_FILES,
    MODEL_FORMATS,
    PACK_SCHEMA_VERSION,
    PAYLOAD_FILES,
    PAYLOAD_OPTIONAL,
    ROOT_ENTRIES,
    SEAL_FILES,
    SEAL_OPTIONAL,
    model_artifacts,
    profile_json,
)
from evidence_pack.signing import DSSE_PAYLOAD_TYPE
from sentencing.canonical import sha256_bytes

__all__ = ["SEALING_ROLES", "VERIFY_SCRIPT_NAME", "verify_script"]

VERIFY_SCRIPT_NAME = "verify-pack.sh"
SEALING_ROLES = ("judge",)


def _words(names: tuple[str, ...]) -> str:
    return " ".join(sorted(names)) + " "


def verify_script(version: str = PACK_SCHEMA_VERSION) -> str:
    """The script's text (the same bytes for every pack of schema ``version``; a court verifies its earlier packs
    with the script it published for theirs)."""
    seal_allowed = "|".join(sorted(SEAL_FILES + SEAL_OPTIONAL))
    payload_allowed = "|".join(sorted(PAYLOAD_FILES + PAYLOAD_OPTIONAL))
    artifacts = "|".join(model_artifacts(version))
    formats = (
        ""
        if version == "2"
        else "\n".join(
            ['  case "$artifact" in']
            + [f'    {name}) echo "NOTE: the model is {what}";;' for name, what in MODEL_FORMATS.items()]
            + ["  esac\n"]
        )
    )
    payload_type = DSSE_PAYLOAD_TYPE.replace("+", "\\+").replace(".", "\\.")
    roles = "|".join(SEALING_ROLES)
    return f"""#!/usr/bin/env bash
# verify-pack.sh: the court's verification script for voirdire evidence packs (pack schema {version}).
#
# Standard tools only. Run the copy the COURT PUBLISHED, never the VERIFY.txt inside a pack (that is a
# copy for reading; this script refuses a pack whose copy differs from itself). First check this script
# against the digest the court published beside it:
#     sha256sum -c verify-pack.sh.sha256
# then, from anywhere:
#     bash /path/to/published/verify-pack.sh PACK_FOLDER
# What the pack is checked against comes from the folder this script was published in: sealers.tsv
# (whose keys, in force when), sealers/, tsa-root.pem, court-root.pem (if the court has a CA) and
# docket.json. Each step prints OK or FAILED; the first failure stops with exit status 1.
set -u
export LC_ALL=C
fail() {{ echo "FAILED: $1"; exit 1; }}
ok() {{ echo "OK: $1"; }}
[ "$#" -eq 1 ] || {{ echo "usage: bash verify-pack.sh PACK_FOLDER"; exit 2; }}
self=${{BASH_SOURCE[0]}}
[ -f "$self" ] || fail "run this script from its published file (bash verify-pack.sh PACK_FOLDER)"
published=$(cd "$(dirname "$self")" && pwd) || fail "cannot find the folder this script was published in"
self="$published/$(basename "$self")"
for f in sealers.tsv tsa-root.pem; do
  [ -f "$published/$f" ] || fail "the published folder $published has no $f"
done
cd "$1" 2>/dev/null || fail "$1 is not a folder"
work=$(mktemp -d) || fail "no temporary folder"
trap 'rm -rf "$work"' EXIT
digest_of() {{ sha256sum "$1" | cut -d' ' -f1; }}

# 0. The pack's VERIFY.txt is a copy of this very script (it is informational; it is never run).
[ -f VERIFY.txt ] && [ ! -L VERIFY.txt ] || fail "VERIFY.txt is missing"
cmp -s "$self" VERIFY.txt || fail "VERIFY.txt is not the court's published script (it was replaced)"
ok "VERIFY.txt is the court's published script"

# 1. Profile: only regular files and folders, nothing unlisted, no empty folder, no fetch.txt,
#    no file name with control characters, no manifest path leaving the bag.
[ -z "$(find . \\( -name '*[![:print:]]*' -o -name '*\\\\*' \\) -print -quit)" ] || fail "profile: a file name is not printable ASCII"
[ -z "$(find . ! -type f ! -type d -print -quit)" ] || fail "profile: the pack holds a link, pipe or device"
[ -z "$(find . -type d -empty -print -quit)" ] || fail "profile: the pack holds an empty folder"
[ "$(ls -A . | sort | tr '\\n' ' ')" = "{_words(ROOT_ENTRIES)}" ] || fail "profile: unlisted or missing files at the top"
[ "$(ls -A bag | sort | tr '\\n' ' ')" = "{_words((*BAG_FILES, "data"))}" ] \\
  || fail "profile: unlisted or missing files in bag/"
while IFS= read -r f; do
  case "$f" in {seal_allowed}) ;; *) fail "profile: unlisted file seal/$f";; esac
done < <(find seal -mindepth 1 -maxdepth 1 -printf '%f\\n')
for f in {" ".join(sorted(SEAL_FILES))}; do
  [ -f "seal/$f" ] || fail "profile: seal/$f is missing"
done
while IFS= read -r f; do
  case "$f" in {payload_allowed}|data/model/*) ;; *) fail "profile: unlisted payload file bag/$f";; esac
done < <(cd bag && find data -type f)
for f in {" ".join(PAYLOAD_FILES)}; do
  [ -f "bag/$f" ] || fail "profile: bag/$f is missing"
done
! sed -E 's/^[^[:space:]]+[[:space:]]+//' bag/manifest-*.txt bag/tagmanifest-*.txt | grep -Eq '(^|/)\\.\\.(/|$)|^/|^~' \\
  || fail "profile: a manifest path leaves the bag"
[ "$(digest_of seal/profile.json)" = "{sha256_bytes(profile_json(version))}" ] || fail "profile: seal/profile.json is not the profile of pack schema {version}"
ok "profile"

# 2. The bag: every payload and tag file complete and unchanged (never --fast: it passes same-size edits).
bagit.py --validate bag >"$work/bagit.log" 2>&1 || {{ cat "$work/bagit.log"; fail "bag: bagit.py --validate"; }}
ok "bag: bagit.py --validate"

# 3. The signed statement (DSSE, one signature): its exact form, then whose key signed it.
[ "$(wc -l <seal/statement.json)" -eq 1 ] \\
  && grep -Eqx '\\{{"payload":"[A-Za-z0-9+/=]+","payloadType":"{payload_type}","signatures":\\[\\{{"keyid":"[0-9a-f]{{64}}","sig":"[A-Za-z0-9+/=]+"\\}}\\]\\}}' seal/statement.json \\
  || fail "statement: seal/statement.json is not a DSSE envelope with one signature"
sed -E 's/^.*"payload":"([^"]*)".*$/\\1/' seal/statement.json | base64 -d >"$work/statement.payload" 2>/dev/null \\
  || fail "statement: the payload is not base64"
sed -E 's/^.*"sig":"([^"]*)".*$/\\1/' seal/statement.json | base64 -d >"$work/statement.sig" 2>/dev/null \\
  || fail "statement: the signature is not base64"
keyid=$(sed -E 's/^.*"keyid":"([0-9a-f]{{64}})".*$/\\1/' seal/statement.json)
payload="$work/statement.payload"
has() {{ grep -Fq -- "$1" "$payload"; }}
line=$(awk -F'\\t' -v k="$keyid" '!/^#/ && $1 == k' "$published/sealers.tsv" | head -n 1)
[ -n "$line" ] || fail "signer: the signing key $keyid is not one the court published"
IFS=$'\\t' read -r _ key_user key_role key_from key_until key_certified key_file <<<"$line"
key="$published/$key_file"
[ -f "$key" ] || fail "signer: the published key file $key_file is missing"
cmp -s seal/sealer.pub.pem "$key" || fail "signer: seal/sealer.pub.pem is not the published key $key_file"
cmp -s "$work/statement.sig" seal/statement.sig || fail "statement: seal/statement.sig is not the statement's signature"
type='{DSSE_PAYLOAD_TYPE}'
printf 'DSSEv1 %d %s %d ' "${{#type}}" "$type" "$(wc -c <"$payload")" >"$work/pae"
cat "$payload" >>"$work/pae"
openssl pkeyutl -verify -pubin -inkey "$key" -rawin -in "$work/pae" -sigfile seal/statement.sig >/dev/null 2>&1 \\
  || fail "signature: the statement's signature does not hold for the published key"
openssl pkeyutl -verify -pubin -inkey "$key" -rawin -in bag/tagmanifest-sha256.txt \\
  -sigfile seal/tagmanifest-sha256.txt.sig >/dev/null 2>&1 || fail "signature: bag/tagmanifest-sha256.txt"
ok "signature: the statement and bag/tagmanifest-sha256.txt are signed by key ${{keyid:0:16}}… ($key_user)"

# 4. The statement names exactly these tag manifests and these files outside the bag.
has '"predicateType":"urn:voirdire:evidence-pack:v1"' && has '"_type":"https://in-toto.io/Statement/v1"' \\
  && has '"schema_version":"{version}"' || fail "statement: not a voirdire pack statement of schema {version}"
has "{{\\"digest\\":{{\\"sha256\\":\\"$(digest_of bag/tagmanifest-sha256.txt)\\"}},\\"name\\":\\"bag/tagmanifest-sha256.txt\\"}}" \\
  || fail "statement: bag/tagmanifest-sha256.txt is not the one signed"
has "{{\\"digest\\":{{\\"sha512\\":\\"$(sha512sum bag/tagmanifest-sha512.txt | cut -d' ' -f1)\\"}},\\"name\\":\\"bag/tagmanifest-sha512.txt\\"}}" \\
  || fail "statement: bag/tagmanifest-sha512.txt is not the one signed"
for f in VERIFY.txt seal/profile.json seal/sealer.pub.pem; do
  has "\\"$f\\":\\"$(digest_of "$f")\\"" || fail "statement: $f is not the one signed"
done
if [ -e seal/sealer.cert.pem ]; then
  has "\\"seal/sealer.cert.pem\\":\\"$(digest_of seal/sealer.cert.pem)\\"" || fail "statement: seal/sealer.cert.pem is not signed"
fi
has "\\"case_sha256\\":\\"$(digest_of bag/data/case/case.json)\\"" || fail "statement: bag/data/case/case.json is not the case signed"
version=$(grep -Eo '"pack_version":[0-9]+' "$payload" | cut -d: -f2)
hearing=$(grep -Eo '"hearing_id":[0-9]+' "$payload" | head -n 1 | cut -d: -f2)
[ -n "$version" ] && [ -n "$hearing" ] || fail "statement: no pack version or hearing"
grep -qx "Pack-Version: $version" bag/bag-info.txt || fail "statement: bag-info.txt's Pack-Version is not the signed one"
supersedes=$(grep -Eo '"supersedes":("[0-9a-f]{{64}}"|null)' "$payload" | head -n 1 | cut -d: -f2 | tr -d '"')
[ -n "$supersedes" ] || fail "statement: says nothing of the pack it supersedes"
[ "$supersedes" = null ] && supersedes=none
grep -qx "Supersedes: $supersedes" bag/bag-info.txt || fail "statement: bag-info.txt's Supersedes is not the signed one"
{{ [ "$version" -eq 1 ] && [ "$supersedes" = none ]; }} || {{ [ "$version" -gt 1 ] && [ "$supersedes" != none ]; }} \
  || fail "statement: version $version with supersedes $supersedes (every later version names its predecessor)"
ok "statement: tag manifests, case, VERIFY.txt, profile and key are the signed ones (hearing $hearing, version $version)"

# 5. The timestamp: an authority under the published TSA root vouches the signature existed then.
openssl ts -verify -data seal/statement.sig -in seal/statement.tsr -CAfile "$published/tsa-root.pem" >/dev/null 2>&1 \\
  || fail "timestamp: seal/statement.tsr does not hold under the published TSA root"
openssl pkeyutl -verify -pubin -inkey "$key" -rawin -in seal/statement.tsr -sigfile seal/statement.tsr.sig \\
  >/dev/null 2>&1 || fail "timestamp: the sealer's countersignature over seal/statement.tsr"
stamped=$(openssl ts -reply -in seal/statement.tsr -text 2>/dev/null | sed -n 's/^Time stamp: //p')
when=$(date -u -d "$stamped" +%s 2>/dev/null) || fail "timestamp: its time cannot be read"
ok "timestamp: $stamped"

# 6. The signer: the key is the one the court published for the sealer the statement names, in force then.
has "\\"role\\":\\"$key_role\\",\\"username\\":\\"$key_user\\"}}" \\
  || fail "signer: the key is $key_user's ($key_role), but the statement names another sealer"
case "$key_role" in {roles}) ;; *) fail "signer: $key_user's role $key_role does not seal packs";; esac
[ "$when" -ge "$(date -u -d "$key_from" +%s)" ] || fail "signer: the key was not yet in force at $stamped (from $key_from)"
if [ "$key_until" != "-" ]; then
  [ "$when" -lt "$(date -u -d "$key_until" +%s)" ] || fail "signer: the key was retired at $key_until, before $stamped"
fi
if [ "$key_certified" = yes ] && [ -f "$published/court-root.pem" ]; then
  [ -f seal/sealer.cert.pem ] || fail "signer: the court certified this key, but the pack holds no certificate"
  openssl verify -attime "$when" -CAfile "$published/court-root.pem" seal/sealer.cert.pem >/dev/null 2>&1 \\
    || fail "signer: seal/sealer.cert.pem does not hold under the court's root at $stamped"
  openssl x509 -in seal/sealer.cert.pem -noout -pubkey 2>/dev/null | cmp -s - "$key" \\
    || fail "signer: seal/sealer.cert.pem certifies another key"
  openssl x509 -in seal/sealer.cert.pem -noout -subject -nameopt RFC2253 2>/dev/null | grep -q "CN=$key_user\\(,\\|$\\)" \\
    || fail "signer: seal/sealer.cert.pem is not $key_user's certificate"
fi
ok "signer: $key_user ($key_role), key in force at $stamped"

# 7. The hearing record: each entry carries the sha256 of the one before; the head and length are signed.
prev=0000000000000000000000000000000000000000000000000000000000000000; n=0
model=$(grep -Eo '"sha256":("[0-9a-f]{{64}}"|null),"travels":(true|false)}}' "$payload" | head -n 1 | sed -E 's/^"sha256":([^,]*),.*$/\\1/')
[ -n "$model" ] || fail "statement: names no model"
while IFS= read -r line; do
  n=$((n + 1))
  case "$line" in *"\\"prev_sha256\\":\\"$prev\\""*) ;; *) fail "hearing record: entry $n does not follow entry $((n - 1))";; esac
  case "$line" in "{{\\"hearing_id\\":$hearing,"*) ;; *) fail "hearing record: entry $n belongs to another hearing";; esac
  case "$line" in *"\\"seq\\":$n,"*) ;; *) fail "hearing record: entry $n is out of place";; esac
  case "$line" in *"\\"model_sha256\\":$model,"*) ;; *) fail "hearing record: entry $n was answered by another model";; esac
  prev=$(printf '%s' "$line" | sha256sum | cut -d' ' -f1)
done <bag/data/hearing/log.jsonl
has "\\"head\\":\\"$prev\\",\\"length\\":$n}}" || fail "hearing record: ends at entry $n ($prev), not at the signed head and length"
m=0
while IFS= read -r result <&3 && IFS= read -r line <&4; do
  m=$((m + 1))
  case "$line" in *"\\"result_sha256\\":\\"$(printf '%s' "$result" | sha256sum | cut -d' ' -f1)\\""*) ;;
    *) fail "hearing record: the result of entry $m is not the one recorded";; esac
done 3<bag/data/hearing/results.jsonl 4<bag/data/hearing/log.jsonl
[ "$m" -eq "$n" ] && [ "$(wc -l <bag/data/hearing/results.jsonl)" -eq "$n" ] || fail "hearing record: results and entries differ in number"
grep -Fq "\\"record_head_sha256\\":\\"$prev\\"" bag/data/hearing/ruling.json || fail "hearing record: the ruling weighed another record"
ok "hearing record: $n entries, head $prev"

# 8. The model: the sealed artifact is the one the statement names (or it is held in escrow).
if has '"travels":true}}'; then
  artifact=$(grep -Eo '"artifact":"({artifacts})"' "$payload" | head -n 1 | cut -d'"' -f4)
  [ -n "$artifact" ] && [ -f "bag/data/model/$artifact" ] || fail "model: the sealed artifact is missing"
  [ "\\"$(digest_of "bag/data/model/$artifact")\\"" = "$model" ] || fail "model: bag/data/model/$artifact is not the sealed model"
  ok "model: bag/data/model/$artifact is the sealed model"
{formats}else
  grep -Fq "\\"sha256\\":$model," bag/data/model/ESCROW.json 2>/dev/null || fail "model: ESCROW.json names another model"
  echo "NOTE: the model did not travel (bag/data/model/ESCROW.json names its digest and custodian)"
fi

# 9. The docket: this is the court's current pack for the hearing.
pack_digest=$(digest_of seal/statement.json)
if [ -f "$published/docket.json" ]; then
  listed=$(grep -E "^\\{{\\"case_id\\":\\"[^\\"]*\\",\\"digest\\":\\"[0-9a-f]{{64}}\\",\\"hearing_id\\":$hearing,\\"version\\":[0-9]+\\}}" "$published/docket.json")
  printf '%s\\n' "$listed" | grep -Fq "\\"digest\\":\\"$pack_digest\\",\\"hearing_id\\":$hearing,\\"version\\":$version}}" \\
    || fail "docket: this pack is not in the court's docket as version $version of hearing $hearing"
  latest=$(printf '%s\\n' "$listed" | sed -E 's/.*"version":([0-9]+)}}.*/\\1/' | sort -n | tail -n 1)
  [ "$latest" = "$version" ] || fail "docket: version $version is superseded by version $latest"
  ok "docket: the court's current pack for hearing $hearing (version $version)"
else
  echo "NOTE: no docket.json was published: whether a newer pack supersedes this one is not checked"
fi
echo "VERIFIED"
"""
