"""baikonur-pub: bilingual report publishing — assemble, cross-check, render."""

__version__ = "0.1.0"
