# package.cmake: `cpack -G DEB` in the build folder makes mlpviz_<version>_amd64.deb from what
# install.cmake installs (prefix /usr). Dependencies come from the binary (dpkg-shlibdeps); the
# desktop integration (menu entry, icon cache, MIME database, man-db) is refreshed by the dpkg
# triggers of desktop-file-utils, hicolor-icon-theme, shared-mime-info and man-db: no maintainer
# scripts. Checked by tests/package/ (dpkg -x into a throwaway root, lintian).
# Build the package from a portable build (MLPVIZ_PORTABLE=ON, the default): see docs/packaging.md.
set(_deb ${PROJECT_SOURCE_DIR}/packaging/debian)
install(FILES ${_deb}/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR})
configure_file(${_deb}/changelog.in ${PROJECT_BINARY_DIR}/debian/changelog @ONLY)
add_custom_command(OUTPUT ${PROJECT_BINARY_DIR}/debian/changelog.gz
  COMMAND gzip -9nf -k ${PROJECT_BINARY_DIR}/debian/changelog
  DEPENDS ${PROJECT_BINARY_DIR}/debian/changelog VERBATIM)
add_custom_target(mlpviz_changelog ALL DEPENDS ${PROJECT_BINARY_DIR}/debian/changelog.gz)
install(FILES ${PROJECT_BINARY_DIR}/debian/changelog.gz DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME mlpviz)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "mlpviz maintainers <maintainers@users.noreply.b-seed-f9831f0b.example>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "watch a multilayer perceptron learn")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "mlpviz trains a small multilayer perceptron on two-dimensional data and
shows it while it learns: the decision boundary, what every hidden unit
computes, the weights and the loss. Layers, activations, optimizer and data
can be changed while training runs; sessions are saved and opened again
with a double click. Made for teaching.
.
Headless subcommands train, render and inspect gradients from the command
line.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # mlpviz_<version>_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION education)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libgl1")  # libepoxy opens libGL.so.1 at run time: shlibdeps cannot see it
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
include(CPack)
