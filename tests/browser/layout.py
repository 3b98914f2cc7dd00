"""What "the page fits the screen" means, measured in the browser: nothing wider than the
window, no word broken inside (a Vietnamese syllable split over two lines, "Cả nh bá o"), and
the composer and the buttons one would press next inside the window, not covered."""

from __future__ import annotations

from playwright.async_api import Page

OVERFLOW_JS = """() => {
  const problems = [];
  const vw = document.documentElement.clientWidth;
  const se = document.scrollingElement;
  if (se.scrollWidth > se.clientWidth) {
    problems.push(`the document scrolls sideways: ${se.scrollWidth} > ${se.clientWidth}`);
  }
  const name = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
    + (typeof e.className === 'string' && e.className
      ? '.' + e.className.split(' ').join('.') : '');
  for (const e of document.body.querySelectorAll('*')) {
    if (!e.checkVisibility()) continue;
    const r = e.getBoundingClientRect();
    if (!r.width && !r.height) continue;
    // Inside a one-line box that ends in "…" a long text is clipped on purpose.
    let clipped = false;
    for (let a = e.parentElement; a; a = a.parentElement) {
      if (getComputedStyle(a).textOverflow === 'ellipsis') { clipped = true; break; }
    }
    if (clipped) continue;
    if (r.left < -1 || r.right > vw + 1) {
      problems.push(`${name(e)} spans ${Math.round(r.left)}..${Math.round(r.right)} of ${vw}`);
    }
    const style = getComputedStyle(e);
    const scrolls = ['auto', 'scroll'].includes(style.overflowX);
    if (scrolls && e.scrollWidth > e.clientWidth + 1 && !e.matches('pre, textarea, select')) {
      problems.push(`${name(e)} scrolls sideways: ${e.scrollWidth} > ${e.clientWidth}`);
    }
  }
  return problems;
}"""

BROKEN_WORDS_JS = """() => {
  const broken = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node; (node = walker.nextNode());) {
    const parent = node.parentElement;
    if (!parent || !parent.checkVisibility()) continue;
    if (parent.closest('a, code, pre, textarea, select, option, .long, script, style')) continue;
    for (const m of node.data.matchAll(/[^\\s\\-\\/—–]+/g)) {
      if (m[0].length > 24) continue;  // a long token (a number, a link) may break
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const rows = new Set([...range.getClientRects()].filter((r) => r.width > 0)
        .map((r) => Math.round(r.bottom)));
      if (rows.size > 1) broken.push(m[0]);
    }
  }
  return broken;
}"""

IN_VIEW_JS = """(selector) => {
  const missing = [];
  for (const e of document.querySelectorAll(selector)) {
    if (!e.checkVisibility()) { missing.push(`${selector}: hidden`); continue; }
    const r = e.getBoundingClientRect();
    const vw = document.documentElement.clientWidth, vh = window.innerHeight;
    if (r.left < -1 || r.top < -1 || r.right > vw + 1 || r.bottom > vh + 1) {
      missing.push(`${selector} "${e.textContent.trim().slice(0, 30)}" at ` +
        `${Math.round(r.left)},${Math.round(r.top)}..${Math.round(r.right)},` +
        `${Math.round(r.bottom)} outside ${vw}x${vh}`);
      continue;
    }
    const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    if (!top || !(e === top || e.contains(top))) {
      missing.push(`${selector} "${e.textContent.trim().slice(0, 30)}" is covered`);
    }
  }
  return missing;
}"""


async def layout_problems(
    page: Page, *, press: tuple[str, ...] = (), composer: bool = True
) -> list[str]:
    """Everything wrong with the page as it is now; ``press`` names (CSS selectors) the
    buttons the person is about to press, which must be in the window too, as the composer
    (unless ``composer`` is False: the pickers' drawer is open over it on a phone)."""
    problems: list[str] = list(await page.evaluate(OVERFLOW_JS))
    problems += [
        f"word broken over two lines: {w!r}" for w in await page.evaluate(BROKEN_WORDS_JS)
    ]
    wanted = ["#text", "#send", "#attach-btn"] if composer else []
    for selector in [*wanted, *press]:
        problems += await page.evaluate(IN_VIEW_JS, selector)
    return problems


async def reply_keyboard_height(page: Page) -> tuple[float, float]:
    """(the reply keyboard's height on screen, the height of all its buttons)."""
    shown, full = await page.eval_on_selector(
        "#reply-kb", "e => [e.getBoundingClientRect().height, e.scrollHeight]"
    )
    return float(shown), float(full)
