"""Export a draft to Markdown or to a .docx laid out to GB/T 9704-2012, and read either back.

Both directions go through one stream of blocks (title, chapter 一、, subsection （一）, body
paragraph), so what `draft_to_markdown`/`draft_to_docx` write, `read_draft_text` reads back.

- `blocks`: the roles, a draft as (role, text) blocks, heading recognition by numbering, and
  the grouping of blocks into (title, [(heading, body), …]).
- `markdown`: `draft_to_markdown`, and Markdown or plain text read back into blocks.
- `docx`: `draft_to_docx` (styles, page, page numbers), and a .docx read back into blocks.
- `reading`: `read_draft_text(path)`, choosing the reader by the file's suffix.
"""

from __future__ import annotations

from assistant.export.docx import draft_to_docx
from assistant.export.markdown import draft_to_markdown
from assistant.export.reading import read_draft_text

__all__ = ["draft_to_docx", "draft_to_markdown", "read_draft_text"]
