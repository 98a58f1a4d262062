"""The preview in a real browser: Debian's chromium driven by selenium through chromedriver.

The page is opened once; then a chapter changes on disk and the new sentence must appear in
the page by itself (no reload: a value the test leaves in the page survives, and so does the
scroll position). Without chromium or chromedriver the test is skipped, except under CI=true,
where it fails.
"""

from __future__ import annotations

import re
import shutil

import pytest

from baikonur_pub import config
from baikonur_pub.environment import in_ci

from conftest import copy_project
from preview_server import PreviewProcess

CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  "--disable-dev-shm-usage", "--window-size=1280,900")


def _browser(profile):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        chromium = None
    if not (chromium and driver):
        message = "the browser test needs Debian's chromium and chromium-driver, and selenium"
        if in_ci():
            pytest.fail(f"browser missing under CI: {message}")
        pytest.skip(message)
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(executable_path=driver), options=options)


@pytest.mark.slow
def test_a_saved_chapter_appears_in_the_open_page_without_reload(tmp_path, monkeypatch):
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    def until(seconds, condition):
        """Wait for `condition`; an element the page replaced while it was read is read again."""
        return WebDriverWait(browser, seconds, ignored_exceptions=(
            StaleElementReferenceException,)).until(condition)

    monkeypatch.setenv("SE_OFFLINE", "true")  # selenium must not look for drivers online
    root = copy_project("shipped", tmp_path / "project")
    chapter = config.load(root).language("it").chapters[2]
    server = PreviewProcess(root)
    browser = _browser(tmp_path / "profile")
    try:
        browser.get(server.url)
        assert "Introduzione" in browser.find_element(By.ID, "rows").text
        until(30, lambda b: b.execute_script("return document.body.dataset.version") is not None)
        browser.execute_script("window.scrollTo(0, 1200); window.stayedOpen = 'yes';")
        until(10, lambda b: b.execute_script("return window.scrollY") > 0)
        scrolled = browser.execute_script("return window.scrollY")

        sentence = "Questa frase nuova compare nella pagina senza ricaricarla."
        chapter.write_text(chapter.read_text(encoding="utf-8") + f"\n{sentence}\n", encoding="utf-8")
        until(30, lambda b: sentence in b.find_element(By.ID, "rows").text)
        # "checking…" while the cross-check runs, then the version alone
        until(30, lambda b: not b.execute_script("return document.body.hasAttribute('data-busy')"))
        assert browser.find_element(By.ID, "live").text == "version " + browser.execute_script(
            "return document.body.dataset.version")

        assert browser.execute_script("return window.stayedOpen") == "yes"  # not reloaded
        assert abs(browser.execute_script("return window.scrollY") - scrolled) < 50
        browser.save_screenshot(str(tmp_path / "preview.png"))

        chapter.write_text(chapter.read_text(encoding="utf-8") + "\n::: note\nopen\n", encoding="utf-8")
        until(30, lambda b: "fenced div (:::) is never closed" in b.find_element(By.ID, "errors").text)
        until(10, lambda b: sentence in b.find_element(By.ID, "rows").text)  # the last good text stays
        assert browser.execute_script("return window.stayedOpen") == "yes"
    finally:
        browser.quit()
        server.stop()


@pytest.mark.slow
def test_many_languages_side_by_side_keep_their_words_inside_their_columns(tmp_path, monkeypatch):
    """Five languages in a 1280-pixel window: each column keeps a reading width (the page
    scrolls sideways) and a word longer than its column wraps. With seven, the columns had
    shrunk to a few words each and a long title ran into its neighbour."""
    from selenium.webdriver.common.by import By

    monkeypatch.setenv("SE_OFFLINE", "true")
    root = copy_project("minimal", tmp_path / "project")
    source = root / "manuscript" / "publication.yaml"
    text = source.read_text(encoding="utf-8")
    long_title = "Versionsnummernvergabespezifikationsbeschreibung"
    for code in ("de", "fr", "es"):
        text += (f"  {code}:\n    title: {long_title}\n    chapters:\n"
                 f"      - {code}/01-one.md\n      - {code}/02-two.md\n")
        shutil.copytree(root / "manuscript" / "en", root / "manuscript" / code)
    source.write_text(text, encoding="utf-8")
    references = root / "manuscript" / "references.yaml"  # one title for every language
    references.write_text(references.read_text(encoding="utf-8").replace(
        "    title:\n      it: Un titolo\n      en: A title\n", "    title: A title\n"), encoding="utf-8")
    server = PreviewProcess(root)
    browser = _browser(tmp_path / "profile")
    try:
        browser.get(server.url)
        assert long_title in browser.find_element(By.ID, "rows").text
        overflowing = browser.execute_script(
            "return [...document.querySelectorAll('.cell')].filter("
            "c => c.scrollWidth > c.clientWidth + 1).map(c => c.textContent.slice(0, 40))")
        assert overflowing == []
        widths = browser.execute_script(
            "const rem = parseFloat(getComputedStyle(document.documentElement).fontSize);"
            "return [...document.querySelector('.row').children].filter(c => c.matches('.cell'))"
            ".map(c => c.getBoundingClientRect().width / rem)")
        assert len(widths) == 5 and min(widths) >= 17, widths
        # A translator's view: the primary language and theirs, as wide as the window allows
        browser.find_element(By.LINK_TEXT, "it · de").click()
        visible = browser.execute_script(
            "return [...document.querySelector('.row').children].filter(c => c.matches('.cell')"
            " && getComputedStyle(c).display !== 'none').map(c => c.lang)")
        assert visible == ["it-IT", "de-DE"] and browser.current_url.endswith("/?with=de")
        # and the PDFs: every language's pane, or the pair's alone
        assert server.page("/pdf").count('class="pdf-pane"') == 5
        pair = server.page("/pdf?with=de")
        assert re.findall(r'class="pdf-pane" data-lang="(\w+)"', pair) == ["it", "de"]
        assert '<a href="/pdf?with=fr">PDF it · fr</a>' in pair
    finally:
        browser.quit()
        server.stop()
