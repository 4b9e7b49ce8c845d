"""``VERIFY.txt``: the plain commands that check a pack without voirdire, with this pack's facts filled in.

It is a bash script a court's IT can read line by line and run as written (``bash VERIFY.txt``
from the pack's folder). It uses only ``bagit.py --validate``, ``openssl pkeyutl``, ``openssl ts
-verify``, ``sha256sum``/``sha512sum`` and core shell tools (``sed``, ``base64``, ``grep``, ``cmp``).
"""

from __future__ import annotations

from evidence_pack.profile import BAG_FILES, MODEL_ARTIFACTS, ROOT_ENTRIES, SEAL_FILES, SEAL_OPTIONAL
from evidence_pack.signing import DSSE_PAYLOAD_TYPE

__all__ = ["verify_script"]


def _listing(names: tuple[str, ...]) -> str:
    return " ".join(sorted(names)) + " "


def verify_script(*, case_id: str, version: int, sealer: str, fingerprint: str, model_artifact: str | None) -> str:
    """``model_artifact``: the file in ``bag/data/model/`` whose sha256 is the model's identity; None when escrowed."""
    if model_artifact is not None and model_artifact not in MODEL_ARTIFACTS:
        raise ValueError(f"model artifact {model_artifact!r}: one of {MODEL_ARTIFACTS}")
    seal_allowed = "|".join(sorted(SEAL_FILES + SEAL_OPTIONAL))
    model_check = (
        f"""digest=$(sha256sum bag/data/model/{model_artifact} | cut -d' ' -f1)
grep -q "\\"model\\":{{[^}}]*\\"sha256\\":\\"$digest\\"" "$work/statement.payload" \\
   || fail "model: bag/data/model/{model_artifact} is not the model named in the statement"
ok "model: the sealed model is the one named in the statement\""""
        if model_artifact is not None
        else 'echo "NOTE: the model did not travel (bag/data/model/ESCROW.json names its digest and custodian)"'
    )
    return f"""# VERIFY.txt: check this evidence pack with standard tools only (no voirdire needed).
#
# Pack: case {case_id}, version {version}, sealed by {sealer}.
# Sealer's key fingerprint (sha256 of the raw Ed25519 public key): {fingerprint}
#
# Run from the folder that holds this file:   bash VERIFY.txt
# First set, from sources the court trusts (never from this pack):
#   SEALER_KEY  the sealer's public key (PEM) as the court publishes it
#   TSA_ROOT    the root certificate of the court's timestamp authority (PEM)
#   COURT_ROOT  optional: the court CA's root, if the court issued the sealer a certificate
# Each step prints OK or FAILED; the script stops at the first failure with exit status 1.
set -u
export LC_ALL=C
fail() {{ echo "FAILED: $1"; exit 1; }}
ok() {{ echo "OK: $1"; }}
: "${{SEALER_KEY:?set SEALER_KEY to the sealer's published public key}}"
: "${{TSA_ROOT:?set TSA_ROOT to the court TSA's root certificate}}"
work=$(mktemp -d) || fail "no temporary folder"
trap 'rm -rf "$work"' EXIT

# 1. Profile: only the listed files; no fetch.txt (a holey bag); no path leaving the bag; no links.
[ "$(ls -A . | sort | tr '\\n' ' ')" = "{_listing(ROOT_ENTRIES)}" ] || fail "profile: unlisted files at the top"
[ "$(ls -A bag | sort | tr '\\n' ' ')" = "{_listing((*BAG_FILES, "data"))}" ] \\
  || fail "profile: unlisted files in bag/"
for f in seal/* seal/.[!.]*; do
  [ -e "$f" ] || continue
  case "${{f#seal/}}" in {seal_allowed}) ;; *) fail "profile: unlisted file $f";; esac
done
! sed -E 's/^[^[:space:]]+[[:space:]]+//' bag/manifest-*.txt bag/tagmanifest-*.txt | grep -Eq '(^|/)\\.\\.(/|$)|^/' \\
  || fail "profile: a manifest path leaves the bag"
[ -z "$(find . -type l)" ] || fail "profile: the pack holds a link"
ok "profile"

# 2. The bag: every payload and tag file complete and unchanged (never --fast: it passes same-size edits).
bagit.py --validate bag >"$work/bagit.log" 2>&1 || {{ cat "$work/bagit.log"; fail "bag: bagit.py --validate"; }}
ok "bag: bagit.py --validate"

# 3. The sealer's signature over the tag manifest (which lists the payload manifests' digests).
openssl pkeyutl -verify -pubin -inkey "$SEALER_KEY" -rawin -in bag/tagmanifest-sha256.txt \\
  -sigfile seal/tagmanifest-sha256.txt.sig >/dev/null || fail "signature: bag/tagmanifest-sha256.txt"
ok "signature: bag/tagmanifest-sha256.txt"
if [ -n "${{COURT_ROOT:-}}" ]; then
  openssl verify -CAfile "$COURT_ROOT" seal/sealer.cert.pem || fail "certificate: seal/sealer.cert.pem"
fi

# 4. The signed statement (DSSE): rebuild the signing input, check the signature.
sed -n 's/.*"payload":"\\([^"]*\\)".*/\\1/p' seal/statement.json | base64 -d >"$work/statement.payload" \\
  || fail "statement: seal/statement.json has no payload"
sed -n 's/.*"sig":"\\([^"]*\\)".*/\\1/p' seal/statement.json | base64 -d >"$work/statement.sig" \\
  || fail "statement: seal/statement.json has no signature"
cmp -s "$work/statement.sig" seal/statement.sig || fail "statement: seal/statement.sig is not the statement's signature"
type='{DSSE_PAYLOAD_TYPE}'
printf 'DSSEv1 %d %s %d ' "${{#type}}" "$type" "$(wc -c <"$work/statement.payload")" >"$work/pae"
cat "$work/statement.payload" >>"$work/pae"
openssl pkeyutl -verify -pubin -inkey "$SEALER_KEY" -rawin -in "$work/pae" -sigfile seal/statement.sig >/dev/null \\
  || fail "statement: signature"
ok "statement: signed by the sealer"

# 5. The statement names exactly these tag manifests and these unsigned files.
grep -q "\\"sha256\\":\\"$(sha256sum bag/tagmanifest-sha256.txt | cut -d' ' -f1)\\"" "$work/statement.payload" \\
  || fail "statement: bag/tagmanifest-sha256.txt is not the one signed"
grep -q "\\"sha512\\":\\"$(sha512sum bag/tagmanifest-sha512.txt | cut -d' ' -f1)\\"" "$work/statement.payload" \\
  || fail "statement: bag/tagmanifest-sha512.txt is not the one signed"
for f in VERIFY.txt seal/profile.json seal/sealer.pub.pem; do
  grep -q "\\"$f\\":\\"$(sha256sum "$f" | cut -d' ' -f1)\\"" "$work/statement.payload" \\
    || fail "statement: $f was changed"
done
ok "statement: tag manifests, VERIFY.txt, profile and key are the signed ones"

# 6. The timestamp: an authority under TSA_ROOT vouches that the statement's signature existed then.
openssl ts -verify -data seal/statement.sig -in seal/statement.tsr -CAfile "$TSA_ROOT" >/dev/null 2>&1 \\
  || fail "timestamp: seal/statement.tsr"
openssl pkeyutl -verify -pubin -inkey "$SEALER_KEY" -rawin -in seal/statement.tsr -sigfile seal/statement.tsr.sig \\
  >/dev/null || fail "timestamp: the sealer's countersignature over seal/statement.tsr"
ok "timestamp"

# 7. The hearing record: each entry carries the sha256 of the one before; the head and length are signed.
prev={"0" * 64}; n=0
while IFS= read -r line; do
  n=$((n + 1))
  case "$line" in *"\\"prev_sha256\\":\\"$prev\\""*) ;;
    *) fail "hearing record: entry $n does not follow entry $((n - 1))";; esac
  case "$line" in *"\\"seq\\":$n,"*) ;; *) fail "hearing record: entry $n is out of place";; esac
  prev=$(printf '%s' "$line" | sha256sum | cut -d' ' -f1)
done <bag/data/hearing/log.jsonl
grep -q "\\"head\\":\\"$prev\\",\\"length\\":$n[,}}]" "$work/statement.payload" \\
  || fail "hearing record: ends at entry $n ($prev), not at the head and length in the statement"
m=0
while IFS= read -r result <&3 && IFS= read -r line <&4; do
  m=$((m + 1))
  case "$line" in *"\\"result_sha256\\":\\"$(printf '%s' "$result" | sha256sum | cut -d' ' -f1)\\""*) ;;
    *) fail "hearing record: the result of entry $m is not the one recorded";; esac
done 3<bag/data/hearing/results.jsonl 4<bag/data/hearing/log.jsonl
[ "$m" -eq "$n" ] || fail "hearing record: $m results for $n entries"
ok "hearing record: $n entries, head $prev"

# 8. The model.
{model_check}
echo "VERIFIED"
"""
