#!/usr/bin/env bash
# Runs the Dockerfile's build stage outside Docker (there may be no Docker engine): copies what its COPY lines copy
# (minus what .dockerignore leaves out) into a scratch build context, runs its RUN lines there with the container's
# absolute paths mapped into a scratch root, then checks that the final stage's ENTRYPOINT is in the published folder
# and that `ENTRYPOINT --help` exits 0 (`dotnet X.dll --help` for a dll). An `apt-get install` step is not run: the
# packages it names must already be installed here (tests/run-all.sh installs them).
#   dashboards/check-dockerfile.sh [SCRATCH_DIR]     (default: a new temp dir, removed afterwards)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
dockerfile="$repo/Dockerfile"
if [ $# -ge 1 ]; then scratch="$1"; mkdir -p "$scratch"; else scratch="$(mktemp -d)"; trap 'rm -rf "$scratch"' EXIT; fi
root="$scratch/root"          # stands for the build container's /
mkdir -p "$root"

fail() { echo "check-dockerfile: $*" >&2; exit 1; }
map() { # container path -> scratch path
  case "$1" in /*) printf '%s%s' "$root" "$1" ;; *) printf '%s/%s' "$workdir" "$1" ;; esac
}

stage=0; workdir="$root"; publish_dir=""; entry=""; final_copy_from=""
while IFS= read -r line || [ -n "$line" ]; do
  line="${line%%$'\r'}"
  case "$line" in ''|'#'*) continue ;; esac
  read -r instr rest <<<"$line"
  case "${instr^^}" in
    FROM) stage=$((stage + 1)); workdir="$root" ;;
    WORKDIR) [ "$stage" -eq 1 ] && { workdir="$(map "$rest")"; mkdir -p "$workdir"; } ;;
    COPY)
      if [ "$stage" -eq 1 ]; then
        read -r -a parts <<<"$rest"
        dest="$(map "${parts[-1]}")"
        for src in "${parts[@]:0:${#parts[@]}-1}"; do
          [ -e "$repo/$src" ] || fail "COPY source '$src' does not exist in the repository"
          if [ -d "$repo/$src" ]; then
            # As in Docker, a directory's contents go into the destination; .dockerignore keeps bin/, obj/ and
            # TestResults/ out of the build context.
            mkdir -p "$dest"
            tar -C "$repo/$src" --exclude=bin --exclude=obj --exclude=TestResults -cf - . | tar -C "$dest" -xf -
          else
            mkdir -p "$dest"; cp "$repo/$src" "$dest/"
          fi
        done
      else
        case "$rest" in
          --from=*) read -r _ from_path _ <<<"$rest"; final_copy_from="$from_path" ;;
          *) read -r -a parts <<<"$rest"
             for src in "${parts[@]:0:${#parts[@]}-1}"; do [ -e "$repo/$src" ] || fail "final stage COPY source '$src' does not exist"; done ;;
        esac
      fi ;;
    RUN)
      if [ "$stage" -eq 1 ] && [[ "$rest" == "apt-get "* ]]; then
        packages="$(sed -E 's/.*apt-get install[^&]*-y( --no-install-recommends)? ([^&]*).*/\2/' <<<"$rest")"
        for package in $packages; do
          dpkg -s "$package" >/dev/null 2>&1 || fail "the build stage installs '$package' (RUN $rest); install it here first (tests/run-all.sh does)"
        done
        echo "check-dockerfile: packages of the build stage present: $packages"
      elif [ "$stage" -eq 1 ]; then
        cmd="${rest//\/app\//$root/app/}"
        echo "check-dockerfile: (cd $workdir && $cmd)"
        (cd "$workdir" && eval "$cmd") || fail "RUN $rest failed"
      fi ;;
    ENTRYPOINT) entry="$(grep -o '"[^"]*"' <<<"$rest" | head -1 | tr -d '"')"
                [ "$entry" = dotnet ] && entry="$(grep -o '[A-Za-z0-9_.-]*\.dll' <<<"$rest" | head -1)" ;;
  esac
done <"$dockerfile"

[ "$stage" -ge 2 ] || fail "expected a multi-stage Dockerfile (build, then final)"
[ -n "$final_copy_from" ] || fail "the final stage copies nothing from the build stage"
[ -n "$entry" ] || fail "no ENTRYPOINT"
publish_dir="$root$final_copy_from"
entry_path="$publish_dir/${entry#./}"
case "$entry" in
  *.dll)
    [ -f "$entry_path" ] || fail "ENTRYPOINT dll '$entry' is not in the published folder $final_copy_from"
    dotnet "$entry_path" --help >/dev/null || fail "dotnet $entry --help failed" ;;
  *)
    [ -x "$entry_path" ] || fail "ENTRYPOINT '$entry' is not an executable in the published folder $final_copy_from"
    "$entry_path" --help >/dev/null || fail "$entry --help failed" ;;
esac
echo "check-dockerfile: OK ($entry published to $final_copy_from; --help exits 0)"
