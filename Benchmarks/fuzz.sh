#!/usr/bin/env bash
# Fuzzes RecoupCore's parsers and calculators that take outside input with libFuzzer (docs/fuzzing.md).
#
#   bash Benchmarks/fuzz.sh [seconds-per-target] [target ...]     # default: 60 seconds, every target
#
# Builds Benchmarks/Fuzz (RecoupCore only) in release mode with `-sanitize=fuzzer,address` into its own scratch
# directory, then runs each target for the given time on one core, in libFuzzer's fork mode so that a crash,
# timeout or out-of-memory is saved and fuzzing goes on until the time is up. Corpora, findings and logs go to
# Benchmarks/Fuzz/.fuzz/ (ignored by git). Reproduce a finding with
#   FUZZ_TARGET=<target> SWIFT_BACKTRACE=enable=no Benchmarks/Fuzz/.build/release/RecoupFuzz <file>
# and shrink it with `-minimize_crash=1 -runs=100000`.
#
# Environment: FUZZ_SCRATCH (build directory, default Benchmarks/Fuzz/.build), FUZZ_WORK (corpora and findings,
# default Benchmarks/Fuzz/.fuzz), FUZZ_TIMEOUT (seconds one input may take, default 10), FUZZ_RSS_MB (memory
# limit, default 2048), FUZZ_FLAGS (more libFuzzer flags). Swift's own crash backtracer is turned off: it is slow
# and trips the address sanitizer; libFuzzer prints the stack.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
package="$here/Fuzz"
scratch="${FUZZ_SCRATCH:-$package/.build}"
work="${FUZZ_WORK:-$package/.fuzz}"
seconds="${1:-60}"
shift || true
all_targets=(json compliance terms-json csv money plan dates text)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")

case "$seconds" in
    '' | *[!0-9]*) echo "usage: fuzz.sh [seconds-per-target] [target ...] (targets: ${all_targets[*]})" >&2; exit 2 ;;
esac
for target in "${targets[@]}"; do
    case " ${all_targets[*]} " in
        *" $target "*) ;;
        *) echo "unknown target $target; use one of: ${all_targets[*]}" >&2; exit 2 ;;
    esac
done

echo "building the fuzz targets into $scratch" >&2
# Only the product: the root package's build-tool plugins (the OpenAPI generator) fail to link with the sanitizers.
swift build -c release --package-path "$package" --scratch-path "$scratch" --product RecoupFuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library >&2
binary="$(swift build -c release --package-path "$package" --scratch-path "$scratch" --show-bin-path)/RecoupFuzz"

mkdir -p "$work/logs"
printf '%-11s %8s %12s %9s  %s\n' target seconds executions findings "findings directory"
for target in "${targets[@]}"; do
    corpus="$work/corpus/$target"
    findings="$work/findings/$target"
    log="$work/logs/$target.log"
    mkdir -p "$corpus" "$findings"
    started=$(date +%s)
    # The seeds are read, never written; new inputs go to the target's own corpus, kept between runs.
    # shellcheck disable=SC2086
    FUZZ_TARGET="$target" SWIFT_BACKTRACE=enable=no "$binary" "$corpus" "$package/Seeds/$target" \
        -max_total_time="$seconds" -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb="${FUZZ_RSS_MB:-2048}" \
        -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
        -artifact_prefix="$findings/" ${FUZZ_FLAGS:-} >"$log" 2>&1 || true
    elapsed=$(($(date +%s) - started))
    # Fork mode's status lines start "#<executions>: cov: …".
    executions="$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#')"
    count="$(find "$findings" -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \) | wc -l)"
    printf '%-11s %8s %12s %9s  %s\n' "$target" "$elapsed" "${executions:-?}" "$count" "$findings"
done
