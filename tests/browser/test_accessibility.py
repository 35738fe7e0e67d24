"""axe-core finds nothing on any page type, in light and dark, with every rule it has: WCAG A,
AA and AAA, best practices and the experimental rules (none set aside)."""

from __future__ import annotations

from conftest import SitePage, classify

AXE_OPTIONS = {"resultTypes": ["violations"]}

# Every rule enabled: axe.run's default leaves out the experimental rules and some others (AAA's
# color-contrast-enhanced among them).
#
# One check is told one thing on pages in Arabic script: label-content-name-mismatch compares a
# link's visible text with its name, and leaves out of the visible text what it takes for an icon
# font's ligature. Its test (axe's isIconLigature: the first letter drawn alone against the word
# drawn whole) takes ordinary Persian and Urdu words for icons, because the letters of the
# Arabic script join; the words it leaves out then make a false mismatch (on a chain box reading
# "۱۷ ژانویه ۲۰۲۴ پاکستان سفیر خود را از…" with the name "۱۷ ژانویه ۲۰۲۴: پاکستان سفیر خود را
# از تهران فراخواند"). A pixel threshold of 1 makes no text an icon; the site draws no icon font.
# test_axe_takes_arabic_script_for_icon_ligatures fails when axe stops doing so.
RUN_AXE = """async (options) => {
  const rules = {};
  for (const rule of axe.getRules()) rules[rule.ruleId] = {enabled: true};
  if (document.documentElement.dir === 'rtl') {
    axe.configure({checks: [{id: 'label-content-name-mismatch', options: {pixelThreshold: 1}}]});
  }
  const result = await axe.run(document, Object.assign({rules}, options));
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary || ''})),
  }));
}"""


def format_violations(violations, max_nodes: int = 8) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])} node(s)) {v['helpUrl']}")
        for n in v["nodes"][:max_nodes]:
            summary = " ".join(n["summary"].split())
            lines.append(f"    {n['target']}  -- {summary[:300]}")
        if len(v["nodes"]) > max_nodes:
            lines.append(f"    ... and {len(v['nodes']) - max_nodes} more")
    return "\n".join(lines)


def test_axe(page_type, color_scheme, site, new_page, open_page, axe_source):
    sp = site.representative(page_type)
    # The pages carry a strict CSP meta tag; bypass it so the axe script can be injected.
    page = new_page(bypass_csp=True, color_scheme=color_scheme)
    open_page(page, sp)
    page.add_script_tag(path=str(axe_source))
    violations = page.evaluate(RUN_AXE, AXE_OPTIONS)
    assert not violations, (
        f"axe: {len(violations)} violation(s) on {page_type} page {sp.path} ({color_scheme}):\n"
        + format_violations(violations)
    )


def test_axe_in_urdu_and_persian(page_type, site, new_page, open_page, axe_source):
    """The same page type in the bundled site's other languages (/ur/, /fa/: right to left), in
    the light scheme: the dark one's colours are the same in every language, and are checked on
    every page type by test_axe and on right-to-left pages in both schemes by test_rtl (each dark
    pass here cost the suite about 2.3 s a page type)."""
    color_scheme = "light"
    sp = site.representative(page_type)
    found = []
    for lang in ("ur", "fa"):
        path = f"/{lang}{sp.path}"
        file = site.root / path.lstrip("/")
        file = file / "index.html" if path.endswith("/") else file
        if not file.is_file():
            continue
        rel = file.relative_to(site.root).as_posix()
        page = new_page(bypass_csp=True, color_scheme=color_scheme)
        open_page(page, SitePage(path, file, *classify(rel, file.read_text(encoding="utf-8"))))
        page.add_script_tag(path=str(axe_source))
        violations = page.evaluate(RUN_AXE, AXE_OPTIONS)
        assert not violations, f"axe on {path} ({color_scheme}):\n" + format_violations(violations)
        found.append(path)
    # an alias's redirect is made once, in the default language; every other page type is in all three
    if page_type == "alias":
        assert not found, f"aliases are not made per language, yet there are {found}"
    else:
        assert found, f"no Urdu or Persian {page_type} page"


