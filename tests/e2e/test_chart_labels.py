"""The intelligence-vs-price chart's labels, measured on the live page: none overlaps another
label, a dot or the frontier line."""

from playwright.sync_api import Page

PAGES = [
    "/pricing/",
    "/compare/gpt-4-1-mini-vs-gpt-4-1-nano/",
    "/compare/claude-opus-4-1-vs-gpt-5/",
    "/compare/gemini-2-5-pro-vs-o3/",
    "/compare/deepseek-r1-0528-vs-qwen3-235b-a22b-thinking-2507/",
    "/compare/gpt-5-mini-vs-o4-mini/",
]

# Overlaps over one pixel each way (text boxes include the font's line gap; a touch is not a
# collision). The frontier is sampled every 2 units of its length.
MEASURE = """svg => {
  const inter = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1
    && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
  const box = e => e.getBoundingClientRect();
  const labels = [...svg.querySelectorAll('.pt-label')].map(t => [t.textContent, box(t)]);
  const dots = [...svg.querySelectorAll('circle.pt')]
    .map(c => [c.querySelector('title').textContent, box(c)]);
  const problems = [];
  labels.forEach(([name, own], i) => {
    for (const [other, b] of labels.slice(i + 1)) {
      if (inter(own, b)) problems.push(`${name} / label ${other}`);
    }
    for (const [title, b] of dots) {
      if (!title.startsWith(name + ' (') && inter(own, b)) problems.push(`${name} / dot ${title}`);
    }
  });
  const path = svg.querySelector('path.frontier');
  if (path) {
    const m = path.getScreenCTM();
    for (let at = 0; at <= path.getTotalLength(); at += 2) {
      const p = path.getPointAtLength(at).matrixTransform(m);
      for (const [name, b] of labels) {
        if (p.x > b.left + 1 && p.x < b.right - 1 && p.y > b.top + 1 && p.y < b.bottom - 1) {
          problems.push(`${name} / frontier`);
        }
      }
    }
  }
  return {labels: labels.length, problems: [...new Set(problems)]};
}"""


def test_chart_labels_never_overlap(browser, site):
    page: Page = browser.new_page(viewport={"width": 1366, "height": 900})
    report = {}
    for url in PAGES:
        page.goto(site + url)
        svg = page.locator(".price-chart svg")
        assert svg.count() == 1, url
        result = svg.evaluate(MEASURE)
        assert result["labels"] >= 5, url
        if result["problems"]:
            report[url] = result["problems"]
    page.close()
    assert report == {}


def test_compared_models_are_highlighted_and_labelled(page: Page, site):
    page.goto(site + "/compare/gpt-4-1-mini-vs-gpt-4-1-nano/")
    chart = page.locator(".price-chart svg")
    assert chart.locator("circle.pt-hl").count() == 2
    labels = chart.locator(".pt-label-hl").all_text_contents()
    assert sorted(labels) == ["GPT-4.1 mini", "GPT-4.1 nano"]


def test_chart_labels_stay_readable_on_a_phone(browser, site):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(site + "/pricing/")
    heights = page.locator(".price-chart .pt-label").evaluate_all(
        "ts => ts.map(t => t.getBoundingClientRect().height)"
    )
    assert heights and min(heights) >= 12  # an 11 px font's box, unscaled
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.close()
