"""A cap on how deeply HTML nests, applied before nh3 (html5ever) builds its tree.

html5ever's tree builder checks "is an element in scope" by walking the stack of open elements, so a tag
costs time in proportion to the depth it sits at, and a document of n nested tags costs n²: 100,000 nested
<div>s held a worker for about 40 s. No article nests more than a few dozen deep, so here, before the
parser, start tags deeper than MAX_DEPTH are dropped with their end tags, and their content is kept: the
text stays, the nesting is flattened.

The depth is counted on a simplified model of the HTML parser that never counts less than the parser
would hold (it may count more): void elements are never open; an end tag closes only the element on top
of the stack (html5 may also close elements below it, which this model leaves open); and a start tag of
an element whose end tag may be omitted (p, li, dt, dd, option, tr, td, th, …) first closes the same kind
of element when that is on top, as html5 does. Unclosed <p>s and <li>s, common in pasted HTML, therefore
do not count as nesting, while misnested markup does, as it deepens the parser's stack too.
"""

import re

MAX_DEPTH = 200

# A tag as the tokenizer starts one: "<" then a letter (a start tag) or "</" and a letter (an end tag). Split
# on it, the HTML becomes [text, tag, "/" or "", name, text, tag, …]: one pass in C, then a loop over tags.
_TAG = re.compile(r"(<(/?)([A-Za-z][^\s/>]*)[^>]*>)")
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                   "track", "wbr", "keygen", "basefont", "bgsound", "frame"})
# A start tag of one of these closes an element of the same group on top of the stack (html5's implied ends).
_CLOSES_ON_TOP = {
    "p": {"p"}, "li": {"li"}, "dt": {"dt", "dd"}, "dd": {"dt", "dd"}, "option": {"option"},
    "optgroup": {"option", "optgroup"}, "tr": {"tr", "td", "th"}, "td": {"td", "th"}, "th": {"td", "th"},
    "rb": {"rb", "rt", "rp", "rtc"}, "rt": {"rb", "rt", "rp"}, "rp": {"rb", "rt", "rp"},
}
_NOTHING = frozenset()


def cap_nesting(html: str, max_depth: int = MAX_DEPTH) -> str:
    """The HTML with start tags nested deeper than `max_depth` (and their end tags) removed; the same string
    when nothing nests that deep."""
    if html.count("<") <= max_depth:  # too few tags to nest that deep: the common case costs one count
        return html
    parts = _TAG.split(html)
    names = [name.lower() for name in parts[3::4]]
    stack: list[str] = []  # names of the open elements
    kept: list[bool] = []  # whether each open element's tags are kept
    dropped = False
    for index, name in enumerate(names):
        tag = 4 * index + 1  # the tag's own text in parts
        if parts[tag + 1]:  # an end tag
            if stack and stack[-1] == name:
                stack.pop()
                if not kept.pop():
                    parts[tag] = ""
            continue
        if name in _VOID:
            continue
        if stack and stack[-1] in _CLOSES_ON_TOP.get(name, _NOTHING):
            stack.pop()  # implied end tag: nothing in the text to remove
            kept.pop()
        keep = len(stack) < max_depth
        stack.append(name)
        kept.append(keep)
        if not keep:
            parts[tag] = ""
            dropped = True
    if not dropped:
        return html
    parts[2::4] = parts[3::4] = [""] * len(names)  # the groups are not text
    return "".join(parts)