def test_axe_on_a_later_page_of_a_list(paged_site, paged_server, new_page, axe_source):
    tag = sorted(paged_site.glob("tags/*/page/2/index.html"))[0].relative_to(paged_site).parent.as_posix()
    for path in ("/page/2/", f"/{tag}/"):
        page = new_page(bypass_csp=True, base_url=paged_server + "/")
        page.goto(paged_server + path, wait_until="networkidle")
        page.add_script_tag(path=str(axe_source))
        violations = page.evaluate(RUN_AXE, AXE_OPTIONS)
        assert not violations, f"axe on {path}:\n" + format_violations(violations)


def test_axe_with_a_logo_and_an_accent(styled_site, styled_server, new_page, axe_source):
    """The settings a site sets keep the pages accessible in both schemes: the accent (and the
    dark one derived from it) reads on the backgrounds, the logo has the site's name."""
    event = sorted(styled_site.glob("events/*/index.html"))[0].relative_to(styled_site).parent.as_posix()
    for scheme in ("light", "dark"):
        for path in ("/", f"/{event}/", "/map/"):
            page = new_page(bypass_csp=True, base_url=styled_server + "/", color_scheme=scheme)
            page.goto(styled_server + path, wait_until="networkidle")
            page.add_script_tag(path=str(axe_source))
            violations = page.evaluate(RUN_AXE, AXE_OPTIONS)
            assert not violations, f"axe on {path} ({scheme}):\n" + format_violations(violations)


def test_axe_on_bodies_of_each_markdown_engine(markdown_site, markdown_server, new_page, axe_source):
    """Footnotes, tables, a note of two paragraphs and (Python-Markdown) an admonition, a
    definition list, an abbreviation and heading permalinks: no finding in either scheme."""
    for scheme in ("light", "dark"):
        for path in ("/events/flood/", "/events/dam/"):
            page = new_page(bypass_csp=True, base_url=markdown_server + "/", color_scheme=scheme)
            page.goto(markdown_server + path, wait_until="networkidle")
            page.add_script_tag(path=str(axe_source))
            violations = page.evaluate(RUN_AXE, AXE_OPTIONS)
            assert not violations, f"axe on {path} ({scheme}):\n" + format_violations(violations)


def test_the_accent_style_is_allowed_by_the_content_security_policy(styled_server, new_page):
    """Loaded with the pages' own policy in force: the inline <style> applies (its hash is in the
    policy) and the browser reports no violation; the logo loads."""
    from conftest import STYLED_ACCENT
    for scheme, light in (("light", True), ("dark", False)):
        page = new_page(base_url=styled_server + "/", color_scheme=scheme)
        page.goto(styled_server + "/", wait_until="networkidle")
        accent = page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--accent').trim()")
        assert (accent == STYLED_ACCENT) is light, (scheme, accent)
        assert page.evaluate("document.querySelector('.site-logo').naturalWidth") > 0
        page.monitor.assert_clean()


def test_axe_takes_arabic_script_for_icon_ligatures(new_page, server, axe_source):
    """Why RUN_AXE tells label-content-name-mismatch that no text is an icon on right-to-left
    pages: axe's own test calls plain Persian words an icon font's ligature. When this fails, axe
    has stopped doing so: take the option out of RUN_AXE."""
    page = new_page(bypass_csp=True)
    page.goto(server + "/fa/events/iran-strikes-panjgur/", wait_until="networkidle")
    page.add_script_tag(path=str(axe_source))
    taken = page.evaluate("""() => {
      axe.setup();
      return [...document.querySelectorAll('.chain a text')].filter(t =>
        axe.commons.text.isIconLigature(axe.utils.getNodeFromTree(t.firstChild))).map(t => t.textContent);
    }""")
    assert taken, "axe no longer takes Persian words for icon ligatures: drop the option in RUN_AXE"


def test_axe_on_search_results_and_filtered_lists(new_page, goto, axe_source):
    """What JavaScript adds to a page is checked too: search results, a filtered home page."""
    for path, ready in (("/search/?q=Quetta", "#search-results li"), ("/?tag=prison+attack", "#filters")):
        for scheme in ("light", "dark"):
            page = new_page(bypass_csp=True, color_scheme=scheme)
            goto(page, path)
            page.wait_for_selector(ready)
            page.add_script_tag(path=str(axe_source))
            violations = page.evaluate(RUN_AXE, AXE_OPTIONS)
            assert not violations, f"axe on {path} ({scheme}):\n" + format_violations(violations)
