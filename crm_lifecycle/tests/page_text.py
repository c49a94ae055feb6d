# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What a person reads in a browser tour, and whether it is in their language.

A tour step made with ``readScreen(name)`` (static/tests/tours/
crm_lifecycle_tour_utils.js) logs the text of the screen; ``PageTextTourMixin``
collects those texts while the tour runs, and ``assertNoEnglish`` fails on any
line that is a source string of our addons whose Spanish differs."""

import json
import re
from unittest.mock import patch

import polib

from odoo.tools.misc import file_path

from . import common

OUR_ADDONS = (
    "crm_lifecycle",
    "crm_segmentation",
    "crm_complaints",
    "crm_segmentation_mass_mailing",
    "crm_lifecycle_mass_mailing",
    "crm_privacy",
    "crm_privacy_complaints",
    "crm_lifecycle_credit_control",
    "crm_complaints_rma",
    "crm_segmentation_dashboard",
)
PAGE_TEXT = "crm-page-text "
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]")


class PageTextBrowser(common.TourBrowser):
    """Keeps the texts that the tour's "Read the screen" steps log."""

    page_texts = None

    def _handle_console(self, **params):
        args = params.get("args") or []
        if params.get("type") == "log" and args:
            message = str(self._from_remoteobject(args[0]))
            if message.startswith(PAGE_TEXT):
                self.page_texts.append(json.loads(message[len(PAGE_TEXT) :]))
                return
        return super()._handle_console(**params)


def english_strings():
    """The source strings of our addons whose Spanish differs: each as a
    matcher of one line of the page (placeholders match any text)."""
    entries, spanish = [], set()
    for addon in OUR_ADDONS:
        try:
            path = file_path(f"{addon}/i18n/es.po")
        except FileNotFoundError:
            continue
        for entry in polib.pofile(path):
            if entry.obsolete or "fuzzy" in entry.flags:
                continue
            msgid = entry.msgid.strip()
            if not entry.msgstr and " " not in msgid:
                # a single word left empty is a cognate (Total, Color): the
                # convention of tools/update_translations.py
                continue
            spanish.add(entry.msgstr.strip())
            entries.append(msgid)
    matchers = {}
    for msgid in entries:
        # words the same in both languages (RFM, Total...) are not English
        if len(msgid) < 4 or msgid in spanish or "\n" in msgid:
            continue
        parts = PLACEHOLDER.split(msgid)
        words = [w for w in " ".join(parts).split() if any(c.isalpha() for c in w)]
        if not words:
            # placeholders and punctuation only ("%(a)s, %(b)s: %(c)s"): the
            # same in every language, and it would match any line
            continue
        if len(parts) > 1 and len(words) < 2 and not msgid.endswith(":"):
            # "Contact %(id)s" would match any line that starts with "Contact"
            if not any(word.endswith(":") for word in words):
                continue
        pattern = ".+?".join(re.escape(part) for part in parts)
        matchers[msgid] = re.compile(pattern)
    return matchers


class PageTextTourMixin:
    """For a BrowserTourCase: run a tour and keep what it read."""

    lang = "en_US"

    @classmethod
    def _activate_tour_lang(cls):
        if cls.lang != "en_US":
            cls.env["res.lang"]._activate_lang(cls.lang)
            cls.env["ir.module.module"].search(
                [("state", "=", "installed")]
            )._update_translations([cls.lang])

    def run_reading_tour(self, url, tour, login):
        texts = []
        browser = type("Browser", (PageTextBrowser,), {"page_texts": texts})
        with patch.object(common, "TourBrowser", browser):
            self.start_tour(url, tour, login=login)
        self.assertTrue(texts, "The tour read no screen")
        if self.lang != "en_US":
            self.assertNoEnglish(texts)
        return texts

    def assertNoEnglish(self, texts):
        matchers = english_strings()
        self.assertGreater(len(matchers), 100)
        found = []
        for page in texts:
            lines = {line.strip() for line in page["text"].splitlines()}
            for msgid, matcher in matchers.items():
                found.extend(
                    f"{page['screen']}: {line!r} ({msgid!r})"
                    for line in lines
                    if matcher.fullmatch(line)
                )
        self.assertFalse(found, "English strings in the Spanish screens")
