"""The dashboard in a real browser (Debian's Chromium driven by Playwright) against the real app.

The store is built once for the module from the seed, twenty Wikinews articles and two short
synthetic articles written here: one about a shelling whose text carries script and onerror
payloads (it must show as literal text), one reporting a breach of the seed's ceasefire (so the
ceasefire view has a violation to chart). The app runs under uvicorn in a thread on a free
loopback port.

Screenshots: set SITREP_SCREENSHOTS=1 to (over)write docs/screenshots/{map-1280,ceasefire,
phone}.png; otherwise they are taken into a temporary folder, so a plain test run leaves the
checkout untouched.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from sitrep.api import create_app
from sitrep.ingest import ingest
from sitrep.store import Store

from conftest import CORPUS, REPO, SEED, corpus_index

pytestmark = pytest.mark.slow

CHROMIUM = Path(os.environ.get("SITREP_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
SCREENSHOTS = REPO / "docs" / "screenshots"

if not CHROMIUM.exists() and not os.environ.get("CI"):
    pytest.skip(
        f"no Chromium at {CHROMIUM} (apt install chromium, or set SITREP_CHROMIUM); "
        "in CI this is a failure",
        allow_module_level=True,
    )

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402

XSS_ARTICLE = """\
Artillery shells hit Kharkiv suburb, officials say

Kharkiv, 3 March 2022. Russian forces shelled the Saltivka district of Kharkiv on Thursday, \
killing four civilians, the Ukrainian Interior Ministry said <script>window.__xss=1</script> \
in a statement.

Residents described the blasts <img src=x onerror="window.__xss=2"> as the heaviest since the \
start of the week, and emergency crews worked through the night to clear the rubble.

The Russian Defence Ministry denied that its forces had shelled residential areas of Kharkiv.
"""
SCRIPT_PAYLOAD = "<script>window.__xss=1</script>"
IMG_PAYLOAD = '<img src=x onerror="window.__xss=2">'

# synthetic: a breach of the seed's ceasefire (13 September 2022), reported by Armenia
VIOLATION_ARTICLE = """\
Armenia says Azerbaijan broke the truce near Jermuk

Yerevan, 15 September 2022. The Armenian Defence Ministry said on Thursday that Azerbaijani \
forces shelled positions near Jermuk with artillery, in violation of the ceasefire agreed on \
Tuesday.

The Azerbaijani Defence Ministry said Armenian forces had fired on its positions near Lachin on \
Wednesday.
"""


# -- the store, the server, the browser -------------------------------------------------------


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("web")
    xss = folder / "kharkiv-shelling.txt"
    xss.write_text(XSS_ARTICLE, encoding="utf-8")
    breach = folder / "jermuk-breach.txt"
    breach.write_text(VIOLATION_ARTICLE, encoding="utf-8")
    rows = corpus_index()
    wikinews = [r["file"] for r in rows if r["language"] == "en"][:10]
    wikinews += [r["file"] for r in rows if r["language"] == "fr"][:10]
    paths = [SEED / "ceasefire-fr.raw.txt", *(CORPUS / f for f in wikinews), xss, breach]
    path = str(folder / "web.duckdb")
    with Store(path) as store:
        summary = ingest([str(p) for p in paths], store, executor="inline")
    assert summary.stored == len(paths) and not summary.rejected
    return path


@pytest.fixture(scope="module")
def base_url(db: str) -> Iterator[str]:
    app = create_app(db, read_only=True)
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def api(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: the browser tests cannot run in CI without it")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    if os.environ.get("SITREP_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        return SCREENSHOTS
    return tmp_path


@dataclass
class Watched:
    """A page with what it said: console errors, uncaught errors, dialogs, CSP violations."""

    page: Page
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def csp_violations(self) -> list[Any]:
        return self.page.evaluate("window.__csp || []")

    def assert_clean(self) -> None:
        csp = [e for e in self.errors if "Content Security Policy" in e]
        assert not csp and not self.csp_violations(), (csp, self.csp_violations())
        assert not self.errors, self.errors
        assert not self.dialogs, self.dialogs


# registered before any page script, by the DevTools protocol (CSP does not apply to it)
RECORD_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push({directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile,
                     line: e.lineNumber, sample: e.sample});
});
"""


