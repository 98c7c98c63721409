"""The report as one HTML page (`index.html` beside `index.md`): the same text, tables styled,
an anchor on every heading, figures linked from the report's own folder.

Rendered from index.md with Python-Markdown (tables, attribute lists and a table of
contents for the anchors); no script, no web font and no external address, so the page opens
from the folder with no server and no network, and the same index.md gives the same bytes.
"""

import html

import markdown

__all__ = ["STYLE", "render_html"]

#: The page's style sheet (inline: the page needs no other file than the figures).
STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; line-height: 1.45;
       color: #1d1d1f; max-width: 78rem; margin: 1.5rem auto; padding: 0 1.25rem; }
h1 { font-size: 1.6rem; margin-bottom: 0.4rem; }
h2 { font-size: 1.3rem; margin-top: 2rem; border-bottom: 1px solid #ddd; padding-bottom: 0.2rem; }
h3 { font-size: 1.08rem; margin-top: 1.4rem; }
table { border-collapse: collapse; margin: 0.8rem 0; font-size: 0.86rem; display: block;
        overflow-x: auto; max-width: 100%; }
th, td { border: 1px solid #d0d0d0; padding: 0.25rem 0.5rem; text-align: left;
         vertical-align: top; }
th { background: #f2f2f4; }
tr:nth-child(even) td { background: #fafafa; }
img { max-width: 100%; height: auto; border: 1px solid #eee; margin: 0.4rem 0; }
code { background: #f4f4f6; padding: 0 0.2rem; border-radius: 3px; font-size: 0.9em; }
pre { background: #f4f4f6; padding: 0.6rem; overflow-x: auto; font-size: 0.85rem; }
a { color: #0b5cad; }
""".strip()


def render_html(index_md: str, title: str = "qlaci-cost report") -> str:
    """index.md's text as a complete HTML page (UTF-8, no external resources)."""
    body = markdown.markdown(
        index_md,
        extensions=["tables", "attr_list", "toc", "sane_lists"],
        extension_configs={"toc": {"permalink": False}},
        output_format="html",
    )
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>\n{STYLE}\n</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )
