# The Debian package (cpack -G DEB in a tree configured as the README says): man pages made
# from the programs themselves, the Debian copyright and changelog, conffiles, maintainer
# scripts, and the binaries stripped.
# tests/package/package_test.sh builds it, runs lintian and installs it into a throwaway root.

set(COMPLAINTD_DEB_RELEASE 1)
set(COMPLAINTD_DEB_VERSION "${PROJECT_VERSION}-${COMPLAINTD_DEB_RELEASE}")

# The changelog's first entry is the package's version: bump both together.
file(STRINGS ${CMAKE_CURRENT_LIST_DIR}/debian/changelog changelog_head LIMIT_COUNT 1)
if(NOT changelog_head MATCHES "^complaintd \\(${COMPLAINTD_DEB_VERSION}\\) ")
  message(FATAL_ERROR "packaging/debian/changelog starts with '${changelog_head}', not version "
                      "${COMPLAINTD_DEB_VERSION} (project version - COMPLAINTD_DEB_RELEASE): add an entry")
endif()

find_package(Python3 REQUIRED COMPONENTS Interpreter)
set(man_dir ${CMAKE_BINARY_DIR}/man)
set(man_pages ${man_dir}/complaintd.8.gz ${man_dir}/complaintctl.8.gz ${man_dir}/complaintd.conf.5.gz)
add_custom_command(OUTPUT ${man_pages}
  COMMAND Python3::Interpreter ${CMAKE_CURRENT_LIST_DIR}/make-man
          $<TARGET_FILE:complaintd> $<TARGET_FILE:complaintctl> ${PROJECT_VERSION} ${man_dir}
  DEPENDS complaintd complaintctl ${CMAKE_CURRENT_LIST_DIR}/make-man
  COMMENT "Writing the man pages from --help and complaintctl config --reference")
add_custom_target(man ALL DEPENDS ${man_pages})
install(FILES ${man_dir}/complaintd.8.gz ${man_dir}/complaintctl.8.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man8)
install(FILES ${man_dir}/complaintd.conf.5.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man5)

# Debian's doc files: changelog.Debian.gz (gzip -9n) and the DEP-5 copyright file.
set(changelog_gz ${CMAKE_BINARY_DIR}/debian/changelog.Debian.gz)
add_custom_command(OUTPUT ${changelog_gz}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/debian
  COMMAND gzip -9nc ${CMAKE_CURRENT_LIST_DIR}/debian/changelog > ${changelog_gz}
  DEPENDS ${CMAKE_CURRENT_LIST_DIR}/debian/changelog)
add_custom_target(debian_changelog ALL DEPENDS ${changelog_gz})
install(FILES ${changelog_gz} ${CMAKE_CURRENT_LIST_DIR}/debian/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR})
# The one lintian tag overridden, with the reason in the file.
install(FILES ${CMAKE_CURRENT_LIST_DIR}/debian/lintian-overrides
        DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides RENAME complaintd)

# Every file installed under /etc is the administrator's: dpkg keeps their changes on upgrade.
file(WRITE ${CMAKE_BINARY_DIR}/debian/conffiles "/etc/complaintd/complaintd.conf\n")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME complaintd)
set(CPACK_PACKAGE_CONTACT "complaintd maintainers <complaintd@shugu.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Complaint desk service: mail and fax intake, routing, letters, register")
# The synopsis is CPACK_PACKAGE_DESCRIPTION_SUMMARY; lines under 80 characters (lintian).
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "complaintd runs the complaint desk of a public service center. It reads
complaints from IMAP folders and drop folders (e-mail, and fax by OCR in
Traditional Chinese), opens numbered cases, routes them to a handling unit,
watches the handling and legal deadlines and sends the center's letters by
SMTP. complaintctl is the staff's command line for the procedure, the
register, the quarantine and the outbox.
.
The package ships the systemd unit (enabled, not started: fill in
/etc/complaintd/complaintd.conf first, then systemctl start complaintd), the
service user and state folders (sysusers.d, tmpfiles.d) and the center's
routing rules, units and letter templates.")
set(CPACK_DEBIAN_PACKAGE_RELEASE ${COMPLAINTD_DEB_RELEASE})
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "tesseract-ocr-chi-tra, tesseract-ocr-eng, fonts-arphic-uming, \
systemd | systemd-standalone-sysusers | systemd-sysusers")
set(CPACK_DEBIAN_PACKAGE_SECTION mail)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
  ${CMAKE_BINARY_DIR}/debian/conffiles
  ${CMAKE_CURRENT_LIST_DIR}/debian/postinst
  ${CMAKE_CURRENT_LIST_DIR}/debian/prerm
  ${CMAKE_CURRENT_LIST_DIR}/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
# Stripped binaries (4.9 MB installed instead of 108 MB). No debug symbol package: CMake
# 3.25's CPACK_DEBIAN_DEBUGINFO_PACKAGE writes a .ddeb whose md5sums name the build tree's
# staging paths (lintian: md5sums-lists-nonexistent-file). Debug a crash with a RelWithDebInfo
# build of the same commit.
set(CPACK_STRIP_FILES ON)
include(CPack)
