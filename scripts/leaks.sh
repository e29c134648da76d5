# shellcheck shell=bash
# Sourced by test.sh. Defines leaks_snapshot and leaks_check.
#
# Tests label what they make `dockermagic.test=...` and the notebooks
# `dockermagic.notebook=NN` (their first cell sets DockerMagics.labels), and
# both remove it themselves: a container, network, volume or image with either
# label key that appeared during the run and is still there is a leak.
# leaks_check shows it in one line plus the list, removes it (so the next run
# starts clean) and returns 1. Objects already there before the run are not
# this run's and are left alone; objects another test run makes on the same
# engine at the same time would count as this run's (CI has an engine to itself).

DM_LEAK_KEYS=(dockermagic.test dockermagic.notebook)

# One line per labelled object: KIND<TAB>ID<TAB>DESCRIPTION. Top-level images
# only: removing one removes its untagged build steps with it.
_dm_labelled() {
  local key t=$'\t'
  for key in "${DM_LEAK_KEYS[@]}"; do
    docker ps -a --no-trunc --filter "label=$key" --format "container${t}{{.ID}}${t}{{.Names}} ({{.Image}}, $key={{.Label \"$key\"}})" &&
      docker network ls --no-trunc --filter "label=$key" --format "network${t}{{.ID}}${t}{{.Name}} ($key={{.Label \"$key\"}})" &&
      docker volume ls --filter "label=$key" --format "volume${t}{{.Name}}${t}{{.Name}} ($key={{.Label \"$key\"}})" &&
      docker images --no-trunc --filter "label=$key" --format "image${t}{{.ID}}${t}{{.Repository}}:{{.Tag}} ($key)" ||
      return 1
  done | sort -t $'\t' -k1,2 -u     # an object with both keys once
}

leaks_snapshot() {
  DM_LEAKS_BEFORE=$(_dm_labelled) || { _dm_say "could not list labelled objects before the tests"; return 1; }
}

leaks_check() {
  local now left kind id _ t=$'\t'
  now=$(_dm_labelled) || { _dm_say "could not list labelled objects after the tests"; return 1; }
  # by kind and id: a description (a name) may change during the run
  left=$(awk -F '\t' 'NR == FNR { before[$1 FS $2]; next } NF && !(($1 FS $2) in before)' \
    <(printf '%s\n' "$DM_LEAKS_BEFORE") <(printf '%s\n' "$now"))
  [ -n "$left" ] || return 0
  local n; n=$(wc -l <<<"$left")
  _dm_say "the run left $n labelled object$( ((n == 1)) || echo s) behind (${DM_LEAK_KEYS[*]}); removed now, the run fails:"
  awk -F '\t' '{ printf "  %-9s  %s\n", $1, $3 }' <<<"$left" >&2
  # Containers first: they hold networks, volumes and images.
  for kind in container network volume image; do
    while IFS=$'\t' read -r _ id _; do
      case $kind in
        container) docker rm -f -v "$id" ;;
        network) docker network rm "$id" ;;
        volume) docker volume rm -f "$id" ;;
        image) docker rmi -f "$id" ;;
      esac >/dev/null 2>&1 || ! docker inspect --type "$kind" "$id" >/dev/null 2>&1 ||
        _dm_say "could not remove $kind $id"
    done < <(grep "^$kind${t}" <<<"$left")
  done
  return 1
}
