"""Prompt templates: jinja2 files in prompts/, rendered strictly (a missing variable is an error)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import jinja2

from assistant.errors import TemplateError
from assistant.resources import PROMPTS_DIR


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(PROMPTS_DIR),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        autoescape=False,
    )


def template_names() -> list[str]:
    """Every template in prompts/."""
    return sorted(environment().list_templates(extensions=["j2"]))


def render(name: str, **variables: Any) -> str:
    """Render prompts/<name>.j2; raise TemplateError naming the template and the missing variable."""
    try:
        return environment().get_template(f"{name}.j2").render(**variables).strip()
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"找不到提示词模板 prompts/{name}.j2") from exc
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"提示词模板 prompts/{name}.j2 缺少变量：{exc.message}") from exc
