"""A fake GitHub REST API v3 for PyGithub: pull requests in memory, branches in a real bare repo."""

from __future__ import annotations

from dataclasses import dataclass, field
from email.message import Message
from typing import Any

from tests.fakeforge import githttp
from tests.fakeforge.githubapp import INSTALLATION_ID, App, CommitLog, create_commit_on_branch
from tests.fakeforge.gitrepo import BareRepo
from tests.fakeforge.server import FakeServer, Handler, RawReply, Reply

_REPO = r"/v3/repos/([^/]+)/([^/]+)"
_APP_ONLY = (r"/v3/app/", r"/installation")  # paths a GitHub App calls with its JWT


@dataclass
class Pull:
    """One pull request as the fake holds it; `revision` grows with every write to it."""

    number: int
    head: str
    base: str
    title: str
    body: str | None
    state: str = "open"
    labels: list[str] = field(default_factory=list)
    assignees: list[str] = field(default_factory=list)
    reviewers: list[str] = field(default_factory=list)
    teams: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    revision: int = 1
    auto_merge: str | None = None  # the merge method once auto-merge is enabled


class FakeGitHub(FakeServer):
    """GitHub for `acme/config` at `url` (use as PyGithub's `base_url`), token `token`; with
    `app`, a GitHub App whose JWTs and installation tokens it checks. It serves the repository
    over git's smart HTTP at `git_url` to the same tokens, and makes commits by GraphQL."""

    prefix = "/api"

    def __init__(
        self,
        repo: BareRepo,
        owner: str = "acme",
        name: str = "config",
        token: str | None = "ghs-fake",
        app: App | None = None,
    ) -> None:
        super().__init__()
        self.repo, self.owner, self.name, self.token, self.app = repo, owner, name, token, app
        self.pulls: dict[int, Pull] = {}
        self.hide_open = 0  # the next N listings leave open PRs out, as if another run raced us
        self.auto_merge_allowed = True  # the repository setting "Allow auto-merge"
        self.commits = CommitLog()
        self.echo_token = False  # html_url echoes the caller's token, as a hostile server might

    @property
    def url(self) -> str:
        """The API base URL."""
        return f"{self.origin}{self.prefix}/v3"

    @property
    def git_url(self) -> str:
        """The repository over HTTP, behind the same tokens as the API."""
        return f"{self.origin}/{self.owner}/{self.name}.git"

    def raw(self, method: str, raw: str, headers: Message, body: bytes) -> RawReply | None:
        """git's smart HTTP under `/owner/name.git`, for `x-access-token:<valid token>`."""
        mount = f"/{self.owner}/{self.name}.git"

        def allowed(user: tuple[str, str] | None) -> bool:
            return user is not None and self._valid(user[1])

        return githttp.serve(self.repo.path, mount, method, raw, headers, body, allowed)

    def _valid(self, token: str) -> bool:
        return token == self.token or (self.app is not None and self.app.live(token))

    def open_pulls(self) -> list[Pull]:
        """The open pull requests, by number."""
        return [p for _, p in sorted(self.pulls.items()) if p.state == "open"]

    def authorized(self, headers: Message, path: str) -> bool:
        """`Authorization: token T` or `Bearer T`; the App's JWT for the App's own endpoints."""
        header = headers.get("Authorization", "")
        if path.startswith(_APP_ONLY[0]) or path.endswith(_APP_ONLY[1]):
            return self.app is not None and self.app.verify(header)
        kind, _, token = header.partition(" ")
        return kind in ("token", "Bearer") and self._valid(token)

    def _automerge(self, data: dict[str, Any]) -> Reply:
        """enablePullRequestAutoMerge on the pull request the input names."""
        given = data.get("variables", {}).get("input", {})
        pull = next(
            (p for p in self.pulls.values() if _node_id(p) == given.get("pullRequestId")), None
        )
        if pull is None:
            return 200, {
                "errors": [{"type": "NOT_FOUND", "message": "Could not resolve to a node"}]
            }
        if not self.auto_merge_allowed:
            message = "Pull request Auto merge is not allowed for this repository"
            return 200, {"errors": [{"type": "UNPROCESSABLE", "message": message}]}
        pull.auto_merge = str(given.get("mergeMethod", "MERGE"))
        pull.revision += 1
        actor = {"login": "tagbot[bot]", "avatarUrl": "", "resourcePath": "", "url": ""}
        return 200, {
            "data": {"enablePullRequestAutoMerge": {"actor": actor, "clientMutationId": None}}
        }

    def routes(self) -> list[tuple[str, str, Handler]]:
        """The endpoints PyGithub calls for pull requests, labels, reviewers and comments."""
        return [
            ("GET", _REPO, self._get_repo),
            ("GET", _REPO + "/pulls", self._list_pulls),
            ("POST", _REPO + "/pulls", self._create_pull),
            ("GET", _REPO + r"/pulls/(\d+)", self._get_pull),
            ("PATCH", _REPO + r"/pulls/(\d+)", self._edit_pull),
            ("POST", _REPO + r"/pulls/(\d+)/requested_reviewers", self._request_reviewers),
            ("GET", _REPO + r"/pulls/(\d+)/requested_reviewers", self._get_reviewers),
            ("GET", _REPO + r"/issues/(\d+)/labels", self._get_labels),
            ("POST", _REPO + r"/issues/(\d+)/labels", self._add_labels),
            ("POST", _REPO + r"/issues/(\d+)/comments", self._comment),
            ("POST", _REPO + r"/issues/(\d+)/assignees", self._assign),
            ("GET", _REPO + "/installation", self._installation),
            ("POST", rf"/v3/app/installations/{INSTALLATION_ID}/access_tokens", self._mint),
            ("POST", "/graphql", self._graphql),
            ("POST", _REPO + "/git/refs", self._create_ref),
            ("PATCH", _REPO + "/git/refs/heads/(.+)", self._update_ref),
        ]

    # -- JSON shaped like GitHub's -------------------------------------------------------------

    def _repo_json(self) -> dict[str, Any]:
        return {
            "id": 1,
            "name": self.name,
            "full_name": f"{self.owner}/{self.name}",
            "owner": {"login": self.owner, "type": "Organization"},
            "url": f"{self.url}/repos/{self.owner}/{self.name}",
            "html_url": f"{self.origin}/{self.owner}/{self.name}",
            "default_branch": self.repo.branch,
            "private": True,
        }

    def _ref_json(self, branch: str) -> dict[str, Any]:
        return {
            "label": f"{self.owner}:{branch}",
            "ref": branch,
            "sha": self.repo.sha(branch),
            "repo": self._repo_json(),
        }

    def _pull_json(self, pull: Pull) -> dict[str, Any]:
        api = f"{self.url}/repos/{self.owner}/{self.name}"
        return {
            "id": 1000 + pull.number,
            "node_id": _node_id(pull),
            "number": pull.number,
            "url": f"{api}/pulls/{pull.number}",
            "issue_url": f"{api}/issues/{pull.number}",
            "html_url": f"{self.origin}/{self.owner}/{self.name}/pull/{pull.number}"
            + (f"?token={self.token}" if self.echo_token else ""),
            "state": pull.state,
            "title": pull.title,
            "body": pull.body,
            "user": {"login": "tagbot[bot]"},
            "labels": [{"name": name} for name in pull.labels],
            "assignees": [{"login": login} for login in pull.assignees],
            "requested_reviewers": [{"login": login} for login in pull.reviewers],
            "requested_teams": [{"slug": slug} for slug in pull.teams],
            "head": self._ref_json(pull.head),
            "base": self._ref_json(pull.base),
            "merged": False,
            "draft": False,
            "auto_merge": {"merge_method": pull.auto_merge.lower()} if pull.auto_merge else None,
        }

    # -- handlers ------------------------------------------------------------------------------

    def _pull(self, owner: str, name: str, number: str) -> Pull | None:
        if (owner, name) != (self.owner, self.name):
            return None
        return self.pulls.get(int(number))

    def _get_repo(self, owner: str, name: str, **_: Any) -> Reply:
        if (owner, name) != (self.owner, self.name):
            return 404, {"message": "Not Found"}
        return 200, self._repo_json()

    def _list_pulls(self, owner: str, name: str, query: dict[str, str], **_: Any) -> Reply:
        state = query.get("state", "open")
        found = [p for _, p in sorted(self.pulls.items()) if state in ("all", p.state)]
        if "head" in query:
            found = [p for p in found if f"{self.owner}:{p.head}" == query["head"]]
        if "base" in query:
            found = [p for p in found if p.base == query["base"]]
        if self.hide_open:
            self.hide_open -= 1
            found = [p for p in found if p.state != "open"]
        return 200, [self._pull_json(p) for p in found]

    def _create_pull(self, owner: str, name: str, data: dict[str, Any], **_: Any) -> Reply:
        head = str(data.get("head", "")).removeprefix(f"{self.owner}:")
        base = str(data.get("base", ""))
        invalid = [f for f, ref in (("head", head), ("base", base)) if not self.repo.sha(ref)]
        if invalid or not data.get("title"):
            fields = invalid or ["title"]
            errors = [{"resource": "PullRequest", "field": f, "code": "invalid"} for f in fields]
            return 422, {"message": "Validation Failed", "errors": errors}
        if any(p.head == head and p.state == "open" for p in self.pulls.values()):
            message = f"A pull request already exists for {self.owner}:{head}."
            errors = [{"resource": "PullRequest", "code": "custom", "message": message}]
            return 422, {"message": "Validation Failed", "errors": errors}
        pull = Pull(len(self.pulls) + 1, head, base, data["title"], data.get("body"))
        self.pulls[pull.number] = pull
        return 201, self._pull_json(pull)

    def _get_pull(self, owner: str, name: str, number: str, **_: Any) -> Reply:
        pull = self._pull(owner, name, number)
        return (200, self._pull_json(pull)) if pull else (404, {"message": "Not Found"})

    def _edit_pull(
        self, owner: str, name: str, number: str, data: dict[str, Any], **_: Any
    ) -> Reply:
        pull = self._pull(owner, name, number)
        if pull is None:
            return 404, {"message": "Not Found"}
        if "base" in data and not self.repo.sha(data["base"]):
            return 422, {"message": "Validation Failed"}
        for key in ("title", "body", "state", "base"):
            if key in data:
                setattr(pull, key, data[key])
        pull.revision += 1
        return 200, self._pull_json(pull)

    def _request_reviewers(
        self, owner: str, name: str, number: str, data: dict[str, Any], **_: Any
    ) -> Reply:
        pull = self._pull(owner, name, number)
        if pull is None:
            return 404, {"message": "Not Found"}
        pull.reviewers += [r for r in data.get("reviewers", []) if r not in pull.reviewers]
        pull.teams += [t for t in data.get("team_reviewers", []) if t not in pull.teams]
        pull.revision += 1
        return 201, self._pull_json(pull)

    def _get_reviewers(self, owner: str, name: str, number: str, **_: Any) -> Reply:
        pull = self._pull(owner, name, number)
        if pull is None:
            return 404, {"message": "Not Found"}
        users = [{"login": login} for login in pull.reviewers]
        return 200, {"users": users, "teams": [{"slug": s} for s in pull.teams]}

    def _get_labels(self, owner: str, name: str, number: str, **_: Any) -> Reply:
        pull = self._pull(owner, name, number)
        if pull is None:
            return 404, {"message": "Not Found"}
        return 200, [{"name": label} for label in pull.labels]

    def _add_labels(self, owner: str, name: str, number: str, data: Any, **_: Any) -> Reply:
        pull = self._pull(owner, name, number)
        if pull is None:
            return 404, {"message": "Not Found"}
        names = (
            data.get("labels", []) if isinstance(data, dict) else data
        )  # both forms GitHub takes
        pull.labels += [label for label in names if label not in pull.labels]
        pull.revision += 1
        return 200, [{"name": label} for label in pull.labels]

    def _comment(self, owner: str, name: str, number: str, data: dict[str, Any], **_: Any) -> Reply:
        pull = self._pull(owner, name, number)
        if pull is None:
            return 404, {"message": "Not Found"}
        pull.comments.append(str(data.get("body", "")))
        pull.revision += 1
        comment_id = len(pull.comments)
        url = f"{self.url}/repos/{self.owner}/{self.name}/issues/comments/{comment_id}"
        return 201, {"id": comment_id, "body": data.get("body"), "url": url, "user": {"login": "x"}}

    def _assign(self, owner: str, name: str, number: str, data: dict[str, Any], **_: Any) -> Reply:
        pull = self._pull(owner, name, number)
        if pull is None:
            return 404, {"message": "Not Found"}
        pull.assignees += [a for a in data.get("assignees", []) if a not in pull.assignees]
        pull.revision += 1
        return 201, self._pull_json(pull)

    def _installation(self, owner: str, name: str, **_: Any) -> Reply:
        if self.app is None or f"{owner}/{name}" not in self.app.installed_on:
            return 404, {"message": "Not Found"}
        account = {"login": owner, "type": "Organization"}
        return 200, {"id": INSTALLATION_ID, "app_id": self.app.app_id, "account": account}

    def _mint(self, **_: Any) -> Reply:
        assert self.app is not None  # authorized() let only the App's JWT through
        return self.app.mint()

    def _graphql(self, data: dict[str, Any], **_: Any) -> Reply:
        """The two mutations tagbot sends: createCommitOnBranch and enablePullRequestAutoMerge."""
        if "enablePullRequestAutoMerge" in str(data.get("query")):
            return self._automerge(data)
        if "createCommitOnBranch" not in str(data.get("query")):
            return 200, {"errors": [{"type": "UNSUPPORTED", "message": "fake: unknown query"}]}
        project = f"{self.owner}/{self.name}"
        return create_commit_on_branch(self.repo, self.commits, project, data)

    def _create_ref(self, owner: str, name: str, data: dict[str, Any], **_: Any) -> Reply:
        branch = str(data.get("ref", "")).removeprefix("refs/heads/")
        if self.repo.sha(branch):
            return 422, {"message": "Reference already exists"}
        self.repo.set_ref(branch, data["sha"])
        return 201, {"ref": f"refs/heads/{branch}", "object": {"sha": data["sha"]}}

    def _update_ref(
        self, owner: str, name: str, branch: str, data: dict[str, Any], **_: Any
    ) -> Reply:
        if not self.repo.sha(branch):
            return 422, {"message": "Reference does not exist"}
        self.repo.set_ref(branch, data["sha"])
        return 200, {"ref": f"refs/heads/{branch}", "object": {"sha": data["sha"]}}


def _node_id(pull: Pull) -> str:
    """The GraphQL id of a pull request."""
    return f"PR_fake{pull.number}"
