# rust-bootstrap-nix step runner: the builder of every generated step.
# Lays the step's inputs out under a build root, runs the recorded command
# with its recorded arguments and environment (nothing else), and keeps
# what it wrote at the same relative paths in $out.
#
# Strings arrive as derivation attributes, one per argument, so no quoting
# layer can touch them. A string that contained a recorded absolute
# directory arrives in parts: <name>n holds the count, <name>p0, p1, ...
# the parts, and every odd part names a root to put back (`@toolchain`, or
# a directory under the build root).
set -eu
top=$NIX_BUILD_TOP/r
export PATH=$rbnPath

value() { # attribute-name -> REPLY
  local count_var="${1}n"
  if [ -z "${!count_var+x}" ]; then
    REPLY=${!1}
    return
  fi
  local n=${!count_var} j part out=''
  for ((j = 0; j < n; j++)); do
    part="${1}p$j"
    if ((j % 2 == 0)); then
      out+=${!part}
    elif [ "${!part}" = @toolchain ]; then
      out+=$rbnToolchain
    else
      out+="$top/${!part}"
    fi
  done
  REPLY=$out
}

mkdir -p "$top"
# Dependencies: symlink trees of the outputs of the steps this one reads, and
# of the libraries its libraries were built against (rustc loads their
# metadata too). Each library step lists those in nix-support/rbn-libs, so
# the closure is found here rather than spelled out in every derivation.
# All trees go in one cp, later ones over earlier ones, as the order lists them.
declare -A laid=()
trees=()
lay() {
  [ -z "${laid[$1]:-}" ] || return 0
  laid[$1]=1
  trees+=("$1/.")
}
libs=()
for dep in $rbnDeps; do lay "$dep"; done
for dep in $rbnLibDeps; do
  libs+=("$dep")
  if [ -f "$dep/nix-support/rbn-libs" ]; then
    while IFS= read -r lib; do
      lay "$lib"
      libs+=("$lib")
    done < "$dep/nix-support/rbn-libs"
  fi
done
[ "${#trees[@]}" -eq 0 ] || cp -rs --no-preserve=mode -f "${trees[@]}" "$top/"
rm -rf "$top/nix-support"
# Sources: each file this step read, from its own store path. Directories
# first, all in one mkdir (a process per file is most of a small step's time).
dirs=()
for ((i = 0; i < rbnSrcN; i++)); do
  rel_var="rbnSrcRel$i"
  rel=${!rel_var}
  [[ $rel == */* ]] && dirs+=("$top/${rel%/*}")
done
for ((i = 0; i < rbnMkdirN; i++)); do
  dir_var="rbnMkdir$i"
  dirs+=("$top/${!dir_var}")
done
[ "${#dirs[@]}" -eq 0 ] || mkdir -p "${dirs[@]}"
for ((i = 0; i < rbnSrcN; i++)); do
  rel_var="rbnSrcRel$i" src_var="rbnSrc$i"
  ln -sf "${!src_var}" "$top/${!rel_var}"
done

# The directories in $out that the listed paths (<prefix>N, <prefix>0, ...) go in, onto outdirs.
parents() {
  local n_var="${1}N" i v
  for ((i = 0; i < ${!n_var}; i++)); do
    v="$1$i"
    [[ ${!v} == */* ]] && outdirs+=("$out/${!v%/*}")
  done
  return 0
}

if [ "$rbnKind" = link ]; then
  # What the build placed itself (a sysroot's libraries, an uplifted binary,
  # a stamp): each file copied from where the step that made it left it.
  outdirs=("$out")
  for ((i = 0; i < rbnLinkDirN; i++)); do
    dir_var="rbnLinkDir$i"
    outdirs+=("$out/${!dir_var}")
  done
  parents rbnLinkTo
  mkdir -p "${outdirs[@]}"
  for ((i = 0; i < rbnLinkToN; i++)); do
    from_var="rbnLinkFrom$i" to_var="rbnLinkTo$i"
    cp -L "$top/${!from_var}" "$out/${!to_var}"
  done
  exit 0
fi

# A program another step built (x.py's rustc shim as RUSTC, RUSTC_WRAPPER or
# the command itself) runs as a file of its own, not a symlink into the
# store: bootstrap's shim compares its own path with the one it was run by.
own() {
  if [[ $1 == "$top"/* ]] && [ -L "$1" ] && [ -x "$1" ]; then
    cp --remove-destination "$(readlink -f "$1")" "$1"
  fi
}

value rbnCmd
cmd=$REPLY
own "$cmd"
args=()
for ((i = 0; i < rbnAN; i++)); do
  value "rbnA$i"
  args+=("$REPLY")
done
envs=("PATH=$rbnPath" "TMPDIR=$TMPDIR" "HOME=$TMPDIR")
for ((i = 0; i < rbnEnvN; i++)); do
  name_var="rbnEk$i"
  value "rbnEv$i"
  own "$REPLY"
  envs+=("${!name_var}=$REPLY")
done
if [ "$rbnKind" = run ]; then
  envs+=("NUM_JOBS=${NIX_BUILD_CORES:-1}")
else
  # Embedded paths name the build root by a fixed name, not this build's directory.
  args+=("--remap-path-prefix=$top=/rbn")
fi

value rbnCwd
cd "$REPLY"
if [ "$rbnKind" = run ]; then
  env -i "${envs[@]}" "$cmd" "${args[@]}" > "$top/$rbnStdout"
else
  env -i "${envs[@]}" "$cmd" "${args[@]}"
fi

mkdir -p "$out"
if [ "${#libs[@]}" -gt 0 ]; then
  mkdir -p "$out/nix-support"
  printf '%s\n' "${libs[@]}" | sort -u > "$out/nix-support/rbn-libs"
fi
# rustc does not remap the paths it writes into dep-info (.d) files; name
# the build root as --remap-path-prefix does, so no output holds this
# build's directory.
depinfo=()
for ((i = 0; i < rbnOutN; i++)); do
  rel_var="rbnOut$i"
  [[ ${!rel_var} == *.d ]] && [ -f "$top/${!rel_var}" ] && depinfo+=("$top/${!rel_var}")
done
[ "${#depinfo[@]}" -eq 0 ] || sed -i "s|$top/|/rbn/|g" "${depinfo[@]}"
outdirs=("$out")
parents rbnOut
mkdir -p "${outdirs[@]}"
for ((i = 0; i < rbnOutN; i++)); do
  rel_var="rbnOut$i"
  # Written by this step, so moved rather than copied (rlibs are large).
  mv "$top/${!rel_var}" "$out/${!rel_var}"
done
