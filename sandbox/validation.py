"""Discord's payload limits, reported with Discord's error codes and nested error shapes.

Each ``check_*`` function fills a :class:`FormErrors`; ``raise_if_any`` turns them into the
``{"code": 50035, "message": "Invalid Form Body", "errors": {...}}`` answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any


class DiscordError(Exception):
    """An error answer: HTTP status, Discord's JSON error code and message, nested errors."""

    def __init__(
        self, status: int, code: int, message: str, errors: dict[str, Any] | None = None
    ) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.errors:
            body["errors"] = self.errors
        return body


def unknown(what: str) -> DiscordError:
    codes = {
        "channel": 10003,
        "guild": 10004,
        "member": 10007,
        "message": 10008,
        "role": 10011,
        "user": 10013,
        "emoji": 10014,
        "webhook": 10015,
        "interaction": 10062,
        "application command": 10063,
    }
    return DiscordError(404, codes[what], f"Unknown {what.title()}")


def missing_permissions() -> DiscordError:
    return DiscordError(403, 50013, "Missing Permissions")


def cannot_dm() -> DiscordError:
    return DiscordError(403, 50007, "Cannot send messages to this user")


def already_acknowledged() -> DiscordError:
    return DiscordError(400, 40060, "Interaction has already been acknowledged.")


def empty_message() -> DiscordError:
    return DiscordError(400, 50006, "Cannot send an empty message")


Path = tuple[str | int, ...]


class FormErrors:
    def __init__(self) -> None:
        self.tree: dict[str, Any] = {}

    def add(self, path: Path, code: str, message: str) -> None:
        node = self.tree
        for part in path:
            node = node.setdefault(str(part), {})
        node.setdefault("_errors", []).append({"code": code, "message": message})

    def max_len(self, path: Path, value: Any, limit: int) -> None:
        if isinstance(value, str) and len(value) > limit:
            self.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")

    def length_between(self, path: Path, value: Any, low: int, high: int) -> None:
        if not isinstance(value, str) or not low <= len(value) <= high:
            self.add(path, "BASE_TYPE_BAD_LENGTH", f"Must be between {low} and {high} in length.")

    def max_items(self, path: Path, items: list[Any], limit: int) -> None:
        if len(items) > limit:
            self.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")

    def required(self, path: Path) -> None:
        self.add(path, "BASE_TYPE_REQUIRED", "This field is required")

    def raise_if_any(self) -> None:
        if self.tree:
            raise DiscordError(400, 50035, "Invalid Form Body", self.tree)

    def __bool__(self) -> bool:
        return bool(self.tree)


# ---------------------------------------------------------------------------------------------
# Messages


def _embed_chars(embed: dict[str, Any]) -> int:
    total = len(embed.get("title") or "") + len(embed.get("description") or "")
    total += len((embed.get("footer") or {}).get("text") or "")
    total += len((embed.get("author") or {}).get("name") or "")
    for f in embed.get("fields") or []:
        total += len(f.get("name") or "") + len(f.get("value") or "")
    return total


def check_embeds(errors: FormErrors, embeds: list[dict[str, Any]]) -> None:
    errors.max_items(("embeds",), embeds, 10)
    for i, embed in enumerate(embeds):
        base: Path = ("embeds", i)
        errors.max_len((*base, "title"), embed.get("title"), 256)
        errors.max_len((*base, "description"), embed.get("description"), 4096)
        errors.max_len((*base, "footer", "text"), (embed.get("footer") or {}).get("text"), 2048)
        errors.max_len((*base, "author", "name"), (embed.get("author") or {}).get("name"), 256)
        fields = embed.get("fields") or []
        errors.max_items((*base, "fields"), fields, 25)
        for j, f in enumerate(fields):
            if not f.get("name"):
                errors.required((*base, "fields", j, "name"))
            if not f.get("value"):
                errors.required((*base, "fields", j, "value"))
            errors.max_len((*base, "fields", j, "name"), f.get("name"), 256)
            errors.max_len((*base, "fields", j, "value"), f.get("value"), 1024)
    if sum(_embed_chars(e) for e in embeds) > 6000:
        errors.add(
            ("embeds",), "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000"
        )


