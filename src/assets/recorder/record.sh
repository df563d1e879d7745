# rust-bootstrap-nix recorder library, sourced by the wrappers beside it.
# Runs once per compiler call, so it uses bash builtins only (no forks) and
# writes each invocation to its own file: parallel calls can never tear or
# interleave a record. Node turns these files into JSON after the build.
#
# A record file is NUL-separated: format, kind, start time (µs), cwd, parent,
# argc, argv..., envc, env... An end file holds: exit code, end time (µs).

rbn_begin() { # kind argv...
  local kind=$1
  shift
  local start=${EPOCHREALTIME/./}
  RBN_SELF="$RBN_RECORD_DIR/$start-$$-$RANDOM"
  local -a envs
  mapfile -d '' envs < /proc/$$/environ
  printf '%s\0' rbn1 "$kind" "$start" "$PWD" "${RBN_PARENT:-}" "$#" "$@" "${#envs[@]}" "${envs[@]}" > "$RBN_SELF.rec"
}

rbn_end() { # exit-code
  printf '%s\0' "$1" "${EPOCHREALTIME/./}" > "$RBN_SELF.end"
}
