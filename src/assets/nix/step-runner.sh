# rust-bootstrap-nix step runner: the builder of every generated derivation.
# Lays the step's inputs out under a build root, runs the recorded command
# with its recorded arguments and environment (nothing else), and keeps
# what it wrote at the same relative paths in $out. The result derivation
# (kind result) gathers the final artifacts.
#
# The step arrives as structured attributes in the step format below: each
# argument its own array element, so no quoting layer can touch it.
set -eu

# >>> step format: generated from src/nix/step-format.ts by `npm run step-format`; edit it there.
# The attributes of a step (Nix writes them to $NIX_ATTRS_SH_FILE: a text as a
# string, a list as an array, a map as an associative array, byte for byte):
#   kind          text         compile (rustc), run (a build script), link (files the build placed
#                              itself) or result
#   toolPath      text         PATH of the runner and of the command (set by lib.nix)
#   toolchain     text         the toolchain in the store, the root @toolchain (set by lib.nix)
#   deps          list         the outputs of the steps whose outputs this one reads, laid out under the
#                              build root
#   libDeps       list         those that are libraries: the libraries they list in nix-support/rbn-libs
#                              are laid out too
#   rootMark      text         what opens a root reference in rooted text: @@{ (and so on) when the
#                              step's own strings hold @{
#   command       rooted text  the program the step runs, as recorded
#   cwd           rooted text  the directory it runs in
#   arguments     rooted list  its arguments, as recorded
#   environment   rooted list  its environment, NAME=value, as recorded (the runner adds PATH, TMPDIR,
#                              HOME; NUM_JOBS for a run)
#   sources       map          each source file the step reads: its path under the build root -> its own
#                              store path
#   hostFiles     map          each file of the host's system directories it reads where it lies (bound
#                              into the sandbox): its path -> the sha256 of its content, checked before
#                              the command runs
#   makeDirs      list         directories under the build root made before the command runs
#   outputFiles   list         what the command writes: kept in $out at the same paths
#   stdoutFile    text         run: where its standard output goes (cargo's `output` file)
#   files         map          link: each file placed, its path in $out -> the path under the build root
#                              it is a copy of
#   emptyDirs     list         link: directories the build made, kept in $out even when empty
#   steps         list         result: every step, so that building the result builds the plan (set by
#                              lib.nix)
#   artifacts     map          result: each artifact, its path in $out -> the file it is copied from
#   artifactDirs  list         result: empty directories of the artifacts, made in $out
# An attribute left out is empty. Rooted text names a directory of the recorded
# build as <rootMark><root>}: @toolchain is the toolchain, any other root the
# directory of that name under the build root; nothing else in it is special.
kind='' toolPath='' toolchain='' rootMark='@{' command='' cwd='' stdoutFile=''
deps=() libDeps=() arguments=() environment=() makeDirs=() outputFiles=() emptyDirs=() steps=() artifactDirs=()
declare -A sources=() hostFiles=() files=() artifacts=()
attrs=${NIX_ATTRS_SH_FILE:-}
[ -f "$attrs" ] || attrs=$NIX_BUILD_TOP/.attrs.sh
# shellcheck source=/dev/null
source "$attrs"

# Every rooted attribute with its roots put back (resolve, below; needs $top and $toolchain).
resolve_roots() {
  local i
  resolve "$command"; command=$REPLY
  resolve "$cwd"; cwd=$REPLY
  for i in "${!arguments[@]}"; do resolve "${arguments[i]}"; arguments[i]=$REPLY; done
  for i in "${!environment[@]}"; do resolve "${environment[i]}"; environment[i]=$REPLY; done
}
# <<< step format

