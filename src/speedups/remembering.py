"""Django's ``{% url %}``, ``{% static %}`` and ``{% extends %}``, remembering between pages what
does not change.

settings.TEMPLATES loads this library as a builtin, after Django's own, so these are the tags
every template uses: our templates keep the book's ``{% url 'new_list' %}``, ``{% static '…' %}``
and ``{% extends 'base.html' %}`` (without ``{% load static %}``, which would bring Django's
``static`` back). On every page, each ``{% url %}`` ran ``reverse()`` and each ``{% static %}``
looked its file up, ~15 µs a tag; and ``{% extends %}`` walked the whole of base.html to find its
blocks. That was a sixth of the home page's work, for answers that stay the same:

- a ``{% url %}`` given a quoted name and no arguments: its URL depends only on the settings and
  on the request being answered (its URLconf, its script prefix, the current application, its
  language), so it is kept for each of those;
- a ``{% static %}`` given a quoted path: its URL depends only on the settings (the static
  files storage fixes its base URL when it is made);
- the blocks of the template at the root of an ``{% extends %}`` chain, kept for as long as the
  template loader keeps that template (the cached loader: for good).

Whatever is kept is worked out again after any setting changes (tests do that). Anything else
(arguments, a name or path from a variable, a template rendered without a request, a URL that
does not reverse) is Django's tag, unchanged.
"""

from typing import Any, cast

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.template.base import FilterExpression, NodeList, Parser, TextNode, Token
from django.template.context import Context
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url_tag
from django.template.loader_tags import (
    BLOCK_CONTEXT_KEY,
    BlockContext,
    BlockNode,
    ExtendsNode,
    do_extends,
)
from django.templatetags.static import StaticNode
from django.urls import NoReverseMatch, reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

register = template.Library()

# Bumped whenever a setting changes: every URL kept before is then worked out again.
_settings_generation = 0


@receiver(setting_changed)
def forget_remembered_urls(**kwargs: Any) -> None:
    global _settings_generation
    _settings_generation += 1


def fixed_text(expression: FilterExpression) -> str | None:
    """The string a tag's argument always is (a quoted literal, no filters), or None."""
    return expression.var if isinstance(expression.var, str) and not expression.filters else None


def current_app_of(context: Context) -> str | None:
    """The current application, as Django's ``{% url %}`` works it out (the request's
    ``current_app``, else the namespace its URL resolved in)."""
    request: Any = getattr(context, "request", None)
    if hasattr(request, "current_app"):
        return request.current_app  # type: ignore[no-any-return]
    return getattr(getattr(request, "resolver_match", None), "namespace", None)


class RememberedUrl:
    """A URL, and the same escaped for HTML, kept for the pages to come."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.escaped = conditional_escape(url)

    def place(self, context: Context, varname: str | None) -> str:
        """What the tag writes, as Django's tags do: the URL, escaped, or nothing with ``as``."""
        if varname is None:
            return self.escaped if context.autoescape else self.url
        context[varname] = self.url
        return ""


class RememberingURLNode(URLNode):
    def __init__(
        self,
        view_name: FilterExpression,
        args: list[FilterExpression],
        kwargs: dict[str, FilterExpression],
        asvar: str | None,
    ) -> None:
        super().__init__(view_name, args, kwargs, asvar)
        self.fixed_name = None if args or kwargs else fixed_text(view_name)
        self.urls: dict[tuple[object, ...], RememberedUrl] = {}
        self.generation = _settings_generation

    def render(self, context: Context) -> str:
        request: HttpRequest | None = getattr(context, "request", None)
        if self.fixed_name is None or request is None:
            return super().render(context)
        if self.generation != _settings_generation:
            self.urls, self.generation = {}, _settings_generation
        current_app = current_app_of(context)
        # What reverse() reads besides the settings, as Django sets it for this request: the
        # URLconf a middleware gave the request (else the settings'), the script prefix (the
        # path before path_info), and a language LocaleMiddleware activated. Read from the
        # request: reading Django's context-local copies costs as much as reverse() saves.
        key = (
            getattr(request, "urlconf", None),
            request.path[: len(request.path) - len(request.path_info)],
            current_app,
            getattr(request, "LANGUAGE_CODE", None),
        )
        remembered = self.urls.get(key)
        if remembered is None:
            try:
                remembered = RememberedUrl(reverse(self.fixed_name, current_app=current_app))
            except NoReverseMatch:
                return super().render(context)
            self.urls[key] = remembered
        return remembered.place(context, self.asvar)


