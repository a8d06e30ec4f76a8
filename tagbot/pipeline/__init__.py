"""The pipeline as a library: every entry point (`scan`, `plan`, `run`, `set`, `tags`, and the
server, promotion and rollback built on them) runs these steps. docs/architecture.md has the map.

    discover(paths) -> Discovery              the one file loop (walk, read, extract)
    config_rules(config_file, paths)          `references:` rules and the names scan/set match
    unused_rules(config, config_file)         `validate`'s notes: rules that match nothing
    plan(config, root, images=None) -> Plan   choose updates, compute FileEdits once
    publish_edits(ws, options, edits)         change sets through a provider
    run(config, config_dir, workdir) -> RunReport
    run_many(config, workdir) -> [RepositoryReport]   many repositories, each image listed once
    set_images(targets, paths, ...) -> RunReport
    promote_to / rollback / release           environments (pipeline/staged.py and friends)
    promote_each(config, ...) -> [RepositoryReport]   promote in every repository of the config
    one_repository(config, name, command)     the repository `--repository` names
    list_tags / explain_tags                  one image's tags, and the policy's pick
"""

from __future__ import annotations

from tagbot.pipeline.envmany import promote_each
from tagbot.pipeline.envrun import promote_to, release, rollback
from tagbot.pipeline.files import Discovery, SourceFile, discover
from tagbot.pipeline.many import RepositoryReport, run_many
from tagbot.pipeline.plan import Plan, plan
from tagbot.pipeline.publishing import publish_edits
from tagbot.pipeline.repositories import one_repository, per_repository
from tagbot.pipeline.ruleroot import config_rules, repository_names, unused_rules
from tagbot.pipeline.run import local_root, run
from tagbot.pipeline.setimages import SetPlan, parse_targets, plan_set, set_images
from tagbot.pipeline.settings import Publishing, publishing
from tagbot.pipeline.tags import explain_tags, list_tags

__all__ = [
    "Discovery",
    "Plan",
    "Publishing",
    "RepositoryReport",
    "SetPlan",
    "SourceFile",
    "config_rules",
    "discover",
    "explain_tags",
    "list_tags",
    "local_root",
    "one_repository",
    "parse_targets",
    "per_repository",
    "plan",
    "plan_set",
    "promote_each",
    "promote_to",
    "publish_edits",
    "publishing",
    "release",
    "repository_names",
    "rollback",
    "run",
    "run_many",
    "set_images",
    "unused_rules",
]