# Rooted text ($1) with each root reference (<rootMark><root>}) replaced by
# the directory it names, in REPLY. Every pattern is anchored at the mark,
# none searched for from the end of the string, so a long string costs
# linear time (bash's ${x%%...} and ${x#*...} can be quadratic).
resolve() {
  local rest=$1 before name out=''
  while [[ $rest == *"$rootMark"* ]]; do
    before=${rest/"$rootMark"*/}
    rest=${rest:${#before}+${#rootMark}}
    name=${rest/\}*/}
    rest=${rest:${#name}+1}
    if [ "$name" = @toolchain ]; then out+=$before$toolchain; else out+=$before$top/$name; fi
  done
  REPLY=$out$rest
}

top=$NIX_BUILD_TOP/r
export PATH=$toolPath
out=${outputs[out]}

if [ "$kind" = result ]; then
  mkdir -p "$out/nix-support"
  [ "${#steps[@]}" -eq 0 ] || printf '%s\n' "${steps[@]}" > "$out/nix-support/steps"
  for dir in "${artifactDirs[@]}"; do mkdir -p "$out/$dir"; done
  for path in "${!artifacts[@]}"; do
    mkdir -p "$(dirname "$out/$path")"
    cp "${artifacts[$path]}" "$out/$path"
  done
  exit 0
fi

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
for dep in "${deps[@]}"; do lay "$dep"; done
for dep in "${libDeps[@]}"; do
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
for rel in "${!sources[@]}"; do
  [[ $rel == */* ]] && dirs+=("$top/${rel%/*}")
done
for dir in "${makeDirs[@]}"; do dirs+=("$top/$dir"); done
[ "${#dirs[@]}" -eq 0 ] || mkdir -p "${dirs[@]}"
for rel in "${!sources[@]}"; do
  ln -sf "${sources[$rel]}" "$top/$rel"
done
# Host files (plan/host-files.ts) are read where they lie: each must be the
# file the build read when it was recorded. One sha256sum for all of them.
if [ "${#hostFiles[@]}" -gt 0 ]; then
  hostPaths=("${!hostFiles[@]}")
  for path in "${hostPaths[@]}"; do
    if [ ! -f "$path" ]; then
      echo "rust-bootstrap-nix: host file $path is not in the build sandbox: its directory must be bound into it (extra-sandbox-paths, as toolchain: system does)" >&2
      exit 1
    fi
  done
  mapfile -t sums < <(sha256sum -- "${hostPaths[@]}")
  for i in "${!hostPaths[@]}"; do
    path=${hostPaths[i]}
    sum=${sums[i]:-}
    sum=${sum#\\} # sha256sum marks a name it escaped
    if [ "${sum%% *}" != "${hostFiles[$path]}" ]; then
      echo "rust-bootstrap-nix: host file $path is not the file the build read when it was recorded (a system package upgraded since?): emit again" >&2
      exit 1
    fi
  done
fi

# The directories in $out that the given paths go in, onto outdirs.
parents() {
  local path
  for path in "$@"; do
    [[ $path == */* ]] && outdirs+=("$out/${path%/*}")
  done
  return 0
}

if [ "$kind" = link ]; then
  # What the build placed itself (a sysroot's libraries, an uplifted binary,
  # a stamp): each file copied from where the step that made it left it.
  outdirs=("$out")
  for dir in "${emptyDirs[@]}"; do outdirs+=("$out/$dir"); done
  parents "${!files[@]}"
  mkdir -p "${outdirs[@]}"
  for to in "${!files[@]}"; do
    cp -L "$top/${files[$to]}" "$out/$to"
  done
  exit 0
fi

resolve_roots

# A program another step built (x.py's rustc shim as RUSTC, RUSTC_WRAPPER or
# the command itself) runs as a file of its own, not a symlink into the
# store: bootstrap's shim compares its own path with the one it was run by.
own() {
  if [[ $1 == "$top"/* ]] && [ -L "$1" ] && [ -x "$1" ]; then
    cp --remove-destination "$(readlink -f "$1")" "$1"
  fi
}

own "$command"
envs=("PATH=$toolPath" "TMPDIR=$TMPDIR" "HOME=$TMPDIR")
for var in "${environment[@]}"; do
  own "${var#*=}"
  envs+=("$var")
done
if [ "$kind" = run ]; then
  envs+=("NUM_JOBS=${NIX_BUILD_CORES:-1}")
else
  # Embedded paths name the build root by a fixed name, not this build's directory.
  arguments+=("--remap-path-prefix=$top=/rbn")
fi

cd "$cwd"
if [ "$kind" = run ]; then
  env -i "${envs[@]}" "$command" "${arguments[@]}" > "$top/$stdoutFile"
else
  env -i "${envs[@]}" "$command" "${arguments[@]}"
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
for rel in "${outputFiles[@]}"; do
  [[ $rel == *.d ]] && [ -f "$top/$rel" ] && depinfo+=("$top/$rel")
done
[ "${#depinfo[@]}" -eq 0 ] || sed -i "s|$top/|/rbn/|g" "${depinfo[@]}"
outdirs=("$out")
parents "${outputFiles[@]}"
mkdir -p "${outdirs[@]}"
for rel in "${outputFiles[@]}"; do
  # Written by this step, so moved rather than copied (rlibs are large).
  mv "$top/$rel" "$out/$rel"
done