class RememberingStaticNode(StaticNode):
    def __init__(self, varname: str | None = None, path: FilterExpression | None = None) -> None:
        super().__init__(varname, path)
        self.fixed_path = fixed_text(self.path)
        self.remembered: RememberedUrl | None = None
        self.generation = _settings_generation

    def render(self, context: Context) -> str:
        if self.fixed_path is None:
            return super().render(context)
        if self.remembered is None or self.generation != _settings_generation:
            self.remembered = RememberedUrl(self.handle_simple(self.fixed_path))
            self.generation = _settings_generation
        return self.remembered.place(context, self.varname)


class RememberingExtendsNode(ExtendsNode):
    """Django 5.2's ``ExtendsNode``, with the blocks of the root template it extends kept.

    ``render`` is Django's, but for those blocks: Django finds them on every render by walking
    every node of the root template (base.html), a twentieth of the home page's work. They are
    the same for as long as the same compiled template comes back from the loader.
    """

    def __init__(
        self, nodelist: NodeList, parent_name: FilterExpression, template_dirs: Any = None
    ) -> None:
        super().__init__(nodelist, parent_name, template_dirs)
        self.root_blocks: tuple[object, dict[str, BlockNode] | None] = (None, None)

    def blocks_of_root(self, parent: template.Template) -> dict[str, BlockNode] | None:
        """The blocks of ``parent`` if it extends nothing (it is the root), else None."""
        kept_for, blocks = self.root_blocks
        if kept_for is not parent:
            blocks = None
            for node in parent.nodelist:
                # The ExtendsNode has to be the first non-text node.
                if not isinstance(node, TextNode):
                    if not isinstance(node, ExtendsNode):
                        found = parent.nodelist.get_nodes_by_type(BlockNode)
                        blocks = {block.name: block for block in cast(list[BlockNode], found)}
                    break
            self.root_blocks = (parent, blocks)
        return blocks

    def render(self, context: Context) -> SafeString:
        compiled_parent = self.get_parent(context)
        if BLOCK_CONTEXT_KEY not in context.render_context:
            context.render_context[BLOCK_CONTEXT_KEY] = BlockContext()
        block_context = context.render_context[BLOCK_CONTEXT_KEY]
        # Add the block nodes from this node to the block context
        block_context.add_blocks(self.blocks)
        # If this block's parent doesn't have an extends node it is the root,
        # and its block nodes also need to be added to the block context.
        root_blocks = self.blocks_of_root(compiled_parent)
        if root_blocks is not None:
            block_context.add_blocks(root_blocks)
        # Call Template._render explicitly so the parser context stays
        # the same.
        with context.render_context.push_state(compiled_parent, isolated_context=False):
            return compiled_parent._render(context)  # type: ignore[attr-defined,no-any-return]


@register.tag
def url(parser: Parser, token: Token) -> RememberingURLNode:
    """Django's ``{% url %}``, parsed by Django; see the module's docstring."""
    node = django_url_tag(parser, token)
    return RememberingURLNode(node.view_name, node.args, node.kwargs, node.asvar)


@register.tag
def static(parser: Parser, token: Token) -> RememberingStaticNode:
    """Django's ``{% static %}``, parsed by Django; see the module's docstring."""
    node = StaticNode.handle_token(parser, token)
    return RememberingStaticNode(node.varname, node.path)


@register.tag
def extends(parser: Parser, token: Token) -> RememberingExtendsNode:
    """Django's ``{% extends %}``, parsed by Django; see the module's docstring."""
    node = do_extends(parser, token)
    return RememberingExtendsNode(
        node.nodelist, cast(FilterExpression, node.parent_name), node.template_dirs
    )
