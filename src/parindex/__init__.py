"""parindex: yearly PAR INDEX and SIPAS reports from validated data, as HTML and PDF."""

__version__ = "0.1.0"
