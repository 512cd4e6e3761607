"""The checks every drafted section, whole draft and exported document must pass.

Modules, one per kind of check:
- `suite`: the entry points `check_section`, `check_draft` and `check_document`.
- `numbers`: number extraction and missing_number / invented_number.
- `names`: invented_name (word lists in `data/names.yaml`).
- `copying`: `CorpusMatcher` and copied_text.
- `template`: placeholder and watermark (template leftovers, the sample site's watermarks).
- `period`: period_mismatch and stale_formulation.
- `formulations`: the time-bound formulations of `data/formulations.yaml`.
- `coverage`: fact_coverage and too_short.
- `sheet`, `words`: the fact sheet's texts and jieba segmentation the checks share.
"""

from assistant.checks.copying import CorpusMatcher, check_copying
from assistant.checks.coverage import check_coverage, check_length, key_terms
from assistant.checks.formulations import current_formulations, latest_congress_line, stale_formulations
from assistant.checks.names import check_names
from assistant.checks.numbers import Number, check_numbers, extract_numbers
from assistant.checks.period import check_formulations, check_period
from assistant.checks.sheet import fact_texts
from assistant.checks.suite import check_document, check_draft, check_section
from assistant.checks.template import check_placeholders, check_watermarks

__all__ = [
    "CorpusMatcher",
    "Number",
    "check_copying",
    "check_coverage",
    "check_document",
    "check_draft",
    "check_formulations",
    "check_length",
    "check_names",
    "check_numbers",
    "check_period",
    "check_placeholders",
    "check_section",
    "check_watermarks",
    "current_formulations",
    "extract_numbers",
    "fact_texts",
    "key_terms",
    "latest_congress_line",
    "stale_formulations",
]
