"""Markdown to HTML with cmark-gfm, through cmarkgfm's bindings, without its memory leak.

cmarkgfm's `markdown_to_html_with_extensions` never frees the syntax tree that
`cmark_parser_finish` hands to its caller, nor the HTML buffer `cmark_render_html` returns: about
16 KB lost per document, 160 MB over a 10,000-event build, and more with every edit in `serve`.
`to_html` takes the same steps and frees both. `cmark_node_free` is exported by the bindings'
library but not bound by them, so it (and the C library's `free`, the default allocator's) is
reached through a second FFI. Where that cannot be done, cmarkgfm's own function is used: the
same HTML, with its leak.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import cffi
import cmarkgfm
from cmarkgfm import _cmark


def _release_functions():
    """(cmark_node_free, free, cast to their pointer type), or None."""
    ffi = cffi.FFI()
    ffi.cdef("void cmark_node_free(void *node); void free(void *ptr);")
    try:
        node_free = ffi.dlopen(_cmark.__file__).cmark_node_free
        free = ffi.dlopen(None).free
    except (OSError, AttributeError, cffi.FFIError):
        return None

    def pointer(value):   # a pointer of the bindings' FFI, as one of this FFI
        return ffi.cast("void *", int(_cmark.ffi.cast("uintptr_t", value)))

    return node_free, free, pointer


_RELEASE = _release_functions()


@lru_cache(maxsize=8)
def _extensions(names: tuple[str, ...]) -> list:
    _cmark.lib.cmark_gfm_core_extensions_ensure_registered()
    found = []
    for name in names:
        extension = _cmark.lib.cmark_find_syntax_extension(name.encode("utf-8"))
        if extension == _cmark.ffi.NULL:
            raise ValueError(f"unknown cmark-gfm extension {name}")
        found.append(extension)
    return found


def to_html(text: str, options: int, extensions: Sequence[str]) -> str:
    """What cmarkgfm.markdown_to_html_with_extensions(text, options, extensions) returns."""
    if _RELEASE is None:
        return cmarkgfm.markdown_to_html_with_extensions(text, options, list(extensions))
    node_free, free, pointer = _RELEASE
    lib, ffi = _cmark.lib, _cmark.ffi
    attach = _extensions(tuple(extensions))
    parser = lib.cmark_parser_new(options)
    try:
        for extension in attach:
            lib.cmark_parser_attach_syntax_extension(parser, extension)
        data = text.encode("utf-8")
        lib.cmark_parser_feed(parser, data, len(data))
        root = lib.cmark_parser_finish(parser)
        try:
            raw = lib.cmark_render_html(root, options, lib.cmark_parser_get_syntax_extensions(parser))
            try:
                # cmark-gfm writes U+FFFE and U+FFFF (from &#xfffe;) as bytes that are not UTF-8
                return ffi.string(raw).decode("utf-8", "replace")
            finally:
                free(pointer(raw))
        finally:
            node_free(pointer(root))
    finally:
        lib.cmark_parser_free(parser)


__all__ = ["to_html"]
