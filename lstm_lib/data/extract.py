"""Extract the two corpora of chapter 8 from Debian packages, once (the course never downloads data at run time).

Run on a Debian/Ubuntu machine (bookworm was used), from the repository root:

    python lstm_lib/data/extract.py            # writes lstm_lib/data/tang300.txt and lstm_lib/data/kjv_psalms.txt
    python lstm_lib/data/extract.py --check    # re-extracts into a temporary folder and compares with the shipped files

What it does:

- ``apt-get download fortunes-zh bible-kjv bible-kjv-text`` (no root needed) and ``dpkg-deb -x`` each package into a
  temporary folder;
- **tang300.txt** from ``usr/share/games/fortunes/tang300`` (fortunes-zh): the terminal colour codes (``ESC[32m`` …)
  and the fortune separators (``%`` lines) are removed; each poem keeps its title line (``《…》``), its poet line
  (``作者：…``) and its verse lines, poems separated by one blank line; trailing spaces are stripped;
- **kjv_psalms.txt** from ``usr/lib/bible.data`` (bible-kjv-text), which is compressed: it is decoded by the
  package's own ``bible`` program (bible-kjv) with a line width large enough that no verse wraps
  (``bible -l100000 -p … -d bible.data ps1:1-ps150:6``); the output's ``Psalms N`` headings become ``Psalm N``, the
  verse numbers are dropped, one verse per line, psalms separated by one blank line.

Both files are UTF-8 with ``\\n`` line ends and end with one newline. Their SHA-256 are in ``lstm_lib.corpus.CORPORA``
and in ``README.md`` beside them.
"""
import argparse
import glob
import hashlib
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGES = ("fortunes-zh", "bible-kjv", "bible-kjv-text")


def unpack(workdir):
    """Download the three .deb files into workdir and unpack each into workdir/<package>/."""
    subprocess.run(["apt-get", "download", *PACKAGES], cwd=workdir, check=True, capture_output=True)
    roots = {}
    for name in PACKAGES:
        deb, = glob.glob(os.path.join(workdir, f"{name}_*.deb"))
        roots[name] = os.path.join(workdir, name)
        subprocess.run(["dpkg-deb", "-x", deb, roots[name]], check=True)
        print(f"unpacked {os.path.basename(deb)}")
    return roots


def clean_tang300(raw):
    text = re.sub(r"\x1b\[[0-9;]*m", "", raw)                       # terminal colour codes around title and poet
    poems = []
    for block in re.split(r"^%\s*$", text, flags=re.M):             # fortune separators
        lines = [line.rstrip() for line in block.strip("\n").split("\n")]
        lines = [line for line in lines if line]
        if lines:
            poems.append("\n".join(lines))
    return "\n\n".join(poems) + "\n"


def clean_psalms(raw):
    psalms, verses = [], None
    for line in raw.split("\n"):
        line = line.strip()
        if not line:
            continue
        m = re.fullmatch(r"Psalms (\d+)", line)
        if m:
            verses = [f"Psalm {m.group(1)}"]
            psalms.append(verses)
            continue
        m = re.fullmatch(r"(\d+) (.+)", line)
        if m is None or verses is None:
            raise ValueError(f"unexpected line in the bible program's output: {line!r}")
        verses.append(m.group(2))
    return "\n\n".join("\n".join(v) for v in psalms) + "\n"


def extract(outdir):
    with tempfile.TemporaryDirectory() as work:
        roots = unpack(work)
        with open(os.path.join(roots["fortunes-zh"], "usr/share/games/fortunes/tang300"), encoding="utf-8") as f:
            tang = clean_tang300(f.read())
        bible = os.path.join(roots["bible-kjv"], "usr/bin/bible")
        data = os.path.join(roots["bible-kjv-text"], "usr/lib")
        out = subprocess.run([bible, "-l100000", "-p", data, "-d", "bible.data", "ps1:1-ps150:6"], check=True,
                             capture_output=True, text=True, env={**os.environ, "COLUMNS": "100000"}).stdout
        psalms = clean_psalms(out)
    paths = {}
    for name, text in (("tang300.txt", tang), ("kjv_psalms.txt", psalms)):
        paths[name] = os.path.join(outdir, name)
        with open(paths[name], "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        print(f"{name}: {len(text)} characters, {len(set(text))} distinct, sha256 {digest}")
    return paths


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="extract into a temporary folder and compare")
    args = ap.parse_args()
    if not args.check:
        extract(HERE)
        return
    with tempfile.TemporaryDirectory() as tmp:
        paths = extract(tmp)
        same = True
        for name, path in paths.items():
            with open(path, "rb") as a, open(os.path.join(HERE, name), "rb") as b:
                ok = a.read() == b.read()
            print(f"{name}: {'identical to the shipped file' if ok else 'DIFFERS from the shipped file'}")
            same &= ok
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
