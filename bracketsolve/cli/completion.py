"""`bracketsolve --completion bash`: a small static bash completion script, written from the parsers themselves
(so it never lists an option the program does not take)."""

from __future__ import annotations

import argparse

TEMPLATE = """# bash completion for bracketsolve: source <(bracketsolve --completion bash)
_bracketsolve() {{
    local cur=${{COMP_WORDS[COMP_CWORD]}} prev=${{COMP_WORDS[COMP_CWORD-1]}} words
    case "${{COMP_WORDS[1]}}" in
{commands}
        *) words="{default}" ;;
    esac
    case "$prev" in
{choices}
    esac
    if [[ $COMP_CWORD -eq 1 && $cur != -* ]]; then
        words="{names}"
    fi
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
}}
complete -o default -F _bracketsolve bracketsolve
"""


def _options(parser: argparse.ArgumentParser) -> list[str]:
    return [o for action in parser._actions for o in action.option_strings if o.startswith("--")]


def _choices(parsers: list[argparse.ArgumentParser]) -> list[tuple[str, list[str]]]:
    """(option, its choices) of every option with a fixed set of values."""
    seen: dict[str, set[str]] = {}
    for parser in parsers:
        for action in parser._actions:
            if action.choices:
                for option in action.option_strings:
                    seen.setdefault(option, set()).update(map(str, action.choices))
    return sorted((option, sorted(values)) for option, values in seen.items())


def script(shell: str, main: argparse.ArgumentParser, commands: dict[str, argparse.ArgumentParser]) -> str:
    """The completion script for `shell` ("bash"): the default command's options, each subcommand's, and the
    values of options with choices (--rules, --backend, ...).

    Takes the main parser and {name: parser} of the subcommands.
    """
    lines = [f'        {name}) words="{" ".join(_options(p))}" ;;' for name, p in commands.items()]
    lines.append(f'        solve) words="{" ".join(_options(main))}" ;;')
    choices = [f'        {option}) COMPREPLY=($(compgen -W "{" ".join(values)}" -- "$cur")); return ;;'
               for option, values in _choices([main, *commands.values()])]
    names = " ".join(["solve", "help", *commands])
    return TEMPLATE.format(commands="\n".join(lines), default=" ".join(_options(main)), choices="\n".join(choices),
                           names=names).rstrip()
