"""Reads the QR code `wemeet open --lan` printed in a terminal (text with ▀ ▄ █), as a
phone's camera would: draws it as an image and decodes it with zbarimg (zbar-tools).

Usage: qr_read.py FILE   — prints the decoded text.
"""
import subprocess
import sys
import tempfile


def main():
    lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
    rows = []
    for line in lines:
        if not any(c in line for c in "█▀▄"):
            continue
        rows.append([c in "█▀" for c in line])
        rows.append([c in "█▄" for c in line])
    width = max(len(r) for r in rows)
    pad, scale = 8, 6
    full = [[False] * (width + 2 * pad)] * pad
    full += [[False] * pad + r + [False] * (width - len(r) + pad) for r in rows]
    full += [[False] * (width + 2 * pad)] * pad
    out = [f"P2 {len(full[0]) * scale} {len(full) * scale} 255"]
    for r in full:
        line = " ".join("0" if dark else "255" for dark in r for _ in range(scale))
        out += [line] * scale
    with tempfile.NamedTemporaryFile("w", suffix=".pgm", delete=False) as image:
        image.write("\n".join(out) + "\n")
    result = subprocess.run(["zbarimg", "-q", "--raw", image.name], capture_output=True, text=True)
    print(result.stdout.strip())
    sys.exit(result.returncode)


main()