def open_page(browser: Browser, base_url: str, **context: Any) -> Watched:
    ctx = browser.new_context(**context)
    ctx.add_init_script(RECORD_CSP)
    page = ctx.new_page()
    page.set_default_timeout(15_000)
    watched = Watched(page)
    page.on("console", lambda m: m.type == "error" and watched.errors.append(m.text))
    page.on("pageerror", lambda e: watched.errors.append(f"uncaught: {e}"))

    def on_dialog(dialog: Any) -> None:
        watched.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(f"{base_url}/")
    page.wait_for_selector("body[data-ready=true]")
    return watched


@pytest.fixture
def desk(browser: Browser, base_url: str) -> Iterator[Watched]:
    watched = open_page(browser, base_url, viewport={"width": 1280, "height": 800})
    yield watched
    watched.page.context.close()


@pytest.fixture
def phone(browser: Browser, base_url: str) -> Iterator[Watched]:
    watched = open_page(
        browser,
        base_url,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    yield watched
    watched.page.context.close()


# -- helpers ----------------------------------------------------------------------------------

MARKERS = ".leaflet-overlay-pane path.event-marker"


def total(api: httpx.Client, **params: Any) -> int:
    response = api.get("/events", params={**params, "limit": 0})
    assert response.status_code == 200, response.text
    return int(response.json()["total"])


def features(api: httpx.Client, **params: Any) -> list[dict[str, Any]]:
    response = api.get("/events.geojson", params=params)
    assert response.status_code == 200, response.text
    return list(response.json()["features"])


def wait_for_count(page: Page, expected: int) -> None:
    """The list, map and count are refreshed together: wait for the count and the end of the
    refresh."""
    page.wait_for_function(
        "n => !document.querySelector('#main').hasAttribute('aria-busy') && "
        "document.querySelector('#event-count').textContent.replace(/\\D/g, '') === String(n)",
        arg=expected,
    )


def only_event(api: httpx.Client, **params: Any) -> dict[str, Any]:
    items = api.get("/events", params=params).json()["items"]
    assert len(items) == 1, items
    return dict(items[0])


# -- the tests --------------------------------------------------------------------------------


def test_the_map_shows_every_located_event(desk: Watched, api: httpx.Client) -> None:
    page = desk.page
    expected = features(api)
    assert expected, "the test store has located events"
    assert page.locator(MARKERS).count() == len(expected)
    # the basemap has its own pane: the overlay pane holds the markers and nothing else
    assert page.locator(".leaflet-overlay-pane path").count() == len(expected)
    assert page.locator(".leaflet-pane path.country").count() > 100
    drawn = page.eval_on_selector_all(MARKERS, "els => els.map(e => e.dataset.eventId)")
    assert sorted(drawn) == sorted(f["properties"]["event_id"] for f in expected)
    assert page.locator("#event-count").inner_text().replace(",", "") == str(total(api))
    # no tile server and nothing fetched from elsewhere: the page works offline
    hosts = page.evaluate(
        "[...new Set(performance.getEntriesByType('resource').map(e => new URL(e.name))"
        ".filter(u => u.protocol !== 'data:').map(u => u.host))]"
    )
    assert hosts == [page.url.split("/")[2]]
    desk.assert_clean()


def test_a_marker_opens_the_panel_with_claims_by_stance_and_marked_sources(
    desk: Watched, api: httpx.Client, shots: Path
) -> None:
    page = desk.page
    page.select_option("#f-country", "ARM")
    wait_for_count(page, total(api, country="ARM"))
    goris = next(f for f in features(api, country="ARM") if f["properties"]["location"] == "Goris")
    event_id = goris["properties"]["event_id"]
    event = api.get(f"/events/{event_id}").json()

    page.click(f'{MARKERS}[data-event-id="{event_id}"]')
    panel = page.locator("#event-panel")
    expect(panel).to_be_visible()
    expect(panel).to_have_attribute("data-event-id", event_id)
    expect(page.locator(".event-row[aria-current=true]")).to_have_attribute(
        "data-event-id", event_id
    )
    by_stance: dict[str, list[dict[str, Any]]] = {}
    for claim in event["claims"]:
        by_stance.setdefault(claim["stance"], []).append(claim)
    assert {"asserts", "acknowledges"} <= set(by_stance)  # Armenia asserts, Azerbaijan admits
    for stance, claims in by_stance.items():
        group = panel.locator(f".claims-{stance}")
        expect(group.locator(".claim")).to_have_count(len(claims))
        quotes = group.locator("blockquote").all_inner_texts()
        assert quotes == [c["sentence"] for c in claims]
        for claim in claims:
            expect(group).to_contain_text(claim["by"])
    expect(panel.locator(".claims-asserts")).to_contain_text("ARM")
    expect(panel.locator(".claims-acknowledges")).to_contain_text("AZE")

    page.wait_for_selector("#event-panel mark.source-span")
    marked = panel.locator("mark.source-span").all_text_contents()
    sentences = {s["sentence"] for s in event["sources"]}
    assert marked and set(marked) <= sentences
    expect(panel.locator("[data-testid=source-count]")).to_contain_text(
        f"{len(event['sources'])} sentence"
    )

    # back to every event, the panel stays open: the screenshot of the whole dashboard
    page.select_option("#f-country", "")
    wait_for_count(page, total(api))
    expect(panel).to_be_visible()
    page.wait_for_timeout(300)  # let the map settle after its resize
    page.screenshot(path=str(shots / "map-1280.png"))

    page.click("#panel-close")
    expect(panel).to_be_hidden()
    desk.assert_clean()


def test_filters_change_the_count_the_markers_and_the_list(
    desk: Watched, api: httpx.Client
) -> None:
    page = desk.page
    everything = total(api)
    page.select_option("#f-class", "violence")
    violence = total(api, **{"class": "violence"})
    assert violence < everything
    wait_for_count(page, violence)
    expect(page.locator(MARKERS)).to_have_count(len(features(api, **{"class": "violence"})))
    expect(page.locator(".event-row")).to_have_count(min(violence, 100))
    assert page.locator(f"{MARKERS}:not(.marker-violence)").count() == 0

    page.select_option("#f-country", "ARM")
    both = total(api, **{"class": "violence"}, country="ARM")
    assert 0 < both < violence
    wait_for_count(page, both)
    expect(page.locator(MARKERS)).to_have_count(
        len(features(api, **{"class": "violence"}, country="ARM"))
    )

    page.fill("#f-actor", "Azerbaijan")  # typed: applied after a short pause
    actor = total(api, **{"class": "violence"}, country="ARM", actor="Azerbaijan")
    wait_for_count(page, actor)

    page.click("#f-historical")
    wait_for_count(page, total(api, **{"class": "violence"}, country="ARM", actor="Azerbaijan",
                               historical="true"))  # fmt: skip
    page.click("#f-reset")
    wait_for_count(page, everything)
    expect(page.locator(MARKERS)).to_have_count(len(features(api)))
    desk.assert_clean()


def test_clicking_a_timeline_bar_filters_its_dates_and_clear_undoes_it(
    desk: Watched, api: httpx.Client
) -> None:
    page = desk.page
    bar = page.locator(".tl-bar[data-total]:not([data-total='0'])").last
    start, end = bar.get_attribute("data-start"), bar.get_attribute("data-end")
    bar.click()
    expected = total(api, date_from=start, date_to=end)
    assert expected > 0
    wait_for_count(page, expected)
    expect(page.locator("#f-date-from")).to_have_value(start or "")
    expect(page.locator("#f-date-to")).to_have_value(end or "")
    expect(page.locator(MARKERS)).to_have_count(len(features(api, date_from=start, date_to=end)))
    expect(page.locator(".tl-bar.dim").first).to_be_attached()  # the rest of the timeline greys
    page.click("#timeline-clear")
    wait_for_count(page, total(api))
    expect(page.locator("#f-date-from")).to_have_value("")
    desk.assert_clean()


def test_article_text_with_markup_is_shown_as_text_and_never_run(
    desk: Watched, api: httpx.Client
) -> None:
    page = desk.page
    event = only_event(api, text="Saltivka")
    page.fill("#f-text", "Saltivka")
    wait_for_count(page, 1)
    page.click(f'.event-row[data-event-id="{event["event_id"]}"]')
    panel = page.locator("#event-panel")
    expect(panel).to_be_visible()
    page.wait_for_selector("#event-panel .article-text")
    text = panel.locator(".article-text")
    expect(text).to_contain_text(SCRIPT_PAYLOAD)
    expect(text).to_contain_text(IMG_PAYLOAD)
    expect(panel.locator(".claims-asserts")).to_contain_text(SCRIPT_PAYLOAD)
    expect(panel.locator(".claims-denies")).to_contain_text("denied")
    marks = panel.locator("mark.source-span").all_text_contents()
    assert any(SCRIPT_PAYLOAD in m for m in marks)
    assert panel.locator("script, img, [onerror]").count() == 0
    page.wait_for_timeout(200)  # an injected onerror would have fired by now
    assert page.evaluate("typeof window.__xss") == "undefined"
    desk.assert_clean()


def test_the_ceasefire_view_lists_the_seed_ceasefire_and_charts_its_violations(
    desk: Watched, api: httpx.Client, shots: Path
) -> None:
    page = desk.page
    page.click("#tab-ceasefires")
    view = page.locator("#ceasefires")
    expect(view).to_be_visible()
    ceasefires = api.get("/ceasefires").json()
    expect(view.locator(".cf-card")).to_have_count(len(ceasefires))
    seed = next(c for c in ceasefires if {"ARM", "AZE"} <= set(c["parties"]))
    card = view.locator(f'.cf-card[data-ceasefire-id="{seed["ceasefire_id"]}"]')
    parties = card.locator("[data-testid=cf-parties] .party").all_inner_texts()
    assert {"ARM", "AZE"} <= set(parties)
    expect(card).to_contain_text("13 Sep 2022")
    expect(card).to_contain_text(seed["mediator"] or "")
    # one bar segment per day and reporting side
    expected = {(v["event_date"], side) for v in seed["violations"]
                for side in (v["reported_by"] or ["?"])}  # fmt: skip
    drawn = {
        (r.evaluate("e => e.parentNode.dataset.day"), r.get_attribute("data-reporter"))
        for r in card.locator(".cf-chart rect[data-reporter]").all()
    }
    assert drawn == expected
    page.screenshot(path=str(shots / "ceasefire.png"), full_page=True)
    if seed["violations"]:  # a violation opens in the event panel
        card.locator(".cf-violations summary").click()
        card.locator(".cf-violations button").first.click()
        expect(page.locator("#event-panel")).to_be_visible()
        expect(page.locator("#event-panel [data-testid=ceasefire-link]")).to_be_visible()
    desk.assert_clean()


def test_on_a_phone_the_panel_covers_the_screen_and_nothing_overflows(
    phone: Watched, api: httpx.Client, shots: Path
) -> None:
    page = phone.page
    width = "document.documentElement.scrollWidth <= window.innerWidth"
    assert page.evaluate(width)
    expect(page.locator("#map")).to_be_visible()
    expect(page.locator("#f-country")).to_be_hidden()  # filters fold behind a button
    page.click("#filters-toggle")
    expect(page.locator("#f-country")).to_be_visible()
    page.click("#filters-toggle")

    seed_event = next(f for f in features(api) if f["properties"]["location"] == "Goris")
    page.click(f'.event-row[data-event-id="{seed_event["properties"]["event_id"]}"]')
    panel = page.locator("#event-panel")
    expect(panel).to_be_visible()
    page.wait_for_selector("#event-panel mark.source-span")
    box = panel.bounding_box()
    assert box is not None and box["x"] == 0 and box["width"] == 390
    assert page.evaluate(width)
    assert page.evaluate("document.body.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(shots / "phone.png"))
    page.click("#panel-close")
    expect(panel).to_be_hidden()

    page.click("#tab-ceasefires")
    expect(page.locator("#ceasefires .cf-card").first).to_be_visible()
    assert page.evaluate(width)
    phone.assert_clean()
