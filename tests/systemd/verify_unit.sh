#!/usr/bin/env bash
# systemd-analyze verify on the shipped unit, with ExecStart pointed at the
# freshly built binary (the installed path does not exist in a build tree).
set -euo pipefail
unit_source=$1
binary=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sed "s|/usr/bin/complaintd|$binary|" "$unit_source" > "$work/complaintd.service"
systemd-analyze verify "$work/complaintd.service"
# Hardening: an exposure of 2.5 or less (the threshold is in tenths).
systemd-analyze security --offline=true --threshold=25 "$work/complaintd.service" | tail -1
grep -q '^RestartPreventExitStatus=78' "$unit_source"
grep -q '^StateDirectory=complaintd' "$unit_source"
grep -q '^User=complaintd' "$unit_source"
grep -q '^Type=notify' "$unit_source"
echo "unit verified"