def _check_custom_id(
    errors: FormErrors, path: Path, component: dict[str, Any], seen: set[str]
) -> None:
    custom_id = component.get("custom_id")
    if custom_id is None:
        errors.required((*path, "custom_id"))
        return
    errors.length_between((*path, "custom_id"), custom_id, 1, 100)
    if custom_id in seen:
        errors.add(
            (*path, "custom_id"),
            "COMPONENT_CUSTOM_ID_DUPLICATED",
            "Component custom id cannot be duplicated",
        )
    seen.add(custom_id)


def _check_button(errors: FormErrors, path: Path, button: dict[str, Any], seen: set[str]) -> None:
    errors.max_len((*path, "label"), button.get("label"), 80)
    style = button.get("style")
    if style == 5:  # link
        if not button.get("url"):
            errors.required((*path, "url"))
        if "custom_id" in button:
            errors.add(
                (*path, "custom_id"),
                "BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED",
                "A custom id cannot be specified for link buttons",
            )
    elif style == 6:  # premium
        pass
    else:
        if button.get("url"):
            errors.add(
                (*path, "url"), "BUTTON_COMPONENT_URL_NOT_ALLOWED", "A url cannot be specified"
            )
        _check_custom_id(errors, path, button, seen)
    if not button.get("label") and not button.get("emoji") and style != 6:
        errors.add((*path,), "BUTTON_COMPONENT_INVALID", "Buttons need a label or an emoji")


