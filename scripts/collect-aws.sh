#!/usr/bin/env bash
# Collects one ISO week of one AWS account and region into snapshots/<week>/ of a Headroom report
# project, in the formats `headroom build` reads (see "Inputs" in the README). Needs bash, GNU
# coreutils, the AWS CLI (v1 or v2) and the headroom binary; credentials, profiles and endpoints
# come from the AWS CLI's own environment and configuration (AWS_PROFILE, AWS_ENDPOINT_URL, …).
#
# The week is written into a hidden folder beside it (snapshots/.<week>.partial-XXXXXX, which
# Headroom skips) and renamed into place at the end, so a week is never half-written.
set -euo pipefail
# Character ranges such as [a-z] in the checks below follow the locale (in tr_TR, i and I are other
# letters): the script matches and sorts bytes, whatever the caller's locale.
export LC_ALL=C

readonly PROGRAM=${0##*/}
if ((BASH_VERSINFO[0] < 4 || (BASH_VERSINFO[0] == 4 && BASH_VERSINFO[1] < 4))); then
    printf '%s: needs bash 4.4 or later, this is %s\n' "$PROGRAM" "$BASH_VERSION" >&2
    exit 2
fi

usage() {
    cat <<'EOF'
Usage: collect-aws.sh [options]

Fetches one ISO week of CloudWatch metrics, costs, quotas, Lambda inventory and logs (and, on
request, Security Hub, Trusted Advisor and Well-Architected findings) for one account and region
into <out>/<week>/ of a Headroom report project.

Options:
  --config FILE          the project's headroom.yml (default: headroom.yml)
  --week WEEK            an ISO week such as 2026-W47, or previous (default: previous), in the
                         project's time zone
  --region REGION        the AWS region (default: the AWS CLI's: AWS_REGION, AWS_DEFAULT_REGION
                         or the profile's)
  --out DIR              the snapshots folder (default: snapshots beside the configuration)
  --replace              replace an existing <out>/<week>/ (the old one is removed only after
                         the new one is in place)
  --logs-limit N         at most N log events per function (default: 10000; 0 skips logs)
  --with LIST            also collect, comma-separated: security-hub, trusted-advisor,
                         wellarchitected, xray (or all), and athena: the week's cost queried
                         from the export table of cost.athena in the configuration, instead
                         of Cost Explorer (not part of all)
  --athena-wait SECONDS  with athena: how long to wait for the query (default: 900)
  --xray-traces N        with xray: at most N trace summaries a day, and the 10 slowest and at
                         most 20 faulted traces of the week read whole (default: 1000)
  --quota-services LIST  Service Quotas service codes, comma-separated (default: lambda)
  --trusted-advisor-categories LIST
                         Trusted Advisor check categories whose results are fetched,
                         comma-separated (default: service_limits)
  --headroom PATH        the headroom binary (default: $HEADROOM, else headroom on PATH)
  -h, --help             print this help

Exit codes: 0 collected (denied or unsubscribed calls are warnings, listed on stderr and in
<week>/COLLECT.md); 1 a call or step failed, nothing was written; 2 a usage error, or the week
exists already (use --replace).
EOF
}

usage_error() {
    printf '%s: %s\n' "$PROGRAM" "$1" >&2
    printf 'Try %s --help\n' "$PROGRAM" >&2
    exit 2
}

die() {
    printf '%s: error: %s\n' "$PROGRAM" "$1" >&2
    exit "${2:-1}"
}

note() { printf '%s\n' "$*" >&2; }

# ---------------------------------------------------------------------------------------------
# Options

config=headroom.yml
week_arg=previous
region=
out=
replace=0
logs_limit=10000
xray_limit=1000
athena_wait=900
with_list=
quota_services=lambda
ta_categories=service_limits
headroom_bin=${HEADROOM:-headroom}

while (($# > 0)); do
    option=$1
    value=
    has_value=0
    if [[ $option == --*=* ]]; then
        value=${option#*=}
        option=${option%%=*}
        has_value=1
    fi
    case $option in
        -h | --help)
            usage
            exit 0
            ;;
        --replace)
            ((has_value == 0)) || usage_error "$option takes no value"
            replace=1
            shift
            continue
            ;;
        --config | --week | --region | --out | --logs-limit | --with | --quota-services | --xray-traces | \
            --trusted-advisor-categories | --headroom | --athena-wait)
            if ((has_value == 0)); then
                (($# >= 2)) || usage_error "$option needs a value"
                value=$2
                shift
            fi
            shift
            ;;
        *) usage_error "unknown option: $option" ;;
    esac
    [[ -n $value ]] || usage_error "$option needs a value"
    case $option in
        --config) config=$value ;;
        --week) week_arg=$value ;;
        --region) region=$value ;;
        --out) out=$value ;;
        --logs-limit) logs_limit=$value ;;
        --with) with_list=$value ;;
        --xray-traces) xray_limit=$value ;;
        --quota-services) quota_services=$value ;;
        --trusted-advisor-categories) ta_categories=$value ;;
        --headroom) headroom_bin=$value ;;
        --athena-wait) athena_wait=$value ;;
    esac
