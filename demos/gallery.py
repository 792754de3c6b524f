"""Regenerate the README's gallery: run the full demos, copy their key pictures to docs/gallery/.

    python -m demos.gallery      (about two minutes)

Pictures are kept small for the repository: at most 1400 pixels wide and reduced to 256 colours,
which matplotlib's plots and graphviz's boxes survive unharmed.
"""
from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a file, not with -m: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image

from demos._common import REPO

GALLERY = REPO / "docs" / "gallery"
MAX_WIDTH = 1400
PICTURES = {  # demo -> {picture it writes: name in the gallery}
    "moons": {"decision_boundary.png": "moons_decision_boundary.png",
              "curves.png": "moons_curves.png", "neuron.png": "neuron_graph.png"},
    "spiral": {"spiral.png": "spiral.png"},
    "vanishing_gradients": {"gradient_norms.png": "vanishing_gradients.png",
                            "heat_sigmoid.png": "gradient_heat.png"},
    "optimizers": {"rosenbrock_paths.png": "optimizers_rosenbrock.png"},
    "overfitting": {"overfitting.png": "overfitting.png"},
    "forward_vs_reverse": {"forward_vs_reverse.png": "forward_vs_reverse.png"},
    "digits": {"misclassified.png": "digits_misclassified.png",
               "first_layer.png": "digits_first_layer.png"},
}


def shrink(source: Path, target: Path) -> Path:
    """Copy a PNG, narrower than MAX_WIDTH and in 256 colours on white."""
    with Image.open(source) as picture:
        picture = picture.convert("RGBA")
        if picture.width > MAX_WIDTH:
            height = round(picture.height * MAX_WIDTH / picture.width)
            picture = picture.resize((MAX_WIDTH, height), Image.LANCZOS)
        white = Image.new("RGBA", picture.size, "white")
        flat = Image.alpha_composite(white, picture).convert("RGB")
        flat.quantize(256).save(target, optimize=True)
    return target


def main(argv: list[str] | None = None) -> list[Path]:
    parser = argparse.ArgumentParser(  # no options, but --help must not start minutes of work
        prog="python -m demos.gallery",
        description=f"Run {', '.join(PICTURES)} in full (default seeds, pictures in out/) and "
                    f"copy their key pictures, shrunk, to {GALLERY.relative_to(REPO)}/.")
    parser.parse_args(argv)
    GALLERY.mkdir(parents=True, exist_ok=True)
    print(f"running {len(PICTURES)} demos in full ({', '.join(PICTURES)}): about two minutes; "
          f"then their key pictures go to {GALLERY.relative_to(REPO)}/", flush=True)
    written = []
    for k, (name, pictures) in enumerate(PICTURES.items(), 1):
        print(f"\n[{k}/{len(PICTURES)}] python -m demos.{name}", flush=True)
        result = importlib.import_module(f"demos.{name}").main([])
        files = {Path(f).name: Path(f) for f in result["files"]}
        for source, target in pictures.items():
            written.append(shrink(files[source], GALLERY / target))
    print("\ngallery:")
    for path in written:
        print(f"  {path.relative_to(REPO)}  {path.stat().st_size // 1024} KB")
    return written


if __name__ == "__main__":
    main()