def _check_select(errors: FormErrors, path: Path, select: dict[str, Any], seen: set[str]) -> None:
    _check_custom_id(errors, path, select, seen)
    errors.max_len((*path, "placeholder"), select.get("placeholder"), 150)
    if select.get("type") == 3:
        options = select.get("options") or []
        if not 1 <= len(options) <= 25:
            errors.add(
                (*path, "options"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 25 in length."
            )
        values: set[str] = set()
        for k, option in enumerate(options):
            errors.length_between((*path, "options", k, "label"), option.get("label"), 1, 100)
            errors.length_between((*path, "options", k, "value"), option.get("value"), 1, 100)
            errors.max_len((*path, "options", k, "description"), option.get("description"), 100)
            if option.get("value") in values:
                errors.add(
                    (*path, "options", k, "value"),
                    "SELECT_COMPONENT_OPTION_VALUE_DUPLICATED",
                    "Component option value cannot be duplicated",
                )
            values.add(str(option.get("value")))
    low, high = select.get("min_values", 1), select.get("max_values", 1)
    if not 0 <= low <= 25 or not 1 <= high <= 25 or low > high:
        errors.add((*path, "max_values"), "BASE_TYPE_BAD_VALUE", "Invalid min/max values")


def _check_v2(errors: FormErrors, path: Path, items: list[dict[str, Any]], seen: set[str]) -> None:
    """Components v2 (layout) messages: check the interactive parts, allow the layout."""
    for i, item in enumerate(items):
        here: Path = (*path, i)
        kind = item.get("type")
        if kind == 2:
            _check_button(errors, here, item, seen)
        elif kind in (3, 5, 6, 7, 8):
            _check_select(errors, here, item, seen)
        elif kind == 10:
            errors.max_len((*here, "content"), item.get("content"), 4000)
        if "components" in item:
            _check_v2(errors, (*here, "components"), item["components"], seen)
        if "accessory" in item:
            _check_v2(errors, (*here, "accessory"), [item["accessory"]], seen)


def check_components(errors: FormErrors, components: list[dict[str, Any]], v2: bool) -> None:
    seen: set[str] = set()
    if v2:
        errors.max_items(("components",), components, 40)
        _check_v2(errors, ("components",), components, seen)
        return
    errors.max_items(("components",), components, 5)
    for i, row in enumerate(components):
        path: Path = ("components", i)
        if row.get("type") != 1:
            errors.add(
                (*path, "type"), "UNION_TYPE_CHOICES", "Top-level components must be action rows"
            )
            continue
        children = row.get("components") or []
        selects = [c for c in children if c.get("type") in (3, 5, 6, 7, 8)]
        buttons = [c for c in children if c.get("type") == 2]
        if selects and (len(children) != 1):
            errors.add(
                (*path, "components"),
                "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                "The specified component exceeds the maximum width",
            )
        elif not 1 <= len(children) <= 5:
            errors.add(
                (*path, "components"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length."
            )
        for j, child in enumerate(children):
            child_path: Path = (*path, "components", j)
            if child in buttons:
                _check_button(errors, child_path, child, seen)
            elif child in selects:
                _check_select(errors, child_path, child, seen)
            else:
                errors.add(
                    (*child_path, "type"), "UNION_TYPE_CHOICES", "Value must be a message component"
                )


ALLOWED_PARSE = {"roles", "users", "everyone"}


def check_allowed_mentions(errors: FormErrors, allowed: dict[str, Any] | None) -> None:
    if not allowed:
        return
    parse = allowed.get("parse") or []
    for i, value in enumerate(parse):
        if value not in ALLOWED_PARSE:
            errors.add(
                ("allowed_mentions", "parse", i),
                "BASE_TYPE_CHOICES",
                f"Value must be one of {sorted(ALLOWED_PARSE)}.",
            )
    for key in ("users", "roles"):
        if key in parse and allowed.get(key):
            errors.add(
                ("allowed_mentions",),
                "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                f'parse:["{key}"] and {key}: [ids...] are mutually exclusive.',
            )
        errors.max_items(("allowed_mentions", key), allowed.get(key) or [], 100)


def check_message(payload: dict[str, Any], *, require_body: bool = True, files: int = 0) -> None:
    """Validate a create/edit message payload; raise Discord's error if it is bad."""
    errors = FormErrors()
    content = payload.get("content")
    if content is not None and not isinstance(content, str):
        content = str(content)
    errors.max_len(("content",), content, 2000)
    embeds = payload.get("embeds") or []
    check_embeds(errors, embeds)
    components = payload.get("components") or []
    flags = int(payload.get("flags") or 0)
    v2 = bool(flags & (1 << 15))
    check_components(errors, components, v2)
    if v2 and (content or embeds):
        errors.add(
            ("content",),
            "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
            "The 'content' and 'embeds' fields cannot be used with IS_COMPONENTS_V2",
        )
    check_allowed_mentions(errors, payload.get("allowed_mentions"))
    errors.raise_if_any()
    has_body = bool(
        content
        or embeds
        or components
        or files
        or payload.get("sticker_ids")
        or payload.get("poll")
    )
    if require_body and not has_body:
        raise empty_message()


# ---------------------------------------------------------------------------------------------
# Modals


def _check_text_input(errors: FormErrors, path: Path, item: dict[str, Any], label: Any) -> None:
    if label is not None:
        errors.length_between((*path, "label"), label, 1, 45)
    errors.max_len((*path, "placeholder"), item.get("placeholder"), 100)
    errors.max_len((*path, "value"), item.get("value"), 4000)
    low, high = item.get("min_length"), item.get("max_length")
    if low is not None and not 0 <= low <= 4000:
        errors.add((*path, "min_length"), "NUMBER_TYPE_MAX", "int value should be <= 4000.")
    if high is not None and not 1 <= high <= 4000:
        errors.add((*path, "max_length"), "NUMBER_TYPE_MAX", "int value should be <= 4000.")
    if item.get("style") not in (1, 2):
        errors.add((*path, "style"), "BASE_TYPE_CHOICES", "Value must be one of (1, 2).")


def check_modal(data: dict[str, Any]) -> None:
    errors = FormErrors()
    errors.length_between(("data", "title"), data.get("title"), 1, 45)
    errors.length_between(("data", "custom_id"), data.get("custom_id"), 1, 100)
    components = data.get("components") or []
    if not 1 <= len(components) <= 5:
        errors.add(
            ("data", "components"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length."
        )
    seen: set[str] = set()
    for i, top in enumerate(components):
        path: Path = ("data", "components", i)
        kind = top.get("type")
        if kind == 1:  # legacy: an action row with one text input
            inner = top.get("components") or []
            if len(inner) != 1 or inner[0].get("type") != 4:
                errors.add(
                    (*path, "components"),
                    "BASE_TYPE_BAD_LENGTH",
                    "An action row in a modal holds exactly one text input",
                )
                continue
            _check_custom_id(errors, (*path, "components", 0), inner[0], seen)
            _check_text_input(errors, (*path, "components", 0), inner[0], inner[0].get("label"))
        elif kind == 18:  # Label wrapping a text input or select
            errors.length_between((*path, "label"), top.get("label"), 1, 45)
            errors.max_len((*path, "description"), top.get("description"), 100)
            inner_item = top.get("component") or {}
            inner_path: Path = (*path, "component")
            if inner_item.get("type") == 4:
                _check_custom_id(errors, inner_path, inner_item, seen)
                _check_text_input(errors, inner_path, inner_item, None)
            elif inner_item.get("type") in (3, 5, 6, 7, 8, 19, 21, 22, 23):
                if inner_item.get("type") in (3, 5, 6, 7, 8):
                    _check_select(errors, inner_path, inner_item, seen)
            else:
                errors.add(
                    (*inner_path, "type"), "UNION_TYPE_CHOICES", "Value must be an input component"
                )
        elif kind == 10:  # text display
            errors.max_len((*path, "content"), top.get("content"), 4000)
        else:
            errors.add((*path, "type"), "UNION_TYPE_CHOICES", "Value must be a label or action row")
    errors.raise_if_any()


# ---------------------------------------------------------------------------------------------
# Application commands

COMMAND_NAME = re.compile(r"^[-_'\w]{1,32}$")


def _check_name(
    errors: FormErrors, path: Path, name: Any, chat_input: bool, *, field: str = "name"
) -> None:
    if not isinstance(name, str) or not 1 <= len(name) <= 32:
        errors.add((*path, field), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 32 in length.")
    elif chat_input and (not COMMAND_NAME.match(name) or name != name.lower()):
        errors.add(
            (*path, field),
            "APPLICATION_COMMAND_INVALID_NAME",
            f"Command name is invalid: {name!r}",
        )


# Discord's client locales (https://discord.com/developers/docs/reference#locales). There is
# no Armenian or Azerbaijani among them.
LOCALES = frozenset(
    {
        *("id", "da", "de", "en-GB", "en-US", "es-ES", "es-419", "fr", "hr", "it", "lt"),
        *("hu", "nl", "no", "pl", "pt-BR", "ro", "fi", "sv-SE", "vi", "tr", "cs", "el"),
        *("bg", "ru", "uk", "hi", "th", "zh-CN", "ja", "zh-TW", "ko"),
    }
)


def _check_localizations(
    errors: FormErrors, path: Path, node: dict[str, Any], *, chat_input: bool = True
) -> None:
    """``name_localizations`` and ``description_localizations``: known locales only, and each
    value under the same rules as the default."""
    for field_name, low, high in (
        ("name_localizations", 1, 32),
        ("description_localizations", 1, 100),
    ):
        localized = node.get(field_name)
        if localized is None:
            continue
        if not isinstance(localized, dict):
            errors.add((*path, field_name), "DICT_TYPE_CONVERT", "Only dictionaries may be used")
            continue
        for locale, value in localized.items():
            here: Path = (*path, field_name, locale)
            if locale not in LOCALES:
                errors.add(here, "LOCALE_INVALID", f"Invalid locale: {locale!r}")
            elif field_name == "name_localizations":
                _check_name(errors, (*path, field_name), value, chat_input, field=locale)
            else:
                errors.length_between(here, value, low, high)


def _check_options(errors: FormErrors, path: Path, options: list[dict[str, Any]]) -> None:
    errors.max_items((*path, "options"), options, 25)
    seen_optional = False
    names: set[str] = set()
    for i, option in enumerate(options):
        here: Path = (*path, "options", i)
        _check_name(errors, here, option.get("name"), True)
        errors.length_between((*here, "description"), option.get("description"), 1, 100)
        _check_localizations(errors, here, option)
        if option.get("name") in names:
            errors.add((*here, "name"), "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS", "Dup")
        names.add(str(option.get("name")))
        kind = option.get("type")
        if kind in (1, 2):
            _check_options(errors, here, option.get("options") or [])
            continue
        if option.get("required"):
            if seen_optional:
                errors.add(
                    (*here, "required"),
                    "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                    "Required options must be placed before non-required options",
                )
        else:
            seen_optional = True
        choices = option.get("choices") or []
        errors.max_items((*here, "choices"), choices, 25)
        for k, choice in enumerate(choices):
            choice_path: Path = (*here, "choices", k)
            errors.length_between((*choice_path, "name"), choice.get("name"), 1, 100)
            for locale, value in (choice.get("name_localizations") or {}).items():
                if locale not in LOCALES:
                    errors.add((*choice_path, "name_localizations", locale), "LOCALE_INVALID", "?")
                else:
                    errors.length_between(
                        (*choice_path, "name_localizations", locale), value, 1, 100
                    )
        if choices and option.get("autocomplete"):
            errors.add((*here, "autocomplete"), "AUTOCOMPLETE_CHOICES", "Choices or autocomplete")


def check_commands(commands: Iterable[dict[str, Any]]) -> None:
    errors = FormErrors()
    listed = list(commands)
    if len(listed) > 100:
        errors.add((), "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer in length.")
    seen: set[tuple[int, str]] = set()
    for i, command in enumerate(listed):
        path: Path = (i,)
        kind = int(command.get("type", 1))
        _check_name(errors, path, command.get("name"), kind == 1)
        key = (kind, str(command.get("name")))
        if key in seen:
            errors.add(
                (*path, "name"), "APPLICATION_COMMANDS_DUPLICATE_NAME", "Duplicate command name"
            )
        seen.add(key)
        _check_localizations(errors, path, command, chat_input=kind == 1)
        if kind == 1:
            errors.length_between((*path, "description"), command.get("description"), 1, 100)
            _check_options(errors, path, command.get("options") or [])
        elif command.get("description"):
            errors.add(
                (*path, "description"), "BASE_TYPE_BAD_LENGTH", "Context menus have no description"
            )
    errors.raise_if_any()


# ---------------------------------------------------------------------------------------------
# Threads and timeouts

ARCHIVE_DURATIONS = (60, 1440, 4320, 10080)


def check_thread(payload: dict[str, Any], *, creating: bool) -> None:
    errors = FormErrors()
    if creating or "name" in payload:
        errors.length_between(("name",), payload.get("name"), 1, 100)
    duration = payload.get("auto_archive_duration")
    if duration is not None and duration not in ARCHIVE_DURATIONS:
        errors.add(
            ("auto_archive_duration",),
            "BASE_TYPE_CHOICES",
            f"Value must be one of {ARCHIVE_DURATIONS}.",
        )
    errors.raise_if_any()


MAX_TIMEOUT_SECONDS = 28 * 24 * 3600


def check_autocomplete_choices(choices: list[dict[str, Any]]) -> None:
    errors = FormErrors()
    errors.max_items(("data", "choices"), choices, 25)
    for i, choice in enumerate(choices):
        errors.length_between(("data", "choices", i, "name"), choice.get("name"), 1, 100)
    errors.raise_if_any()