done

[[ $logs_limit =~ ^[0-9]{1,9}$ ]] || usage_error "--logs-limit needs a whole number, not '$logs_limit'"
logs_limit=$((10#$logs_limit))
[[ $xray_limit =~ ^[0-9]{1,9}$ ]] || usage_error "--xray-traces needs a whole number, not '$xray_limit'"
xray_limit=$((10#$xray_limit))
[[ $athena_wait =~ ^[0-9]{1,6}$ ]] || usage_error "--athena-wait needs a whole number of seconds, not '$athena_wait'"
athena_wait=$((10#$athena_wait))
[[ $week_arg == previous || $week_arg =~ ^[0-9]{4}-W[0-9]{2}$ ]] ||
    usage_error "--week needs an ISO week such as 2026-W47, or previous, not '$week_arg'"
[[ -z $region || $region =~ ^[a-z0-9-]{1,40}$ ]] || usage_error "--region: not a region name: '$region'"

with_security_hub=0
with_trusted_advisor=0
with_wellarchitected=0
with_xray=0
with_athena=0
if [[ -n $with_list ]]; then
    IFS=',' read -r -a items <<<"$with_list"
    for item in "${items[@]}"; do
        case $item in
            security-hub | securityhub) with_security_hub=1 ;;
            trusted-advisor | trustedadvisor) with_trusted_advisor=1 ;;
            wellarchitected | well-architected) with_wellarchitected=1 ;;
            xray | x-ray) with_xray=1 ;;
            athena) with_athena=1 ;;
            all) with_security_hub=1 with_trusted_advisor=1 with_wellarchitected=1 with_xray=1 ;;
            '') ;;
            *) usage_error "--with: unknown source '$item' (security-hub, trusted-advisor, wellarchitected, xray, athena)" ;;
        esac
    done
fi

IFS=',' read -r -a quota_codes <<<"$quota_services"
for code in "${quota_codes[@]}"; do
    [[ $code =~ ^[A-Za-z0-9-]{1,63}$ ]] || usage_error "--quota-services: not a service code: '$code'"
done
IFS=',' read -r -a ta_category_list <<<"$ta_categories"
for category in "${ta_category_list[@]}"; do
    [[ $category =~ ^[a-z_]{1,40}$ ]] || usage_error "--trusted-advisor-categories: not a category: '$category'"
done

[[ -f $config ]] || usage_error "no configuration at '$config' (give --config)"
if [[ -z $out ]]; then
    config_dir=$(dirname -- "$config")
    out=snapshots
    [[ $config_dir == . ]] || out=$config_dir/snapshots
fi

command -v aws >/dev/null 2>&1 || die "the AWS CLI (aws) is not on PATH"
command -v -- "$headroom_bin" >/dev/null 2>&1 ||
    die "the headroom binary '$headroom_bin' was not found (give --headroom or set HEADROOM)"

# The AWS CLI v2 must neither page nor prompt; v1 ignores these.
export AWS_PAGER=""
export AWS_CLI_AUTO_PROMPT=off

if [[ -z $region ]]; then
    region=${AWS_REGION:-${AWS_DEFAULT_REGION:-}}
    if [[ -z $region ]]; then
        region=$(aws configure get region 2>/dev/null || true)
    fi
    [[ -n $region ]] || usage_error "no AWS region: give --region or set AWS_REGION"
    [[ $region =~ ^[a-z0-9-]{1,40}$ ]] || usage_error "not a region name: '$region'"
fi

# ---------------------------------------------------------------------------------------------
# The week

bounds_status=0
bounds=$("$headroom_bin" week --config "$config" "$week_arg") || bounds_status=$?
if ((bounds_status != 0)); then
    ((bounds_status == 2)) && exit 2
    die "headroom week failed (exit $bounds_status)"
fi
read -r week week_start week_end extra <<<"$bounds" || true
[[ ${week:-} =~ ^[0-9]{4}-W[0-9]{2}$ && ${week_start:-} =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$ &&
    ${week_end:-} =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$ && -z ${extra:-} ]] ||
    die "headroom week printed '$bounds', expected '<ISO week> <start> <end>'"

