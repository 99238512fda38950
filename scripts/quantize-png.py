#!/usr/bin/python3
"""Shrink a rendered map to an indexed PNG (Debian's python3-pil and
python3-numpy): a palette of the picture's 120 commonest colours (median cut)
plus the colours given, each pixel mapped to its nearest palette colour
exactly (no dithering: flat fills stay flat, and a given colour, a legend's
swatch of a class that fills little of the map, stays exact).
Usage: quantize-png.py in.png out.png '#d7191c' '#fdae61' ..."""
import sys

import numpy as np
from PIL import Image


def main():
    src, dst, keep = sys.argv[1], sys.argv[2], sys.argv[3:]
    im = Image.open(src).convert('RGB')
    base = im.quantize(120, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    pal = np.array(base.getpalette()[:3 * 120], dtype=np.int32).reshape(-1, 3)
    pal = np.vstack([pal] + [np.array([[int(h[i:i + 2], 16) for i in (1, 3, 5)]]) for h in keep])
    px = np.asarray(im, dtype=np.int32).reshape(-1, 3)
    idx = np.empty(len(px), dtype=np.uint8)
    for a in range(0, len(px), 65536):
        d = ((px[a:a + 65536, None, :] - pal[None, :, :]) ** 2).sum(axis=2)
        idx[a:a + 65536] = d.argmin(axis=1)
    out = Image.fromarray(idx.reshape(im.height, im.width), 'P')
    out.putpalette(pal.astype(np.uint8).ravel().tolist())
    out.save(dst, optimize=True)


if __name__ == '__main__':
    main()
