#!/usr/bin/env bash
# `npm run history:data -- fetch <dir>` / `publish <dir>`: the nightly history on a data branch
# ($HISTORY_BRANCH, default bench-data) of the repository this runs in.
# fetch: the branch's files into <dir> (an empty <dir> when the branch does not exist yet).
# publish: <dir> as one commit replacing the branch (the history's own retention bounds its size;
# the files, not the branch's git log, are the history). Uses the checkout's credentials.
set -euo pipefail
branch="${HISTORY_BRANCH:-bench-data}"
command="${1:-}"
dir="${2:-}"
if [[ -z "$command" || -z "$dir" ]]; then
  echo "usage: npm run history:data -- fetch|publish <dir>" >&2
  exit 2
fi
case "$command" in
  fetch)
    mkdir -p "$dir"
    if git fetch --depth 1 origin "$branch" 2>/dev/null; then
      git archive FETCH_HEAD | tar -x -C "$dir"
      echo "history: fetched $branch into $dir"
    else
      echo "history: no branch $branch yet; starting an empty history in $dir"
    fi
    ;;
  publish)
    staging="$(mktemp -d)"
    cp -R "$dir"/. "$staging"/
    git -C "$staging" init -q
    git -C "$staging" checkout -q -b "$branch"
    git -C "$staging" add -A
    git -C "$staging" -c user.name="mcp-deploy-bench nightly" -c user.email="nightly@users.noreply.github.com" commit -q -m "nightly history $(date -u +%Y-%m-%dT%H:%MZ)"
    git fetch -q "$staging" "$branch:refs/remotes/staging/$branch"
    git push --force origin "refs/remotes/staging/$branch:refs/heads/$branch"
    rm -rf "$staging"
    echo "history: published $dir to $branch"
    ;;
  *)
    echo "unknown command '$command': use fetch or publish" >&2
    exit 2
    ;;
esac
