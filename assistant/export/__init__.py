"""Export a draft to Markdown or to a .docx laid out to GB/T 9704-2012 (or a unit's own layout), and read either back.

Both directions go through one stream of blocks (title, chapter 一、, subsection （一）, body
paragraph, and the 落款: the organisation and the 成文日期), so what `draft_to_markdown`/
`draft_to_docx` write, `read_draft_text` reads back, the 落款 kept out of the last section's body.

- `blocks`: the roles, a draft as (role, text) blocks, heading and 落款 recognition, the bold
  lead of each 一是 item, and the grouping of blocks into (title, [(heading, body), …]).
- `layout`: `Layout` (page, margins, fonts, line spacing), the GB/T 9704 default `GBT9704`, and
  where the 落款 stands (GB/T 9704-2012 7.3.5.2).
- `template`: `read_layout`, a unit's own layout read from its template .docx.
- `markdown`: `draft_to_markdown`, and Markdown or plain text read back into blocks.
- `wordxml` / `docx`: `draft_to_docx` (styles, page, page numbers), and a .docx read back into blocks.
- `reading`: `read_draft_text(path)`, choosing the reader by the file's suffix.
"""

from __future__ import annotations

from assistant.export.docx import draft_to_docx
from assistant.export.layout import GBT9704, Layout
from assistant.export.markdown import draft_to_markdown
from assistant.export.reading import read_draft_text
from assistant.export.template import read_layout

__all__ = ["GBT9704", "Layout", "draft_to_docx", "draft_to_markdown", "read_draft_text", "read_layout"]
