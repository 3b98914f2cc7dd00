"""Composition root of anninh: settings, i18n, CLI and the PTB Application."""
