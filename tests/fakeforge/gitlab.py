"""A fake GitLab REST API v4 for python-gitlab: merge requests in memory, branches in a bare repo."""

from __future__ import annotations

from dataclasses import dataclass, field
from email.message import Message
from typing import Any
from urllib.parse import unquote

from tests.fakeforge import githttp
from tests.fakeforge.gitlabcommits import CommitLog, create_commit, list_commits
from tests.fakeforge.gitrepo import BareRepo
from tests.fakeforge.server import FakeServer, Handler, RawReply, Reply

_PROJECT = r"/projects/([^/]+)"
_MR = _PROJECT + r"/merge_requests/(\d+)"


@dataclass
class MergeRequest:
    """One merge request as the fake holds it; `revision` grows with every write to it."""

    iid: int
    source_branch: str
    target_branch: str
    title: str
    description: str | None
    state: str = "opened"
    labels: list[str] = field(default_factory=list)
    reviewer_ids: list[int] = field(default_factory=list)
    assignee_ids: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    remove_source_branch: bool = False
    merge_when_pipeline_succeeds: bool = False
    revision: int = 1


class FakeGitLab(FakeServer):
    """GitLab for project `path` (id `project_id`) at `url` (python-gitlab's `url`)."""

    prefix = "/api/v4"

    def __init__(
        self,
        repo: BareRepo,
        path: str = "acme/config",
        project_id: int = 42,
        token: str = "glpat-fake",
        users: dict[str, int] | None = None,
        job_token: str | None = None,
    ) -> None:
        super().__init__()
        self.repo, self.path, self.project_id, self.token = repo, path, project_id, token
        self.job_token = job_token  # CI_JOB_TOKEN: git over HTTP only, as GitLab allows
        self.commits = CommitLog()
        self.users = users if users is not None else {"alice": 7, "bob": 8}
        self.mrs: dict[int, MergeRequest] = {}
        self.hide_open = 0  # the next N listings leave open MRs out, as if another run raced us

    @property
    def url(self) -> str:
        """The instance URL; python-gitlab adds `/api/v4`."""
        return self.origin

    def open_mrs(self) -> list[MergeRequest]:
        """The open merge requests, by iid."""
        return [mr for _, mr in sorted(self.mrs.items()) if mr.state == "opened"]

    @property
    def git_url(self) -> str:
        """The repository over HTTP, for `oauth2:<token>` or `gitlab-ci-token:<job token>`."""
        return f"{self.origin}/{self.path}.git"

    def raw(self, method: str, raw: str, headers: Message, body: bytes) -> RawReply | None:
        """git's smart HTTP under `/path.git`."""

        def allowed(user: tuple[str, str] | None) -> bool:
            valid = {("oauth2", self.token), ("gitlab-ci-token", self.job_token or "")}
            return user in valid and bool(user and user[1])

        mount = f"/{self.path}.git"
        return githttp.serve(self.repo.path, mount, method, raw, headers, body, allowed)

    def authorized(self, headers: Message, path: str) -> bool:
        """`PRIVATE-TOKEN: T` (or an OAuth bearer token); a job token is refused by the MR API."""
        bearer = headers.get("Authorization", "") == f"Bearer {self.token}"
        return headers.get("PRIVATE-TOKEN") == self.token or bearer

    def unauthorized(self) -> Reply:
        """GitLab's 401 body."""
        return 401, {"message": "401 Unauthorized"}

    def routes(self) -> list[tuple[str, str, Handler]]:
        """The endpoints python-gitlab calls for projects, merge requests, notes and users."""
        return [
            ("GET", _PROJECT, self._get_project),
            ("GET", _PROJECT + "/merge_requests", self._list_mrs),
            ("POST", _PROJECT + "/merge_requests", self._create_mr),
            ("GET", _MR, self._get_mr),
            ("PUT", _MR, self._update_mr),
            ("POST", _MR + "/notes", self._note),
            ("PUT", _MR + "/merge", self._merge),
            ("GET", "/users", self._list_users),
            ("POST", _PROJECT + "/repository/commits", self._create_commit),
            ("GET", _PROJECT + "/repository/commits", self._list_commits),
        ]

    def _project_json(self) -> dict[str, Any]:
        return {
            "id": self.project_id,
            "path_with_namespace": self.path,
            "name": self.path.rsplit("/", 1)[-1],
            "default_branch": self.repo.branch,
            "web_url": f"{self.origin}/{self.path}",
        }

    def _mr_json(self, mr: MergeRequest) -> dict[str, Any]:
        ids = {uid: name for name, uid in self.users.items()}
        return {
            "id": 5000 + mr.iid,
            "iid": mr.iid,
            "project_id": self.project_id,
            "title": mr.title,
            "description": mr.description,
            "state": mr.state,
            "source_branch": mr.source_branch,
            "target_branch": mr.target_branch,
            "sha": self.repo.sha(mr.source_branch),
            "labels": list(mr.labels),
            "reviewers": [{"id": uid, "username": ids.get(uid)} for uid in mr.reviewer_ids],
            "assignees": [{"id": uid, "username": ids.get(uid)} for uid in mr.assignee_ids],
            "author": {"username": "tagbot"},
            "force_remove_source_branch": mr.remove_source_branch,
            "merge_when_pipeline_succeeds": mr.merge_when_pipeline_succeeds,
            "web_url": f"{self.origin}/{self.path}/-/merge_requests/{mr.iid}",
        }

    def _is_project(self, ref: str) -> bool:
        return unquote(ref) in (str(self.project_id), self.path)

    def _mr(self, ref: str, iid: str) -> MergeRequest | None:
        return self.mrs.get(int(iid)) if self._is_project(ref) else None

    def _get_project(self, ref: str, **_: Any) -> Reply:
        if not self._is_project(ref):
            return 404, {"message": "404 Project Not Found"}
        return 200, self._project_json()

    def _list_mrs(self, ref: str, query: dict[str, str], **_: Any) -> Reply:
        if not self._is_project(ref):
            return 404, {"message": "404 Project Not Found"}
        state = query.get("state", "all")
        found = [mr for _, mr in sorted(self.mrs.items()) if state in ("all", mr.state)]
        for key in ("source_branch", "target_branch"):
            if key in query:
                found = [mr for mr in found if getattr(mr, key) == query[key]]
        if self.hide_open:
            self.hide_open -= 1
            found = [mr for mr in found if mr.state != "opened"]
        return 200, [self._mr_json(mr) for mr in found]

    def _create_mr(self, ref: str, data: dict[str, Any], **_: Any) -> Reply:
        if not self._is_project(ref):
            return 404, {"message": "404 Project Not Found"}
        source, target = data.get("source_branch", ""), data.get("target_branch", "")
        for branch in (source, target):
            if not self.repo.sha(branch):
                return 422, {"message": [f'Branch "{branch}" does not exist']}
        for mr in self.mrs.values():
            if mr.state == "opened" and (mr.source_branch, mr.target_branch) == (source, target):
                message = (
                    f"Another open merge request already exists for this source branch: !{mr.iid}"
                )
                return 409, {"message": [message]}
        mr = MergeRequest(len(self.mrs) + 1, source, target, data["title"], data.get("description"))
        mr.labels = _labels(data.get("labels", []))
        mr.reviewer_ids = [int(uid) for uid in data.get("reviewer_ids", [])]
        mr.assignee_ids = [int(uid) for uid in data.get("assignee_ids", [])]
        mr.remove_source_branch = bool(data.get("remove_source_branch", False))
        self.mrs[mr.iid] = mr
        return 201, self._mr_json(mr)

    def _get_mr(self, ref: str, iid: str, **_: Any) -> Reply:
        mr = self._mr(ref, iid)
        return (200, self._mr_json(mr)) if mr else (404, {"message": "404 Not found"})

    def _update_mr(self, ref: str, iid: str, data: dict[str, Any], **_: Any) -> Reply:
        mr = self._mr(ref, iid)
        if mr is None:
            return 404, {"message": "404 Not found"}
        for key in ("title", "description", "target_branch"):
            if key in data:
                setattr(mr, key, data[key])
        if "labels" in data:
            mr.labels = _labels(data["labels"])
        if "reviewer_ids" in data:
            mr.reviewer_ids = [int(uid) for uid in data["reviewer_ids"]]
        event = data.get("state_event")
        if event in ("close", "reopen"):
            mr.state = "closed" if event == "close" else "opened"
        mr.revision += 1
        return 200, self._mr_json(mr)

    def _merge(
        self, ref: str, iid: str, data: dict[str, Any], query: dict[str, str], **_: Any
    ) -> Reply:
        """Accept an MR; with `merge_when_pipeline_succeeds` it waits for the pipeline."""
        mr = self._mr(ref, iid)
        if mr is None:
            return 404, {"message": "404 Not found"}
        if mr.state != "opened":
            return 405, {"message": "405 Method Not Allowed"}
        given = {**query, **data}
        if str(given.get("merge_when_pipeline_succeeds", "")).lower() not in ("true", "1"):
            return 422, {"message": "the fake only waits for pipelines"}
        mr.merge_when_pipeline_succeeds = True
        if str(given.get("should_remove_source_branch", "")).lower() in ("true", "1"):
            mr.remove_source_branch = True
        mr.revision += 1
        return 200, self._mr_json(mr)

    def _note(self, ref: str, iid: str, data: dict[str, Any], **_: Any) -> Reply:
        mr = self._mr(ref, iid)
        if mr is None:
            return 404, {"message": "404 Not found"}
        mr.notes.append(str(data.get("body", "")))
        mr.revision += 1
        return 201, {"id": len(mr.notes), "body": data.get("body"), "noteable_iid": mr.iid}

    def _list_users(self, query: dict[str, str], **_: Any) -> Reply:
        name = query.get("username")
        found = [(n, uid) for n, uid in self.users.items() if name in (None, n)]
        return 200, [{"id": uid, "username": n, "state": "active"} for n, uid in found]

    def _create_commit(self, ref: str, data: dict[str, Any], **_: Any) -> Reply:
        if not self._is_project(ref):
            return 404, {"message": "404 Project Not Found"}
        return create_commit(self.repo, self.commits, data)

    def _list_commits(self, ref: str, query: dict[str, str], **_: Any) -> Reply:
        if not self._is_project(ref):
            return 404, {"message": "404 Project Not Found"}
        return list_commits(self.repo, query)


def _labels(value: Any) -> list[str]:
    """GitLab takes labels as a list or as one comma-separated string."""
    names = value.split(",") if isinstance(value, str) else list(value)
    return [n.strip() for n in names if n.strip()]
