#!/usr/bin/env bash
# Keeps a Headroom report project's history between CI runs, where only the new week's snapshots
# are on disk: the history store (.headroom/, kept in the CI system's cache) and each week's
# snapshots as a compressed archive. With HEADROOM_ARCHIVE set to an S3 location
# (s3://bucket/prefix), both also go there, and either one rebuilds the store when the cache is
# gone. Run it in the report project's folder; needs bash, tar, gzip, the headroom binary and, with
# HEADROOM_ARCHIVE, the AWS CLI.
#
#   scripts/history.sh restore        before the build: when the cache brought no store, the
#                                     archive's copy of it, else every archived week's snapshots
#   scripts/history.sh archive WEEK   after collecting: snapshots/<WEEK>/ as snapshots-<WEEK>.tar.gz
#                                     (WEEK as for headroom week: 2026-W47 or previous)
#   scripts/history.sh keep           after the build: a copy of the store in the archive
set -euo pipefail
export LC_ALL=C

readonly PROGRAM=${0##*/}
HEADROOM=${HEADROOM:-headroom}
archive=${HEADROOM_ARCHIVE:-}
archive=${archive%/}

die() {
    printf '%s: %s\n' "$PROGRAM" "$*" >&2
    exit 1
}
usage_error() {
    printf '%s: %s\nUsage: %s restore | archive WEEK | keep\n' "$PROGRAM" "$*" "$PROGRAM" >&2
    exit 2
}

[[ -f headroom.yml ]] || usage_error "no headroom.yml here: run it in the report project's folder"
if [[ -n $archive && ! $archive =~ ^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/[^[:space:]]*)?$ ]]; then
    usage_error "HEADROOM_ARCHIVE must be an S3 location such as s3://my-bucket/headroom, not '$archive'"
fi

case ${1:-} in
restore)
    [[ $# -eq 1 ]] || usage_error "restore takes no arguments"
    if [[ -f .headroom/store.sqlite ]]; then
        echo "history: the store came with the CI cache"
        exit 0
    fi
    if [[ -z $archive ]]; then
        echo "history: no store in the CI cache and no HEADROOM_ARCHIVE: the site has the weeks on disk only" >&2
        exit 0
    fi
    mkdir -p .headroom
    if aws s3 ls "$archive/store.sqlite" >/dev/null 2>&1; then
        aws s3 cp --only-show-errors "$archive/store.sqlite" .headroom/store.sqlite.partial ||
            die "cannot copy $archive/store.sqlite"
        mv .headroom/store.sqlite.partial .headroom/store.sqlite
        echo "history: the store restored from $archive/store.sqlite"
        exit 0
    fi
    # No copy of the store: every archived week's snapshots, which the build stores again.
    work=$(mktemp -d)
    trap 'rm -rf -- "$work"' EXIT
    aws s3 cp --only-show-errors --recursive "$archive/snapshots/" "$work/" \
        --exclude '*' --include 'snapshots-*.tar.gz' || die "cannot copy the snapshots from $archive/snapshots/"
    mkdir -p snapshots
    count=0
    for file in "$work"/snapshots-*.tar.gz; do
        [[ -e $file ]] || continue
        week=${file##*/snapshots-}
        week=${week%.tar.gz}
        [[ $week =~ ^[0-9]{4}-W[0-9]{2}$ ]] || die "not an archive of a week: ${file##*/}"
        [[ -e snapshots/$week ]] && continue # collected again in this run
        tar -xzf "$file" -C snapshots --no-same-owner -- "$week" || die "cannot unpack ${file##*/}"
        count=$((count + 1))
    done
    echo "history: no store in $archive; unpacked the snapshots of $count archived weeks"
    ;;
archive)
    [[ $# -eq 2 ]] || usage_error "archive takes the week: archive 2026-W47, or archive previous"
    week=$("$HEADROOM" week "$2" | cut -d' ' -f1) || die "headroom week $2 failed"
    [[ -d snapshots/$week ]] || die "no snapshots/$week to archive"
    tar -czf "snapshots-$week.tar.gz.partial" -C snapshots -- "$week"
    mv "snapshots-$week.tar.gz.partial" "snapshots-$week.tar.gz"
    if [[ -n $archive ]]; then
        aws s3 cp --only-show-errors "snapshots-$week.tar.gz" "$archive/snapshots/snapshots-$week.tar.gz" ||
            die "cannot copy snapshots-$week.tar.gz to $archive/snapshots/"
    fi
    echo "history: snapshots-$week.tar.gz$([[ -n $archive ]] && echo ", also in $archive/snapshots/")"
    ;;
keep)
    [[ $# -eq 1 ]] || usage_error "keep takes no arguments"
    [[ -f .headroom/store.sqlite ]] || die "no .headroom/store.sqlite: run headroom build first"
    if [[ -z $archive ]]; then
        echo "history: the store stays in the CI cache only (set HEADROOM_ARCHIVE to keep a copy in S3)"
        exit 0
    fi
    aws s3 cp --only-show-errors .headroom/store.sqlite "$archive/store.sqlite" ||
        die "cannot copy the store to $archive/store.sqlite"
    echo "history: the store copied to $archive/store.sqlite"
    ;;
*) usage_error "unknown command '${1:-}'" ;;
esac