start_seconds=$(date -u -d "$week_start" +%s)
end_seconds=$(date -u -d "$week_end" +%s)
((end_seconds > start_seconds)) || die "headroom week printed an empty week: $bounds"
# CloudWatch Logs' startTime and endTime are epoch milliseconds, both inclusive.
logs_start_ms=$((start_seconds * 1000))
logs_end_ms=$((end_seconds * 1000 - 1))
# Cost Explorer's days are dates: Monday to the next Monday (exclusive) of the ISO week, as
# Headroom puts a day in the ISO week of its date. Week 1 holds 4 January.
week_year=$((10#${week%%-W*}))
week_number=$((10#${week#*-W}))
jan4_weekday=$(date -u -d "$week_year-01-04" +%u)
cost_start=$(date -u -d "$week_year-01-04 +$((7 * (week_number - 1) - (jan4_weekday - 1))) days" +%F)
cost_end=$(date -u -d "$cost_start +7 days" +%F)

# The Athena request, before any call: a headroom.yml without cost.athena is a usage error.
athena_request=
if ((with_athena)); then
    athena_status=0
    athena_request=$("$headroom_bin" athena-query --config "$config" --week "$week") || athena_status=$?
    if ((athena_status != 0)); then
        ((athena_status == 2)) && exit 2
        die "headroom athena-query failed (exit $athena_status)"
    fi
fi

dest=$out/$week
if [[ -e $dest || -L $dest ]] && ((replace == 0)); then
    die "$dest exists already: give --replace to collect it again" 2
fi
[[ ! -e $dest || -d $dest ]] || die "$dest exists and is not a folder" 2

# ---------------------------------------------------------------------------------------------
# Work folders: the week is written into a hidden folder beside its final place, scratch files
# (list-metrics outputs, CLI error output, ID lists) go to a temporary folder elsewhere.

mkdir -p -- "$out"
work=
scratch=
moved=0
cleanup() {
    local status=$?
    if ((moved == 0)) && [[ -n $work && -d $work ]]; then rm -rf -- "$work"; fi
    if [[ -n $scratch && -d $scratch ]]; then rm -rf -- "$scratch"; fi
    if ((status != 0 && status != 2)); then
        note "$PROGRAM: nothing was written for ${week:-the week}"
    fi
    return "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
work=$(mktemp -d -- "$out/.$week.partial-XXXXXX")
scratch=$(mktemp -d -t headroom-collect.XXXXXX)
# mktemp makes the folder private; the week gets the permissions of any new folder.
chmod "$(printf '%o' $((0777 & ~8#$(umask))))" -- "$work"

# ---------------------------------------------------------------------------------------------
# Calling the AWS CLI

warnings=()
notes=()
collected=()

# The error line of the CLI's stderr in $1: the first "An error occurred …" or similar line, else
# the last non-empty one; control characters removed, at most 400 characters.
error_line() {
    local line found='' last=''
    while IFS= read -r line || [[ -n $line ]]; do
        line=${line//[$'\t\r']/ }
        [[ -n ${line//[[:space:]]/} ]] || continue
        last=$line
        if [[ -z $found && $line =~ (An\ error\ occurred|Could\ not|Unable\ to|[Ee]rror|Exception) ]]; then
            found=$line
        fi
    done <"$1"
    line=${found:-$last}
    line=${line//[[:cntrl:]]/}
    [[ -n $line ]] || line="no error message"
    printf '%s' "${line:0:400}"
}

# What the CLI prints for a call the credentials may not make, or a service the account has not
# subscribed to or enabled (Security Hub, Trusted Advisor without a Business plan, …).
denied_pattern='AccessDenied|AccessDeniedException|UnauthorizedOperation|UnauthorizedException'
denied_pattern+='|SubscriptionRequiredException|InvalidAccessException|OptInRequired|[Nn]ot subscribed'
denied_pattern+='|is not authorized to perform|not authorized to access'
readonly denied_pattern

# aws_call KIND WHAT OUTPUT AWS-ARGUMENTS…
# Runs `aws AWS-ARGUMENTS…` (with --output json unless they give --output) into OUTPUT, which is
# written only on success. A denied or unsubscribed call is a warning: printed, recorded for
# COLLECT.md, and aws_call returns 3. With KIND "may-be-missing" a ResourceNotFoundException (a
# log group or function that does not exist) returns 4. Any other failure stops the script: bad
# credentials, the network, throttling after the CLI's own retries, … (exit 1).
aws_call() {
    local kind=$1 what=$2 output=$3
    shift 3
    local err=$scratch/stderr partial=$output.partial status=0 format=(--output json) argument
    for argument in "$@"; do
        [[ $argument == --output ]] && format=()
    done
    aws "$@" "${format[@]}" >"$partial" 2>"$err" || status=$?
    if ((status == 0)); then
        mv -f -- "$partial" "$output"
        return 0
    fi
    rm -f -- "$partial"
    local text last_error
    last_error=$(error_line "$err")
    text=$(<"$err")
    if [[ $kind == may-be-missing && $text == *ResourceNotFoundException* ]]; then
        return 4
    fi
    if [[ $text =~ $denied_pattern ]]; then
        warnings+=("$what: $last_error")
        note "warning: $what: $last_error"
        return 3
    fi
    die "$what failed (aws exit $status): $last_error"
}

# The value of a top-level string key ($2) in the CLI's JSON output ($1), still JSON-escaped (so
# it can be written into a request file as it is); empty when absent. The CLI indents by 4.
top_level_string() {
    local line pattern="^    \"$2\": \"(([^\"\\\\]|\\\\.)*)\",?\$"
    while IFS= read -r line || [[ -n $line ]]; do
        if [[ $line =~ $pattern ]]; then
            printf '%s' "${BASH_REMATCH[1]}"
            return 0
        fi
    done <"$1"
}

# How many files of the week folder match a glob.
count_files() {
    local pattern=$1 n=0 file
    for file in "$work"/$pattern; do
        [[ -e $file ]] && n=$((n + 1))
    done
    printf '%d' "$n"
}

collect_started=$(date -u +%FT%TZ)
note "Collecting $week ($week_start to $week_end) from region $region into $dest"

# ---------------------------------------------------------------------------------------------
# The account (this also checks the credentials before anything else is asked)

account=unknown
if aws_call call "STS get-caller-identity" "$scratch/identity.txt" \
    sts get-caller-identity --region "$region" --query Account; then
    account_text=$(<"$scratch/identity.txt")
    account_text=${account_text//[^0-9]/}
    [[ -n $account_text ]] && account=$account_text
fi

# ---------------------------------------------------------------------------------------------
# Lambda: inventory, account settings and reserved concurrency per function

functions=()
declare -A log_groups=()
if aws_call call "Lambda list-functions" "$work/lambda-list-functions.json" \
    lambda list-functions --region "$region"; then
    # One function a line, tab-separated: its name and its log group ("None" for the default).
    if aws_call call "Lambda list-functions (names)" "$scratch/functions.txt" \
        lambda list-functions --region "$region" \
        --query 'Functions[].[FunctionName, LoggingConfig.LogGroup]' --output text; then
        while IFS=$'\t' read -r fn group rest || [[ -n $fn ]]; do
            fn=${fn%$'\r'}
            group=${group%$'\r'}
            [[ -n $fn && $fn != None ]] || continue
            if [[ $fn =~ ^[A-Za-z0-9_-]{1,64}$ ]]; then
                functions+=("$fn")
                log_groups[$fn]=${group:-None}
            else
                fn=${fn//[[:cntrl:]]/}
                warnings+=("Lambda: skipped the function '${fn:0:100}': its name is not [A-Za-z0-9_-]")
                note "warning: Lambda: skipped the function '${fn:0:100}': its name is not [A-Za-z0-9_-]"
            fi
        done <"$scratch/functions.txt"
    fi
fi
aws_call call "Lambda get-account-settings" "$work/lambda-account-settings.json" \
    lambda get-account-settings --region "$region" || true

concurrency_files=0
for fn in "${functions[@]}"; do
    stem=lambda-function-concurrency-$fn
    printf '{\n    "FunctionName": "%s"\n}\n' "$fn" >"$work/$stem.query.json"
    status=0
    aws_call may-be-missing "Lambda get-function-concurrency ($fn)" "$work/$stem.json" \
        lambda get-function-concurrency --cli-input-json "file://$work/$stem.query.json" \
        --region "$region" || status=$?
    if ((status == 0)); then
        concurrency_files=$((concurrency_files + 1))
    else
        rm -f -- "$work/$stem.query.json"
        if ((status == 4)); then
            notes+=("Lambda: $fn was deleted while collecting; no concurrency file")
        fi
    fi
done
collected+=("Lambda: list-functions (${#functions[@]} functions), get-account-settings,\
 get-function-concurrency for $concurrency_files functions")

# ---------------------------------------------------------------------------------------------
# CloudWatch: list-metrics per catalog namespace, then Headroom writes the get-metric-data
# requests for the week and each is run as it is.

namespaces_status=0
"$headroom_bin" queries --namespaces >"$scratch/namespaces.txt" || namespaces_status=$?
((namespaces_status == 0)) || die "headroom queries --namespaces failed (exit $namespaces_status)"
list_files=()
index=0
while IFS= read -r namespace || [[ -n $namespace ]]; do
    namespace=${namespace%$'\r'}
    [[ -n $namespace ]] || continue
    [[ $namespace =~ ^[A-Za-z0-9/._#:-]{1,255}$ ]] || die "headroom printed an odd namespace: '$namespace'"
    index=$((index + 1))
    list_file=$scratch/list-metrics-$index.json
    if aws_call call "CloudWatch list-metrics $namespace" "$list_file" \
        cloudwatch list-metrics --namespace "$namespace" --region "$region"; then
        list_files+=("$list_file")
    fi
done <"$scratch/namespaces.txt"

query_files=()
if ((${#list_files[@]} > 0)); then
    queries_status=0
    "$headroom_bin" queries --config "$config" --week "$week" --output "$work" "${list_files[@]}" \
        >"$scratch/queries.txt" || queries_status=$?
    ((queries_status == 0)) || die "headroom queries failed (exit $queries_status)"
    work_real=$(cd -- "$work" && pwd -P)
    while IFS= read -r query || [[ -n $query ]]; do
        query=${query%$'\r'}
        [[ -n $query ]] || continue
        [[ $query == *.query.json && -f $query ]] || die "headroom queries printed '$query', not a request file"
        query_dir=$(cd -- "$(dirname -- "$query")" && pwd -P)
        [[ $query_dir == "$work_real" ]] || die "headroom queries wrote '$query' outside the week folder"
        query_files+=("$query")
    done <"$scratch/queries.txt"
fi
metric_files=0
for query in "${query_files[@]}"; do
    name=$(basename -- "$query" .query.json)
    if aws_call call "CloudWatch get-metric-data ($name)" "$work/$name.json" \
        cloudwatch get-metric-data --cli-input-json "file://$query" --region "$region"; then
        metric_files=$((metric_files + 1))
    else
        rm -f -- "$query"
    fi
done
collected+=("CloudWatch: ${#list_files[@]} namespaces listed; $metric_files get-metric-data files (cloudwatch-*.json)")

# ---------------------------------------------------------------------------------------------
# Cost Explorer: the week's days, daily unblended cost by service; pages are separate files. Not
# with --with athena: the export table holds this account's cost too, and both would count it.

cost_pages=0
page=1
next_token=
while ((with_athena == 0)); do
    stem=cost-explorer
    ((page > 1)) && stem=cost-explorer-$page
    {
        printf '{\n'
        [[ -n $next_token ]] && printf '    "NextPageToken": "%s",\n' "$next_token"
        printf '    "TimePeriod": {"Start": "%s", "End": "%s"},\n' "$cost_start" "$cost_end"
        printf '    "Granularity": "DAILY",\n'
        printf '    "Metrics": ["UnblendedCost"],\n'
        printf '    "GroupBy": [{"Type": "DIMENSION", "Key": "SERVICE"}]\n'
        printf '}\n'
    } >"$work/$stem.query.json"
    if ! aws_call call "Cost Explorer get-cost-and-usage" "$work/$stem.json" \
        ce get-cost-and-usage --cli-input-json "file://$work/$stem.query.json" --region "$region"; then
        rm -f -- "$work/$stem.query.json"
        break
    fi
    cost_pages=$page
    next_token=$(top_level_string "$work/$stem.json" NextPageToken)
    [[ -n $next_token ]] || break
    ((page < 100)) || die "Cost Explorer returned more than 100 pages"
    page=$((page + 1))
done
if ((with_athena)); then
    collected+=("Cost Explorer: not asked; the week's cost comes from the export table (--with athena)")
else
    collected+=("Cost Explorer: $cost_start to $cost_end (exclusive), daily UnblendedCost by SERVICE,\
 $cost_pages pages (cost-explorer*.json)")
fi

# ---------------------------------------------------------------------------------------------
# Service Quotas

quota_files=0
for code in "${quota_codes[@]}"; do
    if aws_call call "Service Quotas list-service-quotas ($code)" "$work/service-quotas-$code.json" \
        service-quotas list-service-quotas --service-code "$code" --region "$region"; then
        quota_files=$((quota_files + 1))
    fi
done
collected+=("Service Quotas: $quota_files of ${#quota_codes[@]} services (${quota_codes[*]}) (service-quotas-*.json)")

# ---------------------------------------------------------------------------------------------
# Lambda logs: REPORT lines, "Task timed out" lines and JSON platform.report records of the week,
# and the error events the runtimes write (ERROR lines and records, exceptions, crashes).

log_files=0
if ((logs_limit > 0)); then
    readonly filter_pattern='?\"REPORT RequestId\" ?\"Task timed out\" ?\"platform.report\" ?ERROR ?Exception ?\"Runtime exited\"'
    for fn in "${functions[@]}"; do
        group=/aws/lambda/$fn
        custom=${log_groups[$fn]:-None}
        if [[ $custom != None && $custom != "$group" ]]; then
            notes+=("Lambda logs of $fn: it logs to ${custom//[[:cntrl:]]/}, not $group; not collected")
            continue
        fi
        stem=lambda-logs-$fn
        {
            printf '{\n'
            printf '    "logGroupName": "%s",\n' "$group"
            printf '    "startTime": %d,\n' "$logs_start_ms"
            printf '    "endTime": %d,\n' "$logs_end_ms"
            printf '    "filterPattern": "%s"\n' "$filter_pattern"
            printf '}\n'
        } >"$work/$stem.query.json"
        status=0
        aws_call may-be-missing "CloudWatch Logs filter-log-events ($group)" "$work/$stem.json" \
            logs filter-log-events --cli-input-json "file://$work/$stem.query.json" \
            --max-items "$logs_limit" --region "$region" || status=$?
        if ((status == 0)); then
            log_files=$((log_files + 1))
            if [[ -n $(top_level_string "$work/$stem.json" NextToken) ]]; then
                notes+=("Lambda logs of $fn: more than $logs_limit events; the first $logs_limit were kept\
 (--logs-limit)")
            fi
        else
            rm -f -- "$work/$stem.query.json"
            if ((status == 4)); then
                notes+=("Lambda logs of $fn: no log group $group")
                note "note: no log group $group"
            fi
        fi
    done
    collected+=("CloudWatch Logs: REPORT, timeout, platform.report and error events of $log_files functions,\
 at most $logs_limit each (lambda-logs-*.json)")
else
    collected+=("CloudWatch Logs: not collected (--logs-limit 0)")
fi

# ---------------------------------------------------------------------------------------------
# Optional sources

if ((with_security_hub)); then
    printf '{\n    "Filters": {\n        "RecordState": [{"Value": "ACTIVE", "Comparison": "EQUALS"}]\n    }\n}\n' \
        >"$work/security-hub-findings.query.json"
    if aws_call call "Security Hub get-findings" "$work/security-hub-findings.json" \
        securityhub get-findings --cli-input-json "file://$work/security-hub-findings.query.json" \
        --region "$region"; then
        collected+=("Security Hub: active findings (security-hub-findings.json)")
    else
        rm -f -- "$work/security-hub-findings.query.json"
        collected+=("Security Hub: not collected (see the warnings)")
    fi
fi

if ((with_trusted_advisor)); then
    # The AWS Support API lives in us-east-1 whatever the account's region.
    if aws_call call "Trusted Advisor describe-trusted-advisor-checks" "$work/trusted-advisor-checks.json" \
        support describe-trusted-advisor-checks --language en --region us-east-1; then
        # Check ids of the wanted categories: "id" comes before "category" in each check object.
        check_ids=()
        check_id=
        id_pattern='^            "id": "([A-Za-z0-9_-]{1,64})",?$'
        category_pattern='^            "category": "([a-z_]+)",?$'
        while IFS= read -r line || [[ -n $line ]]; do
            if [[ $line == '        {' ]]; then
                check_id=
            elif [[ $line =~ $id_pattern ]]; then
                check_id=${BASH_REMATCH[1]}
            elif [[ -n $check_id && $line =~ $category_pattern ]]; then
                for category in "${ta_category_list[@]}"; do
                    if [[ ${BASH_REMATCH[1]} == "$category" ]]; then
                        check_ids+=("$check_id")
                        break
                    fi
                done
                check_id=
            fi
        done <"$work/trusted-advisor-checks.json"
        results=0
        for check_id in "${check_ids[@]}"; do
            if aws_call call "Trusted Advisor describe-trusted-advisor-check-result ($check_id)" \
                "$work/trusted-advisor-result-$check_id.json" \
                support describe-trusted-advisor-check-result --check-id "$check_id" --language en \
                --region us-east-1; then
                results=$((results + 1))
            fi
        done
        collected+=("Trusted Advisor: the checks, and the results of $results ${ta_categories//,/, } checks\
 (trusted-advisor-*.json)")
    else
        collected+=("Trusted Advisor: not collected (see the warnings)")
    fi
fi

if ((with_xray)); then
    # The week's service graph; its trace summaries a UTC day at a time (X-Ray answers a bounded
    # time range), at most --xray-traces a day, sampling off; then the 10 slowest traces and at
    # most 20 with a fault, read whole, 5 to a batch-get-traces call (the API's limit).
    aws_call call "X-Ray get-service-graph" "$work/xray-service-graph.json" \
        xray get-service-graph --start-time "$start_seconds" --end-time "$end_seconds" --region "$region" || true
    summaries=0
    for ((day = start_seconds; day < end_seconds; day += 86400)); do
        day_end=$((day + 86400 < end_seconds ? day + 86400 : end_seconds))
        if aws_call call "X-Ray get-trace-summaries" "$work/xray-trace-summaries-$summaries.json" \
            xray get-trace-summaries --start-time "$day" --end-time "$day_end" --no-sampling \
            --max-items "$xray_limit" --region "$region"; then
            if [[ -n $(top_level_string "$work/xray-trace-summaries-$summaries.json" NextToken) ]]; then
                notes+=("X-Ray: more than $xray_limit trace summaries on $(date -u -d "@$day" +%F); the first\
 $xray_limit were kept (--xray-traces)")
            fi
            summaries=$((summaries + 1))
        fi
    done
    # One line per summary: its duration, whether it had a fault, its id (the CLI prints each
    # summary's members 12 spaces in).
    summary_lines() {
        local id= duration= fault=false line
        while IFS= read -r line || [[ -n $line ]]; do
            if [[ $line == '        {' ]]; then
                id= duration= fault=false
            elif [[ $line =~ ^\ {12}\"Id\":\ \"(1-[0-9a-f]{8}-[0-9a-f]{24})\",?$ ]]; then
                id=${BASH_REMATCH[1]}
            elif [[ $line =~ ^\ {12}\"Duration\":\ ([0-9.]+),?$ ]]; then
                duration=${BASH_REMATCH[1]}
            elif [[ $line =~ ^\ {12}\"HasFault\":\ true,?$ ]]; then
                fault=true
            elif [[ ($line == '        }' || $line == '        },') && -n $id ]]; then
                printf '%s %s %s\n' "${duration:-0}" "$fault" "$id"
            fi
        done <"$1"
    }
    trace_ids=()
    if ((summaries > 0)); then
        all=$(for ((n = 0; n < summaries; n++)); do summary_lines "$work/xray-trace-summaries-$n.json"; done)
        mapfile -t trace_ids < <({
            sort -k1,1gr -k3,3 <<<"$all" | head -10 | cut -d' ' -f3
            awk '$2 == "true" { print $3 }' <<<"$all" | sort | head -20
        } | awk 'NF && !seen[$0]++')
        for ((i = 0; i < ${#trace_ids[@]}; i += 5)); do
            aws_call call "X-Ray batch-get-traces" "$work/xray-traces-$((i / 5)).json" \
                xray batch-get-traces --trace-ids "${trace_ids[@]:i:5}" --region "$region" || true
        done
    fi
    collected+=("X-Ray: the service graph, $summaries days of trace summaries (at most $xray_limit a day) and\
 ${#trace_ids[@]} slowest or faulted traces read whole (xray-*.json)")
fi

if ((with_wellarchitected)); then
    workload_ids=()
    page=1
    next_token=
    listed=1
    while :; do
        {
            printf '{\n    "MaxResults": 50'
            [[ -n $next_token ]] && printf ',\n    "NextToken": "%s"' "$next_token"
            printf '\n}\n'
        } >"$scratch/list-workloads.query.json"
        if ! aws_call call "Well-Architected list-workloads" "$scratch/list-workloads-$page.json" \
            wellarchitected list-workloads --cli-input-json "file://$scratch/list-workloads.query.json" \
            --region "$region"; then
            listed=0
            break
        fi
        workload_pattern='^            "WorkloadId": "([0-9a-f]{32})",?$'
        while IFS= read -r line || [[ -n $line ]]; do
            if [[ $line =~ $workload_pattern ]]; then workload_ids+=("${BASH_REMATCH[1]}"); fi
        done <"$scratch/list-workloads-$page.json"
        next_token=$(top_level_string "$scratch/list-workloads-$page.json" NextToken)
        [[ -n $next_token ]] || break
        ((page < 100)) || die "Well-Architected list-workloads returned more than 100 pages"
        page=$((page + 1))
    done
    reviews=0
    for workload in "${workload_ids[@]}"; do
        if aws_call call "Well-Architected get-lens-review ($workload)" \
            "$work/wellarchitected-$workload-lens-review.json" \
            wellarchitected get-lens-review --workload-id "$workload" --lens-alias wellarchitected \
            --region "$region"; then
            reviews=$((reviews + 1))
        fi
        page=1
        next_token=
        while :; do
            stem=wellarchitected-$workload-answers
            ((page > 1)) && stem=$stem-$page
            {
                printf '{\n'
                printf '    "WorkloadId": "%s",\n' "$workload"
                printf '    "LensAlias": "wellarchitected",\n'
                printf '    "MaxResults": 50'
                [[ -n $next_token ]] && printf ',\n    "NextToken": "%s"' "$next_token"
                printf '\n}\n'
            } >"$work/$stem.query.json"
            if ! aws_call call "Well-Architected list-answers ($workload)" "$work/$stem.json" \
                wellarchitected list-answers --cli-input-json "file://$work/$stem.query.json" \
                --region "$region"; then
                rm -f -- "$work/$stem.query.json"
                break
            fi
            next_token=$(top_level_string "$work/$stem.json" NextToken)
            [[ -n $next_token ]] || break
            ((page < 100)) || die "Well-Architected list-answers returned more than 100 pages"
            page=$((page + 1))
        done
    done
    if ((listed)); then
        collected+=("Well-Architected: ${#workload_ids[@]} workloads, $reviews lens reviews and their answers\
 (wellarchitected lens; wellarchitected-*.json)")
    else
        collected+=("Well-Architected: not collected (see the warnings)")
    fi
fi


if ((with_athena)); then
    # The week's cost from the organisation's export table (cost.athena): the query Headroom
    # writes, run where the table lies; its state polled every 2 seconds for at most
    # --athena-wait; then every page of the result, which the CLI merges into one file. A query
    # that fails, is cancelled or takes too long is a warning: the week's cost stays uncovered.
    printf '%s\n' "$athena_request" >"$work/cost-athena.query.json"
    athena_done=0
    if aws_call call "Athena start-query-execution" "$scratch/athena-id.txt" \
        athena start-query-execution --cli-input-json "file://$work/cost-athena.query.json" \
        --region "$region" --query QueryExecutionId --output text; then
        execution=$(<"$scratch/athena-id.txt")
        execution=${execution//[[:space:]]/}
        [[ $execution =~ ^[A-Za-z0-9-]{1,128}$ ]] || die "Athena returned an odd query execution id: '${execution:0:100}'"
        waited=0
        state=
        while :; do
            aws_call call "Athena get-query-execution" "$scratch/athena-state.txt" \
                athena get-query-execution --query-execution-id "$execution" --region "$region" \
                --query 'QueryExecution.Status.[State, StateChangeReason]' --output text || break
            IFS=$'\t' read -r state reason <"$scratch/athena-state.txt" || true
            case $state in
                SUCCEEDED) break ;;
                FAILED | CANCELLED)
                    reason=${reason//[[:cntrl:]]/}
                    warnings+=("Athena: the query $state: ${reason:0:300}")
                    note "warning: Athena: the query $state: ${reason:0:300}"
                    break
                    ;;
                QUEUED | RUNNING) ;;
                *) die "Athena get-query-execution printed an unknown state: '${state:0:100}'" ;;
            esac
            if ((waited >= athena_wait)); then
                warnings+=("Athena: the query was still $state after $athena_wait seconds (--athena-wait); stopped")
                note "warning: Athena: the query was still $state after $athena_wait seconds; stopping it"
                aws_call call "Athena stop-query-execution" "$scratch/athena-stop.json" \
                    athena stop-query-execution --query-execution-id "$execution" --region "$region" || true
                state=
                break
            fi
            sleep 2
            waited=$((waited + 2))
        done
        if [[ $state == SUCCEEDED ]] && aws_call call "Athena get-query-results" "$work/cost-athena.json" \
            athena get-query-results --query-execution-id "$execution" --region "$region"; then
            athena_done=1
        fi
    fi
    if ((athena_done)); then
        collected+=("Athena: the week's cost by day, account, region, service and resource from the export\
 table of cost.athena, every page (cost-athena.json)")
    else
        rm -f -- "$work/cost-athena.query.json"
        collected+=("Athena: not collected (see the warnings)")
    fi
fi

# ---------------------------------------------------------------------------------------------
# COLLECT.md (Headroom ignores .md files), then the week goes into place.

collect_finished=$(date -u +%FT%TZ)
file_count=$(count_files '*.json')
{
    printf '# Collected with collect-aws.sh\n\n'
    printf -- '- Week: %s, %s to %s (exclusive)\n' "$week" "$week_start" "$week_end"
    printf -- '- Account: %s\n' "$account"
    printf -- '- Region: %s\n' "$region"
    printf -- '- Collected: %s to %s\n' "$collect_started" "$collect_finished"
    printf -- '- Files: %s JSON files (outputs and their .query.json requests)\n' "$file_count"
    printf '\n## What was collected\n\n'
    for line in "${collected[@]}"; do printf -- '- %s\n' "$line"; done
    printf '\n## Warnings\n\n'
    if ((${#warnings[@]} == 0)); then
        printf 'None.\n'
    else
        for line in "${warnings[@]}"; do printf -- '- warning: %s\n' "$line"; done
    fi
    if ((${#notes[@]} > 0)); then
        printf '\n## Notes\n\n'
        for line in "${notes[@]}"; do printf -- '- %s\n' "$line"; done
    fi
} >"$work/COLLECT.md"

if [[ -e $dest || -L $dest ]]; then
    ((replace == 1)) || die "$dest appeared while collecting: give --replace to collect it again" 2
    # rename(2) replaces an empty folder: the old week takes the place of a fresh one.
    old=$(mktemp -d -- "$out/.$week.old-XXXXXX")
    mv -T -- "$dest" "$old" || die "could not move the old $dest aside"
    if ! mv -T -- "$work" "$dest"; then
        mv -T -- "$old" "$dest" || true
        die "could not move the new week into $dest; the old one is back in place"
    fi
    moved=1
    rm -rf -- "$old"
else
    mv -T -- "$work" "$dest" || die "could not move the new week into $dest"
    moved=1
fi

note "Collected $week into $dest: $file_count files, ${#warnings[@]} warnings"
for line in "${warnings[@]}"; do note "  warning: $line"; done
