"""The live page in a real browser (Debian's headless Chromium via selenium) on a real worker and broker.

The page is opened on an empty worker; then the sample wire is published, and every
one of its events must appear in the feed without a reload (the page keeps a marker
set in its window), each with its evidence, outlet and a link to its article; the
dyad timeline and the story table fill in; the health badge says ok.
``WIREWATCH_SCREENSHOT=path.png`` keeps a screenshot (the README's is made so).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from streamkit import StreamEnv, Worker, encode, publish, sample_articles

from streams.adapters.nlp import load_coder

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")


@pytest.fixture
def browser() -> Iterator[webdriver.Chrome]:
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not os.access(path, os.X_OK)]
    if missing:
        pytest.fail(
            f"the live-page test needs a browser: {', '.join(missing)} missing; run `make browser` "
            "(installs Debian's chromium and chromium-driver when root)",
            pytrace=False,
        )
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="wirewatch-chromium-")
    # the machine may have no network: nothing may try to reach Google's services
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
        "--window-size=1360,1000",
    ):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def feed_ids(driver: webdriver.Chrome) -> set[str]:
    return {item.get_attribute("data-event-id") for item in driver.find_elements(By.CSS_SELECTOR, "#feed li")}


def test_published_articles_appear_on_the_open_page_without_a_reload(kafka_bootstrap, tmp_path, browser):
    env = StreamEnv(kafka_bootstrap, tmp_path)
    env.create_topics()
    raws = sample_articles()
    expected = [e for o in load_coder().process_batch(raws) for e in o.events]
    by_id = {e.event_id: e for e in expected}
    worker = Worker(env).start()
    try:
        worker.wait_healthy()
        browser.get(worker.url + "/")
        wait = WebDriverWait(browser, 60, poll_frequency=0.5)
        wait.until(lambda d: d.find_element(By.ID, "health-status").text == "ok")
        assert feed_ids(browser) == set() and browser.find_element(By.ID, "feed-empty").is_displayed()
        browser.execute_script("window.wirewatchMarker = 'opened before publishing';")

        publish(kafka_bootstrap, env.topics["raw"], (encode(raw) for raw in raws))
        try:
            WebDriverWait(browser, 180, poll_frequency=1).until(lambda d: feed_ids(d) >= set(by_id))
        except TimeoutException:
            raise AssertionError(
                f"on the page: {len(feed_ids(browser))} of {len(by_id)} events\n{worker.log_tail()}"
            ) from None
        assert browser.execute_script("return window.wirewatchMarker;") == "opened before publishing"

        for event_id, event in by_id.items():
            item = browser.find_element(By.CSS_SELECTOR, f'#feed li[data-event-id="{event_id}"]')
            text = item.text
            assert event.evidence[0].text[:60] in text.replace("\n", " ")
            assert event.article_source in item.find_element(By.CLASS_NAME, "outlet").text
            links = item.find_elements(By.CSS_SELECTOR, "a.article")
            if event.article_url:
                assert [a.get_attribute("href") for a in links] == [event.article_url]
            else:
                assert links == [] and "no link" in item.find_element(By.CLASS_NAME, "article").text

        # the timeline picks a dyad of the feed and draws its days; the stories arrive by mention count
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#timeline svg rect[data-quad]"))
        assert "events" in browser.find_element(By.ID, "timeline-title").text
        wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#stories tbody tr")) >= 3)
        mentions = [int(td.text) for td in browser.find_elements(By.CSS_SELECTOR, "#stories tbody td.num")]
        assert mentions == sorted(mentions, reverse=True) and mentions[0] == 2
        assert browser.find_element(By.ID, "health-status").text == "ok"
        problems = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
        assert problems == [], problems

        shot = Path(os.environ.get("WIREWATCH_SCREENSHOT") or tmp_path / "live-page.png")
        browser.execute_script("window.scrollTo(0, 0);")
        assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 10_000
    finally:
        code = worker.stop()
    assert code == 0, worker.log_tail()
