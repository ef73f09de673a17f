#!/bin/sh
# The admin CLI must not carry the daemon's transport or OCR (issue 13): fails when complaintctl's
# NEEDED entries name libcurl, Tesseract, Leptonica or poppler. Usage: check_ctl_libraries.sh COMPLAINTCTL
set -eu
needed=$(readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
heavy=$(printf '%s\n' "$needed" | grep -E '^lib(curl|tesseract|lept|poppler)' || true)
if [ -n "$heavy" ]; then
    echo "complaintctl links what only complaintd needs:" $heavy
    exit 1
fi
echo "complaintctl NEEDED:" $needed
