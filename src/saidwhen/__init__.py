"""saidwhen: who said what, when — with the evidence."""

__version__ = "0.1.0"
