"""Imported once by the layout pool's server process, before it forks any worker: WeasyPrint,
pypdfium2, the fonts' character maps and Babel's
root locale data are then in every worker from its first instant.
A failure here is silent on purpose: the worker's own import then raises the located error
(a missing system library names its Debian package)."""

try:
    import pypdfium2  # noqa: F401 - rasterises the EPUB covers
    from babel import Locale

    from . import fonts, weasy
    from .pdf import covered_characters

    weasy.load()
    covered_characters()
    fonts.warm()
    Locale.parse("en").languages  # Babel's root data, which every locale builds on (50 ms)
except Exception:  # noqa: BLE001 - reported by the worker that needs it
    pass
