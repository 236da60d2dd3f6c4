# What `cmake --install` and `cpack -G DEB` ship, and the files built for them:
# the binary and its plugin, the license data with the snapshot it is trusted
# through (see scanner/licensedb/installed.h), the man page generated from the
# --help texts, and the shell completions (packaging/completion/).

# The installed data's snapshot and version, for data at its final place.
set(LT_DATA_FINAL_ROOT ${CMAKE_INSTALL_FULL_DATADIR}/lictrace)
set(LT_INSTALLED_DATA ${CMAKE_BINARY_DIR}/installed-data)
file(GLOB LT_DATA_FILES CONFIGURE_DEPENDS
     ${CMAKE_SOURCE_DIR}/licenses/*.yaml ${CMAKE_SOURCE_DIR}/licenses/*.yml
     ${CMAKE_SOURCE_DIR}/licenses/texts/* ${CMAKE_SOURCE_DIR}/rules/*.yaml
     ${CMAKE_SOURCE_DIR}/rules/*.yml)
add_custom_command(
  OUTPUT ${LT_INSTALLED_DATA}/licensedb.snapshot ${LT_INSTALLED_DATA}/data-version
         ${LT_INSTALLED_DATA}/classifier.snapshot
  COMMAND ${CMAKE_COMMAND} -E make_directory ${LT_INSTALLED_DATA}
  COMMAND lictrace --write-installed-data ${CMAKE_SOURCE_DIR} ${LT_DATA_FINAL_ROOT}
          ${LT_INSTALLED_DATA}
  DEPENDS lictrace ${LT_DATA_FILES}
  COMMENT "Building the snapshot of the installed license data"
  VERBATIM)

# lictrace(1): the binary renders it from its command and option tables.
add_custom_command(
  OUTPUT ${CMAKE_BINARY_DIR}/lictrace.1
  COMMAND sh -c "\"$1\" --help-man > \"$2\"" sh $<TARGET_FILE:lictrace> ${CMAKE_BINARY_DIR}/lictrace.1
  DEPENDS lictrace
  COMMENT "Generating the man page lictrace(1)"
  VERBATIM)
add_custom_target(lictrace-install-files ALL
  DEPENDS ${LT_INSTALLED_DATA}/licensedb.snapshot ${CMAKE_BINARY_DIR}/lictrace.1)

install(TARGETS lictrace RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS lictrace-remote LIBRARY DESTINATION ${LT_INSTALL_PLUGINDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/licenses ${CMAKE_SOURCE_DIR}/rules
        DESTINATION ${LT_INSTALL_DATADIR})
install(FILES ${LT_INSTALLED_DATA}/licensedb.snapshot ${LT_INSTALLED_DATA}/data-version
        ${LT_INSTALLED_DATA}/classifier.snapshot
        DESTINATION ${LT_INSTALL_DATADIR})
install(FILES ${CMAKE_BINARY_DIR}/lictrace.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${CMAKE_SOURCE_DIR}/packaging/completion/lictrace.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME lictrace)
install(FILES ${CMAKE_SOURCE_DIR}/packaging/completion/_lictrace
        DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(FILES ${CMAKE_SOURCE_DIR}/LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR})

# cpack -G DEB: a Debian 12 package. The package installs under the configured
# prefix (configure with -DCMAKE_INSTALL_PREFIX=/usr for a system package), so the
# data snapshot built for that prefix is the one the binary trusts.
set(CPACK_PACKAGE_NAME lictrace)
set(CPACK_PACKAGE_VENDOR "lictrace")
set(CPACK_PACKAGE_CONTACT "lictrace maintainers <lictrace@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "license-compliance scanner for AI model repositories")
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_RESOURCE_FILE_LICENSE ${CMAKE_SOURCE_DIR}/LICENSE)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "libc6 (>= 2.34), libyaml-0-2, libjansson4 (>= 2.14), libcurl4 (>= 7.88), libgit2-1.5, libarchive13 (>= 3.6)")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "bash-completion")
include(CPack)
