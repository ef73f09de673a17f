#!/bin/sh
# One writer of a case's status (issue 13): Store::setStatus checks the lifecycle and writes the
# structured "status" event. Any other SQL that sets cases.status, in the programs or in a schema
# step, would skip both. Fails, naming the lines, when such SQL appears anywhere but setStatus.
# Usage: check_status_writer.sh SOURCE_DIR
set -eu
root=${1:?usage: check_status_writer.sh SOURCE_DIR}
cd "$root"
# "UPDATE cases SET ... status ..." on one line (the statements are written on one line), or an
# UPDATE of cases from a trigger; the survey table's own status column does not count.
hits=$(grep -rnE --include='*.cpp' --include='*.h' \
        "UPDATE +cases +SET[^\"]*[ ,]status *=|CREATE +TRIGGER" \
        center daemon ctl documents cases routing parsers templates fax 2>/dev/null || true)
writer=$(printf '%s\n' "$hits" | grep -c '^center/src/store_cases.cpp:' || true)
others=$(printf '%s\n' "$hits" | grep -v '^center/src/store_cases.cpp:' | grep -v '^$' || true)
if [ -n "$others" ]; then
    echo "cases.status is written outside Store::setStatus (center/src/store_cases.cpp):" >&2
    printf '%s\n' "$others" >&2
    echo "Change the status through Store::setStatus (or Store::changeStatus), which checks the" >&2
    echo "lifecycle and records the move as a structured event." >&2
    exit 1
fi
if [ "$writer" -ne 1 ]; then
    echo "expected exactly one status write in center/src/store_cases.cpp (Store::setStatus), found $writer:" >&2
    printf '%s\n' "$hits" >&2
    exit 1
fi
# And that one write is inside setStatus.
line=$(printf '%s\n' "$hits" | cut -d: -f2)
start=$(grep -n '^void Store::setStatus(' center/src/store_cases.cpp | cut -d: -f1)
end=$(awk -v s="$start" 'NR > s && /^}/ { print NR; exit }' center/src/store_cases.cpp)
if [ -z "$start" ] || [ "$line" -lt "$start" ] || [ "$line" -gt "$end" ]; then
    echo "the status write at center/src/store_cases.cpp:$line is not inside Store::setStatus" >&2
    exit 1
fi
echo "one status writer: center/src/store_cases.cpp:$line (Store::setStatus)"
