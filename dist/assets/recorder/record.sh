# rust-bootstrap-nix recorder library, sourced by the wrappers beside it.
# Runs once per compiler call, so it uses bash builtins only (no forks) and
# writes each invocation to its own file: parallel calls can never tear or
# interleave a record. Node turns these files into JSON after the build.
#
# Times drop every non-digit of $EPOCHREALTIME: its separator follows the locale.
# A record file is NUL-separated: format, kind, start time (µs), cwd, parent,
# argc, argv..., envc, env... An end file holds: exit code, end time (µs).
# Secret-named variables and the Actions runtime never reach the file: the
# pattern is secrets.ts's SECRET_NAME_PATTERN (a test holds them equal).

rbn_begin() { # kind argv...
  local kind=$1
  shift
  local start=${EPOCHREALTIME//[!0-9]/}
  RBN_SELF="$RBN_RECORD_DIR/$start-$$-$RANDOM"
  local -a envs keep=()
  local e n
  local secret='token|secret|passw(or)?d|passphrase|credential|key|(^|_)pass(_|$)|(^|_)pat$|_pwd$|auth($|[^o]|o$|o[^r]|or[^s_]|ors[^_])'
  mapfile -d '' envs < /proc/$$/environ
  shopt -s nocasematch
  for e in "${envs[@]}"; do
    n=${e%%=*}
    # A glob first (no regex compiled per variable): only a name holding one of
    # the pattern's words can match it. The regex decides for those alone.
    case $n in
      ACTIONS_* | *token* | *secret* | *pass* | *credential* | *key* | *pat | *pwd | *auth*)
        [[ $n =~ $secret || $n == ACTIONS_* ]] && continue
        ;;
    esac
    keep+=("$e")
  done
  shopt -u nocasematch
  printf '%s\0' rbn1 "$kind" "$start" "$PWD" "${RBN_PARENT:-}" "$#" "$@" "${#keep[@]}" "${keep[@]}" > "$RBN_SELF.rec"
}

rbn_end() { # exit-code
  printf '%s\0' "$1" "${EPOCHREALTIME//[!0-9]/}" > "$RBN_SELF.end"
}

rbn_run() { # kind program argv...: records the call, runs it, exits with its status
  local kind=$1
  shift
  rbn_begin "$kind" "$@"
  "$@"
  local rc=$?
  rbn_end "$rc"
  exit "$rc"
}
