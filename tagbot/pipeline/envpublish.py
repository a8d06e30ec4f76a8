"""Publishing with environments: each environment's edits as their own change sets, on
`tagbot/<environment>/<image>` branches, in the environment's mode, titled with its name."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from tagbot import durations, provider
from tagbot.models import Environment, FileEdit, GitOptions, Problem, StatedReference
from tagbot.pipeline.approvals import Outcome, publish_routed
from tagbot.pipeline.environments import owner
from tagbot.provider.prbody import ImageNotes


def environment_options(options: GitOptions, env: Environment, verb: str = "") -> GitOptions:
    """The `git:` options for one environment: its branch prefix, mode, titles and PR text;
    `verb` (`roll back`) names a change set that is not a promotion or an update, and gets
    branches of its own (`tagbot/prod/roll-back-<image>`)."""
    kind = f"{verb.replace(' ', '-')}-" if verb else ""
    verb = verb or ("promote" if env.source else "update")
    if options.grouping == "all":
        default = f"chore(deps): {verb} {{count}} images in {env.name}"
    else:
        default = f"chore(deps): {verb} {{image}} to {{to}} in {env.name}"
    title = options.pr_title or options.commit_message
    title = f"[{env.name}] {title}" if title else default
    intro = f"Environment **{env.name}**"
    if env.source:
        soak = f" after a soak of {durations.compact(env.soak)}" if env.soak else ""
        intro += (
            f": promoted from **{env.source}**{soak} (each image's promotion path is under Why)."
        )
    body = f"{options.pr_body.strip()}\n\n{intro}" if options.pr_body else intro
    return replace(
        options,
        branch_prefix=f"{options.branch_prefix}{env.name}/{kind}",
        mode=env.mode or options.mode,
        pr_title=title,
        commit_message=title,
        pr_body=body,
    )


def publish_staged(
    ws: provider.Workspace,
    options: GitOptions,
    environments: Sequence[Environment],
    edits: Sequence[FileEdit],
    verb: str = "",
    *,
    stated: Sequence[StatedReference] = (),
    notes: Mapping[str, ImageNotes] | None = None,
) -> tuple[list[Outcome], list[Problem]]:
    """Publish the edits outside every environment as `git:` says, then each environment's
    edits with its own options, each through `publish_routed` (update types, approvals);
    one environment's failure is its problem, the rest go on."""
    if not environments:
        return publish_routed(ws, options, edits, stated=stated, notes=notes)
    owned: dict[str, list[FileEdit]] = {}
    plain: list[FileEdit] = []
    for edit in edits:
        env = owner(environments, edit.path)
        (owned.setdefault(env.name, []) if env else plain).append(edit)
    outcomes, problems = (
        publish_routed(ws, options, plain, stated=stated, notes=notes) if plain else ([], [])
    )
    for env in environments:
        if env.name not in owned:
            continue
        mine = environment_options(options, env, verb)
        more, routed = publish_routed(ws, mine, owned[env.name], stated=stated, notes=notes)
        outcomes += more
        problems += routed
    return outcomes, problems
