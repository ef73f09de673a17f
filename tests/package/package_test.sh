#!/usr/bin/env bash
# The Debian package as an administrator meets it. Builds the .deb as the README says
# (cmake with the installed layout, cpack -G DEB), runs lintian (no errors, no warnings),
# then, in a throwaway root (dpkg --root, maintainer scripts run chrootless with $DPKG_ROOT):
# install, change /etc/complaintd/complaintd.conf, upgrade to a higher version (the same
# conffile, then a changed one), purge, reinstall. Every check runs; the failures are listed
# at the end. Needs root (systemd-sysusers and dpkg write the root's /etc and owners).
#
# usage: package_test.sh SOURCE_DIR WORK_DIR [COMPILER_LAUNCHER]
set -uo pipefail
src=$1 work=$2 launcher=${3:-}
[ "$(id -u)" -eq 0 ] || { echo "SKIP: dpkg --root and systemd-sysusers --root need root"; exit 77; }

failures=()
check() { # check DESCRIPTION COMMAND...: runs COMMAND, records DESCRIPTION when it fails
  local what=$1
  shift
  if "$@"; then echo "ok: $what"; else echo "FAILED: $what"; failures+=("$what"); fi
}
finish() {
  if [ ${#failures[@]} -eq 0 ]; then echo "package test: all checks passed"; exit 0; fi
  printf 'package test: %d failed (dpkg output: %s):\n' ${#failures[@]} "$work/dpkg.log"
  printf '  %s\n' "${failures[@]}"
  exit 1
}
die() { echo "FAILED: $*"; failures+=("$*"); finish; }

# The README's command. Only the packaged targets are built (cpack would otherwise build all).
build=$work/build
cmake -S "$src" -B "$build" -DCOMPLAINTD_DATA_DIR=/usr/share/complaintd -DCMAKE_INSTALL_PREFIX=/usr \
  -DCOMPLAINTD_BUILD_TESTS=OFF -DCMAKE_SKIP_INSTALL_ALL_DEPENDENCY=ON \
  ${launcher:+-DCMAKE_CXX_COMPILER_LAUNCHER="$launcher"} >/dev/null || die "cmake configure"
targets=(complaintd complaintctl)
grep -q '^man:' "$build/Makefile" 2>/dev/null && targets+=(man debian_changelog)
cmake --build "$build" -j2 --target "${targets[@]}" >/dev/null || die "build"
rm -f "$build"/complaintd_*.deb
(cd "$build" && cpack -G DEB >/dev/null) || die "cpack -G DEB"
deb=$(ls "$build"/complaintd_*_amd64.deb 2>/dev/null | head -1)
[ -n "$deb" ] || die "cpack wrote no complaintd_*_amd64.deb"
echo "package: $deb"

check "lintian --fail-on error,warning" lintian --fail-on error,warning "$deb"

# A throwaway root with an empty dpkg database; the dependencies are the host's business.
root=$work/root
rm -rf "$root" "$work/dpkg.log"
mkdir -p "$root"/var/lib/dpkg/{info,updates,triggers} "$root"/var/log "$root"/etc
touch "$root"/var/lib/dpkg/status
dpkg_root() { # dpkg on the throwaway root; its output (the host's missing dependencies) in a log
  echo "+ dpkg $*" >>"$work/dpkg.log"
  dpkg --root="$root" --force-not-root --force-script-chrootless --force-depends "$@" >>"$work/dpkg.log" 2>&1
}
conf=$root/etc/complaintd/complaintd.conf
wants=$root/etc/systemd/system/multi-user.target.wants/complaintd.service

# A higher version of the same package, repacked: the same files, or with the shipped
# configuration changed as a new release might change it.
repack() { # repack VERSION [conf-changed] -> path of the new .deb
  local dir=$work/repack-$1
  rm -rf "$dir"
  dpkg-deb -R "$deb" "$dir"
  sed -i "s/^Version: .*/Version: $1/" "$dir/DEBIAN/control"
  if [ "${2:-}" = conf-changed ]; then
    echo "# A line the new release added." >>"$dir/etc/complaintd/complaintd.conf"
    (cd "$dir" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum >DEBIAN/md5sums)
  fi
  dpkg-deb --root-owner-group -b "$dir" "$work/complaintd_$1_amd64.deb" >/dev/null
  echo "$work/complaintd_$1_amd64.deb"
}

installed_well() { # what a fresh install must leave behind
  local when=$1
  check "$when: the complaintd user (sysusers)" grep -q '^complaintd:' "$root/etc/passwd"
  check "$when: the drop folder, mode 1770, owned by complaintd (tmpfiles)" \
    test "$(stat -c %a "$root/var/lib/complaintd/drop" 2>/dev/null)" = 1770 -a \
    "$(stat -c %u "$root/var/lib/complaintd/drop" 2>/dev/null)" = \
    "$(awk -F: '$1 == "complaintd" {print $3}' "$root/etc/passwd" 2>/dev/null)"
  check "$when: the unit is enabled (multi-user.target.wants)" test -L "$wants"
  check "$when: /etc/complaintd/complaintd.conf is a conffile" \
    sh -c "dpkg-query --admindir='$root/var/lib/dpkg' -W -f='\${Conffiles}' complaintd | grep -q /etc/complaintd/complaintd.conf"
  check "$when: man pages complaintd(8), complaintctl(8), complaintd.conf(5)" test -f \
    "$root/usr/share/man/man8/complaintd.8.gz" -a -f "$root/usr/share/man/man8/complaintctl.8.gz" \
    -a -f "$root/usr/share/man/man5/complaintd.conf.5.gz"
}

check "install" dpkg_root -i "$deb"
installed_well "install"
check "install: the shipped configuration" grep -q '^state_dir = /var/lib/complaintd' "$conf"

echo "poll_interval = 30   # the administrator's change" >>"$conf"
check "upgrade to 0.1.0-90 (same conffile)" dpkg_root -i "$(repack 0.1.0-90)"
check "upgrade to 0.1.0-90: the administrator's change is kept" grep -q '^poll_interval = 30' "$conf"
check "upgrade to 0.1.0-90: the unit stays enabled" test -L "$wants"

# Both the administrator and the release changed it: dpkg would ask; --force-confold is
# the administrator's answer "keep mine", and the release's file is put beside it.
check "upgrade to 0.1.0-91 (conffile changed too, --force-confold)" \
  dpkg_root --force-confdef --force-confold -i "$(repack 0.1.0-91 conf-changed)"
check "upgrade to 0.1.0-91: the administrator's change is kept" grep -q '^poll_interval = 30' "$conf"
check "upgrade to 0.1.0-91: the release's file is beside it as .dpkg-dist" \
  grep -q 'A line the new release added' "$conf.dpkg-dist"

echo "secret" >"$root/etc/complaintd/imap-password"
check "purge" dpkg_root -P complaintd
check "purge: /etc/complaintd is gone" test ! -e "$root/etc/complaintd"
check "purge: the programs are gone" test ! -e "$root/usr/bin/complaintd" -a ! -e "$root/usr/bin/complaintctl"
check "purge: the unit is no longer enabled" test ! -L "$wants"
check "purge: the register's state folder is kept" test -d "$root/var/lib/complaintd"

check "reinstall" dpkg_root -i "$deb"
installed_well "reinstall"
check "reinstall: the shipped configuration, without the purged change" \
  sh -c "grep -q '^state_dir = /var/lib/complaintd' '$conf' && ! grep -q '^poll_interval' '$conf'"
finish
